/* fuzz-hash.c -- libFuzzer target: SHA-256 hex and hash detection.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-hash.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = NULL;
  g_autofree char *hash = NULL;

  fuzz_make_logs_fatal ();

  value = fuzz_dup_string (data, size);
  if (!g_utf8_validate (value, -1, NULL))
    return 0;

  hash = capi_hash_sha256 (value);
  g_assert (capi_hash_is_sha256 (hash));
  g_assert (!capi_hash_has_uppercase (hash));

  /* Detection agrees with the definition: 64 hex digits, nothing else. */
  {
    gboolean all_hex = strlen (value) == 64;

    for (const char *p = value; all_hex && *p != '\0'; p++)
      all_hex = g_ascii_isxdigit (*p);
    g_assert_cmpint (capi_hash_is_sha256 (value), ==, all_hex);
    if (capi_hash_has_uppercase (value))
      g_assert (all_hex);
  }

  return 0;
}
