/* capi-destination.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "capi-payload.h"
#include "capi-profile.h"

G_BEGIN_DECLS

/* Where a request goes (spec §1 and §3). */
typedef enum
{
  CAPI_DESTINATION_SANDBOX,               /* local stand-in: v3 validate path on the sandbox URL */
  CAPI_DESTINATION_SNAP_TEST,             /* POST /v3/{pixel}/events/validate */
  CAPI_DESTINATION_SNAP_LIVE,             /* POST /v3/{pixel}/events */
  CAPI_DESTINATION_SNAP_LOGS,             /* GET  /v3/{pixel}/events/validate/logs */
  CAPI_DESTINATION_SNAP_STATS,            /* GET  /v3/{pixel}/events/validate/stats */
  CAPI_DESTINATION_ATS_SEND,              /* POST /send-events/{ats_config_id} */
  CAPI_DESTINATION_ATS_ENVELOPE_REFRESH,  /* GET  /api/identity/v2/envelope/refresh */
} CapiDestinationKind;

#define CAPI_DESTINATION_N_KINDS (CAPI_DESTINATION_ATS_ENVELOPE_REFRESH + 1)

/* Built-in hosts; each can be overridden by the profile and, above it, the
 * environment: CAPI_INSPECTOR_SNAP_BASE_URL (Snap kinds, and the sandbox),
 * CAPI_INSPECTOR_ATS_BASE_URL (ATS send and, unless
 * CAPI_INSPECTOR_ENVELOPE_BASE_URL is set, envelope refresh). */
#define CAPI_DESTINATION_SNAP_BASE_URL     "https://tr.snapchat.com"
#define CAPI_DESTINATION_ATS_BASE_URL      "https://capi.analytics.rlcdn.com"
#define CAPI_DESTINATION_ENVELOPE_BASE_URL "https://api.rlcdn.com"

/* Working limits per request: Snap v3 (partners' figure) and ATS (one user
 * session per request; large batches misbehave). */
#define CAPI_DESTINATION_MAX_V3_EVENTS  2000
#define CAPI_DESTINATION_MAX_ATS_EVENTS 1000

/* Pixel id used with the sandbox when a profile has none: the sandbox takes
 * any id, and a fixed one keeps its logs and stats in one place. */
#define CAPI_DESTINATION_SANDBOX_PIXEL_ID "00000000-0000-4000-8000-000000000000"

/* The envelope type that scopes an ATS envelope to CAPI. */
#define CAPI_DESTINATION_ENVELOPE_IT "19"

/* What replaces a secret in anything shown, logged or stored. */
#define CAPI_DESTINATION_REDACTED "…"

#define CAPI_DESTINATION_ERROR (capi_destination_error_quark ())

typedef enum
{
  CAPI_DESTINATION_ERROR_BAD_BASE_URL,    /* base URL is not http(s)://host... */
  CAPI_DESTINATION_ERROR_NO_PIXEL_ID,
  CAPI_DESTINATION_ERROR_NO_ATS_CONFIG_ID,
  CAPI_DESTINATION_ERROR_NO_PLACEMENT_ID,
  CAPI_DESTINATION_ERROR_NO_ENVELOPE,
  CAPI_DESTINATION_ERROR_NO_SANDBOX,      /* no sandbox URL configured */
  CAPI_DESTINATION_ERROR_INSECURE,        /* http:// to a host that is not this machine */
} CapiDestinationError;

/* Parameters of an envelope refresh (spec §3). */
typedef struct
{
  const char *envelope;        /* iv: the envelope held by the site */
  const char *consent_type;    /* ct, optional */
  const char *consent_string;  /* cv, optional */
  const char *forwarded_for;   /* X-Forwarded-For (server-to-server), optional */
} CapiEnvelopeRequest;

GQuark       capi_destination_error_quark          (void);

/* "sandbox", "snap-test", "snap-live", "snap-logs", "snap-stats", "ats-send",
 * "ats-envelope-refresh". */
const char  *capi_destination_kind_to_string       (CapiDestinationKind  kind);
/* Also accepts "ats" for ats-send. */
gboolean     capi_destination_kind_from_string     (const char          *name,
                                                    CapiDestinationKind *out_kind);
/* Translated, for people. */
const char  *capi_destination_kind_get_label       (CapiDestinationKind  kind);
/* "POST" or "GET". */
const char  *capi_destination_kind_get_method      (CapiDestinationKind  kind);
gboolean     capi_destination_kind_has_body        (CapiDestinationKind  kind);
/* Whether the Snap access_token goes into the URL. */
gboolean     capi_destination_kind_uses_token      (CapiDestinationKind  kind);
CapiPayloadKind capi_destination_kind_get_payload_kind (CapiDestinationKind kind);
/* Events per request: 2000 for v3 kinds, 1000 for ATS, 0 for GET kinds. */
guint        capi_destination_kind_get_max_events  (CapiDestinationKind  kind);

/* The base URL in effect for @kind: environment, else profile, else the
 * built-in host.  (transfer full) (nullable): NULL only for the sandbox when
 * nothing is configured. */
char        *capi_destination_dup_base_url         (CapiDestinationKind  kind,
                                                    CapiProfile         *profile);

/*
 * The full request URI.  @access_token (nullable) is put in the query for
 * Snap kinds (and the sandbox); it is the one place a token appears, so show
 * only capi_destination_redact_url() of the result.  @envelope is needed for
 * ATS_ENVELOPE_REFRESH and ignored otherwise.  (transfer full)
 */
GUri        *capi_destination_build_uri            (CapiDestinationKind        kind,
                                                    CapiProfile               *profile,
                                                    const char                *access_token,
                                                    const CapiEnvelopeRequest *envelope,
                                                    GError                   **error);
char        *capi_destination_build_url            (CapiDestinationKind        kind,
                                                    CapiProfile               *profile,
                                                    const char                *access_token,
                                                    const CapiEnvelopeRequest *envelope,
                                                    GError                   **error);
/* Headers of the request beyond those libsoup adds: Accept, Content-Type
 * for kinds with a body, Origin and X-Forwarded-For for envelope refresh. */
void         capi_destination_add_headers          (CapiDestinationKind        kind,
                                                    CapiProfile               *profile,
                                                    const CapiEnvelopeRequest *envelope,
                                                    SoupMessageHeaders        *headers);

/* Redaction: every URL or header that is shown, logged or stored goes
 * through these.  (transfer full) */
char        *capi_destination_redact_url           (const char          *url);
char        *capi_destination_redact_header        (const char          *name,
                                                    const char          *value);
/* Replaces every occurrence of @secret (if non-empty) in @text, then any
 * access_token=VALUE, by "…". */
char        *capi_destination_redact_text          (const char          *text,
                                                    const char          *secret);

G_END_DECLS
