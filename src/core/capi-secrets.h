/* capi-secrets.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* The Secret Service schema: named after the application id, one string
 * attribute "profile". */
#define CAPI_SECRETS_SCHEMA_NAME "io.github.capi_inspector.CapiInspector"
#define CAPI_SECRETS_ATTRIBUTE   "profile"
/* Set in the environment, this token wins over the keyring (pipelines). */
#define CAPI_SECRETS_TOKEN_ENV   "SNAP_CAPI_TOKEN"

#define CAPI_TYPE_SECRETS (capi_secrets_get_type ())
G_DECLARE_FINAL_TYPE (CapiSecrets, capi_secrets, CAPI, SECRETS, GObject)

/*
 * Snap access tokens, one per profile, kept in the Secret Service (never in
 * GSettings or a file).  Errors from the service (none running, locked,
 * refused) come back as the GError libsecret gives.
 */

const SecretSchema *capi_secrets_get_schema        (void);

CapiSecrets  *capi_secrets_new                     (void);
/* Where store puts new items: NULL (the default collection) or an alias
 * such as SECRET_COLLECTION_SESSION (in memory; used by the tests). */
const char   *capi_secrets_get_collection          (CapiSecrets          *self);
void          capi_secrets_set_collection          (CapiSecrets          *self,
                                                    const char           *collection);

/* SNAP_CAPI_TOKEN when set and not empty, else NULL.  (transfer none) */
const char   *capi_secrets_get_environment_token   (void);

void          capi_secrets_store_async             (CapiSecrets          *self,
                                                    const char           *profile,
                                                    const char           *token,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      capi_secrets_store_finish            (CapiSecrets          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* The token for @profile: SNAP_CAPI_TOKEN if set, else the keyring's.
 * _finish returns NULL without an error when there is none.
 * @out_from_environment: (out) (optional) */
void          capi_secrets_lookup_async            (CapiSecrets          *self,
                                                    const char           *profile,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char         *capi_secrets_lookup_finish           (CapiSecrets          *self,
                                                    GAsyncResult         *result,
                                                    gboolean             *out_from_environment,
                                                    GError              **error);
/* Blocking variant for the command line. */
char         *capi_secrets_lookup                  (CapiSecrets          *self,
                                                    const char           *profile,
                                                    GCancellable         *cancellable,
                                                    gboolean             *out_from_environment,
                                                    GError              **error);

/* Removes the keyring item; TRUE also when there was none. */
void          capi_secrets_clear_async             (CapiSecrets          *self,
                                                    const char           *profile,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean      capi_secrets_clear_finish            (CapiSecrets          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
