/* vigie-camsim: simulated IP cameras for tests, benchmarks and the demo.
 *
 *   vigie-camsim --clips DIR [--rtsp-port N] [--http-port M] [--cameras K] [--tls-cert PEM]
 *                [--user U --password P [--digest]]
 *
 * serves, for every camera i in 1..K,
 *   rtsp://127.0.0.1:N/cam{i}/main   H.264 1080p25 (+ AAC if i % 4 == 2, PCMA if i % 4 == 3)
 *   rtsp://127.0.0.1:N/cam{i}/sub    H.264 360p25
 *   rtsp://127.0.0.1:N/cam{i}/h265   H.265 1080p25
 *   http://127.0.0.1:M/cam{i}/mjpeg  MJPEG 360p10
 * from the clips make-clips.sh makes, and a control API on
 * http://127.0.0.1:M/cameras (vg-sim-control.h). Port 0 picks a free port;
 * the line "vigie-camsim ready: …" on stdout gives the real ones. */
#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>

#include "vg-sim-camera.h"
#include "vg-sim-clip.h"
#include "vg-sim-control.h"
#include "vg-sim-mjpeg.h"
#include "vg-sim-rtsp.h"

/* One timer for every camera. RTSP units are pushed up to LOOKAHEAD_MS before
 * they are due (gst-rtsp-server sends by timestamp): measured, this costs about
 * 0.55 % of a core per 1080p camera where pushing on time costs 0.7-1.2 %. */
#define TICK_MS 40
#define LOOKAHEAD_MS 120
#define ADDRESS "127.0.0.1"

typedef struct {
  GMainLoop *loop;
  GstClock *clock;
  VgSimRtsp *rtsp;
  VgSimMjpeg *mjpeg;
} App;

/* Sanitizer builds. GLib's constructor allocates the first block of its quark
 * table and leaks it on purpose once more than 2048 quarks exist, which
 * GStreamer brings about: suppressed as allocated by a library constructor
 * (_dl_init), which only full malloc stacks show (GLib has no frame pointers);
 * they cost this program about half as much CPU again. */
const char *__asan_default_options (void);
const char *__lsan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_options (void)
{
  return "print_suppressions=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n";
}

static gboolean
tick_cb (gpointer user_data)
{
  App *app = user_data;
  GstClockTime now = gst_clock_get_time (app->clock);

  vg_sim_rtsp_tick (app->rtsp, now, LOOKAHEAD_MS * GST_MSECOND);
  vg_sim_mjpeg_tick (app->mjpeg, now);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  App *app = user_data;

  g_main_loop_quit (app->loop);
  return G_SOURCE_CONTINUE;
}

static guint
listen_http (SoupServer *server, guint port, GError **error)
{
  GSList *uris;
  guint bound;

  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return 0;
  uris = soup_server_get_uris (server);
  bound = uris ? g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return bound;
}

/* Lets closing connections and sessions finish before quitting. */
static void
drain (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end) {
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *clips_dir = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  gint rtsp_port = 8554, http_port = 8080, n_cameras = 1;
  gboolean digest = FALSE;
  g_autofree char *tls_file = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  const GOptionEntry entries[] = {
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir, "Clips made by make-clips.sh", "DIR" },
    { "rtsp-port", 0, 0, G_OPTION_ARG_INT, &rtsp_port, "RTSP port, 0: any (8554)", "N" },
    { "http-port", 0, 0, G_OPTION_ARG_INT, &http_port, "HTTP port, 0: any (8080)", "M" },
    { "cameras", 0, 0, G_OPTION_ARG_INT, &n_cameras, "Number of cameras (1)", "K" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Require this user name", "U" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, "and this password", "P" },
    { "digest", 0, 0, G_OPTION_ARG_NONE, &digest, "Digest authentication, not Basic", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_file,
      "RTSP over TLS (rtsps://) with this PEM certificate and key", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- simulated IP cameras");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(SoupServer) http = NULL;
  g_autoptr(VgSimControl) control = NULL;
  g_autofree char *rtsp_url = NULL;
  g_autofree char *http_url = NULL;
  VgSimClips clips = { NULL };
  App app = { NULL };
  guint http_bound, tick_id, sigint_id, sigterm_id;

  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_add_group (options, gst_init_get_option_group ());
  if (!g_option_context_parse (options, &argc, &argv, &error)) {
    g_printerr ("vigie-camsim: %s\n", error->message);
    return 2;
  }
  if (clips_dir == NULL || n_cameras < 1 || n_cameras > 10000 ||
      rtsp_port < 0 || rtsp_port > 65535 || http_port < 0 || http_port > 65535 ||
      (password != NULL && user == NULL)) {
    g_printerr ("vigie-camsim: --clips DIR is needed; --cameras from 1 to 10000; "
                "ports from 0 to 65535; --password goes with --user\n");
    return 2;
  }
  gst_init (&argc, &argv);

  if (!vg_sim_clips_load (&clips, clips_dir, &error)) {
    g_printerr ("vigie-camsim: %s (run make-clips.sh %s)\n", error->message, clips_dir);
    return 1;
  }

  cameras = g_ptr_array_new_with_free_func (g_object_unref);
  for (gint i = 1; i <= n_cameras; i++)
    g_ptr_array_add (cameras, vg_sim_camera_new (i));

  app.loop = g_main_loop_new (NULL, FALSE);
  app.clock = gst_system_clock_obtain ();
  app.rtsp = vg_sim_rtsp_new (&clips, cameras, user, password, digest);
  if (tls_file != NULL) {
    tls = g_tls_certificate_new_from_file (tls_file, &error);
    if (tls == NULL) {
      g_printerr ("vigie-camsim: %s\n", error->message);
      return 1;
    }
    vg_sim_rtsp_set_tls_certificate (app.rtsp, tls);
  }
  app.mjpeg = vg_sim_mjpeg_new (clips.mjpeg, cameras);
  vg_sim_clips_clear (&clips);

  http = soup_server_new ("server-header", "vigie-camsim ", NULL);
  vg_sim_mjpeg_attach (app.mjpeg, http, user, password, digest);
  http_bound = listen_http (http, http_port, &error);
  if (http_bound == 0 || !vg_sim_rtsp_start (app.rtsp, ADDRESS, rtsp_port, &error)) {
    g_printerr ("vigie-camsim: %s\n", error->message);
    return 1;
  }
  rtsp_url = g_strdup_printf ("%s://" ADDRESS ":%u", tls != NULL ? "rtsps" : "rtsp",
                              vg_sim_rtsp_get_port (app.rtsp));
  http_url = g_strdup_printf ("http://" ADDRESS ":%u", http_bound);
  control = vg_sim_control_new (cameras, app.rtsp, app.mjpeg);
  vg_sim_control_attach (control, http, rtsp_url, http_url);

  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, &app, NULL);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &app);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &app);

  printf ("vigie-camsim ready: rtsp=%s http=%s cameras=%d\n", rtsp_url, http_url, n_cameras);
  fflush (stdout);
  g_main_loop_run (app.loop);

  g_source_remove (tick_id);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  vg_sim_mjpeg_stop (app.mjpeg);
  vg_sim_rtsp_stop (app.rtsp);
  drain (200);

  g_clear_object (&control);
  g_clear_object (&http);
  g_clear_object (&app.mjpeg);
  g_clear_object (&app.rtsp);
  g_clear_pointer (&cameras, g_ptr_array_unref);
  drain (50);
  gst_object_unref (app.clock);
  g_main_loop_unref (app.loop);
  gst_rtsp_thread_pool_cleanup ();
  gst_deinit ();
  return 0;
}
