/* capi-exchange.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "capi-destination.h"

G_BEGIN_DECLS

/* How an exchange ended, as the CLI exit code and the GUI badge see it. */
typedef enum
{
  CAPI_EXCHANGE_OUTCOME_PENDING,     /* not sent yet */
  CAPI_EXCHANGE_OUTCOME_OK,          /* 2xx, and Snap said VALID/SUCCESS or gave no verdict */
  CAPI_EXCHANGE_OUTCOME_INVALID,     /* Snap said INVALID/FAILURE */
  CAPI_EXCHANGE_OUTCOME_HTTP_ERROR,  /* a response outside 2xx without a verdict */
  CAPI_EXCHANGE_OUTCOME_FAILED,      /* no response: connection, timeout, dropped */
} CapiExchangeOutcome;

/* One header as sent or received (request headers already redacted). */
typedef struct
{
  char *name;
  char *value;
} CapiHeader;

void capi_header_free (CapiHeader *header);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapiHeader, capi_header_free)

/* Timings of the last attempt in milliseconds; -1 when unknown (a reused
 * connection has no connect time).  total_ms covers every attempt and the
 * waits between them. */
typedef struct
{
  double connect_ms;   /* DNS lookup + TCP (+ TLS) connect */
  double ttfb_ms;      /* request start to the first response byte */
  double total_ms;
} CapiTimings;

#define CAPI_EXCHANGE_ERROR (capi_exchange_error_quark ())

typedef enum
{
  CAPI_EXCHANGE_ERROR_SYNTAX,   /* a history record that is no exchange */
} CapiExchangeError;

/* Bodies larger than this are cut (and marked so) in capi_exchange_to_json. */
#define CAPI_EXCHANGE_MAX_STORED_BODY (1024 * 1024)

#define CAPI_TYPE_EXCHANGE (capi_exchange_get_type ())
G_DECLARE_FINAL_TYPE (CapiExchange, capi_exchange, CAPI, EXCHANGE, GObject)

/*
 * One request and what came back.  Nothing in an exchange holds a secret:
 * the URL and headers are redacted when they are set, and the body is the
 * payload as sent (hashed identifiers).  Every property is read-only to the
 * outside; CapiClient fills them in while the request runs, emitting
 * notify for each change.
 */

GQuark               capi_exchange_error_quark          (void);

CapiExchange        *capi_exchange_new                  (CapiDestinationKind  destination,
                                                         const char          *profile_name,
                                                         const char          *method,
                                                         const char          *url);

/* Identity */
const char          *capi_exchange_get_id               (CapiExchange *self);
GDateTime           *capi_exchange_get_started          (CapiExchange *self);
CapiDestinationKind  capi_exchange_get_destination      (CapiExchange *self);
const char          *capi_exchange_get_profile_name     (CapiExchange *self);

/* Request */
const char          *capi_exchange_get_method           (CapiExchange *self);
/* Redacted. */
const char          *capi_exchange_get_url              (CapiExchange *self);
/* (element-type CapiHeader) (transfer none), redacted. */
GPtrArray           *capi_exchange_get_request_headers  (CapiExchange *self);
/* The body exactly as sent, or NULL for GET.  (transfer none) */
GBytes              *capi_exchange_get_request_body     (CapiExchange *self);
/* Events in the body: count, and name/id of each (NULL when absent). */
guint                capi_exchange_get_n_events         (CapiExchange *self);
const char          *capi_exchange_get_event_name       (CapiExchange *self,
                                                         guint         index);
const char          *capi_exchange_get_event_id         (CapiExchange *self,
                                                         guint         index);
gboolean             capi_exchange_has_event_name       (CapiExchange *self,
                                                         const char   *event_name);
gboolean             capi_exchange_has_event_id         (CapiExchange *self,
                                                         const char   *event_id);

/* Response */
guint                capi_exchange_get_status           (CapiExchange *self);
const char          *capi_exchange_get_reason_phrase    (CapiExchange *self);
/* (element-type CapiHeader) (transfer none) */
GPtrArray           *capi_exchange_get_response_headers (CapiExchange *self);
/* The raw body (NULL before a response).  (transfer none) */
GBytes              *capi_exchange_get_response_body    (CapiExchange *self);
/* The body parsed, when it is JSON.  (transfer none) (nullable) */
JsonNode            *capi_exchange_get_response_json    (CapiExchange *self);
/* Snap's "status" (VALID, INVALID, SUCCESS, FAILURE) and "reason". */
const char          *capi_exchange_get_snap_status      (CapiExchange *self);
const char          *capi_exchange_get_snap_reason      (CapiExchange *self);
/* Snap's errors and warnings as findings: event index and the field path
 * ("data[2].user_data.em") when the message names a field.
 * (element-type CapiFinding) (transfer none) */
GPtrArray           *capi_exchange_get_findings         (CapiExchange *self);
CapiExchangeOutcome  capi_exchange_get_outcome          (CapiExchange *self);
const char          *capi_exchange_outcome_to_string    (CapiExchangeOutcome outcome);

/* How it went */
void                 capi_exchange_get_timings          (CapiExchange *self,
                                                         CapiTimings  *out_timings);
guint                capi_exchange_get_attempts         (CapiExchange *self);
/* The transport error when no response came back.  (nullable) */
const GError        *capi_exchange_get_error            (CapiExchange *self);

/* Filled in by the client (or a test).  Headers are redacted here. */
void                 capi_exchange_set_request          (CapiExchange       *self,
                                                         SoupMessageHeaders *headers,
                                                         GBytes             *body);
void                 capi_exchange_set_response         (CapiExchange       *self,
                                                         guint               status,
                                                         const char         *reason_phrase,
                                                         SoupMessageHeaders *headers,
                                                         GBytes             *body);
void                 capi_exchange_set_timings          (CapiExchange      *self,
                                                         const CapiTimings *timings);
void                 capi_exchange_set_attempts         (CapiExchange      *self,
                                                         guint              attempts);
void                 capi_exchange_set_error            (CapiExchange      *self,
                                                         const GError      *error);

/* One JSON object for history.jsonl (bodies as strings; a response body
 * above CAPI_EXCHANGE_MAX_STORED_BODY is cut and marked).  (transfer full) */
JsonNode            *capi_exchange_to_json              (CapiExchange *self);
char                *capi_exchange_to_json_string       (CapiExchange *self);
CapiExchange        *capi_exchange_new_from_json        (JsonNode     *node,
                                                         GError      **error);

G_END_DECLS
