/* test-preview-pane.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "capi-exchange.h"
#include "capi-lint-row.h"
#include "capi-payload.h"
#include "capi-preview-pane.h"

static void
finding_cb (CapiPreviewPane *pane,
            CapiFinding     *finding,
            CapiFinding    **out)
{
  g_set_object (out, finding);
}

static CapiPreviewPane *
pane_new (void)
{
  return g_object_ref_sink (CAPI_PREVIEW_PANE (capi_preview_pane_new ()));
}

static void
test_preview_pane_new_destroy (void)
{
  CapiPreviewPane *pane = pane_new ();

  g_assert_true (CAPI_IS_RESPONSE_VIEW (capi_preview_pane_get_response_view (pane)));
  g_assert_finalize_object (pane);
}

static void
test_preview_pane_request (void)
{
  g_autoptr(CapiPreviewPane) pane = pane_new ();
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func ((GDestroyNotify) capi_header_free);
  g_autofree char *body = NULL;
  CapiHeader *header = g_new0 (CapiHeader, 1);

  header->name = g_strdup ("Accept");
  header->value = g_strdup ("application/json");
  g_ptr_array_add (headers, header);

  capi_preview_pane_set_request (pane, "POST", "http://127.0.0.1:1/v3/p/events?access_token=…",
                                 headers, "{\"data\": []}");
  body = capi_preview_pane_dup_body (pane);
  g_assert_cmpstr (body, ==, "{\"data\": []}");
}

static void
test_preview_pane_explain (void)
{
  g_autoptr(CapiPreviewPane) pane = pane_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) capi_explain_row_free);
  CapiExplainRow *row = g_new0 (CapiExplainRow, 1);

  row->field = g_strdup ("data[0].user_data.em[0]");
  row->key = g_strdup ("em");
  row->raw = g_strdup (" A@B.C ");
  row->normalized = g_strdup ("a@b.c");
  row->sent = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "a@b.c", -1);
  row->state = CAPI_VALUE_HASHED;
  g_ptr_array_add (rows, row);

  capi_preview_pane_set_explain (pane, rows);
  g_assert_cmpuint (capi_preview_pane_get_n_explain_rows (pane), ==, 1);
  capi_preview_pane_set_explain (pane, NULL);
  g_assert_cmpuint (capi_preview_pane_get_n_explain_rows (pane), ==, 0);
}

static void
test_preview_pane_findings (void)
{
  g_autoptr(CapiPreviewPane) pane = pane_new ();
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CapiFinding) activated = NULL;
  g_autoptr(CapiFinding) fixed = NULL;
  CapiFinding *name = capi_finding_new (CAPI_SEVERITY_ERROR, "event-name-case", "event_name",
                                        "Lowercase event name");
  CapiFinding *hint = capi_finding_new (CAPI_SEVERITY_HINT, "hint", "", "A hint");
  GtkWidget *row;

  capi_finding_set_key (name, "event_name");
  capi_finding_set_fix (name, CAPI_FIX_UPPERCASE_EVENT_NAME);
  g_ptr_array_add (findings, name);
  g_ptr_array_add (findings, hint);

  g_signal_connect (pane, "finding-activated", G_CALLBACK (finding_cb), &activated);
  g_signal_connect (pane, "fix-requested", G_CALLBACK (finding_cb), &fixed);

  capi_preview_pane_set_findings (pane, findings);
  g_assert_cmpuint (capi_preview_pane_get_n_findings (pane), ==, 2);
  g_assert_null (capi_preview_pane_get_lint_row (pane, 2));

  row = capi_preview_pane_get_lint_row (pane, 0);
  g_assert_true (capi_lint_row_get_finding (CAPI_LINT_ROW (row)) == name);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_true (activated == name);
  g_signal_emit_by_name (capi_lint_row_get_fix_button (CAPI_LINT_ROW (row)), "clicked");
  g_assert_true (fixed == name);

  capi_preview_pane_set_findings (pane, NULL);
  g_assert_cmpuint (capi_preview_pane_get_n_findings (pane), ==, 0);
  g_assert_null (capi_preview_pane_get_lint_row (pane, 0));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/capi/preview-pane/new-destroy", test_preview_pane_new_destroy);
  g_test_add_func ("/capi/preview-pane/request", test_preview_pane_request);
  g_test_add_func ("/capi/preview-pane/explain", test_preview_pane_explain);
  g_test_add_func ("/capi/preview-pane/findings", test_preview_pane_findings);

  return g_test_run ();
}
