/* capi-preview-pane.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-finding.h"
#include "capi-response-view.h"

G_BEGIN_DECLS

#define CAPI_TYPE_PREVIEW_PANE (capi_preview_pane_get_type ())
G_DECLARE_FINAL_TYPE (CapiPreviewPane, capi_preview_pane, CAPI, PREVIEW_PANE, GtkWidget)

/*
 * The live preview beside the form: the request exactly as it will be
 * sent, the normalization table and the lint findings, plus the response of
 * the last send.  It only shows what it is given; the window builds it from
 * the core (capi_payload_*, capi_lint_run, capi_destination_*).
 */

GtkWidget        *capi_preview_pane_new               (void);

/* headers: (element-type CapiHeader) (nullable), already redacted. */
void              capi_preview_pane_set_request       (CapiPreviewPane *self,
                                                       const char      *method,
                                                       const char      *redacted_url,
                                                       GPtrArray       *headers,
                                                       const char      *body);
/* rows: (element-type CapiExplainRow) */
void              capi_preview_pane_set_explain       (CapiPreviewPane *self,
                                                       GPtrArray       *rows);
/* findings: (element-type CapiFinding) */
void              capi_preview_pane_set_findings      (CapiPreviewPane *self,
                                                       GPtrArray       *findings);

/* The body shown in the Request tab.  (transfer full) */
char             *capi_preview_pane_dup_body          (CapiPreviewPane *self);
guint             capi_preview_pane_get_n_findings    (CapiPreviewPane *self);
/* The lint row at @index (a CapiLintRow), or NULL. */
GtkWidget        *capi_preview_pane_get_lint_row      (CapiPreviewPane *self,
                                                       guint            index);
guint             capi_preview_pane_get_n_explain_rows (CapiPreviewPane *self);
CapiResponseView *capi_preview_pane_get_response_view (CapiPreviewPane *self);
/* "request", "normalization", "lint" or "response". */
void              capi_preview_pane_show_tab          (CapiPreviewPane *self,
                                                       const char      *name);

G_END_DECLS
