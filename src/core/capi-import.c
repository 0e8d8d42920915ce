/* capi-import.c -- readers for both sides of the pixel-vs-CAPI comparison
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything streams.  JSON Lines and CSV are read in blocks, line by line,
 * and large JSON Lines files are split at line boundaries between worker
 * threads.  A JSON document (HAR, a v3 body, a logs response) is mapped
 * and walked with a small scanner that finds each element of its big
 * array; only one element at a time becomes a json-glib tree.  Flat
 * objects (one event or row per line, the common case at scale) never
 * become a tree at all: the scanner picks the few keys the comparison
 * needs straight out of the text.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

#include "capi-import-private.h"
#include "capi-json.h"

G_DEFINE_QUARK (capi-import-error-quark, capi_import_error)

/* ------------------------------------------------------------------ */
/* Record store                                                        */

CapiRecordStore *
_capi_record_store_new (CapiConversionSide side)
{
  CapiRecordStore *store = g_new0 (CapiRecordStore, 1);

  store->side = side;
  store->records = g_array_new (FALSE, FALSE, sizeof (CapiRecord));
  store->strings = g_string_chunk_new (1 << 20);
  store->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify)g_string_chunk_free);
  g_ptr_array_add (store->chunks, store->strings);
  store->sources = g_ptr_array_new_with_free_func (g_free);
  store->problems = g_ptr_array_new_with_free_func (g_object_unref);

  return store;
}

void
_capi_record_store_free (CapiRecordStore *store)
{
  if (store == NULL)
    return;

  g_array_unref (store->records);
  g_ptr_array_unref (store->chunks);
  g_ptr_array_unref (store->sources);
  g_ptr_array_unref (store->problems);
  g_free (store);
}

void
_capi_record_store_absorb (CapiRecordStore *store,
                           CapiRecordStore *other)
{
  g_assert (store != other);

  /* Records point into other's chunks, so the chunks move along. */
  g_array_append_vals (store->records, other->records->data, other->records->len);
  g_array_set_size (other->records, 0);
  while (other->chunks->len > 0)
    g_ptr_array_add (store->chunks, g_ptr_array_steal_index (other->chunks, 0));
  other->strings = g_string_chunk_new (4096);
  g_ptr_array_add (other->chunks, other->strings);

  for (guint i = 0; i < other->problems->len; i++)
    if (store->problems->len < CAPI_IMPORT_MAX_PROBLEMS)
      g_ptr_array_add (store->problems, g_object_ref (g_ptr_array_index (other->problems, i)));
  store->n_problems += other->n_problems;
  g_ptr_array_set_size (other->problems, 0);
  other->n_problems = 0;
}

void
_capi_record_store_problem (CapiRecordStore *store,
                            const char      *source,
                            guint            line,
                            const char      *code,
                            const char      *message)
{
  store->n_problems++;
  if (store->problems->len < CAPI_IMPORT_MAX_PROBLEMS)
    {
      g_autofree char *path = g_strdup_printf ("%s:%u", source, line);
      CapiFinding *finding = capi_finding_new (CAPI_SEVERITY_ERROR, code, path, message);

      capi_finding_set_event_index (finding, (int)MIN (line, (guint)G_MAXINT));
      g_ptr_array_add (store->problems, finding);
    }
}

static guint32
store_add_source (CapiRecordStore *store,
                  const char      *source)
{
  g_ptr_array_add (store->sources, g_strdup (source));
  return store->sources->len - 1;
}

CapiConversion *
_capi_record_to_conversion (CapiRecordStore  *store,
                            const CapiRecord *record)
{
  CapiConversion *conversion = capi_conversion_new (store->side,
                                                    record->pixel_id,
                                                    record->event_name,
                                                    record->dedup_id,
                                                    record->transaction_id,
                                                    record->time);

  capi_conversion_set_location (conversion,
                                record->source < store->sources->len
                                  ? g_ptr_array_index (store->sources, record->source)
                                  : NULL,
                                record->line);
  if (record->extra != NULL)
    {
      /* Unmapped members as the input gave them: untrusted text, so the
       * strict parser (a number too large for a double would otherwise
       * become infinity, and "inf" in a report). */
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (capi_json_parser_load (parser, record->extra, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        capi_conversion_set_extra (conversion, json_node_get_object (json_parser_get_root (parser)));
    }

  return conversion;
}

/* ------------------------------------------------------------------ */
/* Times                                                               */

/* 0001-01-01 and 9999-12-31T23:59:59Z: the range GDateTime can show. */
#define MIN_UNIX_SECONDS G_GINT64_CONSTANT (-62135596800)
#define MAX_UNIX_SECONDS G_GINT64_CONSTANT (253402300799)

gboolean
_capi_import_parse_time (const char *text,
                         gsize       length,
                         gint64     *out_seconds)
{
  char buf[64];
  gboolean numeric = TRUE;
  gsize i;

  while (length > 0 && g_ascii_isspace (*text))
    text++, length--;
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  if (length == 0 || length >= sizeof buf)
    return FALSE;
  memcpy (buf, text, length);
  buf[length] = '\0';

  for (i = 0; i < length; i++)
    if (!g_ascii_isdigit (buf[i]) && buf[i] != '.' && !(i == 0 && buf[i] == '-'))
      numeric = FALSE;

  /* Plain integers (the common case) without strtod. */
  if (numeric && length <= 18 && strchr (buf, '.') == NULL && buf[0] != '-')
    {
      gint64 value = 0;

      for (i = 0; i < length; i++)
        value = value * 10 + (buf[i] - '0');
      value = value >= G_GINT64_CONSTANT (100000000000) ? value / 1000 : value;
      /* A time GDateTime cannot show (after 9999) is no time at all. */
      if (value > MAX_UNIX_SECONDS)
        return FALSE;
      *out_seconds = value;
      return TRUE;
    }

  if (numeric)
    {
      char *end = NULL;
      double value = g_ascii_strtod (buf, &end);

      if (end == buf || *end != '\0')
        return FALSE;
      /* Snap's own examples use seconds; v2 and the pixel use milliseconds.
       * Nothing after the year 5138 is a plausible second count, and no
       * millisecond count since 1973 is below 1e11. */
      if (value >= 1e11 || value <= -1e11)
        value /= 1000.0;
      /* Also keeps the cast below defined for 1e300. */
      if (!(value >= MIN_UNIX_SECONDS && value <= MAX_UNIX_SECONDS))
        return FALSE;
      *out_seconds = (gint64)(value >= 0 ? value : value - 0.999999);
      return TRUE;
    }
  else
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (buf, utc);

      /* A date-time written with a space instead of "T" is common in logs. */
      if (dt == NULL && length > 10 && buf[10] == ' ')
        {
          buf[10] = 'T';
          dt = g_date_time_new_from_iso8601 (buf, utc);
        }
      if (dt == NULL)
        return FALSE;
      *out_seconds = g_date_time_to_unix (dt);
      return TRUE;
    }
}

static gboolean
parse_time_node (JsonNode *node,
                 gint64   *out_seconds)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        return _capi_import_parse_time (s, strlen (s), out_seconds);
      }
    case G_TYPE_INT64:
      {
        char buf[32];
        g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
        return _capi_import_parse_time (buf, strlen (buf), out_seconds);
      }
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd (buf, sizeof buf, "%.3f", json_node_get_double (node));
        return _capi_import_parse_time (buf, strlen (buf), out_seconds);
      }
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* A minimal JSON scanner: finds the extent of values without building   */
/* anything.                                                             */

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static inline void
skip_ws (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
    c->p++;
}

/* At a '"': moves past the closing quote; (s, n) is the raw content. */
static inline gboolean
scan_string (Cursor      *c,
             const char **s,
             gsize       *n,
             gboolean    *escaped)
{
  const char *q = c->p + 1;

  *escaped = FALSE;
  for (;;)
    {
      const char *hit = memchr (q, '"', c->end - q);
      const char *b;

      if (hit == NULL)
        {
          c->p = c->end;   /* unterminated: the text ends inside the string */
          return FALSE;
        }
      /* The quote ends the string unless an odd run of backslashes precedes it. */
      for (b = hit; b > q && b[-1] == '\\'; b--)
        ;
      if (((hit - b) & 1) == 0)
        {
          *s = c->p + 1;
          *n = hit - (c->p + 1);
          if (!*escaped)
            *escaped = memchr (*s, '\\', *n) != NULL;
          c->p = hit + 1;
          return TRUE;
        }
      *escaped = TRUE;
      q = hit + 1;
    }
}

static gboolean
skip_value (Cursor *c,
            int     depth)
{
  const char *s;
  gsize n;
  gboolean esc;

  if (depth > 64)
    return FALSE;
  skip_ws (c);
  if (c->p >= c->end)
    return FALSE;

  switch (*c->p)
    {
    case '"':
      return scan_string (c, &s, &n, &esc);

    case '{':
    case '[':
      {
        char close = *c->p == '{' ? '}' : ']';
        gboolean object = close == '}';

        c->p++;
        skip_ws (c);
        if (c->p < c->end && *c->p == close)
          {
            c->p++;
            return TRUE;
          }
        for (;;)
          {
            skip_ws (c);
            if (object)
              {
                if (c->p >= c->end || *c->p != '"' || !scan_string (c, &s, &n, &esc))
                  return FALSE;
                skip_ws (c);
                if (c->p >= c->end || *c->p != ':')
                  return FALSE;
                c->p++;
              }
            if (!skip_value (c, depth + 1))
              return FALSE;
            skip_ws (c);
            if (c->p >= c->end)
              return FALSE;
            if (*c->p == ',')
              {
                c->p++;
                continue;
              }
            if (*c->p == close)
              {
                c->p++;
                return TRUE;
              }
            return FALSE;
          }
      }

    case 't':
      if (c->end - c->p >= 4 && memcmp (c->p, "true", 4) == 0)
        return c->p += 4, TRUE;
      return FALSE;

    case 'f':
      if (c->end - c->p >= 5 && memcmp (c->p, "false", 5) == 0)
        return c->p += 5, TRUE;
      return FALSE;

    case 'n':
      if (c->end - c->p >= 4 && memcmp (c->p, "null", 4) == 0)
        return c->p += 4, TRUE;
      return FALSE;

    default:
      if (*c->p == '-' || g_ascii_isdigit (*c->p))
        {
          const char *start = c->p;

          while (c->p < c->end && (g_ascii_isdigit (*c->p) || *c->p == '-' || *c->p == '+' ||
                                   *c->p == '.' || *c->p == 'e' || *c->p == 'E'))
            c->p++;
          return c->p > start;
        }
      return FALSE;
    }
}

/* The four hex digits at @s (which has at least 4 bytes), or -1.  Not
 * g_ascii_strtoull: it would take fewer digits, a sign or white space. */
static int
hex4 (const char *s)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (s[i]))
        return -1;
      value = (value << 4) | g_ascii_xdigit_value (s[i]);
    }
  return value;
}

/* Decodes the \uXXXX escape at @s (at the 'u', with at least 5 bytes to
 * @end), with the low half of a surrogate pair that follows it; returns
 * the bytes it used.  An unpaired surrogate would be written out as
 * invalid UTF-8 and U+0000 would cut the string short: both read as
 * U+FFFD, whose 3 bytes are never more than the escape's 6.  Without
 * four hex digits it is no \u escape: it reads as "u", like any other
 * unknown escape, and uses only the 'u', so that what follows (which
 * may be a multi-byte character) is copied whole. */
static gsize
decode_u_escape (const char *s,
                 const char *end,
                 gunichar   *out)
{
  int value = hex4 (s + 1);
  gunichar ch;
  gsize used = 5;

  if (value < 0)
    {
      *out = 'u';
      return 1;
    }
  ch = (gunichar) value;
  if (ch >= 0xD800 && ch < 0xDC00 && end - (s + 5) >= 6 && s[5] == '\\' && s[6] == 'u')
    {
      int low = hex4 (s + 7);

      if (low >= 0xDC00 && low < 0xE000)
        {
          ch = 0x10000 + ((ch - 0xD800) << 10) + ((gunichar) low - 0xDC00);
          used += 6;
        }
    }
  if (ch == 0 || (ch >= 0xD800 && ch < 0xE000))
    ch = 0xFFFD;

  *out = ch;
  return used;
}

/* Decodes JSON string escapes into @out (which must hold @n bytes + 1). */
static gsize
unescape (const char *s,
          gsize       n,
          char       *out)
{
  const char *end = s + n;
  char *o = out;

  while (s < end)
    {
      if (*s != '\\' || s + 1 >= end)
        {
          *o++ = *s++;
          continue;
        }
      s++;
      switch (*s)
        {
        case 'b': *o++ = '\b'; s++; break;
        case 'f': *o++ = '\f'; s++; break;
        case 'n': *o++ = '\n'; s++; break;
        case 'r': *o++ = '\r'; s++; break;
        case 't': *o++ = '\t'; s++; break;
        case 'u':
          if (end - s >= 5)
            {
              gunichar ch;

              s += decode_u_escape (s, end, &ch);
              /* Never longer than the 6 or 12 escape bytes it replaces. */
              o += g_unichar_to_utf8 (ch, o);
            }
          else
            s = end;
          break;
        default:
          *o++ = *s++;
          break;
        }
    }
  *o = '\0';

  return o - out;
}

/* ------------------------------------------------------------------ */
/* Field aliases                                                       */

typedef enum
{
  FIELD_NONE = -1,
  FIELD_PIXEL = 0,
  FIELD_EVENT,
  FIELD_DEDUP,
  FIELD_TRANSACTION,
  FIELD_TIME,
  N_FIELDS,
  /* CAPI only: objects the scanner looks into, and lines it leaves to json-glib */
  FIELD_CUSTOM_DATA,
  FIELD_NESTED,
  FIELD_SKIP,
} Field;

typedef struct
{
  const char *key;
  Field       field;
  gsize       len;
} Alias;

#define ALIAS(k, f) { k, f, sizeof (k) - 1 }

/* The pixel's wire keys are not documented; these are the aliases seen in
 * the field (spec §4), plus the column names of our own row format. */
static const Alias pixel_aliases[] = {
  ALIAS ("pixel_id", FIELD_PIXEL),
  ALIAS ("pid", FIELD_PIXEL),
  ALIAS ("event_name", FIELD_EVENT),
  ALIAS ("ev", FIELD_EVENT),
  ALIAS ("event", FIELD_EVENT),
  ALIAS ("dedup_id", FIELD_DEDUP),
  ALIAS ("client_dedup_id", FIELD_DEDUP),
  ALIAS ("cdid", FIELD_DEDUP),
  ALIAS ("transaction_id", FIELD_TRANSACTION),
  ALIAS ("e_tid", FIELD_TRANSACTION),
  ALIAS ("time", FIELD_TIME),
  ALIAS ("ts", FIELD_TIME),
  ALIAS ("timestamp", FIELD_TIME),
  { NULL, FIELD_NONE, 0 },
};

/* v3 and ATS event keys, and the v2 names (spec §2: client_dedup_id is
 * v2's event_id, timestamp its event_time in milliseconds). */
static const Alias capi_aliases[] = {
  ALIAS ("pixel_id", FIELD_PIXEL),
  ALIAS ("asset_id", FIELD_PIXEL),
  ALIAS ("event_name", FIELD_EVENT),
  ALIAS ("event_type", FIELD_EVENT),
  ALIAS ("event_id", FIELD_DEDUP),
  ALIAS ("client_dedup_id", FIELD_DEDUP),
  ALIAS ("transaction_id", FIELD_TRANSACTION),
  ALIAS ("event_time", FIELD_TIME),
  ALIAS ("timestamp", FIELD_TIME),
  ALIAS ("custom_data", FIELD_CUSTOM_DATA),
  /* Containers: a body, a history line or a logs response, not an event. */
  ALIAS ("data", FIELD_NESTED),
  ALIAS ("events", FIELD_NESTED),
  ALIAS ("logs", FIELD_NESTED),
  ALIAS ("request", FIELD_NESTED),
  ALIAS ("body", FIELD_NESTED),
  ALIAS ("event_metadata", FIELD_NESTED),
  { NULL, FIELD_NONE, 0 },
};

/* Identity parameters the pixel may carry in clear text: never kept. */
static gboolean
is_identity_key (const char *key,
                 gsize       n)
{
  static const char *const keys[] = {
    "user_email", "user_phone_number", "email", "phone", "em", "ph", "fn", "ln", NULL,
  };

  for (guint i = 0; keys[i] != NULL; i++)
    if (strlen (keys[i]) == n && memcmp (keys[i], key, n) == 0)
      return TRUE;
  return FALSE;
}

static Field
lookup_alias (const Alias *table,
              const char  *key,
              gsize        n)
{
  for (guint i = 0; table[i].key != NULL; i++)
    if (table[i].len == n && memcmp (table[i].key, key, n) == 0)
      return table[i].field;
  return FIELD_NONE;
}

/* ------------------------------------------------------------------ */
/* Building records                                                    */

typedef struct
{
  const char *s;
  gsize       n;
  gboolean    escaped;
  gboolean    string;   /* FALSE: a number or literal */
  gboolean    set;
} Span;

/* Per-reader state: the store, plus where we are. */
typedef struct
{
  CapiRecordStore *store;
  const char      *source;
  guint32          source_index;
  const char      *default_pixel;
  GString         *scratch;
  guint            n_good;
  /* The few pixel ids and event names repeat on every line: remember the
   * interned copies instead of hashing them again each time. */
  struct { gsize n; const char *s; } recent[16];
  guint            n_recent;
  gboolean         mapped;   /* the text is a read-only file mapping */
} Reader;

static const char *
intern_span (Reader     *r,
             const Span *span,
             gboolean    constant)
{
  char stack[256];
  char *buf = stack;
  g_autofree char *heap = NULL;
  gsize n;

  if (!span->set || span->n == 0)
    return NULL;
  if (!span->string && span->n == 4 && memcmp (span->s, "null", 4) == 0)
    return NULL;

  if (span->n + 1 > sizeof stack)
    buf = heap = g_malloc (span->n + 1);
  if (span->escaped)
    n = unescape (span->s, span->n, buf);
  else
    {
      memcpy (buf, span->s, span->n);
      buf[span->n] = '\0';
      n = span->n;
    }
  if (n == 0)
    return NULL;

  if (!constant)
    return g_string_chunk_insert_len (r->store->strings, buf, n);

  /* Pixel ids and event names repeat: interning keeps one copy each. */
  for (guint i = 0; i < MIN (r->n_recent, G_N_ELEMENTS (r->recent)); i++)
    if (r->recent[i].n == n && memcmp (r->recent[i].s, buf, n) == 0)
      return r->recent[i].s;
  {
    const char *interned = g_string_chunk_insert_const (r->store->strings, buf);
    guint slot = r->n_recent++ % G_N_ELEMENTS (r->recent);

    r->recent[slot].n = n;
    r->recent[slot].s = interned;
    return interned;
  }
}

static void
reader_problem (Reader     *r,
                guint       line,
                const char *code,
                const char *message)
{
  _capi_record_store_problem (r->store, r->source, line, code, message);
}

/* Adds a record from the spans of the five fields. */
static gboolean
add_record_from_spans (Reader     *r,
                       Span       *fields,
                       const char *extra,
                       guint       line)
{
  CapiRecord rec = { 0 };

  rec.event_name = intern_span (r, &fields[FIELD_EVENT], TRUE);
  if (rec.event_name == NULL)
    {
      reader_problem (r, line, "import-shape", _("No event name"));
      return FALSE;
    }
  rec.pixel_id = intern_span (r, &fields[FIELD_PIXEL], TRUE);
  if (rec.pixel_id == NULL && r->default_pixel != NULL)
    rec.pixel_id = g_string_chunk_insert_const (r->store->strings, r->default_pixel);
  rec.dedup_id = intern_span (r, &fields[FIELD_DEDUP], FALSE);
  rec.transaction_id = intern_span (r, &fields[FIELD_TRANSACTION], FALSE);
  rec.id_hash = _capi_import_hash (rec.dedup_id);
  rec.time = CAPI_CONVERSION_TIME_UNKNOWN;
  if (fields[FIELD_TIME].set && fields[FIELD_TIME].n > 0 &&
      !(!fields[FIELD_TIME].string && fields[FIELD_TIME].n == 4 &&
        memcmp (fields[FIELD_TIME].s, "null", 4) == 0))
    {
      char buf[64];
      gsize n = MIN (fields[FIELD_TIME].n, sizeof buf - 1);

      memcpy (buf, fields[FIELD_TIME].s, n);
      buf[n] = '\0';
      if (!_capi_import_parse_time (buf, n, &rec.time))
        {
          g_autofree char *msg = g_strdup_printf (_("“%s” is not a time (seconds, milliseconds or ISO 8601)"),
                                                  buf);
          reader_problem (r, line, "import-time", msg);
          return FALSE;
        }
    }
  rec.extra = extra ? g_string_chunk_insert (r->store->strings, extra) : NULL;
  rec.line = line;
  rec.source = r->source_index;
  g_array_append_val (r->store->records, rec);
  r->n_good++;

  return TRUE;
}

typedef enum
{
  FLAT_OK,
  FLAT_FALLBACK,   /* valid maybe, but not a flat event: use json-glib */
  FLAT_SYNTAX,
} FlatResult;

/* Scans one flat object (an event or row) at c->p; fills @fields.
 * On the CAPI side, custom_data.order_id is picked too. */
static FlatResult
scan_flat (Reader  *r,
           Cursor  *c,
           Span    *fields,
           GString *extra)
{
  const Alias *aliases = r->store->side == CAPI_CONVERSION_SIDE_CAPI ? capi_aliases : pixel_aliases;

  skip_ws (c);
  if (c->p >= c->end || *c->p != '{')
    return (c->p < c->end && *c->p == '[') ? FLAT_FALLBACK : FLAT_SYNTAX;
  c->p++;
  skip_ws (c);
  if (c->p < c->end && *c->p == '}')
    {
      c->p++;
      return FLAT_OK;
    }

  for (;;)
    {
      const char *key, *key_start, *value_start;
      gsize key_n;
      gboolean esc;
      Field field;

      skip_ws (c);
      key_start = c->p;
      if (c->p >= c->end || *c->p != '"' || !scan_string (c, &key, &key_n, &esc))
        return FLAT_SYNTAX;
      skip_ws (c);
      if (c->p >= c->end || *c->p != ':')
        return FLAT_SYNTAX;
      c->p++;
      skip_ws (c);
      if (c->p >= c->end)
        return FLAT_SYNTAX;
      value_start = c->p;

      field = esc ? FIELD_NONE : lookup_alias (aliases, key, key_n);
      if (field == FIELD_NESTED)
        return FLAT_FALLBACK;
      if (field == FIELD_CUSTOM_DATA)
        {
          Cursor inner;

          if (*c->p == '[')       /* ATS: [{"key": K, "value": V}] */
            return FLAT_FALLBACK;
          if (*c->p == '{')
            {
              /* Only order_id matters in custom_data. */
              inner.p = c->p + 1;
              inner.end = c->end;
              skip_ws (&inner);
              if (inner.p < inner.end && *inner.p == '}')
                inner.p++;
              else
                for (;;)
                  {
                    const char *k;
                    gsize kn;
                    gboolean kesc;

                    skip_ws (&inner);
                    if (inner.p >= inner.end || *inner.p != '"' ||
                        !scan_string (&inner, &k, &kn, &kesc))
                      return FLAT_SYNTAX;
                    skip_ws (&inner);
                    if (inner.p >= inner.end || *inner.p != ':')
                      return FLAT_SYNTAX;
                    inner.p++;
                    skip_ws (&inner);
                    if (kn == 8 && memcmp (k, "order_id", 8) == 0 && inner.p < inner.end &&
                        *inner.p == '"')
                      {
                        Span *sp = &fields[FIELD_TRANSACTION];

                        if (!scan_string (&inner, &sp->s, &sp->n, &sp->escaped))
                          return FLAT_SYNTAX;
                        sp->string = TRUE;
                        sp->set = TRUE;
                      }
                    else
                      {
                        const char *vs = inner.p;

                        if (!skip_value (&inner, 1))
                          return FLAT_SYNTAX;
                        if (kn == 8 && memcmp (k, "order_id", 8) == 0)
                          {
                            Span *sp = &fields[FIELD_TRANSACTION];

                            sp->s = vs;
                            sp->n = inner.p - vs;
                            sp->string = FALSE;
                            sp->escaped = FALSE;
                            sp->set = TRUE;
                          }
                      }
                    skip_ws (&inner);
                    if (inner.p < inner.end && *inner.p == ',')
                      {
                        inner.p++;
                        continue;
                      }
                    if (inner.p < inner.end && *inner.p == '}')
                      {
                        inner.p++;
                        break;
                      }
                    return FLAT_SYNTAX;
                  }
              c->p = inner.p;
            }
          else if (!skip_value (c, 1))
            return FLAT_SYNTAX;
        }
      else if (field >= 0 && field < N_FIELDS)
        {
          Span *sp = &fields[field];

          if (*c->p == '"')
            {
              /* The first alias given wins (custom_data.order_id always
               * does, over a v2 transaction_id). */
              if (sp->set)
                {
                  if (!skip_value (c, 1))
                    return FLAT_SYNTAX;
                }
              else
                {
                  if (!scan_string (c, &sp->s, &sp->n, &sp->escaped))
                    return FLAT_SYNTAX;
                  sp->string = TRUE;
                  sp->set = TRUE;
                }
            }
          else if (*c->p == '{' || *c->p == '[')
            return FLAT_FALLBACK;
          else
            {
              if (!skip_value (c, 1))
                return FLAT_SYNTAX;
              /* null counts as absent, so a later alias may still fill it. */
              if (!sp->set && !(c->p - value_start == 4 && memcmp (value_start, "null", 4) == 0))
                {
                  sp->s = value_start;
                  sp->n = c->p - value_start;
                  sp->string = FALSE;
                  sp->escaped = FALSE;
                  sp->set = TRUE;
                }
            }
        }
      else
        {
          if (!skip_value (c, 1))
            return FLAT_SYNTAX;
          /* The pixel side keeps what it does not understand, as given. */
          if (extra != NULL && !esc && !is_identity_key (key, key_n))
            {
              g_string_append_c (extra, extra->len == 0 ? '{' : ',');
              g_string_append_len (extra, key_start, c->p - key_start);
            }
        }

      skip_ws (c);
      if (c->p >= c->end)
        return FLAT_SYNTAX;
      if (*c->p == ',')
        {
          c->p++;
          continue;
        }
      if (*c->p == '}')
        {
          c->p++;
          return FLAT_OK;
        }
      return FLAT_SYNTAX;
    }
}

/* ------------------------------------------------------------------ */
/* json-glib fallback for nested shapes                                */

static const char *
node_dup_scalar (Reader   *r,
                 JsonNode *node,
                 gboolean  constant)
{
  char buf[64];
  const char *s = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      s = json_node_get_string (node);
      break;
    case G_TYPE_INT64:
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
      s = buf;
      break;
    case G_TYPE_DOUBLE:
      g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
      s = buf;
      break;
    default:
      return NULL;
    }
  if (s == NULL || *s == '\0')
    return NULL;

  return constant ? g_string_chunk_insert_const (r->store->strings, s)
                  : g_string_chunk_insert (r->store->strings, s);
}

static JsonNode *
object_get_alias (JsonObject  *object,
                  const Alias *aliases,
                  Field        field)
{
  for (guint i = 0; aliases[i].key != NULL; i++)
    if (aliases[i].field == field && json_object_has_member (object, aliases[i].key))
      {
        JsonNode *node = json_object_get_member (object, aliases[i].key);

        if (!JSON_NODE_HOLDS_NULL (node))
          return node;
      }
  return NULL;
}

/* Builds a record from a json-glib object whose keys go through @aliases.
 * @extra_from collects unmapped keys (pixel side). */
static gboolean
add_record_from_object (Reader      *r,
                        JsonObject  *object,
                        const Alias *aliases,
                        const char  *context_pixel,
                        JsonObject  *custom_data_object,
                        JsonNode    *order_id,
                        guint        line)
{
  CapiRecord rec = { 0 };
  JsonNode *time_node;

  rec.event_name = node_dup_scalar (r, object_get_alias (object, aliases, FIELD_EVENT), TRUE);
  if (rec.event_name == NULL)
    {
      reader_problem (r, line, "import-shape", _("No event name"));
      return FALSE;
    }
  rec.pixel_id = node_dup_scalar (r, object_get_alias (object, aliases, FIELD_PIXEL), TRUE);
  if (rec.pixel_id == NULL && context_pixel != NULL)
    rec.pixel_id = g_string_chunk_insert_const (r->store->strings, context_pixel);
  if (rec.pixel_id == NULL && r->default_pixel != NULL)
    rec.pixel_id = g_string_chunk_insert_const (r->store->strings, r->default_pixel);
  rec.dedup_id = node_dup_scalar (r, object_get_alias (object, aliases, FIELD_DEDUP), FALSE);
  if (order_id != NULL)
    rec.transaction_id = node_dup_scalar (r, order_id, FALSE);
  if (rec.transaction_id == NULL && custom_data_object != NULL &&
      json_object_has_member (custom_data_object, "order_id"))
    rec.transaction_id = node_dup_scalar (r, json_object_get_member (custom_data_object, "order_id"),
                                          FALSE);
  if (rec.transaction_id == NULL)
    rec.transaction_id = node_dup_scalar (r, object_get_alias (object, aliases, FIELD_TRANSACTION),
                                          FALSE);

  rec.time = CAPI_CONVERSION_TIME_UNKNOWN;
  time_node = object_get_alias (object, aliases, FIELD_TIME);
  if (time_node != NULL && !parse_time_node (time_node, &rec.time))
    {
      reader_problem (r, line, "import-time",
                      _("The time is not seconds, milliseconds or ISO 8601"));
      return FALSE;
    }

  if (aliases == pixel_aliases)
    {
      g_autoptr(JsonObject) extra = json_object_new ();
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        if (lookup_alias (pixel_aliases, key, strlen (key)) == FIELD_NONE &&
            !is_identity_key (key, strlen (key)))
          json_object_set_member (extra, key, json_node_copy (value));
      if (json_object_get_size (extra) > 0)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);
          g_autofree char *text = json_to_string (node, FALSE);

          rec.extra = g_string_chunk_insert (r->store->strings, text);
        }
    }

  rec.id_hash = _capi_import_hash (rec.dedup_id);
  rec.line = line;
  rec.source = r->source_index;
  g_array_append_val (r->store->records, rec);
  r->n_good++;

  return TRUE;
}

/* Members of untrusted trees.  json-glib's *_member_with_default ()
 * accessors only cope with a missing or null member: an object or an
 * array there is a critical (which the fuzzers abort on), and the string
 * one returns NULL, not the default, for a number or a boolean.  These
 * give @fallback for anything but a value of the right type. */
static const char *
member_string (JsonObject *object,
               const char *name,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;

  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      /* json_node_get_int () would cast any double, which is undefined
       * out of range; capi_json_parser_load has ruled out infinity. */
      double d = json_node_get_double (node);

      if (d > -9.2e18 && d < 9.2e18)
        return (gint64) d;
    }

  return fallback;
}

/* A JSON text found inside a value (a HAR request body, a logs "payload"
 * string) is untrusted like any other: it goes through
 * capi_json_parser_load, never json_from_string.  json-glib 1.6 takes
 * "null{...}" or "{...}{...}" as several top-level values and leaks every
 * tree but the root it keeps; it also recurses once per level.  Returns
 * NULL when the text is not exactly one JSON value. */
static JsonNode *
parse_embedded_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!capi_json_parser_load (parser, text, -1, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

static const char *
pixel_from_url (const char *url,
                char       *buf,
                gsize       size)
{
  /* Snap's v3 path names the pixel: /v3/{asset_id}/events[/validate] */
  const char *v3 = url ? strstr (url, "/v3/") : NULL;
  const char *end;

  if (v3 == NULL)
    return NULL;
  v3 += 4;
  end = strchr (v3, '/');
  if (end == NULL || end == v3 || (gsize)(end - v3) >= size)
    return NULL;
  memcpy (buf, v3, end - v3);
  buf[end - v3] = '\0';

  return buf;
}

static void walk_capi (Reader *r, JsonNode *node, const char *context_pixel, guint line, int depth);

static void
walk_capi_object (Reader     *r,
                  JsonObject *object,
                  const char *context_pixel,
                  guint       line,
                  int         depth)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  char pixel_buf[128];

  if (json_object_has_member (object, "event_name") || json_object_has_member (object, "event_type"))
    {
      JsonNode *cd = json_object_get_member (object, "custom_data");
      JsonObject *cd_object = NULL;
      JsonNode *order_id = NULL;
      JsonNode *meta = json_object_get_member (object, "event_metadata");

      if (cd != NULL && JSON_NODE_HOLDS_OBJECT (cd))
        cd_object = json_node_get_object (cd);
      else if (cd != NULL && JSON_NODE_HOLDS_ARRAY (cd))
        {
          /* ATS writes custom data as [{"key": K, "value": V}, ...]. */
          JsonArray *array = json_node_get_array (cd);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *el = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (el) &&
                  g_strcmp0 (member_string (json_node_get_object (el), "key", NULL), "order_id") == 0)
                order_id = json_object_get_member (json_node_get_object (el), "value");
            }
        }

      /* A logs response may keep the event's ids in event_metadata. */
      if (meta != NULL && JSON_NODE_HOLDS_OBJECT (meta) &&
          !json_object_has_member (object, "event_id"))
        {
          JsonObject *m = json_node_get_object (meta);

          if (json_object_has_member (m, "event_id"))
            json_object_set_member (object, "event_id",
                                    json_node_copy (json_object_get_member (m, "event_id")));
          if (order_id == NULL && cd_object == NULL && json_object_has_member (m, "order_id"))
            order_id = json_object_get_member (m, "order_id");
        }

      add_record_from_object (r, object, capi_aliases, context_pixel, cd_object, order_id, line);
      return;
    }

  /* A history line or request record: its URL names the pixel. */
  if (json_object_has_member (object, "url"))
    {
      JsonNode *url = json_object_get_member (object, "url");

      if (JSON_NODE_HOLDS_VALUE (url) && json_node_get_value_type (url) == G_TYPE_STRING)
        {
          const char *p = pixel_from_url (json_node_get_string (url), pixel_buf, sizeof pixel_buf);

          if (p != NULL)
            context_pixel = p;
        }
    }
  if (json_object_has_member (object, "asset_id") && context_pixel == NULL)
    {
      JsonNode *a = json_object_get_member (object, "asset_id");

      if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING)
        {
          g_strlcpy (pixel_buf, json_node_get_string (a), sizeof pixel_buf);
          context_pixel = pixel_buf;
        }
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      /* What Snap answered is not what the server sent. */
      if (g_str_has_prefix (key, "response") || g_str_equal (key, "headers"))
        continue;
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (value);

          while (g_ascii_isspace (*text))
            text++;
          if ((*text == '{' || *text == '[') &&
              (g_str_equal (key, "body") || g_str_has_suffix (key, "_body") ||
               g_str_equal (key, "payload") || g_str_equal (key, "data")))
            {
              g_autoptr(JsonNode) inner = parse_embedded_json (text);

              if (inner != NULL)
                walk_capi (r, inner, context_pixel, line, depth + 1);
            }
        }
      else if (!JSON_NODE_HOLDS_VALUE (value) && !JSON_NODE_HOLDS_NULL (value))
        walk_capi (r, value, context_pixel, line, depth + 1);
    }
}

static void
walk_capi (Reader     *r,
           JsonNode   *node,
           const char *context_pixel,
           guint       line,
           int         depth)
{
  if (depth > 8 || node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk_capi (r, json_array_get_element (array, i), context_pixel, line, depth + 1);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    walk_capi_object (r, json_node_get_object (node), context_pixel, line, depth);
}

static void
walk_pixel (Reader   *r,
            JsonNode *node,
            guint     line,
            int       depth)
{
  JsonObject *object;

  if (depth > 4 || node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk_pixel (r, json_array_get_element (array, i), line, depth + 1);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reader_problem (r, line, "import-shape", _("Not a JSON object"));
      return;
    }

  object = json_node_get_object (node);
  if (object_get_alias (object, pixel_aliases, FIELD_EVENT) != NULL)
    add_record_from_object (r, object, pixel_aliases, NULL, NULL, NULL, line);
  else if (json_object_has_member (object, "rows"))
    walk_pixel (r, json_object_get_member (object, "rows"), line, depth + 1);
  else
    reader_problem (r, line, "import-shape", _("No event name"));
}

/* One JSON value (a line, or one element of a document's array). */
static void
read_element (Reader     *r,
              const char *start,
              const char *end,
              guint       line)
{
  Span fields[N_FIELDS];
  Cursor c = { start, end };
  FlatResult result;
  gboolean pixel = r->store->side == CAPI_CONVERSION_SIDE_PIXEL;

  memset (fields, 0, sizeof fields);
  if (pixel)
    g_string_truncate (r->scratch, 0);
  result = scan_flat (r, &c, fields, pixel ? r->scratch : NULL);
  if (result == FLAT_OK)
    {
      skip_ws (&c);
      if (c.p != c.end)
        result = FLAT_SYNTAX;
    }
  if (result == FLAT_OK && pixel && r->scratch->len > 0)
    {
      g_string_append_c (r->scratch, '}');
      /* The scanner only finds where the members it keeps end: json-glib,
       * which reads them back, would take "\225" as the byte 0x95 or write
       * "\ud800" as invalid UTF-8.  Such a line is left to the strict
       * parser, which says what is wrong with it. */
      if (memchr (r->scratch->str, '\\', r->scratch->len) != NULL &&
          !capi_json_check_document (r->scratch->str, r->scratch->len, CAPI_JSON_MAX_DEPTH, NULL))
        result = FLAT_FALLBACK;
    }

  if (result == FLAT_OK)
    {
      add_record_from_spans (r, fields, (pixel && r->scratch->len > 0) ? r->scratch->str : NULL,
                             line);
      return;
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();
    g_autoptr(GError) error = NULL;
    guint before = r->n_good;

    if (!capi_json_parser_load (parser, start, end - start, &error))
      {
        gboolean truncated = g_error_matches (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE) &&
                             strstr (error->message, "nexpected end") != NULL;

        reader_problem (r, line, truncated ? "import-truncated" : "import-syntax", error->message);
        return;
      }
    if (pixel)
      walk_pixel (r, json_parser_get_root (parser), line, 0);
    else
      {
        /* json_parser_new_immutable () trees cannot be changed; the logs
         * response needs a writable copy to lift event_metadata ids. */
        g_autoptr(JsonNode) copy = json_node_copy (json_parser_get_root (parser));

        walk_capi (r, copy, NULL, line, 0);
        if (r->n_good == before && r->store->n_problems == 0)
          reader_problem (r, line, "import-shape", _("No conversion event in this value"));
      }
  }
}

/* ------------------------------------------------------------------ */
/* Line readers: JSON Lines and CSV                                    */

typedef void (*LineFunc) (Reader     *r,
                          const char *start,
                          const char *end,
                          guint       line,
                          gpointer    data);

typedef struct
{
  GFile              *file;
  GInputStream       *input;     /* text in memory, read instead of @file */
  goffset             begin;     /* first byte this worker may start a line at */
  goffset             finish;    /* lines starting at or after this belong to the next */
  CapiRecordStore    *store;
  const char         *source;
  const char         *default_pixel;
  LineFunc            func;
  gpointer            func_data;
  guint               n_lines;
  guint               n_good;
  guint64            *progress_done;
  guint64             total;
  CapiImportProgress  progress;
  gpointer            progress_data;
  GCancellable       *cancellable;
  GError             *error;
} LineJob;

static void
jsonl_line (Reader     *r,
            const char *start,
            const char *end,
            guint       line,
            gpointer    data)
{
  /* A byte order mark before the first line is no JSON. */
  if (line == 1 && end - start >= 3 && memcmp (start, "\xEF\xBB\xBF", 3) == 0)
    start += 3;
  read_element (r, start, end, line);
}

/* g_utf8_validate_len (), which rejects a NUL too, with a fast path for
 * the plain ASCII most lines are made of: eight bytes at a time while
 * none has its high bit set or is 0.  GLib 2.74 checks byte by byte, at
 * about a gigabyte a second; this is three to four times that. */
static gboolean
line_is_utf8 (const char  *s,
              gsize        n,
              const char **bad)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const char *p = s, *end = s + n;

  while (end - p >= 8)
    {
      guint64 w;

      memcpy (&w, p, sizeof w);
      if ((w & high) != 0 || ((w - ones) & ~w & high) != 0)
        break;
      p += 8;
    }
  /* Everything before p is ASCII: p starts a character. */
  return g_utf8_validate_len (p, end - p, bad);
}

static gpointer
line_job_run (gpointer data)
{
  LineJob *job = data;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *buf = NULL;
  gsize cap, have = 0;
  goffset pos;
  gboolean first = TRUE, eof = FALSE;
  Reader r = { 0 };

  r.store = job->store;
  r.source = job->source;
  r.source_index = 0;
  r.default_pixel = job->default_pixel;
  r.scratch = g_string_new (NULL);

  if (job->input != NULL)
    stream = g_object_ref (job->input);
  else
    stream = G_INPUT_STREAM (g_file_read (job->file, job->cancellable, &job->error));
  if (stream == NULL)
    goto out;

  /* Start one byte early: if that byte is a newline, a line begins at
   * @begin; otherwise the partial line belongs to the previous worker. */
  pos = job->begin > 0 ? job->begin - 1 : 0;
  if (pos > 0 && !g_seekable_seek (G_SEEKABLE (stream), pos, G_SEEK_SET, job->cancellable,
                                   &job->error))
    goto out;

  /* 4 MiB at a time, or a small file at once (one byte more than it has,
   * so that the first read already sees its end); a line longer than
   * the buffer grows it. */
  {
    guint64 left = job->total > (guint64) pos ? job->total - (guint64) pos : 0;

    cap = (gsize) MIN ((guint64) 4 << 20, left + 1);
  }
  buf = g_malloc (cap + 1);
  while (!eof || have > 0)
    {
      gsize n = 0, used = 0;
      const char *p, *nl;

      if (!eof)
        {
          if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buf + have, cap - have, &n,
                                        job->cancellable, &job->error))
            goto out;
          if (n < cap - have)
            eof = TRUE;
          have += n;
          if (job->progress_done != NULL)
            {
              guint64 done = g_atomic_pointer_add ((gsize *)job->progress_done, n) + n;

              if (job->progress != NULL)
                job->progress (MIN (done, job->total), job->total, job->progress_data);
            }
        }

      p = buf;
      if (first && job->begin > 0)
        {
          nl = memchr (p, '\n', have);
          if (nl == NULL && !eof)
            {
              /* The partial line is longer than the buffer: drop it and go on. */
              pos += have;
              have = 0;
              continue;
            }
          used = nl ? (gsize)(nl + 1 - p) : have;
          pos += used;
          p += used;
        }
      first = FALSE;

      for (;;)
        {
          const char *line_end, *s, *e, *bad = NULL;

          if (pos >= job->finish)
            goto out;
          nl = memchr (p, '\n', buf + have - p);
          if (nl == NULL && !eof)
            break;
          line_end = nl ? nl : buf + have;
          if (line_end == p && nl == NULL)
            {
              p = line_end;
              break;
            }
          job->n_lines++;
          s = p;
          e = line_end;
          while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
          while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
          /* Nothing checked a file for UTF-8 before (text in memory is,
           * as a whole): each line is, before a reader keeps any of its
           * bytes.  This also turns down a NUL, which would cut a kept
           * string short. */
          if (s < e && !line_is_utf8 (s, e - s, &bad))
            {
              g_autofree char *msg = g_strdup_printf (_("Not UTF-8 text (byte %zu of the line)"),
                                                      (gsize)(bad - s) + 1);

              reader_problem (&r, job->n_lines, "import-syntax", msg);
            }
          else if (s < e)
            job->func (&r, s, e, job->n_lines, job->func_data);
          pos += (nl ? nl + 1 : line_end) - p;
          p = nl ? nl + 1 : line_end;
        }

      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        goto out;

      used = p - buf;
      if (used == 0 && have == cap)
        {
          /* One line longer than the buffer: grow. */
          cap *= 2;
          buf = g_realloc (buf, cap + 1);
        }
      else
        {
          memmove (buf, p, have - used);
          have -= used;
        }
      if (eof && have > 0 && p == buf && used == 0)
        break;
    }

out:
  job->n_good = r.n_good;
  g_string_free (r.scratch, TRUE);
  return NULL;
}

/* Reads a line-based file; JSON Lines above a few megabytes on all cores.
 * With @bytes, reads that text instead of @filename, in one worker. */
static gboolean
read_lines (CapiRecordStore    *store,
            const char         *filename,
            GBytes             *bytes,
            const char         *source,
            const char         *default_pixel,
            gboolean            parallel,
            LineFunc            func,
            gpointer            func_data,
            CapiImportProgress  progress,
            gpointer            progress_data,
            GCancellable       *cancellable,
            guint              *out_good,
            GError            **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) input = NULL;
  guint64 size, done = 0;
  guint n_jobs = 1;
  LineJob *jobs;
  GThread **threads;
  guint32 source_index = store->sources->len;
  guint line_offset = 0, good = 0;
  gboolean ok = TRUE;

  if (bytes != NULL)
    {
      input = g_memory_input_stream_new_from_bytes (bytes);
      size = g_bytes_get_size (bytes);
    }
  else
    {
      g_autoptr(GFileInfo) info = NULL;

      file = g_file_new_for_path (filename);
      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                cancellable, error);
      if (info == NULL)
        return FALSE;
      size = g_file_info_get_size (info);
      if (parallel && size > (8 << 20))
        n_jobs = CLAMP (g_get_num_processors (), 1, 8);
    }

  store_add_source (store, source);
  jobs = g_new0 (LineJob, n_jobs);
  threads = g_new0 (GThread *, n_jobs);
  for (guint i = 0; i < n_jobs; i++)
    {
      jobs[i].file = file;
      jobs[i].input = input;
      jobs[i].begin = size * i / n_jobs;
      jobs[i].finish = i + 1 == n_jobs ? G_MAXINT64 : (goffset)(size * (i + 1) / n_jobs);
      jobs[i].store = i == 0 ? store : _capi_record_store_new (store->side);
      jobs[i].source = source;
      jobs[i].default_pixel = default_pixel;
      jobs[i].func = func;
      jobs[i].func_data = func_data;
      jobs[i].progress_done = &done;
      jobs[i].total = size;
      jobs[i].progress = progress;
      jobs[i].progress_data = progress_data;
      jobs[i].cancellable = cancellable;
    }

  /* Worker 0 writes straight into @store; it must not see the other
   * records meanwhile, so remember where its records start. */
  {
    guint first_record = store->records->len;

    for (guint i = 1; i < n_jobs; i++)
      threads[i] = g_thread_new ("capi-import", line_job_run, &jobs[i]);
    line_job_run (&jobs[0]);
    for (guint i = 1; i < n_jobs; i++)
      g_thread_join (threads[i]);

    for (guint i = first_record; i < store->records->len; i++)
      g_array_index (store->records, CapiRecord, i).source = source_index;
  }

  for (guint i = 0; i < n_jobs; i++)
    {
      if (jobs[i].error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&jobs[i].error));
          g_clear_error (&jobs[i].error);
          ok = FALSE;
        }
      if (i > 0)
        {
          CapiRecordStore *part = jobs[i].store;

          /* Line numbers in part i count from its first line. */
          for (guint k = 0; k < part->records->len; k++)
            {
              CapiRecord *rec = &g_array_index (part->records, CapiRecord, k);

              rec->line += line_offset;
              rec->source = source_index;
            }
          for (guint k = 0; k < part->problems->len; k++)
            {
              CapiFinding *f = g_ptr_array_index (part->problems, k);
              guint line = capi_finding_get_event_index (f) + line_offset;
              g_autofree char *path = g_strdup_printf ("%s:%u", source, line);
              CapiFinding *moved = capi_finding_new (capi_finding_get_severity (f),
                                                     capi_finding_get_code (f), path,
                                                     capi_finding_get_message (f));

              capi_finding_set_event_index (moved, line);
              g_ptr_array_index (part->problems, k) = moved;
              g_object_unref (f);
            }
          _capi_record_store_absorb (store, part);
          _capi_record_store_free (part);
        }
      line_offset += jobs[i].n_lines;
      good += jobs[i].n_good;
    }

  g_free (jobs);
  g_free (threads);
  *out_good = good;

  return ok;
}

/* CSV: a header row, then one row per conversion.  Quoted fields may hold
 * commas and doubled quotes; a row never spans lines. */
typedef struct
{
  int      columns[N_FIELDS];
  guint    n_columns;
  gboolean have_header;
  GString *extra_names;   /* unused columns, in order, NUL-separated */
  GPtrArray *names;
} CsvState;

static GPtrArray *
split_csv (const char *start,
           const char *end,
           gboolean   *ok)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  const char *p = start;

  *ok = TRUE;
  for (;;)
    {
      GString *cell = g_string_new (NULL);

      if (p < end && *p == '"')
        {
          p++;
          for (;;)
            {
              if (p >= end)
                {
                  *ok = FALSE;
                  break;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              g_string_append_c (cell, *p++);
            }
          while (p < end && *p != ',')
            p++;
        }
      else
        {
          const char *comma = memchr (p, ',', end - p);
          const char *stop = comma ? comma : end;

          g_string_append_len (cell, p, stop - p);
          p = stop;
        }
      g_strstrip (cell->str);
      cell->len = strlen (cell->str);
      g_ptr_array_add (cells, g_string_free (cell, FALSE));
      if (p >= end)
        break;
      p++;  /* the comma */
    }

  return cells;
}

static void
csv_line (Reader     *r,
          const char *start,
          const char *end,
          guint       line,
          gpointer    data)
{
  CsvState *st = data;
  gboolean ok;
  g_autoptr(GPtrArray) cells = NULL;

  /* Spreadsheets put a UTF-8 byte order mark before the header row; it is
   * no part of the first column's name. */
  if (!st->have_header && end - start >= 3 && memcmp (start, "\xEF\xBB\xBF", 3) == 0)
    start += 3;
  cells = split_csv (start, end, &ok);
  Span fields[N_FIELDS];
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *extra_text = NULL;

  if (!st->have_header)
    {
      st->have_header = TRUE;
      st->n_columns = cells->len;
      for (guint f = 0; f < N_FIELDS; f++)
        st->columns[f] = -1;
      st->names = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < cells->len; i++)
        {
          const char *name = g_ptr_array_index (cells, i);
          Field field = lookup_alias (pixel_aliases, name, strlen (name));

          g_ptr_array_add (st->names, g_strdup (name));
          if (field >= 0 && field < N_FIELDS && st->columns[field] < 0)
            st->columns[field] = i;
        }
      if (st->columns[FIELD_EVENT] < 0)
        reader_problem (r, line, "import-shape", _("The header row names no event_name column"));
      return;
    }

  if (!ok || cells->len != st->n_columns)
    {
      g_autofree char *msg = ok ? g_strdup_printf (_("Expected %u columns, found %u"),
                                                   st->n_columns, cells->len)
                                : g_strdup (_("Unterminated quoted field"));
      reader_problem (r, line, "import-syntax", msg);
      return;
    }

  memset (fields, 0, sizeof fields);
  for (guint f = 0; f < N_FIELDS; f++)
    if (st->columns[f] >= 0)
      {
        const char *cell = g_ptr_array_index (cells, st->columns[f]);

        fields[f].s = cell;
        fields[f].n = strlen (cell);
        fields[f].string = TRUE;
        fields[f].set = TRUE;
      }
  for (guint i = 0; i < cells->len; i++)
    {
      const char *name = g_ptr_array_index (st->names, i);
      const char *cell = g_ptr_array_index (cells, i);
      gboolean mapped = FALSE;

      for (guint f = 0; f < N_FIELDS; f++)
        mapped |= st->columns[f] == (int)i;
      if (mapped || *cell == '\0' || is_identity_key (name, strlen (name)))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_string_member (extra, name, cell);
    }
  if (extra != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);
      extra_text = json_to_string (node, FALSE);
    }
  add_record_from_spans (r, fields, extra_text, line);
}

/* ------------------------------------------------------------------ */
/* HAR entries                                                         */

static gboolean
is_snap_host (const char *host)
{
  return host != NULL &&
         (g_ascii_strcasecmp (host, "tr.snapchat.com") == 0 ||
          g_ascii_strcasecmp (host, "tr-shadow.snapchat.com") == 0);
}

static void
params_add_form (GHashTable *params,
                 const char *text)
{
  g_autoptr(GHashTable) form = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (text == NULL || *text == '\0')
    return;
  form = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (form == NULL)
    return;
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));
}

static void
params_add_json_object (GHashTable *params,
                        JsonObject *object)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (JSON_NODE_HOLDS_VALUE (value))
        {
          GValue v = G_VALUE_INIT;
          GValue s = G_VALUE_INIT;

          json_node_get_value (value, &v);
          g_value_init (&s, G_TYPE_STRING);
          if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];
              g_value_set_string (&s, g_ascii_dtostr (buf, sizeof buf, g_value_get_double (&v)));
            }
          else
            g_value_transform (&v, &s);
          g_hash_table_insert (params, g_strdup (key), g_value_dup_string (&s));
          g_value_unset (&v);
          g_value_unset (&s);
        }
      else if (!JSON_NODE_HOLDS_NULL (value))
        g_hash_table_insert (params, g_strdup (key), json_to_string (value, FALSE));
    }
}

static void
add_record_from_params (Reader     *r,
                        GHashTable *params,
                        const char *started,
                        guint       line)
{
  Span fields[N_FIELDS];
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *extra_text = NULL;
  GHashTableIter iter;
  gpointer key, value;

  memset (fields, 0, sizeof fields);
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Field f = lookup_alias (pixel_aliases, key, strlen (key));

      if (f >= 0 && f < N_FIELDS)
        {
          /* The wire name wins over a long alias only if that is absent. */
          if (!fields[f].set || strlen (key) <= 4)
            {
              fields[f].s = value;
              fields[f].n = strlen (value);
              fields[f].string = TRUE;
              fields[f].set = TRUE;
            }
        }
      else if (!is_identity_key (key, strlen (key)))
        {
          if (extra == NULL)
            extra = json_object_new ();
          json_object_set_string_member (extra, key, value);
        }
    }

  /* Pixel init and config requests name no event: not a conversion. */
  if (!fields[FIELD_EVENT].set || fields[FIELD_EVENT].n == 0)
    return;
  if (!fields[FIELD_TIME].set && started != NULL)
    {
      fields[FIELD_TIME].s = started;
      fields[FIELD_TIME].n = strlen (started);
      fields[FIELD_TIME].string = TRUE;
      fields[FIELD_TIME].set = TRUE;
    }
  if (extra != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);
      extra_text = json_to_string (node, FALSE);
    }
  add_record_from_spans (r, fields, extra_text, line);
}

static void
read_har_entry (Reader     *r,
                const char *start,
                const char *end,
                guint       line,
                guint       entry)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  JsonObject *object, *request, *response;
  const char *url, *started;
  JsonNode *post;

  if (!capi_json_parser_load (parser, start, end - start, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("HAR entry %u: %s"), entry, error->message);
      reader_problem (r, line, "import-syntax", msg);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad_shape;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "request") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "request")))
    goto bad_shape;
  request = json_object_get_object_member (object, "request");
  url = member_string (request, "url", NULL);
  if (url == NULL)
    goto bad_shape;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL || !is_snap_host (g_uri_get_host (uri)))
    return;   /* the rest of the page's traffic */

  /* A redirect answer is followed by the request that carries the event
   * again; counting both would invent a duplicate. */
  response = json_object_has_member (object, "response") &&
             JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "response"))
               ? json_object_get_object_member (object, "response") : NULL;
  if (response != NULL)
    {
      gint64 status = member_int (response, "status", 0);

      if (status >= 300 && status < 400)
        return;
    }

  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  params_add_form (params, g_uri_get_query (uri));

  post = json_object_get_member (request, "postData");
  if (post != NULL && JSON_NODE_HOLDS_OBJECT (post))
    {
      JsonObject *pd = json_node_get_object (post);
      const char *mime = member_string (pd, "mimeType", "");
      const char *text = member_string (pd, "text", NULL);
      JsonNode *plist = json_object_get_member (pd, "params");
      const char *t = text;

      while (t != NULL && g_ascii_isspace (*t))
        t++;
      if (t != NULL && (strstr (mime, "json") != NULL || *t == '{' || *t == '['))
        {
          g_autoptr(JsonNode) body = parse_embedded_json (t);

          if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
            params_add_json_object (params, json_node_get_object (body));
          else if (body != NULL && JSON_NODE_HOLDS_ARRAY (body))
            {
              /* A batch: one conversion per object, sharing the query. */
              JsonArray *array = json_node_get_array (body);

              started = member_string (object, "startedDateTime", NULL);
              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  JsonNode *el = json_array_get_element (array, i);
                  g_autoptr(GHashTable) each = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                      g_free, g_free);
                  GHashTableIter iter;
                  gpointer k, v;

                  if (!JSON_NODE_HOLDS_OBJECT (el))
                    continue;
                  g_hash_table_iter_init (&iter, params);
                  while (g_hash_table_iter_next (&iter, &k, &v))
                    g_hash_table_insert (each, g_strdup (k), g_strdup (v));
                  params_add_json_object (each, json_node_get_object (el));
                  add_record_from_params (r, each, started, line);
                }
              return;
            }
          else
            {
              g_autofree char *msg = g_strdup_printf (_("HAR entry %u: the request body is not valid JSON"),
                                                      entry);
              reader_problem (r, line, "import-syntax", msg);
              return;
            }
        }
      else if (plist != NULL && JSON_NODE_HOLDS_ARRAY (plist) &&
               json_array_get_length (json_node_get_array (plist)) > 0)
        {
          JsonArray *array = json_node_get_array (plist);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *el = json_array_get_element (array, i);
              const char *name, *value;

              if (!JSON_NODE_HOLDS_OBJECT (el))
                continue;
              name = member_string (json_node_get_object (el), "name", NULL);
              value = member_string (json_node_get_object (el), "value", "");
              if (name != NULL)
                {
                  /* DevTools leaves these percent-encoded. */
                  g_autofree char *n = g_uri_unescape_string (name, NULL);
                  g_autofree char *v = g_uri_unescape_string (value, NULL);

                  g_hash_table_insert (params, g_strdup (n ? n : name), g_strdup (v ? v : value));
                }
            }
        }
      else if (text != NULL)
        params_add_form (params, text);
    }

  started = member_string (object, "startedDateTime", NULL);
  add_record_from_params (r, params, started, line);
  return;

bad_shape:
  {
    g_autofree char *msg = g_strdup_printf (_("HAR entry %u has no request URL"), entry);
    reader_problem (r, line, "import-shape", msg);
  }
}

/* ------------------------------------------------------------------ */
/* JSON documents                                                      */

typedef struct
{
  Reader     *r;
  gboolean    har;
  const char *data;
  const char *line_pos;   /* newlines are counted up to here */
  guint       line;
  guint       entries;
  const char *dropped;    /* mapped pages before this were given back */
  CapiImportProgress progress;
  gpointer    progress_data;
  GCancellable *cancellable;
} DocWalk;

static guint
doc_line_at (DocWalk    *w,
             const char *p)
{
  while (w->line_pos < p)
    {
      const char *nl = memchr (w->line_pos, '\n', p - w->line_pos);

      if (nl == NULL)
        {
          w->line_pos = p;
          break;
        }
      w->line++;
      w->line_pos = nl + 1;
    }
  return w->line;
}

/* Gives back the pages of a mapped file that are behind us, so a 500 MB
 * HAR does not stay resident.  The mapping is private and read-only:
 * pages that are needed again are simply read again from the file. */
static void
drop_pages (DocWalk    *w,
            const char *upto)
{
#if defined(G_OS_UNIX) && defined(MADV_DONTNEED)
  gsize page = 4096;
  guintptr from = ((guintptr)w->dropped + page - 1) & ~(guintptr)(page - 1);
  guintptr to = (guintptr)upto & ~(guintptr)(page - 1);

  if (!w->r->mapped || to <= from)
    return;
  madvise ((void *)from, to - from, MADV_DONTNEED);
  w->dropped = (const char *)to;
#endif
}

/* Iterates the elements of the array at c->p, one small tree at a time. */
static gboolean
doc_array (DocWalk *w,
           Cursor  *c)
{
  g_assert (*c->p == '[');
  c->p++;
  skip_ws (c);
  if (c->p < c->end && *c->p == ']')
    {
      c->p++;
      return TRUE;
    }

  for (;;)
    {
      const char *start;
      guint line;

      skip_ws (c);
      start = c->p;
      line = doc_line_at (w, start);
      w->entries++;
      if (!skip_value (c, 1))
        {
          g_autofree char *msg = NULL;

          if (c->p >= c->end)
            msg = g_strdup_printf (_("The file ends inside entry %u: it is truncated"), w->entries);
          else
            msg = g_strdup_printf (_("Entry %u is not valid JSON (line %u)"), w->entries,
                                   doc_line_at (w, c->p));
          reader_problem (w->r, line, c->p >= c->end ? "import-truncated" : "import-syntax", msg);
          return FALSE;
        }
      /* Most of a HAR is the page's own traffic: an entry that does not
       * even mention Snap's host is skipped without a tree. */
      if (w->har)
        {
          if (g_strstr_len (start, c->p - start, "snapchat.com") != NULL)
            read_har_entry (w->r, start, c->p, line, w->entries);
        }
      else
        read_element (w->r, start, c->p, line);

      if ((w->entries & 1023) == 0)
        {
          drop_pages (w, start);
          if (w->progress != NULL)
            w->progress (c->p - w->data, c->end - w->data, w->progress_data);
          if (g_cancellable_is_cancelled (w->cancellable))
            return FALSE;
        }

      skip_ws (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == ']')
        {
          c->p++;
          return TRUE;
        }
      reader_problem (w->r, doc_line_at (w, MIN (c->p, c->end)),
                      c->p >= c->end ? "import-truncated" : "import-syntax",
                      c->p >= c->end ? _("The file ends inside the list: it is truncated")
                                     : _("Expected “,” or “]” after an entry"));
      return FALSE;
    }
}

/* Walks an object, descending into the members that hold the entries. */
static gboolean
doc_object (DocWalk *w,
            Cursor  *c,
            int      depth,
            gboolean *found)
{
  c->p++;
  for (;;)
    {
      const char *key;
      gsize kn;
      gboolean esc, container;

      skip_ws (c);
      if (c->p < c->end && *c->p == '}')
        {
          c->p++;
          return TRUE;
        }
      if (c->p >= c->end || *c->p != '"' || !scan_string (c, &key, &kn, &esc))
        break;
      skip_ws (c);
      if (c->p >= c->end || *c->p != ':')
        break;
      c->p++;
      skip_ws (c);
      if (c->p >= c->end)
        break;

#define KEY_IS(k) (kn == sizeof (k) - 1 && memcmp (key, k, kn) == 0)
      container = w->har ? (KEY_IS ("entries") && depth == 1)
                         : (KEY_IS ("data") || KEY_IS ("events") || KEY_IS ("logs") ||
                            KEY_IS ("rows"));
      if (*c->p == '[' && container && depth <= 1)
        {
          *found = TRUE;
          if (!doc_array (w, c))
            return FALSE;
        }
      else if (*c->p == '{' && w->har && KEY_IS ("log") && depth == 0)
        {
          if (!doc_object (w, c, depth + 1, found))
            return FALSE;
        }
      else if (!skip_value (c, 1))
        break;
#undef KEY_IS

      skip_ws (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == '}')
        {
          c->p++;
          return TRUE;
        }
      break;
    }

  reader_problem (w->r, doc_line_at (w, MIN (c->p, c->end)),
                  c->p >= c->end ? "import-truncated" : "import-syntax",
                  c->p >= c->end ? _("The file ends early: it is truncated")
                                 : _("Not valid JSON here"));
  return FALSE;
}

static void
read_document (Reader             *r,
               const char         *data,
               gsize               length,
               gboolean            har,
               CapiImportProgress  progress,
               gpointer            progress_data,
               GCancellable       *cancellable)
{
  DocWalk w = { r, har, data, data, 1, 0, data, progress, progress_data, cancellable };
  Cursor c = { data, data + length };
  gboolean found = FALSE;

  gboolean ok = FALSE;

  skip_ws (&c);
  if (c.p >= c.end)
    return;
  if (*c.p == '[')
    ok = doc_array (&w, &c);
  else if (*c.p == '{')
    {
      const char *start = c.p;

      ok = doc_object (&w, &c, 0, &found);
      if (ok && !found && !har)
        /* A single event, or a body without a known list: small by nature. */
        read_element (r, start, c.p, 1);
    }
  else
    reader_problem (r, 1, "import-syntax", _("Not a JSON document"));

  /* More values after the first: JSON Lines whose first line was too long
   * for detection to see its end.  Read the rest line by line rather than
   * dropping it. */
  while (ok && !har)
    {
      const char *nl, *s, *e;
      guint line;

      skip_ws (&c);
      if (c.p >= c.end)
        break;
      line = doc_line_at (&w, c.p);
      nl = memchr (c.p, '\n', c.end - c.p);
      s = c.p;
      e = nl ? nl : c.end;
      while (e > s && g_ascii_isspace (e[-1]))
        e--;
      read_element (r, s, e, line);
      c.p = nl ? nl + 1 : c.end;
    }
}

/* ------------------------------------------------------------------ */
/* snaptr('track', ...) calls: JavaScript literals                      */

typedef struct
{
  const char *p;
  const char *end;
} Js;

static void
js_ws (Js *js)
{
  for (;;)
    {
      while (js->p < js->end && g_ascii_isspace (*js->p))
        js->p++;
      if (js->end - js->p >= 2 && js->p[0] == '/' && js->p[1] == '/')
        {
          while (js->p < js->end && *js->p != '\n')
            js->p++;
          continue;
        }
      if (js->end - js->p >= 2 && js->p[0] == '/' && js->p[1] == '*')
        {
          const char *close = g_strstr_len (js->p + 2, js->end - js->p - 2, "*/");

          js->p = close ? close + 2 : js->end;
          continue;
        }
      break;
    }
}

static gboolean
js_ident_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '_' || ch == '$';
}

static char *
js_string (Js *js)
{
  char quote = *js->p++;
  GString *s = g_string_new (NULL);

  while (js->p < js->end && *js->p != quote)
    {
      if (*js->p == '\n' && quote != '`')
        break;
      if (*js->p == '\\' && js->p + 1 < js->end)
        {
          js->p++;
          switch (*js->p)
            {
            case 'n': g_string_append_c (s, '\n'); js->p++; break;
            case 't': g_string_append_c (s, '\t'); js->p++; break;
            case 'u':
              if (js->end - js->p >= 5)
                {
                  gunichar ch;

                  js->p += decode_u_escape (js->p, js->end, &ch);
                  g_string_append_unichar (s, ch);
                }
              else
                js->p = js->end;
              break;
            default: g_string_append_c (s, *js->p++); break;
            }
          continue;
        }
      g_string_append_c (s, *js->p++);
    }
  if (js->p >= js->end || *js->p != quote)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  js->p++;
  return g_string_free (s, FALSE);
}

/* Skips an expression we cannot evaluate (a variable, Date.now ()). */
static gboolean
js_skip_expression (Js *js)
{
  int depth = 0;

  while (js->p < js->end)
    {
      char ch = *js->p;

      if (ch == '\'' || ch == '"' || ch == '`')
        {
          g_autofree char *s = js_string (js);
          if (s == NULL)
            return FALSE;
          continue;
        }
      if (ch == '(' || ch == '[' || ch == '{')
        depth++;
      else if (ch == ')' || ch == ']' || ch == '}')
        {
          if (depth == 0)
            return TRUE;
          depth--;
        }
      else if (ch == ',' && depth == 0)
        return TRUE;
      js->p++;
    }
  return FALSE;
}

/* A JavaScript value as JSON; unknown expressions become null. */
static JsonNode *
js_value (Js  *js,
          int  depth)
{
  js_ws (js);
  if (js->p >= js->end || depth > 16)
    return NULL;

  if (*js->p == '\'' || *js->p == '"' || *js->p == '`')
    {
      g_autofree char *s = js_string (js);
      return s ? json_node_init_string (json_node_alloc (), s) : NULL;
    }
  if (*js->p == '{' || *js->p == '[')
    {
      gboolean object = *js->p == '{';
      char close = object ? '}' : ']';
      g_autoptr(JsonObject) o = object ? json_object_new () : NULL;
      g_autoptr(JsonArray) a = object ? NULL : json_array_new ();

      js->p++;
      for (;;)
        {
          g_autofree char *key = NULL;
          JsonNode *value;

          js_ws (js);
          if (js->p >= js->end)
            return NULL;
          if (*js->p == close)
            {
              js->p++;
              break;
            }
          if (object)
            {
              if (*js->p == '\'' || *js->p == '"')
                key = js_string (js);
              else
                {
                  const char *k = js->p;

                  while (js->p < js->end && js_ident_char (*js->p))
                    js->p++;
                  if (js->p > k)
                    key = g_strndup (k, js->p - k);
                }
              if (key == NULL)
                return NULL;
              js_ws (js);
              if (js->p >= js->end || *js->p != ':')
                return NULL;
              js->p++;
            }
          value = js_value (js, depth + 1);
          if (value == NULL)
            return NULL;
          js_ws (js);
          if (js->p < js->end && *js->p != ',' && *js->p != close)
            {
              /* 'cart-' + id: an expression we cannot evaluate. */
              json_node_unref (value);
              if (!js_skip_expression (js))
                return NULL;
              value = json_node_init_null (json_node_alloc ());
            }
          if (object)
            json_object_set_member (o, key, value);
          else
            json_array_add_element (a, value);
          js_ws (js);
          if (js->p < js->end && *js->p == ',')
            js->p++;            /* trailing commas are fine in JavaScript */
          else if (js->p >= js->end || *js->p != close)
            return NULL;
        }
      return object ? json_node_init_object (json_node_alloc (), o)
                    : json_node_init_array (json_node_alloc (), a);
    }
  if (*js->p == '-' || *js->p == '+' || g_ascii_isdigit (*js->p))
    {
      const char *start = js->p;
      g_autofree char *text = NULL;

      js->p++;
      while (js->p < js->end && (g_ascii_isalnum (*js->p) || *js->p == '.'))
        js->p++;
      text = g_strndup (start, js->p - start);
      if (strchr (text, '.') || strchr (text, 'e') || strchr (text, 'E'))
        return json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));
      return json_node_init_int (json_node_alloc (), g_ascii_strtoll (text, NULL, 10));
    }
  /* The keyword may end the text: look past it only when there is more. */
  if (js->end - js->p >= 4 && memcmp (js->p, "true", 4) == 0 &&
      (js->end - js->p == 4 || !js_ident_char (js->p[4])))
    return js->p += 4, json_node_init_boolean (json_node_alloc (), TRUE);
  if (js->end - js->p >= 5 && memcmp (js->p, "false", 5) == 0 &&
      (js->end - js->p == 5 || !js_ident_char (js->p[5])))
    return js->p += 5, json_node_init_boolean (json_node_alloc (), FALSE);
  if (!js_skip_expression (js))
    return NULL;
  return json_node_init_null (json_node_alloc ());
}

static guint
count_lines (const char *from,
             const char *to)
{
  guint n = 0;

  while (from < to && (from = memchr (from, '\n', to - from)) != NULL)
    n++, from++;
  return n;
}

static void
read_snaptr (Reader     *r,
             const char *data,
             gsize       length)
{
  const char *end = data + length;
  const char *p = data;
  const char *line_pos = data;
  guint line = 1;
  g_autofree char *pixel = NULL;

  while (p < end && (p = g_strstr_len (p, end - p, "snaptr")) != NULL)
    {
      Js js;
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
      gboolean ok = TRUE;
      const char *call = p;

      line += count_lines (line_pos, call);
      line_pos = call;
      p += 6;
      if ((call > data && js_ident_char (call[-1])) || (p < end && js_ident_char (*p)))
        continue;
      js.p = p;
      js.end = end;
      js_ws (&js);
      if (js.p >= end || *js.p != '(')
        continue;
      js.p++;

      for (;;)
        {
          JsonNode *arg;

          js_ws (&js);
          if (js.p < end && *js.p == ')')
            {
              js.p++;
              break;
            }
          arg = js_value (&js, 0);
          if (arg == NULL)
            {
              ok = FALSE;
              break;
            }
          g_ptr_array_add (args, arg);
          js_ws (&js);
          if (js.p < end && *js.p == ',')
            js.p++;
          else if (js.p >= end || *js.p != ')')
            {
              ok = FALSE;
              break;
            }
        }

      if (!ok)
        {
          reader_problem (r, line, "import-syntax",
                          _("This snaptr(…) call could not be read as JavaScript literals"));
          continue;
        }
      p = js.p;

      if (args->len >= 2 && JSON_NODE_HOLDS_VALUE (g_ptr_array_index (args, 0)))
        {
          const char *verb = json_node_get_string (g_ptr_array_index (args, 0));
          JsonNode *second = g_ptr_array_index (args, 1);
          const char *name = JSON_NODE_HOLDS_VALUE (second) ? json_node_get_string (second) : NULL;

          if (g_strcmp0 (verb, "init") == 0)
            {
              if (name == NULL)
                reader_problem (r, line, "import-shape",
                                _("snaptr('init', …) names the pixel with an expression, not a string"));
              g_free (pixel);
              pixel = g_strdup (name);
            }
          else if (g_strcmp0 (verb, "track") == 0)
            {
              g_autoptr(JsonObject) row = json_object_new ();
              JsonNode *options = args->len >= 3 ? g_ptr_array_index (args, 2) : NULL;

              if (name == NULL)
                {
                  reader_problem (r, line, "import-shape",
                                  _("snaptr('track', …) has no event name string"));
                  continue;
                }
              if (options != NULL && JSON_NODE_HOLDS_OBJECT (options))
                {
                  JsonObjectIter iter;
                  const char *key;
                  JsonNode *value;

                  json_object_iter_init (&iter, json_node_get_object (options));
                  while (json_object_iter_next (&iter, &key, &value))
                    json_object_set_member (row, key, json_node_copy (value));
                }
              json_object_set_string_member (row, "event_name", name);
              if (pixel != NULL && !json_object_has_member (row, "pixel_id"))
                json_object_set_string_member (row, "pixel_id", pixel);
              add_record_from_object (r, row, pixel_aliases, NULL, NULL, NULL, line);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Detection and entry points                                          */

const char *
capi_import_kind_to_string (CapiImportKind kind)
{
  switch (kind)
    {
    case CAPI_IMPORT_KIND_HAR: return "har";
    case CAPI_IMPORT_KIND_SNAPTR: return "snaptr";
    case CAPI_IMPORT_KIND_JSON: return "json";
    case CAPI_IMPORT_KIND_JSON_LINES: return "jsonl";
    case CAPI_IMPORT_KIND_CSV: return "csv";
    case CAPI_IMPORT_KIND_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * capi_import_detect_kind:
 * @data: the first bytes of a file (64 KiB is plenty)
 *
 * Returns: what the content looks like; %CAPI_IMPORT_KIND_UNKNOWN if nothing.
 */
CapiImportKind
capi_import_detect_kind (const char *data,
                         gsize       length)
{
  Cursor c = { data, data + length };
  const char *nl;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    c.p += 3;
  skip_ws (&c);
  if (c.p >= c.end)
    return CAPI_IMPORT_KIND_UNKNOWN;

  if (*c.p == '{' || *c.p == '[')
    {
      const char *first = c.p;
      Cursor line;

      /* HAR: {"log": {"version": ..., "creator": ..., "entries": [...]}} */
      if (*first == '{')
        {
          Cursor k = { first + 1, c.end };
          const char *key;
          gsize kn;
          gboolean esc;

          skip_ws (&k);
          if (k.p < k.end && *k.p == '"' && scan_string (&k, &key, &kn, &esc) &&
              kn == 3 && memcmp (key, "log", 3) == 0)
            return CAPI_IMPORT_KIND_HAR;
        }

      /* One complete value on the first line, and more after it: lines. */
      nl = memchr (first, '\n', c.end - first);
      line.p = first;
      line.end = nl ? nl : c.end;
      if (skip_value (&line, 0))
        {
          skip_ws (&line);
          if (line.p == line.end && nl != NULL)
            {
              Cursor rest = { nl, c.end };

              skip_ws (&rest);
              if (rest.p < rest.end && (*rest.p == '{' || *rest.p == '['))
                return CAPI_IMPORT_KIND_JSON_LINES;
            }
        }
      return CAPI_IMPORT_KIND_JSON;
    }

  if (g_strstr_len (c.p, c.end - c.p, "snaptr") != NULL)
    return CAPI_IMPORT_KIND_SNAPTR;

  nl = memchr (c.p, '\n', c.end - c.p);
  {
    g_autofree char *header = g_ascii_strdown (c.p, (nl ? nl : c.end) - c.p);

    if (strchr (header, ',') != NULL &&
        (strstr (header, "event_name") != NULL || strstr (header, "event") != NULL))
      return CAPI_IMPORT_KIND_CSV;
  }

  return CAPI_IMPORT_KIND_UNKNOWN;
}

static gboolean
finish_read (Reader          *r,
             guint            good,
             guint64          problems_before,
             const char      *source,
             GError         **error)
{
  if (good == 0 && r->store->n_problems > problems_before)
    {
      CapiFinding *first = r->store->problems->len > 0
                             ? g_ptr_array_index (r->store->problems, r->store->problems->len - 1)
                             : NULL;

      g_set_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_NOTHING_READ,
                   _("Nothing could be read from %s: %s"), source,
                   first ? capi_finding_get_message (first) : _("no entry is valid"));
      return FALSE;
    }
  return TRUE;
}

/* A JSON Lines or CSV file (or, with @bytes, text read the same way),
 * streamed line by line. */
static gboolean
import_lines (CapiRecordStore     *store,
              const char          *filename,
              GBytes              *bytes,
              CapiImportKind       kind,
              const char          *display,
              const char          *pixel,
              CapiImportProgress   progress,
              gpointer             progress_data,
              GCancellable        *cancellable,
              GError             **error)
{
  CsvState csv = { 0 };
  guint good = 0;
  guint64 problems_before = store->n_problems;
  Reader r = { store, display, 0, NULL, NULL, 0 };
  gboolean ok;

  ok = read_lines (store, filename, bytes, display, pixel, kind == CAPI_IMPORT_KIND_JSON_LINES,
                   kind == CAPI_IMPORT_KIND_CSV ? csv_line : jsonl_line, &csv,
                   progress, progress_data, cancellable, &good, error);
  g_clear_pointer (&csv.names, g_ptr_array_unref);
  if (!ok)
    return FALSE;
  return finish_read (&r, good, problems_before, display, error);
}

static gboolean import_data (CapiRecordStore *store, const char *data, gsize length,
                             gboolean mapped, const char *source_name,
                             const char *default_pixel_id, CapiImportKind *out_kind,
                             CapiImportProgress progress, gpointer progress_data,
                             GCancellable *cancellable, GError **error);

gboolean
_capi_import_data_into (CapiRecordStore  *store,
                        const char       *data,
                        gsize             length,
                        const char       *source_name,
                        const char       *default_pixel_id,
                        CapiImportKind   *out_kind,
                        GError          **error)
{
  return import_data (store, data, length, FALSE, source_name, default_pixel_id, out_kind,
                      NULL, NULL, NULL, error);
}

/* UTF-8 check in slices; a mapped file gives each slice back afterwards
 * so that checking does not make the whole file resident. */
static gboolean
validate_utf8 (const char  *data,
               gsize        length,
               gboolean     mapped,
               const char **bad)
{
  const gsize slice = 8 << 20;
  const char *p = data, *end = data + length;

  while (p < end)
    {
      const char *stop = end - p > (gssize)slice ? p + slice : end;
      const char *checked = NULL;

      /* Never cut a character in two. */
      while (stop < end && stop > p && ((guchar)*stop & 0xC0) == 0x80)
        stop--;
      if (!g_utf8_validate_len (p, stop - p, &checked))
        {
          *bad = checked;
          return FALSE;
        }
#if defined(G_OS_UNIX) && defined(MADV_DONTNEED)
      if (mapped)
        {
          guintptr from = ((guintptr)p + 4095) & ~(guintptr)4095;
          guintptr to = (guintptr)stop & ~(guintptr)4095;

          if (to > from)
            madvise ((void *)from, to - from, MADV_DONTNEED);
        }
#endif
      p = stop;
    }
  return TRUE;
}

static gboolean
import_data (CapiRecordStore     *store,
             const char          *data,
             gsize                length,
             gboolean             mapped,
             const char          *source_name,
             const char          *default_pixel_id,
             CapiImportKind      *out_kind,
             CapiImportProgress   progress,
             gpointer             progress_data,
             GCancellable        *cancellable,
             GError             **error)
{
  Reader r = { 0 };
  CapiImportKind kind;
  guint64 problems_before = store->n_problems;
  const char *bad = NULL;

  if (!validate_utf8 (data, length, mapped, &bad))
    {
      g_set_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_UNKNOWN_KIND,
                   _("%s is not UTF-8 text (byte %zu)"), source_name,
                   (gsize)(bad - data));
      return FALSE;
    }

  /* A UTF-8 byte order mark (spreadsheets write one before CSV) would
   * otherwise become part of the first column's name. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  kind = capi_import_detect_kind (data, length);
  if (out_kind != NULL)
    *out_kind = kind;
  if (kind == CAPI_IMPORT_KIND_UNKNOWN)
    {
      Cursor c = { data, data + length };

      skip_ws (&c);
      if (c.p == c.end)
        g_set_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_EMPTY, _("%s is empty"),
                     source_name);
      else
        g_set_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_UNKNOWN_KIND,
                     _("%s is neither JSON, JSON Lines, CSV, a HAR file nor snaptr(…) calls"),
                     source_name);
      return FALSE;
    }
  if ((kind == CAPI_IMPORT_KIND_HAR || kind == CAPI_IMPORT_KIND_SNAPTR ||
       kind == CAPI_IMPORT_KIND_CSV) && store->side == CAPI_CONVERSION_SIDE_CAPI)
    {
      g_set_error (error, CAPI_IMPORT_ERROR, CAPI_IMPORT_ERROR_UNKNOWN_KIND,
                   _("%s is a pixel-side file (%s), not what a server sent"), source_name,
                   capi_import_kind_to_string (kind));
      return FALSE;
    }

  /* Lines are read by the very reader that streams files. */
  if (kind == CAPI_IMPORT_KIND_JSON_LINES || kind == CAPI_IMPORT_KIND_CSV)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (data, length);

      return import_lines (store, NULL, bytes, kind, source_name,
                           store->side == CAPI_CONVERSION_SIDE_CAPI ? default_pixel_id : NULL,
                           progress, progress_data, cancellable, error);
    }

  r.store = store;
  r.source = source_name;
  r.source_index = store_add_source (store, source_name);
  r.default_pixel = store->side == CAPI_CONVERSION_SIDE_CAPI ? default_pixel_id : NULL;
  r.mapped = mapped;
  r.scratch = g_string_new (NULL);

  switch (kind)
    {
    case CAPI_IMPORT_KIND_HAR:
    case CAPI_IMPORT_KIND_JSON:
      read_document (&r, data, length, kind == CAPI_IMPORT_KIND_HAR, progress, progress_data,
                     cancellable);
      break;

    case CAPI_IMPORT_KIND_SNAPTR:
      read_snaptr (&r, data, length);
      break;

    case CAPI_IMPORT_KIND_JSON_LINES:
    case CAPI_IMPORT_KIND_CSV:
    case CAPI_IMPORT_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  g_string_free (r.scratch, TRUE);
  return finish_read (&r, r.n_good, problems_before, source_name, error);
}

gboolean
_capi_import_file_into (CapiRecordStore     *store,
                        const char          *filename,
                        const char          *default_pixel_id,
                        CapiImportProgress   progress,
                        gpointer             progress_data,
                        CapiImportKind      *out_kind,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileInputStream) stream = NULL;
  char head[65536];
  gsize n = 0;
  CapiImportKind kind;
  g_autofree char *display = g_filename_display_name (filename);
  const char *pixel = store->side == CAPI_CONVERSION_SIDE_CAPI ? default_pixel_id : NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n, cancellable, error))
    return FALSE;
  g_clear_object (&stream);

  kind = capi_import_detect_kind (head, n);
  if (out_kind != NULL)
    *out_kind = kind;

  if (kind == CAPI_IMPORT_KIND_JSON_LINES || kind == CAPI_IMPORT_KIND_CSV)
    {
      if (kind == CAPI_IMPORT_KIND_CSV && store->side == CAPI_CONVERSION_SIDE_CAPI)
        return _capi_import_data_into (store, head, n, display, pixel, out_kind, error);

      return import_lines (store, filename, NULL, kind, display, pixel, progress, progress_data,
                           cancellable, error);
    }
  else
    {
      /* Documents are mapped, not read: the scanner touches each page once
       * and only one entry at a time becomes a tree. */
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (filename, FALSE, error);

      if (mapped == NULL)
        return FALSE;
      if (kind == CAPI_IMPORT_KIND_UNKNOWN || g_mapped_file_get_length (mapped) == 0)
        {
          /* An empty file maps to NULL contents, and even NULL + 0 is
           * undefined: the readers get "" instead. */
          const char *contents = g_mapped_file_get_contents (mapped);

          return _capi_import_data_into (store, contents != NULL ? contents : "",
                                         g_mapped_file_get_length (mapped), display, pixel,
                                         out_kind, error);
        }
      if (!import_data (store, g_mapped_file_get_contents (mapped),
                        g_mapped_file_get_length (mapped), TRUE, display, pixel, out_kind,
                        progress, progress_data, cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (g_mapped_file_get_length (mapped), g_mapped_file_get_length (mapped),
                  progress_data);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
}

gboolean
_capi_import_data_as_file_into (CapiRecordStore  *store,
                                const char       *data,
                                gsize             length,
                                const char       *source_name,
                                const char       *default_pixel_id,
                                CapiImportKind   *out_kind,
                                GError          **error)
{
  const char *pixel = store->side == CAPI_CONVERSION_SIDE_CAPI ? default_pixel_id : NULL;
  CapiImportKind kind;

  /* What _capi_import_file_into does after reading the head of a file. */
  kind = capi_import_detect_kind (data, MIN (length, 65536));
  if (out_kind != NULL)
    *out_kind = kind;

  if ((kind == CAPI_IMPORT_KIND_JSON_LINES || kind == CAPI_IMPORT_KIND_CSV) &&
      !(kind == CAPI_IMPORT_KIND_CSV && store->side == CAPI_CONVERSION_SIDE_CAPI))
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (data, length);

      return import_lines (store, NULL, bytes, kind, source_name, pixel, NULL, NULL, NULL, error);
    }

  /* Documents (and what is no line format) are read in place, as a
   * mapped file's contents are. */
  return _capi_import_data_into (store, data, length, source_name, pixel, out_kind, error);
}

static GPtrArray *
store_to_conversions (CapiRecordStore  *store,
                      GPtrArray       **out_problems)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < store->records->len; i++)
    g_ptr_array_add (result,
                     _capi_record_to_conversion (store, &g_array_index (store->records, CapiRecord, i)));
  if (out_problems != NULL)
    *out_problems = g_ptr_array_ref (store->problems);

  return result;
}

GPtrArray *
capi_import_file (const char          *filename,
                  CapiConversionSide   side,
                  const char          *default_pixel_id,
                  CapiImportKind      *out_kind,
                  GPtrArray          **out_problems,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(CapiRecordStore) store = NULL;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  store = _capi_record_store_new (side);
  if (!_capi_import_file_into (store, filename, default_pixel_id, NULL, NULL, out_kind,
                               cancellable, error))
    return NULL;

  return store_to_conversions (store, out_problems);
}

GPtrArray *
capi_import_data (const char          *data,
                  gssize               length,
                  const char          *source_name,
                  CapiConversionSide   side,
                  const char          *default_pixel_id,
                  CapiImportKind      *out_kind,
                  GPtrArray          **out_problems,
                  GError             **error)
{
  g_autoptr(CapiRecordStore) store = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);
  store = _capi_record_store_new (side);
  if (!_capi_import_data_into (store, data, length, source_name ? source_name : "-",
                               default_pixel_id, out_kind, error))
    return NULL;

  return store_to_conversions (store, out_problems);
}
