/* capi-application.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-history.h"
#include "capi-sandbox.h"

G_BEGIN_DECLS

#define CAPI_TYPE_APPLICATION (capi_application_get_type ())
G_DECLARE_FINAL_TYPE (CapiApplication, capi_application, CAPI, APPLICATION, AdwApplication)

CapiApplication *capi_application_new              (void);
const char      *capi_application_get_sandbox_uri (CapiApplication *self);
CapiHistory     *capi_application_get_history     (CapiApplication *self);
CapiSandbox     *capi_application_get_sandbox     (CapiApplication *self);

G_END_DECLS
