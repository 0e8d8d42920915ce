/* capi-client.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "capi-destination.h"
#include "capi-event.h"
#include "capi-exchange.h"
#include "capi-payload.h"
#include "capi-profile.h"

G_BEGIN_DECLS

#define CAPI_CLIENT_DEFAULT_CONCURRENCY   4
#define CAPI_CLIENT_DEFAULT_RETRY_DELAY_MS 500
#define CAPI_CLIENT_DEFAULT_MAX_RETRY_DELAY_MS 60000

#define CAPI_CLIENT_ERROR (capi_client_error_quark ())

typedef enum
{
  CAPI_CLIENT_ERROR_CONNECT_TIMEOUT,  /* no connection within the connect timeout */
  CAPI_CLIENT_ERROR_TIMEOUT,          /* no complete response within the total timeout */
  CAPI_CLIENT_ERROR_GAVE_UP,          /* every attempt failed or was answered 429/5xx */
  CAPI_CLIENT_ERROR_NO_EVENTS,
  CAPI_CLIENT_ERROR_TOO_LARGE,        /* the response body passed CAPI_CLIENT_MAX_RESPONSE_SIZE */
} CapiClientError;

/* Response bodies are read up to this size and no further: an endless or
 * huge body must not fill memory while the total timeout runs. */
#define CAPI_CLIENT_MAX_RESPONSE_SIZE (16 * 1024 * 1024)

#define CAPI_TYPE_CLIENT (capi_client_get_type ())
G_DECLARE_FINAL_TYPE (CapiClient, capi_client, CAPI, CLIENT, GObject)

/*
 * Sends requests to a destination and records each as a CapiExchange.
 *
 * One SoupSession for everything; TLS certificates are always verified
 * (libsoup 3 refuses invalid ones unless told otherwise, and we never do).
 * Per request the profile gives the connect timeout (resolve + connect),
 * the total timeout (one attempt, through the last byte of the response)
 * and the number of attempts.  Connection failures, 429 and 5xx are retried
 * with exponential backoff and jitter, or after Retry-After (seconds or an
 * HTTP date) when the server gives one; other 4xx never are.
 *
 * A response of any status is a result, not an error: _finish() returns an
 * exchange for every request that was sent, with capi_exchange_get_error()
 * set when no usable response came back.  _finish() fails only when nothing
 * could be sent (bad profile, cancelled).
 *
 * Signals:
 *   "exchange-finished" (CapiExchange *exchange): every finished exchange,
 *     single or from a bulk send (the place to append it to history).
 *   "progress" (guint events_done, guint events_total): during
 *     capi_client_send_events_async(), after each request.
 */

GQuark        capi_client_error_quark          (void);

CapiClient   *capi_client_new                  (void);

/* Base delay of the exponential backoff (default 500 ms). */
guint         capi_client_get_retry_delay_ms   (CapiClient *self);
void          capi_client_set_retry_delay_ms   (CapiClient *self,
                                                guint       delay_ms);
/* A Retry-After longer than this is not waited for (default 60 s). */
guint         capi_client_get_max_retry_delay_ms (CapiClient *self);
void          capi_client_set_max_retry_delay_ms (CapiClient *self,
                                                  guint       delay_ms);
/* Requests in flight at once during a bulk send (default 4). */
guint         capi_client_get_concurrency      (CapiClient *self);
void          capi_client_set_concurrency      (CapiClient *self,
                                                guint       concurrency);

/* One request.  @access_token is used for the URL only and never kept;
 * @body (nullable for GET kinds) is sent as is. */
void          capi_client_send_async           (CapiClient          *self,
                                                CapiDestinationKind  kind,
                                                CapiProfile         *profile,
                                                const char          *access_token,
                                                GBytes              *body,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Returns: (transfer full) */
CapiExchange *capi_client_send_finish          (CapiClient          *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* GET an ATS envelope refresh (spec §3). */
void          capi_client_refresh_envelope_async  (CapiClient                *self,
                                                   CapiProfile               *profile,
                                                   const CapiEnvelopeRequest *request,
                                                   GCancellable              *cancellable,
                                                   GAsyncReadyCallback        callback,
                                                   gpointer                   user_data);
CapiExchange *capi_client_refresh_envelope_finish (CapiClient                *self,
                                                   GAsyncResult              *result,
                                                   GError                   **error);

/*
 * Bulk send: @events (element-type CapiEvent) go out in requests of at
 * most @batch_size events (0: the destination's limit, 2000 for v3; for
 * ATS each request also holds one user session only, grouped by
 * user_data.partner_id / sc_cookie1), with at most the client's
 * concurrency in flight.  Bodies are built with capi_payload_build_string() and
 * @options (NULL: the profile's default country and test_event_code).
 */
void          capi_client_send_events_async    (CapiClient               *self,
                                                CapiDestinationKind       kind,
                                                CapiProfile              *profile,
                                                const char               *access_token,
                                                GPtrArray                *events,
                                                const CapiPayloadOptions *options,
                                                guint                     batch_size,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
/* Returns: (element-type CapiExchange) (transfer full): one per request,
 * in batch order. */
GPtrArray    *capi_client_send_events_finish   (CapiClient               *self,
                                                GAsyncResult             *result,
                                                GError                  **error);

/* Retry-After as milliseconds from @now: delta-seconds or an HTTP date.
 * FALSE when absent or unreadable. */
gboolean      capi_client_parse_retry_after    (const char               *value,
                                                GDateTime                *now,
                                                guint64                  *out_ms);

G_END_DECLS
