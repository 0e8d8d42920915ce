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

      stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (stream == NULL)
        return NULL;
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
