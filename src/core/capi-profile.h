/* capi-profile.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CAPI_PROFILE_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define CAPI_PROFILE_DEFAULT_TOTAL_TIMEOUT_MS   30000
#define CAPI_PROFILE_DEFAULT_MAX_ATTEMPTS       3

#define CAPI_TYPE_PROFILE (capi_profile_get_type ())
G_DECLARE_FINAL_TYPE (CapiProfile, capi_profile, CAPI, PROFILE, GObject)

/*
 * A profile names one integration: which pixel and ATS configuration to
 * talk to, where (base URLs; NULL means the built-in default, see
 * capi-destination.h) and how patiently (timeouts, attempts).  The access
 * token is never part of a profile: it lives in the Secret Service
 * (capi-secrets.h), keyed by the profile name.
 */

CapiProfile *capi_profile_new                   (const char  *name);
CapiProfile *capi_profile_copy                  (CapiProfile *self);

const char  *capi_profile_get_name              (CapiProfile *self);
void         capi_profile_set_name              (CapiProfile *self,
                                                 const char  *name);
/* Snap Pixel id (or Snap App id): the {asset_id} of the v3 paths. */
const char  *capi_profile_get_pixel_id          (CapiProfile *self);
void         capi_profile_set_pixel_id          (CapiProfile *self,
                                                 const char  *pixel_id);
const char  *capi_profile_get_ats_config_id     (CapiProfile *self);
void         capi_profile_set_ats_config_id     (CapiProfile *self,
                                                 const char  *ats_config_id);
/* The "pid" of an envelope refresh. */
const char  *capi_profile_get_ats_placement_id  (CapiProfile *self);
void         capi_profile_set_ats_placement_id  (CapiProfile *self,
                                                 const char  *ats_placement_id);
/* Sent as the Origin header of an envelope refresh. */
const char  *capi_profile_get_origin            (CapiProfile *self);
void         capi_profile_set_origin            (CapiProfile *self,
                                                 const char  *origin);
const char  *capi_profile_get_default_country   (CapiProfile *self);
void         capi_profile_set_default_country   (CapiProfile *self,
                                                 const char  *default_country);
/* Optional test_event_code put at the root of v3 bodies. */
const char  *capi_profile_get_test_event_code   (CapiProfile *self);
void         capi_profile_set_test_event_code   (CapiProfile *self,
                                                 const char  *test_event_code);

/* Base URL overrides (scheme://host[:port][/prefix]); NULL: default. */
const char  *capi_profile_get_snap_base_url     (CapiProfile *self);
void         capi_profile_set_snap_base_url     (CapiProfile *self,
                                                 const char  *snap_base_url);
const char  *capi_profile_get_ats_base_url      (CapiProfile *self);
void         capi_profile_set_ats_base_url      (CapiProfile *self,
                                                 const char  *ats_base_url);
const char  *capi_profile_get_envelope_base_url (CapiProfile *self);
void         capi_profile_set_envelope_base_url (CapiProfile *self,
                                                 const char  *envelope_base_url);
/* Where a local sandbox (`capi-inspector-cli serve`) listens. */
const char  *capi_profile_get_sandbox_base_url  (CapiProfile *self);
void         capi_profile_set_sandbox_base_url  (CapiProfile *self,
                                                 const char  *sandbox_base_url);

/* Time allowed to resolve and connect (default 10 s), and for a whole
 * attempt including the response body (default 30 s), in milliseconds. */
guint        capi_profile_get_connect_timeout_ms (CapiProfile *self);
void         capi_profile_set_connect_timeout_ms (CapiProfile *self,
                                                  guint        timeout_ms);
guint        capi_profile_get_total_timeout_ms   (CapiProfile *self);
void         capi_profile_set_total_timeout_ms   (CapiProfile *self,
                                                  guint        timeout_ms);
/* Attempts per request, first one included (default 3, at least 1). */
guint        capi_profile_get_max_attempts       (CapiProfile *self);
void         capi_profile_set_max_attempts       (CapiProfile *self,
                                                  guint        max_attempts);

G_END_DECLS
