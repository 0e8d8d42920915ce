/* capi-history-page.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-exchange.h"
#include "capi-history.h"

G_BEGIN_DECLS

#define CAPI_TYPE_HISTORY_PAGE (capi_history_page_get_type ())
G_DECLARE_FINAL_TYPE (CapiHistoryPage, capi_history_page, CAPI, HISTORY_PAGE, AdwBin)

CapiHistoryPage *capi_history_page_new              (void);
CapiHistory     *capi_history_page_get_history      (CapiHistoryPage *self);
void             capi_history_page_set_history      (CapiHistoryPage *self,
                                                     CapiHistory     *history);
const char      *capi_history_page_get_search_text  (CapiHistoryPage *self);
void             capi_history_page_set_search_text  (CapiHistoryPage *self,
                                                     const char      *text);
/* The exchanges shown after search and filters, newest first. */
GListModel      *capi_history_page_get_visible_model (CapiHistoryPage *self);
/* (nullable) (transfer none) the exchange shown in the detail view */
CapiExchange    *capi_history_page_get_selected     (CapiHistoryPage *self);
void             capi_history_page_focus_search     (CapiHistoryPage *self);
void             capi_history_page_export_async     (CapiHistoryPage     *self,
                                                     GFile               *file,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
guint            capi_history_page_export_finish    (CapiHistoryPage     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
