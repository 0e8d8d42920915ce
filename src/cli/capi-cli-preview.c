/* capi-cli-preview.c -- `capi-inspector-cli preview`: the exact request body.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "capi-cli.h"
#include "capi-event.h"
#include "capi-normalize.h"
#include "capi-payload.h"

/**
 * capi_cli_read_events:
 * @filename: a file name, or "-" for standard input
 *
 * Reads an event document the way every command does: a file is refused by
 * its size before it is read; every error message names the file (or
 * "stdin") and the place in it.
 *
 * Returns: (transfer full) (element-type CapiEvent) (nullable):
 */
GPtrArray *
capi_cli_read_events (const char       *filename,
                      CapiEventFormat  *out_format,
                      GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *events;
  gsize size = 0;
  const char *data;

  if (g_strcmp0 (filename, "-") != 0)
    return capi_event_read_file (filename, out_format, error);

  /* One byte more than the limit, so that the reader says "too large". */
  bytes = capi_cli_read_input ("-", CAPI_EVENT_MAX_DOCUMENT_SIZE + 1, &local_error);
  if (bytes == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", _("stdin"));
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  events = capi_event_read_document (data != NULL ? data : "", size, out_format, &local_error);
  if (events == NULL)
    {
      /* Syntax errors begin with line:column, others with a path or text. */
      const char *format = g_ascii_isdigit (local_error->message[0]) ? "%s:" : "%s: ";

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), format, _("stdin"));
      return NULL;
    }

  return events;
}

static int
utf8_width (const char *text)
{
  return text != NULL ? (int) g_utf8_strlen (text, -1) : 0;
}

static void
print_cell (const char *text,
            int         width,
            gboolean    last)
{
  fputs (text, stdout);
  if (last)
    return;
  for (int i = utf8_width (text); i < width + 2; i++)
    fputc (' ', stdout);
}

/* The normalization table: field, raw, normalized, and what is sent.  Raw
 * values go to the terminal only; nothing here is written to disk. */
static void
print_explain (GPtrArray *rows)
{
  const char *headers[4] = { _("FIELD"), _("RAW"), _("NORMALIZED"), _("SHA-256") };
  int widths[3];

  for (guint c = 0; c < 3; c++)
    widths[c] = utf8_width (headers[c]);

  for (guint i = 0; i < rows->len; i++)
    {
      CapiExplainRow *row = g_ptr_array_index (rows, i);

      widths[0] = MAX (widths[0], utf8_width (row->field));
      widths[1] = MAX (widths[1], utf8_width (row->raw));
      widths[2] = MAX (widths[2], utf8_width (row->state == CAPI_VALUE_ALREADY_HASHED
                                              ? row->sent
                                              : row->normalized != NULL ? row->normalized : "-"));
    }

  for (guint c = 0; c < 4; c++)
    print_cell (headers[c], c < 3 ? widths[c] : 0, c == 3);
  fputc ('\n', stdout);

  for (guint i = 0; i < rows->len; i++)
    {
      CapiExplainRow *row = g_ptr_array_index (rows, i);
      g_autofree char *last = NULL;
      const char *normalized = row->normalized != NULL ? row->normalized : "-";

      switch (row->state)
        {
        case CAPI_VALUE_HASHED:
          last = g_strdup (row->sent);
          break;
        case CAPI_VALUE_ALREADY_HASHED:
          normalized = row->sent;
          last = g_strdup (_("already hashed"));
          break;
        case CAPI_VALUE_SENT_AS_IS:
          last = g_strdup (_("sent as is"));
          break;
        case CAPI_VALUE_DROPPED:
        default:
          if (g_str_has_prefix (row->field, "events["))
            last = g_strdup (_("not sent (ATS takes only partner_id)"));
          else if (capi_normalize_field_kind (row->key) == CAPI_FIELD_UNKNOWN)
            last = g_strdup (_("not sent (unknown key)"));
          else
            last = g_strdup (_("not sent (nothing usable)"));
          break;
        }

      print_cell (row->field, widths[0], FALSE);
      print_cell (row->raw, widths[1], FALSE);
      print_cell (normalized, widths[2], FALSE);
      print_cell (last, 0, TRUE);
      fputc ('\n', stdout);
    }
}

/* LiveRamp's adapter carries no hashed identifiers: the only identity it
 * takes is partner_id (the ATS envelope, or the _scid cookie value). */
static GPtrArray *
explain_ats (GPtrArray *events)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) capi_explain_row_free);

  for (guint i = 0; i < events->len; i++)
    {
      CapiEvent *event = g_ptr_array_index (events, i);
      JsonNode *node = capi_event_get_member (event, "user_data");
      g_autofree char *partner = capi_event_dup_string (event, "user_data.partner_id");
      const char *partner_key = partner != NULL ? "partner_id" : "sc_cookie1";
      g_autoptr(GList) keys = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;

      keys = json_object_get_members (json_node_get_object (node));
      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_autofree char *key = g_strconcat ("user_data.", (const char *) l->data, NULL);
          g_auto(GStrv) values = capi_event_dup_strv (event, key);

          for (guint j = 0; values[j] != NULL; j++)
            {
              CapiExplainRow *row = g_new0 (CapiExplainRow, 1);
              g_autofree char *trimmed = g_strstrip (g_strdup (values[j]));
              gboolean sent = g_str_equal (l->data, partner_key) && j == 0 && *trimmed != '\0';

              row->key = g_strdup (l->data);
              row->raw = g_strdup (values[j]);
              if (sent)
                {
                  row->field = g_strdup_printf ("events[%u].user_data.partner_id", i);
                  row->normalized = g_strdup (trimmed);
                  row->sent = g_strdup (trimmed);
                  row->state = CAPI_VALUE_SENT_AS_IS;
                }
              else
                {
                  row->field = g_strdup_printf ("events[%u].user_data.%s", i,
                                                (const char *) l->data);
                  row->state = CAPI_VALUE_DROPPED;
                }
              g_ptr_array_add (rows, row);
            }
        }
    }

  return rows;
}

int
capi_cli_preview (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *country = NULL;
  g_autofree char *integration = NULL;
  g_autofree char *test_code = NULL;
  g_auto(GStrv) files = NULL;
  gboolean explain = FALSE;
  CapiPayloadOptions options = { 0 };
  CapiPayloadKind kind = CAPI_PAYLOAD_SNAP_V3;
  const char *filename = "-";
  GOptionEntry entries[] = {
    { "dest", 'd', 0, G_OPTION_ARG_STRING, &dest,
      N_("Destination body: snap (default) or ats"), "snap|ats" },
    { "default-country", 'c', 0, G_OPTION_ARG_STRING, &country,
      N_("Country (ISO 3166-1 alpha-2) for phone numbers without a country code"), "CC" },
    { "explain", 'e', 0, G_OPTION_ARG_NONE, &explain,
      N_("Print the normalization table (field, raw, normalized, SHA-256) instead"), NULL },
    { "integration", 0, 0, G_OPTION_ARG_STRING, &integration,
      N_("Value of “integration” (default: capi-inspector; empty leaves it out)"), "NAME" },
    { "test-event-code", 0, 0, G_OPTION_ARG_STRING, &test_code,
      N_("Add test_event_code at the root of a Snap body"), "CODE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  g_set_prgname ("capi-inspector-cli preview");
  context = g_option_context_new (_("[FILE|-]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print the exact request body that would be sent for the events "
                                  "in FILE (or standard input): a Snap v3 body, a v2 body, an ATS "
                                  "body, one event or JSON Lines."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (dest == NULL || g_str_equal (dest, "snap"))
    kind = CAPI_PAYLOAD_SNAP_V3;
  else if (g_str_equal (dest, "ats"))
    kind = CAPI_PAYLOAD_ATS;
  else
    {
      capi_cli_error (_("unknown destination “%s” (use snap or ats)"), dest);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (country != NULL && capi_normalize_calling_code (country) == NULL)
    {
      capi_cli_error (_("unknown country code “%s” (use ISO 3166-1 alpha-2, such as GB)"),
                      country);
      return CAPI_CLI_EXIT_INPUT;
    }

  if (files != NULL && files[0] != NULL)
    {
      if (files[1] != NULL)
        {
          capi_cli_error (_("preview reads one file; got %u"), g_strv_length (files));
          return CAPI_CLI_EXIT_INPUT;
        }
      filename = files[0];
    }

  events = capi_cli_read_events (filename, NULL, &error);
  if (events == NULL)
    {
      capi_cli_error ("%s", error->message);
      return CAPI_CLI_EXIT_INPUT;
    }

  options.default_country = country;
  options.integration = integration;
  options.test_event_code = test_code;

  if (explain)
    {
      g_autoptr(GPtrArray) rows = kind == CAPI_PAYLOAD_ATS ? explain_ats (events)
                                                           : capi_payload_explain (events, &options);

      print_explain (rows);
    }
  else
    {
      g_autofree char *body = capi_payload_build_string (kind, events, &options, TRUE);

      printf ("%s\n", body);
    }

  return CAPI_CLI_EXIT_OK;
}
