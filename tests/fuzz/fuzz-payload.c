/* fuzz-payload.c -- libFuzzer target: documents through the payload
 * builders (v3 and ATS bodies) and the normalization table.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-payload.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) events = NULL;
  CapiPayloadOptions options = { 0 };
  static const char * const countries[] = { NULL, "GB", "US", "de" };

  fuzz_make_logs_fatal ();

  if (size < 1)
    return 0;

  options.default_country = countries[data[0] % G_N_ELEMENTS (countries)];
  options.test_event_code = (data[0] & 0x10) ? "TEST123" : NULL;
  options.integration = (data[0] & 0x20) ? "" : NULL;

  events = capi_event_read_document ((const char *) data + 1, (gssize) size - 1, NULL, NULL);
  if (events == NULL)
    return 0;

  for (guint kind = CAPI_PAYLOAD_SNAP_V3; kind <= CAPI_PAYLOAD_ATS; kind++)
    {
      g_autofree char *body = capi_payload_build_string (kind, events, &options, FALSE);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      /* Whatever was read, the body we would send is valid JSON. */
      g_assert (body != NULL);
      json_parser_load_from_data (parser, body, -1, &error);
      g_assert_no_error (error);
    }

  {
    g_autoptr(GPtrArray) rows = capi_payload_explain (events, &options);

    g_assert (rows != NULL);
    for (guint i = 0; i < rows->len; i++)
      {
        CapiExplainRow *row = g_ptr_array_index (rows, i);

        g_assert (row->field != NULL);
        g_assert ((row->state == CAPI_VALUE_DROPPED) == (row->sent == NULL));
      }
  }

  for (guint i = 0; i < events->len; i++)
    {
      gint64 seconds = 0;
      g_autoptr(JsonObject) object = NULL;

      (void) capi_payload_event_time_seconds (g_ptr_array_index (events, i), &seconds);
      object = capi_payload_build_v3_event (g_ptr_array_index (events, i), &options);
      g_assert (object != NULL);
    }

  return 0;
}
