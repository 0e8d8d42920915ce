/* test-compose-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "capi-compose-page.h"

static CapiComposePage *
page_new (void)
{
  return g_object_ref_sink (CAPI_COMPOSE_PAGE (capi_compose_page_new ()));
}

static void
type_into (CapiComposePage *page,
           const char      *key,
           const char      *text)
{
  GtkWidget *widget = capi_compose_page_get_field_widget (page, key);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_compose_page_new_destroy (void)
{
  CapiComposePage *page = page_new ();

  g_assert_true (CAPI_IS_EVENT (capi_compose_page_get_event (page)));
  g_assert_finalize_object (page);
}

static void
test_compose_page_opens_on_purchase (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  CapiEvent *event = capi_compose_page_get_event (page);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = capi_event_dup_string (event, "event_name");
  g_autofree char *id = capi_event_dup_string (event, "event_id");
  g_autofree char *url = capi_event_dup_string (event, "event_source_url");
  g_autofree char *currency = capi_event_dup_string (event, "custom_data.currency");
  g_autofree char *order = capi_event_dup_string (event, "custom_data.order_id");
  JsonNode *time = capi_event_get_member (event, "event_time");
  JsonNode *value = capi_event_get_member (event, "custom_data.value");
  GtkWidget *name_row = capi_compose_page_get_field_widget (page, "event_name");

  g_assert_cmpstr (name, ==, "PURCHASE");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "PURCHASE");
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_true (g_str_has_prefix (url, "https://"));
  g_assert_cmpstr (currency, ==, "USD");
  g_assert_nonnull (order);
  g_assert_nonnull (time);
  g_assert_cmpint (json_node_get_value_type (time), ==, G_TYPE_INT64);
  /* Seconds, not milliseconds, and close to now. */
  g_assert_cmpint (ABS (json_node_get_int (time) - g_date_time_to_unix (now)), <, 3600);
  g_assert_nonnull (value);
  g_assert_cmpfloat (json_node_get_double (value), >, 0);
}

static void
test_compose_page_typing_edits_event (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  CapiEvent *event = capi_compose_page_get_event (page);
  GtkWidget *second;
  g_auto(GStrv) emails = NULL;
  g_autofree char *name = NULL;
  JsonNode *node;
  guint changes = 0;

  g_signal_connect_swapped (page, "changed", G_CALLBACK (count_cb), &changes);

  type_into (page, "user_data.em", "Jane.Doe@Example.com");
  second = capi_compose_page_add_identity_row (page, "user_data.em");
  gtk_editable_set_text (GTK_EDITABLE (second), "jd@example.org");
  emails = capi_event_dup_strv (event, "user_data.em");
  g_assert_cmpuint (g_strv_length (emails), ==, 2);
  g_assert_cmpstr (emails[0], ==, "Jane.Doe@Example.com");
  g_assert_cmpstr (emails[1], ==, "jd@example.org");

  type_into (page, "custom_data.value", "12.5");
  node = capi_event_get_member (event, "custom_data.value");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, 12.5);

  /* Text that is no number is kept as typed, for lint to judge. */
  type_into (page, "event_time", "yesterday");
  node = capi_event_get_member (event, "event_time");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);

  type_into (page, "event_name", "purchase");
  name = capi_event_dup_string (event, "event_name");
  g_assert_cmpstr (name, ==, "purchase");

  /* "Not set" removes action_source; picking a value puts it back. */
  {
    AdwComboRow *source = ADW_COMBO_ROW (capi_compose_page_get_field_widget (page, "action_source"));
    g_autofree char *value = NULL;

    adw_combo_row_set_selected (source, 0);
    g_assert_false (capi_event_has_member (event, "action_source"));
    adw_combo_row_set_selected (source, 3);
    value = capi_event_dup_string (event, "action_source");
    g_assert_cmpstr (value, ==, "OFFLINE");
  }

  /* An emptied field removes the member. */
  type_into (page, "custom_data.currency", "");
  g_assert_false (capi_event_has_member (event, "custom_data.currency"));

  g_assert_cmpuint (changes, >=, 6);
}

static void
test_compose_page_follows_event (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  CapiEvent *event = capi_compose_page_get_event (page);
  GtkWidget *row = capi_compose_page_get_field_widget (page, "event_name");
  const char * const phones[] = { "+44 844 412 4653", "0151 123", NULL };

  /* A change made outside the form (a lint fix) shows in the widgets. */
  capi_event_set_string (event, "event_name", "ADD_CART");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "ADD_CART");

  capi_event_set_strv (event, "user_data.ph", phones);
  row = capi_compose_page_get_field_widget (page, "user_data.ph");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "+44 844 412 4653");

  /* A value outside Snap's three is shown, and an absent one as "Not set". */
  capi_event_set_string (event, "action_source", "website");
  row = capi_compose_page_get_field_widget (page, "action_source");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (row))),
                                               adw_combo_row_get_selected (ADW_COMBO_ROW (row))), ==, "website");
  capi_event_remove_member (event, "action_source");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);

  capi_event_set_string (event, "custom_data.event_id", "dedup-1");
  row = capi_compose_page_get_field_widget (page, "custom_data.event_id");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "event_id");
}

static void
test_compose_page_template_keeps_identity (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  g_autofree char *name = NULL;
  g_auto(GStrv) emails = NULL;

  type_into (page, "user_data.em", "a@example.com");
  g_assert_true (capi_compose_page_apply_template (page, "SIGN_UP"));
  g_assert_false (capi_compose_page_apply_template (page, "NO_SUCH_TEMPLATE"));

  name = capi_event_dup_string (capi_compose_page_get_event (page), "event_name");
  g_assert_cmpstr (name, ==, "SIGN_UP");
  emails = capi_event_dup_strv (capi_compose_page_get_event (page), "user_data.em");
  g_assert_cmpstrv (emails, ((const char * const []) { "a@example.com", NULL }));
  g_assert_false (capi_event_has_member (capi_compose_page_get_event (page), "custom_data.order_id"));

  for (const char * const *t = capi_compose_page_get_template_names (); *t != NULL; t++)
    {
      g_autofree char *n = NULL;

      g_assert_true (capi_compose_page_apply_template (page, *t));
      n = capi_event_dup_string (capi_compose_page_get_event (page), "event_name");
      g_assert_cmpstr (n, ==, *t);
    }
}

static void
test_compose_page_import (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *v2 = "{\"event_type\": \"PURCHASE\", \"event_conversion_type\": \"WEB\","
                   " \"timestamp\": 1700000000000, \"hashed_email\": \"a@b.c\","
                   " \"price\": 10, \"currency\": \"EUR\", \"transaction_id\": \"T-1\"}";

  events = capi_event_read_document (v2, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);

  capi_compose_page_set_event (page, g_ptr_array_index (events, 0));
  /* The page edits a copy. */
  g_assert_true (capi_compose_page_get_event (page) != g_ptr_array_index (events, 0));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "event_time"))),
                   ==, "1700000000");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "custom_data.order_id"))),
                   ==, "T-1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (capi_compose_page_get_field_widget (page, "user_data.em"))),
                   ==, "a@b.c");
}

static void
test_compose_page_marks (void)
{
  g_autoptr(CapiComposePage) page = page_new ();
  GtkWidget *row = capi_compose_page_get_field_widget (page, "custom_data.currency");

  g_assert_true (capi_compose_page_mark_field (page, "custom_data.currency", "Missing currency"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, "Missing currency");
  g_assert_false (capi_compose_page_mark_field (page, "no_such_field", "x"));

  capi_compose_page_clear_marks (page);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (row));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/capi/compose-page/new-destroy", test_compose_page_new_destroy);
  g_test_add_func ("/capi/compose-page/opens-on-purchase", test_compose_page_opens_on_purchase);
  g_test_add_func ("/capi/compose-page/typing-edits-event", test_compose_page_typing_edits_event);
  g_test_add_func ("/capi/compose-page/follows-event", test_compose_page_follows_event);
  g_test_add_func ("/capi/compose-page/template-keeps-identity", test_compose_page_template_keeps_identity);
  g_test_add_func ("/capi/compose-page/import", test_compose_page_import);
  g_test_add_func ("/capi/compose-page/marks", test_compose_page_marks);

  return g_test_run ();
}
