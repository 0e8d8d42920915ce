/* capi-dedup-report.h -- the result of a pixel-vs-CAPI comparison
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "capi-dedup-row.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 pixel_events;        /* records read on each side, duplicates included */
  guint64 capi_events;
  guint64 deduplicated;        /* rows of each class */
  guint64 purchase_matched;
  guint64 double_counted;
  guint64 id_reused;
  guint64 pixel_only;
  guint64 capi_only;
  guint64 counted_by_snap;     /* conversions Snap would count */
  guint64 duplicates;          /* re-sends of one conversion within a side, folded */
  guint64 time_unknown;        /* rows whose window check passed on an unknown time */
  guint64 reasons[CAPI_DEDUP_N_REASONS];  /* double counts by reason */
  double  match_rate;          /* matched pairs / CAPI conversions, 0..1 */
} CapiDedupSummary;

typedef enum
{
  CAPI_DEDUP_FORMAT_TEXT,
  CAPI_DEDUP_FORMAT_JSON,
  CAPI_DEDUP_FORMAT_CSV,
  CAPI_DEDUP_FORMAT_MARKDOWN,
} CapiDedupFormat;

/* The orders a view can have (the table's columns). */
typedef enum
{
  CAPI_DEDUP_SORT_NONE,            /* the report's order */
  CAPI_DEDUP_SORT_CLASS,
  CAPI_DEDUP_SORT_REASON,
  CAPI_DEDUP_SORT_EVENT_NAME,
  CAPI_DEDUP_SORT_DEDUP_ID,
  CAPI_DEDUP_SORT_TRANSACTION_ID,
  CAPI_DEDUP_SORT_PIXEL_ID,
  CAPI_DEDUP_SORT_PIXEL_TIME,
  CAPI_DEDUP_SORT_CAPI_TIME,
  CAPI_DEDUP_SORT_DELTA,           /* CAPI time minus pixel time */
} CapiDedupSortKey;

/* Which rows a view shows, and how they are ordered. */
typedef struct
{
  guint             classes;       /* 1 << CapiDedupClassification for each class shown; 0: all */
  const char       *search;        /* case-insensitive part of an id, event name or pixel; NULL: all */
  CapiDedupSortKey  sort_key;
  gboolean          descending;    /* rows without a value sort last either way */
} CapiDedupViewOptions;

#define CAPI_TYPE_DEDUP_REPORT (capi_dedup_report_get_type ())
G_DECLARE_FINAL_TYPE (CapiDedupReport, capi_dedup_report, CAPI, DEDUP_REPORT, GObject)

/*
 * A CapiDedupReport is a GListModel of CapiDedupRow.  Rows are kept compact
 * and made into objects when asked for, so a report of millions of rows
 * is cheap to hold; do not expect the same object twice for one position.
 */
const CapiDedupSummary *capi_dedup_report_get_summary        (CapiDedupReport  *self);
gint64                  capi_dedup_report_get_window         (CapiDedupReport  *self);
gint64                  capi_dedup_report_get_purchase_window (CapiDedupReport *self);
/* The class of a row without making an object (for filters). */
CapiDedupClassification          capi_dedup_report_get_row_class      (CapiDedupReport  *self,
                                                              guint             position);
/* Import problems, (element-type CapiFinding) (transfer none). */
GListModel             *capi_dedup_report_get_problems       (CapiDedupReport  *self);
guint64                 capi_dedup_report_get_n_problems     (CapiDedupReport  *self);

/* Writes the report.  Text and Markdown list the rows that need
 * attention (double counts, reused ids); JSON and CSV list every row
 * unless @summary_only. */
gboolean                capi_dedup_report_write              (CapiDedupReport  *self,
                                                              CapiDedupFormat   format,
                                                              gboolean          summary_only,
                                                              GOutputStream    *stream,
                                                              GCancellable     *cancellable,
                                                              GError          **error);
CapiDedupReport        *capi_dedup_report_dup_view           (CapiDedupReport             *self,
                                                              const CapiDedupViewOptions  *options,
                                                              GCancellable                *cancellable);
gboolean                capi_dedup_format_from_string        (const char       *text,
                                                              CapiDedupFormat  *out_format);

G_END_DECLS
