/* capi-event.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-event.h"
#include "capi-json.h"

struct _CapiEvent
{
  GObject          parent_instance;

  /* Owned */
  JsonObject      *object;       /* v3-shaped raw values */
  GHashTable      *names;        /* dotted v3 key -> path relative to the prefix */
  char            *path_prefix;
  CapiEventFormat  source_format;
  CapiEventFormat  vocabulary;   /* V3_EVENT, V2 or ATS: how members were named */
  guint            line;
};

G_DEFINE_FINAL_TYPE (CapiEvent, capi_event, G_TYPE_OBJECT)

G_DEFINE_QUARK (capi-event-error-quark, capi_event_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Snap CAPI v2 keys and where they live in v3 (spec §2).  The last rows are
 * v2 members that the migration table does not list but that v2 senders
 * commonly set; they map onto the obvious v3 member. */
static const struct
{
  const char *v2;
  const char *v3;
} v2_map[] = {
  { "event_type", "event_name" },
  { "event_conversion_type", "action_source" },
  { "timestamp", "event_time" },
  { "page_url", "event_source_url" },
  { "client_dedup_id", "event_id" },
  { "hashed_email", "user_data.em" },
  { "hashed_phone_number", "user_data.ph" },
  { "hashed_mobile_ad_id", "user_data.madid" },
  { "uuid_c1", "user_data.sc_cookie1" },
  { "click_id", "user_data.sc_click_id" },
  { "user_agent", "user_data.client_user_agent" },
  { "hashed_ip_address", "user_data.client_ip_address" },
  { "price", "custom_data.value" },
  { "transaction_id", "custom_data.order_id" },
  { "item_ids", "custom_data.content_ids" },
  { "number_items", "custom_data.num_items" },
  { "item_category", "custom_data.content_category" },
  { "data_use", "data_processing_options" },
  /* not in the migration table */
  { "ip_address", "user_data.client_ip_address" },
  { "hashed_idfv", "user_data.idfv" },
  { "currency", "custom_data.currency" },
  { "search_string", "custom_data.search_string" },
  { "sign_up_method", "custom_data.sign_up_method" },
};

/* Members whose presence marks an object as a v3 event. */
static const char * const v3_markers[] = {
  "event_name", "action_source", "event_time", "user_data", "custom_data", "app_data",
  "event_source_url", NULL
};

/* Members (besides the v2 map) whose presence marks a v2 event. */
static const char * const v2_markers[] = {
  "pixel_id", "snap_app_id", "app_id", NULL
};

/* Top-level members of a v3 event that must be strings or objects; the rest
 * (custom_data contents, unknown members) are kept as given. */
static const char * const string_members[] = {
  "event_name", "action_source", "event_source_url", "integration", NULL
};

static const char * const object_members[] = {
  "user_data", "custom_data", "app_data", NULL
};

/* ------------------------------------------------------------------------ */
/* JSON helpers                                                             */

static JsonNode *deep_copy_node (JsonNode *node);

static void
copy_member_cb (JsonObject  *object,
                const char  *name,
                JsonNode    *member,
                gpointer     user_data)
{
  json_object_set_member (user_data, name, deep_copy_node (member));
}

/* json_object_foreach_member () keeps the document's member order, which
 * JsonObjectIter (hash order) does not. */
static JsonObject *
deep_copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();

  json_object_foreach_member (object, copy_member_cb, copy);
  return copy;
}

/* json_node_copy () only references the containers it holds; events must
 * not share state, so copy all the way down. */
static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, deep_copy_object (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *out = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (out, deep_copy_node (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, out);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static const char *
node_type_label (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* A scalar as text; NULL for containers and null. */
static char *
node_dup_text (JsonNode *node)
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
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", json_node_get_double (node)));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gboolean
has_any_member (JsonObject         *object,
                const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (json_object_has_member (object, names[i]))
      return TRUE;
  return FALSE;
}

/* Splits "user_data.em" into "user_data" and "em"; child is NULL for a
 * top-level key. */
static char *
split_key (const char  *key,
           const char **child)
{
  const char *dot = strchr (key, '.');

  if (dot == NULL)
    {
      *child = NULL;
      return g_strdup (key);
    }

  *child = dot + 1;
  return g_strndup (key, dot - key);
}

static JsonNode *
object_lookup (JsonObject *object,
               const char *key)
{
  g_autofree char *parent = NULL;
  const char *child;
  JsonNode *node;

  parent = split_key (key, &child);
  node = json_object_get_member (object, parent);
  if (child == NULL || node == NULL)
    return node;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_get_member (json_node_get_object (node), child);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

/* Every reader error starts with where it happened: "file:3:5: ", "file: ",
 * "3:5: " or nothing, so that the CLI can print one line a user can act on. */
typedef struct
{
  const char *filename;   /* nullable: a display name */
  guint       line;       /* JSON Lines: the line of the event being read */
} ReadContext;

static void
set_error_at (GError         **error,
              const ReadContext *ctx,
              CapiEventError   code,
              guint            line,
              guint            column,
              const char      *message)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (ctx->filename != NULL)
    g_string_append (text, ctx->filename);
  if (line > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ':');
      if (column > 0)
        g_string_append_printf (text, "%u:%u", line, column);
      else
        g_string_append_printf (text, "%u", line);
    }
  if (text->len > 0)
    g_string_append (text, ": ");
  g_string_append (text, message);

  g_set_error_literal (error, CAPI_EVENT_ERROR, code, text->str);
}

static void
set_type_error (GError           **error,
                const ReadContext *ctx,
                const char        *path,
                const char        *expected,
                JsonNode          *found)
{
  /* Translators: "data[0].user_data: expected an object, found an array" */
  g_autofree char *message = g_strdup_printf (_("%s: expected %s, found %s"),
                                              path, expected, node_type_label (found));

  set_error_at (error, ctx, CAPI_EVENT_ERROR_TYPE, ctx->line, 0, message);
}

/* json-glib words its errors "<data>:LINE:COLUMN: Parse error: TEXT". */
static void
set_syntax_error (GError           **error,
                  const ReadContext *ctx,
                  const GError      *parse_error,
                  guint              line_offset)
{
  const char *msg = parse_error->message;
  const char *rest = NULL;
  guint line = 0, column = 0;

  if (g_str_has_prefix (msg, "<data>:"))
    {
      char *end = NULL;

      line = (guint) g_ascii_strtoull (msg + 7, &end, 10);
      if (end != NULL && *end == ':')
        column = (guint) g_ascii_strtoull (end + 1, &end, 10);
      if (end != NULL && *end == ':')
        rest = end + 1;
    }

  if (rest == NULL)
    {
      rest = msg;
      line = 0;
    }
  else
    {
      while (*rest == ' ')
        rest++;
      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
    }

  if (line > 0)
    line += line_offset;

  {
    g_autofree char *message = g_strdup_printf (_("malformed JSON: %s"), rest);

    set_error_at (error, ctx, CAPI_EVENT_ERROR_SYNTAX, line, column, message);
  }
}

/* ------------------------------------------------------------------------ */
/* Paths                                                                     */

static const char *
static_source_name (CapiEventFormat  format,
                    const char      *key)
{
  if (format == CAPI_EVENT_FORMAT_V2)
    {
      for (guint i = 0; i < G_N_ELEMENTS (v2_map); i++)
        if (g_str_equal (v2_map[i].v3, key))
          return v2_map[i].v2;
    }
  else if (format == CAPI_EVENT_FORMAT_ATS)
    {
      if (g_str_equal (key, "event_name"))
        return "event_type";
    }

  return key;
}

static char *
join_path (const char *prefix,
           const char *name)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (name);
  return g_strconcat (prefix, ".", name, NULL);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
capi_event_finalize (GObject *object)
{
  CapiEvent *self = (CapiEvent *)object;

  g_clear_pointer (&self->object, json_object_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->path_prefix, g_free);

  G_OBJECT_CLASS (capi_event_parent_class)->finalize (object);
}

static void
capi_event_class_init (CapiEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_event_finalize;

  /**
   * CapiEvent::changed:
   *
   * Emitted after a setter changed a value of the event.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
capi_event_init (CapiEvent *self)
{
  self->object = json_object_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->path_prefix = g_strdup ("");
  self->source_format = CAPI_EVENT_FORMAT_UNKNOWN;
}

/* ------------------------------------------------------------------------ */
/* Reading one event object                                                   */

/* Checks the types of the members every consumer relies on, naming each
 * failure with the path the source document uses. */
static gboolean
validate_event (CapiEvent         *self,
                const ReadContext *ctx,
                GError           **error)
{
  JsonNode *node;

  for (guint i = 0; object_members[i] != NULL; i++)
    {
      node = json_object_get_member (self->object, object_members[i]);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = capi_event_dup_path (self, object_members[i], -1);

          set_type_error (error, ctx, path, _("an object"), node);
          return FALSE;
        }
      /* A null container is the same as none. */
      if (node != NULL && JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (self->object, object_members[i]);
    }

  for (guint i = 0; string_members[i] != NULL; i++)
    {
      node = json_object_get_member (self->object, string_members[i]);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !node_is_string (node))
        {
          g_autofree char *path = capi_event_dup_path (self, string_members[i], -1);

          set_type_error (error, ctx, path, _("a string"), node);
          return FALSE;
        }
    }

  node = json_object_get_member (self->object, "event_time");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !node_is_string (node) &&
      !node_is_number (node))
    {
      g_autofree char *path = capi_event_dup_path (self, "event_time", -1);

      set_type_error (error, ctx, path, _("a number or a string"), node);
      return FALSE;
    }

  node = json_object_get_member (self->object, "event_id");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !node_is_string (node) &&
      !node_is_number (node))
    {
      g_autofree char *path = capi_event_dup_path (self, "event_id", -1);

      set_type_error (error, ctx, path, _("a string"), node);
      return FALSE;
    }

  node = json_object_get_member (self->object, "user_data");
  if (node != NULL)
    {
      g_autoptr(GList) members = NULL;
      const char *name;
      JsonNode *member;

      /* Identifiers are a string (or number) or an array of them. */
      members = json_object_get_members (json_node_get_object (node));
      for (GList *l = members; l != NULL; l = l->next)
        {
          name = l->data;
          member = json_object_get_member (json_node_get_object (node), name);
          g_autofree char *key = g_strconcat ("user_data.", name, NULL);

          if (JSON_NODE_HOLDS_OBJECT (member))
            {
              g_autofree char *path = capi_event_dup_path (self, key, -1);

              set_type_error (error, ctx, path, _("a string or an array of strings"), member);
              return FALSE;
            }
          if (JSON_NODE_HOLDS_ARRAY (member))
            {
              JsonArray *array = json_node_get_array (member);

              for (guint j = 0; j < json_array_get_length (array); j++)
                {
                  JsonNode *element = json_array_get_element (array, j);

                  if (!JSON_NODE_HOLDS_VALUE (element) ||
                      json_node_get_value_type (element) == G_TYPE_BOOLEAN)
                    {
                      g_autofree char *path = capi_event_dup_path (self, key, j);

                      set_type_error (error, ctx, path, _("a string"), element);
                      return FALSE;
                    }
                }
            }
        }
    }

  return TRUE;
}

static void
set_mapped (JsonObject *object,
            const char *key,
            JsonNode   *value)
{
  g_autofree char *parent = NULL;
  const char *child;

  parent = split_key (key, &child);
  if (child == NULL)
    {
      json_object_set_member (object, parent, value);
    }
  else
    {
      JsonNode *container = json_object_get_member (object, parent);

      if (container == NULL || !JSON_NODE_HOLDS_OBJECT (container))
        {
          json_object_set_object_member (object, parent, json_object_new ());
          container = json_object_get_member (object, parent);
        }
      json_object_set_member (json_node_get_object (container), child, value);
    }
}

/* v2 sends milliseconds; the model keeps v3's seconds. */
static JsonNode *
v2_timestamp_to_seconds (JsonNode *node)
{
  gint64 ms = 0;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    ms = json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Beyond gint64 the cast is undefined: keep such a value as given. */
      if (!(d > -9.0e18 && d < 9.0e18))
        return deep_copy_node (node);
      ms = (gint64) d;
    }
  else if (node_is_string (node))
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;

      ms = g_ascii_strtoll (text, &end, 10);
      if (end == text || *end != '\0')
        return deep_copy_node (node);   /* ISO 8601 or junk: keep as given */
    }
  else
    return deep_copy_node (node);

  /* Only a value that really is in milliseconds (13 digits) is divided. */
  if (ms >= G_GINT64_CONSTANT (100000000000))
    ms /= 1000;

  return json_node_init_int (json_node_alloc (), ms);
}

static void
read_v2_event (CapiEvent  *self,
               JsonObject *source)
{
  g_autoptr(GList) members = NULL;
  const char *name;
  JsonNode *member;

  members = json_object_get_members (source);
  for (GList *l = members; l != NULL; l = l->next)
    {
      name = l->data;
      member = json_object_get_member (source, name);
      const char *v3 = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (v2_map); i++)
        if (g_str_equal (v2_map[i].v2, name))
          {
            v3 = v2_map[i].v3;
            break;
          }

      if (v3 == NULL)
        {
          json_object_set_member (self->object, name, deep_copy_node (member));
          continue;
        }

      if (g_str_equal (name, "timestamp"))
        set_mapped (self->object, v3, v2_timestamp_to_seconds (member));
      else
        set_mapped (self->object, v3, deep_copy_node (member));
      g_hash_table_replace (self->names, g_strdup (v3), g_strdup (name));
    }
}

static gboolean
read_ats_event (CapiEvent         *self,
                JsonObject        *source,
                const ReadContext *ctx,
                GError           **error)
{
  g_autoptr(GList) members = NULL;
  const char *name;
  JsonNode *member;

  members = json_object_get_members (source);
  for (GList *l = members; l != NULL; l = l->next)
    {
      name = l->data;
      member = json_object_get_member (source, name);
      if (g_str_equal (name, "event_type"))
        {
          json_object_set_member (self->object, "event_name", deep_copy_node (member));
          g_hash_table_replace (self->names, g_strdup ("event_name"), g_strdup ("event_type"));
        }
      else if (g_str_equal (name, "custom_data") && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *list = json_node_get_array (member);
          JsonObject *custom = json_object_new ();

          json_object_set_object_member (self->object, "custom_data", custom);
          /* [{"key": K, "value": V}, ...] becomes {K: V, ...}. */
          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              JsonNode *entry = json_array_get_element (list, i);
              JsonObject *pair;
              JsonNode *key_node, *value_node;
              const char *key;

              if (!JSON_NODE_HOLDS_OBJECT (entry))
                {
                  g_autofree char *rel = g_strdup_printf ("custom_data[%u]", i);
                  g_autofree char *path = join_path (self->path_prefix, rel);

                  set_type_error (error, ctx, path, _("an object"), entry);
                  return FALSE;
                }
              pair = json_node_get_object (entry);
              key_node = json_object_get_member (pair, "key");
              value_node = json_object_get_member (pair, "value");
              if (key_node == NULL || !node_is_string (key_node))
                {
                  g_autofree char *rel = g_strdup_printf ("custom_data[%u].key", i);
                  g_autofree char *path = join_path (self->path_prefix, rel);

                  set_type_error (error, ctx, path, _("a string"), key_node);
                  return FALSE;
                }
              key = json_node_get_string (key_node);
              if (*key == '\0' || strchr (key, '.') != NULL)
                {
                  g_autofree char *rel = g_strdup_printf ("custom_data[%u].key", i);
                  g_autofree char *path = join_path (self->path_prefix, rel);
                  g_autofree char *message =
                    g_strdup_printf (_("%s: “%s” is not a usable key"), path, key);

                  set_error_at (error, ctx, CAPI_EVENT_ERROR_TYPE, ctx->line, 0, message);
                  return FALSE;
                }
              json_object_set_member (custom, key,
                                      value_node != NULL ? deep_copy_node (value_node)
                                                         : json_node_new (JSON_NODE_NULL));
              g_hash_table_replace (self->names,
                                    g_strconcat ("custom_data.", key, NULL),
                                    g_strdup_printf ("custom_data[%u].value", i));
            }
        }
      else
        {
          json_object_set_member (self->object, name, deep_copy_node (member));
        }
    }

  return TRUE;
}

static CapiEventFormat
detect_event_format (JsonObject *object)
{
  JsonNode *custom = json_object_get_member (object, "custom_data");
  JsonNode *user = json_object_get_member (object, "user_data");

  if (json_object_has_member (object, "event_manager") ||
      (custom != NULL && JSON_NODE_HOLDS_ARRAY (custom)))
    return CAPI_EVENT_FORMAT_ATS;

  if (json_object_has_member (object, "event_type") &&
      !json_object_has_member (object, "event_name") &&
      user != NULL && JSON_NODE_HOLDS_OBJECT (user))
    return CAPI_EVENT_FORMAT_ATS;

  if (has_any_member (object, v3_markers))
    return CAPI_EVENT_FORMAT_V3_EVENT;

  for (guint i = 0; i < G_N_ELEMENTS (v2_map); i++)
    if (json_object_has_member (object, v2_map[i].v2))
      return CAPI_EVENT_FORMAT_V2;
  if (has_any_member (object, v2_markers))
    return CAPI_EVENT_FORMAT_V2;

  return CAPI_EVENT_FORMAT_UNKNOWN;
}

/* Builds one event from a source object.  format is the event's own
 * vocabulary (V3_EVENT, V2 or ATS) or UNKNOWN to detect it; doc_format is
 * what the event reports as its source. */
static CapiEvent *
event_from_object (JsonObject        *source,
                   CapiEventFormat    format,
                   CapiEventFormat    doc_format,
                   const char        *prefix,
                   const ReadContext *ctx,
                   GError           **error)
{
  g_autoptr(CapiEvent) self = NULL;

  if (format == CAPI_EVENT_FORMAT_UNKNOWN)
    format = detect_event_format (source);

  if (format == CAPI_EVENT_FORMAT_UNKNOWN)
    {
      g_autofree char *message = NULL;

      if (prefix != NULL && *prefix != '\0')
        message = g_strdup_printf (_("%s: not a Snap v3, v2 or ATS event (no event_name, "
                                     "event_type or event_time)"), prefix);
      else
        message = g_strdup (_("not a Snap v3, v2 or ATS event (no event_name, event_type "
                              "or event_time)"));
      set_error_at (error, ctx, CAPI_EVENT_ERROR_SHAPE, ctx->line, 0, message);
      return NULL;
    }

  self = capi_event_new ();
  g_free (self->path_prefix);
  self->path_prefix = g_strdup (prefix != NULL ? prefix : "");
  self->line = ctx->line;
  /* The vocabulary decides fallback path names, so an event inside a
   * JSON Lines document still names v2 keys as v2. */
  self->source_format = format;
  self->vocabulary = format;

  if (format == CAPI_EVENT_FORMAT_V2)
    {
      read_v2_event (self, source);
    }
  else if (format == CAPI_EVENT_FORMAT_ATS)
    {
      if (!read_ats_event (self, source, ctx, error))
        return NULL;
    }
  else
    {
      json_object_unref (self->object);
      self->object = deep_copy_object (source);
    }

  if (!validate_event (self, ctx, error))
    return NULL;

  if (doc_format != CAPI_EVENT_FORMAT_UNKNOWN)
    self->source_format = doc_format;

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------ */
/* Reading documents                                                          */

static gboolean
read_array (GPtrArray         *events,
            JsonArray         *array,
            CapiEventFormat    element_format,
            CapiEventFormat    doc_format,
            const char        *array_path,
            guint              index_base,
            const ReadContext *ctx,
            GError           **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("%s[%u]", array_path, index_base + i);
      CapiEvent *event;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_type_error (error, ctx, prefix, _("an object"), element);
          return FALSE;
        }

      event = event_from_object (json_node_get_object (element), element_format, doc_format,
                                 prefix, ctx, error);
      if (event == NULL)
        return FALSE;
      g_ptr_array_add (events, event);
    }

  return TRUE;
}

/* One parsed document (or one JSON Lines line).  prefix names the position
 * of a JSON Lines entry ("[3]") and is "" otherwise. */
static gboolean
read_root (GPtrArray         *events,
           JsonNode          *root,
           const char        *prefix,
           gboolean           jsonl,
           CapiEventFormat   *out_format,
           const ReadContext *ctx,
           GError           **error)
{
  CapiEventFormat doc_format;

  /* json-glib returns no root at all for text that is only a comment. */
  if (root == NULL)
    {
      set_error_at (error, ctx, CAPI_EVENT_ERROR_EMPTY, ctx->line, 0,
                    _("no JSON value, only white space or comments"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (root) && !jsonl)
    {
      JsonArray *array = json_node_get_array (root);

      if (json_array_get_length (array) == 0)
        {
          set_error_at (error, ctx, CAPI_EVENT_ERROR_SHAPE, ctx->line, 0,
                        _("the array holds no events"));
          return FALSE;
        }
      *out_format = CAPI_EVENT_FORMAT_V2;
      return read_array (events, array, CAPI_EVENT_FORMAT_UNKNOWN, CAPI_EVENT_FORMAT_V2,
                         "", 0, ctx, error);
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *message =
        g_strdup_printf (_("expected a JSON object with events, found %s"),
                         node_type_label (root));

      set_error_at (error, ctx, CAPI_EVENT_ERROR_SHAPE, ctx->line, 0, message);
      return FALSE;
    }

  {
    JsonObject *object = json_node_get_object (root);
    JsonNode *list = NULL;
    const char *list_name = NULL;
    CapiEventFormat element_format;

    if ((list = json_object_get_member (object, "data")) != NULL)
      {
        list_name = "data";
        doc_format = CAPI_EVENT_FORMAT_V3_BODY;
        element_format = CAPI_EVENT_FORMAT_V3_EVENT;
      }
    else if ((list = json_object_get_member (object, "events")) != NULL)
      {
        list_name = "events";
        doc_format = CAPI_EVENT_FORMAT_ATS;
        element_format = CAPI_EVENT_FORMAT_ATS;
      }

    if (list_name != NULL)
      {
        g_autofree char *path = join_path (prefix, list_name);

        if (!JSON_NODE_HOLDS_ARRAY (list))
          {
            set_type_error (error, ctx, path, _("an array"), list);
            return FALSE;
          }
        if (json_array_get_length (json_node_get_array (list)) == 0)
          {
            g_autofree char *message = g_strdup_printf (_("%s: the array holds no events"), path);

            set_error_at (error, ctx, CAPI_EVENT_ERROR_SHAPE, ctx->line, 0, message);
            return FALSE;
          }
        *out_format = jsonl ? CAPI_EVENT_FORMAT_JSONL : doc_format;
        return read_array (events, json_node_get_array (list), element_format, *out_format,
                           path, 0, ctx, error);
      }

    /* A single event object. */
    {
      CapiEventFormat format = detect_event_format (object);
      CapiEvent *event;

      if (jsonl)
        doc_format = CAPI_EVENT_FORMAT_JSONL;
      else
        doc_format = format == CAPI_EVENT_FORMAT_V3_EVENT ? CAPI_EVENT_FORMAT_V3_EVENT : format;

      event = event_from_object (object, format, doc_format, prefix, ctx, error);
      if (event == NULL)
        return FALSE;
      g_ptr_array_add (events, event);
      *out_format = doc_format;
      return TRUE;
    }
  }
}

static gboolean
is_blank (const char *p,
          const char *end)
{
  for (; p < end; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* A document is JSON Lines when its first non-blank line is a complete JSON
 * value on its own and another non-blank line follows.  (json-glib quietly
 * accepts several top-level values, so a whole-document parse cannot tell.) */
static gboolean
looks_like_jsonl (const char *data,
                  gsize       length)
{
  const char *end = data + length;
  const char *p = data;
  const char *first = NULL, *first_end = NULL;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;

      if (!is_blank (p, line_end))
        {
          if (first == NULL)
            {
              first = p;
              first_end = line_end;
            }
          else
            {
              g_autoptr(JsonParser) parser = json_parser_new_immutable ();
              JsonNode *root;

              if (!capi_json_parser_load (parser, first, first_end - first, NULL))
                return FALSE;
              root = json_parser_get_root (parser);
              return root != NULL && (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root));
            }
        }
      p = line_end + 1;
    }

  return FALSE;
}

static GPtrArray *
read_jsonl (const char        *data,
            gsize              length,
            const ReadContext *outer,
            GError           **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  const char *end = data + length;
  const char *p = data;
  ReadContext ctx = *outer;
  guint line = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *prefix = NULL;
      CapiEventFormat ignored;
      JsonNode *root;

      line++;
      if (is_blank (p, line_end))
        {
          p = line_end + 1;
          continue;
        }

      ctx.line = line;
      parser = json_parser_new_immutable ();
      if (!capi_json_parser_load (parser, p, line_end - p, &local_error))
        {
          set_syntax_error (error, &ctx, local_error, line - 1);
          return NULL;
        }

      root = json_parser_get_root (parser);
      prefix = g_strdup_printf ("[%u]", events->len);
      if (!read_root (events, root, prefix, TRUE, &ignored, &ctx, error))
        return NULL;

      p = line_end + 1;
    }

  return g_steal_pointer (&events);
}

static GPtrArray *
read_document (const char        *data,
               gsize              length,
               CapiEventFormat   *out_format,
               const ReadContext *ctx,
               GError           **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  CapiEventFormat format = CAPI_EVENT_FORMAT_UNKNOWN;
  const char *invalid = NULL;

  if (length > CAPI_EVENT_MAX_DOCUMENT_SIZE)
    {
      g_autofree char *size = g_format_size (length);
      g_autofree char *limit = g_format_size (CAPI_EVENT_MAX_DOCUMENT_SIZE);
      g_autofree char *message =
        g_strdup_printf (_("the document is too large (%s; the limit is %s)"), size, limit);

      set_error_at (error, ctx, CAPI_EVENT_ERROR_TOO_LARGE, 0, 0, message);
      return NULL;
    }

  /* A UTF-8 byte order mark is legal but tells nothing. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (is_blank (data, data + length))
    {
      set_error_at (error, ctx, CAPI_EVENT_ERROR_EMPTY, 0, 0, _("the document is empty"));
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      g_autofree char *message =
        g_strdup_printf (_("not valid UTF-8 (invalid byte at offset %zu)"),
                         (gsize) (invalid - data));

      set_error_at (error, ctx, CAPI_EVENT_ERROR_ENCODING, 0, 0, message);
      return NULL;
    }

  if (looks_like_jsonl (data, length))
    {
      events = read_jsonl (data, length, ctx, error);
      if (events == NULL)
        return NULL;
      if (out_format != NULL)
        *out_format = CAPI_EVENT_FORMAT_JSONL;
      return g_steal_pointer (&events);
    }

  parser = json_parser_new_immutable ();
  if (!capi_json_parser_load (parser, data, length, &local_error))
    {
      set_syntax_error (error, ctx, local_error, 0);
      return NULL;
    }

  events = g_ptr_array_new_with_free_func (g_object_unref);
  if (!read_root (events, json_parser_get_root (parser), "", FALSE, &format, ctx, error))
    return NULL;

  if (out_format != NULL)
    *out_format = format;

  return g_steal_pointer (&events);
}

static GPtrArray *
read_gfile (GFile            *file,
            const char       *display_name,
            CapiEventFormat  *out_format,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  ReadContext ctx = { display_name, 0 };

  /* Refuse a huge file before reading a byte of it. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;

  if (g_file_info_get_size (info) > CAPI_EVENT_MAX_DOCUMENT_SIZE)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *limit = g_format_size (CAPI_EVENT_MAX_DOCUMENT_SIZE);
      g_autofree char *message =
        g_strdup_printf (_("the file is too large (%s; the limit is %s)"), size, limit);

      set_error_at (error, &ctx, CAPI_EVENT_ERROR_TOO_LARGE, 0, 0, message);
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  return read_document (contents, length, out_format, &ctx, error);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                 */

CapiEvent *
capi_event_new (void)
{
  return g_object_new (CAPI_TYPE_EVENT, NULL);
}

/**
 * capi_event_new_from_object:
 * @object: a v3, v2 or ATS event object (not modified)
 *
 * Returns: (transfer full) (nullable): a new event, or %NULL with @error set
 */
CapiEvent *
capi_event_new_from_object (JsonObject  *object,
                            GError     **error)
{
  ReadContext ctx = { NULL, 0 };

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return event_from_object (object, CAPI_EVENT_FORMAT_UNKNOWN, CAPI_EVENT_FORMAT_UNKNOWN,
                            "", &ctx, error);
}

CapiEvent *
capi_event_copy (CapiEvent *self)
{
  CapiEvent *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);

  copy = capi_event_new ();
  json_object_unref (copy->object);
  copy->object = deep_copy_object (self->object);
  g_free (copy->path_prefix);
  copy->path_prefix = g_strdup (self->path_prefix);
  copy->source_format = self->source_format;
  copy->vocabulary = self->vocabulary;
  copy->line = self->line;

  g_hash_table_iter_init (&iter, self->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->names, g_strdup (key), g_strdup (value));

  return copy;
}

/**
 * capi_event_read_document:
 * @data: the document
 * @length: its length, or -1 when NUL-terminated
 * @out_format: (out) (optional): the shape that was detected
 *
 * Returns: (transfer full) (element-type CapiEvent): the events, or %NULL
 *   with @error set (CAPI_EVENT_ERROR)
 */
GPtrArray *
capi_event_read_document (const char       *data,
                          gssize            length,
                          CapiEventFormat  *out_format,
                          GError          **error)
{
  ReadContext ctx = { NULL, 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_format != NULL)
    *out_format = CAPI_EVENT_FORMAT_UNKNOWN;
  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);

  return read_document (data, length, out_format, &ctx, error);
}

/**
 * capi_event_read_file:
 *
 * Reads a file synchronously; errors start with @filename.  Files larger
 * than %CAPI_EVENT_MAX_DOCUMENT_SIZE are refused without being read.
 *
 * Returns: (transfer full) (element-type CapiEvent) (nullable):
 */
GPtrArray *
capi_event_read_file (const char       *filename,
                      CapiEventFormat  *out_format,
                      GError          **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_format != NULL)
    *out_format = CAPI_EVENT_FORMAT_UNKNOWN;

  file = g_file_new_for_path (filename);
  return read_gfile (file, filename, out_format, NULL, error);
}

typedef struct
{
  GFile           *file;
  GPtrArray       *events;
  CapiEventFormat  format;
} ReadTaskData;

static void
read_task_data_free (ReadTaskData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_free (data);
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReadTaskData *data = task_data;
  g_autofree char *name = g_file_get_parse_name (data->file);
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  events = read_gfile (data->file, name, &data->format, cancellable, &error);
  if (events == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, events, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * capi_event_read_file_async:
 *
 * Reads and parses @file in a worker thread.  The thread works on its own
 * copy of @file.
 */
void
capi_event_read_file_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadTaskData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_event_read_file_async);

  data = g_new0 (ReadTaskData, 1);
  data->file = g_file_dup (file);
  g_task_set_task_data (task, data, (GDestroyNotify) read_task_data_free);
  g_task_run_in_thread (task, read_file_thread);
}

GPtrArray *
capi_event_read_file_finish (GAsyncResult     *result,
                             CapiEventFormat  *out_format,
                             GError          **error)
{
  ReadTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capi_event_read_file_async,
                        NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_format != NULL)
    *out_format = g_task_had_error (G_TASK (result)) ? CAPI_EVENT_FORMAT_UNKNOWN : data->format;

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
capi_event_format_to_string (CapiEventFormat format)
{
  switch (format)
    {
    case CAPI_EVENT_FORMAT_V3_BODY:
      return "v3-body";
    case CAPI_EVENT_FORMAT_V3_EVENT:
      return "v3-event";
    case CAPI_EVENT_FORMAT_V2:
      return "v2";
    case CAPI_EVENT_FORMAT_ATS:
      return "ats";
    case CAPI_EVENT_FORMAT_JSONL:
      return "jsonl";
    case CAPI_EVENT_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

CapiEventFormat
capi_event_get_source_format (CapiEvent *self)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), CAPI_EVENT_FORMAT_UNKNOWN);

  return self->source_format;
}

const char *
capi_event_get_path_prefix (CapiEvent *self)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);

  return self->path_prefix;
}

guint
capi_event_get_line (CapiEvent *self)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), 0);

  return self->line;
}

/**
 * capi_event_dup_path:
 * @key: a dotted key ("user_data.em")
 * @index: an array index, or -1
 *
 * The path names the member as the source document did (v2's
 * "hashed_email", ATS's "event_type" or "custom_data[2].value").  An
 * index is added when the member is an array or absent; a member given as
 * a single value has no index to name, so none is added.
 *
 * Returns: (transfer full): the JSON path
 */
char *
capi_event_dup_path (CapiEvent  *self,
                     const char *key,
                     int         index)
{
  const char *name;
  char *path;
  JsonNode *node;

  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  name = g_hash_table_lookup (self->names, key);
  if (name == NULL)
    {
      name = static_source_name (self->vocabulary, key);
      if (self->vocabulary == CAPI_EVENT_FORMAT_V2 && name == key && strchr (key, '.') != NULL)
        {
          /* A v2 event is flat: an unmapped nested key keeps its leaf name. */
          name = strrchr (key, '.') + 1;
        }
    }

  path = join_path (self->path_prefix, name);
  if (index < 0)
    return path;

  node = object_lookup (self->object, key);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return path;

  {
    char *indexed = g_strdup_printf ("%s[%d]", path, index);

    g_free (path);
    return indexed;
  }
}

/**
 * capi_event_get_member:
 *
 * Returns: (transfer none) (nullable): the value of @key
 */
JsonNode *
capi_event_get_member (CapiEvent  *self,
                       const char *key)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return object_lookup (self->object, key);
}

gboolean
capi_event_has_member (CapiEvent  *self,
                       const char *key)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return object_lookup (self->object, key) != NULL;
}

/**
 * capi_event_set_member:
 * @value: (transfer none) (nullable): the new value, copied; %NULL removes
 *
 * Sets @key, creating user_data/custom_data/app_data as needed, and emits
 * "changed" when the value differs.
 */
void
capi_event_set_member (CapiEvent  *self,
                       const char *key,
                       JsonNode   *value)
{
  JsonNode *old;

  g_return_if_fail (CAPI_IS_EVENT (self));
  g_return_if_fail (key != NULL && *key != '\0');

  if (value == NULL)
    {
      capi_event_remove_member (self, key);
      return;
    }

  old = object_lookup (self->object, key);
  if (old != NULL && json_node_equal (old, value))
    return;

  set_mapped (self->object, key, deep_copy_node (value));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
capi_event_remove_member (CapiEvent  *self,
                          const char *key)
{
  g_autofree char *parent = NULL;
  const char *child;
  JsonNode *container;

  g_return_if_fail (CAPI_IS_EVENT (self));
  g_return_if_fail (key != NULL);

  parent = split_key (key, &child);
  if (child == NULL)
    {
      if (!json_object_has_member (self->object, parent))
        return;
      json_object_remove_member (self->object, parent);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }

  container = json_object_get_member (self->object, parent);
  if (container == NULL || !JSON_NODE_HOLDS_OBJECT (container) ||
      !json_object_has_member (json_node_get_object (container), child))
    return;

  json_object_remove_member (json_node_get_object (container), child);
  /* An emptied user_data or custom_data is not worth keeping. */
  if (json_object_get_size (json_node_get_object (container)) == 0)
    json_object_remove_member (self->object, parent);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * capi_event_dup_string:
 *
 * Returns: (transfer full) (nullable): the value as text; a number is
 *   formatted; %NULL for absent, null, objects and arrays
 */
char *
capi_event_dup_string (CapiEvent  *self,
                       const char *key)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return node_dup_text (object_lookup (self->object, key));
}

void
capi_event_set_string (CapiEvent  *self,
                       const char *key,
                       const char *value)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (CAPI_IS_EVENT (self));
  g_return_if_fail (key != NULL);

  if (value == NULL || *value == '\0')
    {
      capi_event_remove_member (self, key);
      return;
    }

  node = json_node_init_string (json_node_alloc (), value);
  capi_event_set_member (self, key, node);
}

/**
 * capi_event_dup_strv:
 *
 * Returns: (transfer full): every scalar value of @key, in order
 */
GStrv
capi_event_dup_strv (CapiEvent  *self,
                     const char *key)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;

  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  builder = g_strv_builder_new ();
  node = object_lookup (self->object, key);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *text = node_dup_text (json_array_get_element (array, i));

          if (text != NULL)
            g_strv_builder_add (builder, text);
          g_free (text);
        }
    }
  else if (node != NULL)
    {
      g_autofree char *text = node_dup_text (node);

      if (text != NULL)
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

void
capi_event_set_strv (CapiEvent          *self,
                     const char         *key,
                     const char * const *values)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  g_return_if_fail (CAPI_IS_EVENT (self));
  g_return_if_fail (key != NULL);

  if (values == NULL || values[0] == NULL)
    {
      capi_event_remove_member (self, key);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);

  capi_event_set_member (self, key, node);
}

/**
 * capi_event_to_object:
 *
 * Returns: (transfer full): a deep copy of the raw values
 */
JsonObject *
capi_event_to_object (CapiEvent *self)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);

  return deep_copy_object (self->object);
}

char *
capi_event_to_json (CapiEvent *self,
                    gboolean   pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, self->object);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

JsonObject *
capi_event_get_object (CapiEvent *self)
{
  g_return_val_if_fail (CAPI_IS_EVENT (self), NULL);

  return self->object;
}
