/* capi-application.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-application.h"
#include "capi-window.h"

struct _CapiApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CapiApplication, capi_application, ADW_TYPE_APPLICATION)

static void
capi_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (capi_window_new (CAPI_APPLICATION (app)));

  gtk_window_present (window);
}

static void
capi_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", capi_application_quit_action },
};

static void
capi_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (capi_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
}

static void
capi_application_class_init (CapiApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = capi_application_activate;
  app_class->startup = capi_application_startup;
}

static void
capi_application_init (CapiApplication *self)
{
}

CapiApplication *
capi_application_new (void)
{
  return g_object_new (CAPI_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}
