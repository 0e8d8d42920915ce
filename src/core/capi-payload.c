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
  "action_source", "event_id", "event_source_url", NULL
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

#define NUMBER_BUF_SIZE G_ASCII_DTOSTR_BUF_SIZE

/* Decimal digits of an integer, without printf's machinery (a body with a
 * thousand items formats thousands of numbers per keystroke). */
static const char *
format_int (char   *buf,
            gsize   size,
            gint64  value)
{
  char *p = buf + size - 1;
  guint64 magnitude = value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;

  *p = '\0';
  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';

  return p;
}

static void
format_double (char   *buf,
               gsize   size,
               double  value)
{
  /* A whole number prints as one ("30", not "30.0"). */
  if (value == floor (value) && fabs (value) < 1e15)
    {
      char tmp[32];

      g_strlcpy (buf, format_int (tmp, sizeof tmp, (gint64) value), size);
      return;
    }

  /* Prices mostly have a few decimals: when value is exactly the double
   * nearest to r / scale, the decimal text of r / scale reads back as
   * value, and printf's float machinery is not needed. */
  if (fabs (value) < 1e11)
    {
      static const double scales[] = { 100.0, 10000.0 };

      for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
        {
          double r = nearbyint (fabs (value) * scales[i]);
          guint64 whole, frac;
          char digits[32];
          char *p;
          guint width;

          if (r / scales[i] != fabs (value))
            continue;

          whole = (guint64) r / (guint64) scales[i];
          frac = (guint64) r % (guint64) scales[i];
          width = i == 0 ? 2 : 4;
          while (frac % 10 == 0 && width > 0)
            {
              frac /= 10;
              width--;
            }
          p = (char *) format_int (digits, sizeof digits, (gint64) whole);
          g_snprintf (buf, size, "%s%s.%0*" G_GUINT64_FORMAT, value < 0 ? "-" : "", p,
                      (int) width, frac);
          return;
        }
    }

  /* The shortest text that reads back as the same double: 19.99 rather
   * than json-glib's 19.989999999999998. */
  g_ascii_formatd (buf, size, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, size, "%.17g", value);
}

/* A scalar as text, borrowed from the node or formatted into buf; NULL for
 * containers and null. */
static const char *
scalar_text (JsonNode *node,
             char     *buf)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return json_node_get_string (node);
    case G_TYPE_INT64:
      return format_int (buf, NUMBER_BUF_SIZE, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      format_double (buf, NUMBER_BUF_SIZE, json_node_get_double (node));
      return buf;
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? "true" : "false";
    default:
      return NULL;
    }
}

/* Trimmed text of a scalar, NULL when absent or blank. */
static char *
node_trimmed_text (JsonNode *node)
{
  char buf[NUMBER_BUF_SIZE];
  const char *text = scalar_text (node, buf);
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/* Every scalar of a member that may be a value or an array of values. */
static GPtrArray *
node_texts (JsonNode *node)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  char buf[NUMBER_BUF_SIZE];
  const char *text;

  if (node == NULL)
    return texts;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if ((text = scalar_text (json_array_get_element (array, i), buf)) != NULL)
          g_ptr_array_add (texts, g_strdup (text));
    }
  else if ((text = scalar_text (node, buf)) != NULL)
    {
      g_ptr_array_add (texts, g_strdup (text));
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

/* ------------------------------------------------------------------------ */
/* Writer                                                                     */

/*
 * The builders emit through a Writer, which either writes JSON text
 * straight into a GString or builds a JsonNode tree with JsonBuilder.  The
 * text path never makes a tree, which keeps a re-preview of an event with
 * a thousand contents items in the low milliseconds.
 *
 * Containers may be opened "lazily": they appear only once something is
 * written into them, which is how empty members stay out of the body
 * without a second pass.
 */
typedef struct
{
  gboolean    is_object;
  gboolean    open;      /* written out (text) or begun (builder) */
  guint       count;     /* members written so far */
  const char *name;      /* member name in the parent; borrowed */
} Level;

typedef struct
{
  GString     *out;      /* text backend */
  JsonBuilder *builder;  /* tree backend */
  gboolean     pretty;
  GArray      *levels;
} Writer;

static void
writer_init_text (Writer  *w,
                  gboolean pretty,
                  gsize    reserve)
{
  memset (w, 0, sizeof *w);
  w->out = g_string_sized_new (reserve);
  w->pretty = pretty;
  w->levels = g_array_new (FALSE, FALSE, sizeof (Level));
}

static void
writer_init_tree (Writer *w)
{
  memset (w, 0, sizeof *w);
  w->builder = json_builder_new_immutable ();
  w->levels = g_array_new (FALSE, FALSE, sizeof (Level));
}

static void
writer_clear (Writer *w)
{
  if (w->out != NULL)
    g_string_free (w->out, TRUE);
  g_clear_object (&w->builder);
  g_clear_pointer (&w->levels, g_array_unref);
}

static void
append_indent (GString *out,
               guint    depth)
{
  static const char spaces[] = "\n                                                  ";

  if (1 + 2 * depth < sizeof spaces)
    {
      g_string_append_len (out, spaces, 1 + 2 * depth);
      return;
    }
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append_len (out, "  ", 2);
}

static void
append_string (GString    *out,
               const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;
      char hex[8];

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          g_snprintf (hex, sizeof hex, "\\u%04x", c);
          escape = hex;
        }
      g_string_append_len (out, run, p - run);
      g_string_append (out, escape);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/* Writes what comes before a value inside the container at index parent
 * (-1 for the root): the comma, the indentation and the member name. */
static void
writer_prefix (Writer     *w,
               int         parent_index,
               const char *name)
{
  Level *parent = parent_index >= 0 ? &g_array_index (w->levels, Level, parent_index) : NULL;

  if (parent == NULL)
    return;

  if (w->out != NULL)
    {
      if (parent->count > 0)
        g_string_append_c (w->out, ',');
      if (w->pretty)
        append_indent (w->out, parent_index + 1);
      if (parent->is_object)
        {
          append_string (w->out, name);
          g_string_append (w->out, w->pretty ? ": " : ":");
        }
    }
  else if (parent->is_object)
    {
      json_builder_set_member_name (w->builder, name);
    }

  parent->count++;
}

/* Opens every lazily begun container, outermost first. */
static void
writer_materialize (Writer *w)
{
  guint first = w->levels->len;

  while (first > 0 && !g_array_index (w->levels, Level, first - 1).open)
    first--;

  for (guint i = first; i < w->levels->len; i++)
    {
      Level *level;

      writer_prefix (w, (int) i - 1, g_array_index (w->levels, Level, i).name);
      level = &g_array_index (w->levels, Level, i);
      level->open = TRUE;
      if (w->out != NULL)
        g_string_append_c (w->out, level->is_object ? '{' : '[');
      else if (level->is_object)
        json_builder_begin_object (w->builder);
      else
        json_builder_begin_array (w->builder);
    }
}

static void
writer_value_start (Writer     *w,
                    const char *name)
{
  writer_materialize (w);
  writer_prefix (w, (int) w->levels->len - 1, name);
}

static void
writer_begin (Writer     *w,
              const char *name,
              gboolean    is_object,
              gboolean    lazy)
{
  Level level = { is_object, FALSE, 0, name };

  if (w == NULL)
    return;

  g_array_append_val (w->levels, level);
  if (!lazy)
    writer_materialize (w);
}

static void
writer_end (Writer *w)
{
  Level level;

  if (w == NULL)
    return;

  g_assert (w->levels->len > 0);
  level = g_array_index (w->levels, Level, w->levels->len - 1);
  g_array_set_size (w->levels, w->levels->len - 1);

  if (!level.open)
    return;   /* nothing was written into it: it never existed */

  if (w->out != NULL)
    {
      if (w->pretty && level.count > 0)
        append_indent (w->out, w->levels->len);
      g_string_append_c (w->out, level.is_object ? '}' : ']');
    }
  else if (level.is_object)
    json_builder_end_object (w->builder);
  else
    json_builder_end_array (w->builder);
}

static void
writer_string (Writer     *w,
               const char *name,
               const char *text)
{
  if (w == NULL)
    return;
  writer_value_start (w, name);
  if (w->out != NULL)
    append_string (w->out, text);
  else
    json_builder_add_string_value (w->builder, text);
}

static void
writer_int (Writer     *w,
            const char *name,
            gint64      value)
{
  if (w == NULL)
    return;
  writer_value_start (w, name);
  if (w->out != NULL)
    {
      char buf[NUMBER_BUF_SIZE];

      g_string_append (w->out, format_int (buf, sizeof buf, value));
    }
  else
    json_builder_add_int_value (w->builder, value);
}

static void
writer_double (Writer     *w,
               const char *name,
               double      value)
{
  char buf[NUMBER_BUF_SIZE];

  if (w == NULL)
    return;
  writer_value_start (w, name);
  if (w->out == NULL)
    json_builder_add_double_value (w->builder, value);
  else if (!isfinite (value))
    g_string_append (w->out, "null");   /* JSON has no NaN or infinity */
  else
    {
      format_double (buf, sizeof buf, value);
      g_string_append (w->out, buf);
    }
}

static void
writer_boolean (Writer     *w,
                const char *name,
                gboolean    value)
{
  if (w == NULL)
    return;
  writer_value_start (w, name);
  if (w->out != NULL)
    g_string_append (w->out, value ? "true" : "false");
  else
    json_builder_add_boolean_value (w->builder, value);
}

static void
writer_null (Writer     *w,
             const char *name)
{
  if (w == NULL)
    return;
  writer_value_start (w, name);
  if (w->out != NULL)
    g_string_append (w->out, "null");
  else
    json_builder_add_null_value (w->builder);
}

/* Writes a value as given, all the way down. */
static void
writer_node (Writer     *w,
             const char *name,
             JsonNode   *node)
{
  if (w == NULL)
    return;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (object);

        writer_begin (w, name, TRUE, FALSE);
        for (GList *l = names; l != NULL; l = l->next)
          writer_node (w, l->data, json_object_get_member (object, l->data));
        writer_end (w);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        writer_begin (w, name, FALSE, FALSE);
        for (guint i = 0; i < json_array_get_length (array); i++)
          writer_node (w, NULL, json_array_get_element (array, i));
        writer_end (w);
      }
      break;

    case JSON_NODE_NULL:
      writer_null (w, name);
      break;

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          writer_string (w, name, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          writer_int (w, name, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          writer_double (w, name, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          writer_boolean (w, name, json_node_get_boolean (node));
          break;
        default:
          writer_null (w, name);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Typed emitters                                                             */

/* A list of strings (a single value becomes a list of one); nothing when
 * no value is left. */
static void
emit_string_list (Writer     *w,
                  const char *name,
                  JsonNode   *node)
{
  char buf[NUMBER_BUF_SIZE];

  writer_begin (w, name, FALSE, TRUE);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *text = scalar_text (json_array_get_element (array, i), buf);

          if (text != NULL && *text != '\0')
            writer_string (w, NULL, text);
        }
    }
  else
    {
      const char *text = scalar_text (node, buf);

      if (text != NULL && *text != '\0')
        writer_string (w, NULL, text);
    }
  writer_end (w);
}

/* A number from a number or a numeric string; anything else is written as
 * given, so that the preview shows what is wrong rather than hiding it. */
static void
emit_number (Writer     *w,
             const char *name,
             JsonNode   *node,
             gboolean    integer)
{
  if (is_number_node (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        writer_int (w, name, json_node_get_int (node));
      else
        {
          double d = json_node_get_double (node);

          if (integer && d == floor (d) && fabs (d) < 9.0e15)
            writer_int (w, name, (gint64) d);
          else
            writer_double (w, name, d);
        }
      return;
    }

  if (is_string_node (node))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;

      if (integer)
        {
          gint64 v = g_ascii_strtoll (text, &end, 10);

          if (end != text && *end == '\0')
            {
              writer_int (w, name, v);
              return;
            }
        }
      else
        {
          double d = g_ascii_strtod (text, &end);

          if (end != text && *end == '\0' && isfinite (d))
            {
              if (d == floor (d) && fabs (d) < 9.0e15 && strpbrk (text, ".eE") == NULL)
                writer_int (w, name, (gint64) d);
              else
                writer_double (w, name, d);
              return;
            }
        }
    }

  writer_node (w, name, node);
}

/* A string where Snap's OpenAPI document says string: numbers become text. */
static void
emit_string (Writer     *w,
             const char *name,
             JsonNode   *node)
{
  char buf[NUMBER_BUF_SIZE];

  if (is_number_node (node))
    writer_string (w, name, scalar_text (node, buf));
  else
    writer_node (w, name, node);
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

/* Walks user_data once for both the body (w may be NULL) and the
 * explanation, so the two can never disagree. */
static void
build_user_data (Writer                   *w,
                 CapiEvent                *event,
                 const CapiPayloadOptions *options,
                 RowFunc                   row_func,
                 gpointer                  row_data)
{
  g_autofree char *country = NULL;
  g_autoptr(GList) names = NULL;
  JsonNode *user_node = capi_event_get_member (event, "user_data");
  JsonObject *user;

  if (user_node == NULL || !JSON_NODE_HOLDS_OBJECT (user_node))
    return;

  country = event_country (event, options);
  user = json_node_get_object (user_node);
  names = json_object_get_members (user);

  writer_begin (w, "user_data", TRUE, TRUE);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autoptr(GPtrArray) raws = node_texts (json_object_get_member (user, key));
      CapiFieldKind kind = capi_normalize_field_kind (key);
      const char *context = g_str_equal (key, "zp") ? country : options->default_country;
      gboolean plain_sent = FALSE;
      int n_hashes = 0;

      if (kind == CAPI_FIELD_HASHED)
        writer_begin (w, key, FALSE, TRUE);

      for (guint i = 0; i < raws->len; i++)
        {
          const char *raw = g_ptr_array_index (raws, i);
          g_autofree char *normalized = NULL;
          g_autofree char *sent = NULL;
          CapiValueState state = CAPI_VALUE_DROPPED;
          int index = -1;

          /* A key Snap does not document is not sent (it could be PII
           * under a wrong name), and lint says why. */
          if (kind != CAPI_FIELD_UNKNOWN)
            sent = capi_normalize_value_for_wire (key, raw, context, &state, &normalized);

          if (sent != NULL && kind == CAPI_FIELD_HASHED)
            {
              index = n_hashes++;
              writer_string (w, NULL, sent);
            }
          else if (sent != NULL && !plain_sent)
            {
              /* Plain keys are single strings in the OpenAPI document; a
               * second value has nowhere to go. */
              writer_string (w, key, sent);
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

      if (kind == CAPI_FIELD_HASHED)
        writer_end (w);
    }
  writer_end (w);
}

/* ------------------------------------------------------------------------ */
/* custom_data and app_data                                                   */

static void
emit_contents (Writer     *w,
               const char *name,
               JsonNode   *node)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      writer_node (w, name, node);
      return;
    }

  array = json_node_get_array (node);
  writer_begin (w, name, FALSE, TRUE);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autoptr(GList) names = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          writer_node (w, NULL, item);
          continue;
        }

      object = json_node_get_object (item);
      names = json_object_get_members (object);
      writer_begin (w, NULL, TRUE, FALSE);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (node_is_empty (member))
            continue;
          if (g_strv_contains (content_string_keys, l->data))
            emit_string (w, l->data, member);
          else
            writer_node (w, l->data, member);
        }
      writer_end (w);
    }
  writer_end (w);
}

static void
emit_string_map (Writer     *w,
                 const char *name,
                 JsonNode   *node)
{
  g_autoptr(GList) names = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      writer_node (w, name, node);
      return;
    }

  object = json_node_get_object (node);
  names = json_object_get_members (object);
  writer_begin (w, name, TRUE, TRUE);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if (!node_is_empty (member))
        emit_string (w, l->data, member);
    }
  writer_end (w);
}

static void
build_custom_data (Writer    *w,
                   CapiEvent *event)
{
  g_autoptr(GList) names = NULL;
  JsonNode *node = capi_event_get_member (event, "custom_data");
  JsonObject *custom;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  custom = json_node_get_object (node);
  names = json_object_get_members (custom);
  writer_begin (w, "custom_data", TRUE, TRUE);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (custom, key);

      if (node_is_empty (member))
        continue;

      if (g_strv_contains (custom_number_keys, key))
        emit_number (w, key, member, FALSE);
      else if (g_strv_contains (custom_integer_keys, key))
        emit_number (w, key, member, TRUE);
      else if (g_strv_contains (custom_string_list_keys, key))
        emit_string_list (w, key, member);
      else if (g_str_equal (key, "contents"))
        emit_contents (w, key, member);
      else if (g_str_equal (key, "custom_fields"))
        emit_string_map (w, key, member);
      else if (g_strv_contains (custom_string_keys, key))
        emit_string (w, key, member);
      else
        writer_node (w, key, member);   /* numbers stay numbers */
    }
  writer_end (w);
}

static void
build_app_data (Writer    *w,
                CapiEvent *event)
{
  g_autoptr(GList) names = NULL;
  JsonNode *node = capi_event_get_member (event, "app_data");
  JsonObject *app;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  app = json_node_get_object (node);
  names = json_object_get_members (app);
  writer_begin (w, "app_data", TRUE, TRUE);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (app, key);

      if (node_is_empty (member))
        continue;

      if (g_str_equal (key, "extinfo") || g_str_equal (key, "url_schemes"))
        emit_string_list (w, key, member);
      else if (g_str_equal (key, "advertiser_tracking_enabled") && is_string_node (member))
        writer_boolean (w, key, g_ascii_strcasecmp (json_node_get_string (member), "true") == 0);
      else if (g_str_equal (key, "advertiser_tracking_enabled"))
        writer_node (w, key, member);
      else
        emit_string (w, key, member);
    }
  writer_end (w);
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

static void
emit_trimmed (Writer     *w,
              const char *name,
              JsonNode   *node)
{
  g_autofree char *text = node_trimmed_text (node);

  if (text != NULL)
    writer_string (w, name, text);
}

static void
build_v3_event (Writer                   *w,
                CapiEvent                *event,
                const CapiPayloadOptions *options)
{
  g_autofree char *owned_integration = NULL;
  const char *integration;
  JsonNode *node;
  gint64 seconds;

  writer_begin (w, NULL, TRUE, FALSE);

  emit_trimmed (w, "event_name", capi_event_get_member (event, "event_name"));
  if (capi_payload_event_time_seconds (event, &seconds))
    writer_int (w, "event_time", seconds);
  for (guint i = 0; v3_string_members[i] != NULL; i++)
    emit_trimmed (w, v3_string_members[i], capi_event_get_member (event, v3_string_members[i]));

  node = capi_event_get_member (event, "opt_out");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    writer_boolean (w, "opt_out", json_node_get_boolean (node));
  else if (is_string_node (node))
    writer_boolean (w, "opt_out", g_ascii_strcasecmp (json_node_get_string (node), "true") == 0);

  node = capi_event_get_member (event, "data_processing_options");
  if (node != NULL && !node_is_empty (node))
    emit_string_list (w, "data_processing_options", node);

  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "data_processing_options_country"
                               : "data_processing_options_state";

      node = capi_event_get_member (event, key);
      if (node != NULL && !node_is_empty (node))
        writer_node (w, key, node);
    }

  build_user_data (w, event, options, NULL, NULL);
  build_custom_data (w, event);
  build_app_data (w, event);

  integration = integration_for (event, options, &owned_integration);
  if (integration != NULL)
    writer_string (w, "integration", integration);

  writer_end (w);
}

/* LiveRamp's adapter body (spec §3): the identity travels as the ATS
 * envelope in partner_id, custom_data as a key/value list. */
static void
build_ats_event (Writer    *w,
                 CapiEvent *event)
{
  g_autofree char *partner = NULL;
  JsonNode *custom_node;
  gint64 seconds;

  writer_begin (w, NULL, TRUE, FALSE);

  writer_begin (w, "event_manager", FALSE, FALSE);
  writer_string (w, NULL, "snapchat");
  writer_end (w);
  emit_trimmed (w, "event_id", capi_event_get_member (event, "event_id"));
  emit_trimmed (w, "event_type", capi_event_get_member (event, "event_name"));
  if (capi_payload_event_time_seconds (event, &seconds))
    writer_int (w, "event_time", seconds);
  emit_trimmed (w, "event_source_url", capi_event_get_member (event, "event_source_url"));

  /* The envelope, or failing that the _scid cookie value. */
  partner = node_trimmed_text (capi_event_get_member (event, "user_data.partner_id"));
  if (partner == NULL)
    partner = node_trimmed_text (capi_event_get_member (event, "user_data.sc_cookie1"));
  if (partner != NULL)
    {
      writer_begin (w, "user_data", TRUE, FALSE);
      writer_string (w, "partner_id", partner);
      writer_end (w);
    }

  custom_node = capi_event_get_member (event, "custom_data");
  if (custom_node != NULL && JSON_NODE_HOLDS_OBJECT (custom_node))
    {
      JsonObject *custom = json_node_get_object (custom_node);
      g_autoptr(GList) names = json_object_get_members (custom);

      writer_begin (w, "custom_data", FALSE, TRUE);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (custom, l->data);

          if (node_is_empty (value))
            continue;
          writer_begin (w, NULL, TRUE, FALSE);
          writer_string (w, "key", l->data);
          writer_node (w, "value", value);
          writer_end (w);
        }
      writer_end (w);
    }

  writer_end (w);
}

static void
build_body (Writer                   *w,
            CapiPayloadKind           kind,
            GPtrArray                *events,
            const CapiPayloadOptions *options)
{
  writer_begin (w, NULL, TRUE, FALSE);
  writer_begin (w, kind == CAPI_PAYLOAD_ATS ? "events" : "data", FALSE, FALSE);
  for (guint i = 0; i < events->len; i++)
    {
      if (kind == CAPI_PAYLOAD_ATS)
        build_ats_event (w, g_ptr_array_index (events, i));
      else
        build_v3_event (w, g_ptr_array_index (events, i), options);
    }
  writer_end (w);

  /* test_event_code belongs to Snap's body only. */
  if (kind == CAPI_PAYLOAD_SNAP_V3 &&
      options->test_event_code != NULL && *options->test_event_code != '\0')
    writer_string (w, "test_event_code", options->test_event_code);
  writer_end (w);
}

JsonObject *
capi_payload_build_v3_event (CapiEvent                *event,
                             const CapiPayloadOptions *options)
{
  CapiPayloadOptions defaults = { 0 };
  g_autoptr(JsonNode) root = NULL;
  Writer w;

  g_return_val_if_fail (CAPI_IS_EVENT (event), NULL);

  writer_init_tree (&w);
  build_v3_event (&w, event, options != NULL ? options : &defaults);
  root = json_builder_get_root (w.builder);
  writer_clear (&w);

  return json_node_dup_object (root);
}

JsonNode *
capi_payload_build (CapiPayloadKind           kind,
                    GPtrArray                *events,
                    const CapiPayloadOptions *options)
{
  CapiPayloadOptions defaults = { 0 };
  JsonNode *root;
  Writer w;

  g_return_val_if_fail (events != NULL, NULL);

  writer_init_tree (&w);
  build_body (&w, kind, events, options != NULL ? options : &defaults);
  root = json_builder_get_root (w.builder);
  writer_clear (&w);

  return root;
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
  Writer w;
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  writer_init_text (&w, pretty, 256);
  writer_node (&w, NULL, node);
  text = g_string_free (g_steal_pointer (&w.out), FALSE);
  writer_clear (&w);

  return text;
}

char *
capi_payload_build_string (CapiPayloadKind           kind,
                           GPtrArray                *events,
                           const CapiPayloadOptions *options,
                           gboolean                  pretty)
{
  CapiPayloadOptions defaults = { 0 };
  Writer w;
  char *text;

  g_return_val_if_fail (events != NULL, NULL);

  /* Written straight to text: no intermediate tree. */
  writer_init_text (&w, pretty, 4096);
  build_body (&w, kind, events, options != NULL ? options : &defaults);
  text = g_string_free (g_steal_pointer (&w.out), FALSE);
  writer_clear (&w);

  return text;
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
      /* The same walk as the body, with no writer: rows only. */
      data.event_index = i;
      build_user_data (NULL, g_ptr_array_index (events, i), options, explain_row_cb, &data);
    }

  return data.rows;
}
