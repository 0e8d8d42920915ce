/* capi-import-private.h -- the compact record store shared by the importers
 * and the dedup engine.  A million conversions as GObjects would cost
 * several hundred megabytes; records are plain structs whose strings live
 * in GStringChunks, and GObjects are made only for what is looked at.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "capi-conversion.h"
#include "capi-finding.h"
#include "capi-import.h"

G_BEGIN_DECLS

typedef struct
{
  const char *pixel_id;        /* NULL: not known (CAPI side: any pixel) */
  const char *event_name;      /* never NULL */
  const char *dedup_id;        /* NULL when absent */
  const char *transaction_id;  /* NULL when absent */
  const char *extra;           /* JSON object text of unmapped keys, or NULL */
  gint64      time;            /* Unix seconds or CAPI_CONVERSION_TIME_UNKNOWN */
  guint32     line;            /* 1-based line or entry */
  guint32     source;          /* index into CapiRecordStore.sources */
  guint32     id_hash;         /* _capi_import_hash (dedup_id), 0 when absent */
} CapiRecord;

typedef struct
{
  CapiConversionSide  side;
  GArray             *records;    /* CapiRecord */
  GStringChunk       *strings;    /* where new strings go */
  GPtrArray          *chunks;     /* GStringChunk, kept alive for merged records */
  GPtrArray          *sources;    /* char *, file names or labels */
  GPtrArray          *problems;   /* CapiFinding, the first CAPI_IMPORT_MAX_PROBLEMS */
  guint64             n_problems; /* all of them */
} CapiRecordStore;

/* Problems kept per store; the rest are only counted. */
#define CAPI_IMPORT_MAX_PROBLEMS 1000

CapiRecordStore *_capi_record_store_new        (CapiConversionSide  side);
void             _capi_record_store_free       (CapiRecordStore    *store);
/* Moves every record, string chunk and problem of @other into @store. */
void             _capi_record_store_absorb     (CapiRecordStore    *store,
                                                CapiRecordStore    *other);
void             _capi_record_store_problem    (CapiRecordStore    *store,
                                                const char         *source,
                                                guint               line,
                                                const char         *code,
                                                const char         *message);
CapiConversion  *_capi_record_to_conversion    (CapiRecordStore    *store,
                                                const CapiRecord   *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapiRecordStore, _capi_record_store_free)

/* Reads @filename into @store, in place: the streaming path every public
 * entry point uses.  @default_pixel_id fills CAPI events that name none. */
gboolean         _capi_import_file_into        (CapiRecordStore    *store,
                                                const char         *filename,
                                                const char         *default_pixel_id,
                                                CapiImportProgress  progress,
                                                gpointer            progress_data,
                                                CapiImportKind     *out_kind,
                                                GCancellable       *cancellable,
                                                GError            **error);
gboolean         _capi_import_data_into        (CapiRecordStore    *store,
                                                const char         *data,
                                                gsize               length,
                                                const char         *source_name,
                                                const char         *default_pixel_id,
                                                CapiImportKind     *out_kind,
                                                GError            **error);
/* Reads @data as _capi_import_file_into reads a file with that content:
 * JSON Lines and CSV go through the file's streaming line reader (which,
 * unlike _capi_import_data_into, has no up-front UTF-8 check), the rest
 * through _capi_import_data_into.  For the fuzzers, which cannot afford a
 * temporary file per input. */
gboolean         _capi_import_data_as_file_into (CapiRecordStore  *store,
                                                 const char       *data,
                                                 gsize             length,
                                                 const char       *source_name,
                                                 const char       *default_pixel_id,
                                                 CapiImportKind   *out_kind,
                                                 GError          **error);

/* The string hash the join uses; computed while the id is still in cache. */
static inline guint32
_capi_import_hash (const char *s)
{
  guint32 h = 2166136261u;   /* FNV-1a */

  if (s == NULL)
    return 0;
  for (; *s; s++)
    h = (h ^ (guint8)*s) * 16777619u;
  return h | 1;              /* never 0 */
}

/* Time values: seconds, milliseconds (13 digits) or ISO 8601; UTC. */
gboolean         _capi_import_parse_time       (const char         *text,
                                                gsize               length,
                                                gint64             *out_seconds);

G_END_DECLS
