/* test-window.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application window under Xvfb, driven through its widgets and
 * actions, sending to the in-process sandbox.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "capi-application.h"
#include "capi-lint-row.h"
#include "capi-window.h"

/* A generous bound for conditions that depend on the main loop; the
 * tests wait for a condition, they do not assert a duration. */
#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* One registered application for the whole program, as in the real app;
 * each test opens its own window. */
static CapiApplication *app;

typedef struct
{
  CapiWindow      *window;
} Fixture;

static CapiWindow *
open_window (Fixture *fixture)
{
  CapiWindow *window = capi_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->window = open_window (fixture);
}

static void
destroy_window (CapiWindow **window)
{
  GtkWidget *widget = GTK_WIDGET (*window);

  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) window);
  gtk_window_destroy (GTK_WINDOW (widget));
  while (*window != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    destroy_window (&fixture->window);
}

static void
type_into (CapiWindow *window,
           const char *key,
           const char *text)
{
  CapiComposePage *page = capi_window_get_compose_page (window);
  GtkWidget *widget = capi_compose_page_get_field_widget (page, key);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

/* conditions */

typedef struct
{
  CapiWindow *window;
  const char *text;
  guint       serial;
} Wait;

static gboolean
body_contains (gpointer data)
{
  Wait *w = data;
  g_autofree char *body = capi_preview_pane_dup_body (capi_window_get_preview_pane (w->window));

  return strstr (body, w->text) != NULL;
}

static gboolean
preview_rebuilt (gpointer data)
{
  Wait *w = data;

  return capi_window_get_preview_serial (w->window) > w->serial;
}

static GtkWidget *
find_lint_row (CapiWindow *window,
               const char *key)
{
  CapiPreviewPane *pane = capi_window_get_preview_pane (window);

  for (guint i = 0; i < capi_preview_pane_get_n_findings (pane); i++)
    {
      GtkWidget *row = capi_preview_pane_get_lint_row (pane, i);
      CapiFinding *finding = capi_lint_row_get_finding (CAPI_LINT_ROW (row));

      if (g_strcmp0 (capi_finding_get_key (finding), key) == 0)
        return row;
    }
  return NULL;
}

static gboolean
has_fixable_event_name_finding (gpointer data)
{
  Wait *w = data;
  GtkWidget *row = find_lint_row (w->window, "event_name");

  return row != NULL && capi_lint_row_get_fix_button (CAPI_LINT_ROW (row)) != NULL;
}

static gboolean
send_finished (gpointer data)
{
  Wait *w = data;
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (w->window));

  return !capi_window_get_busy (w->window) && capi_response_view_get_exchange (view) != NULL;
}

static gboolean
model_has_exchange (GListModel *model,
                    const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapiExchange) exchange = g_list_model_get_item (model, i);

      if (g_strcmp0 (capi_exchange_get_id (exchange), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
history_has_exchange (gpointer data)
{
  Wait *w = data;

  return model_has_exchange (G_LIST_MODEL (capi_application_get_history (app)), w->text);
}

/* tests */

static void
test_window_new_destroy (Fixture       *fixture,
                         gconstpointer  data)
{
  g_assert_true (CAPI_IS_WINDOW (fixture->window));
  g_assert_true (GTK_IS_BOX (capi_window_get_history_page (fixture->window)));
  destroy_window (&fixture->window);
  g_assert_null (fixture->window);
}

static void
test_window_preview_hash (Fixture       *fixture,
                          gconstpointer  data)
{
  /* Computed here with GChecksum from the normalized text, independently
   * of the core's hasher. */
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             "jane.doe@example.com", -1);
  Wait w = { fixture->window, expected, 0 };

  type_into (fixture->window, "user_data.em", "  Jane.Doe@Example.COM ");
  g_assert_true (wait_for (body_contains, &w));
  g_assert_cmpuint (capi_preview_pane_get_n_explain_rows (capi_window_get_preview_pane (fixture->window)), >=, 1);
  /* The raw address is what the composer hashes: no lint error for it, and
   * the complete PURCHASE template has nothing else to complain about. */
  g_assert_null (find_lint_row (fixture->window, "user_data.em"));
  g_assert_cmpuint (capi_preview_pane_get_n_findings (capi_window_get_preview_pane (fixture->window)), ==, 0);
}

static void
test_window_lint_fix (Fixture       *fixture,
                      gconstpointer  data)
{
  CapiComposePage *page = capi_window_get_compose_page (fixture->window);
  GtkWidget *name_row = capi_compose_page_get_field_widget (page, "event_name");
  Wait w = { fixture->window, NULL, 0 };
  GtkWidget *row;

  type_into (fixture->window, "event_name", "purchase");
  g_assert_true (wait_for (has_fixable_event_name_finding, &w));

  /* Activating the finding takes the keyboard to the field. */
  row = find_lint_row (fixture->window, "event_name");
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_true (gtk_widget_is_focus (name_row) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), name_row));

  capi_preview_pane_show_tab (capi_window_get_preview_pane (fixture->window), "lint");
  w.serial = capi_window_get_preview_serial (fixture->window);
  g_signal_emit_by_name (capi_lint_row_get_fix_button (CAPI_LINT_ROW (row)), "clicked");
  g_assert_true (wait_for (preview_rebuilt, &w));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "PURCHASE");
  g_assert_null (find_lint_row (fixture->window, "event_name"));
}

static void
test_window_send_valid (Fixture       *fixture,
                        gconstpointer  data)
{
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window));
  Wait w = { fixture->window, NULL, 0 };
  g_autoptr(CapiHistory) fresh = NULL;
  g_autoptr(GError) error = NULL;
  GFile *history_file;

  type_into (fixture->window, "user_data.em", "qa@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (capi_window_get_busy (fixture->window));
  g_assert_true (wait_for (send_finished, &w));
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "VALID");

  /* The exchange reaches the history, durably: a fresh history on the same
   * file, as a restarted application would read it, holds it too. */
  w.text = capi_exchange_get_id (capi_response_view_get_exchange (view));
  g_assert_true (wait_for (history_has_exchange, &w));
  history_file = capi_history_get_file (capi_application_get_history (app));
  destroy_window (&fixture->window);
  fresh = capi_history_new (history_file);
  g_assert_true (capi_history_load (fresh, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (model_has_exchange (G_LIST_MODEL (fresh), w.text));

  /* And a fresh window of the application shows the same history. */
  fixture->window = open_window (fixture);
  g_assert_true (model_has_exchange (G_LIST_MODEL (capi_application_get_history (app)), w.text));
}

static gboolean
dedup_done (gpointer data)
{
  Wait *w = data;
  CapiDedupPage *page = capi_window_get_dedup_page (w->window);

  return capi_dedup_page_get_report (page) != NULL && !capi_dedup_page_get_running (page);
}

/* The whole flow: send an event, then on the Dedup tab compare what the
 * pixel fired (the same event id) against "Use my History". */
static void
test_window_send_then_dedup (Fixture       *fixture,
                             gconstpointer  data)
{
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window));
  Wait w = { fixture->window, NULL, 0 };
  g_autofree char *pixel_path = g_build_filename (g_get_user_data_dir (), "pixel.jsonl", NULL);
  g_autofree char *pixel_row = NULL;
  g_autofree char *pixel_id = NULL;
  g_autoptr(GFile) pixel_file = NULL;
  g_autoptr(GError) error = NULL;
  CapiExchange *exchange;
  CapiDedupReport *report;
  CapiDedupPage *page;
  gboolean found = FALSE;

  type_into (fixture->window, "user_data.em", "qa@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (wait_for (send_finished, &w));
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "VALID");
  exchange = capi_response_view_get_exchange (view);
  w.text = capi_exchange_get_id (exchange);
  g_assert_true (wait_for (history_has_exchange, &w));

  /* What the pixel fired for the same purchase, a few seconds earlier, on
   * the pixel the event went to (.../v3/PIXEL/events/validate). */
  pixel_id = g_strdup (strstr (capi_exchange_get_url (exchange), "/v3/") + 4);
  *strchr (pixel_id, '/') = '\0';
  pixel_row = g_strdup_printf ("{\"pixel_id\": \"%s\", "
                               "\"event_name\": \"PURCHASE\", \"dedup_id\": \"%s\", \"time\": %" G_GINT64_FORMAT "}\n",
                               pixel_id, capi_exchange_get_event_id (exchange, 0), g_get_real_time () / G_USEC_PER_SEC - 5);
  g_assert_true (g_file_set_contents (pixel_path, pixel_row, -1, &error));
  g_assert_no_error (error);
  pixel_file = g_file_new_for_path (pixel_path);

  /* The tab makes its page on the first visit, with the history offered. */
  adw_view_stack_set_visible_child_name (capi_window_get_view_stack (fixture->window), "dedup");
  page = capi_window_get_dedup_page (fixture->window);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page), GTK_WIDGET (fixture->window)));
  capi_dedup_page_add_file (page, CAPI_CONVERSION_SIDE_PIXEL, pixel_file);
  capi_dedup_page_set_use_history (page, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dedup.compare", NULL));
  g_assert_true (wait_for (dedup_done, &w));

  report = capi_dedup_page_get_report (page);
  g_assert_cmpuint (capi_dedup_report_get_summary (report)->pixel_only, ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (report)); i++)
    {
      g_autoptr(CapiDedupRow) row = g_list_model_get_item (G_LIST_MODEL (report), i);

      if (g_strcmp0 (capi_dedup_row_get_dedup_id (row), capi_exchange_get_event_id (exchange, 0)) == 0)
        {
          g_assert_cmpint (capi_dedup_row_get_class (row), ==, CAPI_DEDUP_CLASS_DEDUPLICATED);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_window_send_invalid_marks_field (Fixture       *fixture,
                                      gconstpointer  data)
{
  CapiComposePage *page = capi_window_get_compose_page (fixture->window);
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window));
  GtkWidget *currency_row = capi_compose_page_get_field_widget (page, "custom_data.currency");
  Wait w = { fixture->window, NULL, 0 };

  type_into (fixture->window, "user_data.em", "qa@example.com");
  /* Snap rejects a PURCHASE without its currency. */
  type_into (fixture->window, "custom_data.currency", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (wait_for (send_finished, &w));
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "INVALID");
  g_assert_true (gtk_widget_has_css_class (currency_row, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (currency_row));
}

/* Snap test and Snap live, with the sandbox standing in for Snap's host
 * (CAPI_INSPECTOR_SNAP_BASE_URL) and the token from SNAP_CAPI_TOKEN. */
static void
use_sandbox_as_snap (Fixture *fixture)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettings) profile = NULL;
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  g_object_get (settings, "path", &base, NULL);
  path = g_strconcat (base, "profiles/default/", NULL);
  profile = g_settings_new_with_path (APP_ID ".Profile", path);
  g_settings_set_string (settings, "active-profile", "default");
  g_settings_set_string (profile, "pixel-id", "5f0c2b1e-7d3a-4c8e-9b61-2a4f1d9e0c77");
  g_setenv ("CAPI_INSPECTOR_SNAP_BASE_URL", capi_application_get_sandbox_uri (app), TRUE);
  g_setenv ("SNAP_CAPI_TOKEN", "token-for-the-sandbox", TRUE);
}

static void
stop_using_sandbox_as_snap (void)
{
  g_unsetenv ("CAPI_INSPECTOR_SNAP_BASE_URL");
  g_unsetenv ("SNAP_CAPI_TOKEN");
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
select_destination (CapiWindow *window,
                    const char *label)
{
  AdwComboRow *row = capi_compose_page_get_destination_row (capi_window_get_compose_page (window));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
      adw_combo_row_set_selected (row, i);
}

static void
test_window_send_snap_test (Fixture       *fixture,
                            gconstpointer  data)
{
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window));
  Wait w = { fixture->window, NULL, 0 };
  CapiExchange *exchange;

  use_sandbox_as_snap (fixture);
  select_destination (fixture->window, "Snap test");
  type_into (fixture->window, "user_data.em", "qa@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (wait_for (send_finished, &w));

  exchange = capi_response_view_get_exchange (view);
  g_assert_cmpint (capi_exchange_get_destination (exchange), ==, CAPI_DESTINATION_SNAP_TEST);
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "VALID");
  /* The token reached the server but is not in what is kept. */
  g_assert_null (strstr (capi_exchange_get_url (exchange), "token-for-the-sandbox"));
  stop_using_sandbox_as_snap ();
}

static void
test_window_snap_live_confirms (Fixture       *fixture,
                                gconstpointer  data)
{
  CapiResponseView *view = capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window));
  Wait w = { fixture->window, NULL, 0 };
  AdwMessageDialog *dialog;

  use_sandbox_as_snap (fixture);
  select_destination (fixture->window, "Snap live");
  type_into (fixture->window, "user_data.em", "qa@example.com");

  /* Declining sends nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (wait_for (dialog_shown, NULL));
  g_assert_false (capi_window_get_busy (fixture->window));
  adw_message_dialog_response (find_message_dialog (), "cancel");
  g_assert_false (capi_window_get_busy (fixture->window));
  g_assert_null (capi_response_view_get_exchange (view));

  /* Confirming sends to the live path. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (wait_for (dialog_shown, NULL));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "send");
  g_assert_true (wait_for (send_finished, &w));
  g_assert_cmpint (capi_exchange_get_destination (capi_response_view_get_exchange (view)), ==,
                   CAPI_DESTINATION_SNAP_LIVE);
  g_assert_cmpstr (capi_response_view_get_verdict (view), ==, "VALID");

  select_destination (fixture->window, "Local sandbox");
  stop_using_sandbox_as_snap ();
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static void
test_window_copy_curl (Fixture       *fixture,
                       gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  ClipboardRead read = { NULL, FALSE };
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "qa@example.com", -1);

  type_into (fixture->window, "user_data.em", "QA@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-curl", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  g_assert_true (wait_for (clipboard_read_done, &read));

  g_assert_nonnull (read.text);
  g_assert_true (g_str_has_prefix (read.text, "curl -X POST \"http://127.0.0.1:"));
  /* The shell supplies the token; the command holds none. */
  g_assert_nonnull (strstr (read.text, "access_token=${SNAP_CAPI_TOKEN}\""));
  g_assert_null (strstr (read.text, "access_token=sandbox"));
  g_assert_nonnull (strstr (read.text, expected));
  g_assert_null (strstr (read.text, "QA@example.com"));
  g_free (read.text);
}

static gboolean
event_name_is (gpointer data)
{
  Wait *w = data;
  g_autofree char *name = capi_event_dup_string (capi_compose_page_get_event (capi_window_get_compose_page (w->window)),
                                                 "event_name");

  return g_strcmp0 (name, w->text) == 0;
}

static void
test_window_paste_event (Fixture       *fixture,
                         gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  CapiComposePage *page = capi_window_get_compose_page (fixture->window);
  Wait w = { fixture->window, "SIGN_UP", 0 };
  /* A v2 body, as an older integration sends it. */
  const char *v2 = "{\"event_type\": \"SIGN_UP\", \"event_conversion_type\": \"WEB\","
                   " \"timestamp\": 1700000000000, \"page_url\": \"https://example.com/\","
                   " \"client_dedup_id\": \"dedup-42\"}";

  gdk_clipboard_set_text (clipboard, v2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.paste-event", NULL));
  g_assert_true (wait_for (event_name_is, &w));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "event_id"))),
                   ==, "dedup-42");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "event_time"))),
                   ==, "1700000000");
}

static void
test_window_remembers_state (Fixture       *fixture,
                             gconstpointer  data)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  adw_view_stack_set_visible_child_name (capi_window_get_view_stack (fixture->window), "history");
  select_destination (fixture->window, "Snap test");

  /* Closing saves the size; the page and destination are saved as they change. */
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_close (GTK_WINDOW (fixture->window));
  while (fixture->window != NULL)
    g_main_context_iteration (NULL, TRUE);

  fixture->window = open_window (fixture);
  {
    int width, height;
    AdwComboRow *row = capi_compose_page_get_destination_row (capi_window_get_compose_page (fixture->window));

    gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
    g_assert_cmpint (width, ==, 900);
    g_assert_cmpint (height, ==, 700);
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (capi_window_get_view_stack (fixture->window)),
                     ==, "history");
    g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
  }

  /* Leave the defaults for the tests that follow. */
  adw_view_stack_set_visible_child_name (capi_window_get_view_stack (fixture->window), "compose");
  select_destination (fixture->window, "Local sandbox");
}

static gboolean
not_busy (gpointer data)
{
  return !capi_window_get_busy (((Wait *) data)->window);
}

static void
test_window_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  CapiSandbox *sandbox;
  Wait w = { fixture->window, NULL, 0 };

  g_assert_nonnull (capi_application_get_sandbox_uri (app));
  sandbox = capi_application_get_sandbox (app);
  /* Slow enough that the request is surely still in flight. */
  capi_sandbox_set_latency (sandbox, 20000);

  type_into (fixture->window, "user_data.em", "qa@example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send", NULL));
  g_assert_true (capi_window_get_busy (fixture->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL));
  g_assert_true (wait_for (not_busy, &w));
  g_assert_null (capi_response_view_get_exchange (capi_preview_pane_get_response_view (capi_window_get_preview_pane (fixture->window))));

  capi_sandbox_set_latency (sandbox, 0);
}

/* The file is written in place: wait until it holds a whole document. */
static gboolean
file_written (gpointer data)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  return g_file_load_contents (G_FILE (data), NULL, &contents, NULL, NULL, NULL) &&
         json_parser_load_from_data (parser, contents, -1, NULL) &&
         json_parser_get_root (parser) != NULL;
}

static gboolean
event_id_is (gpointer data)
{
  Wait *w = data;
  g_autofree char *id = capi_event_dup_string (capi_compose_page_get_event (capi_window_get_compose_page (w->window)),
                                               "event_id");

  return g_strcmp0 (id, w->text) == 0;
}

static void
test_window_open_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "events", "v2-body.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CapiComposePage *page = capi_window_get_compose_page (fixture->window);
  Wait w = { fixture->window, "order-1001", 0 };

  /* The first event of a v2 array, mapped to v3 names. */
  capi_window_open_file (fixture->window, file);
  g_assert_true (wait_for (event_id_is, &w));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "custom_data.order_id"))),
                   ==, "1001");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "user_data.em"))),
                   ==, "Jane.Doe@Example.COM");
}

static void
test_window_save_file_hashes_identity (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("capi-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "event.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "save.me@example.com", -1);
  g_autofree char *contents = NULL;
  g_autofree char *event_id = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { fixture->window, NULL, 0 };

  type_into (fixture->window, "user_data.em", "Save.Me@Example.com");
  type_into (fixture->window, "user_data.fn", "Ada");
  event_id = capi_event_dup_string (capi_compose_page_get_event (capi_window_get_compose_page (fixture->window)),
                                    "event_id");
  capi_window_save_file (fixture->window, file);
  g_assert_true (wait_for (file_written, file));

  /* No raw e-mail or name reaches the disk. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, hash));
  g_assert_null (strstr (contents, "Save.Me"));
  g_assert_null (strstr (contents, "save.me"));
  g_assert_null (strstr (contents, "Ada"));

  /* Opened again, the hash is recognised and sent as it is, not hashed twice. */
  capi_compose_page_apply_template (capi_window_get_compose_page (fixture->window), "PAGE_VIEW");
  capi_window_open_file (fixture->window, file);
  w.text = event_id;
  g_assert_true (wait_for (event_id_is, &w));
  w.text = hash;
  g_assert_true (wait_for (body_contains, &w));

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
destination_in_form (gpointer data)
{
  Wait *w = data;
  GtkWidget *group = GTK_WIDGET (capi_compose_page_get_destination_group (capi_window_get_compose_page (w->window)));

  return gtk_widget_get_visible (group) == (w->text != NULL);
}

static gboolean
window_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (((Wait *) data)->window)) <= 400;
}

static void
test_window_adaptive (Fixture       *fixture,
                      gconstpointer  data)
{
  Wait w = { fixture->window, NULL, 0 };

  /* Wide: the destination is in the header, not in the form. */
  g_assert_true (wait_for (destination_in_form, &w));

  /* Phone width: the preview goes under the form and the destination
   * moves into it. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  w.text = "narrow";
  g_assert_true (wait_for (destination_in_form, &w));
  /* Nothing keeps the window wider than a phone (the window buttons of
   * this X server leave it a little above 360). */
  g_assert_true (wait_for (window_narrow, &w));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  w.text = NULL;
  g_assert_true (wait_for (destination_in_form, &w));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  app = capi_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/capi/window/new-destroy", Fixture, NULL,
              fixture_setup, test_window_new_destroy, fixture_teardown);
  g_test_add ("/capi/window/preview-hash", Fixture, NULL,
              fixture_setup, test_window_preview_hash, fixture_teardown);
  g_test_add ("/capi/window/lint-fix", Fixture, NULL,
              fixture_setup, test_window_lint_fix, fixture_teardown);
  g_test_add ("/capi/window/send-valid", Fixture, NULL,
              fixture_setup, test_window_send_valid, fixture_teardown);
  g_test_add ("/capi/window/send-invalid-marks-field", Fixture, NULL,
              fixture_setup, test_window_send_invalid_marks_field, fixture_teardown);

  g_test_add ("/capi/window/send-snap-test", Fixture, NULL,
              fixture_setup, test_window_send_snap_test, fixture_teardown);
  g_test_add ("/capi/window/snap-live-confirms", Fixture, NULL,
              fixture_setup, test_window_snap_live_confirms, fixture_teardown);

  g_test_add ("/capi/window/copy-curl", Fixture, NULL,
              fixture_setup, test_window_copy_curl, fixture_teardown);
  g_test_add ("/capi/window/paste-event", Fixture, NULL,
              fixture_setup, test_window_paste_event, fixture_teardown);
  g_test_add ("/capi/window/remembers-state", Fixture, NULL,
              fixture_setup, test_window_remembers_state, fixture_teardown);

  g_test_add ("/capi/window/cancel", Fixture, NULL,
              fixture_setup, test_window_cancel, fixture_teardown);

  g_test_add ("/capi/window/open-file", Fixture, NULL,
              fixture_setup, test_window_open_file, fixture_teardown);
  g_test_add ("/capi/window/save-file-hashes-identity", Fixture, NULL,
              fixture_setup, test_window_save_file_hashes_identity, fixture_teardown);

  g_test_add ("/capi/window/adaptive", Fixture, NULL,
              fixture_setup, test_window_adaptive, fixture_teardown);
  g_test_add ("/capi/window/send-then-dedup", Fixture, NULL,
              fixture_setup, test_window_send_then_dedup, fixture_teardown);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
