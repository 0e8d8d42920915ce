/* capi-history-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "capi-a11y.h"
#include "capi-history-page.h"
#include "capi-history-row.h"
#include "capi-response-view.h"
#include "capi-ui-util.h"

/*
 * The History page: every exchange of the persistent history, newest first,
 * searchable and filterable by outcome, with the selected one shown in the
 * Response view.  Re-send and "Load into composer" are left to the window
 * (signals); export and clear are done here.
 *
 *   CapiHistory (oldest first) -> GtkSortListModel (newest first)
 *     -> GtkFilterListModel (search, outcome) -> GtkMultiSelection -> list
 */
struct _CapiHistoryPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkLabel           *count_label;
  AdwBin             *detail_bin;
  GtkStack           *detail_stack;
  AdwLeaflet         *leaflet;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkDropDown        *outcome_dropdown;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;

  /* Owned */
  CapiHistory        *history;
  GtkSortListModel   *sorted;
  GtkFilterListModel *filtered;
  GtkMultiSelection  *selection;
  GtkCustomFilter    *filter;
  CapiResponseView   *response_view;
  GCancellable       *cancellable;
  char               *search_folded;
};

G_DEFINE_FINAL_TYPE (CapiHistoryPage, capi_history_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_SEARCH_TEXT,
  N_PROPS
};

enum {
  SIGNAL_RESEND,
  SIGNAL_LOAD_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The outcome drop-down, in the order of its items. */
typedef enum {
  OUTCOME_FILTER_ALL,
  OUTCOME_FILTER_VALID,
  OUTCOME_FILTER_INVALID,
  OUTCOME_FILTER_HTTP_ERROR,
  OUTCOME_FILTER_NO_RESPONSE,
} OutcomeFilter;

/* Helpers --------------------------------------------------------------- */

static gboolean
matches_search (CapiExchange *exchange,
                const char   *needle)
{
  char status[16];
  guint n_events;

  if (needle == NULL || *needle == '\0')
    return TRUE;

  n_events = capi_exchange_get_n_events (exchange);
  for (guint i = 0; i < n_events; i++)
    {
      if (capi_ui_folded_contains (capi_exchange_get_event_name (exchange, i), needle) ||
          capi_ui_folded_contains (capi_exchange_get_event_id (exchange, i), needle))
        return TRUE;
    }

  g_snprintf (status, sizeof status, "%u", capi_exchange_get_status (exchange));

  return capi_ui_folded_contains (status, needle) ||
         capi_ui_folded_contains (capi_history_row_get_verdict (exchange), needle) ||
         capi_ui_folded_contains (capi_destination_kind_get_label (capi_exchange_get_destination (exchange)), needle) ||
         capi_ui_folded_contains (capi_destination_kind_to_string (capi_exchange_get_destination (exchange)), needle) ||
         capi_ui_folded_contains (capi_exchange_get_profile_name (exchange), needle) ||
         capi_ui_folded_contains (capi_exchange_get_url (exchange), needle) ||
         capi_ui_folded_contains (capi_exchange_get_snap_reason (exchange), needle);
}

static gboolean
matches_outcome (CapiExchange  *exchange,
                 OutcomeFilter  filter)
{
  CapiExchangeOutcome outcome = capi_exchange_get_outcome (exchange);

  switch (filter)
    {
    case OUTCOME_FILTER_ALL:
      return TRUE;
    case OUTCOME_FILTER_VALID:
      return outcome == CAPI_EXCHANGE_OUTCOME_OK;
    case OUTCOME_FILTER_INVALID:
      return outcome == CAPI_EXCHANGE_OUTCOME_INVALID;
    case OUTCOME_FILTER_HTTP_ERROR:
      return outcome == CAPI_EXCHANGE_OUTCOME_HTTP_ERROR;
    case OUTCOME_FILTER_NO_RESPONSE:
      return outcome == CAPI_EXCHANGE_OUTCOME_FAILED;
    default:
      return TRUE;
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CapiHistoryPage *self = user_data;
  CapiExchange *exchange = item;

  return matches_outcome (exchange, gtk_drop_down_get_selected (self->outcome_dropdown)) &&
         matches_search (exchange, self->search_folded);
}

static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  GDateTime *ta = capi_exchange_get_started ((CapiExchange *) a);
  GDateTime *tb = capi_exchange_get_started ((CapiExchange *) b);

  if (ta == NULL || tb == NULL)
    return (ta == NULL) - (tb == NULL);
  return g_date_time_compare (tb, ta);
}

/* The selected exchanges in the order shown.  (transfer full) */
static GPtrArray *
dup_selected (CapiHistoryPage *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    {
      do
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->selection), position));
      while (gtk_bitset_iter_next (&iter, &position));
    }
  return items;
}

static void
update_state (CapiHistoryPage *self)
{
  guint n_all = self->history != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autoptr(GPtrArray) selected = dup_selected (self);
  g_autofree char *count = NULL;
  CapiExchange *current = NULL;

  gtk_stack_set_visible_child_name (self->stack, n_all > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->list_stack, n_shown > 0 ? "rows" : "no-match");

  if (n_shown == n_all)
    count = g_strdup_printf (ngettext ("%u exchange", "%u exchanges", n_all), n_all);
  else
    /* Translators: "3 of 12", exchanges shown of all */
    count = g_strdup_printf (_("%u of %u"), n_shown, n_all);
  gtk_label_set_label (self->count_label, count);

  if (selected->len > 0)
    current = g_ptr_array_index (selected, 0);
  capi_response_view_set_exchange (self->response_view, current);
  gtk_stack_set_visible_child_name (self->detail_stack, current != NULL ? "exchange" : "none");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.resend",
                                 selected->len == 1 && capi_exchange_get_request_body (current) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.load",
                                 selected->len == 1 && capi_exchange_get_n_events (current) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", selected->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear", n_all > 0);
}

static void
selection_changed_cb (CapiHistoryPage *self)
{
  update_state (self);
}

static void
items_changed_cb (CapiHistoryPage *self)
{
  update_state (self);
}

/* Callbacks ------------------------------------------------------------- */

static void
search_changed_cb (CapiHistoryPage *self,
                   GtkSearchEntry  *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *folded = g_utf8_casefold (g_strstrip (g_strdup (text)), -1);

  if (g_strcmp0 (folded, self->search_folded) == 0)
    return;

  g_free (self->search_folded);
  self->search_folded = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

static void
outcome_changed_cb (CapiHistoryPage *self,
                    GParamSpec      *pspec,
                    GtkDropDown     *dropdown)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
list_activate_cb (CapiHistoryPage *self,
                  guint            position,
                  GtkListView     *list)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (CapiHistoryPage *self,
                 GtkButton       *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CapiHistoryPage          *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (capi_history_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CapiHistoryPage          *self)
{
  capi_history_row_set_exchange (CAPI_HISTORY_ROW (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CapiHistoryPage          *self)
{
  capi_history_row_set_exchange (CAPI_HISTORY_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Actions --------------------------------------------------------------- */

static void
resend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);

  if (selected->len == 1)
    g_signal_emit (self, signals[SIGNAL_RESEND], 0, g_ptr_array_index (selected, 0));
}

static void
load_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);

  if (selected->len == 1)
    g_signal_emit (self, signals[SIGNAL_LOAD_EVENT], 0, g_ptr_array_index (selected, 0));
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The selected exchanges as one JSON array of history records, which hold
 * no token and only hashed identifiers.  (transfer full) */
static GBytes *
build_export (GPtrArray *exchanges)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_sized_new (exchanges->len);
  char *text;
  gsize length;

  for (guint i = 0; i < exchanges->len; i++)
    json_array_add_element (array, capi_exchange_to_json (g_ptr_array_index (exchanges, i)));
  json_node_take_array (root, array);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CapiHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n;

  n = capi_history_page_export_finish (self, result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      capi_ui_show_toast (GTK_WIDGET (self), message);
      return;
    }

  message = g_strdup_printf (ngettext ("%u exchange exported", "%u exchanges exported", n), n);
  capi_ui_show_toast (GTK_WIDGET (self), message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    CapiHistoryPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      capi_history_page_export_async (self, file, self->cancellable, export_done_cb,
                                      g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Export Exchanges"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "capi-exchanges.json");
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
history_cleared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CapiHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!capi_history_clear_finish (CAPI_HISTORY (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not clear the history: %s"), error->message);
      capi_ui_show_toast (GTK_WIDGET (self), message);
      return;
    }
  capi_ui_show_toast (GTK_WIDGET (self), _("History cleared"));
}

static void
clear_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CapiHistoryPage  *self)
{
  if (g_strcmp0 (response, "clear") != 0 || self->history == NULL)
    return;

  capi_history_clear_async (self->history, self->cancellable,
                            history_cleared_cb, g_object_ref (self));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (widget);
  guint n = self->history != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Clear the History?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  ngettext ("The %u stored exchange will be deleted. This cannot be undone.",
                                            "All %u stored exchanges will be deleted. This cannot be undone.",
                                            n),
                                  n);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("_Clear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  capi_history_page_focus_search (CAPI_HISTORY_PAGE (widget));
}

/* GObject --------------------------------------------------------------- */

static void
capi_history_page_dispose (GObject *object)
{
  CapiHistoryPage *self = (CapiHistoryPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);

  /* AdwBin unparents the template's child (and so every template widget)
   * in its own dispose. */

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (capi_history_page_parent_class)->dispose (object);
}

static void
capi_history_page_finalize (GObject *object)
{
  CapiHistoryPage *self = (CapiHistoryPage *) object;

  g_clear_pointer (&self->search_folded, g_free);

  G_OBJECT_CLASS (capi_history_page_parent_class)->finalize (object);
}

static void
capi_history_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, capi_history_page_get_search_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_history_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CapiHistoryPage *self = CAPI_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      capi_history_page_set_history (self, g_value_get_object (value));
      break;
    case PROP_SEARCH_TEXT:
      capi_history_page_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_history_page_class_init (CapiHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_history_page_dispose;
  object_class->finalize = capi_history_page_finalize;
  object_class->get_property = capi_history_page_get_property;
  object_class->set_property = capi_history_page_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         CAPI_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapiHistoryPage::resend:
   * @exchange: the exchange whose request should go out again
   *
   * The user asked to send the request of @exchange again.
   */
  signals[SIGNAL_RESEND] =
    g_signal_new ("resend",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPI_TYPE_EXCHANGE);

  /**
   * CapiHistoryPage::load-event:
   * @exchange: the exchange whose event should be edited
   *
   * The user asked to load the event(s) of @exchange into the composer.
   */
  signals[SIGNAL_LOAD_EVENT] =
    g_signal_new ("load-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPI_TYPE_EXCHANGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/capi-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, detail_bin);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CapiHistoryPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, outcome_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "history.resend", NULL, resend_action);
  gtk_widget_class_install_action (widget_class, "history.load", NULL, load_action);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "history.search", NULL);

  g_type_ensure (CAPI_TYPE_HISTORY_ROW);
  g_type_ensure (CAPI_TYPE_RESPONSE_VIEW);
}

static void
capi_history_page_init (CapiHistoryPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->search_folded = g_strdup ("");

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (gtk_custom_sorter_new (newest_first, NULL, NULL)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (items_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->response_view = CAPI_RESPONSE_VIEW (capi_response_view_new ());
  adw_bin_set_child (self->detail_bin, GTK_WIDGET (self->response_view));

  capi_a11y_name_toolkit_widgets (GTK_WIDGET (self));
  update_state (self);
}

CapiHistoryPage *
capi_history_page_new (void)
{
  return g_object_new (CAPI_TYPE_HISTORY_PAGE, NULL);
}

CapiHistory *
capi_history_page_get_history (CapiHistoryPage *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_PAGE (self), NULL);

  return self->history;
}

/* Shows HISTORY, which its owner loads (the application loads its shared
 * history once); the rows follow the model, so an exchange appended after a
 * send, or a load that finishes later, shows up at once. */
void
capi_history_page_set_history (CapiHistoryPage *self,
                               CapiHistory     *history)
{
  g_return_if_fail (CAPI_IS_HISTORY_PAGE (self));
  g_return_if_fail (history == NULL || CAPI_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (history));

  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (items_changed_cb),
                             self, G_CONNECT_SWAPPED);

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

const char *
capi_history_page_get_search_text (CapiHistoryPage *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/* Sets the search entry's text and filters at once, without waiting for
 * the entry's typing delay. */
void
capi_history_page_set_search_text (CapiHistoryPage *self,
                                   const char      *text)
{
  g_return_if_fail (CAPI_IS_HISTORY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  search_changed_cb (self, self->search_entry);
}

GListModel *
capi_history_page_get_visible_model (CapiHistoryPage *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

CapiExchange *
capi_history_page_get_selected (CapiHistoryPage *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_PAGE (self), NULL);

  return capi_response_view_get_exchange (self->response_view);
}

void
capi_history_page_focus_search (CapiHistoryPage *self)
{
  g_return_if_fail (CAPI_IS_HISTORY_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Writes the selected exchanges to FILE as a JSON array (replacing it
 * atomically, off the main thread).  _finish returns how many were written. */
void
capi_history_page_export_async (CapiHistoryPage     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (CAPI_IS_HISTORY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_history_page_export_async);

  selected = dup_selected (self);
  g_task_set_task_data (task, GUINT_TO_POINTER (selected->len), NULL);
  bytes = build_export (selected);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb,
                                       g_steal_pointer (&task));
}

guint
capi_history_page_export_finish (CapiHistoryPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (CAPI_IS_HISTORY_PAGE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;
  return GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
}
