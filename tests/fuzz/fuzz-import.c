/* fuzz-import.c -- libFuzzer target: the dedup importers (HAR, snaptr
 * snippets, CSV, JSON and JSON Lines) through capi_import_data.
 *
 * Built once per reader with FUZZ_IMPORT_KIND set, so that each target
 * spends its time on inputs its reader claims; the first byte picks the
 * side and whether a default pixel id is given.
 *
 * JSON Lines are also read as a file with that content would be
 * (_capi_import_data_as_file_into): through the streaming line reader,
 * which, unlike capi_import_data, does not check the whole text for
 * UTF-8 first.  Whatever it reads must pass the same checks, and for
 * UTF-8 text both ways must read the same.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-finding.h"
#include "capi-import.h"
#include "capi-import-private.h"
#include "capi-json.h"

static void
check_conversions (GPtrArray          *conversions,
                   GPtrArray          *problems,
                   CapiConversionSide  side)
{
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

          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert (g_utf8_validate (extra, -1, NULL));
          /* ... and that reads back as JSON: no "inf" for 1e400. */
          g_assert (capi_json_parser_load (parser, extra, -1, NULL));
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
}

/* The same text read from memory and as a file gives the same result. */
static void
check_same (GPtrArray *a,
            GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      CapiConversion *x = g_ptr_array_index (a, i);
      CapiConversion *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (capi_conversion_get_event_name (x), ==, capi_conversion_get_event_name (y));
      g_assert_cmpstr (capi_conversion_get_pixel_id (x), ==, capi_conversion_get_pixel_id (y));
      g_assert_cmpstr (capi_conversion_get_dedup_id (x), ==, capi_conversion_get_dedup_id (y));
      g_assert_cmpstr (capi_conversion_get_transaction_id (x), ==,
                       capi_conversion_get_transaction_id (y));
      g_assert_cmpint (capi_conversion_has_time (x), ==, capi_conversion_has_time (y));
      g_assert_cmpint (capi_conversion_get_time (x), ==, capi_conversion_get_time (y));
      g_assert_cmpuint (capi_conversion_get_line (x), ==, capi_conversion_get_line (y));
    }
}

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
  const char *default_pixel;
  gsize length;

  fuzz_make_logs_fatal ();

  if (size < 1)
    return 0;

  side = (data[0] & 1) ? CAPI_CONVERSION_SIDE_CAPI : CAPI_CONVERSION_SIDE_PIXEL;
  default_pixel = (data[0] & 2) ? "11111111-2222-3333-4444-555555555555" : NULL;
  text = (const char *) data + 1;
  length = size - 1;

  kind = capi_import_detect_kind (text, length);
  g_assert (capi_import_kind_to_string (kind) != NULL);
#ifdef FUZZ_IMPORT_KIND
  if (kind != FUZZ_IMPORT_KIND)
    return 0;
#endif

  conversions = capi_import_data (text, (gssize) length, "fuzz-input", side, default_pixel,
                                  &read_kind, &problems, &error);
  if (conversions == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->message != NULL && error->message[0] != '\0');
    }
  else
    {
      g_assert_no_error (error);
      check_conversions (conversions, problems, side);
    }

  if (kind == CAPI_IMPORT_KIND_JSON_LINES)
    {
      g_autoptr(CapiRecordStore) store = _capi_record_store_new (side);
      g_autoptr(GPtrArray) file_conversions = NULL;
      g_autoptr(GError) file_error = NULL;
      CapiImportKind file_kind = CAPI_IMPORT_KIND_UNKNOWN;
      gboolean ok;

      ok = _capi_import_data_as_file_into (store, text, length, "fuzz-input", default_pixel,
                                           &file_kind, &file_error);
      g_assert_cmpint (file_kind, ==, kind);
      if (!ok)
        {
          g_assert (file_error != NULL);
          g_assert (file_error->message != NULL && file_error->message[0] != '\0');
        }
      else
        {
          g_assert_no_error (file_error);
          file_conversions = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint i = 0; i < store->records->len; i++)
            g_ptr_array_add (file_conversions,
                             _capi_record_to_conversion (store, &g_array_index (store->records,
                                                                                CapiRecord, i)));
          check_conversions (file_conversions, store->problems, side);
        }

      /* capi_import_data turns down text that is not UTF-8 as a whole; any
       * other text reads the same from memory and from a file. */
      if (g_utf8_validate_len (text, length, NULL))
        {
          g_assert_cmpint (ok, ==, conversions != NULL);
          if (ok)
            {
              check_same (conversions, file_conversions);
              g_assert_cmpuint (problems->len, ==, store->problems->len);
            }
          else
            g_assert_cmpint (file_error->code, ==, error->code);
        }
    }

  return 0;
}
