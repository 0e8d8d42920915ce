/* capi-preview-pane.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "capi-exchange.h"
#include "capi-lint-row.h"
#include "capi-payload.h"
#include "capi-preview-pane.h"
#include "capi-ui-util.h"

struct _CapiPreviewPane
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkStack         *stack;
  GtkLabel         *method_label;
  GtkLabel         *url_label;
  GtkLabel         *headers_label;
  GtkSourceView    *body_view;
  GtkListBox       *explain_list;
  GtkListBox       *lint_list;
  GtkStackPage     *lint_page;
  CapiResponseView *response_view;

  guint             n_findings;
  guint             n_explain_rows;
};

G_DEFINE_FINAL_TYPE (CapiPreviewPane, capi_preview_pane, GTK_TYPE_WIDGET)

enum {
  FINDING_ACTIVATED,
  FIX_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_all_rows (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* Rows only: the placeholder is a child of the list box too. */
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static const char *
state_label (CapiValueState state)
{
  switch (state)
    {
    case CAPI_VALUE_HASHED:
      return _("hashed");
    case CAPI_VALUE_ALREADY_HASHED:
      return _("already hashed");
    case CAPI_VALUE_SENT_AS_IS:
      return _("sent as is");
    case CAPI_VALUE_DROPPED:
      return _("dropped");
    default:
      return "";
    }
}

static GtkWidget *
value_label (const char *text,
             gboolean    monospace)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (monospace)
    gtk_widget_add_css_class (label, "monospace");
  return label;
}

static void
attach_pair (GtkGrid    *grid,
             int         row,
             const char *name,
             const char *value,
             gboolean    monospace)
{
  GtkWidget *caption = gtk_label_new (name);
  GtkWidget *text = value_label (value, monospace);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_yalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_grid_attach (grid, caption, 0, row, 1, 1);
  gtk_grid_attach (grid, text, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  caption, NULL, -1);
}

static GtkWidget *
explain_row_new (CapiExplainRow *row)
{
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *field = gtk_label_new (row->field);
  GtkWidget *state = gtk_label_new (state_label (row->state));
  GtkWidget *grid = gtk_grid_new ();
  int line = 0;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (field), 0);
  gtk_label_set_wrap (GTK_LABEL (field), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (field), PANGO_WRAP_CHAR);
  gtk_label_set_selectable (GTK_LABEL (field), TRUE);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_widget_add_css_class (field, "heading");
  gtk_widget_add_css_class (state, "caption");
  if (row->state == CAPI_VALUE_ALREADY_HASHED)
    gtk_widget_add_css_class (state, "accent");
  else if (row->state == CAPI_VALUE_DROPPED)
    gtk_widget_add_css_class (state, "warning");
  else
    gtk_widget_add_css_class (state, "dim-label");
  gtk_box_append (GTK_BOX (header), field);
  gtk_box_append (GTK_BOX (header), state);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  attach_pair (GTK_GRID (grid), line++, _("Raw"), row->raw != NULL ? row->raw : "", FALSE);
  if (row->normalized != NULL)
    attach_pair (GTK_GRID (grid), line++, _("Normalized"), row->normalized, FALSE);
  if (row->state == CAPI_VALUE_HASHED || row->state == CAPI_VALUE_ALREADY_HASHED)
    attach_pair (GTK_GRID (grid), line++, _("SHA-256"), row->sent != NULL ? row->sent : "", TRUE);
  else if (row->sent != NULL)
    attach_pair (GTK_GRID (grid), line++, _("Sent"), row->sent, TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  return list_row;
}

static GtkWidget *
placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
lint_row_activated_cb (CapiPreviewPane *self,
                       GtkListBoxRow   *row)
{
  if (CAPI_IS_LINT_ROW (row))
    g_signal_emit (self, signals[FINDING_ACTIVATED], 0,
                   capi_lint_row_get_finding (CAPI_LINT_ROW (row)));
}

static void
lint_row_fix_cb (CapiLintRow     *row,
                 CapiPreviewPane *self)
{
  /* Hold the finding: the handler rebuilds the list, destroying the row. */
  g_autoptr(CapiFinding) finding = g_object_ref (capi_lint_row_get_finding (row));

  g_signal_emit (self, signals[FIX_REQUESTED], 0, finding);
}

static void
capi_preview_pane_dispose (GObject *object)
{
  CapiPreviewPane *self = CAPI_PREVIEW_PANE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CAPI_TYPE_PREVIEW_PANE);
  /* Template children that are not bound to a field stay parented. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (capi_preview_pane_parent_class)->dispose (object);
}

static void
capi_preview_pane_class_init (CapiPreviewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capi_preview_pane_dispose;

  /**
   * CapiPreviewPane::finding-activated:
   * @finding: the CapiFinding
   *
   * Emitted when the user activates a lint finding (to go to its field).
   */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CAPI_TYPE_FINDING);

  /**
   * CapiPreviewPane::fix-requested:
   * @finding: the CapiFinding
   *
   * Emitted when the user presses a finding's "Fix" button.
   */
  signals[FIX_REQUESTED] =
    g_signal_new ("fix-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CAPI_TYPE_FINDING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/capi-preview-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, body_view);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, explain_list);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, headers_label);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, lint_list);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, lint_page);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, method_label);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, response_view);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, stack);
  gtk_widget_class_bind_template_child (widget_class, CapiPreviewPane, url_label);
  gtk_widget_class_bind_template_callback (widget_class, lint_row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  g_type_ensure (CAPI_TYPE_RESPONSE_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
capi_preview_pane_init (CapiPreviewPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  capi_ui_setup_json_view (self->body_view);
  gtk_list_box_set_placeholder (self->explain_list,
                                placeholder_new (_("No identity values to normalize")));
  gtk_list_box_set_placeholder (self->lint_list, placeholder_new (_("No findings")));
}

GtkWidget *
capi_preview_pane_new (void)
{
  return g_object_new (CAPI_TYPE_PREVIEW_PANE, NULL);
}

void
capi_preview_pane_set_request (CapiPreviewPane *self,
                               const char      *method,
                               const char      *redacted_url,
                               GPtrArray       *headers,
                               const char      *body)
{
  g_autofree char *header_text = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (CAPI_IS_PREVIEW_PANE (self));

  gtk_label_set_text (self->method_label, method != NULL ? method : "");
  gtk_label_set_text (self->url_label, redacted_url != NULL ? redacted_url : "");
  header_text = capi_ui_format_headers (headers);
  gtk_label_set_text (self->headers_label, header_text);
  gtk_widget_set_visible (GTK_WIDGET (self->headers_label), *header_text != '\0');

  /* Replacing an identical text would reset the scroll position. */
  current = capi_ui_dup_view_text (GTK_TEXT_VIEW (self->body_view));
  if (g_strcmp0 (current, body != NULL ? body : "") != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)),
                              body != NULL ? body : "", -1);
}

void
capi_preview_pane_set_explain (CapiPreviewPane *self,
                               GPtrArray       *rows)
{
  g_return_if_fail (CAPI_IS_PREVIEW_PANE (self));

  remove_all_rows (self->explain_list);
  self->n_explain_rows = 0;
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      gtk_list_box_append (self->explain_list, explain_row_new (g_ptr_array_index (rows, i)));
      self->n_explain_rows++;
    }
}

void
capi_preview_pane_set_findings (CapiPreviewPane *self,
                                GPtrArray       *findings)
{
  g_autofree char *title = NULL;
  gboolean errors = FALSE;

  g_return_if_fail (CAPI_IS_PREVIEW_PANE (self));

  remove_all_rows (self->lint_list);
  self->n_findings = 0;
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      CapiFinding *finding = g_ptr_array_index (findings, i);
      GtkWidget *row = capi_lint_row_new (finding);

      if (capi_finding_get_severity (finding) == CAPI_SEVERITY_ERROR)
        errors = TRUE;
      g_signal_connect_object (row, "fix", G_CALLBACK (lint_row_fix_cb), self, 0);
      gtk_list_box_append (self->lint_list, row);
      self->n_findings++;
    }

  if (self->n_findings > 0)
    /* Translators: the Lint tab with the number of findings */
    title = g_strdup_printf (_("Lint (%u)"), self->n_findings);
  else
    title = g_strdup (_("Lint"));
  gtk_stack_page_set_title (self->lint_page, title);
  gtk_stack_page_set_needs_attention (self->lint_page, errors);
}

char *
capi_preview_pane_dup_body (CapiPreviewPane *self)
{
  g_return_val_if_fail (CAPI_IS_PREVIEW_PANE (self), NULL);

  return capi_ui_dup_view_text (GTK_TEXT_VIEW (self->body_view));
}

guint
capi_preview_pane_get_n_findings (CapiPreviewPane *self)
{
  g_return_val_if_fail (CAPI_IS_PREVIEW_PANE (self), 0);

  return self->n_findings;
}

GtkWidget *
capi_preview_pane_get_lint_row (CapiPreviewPane *self,
                                guint            index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (CAPI_IS_PREVIEW_PANE (self), NULL);

  if (index >= self->n_findings)
    return NULL;
  row = gtk_list_box_get_row_at_index (self->lint_list, index);
  return CAPI_IS_LINT_ROW (row) ? GTK_WIDGET (row) : NULL;
}

guint
capi_preview_pane_get_n_explain_rows (CapiPreviewPane *self)
{
  g_return_val_if_fail (CAPI_IS_PREVIEW_PANE (self), 0);

  return self->n_explain_rows;
}

CapiResponseView *
capi_preview_pane_get_response_view (CapiPreviewPane *self)
{
  g_return_val_if_fail (CAPI_IS_PREVIEW_PANE (self), NULL);

  return self->response_view;
}

void
capi_preview_pane_show_tab (CapiPreviewPane *self,
                            const char      *name)
{
  g_return_if_fail (CAPI_IS_PREVIEW_PANE (self));

  gtk_stack_set_visible_child_name (self->stack, name);
}
