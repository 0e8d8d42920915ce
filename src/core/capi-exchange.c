/* capi-exchange.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-exchange.h"
#include "capi-finding.h"
#include "capi-hash.h"
#include "capi-json.h"

struct _CapiExchange
{
  GObject parent_instance;

  char                *id;
  GDateTime           *started;
  CapiDestinationKind  destination;
  char                *profile_name;

  char                *method;
  char                *url;
  GPtrArray           *request_headers;   /* CapiHeader */
  GBytes              *request_body;
  GPtrArray           *event_names;       /* char*, NULL entries allowed */
  GPtrArray           *event_ids;

  guint                status;
  char                *reason_phrase;
  GPtrArray           *response_headers;  /* CapiHeader */
  GBytes              *response_body;
  JsonNode            *response_json;
  char                *snap_status;
  char                *snap_reason;
  GPtrArray           *findings;          /* CapiFinding */

  CapiTimings          timings;
  guint                attempts;
  GError              *error;
};

G_DEFINE_FINAL_TYPE (CapiExchange, capi_exchange, G_TYPE_OBJECT)

G_DEFINE_QUARK (capi-exchange-error-quark, capi_exchange_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_DESTINATION,
  PROP_METHOD,
  PROP_URL,
  PROP_STATUS,
  PROP_SNAP_STATUS,
  PROP_OUTCOME,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* user_data keys Snap expects as SHA-256 (spec §1); anything else in them
 * would be raw personal data. */
static const char * const hashed_keys[] = {
  "em", "ph", "fn", "ln", "ge", "ct", "st", "zp", "country", "db", "external_id", NULL
};

/* Field names a Snap message may mention, longest first within a family so
 * that "event_source_url" wins over shorter words. */
static const char * const known_fields[] = {
  "user_data.client_ip_address", "user_data.client_user_agent", "user_data.sc_click_id",
  "user_data.sc_cookie1", "user_data.external_id", "user_data.madid", "user_data.country",
  "user_data.em", "user_data.ph", "user_data.fn", "user_data.ln", "user_data.ge",
  "user_data.ct", "user_data.st", "user_data.zp", "user_data.db", "user_data.idfv",
  "custom_data.currency", "custom_data.value", "custom_data.order_id",
  "custom_data.content_ids", "custom_data.contents", "custom_data.num_items",
  "app_data.extinfo", "app_data.app_id", "app_data.advertiser_tracking_enabled",
  "event_source_url", "event_name", "event_time", "action_source", "event_id",
  "user_data", "custom_data", "app_data",
  NULL
};

void
capi_header_free (CapiHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static CapiHeader *
header_new (const char *name,
            const char *value)
{
  CapiHeader *header = g_new0 (CapiHeader, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value);
  return header;
}

static GPtrArray *
headers_from_soup (SoupMessageHeaders *headers)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify)capi_header_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (headers == NULL)
    return array;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_ptr_array_add (array, header_new (name, NULL));

  /* Redact after collecting; iteration order is the order on the wire. */
  soup_message_headers_iter_init (&iter, headers);
  for (guint i = 0; soup_message_headers_iter_next (&iter, &name, &value); i++)
    {
      CapiHeader *header = g_ptr_array_index (array, i);

      header->value = capi_destination_redact_header (name, value);
    }

  return array;
}

static void
capi_exchange_finalize (GObject *object)
{
  CapiExchange *self = (CapiExchange *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->request_headers, g_ptr_array_unref);
  g_clear_pointer (&self->request_body, g_bytes_unref);
  g_clear_pointer (&self->event_names, g_ptr_array_unref);
  g_clear_pointer (&self->event_ids, g_ptr_array_unref);
  g_clear_pointer (&self->reason_phrase, g_free);
  g_clear_pointer (&self->response_headers, g_ptr_array_unref);
  g_clear_pointer (&self->response_body, g_bytes_unref);
  g_clear_pointer (&self->response_json, json_node_unref);
  g_clear_pointer (&self->snap_status, g_free);
  g_clear_pointer (&self->snap_reason, g_free);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (capi_exchange_parent_class)->finalize (object);
}

static void
capi_exchange_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CapiExchange *self = CAPI_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DESTINATION:
      g_value_set_int (value, self->destination);
      break;

    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;

    case PROP_SNAP_STATUS:
      g_value_set_string (value, self->snap_status);
      break;

    case PROP_OUTCOME:
      g_value_set_int (value, capi_exchange_get_outcome (self));
      break;

    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_exchange_class_init (CapiExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_exchange_finalize;
  object_class->get_property = capi_exchange_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A CapiDestinationKind. */
  properties[PROP_DESTINATION] =
    g_param_spec_int ("destination", NULL, NULL,
                      0, CAPI_DESTINATION_N_KINDS - 1, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, 999, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SNAP_STATUS] =
    g_param_spec_string ("snap-status", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A CapiExchangeOutcome. */
  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL,
                      CAPI_EXCHANGE_OUTCOME_PENDING, CAPI_EXCHANGE_OUTCOME_FAILED,
                      CAPI_EXCHANGE_OUTCOME_PENDING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_exchange_init (CapiExchange *self)
{
  self->id = g_uuid_string_random ();
  self->started = g_date_time_new_now_utc ();
  self->request_headers = g_ptr_array_new_with_free_func ((GDestroyNotify)capi_header_free);
  self->response_headers = g_ptr_array_new_with_free_func ((GDestroyNotify)capi_header_free);
  self->event_names = g_ptr_array_new_with_free_func (g_free);
  self->event_ids = g_ptr_array_new_with_free_func (g_free);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->timings.connect_ms = -1;
  self->timings.ttfb_ms = -1;
  self->timings.total_ms = -1;
}

/**
 * capi_exchange_new:
 * @url: the request URL; it is redacted before it is kept
 *
 * Returns: (transfer full): a pending exchange
 */
CapiExchange *
capi_exchange_new (CapiDestinationKind  destination,
                   const char          *profile_name,
                   const char          *method,
                   const char          *url)
{
  CapiExchange *self;

  g_return_val_if_fail ((guint)destination < CAPI_DESTINATION_N_KINDS, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (CAPI_TYPE_EXCHANGE, NULL);
  self->destination = destination;
  self->profile_name = g_strdup (profile_name);
  self->method = g_strdup (method);
  self->url = capi_destination_redact_url (url);

  return self;
}

const char *
capi_exchange_get_id (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->id;
}

GDateTime *
capi_exchange_get_started (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->started;
}

CapiDestinationKind
capi_exchange_get_destination (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), 0);
  return self->destination;
}

const char *
capi_exchange_get_profile_name (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->profile_name;
}

const char *
capi_exchange_get_method (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->method;
}

const char *
capi_exchange_get_url (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->url;
}

GPtrArray *
capi_exchange_get_request_headers (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->request_headers;
}

GBytes *
capi_exchange_get_request_body (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->request_body;
}

guint
capi_exchange_get_n_events (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), 0);
  return self->event_names->len;
}

const char *
capi_exchange_get_event_name (CapiExchange *self,
                              guint         index)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  g_return_val_if_fail (index < self->event_names->len, NULL);
  return g_ptr_array_index (self->event_names, index);
}

const char *
capi_exchange_get_event_id (CapiExchange *self,
                            guint         index)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  g_return_val_if_fail (index < self->event_ids->len, NULL);
  return g_ptr_array_index (self->event_ids, index);
}

static gboolean
strings_contain (GPtrArray  *array,
                 const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

gboolean
capi_exchange_has_event_name (CapiExchange *self,
                              const char   *event_name)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), FALSE);
  return event_name != NULL && strings_contain (self->event_names, event_name);
}

gboolean
capi_exchange_has_event_id (CapiExchange *self,
                            const char   *event_id)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), FALSE);
  return event_id != NULL && strings_contain (self->event_ids, event_id);
}

guint
capi_exchange_get_status (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), 0);
  return self->status;
}

const char *
capi_exchange_get_reason_phrase (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->reason_phrase;
}

GPtrArray *
capi_exchange_get_response_headers (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->response_headers;
}

GBytes *
capi_exchange_get_response_body (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->response_body;
}

JsonNode *
capi_exchange_get_response_json (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->response_json;
}

const char *
capi_exchange_get_snap_status (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->snap_status;
}

const char *
capi_exchange_get_snap_reason (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->snap_reason;
}

GPtrArray *
capi_exchange_get_findings (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->findings;
}

CapiExchangeOutcome
capi_exchange_get_outcome (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), CAPI_EXCHANGE_OUTCOME_PENDING);

  if (self->status == 0)
    return self->error != NULL ? CAPI_EXCHANGE_OUTCOME_FAILED : CAPI_EXCHANGE_OUTCOME_PENDING;
  if (g_strcmp0 (self->snap_status, "INVALID") == 0 ||
      g_strcmp0 (self->snap_status, "FAILURE") == 0)
    return CAPI_EXCHANGE_OUTCOME_INVALID;
  if (SOUP_STATUS_IS_SUCCESSFUL (self->status))
    return CAPI_EXCHANGE_OUTCOME_OK;
  return CAPI_EXCHANGE_OUTCOME_HTTP_ERROR;
}

const char *
capi_exchange_outcome_to_string (CapiExchangeOutcome outcome)
{
  switch (outcome)
    {
    case CAPI_EXCHANGE_OUTCOME_PENDING:
      return "pending";
    case CAPI_EXCHANGE_OUTCOME_OK:
      return "ok";
    case CAPI_EXCHANGE_OUTCOME_INVALID:
      return "invalid";
    case CAPI_EXCHANGE_OUTCOME_HTTP_ERROR:
      return "http-error";
    case CAPI_EXCHANGE_OUTCOME_FAILED:
      return "failed";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
capi_exchange_get_timings (CapiExchange *self,
                           CapiTimings  *out_timings)
{
  g_return_if_fail (CAPI_IS_EXCHANGE (self));
  g_return_if_fail (out_timings != NULL);

  *out_timings = self->timings;
}

guint
capi_exchange_get_attempts (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), 0);
  return self->attempts;
}

const GError *
capi_exchange_get_error (CapiExchange *self)
{
  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);
  return self->error;
}

/* --- request ------------------------------------------------------------ */

static JsonNode *
parse_json_bytes_full (GBytes   *bytes,
                       gboolean  mutable)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    return NULL;

  /* Cheap look at the first non-blank byte, so an HTML page is not fed to
   * the parser. */
  for (gsize i = 0; i < size; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      if (data[i] != '{' && data[i] != '[')
        return NULL;
      break;
    }

  parser = mutable ? json_parser_new () : json_parser_new_immutable ();
  if (!capi_json_parser_load (parser, data, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonNode *
parse_json_bytes (GBytes *bytes)
{
  return parse_json_bytes_full (bytes, FALSE);
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
object_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static void
collect_events (CapiExchange *self)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *events;
  gboolean ats = FALSE;

  g_ptr_array_set_size (self->event_names, 0);
  g_ptr_array_set_size (self->event_ids, 0);

  root = parse_json_bytes (self->request_body);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  events = object_array (object, "data");
  if (events == NULL)
    {
      events = object_array (object, "events");
      ats = TRUE;
    }
  if (events == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = object_string (event, "event_name");

      /* The ATS adapter names the event "event_type" (spec §3). */
      if (name == NULL && ats)
        name = object_string (event, "event_type");
      g_ptr_array_add (self->event_names, g_strdup (name));
      g_ptr_array_add (self->event_ids, g_strdup (object_string (event, "event_id")));
    }
}

/**
 * capi_exchange_set_request:
 * @headers: (nullable): the request headers; redacted while copied
 * @body: (nullable): the body exactly as sent
 */
void
capi_exchange_set_request (CapiExchange       *self,
                           SoupMessageHeaders *headers,
                           GBytes             *body)
{
  g_return_if_fail (CAPI_IS_EXCHANGE (self));

  g_clear_pointer (&self->request_headers, g_ptr_array_unref);
  self->request_headers = headers_from_soup (headers);
  /* The client sets the same body again with the final headers: the
   * events are known already. */
  if (body == self->request_body)
    return;
  g_clear_pointer (&self->request_body, g_bytes_unref);
  self->request_body = body != NULL ? g_bytes_ref (body) : NULL;
  collect_events (self);
}

/* --- response ----------------------------------------------------------- */

static gboolean
is_field_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.';
}

/* The v3 dotted key a message is about, if it names one.  Bare short keys
 * ("em", "ph") count only as whole words. */
static const char *
guess_field (const char *message)
{
  if (message == NULL)
    return NULL;

  for (guint i = 0; known_fields[i] != NULL; i++)
    {
      const char *full = known_fields[i];
      const char *dot = strchr (full, '.');
      const char *candidates[2] = { full, dot != NULL ? dot + 1 : NULL };

      for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
        {
          const char *needle = candidates[c];
          const char *p = message;
          gsize len;

          if (needle == NULL)
            continue;
          /* "value", "country", "contents" are also English words: only
           * their qualified spelling identifies the field. */
          if (c == 1 && (g_str_equal (needle, "value") || g_str_equal (needle, "contents") ||
                         g_str_equal (needle, "country") || g_str_equal (needle, "st") ||
                         g_str_equal (needle, "ct")))
            continue;
          len = strlen (needle);
          while ((p = strstr (p, needle)) != NULL)
            {
              gboolean start_ok = p == message || !is_field_char (p[-1]);
              gboolean end_ok = !is_field_char (p[len]) || (p[len] == '.' && !is_field_char (p[len + 1]));

              if (start_ok && end_ok)
                return full;
              p += len;
            }
        }
    }

  return NULL;
}

static char *
node_to_code (JsonNode *node)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

static void
add_finding (CapiExchange *self,
             CapiSeverity  severity,
             const char   *code,
             const char   *message,
             int           event_index)
{
  const char *prefix = self->destination == CAPI_DESTINATION_ATS_SEND ? "events" : "data";
  const char *field = guess_field (message);
  g_autofree char *path = NULL;
  g_autoptr(CapiFinding) finding = NULL;

  /* A server may name an event the request never held (a bad or hostile
   * "event": 7); such a finding is about the request as a whole. */
  if (event_index >= 0 && self->event_names->len > 0 && (guint) event_index >= self->event_names->len)
    event_index = -1;

  if (event_index >= 0 && field != NULL)
    path = g_strdup_printf ("%s[%d].%s", prefix, event_index, field);
  else if (event_index >= 0)
    path = g_strdup_printf ("%s[%d]", prefix, event_index);
  else
    path = g_strdup (field != NULL ? field : "");

  if (code == NULL)
    code = severity == CAPI_SEVERITY_ERROR ? "snap-error" : "snap-warning";
  finding = capi_finding_new (severity, code, path, message != NULL ? message : "");
  capi_finding_set_event_index (finding, event_index);
  capi_finding_set_key (finding, field);
  g_ptr_array_add (self->findings, g_steal_pointer (&finding));
}

/* Snap's "errors" come as {"codes": [...], "error_msgs": [...]}; be lenient
 * with arrays of strings or of {code, message} objects too. */
static void
add_errors (CapiExchange *self,
            JsonNode     *errors,
            CapiSeverity  severity,
            int           event_index)
{
  if (errors == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (errors))
    {
      JsonObject *object = json_node_get_object (errors);
      JsonArray *codes = object_array (object, "codes");
      JsonArray *messages = object_array (object, "error_msgs");
      guint n_codes = codes != NULL ? json_array_get_length (codes) : 0;
      guint n_messages = messages != NULL ? json_array_get_length (messages) : 0;

      if (messages == NULL)
        messages = object_array (object, "messages");
      n_messages = messages != NULL ? json_array_get_length (messages) : 0;

      if (n_codes == 0 && n_messages == 0)
        {
          const char *message = object_string (object, "message");

          if (message != NULL)
            add_finding (self, severity, object_string (object, "code"), message, event_index);
          return;
        }
      for (guint i = 0; i < MAX (n_codes, n_messages); i++)
        {
          g_autofree char *code = i < n_codes ? node_to_code (json_array_get_element (codes, i)) : NULL;
          JsonNode *message = i < n_messages ? json_array_get_element (messages, i) : NULL;
          const char *text = NULL;

          if (message != NULL && JSON_NODE_TYPE (message) == JSON_NODE_VALUE &&
              json_node_get_value_type (message) == G_TYPE_STRING)
            text = json_node_get_string (message);
          add_finding (self, severity, code, text != NULL ? text : code, event_index);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (errors))
    {
      JsonArray *array = json_node_get_array (errors);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              JsonObject *object = json_node_get_object (element);
              g_autofree char *code = node_to_code (json_object_get_member (object, "code"));
              const char *message = object_string (object, "message");

              if (message == NULL)
                message = object_string (object, "error_msg");
              add_finding (self, severity, code, message, event_index);
            }
          else if (JSON_NODE_TYPE (element) == JSON_NODE_VALUE &&
                   json_node_get_value_type (element) == G_TYPE_STRING)
            {
              add_finding (self, severity, NULL, json_node_get_string (element), event_index);
            }
        }
    }
  else if (JSON_NODE_TYPE (errors) == JSON_NODE_VALUE &&
           json_node_get_value_type (errors) == G_TYPE_STRING)
    {
      add_finding (self, severity, NULL, json_node_get_string (errors), event_index);
    }
}

static int
object_index (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return (int)CLAMP (json_node_get_int (node), -1, G_MAXINT);
}

/* Reads Snap's verdict (spec §1 "Responses") and turns its errors, event
 * logs and warnings into findings that point at the request body. */
static void
interpret_response (CapiExchange *self)
{
  JsonObject *root;
  JsonArray *logs;
  int event_index;

  g_clear_pointer (&self->snap_status, g_free);
  g_clear_pointer (&self->snap_reason, g_free);
  g_ptr_array_set_size (self->findings, 0);

  if (self->response_json == NULL || !JSON_NODE_HOLDS_OBJECT (self->response_json))
    return;
  root = json_node_get_object (self->response_json);

  self->snap_status = g_strdup (object_string (root, "status"));
  self->snap_reason = g_strdup (object_string (root, "reason"));

  /* live: the failing event's index sits at the root as "event". */
  event_index = object_index (root, "event");
  add_errors (self, json_object_get_member (root, "errors"), CAPI_SEVERITY_ERROR, event_index);
  add_errors (self, json_object_get_member (root, "warnings"), CAPI_SEVERITY_WARNING, event_index);

  /* validate: one log per event. */
  logs = object_array (root, "event_logs");
  for (guint i = 0; logs != NULL && i < json_array_get_length (logs); i++)
    {
      JsonNode *node = json_array_get_element (logs, i);
      JsonObject *log = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      int index;
      guint before = self->findings->len;

      if (log == NULL)
        continue;
      index = object_index (log, "event");
      if (index < 0)
        index = (int)i;
      add_errors (self, json_object_get_member (log, "errors"), CAPI_SEVERITY_ERROR, index);
      add_errors (self, json_object_get_member (log, "warnings"), CAPI_SEVERITY_WARNING, index);
      /* An INVALID log without details still deserves a line. */
      if (self->findings->len == before && g_strcmp0 (object_string (log, "status"), "INVALID") == 0)
        add_finding (self, CAPI_SEVERITY_ERROR, NULL,
                     object_string (log, "reason") != NULL ? object_string (log, "reason")
                                                           : _("Snap marked this event INVALID"),
                     index);
    }

  if (self->findings->len == 0 && g_strcmp0 (self->snap_status, "INVALID") == 0)
    add_finding (self, CAPI_SEVERITY_ERROR, NULL,
                 self->snap_reason != NULL ? self->snap_reason : _("Snap answered INVALID"),
                 event_index);
}

/**
 * capi_exchange_set_response:
 * @headers: (nullable): response headers
 * @body: (nullable): the raw response body
 */
void
capi_exchange_set_response (CapiExchange       *self,
                            guint               status,
                            const char         *reason_phrase,
                            SoupMessageHeaders *headers,
                            GBytes             *body)
{
  CapiExchangeOutcome old_outcome;
  g_autofree char *old_snap_status = NULL;

  g_return_if_fail (CAPI_IS_EXCHANGE (self));

  old_outcome = capi_exchange_get_outcome (self);
  old_snap_status = g_strdup (self->snap_status);

  g_free (self->reason_phrase);
  self->reason_phrase = g_strdup (reason_phrase);
  g_clear_pointer (&self->response_headers, g_ptr_array_unref);
  self->response_headers = headers_from_soup (headers);
  g_clear_pointer (&self->response_body, g_bytes_unref);
  self->response_body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  g_clear_pointer (&self->response_json, json_node_unref);
  self->response_json = parse_json_bytes (self->response_body);
  interpret_response (self);

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (old_snap_status, self->snap_status) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP_STATUS]);
  if (old_outcome != capi_exchange_get_outcome (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

void
capi_exchange_set_timings (CapiExchange      *self,
                           const CapiTimings *timings)
{
  g_return_if_fail (CAPI_IS_EXCHANGE (self));
  g_return_if_fail (timings != NULL);

  self->timings = *timings;
}

void
capi_exchange_set_attempts (CapiExchange *self,
                            guint         attempts)
{
  g_return_if_fail (CAPI_IS_EXCHANGE (self));

  if (self->attempts == attempts)
    return;
  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

/**
 * capi_exchange_set_error:
 * @error: (nullable): the transport error; its message must already be
 *   free of secrets (CapiClient redacts it)
 */
void
capi_exchange_set_error (CapiExchange *self,
                         const GError *error)
{
  CapiExchangeOutcome old_outcome;

  g_return_if_fail (CAPI_IS_EXCHANGE (self));

  old_outcome = capi_exchange_get_outcome (self);
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  if (old_outcome != capi_exchange_get_outcome (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

/* --- JSON --------------------------------------------------------------- */

static void
add_headers (JsonBuilder *builder,
             const char  *member,
             GPtrArray   *headers)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < headers->len; i++)
    {
      CapiHeader *header = g_ptr_array_index (headers, i);

      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, header->name);
      json_builder_add_string_value (builder, header->value);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static gboolean
scrub_strings (JsonNode *node)
{
  gboolean scrubbed = FALSE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        scrubbed |= scrub_strings (json_array_get_element (array, i));
    }
  else if (JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
           json_node_get_value_type (node) == G_TYPE_STRING &&
           !capi_hash_is_sha256 (json_node_get_string (node)))
    {
      json_node_set_string (node, CAPI_DESTINATION_REDACTED);
      scrubbed = TRUE;
    }
  return scrubbed;
}

/* The request body as it may be written down: unchanged when every hashed
 * identifier is a SHA-256 (always, for bodies built by capi-payload); any
 * raw value in a hashed key is replaced so no raw e-mail, phone or name
 * reaches the disk.  Returns NULL when nothing had to change. */
static char *
scrubbed_request_body (GBytes *body)
{
  g_autoptr(JsonNode) root = parse_json_bytes_full (body, TRUE);
  JsonArray *events;
  gboolean scrubbed = FALSE;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  events = object_array (json_node_get_object (root), "data");
  if (events == NULL)
    events = object_array (json_node_get_object (root), "events");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *event = json_array_get_element (events, i);
      JsonNode *user_data;

      if (!JSON_NODE_HOLDS_OBJECT (event))
        continue;
      user_data = json_object_get_member (json_node_get_object (event), "user_data");
      if (user_data == NULL || !JSON_NODE_HOLDS_OBJECT (user_data))
        continue;
      for (guint k = 0; hashed_keys[k] != NULL; k++)
        {
          JsonNode *value = json_object_get_member (json_node_get_object (user_data), hashed_keys[k]);

          if (value != NULL)
            scrubbed |= scrub_strings (value);
        }
    }

  if (!scrubbed)
    return NULL;
  return json_to_string (root, FALSE);
}

static void
add_body (JsonBuilder *builder,
          const char  *prefix,
          GBytes      *body,
          gsize        max_size)
{
  g_autofree char *text_member = g_strdup_printf ("%s_body", prefix);
  g_autofree char *base64_member = g_strdup_printf ("%s_body_base64", prefix);
  g_autofree char *size_member = g_strdup_printf ("%s_body_size", prefix);
  g_autofree char *cut_member = g_strdup_printf ("%s_body_truncated", prefix);
  gsize size = 0;
  const char *data;
  gsize kept;

  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &size);
  if (data == NULL)
    data = "";
  kept = MIN (size, max_size);

  json_builder_set_member_name (builder, size_member);
  json_builder_add_int_value (builder, size);

  if (size == 0 || (g_utf8_validate_len (data, size, NULL) && memchr (data, '\0', size) == NULL))
    {
      /* Cut on a character boundary. */
      if (kept < size)
        {
          const char *end = g_utf8_find_prev_char (data, data + kept + 1);

          kept = end != NULL ? (gsize)(end - data) : 0;
        }
      json_builder_set_member_name (builder, text_member);
      {
        g_autofree char *copy = size > 0 ? g_strndup (data, kept) : g_strdup ("");

        json_builder_add_string_value (builder, copy);
      }
    }
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *)data, kept);

      json_builder_set_member_name (builder, base64_member);
      json_builder_add_string_value (builder, encoded);
    }

  if (kept < size)
    {
      json_builder_set_member_name (builder, cut_member);
      json_builder_add_boolean_value (builder, TRUE);
    }
}

/**
 * capi_exchange_to_json:
 *
 * Returns: (transfer full): the record written to history
 */
JsonNode *
capi_exchange_to_json (CapiExchange *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *started = NULL;

  g_return_val_if_fail (CAPI_IS_EXCHANGE (self), NULL);

  started = g_date_time_format_iso8601 (self->started);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, started);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, capi_destination_kind_to_string (self->destination));
  if (self->profile_name != NULL)
    {
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, self->profile_name);
    }
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, self->method);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, self->url);
  add_headers (builder, "request_headers", self->request_headers);

  if (self->request_body != NULL)
    {
      g_autofree char *safe = scrubbed_request_body (self->request_body);

      if (safe != NULL)
        {
          json_builder_set_member_name (builder, "request_body_scrubbed");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_set_member_name (builder, "request_body");
          json_builder_add_string_value (builder, safe);
        }
      else
        {
          add_body (builder, "request", self->request_body, G_MAXSIZE);
        }
    }

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->event_names->len; i++)
    {
      json_builder_begin_object (builder);
      if (g_ptr_array_index (self->event_names, i) != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, g_ptr_array_index (self->event_names, i));
        }
      if (g_ptr_array_index (self->event_ids, i) != NULL)
        {
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, g_ptr_array_index (self->event_ids, i));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, self->status);
  if (self->reason_phrase != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, self->reason_phrase);
    }
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, capi_exchange_outcome_to_string (capi_exchange_get_outcome (self)));
  if (self->snap_status != NULL)
    {
      json_builder_set_member_name (builder, "snap_status");
      json_builder_add_string_value (builder, self->snap_status);
    }
  if (self->status != 0)
    {
      add_headers (builder, "response_headers", self->response_headers);
      add_body (builder, "response", self->response_body, CAPI_EXCHANGE_MAX_STORED_BODY);
    }

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connect_ms");
  json_builder_add_double_value (builder, self->timings.connect_ms);
  json_builder_set_member_name (builder, "ttfb_ms");
  json_builder_add_double_value (builder, self->timings.ttfb_ms);
  json_builder_set_member_name (builder, "total_ms");
  json_builder_add_double_value (builder, self->timings.total_ms);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, self->attempts);

  if (self->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "domain");
      json_builder_add_string_value (builder, g_quark_to_string (self->error->domain));
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, self->error->code);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, self->error->message);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
capi_exchange_to_json_string (CapiExchange *self)
{
  g_autoptr(JsonNode) node = capi_exchange_to_json (self);

  return json_to_string (node, FALSE);
}

static GPtrArray *
headers_from_json (JsonArray *array)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func ((GDestroyNotify)capi_header_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *pair = json_array_get_element (array, i);
      JsonArray *items;

      if (!JSON_NODE_HOLDS_ARRAY (pair))
        continue;
      items = json_node_get_array (pair);
      if (json_array_get_length (items) != 2)
        continue;
      g_ptr_array_add (headers, header_new (json_array_get_string_element (items, 0),
                                            json_array_get_string_element (items, 1)));
    }
  return headers;
}

static GBytes *
body_from_json (JsonObject *object,
                const char *prefix)
{
  g_autofree char *text_member = g_strdup_printf ("%s_body", prefix);
  g_autofree char *base64_member = g_strdup_printf ("%s_body_base64", prefix);
  const char *text = object_string (object, text_member);
  const char *encoded;

  if (text != NULL)
    return g_bytes_new (text, strlen (text));
  encoded = object_string (object, base64_member);
  if (encoded != NULL)
    {
      gsize size = 0;
      guchar *data = g_base64_decode (encoded, &size);

      return g_bytes_new_take (data, size);
    }
  return NULL;
}

static double
object_double (JsonObject *object,
               const char *member,
               double      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_double (node);
  return fallback;
}

/**
 * capi_exchange_new_from_json:
 *
 * Reads back a record made by capi_exchange_to_json().
 *
 * Returns: (transfer full): the exchange, or NULL with @error set
 */
CapiExchange *
capi_exchange_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(CapiExchange) self = NULL;
  g_autoptr(GDateTime) started = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *destination, *method, *url, *id, *time;
  CapiDestinationKind kind;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CAPI_EXCHANGE_ERROR, CAPI_EXCHANGE_ERROR_SYNTAX,
                           _("An exchange record must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  id = object_string (object, "id");
  time = object_string (object, "time");
  destination = object_string (object, "destination");
  method = object_string (object, "method");
  url = object_string (object, "url");
  if (time != NULL)
    started = g_date_time_new_from_iso8601 (time, NULL);
  if (id == NULL || started == NULL || method == NULL || url == NULL ||
      !capi_destination_kind_from_string (destination, &kind))
    {
      g_set_error_literal (error, CAPI_EXCHANGE_ERROR, CAPI_EXCHANGE_ERROR_SYNTAX,
                           _("An exchange record needs id, time, destination, method and url"));
      return NULL;
    }

  self = capi_exchange_new (kind, object_string (object, "profile"), method, url);
  g_free (self->id);
  self->id = g_strdup (id);
  g_date_time_unref (self->started);
  self->started = g_steal_pointer (&started);

  g_ptr_array_unref (self->request_headers);
  self->request_headers = headers_from_json (object_array (object, "request_headers"));
  self->request_body = body_from_json (object, "request");
  collect_events (self);

  self->status = (guint)CLAMP (object_double (object, "status", 0), 0, 999);
  self->reason_phrase = g_strdup (object_string (object, "reason"));
  if (self->status != 0)
    {
      g_ptr_array_unref (self->response_headers);
      self->response_headers = headers_from_json (object_array (object, "response_headers"));
      self->response_body = body_from_json (object, "response");
      if (self->response_body == NULL)
        self->response_body = g_bytes_new (NULL, 0);
      self->response_json = parse_json_bytes (self->response_body);
      interpret_response (self);
    }

  member = json_object_get_member (object, "timings");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *timings = json_node_get_object (member);

      self->timings.connect_ms = object_double (timings, "connect_ms", -1);
      self->timings.ttfb_ms = object_double (timings, "ttfb_ms", -1);
      self->timings.total_ms = object_double (timings, "total_ms", -1);
    }
  self->attempts = (guint)CLAMP (object_double (object, "attempts", 0), 0, G_MAXUINT);

  member = json_object_get_member (object, "error");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *err = json_node_get_object (member);
      const char *domain = object_string (err, "domain");
      const char *message = object_string (err, "message");

      self->error = g_error_new_literal (domain != NULL ? g_quark_from_string (domain)
                                                        : CAPI_EXCHANGE_ERROR,
                                         (int)object_double (err, "code", 0),
                                         message != NULL ? message : "");
    }

  return g_steal_pointer (&self);
}
