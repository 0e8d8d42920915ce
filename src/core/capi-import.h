/* capi-import.h -- readers for what the pixel fired and what the server sent
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "capi-conversion.h"

G_BEGIN_DECLS

/* What a file turned out to be; detected from its content, never its name. */
typedef enum
{
  CAPI_IMPORT_KIND_UNKNOWN = 0,
  CAPI_IMPORT_KIND_HAR,            /* browser DevTools export */
  CAPI_IMPORT_KIND_SNAPTR,         /* snaptr('init'|'track', ...) calls */
  CAPI_IMPORT_KIND_JSON,           /* one JSON document: rows, v3/v2/ATS body, logs response */
  CAPI_IMPORT_KIND_JSON_LINES,     /* one JSON value per line: rows, events, bodies, history */
  CAPI_IMPORT_KIND_CSV,            /* header row naming pixel_id, event_name, ... */
} CapiImportKind;

#define CAPI_IMPORT_ERROR (capi_import_error_quark ())

typedef enum
{
  CAPI_IMPORT_ERROR_EMPTY,         /* no bytes, or only white space */
  CAPI_IMPORT_ERROR_UNKNOWN_KIND,  /* content matches no reader */
  CAPI_IMPORT_ERROR_NOTHING_READ,  /* a reader matched but every entry was bad */
} CapiImportError;

/* Called now and then with bytes read so far; may run in a worker thread. */
typedef void (*CapiImportProgress) (guint64  done,
                                    guint64  total,
                                    gpointer user_data);

GQuark          capi_import_error_quark     (void);
const char     *capi_import_kind_to_string  (CapiImportKind      kind);
CapiImportKind  capi_import_detect_kind     (const char         *data,
                                             gsize               length);

/*
 * Reads one file (streaming; any size) and returns its conversions
 * (element-type CapiConversion) (transfer full).  Entries that do not parse
 * are skipped and described in @out_problems (element-type CapiFinding:
 * path "FILE:LINE", code "import-syntax", "import-truncated",
 * "import-shape" or "import-time"); everything that did parse is kept.
 * Fails only when the file cannot be read, its kind is unknown, or nothing
 * at all could be read.  For millions of events use CapiDedup, which keeps
 * conversions compact and makes objects on demand.
 */
GPtrArray      *capi_import_file            (const char         *filename,
                                             CapiConversionSide  side,
                                             const char         *default_pixel_id,
                                             CapiImportKind     *out_kind,
                                             GPtrArray         **out_problems,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* The same for text in memory (a pasted snippet); @source_name labels it. */
GPtrArray      *capi_import_data            (const char         *data,
                                             gssize              length,
                                             const char         *source_name,
                                             CapiConversionSide  side,
                                             const char         *default_pixel_id,
                                             CapiImportKind     *out_kind,
                                             GPtrArray         **out_problems,
                                             GError            **error);

G_END_DECLS
