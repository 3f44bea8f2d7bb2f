/* bench-export.c: export of one hour of 1080p 4 Mbit/s H.264 (PLAY-6), against
 * ffmpeg -c copy concatenating the same segment files, in the same run.
 *
 * A real node records a simulated 1080p25 camera until one segment is closed; that
 * segment's frames are looped (times shifted) into 60 one-minute segments written
 * with VgMkvWriter on the node's disk, and their index rows are put through
 * VgRecordingIndex into the node's database. Then GET export.mkv of the hour is
 * timed (curl, loopback HTTPS, file written to disk), and so is
 * `ffmpeg -f concat -c copy` of the 60 files. TAP; asserts only what the files hold,
 * never a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-mkv-reader.h"
#include "vg-recording-index.h"

#include <glib/gstdio.h>
#include <string.h>

#define SEGMENTS 60
#define SEGMENT_US (60 * G_USEC_PER_SEC)

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;

/* The largest recorded segment of the camera (a closed one once recording went on). */
static char *
recorded_segment (gint64 camera)
{
  g_autofree char *dir = g_strdup_printf ("%s/recordings/%" G_GINT64_FORMAT "/main", node->data_dir, camera);
  const char *find[] = { "sh", "-c", "find \"$0\" -name '*.mkv' -printf '%s %p\\n' | sort -n | tail -1 | cut -d' ' -f2",
                         dir, NULL };
  int status;
  char *out = vg_test_run_command (find, &status);

  g_assert_cmpint (status, ==, 0);
  return g_strstrip (out);
}

/* Every unit of the file from its first keyframe. */
static GPtrArray *
read_units (const char *path, gint64 *duration_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VgMkvReader) reader = vg_mkv_reader_open (path, &error);
  g_autoptr(VgMkvScan) scan = NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  guint64 offset;
  gint64 first = 0, last = 0;

  g_assert_no_error (error);
  scan = vg_mkv_reader_scan (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->keyframes->len, >=, 2);
  offset = g_array_index (scan->keyframes, VgMkvKeyframe, 0).offset;
  while (offset != 0)
    {
      g_autoptr(GPtrArray) units = vg_mkv_reader_read_cluster (reader, offset, &offset, NULL);

      if (units == NULL)
        break;
      for (guint i = 0; i < units->len; i++)
        g_ptr_array_add (all, vg_access_unit_ref (units->pdata[i]));
    }
  first = ((VgAccessUnit *) all->pdata[0])->time_us;
  last = ((VgAccessUnit *) all->pdata[all->len - 1])->time_us;
  /* One frame interval after the last frame. */
  *duration_us = last - first + 40000;
  return all;
}

static VgAccessUnit *
shifted (VgAccessUnit *unit, gint64 time_us)
{
  VgAccessUnit *copy = vg_access_unit_new (unit->codec, unit->data, unit->size);

  copy->track = unit->track;
  copy->keyframe = unit->keyframe;
  copy->duration_us = unit->duration_us;
  copy->time_us = time_us;
  return copy;
}

/* Writes the hour: SEGMENTS files from base_us, the source looped; their index rows. */
static void
seed (gint64 camera, GPtrArray *units, gint64 loop_us, VgMkvReader *source, gint64 base_us,
      VgRecordingIndex *index, GPtrArray *paths)
{
  gint64 first = ((VgAccessUnit *) units->pdata[0])->time_us;
  VgTrackInfo *tracks[4];
  guint n_tracks = MIN (vg_mkv_reader_get_n_tracks (source), 4);
  guint u = 0;
  gint64 loop = 0;

  for (guint t = 0; t < n_tracks; t++)
    tracks[t] = (VgTrackInfo *) vg_mkv_reader_get_track (source, t);
  for (guint s = 0; s < SEGMENTS; s++)
    {
      g_autofree char *relative = g_strdup_printf ("%" G_GINT64_FORMAT "/main/seed/%03u.mkv", camera, s);
      g_autofree char *path = g_build_filename (node->data_dir, "recordings", relative, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgMkvWriter) writer = NULL;
      gint64 end = base_us + (gint64) (s + 1) * SEGMENT_US;
      VgSegmentInfo info = { 0 };
      const VgMkvKeyframe *keyframes;
      guint n_keyframes = 0;
      g_autofree char *dir = g_path_get_dirname (path);

      g_mkdir_with_parents (dir, 0755);
      writer = vg_mkv_writer_new (path, tracks, n_tracks, &error);
      g_assert_no_error (error);
      for (;;)
        {
          VgAccessUnit *unit = units->pdata[u];
          gint64 time = base_us + loop * loop_us + (unit->time_us - first);
          g_autoptr(VgAccessUnit) copy = NULL;

          if (time >= end && vg_codec_is_video (unit->codec) && unit->keyframe)
            break;
          copy = shifted (unit, time);
          if (!vg_mkv_writer_write (writer, copy, &error))
            {
              g_assert_true (error->domain == VG_MKV_ERROR);
              g_clear_error (&error);
            }
          if (++u == units->len)
            {
              u = 0;
              loop++;
            }
        }
      g_assert_true (vg_mkv_writer_close (writer, &error));
      keyframes = vg_mkv_writer_get_keyframes (writer, &n_keyframes);
      info.camera_id = camera;
      info.stream = (char *) "main";
      info.disk_id = 1;
      info.path = relative;
      info.start_us = vg_mkv_writer_get_first_time (writer);
      info.end_us = vg_mkv_writer_get_last_time (writer);
      info.bytes = (gint64) vg_mkv_writer_get_size (writer);
      info.frames = (guint) vg_mkv_writer_get_n_frames (writer);
      info.keyframes = vg_mkv_keyframe_index_pack (keyframes, n_keyframes);
      vg_recording_index_put (index, &info);
      g_bytes_unref (info.keyframes);
      g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

static double
timed (const char *const *argv, char **out)
{
  gint64 t0 = g_get_monotonic_time ();
  int status;

  *out = vg_test_run_command (argv, &status);
  if (status != 0)
    g_test_message ("%s", *out);
  g_assert_cmpint (status, ==, 0);
  return (g_get_monotonic_time () - t0) / 1e6;
}

static void
probe (const char *file, double *duration, gint64 *frames)
{
  const char *argv[] = { "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                         "stream=nb_read_packets:format=duration", "-of", "default=nw=1:nk=1", file, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  out = vg_test_run_command (argv, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  *frames = g_ascii_strtoll (lines[0], NULL, 10);
  *duration = g_ascii_strtod (lines[1], NULL);
}

static void
test_export_hour (void)
{
  g_autofree char *url = vg_test_sim_url (sim, 1, "main");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Bench\", \"streams\": [{\"name\": \"main\", \"url\": \"%s\", "
                                           "\"roles\": [\"record\"]}]}", url);
  g_autofree char *dsn = g_strdup_printf ("host=%s/run port=5432 dbname=vigie user=vigie", node->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VgDatabase) database = NULL;
  g_autoptr(VgRecordingIndex) index = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VgMkvReader) source = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autofree char *segment = NULL;
  g_autofree char *list = NULL;
  g_autofree char *list_path = g_build_filename (node->dir, "concat.txt", NULL);
  g_autofree char *export_file = g_build_filename (node->dir, "export.mkv", NULL);
  g_autofree char *copy_file = g_build_filename (node->dir, "copy.mkv", NULL);
  g_autofree char *export_url = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *out = NULL;
  gint64 camera, loop_us, base_us, frames_export, frames_copy;
  double t_export, t_copy, d_export, d_copy;
  guint64 seeded = 0;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  camera = json_object_get_int_member (json_node_get_object (body), "id");
  vg_test_sleep_ms (26000);          /* segment-seconds=20: one closed segment at least */
  vg_test_sim_control (sim, 1, "stop");
  vg_test_sleep_ms (2000);
  segment = recorded_segment (camera);
  g_test_message ("source segment: %s", segment);
  units = read_units (segment, &loop_us);
  source = vg_mkv_reader_open (segment, &error);
  g_assert_no_error (error);

  database = vg_database_new (dsn);
  index = vg_recording_index_new (database);
  base_us = (g_get_real_time () / G_USEC_PER_SEC - 3 * 3600) * G_USEC_PER_SEC;
  {
    gint64 t0 = g_get_monotonic_time ();

    seed (camera, units, loop_us, source, base_us, index, paths);
    g_test_message ("seeded %u one-minute segments in %.1f s", SEGMENTS, (g_get_monotonic_time () - t0) / 1e6);
  }
  vg_recording_index_flush_async (index, NULL, vg_test_store_result, &flushed);
  vg_test_wait (&flushed);
  g_assert_true (vg_recording_index_flush_finish (index, flushed, &error));
  g_assert_no_error (error);

  {
    GString *text = g_string_new (NULL);

    for (guint i = 0; i < paths->len; i++)
      {
        GStatBuf st;

        g_assert_cmpint (g_stat (paths->pdata[i], &st), ==, 0);
        seeded += (guint64) st.st_size;
        g_string_append_printf (text, "file '%s'\n", (char *) paths->pdata[i]);
      }
    list = g_string_free (text, FALSE);
    g_assert_true (g_file_set_contents (list_path, list, -1, NULL));
  }
  g_test_message ("one hour seeded: %.2f GB, %.2f Mbit/s", seeded / 1e9, seeded * 8 / 3600.0 / 1e6);

  /* Page cache: both readers find the same files equally warm (read once here). */
  {
    const char *warm[] = { "sh", "-c", "cat \"$0\"/*.mkv > /dev/null", NULL, NULL };
    g_autofree char *seed_dir = g_path_get_dirname (paths->pdata[0]);
    int st;
    g_autofree char *o = NULL;

    warm[3] = seed_dir;
    o = vg_test_run_command (warm, &st);
  }

  {
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (base_us / G_USEC_PER_SEC);
    g_autoptr(GDateTime) end = g_date_time_add_hours (start, 1);

    start_text = vg_time_format_iso8601 (start);
    end_text = vg_time_format_iso8601 (end);
  }
  export_url = g_strdup_printf ("%s/api/v1/cameras/%" G_GINT64_FORMAT "/export.mkv?stream=main&start=%s&end=%s",
                                node->base_url, camera, start_text, end_text);
  {
    const char *curl[] = { "curl", "-skfg", "-u", "admin:" VG_TEST_ADMIN_PASSWORD, "-o", export_file, export_url, NULL };
    const char *ffmpeg[] = { "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list_path,
                             "-c", "copy", copy_file, NULL };
    g_autofree char *o1 = NULL;
    g_autofree char *o2 = NULL;

    t_export = timed (curl, &o1);
    t_copy = timed (ffmpeg, &o2);
  }
  probe (export_file, &d_export, &frames_export);
  probe (copy_file, &d_copy, &frames_copy);
  g_test_message ("export.mkv of 1 h: %.2f s (%.0f MB/s), %.1f s, %" G_GINT64_FORMAT " frames",
                  t_export, seeded / 1e6 / t_export, d_export, frames_export);
  g_test_message ("ffmpeg -f concat -c copy: %.2f s (%.0f MB/s), %.1f s, %" G_GINT64_FORMAT " frames",
                  t_copy, seeded / 1e6 / t_copy, d_copy, frames_copy);
  g_assert_cmpfloat (ABS (d_export - 3600), <, 1);
  g_assert_cmpint (ABS (frames_export - frames_copy), <=, 30);
  g_unlink (export_file);
  g_unlink (copy_file);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  sim = vg_test_sim_start (1, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new ("[recording]\nsegment-seconds=20\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);

  g_test_add_func ("/bench/export-hour", test_export_hour);
  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
