/* fuzz-event.c -- libFuzzer target: reading event documents
 * (v3 body, v3 event, v2, ATS, JSON Lines) with capi_event_read_document.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include "capi-event.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;

  fuzz_make_logs_fatal ();

  events = capi_event_read_document ((const char *) data, (gssize) size, &format, &error);
  if (events == NULL)
    {
      /* Every refusal must say why. */
      g_assert (error != NULL);
      g_assert (error->message != NULL && error->message[0] != '\0');
      return 0;
    }

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      CapiEvent *event = g_ptr_array_index (events, i);
      g_autofree char *json = capi_event_to_json (event, FALSE);
      g_autofree char *path = capi_event_dup_path (event, "user_data.em", 0);
      g_autoptr(CapiEvent) copy = capi_event_copy (event);
      g_auto(GStrv) emails = capi_event_dup_strv (event, "user_data.em");
      g_autofree char *name = capi_event_dup_string (event, "event_name");

      g_assert (json != NULL);
      g_assert (path != NULL);
      g_assert (emails != NULL);
      g_assert (capi_event_get_path_prefix (event) != NULL);
      (void) name;

      /* What "Save event" writes must read back, at least when it names
       * the event (a JSON Lines line or a body element may lack both and
       * still be read in the context of its document) and keeps no unknown
       * "data" or "events" member (kept as given, it reads back as a body). */
      if ((capi_event_has_member (event, "event_name") ||
           capi_event_has_member (event, "event_time")) &&
          /* an unknown member named like a document key changes the shape */
          !capi_event_has_member (event, "data") &&
          !capi_event_has_member (event, "events"))
      {
        g_autoptr(GPtrArray) again = NULL;
        g_autoptr(GError) again_error = NULL;
        g_autofree char *copy_json = capi_event_to_json (copy, FALSE);

        again = capi_event_read_document (json, -1, NULL, &again_error);
        g_assert_no_error (again_error);
        g_assert (again != NULL && again->len == 1);
        g_assert_cmpstr (json, ==, copy_json);
      }
    }

  return 0;
}
