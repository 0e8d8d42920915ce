/* capi-json.h -- checks every untrusted JSON text passes before json-glib
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper documents are refused: json-glib and our tree walkers recurse
 * once per level, and no Snap, ATS, HAR or history document nests more
 * than a dozen levels. */
#define CAPI_JSON_MAX_DEPTH 512

/*
 * json-glib 1.6 has three traps for untrusted input:
 *  - it accepts several top-level values ("{...} {...}" or "7 [1]"), keeps
 *    the first as the root and leaks the others, so a document could lose
 *    events silently;
 *  - it parses recursively, so a few megabytes of "[" exhaust the stack;
 *  - its scanner takes string escapes JSON does not have ("\777" octal
 *    gives the byte 0xFF, "\q" gives "q"), writes a lone surrogate
 *    ("\ud800") as invalid UTF-8 and ends a string at "\u0000", so what
 *    it reads may not write back as valid JSON.
 * capi_json_check_document() scans @data once (no allocation) and fails
 * with JSON_PARSER_ERROR_PARSE, worded as json-glib words its own errors
 * ("<data>:LINE:COLUMN: Parse error: ..."), when there is anything but
 * white space after the first value, when it nests deeper than
 * @max_depth or when a string holds such an escape.  Other syntax errors
 * are left to json-glib.
 */
gboolean    capi_json_check_document (const char  *data,
                                      gsize        length,
                                      guint        max_depth,
                                      GError     **error);

/* json-glib turns a number too large for a double (1e400) into infinity,
 * and its generator then writes "inf", which is no JSON: whatever holds
 * such a number could never be sent or stored.  Fails with
 * JSON_PARSER_ERROR_INVALID_DATA naming the member ("data[0].event_time").
 * @root may be NULL. */
gboolean    capi_json_check_numbers  (JsonNode    *root,
                                      GError     **error);

/* capi_json_check_document() with CAPI_JSON_MAX_DEPTH, then
 * json_parser_load_from_data(), then capi_json_check_numbers(); text
 * with no value at all (only comments) fails too, so on success the parser
 * always has a root.
 * @length -1 means NUL-terminated. */
gboolean    capi_json_parser_load    (JsonParser  *parser,
                                      const char  *data,
                                      gssize       length,
                                      GError     **error);

G_END_DECLS
