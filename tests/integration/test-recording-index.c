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
  VgDbParams *params;
  VgDbResult *rows;
} Exec;

static gboolean
exec_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Exec *exec = data;

  exec->rows = vg_db_exec (conn, exec->sql, exec->params, error);
  return exec->rows != NULL;
}

static VgDbResult *
exec_sql_params (const char *sql, VgDbParams *params)
{
  g_autoptr(GError) error = NULL;
  Exec exec = { sql, params, NULL };

  g_assert_true (vg_database_run_sync (database, exec_job, &exec, &error));
  g_assert_no_error (error);
  return exec.rows;
}

static VgDbResult *
exec_sql (const char *sql)
{
  return exec_sql_params (sql, NULL);
}

static void
put_stream_segment (VgRecordingIndex *index, const char *stream, const char *path,
                    gint64 start_us, gint64 end_us, gboolean open)
{
  guint8 packed[] = { 1, 2, 3 };
  g_autoptr(GBytes) keyframes = g_bytes_new (packed, sizeof packed);
  VgSegmentInfo info = {
    .camera_id = camera_id, .stream = (char *) stream, .disk_id = 1, .path = (char *) path,
    .start_us = start_us, .end_us = end_us, .bytes = 1000, .frames = 25, .keyframes = keyframes,
    .open = open,
  };

  vg_recording_index_put (index, &info);
}

static void
put_segment (VgRecordingIndex *index, const char *path, gint64 start_us, gint64 end_us)
{
  put_stream_segment (index, "main", path, start_us, end_us, FALSE);
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
query_stream (VgRecordingIndex *index, const char *stream, gint64 start_us, gint64 end_us,
              GArray **spans, GArray **gaps)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vg_recording_index_query_spans_async (index, camera_id, stream, start_us, end_us, NULL,
                                        store_result, &result);
  wait_for (&result);
  g_assert_true (vg_recording_index_query_spans_finish (index, result, spans, gaps, &error));
  g_assert_no_error (error);
}

static void
query (VgRecordingIndex *index, gint64 start_us, gint64 end_us, GArray **spans, GArray **gaps)
{
  query_stream (index, "main", start_us, end_us, spans, gaps);
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

static void
delete_segment (const char *path)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_string (params, path);
  rows = exec_sql_params ("DELETE FROM recording_segments WHERE disk_id = 1 AND path = $1", params);
  g_assert_cmpint (vg_db_result_get_n_affected (rows), ==, 1);
}

static void
flush_ok (VgRecordingIndex *index)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (flush (index, &error));
  g_assert_no_error (error);
}

#define SEC (G_GINT64_CONSTANT (1000000))
#define TC (T0 + 1000 * MIN_US)

/* The merge rules, case by case: holes up to the tolerance, overlaps, a segment being
 * written that grows over a hole, one that shrinks, deletions in a span and at its head. */
static void
test_merge_cases (void)
{
  g_autoptr(VgRecordingIndex) index = vg_recording_index_new (database);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;

  put_stream_segment (index, "cases", "c/a.mkv", TC, TC + 60 * SEC, FALSE);
  /* a hole of exactly the tolerance: no gap */
  put_stream_segment (index, "cases", "c/b.mkv", TC + 60 * SEC + VG_RECORDING_GAP_TOLERANCE_US,
                      TC + 120 * SEC, FALSE);
  /* a hole of 1 µs more: a gap */
  put_stream_segment (index, "cases", "c/c.mkv", TC + 120 * SEC + VG_RECORDING_GAP_TOLERANCE_US + 1,
                      TC + 180 * SEC, FALSE);
  /* overlapping: a long segment, one inside it, one across its end */
  put_stream_segment (index, "cases", "c/d.mkv", TC + 300 * SEC, TC + 600 * SEC, FALSE);
  put_stream_segment (index, "cases", "c/e.mkv", TC + 310 * SEC, TC + 320 * SEC, FALSE);
  put_stream_segment (index, "cases", "c/f.mkv", TC + 590 * SEC, TC + 650 * SEC, FALSE);
  /* a segment being written, and the next one after a hole */
  put_stream_segment (index, "cases", "c/g.mkv", TC + 700 * SEC, TC + 710 * SEC, TRUE);
  put_stream_segment (index, "cases", "c/h.mkv", TC + 760 * SEC, TC + 800 * SEC, FALSE);
  flush_ok (index);

  query_stream (index, "cases", TC - 10 * SEC, TC + 810 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 5);
  assert_range (spans, 0, TC, TC + 120 * SEC);
  assert_range (spans, 1, TC + 120 * SEC + VG_RECORDING_GAP_TOLERANCE_US + 1, TC + 180 * SEC);
  assert_range (spans, 2, TC + 300 * SEC, TC + 650 * SEC);
  assert_range (spans, 3, TC + 700 * SEC, TC + 710 * SEC);
  assert_range (spans, 4, TC + 760 * SEC, TC + 800 * SEC);
  g_assert_cmpuint (gaps->len, ==, 6);
  assert_range (gaps, 0, TC - 10 * SEC, TC);
  assert_range (gaps, 1, TC + 120 * SEC, TC + 120 * SEC + VG_RECORDING_GAP_TOLERANCE_US + 1);
  assert_range (gaps, 5, TC + 800 * SEC, TC + 810 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* Clipped at both ends, inside a span. */
  query_stream (index, "cases", TC + 30 * SEC, TC + 400 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 3);
  assert_range (spans, 0, TC + 30 * SEC, TC + 120 * SEC);
  assert_range (spans, 2, TC + 300 * SEC, TC + 400 * SEC);
  g_assert_cmpuint (gaps->len, ==, 2);
  assert_range (gaps, 1, TC + 180 * SEC, TC + 300 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* The open segment grows to 1 s before the next one: one span. */
  put_stream_segment (index, "cases", "c/g.mkv", TC + 700 * SEC, TC + 759 * SEC, TRUE);
  flush_ok (index);
  query_stream (index, "cases", TC + 690 * SEC, TC + 810 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 1);
  assert_range (spans, 0, TC + 700 * SEC, TC + 800 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* It is closed shorter (what recovery found in the file): the hole comes back. */
  put_stream_segment (index, "cases", "c/g.mkv", TC + 700 * SEC, TC + 720 * SEC, FALSE);
  flush_ok (index);
  query_stream (index, "cases", TC + 690 * SEC, TC + 810 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 2);
  assert_range (spans, 0, TC + 700 * SEC, TC + 720 * SEC);
  assert_range (spans, 1, TC + 760 * SEC, TC + 800 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* The long segment is deleted: what overlapped it is two spans now. */
  delete_segment ("c/d.mkv");
  query_stream (index, "cases", TC + 290 * SEC, TC + 660 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 2);
  assert_range (spans, 0, TC + 310 * SEC, TC + 320 * SEC);
  assert_range (spans, 1, TC + 590 * SEC, TC + 650 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* The oldest segment is purged: its span loses its head. */
  delete_segment ("c/a.mkv");
  query_stream (index, "cases", TC - 10 * SEC, TC + 121 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 1);
  assert_range (spans, 0, TC + 60 * SEC + VG_RECORDING_GAP_TOLERANCE_US, TC + 120 * SEC);
  g_clear_pointer (&spans, g_array_unref);
  g_clear_pointer (&gaps, g_array_unref);

  /* A span's last segment goes: the span goes. */
  delete_segment ("c/c.mkv");
  query_stream (index, "cases", TC + 121 * SEC, TC + 200 * SEC, &spans, &gaps);
  g_assert_cmpuint (spans->len, ==, 0);
  g_assert_cmpuint (gaps->len, ==, 1);
  assert_range (gaps, 0, TC + 121 * SEC, TC + 200 * SEC);
}

/* The tolerance the database merges with is the one the header announces. */
static void
test_tolerance_agrees (void)
{
  g_autoptr(VgDbResult) rows =
    exec_sql ("SELECT (extract(epoch FROM vg_recording_gap_tolerance()) * 1000000)::bigint AS us");

  g_assert_cmpint (vg_db_result_get_int (rows, 0, "us"), ==, VG_RECORDING_GAP_TOLERANCE_US);
}

typedef struct
{
  char   *path;
  gint64  start_us;
  gint64  end_us;
} LiveSegment;

static void
live_segment_free (LiveSegment *segment)
{
  g_free (segment->path);
  g_free (segment);
}

static int
compare_live (gconstpointer a, gconstpointer b)
{
  const LiveSegment *x = *(LiveSegment **) a, *y = *(LiveSegment **) b;

  if (x->start_us != y->start_us)
    return x->start_us < y->start_us ? -1 : 1;
  return x->end_us < y->end_us ? -1 : x->end_us > y->end_us;
}

static int
compare_ranges (gconstpointer a, gconstpointer b)
{
  const VgTimeRange *x = a, *y = b;

  if (x->start_us != y->start_us)
    return x->start_us < y->start_us ? -1 : 1;
  return x->end_us < y->end_us ? -1 : x->end_us > y->end_us;
}

/* The spans of the segments, computed here in the plainest way. */
static GArray *
reference_spans (GPtrArray *live)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (VgTimeRange));
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (VgTimeRange), live->len);

  for (guint i = 0; i < live->len; i++)
    {
      const LiveSegment *segment = live->pdata[i];

      g_array_append_val (sorted, ((VgTimeRange) { segment->start_us, segment->end_us }));
    }
  g_array_sort (sorted, compare_ranges);
  for (guint i = 0; i < sorted->len; i++)
    {
      const VgTimeRange *segment = &g_array_index (sorted, VgTimeRange, i);
      VgTimeRange *last = spans->len ? &g_array_index (spans, VgTimeRange, spans->len - 1) : NULL;

      if (last && segment->start_us <= last->end_us + VG_RECORDING_GAP_TOLERANCE_US)
        last->end_us = MAX (last->end_us, segment->end_us);
      else
        g_array_append_val (spans, *segment);
    }
  /* An empty span (a segment with no duration alone) is not shown. */
  for (guint i = spans->len; i > 0; i--)
    if (g_array_index (spans, VgTimeRange, i - 1).end_us == g_array_index (spans, VgTimeRange, i - 1).start_us)
      g_array_remove_index (spans, i - 1);
  return spans;
}

static void
assert_spans_match (VgRecordingIndex *index, GPtrArray *live, gint64 from_us, gint64 to_us)
{
  g_autoptr(GArray) expected = reference_spans (live);
  g_autoptr(GArray) spans = NULL;

  flush_ok (index);
  query_stream (index, "random", from_us, to_us, &spans, NULL);
  g_assert_cmpuint (spans->len, ==, expected->len);
  for (guint i = 0; i < spans->len; i++)
    assert_range (spans, i, g_array_index (expected, VgTimeRange, i).start_us,
                  g_array_index (expected, VgTimeRange, i).end_us);
}

static void
random_step (VgRecordingIndex *index, GRand *rand, GPtrArray *live, guint *serial)
{
  const gint64 holes[] = { 0, 500000, VG_RECORDING_GAP_TOLERANCE_US, VG_RECORDING_GAP_TOLERANCE_US + 1,
                           5 * SEC, -2 * SEC };
  guint op = live->len < 4 ? 0 : (guint) g_rand_int_range (rand, 0, 10);
  LiveSegment *segment;

  if (op <= 4)
    {
      /* A new segment, after a random one (holes around the tolerance) or anywhere. */
      const LiveSegment *after = live->len ? live->pdata[g_rand_int_range (rand, 0, live->len)] : NULL;

      segment = g_new0 (LiveSegment, 1);
      segment->path = g_strdup_printf ("r/%u.mkv", (*serial)++);
      segment->start_us = after && op < 4
        ? after->end_us + holes[g_rand_int_range (rand, 0, G_N_ELEMENTS (holes))]
        : TC + g_rand_int_range (rand, 0, 3600) * SEC;
      segment->end_us = segment->start_us + g_rand_int_range (rand, 0, 120) * SEC;
      g_ptr_array_add (live, segment);
      put_stream_segment (index, "random", segment->path, segment->start_us, segment->end_us, TRUE);
    }
  else if (op <= 6)
    {
      /* A segment grows or shrinks. */
      gint64 change = g_rand_int_range (rand, -30, 60) * SEC;

      segment = live->pdata[g_rand_int_range (rand, 0, live->len)];
      segment->end_us = MAX (segment->start_us, segment->end_us + change);
      put_stream_segment (index, "random", segment->path, segment->start_us, segment->end_us, FALSE);
    }
  else if (op <= 8)
    {
      /* Any segment is deleted. */
      flush_ok (index);
      segment = live->pdata[g_rand_int_range (rand, 0, live->len)];
      delete_segment (segment->path);
      g_ptr_array_remove_fast (live, segment);
    }
  else
    {
      /* The oldest ones are purged in one statement (retention). */
      g_autoptr(VgDbParams) params = vg_db_params_new ();
      g_autoptr(VgDbResult) rows = NULL;
      gint64 before;

      flush_ok (index);
      g_ptr_array_sort (live, compare_live);
      before = ((LiveSegment *) live->pdata[MIN (live->len - 1, 3)])->start_us;
      vg_db_params_add_int (params, before);
      rows = exec_sql_params ("DELETE FROM recording_segments WHERE stream = 'random' "
                              "AND start_time < 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'",
                              params);
      for (guint i = live->len; i > 0; i--)
        if (((LiveSegment *) live->pdata[i - 1])->start_us < before)
          g_ptr_array_remove_index (live, i - 1);
    }
}

/* Random inserts, growths, shrinks, deletions and purges: the spans the database
 * keeps are always those of the segments left. */
static void
test_spans_random (void)
{
  g_autoptr(VgRecordingIndex) index = vg_recording_index_new (database);
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_segment_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  guint serial = 0;

  for (int round = 0; round < 40; round++)
    {
      for (int step = 0; step < 15; step++)
        random_step (index, rand, live, &serial);
      assert_spans_match (index, live, TC - 3600 * SEC, TC + 3 * 3600 * SEC);
    }
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
      g_test_add_func ("/recording-index/merge-cases", test_merge_cases);
      g_test_add_func ("/recording-index/tolerance-agrees", test_tolerance_agrees);
      g_test_add_func ("/recording-index/spans-random", test_spans_random);
      g_test_add_func ("/recording-index/database-outage", test_database_outage);
    }
  status = g_test_run ();
  teardown_database ();
  return status;
}
