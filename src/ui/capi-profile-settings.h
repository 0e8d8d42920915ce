/* capi-profile-settings.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Where profiles live in GSettings.  The application schema (APP_ID) holds
 * the list of profile names ("profiles") and the active one
 * ("active-profile"); each profile's fields live in the relocatable schema
 * APP_ID ".Profile" under <schema path>/profiles/<name>/.  Access tokens are
 * never stored there: capi-secrets keeps them in the Secret Service, keyed
 * by the same profile name.
 */

gboolean   capi_profile_settings_name_is_valid (const char *name);
GSettings *capi_profile_settings_new           (const char *name);
void       capi_profile_settings_reset         (GSettings  *profile_settings);

G_END_DECLS
