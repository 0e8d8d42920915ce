/* capi-dedup-page.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-dedup.h"
#include "capi-history.h"

G_BEGIN_DECLS

#define CAPI_TYPE_DEDUP_PAGE (capi_dedup_page_get_type ())
G_DECLARE_FINAL_TYPE (CapiDedupPage, capi_dedup_page, CAPI, DEDUP_PAGE, AdwBin)

CapiDedupPage   *capi_dedup_page_new               (void);
/* The history offered as "Use my History" on the server side. */
void             capi_dedup_page_set_history       (CapiDedupPage      *self,
                                                    CapiHistory        *history);
void             capi_dedup_page_add_file          (CapiDedupPage      *self,
                                                    CapiConversionSide  side,
                                                    GFile              *file);
/* The files chosen for a side, (element-type GFile) (transfer none). */
GListModel      *capi_dedup_page_get_files         (CapiDedupPage      *self,
                                                    CapiConversionSide  side);
void             capi_dedup_page_clear_files       (CapiDedupPage      *self);
gboolean         capi_dedup_page_get_use_history   (CapiDedupPage      *self);
void             capi_dedup_page_set_use_history   (CapiDedupPage      *self,
                                                    gboolean            use_history);
/* Starts the comparison of the chosen files (as the Compare button does);
 * "report" is notified when it is done, "running" while it goes on. */
void             capi_dedup_page_compare           (CapiDedupPage      *self);
gboolean         capi_dedup_page_get_running       (CapiDedupPage      *self);
/* Whether the table's rows are being filtered or sorted in a worker. */
gboolean         capi_dedup_page_get_updating      (CapiDedupPage      *self);
/* (nullable) (transfer none) the last comparison */
CapiDedupReport *capi_dedup_page_get_report        (CapiDedupPage      *self);
/* The rows shown after class filters, search and sorting (a GListModel
 * of CapiDedupRow; its items change when a new view is ready). */
GListModel      *capi_dedup_page_get_visible_model (CapiDedupPage      *self);
/* The filter chip of a class: while none is active every class is shown. */
GtkToggleButton *capi_dedup_page_get_class_toggle  (CapiDedupPage      *self,
                                                    CapiDedupClassification klass);
void             capi_dedup_page_set_search_text   (CapiDedupPage      *self,
                                                    const char         *text);
/* (nullable) (transfer none) the row shown in the detail pane */
CapiDedupRow    *capi_dedup_page_get_selected      (CapiDedupPage      *self);
void             capi_dedup_page_export_async      (CapiDedupPage      *self,
                                                    CapiDedupFormat     format,
                                                    GFile              *file,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean         capi_dedup_page_export_finish     (CapiDedupPage      *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);

G_END_DECLS
