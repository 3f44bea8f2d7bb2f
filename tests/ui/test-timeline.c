/* test-timeline.c: the timeline, the export dialog and the protection dialog against a
 * real node recording simulated cameras, one of which stops for a while: the timeline
 * shows its spans and the gap, zooms with the wheel and the keys, reports the instant
 * the cursor is dragged to; its start and end pickers set the range shown (a reversed
 * one is refused); its keys step the cursor by a tick, select, zoom and jump to the
 * recordings' edges; an export is a file ffprobe reads with the right duration;
 * a protection is visible through the API (display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "vg-date-time-button-private.h"
#include "vg-export-dialog.h"
#include "vg-protections-dialog.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"
#include "vg-timeline-panel.h"
#include "vg-timeline-private.h"

#define S G_TIME_SPAN_SECOND

static VgTestSim *sim;
static VgTestNode *node;
static VgApiClient *admin;
static gint64 camera_ids[2];
static VgCamera *cameras[2];
static char *work_dir;
/* From the index of camera 1: recorded, stopped (the gap), recorded again. */
static gint64 recorded_from, stopped_at, restarted_at;

static GtkWindow *window;
static VgTimelinePanel *panel;
static VgTimeline *timeline;

/* ---- Set-up: two cameras record; the first stops for a few seconds ---- */

static char *
iso (gint64 time)
{
  g_autoptr(GDateTime) date_time = vg_time_new_from_unix_usec (time);
  return vg_time_format_iso8601 (date_time);
}

static gint64
parse_iso (const char *text)
{
  g_autoptr(GDateTime) time = vg_time_parse_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return vg_time_to_unix_usec (time);
}

static JsonNode *
api (const char *method, const char *path, const char *body, guint *status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node_body = vg_test_request (admin, method, path, body, status, &error);

  g_assert_no_error (error);
  return node_body;
}

static gint64
add_camera (guint sim_camera)
{
  g_autofree char *url = vg_test_sim_url (sim, sim_camera, "main");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Camera %u\", \"streams\": [{\"name\": \"main\", "
                                           "\"url\": \"%s\", \"roles\": [\"record\"]}]}", sim_camera, url);
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = api ("POST", "/api/v1/cameras", json, &status);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static gboolean
is_state (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", camera_ids[0]);
  guint status = 0;
  g_autoptr(JsonNode) body = api ("GET", path, NULL, &status);
  JsonObject *stream = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (body), "streams"), 0);

  return g_str_equal (json_object_get_string_member (stream, "state"), data);
}

static void
find_gap (void)
{
  g_autofree char *a = iso (g_get_real_time () - 300 * S);
  g_autofree char *b = iso (g_get_real_time ());
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?start=%s&end=%s",
                                           camera_ids[0], a, b);
  guint status = 0;
  g_autoptr(JsonNode) body = api ("GET", path, NULL, &status);
  JsonArray *spans = json_object_get_array_member (json_node_get_object (body), "spans");

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (spans), >=, 2);
  recorded_from = parse_iso (json_object_get_string_member (json_array_get_object_element (spans, 0), "start"));
  stopped_at = parse_iso (json_object_get_string_member (json_array_get_object_element (spans, 0), "end"));
  restarted_at = parse_iso (json_object_get_string_member (json_array_get_object_element (spans, 1), "start"));
  g_test_message ("recorded %.1f s, gap %.1f s", (stopped_at - recorded_from) / 1e6,
                  (restarted_at - stopped_at) / 1e6);
  g_assert_cmpint (stopped_at - recorded_from, >, 9 * S);
  g_assert_cmpint (restarted_at - stopped_at, >, 2 * S);
}

static void
record (void)
{
  g_autoptr(GError) error = NULL;

  sim = vg_test_sim_start (2, &error);
  g_assert_no_error (error);
  node = vg_test_node_new (NULL);
  if (!vg_test_node_start (node, &error))
    g_error ("The node did not start: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);

  for (guint i = 0; i < 2; i++)
    {
      camera_ids[i] = add_camera (i + 1);
      cameras[i] = vg_camera_new ();
      vg_camera_set_id (cameras[i], camera_ids[i]);
      vg_camera_set_name (cameras[i], i == 0 ? "Camera 1" : "Camera 2");
    }

  g_assert_true (vg_test_wait_until (is_state, "streaming", 15000));
  vg_test_sleep_ms (12000);
  vg_test_sim_control (sim, 1, "stop");
  g_assert_true (vg_test_wait_until (is_state, "lost", 10000));
  vg_test_sleep_ms (4000);
  vg_test_sim_control (sim, 1, "start");
  g_assert_true (vg_test_wait_until (is_state, "streaming", 15000));
  vg_test_sleep_ms (6000);
  find_gap ();
}

static void
show_timeline (void)
{
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1200, 200);
  panel = VG_TIMELINE_PANEL (vg_timeline_panel_new ());
  timeline = vg_timeline_panel_get_timeline (panel);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(VgRecordingTrack) track = vg_recording_track_new (admin, cameras[i], "main");
      vg_timeline_add_track (timeline, track);
    }
  gtk_window_present (window);
}

/* ---- The timeline ---- */

static gboolean
tracks_loaded (gpointer data)
{
  for (guint i = 0; i < vg_timeline_get_n_tracks (timeline); i++)
    {
      VgRecordingTrack *track = vg_timeline_get_track (timeline, i);

      if (vg_recording_track_get_loading (track) ||
          !vg_time_ranges_covers (vg_recording_track_get_known (track), recorded_from, restarted_at + S))
        return FALSE;
    }
  return gtk_widget_get_mapped (GTK_WIDGET (timeline));
}

/* Whether the pixel at (x, y) of the texture is the recorded green. */
static gboolean
is_green (GdkTexture *texture, int x, int y)
{
  gsize stride = (gsize) gdk_texture_get_width (texture) * 4;
  g_autofree guchar *data = g_malloc (stride * gdk_texture_get_height (texture));
  const guchar *pixel;

  gdk_texture_download (texture, data, stride);
  pixel = data + y * stride + x * 4;   /* B G R A in memory */
  return pixel[1] > 150 && pixel[2] < 120 && pixel[0] < 160;
}

static void
test_spans_and_gap (void)
{
  VgRecordingTrack *first;
  GArray *spans;
  g_autoptr(GdkTexture) texture = NULL;
  gboolean gap_found = FALSE;
  double y = vg_timeline_row_to_y (timeline, 0);

  vg_timeline_set_range (timeline, recorded_from - 5 * S, g_get_real_time () + 5 * S);
  g_assert_true (vg_test_wait_until (tracks_loaded, NULL, 20000));
  vg_test_ui_run_for (300);

  first = vg_timeline_get_track (timeline, 0);
  spans = vg_recording_track_get_spans (first);
  for (guint i = 0; i + 1 < spans->len; i++)
    {
      VgTimeRange *a = &g_array_index (spans, VgTimeRange, i);
      VgTimeRange *b = &g_array_index (spans, VgTimeRange, i + 1);

      if (a->end <= stopped_at + S && b->start >= restarted_at - S)
        gap_found = TRUE;
    }
  g_assert_true (gap_found);
  /* The second camera never stopped: one span over the same time. */
  g_assert_true (vg_time_ranges_covers (vg_recording_track_get_spans (vg_timeline_get_track (timeline, 1)),
                                        recorded_from + 2 * S, restarted_at + S));

  texture = vg_test_ui_grab (GTK_WIDGET (timeline));
  vg_test_ui_save (texture, "timeline-gap");
  g_assert_true (is_green (texture, (int) vg_timeline_time_to_x (timeline, recorded_from + (stopped_at - recorded_from) / 2), (int) y));
  g_assert_false (is_green (texture, (int) vg_timeline_time_to_x (timeline, stopped_at + (restarted_at - stopped_at) / 2), (int) y));
  g_assert_true (is_green (texture, (int) vg_timeline_time_to_x (timeline, stopped_at + (restarted_at - stopped_at) / 2),
                           (int) vg_timeline_row_to_y (timeline, 1)));
}

static void
test_zoom (void)
{
  gint64 start = vg_timeline_get_start (timeline), end = vg_timeline_get_end (timeline);
  double x = vg_timeline_time_to_x (timeline, stopped_at);
  gint64 span;

  /* A wheel step in: the span shrinks, the instant under the pointer stays there. */
  vg_timeline_wheel (timeline, x, 0, -1);
  span = vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline);
  g_assert_cmpint (span, <, end - start);
  g_assert_cmpfloat (fabs (vg_timeline_time_to_x (timeline, stopped_at) - x), <, 1.0);
  vg_timeline_wheel (timeline, x, 0, 2);
  g_assert_cmpint (vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline), >, end - start);

  /* The keys, around the cursor. */
  vg_timeline_set_cursor (timeline, stopped_at);
  gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.zoom-span", "s", "minute");
  g_assert_cmpint (vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline), ==, G_TIME_SPAN_MINUTE);
  g_assert_cmpint (vg_timeline_get_start (timeline), <, stopped_at);
  g_assert_cmpint (vg_timeline_get_end (timeline), >, stopped_at);
  gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.zoom-span", "s", "day");
  g_assert_cmpint (vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline), ==, G_TIME_SPAN_DAY);
  gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.zoom-span", "s", "week");
  g_assert_cmpint (vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline), ==, 7 * G_TIME_SPAN_DAY);

  /* All: from the first recording to now, once the tracks know it. */
  gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.zoom-span", "s", "all");
  g_assert_true (vg_test_wait_until (tracks_loaded, NULL, 20000));
  vg_test_ui_run_for (300);
  g_assert_cmpint (vg_timeline_get_start (timeline), <=, recorded_from);
  g_assert_cmpint (vg_timeline_get_start (timeline), >, recorded_from - 10 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (vg_timeline_get_end (timeline), >=, restarted_at);
}

typedef struct {
  gint64 time;
  gboolean final;
} Seek;

static void
seek_cb (VgTimeline *self, gint64 time, gboolean final, GArray *seeks)
{
  Seek seek = { time, final };
  g_array_append_val (seeks, seek);
}

static void
test_drag_cursor (void)
{
  g_autoptr(GArray) seeks = g_array_new (FALSE, FALSE, sizeof (Seek));
  gulong id = g_signal_connect (timeline, "seek-requested", G_CALLBACK (seek_cb), seeks);
  double y = vg_timeline_row_to_y (timeline, 0);
  double x1, x2;
  gint64 sel_start, sel_end;

  vg_timeline_set_range (timeline, recorded_from - 5 * S, restarted_at + 10 * S);
  x1 = vg_timeline_time_to_x (timeline, recorded_from + 2 * S);
  x2 = vg_timeline_time_to_x (timeline, stopped_at - 2 * S);

  vg_timeline_pointer_press (timeline, x1, y, FALSE);
  vg_timeline_pointer_motion (timeline, (x1 + x2) / 2, y);
  vg_timeline_pointer_motion (timeline, x2, y);
  vg_timeline_pointer_release (timeline);
  g_signal_handler_disconnect (timeline, id);

  g_assert_cmpuint (seeks->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    g_assert_false (g_array_index (seeks, Seek, i).final);
  g_assert_true (g_array_index (seeks, Seek, 3).final);
  /* Within a pixel's worth of time. */
  g_assert_cmpint (llabs (g_array_index (seeks, Seek, 0).time - (recorded_from + 2 * S)), <, S);
  g_assert_cmpint (llabs (g_array_index (seeks, Seek, 3).time - (stopped_at - 2 * S)), <, S);
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, g_array_index (seeks, Seek, 3).time);

  /* Shift+drag selects, without moving the cursor. */
  vg_timeline_pointer_press (timeline, x2, y, TRUE);
  vg_timeline_pointer_motion (timeline, x1, y);
  vg_timeline_pointer_release (timeline);
  g_assert_true (vg_timeline_get_selection (timeline, &sel_start, &sel_end));
  g_assert_cmpint (llabs (sel_start - (recorded_from + 2 * S)), <, S);
  g_assert_cmpint (llabs (sel_end - (stopped_at - 2 * S)), <, S);
  {
    g_autoptr(GdkTexture) texture = vg_test_ui_grab (GTK_WIDGET (timeline));
    vg_test_ui_save (texture, "timeline-selection");
  }
}

/* ---- The start and end pickers (PLAY-1) ---- */

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = vg_date_time_button_get_popover (data);

  return gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* Opens the picker and chooses time (local) in its calendar and fields. */
static void
choose (VgDateTimeButton *button, gint64 time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (time / S);

  vg_date_time_button_popup (button);
  g_assert_true (vg_test_wait_until (popover_shown, button, 5000));
  gtk_calendar_select_day (vg_date_time_button_get_calendar (button), local);
  gtk_spin_button_set_value (vg_date_time_button_get_hour_spin (button), g_date_time_get_hour (local));
  gtk_spin_button_set_value (vg_date_time_button_get_minute_spin (button), g_date_time_get_minute (local));
  gtk_spin_button_set_value (vg_date_time_button_get_second_spin (button), g_date_time_get_second (local));
}

static void
apply (VgDateTimeButton *button)
{
  /* An activated button clicks after a short press (250 ms). */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (vg_date_time_button_get_apply_button (button))));
  vg_test_ui_run_for (500);
}

static void
save_popover (VgDateTimeButton *button, const char *name)
{
  GtkWidget *contents = gtk_widget_get_first_child (GTK_WIDGET (vg_date_time_button_get_popover (button)));
  g_autoptr(GdkTexture) texture = NULL;

  vg_test_ui_run_for (300);
  texture = vg_test_ui_grab (contents);
  g_assert_false (vg_test_ui_is_uniform (texture));
  vg_test_ui_save (texture, name);
}

static void
assert_buttons_follow (VgDateTimeButton *start_button, VgDateTimeButton *end_button)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (vg_timeline_get_start (timeline) / S);
  g_autofree char *label = g_date_time_format (local, "%x %X");

  g_assert_cmpint (vg_date_time_button_get_time (start_button), ==, vg_timeline_get_start (timeline));
  g_assert_cmpint (vg_date_time_button_get_time (end_button), ==, vg_timeline_get_end (timeline));
  g_assert_cmpstr (vg_date_time_button_get_label (start_button), ==, label);
  g_assert_false (vg_date_time_button_get_error (start_button));
  g_assert_false (vg_date_time_button_get_error (end_button));
}

static void
test_date_picker (void)
{
  VgDateTimeButton *start_button = vg_timeline_panel_get_start_button (panel);
  VgDateTimeButton *end_button = vg_timeline_panel_get_end_button (panel);
  gint64 start = (recorded_from / S - 30) * S, end = (restarted_at / S + 30) * S;
  gint64 shown_start, shown_end;

  vg_timeline_set_range (timeline, recorded_from - 600 * S, restarted_at + 600 * S);
  assert_buttons_follow (start_button, end_button);

  /* A start, then an end, chosen in the pickers and applied: the range shown. */
  choose (start_button, start);
  save_popover (start_button, "timeline-date-picker");
  apply (start_button);
  g_assert_cmpint (vg_timeline_get_start (timeline), ==, start);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (vg_date_time_button_get_popover (start_button))));
  g_assert_cmpint (vg_timeline_get_end (timeline), ==, restarted_at + 600 * S);
  choose (end_button, end);
  apply (end_button);
  g_assert_cmpint (vg_timeline_get_start (timeline), ==, start);
  g_assert_cmpint (vg_timeline_get_end (timeline), ==, end);
  assert_buttons_follow (start_button, end_button);
  {
    g_autoptr(GdkTexture) texture = vg_test_ui_grab (GTK_WIDGET (vg_timeline_panel_get_toolbar (panel)));
    vg_test_ui_save (texture, "timeline-toolbar");
  }

  /* An end before the start: the end shown in error, nothing applied, the picker
   * left open to be corrected. */
  choose (end_button, start - 3600 * S);
  apply (end_button);
  g_assert_true (vg_date_time_button_get_error (end_button));
  g_assert_false (vg_date_time_button_get_error (start_button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (vg_date_time_button_get_popover (end_button))));
  g_assert_cmpint (vg_timeline_get_start (timeline), ==, start);
  g_assert_cmpint (vg_timeline_get_end (timeline), ==, end);
  save_popover (end_button, "timeline-date-picker-refused");
  vg_date_time_button_popdown (end_button);

  /* A start after the end: the start in error. */
  choose (start_button, end + 60 * S);
  apply (start_button);
  g_assert_true (vg_date_time_button_get_error (start_button));
  g_assert_cmpint (vg_timeline_get_start (timeline), ==, start);
  g_assert_cmpint (vg_timeline_get_end (timeline), ==, end);
  vg_date_time_button_popdown (start_button);

  /* The pickers follow a zoom and a pan (and leave their error). */
  vg_timeline_zoom (timeline, 0.5, stopped_at);
  shown_start = vg_timeline_get_start (timeline);
  shown_end = vg_timeline_get_end (timeline);
  g_assert_cmpint (shown_end - shown_start, <, end - start);
  assert_buttons_follow (start_button, end_button);
  vg_timeline_wheel (timeline, vg_timeline_time_to_x (timeline, stopped_at), 1, 0);
  g_assert_cmpint (vg_timeline_get_start (timeline), >, shown_start);
  assert_buttons_follow (start_button, end_button);
}

/* ---- The keys (PLAY-9) ---- */

static void
test_keys (void)
{
  g_autoptr(GArray) seeks = g_array_new (FALSE, FALSE, sizeof (Seek));
  gulong id = g_signal_connect (timeline, "seek-requested", G_CALLBACK (seek_cb), seeks);
  GtkWidget *widget = GTK_WIDGET (timeline);
  gint64 from = recorded_from + 2 * S;
  gint64 span, sel_start, sel_end;
  VgTickScale ticks;
  double x;

  vg_timeline_set_range (timeline, recorded_from - 5 * S, restarted_at + 10 * S);
  vg_timeline_clear_selection (timeline);
  g_assert_true (vg_test_wait_until (tracks_loaded, NULL, 20000));

  /* The timeline takes the focus, with a visible ring. */
  gtk_window_set_focus_visible (window, TRUE);
  g_assert_true (gtk_widget_grab_focus (widget));
  g_assert_true (gtk_widget_has_focus (widget));
  vg_timeline_set_cursor (timeline, from);
  {
    g_autoptr(GdkTexture) texture = vg_test_ui_grab (widget);
    vg_test_ui_save (texture, "timeline-focus");
  }

  /* Right, Left: one tick of the ruler each way, a seek as at the end of a drag. */
  ticks = vg_timeline_get_ticks (timeline);
  g_assert_cmpuint (ticks.months, ==, 0);
  g_assert_cmpint (ticks.step, >=, S);
  g_assert_cmpint (ticks.step, <, (vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) / 4);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, from + ticks.step);
  g_assert_cmpuint (seeks->len, ==, 1);
  g_assert_cmpint (g_array_index (seeks, Seek, 0).time, ==, from + ticks.step);
  g_assert_true (g_array_index (seeks, Seek, 0).final);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Left, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, from);

  /* Shift+Right twice, Shift+Left once: a selection of one tick from the cursor. */
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_true (vg_timeline_get_selection (timeline, &sel_start, &sel_end));
  g_assert_cmpint (sel_start, ==, from);
  g_assert_cmpint (sel_end, ==, from + 2 * ticks.step);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Left, GDK_SHIFT_MASK));
  g_assert_true (vg_timeline_get_selection (timeline, &sel_start, &sel_end));
  g_assert_cmpint (sel_end, ==, from + ticks.step);
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, from);
  vg_timeline_clear_selection (timeline);

  /* Plus and minus (and the keypad's): half and twice the span, around the cursor. */
  span = vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline);
  x = vg_timeline_time_to_x (timeline, from);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_plus, 0));
  g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span / 2), <=, 2);
  g_assert_cmpfloat (fabs (vg_timeline_time_to_x (timeline, from) - x), <, 1.0);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_minus, 0));
  g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span), <=, 4);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_KP_Add, 0));
  g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span / 2), <=, 4);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_KP_Subtract, 0));
  g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span), <=, 8);
  g_assert_cmpfloat (fabs (vg_timeline_time_to_x (timeline, from) - x), <, 1.0);

  /* Typed on the keyboard: plus is Shift+equal on most layouts, taken all the same. */
  if (vg_test_ui_type_key (widget, "plus"))
    {
      g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span / 2), <=, 8);
      g_assert_true (vg_test_ui_type_key (widget, "KP_Subtract"));
      g_assert_cmpint (llabs ((vg_timeline_get_end (timeline) - vg_timeline_get_start (timeline)) - span), <=, 16);
    }

  /* Page Down: the gap's start (the second camera records on), then its end; Page Up
   * back to the gap's start. */
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, stopped_at);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, restarted_at);
  g_assert_true (vg_test_ui_press_key (widget, GDK_KEY_Page_Up, 0));
  g_assert_cmpint (vg_timeline_get_cursor (timeline), ==, stopped_at);
  g_assert_true (g_array_index (seeks, Seek, seeks->len - 1).final);
  g_assert_cmpint (g_array_index (seeks, Seek, seeks->len - 1).time, ==, stopped_at);
  g_signal_handler_disconnect (timeline, id);
}

static void
test_bisection (void)
{
  gint64 change = stopped_at;   /* "the camera went dark": after it, the frames are gone */

  vg_timeline_set_selection (timeline, recorded_from, restarted_at);
  gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.bisect-start", NULL);
  g_assert_true (vg_timeline_get_bisecting (timeline));
  for (guint asked = 0; vg_timeline_get_bisecting (timeline); asked++)
    {
      g_assert_cmpuint (asked, <, 40);
      gtk_widget_activate_action (GTK_WIDGET (panel), "timeline.bisect-answer", "b",
                                  vg_timeline_get_cursor (timeline) >= change);
    }
  g_assert_cmpint (vg_timeline_get_cursor (timeline), >=, change);
  g_assert_cmpint (vg_timeline_get_cursor (timeline) - change, <=, 40 * G_TIME_SPAN_MILLISECOND);
}

/* ---- Export and protection ---- */

static gboolean finished_flag;
static gboolean finished_success;

static void
finished_cb (VgExportDialog *dialog, gboolean success, gpointer data)
{
  finished_flag = TRUE;
  finished_success = success;
}

static gboolean
is_finished (gpointer data)
{
  return finished_flag;
}

static double
probe_duration (const char *path)
{
  const char *argv[] = { "ffprobe", "-v", "error", "-show_entries", "format=duration",
                         "-of", "default=nw=1:nk=1", path, NULL };
  int status = -1;
  g_autofree char *out = vg_test_run_command (argv, &status);

  g_assert_cmpint (status, ==, 0);
  return g_ascii_strtod (out, NULL);
}

static VgExportDialog *
new_export_dialog (gint64 start, gint64 end)
{
  VgExportDialog *dialog = vg_export_dialog_new (window, admin, cameras[0], "main", start, end);

  finished_flag = FALSE;
  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
test_export_download (void)
{
  gint64 start = recorded_from + 2 * S, end = recorded_from + 8 * S;
  g_autofree char *path = g_build_filename (work_dir, "export.mkv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VgExportDialog *dialog;
  double duration;

  if (g_find_program_in_path ("ffprobe") == NULL)
    {
      g_test_skip ("no ffprobe");
      return;
    }
  dialog = new_export_dialog (start, end);
  vg_export_dialog_set_file (dialog, file);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL);
  g_assert_true (vg_test_wait_until (is_finished, NULL, 60000));
  g_test_message ("export: %s", vg_export_dialog_get_status (dialog));
  g_assert_true (finished_success);
  duration = probe_duration (path);
  g_test_message ("duration %.3f s", duration);
  g_assert_cmpfloat (fabs (duration - 6.0), <, 0.5);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_export_refused (void)
{
  /* Before the first recording: no video, the node says 404 and no file is left. */
  g_autofree char *path = g_build_filename (work_dir, "nothing.mkv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  VgExportDialog *dialog = new_export_dialog (recorded_from - 60 * S, recorded_from - 30 * S);

  vg_export_dialog_set_file (dialog, file);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL);
  g_assert_true (vg_test_wait_until (is_finished, NULL, 60000));
  g_test_message ("refused export: %s", vg_export_dialog_get_status (dialog));
  g_assert_false (finished_success);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_export_node_job (void)
{
  g_autofree char *medium = g_build_filename (work_dir, "medium", NULL);
  VgExportDialog *dialog;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_cmpint (g_mkdir_with_parents (medium, 0755), ==, 0);
  vg_api_client_connect_events (admin);
  dialog = new_export_dialog (recorded_from + S, stopped_at - S);
  vg_export_dialog_set_node_directory (dialog, medium);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL);
  g_assert_true (vg_test_wait_until (is_finished, NULL, 60000));
  g_test_message ("node export: %s", vg_export_dialog_get_status (dialog));
  g_assert_true (finished_success);

  dir = g_dir_open (medium, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (medium, name, NULL);

      g_assert_true (g_str_has_suffix (name, ".mkv"));
      if (g_find_program_in_path ("ffprobe") != NULL)
        {
          double expected = (stopped_at - recorded_from - 2 * S) / 1e6;
          double duration = probe_duration (path);

          /* The selection's own instants, not the seconds the fields show */
          if (fabs (duration - expected) >= 0.05)
            {
              const char *argv[] = { "ffprobe", "-v", "error", "-show_entries",
                                     "format=start_time,duration:stream=start_time,duration,nb_frames",
                                     "-of", "compact", path, NULL };
              int status = -1;
              g_autofree char *out = vg_test_run_command (argv, &status);

              g_test_message ("node export of %.3f s expected, %.3f s found (range from %" G_GINT64_FORMAT
                              " to %" G_GINT64_FORMAT " µs): %s", expected, duration,
                              recorded_from + S, stopped_at - S, out);
            }
          g_assert_cmpfloat (fabs (duration - expected), <, 0.05);
        }
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
has_protections (gpointer data)
{
  return vg_protections_dialog_get_n_protections (data) > 0;
}

static void
test_protect (void)
{
  gint64 start = recorded_from + S, end = stopped_at;
  VgProtectionsDialog *dialog = vg_protections_dialog_new (window, admin, cameras[0], start, end);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/protections", camera_ids[0]);
  g_autoptr(JsonNode) body = NULL;
  JsonArray *protections;
  JsonObject *protection;
  guint status = 0;

  gtk_window_present (GTK_WINDOW (dialog));
  vg_protections_dialog_set_comment (dialog, "case 2026-114");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "protections.protect", NULL);
  g_assert_true (vg_test_wait_until (has_protections, dialog, 20000));
  g_assert_null (vg_protections_dialog_get_error (dialog));

  body = api ("GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  protections = json_object_get_array_member (json_node_get_object (body), "protections");
  g_assert_cmpuint (json_array_get_length (protections), ==, 1);
  protection = json_array_get_object_element (protections, 0);
  g_assert_cmpint (llabs (parse_iso (json_object_get_string_member (protection, "start")) - start), <, 1000);
  g_assert_cmpint (llabs (parse_iso (json_object_get_string_member (protection, "end")) - end), <, 1000);
  g_assert_cmpstr (json_object_get_string_member (protection, "comment"), ==, "case 2026-114");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/timeline/spans-and-gap", test_spans_and_gap);
  g_test_add_func ("/timeline/zoom", test_zoom);
  g_test_add_func ("/timeline/drag-cursor", test_drag_cursor);
  g_test_add_func ("/timeline/date-picker", test_date_picker);
  g_test_add_func ("/timeline/keys", test_keys);
  g_test_add_func ("/timeline/bisection", test_bisection);
  g_test_add_func ("/export/download", test_export_download);
  g_test_add_func ("/export/refused", test_export_refused);
  g_test_add_func ("/export/node-job", test_export_node_job);
  g_test_add_func ("/protect/range", test_protect);

  work_dir = g_dir_make_tmp ("vigie-timeline-XXXXXX", NULL);
  record ();
  show_timeline ();
  result = g_test_run ();

  gtk_window_destroy (window);
  g_clear_object (&cameras[0]);
  g_clear_object (&cameras[1]);
  g_clear_object (&admin);
  vg_test_node_stop (node);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  {
    const char *argv_rm[] = { "rm", "-rf", work_dir, NULL };
    int status = 0;
    g_autofree char *out = vg_test_run_command (argv_rm, &status);
  }
  g_free (work_dir);
  return result;
}
