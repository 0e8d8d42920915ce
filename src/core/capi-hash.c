/* capi-hash.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-hash.h"

char *
capi_hash_sha256 (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  /* GChecksum already prints lowercase hex, which is what Snap matches on. */
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, value, -1);
}

gboolean
capi_hash_is_sha256 (const char *value)
{
  if (value == NULL)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (value[i]))
      return FALSE;

  return value[64] == '\0';
}

gboolean
capi_hash_has_uppercase (const char *value)
{
  if (!capi_hash_is_sha256 (value))
    return FALSE;

  for (const char *p = value; *p; p++)
    if (g_ascii_isupper (*p))
      return TRUE;

  return FALSE;
}
