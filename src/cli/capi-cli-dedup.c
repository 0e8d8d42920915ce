/* capi-cli-dedup.c -- capi-inspector-cli dedup: what Snap counts when the
 * pixel and the server both report conversions.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>

#include "capi-cli.h"
#include "capi-dedup.h"
#include "capi-finding.h"

int
capi_cli_dedup (int    argc,
                char **argv)
{
  g_auto(GStrv) pixel_files = NULL;
  g_auto(GStrv) capi_files = NULL;
  g_autofree char *capi_pixel_id = NULL;
  g_autofree char *window = NULL;
  g_autofree char *purchase_window = NULL;
  g_autofree char *format_name = NULL;
  gboolean summary_only = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "pixel", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &pixel_files,
      N_("What the pixel fired: HAR, snaptr(…) calls, JSON, JSON Lines or CSV (repeatable)"), N_("FILE") },
    { "capi", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &capi_files,
      N_("What the server sent: v3/v2/ATS bodies, JSON Lines, history, validate logs (repeatable)"), N_("FILE") },
    { "capi-pixel-id", 0, 0, G_OPTION_ARG_STRING, &capi_pixel_id,
      N_("Pixel of CAPI events that name none (else they match any pixel)"), N_("ID") },
    { "window", 0, 0, G_OPTION_ARG_STRING, &window,
      N_("Dedup id window (default 48h)"), N_("DURATION") },
    { "purchase-window", 0, 0, G_OPTION_ARG_STRING, &purchase_window,
      N_("Transaction id window (default 30d)"), N_("DURATION") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("text, json, csv or markdown (default text)"), N_("FORMAT") },
    { "summary-only", 0, 0, G_OPTION_ARG_NONE, &summary_only,
      N_("Print the summary without rows"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Do not list import problems on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapiDedup) dedup = NULL;
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(GOutputStream) out = NULL;
  CapiDedupFormat format = CAPI_DEDUP_FORMAT_TEXT;
  GListModel *problems;
  gint64 seconds;

  context = g_option_context_new (_("— compare what the pixel fired with what the server sent"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Exit status: 0 nothing is double-counted, 1 something is, 2 bad input."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (argc > 1)
    {
      capi_cli_error (_("unexpected argument “%s”; name files with --pixel or --capi"), argv[1]);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (pixel_files == NULL || capi_files == NULL)
    {
      capi_cli_error (_("dedup needs at least one --pixel FILE and one --capi FILE"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (format_name != NULL && !capi_dedup_format_from_string (format_name, &format))
    {
      capi_cli_error (_("unknown format “%s” (text, json, csv or markdown)"), format_name);
      return CAPI_CLI_EXIT_INPUT;
    }

  dedup = capi_dedup_new ();
  if (window != NULL)
    {
      if (!capi_dedup_parse_duration (window, &seconds))
        {
          capi_cli_error (_("“%s” is not a duration such as 48h, 90m or 2d"), window);
          return CAPI_CLI_EXIT_INPUT;
        }
      capi_dedup_set_window (dedup, seconds);
    }
  if (purchase_window != NULL)
    {
      if (!capi_dedup_parse_duration (purchase_window, &seconds))
        {
          capi_cli_error (_("“%s” is not a duration such as 48h, 90m or 2d"), purchase_window);
          return CAPI_CLI_EXIT_INPUT;
        }
      capi_dedup_set_purchase_window (dedup, seconds);
    }
  capi_dedup_set_capi_pixel_id (dedup, capi_pixel_id);
  for (guint i = 0; pixel_files[i] != NULL; i++)
    capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, pixel_files[i]);
  for (guint i = 0; capi_files[i] != NULL; i++)
    capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, capi_files[i]);

  report = capi_dedup_run (dedup, NULL, &error);
  if (report == NULL)
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  /* Entries that did not parse were skipped; say where, and go on. */
  problems = capi_dedup_report_get_problems (report);
  if (!quiet)
    {
      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(CapiFinding) finding = g_list_model_get_item (problems, i);

          g_printerr ("%s: %s: %s\n", capi_finding_get_path (finding),
                      capi_finding_get_code (finding), capi_finding_get_message (finding));
        }
      if (capi_dedup_report_get_n_problems (report) > g_list_model_get_n_items (problems))
        g_printerr (_("… and %llu more problems\n"),
                    (unsigned long long) (capi_dedup_report_get_n_problems (report)
                                          - g_list_model_get_n_items (problems)));
    }

  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (!capi_dedup_report_write (report, format, summary_only, out, NULL, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  return capi_dedup_report_get_summary (report)->double_counted > 0 ? CAPI_CLI_EXIT_FINDINGS
                                                                     : CAPI_CLI_EXIT_OK;
}
