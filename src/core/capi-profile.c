/* capi-profile.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-profile.h"

struct _CapiProfile
{
  GObject parent_instance;

  char *name;
  char *pixel_id;
  char *ats_config_id;
  char *ats_placement_id;
  char *origin;
  char *default_country;
  char *snap_base_url;
  char *ats_base_url;
  char *envelope_base_url;
  char *sandbox_base_url;
  char *test_event_code;
  guint connect_timeout_ms;
  guint total_timeout_ms;
  guint max_attempts;
};

G_DEFINE_FINAL_TYPE (CapiProfile, capi_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_PIXEL_ID,
  PROP_ATS_CONFIG_ID,
  PROP_ATS_PLACEMENT_ID,
  PROP_ORIGIN,
  PROP_DEFAULT_COUNTRY,
  PROP_SNAP_BASE_URL,
  PROP_ATS_BASE_URL,
  PROP_ENVELOPE_BASE_URL,
  PROP_SANDBOX_BASE_URL,
  PROP_TEST_EVENT_CODE,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_TOTAL_TIMEOUT_MS,
  PROP_MAX_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Empty strings are stored as NULL so that "unset" has one spelling. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
capi_profile_finalize (GObject *object)
{
  CapiProfile *self = (CapiProfile *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->pixel_id, g_free);
  g_clear_pointer (&self->ats_config_id, g_free);
  g_clear_pointer (&self->ats_placement_id, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->default_country, g_free);
  g_clear_pointer (&self->snap_base_url, g_free);
  g_clear_pointer (&self->ats_base_url, g_free);
  g_clear_pointer (&self->envelope_base_url, g_free);
  g_clear_pointer (&self->sandbox_base_url, g_free);
  g_clear_pointer (&self->test_event_code, g_free);

  G_OBJECT_CLASS (capi_profile_parent_class)->finalize (object);
}

static void
capi_profile_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapiProfile *self = CAPI_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PIXEL_ID:
      g_value_set_string (value, self->pixel_id);
      break;

    case PROP_ATS_CONFIG_ID:
      g_value_set_string (value, self->ats_config_id);
      break;

    case PROP_ATS_PLACEMENT_ID:
      g_value_set_string (value, self->ats_placement_id);
      break;

    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;

    case PROP_DEFAULT_COUNTRY:
      g_value_set_string (value, self->default_country);
      break;

    case PROP_SNAP_BASE_URL:
      g_value_set_string (value, self->snap_base_url);
      break;

    case PROP_ATS_BASE_URL:
      g_value_set_string (value, self->ats_base_url);
      break;

    case PROP_ENVELOPE_BASE_URL:
      g_value_set_string (value, self->envelope_base_url);
      break;

    case PROP_SANDBOX_BASE_URL:
      g_value_set_string (value, self->sandbox_base_url);
      break;

    case PROP_TEST_EVENT_CODE:
      g_value_set_string (value, self->test_event_code);
      break;

    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;

    case PROP_TOTAL_TIMEOUT_MS:
      g_value_set_uint (value, self->total_timeout_ms);
      break;

    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_profile_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapiProfile *self = CAPI_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      capi_profile_set_name (self, g_value_get_string (value));
      break;

    case PROP_PIXEL_ID:
      capi_profile_set_pixel_id (self, g_value_get_string (value));
      break;

    case PROP_ATS_CONFIG_ID:
      capi_profile_set_ats_config_id (self, g_value_get_string (value));
      break;

    case PROP_ATS_PLACEMENT_ID:
      capi_profile_set_ats_placement_id (self, g_value_get_string (value));
      break;

    case PROP_ORIGIN:
      capi_profile_set_origin (self, g_value_get_string (value));
      break;

    case PROP_DEFAULT_COUNTRY:
      capi_profile_set_default_country (self, g_value_get_string (value));
      break;

    case PROP_SNAP_BASE_URL:
      capi_profile_set_snap_base_url (self, g_value_get_string (value));
      break;

    case PROP_ATS_BASE_URL:
      capi_profile_set_ats_base_url (self, g_value_get_string (value));
      break;

    case PROP_ENVELOPE_BASE_URL:
      capi_profile_set_envelope_base_url (self, g_value_get_string (value));
      break;

    case PROP_SANDBOX_BASE_URL:
      capi_profile_set_sandbox_base_url (self, g_value_get_string (value));
      break;

    case PROP_TEST_EVENT_CODE:
      capi_profile_set_test_event_code (self, g_value_get_string (value));
      break;

    case PROP_CONNECT_TIMEOUT_MS:
      capi_profile_set_connect_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_TOTAL_TIMEOUT_MS:
      capi_profile_set_total_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_ATTEMPTS:
      capi_profile_set_max_attempts (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_profile_class_init (CapiProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_profile_finalize;
  object_class->get_property = capi_profile_get_property;
  object_class->set_property = capi_profile_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PIXEL_ID] =
    g_param_spec_string ("pixel-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ATS_CONFIG_ID] =
    g_param_spec_string ("ats-config-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ATS_PLACEMENT_ID] =
    g_param_spec_string ("ats-placement-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ORIGIN] =
    g_param_spec_string ("origin", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEFAULT_COUNTRY] =
    g_param_spec_string ("default-country", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SNAP_BASE_URL] =
    g_param_spec_string ("snap-base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ATS_BASE_URL] =
    g_param_spec_string ("ats-base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENVELOPE_BASE_URL] =
    g_param_spec_string ("envelope-base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SANDBOX_BASE_URL] =
    g_param_spec_string ("sandbox-base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEST_EVENT_CODE] =
    g_param_spec_string ("test-event-code", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECT_TIMEOUT_MS] =
    g_param_spec_uint ("connect-timeout-ms", NULL, NULL,
                       1, G_MAXUINT, CAPI_PROFILE_DEFAULT_CONNECT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOTAL_TIMEOUT_MS] =
    g_param_spec_uint ("total-timeout-ms", NULL, NULL,
                       1, G_MAXUINT, CAPI_PROFILE_DEFAULT_TOTAL_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 100, CAPI_PROFILE_DEFAULT_MAX_ATTEMPTS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_profile_init (CapiProfile *self)
{
  self->connect_timeout_ms = CAPI_PROFILE_DEFAULT_CONNECT_TIMEOUT_MS;
  self->total_timeout_ms = CAPI_PROFILE_DEFAULT_TOTAL_TIMEOUT_MS;
  self->max_attempts = CAPI_PROFILE_DEFAULT_MAX_ATTEMPTS;
}

CapiProfile *
capi_profile_new (const char *name)
{
  return g_object_new (CAPI_TYPE_PROFILE, "name", name, NULL);
}

/**
 * capi_profile_copy:
 *
 * Returns: (transfer full): an independent profile with the same values,
 *   for handing to a worker thread.
 */
CapiProfile *
capi_profile_copy (CapiProfile *self)
{
  CapiProfile *copy;

  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  copy = capi_profile_new (self->name);
  copy->pixel_id = g_strdup (self->pixel_id);
  copy->ats_config_id = g_strdup (self->ats_config_id);
  copy->ats_placement_id = g_strdup (self->ats_placement_id);
  copy->origin = g_strdup (self->origin);
  copy->default_country = g_strdup (self->default_country);
  copy->snap_base_url = g_strdup (self->snap_base_url);
  copy->ats_base_url = g_strdup (self->ats_base_url);
  copy->envelope_base_url = g_strdup (self->envelope_base_url);
  copy->sandbox_base_url = g_strdup (self->sandbox_base_url);
  copy->test_event_code = g_strdup (self->test_event_code);
  copy->connect_timeout_ms = self->connect_timeout_ms;
  copy->total_timeout_ms = self->total_timeout_ms;
  copy->max_attempts = self->max_attempts;

  return copy;
}

const char *
capi_profile_get_name (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->name;
}

void
capi_profile_set_name (CapiProfile *self,
                       const char  *name)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
capi_profile_get_pixel_id (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->pixel_id;
}

void
capi_profile_set_pixel_id (CapiProfile *self,
                           const char  *pixel_id)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->pixel_id, pixel_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXEL_ID]);
}

const char *
capi_profile_get_ats_config_id (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->ats_config_id;
}

void
capi_profile_set_ats_config_id (CapiProfile *self,
                                const char  *ats_config_id)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->ats_config_id, ats_config_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATS_CONFIG_ID]);
}

const char *
capi_profile_get_ats_placement_id (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->ats_placement_id;
}

void
capi_profile_set_ats_placement_id (CapiProfile *self,
                                   const char  *ats_placement_id)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->ats_placement_id, ats_placement_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATS_PLACEMENT_ID]);
}

const char *
capi_profile_get_origin (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->origin;
}

void
capi_profile_set_origin (CapiProfile *self,
                         const char  *origin)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->origin, origin))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
}

const char *
capi_profile_get_default_country (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->default_country;
}

void
capi_profile_set_default_country (CapiProfile *self,
                                  const char  *default_country)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->default_country, default_country))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_COUNTRY]);
}

const char *
capi_profile_get_snap_base_url (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->snap_base_url;
}

void
capi_profile_set_snap_base_url (CapiProfile *self,
                                const char  *snap_base_url)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->snap_base_url, snap_base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP_BASE_URL]);
}

const char *
capi_profile_get_ats_base_url (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->ats_base_url;
}

void
capi_profile_set_ats_base_url (CapiProfile *self,
                               const char  *ats_base_url)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->ats_base_url, ats_base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATS_BASE_URL]);
}

const char *
capi_profile_get_envelope_base_url (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->envelope_base_url;
}

void
capi_profile_set_envelope_base_url (CapiProfile *self,
                                    const char  *envelope_base_url)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->envelope_base_url, envelope_base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVELOPE_BASE_URL]);
}

const char *
capi_profile_get_sandbox_base_url (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->sandbox_base_url;
}

void
capi_profile_set_sandbox_base_url (CapiProfile *self,
                                   const char  *sandbox_base_url)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->sandbox_base_url, sandbox_base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX_BASE_URL]);
}

const char *
capi_profile_get_test_event_code (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), NULL);

  return self->test_event_code;
}

void
capi_profile_set_test_event_code (CapiProfile *self,
                                  const char  *test_event_code)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));

  if (set_string (&self->test_event_code, test_event_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEST_EVENT_CODE]);
}

guint
capi_profile_get_connect_timeout_ms (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), 0);

  return self->connect_timeout_ms;
}

void
capi_profile_set_connect_timeout_ms (CapiProfile *self,
                                     guint        timeout_ms)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->connect_timeout_ms == timeout_ms)
    return;
  self->connect_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT_MS]);
}

guint
capi_profile_get_total_timeout_ms (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), 0);

  return self->total_timeout_ms;
}

void
capi_profile_set_total_timeout_ms (CapiProfile *self,
                                   guint        timeout_ms)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->total_timeout_ms == timeout_ms)
    return;
  self->total_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_TIMEOUT_MS]);
}

guint
capi_profile_get_max_attempts (CapiProfile *self)
{
  g_return_val_if_fail (CAPI_IS_PROFILE (self), 0);

  return self->max_attempts;
}

void
capi_profile_set_max_attempts (CapiProfile *self,
                               guint        max_attempts)
{
  g_return_if_fail (CAPI_IS_PROFILE (self));
  g_return_if_fail (max_attempts > 0);

  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}
