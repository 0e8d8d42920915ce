/* capi-window.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-application.h"

G_BEGIN_DECLS

#define CAPI_TYPE_WINDOW (capi_window_get_type ())
G_DECLARE_FINAL_TYPE (CapiWindow, capi_window, CAPI, WINDOW, AdwApplicationWindow)

CapiWindow *capi_window_new (CapiApplication *application);

G_END_DECLS
