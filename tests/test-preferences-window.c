/* test-preferences-window.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "capi-preferences-window.h"
#include "capi-profile-settings.h"

#include "ui-test-util.h"

static GtkWidget *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The spin button that is the activatable widget of the row titled TITLE. */
static GtkSpinButton *
find_spin (GtkWidget  *root,
           const char *title)
{
  GtkWidget *row = find_row (root, ADW_TYPE_ACTION_ROW, title);

  g_assert_nonnull (row);
  return GTK_SPIN_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettings) work = capi_profile_settings_new ("work");
  g_autoptr(GSettings) dflt = capi_profile_settings_new ("default");

  g_settings_reset (settings, "profiles");
  g_settings_reset (settings, "active-profile");
  g_settings_reset (settings, "connect-timeout");
  capi_profile_settings_reset (work);
  capi_profile_settings_reset (dflt);
}

static void
test_preferences_new_destroy (void)
{
  CapiPreferencesWindow *prefs;

  reset_settings ();
  prefs = capi_preferences_window_new (NULL);
  g_assert_true (CAPI_IS_PREFERENCES_WINDOW (prefs));
  g_assert_cmpstr (capi_preferences_window_get_profile_name (prefs), ==, "default");
  ui_test_drain ();

  g_object_ref (prefs);
  gtk_window_destroy (GTK_WINDOW (prefs));
  /* The keyring lookup started for the status row holds a reference until
   * its (cancelled) answer comes back. */
  while (G_OBJECT (prefs)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_finalize_object (prefs);
}

static void
test_preferences_stores_profile_field (void)
{
  g_autoptr(GSettings) profile = NULL;
  g_autofree char *pixel_id = NULL;
  CapiPreferencesWindow *prefs;
  GtkWidget *row;

  reset_settings ();
  prefs = capi_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (prefs));
  ui_test_drain ();

  row = find_row (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Pixel ID");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "45fc0f19-9f2c-4b6a-8e1a-6d0b3c1a2f01");

  profile = capi_profile_settings_new ("default");
  pixel_id = g_settings_get_string (profile, "pixel-id");
  g_assert_cmpstr (pixel_id, ==, "45fc0f19-9f2c-4b6a-8e1a-6d0b3c1a2f01");

  gtk_window_destroy (GTK_WINDOW (prefs));
  ui_test_drain ();
}

static void
test_preferences_switches_profile (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettings) work = NULL;
  g_autoptr(GSettings) dflt = NULL;
  g_autofree char *work_origin = NULL;
  g_autofree char *default_origin = NULL;
  const char *names[] = { "default", "work", NULL };
  CapiPreferencesWindow *prefs;
  GtkWidget *profile_row;
  GtkWidget *origin_row;

  reset_settings ();
  prefs = capi_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (prefs));
  ui_test_drain ();

  /* Another part of the app adds a profile and makes it active: the window
   * follows and edits that profile's settings from then on. */
  g_settings_set_strv (settings, "profiles", names);
  g_settings_set_string (settings, "active-profile", "work");
  ui_test_drain ();
  g_assert_cmpstr (capi_preferences_window_get_profile_name (prefs), ==, "work");

  profile_row = find_row (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW, "Profile");
  g_assert_nonnull (profile_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (profile_row)), ==, 1);

  origin_row = find_row (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Origin");
  gtk_editable_set_text (GTK_EDITABLE (origin_row), "https://shop.example");

  work = capi_profile_settings_new ("work");
  dflt = capi_profile_settings_new ("default");
  work_origin = g_settings_get_string (work, "origin");
  default_origin = g_settings_get_string (dflt, "origin");
  g_assert_cmpstr (work_origin, ==, "https://shop.example");
  g_assert_cmpstr (default_origin, ==, "");

  /* Choosing in the combo row makes the profile active. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (profile_row), 0);
  ui_test_drain ();
  g_free (default_origin);
  default_origin = g_settings_get_string (settings, "active-profile");
  g_assert_cmpstr (default_origin, ==, "default");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (origin_row)), ==, "");

  gtk_window_destroy (GTK_WINDOW (prefs));
  ui_test_drain ();
}

static void
test_preferences_stores_timeouts (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CapiPreferencesWindow *prefs;
  GtkSpinButton *spin;

  reset_settings ();
  prefs = capi_preferences_window_new (NULL);
  ui_test_drain ();

  spin = find_spin (GTK_WIDGET (prefs), "Connection Timeout");
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 10.0);
  gtk_spin_button_set_value (spin, 25.0);
  g_assert_cmpuint (g_settings_get_uint (settings, "connect-timeout"), ==, 25);

  spin = find_spin (GTK_WIDGET (prefs), "Event ID Window");
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 48.0);
  spin = find_spin (GTK_WIDGET (prefs), "Transaction ID Window");
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 30.0);

  gtk_window_destroy (GTK_WINDOW (prefs));
  ui_test_drain ();
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

#define CHECKING "Checking your keyring…"

/* Waits until the keyring status row shows an answer other than OLD_TITLE
 * (and other than the "checking" note shown while a lookup runs). */
static const char *
wait_status_change (AdwPreferencesRow *row,
                    const char        *old_title)
{
  while (g_strcmp0 (adw_preferences_row_get_title (row), old_title) == 0 ||
         g_strcmp0 (adw_preferences_row_get_title (row), CHECKING) == 0)
    g_main_context_iteration (NULL, TRUE);
  return adw_preferences_row_get_title (row);
}

static void
test_preferences_token_in_keyring (void)
{
  g_autoptr(CapiSecrets) reader = capi_secrets_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  CapiPreferencesWindow *prefs;
  GtkWidget *token_row;
  GtkWidget *forget;
  AdwPreferencesRow *status;
  const char *title;

  g_unsetenv ("SNAP_CAPI_TOKEN");
  reset_settings ();
  prefs = capi_preferences_window_new (NULL);
  capi_secrets_set_collection (capi_preferences_window_get_secrets (prefs), SECRET_COLLECTION_SESSION);
  gtk_window_present (GTK_WINDOW (prefs));

  forget = find_button (GTK_WIDGET (prefs), "_Forget");
  g_assert_nonnull (forget);
  status = ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (forget, ADW_TYPE_ACTION_ROW));
  token_row = find_row (GTK_WIDGET (prefs), ADW_TYPE_PASSWORD_ENTRY_ROW, "Access Token");
  g_assert_nonnull (token_row);

  /* The first lookup tells whether a Secret Service is there at all. */
  title = wait_status_change (status, CHECKING);
  if (g_strcmp0 (title, "The keyring could not be used") == 0)
    {
      gtk_window_destroy (GTK_WINDOW (prefs));
      ui_test_drain ();
      g_test_skip ("no Secret Service on this session bus");
      return;
    }
  /* The session is fresh: nothing stored for "default" yet. */
  g_assert_cmpstr (title, ==, "No token stored in your keyring");
  g_assert_false (gtk_widget_get_sensitive (forget));

  gtk_editable_set_text (GTK_EDITABLE (token_row), "test-token-4711");
  g_signal_emit_by_name (token_row, "apply");
  title = wait_status_change (status, "No token stored in your keyring");
  g_assert_cmpstr (title, ==, "A token for this profile is stored in your keyring");
  g_assert_true (gtk_widget_get_sensitive (forget));
  /* Typed once, then gone from the widget. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "");

  stored = capi_secrets_lookup (reader, "default", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "test-token-4711");

  /* Never in the settings. */
  {
    g_autoptr(GSettings) profile = capi_profile_settings_new ("default");
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (profile, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_autoptr(GVariant) value = g_settings_get_value (profile, keys[i]);
        g_autofree char *text = g_variant_print (value, FALSE);

        g_assert_null (strstr (text, "test-token-4711"));
      }
  }

  gtk_widget_activate (forget);
  title = wait_status_change (status, "A token for this profile is stored in your keyring");
  g_assert_cmpstr (title, ==, "No token stored in your keyring");
  g_clear_pointer (&stored, g_free);
  stored = capi_secrets_lookup (reader, "default", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  gtk_window_destroy (GTK_WINDOW (prefs));
  ui_test_drain ();
}

static void
test_profile_settings_names (void)
{
  g_assert_true (capi_profile_settings_name_is_valid ("default"));
  g_assert_true (capi_profile_settings_name_is_valid ("Shop – staging"));
  g_assert_false (capi_profile_settings_name_is_valid (""));
  g_assert_false (capi_profile_settings_name_is_valid ("a/b"));
  g_assert_false (capi_profile_settings_name_is_valid ("tab\there"));
  g_assert_false (capi_profile_settings_name_is_valid ("\xff\xfe"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/capi/preferences-window/new-destroy", test_preferences_new_destroy);
  g_test_add_func ("/capi/preferences-window/stores-profile-field", test_preferences_stores_profile_field);
  g_test_add_func ("/capi/preferences-window/switches-profile", test_preferences_switches_profile);
  g_test_add_func ("/capi/preferences-window/stores-timeouts", test_preferences_stores_timeouts);
  g_test_add_func ("/capi/preferences-window/token-in-keyring", test_preferences_token_in_keyring);
  g_test_add_func ("/capi/preferences-window/profile-names", test_profile_settings_names);

  return g_test_run ();
}
