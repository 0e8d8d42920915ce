/* ui-test-util.h -- small helpers the widget tests share
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

/* Runs the main context until nothing is pending. */
static inline void
ui_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first widget of TYPE under WIDGET (itself included), depth first. */
static inline GtkWidget *
ui_test_find_type (GtkWidget *widget,
                   GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ui_test_find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first GtkLabel under WIDGET whose label is TEXT. */
static inline GtkWidget *
ui_test_find_label (GtkWidget  *widget,
                    const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ui_test_find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}
