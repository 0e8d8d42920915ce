/* capi-cli.c -- capi-inspector-cli: the core, headless, for pipelines.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "capi-cli.h"

typedef struct
{
  const char     *name;
  CapiCliCommand  run;
  const char     *summary;
} CommandEntry;

static const CommandEntry commands[] = {
  /* preview */
  { "preview", capi_cli_preview, N_("Print the exact request body for events") },

  /* lint */
  { "lint", capi_cli_lint, N_("Check event documents for mistakes Snap accepts silently") },

  /* send, logs, stats, history */
  { "send", capi_cli_send, N_("Send events to the sandbox, Snap or LiveRamp ATS") },
  { "logs", capi_cli_logs, N_("Fetch Snap’s recent test events for a pixel") },
  { "stats", capi_cli_stats, N_("Fetch Snap’s event counts for a pixel") },
  { "history", capi_cli_history, N_("List past exchanges") },

  /* serve */
  { "serve", capi_cli_serve, N_("Run the local Snap/ATS sandbox server") },

  /* dedup */
  { "dedup", capi_cli_dedup, N_("Compare pixel and CAPI events: what does Snap count?") },

  { NULL, NULL, NULL },
};

void
capi_cli_error (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("capi-inspector-cli: %s\n", message);
}

GBytes *
capi_cli_read_input (const char  *filename,
                     gsize        max_size,
                     GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  guint8 chunk[65536];

  if (g_strcmp0 (filename, "-") == 0)
    {
      stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (filename);

      g_autoptr(GFileInfo) info = NULL;

      stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (stream == NULL)
        return NULL;

      /* A regular file that is too large is refused from its size alone,
       * without reading (a 1 GB log would otherwise cost 32 MB of reads). */
      info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                             G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                             G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                             NULL, NULL);
      if (info != NULL &&
          g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
          (guint64) g_file_info_get_size (info) > max_size)
        {
          g_autofree char *limit = g_format_size (max_size);
          g_autofree char *size = g_format_size (g_file_info_get_size (info));

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("%s is %s, larger than %s, the most this command reads"),
                       filename, size, limit);
          return NULL;
        }
    }

  buffer = g_byte_array_new ();
  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len + (gsize)n > max_size)
        {
          g_autofree char *limit = g_format_size (max_size);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("%s is larger than %s, the most this command reads"),
                       filename, limit);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: capi-inspector-cli COMMAND [OPTION…] [FILE…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name != NULL; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “capi-inspector-cli COMMAND --help” for the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V"))
    {
      printf ("capi-inspector-cli %s\n", PACKAGE_VERSION);
      return CAPI_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return CAPI_CLI_EXIT_OK;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  capi_cli_error (_("unknown command “%s”"), argv[1]);
  print_usage (stderr);
  return CAPI_CLI_EXIT_INPUT;
}
