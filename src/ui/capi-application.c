/* capi-application.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-a11y.h"
#include "capi-application.h"
#include "capi-preferences-window.h"
#include "capi-window.h"

#define CAPI_HOMEPAGE "https://github.com/capi-inspector/capi-inspector"

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

static void
capi_application_preferences_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  CapiPreferencesWindow *prefs = capi_preferences_window_new (parent);

  gtk_window_present (GTK_WINDOW (prefs));
}

static void
capi_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  static const char *developers[] = { "The CAPI Inspector authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about;

  about = GTK_WIDGET (g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                    "transient-for", parent,
                                    "modal", parent != NULL,
                                    "application-name", _("CAPI Inspector"),
                                    "application-icon", APP_ID,
                                    "developer-name", _("The CAPI Inspector authors"),
                                    "version", PACKAGE_VERSION,
                                    "comments", _("Compose, preview, send and verify Snap Conversions API events."),
                                    "website", CAPI_HOMEPAGE,
                                    "issue-url", CAPI_HOMEPAGE "/issues",
                                    "developers", developers,
                                    /* Translators: your names, one a line */
                                    "translator-credits", _("translator-credits"),
                                    "copyright", "© 2026 The CAPI Inspector authors",
                                    "license-type", GTK_LICENSE_GPL_3_0,
                                    NULL));
  capi_a11y_name_toolkit_widgets (about);
  gtk_window_present (GTK_WINDOW (about));
}

static void
capi_application_help_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_uri (parent, CAPI_HOMEPAGE "#readme", GDK_CURRENT_TIME);
}

static const GActionEntry app_actions[] = {
  { "quit", capi_application_quit_action },
  { "preferences", capi_application_preferences_action },
  { "about", capi_application_about_action },
  { "help", capi_application_help_action },
};

static void
capi_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (capi_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help",
                                         (const char *[]) { "F1", NULL });
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
