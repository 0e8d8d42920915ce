/* capi-cli-lint.c -- `capi-inspector-cli lint`: findings for event documents
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "capi-cli.h"
#include "capi-event.h"
#include "capi-lint.h"

typedef struct
{
  char      *filename;
  GPtrArray *findings;
} FileFindings;

static void
file_findings_free (FileFindings *ff)
{
  g_free (ff->filename);
  g_clear_pointer (&ff->findings, g_ptr_array_unref);
  g_free (ff);
}

static void
print_text (GPtrArray *results,
            gboolean   with_file)
{
  for (guint i = 0; i < results->len; i++)
    {
      FileFindings *ff = g_ptr_array_index (results, i);

      for (guint j = 0; j < ff->findings->len; j++)
        {
          CapiFinding *finding = g_ptr_array_index (ff->findings, j);
          const char *path = capi_finding_get_path (finding);
          g_autoptr(GString) line = g_string_new (NULL);

          if (with_file)
            g_string_append_printf (line, "%s: ", ff->filename);
          g_string_append_printf (line, "%s %s",
                                  capi_severity_to_string (capi_finding_get_severity (finding)),
                                  capi_finding_get_code (finding));
          /* A whole v2 array has no path of its own. */
          if (path != NULL && *path != '\0')
            g_string_append_printf (line, " %s", path);
          g_string_append_printf (line, ": %s\n", capi_finding_get_message (finding));
          fputs (line->str, stdout);
        }
    }
}

static void
print_json (GPtrArray *results,
            gboolean   with_file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      FileFindings *ff = g_ptr_array_index (results, i);

      for (guint j = 0; j < ff->findings->len; j++)
        {
          CapiFinding *finding = g_ptr_array_index (ff->findings, j);

          json_builder_begin_object (builder);
          if (with_file)
            {
              json_builder_set_member_name (builder, "file");
              json_builder_add_string_value (builder, ff->filename);
            }
          json_builder_set_member_name (builder, "severity");
          json_builder_add_string_value (builder,
                                         capi_severity_to_string (capi_finding_get_severity (finding)));
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, capi_finding_get_code (finding));
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, capi_finding_get_path (finding));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, capi_finding_get_message (finding));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static gboolean
parse_dest (const char     *dest,
            gboolean       *out_given,
            CapiLintTarget *out_target)
{
  *out_given = dest != NULL;
  if (dest == NULL || g_ascii_strcasecmp (dest, "snap") == 0)
    {
      *out_target = CAPI_LINT_TARGET_SNAP;
      return TRUE;
    }
  if (g_ascii_strcasecmp (dest, "ats") == 0)
    {
      *out_target = CAPI_LINT_TARGET_ATS;
      return TRUE;
    }
  return FALSE;
}

int
capi_cli_lint (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  gboolean dest_given = FALSE;
  gboolean input_failed = FALSE;
  CapiLintTarget target = CAPI_LINT_TARGET_SNAP;
  gint64 now = -1;
  guint n_errors = 0;
  guint n_files;
  const GOptionEntry entries[] = {
    { "dest", 'd', 0, G_OPTION_ARG_STRING, &dest,
      N_("Judge for this destination: snap or ats (default: ats for an ATS body, else snap)"),
      N_("DEST") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print the findings as JSON"), NULL },
    { "now", 0, 0, G_OPTION_ARG_INT64, &now,
      N_("Judge event times against this Unix time instead of the clock"), N_("SECONDS") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  /* "Usage: capi-inspector-cli lint [OPTION…] FILE…" rather than "lint". */
  g_set_prgname ("capi-inspector-cli lint");
  context = g_option_context_new (_("FILE…"));
  g_option_context_set_summary (context,
                                _("Check event documents for mistakes Snap accepts silently."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Reads Snap v3 bodies or events, v2 events, ATS bodies or JSON Lines (\"-\" is standard "
      "input) and prints one finding a line: SEVERITY CODE PATH: message.\n\n"
      "Exit status: 0 no errors (warnings allowed), 1 lint errors, 2 unreadable or invalid "
      "input."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (!parse_dest (dest, &dest_given, &target))
    {
      capi_cli_error (_("unknown destination “%s” (use snap or ats)"), dest);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (files == NULL || files[0] == NULL)
    {
      capi_cli_error (_("no input: give one or more FILEs, or - for standard input"));
      return CAPI_CLI_EXIT_INPUT;
    }

  if (now < 0)
    now = g_get_real_time () / G_USEC_PER_SEC;

  n_files = g_strv_length (files);
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) file_findings_free);
  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(GError) read_error = NULL;
      g_autoptr(GPtrArray) events = NULL;
      CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
      CapiLintTarget file_target = target;
      FileFindings *ff;

      events = capi_cli_read_events (files[i], &format, &read_error);
      if (events == NULL)
        {
          /* The reader's message already names the file and the place. */
          capi_cli_error ("%s", read_error->message);
          input_failed = TRUE;
          continue;
        }

      if (!dest_given && format == CAPI_EVENT_FORMAT_ATS)
        file_target = CAPI_LINT_TARGET_ATS;

      ff = g_new0 (FileFindings, 1);
      ff->filename = g_strdup (files[i]);
      ff->findings = capi_lint_run (events, format, file_target, now);
      n_errors += capi_lint_count (ff->findings, CAPI_SEVERITY_ERROR);
      g_ptr_array_add (results, ff);
    }

  if (json)
    print_json (results, n_files > 1);
  else
    print_text (results, n_files > 1);

  if (input_failed)
    return CAPI_CLI_EXIT_INPUT;
  return n_errors > 0 ? CAPI_CLI_EXIT_FINDINGS : CAPI_CLI_EXIT_OK;
}
