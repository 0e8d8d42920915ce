/* fuzz-lint.c -- libFuzzer target: lint on any document, both targets,
 * then every mechanical fix applied and linted again.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-lint.h"
#include "capi-payload.h"

/* A fixed clock keeps runs reproducible: 2026-01-01T00:00:00Z. */
#define FUZZ_NOW G_GINT64_CONSTANT (1767225600)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) events = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  fuzz_make_logs_fatal ();

  events = capi_event_read_document ((const char *) data, (gssize) size, &format, NULL);
  if (events == NULL)
    return 0;

  for (guint target = CAPI_LINT_TARGET_SNAP; target <= CAPI_LINT_TARGET_ATS; target++)
    {
      g_autoptr(GPtrArray) findings = capi_lint_run (events, format, target, FUZZ_NOW);
      guint total = 0;

      g_assert (findings != NULL);
      for (CapiSeverity s = CAPI_SEVERITY_HINT; s <= CAPI_SEVERITY_ERROR; s++)
        total += capi_lint_count (findings, s);
      g_assert_cmpuint (total, ==, findings->len);

      for (guint i = 0; i < findings->len && i < 64; i++)
        {
          CapiFinding *finding = g_ptr_array_index (findings, i);
          int index = capi_finding_get_event_index (finding);
          g_autoptr(CapiEvent) copy = NULL;

          g_assert (capi_finding_get_code (finding) != NULL);
          g_assert (capi_finding_get_message (finding) != NULL);
          if (index < 0 || (guint) index >= events->len)
            continue;

          copy = capi_event_copy (g_ptr_array_index (events, index));
          if (capi_lint_apply_fix (copy, finding))
            {
              g_autoptr(GPtrArray) one = g_ptr_array_new ();
              g_autoptr(GPtrArray) again = NULL;
              g_autofree char *body = NULL;

              g_ptr_array_add (one, copy);
              again = capi_lint_run (one, format, target, FUZZ_NOW);
              g_assert (again != NULL);
              body = capi_payload_build_string (CAPI_PAYLOAD_SNAP_V3, one, NULL, FALSE);
              g_assert (body != NULL);
            }
        }
    }

  return 0;
}
