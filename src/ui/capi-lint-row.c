/* capi-lint-row.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-lint-row.h"

/* One lint finding: severity icon, message, the field, and a Fix button
 * when the fix is mechanical.  Activating the row asks to focus the field. */
struct _CapiLintRow
{
  AdwActionRow parent_instance;

  /* Owned */
  CapiFinding *finding;

  /* Borrowed */
  GtkWidget   *icon;
  GtkWidget   *fix_button;
};

G_DEFINE_FINAL_TYPE (CapiLintRow, capi_lint_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_FINDING,
  N_PROPS
};

enum {
  FIX,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fix_clicked_cb (CapiLintRow *self)
{
  g_signal_emit (self, signals[FIX], 0);
}

static void
capi_lint_row_constructed (GObject *object)
{
  CapiLintRow *self = CAPI_LINT_ROW (object);
  CapiSeverity severity;
  const char *icon_name;
  const char *severity_label;
  const char *path;
  g_autofree char *icon_label = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  G_OBJECT_CLASS (capi_lint_row_parent_class)->constructed (object);

  g_return_if_fail (CAPI_IS_FINDING (self->finding));

  severity = capi_finding_get_severity (self->finding);
  switch (severity)
    {
    case CAPI_SEVERITY_ERROR:
      icon_name = "dialog-error-symbolic";
      severity_label = _("Error");
      gtk_widget_add_css_class (self->icon, "error");
      break;
    case CAPI_SEVERITY_WARNING:
      icon_name = "dialog-warning-symbolic";
      severity_label = _("Warning");
      gtk_widget_add_css_class (self->icon, "warning");
      break;
    case CAPI_SEVERITY_HINT:
    default:
      icon_name = "dialog-information-symbolic";
      severity_label = _("Hint");
      gtk_widget_add_css_class (self->icon, "accent");
      break;
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);
  icon_label = g_strdup (severity_label);
  gtk_widget_set_tooltip_text (self->icon, icon_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, icon_label, -1);

  /* Row titles are markup (Adw 1.2 ignores use-markup for them), and
   * messages may quote a value with '<' or '&'. */
  path = capi_finding_get_path (self->finding);
  title = g_markup_escape_text (capi_finding_get_message (self->finding), -1);
  subtitle = g_markup_escape_text (path != NULL && *path != '\0' ? path
                                                                 : capi_finding_get_code (self->finding),
                                   -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self),
                                    capi_finding_get_key (self->finding) != NULL);

  if (capi_finding_get_fix (self->finding) != CAPI_FIX_NONE)
    {
      self->fix_button = gtk_button_new_with_mnemonic (_("_Fix"));
      gtk_widget_set_valign (self->fix_button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (self->fix_button, _("Apply the suggested fix to the event"));
      g_signal_connect_swapped (self->fix_button, "clicked", G_CALLBACK (fix_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->fix_button);
    }
}

static void
capi_lint_row_dispose (GObject *object)
{
  CapiLintRow *self = CAPI_LINT_ROW (object);

  g_clear_object (&self->finding);

  G_OBJECT_CLASS (capi_lint_row_parent_class)->dispose (object);
}

static void
capi_lint_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CapiLintRow *self = CAPI_LINT_ROW (object);

  switch (prop_id)
    {
    case PROP_FINDING:
      g_value_set_object (value, self->finding);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_lint_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CapiLintRow *self = CAPI_LINT_ROW (object);

  switch (prop_id)
    {
    case PROP_FINDING:
      self->finding = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_lint_row_class_init (CapiLintRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = capi_lint_row_constructed;
  object_class->dispose = capi_lint_row_dispose;
  object_class->get_property = capi_lint_row_get_property;
  object_class->set_property = capi_lint_row_set_property;

  properties[PROP_FINDING] =
    g_param_spec_object ("finding", NULL, NULL, CAPI_TYPE_FINDING,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapiLintRow::fix:
   *
   * Emitted when the user asks for the finding's mechanical fix.
   */
  signals[FIX] = g_signal_new ("fix", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
capi_lint_row_init (CapiLintRow *self)
{
  self->icon = gtk_image_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), self->icon);
}

GtkWidget *
capi_lint_row_new (CapiFinding *finding)
{
  g_return_val_if_fail (CAPI_IS_FINDING (finding), NULL);

  return g_object_new (CAPI_TYPE_LINT_ROW, "finding", finding, NULL);
}

CapiFinding *
capi_lint_row_get_finding (CapiLintRow *self)
{
  g_return_val_if_fail (CAPI_IS_LINT_ROW (self), NULL);

  return self->finding;
}

GtkWidget *
capi_lint_row_get_fix_button (CapiLintRow *self)
{
  g_return_val_if_fail (CAPI_IS_LINT_ROW (self), NULL);

  return self->fix_button;
}
