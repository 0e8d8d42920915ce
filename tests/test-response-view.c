/* test-response-view.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "capi-response-view.h"

static CapiResponseView *
view_new (void)
{
  return g_object_ref_sink (CAPI_RESPONSE_VIEW (capi_response_view_new ()));
}

static CapiExchange *
exchange_new (void)
{
  return capi_exchange_new (CAPI_DESTINATION_SANDBOX, "default", "POST",
                            "http://127.0.0.1:1/v3/p/events/validate?access_token=…");
}

static void
respond (CapiExchange *exchange,
         guint         status,
         const char   *body)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (headers, "Content-Type", "application/json");
  capi_exchange_set_response (exchange, status, status == 200 ? "OK" : "Bad Request", headers, bytes);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_response_view_new_destroy (void)
{
  CapiResponseView *view = view_new ();

  g_assert_null (capi_response_view_get_exchange (view));
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "");
  g_assert_finalize_object (view);
}

static void
test_response_view_follows_exchange (void)
{
  g_autoptr(CapiResponseView) view = view_new ();
  g_autoptr(CapiExchange) exchange = exchange_new ();
  g_autofree char *body = NULL;
  guint notified = 0;

  g_signal_connect_swapped (view, "notify::exchange", G_CALLBACK (count_cb), &notified);
  capi_response_view_set_exchange (view, exchange);
  capi_response_view_set_exchange (view, exchange);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (capi_response_view_get_exchange (view) == exchange);

  /* The answer arrives after the view shows the exchange. */
  respond (exchange, 200, "{\"status\":\"VALID\",\"reason\":\"ok\"}");
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "VALID");
  body = capi_response_view_dup_body (view);
  g_assert_nonnull (strstr (body, "\"VALID\""));

  capi_response_view_set_exchange (view, NULL);
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "");
}

static void
test_response_view_invalid_and_raw (void)
{
  g_autoptr(CapiResponseView) view = view_new ();
  g_autoptr(CapiExchange) invalid = exchange_new ();
  g_autoptr(CapiExchange) html = exchange_new ();
  g_autofree char *body = NULL;

  respond (invalid, 400, "{\"status\":\"INVALID\",\"reason\":\"missing currency\"}");
  capi_response_view_set_exchange (view, invalid);
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "INVALID");

  /* A body that is no JSON is still shown as it came. */
  respond (html, 502, "<html>bad gateway</html>");
  capi_response_view_set_exchange (view, html);
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "HTTP 502");
  body = capi_response_view_dup_body (view);
  g_assert_cmpstr (body, ==, "<html>bad gateway</html>");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/capi/response-view/new-destroy", test_response_view_new_destroy);
  g_test_add_func ("/capi/response-view/follows-exchange", test_response_view_follows_exchange);
  g_test_add_func ("/capi/response-view/invalid-and-raw", test_response_view_invalid_and_raw);

  return g_test_run ();
}
