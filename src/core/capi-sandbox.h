/* capi-sandbox.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAPI_SANDBOX_ERROR (capi_sandbox_error_quark ())

typedef enum
{
  CAPI_SANDBOX_ERROR_ADDRESS,   /* the host is no IP address */
  CAPI_SANDBOX_ERROR_RUNNING,   /* already started */
  CAPI_SANDBOX_ERROR_LISTEN,    /* the socket could not be bound */
} CapiSandboxError;

/* How the sandbox misbehaves when it is told to (see the "fault" property). */
typedef enum
{
  CAPI_SANDBOX_FAULT_NONE,
  CAPI_SANDBOX_FAULT_RATE_LIMIT,    /* 429 Too Many Requests with Retry-After */
  CAPI_SANDBOX_FAULT_SERVER_ERROR,  /* 500 with an empty body */
  CAPI_SANDBOX_FAULT_DROP,          /* the connection is closed, nothing is answered */
  CAPI_SANDBOX_FAULT_TRUNCATE,      /* headers and half a body, then the connection closes */
} CapiSandboxFault;

GType capi_sandbox_fault_get_type (void) G_GNUC_CONST;
#define CAPI_TYPE_SANDBOX_FAULT (capi_sandbox_fault_get_type ())

/* Default number of received events kept for validate/logs. */
#define CAPI_SANDBOX_DEFAULT_CAPACITY 1000

#define CAPI_TYPE_SANDBOX (capi_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (CapiSandbox, capi_sandbox, CAPI, SANDBOX, GObject)

/*
 * CapiSandbox is a local stand-in for Snap's Conversions API v3 and for
 * LiveRamp's ATS adapter, served by an in-process SoupServer:
 *
 *   POST /v3/{asset_id}/events                 live events
 *   POST /v3/{asset_id}/events/validate        test events
 *   GET  /v3/{asset_id}/events/validate/logs   recent events received for the asset
 *   GET  /v3/{asset_id}/events/validate/stats  counts of the past hour, test and live
 *   POST /send-events/{ats_config_id}          ATS adapter
 *   GET  /api/identity/v2/envelope/refresh     ATS envelope refresh (it=19)
 *
 * Snap paths require a non-empty access_token query parameter.  Events are
 * judged by the lint engine (capi_lint_run): any error makes an event
 * INVALID.  The server runs in the thread-default main context of the thread
 * that calls capi_sandbox_start().
 *
 * "request" is emitted once per request, after the answer is decided, with
 * the method, the path and query with the access token redacted, and the
 * HTTP status (0 when the connection was dropped on purpose).
 */

GQuark            capi_sandbox_error_quark     (void);

CapiSandbox      *capi_sandbox_new             (void);

/* port 0 picks a free port; host NULL means 127.0.0.1.  host must be an IP
 * address; refusing non-loopback addresses is the caller's policy. */
gboolean          capi_sandbox_start           (CapiSandbox      *self,
                                                guint             port,
                                                const char       *host,
                                                GError          **error);
void              capi_sandbox_stop            (CapiSandbox      *self);
gboolean          capi_sandbox_get_running     (CapiSandbox      *self);
/* The port listened on, 0 when stopped. */
guint             capi_sandbox_get_port        (CapiSandbox      *self);
/* Base URL without a trailing slash, e.g. "http://127.0.0.1:40123";
 * NULL when stopped.  (transfer full) */
char             *capi_sandbox_dup_uri         (CapiSandbox      *self);

/* Misbehaviour on demand. */
guint             capi_sandbox_get_latency     (CapiSandbox      *self);
/* Milliseconds added before each answer. */
void              capi_sandbox_set_latency     (CapiSandbox      *self,
                                                guint             latency_ms);
CapiSandboxFault  capi_sandbox_get_fault       (CapiSandbox      *self);
void              capi_sandbox_set_fault       (CapiSandbox      *self,
                                                CapiSandboxFault  fault);
/* How many of the coming requests get the fault; -1 (default) for all.
 * Counts down as faults are served. */
int               capi_sandbox_get_fault_count (CapiSandbox      *self);
void              capi_sandbox_set_fault_count (CapiSandbox      *self,
                                                int               count);
/* Probability (0..1, default 1) that a request eligible for the fault gets it. */
double            capi_sandbox_get_fail_rate   (CapiSandbox      *self);
void              capi_sandbox_set_fail_rate   (CapiSandbox      *self,
                                                double            rate);
/* Seconds announced in Retry-After with a 429 (default 1). */
guint             capi_sandbox_get_retry_after (CapiSandbox      *self);
void              capi_sandbox_set_retry_after (CapiSandbox      *self,
                                                guint             seconds);

/* The clock used for lint's time rules and for stats: Unix seconds, or 0
 * (default) for the real clock. */
gint64            capi_sandbox_get_fixed_time  (CapiSandbox      *self);
void              capi_sandbox_set_fixed_time  (CapiSandbox      *self,
                                                gint64            unix_seconds);

/* What was received. */
guint             capi_sandbox_get_capacity    (CapiSandbox      *self);
/* Events received since creation or the last clear (not capped). */
guint64           capi_sandbox_get_n_events    (CapiSandbox      *self);
/* Requests answered since creation or the last clear, faults included. */
guint64           capi_sandbox_get_n_requests  (CapiSandbox      *self);
void              capi_sandbox_clear           (CapiSandbox      *self);

/* The path and query of a request URI with access_token's value replaced
 * by "…".  (transfer full) */
char             *capi_sandbox_redact_path     (GUri             *uri);

G_END_DECLS
