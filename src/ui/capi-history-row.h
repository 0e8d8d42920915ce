/* capi-history-row.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-exchange.h"

G_BEGIN_DECLS

#define CAPI_TYPE_HISTORY_ROW (capi_history_row_get_type ())
G_DECLARE_FINAL_TYPE (CapiHistoryRow, capi_history_row, CAPI, HISTORY_ROW, AdwBin)

CapiHistoryRow *capi_history_row_new          (void);
CapiExchange   *capi_history_row_get_exchange (CapiHistoryRow *self);
void            capi_history_row_set_exchange (CapiHistoryRow *self,
                                               CapiExchange   *exchange);

char           *capi_history_row_dup_events   (CapiExchange   *exchange);
const char     *capi_history_row_get_verdict  (CapiExchange   *exchange);

G_END_DECLS
