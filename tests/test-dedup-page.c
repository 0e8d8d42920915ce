/* test-dedup-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "capi-dedup-page.h"

#include "ui-test-util.h"

/* tests/data/dedup/mix-pixel.jsonl and mix-capi.jsonl hold seven events a
 * side with a known outcome (checked against `capi-inspector-cli dedup`):
 *   pv-1, cart-1, vc-1       deduplicated
 *   p-1 / order ord-1        PURCHASE matched by transaction id
 *   su-1 (server: no id)     double-counted, id-missing-on-capi
 *   cart-2 (server: ADD_TO_WISHLIST)  double-counted, event-name-mismatch
 *   lv-1                     pixel only
 *   srch-1                   CAPI only
 * Snap counts 10 conversions; match rate 4/7. */
#define N_ROWS 8

typedef struct
{
  GtkWindow     *window;
  CapiDedupPage *page;
} Fixture;

static GFile *
fixture_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "dedup", name, NULL);

  return g_file_new_for_path (path);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->page = capi_dedup_page_new ();
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1280, 800);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  ui_test_drain ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  ui_test_drain ();
}

/* The big figure above CAPTION, as the user reads it. */
static const char *
figure (CapiDedupPage *page,
        const char    *caption)
{
  GtkWidget *label = ui_test_find_label (GTK_WIDGET (page), caption);
  GtkWidget *value;

  g_assert_nonnull (label);
  value = gtk_widget_get_prev_sibling (label);
  g_assert_true (GTK_IS_LABEL (value));
  return gtk_label_get_label (GTK_LABEL (value));
}

static void
wait_for_report (CapiDedupPage *page)
{
  while (capi_dedup_page_get_running (page))
    g_main_context_iteration (NULL, TRUE);
  ui_test_drain ();
}

/* Filtering and sorting run in a worker; wait until the view is shown. */
static GListModel *
visible (CapiDedupPage *page)
{
  while (capi_dedup_page_get_updating (page))
    g_main_context_iteration (NULL, TRUE);
  ui_test_drain ();
  return capi_dedup_page_get_visible_model (page);
}

static guint
n_visible_of_class (CapiDedupPage           *page,
                    CapiDedupClassification  klass)
{
  GListModel *model = visible (page);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (model, i);

      if (capi_dedup_row_get_class (row) == klass)
        n++;
    }
  return n;
}

/* A click on a chip, as a pointer (or a screen reader's action) gives it. */
static void
click (GtkToggleButton *button)
{
  g_signal_emit_by_name (button, "clicked");
}

static void
load_mix (CapiDedupPage *page)
{
  g_autoptr(GFile) pixel = fixture_file ("mix-pixel.jsonl");
  g_autoptr(GFile) capi = fixture_file ("mix-capi.jsonl");

  capi_dedup_page_add_file (page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_page_add_file (page, CAPI_CONVERSION_SIDE_CAPI, capi);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dedup.compare", NULL));
  g_assert_true (capi_dedup_page_get_running (page));
  wait_for_report (page);
  g_assert_nonnull (capi_dedup_page_get_report (page));
}

static void
test_new_destroy (void)
{
  CapiDedupPage *page = capi_dedup_page_new ();

  g_object_ref_sink (page);
  g_assert_finalize_object (page);
}

/* Compare stays off until both sides have something; a file is listed once. */
static void
test_sources (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GFile) pixel = fixture_file ("mix-pixel.jsonl");
  g_autoptr(GFile) capi = fixture_file ("mix-capi.jsonl");
  GtkWidget *compare = ui_test_find_label (GTK_WIDGET (fixture->page), "_Compare");

  g_assert_nonnull (compare);
  compare = gtk_widget_get_ancestor (compare, GTK_TYPE_BUTTON);
  g_assert_false (gtk_widget_get_sensitive (compare));

  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_page_get_files (fixture->page, CAPI_CONVERSION_SIDE_PIXEL)), ==, 1);
  ui_test_drain ();
  g_assert_false (gtk_widget_get_sensitive (compare));
  /* The file shows in the pixel card with its name. */
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page), "mix-pixel.jsonl"));

  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_CAPI, capi);
  ui_test_drain ();
  g_assert_true (gtk_widget_get_sensitive (compare));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.clear-files", NULL));
  ui_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_page_get_files (fixture->page, CAPI_CONVERSION_SIDE_PIXEL)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_page_get_files (fixture->page, CAPI_CONVERSION_SIDE_CAPI)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (compare));
}

/* The summary figures the user sees, and every row in the table. */
static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  const CapiDedupSummary *s;

  load_mix (fixture->page);

  s = capi_dedup_report_get_summary (capi_dedup_page_get_report (fixture->page));
  g_assert_cmpuint (s->pixel_events, ==, 7);
  g_assert_cmpuint (s->capi_events, ==, 7);

  g_assert_cmpstr (figure (fixture->page, "Counted by Snap"), ==, "10");
  g_assert_cmpstr (figure (fixture->page, "Deduplicated"), ==, "4");
  g_assert_cmpstr (figure (fixture->page, "Double-counted"), ==, "2");
  g_assert_cmpstr (figure (fixture->page, "ID reused"), ==, "0");
  g_assert_cmpstr (figure (fixture->page, "Pixel only"), ==, "1");
  g_assert_cmpstr (figure (fixture->page, "CAPI only"), ==, "1");
  g_assert_cmpstr (figure (fixture->page, "Match rate"), ==, "57 %");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_prev_sibling (ui_test_find_label (GTK_WIDGET (fixture->page), "Double-counted")),
                                           "error"));
  /* The chips carry the counts too. */
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page), "Double-counted (2)"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page), "Deduplicated (3)"));

  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, N_ROWS);
  g_assert_true (gtk_widget_is_visible (ui_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_COLUMN_VIEW)));
}

/* Class chips: one shows only that class, two show both, none shows all. */
static void
test_filter_by_class (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkToggleButton *doubles = capi_dedup_page_get_class_toggle (fixture->page, CAPI_DEDUP_CLASS_DOUBLE_COUNTED);
  GtkToggleButton *pixel_only = capi_dedup_page_get_class_toggle (fixture->page, CAPI_DEDUP_CLASS_PIXEL_ONLY);
  GListModel *model;

  load_mix (fixture->page);

  click (doubles);
  g_assert_true (gtk_toggle_button_get_active (doubles));
  model = visible (fixture->page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (n_visible_of_class (fixture->page, CAPI_DEDUP_CLASS_DOUBLE_COUNTED), ==, 2);

  click (pixel_only);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, 3);
  g_assert_cmpuint (n_visible_of_class (fixture->page, CAPI_DEDUP_CLASS_PIXEL_ONLY), ==, 1);

  click (doubles);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, 1);
  g_assert_cmpuint (n_visible_of_class (fixture->page, CAPI_DEDUP_CLASS_PIXEL_ONLY), ==, 1);

  click (pixel_only);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, N_ROWS);

  /* Quick clicks: each new view replaces the one still being made. */
  click (doubles);
  click (pixel_only);
  click (doubles);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, 1);
  g_assert_cmpuint (n_visible_of_class (fixture->page, CAPI_DEDUP_CLASS_PIXEL_ONLY), ==, 1);
  click (pixel_only);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, N_ROWS);

  /* A class with no rows shows the empty state, not an empty table. */
  click (capi_dedup_page_get_class_toggle (fixture->page, CAPI_DEDUP_CLASS_ID_REUSED));
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, 0);
  g_assert_true (gtk_widget_is_visible (ui_test_find_label (GTK_WIDGET (fixture->page), "No Matching Conversions")));
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *model;

  load_mix (fixture->page);

  capi_dedup_page_set_search_text (fixture->page, "CART");
  model = visible (fixture->page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (model, i);

      g_assert_true (g_str_has_prefix (capi_dedup_row_get_dedup_id (row), "cart-"));
    }

  /* The order id finds the PURCHASE matched by it. */
  capi_dedup_page_set_search_text (fixture->page, "ord-1");
  model = visible (fixture->page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(CapiDedupRow) row = g_list_model_get_item (model, 0);
    g_assert_cmpint (capi_dedup_row_get_class (row), ==, CAPI_DEDUP_CLASS_PURCHASE_MATCHED);
  }

  capi_dedup_page_set_search_text (fixture->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, N_ROWS);
}

/* Sorting by a column header. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  GtkColumnView *view;
  GListModel *columns;
  GtkColumnViewColumn *dedup_column = NULL;
  GListModel *model;
  g_autoptr(CapiDedupRow) first = NULL;
  g_autoptr(CapiDedupRow) last = NULL;

  load_mix (fixture->page);
  view = GTK_COLUMN_VIEW (ui_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_COLUMN_VIEW));
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Dedup ID") == 0)
        dedup_column = column;
    }
  g_assert_nonnull (dedup_column);

  gtk_column_view_sort_by_column (view, dedup_column, GTK_SORT_ASCENDING);
  model = visible (fixture->page);
  first = g_list_model_get_item (model, 0);
  last = g_list_model_get_item (model, N_ROWS - 1);
  g_assert_cmpstr (capi_dedup_row_get_dedup_id (first), ==, "cart-1");
  g_assert_cmpstr (capi_dedup_row_get_dedup_id (last), ==, "vc-1");

  gtk_column_view_sort_by_column (view, dedup_column, GTK_SORT_DESCENDING);
  model = visible (fixture->page);
  g_clear_object (&first);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (capi_dedup_row_get_dedup_id (first), ==, "vc-1");
}

static CapiDedupRow *
select_dedup_id (CapiDedupPage *page,
                 const char    *dedup_id)
{
  GListModel *model = visible (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (capi_dedup_row_get_dedup_id (row), dedup_id) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, TRUE);
          ui_test_drain ();
          return capi_dedup_page_get_selected (page);
        }
    }
  g_assert_not_reached ();
}

/* The detail pane: both sides, the difference marked, the fix in words. */
static void
test_detail (Fixture       *fixture,
             gconstpointer  data)
{
  CapiDedupRow *row;
  GtkWidget *pixel_event;
  GtkWidget *capi_event;
  GtkWidget *grid;
  guint n_ids = 0;

  load_mix (fixture->page);
  /* The first double count is shown at once. */
  row = capi_dedup_page_get_selected (fixture->page);
  g_assert_nonnull (row);
  g_assert_cmpint (capi_dedup_row_get_class (row), ==, CAPI_DEDUP_CLASS_DOUBLE_COUNTED);
  g_assert_cmpstr (capi_dedup_row_get_dedup_id (row), ==, "cart-2");
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (capi_dedup_page_get_visible_model (fixture->page)));
  ui_test_drain ();
  g_assert_true (gtk_widget_is_visible (ui_test_find_label (GTK_WIDGET (fixture->page), "No Conversion Selected")));

  row = select_dedup_id (fixture->page, "cart-2");
  g_assert_nonnull (row);
  g_assert_cmpint (capi_dedup_row_get_reason (row), ==, CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH);
  g_assert_true (gtk_widget_is_visible (ui_test_find_label (GTK_WIDGET (fixture->page), "Double-counted: Event names differ")));

  /* In the side-by-side grid both event names are marked as differing;
   * the shared id is not. */
  capi_event = ui_test_find_label (GTK_WIDGET (fixture->page), "ADD_TO_WISHLIST");
  g_assert_nonnull (capi_event);
  grid = gtk_widget_get_parent (capi_event);
  g_assert_true (GTK_IS_GRID (grid));
  g_assert_true (gtk_widget_has_css_class (capi_event, "error"));
  pixel_event = ui_test_find_label (grid, "ADD_CART");
  g_assert_nonnull (pixel_event);
  g_assert_true (gtk_widget_has_css_class (pixel_event, "error"));
  for (GtkWidget *w = gtk_widget_get_first_child (grid); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (w)), "cart-2") == 0)
      {
        g_assert_false (gtk_widget_has_css_class (w, "error"));
        n_ids++;
      }
  g_assert_cmpuint (n_ids, ==, 2);

  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page),
                                "Counted twice: the ids match but the event names differ. Send the same event name on both sides."));

  row = select_dedup_id (fixture->page, "su-1");
  g_assert_cmpint (capi_dedup_row_get_reason (row), ==, CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page),
                                "Counted twice: the server sent no event_id. Set event_id on the server to the pixel’s client_dedup_id."));
  /* The server side has no dedup id: shown as such. */
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->page), "(none)"));
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (!capi_dedup_page_export_finish (CAPI_DEDUP_PAGE (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

static char *
export_to (CapiDedupPage   *page,
           CapiDedupFormat  format,
           const char      *name)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) done = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  capi_dedup_page_export_async (page, format, file, NULL, export_cb, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* "ok" */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

/* Export writes every row, whatever the filters show. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *markdown = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *summary;

  load_mix (fixture->page);
  click (capi_dedup_page_get_class_toggle (fixture->page, CAPI_DEDUP_CLASS_CAPI_ONLY));
  g_assert_cmpuint (g_list_model_get_n_items (visible (fixture->page)), ==, 1);

  csv = export_to (fixture->page, CAPI_DEDUP_FORMAT_CSV, "dedup.csv");
  lines = g_strsplit (g_strchomp (csv), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS + 1);
  g_assert_true (g_str_has_prefix (lines[0], "class,"));

  json = export_to (fixture->page, CAPI_DEDUP_FORMAT_JSON, "dedup.json");
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  summary = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "counted_by_snap"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (summary, "double_counted"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rows")),
                    ==, N_ROWS);

  markdown = export_to (fixture->page, CAPI_DEDUP_FORMAT_MARKDOWN, "dedup.md");
  g_assert_nonnull (strstr (markdown, "| "));
  g_assert_nonnull (strstr (markdown, "cart-2"));
}

/* Cancel: no report, the inputs stay, Compare works again. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) pixel = fixture_file ("mix-pixel.jsonl");
  g_autoptr(GFile) capi = fixture_file ("mix-capi.jsonl");

  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_CAPI, capi);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL));
  g_assert_true (capi_dedup_page_get_running (fixture->page));
  /* Compare is off while one runs. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL) &&
                  !capi_dedup_page_get_running (fixture->page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.cancel", NULL));
  wait_for_report (fixture->page);

  g_assert_null (capi_dedup_page_get_report (fixture->page));
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_page_get_files (fixture->page, CAPI_CONVERSION_SIDE_PIXEL)), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL));
  wait_for_report (fixture->page);
  g_assert_nonnull (capi_dedup_page_get_report (fixture->page));
}

/* A file that cannot be read: a clear message, the page stays as it was. */
static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) pixel = fixture_file ("mix-pixel.jsonl");
  g_autoptr(GFile) notes = fixture_file ("notes.txt");
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());

  /* Toasts need an overlay above the page. */
  g_object_ref (fixture->page);
  gtk_window_set_child (fixture->window, NULL);
  adw_toast_overlay_set_child (overlay, GTK_WIDGET (fixture->page));
  gtk_window_set_child (fixture->window, GTK_WIDGET (overlay));
  g_object_unref (fixture->page);

  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_CAPI, notes);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL));
  wait_for_report (fixture->page);
  g_assert_null (capi_dedup_page_get_report (fixture->page));
  g_assert_true (gtk_widget_is_visible (ui_test_find_label (GTK_WIDGET (fixture->page), "What the Pixel Fired")));
  g_assert_cmpuint (g_list_model_get_n_items (capi_dedup_page_get_files (fixture->page, CAPI_CONVERSION_SIDE_CAPI)), ==, 1);
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_history_load_finish (CAPI_HISTORY (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* "Use my History" reads the app's history as the server side; an empty
 * history (no file yet) is no error. */
static void
test_use_history (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) pixel = fixture_file ("mix-pixel.jsonl");
  g_autoptr(CapiHistory) history = capi_history_new (NULL);
  g_autofree char *fixture_path = g_test_build_filename (G_TEST_DIST, "data", "history-page.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const CapiDedupSummary *s;
  gsize length;
  gboolean loaded = FALSE;

  capi_dedup_page_add_file (fixture->page, CAPI_CONVERSION_SIDE_PIXEL, pixel);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL) &&
                  capi_dedup_page_get_running (fixture->page));

  /* No history file yet: every pixel event is pixel-only. */
  capi_dedup_page_set_history (fixture->page, history);
  capi_dedup_page_set_use_history (fixture->page, TRUE);
  g_assert_false (g_file_query_exists (capi_history_get_file (history), NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL));
  wait_for_report (fixture->page);
  g_assert_nonnull (capi_dedup_page_get_report (fixture->page));
  s = capi_dedup_report_get_summary (capi_dedup_page_get_report (fixture->page));
  g_assert_cmpuint (s->capi_events, ==, 0);
  g_assert_cmpuint (s->pixel_only, ==, 7);

  /* Now with the recorded exchanges of tests/data/history-page.jsonl. */
  g_assert_true (g_file_get_contents (fixture_path, &contents, &length, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GFile) parent = g_file_get_parent (capi_history_get_file (history));
    g_autofree char *dir = g_file_get_path (parent);
    g_autofree char *target = g_file_get_path (capi_history_get_file (history));

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (target, contents, length, &error));
    g_assert_no_error (error);
  }
  capi_history_load_async (history, NULL, history_loaded_cb, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.edit", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dedup.compare", NULL));
  wait_for_report (fixture->page);
  s = capi_dedup_report_get_summary (capi_dedup_page_get_report (fixture->page));
  /* The same count `capi-inspector-cli dedup --capi history-page.jsonl` reads. */
  g_assert_cmpuint (s->capi_events, ==, 9);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* gtk_test_init () ignores G_TEST_OPTION_ISOLATE_DIRS: the history and
   * exports go to a throw-away directory of their own. */
  data_home = g_dir_make_tmp ("capi-dedup-page-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("TMPDIR", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/capi/dedup-page/new-destroy", test_new_destroy);
#define ADD(path, func) \
  g_test_add ("/capi/dedup-page/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("sources", test_sources);
  ADD ("summary", test_summary);
  ADD ("filter-by-class", test_filter_by_class);
  ADD ("search", test_search);
  ADD ("sort", test_sort);
  ADD ("detail", test_detail);
  ADD ("export", test_export);
  ADD ("cancel", test_cancel);
  ADD ("bad-file", test_bad_file);
  ADD ("use-history", test_use_history);
#undef ADD

  return g_test_run ();
}
