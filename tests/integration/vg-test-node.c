/* vg-test-node.c: a real vigie-node process on a temporary data directory, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-test-node.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>

#define READY_PREFIX "vigie-node ready: api=https://127.0.0.1:"
#define START_TIMEOUT_S 120

static char *
node_binary (void)
{
  const char *build = g_getenv ("VIGIE_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, "server", "vigie-node", NULL);
}

/* A test that aborts must not leave its processes behind: they get SIGTERM when the
 * test process dies (the node then stops its database cleanly). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

VgTestNode *
vg_test_node_new (const char *extra_config)
{
  VgTestNode *node = g_new0 (VgTestNode, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  node->dir = g_dir_make_tmp ("vigie-test-XXXXXX", &error);
  g_assert_no_error (error);
  /* As root, the private cluster runs as "postgres", which must reach the data dir. */
  g_chmod (node->dir, 0711);
  node->data_dir = g_build_filename (node->dir, "data", NULL);
  node->config_path = g_build_filename (node->dir, "node.conf", NULL);
  node->log_path = g_build_filename (node->dir, "node.log", NULL);
  config = g_strdup_printf ("[database]\nfsync=false\n\n%s\n", extra_config ? extra_config : "");
  g_file_set_contents (node->config_path, config, -1, &error);
  g_assert_no_error (error);
  return node;
}

static gboolean
read_ready_line (VgTestNode *node, GDataInputStream *out, GError **error)
{
  GString *text = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (node->log_path, &log, NULL, NULL);
          if (error && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "vigie-node exited before it was ready; it printed:\n%s\nlog:\n%s",
                         text->str, log ? log : "");
          g_free (node->stdout_text);
          node->stdout_text = g_string_free (text, FALSE);
          return FALSE;
        }
      g_string_append_printf (text, "%s\n", line);
      if (g_str_has_prefix (line, READY_PREFIX))
        {
          const char *rtsp = strstr (line, " rtsp=rtsp://127.0.0.1:");
          const char *rtsps = strstr (line, " rtsps=rtsps://127.0.0.1:");

          node->port = (guint) g_ascii_strtoull (line + strlen (READY_PREFIX), NULL, 10);
          if (rtsp)
            node->rtsp_port = (guint) g_ascii_strtoull (rtsp + strlen (" rtsp=rtsp://127.0.0.1:"), NULL, 10);
          if (rtsps)
            node->rtsps_port = (guint) g_ascii_strtoull (rtsps + strlen (" rtsps=rtsps://127.0.0.1:"), NULL, 10);
          break;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "vigie-node not ready in time");
          g_free (node->stdout_text);
          node->stdout_text = g_string_free (text, FALSE);
          return FALSE;
        }
    }
  g_free (node->stdout_text);
  node->stdout_text = g_string_free (text, FALSE);
  g_free (node->base_url);
  node->base_url = g_strdup_printf ("https://127.0.0.1:%u", node->port);
  return TRUE;
}

gboolean
vg_test_node_start (VgTestNode *node, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *binary = node_binary ();
  g_autofree char *port = g_strdup_printf ("%u", node->port);
  g_autofree char *rtsp_port = g_strdup_printf ("%u", node->rtsp_port);
  g_autofree char *rtsps_port = g_strdup_printf ("%u", node->rtsps_port);

  g_assert_null (node->process);
  g_subprocess_launcher_setenv (launcher, "VIGIE_ADMIN_PASSWORD", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, NULL);
  {
    /* Appended, so that the log of every start stays readable after a test. */
    int fd = g_open (node->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    g_assert_cmpint (fd, >=, 0);
    g_subprocess_launcher_take_stderr_fd (launcher, fd);
  }
  node->process = g_subprocess_launcher_spawn (launcher, error, binary,
                                               "--data-dir", node->data_dir,
                                               "--config", node->config_path,
                                               "--api-port", port,
                                               "--rtsp-port", rtsp_port,
                                               "--rtsps-port", rtsps_port,
                                               NULL);
  if (node->process == NULL)
    return FALSE;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node->process));
  if (!read_ready_line (node, out, error))
    {
      g_subprocess_wait (node->process, NULL, NULL);
      g_clear_object (&node->process);
      return FALSE;
    }
  return TRUE;
}

/* A sanitized node's LeakSanitizer exit status. */
#define LSAN_EXIT_STATUS 23

/* The leak report of the node's last stop holds only GLib's own first quark block
 * (tests/integration/only-known-leaks.sh says why). */
static gboolean
only_known_leaks (VgTestNode *node)
{
  g_autofree char *script = g_build_filename (g_getenv ("VIGIE_SOURCE_DIR"), "tests", "integration",
                                              "only-known-leaks.sh", NULL);
  const char *argv[] = { "sh", script, node->log_path, NULL };
  g_autofree char *out = NULL;
  int status = -1;

  out = vg_test_run_command (argv, &status);
  return status == 0;
}

int
vg_test_node_stop (VgTestNode *node)
{
  int status;

  if (node->process == NULL)
    return -1;
  g_subprocess_send_signal (node->process, SIGTERM);
  g_subprocess_wait (node->process, NULL, NULL);
  status = g_subprocess_get_if_exited (node->process) ? g_subprocess_get_exit_status (node->process) : -1;
  g_clear_object (&node->process);
  if (status == LSAN_EXIT_STATUS && only_known_leaks (node))
    status = 0;
  return status;
}

void
vg_test_node_kill (VgTestNode *node)
{
  if (node->process == NULL)
    return;
  g_subprocess_force_exit (node->process);
  g_subprocess_wait (node->process, NULL, NULL);
  g_clear_object (&node->process);
}

GPid
vg_test_node_get_postmaster_pid (VgTestNode *node)
{
  g_autofree char *path = g_build_filename (node->data_dir, "db", "postmaster.pid", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (GPid) g_ascii_strtoll (text, NULL, 10);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL,
                                                "rm", "-rf", "--", path, NULL);
  if (rm)
    g_subprocess_wait (rm, NULL, NULL);
}

void
vg_test_node_free (VgTestNode *node)
{
  if (node == NULL)
    return;
  /* A node that crashes or leaks (sanitizer builds) on its way out fails the test. */
  if (vg_test_node_stop (node) > 0)
    {
      g_autofree char *log = NULL;

      g_file_get_contents (node->log_path, &log, NULL, NULL);
      g_error ("vigie-node did not stop cleanly; its log:\n%s", log ? log : "");
    }
  if (g_getenv ("VIGIE_TEST_KEEP") == NULL)
    remove_tree (node->dir);
  g_free (node->dir);
  g_free (node->data_dir);
  g_free (node->config_path);
  g_free (node->log_path);
  g_free (node->base_url);
  g_free (node->stdout_text);
  g_free (node);
}

void
vg_test_store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
vg_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
vg_test_wait_until (gboolean (*condition) (gpointer data), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
elapsed_cb (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
vg_test_sleep_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  vg_test_wait_until (elapsed_cb, &until, ms + 1000);
}

char *
vg_test_run_command (const char *const *argv, int *exit_status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_exit_status (process);
  return out;
}

VgApiClient *
vg_test_node_client (VgTestNode *node, const char *user, const char *password)
{
  VgApiClient *client = vg_api_client_new (node->base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (user == NULL)
    return client;
  vg_api_client_login_async (client, user, password, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  session = vg_api_client_login_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return client;
}

JsonNode *
vg_test_request (VgApiClient *client, const char *method, const char *path, const char *json_body,
                 guint *status, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (json_body)
    {
      body = json_from_string (json_body, error);
      if (body == NULL)
        return NULL;
    }
  vg_api_client_request_async (client, method, path, body, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  return vg_api_client_request_finish (client, result, status, error);
}

gint64
vg_test_add_camera (VgApiClient *client, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (client, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

JsonObject *
vg_test_stream_status (VgApiClient *client, gint64 camera_id, const char *stream, JsonNode **keep)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", camera_id);
  g_autoptr(GError) error = NULL;
  JsonArray *streams;
  guint status = 0;

  *keep = vg_test_request (client, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  streams = json_object_get_array_member (json_node_get_object (*keep), "streams");
  for (guint i = 0; i < json_array_get_length (streams); i++)
    {
      JsonObject *object = json_array_get_object_element (streams, i);

      if (stream == NULL || g_str_equal (json_object_get_string_member (object, "name"), stream))
        return object;
    }
  g_assert_not_reached ();
}

gboolean
vg_test_wait_stream_state (VgApiClient *client, gint64 camera_id, const char *stream, const char *state,
                           guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *object = vg_test_stream_status (client, camera_id, stream, &keep);

      if (g_str_equal (json_object_get_string_member (object, "state"), state))
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      vg_test_sleep_ms (100);
    }
}

static GArray *
ranges_of (JsonObject *body, const char *member)
{
  JsonArray *array = json_object_get_array_member (body, member);
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *range = json_array_get_object_element (array, i);
      g_autoptr(GDateTime) a = vg_time_parse_iso8601 (json_object_get_string_member (range, "start"), NULL);
      g_autoptr(GDateTime) b = vg_time_parse_iso8601 (json_object_get_string_member (range, "end"), NULL);
      gint64 pair[2] = { vg_time_to_unix_usec (a), vg_time_to_unix_usec (b) };

      g_array_append_vals (ranges, pair, 2);
    }
  return ranges;
}

GArray *
vg_test_recording_spans (VgApiClient *client, gint64 camera_id, gint64 start_us, GArray **gaps)
{
  g_autoptr(GDateTime) start = vg_time_new_from_unix_usec (start_us);
  g_autoptr(GDateTime) end = g_date_time_new_now_utc ();
  g_autofree char *start_text = vg_time_format_iso8601 (start);
  g_autofree char *end_text = vg_time_format_iso8601 (end);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?start=%s&end=%s",
                                           camera_id, start_text, end_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (client, "GET", path, NULL, &status, &error);
  g_assert_no_error (error);
  if (gaps)
    *gaps = ranges_of (json_node_get_object (body), "gaps");
  return ranges_of (json_node_get_object (body), "spans");
}

JsonNode *
vg_test_expect (VgApiClient *client, const char *method, const char *path, const char *json_body,
                guint expected_status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer;
  guint status = 0;

  answer = vg_test_request (client, method, path, json_body, &status, &error);
  if (status != expected_status)
    g_error ("%s %s %s: %u (%s), expected %u", method, path, json_body != NULL ? json_body : "", status,
             error != NULL ? error->message : "no error", expected_status);
  if (error != NULL)
    g_test_message ("%s %s: %u, %s", method, path, status, error->message);
  if (status < 400)
    g_assert_no_error (error);
  return answer;
}
