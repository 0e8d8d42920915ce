/* fuzz-normalize.c -- libFuzzer target: every user_data normalizer.
 *
 * The first byte picks the key (all documented keys and one unknown), the
 * second the default country, the rest is the raw value.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-hash.h"
#include "capi-normalize.h"

static const char * const countries[] = { NULL, "GB", "us", "DE", "fr", "xx", "", "1" };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char * const *keys = capi_normalize_user_data_keys ();
  g_autofree char *raw = NULL;
  const char *key;
  const char *country;
  guint n_keys = 0;

  fuzz_make_logs_fatal ();

  if (size < 2)
    return 0;

  while (keys[n_keys] != NULL)
    n_keys++;
  key = data[0] % (n_keys + 1) == n_keys ? "not_a_snap_key" : keys[data[0] % (n_keys + 1)];
  country = countries[data[1] % G_N_ELEMENTS (countries)];

  /* Values reach the normalizers from parsed JSON, which is UTF-8. */
  raw = fuzz_dup_string (data + 2, size - 2);
  if (!g_utf8_validate (raw, -1, NULL))
    return 0;

  {
    g_autofree char *normalized = NULL;
    g_autofree char *wire = NULL;
    g_autofree char *field = NULL;
    CapiValueState state = CAPI_VALUE_DROPPED;

    wire = capi_normalize_value_for_wire (key, raw, country, &state, &normalized);
    field = capi_normalize_field (key, raw, country);
    (void) capi_normalize_field_kind (key);

    switch (state)
      {
      case CAPI_VALUE_HASHED:
      case CAPI_VALUE_ALREADY_HASHED:
        g_assert (wire != NULL);
        g_assert (capi_hash_is_sha256 (wire));
        g_assert (!capi_hash_has_uppercase (wire));
        break;
      case CAPI_VALUE_SENT_AS_IS:
        g_assert (wire != NULL);
        g_assert (g_utf8_validate (wire, -1, NULL));
        break;
      case CAPI_VALUE_DROPPED:
        g_assert (wire == NULL);
        break;
      default:
        g_assert_not_reached ();
      }
    if (normalized != NULL)
      g_assert (g_utf8_validate (normalized, -1, NULL));
    if (field != NULL)
      g_assert (g_utf8_validate (field, -1, NULL));
  }

  /* Every per-field function on the same value. */
  {
    char *(*one_arg[]) (const char *) = {
      capi_normalize_email, capi_normalize_name, capi_normalize_gender,
      capi_normalize_city, capi_normalize_state, capi_normalize_country,
      capi_normalize_date_of_birth, capi_normalize_external_id, capi_normalize_madid,
    };

    for (guint i = 0; i < G_N_ELEMENTS (one_arg); i++)
      {
        g_autofree char *out = one_arg[i] (raw);

        if (out != NULL)
          g_assert (g_utf8_validate (out, -1, NULL));
      }
  }
  {
    g_autofree char *phone = capi_normalize_phone (raw, country);
    g_autofree char *zip = capi_normalize_zip (raw, country);

    /* A normalized phone is digits only. */
    for (const char *p = phone; p != NULL && *p != '\0'; p++)
      g_assert (g_ascii_isdigit (*p));
    if (zip != NULL)
      g_assert (g_utf8_validate (zip, -1, NULL));
    if (raw[0] != '\0' && strlen (raw) < 8)
      (void) capi_normalize_calling_code (raw);
  }

  return 0;
}
