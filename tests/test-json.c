/* test-json.c -- strict checks before json-glib parses untrusted text
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "capi-json.h"

static void
assert_accepted (const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_json_check_document (text, strlen (text), CAPI_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);
}

static void
assert_refused (const char *text,
                const char *position)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (capi_json_check_document (text, strlen (text), CAPI_JSON_MAX_DEPTH, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, position));
}

static void
test_json_single_values (void)
{
  assert_accepted ("{\"data\": [{\"event_name\": \"PURCHASE\"}]}");
  assert_accepted ("  [1, 2, {\"a\": [\"]\", \"}\"]}]  \r\n");
  assert_accepted ("\"a string with \\\" and ] and }\"");
  assert_accepted ("-12.5e3");
  assert_accepted ("true\n");
  assert_accepted ("null");
  /* Empty, unterminated and malformed text is json-glib's to judge. */
  assert_accepted ("");
  assert_accepted ("   ");
  assert_accepted ("{\"a\": [1, 2");
  assert_accepted ("]");
}

static void
test_json_trailing_values (void)
{
  /* json-glib 1.6 would read these as their *last* value. */
  assert_refused ("{\"data\": [1]} {\"data\": [2]}", "<data>:1:15:");
  assert_refused ("7 [1, 2]", "<data>:1:3:");
  assert_refused ("7[1]", "<data>:1:2:");
  assert_refused ("\"a\"\"b\"", "<data>:1:4:");
  assert_refused ("[1]\n\n  x", "<data>:3:3:");
  assert_refused ("{}}", "<data>:1:3:");
}

static void
test_json_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* Exactly at the limit is fine. */
  for (guint i = 0; i < CAPI_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < CAPI_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  assert_accepted (deep->str);

  /* 10,000 levels: refused before json-glib recurses into them. */
  g_string_truncate (deep, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '}');
  g_assert_false (capi_json_check_document (deep->str, deep->len, CAPI_JSON_MAX_DEPTH, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "512"));
  g_clear_error (&error);

  /* Brackets inside strings do not nest. */
  g_string_assign (deep, "\"");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  g_string_append_c (deep, '"');
  assert_accepted (deep->str);
}

static void
test_json_parser_load (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_json_parser_load (parser, "{\"a\": [1, 2]}", -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  g_assert_false (capi_json_parser_load (parser, "[1] [2]", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  /* Only a comment: json-glib would succeed with no root. */
  g_assert_false (capi_json_parser_load (parser, "// nothing here", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_clear_error (&error);

  /* json-glib's own errors still come through. */
  g_assert_false (capi_json_parser_load (parser, "{\"a\": nope}", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_BAREWORD);
}

static void
test_json_numbers_out_of_range (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_json_parser_load (parser, "{\"data\": [{\"event_time\": 1.7e9, \"v\": -1e308}]}", -1, &error));
  g_assert_no_error (error);

  g_assert_false (capi_json_parser_load (parser, "{\"data\": [{\"event_time\": 1e767225000}]}", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "data[0].event_time: "));
  g_clear_error (&error);

  g_assert_false (capi_json_parser_load (parser, "[1, [2, -1e999]]", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "[1][1]: "));
  g_clear_error (&error);

  /* Huge integers are json-glib's to clamp; they stay valid JSON. */
  g_assert_true (capi_json_parser_load (parser, "[123456789012345678901234567890]", -1, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/json/single-values", test_json_single_values);
  g_test_add_func ("/capi/json/trailing-values", test_json_trailing_values);
  g_test_add_func ("/capi/json/depth", test_json_depth);
  g_test_add_func ("/capi/json/parser-load", test_json_parser_load);
  g_test_add_func ("/capi/json/numbers-out-of-range", test_json_numbers_out_of_range);

  return g_test_run ();
}
