/* capi-payload.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "capi-hash.h"
#include "capi-normalize.h"
#include "capi-payload.h"

/* Top-level members of a v3 event, in the order they are sent.  Anything
 * else an input carried (v2's pixel_id, ATS's event_manager) is not part of
 * a v3 event and stays out of the body. */
static const char * const v3_string_members[] = {
  "event_name", "action_source", "event_id", "event_source_url", NULL
};

/* custom_data members whose type Snap's OpenAPI document fixes. */
static const char * const custom_number_keys[] = {
  "value", "predicted_ltv", NULL
};

static const char * const custom_integer_keys[] = {
  "num_items", "num_adults", "num_children", "num_infants", NULL
};

static const char * const custom_string_list_keys[] = {
  "content_ids", "suggested_destinations", "preferred_neighborhoods",
  "preferred_star_ratings", "suggested_hotels", NULL
};

static const char * const custom_string_keys[] = {
  "currency", "order_id", "content_category", "content_type", "content_name",
  "delivery_category", "search_string", "status", "sign_up_method", "brands",
  "checkin_date", "travel_start", "travel_end", "destination_airport", "origin_airport",
  "country", "city", "region", "neighborhood", "postal_code", "hotel_score",
  "departing_departure_date", "departing_arrival_date", "returning_departure_date",
  "returning_arrival_date", "event_tag", NULL
};

/* Members of one item of custom_data.contents; the OpenAPI document types
 * all of them as strings. */
static const char * const content_string_keys[] = {
  "id", "quantity", "item_price", "delivery_category", "brand", NULL
};

void
capi_explain_row_free (CapiExplainRow *row)
{
  if (row == NULL)
    return;

  g_free (row->field);
  g_free (row->key);
  g_free (row->raw);
  g_free (row->normalized);
  g_free (row->sent);
  g_free (row);
}

/* ------------------------------------------------------------------------ */
/* Value helpers                                                              */

static gboolean
is_string_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number_node (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static void
format_double (char   *buf,
               gsize   size,
               double  value)
{
  /* The shortest text that reads back as the same double: 19.99 rather
   * than json-glib's 19.989999999999998. */
  g_ascii_formatd (buf, size, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, size, "%.17g", value);
}

/* A scalar as text (numbers formatted), NULL otherwise. */
static char *
node_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      format_double (buf, sizeof buf, json_node_get_double (node));
      return g_strdup (buf);
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* Trimmed text of a scalar, NULL when absent or blank. */
static char *
node_trimmed_text (JsonNode *node)
{
  g_autofree char *text = node_text (node);

  if (text == NULL)
    return NULL;
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

/* Every scalar of a member that may be a value or an array of values. */
static GPtrArray *
node_texts (JsonNode *node)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  if (node == NULL)
    return texts;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *text = node_text (json_array_get_element (array, i));

          if (text != NULL)
            g_ptr_array_add (texts, text);
        }
    }
  else
    {
      char *text = node_text (node);

      if (text != NULL)
        g_ptr_array_add (texts, text);
    }

  return texts;
}

static gboolean
node_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  if (is_string_node (node))
    {
      const char *s = json_node_get_string (node);

      while (*s != '\0' && g_ascii_isspace (*s))
        s++;
      return *s == '\0';
    }
  return FALSE;
}

static JsonNode *copy_node (JsonNode *node);

static void
copy_member_cb (JsonObject *object,
                const char *name,
                JsonNode   *member,
                gpointer    user_data)
{
  json_object_set_member (user_data, name, copy_node (member));
}

/* A deep copy: the body must not share containers with the event. */
static JsonNode *
copy_node (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_object_new ();

      json_object_foreach_member (json_node_get_object (node), copy_member_cb, object);
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, object);
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *out = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (out, copy_node (json_array_get_element (array, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, out);
      return copy;
    }

  return json_node_copy (node);
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

static JsonNode *
string_list_node (JsonNode *node)
{
  g_autoptr(GPtrArray) texts = node_texts (node);
  JsonArray *array = json_array_sized_new (texts->len);
  JsonNode *out;

  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (*text != '\0')
        json_array_add_string_element (array, text);
    }

  out = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (out, array);
  if (json_array_get_length (array) == 0)
    g_clear_pointer (&out, json_node_unref);

  return out;
}

/* A number from a number or a numeric string; anything else is kept as
 * given, so that the preview shows what is wrong rather than hiding it. */
static JsonNode *
number_node (JsonNode *node,
             gboolean  integer)
{
  if (is_number_node (node))
    {
      if (integer && json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          if (d == floor (d) && fabs (d) < 9.0e15)
            return json_node_init_int (json_node_alloc (), (gint64) d);
        }
      return json_node_copy (node);
    }

  if (is_string_node (node))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;

      if (integer)
        {
          gint64 v = g_ascii_strtoll (text, &end, 10);

          if (end != text && *end == '\0')
            return json_node_init_int (json_node_alloc (), v);
        }
      else
        {
          double d = g_ascii_strtod (text, &end);

          if (end != text && *end == '\0' && isfinite (d))
            {
              if (d == floor (d) && fabs (d) < 9.0e15 && strchr (text, '.') == NULL &&
                  strchr (text, 'e') == NULL && strchr (text, 'E') == NULL)
                return json_node_init_int (json_node_alloc (), (gint64) d);
              return json_node_init_double (json_node_alloc (), d);
            }
        }
    }

  return copy_node (node);
}

static JsonNode *
coerce_string (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (is_number_node (node))
    {
      text = node_text (node);
      return string_node (text);
    }
  return copy_node (node);
}

/* ------------------------------------------------------------------------ */
/* event_time                                                                 */

static gboolean
seconds_from_integer (gint64  value,
                      gint64 *out_seconds)
{
  if (value <= 0)
    return FALSE;
  /* 13 digits (or more) is milliseconds; Snap wants seconds. */
  if (value >= G_GINT64_CONSTANT (100000000000))
    value /= 1000;
  *out_seconds = value;
  return TRUE;
}

gboolean
capi_payload_event_time_seconds (CapiEvent *event,
                                 gint64    *out_seconds)
{
  JsonNode *node;
  gint64 seconds = 0;

  g_return_val_if_fail (CAPI_IS_EVENT (event), FALSE);

  node = capi_event_get_member (event, "event_time");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      if (!seconds_from_integer (json_node_get_int (node), &seconds))
        return FALSE;
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!isfinite (d) || d <= 0 || d > 9.0e15)
        return FALSE;
      if (!seconds_from_integer ((gint64) d, &seconds))
        return FALSE;
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;
      gint64 value;

      if (*text == '\0')
        return FALSE;

      value = g_ascii_strtoll (text, &end, 10);
      if (end != text && *end == '\0')
        {
          if (!seconds_from_integer (value, &seconds))
            return FALSE;
        }
      else
        {
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, utc);

          /* A date and time without a zone is read as UTC. */
          if (dt == NULL)
            return FALSE;
          seconds = g_date_time_to_unix (dt);
          if (seconds <= 0)
            return FALSE;
        }
    }
  else
    {
      return FALSE;
    }

  if (out_seconds != NULL)
    *out_seconds = seconds;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* user_data                                                                  */

/* The country used to decide US zip truncation: the event's own, else the
 * default. */
static char *
event_country (CapiEvent                *event,
               const CapiPayloadOptions *options)
{
  g_auto(GStrv) countries = capi_event_dup_strv (event, "user_data.country");

  for (guint i = 0; countries[i] != NULL; i++)
    {
      if (capi_hash_is_sha256 (g_strstrip (countries[i])))
        continue;
      {
        g_autofree char *country = capi_normalize_country (countries[i]);

        if (country != NULL)
          return g_steal_pointer (&country);
      }
    }

  return g_strdup (options->default_country);
}

typedef void (*RowFunc) (const char     *key,
                         const char     *raw,
                         const char     *normalized,
                         const char     *sent,
                         CapiValueState  state,
                         int             sent_index,
                         gpointer        user_data);

/* Walks user_data once for both the body and the explanation, so the two
 * can never disagree. */
static JsonObject *
build_user_data (CapiEvent                *event,
                 const CapiPayloadOptions *options,
                 RowFunc                   row_func,
                 gpointer                  row_data)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autofree char *country = event_country (event, options);
  g_autoptr(GList) names = NULL;
  JsonNode *user_node = capi_event_get_member (event, "user_data");
  JsonObject *user;

  if (user_node == NULL || !JSON_NODE_HOLDS_OBJECT (user_node))
    return NULL;

  user = json_node_get_object (user_node);
  names = json_object_get_members (user);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autoptr(GPtrArray) raws = node_texts (json_object_get_member (user, key));
      CapiFieldKind kind = capi_normalize_field_kind (key);
      const char *context = g_str_equal (key, "zp") ? country : options->default_country;
      JsonArray *hashes = NULL;
      gboolean plain_sent = FALSE;

      if (kind == CAPI_FIELD_HASHED)
        hashes = json_array_new ();

      for (guint i = 0; i < raws->len; i++)
        {
          const char *raw = g_ptr_array_index (raws, i);
          g_autofree char *normalized = NULL;
          g_autofree char *sent = NULL;
          CapiValueState state = CAPI_VALUE_DROPPED;
          int index = -1;

          if (kind == CAPI_FIELD_UNKNOWN)
            {
              /* Not a key Snap documents: it is not sent (it could be PII
               * under a wrong name), and lint says why. */
            }
          else
            {
              sent = capi_normalize_value_for_wire (key, raw, context, &state, &normalized);
            }

          if (sent != NULL && kind == CAPI_FIELD_HASHED)
            {
              index = json_array_get_length (hashes);
              json_array_add_string_element (hashes, sent);
            }
          else if (sent != NULL && !plain_sent)
            {
              /* Plain keys are single strings in the OpenAPI document; a
               * second value has nowhere to go. */
              json_object_set_string_member (out, key, sent);
              plain_sent = TRUE;
            }
          else if (sent != NULL)
            {
              g_clear_pointer (&sent, g_free);
              state = CAPI_VALUE_DROPPED;
            }

          if (row_func != NULL)
            row_func (key, raw, normalized, sent, state, index, row_data);
        }

      if (hashes != NULL && json_array_get_length (hashes) > 0)
        json_object_set_array_member (out, key, hashes);
      else if (hashes != NULL)
        json_array_unref (hashes);
    }

  if (json_object_get_size (out) == 0)
    return NULL;

  return g_steal_pointer (&out);
}

/* ------------------------------------------------------------------------ */
/* custom_data and app_data                                                   */

static JsonNode *
build_contents (JsonNode *node)
{
  JsonArray *array;
  JsonArray *out;
  JsonNode *result;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return copy_node (node);

  array = json_node_get_array (node);
  out = json_array_sized_new (json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autoptr(GList) names = NULL;
      JsonObject *object;
      JsonObject *copy;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          json_array_add_element (out, copy_node (item));
          continue;
        }

      object = json_node_get_object (item);
      copy = json_object_new ();
      names = json_object_get_members (object);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (node_is_empty (member))
            continue;
          if (g_strv_contains (content_string_keys, l->data))
            json_object_set_member (copy, l->data, coerce_string (member));
          else
            json_object_set_member (copy, l->data, copy_node (member));
        }
      json_array_add_object_element (out, copy);
    }

  result = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (result, out);
  return result;
}

static JsonNode *
build_string_map (JsonNode *node)
{
  g_autoptr(GList) names = NULL;
  JsonObject *object, *out;
  JsonNode *result;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return copy_node (node);

  object = json_node_get_object (node);
  out = json_object_new ();
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if (!node_is_empty (member))
        json_object_set_member (out, l->data, coerce_string (member));
    }

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, out);
  return result;
}

static JsonObject *
build_custom_data (CapiEvent *event)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GList) names = NULL;
  JsonNode *node = capi_event_get_member (event, "custom_data");
  JsonObject *custom;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  custom = json_node_get_object (node);
  names = json_object_get_members (custom);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (custom, key);
      JsonNode *value;

      if (node_is_empty (member))
        continue;

      if (g_strv_contains (custom_number_keys, key))
        value = number_node (member, FALSE);
      else if (g_strv_contains (custom_integer_keys, key))
        value = number_node (member, TRUE);
      else if (g_strv_contains (custom_string_list_keys, key))
        value = string_list_node (member);
      else if (g_str_equal (key, "contents"))
        value = build_contents (member);
      else if (g_str_equal (key, "custom_fields"))
        value = build_string_map (member);
      else if (g_strv_contains (custom_string_keys, key))
        value = coerce_string (member);
      else
        value = copy_node (member);   /* numbers stay numbers */

      if (value != NULL)
        json_object_set_member (out, key, value);
    }

  if (json_object_get_size (out) == 0)
    return NULL;
  return g_steal_pointer (&out);
}

static JsonObject *
build_app_data (CapiEvent *event)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GList) names = NULL;
  JsonNode *node = capi_event_get_member (event, "app_data");
  JsonObject *app;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  app = json_node_get_object (node);
  names = json_object_get_members (app);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (app, key);
      JsonNode *value;

      if (node_is_empty (member))
        continue;

      if (g_str_equal (key, "extinfo") || g_str_equal (key, "url_schemes"))
        value = string_list_node (member);
      else if (g_str_equal (key, "advertiser_tracking_enabled") && is_string_node (member))
        value = json_node_init_boolean (json_node_alloc (),
                                        g_ascii_strcasecmp (json_node_get_string (member),
                                                            "true") == 0);
      else if (g_str_equal (key, "advertiser_tracking_enabled"))
        value = copy_node (member);
      else
        value = coerce_string (member);

      if (value != NULL)
        json_object_set_member (out, key, value);
    }

  if (json_object_get_size (out) == 0)
    return NULL;
  return g_steal_pointer (&out);
}

/* ------------------------------------------------------------------------ */
/* Events and bodies                                                          */

static const char *
integration_for (CapiEvent                *event,
                 const CapiPayloadOptions *options,
                 char                    **owned)
{
  if (options->integration != NULL)
    return *options->integration != '\0' ? options->integration : NULL;

  *owned = capi_event_dup_string (event, "integration");
  if (*owned != NULL && **owned != '\0')
    return *owned;

  return CAPI_PAYLOAD_DEFAULT_INTEGRATION;
}

static JsonObject *
build_v3_event (CapiEvent                *event,
                const CapiPayloadOptions *options,
                RowFunc                   row_func,
                gpointer                  row_data)
{
  JsonObject *out = json_object_new ();
  g_autofree char *owned_integration = NULL;
  const char *integration;
  JsonObject *member;
  JsonNode *node;
  gint64 seconds;

  node = capi_event_get_member (event, "event_name");
  {
    g_autofree char *name = node_trimmed_text (node);

    if (name != NULL)
      json_object_set_string_member (out, "event_name", name);
  }

  if (capi_payload_event_time_seconds (event, &seconds))
    json_object_set_int_member (out, "event_time", seconds);

  for (guint i = 1; v3_string_members[i] != NULL; i++)
    {
      g_autofree char *text = node_trimmed_text (capi_event_get_member (event,
                                                                        v3_string_members[i]));

      if (text != NULL)
        json_object_set_string_member (out, v3_string_members[i], text);
    }

  node = capi_event_get_member (event, "opt_out");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    json_object_set_boolean_member (out, "opt_out", json_node_get_boolean (node));
  else if (is_string_node (node))
    json_object_set_boolean_member (out, "opt_out",
                                    g_ascii_strcasecmp (json_node_get_string (node), "true") == 0);

  node = capi_event_get_member (event, "data_processing_options");
  if (node != NULL)
    {
      JsonNode *list = string_list_node (node);

      if (list != NULL)
        json_object_set_member (out, "data_processing_options", list);
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "data_processing_options_country"
                               : "data_processing_options_state";

      node = capi_event_get_member (event, key);
      if (node != NULL && !node_is_empty (node))
        json_object_set_member (out, key, copy_node (node));
    }

  if ((member = build_user_data (event, options, row_func, row_data)) != NULL)
    json_object_set_object_member (out, "user_data", member);
  if ((member = build_custom_data (event)) != NULL)
    json_object_set_object_member (out, "custom_data", member);
  if ((member = build_app_data (event)) != NULL)
    json_object_set_object_member (out, "app_data", member);

  integration = integration_for (event, options, &owned_integration);
  if (integration != NULL)
    json_object_set_string_member (out, "integration", integration);

  return out;
}

JsonObject *
capi_payload_build_v3_event (CapiEvent                *event,
                             const CapiPayloadOptions *options)
{
  CapiPayloadOptions defaults = { 0 };

  g_return_val_if_fail (CAPI_IS_EVENT (event), NULL);

  return build_v3_event (event, options != NULL ? options : &defaults, NULL, NULL);
}

/* LiveRamp's adapter body (spec §3): the identity travels as the ATS
 * envelope in partner_id, custom_data as a key/value list. */
static JsonObject *
build_ats_event (CapiEvent *event)
{
  JsonObject *out = json_object_new ();
  JsonArray *managers = json_array_new ();
  g_autofree char *event_id = node_trimmed_text (capi_event_get_member (event, "event_id"));
  g_autofree char *event_type = node_trimmed_text (capi_event_get_member (event, "event_name"));
  g_autofree char *url = node_trimmed_text (capi_event_get_member (event, "event_source_url"));
  g_autofree char *partner = NULL;
  JsonNode *custom_node;
  gint64 seconds;

  json_array_add_string_element (managers, "snapchat");
  json_object_set_array_member (out, "event_manager", managers);
  if (event_id != NULL)
    json_object_set_string_member (out, "event_id", event_id);
  if (event_type != NULL)
    json_object_set_string_member (out, "event_type", event_type);
  if (capi_payload_event_time_seconds (event, &seconds))
    json_object_set_int_member (out, "event_time", seconds);
  if (url != NULL)
    json_object_set_string_member (out, "event_source_url", url);

  /* The envelope, or failing that the _scid cookie value. */
  partner = node_trimmed_text (capi_event_get_member (event, "user_data.partner_id"));
  if (partner == NULL)
    partner = node_trimmed_text (capi_event_get_member (event, "user_data.sc_cookie1"));
  if (partner != NULL)
    {
      JsonObject *user = json_object_new ();

      json_object_set_string_member (user, "partner_id", partner);
      json_object_set_object_member (out, "user_data", user);
    }

  custom_node = capi_event_get_member (event, "custom_data");
  if (custom_node != NULL && JSON_NODE_HOLDS_OBJECT (custom_node))
    {
      JsonObject *custom = json_node_get_object (custom_node);
      g_autoptr(GList) names = json_object_get_members (custom);
      JsonArray *list = json_array_new ();

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (custom, l->data);
          JsonObject *pair;

          if (node_is_empty (value))
            continue;
          pair = json_object_new ();
          json_object_set_string_member (pair, "key", l->data);
          json_object_set_member (pair, "value", copy_node (value));
          json_array_add_object_element (list, pair);
        }

      if (json_array_get_length (list) > 0)
        json_object_set_array_member (out, "custom_data", list);
      else
        json_array_unref (list);
    }

  return out;
}

JsonNode *
capi_payload_build (CapiPayloadKind           kind,
                    GPtrArray                *events,
                    const CapiPayloadOptions *options)
{
  CapiPayloadOptions defaults = { 0 };
  JsonObject *root = json_object_new ();
  JsonArray *list = json_array_new ();
  JsonNode *node;

  g_return_val_if_fail (events != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  for (guint i = 0; i < events->len; i++)
    {
      CapiEvent *event = g_ptr_array_index (events, i);

      if (kind == CAPI_PAYLOAD_ATS)
        json_array_add_object_element (list, build_ats_event (event));
      else
        json_array_add_object_element (list, build_v3_event (event, options, NULL, NULL));
    }

  if (kind == CAPI_PAYLOAD_ATS)
    {
      json_object_set_array_member (root, "events", list);
    }
  else
    {
      json_object_set_array_member (root, "data", list);
      if (options->test_event_code != NULL && *options->test_event_code != '\0')
        json_object_set_string_member (root, "test_event_code", options->test_event_code);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

/* ------------------------------------------------------------------------ */
/* Serialising                                                                */

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_indent (GString  *out,
               gboolean  pretty,
               guint     depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Our own writer, because json-glib 1.6 prints doubles with 17 significant
 * digits (19.99 becomes 19.989999999999998), which is not what a user
 * typed and not what they should see in a preview. */
static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (object);

        if (names == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        for (GList *l = names; l != NULL; l = l->next)
          {
            append_indent (out, pretty, depth + 1);
            append_string (out, l->data);
            g_string_append (out, pretty ? ": " : ":");
            append_node (out, json_object_get_member (object, l->data), pretty, depth + 1);
            if (l->next != NULL)
              g_string_append_c (out, ',');
          }
        append_indent (out, pretty, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint len = json_array_get_length (array);

        if (len == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < len; i++)
          {
            append_indent (out, pretty, depth + 1);
            append_node (out, json_array_get_element (array, i), pretty, depth + 1);
            if (i + 1 < len)
              g_string_append_c (out, ',');
          }
        append_indent (out, pretty, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          append_string (out, json_node_get_string (node));
        }
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
               !isfinite (json_node_get_double (node)))
        {
          g_string_append (out, "null");   /* JSON has no NaN or infinity */
        }
      else
        {
          g_autofree char *text = node_text (node);

          g_string_append (out, text != NULL ? text : "null");
        }
      break;
    }
}

/**
 * capi_payload_to_string:
 * @node: a JSON node
 * @pretty: indent with two spaces
 *
 * Serialises @node the way the payload builder does (shortest round-trip
 * numbers, member order kept).
 *
 * Returns: (transfer full): the JSON text
 */
char *
capi_payload_to_string (JsonNode *node,
                        gboolean  pretty)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  append_node (out, node, pretty, 0);
  return g_string_free (out, FALSE);
}

char *
capi_payload_build_string (CapiPayloadKind           kind,
                           GPtrArray                *events,
                           const CapiPayloadOptions *options,
                           gboolean                  pretty)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_val_if_fail (events != NULL, NULL);

  body = capi_payload_build (kind, events, options);
  return capi_payload_to_string (body, pretty);
}

/* ------------------------------------------------------------------------ */
/* Explanation                                                                */

typedef struct
{
  GPtrArray  *rows;
  guint       event_index;
} ExplainData;

static void
explain_row_cb (const char     *key,
                const char     *raw,
                const char     *normalized,
                const char     *sent,
                CapiValueState  state,
                int             sent_index,
                gpointer        user_data)
{
  ExplainData *data = user_data;
  CapiExplainRow *row = g_new0 (CapiExplainRow, 1);

  if (sent_index >= 0)
    row->field = g_strdup_printf ("data[%u].user_data.%s[%d]", data->event_index, key,
                                  sent_index);
  else
    row->field = g_strdup_printf ("data[%u].user_data.%s", data->event_index, key);
  row->key = g_strdup (key);
  row->raw = g_strdup (raw);
  row->normalized = g_strdup (normalized);
  row->sent = g_strdup (sent);
  row->state = state;

  g_ptr_array_add (data->rows, row);
}

/**
 * capi_payload_explain:
 *
 * Returns: (transfer full) (element-type CapiExplainRow): one row per
 *   user_data value, in event and document order
 */
GPtrArray *
capi_payload_explain (GPtrArray                *events,
                      const CapiPayloadOptions *options)
{
  CapiPayloadOptions defaults = { 0 };
  ExplainData data = { 0 };

  g_return_val_if_fail (events != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  data.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) capi_explain_row_free);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonObject) user = NULL;

      data.event_index = i;
      user = build_user_data (g_ptr_array_index (events, i), options, explain_row_cb, &data);
    }

  return data.rows;
}
