/* bench-timeline-http.c: the month timeline end to end (PLAY-2): a real vigie-node with
 * 30 days of one-minute segments of one camera in its index, timed from the HTTP
 * request to the parsed JSON answer (docs/benchmarks.md). Prints figures, asserts
 * only that the answer is right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-database.h"
#include "vg-pg-cluster.h"
#include "vg-test-node.h"

#define RUNS 21
#define DAY_S (G_GINT64_CONSTANT (86400))
#define MONTH_START_S (G_GINT64_CONSTANT (1791720000))  /* 2026-10-11T12:00:00Z */

typedef struct
{
  gint64      camera_id;
  VgDbResult *rows;
} Seed;

/* 30 days of one-minute segments, a gap every 6 hours: 43 080 rows, 120 spans. */
static gboolean
seed_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Seed *seed = data;
  g_autoptr(VgDbParams) params = vg_db_params_new ();

  vg_db_params_add_int (params, seed->camera_id);
  vg_db_params_add_int (params, MONTH_START_S);
  seed->rows = vg_db_exec (conn,
    "INSERT INTO recording_segments (camera_id, stream, disk_id, path, start_time, end_time, "
    "  bytes, frames, keyframes) "
    "SELECT $1, 'main', (SELECT min(id) FROM storage_disks), 'month/' || n || '.mkv', "
    "       to_timestamp($2::bigint + n * 60), to_timestamp($2::bigint + n * 60 + 60), "
    "       30000000, 1500, '\\x00'::bytea "
    "FROM generate_series(0, 30 * 1440 - 1) AS n WHERE n % 360 <> 359",
    params, error);
  return seed->rows != NULL;
}

static gboolean
analyze_job (VgDbConnection *conn, gpointer data, GError **error)
{
  return vg_db_exec_script (conn, "ANALYZE", error);
}

static void
seed_month (VgTestNode *node, gint64 camera_id)
{
  g_autoptr(VgPgCluster) cluster = vg_pg_cluster_new (node->data_dir);
  g_autofree char *dsn = vg_pg_cluster_get_dsn (cluster);
  g_autoptr(VgDatabase) database = vg_database_new (dsn);
  g_autoptr(GError) error = NULL;
  Seed seed = { camera_id, NULL };

  g_assert_true (vg_database_run_sync (database, seed_job, &seed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vg_db_result_get_n_affected (seed.rows), ==, 43080);
  vg_db_result_free (seed.rows);
  g_assert_true (vg_database_run_sync (database, analyze_job, NULL, &error));
  g_assert_no_error (error);
  vg_database_close (database);
}

static gint64
add_camera (VgApiClient *admin)
{
  const char *json = "{\"name\": \"Month\", \"streams\": [{\"name\": \"main\", "
                     "\"url\": \"rtsp://127.0.0.1:9/none\", \"roles\": [\"record\"]}], "
                     "\"recording\": {\"mode\": \"off\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
bench_month_http (void)
{
  g_autoptr(VgTestNode) node = vg_test_node_new (NULL);
  g_autoptr(VgApiClient) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 times[RUNS];
  gint64 camera_id;

  g_assert_true (vg_test_node_start (node, &error));
  g_assert_no_error (error);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  camera_id = add_camera (admin);
  seed_month (node, camera_id);
  path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?stream=main"
                          "&start=2026-10-11T12:00:00Z&end=2026-11-10T12:00:00Z", camera_id);

  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;
      gint64 t0 = g_get_monotonic_time ();
      JsonObject *object;

      body = vg_test_request (admin, "GET", path, NULL, &status, &error);
      times[i] = g_get_monotonic_time () - t0;
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 200);
      object = json_node_get_object (body);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "spans")), ==, 120);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "gaps")), ==, 120);
    }
  /* The first request also opens the TLS connection: it is left out. */
  qsort (times + 1, RUNS - 1, sizeof times[0], compare_times);
  g_test_message ("month timeline over HTTPS (43080 segments → 120 spans, 120 gaps): "
                  "median %.1f ms, worst %.1f ms over %d requests (first, with the TLS handshake: %.1f ms)",
                  times[RUNS / 2] / 1000.0, times[RUNS - 1] / 1000.0, RUNS - 1, times[0] / 1000.0);
  g_assert_cmpint (vg_test_node_stop (node), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench/timeline-http", bench_month_http);
  return g_test_run ();
}
