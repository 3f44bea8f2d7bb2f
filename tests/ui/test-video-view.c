/* test-video-view.c: VgVideoView on a simulated camera's real RTSP stream: moving
 * pictures, the state text, the return after the camera was cut (display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"
#include "vg-video-view.h"

typedef struct {
  VgTestSim *sim;
  GtkWindow *window;
  VgVideoView *view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = vg_test_sim_start (1, &error);
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 480, 270);
  fixture->view = VG_VIDEO_VIEW (vg_video_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  vg_test_sim_free (fixture->sim);
}

static guint64
frames_shown (VgVideoView *view)
{
  guint64 shown = 0;

  vg_video_view_get_frame_counts (view, NULL, &shown);
  return shown;
}

typedef struct {
  VgVideoView *view;
  guint64 frames;
  VgLiveState state;
} Wait;

static gboolean
has_frames (gpointer data)
{
  Wait *wait = data;

  return frames_shown (wait->view) >= wait->frames;
}

static gboolean
has_state (gpointer data)
{
  Wait *wait = data;

  return vg_video_view_get_state (wait->view) == wait->state;
}

static void
test_moving_video (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = vg_test_sim_url (fixture->sim, 1, "sub");
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) second = NULL;
  Wait wait = { fixture->view, 10, 0 };
  guint64 received;
  guint64 shown;

  vg_video_view_set_uri (fixture->view, url);
  g_assert_cmpstr (vg_video_view_get_status_text (fixture->view), ==, "Connecting…");
  g_assert_true (vg_test_wait_until (has_frames, &wait, 20000));
  g_assert_cmpint (vg_video_view_get_state (fixture->view), ==, VG_LIVE_STATE_PLAYING);
  g_assert_null (vg_video_view_get_status_text (fixture->view));

  /* The simulator's 640×360 frame reaches the screen scaled to the 480×270 view, with
   * its aspect (the scaling is done before the main thread sees it) */
  vg_test_ui_run_for (1000);
  g_assert_cmpint (gdk_texture_get_width (vg_video_paintable_get_texture (vg_video_view_get_paintable (fixture->view))), ==, 480);
  g_assert_cmpint (gdk_texture_get_height (vg_video_paintable_get_texture (vg_video_view_get_paintable (fixture->view))), ==, 270);

  vg_test_ui_run_for (200);
  first = vg_test_ui_grab (GTK_WIDGET (fixture->view));
  vg_test_ui_run_for (1000);
  second = vg_test_ui_grab (GTK_WIDGET (fixture->view));
  vg_test_ui_save (first, "video-view-1");
  vg_test_ui_save (second, "video-view-2");

  g_assert_false (vg_test_ui_is_uniform (first));
  g_assert_false (vg_test_ui_is_uniform (second));
  g_assert_cmpfloat (vg_test_ui_difference (first, second), >, 0.001);

  vg_video_view_get_frame_counts (fixture->view, &received, &shown);
  g_test_message ("frames received %" G_GUINT64_FORMAT ", shown %" G_GUINT64_FORMAT,
                  received, shown);
  g_assert_cmpuint (shown, <=, received);
  g_assert_cmpuint (shown, >, 0);

  /* The decoder in use is known, and told in the tooltip (CLI-9) */
  g_test_message ("decoder: %s", vg_live_pipeline_get_decoder (vg_video_view_get_pipeline (fixture->view)));
  g_assert_nonnull (vg_live_pipeline_get_decoder (vg_video_view_get_pipeline (fixture->view)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->view)));
}

static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = vg_test_sim_url (fixture->sim, 1, "sub");
  g_autofree char *path = NULL;
  Wait wait = { fixture->view, 5, 0 };
  GError *error = NULL;

  vg_video_view_set_uri (fixture->view, url);
  g_assert_true (vg_test_wait_until (has_frames, &wait, 20000));

  /* The camera goes away: "No signal" over the last frame, kept on screen */
  vg_test_sim_control (fixture->sim, 1, "stop");
  wait.state = VG_LIVE_STATE_NO_SIGNAL;
  g_assert_true (vg_test_wait_until (has_state, &wait, 20000));
  g_assert_cmpstr (vg_video_view_get_status_text (fixture->view), ==, "No signal");
  g_assert_nonnull (vg_video_paintable_get_texture (vg_video_view_get_paintable (fixture->view)));

  /* It comes back: the view resumes by itself */
  vg_test_sim_control (fixture->sim, 1, "start");
  wait.state = VG_LIVE_STATE_PLAYING;
  g_assert_true (vg_test_wait_until (has_state, &wait, 30000));
  wait.frames = frames_shown (fixture->view) + 10;
  g_assert_true (vg_test_wait_until (has_frames, &wait, 20000));
  g_assert_cmpuint (vg_live_pipeline_get_restarts (vg_video_view_get_pipeline (fixture->view)), >=, 1);

  /* PLAY-7: the shown frame as PNG, at the size it was decoded */
  path = g_build_filename (g_get_tmp_dir (), "vigie-test-snapshot.png", NULL);
  g_assert_true (vg_video_view_save_snapshot (fixture->view, path, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GdkTexture) saved = gdk_texture_new_from_filename (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (saved), ==, 640);
    g_assert_cmpint (gdk_texture_get_height (saved), ==, 360);
  }
  g_unlink (path);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  Wait wait = { fixture->view, 0, VG_LIVE_STATE_NO_SIGNAL };

  /* Nothing listens on port 9 */
  vg_video_view_set_uri (fixture->view, "rtsp://127.0.0.1:9/nothing");
  g_assert_true (vg_test_wait_until (has_state, &wait, 20000));
  g_assert_cmpstr (vg_video_view_get_status_text (fixture->view), ==, "No signal");
  g_assert_null (vg_video_paintable_get_texture (vg_video_view_get_paintable (fixture->view)));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add ("/video-view/moving-video", Fixture, NULL, fixture_set_up, test_moving_video,
              fixture_tear_down);
  g_test_add ("/video-view/reconnect", Fixture, NULL, fixture_set_up, test_reconnect,
              fixture_tear_down);
  g_test_add ("/video-view/unreachable", Fixture, NULL, fixture_set_up, test_unreachable,
              fixture_tear_down);

  return g_test_run ();
}
