/* capi-dedup-page.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "capi-a11y.h"
#include "capi-dedup-page.h"
#include "capi-finding.h"
#include "capi-ui-util.h"

/*
 * The Dedup page: what the pixel fired against what the server sent.
 *
 * "setup" collects files for each side (buttons or drag and drop, plus the
 * app's own history on the server side) and runs a CapiDedup in a worker
 * thread with a progress bar and Cancel.  "report" shows the summary as
 * figures and a split bar, class filter chips, a sortable table and, for the
 * selected row, both sides next to each other with what differs marked and
 * the reason and fix in plain words.
 *
 *   CapiDedupReport --capi_dedup_report_dup_view (chips, search, sorted
 *     column; in a worker)--> view (a CapiDedupReport) -> GtkSingleSelection
 *     -> GtkColumnView
 *
 * Translatable counts are printed with %llu and a cast, not
 * G_GUINT64_FORMAT: xgettext cannot read a string that a macro splits.
 */

/* The table's columns, in order. */
typedef enum {
  COLUMN_CLASS,
  COLUMN_REASON,
  COLUMN_EVENT,
  COLUMN_DEDUP_ID,
  COLUMN_TRANSACTION_ID,
  COLUMN_PIXEL_ID,
  COLUMN_PIXEL_TIME,
  COLUMN_CAPI_TIME,
  COLUMN_DELTA,
  N_COLUMNS
} Column;

/* The rows of the side-by-side view. */
typedef enum {
  FIELD_EVENT,
  FIELD_PIXEL_ID,
  FIELD_DEDUP_ID,
  FIELD_TRANSACTION_ID,
  FIELD_TIME,
  FIELD_SOURCE,
  N_FIELDS
} Field;

/* The summary figures. */
typedef enum {
  FIGURE_COUNTED,
  FIGURE_DEDUPLICATED,
  FIGURE_DOUBLE_COUNTED,
  FIGURE_ID_REUSED,
  FIGURE_PIXEL_ONLY,
  FIGURE_CAPI_ONLY,
  FIGURE_MATCH_RATE,
  N_FIGURES
} Figure;

struct _CapiDedupPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwEntryRow        *capi_pixel_row;
  GtkListBox         *capi_list;
  GtkWidget          *capi_zone;
  GtkFlowBox         *chips_box;
  GtkColumnView      *column_view;
  GtkLabel           *counts_label;
  GtkLabel           *detail_explanation;
  GtkLabel           *detail_flag;
  GtkGrid            *detail_grid;
  GtkStack           *detail_stack;
  GtkLabel           *detail_title;
  GtkFlowBox         *figures_box;
  AdwLeaflet         *leaflet;
  GtkListBox         *pixel_list;
  GtkWidget          *pixel_zone;
  GtkListBox         *problems_list;
  AdwExpanderRow     *problems_row;
  GtkProgressBar     *progress_bar;
  GtkRevealer        *progress_revealer;
  GtkSearchEntry     *search_entry;
  GtkDrawingArea     *split_bar;
  GtkStack           *stack;
  GtkStack           *table_stack;
  GtkCheckButton     *use_history_check;
  AdwActionRow       *windows_row;

  /* Built in init */
  GtkToggleButton    *chips[CAPI_DEDUP_N_CLASSES];
  GtkLabel           *figure_values[N_FIGURES];
  GtkLabel           *pixel_values[N_FIELDS];
  GtkLabel           *capi_values[N_FIELDS];
  GList              *problem_rows;

  /* Owned */
  GListStore         *files[2];      /* GFile, by CapiConversionSide */
  CapiHistory        *history;
  GSettings          *settings;
  CapiDedup          *dedup;         /* the run under way or last run */
  CapiDedupReport    *report;
  CapiDedupReport    *view;          /* the rows shown: filtered, sorted */
  GtkSingleSelection *selection;
  GCancellable       *view_cancellable;
  GObject            *probe_a;       /* see current_sort() */
  GObject            *probe_b;
  int                 probed_column;
  struct {
    CapiDedupPage    *page;
    Column            column;
  }                   probes[N_COLUMNS];
  GCancellable       *cancellable;   /* for the page's lifetime */
  GCancellable       *run_cancellable;
  char               *search_folded;
  gboolean            running;
  gboolean            updating;         /* a view is being computed */
  gboolean            select_problem;   /* once the new report's table is complete */

  /* Benchmark mode (CAPI_INSPECTOR_BENCH): timings on standard output */
  gint64              bench_start_us;
  gint64              bench_last_tick_us;
  gint64              bench_max_stall_us;
  gint64              bench_sort_start_us;
  guint               bench_tick;
};

G_DEFINE_FINAL_TYPE (CapiDedupPage, capi_dedup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_RUNNING,
  PROP_UPDATING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours of the split bar and the chips (the GNOME palette). */
static const GdkRGBA class_colours[CAPI_DEDUP_N_CLASSES] = {
  [CAPI_DEDUP_CLASS_DEDUPLICATED]     = { 0.180, 0.761, 0.494, 1.0 },  /* green 4 */
  [CAPI_DEDUP_CLASS_PURCHASE_MATCHED] = { 0.208, 0.518, 0.894, 1.0 },  /* blue 3 */
  [CAPI_DEDUP_CLASS_DOUBLE_COUNTED]   = { 0.878, 0.106, 0.141, 1.0 },  /* red 3 */
  [CAPI_DEDUP_CLASS_ID_REUSED]        = { 1.000, 0.471, 0.000, 1.0 },  /* orange 3 */
  [CAPI_DEDUP_CLASS_PIXEL_ONLY]       = { 0.569, 0.255, 0.675, 1.0 },  /* purple 3 */
  [CAPI_DEDUP_CLASS_CAPI_ONLY]        = { 0.965, 0.827, 0.176, 1.0 },  /* yellow 3 */
};

/* Helpers --------------------------------------------------------------- */

static guint64
class_count (const CapiDedupSummary  *s,
             CapiDedupClassification  klass)
{
  switch (klass)
    {
    case CAPI_DEDUP_CLASS_DEDUPLICATED:
      return s->deduplicated;
    case CAPI_DEDUP_CLASS_PURCHASE_MATCHED:
      return s->purchase_matched;
    case CAPI_DEDUP_CLASS_DOUBLE_COUNTED:
      return s->double_counted;
    case CAPI_DEDUP_CLASS_ID_REUSED:
      return s->id_reused;
    case CAPI_DEDUP_CLASS_PIXEL_ONLY:
      return s->pixel_only;
    case CAPI_DEDUP_CLASS_CAPI_ONLY:
      return s->capi_only;
    case CAPI_DEDUP_N_CLASSES:
    default:
      return 0;
    }
}

static const char *
class_style (CapiDedupClassification klass)
{
  switch (klass)
    {
    case CAPI_DEDUP_CLASS_DEDUPLICATED:
    case CAPI_DEDUP_CLASS_PURCHASE_MATCHED:
      return "success";
    case CAPI_DEDUP_CLASS_DOUBLE_COUNTED:
      return "error";
    case CAPI_DEDUP_CLASS_ID_REUSED:
      return "warning";
    case CAPI_DEDUP_CLASS_PIXEL_ONLY:
    case CAPI_DEDUP_CLASS_CAPI_ONLY:
    case CAPI_DEDUP_N_CLASSES:
    default:
      return "dim-label";
    }
}

static char *
dup_delta_text (CapiDedupRow *row)
{
  gint64 delta;

  if (!capi_dedup_row_get_delta (row, &delta))
    return NULL;
  /* Translators: seconds between the pixel event and the server event */
  return g_strdup_printf (_("%+lld s"), (long long) delta);
}

static char *
dup_conversion_time (CapiConversion *conversion)
{
  return conversion != NULL ? capi_conversion_dup_time_string (conversion) : NULL;
}

/* The text of one table cell.  (transfer full) (nullable) */
static char *
dup_cell_text (CapiDedupRow *row,
               Column        column)
{
  switch (column)
    {
    case COLUMN_CLASS:
      return g_strdup (capi_dedup_class_get_label (capi_dedup_row_get_class (row)));
    case COLUMN_REASON:
      return g_strdup (capi_dedup_reason_get_label (capi_dedup_row_get_reason (row)));
    case COLUMN_EVENT:
      return g_strdup (capi_dedup_row_get_event_name (row));
    case COLUMN_DEDUP_ID:
      return g_strdup (capi_dedup_row_get_dedup_id (row));
    case COLUMN_TRANSACTION_ID:
      return g_strdup (capi_dedup_row_get_transaction_id (row));
    case COLUMN_PIXEL_ID:
      return g_strdup (capi_dedup_row_get_pixel_id (row));
    case COLUMN_PIXEL_TIME:
      return dup_conversion_time (capi_dedup_row_get_pixel (row));
    case COLUMN_CAPI_TIME:
      return dup_conversion_time (capi_dedup_row_get_capi (row));
    case COLUMN_DELTA:
      return dup_delta_text (row);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* The text of one side of the detail view.  (transfer full) (nullable) */
static char *
dup_field_text (CapiConversion *conversion,
                Field           field)
{
  if (conversion == NULL)
    return NULL;

  switch (field)
    {
    case FIELD_EVENT:
      return g_strdup (capi_conversion_get_event_name (conversion));
    case FIELD_PIXEL_ID:
      return g_strdup (capi_conversion_get_pixel_id (conversion));
    case FIELD_DEDUP_ID:
      return g_strdup (capi_conversion_get_dedup_id (conversion));
    case FIELD_TRANSACTION_ID:
      return g_strdup (capi_conversion_get_transaction_id (conversion));
    case FIELD_TIME:
      return capi_conversion_dup_time_string (conversion);
    case FIELD_SOURCE:
      if (capi_conversion_get_source (conversion) == NULL)
        return NULL;
      {
        /* The file's name is enough here; its tooltip has the path. */
        g_autofree char *name = g_path_get_basename (capi_conversion_get_source (conversion));

        return g_strdup_printf ("%s:%u", name, capi_conversion_get_line (conversion));
      }
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* Each column's sorter only says which column the user chose and in which
 * direction: GTK 4.8 has no API to ask its column view sorter that, but
 * comparing two probe objects with it calls the primary column's sorter
 * (and inverts its answer for a descending sort).  The rows themselves are
 * sorted in the core, on the compact report (capi_dedup_report_dup_view). */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  struct { CapiDedupPage *page; Column column; } *probe = user_data;

  probe->page->probed_column = probe->column;
  return a == b ? 0 : (a == (gconstpointer) probe->page->probe_a ? -1 : 1);
}

static void
current_sort (CapiDedupPage        *self,
              CapiDedupViewOptions *options)
{
  static const CapiDedupSortKey keys[N_COLUMNS] = {
    [COLUMN_CLASS] = CAPI_DEDUP_SORT_CLASS,
    [COLUMN_REASON] = CAPI_DEDUP_SORT_REASON,
    [COLUMN_EVENT] = CAPI_DEDUP_SORT_EVENT_NAME,
    [COLUMN_DEDUP_ID] = CAPI_DEDUP_SORT_DEDUP_ID,
    [COLUMN_TRANSACTION_ID] = CAPI_DEDUP_SORT_TRANSACTION_ID,
    [COLUMN_PIXEL_ID] = CAPI_DEDUP_SORT_PIXEL_ID,
    [COLUMN_PIXEL_TIME] = CAPI_DEDUP_SORT_PIXEL_TIME,
    [COLUMN_CAPI_TIME] = CAPI_DEDUP_SORT_CAPI_TIME,
    [COLUMN_DELTA] = CAPI_DEDUP_SORT_DELTA,
  };
  GtkOrdering order;

  self->probed_column = -1;
  order = gtk_sorter_compare (gtk_column_view_get_sorter (self->column_view),
                              self->probe_a, self->probe_b);
  options->sort_key = CAPI_DEDUP_SORT_NONE;
  options->descending = FALSE;
  if (self->probed_column >= 0 && self->probed_column < N_COLUMNS && order != GTK_ORDERING_EQUAL)
    {
      options->sort_key = keys[self->probed_column];
      options->descending = order == GTK_ORDERING_LARGER;
    }
}

/* The view the chips, the search and the column headers ask for. */
static void
current_options (CapiDedupPage        *self,
                 CapiDedupViewOptions *options)
{
  options->classes = 0;
  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    if (gtk_toggle_button_get_active (self->chips[i]))
      options->classes |= 1u << i;
  options->search = self->search_folded;
  current_sort (self, options);
}

/* State ----------------------------------------------------------------- */

static guint
n_files (CapiDedupPage      *self,
         CapiConversionSide  side)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->files[side]));
}

static gboolean
history_usable (CapiDedupPage *self)
{
  return self->history != NULL &&
         gtk_check_button_get_active (self->use_history_check);
}

static void
update_actions (CapiDedupPage *self)
{
  gboolean has_capi = n_files (self, CAPI_CONVERSION_SIDE_CAPI) > 0 || history_usable (self);
  gboolean has_any = n_files (self, CAPI_CONVERSION_SIDE_PIXEL) > 0 ||
                     n_files (self, CAPI_CONVERSION_SIDE_CAPI) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.compare",
                                 !self->running && has_capi &&
                                 n_files (self, CAPI_CONVERSION_SIDE_PIXEL) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.cancel", self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.add-files", !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.clear-files", !self->running && has_any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.edit", !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dedup.export", self->report != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->use_history_check), self->history != NULL && !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->capi_pixel_row), !self->running);
}

static void
set_running (CapiDedupPage *self,
             gboolean       running)
{
  if (self->running == running)
    return;

  self->running = running;
  gtk_revealer_set_reveal_child (self->progress_revealer, running);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
update_windows_row (CapiDedupPage *self)
{
  guint hours = g_settings_get_uint (self->settings, "dedup-window-hours");
  guint days = g_settings_get_uint (self->settings, "dedup-transaction-window-days");
  g_autofree char *ids = g_strdup_printf (ngettext ("%u hour", "%u hours", hours), hours);
  g_autofree char *transactions = g_strdup_printf (ngettext ("%u day", "%u days", days), days);
  /* Translators: "48 hours for dedup IDs, 30 days for PURCHASE transaction IDs" */
  g_autofree char *text = g_strdup_printf (_("%s for dedup IDs, %s for PURCHASE transaction IDs (change them in Preferences)"),
                                           ids, transactions);

  adw_action_row_set_subtitle (self->windows_row, text);
}

static void
settings_changed_cb (CapiDedupPage *self,
                     const char    *key,
                     GSettings     *settings)
{
  update_windows_row (self);
}

/* File lists ------------------------------------------------------------ */

static void
remove_file_clicked_cb (GtkButton     *button,
                        CapiDedupPage *self)
{
  GFile *file = g_object_get_data (G_OBJECT (button), "capi-file");
  guint position;

  if (self->running)
    return;

  for (guint side = 0; side < 2; side++)
    if (g_list_store_find (self->files[side], file, &position))
      {
        g_list_store_remove (self->files[side], position);
        break;
      }
  update_actions (self);
}

static GtkWidget *
create_file_row (gpointer item,
                 gpointer user_data)
{
  CapiDedupPage *self = user_data;
  GFile *file = item;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *where = parent != NULL ? g_file_get_parse_name (parent) : NULL;
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), name);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (where != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (remove), "capi-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_file_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static void
add_files_from_list (CapiDedupPage      *self,
                     CapiConversionSide  side,
                     GListModel         *files)
{
  guint n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);

      capi_dedup_page_add_file (self, side, file);
    }
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CapiDedupPage *self)
{
  GtkWidget *zone = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  CapiConversionSide side = zone == self->capi_zone ? CAPI_CONVERSION_SIDE_CAPI
                                                    : CAPI_CONVERSION_SIDE_PIXEL;
  GSList *files;

  if (self->running || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    capi_dedup_page_add_file (self, side, l->data);
  g_slist_free (files);

  return TRUE;
}

static void
setup_drop_zone (CapiDedupPage *self,
                 GtkWidget     *zone)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (zone, GTK_EVENT_CONTROLLER (target));
}

/* Report ---------------------------------------------------------------- */

static void
draw_split_bar (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  CapiDedupPage *self = user_data;
  const CapiDedupSummary *s;
  guint64 total = 0;
  double x = 0;

  if (self->report == NULL)
    return;

  s = capi_dedup_report_get_summary (self->report);
  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    total += class_count (s, i);
  if (total == 0)
    return;

  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    {
      double w = (double) width * (double) class_count (s, i) / (double) total;

      if (w <= 0)
        continue;
      gdk_cairo_set_source_rgba (cr, &class_colours[i]);
      cairo_rectangle (cr, x, 0, w, height);
      cairo_fill (cr);
      x += w;
    }
}

static void
draw_chip_dot (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  guint klass = GPOINTER_TO_UINT (user_data);
  double r = MIN (width, height) / 2.0;

  gdk_cairo_set_source_rgba (cr, &class_colours[klass]);
  cairo_arc (cr, width / 2.0, height / 2.0, r, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
set_figure (CapiDedupPage *self,
            Figure         figure,
            const char    *value)
{
  gtk_label_set_label (self->figure_values[figure], value);
}

static void
set_figure_count (CapiDedupPage *self,
                  Figure         figure,
                  guint64        count)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

  set_figure (self, figure, text);
}

static void
clear_problems (CapiDedupPage *self)
{
  for (GList *l = self->problem_rows; l != NULL; l = l->next)
    adw_expander_row_remove (self->problems_row, l->data);
  g_clear_pointer (&self->problem_rows, g_list_free);
}

/* Lists what could not be read (at most the first 200 problems). */
static void
show_problems (CapiDedupPage *self)
{
  GListModel *problems = capi_dedup_report_get_problems (self->report);
  guint64 n = capi_dedup_report_get_n_problems (self->report);
  guint shown = MIN (g_list_model_get_n_items (problems), 200);
  g_autofree char *title = NULL;

  clear_problems (self);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), n > 0);
  if (n == 0)
    return;

  title = g_strdup_printf (ngettext ("%llu entry could not be read and was skipped",
                                     "%llu entries could not be read and were skipped",
                                     n), (unsigned long long) n);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problems_row), title);
  adw_expander_row_set_subtitle (self->problems_row, _("Everything else was compared"));

  for (guint i = 0; i < shown; i++)
    {
      g_autoptr(CapiFinding) finding = g_list_model_get_item (problems, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), capi_finding_get_path (finding));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), capi_finding_get_message (finding));
      adw_expander_row_add_row (self->problems_row, row);
      self->problem_rows = g_list_prepend (self->problem_rows, row);
    }
}

static void
show_summary (CapiDedupPage *self)
{
  const CapiDedupSummary *s = capi_dedup_report_get_summary (self->report);
  g_autofree char *rate = g_strdup_printf ("%.0f %%", s->match_rate * 100.0);
  g_autofree char *counts = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(GString) split = g_string_new (_("Split of the conversions:"));

  set_figure_count (self, FIGURE_COUNTED, s->counted_by_snap);
  set_figure_count (self, FIGURE_DEDUPLICATED, s->deduplicated + s->purchase_matched);
  set_figure_count (self, FIGURE_DOUBLE_COUNTED, s->double_counted);
  set_figure_count (self, FIGURE_ID_REUSED, s->id_reused);
  set_figure_count (self, FIGURE_PIXEL_ONLY, s->pixel_only);
  set_figure_count (self, FIGURE_CAPI_ONLY, s->capi_only);
  set_figure (self, FIGURE_MATCH_RATE, rate);

  for (guint i = 0; i < G_N_ELEMENTS (self->figure_values); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->figure_values[i]), "error");
  if (s->double_counted > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->figure_values[FIGURE_DOUBLE_COUNTED]), "error");
  if (s->id_reused > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->figure_values[FIGURE_ID_REUSED]), "error");

  /* Translators: the first two are event counts; the last, events sent again */
  counts = g_strdup_printf (_("%llu pixel events and %llu server events read; %llu re-sends folded into their first report."),
                            (unsigned long long) s->pixel_events, (unsigned long long) s->capi_events,
                            (unsigned long long) s->duplicates);
  if (s->time_unknown > 0)
    unknown = g_strdup_printf (ngettext (" %llu row had an unknown time: its window check was assumed to pass.",
                                         " %llu rows had an unknown time: their window check was assumed to pass.",
                                         s->time_unknown),
                               (unsigned long long) s->time_unknown);
  {
    g_autofree char *label = g_strconcat (counts, unknown, NULL);
    gtk_label_set_label (self->counts_label, label);
  }

  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    {
      g_autofree char *chip = g_strdup_printf ("%s (%" G_GUINT64_FORMAT ")",
                                               capi_dedup_class_get_label (i), class_count (s, i));
      GtkWidget *label = g_object_get_data (G_OBJECT (self->chips[i]), "capi-label");

      gtk_label_set_label (GTK_LABEL (label), chip);
      g_string_append_printf (split, " %s %" G_GUINT64_FORMAT ",",
                              capi_dedup_class_get_label (i), class_count (s, i));
    }
  g_string_truncate (split, split->len - 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->split_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, split->str,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->split_bar), split->str);
  gtk_widget_queue_draw (GTK_WIDGET (self->split_bar));

  show_problems (self);
}

static void
update_table_state (CapiDedupPage *self)
{
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  gtk_stack_set_visible_child_name (self->table_stack, n_shown > 0 ? "rows" : "no-match");
}

static void
show_detail (CapiDedupPage *self,
             CapiDedupRow  *row)
{
  CapiConversion *pixel;
  CapiConversion *capi;
  g_autofree char *explanation = NULL;
  g_autofree char *title = NULL;

  gtk_stack_set_visible_child_name (self->detail_stack, row != NULL ? "row" : "none");
  if (row == NULL)
    return;

  pixel = capi_dedup_row_get_pixel (row);
  capi = capi_dedup_row_get_capi (row);

  if (capi_dedup_row_get_reason (row) != CAPI_DEDUP_REASON_NONE)
    /* Translators: "Double-counted: Event names differ" */
    title = g_strdup_printf (_("%s: %s"), capi_dedup_class_get_label (capi_dedup_row_get_class (row)),
                             capi_dedup_reason_get_label (capi_dedup_row_get_reason (row)));
  else
    title = g_strdup (capi_dedup_class_get_label (capi_dedup_row_get_class (row)));
  gtk_label_set_label (self->detail_title, title);

  explanation = capi_dedup_row_dup_explanation (row);
  gtk_label_set_label (self->detail_explanation, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_flag), capi_dedup_row_get_time_unknown (row));

  for (guint f = 0; f < N_FIELDS; f++)
    {
      g_autofree char *p = dup_field_text (pixel, f);
      g_autofree char *c = dup_field_text (capi, f);
      /* Where both sides are there, mark what differs (times and sources
       * always differ a little, so only the keys are compared). */
      gboolean differs = pixel != NULL && capi != NULL && f <= FIELD_TRANSACTION_ID &&
                         g_strcmp0 (p, c) != 0 &&
                         !(f == FIELD_PIXEL_ID && (p == NULL || c == NULL));
      GtkLabel *labels[2] = { self->pixel_values[f], self->capi_values[f] };
      const char *texts[2] = { p, c };

      for (guint side = 0; side < 2; side++)
        {
          gboolean absent = (side == 0 ? pixel : capi) == NULL;
          const char *text = texts[side] != NULL ? texts[side] : (absent ? "—" : _("(none)"));

          gtk_label_set_label (labels[side], text);
          if (f == FIELD_SOURCE)
            {
              CapiConversion *conversion = side == 0 ? pixel : capi;

              gtk_widget_set_tooltip_text (GTK_WIDGET (labels[side]),
                                           conversion != NULL ? capi_conversion_get_source (conversion) : NULL);
            }
          if (differs)
            {
              gtk_widget_add_css_class (GTK_WIDGET (labels[side]), "error");
              gtk_accessible_update_property (GTK_ACCESSIBLE (labels[side]),
                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Differs from the other side"),
                                              -1);
            }
          else
            {
              gtk_widget_remove_css_class (GTK_WIDGET (labels[side]), "error");
              gtk_accessible_reset_property (GTK_ACCESSIBLE (labels[side]),
                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
            }
        }
    }
}

static void
selection_changed_cb (CapiDedupPage *self)
{
  show_detail (self, gtk_single_selection_get_selected_item (self->selection));
}

static void select_first_problem (CapiDedupPage *self);
static void bench_view_ready (CapiDedupPage *self);

static void
items_changed_cb (CapiDedupPage *self)
{
  update_table_state (self);
  show_detail (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
set_updating (CapiDedupPage *self,
              gboolean       updating)
{
  if (self->updating == updating)
    return;
  self->updating = updating;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATING]);
}

static void
set_view (CapiDedupPage   *self,
          CapiDedupReport *view)
{
  g_set_object (&self->view, view);
  /* With a row selected, GtkSingleSelection would look for that row object
   * in the new model, asking for every row of it. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  /* GTK 4.8's list widgets look up every added item among the removed ones
   * to keep their row widgets: detached, the table just starts afresh. */
  gtk_column_view_set_model (self->column_view, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (view));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  update_table_state (self);
  set_updating (self, FALSE);
  bench_view_ready (self);
  select_first_problem (self);
}

typedef struct
{
  CapiDedupReport      *report;
  CapiDedupViewOptions  options;
  char                 *search;
} ViewData;

static void
view_data_free (ViewData *data)
{
  g_clear_object (&data->report);
  g_free (data->search);
  g_free (data);
}

static void
view_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ViewData *data = task_data;
  CapiDedupReport *view = capi_dedup_report_dup_view (data->report, &data->options, cancellable);

  if (view == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, view, g_object_unref);
}

static void
view_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (source);
  g_autoptr(CapiDedupReport) view = g_task_propagate_pointer (G_TASK (result), NULL);

  /* NULL: cancelled, because a newer view (or a new report) replaced it. */
  if (view != NULL)
    set_view (self, view);
}

/* Shows the rows the chips, the search and the sorted column ask for.  The
 * view is made in a worker thread from the compact report, so filtering or
 * sorting a million rows neither blocks the window nor makes a row object
 * for each; only the rows on screen become objects. */
static void
update_view (CapiDedupPage *self)
{
  g_autoptr(GTask) task = NULL;
  CapiDedupViewOptions options;
  ViewData *data;

  if (self->report == NULL)
    return;
  if (self->view_cancellable != NULL)
    g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);

  current_options (self, &options);
  if (options.classes == 0 && (options.search == NULL || *options.search == '\0') &&
      options.sort_key == CAPI_DEDUP_SORT_NONE)
    {
      set_view (self, self->report);
      return;
    }

  data = g_new0 (ViewData, 1);
  data->report = g_object_ref (self->report);
  data->options = options;
  data->search = g_strdup (options.search);
  data->options.search = data->search;

  self->view_cancellable = g_cancellable_new ();
  set_updating (self, TRUE);
  task = g_task_new (self, self->view_cancellable, view_done_cb, NULL);
  g_task_set_source_tag (task, update_view);
  g_task_set_task_data (task, data, (GDestroyNotify) view_data_free);
  g_task_run_in_thread (task, view_thread);
}

static void
set_report (CapiDedupPage   *self,
            CapiDedupReport *report)
{
  if (!g_set_object (&self->report, report))
    return;

  if (report != NULL)
    {
      show_summary (self);
      gtk_stack_set_visible_child_name (self->stack, "report");
      update_view (self);
    }
  else
    {
      clear_problems (self);
      set_view (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "setup");
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

/* Callbacks ------------------------------------------------------------- */

static void
sources_changed_cb (CapiDedupPage *self)
{
  update_actions (self);
}

static void
search_changed_cb (CapiDedupPage  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *folded = g_utf8_casefold (g_strstrip (g_strdup (text)), -1);

  if (g_strcmp0 (folded, self->search_folded) == 0)
    return;

  g_free (self->search_folded);
  self->search_folded = g_steal_pointer (&folded);
  update_view (self);
}

static void
chip_toggled_cb (CapiDedupPage   *self,
                 GtkToggleButton *chip)
{
  update_view (self);
}

static void
column_sorter_changed_cb (CapiDedupPage   *self,
                          GtkSorterChange  change,
                          GtkSorter       *sorter)
{
  if (self->selection == NULL)   /* disposed */
    return;
  update_view (self);
}

static void
row_activate_cb (CapiDedupPage *self,
                 guint          position,
                 GtkColumnView *view)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (CapiDedupPage *self,
                 GtkButton     *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* A cell's whole text as its tooltip, asked for on hover: setting a
 * tooltip on every bind costs the X server a round trip per cell. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "capi-column"));
  GtkWidget *label = gtk_list_item_get_child (item);
  CapiDedupRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = dup_cell_text (row, column);

  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  if (column == COLUMN_CLASS)
    {
      static const char *styles[] = { "success", "error", "warning", "dim-label" };

      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        gtk_widget_remove_css_class (label, styles[i]);
      gtk_widget_add_css_class (label, class_style (capi_dedup_row_get_class (row)));
    }
}

static void
add_column (CapiDedupPage *self,
            Column         column,
            const char    *title,
            int            width,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;
  GtkSorter *sorter;

  g_object_set_data (G_OBJECT (factory), "capi-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);

  col = gtk_column_view_column_new (title, factory);
  self->probes[column].page = self;
  self->probes[column].column = column;
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, &self->probes[column], NULL));
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  /* GTK 4.8 sizes columns before there are rows: give them room. */
  gtk_column_view_column_set_fixed_width (col, width);
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (sorter);
  g_object_unref (col);
}

/* Comparison ------------------------------------------------------------ */

/* In benchmark mode a 10 ms timer measures how long the main loop is kept
 * from running (reading, then filling the table); the figures are printed
 * once the table is complete. */
static gboolean
bench_tick_cb (gpointer user_data)
{
  CapiDedupPage *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->bench_max_stall_us = MAX (self->bench_max_stall_us, now - self->bench_last_tick_us);
  self->bench_last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
bench_start (CapiDedupPage *self)
{
  if (g_getenv ("CAPI_INSPECTOR_BENCH") == NULL)
    return;
  self->bench_start_us = self->bench_last_tick_us = g_get_monotonic_time ();
  self->bench_max_stall_us = 0;
  g_clear_handle_id (&self->bench_tick, g_source_remove);
  self->bench_tick = g_timeout_add (10, bench_tick_cb, self);
}

static void
bench_report_ready (CapiDedupPage *self)
{
  if (self->bench_start_us == 0)
    return;
  bench_tick_cb (self);
  g_print ("dedup_compare_ms %.1f\n", (g_get_monotonic_time () - self->bench_start_us) / 1000.0);
  /* While the worker reads, the main loop also starts up and paints the
   * first frame when the files came on the command line. */
  g_print ("dedup_max_stall_reading_ms %.1f\n", self->bench_max_stall_us / 1000.0);
  self->bench_max_stall_us = 0;
}

/* A view is on screen: after a comparison (the table's figures; then, with
 * CAPI_BENCH_DEDUP_SORT, a sort by the dedup id column as a click on its
 * header does) or after that sort. */
static void
bench_view_ready (CapiDedupPage *self)
{
  if (self->bench_sort_start_us != 0)
    {
      bench_tick_cb (self);
      g_print ("dedup_sort_ms %.1f\n", (g_get_monotonic_time () - self->bench_sort_start_us) / 1000.0);
      g_print ("dedup_max_stall_sort_ms %.1f\n", self->bench_max_stall_us / 1000.0);
      g_print ("dedup_ready\n");
      g_clear_handle_id (&self->bench_tick, g_source_remove);
      self->bench_sort_start_us = 0;
      return;
    }
  if (self->bench_start_us == 0)
    return;
  bench_tick_cb (self);
  g_print ("dedup_table_ms %.1f\n", (g_get_monotonic_time () - self->bench_start_us) / 1000.0);
  g_print ("dedup_rows %u\n", g_list_model_get_n_items (G_LIST_MODEL (self->selection)));
  g_print ("dedup_max_stall_table_ms %.1f\n", self->bench_max_stall_us / 1000.0);
  self->bench_start_us = 0;

  if (g_getenv ("CAPI_BENCH_DEDUP_SORT") != NULL)
    {
      g_autoptr(GtkColumnViewColumn) column =
        g_list_model_get_item (gtk_column_view_get_columns (self->column_view), COLUMN_DEDUP_ID);

      self->bench_sort_start_us = self->bench_last_tick_us = g_get_monotonic_time ();
      self->bench_max_stall_us = 0;
      gtk_column_view_sort_by_column (self->column_view, column, GTK_SORT_ASCENDING);
      return;
    }
  g_print ("dedup_ready\n");
  g_clear_handle_id (&self->bench_tick, g_source_remove);
}

/* Shows the first double count or reused id of a new comparison in the
 * detail pane, so the answer to "what is wrong?" is on screen at once
 * (where there is room).  Reads the classes from the view, without making
 * a row object for each. */
static void
select_first_problem (CapiDedupPage *self)
{
  guint n;

  if (!self->select_problem || self->view == NULL)
    return;
  self->select_problem = FALSE;
  if (adw_leaflet_get_folded (self->leaflet))
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->view));
  for (guint i = 0; i < n; i++)
    {
      CapiDedupClassification klass = capi_dedup_report_get_row_class (self->view, i);

      if (klass == CAPI_DEDUP_CLASS_DOUBLE_COUNTED || klass == CAPI_DEDUP_CLASS_ID_REUSED)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static void
compare_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapiDedupPage) self = user_data;
  g_autoptr(CapiDedupReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = capi_dedup_run_finish (CAPI_DEDUP (source), result, &error);
  if (CAPI_DEDUP (source) != self->dedup)
    return;   /* a later run has replaced this one */

  g_clear_object (&self->run_cancellable);
  set_running (self, FALSE);

  if (report == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
            capi_ui_show_toast (GTK_WIDGET (self), _("Comparison cancelled"));
          return;
        }
      message = g_strdup_printf (_("Could not compare: %s"), error->message);
      capi_ui_show_toast (GTK_WIDGET (self), message);
      return;
    }

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->select_problem = TRUE;
  bench_report_ready (self);
  set_report (self, report);
  select_first_problem (self);
}

static void
add_history_files (CapiDedupPage *self)
{
  GFile *files[] = {
    capi_history_get_rotated_file (self->history),
    capi_history_get_file (self->history),
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = files[i] != NULL ? g_file_get_path (files[i]) : NULL;

      if (path != NULL)
        capi_dedup_add_optional_file (self->dedup, CAPI_CONVERSION_SIDE_CAPI, path);
    }
}

static gboolean
add_side_files (CapiDedupPage      *self,
                CapiConversionSide  side)
{
  guint n = n_files (self, side);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (G_LIST_MODEL (self->files[side]), i);
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_autofree char *message = g_strdup_printf (_("“%s” is not a local file"), name);

          capi_ui_show_toast (GTK_WIDGET (self), message);
          return FALSE;
        }
      capi_dedup_add_file (self->dedup, side, path);
    }
  return TRUE;
}

void
capi_dedup_page_compare (CapiDedupPage *self)
{
  g_autofree char *pixel_id = NULL;

  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));

  if (self->running)
    return;

  g_clear_object (&self->dedup);
  self->dedup = capi_dedup_new ();
  capi_dedup_set_window (self->dedup,
                         (gint64) g_settings_get_uint (self->settings, "dedup-window-hours") * 3600);
  capi_dedup_set_purchase_window (self->dedup,
                                  (gint64) g_settings_get_uint (self->settings, "dedup-transaction-window-days") * 86400);

  pixel_id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->capi_pixel_row))));
  capi_dedup_set_capi_pixel_id (self->dedup, *pixel_id != '\0' ? pixel_id : NULL);

  if (!add_side_files (self, CAPI_CONVERSION_SIDE_PIXEL) ||
      !add_side_files (self, CAPI_CONVERSION_SIDE_CAPI))
    return;
  if (history_usable (self))
    add_history_files (self);

  g_object_bind_property (self->dedup, "progress", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);

  self->run_cancellable = g_cancellable_new ();
  bench_start (self);
  set_running (self, TRUE);
  capi_dedup_run_async (self->dedup, self->run_cancellable, compare_done_cb, g_object_ref (self));
}

/* Actions --------------------------------------------------------------- */

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  capi_dedup_page_compare (CAPI_DEDUP_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (widget);

  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

static void
clear_files_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  capi_dedup_page_clear_files (CAPI_DEDUP_PAGE (widget));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "setup");
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (widget);

  if (self->report != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "report");
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
}

static void
add_files_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       CapiDedupPage   *self)
{
  CapiConversionSide side = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "capi-side"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      add_files_from_list (self, side, files);
    }
  g_object_unref (dialog);
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (widget);
  gboolean capi = g_strcmp0 (g_variant_get_string (parameter, NULL), "capi") == 0;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (capi ? _("Add Server Files") : _("Add Pixel Files"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "capi-side",
                     GINT_TO_POINTER (capi ? CAPI_CONVERSION_SIDE_CAPI : CAPI_CONVERSION_SIDE_PIXEL));

  g_signal_connect_object (chooser, "response", G_CALLBACK (add_files_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CapiDedupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capi_dedup_page_export_finish (self, result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      capi_ui_show_toast (GTK_WIDGET (self), message);
      return;
    }
  capi_ui_show_toast (GTK_WIDGET (self), _("Comparison exported"));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    CapiDedupPage   *self)
{
  CapiDedupFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "capi-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      capi_dedup_page_export_async (self, format, file, self->cancellable,
                                    export_done_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *filename = NULL;
  GtkFileChooserNative *chooser;
  CapiDedupFormat format;

  if (self->report == NULL || !capi_dedup_format_from_string (name, &format))
    return;

  switch (format)
    {
    case CAPI_DEDUP_FORMAT_CSV:
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_pattern (filter, "*.csv");
      filename = g_strdup ("capi-dedup.csv");
      break;
    case CAPI_DEDUP_FORMAT_JSON:
      gtk_file_filter_set_name (filter, _("JSON files"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_pattern (filter, "*.json");
      filename = g_strdup ("capi-dedup.json");
      break;
    case CAPI_DEDUP_FORMAT_MARKDOWN:
    case CAPI_DEDUP_FORMAT_TEXT:
    default:
      gtk_file_filter_set_name (filter, _("Markdown files"));
      gtk_file_filter_add_mime_type (filter, "text/markdown");
      gtk_file_filter_add_pattern (filter, "*.md");
      filename = g_strdup ("capi-dedup.md");
      break;
    }

  chooser = gtk_file_chooser_native_new (_("Export Comparison"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), filename);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "capi-format", GINT_TO_POINTER (format));

  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject --------------------------------------------------------------- */

static void
capi_dedup_page_dispose (GObject *object)
{
  CapiDedupPage *self = (CapiDedupPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  if (self->view_cancellable != NULL)
    g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);
  g_clear_handle_id (&self->bench_tick, g_source_remove);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_clear_pointer (&self->problem_rows, g_list_free);

  g_clear_object (&self->selection);
  g_clear_object (&self->view);
  g_clear_object (&self->report);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  g_clear_object (&self->dedup);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_object (&self->files[CAPI_CONVERSION_SIDE_PIXEL]);
  g_clear_object (&self->files[CAPI_CONVERSION_SIDE_CAPI]);

  G_OBJECT_CLASS (capi_dedup_page_parent_class)->dispose (object);
}

static void
capi_dedup_page_finalize (GObject *object)
{
  CapiDedupPage *self = (CapiDedupPage *) object;

  g_clear_pointer (&self->search_folded, g_free);

  G_OBJECT_CLASS (capi_dedup_page_parent_class)->finalize (object);
}

static void
capi_dedup_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CapiDedupPage *self = CAPI_DEDUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_UPDATING:
      g_value_set_boolean (value, self->updating);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_dedup_page_class_init (CapiDedupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_dedup_page_dispose;
  object_class->finalize = capi_dedup_page_finalize;
  object_class->get_property = capi_dedup_page_get_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL,
                         CAPI_TYPE_DEDUP_REPORT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_UPDATING] =
    g_param_spec_boolean ("updating", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/capi-dedup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, capi_list);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, capi_pixel_row);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, capi_zone);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, chips_box);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, detail_explanation);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, detail_flag);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, detail_grid);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, pixel_list);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, pixel_zone);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, problems_list);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, problems_row);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, split_bar);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, table_stack);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, use_history_check);
  gtk_widget_class_bind_template_child (widget_class, CapiDedupPage, windows_row);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sources_changed_cb);

  gtk_widget_class_install_action (widget_class, "dedup.add-files", "s", add_files_action);
  gtk_widget_class_install_action (widget_class, "dedup.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "dedup.clear-files", NULL, clear_files_action);
  gtk_widget_class_install_action (widget_class, "dedup.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "dedup.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "dedup.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "dedup.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "dedup.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "dedup.cancel", NULL);
}

static void
build_figures (CapiDedupPage *self)
{
  static const char *captions[N_FIGURES] = {
    [FIGURE_COUNTED] = N_("Counted by Snap"),
    [FIGURE_DEDUPLICATED] = N_("Deduplicated"),
    [FIGURE_DOUBLE_COUNTED] = N_("Double-counted"),
    [FIGURE_ID_REUSED] = N_("ID reused"),
    [FIGURE_PIXEL_ONLY] = N_("Pixel only"),
    [FIGURE_CAPI_ONLY] = N_("CAPI only"),
    [FIGURE_MATCH_RATE] = N_("Match rate"),
  };

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *value = gtk_label_new ("–");
      GtkWidget *caption = gtk_label_new (_(captions[i]));

      gtk_widget_add_css_class (box, "card");
      gtk_widget_set_margin_top (value, 6);
      gtk_widget_add_css_class (value, "title-1");
      gtk_widget_set_margin_bottom (caption, 6);
      gtk_widget_set_margin_start (caption, 6);
      gtk_widget_set_margin_end (caption, 6);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      /* Short lines, so that three figures fit a line at 360 px. */
      gtk_label_set_max_width_chars (GTK_LABEL (caption), 9);
      gtk_label_set_justify (GTK_LABEL (caption), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), caption);
      /* A screen reader reads the caption as the name of the figure. */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL,
                                      -1);
      gtk_flow_box_append (self->figures_box, box);
      gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
      self->figure_values[i] = GTK_LABEL (value);
    }
}

static void
build_chips (CapiDedupPage *self)
{
  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    {
      GtkWidget *chip = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *dot = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (capi_dedup_class_get_label (i));
      g_autofree char *tooltip = g_strdup_printf (_("Show only “%s” rows (with the other chosen classes)"),
                                                  capi_dedup_class_get_label (i));

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (dot), 10);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (dot), 10);
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (dot), draw_chip_dot, GUINT_TO_POINTER (i), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dot),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_box_append (GTK_BOX (box), dot);
      gtk_box_append (GTK_BOX (box), label);
      gtk_button_set_child (GTK_BUTTON (chip), box);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_halign (chip, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (chip, tooltip);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (chip),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                      -1);
      g_object_set_data (G_OBJECT (chip), "capi-label", label);
      g_signal_connect_object (chip, "toggled", G_CALLBACK (chip_toggled_cb), self, G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->chips_box, chip);
      gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
      self->chips[i] = GTK_TOGGLE_BUTTON (chip);
    }
}

static void
build_detail_grid (CapiDedupPage *self)
{
  static const char *captions[N_FIELDS] = {
    [FIELD_EVENT] = N_("Event"),
    [FIELD_PIXEL_ID] = N_("Pixel ID"),
    [FIELD_DEDUP_ID] = N_("Dedup ID"),
    [FIELD_TRANSACTION_ID] = N_("Transaction ID"),
    [FIELD_TIME] = N_("Time (UTC)"),
    [FIELD_SOURCE] = N_("Read from"),
  };
  GtkWidget *pixel_head = gtk_label_new (_("Pixel"));
  GtkWidget *capi_head = gtk_label_new (_("Server (CAPI)"));

  gtk_label_set_xalign (GTK_LABEL (pixel_head), 0);
  gtk_label_set_xalign (GTK_LABEL (capi_head), 0);
  gtk_widget_add_css_class (pixel_head, "heading");
  gtk_widget_add_css_class (capi_head, "heading");
  gtk_grid_attach (self->detail_grid, pixel_head, 1, 0, 1, 1);
  gtk_grid_attach (self->detail_grid, capi_head, 2, 0, 1, 1);

  for (guint f = 0; f < N_FIELDS; f++)
    {
      GtkWidget *caption = gtk_label_new (_(captions[f]));
      GtkWidget *values[2];

      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_set_valign (caption, GTK_ALIGN_START);
      gtk_grid_attach (self->detail_grid, caption, 0, f + 1, 1, 1);

      for (guint side = 0; side < 2; side++)
        {
          values[side] = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (values[side]), 0);
          gtk_label_set_wrap (GTK_LABEL (values[side]), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (values[side]), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_selectable (GTK_LABEL (values[side]), TRUE);
          gtk_widget_set_hexpand (values[side], TRUE);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (values[side]),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                          caption, side == 0 ? pixel_head : capi_head, NULL,
                                          -1);
          gtk_grid_attach (self->detail_grid, values[side], side + 1, f + 1, 1, 1);
        }
      self->pixel_values[f] = GTK_LABEL (values[0]);
      self->capi_values[f] = GTK_LABEL (values[1]);
    }
}

static GtkWidget *
placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
capi_dedup_page_init (CapiDedupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->search_folded = g_strdup ("");
  self->files[CAPI_CONVERSION_SIDE_PIXEL] = g_list_store_new (G_TYPE_FILE);
  self->files[CAPI_CONVERSION_SIDE_CAPI] = g_list_store_new (G_TYPE_FILE);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_windows_row (self);

  gtk_list_box_bind_model (self->pixel_list, G_LIST_MODEL (self->files[CAPI_CONVERSION_SIDE_PIXEL]),
                           create_file_row, self, NULL);
  gtk_list_box_bind_model (self->capi_list, G_LIST_MODEL (self->files[CAPI_CONVERSION_SIDE_CAPI]),
                           create_file_row, self, NULL);
  gtk_list_box_set_placeholder (self->pixel_list, placeholder_new (_("No pixel files yet")));
  gtk_list_box_set_placeholder (self->capi_list, placeholder_new (_("No server files yet")));
  setup_drop_zone (self, self->pixel_zone);
  setup_drop_zone (self, self->capi_zone);

  build_figures (self);
  build_chips (self);
  build_detail_grid (self);
  gtk_drawing_area_set_draw_func (self->split_bar, draw_split_bar, self, NULL);

  add_column (self, COLUMN_CLASS, _("Class"), 200, FALSE);
  add_column (self, COLUMN_REASON, _("Reason"), 220, FALSE);
  add_column (self, COLUMN_EVENT, _("Event"), 150, FALSE);
  add_column (self, COLUMN_DEDUP_ID, _("Dedup ID"), 140, TRUE);
  add_column (self, COLUMN_TRANSACTION_ID, _("Transaction ID"), 130, FALSE);
  add_column (self, COLUMN_PIXEL_TIME, _("Pixel Time (UTC)"), 180, FALSE);
  add_column (self, COLUMN_CAPI_TIME, _("Server Time (UTC)"), 180, FALSE);
  add_column (self, COLUMN_DELTA, _("Δ Time"), 80, FALSE);
  add_column (self, COLUMN_PIXEL_ID, _("Pixel ID"), 300, FALSE);

  /* The table shows a view of the report (see update_view()); the column
   * headers only choose its order. */
  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (column_sorter_changed_cb), self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (items_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  capi_a11y_name_toolkit_widgets (GTK_WIDGET (self));
  update_actions (self);
  update_table_state (self);
  show_detail (self, NULL);
}

CapiDedupPage *
capi_dedup_page_new (void)
{
  return g_object_new (CAPI_TYPE_DEDUP_PAGE, NULL);
}

/* Public API ------------------------------------------------------------ */

void
capi_dedup_page_set_history (CapiDedupPage *self,
                             CapiHistory   *history)
{
  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));
  g_return_if_fail (history == NULL || CAPI_IS_HISTORY (history));

  g_set_object (&self->history, history);
  update_actions (self);
}

/* Adds FILE to a side's list; a file already there is not added twice. */
void
capi_dedup_page_add_file (CapiDedupPage      *self,
                          CapiConversionSide  side,
                          GFile              *file)
{
  guint n;

  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (side == CAPI_CONVERSION_SIDE_PIXEL || side == CAPI_CONVERSION_SIDE_CAPI);

  n = n_files (self, side);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) other = g_list_model_get_item (G_LIST_MODEL (self->files[side]), i);

      if (g_file_equal (other, file))
        return;
    }
  g_list_store_append (self->files[side], file);
  update_actions (self);
}

GListModel *
capi_dedup_page_get_files (CapiDedupPage      *self,
                           CapiConversionSide  side)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), NULL);
  g_return_val_if_fail (side == CAPI_CONVERSION_SIDE_PIXEL || side == CAPI_CONVERSION_SIDE_CAPI, NULL);

  return G_LIST_MODEL (self->files[side]);
}

void
capi_dedup_page_clear_files (CapiDedupPage *self)
{
  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));

  if (self->running)
    return;
  g_list_store_remove_all (self->files[CAPI_CONVERSION_SIDE_PIXEL]);
  g_list_store_remove_all (self->files[CAPI_CONVERSION_SIDE_CAPI]);
  update_actions (self);
}

gboolean
capi_dedup_page_get_use_history (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), FALSE);

  return gtk_check_button_get_active (self->use_history_check);
}

void
capi_dedup_page_set_use_history (CapiDedupPage *self,
                                 gboolean       use_history)
{
  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));

  gtk_check_button_set_active (self->use_history_check, use_history);
}

gboolean
capi_dedup_page_get_running (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), FALSE);

  return self->running;
}

gboolean
capi_dedup_page_get_updating (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), FALSE);

  return self->updating;
}

CapiDedupReport *
capi_dedup_page_get_report (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), NULL);

  return self->report;
}

GListModel *
capi_dedup_page_get_visible_model (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), NULL);

  return G_LIST_MODEL (self->selection);
}

GtkToggleButton *
capi_dedup_page_get_class_toggle (CapiDedupPage           *self,
                                  CapiDedupClassification  klass)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), NULL);
  g_return_val_if_fail (klass < CAPI_DEDUP_N_CLASSES, NULL);

  return self->chips[klass];
}

/* Sets the search entry's text and filters at once, without waiting for
 * the entry's typing delay. */
void
capi_dedup_page_set_search_text (CapiDedupPage *self,
                                 const char    *text)
{
  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  search_changed_cb (self, self->search_entry);
}

CapiDedupRow *
capi_dedup_page_get_selected (CapiDedupPage *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

typedef struct
{
  CapiDedupReport *report;
  CapiDedupFormat  format;
  GFile           *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->report);
  g_clear_object (&data->file);
  g_free (data);
}

/* Writes the report through a temporary file that replaces the target only
 * once complete, so a failed export never leaves half a file behind. The
 * report is immutable, so the worker may read it. */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;

  stream = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!capi_dedup_report_write (data->report, data->format, FALSE, G_OUTPUT_STREAM (stream),
                                cancellable, &error))
    {
      /* Closing after a cancelled write leaves the old file as it was. */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Writes the shown report to FILE as CSV, JSON or Markdown, in a worker
 * thread (a report can hold millions of rows).  Every row is written, not
 * only those the filters show; the files hold ids, names and times, never
 * a token or a raw identifier. */
void
capi_dedup_page_export_async (CapiDedupPage       *self,
                              CapiDedupFormat      format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (CAPI_IS_DEDUP_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_dedup_page_export_async);

  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no comparison to export yet"));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->report = g_object_ref (self->report);
  data->format = format;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
capi_dedup_page_export_finish (CapiDedupPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
