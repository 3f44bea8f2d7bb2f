/* vg-test-sim.c: the simulated cameras (tests/sim) started for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-test-sim.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>

/* A test that aborts must not leave its processes behind: they get SIGTERM when the
 * test process dies (the node then stops its database cleanly). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

VgTestSim *
vg_test_sim_start (guint n_cameras, GError **error)
{
  return vg_test_sim_start_with_args (n_cameras, NULL, error);
}

VgTestSim *
vg_test_sim_start_with_args (guint n_cameras, const char *const *extra_args, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *cameras = g_strdup_printf ("%u", n_cameras);
  const char *binary = g_getenv ("VIGIE_CAMSIM");
  const char *clips = g_getenv ("VIGIE_SIM_CLIPS");
  VgTestSim *sim;

  g_assert_nonnull (binary);
  g_assert_nonnull (clips);
  sim = g_new0 (VgTestSim, 1);
  sim->log_path = g_build_filename (g_get_tmp_dir (), "vigie-camsim-XXXXXX.log", NULL);
  {
    int fd = g_mkstemp (sim->log_path);
    g_assert_cmpint (fd, >=, 0);
    g_subprocess_launcher_take_stderr_fd (launcher, fd);
  }
  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();
    const char *const fixed[] = { binary, "--clips", clips, "--rtsp-port", "0", "--http-port", "0",
                                  "--cameras", cameras };

    for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
      g_ptr_array_add (argv, (gpointer) fixed[i]);
    for (gsize i = 0; extra_args && extra_args[i]; i++)
      g_ptr_array_add (argv, (gpointer) extra_args[i]);
    g_ptr_array_add (argv, NULL);
    sim->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  }
  if (sim->process == NULL)
    {
      vg_test_sim_free (sim);
      return NULL;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        {
          if (error && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "vigie-camsim exited before it was ready");
          vg_test_sim_free (sim);
          return NULL;
        }
      char scheme[8] = "";

      if (sscanf (line, "vigie-camsim ready: rtsp=%7[a-z]://127.0.0.1:%u http=http://127.0.0.1:%u",
                  scheme, &sim->rtsp_port, &sim->http_port) == 3)
        {
          sim->tls = g_str_equal (scheme, "rtsps");
          break;
        }
    }
  return sim;
}

void
vg_test_sim_free (VgTestSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->process)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_subprocess_wait (sim->process, NULL, NULL);
      g_object_unref (sim->process);
    }
  if (sim->log_path)
    remove (sim->log_path);
  g_free (sim->log_path);
  g_free (sim);
}

char *
vg_test_sim_url (VgTestSim *sim, guint camera, const char *stream)
{
  return g_strdup_printf ("%s://127.0.0.1:%u/cam%u/%s", sim->tls ? "rtsps" : "rtsp", sim->rtsp_port,
                          camera, stream);
}

static GBytes *
http (VgTestSim *sim, const char *method, const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", sim->http_port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  return body;
}

void
vg_test_sim_control (VgTestSim *sim, guint camera, const char *action)
{
  g_autofree char *path = g_strdup_printf ("/cameras/%u/%s", camera, action);
  g_autoptr(GBytes) body = http (sim, "POST", path);
}

gint64
vg_test_sim_frames_sent (VgTestSim *sim, guint camera, const char *stream)
{
  return vg_test_sim_stream_value (sim, camera, stream, "frames_sent");
}

gint64
vg_test_sim_stream_value (VgTestSim *sim, guint camera, const char *stream, const char *member)
{
  g_autofree char *path = g_strdup_printf ("/cameras/%u", camera);
  g_autoptr(GBytes) body = http (sim, "GET", path);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  JsonObject *streams = json_object_get_object_member (json_node_get_object (node), "streams");

  return json_object_get_int_member (json_object_get_object_member (streams, stream), member);
}
