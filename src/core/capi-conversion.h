/* capi-conversion.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Which side of the comparison a conversion was reported on. */
typedef enum
{
  CAPI_CONVERSION_SIDE_PIXEL,
  CAPI_CONVERSION_SIDE_CAPI,
} CapiConversionSide;

/* A time that was not given (a snaptr call without a timestamp). */
#define CAPI_CONVERSION_TIME_UNKNOWN G_MININT64

#define CAPI_TYPE_CONVERSION (capi_conversion_get_type ())
G_DECLARE_FINAL_TYPE (CapiConversion, capi_conversion, CAPI, CONVERSION, GObject)

/*
 * One conversion as one side reported it, normalized for the comparison:
 * the pixel's client_dedup_id and the server's event_id are both the
 * "dedup id"; the pixel's transaction_id and the server's order_id are both
 * the "transaction id".  Times are Unix seconds, UTC.  Immutable.
 */
CapiConversion     *capi_conversion_new                (CapiConversionSide  side,
                                                        const char         *pixel_id,
                                                        const char         *event_name,
                                                        const char         *dedup_id,
                                                        const char         *transaction_id,
                                                        gint64              time);
CapiConversionSide  capi_conversion_get_side           (CapiConversion     *self);
/* NULL on the CAPI side when the event named no pixel: it matches any. */
const char         *capi_conversion_get_pixel_id       (CapiConversion     *self);
const char         *capi_conversion_get_event_name     (CapiConversion     *self);
const char         *capi_conversion_get_dedup_id       (CapiConversion     *self);
const char         *capi_conversion_get_transaction_id (CapiConversion     *self);
/* Unix seconds, or CAPI_CONVERSION_TIME_UNKNOWN. */
gint64              capi_conversion_get_time           (CapiConversion     *self);
gboolean            capi_conversion_has_time           (CapiConversion     *self);
/* ISO 8601 in UTC ("2026-11-23T19:00:00Z"), or NULL when unknown. (transfer full) */
char               *capi_conversion_dup_time_string    (CapiConversion     *self);

/* Where it was read: file name (or a label for pasted text) and 1-based
 * line or entry number. */
const char         *capi_conversion_get_source         (CapiConversion     *self);
guint               capi_conversion_get_line           (CapiConversion     *self);
void                capi_conversion_set_location       (CapiConversion     *self,
                                                        const char         *source,
                                                        guint               line);

/* Keys the importer did not map, as given (nullable, borrowed). */
JsonObject         *capi_conversion_get_extra          (CapiConversion     *self);
void                capi_conversion_set_extra          (CapiConversion     *self,
                                                        JsonObject         *extra);

const char         *capi_conversion_side_to_string     (CapiConversionSide  side);

G_END_DECLS
