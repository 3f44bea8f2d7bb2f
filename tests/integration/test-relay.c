/* test-relay.c: a real node relays simulated cameras to real players: ffmpeg and
 * ffprobe read its RTSP and RTSPS URLs (H.264, H.265, MJPEG, audio), credentials are
 * required, streams open on demand and close when idle, and twenty viewers coming and
 * going leave the recording of the same camera without a gap (LIVE-1, LIVE-2, LIVE-3,
 * LIVE-4, ACQ-6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <string.h>

#define IDLE_SECONDS 2

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;

static gint64
add_camera (const char *name, const char *streams_json)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": %s}", name, streams_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

/* One stream named "main" of the simulator's camera with these roles. */
static gint64
add_simple_camera (const char *name, const char *url, const char *roles)
{
  g_autofree char *streams = g_strdup_printf ("[{\"name\": \"main\", \"url\": \"%s\", \"roles\": %s}]", url, roles);

  return add_camera (name, streams);
}

static char *
relay_url (const char *scheme, const char *credentials, gint64 camera_id, const char *stream)
{
  return g_strdup_printf ("%s://%s%s127.0.0.1:%u/cameras/%" G_GINT64_FORMAT "/%s", scheme,
                          credentials ? credentials : "", credentials ? "@" : "",
                          g_str_equal (scheme, "rtsps") ? node->rtsps_port : node->rtsp_port,
                          camera_id, stream);
}

static char *
admin_url (const char *scheme, gint64 camera_id, const char *stream)
{
  return relay_url (scheme, "admin:" VG_TEST_ADMIN_PASSWORD, camera_id, stream);
}

/* ffprobe's "codec_type,codec_name,width,height" lines of a URL. */
static char *
probe (const char *url, int *status)
{
  const char *argv[] = { "timeout", "30", "ffprobe", "-v", "error", "-show_entries",
                         "stream=codec_type,codec_name,width,height", "-of", "csv=p=0", url, NULL };
  char *out = vg_test_run_command (argv, status);

  g_test_message ("ffprobe %s: %s", url, out);
  return out;
}

/* Decodes n pictures of a live URL; returns how many different pictures came (the
 * simulator draws a counter: every picture differs). */
static guint
decode_pictures (const char *url, const char *transport, guint n)
{
  g_autofree char *frames = g_strdup_printf ("%u", n);
  const char *argv[] = { "timeout", "60", "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", transport,
                         "-i", url, "-map", "0:v", "-fps_mode", "passthrough", "-frames:v", frames,
                         "-f", "framemd5", "-", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) hashes = g_hash_table_new (g_str_hash, g_str_equal);
  guint pictures = 0;
  int status;

  out = vg_test_run_command (argv, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *hash = strrchr (lines[i], ',');

      if (lines[i][0] == '#' || hash == NULL)
        {
          /* Nothing but framemd5's comments and the burst's squeezed timestamps. */
          if (lines[i][0] != '#' && lines[i][0] != '\0' &&
              strstr (lines[i], "non monotonically increasing dts") == NULL &&
              strstr (lines[i], "Last message repeated") == NULL)
            g_error ("ffmpeg on %s said: %s", url, lines[i]);
          continue;
        }
      pictures++;
      g_hash_table_add (hashes, (gpointer) g_strstrip ((char *) hash + 1));
    }
  g_assert_cmpuint (pictures, >=, n);
  return g_hash_table_size (hashes);
}

static JsonObject *
stream_status (gint64 camera_id, const char *stream, JsonNode **keep)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", camera_id);
  g_autoptr(GError) error = NULL;
  JsonArray *streams;
  guint status = 0;

  *keep = vg_test_request (admin, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  streams = json_object_get_array_member (json_node_get_object (*keep), "streams");
  for (guint i = 0; i < json_array_get_length (streams); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (streams, i), "name"), stream))
      return json_array_get_object_element (streams, i);
  g_assert_not_reached ();
}

static gboolean
wait_state (gint64 camera_id, const char *stream, const char *state, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *object = stream_status (camera_id, stream, &keep);

      if (g_str_equal (json_object_get_string_member (object, "state"), state))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      vg_test_sleep_ms (100);
    }
}

static void
test_live_rtsp (void)
{
  g_autofree char *main_url = vg_test_sim_url (sim, 1, "main");
  g_autofree char *sub_url = vg_test_sim_url (sim, 1, "sub");
  g_autofree char *streams = g_strdup_printf ("[{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"record\", \"live\"]},"
                                              " {\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"mosaic\"]}]",
                                              main_url, sub_url);
  gint64 camera = add_camera ("Relay 1", streams);
  g_autofree char *url = admin_url ("rtsp", camera, "main");
  g_autofree char *sub = admin_url ("rtsp", camera, "sub");
  g_autofree char *info = NULL;
  g_autofree char *sub_info = NULL;
  int status;

  g_assert_true (wait_state (camera, "main", "streaming", 20000));
  info = probe (url, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_strstrip (info), ==, "h264,video,1920,1080");
  sub_info = probe (sub, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_strstrip (sub_info), ==, "h264,video,640,360");

  /* Moving video, over TCP and over UDP: the GOP first, then live. */
  g_assert_cmpuint (decode_pictures (url, "tcp", 60), >=, 58);
  g_assert_cmpuint (decode_pictures (url, "udp", 30), >=, 28);
}

static void
test_live_rtsps (void)
{
  g_autofree char *main_url = vg_test_sim_url (sim, 5, "main");
  gint64 camera = add_simple_camera ("Relay TLS", main_url, "[\"live\"]");
  g_autofree char *url = admin_url ("rtsps", camera, "main");
  g_autofree char *info = NULL;
  int status;

  info = probe (url, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_strstrip (info), ==, "h264,video,1920,1080");
  g_assert_cmpuint (decode_pictures (url, "tcp", 30), >=, 28);
}

static void
test_codecs_and_audio (void)
{
  struct { guint sim_camera; const char *stream; const char *expected; } cases[] = {
    { 2, "main", "h264,video,1920,1080\naac,audio" },
    { 3, "main", "h264,video,1920,1080\npcm_alaw,audio" },
    { 4, "h265", "hevc,video,1920,1080" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *source = vg_test_sim_url (sim, cases[i].sim_camera, cases[i].stream);
      g_autofree char *name = g_strdup_printf ("Codec %zu", i);
      gint64 camera = add_simple_camera (name, source, "[\"live\"]");
      g_autofree char *url = admin_url ("rtsp", camera, "main");
      g_autofree char *info = NULL;
      int status;

      info = probe (url, &status);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (g_strstrip (info), ==, cases[i].expected);
    }
}

/* LIVE-3: MJPEG at most ?fps=N to this viewer. */
static void
test_mjpeg_rate (void)
{
  g_autofree char *source = g_strdup_printf ("http://127.0.0.1:%u/cam6/mjpeg", sim->http_port);
  gint64 camera = add_simple_camera ("MJPEG", source, "[\"live\"]");
  g_autofree char *url = admin_url ("rtsp", camera, "main");
  g_autofree char *limited = g_strdup_printf ("%s?fps=5", url);
  g_autofree char *info = NULL;
  int status;

  info = probe (url, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (info, "mjpeg,video"));
  /* 10 pictures a second come from the camera; 16 at 5 a second take 3 s or more,
   * and all differ. */
  {
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpuint (decode_pictures (limited, "tcp", 16), >=, 15);
    g_assert_cmpint (g_get_monotonic_time () - start, >, 2500 * G_TIME_SPAN_MILLISECOND);
  }
}

static void
test_credentials (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 1, "sub");
  gint64 camera = add_simple_camera ("Credentials", source, "[\"live\"]");
  g_autofree char *anonymous = relay_url ("rtsp", NULL, camera, "main");
  g_autofree char *wrong = relay_url ("rtsp", "admin:not-the-password", camera, "main");
  g_autofree char *tls_wrong = relay_url ("rtsps", "admin:not-the-password", camera, "main");
  g_autofree char *token_credentials = g_strdup_printf ("admin:%s", vg_api_client_get_token (admin));
  g_autofree char *with_token = relay_url ("rtsp", token_credentials, camera, "main");
  g_autofree char *unknown = admin_url ("rtsp", 999999, "main");
  g_autofree char *unknown_stream = admin_url ("rtsp", camera, "nope");
  const char *refused[] = { anonymous, wrong, tls_wrong };
  g_autofree char *info = NULL;
  int status;

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *out = probe (refused[i], &status);

      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (strstr (out, "401"));
    }
  info = probe (with_token, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_strstrip (info), ==, "h264,video,640,360");
  for (gsize i = 0; i < 2; i++)
    {
      g_autofree char *out = probe (i == 0 ? unknown : unknown_stream, &status);

      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (strstr (out, "404"));
    }
}

/* ACQ-6: a stream only watched is connected for its viewers, then closed. */
static void
test_on_demand (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 7, "sub");
  gint64 camera = add_simple_camera ("On demand", source, "[\"live\"]");
  g_autofree char *url = admin_url ("rtsp", camera, "main");

  vg_test_sleep_ms (500);
  g_assert_true (wait_state (camera, "main", "stopped", 1000));
  for (int round = 0; round < 2; round++)
    {
      g_assert_cmpuint (decode_pictures (url, "tcp", 25), >=, 24);
      /* Closed IDLE_SECONDS after the viewer left. */
      g_assert_true (wait_state (camera, "main", "stopped", (IDLE_SECONDS + 5) * 1000));
    }
}

/* Twenty viewers join and leave while the same stream records: no gap in the index. */
static void
test_viewers_while_recording (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 8, "main");
  gint64 camera = add_simple_camera ("Busy", source, "[\"record\", \"live\"]");
  g_autofree char *url = admin_url ("rtsp", camera, "main");
  g_autoptr(GPtrArray) viewers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *path = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *spans, *gaps;
  guint status = 0;

  g_assert_true (wait_state (camera, "main", "streaming", 20000));
  vg_test_sleep_ms (3000);
  start = g_date_time_new_now_utc ();
  for (int i = 0; i < 20; i++)
    {
      const char *argv[] = { "timeout", "60", "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp",
                             "-i", url, "-t", "2", "-c", "copy", "-f", "null", "-", NULL };
      GSubprocess *viewer = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

      g_assert_no_error (error);
      g_ptr_array_add (viewers, viewer);
      vg_test_sleep_ms (200);
    }
  for (guint i = 0; i < viewers->len; i++)
    {
      g_subprocess_wait (viewers->pdata[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (viewers->pdata[i]), ==, 0);
    }
  vg_test_sleep_ms (6000);   /* the index has the segments of the whole period */
  now = g_date_time_new_now_utc ();
  end = g_date_time_add_seconds (now, -2);
  start_text = vg_time_format_iso8601 (start);
  end_text = vg_time_format_iso8601 (end);
  path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?start=%s&end=%s",
                          camera, start_text, end_text);
  body = vg_test_request (admin, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  spans = json_object_get_array_member (json_node_get_object (body), "spans");
  gaps = json_object_get_array_member (json_node_get_object (body), "gaps");
  g_assert_cmpuint (json_array_get_length (spans), ==, 1);
  g_assert_cmpuint (json_array_get_length (gaps), ==, 0);
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
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n\n[capture]\nidle-seconds=2\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);

  g_test_add_func ("/relay/live-rtsp", test_live_rtsp);
  g_test_add_func ("/relay/live-rtsps", test_live_rtsps);
  g_test_add_func ("/relay/codecs-and-audio", test_codecs_and_audio);
  g_test_add_func ("/relay/mjpeg-rate", test_mjpeg_rate);
  g_test_add_func ("/relay/credentials", test_credentials);
  g_test_add_func ("/relay/on-demand", test_on_demand);
  g_test_add_func ("/relay/viewers-while-recording", test_viewers_while_recording);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
