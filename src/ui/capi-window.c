/* capi-window.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sys/resource.h>

#include "capi-client.h"
#include "capi-destination.h"
#include "capi-exchange.h"
#include "capi-history.h"
#include "capi-history-page.h"
#include "capi-lint.h"
#include "capi-payload.h"
#include "capi-profile.h"
#include "capi-secrets.h"
#include "capi-window.h"

/* Below this width the preview goes under the form (Adw 1.2 has no
 * breakpoints, so the window flips the paned itself). */
#define NARROW_WIDTH 720
/* Rebuild the preview at most this long after the last keystroke. */
#define PREVIEW_DELAY_MS 80
/* The sandbox wants some token and pixel id; neither is a secret. */
#define SANDBOX_TOKEN "sandbox"
#define SANDBOX_PIXEL_ID "00000000-0000-4000-8000-000000000000"

struct _CapiWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkDropDown        *destination_dropdown;
  GtkButton          *cancel_button;
  GtkSpinner         *spinner;
  AdwViewStack       *view_stack;
  GtkPaned           *compose_paned;
  CapiComposePage    *compose_page;
  CapiPreviewPane    *preview_pane;
  GtkBox             *history_page;
  CapiHistoryPage    *history_view;
  AdwBin             *dedup_bin;
  CapiDedupPage      *dedup_page;   /* made on first use, owned by dedup_bin */

  /* Owned */
  GSettings          *settings;
  CapiClient         *client;
  CapiSecrets        *secrets;
  CapiDestinationKind pending_kind;
  GCancellable       *send_cancellable;
  guint               preview_source;
  guint               preview_serial;
  gboolean            busy;

  /* bench/bench-startup.sh: timings printed when CAPI_INSPECTOR_BENCH is set */
  gboolean            bench;
  gint64              bench_first_key_us;
  gint64              bench_last_key_us;
  guint               bench_keys;
  guint               bench_rebuilds;
  gint64              bench_max_rebuild_us;
};

G_DEFINE_FINAL_TYPE (CapiWindow, capi_window, ADW_TYPE_APPLICATION_WINDOW)

/* Order of the destination drop-down. */
static const CapiDestinationKind destination_kinds[] = {
  CAPI_DESTINATION_SANDBOX,
  CAPI_DESTINATION_SNAP_TEST,
  CAPI_DESTINATION_SNAP_LIVE,
  CAPI_DESTINATION_ATS_SEND,
};

static CapiDestinationKind
selected_kind (CapiWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->destination_dropdown);

  if (selected >= G_N_ELEMENTS (destination_kinds))
    return CAPI_DESTINATION_SANDBOX;
  return destination_kinds[selected];
}

static const char *
sandbox_uri (CapiWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!CAPI_IS_APPLICATION (app))
    return NULL;
  return capi_application_get_sandbox_uri (CAPI_APPLICATION (app));
}

static char *
dup_setting_string (GSettings  *settings,
                    const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/* The active profile as stored by the preferences (relocatable schema
 * APP_ID.Profile under .../profiles/ID/), with the sandbox this
 * application runs. */
static CapiProfile *
load_profile (CapiWindow          *self,
              CapiDestinationKind  kind)
{
  g_autofree char *id = g_settings_get_string (self->settings, "active-profile");
  g_autofree char *base_path = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSettings) profile_settings = NULL;
  g_autoptr(CapiProfile) profile = NULL;
  g_autofree char *pixel_id = NULL;
  g_autofree char *ats_config_id = NULL;
  g_autofree char *ats_placement_id = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *country = NULL;
  g_autofree char *snap_base_url = NULL;
  g_autofree char *ats_base_url = NULL;

  profile = capi_profile_new (*id != '\0' ? id : "default");

  g_object_get (self->settings, "path", &base_path, NULL);
  if (*id != '\0' && strchr (id, '/') == NULL)
    {
      path = g_strconcat (base_path, "profiles/", id, "/", NULL);
      profile_settings = g_settings_new_with_path (APP_ID ".Profile", path);
      pixel_id = dup_setting_string (profile_settings, "pixel-id");
      ats_config_id = dup_setting_string (profile_settings, "ats-config-id");
      ats_placement_id = dup_setting_string (profile_settings, "ats-placement-id");
      origin = dup_setting_string (profile_settings, "origin");
      country = dup_setting_string (profile_settings, "default-country");
      snap_base_url = dup_setting_string (profile_settings, "snap-base-url");
      ats_base_url = dup_setting_string (profile_settings, "ats-base-url");
    }
  if (country == NULL)
    country = dup_setting_string (self->settings, "default-country");

  /* Any pixel id does for the local sandbox; a configured one is kept so
   * the sandbox's logs match the real pixel. */
  if (pixel_id == NULL && kind == CAPI_DESTINATION_SANDBOX)
    pixel_id = g_strdup (SANDBOX_PIXEL_ID);
  capi_profile_set_pixel_id (profile, pixel_id);
  capi_profile_set_ats_config_id (profile, ats_config_id);
  capi_profile_set_ats_placement_id (profile, ats_placement_id);
  capi_profile_set_origin (profile, origin);
  capi_profile_set_default_country (profile, country);
  capi_profile_set_snap_base_url (profile, snap_base_url);
  capi_profile_set_ats_base_url (profile, ats_base_url);
  capi_profile_set_sandbox_base_url (profile, sandbox_uri (self));
  capi_profile_set_connect_timeout_ms (profile, 1000 * g_settings_get_uint (self->settings, "connect-timeout"));
  capi_profile_set_total_timeout_ms (profile, 1000 * g_settings_get_uint (self->settings, "total-timeout"));
  capi_profile_set_max_attempts (profile, g_settings_get_uint (self->settings, "max-attempts"));

  return g_steal_pointer (&profile);
}

static GPtrArray *
headers_to_array (SoupMessageHeaders *headers)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) capi_header_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      CapiHeader *header = g_new0 (CapiHeader, 1);

      header->name = g_strdup (name);
      header->value = capi_destination_redact_header (name, value);
      g_ptr_array_add (array, header);
    }
  return array;
}

static GPtrArray *
current_events (CapiWindow *self)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (events, g_object_ref (capi_compose_page_get_event (self->compose_page)));
  return events;
}

static void
fill_options (CapiProfile        *profile,
              CapiPayloadOptions *options)
{
  memset (options, 0, sizeof *options);
  options->default_country = capi_profile_get_default_country (profile);
  options->test_event_code = capi_profile_get_test_event_code (profile);
}

static void bench_preview_done (CapiWindow *self,
                                gint64      started_us);

static void
update_preview (CapiWindow *self)
{
  gint64 started_us = g_get_monotonic_time ();
  CapiDestinationKind kind = selected_kind (self);
  g_autoptr(CapiProfile) profile = load_profile (self, kind);
  g_autoptr(GPtrArray) events = current_events (self);
  g_autoptr(GPtrArray) explain = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) header_array = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *shown_url = NULL;
  CapiPayloadOptions options;

  fill_options (profile, &options);

  body = capi_payload_build_string (capi_destination_kind_get_payload_kind (kind), events,
                                    &options, TRUE);
  explain = capi_payload_explain (events, &options);
  findings = capi_lint_run (events, CAPI_EVENT_FORMAT_V3_EVENT,
                            kind == CAPI_DESTINATION_ATS_SEND ? CAPI_LINT_TARGET_ATS
                                                              : CAPI_LINT_TARGET_SNAP,
                            g_date_time_to_unix (now));

  /* Lint judges events as an integration would send them, where a raw
   * e-mail in user_data.em is an error.  The composer hashes raw identity
   * values itself (the Normalization tab shows how), so that rule does not
   * apply to what leaves this window. */
  for (guint i = findings->len; i > 0; i--)
    if (g_strcmp0 (capi_finding_get_code (g_ptr_array_index (findings, i - 1)), "pii-unhashed") == 0)
      g_ptr_array_remove_index (findings, i - 1);

  /* The preview never sees the token: a placeholder stands in for it and
   * the URL is redacted before it is shown. */
  url = capi_destination_build_url (kind, profile,
                                    capi_destination_kind_uses_token (kind) ? SANDBOX_TOKEN : NULL,
                                    NULL, &error);
  if (url != NULL)
    shown_url = capi_destination_redact_url (url);
  else
    shown_url = g_strdup (error->message);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  capi_destination_add_headers (kind, profile, NULL, headers);
  header_array = headers_to_array (headers);

  capi_preview_pane_set_request (self->preview_pane, capi_destination_kind_get_method (kind),
                                 shown_url, header_array, body);
  capi_preview_pane_set_explain (self->preview_pane, explain);
  capi_preview_pane_set_findings (self->preview_pane, findings);

  self->preview_serial++;
  if (self->bench)
    bench_preview_done (self, started_us);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  CapiWindow *self = user_data;

  self->preview_source = 0;
  update_preview (self);
  return G_SOURCE_REMOVE;
}

/* A keystroke only sets a member and, if none is pending, starts a short
 * timer; the payload, the normalization table and lint are rebuilt when it
 * fires.  The timer is not restarted by later keys, so while someone types
 * the preview follows every 80 ms and is never more than that behind. */
static void
queue_preview (CapiWindow *self)
{
  if (self->preview_source == 0)
    self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
compose_changed_cb (CapiWindow *self)
{
  if (self->bench && self->bench_first_key_us != 0)
    {
      self->bench_last_key_us = g_get_monotonic_time ();
      self->bench_keys++;
    }
  queue_preview (self);
}

static void
destination_changed_cb (CapiWindow *self)
{
  g_settings_set_string (self->settings, "destination",
                         capi_destination_kind_to_string (selected_kind (self)));
  queue_preview (self);
}

static void
page_changed_cb (CapiWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (name != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-page", name);
  if (g_strcmp0 (name, "dedup") == 0)
    capi_window_get_dedup_page (self);
}

/* "data[0].user_data.em[1]" -> "user_data.em" */
static char *
key_from_path (const char *path)
{
  const char *start = path;
  g_autoptr(GString) key = g_string_new (NULL);

  if (path == NULL || *path == '\0')
    return NULL;
  if (g_str_has_prefix (start, "data["))
    {
      start = strchr (start, ']');
      if (start == NULL || start[1] != '.')
        return NULL;
      start += 2;
    }
  for (const char *p = start; *p != '\0' && *p != '['; p++)
    g_string_append_c (key, *p);
  return g_string_free (g_steal_pointer (&key), key->len == 0);
}

static gboolean
focus_finding (CapiWindow  *self,
               CapiFinding *finding)
{
  const char *key = capi_finding_get_key (finding);
  g_autofree char *derived = NULL;

  if (key == NULL)
    key = derived = key_from_path (capi_finding_get_path (finding));
  return key != NULL && capi_compose_page_focus_field (self->compose_page, key);
}

static void
finding_activated_cb (CapiWindow  *self,
                      CapiFinding *finding)
{
  if (!focus_finding (self, finding))
    capi_window_add_toast (self, _("This finding has no field in the form"));
}

static void
fix_requested_cb (CapiWindow  *self,
                  CapiFinding *finding)
{
  /* The page follows the event, and the preview follows the page. */
  if (!capi_lint_apply_fix (capi_compose_page_get_event (self->compose_page), finding))
    capi_window_add_toast (self, _("The fix no longer applies"));
  else
    update_preview (self);
}

/* Sending */

static void
set_busy (CapiWindow *self,
          gboolean    busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
mark_exchange_findings (CapiWindow   *self,
                        CapiExchange *exchange)
{
  GPtrArray *findings = capi_exchange_get_findings (exchange);

  capi_compose_page_clear_marks (self->compose_page);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      const char *key = capi_finding_get_key (finding);
      g_autofree char *derived = NULL;

      if (key == NULL)
        key = derived = key_from_path (capi_finding_get_path (finding));
      if (key != NULL)
        capi_compose_page_mark_field (self->compose_page, key, capi_finding_get_message (finding));
    }
}

static void
history_append_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capi_history_append_finish (CAPI_HISTORY (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not saved in the history: %s"), error->message);

      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL && self->settings != NULL)
        capi_window_add_toast (self, message);
    }
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(CapiExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  CapiResponseView *view;
  GtkApplication *app;

  exchange = capi_client_send_finish (CAPI_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->client != NULL)
        {
          set_busy (self, FALSE);
          capi_window_add_toast (self, _("Sending cancelled"));
        }
      return;
    }
  if (self->client == NULL)   /* the window went away meanwhile */
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->send_cancellable);

  if (exchange == NULL)
    {
      capi_window_add_toast (self, error->message);
      return;
    }

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (CAPI_IS_APPLICATION (app))
    capi_history_append_async (capi_application_get_history (CAPI_APPLICATION (app)), exchange,
                               NULL, history_append_cb, g_object_ref (self));

  view = capi_preview_pane_get_response_view (self->preview_pane);
  capi_response_view_set_exchange (view, exchange);
  capi_preview_pane_show_tab (self->preview_pane, "response");
  mark_exchange_findings (self, exchange);

  switch (capi_exchange_get_outcome (exchange))
    {
    case CAPI_EXCHANGE_OUTCOME_OK:
      message = g_strdup_printf (_("%s: accepted"),
                                 capi_destination_kind_get_label (capi_exchange_get_destination (exchange)));
      break;
    case CAPI_EXCHANGE_OUTCOME_INVALID:
      message = g_strdup (_("The event was rejected: see the marked fields"));
      break;
    case CAPI_EXCHANGE_OUTCOME_HTTP_ERROR:
      message = g_strdup_printf (_("HTTP error %u"), capi_exchange_get_status (exchange));
      break;
    case CAPI_EXCHANGE_OUTCOME_FAILED:
    case CAPI_EXCHANGE_OUTCOME_PENDING:
    default:
      message = g_strdup (_("No response from the destination"));
      break;
    }
  capi_window_add_toast (self, message);
}

/* Builds the body and hands it to the client with @token, which is used
 * for the URL only and not kept. */
static void
send_with_token (CapiWindow          *self,
                 CapiDestinationKind  kind,
                 const char          *token)
{
  g_autoptr(CapiProfile) profile = load_profile (self, kind);
  g_autoptr(GPtrArray) events = current_events (self);
  g_autoptr(GBytes) body = NULL;
  CapiPayloadOptions options;
  char *text;

  fill_options (profile, &options);
  text = capi_payload_build_string (capi_destination_kind_get_payload_kind (kind), events,
                                    &options, FALSE);
  body = g_bytes_new_take (text, strlen (text));

  capi_client_send_async (self->client, kind, profile, token, body, self->send_cancellable,
                          send_cb, g_object_ref (self));
}

static void
token_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = capi_secrets_lookup_finish (CAPI_SECRETS (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    {
      if (self->client != NULL)
        set_busy (self, FALSE);
      return;
    }

  if (token == NULL || *token == '\0')
    {
      g_autofree char *message = NULL;

      set_busy (self, FALSE);
      if (error != NULL)
        message = g_strdup_printf (_("The access token could not be read from the keyring: %s"),
                                   error->message);
      else
        message = g_strdup (_("No access token for this profile: add it in Preferences "
                              "or set SNAP_CAPI_TOKEN"));
      capi_window_add_toast (self, message);
      return;
    }

  send_with_token (self, self->pending_kind, token);
}

static void
start_send (CapiWindow *self)
{
  CapiDestinationKind kind = selected_kind (self);

  if (self->busy)
    return;

  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  if (kind == CAPI_DESTINATION_SANDBOX || !capi_destination_kind_uses_token (kind))
    {
      send_with_token (self, kind, kind == CAPI_DESTINATION_SANDBOX ? SANDBOX_TOKEN : NULL);
      return;
    }

  /* Snap wants the profile's token: SNAP_CAPI_TOKEN, else the keyring. */
  {
    g_autofree char *profile = g_settings_get_string (self->settings, "active-profile");

    self->pending_kind = kind;
    capi_secrets_lookup_async (self->secrets, *profile != '\0' ? profile : "default",
                               self->send_cancellable, token_lookup_cb, g_object_ref (self));
  }
}

static void
confirm_live_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 CapiWindow       *self)
{
  if (g_strcmp0 (response, "send") == 0)
    start_send (self);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CapiWindow *self = CAPI_WINDOW (widget);
  GtkWidget *dialog;

  if (self->busy)
    return;

  if (selected_kind (self) != CAPI_DESTINATION_SNAP_LIVE)
    {
      start_send (self);
      return;
    }

  /* Live events count in the advertiser's reports: ask first. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Send to Snap Live?"),
                                   _("The event goes to Snap's production endpoint and is counted "
                                     "in the pixel's reporting. Use Snap test to validate without "
                                     "recording anything."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Live"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_live_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiWindow *self = CAPI_WINDOW (widget);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

static void
template_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CapiWindow *self = CAPI_WINDOW (widget);

  capi_compose_page_apply_template (self->compose_page, g_variant_get_string (parameter, NULL));
  adw_view_stack_set_visible_child_name (self->view_stack, "compose");
}

/* Copy as cURL: the token never goes to the clipboard; the command reads
 * it from $SNAP_CAPI_TOKEN. */

#define TOKEN_PLACEHOLDER "CAPITOKENPLACEHOLDER"

static char *
build_curl (CapiWindow  *self,
            GError     **error)
{
  CapiDestinationKind kind = selected_kind (self);
  g_autoptr(CapiProfile) profile = load_profile (self, kind);
  g_autoptr(GPtrArray) events = current_events (self);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GString) url_arg = g_string_new ("\"");
  g_autoptr(GString) cmd = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body_arg = NULL;
  g_auto(GStrv) parts = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  CapiPayloadOptions options;

  url = capi_destination_build_url (kind, profile,
                                    capi_destination_kind_uses_token (kind) ? TOKEN_PLACEHOLDER : NULL,
                                    NULL, error);
  if (url == NULL)
    return NULL;

  /* Double quotes so the shell expands the variable; escape what is
   * special inside them. */
  parts = g_strsplit (url, TOKEN_PLACEHOLDER, -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (url_arg, "${SNAP_CAPI_TOKEN}");
      for (const char *p = parts[i]; *p != '\0'; p++)
        {
          if (strchr ("\"\\$`", *p) != NULL)
            g_string_append_c (url_arg, '\\');
          g_string_append_c (url_arg, *p);
        }
    }
  g_string_append_c (url_arg, '"');

  cmd = g_string_new ("curl -X ");
  g_string_append (cmd, capi_destination_kind_get_method (kind));
  g_string_append_c (cmd, ' ');
  g_string_append (cmd, url_arg->str);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  capi_destination_add_headers (kind, profile, NULL, headers);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *redacted = capi_destination_redact_header (name, value);
      g_autofree char *line = g_strdup_printf ("%s: %s", name, redacted);
      g_autofree char *quoted = g_shell_quote (line);

      g_string_append_printf (cmd, " \\\n  -H %s", quoted);
    }

  if (capi_destination_kind_has_body (kind))
    {
      fill_options (profile, &options);
      body = capi_payload_build_string (capi_destination_kind_get_payload_kind (kind), events,
                                        &options, FALSE);
      body_arg = g_shell_quote (body);
      g_string_append_printf (cmd, " \\\n  --data-raw %s", body_arg);
    }

  return g_string_free (g_steal_pointer (&cmd), FALSE);
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CapiWindow *self = CAPI_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *curl = build_curl (self, &error);

  if (curl == NULL)
    {
      capi_window_add_toast (self, error->message);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), curl);
  capi_window_add_toast (self, _("cURL command copied; it reads the token from $SNAP_CAPI_TOKEN"));
}

/* Importing: open, drop, paste — all through the core readers. */

static void
load_events (CapiWindow *self,
             GPtrArray  *events,
             CapiEventFormat format)
{
  g_autofree char *message = NULL;

  if (events == NULL || events->len == 0)
    {
      capi_window_add_toast (self, _("The document holds no event"));
      return;
    }

  capi_compose_page_set_event (self->compose_page, g_ptr_array_index (events, 0));
  adw_view_stack_set_visible_child_name (self->view_stack, "compose");
  if (events->len > 1)
    message = g_strdup_printf (ngettext ("Loaded the first of %u event (%s)",
                                         "Loaded the first of %u events (%s)", events->len),
                               events->len, capi_event_format_to_string (format));
  else
    message = g_strdup_printf (_("Loaded a %s event"), capi_event_format_to_string (format));
  capi_window_add_toast (self, message);
}

static void
read_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  events = capi_event_read_file_finish (result, &format, &error);
  if (events == NULL)
    {
      capi_window_add_toast (self, error->message);
      return;
    }
  load_events (self, events, format);
}

static void
open_file (CapiWindow *self,
           GFile      *file)
{
  capi_window_open_file (self, file);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  CapiWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      open_file (self, file);
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("JSON documents"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  return filter;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Event"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* What "Save" writes: the event with every hashed identifier replaced by
 * its hash, so no raw e-mail, phone or name reaches the disk. */
static char *
event_document_for_disk (CapiWindow *self)
{
  g_autoptr(CapiEvent) copy = capi_event_copy (capi_compose_page_get_event (self->compose_page));
  g_autoptr(CapiProfile) profile = load_profile (self, selected_kind (self));
  const char * const *keys = capi_normalize_user_data_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_auto(GStrv) values = NULL;
      g_autoptr(GPtrArray) sent = NULL;

      if (capi_normalize_field_kind (keys[i]) != CAPI_FIELD_HASHED)
        continue;
      key = g_strconcat ("user_data.", keys[i], NULL);
      if (!capi_event_has_member (copy, key))
        continue;

      values = capi_event_dup_strv (copy, key);
      sent = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; values[j] != NULL; j++)
        {
          CapiValueState state;
          char *wire = capi_normalize_value_for_wire (keys[i], values[j],
                                                      capi_profile_get_default_country (profile),
                                                      &state, NULL);
          if (wire != NULL)
            g_ptr_array_add (sent, wire);
        }
      g_ptr_array_add (sent, NULL);
      capi_event_set_strv (copy, key, (const char * const *) sent->pdata);
    }

  return capi_event_to_json (copy, TRUE);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    capi_window_add_toast (self, error->message);
  else
    capi_window_add_toast (self, _("Event saved; identity values are stored hashed"));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  CapiWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      capi_window_save_file (self, file);
    }
  g_object_unref (dialog);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  dialog = gtk_file_chooser_native_new (_("Save Event"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "event.json");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
load_text (CapiWindow *self,
           const char *text)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  events = capi_event_read_document (text, -1, &format, &error);
  if (events == NULL)
    {
      capi_window_add_toast (self, error->message);
      return;
    }
  load_events (self, events, format);
}

/* History page: "Load into composer" reads the request body that was sent
 * (hashed identifiers) back into the form; "Re-send" does the same, picks
 * the exchange's destination and sends (Snap live still asks first). */
static gboolean
load_exchange (CapiWindow   *self,
               CapiExchange *exchange)
{
  GBytes *body = capi_exchange_get_request_body (exchange);
  g_autofree char *text = NULL;

  if (body == NULL)
    {
      capi_window_add_toast (self, _("This exchange sent no event"));
      return FALSE;
    }
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  load_text (self, text);
  return TRUE;
}

static void
history_load_event_cb (CapiWindow      *self,
                       CapiExchange    *exchange,
                       CapiHistoryPage *page)
{
  load_exchange (self, exchange);
}

static void
history_resend_cb (CapiWindow      *self,
                   CapiExchange    *exchange,
                   CapiHistoryPage *page)
{
  CapiDestinationKind kind = capi_exchange_get_destination (exchange);

  if (!load_exchange (self, exchange))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (destination_kinds); i++)
    if (destination_kinds[i] == kind)
      gtk_drop_down_set_selected (self->destination_dropdown, i);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.send", NULL);
}

static void
paste_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CapiWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (text == NULL)
    {
      capi_window_add_toast (self, _("The clipboard holds no text"));
      return;
    }
  load_text (self, text);
}

static void
paste_event_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, paste_cb,
                                 g_object_ref (widget));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CapiWindow    *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files == NULL)
        return FALSE;
      open_file (self, files->data);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    {
      load_text (self, g_value_get_string (value));
      return TRUE;
    }
  return FALSE;
}


/* Benchmark mode (bench/bench-startup.sh).  The script starts the app with
 * CAPI_INSPECTOR_BENCH=<its CLOCK_MONOTONIC start time in µs>; the window
 * reports the first frame, focuses the e-mail field and, once the script
 * has typed BENCH_KEYS characters into it, how long the preview took to
 * catch up, then quits.  Timings go to stdout only in this mode. */

#define BENCH_KEYS 100

static void
bench_preview_done (CapiWindow *self,
                    gint64      started_us)
{
  gint64 now = g_get_monotonic_time ();
  GtkWidget *email;

  if (self->bench_first_key_us == 0)
    return;

  self->bench_rebuilds++;
  self->bench_max_rebuild_us = MAX (self->bench_max_rebuild_us, now - started_us);

  email = capi_compose_page_get_field_widget (self->compose_page, "user_data.em");
  if (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (email)), -1) < BENCH_KEYS)
    return;

  g_print ("keystrokes %u\n", self->bench_keys);
  g_print ("burst_ms %.1f\n", (self->bench_last_key_us - self->bench_first_key_us) / 1000.0);
  g_print ("preview_lag_after_last_key_ms %.1f\n", (now - self->bench_last_key_us) / 1000.0);
  g_print ("preview_rebuilds %u\n", self->bench_rebuilds);
  g_print ("max_rebuild_ms %.2f\n", self->bench_max_rebuild_us / 1000.0);
  self->bench = FALSE;
  g_application_quit (g_application_get_default ());
}

static void
bench_first_key_cb (CapiWindow *self)
{
  if (self->bench_first_key_us == 0)
    {
      self->bench_first_key_us = self->bench_last_key_us = g_get_monotonic_time ();
      self->bench_keys = 1;
    }
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      CapiWindow    *self)
{
  gint64 t0 = g_ascii_strtoll (g_getenv ("CAPI_INSPECTOR_BENCH"), NULL, 10);
  struct rusage usage;
  GtkWidget *email;

  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("first_frame_ms %.1f\n", (g_get_monotonic_time () - t0) / 1000.0);
  /* CPU time is what a busy machine does not inflate. */
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    g_print ("first_frame_cpu_ms %.1f\n",
             (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
             (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0);

  email = capi_compose_page_get_field_widget (self->compose_page, "user_data.em");
  gtk_editable_set_text (GTK_EDITABLE (email), "");
  g_signal_connect_swapped (email, "changed", G_CALLBACK (bench_first_key_cb), self);
  gtk_widget_grab_focus (email);
  g_print ("ready\n");
}

static void
bench_map_cb (CapiWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self);
}

/* Window state */

static void
first_paint_cb (GdkFrameClock *clock,
                CapiWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  if (self->preview_serial == 0 && self->preview_source == 0)
    queue_preview (self);
}

static void
first_map_cb (CapiWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, first_map_cb, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_paint_cb), self, 0);
}

/* Wide: form | preview side by side, destination in the header.  Narrow:
 * preview under the form, destination in the form (the header has no room
 * for it at phone width). */
static void
apply_layout (CapiWindow *self,
              int         width,
              int         height)
{
  GtkOrientation wanted = width < NARROW_WIDTH ? GTK_ORIENTATION_VERTICAL
                                               : GTK_ORIENTATION_HORIZONTAL;
  gboolean narrow = wanted == GTK_ORIENTATION_VERTICAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->compose_paned)) == wanted)
    return;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->compose_paned), wanted);
  gtk_paned_set_position (self->compose_paned, narrow ? height * 11 / 20 : width * 9 / 20);
  gtk_widget_set_visible (GTK_WIDGET (self->destination_dropdown), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (capi_compose_page_get_destination_group (self->compose_page)),
                          narrow);
}

/* A size asked for (restored from the settings, or set by a program) is
 * laid out before it is measured, so a narrow request is not held wide by
 * the wide layout's minimum width. */
static void
default_size_changed_cb (CapiWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    apply_layout (self, width, height);
}

static void
capi_window_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  apply_layout (CAPI_WINDOW (widget), width, height);

  GTK_WIDGET_CLASS (capi_window_parent_class)->size_allocate (widget, width, height, baseline);
}

static gboolean
capi_window_close_request (GtkWindow *window)
{
  CapiWindow *self = CAPI_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (capi_window_parent_class)->close_request (window);
}

static void
capi_window_dispose (GObject *object)
{
  CapiWindow *self = CAPI_WINDOW (object);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  g_clear_object (&self->send_cancellable);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->secrets);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAPI_TYPE_WINDOW);

  G_OBJECT_CLASS (capi_window_parent_class)->dispose (object);
}

static void
capi_window_class_init (CapiWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = capi_window_dispose;
  widget_class->size_allocate = capi_window_size_allocate;
  window_class->close_request = capi_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/capi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, compose_page);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, compose_paned);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, dedup_bin);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, destination_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, history_view);
  gtk_widget_class_bind_template_callback (widget_class, history_load_event_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_resend_cb);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, preview_pane);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CapiWindow, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, compose_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, destination_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, finding_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, fix_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.template", "s", template_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.paste-event", NULL, paste_event_action);
  gtk_widget_class_install_action (widget_class, "win.copy-curl", NULL, copy_curl_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.paste-event", NULL);

  g_type_ensure (CAPI_TYPE_COMPOSE_PAGE);
  g_type_ensure (CAPI_TYPE_DEDUP_PAGE);
  g_type_ensure (CAPI_TYPE_HISTORY_PAGE);
  g_type_ensure (CAPI_TYPE_PREVIEW_PANE);
}

static void
capi_window_init (CapiWindow *self)
{
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };
  g_autofree char *destination = NULL;
  g_autofree char *page = NULL;
  CapiDestinationKind kind;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->client = capi_client_new ();
  self->secrets = capi_secrets_new ();

  g_signal_connect (self, "notify::default-width", G_CALLBACK (default_size_changed_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (default_size_changed_cb), NULL);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  destination = g_settings_get_string (self->settings, "destination");
  if (capi_destination_kind_from_string (destination, &kind))
    for (guint i = 0; i < G_N_ELEMENTS (destination_kinds); i++)
      if (destination_kinds[i] == kind)
        gtk_drop_down_set_selected (self->destination_dropdown, i);

  g_object_bind_property (self->destination_dropdown, "selected",
                          capi_compose_page_get_destination_row (self->compose_page), "selected",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_visible (GTK_WIDGET (capi_compose_page_get_destination_group (self->compose_page)),
                          gtk_orientable_get_orientation (GTK_ORIENTABLE (self->compose_paned)) ==
                          GTK_ORIENTATION_VERTICAL);

  page = g_settings_get_string (self->settings, "last-page");
  adw_view_stack_set_visible_child_name (self->view_stack, page);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  set_busy (self, FALSE);
  /* The first preview (which also starts the sandbox) waits for the first
   * frame, so the window shows up without it. */
  g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);

  if (g_getenv ("CAPI_INSPECTOR_BENCH") != NULL)
    {
      self->bench = TRUE;
      g_signal_connect (self, "map", G_CALLBACK (bench_map_cb), NULL);
    }
}

CapiWindow *
capi_window_new (CapiApplication *application)
{
  CapiWindow *self = g_object_new (CAPI_TYPE_WINDOW, "application", application, NULL);

  capi_history_page_set_history (self->history_view, capi_application_get_history (application));
  if (self->dedup_page != NULL)
    capi_dedup_page_set_history (self->dedup_page, capi_application_get_history (application));
  return self;
}

CapiComposePage *
capi_window_get_compose_page (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), NULL);
  return self->compose_page;
}

CapiPreviewPane *
capi_window_get_preview_pane (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), NULL);
  return self->preview_pane;
}

GtkBox *
capi_window_get_history_page (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), NULL);
  return self->history_page;
}

CapiDedupPage *
capi_window_get_dedup_page (CapiWindow *self)
{
  GtkApplication *application;

  g_return_val_if_fail (CAPI_IS_WINDOW (self), NULL);

  /* Most sessions never open it: building its widgets at start-up cost
   * about a fifth of the time to the first frame. */
  if (self->dedup_page == NULL)
    {
      self->dedup_page = capi_dedup_page_new ();
      adw_bin_set_child (self->dedup_bin, GTK_WIDGET (self->dedup_page));
      application = gtk_window_get_application (GTK_WINDOW (self));
      if (CAPI_IS_APPLICATION (application))
        capi_dedup_page_set_history (self->dedup_page,
                                     capi_application_get_history (CAPI_APPLICATION (application)));
    }
  return self->dedup_page;
}

void
capi_window_compare_files (CapiWindow *self,
                           GPtrArray  *pixel_files,
                           GPtrArray  *capi_files)
{
  g_return_if_fail (CAPI_IS_WINDOW (self));
  g_return_if_fail (pixel_files != NULL && capi_files != NULL);

  for (guint i = 0; i < pixel_files->len; i++)
    capi_dedup_page_add_file (capi_window_get_dedup_page (self), CAPI_CONVERSION_SIDE_PIXEL,
                              g_ptr_array_index (pixel_files, i));
  for (guint i = 0; i < capi_files->len; i++)
    capi_dedup_page_add_file (capi_window_get_dedup_page (self), CAPI_CONVERSION_SIDE_CAPI,
                              g_ptr_array_index (capi_files, i));
  adw_view_stack_set_visible_child_name (self->view_stack, "dedup");
  if (pixel_files->len > 0 && capi_files->len > 0)
    capi_dedup_page_compare (capi_window_get_dedup_page (self));
}

AdwViewStack *
capi_window_get_view_stack (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), NULL);
  return self->view_stack;
}

gboolean
capi_window_get_busy (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), FALSE);
  return self->busy;
}

guint
capi_window_get_preview_serial (CapiWindow *self)
{
  g_return_val_if_fail (CAPI_IS_WINDOW (self), 0);
  return self->preview_serial;
}

void
capi_window_add_toast (CapiWindow *self,
                       const char *title)
{
  AdwToast *toast;
  g_autofree char *escaped = NULL;

  g_return_if_fail (CAPI_IS_WINDOW (self));

  /* A toast title is markup; messages from the core may hold '<' or '&'. */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * capi_window_open_file:
 * @file: a v3, v2, ATS or JSON Lines document
 *
 * Loads the first event of @file into the form (asynchronously, through
 * the core reader), as Open, a dropped file or the command line do.
 */
void
capi_window_open_file (CapiWindow *self,
                       GFile      *file)
{
  g_return_if_fail (CAPI_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  capi_event_read_file_async (file, NULL, read_file_cb, g_object_ref (self));
}

/**
 * capi_window_save_file:
 * @file: where to write
 *
 * Writes the edited event to @file (asynchronously), identity values
 * hashed; a toast says how it went.
 */
void
capi_window_save_file (CapiWindow *self,
                       GFile      *file)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_return_if_fail (CAPI_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  text = event_document_for_disk (self);
  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, save_done_cb, g_object_ref (self));
}
