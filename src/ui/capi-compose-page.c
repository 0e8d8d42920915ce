/* capi-compose-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-compose-page.h"

struct _CapiComposePage
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget            *scroller;
  AdwPreferencesGroup  *destination_group;
  AdwComboRow          *destination_row;
  AdwEntryRow          *event_name_row;
  GtkMenuButton        *event_name_button;
  AdwEntryRow          *event_time_row;
  AdwActionRow         *event_date_row;
  AdwComboRow          *action_source_row;
  GtkStringList        *action_sources;
  AdwEntryRow          *event_id_row;
  AdwEntryRow          *source_url_row;
  AdwPreferencesGroup  *email_group;
  AdwPreferencesGroup  *phone_group;
  AdwPreferencesGroup  *identity_group;
  AdwExpanderRow       *more_identity_row;
  AdwEntryRow          *fn_row;
  AdwEntryRow          *ln_row;
  AdwEntryRow          *ip_row;
  AdwEntryRow          *ua_row;
  AdwEntryRow          *ge_row;
  AdwEntryRow          *ct_row;
  AdwEntryRow          *st_row;
  AdwEntryRow          *zp_row;
  AdwEntryRow          *country_row;
  AdwEntryRow          *db_row;
  AdwEntryRow          *external_id_row;
  AdwEntryRow          *click_id_row;
  AdwEntryRow          *cookie_row;
  AdwEntryRow          *madid_row;
  AdwEntryRow          *partner_id_row;
  AdwPreferencesGroup  *custom_group;
  AdwEntryRow          *currency_row;
  AdwEntryRow          *value_row;
  AdwEntryRow          *order_id_row;
  AdwEntryRow          *content_ids_row;
  AdwEntryRow          *num_items_row;
  AdwEntryRow          *search_string_row;
  AdwEntryRow          *sign_up_method_row;
  AdwPreferencesGroup  *contents_group;
  AdwPreferencesGroup  *extra_group;

  /* Owned */
  CapiEvent            *event;
  GHashTable           *fields;         /* dotted key -> borrowed widget */
  GPtrArray            *email_rows;     /* AdwEntryRow, borrowed */
  GPtrArray            *phone_rows;
  GPtrArray            *content_rows;   /* AdwExpanderRow, borrowed */
  GPtrArray            *extra_rows;     /* AdwPreferencesRow, borrowed */
  GPtrArray            *extra_keys;     /* keys the free rows wrote last time */
  GPtrArray            *marked;         /* widgets carrying an error mark (refs) */

  /* widgets -> event in progress: event changes are not echoed back */
  guint                 editing : 1;
  /* event -> widgets in progress: widget signals are not written back */
  guint                 syncing : 1;
};

G_DEFINE_FINAL_TYPE (CapiComposePage, capi_compose_page, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Spec §1: Snap's standard event names. */
static const char * const standard_event_names[] = {
  "PAGE_VIEW", "VIEW_CONTENT", "ADD_CART", "ADD_TO_WISHLIST", "SIGN_UP", "SEARCH",
  "PURCHASE", "ADD_BILLING", "START_CHECKOUT", "SAVE", "LOGIN", "LIST_VIEW", "SUBSCRIBE",
  "ACHIEVEMENT_UNLOCKED", "START_TRIAL", "RATE", "INVITE", "COMPLETE_TUTORIAL", "AD_CLICK",
  "AD_VIEW", "SHARE", "RESERVE", "LEVEL_COMPLETE", "SPENT_CREDITS", "APP_INSTALL", "APP_OPEN",
  "CUSTOM_EVENT_1", "CUSTOM_EVENT_2", "CUSTOM_EVENT_3", "CUSTOM_EVENT_4", "CUSTOM_EVENT_5",
  NULL
};

static const char * const template_names[] = {
  "PURCHASE", "ADD_CART", "START_CHECKOUT", "PAGE_VIEW", "SIGN_UP", NULL
};

/* custom_data members that have their own widget; the rest are free rows. */
static const char * const known_custom_keys[] = {
  "currency", "value", "order_id", "content_ids", "contents", "num_items",
  "search_string", "sign_up_method", NULL
};

typedef enum
{
  FIELD_STRING,
  FIELD_INTEGER,   /* stored as a JSON integer when the text is one */
  FIELD_NUMBER,    /* stored as a JSON number when the text is one */
  FIELD_LIST,      /* comma-separated text, stored as an array of strings */
} FieldType;

static void sync_from_event (CapiComposePage *self);

static FieldType
field_type_for_key (const char *key)
{
  if (g_strcmp0 (key, "event_time") == 0 || g_strcmp0 (key, "custom_data.num_items") == 0)
    return FIELD_INTEGER;
  if (g_strcmp0 (key, "custom_data.value") == 0)
    return FIELD_NUMBER;
  if (g_strcmp0 (key, "custom_data.content_ids") == 0)
    return FIELD_LIST;
  return FIELD_STRING;
}

/* A typed JSON node for the text, or NULL for an empty text. */
static JsonNode *
node_for_text (FieldType   type,
               const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*trimmed == '\0')
    return NULL;

  if (type == FIELD_INTEGER)
    {
      gint64 v = g_ascii_strtoll (trimmed, &end, 10);

      if (end != NULL && *end == '\0')
        return json_node_init_int (json_node_alloc (), v);
    }
  else if (type == FIELD_NUMBER)
    {
      double v = g_ascii_strtod (trimmed, &end);

      if (end != NULL && *end == '\0')
        return json_node_init_double (json_node_alloc (), v);
    }
  else if (type == FIELD_LIST)
    {
      g_auto(GStrv) parts = g_strsplit (trimmed, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            json_array_add_string_element (array, parts[i]);
        }
      return json_node_init_array (json_node_alloc (), array);
    }

  /* Text that is not of the expected type is kept as typed, so that lint
   * can say what is wrong with it. */
  return json_node_init_string (json_node_alloc (), text);
}

/* Text for a node as the user would type it. */
static char *
text_for_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) s = g_string_new (NULL);
      gboolean all_scalar = TRUE;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *t = NULL;

          if (!JSON_NODE_HOLDS_VALUE (element))
            {
              all_scalar = FALSE;
              break;
            }
          t = text_for_node (element);
          if (s->len > 0)
            g_string_append (s, ", ");
          g_string_append (s, t);
        }
      if (all_scalar)
        return g_string_free (g_steal_pointer (&s), FALSE);
    }

  return json_to_string (node, FALSE);
}

static void
set_editable_text (GtkEditable *editable,
                   const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
}

static void
update_date_row (CapiComposePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->event_time_row));
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *formatted = NULL;
  char *end = NULL;
  gint64 seconds;

  seconds = g_ascii_strtoll (text, &end, 10);
  if (*text != '\0' && end != NULL && *end == '\0')
    {
      /* A 13-digit value is almost always milliseconds: show what it
       * would mean, lint says the rest. */
      if (seconds > G_GINT64_CONSTANT (100000000000))
        seconds /= 1000;
      dt = g_date_time_new_from_unix_local (seconds);
    }
  else if (*text != '\0')
    dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt != NULL)
    formatted = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S %Z");

  adw_action_row_set_subtitle (self->event_date_row,
                               formatted != NULL ? formatted : _("Not a valid time"));
}

static void
event_changed_cb (CapiComposePage *self)
{
  if (!self->editing)
    sync_from_event (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
replace_event (CapiComposePage *self,
               CapiEvent       *event)
{
  if (self->event != NULL)
    g_signal_handlers_disconnect_by_func (self->event, event_changed_cb, self);
  g_set_object (&self->event, event);
  g_signal_connect_swapped (self->event, "changed", G_CALLBACK (event_changed_cb), self);
  sync_from_event (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
write_member (CapiComposePage *self,
              const char      *key,
              JsonNode        *node)
{
  self->editing = TRUE;
  if (node != NULL)
    capi_event_set_member (self->event, key, node);
  else if (capi_event_has_member (self->event, key))
    capi_event_remove_member (self->event, key);
  self->editing = FALSE;
}

static void
write_multi (CapiComposePage *self,
             const char      *key,
             GPtrArray       *rows)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (rows, i)));

      if (*text != '\0')
        g_ptr_array_add (values, (gpointer) text);
    }
  g_ptr_array_add (values, NULL);

  self->editing = TRUE;
  capi_event_set_strv (self->event, key, (const char * const *) values->pdata);
  self->editing = FALSE;
}

static void
entry_changed_cb (GtkEditable     *editable,
                  CapiComposePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (editable), "capi-key");
  g_autoptr(JsonNode) node = NULL;

  if (editable == GTK_EDITABLE (self->event_time_row))
    update_date_row (self);

  if (self->syncing || key == NULL)
    return;

  node = node_for_text (field_type_for_key (key), gtk_editable_get_text (editable));
  write_member (self, key, node);
}

static void
multi_changed_cb (GtkEditable     *editable,
                  CapiComposePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (editable), "capi-key");

  if (self->syncing)
    return;

  write_multi (self, key, g_str_equal (key, "user_data.em") ? self->email_rows : self->phone_rows);
}

static void
remove_multi_clicked_cb (GtkButton       *button,
                         CapiComposePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "capi-row");
  const char *key = g_object_get_data (G_OBJECT (row), "capi-key");
  gboolean email = g_str_equal (key, "user_data.em");
  GPtrArray *rows = email ? self->email_rows : self->phone_rows;

  g_ptr_array_remove (rows, row);
  adw_preferences_group_remove (email ? self->email_group : self->phone_group, row);
  write_multi (self, key, rows);
}

static GtkWidget *
add_multi_row (CapiComposePage *self,
               const char      *key)
{
  gboolean email = g_str_equal (key, "user_data.em");
  GPtrArray *rows = email ? self->email_rows : self->phone_rows;
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *title = NULL;

  if (email)
    {
      title = rows->len == 0 ? g_strdup (_("E-mail"))
                             : g_strdup_printf (_("E-mail %u"), rows->len + 1);
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_EMAIL);
    }
  else
    {
      title = rows->len == 0 ? g_strdup (_("Phone"))
                             : g_strdup_printf (_("Phone %u"), rows->len + 1);
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_PHONE);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_set_data_full (G_OBJECT (row), "capi-key", g_strdup (key), g_free);
  g_signal_connect (row, "changed", G_CALLBACK (multi_changed_cb), self);

  if (rows->len > 0)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      g_autofree char *label = g_strdup_printf (_("Remove %s"), title);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (remove), "capi-row", row);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_multi_clicked_cb), self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
    }

  g_ptr_array_add (rows, row);
  adw_preferences_group_add (email ? self->email_group : self->phone_group, row);
  return row;
}

/* contents list editor: one expander per item */

static void
write_contents (CapiComposePage *self)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < self->content_rows->len; i++)
    {
      GtkWidget *item = g_ptr_array_index (self->content_rows, i);
      const char *id = gtk_editable_get_text (g_object_get_data (G_OBJECT (item), "capi-id"));
      const char *qty = gtk_editable_get_text (g_object_get_data (G_OBJECT (item), "capi-quantity"));
      const char *price = gtk_editable_get_text (g_object_get_data (G_OBJECT (item), "capi-price"));
      JsonObject *object = json_object_new ();
      JsonNode *v;

      if (*id != '\0')
        json_object_set_string_member (object, "id", id);
      if ((v = node_for_text (FIELD_INTEGER, qty)) != NULL)
        json_object_set_member (object, "quantity", v);
      if ((v = node_for_text (FIELD_NUMBER, price)) != NULL)
        json_object_set_member (object, "item_price", v);
      json_array_add_object_element (array, object);
    }

  if (json_array_get_length (array) > 0)
    node = json_node_init_array (json_node_alloc (), array);
  else
    json_array_unref (array);
  write_member (self, "custom_data.contents", node);
}

static void
content_changed_cb (CapiComposePage *self)
{
  if (!self->syncing)
    write_contents (self);
}

static void
remove_content_clicked_cb (GtkButton       *button,
                           CapiComposePage *self)
{
  GtkWidget *item = g_object_get_data (G_OBJECT (button), "capi-row");

  g_ptr_array_remove (self->content_rows, item);
  adw_preferences_group_remove (self->contents_group, item);
  write_contents (self);
}

static GtkWidget *
add_content_entry (CapiComposePage *self,
                   AdwExpanderRow  *item,
                   const char      *title,
                   const char      *data_key)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (content_changed_cb), self);
  adw_expander_row_add_row (item, row);
  g_object_set_data (G_OBJECT (item), data_key, row);
  return row;
}

static GtkWidget *
add_content_row (CapiComposePage *self,
                 JsonObject      *values)
{
  GtkWidget *item = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  g_autofree char *title = g_strdup_printf (_("Item %u"), self->content_rows->len + 1);
  g_autofree char *remove_label = g_strdup_printf (_("Remove item %u"), self->content_rows->len + 1);
  GtkWidget *id, *qty, *price;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item), title);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (item), TRUE);
  id = add_content_entry (self, ADW_EXPANDER_ROW (item), _("Item ID"), "capi-id");
  qty = add_content_entry (self, ADW_EXPANDER_ROW (item), _("Quantity"), "capi-quantity");
  price = add_content_entry (self, ADW_EXPANDER_ROW (item), _("Item price"), "capi-price");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "capi-row", item);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_content_clicked_cb), self);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (item), remove);

  if (values != NULL)
    {
      g_autofree char *t_id = text_for_node (json_object_get_member (values, "id"));
      g_autofree char *t_qty = text_for_node (json_object_get_member (values, "quantity"));
      g_autofree char *t_price = text_for_node (json_object_get_member (values, "item_price"));

      gtk_editable_set_text (GTK_EDITABLE (id), t_id);
      gtk_editable_set_text (GTK_EDITABLE (qty), t_qty);
      gtk_editable_set_text (GTK_EDITABLE (price), t_price);
    }

  g_ptr_array_add (self->content_rows, item);
  adw_preferences_group_add (self->contents_group, item);
  return item;
}

/* free key/value rows of custom_data */

static gboolean
is_known_custom_key (const char *key)
{
  return g_strv_contains (known_custom_keys, key);
}

static void
write_extras (CapiComposePage *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  self->editing = TRUE;
  for (guint i = 0; i < self->extra_keys->len; i++)
    {
      g_autofree char *path = g_strconcat ("custom_data.", (char *) g_ptr_array_index (self->extra_keys, i), NULL);

      if (capi_event_has_member (self->event, path))
        capi_event_remove_member (self->event, path);
    }

  for (guint i = 0; i < self->extra_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->extra_rows, i);
      g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (row, "capi-key-entry"))));
      const char *value = gtk_editable_get_text (g_object_get_data (row, "capi-value-entry"));
      g_autofree char *path = NULL;

      /* Keys with a widget of their own, or with a dot (which would
       * address a nested member), are left to their widget. */
      if (*key == '\0' || is_known_custom_key (key) || strchr (key, '.') != NULL)
        continue;
      path = g_strconcat ("custom_data.", key, NULL);
      capi_event_set_string (self->event, path, value);
      g_ptr_array_add (keys, g_steal_pointer (&key));
    }
  self->editing = FALSE;

  g_ptr_array_unref (self->extra_keys);
  self->extra_keys = g_steal_pointer (&keys);
}

static void
extra_changed_cb (CapiComposePage *self)
{
  if (!self->syncing)
    write_extras (self);
}

static void
remove_extra_clicked_cb (GtkButton       *button,
                         CapiComposePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "capi-row");

  g_ptr_array_remove (self->extra_rows, row);
  adw_preferences_group_remove (self->extra_group, row);
  write_extras (self);
}

static GtkWidget *
add_extra_row (CapiComposePage *self,
               const char      *key,
               const char      *value)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *key_entry = gtk_entry_new ();
  GtkWidget *value_entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Custom data key and value"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  gtk_entry_set_placeholder_text (GTK_ENTRY (key_entry), _("Key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (key_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Custom data key"), -1);
  gtk_widget_set_hexpand (key_entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Custom data value"), -1);
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove this key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this key"), -1);

  gtk_box_append (GTK_BOX (box), key_entry);
  gtk_box_append (GTK_BOX (box), value_entry);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (key != NULL)
    gtk_editable_set_text (GTK_EDITABLE (key_entry), key);
  if (value != NULL)
    gtk_editable_set_text (GTK_EDITABLE (value_entry), value);

  g_object_set_data (G_OBJECT (row), "capi-key-entry", key_entry);
  g_object_set_data (G_OBJECT (row), "capi-value-entry", value_entry);
  g_object_set_data (G_OBJECT (remove), "capi-row", row);
  g_signal_connect_swapped (key_entry, "changed", G_CALLBACK (extra_changed_cb), self);
  g_signal_connect_swapped (value_entry, "changed", G_CALLBACK (extra_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_extra_clicked_cb), self);

  g_ptr_array_add (self->extra_rows, row);
  adw_preferences_group_add (self->extra_group, row);
  return row;
}

/* event -> widgets */

static void
clear_rows (GPtrArray           *rows,
            AdwPreferencesGroup *group)
{
  while (rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_steal_index (rows, rows->len - 1);
      adw_preferences_group_remove (group, row);
    }
}

static void
sync_multi (CapiComposePage *self,
            const char      *key)
{
  gboolean email = g_str_equal (key, "user_data.em");
  GPtrArray *rows = email ? self->email_rows : self->phone_rows;
  g_auto(GStrv) values = capi_event_dup_strv (self->event, key);
  guint n = MAX (1, g_strv_length (values));

  /* Keep rows that exist (and the focus in them); only add or drop the
   * difference. */
  while (rows->len > n)
    {
      GtkWidget *row = g_ptr_array_steal_index (rows, rows->len - 1);
      adw_preferences_group_remove (email ? self->email_group : self->phone_group, row);
    }
  while (rows->len < n)
    add_multi_row (self, key);
  for (guint i = 0; i < n; i++)
    set_editable_text (g_ptr_array_index (rows, i), values[i] != NULL ? values[i] : "");
}

static void
sync_action_source (CapiComposePage *self)
{
  g_autofree char *value = capi_event_dup_string (self->event, "action_source");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->action_sources));
  guint found = GTK_INVALID_LIST_POSITION;

  /* Item 0 is "Not set": an imported event may lack the member. */
  if (value == NULL)
    {
      adw_combo_row_set_selected (self->action_source_row, 0);
      return;
    }

  for (guint i = 1; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->action_sources, i), value))
      found = i;

  /* A value outside Snap's three (e.g. "website") stays selectable so the
   * form shows what the event really holds. */
  if (found == GTK_INVALID_LIST_POSITION)
    {
      gtk_string_list_append (self->action_sources, value);
      found = n;
    }
  adw_combo_row_set_selected (self->action_source_row, found);
}

static void
sync_from_event (CapiComposePage *self)
{
  GHashTableIter iter;
  gpointer key, widget;
  JsonNode *custom;
  JsonNode *contents;

  self->syncing = TRUE;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, &key, &widget))
    {
      g_autofree char *text = NULL;

      if (!ADW_IS_ENTRY_ROW (widget) || g_object_get_data (widget, "capi-key") == NULL)
        continue;
      text = text_for_node (capi_event_get_member (self->event, key));
      set_editable_text (GTK_EDITABLE (widget), text);
    }

  sync_multi (self, "user_data.em");
  sync_multi (self, "user_data.ph");
  sync_action_source (self);
  update_date_row (self);

  clear_rows (self->content_rows, self->contents_group);
  contents = capi_event_get_member (self->event, "custom_data.contents");
  if (contents != NULL && JSON_NODE_HOLDS_ARRAY (contents))
    {
      JsonArray *array = json_node_get_array (contents);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            add_content_row (self, json_node_get_object (element));
        }
    }

  clear_rows (self->extra_rows, self->extra_group);
  g_ptr_array_set_size (self->extra_keys, 0);
  custom = capi_event_get_member (self->event, "custom_data");
  if (custom != NULL && JSON_NODE_HOLDS_OBJECT (custom))
    {
      JsonObjectIter oiter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&oiter, json_node_get_object (custom));
      while (json_object_iter_next (&oiter, &member, &node))
        {
          g_autofree char *text = NULL;

          if (is_known_custom_key (member))
            continue;
          text = text_for_node (node);
          add_extra_row (self, member, text);
          g_ptr_array_add (self->extra_keys, g_strdup (member));
        }
    }

  self->syncing = FALSE;
}

/* templates */

/* capi_event_set_member() copies the node (transfer none); this one
 * also frees the node it is given. */
static void
set_member_take (CapiEvent  *event,
                 const char *key,
                 JsonNode   *node)
{
  g_autoptr(JsonNode) owned = node;

  capi_event_set_member (event, key, owned);
}

static CapiEvent *
build_template (const char *name,
                CapiEvent  *current)
{
  g_autoptr(CapiEvent) event = capi_event_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *uuid = g_uuid_string_random ();
  JsonNode *user_data = current != NULL ? capi_event_get_member (current, "user_data") : NULL;

  capi_event_set_string (event, "event_name", name);
  set_member_take (event, "event_time",
                         json_node_init_int (json_node_alloc (), g_date_time_to_unix (now)));
  capi_event_set_string (event, "action_source", "WEB");
  capi_event_set_string (event, "event_id", uuid);

  /* Identity is what the user typed; a template only replaces the event. */
  if (user_data != NULL)
    set_member_take (event, "user_data", json_node_copy (user_data));

  if (g_str_equal (name, "PURCHASE"))
    {
      g_autofree char *order = g_strdup_printf ("ORDER-%.8s", uuid);

      capi_event_set_string (event, "event_source_url", "https://shop.example.com/checkout/complete");
      capi_event_set_string (event, "custom_data.currency", "USD");
      set_member_take (event, "custom_data.value", json_node_init_double (json_node_alloc (), 49.99));
      capi_event_set_string (event, "custom_data.order_id", order);
      set_member_take (event, "custom_data.num_items", json_node_init_int (json_node_alloc (), 1));
    }
  else if (g_str_equal (name, "ADD_CART"))
    {
      const char * const ids[] = { "SKU-1001", NULL };

      capi_event_set_string (event, "event_source_url", "https://shop.example.com/products/sku-1001");
      capi_event_set_string (event, "custom_data.currency", "USD");
      set_member_take (event, "custom_data.value", json_node_init_double (json_node_alloc (), 19.99));
      capi_event_set_strv (event, "custom_data.content_ids", ids);
    }
  else if (g_str_equal (name, "START_CHECKOUT"))
    {
      capi_event_set_string (event, "event_source_url", "https://shop.example.com/checkout");
      capi_event_set_string (event, "custom_data.currency", "USD");
      set_member_take (event, "custom_data.value", json_node_init_double (json_node_alloc (), 49.99));
      set_member_take (event, "custom_data.num_items", json_node_init_int (json_node_alloc (), 2));
    }
  else if (g_str_equal (name, "PAGE_VIEW"))
    {
      capi_event_set_string (event, "event_source_url", "https://shop.example.com/");
    }
  else if (g_str_equal (name, "SIGN_UP"))
    {
      capi_event_set_string (event, "event_source_url", "https://shop.example.com/account/welcome");
      capi_event_set_string (event, "custom_data.sign_up_method", "email");
    }
  else
    return NULL;

  return g_steal_pointer (&event);
}

/* actions and callbacks */

static void
now_clicked_cb (CapiComposePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));

  gtk_editable_set_text (GTK_EDITABLE (self->event_time_row), text);
}

static void
generate_clicked_cb (CapiComposePage *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  gtk_editable_set_text (GTK_EDITABLE (self->event_id_row), uuid);
}

static void
action_source_selected_cb (CapiComposePage *self)
{
  guint selected = adw_combo_row_get_selected (self->action_source_row);
  g_autoptr(JsonNode) node = NULL;

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected > 0)
    node = json_node_init_string (json_node_alloc (),
                                  gtk_string_list_get_string (self->action_sources, selected));
  write_member (self, "action_source", node);
}

static void
add_email_clicked_cb (CapiComposePage *self)
{
  gtk_widget_grab_focus (add_multi_row (self, "user_data.em"));
}

static void
add_phone_clicked_cb (CapiComposePage *self)
{
  gtk_widget_grab_focus (add_multi_row (self, "user_data.ph"));
}

static void
add_content_clicked_cb (CapiComposePage *self)
{
  add_content_row (self, NULL);
}

static void
add_extra_clicked_cb (CapiComposePage *self)
{
  GtkWidget *row = add_extra_row (self, NULL, NULL);

  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "capi-key-entry"));
}

static void
event_name_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CapiComposePage *self = CAPI_COMPOSE_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->event_name_row),
                         g_variant_get_string (parameter, NULL));
}

static void
capi_compose_page_dispose (GObject *object)
{
  CapiComposePage *self = CAPI_COMPOSE_PAGE (object);
  GtkWidget *child;

  if (self->event != NULL)
    g_signal_handlers_disconnect_by_func (self->event, event_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAPI_TYPE_COMPOSE_PAGE);
  /* Template children that are not bound to a field stay parented. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->event);
  g_clear_pointer (&self->marked, g_ptr_array_unref);

  G_OBJECT_CLASS (capi_compose_page_parent_class)->dispose (object);
}

static void
capi_compose_page_finalize (GObject *object)
{
  CapiComposePage *self = CAPI_COMPOSE_PAGE (object);

  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->email_rows, g_ptr_array_unref);
  g_clear_pointer (&self->phone_rows, g_ptr_array_unref);
  g_clear_pointer (&self->content_rows, g_ptr_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->extra_keys, g_ptr_array_unref);

  G_OBJECT_CLASS (capi_compose_page_parent_class)->finalize (object);
}

static void
capi_compose_page_class_init (CapiComposePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_compose_page_dispose;
  object_class->finalize = capi_compose_page_finalize;

  /**
   * CapiComposePage::changed:
   *
   * Emitted after the edited event changed, by the form or otherwise.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/capi-compose-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, action_source_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, action_sources);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, click_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, content_ids_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, contents_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, cookie_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, country_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, ct_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, db_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, destination_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, destination_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, email_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, event_date_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, event_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, event_name_button);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, event_name_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, event_time_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, external_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, extra_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, fn_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, ge_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, identity_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, ip_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, ln_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, madid_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, more_identity_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, num_items_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, order_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, partner_id_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, phone_group);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, search_string_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, sign_up_method_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, source_url_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, st_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, ua_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, value_row);
  gtk_widget_class_bind_template_child (widget_class, CapiComposePage, zp_row);
  gtk_widget_class_bind_template_callback (widget_class, action_source_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_content_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_email_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_extra_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_phone_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, generate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, now_clicked_cb);
  gtk_widget_class_install_action (widget_class, "compose.event-name", "s", event_name_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bind_field (CapiComposePage *self,
            AdwEntryRow     *row,
            const char      *key)
{
  g_object_set_data_full (G_OBJECT (row), "capi-key", g_strdup (key), g_free);
  g_hash_table_insert (self->fields, g_strdup (key), row);
}

static void
capi_compose_page_init (CapiComposePage *self)
{
  g_autoptr(GMenu) names = g_menu_new ();
  g_autoptr(CapiEvent) event = NULL;

  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->email_rows = g_ptr_array_new ();
  self->phone_rows = g_ptr_array_new ();
  self->content_rows = g_ptr_array_new ();
  self->extra_rows = g_ptr_array_new ();
  self->extra_keys = g_ptr_array_new_with_free_func (g_free);
  self->marked = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; standard_event_names[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (standard_event_names[i], NULL);

      g_menu_item_set_action_and_target (item, "compose.event-name", "s", standard_event_names[i]);
      g_menu_append_item (names, item);
    }
  gtk_menu_button_set_menu_model (self->event_name_button, G_MENU_MODEL (names));

  bind_field (self, self->event_name_row, "event_name");
  bind_field (self, self->event_time_row, "event_time");
  bind_field (self, self->event_id_row, "event_id");
  bind_field (self, self->source_url_row, "event_source_url");
  bind_field (self, self->fn_row, "user_data.fn");
  bind_field (self, self->ln_row, "user_data.ln");
  bind_field (self, self->ip_row, "user_data.client_ip_address");
  bind_field (self, self->ua_row, "user_data.client_user_agent");
  bind_field (self, self->ge_row, "user_data.ge");
  bind_field (self, self->ct_row, "user_data.ct");
  bind_field (self, self->st_row, "user_data.st");
  bind_field (self, self->zp_row, "user_data.zp");
  bind_field (self, self->country_row, "user_data.country");
  bind_field (self, self->db_row, "user_data.db");
  bind_field (self, self->external_id_row, "user_data.external_id");
  bind_field (self, self->click_id_row, "user_data.sc_click_id");
  bind_field (self, self->cookie_row, "user_data.sc_cookie1");
  bind_field (self, self->madid_row, "user_data.madid");
  bind_field (self, self->partner_id_row, "user_data.partner_id");
  bind_field (self, self->currency_row, "custom_data.currency");
  bind_field (self, self->value_row, "custom_data.value");
  bind_field (self, self->order_id_row, "custom_data.order_id");
  bind_field (self, self->content_ids_row, "custom_data.content_ids");
  bind_field (self, self->num_items_row, "custom_data.num_items");
  bind_field (self, self->search_string_row, "custom_data.search_string");
  bind_field (self, self->sign_up_method_row, "custom_data.sign_up_method");
  g_hash_table_insert (self->fields, g_strdup ("action_source"), self->action_source_row);
  g_hash_table_insert (self->fields, g_strdup ("custom_data.contents"), self->contents_group);

  /* A new user starts from a complete PURCHASE: one e-mail makes it valid. */
  event = build_template ("PURCHASE", NULL);
  replace_event (self, event);
}

const char * const *
capi_compose_page_get_template_names (void)
{
  return template_names;
}

GtkWidget *
capi_compose_page_new (void)
{
  return g_object_new (CAPI_TYPE_COMPOSE_PAGE, NULL);
}

CapiEvent *
capi_compose_page_get_event (CapiComposePage *self)
{
  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), NULL);

  return self->event;
}

void
capi_compose_page_set_event (CapiComposePage *self,
                             CapiEvent       *event)
{
  g_autoptr(CapiEvent) copy = NULL;

  g_return_if_fail (CAPI_IS_COMPOSE_PAGE (self));
  g_return_if_fail (CAPI_IS_EVENT (event));

  copy = capi_event_copy (event);
  capi_compose_page_clear_marks (self);
  replace_event (self, copy);
}

void
capi_compose_page_refresh (CapiComposePage *self)
{
  g_return_if_fail (CAPI_IS_COMPOSE_PAGE (self));

  sync_from_event (self);
}

gboolean
capi_compose_page_apply_template (CapiComposePage *self,
                                  const char      *name)
{
  g_autoptr(CapiEvent) event = NULL;

  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  event = build_template (name, self->event);
  if (event == NULL)
    return FALSE;

  capi_compose_page_clear_marks (self);
  replace_event (self, event);
  return TRUE;
}

GtkWidget *
capi_compose_page_get_field_widget (CapiComposePage *self,
                                    const char      *key)
{
  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), NULL);

  if (key == NULL)
    return NULL;
  if (g_str_equal (key, "user_data.em") && self->email_rows->len > 0)
    return g_ptr_array_index (self->email_rows, 0);
  if (g_str_equal (key, "user_data.ph") && self->phone_rows->len > 0)
    return g_ptr_array_index (self->phone_rows, 0);

  if (g_str_has_prefix (key, "custom_data."))
    {
      const char *member = key + strlen ("custom_data.");

      for (guint i = 0; i < self->extra_rows->len; i++)
        {
          GObject *row = g_ptr_array_index (self->extra_rows, i);

          if (g_str_equal (gtk_editable_get_text (g_object_get_data (row, "capi-key-entry")), member))
            return g_object_get_data (row, "capi-key-entry");
        }
    }

  return g_hash_table_lookup (self->fields, key);
}

gboolean
capi_compose_page_focus_field (CapiComposePage *self,
                               const char      *key)
{
  GtkWidget *widget;
  GtkWidget *expander;

  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), FALSE);

  widget = capi_compose_page_get_field_widget (self, key);
  if (widget == NULL)
    return FALSE;

  expander = gtk_widget_get_ancestor (widget, ADW_TYPE_EXPANDER_ROW);
  if (expander != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);

  return gtk_widget_grab_focus (widget);
}

gboolean
capi_compose_page_mark_field (CapiComposePage *self,
                              const char      *key,
                              const char      *message)
{
  GtkWidget *widget;
  g_autofree char *tooltip = NULL;

  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), FALSE);

  widget = capi_compose_page_get_field_widget (self, key);
  if (widget == NULL)
    return FALSE;

  /* Several messages for one field are shown together. */
  if (gtk_widget_has_css_class (widget, "error") && gtk_widget_get_tooltip_text (widget) != NULL)
    tooltip = g_strconcat (gtk_widget_get_tooltip_text (widget), "\n", message, NULL);
  else
    tooltip = g_strdup (message);

  gtk_widget_add_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, tooltip);
  if (!g_ptr_array_find (self->marked, widget, NULL))
    g_ptr_array_add (self->marked, g_object_ref (widget));
  return TRUE;
}

void
capi_compose_page_clear_marks (CapiComposePage *self)
{
  g_return_if_fail (CAPI_IS_COMPOSE_PAGE (self));

  for (guint i = 0; i < self->marked->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->marked, i);

      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, NULL);
    }
  g_ptr_array_set_size (self->marked, 0);
}

GtkWidget *
capi_compose_page_add_identity_row (CapiComposePage *self,
                                    const char      *key)
{
  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), NULL);
  g_return_val_if_fail (g_strcmp0 (key, "user_data.em") == 0 ||
                        g_strcmp0 (key, "user_data.ph") == 0, NULL);

  return add_multi_row (self, key);
}

/* The Destination group (hidden unless the window is narrow) and its row,
 * whose "selected" follows the header's destination drop-down. */
AdwPreferencesGroup *
capi_compose_page_get_destination_group (CapiComposePage *self)
{
  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), NULL);

  return self->destination_group;
}

AdwComboRow *
capi_compose_page_get_destination_row (CapiComposePage *self)
{
  g_return_val_if_fail (CAPI_IS_COMPOSE_PAGE (self), NULL);

  return self->destination_row;
}
