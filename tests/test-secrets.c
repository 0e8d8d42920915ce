/* test-secrets.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a Secret Service on the session bus (gnome-keyring, D-Bus
 * activated under dbus-run-session); the keyring cases are skipped when
 * none can be reached.  Items go to the in-memory session collection.
 */
#include "config.h"

#include "capi-secrets.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  char      *token;
  gboolean   from_env;
  GError    *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->token, g_free);
  g_clear_error (&r->error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = capi_secrets_store_finish (CAPI_SECRETS (object), res, &r->error);
  g_main_loop_quit (r->loop);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *r = user_data;

  r->token = capi_secrets_lookup_finish (CAPI_SECRETS (object), res, &r->from_env, &r->error);
  g_main_loop_quit (r->loop);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = capi_secrets_clear_finish (CAPI_SECRETS (object), res, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_secrets_new_destroy (void)
{
  CapiSecrets *secrets = capi_secrets_new ();

  g_assert_null (capi_secrets_get_collection (secrets));
  capi_secrets_set_collection (secrets, SECRET_COLLECTION_SESSION);
  g_assert_cmpstr (capi_secrets_get_collection (secrets), ==, SECRET_COLLECTION_SESSION);
  g_assert_cmpstr (capi_secrets_get_schema ()->name, ==, "io.github.capi_inspector.CapiInspector");
  g_assert_cmpstr (capi_secrets_get_schema ()->attributes[0].name, ==, "profile");
  g_assert_finalize_object (secrets);
}

static void
test_secrets_environment (void)
{
  g_autoptr(CapiSecrets) secrets = capi_secrets_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Result r = { .loop = loop };
  g_autofree char *sync = NULL;
  gboolean from_env = FALSE;

  /* The environment answers without asking the Secret Service at all. */
  g_setenv ("SNAP_CAPI_TOKEN", "from-the-pipeline", TRUE);
  capi_secrets_lookup_async (secrets, "default", NULL, lookup_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.token, ==, "from-the-pipeline");
  g_assert_true (r.from_env);
  sync = capi_secrets_lookup (secrets, "other", NULL, &from_env, NULL);
  g_assert_cmpstr (sync, ==, "from-the-pipeline");
  g_assert_true (from_env);

  /* Empty counts as unset. */
  g_setenv ("SNAP_CAPI_TOKEN", "", TRUE);
  g_assert_null (capi_secrets_get_environment_token ());
  g_unsetenv ("SNAP_CAPI_TOKEN");
  result_clear (&r);
}

static void
test_secrets_keyring (void)
{
  g_autoptr(CapiSecrets) secrets = capi_secrets_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Result r = { .loop = loop };
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *profile = g_strdup_printf ("test-%s", uuid);

  g_unsetenv ("SNAP_CAPI_TOKEN");
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Never let libsecret autolaunch a bus of its own. */
      g_test_skip ("No session bus (run under dbus-run-session)");
      return;
    }

  capi_secrets_set_collection (secrets, SECRET_COLLECTION_SESSION);
  capi_secrets_store_async (secrets, profile, "s3cr3t-token", NULL, store_cb, &r);
  g_main_loop_run (loop);
  if (r.error != NULL && (r.error->domain == G_DBUS_ERROR || r.error->domain == G_IO_ERROR ||
                          r.error->domain == SECRET_ERROR))
    {
      g_autofree char *why = g_strdup_printf ("No usable Secret Service: %s", r.error->message);

      g_test_skip (why);
      result_clear (&r);
      return;
    }
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  capi_secrets_lookup_async (secrets, profile, NULL, lookup_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.token, ==, "s3cr3t-token");
  g_assert_false (r.from_env);
  result_clear (&r);

  /* Another profile has no token. */
  capi_secrets_lookup_async (secrets, "no-such-profile-here", NULL, lookup_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_null (r.token);
  result_clear (&r);

  capi_secrets_clear_async (secrets, profile, NULL, clear_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  capi_secrets_lookup_async (secrets, profile, NULL, lookup_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_null (r.token);
  result_clear (&r);

  /* Clearing what is not there is fine. */
  capi_secrets_clear_async (secrets, profile, NULL, clear_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/secrets/new-destroy", test_secrets_new_destroy);
  g_test_add_func ("/capi/secrets/environment", test_secrets_environment);
  g_test_add_func ("/capi/secrets/keyring", test_secrets_keyring);

  status = g_test_run ();
  /* Drop libsecret's shared connection so leak checkers see a clean exit. */
  secret_service_disconnect ();
  return status;
}
