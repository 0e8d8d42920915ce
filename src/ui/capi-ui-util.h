/* capi-ui-util.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

/* Gives @view a JSON buffer whose colours follow the light or dark style. */
void  capi_ui_setup_json_view (GtkSourceView *view);
/* "Name: value" lines for (element-type CapiHeader).  (transfer full) */
char *capi_ui_format_headers  (GPtrArray     *headers);
/* Shows MESSAGE in the toast overlay above WIDGET (or logs it). */
void      capi_ui_show_toast      (GtkWidget     *widget,
                                   const char    *message);
/* Whether HAYSTACK, case-folded, contains NEEDLE_FOLDED (already folded). */
gboolean  capi_ui_folded_contains (const char    *haystack,
                                   const char    *needle_folded);
/* The text of a text view's buffer.  (transfer full) */
char *capi_ui_dup_view_text   (GtkTextView   *view);

G_END_DECLS
