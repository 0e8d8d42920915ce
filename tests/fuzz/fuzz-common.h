/* fuzz-common.h -- shared declarations of the libFuzzer targets.
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Each fuzz-*.c defines this; libFuzzer (or fuzz-replay.c) calls it. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Make GLib criticals and warnings fatal: a g_return_if_fail reached from
 * input is a bug the fuzzer must report, not a line on stderr. */
static inline void
fuzz_make_logs_fatal (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
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
