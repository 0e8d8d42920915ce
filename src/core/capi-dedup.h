/* capi-dedup.h -- what Snap counts when the pixel and the server both report
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "capi-conversion.h"
#include "capi-dedup-report.h"
#include "capi-dedup-row.h"

G_BEGIN_DECLS

/* Spec §4: 48 hours for the dedup id, 30 days for the transaction id. */
#define CAPI_DEDUP_DEFAULT_WINDOW           (48 * 3600)
#define CAPI_DEDUP_DEFAULT_PURCHASE_WINDOW  (30 * 24 * 3600)

#define CAPI_TYPE_DEDUP (capi_dedup_get_type ())
G_DECLARE_FINAL_TYPE (CapiDedup, capi_dedup, CAPI, DEDUP, GObject)

/*
 * The comparison: files for each side, the windows and the pixel for CAPI
 * events that name none.  A run reads every file (streaming, with
 * progress), joins the two sides and returns a CapiDedupReport.
 *
 * Rules, in order:
 *  1. Within a side, records with the same pixel and dedup id, the same
 *     event name and transaction id and within the window of the first are
 *     re-sends of one conversion and fold into it.  If a (pixel, dedup id)
 *     still holds several conversions, the id is reused: every conversion
 *     with that id, on either side, becomes an id-reused row, and Snap keeps
 *     the first arrival per event name within the window.
 *  2. CAPI event_id joins pixel client_dedup_id.  Same pixel (an unknown
 *     pixel matches any), same event, within the window: deduplicated.
 *     Otherwise the pair is double-counted: case-mismatch,
 *     event-name-mismatch, outside-window (unless a PURCHASE pair also
 *     shares its transaction id within the purchase window), or
 *     pixel-mismatch when only another pixel has the id.
 *  3. Left-over PURCHASE events join on transaction_id = order_id within
 *     the purchase window: purchase-matched-by-transaction-id.
 *  4. Left-over events of the same name and pixel within the window, at
 *     least one without an id and no two different transaction ids, are
 *     the same conversion reported twice:
 *     double-counted, id-missing-on-capi or id-missing-on-pixel.  Each
 *     CAPI event (in time order) takes the earliest such pixel event.
 *  5. The rest are pixel-only or capi-only.
 * An unknown time passes every window check; such rows are flagged.
 *
 * Typical use from a page: capi_dedup_add_file() for each dropped file
 * (for "use my History", capi_dedup_add_optional_file() with the files of
 * capi_history_get_file() and capi_history_get_rotated_file() on the CAPI
 * side, since either may not exist yet), bind a progress bar to
 * "progress", capi_dedup_run_async() with the page's GCancellable, then show
 * the report: it is a GListModel of CapiDedupRow ("class", "reason",
 * "event-name", "dedup-id", "pixel" and "capi" CapiConversions for the
 * side-by-side view, capi_dedup_row_dup_explanation() for the plain-words
 * reason and fix), capi_dedup_report_get_summary() for the figures,
 * capi_dedup_report_get_problems() for skipped entries and
 * capi_dedup_report_write() for CSV/JSON/Markdown export.
 */
CapiDedup       *capi_dedup_new                  (void);

gint64           capi_dedup_get_window           (CapiDedup           *self);
void             capi_dedup_set_window           (CapiDedup           *self,
                                                  gint64               seconds);
gint64           capi_dedup_get_purchase_window  (CapiDedup           *self);
void             capi_dedup_set_purchase_window  (CapiDedup           *self,
                                                  gint64               seconds);
const char      *capi_dedup_get_capi_pixel_id    (CapiDedup           *self);
void             capi_dedup_set_capi_pixel_id    (CapiDedup           *self,
                                                  const char          *pixel_id);
/* 0..1 while a run is under way (notified on the caller's main context). */
double           capi_dedup_get_progress         (CapiDedup           *self);

void             capi_dedup_add_file             (CapiDedup           *self,
                                                  CapiConversionSide   side,
                                                  const char          *filename);
void             capi_dedup_add_optional_file    (CapiDedup           *self,
                                                  CapiConversionSide   side,
                                                  const char          *filename);
void             capi_dedup_clear_files          (CapiDedup           *self);

/* Blocking; for the CLI and worker threads. */
CapiDedupReport *capi_dedup_run                  (CapiDedup           *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* In a worker thread, with "progress" notifications. */
void             capi_dedup_run_async            (CapiDedup           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
CapiDedupReport *capi_dedup_run_finish           (CapiDedup           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Compares conversions already in memory (pasted snippets, tests).
 * @pixel, @capi: (element-type CapiConversion) */
CapiDedupReport *capi_dedup_compare              (CapiDedup           *self,
                                                  GPtrArray           *pixel,
                                                  GPtrArray           *capi);

/* "48h", "30d", "90m", "3600s" or plain seconds; FALSE if not a duration. */
gboolean         capi_dedup_parse_duration       (const char          *text,
                                                  gint64              *out_seconds);

G_END_DECLS
