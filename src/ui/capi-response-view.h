/* capi-response-view.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-exchange.h"

G_BEGIN_DECLS

#define CAPI_TYPE_RESPONSE_VIEW (capi_response_view_get_type ())
G_DECLARE_FINAL_TYPE (CapiResponseView, capi_response_view, CAPI, RESPONSE_VIEW, GtkWidget)

/*
 * Shows one CapiExchange: Snap's verdict, the status line, timings, the
 * request and response headers, the response body pretty and raw, and
 * Snap's errors and warnings.  It follows the exchange's notifications, so
 * an exchange still in flight fills in as it completes.  Used by the
 * compose page's preview and by the history page's detail view.
 */

GtkWidget    *capi_response_view_new          (void);
/* (nullable) (transfer none) */
CapiExchange *capi_response_view_get_exchange (CapiResponseView *self);
void          capi_response_view_set_exchange (CapiResponseView *self,
                                               CapiExchange     *exchange);
/* The verdict as shown ("VALID", "INVALID", "HTTP 500", ...), "" when
 * empty. */
const char   *capi_response_view_get_verdict  (CapiResponseView *self);
/* The pretty-printed body as shown.  (transfer full) */
char         *capi_response_view_dup_body     (CapiResponseView *self);

G_END_DECLS
