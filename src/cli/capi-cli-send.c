/* capi-cli-send.c -- `capi-inspector-cli send`: events to a destination.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "capi-cli.h"
#include "capi-client.h"
#include "capi-finding.h"
#include "capi-history.h"
#include "capi-normalize.h"
#include "capi-sandbox.h"
#include "capi-secrets.h"

static char *
settings_path (const char *profile_id)
{
  g_autofree char *base = g_strdelimit (g_strdup (APP_ID), ".", '/');

  return g_strdup_printf ("/%s/profiles/%s/", base, profile_id);
}

static void
copy_string_key (GSettings   *settings,
                 const char  *key,
                 CapiProfile *profile,
                 const char  *property)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *value = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return;
  value = g_settings_get_string (settings, key);
  if (value != NULL && *value != '\0')
    g_object_set (profile, property, value, NULL);
}

static guint
uint_key (GSettings  *settings,
          const char *key,
          guint       fallback)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return fallback;
  return g_settings_get_uint (settings, key);
}

CapiProfile *
capi_cli_load_profile (const char *name)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) app_schema = NULL;
  g_autoptr(GSettingsSchema) profile_schema = NULL;
  g_autoptr(GSettings) app = NULL;
  g_autofree char *profile_schema_id = g_strconcat (APP_ID, ".Profile", NULL);
  g_autofree char *active = NULL;
  CapiProfile *profile;

  /* The CLI also runs where the app's schemas are not installed (CI,
   * containers): then only options and the environment configure it. */
  if (source != NULL)
    {
      app_schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      profile_schema = g_settings_schema_source_lookup (source, profile_schema_id, TRUE);
    }
  if (app_schema != NULL)
    {
      app = g_settings_new_full (app_schema, NULL, NULL);
      if (name == NULL && g_settings_schema_has_key (app_schema, "active-profile"))
        active = g_settings_get_string (app, "active-profile");
    }
  if (name == NULL)
    name = (active != NULL && *active != '\0') ? active : "default";

  profile = capi_profile_new (name);
  if (app != NULL)
    {
      capi_profile_set_connect_timeout_ms (profile, 1000 * uint_key (app, "connect-timeout", 10));
      capi_profile_set_total_timeout_ms (profile, 1000 * uint_key (app, "total-timeout", 30));
      capi_profile_set_max_attempts (profile, MAX (1, uint_key (app, "max-attempts", 3)));
      copy_string_key (app, "default-country", profile, "default-country");
    }
  if (profile_schema != NULL)
    {
      g_autofree char *path = settings_path (name);
      g_autoptr(GSettings) settings = g_settings_new_full (profile_schema, NULL, path);

      copy_string_key (settings, "pixel-id", profile, "pixel-id");
      copy_string_key (settings, "ats-config-id", profile, "ats-config-id");
      copy_string_key (settings, "ats-placement-id", profile, "ats-placement-id");
      copy_string_key (settings, "origin", profile, "origin");
      copy_string_key (settings, "default-country", profile, "default-country");
      copy_string_key (settings, "snap-base-url", profile, "snap-base-url");
      copy_string_key (settings, "ats-base-url", profile, "ats-base-url");
      copy_string_key (settings, "envelope-base-url", profile, "envelope-base-url");
      copy_string_key (settings, "sandbox-base-url", profile, "sandbox-base-url");
    }

  return profile;
}

gboolean
capi_cli_find_token (CapiDestinationKind   kind,
                     CapiProfile          *profile,
                     char                **out_token,
                     GError              **error)
{
  g_autoptr(CapiSecrets) secrets = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *env = capi_secrets_get_environment_token ();
  char *token = NULL;

  *out_token = NULL;
  if (!capi_destination_kind_uses_token (kind))
    return TRUE;
  if (env != NULL)
    {
      *out_token = g_strdup (env);
      return TRUE;
    }
  /* The sandbox wants a token but accepts any: do not bother the keyring. */
  if (kind == CAPI_DESTINATION_SANDBOX)
    {
      *out_token = g_strdup ("sandbox");
      return TRUE;
    }

  /* Ask the Secret Service only on a session bus that exists; libsecret
   * would otherwise try to start one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      secrets = capi_secrets_new ();
      token = capi_secrets_lookup (secrets, capi_profile_get_name (profile), NULL, NULL, &local_error);
    }
  if (token == NULL)
    {
      if (local_error != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("No access token: set %s or store one for profile “%s” (%s)"),
                     CAPI_SECRETS_TOKEN_ENV, capi_profile_get_name (profile), local_error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("No access token: set %s or store one for profile “%s”"),
                     CAPI_SECRETS_TOKEN_ENV, capi_profile_get_name (profile));
      return FALSE;
    }
  *out_token = token;
  return TRUE;
}

static void
print_ms (GString    *line,
          const char *label,
          double      ms)
{
  if (ms < 0)
    return;
  g_string_append_printf (line, "  %s %.1f ms", label, ms);
}

void
capi_cli_print_exchange (CapiExchange *exchange)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const GError *error = capi_exchange_get_error (exchange);
  GPtrArray *findings = capi_exchange_get_findings (exchange);
  guint n_events = capi_exchange_get_n_events (exchange);
  CapiTimings timings;

  capi_exchange_get_timings (exchange, &timings);

  printf ("→ %s %s", capi_exchange_get_method (exchange), capi_exchange_get_url (exchange));
  if (n_events > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "  (%u event)", "  (%u events)", n_events), n_events);
  printf ("\n");

  if (capi_exchange_get_status (exchange) != 0)
    g_string_append_printf (line, "← %u %s", capi_exchange_get_status (exchange),
                            capi_exchange_get_reason_phrase (exchange) != NULL
                            ? capi_exchange_get_reason_phrase (exchange) : "");
  else
    g_string_append (line, _("← no response"));
  g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "  %u attempt", "  %u attempts",
                                             capi_exchange_get_attempts (exchange)),
                          capi_exchange_get_attempts (exchange));
  print_ms (line, _("connect"), timings.connect_ms);
  print_ms (line, _("first byte"), timings.ttfb_ms);
  print_ms (line, _("total"), timings.total_ms);
  printf ("%s\n", line->str);

  if (capi_exchange_get_snap_status (exchange) != NULL)
    {
      const char *reason = capi_exchange_get_snap_reason (exchange);

      if (reason != NULL && *reason != '\0')
        printf (_("  Snap: %s (%s)\n"), capi_exchange_get_snap_status (exchange), reason);
      else
        printf (_("  Snap: %s\n"), capi_exchange_get_snap_status (exchange));
    }

  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      const char *path = capi_finding_get_path (finding);

      printf ("  %-7s %s%s[%s] %s\n",
              capi_severity_to_string (capi_finding_get_severity (finding)),
              path != NULL && *path != '\0' ? path : "",
              path != NULL && *path != '\0' ? " " : "",
              capi_finding_get_code (finding),
              capi_finding_get_message (finding));
    }

  if (error != NULL)
    printf (_("  error: %s\n"), error->message);
}

int
capi_cli_exit_for_exchange (CapiExchange *exchange)
{
  switch (capi_exchange_get_outcome (exchange))
    {
    case CAPI_EXCHANGE_OUTCOME_OK:
      return CAPI_CLI_EXIT_OK;
    case CAPI_EXCHANGE_OUTCOME_INVALID:
    case CAPI_EXCHANGE_OUTCOME_HTTP_ERROR:
      return CAPI_CLI_EXIT_FINDINGS;
    case CAPI_EXCHANGE_OUTCOME_PENDING:
    case CAPI_EXCHANGE_OUTCOME_FAILED:
    default:
      return CAPI_CLI_EXIT_INPUT;
    }
}

typedef struct
{
  GMainLoop   *loop;
  CapiHistory *history;
  gboolean     json;
  gboolean     show_progress;
  GPtrArray   *exchanges;
  GError      *error;
} SendState;

static void
exchange_finished_cb (CapiClient   *client,
                      CapiExchange *exchange,
                      SendState    *state)
{
  g_autoptr(GError) error = NULL;

  /* On disk before anything says it went well. */
  if (!capi_history_append (state->history, exchange, NULL, &error))
    capi_cli_error (_("could not record the exchange in the history: %s"), error->message);
  if (!state->json)
    capi_cli_print_exchange (exchange);
  fflush (stdout);
}

static void
progress_cb (CapiClient *client,
             guint       done,
             guint       total,
             SendState  *state)
{
  if (state->show_progress)
    g_printerr (_("\r%u of %u events sent"), done, total);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->exchanges = capi_client_send_events_finish (CAPI_CLIENT (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
confirm_live (CapiProfile *profile,
              guint        n_events,
              gboolean     stdin_is_input)
{
  char answer[16] = { 0 };

  if (stdin_is_input || !isatty (STDIN_FILENO))
    return FALSE;
  fprintf (stderr,
           g_dngettext (GETTEXT_PACKAGE,
                        "Send %u event to Snap LIVE for pixel %s? It will count as a real conversion. [y/N] ",
                        "Send %u events to Snap LIVE for pixel %s? They will count as real conversions. [y/N] ",
                        n_events),
           n_events, capi_profile_get_pixel_id (profile));
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0;
}

static void
print_json (GPtrArray *exchanges)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; exchanges != NULL && i < exchanges->len; i++)
    if (g_ptr_array_index (exchanges, i) != NULL)
      json_builder_add_value (builder, capi_exchange_to_json (g_ptr_array_index (exchanges, i)));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

int
capi_cli_send (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *profile_name = NULL;
  g_autofree char *pixel_id = NULL;
  g_autofree char *ats_config_id = NULL;
  g_autofree char *country = NULL;
  g_autofree char *integration = NULL;
  g_autofree char *test_code = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(CapiProfile) profile = NULL;
  g_autoptr(CapiClient) client = NULL;
  g_autoptr(CapiHistory) history = NULL;
  g_autoptr(CapiSandbox) sandbox = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *token = NULL;
  const char *filename = "-";
  int concurrency = CAPI_CLIENT_DEFAULT_CONCURRENCY;
  gboolean json = FALSE;
  gboolean yes = FALSE;
  CapiDestinationKind kind;
  CapiPayloadOptions options = { 0 };
  SendState state = { 0 };
  int status = CAPI_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &to,
      N_("Destination: sandbox (default), snap-test, snap-live or ats"), N_("DEST") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Profile whose settings and token to use (default: the active one)"), N_("NAME") },
    { "pixel-id", 0, 0, G_OPTION_ARG_STRING, &pixel_id,
      N_("Snap Pixel ID (overrides the profile)"), N_("ID") },
    { "ats-config-id", 0, 0, G_OPTION_ARG_STRING, &ats_config_id,
      N_("LiveRamp ATS configuration ID (overrides the profile)"), N_("ID") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("Requests in flight at once (default: 4)"), N_("N") },
    { "default-country", 'c', 0, G_OPTION_ARG_STRING, &country,
      N_("Country (ISO 3166-1 alpha-2) for phone numbers without a country code"), "CC" },
    { "integration", 0, 0, G_OPTION_ARG_STRING, &integration,
      N_("Value of “integration” (default: capi-inspector; empty leaves it out)"), "NAME" },
    { "test-event-code", 0, 0, G_OPTION_ARG_STRING, &test_code,
      N_("Add test_event_code at the root of a Snap body"), "CODE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the exchanges as JSON"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Do not ask before sending to Snap live"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  g_set_prgname ("capi-inspector-cli send");
  context = g_option_context_new (_("[FILE|-]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Send the events in FILE (or standard input) — exactly the body "
                                  "“preview” prints — and show each exchange: status, timings and "
                                  "Snap’s verdict. Exit status: 0 all valid, 1 any invalid or HTTP "
                                  "error, 2 bad input or no connection."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (to == NULL)
    kind = CAPI_DESTINATION_SANDBOX;
  else if (!capi_destination_kind_from_string (to, &kind) ||
           !capi_destination_kind_has_body (kind))
    {
      capi_cli_error (_("unknown destination “%s” (use sandbox, snap-test, snap-live or ats)"), to);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (concurrency < 1 || concurrency > 64)
    {
      capi_cli_error (_("--concurrency must be between 1 and 64"));
      return CAPI_CLI_EXIT_INPUT;
    }
  if (country != NULL && capi_normalize_calling_code (country) == NULL)
    {
      capi_cli_error (_("unknown country code “%s” (use ISO 3166-1 alpha-2, such as GB)"), country);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (files != NULL && files[0] != NULL)
    {
      if (files[1] != NULL)
        {
          capi_cli_error (_("send reads one file; got %u"), g_strv_length (files));
          return CAPI_CLI_EXIT_INPUT;
        }
      filename = files[0];
    }

  profile = capi_cli_load_profile (profile_name);
  if (pixel_id != NULL)
    capi_profile_set_pixel_id (profile, pixel_id);
  if (ats_config_id != NULL)
    capi_profile_set_ats_config_id (profile, ats_config_id);
  if (kind == CAPI_DESTINATION_SANDBOX && capi_profile_get_pixel_id (profile) == NULL)
    capi_profile_set_pixel_id (profile, CAPI_DESTINATION_SANDBOX_PIXEL_ID);

  events = capi_cli_read_events (filename, NULL, &error);
  if (events == NULL)
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (events->len == 0)
    {
      capi_cli_error (_("%s holds no events"), filename);
      return CAPI_CLI_EXIT_INPUT;
    }

  /* The sandbox is the default destination: with none running, start one
   * in this process for this run so that `send` works with no setup. */
  if (kind == CAPI_DESTINATION_SANDBOX)
    {
      g_autofree char *base = capi_destination_dup_base_url (kind, profile);

      if (base == NULL)
        {
          g_autofree char *uri = NULL;

          sandbox = capi_sandbox_new ();
          if (!capi_sandbox_start (sandbox, 0, "127.0.0.1", &error))
            {
              capi_cli_error ("%s", error->message);
              return CAPI_CLI_EXIT_INPUT;
            }
          uri = capi_sandbox_dup_uri (sandbox);
          capi_profile_set_sandbox_base_url (profile, uri);
          if (!json)
            g_printerr (_("No sandbox URL is set: using a built-in sandbox for this run "
                          "(run “capi-inspector-cli serve” to keep one)\n"));
        }
    }

  /* Check the destination before asking anything of the user. */
  {
    g_autofree char *url = capi_destination_build_url (kind, profile, NULL, NULL, &error);

    if (url == NULL)
      {
        capi_cli_error ("%s", error->message);
        return CAPI_CLI_EXIT_INPUT;
      }
  }
  if (!capi_cli_find_token (kind, profile, &token, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (kind == CAPI_DESTINATION_SNAP_LIVE && !yes &&
      !confirm_live (profile, events->len, g_strcmp0 (filename, "-") == 0))
    {
      capi_cli_error (_("not sending to Snap live: confirm interactively or pass --yes"));
      return CAPI_CLI_EXIT_INPUT;
    }

  /* The same options `preview` takes, so the body is the one it shows. */
  options.default_country = country != NULL ? country : capi_profile_get_default_country (profile);
  options.integration = integration;
  options.test_event_code = test_code != NULL ? test_code : capi_profile_get_test_event_code (profile);

  client = capi_client_new ();
  capi_client_set_concurrency (client, concurrency);
  history = capi_history_new (NULL);
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.history = history;
  state.json = json;
  state.show_progress = !json && isatty (STDERR_FILENO) && events->len > capi_destination_kind_get_max_events (kind);
  g_signal_connect (client, "exchange-finished", G_CALLBACK (exchange_finished_cb), &state);
  g_signal_connect (client, "progress", G_CALLBACK (progress_cb), &state);

  capi_client_send_events_async (client, kind, profile, token, events, &options, 0, NULL,
                                 sent_cb, &state);
  g_main_loop_run (loop);
  if (state.show_progress)
    g_printerr ("\n");

  if (state.exchanges == NULL)
    {
      capi_cli_error ("%s", state.error->message);
      g_clear_error (&state.error);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (json)
    print_json (state.exchanges);

  for (guint i = 0; i < state.exchanges->len; i++)
    {
      CapiExchange *exchange = g_ptr_array_index (state.exchanges, i);

      status = MAX (status, capi_cli_exit_for_exchange (exchange));
    }
  g_ptr_array_unref (state.exchanges);

  return status;
}
