/* capi-window.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-window.h"

struct _CapiWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (CapiWindow, capi_window, ADW_TYPE_APPLICATION_WINDOW)

static void
capi_window_class_init (CapiWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/capi-window.ui");
}

static void
capi_window_init (CapiWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CapiWindow *
capi_window_new (CapiApplication *application)
{
  return g_object_new (CAPI_TYPE_WINDOW, "application", application, NULL);
}
