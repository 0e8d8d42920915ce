/* test-abuse.c -- hostile servers and hostile files
 *
 * A loopback server that answers garbage, endless or 100 MB bodies, a
 * trickle, invalid UTF-8, 10,000 levels of JSON, duplicate keys and
 * numbers out of range; and input files of 0 bytes, binary, UTF-16, CRLF,
 * BOM and 1 GB.  Each must end with a clear result or message, in bounded
 * memory, without a crash.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capi-client.h"
#include "capi-event.h"
#include "capi-finding.h"
#include "capi-import.h"
#include "capi-json.h"

#define TOKEN "abuse-token-7f3e"
#define PIXEL "0f6a5a2e-1c7b-4e4b-9f0e-6a7b8c9d0e1f"
#define BODY "{\"data\":[{\"event_name\":\"PAGE_VIEW\",\"event_time\":1767225000," \
             "\"action_source\":\"WEB\",\"user_data\":{\"em\":[\"" \
             "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b\"]}}]}"

/* ------------------------------------------------------------------ */
/* Memory                                                              */

/* Resets the peak RSS so that one case measures only itself; FALSE when
 * the kernel does not let us (then memory is not asserted). */
static gboolean
reset_peak_rss (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static guint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static guint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

/* ------------------------------------------------------------------ */
/* The hostile server                                                  */

typedef struct
{
  SoupServer   *server;
  CapiClient   *client;
  CapiProfile  *profile;
  GMainLoop    *loop;
  const char   *mode;
  CapiExchange *exchange;
  GError       *error;
  GPtrArray    *paused;
  GPtrArray    *timers;
  guint64       streamed;     /* bytes the server has queued so far */
  guint64       stream_limit; /* 0: endless */
  char         *chunk;        /* 64 KiB of filler */
} Fixture;

#define CHUNK_SIZE (64 * 1024)

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *body,
       gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, length);
}

/* Endless or long bodies are produced as they are written, so the server
 * side holds one chunk at a time. */
static void
wrote_chunk_cb (SoupServerMessage *msg,
                Fixture           *f)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (f->stream_limit != 0 && f->streamed >= f->stream_limit)
    {
      soup_message_body_complete (body);
      return;
    }
  f->streamed += CHUNK_SIZE;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, f->chunk, CHUNK_SIZE);
}

static gboolean
trickle_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
stream_response (Fixture           *f,
                 SoupServerMessage *msg,
                 guint64            limit)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  f->stream_limit = limit;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"status\":\"VALID\",\"pad\":\"", 26);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), f);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (f->mode, "garbage"))
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (42);
      guint8 junk[4096];

      for (guint i = 0; i < sizeof junk; i++)
        junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
      reply (msg, 200, (const char *) junk, sizeof junk);
    }
  else if (g_str_equal (f->mode, "invalid-utf8"))
    {
      const char *body = "{\"status\":\"INVALID\",\"reason\":\"bad \xff\xfe byte\"}";

      reply (msg, 400, body, strlen (body));
    }
  else if (g_str_equal (f->mode, "deep"))
    {
      g_autoptr(GString) body = g_string_new ("{\"status\":\"VALID\",\"x\":");

      for (guint i = 0; i < 10000; i++)
        g_string_append_c (body, '[');
      for (guint i = 0; i < 10000; i++)
        g_string_append_c (body, ']');
      g_string_append_c (body, '}');
      reply (msg, 200, body->str, body->len);
    }
  else if (g_str_equal (f->mode, "duplicate-keys"))
    {
      const char *body = "{\"status\":\"VALID\",\"status\":\"INVALID\",\"reason\":\"a\",\"reason\":\"b\","
                         "\"event_logs\":[{\"event\":0,\"event\":7,\"status\":\"INVALID\","
                         "\"errors\":{\"codes\":[\"X\"],\"error_msgs\":[\"user_data.em is bad\"]}}]}";

      reply (msg, 400, body, strlen (body));
    }
  else if (g_str_equal (f->mode, "out-of-range"))
    {
      const char *body = "{\"status\":\"INVALID\",\"reason\":\"x\",\"event_logs\":["
                         "{\"event\":99999999999999999999,\"status\":\"INVALID\"},"
                         "{\"event\":-1,\"status\":\"INVALID\"},"
                         "{\"event\":4294967296,\"status\":\"INVALID\"},"
                         "{\"event\":1.5e308,\"status\":\"INVALID\"}]}";

      reply (msg, 400, body, strlen (body));
    }
  else if (g_str_equal (f->mode, "infinite-number"))
    {
      const char *body = "{\"status\":\"INVALID\",\"event\":1e999,\"reason\":\"x\"}";

      reply (msg, 400, body, strlen (body));
    }
  else if (g_str_equal (f->mode, "endless"))
    stream_response (f, msg, 0);
  else if (g_str_equal (f->mode, "100mb"))
    stream_response (f, msg, 100 * 1024 * 1024);
  else if (g_str_equal (f->mode, "trickle"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_append (soup_server_message_get_response_body (msg),
                                SOUP_MEMORY_STATIC, "{", 1);
      g_ptr_array_add (f->paused, g_object_ref (msg));
      g_ptr_array_add (f->timers,
                       GUINT_TO_POINTER (g_timeout_add_full (G_PRIORITY_DEFAULT, 50, trickle_cb,
                                                             g_object_ref (msg), g_object_unref)));
    }
  else
    g_assert_not_reached ();
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSList *uris;

  f->mode = data;
  f->chunk = g_malloc (CHUNK_SIZE);
  memset (f->chunk, 'x', CHUNK_SIZE);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->timers = g_ptr_array_new ();

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->client = capi_client_new ();
  f->profile = capi_profile_new ("abuse");
  capi_profile_set_pixel_id (f->profile, PIXEL);
  capi_profile_set_sandbox_base_url (f->profile, base);
  capi_profile_set_snap_base_url (f->profile, base);
  capi_profile_set_max_attempts (f->profile, 1);
  capi_profile_set_connect_timeout_ms (f->profile, 2000);
  capi_profile_set_total_timeout_ms (f->profile, 5000);
  f->loop = g_main_loop_new (NULL, FALSE);
  g_unsetenv ("CAPI_INSPECTOR_SNAP_BASE_URL");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->timers->len; i++)
    g_source_remove (GPOINTER_TO_UINT (g_ptr_array_index (f->timers, i)));
  g_clear_pointer (&f->timers, g_ptr_array_unref);
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  g_clear_object (&f->exchange);
  g_clear_error (&f->error);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->profile);
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_free (f->chunk);
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
send_and_wait (Fixture *f)
{
  g_autoptr(GBytes) body = g_bytes_new_static (BODY, strlen (BODY));

  capi_client_send_async (f->client, CAPI_DESTINATION_SANDBOX, f->profile, TOKEN, body,
                          NULL, send_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_nonnull (f->exchange);
}

/* Whatever came back, the history record is valid JSON without the token. */
static void
assert_storable (CapiExchange *exchange)
{
  g_autofree char *json = capi_exchange_to_json_string (exchange);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (json);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_null (strstr (json, TOKEN));
  g_assert_true (capi_json_parser_load (parser, json, -1, &error));
  g_assert_no_error (error);
}

static void
test_abuse_server_garbage (Fixture       *f,
                           gconstpointer  data)
{
  send_and_wait (f);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 200);
  g_assert_null (capi_exchange_get_response_json (f->exchange));
  g_assert_null (capi_exchange_get_snap_status (f->exchange));
  /* The raw body is kept for the user to see. */
  g_assert_cmpuint (g_bytes_get_size (capi_exchange_get_response_body (f->exchange)), ==, 4096);
  assert_storable (f->exchange);
}

static void
test_abuse_server_invalid_utf8 (Fixture       *f,
                                gconstpointer  data)
{
  send_and_wait (f);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 400);
  g_assert_null (capi_exchange_get_response_json (f->exchange));
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_HTTP_ERROR);
  assert_storable (f->exchange);
}

static void
test_abuse_server_deep (Fixture       *f,
                        gconstpointer  data)
{
  /* Refused before json-glib recurses 10,000 times. */
  send_and_wait (f);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 200);
  g_assert_null (capi_exchange_get_response_json (f->exchange));
  assert_storable (f->exchange);
}

static void
test_abuse_server_duplicate_keys (Fixture       *f,
                                  gconstpointer  data)
{
  const char *status;

  send_and_wait (f);
  status = capi_exchange_get_snap_status (f->exchange);
  /* json-glib keeps one of the two; either is a verdict, neither crashes. */
  g_assert_true (g_strcmp0 (status, "VALID") == 0 || g_strcmp0 (status, "INVALID") == 0);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), !=, CAPI_EXCHANGE_OUTCOME_PENDING);
  assert_storable (f->exchange);
}

static void
test_abuse_server_out_of_range (Fixture       *f,
                                gconstpointer  data)
{
  GPtrArray *findings;

  send_and_wait (f);
  g_assert_cmpstr (capi_exchange_get_snap_status (f->exchange), ==, "INVALID");
  findings = capi_exchange_get_findings (f->exchange);
  g_assert_nonnull (findings);
  /* No event index of the request (it held one event) may come from them. */
  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpint (capi_finding_get_event_index (g_ptr_array_index (findings, i)), <, 1);
  assert_storable (f->exchange);
}

static void
test_abuse_server_infinite_number (Fixture       *f,
                                   gconstpointer  data)
{
  /* 1e999 would be written back as "inf": refused as JSON, shown raw. */
  send_and_wait (f);
  g_assert_cmpuint (capi_exchange_get_status (f->exchange), ==, 400);
  g_assert_null (capi_exchange_get_response_json (f->exchange));
  assert_storable (f->exchange);
}

static void
assert_too_large (Fixture *f,
                  guint64  before_kb,
                  gboolean measured)
{
  const GError *error = capi_exchange_get_error (f->exchange);

  g_assert_error ((GError *) error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_TOO_LARGE);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  g_test_message ("client stopped after the server queued %" G_GUINT64_FORMAT " MiB: %s",
                  f->streamed / (1024 * 1024), error->message);
  /* The client read at most its limit, give or take what was in flight. */
  g_assert_cmpuint (f->streamed, <, 3 * (guint64) CAPI_CLIENT_MAX_RESPONSE_SIZE);
  if (measured)
    {
      guint64 growth = peak_rss_kb () - MIN (before_kb, peak_rss_kb ());

      g_test_message ("peak RSS grew by %" G_GUINT64_FORMAT " KiB", growth);
      g_assert_cmpuint (growth, <, 4 * CAPI_CLIENT_MAX_RESPONSE_SIZE / 1024);
    }
  assert_storable (f->exchange);
}

static void
test_abuse_server_endless (Fixture       *f,
                           gconstpointer  data)
{
  gboolean measured = reset_peak_rss ();
  guint64 before = rss_kb ();

  send_and_wait (f);
  assert_too_large (f, before, measured);
}

static void
test_abuse_server_100mb (Fixture       *f,
                         gconstpointer  data)
{
  gboolean measured = reset_peak_rss ();
  guint64 before = rss_kb ();

  send_and_wait (f);
  assert_too_large (f, before, measured);
}

static void
test_abuse_server_trickle (Fixture       *f,
                           gconstpointer  data)
{
  const GError *error;

  /* One byte every 50 ms never completes: the total timeout ends it. */
  capi_profile_set_total_timeout_ms (f->profile, 800);
  send_and_wait (f);
  error = capi_exchange_get_error (f->exchange);
  g_assert_error ((GError *) error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_TIMEOUT);
  g_assert_cmpint (capi_exchange_get_outcome (f->exchange), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  assert_storable (f->exchange);
}

/* ------------------------------------------------------------------ */
/* Hostile files                                                       */

static char *
write_file (const char *name,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_event_error (const char     *path,
                    CapiEventError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = capi_event_read_file (path, NULL, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (events);
  g_assert_error (error, CAPI_EVENT_ERROR, (int) code);
  /* The message names the file. */
  g_assert_nonnull (strstr (error->message, base));
}

static void
assert_import_fails (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = capi_import_file (path, CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, &problems, NULL, &error);
  g_assert_null (rows);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_abuse_file_empty (void)
{
  g_autofree char *path = write_file ("empty.json", "", 0);

  assert_event_error (path, CAPI_EVENT_ERROR_EMPTY);
  assert_import_fails (path);
}

static void
test_abuse_file_binary (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 junk[8192];
  g_autofree char *path = NULL;

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
  junk[10] = 0xff;   /* certainly not UTF-8 */
  path = write_file ("binary.json", (const char *) junk, sizeof junk);

  assert_event_error (path, CAPI_EVENT_ERROR_ENCODING);
  assert_import_fails (path);
}

static void
test_abuse_file_utf16 (void)
{
  /* {"event_name":"PURCHASE"} in UTF-16LE with its byte order mark. */
  const char *text = "{\"event_name\":\"PURCHASE\",\"event_time\":1767225000}";
  g_autofree char *utf16 = NULL;
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  gsize written = 0;

  utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &written, NULL);
  g_assert_nonnull (utf16);
  data = g_malloc (written + 2);
  data[0] = (char) 0xff;
  data[1] = (char) 0xfe;
  memcpy (data + 2, utf16, written);
  path = write_file ("utf16.json", data, written + 2);

  assert_event_error (path, CAPI_EVENT_ERROR_ENCODING);
  assert_import_fails (path);
}

static void
test_abuse_file_crlf_and_bom (void)
{
  const char *jsonl = "\xEF\xBB\xBF{\"event_name\":\"PURCHASE\",\"event_time\":1767225000}\r\n"
                      "{\"event_name\":\"SIGN_UP\",\"event_time\":1767225001}\r\n\r\n";
  const char *csv = "\xEF\xBB\xBFpixel_id,event_name,dedup_id,transaction_id,time\r\n"
                    PIXEL ",PURCHASE,ord-1,T1,1767225000\r\n"
                    PIXEL ",SIGN_UP,su-1,,1767225001\r\n";
  g_autofree char *jsonl_path = write_file ("crlf-bom.jsonl", jsonl, -1);
  g_autofree char *csv_path = write_file ("crlf-bom.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  CapiEventFormat format;
  CapiImportKind kind;

  events = capi_event_read_file (jsonl_path, &format, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (format, ==, CAPI_EVENT_FORMAT_JSONL);
  {
    g_autofree char *name = capi_event_dup_string (g_ptr_array_index (events, 1), "event_name");

    /* No carriage return left on the values. */
    g_assert_cmpstr (name, ==, "SIGN_UP");
  }

  rows = capi_import_file (csv_path, CAPI_CONVERSION_SIDE_PIXEL, NULL, &kind, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, CAPI_IMPORT_KIND_CSV);
  g_assert_cmpuint (rows->len, ==, 2);
  /* The BOM did not become part of the first column's name. */
  g_assert_cmpstr (capi_conversion_get_pixel_id (g_ptr_array_index (rows, 0)), ==, PIXEL);
  g_assert_cmpstr (capi_conversion_get_transaction_id (g_ptr_array_index (rows, 0)), ==, "T1");
  g_assert_cmpstr (capi_conversion_get_event_name (g_ptr_array_index (rows, 1)), ==, "SIGN_UP");
}

static void
test_abuse_file_1gb (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  gboolean measured;
  guint64 before;
  int fd;

  /* Sparse: 1 GiB on paper, nothing on disk.  It begins like a document. */
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  fd = g_open (path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "{\"data\": [", 10), ==, 10);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (1) << 30), ==, 0);
  g_close (fd, NULL);

  measured = reset_peak_rss ();
  before = rss_kb ();
  assert_event_error (path, CAPI_EVENT_ERROR_TOO_LARGE);
  assert_import_fails (path);
  if (measured)
    {
      guint64 growth = peak_rss_kb () - MIN (before, peak_rss_kb ());

      g_test_message ("peak RSS grew by %" G_GUINT64_FORMAT " KiB", growth);
      /* Refused from the size or the first bytes, not after reading it. */
      g_assert_cmpuint (growth, <, 64 * 1024);
    }
  g_unlink (path);
}

/* The command line says so too, with the file name, and exits 2. */
static void
test_abuse_file_cli (void)
{
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  g_autofree char *empty = write_file ("cli-empty.json", "", 0);
  g_autofree char *binary = write_file ("cli-binary.json", "\x00\xff\xfe\x01", 4);
  g_autofree char *huge = g_build_filename (g_get_user_cache_dir (), "cli-huge.json", NULL);
  const char *files[] = { empty, binary, huge };
  const char *commands[] = { "preview", "lint" };
  int fd;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("CAPI_INSPECTOR_CLI is not set");
      return;
    }

  fd = g_open (huge, O_CREAT | O_TRUNC | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (1) << 30), ==, 0);
  g_close (fd, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        const char *argv[] = { cli, commands[c], files[i], NULL };
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_autofree char *base = g_path_get_basename (files[i]);
        g_autoptr(GError) error = NULL;
        int status = 0;

        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                      &out, &err, &status, &error);
        g_assert_no_error (error);
        g_test_message ("%s %s: %s", commands[c], base, err);
        g_assert_true (WIFEXITED (status));
        g_assert_cmpint (WEXITSTATUS (status), ==, 2);
        g_assert_nonnull (strstr (err, base));
      }
  g_unlink (huge);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/capi/abuse/server/garbage", Fixture, "garbage",
              fixture_setup, test_abuse_server_garbage, fixture_teardown);
  g_test_add ("/capi/abuse/server/invalid-utf8", Fixture, "invalid-utf8",
              fixture_setup, test_abuse_server_invalid_utf8, fixture_teardown);
  g_test_add ("/capi/abuse/server/deep", Fixture, "deep",
              fixture_setup, test_abuse_server_deep, fixture_teardown);
  g_test_add ("/capi/abuse/server/duplicate-keys", Fixture, "duplicate-keys",
              fixture_setup, test_abuse_server_duplicate_keys, fixture_teardown);
  g_test_add ("/capi/abuse/server/out-of-range", Fixture, "out-of-range",
              fixture_setup, test_abuse_server_out_of_range, fixture_teardown);
  g_test_add ("/capi/abuse/server/infinite-number", Fixture, "infinite-number",
              fixture_setup, test_abuse_server_infinite_number, fixture_teardown);
  g_test_add ("/capi/abuse/server/endless", Fixture, "endless",
              fixture_setup, test_abuse_server_endless, fixture_teardown);
  g_test_add ("/capi/abuse/server/100mb", Fixture, "100mb",
              fixture_setup, test_abuse_server_100mb, fixture_teardown);
  g_test_add ("/capi/abuse/server/trickle", Fixture, "trickle",
              fixture_setup, test_abuse_server_trickle, fixture_teardown);

  g_test_add_func ("/capi/abuse/file/empty", test_abuse_file_empty);
  g_test_add_func ("/capi/abuse/file/binary", test_abuse_file_binary);
  g_test_add_func ("/capi/abuse/file/utf16", test_abuse_file_utf16);
  g_test_add_func ("/capi/abuse/file/crlf-and-bom", test_abuse_file_crlf_and_bom);
  g_test_add_func ("/capi/abuse/file/1gb", test_abuse_file_1gb);
  g_test_add_func ("/capi/abuse/file/cli", test_abuse_file_cli);

  return g_test_run ();
}
