/* test-recording.c: a real node records simulated cameras over real RTSP: segments
 * that ffprobe and ffmpeg read, an index whose spans follow the outages, reconnection
 * within 2 s of a camera's return, the watchdog on a stalled camera, recovery after
 * kill -9, MJPEG over HTTP (ACQ-1, ACQ-2, ACQ-3, ACQ-5, ACQ-8, REC-1, REC-2, REC-7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <signal.h>
#include <string.h>

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;

static gint64 frames_of (gint64 camera_id);

static gint64
add_camera (const char *name, guint sim_camera, const char *stream)
{
  g_autofree char *url = g_str_equal (stream, "mjpeg")
                         ? g_strdup_printf ("http://127.0.0.1:%u/cam%u/mjpeg", sim->http_port, sim_camera)
                         : vg_test_sim_url (sim, sim_camera, stream);
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": [{\"name\": \"main\", \"url\": \"%s\", "
                                           "\"roles\": [\"record\", \"live\"]}]}", name, url);

  return vg_test_add_camera (admin, json);
}

static JsonObject *
stream_status (gint64 camera_id, JsonNode **keep)
{
  return vg_test_stream_status (admin, camera_id, NULL, keep);
}

static const char *
state_of (gint64 camera_id)
{
  static char state[32];
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *stream = stream_status (camera_id, &keep);

  g_strlcpy (state, json_object_get_string_member (stream, "state"), sizeof state);
  return state;
}

static gboolean
wait_state (gint64 camera_id, const char *state, guint timeout_ms)
{
  return vg_test_wait_stream_state (admin, camera_id, NULL, state, timeout_ms);
}

/* Spans and gaps of a camera since start_us, as (start, end) µs pairs. */
static void
recordings (gint64 camera_id, gint64 start_us, GArray **spans, GArray **gaps)
{
  *spans = vg_test_recording_spans (admin, camera_id, start_us, gaps);
}

/* Every closed segment of a camera: ffprobe counts its frames, ffmpeg decodes it
 * without a word. Returns the frames counted. */
static gint64
check_segments (gint64 camera_id, const char *codec, gboolean audio)
{
  g_autofree char *dir = g_strdup_printf ("%s/recordings/%" G_GINT64_FORMAT "/main", node->data_dir, camera_id);
  g_autofree char *listing = NULL;
  g_auto(GStrv) files = NULL;
  const char *find[] = { "find", dir, "-name", "*.mkv", "-size", "+1k", NULL };
  gint64 total = 0;
  int status;

  listing = vg_test_run_command (find, &status);
  files = g_strsplit (g_strstrip (listing), "\n", -1);
  g_assert_cmpuint (g_strv_length (files), >=, 1);
  for (guint i = 0; files[i] && files[i][0]; i++)
    {
      const char *probe[] = { "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                              "stream=codec_type,codec_name,nb_read_frames", "-of", "csv=p=0", files[i], NULL };
      const char *decode[] = { "ffmpeg", "-nostdin", "-v", "error", "-i", files[i],
                               /* the file's own time base: what is checked is the decoding */
                               "-enc_time_base", "-1", "-f", "null", "-", NULL };
      g_autofree char *streams = vg_test_run_command (probe, &status);
      g_autofree char *errors = NULL;
      g_auto(GStrv) lines = g_strsplit (g_strstrip (streams), "\n", -1);

      g_test_message ("%s: %s", files[i], streams);
      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (lines[0], codec));
      g_assert_cmpuint (g_strv_length (lines), ==, audio ? 2 : 1);
      total += g_ascii_strtoll (strrchr (lines[0], ',') + 1, NULL, 10);
      errors = vg_test_run_command (decode, &status);
      g_assert_cmpint (status, ==, 0);
      /* The last segment may be the one being written, cut mid-frame by this read. */
      if (files[i + 1] != NULL && files[i + 1][0])
        g_assert_cmpstr (errors, ==, "");
    }
  return total;
}

static void
test_record_codecs (void)
{
  gint64 start = g_get_real_time ();
  gint64 h264 = add_camera ("H.264", 1, "main");
  gint64 aac = add_camera ("H.264 + AAC", 2, "main");
  gint64 pcma = add_camera ("H.264 + PCMA", 3, "main");
  gint64 h265 = add_camera ("H.265", 4, "h265");
  gint64 mjpeg = add_camera ("MJPEG over HTTP", 5, "mjpeg");
  gint64 ids[] = { h264, aac, pcma, h265, mjpeg };
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  gint64 frames;

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (wait_state (ids[i], "streaming", 10000));
  vg_test_sleep_ms (9000);
  {
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *stream = stream_status (h264, &keep);

    g_assert_cmpstr (json_object_get_string_member (stream, "codec"), ==, "h264");
    g_assert_cmpint (json_object_get_int_member (stream, "width"), ==, 1920);
    g_assert_cmpfloat (json_object_get_double_member (stream, "fps"), >, 20);
    g_assert_true (json_object_get_boolean_member (stream, "recording"));
  }

  /* One span from the first keyframe on, no gap inside. */
  recordings (h264, start, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 2);
  g_assert_cmpint (g_array_index (spans, gint64, 0) - start, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (spans, gint64, 1) - g_array_index (spans, gint64, 0), >, 6 * G_USEC_PER_SEC);

  frames = check_segments (h264, "h264", FALSE);
  g_test_message ("H.264: %" G_GINT64_FORMAT " frames recorded", frames);
  g_assert_cmpint (frames, >=, 200);
  check_segments (aac, "h264", TRUE);
  check_segments (pcma, "h264", TRUE);
  check_segments (h265, "hevc", FALSE);
  check_segments (mjpeg, "mjpeg", FALSE);
  {
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *stream = stream_status (mjpeg, &keep);

    g_assert_cmpstr (json_object_get_string_member (stream, "codec"), ==, "jpeg");
    g_assert_cmpint (json_object_get_int_member (stream, "width"), >, 0);
  }
}

/* The camera goes away for 5 s: the index shows a gap as long as the outage (within a
 * second), and recording resumes within 2 s of its return. */
static void
test_outage_gap (void)
{
  gint64 camera = add_camera ("Outage", 5, "sub");
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  gint64 start = g_get_real_time (), stopped, restarted, resumed, gap;

  g_assert_true (wait_state (camera, "streaming", 10000));
  vg_test_sleep_ms (4000);
  stopped = g_get_real_time ();
  vg_test_sim_control (sim, 5, "stop");
  g_assert_true (wait_state (camera, "lost", 5000));
  vg_test_sleep_ms (5000);
  restarted = g_get_real_time ();
  vg_test_sim_control (sim, 5, "start");
  g_assert_true (wait_state (camera, "streaming", 5000));

  /* Measured on the index, not on this test's polling: the first frame recorded
   * after the camera's return (its row comes at the first keyframe, within a GOP,
   * and is written within about a second). */
  for (int i = 0; i < 60; i++)
    {
      g_clear_pointer (&spans, g_array_unref);
      g_clear_pointer (&gaps, g_array_unref);
      recordings (camera, start, &spans, &gaps);
      if (spans->len >= 4)
        break;
      vg_test_sleep_ms (250);
    }
  /* gaps: before the first frame, the outage, and the moment since the last index row. */
  g_assert_cmpuint (spans->len, ==, 4);
  resumed = g_array_index (spans, gint64, 2);
  g_test_message ("recording again %.2f s after the camera's return", (resumed - restarted) / 1e6);
  g_assert_cmpint (resumed - restarted, <=, 2 * G_USEC_PER_SEC);
  gap = g_array_index (spans, gint64, 2) - g_array_index (spans, gint64, 1);
  g_test_message ("gap in the index: %.2f s for an outage of %.2f s", gap / 1e6, (restarted - stopped) / 1e6);
  g_assert_cmpint (ABS (gap - (restarted - stopped)), <=, 2 * G_USEC_PER_SEC + 500000);
}

/* A stalled camera (connected, silent) is dropped by the watchdog and reconnected. */
static void
test_stall_watchdog (void)
{
  gint64 camera = add_camera ("Stall", 6, "sub");

  g_assert_true (wait_state (camera, "streaming", 10000));
  vg_test_sim_control (sim, 6, "stall");
  g_assert_true (wait_state (camera, "lost", 8000));   /* watchdog-seconds=3 */
  vg_test_sim_control (sim, 6, "start");
  g_assert_true (wait_state (camera, "streaming", 8000));
}

static gint64
frames_of (gint64 camera_id)
{
  g_autoptr(JsonNode) keep = NULL;

  return json_object_get_int_member (stream_status (camera_id, &keep), "frames");
}

/* RTP over UDP and multicast, chosen per stream (ACQ-1): recorded like TCP. */
static void
test_udp_and_multicast (void)
{
  const char *transports[] = { "udp", "multicast" };

  for (gsize t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      g_autofree char *url = vg_test_sim_url (sim, 7, "sub");
      g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": [{\"name\": \"main\", "
                                               "\"url\": \"%s\", \"roles\": [\"record\"], \"transport\": \"%s\"}]}",
                                               transports[t], url, transports[t]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;
      gint64 camera, before;

      body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
      g_assert_no_error (error);
      camera = json_object_get_int_member (json_node_get_object (body), "id");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                         json_object_get_array_member (json_node_get_object (body), "streams"), 0), "transport"),
                       ==, transports[t]);
      g_assert_true (wait_state (camera, "streaming", 10000));
      before = frames_of (camera);
      vg_test_sleep_ms (3000);
      g_test_message ("%s: %" G_GINT64_FORMAT " frames in 3 s", transports[t], frames_of (camera) - before);
      g_assert_cmpint (frames_of (camera) - before, >, 50);
    }
}

/* The "schedule" mode (REC-3): a calendar that covers the whole week records, an
 * empty one connects nothing. */
static void
test_schedule_mode (void)
{
  const char *always = "{\"mon\": [\"00:00-24:00\"], \"tue\": [\"00:00-24:00\"], \"wed\": [\"00:00-24:00\"],"
                       " \"thu\": [\"00:00-24:00\"], \"fri\": [\"00:00-24:00\"], \"sat\": [\"00:00-24:00\"],"
                       " \"sun\": [\"00:00-24:00\"]}";
  const char *schedules[] = { always, "{}" };
  gint64 ids[2];

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *url = vg_test_sim_url (sim, 6, "sub");
      g_autofree char *json = g_strdup_printf ("{\"name\": \"Scheduled %d\", \"streams\": [{\"name\": \"main\", "
                                               "\"url\": \"%s\", \"roles\": [\"record\"]}], \"recording\": "
                                               "{\"mode\": \"schedule\", \"schedule\": %s}}", i, url, schedules[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;

      body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
      g_assert_no_error (error);
      ids[i] = json_object_get_int_member (json_node_get_object (body), "id");
    }
  g_assert_true (wait_state (ids[0], "streaming", 10000));
  vg_test_sleep_ms (2000);
  g_assert_cmpstr (state_of (ids[1]), ==, "stopped");
}

/* Garbage from a camera (random payloads for a few seconds): the node goes on, the
 * stream is recorded again once the camera behaves, and the API still answers. */
static void
test_garbage (void)
{
  gint64 camera = add_camera ("Garbage", 8, "sub");
  gint64 before;

  g_assert_true (wait_state (camera, "streaming", 10000));
  vg_test_sim_control (sim, 8, "garbage");
  vg_test_sleep_ms (6000);
  g_assert_true (wait_state (camera, "streaming", 15000));
  before = frames_of (camera);
  vg_test_sleep_ms (2000);
  g_assert_cmpint (frames_of (camera), >, before + 25);
  g_assert_cmpstr (state_of (camera), ==, "streaming");
}

static gboolean
process_gone (gpointer data)
{
  return kill (GPOINTER_TO_INT (data), 0) != 0;
}

/* The database server dies for a few seconds: recording goes on, and the index shows
 * no hole once it is back (the rows waited in memory). */
static void
test_database_away (void)
{
  gint64 camera = add_camera ("Database away", 3, "sub");
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  gint64 start;
  GPid postmaster;

  g_assert_true (wait_state (camera, "streaming", 10000));
  vg_test_sleep_ms (3000);
  start = g_get_real_time () - 2 * G_USEC_PER_SEC;
  postmaster = vg_test_node_get_postmaster_pid (node);
  g_assert_cmpint (kill (postmaster, SIGKILL), ==, 0);
  vg_test_wait_until (process_gone, GINT_TO_POINTER (postmaster), 5000);
  vg_test_sleep_ms (12000);   /* the node's watchdog restarts it within ~5 s; rows are written then */
  g_assert_cmpstr (state_of (camera), ==, "streaming");

  recordings (camera, start, &spans, &gaps);
  g_test_message ("%u spans over the database outage", spans->len / 2);
  g_assert_cmpuint (spans->len, ==, 2);
}

/* kill -9 of the node while it records: the open segments are recovered, recording is
 * back soon after the restart. */
static void
test_kill_and_recover (void)
{
  gint64 camera = add_camera ("Crash", 7, "sub");
  gint64 killed, back;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_real_time ();

  g_assert_true (wait_state (camera, "streaming", 10000));
  vg_test_sleep_ms (3000);
  vg_test_node_kill (node);
  killed = g_get_real_time ();
  g_assert_true (vg_test_node_start (node, &error));
  g_assert_no_error (error);
  g_assert_true (wait_state (camera, "streaming", 5000));
  back = g_get_real_time ();
  g_test_message ("recording again %.2f s after the kill", (back - killed) / 1e6);

  /* The recovered segment reaches close to the kill, and the hole in the recording
   * (if any: under 1.5 s the spans merge) is short. The index of the segment being
   * written follows it every few seconds: wait until it shows time after the kill. */
  for (int i = 0; i < 40; i++)
    {
      g_clear_pointer (&spans, g_array_unref);
      g_clear_pointer (&gaps, g_array_unref);
      recordings (camera, start, &spans, &gaps);
      if (g_array_index (spans, gint64, spans->len - 1) > killed + G_USEC_PER_SEC)
        break;
      vg_test_sleep_ms (500);
    }
  g_assert_cmpuint (spans->len, >=, 2);
  for (guint i = 2; i + 1 < spans->len; i += 2)
    {
      gint64 hole = g_array_index (spans, gint64, i) - g_array_index (spans, gint64, i - 1);
      g_test_message ("hole in the recording around the kill: %.2f s", hole / 1e6);
      /* At most the GOP not yet on disk (2 s), the restart and reconnection, and the
       * wait for the next keyframe (2 s). */
      g_assert_cmpint (hole, <, 5 * G_USEC_PER_SEC);
    }
  g_assert_cmpint (g_array_index (spans, gint64, spans->len - 1), >, killed + G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  sim = vg_test_sim_start (8, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n\n[capture]\nwatchdog-seconds=3\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);

  g_test_add_func ("/recording/codecs", test_record_codecs);
  g_test_add_func ("/recording/outage-gap", test_outage_gap);
  g_test_add_func ("/recording/stall-watchdog", test_stall_watchdog);
  g_test_add_func ("/recording/udp-and-multicast", test_udp_and_multicast);
  g_test_add_func ("/recording/schedule-mode", test_schedule_mode);
  g_test_add_func ("/recording/garbage", test_garbage);
  g_test_add_func ("/recording/database-away", test_database_away);
  g_test_add_func ("/recording/kill-and-recover", test_kill_and_recover);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
