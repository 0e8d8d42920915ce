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
 * is a bug the fuzzer must report (our own warnings about bad data are
 * expected and dropped).  abort() rather than GLib's own
 * breakpoint trap, because libFuzzer saves the input on SIGABRT only. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;

  /* Our own warnings report bad *data* (a skipped history line): expected
   * here, and too many to print. */
  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Capi") == 0)
    return G_LOG_WRITER_HANDLED;

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
      /* The writer decides about warnings, also under G_DEBUG=fatal-warnings. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
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
