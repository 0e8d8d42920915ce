/* test-exchange.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-exchange.h"
#include "capi-finding.h"

#define URL "http://127.0.0.1:1/v3/pix/events/validate?access_token=TOKEN-0123"
#define EM_HASH "f1904cc1f0b7ee6e4b8ae2ac6e9a7b8d4a3e1c5d8f2a7b6c9e0d1f2a3b4c5d6e"

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static CapiExchange *
exchange_with (CapiDestinationKind  kind,
               const char          *request,
               guint                status,
               const char          *response)
{
  CapiExchange *exchange = capi_exchange_new (kind, "default", "POST", URL);
  g_autoptr(SoupMessageHeaders) req = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMessageHeaders) resp = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) req_body = request != NULL ? bytes (request) : NULL;
  g_autoptr(GBytes) resp_body = response != NULL ? bytes (response) : NULL;

  soup_message_headers_append (req, "Content-Type", "application/json");
  soup_message_headers_append (req, "Authorization", "Bearer TOKEN-0123");
  soup_message_headers_append (resp, "Content-Type", "application/json");
  capi_exchange_set_request (exchange, req, req_body);
  if (status != 0)
    capi_exchange_set_response (exchange, status, "Reason", resp, resp_body);
  return exchange;
}

static void
test_exchange_new_destroy (void)
{
  CapiExchange *exchange = capi_exchange_new (CAPI_DESTINATION_SNAP_TEST, "p", "POST", URL);

  g_assert_nonnull (capi_exchange_get_id (exchange));
  g_assert_cmpstr (capi_exchange_get_url (exchange), ==,
                   "http://127.0.0.1:1/v3/pix/events/validate?access_token=…");
  g_assert_cmpint (capi_exchange_get_outcome (exchange), ==, CAPI_EXCHANGE_OUTCOME_PENDING);
  g_assert_cmpuint (capi_exchange_get_status (exchange), ==, 0);
  g_assert_finalize_object (exchange);
}

static void
test_exchange_valid (void)
{
  g_autoptr(CapiExchange) exchange =
    exchange_with (CAPI_DESTINATION_SNAP_TEST,
                   "{\"data\":[{\"event_name\":\"PURCHASE\",\"event_id\":\"o-1\"},{\"event_name\":\"PAGE_VIEW\"}]}",
                   200,
                   "{\"status\":\"VALID\",\"test_event\":true,\"reason\":\"ok\",\"event_logs\":["
                   "{\"event\":0,\"status\":\"VALID\",\"warnings\":[\"event_source_url is missing\"]},"
                   "{\"event\":1,\"status\":\"VALID\"}]}");
  GPtrArray *findings = capi_exchange_get_findings (exchange);
  CapiFinding *finding;

  g_assert_cmpint (capi_exchange_get_outcome (exchange), ==, CAPI_EXCHANGE_OUTCOME_OK);
  g_assert_cmpstr (capi_exchange_get_snap_status (exchange), ==, "VALID");
  g_assert_cmpuint (capi_exchange_get_n_events (exchange), ==, 2);
  g_assert_cmpstr (capi_exchange_get_event_name (exchange, 0), ==, "PURCHASE");
  g_assert_cmpstr (capi_exchange_get_event_id (exchange, 0), ==, "o-1");
  g_assert_null (capi_exchange_get_event_id (exchange, 1));
  g_assert_true (capi_exchange_has_event_name (exchange, "PAGE_VIEW"));
  g_assert_true (capi_exchange_has_event_id (exchange, "o-1"));
  g_assert_false (capi_exchange_has_event_id (exchange, "o-2"));

  g_assert_cmpuint (findings->len, ==, 1);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpint (capi_finding_get_severity (finding), ==, CAPI_SEVERITY_WARNING);
  g_assert_cmpint (capi_finding_get_event_index (finding), ==, 0);
  g_assert_cmpstr (capi_finding_get_path (finding), ==, "data[0].event_source_url");
  g_assert_cmpstr (capi_finding_get_key (finding), ==, "event_source_url");

  /* Request headers were redacted on the way in. */
  {
    GPtrArray *headers = capi_exchange_get_request_headers (exchange);
    gboolean seen = FALSE;

    for (guint i = 0; i < headers->len; i++)
      {
        CapiHeader *header = g_ptr_array_index (headers, i);

        if (g_ascii_strcasecmp (header->name, "Authorization") == 0)
          {
            g_assert_cmpstr (header->value, ==, "Bearer …");
            seen = TRUE;
          }
      }
    g_assert_true (seen);
  }
}

static void
test_exchange_invalid (void)
{
  /* Live shape: the failing event's index at the root. */
  g_autoptr(CapiExchange) live =
    exchange_with (CAPI_DESTINATION_SNAP_LIVE, "{\"data\":[{},{},{}]}", 400,
                   "{\"status\":\"INVALID\",\"reason\":\"bad\",\"event\":2,"
                   "\"errors\":{\"codes\":[\"E1\",7],\"error_msgs\":["
                   "\"user_data.em is not a SHA-256 hash\",\"PURCHASE requires currency\"]}}");
  /* Validate shape, one INVALID log without details. */
  g_autoptr(CapiExchange) validate =
    exchange_with (CAPI_DESTINATION_SNAP_TEST, "{\"data\":[{}]}", 400,
                   "{\"status\":\"INVALID\",\"event_logs\":[{\"event\":0,\"status\":\"INVALID\"}]}");
  GPtrArray *findings = capi_exchange_get_findings (live);
  CapiFinding *first, *second;

  g_assert_cmpint (capi_exchange_get_outcome (live), ==, CAPI_EXCHANGE_OUTCOME_INVALID);
  g_assert_cmpstr (capi_exchange_get_snap_reason (live), ==, "bad");
  g_assert_cmpuint (findings->len, ==, 2);
  first = g_ptr_array_index (findings, 0);
  second = g_ptr_array_index (findings, 1);
  g_assert_cmpstr (capi_finding_get_code (first), ==, "E1");
  g_assert_cmpstr (capi_finding_get_path (first), ==, "data[2].user_data.em");
  g_assert_cmpint (capi_finding_get_severity (first), ==, CAPI_SEVERITY_ERROR);
  g_assert_cmpstr (capi_finding_get_code (second), ==, "7");
  g_assert_cmpstr (capi_finding_get_path (second), ==, "data[2].custom_data.currency");
  g_assert_cmpint (capi_finding_get_event_index (second), ==, 2);

  g_assert_cmpint (capi_exchange_get_outcome (validate), ==, CAPI_EXCHANGE_OUTCOME_INVALID);
  g_assert_cmpuint (capi_exchange_get_findings (validate)->len, ==, 1);
  g_assert_cmpstr (capi_finding_get_path (g_ptr_array_index (capi_exchange_get_findings (validate), 0)),
                   ==, "data[0]");
}

static void
test_exchange_not_json (void)
{
  g_autoptr(CapiExchange) exchange =
    exchange_with (CAPI_DESTINATION_SNAP_TEST, "{\"data\":[]}", 502,
                   "<html><body>Bad gateway</body></html>");
  gsize size = 0;

  g_assert_cmpint (capi_exchange_get_outcome (exchange), ==, CAPI_EXCHANGE_OUTCOME_HTTP_ERROR);
  g_assert_null (capi_exchange_get_response_json (exchange));
  g_assert_null (capi_exchange_get_snap_status (exchange));
  g_bytes_get_data (capi_exchange_get_response_body (exchange), &size);
  g_assert_cmpuint (size, ==, strlen ("<html><body>Bad gateway</body></html>"));
}

static CapiExchange *
round_trip (CapiExchange *exchange,
            char        **out_json)
{
  g_autofree char *json = capi_exchange_to_json_string (exchange);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CapiExchange *again;

  g_assert_null (strstr (json, "TOKEN-0123"));
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  again = capi_exchange_new_from_json (node, &error);
  g_assert_no_error (error);
  if (out_json != NULL)
    *out_json = g_steal_pointer (&json);
  return again;
}

static void
test_exchange_json (void)
{
  const char *request = "{\"data\":[{\"event_name\":\"PURCHASE\",\"event_id\":\"o-9\",\"user_data\":{\"em\":[\"" EM_HASH "\"]}}]}";
  g_autoptr(CapiExchange) exchange =
    exchange_with (CAPI_DESTINATION_SNAP_LIVE, request, 400,
                   "{\"status\":\"INVALID\",\"event\":0,\"errors\":{\"codes\":[\"X\"],\"error_msgs\":[\"event_time is in the future\"]}}");
  g_autoptr(CapiExchange) again = NULL;
  g_autoptr(GError) transport = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "slow");
  CapiTimings timings = { 1.5, 20.25, 42.0 }, back;
  gsize size = 0;
  const char *data;

  capi_exchange_set_timings (exchange, &timings);
  capi_exchange_set_attempts (exchange, 2);
  again = round_trip (exchange, NULL);

  g_assert_cmpstr (capi_exchange_get_id (again), ==, capi_exchange_get_id (exchange));
  g_assert_true (g_date_time_equal (capi_exchange_get_started (again), capi_exchange_get_started (exchange)));
  g_assert_cmpint (capi_exchange_get_destination (again), ==, CAPI_DESTINATION_SNAP_LIVE);
  g_assert_cmpstr (capi_exchange_get_url (again), ==, capi_exchange_get_url (exchange));
  g_assert_cmpuint (capi_exchange_get_status (again), ==, 400);
  g_assert_cmpint (capi_exchange_get_outcome (again), ==, CAPI_EXCHANGE_OUTCOME_INVALID);
  g_assert_cmpuint (capi_exchange_get_attempts (again), ==, 2);
  capi_exchange_get_timings (again, &back);
  g_assert_cmpfloat (back.ttfb_ms, ==, 20.25);
  g_assert_cmpstr (capi_finding_get_path (g_ptr_array_index (capi_exchange_get_findings (again), 0)),
                   ==, "data[0].event_time");
  /* The request body comes back byte for byte. */
  data = g_bytes_get_data (capi_exchange_get_request_body (again), &size);
  g_assert_cmpmem (data, size, request, strlen (request));
  g_assert_true (capi_exchange_has_event_id (again, "o-9"));

  /* A failed exchange keeps its error. */
  {
    g_autoptr(CapiExchange) failed = capi_exchange_new (CAPI_DESTINATION_SANDBOX, NULL, "POST", URL);
    g_autoptr(CapiExchange) failed_again = NULL;

    capi_exchange_set_error (failed, transport);
    g_assert_cmpint (capi_exchange_get_outcome (failed), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
    failed_again = round_trip (failed, NULL);
    g_assert_error ((GError *)capi_exchange_get_error (failed_again), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_cmpint (capi_exchange_get_outcome (failed_again), ==, CAPI_EXCHANGE_OUTCOME_FAILED);
  }
}

static void
test_exchange_no_raw_pii (void)
{
  /* Not what capi-payload builds, but if such a body is ever sent, its
   * record must still not hold the raw values. */
  g_autoptr(CapiExchange) exchange =
    exchange_with (CAPI_DESTINATION_SNAP_TEST,
                   "{\"data\":[{\"event_name\":\"SIGN_UP\",\"user_data\":{\"em\":[\"jane.doe@example.com\"],"
                   "\"ph\":\"+44 844 412 4653\",\"fn\":[\"Raphaël\"],\"client_ip_address\":\"203.0.113.9\"}}]}",
                   200, "{\"status\":\"VALID\"}");
  g_autofree char *json = NULL;
  g_autoptr(CapiExchange) again = round_trip (exchange, &json);

  g_assert_null (strstr (json, "jane.doe"));
  g_assert_null (strstr (json, "844 412"));
  g_assert_null (strstr (json, "Rapha"));
  g_assert_nonnull (strstr (json, "203.0.113.9"));
  g_assert_nonnull (strstr (json, "\"request_body_scrubbed\":true"));
  g_assert_cmpstr (capi_exchange_get_event_name (again, 0), ==, "SIGN_UP");
}

static void
test_exchange_large_body (void)
{
  gsize big = CAPI_EXCHANGE_MAX_STORED_BODY + 4096;
  g_autofree char *text = g_malloc (big + 1);
  g_autoptr(CapiExchange) exchange = NULL;
  g_autoptr(CapiExchange) again = NULL;
  g_autofree char *json = NULL;
  gsize size = 0;

  memset (text, 'a', big);
  text[big] = '\0';
  exchange = exchange_with (CAPI_DESTINATION_SNAP_TEST, "{\"data\":[]}", 200, text);
  g_bytes_get_data (capi_exchange_get_response_body (exchange), &size);
  g_assert_cmpuint (size, ==, big);

  again = round_trip (exchange, &json);
  g_assert_nonnull (strstr (json, "\"response_body_truncated\":true"));
  g_bytes_get_data (capi_exchange_get_response_body (again), &size);
  g_assert_cmpuint (size, ==, CAPI_EXCHANGE_MAX_STORED_BODY);
}

static void
test_exchange_bad_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":\"x\",\"destination\":\"nowhere\"}", NULL);
  g_autoptr(JsonNode) array = json_from_string ("[1,2]", NULL);
  CapiExchange *exchange;

  exchange = capi_exchange_new_from_json (node, &error);
  g_assert_error (error, CAPI_EXCHANGE_ERROR, CAPI_EXCHANGE_ERROR_SYNTAX);
  g_assert_null (exchange);
  g_clear_error (&error);
  exchange = capi_exchange_new_from_json (array, &error);
  g_assert_error (error, CAPI_EXCHANGE_ERROR, CAPI_EXCHANGE_ERROR_SYNTAX);
  g_assert_null (exchange);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/exchange/new-destroy", test_exchange_new_destroy);
  g_test_add_func ("/capi/exchange/valid", test_exchange_valid);
  g_test_add_func ("/capi/exchange/invalid", test_exchange_invalid);
  g_test_add_func ("/capi/exchange/not-json", test_exchange_not_json);
  g_test_add_func ("/capi/exchange/json", test_exchange_json);
  g_test_add_func ("/capi/exchange/no-raw-pii", test_exchange_no_raw_pii);
  g_test_add_func ("/capi/exchange/large-body", test_exchange_large_body);
  g_test_add_func ("/capi/exchange/bad-record", test_exchange_bad_record);

  return g_test_run ();
}
