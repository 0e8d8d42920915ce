/* fuzz-history.c -- libFuzzer target: loading a history.jsonl that may be
 * torn, corrupt or hostile.  Loading must keep every good line, skip the
 * rest with a warning and never touch the file.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include <gio/gio.h>

#include "capi-history.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CapiHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  gsize after_length = 0;

  fuzz_make_logs_fatal ();

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("capi-fuzz-history-XXXXXX", &error);
      g_assert_no_error (error);
    }

  path = g_build_filename (dir, "history.jsonl", NULL);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (path);
  history = capi_history_new (file);

  if (capi_history_load (history, NULL, &error))
    {
      CapiHistoryQuery query = CAPI_HISTORY_QUERY_INIT;
      g_autoptr(GPtrArray) all = capi_history_query (history, &query);
      GPtrArray *warnings = capi_history_get_warnings (history);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (history));

      g_assert_cmpuint (all->len, ==, n);
      for (guint i = 0; i < all->len; i++)
        {
          g_autofree char *json = capi_exchange_to_json_string (g_ptr_array_index (all, i));

          g_assert (json != NULL);
        }
      for (guint i = 0; warnings != NULL && i < warnings->len; i++)
        g_assert (g_ptr_array_index (warnings, i) != NULL);
    }
  else
    {
      g_assert (error != NULL);
    }

  /* Loading never rewrites what is stored. */
  g_file_get_contents (path, &after, &after_length, NULL);
  g_assert_cmpuint (after_length, ==, size);
  g_assert (size == 0 || memcmp (after, data, size) == 0);

  return 0;
}
