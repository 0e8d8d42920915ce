/* capi-lint.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "capi-event.h"
#include "capi-finding.h"

G_BEGIN_DECLS

typedef enum
{
  CAPI_LINT_TARGET_SNAP,
  CAPI_LINT_TARGET_ATS,
} CapiLintTarget;

/* A rule's stable code and default severity, for docs and tests. */
typedef struct
{
  const char   *code;
  CapiSeverity  severity;
  const char   *summary;   /* untranslated; use _() when showing */
} CapiLintRule;

/* All rules, terminated by an entry with code == NULL. */
const CapiLintRule *capi_lint_get_rules (void);

/*
 * Judge the events *as given* (what an integration sends): a raw e-mail in
 * user_data.em is an error here even though the payload builder would hash
 * it.  now is Unix seconds (the clock for time rules).  Findings are
 * ordered by event index, then by rule table order.
 * Returns (element-type CapiFinding) (transfer full).
 */
GPtrArray *capi_lint_run       (GPtrArray       *events,
                                CapiEventFormat  format,
                                CapiLintTarget   target,
                                gint64           now);
/* Counts findings of a severity. */
guint      capi_lint_count     (GPtrArray       *findings,
                                CapiSeverity     severity);
/* Apply the finding's mechanical fix to the event; FALSE if none applies. */
gboolean   capi_lint_apply_fix (CapiEvent       *event,
                                CapiFinding     *finding);

G_END_DECLS
