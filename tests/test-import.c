/* test-import.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "capi-conversion.h"
#include "capi-exchange.h"
#include "capi-finding.h"
#include "capi-import.h"

#define PIXEL_A "11111111-2222-4333-8444-555555555555"
#define PIXEL_B "99999999-8888-4777-8666-555555555555"
#define T0 G_GINT64_CONSTANT (1795168800)   /* 2026-11-20T10:00:00Z */

static GPtrArray *
import_fixture (const char          *name,
                CapiConversionSide   side,
                CapiImportKind       expected_kind,
                GPtrArray          **out_problems)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dedup", name, NULL);
  g_autoptr(GError) error = NULL;
  CapiImportKind kind = CAPI_IMPORT_KIND_UNKNOWN;
  GPtrArray *result;
  g_autoptr(GPtrArray) problems = NULL;

  result = capi_import_file (path, side, NULL, &kind, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (capi_import_kind_to_string (kind), ==, capi_import_kind_to_string (expected_kind));
  if (out_problems != NULL)
    *out_problems = g_steal_pointer (&problems);

  return result;
}

static CapiConversion *
find (GPtrArray  *conversions,
      const char *event_name)
{
  for (guint i = 0; i < conversions->len; i++)
    {
      CapiConversion *c = g_ptr_array_index (conversions, i);

      if (g_strcmp0 (capi_conversion_get_event_name (c), event_name) == 0)
        return c;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
assert_problem (GPtrArray  *problems,
                guint       index,
                const char *code,
                const char *path_suffix)
{
  CapiFinding *f;

  g_assert_cmpuint (problems->len, >, index);
  f = g_ptr_array_index (problems, index);
  if (code != NULL)
    g_assert_cmpstr (capi_finding_get_code (f), ==, code);
  if (!g_str_has_suffix (capi_finding_get_path (f), path_suffix))
    g_error ("problem path %s does not end in %s", capi_finding_get_path (f), path_suffix);
}

static void
test_conversion_new_destroy (void)
{
  CapiConversion *c = capi_conversion_new (CAPI_CONVERSION_SIDE_CAPI, "", "PURCHASE", "id-1",
                                           "ord-1", T0);
  g_autofree char *iso = NULL;

  g_assert_cmpint (capi_conversion_get_side (c), ==, CAPI_CONVERSION_SIDE_CAPI);
  g_assert_null (capi_conversion_get_pixel_id (c));    /* "" is absent */
  g_assert_cmpstr (capi_conversion_get_event_name (c), ==, "PURCHASE");
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "id-1");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_true (capi_conversion_has_time (c));
  iso = capi_conversion_dup_time_string (c);
  g_assert_cmpstr (iso, ==, "2026-11-20T10:00:00Z");
  capi_conversion_set_location (c, "server.jsonl", 12);
  g_assert_cmpstr (capi_conversion_get_source (c), ==, "server.jsonl");
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 12);
  g_assert_finalize_object (c);
}

static void
test_import_detect (void)
{
  static const struct { const char *text; CapiImportKind kind; } cases[] = {
    { "{\"log\": {\"version\": \"1.2\", \"entries\": []}}", CAPI_IMPORT_KIND_HAR },
    { "  {\n  \"data\": []\n}", CAPI_IMPORT_KIND_JSON },
    { "[{\"event_type\": \"PURCHASE\"}]", CAPI_IMPORT_KIND_JSON },
    { "{\"a\": 1}\n{\"a\": 2}\n", CAPI_IMPORT_KIND_JSON_LINES },
    { "\xef\xbb\xbf{\"a\": 1}\n\n{\"a\": 2}", CAPI_IMPORT_KIND_JSON_LINES },
    { "pixel_id,event_name,dedup_id\nP,PURCHASE,x\n", CAPI_IMPORT_KIND_CSV },
    { "<script>snaptr('init', 'x');</script>", CAPI_IMPORT_KIND_SNAPTR },
    { "hello world", CAPI_IMPORT_KIND_UNKNOWN },
    { "   \n ", CAPI_IMPORT_KIND_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (capi_import_detect_kind (cases[i].text, strlen (cases[i].text)), ==,
                     cases[i].kind);
}

static void
test_import_har (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("pixel.har", CAPI_CONVERSION_SIDE_PIXEL,
                                              CAPI_IMPORT_KIND_HAR, &problems);
  CapiConversion *c;
  JsonObject *extra;

  /* Page, CDN, config, the redirect, Google Analytics: none is a conversion. */
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpuint (problems->len, ==, 0);

  c = find (list, "PAGE_VIEW");          /* query string, ts in ms */
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "pv-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0);
  extra = capi_conversion_get_extra (c);
  g_assert_nonnull (extra);
  g_assert_cmpstr (json_object_get_string_member (extra, "v"), ==, "1.5");
  g_assert_cmpstr (json_object_get_string_member (extra, "pl"), ==, "https://shop.example.com/checkout");

  c = find (list, "PURCHASE");           /* form body after a 307 */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ord-1-purchase");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 300);
  /* A raw e-mail in the pixel request is never kept. */
  g_assert_false (json_object_has_member (capi_conversion_get_extra (c), "user_email"));
  g_assert_cmpstr (json_object_get_string_member (capi_conversion_get_extra (c), "currency"), ==, "EUR");

  c = find (list, "ADD_CART");           /* JSON body on tr-shadow, time from startedDateTime +01:00 */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "cart-7");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 300);
  g_assert_cmpuint (capi_conversion_get_line (c), >, 1);

  c = find (list, "SIGN_UP");            /* postData.params, percent-encoded */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "su-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 600);
  g_assert_cmpstr (json_object_get_string_member (capi_conversion_get_extra (c), "sign_up_method"),
                   ==, "email link");
}

static void
test_import_har_truncated (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("pixel-truncated.har", CAPI_CONVERSION_SIDE_PIXEL,
                                              CAPI_IMPORT_KIND_HAR, &problems);

  /* What parsed before the cut is kept. */
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (capi_conversion_get_event_name (g_ptr_array_index (list, 0)), ==, "PAGE_VIEW");
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, 0, "import-truncated", "pixel-truncated.har:45");
  g_assert_nonnull (strstr (capi_finding_get_message (g_ptr_array_index (problems, 0)), "entry 6"));
}

static void
test_import_snaptr (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("snippet.js", CAPI_CONVERSION_SIDE_PIXEL,
                                              CAPI_IMPORT_KIND_SNAPTR, &problems);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 5);
  c = find (list, "PAGE_VIEW");
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "pv-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0);
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 14);

  c = find (list, "PURCHASE");   /* template literal, trailing commas, ISO ts */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ord-1-purchase");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 300);
  g_assert_true (json_object_has_member (capi_conversion_get_extra (c), "item_ids"));
  g_assert_cmpstr (json_object_get_string_member (capi_conversion_get_extra (c), "currency"), ==, "EUR");

  c = find (list, "SIGN_UP");    /* no options: time unknown, never a failure */
  g_assert_false (capi_conversion_has_time (c));
  g_assert_null (capi_conversion_get_dedup_id (c));

  c = find (list, "ADD_CART");   /* 'cart-' + cartId cannot be evaluated */
  g_assert_null (capi_conversion_get_dedup_id (c));

  c = find (list, "VIEW_CONTENT");   /* after a second init */
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_B);
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 200);

  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, 0, "import-syntax", "snippet.js:26");
}

static void
test_import_snaptr_pasted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = NULL;

  list = capi_import_data ("snaptr('track','PURCHASE',{transaction_id:'o-1',ts:1795168800,})",
                           -1, "pasted", CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  /* No init: the pixel is unknown and matches any. */
  g_assert_null (capi_conversion_get_pixel_id (g_ptr_array_index (list, 0)));
  g_assert_cmpstr (capi_conversion_get_source (g_ptr_array_index (list, 0)), ==, "pasted");
}

/* The first alias given wins; null counts as not given; order_id in
 * custom_data wins over a v2-style transaction_id wherever it stands. */
static void
test_import_alias_precedence (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pixel = NULL;
  g_autoptr(GPtrArray) capi = NULL;
  CapiConversion *c;

  pixel = capi_import_data ("{\"pid\": null, \"ev\": \"SIGN_UP\", \"event_name\": \"LOGIN\", "
                            "\"pixel_id\": \"" PIXEL_A "\", \"cdid\": 42}\n"
                            "{\"ev\": \"SAVE\", \"ts\": 1795168800}\n",
                            -1, "p", CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  c = g_ptr_array_index (pixel, 0);
  g_assert_cmpstr (capi_conversion_get_event_name (c), ==, "SIGN_UP");
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "42");
  g_assert_false (capi_conversion_has_time (c));

  capi = capi_import_data ("{\"event_name\": \"PURCHASE\", \"transaction_id\": \"v2-id\", "
                           "\"custom_data\": {\"value\": 1, \"order_id\": \"ord-1\"}}\n"
                           "{\"event_name\": \"PURCHASE\", \"custom_data\": {\"order_id\": 77}, "
                           "\"transaction_id\": \"v2-id\"}\n",
                           -1, "c", CAPI_CONVERSION_SIDE_CAPI, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capi_conversion_get_transaction_id (g_ptr_array_index (capi, 0)), ==, "ord-1");
  g_assert_cmpstr (capi_conversion_get_transaction_id (g_ptr_array_index (capi, 1)), ==, "77");
}

/* JSON Lines whose first line is longer than what detection looks at. */
static void
test_import_long_first_line (void)
{
  g_autoptr(GString) text = g_string_new ("{\"event_name\":\"PAGE_VIEW\",\"event_id\":\"a\",\"event_time\":1795168800,"
                                          "\"custom_data\":{\"note\":\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *path = NULL;
  CapiImportKind kind = CAPI_IMPORT_KIND_UNKNOWN;
  int fd;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\"}}\n{\"event_name\":\"SIGN_UP\",\"event_id\":\"b\",\"event_time\":1795168900}\n");
  fd = g_file_open_tmp ("dedup-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  /* The first 64 KiB of the file end inside line 1. */
  list = capi_import_file (path, CAPI_CONVERSION_SIDE_CAPI, NULL, &kind, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kind, !=, CAPI_IMPORT_KIND_UNKNOWN);
  g_unlink (path);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (capi_conversion_get_line (find (list, "PAGE_VIEW")), ==, 1);
  g_assert_cmpuint (capi_conversion_get_line (find (list, "SIGN_UP")), ==, 2);
}

static void
test_import_csv (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("pixel.csv", CAPI_CONVERSION_SIDE_PIXEL,
                                              CAPI_IMPORT_KIND_CSV, &problems);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 3);
  c = find (list, "PAGE_VIEW");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0);
  g_assert_cmpstr (json_object_get_string_member (capi_conversion_get_extra (c), "page"), ==,
                   "/home, sweet home");
  g_assert_cmpint (capi_conversion_get_time (find (list, "PURCHASE")), ==, T0 + 300);
  g_assert_cmpint (capi_conversion_get_time (find (list, "SIGN_UP")), ==, T0 + 600);
  g_assert_cmpuint (capi_conversion_get_line (find (list, "SIGN_UP")), ==, 4);

  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, "import-syntax", "pixel.csv:5");
  assert_problem (problems, 1, "import-time", "pixel.csv:6");
}

static void
test_import_jsonl_rows (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("pixel-rows.jsonl", CAPI_CONVERSION_SIDE_PIXEL,
                                              CAPI_IMPORT_KIND_JSON_LINES, &problems);

  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpstr (capi_conversion_get_dedup_id (find (list, "PURCHASE")), ==, "ord-1-purchase");
  g_assert_cmpint (capi_conversion_get_time (find (list, "PURCHASE")), ==, T0 + 300);
  g_assert_cmpstr (capi_conversion_get_dedup_id (find (list, "SIGN_UP")), ==, "su-\xc3\xa9-1");
  g_assert_cmpint (capi_conversion_get_time (find (list, "SIGN_UP")), ==, T0 + 600);
  /* "2026-11-20 10:03:20" without a zone is UTC. */
  g_assert_cmpint (capi_conversion_get_time (find (list, "VIEW_CONTENT")), ==, T0 + 200);
  g_assert_cmpuint (capi_conversion_get_line (find (list, "VIEW_CONTENT")), ==, 7);

  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, "import-syntax", "pixel-rows.jsonl:5");
  assert_problem (problems, 1, "import-shape", "pixel-rows.jsonl:6");
}

static void
test_import_capi_v3 (void)
{
  g_autoptr(GPtrArray) list = import_fixture ("capi-v3.json", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON, NULL);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 2);
  c = find (list, "PURCHASE");
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ord-1-purchase");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 360);
  g_assert_null (capi_conversion_get_pixel_id (c));
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 16);
}

static void
test_import_capi_default_pixel (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dedup", "capi-v3.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = capi_import_file (path, CAPI_CONVERSION_SIDE_CAPI, PIXEL_B, NULL,
                                                NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (capi_conversion_get_pixel_id (g_ptr_array_index (list, 0)), ==, PIXEL_B);
}

static void
test_import_capi_v2 (void)
{
  g_autoptr(GPtrArray) list = import_fixture ("capi-v2.json", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON, NULL);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 2);
  c = find (list, "SIGN_UP");
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "su-1");   /* client_dedup_id */
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 660);     /* ms string */
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  c = find (list, "PURCHASE");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-2");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 1200);
}

static void
test_import_capi_ats (void)
{
  g_autoptr(GPtrArray) list = import_fixture ("capi-ats.json", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON, NULL);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 1);
  c = g_ptr_array_index (list, 0);
  g_assert_cmpstr (capi_conversion_get_event_name (c), ==, "PURCHASE");
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ats-1");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-9");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 400);
}

static void
test_import_capi_server_log (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("capi-server.jsonl", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON_LINES, &problems);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 5);
  c = find (list, "PURCHASE");          /* asset_id, ISO time, order_id */
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 360);
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_null (capi_conversion_get_dedup_id (c));
  c = find (list, "SIGN_UP");           /* a whole v3 body on one line, time in ms */
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 660);
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 3);
  c = find (list, "ADD_CART");          /* a v2 event */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "cart-7");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 360);
  c = find (list, "VIEW_CONTENT");      /* escapes elsewhere in the line */
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 7);

  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, 0, "import-syntax", "capi-server.jsonl:4");
}

static void
test_import_capi_history (void)
{
  g_autoptr(GPtrArray) list = import_fixture ("capi-history.jsonl", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON_LINES, NULL);
  CapiConversion *c;

  /* The logs fetch in line 2 is what Snap answered, not what was sent. */
  g_assert_cmpuint (list->len, ==, 2);
  c = find (list, "PAGE_VIEW");
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);   /* from the URL */
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "pv-1");
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 1);
  c = find (list, "PURCHASE");
  g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-1");
  g_assert_cmpuint (capi_conversion_get_line (c), ==, 3);
}

/* A record written by CapiExchange itself, as history.jsonl holds it. */
static void
test_import_capi_history_roundtrip (void)
{
  g_autoptr(CapiExchange) exchange = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *json = "{\"data\":[{\"event_name\":\"PURCHASE\",\"event_time\":1795169130,"
                     "\"action_source\":\"WEB\",\"event_id\":\"ord-7-p\","
                     "\"custom_data\":{\"currency\":\"EUR\",\"value\":5,\"order_id\":\"ord-7\"}}]}";

  exchange = capi_exchange_new (CAPI_DESTINATION_SNAP_LIVE, NULL, "POST",
                                "https://tr.snapchat.com/v3/" PIXEL_B "/events?access_token=secret");
  body = g_bytes_new_static (json, strlen (json));
  capi_exchange_set_request (exchange, NULL, body);
  line = capi_exchange_to_json_string (exchange);
  g_assert_null (strstr (line, "secret"));
  text = g_strconcat (line, "\n", line, "\n", NULL);

  list = capi_import_data (text, -1, "history.jsonl", CAPI_CONVERSION_SIDE_CAPI, NULL, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      CapiConversion *c = g_ptr_array_index (list, i);

      g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_B);
      g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ord-7-p");
      g_assert_cmpstr (capi_conversion_get_transaction_id (c), ==, "ord-7");
      g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 330);
      g_assert_cmpuint (capi_conversion_get_line (c), ==, i + 1);
    }
}

static void
test_import_capi_logs (void)
{
  g_autoptr(GPtrArray) list = import_fixture ("capi-logs.json", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON, NULL);
  CapiConversion *c;

  g_assert_cmpuint (list->len, ==, 2);
  c = find (list, "purchase");
  g_assert_cmpstr (capi_conversion_get_pixel_id (c), ==, PIXEL_A);
  g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, "ord-1-purchase");
  g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + 360);
}

static void
test_import_capi_truncated (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = import_fixture ("capi-truncated.json", CAPI_CONVERSION_SIDE_CAPI,
                                              CAPI_IMPORT_KIND_JSON, &problems);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (problems->len, ==, 1);
  assert_problem (problems, 0, "import-truncated", "capi-truncated.json:16");
}

static void
test_import_bad_files (void)
{
  static const struct { const char *name; CapiConversionSide side; int code; } cases[] = {
    { "notes.txt", CAPI_CONVERSION_SIDE_PIXEL, CAPI_IMPORT_ERROR_UNKNOWN_KIND },
    { "empty.json", CAPI_CONVERSION_SIDE_CAPI, CAPI_IMPORT_ERROR_EMPTY },
    { "pixel.har", CAPI_CONVERSION_SIDE_CAPI, CAPI_IMPORT_ERROR_UNKNOWN_KIND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dedup", cases[i].name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = capi_import_file (path, cases[i].side, NULL, NULL, NULL, NULL,
                                                    &error);

      g_assert_null (list);
      g_assert_error (error, CAPI_IMPORT_ERROR, cases[i].code);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = capi_import_file ("/nonexistent/dir/file.har",
                                                  CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, NULL,
                                                  NULL, &error);
    g_assert_null (list);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  {
    /* Every line bad: nothing read is an error, and it says why. */
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = capi_import_data ("{\"x\": 1}\n{\"y\": 2}\n", -1, "bad.jsonl",
                                                  CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, NULL,
                                                  &error);
    g_assert_null (list);
    g_assert_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_NOTHING_READ);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = capi_import_data ("{\"a\": \"\xff\"}", -1, "latin1.json",
                                                  CAPI_CONVERSION_SIDE_CAPI, NULL, NULL, NULL,
                                                  &error);
    g_assert_null (list);
    g_assert_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_UNKNOWN_KIND);
  }
}

/* A file is not checked for UTF-8 as a whole (text in memory is): a line
 * of JSON Lines or CSV with a byte that is no UTF-8, or a NUL, is a
 * problem of its own, never part of a conversion; the other lines count.
 * Pasted, the same text is turned down as a whole. */
static void
test_import_file_not_utf8_lines (void)
{
  static const struct { const char *name; const char *text; } cases[] = {
    { "bad.jsonl",
      "{\"event_name\":\"PAGE_VIEW\"}\n{\"event_name\":\"A\xff\"}\n{\"event_name\":\"A\0B\"}\n"
      "{\"event_name\":\"SIGN_UP\",\"page\":\"/caf\xc3\xa9\"}\n" },
    { "bad.csv",
      "pixel_id,event_name\n" PIXEL_A ",PAGE_VIEW\n" PIXEL_A ",A\xff\n" PIXEL_A ",A\0B\n"
      PIXEL_A ",SIGN_UP\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean csv = g_str_has_suffix (cases[i].name, ".csv");
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      const char *p = cases[i].text;
      int fd;

      /* The literals hold a NUL: copy them line by line, four lines
       * after the header. */
      for (guint lines = 0; lines < (csv ? 5u : 4u); lines++)
        {
          const char *nl = memchr (p, '\n', 200);

          g_string_append_len (text, p, nl + 1 - p);
          p = nl + 1;
        }
      fd = g_file_open_tmp ("import-XXXXXX", &path, &error);
      g_assert_no_error (error);
      close (fd);
      g_file_set_contents (path, text->str, text->len, &error);
      g_assert_no_error (error);

      list = capi_import_file (path, CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, &problems, NULL,
                               &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 2);
      g_assert_cmpstr (capi_conversion_get_event_name (g_ptr_array_index (list, 0)), ==, "PAGE_VIEW");
      g_assert_cmpstr (capi_conversion_get_event_name (g_ptr_array_index (list, 1)), ==, "SIGN_UP");
      /* Text that is UTF-8, past the eight-byte ASCII steps, is kept. */
      if (!csv)
        {
          JsonObject *extra = capi_conversion_get_extra (g_ptr_array_index (list, 1));

          g_assert_nonnull (extra);
          g_assert_cmpstr (json_object_get_string_member (extra, "page"), ==, "/caf\xc3\xa9");
        }
      g_assert_cmpuint (problems->len, ==, 2);
      assert_problem (problems, 0, "import-syntax", csv ? ":3" : ":2");
      assert_problem (problems, 1, "import-syntax", csv ? ":4" : ":3");
      g_unlink (path);

      {
        g_autoptr(GPtrArray) pasted = capi_import_data (text->str, text->len, cases[i].name,
                                                        CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL,
                                                        NULL, &error);
        g_assert_null (pasted);
        g_assert_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_UNKNOWN_KIND);
      }
    }
}

/* Lines split between worker threads must come out whole and in order. */
static void
test_import_large_jsonl (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int fd;
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      if (i == 12345)
        g_string_append (text, "{\"event_name\": \"BROKEN\", \"event_time\":\n");
      else
        g_string_append_printf (text, "{\"event_name\":\"PAGE_VIEW\",\"event_time\":%" G_GINT64_FORMAT
                                ",\"event_id\":\"id-%u\",\"user_data\":{\"client_user_agent\":\"%0420u\"}}\n",
                                T0 + i, i, i);
    }
  g_assert_cmpuint (text->len, >, 8 << 20);   /* large enough to be split */
  fd = g_file_open_tmp ("dedup-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  list = capi_import_file (path, CAPI_CONVERSION_SIDE_CAPI, NULL, NULL, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n - 1);   /* only the broken line is lost */
  for (guint i = 0; i < list->len; i++)
    {
      CapiConversion *c = g_ptr_array_index (list, i);
      guint line = capi_conversion_get_line (c);
      g_autofree char *id = g_strdup_printf ("id-%u", line - 1);

      g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, id);
      g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + line - 1);
    }
  g_assert_cmpuint (problems->len, ==, 1);
  {
    g_autofree char *suffix = g_strdup_printf (":%u", 12346);
    assert_problem (problems, 0, NULL, suffix);
  }
  g_unlink (path);
}

/* A HAR larger than the UTF-8 check's slices, with multi-byte text
 * everywhere: slices must not cut characters, given-back pages must
 * read again correctly, and only Snap's entries count. */
static void
test_import_large_har (void)
{
  g_autoptr(GString) text = g_string_new ("{\"log\": {\"version\": \"1.2\", \"entries\": [\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GString) filler = g_string_new (NULL);
  const guint n = 3000;
  int fd;

  for (guint i = 0; i < 1500; i++)
    g_string_append (filler, "\xc3\xa9");   /* é, two bytes */
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (text, ",\n");
      if (i % 10 == 3)
        g_string_append_printf (text, "{\"startedDateTime\": \"2026-11-20T10:00:00Z\", \"request\": "
                                "{\"method\": \"GET\", \"url\": \"https://tr.snapchat.com/p?pid=" PIXEL_A
                                "&ev=PAGE_VIEW&cdid=pv-%u&ts=%" G_GINT64_FORMAT "\"}, \"response\": "
                                "{\"status\": 200, \"content\": {\"text\": \"%s\"}}}",
                                i, (T0 + i) * 1000, filler->str);
      else
        g_string_append_printf (text, "{\"startedDateTime\": \"2026-11-20T10:00:00Z\", \"request\": "
                                "{\"method\": \"GET\", \"url\": \"https://shop.example.com/%u\"}, "
                                "\"response\": {\"status\": 200, \"content\": {\"text\": \"%s\"}}}",
                                i, filler->str);
    }
  g_string_append (text, "\n]}}\n");
  g_assert_cmpuint (text->len, >, 8 << 20);

  fd = g_file_open_tmp ("dedup-XXXXXX.har", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  list = capi_import_file (path, CAPI_CONVERSION_SIDE_PIXEL, NULL, NULL, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (list->len, ==, n / 10);
  for (guint i = 0; i < list->len; i++)
    {
      CapiConversion *c = g_ptr_array_index (list, i);
      g_autofree char *id = g_strdup_printf ("pv-%u", i * 10 + 3);

      g_assert_cmpstr (capi_conversion_get_dedup_id (c), ==, id);
      g_assert_cmpint (capi_conversion_get_time (c), ==, T0 + i * 10 + 3);
      /* Entries are one per line here, after the opening line. */
      g_assert_cmpuint (capi_conversion_get_line (c), ==, i * 10 + 3 + 2);
    }
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/import/conversion-new-destroy", test_conversion_new_destroy);
  g_test_add_func ("/capi/import/detect", test_import_detect);
  g_test_add_func ("/capi/import/har", test_import_har);
  g_test_add_func ("/capi/import/har-truncated", test_import_har_truncated);
  g_test_add_func ("/capi/import/snaptr", test_import_snaptr);
  g_test_add_func ("/capi/import/snaptr-pasted", test_import_snaptr_pasted);
  g_test_add_func ("/capi/import/alias-precedence", test_import_alias_precedence);
  g_test_add_func ("/capi/import/long-first-line", test_import_long_first_line);
  g_test_add_func ("/capi/import/csv", test_import_csv);
  g_test_add_func ("/capi/import/jsonl-rows", test_import_jsonl_rows);
  g_test_add_func ("/capi/import/capi-v3", test_import_capi_v3);
  g_test_add_func ("/capi/import/capi-default-pixel", test_import_capi_default_pixel);
  g_test_add_func ("/capi/import/capi-v2", test_import_capi_v2);
  g_test_add_func ("/capi/import/capi-ats", test_import_capi_ats);
  g_test_add_func ("/capi/import/capi-server-log", test_import_capi_server_log);
  g_test_add_func ("/capi/import/capi-history", test_import_capi_history);
  g_test_add_func ("/capi/import/capi-history-roundtrip", test_import_capi_history_roundtrip);
  g_test_add_func ("/capi/import/capi-logs", test_import_capi_logs);
  g_test_add_func ("/capi/import/capi-truncated", test_import_capi_truncated);
  g_test_add_func ("/capi/import/bad-files", test_import_bad_files);
  g_test_add_func ("/capi/import/file-not-utf8-lines", test_import_file_not_utf8_lines);
  g_test_add_func ("/capi/import/large-jsonl", test_import_large_jsonl);
  g_test_add_func ("/capi/import/large-har", test_import_large_har);

  return g_test_run ();
}
