/* fuzz-replay.c -- replays a fuzz target's seed corpus and its crash
 * regressions (tests/data/fuzz-regressions/TARGET/) as GLib tests, so
 * that every build, not only the clang fuzzing build, runs them.
 *
 * Usage: fuzz-replay-TARGET [--tap] DIR...
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include <gio/gio.h>
#include <string.h>

static void
replay_file (gconstpointer data)
{
  const char *filename = data;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (filename, &contents, &length, &error);
  g_assert_no_error (error);

  /* Hand over an exactly sized heap copy so that ASan catches a read one
   * byte past the end, as libFuzzer's own buffers would. */
  {
    g_autofree uint8_t *copy = g_memdup2 (contents, length);

    g_assert_cmpint (LLVMFuzzerTestOneInput (copy, length), ==, 0);
  }
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_dir (const char *dirname,
         GPtrArray  *keep)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  dir = g_dir_open (dirname, 0, &error);
  if (dir == NULL)
    {
      /* A target may have no regressions yet. */
      g_test_message ("no inputs in %s: %s", dirname, error->message);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && !g_str_equal (name, "README"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *base = g_ptr_array_index (names, i);
      const char *kind = strstr (dirname, "fuzz-regressions") != NULL ? "regression" : "seed";
      g_autofree char *path = g_strdup_printf ("/capi/fuzz/%s/%s/%s", FUZZ_TARGET_NAME, kind, base);
      char *filename = g_build_filename (dirname, base, NULL);

      g_ptr_array_add (keep, filename);
      g_test_add_data_func (path, filename, replay_file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    add_dir (argv[i], keep);

  return g_test_run ();
}
