/* capi-cli-logs.c -- `capi-inspector-cli logs` and `stats`: what Snap saw.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "capi-cli.h"
#include "capi-client.h"
#include "capi-history.h"

typedef struct
{
  GMainLoop    *loop;
  CapiExchange *exchange;
  GError       *error;
} FetchState;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchState *state = user_data;

  state->exchange = capi_client_send_finish (CAPI_CLIENT (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
print_body (CapiExchange *exchange)
{
  JsonNode *json = capi_exchange_get_response_json (exchange);
  GBytes *body = capi_exchange_get_response_body (exchange);

  if (json != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, json);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
    }
  else if (body != NULL && g_bytes_get_size (body) > 0)
    {
      fwrite (g_bytes_get_data (body, NULL), 1, g_bytes_get_size (body), stdout);
      printf ("\n");
    }
}

/* logs and stats differ only in the path and the wording. */
static int
fetch (int                  argc,
       char               **argv,
       CapiDestinationKind  kind,
       const char          *prgname,
       const char          *summary)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *profile_name = NULL;
  g_autofree char *pixel_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(CapiProfile) profile = NULL;
  g_autoptr(CapiClient) client = NULL;
  g_autoptr(CapiHistory) history = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean json = FALSE;
  FetchState state = { 0 };
  CapiDestinationKind token_kind = kind;
  int status;
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &to,
      N_("Ask snap (default) or the sandbox"), N_("DEST") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Profile whose settings and token to use (default: the active one)"), N_("NAME") },
    { "pixel-id", 0, 0, G_OPTION_ARG_STRING, &pixel_id,
      N_("Snap Pixel ID (overrides the profile)"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the exchange as JSON"), NULL },
    { NULL }
  };

  g_set_prgname (prgname);
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (argc > 1)
    {
      capi_cli_error (_("unexpected argument “%s”"), argv[1]);
      return CAPI_CLI_EXIT_INPUT;
    }

  profile = capi_cli_load_profile (profile_name);
  if (pixel_id != NULL)
    capi_profile_set_pixel_id (profile, pixel_id);

  if (to != NULL && g_str_equal (to, "sandbox"))
    {
      /* The sandbox serves the same paths: point the Snap host at it. */
      g_autofree char *base = capi_destination_dup_base_url (CAPI_DESTINATION_SANDBOX, profile);

      if (base == NULL)
        {
          capi_cli_error (_("No sandbox URL is set: start “capi-inspector-cli serve” and set "
                            "CAPI_INSPECTOR_SNAP_BASE_URL or the profile’s sandbox URL"));
          return CAPI_CLI_EXIT_INPUT;
        }
      capi_profile_set_snap_base_url (profile, base);
      if (capi_profile_get_pixel_id (profile) == NULL)
        capi_profile_set_pixel_id (profile, CAPI_DESTINATION_SANDBOX_PIXEL_ID);
      token_kind = CAPI_DESTINATION_SANDBOX;
    }
  else if (to != NULL && !g_str_equal (to, "snap"))
    {
      capi_cli_error (_("unknown destination “%s” (use snap or sandbox)"), to);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (!capi_cli_find_token (token_kind, profile, &token, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  client = capi_client_new ();
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  capi_client_send_async (client, kind, profile, token, NULL, NULL, fetched_cb, &state);
  g_main_loop_run (loop);
  if (state.exchange == NULL)
    {
      capi_cli_error ("%s", state.error->message);
      g_clear_error (&state.error);
      return CAPI_CLI_EXIT_INPUT;
    }

  history = capi_history_new (NULL);
  if (!capi_history_append (history, state.exchange, NULL, &error))
    capi_cli_error (_("could not record the exchange in the history: %s"), error->message);

  if (json)
    {
      g_autofree char *text = capi_exchange_to_json_string (state.exchange);

      printf ("%s\n", text);
    }
  else
    {
      capi_cli_print_exchange (state.exchange);
      print_body (state.exchange);
    }

  status = capi_cli_exit_for_exchange (state.exchange);
  g_object_unref (state.exchange);
  return status;
}

int
capi_cli_logs (int    argc,
               char **argv)
{
  return fetch (argc, argv, CAPI_DESTINATION_SNAP_LOGS, "capi-inspector-cli logs",
                _("Fetch the pixel’s recent test events from Snap (validate/logs)."));
}

int
capi_cli_stats (int    argc,
                char **argv)
{
  return fetch (argc, argv, CAPI_DESTINATION_SNAP_STATS, "capi-inspector-cli stats",
                _("Fetch the pixel’s event counts of the past hour from Snap (validate/stats)."));
}
