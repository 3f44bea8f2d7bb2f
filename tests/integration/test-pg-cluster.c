/* test-pg-cluster.c: VgPgCluster against the real PostgreSQL binaries
 *
 * Each case makes a fresh data directory (with a space in its path, to exercise the
 * quoting), starts a cluster with fsync off, and always stops it and removes the
 * directory in teardown, failed or not (assertions are non-fatal for that reason).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-pg-cluster.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

typedef struct
{
  char *tmp_dir;        /* from g_dir_make_tmp: the data directory of most cases */
  VgPgCluster *cluster;
} Fixture;

static int
rm_rf_cb (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  if (remove (path) != 0 && errno != ENOENT)
    g_test_message ("could not remove %s: %s", path, g_strerror (errno));
  return 0;
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("vigie pg-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cluster = vg_pg_cluster_new (fixture->tmp_dir);
  vg_pg_cluster_set_fsync (fixture->cluster, FALSE);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr(VgPgCluster) cleaner = vg_pg_cluster_new (fixture->tmp_dir);
  g_autoptr(GError) error = NULL;

  /* whatever the case left running */
  if (!vg_pg_cluster_stop (cleaner, &error))
    g_test_message ("teardown stop: %s", error->message);
  g_clear_object (&fixture->cluster);

  nftw (fixture->tmp_dir, rm_rf_cb, 16, FTW_DEPTH | FTW_PHYS);
  g_assert_false (g_file_test (fixture->tmp_dir, G_FILE_TEST_EXISTS));
  g_free (fixture->tmp_dir);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} StartResult;

static void
start_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StartResult *res = user_data;

  res->ok = vg_pg_cluster_start_finish (VG_PG_CLUSTER (source), result, &res->error);
  res->done = TRUE;
  g_main_context_wakeup (NULL);
}

/* Runs a start on the main context; returns its duration in ms, or -1 on failure
 * (the test is then marked failed or skipped). */
static gint64
start_cluster (VgPgCluster *cluster)
{
  StartResult res = { 0 };
  gint64 t0 = g_get_monotonic_time ();

  vg_pg_cluster_start_async (cluster, NULL, start_cb, &res);
  while (!res.done)
    g_main_context_iteration (NULL, TRUE);

  if (g_error_matches (res.error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES))
    {
      g_test_skip (res.error->message);
      g_clear_error (&res.error);
      return -1;
    }
  g_assert_no_error (res.error);
  g_clear_error (&res.error);
  g_assert_true (res.ok);
  return res.ok ? (g_get_monotonic_time () - t0) / 1000 : -1;
}

/* SELECT 1 in the vigie database through the cluster's DSN. */
static gboolean
query_works (VgPgCluster *cluster)
{
  g_autofree char *dsn = vg_pg_cluster_get_dsn (cluster);
  PGconn *conn = PQconnectdb (dsn);
  PGresult *res;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_test_message ("connect to %s: %s", dsn, PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }

  res = PQexec (conn, "SELECT 1, current_database(), current_user");
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    {
      g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "1");
      g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "vigie");
      g_assert_cmpstr (PQgetvalue (res, 0, 2), ==, "vigie");
      ok = TRUE;
    }
  else
    g_test_message ("SELECT 1: %s", PQerrorMessage (conn));

  PQclear (res);
  PQfinish (conn);
  return ok;
}

static pid_t
postmaster_pid (const char *data_dir)
{
  g_autofree char *pid_file = g_build_filename (data_dir, "db", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (pid_file, &contents, NULL, NULL))
    return 0;
  return (pid_t) g_ascii_strtoll (contents, NULL, 10);
}

/* Dead, or a zombie nobody reaps (PID 1 of a container may not). */
static gboolean
process_gone (pid_t pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *paren;

  if (kill (pid, 0) != 0)
    return TRUE;
  if (!g_file_get_contents (stat_path, &contents, NULL, NULL))
    return TRUE;
  paren = strrchr (contents, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

static void
test_lifecycle (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 ms;

  ms = start_cluster (fixture->cluster);
  if (ms < 0)
    return;
  g_test_message ("initdb + start of a new cluster: %" G_GINT64_FORMAT " ms", ms);
  g_assert_true (vg_pg_cluster_get_created (fixture->cluster));
  g_assert_true (query_works (fixture->cluster));

  {
    g_autofree char *run = g_build_filename (fixture->tmp_dir, "run", NULL);
    GStatBuf st;

    g_assert_cmpint (g_stat (run, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  }

  vg_pg_cluster_stop (fixture->cluster, &error);
  g_assert_no_error (error);
  g_assert_cmpint (postmaster_pid (fixture->tmp_dir), ==, 0);
  /* stopping a stopped cluster is a no-op */
  vg_pg_cluster_stop (fixture->cluster, &error);
  g_assert_no_error (error);

  ms = start_cluster (fixture->cluster);
  if (ms < 0)
    return;
  g_test_message ("start of an existing cluster: %" G_GINT64_FORMAT " ms", ms);
  g_assert_false (vg_pg_cluster_get_created (fixture->cluster));
  g_assert_true (query_works (fixture->cluster));

  vg_pg_cluster_stop (fixture->cluster, &error);
  g_assert_no_error (error);
}

static void
test_crash (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  pid_t pid, new_pid;
  gint64 ms;

  if (start_cluster (fixture->cluster) < 0)
    return;

  pid = postmaster_pid (fixture->tmp_dir);
  g_assert_cmpint (pid, >, 0);
  if (pid <= 0)
    return;
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  for (guint i = 0; i < 500 && !process_gone (pid); i++)
    g_usleep (10 * 1000);
  g_assert_true (process_gone (pid));

  ms = start_cluster (fixture->cluster);
  if (ms < 0)
    return;
  g_test_message ("start after kill -9 of the postmaster: %" G_GINT64_FORMAT " ms", ms);
  g_assert_false (vg_pg_cluster_get_created (fixture->cluster));
  new_pid = postmaster_pid (fixture->tmp_dir);
  g_assert_cmpint (new_pid, >, 0);
  g_assert_cmpint (new_pid, !=, pid);
  g_assert_true (query_works (fixture->cluster));

  vg_pg_cluster_stop (fixture->cluster, &error);
  g_assert_no_error (error);
}

static void
test_adopt (Fixture *fixture, gconstpointer data)
{
  g_autoptr(VgPgCluster) second = NULL;
  g_autoptr(GError) error = NULL;
  pid_t pid;
  gint64 ms;

  if (start_cluster (fixture->cluster) < 0)
    return;
  pid = postmaster_pid (fixture->tmp_dir);
  g_assert_cmpint (pid, >, 0);

  /* the node dies without stopping its server */
  g_clear_object (&fixture->cluster);

  second = vg_pg_cluster_new (fixture->tmp_dir);
  vg_pg_cluster_set_fsync (second, FALSE);
  ms = start_cluster (second);
  if (ms < 0)
    return;
  g_test_message ("adopting a running server: %" G_GINT64_FORMAT " ms", ms);
  g_assert_false (vg_pg_cluster_get_created (second));
  g_assert_cmpint (postmaster_pid (fixture->tmp_dir), ==, pid);
  g_assert_true (query_works (second));

  vg_pg_cluster_stop (second, &error);
  g_assert_no_error (error);
}

/* Errors found before any command runs. */
static void
expect_data_dir_error (const char *data_dir, const char *fragment)
{
  g_autoptr(VgPgCluster) cluster = vg_pg_cluster_new (data_dir);
  StartResult res = { 0 };

  vg_pg_cluster_start_async (cluster, NULL, start_cb, &res);
  while (!res.done)
    g_main_context_iteration (NULL, TRUE);

  if (g_error_matches (res.error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES))
    {
      g_test_skip (res.error->message);
      g_clear_error (&res.error);
      return;
    }
  g_assert_false (res.ok);
  g_assert_error (res.error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR);
  if (res.error != NULL)
    {
      g_test_message ("%s", res.error->message);
      g_assert_nonnull (strstr (res.error->message, fragment));
    }
  g_clear_error (&res.error);
}

static void
test_bad_paths (Fixture *fixture, gconstpointer data)
{
  g_autofree char *quoted = g_build_filename (fixture->tmp_dir, "it's", NULL);
  g_autofree char *long_name = g_strnfill (100, 'x');
  g_autofree char *too_long = g_build_filename (fixture->tmp_dir, long_name, NULL);

  expect_data_dir_error (quoted, "cannot quote");
  expect_data_dir_error (too_long, "too long");

  if (geteuid () == 0)
    {
      /* g_dir_make_tmp made tmp_dir 0700: "postgres" cannot reach tmp_dir/sub */
      g_autofree char *below = g_build_filename (fixture->tmp_dir, "sub", NULL);

      g_assert_cmpint (g_chmod (fixture->tmp_dir, 0700), ==, 0);
      expect_data_dir_error (below, "not traversable");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* teardown must stop the server and remove the directory even after a failure */
  g_test_set_nonfatal_assertions ();

  g_test_add ("/pg-cluster/lifecycle", Fixture, NULL, fixture_setup, test_lifecycle,
              fixture_teardown);
  g_test_add ("/pg-cluster/crash", Fixture, NULL, fixture_setup, test_crash,
              fixture_teardown);
  g_test_add ("/pg-cluster/adopt", Fixture, NULL, fixture_setup, test_adopt,
              fixture_teardown);
  g_test_add ("/pg-cluster/bad-paths", Fixture, NULL, fixture_setup, test_bad_paths,
              fixture_teardown);

  return g_test_run ();
}
