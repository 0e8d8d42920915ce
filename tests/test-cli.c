/* test-cli.c -- capi-inspector-cli as a user runs it: exit codes, output, messages
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* The fixtures' clock: 2026-01-01T00:00:00Z. */
#define NOW "1767225600"

typedef struct
{
  char *tmpdir;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("capi-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->tmpdir), ==, 0);
  g_free (fixture->tmpdir);
}

static char *
write_temp (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static char *
lint_fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "lint", name, NULL);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  return g_strndup (data ? data : "", size);
}

/* Runs the CLI with @args (NULL-terminated), stdin from @stdin_path or
 * nothing.  The child inherits G_DEBUG=fatal-warnings from the test
 * environment, so a GLib warning or critical kills it and fails the test. */
static void
run_cli (Run                *run,
         const char         *stdin_path,
         const char * const *args)
{
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Messages are checked in English. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* Exited by itself: no crash, no abort on a critical. */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* Every line: "SEVERITY CODE PATH: message". */
static void
assert_finding_lines (const char *text,
                      const char *prefix)
{
  g_autoptr(GRegex) regex = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *pattern = NULL;

  pattern = g_strdup_printf ("^%s(error|warning|hint) [a-z0-9-]+( [^ ]+)?: .+$",
                             prefix ? prefix : "");
  regex = g_regex_new (pattern, 0, 0, NULL);
  g_assert_nonnull (regex);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_test_message ("line: %s", lines[i]);
      g_assert_true (g_regex_match (regex, lines[i], 0, NULL));
    }
}

/* ------------------------------------------------------------------------ */

static void
test_cli_lint_good (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *good = lint_fixture ("good.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", "--now", NOW, good, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_cli_lint_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *errors = lint_fixture ("errors.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", "--now", NOW, errors, NULL });
  g_assert_cmpint (run.status, ==, 1);
  assert_finding_lines (run.out, NULL);
  g_assert_true (g_str_has_prefix (run.out,
                                   "error event-name-lowercase data[0].event_name: "));
  g_assert_nonnull (strstr (run.out, "\nerror event-time-milliseconds data[0].event_time: "));
  g_assert_nonnull (strstr (run.out, "\nerror pii-unhashed data[0].user_data.em[0]: "));
  g_assert_nonnull (strstr (run.out, "\nerror identifiers-insufficient data[1].user_data: "));
  g_assert_nonnull (strstr (run.out, "\nwarning event-id-missing data[1].event_id: "));
  g_assert_cmpuint (count_lines (run.out), ==, 12);
  /* The raw e-mail of the document is not repeated. */
  g_assert_null (strstr (run.out, "Jane.Doe"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_cli_lint_warnings (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *warnings = lint_fixture ("warnings.json");
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, NULL, (const char *[]) { "lint", "--now", NOW, warnings, NULL });
  g_assert_cmpint (run.status, ==, 0);
  assert_finding_lines (run.out, NULL);
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "warning "));
}

static void
test_cli_lint_dest (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *ats = lint_fixture ("ats-errors.json");
  g_auto(Run) detected = { 0 };
  g_auto(Run) as_snap = { 0 };
  g_auto(Run) bad = { 0 };

  /* An ATS body is judged for ATS unless --dest says otherwise. */
  run_cli (&detected, NULL, (const char *[]) { "lint", "--now", NOW, ats, NULL });
  g_assert_cmpint (detected.status, ==, 1);
  g_assert_nonnull (strstr (detected.out, "error ats-mobile-unsupported events[1].action_source: "));

  run_cli (&as_snap, NULL, (const char *[]) { "lint", "--dest", "snap", "--now", NOW, ats, NULL });
  g_assert_cmpint (as_snap.status, ==, 1);
  g_assert_null (strstr (as_snap.out, "ats-mobile-unsupported"));
  g_assert_nonnull (strstr (as_snap.out, "error app-data-missing events[1].app_data: "));

  run_cli (&bad, NULL, (const char *[]) { "lint", "--dest", "meta", ats, NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "meta"));
  g_assert_cmpstr (bad.out, ==, "");
}

static void
test_cli_lint_json (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *errors = lint_fixture ("errors.json");
  g_autofree char *good = lint_fixture ("good.json");
  g_auto(Run) single = { 0 };
  g_auto(Run) several = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *findings;

  run_cli (&single, NULL, (const char *[]) { "lint", "--json", "--now", NOW, errors, NULL });
  g_assert_cmpint (single.status, ==, 1);
  json_parser_load_from_data (parser, single.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  findings = json_object_get_array_member (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 12);
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      g_assert_cmpuint (json_object_get_size (finding), ==, 4);
      g_assert_nonnull (json_object_get_string_member (finding, "severity"));
      g_assert_nonnull (json_object_get_string_member (finding, "code"));
      g_assert_nonnull (json_object_get_string_member (finding, "path"));
      g_assert_nonnull (json_object_get_string_member (finding, "message"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 0),
                                                  "code"), ==, "event-name-lowercase");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 0),
                                                  "path"), ==, "data[0].event_name");

  /* With several files every finding names its file. */
  run_cli (&several, NULL, (const char *[]) { "lint", "--json", "--now", NOW, good, errors, NULL });
  g_assert_cmpint (several.status, ==, 1);
  json_parser_load_from_data (parser, several.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  findings = json_object_get_array_member (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 12);
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      g_assert_cmpuint (json_object_get_size (finding), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (finding, "file"), ==, errors);
    }
}

static void
test_cli_lint_several_files (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *warnings = lint_fixture ("warnings.json");
  g_autofree char *errors = lint_fixture ("errors.json");
  g_autofree char *prefix = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", "--now", NOW, warnings, errors, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (count_lines (run.out), ==, 16);
  prefix = g_strdup_printf ("%s: warning event-name-unknown data[0].event_name: ", warnings);
  g_assert_true (g_str_has_prefix (run.out, prefix));
  g_assert_nonnull (strstr (run.out, errors));
}

static void
test_cli_lint_now (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *warnings = lint_fixture ("warnings.json");
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) later = { 0 };
  g_auto(Run) bad = { 0 };

  /* The same clock gives the same output... */
  run_cli (&first, NULL, (const char *[]) { "lint", "--now", NOW, warnings, NULL });
  run_cli (&second, NULL, (const char *[]) { "lint", "--now", NOW, warnings, NULL });
  g_assert_cmpint (first.status, ==, second.status);
  g_assert_cmpstr (first.out, ==, second.out);
  g_assert_nonnull (strstr (first.out, "warning event-time-stale data[0].event_time: "));

  /* ...and 40 days later the stale event is too old to report. */
  run_cli (&later, NULL, (const char *[]) { "lint", "--now", "1770681600", warnings, NULL });
  g_assert_cmpint (later.status, ==, 1);
  g_assert_nonnull (strstr (later.out, "error event-time-too-old data[0].event_time: "));
  g_assert_null (strstr (later.out, "event-time-stale"));

  run_cli (&bad, NULL, (const char *[]) { "lint", "--now", "yesterday", warnings, NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--now"));
}

static void
test_cli_lint_stdin (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *errors = lint_fixture ("errors.json");
  g_autofree char *broken = write_temp (fixture, "broken.json", "{\"data\": [\n  {\"event_name\" 1}\n]}", -1);
  g_auto(Run) run = { 0 };
  g_auto(Run) bad = { 0 };

  run_cli (&run, errors, (const char *[]) { "lint", "--now", NOW, "-", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "error event-name-lowercase data[0].event_name: "));

  run_cli (&bad, broken, (const char *[]) { "lint", "-", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_true (g_str_has_prefix (bad.err, "capi-inspector-cli: stdin:2:"));
}

/* ------------------------------------------------------------------------ */
/* Bad input: exit 2 and one clear message naming the file and the place      */

static void
assert_input_error (Run        *run,
                    const char *path,
                    const char *place)
{
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "capi-inspector-cli: "));
  g_assert_nonnull (strstr (run->err, path));
  if (place != NULL)
    g_assert_nonnull (strstr (run->err, place));
  /* One line. */
  g_assert_cmpuint (count_lines (run->err), ==, 1);
}

static void
test_cli_lint_malformed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = write_temp (fixture, "malformed.json",
                                      "{\n  \"data\": [\n    {\"event_name\": \"PURCHASE\",,}\n  ]\n}\n", -1);
  g_autofree char *place = g_strdup_printf ("%s:3:", path);
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", path, NULL });
  assert_input_error (&run, path, place);
}

static void
test_cli_lint_wrong_type (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_temp (fixture, "wrong-type.json",
                                      "{\"data\": [{\"event_name\": [\"PURCHASE\"], "
                                      "\"event_time\": 1767222000}]}", -1);
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", path, NULL });
  assert_input_error (&run, path, "data[0].event_name");
}

static void
test_cli_lint_not_utf8 (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Latin-1 "Raphaël" inside otherwise valid JSON. */
  static const char latin1[] = "{\"event_name\": \"PURCHASE\", \"user_data\": {\"fn\": \"Rapha\xebl\"}}";
  g_autofree char *path = write_temp (fixture, "latin1.json", latin1, sizeof latin1 - 1);
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", path, NULL });
  assert_input_error (&run, path, "UTF-8");
}

static void
test_cli_lint_empty (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *empty = write_temp (fixture, "empty.json", "", 0);
  g_autofree char *blank = write_temp (fixture, "blank.json", "  \n\t\n", -1);
  g_auto(Run) run = { 0 };
  g_auto(Run) run_blank = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", empty, NULL });
  assert_input_error (&run, empty, "empty");
  run_cli (&run_blank, NULL, (const char *[]) { "lint", blank, NULL });
  assert_input_error (&run_blank, blank, "empty");
}

static void
test_cli_lint_huge (Fixture       *fixture,
                    gconstpointer  data)
{
  /* 50 MB, generated here rather than committed: a valid start, then
   * padding.  It is refused by its size. */
  gsize size = 50 * 1024 * 1024;
  g_autofree char *contents = g_malloc (size);
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0 };

  memset (contents, ' ', size);
  memcpy (contents, "{\"data\": [", 10);
  path = write_temp (fixture, "huge.json", contents, size);
  g_clear_pointer (&contents, g_free);

  run_cli (&run, NULL, (const char *[]) { "lint", path, NULL });
  assert_input_error (&run, path, "too large");
}

static void
test_cli_lint_missing_file (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "does-not-exist.json", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "lint", path, NULL });
  assert_input_error (&run, path, NULL);
}

static void
test_cli_lint_mixed_input (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *good = lint_fixture ("good.json");
  g_autofree char *errors = lint_fixture ("errors.json");
  g_autofree char *empty = write_temp (fixture, "empty.json", "", 0);
  g_auto(Run) run = { 0 };

  /* Unreadable input wins over findings, and the other files are still judged. */
  run_cli (&run, NULL, (const char *[]) { "lint", "--now", NOW, good, empty, errors, NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, empty));
  g_assert_cmpuint (count_lines (run.out), ==, 12);
}

static void
test_cli_lint_usage (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };

  run_cli (&help, NULL, (const char *[]) { "lint", "--help", NULL });
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "capi-inspector-cli lint [OPTION…] FILE…"));
  g_assert_nonnull (strstr (help.out, "--dest"));
  g_assert_nonnull (strstr (help.out, "--json"));
  g_assert_nonnull (strstr (help.out, "--now"));

  run_cli (&none, NULL, (const char *[]) { "lint", NULL });
  g_assert_cmpint (none.status, ==, 2);
  g_assert_true (g_str_has_prefix (none.err, "capi-inspector-cli: "));

  run_cli (&unknown, NULL, (const char *[]) { "lint", "--colour", "x.json", NULL });
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "--colour"));
}

static void
test_cli_help_version (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) version = { 0 };
  g_auto(Run) unknown = { 0 };

  run_cli (&help, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "\n  lint "));

  run_cli (&version, NULL, (const char *[]) { "--version", NULL });
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "capi-inspector-cli " PACKAGE_VERSION "\n");

  run_cli (&unknown, NULL, (const char *[]) { "frobnicate", NULL });
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/capi/cli/lint/good", test_cli_lint_good);
  ADD ("/capi/cli/lint/errors", test_cli_lint_errors);
  ADD ("/capi/cli/lint/warnings", test_cli_lint_warnings);
  ADD ("/capi/cli/lint/dest", test_cli_lint_dest);
  ADD ("/capi/cli/lint/json", test_cli_lint_json);
  ADD ("/capi/cli/lint/several-files", test_cli_lint_several_files);
  ADD ("/capi/cli/lint/now", test_cli_lint_now);
  ADD ("/capi/cli/lint/stdin", test_cli_lint_stdin);
  ADD ("/capi/cli/lint/malformed", test_cli_lint_malformed);
  ADD ("/capi/cli/lint/wrong-type", test_cli_lint_wrong_type);
  ADD ("/capi/cli/lint/not-utf8", test_cli_lint_not_utf8);
  ADD ("/capi/cli/lint/empty", test_cli_lint_empty);
  ADD ("/capi/cli/lint/huge", test_cli_lint_huge);
  ADD ("/capi/cli/lint/missing-file", test_cli_lint_missing_file);
  ADD ("/capi/cli/lint/mixed-input", test_cli_lint_mixed_input);
  ADD ("/capi/cli/lint/usage", test_cli_lint_usage);
  ADD ("/capi/cli/help-version", test_cli_help_version);

#undef ADD

  return g_test_run ();
}
