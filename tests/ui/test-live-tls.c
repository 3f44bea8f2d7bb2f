/* test-live-tls.c: live video over rtsps:// from a real node's relay: the client uses
 * it by default when the node offers it, plays with the node's pinned certificate, and
 * refuses another one (access refused, no picture) (display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "vg-connection.h"
#include "vg-live-pipeline.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-video-view.h"

#define WRONG_FINGERPRINT "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

typedef struct {
  VgTestSim *sim;
  VgTestNode *node;
  VgApiClient *admin;
  gint64 camera_id;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  guint status = 0;

  fixture->sim = vg_test_sim_start (1, &error);
  g_assert_no_error (error);
  fixture->node = vg_test_node_new (NULL);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start: %s", error->message);
  g_assert_cmpuint (fixture->node->rtsps_port, !=, 0);
  fixture->admin = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);

  url = vg_test_sim_url (fixture->sim, 1, "sub");
  json = g_strdup_printf ("{\"name\": \"Gate\", \"recording\": {\"mode\": \"off\"}, "
                          "\"streams\": [{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"live\"]}]}",
                          url);
  body = vg_test_request (fixture->admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  fixture->camera_id = json_object_get_int_member (json_node_get_object (body), "id");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->admin);
  vg_test_node_stop (fixture->node);
  vg_test_node_free (fixture->node);
  vg_test_sim_free (fixture->sim);
}

typedef struct {
  VgLivePipeline *pipeline;
  VgLiveState state;
} Wait;

static gboolean
has_state (gpointer data)
{
  Wait *wait = data;

  return vg_live_pipeline_get_state (wait->pipeline) == wait->state;
}

static VgLivePipeline *
start_tls_pipeline (Fixture    *fixture,
                    const char *fingerprint)
{
  g_autofree char *uri = g_strdup_printf ("rtsps://127.0.0.1:%u/cameras/%" G_GINT64_FORMAT "/sub",
                                          fixture->node->rtsps_port, fixture->camera_id);
  VgLivePipeline *pipeline = vg_live_pipeline_new (uri);

  vg_live_pipeline_set_credentials (pipeline, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_live_pipeline_set_tls_fingerprint (pipeline, fingerprint);
  vg_live_pipeline_start (pipeline);
  return pipeline;
}

/* The node's certificate: pinned by the API client at its first request. */
static const char *
node_fingerprint (Fixture *fixture)
{
  const char *fingerprint = vg_api_client_get_tls_fingerprint (fixture->admin);

  g_assert_nonnull (fingerprint);
  g_assert_cmpuint (strlen (fingerprint), ==, 64);
  return fingerprint;
}

static void
test_pinned (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(VgLivePipeline) pipeline = start_tls_pipeline (fixture, node_fingerprint (fixture));
  Wait wait = { pipeline, VG_LIVE_STATE_PLAYING };

  g_assert_true (vg_test_wait_until (has_state, &wait, 30000));
  g_assert_nonnull (vg_live_pipeline_get_texture (pipeline));
  vg_live_pipeline_stop (pipeline);
}

static void
test_wrong_fingerprint (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VgLivePipeline) pipeline = start_tls_pipeline (fixture, WRONG_FINGERPRINT);
  Wait wait = { pipeline, VG_LIVE_STATE_DENIED };

  g_assert_true (vg_test_wait_until (has_state, &wait, 30000));
  /* Not a single frame came through, and none does later */
  vg_test_sleep_ms (2000);
  g_assert_cmpuint (vg_live_pipeline_get_frames_received (pipeline), ==, 0);
  g_assert_null (vg_live_pipeline_get_texture (pipeline));
  vg_live_pipeline_stop (pipeline);
}

static void
test_no_fingerprint (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VgLivePipeline) pipeline = start_tls_pipeline (fixture, NULL);
  Wait wait = { pipeline, VG_LIVE_STATE_DENIED };

  g_assert_true (vg_test_wait_until (has_state, &wait, 30000));
  g_assert_cmpuint (vg_live_pipeline_get_frames_received (pipeline), ==, 0);
  vg_live_pipeline_stop (pipeline);
}

/* The client's view of a node: rtsps:// by default, and it plays */

static gboolean
is_connected (gpointer data)
{
  VgConnection *connection = data;

  return vg_connection_get_state (connection) == VG_CONNECTION_STATE_CONNECTED &&
         vg_connection_get_rtsp_port (connection) != 0 &&
         g_list_model_get_n_items (vg_connection_get_cameras (connection)) == 1;
}

static gboolean
view_plays (gpointer data)
{
  return vg_video_view_get_state (VG_VIDEO_VIEW (data)) == VG_LIVE_STATE_PLAYING;
}

static void
test_view_default_tls (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  g_autoptr(VgConnection) connection = vg_connection_new (fixture->node->base_url, "admin");
  g_autofree char *prefix = g_strdup_printf ("rtsps://127.0.0.1:%u/", fixture->node->rtsps_port);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *view = vg_video_view_new ();

  g_assert_true (g_settings_get_boolean (settings, "live-tls"));
  vg_connection_set_live_tls (connection, g_settings_get_boolean (settings, "live-tls"));
  vg_connection_connect (connection, VG_TEST_ADMIN_PASSWORD);
  g_assert_true (vg_test_wait_until (is_connected, connection, 30000));
  g_assert_true (vg_connection_get_live_tls (connection));

  gtk_window_set_default_size (window, 320, 180);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  vg_video_view_set_source (VG_VIDEO_VIEW (view), connection,
                            vg_connection_lookup_camera (connection, fixture->camera_id));
  g_assert_true (g_str_has_prefix (vg_video_view_get_live_uri (VG_VIDEO_VIEW (view)), prefix));
  g_assert_true (vg_test_wait_until (view_plays, view, 30000));

  gtk_window_destroy (window);
  vg_connection_disconnect (connection);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add ("/live-tls/pinned", Fixture, NULL, fixture_set_up, test_pinned,
              fixture_tear_down);
  g_test_add ("/live-tls/wrong-fingerprint", Fixture, NULL, fixture_set_up,
              test_wrong_fingerprint, fixture_tear_down);
  g_test_add ("/live-tls/no-fingerprint", Fixture, NULL, fixture_set_up,
              test_no_fingerprint, fixture_tear_down);
  g_test_add ("/live-tls/view-default", Fixture, NULL, fixture_set_up,
              test_view_default_tls, fixture_tear_down);

  return g_test_run ();
}
