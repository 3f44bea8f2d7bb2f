/* test-player.c: `vigie --connect https://admin@HOST:PORT --play ID --at TIME` against a
 * real node that recorded a simulated camera: the player window opens paused on the
 * frame recorded at TIME (the last one at or before it; the engine suite checks the
 * pixels frame by frame), shows it, and its actions (the keys' targets) step and jump;
 * Home and End land on the first and last frames recorded, the timeline's keys move
 * its cursor and the player with it.
 * From the main window's mosaic (PLAY-1, PLAY-4): a cell's menu opens the player paused
 * 30 s back on that camera, "go back" replays a camera, a camera chosen in the list
 * opens with Ctrl+P's action, and the mosaic plays back with all its cells on one
 * clock. Screenshots are saved for people to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vg-application.h"
#include "vg-player-window.h"
#include "vg-timeline-private.h"
#include "vg-window.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"

#define FRAME_US 40000   /* the simulator's 25 fps */

static VgTestSim *sim;
static VgTestNode *node;
static VgApiClient *admin;
static gint64 camera_id;
static gint64 second_camera_id;
static gint64 recording_since;   /* real time the cameras were added */
static gint64 play_at;

static gint64
add_camera (guint sim_camera, const char *name)
{
  g_autofree char *sub_url = vg_test_sim_url (sim, sim_camera, "sub");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": ["
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"record\", \"live\", \"mosaic\"]}]}",
                                           name, sub_url);
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

  recording_since = g_get_real_time ();
  camera_id = add_camera (1, "Gate");
  second_camera_id = add_camera (2, "Yard");
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

/* The transport bar at the bottom of the view is drawn (opaque), with something on it
 * (its buttons): it was once transparent, a white strip in screenshots. */
static void
assert_controls_drawn (GdkTexture *shot)
{
  int width = gdk_texture_get_width (shot);
  int height = gdk_texture_get_height (shot);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *data = g_malloc (stride * (gsize) height);
  gboolean varied = FALSE;

  gdk_texture_download (shot, data, stride);
  for (int y = height - 30; y < height - 5; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *pixel = data + (gsize) y * stride + (gsize) x * 4;

        g_assert_cmpuint (pixel[3], ==, 255);
        varied |= memcmp (pixel, data + (gsize) (height - 30) * stride, 3) != 0;
      }
  g_assert_true (varied);
}

/* The first frame recorded: the first segment's start, from the index. */
static gint64
first_segment_start (gint64 camera)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GDateTime) from = vg_time_new_from_unix_usec (recording_since - 60 * G_USEC_PER_SEC);
  g_autoptr(GDateTime) to = g_date_time_new_now_utc ();
  g_autofree char *from_text = vg_time_format_iso8601 (from);
  g_autofree char *to_text = vg_time_format_iso8601 (to);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?start=%s&end=%s",
                                           camera, from_text, to_text);
  g_autoptr(GDateTime) start = NULL;
  JsonArray *segments;
  guint status = 0;

  answer = vg_test_request (admin, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  segments = json_object_get_array_member (json_node_get_object (answer), "segments");
  g_assert_cmpuint (json_array_get_length (segments), >, 0);
  start = vg_time_parse_iso8601 (json_object_get_string_member (json_array_get_object_element (segments, 0), "start"),
                                 NULL);
  return vg_time_to_unix_usec (start);
}

/* The end of the last recorded span, now. */
static gint64
last_recorded (gint64 camera)
{
  g_autoptr(GArray) spans = vg_test_recording_spans (admin, camera, recording_since - 60 * G_USEC_PER_SEC, NULL);

  g_assert_cmpuint (spans->len, >=, 2);
  return g_array_index (spans, gint64, spans->len - 1);
}

typedef struct
{
  VgPlayerWindow *window;
  VgPlayerView   *view;
  gint64          time;
  gboolean        exact;   /* the clock at time; otherwise at time or later */
} WaitAt;

/* The clock at (or past) the time and the view on the frame recorded there: the last
 * one at or before the position. */
static gboolean
shows_frame_at (gpointer data)
{
  WaitAt *wait = data;
  VgPlayback *playback = vg_player_view_get_playback (wait->view);
  gint64 position = vg_playback_clock_get_position (vg_player_window_get_clock (wait->window));
  gint64 shown;

  if (wait->exact ? position != wait->time : position < wait->time)
    return FALSE;
  if (playback == NULL || vg_playback_get_state (playback) != VG_PLAYBACK_STATE_FRAME
      || vg_player_view_get_texture (wait->view) == NULL)
    return FALSE;
  shown = vg_playback_get_frame_time (playback);
  return shown <= position && shown > position - FRAME_US - 5000;
}

/* Home and End (PLAY-9), and the timeline's keys when it has the focus. */
static void
check_edges_and_timeline_keys (VgPlayerWindow *window,
                               VgPlayerView   *view,
                               gint64          camera)
{
  VgPlaybackClock *clock = vg_player_window_get_clock (window);
  VgPlayback *playback = vg_player_view_get_playback (view);
  VgTimeline *timeline = vg_timeline_panel_get_timeline (vg_player_window_get_timeline_panel (window));
  WaitAt at = { window, view, 0, TRUE };
  g_autoptr(GdkTexture) shot = NULL;
  VgTickScale ticks;
  gint64 before;

  /* Home: paused on the first frame recorded. */
  at.time = first_segment_start (camera);
  vg_playback_clock_set_playing (clock, TRUE);
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (view), GDK_KEY_Home, 0));
  g_assert_true (vg_test_wait_until (shows_frame_at, &at, 20000));
  g_assert_false (vg_playback_clock_get_playing (clock));
  g_assert_cmpint (llabs (vg_playback_get_frame_time (playback) - at.time), <, 1000);
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, at.time);
  vg_test_ui_run_for (300);
  shot = vg_test_ui_grab (GTK_WIDGET (view));
  g_assert_false (vg_test_ui_is_uniform (shot));
  vg_test_ui_save (shot, "player-home");

  /* End: the recording goes on; at least where it ended before the key, not past
   * now, on the frame recorded there. */
  at.time = last_recorded (camera);
  at.exact = FALSE;
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (view), GDK_KEY_End, 0));
  if (!vg_test_wait_until (shows_frame_at, &at, 20000))
    g_error ("End: the clock at %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " µs from the end recorded "
             "before the key; the engine in state %d showing %" G_GINT64_FORMAT " µs before the clock",
             vg_playback_clock_get_position (clock), vg_playback_clock_get_position (clock) - at.time,
             vg_playback_get_state (playback), vg_playback_clock_get_position (clock) - vg_playback_get_frame_time (playback));
  g_assert_cmpint (vg_playback_clock_get_position (clock), <=, g_get_real_time ());
  g_assert_cmpint (vg_playback_clock_get_position (clock), >, first_segment_start (camera));

  /* The timeline with the focus: Left moves its cursor back by a tick of its ruler,
   * and the player with it, as a drag does; the view's own Left steps a frame. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (timeline)));
  before = vg_timeline_get_cursor (timeline);
  /* Thirty seconds shown: a tick of a few seconds, still in the recording. */
  vg_timeline_set_range (timeline, before - 20 * G_USEC_PER_SEC, before + 10 * G_USEC_PER_SEC);
  ticks = vg_timeline_get_ticks (timeline);
  g_assert_cmpint (ticks.step, <=, 10 * G_USEC_PER_SEC);
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (timeline), GDK_KEY_Left, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, before - ticks.step);
  g_assert_cmpint (vg_playback_clock_get_position (clock), ==, before - ticks.step);
  at.time = before - ticks.step;
  at.exact = TRUE;
  g_assert_true (vg_test_wait_until (shows_frame_at, &at, 20000));
  before = vg_playback_get_frame_time (playback);
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (view), GDK_KEY_Left, 0));
  g_assert_cmpint (vg_playback_clock_get_position (clock), <, at.time);
  g_assert_cmpint (vg_playback_clock_get_position (clock), >=, before - FRAME_US - 5000);

  /* Real keys, routed by GTK to the focus: Right in the timeline moves its cursor by a
   * tick; Right in the view, a frame. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (timeline)));
  before = vg_timeline_get_cursor (timeline);
  if (vg_test_ui_type_key (GTK_WIDGET (timeline), "Right"))
    {
      g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, before + ticks.step);
      g_assert_cmpint (vg_playback_clock_get_position (clock), ==, before + ticks.step);
      at.time = before + ticks.step;
      g_assert_true (vg_test_wait_until (shows_frame_at, &at, 20000));
      before = vg_playback_get_frame_time (playback);
      g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
      g_assert_true (vg_test_ui_type_key (GTK_WIDGET (view), "Right"));
      g_assert_cmpint (vg_timeline_get_cursor (timeline), >, before);
      g_assert_cmpint (vg_timeline_get_cursor (timeline), <=, before + FRAME_US + 5000);
      g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (timeline)));
    }
  else
    g_test_message ("no xdotool: the keys were not typed on the display");

  /* The keys the timeline leaves (Space, Home…) reach the player from its panel. */
  g_assert_false (vg_test_ui_press_key (GTK_WIDGET (timeline), GDK_KEY_space, 0));
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (vg_player_window_get_timeline_panel (window)), GDK_KEY_space, 0));
  g_assert_true (vg_playback_clock_get_playing (clock));
  g_assert_true (vg_test_ui_press_key (GTK_WIDGET (vg_player_window_get_timeline_panel (window)), GDK_KEY_Home, 0));
  g_assert_false (vg_playback_clock_get_playing (clock));
  at.time = first_segment_start (camera);
  g_assert_true (vg_test_wait_until (shows_frame_at, &at, 20000));
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
  assert_controls_drawn (shot);
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

  /* No sound recorded with this camera: M's action is disabled. */
  g_assert_false (vg_playback_get_has_audio (playback));
  gtk_widget_activate_action (GTK_WIDGET (view), "player.mute", NULL);
  g_assert_false (vg_playback_get_muted (playback));

  /* Space's action: playing, then paused again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.play-pause", NULL));
  g_assert_true (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.play-pause", NULL));
  g_assert_false (vg_playback_clock_get_playing (vg_player_window_get_clock (window)));

  check_edges_and_timeline_keys (window, view, camera_id);
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

/* From the main window */

static VgWindow *
find_main_window (GtkApplication *application)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VG_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_main_window (gpointer data)
{
  return find_main_window (GTK_APPLICATION (data)) != NULL;
}

static gboolean
mosaic_filled (gpointer data)
{
  VgMosaic *mosaic = data;

  return vg_mosaic_get_n_cells (mosaic) == 2
         && vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 0)) != NULL
         && vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 1)) != NULL;
}

/* The player windows open, newest first (GTK lists the last one presented first). */
static guint
count_players (GtkApplication *application)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    n += VG_IS_PLAYER_WINDOW (l->data);
  return n;
}

typedef struct
{
  GtkApplication *application;
  guint           n;
} WaitPlayers;

static gboolean
has_players (gpointer data)
{
  WaitPlayers *wait = data;

  return count_players (wait->application) >= wait->n;
}

/* Activates the item of the menu that names action, as a click on it would. */
static void
activate_menu_item (GMenuModel *menu,
                    GtkWidget  *widget,
                    const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *name = NULL;

      if (section != NULL)
        {
          activate_menu_item (section, widget, action);
          continue;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        {
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);

          g_assert_true (gtk_widget_activate_action_variant (widget, action, target));
          return;
        }
    }
}

/* A new player's first view shows a frame: paused or playing as asked, about 30 s
 * before `asked` (the real time the action was taken), on camera `camera`. */
static VgPlayerWindow *
check_new_player (GtkApplication *application,
                  guint           n_before,
                  gint64          asked,
                  gint64          camera,
                  gboolean        playing)
{
  WaitPlayers players = { application, n_before + 1 };
  VgPlayerWindow *player;
  VgPlayerView *view;
  VgPlayback *playback;
  WaitShown wait;
  gint64 position;

  g_assert_true (vg_test_wait_until (has_players, &players, 10000));
  player = find_player (application);
  view = vg_player_window_get_view (player, 0);
  wait.view = view;
  wait.after = 0;
  g_assert_true (vg_test_wait_until (shows_frame, &wait, 20000));
  playback = vg_player_view_get_playback (view);
  g_assert_cmpint (vg_playback_get_camera_id (playback), ==, camera);
  g_assert_cmpint (vg_playback_clock_get_playing (vg_player_window_get_clock (player)), ==, playing);
  if (!playing)
    {
      /* Paused 30 s before the action, on the frame recorded then. */
      position = vg_playback_clock_get_position (vg_player_window_get_clock (player));
      g_assert_cmpint (position, >=, asked - 30 * G_USEC_PER_SEC);
      g_assert_cmpint (position, <=, g_get_real_time () - 30 * G_USEC_PER_SEC);
      g_assert_cmpint (vg_playback_get_frame_time (playback), <=, position);
      g_assert_cmpint (vg_playback_get_frame_time (playback), >, position - FRAME_US - 5000);
    }
  return player;
}

static void
check_from_mosaic (GtkApplication *application)
{
  VgWindow *window;
  VgMosaic *mosaic;
  VgPlayerWindow *player;
  GtkPopover *menu;
  g_autoptr(GdkTexture) shot = NULL;
  gint64 asked;
  guint n;

  g_assert_true (vg_test_wait_until (has_main_window, application, 10000));
  window = find_main_window (application);
  mosaic = vg_window_get_mosaic (window);
  g_assert_true (vg_test_wait_until (mosaic_filled, mosaic, 20000));

  /* 30 s back must have been recorded. */
  if (g_get_real_time () < recording_since + 34 * G_USEC_PER_SEC)
    vg_test_ui_run_for ((guint) ((recording_since + 34 * G_USEC_PER_SEC - g_get_real_time ()) / 1000));

  /* The second cell's menu (as a secondary click opens it), then its "Open in
   * Player". */
  g_assert_true (vg_mosaic_popup_cell_menu (mosaic, 1, -1, -1));
  g_assert_cmpuint (vg_mosaic_get_selected (mosaic), ==, 1);
  menu = vg_mosaic_get_cell_menu (mosaic);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
  asked = g_get_real_time ();
  n = count_players (application);
  activate_menu_item (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)), GTK_WIDGET (menu), "win.open-player");
  gtk_popover_popdown (menu);
  player = check_new_player (application, n, asked, second_camera_id, FALSE);
  vg_test_ui_run_for (500);
  shot = vg_test_ui_grab (GTK_WIDGET (vg_player_window_get_view (player, 0)));
  g_assert_false (vg_test_ui_is_uniform (shot));
  vg_test_ui_save (shot, "player-from-cell");
  gtk_window_destroy (GTK_WINDOW (player));

  /* Ctrl+B's action on the first camera of the list: replaying from 30 s ago. */
  asked = g_get_real_time ();
  n = count_players (application);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", "x", camera_id));
  player = check_new_player (application, n, asked, camera_id, TRUE);
  gtk_window_destroy (GTK_WINDOW (player));

  /* A camera chosen in the list, then Ctrl+P's action: that camera, paused 30 s back. */
  vg_window_select_camera (window, second_camera_id);
  g_assert_nonnull (vg_window_get_selected_camera (window));
  g_assert_cmpint (vg_camera_get_id (vg_window_get_selected_camera (window)), ==, second_camera_id);
  asked = g_get_real_time ();
  n = count_players (application);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-player", "x", (gint64) 0));
  player = check_new_player (application, n, asked, second_camera_id, FALSE);
  gtk_window_destroy (GTK_WINDOW (player));

  /* The mosaic played back: both cells, one clock. */
  n = count_players (application);
  asked = g_get_real_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play-mosaic", NULL));
  player = check_new_player (application, n, asked,
                             vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 0))), FALSE);
  g_assert_cmpuint (vg_player_window_get_n_views (player), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      VgPlayerView *view = vg_player_window_get_view (player, i);
      WaitShown wait = { view, 0 };

      g_assert_true (vg_test_wait_until (shows_frame, &wait, 20000));
      g_assert_true (vg_playback_get_clock (vg_player_view_get_playback (view)) == vg_player_window_get_clock (player));
      /* The cameras' recorded mosaic stream. */
      g_assert_cmpstr (vg_playback_get_stream (vg_player_view_get_playback (view)), ==, "sub");
    }
  g_assert_cmpint (ABS (vg_playback_get_frame_time (vg_player_view_get_playback (vg_player_window_get_view (player, 0)))
                        - vg_playback_get_frame_time (vg_player_view_get_playback (vg_player_window_get_view (player, 1)))),
                   <, 2 * FRAME_US);
  /* One camera heard at a time: the first; another's sound on turns the first's off. */
  {
    VgPlayback *first = vg_player_view_get_playback (vg_player_window_get_view (player, 0));
    VgPlayback *second = vg_player_view_get_playback (vg_player_window_get_view (player, 1));

    g_assert_false (vg_playback_get_muted (first));
    g_assert_true (vg_playback_get_muted (second));
    vg_playback_set_muted (second, FALSE);
    g_assert_true (vg_playback_get_muted (first));
    g_assert_false (vg_playback_get_muted (second));
  }
  vg_test_ui_run_for (500);
  g_clear_object (&shot);
  shot = vg_test_ui_grab (gtk_window_get_child (GTK_WINDOW (player)));
  vg_test_ui_save (shot, "player-mosaic");

  /* Home from either view: the first instant recorded by any of the cameras shown,
   * the view of that camera on its first frame. */
  {
    gint64 firsts[2];
    guint earliest;
    WaitAt at = { player, NULL, 0, TRUE };

    for (guint i = 0; i < 2; i++)
      firsts[i] = first_segment_start (vg_playback_get_camera_id (
        vg_player_view_get_playback (vg_player_window_get_view (player, i))));
    earliest = firsts[1] < firsts[0] ? 1 : 0;
    at.view = vg_player_window_get_view (player, earliest);
    at.time = firsts[earliest];
    g_assert_true (vg_test_ui_press_key (GTK_WIDGET (vg_player_window_get_view (player, 1 - earliest)),
                                         GDK_KEY_Home, 0));
    g_assert_true (vg_test_wait_until (shows_frame_at, &at, 20000));
    g_assert_cmpint (llabs (vg_playback_get_frame_time (vg_player_view_get_playback (at.view)) - at.time), <, 1000);
  }
}

static gboolean
run_mosaic_checks_cb (gpointer data)
{
  GtkApplication *application = data;

  check_from_mosaic (application);
  while (gtk_application_get_windows (application) != NULL)
    gtk_window_destroy (gtk_application_get_windows (application)->data);
  return G_SOURCE_REMOVE;
}

static void
test_from_mosaic (void)
{
  g_autoptr(VgApplication) application = vg_application_new ();
  g_autofree char *address = g_strdup_printf ("https://admin@127.0.0.1:%u", node->port);
  const char *argv[] = { "vigie", "--connect", address, "--mosaic", "2x1", NULL };
  int status;

  g_setenv ("VIGIE_PASSWORD", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) | G_APPLICATION_NON_UNIQUE);
  g_idle_add (run_mosaic_checks_cb, application);
  status = g_application_run (G_APPLICATION (application), G_N_ELEMENTS (argv) - 1, (char **) argv);
  g_assert_cmpint (status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  sim = vg_test_sim_start (2, &error);
  g_assert_no_error (error);
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n");
  if (!vg_test_node_start (node, &error))
    g_error ("The node did not start: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);
  record ();

  g_test_add_func ("/player/play-at", test_play_at);
  g_test_add_func ("/player/from-mosaic", test_from_mosaic);
  status = g_test_run ();

  g_clear_object (&admin);
  vg_test_node_stop (node);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
