/* capi-secrets.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-secrets.h"

struct _CapiSecrets
{
  GObject parent_instance;

  char *collection;
};

G_DEFINE_FINAL_TYPE (CapiSecrets, capi_secrets, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const SecretSchema *
capi_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    CAPI_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { CAPI_SECRETS_ATTRIBUTE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
capi_secrets_finalize (GObject *object)
{
  CapiSecrets *self = (CapiSecrets *)object;

  g_clear_pointer (&self->collection, g_free);

  G_OBJECT_CLASS (capi_secrets_parent_class)->finalize (object);
}

static void
capi_secrets_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapiSecrets *self = CAPI_SECRETS (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_string (value, self->collection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_secrets_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapiSecrets *self = CAPI_SECRETS (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      capi_secrets_set_collection (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_secrets_class_init (CapiSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_secrets_finalize;
  object_class->get_property = capi_secrets_get_property;
  object_class->set_property = capi_secrets_set_property;

  properties[PROP_COLLECTION] =
    g_param_spec_string ("collection", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_secrets_init (CapiSecrets *self)
{
}

CapiSecrets *
capi_secrets_new (void)
{
  return g_object_new (CAPI_TYPE_SECRETS, NULL);
}

const char *
capi_secrets_get_collection (CapiSecrets *self)
{
  g_return_val_if_fail (CAPI_IS_SECRETS (self), NULL);
  return self->collection;
}

void
capi_secrets_set_collection (CapiSecrets *self,
                             const char  *collection)
{
  g_return_if_fail (CAPI_IS_SECRETS (self));

  if (g_strcmp0 (self->collection, collection) == 0)
    return;
  g_free (self->collection);
  self->collection = g_strdup (collection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLECTION]);
}

const char *
capi_secrets_get_environment_token (void)
{
  const char *token = g_getenv (CAPI_SECRETS_TOKEN_ENV);

  return (token != NULL && *token != '\0') ? token : NULL;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
capi_secrets_store_async (CapiSecrets         *self,
                          const char          *profile,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CAPI_IS_SECRETS (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_secrets_store_async);
  /* Shown in Seahorse and similar tools. */
  label = g_strdup_printf (_("CAPI Inspector: Snap access token (profile “%s”)"), profile);
  secret_password_store (capi_secrets_get_schema (), self->collection, label, token,
                         cancellable, store_cb, g_steal_pointer (&task),
                         CAPI_SECRETS_ATTRIBUTE, profile,
                         NULL);
}

gboolean
capi_secrets_store_finish (CapiSecrets   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CAPI_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The token crosses the GTask boundary in a block that is wiped when freed. */
static void
wipe_free (char *token)
{
  if (token == NULL)
    return;
  memset (token, 0, strlen (token));
  g_free (token);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify)wipe_free);
  secret_password_free (secret);
}

void
capi_secrets_lookup_async (CapiSecrets         *self,
                           const char          *profile,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *env = capi_secrets_get_environment_token ();

  g_return_if_fail (CAPI_IS_SECRETS (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_secrets_lookup_async);

  if (env != NULL)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
      g_task_return_pointer (task, g_strdup (env), (GDestroyNotify)wipe_free);
      return;
    }

  secret_password_lookup (capi_secrets_get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          CAPI_SECRETS_ATTRIBUTE, profile,
                          NULL);
}

char *
capi_secrets_lookup_finish (CapiSecrets   *self,
                            GAsyncResult  *result,
                            gboolean      *out_from_environment,
                            GError       **error)
{
  g_return_val_if_fail (CAPI_IS_SECRETS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_from_environment != NULL)
    *out_from_environment = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
capi_secrets_lookup (CapiSecrets   *self,
                     const char    *profile,
                     GCancellable  *cancellable,
                     gboolean      *out_from_environment,
                     GError       **error)
{
  const char *env = capi_secrets_get_environment_token ();
  char *secret;
  char *copy;

  g_return_val_if_fail (CAPI_IS_SECRETS (self), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  if (out_from_environment != NULL)
    *out_from_environment = env != NULL;
  if (env != NULL)
    return g_strdup (env);

  secret = secret_password_lookup_sync (capi_secrets_get_schema (), cancellable, error,
                                        CAPI_SECRETS_ATTRIBUTE, profile,
                                        NULL);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means nothing was stored. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
capi_secrets_clear_async (CapiSecrets         *self,
                          const char          *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CAPI_IS_SECRETS (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_secrets_clear_async);
  secret_password_clear (capi_secrets_get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         CAPI_SECRETS_ATTRIBUTE, profile,
                         NULL);
}

gboolean
capi_secrets_clear_finish (CapiSecrets   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CAPI_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
