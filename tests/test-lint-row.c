/* test-lint-row.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "capi-lint-row.h"

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_lint_row_new_destroy (void)
{
  g_autoptr(CapiFinding) finding = capi_finding_new (CAPI_SEVERITY_WARNING, "event-time-old",
                                                     "event_time", "Older than 7 days");
  GtkWidget *row = g_object_ref_sink (capi_lint_row_new (finding));

  g_assert_true (capi_lint_row_get_finding (CAPI_LINT_ROW (row)) == finding);
  g_assert_finalize_object (row);
}

static void
test_lint_row_fix_button (void)
{
  g_autoptr(CapiFinding) plain = capi_finding_new (CAPI_SEVERITY_ERROR, "pii-insufficient", "",
                                                   "No identifier");
  g_autoptr(CapiFinding) fixable = capi_finding_new (CAPI_SEVERITY_ERROR, "event-name-case",
                                                     "event_name", "Lowercase <event> name");
  g_autoptr(GtkWidget) row1 = NULL;
  g_autoptr(GtkWidget) row2 = NULL;
  guint fixes = 0;

  capi_finding_set_fix (fixable, CAPI_FIX_UPPERCASE_EVENT_NAME);
  capi_finding_set_key (fixable, "event_name");
  row1 = g_object_ref_sink (capi_lint_row_new (plain));
  row2 = g_object_ref_sink (capi_lint_row_new (fixable));

  /* No fix, no button; no key, nothing to go to. */
  g_assert_null (capi_lint_row_get_fix_button (CAPI_LINT_ROW (row1)));
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row1)));

  g_assert_nonnull (capi_lint_row_get_fix_button (CAPI_LINT_ROW (row2)));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row2)));
  /* The message is shown as text: escaped for the markup title. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row2)), ==,
                   "Lowercase &lt;event&gt; name");

  g_signal_connect_swapped (row2, "fix", G_CALLBACK (count_cb), &fixes);
  g_signal_emit_by_name (capi_lint_row_get_fix_button (CAPI_LINT_ROW (row2)), "clicked");
  g_assert_cmpuint (fixes, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/capi/lint-row/new-destroy", test_lint_row_new_destroy);
  g_test_add_func ("/capi/lint-row/fix-button", test_lint_row_fix_button);

  return g_test_run ();
}
