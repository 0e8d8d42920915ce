/* test-destination.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-destination.h"
#include "capi-profile.h"

#define PIXEL "0f6a5a2e-1c7b-4e4b-9f0e-6a7b8c9d0e1f"

static CapiProfile *
make_profile (void)
{
  CapiProfile *profile = capi_profile_new ("default");

  capi_profile_set_pixel_id (profile, PIXEL);
  capi_profile_set_ats_config_id (profile, "cfg-42");
  capi_profile_set_ats_placement_id (profile, "13");
  capi_profile_set_origin (profile, "https://shop.example");
  return profile;
}

static void
clear_env (void)
{
  g_unsetenv ("CAPI_INSPECTOR_SNAP_BASE_URL");
  g_unsetenv ("CAPI_INSPECTOR_ATS_BASE_URL");
  g_unsetenv ("CAPI_INSPECTOR_ENVELOPE_BASE_URL");
}

static void
test_profile_new_destroy (void)
{
  CapiProfile *profile = make_profile ();
  CapiProfile *copy = capi_profile_copy (profile);

  g_assert_cmpstr (capi_profile_get_name (copy), ==, "default");
  g_assert_cmpstr (capi_profile_get_pixel_id (copy), ==, PIXEL);
  g_assert_cmpuint (capi_profile_get_connect_timeout_ms (copy), ==, 10000);
  g_assert_cmpuint (capi_profile_get_total_timeout_ms (copy), ==, 30000);
  g_assert_cmpuint (capi_profile_get_max_attempts (copy), ==, 3);
  g_assert_finalize_object (copy);
  g_assert_finalize_object (profile);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_profile_notify (void)
{
  g_autoptr(CapiProfile) profile = capi_profile_new ("p");
  guint count = 0;

  g_signal_connect (profile, "notify", G_CALLBACK (notify_cb), &count);
  capi_profile_set_pixel_id (profile, "x");
  capi_profile_set_pixel_id (profile, "x");
  capi_profile_set_max_attempts (profile, 5);
  capi_profile_set_max_attempts (profile, 5);
  /* "" is the same as unset. */
  capi_profile_set_origin (profile, "");
  g_assert_cmpuint (count, ==, 2);
  g_assert_null (capi_profile_get_origin (profile));
}

static void
test_destination_kinds (void)
{
  CapiDestinationKind kind;

  for (guint i = 0; i < CAPI_DESTINATION_N_KINDS; i++)
    {
      g_assert_true (capi_destination_kind_from_string (capi_destination_kind_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_nonnull (capi_destination_kind_get_label (i));
    }
  g_assert_true (capi_destination_kind_from_string ("ats", &kind));
  g_assert_cmpint (kind, ==, CAPI_DESTINATION_ATS_SEND);
  g_assert_false (capi_destination_kind_from_string ("snap", &kind));
  g_assert_cmpstr (capi_destination_kind_get_method (CAPI_DESTINATION_SNAP_LOGS), ==, "GET");
  g_assert_cmpstr (capi_destination_kind_get_method (CAPI_DESTINATION_SNAP_LIVE), ==, "POST");
  g_assert_false (capi_destination_kind_uses_token (CAPI_DESTINATION_ATS_SEND));
  g_assert_true (capi_destination_kind_uses_token (CAPI_DESTINATION_SANDBOX));
  g_assert_cmpuint (capi_destination_kind_get_max_events (CAPI_DESTINATION_SNAP_TEST), ==, 2000);
  g_assert_cmpuint (capi_destination_kind_get_max_events (CAPI_DESTINATION_SNAP_STATS), ==, 0);
  g_assert_cmpint (capi_destination_kind_get_payload_kind (CAPI_DESTINATION_ATS_SEND), ==, CAPI_PAYLOAD_ATS);
}

static void
test_destination_urls (void)
{
  g_autoptr(CapiProfile) profile = make_profile ();
  static const struct {
    CapiDestinationKind kind;
    const char *url;
  } cases[] = {
    { CAPI_DESTINATION_SNAP_TEST, "https://tr.snapchat.com/v3/" PIXEL "/events/validate?access_token=t%2Bk%26n" },
    { CAPI_DESTINATION_SNAP_LIVE, "https://tr.snapchat.com/v3/" PIXEL "/events?access_token=t%2Bk%26n" },
    { CAPI_DESTINATION_SNAP_LOGS, "https://tr.snapchat.com/v3/" PIXEL "/events/validate/logs?access_token=t%2Bk%26n" },
    { CAPI_DESTINATION_SNAP_STATS, "https://tr.snapchat.com/v3/" PIXEL "/events/validate/stats?access_token=t%2Bk%26n" },
    { CAPI_DESTINATION_ATS_SEND, "https://capi.analytics.rlcdn.com/send-events/cfg-42" },
  };

  clear_env ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = capi_destination_build_url (cases[i].kind, profile, "t+k&n", NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].url);
    }
}

static void
test_destination_envelope (void)
{
  g_autoptr(CapiProfile) profile = make_profile ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  CapiEnvelopeRequest request = {
    .envelope = "AjfowMv4ZHZQJFM8TpiUnYEyA81Vdgg",
    .consent_type = "1",
    .consent_string = "CPx=y",
    .forwarded_for = "203.0.113.7",
  };

  clear_env ();
  url = capi_destination_build_url (CAPI_DESTINATION_ATS_ENVELOPE_REFRESH, profile, "tok", &request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==,
                   "https://api.rlcdn.com/api/identity/v2/envelope/refresh"
                   "?pid=13&it=19&iv=AjfowMv4ZHZQJFM8TpiUnYEyA81Vdgg&ct=1&cv=CPx%3Dy");

  capi_destination_add_headers (CAPI_DESTINATION_ATS_ENVELOPE_REFRESH, profile, &request, headers);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Origin"), ==, "https://shop.example");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Forwarded-For"), ==, "203.0.113.7");

  /* No envelope: refused. */
  g_clear_pointer (&url, g_free);
  url = capi_destination_build_url (CAPI_DESTINATION_ATS_ENVELOPE_REFRESH, profile, NULL, NULL, &error);
  g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_ENVELOPE);
  g_assert_null (url);
}

static void
test_destination_overrides (void)
{
  g_autoptr(CapiProfile) profile = make_profile ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ats = NULL;
  g_autofree char *sandbox = NULL;

  clear_env ();
  /* Sandbox without any URL: a clear error. */
  sandbox = capi_destination_build_url (CAPI_DESTINATION_SANDBOX, profile, "x", NULL, &error);
  g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_SANDBOX);
  g_clear_error (&error);

  /* The profile moves the host, keeping a path prefix. */
  capi_profile_set_snap_base_url (profile, "http://127.0.0.1:8080/prefix/");
  url = capi_destination_build_url (CAPI_DESTINATION_SNAP_LIVE, profile, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8080/prefix/v3/" PIXEL "/events");
  g_clear_pointer (&url, g_free);

  /* The environment wins over the profile. */
  g_setenv ("CAPI_INSPECTOR_SNAP_BASE_URL", "http://127.0.0.1:9", TRUE);
  g_setenv ("CAPI_INSPECTOR_ATS_BASE_URL", "http://127.0.0.1:10", TRUE);
  url = capi_destination_build_url (CAPI_DESTINATION_SANDBOX, profile, "sb", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9/v3/" PIXEL "/events/validate?access_token=sb");
  ats = capi_destination_build_url (CAPI_DESTINATION_ATS_SEND, profile, "sb", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ats, ==, "http://127.0.0.1:10/send-events/cfg-42");

  /* Not a usable base: refused, and the message does not leak a token. */
  g_setenv ("CAPI_INSPECTOR_SNAP_BASE_URL", "ftp://x/?access_token=zzz", TRUE);
  g_clear_pointer (&url, g_free);
  url = capi_destination_build_url (CAPI_DESTINATION_SNAP_TEST, profile, "t", NULL, &error);
  g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_BAD_BASE_URL);
  g_assert_null (strstr (error->message, "zzz"));
  g_clear_error (&error);

  /* Plain http only to this machine: the token is in the query string. */
  {
    const struct { const char *base; gboolean ok; } cases[] = {
      { "http://127.0.0.1:9", TRUE },
      { "http://127.8.9.10:9/stage", TRUE },
      { "http://localhost:9", TRUE },
      { "http://sandbox.localhost:9", TRUE },
      { "http://[::1]:9", TRUE },
      { "https://staging.example.com", TRUE },
      { "http://staging.example.com", FALSE },
      { "http://0.0.0.1:9", FALSE },
      { "http://10.1.2.3:9", FALSE },
      { "http://[2001:db8::1]:9", FALSE },
      { "http://localhost.example.com", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_setenv ("CAPI_INSPECTOR_SNAP_BASE_URL", cases[i].base, TRUE);
        g_clear_pointer (&url, g_free);
        url = capi_destination_build_url (CAPI_DESTINATION_SNAP_TEST, profile, "secret-t", NULL, &error);
        if (cases[i].ok)
          {
            g_assert_no_error (error);
            g_assert_nonnull (url);
          }
        else
          {
            g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_INSECURE);
            g_assert_null (url);
            g_assert_nonnull (strstr (error->message, "https://"));
            g_assert_null (strstr (error->message, "secret-t"));
            g_clear_error (&error);
          }
      }
  }

  /* Missing ids. */
  clear_env ();
  capi_profile_set_pixel_id (profile, NULL);
  url = capi_destination_build_url (CAPI_DESTINATION_SNAP_TEST, profile, "t", NULL, &error);
  g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_PIXEL_ID);
  g_clear_error (&error);
  capi_profile_set_ats_config_id (profile, NULL);
  url = capi_destination_build_url (CAPI_DESTINATION_ATS_SEND, profile, NULL, NULL, &error);
  g_assert_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_ATS_CONFIG_ID);
}

static void
test_destination_redact (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "https://tr.snapchat.com/v3/p/events?access_token=SECRET", "https://tr.snapchat.com/v3/p/events?access_token=…" },
    { "https://h/x?a=1&access_token=SECRET&b=2", "https://h/x?a=1&access_token=…&b=2" },
    { "https://h/x?access_token=SECRET#frag", "https://h/x?access_token=…#frag" },
    { "https://h/x?my_access_token=keep", "https://h/x?my_access_token=keep" },
    { "https://h/x?access_token=", "https://h/x?access_token=" },
    { "no url at all", "no url at all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = capi_destination_redact_url (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    g_autofree char *bearer = capi_destination_redact_header ("Authorization", "Bearer SECRET");
    g_autofree char *cookie = capi_destination_redact_header ("cookie", "_scid=abc");
    g_autofree char *location = capi_destination_redact_header ("Location", "/x?access_token=SECRET");
    g_autofree char *plain = capi_destination_redact_header ("Accept", "application/json");
    g_autofree char *text = capi_destination_redact_text ("token SECRET in SECRET", "SECRET");

    g_assert_cmpstr (bearer, ==, "Bearer …");
    g_assert_cmpstr (cookie, ==, "…");
    g_assert_cmpstr (location, ==, "/x?access_token=…");
    g_assert_cmpstr (plain, ==, "application/json");
    g_assert_cmpstr (text, ==, "token … in …");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/destination/profile-new-destroy", test_profile_new_destroy);
  g_test_add_func ("/capi/destination/profile-notify", test_profile_notify);
  g_test_add_func ("/capi/destination/kinds", test_destination_kinds);
  g_test_add_func ("/capi/destination/urls", test_destination_urls);
  g_test_add_func ("/capi/destination/envelope", test_destination_envelope);
  g_test_add_func ("/capi/destination/overrides", test_destination_overrides);
  g_test_add_func ("/capi/destination/redact", test_destination_redact);

  return g_test_run ();
}
