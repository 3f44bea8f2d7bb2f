/* test-recording-index.c: VgRecordingIndex against a real PostgreSQL (the node's
 * private cluster code): batched writes, rows kept while the database is down and
 * written when it returns, spans and gaps merged by the query (REC-2, PLAY-2).
 * With --bench (meson test --suite bench): a month of one-minute segments, timed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-database.h"
#include "vg-error.h"
#include "vg-migrations.h"
#include "vg-pg-cluster.h"
#include "vg-recording-index.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;
static VgPgCluster *cluster;
static VgDatabase *database;
static gint64 camera_id;

#define T0 (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC)  /* 2026-11-18T…Z */
#define MIN_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

static void
store_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  const char *sql;
  VgDbResult *rows;
} Exec;

static gboolean
exec_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Exec *exec = data;

  exec->rows = vg_db_exec (conn, exec->sql, NULL, error);
  return exec->rows != NULL;
}

static VgDbResult *
exec_sql (const char *sql)
{
  g_autoptr(GError) error = NULL;
  Exec exec = { sql, NULL };

  g_assert_true (vg_database_run_sync (database, exec_job, &exec, &error));
  g_assert_no_error (error);
  return exec.rows;
}

static void
put_segment (VgRecordingIndex *index, const char *path, gint64 start_us, gint64 end_us)
{
  guint8 packed[] = { 1, 2, 3 };
  g_autoptr(GBytes) keyframes = g_bytes_new (packed, sizeof packed);
  VgSegmentInfo info = {
    .camera_id = camera_id, .stream = (char *) "main", .disk_id = 1, .path = (char *) path,
    .start_us = start_us, .end_us = end_us, .bytes = 1000, .frames = 25, .keyframes = keyframes,
  };

  vg_recording_index_put (index, &info);
}

static gboolean
flush (VgRecordingIndex *index, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vg_recording_index_flush_async (index, NULL, store_result, &result);
  wait_for (&result);
  return vg_recording_index_flush_finish (index, result, error);
}

static void
query (VgRecordingIndex *index, gint64 start_us, gint64 end_us, GArray **spans, GArray **gaps)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vg_recording_index_query_spans_async (index, camera_id, "main", start_us, end_us, NULL,
                                        store_result, &result);
  wait_for (&result);
  g_assert_true (vg_recording_index_query_spans_finish (index, result, spans, gaps, &error));
  g_assert_no_error (error);
}

static void
assert_range (GArray *ranges, guint i, gint64 start_us, gint64 end_us)
{
  g_assert_cmpuint (i, <, ranges->len);
  g_assert_cmpint (g_array_index (ranges, VgTimeRange, i).start_us, ==, start_us);
  g_assert_cmpint (g_array_index (ranges, VgTimeRange, i).end_us, ==, end_us);
}

static void
test_spans_and_gaps (void)
{
  g_autoptr(VgRecordingIndex) index = vg_recording_index_new (database);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  g_autoptr(GError) error = NULL;

  /* 10:00–10:03 in three segments (the third 0.5 s late: no gap), then 10:10–10:11. */
  put_segment (index, "a/1.mkv", T0, T0 + MIN_US);
  put_segment (index, "a/2.mkv", T0 + MIN_US, T0 + 2 * MIN_US);
  put_segment (index, "a/3.mkv", T0 + 2 * MIN_US + 500000, T0 + 3 * MIN_US);
  put_segment (index, "a/4.mkv", T0 + 10 * MIN_US, T0 + 11 * MIN_US);
  g_assert_true (flush (index, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vg_recording_index_get_pending (index), ==, 0);

  query (index, T0 - MIN_US, T0 + 12 * MIN_US, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 2);
  assert_range (spans, 0, T0, T0 + 3 * MIN_US);
  assert_range (spans, 1, T0 + 10 * MIN_US, T0 + 11 * MIN_US);
  g_assert_cmpuint (gaps->len, ==, 3);
  assert_range (gaps, 0, T0 - MIN_US, T0);
  assert_range (gaps, 1, T0 + 3 * MIN_US, T0 + 10 * MIN_US);
  assert_range (gaps, 2, T0 + 11 * MIN_US, T0 + 12 * MIN_US);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* Clipped to the range asked. */
  query (index, T0 + 30 * G_USEC_PER_SEC, T0 + 10 * MIN_US + 30 * G_USEC_PER_SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 2);
  assert_range (spans, 0, T0 + 30 * G_USEC_PER_SEC, T0 + 3 * MIN_US);
  assert_range (spans, 1, T0 + 10 * MIN_US, T0 + 10 * MIN_US + 30 * G_USEC_PER_SEC);
  g_assert_cmpuint (gaps->len, ==, 1);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* A segment that grows (open, then closed) is one row, updated. */
  put_segment (index, "a/5.mkv", T0 + 20 * MIN_US, T0 + 20 * MIN_US + 10 * G_USEC_PER_SEC);
  put_segment (index, "a/5.mkv", T0 + 20 * MIN_US, T0 + 21 * MIN_US);
  g_assert_true (flush (index, &error));
  {
    g_autoptr(VgDbResult) rows = exec_sql ("SELECT count(*) AS n FROM recording_segments WHERE path = 'a/5.mkv'");
    g_assert_cmpint (vg_db_result_get_int (rows, 0, "n"), ==, 1);
  }
  query (index, T0 + 19 * MIN_US, T0 + 22 * MIN_US, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 1);
  assert_range (spans, 0, T0 + 20 * MIN_US, T0 + 21 * MIN_US);
}

/* The database goes away: rows stay queued, and are all written when it returns. */
static void
test_database_outage (void)
{
  g_autoptr(VgRecordingIndex) index = vg_recording_index_new (database);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) started = NULL;

  g_assert_true (vg_pg_cluster_stop (cluster, &error));
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *path = g_strdup_printf ("outage/%d.mkv", i);
      put_segment (index, path, T0 + (100 + i) * MIN_US, T0 + (101 + i) * MIN_US);
    }
  g_assert_false (flush (index, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_cmpuint (vg_recording_index_get_pending (index), ==, 30);

  vg_pg_cluster_start_async (cluster, NULL, store_result, &started);
  wait_for (&started);
  g_assert_true (vg_pg_cluster_start_finish (cluster, started, &error));
  g_assert_no_error (error);

  g_assert_true (flush (index, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vg_recording_index_get_pending (index), ==, 0);
  {
    g_autoptr(VgDbResult) rows = exec_sql ("SELECT count(*) AS n FROM recording_segments WHERE path LIKE 'outage/%'");
    g_assert_cmpint (vg_db_result_get_int (rows, 0, "n"), ==, 30);
  }
}

/* Bench: 30 days of one-minute segments with a gap every 6 hours; the timeline query
 * of the whole month, timed (docs/benchmarks.md). */
static void
bench_month_timeline (void)
{
  g_autoptr(VgRecordingIndex) index = vg_recording_index_new (database);
  g_autofree char *seed = g_strdup_printf (
    "INSERT INTO recording_segments (camera_id, stream, disk_id, path, start_time, end_time, bytes, frames, keyframes) "
    "SELECT %" G_GINT64_FORMAT ", 'main', 1, 'month/' || n || '.mkv', "
    "       to_timestamp(%" G_GINT64_FORMAT " + n * 60), to_timestamp(%" G_GINT64_FORMAT " + n * 60 + 60), "
    "       30000000, 1500, '\\x00'::bytea "
    "FROM generate_series(0, 30 * 1440 - 1) AS n WHERE n %% 360 <> 359",
    camera_id, T0 / G_USEC_PER_SEC - 40 * 86400, T0 / G_USEC_PER_SEC - 40 * 86400);
  g_autoptr(VgDbResult) seeded = exec_sql (seed);
  g_autoptr(VgDbResult) analysed = exec_sql ("ANALYZE recording_segments");
  gint64 start = T0 - 40 * G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
  gint64 times[21];

  for (int i = 0; i < 21; i++)
    {
      g_autoptr(GArray) spans = NULL;
      g_autoptr(GArray) gaps = NULL;
      gint64 t0 = g_get_monotonic_time ();

      query (index, start, start + 30 * G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC, &spans, &gaps);
      times[i] = g_get_monotonic_time () - t0;
      g_assert_cmpuint (spans->len, ==, 120);
    }
  for (int i = 1; i < 21; i++)
    for (int j = i; j > 1 && times[j] < times[j - 1]; j--)
      {
        gint64 t = times[j];
        times[j] = times[j - 1];
        times[j - 1] = t;
      }
  g_test_message ("month timeline (43080 segments → 120 spans): median %.1f ms, worst %.1f ms over 20 runs",
                  times[10] / 1000.0, times[20] / 1000.0);
  g_print ("# month timeline: median %.1f ms, worst %.1f ms\n", times[10] / 1000.0, times[20] / 1000.0);
}

static void
setup_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autofree char *dsn = NULL;
  VgMigrationRun run = { 0 };

  tmp_dir = g_dir_make_tmp ("vigie-index-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (tmp_dir, 0711);
  cluster = vg_pg_cluster_new (tmp_dir);
  vg_pg_cluster_set_fsync (cluster, FALSE);
  vg_pg_cluster_start_async (cluster, NULL, store_result, &started);
  wait_for (&started);
  if (!vg_pg_cluster_start_finish (cluster, started, &error))
    g_error ("cluster: %s", error->message);

  dsn = vg_pg_cluster_get_dsn (cluster);
  database = vg_database_new (dsn);
  g_assert_true (vg_database_run_sync (database, vg_migrations_apply, &run, &error));
  g_assert_no_error (error);
  {
    g_autoptr(VgDbResult) disk = exec_sql ("INSERT INTO storage_disks (path) VALUES ('/srv/video')");
    g_autoptr(VgDbResult) camera = exec_sql ("INSERT INTO cameras (name) VALUES ('Index test') RETURNING id");
    camera_id = vg_db_result_get_int (camera, 0, "id");
  }
}

static void
teardown_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) rm = NULL;

  vg_database_close (database);
  g_clear_object (&database);
  vg_pg_cluster_stop (cluster, &error);
  g_clear_object (&cluster);
  rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", tmp_dir, NULL);
  g_subprocess_wait (rm, NULL, NULL);
  g_free (tmp_dir);
}

int
main (int argc, char **argv)
{
  gboolean bench = argc > 1 && g_str_equal (argv[argc - 1], "--bench");
  int status;

  if (bench)
    argc--;
  g_test_init (&argc, &argv, NULL);
  setup_database ();
  if (bench)
    g_test_add_func ("/recording-index/bench-month-timeline", bench_month_timeline);
  else
    {
      g_test_add_func ("/recording-index/spans-and-gaps", test_spans_and_gaps);
      g_test_add_func ("/recording-index/database-outage", test_database_outage);
    }
  status = g_test_run ();
  teardown_database ();
  return status;
}
