/* capi-cli.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "capi-event.h"

G_BEGIN_DECLS

/* Exit codes shared by every command. */
enum
{
  CAPI_CLI_EXIT_OK = 0,        /* fine (warnings allowed) */
  CAPI_CLI_EXIT_FINDINGS = 1,  /* lint errors, INVALID verdicts, double counts */
  CAPI_CLI_EXIT_INPUT = 2,     /* unreadable or invalid input, no connection */
};

/* Each command: argv[0] is the command name. */
typedef int (*CapiCliCommand) (int argc, char **argv);

/* One section per area, each a line per command. */
/* preview */
int capi_cli_preview (int argc, char **argv);
/* Reads FILE or "-" into events; errors name the file and the place. */
GPtrArray *capi_cli_read_events (const char       *filename,
                                 CapiEventFormat  *out_format,
                                 GError          **error);

/* lint */
int capi_cli_lint (int argc, char **argv);

/* send, logs, stats, history */

/* serve */
int capi_cli_serve (int argc, char **argv);

/* dedup */
int capi_cli_dedup (int argc, char **argv);


/* Prints "capi-inspector-cli: <message>" on stderr. */
void capi_cli_error  (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Reads FILE or "-" (stdin) whole; refuses more than max_size bytes. */
GBytes *capi_cli_read_input (const char  *filename,
                             gsize        max_size,
                             GError     **error);

G_END_DECLS
