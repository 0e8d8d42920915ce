/* capi-dedup-row.h -- one line of a pixel-vs-CAPI comparison
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "capi-conversion.h"

G_BEGIN_DECLS

/* What Snap does with a conversion reported by the pixel, the server, or both. */
typedef enum
{
  CAPI_DEDUP_CLASS_DEDUPLICATED,          /* a pair, same event, within the window: counted once */
  CAPI_DEDUP_CLASS_PURCHASE_MATCHED,      /* PURCHASE pair joined by transaction_id = order_id */
  CAPI_DEDUP_CLASS_DOUBLE_COUNTED,        /* the same conversion counted twice; see the reason */
  CAPI_DEDUP_CLASS_ID_REUSED,             /* one id on several conversions of a side: undercount */
  CAPI_DEDUP_CLASS_PIXEL_ONLY,
  CAPI_DEDUP_CLASS_CAPI_ONLY,
  CAPI_DEDUP_N_CLASSES,
} CapiDedupClassification;

typedef enum
{
  CAPI_DEDUP_REASON_NONE,
  CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI,
  CAPI_DEDUP_REASON_ID_MISSING_ON_PIXEL,
  CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH,
  CAPI_DEDUP_REASON_PIXEL_MISMATCH,
  CAPI_DEDUP_REASON_OUTSIDE_WINDOW,
  CAPI_DEDUP_REASON_CASE_MISMATCH,
  CAPI_DEDUP_N_REASONS,
} CapiDedupReason;

#define CAPI_TYPE_DEDUP_ROW (capi_dedup_row_get_type ())
G_DECLARE_FINAL_TYPE (CapiDedupRow, capi_dedup_row, CAPI, DEDUP_ROW, GObject)

CapiDedupRow    *capi_dedup_row_new                (CapiDedupClassification   klass,
                                                    CapiDedupReason  reason,
                                                    CapiConversion  *pixel,
                                                    CapiConversion  *capi,
                                                    guint            counted);
CapiDedupClassification   capi_dedup_row_get_class          (CapiDedupRow    *self);
CapiDedupReason  capi_dedup_row_get_reason         (CapiDedupRow    *self);
/* (nullable) (transfer none) */
CapiConversion  *capi_dedup_row_get_pixel          (CapiDedupRow    *self);
CapiConversion  *capi_dedup_row_get_capi           (CapiDedupRow    *self);
/* How many conversions Snap counts for this row (0, 1 or 2). */
guint            capi_dedup_row_get_counted        (CapiDedupRow    *self);
/* The values shown in the table, taken from the pixel side when it has them. */
const char      *capi_dedup_row_get_pixel_id       (CapiDedupRow    *self);
const char      *capi_dedup_row_get_event_name     (CapiDedupRow    *self);
const char      *capi_dedup_row_get_dedup_id       (CapiDedupRow    *self);
const char      *capi_dedup_row_get_transaction_id (CapiDedupRow    *self);
/* CAPI time minus pixel time; FALSE when a side or a time is missing. */
gboolean         capi_dedup_row_get_delta          (CapiDedupRow    *self,
                                                    gint64          *out_seconds);
/* A side's time was unknown, so the window check passed unseen. */
gboolean         capi_dedup_row_get_time_unknown   (CapiDedupRow    *self);
/* What happened and how to fix it, in plain words (translated). (transfer full) */
char            *capi_dedup_row_dup_explanation    (CapiDedupRow    *self);

/* Stable machine names: "deduplicated", "id-missing-on-capi", ... */
const char      *capi_dedup_class_to_string        (CapiDedupClassification   klass);
const char      *capi_dedup_reason_to_string       (CapiDedupReason  reason);
/* Short translated labels for tables and filters. */
const char      *capi_dedup_class_get_label        (CapiDedupClassification   klass);
const char      *capi_dedup_reason_get_label       (CapiDedupReason  reason);
gboolean         capi_dedup_class_from_string      (const char      *text,
                                                    CapiDedupClassification  *out_class);

G_END_DECLS
