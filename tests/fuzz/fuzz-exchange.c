/* fuzz-exchange.c -- libFuzzer target: reading a Snap / ATS response
 * (status, reason, errors, event_logs, warnings) into a CapiExchange, and
 * reading an exchange back from a history record.
 *
 * The first byte picks the HTTP status and whether the input is a response
 * body or a history record.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-exchange.h"
#include "capi-finding.h"
#include "capi-json.h"

static const guint statuses[] = { 200, 400, 401, 429, 500, 503, 204, 302 };

static void
fuzz_response (guint         status,
               const uint8_t *data,
               size_t         size)
{
  g_autoptr(CapiExchange) exchange = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  GPtrArray *findings;

  exchange = capi_exchange_new (CAPI_DESTINATION_SNAP_TEST, "fuzz", "POST",
                                "http://127.0.0.1:1/v3/p/events/validate?access_token=secret");
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Content-Type", "application/json");
  capi_exchange_set_response (exchange, status, "Fuzz", headers, body);

  g_assert_cmpuint (capi_exchange_get_status (exchange), ==, status);
  (void) capi_exchange_get_snap_status (exchange);
  (void) capi_exchange_get_snap_reason (exchange);
  g_assert (capi_exchange_outcome_to_string (capi_exchange_get_outcome (exchange)) != NULL);

  findings = capi_exchange_get_findings (exchange);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    g_assert (capi_finding_get_message (g_ptr_array_index (findings, i)) != NULL);

  /* Whatever came back, the history record is written and read back. */
  {
    g_autofree char *json = capi_exchange_to_json_string (exchange);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(CapiExchange) again = NULL;

    g_assert (json != NULL);
    /* The token in the URL is never stored (the body is the server's). */
    if (g_strstr_len ((const char *) data, size, "secret") == NULL)
      g_assert (strstr (json, "secret") == NULL);
    json_parser_load_from_data (parser, json, -1, &error);
    g_assert_no_error (error);
    again = capi_exchange_new_from_json (json_parser_get_root (parser), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (capi_exchange_get_status (again), ==, status);
  }
}

static void
fuzz_record (const uint8_t *data,
             size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CapiExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = fuzz_dup_string (data, size);

  if (!g_utf8_validate (text, -1, NULL))
    return;
  /* As capi-history reads its lines. */
  if (!capi_json_parser_load (parser, text, -1, NULL))
    return;

  exchange = capi_exchange_new_from_json (json_parser_get_root (parser), &error);
  if (exchange == NULL)
    {
      g_assert (error != NULL);
      return;
    }
  {
    g_autofree char *json = capi_exchange_to_json_string (exchange);

    g_assert (json != NULL);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_make_logs_fatal ();

  if (size < 1)
    return 0;

  if (data[0] & 0x80)
    fuzz_record (data + 1, size - 1);
  else
    fuzz_response (statuses[data[0] % G_N_ELEMENTS (statuses)], data + 1, size - 1);

  return 0;
}
