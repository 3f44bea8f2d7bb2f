/* test-player.c: `vigie --connect https://admin@HOST:PORT --play ID --at TIME` against a
 * real node that recorded a simulated camera: the player window opens paused on the
 * frame recorded at TIME (the last one at or before it; the engine suite checks the
 * pixels frame by frame), shows it, and its actions (the keys' targets) step and jump.
 * A screenshot is saved for people to look at (display needed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-application.h"
#include "vg-player-window.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"

#define FRAME_US 40000   /* the simulator's 25 fps */

static VgTestSim *sim;
static VgTestNode *node;
static VgApiClient *admin;
static gint64 camera_id;
static gint64 play_at;

static gint64
add_camera (void)
{
  g_autofree char *sub_url = vg_test_sim_url (sim, 1, "sub");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Gate\", \"streams\": ["
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"record\", \"live\"]}]}",
                                           sub_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

/* Records about ten seconds; play_at: 1.234 s into the second closed segment. */
static void
record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GDateTime) from = vg_time_new_from_unix_usec (g_get_real_time () - 60 * G_USEC_PER_SEC);
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = vg_time_format_iso8601 (from);
  g_autofree char *to_text = NULL;
  g_autofree char *path = NULL;
  JsonArray *segments;
  guint status = 0;

  camera_id = add_camera ();
  vg_test_sleep_ms (11000);
  to = vg_time_new_from_unix_usec (g_get_real_time ());
  to_text = vg_time_format_iso8601 (to);
  path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?start=%s&end=%s", camera_id,
                          from_text, to_text);
  answer = vg_test_request (admin, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  segments = json_object_get_array_member (json_node_get_object (answer), "segments");
  g_assert_cmpuint (json_array_get_length (segments), >=, 2);
  {
    g_autoptr(GDateTime) start = vg_time_parse_iso8601 (
      json_object_get_string_member (json_array_get_object_element (segments, 1), "start"), NULL);

    play_at = vg_time_to_unix_usec (start) + 1234000;
  }
}

static gboolean
has_player (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (data)); l != NULL; l = l->next)
    if (VG_IS_PLAYER_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

static VgPlayerWindow *
find_player (GtkApplication *application)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VG_IS_PLAYER_WINDOW (l->data))
      return l->data;
  return NULL;
}

typedef struct
{
  VgPlayerView *view;
  gint64        after;   /* a frame later than this */
} WaitShown;

static gboolean
shows_frame (gpointer data)
{
  WaitShown *wait = data;
  VgPlayback *playback = vg_player_view_get_playback (wait->view);

  return playback != NULL && vg_playback_get_state (playback) == VG_PLAYBACK_STATE_FRAME
         && vg_playback_get_frame_time (playback) > wait->after
         && vg_player_view_get_texture (wait->view) != NULL;
}

static void
check_player (GtkApplication *application)
{
  VgPlayerWindow *window;
  VgPlayerView *view;
  VgPlayback *playback;
  WaitShown wait;
  g_autoptr(GdkTexture) shot = NULL;
  gint64 shown;

  g_assert_true (vg_test_wait_until (has_player, application, 10000));
  window = find_player (application);
  view = vg_player_window_get_view (window, 0);
  wait.view = view;
  wait.after = play_at - FRAME_US;
  g_assert_true (vg_test_wait_until (shows_frame, &wait, 20000));
  playback = vg_player_view_get_playback (view);

  /* Paused on the instant asked for: the frame recorded at it. */
  g_assert_false (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));
  g_assert_cmpint (vg_playback_clock_get_position (vg_player_window_get_clock (window)), ==, play_at);
  shown = vg_playback_get_frame_time (playback);
  g_assert_cmpint (shown, <=, play_at);
  g_assert_cmpint (shown, >, play_at - FRAME_US);
  g_assert_cmpstr (vg_player_view_get_time_text (view), !=, "");

  vg_test_ui_run_for (500);
  shot = vg_test_ui_grab (GTK_WIDGET (view));
  g_assert_nonnull (shot);
  g_assert_false (vg_test_ui_is_uniform (shot));
  vg_test_ui_save (shot, "player-at");

  /* Right arrow's action: the next frame, still paused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.step", "i", 1));
  wait.after = shown;
  g_assert_true (vg_test_wait_until (shows_frame, &wait, 10000));
  g_assert_cmpint (vg_playback_get_frame_time (playback) - shown, <=, FRAME_US + 5000);
  g_assert_false (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));

  /* Page Down's action: the next keyframe (two seconds of group at most). */
  shown = vg_playback_get_frame_time (playback);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.jump", "i", 1));
  wait.after = shown;
  g_assert_true (vg_test_wait_until (shows_frame, &wait, 10000));
  g_assert_cmpint (vg_playback_get_frame_time (playback) - shown, <=, 2 * G_USEC_PER_SEC + FRAME_US);

  /* Space's action: playing, then paused again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.play-pause", NULL));
  g_assert_true (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.play-pause", NULL));
  g_assert_false (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));
}

static gboolean
run_checks_cb (gpointer data)
{
  GtkApplication *application = data;

  check_player (application);
  while (gtk_application_get_windows (application) != NULL)
    gtk_window_destroy (gtk_application_get_windows (application)->data);
  return G_SOURCE_REMOVE;
}

static void
test_play_at (void)
{
  g_autoptr(VgApplication) application = vg_application_new ();
  g_autofree char *address = g_strdup_printf ("https://admin@127.0.0.1:%u", node->port);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, camera_id);
  g_autoptr(GDateTime) at = vg_time_new_from_unix_usec (play_at);
  g_autofree char *at_text = vg_time_format_iso8601 (at);
  const char *argv[] = { "vigie", "--connect", address, "--play", id, "--at", at_text, NULL };
  int status;

  g_setenv ("VIGIE_PASSWORD", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) | G_APPLICATION_NON_UNIQUE);
  g_idle_add (run_checks_cb, application);
  status = g_application_run (G_APPLICATION (application), G_N_ELEMENTS (argv) - 1, (char **) argv);
  g_assert_cmpint (status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  sim = vg_test_sim_start (1, &error);
  g_assert_no_error (error);
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n");
  if (!vg_test_node_start (node, &error))
    g_error ("The node did not start: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);
  record ();

  g_test_add_func ("/player/play-at", test_play_at);
  status = g_test_run ();

  g_clear_object (&admin);
  vg_test_node_stop (node);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
