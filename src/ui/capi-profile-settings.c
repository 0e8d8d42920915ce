/* capi-profile-settings.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-profile-settings.h"

#define PROFILE_SCHEMA_ID APP_ID ".Profile"

/* A profile name becomes one element of a settings path, so it must not be
 * empty, must not contain a slash and must be valid UTF-8 without control
 * characters (it is shown in menus and used as a keyring attribute). */
gboolean
capi_profile_settings_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || g_unichar_iscntrl (c))
        return FALSE;
    }
  return g_utf8_strlen (name, -1) <= 64;
}

GSettings *
capi_profile_settings_new (const char *name)
{
  g_autoptr(GSettings) app_settings = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (capi_profile_settings_name_is_valid (name), NULL);

  /* Derive the location from the application schema's own path, so that a
   * development build (its own app id) keeps its profiles apart. */
  app_settings = g_settings_new (APP_ID);
  g_object_get (app_settings, "path", &base_path, NULL);
  path = g_strconcat (base_path, "profiles/", name, "/", NULL);

  return g_settings_new_with_path (PROFILE_SCHEMA_ID, path);
}

void
capi_profile_settings_reset (GSettings *profile_settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (G_IS_SETTINGS (profile_settings));

  g_object_get (profile_settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (profile_settings, keys[i]);
}
