/* test-preview.c -- `capi-inspector-cli preview`, run as a user would.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

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

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "events", name, NULL);
}

/* Runs the CLI with the NULL-terminated arguments after "preview". */
static void
run_preview (Run        *run,
             const char *input,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  const char *arg;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "preview");
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
}

/* Bad input: exit 2, nothing on stdout, exactly one line on stderr holding
 * every fragment, and never a GLib warning or critical. */
static void
assert_input_error (Run        *run,
                    const char *fragment1,
                    const char *fragment2)
{
  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "capi-inspector-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  /* One line: the only newline is the last character. */
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
  if (fragment1 != NULL && strstr (run->err, fragment1) == NULL)
    g_error ("“%s” lacks “%s”", run->err, fragment1);
  if (fragment2 != NULL && strstr (run->err, fragment2) == NULL)
    g_error ("“%s” lacks “%s”", run->err, fragment2);
}

static void
assert_golden (const char *golden,
               const char *out)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "payload", golden, NULL);
  g_autofree char *expected = NULL;

  g_assert_true (g_file_get_contents (path, &expected, NULL, NULL));
  g_assert_cmpstr (out, ==, expected);
}

static void
test_preview_bodies (void)
{
  g_autofree char *v3 = fixture ("v3-body.json");
  g_autofree char *v2 = fixture ("v2-body.json");
  g_autofree char *ats = fixture ("ats-body.json");
  g_autofree char *jsonl = fixture ("events.jsonl");
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };

  run_preview (&a, NULL, "--default-country", "GB", v3, NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.err, ==, "");
  assert_golden ("v3-body.snap.json", a.out);

  run_preview (&b, NULL, "--default-country", "GB", v2, NULL);
  g_assert_cmpint (b.status, ==, 0);
  assert_golden ("v2-body.snap.json", b.out);

  run_preview (&c, NULL, "--dest", "ats", ats, NULL);
  g_assert_cmpint (c.status, ==, 0);
  assert_golden ("ats-body.ats.json", c.out);

  run_preview (&d, NULL, "--default-country=GB", jsonl, NULL);
  g_assert_cmpint (d.status, ==, 0);
  assert_golden ("events.snap.json", d.out);
}

static void
test_preview_stdin (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) dash = { 0 };
  const char *doc = "{\"event_name\":\"PURCHASE\",\"user_data\":{\"ph\":\"+44 844 412 4653\"}}";

  /* No file means standard input, and so does "-". */
  run_preview (&run, doc, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out,
                            "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"));
  run_preview (&dash, doc, "-", NULL);
  g_assert_cmpstr (dash.out, ==, run.out);
}

static void
test_preview_explain (void)
{
  g_autofree char *v3 = fixture ("v3-body.json");
  g_auto(Run) run = { 0 };

  run_preview (&run, NULL, "--explain", "--default-country", "GB", v3, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "FIELD"));
  g_assert_nonnull (strstr (run.out, "SHA-256"));
  g_assert_true (g_regex_match_simple ("data\\[0\\]\\.user_data\\.ph\\[0\\] +\\+44 844 412 4653 +"
                                       "448444124653 +dc008fda46e2e64002cf2f82a4906236282d431c4f"
                                       "75e5b60bfe79fc48546383\n", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("client_ip_address +203\\.0\\.113\\.7 +203\\.0\\.113\\.7 +"
                                       "sent as is\n", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("data\\[1\\]\\.user_data\\.em\\[0\\] +8B1A9953\\S+ +"
                                       "8b1a9953\\S+ +already hashed\n", run.out, 0, 0));
}

static void
test_preview_explain_ats (void)
{
  g_autofree char *v3 = fixture ("v3-body.json");
  g_auto(Run) run = { 0 };

  /* ATS takes the _scid value as partner_id and none of the hashed keys. */
  run_preview (&run, NULL, "--explain", "--dest", "ats", v3, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_regex_match_simple ("events\\[0\\]\\.user_data\\.partner_id +"
                                       "5e1c0b7e-9c1b-4b1a-8a53-3f2d0c7b9a10 +\\S+ +sent as is\n",
                                       run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("events\\[0\\]\\.user_data\\.ph +\\+44 844 412 4653 +- +"
                                       "not sent \\(ATS takes only partner_id\\)\n",
                                       run.out, 0, 0));
  g_assert_null (strstr (run.out, "data[0]"));
}

static void
test_preview_bad_input (void)
{
  static const struct
  {
    const char *name;
    const char *where;
  } cases[] = {
    { "empty.json", "empty.json: the document is empty" },
    { "blank.json", "blank.json: the document is empty" },
    { "not-utf8.json", "offset 58" },
    { "malformed.json", "malformed.json:7:33: " },
    { "malformed.jsonl", "malformed.jsonl:3:" },
    { "wrong-type.json", "wrong-type.json: data[0].user_data.em[1]: " },
    { "unknown-shape.json", "unknown-shape.json: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].name);
      g_auto(Run) run = { 0 };

      run_preview (&run, NULL, path, NULL);
      assert_input_error (&run, cases[i].where, NULL);
    }
}

static void
test_preview_bad_stdin (void)
{
  g_auto(Run) syntax = { 0 };
  g_auto(Run) type = { 0 };
  g_auto(Run) empty = { 0 };

  run_preview (&syntax, "{\n\"data\": [\n", "-", NULL);
  assert_input_error (&syntax, "stdin:", "malformed JSON");
  run_preview (&type, "{\"data\": [{\"event_name\": \"X\", \"user_data\": 5}]}", "-", NULL);
  assert_input_error (&type, "stdin: data[0].user_data: ", NULL);
  run_preview (&empty, "", NULL);
  assert_input_error (&empty, "stdin: the document is empty", NULL);
}

static void
test_preview_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("capi-preview-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "fifty-megabytes.json", NULL);
  g_auto(Run) run = { 0 };
  FILE *f;

  f = g_fopen (path, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 50 * 1024 * 1024 - 1, SEEK_SET), ==, 0);
  fputc ('\n', f);
  fclose (f);

  run_preview (&run, NULL, path, NULL);
  assert_input_error (&run, "fifty-megabytes.json: ", "too large");

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_preview_options (void)
{
  g_autofree char *v3 = fixture ("v3-body.json");
  g_auto(Run) dest = { 0 };
  g_auto(Run) country = { 0 };
  g_auto(Run) two = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) help = { 0 };

  run_preview (&dest, NULL, "--dest", "facebook", v3, NULL);
  assert_input_error (&dest, "facebook", NULL);
  run_preview (&country, NULL, "--default-country", "QQ", v3, NULL);
  assert_input_error (&country, "QQ", NULL);
  run_preview (&two, NULL, v3, v3, NULL);
  assert_input_error (&two, "one file", NULL);
  run_preview (&missing, NULL, "/nonexistent/capi/events.json", NULL);
  assert_input_error (&missing, "/nonexistent/capi/events.json", NULL);
  run_preview (&unknown, NULL, "--frobnicate", v3, NULL);
  assert_input_error (&unknown, "--frobnicate", NULL);

  run_preview (&help, NULL, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--default-country"));
  g_assert_nonnull (strstr (help.out, "--explain"));
  g_assert_nonnull (strstr (help.out, "--dest"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/preview/bodies", test_preview_bodies);
  g_test_add_func ("/capi/preview/stdin", test_preview_stdin);
  g_test_add_func ("/capi/preview/explain", test_preview_explain);
  g_test_add_func ("/capi/preview/explain-ats", test_preview_explain_ats);
  g_test_add_func ("/capi/preview/bad-input", test_preview_bad_input);
  g_test_add_func ("/capi/preview/bad-stdin", test_preview_bad_stdin);
  g_test_add_func ("/capi/preview/too-large", test_preview_too_large);
  g_test_add_func ("/capi/preview/options", test_preview_options);

  return g_test_run ();
}
