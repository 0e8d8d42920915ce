/* capi-dedup-report.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "capi-dedup-report-private.h"

struct _CapiDedupReport
{
  GObject           parent_instance;

  CapiRecordStore  *pixel;
  CapiRecordStore  *capi;
  GArray           *rows;       /* CapiDedupRowData */
  CapiDedupSummary  summary;
  gint64            window;
  gint64            purchase_window;
  GListStore       *problems;
  CapiDedupReport  *base;       /* a view: the stores are the base's */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapiDedupReport, capi_dedup_report, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_WINDOW,
  PROP_PURCHASE_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
list_model_get_item_type (GListModel *model)
{
  return CAPI_TYPE_DEDUP_ROW;
}

static guint
list_model_get_n_items (GListModel *model)
{
  CapiDedupReport *self = CAPI_DEDUP_REPORT (model);

  return self->rows->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  CapiDedupReport *self = CAPI_DEDUP_REPORT (model);
  const CapiDedupRowData *row;
  g_autoptr(CapiConversion) pixel = NULL;
  g_autoptr(CapiConversion) capi = NULL;

  if (position >= self->rows->len)
    return NULL;
  row = &g_array_index (self->rows, CapiDedupRowData, position);
  if (row->pixel >= 0)
    pixel = _capi_record_to_conversion (self->pixel, &g_array_index (self->pixel->records,
                                                                     CapiRecord, row->pixel));
  if (row->capi >= 0)
    capi = _capi_record_to_conversion (self->capi, &g_array_index (self->capi->records,
                                                                   CapiRecord, row->capi));

  return capi_dedup_row_new (row->klass, row->reason, pixel, capi, row->counted);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
capi_dedup_report_finalize (GObject *object)
{
  CapiDedupReport *self = (CapiDedupReport *)object;

  if (self->base == NULL)
    {
      g_clear_pointer (&self->pixel, _capi_record_store_free);
      g_clear_pointer (&self->capi, _capi_record_store_free);
    }
  g_clear_object (&self->base);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_object (&self->problems);

  G_OBJECT_CLASS (capi_dedup_report_parent_class)->finalize (object);
}

static void
capi_dedup_report_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CapiDedupReport *self = CAPI_DEDUP_REPORT (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rows->len);
      break;

    case PROP_WINDOW:
      g_value_set_int64 (value, self->window);
      break;

    case PROP_PURCHASE_WINDOW:
      g_value_set_int64 (value, self->purchase_window);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_dedup_report_class_init (CapiDedupReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_dedup_report_finalize;
  object_class->get_property = capi_dedup_report_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_WINDOW] =
    g_param_spec_int64 ("window", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PURCHASE_WINDOW] =
    g_param_spec_int64 ("purchase-window", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_dedup_report_init (CapiDedupReport *self)
{
  self->problems = g_list_store_new (CAPI_TYPE_FINDING);
}

CapiDedupReport *
_capi_dedup_report_new (CapiRecordStore        *pixel,
                        CapiRecordStore        *capi,
                        GArray                 *rows,
                        const CapiDedupSummary *summary,
                        gint64                  window,
                        gint64                  purchase_window)
{
  CapiDedupReport *self = g_object_new (CAPI_TYPE_DEDUP_REPORT, NULL);

  self->pixel = pixel;
  self->capi = capi;
  self->rows = rows;
  self->summary = *summary;
  self->window = window;
  self->purchase_window = purchase_window;
  for (guint i = 0; i < pixel->problems->len; i++)
    g_list_store_append (self->problems, g_ptr_array_index (pixel->problems, i));
  for (guint i = 0; i < capi->problems->len; i++)
    g_list_store_append (self->problems, g_ptr_array_index (capi->problems, i));

  return self;
}

const CapiDedupSummary *
capi_dedup_report_get_summary (CapiDedupReport *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), NULL);
  return &self->summary;
}

gint64
capi_dedup_report_get_window (CapiDedupReport *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), 0);
  return self->window;
}

gint64
capi_dedup_report_get_purchase_window (CapiDedupReport *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), 0);
  return self->purchase_window;
}

CapiDedupClassification
capi_dedup_report_get_row_class (CapiDedupReport *self,
                                 guint            position)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), 0);
  g_return_val_if_fail (position < self->rows->len, 0);

  return g_array_index (self->rows, CapiDedupRowData, position).klass;
}

GListModel *
capi_dedup_report_get_problems (CapiDedupReport *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), NULL);
  return G_LIST_MODEL (self->problems);
}

guint64
capi_dedup_report_get_n_problems (CapiDedupReport *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), 0);
  return self->pixel->n_problems + self->capi->n_problems;
}

gboolean
capi_dedup_format_from_string (const char      *text,
                               CapiDedupFormat *out_format)
{
  static const char *const names[] = { "text", "json", "csv", "markdown", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out_format = i;
        return TRUE;
      }
  if (g_strcmp0 (text, "md") == 0)
    {
      *out_format = CAPI_DEDUP_FORMAT_MARKDOWN;
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Writers                                                             */

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buf;
  GError        *error;
} Out;

static gboolean
out_flush (Out *o)
{
  gsize written;

  if (o->error != NULL)
    return FALSE;
  if (o->buf->len > 0 &&
      !g_output_stream_write_all (o->stream, o->buf->str, o->buf->len, &written, o->cancellable,
                                  &o->error))
    return FALSE;
  g_string_truncate (o->buf, 0);
  return TRUE;
}

static inline gboolean
out_maybe_flush (Out *o)
{
  return o->buf->len < (1 << 20) || out_flush (o);
}

static void
json_string (GString    *s,
             const char *v)
{
  if (v == NULL)
    {
      g_string_append (s, "null");
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = v; *p;)
    {
      const char *run = p;
      guchar ch;

      /* Copy runs of plain characters at once. */
      while (*p && (guchar)*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      g_string_append_len (s, run, p - run);
      if (*p == '\0')
        break;
      ch = *p++;
      if (ch == '"' || ch == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, ch);
        }
      else
        g_string_append_printf (s, "\\u%04x", ch);
    }
  g_string_append_c (s, '"');
}

static void
csv_cell (GString    *s,
          const char *v)
{
  if (v == NULL)
    return;
  if (strpbrk (v, ",\"\n\r") == NULL)
    {
      g_string_append (s, v);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = v; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
md_cell (GString    *s,
         const char *v)
{
  g_string_append_c (s, ' ');
  for (const char *p = v ? v : ""; *p; p++)
    {
      if (*p == '|' || *p == '\\' || *p == '`')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p == '\n' ? ' ' : *p);
    }
  g_string_append (s, " |");
}

/* ISO 8601 in UTC.  Days to a civil date by Howard Hinnant's algorithm:
 * a report of a million rows formats two million times, and a GDateTime
 * for each costs more than the whole join. */
static void
format_time (char  *buf,
             gsize  size,
             gint64 t)
{
  gint64 days, secs, z, era, doe, yoe, y, doy, mp, d, m;

  buf[0] = '\0';
  if (t == CAPI_CONVERSION_TIME_UNKNOWN || t < -G_GINT64_CONSTANT (62135596800) ||
      t > G_GINT64_CONSTANT (253402300799))
    return;
  days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  secs = t - days * 86400;
  z = days + 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  g_snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
              (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* The flat values of one row, borrowed from the stores. */
typedef struct
{
  const char *klass;
  const char *reason;
  const char *pixel_id;
  const char *event_name;
  const char *dedup_id;
  const char *transaction_id;
  char        pixel_time[32];
  char        capi_time[32];
  gboolean    has_delta;
  gint64      delta;
  gboolean    time_unknown;
  guint       counted;
} Flat;

static const char *
pick (const CapiRecord *p,
      const CapiRecord *c,
      gsize             offset)
{
  const char *v = p ? G_STRUCT_MEMBER (const char *, p, offset) : NULL;

  if (v == NULL && c != NULL)
    v = G_STRUCT_MEMBER (const char *, c, offset);
  return v;
}

static void
flatten (CapiDedupReport        *self,
         const CapiDedupRowData *row,
         Flat                   *f)
{
  const CapiRecord *p = row->pixel >= 0 ? &g_array_index (self->pixel->records, CapiRecord, row->pixel) : NULL;
  const CapiRecord *c = row->capi >= 0 ? &g_array_index (self->capi->records, CapiRecord, row->capi) : NULL;

  f->klass = capi_dedup_class_to_string (row->klass);
  f->reason = capi_dedup_reason_to_string (row->reason);
  f->pixel_id = pick (p, c, G_STRUCT_OFFSET (CapiRecord, pixel_id));
  f->event_name = pick (p, c, G_STRUCT_OFFSET (CapiRecord, event_name));
  f->dedup_id = pick (p, c, G_STRUCT_OFFSET (CapiRecord, dedup_id));
  f->transaction_id = pick (p, c, G_STRUCT_OFFSET (CapiRecord, transaction_id));
  format_time (f->pixel_time, sizeof f->pixel_time, p ? p->time : CAPI_CONVERSION_TIME_UNKNOWN);
  format_time (f->capi_time, sizeof f->capi_time, c ? c->time : CAPI_CONVERSION_TIME_UNKNOWN);
  f->has_delta = p && c && p->time != CAPI_CONVERSION_TIME_UNKNOWN &&
                 c->time != CAPI_CONVERSION_TIME_UNKNOWN;
  f->delta = f->has_delta ? c->time - p->time : 0;
  f->time_unknown = row->time_unknown;
  f->counted = row->counted;
}

static gboolean
needs_attention (const CapiDedupRowData *row)
{
  return row->klass == CAPI_DEDUP_CLASS_DOUBLE_COUNTED || row->klass == CAPI_DEDUP_CLASS_ID_REUSED;
}

static const struct
{
  const char *key;
  gsize       offset;
} summary_keys[] = {
  { "pixel_events", G_STRUCT_OFFSET (CapiDedupSummary, pixel_events) },
  { "capi_events", G_STRUCT_OFFSET (CapiDedupSummary, capi_events) },
  { "deduplicated", G_STRUCT_OFFSET (CapiDedupSummary, deduplicated) },
  { "purchase_matched", G_STRUCT_OFFSET (CapiDedupSummary, purchase_matched) },
  { "pixel_only", G_STRUCT_OFFSET (CapiDedupSummary, pixel_only) },
  { "capi_only", G_STRUCT_OFFSET (CapiDedupSummary, capi_only) },
  { "double_counted", G_STRUCT_OFFSET (CapiDedupSummary, double_counted) },
  { "id_reused", G_STRUCT_OFFSET (CapiDedupSummary, id_reused) },
  { "counted_by_snap", G_STRUCT_OFFSET (CapiDedupSummary, counted_by_snap) },
  { "duplicates", G_STRUCT_OFFSET (CapiDedupSummary, duplicates) },
  { "time_unknown", G_STRUCT_OFFSET (CapiDedupSummary, time_unknown) },
};

static void
write_json (CapiDedupReport *self,
            gboolean         summary_only,
            Out             *o)
{
  const CapiDedupSummary *s = &self->summary;
  char rate[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (o->buf, "{\n  \"summary\": {");
  for (guint i = 0; i < G_N_ELEMENTS (summary_keys); i++)
    g_string_append_printf (o->buf, "%s\n    \"%s\": %" G_GUINT64_FORMAT, i ? "," : "",
                            summary_keys[i].key,
                            G_STRUCT_MEMBER (guint64, s, summary_keys[i].offset));
  g_ascii_formatd (rate, sizeof rate, "%.4f", s->match_rate);
  g_string_append_printf (o->buf, ",\n    \"match_rate\": %s", rate);
  g_string_append (o->buf, ",\n    \"reasons\": {");
  for (guint r = 1; r < CAPI_DEDUP_N_REASONS; r++)
    g_string_append_printf (o->buf, "%s\"%s\": %" G_GUINT64_FORMAT, r > 1 ? ", " : "",
                            capi_dedup_reason_to_string (r), s->reasons[r]);
  g_string_append_printf (o->buf, "},\n    \"window_seconds\": %" G_GINT64_FORMAT
                          ",\n    \"purchase_window_seconds\": %" G_GINT64_FORMAT
                          ",\n    \"import_problems\": %" G_GUINT64_FORMAT "\n  }",
                          self->window, self->purchase_window,
                          capi_dedup_report_get_n_problems (self));

  if (!summary_only)
    {
      g_string_append (o->buf, ",\n  \"rows\": [");
      for (guint i = 0; i < self->rows->len; i++)
        {
          Flat f;

          flatten (self, &g_array_index (self->rows, CapiDedupRowData, i), &f);
          g_string_append (o->buf, i ? ",\n    {\"class\": " : "\n    {\"class\": ");
          json_string (o->buf, f.klass);
          g_string_append (o->buf, ", \"reason\": ");
          json_string (o->buf, f.reason);
          g_string_append (o->buf, ", \"pixel_id\": ");
          json_string (o->buf, f.pixel_id);
          g_string_append (o->buf, ", \"event_name\": ");
          json_string (o->buf, f.event_name);
          g_string_append (o->buf, ", \"dedup_id\": ");
          json_string (o->buf, f.dedup_id);
          g_string_append (o->buf, ", \"transaction_id\": ");
          json_string (o->buf, f.transaction_id);
          g_string_append (o->buf, ", \"pixel_time\": ");
          json_string (o->buf, f.pixel_time[0] ? f.pixel_time : NULL);
          g_string_append (o->buf, ", \"capi_time\": ");
          json_string (o->buf, f.capi_time[0] ? f.capi_time : NULL);
          if (f.has_delta)
            g_string_append_printf (o->buf, ", \"delta_seconds\": %" G_GINT64_FORMAT, f.delta);
          else
            g_string_append (o->buf, ", \"delta_seconds\": null");
          g_string_append_printf (o->buf, ", \"time_unknown\": %s, \"counted\": %u}",
                                  f.time_unknown ? "true" : "false", f.counted);
          if (!out_maybe_flush (o))
            return;
        }
      g_string_append (o->buf, "\n  ]");
    }
  g_string_append (o->buf, "\n}\n");
}

static void
write_csv (CapiDedupReport *self,
           Out             *o)
{
  g_string_append (o->buf, "class,reason,pixel_id,event_name,dedup_id,transaction_id,"
                           "pixel_time,capi_time,delta_seconds,time_unknown,counted\n");
  for (guint i = 0; i < self->rows->len; i++)
    {
      Flat f;

      flatten (self, &g_array_index (self->rows, CapiDedupRowData, i), &f);
      csv_cell (o->buf, f.klass);
      g_string_append_c (o->buf, ',');
      csv_cell (o->buf, f.reason);
      g_string_append_c (o->buf, ',');
      csv_cell (o->buf, f.pixel_id);
      g_string_append_c (o->buf, ',');
      csv_cell (o->buf, f.event_name);
      g_string_append_c (o->buf, ',');
      csv_cell (o->buf, f.dedup_id);
      g_string_append_c (o->buf, ',');
      csv_cell (o->buf, f.transaction_id);
      g_string_append_printf (o->buf, ",%s,%s,", f.pixel_time, f.capi_time);
      if (f.has_delta)
        g_string_append_printf (o->buf, "%" G_GINT64_FORMAT, f.delta);
      g_string_append_printf (o->buf, ",%s,%u\n", f.time_unknown ? "true" : "false", f.counted);
      if (!out_maybe_flush (o))
        return;
    }
}

static char *
format_duration (gint64 seconds)
{
  if (seconds % 86400 == 0 && seconds >= 3 * 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT " d", seconds / 86400);
  if (seconds % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h", seconds / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT " s", seconds);
}

static void
write_text (CapiDedupReport *self,
            gboolean         markdown,
            gboolean         summary_only,
            Out             *o)
{
  const CapiDedupSummary *s = &self->summary;
  g_autofree char *w = format_duration (self->window);
  g_autofree char *pw = format_duration (self->purchase_window);
  const struct { const char *label; guint64 value; } lines[] = {
    { _("Pixel events"), s->pixel_events },
    { _("CAPI events"), s->capi_events },
    { _("Deduplicated pairs"), s->deduplicated },
    { _("PURCHASE matched by transaction id"), s->purchase_matched },
    { _("Pixel only"), s->pixel_only },
    { _("CAPI only"), s->capi_only },
    { _("Double-counted"), s->double_counted },
    { _("Id reused (undercount)"), s->id_reused },
    { _("Re-sends folded within a side"), s->duplicates },
    { _("Conversions Snap would count"), s->counted_by_snap },
  };
  guint shown = 0;

  if (markdown)
    g_string_append_printf (o->buf, "## %s\n\n| %s | %s |\n|---|---:|\n",
                            _("Pixel vs CAPI deduplication"), _("Figure"), _("Count"));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_string_append_printf (o->buf, markdown ? "| %s | %" G_GUINT64_FORMAT " |\n"
                                             : "%-36s %" G_GUINT64_FORMAT "\n",
                            lines[i].label, lines[i].value);
  g_string_append_printf (o->buf, markdown ? "| %s | %.1f %% |\n" : "%-36s %.1f %%\n",
                          _("Match rate"), s->match_rate * 100.0);
  if (markdown)
    g_string_append_c (o->buf, '\n');
  {
    /* Translators: the two windows, e.g. "48 h" and "30 d" */
    g_autofree char *windows = g_strdup_printf (_("Windows: %s for the dedup id, %s for the transaction id."),
                                                w, pw);
    g_string_append_printf (o->buf, "%s\n", windows);
  }
  for (guint r = 1; r < CAPI_DEDUP_N_REASONS; r++)
    if (s->reasons[r] > 0)
      g_string_append_printf (o->buf, markdown ? "- double-counted, %s: %" G_GUINT64_FORMAT "\n"
                                               : "  double-counted, %s: %" G_GUINT64_FORMAT "\n",
                              capi_dedup_reason_to_string (r), s->reasons[r]);
  if (s->time_unknown > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, s->time_unknown);
      g_autofree char *note = g_strdup_printf (_("%s rows had an unknown time: their window check was assumed to pass."),
                                               count);
      g_string_append_printf (o->buf, "%s\n", note);
    }

  if (summary_only)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const CapiDedupRowData *row = &g_array_index (self->rows, CapiDedupRowData, i);
      Flat f;

      if (!needs_attention (row))
        continue;
      if (shown == 0)
        {
          if (markdown)
            g_string_append_printf (o->buf, "\n### %s\n\n| class | reason | pixel_id | event_name | dedup_id | transaction_id | pixel_time | capi_time | delta_seconds |\n|---|---|---|---|---|---|---|---|---:|\n",
                                    _("Rows that need attention"));
          else
            g_string_append_printf (o->buf, "\n%s\n", _("Rows that need attention:"));
        }
      shown++;
      flatten (self, row, &f);
      if (markdown)
        {
          char delta[32] = "";

          if (f.has_delta)
            g_snprintf (delta, sizeof delta, "%" G_GINT64_FORMAT, f.delta);
          g_string_append_c (o->buf, '|');
          md_cell (o->buf, f.klass);
          md_cell (o->buf, f.reason);
          md_cell (o->buf, f.pixel_id);
          md_cell (o->buf, f.event_name);
          md_cell (o->buf, f.dedup_id);
          md_cell (o->buf, f.transaction_id);
          md_cell (o->buf, f.pixel_time);
          md_cell (o->buf, f.capi_time);
          md_cell (o->buf, delta);
          g_string_append_c (o->buf, '\n');
        }
      else
        {
          g_string_append_printf (o->buf, "  %s%s%s  %s  id=%s  pixel=%s  pixel_time=%s  capi_time=%s",
                                  f.klass, f.reason ? "/" : "", f.reason ? f.reason : "",
                                  f.event_name, f.dedup_id ? f.dedup_id : "-",
                                  f.pixel_id ? f.pixel_id : "-",
                                  f.pixel_time[0] ? f.pixel_time : "?",
                                  f.capi_time[0] ? f.capi_time : "?");
          if (f.has_delta)
            g_string_append_printf (o->buf, "  delta=%" G_GINT64_FORMAT "s", f.delta);
          g_string_append_c (o->buf, '\n');
        }
      if (!out_maybe_flush (o))
        return;
    }
}

gboolean
capi_dedup_report_write (CapiDedupReport  *self,
                         CapiDedupFormat   format,
                         gboolean          summary_only,
                         GOutputStream    *stream,
                         GCancellable     *cancellable,
                         GError          **error)
{
  Out o = { stream, cancellable, NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  o.buf = g_string_sized_new (1 << 20);
  switch (format)
    {
    case CAPI_DEDUP_FORMAT_JSON:
      write_json (self, summary_only, &o);
      break;
    case CAPI_DEDUP_FORMAT_CSV:
      write_csv (self, &o);
      break;
    case CAPI_DEDUP_FORMAT_MARKDOWN:
      write_text (self, TRUE, summary_only, &o);
      break;
    case CAPI_DEDUP_FORMAT_TEXT:
    default:
      write_text (self, FALSE, summary_only, &o);
      break;
    }
  ok = out_flush (&o);
  g_string_free (o.buf, TRUE);
  if (!ok)
    {
      g_propagate_error (error, o.error);
      return FALSE;
    }
  return TRUE;
}

/* --- views ----------------------------------------------------------- */

typedef struct
{
  CapiDedupReport  *report;
  CapiDedupSortKey  key;
  int               direction;   /* 1 ascending, -1 descending */
} SortData;

static const CapiRecord *
row_record (CapiDedupReport        *self,
            const CapiDedupRowData *row,
            CapiConversionSide      side)
{
  if (side == CAPI_CONVERSION_SIDE_PIXEL)
    return row->pixel >= 0 ? &g_array_index (self->pixel->records, CapiRecord, row->pixel) : NULL;
  return row->capi >= 0 ? &g_array_index (self->capi->records, CapiRecord, row->capi) : NULL;
}

/* The value a table shows: the pixel side's unless it has none, as
 * capi_dedup_row_get_dedup_id() and the other row getters do. */
static const char *
row_string (CapiDedupReport        *self,
            const CapiDedupRowData *row,
            CapiDedupSortKey        key)
{
  const CapiRecord *records[2] = {
    row_record (self, row, CAPI_CONVERSION_SIDE_PIXEL),
    row_record (self, row, CAPI_CONVERSION_SIDE_CAPI),
  };

  for (guint i = 0; i < 2; i++)
    {
      const char *value = NULL;

      if (records[i] == NULL)
        continue;
      switch (key)
        {
        case CAPI_DEDUP_SORT_EVENT_NAME:
          value = records[i]->event_name;
          break;
        case CAPI_DEDUP_SORT_DEDUP_ID:
          value = records[i]->dedup_id;
          break;
        case CAPI_DEDUP_SORT_TRANSACTION_ID:
          value = records[i]->transaction_id;
          break;
        case CAPI_DEDUP_SORT_PIXEL_ID:
          value = records[i]->pixel_id;
          break;
        case CAPI_DEDUP_SORT_NONE:
        case CAPI_DEDUP_SORT_CLASS:
        case CAPI_DEDUP_SORT_REASON:
        case CAPI_DEDUP_SORT_PIXEL_TIME:
        case CAPI_DEDUP_SORT_CAPI_TIME:
        case CAPI_DEDUP_SORT_DELTA:
        default:
          g_assert_not_reached ();
        }
      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

/* A number to sort by; FALSE when the row has none (it then sorts last). */
static gboolean
row_number (CapiDedupReport        *self,
            const CapiDedupRowData *row,
            CapiDedupSortKey        key,
            gint64                 *out)
{
  const CapiRecord *pixel = row_record (self, row, CAPI_CONVERSION_SIDE_PIXEL);
  const CapiRecord *capi = row_record (self, row, CAPI_CONVERSION_SIDE_CAPI);

  switch (key)
    {
    case CAPI_DEDUP_SORT_CLASS:
      *out = row->klass;
      return TRUE;
    case CAPI_DEDUP_SORT_REASON:
      *out = row->reason;
      return TRUE;
    case CAPI_DEDUP_SORT_PIXEL_TIME:
      *out = pixel != NULL ? pixel->time : CAPI_CONVERSION_TIME_UNKNOWN;
      return *out != CAPI_CONVERSION_TIME_UNKNOWN;
    case CAPI_DEDUP_SORT_CAPI_TIME:
      *out = capi != NULL ? capi->time : CAPI_CONVERSION_TIME_UNKNOWN;
      return *out != CAPI_CONVERSION_TIME_UNKNOWN;
    case CAPI_DEDUP_SORT_DELTA:
      if (pixel == NULL || capi == NULL ||
          pixel->time == CAPI_CONVERSION_TIME_UNKNOWN || capi->time == CAPI_CONVERSION_TIME_UNKNOWN)
        return FALSE;
      *out = capi->time - pixel->time;
      return TRUE;
    case CAPI_DEDUP_SORT_NONE:
    case CAPI_DEDUP_SORT_EVENT_NAME:
    case CAPI_DEDUP_SORT_DEDUP_ID:
    case CAPI_DEDUP_SORT_TRANSACTION_ID:
    case CAPI_DEDUP_SORT_PIXEL_ID:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
key_is_text (CapiDedupSortKey key)
{
  return key == CAPI_DEDUP_SORT_EVENT_NAME || key == CAPI_DEDUP_SORT_DEDUP_ID ||
         key == CAPI_DEDUP_SORT_TRANSACTION_ID || key == CAPI_DEDUP_SORT_PIXEL_ID;
}

/* Rows without a value go last in either direction; equal rows keep the
 * report's order, so the result does not depend on the sort algorithm. */
static int
compare_positions (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const SortData *data = user_data;
  guint32 pa = *(const guint32 *) a;
  guint32 pb = *(const guint32 *) b;
  const CapiDedupRowData *ra = &g_array_index (data->report->rows, CapiDedupRowData, pa);
  const CapiDedupRowData *rb = &g_array_index (data->report->rows, CapiDedupRowData, pb);
  int result;

  if (key_is_text (data->key))
    {
      const char *ta = row_string (data->report, ra, data->key);
      const char *tb = row_string (data->report, rb, data->key);

      if (ta == NULL || tb == NULL)
        result = ta == tb ? 0 : (ta == NULL ? 1 : -1);
      else
        result = data->direction * strcmp (ta, tb);
    }
  else
    {
      gint64 na = 0, nb = 0;
      gboolean ha = row_number (data->report, ra, data->key, &na);
      gboolean hb = row_number (data->report, rb, data->key, &nb);

      if (!ha || !hb)
        result = ha == hb ? 0 : (ha ? -1 : 1);
      else
        result = data->direction * ((na > nb) - (na < nb));
    }

  return result != 0 ? result : (pa > pb) - (pa < pb);
}

/* NEEDLE is case-folded; ASCII text is compared without allocating. */
static gboolean
contains_folded (const char *haystack,
                 const char *needle,
                 gsize       needle_len,
                 gboolean    needle_ascii)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  if (needle_ascii && g_str_is_ascii (haystack))
    {
      gsize len = strlen (haystack);

      for (gsize i = 0; i + needle_len <= len; i++)
        if (g_ascii_strncasecmp (haystack + i, needle, needle_len) == 0)
          return TRUE;
      return FALSE;
    }
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
record_matches (const CapiRecord *record,
                const char       *needle,
                gsize             needle_len,
                gboolean          needle_ascii)
{
  return record != NULL &&
         (contains_folded (record->dedup_id, needle, needle_len, needle_ascii) ||
          contains_folded (record->transaction_id, needle, needle_len, needle_ascii) ||
          contains_folded (record->event_name, needle, needle_len, needle_ascii) ||
          contains_folded (record->pixel_id, needle, needle_len, needle_ascii));
}

/**
 * capi_dedup_report_dup_view:
 * @options: which rows, in which order
 *
 * A report of the rows of @self that @options lets through, in its order,
 * sharing @self's data (it keeps @self alive): what a table shows after
 * class filters, a search and a sort, computed from the compact rows
 * without making a row object for each.  It has the summary, windows and
 * problems of @self.  Blocking, and safe in a worker thread (a report is
 * never changed once made).
 *
 * Returns: (transfer full) (nullable): the view, or NULL if cancelled
 */
CapiDedupReport *
capi_dedup_report_dup_view (CapiDedupReport             *self,
                            const CapiDedupViewOptions  *options,
                            GCancellable                *cancellable)
{
  CapiDedupReport *base;
  CapiDedupReport *view;
  g_autoptr(GArray) positions = NULL;
  g_autofree char *needle = NULL;
  gsize needle_len = 0;
  gboolean needle_ascii = TRUE;
  GArray *rows;

  g_return_val_if_fail (CAPI_IS_DEDUP_REPORT (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->sort_key <= CAPI_DEDUP_SORT_DELTA, NULL);

  if (options->search != NULL && *options->search != '\0')
    {
      needle = g_utf8_casefold (options->search, -1);
      needle_len = strlen (needle);
      needle_ascii = g_str_is_ascii (needle);
    }

  positions = g_array_sized_new (FALSE, FALSE, sizeof (guint32), self->rows->len);
  for (guint32 i = 0; i < self->rows->len; i++)
    {
      const CapiDedupRowData *row = &g_array_index (self->rows, CapiDedupRowData, i);

      if ((i & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
      if (options->classes != 0 && (options->classes & (1u << row->klass)) == 0)
        continue;
      if (needle != NULL &&
          !record_matches (row_record (self, row, CAPI_CONVERSION_SIDE_PIXEL), needle, needle_len, needle_ascii) &&
          !record_matches (row_record (self, row, CAPI_CONVERSION_SIDE_CAPI), needle, needle_len, needle_ascii))
        continue;
      g_array_append_val (positions, i);
    }

  if (options->sort_key != CAPI_DEDUP_SORT_NONE)
    {
      SortData data = { self, options->sort_key, options->descending ? -1 : 1 };

      if (g_cancellable_is_cancelled (cancellable))
        return NULL;
      g_qsort_with_data (positions->data, positions->len, sizeof (guint32), compare_positions, &data);
    }

  rows = g_array_sized_new (FALSE, FALSE, sizeof (CapiDedupRowData), positions->len);
  for (guint i = 0; i < positions->len; i++)
    g_array_append_val (rows, g_array_index (self->rows, CapiDedupRowData,
                                             g_array_index (positions, guint32, i)));

  /* The stores belong to the report that read them. */
  base = self->base != NULL ? self->base : self;
  view = g_object_new (CAPI_TYPE_DEDUP_REPORT, NULL);
  view->base = g_object_ref (base);
  view->pixel = base->pixel;
  view->capi = base->capi;
  view->rows = rows;
  view->summary = base->summary;
  view->window = base->window;
  view->purchase_window = base->purchase_window;
  g_set_object (&view->problems, base->problems);

  return view;
}
