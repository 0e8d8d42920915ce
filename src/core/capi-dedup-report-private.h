/* capi-dedup-report-private.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "capi-dedup-report.h"
#include "capi-import-private.h"

G_BEGIN_DECLS

/* One row, compact: indices into the two stores (-1: that side is absent). */
typedef struct
{
  guint8  klass;
  guint8  reason;
  guint8  counted;
  guint8  time_unknown;
  gint32  pixel;
  gint32  capi;
} CapiDedupRowData;

/* Takes ownership of the stores and rows. */
CapiDedupReport *_capi_dedup_report_new (CapiRecordStore        *pixel,
                                         CapiRecordStore        *capi,
                                         GArray                 *rows,
                                         const CapiDedupSummary *summary,
                                         gint64                  window,
                                         gint64                  purchase_window);

G_END_DECLS
