/* bench-payload.c -- how long one re-preview takes: payload + lint for an
 * event with 1,000 contents items.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-payload [ITERATIONS]   (default 300)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "capi-lint.h"
#include "capi-payload.h"

#define N_CONTENTS 1000

static CapiEvent *
make_event (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *user = json_object_new ();
  JsonObject *custom = json_object_new ();
  JsonArray *contents = json_array_new ();
  JsonArray *ids = json_array_new ();
  JsonArray *em = json_array_new ();
  CapiEvent *event;

  json_object_set_string_member (object, "event_name", "PURCHASE");
  json_object_set_int_member (object, "event_time", g_get_real_time () / G_USEC_PER_SEC - 60);
  json_object_set_string_member (object, "action_source", "WEB");
  json_object_set_string_member (object, "event_id", "bench-order-1");
  json_object_set_string_member (object, "event_source_url", "https://shop.example.com/thanks");

  json_array_add_string_element (em, " Bench.User@Example.COM ");
  json_array_add_string_element (em, "second@example.org");
  json_object_set_array_member (user, "em", em);
  json_object_set_string_member (user, "ph", "+44 844 412 4653");
  json_object_set_string_member (user, "fn", "Raphaël");
  json_object_set_string_member (user, "ln", "O'Brien");
  json_object_set_string_member (user, "ct", "New York");
  json_object_set_string_member (user, "zp", "10001-1234");
  json_object_set_string_member (user, "country", "US");
  json_object_set_string_member (user, "client_ip_address", "203.0.113.7");
  json_object_set_string_member (user, "client_user_agent", "Mozilla/5.0 (X11; Linux x86_64)");
  json_object_set_object_member (object, "user_data", user);

  for (guint i = 0; i < N_CONTENTS; i++)
    {
      JsonObject *item = json_object_new ();
      g_autofree char *id = g_strdup_printf ("sku-%05u", i);

      json_object_set_string_member (item, "id", id);
      json_object_set_int_member (item, "quantity", 1 + i % 3);
      json_object_set_double_member (item, "item_price", 9.99 + i);
      json_array_add_object_element (contents, item);
      json_array_add_string_element (ids, id);
    }
  json_object_set_string_member (custom, "currency", "USD");
  json_object_set_double_member (custom, "value", 12345.67);
  json_object_set_string_member (custom, "order_id", "bench-order-1");
  json_object_set_int_member (custom, "num_items", N_CONTENTS);
  json_object_set_array_member (custom, "content_ids", ids);
  json_object_set_array_member (custom, "contents", contents);
  json_object_set_object_member (object, "custom_data", custom);

  event = capi_event_new_from_object (object, &error);
  if (event == NULL)
    g_error ("%s", error->message);
  return event;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) build_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) total_ms = g_array_new (FALSE, FALSE, sizeof (double));
  CapiPayloadOptions options = { .default_country = "US" };
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 300;
  gsize body_size = 0;
  guint n_findings = 0;

  if (iterations == 0)
    iterations = 300;

  g_ptr_array_add (events, make_event ());

  /* Warm up caches and lazy initialisation before measuring. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *body = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events, &options,
                                                         TRUE);
      g_autoptr(GPtrArray) findings = capi_lint_run (events, CAPI_EVENT_FORMAT_V3_EVENT,
                                                     CAPI_LINT_TARGET_SNAP,
                                                     g_get_real_time () / G_USEC_PER_SEC);
      body_size = strlen (body);
      n_findings = findings->len;
    }

  for (guint i = 0; i < iterations; i++)
    {
      gint64 t0, t1, t2;
      double b, l, t;

      /* What the GUI does on a keystroke: the pretty body and the lint. */
      t0 = g_get_monotonic_time ();
      {
        g_autofree char *body = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, events,
                                                           &options, TRUE);
        g_assert (body != NULL);
      }
      t1 = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) findings = capi_lint_run (events, CAPI_EVENT_FORMAT_V3_EVENT,
                                                       CAPI_LINT_TARGET_SNAP,
                                                       g_get_real_time () / G_USEC_PER_SEC);
        g_assert (findings != NULL);
      }
      t2 = g_get_monotonic_time ();

      b = (t1 - t0) / 1000.0;
      l = (t2 - t1) / 1000.0;
      t = (t2 - t0) / 1000.0;
      g_array_append_val (build_ms, b);
      g_array_append_val (lint_ms, l);
      g_array_append_val (total_ms, t);
    }

  printf ("event: PURCHASE with %d contents items, %u user_data values; body %" G_GSIZE_FORMAT
          " bytes; %u lint findings\n", N_CONTENTS, 11, body_size, n_findings);
  {
    g_autoptr(GPtrArray) findings = capi_lint_run (events, CAPI_EVENT_FORMAT_V3_EVENT,
                                                   CAPI_LINT_TARGET_SNAP,
                                                   g_get_real_time () / G_USEC_PER_SEC);

    printf ("lint findings:");
    for (guint i = 0; i < findings->len; i++)
      printf (" %s", capi_finding_get_code (g_ptr_array_index (findings, i)));
    printf ("\n");
  }
  printf ("iterations: %u\n", iterations);
  printf ("median payload build (pretty string): %.3f ms\n", median (build_ms));
  printf ("median lint:                          %.3f ms\n", median (lint_ms));
  printf ("median payload + lint:                %.3f ms\n", median (total_ms));

  return EXIT_SUCCESS;
}
