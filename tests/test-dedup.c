/* test-dedup.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-dedup.h"
#include "capi-import.h"

#define PA "11111111-2222-4333-8444-555555555555"
#define PB "99999999-8888-4777-8666-555555555555"
#define T0 G_GINT64_CONSTANT (1795168800)   /* 2026-11-20T10:00:00Z */
#define H  G_GINT64_CONSTANT (3600)
#define D  G_GINT64_CONSTANT (86400)
#define NO_TIME CAPI_CONVERSION_TIME_UNKNOWN

typedef struct
{
  CapiDedup *dedup;
  GPtrArray *pixel;
  GPtrArray *capi;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dedup = capi_dedup_new ();
  f->pixel = g_ptr_array_new_with_free_func (g_object_unref);
  f->capi = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->dedup);
  g_clear_pointer (&f->pixel, g_ptr_array_unref);
  g_clear_pointer (&f->capi, g_ptr_array_unref);
}

static void
px (Fixture    *f,
    const char *pixel,
    const char *event,
    const char *id,
    const char *txn,
    gint64      t)
{
  g_ptr_array_add (f->pixel, capi_conversion_new (CAPI_CONVERSION_SIDE_PIXEL, pixel, event, id, txn, t));
}

static void
cp (Fixture    *f,
    const char *pixel,
    const char *event,
    const char *id,
    const char *txn,
    gint64      t)
{
  g_ptr_array_add (f->capi, capi_conversion_new (CAPI_CONVERSION_SIDE_CAPI, pixel, event, id, txn, t));
}

static CapiDedupReport *
run (Fixture *f)
{
  return capi_dedup_compare (f->dedup, f->pixel, f->capi);
}

/* The only row, checked for class and reason. */
static CapiDedupRow *
only_row (CapiDedupReport                *report,
          CapiDedupClassification         klass,
          CapiDedupReason                 reason)
{
  CapiDedupRow *row;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (report)), ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (report), 0);
  g_assert_cmpstr (capi_dedup_class_to_string (capi_dedup_row_get_class (row)), ==,
                   capi_dedup_class_to_string (klass));
  g_assert_cmpstr (capi_dedup_reason_to_string (capi_dedup_row_get_reason (row)), ==,
                   capi_dedup_reason_to_string (reason));
  return row;
}

static void
test_dedup_new_destroy (void)
{
  CapiDedup *dedup = capi_dedup_new ();
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  CapiDedupReport *report = capi_dedup_compare (dedup, none, none);
  CapiConversion *p = capi_conversion_new (CAPI_CONVERSION_SIDE_PIXEL, PA, "PURCHASE", "x", NULL, T0);
  CapiDedupRow *row = capi_dedup_row_new (CAPI_DEDUP_CLASS_PIXEL_ONLY, CAPI_DEDUP_REASON_NONE,
                                          p, NULL, 1);

  g_assert_cmpint (capi_dedup_get_window (dedup), ==, 48 * H);
  g_assert_cmpint (capi_dedup_get_purchase_window (dedup), ==, 30 * D);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (report)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (report)) == CAPI_TYPE_DEDUP_ROW);
  g_assert_true (capi_dedup_row_get_pixel (row) == p);
  g_assert_null (capi_dedup_row_get_capi (row));
  g_object_unref (p);

  g_assert_finalize_object (row);
  g_assert_finalize_object (report);
  g_assert_finalize_object (dedup);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_dedup_properties (void)
{
  g_autoptr(CapiDedup) dedup = capi_dedup_new ();
  guint count = 0;

  g_signal_connect (dedup, "notify", G_CALLBACK (notify_cb), &count);
  capi_dedup_set_window (dedup, 24 * H);
  capi_dedup_set_window (dedup, 24 * H);
  capi_dedup_set_purchase_window (dedup, 7 * D);
  capi_dedup_set_capi_pixel_id (dedup, PA);
  capi_dedup_set_capi_pixel_id (dedup, PA);
  capi_dedup_set_capi_pixel_id (dedup, "");
  g_assert_cmpuint (count, ==, 4);
  g_assert_null (capi_dedup_get_capi_pixel_id (dedup));
}

static void
test_dedup_deduplicated (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(CapiDedupRow) row = NULL;
  const CapiDedupSummary *s;
  gint64 delta = 0;
  g_autofree char *why = NULL;

  px (f, PA, "PURCHASE", "ord-1-p", "ord-1", T0);
  cp (f, PA, "PURCHASE", "ord-1-p", "ord-1", T0 + 90);
  report = run (f);
  row = only_row (report, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE);
  g_assert_true (capi_dedup_row_get_delta (row, &delta));
  g_assert_cmpint (delta, ==, 90);
  g_assert_cmpuint (capi_dedup_row_get_counted (row), ==, 1);
  g_assert_cmpstr (capi_dedup_row_get_dedup_id (row), ==, "ord-1-p");
  g_assert_cmpstr (capi_dedup_row_get_transaction_id (row), ==, "ord-1");
  g_assert_false (capi_dedup_row_get_time_unknown (row));
  why = capi_dedup_row_dup_explanation (row);
  g_assert_nonnull (strstr (why, "once"));

  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->pixel_events, ==, 1);
  g_assert_cmpuint (s->capi_events, ==, 1);
  g_assert_cmpuint (s->deduplicated, ==, 1);
  g_assert_cmpuint (s->counted_by_snap, ==, 1);
  g_assert_cmpuint (s->double_counted, ==, 0);
  g_assert_cmpfloat (s->match_rate, ==, 1.0);
  g_assert_cmpint (capi_dedup_report_get_row_class (report, 0), ==, CAPI_DEDUP_CLASS_DEDUPLICATED);
}

static void
test_dedup_only (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  const CapiDedupSummary *s;

  px (f, PA, "PAGE_VIEW", "pv-1", NULL, T0);
  cp (f, PA, "SEARCH", "s-1", NULL, T0);
  report = run (f);
  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->pixel_only, ==, 1);
  g_assert_cmpuint (s->capi_only, ==, 1);
  g_assert_cmpuint (s->counted_by_snap, ==, 2);
  g_assert_cmpfloat (s->match_rate, ==, 0.0);
}

typedef struct
{
  const char      *name;
  const char      *p_pixel, *p_event, *p_id;
  gint64           p_time;
  const char      *c_pixel, *c_event, *c_id;
  gint64           c_time;
  CapiDedupReason  reason;
} ReasonCase;

static const ReasonCase reason_cases[] = {
  { "id-missing-on-capi", PA, "PURCHASE", "o-1", T0, PA, "PURCHASE", NULL, T0 + 60,
    CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI },
  { "id-missing-on-pixel", PA, "SIGN_UP", NULL, T0, PA, "SIGN_UP", "su-1", T0 + 60,
    CAPI_DEDUP_REASON_ID_MISSING_ON_PIXEL },
  { "event-name-mismatch", PA, "ADD_CART", "x-1", T0, PA, "PAGE_VIEW", "x-1", T0 + 5,
    CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH },
  { "case-mismatch", PA, "PURCHASE", "x-2", T0, PA, "purchase", "x-2", T0 + 5,
    CAPI_DEDUP_REASON_CASE_MISMATCH },
  { "pixel-mismatch", PB, "LOGIN", "x-3", T0, PA, "LOGIN", "x-3", T0 + 5,
    CAPI_DEDUP_REASON_PIXEL_MISMATCH },
  { "outside-window", PA, "ADD_BILLING", "x-4", T0, PA, "ADD_BILLING", "x-4", T0 + 48 * H + 1,
    CAPI_DEDUP_REASON_OUTSIDE_WINDOW },
};

static void
test_dedup_reasons (Fixture       *f,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_cases); i++)
    {
      const ReasonCase *rc = &reason_cases[i];
      g_autoptr(CapiDedupReport) report = NULL;
      g_autoptr(CapiDedupRow) row = NULL;
      g_autofree char *why = NULL;
      const CapiDedupSummary *s;

      g_test_message ("case %s", rc->name);
      g_ptr_array_set_size (f->pixel, 0);
      g_ptr_array_set_size (f->capi, 0);
      px (f, rc->p_pixel, rc->p_event, rc->p_id, NULL, rc->p_time);
      cp (f, rc->c_pixel, rc->c_event, rc->c_id, NULL, rc->c_time);
      report = run (f);
      row = only_row (report, CAPI_DEDUP_CLASS_DOUBLE_COUNTED, rc->reason);
      g_assert_cmpstr (capi_dedup_reason_to_string (rc->reason), ==, rc->name);
      g_assert_cmpuint (capi_dedup_row_get_counted (row), ==, 2);
      g_assert_nonnull (capi_dedup_row_get_pixel (row));
      g_assert_nonnull (capi_dedup_row_get_capi (row));
      why = capi_dedup_row_dup_explanation (row);
      g_assert_nonnull (strstr (why, "twice"));

      s = capi_dedup_report_get_summary (report);
      g_assert_cmpuint (s->double_counted, ==, 1);
      g_assert_cmpuint (s->reasons[rc->reason], ==, 1);
      g_assert_cmpuint (s->counted_by_snap, ==, 2);
    }
}

static void
test_dedup_window_edge (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CapiDedupReport) exact = NULL;
  g_autoptr(CapiDedupReport) shorter = NULL;
  g_autoptr(CapiDedupRow) row = NULL;
  g_autoptr(CapiDedupRow) row2 = NULL;

  /* Exactly 48 hours apart, server first: still inside the window. */
  px (f, PA, "PAGE_VIEW", "pv-1", NULL, T0 + 48 * H);
  cp (f, PA, "PAGE_VIEW", "pv-1", NULL, T0);
  exact = run (f);
  row = only_row (exact, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE);

  /* The window is configurable. */
  capi_dedup_set_window (f->dedup, 24 * H);
  shorter = run (f);
  row2 = only_row (shorter, CAPI_DEDUP_CLASS_DOUBLE_COUNTED, CAPI_DEDUP_REASON_OUTSIDE_WINDOW);
  g_assert_cmpint (capi_dedup_report_get_window (shorter), ==, 24 * H);
}

static void
test_dedup_purchase_by_transaction (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  const CapiDedupSummary *s;

  /* Different dedup ids, same order: joined by transaction id. */
  px (f, PA, "PURCHASE", "web-1", "ord-1", T0);
  cp (f, PA, "PURCHASE", "srv-1", "ord-1", T0 + 10 * D);
  /* Same id, beyond 48 h, but the order id is the same within 30 days. */
  px (f, PA, "PURCHASE", "same-2", "ord-2", T0);
  cp (f, PA, "PURCHASE", "same-2", "ord-2", T0 + 3 * D);
  /* Exactly 30 days: matched; one second more: not. */
  px (f, PA, "PURCHASE", NULL, "ord-3", T0);
  cp (f, PA, "PURCHASE", NULL, "ord-3", T0 + 30 * D);
  px (f, PA, "PURCHASE", "web-4", "ord-4", T0);
  cp (f, PA, "PURCHASE", "srv-4", "ord-4", T0 + 30 * D + 1);
  report = run (f);
  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->purchase_matched, ==, 3);
  g_assert_cmpuint (s->pixel_only, ==, 1);
  g_assert_cmpuint (s->capi_only, ==, 1);
  g_assert_cmpuint (s->double_counted, ==, 0);
  g_assert_cmpuint (s->counted_by_snap, ==, 5);
}

static void
test_dedup_transaction_ids_differ (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  const CapiDedupSummary *s;

  /* Two purchases close in time, one without an id on the server, but
   * with different order ids: two conversions, not one counted twice. */
  px (f, PA, "PURCHASE", "web-1", "ord-1", T0);
  cp (f, PA, "PURCHASE", NULL, "ord-2", T0 + 60);
  report = run (f);
  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->double_counted, ==, 0);
  g_assert_cmpuint (s->pixel_only, ==, 1);
  g_assert_cmpuint (s->capi_only, ==, 1);
}

static void
test_dedup_id_reused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  const CapiDedupSummary *s;
  guint counted = 0;

  /* A site sends the session id as dedup id: two orders, one id. */
  px (f, PA, "PURCHASE", "session-9", "ord-1", T0);
  px (f, PA, "PURCHASE", "session-9", "ord-2", T0 + H);
  cp (f, PA, "PURCHASE", "session-9", "ord-1", T0 + 30);
  px (f, PA, "PAGE_VIEW", "pv-1", NULL, T0);
  cp (f, PA, "PAGE_VIEW", "pv-1", NULL, T0);
  report = run (f);
  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->id_reused, ==, 3);
  g_assert_cmpuint (s->deduplicated, ==, 1);
  /* Snap keeps the first PURCHASE and drops the other two: one counted
   * where there were two orders. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (report)); i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (G_LIST_MODEL (report), i);

      if (capi_dedup_row_get_class (row) == CAPI_DEDUP_CLASS_ID_REUSED)
        counted += capi_dedup_row_get_counted (row);
    }
  g_assert_cmpuint (counted, ==, 1);
  g_assert_cmpuint (s->counted_by_snap, ==, 2);
}

static void
test_dedup_duplicates_within_side (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(CapiDedupRow) row = NULL;
  const CapiDedupSummary *s;

  /* The page fired twice (a reload), the server retried once. */
  px (f, PA, "ADD_CART", "cart-1", NULL, T0);
  px (f, PA, "ADD_CART", "cart-1", NULL, T0 + 5);
  cp (f, PA, "ADD_CART", "cart-1", NULL, T0 + 20);
  cp (f, PA, "ADD_CART", "cart-1", NULL, T0 + 80);
  report = run (f);
  row = only_row (report, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE);
  s = capi_dedup_report_get_summary (report);
  g_assert_cmpuint (s->pixel_events, ==, 2);
  g_assert_cmpuint (s->capi_events, ==, 2);
  g_assert_cmpuint (s->duplicates, ==, 2);
  g_assert_cmpuint (s->counted_by_snap, ==, 1);
}

static void
test_dedup_any_pixel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CapiDedupReport) any = NULL;
  g_autoptr(CapiDedupReport) named = NULL;
  g_autoptr(CapiDedupRow) row = NULL;
  g_autoptr(CapiDedupRow) row2 = NULL;

  /* A server log without pixel matches any pixel... */
  px (f, PB, "PAGE_VIEW", "pv-1", NULL, T0);
  cp (f, NULL, "PAGE_VIEW", "pv-1", NULL, T0 + 1);
  any = run (f);
  row = only_row (any, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE);
  g_assert_cmpstr (capi_dedup_row_get_pixel_id (row), ==, PB);

  /* ...unless --capi-pixel-id names another. */
  capi_dedup_set_capi_pixel_id (f->dedup, PA);
  named = run (f);
  row2 = only_row (named, CAPI_DEDUP_CLASS_DOUBLE_COUNTED, CAPI_DEDUP_REASON_PIXEL_MISMATCH);
  g_assert_cmpstr (capi_conversion_get_pixel_id (capi_dedup_row_get_capi (row2)), ==, PA);
}

static void
test_dedup_unknown_time (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(CapiDedupRow) row = NULL;

  px (f, PA, "SIGN_UP", "su-1", NULL, NO_TIME);
  cp (f, PA, "SIGN_UP", "su-1", NULL, T0 + 90 * D);
  report = run (f);
  row = only_row (report, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE);
  g_assert_true (capi_dedup_row_get_time_unknown (row));
  g_assert_false (capi_dedup_row_get_delta (row, NULL));
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->time_unknown, ==, 1);
}

/* Seconds, milliseconds and ISO 8601 (with offsets) side by side. */
static void
test_dedup_time_formats (Fixture       *f,
                         gconstpointer  data)
{
  const char *pixel_text =
    "{\"pixel_id\":\"" PA "\",\"event_name\":\"PAGE_VIEW\",\"dedup_id\":\"a\",\"time\":1795168800000}\n"
    "{\"pixel_id\":\"" PA "\",\"event_name\":\"PAGE_VIEW\",\"dedup_id\":\"b\",\"time\":\"2026-11-20T11:00:00+01:00\"}\n"
    "{\"pixel_id\":\"" PA "\",\"event_name\":\"PAGE_VIEW\",\"dedup_id\":\"c\",\"time\":1795168800.75}\n"
    "{\"pixel_id\":\"" PA "\",\"event_name\":\"PAGE_VIEW\",\"dedup_id\":\"d\",\"time\":\"1795168800\"}\n";
  const char *capi_text =
    "{\"event_name\":\"PAGE_VIEW\",\"event_id\":\"a\",\"event_time\":1795168810}\n"
    "{\"event_name\":\"PAGE_VIEW\",\"event_id\":\"b\",\"event_time\":1795168810000}\n"
    "{\"event_name\":\"PAGE_VIEW\",\"event_id\":\"c\",\"event_time\":\"2026-11-20T05:00:10-05:00\"}\n"
    "{\"event_name\":\"PAGE_VIEW\",\"event_id\":\"d\",\"event_time\":\"2026-11-20T10:00:10.500Z\"}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pixel = capi_import_data (pixel_text, -1, "p", CAPI_CONVERSION_SIDE_PIXEL,
                                                 NULL, NULL, NULL, &error);
  g_autoptr(GPtrArray) capi = capi_import_data (capi_text, -1, "c", CAPI_CONVERSION_SIDE_CAPI,
                                                NULL, NULL, NULL, &error);
  g_autoptr(CapiDedupReport) report = NULL;

  g_assert_no_error (error);
  report = capi_dedup_compare (f->dedup, pixel, capi);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->deduplicated, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (G_LIST_MODEL (report), i);
      gint64 delta = 0;

      g_assert_true (capi_dedup_row_get_delta (row, &delta));
      g_assert_cmpint (delta, ==, 10);
    }
}

static char *
write_report (CapiDedupReport *report,
              CapiDedupFormat  format,
              gboolean         summary_only)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_dedup_report_write (report, format, summary_only, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_dedup_write (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CapiDedupReport) report = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *md = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *summary, *row;
  JsonArray *rows;
  static const char *const summary_keys[] = {
    "pixel_events", "capi_events", "deduplicated", "pixel_only", "capi_only",
    "double_counted", "id_reused", "counted_by_snap", NULL
  };
  static const char *const row_keys[] = {
    "class", "reason", "pixel_id", "event_name", "dedup_id", "transaction_id",
    "pixel_time", "capi_time", "delta_seconds", NULL
  };

  px (f, PA, "PURCHASE", "o-\"1\"", "ord,1", T0);
  cp (f, PA, "purchase", "o-\"1\"", "ord,1", T0 + 5);
  px (f, PA, "PAGE_VIEW", "pv-1", NULL, T0);
  report = run (f);

  json = write_report (report, CAPI_DEDUP_FORMAT_JSON, FALSE);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  summary = json_object_get_object_member (json_node_get_object (root), "summary");
  for (guint i = 0; summary_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (summary, summary_keys[i]));
  g_assert_cmpint (json_object_get_int_member (summary, "double_counted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "counted_by_snap"), ==, 3);
  rows = json_object_get_array_member (json_node_get_object (root), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  row = json_array_get_object_element (rows, 0);
  for (guint i = 0; row_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (row, row_keys[i]));
  g_assert_cmpstr (json_object_get_string_member (row, "class"), ==, "double-counted");
  g_assert_cmpstr (json_object_get_string_member (row, "reason"), ==, "case-mismatch");
  g_assert_cmpstr (json_object_get_string_member (row, "dedup_id"), ==, "o-\"1\"");
  g_assert_cmpstr (json_object_get_string_member (row, "pixel_time"), ==, "2026-11-20T10:00:00Z");
  g_assert_cmpint (json_object_get_int_member (row, "delta_seconds"), ==, 5);
  row = json_array_get_object_element (rows, 1);
  g_assert_true (json_object_get_null_member (row, "reason"));
  g_assert_true (json_object_get_null_member (row, "capi_time"));

  csv = write_report (report, CAPI_DEDUP_FORMAT_CSV, FALSE);
  g_assert_true (g_str_has_prefix (csv, "class,reason,pixel_id,event_name,dedup_id,transaction_id,"));
  g_assert_nonnull (strstr (csv, "\ndouble-counted,case-mismatch," PA ",PURCHASE,\"o-\"\"1\"\"\",\"ord,1\","));

  md = write_report (report, CAPI_DEDUP_FORMAT_MARKDOWN, FALSE);
  g_assert_nonnull (strstr (md, "| double-counted | case-mismatch |"));
  g_assert_null (strstr (md, "pixel-only |"));   /* only rows that need attention */

  text = write_report (report, CAPI_DEDUP_FORMAT_TEXT, TRUE);
  g_assert_nonnull (strstr (text, "double-counted, case-mismatch: 1"));
  g_assert_null (strstr (text, "pv-1"));
}

static void
test_dedup_duration (void)
{
  gint64 s = 0;

  g_assert_true (capi_dedup_parse_duration ("48h", &s));
  g_assert_cmpint (s, ==, 48 * H);
  g_assert_true (capi_dedup_parse_duration ("30d", &s));
  g_assert_cmpint (s, ==, 30 * D);
  g_assert_true (capi_dedup_parse_duration ("90m", &s));
  g_assert_cmpint (s, ==, 5400);
  g_assert_true (capi_dedup_parse_duration ("3600", &s));
  g_assert_cmpint (s, ==, 3600);
  g_assert_false (capi_dedup_parse_duration ("48 hours", &s));
  g_assert_false (capi_dedup_parse_duration ("-1h", &s));
  g_assert_false (capi_dedup_parse_duration ("", &s));
}

/* Async run over fixture files: progress reaches 1 on the caller's context. */
typedef struct
{
  CapiDedupReport *report;
  GError          *error;
  gboolean         done;
  guint            progress_notes;
} AsyncState;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  AsyncState *st = user_data;

  st->report = capi_dedup_run_finish (CAPI_DEDUP (source), result, &st->error);
  st->done = TRUE;
}

static void
progress_cb (GObject    *object,
             GParamSpec *pspec,
             AsyncState *st)
{
  st->progress_notes++;
}

static void
test_dedup_run_async (void)
{
  g_autoptr(CapiDedup) dedup = capi_dedup_new ();
  g_autofree char *har = g_test_build_filename (G_TEST_DIST, "data", "dedup", "pixel.har", NULL);
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "dedup", "pixel.csv", NULL);
  g_autofree char *logs = g_test_build_filename (G_TEST_DIST, "data", "dedup", "capi-logs.json", NULL);
  g_autofree char *v2 = g_test_build_filename (G_TEST_DIST, "data", "dedup", "capi-v2.json", NULL);
  AsyncState st = { 0 };
  const CapiDedupSummary *s;

  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, har);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, csv);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, logs);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, v2);
  g_signal_connect (dedup, "notify::progress", G_CALLBACK (progress_cb), &st);
  capi_dedup_run_async (dedup, NULL, run_cb, &st);
  while (!st.done)
    g_main_context_iteration (NULL, TRUE);
  /* Progress updates are queued before the result. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_no_error (st.error);
  g_assert_nonnull (st.report);
  g_assert_cmpfloat (capi_dedup_get_progress (dedup), ==, 1.0);
  g_assert_cmpuint (st.progress_notes, >=, 1);
  s = capi_dedup_report_get_summary (st.report);
  g_assert_cmpuint (s->pixel_events, ==, 7);
  g_assert_cmpuint (s->capi_events, ==, 4);
  /* Re-sent pixel events from both files fold together. */
  g_assert_cmpuint (s->duplicates, ==, 3);
  /* The two CSV problems travel with the report. */
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_report_get_problems (st.report)), ==, 2);
  g_assert_cmpuint (s->reasons[CAPI_DEDUP_REASON_CASE_MISMATCH], ==, 1);
  g_clear_object (&st.report);
}

static void
test_dedup_run_cancelled (void)
{
  g_autoptr(CapiDedup) dedup = capi_dedup_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *har = g_test_build_filename (G_TEST_DIST, "data", "dedup", "pixel.har", NULL);
  g_autofree char *v3 = g_test_build_filename (G_TEST_DIST, "data", "dedup", "capi-v3.json", NULL);
  AsyncState st = { 0 };

  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, har);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, v3);
  g_cancellable_cancel (cancellable);
  capi_dedup_run_async (dedup, cancellable, run_cb, &st);
  while (!st.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (st.report);
  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&st.error);
}

/* The CLI: exit 0 nothing double-counted, 1 something is, 2 bad input. */
static int
run_cli (const char *const *args,
         char              **out_stdout)
{
  const char *cli = g_getenv ("CAPI_INSPECTOR_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, g_strdup (cli));
  g_ptr_array_add (argv, g_strdup ("dedup"));
  for (guint i = 0; args[i] != NULL; i++)
    {
      if (g_str_has_prefix (args[i], "@"))
        g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "data", "dedup", args[i] + 1, NULL));
      else
        g_ptr_array_add (argv, g_strdup (args[i]));
    }
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out_stdout, &err,
                &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_dedup_cli (void)
{
  static const struct { const char *args[12]; int status; } cases[] = {
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@clean-capi.jsonl", NULL }, 0 },
    { { "--pixel", "@pixel.har", "--capi", "@capi-logs.json", NULL }, 1 },
    { { "--pixel", "@pixel.har", "--pixel", "@snippet.js", "--capi", "@capi-server.jsonl",
        "--capi", "@capi-logs.json", "--format", "markdown", NULL }, 1 },
    /* A 20-second window turns a clean pair into a double count. */
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@clean-capi.jsonl", "--window", "20s", NULL }, 1 },
    { { "--pixel", "@clean-pixel.jsonl", NULL }, 2 },
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@notes.txt", NULL }, 2 },
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@no-such-file.json", NULL }, 2 },
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@clean-capi.jsonl", "--window", "soon", NULL }, 2 },
    { { "--pixel", "@clean-pixel.jsonl", "--capi", "@clean-capi.jsonl", "--format", "xml", NULL }, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;

      g_test_message ("cli case %u", i);
      g_assert_cmpint (run_cli (cases[i].args, &out), ==, cases[i].status);
    }

  {
    const char *args[] = { "--pixel", "@clean-pixel.jsonl", "--capi", "@clean-capi.jsonl",
                           "--format", "json", NULL };
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;
    JsonObject *summary;

    g_assert_cmpint (run_cli (args, &out), ==, 0);
    root = json_from_string (out, &error);
    g_assert_no_error (error);
    summary = json_object_get_object_member (json_node_get_object (root), "summary");
    g_assert_cmpint (json_object_get_int_member (summary, "deduplicated"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (summary, "pixel_only"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (summary, "counted_by_snap"), ==, 3);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "rows")), ==, 3);
  }
}

/* An optional file (the history) is skipped when missing or empty; a
 * required one is an error. */
static void
test_dedup_optional_files (void)
{
  g_autoptr(CapiDedup) dedup = capi_dedup_new ();
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pixel = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-pixel.jsonl", NULL);
  g_autofree char *capi = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-capi.jsonl", NULL);
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-history.jsonl", NULL);
  g_autofree char *empty = g_build_filename (g_get_tmp_dir (), "empty-history.jsonl", NULL);

  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  g_assert_no_error (error);

  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_add_optional_file (dedup, CAPI_CONVERSION_SIDE_CAPI, missing);
  capi_dedup_add_optional_file (dedup, CAPI_CONVERSION_SIDE_CAPI, empty);
  capi_dedup_add_optional_file (dedup, CAPI_CONVERSION_SIDE_CAPI, capi);
  report = capi_dedup_run (dedup, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->capi_events, ==, 7);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->counted_by_snap, ==, 10);
  g_clear_object (&report);

  /* The same files, required: the missing one fails the run. */
  capi_dedup_clear_files (dedup);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, missing);
  report = capi_dedup_run (dedup, NULL, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Only missing optional files: the server side is empty, nothing fails. */
  capi_dedup_clear_files (dedup);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_add_optional_file (dedup, CAPI_CONVERSION_SIDE_CAPI, missing);
  report = capi_dedup_run (dedup, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->capi_events, ==, 0);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->pixel_only, ==, 7);
}

static CapiDedupReport *
mix_report (void)
{
  g_autoptr(CapiDedup) dedup = capi_dedup_new ();
  g_autofree char *pixel = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-pixel.jsonl", NULL);
  g_autofree char *capi = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-capi.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  CapiDedupReport *report;

  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_add_file (dedup, CAPI_CONVERSION_SIDE_CAPI, capi);
  report = capi_dedup_run (dedup, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (report)), ==, 8);
  return report;
}

static char *
view_ids (CapiDedupReport *view)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (view)); i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (G_LIST_MODEL (view), i);
      const char *id = capi_dedup_row_get_dedup_id (row);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", id != NULL ? id : "-");
    }
  return g_string_free (ids, FALSE);
}

/* Views: class filters, search and sort on the compact rows. */
static void
test_dedup_view (void)
{
  g_autoptr(CapiDedupReport) report = mix_report ();
  CapiDedupViewOptions options = { 0, NULL, CAPI_DEDUP_SORT_NONE, FALSE };
  g_autoptr(CapiDedupReport) all = NULL;
  g_autoptr(CapiDedupReport) view = NULL;
  g_autoptr(CapiDedupReport) nested = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *ids = NULL;

  /* No options: every row, in the report's order, with its summary. */
  all = capi_dedup_report_dup_view (report, &options, NULL);
  ids = view_ids (all);
  g_assert_cmpstr (ids, ==, "pv-1 cart-1 vc-1 cart-2 p-1 su-1 lv-1 srch-1");
  g_assert_cmpuint (capi_dedup_report_get_summary (all)->counted_by_snap, ==, 10);
  g_assert_cmpuint (capi_dedup_report_get_row_class (all, 3), ==, CAPI_DEDUP_CLASS_DOUBLE_COUNTED);

  /* Classes. */
  options.classes = 1u << CAPI_DEDUP_CLASS_DOUBLE_COUNTED | 1u << CAPI_DEDUP_CLASS_PIXEL_ONLY;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "cart-2 su-1 lv-1");
  g_clear_object (&view);

  /* Search: case-insensitive, on ids, order ids, event names (either side), pixel. */
  options.classes = 0;
  options.search = "CART";
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "cart-1 cart-2");
  g_clear_object (&view);
  /* The server's event name counts too (cart-2 is ADD_TO_WISHLIST there),
   * and so does an order id. */
  options.search = "wishlist";
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "cart-2");
  g_clear_object (&view);
  options.search = "ORD-1";
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 1);
  g_assert_cmpuint (capi_dedup_report_get_row_class (view, 0), ==, CAPI_DEDUP_CLASS_PURCHASE_MATCHED);
  g_clear_object (&view);
  options.search = "é-no-such";
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 0);
  g_clear_object (&view);

  /* Sorts: text in byte order, equal values in report order. */
  options.search = NULL;
  options.sort_key = CAPI_DEDUP_SORT_DEDUP_ID;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "cart-1 cart-2 lv-1 p-1 pv-1 srch-1 su-1 vc-1");
  g_clear_object (&view);
  options.descending = TRUE;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "vc-1 su-1 srch-1 pv-1 p-1 lv-1 cart-2 cart-1");
  g_clear_object (&view);

  /* Rows without a value (no delta: one side only) go last either way. */
  options.sort_key = CAPI_DEDUP_SORT_DELTA;
  options.descending = FALSE;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "vc-1 cart-2 pv-1 cart-1 p-1 su-1 lv-1 srch-1");
  g_clear_object (&view);
  options.descending = TRUE;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "su-1 p-1 pv-1 cart-1 vc-1 cart-2 lv-1 srch-1");
  g_clear_object (&view);

  options.sort_key = CAPI_DEDUP_SORT_CLASS;
  options.descending = FALSE;
  view = capi_dedup_report_dup_view (report, &options, NULL);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (view);
  g_assert_cmpstr (ids, ==, "pv-1 cart-1 vc-1 p-1 cart-2 su-1 lv-1 srch-1");
  g_clear_object (&view);

  /* A view of a view, kept after the report it came from is gone. */
  options.classes = 1u << CAPI_DEDUP_CLASS_DEDUPLICATED;
  view = capi_dedup_report_dup_view (all, &options, NULL);
  options.classes = 0;
  options.sort_key = CAPI_DEDUP_SORT_EVENT_NAME;
  nested = capi_dedup_report_dup_view (view, &options, NULL);
  g_clear_object (&view);
  g_clear_object (&all);
  g_clear_object (&report);
  g_clear_pointer (&ids, g_free);
  ids = view_ids (nested);
  g_assert_cmpstr (ids, ==, "cart-1 pv-1 vc-1");
  g_assert_cmpuint (capi_dedup_report_get_summary (nested)->counted_by_snap, ==, 10);

  /* Cancelled: no view. */
  g_cancellable_cancel (cancelled);
  g_assert_null (capi_dedup_report_dup_view (nested, &options, cancelled));
}

/* Every class and reason has a label for the page. */
static void
test_dedup_labels (void)
{
  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    {
      const char *label = capi_dedup_class_get_label (i);

      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
    }
  g_assert_cmpstr (capi_dedup_reason_get_label (CAPI_DEDUP_REASON_NONE), ==, "");
  for (guint i = CAPI_DEDUP_REASON_NONE + 1; i < CAPI_DEDUP_N_REASONS; i++)
    g_assert_cmpstr (capi_dedup_reason_get_label (i), !=, "");
  g_assert_cmpstr (capi_dedup_class_get_label (CAPI_DEDUP_CLASS_DOUBLE_COUNTED), ==, "Double-counted");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/capi/dedup/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/capi/dedup/new-destroy", test_dedup_new_destroy);
  g_test_add_func ("/capi/dedup/properties", test_dedup_properties);
  ADD ("deduplicated", test_dedup_deduplicated);
  ADD ("only", test_dedup_only);
  ADD ("reasons", test_dedup_reasons);
  ADD ("window-edge", test_dedup_window_edge);
  ADD ("purchase-by-transaction", test_dedup_purchase_by_transaction);
  ADD ("transaction-ids-differ", test_dedup_transaction_ids_differ);
  ADD ("id-reused", test_dedup_id_reused);
  ADD ("duplicates-within-side", test_dedup_duplicates_within_side);
  ADD ("any-pixel", test_dedup_any_pixel);
  ADD ("unknown-time", test_dedup_unknown_time);
  ADD ("time-formats", test_dedup_time_formats);
  ADD ("write", test_dedup_write);
  g_test_add_func ("/capi/dedup/duration", test_dedup_duration);
  g_test_add_func ("/capi/dedup/run-async", test_dedup_run_async);
  g_test_add_func ("/capi/dedup/run-cancelled", test_dedup_run_cancelled);
  g_test_add_func ("/capi/dedup/optional-files", test_dedup_optional_files);
  g_test_add_func ("/capi/dedup/labels", test_dedup_labels);
  g_test_add_func ("/capi/dedup/view", test_dedup_view);
  g_test_add_func ("/capi/dedup/cli", test_dedup_cli);

#undef ADD

  return g_test_run ();
}
