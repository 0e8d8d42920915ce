/* capi-application.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-a11y.h"
#include "capi-application.h"
#include "capi-history.h"
#include "capi-preferences-window.h"
#include "capi-sandbox.h"
#include "capi-window.h"

#define CAPI_HOMEPAGE "https://github.com/capi-inspector/capi-inspector"

struct _CapiApplication
{
  AdwApplication parent_instance;

  /* Owned */
  CapiSandbox *sandbox;       /* the default destination, started on first use */
  char        *sandbox_uri;
  CapiHistory *history;       /* shared by the windows, loaded on first use */
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

/* `capi-inspector --pixel FILE --capi FILE` opens the Dedup page on those
 * files and compares them, also when the app is already running. */
static const GOptionEntry app_options[] = {
  { "pixel", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Compare what the pixel fired in FILE (repeatable)"), N_("FILE") },
  { "capi", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("… with what the server sent in FILE (repeatable)"), N_("FILE") },
  { NULL }
};

static GPtrArray *
files_for_option (GApplicationCommandLine *command_line,
                  GVariantDict            *options,
                  const char              *name)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **args = NULL;

  if (g_variant_dict_lookup (options, name, "^a&ay", &args))
    for (guint i = 0; args[i] != NULL; i++)
      g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, args[i]));
  return files;
}

static int
capi_application_command_line (GApplication            *app,
                               GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GPtrArray) pixel = files_for_option (command_line, options, "pixel");
  g_autoptr(GPtrArray) capi = files_for_option (command_line, options, "capi");
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (CAPI_IS_WINDOW (window) && (pixel->len > 0 || capi->len > 0))
    capi_window_compare_files (CAPI_WINDOW (window), pixel, capi);

  return EXIT_SUCCESS;
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
capi_application_shutdown (GApplication *app)
{
  CapiApplication *self = CAPI_APPLICATION (app);

  if (self->sandbox != NULL)
    capi_sandbox_stop (self->sandbox);

  G_APPLICATION_CLASS (capi_application_parent_class)->shutdown (app);
}

static void
capi_application_finalize (GObject *object)
{
  CapiApplication *self = CAPI_APPLICATION (object);

  g_clear_object (&self->sandbox);
  g_clear_pointer (&self->sandbox_uri, g_free);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (capi_application_parent_class)->finalize (object);
}

static void
capi_application_class_init (CapiApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = capi_application_finalize;
  app_class->activate = capi_application_activate;
  app_class->command_line = capi_application_command_line;
  app_class->startup = capi_application_startup;
  app_class->shutdown = capi_application_shutdown;
}

static void
capi_application_init (CapiApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), app_options);
}

CapiApplication *
capi_application_new (void)
{
  return g_object_new (CAPI_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * capi_application_get_sandbox_uri:
 *
 * The base URL of the in-process sandbox on an ephemeral 127.0.0.1 port,
 * started on the first call.
 *
 * Returns: (nullable): the URL, or NULL if the sandbox could not listen.
 */
const char *
capi_application_get_sandbox_uri (CapiApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CAPI_IS_APPLICATION (self), NULL);

  if (self->sandbox_uri != NULL)
    return self->sandbox_uri;

  if (self->sandbox == NULL)
    self->sandbox = capi_sandbox_new ();
  if (!capi_sandbox_start (self->sandbox, 0, "127.0.0.1", &error))
    {
      g_warning ("The local sandbox could not start: %s", error->message);
      return NULL;
    }
  self->sandbox_uri = capi_sandbox_dup_uri (self->sandbox);
  return self->sandbox_uri;
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A missing or unreadable log leaves an empty history; appends still
   * work, and the History page shows the load warnings. */
  if (!capi_history_load_finish (CAPI_HISTORY (object), result, &error))
    g_debug ("History not loaded: %s", error->message);
}

/**
 * capi_application_get_history:
 *
 * The exchange history shared by every window (a GListModel of
 * CapiExchange), loaded from the user's data directory on the first call.
 *
 * Returns: (transfer none): the history
 */
CapiHistory *
capi_application_get_history (CapiApplication *self)
{
  g_return_val_if_fail (CAPI_IS_APPLICATION (self), NULL);

  if (self->history == NULL)
    {
      self->history = capi_history_new (NULL);
      capi_history_load_async (self->history, NULL, history_loaded_cb, NULL);
    }
  return self->history;
}

/**
 * capi_application_get_sandbox:
 *
 * The in-process sandbox (started by capi_application_get_sandbox_uri()),
 * e.g. to make it slow or faulty for a demonstration or a test.
 *
 * Returns: (transfer none) (nullable): the sandbox, NULL before it started
 */
CapiSandbox *
capi_application_get_sandbox (CapiApplication *self)
{
  g_return_val_if_fail (CAPI_IS_APPLICATION (self), NULL);

  return self->sandbox;
}
