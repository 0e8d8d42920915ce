/* test-history-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "capi-history-page.h"
#include "capi-history-row.h"

#include "ui-test-util.h"

/* tests/data/history-page.jsonl holds seven exchanges recorded by the real
 * client code, oldest first:
 *   09:03 sandbox   PURCHASE            200 VALID
 *   09:10 snap-test ADD_CART            200 VALID
 *   09:17 snap-test page_view           400 INVALID
 *   09:24 ats       SIGN_UP             200 (no verdict)
 *   09:31 snap-live PURCHASE            500
 *   09:38 snap-test START_CHECKOUT      no response
 *   09:45 sandbox   PURCHASE x2, ADD_CART 200 VALID */
#define N_FIXTURE 7

typedef struct
{
  GtkWindow       *window;
  CapiHistoryPage *page;
  CapiHistory     *history;
} Fixture;

static void
install_fixture_history (void)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "history-page.jsonl", NULL);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "capi-inspector", NULL);
  g_autofree char *target = g_build_filename (dir, "history.jsonl", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (fixture, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, contents, length, &error));
  g_assert_no_error (error);
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capi_history_load_finish (CAPI_HISTORY (source), result, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  install_fixture_history ();

  fixture->history = capi_history_new (NULL);
  fixture->page = capi_history_page_new ();
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);

  capi_history_page_set_history (fixture->page, fixture->history);
  capi_history_load_async (fixture->history, NULL, history_loaded_cb, NULL);
  while (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)) < N_FIXTURE)
    g_main_context_iteration (NULL, TRUE);
  ui_test_drain ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  ui_test_drain ();
  g_clear_object (&fixture->history);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (CAPI_IS_HISTORY_ROW (widget) && capi_history_row_get_exchange (CAPI_HISTORY_ROW (widget)) != NULL)
    g_ptr_array_add (rows, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_rows (c, rows);
}

/* The page's list of exchanges (a drop-down holds a list view too). */
static GtkSelectionModel *
exchange_selection (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));

      g_autoptr(GObject) first = model != NULL ? g_list_model_get_item (G_LIST_MODEL (model), 0) : NULL;

      if (first != NULL && CAPI_IS_EXCHANGE (first))
        return model;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkSelectionModel *found = exchange_selection (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
visible_event (Fixture *fixture,
               guint    position)
{
  g_autoptr(CapiExchange) exchange =
    g_list_model_get_item (capi_history_page_get_visible_model (fixture->page), position);

  g_assert_nonnull (exchange);
  return capi_exchange_get_event_name (exchange, 0);
}

static void
test_history_page_new_destroy (void)
{
  CapiHistoryPage *page = g_object_ref_sink (capi_history_page_new ());

  g_assert_null (capi_history_page_get_history (page));
  g_assert_cmpuint (g_list_model_get_n_items (capi_history_page_get_visible_model (page)), ==, 0);
  g_assert_finalize_object (page);
}

static void
test_history_page_shows_rows (Fixture       *fixture,
                              gconstpointer  data)
{
  GListModel *visible = capi_history_page_get_visible_model (fixture->page);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(CapiExchange) newest = NULL;
  g_autofree char *events = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, N_FIXTURE);

  /* Newest first: the batch of three sent at 09:45. */
  newest = g_list_model_get_item (visible, 0);
  events = capi_history_row_dup_events (newest);
  g_assert_cmpstr (events, ==, "PURCHASE and 2 more");
  g_assert_cmpstr (visible_event (fixture, N_FIXTURE - 1), ==, "PURCHASE");
  g_assert_cmpstr (visible_event (fixture, 1), ==, "START_CHECKOUT");

  /* The list view made row widgets for them, with what the row shows. */
  collect_rows (GTK_WIDGET (fixture->page), rows);
  g_assert_cmpuint (rows->len, >=, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      CapiExchange *exchange = capi_history_row_get_exchange (rows->pdata[i]);

      if (capi_exchange_get_status (exchange) == 400)
        g_assert_cmpstr (capi_history_row_get_verdict (exchange), ==, "INVALID");
      if (capi_exchange_get_status (exchange) == 0)
        g_assert_cmpstr (capi_history_row_get_verdict (exchange), ==, "No response");
    }
}

static void
test_history_page_search (Fixture       *fixture,
                          gconstpointer  data)
{
  GListModel *visible = capi_history_page_get_visible_model (fixture->page);

  capi_history_page_set_search_text (fixture->page, "purchase");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 3);

  /* Event ids, case-insensitively. */
  capi_history_page_set_search_text (fixture->page, "SIGNUP-4004");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_cmpstr (visible_event (fixture, 0), ==, "SIGN_UP");

  /* Snap's verdict. */
  capi_history_page_set_search_text (fixture->page, "invalid");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_cmpstr (visible_event (fixture, 0), ==, "page_view");

  capi_history_page_set_search_text (fixture->page, "no such thing");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);

  capi_history_page_set_search_text (fixture->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, N_FIXTURE);
}

static void
test_history_page_outcome_filter (Fixture       *fixture,
                                  gconstpointer  data)
{
  GListModel *visible = capi_history_page_get_visible_model (fixture->page);
  GtkDropDown *dropdown = GTK_DROP_DOWN (ui_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_DROP_DOWN));

  g_assert_nonnull (dropdown);

  gtk_drop_down_set_selected (dropdown, 4);   /* No response */
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_cmpstr (visible_event (fixture, 0), ==, "START_CHECKOUT");

  gtk_drop_down_set_selected (dropdown, 3);   /* HTTP errors */
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);

  /* Filters and search combine. */
  gtk_drop_down_set_selected (dropdown, 1);   /* Valid */
  capi_history_page_set_search_text (fixture->page, "sandbox");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);

  gtk_drop_down_set_selected (dropdown, 0);
  capi_history_page_set_search_text (fixture->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, N_FIXTURE);
}

static void
resend_cb (CapiHistoryPage  *page,
           CapiExchange     *exchange,
           CapiExchange    **out)
{
  g_set_object (out, exchange);
}

static void
test_history_page_select_and_resend (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkSelectionModel *selection;
  g_autoptr(CapiExchange) resent = NULL;
  g_autoptr(CapiExchange) expected = NULL;

  g_assert_null (capi_history_page_get_selected (fixture->page));

  selection = exchange_selection (GTK_WIDGET (fixture->page));
  g_assert_nonnull (selection);
  gtk_selection_model_select_item (selection, 2, TRUE);
  expected = g_list_model_get_item (G_LIST_MODEL (selection), 2);
  g_assert_true (capi_history_page_get_selected (fixture->page) == expected);

  g_signal_connect (fixture->page, "resend", G_CALLBACK (resend_cb), &resent);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.resend", NULL));
  g_assert_true (resent == expected);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  guint *written = user_data;
  g_autoptr(GError) error = NULL;

  *written = capi_history_page_export_finish (CAPI_HISTORY_PAGE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_history_page_export (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "export.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GtkSelectionModel *selection;
  guint written = G_MAXUINT;
  JsonArray *array;

  selection = exchange_selection (GTK_WIDGET (fixture->page));
  g_assert_nonnull (selection);
  gtk_selection_model_select_item (selection, 0, TRUE);
  gtk_selection_model_select_item (selection, 4, FALSE);

  capi_history_page_export_async (fixture->page, file, NULL, export_done_cb, &written);
  while (written == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (written, ==, 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "time"),
                   ==, "2026-11-20T09:45:15Z");
  /* History records carry no token: the URL stays redacted. */
  g_assert_null (strstr (contents, "SECRET"));
  g_assert_nonnull (strstr (contents, "access_token=…"));
}

static void
test_history_page_clear (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GList) toplevels = NULL;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(CapiHistory) reloaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.clear", NULL));
  ui_test_drain ();

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);

  /* Cancel keeps everything. */
  adw_message_dialog_response (dialog, "cancel");
  ui_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, N_FIXTURE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.clear", NULL));
  ui_test_drain ();
  g_clear_pointer (&toplevels, g_list_free);
  dialog = NULL;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "clear");
  while (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (capi_history_page_get_visible_model (fixture->page)), ==, 0);

  /* And it stays cleared after a restart. */
  reloaded = capi_history_new (NULL);
  g_assert_true (capi_history_load (reloaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* gtk_test_init () ignores G_TEST_OPTION_ISOLATE_DIRS, so the history
   * goes to a throw-away data directory of its own. */
  data_home = g_dir_make_tmp ("capi-history-page-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/capi/history-page/new-destroy", test_history_page_new_destroy);
  g_test_add ("/capi/history-page/shows-rows", Fixture, NULL,
              fixture_setup, test_history_page_shows_rows, fixture_teardown);
  g_test_add ("/capi/history-page/search", Fixture, NULL,
              fixture_setup, test_history_page_search, fixture_teardown);
  g_test_add ("/capi/history-page/outcome-filter", Fixture, NULL,
              fixture_setup, test_history_page_outcome_filter, fixture_teardown);
  g_test_add ("/capi/history-page/select-and-resend", Fixture, NULL,
              fixture_setup, test_history_page_select_and_resend, fixture_teardown);
  g_test_add ("/capi/history-page/export", Fixture, NULL,
              fixture_setup, test_history_page_export, fixture_teardown);
  g_test_add ("/capi/history-page/clear", Fixture, NULL,
              fixture_setup, test_history_page_clear, fixture_teardown);

  return g_test_run ();
}
