/* vg-application.c: the operator client application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "vg-application.h"
#include "vg-connection.h"
#include "vg-connection-list.h"
#include "vg-launch-options.h"
#include "vg-player-window.h"
#include "vg-theme.h"
#include "vg-window.h"

/* Exit status for a malformed command line (as a GOptionContext error would be). */
#define EXIT_STATUS_USAGE 2

struct _VgApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  VgConnectionList *connections;  /* the nodes, made at startup */
  guint sigterm_id;
};

G_DEFINE_FINAL_TYPE (VgApplication, vg_application, ADW_TYPE_APPLICATION)

GSettings *
vg_application_get_settings (VgApplication *self)
{
  g_return_val_if_fail (VG_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * vg_application_get_connections:
 *
 * Returns: (transfer none): the nodes the client connects to
 */
VgConnectionList *
vg_application_get_connections (VgApplication *self)
{
  g_return_val_if_fail (VG_IS_APPLICATION (self), NULL);

  return self->connections;
}

/* The node of --connect, added to the list if new; else NULL (the window then follows
 * the first node of the list). */
static VgConnection *
vg_application_connect_option (VgApplication   *self,
                               VgLaunchOptions *options)
{
  if (options->base_url == NULL)
    return NULL;

  return g_object_ref (vg_connection_list_add (self->connections, options->base_url, options->user));
}

/* password: (nullable) from VIGIE_PASSWORD; NULL looks in the keyring. */
static void
vg_application_open_window (VgApplication   *self,
                            VgLaunchOptions *options,
                            const char      *password)
{
  g_autoptr(VgConnection) connection = vg_application_connect_option (self, options);
  VgWindow *window;

  window = vg_window_new (GTK_APPLICATION (self), connection, self->settings);

  if (options->fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (window));
  if (options->play_camera_id > 0)
    vg_window_select_camera (window, options->play_camera_id);
  if (options->mosaic_columns > 0)
    {
      g_autoptr(VgLayout) layout = vg_layout_new_grid (options->mosaic_columns,
                                                       options->mosaic_rows);

      vg_window_show_mosaic (window, layout);
    }
  gtk_window_present (GTK_WINDOW (window));

  /* --play ID --at TIME: the player, paused on that instant (PLAY-1). */
  if (options->play_camera_id > 0 && options->play_at != NULL)
    {
      VgPlayerWindow *player = vg_player_window_new (GTK_APPLICATION (self), connection,
                                                     &options->play_camera_id, 1, NULL,
                                                     vg_time_to_unix_usec (options->play_at), FALSE);

      gtk_window_present (GTK_WINDOW (player));
    }

  /* VIGIE_PASSWORD is the password of the node asked for (of the first node without
   * --connect); the others' come from the keyring or were given this session. */
  if (connection == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->connections)) > 0)
    connection = g_list_model_get_item (G_LIST_MODEL (self->connections), 0);
  if (connection != NULL && vg_connection_get_state (connection) != VG_CONNECTION_STATE_CONNECTED)
    vg_connection_connect (connection, password != NULL && password[0] != '\0' ? password : NULL);
  vg_connection_list_connect_all (self->connections);
}

/* Actions */

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Vigie developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Vigie"),
                         "application-icon", VG_APPLICATION_ID,
                         "developer-name", _("The Vigie developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Video management for control rooms"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your names, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* Closing the windows, rather than g_application_quit(), lets each save its state; the
 * application ends with the last one. */
static void
vg_application_close_windows (VgApplication *self)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  vg_application_close_windows (VG_APPLICATION (user_data));
}

/* A video wall is stopped by its session or service manager. */
static gboolean
sigterm_cb (gpointer user_data)
{
  VgApplication *self = VG_APPLICATION (user_data);

  g_debug ("SIGTERM: closing the windows");
  self->sigterm_id = 0;
  vg_application_close_windows (self);

  return G_SOURCE_REMOVE;
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_activated },
  { .name = "quit", .activate = quit_activated },
};

/* GApplication */

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VG_APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The GSettings schema %s is not installed: the window size and the last "
                 "connection are not remembered (set GSETTINGS_SCHEMA_DIR when running "
                 "from the build directory)", VG_APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/* GLib warns when the name is set twice: once per process, however many
 * applications it runs (the UI tests run several). */
static void
vg_application_set_name_once (void)
{
  static gsize named = 0;

  if (g_once_init_enter (&named))
    {
      g_set_application_name (_("Vigie"));
      g_once_init_leave (&named, 1);
    }
}

static void
vg_application_startup (GApplication *application)
{
  VgApplication *self = VG_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (vg_application_parent_class)->startup (application);

  gst_init (NULL, NULL);

  vg_application_set_name_once ();
  gtk_window_set_default_icon_name (VG_APPLICATION_ID);

  self->settings = settings_new_if_installed ();
  self->connections = vg_connection_list_new (self->settings);
  /* CLI-14: dark unless chosen otherwise: control rooms are dim. */
  vg_theme_add_action (GTK_APPLICATION (self), self->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  self->sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, self);
}

static void
vg_application_shutdown (GApplication *application)
{
  VgApplication *self = VG_APPLICATION (application);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
    {
      g_autoptr(VgConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      vg_connection_disconnect (connection);
    }
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (vg_application_parent_class)->shutdown (application);
}

/* Checks the options in the launching process, so that a mistake exits with status 2
 * there; the primary instance then gets them in command_line. */
static int
vg_application_handle_local_options (GApplication *application,
                                     GVariantDict *dict)
{
  g_autoptr(VgLaunchOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  options = vg_launch_options_new_from_dict (dict, &error);
  if (options == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_STATUS_USAGE;
    }

  return -1;
}

static int
vg_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  VgApplication *self = VG_APPLICATION (application);
  GVariantDict *dict = g_application_command_line_get_options_dict (command_line);
  g_autoptr(VgLaunchOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  options = vg_launch_options_new_from_dict (dict, &error);
  if (options == NULL)
    {
      g_application_command_line_printerr (command_line, "%s: %s\n",
                                           g_get_prgname (), error->message);
      return EXIT_STATUS_USAGE;
    }

  /* The environment of the process that asked, which may not be this one. */
  vg_application_open_window (self, options,
                              g_application_command_line_getenv (command_line,
                                                                 "VIGIE_PASSWORD"));
  return EXIT_SUCCESS;
}

static void
vg_application_activate (GApplication *application)
{
  VgApplication *self = VG_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(VgLaunchOptions) options = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  options = g_new0 (VgLaunchOptions, 1);
  vg_application_open_window (self, options, g_getenv ("VIGIE_PASSWORD"));
}

static void
vg_application_class_init (VgApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->startup = vg_application_startup;
  application_class->shutdown = vg_application_shutdown;
  application_class->handle_local_options = vg_application_handle_local_options;
  application_class->command_line = vg_application_command_line;
  application_class->activate = vg_application_activate;
}

static void
vg_application_init (VgApplication *self)
{
  GApplication *application = G_APPLICATION (self);

  g_application_add_main_option_entries (application, vg_launch_options_get_entries ());
  g_application_set_option_context_parameter_string (application, NULL);
  g_application_set_option_context_summary (application,
                                            _("Vigie operator client: watch the cameras of "
                                              "Vigie recording nodes."));
  g_application_set_option_context_description (application,
                                                _("The password comes from the environment "
                                                  "variable VIGIE_PASSWORD, or else from the "
                                                  "keyring."));
}

VgApplication *
vg_application_new (void)
{
  return g_object_new (VG_TYPE_APPLICATION,
                       "application-id", VG_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/vigie/Vigie",
                       NULL);
}
