/* test-history.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capi-history.h"

#define TOKEN "HISTORY-TOKEN-777"
#define EM_HASH "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"

static CapiExchange *
make_exchange (CapiDestinationKind  kind,
               const char          *event_name,
               const char          *event_id,
               guint                status,
               gsize                padding)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:1/v3/p/events?access_token=%s", TOKEN);
  CapiExchange *exchange = capi_exchange_new (kind, "default", "POST", url);
  g_autofree char *pad = g_strnfill (padding, 'x');
  g_autofree char *body = g_strdup_printf ("{\"data\":[{\"event_name\":\"%s\",\"event_id\":\"%s\","
                                           "\"user_data\":{\"em\":[\"" EM_HASH "\"]},"
                                           "\"custom_data\":{\"search_string\":\"%s\"}}]}",
                                           event_name, event_id, pad);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = g_bytes_new_static ("{\"status\":\"VALID\"}", 18);

  capi_exchange_set_request (exchange, NULL, bytes);
  if (status != 0)
    capi_exchange_set_response (exchange, status, "OK", NULL, response);
  capi_exchange_set_attempts (exchange, 1);
  return exchange;
}

static GFile *
history_file (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "capi-inspector", "history.jsonl", NULL);
}

static char *
read_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
test_history_new_destroy (void)
{
  CapiHistory *history = capi_history_new (NULL);
  g_autoptr(GFile) expected = history_file ();
  g_autofree char *rotated = g_file_get_basename (capi_history_get_rotated_file (history));

  g_assert_true (g_file_equal (capi_history_get_file (history), expected));
  g_assert_cmpstr (rotated, ==, "history.1.jsonl");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == CAPI_TYPE_EXCHANGE);
  g_assert_finalize_object (history);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  *count += added;
}

static void
append_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_history_append_finish (CAPI_HISTORY (object), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_history_load_finish (CAPI_HISTORY (object), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static void
test_history_append_load (void)
{
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autoptr(CapiHistory) again = capi_history_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(CapiExchange) first = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "o-1", 200, 10);
  g_autoptr(CapiExchange) second = make_exchange (CAPI_DESTINATION_SANDBOX, "SIGN_UP", "s-1", 400, 10);
  g_autoptr(CapiExchange) loaded = NULL;
  g_autofree char *contents = NULL;
  guint added = 0;

  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), &added);
  capi_history_append_async (history, first, NULL, append_done_cb, loop);
  g_main_loop_run (loop);
  capi_history_append_async (history, second, NULL, append_done_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);

  /* On disk: two lines, no token. */
  contents = read_file (capi_history_get_file (history));
  g_assert_null (strstr (contents, TOKEN));
  g_assert_nonnull (strstr (contents, "access_token=…"));
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_cmpstr (lines[2], ==, "");
  }

  capi_history_load_async (again, NULL, load_done_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_cmpuint (capi_history_get_warnings (again)->len, ==, 0);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (capi_exchange_get_id (loaded), ==, capi_exchange_get_id (first));
  g_assert_cmpstr (capi_exchange_get_event_id (loaded, 0), ==, "o-1");
}

static void
clear_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_history_clear_finish (CAPI_HISTORY (object), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static void
test_history_clear (void)
{
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autoptr(CapiHistory) again = capi_history_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(CapiExchange) first = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "c-1", 200, 10);
  g_autoptr(CapiExchange) later = make_exchange (CAPI_DESTINATION_SANDBOX, "SIGN_UP", "c-2", 200, 10);

  /* Rotate once so that both files exist. */
  capi_history_set_max_size (history, 200);
  capi_history_append_async (history, first, NULL, append_done_cb, loop);
  g_main_loop_run (loop);
  capi_history_append_async (history, later, NULL, append_done_cb, loop);
  g_main_loop_run (loop);
  g_assert_true (g_file_query_exists (capi_history_get_rotated_file (history), NULL));
  g_assert_true (g_file_query_exists (capi_history_get_file (history), NULL));

  capi_history_clear_async (history, NULL, clear_done_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_false (g_file_query_exists (capi_history_get_rotated_file (history), NULL));
  g_assert_false (g_file_query_exists (capi_history_get_file (history), NULL));

  /* Clearing an empty history is fine, and appending afterwards works. */
  capi_history_clear_async (history, NULL, clear_done_cb, loop);
  g_main_loop_run (loop);
  capi_history_set_max_size (history, CAPI_HISTORY_DEFAULT_MAX_SIZE);
  capi_history_append_async (history, later, NULL, append_done_cb, loop);
  g_main_loop_run (loop);
  capi_history_load_async (again, NULL, load_done_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
}

static void
test_history_query (void)
{
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autoptr(GError) error = NULL;
  const struct {
    CapiDestinationKind kind;
    const char *name;
    const char *id;
    guint status;
  } rows[] = {
    { CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "o-1", 200 },
    { CAPI_DESTINATION_SNAP_LIVE, "PURCHASE", "o-2", 400 },
    { CAPI_DESTINATION_SANDBOX, "SIGN_UP", "s-1", 200 },
    { CAPI_DESTINATION_SNAP_TEST, "PAGE_VIEW", "p-1", 0 },
  };
  CapiHistoryQuery query = CAPI_HISTORY_QUERY_INIT;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) future = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(CapiExchange) exchange = make_exchange (rows[i].kind, rows[i].name, rows[i].id, rows[i].status, 1);

      g_assert_true (capi_history_append (history, exchange, NULL, &error));
      g_assert_no_error (error);
    }

  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 4);
  g_clear_pointer (&found, g_ptr_array_unref);

  query.event_name = "PURCHASE";
  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  query.status = 400;
  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (capi_exchange_get_event_id (g_ptr_array_index (found, 0), 0), ==, "o-2");
  g_clear_pointer (&found, g_ptr_array_unref);

  query = (CapiHistoryQuery) CAPI_HISTORY_QUERY_INIT;
  query.destination = CAPI_DESTINATION_SNAP_TEST;
  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  query = (CapiHistoryQuery) CAPI_HISTORY_QUERY_INIT;
  query.event_id = "s-1";
  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  query = (CapiHistoryQuery) CAPI_HISTORY_QUERY_INIT;
  query.outcome = CAPI_EXCHANGE_OUTCOME_PENDING;
  found = capi_history_query (history, &query);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Time: nothing was sent tomorrow, everything after a day ago. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    future = g_date_time_add_days (now, 1);
    query = (CapiHistoryQuery) CAPI_HISTORY_QUERY_INIT;
    query.since = future;
    found = capi_history_query (history, &query);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    query.since = NULL;
    query.until = future;
    found = capi_history_query (history, &query);
    g_assert_cmpuint (found->len, ==, 4);
  }
}

static void
test_history_corrupt (void)
{
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autoptr(CapiHistory) reader = capi_history_new (NULL);
  g_autoptr(CapiExchange) a = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "a", 200, 1);
  g_autoptr(CapiExchange) b = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "b", 200, 1);
  g_autoptr(CapiExchange) c = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "c", 200, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (capi_history_get_file (history));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *c_line = capi_exchange_to_json_string (c);
  FILE *fp;

  g_assert_true (capi_history_append (history, a, NULL, &error));
  /* A line that is not JSON, then a record cut in half (a crash). */
  fp = g_fopen (path, "a");
  fputs ("this is not json\n", fp);
  fwrite (c_line, 1, strlen (c_line) / 2, fp);
  fclose (fp);

  g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "history.jsonl:2: *line skipped");
  g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "history.jsonl:3: the last line is incomplete*");
  g_assert_true (capi_history_load (reader, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 1);
  g_assert_cmpuint (capi_history_get_warnings (reader)->len, ==, 2);

  /* Appending after the torn line keeps every byte and starts a new line. */
  before = read_file (capi_history_get_file (history));
  g_assert_true (capi_history_append (history, b, NULL, &error));
  after = read_file (capi_history_get_file (history));
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpint (after[strlen (before)], ==, '\n');

  g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "history.jsonl:2: *");
  g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "history.jsonl:3: *line skipped");
  g_assert_true (capi_history_load (reader, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 2);
}

static void
test_history_rotation (void)
{
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autoptr(CapiHistory) reader = capi_history_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *current = NULL;

  capi_history_set_max_size (history, 8 * 1024);
  /* Each record is about 3 KiB: the third starts a new file. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("r-%u", i);
      g_autoptr(CapiExchange) exchange = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", id, 200, 2500);

      g_assert_true (capi_history_append (history, exchange, NULL, &error));
      g_assert_no_error (error);
    }

  rotated = read_file (capi_history_get_rotated_file (history));
  current = read_file (capi_history_get_file (history));
  g_assert_nonnull (strstr (rotated, "\"r-0\""));
  g_assert_nonnull (strstr (rotated, "\"r-1\""));
  g_assert_null (strstr (current, "\"r-1\""));
  g_assert_nonnull (strstr (current, "\"r-2\""));
  info = g_file_query_info (capi_history_get_file (history), G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_cmpuint (g_file_info_get_size (info), <=, 8 * 1024);

  /* Both files are read, oldest first. */
  g_assert_true (capi_history_load (reader, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 3);
  {
    g_autoptr(CapiExchange) first = g_list_model_get_item (G_LIST_MODEL (reader), 0);
    g_autoptr(CapiExchange) last = g_list_model_get_item (G_LIST_MODEL (reader), 2);

    g_assert_cmpstr (capi_exchange_get_event_id (first, 0), ==, "r-0");
    g_assert_cmpstr (capi_exchange_get_event_id (last, 0), ==, "r-2");
  }
}

/* The writer half of the kill test: appends forever, telling the parent
 * the id of each record once append returned (it is then on disk). */
static int
run_writer (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CapiHistory) history = capi_history_new (file);

  for (guint i = 0;; i++)
    {
      g_autofree char *id = g_strdup_printf ("w-%u", i);
      /* Large records widen the window in which the kill can land mid-write. */
      g_autoptr(CapiExchange) exchange = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", id,
                                                        200, 256 * 1024);
      g_autoptr(GError) error = NULL;

      if (!capi_history_append (history, exchange, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      printf ("%s\n", id);
      fflush (stdout);
    }
  return 0;
}

static void
test_history_kill_writer (void)
{
  g_autoptr(GFile) file = g_file_new_build_filename (g_get_user_data_dir (), "killed.jsonl", NULL);
  g_autofree char *path = g_file_get_path (file);
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-history", NULL), "--writer", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GIOChannel) channel = NULL;
  g_autoptr(CapiHistory) reader = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(CapiExchange) extra = make_exchange (CAPI_DESTINATION_SNAP_TEST, "PURCHASE", "after", 200, 1);
  gsize size_after_kill;
  GPid pid;
  int out_fd;
  int status;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (acknowledged->len < 8)
    {
      char *line = NULL;
      gsize terminator = 0;

      g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, &terminator, &error), ==, G_IO_STATUS_NORMAL);
      line[terminator] = '\0';
      g_ptr_array_add (acknowledged, line);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));

  g_assert_true (g_file_get_contents (path, &contents, &size_after_kill, NULL));

  /* Every acknowledged record survives; a torn tail, if the kill landed
   * mid-write, is reported and nothing else is lost. */
  reader = capi_history_new (file);
  if (size_after_kill > 0 && contents[size_after_kill - 1] != '\n')
    g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "killed.jsonl:*: the last line is incomplete*");
  g_assert_true (capi_history_load (reader, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), >=, acknowledged->len);
  g_assert_cmpuint (capi_history_get_warnings (reader)->len, ==,
                    contents[size_after_kill - 1] != '\n' ? 1 : 0);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autoptr(CapiExchange) exchange = g_list_model_get_item (G_LIST_MODEL (reader), i);

      g_assert_cmpstr (capi_exchange_get_event_id (exchange, 0), ==, g_ptr_array_index (acknowledged, i));
    }

  /* The next append keeps the file as it was and adds a readable line. */
  g_assert_true (capi_history_append (reader, extra, NULL, &error));
  {
    g_autofree char *now = NULL;
    gsize size_now = 0;
    g_autoptr(CapiHistory) again = capi_history_new (file);

    g_assert_true (g_file_get_contents (path, &now, &size_now, NULL));
    g_assert_cmpuint (size_now, >, size_after_kill);
    g_assert_cmpmem (now, size_after_kill, contents, size_after_kill);
    if (contents[size_after_kill - 1] != '\n')
      g_test_expect_message ("Capi", G_LOG_LEVEL_WARNING, "killed.jsonl:*");
    g_assert_true (capi_history_load (again, NULL, &error));
    g_test_assert_expected_messages ();
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==,
                      g_list_model_get_n_items (G_LIST_MODEL (reader)));
  }
}

/* A full disk, simulated with a file size limit just above what is stored:
 * the append fails with a clear message, the file is cut back to exactly
 * what it held, and every stored record loads. */
/* Outside the isolated test directories, which a trapped subprocess
 * removes when it exits; the parent's pid names it for both. */
static char *
full_disk_path (pid_t parent)
{
  g_autofree char *name = g_strdup_printf ("capi-history-full-%d.jsonl", (int) parent);

  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

static void
test_history_full_disk (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CapiHistory) history = NULL;
  g_autoptr(CapiHistory) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize size_before = 0;
  gsize size_after = 0;

  if (g_test_subprocess ())
    {
      g_autoptr(CapiExchange) big = make_exchange (CAPI_DESTINATION_SANDBOX, "PURCHASE", "big", 200, 4096);
      struct rlimit limit;
      GStatBuf st;

      path = full_disk_path (getppid ());
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      file = g_file_new_for_path (path);
      history = capi_history_new (file);
      limit.rlim_cur = limit.rlim_max = st.st_size + 64;

      /* Past the limit write() fails with EFBIG, as with ENOSPC, once the
       * signal that would kill the process is ignored. */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (capi_history_append (history, big, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "Could not write the history: "));
      g_printerr ("%s\n", error->message);
      return;
    }

  path = full_disk_path (getpid ());
  file = g_file_new_for_path (path);
  g_unlink (path);
  history = capi_history_new (file);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("stored-%u", i);
      g_autoptr(CapiExchange) exchange = make_exchange (CAPI_DESTINATION_SANDBOX, "PURCHASE", id, 200, 10);

      g_assert_true (capi_history_append (history, exchange, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (path, &before, &size_before, NULL));

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not write the history: *");

  g_assert_true (g_file_get_contents (path, &after, &size_after, NULL));
  g_assert_cmpmem (after, size_after, before, size_before);

  reader = capi_history_new (file);
  g_assert_true (capi_history_load (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 3);
  g_assert_cmpuint (capi_history_get_warnings (reader)->len, ==, 0);

  /* With room again, the next append works and keeps the old records. */
  {
    g_autoptr(CapiExchange) next = make_exchange (CAPI_DESTINATION_SANDBOX, "PURCHASE", "next", 200, 10);

    g_assert_true (capi_history_append (reader, next, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 4);
  }
  g_unlink (path);
}

/* A data directory that cannot be written: a clear message naming it. */
static void
test_history_read_only (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "locked", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CapiHistory) history = NULL;
  g_autoptr(CapiExchange) exchange = make_exchange (CAPI_DESTINATION_SANDBOX, "PURCHASE", "ro", 200, 1);
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      /* root writes through permission bits; sysfs refuses even root. */
      if (!g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR))
        {
          g_test_skip ("running as root without /sys: no directory root cannot write");
          return;
        }
      g_free (dir);
      dir = g_strdup ("/sys/capi-inspector-test");
    }
  else
    {
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
    }
  path = g_build_filename (dir, "capi-inspector", "history.jsonl", NULL);
  file = g_file_new_for_path (path);
  history = capi_history_new (file);

  g_assert_false (capi_history_append (history, exchange, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, dir));
  /* Nothing was added to the model either. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  if (geteuid () != 0)
    g_chmod (dir, 0700);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/history/new-destroy", test_history_new_destroy);
  g_test_add_func ("/capi/history/append-load", test_history_append_load);
  g_test_add_func ("/capi/history/query", test_history_query);
  g_test_add_func ("/capi/history/clear", test_history_clear);
  g_test_add_func ("/capi/history/corrupt", test_history_corrupt);
  g_test_add_func ("/capi/history/rotation", test_history_rotation);
  g_test_add_func ("/capi/history/kill-writer", test_history_kill_writer);
  g_test_add_func ("/capi/history/full-disk", test_history_full_disk);
  g_test_add_func ("/capi/history/read-only", test_history_read_only);

  return g_test_run ();
}
