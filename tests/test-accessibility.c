/* test-accessibility.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the widget trees of the real windows and fails on every interactive
 * widget a screen reader could not name.  A widget has a name when it has an
 * accessible label or labelled-by relation, when it is a row with a title,
 * or (for buttons) when it shows text.  A tooltip alone does not count: it
 * becomes the accessible description, not the name.
 */
#include "config.h"

#include <adwaita.h>

#include "capi-application.h"
#include "capi-preferences-window.h"
#include "capi-window.h"

#include "ui-test-util.h"

static gboolean
is_interactive (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_SWITCH (w) ||
         GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) || GTK_IS_SCALE (w) ||
         GTK_IS_ENTRY (w) || GTK_IS_TEXT (w) || GTK_IS_SEARCH_ENTRY (w) ||
         GTK_IS_PASSWORD_ENTRY (w) || GTK_IS_SPIN_BUTTON (w) ||
         (GTK_IS_TEXT_VIEW (w) && gtk_text_view_get_editable (GTK_TEXT_VIEW (w))) ||
         ADW_IS_ENTRY_ROW (w) || ADW_IS_COMBO_ROW (w) || ADW_IS_SPLIT_BUTTON (w) ||
         (ADW_IS_ACTION_ROW (w) && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (w)));
}

static gboolean
has_text_label (GtkWidget *w)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (w));

      if (text != NULL && *text != '\0')
        return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_text_label (c))
      return TRUE;
  return FALSE;
}

/* The widget that speaks for W: the text part of an entry, a spin button or
 * an entry row is announced with the name of the entry around it, and the
 * button inside a menu button with the menu button's name. */
static GtkWidget *
owner_of (GtkWidget *w)
{
  GtkWidget *parent = gtk_widget_get_parent (w);

  if (GTK_IS_TEXT (w))
    {
      GtkWidget *owner;

      owner = gtk_widget_get_ancestor (w, ADW_TYPE_ENTRY_ROW);
      if (owner == NULL)
        owner = gtk_widget_get_ancestor (w, GTK_TYPE_SPIN_BUTTON);
      if (owner == NULL && (GTK_IS_ENTRY (parent) || GTK_IS_SEARCH_ENTRY (parent) ||
                            GTK_IS_PASSWORD_ENTRY (parent)))
        owner = parent;
      return owner;
    }
  if (GTK_IS_BUTTON (w) && (GTK_IS_MENU_BUTTON (parent) || ADW_IS_SPLIT_BUTTON (parent)))
    return parent;
  return NULL;
}

static gboolean
is_button_like (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_MENU_BUTTON (w) ||
         ADW_IS_SPLIT_BUTTON (w);
}

static gboolean
has_accessible_name (GtkWidget *w)
{
  GtkWidget *owner;
  g_autofree char *mismatch = NULL;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* check_property returns NULL when the value equals the expected one,
       * so a non-NULL answer against "" means the label is not empty. */
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (w),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, "");
      if (mismatch != NULL)
        return TRUE;
    }

  /* Rows are announced with their title (libadwaita points labelled-by at
   * the title label even when it is empty, so the title itself is checked). */
  if (ADW_IS_PREFERENCES_ROW (w))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));

      return title != NULL && *title != '\0';
    }

  /* Buttons take their name from the text they show.  GTK points a
   * button's labelled-by at its child, even when that child is only an
   * icon, so the relation says nothing here. */
  if (is_button_like (w) && has_text_label (w))
    return TRUE;

  owner = owner_of (w);
  if (owner != NULL)
    return has_accessible_name (owner);

  if (!is_button_like (w) &&
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      g_free (mismatch);
      /* Non-NULL against an empty list: the relation names someone. */
      mismatch = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (w),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
      return mismatch != NULL;
    }

  return FALSE;
}

static char *
describe (GtkWidget *w)
{
  GString *path = g_string_new (G_OBJECT_TYPE_NAME (w));
  const char *tooltip = gtk_widget_get_tooltip_text (w);

  if (GTK_IS_BUTTON (w) && gtk_button_get_icon_name (GTK_BUTTON (w)) != NULL)
    g_string_append_printf (path, " icon=%s", gtk_button_get_icon_name (GTK_BUTTON (w)));
  if (tooltip != NULL)
    g_string_append_printf (path, " tooltip=\"%s\"", tooltip);
  for (GtkWidget *p = gtk_widget_get_parent (w); p != NULL; p = gtk_widget_get_parent (p))
    {
      const char *name = gtk_widget_get_name (p);

      g_string_append_printf (path, " < %s", G_OBJECT_TYPE_NAME (p));
      if (name != NULL && g_strcmp0 (name, G_OBJECT_TYPE_NAME (p)) != 0)
        g_string_append_printf (path, "#%s", name);
    }
  return g_string_free (path, FALSE);
}

/* Appends a description of every visible interactive widget under ROOT
 * without an accessible name to UNNAMED; returns how many interactive
 * widgets were checked. */
static guint
check_tree (GtkWidget *root,
            GPtrArray *unnamed)
{
  guint checked = 0;

  if (!gtk_widget_get_visible (root))
    return 0;

  if (is_interactive (root))
    {
      checked++;
      if (!has_accessible_name (root))
        g_ptr_array_add (unnamed, describe (root));
    }

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    checked += check_tree (c, unnamed);

  return checked;
}

static void
assert_all_named (GtkWidget *root,
                  guint      min_checked)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  guint checked = check_tree (root, unnamed);

  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *) unnamed->pdata[i]);
  g_test_message ("%u interactive widgets checked in %s", checked, G_OBJECT_TYPE_NAME (root));

  g_assert_cmpuint (unnamed->len, ==, 0);
  g_assert_cmpuint (checked, >=, min_checked);
}

/* The checker itself: it must catch what it is meant to catch. */
static void
test_checker_catches_unnamed (void)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon_button = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  GtkWidget *text_button = gtk_button_new_with_label ("Delete");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *sw = gtk_switch_new ();
  GtkWidget *row = adw_entry_row_new ();

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_widget_set_tooltip_text (icon_button, "Delete");   /* not a name */
  gtk_box_append (GTK_BOX (box), icon_button);
  gtk_box_append (GTK_BOX (box), text_button);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), sw);
  gtk_box_append (GTK_BOX (box), row);
  gtk_window_present (GTK_WINDOW (window));

  /* icon button, entry (and its text), check button, switch, untitled
   * entry row (and its text): seven findings; the labelled button passes. */
  g_assert_cmpuint (check_tree (window, unnamed), ==, 8);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("unnamed: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 7);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Name", -1);
  gtk_check_button_set_label (GTK_CHECK_BUTTON (check), "Include token");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (sw),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, text_button, NULL,
                                  -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Pixel ID");

  g_ptr_array_set_size (unnamed, 0);
  check_tree (window, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("still unnamed: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);

  /* An empty accessible label is no name either. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  check_tree (window, unnamed);
  g_assert_cmpuint (unnamed->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The failing case end to end: assert_all_named aborts the test on an
 * unnamed widget.  Run in a subprocess so the parent can see it fail. */
static void
test_checker_fails_test (void)
{
  if (g_test_subprocess ())
    {
      GtkWidget *window = gtk_window_new ();

      gtk_window_set_child (GTK_WINDOW (window),
                            gtk_button_new_from_icon_name ("document-send-symbolic"));
      gtk_window_present (GTK_WINDOW (window));
      assert_all_named (window, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*unnamed->len*");
}

static void
test_main_window_named (void)
{
  g_autoptr(CapiApplication) app = capi_application_new ();
  g_autoptr(GError) error = NULL;
  GList *windows;
  GtkWidget *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  ui_test_drain ();

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  window = GTK_WIDGET (windows->data);

  assert_all_named (window, 3);

  /* The Dedup page with a comparison on screen: chips, table, detail. */
  {
    g_autofree char *pixel_path = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-pixel.jsonl", NULL);
    g_autofree char *capi_path = g_test_build_filename (G_TEST_DIST, "data", "dedup", "mix-capi.jsonl", NULL);
    g_autoptr(GPtrArray) pixel = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) capi = g_ptr_array_new_with_free_func (g_object_unref);
    CapiDedupPage *page = capi_window_get_dedup_page (CAPI_WINDOW (window));

    g_ptr_array_add (pixel, g_file_new_for_path (pixel_path));
    g_ptr_array_add (capi, g_file_new_for_path (capi_path));
    capi_window_compare_files (CAPI_WINDOW (window), pixel, capi);
    while (capi_dedup_page_get_report (page) == NULL || capi_dedup_page_get_running (page))
      g_main_context_iteration (NULL, TRUE);
    ui_test_drain ();
    g_assert_nonnull (capi_dedup_page_get_selected (page));
    assert_all_named (GTK_WIDGET (page), 20);
  }

  /* The preferences window opened the way the user opens it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ui_test_drain ();
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  if (!CAPI_IS_PREFERENCES_WINDOW (window))
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (CAPI_IS_PREFERENCES_WINDOW (l->data))
          window = l->data;
    }
  g_assert_true (CAPI_IS_PREFERENCES_WINDOW (window));
  assert_all_named (window, 15);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_drain ();

  /* The about window, also opened through its action. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ui_test_drain ();
  window = NULL;
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_ABOUT_WINDOW (l->data))
        window = l->data;
  }
  g_assert_nonnull (window);
  assert_all_named (window, 3);
  gtk_window_destroy (GTK_WINDOW (window));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (GTK_WINDOW (l->data));
  ui_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  /* The shared test environment turns accessibility off (GTK_A11Y=none),
   * which also drops the properties set on widgets.  The test backend keeps
   * them without needing an AT-SPI bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/capi/accessibility/checker-catches-unnamed", test_checker_catches_unnamed);
  g_test_add_func ("/capi/accessibility/checker-fails-test", test_checker_fails_test);
  g_test_add_func ("/capi/accessibility/windows-named", test_main_window_named);

  return g_test_run ();
}
