/* fuzz-import.c -- libFuzzer target: the dedup importers (HAR, snaptr
 * snippets, CSV, JSON and JSON Lines) through capi_import_data.
 *
 * Built once per reader with FUZZ_IMPORT_KIND set, so that each target
 * spends its time on inputs its reader claims; the first byte picks the
 * side and whether a default pixel id is given.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-finding.h"
#include "capi-import.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) conversions = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  CapiConversionSide side;
  CapiImportKind kind;
  CapiImportKind read_kind = CAPI_IMPORT_KIND_UNKNOWN;
  const char *text;
  gsize length;

  fuzz_make_logs_fatal ();

  if (size < 1)
    return 0;

  side = (data[0] & 1) ? CAPI_CONVERSION_SIDE_CAPI : CAPI_CONVERSION_SIDE_PIXEL;
  text = (const char *) data + 1;
  length = size - 1;

  kind = capi_import_detect_kind (text, length);
  g_assert (capi_import_kind_to_string (kind) != NULL);
#ifdef FUZZ_IMPORT_KIND
  if (kind != FUZZ_IMPORT_KIND)
    return 0;
#endif

  conversions = capi_import_data (text, (gssize) length, "fuzz-input", side,
                                  (data[0] & 2) ? "11111111-2222-3333-4444-555555555555" : NULL,
                                  &read_kind, &problems, &error);
  if (conversions == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < conversions->len; i++)
    {
      CapiConversion *conversion = g_ptr_array_index (conversions, i);
      g_autofree char *time = capi_conversion_dup_time_string (conversion);

      g_assert_cmpint (capi_conversion_get_side (conversion), ==, side);
      g_assert (capi_conversion_get_event_name (conversion) != NULL);
      /* Whatever the escapes in the input, what was read is text that the
       * report writers can put into JSON. */
      g_assert (g_utf8_validate (capi_conversion_get_event_name (conversion), -1, NULL));
      g_assert (capi_conversion_get_pixel_id (conversion) == NULL ||
                g_utf8_validate (capi_conversion_get_pixel_id (conversion), -1, NULL));
      g_assert (capi_conversion_get_dedup_id (conversion) == NULL ||
                g_utf8_validate (capi_conversion_get_dedup_id (conversion), -1, NULL));
      g_assert (capi_conversion_get_transaction_id (conversion) == NULL ||
                g_utf8_validate (capi_conversion_get_transaction_id (conversion), -1, NULL));
      if (capi_conversion_get_extra (conversion) != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                            capi_conversion_get_extra (conversion));
          g_autofree char *extra = json_to_string (node, FALSE);

          g_assert (g_utf8_validate (extra, -1, NULL));
        }
      g_assert_cmpint (capi_conversion_has_time (conversion), ==, time != NULL);
      g_assert (capi_conversion_get_line (conversion) >= 1);
    }

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CapiFinding *problem = g_ptr_array_index (problems, i);

      /* Problems name the place: "fuzz-input:LINE". */
      g_assert (g_str_has_prefix (capi_finding_get_path (problem), "fuzz-input"));
      g_assert (capi_finding_get_message (problem) != NULL);
    }

  return 0;
}
