/* capi-event.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The shape a document was read from. */
typedef enum
{
  CAPI_EVENT_FORMAT_UNKNOWN = 0,
  CAPI_EVENT_FORMAT_V3_BODY,   /* {"data": [event, ...]} */
  CAPI_EVENT_FORMAT_V3_EVENT,  /* one v3 event object */
  CAPI_EVENT_FORMAT_V2,        /* one v2 event object or an array of them */
  CAPI_EVENT_FORMAT_ATS,       /* {"events": [...]} for LiveRamp's adapter */
  CAPI_EVENT_FORMAT_JSONL,     /* one v3, v2 or ATS event per line */
} CapiEventFormat;

#define CAPI_EVENT_ERROR (capi_event_error_quark ())

typedef enum
{
  CAPI_EVENT_ERROR_EMPTY,        /* zero bytes or only white space */
  CAPI_EVENT_ERROR_ENCODING,     /* not UTF-8 (message names the byte offset) */
  CAPI_EVENT_ERROR_SYNTAX,       /* malformed JSON (message names line:column) */
  CAPI_EVENT_ERROR_SHAPE,        /* valid JSON that is no known event document */
  CAPI_EVENT_ERROR_TYPE,         /* a member of the wrong JSON type (message names the path) */
  CAPI_EVENT_ERROR_TOO_LARGE,    /* larger than CAPI_EVENT_MAX_DOCUMENT_SIZE */
} CapiEventError;

/* Documents larger than this are refused with CAPI_EVENT_ERROR_TOO_LARGE. */
#define CAPI_EVENT_MAX_DOCUMENT_SIZE (32 * 1024 * 1024)

#define CAPI_TYPE_EVENT (capi_event_get_type ())
G_DECLARE_FINAL_TYPE (CapiEvent, capi_event, CAPI, EVENT, GObject)

/*
 * A CapiEvent holds the *raw* values of one conversion event, as given, in
 * the v3 vocabulary: top-level members (event_name, event_time,
 * action_source, event_id, event_source_url, integration, opt_out,
 * data_processing_options, ...) and the nested objects user_data,
 * custom_data and app_data.  A v2 or ATS event is mapped to v3 keys when
 * read (spec §2 and §3: v2 timestamp milliseconds become event_time seconds);
 * the original key names are remembered so that paths can name them.
 *
 * Members are addressed by a dotted key: "event_name", "user_data.em",
 * "custom_data.value".  Values are JsonNodes; user_data identifiers may be a
 * string or an array of strings.
 *
 * "changed" is emitted after every setter that changes something.
 */

GQuark           capi_event_error_quark        (void);

CapiEvent       *capi_event_new                (void);
CapiEvent       *capi_event_new_from_object    (JsonObject       *object,
                                                GError          **error);
CapiEvent       *capi_event_copy               (CapiEvent        *self);

/* Reading documents.  Returns (element-type CapiEvent) (transfer full). */
GPtrArray       *capi_event_read_document      (const char       *data,
                                                gssize            length,
                                                CapiEventFormat  *out_format,
                                                GError          **error);
GPtrArray       *capi_event_read_file          (const char       *filename,
                                                CapiEventFormat  *out_format,
                                                GError          **error);
void             capi_event_read_file_async    (GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray       *capi_event_read_file_finish   (GAsyncResult     *result,
                                                CapiEventFormat  *out_format,
                                                GError          **error);
const char      *capi_event_format_to_string   (CapiEventFormat   format);

/* Where the event came from. */
CapiEventFormat  capi_event_get_source_format  (CapiEvent        *self);
/* Path prefix of this event in its document: "data[0]", "events[2]", "[1]"
 * (v2 array or JSON Lines, 0-based), or "" for a single event object. */
const char      *capi_event_get_path_prefix    (CapiEvent        *self);
/* 1-based line in a JSON Lines document, 0 otherwise. */
guint            capi_event_get_line           (CapiEvent        *self);
/* The full JSON path of a member as the *source document* names it, e.g.
 * "data[0].user_data.em[0]" or, for v2, "[0].hashed_email".  index < 0
 * leaves out the array index, and so does a member given as a single
 * value rather than an array (there is no [0] in the document to point
 * at).  (transfer full) */
char            *capi_event_dup_path           (CapiEvent        *self,
                                                const char       *key,
                                                int               index);

/* Generic access by dotted key (one or two levels). */
JsonNode        *capi_event_get_member         (CapiEvent        *self,
                                                const char       *key);
gboolean         capi_event_has_member         (CapiEvent        *self,
                                                const char       *key);
/* value is copied (transfer none); NULL removes the member. */
void             capi_event_set_member         (CapiEvent        *self,
                                                const char       *key,
                                                JsonNode         *value);
void             capi_event_remove_member      (CapiEvent        *self,
                                                const char       *key);
/* Convenience: a string value (a number is formatted), or NULL. */
char            *capi_event_dup_string         (CapiEvent        *self,
                                                const char       *key);
/* NULL or "" removes the member. */
void             capi_event_set_string         (CapiEvent        *self,
                                                const char       *key,
                                                const char       *value);
/* All values of a member that may be a string or an array of strings, in
 * order; empty strv when absent.  (transfer full) */
GStrv            capi_event_dup_strv           (CapiEvent        *self,
                                                const char       *key);
/* NULL or empty removes; one element is stored as an array too. */
void             capi_event_set_strv           (CapiEvent        *self,
                                                const char       *key,
                                                const char * const *values);

/* The event's raw values as a v3-shaped object (what "Save event" writes).
 * (transfer full) */
JsonObject      *capi_event_to_object          (CapiEvent        *self);
char            *capi_event_to_json            (CapiEvent        *self,
                                                gboolean          pretty);
/* The underlying object, borrowed; do not modify. */
JsonObject      *capi_event_get_object         (CapiEvent        *self);

G_END_DECLS
