/* bench-live.c: how fast a GStreamer viewer gets its first clean picture, directly from
 * a camera and through the node's relay, and how much later the relay delivers the
 * same frame (LIVE-2 measures).
 *
 *   bench-live DIRECT_URL RELAY_URL [JOINS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

#define LATENCY_SECONDS 10

typedef struct
{
  GMainLoop *loop;
  gint64     first_us;    /* monotonic time of the first decoded picture */
} FirstFrame;

static void
first_frame_cb (GstElement *sink, GstBuffer *buffer, GstPad *pad, gpointer data)
{
  FirstFrame *state = data;

  if (state->first_us == 0)
    {
      state->first_us = g_get_monotonic_time ();
      g_main_loop_quit (state->loop);
    }
}

static gboolean
give_up_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Milliseconds from PLAYING to the first picture avdec_h264 gives out clean, or -1. */
static double
first_frame_ms (const char *url)
{
  g_autofree char *description = g_strdup_printf (
    "rtspsrc location=%s latency=0 protocols=tcp ! rtph264depay ! h264parse ! "
    "avdec_h264 output-corrupt=false ! fakesink name=sink signal-handoffs=true sync=false", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  FirstFrame state = { g_main_loop_new (NULL, FALSE), 0 };
  guint timeout;
  gint64 start;

  if (pipeline == NULL)
    g_error ("%s", error->message);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (first_frame_cb), &state);
  timeout = g_timeout_add_seconds (15, give_up_cb, state.loop);
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (state.loop);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (state.first_us)
    g_source_remove (timeout);
  g_main_loop_unref (state.loop);
  return state.first_us ? (state.first_us - start) / 1000.0 : -1;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *values)
{
  double *v = (double *) values->data;

  if (values->len == 0)
    {
      g_print ("%s: no value\n", what);
      return;
    }
  qsort (v, values->len, sizeof (double), compare_doubles);
  g_print ("%s: median %.1f ms, min %.1f, p90 %.1f, max %.1f (n=%u)\n", what, v[values->len / 2], v[0],
           v[(values->len * 9) / 10 < values->len ? (values->len * 9) / 10 : values->len - 1],
           v[values->len - 1], values->len);
}

/* Latency: compressed pictures are hashed as they arrive from both URLs; the same
 * delta picture (keyframes differ: the relay repeats parameter sets) arrives later
 * through the relay by the relay's delay. */
typedef struct
{
  GHashTable *arrivals;   /* hash → gint64 µs (direct) */
  GArray     *delays;     /* ms */
  gboolean    relay;
  GHashTable *direct;     /* borrowed, for the relay side */
} Arrivals;

static void
picture_cb (GstElement *sink, GstBuffer *buffer, GstPad *pad, gpointer data)
{
  Arrivals *arrivals = data;
  gint64 now = g_get_monotonic_time ();
  GstMapInfo map;
  g_autofree char *hash = NULL;

  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT) == FALSE)
    return;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA1, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  if (!arrivals->relay)
    {
      gint64 *when = g_new (gint64, 1);
      *when = now;
      g_hash_table_replace (arrivals->arrivals, g_steal_pointer (&hash), when);
      return;
    }
  {
    gint64 *when = g_hash_table_lookup (arrivals->direct, hash);
    /* The clip loops every 10 s: only a match from the last few seconds counts. */
    if (when && now - *when < 3 * G_USEC_PER_SEC && now >= *when)
      {
        double ms = (now - *when) / 1000.0;
        g_array_append_val (arrivals->delays, ms);
      }
  }
}

static GstElement *
parse_pipeline (const char *url, Arrivals *arrivals)
{
  g_autofree char *description = g_strdup_printf (
    "rtspsrc location=%s latency=0 protocols=tcp ! rtph264depay ! "
    "h264parse ! video/x-h264,stream-format=byte-stream,alignment=au ! "
    "fakesink name=sink signal-handoffs=true sync=false", url);
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;

  if (pipeline == NULL)
    g_error ("%s", error->message);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (picture_cb), arrivals);
  return pipeline;
}

static void
measure_latency (const char *direct_url, const char *relay_url)
{
  Arrivals direct = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), NULL, FALSE, NULL };
  Arrivals relay = { NULL, g_array_new (FALSE, FALSE, sizeof (double)), TRUE, direct.arrivals };
  GstElement *a = parse_pipeline (direct_url, &direct);
  GstElement *b = parse_pipeline (relay_url, &relay);
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);

  gst_element_set_state (a, GST_STATE_PLAYING);
  gst_element_set_state (b, GST_STATE_PLAYING);
  g_timeout_add_seconds (LATENCY_SECONDS, give_up_cb, loop);
  g_main_loop_run (loop);
  gst_element_set_state (a, GST_STATE_NULL);
  gst_element_set_state (b, GST_STATE_NULL);
  /* The first seconds hold the relay's burst: its delay is not the relay's. */
  if (relay.delays->len > 50)
    g_array_remove_range (relay.delays, 0, 50);
  report ("added latency, same picture through the relay", relay.delays);
  gst_object_unref (a);
  gst_object_unref (b);
  g_main_loop_unref (loop);
  g_hash_table_unref (direct.arrivals);
  g_array_unref (relay.delays);
}

int
main (int argc, char **argv)
{
  g_autoptr(GArray) direct = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) relay = g_array_new (FALSE, FALSE, sizeof (double));
  guint joins;

  gst_init (&argc, &argv);
  if (argc < 3)
    {
      g_printerr ("usage: %s DIRECT_URL RELAY_URL [JOINS]\n", argv[0]);
      return 2;
    }
  joins = argc > 3 ? (guint) atoi (argv[3]) : 10;
  for (guint i = 0; i < joins; i++)
    {
      double ms;

      /* Join at a random instant of the 2 s GOP. */
      g_usleep ((gulong) g_random_int_range (0, 2000) * 1000);
      if ((ms = first_frame_ms (argv[1])) >= 0)
        g_array_append_val (direct, ms);
      g_usleep ((gulong) g_random_int_range (0, 2000) * 1000);
      if ((ms = first_frame_ms (argv[2])) >= 0)
        g_array_append_val (relay, ms);
    }
  report ("first clean picture, GStreamer, direct to the camera", direct);
  report ("first clean picture, GStreamer, through the relay", relay);
  measure_latency (argv[1], argv[2]);
  return 0;
}
