/* test-export.c: a real node records a simulated camera with AAC audio; its segments
 * are listed with their keyframes and read with Range requests (PLAY-5); time ranges
 * are exported to .mkv, to a split .zip and by a job into a directory, and ffprobe /
 * ffmpeg check what comes out: duration, frames, audio, the start mark, seeking (PLAY-6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <glib/gstdio.h>
#include <string.h>

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;
static gint64 camera;
static gint64 recorded_from;   /* UTC µs: recording is continuous from here … */
static gint64 stopped_at;      /* … to here (the camera stops) */
static gint64 restarted_at;    /* and again from here to now */
static char *work_dir;

static char *
iso (gint64 us)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (us);

  return vg_time_format_iso8601 (time);
}

/* curl over loopback: the HTTP status; the body in out_path. user NULL: anonymous. */
static guint
curl (const char *path, const char *user, const char *range, const char *method, const char *out_path,
      char **headers)
{
  g_autofree char *url = g_strconcat (node->base_url, path, NULL);
  g_autofree char *range_header = range ? g_strdup_printf ("Range: %s", range) : NULL;
  g_autofree char *header_path = g_build_filename (work_dir, "headers.txt", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  int status;

  g_ptr_array_add (argv, "curl");
  g_ptr_array_add (argv, "-skg");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, (gpointer) (out_path ? out_path : "/dev/null"));
  g_ptr_array_add (argv, "-D");
  g_ptr_array_add (argv, header_path);
  g_ptr_array_add (argv, "-w");
  g_ptr_array_add (argv, "%{http_code}");
  if (user)
    {
      g_ptr_array_add (argv, "-u");
      g_ptr_array_add (argv, (gpointer) user);
    }
  if (range)
    {
      g_ptr_array_add (argv, "-H");
      g_ptr_array_add (argv, range_header);
    }
  if (method && g_str_equal (method, "HEAD"))
    g_ptr_array_add (argv, "-I");
  g_ptr_array_add (argv, url);
  g_ptr_array_add (argv, NULL);
  out = vg_test_run_command ((const char *const *) argv->pdata, &status);
  g_assert_cmpint (status, ==, 0);
  if (headers)
    g_file_get_contents (header_path, headers, NULL, NULL);
  return (guint) g_ascii_strtoull (out, NULL, 10);
}

#define ADMIN "admin:" VG_TEST_ADMIN_PASSWORD

static JsonNode *
api (const char *method, const char *path, const char *body, guint *status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node_ = vg_test_request (admin, method, path, body, status, &error);

  /* Error statuses come back as errors: the status tells. */
  g_assert_cmpuint (*status, !=, 0);
  return node_;
}

/* ---- ffprobe ---- */

/* pts (seconds) of the video packets, and whether an audio stream is there. */
static GArray *
video_pts (const char *file, char **audio_codec)
{
  const char *probe[] = { "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", file, NULL };
  const char *streams[] = { "ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                            "stream=codec_name", "-of", "csv=p=0", file, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (double));
  int status;

  out = vg_test_run_command (probe, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  for (guint i = 0; lines[i] && lines[i][0]; i++)
    {
      double v = g_ascii_strtod (lines[i], NULL);

      g_array_append_val (pts, v);
    }
  if (audio_codec)
    {
      *audio_codec = vg_test_run_command (streams, &status);
      g_strstrip (*audio_codec);
    }
  return pts;
}

/* The mean interval between frames (times are rounded to the millisecond). */
static double
frame_interval (GArray *pts)
{
  g_assert_cmpuint (pts->len, >=, 2);
  return (g_array_index (pts, double, pts->len - 1) - g_array_index (pts, double, 0)) / (pts->len - 1);
}

static void
assert_decodes (const char *file)
{
  const char *decode[] = { "ffmpeg", "-nostdin", "-v", "error", "-i", file,
                               /* the file's own time base: what is checked is the decoding */
                               "-enc_time_base", "-1", "-f", "null", "-", NULL };
  g_autofree char *errors = NULL;
  int status;

  errors = vg_test_run_command (decode, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (errors, ==, "");
}

/* Seeking: ffmpeg -ss decodes from there, and ffprobe -read_intervals reads packets
 * around that time. */
static void
assert_seeks (const char *file, double at)
{
  g_autofree char *ss = g_strdup_printf ("%.3f", at);
  g_autofree char *interval = g_strdup_printf ("%.3f%%%.3f", at, at + 0.5);
  const char *seek[] = { "ffmpeg", "-nostdin", "-v", "error", "-ss", ss, "-i", file, "-frames:v", "1",
                         "-f", "null", "-", NULL };
  const char *probe[] = { "ffprobe", "-v", "error", "-read_intervals", interval, "-select_streams", "v:0",
                          "-show_entries", "packet=pts_time", "-of", "csv=p=0", file, NULL };
  g_autofree char *out = NULL;
  g_autofree char *packets = NULL;
  int status;

  out = vg_test_run_command (seek, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "");
  packets = vg_test_run_command (probe, &status);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (packets);
  g_assert_cmpstr (packets, !=, "");
  /* The last packet read lies past the seek point (the read started at the keyframe before). */
  g_assert_cmpfloat (g_ascii_strtod (strrchr (packets, '\n') ? strrchr (packets, '\n') + 1 : packets, NULL), >=, at);
}

/* ---- Set-up: record, with an outage ---- */

static const char *
state_of (void)
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
wait_state (const char *state, guint timeout_ms)
{
  for (guint waited = 0; waited < timeout_ms; waited += 100)
    {
      if (g_str_equal (state_of (), state))
        return TRUE;
      vg_test_sleep_ms (100);
    }
  return g_str_equal (state_of (), state);
}

static JsonArray *
list_segments (gint64 start, gint64 end, JsonNode **keep)
{
  g_autofree char *a = iso (start);
  g_autofree char *b = iso (end);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?stream=main&start=%s&end=%s",
                                           camera, a, b);
  guint status = 0;

  *keep = api ("GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_get_array_member (json_node_get_object (*keep), "segments");
}

static gint64
parse_iso (const char *text)
{
  g_autoptr(GDateTime) time = vg_time_parse_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return vg_time_to_unix_usec (time);
}

static void
record (void)
{
  g_autofree char *url = vg_test_sim_url (sim, 2, "main");   /* cam2: H.264 + AAC */
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Export\", \"streams\": [{\"name\": \"main\", \"url\": \"%s\", "
                                           "\"roles\": [\"record\"]}]}", url);
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = api ("POST", "/api/v1/cameras", json, &status);
  g_assert_cmpuint (status, ==, 201);
  camera = json_object_get_int_member (json_node_get_object (body), "id");
  g_assert_true (wait_state ("streaming", 10000));
  vg_test_sleep_ms (13000);
  vg_test_sim_control (sim, 2, "stop");
  g_assert_true (wait_state ("lost", 5000));
  vg_test_sleep_ms (4000);
  vg_test_sim_control (sim, 2, "start");
  g_assert_true (wait_state ("streaming", 8000));
  vg_test_sleep_ms (7000);

  /* The times come from the index: the first span, the outage, the second span. */
  {
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *segments = list_segments (g_get_real_time () - 120 * G_USEC_PER_SEC, g_get_real_time (), &keep);
    guint n = json_array_get_length (segments);

    g_assert_cmpuint (n, >=, 4);
    recorded_from = parse_iso (json_object_get_string_member (json_array_get_object_element (segments, 0), "start"));
    for (guint i = 1; i < n; i++)
      {
        JsonObject *prev = json_array_get_object_element (segments, i - 1);
        JsonObject *cur = json_array_get_object_element (segments, i);
        gint64 prev_end = parse_iso (json_object_get_string_member (prev, "end"));
        gint64 cur_start = parse_iso (json_object_get_string_member (cur, "start"));

        if (cur_start - prev_end > 2 * G_USEC_PER_SEC && stopped_at == 0)
          {
            stopped_at = prev_end;
            restarted_at = cur_start;
          }
      }
    g_assert_cmpint (stopped_at, >, 0);
    g_test_message ("recorded %.1f s, outage %.1f s", (stopped_at - recorded_from) / 1e6,
                    (restarted_at - stopped_at) / 1e6);
    g_assert_cmpint (stopped_at - recorded_from, >, 9 * G_USEC_PER_SEC);
  }
}

/* ---- PLAY-5 ---- */

static void
test_segments_index (void)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *segments = list_segments (recorded_from, stopped_at, &keep);
  JsonObject *first = json_array_get_object_element (segments, 0);
  JsonArray *keyframes = json_object_get_array_member (first, "keyframes");
  JsonObject *k0 = json_array_get_object_element (keyframes, 0);

  g_assert_cmpuint (json_array_get_length (segments), >=, 2);
  g_assert_cmpuint (json_array_get_length (keyframes), >=, 1);
  g_assert_cmpint (json_object_get_int_member (k0, "time_ms"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (k0, "offset"), >, 100);
  g_assert_cmpint (json_object_get_int_member (first, "frames"), >, 10);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "url"), "/api/v1/segments/"));
  {
    guint status = 0;
    g_autoptr(JsonNode) bad = api ("GET", "/api/v1/cameras/999/segments?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z",
                                   NULL, &status);
    g_assert_cmpuint (status, ==, 404);
  }
  {
    guint status = 0;
    g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?start=yesterday&end=2026-01-02T00:00:00Z", camera);
    g_autoptr(JsonNode) bad = api ("GET", path, NULL, &status);
    g_assert_cmpuint (status, ==, 400);
  }
}

/* A keyframe entry's Cluster, read with a Range request after the header, makes a
 * file ffmpeg decodes: what a player does to show an instant at once. */
static void
test_segment_ranges (void)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *segments = list_segments (recorded_from, stopped_at, &keep);
  JsonObject *segment = json_array_get_object_element (segments, 0);
  const char *url = json_object_get_string_member (segment, "url");
  gint64 bytes = json_object_get_int_member (segment, "bytes");
  JsonArray *keyframes = json_object_get_array_member (segment, "keyframes");
  gint64 header_end = json_object_get_int_member (json_array_get_object_element (keyframes, 0), "offset");
  g_autofree char *whole = g_build_filename (work_dir, "whole.mkv", NULL);
  g_autofree char *part = g_build_filename (work_dir, "part.bin", NULL);
  g_autofree char *headers = NULL;
  g_autofree char *whole_data = NULL;
  g_autofree char *part_data = NULL;
  g_autofree char *range = NULL;
  gsize whole_size = 0, part_size = 0;

  g_assert_false (json_object_get_boolean_member (segment, "open"));
  g_assert_cmpuint (curl (url, ADMIN, NULL, "GET", whole, NULL), ==, 200);
  g_assert_true (g_file_get_contents (whole, &whole_data, &whole_size, NULL));
  g_assert_cmpint ((gint64) whole_size, ==, bytes);
  assert_decodes (whole);

  range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, header_end, header_end + 99999);
  g_assert_cmpuint (curl (url, ADMIN, range, "GET", part, &headers), ==, 206);
  g_assert_true (g_file_get_contents (part, &part_data, &part_size, NULL));
  g_assert_cmpuint (part_size, ==, MIN (100000, bytes - header_end));
  g_assert_true (memcmp (part_data, whole_data + header_end, part_size) == 0);
  g_assert_nonnull (strstr (headers, "Content-Range: bytes "));

  g_clear_pointer (&part_data, g_free);
  g_assert_cmpuint (curl (url, ADMIN, "bytes=-500", "GET", part, NULL), ==, 206);
  g_assert_true (g_file_get_contents (part, &part_data, &part_size, NULL));
  g_assert_cmpuint (part_size, ==, 500);
  g_assert_true (memcmp (part_data, whole_data + whole_size - 500, 500) == 0);

  g_clear_pointer (&range, g_free);
  range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", bytes + 10);
  g_assert_cmpuint (curl (url, ADMIN, range, "GET", NULL, NULL), ==, 416);
  g_assert_cmpuint (curl (url, ADMIN, "bytes=50-10", "GET", NULL, NULL), ==, 416);

  g_clear_pointer (&headers, g_free);
  g_assert_cmpuint (curl (url, ADMIN, NULL, "HEAD", NULL, &headers), ==, 200);
  {
    g_autofree char *length = g_strdup_printf ("Content-Length: %" G_GINT64_FORMAT, bytes);

    g_assert_nonnull (strstr (headers, length));
  }
  g_assert_cmpuint (curl ("/api/v1/segments/987654", ADMIN, NULL, "GET", NULL, NULL), ==, 404);
}

static void
test_authentication (void)
{
  g_autofree char *a = iso (recorded_from + G_USEC_PER_SEC);
  g_autofree char *b = iso (recorded_from + 3 * G_USEC_PER_SEC);
  g_autofree char *export = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/export.mkv?start=%s&end=%s",
                                             camera, a, b);
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *segments = list_segments (recorded_from, stopped_at, &keep);
  const char *url = json_object_get_string_member (json_array_get_object_element (segments, 0), "url");

  g_assert_cmpuint (curl (url, NULL, NULL, "GET", NULL, NULL), ==, 401);
  g_assert_cmpuint (curl (url, "admin:wrong-password", NULL, "GET", NULL, NULL), ==, 401);
  g_assert_cmpuint (curl (export, NULL, NULL, "GET", NULL, NULL), ==, 401);
  g_assert_cmpuint (curl (export, "admin:wrong-password", NULL, "GET", NULL, NULL), ==, 401);
  g_assert_cmpuint (curl ("/api/v1/exports/1", NULL, NULL, "GET", NULL, NULL), ==, 401);
}

/* ---- PLAY-6 ---- */

static char *
export_path (gint64 start, gint64 end, const char *kind, const char *extra)
{
  g_autofree char *a = iso (start);
  g_autofree char *b = iso (end);

  return g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/export.%s?stream=main&start=%s&end=%s%s",
                          camera, kind, a, b, extra ? extra : "");
}

/* A range inside continuous recording: starts exactly at start, lasts end − start
 * within a frame interval, holds every frame, the audio, and seeks. */
static void
test_export_mkv (void)
{
  gint64 start = recorded_from + 2300 * 1000, end = start + 6400 * 1000;
  g_autofree char *path = export_path (start, end, "mkv", NULL);
  g_autofree char *file = g_build_filename (work_dir, "export.mkv", NULL);
  g_autofree char *headers = NULL;
  g_autofree char *audio = NULL;
  g_autoptr(GArray) pts = NULL;
  double interval, first_shown = -1, last = 0;
  guint shown = 0, preroll = 0;

  g_assert_cmpuint (curl (path, ADMIN, NULL, "GET", file, &headers), ==, 200);
  g_assert_nonnull (strstr (headers, "video/x-matroska"));
  assert_decodes (file);
  pts = video_pts (file, &audio);
  g_assert_cmpstr (audio, ==, "aac");
  interval = frame_interval (pts);
  for (guint i = 0; i < pts->len; i++)
    {
      double t = g_array_index (pts, double, i);

      if (t < -0.0005)
        preroll++;
      else
        {
          shown++;
          if (first_shown < 0)
            first_shown = t;
          last = MAX (last, t);
        }
    }
  g_test_message ("export: %u frames shown, %u preroll, first at %.3f s, last at %.3f s, interval %.3f s",
                  shown, preroll, first_shown, last, interval);
  /* The start mark: the frames before start are preroll (negative times), the first
   * frame shown is at start within a frame interval. */
  g_assert_cmpfloat (first_shown, <=, interval + 0.002);
  /* Duration: the last frame ends at end − start within one frame interval. */
  g_assert_cmpfloat (ABS (last + interval - 6.4), <=, interval + 0.002);
  /* Frames: every frame of the range. */
  g_assert_cmpint (ABS ((int) shown - (int) (6.4 / interval + 0.5)), <=, 1);
  assert_seeks (file, 3.0);
  assert_seeks (file, 5.5);
}

/* Across the outage: the gap stays a gap in the timestamps. */
static void
test_export_gap (void)
{
  gint64 start = stopped_at - 3 * G_USEC_PER_SEC, end = restarted_at + 3 * G_USEC_PER_SEC;
  g_autofree char *path = export_path (start, end, "mkv", NULL);
  g_autofree char *file = g_build_filename (work_dir, "gap.mkv", NULL);
  g_autoptr(GArray) pts = NULL;
  double biggest = 0, outage = (restarted_at - stopped_at) / 1e6;

  g_assert_cmpuint (curl (path, ADMIN, NULL, "GET", file, NULL), ==, 200);
  assert_decodes (file);
  pts = video_pts (file, NULL);
  for (guint i = 1; i < pts->len; i++)
    biggest = MAX (biggest, g_array_index (pts, double, i) - g_array_index (pts, double, i - 1));
  g_test_message ("gap export: %u frames, biggest jump %.2f s for an outage of %.2f s", pts->len, biggest, outage);
  g_assert_cmpfloat (ABS (biggest - outage), <, 0.5);
  g_assert_cmpfloat (g_array_index (pts, double, pts->len - 1), >, (end - start) / 1e6 - 1.0);
}

static void
test_export_no_video (void)
{
  g_autofree char *before = export_path (recorded_from - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC,
                                         recorded_from - G_GINT64_CONSTANT (3000) * G_USEC_PER_SEC, "mkv", NULL);
  g_autofree char *inside_gap = export_path (stopped_at + 500000, restarted_at - 500000, "mkv", NULL);
  g_autofree char *bad_split = export_path (recorded_from, stopped_at, "zip", "&split=3parsecs");
  g_autofree char *mkv_split = export_path (recorded_from, stopped_at, "mkv", "&split=10s");
  g_autofree char *body = g_build_filename (work_dir, "error.json", NULL);
  g_autofree char *text = NULL;

  g_assert_cmpuint (curl (before, ADMIN, NULL, "GET", body, NULL), ==, 404);
  g_assert_true (g_file_get_contents (body, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "no video"));
  g_assert_cmpuint (curl (inside_gap, ADMIN, NULL, "GET", NULL, NULL), ==, 404);
  g_assert_cmpuint (curl (bad_split, ADMIN, NULL, "GET", NULL, NULL), ==, 400);
  g_assert_cmpuint (curl (mkv_split, ADMIN, NULL, "GET", NULL, NULL), ==, 400);
}

static char **
zip_names (const char *zip)
{
  const char *check[] = { "python3", "-c",
                          "import sys, zipfile\n"
                          "z = zipfile.ZipFile(sys.argv[1])\n"
                          "assert z.testzip() is None\n"
                          "z.extractall(sys.argv[2])\n"
                          "print('\\n'.join(z.namelist()))\n",
                          zip, work_dir, NULL };
  g_autofree char *out = NULL;
  int status;

  out = vg_test_run_command (check, &status);
  g_test_message ("%s", out);
  g_assert_cmpint (status, ==, 0);
  return g_strsplit (g_strstrip (out), "\n", -1);
}

static void
test_export_zip_split (void)
{
  gint64 start = recorded_from + G_USEC_PER_SEC, end = restarted_at + 5 * G_USEC_PER_SEC;
  g_autofree char *path = export_path (start, end, "zip", "&split=10s");
  g_autofree char *file = g_build_filename (work_dir, "export.zip", NULL);
  const char *list[] = { "unzip", "-t", file, NULL };
  g_autofree char *listing = NULL;
  g_auto(GStrv) names = NULL;
  double total = 0;
  int status;

  g_assert_cmpuint (curl (path, ADMIN, NULL, "GET", file, NULL), ==, 200);
  listing = vg_test_run_command (list, &status);
  g_assert_cmpint (status, ==, 0);
  names = zip_names (file);
  g_assert_cmpuint (g_strv_length (names), >=, 2);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *piece = g_build_filename (work_dir, names[i], NULL);
      g_autofree char *audio = NULL;
      g_autoptr(GArray) pts = NULL;

      g_assert_true (g_str_has_suffix (names[i], ".mkv"));
      assert_decodes (piece);
      pts = video_pts (piece, &audio);
      g_assert_cmpstr (audio, ==, "aac");
      g_assert_cmpuint (pts->len, >, 10);
      /* Pieces are cut at a keyframe from 10 s on. */
      if (names[i + 1])
        g_assert_cmpfloat (g_array_index (pts, double, pts->len - 1), >=, 9.0);
      total += pts->len;
    }
  g_assert_cmpfloat (total, >, 100);
}

static gboolean
job_finished (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, *(gint64 *) data);
  guint status = 0;
  g_autoptr(JsonNode) body = api ("GET", path, NULL, &status);

  return !g_str_equal (json_object_get_string_member (json_node_get_object (body), "state"), "running");
}

static void
test_export_job (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "medium", NULL);
  g_autofree char *a = iso (recorded_from + G_USEC_PER_SEC);
  g_autofree char *b = iso (stopped_at - G_USEC_PER_SEC);
  g_autofree char *json = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) done = NULL;
  JsonObject *job;
  JsonArray *files;
  guint status = 0;
  gint64 id;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  bad = g_strdup_printf ("{\"camera\": %" G_GINT64_FORMAT ", \"stream\": \"main\", \"start\": \"%s\", "
                         "\"end\": \"%s\", \"directory\": \"%s/absent\"}", camera, a, b, dir);
  g_clear_pointer (&created, json_node_unref);
  created = api ("POST", "/api/v1/exports", bad, &status);
  g_assert_cmpuint (status, ==, 422);
  g_clear_pointer (&created, json_node_unref);
  created = api ("POST", "/api/v1/exports", "{\"camera\": 1, \"directory\": \"../x\"}", &status);
  g_assert_cmpuint (status, ==, 422);

  json = g_strdup_printf ("{\"camera\": %" G_GINT64_FORMAT ", \"stream\": \"main\", \"start\": \"%s\", "
                          "\"end\": \"%s\", \"directory\": \"%s\", \"split\": \"10s\"}", camera, a, b, dir);
  g_clear_pointer (&created, json_node_unref);
  created = api ("POST", "/api/v1/exports", json, &status);
  g_assert_cmpuint (status, ==, 202);
  id = json_object_get_int_member (json_node_get_object (created), "id");
  g_assert_true (vg_test_wait_until (job_finished, &id, 60000));
  path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, id);
  done = api ("GET", path, NULL, &status);
  job = json_node_get_object (done);
  g_assert_cmpstr (json_object_get_string_member (job, "state"), ==, "done");
  g_assert_cmpfloat (json_object_get_double_member (job, "progress"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (job, "bytes"), >, 100000);
  files = json_object_get_array_member (job, "files");
  g_assert_cmpuint (json_array_get_length (files), >=, 2);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      g_autofree char *piece = g_build_filename (dir, json_array_get_string_element (files, i), NULL);

      assert_decodes (piece);
    }
  g_clear_pointer (&done, json_node_unref);
  done = api ("GET", "/api/v1/exports/424242", NULL, &status);
  g_assert_cmpuint (status, ==, 404);
}

/* The job's events on the WebSocket: its progress, then one export.done with what the
 * job's own resource says; DELETE cancels (a job finished first stays done); a cancelled
 * job leaves only whole pieces, each listed and playable. */
typedef struct
{
  gint64 id;
  GPtrArray *progress;   /* JsonNode of export.progress for the job */
  JsonNode *done;        /* its export.done */
} JobEvents;

static void
job_event_cb (VgApiClient *client, JsonNode *message, JobEvents *events)
{
  JsonObject *object = json_node_get_object (message);
  const char *type = json_object_get_string_member (object, "type");
  JsonObject *data;

  if (!g_str_has_prefix (type, "export."))
    return;
  data = json_object_get_object_member (object, "data");
  if (json_object_get_int_member (data, "id") != events->id)
    return;
  if (g_str_equal (type, "export.progress"))
    g_ptr_array_add (events->progress, json_node_copy (json_object_get_member (object, "data")));
  else if (g_str_equal (type, "export.done") && events->done == NULL)
    events->done = json_node_copy (json_object_get_member (object, "data"));
}

static gboolean
job_event_done (gpointer data)
{
  return ((JobEvents *) data)->done != NULL;
}

static gboolean
client_events_connected (gpointer data)
{
  return vg_api_client_get_events_connected (data);
}

static gint64
start_job (const char *dir)
{
  g_autofree char *a = iso (recorded_from + G_USEC_PER_SEC);
  g_autofree char *b = iso (stopped_at - G_USEC_PER_SEC);
  g_autofree char *json = g_strdup_printf ("{\"camera\": %" G_GINT64_FORMAT ", \"stream\": \"main\", "
                                           "\"start\": \"%s\", \"end\": \"%s\", \"directory\": \"%s\", "
                                           "\"split\": \"10s\"}", camera, a, b, dir);
  g_autoptr(JsonNode) created = NULL;
  guint status = 0;

  created = api ("POST", "/api/v1/exports", json, &status);
  g_assert_cmpuint (status, ==, 202);
  return json_object_get_int_member (json_node_get_object (created), "id");
}

/* Every file of the job is in the directory and plays; no other piece is there. */
static void
assert_job_files (JsonObject *job, const char *dir)
{
  JsonArray *files = json_object_get_array_member (job, "files");
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_pieces = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < json_array_get_length (files); i++)
        listed |= g_str_equal (json_array_get_string_element (files, i), name);
      g_assert_true (listed);
      n_pieces++;
    }
  g_assert_cmpuint (n_pieces, ==, json_array_get_length (files));
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      g_autofree char *piece = g_build_filename (dir, json_array_get_string_element (files, i), NULL);

      assert_decodes (piece);
    }
}

static void
test_export_job_events (void)
{
  g_autoptr(VgApiClient) watcher = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GPtrArray) progress = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *dir = g_build_filename (work_dir, "medium-events", NULL);
  g_autofree char *cancel_dir = g_build_filename (work_dir, "medium-cancel", NULL);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JobEvents events = { 0, progress, NULL };
  JsonObject *done;
  double last = 0;
  guint status = 0;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (cancel_dir, 0755), ==, 0);
  g_signal_connect (watcher, "event", G_CALLBACK (job_event_cb), &events);
  vg_api_client_connect_events (watcher);
  g_assert_true (vg_test_wait_until (client_events_connected, watcher, 10000));

  /* Progress, then done: the same job as its resource says */
  events.id = start_job (dir);
  g_assert_true (vg_test_wait_until (job_event_done, &events, 60000));
  done = json_node_get_object (events.done);
  g_assert_cmpstr (json_object_get_string_member (done, "state"), ==, "done");
  for (guint i = 0; i < progress->len; i++)
    {
      JsonObject *step = json_node_get_object (progress->pdata[i]);
      double value = json_object_get_double_member (step, "progress");

      g_assert_cmpfloat (value, >=, last);
      g_assert_cmpfloat (value, <=, 1.0);
      last = value;
    }
  path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, events.id);
  shown = api ("GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_equal (shown, events.done));
  assert_job_files (done, dir);
  g_test_message ("job of %u pieces: %u progress events", json_array_get_length (json_object_get_array_member (done, "files")),
                  progress->len);

  /* DELETE of a finished job changes nothing; of an unknown one: 404 */
  answer = api ("DELETE", path, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_clear_pointer (&shown, json_node_unref);
  shown = api ("GET", path, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "state"), ==, "done");
  g_clear_pointer (&answer, json_node_unref);
  answer = api ("DELETE", "/api/v1/exports/424242", NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Cancelled as soon as started: cancelled (or done if it was quicker), never a
   * partial piece left behind */
  g_clear_pointer (&events.done, json_node_unref);
  g_ptr_array_set_size (progress, 0);
  events.id = start_job (cancel_dir);
  g_free (path);
  path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, events.id);
  g_clear_pointer (&answer, json_node_unref);
  answer = api ("DELETE", path, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_true (vg_test_wait_until (job_event_done, &events, 60000));
  done = json_node_get_object (events.done);
  g_test_message ("job cancelled at once: %s, %u pieces", json_object_get_string_member (done, "state"),
                  json_array_get_length (json_object_get_array_member (done, "files")));
  g_assert_true (g_str_equal (json_object_get_string_member (done, "state"), "cancelled") ||
                 g_str_equal (json_object_get_string_member (done, "state"), "done"));
  g_assert_true (json_object_get_null_member (done, "error"));
  assert_job_files (done, cancel_dir);

  vg_api_client_disconnect_events (watcher);
  g_clear_pointer (&events.done, json_node_unref);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_dir = g_dir_make_tmp ("vigie-export-XXXXXX", &error);
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

  g_test_add_func ("/export/segments-index", test_segments_index);
  g_test_add_func ("/export/segment-ranges", test_segment_ranges);
  g_test_add_func ("/export/authentication", test_authentication);
  g_test_add_func ("/export/mkv", test_export_mkv);
  g_test_add_func ("/export/gap", test_export_gap);
  g_test_add_func ("/export/no-video", test_export_no_video);
  g_test_add_func ("/export/zip-split", test_export_zip_split);
  g_test_add_func ("/export/job", test_export_job);
  g_test_add_func ("/export/job-events", test_export_job_events);

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
