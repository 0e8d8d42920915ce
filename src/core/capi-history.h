/* capi-history.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "capi-exchange.h"

G_BEGIN_DECLS

/* history.jsonl is rotated to history.1.jsonl once it would grow past this. */
#define CAPI_HISTORY_DEFAULT_MAX_SIZE (16 * 1024 * 1024)

#define CAPI_HISTORY_ERROR (capi_history_error_quark ())

typedef enum
{
  CAPI_HISTORY_ERROR_UNSAFE,   /* the record would hold a secret */
} CapiHistoryError;

/* All members optional: NULL / -1 / 0 match anything. */
typedef struct
{
  GDateTime  *since;        /* started at or after */
  GDateTime  *until;        /* started before */
  int         destination;  /* a CapiDestinationKind, or -1 */
  const char *event_name;
  guint       status;       /* HTTP status, 0 for any */
  const char *event_id;
  int         outcome;      /* a CapiExchangeOutcome, or -1 */
} CapiHistoryQuery;

#define CAPI_HISTORY_QUERY_INIT { NULL, NULL, -1, NULL, 0, NULL, -1 }

#define CAPI_TYPE_HISTORY (capi_history_get_type ())
G_DECLARE_FINAL_TYPE (CapiHistory, capi_history, CAPI, HISTORY, GObject)

/*
 * The persistent log of exchanges, and a GListModel of CapiExchange in the
 * order they were recorded (oldest first).
 *
 * The file is JSON Lines: one capi_exchange_to_json() record per line.  An
 * append writes the whole line with one write, then fsync()s before it
 * reports success; it never rewrites what is there, and if the file ends in
 * a torn line (a writer killed mid-append) the new record starts on a line
 * of its own.  Loading skips lines that are not records, with a warning that
 * names the file and line, and keeps every good line.
 */

GQuark        capi_history_error_quark      (void);

/* @file: (nullable): NULL for $XDG_DATA_HOME/capi-inspector/history.jsonl */
CapiHistory  *capi_history_new              (GFile        *file);
GFile        *capi_history_get_file         (CapiHistory  *self);
/* history.1.jsonl beside the file. */
GFile        *capi_history_get_rotated_file (CapiHistory  *self);
guint64       capi_history_get_max_size     (CapiHistory  *self);
void          capi_history_set_max_size     (CapiHistory  *self,
                                             guint64       max_size);

/* Replaces the model's contents with the rotated file then the file. */
void          capi_history_load_async       (CapiHistory          *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      capi_history_load_finish      (CapiHistory          *self,
                                             GAsyncResult         *result,
                                             GError              **error);
gboolean      capi_history_load             (CapiHistory          *self,
                                             GCancellable         *cancellable,
                                             GError              **error);
/* Lines skipped by the last load, e.g. "history.jsonl:7: …; line skipped".
 * (transfer none) (element-type utf8) */
GPtrArray    *capi_history_get_warnings     (CapiHistory          *self);

/* Writes @exchange durably, then adds it to the model. */
void          capi_history_append_async     (CapiHistory          *self,
                                             CapiExchange         *exchange,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      capi_history_append_finish    (CapiHistory          *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* Blocking variant for the command line. */
gboolean      capi_history_append           (CapiHistory          *self,
                                             CapiExchange         *exchange,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Deletes the file and the rotated file (under the append lock), then
 * empties the model.  For the GUI's "Clear history", after confirmation. */
void          capi_history_clear_async      (CapiHistory          *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      capi_history_clear_finish     (CapiHistory          *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Matching exchanges in model order.  (element-type CapiExchange) (transfer full) */
GPtrArray    *capi_history_query            (CapiHistory            *self,
                                             const CapiHistoryQuery *query);

G_END_DECLS
