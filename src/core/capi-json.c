/* capi-json.c -- checks every untrusted JSON text passes before json-glib
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "capi-json.h"

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_structural (char c)
{
  return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == '"';
}

/* Reads the four hex digits of a \u escape at @s. */
static gboolean
read_hex4 (const char *s,
           const char *end,
           guint      *unit)
{
  *unit = 0;
  if (end - s < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (s[i]))
        return FALSE;
      *unit = (*unit << 4) | (guint) g_ascii_xdigit_value (s[i]);
    }
  return TRUE;
}

/* json-glib 1.6 reads strings with a copy of GScanner, which takes
 * escapes JSON does not have: "\777" is octal and gives the byte 0xFF,
 * "\q" gives "q", a lone "\ud800" is written out as invalid UTF-8, and
 * "\u0000" silently ends the string.  Whatever holds such a string could
 * not be written back as valid JSON.  @p is at a backslash inside a
 * string; returns NULL for an escape JSON allows, with @p moved to its
 * last character, or else what is wrong with it. */
static const char *
check_escape (const char **p,
              const char  *end)
{
  const char *s = *p + 1;
  guint unit, low;

  switch (*s)
    {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      *p = s;
      return NULL;

    case 'u':
      break;

    default:
      return _("invalid escape in a string");
    }

  if (!read_hex4 (s + 1, end, &unit))
    return _("invalid \\u escape in a string");
  if (unit == 0)
    return _("\\u0000 in a string");
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return _("unpaired surrogate in a string");
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      if (end - (s + 5) < 2 || s[5] != '\\' || s[6] != 'u' ||
          !read_hex4 (s + 7, end, &low) || low < 0xDC00 || low > 0xDFFF)
        return _("unpaired surrogate in a string");
      *p = s + 10;
      return NULL;
    }

  *p = s + 4;
  return NULL;
}

static void
set_parse_error (GError     **error,
                 guint        line,
                 guint        column,
                 const char  *message)
{
  /* The same shape as json-glib's messages, so callers that pick the
   * position out of them keep working. */
  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
               "<data>:%u:%u: %s: %s", line, column, _("Parse error"), message);
}

gboolean
capi_json_check_document (const char  *data,
                          gsize        length,
                          guint        max_depth,
                          GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  const char *line_start = data;
  guint line = 1;
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean ended = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* Find where the first value ends, tracking only what matters for that:
   * strings (brackets inside them do not count), nesting, and scalars. */
  for (; p < end && !ended; p++)
    {
      char c = *p;

      if (c == '\n')
        {
          line++;
          line_start = p + 1;
        }

      if (in_string)
        {
          if (c == '\\' && p + 1 < end)
            {
              const char *backslash = p;
              const char *wrong = check_escape (&p, end);

              if (wrong != NULL)
                {
                  set_parse_error (error, line, (guint) (backslash - line_start) + 1, wrong);
                  return FALSE;
                }
            }
          else if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '{':
        case '[':
          if (++depth > max_depth)
            {
              g_autofree char *message =
                g_strdup_printf (_("nested more than %u levels deep"), max_depth);

              set_parse_error (error, line, (guint) (p - line_start) + 1, message);
              return FALSE;
            }
          break;

        case '}':
        case ']':
          if (depth == 0)
            return TRUE;   /* a stray bracket: json-glib says what is wrong */
          ended = --depth == 0;
          break;

        default:
          if (depth == 0 && !is_space (c))
            {
              /* A scalar at the top: it runs to white space or structure. */
              while (p + 1 < end && !is_space (p[1]) && !is_structural (p[1]))
                p++;
              ended = TRUE;
            }
          break;
        }
    }

  if (!ended)
    return TRUE;   /* empty or unterminated: json-glib's own error is right */

  for (; p < end; p++)
    {
      if (*p == '\n')
        {
          line++;
          line_start = p + 1;
        }
      else if (!is_space (*p))
        {
          set_parse_error (error, line, (guint) (p - line_start) + 1,
                           _("unexpected content after the end of the JSON value"));
          return FALSE;
        }
    }

  return TRUE;
}

/* Appends to @path the first member whose number is not finite. */
static gboolean
find_non_finite (JsonNode *node,
                 GString  *path)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_DOUBLE &&
             !isfinite (json_node_get_double (node));

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          if (find_non_finite (json_array_get_element (array, i), path))
            {
              g_autofree char *step = g_strdup_printf ("[%u]", i);

              if (path->len > 0 && path->str[0] != '[')
                g_string_prepend_c (path, '.');
              g_string_prepend (path, step);
              return TRUE;
            }
        return FALSE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (find_non_finite (member, path))
            {
              if (path->len > 0 && path->str[0] != '[')
                g_string_prepend_c (path, '.');
              g_string_prepend (path, name);
              return TRUE;
            }
        return FALSE;
      }

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

gboolean
capi_json_check_numbers (JsonNode  *root,
                         GError   **error)
{
  g_autoptr(GString) path = g_string_new (NULL);

  if (root == NULL || !find_non_finite (root, path))
    return TRUE;

  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
               _("%s: the number is out of range"), path->len > 0 ? path->str : "$");
  return FALSE;
}

gboolean
capi_json_parser_load (JsonParser  *parser,
                       const char  *data,
                       gssize       length,
                       GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (length < 0)
    length = strlen (data);

  if (!capi_json_check_document (data, length, CAPI_JSON_MAX_DEPTH, error))
    return FALSE;

  if (!json_parser_load_from_data (parser, data, length, error))
    return FALSE;

  /* json-glib succeeds with no root for text that is only comments;
   * callers expect a value. */
  if (json_parser_get_root (parser) == NULL)
    {
      set_parse_error (error, 1, 1, _("no JSON value, only white space or comments"));
      return FALSE;
    }

  return capi_json_check_numbers (json_parser_get_root (parser), error);
}
