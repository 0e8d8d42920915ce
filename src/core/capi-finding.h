/* capi-finding.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CAPI_SEVERITY_HINT,
  CAPI_SEVERITY_WARNING,
  CAPI_SEVERITY_ERROR,
} CapiSeverity;

/* A mechanical fix the GUI can offer as a button. */
typedef enum
{
  CAPI_FIX_NONE,
  CAPI_FIX_UPPERCASE_EVENT_NAME,
  CAPI_FIX_MILLISECONDS_TO_SECONDS,
  CAPI_FIX_MOVE_EVENT_ID,        /* out of custom_data to the event */
  CAPI_FIX_LOWERCASE_HASH,
  CAPI_FIX_UPPERCASE_ACTION_SOURCE,
} CapiFix;

#define CAPI_TYPE_FINDING (capi_finding_get_type ())
G_DECLARE_FINAL_TYPE (CapiFinding, capi_finding, CAPI, FINDING, GObject)

CapiFinding  *capi_finding_new              (CapiSeverity  severity,
                                             const char   *code,
                                             const char   *path,
                                             const char   *message);
CapiSeverity  capi_finding_get_severity     (CapiFinding  *self);
const char   *capi_finding_get_code         (CapiFinding  *self);
/* JSON path in the document as given, e.g. "data[0].user_data.em[0]". */
const char   *capi_finding_get_path         (CapiFinding  *self);
const char   *capi_finding_get_message      (CapiFinding  *self);
/* Index of the event in its document, -1 for the whole document. */
int           capi_finding_get_event_index  (CapiFinding  *self);
void          capi_finding_set_event_index  (CapiFinding  *self,
                                             int           index);
/* The v3 dotted key the finding is about ("user_data.em"), or NULL. */
const char   *capi_finding_get_key          (CapiFinding  *self);
void          capi_finding_set_key          (CapiFinding  *self,
                                             const char   *key);
CapiFix       capi_finding_get_fix          (CapiFinding  *self);
void          capi_finding_set_fix          (CapiFinding  *self,
                                             CapiFix       fix);
const char   *capi_severity_to_string       (CapiSeverity  severity);

G_END_DECLS
