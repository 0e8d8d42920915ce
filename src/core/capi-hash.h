/* capi-hash.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SHA-256 of the UTF-8 string, lowercase hex (64 characters). */
char     *capi_hash_sha256            (const char *value);
/* TRUE when value is exactly 64 hexadecimal characters (either case). */
gboolean  capi_hash_is_sha256         (const char *value);
/* TRUE when value is a SHA-256 hex with an uppercase letter. */
gboolean  capi_hash_has_uppercase     (const char *value);

G_END_DECLS
