/* test-cli-send.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `capi-inspector-cli send`, `logs`, `stats` and `history`, run as the
 * user runs them, against a SoupServer on 127.0.0.1 in this process.  The
 * token must never reach stdout, stderr or the history file.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "capi-destination.h"

#define TOKEN "TEST-TOKEN-4242-secret"
#define PIXEL "0f6a5a2e-1c7b-4e4b-9f0e-6a7b8c9d0e1f"

typedef struct
{
  SoupServer *server;
  char       *base_url;
  GMainLoop  *loop;
  const char *mode;
  guint       requests;
  char       *method;
  char       *path;
  char       *query;
  char       *body;
} Fixture;

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
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

  f->requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->query);
  f->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  g_free (f->body);
  f->body = g_strndup (request_body->data, request_body->length);

  if (g_str_equal (f->mode, "valid"))
    reply (msg, 200, "application/json",
           "{\"status\":\"VALID\",\"test_event\":true,\"reason\":\"\",\"event_logs\":[{\"event\":0,\"status\":\"VALID\"}]}");
  else if (g_str_equal (f->mode, "invalid"))
    reply (msg, 400, "application/json",
           "{\"status\":\"INVALID\",\"reason\":\"Bad event\",\"event_logs\":[{\"event\":0,\"status\":\"INVALID\","
           "\"errors\":{\"codes\":[\"INVALID_TIMESTAMP\"],\"error_msgs\":[\"event_time is out of range\"]}}]}");
  else if (g_str_equal (f->mode, "html"))
    reply (msg, 404, "text/html", "<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>");
  else
    g_assert_not_reached ();
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
  f->loop = g_main_loop_new (NULL, FALSE);
  f->mode = "valid";
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_free (f->base_url);
  g_free (f->method);
  g_free (f->path);
  g_free (f->query);
  g_free (f->body);
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

/* --- running the command line ------------------------------------------ */

#define EVENTS "{\"data\":[{\"event_name\":\"PURCHASE\",\"event_time\":1763900000,\"action_source\":\"WEB\"," \
               "\"event_id\":\"ord-77\",\"event_source_url\":\"https://shop.example/thanks\"," \
               "\"user_data\":{\"em\":\"Jane.Doe@Example.com\",\"ph\":\"+44 844 412 4653\"}," \
               "\"custom_data\":{\"currency\":\"GBP\",\"value\":12.5}}]}"

typedef struct
{
  GMainLoop *loop;
  char      *out;
  char      *err;
  int        status;
} CliRun;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  g_main_loop_quit (run->loop);
}

/* Runs the CLI while this process keeps serving. */
static int
run_cli (Fixture     *f,
         const char  *base_url,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliRun run = { .loop = f->loop };
  va_list ap;

  g_ptr_array_add (args, (gpointer)g_getenv ("CAPI_INSPECTOR_CLI"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "SNAP_CAPI_TOKEN", TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  if (base_url != NULL)
    g_subprocess_launcher_setenv (launcher, "CAPI_INSPECTOR_SNAP_BASE_URL", base_url, TRUE);
  g_subprocess_launcher_setenv (launcher, "CAPI_INSPECTOR_ATS_BASE_URL", f->base_url, TRUE);
  /* No keyring, no desktop settings: only what the test gives. */
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);
  g_main_loop_run (f->loop);

  g_test_message ("stdout: %s\nstderr: %s", run.out, run.err);
  g_assert_null (strstr (run.out, TOKEN));
  g_assert_null (strstr (run.err, TOKEN));
  if (out != NULL)
    *out = g_steal_pointer (&run.out);
  g_free (run.out);
  g_free (run.err);
  return run.status;
}

static char *
write_events (const char *name,
              const char *text)
{
  char *path = g_build_filename (g_get_user_config_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_cli_send_valid (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *events = write_events ("events.json", EVENTS);
  g_autofree char *recent = NULL;
  g_autofree char *out = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *history_path = g_build_filename (g_get_user_data_dir (), "capi-inspector", "history.jsonl", NULL);
  g_autofree char *history = NULL;
  g_autofree char *listed = NULL;
  g_autoptr(JsonNode) previewed = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(GError) error = NULL;

  /* VALID: exit 0, the verdict printed, the token nowhere. */
  g_assert_cmpint (run_cli (f, f->base_url, &out, "send", "--to", "snap-test", "--pixel-id", PIXEL, events, NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/v3/" PIXEL "/events/validate");
  g_assert_false (strstr (f->path, "0000"));
  g_assert_nonnull (strstr (out, "access_token=…"));
  g_assert_nonnull (strstr (out, "200"));
  g_assert_nonnull (strstr (out, "VALID"));

  /* The body sent is the body `preview` shows. */
  g_assert_cmpint (run_cli (f, NULL, &preview, "preview", events, NULL), ==, 0);
  previewed = json_from_string (preview, &error);
  g_assert_no_error (error);
  sent = json_from_string (f->body, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (previewed, sent));
  /* Hashed on the wire, never raw. */
  g_assert_null (strstr (f->body, "Jane.Doe"));

  /* History has the exchange; no token, no raw e-mail or phone. */
  g_assert_true (g_file_get_contents (history_path, &history, NULL, NULL));
  g_assert_null (strstr (history, TOKEN));
  g_assert_null (strstr (history, "Jane.Doe"));
  g_assert_null (strstr (history, "jane.doe"));
  g_assert_null (strstr (history, "844 412"));
  g_assert_nonnull (strstr (history, "ord-77"));

  g_assert_cmpint (run_cli (f, NULL, &listed, "history", "--limit", "5", NULL), ==, 0);
  g_assert_nonnull (strstr (listed, "snap-test"));
  g_assert_nonnull (strstr (listed, "PURCHASE"));
  g_clear_pointer (&listed, g_free);
  g_assert_cmpint (run_cli (f, NULL, &listed, "history", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (listed, "\"ord-77\""));

  /* INVALID: exit 1 and the finding shown with its path. */
  f->mode = "invalid";
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, f->base_url, &out, "send", "--to", "snap-test", "--pixel-id", PIXEL, events, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "data[0].event_time"));
  g_assert_nonnull (strstr (out, "INVALID_TIMESTAMP"));

  /* --json: the records, still without the token (run_cli checks). */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, f->base_url, &out, "send", "--json", "--to", "snap-test", "--pixel-id", PIXEL, events, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"status\" : 400"));

  /* No sandbox URL anywhere: a built-in sandbox answers for this run (and
   * judges like Snap, so the event must be recent). */
  {
    g_autofree char *recent_json = g_strdup_printf ("{\"event_name\":\"PAGE_VIEW\",\"event_time\":%" G_GINT64_FORMAT ","
                                                    "\"action_source\":\"WEB\",\"event_id\":\"pv-1\","
                                                    "\"event_source_url\":\"https://shop.example/\","
                                                    "\"user_data\":{\"em\":\"jane@example.com\"}}",
                                                    g_get_real_time () / G_USEC_PER_SEC - 60);

    g_free (recent);
    recent = write_events ("recent.json", recent_json);
  }
  f->requests = 0;
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, NULL, &out, "send", recent, NULL), ==, 0);
  g_assert_cmpuint (f->requests, ==, 0);
  g_assert_nonnull (strstr (out, "/v3/" CAPI_DESTINATION_SANDBOX_PIXEL_ID "/events/validate?access_token=…"));
  g_assert_nonnull (strstr (out, "VALID"));

  /* Sandbox and ATS paths. */
  f->mode = "valid";
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", events, NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/v3/00000000-0000-4000-8000-000000000000/events/validate");
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "ats", "--ats-config-id", "cfg-9", events, NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/send-events/cfg-9");
  g_assert_null (f->query);

  /* logs and stats: GET with the token in the query. */
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "logs", "--pixel-id", PIXEL, NULL), ==, 0);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, "/v3/" PIXEL "/events/validate/logs");
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "stats", "--pixel-id", PIXEL, NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/v3/" PIXEL "/events/validate/stats");
  /* The sandbox's own pixel when none is given; its placeholder token. */
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "logs", "--to", "sandbox", NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/v3/" CAPI_DESTINATION_SANDBOX_PIXEL_ID "/events/validate/logs");
}

static void
test_cli_send_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *events = write_events ("events.json", EVENTS);
  g_autofree char *broken = write_events ("broken.json", "{\"data\": [");
  g_autofree char *refused = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  guint before;

  /* Bad input: 2, nothing sent. */
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "snap-test", "--pixel-id", PIXEL, broken, NULL), ==, 2);
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "nowhere", events, NULL), ==, 2);
  g_assert_cmpuint (f->requests, ==, 0);

  /* No connection: 2. */
  g_assert_cmpint (run_cli (f, refused, NULL, "send", "--to", "snap-test", "--pixel-id", PIXEL, events, NULL), ==, 2);

  /* Snap live without --yes and no terminal to ask on: refused. */
  before = f->requests;
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "snap-live", "--pixel-id", PIXEL, events, NULL), ==, 2);
  g_assert_cmpuint (f->requests, ==, before);
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "snap-live", "--yes", "--pixel-id", PIXEL, events, NULL), ==, 0);
  g_assert_cmpstr (f->path, ==, "/v3/" PIXEL "/events");

  /* An HTTP error: 1. */
  f->mode = "html";
  g_assert_cmpint (run_cli (f, f->base_url, NULL, "send", "--to", "snap-test", "--pixel-id", PIXEL, events, NULL), ==, 1);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/capi/cli-send/valid", Fixture, NULL, fixture_setup, test_cli_send_valid, fixture_teardown);
  g_test_add ("/capi/cli-send/errors", Fixture, NULL, fixture_setup, test_cli_send_errors, fixture_teardown);

  return g_test_run ();
}
