/* capi-lint.c -- the rule table that judges events as an integration sends them
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-hash.h"
#include "capi-lint.h"
#include "capi-normalize.h"

/* Limits from spec §1 and §3. */
#define SNAP_MAX_EVENTS           2000
#define ATS_MAX_EVENTS            1000   /* LiveRamp misbehaves from here on */
#define SECONDS_PER_DAY           (G_GINT64_CONSTANT (24) * 60 * 60)
#define MAX_AGE_REPORTABLE        (37 * SECONDS_PER_DAY)
#define MAX_AGE_FRESH             (7 * SECONDS_PER_DAY)
#define MAX_CLOCK_SKEW            (5 * 60)
/* 2015-01-01T00:00:00Z: no conversion to report is older than Snap's CAPI. */
#define EARLIEST_PLAUSIBLE_TIME   G_GINT64_CONSTANT (1420070400)
#define MILLISECONDS_LOW          G_GINT64_CONSTANT (1000000000000)
#define MILLISECONDS_HIGH         G_GINT64_CONSTANT (10000000000000)

typedef struct
{
  GPtrArray      *events;
  GPtrArray      *findings;
  CapiEventFormat format;
  CapiLintTarget  target;
  gint64          now;
} LintContext;

typedef void (*EventCheck) (LintContext        *ctx,
                            const CapiLintRule *rule,
                            CapiEvent          *event,
                            int                 index);

typedef void (*DocumentCheck) (LintContext        *ctx,
                               const CapiLintRule *rule);

/* Index of every rule in the table; the table order is the report order
 * within one event. */
typedef enum
{
  RULE_BATCH_TOO_LARGE,
  RULE_ATS_BATCH_TOO_LARGE,
  RULE_EVENT_NAME_MISSING,
  RULE_EVENT_NAME_LOWERCASE,
  RULE_EVENT_NAME_UNKNOWN,
  RULE_EVENT_TIME_MISSING,
  RULE_EVENT_TIME_MILLISECONDS,
  RULE_EVENT_TIME_TOO_EARLY,
  RULE_EVENT_TIME_FUTURE,
  RULE_EVENT_TIME_TOO_OLD,
  RULE_EVENT_TIME_STALE,
  RULE_ACTION_SOURCE_MISSING,
  RULE_ACTION_SOURCE_INVALID,
  RULE_ATS_MOBILE_UNSUPPORTED,
  RULE_EVENT_ID_MISPLACED,
  RULE_EVENT_ID_MISSING,
  RULE_EVENT_SOURCE_URL_MISSING,
  RULE_IDENTIFIERS_INSUFFICIENT,
  RULE_PII_UNHASHED,
  RULE_HASH_UPPERCASE,
  RULE_IP_HASHED,
  RULE_ATS_MIXED_SESSIONS,
  RULE_PURCHASE_VALUE_MISSING,
  RULE_PURCHASE_CURRENCY_MISSING,
  RULE_CURRENCY_INVALID,
  RULE_VALUE_NOT_NUMBER,
  RULE_PURCHASE_ORDER_ID_MISSING,
  RULE_APP_DATA_MISSING,
  RULE_EXTINFO_INVALID,
  N_RULES
} RuleId;

static const CapiLintRule rules[N_RULES + 1] = {
  [RULE_BATCH_TOO_LARGE] = { "batch-too-large", CAPI_SEVERITY_ERROR,
    N_("More than 2000 events in one request") },
  [RULE_ATS_BATCH_TOO_LARGE] = { "ats-batch-too-large", CAPI_SEVERITY_ERROR,
    N_("1000 or more events in one ATS request") },
  [RULE_EVENT_NAME_MISSING] = { "event-name-missing", CAPI_SEVERITY_ERROR,
    N_("The event has no event name") },
  [RULE_EVENT_NAME_LOWERCASE] = { "event-name-lowercase", CAPI_SEVERITY_ERROR,
    N_("A standard event name written in lowercase") },
  [RULE_EVENT_NAME_UNKNOWN] = { "event-name-unknown", CAPI_SEVERITY_WARNING,
    N_("The event name is not one of Snap's standard events") },
  [RULE_EVENT_TIME_MISSING] = { "event-time-missing", CAPI_SEVERITY_ERROR,
    N_("The event has no usable event time") },
  [RULE_EVENT_TIME_MILLISECONDS] = { "event-time-milliseconds", CAPI_SEVERITY_ERROR,
    N_("The event time is in milliseconds, not seconds") },
  /* An error rather than a hint: Snap rejects such a time as out of range. */
  [RULE_EVENT_TIME_TOO_EARLY] = { "event-time-too-early", CAPI_SEVERITY_ERROR,
    N_("The event time is before 2015: seconds sent where milliseconds were expected?") },
  [RULE_EVENT_TIME_FUTURE] = { "event-time-future", CAPI_SEVERITY_ERROR,
    N_("The event time is in the future") },
  [RULE_EVENT_TIME_TOO_OLD] = { "event-time-too-old", CAPI_SEVERITY_ERROR,
    N_("The event is older than 37 days") },
  [RULE_EVENT_TIME_STALE] = { "event-time-stale", CAPI_SEVERITY_WARNING,
    N_("The event is older than 7 days") },
  [RULE_ACTION_SOURCE_MISSING] = { "action-source-missing", CAPI_SEVERITY_ERROR,
    N_("The event has no action source") },
  [RULE_ACTION_SOURCE_INVALID] = { "action-source-invalid", CAPI_SEVERITY_ERROR,
    N_("The action source is not WEB, MOBILE_APP or OFFLINE") },
  [RULE_ATS_MOBILE_UNSUPPORTED] = { "ats-mobile-unsupported", CAPI_SEVERITY_ERROR,
    N_("LiveRamp's ATS adapter takes no mobile app events") },
  [RULE_EVENT_ID_MISPLACED] = { "event-id-misplaced", CAPI_SEVERITY_ERROR,
    N_("The dedup id sits inside custom_data instead of the event") },
  [RULE_EVENT_ID_MISSING] = { "event-id-missing", CAPI_SEVERITY_WARNING,
    N_("The event has no event_id, so it cannot be deduplicated") },
  [RULE_EVENT_SOURCE_URL_MISSING] = { "event-source-url-missing", CAPI_SEVERITY_ERROR,
    N_("A web event has no event_source_url") },
  [RULE_IDENTIFIERS_INSUFFICIENT] = { "identifiers-insufficient", CAPI_SEVERITY_ERROR,
    N_("Too few identifiers to match the event to a user") },
  [RULE_PII_UNHASHED] = { "pii-unhashed", CAPI_SEVERITY_ERROR,
    N_("A key that must be hashed holds a raw value") },
  [RULE_HASH_UPPERCASE] = { "hash-uppercase", CAPI_SEVERITY_WARNING,
    N_("A SHA-256 hash written in uppercase") },
  [RULE_IP_HASHED] = { "ip-hashed", CAPI_SEVERITY_ERROR,
    N_("The IP address is hashed; v3 takes it as is") },
  [RULE_ATS_MIXED_SESSIONS] = { "ats-mixed-sessions", CAPI_SEVERITY_ERROR,
    N_("One ATS request mixes events of different users or sessions") },
  [RULE_PURCHASE_VALUE_MISSING] = { "purchase-value-missing", CAPI_SEVERITY_ERROR,
    N_("A PURCHASE has no value") },
  [RULE_PURCHASE_CURRENCY_MISSING] = { "purchase-currency-missing", CAPI_SEVERITY_ERROR,
    N_("A PURCHASE has no currency") },
  [RULE_CURRENCY_INVALID] = { "currency-invalid", CAPI_SEVERITY_ERROR,
    N_("The currency is not an ISO 4217 code") },
  [RULE_VALUE_NOT_NUMBER] = { "value-not-number", CAPI_SEVERITY_WARNING,
    N_("The value is not a JSON number") },
  [RULE_PURCHASE_ORDER_ID_MISSING] = { "purchase-order-id-missing", CAPI_SEVERITY_WARNING,
    N_("A PURCHASE has no order_id (the transaction id)") },
  [RULE_APP_DATA_MISSING] = { "app-data-missing", CAPI_SEVERITY_ERROR,
    N_("A MOBILE_APP event has no app_data") },
  [RULE_EXTINFO_INVALID] = { "extinfo-invalid", CAPI_SEVERITY_ERROR,
    N_("app_data.extinfo is not 16 strings starting with a2 or i2") },
  [N_RULES] = { NULL, 0, NULL },
};

static const char * const standard_event_names[] = {
  "PAGE_VIEW", "VIEW_CONTENT", "ADD_CART", "ADD_TO_WISHLIST", "SIGN_UP", "SEARCH", "PURCHASE",
  "ADD_BILLING", "START_CHECKOUT", "SAVE", "LOGIN", "LIST_VIEW", "SUBSCRIBE",
  "ACHIEVEMENT_UNLOCKED", "START_TRIAL", "RATE", "INVITE", "COMPLETE_TUTORIAL", "AD_CLICK",
  "AD_VIEW", "SHARE", "RESERVE", "LEVEL_COMPLETE", "SPENT_CREDITS", "APP_INSTALL", "APP_OPEN",
  "CUSTOM_EVENT_1", "CUSTOM_EVENT_2", "CUSTOM_EVENT_3", "CUSTOM_EVENT_4", "CUSTOM_EVENT_5",
  NULL
};

static const char * const action_sources[] = { "WEB", "MOBILE_APP", "OFFLINE", NULL };

/* ISO 4217 currencies in circulation (no precious metals, funds or test codes). */
static const char * const currencies[] = {
  "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
  "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
  "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
  "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
  "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
  "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
  "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
  "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
  "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
  "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
  "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU",
  "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR",
  "ZMW", "ZWG", "ZWL", NULL
};

/* The user_data keys Snap expects as SHA-256 (spec §1). */
static const char * const hashed_keys[] = {
  "em", "ph", "fn", "ln", "ge", "ct", "st", "zp", "country", "db", "external_id", NULL
};

/* Where a session's identity travels in an ATS request. */
static const char * const session_keys[] = {
  "user_data.partner_id", "user_data.sc_cookie1", "user_data.client_ip_address", NULL
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                    */

static void
report (LintContext        *ctx,
        const CapiLintRule *rule,
        int                 index,
        const char         *path,
        const char         *key,
        CapiFix             fix,
        const char         *message)
{
  CapiFinding *finding = capi_finding_new (rule->severity, rule->code, path ? path : "", message);

  capi_finding_set_event_index (finding, index);
  if (key != NULL)
    capi_finding_set_key (finding, key);
  capi_finding_set_fix (finding, fix);
  g_ptr_array_add (ctx->findings, finding);
}

/* Reports at the member @key of @event. */
static void
report_at (LintContext        *ctx,
           const CapiLintRule *rule,
           CapiEvent          *event,
           int                 index,
           const char         *key,
           int                 element,
           CapiFix             fix,
           const char         *message)
{
  g_autofree char *path = capi_event_dup_path (event, key, element);

  report (ctx, rule, index, path, key, fix, message);
}

/* The event itself as a path ("data[0]"); a single event object has none,
 * so its first member stands in. */
static char *
dup_event_path (CapiEvent  *event,
                const char *fallback_key)
{
  const char *prefix = capi_event_get_path_prefix (event);

  if (prefix != NULL && *prefix != '\0')
    return g_strdup (prefix);
  return capi_event_dup_path (event, fallback_key, -1);
}

static gboolean
has_text (CapiEvent  *event,
          const char *key)
{
  g_autofree char *text = capi_event_dup_string (event, key);

  return text != NULL && *text != '\0';
}

static gboolean
has_any_value (CapiEvent  *event,
               const char *key)
{
  g_auto(GStrv) values = capi_event_dup_strv (event, key);

  for (guint i = 0; values[i] != NULL; i++)
    if (*values[i] != '\0')
      return TRUE;
  return FALSE;
}

static gboolean
is_purchase (CapiEvent *event)
{
  g_autofree char *name = capi_event_dup_string (event, "event_name");

  return name != NULL && g_ascii_strcasecmp (name, "PURCHASE") == 0;
}

static char *
dup_action_source (CapiEvent *event)
{
  g_autofree char *source = capi_event_dup_string (event, "action_source");

  return source != NULL && *source != '\0' ? g_steal_pointer (&source) : NULL;
}

static gboolean
is_mobile_app (CapiEvent *event)
{
  g_autofree char *source = dup_action_source (event);

  return source != NULL && g_ascii_strcasecmp (source, "MOBILE_APP") == 0;
}

/* Calls @func for every string element of a user_data member, with the
 * index the source document gives it (-1 for a lone string). */
typedef void (*ValueFunc) (LintContext        *ctx,
                           const CapiLintRule *rule,
                           CapiEvent          *event,
                           int                 index,
                           const char         *key,
                           int                 element,
                           const char         *value);

static void
foreach_value (LintContext        *ctx,
               const CapiLintRule *rule,
               CapiEvent          *event,
               int                 index,
               const char         *key,
               ValueFunc           func)
{
  JsonNode *node = capi_event_get_member (event, key);

  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            func (ctx, rule, event, index, key, (int) i, json_node_get_string (element));
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      func (ctx, rule, event, index, key, -1, json_node_get_string (node));
    }
}

typedef enum
{
  TIME_ABSENT,
  TIME_UNUSABLE,
  TIME_OK,
} TimeState;

/* event_time as given: an integer (or an integral double), a numeric string
 * or an ISO 8601 string.  Nothing is converted from milliseconds here. */
static TimeState
read_event_time (CapiEvent *event,
                 gint64    *out_value)
{
  JsonNode *node = capi_event_get_member (event, "event_time");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TIME_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return TIME_UNUSABLE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out_value = json_node_get_int (node);
      return TIME_OK;

    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        /* Beyond gint64 the cast is undefined; no such time is usable. */
        if (!(d > -9.0e18 && d < 9.0e18))
          return TIME_UNUSABLE;
        *out_value = (gint64) d;
        return TIME_OK;
      }

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        g_autoptr(GDateTime) parsed = NULL;
        g_autoptr(GTimeZone) utc = NULL;
        char *end = NULL;
        gint64 value;

        while (g_ascii_isspace (*text))
          text++;
        if (*text == '\0')
          return TIME_ABSENT;

        value = g_ascii_strtoll (text, &end, 10);
        if (end != text && *end == '\0')
          {
            *out_value = value;
            return TIME_OK;
          }

        utc = g_time_zone_new_utc ();
        parsed = g_date_time_new_from_iso8601 (text, utc);
        if (parsed == NULL)
          return TIME_UNUSABLE;
        *out_value = g_date_time_to_unix (parsed);
        return TIME_OK;
      }

    default:
      return TIME_UNUSABLE;
    }
}

static gboolean
time_is_milliseconds (gint64 value)
{
  return value >= MILLISECONDS_LOW && value < MILLISECONDS_HIGH;
}

/* The event time in seconds when the time rules can judge it: present,
 * not in milliseconds (reported on its own) and not before 2015. */
static gboolean
plausible_seconds (CapiEvent *event,
                   gint64    *out_seconds)
{
  gint64 value = 0;

  if (read_event_time (event, &value) != TIME_OK)
    return FALSE;
  if (time_is_milliseconds (value) || value < EARLIEST_PLAUSIBLE_TIME)
    return FALSE;

  *out_seconds = value;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Document rules                                                             */

static char *
dup_document_path (LintContext *ctx)
{
  const char *prefix;
  const char *bracket;

  if (ctx->events->len == 0)
    return g_strdup ("");

  /* "data[0]" -> "data", "events[0]" -> "events", "[0]" -> "" (the root). */
  prefix = capi_event_get_path_prefix (g_ptr_array_index (ctx->events, 0));
  bracket = strrchr (prefix, '[');
  if (bracket == NULL)
    return g_strdup ("");
  return g_strndup (prefix, bracket - prefix);
}

static void
check_batch_too_large (LintContext        *ctx,
                       const CapiLintRule *rule)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (ctx->target != CAPI_LINT_TARGET_SNAP || ctx->events->len <= SNAP_MAX_EVENTS)
    return;

  path = dup_document_path (ctx);
  message = g_strdup_printf (_("%u events in one request; Snap takes at most %d, split the batch"),
                             ctx->events->len, SNAP_MAX_EVENTS);
  report (ctx, rule, -1, path, NULL, CAPI_FIX_NONE, message);
}

static void
check_ats_batch_too_large (LintContext        *ctx,
                           const CapiLintRule *rule)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (ctx->target != CAPI_LINT_TARGET_ATS || ctx->events->len < ATS_MAX_EVENTS)
    return;

  path = dup_document_path (ctx);
  message = g_strdup_printf (_("%u events in one ATS request; send fewer than %d at a time"),
                             ctx->events->len, ATS_MAX_EVENTS);
  report (ctx, rule, -1, path, NULL, CAPI_FIX_NONE, message);
}

/* ------------------------------------------------------------------------ */
/* Event rules                                                                */

static void
check_event_name_missing (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  if (has_text (event, "event_name"))
    return;

  report_at (ctx, rule, event, index, "event_name", -1, CAPI_FIX_NONE,
             _("The event has no event name; Snap rejects it"));
}

static void
check_event_name_lowercase (LintContext        *ctx,
                            const CapiLintRule *rule,
                            CapiEvent          *event,
                            int                 index)
{
  g_autofree char *name = capi_event_dup_string (event, "event_name");
  g_autofree char *upper = NULL;
  g_autofree char *message = NULL;

  if (name == NULL || *name == '\0')
    return;

  upper = g_ascii_strup (name, -1);
  if (g_str_equal (upper, name) || !g_strv_contains (standard_event_names, upper))
    return;

  message = g_strdup_printf (_("“%s” is accepted with HTTP 200 but is not the standard event "
                               "“%s”, so Snap cannot optimize for it"), name, upper);
  report_at (ctx, rule, event, index, "event_name", -1, CAPI_FIX_UPPERCASE_EVENT_NAME, message);
}

static void
check_event_name_unknown (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  g_autofree char *name = capi_event_dup_string (event, "event_name");
  g_autofree char *upper = NULL;
  g_autofree char *message = NULL;

  if (name == NULL || *name == '\0')
    return;

  upper = g_ascii_strup (name, -1);
  if (g_strv_contains (standard_event_names, upper))
    return;

  message = g_strdup_printf (_("“%s” is not a standard Snap event; it is recorded but not "
                               "used for optimization (CUSTOM_EVENT_1 … 5 are)"), name);
  report_at (ctx, rule, event, index, "event_name", -1, CAPI_FIX_NONE, message);
}

static void
check_event_time_missing (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  gint64 value = 0;

  switch (read_event_time (event, &value))
    {
    case TIME_ABSENT:
      report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE,
                 _("The event has no event_time; Snap rejects it"));
      break;

    case TIME_UNUSABLE:
      report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE,
                 _("event_time is neither Unix seconds nor an ISO 8601 date"));
      break;

    case TIME_OK:
    default:
      break;
    }
}

static void
check_event_time_milliseconds (LintContext        *ctx,
                               const CapiLintRule *rule,
                               CapiEvent          *event,
                               int                 index)
{
  g_autofree char *message = NULL;
  gint64 value = 0;

  if (read_event_time (event, &value) != TIME_OK || !time_is_milliseconds (value))
    return;

  message = g_strdup_printf (_("event_time %lld has 13 digits: milliseconds? "
                               "Snap expects Unix seconds (%lld)"),
                             (long long) value, (long long) (value / 1000));
  report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_MILLISECONDS_TO_SECONDS, message);
}

static void
check_event_time_too_early (LintContext        *ctx,
                            const CapiLintRule *rule,
                            CapiEvent          *event,
                            int                 index)
{
  g_autofree char *message = NULL;
  gint64 value = 0;

  if (read_event_time (event, &value) != TIME_OK || value >= EARLIEST_PLAUSIBLE_TIME)
    return;

  message = g_strdup_printf (_("event_time %lld is before 2015: seconds sent "
                               "where milliseconds were expected, or a unit lost on the way?"),
                             (long long) value);
  report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE, message);
}

static void
check_event_time_future (LintContext        *ctx,
                         const CapiLintRule *rule,
                         CapiEvent          *event,
                         int                 index)
{
  g_autofree char *message = NULL;
  gint64 seconds = 0;

  if (!plausible_seconds (event, &seconds) || seconds <= ctx->now + MAX_CLOCK_SKEW)
    return;

  message = g_strdup_printf (_("event_time is %lld seconds in the future; "
                               "Snap rejects it"), (long long) (seconds - ctx->now));
  report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE, message);
}

static void
check_event_time_too_old (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  g_autofree char *message = NULL;
  gint64 seconds = 0;

  if (!plausible_seconds (event, &seconds) || ctx->now - seconds <= MAX_AGE_REPORTABLE)
    return;

  message = g_strdup_printf (_("The event is %lld days old; Snap does not "
                               "report events older than 37 days"),
                             (long long) ((ctx->now - seconds) / SECONDS_PER_DAY));
  report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE, message);
}

static void
check_event_time_stale (LintContext        *ctx,
                        const CapiLintRule *rule,
                        CapiEvent          *event,
                        int                 index)
{
  g_autofree char *message = NULL;
  gint64 seconds = 0;
  gint64 age;

  if (!plausible_seconds (event, &seconds))
    return;

  /* Past 37 days event-time-too-old says it louder. */
  age = ctx->now - seconds;
  if (age <= MAX_AGE_FRESH || age > MAX_AGE_REPORTABLE)
    return;

  message = g_strdup_printf (_("The event is %lld days old; some partners "
                               "reject events older than 7 days"), (long long) (age / SECONDS_PER_DAY));
  report_at (ctx, rule, event, index, "event_time", -1, CAPI_FIX_NONE, message);
}

static void
check_action_source_missing (LintContext        *ctx,
                             const CapiLintRule *rule,
                             CapiEvent          *event,
                             int                 index)
{
  g_autofree char *source = NULL;

  /* An ATS body carries no action source: the adapter only takes web events. */
  if (ctx->target == CAPI_LINT_TARGET_ATS)
    return;

  source = dup_action_source (event);
  if (source != NULL)
    return;

  report_at (ctx, rule, event, index, "action_source", -1, CAPI_FIX_NONE,
             _("The event has no action_source (WEB, MOBILE_APP or OFFLINE)"));
}

static void
check_action_source_invalid (LintContext        *ctx,
                             const CapiLintRule *rule,
                             CapiEvent          *event,
                             int                 index)
{
  g_autofree char *source = dup_action_source (event);
  g_autofree char *upper = NULL;
  g_autofree char *message = NULL;

  if (source == NULL || g_strv_contains (action_sources, source))
    return;

  upper = g_ascii_strup (source, -1);
  message = g_strdup_printf (_("“%s” is not an action source Snap accepts; use WEB, "
                               "MOBILE_APP or OFFLINE"), source);
  report_at (ctx, rule, event, index, "action_source", -1,
             g_strv_contains (action_sources, upper) ? CAPI_FIX_UPPERCASE_ACTION_SOURCE
                                                     : CAPI_FIX_NONE,
             message);
}

static void
check_ats_mobile_unsupported (LintContext        *ctx,
                              const CapiLintRule *rule,
                              CapiEvent          *event,
                              int                 index)
{
  if (ctx->target != CAPI_LINT_TARGET_ATS)
    return;

  if (is_mobile_app (event))
    report_at (ctx, rule, event, index, "action_source", -1, CAPI_FIX_NONE,
               _("LiveRamp's ATS adapter takes web events only; send app events to Snap directly"));
  else if (capi_event_has_member (event, "app_data"))
    report_at (ctx, rule, event, index, "app_data", -1, CAPI_FIX_NONE,
               _("LiveRamp's ATS adapter takes web events only; this event carries app_data"));
}

static void
check_event_id_misplaced (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  static const char * const misplaced[] = {
    "custom_data.event_id", "custom_data.client_dedup_id", NULL
  };

  for (guint i = 0; misplaced[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (!capi_event_has_member (event, misplaced[i]))
        continue;

      message = g_strdup_printf (_("%s inside custom_data is never used for deduplication; "
                                   "it belongs at the event level as event_id"),
                                 misplaced[i] + strlen ("custom_data."));
      report_at (ctx, rule, event, index, misplaced[i], -1, CAPI_FIX_MOVE_EVENT_ID, message);
    }
}

static void
check_event_id_missing (LintContext        *ctx,
                        const CapiLintRule *rule,
                        CapiEvent          *event,
                        int                 index)
{
  if (has_text (event, "event_id"))
    return;
  /* event-id-misplaced already points at the id and can move it. */
  if (capi_event_has_member (event, "custom_data.event_id") ||
      capi_event_has_member (event, "custom_data.client_dedup_id"))
    return;

  report_at (ctx, rule, event, index, "event_id", -1, CAPI_FIX_NONE,
             _("No event_id: if the pixel fires this conversion too, it is counted twice"));
}

static void
check_event_source_url_missing (LintContext        *ctx,
                                const CapiLintRule *rule,
                                CapiEvent          *event,
                                int                 index)
{
  g_autofree char *source = dup_action_source (event);
  gboolean web;

  /* Every event of the ATS adapter is a web event. */
  if (ctx->target == CAPI_LINT_TARGET_ATS)
    web = source == NULL || g_ascii_strcasecmp (source, "WEB") == 0;
  else
    web = source != NULL && g_ascii_strcasecmp (source, "WEB") == 0;

  if (!web || has_text (event, "event_source_url"))
    return;

  report_at (ctx, rule, event, index, "event_source_url", -1, CAPI_FIX_NONE,
             _("A web event needs event_source_url, the page where it happened"));
}

static void
check_identifiers_insufficient (LintContext        *ctx,
                                const CapiLintRule *rule,
                                CapiEvent          *event,
                                int                 index)
{
  g_autofree char *path = NULL;

  if (has_any_value (event, "user_data.em") ||
      has_any_value (event, "user_data.ph") ||
      has_any_value (event, "user_data.madid") ||
      has_any_value (event, "user_data.mobile_ad_id") ||
      (has_any_value (event, "user_data.client_ip_address") &&
       has_any_value (event, "user_data.client_user_agent")))
    return;

  /* LiveRamp resolves the user from the ATS envelope or the _scid cookie. */
  if (ctx->target == CAPI_LINT_TARGET_ATS &&
      (has_any_value (event, "user_data.partner_id") ||
       has_any_value (event, "user_data.sc_cookie1")))
    return;

  if (capi_event_has_member (event, "user_data"))
    path = capi_event_dup_path (event, "user_data", -1);
  else
    path = dup_event_path (event, "user_data");

  report (ctx, rule, index, path, "user_data", CAPI_FIX_NONE,
          ctx->target == CAPI_LINT_TARGET_ATS
          ? _("Insufficient identifiers: give partner_id (the ATS envelope), sc_cookie1, em, ph, "
              "or both client_ip_address and client_user_agent")
          : _("Insufficient identifiers: give em, ph or madid, or both client_ip_address and "
              "client_user_agent; Snap answers “insufficient PII”"));
}

static void
pii_unhashed_cb (LintContext        *ctx,
                 const CapiLintRule *rule,
                 CapiEvent          *event,
                 int                 index,
                 const char         *key,
                 int                 element,
                 const char         *value)
{
  g_autofree char *message = NULL;
  const char *leaf = key + strlen ("user_data.");

  if (*value == '\0' || capi_hash_is_sha256 (value))
    return;

  /* The message never repeats the value: it is personal data. */
  if (strchr (value, '@') != NULL)
    message = g_strdup_printf (_("%s holds a raw e-mail address, not its SHA-256; Snap accepts it "
                                 "and never matches it"), leaf);
  else
    message = g_strdup_printf (_("%s holds a value that is not a SHA-256 hash (64 hex digits); "
                                 "Snap accepts it and never matches it"), leaf);
  report_at (ctx, rule, event, index, key, element, CAPI_FIX_NONE, message);
}

static void
check_pii_unhashed (LintContext        *ctx,
                    const CapiLintRule *rule,
                    CapiEvent          *event,
                    int                 index)
{
  for (guint i = 0; hashed_keys[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("user_data.", hashed_keys[i], NULL);

      foreach_value (ctx, rule, event, index, key, pii_unhashed_cb);
    }
}

static void
hash_uppercase_cb (LintContext        *ctx,
                   const CapiLintRule *rule,
                   CapiEvent          *event,
                   int                 index,
                   const char         *key,
                   int                 element,
                   const char         *value)
{
  g_autofree char *message = NULL;

  if (!capi_hash_has_uppercase (value))
    return;

  message = g_strdup_printf (_("The %s hash has uppercase letters; Snap matches lowercase hex"),
                             key + strlen ("user_data."));
  report_at (ctx, rule, event, index, key, element, CAPI_FIX_LOWERCASE_HASH, message);
}

static void
check_hash_uppercase (LintContext        *ctx,
                      const CapiLintRule *rule,
                      CapiEvent          *event,
                      int                 index)
{
  for (guint i = 0; hashed_keys[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("user_data.", hashed_keys[i], NULL);

      foreach_value (ctx, rule, event, index, key, hash_uppercase_cb);
    }
}

/* MD5, SHA-1 and SHA-256 in hex: what a hashed IP address looks like. */
static gboolean
looks_like_hash (const char *value)
{
  gsize len = strlen (value);

  if (len != 32 && len != 40 && len != 64)
    return FALSE;
  return strspn (value, "0123456789abcdefABCDEF") == len;
}

static void
ip_hashed_cb (LintContext        *ctx,
              const CapiLintRule *rule,
              CapiEvent          *event,
              int                 index,
              const char         *key,
              int                 element,
              const char         *value)
{
  if (!looks_like_hash (value))
    return;

  report_at (ctx, rule, event, index, key, element, CAPI_FIX_NONE,
             _("client_ip_address looks hashed; v3 takes the plain address (v2 hashed it) "
               "and rejects an invalid hashed IP"));
}

static void
check_ip_hashed (LintContext        *ctx,
                 const CapiLintRule *rule,
                 CapiEvent          *event,
                 int                 index)
{
  foreach_value (ctx, rule, event, index, "user_data.client_ip_address", ip_hashed_cb);
}

static char *
dup_joined_values (CapiEvent  *event,
                   const char *key)
{
  g_auto(GStrv) values = capi_event_dup_strv (event, key);

  if (values[0] == NULL || (values[1] == NULL && *values[0] == '\0'))
    return NULL;
  return g_strjoinv ("\n", values);
}

static void
check_ats_mixed_sessions (LintContext        *ctx,
                          const CapiLintRule *rule,
                          CapiEvent          *event,
                          int                 index)
{
  CapiEvent *first;

  if (ctx->target != CAPI_LINT_TARGET_ATS || index == 0 || ctx->events->len < 2)
    return;

  /* Each event is compared with the first one of the request; a key only
   * counts when both events carry it. */
  first = g_ptr_array_index (ctx->events, 0);
  for (guint i = 0; session_keys[i] != NULL; i++)
    {
      g_autofree char *mine = dup_joined_values (event, session_keys[i]);
      g_autofree char *theirs = dup_joined_values (first, session_keys[i]);
      g_autofree char *message = NULL;

      if (mine == NULL || theirs == NULL || g_str_equal (mine, theirs))
        continue;

      message = g_strdup_printf (_("%s differs from the first event's: all events of one ATS "
                                   "request must belong to one user session"),
                                 session_keys[i] + strlen ("user_data."));
      report_at (ctx, rule, event, index, session_keys[i], -1, CAPI_FIX_NONE, message);
      return;
    }
}

static gboolean
has_value_member (CapiEvent  *event,
                  const char *key)
{
  JsonNode *node = capi_event_get_member (event, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return *json_node_get_string (node) != '\0';
  return TRUE;
}

static void
check_purchase_value_missing (LintContext        *ctx,
                              const CapiLintRule *rule,
                              CapiEvent          *event,
                              int                 index)
{
  if (!is_purchase (event) || has_value_member (event, "custom_data.value"))
    return;

  report_at (ctx, rule, event, index, "custom_data.value", -1, CAPI_FIX_NONE,
             _("A PURCHASE without value is rejected by Snap"));
}

static void
check_purchase_currency_missing (LintContext        *ctx,
                                 const CapiLintRule *rule,
                                 CapiEvent          *event,
                                 int                 index)
{
  if (!is_purchase (event) || has_value_member (event, "custom_data.currency"))
    return;

  report_at (ctx, rule, event, index, "custom_data.currency", -1, CAPI_FIX_NONE,
             _("A PURCHASE without currency is rejected by Snap"));
}

static void
check_currency_invalid (LintContext        *ctx,
                        const CapiLintRule *rule,
                        CapiEvent          *event,
                        int                 index)
{
  JsonNode *node = capi_event_get_member (event, "custom_data.currency");
  g_autofree char *message = NULL;
  const char *code;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      report_at (ctx, rule, event, index, "custom_data.currency", -1, CAPI_FIX_NONE,
                 _("currency must be a string such as “USD”"));
      return;
    }

  code = json_node_get_string (node);
  if (*code == '\0' || g_strv_contains (currencies, code))
    return;

  message = g_strdup_printf (_("“%s” is not an ISO 4217 currency code (three uppercase letters "
                               "such as USD or EUR)"), code);
  report_at (ctx, rule, event, index, "custom_data.currency", -1, CAPI_FIX_NONE, message);
}

static void
check_value_not_number (LintContext        *ctx,
                        const CapiLintRule *rule,
                        CapiEvent          *event,
                        int                 index)
{
  JsonNode *node = capi_event_get_member (event, "custom_data.value");
  GType type;

  /* ATS sends custom_data as key/value pairs whose values are text. */
  if (ctx->target == CAPI_LINT_TARGET_ATS || ctx->format == CAPI_EVENT_FORMAT_ATS)
    return;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    return;

  report_at (ctx, rule, event, index, "custom_data.value", -1, CAPI_FIX_NONE,
             _("value should be a JSON number (9.99), not text or another type"));
}

static void
check_purchase_order_id_missing (LintContext        *ctx,
                                 const CapiLintRule *rule,
                                 CapiEvent          *event,
                                 int                 index)
{
  if (!is_purchase (event) || has_value_member (event, "custom_data.order_id"))
    return;

  report_at (ctx, rule, event, index, "custom_data.order_id", -1, CAPI_FIX_NONE,
             _("A PURCHASE without order_id cannot be deduplicated by transaction id"));
}

static void
check_app_data_missing (LintContext        *ctx,
                        const CapiLintRule *rule,
                        CapiEvent          *event,
                        int                 index)
{
  JsonNode *node;

  if (ctx->target != CAPI_LINT_TARGET_SNAP || !is_mobile_app (event))
    return;

  node = capi_event_get_member (event, "app_data");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_get_size (json_node_get_object (node)) > 0)
    return;

  report_at (ctx, rule, event, index, "app_data", -1, CAPI_FIX_NONE,
             _("A MOBILE_APP event needs app_data (app_id, extinfo, advertiser_tracking_enabled)"));
}

static void
check_extinfo_invalid (LintContext        *ctx,
                       const CapiLintRule *rule,
                       CapiEvent          *event,
                       int                 index)
{
  JsonNode *node = capi_event_get_member (event, "app_data.extinfo");
  JsonArray *array;
  const char *kind;
  guint length;

  if (node == NULL)
    return;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      report_at (ctx, rule, event, index, "app_data.extinfo", -1, CAPI_FIX_NONE,
                 _("extinfo must be an array of 16 strings"));
      return;
    }

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length != 16)
    {
      g_autofree char *message =
        g_strdup_printf (_("extinfo has %u elements; Snap expects 16"), length);

      report_at (ctx, rule, event, index, "app_data.extinfo", -1, CAPI_FIX_NONE, message);
      return;
    }

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *message =
            g_strdup_printf (_("extinfo element %u is not a string"), i);

          report_at (ctx, rule, event, index, "app_data.extinfo", (int) i, CAPI_FIX_NONE, message);
          return;
        }
    }

  kind = json_array_get_string_element (array, 0);
  if (g_strcmp0 (kind, "a2") != 0 && g_strcmp0 (kind, "i2") != 0)
    report_at (ctx, rule, event, index, "app_data.extinfo", 0, CAPI_FIX_NONE,
               _("extinfo must start with “a2” (Android) or “i2” (iOS)"));
}

static const DocumentCheck document_checks[N_RULES] = {
  [RULE_BATCH_TOO_LARGE] = check_batch_too_large,
  [RULE_ATS_BATCH_TOO_LARGE] = check_ats_batch_too_large,
};

static const EventCheck event_checks[N_RULES] = {
  [RULE_EVENT_NAME_MISSING] = check_event_name_missing,
  [RULE_EVENT_NAME_LOWERCASE] = check_event_name_lowercase,
  [RULE_EVENT_NAME_UNKNOWN] = check_event_name_unknown,
  [RULE_EVENT_TIME_MISSING] = check_event_time_missing,
  [RULE_EVENT_TIME_MILLISECONDS] = check_event_time_milliseconds,
  [RULE_EVENT_TIME_TOO_EARLY] = check_event_time_too_early,
  [RULE_EVENT_TIME_FUTURE] = check_event_time_future,
  [RULE_EVENT_TIME_TOO_OLD] = check_event_time_too_old,
  [RULE_EVENT_TIME_STALE] = check_event_time_stale,
  [RULE_ACTION_SOURCE_MISSING] = check_action_source_missing,
  [RULE_ACTION_SOURCE_INVALID] = check_action_source_invalid,
  [RULE_ATS_MOBILE_UNSUPPORTED] = check_ats_mobile_unsupported,
  [RULE_EVENT_ID_MISPLACED] = check_event_id_misplaced,
  [RULE_EVENT_ID_MISSING] = check_event_id_missing,
  [RULE_EVENT_SOURCE_URL_MISSING] = check_event_source_url_missing,
  [RULE_IDENTIFIERS_INSUFFICIENT] = check_identifiers_insufficient,
  [RULE_PII_UNHASHED] = check_pii_unhashed,
  [RULE_HASH_UPPERCASE] = check_hash_uppercase,
  [RULE_IP_HASHED] = check_ip_hashed,
  [RULE_ATS_MIXED_SESSIONS] = check_ats_mixed_sessions,
  [RULE_PURCHASE_VALUE_MISSING] = check_purchase_value_missing,
  [RULE_PURCHASE_CURRENCY_MISSING] = check_purchase_currency_missing,
  [RULE_CURRENCY_INVALID] = check_currency_invalid,
  [RULE_VALUE_NOT_NUMBER] = check_value_not_number,
  [RULE_PURCHASE_ORDER_ID_MISSING] = check_purchase_order_id_missing,
  [RULE_APP_DATA_MISSING] = check_app_data_missing,
  [RULE_EXTINFO_INVALID] = check_extinfo_invalid,
};

/* ------------------------------------------------------------------------ */
/* Public API                                                                 */

const CapiLintRule *
capi_lint_get_rules (void)
{
  return rules;
}

/**
 * capi_lint_run:
 *
 * Whole-document findings (event index -1) come first, then each event's
 * in rule-table order, so the output is stable for the same input.
 */
GPtrArray *
capi_lint_run (GPtrArray       *events,
               CapiEventFormat  format,
               CapiLintTarget   target,
               gint64           now)
{
  LintContext ctx = { 0 };

  g_return_val_if_fail (events != NULL, NULL);

  ctx.events = events;
  ctx.findings = g_ptr_array_new_with_free_func (g_object_unref);
  ctx.format = format;
  ctx.target = target;
  ctx.now = now;

  for (guint r = 0; r < N_RULES; r++)
    if (document_checks[r] != NULL)
      document_checks[r] (&ctx, &rules[r]);

  for (guint i = 0; i < events->len; i++)
    {
      CapiEvent *event = g_ptr_array_index (events, i);

      g_return_val_if_fail (CAPI_IS_EVENT (event), ctx.findings);

      for (guint r = 0; r < N_RULES; r++)
        if (event_checks[r] != NULL)
          event_checks[r] (&ctx, &rules[r], event, (int) i);
    }

  return ctx.findings;
}

guint
capi_lint_count (GPtrArray    *findings,
                 CapiSeverity  severity)
{
  guint count = 0;

  g_return_val_if_fail (findings != NULL, 0);

  for (guint i = 0; i < findings->len; i++)
    if (capi_finding_get_severity (g_ptr_array_index (findings, i)) == severity)
      count++;

  return count;
}

static gboolean
fix_event_name (CapiEvent *event)
{
  g_autofree char *name = capi_event_dup_string (event, "event_name");
  g_autofree char *upper = NULL;

  if (name == NULL)
    return FALSE;

  upper = g_ascii_strup (name, -1);
  if (g_str_equal (upper, name))
    return FALSE;

  capi_event_set_string (event, "event_name", upper);
  return TRUE;
}

static gboolean
fix_milliseconds (CapiEvent *event)
{
  g_autoptr(JsonNode) node = NULL;
  gint64 value = 0;

  if (read_event_time (event, &value) != TIME_OK || !time_is_milliseconds (value))
    return FALSE;

  node = json_node_init_int (json_node_alloc (), value / 1000);
  capi_event_set_member (event, "event_time", node);
  return TRUE;
}

static gboolean
fix_move_event_id (CapiEvent  *event,
                   const char *key)
{
  g_autofree char *misplaced = NULL;
  g_autofree char *current = NULL;

  if (key == NULL || !g_str_has_prefix (key, "custom_data."))
    return FALSE;

  misplaced = capi_event_dup_string (event, key);
  if (misplaced == NULL || *misplaced == '\0')
    return FALSE;

  /* Never overwrite a different id that is already in the right place. */
  current = capi_event_dup_string (event, "event_id");
  if (current != NULL && *current != '\0' && !g_str_equal (current, misplaced))
    return FALSE;

  capi_event_set_string (event, "event_id", misplaced);
  capi_event_remove_member (event, key);
  return TRUE;
}

static gboolean
fix_lowercase_hash (CapiEvent  *event,
                    const char *key)
{
  JsonNode *node;

  if (key == NULL)
    return FALSE;

  node = capi_event_get_member (event, key);
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *value = json_node_get_string (node);
      g_autofree char *lower = NULL;

      if (!capi_hash_has_uppercase (value))
        return FALSE;
      lower = g_ascii_strdown (value, -1);
      capi_event_set_string (event, key, lower);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) lowered = json_array_new ();
      g_autoptr(JsonNode) replacement = NULL;
      gboolean changed = FALSE;

      /* The event's nodes may be sealed: build a new array. */
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              capi_hash_has_uppercase (json_node_get_string (element)))
            {
              g_autofree char *lower = g_ascii_strdown (json_node_get_string (element), -1);

              json_array_add_string_element (lowered, lower);
              changed = TRUE;
            }
          else
            json_array_add_element (lowered, json_node_copy (element));
        }

      if (!changed)
        return FALSE;

      replacement = json_node_init_array (json_node_alloc (), lowered);
      capi_event_set_member (event, key, replacement);
      return TRUE;
    }

  return FALSE;
}

static gboolean
fix_action_source (CapiEvent *event)
{
  g_autofree char *source = dup_action_source (event);
  g_autofree char *upper = NULL;

  if (source == NULL)
    return FALSE;

  upper = g_ascii_strup (source, -1);
  if (g_str_equal (upper, source) || !g_strv_contains (action_sources, upper))
    return FALSE;

  capi_event_set_string (event, "action_source", upper);
  return TRUE;
}

gboolean
capi_lint_apply_fix (CapiEvent   *event,
                     CapiFinding *finding)
{
  g_return_val_if_fail (CAPI_IS_EVENT (event), FALSE);
  g_return_val_if_fail (CAPI_IS_FINDING (finding), FALSE);

  switch (capi_finding_get_fix (finding))
    {
    case CAPI_FIX_UPPERCASE_EVENT_NAME:
      return fix_event_name (event);

    case CAPI_FIX_MILLISECONDS_TO_SECONDS:
      return fix_milliseconds (event);

    case CAPI_FIX_MOVE_EVENT_ID:
      return fix_move_event_id (event, capi_finding_get_key (finding));

    case CAPI_FIX_LOWERCASE_HASH:
      return fix_lowercase_hash (event, capi_finding_get_key (finding));

    case CAPI_FIX_UPPERCASE_ACTION_SOURCE:
      return fix_action_source (event);

    case CAPI_FIX_NONE:
    default:
      return FALSE;
    }
}
