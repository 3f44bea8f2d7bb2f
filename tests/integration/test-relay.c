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

#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

#define IDLE_SECONDS 2

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;

static gint64
add_camera (const char *name, const char *streams_json)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": %s}", name, streams_json);

  return vg_test_add_camera (admin, json);
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

static gboolean
wait_state (gint64 camera_id, const char *stream, const char *state, guint timeout_ms)
{
  return vg_test_wait_stream_state (admin, camera_id, stream, state, timeout_ms);
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

/* ACQ-6: a stream marked keep_open is connected with nobody watching, and stays. */
static void
test_keep_open (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 6, "sub");
  g_autofree char *streams = g_strdup_printf ("[{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"alarm\"], "
                                              "\"keep_open\": true}]", source);
  gint64 camera = add_camera ("Kept open", streams);

  g_assert_true (wait_state (camera, "main", "streaming", 20000));
  vg_test_sleep_ms ((IDLE_SECONDS + 2) * 1000);
  g_assert_true (wait_state (camera, "main", "streaming", 100));
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
  /* The open segment's index row is brought up to date every 5 s: the range asked
   * for ends 6 s back, and still covers the viewers' whole period. */
  vg_test_sleep_ms (9000);
  now = g_date_time_new_now_utc ();
  end = g_date_time_add_seconds (now, -6);
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

/* A raw RTSP viewer over TCP that reads slowly: RTSP requests, then interleaved data
 * read at most read_bytes every 100 ms. */
typedef struct
{
  GSocketConnection *connection;
  GDataInputStream  *in;
  GOutputStream     *out;
  int                cseq;
  char              *authorization;
} SlowViewer;

static char *
slow_request (SlowViewer *viewer, const char *method, const char *url, const char *extra)
{
  g_autofree char *request = g_strdup_printf ("%s %s RTSP/1.0\r\nCSeq: %d\r\nAuthorization: %s\r\n%s\r\n",
                                              method, url, ++viewer->cseq, viewer->authorization,
                                              extra ? extra : "");
  g_autoptr(GError) error = NULL;
  GString *answer = g_string_new (NULL);
  gsize content_length = 0;

  g_output_stream_write_all (viewer->out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (viewer->in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_strchomp (line);
      if (line[0] == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        content_length = (gsize) g_ascii_strtoull (line + 15, NULL, 10);
      g_string_append_printf (answer, "%s\n", line);
    }
  if (content_length > 0)
    {
      g_autofree char *body = g_malloc0 (content_length + 1);
      gsize read = 0;

      g_input_stream_read_all (G_INPUT_STREAM (viewer->in), body, content_length, &read, NULL, &error);
      g_assert_no_error (error);
      g_string_append (answer, body);
    }
  g_assert_true (g_str_has_prefix (answer->str, "RTSP/1.0 200"));
  return g_string_free (answer, FALSE);
}

/* LIVE-3: a viewer whose link carries half the stream gets fewer pictures, not a
 * growing delay: once the small queues on the way are full, the RTP clock of what it
 * receives keeps up with the wall clock. */
static void
test_slow_viewer (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 1, "main");
  gint64 camera = add_simple_camera ("Slow link", source, "[\"live\"]");
  g_autofree char *url = relay_url ("rtsp", NULL, camera, "main");
  g_autofree char *credentials = g_base64_encode ((const guchar *) "admin:" VG_TEST_ADMIN_PASSWORD,
                                                  strlen ("admin:" VG_TEST_ADMIN_PASSWORD));
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *describe = NULL;
  g_autofree char *setup_url = NULL;
  g_autofree char *setup = NULL;
  g_autofree char *session = NULL;
  g_autofree char *session_header = NULL;
  g_autofree char *play = NULL;
  SlowViewer viewer = { 0 };
  guint8 buffer[32 * 1024];
  g_autoptr(GByteArray) data = g_byte_array_new ();
  gint64 start_us = 0, first_ts = -1, last_ts = 0, wrap = 0, half_ts = -1;
  double advance_s;

  viewer.authorization = g_strdup_printf ("Basic %s", credentials);
  viewer.connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) node->rtsp_port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_option (g_socket_connection_get_socket (viewer.connection), SOL_SOCKET, SO_RCVBUF, 16 * 1024, NULL);
  viewer.in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (viewer.connection)));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (viewer.in), 4096);
  viewer.out = g_io_stream_get_output_stream (G_IO_STREAM (viewer.connection));

  describe = slow_request (&viewer, "DESCRIBE", url, "Accept: application/sdp\r\n");
  g_assert_nonnull (strstr (describe, "a=control:stream=0"));
  setup_url = g_strdup_printf ("%s/stream=0", url);
  setup = slow_request (&viewer, "SETUP", setup_url, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
  session = g_strdup (strstr (setup, "Session: ") + strlen ("Session: "));
  *strpbrk (session, ";\n") = '\0';
  session_header = g_strdup_printf ("Session: %s\r\nRange: npt=0-\r\n", session);
  play = slow_request (&viewer, "PLAY", url, session_header);

  /* 12 s at 250 KB a second: half the 4 Mbit/s stream. */
  start_us = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start_us < 12 * G_USEC_PER_SEC)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (viewer.in), buffer, 25000, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (data, buffer, (guint) n);
      /* Complete interleaved frames: '$', channel, length, then RTP with its timestamp. */
      while (data->len >= 4)
        {
          gsize length = ((gsize) data->data[2] << 8) | data->data[3];

          if (data->data[0] != '$')
            {
              g_byte_array_remove_index (data, 0);
              continue;
            }
          if (data->len < 4 + length)
            break;
          if (data->data[1] == 0 && length >= 12)
            {
              const guint8 *rtp = data->data + 4;
              gint64 ts = ((gint64) rtp[4] << 24) | (rtp[5] << 16) | (rtp[6] << 8) | rtp[7];

              if (first_ts < 0)
                first_ts = ts;
              if (ts + wrap < last_ts - (G_GINT64_CONSTANT (1) << 31))
                wrap += G_GINT64_CONSTANT (1) << 32;
              last_ts = ts + wrap;
            }
          g_byte_array_remove_range (data, 0, (guint) (4 + length));
        }
      if (half_ts < 0 && g_get_monotonic_time () - start_us >= 7 * G_USEC_PER_SEC)
        half_ts = last_ts;
      g_usleep (100 * 1000);
    }
  g_assert_cmpint (first_ts, >=, 0);
  g_assert_cmpint (half_ts, >, first_ts);
  /* Over the last 5 s the video received moves on with the clock (skipping what the
   * link cannot carry): a delay that grew would move it on at half its pace. */
  advance_s = (double) (last_ts - half_ts) / 90000.0;
  g_test_message ("slow viewer: %.2f s of video in the first 7 s of reading, %.2f s in the last 5 s",
                  (half_ts - first_ts) / 90000.0, advance_s);
  g_assert_cmpfloat (advance_s, >, 3.5);
  g_object_unref (viewer.in);
  g_object_unref (viewer.connection);
  g_free (viewer.authorization);
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
  g_test_add_func ("/relay/keep-open", test_keep_open);
  g_test_add_func ("/relay/viewers-while-recording", test_viewers_while_recording);
  g_test_add_func ("/relay/slow-viewer", test_slow_viewer);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
