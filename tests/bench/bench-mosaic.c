/* bench-mosaic.c: what the client's live mosaic costs on this machine (docs/benchmarks.md).
 * A real node relays simulated cameras' 640×360 25 fps H.264 sub streams; a VgMosaic of
 * 16 and then 64 cells decodes them in software. Per run: the process's CPU, frames
 * received, handed to the picture and drawn per cell, main-loop stalls (a timeout at
 * high priority measuring its own lateness), resident memory. Then "click on a camera
 * → first frame drawn in the cell", through the relay's instant start (the camera's
 * stream already connected on the node) and on demand (the node connects the camera
 * first). TAP; asserts no timing (display needed).
 *
 * Also the paints of the window (the frame clock's after-paint) and the decoder in use.
 *
 * VIGIE_BENCH_SECONDS (default 20) sets the length of each measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <sys/resource.h>

#include "vg-mosaic.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"

#define N_CAMERAS 64
#define N_CLICKS 8
#define TICK_MS 10
#define STALL_US (50 * 1000)

typedef struct {
  VgTestSim *sim;
  VgTestNode *node;
  VgApiClient *admin;
  VgConnection *connection;
  GtkWindow *window;
  VgMosaic *mosaic;
  guint seconds;
} Bench;

/* Main-loop lateness */

typedef struct {
  gint64 expected;
  guint stalls;
  gint64 worst;
  guint id;
} Watch;

static gboolean
watch_tick_cb (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - watch->expected;

  if (late > STALL_US)
    watch->stalls++;
  watch->worst = MAX (watch->worst, late);
  watch->expected = now + TICK_MS * 1000;
  return G_SOURCE_CONTINUE;
}

static void
watch_start (Watch *watch)
{
  *watch = (Watch) { .expected = g_get_monotonic_time () + TICK_MS * 1000 };
  watch->id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, watch_tick_cb, watch, NULL);
}

/* Process figures */

static gint64
cpu_time_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

/* A line of /proc/self/status, in kB. */
static guint64
status_kb (const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  line = strstr (text, key);
  return line != NULL ? g_ascii_strtoull (line + strlen (key) + 1, NULL, 10) : 0;
}

/* Set-up */

static void
add_camera (Bench *bench,
            guint  sim_camera)
{
  g_autofree char *main_url = vg_test_sim_url (bench->sim, sim_camera, "main");
  g_autofree char *sub_url = vg_test_sim_url (bench->sim, sim_camera, "sub");
  /* Cameras 17–24 keep their sub stream connected: the clicks on them measure the
   * relay's instant start; the others are connected on demand. */
  gboolean keep_open = sim_camera > 16 && sim_camera <= 16 + N_CLICKS;
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Camera %u\", "
                                           "\"recording\": {\"mode\": \"off\"}, \"streams\": ["
                                           "{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"live\"]}, "
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"mosaic\"], "
                                           "\"keep_open\": %s}]}",
                                           sim_camera, main_url, sub_url,
                                           keep_open ? "true" : "false");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (bench->admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
}

static gboolean
is_ready (gpointer data)
{
  Bench *bench = data;

  return vg_connection_get_state (bench->connection) == VG_CONNECTION_STATE_CONNECTED &&
         vg_connection_get_rtsp_port (bench->connection) != 0 &&
         g_list_model_get_n_items (vg_connection_get_cameras (bench->connection)) == N_CAMERAS;
}

static void
bench_set_up (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *seconds = g_getenv ("VIGIE_BENCH_SECONDS");
  const char *renderer;

  bench->seconds = seconds != NULL ? (guint) g_ascii_strtoull (seconds, NULL, 10) : 20;
  bench->sim = vg_test_sim_start (N_CAMERAS, &error);
  g_assert_no_error (error);
  bench->node = vg_test_node_new (NULL);
  if (!vg_test_node_start (bench->node, &error))
    g_error ("The node did not start: %s", error->message);
  bench->admin = vg_test_node_client (bench->node, "admin", VG_TEST_ADMIN_PASSWORD);
  for (guint i = 1; i <= N_CAMERAS; i++)
    add_camera (bench, i);

  bench->connection = vg_connection_new (bench->node->base_url, "admin");
  vg_connection_connect (bench->connection, VG_TEST_ADMIN_PASSWORD);
  g_assert_true (vg_test_wait_until (is_ready, bench, 30000));

  /* As the client does (GSK_RENDERER, when set, wins) */
  renderer = vg_video_paintable_choose_renderer ();
  g_test_message ("GTK renderer: %s", renderer != NULL ? renderer
                  : g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "GTK's choice");
  bench->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (bench->window, 1280, 720);
  bench->mosaic = VG_MOSAIC (vg_mosaic_new ());
  vg_mosaic_set_connection (bench->mosaic, bench->connection);
  gtk_window_set_child (bench->window, GTK_WIDGET (bench->mosaic));
  gtk_window_present (bench->window);
}

static void
bench_tear_down (Bench *bench)
{
  gtk_window_destroy (bench->window);
  vg_test_sleep_ms (2000);   /* the pipelines' teardown threads */
  g_clear_object (&bench->connection);
  g_clear_object (&bench->admin);
  vg_test_node_stop (bench->node);
  vg_test_node_free (bench->node);
  vg_test_sim_free (bench->sim);
}

/* A mosaic of n cells */

typedef struct {
  VgMosaic *mosaic;
  guint64 frames;
} Wait;

static gboolean
every_cell_drew (gpointer data)
{
  Wait *wait = data;

  for (guint i = 0; i < vg_mosaic_get_n_cells (wait->mosaic); i++)
    {
      VgVideoView *view = vg_mosaic_get_view (wait->mosaic, i);

      if (vg_video_paintable_get_frames_drawn (vg_video_view_get_paintable (view)) < wait->frames)
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  guint64 received;
  guint64 shown;
  guint64 drawn;
} Counts;

static void
cell_counts (VgMosaic *mosaic,
             guint     index,
             Counts   *counts)
{
  VgVideoView *view = vg_mosaic_get_view (mosaic, index);

  vg_video_view_get_frame_counts (view, &counts->received, &counts->shown);
  counts->drawn = vg_video_paintable_get_frames_drawn (vg_video_view_get_paintable (view));
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *paints)
{
  (*paints)++;
}

static void
measure_mosaic (Bench *bench,
                guint  n_cells)
{
  g_autoptr(VgLayout) layout = vg_layout_new_preset (n_cells);
  g_autofree Counts *before = g_new0 (Counts, n_cells);
  Wait wait = { bench->mosaic, 10 };
  guint64 received = 0, shown = 0, drawn = 0;
  gint64 worst_cell_lost = 0;
  gint64 wall, cpu;
  Watch watch;
  GdkFrameClock *clock;
  guint paints = 0;
  gulong paint_id;
  const char *decoder;
  guint hardware = 0;

  vg_mosaic_set_layout (bench->mosaic, layout);
  vg_mosaic_fill (bench->mosaic, vg_connection_get_cameras (bench->connection));
  if (!vg_test_wait_until (every_cell_drew, &wait, 60000))
    g_test_message ("not every cell drew 10 frames within 60 s");
  vg_test_sleep_ms (3000);   /* past the instant start's burst */

  for (guint i = 0; i < n_cells; i++)
    cell_counts (bench->mosaic, i, &before[i]);
  g_test_message ("%u cells: measuring for %u s", n_cells, bench->seconds);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->mosaic));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &paints);
  wall = g_get_monotonic_time ();
  cpu = cpu_time_us ();
  watch_start (&watch);

  vg_test_sleep_ms (bench->seconds * 1000);

  g_source_remove (watch.id);
  cpu = cpu_time_us () - cpu;
  wall = g_get_monotonic_time () - wall;
  g_signal_handler_disconnect (clock, paint_id);

  for (guint i = 0; i < n_cells; i++)
    {
      Counts after;

      cell_counts (bench->mosaic, i, &after);
      received += after.received - before[i].received;
      shown += after.shown - before[i].shown;
      drawn += after.drawn - before[i].drawn;
      /* Signed: frames received before the measure may be drawn in it. */
      worst_cell_lost = MAX (worst_cell_lost,
                             (gint64) (after.received - before[i].received) -
                             (gint64) (after.drawn - before[i].drawn));
    }

  for (guint i = 0; i < n_cells; i++)
    {
      VgLivePipeline *pipeline = vg_video_view_get_pipeline (vg_mosaic_get_view (bench->mosaic, i));

      if (pipeline != NULL && vg_live_pipeline_get_hardware_decoding (pipeline))
        hardware++;
    }
  decoder = vg_video_view_get_pipeline (vg_mosaic_get_view (bench->mosaic, 0)) != NULL
            ? vg_live_pipeline_get_decoder (vg_video_view_get_pipeline (vg_mosaic_get_view (bench->mosaic, 0)))
            : NULL;
  g_test_message ("%u cells: decoder of the first %s, %u cells decoded in hardware; "
                  "%u paints (%.1f/s)", n_cells, decoder != NULL ? decoder : "(none)",
                  hardware, paints, paints * 1e6 / wall);

  g_test_message ("%u cells, %u s: CPU %.0f %% of one core; frames received %" G_GUINT64_FORMAT
                  " (%.1f/s per cell), handed to the picture %" G_GUINT64_FORMAT
                  ", drawn %" G_GUINT64_FORMAT " (%.2f %% not drawn; worst cell %" G_GINT64_FORMAT
                  "); main-loop stalls over 50 ms: %u (worst lateness %.1f ms); "
                  "resident memory %" G_GUINT64_FORMAT " MB (peak %" G_GUINT64_FORMAT " MB)",
                  n_cells, bench->seconds, 100.0 * cpu / wall, received,
                  received * 1e6 / wall / n_cells, shown, drawn,
                  received > 0 ? 100.0 * ((double) received - (double) drawn) / received : 0.0, worst_cell_lost,
                  watch.stalls, watch.worst / 1000.0,
                  status_kb ("VmRSS:") / 1024, status_kb ("VmHWM:") / 1024);
}

/* Click → first frame */

typedef struct {
  VgVideoView *view;
  char *suffix;
  guint64 drawn;
} Click;

static gboolean
click_drew (gpointer data)
{
  Click *click = data;
  VgLivePipeline *pipeline = vg_video_view_get_pipeline (click->view);

  return pipeline != NULL &&
         g_str_has_suffix (vg_live_pipeline_get_uri (pipeline), click->suffix) &&
         vg_live_pipeline_get_frames_shown (pipeline) > 0 &&
         vg_video_paintable_get_frames_drawn (vg_video_view_get_paintable (click->view)) > click->drawn;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Puts the cameras first … first + N_CLICKS - 1 in cell 0 one after the other. */
static void
measure_clicks (Bench      *bench,
                guint       first,
                const char *what)
{
  VgVideoView *view = vg_mosaic_get_view (bench->mosaic, 0);
  double times[N_CLICKS];
  guint n = 0;

  for (guint i = 0; i < N_CLICKS; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (vg_connection_get_cameras (bench->connection),
                                                          first - 1 + i);
      Click click = { view, NULL, 0 };
      gint64 start;

      click.suffix = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/sub", vg_camera_get_id (camera));
      click.drawn = vg_video_paintable_get_frames_drawn (vg_video_view_get_paintable (view));
      start = g_get_monotonic_time ();
      vg_mosaic_set_camera (bench->mosaic, 0, camera);
      if (vg_test_wait_until (click_drew, &click, 20000))
        times[n++] = (g_get_monotonic_time () - start) / 1000.0;
      g_free (click.suffix);
      vg_test_sleep_ms (1000);
    }

  if (n == 0)
    {
      g_test_message ("click → first frame, %s: no frame", what);
      return;
    }
  qsort (times, n, sizeof (double), compare_doubles);
  g_test_message ("click → first frame drawn, %s: median %.0f ms, min %.0f, max %.0f (%u clicks)",
                  what, times[n / 2], times[0], times[n - 1], n);
}

static Bench bench;

static void
test_mosaic_16 (void)
{
  measure_mosaic (&bench, 16);
}

static void
test_clicks (void)
{
  measure_clicks (&bench, 17, "stream connected on the node (instant start)");
  measure_clicks (&bench, 17 + N_CLICKS, "stream connected on demand");
}

static void
test_mosaic_64 (void)
{
  measure_mosaic (&bench, 64);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  bench_set_up (&bench);
  g_test_add_func ("/bench/mosaic-16", test_mosaic_16);
  g_test_add_func ("/bench/click-first-frame", test_clicks);
  g_test_add_func ("/bench/mosaic-64", test_mosaic_64);
  status = g_test_run ();
  bench_tear_down (&bench);
  return status;
}
