/* vg-test-client.c: the client application run by a UI test, against real nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-application.h"
#include "vg-test-client.h"

gint64
vg_test_client_add_camera (VgApiClient *admin,
                           VgTestSim   *sim,
                           const char  *name,
                           guint        sim_camera)
{
  g_autofree char *main_url = vg_test_sim_url (sim, sim_camera, "main");
  g_autofree char *sub_url = vg_test_sim_url (sim, sim_camera, "sub");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s %u\", \"streams\": ["
                                           "{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"record\", \"live\"]}, "
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"mosaic\"]}]}",
                                           name, sim_camera, main_url, sub_url);

  return vg_test_add_camera (admin, json);
}

typedef struct {
  GApplication *application;
  gboolean wait_connected;
  VgTestClientCheck check;
  gpointer data;
} Run;

static gboolean
has_window (gpointer data)
{
  return gtk_application_get_active_window (GTK_APPLICATION (data)) != NULL;
}

static gboolean
is_connected (gpointer data)
{
  return vg_connection_get_state (VG_CONNECTION (data)) == VG_CONNECTION_STATE_CONNECTED;
}

static gboolean
run_checks_cb (gpointer data)
{
  Run *run = data;
  GtkWindow *window;

  g_assert_true (vg_test_wait_until (has_window, run->application, 10000));
  window = gtk_application_get_active_window (GTK_APPLICATION (run->application));
  if (run->wait_connected)
    g_assert_true (vg_test_wait_until (is_connected, vg_window_get_connection (VG_WINDOW (window)), 20000));
  run->check (run->data, VG_WINDOW (window));
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

void
vg_test_client_run (VgTestNode        *node,
                    const char        *password,
                    const char        *mosaic,
                    gboolean           wait_connected,
                    VgTestClientCheck  check,
                    gpointer           data)
{
  g_autoptr(VgApplication) application = vg_application_new ();
  g_autofree char *address = g_strdup_printf ("https://admin@127.0.0.1:%u", node->port);
  const char *argv[] = { "vigie", "--connect", address, "--mosaic", mosaic, NULL };
  Run run = { G_APPLICATION (application), wait_connected, check, data };
  int status;

  g_setenv ("VIGIE_PASSWORD", password, TRUE);
  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) |
                           G_APPLICATION_NON_UNIQUE);
  g_idle_add (run_checks_cb, &run);
  status = g_application_run (G_APPLICATION (application), G_N_ELEMENTS (argv) - 1, (char **) argv);
  g_assert_cmpint (status, ==, 0);
}
