/* capi-destination.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-destination.h"

G_DEFINE_QUARK (capi-destination-error-quark, capi_destination_error)

typedef struct
{
  const char *name;
  const char *label;
  const char *method;
  const char *suffix;   /* after /v3/{pixel} for Snap kinds */
} KindInfo;

static const KindInfo kinds[CAPI_DESTINATION_N_KINDS] = {
  [CAPI_DESTINATION_SANDBOX] = { "sandbox", N_("Local sandbox"), "POST", "/events/validate" },
  [CAPI_DESTINATION_SNAP_TEST] = { "snap-test", N_("Snap test (validate)"), "POST", "/events/validate" },
  [CAPI_DESTINATION_SNAP_LIVE] = { "snap-live", N_("Snap live"), "POST", "/events" },
  [CAPI_DESTINATION_SNAP_LOGS] = { "snap-logs", N_("Snap test-event logs"), "GET", "/events/validate/logs" },
  [CAPI_DESTINATION_SNAP_STATS] = { "snap-stats", N_("Snap event stats"), "GET", "/events/validate/stats" },
  [CAPI_DESTINATION_ATS_SEND] = { "ats-send", N_("LiveRamp ATS adapter"), "POST", NULL },
  [CAPI_DESTINATION_ATS_ENVELOPE_REFRESH] = { "ats-envelope-refresh", N_("ATS envelope refresh"), "GET", NULL },
};

static gboolean
kind_is_valid (CapiDestinationKind kind)
{
  return (guint)kind < CAPI_DESTINATION_N_KINDS;
}

static gboolean
kind_is_snap (CapiDestinationKind kind)
{
  return kind <= CAPI_DESTINATION_SNAP_STATS;
}

const char *
capi_destination_kind_to_string (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), NULL);

  return kinds[kind].name;
}

gboolean
capi_destination_kind_from_string (const char          *name,
                                   CapiDestinationKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  if (g_str_equal (name, "ats"))
    {
      *out_kind = CAPI_DESTINATION_ATS_SEND;
      return TRUE;
    }
  for (guint i = 0; i < CAPI_DESTINATION_N_KINDS; i++)
    if (g_str_equal (name, kinds[i].name))
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
capi_destination_kind_get_label (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), NULL);

  return _(kinds[kind].label);
}

const char *
capi_destination_kind_get_method (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), NULL);

  return kinds[kind].method;
}

gboolean
capi_destination_kind_has_body (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  return g_str_equal (kinds[kind].method, "POST");
}

gboolean
capi_destination_kind_uses_token (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  /* LiveRamp holds the Snap token for the ATS adapter (spec §3). */
  return kind_is_snap (kind);
}

CapiPayloadKind
capi_destination_kind_get_payload_kind (CapiDestinationKind kind)
{
  return kind == CAPI_DESTINATION_ATS_SEND ? CAPI_PAYLOAD_ATS : CAPI_PAYLOAD_SNAP_V3;
}

guint
capi_destination_kind_get_max_events (CapiDestinationKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), 0);

  if (!capi_destination_kind_has_body (kind))
    return 0;
  if (kind == CAPI_DESTINATION_ATS_SEND)
    return CAPI_DESTINATION_MAX_ATS_EVENTS;
  return CAPI_DESTINATION_MAX_V3_EVENTS;
}

static const char *
nonempty_env (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

char *
capi_destination_dup_base_url (CapiDestinationKind  kind,
                               CapiProfile         *profile)
{
  const char *value = NULL;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (profile == NULL || CAPI_IS_PROFILE (profile), NULL);

  switch (kind)
    {
    case CAPI_DESTINATION_SANDBOX:
      value = nonempty_env ("CAPI_INSPECTOR_SNAP_BASE_URL");
      if (value == NULL && profile != NULL)
        value = capi_profile_get_sandbox_base_url (profile);
      break;

    case CAPI_DESTINATION_SNAP_TEST:
    case CAPI_DESTINATION_SNAP_LIVE:
    case CAPI_DESTINATION_SNAP_LOGS:
    case CAPI_DESTINATION_SNAP_STATS:
      value = nonempty_env ("CAPI_INSPECTOR_SNAP_BASE_URL");
      if (value == NULL && profile != NULL)
        value = capi_profile_get_snap_base_url (profile);
      if (value == NULL)
        value = CAPI_DESTINATION_SNAP_BASE_URL;
      break;

    case CAPI_DESTINATION_ATS_SEND:
      value = nonempty_env ("CAPI_INSPECTOR_ATS_BASE_URL");
      if (value == NULL && profile != NULL)
        value = capi_profile_get_ats_base_url (profile);
      if (value == NULL)
        value = CAPI_DESTINATION_ATS_BASE_URL;
      break;

    case CAPI_DESTINATION_ATS_ENVELOPE_REFRESH:
      value = nonempty_env ("CAPI_INSPECTOR_ENVELOPE_BASE_URL");
      if (value == NULL)
        value = nonempty_env ("CAPI_INSPECTOR_ATS_BASE_URL");
      if (value == NULL && profile != NULL)
        value = capi_profile_get_envelope_base_url (profile);
      if (value == NULL)
        value = CAPI_DESTINATION_ENVELOPE_BASE_URL;
      break;

    default:
      g_assert_not_reached ();
    }

  return g_strdup (value);
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
}

static const char *
require (const char  *value,
         int          code,
         const char  *message,
         GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, CAPI_DESTINATION_ERROR, code, message);
      return NULL;
    }
  return value;
}

/* 127.0.0.0/8, ::1 and localhost (also *.localhost, RFC 6761). */
static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      (strlen (host) > 10 && g_ascii_strcasecmp (host + strlen (host) - 10, ".localhost") == 0))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

GUri *
capi_destination_build_uri (CapiDestinationKind        kind,
                            CapiProfile               *profile,
                            const char                *access_token,
                            const CapiEnvelopeRequest *envelope,
                            GError                   **error)
{
  g_autofree char *base_url = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (CAPI_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  base_url = capi_destination_dup_base_url (kind, profile);
  if (base_url == NULL)
    {
      g_set_error_literal (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_SANDBOX,
                           _("No sandbox URL is set: start “capi-inspector-cli serve” and set "
                             "CAPI_INSPECTOR_SNAP_BASE_URL or the profile’s sandbox URL"));
      return NULL;
    }

  base = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, &local_error);
  scheme = base != NULL ? g_uri_get_scheme (base) : NULL;
  if (base == NULL || g_uri_get_host (base) == NULL || *g_uri_get_host (base) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_autofree char *shown = capi_destination_redact_url (base_url);

      g_set_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_BAD_BASE_URL,
                   _("“%s” is not a usable base URL (expected http:// or https:// and a host)"),
                   shown);
      return NULL;
    }

  /* The token travels in the query string: plain http is for this machine
   * only (the sandbox, a local stand-in).  Anything else must be https,
   * whose certificates the client always verifies. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (g_uri_get_host (base)))
    {
      g_autofree char *shown = capi_destination_redact_url (base_url);

      g_set_error (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_INSECURE,
                   _("“%s” uses plain http:// for a host that is not this machine, so the access "
                     "token would travel unencrypted: use https:// (http:// is only for 127.0.0.1 "
                     "and localhost)"),
                   shown);
      return NULL;
    }

  /* Paths are appended to whatever prefix the base URL has, so a staging
   * host behind a path works too. */
  path = g_string_new (g_uri_get_path (base));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  if (kind_is_snap (kind))
    {
      const char *pixel_id = require (capi_profile_get_pixel_id (profile),
                                      CAPI_DESTINATION_ERROR_NO_PIXEL_ID,
                                      _("No Pixel ID is set"), error);
      g_autofree char *escaped = NULL;

      if (pixel_id == NULL)
        return NULL;
      escaped = g_uri_escape_string (pixel_id, NULL, FALSE);
      g_string_append_printf (path, "/v3/%s%s", escaped, kinds[kind].suffix);
      /* v3 authenticates with a query parameter, not a header (spec §1). */
      if (access_token != NULL && *access_token != '\0')
        append_param (query, "access_token", access_token);
    }
  else if (kind == CAPI_DESTINATION_ATS_SEND)
    {
      const char *config_id = require (capi_profile_get_ats_config_id (profile),
                                       CAPI_DESTINATION_ERROR_NO_ATS_CONFIG_ID,
                                       _("No ATS configuration ID is set"), error);
      g_autofree char *escaped = NULL;

      if (config_id == NULL)
        return NULL;
      escaped = g_uri_escape_string (config_id, NULL, FALSE);
      g_string_append_printf (path, "/send-events/%s", escaped);
    }
  else
    {
      const char *placement = require (capi_profile_get_ats_placement_id (profile),
                                       CAPI_DESTINATION_ERROR_NO_PLACEMENT_ID,
                                       _("No ATS placement ID is set"), error);

      if (placement == NULL)
        return NULL;
      if (envelope == NULL || envelope->envelope == NULL || *envelope->envelope == '\0')
        {
          g_set_error_literal (error, CAPI_DESTINATION_ERROR, CAPI_DESTINATION_ERROR_NO_ENVELOPE,
                               _("No envelope to refresh was given"));
          return NULL;
        }
      g_string_append (path, "/api/identity/v2/envelope/refresh");
      append_param (query, "pid", placement);
      append_param (query, "it", CAPI_DESTINATION_ENVELOPE_IT);
      append_param (query, "iv", envelope->envelope);
      if (envelope->consent_type != NULL && *envelope->consent_type != '\0')
        append_param (query, "ct", envelope->consent_type);
      if (envelope->consent_string != NULL && *envelope->consent_string != '\0')
        append_param (query, "cv", envelope->consent_string);
    }

  return g_uri_build (G_URI_FLAGS_ENCODED,
                      g_uri_get_scheme (base),
                      NULL,
                      g_uri_get_host (base),
                      g_uri_get_port (base),
                      path->str,
                      query->len > 0 ? query->str : NULL,
                      NULL);
}

char *
capi_destination_build_url (CapiDestinationKind        kind,
                            CapiProfile               *profile,
                            const char                *access_token,
                            const CapiEnvelopeRequest *envelope,
                            GError                   **error)
{
  g_autoptr(GUri) uri = capi_destination_build_uri (kind, profile, access_token, envelope, error);

  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

void
capi_destination_add_headers (CapiDestinationKind        kind,
                              CapiProfile               *profile,
                              const CapiEnvelopeRequest *envelope,
                              SoupMessageHeaders        *headers)
{
  g_return_if_fail (kind_is_valid (kind));
  g_return_if_fail (profile == NULL || CAPI_IS_PROFILE (profile));
  g_return_if_fail (headers != NULL);

  soup_message_headers_replace (headers, "Accept", "application/json");

  if (kind == CAPI_DESTINATION_ATS_ENVELOPE_REFRESH)
    {
      const char *origin = profile != NULL ? capi_profile_get_origin (profile) : NULL;

      /* LiveRamp checks the Origin against the placement's allowed sites. */
      if (origin != NULL)
        soup_message_headers_replace (headers, "Origin", origin);
      if (envelope != NULL && envelope->forwarded_for != NULL && *envelope->forwarded_for != '\0')
        soup_message_headers_replace (headers, "X-Forwarded-For", envelope->forwarded_for);
    }
}

/* Rewrites the value of every access_token parameter in a query or
 * query-like string, keeping everything else byte for byte. */
static char *
redact_params (const char *text)
{
  static const char key[] = "access_token=";
  GString *out = g_string_new (NULL);
  const char *p = text;

  for (;;)
    {
      const char *hit = strstr (p, key);
      const char *end;

      if (hit == NULL)
        break;
      /* Only a real parameter name: at the start or after a separator. */
      if (hit != text && strchr ("?&;# \t\"'", hit[-1]) == NULL)
        {
          g_string_append_len (out, p, hit + 1 - p);
          p = hit + 1;
          continue;
        }
      g_string_append_len (out, p, hit + strlen (key) - p);
      end = hit + strlen (key);
      while (*end != '\0' && strchr ("&;# \t\r\n\"'<>", *end) == NULL)
        end++;
      if (end != hit + strlen (key))
        g_string_append (out, CAPI_DESTINATION_REDACTED);
      p = end;
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

char *
capi_destination_redact_url (const char *url)
{
  if (url == NULL)
    return NULL;

  return redact_params (url);
}

char *
capi_destination_redact_header (const char *name,
                                const char *value)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (value == NULL)
    return NULL;

  if (g_ascii_strcasecmp (name, "Authorization") == 0 ||
      g_ascii_strcasecmp (name, "Proxy-Authorization") == 0)
    {
      const char *space = strchr (value, ' ');

      /* Keep the scheme ("Bearer") so the reader still sees how it authenticated. */
      if (space != NULL)
        return g_strdup_printf ("%.*s %s", (int)(space - value), value, CAPI_DESTINATION_REDACTED);
      return g_strdup (CAPI_DESTINATION_REDACTED);
    }

  if (g_ascii_strcasecmp (name, "Cookie") == 0 ||
      g_ascii_strcasecmp (name, "Set-Cookie") == 0 ||
      g_ascii_strcasecmp (name, "X-Api-Key") == 0)
    return g_strdup (CAPI_DESTINATION_REDACTED);

  /* Location, Referer and friends may carry a URL with the token. */
  return redact_params (value);
}

char *
capi_destination_redact_text (const char *text,
                              const char *secret)
{
  g_autofree char *replaced = NULL;

  if (text == NULL)
    return NULL;

  if (secret != NULL && *secret != '\0' && strstr (text, secret) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (text, secret, -1);

      replaced = g_strjoinv (CAPI_DESTINATION_REDACTED, parts);
      return redact_params (replaced);
    }

  return redact_params (text);
}
