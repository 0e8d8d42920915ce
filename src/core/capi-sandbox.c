/* capi-sandbox.c -- a local Snap CAPI v3 and ATS stand-in on a SoupServer
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <libsoup/soup.h>

#include "capi-destination.h"
#include "capi-event.h"
#include "capi-finding.h"
#include "capi-lint.h"
#include "capi-sandbox.h"

/* Stats are kept per minute for the past hour (Snap's stats window). */
#define STATS_MINUTES 60
/* At most this many assets have stats; the least recently active goes first. */
#define STATS_MAX_ASSETS 256
/* Request bodies from this size on are judged in a worker thread. */
#define THREAD_THRESHOLD (64 * 1024)
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef enum
{
  ROUTE_NONE,
  ROUTE_EVENTS,
  ROUTE_VALIDATE,
  ROUTE_LOGS,
  ROUTE_STATS,
  ROUTE_ATS_SEND,
  ROUTE_ATS_REFRESH,
} Route;

typedef enum
{
  KIND_SNAP,
  KIND_ATS,
} RecordKind;

/* One received event as validate/logs shows it. */
typedef struct
{
  RecordKind  kind;
  char       *asset_id;
  JsonObject *log;
} EventRecord;

typedef struct
{
  gint64 minute[STATS_MINUTES];
  guint  count[STATS_MINUTES];
  gint64 latest;
} Counter;

typedef struct
{
  Counter test;
  Counter live;
  gint64  last_seen;
} AssetStats;

/* An answer held back by the latency setting. */
typedef struct
{
  CapiSandbox       *self;      /* borrowed: dispose removes every pending answer first */
  SoupServerMessage *msg;       /* owned */
  CapiSandboxFault   fault;
  GSource           *source;    /* owned */
} PendingAnswer;

struct _CapiSandbox
{
  GObject           parent_instance;

  /* Owned */
  SoupServer       *server;
  GMainContext     *context;   /* where the server runs (thread-default at start) */
  GCancellable     *cancellable;  /* for judgements in flight; one per start */
  GQueue            records;   /* EventRecord *, oldest at the head */
  GHashTable       *stats;     /* asset id -> AssetStats * */
  GHashTable       *pending;   /* PendingAnswer * set */
  GHashTable       *idle;      /* GSocket * -> GSource * watching an idle connection */
  GRand            *rand;

  char             *host;      /* listening address, as text */
  gboolean          ipv6;
  guint             port;
  guint             latency;
  CapiSandboxFault  fault;
  int               fault_count;
  double            fail_rate;
  guint             retry_after;
  gint64            fixed_time;
  guint             capacity;
  guint64           n_events;
  guint64           n_requests;
};

G_DEFINE_FINAL_TYPE (CapiSandbox, capi_sandbox, G_TYPE_OBJECT)

G_DEFINE_QUARK (capi-sandbox-error-quark, capi_sandbox_error)

G_DEFINE_ENUM_TYPE (CapiSandboxFault, capi_sandbox_fault,
  G_DEFINE_ENUM_VALUE (CAPI_SANDBOX_FAULT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (CAPI_SANDBOX_FAULT_RATE_LIMIT, "rate-limit"),
  G_DEFINE_ENUM_VALUE (CAPI_SANDBOX_FAULT_SERVER_ERROR, "server-error"),
  G_DEFINE_ENUM_VALUE (CAPI_SANDBOX_FAULT_DROP, "drop"),
  G_DEFINE_ENUM_VALUE (CAPI_SANDBOX_FAULT_TRUNCATE, "truncate"))

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PORT,
  PROP_LATENCY,
  PROP_FAULT,
  PROP_FAULT_COUNT,
  PROP_FAIL_RATE,
  PROP_RETRY_AFTER,
  PROP_FIXED_TIME,
  PROP_CAPACITY,
  N_PROPS
};

enum {
  REQUEST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
event_record_free (EventRecord *record)
{
  g_free (record->asset_id);
  g_clear_pointer (&record->log, json_object_unref);
  g_free (record);
}

static void
pending_answer_free (PendingAnswer *pending)
{
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_clear_pointer (&pending->source, g_source_unref);
    }
  g_clear_object (&pending->msg);
  g_free (pending);
}

static gint64
sandbox_now (CapiSandbox *self)
{
  if (self->fixed_time != 0)
    return self->fixed_time;

  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Statistics */

static void
counter_add (Counter *counter,
             gint64   now,
             guint    n)
{
  gint64 minute = now / 60;
  guint slot = (guint)(minute % STATS_MINUTES);

  if (counter->minute[slot] != minute)
    {
      counter->minute[slot] = minute;
      counter->count[slot] = 0;
    }
  counter->count[slot] += n;
  counter->latest = MAX (counter->latest, now);
}

static guint
counter_past_hour (const Counter *counter,
                   gint64         now)
{
  gint64 minute = now / 60;
  guint total = 0;

  for (guint i = 0; i < STATS_MINUTES; i++)
    if (counter->count[i] > 0 && minute - counter->minute[i] < STATS_MINUTES &&
        counter->minute[i] <= minute)
      total += counter->count[i];

  return total;
}

static void
stats_add (CapiSandbox *self,
           const char  *asset_id,
           gboolean     test,
           guint        n)
{
  AssetStats *stats;
  gint64 now = sandbox_now (self);

  stats = g_hash_table_lookup (self->stats, asset_id);
  if (stats == NULL)
    {
      if (g_hash_table_size (self->stats) >= STATS_MAX_ASSETS)
        {
          GHashTableIter iter;
          gpointer key, value;
          const char *oldest = NULL;
          gint64 oldest_seen = G_MAXINT64;

          g_hash_table_iter_init (&iter, self->stats);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (((AssetStats *)value)->last_seen < oldest_seen)
              {
                oldest_seen = ((AssetStats *)value)->last_seen;
                oldest = key;
              }
          g_hash_table_remove (self->stats, oldest);
        }

      stats = g_new0 (AssetStats, 1);
      g_hash_table_insert (self->stats, g_strdup (asset_id), stats);
    }

  stats->last_seen = now;
  counter_add (test ? &stats->test : &stats->live, now, n);
}

static JsonNode *
counter_to_node (const Counter *counter,
                 gint64         now)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_int_member (object, "latest_event_ts", counter != NULL ? counter->latest : 0);
  json_object_set_int_member (object, "event_count_past_hour",
                              counter != NULL ? counter_past_hour (counter, now) : 0);

  return json_node_init_object (json_node_alloc (), object);
}

/* Answers */

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

/* {"status": STATUS, "reason": REASON}, the smallest shape every Snap answer has. */
static void
set_status_response (SoupServerMessage *msg,
                     guint              http_status,
                     const char        *status,
                     const char        *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "status", status);
  json_object_set_string_member (object, "reason", reason);
  set_json_response (msg, http_status, object);
}

/* "data[0].user_data.em[0]: message", so the place travels with the text. */
static char *
finding_dup_message (CapiFinding *finding)
{
  const char *path = capi_finding_get_path (finding);

  if (path != NULL && *path != '\0')
    return g_strdup_printf ("%s: %s", path, capi_finding_get_message (finding));

  return g_strdup (capi_finding_get_message (finding));
}

/* {"codes": [...], "error_msgs": [...]} from error findings. */
static JsonObject *
errors_object_new (GPtrArray *findings)
{
  JsonObject *errors = json_object_new ();
  g_autoptr(JsonArray) codes = json_array_new ();
  g_autoptr(JsonArray) messages = json_array_new ();

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *message = finding_dup_message (finding);

      json_array_add_string_element (codes, capi_finding_get_code (finding));
      json_array_add_string_element (messages, message);
    }

  json_object_set_array_member (errors, "codes", g_steal_pointer (&codes));
  json_object_set_array_member (errors, "error_msgs", g_steal_pointer (&messages));

  return errors;
}

static JsonArray *
records_array_new (GPtrArray *findings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      JsonObject *record = json_object_new ();

      json_object_set_string_member (record, "code", capi_finding_get_code (finding));
      json_object_set_string_member (record, "message", capi_finding_get_message (finding));
      json_object_set_string_member (record, "path", capi_finding_get_path (finding));
      json_array_add_object_element (array, record);
    }

  return array;
}

static JsonArray *
messages_array_new (GPtrArray *findings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      g_autofree char *message = finding_dup_message (g_ptr_array_index (findings, i));

      json_array_add_string_element (array, message);
    }

  return array;
}

static void
copy_member (JsonObject *to,
             const char *to_key,
             CapiEvent  *event,
             const char *key)
{
  JsonNode *node = capi_event_get_member (event, key);

  if (node != NULL)
    json_object_set_member (to, to_key, json_node_copy (node));
}

static void
remember_event (CapiSandbox *self,
                RecordKind   kind,
                const char  *asset_id,
                gboolean     test,
                CapiEvent   *event,
                gboolean     valid,
                GPtrArray   *errors,
                GPtrArray   *warnings)
{
  EventRecord *record;
  JsonObject *metadata;

  if (self->capacity == 0)
    return;

  record = g_new0 (EventRecord, 1);
  record->kind = kind;
  record->asset_id = g_strdup (asset_id);
  record->log = json_object_new ();

  copy_member (record->log, "event_name", event, "event_name");
  copy_member (record->log, "event_time", event, "event_time");
  copy_member (record->log, "action_source", event, "action_source");
  json_object_set_string_member (record->log, "status", valid ? "VALID" : "INVALID");
  copy_member (record->log, "integration", event, "integration");
  json_object_set_string_member (record->log, "asset_id", asset_id);
  json_object_set_array_member (record->log, "error_records", records_array_new (errors));
  json_object_set_array_member (record->log, "warning_records", records_array_new (warnings));

  metadata = json_object_new ();
  copy_member (metadata, "event_id", event, "event_id");
  copy_member (metadata, "event_source_url", event, "event_source_url");
  json_object_set_boolean_member (metadata, "test_event", test);
  json_object_set_int_member (metadata, "received_time", sandbox_now (self));
  json_object_set_object_member (record->log, "event_metadata", metadata);

  g_queue_push_tail (&self->records, record);
  while (self->records.length > self->capacity)
    event_record_free (g_queue_pop_head (&self->records));
}

/* Splits the findings by event; document-wide ones (index < 0 or past the
 * last event) land in doc_errors / doc_warnings. */
static void
split_findings (GPtrArray *findings,
                GPtrArray *per_event_errors,
                GPtrArray *per_event_warnings,
                GPtrArray *doc_errors,
                GPtrArray *doc_warnings)
{
  guint n_events = per_event_errors->len;

  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      int index = capi_finding_get_event_index (finding);
      CapiSeverity severity = capi_finding_get_severity (finding);
      GPtrArray *target;

      if (severity == CAPI_SEVERITY_HINT)
        continue;

      if (index < 0 || (guint)index >= n_events)
        target = severity == CAPI_SEVERITY_ERROR ? doc_errors : doc_warnings;
      else
        target = g_ptr_array_index (severity == CAPI_SEVERITY_ERROR ? per_event_errors
                                                                    : per_event_warnings,
                                    index);
      g_ptr_array_add (target, g_object_ref (finding));
    }
}

static void
answer_read_error (SoupServerMessage *msg,
                   const GError      *error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(JsonArray) codes = json_array_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  const char *code = "INVALID_REQUEST_BODY";
  guint http_status = SOUP_STATUS_BAD_REQUEST;

  if (g_error_matches (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_TOO_LARGE))
    {
      code = "REQUEST_TOO_LARGE";
      http_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    }
  else if (g_error_matches (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_SYNTAX) ||
           g_error_matches (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_ENCODING) ||
           g_error_matches (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_EMPTY))
    {
      code = "INVALID_JSON";
    }

  json_array_add_string_element (codes, code);
  json_array_add_string_element (messages, error->message);
  json_object_set_array_member (errors, "codes", g_steal_pointer (&codes));
  json_object_set_array_member (errors, "error_msgs", g_steal_pointer (&messages));

  json_object_set_string_member (object, "status", "INVALID");
  json_object_set_string_member (object, "reason", error->message);
  json_object_set_object_member (object, "errors", g_steal_pointer (&errors));
  set_json_response (msg, http_status, object);
}

/* What the lint engine makes of one request body.  judge() only reads its
 * inputs, so it may run in a worker thread. */
typedef struct
{
  GBytes          *body;
  gboolean         ats;
  gint64           now;
  CapiEventFormat  format;
  GPtrArray       *events;     /* NULL when the body is unusable */
  GPtrArray       *findings;
  GError          *error;
} Judgement;

static void
judgement_free (Judgement *judgement)
{
  g_clear_pointer (&judgement->body, g_bytes_unref);
  g_clear_pointer (&judgement->events, g_ptr_array_unref);
  g_clear_pointer (&judgement->findings, g_ptr_array_unref);
  g_clear_error (&judgement->error);
  g_free (judgement);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Judgement, judgement_free)

static void
judge (Judgement *judgement)
{
  CapiEventFormat expected;
  gconstpointer data;
  gsize length;

  data = g_bytes_get_data (judgement->body, &length);
  judgement->events = capi_event_read_document (data, length, &judgement->format,
                                                &judgement->error);
  if (judgement->events == NULL)
    return;

  /* Snap takes {"data": [...]} only, the adapter {"events": [...]} only. */
  expected = judgement->ats ? CAPI_EVENT_FORMAT_ATS : CAPI_EVENT_FORMAT_V3_BODY;
  if (judgement->format != expected)
    {
      g_set_error (&judgement->error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_SHAPE,
                   _("Expected a %s document, got %s"),
                   capi_event_format_to_string (expected),
                   capi_event_format_to_string (judgement->format));
      g_clear_pointer (&judgement->events, g_ptr_array_unref);
      return;
    }

  if (judgement->events->len > 0)
    judgement->findings = capi_lint_run (judgement->events, judgement->format,
                                         judgement->ats ? CAPI_LINT_TARGET_ATS
                                                        : CAPI_LINT_TARGET_SNAP,
                                         judgement->now);
}

/* POST /v3/{asset}/events[/validate] and POST /send-events/{config}: the
 * answer to a judged body, and the events remembered. */
static void
answer_judgement (CapiSandbox       *self,
                  SoupServerMessage *msg,
                  Route              route,
                  const char        *asset_id,
                  Judgement         *judgement)
{
  GPtrArray *events = judgement->events;
  GPtrArray *findings = judgement->findings;
  g_autoptr(GPtrArray) doc_errors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) doc_warnings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) event_logs = NULL;
  g_autoptr(GPtrArray) errors = NULL;    /* per event: GPtrArray of CapiFinding */
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *reason = NULL;
  gboolean ats = route == ROUTE_ATS_SEND;
  gboolean test = route == ROUTE_VALIDATE;
  int first_invalid = -1;
  guint n_invalid = 0;

  if (events == NULL)
    {
      answer_read_error (msg, judgement->error);
      return;
    }

  if (events->len == 0)
    {
      set_status_response (msg, SOUP_STATUS_BAD_REQUEST, "INVALID",
                           _("The request contains no events"));
      return;
    }

  errors = g_ptr_array_new_full (events->len, (GDestroyNotify)g_ptr_array_unref);
  warnings = g_ptr_array_new_full (events->len, (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < events->len; i++)
    {
      g_ptr_array_add (errors, g_ptr_array_new_with_free_func (g_object_unref));
      g_ptr_array_add (warnings, g_ptr_array_new_with_free_func (g_object_unref));
    }
  split_findings (findings, errors, warnings, doc_errors, doc_warnings);

  if (test)
    event_logs = json_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      CapiEvent *event = g_ptr_array_index (events, i);
      GPtrArray *event_errors = g_ptr_array_index (errors, i);
      GPtrArray *event_warnings = g_ptr_array_index (warnings, i);
      gboolean valid = event_errors->len == 0 && doc_errors->len == 0;

      if (event_errors->len > 0)
        {
          n_invalid++;
          if (first_invalid < 0)
            first_invalid = (int)i;
        }

      if (event_logs != NULL)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_int_member (entry, "event", i);
          json_object_set_string_member (entry, "status", valid ? "VALID" : "INVALID");
          json_object_set_object_member (entry, "errors", errors_object_new (event_errors));
          json_object_set_array_member (entry, "warnings", messages_array_new (event_warnings));
          json_array_add_object_element (event_logs, entry);
        }

      remember_event (self, ats ? KIND_ATS : KIND_SNAP, asset_id, test, event, valid,
                      event_errors, event_warnings);
    }

  self->n_events += events->len;
  if (!ats)
    stats_add (self, asset_id, test, events->len);

  if (n_invalid == 0 && doc_errors->len == 0)
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event accepted",
                                             "%u events accepted", events->len),
                                events->len);
      json_object_set_string_member (object, "status", "VALID");
      if (test)
        json_object_set_boolean_member (object, "test_event", TRUE);
      json_object_set_string_member (object, "reason", reason);
      if (test)
        json_object_set_array_member (object, "event_logs", g_steal_pointer (&event_logs));
      set_json_response (msg, SOUP_STATUS_OK, object);
      return;
    }

  if (doc_errors->len > 0)
    {
      CapiFinding *finding = g_ptr_array_index (doc_errors, 0);

      reason = g_strdup (capi_finding_get_message (finding));
    }
  else
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event is invalid",
                                             "%u of %u events are invalid", events->len),
                                n_invalid, events->len);
    }

  json_object_set_string_member (object, "status", "INVALID");
  if (test)
    {
      json_object_set_boolean_member (object, "test_event", TRUE);
      json_object_set_string_member (object, "reason", reason);
      json_object_set_array_member (object, "event_logs", g_steal_pointer (&event_logs));
      /* Not in Snap's documented validate shape: problems of the request as
       * a whole (no single event to hang them on). */
      if (doc_errors->len > 0)
        json_object_set_object_member (object, "errors", errors_object_new (doc_errors));
    }
  else
    {
      json_object_set_string_member (object, "reason", reason);
      if (first_invalid >= 0)
        {
          json_object_set_int_member (object, "event", first_invalid);
          json_object_set_object_member (object, "errors",
                                         errors_object_new (g_ptr_array_index (errors,
                                                                               first_invalid)));
        }
      else
        {
          json_object_set_object_member (object, "errors", errors_object_new (doc_errors));
        }
    }

  set_json_response (msg, SOUP_STATUS_BAD_REQUEST, object);
}

/* GET /v3/{asset}/events/validate/logs: newest first. */
static void
answer_logs (CapiSandbox       *self,
             SoupServerMessage *msg,
             const char        *asset_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) logs = json_array_new ();

  for (GList *l = self->records.tail; l != NULL; l = l->prev)
    {
      EventRecord *record = l->data;

      if (record->kind == KIND_SNAP && g_str_equal (record->asset_id, asset_id))
        json_array_add_object_element (logs, json_object_ref (record->log));
    }

  json_object_set_string_member (object, "status", "SUCCESS");
  json_object_set_string_member (object, "reason", "");
  json_object_set_array_member (object, "logs", g_steal_pointer (&logs));
  set_json_response (msg, SOUP_STATUS_OK, object);
}

/* GET /v3/{asset}/events/validate/stats */
static void
answer_stats (CapiSandbox       *self,
              SoupServerMessage *msg,
              const char        *asset_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) stats_object = json_object_new ();
  AssetStats *stats = g_hash_table_lookup (self->stats, asset_id);
  gint64 now = sandbox_now (self);

  json_object_set_member (stats_object, "test",
                          counter_to_node (stats != NULL ? &stats->test : NULL, now));
  json_object_set_member (stats_object, "live",
                          counter_to_node (stats != NULL ? &stats->live : NULL, now));

  json_object_set_string_member (object, "status", "SUCCESS");
  json_object_set_string_member (object, "reason", "");
  json_object_set_object_member (object, "stats", g_steal_pointer (&stats_object));
  set_json_response (msg, SOUP_STATUS_OK, object);
}

/* GET /api/identity/v2/envelope/refresh?pid=&it=19&iv=ENVELOPE[&ct=&cv=] */
static void
answer_envelope_refresh (CapiSandbox       *self,
                         SoupServerMessage *msg,
                         GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *pid = query != NULL ? g_hash_table_lookup (query, "pid") : NULL;
  const char *it = query != NULL ? g_hash_table_lookup (query, "it") : NULL;
  const char *iv = query != NULL ? g_hash_table_lookup (query, "iv") : NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) envelopes = json_array_new ();
  g_autoptr(GChecksum) checksum = NULL;
  JsonObject *envelope;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autofree char *seed = NULL;
  g_autofree char *value = NULL;
  gint64 now = sandbox_now (self);

  if (pid == NULL || *pid == '\0' || iv == NULL || *iv == '\0')
    {
      set_status_response (msg, SOUP_STATUS_BAD_REQUEST, "FAILURE",
                           _("The pid and iv parameters are required"));
      return;
    }
  if (g_strcmp0 (it, "19") != 0)
    {
      set_status_response (msg, SOUP_STATUS_BAD_REQUEST, "FAILURE",
                           _("Only envelopes of type it=19 (CAPI) can be refreshed"));
      return;
    }
  if (soup_message_headers_get_one (headers, "Origin") == NULL)
    {
      set_status_response (msg, SOUP_STATUS_BAD_REQUEST, "FAILURE",
                           _("The Origin header is required"));
      return;
    }

  /* A fresh, opaque envelope: a digest of the old one, the placement and
   * the time, so that every refresh gives a new value. */
  seed = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%" G_GUINT64_FORMAT,
                          pid, iv, now, self->n_requests);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *)seed, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);

  envelope = json_object_new ();
  json_object_set_int_member (envelope, "type", 19);
  json_object_set_string_member (envelope, "source", "capi-inspector-sandbox");
  value = g_base64_encode (digest, digest_len);
  json_object_set_string_member (envelope, "value", value);
  json_array_add_object_element (envelopes, envelope);

  json_object_set_array_member (object, "envelopes", g_steal_pointer (&envelopes));
  set_json_response (msg, SOUP_STATUS_OK, object);
}

static Route
parse_route (const char  *path,
             char       **out_asset_id)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  *out_asset_id = NULL;

  if (g_str_equal (path, "/api/identity/v2/envelope/refresh"))
    return ROUTE_ATS_REFRESH;

  if (path[0] != '/')
    return ROUTE_NONE;

  parts = g_strsplit (path + 1, "/", 6);
  n = g_strv_length (parts);

  if (n == 2 && g_str_equal (parts[0], "send-events") && parts[1][0] != '\0')
    {
      *out_asset_id = g_strdup (parts[1]);
      return ROUTE_ATS_SEND;
    }

  if (n < 3 || !g_str_equal (parts[0], "v3") || parts[1][0] == '\0' ||
      !g_str_equal (parts[2], "events"))
    return ROUTE_NONE;

  *out_asset_id = g_strdup (parts[1]);

  if (n == 3)
    return ROUTE_EVENTS;
  if (n == 4 && g_str_equal (parts[3], "validate"))
    return ROUTE_VALIDATE;
  if (n == 5 && g_str_equal (parts[3], "validate") && g_str_equal (parts[4], "logs"))
    return ROUTE_LOGS;
  if (n == 5 && g_str_equal (parts[3], "validate") && g_str_equal (parts[4], "stats"))
    return ROUTE_STATS;

  g_clear_pointer (out_asset_id, g_free);
  return ROUTE_NONE;
}

static void judge_async (CapiSandbox       *self,
                         SoupServerMessage *msg,
                         Route              route,
                         const char        *asset_id,
                         const char        *redacted,
                         Judgement         *judgement);

/* Answers the request now and returns TRUE, or starts judging a large body
 * in a worker thread and returns FALSE (judged_cb finishes the request). */
static gboolean
answer_request (CapiSandbox       *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                const char        *redacted)
{
  g_autofree char *asset_id = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *token;
  Route route;
  gboolean post;

  route = parse_route (path, &asset_id);
  if (route == ROUTE_NONE)
    {
      set_status_response (msg, SOUP_STATUS_NOT_FOUND, "FAILURE", _("No such endpoint"));
      return TRUE;
    }

  post = route == ROUTE_EVENTS || route == ROUTE_VALIDATE || route == ROUTE_ATS_SEND;
  if (!g_str_equal (method, post ? "POST" : "GET"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", post ? "POST" : "GET");
      set_status_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, post ? "INVALID" : "FAILURE",
                           _("Method not allowed"));
      return TRUE;
    }

  /* Snap's v3 authenticates with the access_token query parameter; the
   * ATS adapter holds the Snap token itself, so its callers send none. */
  if (route != ROUTE_ATS_SEND && route != ROUTE_ATS_REFRESH)
    {
      token = query != NULL ? g_hash_table_lookup (query, "access_token") : NULL;
      if (token == NULL || *token == '\0')
        {
          set_status_response (msg, SOUP_STATUS_UNAUTHORIZED, post ? "INVALID" : "FAILURE",
                               _("Missing or empty access_token"));
          return TRUE;
        }
    }

  switch (route)
    {
    case ROUTE_EVENTS:
    case ROUTE_VALIDATE:
    case ROUTE_ATS_SEND:
      {
        g_autoptr(Judgement) judgement = g_new0 (Judgement, 1);

        judgement->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
        judgement->ats = route == ROUTE_ATS_SEND;
        judgement->now = sandbox_now (self);
        if (g_bytes_get_size (judgement->body) >= THREAD_THRESHOLD)
          {
            judge_async (self, msg, route, asset_id, redacted, g_steal_pointer (&judgement));
            return FALSE;
          }
        judge (judgement);
        answer_judgement (self, msg, route, asset_id, judgement);
      }
      break;

    case ROUTE_LOGS:
      answer_logs (self, msg, asset_id);
      break;

    case ROUTE_STATS:
      answer_stats (self, msg, asset_id);
      break;

    case ROUTE_ATS_REFRESH:
      answer_envelope_refresh (self, msg, query);
      break;

    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static void
apply_fault_answer (CapiSandbox       *self,
                    SoupServerMessage *msg,
                    CapiSandboxFault   fault)
{
  g_autofree char *seconds = NULL;

  switch (fault)
    {
    case CAPI_SANDBOX_FAULT_RATE_LIMIT:
      seconds = g_strdup_printf ("%u", self->retry_after);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", seconds);
      set_status_response (msg, STATUS_TOO_MANY_REQUESTS, "INVALID",
                           _("Too many requests"));
      break;

    case CAPI_SANDBOX_FAULT_SERVER_ERROR:
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      break;

    case CAPI_SANDBOX_FAULT_NONE:
    case CAPI_SANDBOX_FAULT_DROP:
    case CAPI_SANDBOX_FAULT_TRUNCATE:
    default:
      g_assert_not_reached ();
    }
}

/* Takes the connection away from libsoup and breaks it: closed at once, or
 * after a status line, headers announcing more than is sent and a partial body. */
static void
break_connection (SoupServerMessage *msg,
                  CapiSandboxFault   fault)
{
  static const char partial[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 64\r\n"
    "\r\n"
    "{\"status\": \"VAL";
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;

  if (fault == CAPI_SANDBOX_FAULT_TRUNCATE)
    {
      GOutputStream *out = g_io_stream_get_output_stream (stream);

      g_output_stream_write_all (out, partial, sizeof partial - 1, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
    }

  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
pending_answer_cb (gpointer user_data)
{
  PendingAnswer *pending = user_data;
  CapiSandbox *self = pending->self;

  if (pending->fault == CAPI_SANDBOX_FAULT_DROP ||
      pending->fault == CAPI_SANDBOX_FAULT_TRUNCATE)
    break_connection (pending->msg, pending->fault);
  else
    soup_server_message_unpause (pending->msg);

  g_hash_table_remove (self->pending, pending);

  return G_SOURCE_REMOVE;
}

static CapiSandboxFault
pick_fault (CapiSandbox *self)
{
  if (self->fault == CAPI_SANDBOX_FAULT_NONE || self->fault_count == 0)
    return CAPI_SANDBOX_FAULT_NONE;

  if (self->fail_rate < 1.0 && g_rand_double (self->rand) >= self->fail_rate)
    return CAPI_SANDBOX_FAULT_NONE;

  if (self->fault_count > 0)
    {
      self->fault_count--;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAULT_COUNT]);
    }

  return self->fault;
}

/* Reports the request and sends its answer, now or after the latency; the
 * message is already paused when an asynchronous judgement answered it. */
static void
finish_request (CapiSandbox       *self,
                SoupServerMessage *msg,
                const char        *redacted,
                CapiSandboxFault   fault,
                gboolean           paused)
{
  guint status;

  status = fault == CAPI_SANDBOX_FAULT_DROP ? 0
         : fault == CAPI_SANDBOX_FAULT_TRUNCATE ? SOUP_STATUS_OK
         : soup_server_message_get_status (msg);
  g_signal_emit (self, signals[REQUEST], 0, soup_server_message_get_method (msg),
                 redacted, status);

  if (self->latency > 0 || fault == CAPI_SANDBOX_FAULT_DROP ||
      fault == CAPI_SANDBOX_FAULT_TRUNCATE)
    {
      /* The connection is only ours to break once the handler has
       * returned, so breaking goes through the main loop too. */
      PendingAnswer *pending = g_new0 (PendingAnswer, 1);

      pending->self = self;
      pending->msg = g_object_ref (msg);
      pending->fault = fault;
      if (!paused)
        soup_server_message_pause (msg);
      /* In the server's own context, which need not be the global default. */
      pending->source = self->latency > 0 ? g_timeout_source_new (self->latency)
                                          : g_idle_source_new ();
      g_source_set_callback (pending->source, pending_answer_cb, pending, NULL);
      g_source_set_static_name (pending->source, "[capi-sandbox] held-back answer");
      g_source_attach (pending->source, self->context);
      g_hash_table_add (self->pending, pending);
    }
  else if (paused)
    {
      soup_server_message_unpause (msg);
    }
}

/* A large body judged in a worker thread, so that the server keeps answering
 * other connections meanwhile (and a second core helps). */
typedef struct
{
  SoupServerMessage *msg;
  Route              route;
  char              *asset_id;
  char              *redacted;
  Judgement         *judgement;
  GCancellable      *cancellable;   /* cancelled when the sandbox stops */
} JudgeJob;

static void
judge_job_free (JudgeJob *job)
{
  g_clear_object (&job->msg);
  g_free (job->asset_id);
  g_free (job->redacted);
  g_clear_pointer (&job->judgement, judgement_free);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
judge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  JudgeJob *job = task_data;

  judge (job->judgement);
  g_task_return_boolean (task, TRUE);
}

static void
judged_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CapiSandbox *self = CAPI_SANDBOX (source_object);
  JudgeJob *job = g_task_get_task_data (G_TASK (result));

  /* Stopped meanwhile: the message's connection is gone with the server. */
  if (g_cancellable_is_cancelled (job->cancellable))
    return;

  answer_judgement (self, job->msg, job->route, job->asset_id, job->judgement);
  finish_request (self, job->msg, job->redacted, CAPI_SANDBOX_FAULT_NONE, TRUE);
}

static void
judge_async (CapiSandbox       *self,
             SoupServerMessage *msg,
             Route              route,
             const char        *asset_id,
             const char        *redacted,
             Judgement         *judgement)
{
  g_autoptr(GTask) task = NULL;
  JudgeJob *job = g_new0 (JudgeJob, 1);

  job->msg = g_object_ref (msg);
  job->route = route;
  job->asset_id = g_strdup (asset_id);
  job->redacted = g_strdup (redacted);
  job->judgement = judgement;
  job->cancellable = g_object_ref (self->cancellable);

  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, judged_cb, NULL);
  g_task_set_source_tag (task, judge_async);
  g_task_set_task_data (task, job, (GDestroyNotify)judge_job_free);
  g_task_run_in_thread (task, judge_thread);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CapiSandbox *self = user_data;
  g_autofree char *redacted = NULL;
  CapiSandboxFault fault;

  self->n_requests++;
  redacted = capi_sandbox_redact_path (soup_server_message_get_uri (msg));

  fault = pick_fault (self);
  if (fault == CAPI_SANDBOX_FAULT_NONE)
    {
      if (!answer_request (self, msg, path, query, redacted))
        return;
    }
  else if (fault == CAPI_SANDBOX_FAULT_RATE_LIMIT || fault == CAPI_SANDBOX_FAULT_SERVER_ERROR)
    {
      apply_fault_answer (self, msg, fault);
    }

  finish_request (self, msg, redacted, fault, FALSE);
}

/* Idle connections.
 *
 * libsoup 3.2 (Debian 12) never releases a kept-alive connection that the
 * client closes while it is idle: the socket stays open in CLOSE-WAIT, so a
 * client that opens a connection per request (curl, libsoup's own POSTs)
 * would exhaust the file descriptors of a long-running `serve`.  After each
 * answer the sandbox watches the idle socket itself; when the peer has
 * closed it (a zero-byte peek), the socket is closed here.  A new request on
 * the connection only ends the watch; libsoup reads it as usual. */
static gboolean
idle_socket_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  CapiSandbox *self = user_data;
  g_autoptr(GError) error = NULL;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n = 0;

  if (!g_socket_is_closed (socket))
    n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);

  /* A spurious wake-up: still idle, keep watching. */
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  /* End of stream or a broken socket: the client is gone.  (n > 0 is the
   * next request, which libsoup reads.) */
  if (n <= 0)
    g_socket_close (socket, NULL);

  /* Destroys this source too. */
  g_hash_table_remove (self->idle, socket);

  return G_SOURCE_REMOVE;
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  CapiSandbox *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  GSource *source;

  if (socket == NULL || g_socket_is_closed (socket) ||
      g_hash_table_contains (self->idle, socket))
    return;

  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (idle_socket_cb), self, NULL);
  g_source_set_static_name (source, "[capi-sandbox] idle connection");
  g_source_attach (source, self->context);
  g_hash_table_insert (self->idle, g_object_ref (socket), source);
}

static void
idle_source_free (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* Refuses bodies larger than any document we would read before they are read. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GSocket *socket = soup_server_message_get_socket (msg);

  /* libsoup writes the status line and headers apart from the body; with
   * Nagle's algorithm the body then waits for the client's delayed ACK. */
  if (socket != NULL && g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > CAPI_EVENT_MAX_DOCUMENT_SIZE)
    {
      CapiSandbox *self = user_data;
      g_autofree char *redacted = capi_sandbox_redact_path (soup_server_message_get_uri (msg));

      /* The normal handler never sees this request: count and report it here. */
      set_status_response (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "INVALID",
                           _("The request body is too large"));
      self->n_requests++;
      g_signal_emit (self, signals[REQUEST], 0, soup_server_message_get_method (msg),
                     redacted, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
    }
}

static void
capi_sandbox_dispose (GObject *object)
{
  CapiSandbox *self = (CapiSandbox *)object;

  capi_sandbox_stop (self);

  G_OBJECT_CLASS (capi_sandbox_parent_class)->dispose (object);
}

static void
capi_sandbox_finalize (GObject *object)
{
  CapiSandbox *self = (CapiSandbox *)object;

  g_queue_clear_full (&self->records, (GDestroyNotify)event_record_free);
  g_clear_pointer (&self->stats, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->idle, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (capi_sandbox_parent_class)->finalize (object);
}

static void
capi_sandbox_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapiSandbox *self = CAPI_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, capi_sandbox_get_running (self));
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_LATENCY:
      g_value_set_uint (value, self->latency);
      break;

    case PROP_FAULT:
      g_value_set_enum (value, self->fault);
      break;

    case PROP_FAULT_COUNT:
      g_value_set_int (value, self->fault_count);
      break;

    case PROP_FAIL_RATE:
      g_value_set_double (value, self->fail_rate);
      break;

    case PROP_RETRY_AFTER:
      g_value_set_uint (value, self->retry_after);
      break;

    case PROP_FIXED_TIME:
      g_value_set_int64 (value, self->fixed_time);
      break;

    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_sandbox_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapiSandbox *self = CAPI_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_LATENCY:
      capi_sandbox_set_latency (self, g_value_get_uint (value));
      break;

    case PROP_FAULT:
      capi_sandbox_set_fault (self, g_value_get_enum (value));
      break;

    case PROP_FAULT_COUNT:
      capi_sandbox_set_fault_count (self, g_value_get_int (value));
      break;

    case PROP_FAIL_RATE:
      capi_sandbox_set_fail_rate (self, g_value_get_double (value));
      break;

    case PROP_RETRY_AFTER:
      capi_sandbox_set_retry_after (self, g_value_get_uint (value));
      break;

    case PROP_FIXED_TIME:
      capi_sandbox_set_fixed_time (self, g_value_get_int64 (value));
      break;

    case PROP_CAPACITY:
      /* construct-only */
      self->capacity = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_sandbox_class_init (CapiSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capi_sandbox_dispose;
  object_class->finalize = capi_sandbox_finalize;
  object_class->get_property = capi_sandbox_get_property;
  object_class->set_property = capi_sandbox_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LATENCY] =
    g_param_spec_uint ("latency", NULL, NULL, 0, 10 * 60 * 1000, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FAULT] =
    g_param_spec_enum ("fault", NULL, NULL, CAPI_TYPE_SANDBOX_FAULT, CAPI_SANDBOX_FAULT_NONE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FAULT_COUNT] =
    g_param_spec_int ("fault-count", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FAIL_RATE] =
    g_param_spec_double ("fail-rate", NULL, NULL, 0.0, 1.0, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RETRY_AFTER] =
    g_param_spec_uint ("retry-after", NULL, NULL, 0, 24 * 60 * 60, 1,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FIXED_TIME] =
    g_param_spec_int64 ("fixed-time", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 0, 1000000, CAPI_SANDBOX_DEFAULT_CAPACITY,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapiSandbox::request:
   * @method: the HTTP method
   * @path: path and query, the access token redacted
   * @status: the HTTP status answered, 0 for a dropped connection
   *
   * Emitted once per request, when its answer is decided.
   */
  signals[REQUEST] =
    g_signal_new ("request",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
capi_sandbox_init (CapiSandbox *self)
{
  g_queue_init (&self->records);
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify)pending_answer_free, NULL);
  self->idle = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify)idle_source_free);
  self->rand = g_rand_new ();
  self->fault_count = -1;
  self->fail_rate = 1.0;
  self->retry_after = 1;
  self->capacity = CAPI_SANDBOX_DEFAULT_CAPACITY;
}

/**
 * capi_sandbox_new:
 *
 * Returns: (transfer full): a stopped sandbox keeping the last
 *   %CAPI_SANDBOX_DEFAULT_CAPACITY events
 */
CapiSandbox *
capi_sandbox_new (void)
{
  return g_object_new (CAPI_TYPE_SANDBOX, NULL);
}

gboolean
capi_sandbox_start (CapiSandbox  *self,
                    guint         port,
                    const char   *host,
                    GError      **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSList) listeners = NULL;   /* (transfer container) */

  g_return_val_if_fail (CAPI_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    {
      g_set_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_RUNNING,
                   _("The sandbox is already running on port %u"), self->port);
      return FALSE;
    }

  address = g_inet_address_new_from_string (host != NULL ? host : "127.0.0.1");
  if (address == NULL)
    {
      g_set_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_ADDRESS,
                   _("“%s” is not an IP address"), host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (address, port);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  server = soup_server_new ("server-header", "capi-inspector-sandbox ", NULL);
  soup_server_add_early_handler (server, NULL, early_cb, self, NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  g_signal_connect_object (server, "request-finished", G_CALLBACK (request_finished_cb), self, 0);

  if (!soup_server_listen (server, socket_address, 0, &local_error))
    {
      g_set_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_LISTEN,
                   _("Cannot listen on %s port %u: %s"),
                   host != NULL ? host : "127.0.0.1", port, local_error->message);
      return FALSE;
    }

  /* The port actually bound (port 0 lets the kernel choose).  Asked of the
   * listening socket: soup_server_get_uris() leaks an address in 3.2. */
  listeners = soup_server_get_listeners (server);
  self->port = port;
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_free (self->host);
  self->host = g_inet_address_to_string (address);
  self->ipv6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  self->server = g_steal_pointer (&server);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

/**
 * capi_sandbox_stop:
 *
 * Closes the listening socket and every connection; answers held back by
 * the latency setting are dropped.  What was received is kept.
 */
void
capi_sandbox_stop (CapiSandbox *self)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));

  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->idle);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->server == NULL)
    return;

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  self->port = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
capi_sandbox_get_running (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), FALSE);

  return self->server != NULL;
}

guint
capi_sandbox_get_port (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->port;
}

char *
capi_sandbox_dup_uri (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), NULL);

  if (self->server == NULL)
    return NULL;

  if (self->ipv6)
    return g_strdup_printf ("http://[%s]:%u", self->host, self->port);

  return g_strdup_printf ("http://%s:%u", self->host, self->port);
}

guint
capi_sandbox_get_latency (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->latency;
}

void
capi_sandbox_set_latency (CapiSandbox *self,
                          guint        latency_ms)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));

  if (self->latency == latency_ms)
    return;

  self->latency = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
}

CapiSandboxFault
capi_sandbox_get_fault (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), CAPI_SANDBOX_FAULT_NONE);

  return self->fault;
}

void
capi_sandbox_set_fault (CapiSandbox      *self,
                        CapiSandboxFault  fault)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));
  g_return_if_fail (fault <= CAPI_SANDBOX_FAULT_TRUNCATE);

  if (self->fault == fault)
    return;

  self->fault = fault;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAULT]);
}

int
capi_sandbox_get_fault_count (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->fault_count;
}

void
capi_sandbox_set_fault_count (CapiSandbox *self,
                              int          count)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));
  g_return_if_fail (count >= -1);

  if (self->fault_count == count)
    return;

  self->fault_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAULT_COUNT]);
}

double
capi_sandbox_get_fail_rate (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0.0);

  return self->fail_rate;
}

void
capi_sandbox_set_fail_rate (CapiSandbox *self,
                            double       rate)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));
  g_return_if_fail (rate >= 0.0 && rate <= 1.0);

  if (self->fail_rate == rate)
    return;

  self->fail_rate = rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAIL_RATE]);
}

guint
capi_sandbox_get_retry_after (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->retry_after;
}

void
capi_sandbox_set_retry_after (CapiSandbox *self,
                              guint        seconds)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));

  if (self->retry_after == seconds)
    return;

  self->retry_after = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AFTER]);
}

gint64
capi_sandbox_get_fixed_time (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->fixed_time;
}

void
capi_sandbox_set_fixed_time (CapiSandbox *self,
                             gint64       unix_seconds)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));
  g_return_if_fail (unix_seconds >= 0);

  if (self->fixed_time == unix_seconds)
    return;

  self->fixed_time = unix_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIXED_TIME]);
}

guint
capi_sandbox_get_capacity (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->capacity;
}

guint64
capi_sandbox_get_n_events (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->n_events;
}

guint64
capi_sandbox_get_n_requests (CapiSandbox *self)
{
  g_return_val_if_fail (CAPI_IS_SANDBOX (self), 0);

  return self->n_requests;
}

/**
 * capi_sandbox_clear:
 *
 * Forgets every received event, the stats and the counters.
 */
void
capi_sandbox_clear (CapiSandbox *self)
{
  g_return_if_fail (CAPI_IS_SANDBOX (self));

  g_queue_clear_full (&self->records, (GDestroyNotify)event_record_free);
  g_hash_table_remove_all (self->stats);
  self->n_events = 0;
  self->n_requests = 0;
}

char *
capi_sandbox_redact_path (GUri *uri)
{
  const char *query;
  g_auto(GStrv) pairs = NULL;
  GString *out;

  g_return_val_if_fail (uri != NULL, NULL);

  out = g_string_new (g_uri_get_path (uri));
  query = g_uri_get_query (uri);
  if (query == NULL)
    return g_string_free (out, FALSE);

  g_string_append_c (out, '?');
  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;

      if (i > 0)
        g_string_append_c (out, '&');

      /* Compare the decoded name, so "access%5Ftoken" is caught too. */
      name = g_uri_unescape_segment (pairs[i], eq, NULL);
      if (name != NULL && g_str_equal (name, "access_token"))
        g_string_append (out, "access_token=" CAPI_DESTINATION_REDACTED);
      else
        g_string_append (out, pairs[i]);
    }

  return g_string_free (out, FALSE);
}
