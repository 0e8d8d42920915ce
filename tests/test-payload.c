/* test-payload.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-hash.h"
#include "capi-payload.h"

#define SNAP_PHONE_HASH "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"

static GPtrArray *
read_events (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", name, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *events = capi_event_read_file (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static GPtrArray *
parse_events (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = capi_event_read_document (json, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

/* Golden files hold the pretty body followed by one newline. */
static void
assert_golden (const char      *input,
               CapiPayloadKind  kind,
               const char      *golden)
{
  g_autoptr(GPtrArray) events = read_events (input);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "payload", golden, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  CapiPayloadOptions options = { .default_country = "GB" };

  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (expected);

  /* The ATS body carries no hashed identifiers, so no country applies. */
  body = capi_payload_build_string (kind, events, kind == CAPI_PAYLOAD_ATS ? NULL : &options,
                                    TRUE);
  g_assert_cmpstr (body, ==, expected);
}

static void
test_payload_golden_v3 (void)
{
  assert_golden ("v3-body.json", CAPI_PAYLOAD_SNAP_V3, "v3-body.snap.json");
  assert_golden ("v3-event.json", CAPI_PAYLOAD_SNAP_V3, "v3-event.snap.json");
  assert_golden ("v2-body.json", CAPI_PAYLOAD_SNAP_V3, "v2-body.snap.json");
  assert_golden ("events.jsonl", CAPI_PAYLOAD_SNAP_V3, "events.snap.json");
}

static void
test_payload_golden_ats (void)
{
  assert_golden ("ats-body.json", CAPI_PAYLOAD_ATS, "ats-body.ats.json");
  assert_golden ("v3-body.json", CAPI_PAYLOAD_ATS, "v3-body.ats.json");
}

static JsonObject *
build_one (const char               *json,
           const CapiPayloadOptions *options)
{
  g_autoptr(GPtrArray) events = parse_events (json);

  g_assert_cmpuint (events->len, ==, 1);
  return capi_payload_build_v3_event (g_ptr_array_index (events, 0), options);
}

static const char *
first_string (JsonObject *event,
              const char *section,
              const char *key)
{
  JsonObject *object = json_object_get_object_member (event, section);
  JsonArray *array;

  g_assert_nonnull (object);
  array = json_object_get_array_member (object, key);
  g_assert_nonnull (array);
  return json_array_get_string_element (array, 0);
}

static void
test_payload_snap_phone_example (void)
{
  g_autoptr(JsonObject) event =
    build_one ("{\"event_name\":\"PURCHASE\",\"user_data\":{\"ph\":\"+44 844 412 4653\"}}", NULL);

  g_assert_cmpstr (first_string (event, "user_data", "ph"), ==, SNAP_PHONE_HASH);
}

static void
test_payload_default_country (void)
{
  CapiPayloadOptions gb = { .default_country = "GB" };
  g_autoptr(JsonObject) with = NULL;
  g_autoptr(JsonObject) without = NULL;
  const char *json = "{\"event_name\":\"LOGIN\",\"user_data\":{\"ph\":\"0844 412 4653\"}}";

  /* A national number takes the default country's code in place of its 0. */
  with = build_one (json, &gb);
  g_assert_cmpstr (first_string (with, "user_data", "ph"), ==, SNAP_PHONE_HASH);

  /* Without a default country nothing is assumed. */
  without = build_one (json, NULL);
  if (json_object_has_member (without, "user_data"))
    g_assert_cmpstr (first_string (without, "user_data", "ph"), !=, SNAP_PHONE_HASH);
}

static void
test_payload_hashing (void)
{
  g_autoptr(JsonObject) event = build_one (
    "{\"event_name\":\"PURCHASE\",\"user_data\":{"
    "\"em\":[\" Person@Example.com \",\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"],"
    "\"client_ip_address\":\" 203.0.113.7\","
    "\"client_user_agent\":\"Mozilla/5.0\","
    "\"sc_click_id\":\"abc\",\"sc_cookie1\":\"cookie\",\"idfv\":\"IDFV-1\","
    "\"madid\":\"AAAA-BBBB\","
    "\"email\":\"leak@example.com\"}}", NULL);
  JsonObject *user = json_object_get_object_member (event, "user_data");
  JsonArray *em = json_object_get_array_member (user, "em");
  g_autofree char *person = capi_hash_sha256 ("person@example.com");

  g_assert_cmpuint (json_array_get_length (em), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (em, 0), ==, person);
  /* An existing hash is lowercased, never hashed again. */
  g_assert_cmpstr (json_array_get_string_element (em, 1), ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  /* Plain keys are single strings, never hashed. */
  g_assert_cmpstr (json_object_get_string_member (user, "client_ip_address"), ==, "203.0.113.7");
  g_assert_cmpstr (json_object_get_string_member (user, "client_user_agent"), ==, "Mozilla/5.0");
  g_assert_cmpstr (json_object_get_string_member (user, "sc_click_id"), ==, "abc");
  g_assert_cmpstr (json_object_get_string_member (user, "sc_cookie1"), ==, "cookie");
  g_assert_cmpstr (json_object_get_string_member (user, "idfv"), ==, "IDFV-1");
  g_assert_cmpstr (json_object_get_string_member (user, "madid"), ==, "aaaa-bbbb");
  /* A key Snap does not know is not sent: it might be raw PII. */
  g_assert_false (json_object_has_member (user, "email"));
}

static void
test_payload_event_time (void)
{
  static const struct
  {
    const char *value;
    gboolean    ok;
    gint64      seconds;
  } cases[] = {
    { "1767225600", TRUE, 1767225600 },
    { "1767225600123", TRUE, 1767225600 },
    { "\"1767225600123\"", TRUE, 1767225600 },
    { "\" 1767225600 \"", TRUE, 1767225600 },
    { "1767225600.9", TRUE, 1767225600 },
    { "\"2026-01-01T00:00:00Z\"", TRUE, 1767225600 },
    { "\"2026-01-01T01:00:00+01:00\"", TRUE, 1767225600 },
    { "\"2026-01-01T00:00:00.250Z\"", TRUE, 1767225600 },
    { "\"2026-01-01T00:00:00\"", TRUE, 1767225600 },
    { "\"yesterday\"", FALSE, 0 },
    { "\"\"", FALSE, 0 },
    { "0", FALSE, 0 },
    { "-5", FALSE, 0 },
    { "null", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"event_name\":\"X\",\"event_time\":%s}",
                                               cases[i].value);
      g_autoptr(GPtrArray) events = parse_events (json);
      g_autoptr(JsonObject) built = NULL;
      gint64 seconds = -1;
      gboolean ok;

      ok = capi_payload_event_time_seconds (g_ptr_array_index (events, 0), &seconds);
      g_assert_cmpint (ok, ==, cases[i].ok);
      built = capi_payload_build_v3_event (g_ptr_array_index (events, 0), NULL);
      if (ok)
        {
          g_assert_cmpint (seconds, ==, cases[i].seconds);
          g_assert_cmpint (json_object_get_int_member (built, "event_time"), ==, cases[i].seconds);
        }
      else
        {
          /* An unusable time is left out, and lint says so. */
          g_assert_false (json_object_has_member (built, "event_time"));
        }
    }

  {
    g_autoptr(CapiEvent) none = capi_event_new ();

    g_assert_false (capi_payload_event_time_seconds (none, NULL));
  }
}

static void
test_payload_integration (void)
{
  const char *json = "{\"event_name\":\"X\"}";
  const char *own = "{\"event_name\":\"X\",\"integration\":\"my-shop\"}";
  CapiPayloadOptions custom = { .integration = "acme" };
  CapiPayloadOptions none = { .integration = "" };
  g_autoptr(JsonObject) a = build_one (json, NULL);
  g_autoptr(JsonObject) b = build_one (json, &custom);
  g_autoptr(JsonObject) c = build_one (json, &none);
  g_autoptr(JsonObject) d = build_one (own, NULL);
  g_autoptr(JsonObject) e = build_one (own, &custom);

  g_assert_cmpstr (json_object_get_string_member (a, "integration"), ==,
                   CAPI_PAYLOAD_DEFAULT_INTEGRATION);
  g_assert_cmpstr (json_object_get_string_member (b, "integration"), ==, "acme");
  g_assert_false (json_object_has_member (c, "integration"));
  g_assert_cmpstr (json_object_get_string_member (d, "integration"), ==, "my-shop");
  g_assert_cmpstr (json_object_get_string_member (e, "integration"), ==, "acme");
}

static void
test_payload_test_event_code (void)
{
  g_autoptr(GPtrArray) events = parse_events ("{\"event_name\":\"X\"}");
  CapiPayloadOptions options = { .test_event_code = "TEST123" };
  g_autofree char *with = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events, &options,
                                                     FALSE);
  g_autofree char *without = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events, NULL,
                                                        FALSE);
  g_autofree char *ats = capi_payload_build_string (CAPI_PAYLOAD_ATS, events, &options, FALSE);

  g_assert_cmpstr (with, ==,
                   "{\"data\":[{\"event_name\":\"X\",\"integration\":\"capi-inspector\"}],"
                   "\"test_event_code\":\"TEST123\"}");
  g_assert_cmpstr (without, ==,
                   "{\"data\":[{\"event_name\":\"X\",\"integration\":\"capi-inspector\"}]}");
  /* test_event_code belongs to Snap's body only. */
  g_assert_cmpstr (ats, ==, "{\"events\":[{\"event_manager\":[\"snapchat\"],\"event_type\":\"X\"}]}");
}

static void
test_payload_non_empty (void)
{
  g_autoptr(JsonObject) event = build_one (
    "{\"event_name\":\" \",\"action_source\":\"\",\"event_id\":\"\",\"event_time\":1767225600,"
    "\"user_data\":{\"em\":[],\"ph\":\"no digits\",\"fn\":\"\"},"
    "\"custom_data\":{\"currency\":\"\",\"content_ids\":[],\"contents\":[],\"order_id\":null},"
    "\"app_data\":{},\"data_processing_options\":[]}", NULL);
  g_autoptr(GList) members = json_object_get_members (event);

  /* Only event_time and integration carry something. */
  g_assert_cmpuint (g_list_length (members), ==, 2);
  g_assert_true (json_object_has_member (event, "event_time"));
  g_assert_true (json_object_has_member (event, "integration"));
}

static void
test_payload_custom_data_types (void)
{
  g_autoptr(JsonObject) event = build_one (
    "{\"event_name\":\"PURCHASE\",\"custom_data\":{"
    "\"value\":\"19.99\",\"currency\":\"USD\",\"order_id\":1001,\"num_items\":\"3\","
    "\"content_ids\":\"sku-1\",\"predicted_ltv\":120,\"my_number\":7.5,"
    "\"contents\":[{\"id\":42,\"quantity\":2,\"item_price\":9.99,\"brand\":\"Acme\"}],"
    "\"custom_fields\":{\"size\":\"M\",\"count\":2}}}", NULL);
  JsonObject *custom = json_object_get_object_member (event, "custom_data");
  JsonArray *contents = json_object_get_array_member (custom, "contents");
  JsonObject *item = json_array_get_object_element (contents, 0);
  JsonArray *ids = json_object_get_array_member (custom, "content_ids");
  JsonObject *fields = json_object_get_object_member (custom, "custom_fields");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  /* value is a number on the wire, even when given as text. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (custom, "value")), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (custom, "value"), ==, 19.99);
  g_assert_cmpint (json_object_get_int_member (custom, "num_items"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (custom, "predicted_ltv"), ==, 120);
  /* Numbers Snap does not type stay numbers. */
  g_assert_cmpfloat (json_object_get_double_member (custom, "my_number"), ==, 7.5);
  /* Strings where the OpenAPI document says string. */
  g_assert_cmpstr (json_object_get_string_member (custom, "order_id"), ==, "1001");
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (ids, 0), ==, "sku-1");
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, "42");
  g_assert_cmpstr (json_object_get_string_member (item, "quantity"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (item, "item_price"), ==, "9.99");
  g_assert_cmpstr (json_object_get_string_member (item, "brand"), ==, "Acme");
  g_assert_cmpstr (json_object_get_string_member (fields, "count"), ==, "2");

  /* The writer prints the number the user typed. */
  json_node_set_object (node, custom);
  text = capi_payload_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"value\":19.99,"));
}

static void
test_payload_ats (void)
{
  g_autoptr(GPtrArray) events = parse_events (
    "{\"event_name\":\"PURCHASE\",\"event_id\":\"o-1\",\"event_time\":\"2026-01-01T00:00:00Z\","
    "\"user_data\":{\"sc_cookie1\":\"scid-1\",\"em\":\"a@example.com\"},"
    "\"custom_data\":{\"value\":5,\"currency\":\"EUR\"}}");
  g_autofree char *body = capi_payload_build_string (CAPI_PAYLOAD_ATS, events, NULL, FALSE);

  /* The _scid value stands in for a missing envelope; no e-mail goes to ATS. */
  g_assert_cmpstr (body, ==,
                   "{\"events\":[{\"event_manager\":[\"snapchat\"],\"event_id\":\"o-1\","
                   "\"event_type\":\"PURCHASE\",\"event_time\":1767225600,"
                   "\"user_data\":{\"partner_id\":\"scid-1\"},"
                   "\"custom_data\":[{\"key\":\"value\",\"value\":5},"
                   "{\"key\":\"currency\",\"value\":\"EUR\"}]}]}");
}

static void
test_payload_explain (void)
{
  g_autoptr(GPtrArray) events = parse_events (
    "{\"data\":[{\"event_name\":\"X\",\"user_data\":{"
    "\"em\":[\"no-at-sign-but-text\",\"Person@Example.com\"],"
    "\"ph\":[\"none\",\"+44 844 412 4653\"],"
    "\"client_ip_address\":\"203.0.113.7\","
    "\"fn\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
    "\"nickname\":\"bob\"}}]}");
  g_autoptr(GPtrArray) rows = capi_payload_explain (events, NULL);
  CapiExplainRow *row;

  g_assert_cmpuint (rows->len, ==, 7);

  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->field, ==, "data[0].user_data.em[1]");
  g_assert_cmpstr (row->key, ==, "em");
  g_assert_cmpstr (row->raw, ==, "Person@Example.com");
  g_assert_cmpstr (row->normalized, ==, "person@example.com");
  g_assert_true (capi_hash_is_sha256 (row->sent));
  g_assert_cmpint (row->state, ==, CAPI_VALUE_HASHED);

  /* A phone with no digits is dropped; the next one takes index 0. */
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpint (row->state, ==, CAPI_VALUE_DROPPED);
  g_assert_null (row->sent);
  row = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (row->field, ==, "data[0].user_data.ph[0]");
  g_assert_cmpstr (row->normalized, ==, "448444124653");
  g_assert_cmpstr (row->sent, ==, SNAP_PHONE_HASH);

  row = g_ptr_array_index (rows, 4);
  g_assert_cmpstr (row->field, ==, "data[0].user_data.client_ip_address");
  g_assert_cmpint (row->state, ==, CAPI_VALUE_SENT_AS_IS);
  g_assert_cmpstr (row->sent, ==, "203.0.113.7");

  row = g_ptr_array_index (rows, 5);
  g_assert_cmpint (row->state, ==, CAPI_VALUE_ALREADY_HASHED);
  g_assert_cmpstr (row->sent, ==, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

  row = g_ptr_array_index (rows, 6);
  g_assert_cmpstr (row->key, ==, "nickname");
  g_assert_cmpint (row->state, ==, CAPI_VALUE_DROPPED);
}

static void
test_payload_leaves_event_alone (void)
{
  g_autoptr(GPtrArray) events = read_events ("v3-body.json");
  g_autofree char *before = capi_event_to_json (g_ptr_array_index (events, 0), FALSE);
  g_autofree char *first = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events, NULL, FALSE);
  g_autofree char *second = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events, NULL, FALSE);
  g_autofree char *after = capi_event_to_json (g_ptr_array_index (events, 0), FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (first, ==, second);
  /* The compact writer's output is valid JSON. */
  g_assert_true (json_parser_load_from_data (parser, first, -1, NULL));
}

static void
test_payload_string_escapes (void)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), "a\"b\\c\n\x01 é");
  g_autofree char *text = capi_payload_to_string (node, FALSE);

  g_assert_cmpstr (text, ==, "\"a\\\"b\\\\c\\n\\u0001 é\"");
}

static void
test_payload_numbers (void)
{
  static const struct
  {
    double      value;
    const char *text;
  } cases[] = {
    { 19.99, "19.99" }, { 42.0, "42" }, { 12.5, "12.5" }, { -3.25, "-3.25" },
    { 0.1, "0.1" }, { 1009.99, "1009.99" }, { 0.0001, "0.0001" }, { 123456.789, "123456.789" },
    { 0.30000000000000004, "0.30000000000000004" }, { 1e-7, "1e-07" },
    { 1e20, "1e+20" }, { -1234567.5, "-1234567.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), cases[i].value);
      g_autofree char *text = capi_payload_to_string (node, FALSE);

      /* Whatever the text, it must read back as the very same double. */
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
      if (cases[i].text != NULL)
        g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Every price with cents, both signs, reads back exactly. */
  for (int cents = -200000; cents <= 200000; cents += 7)
    {
      double value = cents / 100.0;
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), value);
      g_autofree char *text = capi_payload_to_string (node, FALSE);

      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, value);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/payload/golden/v3", test_payload_golden_v3);
  g_test_add_func ("/capi/payload/golden/ats", test_payload_golden_ats);
  g_test_add_func ("/capi/payload/snap-phone-example", test_payload_snap_phone_example);
  g_test_add_func ("/capi/payload/default-country", test_payload_default_country);
  g_test_add_func ("/capi/payload/hashing", test_payload_hashing);
  g_test_add_func ("/capi/payload/event-time", test_payload_event_time);
  g_test_add_func ("/capi/payload/integration", test_payload_integration);
  g_test_add_func ("/capi/payload/test-event-code", test_payload_test_event_code);
  g_test_add_func ("/capi/payload/non-empty", test_payload_non_empty);
  g_test_add_func ("/capi/payload/custom-data-types", test_payload_custom_data_types);
  g_test_add_func ("/capi/payload/ats", test_payload_ats);
  g_test_add_func ("/capi/payload/explain", test_payload_explain);
  g_test_add_func ("/capi/payload/leaves-event-alone", test_payload_leaves_event_alone);
  g_test_add_func ("/capi/payload/string-escapes", test_payload_string_escapes);
  g_test_add_func ("/capi/payload/numbers", test_payload_numbers);

  return g_test_run ();
}
