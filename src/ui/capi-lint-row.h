/* capi-lint-row.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-finding.h"

G_BEGIN_DECLS

#define CAPI_TYPE_LINT_ROW (capi_lint_row_get_type ())
G_DECLARE_FINAL_TYPE (CapiLintRow, capi_lint_row, CAPI, LINT_ROW, AdwActionRow)

GtkWidget   *capi_lint_row_new         (CapiFinding *finding);
CapiFinding *capi_lint_row_get_finding (CapiLintRow *self);
/* The "Fix" button, or NULL when the finding has no mechanical fix. */
GtkWidget   *capi_lint_row_get_fix_button (CapiLintRow *self);

G_END_DECLS
