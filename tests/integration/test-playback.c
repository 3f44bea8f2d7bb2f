/* test-playback.c: the playback engine (VgPlayback, PLAY-3, PLAY-4, PLAY-5) against a
 * real node recording simulated cameras: the frame shown for an instant is the one the
 * node recorded at that instant. The oracle is independent of the engine: the whole
 * segment file, read over HTTP, decoded by GStreamer's matroskademux; frames are
 * compared by their UTC time and by a digest of their pixels (the simulator draws a
 * frame counter, so no two frames of a clip look alike).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-listener.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <gst/app/gstappsink.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  gint64  time_us;
  char   *digest;
  gboolean keyframe;
} OracleFrame;

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;
static gint64 cameras[2];
static gint64 recorded_from;   /* camera 0: recording from here … */
static gint64 stopped_at;      /* … to here (outage) */
static gint64 restarted_at;    /* … and from here on */
static char *work_dir;
static GArray *oracle;         /* OracleFrame of camera 0 "sub", time order, closed segments */

/* ---- Helpers ---- */

static char *
iso (gint64 us)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (us);

  return vg_time_format_iso8601 (time);
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
  JsonNode *answer = vg_test_request (admin, method, path, body, status, &error);

  g_assert_cmpuint (*status, !=, 0);
  return answer;
}

static char *
sample_digest (GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMapInfo map;
  char *digest;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA1, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return digest;
}

static const char *
camera_state (gint64 camera)
{
  static char state[32];
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", camera);
  guint status = 0;
  g_autoptr(JsonNode) body = api ("GET", path, NULL, &status);
  JsonObject *stream = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (body), "streams"), 0);

  g_strlcpy (state, json_object_get_string_member (stream, "state"), sizeof state);
  return state;
}

static gboolean
wait_camera_state (gint64 camera, const char *state, guint timeout_ms)
{
  for (guint waited = 0; waited < timeout_ms; waited += 100)
    {
      if (g_str_equal (camera_state (camera), state))
        return TRUE;
      vg_test_sleep_ms (100);
    }
  return g_str_equal (camera_state (camera), state);
}

static JsonNode *
list_segments (gint64 camera, const char *stream, gint64 start, gint64 end)
{
  g_autofree char *a = iso (start);
  g_autofree char *b = iso (end);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?stream=%s&start=%s&end=%s",
                                           camera, stream, a, b);
  guint status = 0;
  JsonNode *answer = api ("GET", path, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return answer;
}

/* ---- Oracle: whole segments decoded by matroskademux ---- */

static GBytes *
read_whole (const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  vg_api_client_read_range_async (admin, url, 0, -1, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  bytes = vg_api_client_read_range_finish (admin, result, &error);
  g_assert_no_error (error);
  return bytes;
}

/* keyframes: the index's keyframe times (decoded frames do not tell keyframes apart). */
static void
oracle_add_segment (gint64 start_us, const char *url, GHashTable *keyframes)
{
  g_autoptr(GBytes) bytes = read_whole (url);
  g_autofree char *path = g_build_filename (work_dir, "segment.mkv", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GError) error = NULL;
  GstSample *sample;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  description = g_strdup_printf ("filesrc location=%s ! matroskademux ! h264parse ! avdec_h264 ! videoconvert"
                                 " ! video/x-raw,format=BGRA ! appsink name=sink sync=false", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND)) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      OracleFrame frame;

      frame.time_us = start_us + (gint64) (GST_BUFFER_PTS (buffer) / 1000);
      frame.digest = sample_digest (sample);
      frame.keyframe = g_hash_table_contains (keyframes, &frame.time_us);
      g_array_append_val (oracle, frame);
      gst_sample_unref (sample);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
build_oracle (void)
{
  g_autoptr(JsonNode) answer = list_segments (cameras[0], "sub", recorded_from - G_USEC_PER_SEC, g_get_real_time ());
  JsonArray *segments = json_object_get_array_member (json_node_get_object (answer), "segments");

  oracle = g_array_new (FALSE, FALSE, sizeof (OracleFrame));
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *segment = json_array_get_object_element (segments, i);

      if (json_object_get_boolean_member (segment, "open"))
        continue;
      gint64 start = parse_iso (json_object_get_string_member (segment, "start"));
      JsonArray *index = json_object_get_array_member (segment, "keyframes");
      g_autoptr(GHashTable) keyframes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      for (guint k = 0; k < json_array_get_length (index); k++)
        {
          gint64 time_us = start + json_object_get_int_member (json_array_get_object_element (index, k), "time_ms") * 1000;

          g_hash_table_add (keyframes, g_memdup2 (&time_us, sizeof time_us));
        }
      oracle_add_segment (start, json_object_get_string_member (segment, "url"), keyframes);
    }
  g_test_message ("oracle: %u frames", oracle->len);
  g_assert_cmpuint (oracle->len, >, 200);
}

/* The frame the node recorded at t: the last one at or before it. */
static int
oracle_at (gint64 t)
{
  int found = -1;

  for (guint i = 0; i < oracle->len; i++)
    {
      if (g_array_index (oracle, OracleFrame, i).time_us > t)
        break;
      found = (int) i;
    }
  return found;
}

static const OracleFrame *
oracle_frame (int i)
{
  g_assert_cmpint (i, >=, 0);
  g_assert_cmpint (i, <, (int) oracle->len);
  return &g_array_index (oracle, OracleFrame, i);
}

/* ---- Set-up: two cameras recording their sub stream; camera 0 has an outage ---- */

static gint64
add_camera (guint sim_camera, const char *name)
{
  g_autofree char *main_url = vg_test_sim_url (sim, sim_camera, "main");
  g_autofree char *sub_url = vg_test_sim_url (sim, sim_camera, "sub");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": ["
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"record\"]},"
                                           "{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"record\"]}]}",
                                           name, sub_url, main_url);
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = api ("POST", "/api/v1/cameras", json, &status);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static void
find_outage (void)
{
  g_autoptr(JsonNode) answer = list_segments (cameras[0], "sub", g_get_real_time () - 120 * G_USEC_PER_SEC,
                                              g_get_real_time ());
  JsonArray *segments = json_object_get_array_member (json_node_get_object (answer), "segments");
  guint n = json_array_get_length (segments);

  g_assert_cmpuint (n, >=, 4);
  recorded_from = parse_iso (json_object_get_string_member (json_array_get_object_element (segments, 0), "start"));
  for (guint i = 1; i < n && stopped_at == 0; i++)
    {
      JsonObject *prev = json_array_get_object_element (segments, i - 1);
      JsonObject *cur = json_array_get_object_element (segments, i);
      gint64 prev_end = parse_iso (json_object_get_string_member (prev, "end"));
      gint64 cur_start = parse_iso (json_object_get_string_member (cur, "start"));

      if (cur_start - prev_end > 2 * G_USEC_PER_SEC)
        {
          stopped_at = prev_end;
          restarted_at = cur_start;
        }
    }
  g_assert_cmpint (stopped_at, >, 0);
  g_test_message ("recorded %.1f s, outage %.1f s", (stopped_at - recorded_from) / 1e6,
                  (restarted_at - stopped_at) / 1e6);
}

static void
record (void)
{
  cameras[0] = add_camera (1, "Playback A");
  cameras[1] = add_camera (2, "Playback B");
  g_assert_true (wait_camera_state (cameras[0], "streaming", 10000));
  g_assert_true (wait_camera_state (cameras[1], "streaming", 10000));
  vg_test_sleep_ms (11000);
  vg_test_sim_control (sim, 1, "stop");
  g_assert_true (wait_camera_state (cameras[0], "lost", 5000));
  vg_test_sleep_ms (4000);
  vg_test_sim_control (sim, 1, "start");
  g_assert_true (wait_camera_state (cameras[0], "streaming", 8000));
  vg_test_sleep_ms (9000);
  find_outage ();
  build_oracle ();
}

/* ---- Engine helpers ---- */

static VgPlayback *
new_playback (gint64 camera, const char *stream)
{
  VgPlayback *playback = vg_playback_new (admin, camera, stream);

  return playback;
}

typedef struct
{
  VgPlayback *playback;
  gint64      time_us;
} WaitFrame;

static gboolean
frame_is (gpointer data)
{
  WaitFrame *wait = data;

  return vg_playback_get_state (wait->playback) == VG_PLAYBACK_STATE_FRAME
         && vg_playback_get_frame_time (wait->playback) == wait->time_us;
}

static gboolean
state_is_error (VgPlayback *playback)
{
  if (vg_playback_get_state (playback) == VG_PLAYBACK_STATE_ERROR)
    g_test_message ("playback error: %s", vg_playback_get_error (playback));
  return vg_playback_get_state (playback) == VG_PLAYBACK_STATE_ERROR;
}

/* Waits for the frame of oracle entry i and checks its pixels. */
static void
assert_shows (VgPlayback *playback, int i)
{
  const OracleFrame *expected = oracle_frame (i);
  WaitFrame wait = { playback, expected->time_us };
  g_autofree char *digest = NULL;

  if (!vg_test_wait_until (frame_is, &wait, 10000))
    {
      state_is_error (playback);
      g_error ("expected the frame of %" G_GINT64_FORMAT " (oracle %d), shown %" G_GINT64_FORMAT " state %d",
               expected->time_us, i, vg_playback_get_frame_time (playback), vg_playback_get_state (playback));
    }
  digest = sample_digest (vg_playback_get_frame (playback));
  g_assert_cmpstr (digest, ==, expected->digest);
}

/* ---- Tests ---- */

/* A seek to T shows the frame recorded at T, in the middle of groups, on keyframes,
 * at segment starts. */
static void
test_seek (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  gint64 first = oracle_frame (0)->time_us;
  gint64 last = oracle_frame ((int) oracle->len - 1)->time_us;

  for (guint n = 0; n < 12; n++)
    {
      gint64 t = first + (gint64) (g_rand_double (rand) * (double) (last - first));
      int i = oracle_at (t);

      if (t >= stopped_at && t < restarted_at)
        continue;
      vg_playback_seek (playback, t);
      assert_shows (playback, i);
    }
  /* Exactly on a keyframe, and on the first frame of the recording. */
  for (guint i = 1; i < oracle->len; i++)
    if (oracle_frame ((int) i)->keyframe)
      {
        vg_playback_seek (playback, oracle_frame ((int) i)->time_us);
        assert_shows (playback, (int) i);
        break;
      }
  vg_playback_seek (playback, first);
  assert_shows (playback, 0);
}

/* Frame steps forward and backward land on the neighbouring frames, across groups of
 * pictures and segment boundaries (60 steps back = 2.4 s at 25 fps). */
static void
test_step (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  int i = oracle_at (stopped_at - 3 * G_USEC_PER_SEC);

  vg_playback_seek (playback, oracle_frame (i)->time_us);
  assert_shows (playback, i);
  for (int n = 0; n < 3; n++)
    {
      vg_playback_step (playback, 1);
      assert_shows (playback, ++i);
    }
  for (int n = 0; n < 60; n++)
    {
      vg_playback_step (playback, -1);
      assert_shows (playback, --i);
    }
  g_assert_false (vg_playback_clock_get_playing (vg_playback_get_clock (playback)));
}

/* Keyframe jumps go to the keyframe n groups away. */
static void
test_jump (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  int i = oracle_at (recorded_from + 3 * G_USEC_PER_SEC + 300000);
  int keyframe = i;
  int expected;
  int found = 0;

  vg_playback_seek (playback, oracle_frame (i)->time_us);
  assert_shows (playback, i);
  while (!oracle_frame (keyframe)->keyframe)
    keyframe--;
  for (expected = keyframe + 1; expected < (int) oracle->len; expected++)
    if (oracle_frame (expected)->keyframe && ++found == 2)
      break;
  vg_playback_jump_keyframes (playback, 2);
  assert_shows (playback, expected);
  vg_playback_jump_keyframes (playback, -1);
  for (expected--; !oracle_frame (expected)->keyframe; expected--)
    ;
  assert_shows (playback, expected);
}

typedef struct
{
  GArray *times;
  GArray *digests_ok;
} Collected;

static void
collect_frame_cb (VgPlayback *playback, gpointer user_data)
{
  Collected *collected = user_data;
  gint64 t = vg_playback_get_frame_time (playback);
  int i = oracle_at (t);
  g_autofree char *digest = sample_digest (vg_playback_get_frame (playback));
  gboolean ok = i >= 0 && oracle_frame (i)->time_us == t && g_str_equal (oracle_frame (i)->digest, digest);

  g_array_append_val (collected->times, t);
  g_array_append_val (collected->digests_ok, ok);
}

/* Plays at speed for ms from t; the frames shown. */
static void
play_and_collect (VgPlayback *playback, gint64 t, double speed, guint ms, Collected *collected)
{
  gulong id;

  collected->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  collected->digests_ok = g_array_new (FALSE, FALSE, sizeof (gboolean));
  vg_playback_seek (playback, t);
  assert_shows (playback, oracle_at (t));
  id = g_signal_connect (playback, "frame", G_CALLBACK (collect_frame_cb), collected);
  vg_playback_set_speed (playback, speed);
  vg_playback_play (playback);
  vg_test_sleep_ms (ms);
  vg_playback_pause (playback);
  g_signal_handler_disconnect (playback, id);
}

static void
collected_clear (Collected *collected)
{
  g_array_unref (collected->times);
  g_array_unref (collected->digests_ok);
}

/* Reverse playback shows recorded frames, each earlier than the one before. */
static void
test_reverse (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  Collected collected;

  play_and_collect (playback, stopped_at - G_USEC_PER_SEC, -2.0, 2500, &collected);
  g_test_message ("reverse 2×: %u frames", collected.times->len);
  g_assert_cmpuint (collected.times->len, >=, 10);
  for (guint i = 0; i < collected.times->len; i++)
    {
      g_assert_true (g_array_index (collected.digests_ok, gboolean, i));
      if (i > 0)
        g_assert_cmpint (g_array_index (collected.times, gint64, i), <, g_array_index (collected.times, gint64, i - 1));
    }
  /* 2.5 s at 2× backwards: more than two groups of pictures, and a segment boundary. */
  g_assert_cmpint (g_array_index (collected.times, gint64, 0) - g_array_index (collected.times, gint64, collected.times->len - 1),
                   >, 3 * G_USEC_PER_SEC);
  collected_clear (&collected);
}

/* Forward across segment boundaries (4 s segments) at 2×: increasing recorded frames. */
static void
test_segment_boundary (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  Collected collected;

  play_and_collect (playback, recorded_from + G_USEC_PER_SEC, 2.0, 3500, &collected);
  g_test_message ("forward 2×: %u frames", collected.times->len);
  g_assert_cmpuint (collected.times->len, >=, 20);
  for (guint i = 0; i < collected.times->len; i++)
    {
      g_assert_true (g_array_index (collected.digests_ok, gboolean, i));
      if (i > 0)
        g_assert_cmpint (g_array_index (collected.times, gint64, i), >, g_array_index (collected.times, gint64, i - 1));
    }
  g_assert_cmpint (g_array_index (collected.times, gint64, collected.times->len - 1) - g_array_index (collected.times, gint64, 0),
                   >, 4 * G_USEC_PER_SEC);
  collected_clear (&collected);
}

static gboolean
state_is_gap (gpointer data)
{
  return vg_playback_get_state (data) == VG_PLAYBACK_STATE_GAP;
}

static gboolean
shows_after_outage (gpointer data)
{
  return vg_playback_get_state (data) == VG_PLAYBACK_STATE_FRAME
         && vg_playback_get_frame_time (data) >= restarted_at;
}

/* The outage: shown as a gap, or skipped while playing. */
static void
test_gap (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  gint64 middle = (stopped_at + restarted_at) / 2;

  vg_playback_seek (playback, middle);
  g_assert_true (vg_test_wait_until (state_is_gap, playback, 10000));
  /* Playing through it without skipping: still a gap a moment later. */
  vg_playback_seek (playback, stopped_at - G_USEC_PER_SEC);
  assert_shows (playback, oracle_at (stopped_at - G_USEC_PER_SEC));
  vg_playback_set_speed (playback, 2.0);
  vg_playback_play (playback);
  g_assert_true (vg_test_wait_until (state_is_gap, playback, 10000));
  vg_playback_pause (playback);

  vg_playback_set_skip_gaps (playback, TRUE);
  vg_playback_seek (playback, stopped_at - G_USEC_PER_SEC);
  vg_playback_play (playback);
  g_assert_true (vg_test_wait_until (shows_after_outage, playback, 10000));
  vg_playback_pause (playback);
  /* It went from the last recorded frame to the first after the outage: less than
   * the outage went by on the clock. */
  g_assert_cmpint (vg_playback_get_frame_time (playback), <, restarted_at + 3 * G_USEC_PER_SEC);
}

static gboolean
both_show (gpointer data)
{
  VgPlayback **playbacks = data;
  gint64 position = vg_playback_clock_get_position (vg_playback_get_clock (playbacks[0]));

  for (guint i = 0; i < 2; i++)
    if (vg_playback_get_state (playbacks[i]) != VG_PLAYBACK_STATE_FRAME
        || position - vg_playback_get_frame_time (playbacks[i]) >= 40000
        || vg_playback_get_frame_time (playbacks[i]) > position)
      return FALSE;
  return TRUE;
}

/* Two cameras on one clock: each shows its frame of the same instant. */
static void
test_sync (void)
{
  g_autoptr(VgPlaybackClock) clock = vg_playback_clock_new ();
  VgPlayback *playbacks[2];
  gint64 spread_max = 0;
  gint64 until;

  for (guint i = 0; i < 2; i++)
    {
      playbacks[i] = new_playback (cameras[i], "sub");
      vg_playback_set_clock (playbacks[i], clock);
    }
  vg_playback_clock_seek (clock, restarted_at + 2 * G_USEC_PER_SEC);
  g_assert_true (vg_test_wait_until (both_show, playbacks, 10000));

  vg_playback_clock_set_playing (clock, TRUE);
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      gint64 spread = ABS (vg_playback_get_frame_time (playbacks[0]) - vg_playback_get_frame_time (playbacks[1]));

      spread_max = MAX (spread_max, spread);
      g_main_context_iteration (NULL, TRUE);
    }
  vg_playback_clock_set_playing (clock, FALSE);
  g_test_message ("two cameras at 1×: largest difference between their frames' times %.1f ms", spread_max / 1000.0);

  /* Paused: both on their frame of the clock's instant (within one frame of it). */
  g_assert_true (vg_test_wait_until (both_show, playbacks, 10000));
  vg_playback_clock_seek (clock, restarted_at + 5 * G_USEC_PER_SEC + 123000);
  g_assert_true (vg_test_wait_until (both_show, playbacks, 10000));
  for (guint i = 0; i < 2; i++)
    g_object_unref (playbacks[i]);
}

static gboolean
shows_main_near (gpointer data)
{
  VgPlayback *playback = data;
  GstSample *sample = vg_playback_get_frame (playback);
  GstStructure *s;
  int width = 0;

  if (sample == NULL || vg_playback_get_state (playback) != VG_PLAYBACK_STATE_FRAME)
    return FALSE;
  s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  gst_structure_get_int (s, "width", &width);
  return width == 1920;
}

/* Another stream (quality) at the same instant. */
static void
test_change_stream (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  int i = oracle_at (restarted_at + 4 * G_USEC_PER_SEC);
  gint64 t = oracle_frame (i)->time_us;

  vg_playback_seek (playback, t);
  assert_shows (playback, i);
  vg_playback_set_source (playback, cameras[0], "main");
  g_assert_true (vg_test_wait_until (shows_main_near, playback, 15000));
  g_assert_cmpint (vg_playback_clock_get_position (vg_playback_get_clock (playback)), ==, t);
  g_assert_cmpint (vg_playback_get_frame_time (playback), <=, t);
  g_assert_cmpint (vg_playback_get_frame_time (playback), >, t - 40000);
}

/* Fast forward: only keyframes once decoding every frame cannot keep up. */
static void
test_fast_forward (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "sub");
  Collected collected;
  gboolean keyframes_only_seen = FALSE;

  play_and_collect (playback, restarted_at + G_USEC_PER_SEC, 20.0, 1500, &collected);
  g_test_message ("forward 20×: %u frames", collected.times->len);
  keyframes_only_seen = vg_playback_get_keyframes_only (playback);
  for (guint i = 0; i < collected.times->len; i++)
    if (g_array_index (collected.times, gint64, i) < oracle_frame ((int) oracle->len - 1)->time_us)
      g_assert_true (g_array_index (collected.digests_ok, gboolean, i));
  g_assert_cmpuint (collected.times->len, >=, 3);
  g_test_message ("keyframes only at the end: %s", keyframes_only_seen ? "yes" : "no");
  collected_clear (&collected);
}

/* ---- Audio (PLAY-4) ---- */

static VgPlayback *
new_listened_playback (gint64 camera, const char *stream, VgTestListener *listener)
{
  VgPlayback *playback = new_playback (camera, stream);

  vg_test_listener_attach (listener, playback);
  return playback;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The median of values (sorted here), told with their range. */
static gint64
median_told (GArray *values, const char *what)
{
  gint64 median;

  g_assert_cmpuint (values->len, >, 0);
  g_array_sort (values, compare_gint64);
  median = g_array_index (values, gint64, values->len / 2);
  g_test_message ("%s: %u buffers, median %+.1f ms, from %+.1f to %+.1f ms", what, values->len, median / 1000.0,
                  g_array_index (values, gint64, 0) / 1000.0, g_array_index (values, gint64, values->len - 1) / 1000.0);
  return median;
}

/* A/V offset of each audio buffer heard once the pictures run: its media time minus
 * that of the frame shown at the same instant (the last one shown before it).
 * on_time: only at instants where the picture shown is that of the clock's position
 * (within a frame and the clock's 10 ms tick; the clock ran at 1× from position_us at
 * monotonic_us): a picture late because decoding falls behind tells nothing of the
 * sound. Sound in step with the pictures is then heard within the frame shown. */
static GArray *
av_offsets (VgTestListener *listener, gint64 from_monotonic, gboolean on_time, gint64 monotonic_us, gint64 position_us)
{
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint v = 0;

  g_mutex_lock (&listener->lock);
  for (guint a = 0; a < listener->audio->len; a++)
    {
      const VgTestHeard *heard = &g_array_index (listener->audio, VgTestHeard, a);
      gint64 offset;

      if (heard->monotonic_us < from_monotonic)
        continue;
      while (v + 1 < listener->video->len
             && g_array_index (listener->video, VgTestHeard, v + 1).monotonic_us <= heard->monotonic_us)
        v++;
      if (v >= listener->video->len || g_array_index (listener->video, VgTestHeard, v).monotonic_us > heard->monotonic_us)
        continue;
      offset = heard->media_us - g_array_index (listener->video, VgTestHeard, v).media_us;
      if (on_time && position_us + heard->monotonic_us - monotonic_us - g_array_index (listener->video, VgTestHeard, v).media_us
                     >= 40000 + 10000)
        continue;
      g_array_append_val (offsets, offset);
    }
  g_mutex_unlock (&listener->lock);
  return offsets;
}

/* The same against the playback clock: media time heard minus the clock's position at
 * that instant (the clock ran at 1× from position_us at monotonic_us). */
static GArray *
clock_offsets (VgTestListener *listener, gint64 monotonic_us, gint64 position_us)
{
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_mutex_lock (&listener->lock);
  for (guint a = 0; a < listener->audio->len; a++)
    {
      const VgTestHeard *heard = &g_array_index (listener->audio, VgTestHeard, a);
      gint64 offset = heard->media_us - (position_us + heard->monotonic_us - monotonic_us);

      if (offset > 10000)
        g_test_message ("buffer %u heard %.1f ms after play, %.1f ms before its time", a,
                        (heard->monotonic_us - monotonic_us) / 1000.0, offset / 1000.0);
      g_array_append_val (offsets, offset);
    }
  g_mutex_unlock (&listener->lock);
  return offsets;
}

static gboolean
shows_frame (gpointer data)
{
  return vg_playback_get_state (data) == VG_PLAYBACK_STATE_FRAME;
}

/* No buffer heard for ms while doing what the caller set up. */
static void
assert_silent_for (VgTestListener *listener, guint ms, const char *what)
{
  guint before = vg_test_listener_count (listener);

  vg_test_sleep_ms (ms);
  if (vg_test_listener_count (listener) != before)
    g_error ("%s: %u audio buffers heard", what, vg_test_listener_count (listener) - before);
}

/* A camera recorded with AAC: at 1× its sound is heard in step with its pictures;
 * silent paused, at 2× and backwards; a seek brings it back at the new instant. */
static void
test_audio (void)
{
  VgTestListener listener;
  g_autoptr(VgPlayback) playback = new_listened_playback (cameras[1], "main", &listener);
  VgPlaybackClock *clock = vg_playback_get_clock (playback);
  gint64 start = restarted_at + G_USEC_PER_SEC;
  gint64 target = restarted_at + 6 * G_USEC_PER_SEC + 300000;
  gint64 played_at;
  gint64 played_from;
  gint64 measured_from;
  gint64 median;
  VgTestHeard heard;
  g_autoptr(GArray) av = NULL;
  g_autoptr(GArray) to_clock = NULL;

  vg_playback_seek (playback, start);
  g_assert_true (vg_test_wait_until (shows_frame, playback, 15000));
  g_assert_true (vg_playback_get_has_audio (playback));
  assert_silent_for (&listener, 300, "paused");

  /* 1×: sound and picture of the same instant. */
  vg_test_listener_reset (&listener);
  vg_playback_play (playback);
  played_at = g_get_monotonic_time ();
  played_from = vg_playback_clock_get_position_at (clock, played_at);
  /* The pictures of the first group come as they are decoded: compared with the
   * sound once the engine reads and decodes ahead (the next groups). */
  vg_test_sleep_ms (3000);
  measured_from = g_get_monotonic_time ();
  vg_test_sleep_ms (5000);
  g_assert_cmpuint (vg_test_listener_count (&listener), >, 20);
  to_clock = clock_offsets (&listener, played_at, played_from);
  median = median_told (to_clock, "sound heard − playback clock at 1×");
  g_assert_cmpint (ABS (median), <=, 40000);
  /* A sink with sync=true renders a buffer when its time comes or later (a loaded
   * machine): one heard before the clock reaches its media time was timed wrong. */
  g_assert_cmpint (g_array_index (to_clock, gint64, to_clock->len - 1), <=, 10000);
  /* Against the frames shown: all of them (the pictures may fall behind on a loaded
   * machine), then those shown on time, which the sound must match. */
  av = av_offsets (&listener, measured_from, FALSE, played_at, played_from);
  median_told (av, "A/V offset at 1× (sound heard − frame shown)");
  g_clear_pointer (&av, g_array_unref);
  av = av_offsets (&listener, played_at, TRUE, played_at, played_from);
  if (av->len >= 10)
    {
      median = median_told (av, "the same while the frame shown is the clock's");
      g_assert_cmpint (median, >=, -40000);
      g_assert_cmpint (median, <=, 40000);
    }
  else
    g_test_message ("the frames shown were never the clock's: %u buffers", av->len);

  /* Paused, 2×, backwards: nothing heard. */
  vg_playback_pause (playback);
  assert_silent_for (&listener, 1000, "paused");
  vg_playback_set_speed (playback, 2.0);
  vg_playback_play (playback);
  assert_silent_for (&listener, 1500, "2×");
  vg_playback_set_speed (playback, -1.0);
  assert_silent_for (&listener, 1500, "backwards at 1×");
  vg_playback_pause (playback);
  vg_playback_step (playback, 1);
  assert_silent_for (&listener, 500, "a step");

  /* A seek, then play: heard from the new instant. */
  vg_playback_set_speed (playback, 1.0);
  vg_playback_seek (playback, target);
  g_assert_true (vg_test_wait_until (shows_frame, playback, 15000));
  vg_test_listener_reset (&listener);
  vg_playback_play (playback);
  heard = vg_test_listener_first (&listener);
  g_test_message ("after a seek: first audio at %+.1f ms from the instant sought", (heard.media_us - target) / 1000.0);
  g_assert_cmpint (ABS (heard.media_us - target), <=, 100000);

  /* A seek while playing: heard again from there (nothing from before the seek), not
   * before its time (late by what a loaded machine takes to start again). */
  vg_test_listener_reset (&listener);
  played_from = target - 4 * G_USEC_PER_SEC;
  vg_playback_seek (playback, played_from);
  played_at = g_get_monotonic_time ();
  heard = vg_test_listener_first (&listener);
  g_test_message ("seek while playing: first audio %+.1f ms from the instant sought, %+.1f ms from the clock",
                  (heard.media_us - played_from) / 1000.0,
                  (heard.media_us - (played_from + heard.monotonic_us - played_at)) / 1000.0);
  g_assert_cmpint (heard.media_us, >=, played_from);
  g_assert_cmpint (heard.media_us - (played_from + heard.monotonic_us - played_at), <=, 10000);
  vg_playback_pause (playback);
  /* The sink's handler writes to the listener: the engine goes first. */
  g_clear_object (&playback);
  vg_test_listener_clear (&listener);
}

/* A camera without audio: nothing to hear. */
static void
test_no_audio (void)
{
  g_autoptr(VgPlayback) playback = new_playback (cameras[0], "main");

  vg_playback_seek (playback, restarted_at + 2 * G_USEC_PER_SEC);
  g_assert_true (vg_test_wait_until (shows_frame, playback, 15000));
  g_assert_false (vg_playback_get_has_audio (playback));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  work_dir = g_dir_make_tmp ("vigie-playback-XXXXXX", &error);
  g_assert_no_error (error);
  sim = vg_test_sim_start (2, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n\n[capture]\nwatchdog-seconds=3\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);
  record ();

  g_test_add_func ("/playback/seek", test_seek);
  g_test_add_func ("/playback/step", test_step);
  g_test_add_func ("/playback/jump", test_jump);
  g_test_add_func ("/playback/reverse", test_reverse);
  g_test_add_func ("/playback/segment-boundary", test_segment_boundary);
  g_test_add_func ("/playback/gap", test_gap);
  g_test_add_func ("/playback/sync", test_sync);
  g_test_add_func ("/playback/change-stream", test_change_stream);
  g_test_add_func ("/playback/fast-forward", test_fast_forward);
  g_test_add_func ("/playback/audio", test_audio);
  g_test_add_func ("/playback/no-audio", test_no_audio);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  if (status == 0)
    {
      const char *rm[] = { "rm", "-rf", work_dir, NULL };
      int rm_status;
      g_autofree char *out = vg_test_run_command (rm, &rm_status);
    }
  g_free (work_dir);
  return status;
}
