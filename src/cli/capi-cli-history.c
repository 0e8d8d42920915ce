/* capi-cli-history.c -- `capi-inspector-cli history`: past exchanges.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "capi-cli.h"
#include "capi-history.h"

static char *
event_names (CapiExchange *exchange)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = capi_exchange_get_n_events (exchange);

  for (guint i = 0; i < n && i < 3; i++)
    {
      const char *name = capi_exchange_get_event_name (exchange, i);

      if (names->len > 0)
        g_string_append (names, ",");
      g_string_append (names, name != NULL ? name : "?");
    }
  if (n > 3)
    g_string_append_printf (names, _(",… (%u)"), n);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

int
capi_cli_history (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapiHistory) history = NULL;
  gboolean json = FALSE;
  int limit = 20;
  guint n, first;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the records as JSON Lines, as stored"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show the last N exchanges (default: 20; 0: all)"), N_("N") },
    { NULL }
  };

  g_set_prgname ("capi-inspector-cli history");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("List the exchanges kept in the history, oldest first. Tokens "
                                  "are never stored; URLs show access_token=…."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }
  if (argc > 1 || limit < 0)
    {
      capi_cli_error (_("usage: history [--json] [--limit N]"));
      return CAPI_CLI_EXIT_INPUT;
    }

  history = capi_history_new (NULL);
  if (!capi_history_load (history, NULL, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  first = (limit > 0 && (guint)limit < n) ? n - (guint)limit : 0;
  for (guint i = first; i < n; i++)
    {
      g_autoptr(CapiExchange) exchange = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (json)
        {
          g_autofree char *line = capi_exchange_to_json_string (exchange);

          printf ("%s\n", line);
        }
      else
        {
          g_autofree char *when = g_date_time_format (capi_exchange_get_started (exchange), "%F %T");
          g_autofree char *names = event_names (exchange);
          g_autofree char *status = capi_exchange_get_status (exchange) != 0
                                    ? g_strdup_printf ("%u", capi_exchange_get_status (exchange))
                                    : g_strdup ("---");

          printf ("%s  %-10s %-4s %s %-10s %-20s %s\n", when,
                  capi_destination_kind_to_string (capi_exchange_get_destination (exchange)),
                  capi_exchange_get_method (exchange), status,
                  capi_exchange_outcome_to_string (capi_exchange_get_outcome (exchange)),
                  names, capi_exchange_get_url (exchange));
        }
    }

  return CAPI_CLI_EXIT_OK;
}
