/* test-finding.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-finding.h"

static void
test_finding_new_destroy (void)
{
  CapiFinding *finding = capi_finding_new (CAPI_SEVERITY_ERROR, "pii-unhashed",
                                           "data[0].user_data.em[0]", "Raw e-mail");

  g_assert_cmpint (capi_finding_get_severity (finding), ==, CAPI_SEVERITY_ERROR);
  g_assert_cmpstr (capi_finding_get_code (finding), ==, "pii-unhashed");
  g_assert_cmpstr (capi_finding_get_path (finding), ==, "data[0].user_data.em[0]");
  g_assert_cmpstr (capi_finding_get_message (finding), ==, "Raw e-mail");
  g_assert_cmpint (capi_finding_get_event_index (finding), ==, -1);
  g_assert_cmpint (capi_finding_get_fix (finding), ==, CAPI_FIX_NONE);
  g_assert_finalize_object (finding);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_finding_notify (void)
{
  g_autoptr(CapiFinding) finding = capi_finding_new (CAPI_SEVERITY_WARNING, "hash-uppercase", "", "x");
  guint count = 0;

  g_signal_connect (finding, "notify", G_CALLBACK (notify_cb), &count);
  capi_finding_set_key (finding, "user_data.em");
  capi_finding_set_key (finding, "user_data.em");
  capi_finding_set_fix (finding, CAPI_FIX_LOWERCASE_HASH);
  capi_finding_set_fix (finding, CAPI_FIX_LOWERCASE_HASH);
  capi_finding_set_event_index (finding, 2);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpstr (capi_finding_get_key (finding), ==, "user_data.em");
  g_assert_cmpstr (capi_severity_to_string (capi_finding_get_severity (finding)), ==, "warning");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/finding/new-destroy", test_finding_new_destroy);
  g_test_add_func ("/capi/finding/notify", test_finding_notify);

  return g_test_run ();
}
