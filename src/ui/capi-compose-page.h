/* capi-compose-page.h
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "capi-event.h"

G_BEGIN_DECLS

#define CAPI_TYPE_COMPOSE_PAGE (capi_compose_page_get_type ())
G_DECLARE_FINAL_TYPE (CapiComposePage, capi_compose_page, CAPI, COMPOSE_PAGE, GtkWidget)

/* Names accepted by capi_compose_page_apply_template(), NULL-terminated. */
const char * const *capi_compose_page_get_template_names (void);

GtkWidget  *capi_compose_page_new             (void);
/* The event the form edits (borrowed). */
CapiEvent  *capi_compose_page_get_event       (CapiComposePage *self);
/* Replaces the edited event by a copy of @event and shows its values. */
void        capi_compose_page_set_event       (CapiComposePage *self,
                                               CapiEvent       *event);
/* Re-reads every widget from the current event (after a change made
 * outside the form, e.g. a lint fix). */
void        capi_compose_page_refresh         (CapiComposePage *self);
/* Loads a template (PURCHASE, ADD_CART, ...), keeping the identity fields.
 * FALSE when the name is unknown. */
gboolean    capi_compose_page_apply_template  (CapiComposePage *self,
                                               const char      *name);
/* The widget editing a dotted key ("event_name", "user_data.em"), or NULL. */
GtkWidget  *capi_compose_page_get_field_widget (CapiComposePage *self,
                                               const char      *key);
/* Moves the keyboard focus to the field of @key; FALSE if it has none. */
gboolean    capi_compose_page_focus_field     (CapiComposePage *self,
                                               const char      *key);
/* Marks the field of @key with the error style and @message as tooltip;
 * FALSE if the key has no field. */
gboolean    capi_compose_page_mark_field      (CapiComposePage *self,
                                               const char      *key,
                                               const char      *message);
void        capi_compose_page_clear_marks     (CapiComposePage *self);
/* Adds one more e-mail or phone row (key "user_data.em" or "user_data.ph")
 * and returns it. */
GtkWidget  *capi_compose_page_add_identity_row (CapiComposePage *self,
                                                const char      *key);
AdwPreferencesGroup *capi_compose_page_get_destination_group (CapiComposePage *self);
AdwComboRow         *capi_compose_page_get_destination_row   (CapiComposePage *self);

G_END_DECLS
