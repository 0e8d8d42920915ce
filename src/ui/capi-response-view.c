/* capi-response-view.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "capi-finding.h"
#include "capi-response-view.h"
#include "capi-ui-util.h"

struct _CapiResponseView
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkLabel            *verdict_label;
  GtkSpinner          *spinner;
  GtkLabel            *reason_label;
  AdwActionRow        *status_row;
  AdwActionRow        *timings_row;
  AdwActionRow        *request_row;
  AdwPreferencesGroup *findings_group;
  GtkLabel            *response_headers_label;
  GtkLabel            *request_headers_label;
  GtkSourceView       *pretty_view;
  GtkTextView         *raw_view;

  /* Owned */
  CapiExchange        *exchange;
  GPtrArray           *finding_rows;   /* borrowed rows in findings_group */
};

G_DEFINE_FINAL_TYPE (CapiResponseView, capi_response_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXCHANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_ms (double ms)
{
  if (ms < 0)
    return g_strdup (_("unknown"));
  if (ms < 10)
    return g_strdup_printf (_("%.1f ms"), ms);
  return g_strdup_printf (_("%.0f ms"), ms);
}

static void
set_text_view (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
clear_findings (CapiResponseView *self)
{
  while (self->finding_rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_steal_index (self->finding_rows, self->finding_rows->len - 1);
      adw_preferences_group_remove (self->findings_group, row);
    }
}

static void
show_findings (CapiResponseView *self)
{
  GPtrArray *findings = capi_exchange_get_findings (self->exchange);

  clear_findings (self);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      gboolean error = capi_finding_get_severity (finding) == CAPI_SEVERITY_ERROR;
      const char *path = capi_finding_get_path (finding);
      g_autofree char *title = NULL;

      icon = gtk_image_new_from_icon_name (error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, error ? "error" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      error ? _("Error") : _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      /* Snap's messages are text; row titles are markup. */
      title = g_markup_escape_text (capi_finding_get_message (finding), -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (path != NULL && *path != '\0')
        {
          g_autofree char *subtitle = g_markup_escape_text (path, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      adw_preferences_group_add (self->findings_group, row);
      g_ptr_array_add (self->finding_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->findings_group), self->finding_rows->len > 0);
}

static void
show_body (CapiResponseView *self)
{
  GBytes *body = capi_exchange_get_response_body (self->exchange);
  JsonNode *json = capi_exchange_get_response_json (self->exchange);
  g_autofree char *raw = NULL;
  g_autofree char *pretty = NULL;

  if (body != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (body, &size);

      if (g_utf8_validate_len (data, size, NULL))
        raw = g_strndup (data, size);
      else
        raw = g_strdup_printf (_("(binary data, %zu bytes)"), size);
    }

  if (json != NULL)
    pretty = json_to_string (json, TRUE);

  set_text_view (GTK_TEXT_VIEW (self->pretty_view), pretty != NULL ? pretty : raw);
  set_text_view (self->raw_view, raw);
}

static void
refresh (CapiResponseView *self)
{
  CapiExchangeOutcome outcome;
  const char *snap_status;
  const char *snap_reason;
  const GError *error;
  CapiTimings timings;
  guint attempts;
  g_autofree char *verdict = NULL;
  g_autofree char *status = NULL;
  g_autofree char *timing_text = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *ttfb = NULL;
  g_autofree char *total = NULL;
  g_autofree char *request = NULL;
  g_autofree char *request_headers = NULL;
  g_autofree char *response_headers = NULL;
  char *escaped;

  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "error");

  if (self->exchange == NULL)
    {
      gtk_label_set_text (self->verdict_label, "");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_spinner_stop (self->spinner);
      clear_findings (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "exchange");

  outcome = capi_exchange_get_outcome (self->exchange);
  snap_status = capi_exchange_get_snap_status (self->exchange);
  snap_reason = capi_exchange_get_snap_reason (self->exchange);
  error = capi_exchange_get_error (self->exchange);

  if (outcome == CAPI_EXCHANGE_OUTCOME_PENDING)
    verdict = g_strdup (_("Sending…"));
  else if (snap_status != NULL && *snap_status != '\0')
    verdict = g_strdup (snap_status);
  else if (outcome == CAPI_EXCHANGE_OUTCOME_FAILED)
    verdict = g_strdup (_("No response"));
  else
    verdict = g_strdup_printf (_("HTTP %u"), capi_exchange_get_status (self->exchange));
  gtk_label_set_text (self->verdict_label, verdict);

  if (outcome == CAPI_EXCHANGE_OUTCOME_OK)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), "success");
  else if (outcome != CAPI_EXCHANGE_OUTCOME_PENDING)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), "error");
  gtk_spinner_set_spinning (self->spinner, outcome == CAPI_EXCHANGE_OUTCOME_PENDING);

  if (error != NULL)
    gtk_label_set_text (self->reason_label, error->message);
  else
    gtk_label_set_text (self->reason_label, snap_reason != NULL ? snap_reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label),
                          *gtk_label_get_text (self->reason_label) != '\0');

  if (capi_exchange_get_status (self->exchange) != 0)
    status = g_strdup_printf ("%u %s", capi_exchange_get_status (self->exchange),
                              capi_exchange_get_reason_phrase (self->exchange) != NULL
                              ? capi_exchange_get_reason_phrase (self->exchange) : "");
  else
    status = g_strdup (outcome == CAPI_EXCHANGE_OUTCOME_PENDING ? _("Waiting for the answer")
                                                                 : _("No HTTP response"));
  /* Subtitles are markup; a reason phrase or a URL query may hold '&'. */
  escaped = g_markup_escape_text (status, -1);
  adw_action_row_set_subtitle (self->status_row, escaped);
  g_free (escaped);

  capi_exchange_get_timings (self->exchange, &timings);
  attempts = capi_exchange_get_attempts (self->exchange);
  connect = format_ms (timings.connect_ms);
  ttfb = format_ms (timings.ttfb_ms);
  total = format_ms (timings.total_ms);
  timing_text = g_strdup_printf (ngettext ("Connect %s · first byte %s · total %s · %u attempt",
                                           "Connect %s · first byte %s · total %s · %u attempts",
                                           attempts),
                                 connect, ttfb, total, attempts);
  adw_action_row_set_subtitle (self->timings_row, timing_text);

  request = g_strdup_printf ("%s · %s %s",
                             capi_destination_kind_get_label (capi_exchange_get_destination (self->exchange)),
                             capi_exchange_get_method (self->exchange),
                             capi_exchange_get_url (self->exchange));
  escaped = g_markup_escape_text (request, -1);
  adw_action_row_set_subtitle (self->request_row, escaped);
  g_free (escaped);

  request_headers = capi_ui_format_headers (capi_exchange_get_request_headers (self->exchange));
  response_headers = capi_ui_format_headers (capi_exchange_get_response_headers (self->exchange));
  gtk_label_set_text (self->request_headers_label, request_headers);
  gtk_label_set_text (self->response_headers_label, response_headers);

  show_body (self);
  show_findings (self);
}

static void
exchange_notify_cb (CapiResponseView *self)
{
  refresh (self);
}

static void
capi_response_view_dispose (GObject *object)
{
  CapiResponseView *self = CAPI_RESPONSE_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CAPI_TYPE_RESPONSE_VIEW);
  /* Template children that are not bound to a field stay parented. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->exchange);
  g_clear_pointer (&self->finding_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (capi_response_view_parent_class)->dispose (object);
}

static void
capi_response_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CapiResponseView *self = CAPI_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      g_value_set_object (value, self->exchange);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_response_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CapiResponseView *self = CAPI_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      capi_response_view_set_exchange (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_response_view_class_init (CapiResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_response_view_dispose;
  object_class->get_property = capi_response_view_get_property;
  object_class->set_property = capi_response_view_set_property;

  properties[PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL, CAPI_TYPE_EXCHANGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/capi-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, findings_group);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, pretty_view);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, raw_view);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, request_headers_label);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, request_row);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, response_headers_label);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, stack);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, status_row);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, timings_row);
  gtk_widget_class_bind_template_child (widget_class, CapiResponseView, verdict_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
capi_response_view_init (CapiResponseView *self)
{
  self->finding_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  capi_ui_setup_json_view (self->pretty_view);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Response"), -1);
  refresh (self);
}

GtkWidget *
capi_response_view_new (void)
{
  return g_object_new (CAPI_TYPE_RESPONSE_VIEW, NULL);
}

CapiExchange *
capi_response_view_get_exchange (CapiResponseView *self)
{
  g_return_val_if_fail (CAPI_IS_RESPONSE_VIEW (self), NULL);

  return self->exchange;
}

void
capi_response_view_set_exchange (CapiResponseView *self,
                                 CapiExchange     *exchange)
{
  g_return_if_fail (CAPI_IS_RESPONSE_VIEW (self));
  g_return_if_fail (exchange == NULL || CAPI_IS_EXCHANGE (exchange));

  if (self->exchange == exchange)
    return;

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_func (self->exchange, exchange_notify_cb, self);
  g_set_object (&self->exchange, exchange);
  if (exchange != NULL)
    g_signal_connect_object (exchange, "notify", G_CALLBACK (exchange_notify_cb), self,
                             G_CONNECT_SWAPPED);

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCHANGE]);
}

const char *
capi_response_view_get_verdict (CapiResponseView *self)
{
  g_return_val_if_fail (CAPI_IS_RESPONSE_VIEW (self), NULL);

  return gtk_label_get_text (self->verdict_label);
}

char *
capi_response_view_dup_body (CapiResponseView *self)
{
  g_return_val_if_fail (CAPI_IS_RESPONSE_VIEW (self), NULL);

  return capi_ui_dup_view_text (GTK_TEXT_VIEW (self->pretty_view));
}
