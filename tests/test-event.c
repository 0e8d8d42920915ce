/* test-event.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "capi-event.h"

static GPtrArray *
read_fixture (const char      *name,
              CapiEventFormat *format,
              GError         **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", name, NULL);

  return capi_event_read_file (path, format, error);
}

static GPtrArray *
read_fixture_ok (const char      *name,
                 CapiEventFormat  expected_format,
                 guint            expected_len)
{
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  GPtrArray *events = read_fixture (name, &format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  g_assert_cmpint (format, ==, expected_format);
  g_assert_cmpuint (events->len, ==, expected_len);

  return events;
}

static void
assert_member_str (CapiEvent  *event,
                   const char *key,
                   const char *expected)
{
  g_autofree char *value = capi_event_dup_string (event, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_path (CapiEvent  *event,
             const char *key,
             int         index,
             const char *expected)
{
  g_autofree char *path = capi_event_dup_path (event, key, index);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_event_new_destroy (void)
{
  CapiEvent *event = capi_event_new ();
  CapiEvent *copy;

  capi_event_set_string (event, "event_name", "PURCHASE");
  copy = capi_event_copy (event);
  g_assert_finalize_object (event);
  /* The copy owns its own values. */
  assert_member_str (copy, "event_name", "PURCHASE");
  g_assert_finalize_object (copy);
}

static void
test_event_v3_body (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("v3-body.json", CAPI_EVENT_FORMAT_V3_BODY, 2);
  CapiEvent *purchase = g_ptr_array_index (events, 0);
  CapiEvent *view = g_ptr_array_index (events, 1);
  g_auto(GStrv) em = capi_event_dup_strv (purchase, "user_data.em");
  g_auto(GStrv) ph = capi_event_dup_strv (purchase, "user_data.ph");

  g_assert_cmpint (capi_event_get_source_format (purchase), ==, CAPI_EVENT_FORMAT_V3_BODY);
  g_assert_cmpstr (capi_event_get_path_prefix (purchase), ==, "data[0]");
  g_assert_cmpstr (capi_event_get_path_prefix (view), ==, "data[1]");
  g_assert_cmpuint (capi_event_get_line (purchase), ==, 0);

  assert_member_str (purchase, "event_name", "PURCHASE");
  assert_member_str (purchase, "event_time", "1767225600");
  assert_member_str (purchase, "custom_data.value", "42.5");
  assert_member_str (view, "event_time", "2026-01-01T00:05:00Z");

  /* Raw values stay raw: the reader never normalizes. */
  g_assert_cmpuint (g_strv_length (em), ==, 2);
  g_assert_cmpstr (em[0], ==, "  Jane.Doe@Example.COM ");
  g_assert_cmpuint (g_strv_length (ph), ==, 1);
  g_assert_cmpstr (ph[0], ==, "+44 844 412 4653");

  assert_path (purchase, "user_data.em", 0, "data[0].user_data.em[0]");
  assert_path (purchase, "user_data.em", -1, "data[0].user_data.em");
  /* ph is a single string, so there is no index to name. */
  assert_path (purchase, "user_data.ph", 0, "data[0].user_data.ph");
  assert_path (view, "event_name", -1, "data[1].event_name");
  /* A missing member still gets a path where it belongs. */
  assert_path (view, "custom_data.currency", -1, "data[1].custom_data.currency");
}

static void
test_event_v3_event (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("v3-event.json", CAPI_EVENT_FORMAT_V3_EVENT, 1);
  CapiEvent *event = g_ptr_array_index (events, 0);

  g_assert_cmpstr (capi_event_get_path_prefix (event), ==, "");
  assert_member_str (event, "event_name", "SIGN_UP");
  /* A v3 event keeps milliseconds as given: lint must see them. */
  assert_member_str (event, "event_time", "1767225600000");
  assert_path (event, "user_data.em", 0, "user_data.em");
  assert_path (event, "event_name", -1, "event_name");
}

static void
test_event_v2_body (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("v2-body.json", CAPI_EVENT_FORMAT_V2, 2);
  CapiEvent *purchase = g_ptr_array_index (events, 0);
  CapiEvent *view = g_ptr_array_index (events, 1);

  g_assert_cmpstr (capi_event_get_path_prefix (purchase), ==, "[0]");
  assert_member_str (purchase, "event_name", "PURCHASE");
  assert_member_str (purchase, "action_source", "WEB");
  /* v2 milliseconds become v3 seconds. */
  assert_member_str (purchase, "event_time", "1767225600");
  assert_member_str (view, "event_time", "1767225900");
  assert_member_str (purchase, "event_source_url", "https://shop.example.com/checkout/thanks");
  assert_member_str (purchase, "event_id", "order-1001");
  assert_member_str (purchase, "user_data.em", "Jane.Doe@Example.COM");
  assert_member_str (purchase, "user_data.ph", "+1 (650) 555-1212");
  /* v3 sends the IP plain; v2 called it hashed_ip_address. */
  assert_member_str (purchase, "user_data.client_ip_address", "203.0.113.7");
  assert_member_str (purchase, "user_data.client_user_agent", "Mozilla/5.0");
  assert_member_str (purchase, "user_data.sc_cookie1", "5e1c0b7e-9c1b-4b1a-8a53-3f2d0c7b9a10");
  assert_member_str (purchase, "custom_data.value", "42.50");
  assert_member_str (purchase, "custom_data.currency", "USD");
  assert_member_str (purchase, "custom_data.order_id", "1001");
  assert_member_str (purchase, "custom_data.num_items", "2");
  assert_member_str (purchase, "pixel_id", "6ee1b8f4-39a5-4e80-8c3a-2f7c4b6bb0ab");
  g_assert_false (capi_event_has_member (purchase, "hashed_email"));
  g_assert_false (capi_event_has_member (purchase, "timestamp"));

  /* Paths use the v2 names. */
  assert_path (purchase, "user_data.em", 0, "[0].hashed_email");
  assert_path (purchase, "event_name", -1, "[0].event_type");
  assert_path (purchase, "event_time", -1, "[0].timestamp");
  assert_path (purchase, "custom_data.content_ids", 1, "[0].item_ids[1]");
  assert_path (purchase, "custom_data.value", -1, "[0].price");
  /* Absent members are named in v2 terms too. */
  assert_path (view, "event_id", -1, "[1].client_dedup_id");
}

static void
test_event_ats_body (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("ats-body.json", CAPI_EVENT_FORMAT_ATS, 2);
  CapiEvent *purchase = g_ptr_array_index (events, 0);
  CapiEvent *view = g_ptr_array_index (events, 1);
  JsonNode *value;

  g_assert_cmpstr (capi_event_get_path_prefix (view), ==, "events[1]");
  assert_member_str (purchase, "event_name", "PURCHASE");
  assert_member_str (purchase, "event_id", "order-1001");
  assert_member_str (purchase, "user_data.partner_id", "AjfowMv4ZHZQJFM8TpiUnYEyA81Vdgg");
  assert_member_str (purchase, "custom_data.currency", "EUR");
  assert_member_str (purchase, "custom_data.order_id", "1001");
  /* A number in the key/value list stays a number. */
  value = capi_event_get_member (purchase, "custom_data.value");
  g_assert_nonnull (value);
  g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (value), ==, 42.5);

  assert_path (view, "event_name", -1, "events[1].event_type");
  assert_path (purchase, "custom_data.value", -1, "events[0].custom_data[1].value");
  assert_path (purchase, "user_data.partner_id", -1, "events[0].user_data.partner_id");
}

static void
test_event_jsonl (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("events.jsonl", CAPI_EVENT_FORMAT_JSONL, 3);
  CapiEvent *v3 = g_ptr_array_index (events, 0);
  CapiEvent *v2 = g_ptr_array_index (events, 1);
  CapiEvent *ats = g_ptr_array_index (events, 2);

  /* Line 2 is blank and skipped. */
  g_assert_cmpuint (capi_event_get_line (v3), ==, 1);
  g_assert_cmpuint (capi_event_get_line (v2), ==, 3);
  g_assert_cmpuint (capi_event_get_line (ats), ==, 4);
  g_assert_cmpint (capi_event_get_source_format (v2), ==, CAPI_EVENT_FORMAT_JSONL);

  assert_member_str (v3, "event_name", "PAGE_VIEW");
  assert_member_str (v2, "event_name", "ADD_CART");
  assert_member_str (v2, "event_time", "1767225660");
  assert_member_str (v2, "custom_data.value", "9.99");
  assert_member_str (ats, "event_name", "PURCHASE");
  assert_member_str (ats, "custom_data.currency", "USD");

  assert_path (v3, "user_data.em", 0, "[0].user_data.em[0]");
  assert_path (v2, "user_data.em", 0, "[1].hashed_email");
  assert_path (ats, "event_name", -1, "[2].event_type");
}

static void
test_event_read_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CapiEventFormat format;
  /* A byte order mark and a single v2 object (not an array). */
  const char *doc = "\xEF\xBB\xBF{\"event_type\":\"PAGE_VIEW\",\"timestamp\":1767225600000}";

  events = capi_event_read_document (doc, -1, &format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, CAPI_EVENT_FORMAT_V2);
  g_assert_cmpuint (events->len, ==, 1);
  assert_member_str (g_ptr_array_index (events, 0), "event_time", "1767225600");
  assert_path (g_ptr_array_index (events, 0), "event_name", -1, "event_type");
}

static void
test_event_new_from_object (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CapiEvent) event = NULL;
  g_autoptr(CapiEvent) bad = NULL;
  g_autofree char *json = NULL;

  g_assert_true (json_parser_load_from_data (parser,
    "{\"event_name\":\"LOGIN\",\"user_data\":{\"em\":\"x@example.com\"}}", -1, NULL));
  event = capi_event_new_from_object (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  assert_member_str (event, "user_data.em", "x@example.com");

  json = capi_event_to_json (event, FALSE);
  g_assert_cmpstr (json, ==, "{\"event_name\":\"LOGIN\",\"user_data\":{\"em\":\"x@example.com\"}}");

  g_assert_true (json_parser_load_from_data (parser, "{\"user_data\":\"nope\"}", -1, NULL));
  bad = capi_event_new_from_object (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_null (bad);
  g_assert_error (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_TYPE);
  g_assert_nonnull (strstr (error->message, "user_data"));
}

static void
changed_cb (CapiEvent *event,
            guint     *count)
{
  (*count)++;
}

static void
test_event_setters (void)
{
  g_autoptr(CapiEvent) event = capi_event_new ();
  g_autoptr(JsonNode) number = json_node_init_int (json_node_alloc (), 1767225600);
  g_autoptr(JsonObject) saved = NULL;
  g_auto(GStrv) em = NULL;
  const char *emails[] = { "a@example.com", "b@example.com", NULL };
  guint count = 0;

  g_signal_connect (event, "changed", G_CALLBACK (changed_cb), &count);

  capi_event_set_string (event, "event_name", "PURCHASE");
  g_assert_cmpuint (count, ==, 1);
  /* Setting the same value is no change. */
  capi_event_set_string (event, "event_name", "PURCHASE");
  g_assert_cmpuint (count, ==, 1);

  capi_event_set_member (event, "event_time", number);
  g_assert_cmpuint (count, ==, 2);
  assert_member_str (event, "event_time", "1767225600");
  capi_event_set_member (event, "event_time", number);
  g_assert_cmpuint (count, ==, 2);

  /* Nested keys create their container. */
  capi_event_set_strv (event, "user_data.em", emails);
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (capi_event_has_member (event, "user_data"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (capi_event_get_member (event, "user_data.em")));
  em = capi_event_dup_strv (event, "user_data.em");
  g_assert_cmpstrv (em, emails);

  /* One element is stored as an array too. */
  {
    const char *one[] = { "solo@example.com", NULL };

    capi_event_set_strv (event, "user_data.em", one);
    g_assert_cmpuint (count, ==, 4);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (capi_event_get_member (event, "user_data.em")));
  }

  /* A number is formatted by dup_string. */
  {
    g_autoptr(JsonNode) price = json_node_init_double (json_node_alloc (), 19.99);

    capi_event_set_member (event, "custom_data.value", price);
  }
  g_assert_cmpuint (count, ==, 5);
  assert_member_str (event, "custom_data.value", "19.99");

  /* "" and NULL remove; an emptied container goes with its last member. */
  capi_event_set_string (event, "custom_data.value", "");
  g_assert_cmpuint (count, ==, 6);
  g_assert_false (capi_event_has_member (event, "custom_data.value"));
  g_assert_false (capi_event_has_member (event, "custom_data"));
  capi_event_set_strv (event, "user_data.em", NULL);
  g_assert_cmpuint (count, ==, 7);
  g_assert_false (capi_event_has_member (event, "user_data"));
  /* Removing what is not there is no change. */
  capi_event_remove_member (event, "user_data.ph");
  capi_event_remove_member (event, "opt_out");
  g_assert_cmpuint (count, ==, 7);

  capi_event_remove_member (event, "event_time");
  g_assert_cmpuint (count, ==, 8);

  saved = capi_event_to_object (event);
  g_assert_cmpuint (json_object_get_size (saved), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (saved, "event_name"), ==, "PURCHASE");
  /* The saved object is a copy: changing it leaves the event alone. */
  json_object_set_string_member (saved, "event_name", "LOGIN");
  assert_member_str (event, "event_name", "PURCHASE");
  g_assert_cmpuint (count, ==, 8);
}

static void
test_event_copy_independent (void)
{
  g_autoptr(GPtrArray) events = read_fixture_ok ("v2-body.json", CAPI_EVENT_FORMAT_V2, 2);
  g_autoptr(CapiEvent) copy = capi_event_copy (g_ptr_array_index (events, 0));

  capi_event_set_string (copy, "user_data.em", "other@example.com");
  assert_member_str (g_ptr_array_index (events, 0), "user_data.em", "Jane.Doe@Example.COM");
  /* Metadata travels with the copy. */
  assert_path (copy, "user_data.em", -1, "[0].hashed_email");
  g_assert_cmpint (capi_event_get_source_format (copy), ==, CAPI_EVENT_FORMAT_V2);
}

/* Errors */

static void
assert_fixture_error (const char     *name,
                      int             code,
                      const char     *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_V3_BODY;

  events = read_fixture (name, &format, &error);
  g_assert_null (events);
  g_assert_error (error, CAPI_EVENT_ERROR, code);
  g_test_message ("%s -> %s", name, error->message);
  /* Every message starts with the file it is about. */
  g_assert_nonnull (strstr (error->message, name));
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
  g_assert_cmpint (format, ==, CAPI_EVENT_FORMAT_UNKNOWN);
}

static void
test_event_error_empty (void)
{
  assert_fixture_error ("empty.json", CAPI_EVENT_ERROR_EMPTY, "empty");
  assert_fixture_error ("blank.json", CAPI_EVENT_ERROR_EMPTY, "empty");
}

static void
test_event_error_encoding (void)
{
  /* The bad byte (0xEB) sits at offset 58 of the file. */
  assert_fixture_error ("not-utf8.json", CAPI_EVENT_ERROR_ENCODING, "offset 58");
}

static void
test_event_error_syntax (void)
{
  /* The document stops inside the array that opens on line 7; the parser
   * names the last token it read. */
  assert_fixture_error ("malformed.json", CAPI_EVENT_ERROR_SYNTAX, "malformed.json:7:33:");
  assert_fixture_error ("malformed.jsonl", CAPI_EVENT_ERROR_SYNTAX, "malformed.jsonl:3:");
}

static void
test_event_error_syntax_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const char *doc = "{\n  \"data\": [\n    {\"event_name\": \"PURCHASE\",";

  events = capi_event_read_document (doc, -1, NULL, &error);
  g_assert_null (events);
  g_assert_error (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_SYNTAX);
  /* line:column of the place the parser gave up, first thing in the message. */
  g_assert_true (g_regex_match_simple ("^3:[0-9]+: ", error->message, 0, 0));
}

static void
test_event_error_type (void)
{
  assert_fixture_error ("wrong-type.json", CAPI_EVENT_ERROR_TYPE, "data[0].user_data.em[1]");
}

static void
test_event_error_type_paths (void)
{
  static const struct
  {
    const char *doc;
    const char *path;
  } cases[] = {
    { "{\"data\": {\"event_name\": \"X\"}}", "data: expected an array" },
    { "{\"data\": [{\"event_name\": \"X\"}, 3]}", "data[1]: " },
    { "{\"data\": [{\"event_name\": 5}]}", "data[0].event_name: " },
    { "{\"data\": [{\"event_name\": \"X\", \"custom_data\": []}]}", "data[0].custom_data: " },
    { "{\"data\": [{\"event_name\": \"X\", \"event_time\": true}]}", "data[0].event_time: " },
    { "[{\"event_type\": \"X\", \"hashed_email\": {\"a\": 1}}]", "[0].hashed_email: " },
    { "{\"events\": [{\"event_type\": \"X\", \"custom_data\": [{\"value\": 1}]}]}",
      "events[0].custom_data[0].key: " },
    { "{\"events\": [{\"event_type\": \"X\", \"custom_data\": [7]}]}", "events[0].custom_data[0]: " },
    { "{\"event_name\":\"X\"}\n{\"event_name\":\"Y\",\"user_data\":[]}\n",
      "2: [1].user_data: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = capi_event_read_document (cases[i].doc, -1, NULL, &error);

      g_assert_null (events);
      g_assert_error (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_TYPE);
      if (!g_str_has_prefix (error->message, cases[i].path))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].path);
    }
}

static void
test_event_error_shape (void)
{
  static const char * const docs[] = {
    "{\"hello\": \"world\"}",
    "42",
    "\"PURCHASE\"",
    "[]",
    "{\"data\": []}",
    "[{\"nothing\": 1}]",
  };

  assert_fixture_error ("unknown-shape.json", CAPI_EVENT_ERROR_SHAPE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = capi_event_read_document (docs[i], -1, NULL, &error);

      g_assert_null (events);
      g_assert_error (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_SHAPE);
    }
}

static void
test_event_error_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("capi-event-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  FILE *f;

  /* A sparse 50 MB file: the reader must refuse it by its size. */
  f = g_fopen (path, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 50 * 1024 * 1024 - 1, SEEK_SET), ==, 0);
  fputc ('\n', f);
  fclose (f);

  events = capi_event_read_file (path, NULL, &error);
  g_assert_null (events);
  g_assert_error (error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "huge.json"));
  g_assert_nonnull (strstr (error->message, "52.4"));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* The same limit holds for data already in memory. */
  {
    g_autoptr(GError) mem_error = NULL;
    g_autoptr(GPtrArray) mem_events = NULL;
    gsize size = CAPI_EVENT_MAX_DOCUMENT_SIZE + 1;
    g_autofree char *data = g_malloc (size);

    memset (data, ' ', size);
    mem_events = capi_event_read_document (data, size, NULL, &mem_error);
    g_assert_null (mem_events);
    g_assert_error (mem_error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_TOO_LARGE);
  }
}

static void
test_event_error_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = capi_event_read_file ("/nonexistent/capi/file.json", NULL, &error);

  g_assert_null (events);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Async */

typedef struct
{
  GMainLoop       *loop;
  GPtrArray       *events;
  GError          *error;
  CapiEventFormat  format;
} AsyncData;

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncData *data = user_data;

  data->events = capi_event_read_file_finish (result, &data->format, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_event_read_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", "ats-body.json",
                                                 NULL);
  g_autofree char *bad_path = g_test_build_filename (G_TEST_DIST, "data", "events",
                                                     "malformed.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  AsyncData data = { 0 };

  data.loop = g_main_loop_new (NULL, FALSE);

  capi_event_read_file_async (file, NULL, read_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_no_error (data.error);
  g_assert_cmpint (data.format, ==, CAPI_EVENT_FORMAT_ATS);
  g_assert_cmpuint (data.events->len, ==, 2);
  assert_member_str (g_ptr_array_index (data.events, 1), "event_name", "PAGE_VIEW");
  g_clear_pointer (&data.events, g_ptr_array_unref);

  capi_event_read_file_async (bad, NULL, read_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_null (data.events);
  g_assert_error (data.error, CAPI_EVENT_ERROR, CAPI_EVENT_ERROR_SYNTAX);
  g_test_message ("%s", data.error->message);
  g_assert_nonnull (strstr (data.error->message, "malformed.json:7:33:"));
  g_clear_error (&data.error);

  g_main_loop_unref (data.loop);
}

static void
test_event_read_async_cancelled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", "v3-body.json",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncData data = { 0 };

  data.loop = g_main_loop_new (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  capi_event_read_file_async (file, cancellable, read_done_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_null (data.events);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (data.format, ==, CAPI_EVENT_FORMAT_UNKNOWN);
  g_clear_error (&data.error);
  g_main_loop_unref (data.loop);
}

static void
test_event_garbage_never_crashes (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", "v3-body.json",
                                                 NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* Every truncation of a valid document is either read or refused with a
   * CAPI_EVENT_ERROR; none may crash or warn (G_DEBUG=fatal-warnings). */
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = capi_event_read_document (contents, cut, NULL, &error);

      if (events == NULL)
        g_assert_true (error != NULL && error->domain == CAPI_EVENT_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/event/new-destroy", test_event_new_destroy);
  g_test_add_func ("/capi/event/v3-body", test_event_v3_body);
  g_test_add_func ("/capi/event/v3-event", test_event_v3_event);
  g_test_add_func ("/capi/event/v2-body", test_event_v2_body);
  g_test_add_func ("/capi/event/ats-body", test_event_ats_body);
  g_test_add_func ("/capi/event/jsonl", test_event_jsonl);
  g_test_add_func ("/capi/event/read-document", test_event_read_document);
  g_test_add_func ("/capi/event/new-from-object", test_event_new_from_object);
  g_test_add_func ("/capi/event/setters", test_event_setters);
  g_test_add_func ("/capi/event/copy", test_event_copy_independent);
  g_test_add_func ("/capi/event/error/empty", test_event_error_empty);
  g_test_add_func ("/capi/event/error/encoding", test_event_error_encoding);
  g_test_add_func ("/capi/event/error/syntax", test_event_error_syntax);
  g_test_add_func ("/capi/event/error/syntax-truncated", test_event_error_syntax_truncated);
  g_test_add_func ("/capi/event/error/type", test_event_error_type);
  g_test_add_func ("/capi/event/error/type-paths", test_event_error_type_paths);
  g_test_add_func ("/capi/event/error/shape", test_event_error_shape);
  g_test_add_func ("/capi/event/error/too-large", test_event_error_too_large);
  g_test_add_func ("/capi/event/error/missing-file", test_event_error_missing_file);
  g_test_add_func ("/capi/event/read-async", test_event_read_async);
  g_test_add_func ("/capi/event/read-async-cancelled", test_event_read_async_cancelled);
  g_test_add_func ("/capi/event/garbage", test_event_garbage_never_crashes);

  return g_test_run ();
}
