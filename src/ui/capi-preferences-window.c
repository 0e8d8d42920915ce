/* capi-preferences-window.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "capi-a11y.h"
#include "capi-preferences-window.h"
#include "capi-profile-settings.h"
#include "capi-secrets.h"

struct _CapiPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwEntryRow         *ats_base_url_row;
  AdwEntryRow         *ats_config_id_row;
  AdwEntryRow         *ats_placement_id_row;
  GtkSpinButton       *connect_timeout_spin;
  GtkSpinButton       *dedup_days_spin;
  GtkSpinButton       *dedup_hours_spin;
  AdwEntryRow         *default_country_row;
  AdwEntryRow         *envelope_base_url_row;
  GtkButton           *forget_token_button;
  GtkSpinButton       *max_attempts_spin;
  AdwEntryRow         *origin_row;
  AdwEntryRow         *pixel_id_row;
  AdwEntryRow         *profile_country_row;
  AdwComboRow         *profile_row;
  GtkStringList       *profiles_model;
  AdwEntryRow         *snap_base_url_row;
  AdwEntryRow         *test_event_code_row;
  AdwPasswordEntryRow *token_row;
  AdwActionRow        *token_status_row;
  GtkSpinButton       *total_timeout_spin;

  /* Owned */
  CapiSecrets         *secrets;
  GSettings           *settings;
  GSettings           *profile_settings;
  char                *profile_name;
  GCancellable        *token_cancellable;

  /* Set while the profile list is being rebuilt from the settings, so that
   * the combo row's selection changes are not written back. */
  gboolean             syncing_profiles;
};

G_DEFINE_FINAL_TYPE (CapiPreferencesWindow, capi_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Profile rows and the key of the relocatable profile schema each edits. */
#define N_PROFILE_ROWS 9

static void
profile_rows (CapiPreferencesWindow  *self,
              AdwEntryRow           **rows,
              const char            **keys)
{
  AdwEntryRow *r[N_PROFILE_ROWS] = {
    self->pixel_id_row, self->test_event_code_row, self->ats_config_id_row,
    self->ats_placement_id_row, self->origin_row, self->profile_country_row,
    self->snap_base_url_row, self->ats_base_url_row, self->envelope_base_url_row,
  };
  const char *k[N_PROFILE_ROWS] = {
    "pixel-id", "test-event-code", "ats-config-id",
    "ats-placement-id", "origin", "default-country",
    "snap-base-url", "ats-base-url", "envelope-base-url",
  };

  for (guint i = 0; i < N_PROFILE_ROWS; i++)
    {
      rows[i] = r[i];
      keys[i] = k[i];
    }
}

static gboolean
profile_exists (CapiPreferencesWindow *self,
                const char            *name)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "profiles");

  return g_strv_contains ((const char * const *) names, name);
}

/* Token status ---------------------------------------------------------- */

static void
set_token_status (CapiPreferencesWindow *self,
                  gboolean               stored,
                  gboolean               from_environment)
{
  if (from_environment)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                     _("The token in SNAP_CAPI_TOKEN is used; it overrides your keyring"));
      adw_action_row_set_subtitle (self->token_status_row, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->forget_token_button), TRUE);
      return;
    }

  if (stored)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                   _("A token for this profile is stored in your keyring"));
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                   _("No token stored in your keyring"));
  adw_action_row_set_subtitle (self->token_status_row, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_token_button), stored);
}

static void
show_token_error (CapiPreferencesWindow *self,
                  const GError          *error)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                 _("The keyring could not be used"));
  /* The message comes from libsecret or D-Bus and never contains the token. */
  adw_action_row_set_subtitle (self->token_status_row, error->message);
}

static void
token_lookup_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapiPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gboolean from_environment = FALSE;

  token = capi_secrets_lookup_finish (CAPI_SECRETS (source), result, &from_environment, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      show_token_error (self, error);
      return;
    }

  set_token_status (self, token != NULL && *token != '\0', from_environment);
  if (token != NULL)
    memset (token, 0, strlen (token));
}

static void
refresh_token_status (CapiPreferencesWindow *self)
{
  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  self->token_cancellable = g_cancellable_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row),
                                 _("Checking your keyring…"));
  adw_action_row_set_subtitle (self->token_status_row, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_token_button), FALSE);
  capi_secrets_lookup_async (self->secrets, self->profile_name, self->token_cancellable,
                             token_lookup_cb, g_object_ref (self));
}

static void
token_store_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CapiPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capi_secrets_store_finish (CAPI_SECRETS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_token_error (self, error);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  refresh_token_status (self);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Access token stored in your keyring")));
}

static void
token_row_apply_cb (CapiPreferencesWindow *self,
                    AdwEntryRow           *row)
{
  const char *token = gtk_editable_get_text (GTK_EDITABLE (row));

  if (token == NULL || *token == '\0')
    return;

  capi_secrets_store_async (self->secrets, self->profile_name, token, self->token_cancellable,
                            token_store_cb, g_object_ref (self));
}

static void
token_clear_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CapiPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capi_secrets_clear_finish (CAPI_SECRETS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_token_error (self, error);
      return;
    }
  refresh_token_status (self);
}

static void
forget_token_clicked_cb (CapiPreferencesWindow *self,
                         GtkButton             *button)
{
  capi_secrets_clear_async (self->secrets, self->profile_name, self->token_cancellable,
                            token_clear_cb, g_object_ref (self));
}

/* Profiles -------------------------------------------------------------- */

static void
select_profile (CapiPreferencesWindow *self,
                const char            *name)
{
  AdwEntryRow *rows[N_PROFILE_ROWS];
  const char *keys[N_PROFILE_ROWS];

  if (g_strcmp0 (name, self->profile_name) == 0 && self->profile_settings != NULL)
    return;

  profile_rows (self, rows, keys);
  for (guint i = 0; i < N_PROFILE_ROWS; i++)
    g_settings_unbind (rows[i], "text");
  g_clear_object (&self->profile_settings);
  g_free (self->profile_name);
  self->profile_name = g_strdup (name);

  self->profile_settings = capi_profile_settings_new (name);
  for (guint i = 0; i < N_PROFILE_ROWS; i++)
    g_settings_bind (self->profile_settings, keys[i], rows[i], "text",
                     G_SETTINGS_BIND_DEFAULT);

  /* A half-typed token belongs to the profile it was typed for. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  refresh_token_status (self);
}

/* Rebuilds the combo row from the "profiles" key and selects the active
 * profile (the first one if the active name is not in the list). */
static void
sync_profiles (CapiPreferencesWindow *self)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "profiles");
  g_autofree char *active = g_settings_get_string (self->settings, "active-profile");
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->profiles_model));
  guint selected = 0;

  if (names[0] == NULL)
    {
      g_strfreev (names);
      names = g_new0 (char *, 2);
      names[0] = g_strdup ("default");
    }

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], active) == 0)
      selected = i;

  self->syncing_profiles = TRUE;
  gtk_string_list_splice (self->profiles_model, 0, n_old, (const char * const *) names);
  adw_combo_row_set_selected (self->profile_row, selected);
  self->syncing_profiles = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-profile",
                                 g_strv_length (names) > 1);
  select_profile (self, names[selected]);
}

static void
profile_row_selected_cb (CapiPreferencesWindow *self,
                         GParamSpec            *pspec,
                         AdwComboRow           *row)
{
  GtkStringObject *item;
  const char *name;

  if (self->syncing_profiles)
    return;

  item = adw_combo_row_get_selected_item (row);
  if (item == NULL)
    return;

  name = gtk_string_object_get_string (item);
  select_profile (self, name);
  /* Writing the key calls sync_profiles (), which finds nothing to change. */
  g_settings_set_string (self->settings, "active-profile", name);
}

static void
settings_changed_cb (CapiPreferencesWindow *self,
                     const char            *key,
                     GSettings             *settings)
{
  sync_profiles (self);
}

static void
add_profile_name_changed_cb (GtkEditable      *entry,
                             AdwMessageDialog *dialog)
{
  CapiPreferencesWindow *self = g_object_get_data (G_OBJECT (dialog), "capi-preferences");
  const char *name = gtk_editable_get_text (entry);
  gboolean ok = capi_profile_settings_name_is_valid (name) && !profile_exists (self, name);

  adw_message_dialog_set_response_enabled (dialog, "add", ok);
}

static void
add_profile_response_cb (AdwMessageDialog      *dialog,
                         const char            *response,
                         CapiPreferencesWindow *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strdup (gtk_editable_get_text (entry));
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GSettings) fresh = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  if (!capi_profile_settings_name_is_valid (name) || profile_exists (self, name))
    return;

  /* A profile of the same name may have been removed before; start clean. */
  fresh = capi_profile_settings_new (name);
  capi_profile_settings_reset (fresh);

  names = g_settings_get_strv (self->settings, "profiles");
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, name);
  g_strfreev (names);
  names = g_strv_builder_end (builder);

  g_settings_delay (self->settings);
  g_settings_set_strv (self->settings, "profiles", (const char * const *) names);
  g_settings_set_string (self->settings, "active-profile", name);
  g_settings_apply (self->settings);
}

static void
add_profile_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CapiPreferencesWindow *self = CAPI_PREFERENCES_WINDOW (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("New Profile"),
                                                       _("A profile keeps the IDs and the access token of one integration.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);

  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Profile name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Profile name"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  g_object_set_data (G_OBJECT (dialog), "capi-preferences", self);
  g_signal_connect (entry, "changed", G_CALLBACK (add_profile_name_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_profile_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_profile_clear_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The window may be gone already; a failure here only leaves a stale
   * keyring item behind, which the user can see in their keyring manager. */
  if (!capi_secrets_clear_finish (CAPI_SECRETS (source), result, &error))
    g_warning ("Could not remove an access token from the keyring: %s", error->message);
}

static void
remove_profile_response_cb (AdwMessageDialog      *dialog,
                            const char            *response,
                            CapiPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "capi-profile-name");
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GSettings) doomed = NULL;
  g_autofree char *first = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  names = g_settings_get_strv (self->settings, "profiles");
  builder = g_strv_builder_new ();
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) != 0)
      {
        g_strv_builder_add (builder, names[i]);
        if (first == NULL)
          first = g_strdup (names[i]);
      }
  if (first == NULL)
    return;   /* never remove the last profile */
  g_strfreev (names);
  names = g_strv_builder_end (builder);

  doomed = capi_profile_settings_new (name);
  capi_profile_settings_reset (doomed);
  capi_secrets_clear_async (self->secrets, name, NULL, remove_profile_clear_cb, NULL);

  g_settings_delay (self->settings);
  g_settings_set_strv (self->settings, "profiles", (const char * const *) names);
  g_settings_set_string (self->settings, "active-profile", first);
  g_settings_apply (self->settings);
}

static void
remove_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CapiPreferencesWindow *self = CAPI_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     _("Remove Profile “%s”?"), self->profile_name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Its settings and its access token in your keyring will be deleted. The history is kept."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "capi-profile-name",
                          g_strdup (self->profile_name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_profile_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject --------------------------------------------------------------- */

static void
capi_preferences_window_dispose (GObject *object)
{
  CapiPreferencesWindow *self = (CapiPreferencesWindow *) object;

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->profile_settings);
  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAPI_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (capi_preferences_window_parent_class)->dispose (object);
}

static void
capi_preferences_window_finalize (GObject *object)
{
  CapiPreferencesWindow *self = (CapiPreferencesWindow *) object;

  g_clear_pointer (&self->profile_name, g_free);

  G_OBJECT_CLASS (capi_preferences_window_parent_class)->finalize (object);
}

static void
capi_preferences_window_class_init (CapiPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_preferences_window_dispose;
  object_class->finalize = capi_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/capi-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, ats_base_url_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, ats_config_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, ats_placement_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, connect_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, dedup_days_spin);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, dedup_hours_spin);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, default_country_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, envelope_base_url_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, forget_token_button);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, max_attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, origin_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, pixel_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, profile_country_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, profiles_model);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, snap_base_url_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, test_event_code_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, token_status_row);
  gtk_widget_class_bind_template_child (widget_class, CapiPreferencesWindow, total_timeout_spin);
  gtk_widget_class_bind_template_callback (widget_class, forget_token_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_row_apply_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-profile", NULL, add_profile_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-profile", NULL, remove_profile_action);
}

static void
capi_preferences_window_init (CapiPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->secrets = capi_secrets_new ();
  self->token_cancellable = g_cancellable_new ();

  g_settings_bind (self->settings, "default-country", self->default_country_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "connect-timeout",
                   gtk_spin_button_get_adjustment (self->connect_timeout_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "total-timeout",
                   gtk_spin_button_get_adjustment (self->total_timeout_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-attempts",
                   gtk_spin_button_get_adjustment (self->max_attempts_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "dedup-window-hours",
                   gtk_spin_button_get_adjustment (self->dedup_hours_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "dedup-transaction-window-days",
                   gtk_spin_button_get_adjustment (self->dedup_days_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::profiles",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::active-profile",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  sync_profiles (self);

  capi_a11y_name_toolkit_widgets (GTK_WIDGET (self));
}

CapiPreferencesWindow *
capi_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (CAPI_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

/* The profile currently shown (and active). */
const char *
capi_preferences_window_get_profile_name (CapiPreferencesWindow *self)
{
  g_return_val_if_fail (CAPI_IS_PREFERENCES_WINDOW (self), NULL);

  return self->profile_name;
}

/* The keyring access the window uses; tests point it at the in-memory
 * session collection.  (transfer none) */
CapiSecrets *
capi_preferences_window_get_secrets (CapiPreferencesWindow *self)
{
  g_return_val_if_fail (CAPI_IS_PREFERENCES_WINDOW (self), NULL);

  return self->secrets;
}
