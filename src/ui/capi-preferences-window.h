/* capi-preferences-window.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-secrets.h"

G_BEGIN_DECLS

#define CAPI_TYPE_PREFERENCES_WINDOW (capi_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CapiPreferencesWindow, capi_preferences_window, CAPI, PREFERENCES_WINDOW, AdwPreferencesWindow)

CapiPreferencesWindow *capi_preferences_window_new                (GtkWindow             *parent);
const char            *capi_preferences_window_get_profile_name   (CapiPreferencesWindow *self);
CapiSecrets           *capi_preferences_window_get_secrets        (CapiPreferencesWindow *self);

G_END_DECLS
