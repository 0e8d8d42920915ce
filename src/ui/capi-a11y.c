/* capi-a11y.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 and libadwaita 1.2 build a few icon-only controls inside their
 * widgets without an accessible name: the -/+ buttons of GtkSpinButton, the
 * search button and entry of AdwPreferencesWindow, the "show text" button of
 * AdwPasswordEntryRow.  Their tooltips only become descriptions, so a screen
 * reader announces them as "button".  Newer releases fix this; on our floor
 * the application names them itself, once its templates are built.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-a11y.h"

static gboolean
has_label_child (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0')
        return TRUE;
      if (has_label_child (c))
        return TRUE;
    }
  return FALSE;
}

static void
name_button (GtkWidget *button)
{
  const char *icon = GTK_IS_BUTTON (button) ? gtk_button_get_icon_name (GTK_BUTTON (button)) : NULL;
  const char *tooltip = gtk_widget_get_tooltip_text (button);
  const char *name = NULL;

  if (has_label_child (button))
    return;

  if (gtk_widget_get_ancestor (button, GTK_TYPE_SPIN_BUTTON) != NULL &&
      g_strcmp0 (icon, "value-decrease-symbolic") == 0)
    name = _("Decrease");
  else if (gtk_widget_get_ancestor (button, GTK_TYPE_SPIN_BUTTON) != NULL &&
           g_strcmp0 (icon, "value-increase-symbolic") == 0)
    name = _("Increase");
  else if (tooltip != NULL && *tooltip != '\0')
    name = tooltip;

  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

static void
name_search_entry (GtkWidget *entry)
{
  g_autofree char *placeholder = NULL;

  g_object_get (entry, "placeholder-text", &placeholder, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder != NULL && *placeholder != '\0' ? placeholder : _("Search"),
                                  -1);
}

/* Gives the unnamed icon-only toolkit controls under ROOT a name: from the
 * tooltip where there is one, "Decrease"/"Increase" for spin buttons, the
 * placeholder (or "Search") for search entries.  Widgets that already show
 * text are left alone.  Call it at the end of a widget's init. */
void
capi_a11y_name_toolkit_widgets (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    name_button (root);
  else if (GTK_IS_SEARCH_ENTRY (root))
    name_search_entry (root);

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    capi_a11y_name_toolkit_widgets (c);
}
