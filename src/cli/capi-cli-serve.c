/* capi-cli-serve.c -- `capi-inspector-cli serve`: the sandbox, standalone
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "capi-cli.h"
#include "capi-sandbox.h"

typedef struct
{
  GMainLoop *loop;
  int        signal_number;
} ServeState;

static gboolean
quit_cb (gpointer user_data)
{
  ServeState *state = user_data;

  g_main_loop_quit (state->loop);

  return G_SOURCE_CONTINUE;
}

static gboolean
sigint_cb (gpointer user_data)
{
  ((ServeState *)user_data)->signal_number = SIGINT;
  return quit_cb (user_data);
}

static gboolean
sigterm_cb (gpointer user_data)
{
  ((ServeState *)user_data)->signal_number = SIGTERM;
  return quit_cb (user_data);
}

/* One line a request; the path comes already redacted from the sandbox. */
static void
request_cb (CapiSandbox *sandbox,
            const char  *method,
            const char  *path,
            guint        status,
            gpointer     user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%FT%T.%fZ");

  /* %f gives microseconds; milliseconds are plenty for a log line. */
  stamp[23] = 'Z';
  stamp[24] = '\0';

  if (status == 0)
    printf ("%s %s %s %s\n", stamp, method, path, _("(connection dropped)"));
  else
    printf ("%s %s %s %u\n", stamp, method, path, status);
  fflush (stdout);
}

static gboolean
parse_fault (const char        *text,
             CapiSandboxFault  *out_fault)
{
  static const struct { const char *name; CapiSandboxFault fault; } names[] = {
    { "429", CAPI_SANDBOX_FAULT_RATE_LIMIT },
    { "500", CAPI_SANDBOX_FAULT_SERVER_ERROR },
    { "drop", CAPI_SANDBOX_FAULT_DROP },
    { "truncate", CAPI_SANDBOX_FAULT_TRUNCATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *out_fault = names[i].fault;
        return TRUE;
      }

  return FALSE;
}

int
capi_cli_serve (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapiSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;
  g_autofree char *fault_name = NULL;
  g_autofree char *uri = NULL;
  CapiSandboxFault fault = CAPI_SANDBOX_FAULT_NONE;
  ServeState state = { 0 };
  int port = 0;
  int latency = 0;
  int retry_after = 1;
  int fault_count = -1;
  double fail_rate = -1.0;
  gboolean quiet = FALSE;
  guint sigint_id;
  guint sigterm_id;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on (default: a free one)"), N_("N") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      N_("Address to bind (default: 127.0.0.1)"), N_("ADDRESS") },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency,
      N_("Delay every answer by MS milliseconds"), N_("MS") },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate,
      N_("Fraction of requests (0 to 1) that get the fault"), N_("RATE") },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault_name,
      N_("How to fail: 429, 500, drop or truncate (default: 500)"), N_("KIND") },
    { "fault-count", 0, 0, G_OPTION_ARG_INT, &fault_count,
      N_("Fail only the next N requests, then behave"), N_("N") },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after,
      N_("Seconds announced in Retry-After with a 429 (default: 1)"), N_("SECONDS") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Do not log each request"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Serve a local stand-in for Snap’s Conversions API v3 and "
                                  "LiveRamp’s ATS adapter that validates events like "
                                  "`capi-inspector-cli lint` and logs each request."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (argc > 1)
    {
      capi_cli_error (_("serve takes no file arguments"));
      return CAPI_CLI_EXIT_INPUT;
    }

  if (port < 0 || port > G_MAXUINT16)
    {
      capi_cli_error (_("--port must be between 0 and 65535"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (latency < 0)
    {
      capi_cli_error (_("--latency must not be negative"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (retry_after < 0)
    {
      capi_cli_error (_("--retry-after must not be negative"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (fault_count < -1)
    {
      capi_cli_error (_("--fault-count must not be negative"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (fail_rate != -1.0 && (fail_rate < 0.0 || fail_rate > 1.0))
    {
      capi_cli_error (_("--fail-rate must be between 0 and 1"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (fault_name != NULL && !parse_fault (fault_name, &fault))
    {
      capi_cli_error (_("unknown --fault “%s” (use 429, 500, drop or truncate)"), fault_name);
      return CAPI_CLI_EXIT_INPUT;
    }
  /* A rate or a count alone means server errors. */
  if (fault == CAPI_SANDBOX_FAULT_NONE && (fail_rate > 0.0 || fault_count > 0))
    fault = CAPI_SANDBOX_FAULT_SERVER_ERROR;
  if (fail_rate == -1.0)
    fail_rate = 1.0;

  /* Loopback unless the user asked for another address by name. */
  if (host == NULL)
    host = g_strdup ("127.0.0.1");
  else if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      capi_cli_error (_("--host must be an IP address, not “%s”"), host);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (!g_inet_address_get_is_loopback (address))
    g_printerr (_("Warning: listening on %s, which is not a loopback address: anyone who "
                  "can reach it can send events to this sandbox. Its validation is a "
                  "test stand-in, not Snap.\n"), host);

  sandbox = capi_sandbox_new ();
  capi_sandbox_set_latency (sandbox, (guint)latency);
  capi_sandbox_set_fault (sandbox, fault);
  capi_sandbox_set_fault_count (sandbox, fault_count);
  capi_sandbox_set_fail_rate (sandbox, fail_rate);
  capi_sandbox_set_retry_after (sandbox, (guint)retry_after);
  if (!quiet)
    g_signal_connect (sandbox, "request", G_CALLBACK (request_cb), NULL);

  if (!capi_sandbox_start (sandbox, (guint)port, host, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  uri = capi_sandbox_dup_uri (sandbox);
  printf (_("Sandbox listening on %s (Ctrl+C stops it)\n"), uri);
  printf (_("Point clients at it with:\n  export CAPI_INSPECTOR_SNAP_BASE_URL=%s\n"
            "  export CAPI_INSPECTOR_ATS_BASE_URL=%s\n"), uri, uri);
  if (fault != CAPI_SANDBOX_FAULT_NONE)
    printf (_("Misbehaving on purpose: %s for %.0f%% of requests\n"),
            fault_name != NULL ? fault_name : "500", fail_rate * 100.0);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, &state);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  capi_sandbox_stop (sandbox);

  printf (_("Stopped (%s): %llu requests, %llu events received\n"),
          state.signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
          (unsigned long long) capi_sandbox_get_n_requests (sandbox),
          (unsigned long long) capi_sandbox_get_n_events (sandbox));
  fflush (stdout);

  return CAPI_CLI_EXIT_OK;
}
