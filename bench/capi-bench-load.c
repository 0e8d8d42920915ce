/* capi-bench-load.c -- a bounded HTTP load generator for the sandbox
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeps N requests in flight against a sandbox on the loopback interface
 * (`capi-inspector-cli serve`), each a v3 body of K events, until a request
 * count or a time limit is reached, then prints one line of results as JSON.
 * It refuses any host that is not a loopback address: this is a benchmark
 * for this machine, never a tool to load someone else's server.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>

typedef struct
{
  SoupSession *session;
  GMainLoop   *loop;
  char        *url;
  guint        batch;
  guint        total;       /* requests to send at most */
  gint64       deadline;    /* monotonic µs */
  guint        started;
  guint        finished;
  guint        in_flight;
  guint        ok;          /* 2xx */
  guint        rejected;    /* 4xx/5xx answers */
  guint        failed;      /* no answer */
  guint64      events_ok;
  gint64       event_time;
  gboolean     nodelay;
  gboolean     keep_alive;
} Load;

static void start_one (Load *load);

/* A v3 body of load->batch events with unique event ids. */
static GBytes *
make_body (Load  *load,
           guint  request_index)
{
  GString *body = g_string_sized_new (350 * load->batch + 16);

  g_string_append (body, "{\"data\":[");
  for (guint i = 0; i < load->batch; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append_printf (body,
                              "{\"event_name\":\"PAGE_VIEW\",\"event_time\":%" G_GINT64_FORMAT ","
                              "\"action_source\":\"WEB\",\"event_id\":\"bench-%u-%u\","
                              "\"event_source_url\":\"https://shop.example.com/p/%u\","
                              "\"user_data\":{\"client_ip_address\":\"203.0.113.%u\","
                              "\"client_user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\"},"
                              "\"integration\":\"capi-inspector-bench\"}",
                              load->event_time, request_index, i, i, i % 250 + 1);
    }
  g_string_append (body, "]}");

  return g_string_free_to_bytes (body);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  status = msg != NULL ? soup_message_get_status (msg) : 0;

  load->in_flight--;
  load->finished++;
  if (body == NULL)
    load->failed++;
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      load->ok++;
      load->events_ok += load->batch;
    }
  else
    load->rejected++;

  if (load->started < load->total && g_get_monotonic_time () < load->deadline)
    start_one (load);
  else if (load->in_flight == 0)
    g_main_loop_quit (load->loop);
}

/* libsoup writes the request headers and the body apart; with Nagle's
 * algorithm the body then waits for the server's delayed ACK (tens of ms),
 * which would measure the TCP stack rather than the sandbox. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void
start_one (Load *load)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", load->url);
  g_autoptr(GBytes) body = make_body (load, load->started);

  if (load->nodelay)
    g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);
  /* libsoup opens a fresh connection for every POST unless told that the
   * request may be repeated; Snap deduplicates on event_id, so it may. */
  if (load->keep_alive)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  load->started++;
  load->in_flight++;
  soup_session_send_and_read_async (load->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    done_cb, load);
}

static gboolean
is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if (g_strcmp0 (host, "localhost") == 0)
    return TRUE;

  address = host != NULL ? g_inet_address_new_from_string (host) : NULL;

  return address != NULL && g_inet_address_get_is_loopback (address);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *pixel = NULL;
  g_autofree char *endpoint = NULL;
  int concurrency = 16;
  int requests = 10000;
  int batch = 1;
  double seconds = 30.0;
  gboolean nagle = FALSE;
  gboolean new_connections = FALSE;
  Load load = { 0 };
  gint64 start;
  double elapsed;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &base, "Sandbox base URL (loopback only)", "URL" },
    { "pixel-id", 0, 0, G_OPTION_ARG_STRING, &pixel, "Asset id in the path", "ID" },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint, "events (default) or validate", "NAME" },
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency, "Requests in flight (16)", "N" },
    { "requests", 'n', 0, G_OPTION_ARG_INT, &requests, "Requests to send at most (10000)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Events per request (1)", "K" },
    { "seconds", 't', 0, G_OPTION_ARG_DOUBLE, &seconds, "Time limit (30)", "S" },
    { "new-connections", 0, 0, G_OPTION_ARG_NONE, &new_connections,
      "A new connection per POST (libsoup's default)", NULL },
    { "nagle", 0, 0, G_OPTION_ARG_NONE, &nagle, "Leave Nagle's algorithm on (libsoup's default)", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Bounded concurrent load against a loopback sandbox.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("capi-bench-load: %s\n", error->message);
      return 2;
    }
  if (base == NULL || !is_loopback_url (base))
    {
      g_printerr ("capi-bench-load: --url must be an http:// URL on a loopback address\n");
      return 2;
    }
  if (concurrency < 1 || concurrency > 256 || requests < 1 || requests > 1000000 ||
      batch < 1 || batch > 2000 || seconds <= 0 || seconds > 600)
    {
      g_printerr ("capi-bench-load: limits: concurrency 1-256, requests 1-1000000, "
                  "batch 1-2000, seconds up to 600\n");
      return 2;
    }
  if (endpoint != NULL && !g_str_equal (endpoint, "events") && !g_str_equal (endpoint, "validate"))
    {
      g_printerr ("capi-bench-load: --endpoint is events or validate\n");
      return 2;
    }

  load.url = g_strdup_printf ("%s/v3/%s/events%s?access_token=bench", base,
                              pixel != NULL ? pixel : "bench-pixel",
                              g_strcmp0 (endpoint, "validate") == 0 ? "/validate" : "");
  load.session = soup_session_new_with_options ("max-conns", concurrency,
                                                "max-conns-per-host", concurrency,
                                                "timeout", 30,
                                                NULL);
  load.loop = g_main_loop_new (NULL, FALSE);
  load.batch = (guint)batch;
  load.nodelay = !nagle;
  load.keep_alive = !new_connections;
  load.total = (guint)requests;
  load.event_time = g_get_real_time () / G_USEC_PER_SEC - 60;

  start = g_get_monotonic_time ();
  load.deadline = start + (gint64)(seconds * G_USEC_PER_SEC);
  for (int i = 0; i < concurrency && load.started < load.total; i++)
    start_one (&load);
  g_main_loop_run (load.loop);
  elapsed = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;

  printf ("{\"concurrency\": %d, \"keep_alive\": %s, \"nodelay\": %s, \"batch\": %u, \"requests\": %u, \"ok\": %u, \"rejected\": %u, "
          "\"failed\": %u, \"seconds\": %.3f, \"requests_per_second\": %.1f, "
          "\"events_per_second\": %.1f}\n",
          concurrency, load.keep_alive ? "true" : "false", load.nodelay ? "true" : "false", load.batch, load.finished, load.ok, load.rejected, load.failed, elapsed,
          load.finished / elapsed, load.events_ok / elapsed);

  g_clear_object (&load.session);
  g_main_loop_unref (load.loop);
  g_free (load.url);

  return load.failed == 0 && load.rejected == 0 ? 0 : 1;
}
