/* capi-a11y.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void capi_a11y_name_toolkit_widgets (GtkWidget *root);

G_END_DECLS
