/* main.c: vigie-node, the headless recording node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-node.h"
#include "vg-relay.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

typedef struct
{
  GMainLoop *loop;
  VgNode    *node;
  int        status;
} App;

static void
started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  const char *password;

  if (!vg_node_start_finish (VG_NODE (source), result, &error))
    {
      g_printerr ("vigie-node: %s\n", error->message);
      app->status = 1;
      g_main_loop_quit (app->loop);
      return;
    }

  password = vg_node_get_generated_password (app->node);
  if (password)
    g_print ("vigie-node: created user admin with password %s (shown only this once)\n", password);
  g_print ("vigie-node: TLS certificate SHA-256 fingerprint %s\n",
           vg_node_get_certificate_fingerprint (app->node));
  g_print ("vigie-node ready: api=https://127.0.0.1:%u rtsp=rtsp://127.0.0.1:%u rtsps=rtsps://127.0.0.1:%u\n",
           vg_node_get_api_port (app->node), vg_relay_get_port (vg_node_get_relay (app->node)),
           vg_relay_get_tls_port (vg_node_get_relay (app->node)));
  fflush (stdout);
}

static gboolean
quit_cb (gpointer user_data)
{
  App *app = user_data;

  g_message ("stopping");
  g_main_loop_quit (app->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  VgNodeConfig *config;
  App app = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  config = vg_node_config_new_from_args (&argc, &argv, &error);
  if (config == NULL)
    {
      g_printerr ("vigie-node: %s\n", error->message);
      return 2;
    }

  app.loop = g_main_loop_new (NULL, FALSE);
  app.node = vg_node_new (config);
  g_unix_signal_add (SIGINT, quit_cb, &app);
  g_unix_signal_add (SIGTERM, quit_cb, &app);

  vg_node_start_async (app.node, NULL, started_cb, &app);
  g_main_loop_run (app.loop);

  vg_node_stop (app.node);
  g_clear_object (&app.node);
  g_main_loop_unref (app.loop);
  return app.status;
}
