/* test-sandbox.c -- the sandbox against a real SoupSession on 127.0.0.1
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "capi-event.h"
#include "capi-finding.h"
#include "capi-lint.h"
#include "capi-sandbox.h"

#define PIXEL "6ee1b8f4-39a5-4e80-8c3a-2f7c4b6bb0ab"
#define TOKEN "sandbox-secret-token-4711"
/* 2026-01-01T01:00:00Z: an hour after the fixtures' events happened. */
#define FIXED_NOW 1767229200

typedef struct
{
  CapiSandbox *sandbox;
  SoupSession *session;
  char        *base;
  GPtrArray   *seen;      /* "METHOD PATH STATUS" from CapiSandbox::request */
} Fixture;

typedef struct
{
  gboolean            done;
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
  JsonNode           *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
request_cb (CapiSandbox *sandbox,
            const char  *method,
            const char  *path,
            guint        status,
            Fixture     *fixture)
{
  g_ptr_array_add (fixture->seen, g_strdup_printf ("%s %s %u", method, path, status));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sandbox = capi_sandbox_new ();
  capi_sandbox_set_fixed_time (fixture->sandbox, FIXED_NOW);
  fixture->seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->sandbox, "request", G_CALLBACK (request_cb), fixture);
  g_assert_true (capi_sandbox_start (fixture->sandbox, 0, NULL, &error));
  g_assert_no_error (error);
  fixture->base = capi_sandbox_dup_uri (fixture->sandbox);
  fixture->session = soup_session_new_with_options ("timeout", 20, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  capi_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->session);
  /* Let both ends see their connections close. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sandbox);
  g_clear_pointer (&fixture->base, g_free);
  g_clear_pointer (&fixture->seen, g_ptr_array_unref);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                   &reply->error);
  reply->done = TRUE;
}

/* Sends one request and spins the main context until it is answered. */
static Reply *
request_full (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *body,
              gsize       body_len,
              const char *origin)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (origin != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin", origin);

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_cb, reply);
  while (!reply->done)
    g_main_context_iteration (NULL, TRUE);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (reply->body != NULL && g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *text = g_bytes_get_data (reply->body, &len);

      /* The body is not NUL-terminated. */
      if (json_parser_load_from_data (parser, text, len, NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
    }

  return reply;
}

static Reply *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *body)
{
  return request_full (fixture, method, path, body, body != NULL ? strlen (body) : 0, NULL);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));

  return json_node_get_object (reply->json);
}

static const char *
valid_body (void)
{
  return "{\"data\": [{\"event_name\": \"PAGE_VIEW\", \"event_time\": 1767225600,"
         " \"action_source\": \"WEB\", \"event_id\": \"pv-1\","
         " \"event_source_url\": \"https://shop.example.com/\","
         " \"user_data\": {\"client_ip_address\": \"203.0.113.9\","
         " \"client_user_agent\": \"Mozilla/5.0\"}}]}";
}

/* Error codes lint gives event @index, in order. */
static GPtrArray *
expected_codes (GPtrArray *findings,
                int        index)
{
  GPtrArray *codes = g_ptr_array_new ();

  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);

      if (capi_finding_get_severity (finding) == CAPI_SEVERITY_ERROR &&
          capi_finding_get_event_index (finding) == index)
        g_ptr_array_add (codes, (gpointer)capi_finding_get_code (finding));
    }

  return codes;
}

static guint
expected_count (GPtrArray    *findings,
                int           index,
                CapiSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);

      if (capi_finding_get_severity (finding) == severity &&
          capi_finding_get_event_index (finding) == index)
        n++;
    }

  return n;
}

static void
assert_codes_equal (GPtrArray  *expected,
                    JsonArray  *codes,
                    const char *what)
{
  if (expected->len != json_array_get_length (codes))
    g_error ("%s: lint has %u error codes, the sandbox %u", what, expected->len,
             json_array_get_length (codes));
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (json_array_get_string_element (codes, i), ==,
                     g_ptr_array_index (expected, i));
}

/* The body the sandbox is sent for a fixture: the bytes as they are when
 * they already form a v3 or ATS body, else the events wrapped in {"data": []}. */
static char *
body_for_events (GPtrArray       *events,
                 CapiEventFormat  format,
                 const char      *raw)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonArray) data = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (format == CAPI_EVENT_FORMAT_V3_BODY || format == CAPI_EVENT_FORMAT_ATS)
    return g_strdup (raw);

  data = json_array_new ();
  for (guint i = 0; i < events->len; i++)
    json_array_add_object_element (data, capi_event_to_object (g_ptr_array_index (events, i)));
  root = json_object_new ();
  json_object_set_array_member (root, "data", g_steal_pointer (&data));
  node = json_node_init_object (json_node_alloc (), root);

  return json_to_string (node, FALSE);
}

typedef struct
{
  guint valid;
  guint invalid;
  guint unreadable;
} Verdicts;

/* Sends one fixture and checks the sandbox's verdict against capi_lint_run. */
static void
check_fixture (Fixture    *fixture,
               const char *filename,
               Verdicts   *verdicts)
{
  g_autofree char *raw = NULL;
  gsize raw_len;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) sent_events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) live = NULL;
  g_autofree char *body = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  CapiEventFormat sent_format = CAPI_EVENT_FORMAT_UNKNOWN;
  gboolean ats;
  gboolean any_error = FALSE;
  JsonObject *object;

  g_assert_true (g_file_get_contents (filename, &raw, &raw_len, NULL));
  g_test_message ("fixture %s", filename);

  events = capi_event_read_document (raw, raw_len, &format, &error);
  if (events == NULL)
    {
      /* Unreadable documents: the sandbox gives the reader's message. */
      reply = request_full (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                            raw, raw_len, NULL);
      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
      object = reply_object (reply);
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "INVALID");
      g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, error->message);
      verdicts->unreadable++;
      return;
    }

  ats = format == CAPI_EVENT_FORMAT_ATS;
  body = body_for_events (events, format, raw);
  sent_events = capi_event_read_document (body, -1, &sent_format, &error);
  g_assert_no_error (error);
  findings = capi_lint_run (sent_events, sent_format,
                            ats ? CAPI_LINT_TARGET_ATS : CAPI_LINT_TARGET_SNAP, FIXED_NOW);
  any_error = capi_lint_count (findings, CAPI_SEVERITY_ERROR) > 0;
  if (any_error)
    verdicts->invalid++;
  else
    verdicts->valid++;

  if (ats)
    {
      reply = request (fixture, "POST", "/send-events/ats-config-1", body);
      g_assert_no_error (reply->error);
      object = reply_object (reply);
      g_assert_cmpuint (reply->status, ==, any_error ? 400 : 200);
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==,
                       any_error ? "INVALID" : "VALID");
      return;
    }

  /* validate: one event_logs entry per event, lint's codes in lint's order. */
  reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN, body);
  g_assert_no_error (reply->error);
  object = reply_object (reply);
  g_assert_cmpuint (reply->status, ==, any_error ? 400 : 200);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==,
                   any_error ? "INVALID" : "VALID");
  g_assert_true (json_object_get_boolean_member (object, "test_event"));
  {
    JsonArray *logs = json_object_get_array_member (object, "event_logs");
    gboolean doc_error = expected_count (findings, -1, CAPI_SEVERITY_ERROR) > 0;

    g_assert_cmpuint (json_array_get_length (logs), ==, sent_events->len);
    for (guint i = 0; i < sent_events->len; i++)
      {
        JsonObject *entry = json_array_get_object_element (logs, i);
        JsonObject *errors = json_object_get_object_member (entry, "errors");
        g_autoptr(GPtrArray) codes = expected_codes (findings, (int)i);
        g_autofree char *what = g_strdup_printf ("%s event %u", filename, i);

        g_assert_cmpint (json_object_get_int_member (entry, "event"), ==, i);
        g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==,
                         codes->len == 0 && !doc_error ? "VALID" : "INVALID");
        assert_codes_equal (codes, json_object_get_array_member (errors, "codes"), what);
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (errors, "error_msgs")),
                          ==, codes->len);
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "warnings")),
                          ==, expected_count (findings, (int)i, CAPI_SEVERITY_WARNING));
      }
  }

  /* live: the first invalid event and its codes. */
  live = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, body);
  g_assert_no_error (live->error);
  object = reply_object (live);
  g_assert_cmpuint (live->status, ==, any_error ? 400 : 200);
  g_assert_false (json_object_has_member (object, "test_event"));
  if (any_error && json_object_has_member (object, "event"))
    {
      int first = (int)json_object_get_int_member (object, "event");
      g_autoptr(GPtrArray) codes = expected_codes (findings, first);
      JsonObject *errors = json_object_get_object_member (object, "errors");

      g_assert_cmpuint (codes->len, >, 0);
      for (int i = 0; i < first; i++)
        {
          g_autoptr(GPtrArray) before = expected_codes (findings, i);

          g_assert_cmpuint (before->len, ==, 0);
        }
      assert_codes_equal (codes, json_object_get_array_member (errors, "codes"), filename);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static guint
check_fixture_dir (Fixture    *fixture,
                   const char *subdir,
                   Verdicts   *verdicts)
{
  g_autofree char *dirname = g_test_build_filename (G_TEST_DIST, "data", subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (dirname, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".jsonl"))
      g_ptr_array_add (names, g_build_filename (dirname, name, NULL));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    check_fixture (fixture, g_ptr_array_index (names, i), verdicts);

  return names->len;
}

static void
test_sandbox_conformance (Fixture       *fixture,
                          gconstpointer  data)
{
  Verdicts verdicts = { 0 };
  guint n = 0;

  n += check_fixture_dir (fixture, "events", &verdicts);
  n += check_fixture_dir (fixture, "lint", &verdicts);
  g_test_message ("%u fixtures: %u VALID, %u INVALID, %u unreadable", n,
                  verdicts.valid, verdicts.invalid, verdicts.unreadable);
  /* The fixtures must exercise every kind of verdict. */
  g_assert_cmpuint (verdicts.valid, >, 0);
  g_assert_cmpuint (verdicts.invalid, >, 0);
  g_assert_cmpuint (verdicts.unreadable, >, 0);
}

static void
test_sandbox_new_destroy (void)
{
  CapiSandbox *sandbox = capi_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (capi_sandbox_get_running (sandbox));
  g_assert_cmpuint (capi_sandbox_get_port (sandbox), ==, 0);
  g_assert_null (capi_sandbox_dup_uri (sandbox));
  g_assert_cmpuint (capi_sandbox_get_capacity (sandbox), ==, CAPI_SANDBOX_DEFAULT_CAPACITY);
  g_assert_finalize_object (sandbox);

  /* Disposing a running sandbox closes its socket. */
  sandbox = capi_sandbox_new ();
  g_assert_true (capi_sandbox_start (sandbox, 0, "127.0.0.1", &error));
  g_assert_no_error (error);
  g_assert_true (capi_sandbox_get_running (sandbox));
  g_assert_finalize_object (sandbox);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_sandbox_start_stop (void)
{
  g_autoptr(CapiSandbox) sandbox = capi_sandbox_new ();
  g_autoptr(CapiSandbox) other = capi_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  guint running_notifies = 0;
  guint port;

  g_signal_connect (sandbox, "notify::running", G_CALLBACK (notify_cb), &running_notifies);

  g_assert_false (capi_sandbox_start (sandbox, 0, "not-an-address", &error));
  g_assert_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_ADDRESS);
  g_clear_error (&error);
  g_assert_cmpuint (running_notifies, ==, 0);

  g_assert_true (capi_sandbox_start (sandbox, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (running_notifies, ==, 1);
  port = capi_sandbox_get_port (sandbox);
  g_assert_cmpuint (port, >, 0);
  uri = capi_sandbox_dup_uri (sandbox);
  expected = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_assert_cmpstr (uri, ==, expected);

  g_assert_false (capi_sandbox_start (sandbox, 0, NULL, &error));
  g_assert_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_RUNNING);
  g_clear_error (&error);

  /* The port is taken: a second sandbox cannot have it. */
  g_assert_false (capi_sandbox_start (other, port, "127.0.0.1", &error));
  g_assert_error (error, CAPI_SANDBOX_ERROR, CAPI_SANDBOX_ERROR_LISTEN);
  g_clear_error (&error);
  g_assert_false (capi_sandbox_get_running (other));

  capi_sandbox_stop (sandbox);
  g_assert_cmpuint (running_notifies, ==, 2);
  g_assert_false (capi_sandbox_get_running (sandbox));
  g_assert_null (capi_sandbox_dup_uri (sandbox));
  capi_sandbox_stop (sandbox);
  g_assert_cmpuint (running_notifies, ==, 2);
}

static void
test_sandbox_properties (void)
{
  g_autoptr(CapiSandbox) sandbox = g_object_new (CAPI_TYPE_SANDBOX, "capacity", 5, NULL);
  guint count = 0;
  CapiSandboxFault fault;

  g_assert_cmpuint (capi_sandbox_get_capacity (sandbox), ==, 5);
  g_signal_connect (sandbox, "notify", G_CALLBACK (notify_cb), &count);

  capi_sandbox_set_latency (sandbox, 25);
  capi_sandbox_set_latency (sandbox, 25);
  capi_sandbox_set_fault (sandbox, CAPI_SANDBOX_FAULT_DROP);
  capi_sandbox_set_fault (sandbox, CAPI_SANDBOX_FAULT_DROP);
  capi_sandbox_set_fault_count (sandbox, 3);
  capi_sandbox_set_fault_count (sandbox, 3);
  capi_sandbox_set_fail_rate (sandbox, 0.5);
  capi_sandbox_set_fail_rate (sandbox, 0.5);
  capi_sandbox_set_retry_after (sandbox, 7);
  capi_sandbox_set_retry_after (sandbox, 7);
  capi_sandbox_set_fixed_time (sandbox, 1000);
  capi_sandbox_set_fixed_time (sandbox, 1000);
  g_assert_cmpuint (count, ==, 6);

  g_object_get (sandbox, "fault", &fault, NULL);
  g_assert_cmpint (fault, ==, CAPI_SANDBOX_FAULT_DROP);
  g_assert_cmpuint (capi_sandbox_get_latency (sandbox), ==, 25);
  g_assert_cmpint (capi_sandbox_get_fault_count (sandbox), ==, 3);
  g_assert_cmpfloat (capi_sandbox_get_fail_rate (sandbox), ==, 0.5);
  g_assert_cmpuint (capi_sandbox_get_retry_after (sandbox), ==, 7);
  g_assert_cmpint (capi_sandbox_get_fixed_time (sandbox), ==, 1000);
}

static void
test_sandbox_redact (void)
{
  static const struct { const char *uri; const char *path; } cases[] = {
    { "http://h/v3/p/events?access_token=SECRET", "/v3/p/events?access_token=…" },
    { "http://h/v3/p/events?a=1&access_token=SECRET&b=2", "/v3/p/events?a=1&access_token=…&b=2" },
    { "http://h/v3/p/events?access%5Ftoken=SECRET", "/v3/p/events?access_token=…" },
    { "http://h/v3/p/events?access_token", "/v3/p/events?access_token=…" },
    { "http://h/v3/p/events", "/v3/p/events" },
    { "http://h/x?access_tokens=keep", "/x?access_tokens=keep" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (cases[i].uri, G_URI_FLAGS_ENCODED, NULL);
      g_autofree char *path = capi_sandbox_redact_path (uri);

      g_assert_cmpstr (path, ==, cases[i].path);
    }
}

static void
test_sandbox_unauthorized (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char *paths[] = {
    "/v3/" PIXEL "/events/validate",
    "/v3/" PIXEL "/events/validate?access_token=",
    "/v3/" PIXEL "/events",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Reply) reply = request (fixture, "POST", paths[i], valid_body ());
      JsonObject *object;

      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_UNAUTHORIZED);
      object = reply_object (reply);
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "INVALID");
      g_assert_nonnull (json_object_get_string_member (object, "reason"));
    }

  {
    g_autoptr(Reply) reply = request (fixture, "GET", "/v3/" PIXEL "/events/validate/logs", NULL);

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "status"), ==,
                     "FAILURE");
  }

  /* Nothing was taken in. */
  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 0);
  g_assert_cmpuint (capi_sandbox_get_n_requests (fixture->sandbox), ==, 4);
}

static void
test_sandbox_token_redacted (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;

  reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                   valid_body ());
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
                   "POST /v3/" PIXEL "/events/validate?access_token=… 200");
  g_assert_null (strstr (g_ptr_array_index (fixture->seen, 0), TOKEN));
}

static void
test_sandbox_valid (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) live = NULL;
  JsonObject *object;
  JsonObject *entry;

  reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                   valid_body ());
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  object = reply_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "VALID");
  g_assert_true (json_object_get_boolean_member (object, "test_event"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "event_logs")),
                    ==, 1);
  entry = json_array_get_object_element (json_object_get_array_member (object, "event_logs"), 0);
  g_assert_cmpint (json_object_get_int_member (entry, "event"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "VALID");

  live = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, valid_body ());
  g_assert_cmpuint (live->status, ==, SOUP_STATUS_OK);
  object = reply_object (live);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "VALID");
  g_assert_false (json_object_has_member (object, "event_logs"));
  g_assert_false (json_object_has_member (object, "errors"));

  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 2);
}

/* An unhashed e-mail in the second event: INVALID, and the message names it. */
static void
test_sandbox_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *body =
    "{\"data\": [{\"event_name\": \"PAGE_VIEW\", \"event_time\": 1767225600,"
    " \"action_source\": \"WEB\", \"event_id\": \"pv-1\","
    " \"event_source_url\": \"https://shop.example.com/\","
    " \"user_data\": {\"client_ip_address\": \"203.0.113.9\", \"client_user_agent\": \"UA\"}},"
    " {\"event_name\": \"PAGE_VIEW\", \"event_time\": 1767225600,"
    " \"action_source\": \"WEB\", \"event_id\": \"pv-2\","
    " \"event_source_url\": \"https://shop.example.com/\","
    " \"user_data\": {\"em\": [\"jane@example.com\"]}}]}";
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) live = NULL;
  JsonObject *object;
  JsonArray *logs;
  JsonObject *errors;
  const char *message;

  reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN, body);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
  object = reply_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "INVALID");
  logs = json_object_get_array_member (object, "event_logs");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (logs, 0),
                                                  "status"), ==, "VALID");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (logs, 1),
                                                  "status"), ==, "INVALID");
  errors = json_object_get_object_member (json_array_get_object_element (logs, 1), "errors");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (errors, "codes")), >, 0);
  message = json_array_get_string_element (json_object_get_array_member (errors, "error_msgs"), 0);
  g_assert_true (g_str_has_prefix (message, "data[1]"));

  live = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, body);
  g_assert_cmpuint (live->status, ==, SOUP_STATUS_BAD_REQUEST);
  object = reply_object (live);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "INVALID");
  g_assert_cmpint (json_object_get_int_member (object, "event"), ==, 1);
  errors = json_object_get_object_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (errors, "codes")), >, 0);
}

static void
test_sandbox_bad_body (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct { const char *body; const char *code; } cases[] = {
    { "{\"data\": [", "INVALID_JSON" },
    { "", "INVALID_JSON" },
    { "{\"events\": [{\"event_type\": \"PAGE_VIEW\"}]}", "INVALID_REQUEST_BODY" },
    { "{\"hello\": 1}", "INVALID_REQUEST_BODY" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = NULL;
      JsonObject *errors;

      reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                       cases[i].body);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
      g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "status"), ==,
                       "INVALID");
      errors = json_object_get_object_member (reply_object (reply), "errors");
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (errors, "codes"), 0),
                       ==, cases[i].code);
    }

  {
    g_autoptr(Reply) reply = request (fixture, "POST",
                                      "/v3/" PIXEL "/events?access_token=" TOKEN,
                                      "{\"data\": []}");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
  }

  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 0);
}

static void
test_sandbox_routes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(Reply) missing = request (fixture, "GET", "/v3/" PIXEL "/nothing?access_token=x", NULL);
  g_autoptr(Reply) root = request (fixture, "GET", "/", NULL);
  g_autoptr(Reply) wrong = request (fixture, "GET", "/v3/" PIXEL "/events?access_token=x", NULL);
  g_autoptr(Reply) wrong_get = request (fixture, "POST",
                                        "/v3/" PIXEL "/events/validate/stats?access_token=x",
                                        "{}");

  g_assert_cmpuint (missing->status, ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (root->status, ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (wrong->status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (wrong->headers, "Allow"), ==, "POST");
  g_assert_cmpuint (wrong_get->status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (wrong_get->headers, "Allow"), ==, "GET");
}

/* A body past the size that is judged in a worker thread: same verdicts,
 * same bookkeeping. */
static void
test_sandbox_large_batch (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"data\": [");
  g_autoptr(Reply) reply = NULL;
  JsonArray *logs;
  g_autofree char *seen = NULL;

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (body,
                            "%s{\"event_name\": \"%s\", \"event_time\": 1767225600,"
                            " \"action_source\": \"WEB\", \"event_id\": \"pv-%u\","
                            " \"event_source_url\": \"https://shop.example.com/a/long/path/%u\","
                            " \"user_data\": {\"client_ip_address\": \"203.0.113.9\","
                            " \"client_user_agent\": \"Mozilla/5.0 (X11; Linux x86_64)\"}}",
                            i > 0 ? ", " : "", i == 250 ? "page_view" : "PAGE_VIEW", i, i);
  g_string_append (body, "]}");
  g_assert_cmpuint (body->len, >=, 64 * 1024);

  reply = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN, body->str);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
  logs = json_object_get_array_member (reply_object (reply), "event_logs");
  g_assert_cmpuint (json_array_get_length (logs), ==, 400);
  for (guint i = 0; i < 400; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (logs, i),
                                                    "status"), ==,
                     i == 250 ? "INVALID" : "VALID");

  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 400);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  seen = g_strdup (g_ptr_array_index (fixture->seen, 0));
  g_assert_true (g_str_has_suffix (seen, " 400"));
}

static JsonObject *
stats_part (JsonObject *object,
            const char *part)
{
  return json_object_get_object_member (json_object_get_object_member (object, "stats"), part);
}

static void
test_sandbox_logs_stats (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(Reply) logs = NULL;
  g_autoptr(Reply) stats = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) empty = NULL;
  JsonArray *entries;
  JsonObject *entry;
  JsonObject *metadata;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = request (fixture, "POST",
                                        "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                                        valid_body ());
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) reply = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN,
                                        valid_body ());
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    }
  {
    g_autoptr(Reply) reply = request (fixture, "POST", "/v3/other-pixel/events?access_token=" TOKEN,
                                      valid_body ());
    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  }

  logs = request (fixture, "GET", "/v3/" PIXEL "/events/validate/logs?access_token=" TOKEN, NULL);
  g_assert_cmpuint (logs->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (reply_object (logs), "status"), ==, "SUCCESS");
  entries = json_object_get_array_member (reply_object (logs), "logs");
  g_assert_cmpuint (json_array_get_length (entries), ==, 5);

  /* Newest first: the two live events, then the three test events. */
  entry = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "event_name"), ==, "PAGE_VIEW");
  g_assert_cmpint (json_object_get_int_member (entry, "event_time"), ==, 1767225600);
  g_assert_cmpstr (json_object_get_string_member (entry, "action_source"), ==, "WEB");
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "VALID");
  g_assert_cmpstr (json_object_get_string_member (entry, "asset_id"), ==, PIXEL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "error_records")),
                    ==, 0);
  g_assert_true (json_object_has_member (entry, "warning_records"));
  metadata = json_object_get_object_member (entry, "event_metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "event_id"), ==, "pv-1");
  g_assert_false (json_object_get_boolean_member (metadata, "test_event"));
  entry = json_array_get_object_element (entries, 4);
  metadata = json_object_get_object_member (entry, "event_metadata");
  g_assert_true (json_object_get_boolean_member (metadata, "test_event"));

  stats = request (fixture, "GET", "/v3/" PIXEL "/events/validate/stats?access_token=" TOKEN, NULL);
  g_assert_cmpuint (stats->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (stats), "test"),
                                               "event_count_past_hour"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (stats), "live"),
                                               "event_count_past_hour"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (stats), "test"),
                                               "latest_event_ts"), ==, FIXED_NOW);

  other = request (fixture, "GET", "/v3/other-pixel/events/validate/stats?access_token=" TOKEN, NULL);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (other), "live"),
                                               "event_count_past_hour"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (other), "test"),
                                               "event_count_past_hour"), ==, 0);

  /* An hour and a minute later the counts are gone, the logs are not. */
  capi_sandbox_set_fixed_time (fixture->sandbox, FIXED_NOW + 3660);
  g_clear_pointer (&stats, reply_free);
  stats = request (fixture, "GET", "/v3/" PIXEL "/events/validate/stats?access_token=" TOKEN, NULL);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (stats), "test"),
                                               "event_count_past_hour"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (stats), "test"),
                                               "latest_event_ts"), ==, FIXED_NOW);

  capi_sandbox_clear (fixture->sandbox);
  empty = request (fixture, "GET", "/v3/" PIXEL "/events/validate/logs?access_token=" TOKEN, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (empty), "logs")),
                    ==, 0);
}

static void
test_sandbox_capacity (void)
{
  g_autoptr(CapiSandbox) sandbox = g_object_new (CAPI_TYPE_SANDBOX, "capacity", 2, NULL);
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) logs = NULL;
  JsonArray *entries;

  g_assert_true (capi_sandbox_start (sandbox, 0, NULL, &error));
  fixture.sandbox = sandbox;
  fixture.base = capi_sandbox_dup_uri (sandbox);
  fixture.session = soup_session_new ();

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"data\": [{\"event_name\": \"PAGE_VIEW\", \"event_time\": 1767225600,"
        " \"action_source\": \"WEB\", \"event_id\": \"pv-%u\","
        " \"event_source_url\": \"https://shop.example.com/\","
        " \"user_data\": {\"client_ip_address\": \"203.0.113.9\","
        " \"client_user_agent\": \"UA\"}}]}", i);
      g_autoptr(Reply) reply = request (&fixture, "POST",
                                        "/v3/" PIXEL "/events/validate?access_token=" TOKEN, body);

      g_assert_no_error (reply->error);
    }

  logs = request (&fixture, "GET", "/v3/" PIXEL "/events/validate/logs?access_token=" TOKEN, NULL);
  entries = json_object_get_array_member (reply_object (logs), "logs");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (entries, 0),
                                                    "event_metadata"), "event_id"), ==, "pv-4");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (entries, 1),
                                                    "event_metadata"), "event_id"), ==, "pv-3");
  /* The counter is not capped by the ring. */
  g_assert_cmpuint (capi_sandbox_get_n_events (sandbox), ==, 5);

  g_clear_object (&fixture.session);
  g_free (fixture.base);
}

static void
test_sandbox_rate_limit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;

  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_RATE_LIMIT);
  capi_sandbox_set_fault_count (fixture->sandbox, 1);
  capi_sandbox_set_retry_after (fixture->sandbox, 3);

  first = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                   valid_body ());
  g_assert_no_error (first->error);
  g_assert_cmpuint (first->status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "Retry-After"), ==, "3");
  g_assert_cmpint (capi_sandbox_get_fault_count (fixture->sandbox), ==, 0);
  /* A refused request is not taken in. */
  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 0);

  second = request (fixture, "POST", "/v3/" PIXEL "/events/validate?access_token=" TOKEN,
                    valid_body ());
  g_assert_cmpuint (second->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
                   "POST /v3/" PIXEL "/events/validate?access_token=… 429");
}

static void
test_sandbox_server_error (Fixture       *fixture,
                           gconstpointer  data)
{
  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_SERVER_ERROR);
  capi_sandbox_set_fault_count (fixture->sandbox, 2);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = request (fixture, "POST",
                                        "/v3/" PIXEL "/events?access_token=" TOKEN,
                                        valid_body ());

      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, i < 2 ? 500 : 200);
      if (i < 2)
        g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 0);
    }
}

static void
test_sandbox_fail_rate (Fixture       *fixture,
                        gconstpointer  data)
{
  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_SERVER_ERROR);

  /* Rate 0: the fault is armed but never fires. */
  capi_sandbox_set_fail_rate (fixture->sandbox, 0.0);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = request (fixture, "GET",
                                        "/v3/" PIXEL "/events/validate/stats?access_token=x", NULL);
      g_assert_cmpuint (reply->status, ==, 200);
    }

  /* Rate 1: every request fails. */
  capi_sandbox_set_fail_rate (fixture->sandbox, 1.0);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = request (fixture, "GET",
                                        "/v3/" PIXEL "/events/validate/stats?access_token=x", NULL);
      g_assert_cmpuint (reply->status, ==, 500);
    }
}

static void
test_sandbox_drop (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) after = NULL;

  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_DROP);
  reply = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, valid_body ());
  g_assert_nonnull (reply->error);
  g_assert_null (reply->body);
  g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
                   "POST /v3/" PIXEL "/events?access_token=… 0");

  /* The server itself is fine afterwards. */
  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_NONE);
  after = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, valid_body ());
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_sandbox_truncate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;

  capi_sandbox_set_fault (fixture->sandbox, CAPI_SANDBOX_FAULT_TRUNCATE);
  reply = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, valid_body ());
  /* The status line arrived, the body did not. */
  g_assert_nonnull (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
}

static void
test_sandbox_latency (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  gint64 start;

  capi_sandbox_set_latency (fixture->sandbox, 150);
  start = g_get_monotonic_time ();
  reply = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=" TOKEN, valid_body ());
  g_assert_cmpuint (reply->status, ==, 200);
  /* A GLib timeout never fires early, so this lower bound cannot flake. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
}

/* Stopping with an answer still held back by latency drops it cleanly. */
static void
test_sandbox_stop_pending (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *uri = g_strconcat (fixture->base, "/v3/" PIXEL "/events?access_token=x", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new_static (valid_body (), strlen (valid_body ()));
  Reply reply = { 0 };

  capi_sandbox_set_latency (fixture->sandbox, 60 * 1000);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_cb, &reply);
  while (fixture->seen->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (reply.done);

  capi_sandbox_stop (fixture->sandbox);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (reply.error);
  g_clear_error (&reply.error);
  g_clear_pointer (&reply.body, g_bytes_unref);
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

/* A client that gives up while its answer is held back by latency: the
 * delayed answer then has no connection to go to, and that must be harmless. */
static void
test_sandbox_client_gone (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *uri = g_strconcat (fixture->base, "/v3/" PIXEL "/events?access_token=x", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new_static (valid_body (), strlen (valid_body ()));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(Reply) after = NULL;
  Reply reply = { 0 };

  capi_sandbox_set_latency (fixture->sandbox, 100);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, &reply);
  while (fixture->seen->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&reply.error);

  /* Let the held-back answer come due. */
  g_timeout_add (300, quit_loop_cb, loop);
  g_main_loop_run (loop);

  capi_sandbox_set_latency (fixture->sandbox, 0);
  after = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=x", valid_body ());
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Clients that close their connection after one request (a session each,
 * disposed at once) must not leave the sandbox holding sockets. */
static void
test_sandbox_idle_connections (Fixture       *fixture,
                               gconstpointer  data)
{
  SoupSession *shared = fixture->session;
  gboolean timed_out = FALSE;
  guint baseline;
  guint timeout_id;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }

  /* i == 0 warms up: the first session makes GIO create its worker
   * thread's descriptors, which stay. */
  baseline = 0;
  for (guint i = 0; i <= 20; i++)
    {
      g_autoptr(Reply) reply = NULL;

      if (i == 1)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          baseline = count_open_fds ();
        }
      fixture->session = soup_session_new ();
      reply = request (fixture, "POST", "/v3/" PIXEL "/events?access_token=x", valid_body ());
      g_assert_cmpuint (reply->status, ==, 200);
      g_clear_object (&fixture->session);
    }
  fixture->session = shared;

  /* Each closed connection is noticed on the main loop; give it at most
   * ten seconds (it takes a few iterations). */
  timeout_id = g_timeout_add_seconds (10, set_flag_cb, &timed_out);
  while (count_open_fds () > baseline && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  g_assert_cmpuint (count_open_fds (), <=, baseline);
  g_assert_cmpuint (capi_sandbox_get_n_requests (fixture->sandbox), ==, 21);
}

typedef struct
{
  GMutex        lock;
  GCond         cond;
  char         *base;
  GMainLoop    *loop;
  CapiSandbox  *sandbox;
} ThreadData;

static gboolean
publish_base_cb (gpointer user_data)
{
  ThreadData *data = user_data;

  g_mutex_lock (&data->lock);
  data->base = capi_sandbox_dup_uri (data->sandbox);
  g_cond_signal (&data->cond);
  g_mutex_unlock (&data->lock);

  return G_SOURCE_REMOVE;
}

/* The sandbox in a thread of its own with its own main context, the way a
 * test server or a GUI worker might run it. */
static gpointer
sandbox_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  data->sandbox = capi_sandbox_new ();
  capi_sandbox_set_latency (data->sandbox, 20);
  g_assert_true (capi_sandbox_start (data->sandbox, 0, NULL, &error));
  g_assert_no_error (error);
  data->loop = g_main_loop_new (context, FALSE);
  g_main_context_invoke (context, publish_base_cb, data);
  g_main_loop_run (data->loop);

  capi_sandbox_stop (data->sandbox);
  g_assert_finalize_object (data->sandbox);
  g_main_loop_unref (data->loop);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static gboolean
quit_thread_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_sandbox_thread (void)
{
  ThreadData data = { 0 };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static (valid_body (), strlen (valid_body ()));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);
  thread = g_thread_new ("sandbox", sandbox_thread, &data);
  g_mutex_lock (&data.lock);
  while (data.base == NULL)
    g_cond_wait (&data.cond, &data.lock);
  g_mutex_unlock (&data.lock);

  /* A synchronous client here; latency and faults run on the sandbox's context. */
  uri = g_strconcat (data.base, "/v3/" PIXEL "/events?access_token=x", NULL);
  msg = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  /* The real clock: the fixture's event is too old, so an INVALID answer. */
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);

  g_main_context_invoke (g_main_loop_get_context (data.loop), quit_thread_loop_cb, data.loop);
  g_thread_join (thread);
  g_free (data.base);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);
}

static void
test_sandbox_ats_send (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *body =
    "{\"events\": [{\"event_manager\": [\"snapchat\"], \"event_id\": \"pv-1\","
    " \"event_type\": \"PAGE_VIEW\", \"event_time\": 1767225600,"
    " \"event_source_url\": \"https://shop.example.com/\","
    " \"user_data\": {\"partner_id\": \"AjfowMv4ZHZQJFM8TpiUnYEyA81Vdgg\"},"
    " \"custom_data\": []}]}";
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) logs = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  CapiEventFormat format;
  gboolean any_error;

  events = capi_event_read_document (body, -1, &format, NULL);
  g_assert_nonnull (events);
  findings = capi_lint_run (events, format, CAPI_LINT_TARGET_ATS, FIXED_NOW);
  any_error = capi_lint_count (findings, CAPI_SEVERITY_ERROR) > 0;

  /* No access token: the adapter holds Snap's token itself. */
  reply = request (fixture, "POST", "/send-events/ats-config-1", body);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, any_error ? 400 : 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "status"), ==,
                   any_error ? "INVALID" : "VALID");
  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 1);

  /* A Snap body is not an ATS body. */
  wrong = request (fixture, "POST", "/send-events/ats-config-1", valid_body ());
  g_assert_cmpuint (wrong->status, ==, SOUP_STATUS_BAD_REQUEST);

  /* ATS events do not show up in a pixel's logs. */
  logs = request (fixture, "GET", "/v3/ats-config-1/events/validate/logs?access_token=x", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (logs), "logs")),
                    ==, 0);
}

static void
test_sandbox_ats_refresh (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *path = "/api/identity/v2/envelope/refresh?pid=placement-9&it=19&iv=OLDENVELOPE";
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) no_origin = NULL;
  g_autoptr(Reply) wrong_type = NULL;
  g_autoptr(Reply) no_iv = NULL;
  JsonArray *envelopes;
  JsonObject *envelope;
  g_autofree char *first_value = NULL;

  reply = request_full (fixture, "GET", path, NULL, 0, "https://shop.example.com");
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  envelopes = json_object_get_array_member (reply_object (reply), "envelopes");
  g_assert_cmpuint (json_array_get_length (envelopes), ==, 1);
  envelope = json_array_get_object_element (envelopes, 0);
  g_assert_cmpint (json_object_get_int_member (envelope, "type"), ==, 19);
  g_assert_nonnull (json_object_get_string_member (envelope, "source"));
  first_value = g_strdup (json_object_get_string_member (envelope, "value"));
  g_assert_cmpuint (strlen (first_value), >, 0);
  g_assert_cmpstr (first_value, !=, "OLDENVELOPE");

  again = request_full (fixture, "GET", path, NULL, 0, "https://shop.example.com");
  envelope = json_array_get_object_element (json_object_get_array_member (reply_object (again),
                                                                          "envelopes"), 0);
  g_assert_cmpstr (json_object_get_string_member (envelope, "value"), !=, first_value);

  no_origin = request (fixture, "GET", path, NULL);
  g_assert_cmpuint (no_origin->status, ==, SOUP_STATUS_BAD_REQUEST);

  wrong_type = request_full (fixture, "GET",
                             "/api/identity/v2/envelope/refresh?pid=placement-9&it=4&iv=X",
                             NULL, 0, "https://shop.example.com");
  g_assert_cmpuint (wrong_type->status, ==, SOUP_STATUS_BAD_REQUEST);

  no_iv = request_full (fixture, "GET", "/api/identity/v2/envelope/refresh?pid=placement-9&it=19",
                        NULL, 0, "https://shop.example.com");
  g_assert_cmpuint (no_iv->status, ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_sandbox_too_large (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize size = CAPI_EVENT_MAX_DOCUMENT_SIZE + 1;
  g_autofree char *body = g_malloc (size);
  g_autoptr(Reply) reply = NULL;

  memset (body, ' ', size);
  reply = request_full (fixture, "POST", "/v3/" PIXEL "/events?access_token=x", body, size, NULL);
  /* Answered from the headers alone, before the body is read. */
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (capi_sandbox_get_n_events (fixture->sandbox), ==, 0);
  g_assert_cmpuint (capi_sandbox_get_n_requests (fixture->sandbox), ==, 1);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
                   "POST /v3/" PIXEL "/events?access_token=… 413");
}

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* `capi-inspector-cli serve` as a subprocess: URL on stdout, one redacted
 * line a request, a clean exit on SIGTERM. */
static void
test_sandbox_cli_serve (void)
{
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  Fixture fixture = { 0 };
  const char *start;

  if (cli == NULL)
    {
      g_test_skip ("CAPI_INSPECTOR_CLI is not set");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* If an assertion kills this test, the server must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  start = strstr (line, "http://127.0.0.1:");
  g_assert_nonnull (start);
  fixture.base = g_strndup (start, strcspn (start, " "));
  fixture.session = soup_session_new ();

  /* serve judges times by the real clock. */
  body = g_strdup_printf ("{\"data\": [{\"event_name\": \"PAGE_VIEW\", \"event_time\": %"
                          G_GINT64_FORMAT ", \"action_source\": \"WEB\", \"event_id\": \"pv-1\","
                          " \"event_source_url\": \"https://shop.example.com/\","
                          " \"user_data\": {\"client_ip_address\": \"203.0.113.9\","
                          " \"client_user_agent\": \"Mozilla/5.0\"}}]}",
                          g_get_real_time () / G_USEC_PER_SEC - 60);
  {
    g_autoptr(Reply) reply = request (&fixture, "POST",
                                      "/v3/" PIXEL "/events/validate?access_token=" TOKEN, body);
    g_assert_no_error (reply->error);
    g_assert_cmpuint (reply->status, ==, 200);
  }
  {
    g_autoptr(Reply) reply = request (&fixture, "GET",
                                      "/v3/" PIXEL "/events/validate/stats?access_token=" TOKEN,
                                      NULL);
    g_assert_cmpint (json_object_get_int_member (stats_part (reply_object (reply), "test"),
                                                 "event_count_past_hour"), ==, 1);
  }

  g_subprocess_send_signal (process, SIGTERM);
  for (;;)
    {
      g_autofree char *next = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (next == NULL)
        break;
      g_string_append_printf (all, "%s\n", next);
    }
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_assert_nonnull (strstr (all->str, "POST /v3/" PIXEL "/events/validate?access_token=… 200"));
  g_assert_nonnull (strstr (all->str, "GET /v3/" PIXEL "/events/validate/stats?access_token=… 200"));
  g_assert_null (strstr (all->str, TOKEN));
  g_assert_nonnull (strstr (all->str, "SIGTERM"));

  g_clear_object (&fixture.session);
  g_free (fixture.base);
}

static void
test_sandbox_cli_serve_bad_options (void)
{
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  static const char *cases[][3] = {
    { "--host", "example.com", NULL },
    { "--fail-rate", "2", NULL },
    { "--fault", "teapot", NULL },
    { "--port", "70000", NULL },
  };

  if (cli == NULL)
    {
      g_test_skip ("CAPI_INSPECTOR_CLI is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  cli, "serve", cases[i][0], cases[i][1], NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/capi/sandbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/capi/sandbox/new-destroy", test_sandbox_new_destroy);
  g_test_add_func ("/capi/sandbox/start-stop", test_sandbox_start_stop);
  g_test_add_func ("/capi/sandbox/properties", test_sandbox_properties);
  g_test_add_func ("/capi/sandbox/redact", test_sandbox_redact);
  ADD ("unauthorized", test_sandbox_unauthorized);
  ADD ("token-redacted", test_sandbox_token_redacted);
  ADD ("valid", test_sandbox_valid);
  ADD ("invalid", test_sandbox_invalid);
  ADD ("bad-body", test_sandbox_bad_body);
  ADD ("routes", test_sandbox_routes);
  ADD ("conformance", test_sandbox_conformance);
  ADD ("logs-stats", test_sandbox_logs_stats);
  ADD ("large-batch", test_sandbox_large_batch);
  g_test_add_func ("/capi/sandbox/capacity", test_sandbox_capacity);
  g_test_add_func ("/capi/sandbox/thread", test_sandbox_thread);
  ADD ("fault/rate-limit", test_sandbox_rate_limit);
  ADD ("fault/server-error", test_sandbox_server_error);
  ADD ("fault/fail-rate", test_sandbox_fail_rate);
  ADD ("fault/drop", test_sandbox_drop);
  ADD ("fault/truncate", test_sandbox_truncate);
  ADD ("fault/latency", test_sandbox_latency);
  ADD ("stop-pending", test_sandbox_stop_pending);
  ADD ("client-gone", test_sandbox_client_gone);
  ADD ("idle-connections", test_sandbox_idle_connections);
  ADD ("ats/send-events", test_sandbox_ats_send);
  ADD ("ats/refresh", test_sandbox_ats_refresh);
  ADD ("too-large", test_sandbox_too_large);
  g_test_add_func ("/capi/sandbox/cli/serve", test_sandbox_cli_serve);
  g_test_add_func ("/capi/sandbox/cli/bad-options", test_sandbox_cli_serve_bad_options);

#undef ADD

  return g_test_run ();
}
