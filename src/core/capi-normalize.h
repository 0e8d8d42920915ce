/* capi-normalize.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Per-field normalization before hashing (spec §1, user_data table).  Each
 * function is pure and returns a newly allocated string, or NULL when
 * nothing usable remains (e.g. a phone with no digits).
 */

/* How user_data values travel. */
typedef enum
{
  CAPI_FIELD_HASHED,     /* normalized, then SHA-256 */
  CAPI_FIELD_PLAIN,      /* sent as is (IP, user agent, click id, cookie, madid, ...) */
  CAPI_FIELD_UNKNOWN,    /* a key Snap does not document */
} CapiFieldKind;

/* What happened to one value. */
typedef enum
{
  CAPI_VALUE_HASHED,          /* raw value normalized and hashed */
  CAPI_VALUE_ALREADY_HASHED,  /* 64 hex characters, lowercased, not hashed again */
  CAPI_VALUE_SENT_AS_IS,      /* a plain key */
  CAPI_VALUE_DROPPED,         /* nothing usable after normalization */
} CapiValueState;

char          *capi_normalize_email         (const char *raw);
/* default_country: ISO 3166-1 alpha-2 (either case) or NULL; a national
 * number starting with a single 0 gets its calling code, without the 0. */
char          *capi_normalize_phone         (const char *raw,
                                             const char *default_country);
char          *capi_normalize_name          (const char *raw);
char          *capi_normalize_gender        (const char *raw);
char          *capi_normalize_city          (const char *raw);
char          *capi_normalize_state         (const char *raw);
/* country decides US 5-digit truncation; NULL means unknown. */
char          *capi_normalize_zip           (const char *raw,
                                             const char *country);
char          *capi_normalize_country       (const char *raw);
/* YYYYMMDD from YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, DD.MM.YYYY, ISO 8601. */
char          *capi_normalize_date_of_birth (const char *raw);
char          *capi_normalize_external_id   (const char *raw);
char          *capi_normalize_madid         (const char *raw);

/* Calling code for an alpha-2 country ("GB" -> "44"), or NULL. */
const char    *capi_normalize_calling_code  (const char *country);
CapiFieldKind  capi_normalize_field_kind    (const char *user_data_key);
/* All documented user_data keys, NULL-terminated. */
const char * const *capi_normalize_user_data_keys (void);

/* Normalize by user_data key (em, ph, fn, ln, ge, ct, st, zp, country, db,
 * external_id, madid; plain keys are trimmed only). */
char          *capi_normalize_field         (const char *user_data_key,
                                             const char *raw,
                                             const char *default_country);
/* The value exactly as it will be sent: normalized + hashed for hashed
 * keys, lowercased if already a hash, as is for plain keys.  Sets
 * out_state; out_normalized (nullable) receives the normalized text. */
char          *capi_normalize_value_for_wire (const char     *user_data_key,
                                              const char     *raw,
                                              const char     *default_country,
                                              CapiValueState *out_state,
                                              char          **out_normalized);

G_END_DECLS
