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
#include "capi-exchange.h"
#include "capi-profile.h"
int capi_cli_send    (int argc, char **argv);
int capi_cli_logs    (int argc, char **argv);
int capi_cli_stats   (int argc, char **argv);
int capi_cli_history (int argc, char **argv);
/* The profile @name (NULL: the active one) from GSettings when the schema
 * is installed, else an empty profile of that name.  (transfer full) */
CapiProfile *capi_cli_load_profile (const char *name);
/* The token for @kind: SNAP_CAPI_TOKEN, else the keyring; "sandbox" for
 * the sandbox when neither has one; NULL for ATS.  FALSE with @error when
 * a Snap destination has no token.  Never printed. */
gboolean capi_cli_find_token (CapiDestinationKind   kind,
                              CapiProfile          *profile,
                              char                **out_token,
                              GError              **error);
/* Prints one exchange for people (status, timings, Snap's verdict). */
void capi_cli_print_exchange (CapiExchange *exchange);
/* 0 for OK, 1 for INVALID / HTTP errors, 2 for no response. */
int  capi_cli_exit_for_exchange (CapiExchange *exchange);

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
