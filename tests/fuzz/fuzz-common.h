/* fuzz-common.h -- shared declarations of the libFuzzer targets.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each fuzz-*.c defines this; libFuzzer (or fuzz-replay.c) calls it. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* GLib criticals and warnings abort: a g_return_if_fail reached from input
 * is a bug the fuzzer must report.  abort() rather than GLib's own
 * breakpoint trap, because libFuzzer saves the input on SIGABRT only. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_make_logs_fatal (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

/* A NUL-terminated copy of the input (the fuzzer's buffer has no NUL). */
static inline char *
fuzz_dup_string (const uint8_t *data,
                 size_t         size)
{
  return g_strndup ((const char *) data, size);
}
