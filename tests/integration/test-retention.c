/* test-retention.c: VgRetention on a real PostgreSQL and real files: retention per
 * camera, proportional purge of a disk over its limit, protected ranges kept, open
 * segments kept, manual deletion (REC-8, REC-9).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-database.h"
#include "vg-error.h"
#include "vg-migrations.h"
#include "vg-pg-cluster.h"
#include "vg-retention.h"
#include "vg-storage.h"

#include <glib/gstdio.h>
#include <string.h>

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define SEGMENT_BYTES 1000

static char *tmp_dir;
static char *disk_dir;
static VgPgCluster *cluster;
static VgDatabase *database;
static VgStorage *storage;

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
exec_sql (const char *sql, VgDbParams *params)
{
  g_autoptr(GError) error = NULL;
  Exec exec = { sql, params, NULL };

  g_assert_true (vg_database_run_sync (database, exec_job, &exec, &error));
  g_assert_no_error (error);
  vg_db_params_free (params);
  return exec.rows;
}

static gint64
sql_int (const char *sql)
{
  g_autoptr(VgDbResult) rows = exec_sql (sql, NULL);

  return vg_db_result_get_int (rows, 0, "n");
}

static gint64
create_camera (const char *name, int retention_days)
{
  g_autoptr(VgDbResult) rows = exec_sql ("INSERT INTO cameras (name, retention_days) VALUES ($1, $2) RETURNING id",
                                         vg_db_params_add_int (vg_db_params_add_string (vg_db_params_new (), name),
                                                               retention_days));
  return vg_db_result_get_int (rows, 0, "id");
}

/* One segment a day for days, ending age_days ago…now, each a real file. */
static void
add_segments (gint64 camera_id, int days)
{
  gint64 now = g_get_real_time ();
  VgDisk *disk = vg_storage_get_default_disk (storage);

  for (int age = 0; age < days; age++)
    {
      gint64 start = now - (age + 1) * DAY_US + G_USEC_PER_SEC;
      g_autofree char *relative = vg_storage_segment_path (camera_id, "main", start);
      g_autofree char *path = vg_disk_resolve (disk, relative);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *zeros = g_malloc0 (SEGMENT_BYTES);
      VgDbParams *params = vg_db_params_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(VgDbResult) rows = NULL;

      g_mkdir_with_parents (dir, 0750);
      g_file_set_contents (path, zeros, SEGMENT_BYTES, &error);
      g_assert_no_error (error);
      vg_db_params_add_int (params, camera_id);
      vg_db_params_add_int (params, disk->id);
      vg_db_params_add_string (params, relative);
      vg_db_params_add_int (params, start);
      vg_db_params_add_int (params, start + DAY_US - 2 * G_USEC_PER_SEC);
      vg_db_params_add_int (params, SEGMENT_BYTES);
      rows = exec_sql ("INSERT INTO recording_segments (camera_id, stream, disk_id, path, start_time, end_time, "
                       "  bytes, frames, keyframes) VALUES ($1, 'main', $2, $3, to_timestamp($4::bigint / 1e6), "
                       "  to_timestamp($5::bigint / 1e6), $6, 1, '\\x00')", params);
    }
}

/* Ages (in whole days) of the camera's remaining segments, oldest first, and a check
 * that rows and files agree. */
static GArray *
remaining_ages (gint64 camera_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT path, (extract(epoch FROM now() - end_time) / 86400)::int AS age "
                                          "FROM recording_segments WHERE camera_id = %" G_GINT64_FORMAT
                                          " ORDER BY end_time", camera_id);
  g_autoptr(VgDbResult) rows = exec_sql (sql, NULL);
  GArray *ages = g_array_new (FALSE, FALSE, sizeof (int));
  VgDisk *disk = vg_storage_get_default_disk (storage);

  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    {
      int age = (int) vg_db_result_get_int (rows, row, "age");
      g_autofree char *path = vg_disk_resolve (disk, vg_db_result_get_string (rows, row, "path"));

      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      g_array_append_val (ages, age);
    }
  return ages;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      n += g_file_test (path, G_FILE_TEST_IS_DIR) ? count_files (path) : 1;
    }
  return n;
}

static VgPurgeReport
run_pass (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgRetention) retention = vg_retention_new (database, storage);
  VgPurgeReport report = { 0 };

  vg_retention_run_async (retention, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (vg_retention_run_finish (retention, result, &report, &error));
  g_assert_no_error (error);
  return report;
}

static void
reload_storage (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vg_storage_load_async (storage, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (vg_storage_load_finish (storage, result, &error));
}

static void
test_retention (void)
{
  gint64 short_cam = create_camera ("Ten days", 10);
  gint64 long_cam = create_camera ("Thirty days", 30);
  g_autoptr(GArray) short_ages = NULL;
  g_autoptr(GArray) long_ages = NULL;
  VgPurgeReport report;
  int short_oldest, long_oldest;

  add_segments (short_cam, 40);
  add_segments (long_cam, 40);

  /* Most of days 20–22 ago of the short camera are protected (they touch the segments
   * of ages 20 and 21); and the oldest segment of the long one is still open. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO protected_ranges (camera_id, start_time, end_time) VALUES "
                                            "(%" G_GINT64_FORMAT ", now() - interval '22 days' + interval '1 hour', "
                                            " now() - interval '20 days' - interval '1 hour')", short_cam);
    g_autoptr(VgDbResult) done = exec_sql (sql, NULL);
  }
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE recording_segments SET open = true WHERE camera_id = %" G_GINT64_FORMAT
                                            " AND end_time = (SELECT min(end_time) FROM recording_segments WHERE camera_id = %"
                                            G_GINT64_FORMAT ")", long_cam, long_cam);
    g_autoptr(VgDbResult) done = exec_sql (sql, NULL);
  }

  /* 1. Retention: 10 and 30 days, protected and open segments kept. */
  report = run_pass ();
  short_ages = remaining_ages (short_cam);
  long_ages = remaining_ages (long_cam);
  g_test_message ("by age: %u segments; short keeps %u, long keeps %u", report.segments, short_ages->len, long_ages->len);
  g_assert_cmpuint (short_ages->len, ==, 10 + 2);   /* ages 0–9, and the protected 20 and 21 */
  g_assert_cmpuint (long_ages->len, ==, 30 + 1);    /* ages 0–29, and the open one */
  g_assert_cmpuint (report.by_age, ==, 40 - 12 + 40 - 31);
  g_assert_cmpuint (report.bytes, ==, (guint64) report.segments * SEGMENT_BYTES);
  g_assert_cmpuint (count_files (disk_dir), ==, 12 + 31);
  g_assert_cmpint (sql_int ("SELECT count(*) AS n FROM camera_log WHERE kind = 'purge'"), ==, 2);

  /* 2. The disk over its quota: purge in proportion to each camera's retention. */
  {
    g_autoptr(VgDbResult) done = exec_sql ("UPDATE storage_disks SET max_bytes = 20000", NULL);
  }
  reload_storage ();
  report = run_pass ();
  g_clear_pointer (&short_ages, g_array_unref);
  g_clear_pointer (&long_ages, g_array_unref);
  short_ages = remaining_ages (short_cam);
  long_ages = remaining_ages (long_cam);
  g_test_message ("by space: %u segments; short keeps %u, long keeps %u", report.by_space, short_ages->len, long_ages->len);
  g_assert_cmpuint (report.by_space, >, 0);
  g_assert_cmpint (sql_int ("SELECT sum(bytes) AS n FROM recording_segments"), <=, 20000);
  /* Protected and open segments are still there… */
  g_assert_cmpint (sql_int ("SELECT count(*) AS n FROM recording_segments r JOIN protected_ranges p "
                            "ON p.camera_id = r.camera_id AND p.start_time < r.end_time AND p.end_time > r.start_time"), ==, 2);
  g_assert_cmpint (sql_int ("SELECT count(*) AS n FROM recording_segments WHERE open"), ==, 1);
  /* …and among the others, each camera kept about the same share of its retention. */
  short_oldest = 0;
  for (guint i = 0; i < short_ages->len; i++)
    if (g_array_index (short_ages, int, i) < 20)
      short_oldest = MAX (short_oldest, g_array_index (short_ages, int, i));
  long_oldest = 0;
  for (guint i = 0; i < long_ages->len; i++)
    if (g_array_index (long_ages, int, i) < 35)
      long_oldest = MAX (long_oldest, g_array_index (long_ages, int, i));
  g_test_message ("oldest kept: %d of 10 days, %d of 30 days", short_oldest, long_oldest);
  g_assert_cmpfloat (ABS (short_oldest / 10.0 - long_oldest / 30.0), <=, 0.15);

  /* 3. Manual deletion of everything but the last 2 days of the long camera. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(VgRetention) retention = vg_retention_new (database, storage);
    VgPurgeReport manual;

    vg_retention_delete_async (retention, long_cam, g_get_real_time () - 2 * DAY_US, NULL, store_result, &result);
    wait_for (&result);
    g_assert_true (vg_retention_delete_finish (retention, result, &manual, &error));
    g_clear_pointer (&long_ages, g_array_unref);
    long_ages = remaining_ages (long_cam);
    /* What is left: the last two days, and the open segment (age 39). */
    for (guint i = 0; i < long_ages->len; i++)
      if (g_array_index (long_ages, int, i) >= 2)
        g_assert_cmpint (g_array_index (long_ages, int, i), ==, 39);
    g_assert_cmpint (sql_int ("SELECT count(*) AS n FROM recording_segments WHERE open"), ==, 1);
  }
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autofree char *dsn = NULL;
  const char *disks[2] = { NULL, NULL };
  VgMigrationRun run = { 0 };

  tmp_dir = g_dir_make_tmp ("vigie-retention-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (tmp_dir, 0711);
  disk_dir = g_build_filename (tmp_dir, "disk1", NULL);
  cluster = vg_pg_cluster_new (tmp_dir);
  vg_pg_cluster_set_fsync (cluster, FALSE);
  vg_pg_cluster_start_async (cluster, NULL, store_result, &started);
  wait_for (&started);
  if (!vg_pg_cluster_start_finish (cluster, started, &error))
    g_error ("cluster: %s", error->message);
  dsn = vg_pg_cluster_get_dsn (cluster);
  database = vg_database_new (dsn);
  g_assert_true (vg_database_run_sync (database, vg_migrations_apply, &run, &error));
  disks[0] = disk_dir;
  storage = vg_storage_new (database, disks);
  reload_storage ();
}

static void
teardown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) rm = NULL;

  g_clear_object (&storage);
  vg_database_close (database);
  g_clear_object (&database);
  vg_pg_cluster_stop (cluster, &error);
  g_clear_object (&cluster);
  rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", tmp_dir, NULL);
  g_subprocess_wait (rm, NULL, NULL);
  g_free (tmp_dir);
  g_free (disk_dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setup ();
  g_test_add_func ("/retention/age-space-protection-manual", test_retention);
  status = g_test_run ();
  teardown ();
  return status;
}
