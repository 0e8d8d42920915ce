/* test-lint.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-lint.h"

/* 2026-01-01T00:00:00Z: every time rule is judged against this clock. */
#define NOW G_GINT64_CONSTANT (1767225600)
#define DAY G_GINT64_CONSTANT (86400)

/* SHA-256 of "person@example.com" and of "16505551212". */
#define EM_HASH "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345"
#define EM_HASH_UPPER "542D240129883C019E106E3B1B2D3F3CB3537C43C425364DE8E951D5A3083345"
#define PH_HASH "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"

#define EXTINFO_OK \
  "[\"i2\",\"com.example.app\",\"1.0\",\"1.0 (1)\",\"17.0\",\"iPhone15,2\",\"en_US\",\"CET\"," \
  "\"carrier\",\"1179\",\"2556\",\"3.0\",\"6\",\"128\",\"64\",\"Europe/Berlin\"]"

/* A v3 event that no rule objects to, one hour before NOW. */
static const char *base_v3_event =
  "{"
  "  \"event_name\": \"PURCHASE\","
  "  \"event_time\": 1767222000,"
  "  \"action_source\": \"WEB\","
  "  \"event_id\": \"order-1-purchase\","
  "  \"event_source_url\": \"https://shop.example.com/thanks\","
  "  \"user_data\": {"
  "    \"em\": [\"" EM_HASH "\"],"
  "    \"ph\": [\"" PH_HASH "\"],"
  "    \"client_ip_address\": \"203.0.113.7\","
  "    \"client_user_agent\": \"Mozilla/5.0 (X11; Linux x86_64)\""
  "  },"
  "  \"custom_data\": {\"currency\": \"USD\", \"value\": 9.99, \"order_id\": \"order-1\"}"
  "}";

/* The same for LiveRamp's ATS adapter. */
static const char *base_ats_event =
  "{"
  "  \"event_manager\": [\"snapchat\"],"
  "  \"event_id\": \"order-1-purchase\","
  "  \"event_type\": \"PURCHASE\","
  "  \"event_time\": 1767222000,"
  "  \"event_source_url\": \"https://shop.example.com/thanks\","
  "  \"user_data\": {\"partner_id\": \"AjfowMv4ZHZQJFM8TpiUnYEyA81Vdgg\"},"
  "  \"custom_data\": ["
  "    {\"key\": \"currency\", \"value\": \"EUR\"},"
  "    {\"key\": \"value\", \"value\": \"42.50\"},"
  "    {\"key\": \"order_id\", \"value\": \"order-1\"}"
  "  ]"
  "}";

/* ------------------------------------------------------------------------ */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Applies {"dotted.key": value, ...} to an event object; null removes. */
static void
apply_changes (JsonObject *event,
               const char *changes)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (changes == NULL)
    return;

  root = parse_json (changes);
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, ".", 2);
      JsonObject *target = event;
      const char *leaf = parts[0];

      if (parts[1] != NULL)
        {
          if (!json_object_has_member (event, parts[0]))
            json_object_set_object_member (event, parts[0], json_object_new ());
          target = json_object_get_object_member (event, parts[0]);
          leaf = parts[1];
        }

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target, leaf);
      else
        json_object_set_member (target, leaf, json_node_copy (value));
    }
}

/* A document of @n_events copies of @base (with @changes), serialised. */
static char *
build_document (const char *wrapper,
                const char *base,
                const char *changes,
                guint       n_events)
{
  g_autoptr(JsonNode) event = parse_json (base);
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  apply_changes (json_node_get_object (event), changes);
  for (guint i = 0; i < n_events; i++)
    json_array_add_element (list, json_node_copy (event));

  if (wrapper == NULL)
    {
      json_node_init_array (root, list);
    }
  else
    {
      json_object_set_array_member (object, wrapper, json_array_ref (list));
      json_node_set_object (root, object);
    }

  return json_to_string (root, FALSE);
}

static GPtrArray *
lint_text (const char      *text,
           CapiLintTarget   target,
           CapiEventFormat *out_format)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  events = capi_event_read_document (text, -1, &format, &error);
  g_assert_no_error (error);
  g_assert_nonnull (events);
  if (out_format != NULL)
    *out_format = format;

  return capi_lint_run (events, format, target, NOW);
}

static CapiFinding *
find_code (GPtrArray  *findings,
           const char *code)
{
  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (capi_finding_get_code (finding), code))
        return finding;
    }
  return NULL;
}

static guint
count_code (GPtrArray  *findings,
            const char *code)
{
  guint count = 0;

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (capi_finding_get_code (g_ptr_array_index (findings, i)), code))
      count++;
  return count;
}

static int
rule_index (const char *code)
{
  const CapiLintRule *rules = capi_lint_get_rules ();

  for (int i = 0; rules[i].code != NULL; i++)
    if (g_str_equal (rules[i].code, code))
      return i;
  return -1;
}

static void
dump_findings (GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);

      g_test_message ("  %s %s %s: %s",
                      capi_severity_to_string (capi_finding_get_severity (finding)),
                      capi_finding_get_code (finding), capi_finding_get_path (finding),
                      capi_finding_get_message (finding));
    }
}

/* ------------------------------------------------------------------------ */
/* One failing and one passing case for every code                            */

typedef struct
{
  const char     *code;
  CapiLintTarget  target;
  const char     *fail_changes;   /* applied to the base event */
  const char     *fail_path;      /* where the finding must point */
  const char     *fail_key;
  const char     *pass_changes;   /* a near miss: the rule stays quiet */
} RuleCase;

#define SNAP CAPI_LINT_TARGET_SNAP
#define ATS CAPI_LINT_TARGET_ATS

static const RuleCase rule_cases[] = {
  { "event-name-missing", SNAP,
    "{\"event_name\": null}", "data[0].event_name", "event_name",
    "{\"event_name\": \"PAGE_VIEW\"}" },
  { "event-name-missing", ATS,
    "{\"event_type\": null}", "events[0].event_type", "event_name",
    NULL },
  { "event-name-lowercase", SNAP,
    "{\"event_name\": \"purchase\"}", "data[0].event_name", "event_name",
    /* lowercase but not a standard name: event-name-unknown's business */
    "{\"event_name\": \"my_checkout\"}" },
  { "event-name-lowercase", ATS,
    "{\"event_type\": \"Purchase\"}", "events[0].event_type", "event_name",
    NULL },
  { "event-name-unknown", SNAP,
    "{\"event_name\": \"ORDER_DONE\"}", "data[0].event_name", "event_name",
    "{\"event_name\": \"CUSTOM_EVENT_3\"}" },
  { "event-time-missing", SNAP,
    "{\"event_time\": null}", "data[0].event_time", "event_time",
    "{\"event_time\": \"2025-12-31T23:00:00Z\"}" },
  { "event-time-missing", SNAP,
    "{\"event_time\": \"last tuesday\"}", "data[0].event_time", "event_time",
    "{\"event_time\": \"1767222000\"}" },
  { "event-time-milliseconds", SNAP,
    "{\"event_time\": 1767222000000}", "data[0].event_time", "event_time",
    "{\"event_time\": 1767222000}" },
  { "event-time-too-early", SNAP,
    "{\"event_time\": 1767222}", "data[0].event_time", "event_time",
    "{\"event_time\": 1420070400}" },
  { "event-time-future", SNAP,
    "{\"event_time\": 1767229200}", "data[0].event_time", "event_time",
    /* two minutes ahead is clock skew, not the future */
    "{\"event_time\": 1767225720}" },
  { "event-time-too-old", SNAP,
    "{\"event_time\": 1763942400}", "data[0].event_time", "event_time",   /* 38 days */
    "{\"event_time\": 1764115200}" },                                      /* 36 days */
  { "event-time-stale", SNAP,
    "{\"event_time\": 1766534400}", "data[0].event_time", "event_time",   /* 8 days */
    "{\"event_time\": 1766707200}" },                                      /* 6 days */
  { "action-source-missing", SNAP,
    "{\"action_source\": null}", "data[0].action_source", "action_source",
    "{\"action_source\": \"OFFLINE\"}" },
  { "action-source-invalid", SNAP,
    "{\"action_source\": \"website\"}", "data[0].action_source", "action_source",
    "{\"action_source\": \"OFFLINE\"}" },
  { "action-source-invalid", SNAP,
    "{\"action_source\": \"web\"}", "data[0].action_source", "action_source",
    NULL },
  { "event-id-misplaced", SNAP,
    "{\"event_id\": null, \"custom_data.event_id\": \"order-1-purchase\"}",
    "data[0].custom_data.event_id", "custom_data.event_id",
    "{\"custom_data.content_ids\": [\"sku-1\"]}" },
  { "event-id-misplaced", SNAP,
    "{\"custom_data.client_dedup_id\": \"order-1-purchase\"}",
    "data[0].custom_data.client_dedup_id", "custom_data.client_dedup_id",
    NULL },
  { "event-id-misplaced", ATS,
    "{\"custom_data\": [{\"key\": \"currency\", \"value\": \"EUR\"},"
    " {\"key\": \"event_id\", \"value\": \"order-1-purchase\"}]}",
    "events[0].custom_data[1].value", "custom_data.event_id",
    NULL },
  { "event-source-url-missing", SNAP,
    "{\"event_source_url\": null}", "data[0].event_source_url", "event_source_url",
    "{\"event_source_url\": null, \"action_source\": \"OFFLINE\"}" },
  { "event-source-url-missing", ATS,
    "{\"event_source_url\": null}", "events[0].event_source_url", "event_source_url",
    NULL },
  { "identifiers-insufficient", SNAP,
    "{\"user_data.em\": null, \"user_data.ph\": null, \"user_data.client_user_agent\": null}",
    "data[0].user_data", "user_data",
    "{\"user_data.em\": null, \"user_data.ph\": null}" },
  { "identifiers-insufficient", SNAP,
    "{\"user_data\": null}", "data[0]", "user_data",
    "{\"user_data\": {\"madid\": \"6d92078a-8246-4ba4-ae5b-76104861e7dc\"}}" },
  { "identifiers-insufficient", ATS,
    "{\"user_data\": {\"client_ip_address\": \"203.0.113.7\"}}", "events[0].user_data",
    "user_data",
    "{\"user_data\": {\"sc_cookie1\": \"5e1c0b7e-9c1b-4b1a-8a53-3f2d0c7b9a10\"}}" },
  { "pii-unhashed", SNAP,
    "{\"user_data.em\": [\"" EM_HASH "\", \"Person@Example.com\"]}", "data[0].user_data.em[1]",
    "user_data.em",
    /* uppercase hex is still a hash */
    "{\"user_data.em\": [\"" EM_HASH_UPPER "\"]}" },
  { "pii-unhashed", SNAP,
    "{\"user_data.ph\": \"+1 (650) 555-1212\"}", "data[0].user_data.ph", "user_data.ph",
    "{\"user_data.ph\": \"" PH_HASH "\"}" },
  { "pii-unhashed", SNAP,
    "{\"user_data.fn\": [\"Raphaël\"]}", "data[0].user_data.fn[0]", "user_data.fn",
    "{\"user_data.sc_click_id\": \"not-a-hash-and-fine\"}" },
  { "hash-uppercase", SNAP,
    "{\"user_data.em\": [\"" EM_HASH "\", \"" EM_HASH_UPPER "\"]}", "data[0].user_data.em[1]",
    "user_data.em",
    "{\"user_data.em\": [\"" EM_HASH "\"]}" },
  { "ip-hashed", SNAP,
    "{\"user_data.client_ip_address\": \"" EM_HASH "\"}", "data[0].user_data.client_ip_address",
    "user_data.client_ip_address",
    "{\"user_data.client_ip_address\": \"2001:db8::1\"}" },
  { "ats-mobile-unsupported", ATS,
    "{\"action_source\": \"MOBILE_APP\"}", "events[0].action_source", "action_source",
    "{\"action_source\": \"WEB\"}" },
  { "ats-mobile-unsupported", ATS,
    "{\"app_data\": {\"app_id\": \"123\"}}", "events[0].app_data", "app_data",
    NULL },
  { "purchase-value-missing", SNAP,
    "{\"custom_data.value\": null}", "data[0].custom_data.value", "custom_data.value",
    "{\"custom_data.value\": null, \"event_name\": \"ADD_CART\"}" },
  { "purchase-value-missing", ATS,
    "{\"custom_data\": [{\"key\": \"currency\", \"value\": \"EUR\"},"
    " {\"key\": \"order_id\", \"value\": \"o1\"}]}",
    "events[0].custom_data.value", "custom_data.value",
    NULL },
  { "purchase-currency-missing", SNAP,
    "{\"custom_data.currency\": null}", "data[0].custom_data.currency", "custom_data.currency",
    "{\"custom_data.currency\": null, \"event_name\": \"SIGN_UP\"}" },
  { "currency-invalid", SNAP,
    "{\"custom_data.currency\": \"usd\"}", "data[0].custom_data.currency", "custom_data.currency",
    "{\"custom_data.currency\": \"EUR\"}" },
  { "currency-invalid", SNAP,
    "{\"custom_data.currency\": \"ABC\"}", "data[0].custom_data.currency", "custom_data.currency",
    "{\"custom_data.currency\": \"JPY\"}" },
  { "currency-invalid", ATS,
    "{\"custom_data\": [{\"key\": \"currency\", \"value\": \"Euro\"}]}",
    "events[0].custom_data[0].value", "custom_data.currency",
    NULL },
  { "value-not-number", SNAP,
    "{\"custom_data.value\": \"9.99\"}", "data[0].custom_data.value", "custom_data.value",
    "{\"custom_data.value\": 10}" },
  { "purchase-order-id-missing", SNAP,
    "{\"custom_data.order_id\": null}", "data[0].custom_data.order_id", "custom_data.order_id",
    "{\"custom_data.order_id\": null, \"event_name\": \"ADD_CART\"}" },
  { "event-id-missing", SNAP,
    "{\"event_id\": null}", "data[0].event_id", "event_id",
    "{\"event_id\": \"x-1\"}" },
  { "event-id-missing", ATS,
    "{\"event_id\": \"\"}", "events[0].event_id", "event_id",
    NULL },
  { "app-data-missing", SNAP,
    "{\"action_source\": \"MOBILE_APP\"}", "data[0].app_data", "app_data",
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"app_id\": \"123\", \"extinfo\": "
    EXTINFO_OK "}}" },
  { "extinfo-invalid", SNAP,
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"app_id\": \"1\", \"extinfo\": "
    "[\"x2\",\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\"]}}",
    "data[0].app_data.extinfo[0]", "app_data.extinfo",
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"app_id\": \"1\", \"extinfo\": "
    EXTINFO_OK "}}" },
  { "extinfo-invalid", SNAP,
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"extinfo\": [\"a2\", \"com.x\"]}}",
    "data[0].app_data.extinfo", "app_data.extinfo",
    NULL },
  { "extinfo-invalid", SNAP,
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"extinfo\": "
    "[\"a2\",\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",15]}}",
    "data[0].app_data.extinfo[15]", "app_data.extinfo",
    NULL },
  { "extinfo-invalid", SNAP,
    "{\"action_source\": \"MOBILE_APP\", \"app_data\": {\"extinfo\": \"a2,com.x\"}}",
    "data[0].app_data.extinfo", "app_data.extinfo",
    NULL },
};

static void
test_lint_rule_case (gconstpointer data)
{
  const RuleCase *rc = data;
  const CapiLintRule *rule = &capi_lint_get_rules ()[rule_index (rc->code)];
  const char *wrapper = rc->target == ATS ? "events" : "data";
  const char *base = rc->target == ATS ? base_ats_event : base_v3_event;
  g_autofree char *failing = build_document (wrapper, base, rc->fail_changes, 1);
  g_autoptr(GPtrArray) findings = lint_text (failing, rc->target, NULL);
  CapiFinding *finding;

  g_assert_cmpint (rule_index (rc->code), >=, 0);
  dump_findings (findings);
  finding = find_code (findings, rc->code);
  g_assert_nonnull (finding);
  g_assert_cmpint (capi_finding_get_severity (finding), ==, rule->severity);
  g_assert_cmpstr (capi_finding_get_path (finding), ==, rc->fail_path);
  g_assert_cmpstr (capi_finding_get_key (finding), ==, rc->fail_key);
  g_assert_cmpint (capi_finding_get_event_index (finding), ==, 0);
  g_assert_cmpuint (strlen (capi_finding_get_message (finding)), >, 10);
  /* Personal data never appears in a message. */
  g_assert_null (strstr (capi_finding_get_message (finding), "Person@Example.com"));
  g_assert_null (strstr (capi_finding_get_message (finding), "555-1212"));

  if (rc->pass_changes != NULL)
    {
      g_autofree char *passing = build_document (wrapper, base, rc->pass_changes, 1);
      g_autoptr(GPtrArray) quiet = lint_text (passing, rc->target, NULL);

      dump_findings (quiet);
      g_assert_null (find_code (quiet, rc->code));
    }
}

static void
test_lint_clean_events (void)
{
  g_autofree char *v3 = build_document ("data", base_v3_event, NULL, 3);
  g_autofree char *ats = build_document ("events", base_ats_event, NULL, 3);
  g_autoptr(GPtrArray) v3_findings = lint_text (v3, SNAP, NULL);
  g_autoptr(GPtrArray) ats_findings = lint_text (ats, ATS, NULL);

  dump_findings (v3_findings);
  dump_findings (ats_findings);
  g_assert_cmpuint (v3_findings->len, ==, 0);
  g_assert_cmpuint (ats_findings->len, ==, 0);
}

/* Every code in the table has a failing and a passing case somewhere. */
static void
test_lint_every_rule_covered (void)
{
  const CapiLintRule *rules = capi_lint_get_rules ();
  static const char * const tested_elsewhere[] = {
    "batch-too-large", "ats-batch-too-large", "ats-mixed-sessions", NULL
  };
  static const char * const required[] = {
    "event-name-missing", "event-name-lowercase", "event-time-missing",
    "event-time-milliseconds", "event-time-too-old", "event-time-future",
    "action-source-missing", "action-source-invalid", "event-id-misplaced",
    "event-source-url-missing", "identifiers-insufficient", "pii-unhashed", "ip-hashed",
    "purchase-value-missing", "purchase-currency-missing", "currency-invalid",
    "app-data-missing", "extinfo-invalid", "batch-too-large", "ats-mobile-unsupported",
    "ats-batch-too-large", "ats-mixed-sessions", "event-name-unknown", "event-time-stale",
    "event-id-missing", "hash-uppercase", "purchase-order-id-missing", "value-not-number",
    "event-time-too-early", NULL
  };
  guint n_rules = 0;

  for (guint r = 0; rules[r].code != NULL; r++)
    {
      gboolean failing = FALSE, passing = FALSE;

      n_rules++;
      g_assert_nonnull (rules[r].summary);
      g_assert_true (g_strv_contains (required, rules[r].code));
      if (g_strv_contains (tested_elsewhere, rules[r].code))
        continue;
      for (gsize i = 0; i < G_N_ELEMENTS (rule_cases); i++)
        if (g_str_equal (rule_cases[i].code, rules[r].code))
          {
            failing = TRUE;
            passing |= rule_cases[i].pass_changes != NULL;
          }
      g_test_message ("rule %s", rules[r].code);
      g_assert_true (failing);
      g_assert_true (passing);
    }

  g_assert_cmpuint (n_rules, ==, g_strv_length ((GStrv) required));
}

static void
test_lint_severities (void)
{
  static const char * const warnings[] = {
    "event-name-unknown", "event-time-stale", "event-id-missing", "hash-uppercase",
    "purchase-order-id-missing", "value-not-number", NULL
  };
  const CapiLintRule *rules = capi_lint_get_rules ();

  for (guint r = 0; rules[r].code != NULL; r++)
    {
      CapiSeverity expected = g_strv_contains (warnings, rules[r].code) ? CAPI_SEVERITY_WARNING
                                                                         : CAPI_SEVERITY_ERROR;

      g_test_message ("rule %s", rules[r].code);
      g_assert_cmpint (rules[r].severity, ==, expected);
      /* Codes are unique. */
      g_assert_cmpint (rule_index (rules[r].code), ==, (int) r);
    }
}

static void
test_lint_batch_too_large (void)
{
  g_autofree char *over = build_document ("data", base_v3_event, NULL, 2001);
  g_autofree char *limit = build_document ("data", base_v3_event, NULL, 2000);
  g_autoptr(GPtrArray) findings = lint_text (over, SNAP, NULL);
  g_autoptr(GPtrArray) quiet = lint_text (limit, SNAP, NULL);
  CapiFinding *finding = find_code (findings, "batch-too-large");

  g_assert_nonnull (finding);
  g_assert_cmpstr (capi_finding_get_path (finding), ==, "data");
  g_assert_cmpint (capi_finding_get_event_index (finding), ==, -1);
  g_assert_cmpint (capi_finding_get_severity (finding), ==, CAPI_SEVERITY_ERROR);
  /* Whole-document findings come first. */
  g_assert_true (g_ptr_array_index (findings, 0) == finding);
  g_assert_null (find_code (quiet, "batch-too-large"));
  g_assert_cmpuint (quiet->len, ==, 0);
}

static void
test_lint_ats_batch_too_large (void)
{
  g_autofree char *over = build_document ("events", base_ats_event, NULL, 1000);
  g_autofree char *under = build_document ("events", base_ats_event, NULL, 999);
  g_autoptr(GPtrArray) findings = lint_text (over, ATS, NULL);
  g_autoptr(GPtrArray) quiet = lint_text (under, ATS, NULL);
  g_autoptr(GPtrArray) snap = lint_text (over, SNAP, NULL);
  CapiFinding *finding = find_code (findings, "ats-batch-too-large");

  g_assert_nonnull (finding);
  g_assert_cmpstr (capi_finding_get_path (finding), ==, "events");
  g_assert_cmpint (capi_finding_get_event_index (finding), ==, -1);
  g_assert_null (find_code (quiet, "ats-batch-too-large"));
  /* The limit is LiveRamp's, not Snap's. */
  g_assert_null (find_code (snap, "ats-batch-too-large"));
}

static void
test_lint_ats_mixed_sessions (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lint", "ats-mixed.json", NULL);
  g_autofree char *same = build_document ("events", base_ats_event, NULL, 4);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) quiet = lint_text (same, ATS, NULL);
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  CapiFinding *first;
  CapiFinding *second;

  events = capi_event_read_file (path, &format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, CAPI_EVENT_FORMAT_ATS);
  findings = capi_lint_run (events, format, ATS, NOW);
  dump_findings (findings);

  /* events[1] has another envelope, events[2] another IP; events[3] has
   * no envelope at all, which is not proof of another session. */
  g_assert_cmpuint (count_code (findings, "ats-mixed-sessions"), ==, 2);
  first = find_code (findings, "ats-mixed-sessions");
  g_assert_cmpstr (capi_finding_get_path (first), ==, "events[1].user_data.partner_id");
  g_assert_cmpint (capi_finding_get_event_index (first), ==, 1);
  second = g_ptr_array_index (findings, findings->len - 1);
  g_assert_cmpstr (capi_finding_get_code (second), ==, "ats-mixed-sessions");
  g_assert_cmpstr (capi_finding_get_path (second), ==, "events[2].user_data.client_ip_address");

  g_assert_null (find_code (quiet, "ats-mixed-sessions"));
}

static void
test_lint_v2_paths (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lint", "v2-errors.json", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  static const struct { const char *code; const char *path; } expected[] = {
    { "event-name-lowercase", "[0].event_type" },
    { "action-source-invalid", "[0].event_conversion_type" },
    { "pii-unhashed", "[0].hashed_email" },
    { "ip-hashed", "[0].hashed_ip_address" },
    { "value-not-number", "[0].price" },
    { "event-id-missing", "[1].client_dedup_id" },
    { "hash-uppercase", "[1].hashed_phone_number" },
    { "purchase-currency-missing", "[1].currency" },
    { "purchase-order-id-missing", "[1].transaction_id" },
  };

  events = capi_event_read_file (path, &format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, CAPI_EVENT_FORMAT_V2);
  findings = capi_lint_run (events, format, SNAP, NOW);
  dump_findings (findings);

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < findings->len; j++)
        {
          CapiFinding *finding = g_ptr_array_index (findings, j);

          if (g_str_equal (capi_finding_get_code (finding), expected[i].code) &&
              g_str_equal (capi_finding_get_path (finding), expected[i].path))
            found = TRUE;
        }
      g_test_message ("expecting %s at %s", expected[i].code, expected[i].path);
      g_assert_true (found);
    }
}

static void
test_lint_ats_paths (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lint", "ats-errors.json", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  static const struct { const char *code; const char *path; int index; } expected[] = {
    { "event-name-lowercase", "events[0].event_type", 0 },
    { "event-time-milliseconds", "events[0].event_time", 0 },
    { "event-id-misplaced", "events[0].custom_data[2].value", 0 },
    { "purchase-currency-missing", "events[0].custom_data.currency", 0 },
    { "ats-mobile-unsupported", "events[1].action_source", 1 },
    { "currency-invalid", "events[1].custom_data[0].value", 1 },
  };

  events = capi_event_read_file (path, &format, &error);
  g_assert_no_error (error);
  findings = capi_lint_run (events, format, ATS, NOW);
  dump_findings (findings);
  g_assert_cmpuint (findings->len, ==, G_N_ELEMENTS (expected));

  /* Exactly these, in this order: by event, then by rule table. */
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);

      g_assert_cmpstr (capi_finding_get_code (finding), ==, expected[i].code);
      g_assert_cmpstr (capi_finding_get_path (finding), ==, expected[i].path);
      g_assert_cmpint (capi_finding_get_event_index (finding), ==, expected[i].index);
    }
}

static void
test_lint_ordering (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lint", "errors.json", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  events = capi_event_read_file (path, &format, &error);
  g_assert_no_error (error);
  first = capi_lint_run (events, format, SNAP, NOW);
  second = capi_lint_run (events, format, SNAP, NOW);
  dump_findings (first);

  g_assert_cmpuint (first->len, >, 5);
  g_assert_cmpuint (first->len, ==, second->len);
  for (guint i = 0; i < first->len; i++)
    {
      CapiFinding *a = g_ptr_array_index (first, i);
      CapiFinding *b = g_ptr_array_index (second, i);

      g_assert_cmpstr (capi_finding_get_code (a), ==, capi_finding_get_code (b));
      g_assert_cmpstr (capi_finding_get_path (a), ==, capi_finding_get_path (b));

      if (i > 0)
        {
          CapiFinding *prev = g_ptr_array_index (first, i - 1);
          int prev_index = capi_finding_get_event_index (prev);
          int index = capi_finding_get_event_index (a);

          g_assert_cmpint (prev_index, <=, index);
          if (prev_index == index)
            g_assert_cmpint (rule_index (capi_finding_get_code (prev)), <=,
                             rule_index (capi_finding_get_code (a)));
        }
    }

  g_assert_cmpuint (capi_lint_count (first, CAPI_SEVERITY_ERROR) +
                    capi_lint_count (first, CAPI_SEVERITY_WARNING) +
                    capi_lint_count (first, CAPI_SEVERITY_HINT), ==, first->len);
  g_assert_cmpuint (capi_lint_count (first, CAPI_SEVERITY_ERROR), >, 0);
}

static void
test_lint_time_rules_exclusive (void)
{
  /* 40 days old: too old, and not also stale. */
  g_autofree char *old = build_document ("data", base_v3_event, "{\"event_time\": 1763769600}", 1);
  /* Milliseconds or pre-2015 values are not judged for age as well. */
  g_autofree char *ms = build_document ("data", base_v3_event, "{\"event_time\": 1600000000000}", 1);
  g_autofree char *early = build_document ("data", base_v3_event, "{\"event_time\": 1600000}", 1);
  g_autoptr(GPtrArray) old_findings = lint_text (old, SNAP, NULL);
  g_autoptr(GPtrArray) ms_findings = lint_text (ms, SNAP, NULL);
  g_autoptr(GPtrArray) early_findings = lint_text (early, SNAP, NULL);

  g_assert_nonnull (find_code (old_findings, "event-time-too-old"));
  g_assert_null (find_code (old_findings, "event-time-stale"));
  g_assert_cmpuint (ms_findings->len, ==, 1);
  g_assert_nonnull (find_code (ms_findings, "event-time-milliseconds"));
  g_assert_cmpuint (early_findings->len, ==, 1);
  g_assert_nonnull (find_code (early_findings, "event-time-too-early"));
}

/* ------------------------------------------------------------------------ */
/* Fixes                                                                      */

typedef struct
{
  const char *code;
  CapiFix     fix;
  const char *changes;
  const char *key;        /* member to check after the fix */
  const char *expected;   /* its value as JSON */
} FixCase;

static const FixCase fix_cases[] = {
  { "event-name-lowercase", CAPI_FIX_UPPERCASE_EVENT_NAME,
    "{\"event_name\": \"purchase\"}", "event_name", "\"PURCHASE\"" },
  { "event-time-milliseconds", CAPI_FIX_MILLISECONDS_TO_SECONDS,
    "{\"event_time\": 1767222000123}", "event_time", "1767222000" },
  { "event-id-misplaced", CAPI_FIX_MOVE_EVENT_ID,
    "{\"event_id\": null, \"custom_data.event_id\": \"dedup-7\"}", "event_id", "\"dedup-7\"" },
  { "event-id-misplaced", CAPI_FIX_MOVE_EVENT_ID,
    "{\"event_id\": null, \"custom_data.client_dedup_id\": \"dedup-8\"}", "event_id", "\"dedup-8\"" },
  { "hash-uppercase", CAPI_FIX_LOWERCASE_HASH,
    "{\"user_data.em\": [\"" EM_HASH_UPPER "\"]}", "user_data.em", "[\"" EM_HASH "\"]" },
  { "hash-uppercase", CAPI_FIX_LOWERCASE_HASH,
    "{\"user_data.ph\": \"" EM_HASH_UPPER "\"}", "user_data.ph", "\"" EM_HASH "\"" },
  { "action-source-invalid", CAPI_FIX_UPPERCASE_ACTION_SOURCE,
    "{\"action_source\": \"web\"}", "action_source", "\"WEB\"" },
};

static void
test_lint_fix_case (gconstpointer data)
{
  const FixCase *fc = data;
  g_autofree char *text = build_document ("data", base_v3_event, fc->changes, 1);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expected = parse_json (fc->expected);
  CapiEventFormat format;
  CapiFinding *finding;
  CapiEvent *event;

  events = capi_event_read_document (text, -1, &format, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (events, 0);
  findings = capi_lint_run (events, format, SNAP, NOW);
  finding = find_code (findings, fc->code);
  g_assert_nonnull (finding);
  g_assert_cmpint (capi_finding_get_fix (finding), ==, fc->fix);

  g_assert_true (capi_lint_apply_fix (event, finding));
  g_assert_true (json_node_equal (capi_event_get_member (event, fc->key), expected));
  /* Applied once; a second time there is nothing left to do. */
  g_assert_false (capi_lint_apply_fix (event, finding));

  after = capi_lint_run (events, format, SNAP, NOW);
  dump_findings (after);
  g_assert_null (find_code (after, fc->code));
  g_assert_cmpuint (after->len, ==, 0);
}

static void
test_lint_fix_none (void)
{
  g_autofree char *text = build_document ("data", base_v3_event,
                                          "{\"action_source\": \"website\", \"event_id\": \"a\","
                                          " \"custom_data.event_id\": \"b\"}", 1);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format;
  CapiFinding *invalid;
  CapiFinding *misplaced;
  CapiEvent *event;

  events = capi_event_read_document (text, -1, &format, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (events, 0);
  findings = capi_lint_run (events, format, SNAP, NOW);

  /* "website" has no mechanical fix: WEB or OFFLINE is the user's call. */
  invalid = find_code (findings, "action-source-invalid");
  g_assert_nonnull (invalid);
  g_assert_cmpint (capi_finding_get_fix (invalid), ==, CAPI_FIX_NONE);
  g_assert_false (capi_lint_apply_fix (event, invalid));

  /* A different id already at the event level is never overwritten. */
  misplaced = find_code (findings, "event-id-misplaced");
  g_assert_nonnull (misplaced);
  g_assert_false (capi_lint_apply_fix (event, misplaced));
  g_assert_cmpstr (json_node_get_string (capi_event_get_member (event, "event_id")), ==, "a");
  g_assert_nonnull (capi_event_get_member (event, "custom_data.event_id"));
}

static void
test_lint_empty (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) findings = capi_lint_run (events, CAPI_EVENT_FORMAT_V3_BODY, SNAP, NOW);
  g_autoptr(CapiEvent) event = capi_event_new ();
  g_autoptr(GPtrArray) single = g_ptr_array_new ();
  g_autoptr(GPtrArray) blank_findings = NULL;

  g_assert_cmpuint (findings->len, ==, 0);

  /* A blank event (the GUI's empty form) gets findings, with paths. */
  g_ptr_array_add (single, event);
  blank_findings = capi_lint_run (single, CAPI_EVENT_FORMAT_V3_EVENT, SNAP, NOW);
  dump_findings (blank_findings);
  g_assert_nonnull (find_code (blank_findings, "event-name-missing"));
  g_assert_cmpstr (capi_finding_get_path (find_code (blank_findings, "event-name-missing")), ==,
                   "event_name");
  g_assert_nonnull (find_code (blank_findings, "event-time-missing"));
  g_assert_nonnull (find_code (blank_findings, "action-source-missing"));
  g_assert_nonnull (find_code (blank_findings, "identifiers-insufficient"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/lint/clean", test_lint_clean_events);
  g_test_add_func ("/capi/lint/every-rule-covered", test_lint_every_rule_covered);
  g_test_add_func ("/capi/lint/severities", test_lint_severities);
  for (gsize i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/capi/lint/rule/%s/%s/%" G_GSIZE_FORMAT,
                                               rule_cases[i].code,
                                               rule_cases[i].target == ATS ? "ats" : "snap", i);

      g_test_add_data_func (name, &rule_cases[i], test_lint_rule_case);
    }
  g_test_add_func ("/capi/lint/rule/batch-too-large", test_lint_batch_too_large);
  g_test_add_func ("/capi/lint/rule/ats-batch-too-large", test_lint_ats_batch_too_large);
  g_test_add_func ("/capi/lint/rule/ats-mixed-sessions", test_lint_ats_mixed_sessions);
  g_test_add_func ("/capi/lint/paths/v2", test_lint_v2_paths);
  g_test_add_func ("/capi/lint/paths/ats", test_lint_ats_paths);
  g_test_add_func ("/capi/lint/ordering", test_lint_ordering);
  g_test_add_func ("/capi/lint/time-rules-exclusive", test_lint_time_rules_exclusive);
  for (gsize i = 0; i < G_N_ELEMENTS (fix_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/capi/lint/fix/%s/%" G_GSIZE_FORMAT,
                                               fix_cases[i].code, i);

      g_test_add_data_func (name, &fix_cases[i], test_lint_fix_case);
    }
  g_test_add_func ("/capi/lint/fix/none", test_lint_fix_none);
  g_test_add_func ("/capi/lint/empty", test_lint_empty);

  return g_test_run ();
}
