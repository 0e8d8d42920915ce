/* capi-history-row.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-history-row.h"

/* One exchange in the history list, on two lines so that it fits a phone:
 * the event(s) and Snap's verdict, then time, destination, HTTP status and
 * latency. */
struct _CapiHistoryRow
{
  AdwBin        parent_instance;

  /* Template widgets */
  GtkLabel     *destination_label;
  GtkLabel     *event_label;
  GtkLabel     *latency_label;
  GtkLabel     *status_label;
  GtkLabel     *time_label;
  GtkLabel     *verdict_label;

  /* Owned */
  CapiExchange *exchange;
};

G_DEFINE_FINAL_TYPE (CapiHistoryRow, capi_history_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EXCHANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *verdict_classes[] = { "success", "warning", "error", "dim-label" };

/* "PURCHASE", "PURCHASE, ADD_CART", "PURCHASE and 4 more"; NULL when the
 * exchange carried no event (a GET of logs or stats). */
char *
capi_history_row_dup_events (CapiExchange *exchange)
{
  guint n;
  const char *first;

  g_return_val_if_fail (CAPI_IS_EXCHANGE (exchange), NULL);

  n = capi_exchange_get_n_events (exchange);
  if (n == 0)
    return NULL;

  first = capi_exchange_get_event_name (exchange, 0);
  if (first == NULL)
    first = _("(no event name)");
  if (n == 1)
    return g_strdup (first);
  if (n == 2)
    {
      const char *second = capi_exchange_get_event_name (exchange, 1);

      return g_strdup_printf ("%s, %s", first, second != NULL ? second : _("(no event name)"));
    }
  return g_strdup_printf (ngettext ("%s and %u more", "%s and %u more", n - 1), first, n - 1);
}

/* Snap's own verdict when it gave one, else how the exchange ended. */
const char *
capi_history_row_get_verdict (CapiExchange *exchange)
{
  const char *snap_status;

  g_return_val_if_fail (CAPI_IS_EXCHANGE (exchange), NULL);

  snap_status = capi_exchange_get_snap_status (exchange);
  if (snap_status != NULL && *snap_status != '\0')
    return snap_status;

  switch (capi_exchange_get_outcome (exchange))
    {
    case CAPI_EXCHANGE_OUTCOME_PENDING:
      return _("Pending");
    case CAPI_EXCHANGE_OUTCOME_OK:
      return _("OK");
    case CAPI_EXCHANGE_OUTCOME_INVALID:
      return _("Invalid");
    case CAPI_EXCHANGE_OUTCOME_HTTP_ERROR:
      return _("HTTP error");
    case CAPI_EXCHANGE_OUTCOME_FAILED:
      return _("No response");
    default:
      g_assert_not_reached ();
    }
}

static const char *
verdict_class (CapiExchange *exchange)
{
  switch (capi_exchange_get_outcome (exchange))
    {
    case CAPI_EXCHANGE_OUTCOME_OK:
      return "success";
    case CAPI_EXCHANGE_OUTCOME_INVALID:
    case CAPI_EXCHANGE_OUTCOME_HTTP_ERROR:
    case CAPI_EXCHANGE_OUTCOME_FAILED:
      return "error";
    case CAPI_EXCHANGE_OUTCOME_PENDING:
    default:
      return "dim-label";
    }
}

static void
update (CapiHistoryRow *self)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  g_autofree char *events = NULL;
  g_autofree char *status = NULL;
  g_autofree char *latency = NULL;
  g_autofree char *description = NULL;
  CapiTimings timings = { -1, -1, -1 };
  GDateTime *started;

  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), verdict_classes[i]);

  if (self->exchange == NULL)
    {
      gtk_label_set_label (self->event_label, "");
      gtk_label_set_label (self->verdict_label, "");
      gtk_label_set_label (self->time_label, "");
      gtk_label_set_label (self->destination_label, "");
      gtk_label_set_label (self->status_label, "");
      gtk_label_set_label (self->latency_label, "");
      return;
    }

  started = capi_exchange_get_started (self->exchange);
  if (started != NULL)
    {
      local = g_date_time_to_local (started);
      time = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
    }

  events = capi_history_row_dup_events (self->exchange);
  if (events == NULL)
    events = g_strdup (capi_exchange_get_method (self->exchange));

  if (capi_exchange_get_status (self->exchange) != 0)
    status = g_strdup_printf ("HTTP %u", capi_exchange_get_status (self->exchange));
  else
    status = g_strdup (_("no response"));

  capi_exchange_get_timings (self->exchange, &timings);
  if (timings.total_ms >= 0)
    /* Translators: a duration in milliseconds */
    latency = g_strdup_printf (_("%.0f ms"), timings.total_ms);
  else
    latency = g_strdup ("");

  gtk_label_set_label (self->event_label, events);
  gtk_label_set_label (self->verdict_label, capi_history_row_get_verdict (self->exchange));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), verdict_class (self->exchange));
  gtk_label_set_label (self->time_label, time != NULL ? time : "");
  gtk_label_set_label (self->destination_label,
                       capi_destination_kind_get_label (capi_exchange_get_destination (self->exchange)));
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->latency_label, latency);

  /* One sentence for screen readers, in the order the row shows it. */
  description = g_strdup_printf ("%s, %s, %s, %s, %s, %s", events,
                                 capi_history_row_get_verdict (self->exchange),
                                 time != NULL ? time : "",
                                 gtk_label_get_label (self->destination_label),
                                 status, latency);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
capi_history_row_dispose (GObject *object)
{
  CapiHistoryRow *self = (CapiHistoryRow *) object;

  g_clear_object (&self->exchange);
  /* AdwBin unparents the template's child (and so every template widget)
   * in its own dispose. */

  G_OBJECT_CLASS (capi_history_row_parent_class)->dispose (object);
}

static void
capi_history_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapiHistoryRow *self = CAPI_HISTORY_ROW (object);

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
capi_history_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapiHistoryRow *self = CAPI_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      capi_history_row_set_exchange (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_history_row_class_init (CapiHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_history_row_dispose;
  object_class->get_property = capi_history_row_get_property;
  object_class->set_property = capi_history_row_set_property;

  properties[PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL,
                         CAPI_TYPE_EXCHANGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/capi-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, destination_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, event_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, latency_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryRow, verdict_label);
}

static void
capi_history_row_init (CapiHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CapiHistoryRow *
capi_history_row_new (void)
{
  return g_object_new (CAPI_TYPE_HISTORY_ROW, NULL);
}

CapiExchange *
capi_history_row_get_exchange (CapiHistoryRow *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_ROW (self), NULL);

  return self->exchange;
}

void
capi_history_row_set_exchange (CapiHistoryRow *self,
                               CapiExchange   *exchange)
{
  g_return_if_fail (CAPI_IS_HISTORY_ROW (self));
  g_return_if_fail (exchange == NULL || CAPI_IS_EXCHANGE (exchange));

  if (!g_set_object (&self->exchange, exchange))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCHANGE]);
}
