/* test-restart.c: the node killed with -9 (alone, and with its PostgreSQL server: a
 * power cut) comes back with the same data and sessions; clients' event streams
 * reconnect by themselves; SIGTERM stops everything cleanly; a database whose
 * schema is newer than the binary is refused. REC-7 groundwork.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"

#include <signal.h>
#include <string.h>

static VgTestNode *node;

static GPtrArray *
list_cameras (VgApiClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vg_api_client_list_cameras_async (client, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  return vg_api_client_list_cameras_finish (client, result, error);
}

static void
add_cameras (VgApiClient *client, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"name\": \"Camera %u\", \"streams\": [{\"name\": \"main\", "
        "\"url\": \"rtsp://127.0.0.1/cam%u\", \"roles\": [\"record\"]}]}", i, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;

      body = vg_test_request (client, "POST", "/api/v1/cameras", json, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 201);
    }
}

static char *
describe (GPtrArray *cameras)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < cameras->len; i++)
    {
      g_autoptr(JsonNode) json = vg_camera_to_json (cameras->pdata[i]);
      g_autofree char *one = vg_json_to_string (json);
      g_string_append_printf (text, "%s\n", one);
    }
  return g_string_free (text, FALSE);
}

static gboolean
is_connected (gpointer client)
{
  return vg_api_client_get_events_connected (client);
}

static gboolean
is_disconnected (gpointer client)
{
  return !vg_api_client_get_events_connected (client);
}

static gboolean
process_gone (gpointer data)
{
  return kill (GPOINTER_TO_INT (data), 0) != 0;
}

static void
restart (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (vg_test_node_start (node, &error));
  g_assert_no_error (error);
  g_test_message ("node ready again in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
}

static void
check_survives (gboolean kill_database)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;

  add_cameras (client, 3);
  before = list_cameras (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, >=, 3);

  vg_api_client_connect_events (client);
  g_assert_true (vg_test_wait_until (is_connected, client, 10000));

  if (kill_database)
    {
      GPid postmaster = vg_test_node_get_postmaster_pid (node);

      g_assert_cmpint (postmaster, >, 0);
      vg_test_node_kill (node);
      g_assert_cmpint (kill (postmaster, SIGKILL), ==, 0);
    }
  else
    vg_test_node_kill (node);

  g_assert_true (vg_test_wait_until (is_disconnected, client, 10000));
  restart ();

  /* Same token (sessions are stored), same cameras, and the event stream is back. */
  after = list_cameras (client, &error);
  g_assert_no_error (error);
  before_text = describe (before);
  after_text = describe (after);
  g_assert_cmpstr (before_text, ==, after_text);
  g_assert_true (vg_test_wait_until (is_connected, client, 40000));
  vg_api_client_disconnect_events (client);
}

static void
test_kill_node (void)
{
  check_survives (FALSE);
}

static void
test_power_cut (void)
{
  check_survives (TRUE);
}

static void
test_clean_stop (void)
{
  GPid postmaster = vg_test_node_get_postmaster_pid (node);

  g_assert_cmpint (postmaster, >, 0);
  g_assert_cmpint (vg_test_node_stop (node), ==, 0);
  /* The private cluster went down with the node. */
  g_assert_true (vg_test_wait_until (process_gone, GINT_TO_POINTER (postmaster), 10000));
  g_assert_cmpint (vg_test_node_get_postmaster_pid (node), ==, 0);
  restart ();
}

/* The private PostgreSQL server dies under a running node: reads go on from memory,
 * changes answer 503 until the node has started the server again, by itself. */
static void
test_database_killed (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  GPid postmaster = vg_test_node_get_postmaster_pid (node);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean created = FALSE;
  guint n_unavailable = 0;

  g_assert_cmpint (postmaster, >, 0);
  g_assert_cmpint (kill (postmaster, SIGKILL), ==, 0);

  while (!created && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GPtrArray) cameras = NULL;
      guint status = 0;

      cameras = list_cameras (client, &error);
      g_assert_no_error (error);

      body = vg_test_request (client, "POST", "/api/v1/cameras",
                              "{\"name\": \"After\", \"streams\": [{\"name\": \"main\", \"url\": \"rtsp://127.0.0.1:9/s\"}]}",
                              &status, &error);
      if (status == 503)
        {
          g_assert_error (error, VG_ERROR, VG_ERROR_UNAVAILABLE);
          n_unavailable++;
          {
            gint64 until = g_get_monotonic_time () + 300 * 1000;
            while (g_get_monotonic_time () < until)
              g_main_context_iteration (NULL, FALSE), g_usleep (10000);
          }
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 201);
      /* A backend may outlive its postmaster for a moment and answer: what counts is a
       * camera created once the node has started the cluster again. */
      created = vg_test_node_get_postmaster_pid (node) != postmaster;
      if (!created)
        g_usleep (100 * 1000);
    }
  g_test_message ("%u requests answered 503 before the database was back after %.1f s", n_unavailable,
                  (g_get_monotonic_time () - deadline + 60 * G_USEC_PER_SEC) / 1e6);
  g_assert_true (created);
  g_assert_cmpint (vg_test_node_get_postmaster_pid (node), !=, postmaster);
}

static void
psql (const char *sql)
{
  g_autofree char *dsn = g_strdup_printf ("host=%s/run port=5432 dbname=vigie user=vigie", node->data_dir);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              "psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("psql: %s", out);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
test_schema_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  psql ("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999-future.sql')");
  g_assert_cmpint (vg_test_node_stop (node), ==, 0);

  /* Refused at start, with a message that says why, and nothing served. */
  g_assert_false (vg_test_node_start (node, &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_get_contents (node->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "schema is at version 9999"));
  g_assert_nonnull (strstr (log, "newer vigie-node"));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  node = vg_test_node_new (NULL);
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);

  g_test_add_func ("/restart/kill-node", test_kill_node);
  g_test_add_func ("/restart/power-cut", test_power_cut);
  g_test_add_func ("/restart/clean-stop", test_clean_stop);
  g_test_add_func ("/restart/database-killed", test_database_killed);
  g_test_add_func ("/restart/schema-too-new", test_schema_too_new);

  status = g_test_run ();
  vg_test_node_free (node);
  return status;
}
