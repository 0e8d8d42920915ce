/* capi-ui-util.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "capi-exchange.h"
#include "capi-ui-util.h"

static void
update_scheme (GtkSourceBuffer *buffer,
               AdwStyleManager *manager)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

static void
dark_changed_cb (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 GtkSourceBuffer *buffer)
{
  update_scheme (buffer, manager);
}

void
capi_ui_setup_json_view (GtkSourceView *view)
{
  GtkSourceLanguageManager *languages;
  g_autoptr(GtkSourceBuffer) buffer = NULL;
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_return_if_fail (GTK_SOURCE_IS_VIEW (view));

  gtk_source_init ();
  languages = gtk_source_language_manager_get_default ();
  buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages,
                                                                                          "json"));
  gtk_source_buffer_set_highlight_matching_brackets (buffer, FALSE);
  update_scheme (buffer, manager);
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (dark_changed_cb), buffer, 0);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (view), GTK_TEXT_BUFFER (buffer));
}

char *
capi_ui_format_headers (GPtrArray *headers)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      CapiHeader *header = g_ptr_array_index (headers, i);

      if (s->len > 0)
        g_string_append_c (s, '\n');
      g_string_append_printf (s, "%s: %s", header->name, header->value);
    }

  return g_string_free (s, FALSE);
}

char *
capi_ui_dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
capi_ui_show_toast (GtkWidget  *widget,
                    const char *message)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

gboolean
capi_ui_folded_contains (const char *haystack,
                         const char *needle_folded)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle_folded) != NULL;
}
