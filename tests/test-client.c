/* test-client.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case talks to a real server on 127.0.0.1 in this process: a
 * SoupServer, or a bare socket service where a misbehaving peer is needed.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "capi-client.h"
#include "capi-finding.h"

#define TOKEN "TEST-TOKEN-4242-secret"
#define PIXEL "0f6a5a2e-1c7b-4e4b-9f0e-6a7b8c9d0e1f"

typedef struct
{
  SoupServer  *server;
  char        *base_url;
  CapiClient  *client;
  CapiProfile *profile;
  GMainLoop   *loop;

  /* What the handler does, and what it saw. */
  const char  *mode;
  guint        requests;
  gint64       request_times[8];
  char        *method;
  char        *path;
  char        *query;
  char        *body;
  SoupMessageHeaders *headers;
  GCancellable *cancel_on_request;
  GPtrArray   *paused;      /* SoupServerMessage, held until teardown */

  CapiExchange *exchange;
  GError       *error;
  guint         finished_signals;

  /* Bulk sends */
  GArray       *batch_sizes;
  guint         in_flight;
  guint         max_in_flight;
  GPtrArray    *exchanges;
  GArray       *progress;
} Fixture;

static void
check_no_token (CapiExchange *exchange)
{
  g_autofree char *json = capi_exchange_to_json_string (exchange);

  g_assert_null (strstr (json, TOKEN));
  g_assert_null (strstr (capi_exchange_get_url (exchange), TOKEN));
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
release_cb (gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  Fixture *f = g_object_get_data (G_OBJECT (msg), "fixture");

  f->in_flight--;
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  guint n = f->requests++;

  if (n < G_N_ELEMENTS (f->request_times))
    f->request_times[n] = g_get_monotonic_time ();
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->query);
  f->query = g_strdup (g_uri_get_query (uri));
  g_free (f->body);
  f->body = g_strndup (request_body->data, request_body->length);
  g_clear_pointer (&f->headers, soup_message_headers_unref);
  f->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));

  if (g_str_equal (f->mode, "valid"))
    reply (msg, 200, "application/json",
           "{\"status\":\"VALID\",\"test_event\":true,\"reason\":\"\",\"event_logs\":[{\"event\":0,\"status\":\"VALID\"}]}");
  else if (g_str_equal (f->mode, "invalid"))
    reply (msg, 400, "application/json",
           "{\"status\":\"INVALID\",\"reason\":\"Bad event\",\"event_logs\":[{\"event\":0,\"status\":\"INVALID\","
           "\"errors\":{\"codes\":[\"INVALID_TIMESTAMP\"],\"error_msgs\":[\"event_time is out of range\"]}}]}");
  else if (g_str_equal (f->mode, "status"))
    {
      guint status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->client), "test-status"));

      reply (msg, status, "application/json", "{\"status\":\"FAILURE\",\"reason\":\"nope\"}");
      if (status == 413)
        reply (msg, status, "text/plain", "Request Entity Too Large");
    }
  else if (g_str_equal (f->mode, "429-then-ok"))
    {
      if (n == 0)
        {
          soup_message_headers_replace (response_headers, "Retry-After", "1");
          reply (msg, 429, "application/json", "{\"status\":\"FAILURE\",\"reason\":\"slow down\"}");
        }
      else
        reply (msg, 200, "application/json", "{\"status\":\"VALID\"}");
    }
  else if (g_str_equal (f->mode, "429-date-then-ok"))
    {
      if (n == 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 1);
          g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

          soup_message_headers_replace (response_headers, "Retry-After", date);
          reply (msg, 429, NULL, NULL);
        }
      else
        reply (msg, 200, "application/json", "{\"status\":\"VALID\"}");
    }
  else if (g_str_equal (f->mode, "429-long"))
    {
      soup_message_headers_replace (response_headers, "Retry-After", "3600");
      reply (msg, 429, NULL, NULL);
    }
  else if (g_str_equal (f->mode, "500-then-ok"))
    {
      if (n == 0)
        reply (msg, 500, "text/plain", "oops");
      else
        reply (msg, 200, "application/json", "{\"status\":\"VALID\"}");
    }
  else if (g_str_equal (f->mode, "500"))
    reply (msg, 500, "text/plain", "still broken");
  else if (g_str_equal (f->mode, "html"))
    reply (msg, 404, "text/html", "<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>");
  else if (g_str_equal (f->mode, "echo"))
    {
      /* A careless server that repeats the query back. */
      g_autofree char *text = g_strdup_printf ("{\"status\":\"INVALID\",\"reason\":\"query was %s\"}",
                                               g_uri_get_query (uri));

      reply (msg, 400, "application/json", text);
    }
  else if (g_str_equal (f->mode, "big"))
    {
      gsize size = 10 * 1024 * 1024;
      const char *head = "{\"status\":\"VALID\",\"pad\":\"";
      char *big = g_malloc (size);

      memset (big, ' ', size);
      memcpy (big, head, strlen (head));
      big[size - 2] = '"';
      big[size - 1] = '}';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, big, size);
    }
  else if (g_str_equal (f->mode, "bulk"))
    {
      guint n = 0;

      /* Every event has an event_id; counting them is enough here. */
      for (const char *p = strstr (f->body, "\"event_id\""); p != NULL; p = strstr (p + 1, "\"event_id\""))
        n++;
      g_assert_true (g_str_has_prefix (f->body, "{\"data\":[") || g_str_has_prefix (f->body, "{\"events\":["));
      g_array_append_val (f->batch_sizes, n);
      reply (msg, 200, "application/json", "{\"status\":\"VALID\"}");
      /* Hold the answer a moment so that requests overlap. */
      soup_server_message_pause (msg);
      f->in_flight++;
      f->max_in_flight = MAX (f->max_in_flight, f->in_flight);
      g_timeout_add (15, release_cb, g_object_ref (msg));
      g_object_set_data (G_OBJECT (msg), "fixture", f);
    }
  else if (g_str_equal (f->mode, "stall"))
    {
      /* Never answer. */
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
      if (f->cancel_on_request != NULL)
        g_cancellable_cancel (f->cancel_on_request);
    }
  else
    g_assert_not_reached ();
}

static void
exchange_finished_cb (CapiClient   *client,
                      CapiExchange *exchange,
                      Fixture      *f)
{
  f->finished_signals++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  f->client = capi_client_new ();
  capi_client_set_retry_delay_ms (f->client, 20);
  g_signal_connect (f->client, "exchange-finished", G_CALLBACK (exchange_finished_cb), f);
  f->profile = capi_profile_new ("test");
  capi_profile_set_pixel_id (f->profile, PIXEL);
  capi_profile_set_ats_config_id (f->profile, "cfg-7");
  capi_profile_set_ats_placement_id (f->profile, "13");
  capi_profile_set_origin (f->profile, "https://shop.example");
  capi_profile_set_snap_base_url (f->profile, f->base_url);
  capi_profile_set_sandbox_base_url (f->profile, f->base_url);
  capi_profile_set_ats_base_url (f->profile, f->base_url);
  capi_profile_set_envelope_base_url (f->profile, f->base_url);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->progress = g_array_new (FALSE, FALSE, sizeof (guint));
  f->mode = "valid";
  g_unsetenv ("CAPI_INSPECTOR_SNAP_BASE_URL");
  g_unsetenv ("CAPI_INSPECTOR_ATS_BASE_URL");
  g_unsetenv ("CAPI_INSPECTOR_ENVELOPE_BASE_URL");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->paused, i));
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  g_clear_pointer (&f->batch_sizes, g_array_unref);
  g_clear_pointer (&f->progress, g_array_unref);
  g_clear_pointer (&f->exchanges, g_ptr_array_unref);
  g_clear_object (&f->exchange);
  g_clear_error (&f->error);
  g_clear_object (&f->cancel_on_request);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->profile);
  soup_server_disconnect (f->server);
  /* Let both ends finish closing their connections before the check. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_pointer (&f->headers, soup_message_headers_unref);
  g_free (f->base_url);
  g_free (f->method);
  g_free (f->path);
  g_free (f->query);
  g_free (f->body);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  f->exchange = capi_client_send_finish (CAPI_CLIENT (object), result, &f->error);
  g_main_loop_quit (f->loop);
}

static void
send_and_wait (Fixture             *f,
               CapiDestinationKind  kind,
               const char          *body,
               GCancellable        *cancellable)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  g_clear_object (&f->exchange);
  g_clear_error (&f->error);
  capi_client_send_async (f->client, kind, f->profile, TOKEN, bytes, cancellable, send_done_cb, f);
  g_main_loop_run (f->loop);
  if (f->exchange != NULL)
    check_no_token (f->exchange);
}

#define BODY "{\"data\":[{\"event_name\":\"PURCHASE\",\"event_id\":\"o-1\"}]}"

static void
test_client_new_destroy (void)
{
  CapiClient *client = capi_client_new ();

  g_assert_cmpuint (capi_client_get_concurrency (client), ==, 4);
  g_assert_cmpuint (capi_client_get_retry_delay_ms (client), ==, CAPI_CLIENT_DEFAULT_RETRY_DELAY_MS);
  g_assert_finalize_object (client);
}

static void
test_client_requests (Fixture       *f,
                      gconstpointer  data)
{
  static const struct {
    CapiDestinationKind kind;
    const char *method;
    const char *path;
    const char *query;
    gboolean    body;
  } cases[] = {
    { CAPI_DESTINATION_SANDBOX, "POST", "/v3/" PIXEL "/events/validate", "access_token=" TOKEN, TRUE },
    { CAPI_DESTINATION_SNAP_TEST, "POST", "/v3/" PIXEL "/events/validate", "access_token=" TOKEN, TRUE },
    { CAPI_DESTINATION_SNAP_LIVE, "POST", "/v3/" PIXEL "/events", "access_token=" TOKEN, TRUE },
    { CAPI_DESTINATION_SNAP_LOGS, "GET", "/v3/" PIXEL "/events/validate/logs", "access_token=" TOKEN, FALSE },
    { CAPI_DESTINATION_SNAP_STATS, "GET", "/v3/" PIXEL "/events/validate/stats", "access_token=" TOKEN, FALSE },
    { CAPI_DESTINATION_ATS_SEND, "POST", "/send-events/cfg-7", NULL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected_url = NULL;

      send_and_wait (f, cases[i].kind, BODY, NULL);
      g_assert_no_error (f->error);
      g_assert_cmpstr (f->method, ==, cases[i].method);
      g_assert_cmpstr (f->path, ==, cases[i].path);
      g_assert_cmpstr (f->query, ==, cases[i].query);
      g_assert_cmpstr (f->body, ==, cases[i].body ? BODY : "");
      if (cases[i].body)
        g_assert_cmpstr (soup_message_headers_get_content_type (f->headers, NULL), ==, "application/json");
      g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Accept"), ==, "application/json");
      g_assert_true (g_str_has_prefix (soup_message_headers_get_one (f->headers, "User-Agent"), "capi-inspector/"));

      g_assert_cmpint (capi_exchange_get_destination (f->exchange), ==, cases[i].kind);
      g_assert_cmpstr (capi_exchange_get_method (f->exchange), ==, cases[i].method);
      expected_url = g_strdup_printf ("%s%s%s%s", f->base_url, cases[i].path + 1,
                                      cases[i].query != NULL ? "?" : "",
                                      cases[i].query != NULL ? "access_token=…" : "");
      g_assert_cmpstr (capi_exchange_get_url (f->exchange), ==, expected_url);
      g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 200);
      g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 1);
    }
  g_assert_cmpuint (f->finished_signals, ==, G_N_ELEMENTS (cases));
}

static void
envelope_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fixture *f = user_data;

  f->exchange = capi_client_refresh_envelope_finish (CAPI_CLIENT (object), result, &f->error);
  g_main_loop_quit (f->loop);
}

static void
test_client_envelope (Fixture       *f,
                      gconstpointer  data)
{
  CapiEnvelopeRequest request = {
    .envelope = "Aj/fow+Mv4",
    .consent_type = "1",
    .consent_string = "CP1",
    .forwarded_for = "198.51.100.4",
  };

  capi_client_refresh_envelope_async (f->client, f->profile, &request, NULL, envelope_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, "/api/identity/v2/envelope/refresh");
  g_assert_cmpstr (f->query, ==, "pid=13&it=19&iv=Aj%2Ffow%2BMv4&ct=1&cv=CP1");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Origin"), ==, "https://shop.example");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "X-Forwarded-For"), ==, "198.51.100.4");
  g_assert_cmpint (capi_exchange_get_destination (f->exchange), ==, CAPI_DESTINATION_ATS_ENVELOPE_REFRESH);
}

static void
test_client_valid (Fixture       *f,
                   gconstpointer  data)
{
  CapiTimings timings;

  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);
  g_assert_cmpstr (capi_exchange_get_snap_status (f->exchange), ==, "VALID");
  g_assert_nonnull (capi_exchange_get_response_json (f->exchange));
  g_assert_null (capi_exchange_get_error (f->exchange));
  capi_exchange_get_timings (f->exchange, &timings);
  /* Fresh connection: every phase was measured. */
  g_assert_cmpfloat (timings.connect_ms, >=, 0);
  g_assert_cmpfloat (timings.ttfb_ms, >=, 0);
  g_assert_cmpfloat (timings.total_ms, >=, timings.ttfb_ms);
}

static void
test_client_invalid (Fixture       *f,
                     gconstpointer  data)
{
  CapiFinding *finding;

  f->mode = "invalid";
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 400);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_INVALID);
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 1);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpuint (capi_exchange_get_findings (f->exchange)->len, ==, 1);
  finding = g_ptr_array_index (capi_exchange_get_findings (f->exchange), 0);
  g_assert_cmpstr (capi_finding_get_code (finding), ==, "INVALID_TIMESTAMP");
  g_assert_cmpstr (capi_finding_get_path (finding), ==, "data[0].event_time");
}

static void
test_client_4xx (Fixture       *f,
                 gconstpointer  data)
{
  static const guint statuses[] = { 401, 403, 404, 413 };

  f->mode = "status";
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      f->requests = 0;
      g_object_set_data (G_OBJECT (f->client), "test-status", GUINT_TO_POINTER (statuses[i]));
      send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
      g_assert_no_error (f->error);
      g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, statuses[i]);
      /* Never retried. */
      g_assert_cmpuint (f->requests, ==, 1);
      g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 1);
      g_assert_null (capi_exchange_get_error (f->exchange));
      if (statuses[i] == 413)
        g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_HTTP_ERROR);
      else
        g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_INVALID);
    }
}

static void
test_client_429 (Fixture       *f,
                 gconstpointer  data)
{
  f->mode = "429-then-ok";
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests, ==, 2);
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 2);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 200);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);
  /* Retry-After: 1 was honoured (a lower bound, which cannot flake): the
   * backoff alone would have waited about 20 ms. */
  g_assert_cmpint (f->request_times[1] - f->request_times[0], >=, 950 * 1000);

  f->mode = "429-date-then-ok";
  f->requests = 0;
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_cmpuint (f->requests, ==, 2);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);

  /* Asked to wait an hour: not waited for, and said so. */
  f->mode = "429-long";
  f->requests = 0;
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 429);
  g_assert_error ((GError *)capi_exchange_get_error (f->exchange), CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_GAVE_UP);
}

static void
test_client_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 23, 12, 0, 0);
  guint64 ms = 0;

  g_assert_true (capi_client_parse_retry_after ("120", now, &ms));
  g_assert_cmpuint (ms, ==, 120000);
  g_assert_true (capi_client_parse_retry_after (" 0 ", now, &ms));
  g_assert_cmpuint (ms, ==, 0);
  g_assert_true (capi_client_parse_retry_after ("Mon, 23 Nov 2026 12:00:30 GMT", now, &ms));
  g_assert_cmpuint (ms, ==, 30000);
  /* A date in the past means "now". */
  g_assert_true (capi_client_parse_retry_after ("Mon, 23 Nov 2026 11:00:00 GMT", now, &ms));
  g_assert_cmpuint (ms, ==, 0);
  g_assert_false (capi_client_parse_retry_after ("soon", now, &ms));
  g_assert_false (capi_client_parse_retry_after ("", now, &ms));
  g_assert_false (capi_client_parse_retry_after ("12abc", now, &ms));
  g_assert_false (capi_client_parse_retry_after (NULL, now, &ms));
}

static void
test_client_500 (Fixture       *f,
                 gconstpointer  data)
{
  const GError *error;

  f->mode = "500-then-ok";
  send_and_wait (f, CAPI_DESTINATION_SNAP_LIVE, BODY, NULL);
  g_assert_cmpuint (f->requests, ==, 2);
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 2);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);

  f->mode = "500";
  f->requests = 0;
  send_and_wait (f, CAPI_DESTINATION_SNAP_LIVE, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests, ==, 3);
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 3);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 500);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_HTTP_ERROR);
  error = capi_exchange_get_error (f->exchange);
  g_assert_error ((GError *)error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_GAVE_UP);
  g_assert_nonnull (strstr (error->message, "3 attempts"));
  g_assert_nonnull (strstr (error->message, "500"));

  /* One attempt allowed: no retry and no "gave up". */
  capi_profile_set_max_attempts (f->profile, 1);
  f->requests = 0;
  send_and_wait (f, CAPI_DESTINATION_SNAP_LIVE, BODY, NULL);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_null (capi_exchange_get_error (f->exchange));
}

static guint16
unused_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_client_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  const GError *error;

  capi_profile_set_snap_base_url (f->profile, url);
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 0);
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 3);
  error = capi_exchange_get_error (f->exchange);
  g_assert_error ((GError *)error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_GAVE_UP);
  g_assert_nonnull (strstr (error->message, "3 attempts"));
  g_assert_cmpuint (f->finished_signals, ==, 1);
}

static void
test_client_stall (Fixture       *f,
                   gconstpointer  data)
{
  f->mode = "stall";
  capi_profile_set_total_timeout_ms (f->profile, 300);
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  /* A stalled server may well be processing: not retried. */
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_error ((GError *)capi_exchange_get_error (f->exchange), CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_TIMEOUT);
}

static void
test_client_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  f->mode = "stall";
  f->cancel_on_request = g_object_ref (cancellable);
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f->exchange);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpuint (f->finished_signals, ==, 0);
}

static void
test_client_html (Fixture       *f,
                  gconstpointer  data)
{
  gsize size = 0;
  const char *body;

  f->mode = "html";
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 404);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_HTTP_ERROR);
  g_assert_null (capi_exchange_get_response_json (f->exchange));
  body = g_bytes_get_data (capi_exchange_get_response_body (f->exchange), &size);
  g_assert_nonnull (g_strstr_len (body, size, "<h1>Not Found</h1>"));
}

static void
test_client_big (Fixture       *f,
                 gconstpointer  data)
{
  f->mode = "big";
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (capi_exchange_get_response_body (f->exchange)), ==, 10 * 1024 * 1024);
  g_assert_cmpstr (capi_exchange_get_snap_status (f->exchange), ==, "VALID");
}

static void
test_client_echo (Fixture       *f,
                  gconstpointer  data)
{
  gsize size = 0;
  const char *body;

  f->mode = "echo";
  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  /* The server saw the token... */
  g_assert_nonnull (strstr (f->query, TOKEN));
  /* ...but the exchange keeps none of it (check_no_token ran too). */
  body = g_bytes_get_data (capi_exchange_get_response_body (f->exchange), &size);
  g_assert_null (g_strstr_len (body, size, TOKEN));
  g_assert_nonnull (g_strstr_len (body, size, "access_token=…"));
}

/* A peer that promises a body and hangs up half way. */
static gboolean
dropping_run_cb (GThreadedSocketService *service,
                 GSocketConnection      *connection,
                 GObject                *source,
                 gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  const char *response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: 5000\r\n\r\n{\"status\":\"VAL";
  char buffer[4096];

  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buffer, n);
    }
  g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_client_dropped (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *url = NULL;

  g_signal_connect (service, "run", G_CALLBACK (dropping_run_cb), NULL);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  capi_profile_set_snap_base_url (f->profile, url);
  capi_profile_set_max_attempts (f->profile, 2);

  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  /* A dropped connection counts as a connection failure: tried again. */
  g_assert_cmpuint (capi_exchange_get_attempts (f->exchange), ==, 2);
  g_assert_nonnull (capi_exchange_get_error (f->exchange));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}


/* A listener that never accepts, its queue filled: the kernel then drops
 * further SYNs and a connect hangs, which is what a dead host looks like. */
static GSocket *
full_listener (guint16   *out_port,
               GPtrArray *fillers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(GSocket) filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GError) connect_error = NULL;

      g_socket_set_blocking (filler, FALSE);
      if (!g_socket_connect (filler, bound, NULL, &connect_error) &&
          !g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_PENDING))
        break;
      g_ptr_array_add (fillers, g_object_ref (filler));
      /* Not connected within 200 ms: the queue is full. */
      if (!g_socket_condition_timed_wait (filler, G_IO_OUT, 200 * 1000, NULL, NULL))
        return listener;
    }
  g_object_unref (listener);
  return NULL;
}

static void
test_client_connect_timeout (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *url = NULL;
  guint16 port = 0;

  listener = full_listener (&port, fillers);
  if (listener == NULL)
    {
      g_test_skip ("The kernel kept accepting connections; cannot simulate a hanging connect");
      return;
    }
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  capi_profile_set_snap_base_url (f->profile, url);
  capi_profile_set_connect_timeout_ms (f->profile, 300);
  capi_profile_set_max_attempts (f->profile, 1);

  send_and_wait (f, CAPI_DESTINATION_SNAP_TEST, BODY, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  g_assert_error ((GError *)capi_exchange_get_error (f->exchange), CAPI_CLIENT_ERROR,
                  CAPI_CLIENT_ERROR_CONNECT_TIMEOUT);
}

/* --- bulk ----------------------------------------------------------------- */

static void
progress_cb (CapiClient *client,
             guint       done,
             guint       total,
             Fixture    *f)
{
  g_array_append_val (f->progress, done);
  g_assert_cmpuint (done, <=, total);
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  f->exchanges = capi_client_send_events_finish (CAPI_CLIENT (object), result, &f->error);
  g_main_loop_quit (f->loop);
}

static GPtrArray *
make_events (guint       n,
             const char *partner_ids[])
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapiEvent) event = capi_event_new ();
      g_autofree char *id = g_strdup_printf ("e-%u", i);

      /* Small events: the bulk test is about batching, not content. */
      capi_event_set_string (event, "event_name", "PAGE_VIEW");
      capi_event_set_string (event, "event_id", id);
      if (partner_ids != NULL && partner_ids[i] != NULL)
        capi_event_set_string (event, "user_data.partner_id", partner_ids[i]);
      g_ptr_array_add (events, g_steal_pointer (&event));
    }
  return events;
}

static void
test_client_bulk (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) events = make_events (2001, NULL);
  guint expected[] = { 2000, 1 };
  guint total = 0;

  f->mode = "bulk";
  g_signal_connect (f->client, "progress", G_CALLBACK (progress_cb), f);
  capi_client_send_events_async (f->client, CAPI_DESTINATION_SNAP_TEST, f->profile, TOKEN, events,
                                 NULL, 0, NULL, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);

  /* At most 2000 events per v3 request, results in batch order. */
  g_assert_cmpuint (f->exchanges->len, ==, 2);
  g_assert_cmpuint (f->batch_sizes->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      CapiExchange *exchange = g_ptr_array_index (f->exchanges, i);

      g_assert_cmpuint (capi_exchange_get_n_events (exchange), ==, expected[i]);
      g_assert_cmpint (capi_exchange_get_outcome (exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);
      total += g_array_index (f->batch_sizes, guint, i);
      check_no_token (exchange);
    }
  g_assert_cmpuint (total, ==, 2001);
  g_assert_cmpstr (capi_exchange_get_event_id (g_ptr_array_index (f->exchanges, 1), 0), ==, "e-2000");

  /* Progress after every request, rising to the total. */
  g_assert_cmpuint (f->progress->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->progress, guint, 1), >, g_array_index (f->progress, guint, 0));
  g_assert_cmpuint (g_array_index (f->progress, guint, 1), ==, 2001);
  g_assert_cmpuint (f->finished_signals, ==, 2);
}

static void
test_client_bulk_concurrency (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) events = make_events (60, NULL);

  f->mode = "bulk";
  capi_client_set_concurrency (f->client, 2);
  capi_client_send_events_async (f->client, CAPI_DESTINATION_SANDBOX, f->profile, TOKEN, events,
                                 NULL, 10, NULL, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->exchanges->len, ==, 6);
  g_assert_cmpuint (f->requests, ==, 6);
  /* Never more than the bound at the server at once. */
  g_assert_cmpuint (f->max_in_flight, <=, 2);
  g_assert_cmpuint (f->max_in_flight, >=, 1);
}

static void
test_client_bulk_ats (Fixture       *f,
                      gconstpointer  data)
{
  const char *partners[] = { "env-A", "env-B", "env-A", NULL, "env-B", "env-A" };
  g_autoptr(GPtrArray) events = make_events (G_N_ELEMENTS (partners), partners);

  f->mode = "bulk";
  capi_client_set_concurrency (f->client, 1);
  capi_client_send_events_async (f->client, CAPI_DESTINATION_ATS_SEND, f->profile, TOKEN, events,
                                 NULL, 0, NULL, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  /* One user session per request: A (3), B (2), and the keyless event alone. */
  g_assert_cmpuint (f->exchanges->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 0), ==, 3);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 2), ==, 1);
  g_assert_cmpstr (f->path, ==, "/send-events/cfg-7");
  /* No Snap token goes to LiveRamp. */
  g_assert_null (f->query);
}

static void
test_client_bulk_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = make_events (3, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  capi_client_send_events_async (f->client, CAPI_DESTINATION_SNAP_TEST, f->profile, TOKEN, none,
                                 NULL, 0, NULL, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_NO_EVENTS);
  g_clear_error (&f->error);

  /* Nothing can be sent without a pixel: the error, no exchanges. */
  capi_profile_set_pixel_id (f->profile, NULL);
  capi_client_send_events_async (f->client, CAPI_DESTINATION_SNAP_TEST, f->profile, TOKEN, events,
                                 NULL, 0, NULL, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_PIXEL_ID);
  g_assert_null (f->exchanges);
  g_clear_error (&f->error);

  /* Cancelled mid-way. */
  capi_profile_set_pixel_id (f->profile, PIXEL);
  f->mode = "stall";
  f->cancel_on_request = g_object_ref (cancellable);
  capi_client_send_events_async (f->client, CAPI_DESTINATION_SNAP_TEST, f->profile, TOKEN, events,
                                 NULL, 1, cancellable, bulk_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/client/new-destroy", test_client_new_destroy);
  g_test_add_func ("/capi/client/retry-after-parse", test_client_retry_after_parse);
#define ADD(path, func) \
  g_test_add ("/capi/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("requests", test_client_requests);
  ADD ("envelope", test_client_envelope);
  ADD ("valid", test_client_valid);
  ADD ("invalid", test_client_invalid);
  ADD ("4xx", test_client_4xx);
  ADD ("429", test_client_429);
  ADD ("500", test_client_500);
  ADD ("refused", test_client_refused);
  ADD ("stall", test_client_stall);
  ADD ("connect-timeout", test_client_connect_timeout);
  ADD ("cancel", test_client_cancel);
  ADD ("html", test_client_html);
  ADD ("big", test_client_big);
  ADD ("echo", test_client_echo);
  ADD ("dropped", test_client_dropped);
  ADD ("bulk", test_client_bulk);
  ADD ("bulk-concurrency", test_client_bulk_concurrency);
  ADD ("bulk-ats", test_client_bulk_ats);
  ADD ("bulk-errors", test_client_bulk_errors);
#undef ADD

  return g_test_run ();
}
