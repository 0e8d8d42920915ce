/* capi-payload.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "capi-event.h"
#include "capi-normalize.h"

G_BEGIN_DECLS

typedef enum
{
  CAPI_PAYLOAD_SNAP_V3,  /* {"data": [...]} for tr.snapchat.com/v3 */
  CAPI_PAYLOAD_ATS,      /* {"events": [...]} for LiveRamp's adapter */
} CapiPayloadKind;

#define CAPI_PAYLOAD_DEFAULT_INTEGRATION "capi-inspector"

/* Options of one build; zero-initialise and fill what you need. */
typedef struct
{
  const char *default_country;   /* alpha-2 for phones without a country code; NULL: none */
  const char *integration;       /* NULL: CAPI_PAYLOAD_DEFAULT_INTEGRATION; "" leaves it out */
  const char *test_event_code;   /* NULL: none; set at the root of a v3 body */
} CapiPayloadOptions;

/* One row of the normalization table (`preview --explain`, GUI tab). */
typedef struct
{
  char           *field;       /* JSON path in the built body, e.g. "data[0].user_data.em[0]" */
  char           *key;         /* user_data key, e.g. "em" */
  char           *raw;         /* as given */
  char           *normalized;  /* NULL when not applicable */
  char           *sent;        /* as sent (hash, or value as is), NULL when dropped */
  CapiValueState  state;
} CapiExplainRow;

void        capi_explain_row_free      (CapiExplainRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapiExplainRow, capi_explain_row_free)

/* event_time as Unix seconds from an integer (seconds or 13-digit
 * milliseconds), a numeric string, or an ISO 8601 string.  FALSE when
 * absent or unusable. */
gboolean    capi_payload_event_time_seconds (CapiEvent *event,
                                             gint64    *out_seconds);

/* One v3 event exactly as sent: hashed keys as arrays of lowercase hex,
 * event_time in seconds, integration set, empty members left out.
 * (transfer full) */
JsonObject *capi_payload_build_v3_event (CapiEvent                *event,
                                         const CapiPayloadOptions *options);
/* The whole request body for @kind.  (transfer full) */
JsonNode   *capi_payload_build          (CapiPayloadKind           kind,
                                         GPtrArray                *events,
                                         const CapiPayloadOptions *options);
/* Serialised body, pretty or compact.  (transfer full) */
char       *capi_payload_build_string   (CapiPayloadKind           kind,
                                         GPtrArray                *events,
                                         const CapiPayloadOptions *options,
                                         gboolean                  pretty);
/* Serialises a body the way build_string does: member order kept, numbers
 * in their shortest round-trip form (19.99, not 19.989999999999998).
 * (transfer full) */
char       *capi_payload_to_string      (JsonNode                 *node,
                                         gboolean                  pretty);
/* Normalization table for all events.  (element-type CapiExplainRow) */
GPtrArray  *capi_payload_explain        (GPtrArray                *events,
                                         const CapiPayloadOptions *options);

G_END_DECLS
