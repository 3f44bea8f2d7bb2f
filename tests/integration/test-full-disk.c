/* test-full-disk.c: recording never stops because a disk is full (REC-8, REC-9).
 * A real node records simulated cameras on a small tmpfs data disk that really fills
 * up (ENOSPC): the node keeps running, the oldest unprotected video is purged at once,
 * recording goes on, a protected range survives, and the index matches the files.
 * Needs the right to mount a tmpfs (root or CAP_SYS_ADMIN); skipped otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-database.h"
#include "vg-pg-cluster.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

/* Two 4 Mbit/s cameras (~1 MB/s together) fill it in about 12 s. */
#define DISK_SIZE "12m"
#define N_CAMERAS 2
#define RECORD_AFTER_FULL_S 20

static char *mount_parent;
static char *mount_dir;

/* A real file system of DISK_SIZE, or NULL (and why) where mounting is not allowed.
 * It is mounted in a mount namespace of this test (the node and its PostgreSQL, our
 * children, see it; nobody else does), so that it goes away with the test. */
static char *
mount_small_disk (const char *parent, char **why)
{
  g_autofree char *dir = g_build_filename (parent, "disk", NULL);

  g_mkdir_with_parents (dir, 0755);
  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      *why = g_strdup_printf ("cannot have a mount namespace here (%s): this test needs root or "
                              "CAP_SYS_ADMIN", g_strerror (errno));
      return NULL;
    }
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=" DISK_SIZE ",mode=0755") != 0)
    {
      *why = g_strdup_printf ("cannot mount a tmpfs here (%s): this test needs root or CAP_SYS_ADMIN",
                              g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

static void
unmount_small_disk (void)
{
  if (mount_dir && umount2 (mount_dir, MNT_DETACH) != 0)
    g_warning ("umount %s: %s", mount_dir, g_strerror (errno));
  g_clear_pointer (&mount_dir, g_free);
  if (mount_parent)
    {
      g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", mount_parent, NULL);

      if (rm)
        g_subprocess_wait (rm, NULL, NULL);
    }
  g_clear_pointer (&mount_parent, g_free);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* The node's PostgreSQL cluster, alone (after the node stopped). */
static void
start_cluster (VgPgCluster *cluster)
{
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GError) error = NULL;

  vg_pg_cluster_start_async (cluster, NULL, store_result, &started);
  vg_test_wait (&started);
  g_assert_true (vg_pg_cluster_start_finish (cluster, started, &error));
  g_assert_no_error (error);
}

static gint64
add_camera (VgApiClient *admin, VgTestSim *sim, guint sim_camera)
{
  g_autofree char *url = vg_test_sim_url (sim, sim_camera, "main");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Full %u\", \"streams\": [{\"name\": \"main\", "
                                           "\"url\": \"%s\", \"roles\": [\"record\"]}]}", sim_camera, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static void
protect (VgApiClient *admin, gint64 camera_id, gint64 start_us, gint64 end_us)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (start_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc ((end_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  g_autofree char *start_text = g_date_time_format_iso8601 (start);
  g_autofree char *end_text = g_date_time_format_iso8601 (end);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/protections", camera_id);
  g_autofree char *json = g_strdup_printf ("{\"start\": \"%s\", \"end\": \"%s\", \"comment\": \"kept\"}",
                                           start_text, end_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", path, json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
}

/* The node's index, read directly from its database */

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
query_node (VgDatabase *database, const char *sql, VgDbParams *params)
{
  g_autoptr(GError) error = NULL;
  Exec exec = { sql, params, NULL };

  g_assert_true (vg_database_run_sync (database, exec_job, &exec, &error));
  g_assert_no_error (error);
  return exec.rows;
}

#define SEGMENT_COLUMNS \
  "SELECT id, camera_id, path, bytes, open, " \
  "  (extract(epoch FROM start_time) * 1000000)::bigint AS start_us, " \
  "  (extract(epoch FROM end_time) * 1000000)::bigint AS end_us FROM recording_segments "

/* The first segment of a camera once it is closed (the one protected). */
static gboolean
first_segment_closed (VgDatabase *database, gint64 camera_id, gint64 *start_us, gint64 *end_us)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_int (params, camera_id);
  rows = query_node (database, SEGMENT_COLUMNS "WHERE camera_id = $1 ORDER BY start_time LIMIT 1", params);
  if (vg_db_result_get_n_rows (rows) == 0 || vg_db_result_get_boolean (rows, 0, "open"))
    return FALSE;
  *start_us = vg_db_result_get_int (rows, 0, "start_us");
  *end_us = vg_db_result_get_int (rows, 0, "end_us");
  return TRUE;
}

static gboolean
disk_is_full (void)
{
  struct statvfs st;

  return statvfs (mount_dir, &st) == 0 && st.f_bavail * st.f_frsize < 1024 * 1024;
}

static gchar *
read_log (VgTestNode *node)
{
  g_autofree char *log = NULL;
  g_autofree char *problems = NULL;

  g_file_get_contents (node->log_path, &log, NULL, NULL);
  return g_steal_pointer (&log);
}

/* Share of the last `seconds` before `until_us` that the camera's segments cover. */
static double
recorded_share (VgDatabase *database, gint64 camera_id, gint64 until_us, int seconds)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_int (params, camera_id);
  vg_db_params_add_int (params, until_us - (gint64) seconds * G_USEC_PER_SEC);
  vg_db_params_add_int (params, until_us);
  rows = query_node (database,
    "SELECT COALESCE(sum(extract(epoch FROM "
    "  least(end_time, 'epoch'::timestamptz + $3::bigint * interval '1 microsecond') - "
    "  greatest(start_time, 'epoch'::timestamptz + $2::bigint * interval '1 microsecond')) * 1000000), 0)::bigint AS n "
    "FROM recording_segments WHERE camera_id = $1 "
    "AND end_time > 'epoch'::timestamptz + $2::bigint * interval '1 microsecond' "
    "AND start_time < 'epoch'::timestamptz + $3::bigint * interval '1 microsecond'", params);
  return vg_db_result_get_int (rows, 0, "n") / ((double) seconds * G_USEC_PER_SEC);
}

static gint64
latest_end_us (VgDatabase *database, gint64 camera_id)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_int (params, camera_id);
  rows = query_node (database, "SELECT COALESCE((extract(epoch FROM max(end_time)) * 1000000)::bigint, 0) AS n "
                               "FROM recording_segments WHERE camera_id = $1", params);
  return vg_db_result_get_int (rows, 0, "n");
}

/* Every row has its file, of the size indexed; every file has its row. What differs
 * is returned as text (NULL: nothing), so that the test stops the cluster first. */
static char *
compare_index_and_files (VgDatabase *database)
{
  g_autoptr(VgDbResult) rows = query_node (database, SEGMENT_COLUMNS "ORDER BY id", NULL);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) find = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTableIter iter;
  gpointer orphan;

  find = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "find", mount_dir, "-type", "f",
                           "-name", "*.mkv", "-printf", "%P\\n", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (find, NULL, NULL, &listing, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      g_hash_table_add (files, g_strdup (lines[i]));

  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    {
      const char *path = vg_db_result_get_string (rows, row, "path");
      g_autofree char *full = g_build_filename (mount_dir, path, NULL);
      gint64 bytes = vg_db_result_get_int (rows, row, "bytes");
      GStatBuf st;

      if (g_stat (full, &st) != 0)
        g_string_append_printf (problems, "indexed segment %s has no file; ", path);
      else if ((gint64) st.st_size != bytes)
        g_string_append_printf (problems, "%s: %" G_GINT64_FORMAT " bytes indexed, %" G_GINT64_FORMAT
                                " in the file; ", path, bytes, (gint64) st.st_size);
      if (vg_db_result_get_boolean (rows, row, "open"))
        g_string_append_printf (problems, "%s still open after the node stopped; ", path);
      g_hash_table_remove (files, path);
    }
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &orphan, NULL))
    g_string_append_printf (problems, "file %s has no index row; ", (const char *) orphan);
  g_test_message ("index: %d segments, files without a row: %u", vg_db_result_get_n_rows (rows),
                  g_hash_table_size (files));
  return problems->len ? g_string_free (g_steal_pointer (&problems), FALSE) : NULL;
}

static void
test_full_disk (void)
{
  g_autoptr(VgTestSim) sim = NULL;
  g_autoptr(VgTestNode) node = NULL;
  g_autoptr(VgApiClient) admin = NULL;
  g_autoptr(VgPgCluster) cluster = NULL;
  g_autoptr(VgDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *dsn = NULL;
  g_autofree char *why = NULL;
  g_autofree char *problems = NULL;
  g_autofree char *log = NULL;
  gint64 cameras[N_CAMERAS];
  gint64 protected_start = 0, protected_end = 0, full_at, deadline;

  mount_parent = g_dir_make_tmp ("vigie-full-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (mount_parent, 0711);
  mount_dir = mount_small_disk (mount_parent, &why);
  if (mount_dir == NULL)
    {
      g_test_skip (why);
      return;
    }

  sim = vg_test_sim_start (N_CAMERAS, &error);
  g_assert_no_error (error);
  /* No periodic purge during the test: only the disk filling up may start one. */
  config = g_strdup_printf ("[recording]\nsegment-seconds=2\n\n[storage]\ndisks=%s\nretention-interval=3600\n",
                            mount_dir);
  node = vg_test_node_new (config);
  g_assert_true (vg_test_node_start (node, &error));
  g_assert_no_error (error);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  cluster = vg_pg_cluster_new (node->data_dir);
  dsn = vg_pg_cluster_get_dsn (cluster);
  database = vg_database_new (dsn);

  for (guint i = 0; i < N_CAMERAS; i++)
    cameras[i] = add_camera (admin, sim, i + 1);

  /* The first closed segment of camera 1 is protected. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!first_segment_closed (database, cameras[0], &protected_start, &protected_end))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      vg_test_sleep_ms (200);
    }
  protect (admin, cameras[0], protected_start, protected_end);

  /* The disk fills up for real. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!disk_is_full ())
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the %s disk never filled up", DISK_SIZE);
      vg_test_sleep_ms (100);
    }
  full_at = g_get_real_time ();
  g_test_message ("disk full");
  vg_test_sleep_ms (RECORD_AFTER_FULL_S * 1000);

  /* The node ran into ENOSPC, lives on, purged, and records. */
  log = read_log (node);
  g_assert_nonnull (strstr (log, "No space left on device"));
  {
    guint times = 0;

    for (const char *p = strstr (log, "is full: purging now"); p; p = strstr (p + 1, "is full: purging now"))
      times++;
    g_test_message ("ENOSPC met %u times in %d s, each followed by a purge", times, RECORD_AFTER_FULL_S);
  }
  g_assert_nonnull (strstr (log, "for space"));
  {
    g_autoptr(JsonNode) health = NULL;
    guint status = 0;

    health = vg_test_request (admin, "GET", "/api/v1/health", NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 200);
  }
  for (guint i = 0; i < N_CAMERAS; i++)
    {
      gint64 latest = latest_end_us (database, cameras[i]);

      g_test_message ("camera %u: recorded until %.1f s after the disk filled up, %.0f %% of its last 8 s",
                      i + 1, (latest - full_at) / 1e6, 100 * recorded_share (database, cameras[i], latest, 8));
      g_assert_cmpint (latest, >, full_at + (RECORD_AFTER_FULL_S - 4) * G_USEC_PER_SEC);
    }
  {
    g_autoptr(VgDbParams) params = vg_db_params_new ();
    g_autoptr(VgDbResult) rows = NULL;

    /* The oldest unprotected video went; the protected segment stayed. */
    vg_db_params_add_int (params, cameras[1]);
    vg_db_params_add_int (params, protected_end);
    rows = query_node (database, "SELECT count(*) AS n FROM recording_segments WHERE camera_id = $1 "
                                 "AND end_time <= 'epoch'::timestamptz + $2::bigint * interval '1 microsecond'",
                       params);
    g_assert_cmpint (vg_db_result_get_int (rows, 0, "n"), ==, 0);
  }
  {
    gint64 start = 0, end = 0;

    g_assert_true (first_segment_closed (database, cameras[0], &start, &end));
    g_assert_cmpint (start, ==, protected_start);
    g_assert_cmpint (end, ==, protected_end);
  }

  /* Stopped cleanly, the node leaves an index that matches the disk. */
  vg_database_close (database);
  g_clear_object (&database);
  g_assert_cmpint (vg_test_node_stop (node), ==, 0);
  start_cluster (cluster);
  database = vg_database_new (dsn);
  problems = compare_index_and_files (database);
  vg_database_close (database);
  g_assert_true (vg_pg_cluster_stop (cluster, &error));
  g_assert_cmpstr (problems, ==, NULL);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/full-disk/records-on", test_full_disk);
  status = g_test_run ();
  unmount_small_disk ();
  return status;
}
