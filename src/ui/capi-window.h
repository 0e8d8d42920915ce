/* capi-window.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-application.h"
#include "capi-compose-page.h"
#include "capi-dedup-page.h"
#include "capi-preview-pane.h"

G_BEGIN_DECLS

#define CAPI_TYPE_WINDOW (capi_window_get_type ())
G_DECLARE_FINAL_TYPE (CapiWindow, capi_window, CAPI, WINDOW, AdwApplicationWindow)

CapiWindow      *capi_window_new              (CapiApplication *application);

/* Template children, for the pages that plug in and for tests. */
CapiComposePage *capi_window_get_compose_page (CapiWindow      *self);
CapiPreviewPane *capi_window_get_preview_pane (CapiWindow      *self);
/* The History page's container (a vertical GtkBox): its owner replaces the
 * placeholder it holds. */
GtkBox          *capi_window_get_history_page (CapiWindow      *self);
/* Made on first use (the first visit of its tab, or this call). */
CapiDedupPage   *capi_window_get_dedup_page   (CapiWindow      *self);
AdwViewStack    *capi_window_get_view_stack   (CapiWindow      *self);
/* Whether a send is in flight. */
gboolean         capi_window_get_busy         (CapiWindow      *self);
/* How many times the preview was rebuilt (tests wait on it). */
guint            capi_window_get_preview_serial (CapiWindow    *self);
/* Open and Save without the file chooser (command line, drops, tests). */
void             capi_window_open_file        (CapiWindow      *self,
                                               GFile           *file);
void             capi_window_save_file        (CapiWindow      *self,
                                               GFile           *file);
/* Shows the Dedup page with these files added (element-type GFile) and
 * compares them when both sides have some. */
void             capi_window_compare_files    (CapiWindow      *self,
                                               GPtrArray       *pixel_files,
                                               GPtrArray       *capi_files);
/* Shows a toast in the window. */
void             capi_window_add_toast        (CapiWindow      *self,
                                               const char      *title);

G_END_DECLS
