/* test-capture-transports.c: a real node records simulated cameras that ask for Digest
 * authentication: RTSP tunnelled over HTTP (with good and wrong credentials), RTCP
 * receiver reports reaching the camera over UDP, and the camera's clock offset taken
 * from its sender reports (ACQ-1, ACQ-5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <string.h>

#define SIM_USER "operator"
#define SIM_PASSWORD "cam-secret-7"

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;
static gint64 tunnel_camera;

/* A camera of one recorded stream of the simulator, with these credentials. */
static gint64
add_camera (const char *name, guint sim_camera, const char *password, const char *transport)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"streams\": [{\"name\": \"main\", "
                                           "\"url\": \"rtsp://%s:%s@127.0.0.1:%u/cam%u/sub\", "
                                           "\"roles\": [\"record\"], \"transport\": \"%s\"}]}",
                                           name, SIM_USER, password, sim->rtsp_port, sim_camera, transport);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *stream;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  stream = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "streams"), 0);
  if (g_str_equal (transport, "tcp"))
    g_assert_false (json_object_has_member (stream, "transport"));
  else
    g_assert_cmpstr (json_object_get_string_member (stream, "transport"), ==, transport);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static JsonObject *
stream_status (gint64 camera_id, JsonNode **keep)
{
  return vg_test_stream_status (admin, camera_id, NULL, keep);
}

static gboolean
wait_state (gint64 camera_id, const char *state, guint timeout_ms)
{
  return vg_test_wait_stream_state (admin, camera_id, NULL, state, timeout_ms);
}

static gint64
frames_of (gint64 camera_id)
{
  g_autoptr(JsonNode) keep = NULL;

  return json_object_get_int_member (stream_status (camera_id, &keep), "frames");
}

/* Spans (start, end µs pairs) of a camera since start_us. */
static GArray *
spans_of (gint64 camera_id, gint64 start_us)
{
  return vg_test_recording_spans (admin, camera_id, start_us, NULL);
}

/* RTSP over HTTP with Digest: streamed, recorded and indexed like TCP; the node gets
 * the frames the camera sends. */
static void
test_http_tunnel_digest (void)
{
  gint64 start = g_get_real_time ();
  gint64 camera = tunnel_camera = add_camera ("Tunnel", 1, SIM_PASSWORD, "http");
  gint64 node_before, sim_before, node_frames, sim_frames;

  g_assert_true (wait_state (camera, "streaming", 10000));
  node_before = frames_of (camera);
  sim_before = vg_test_sim_frames_sent (sim, 1, "sub");
  vg_test_sleep_ms (4000);
  node_frames = frames_of (camera) - node_before;
  sim_frames = vg_test_sim_frames_sent (sim, 1, "sub") - sim_before;
  g_test_message ("over HTTP: %" G_GINT64_FORMAT " frames received, %" G_GINT64_FORMAT " sent",
                  node_frames, sim_frames);
  g_assert_cmpint (node_frames, >, 75);
  /* The two counts are read a moment apart: a few frames either way. */
  g_assert_cmpint (ABS (node_frames - sim_frames), <=, 10);

  /* The index shows the recording, from its first keyframe on. */
  for (int i = 0; i < 40; i++)
    {
      g_autoptr(GArray) spans = spans_of (camera, start);

      if (spans->len == 2 && g_array_index (spans, gint64, 1) - g_array_index (spans, gint64, 0) > 2 * G_USEC_PER_SEC)
        return;
      vg_test_sleep_ms (250);
    }
  g_assert_not_reached ();
}

/* Wrong credentials through the tunnel: the stream is lost with a clear error, and
 * the other cameras go on. */
static void
test_http_tunnel_wrong_password (void)
{
  gint64 camera = add_camera ("Tunnel, wrong password", 2, "not-the-password", "http");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *stream;

  g_assert_true (wait_state (camera, "lost", 10000));
  stream = stream_status (camera, &keep);
  g_test_message ("error: %s", json_object_get_string_member (stream, "error"));
  g_assert_nonnull (strstr (json_object_get_string_member (stream, "error"), "401"));
  g_assert_cmpint (json_object_get_int_member (stream, "frames"), ==, 0);
  g_assert_true (wait_state (tunnel_camera, "streaming", 1000));
}

/* Over UDP, receiver reports reach the camera's RTCP port: the simulator
 * (gst-rtsp-server's RTP session) counts the RTCP it receives from viewers. */
static void
test_udp_receiver_reports (void)
{
  gint64 camera = add_camera ("UDP", 3, SIM_PASSWORD, "udp");
  gint64 received = 0;

  g_assert_true (wait_state (camera, "streaming", 10000));
  g_assert_cmpint (vg_test_sim_stream_value (sim, 3, "sub", "viewers"), ==, 1);
  /* One report every 5 s. */
  for (int i = 0; i < 60 && received < 1; i++)
    {
      vg_test_sleep_ms (250);
      received = vg_test_sim_stream_value (sim, 3, "sub", "rtcp_received");
    }
  g_test_message ("RTCP packets the camera received over UDP: %" G_GINT64_FORMAT, received);
  g_assert_cmpint (received, >=, 1);
}

/* The GStreamer fallback (ACQ-1): a stream with "ingest": "gstreamer" is read by
 * rtspsrc (Digest here), recorded with its audio, and its segments decode cleanly. */
static void
test_gstreamer_fallback (void)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Fallback\", \"streams\": [{\"name\": \"main\", "
                                           "\"url\": \"rtsp://%s:%s@127.0.0.1:%u/cam2/main\", "
                                           "\"roles\": [\"record\"], \"ingest\": \"gstreamer\"}]}",
                                           SIM_USER, SIM_PASSWORD, sim->rtsp_port);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *listing = NULL;
  g_auto(GStrv) files = NULL;
  gint64 camera, start = g_get_real_time (), frames;
  JsonObject *stream;
  guint status = 0;
  int exit_status, checked = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  stream = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "streams"), 0);
  g_assert_cmpstr (json_object_get_string_member (stream, "ingest"), ==, "gstreamer");
  camera = json_object_get_int_member (json_node_get_object (body), "id");

  g_assert_true (wait_state (camera, "streaming", 15000));
  vg_test_sleep_ms (9000);
  stream = stream_status (camera, &keep);
  g_assert_cmpstr (json_object_get_string_member (stream, "ingest"), ==, "gstreamer");
  g_assert_cmpstr (json_object_get_string_member (stream, "codec"), ==, "h264");
  frames = json_object_get_int_member (stream, "frames");
  g_test_message ("through rtspsrc: %" G_GINT64_FORMAT " frames in about 9 s", frames);
  g_assert_cmpint (frames, >, 150);
  {
    g_autoptr(GArray) spans = spans_of (camera, start);

    g_assert_cmpuint (spans->len, ==, 2);
  }

  /* Every closed segment: H.264 and AAC, decoded without a word. */
  dir = g_strdup_printf ("%s/recordings/%" G_GINT64_FORMAT "/main", node->data_dir, camera);
  {
    const char *find[] = { "sh", "-c", "find \"$0\" -name '*.mkv' | sort", dir, NULL };
    listing = vg_test_run_command (find, &exit_status);
  }
  files = g_strsplit (g_strstrip (listing), "\n", -1);
  for (guint i = 0; files[i] && files[i + 1]; i++)   /* the last one is being written */
    {
      const char *probe[] = { "ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                              "-of", "csv=p=0", files[i], NULL };
      const char *decode[] = { "ffmpeg", "-nostdin", "-v", "error", "-i", files[i],
                               /* the file's own time base: what is checked is the decoding */
                               "-enc_time_base", "-1", "-f", "null", "-", NULL };
      g_autofree char *codecs = vg_test_run_command (probe, &exit_status);
      g_autofree char *errors = NULL;

      g_assert_cmpint (exit_status, ==, 0);
      g_assert_cmpstr (g_strstrip (codecs), ==, "h264\naac");
      errors = vg_test_run_command (decode, &exit_status);
      g_assert_cmpint (exit_status, ==, 0);
      g_assert_cmpstr (errors, ==, "");
      checked++;
    }
  g_assert_cmpint (checked, >=, 1);
}

static char *
metrics (void)
{
  g_autofree char *url = g_strconcat (node->base_url, "/metrics", NULL);
  const char *argv[] = { "curl", "-sk", "-u", "admin:" VG_TEST_ADMIN_PASSWORD, url, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

/* gst-rtsp-server sends sender reports with the time of this host's clock: the offset
 * is known and small, in the status and the metrics. */
static void
test_clock_offset (void)
{
  gint64 camera = add_camera ("Clock", 4, SIM_PASSWORD, "tcp");
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  gint64 offset = G_MAXINT64;

  g_assert_true (wait_state (camera, "streaming", 10000));
  for (int i = 0; i < 60; i++)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *stream = stream_status (camera, &keep);

      g_assert_true (json_object_has_member (stream, "clock_offset_ms"));
      if (!json_object_get_null_member (stream, "clock_offset_ms"))
        {
          offset = json_object_get_int_member (stream, "clock_offset_ms");
          break;
        }
      vg_test_sleep_ms (250);
    }
  g_test_message ("clock offset of the simulated camera: %" G_GINT64_FORMAT " ms", offset);
  g_assert_cmpint (ABS (offset), <, 1000);

  text = metrics ();
  line = g_strdup_printf ("vigie_stream_clock_offset_ms{camera=\"%" G_GINT64_FORMAT "\",stream=\"main\"} ", camera);
  g_assert_nonnull (strstr (text, "# TYPE vigie_stream_clock_offset_ms gauge"));
  g_assert_nonnull (strstr (text, line));
}

#define WRONG_FINGERPRINT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* PATCHes the camera's one stream with url and this "tls_fingerprint" (JSON). */
static void
pin_certificate (gint64 camera, const char *url, const char *fingerprint_json, guint expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT, camera);
  g_autofree char *json = g_strdup_printf ("{\"streams\": [{\"name\": \"main\", \"url\": \"%s\", "
                                           "\"roles\": [\"record\"], \"tls_fingerprint\": %s}]}",
                                           url, fingerprint_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "PATCH", path, json, &status, &error);
  g_assert_cmpuint (status, ==, expected_status);
}

/* rtsps:// (ACQ-1): a camera serving RTSP over TLS is read by rtspsrc (the GStreamer
 * fallback, chosen for every rtsps:// URL) and recorded; the fingerprint of its
 * certificate is in the status; pinned to another one, the camera is refused. */
static void
test_rtsps (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vigie-rtsps-XXXXXX", NULL);
  g_autofree char *pem = g_build_filename (dir, "camera.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *cert_text = NULL;
  g_autofree char *both = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(VgTestSim) tls_sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) keep = NULL;
  const char *const openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                  "-keyout", key, "-out", cert, "-days", "1",
                                  "-subj", "/CN=camera.invalid", NULL };
  const char *const args[] = { "--tls-cert", pem, NULL };
  JsonObject *stream;
  gint64 camera, frames, sent_before;
  guint status = 0;
  int exit_status;

  out = vg_test_run_command (openssl, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (g_file_get_contents (key, &key_text, NULL, NULL));
  g_assert_true (g_file_get_contents (cert, &cert_text, NULL, NULL));
  both = g_strconcat (cert_text, key_text, NULL);
  g_assert_true (g_file_set_contents (pem, both, -1, NULL));

  tls_sim = vg_test_sim_start_with_args (1, args, &error);
  g_assert_no_error (error);
  g_assert_true (tls_sim->tls);
  url = vg_test_sim_url (tls_sim, 1, "sub");
  g_assert_true (g_str_has_prefix (url, "rtsps://"));
  json = g_strdup_printf ("{\"name\": \"Over TLS\", \"streams\": [{\"name\": \"main\", "
                          "\"url\": \"%s\", \"roles\": [\"record\"]}]}", url);
  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  camera = json_object_get_int_member (json_node_get_object (body), "id");

  g_assert_true (wait_state (camera, "streaming", 20000));
  sent_before = vg_test_sim_frames_sent (tls_sim, 1, "sub");
  vg_test_sleep_ms (5000);
  stream = stream_status (camera, &keep);
  g_assert_cmpstr (json_object_get_string_member (stream, "ingest"), ==, "gstreamer");
  g_assert_cmpstr (json_object_get_string_member (stream, "codec"), ==, "h264");
  frames = json_object_get_int_member (stream, "frames");
  g_test_message ("over rtsps://: %" G_GINT64_FORMAT " frames received, %" G_GINT64_FORMAT
                  " sent by the camera", frames, vg_test_sim_frames_sent (tls_sim, 1, "sub"));
  g_assert_cmpint (frames, >, 75);
  g_assert_cmpint (vg_test_sim_frames_sent (tls_sim, 1, "sub"), >, sent_before);

  /* The certificate it presented, to pin: the fingerprint openssl gives */
  {
    const char *const x509[] = { "openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256", NULL };
    g_autofree char *printed = vg_test_run_command (x509, &exit_status);
    const char *colons = strchr (printed, '=');

    g_assert_nonnull (colons);
    expected = vg_stream_normalize_fingerprint (g_strstrip ((char *) colons + 1));
    g_assert_nonnull (expected);
    g_assert_cmpstr (json_object_get_string_member (stream, "tls_fingerprint"), ==, expected);
  }

  /* Pinned to another certificate: refused, said why, nothing recorded meanwhile */
  pin_certificate (camera, url, "\"" WRONG_FINGERPRINT "\"", 200);
  g_assert_true (wait_state (camera, "lost", 30000));
  g_clear_pointer (&keep, json_node_unref);
  stream = stream_status (camera, &keep);
  g_test_message ("pinned to another certificate: %s", json_object_get_string_member (stream, "error"));
  g_assert_nonnull (strstr (json_object_get_string_member (stream, "error"), "not the one pinned"));
  g_assert_nonnull (strstr (json_object_get_string_member (stream, "error"), expected));

  /* A malformed pin: 422, the camera unchanged */
  pin_certificate (camera, url, "\"12:34\"", 422);

  /* Pinned to its own, written with colons as openssl prints it: streams again */
  {
    g_autofree char *quoted = NULL;
    GString *colons = g_string_new (NULL);

    for (guint i = 0; i < 64; i += 2)
      g_string_append_printf (colons, "%s%c%c", i ? ":" : "", g_ascii_toupper (expected[i]),
                              g_ascii_toupper (expected[i + 1]));
    quoted = g_strdup_printf ("\"%s\"", colons->str);
    g_string_free (colons, TRUE);
    pin_certificate (camera, url, quoted, 200);
  }
  g_assert_true (wait_state (camera, "streaming", 30000));

  /* The camera goes away: lost, and the node keeps running */
  g_clear_pointer (&tls_sim, vg_test_sim_free);
  g_assert_true (wait_state (camera, "lost", 30000));
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };
    g_autofree char *ignored = vg_test_run_command (rm, &exit_status);
  }
}

int
main (int argc, char **argv)
{
  const char *const auth[] = { "--user", SIM_USER, "--password", SIM_PASSWORD, "--digest", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  sim = vg_test_sim_start_with_args (4, auth, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new ("[recording]\nsegment-seconds=4\n\n[capture]\nwatchdog-seconds=3\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);

  g_test_add_func ("/capture-transports/http-tunnel-digest", test_http_tunnel_digest);
  g_test_add_func ("/capture-transports/http-tunnel-wrong-password", test_http_tunnel_wrong_password);
  g_test_add_func ("/capture-transports/udp-receiver-reports", test_udp_receiver_reports);
  g_test_add_func ("/capture-transports/clock-offset", test_clock_offset);
  g_test_add_func ("/capture-transports/gstreamer-fallback", test_gstreamer_fallback);
  g_test_add_func ("/capture-transports/rtsps", test_rtsps);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
