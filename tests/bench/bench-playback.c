/* bench-playback.c: the playback engine's figures (PLAY-3, PLAY-4, PLAY-5) against a
 * real node recording four simulated 1080p H.264 cameras (~4 Mbit/s, GOP 2 s):
 *   - seek → frame shown: 50 random instants, each with a new engine (index listing,
 *     header read, GOP read and decode: the cold path of a click on the timeline),
 *     then 50 with the engine of an open player (index listed, decoder built);
 *   - frame step backward from a keyframe: the first step (decodes the group before)
 *     and the ten that follow (from the cache);
 *   - 20× forward: frames shown per second and the longest main-loop stall;
 *   - four cameras on one clock at 1×: largest spread of their frames' times;
 *   - a minute at 1× of the camera with AAC (PLAY-4): the offset between the sound
 *     heard (a fakesink with sync=true on the engine's audio pipeline) and the
 *     playback clock, and the frames shown;
 *   - the memory of decoded groups: the cache's bytes and the process's resident
 *     memory after one 1080p group, then after 10 s played at 1×.
 * Prints TAP with the figures as messages; asserts nothing about time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-listener.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <string.h>

#define N_CAMERAS 4
#define RECORD_SECONDS 70
#define AUDIO_SECONDS 60

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;
static gint64 cameras[N_CAMERAS];
static gint64 first_us;
static gint64 last_us;

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *values_us)
{
  gint64 worst;

  g_array_sort (values_us, compare_gint64);
  worst = g_array_index (values_us, gint64, values_us->len - 1);
  g_test_message ("%s: n=%u median %.1f ms, worst %.1f ms", what, values_us->len,
                  g_array_index (values_us, gint64, values_us->len / 2) / 1000.0, worst / 1000.0);
}

static gint64
add_camera (guint sim_camera)
{
  g_autofree char *url = vg_test_sim_url (sim, sim_camera, "main");
  g_autofree char *sub_url = vg_test_sim_url (sim, sim_camera, "sub");
  g_autofree char *json = g_strdup_printf ("{\"name\": \"Bench %u\", \"streams\": ["
                                           "{\"name\": \"main\", \"url\": \"%s\", \"roles\": [\"record\"]}, "
                                           "{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"record\"]}]}",
                                           sim_camera, url, sub_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/cameras", json, &status, &error);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static void
record (void)
{
  for (guint i = 0; i < N_CAMERAS; i++)
    cameras[i] = add_camera (i + 1);
  first_us = g_get_real_time () + 3 * G_USEC_PER_SEC;
  vg_test_sleep_ms (RECORD_SECONDS * 1000);
  last_us = g_get_real_time () - 3 * G_USEC_PER_SEC;
}

static gboolean
shows_frame (gpointer data)
{
  VgPlayback *playback = data;

  return vg_playback_get_state (playback) == VG_PLAYBACK_STATE_FRAME
         || vg_playback_get_state (playback) == VG_PLAYBACK_STATE_ERROR;
}

/* Waits for a frame; says what the engine was doing when none came. */
static void
wait_frame (VgPlayback *playback,
            const char *what)
{
  if (vg_test_wait_until (shows_frame, playback, 10000))
    return;
  g_error ("%s: no frame within 10 s (state %d, position %" G_GINT64_FORMAT ", frame %" G_GINT64_FORMAT
           ", recorded %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT ")",
           what, vg_playback_get_state (playback), vg_playback_clock_get_position (vg_playback_get_clock (playback)),
           vg_playback_get_frame_time (playback), first_us, last_us);
}

typedef struct
{
  VgPlayback *playback;
  gint64      before;
} WaitEarlier;

static gboolean
shows_earlier (gpointer data)
{
  WaitEarlier *wait = data;

  return vg_playback_get_state (wait->playback) == VG_PLAYBACK_STATE_FRAME
         && vg_playback_get_frame_time (wait->playback) < wait->before;
}

static void
bench_seek (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[i % N_CAMERAS], NULL);
      gint64 t = first_us + (gint64) (g_rand_double (rand) * (double) (last_us - first_us));
      gint64 started = g_get_monotonic_time ();
      gint64 took;

      vg_playback_seek (playback, t);
      g_assert_true (vg_test_wait_until (shows_frame, playback, 10000));
      g_assert_cmpint (vg_playback_get_state (playback), ==, VG_PLAYBACK_STATE_FRAME);
      took = g_get_monotonic_time () - started;
      g_array_append_val (times, took);
    }
  report ("seek to a random instant -> frame shown (1080p, new engine each)", times);
}

/* Another group of pictures each time: a click on the timeline of an open player. */
static void
bench_seek_open (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (43);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[1], NULL);

  vg_playback_seek (playback, first_us);
  wait_frame (playback, "first seek of the open player");
  for (guint i = 0; i < 50; i++)
    {
      gint64 t = first_us + (gint64) (g_rand_double (rand) * (double) (last_us - first_us));
      gint64 started = g_get_monotonic_time ();
      gint64 took;

      if (ABS (t - vg_playback_get_frame_time (playback)) < 5 * G_USEC_PER_SEC / 2)
        {
          i--;   /* maybe the group shown: another instant */
          continue;
        }
      /* A group not decoded yet: the cache keeps none but the one shown. */
      vg_playback_set_cache_limit (playback, 0);
      vg_playback_set_cache_limit (playback, 768 * 1024 * 1024);
      vg_playback_seek (playback, t);
      wait_frame (playback, "seek in the open player");
      while (vg_playback_get_frame_time (playback) > t || vg_playback_get_frame_time (playback) <= t - 100000)
        {
          g_main_context_iteration (NULL, TRUE);
          g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
        }
      took = g_get_monotonic_time () - started;
      g_array_append_val (times, took);
    }
  report ("seek to a random instant -> frame shown (1080p, open player)", times);
}

static void
bench_step_back (void)
{
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) following = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[0], NULL);

  for (guint n = 0; n < 5; n++)
    {
      gint64 t = first_us + (gint64) (n + 2) * 5 * G_USEC_PER_SEC;

      /* On a keyframe: the frame before is in the group before. */
      vg_playback_seek (playback, t);
      wait_frame (playback, "seek before stepping back");
      vg_playback_jump_keyframes (playback, 1);
      vg_test_sleep_ms (1000);
      if (vg_playback_get_state (playback) != VG_PLAYBACK_STATE_FRAME)
        continue;
      vg_playback_set_cache_limit (playback, 0);
      vg_playback_set_cache_limit (playback, 768 * 1024 * 1024);
      for (guint s = 0; s < 11; s++)
        {
          WaitEarlier wait = { playback, vg_playback_get_frame_time (playback) };
          gint64 started = g_get_monotonic_time ();
          gint64 took;

          vg_playback_step (playback, -1);
          g_assert_true (vg_test_wait_until (shows_earlier, &wait, 10000));
          took = g_get_monotonic_time () - started;
          g_array_append_val (s == 0 ? first : following, took);
        }
    }
  report ("frame step backward, first (decodes the previous group)", first);
  report ("frame step backward, following (cached)", following);
}

typedef struct
{
  gint64 last;
  gint64 worst;
} Stall;

static gboolean
stall_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->worst = MAX (stall->worst, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static void
bench_fast_forward (void)
{
  g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[0], NULL);
  Stall stall = { 0, 0 };
  guint64 shown;
  guint id;

  vg_playback_seek (playback, first_us);
  g_assert_true (vg_test_wait_until (shows_frame, playback, 10000));
  shown = vg_playback_get_frames_shown (playback);
  id = g_timeout_add (5, stall_tick, &stall);
  vg_playback_set_speed (playback, 20);
  vg_playback_play (playback);
  vg_test_sleep_ms ((guint) ((last_us - first_us) / 20 / 1000));
  vg_playback_pause (playback);
  g_source_remove (id);
  g_test_message ("20x forward, 1080p 4 Mbit/s: %.1f frames shown per second (keyframes only: %s), "
                  "longest main-loop stall %.1f ms",
                  (vg_playback_get_frames_shown (playback) - shown) * 1000.0 / ((last_us - first_us) / 20 / 1000.0),
                  vg_playback_get_keyframes_only (playback) ? "yes" : "no", stall.worst / 1000.0);
}

/* The cameras on one clock at 1× for 10 s, stream (main: 1080p, sub: 640×360): the
 * largest spread of the frames' times shown at one moment. */
static void
bench_sync (gconstpointer data)
{
  const char *stream = data;
  g_autoptr(VgPlaybackClock) clock = vg_playback_clock_new ();
  VgPlayback *playbacks[N_CAMERAS];
  gint64 spread_max = 0;
  gint64 until;

  for (guint i = 0; i < N_CAMERAS; i++)
    {
      playbacks[i] = vg_playback_new (admin, cameras[i], stream);
      vg_playback_set_clock (playbacks[i], clock);
    }
  vg_playback_clock_seek (clock, first_us + 5 * G_USEC_PER_SEC);
  for (guint i = 0; i < N_CAMERAS; i++)
    g_assert_true (vg_test_wait_until (shows_frame, playbacks[i], 10000));
  vg_playback_clock_set_playing (clock, TRUE);
  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      gint64 lo = G_MAXINT64;
      gint64 hi = G_MININT64;

      g_main_context_iteration (NULL, TRUE);
      for (guint i = 0; i < N_CAMERAS; i++)
        {
          lo = MIN (lo, vg_playback_get_frame_time (playbacks[i]));
          hi = MAX (hi, vg_playback_get_frame_time (playbacks[i]));
        }
      spread_max = MAX (spread_max, hi - lo);
    }
  vg_playback_clock_set_playing (clock, FALSE);
  g_test_message ("four cameras (%s stream, %s) on one clock at 1x for 10 s: largest spread of their "
                  "frames' times %.1f ms", stream, g_str_equal (stream, "main") ? "1080p" : "640x360",
                  spread_max / 1000.0);
  for (guint i = 0; i < N_CAMERAS; i++)
    g_object_unref (playbacks[i]);
}

static void
report_signed (const char *what, GArray *values_us)
{
  guint within = 0;

  if (values_us->len == 0)
    {
      g_test_message ("%s: none", what);
      return;
    }
  g_array_sort (values_us, compare_gint64);
  for (guint i = 0; i < values_us->len; i++)
    within += ABS (g_array_index (values_us, gint64, i)) <= 40000;
  g_test_message ("%s: n=%u median %+.1f ms, from %+.1f to %+.1f ms, %.1f %% within 40 ms", what, values_us->len,
                  g_array_index (values_us, gint64, values_us->len / 2) / 1000.0,
                  g_array_index (values_us, gint64, 0) / 1000.0,
                  g_array_index (values_us, gint64, values_us->len - 1) / 1000.0,
                  100.0 * within / values_us->len);
}

static void
bench_audio (void)
{
  g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[1], NULL);
  g_autoptr(GArray) to_clock = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) to_clock_later = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) to_frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) to_frames_on_time = g_array_new (FALSE, FALSE, sizeof (gint64));
  VgTestListener listener;
  gint64 played_at;
  gint64 played_from;
  guint v = 0;

  vg_test_listener_attach (&listener, playback);

  vg_playback_seek (playback, first_us);
  wait_frame (playback, "seek before playing with sound");
  g_assert_true (vg_playback_get_has_audio (playback));
  vg_playback_play (playback);
  played_at = g_get_monotonic_time ();
  played_from = vg_playback_clock_get_position_at (vg_playback_get_clock (playback), played_at);
  vg_test_sleep_ms (AUDIO_SECONDS * 1000);
  vg_playback_pause (playback);

  /* Each buffer heard against the clock's position then (1× from played_from), and
   * against the frame shown then; "on time": while that frame is the clock's or the
   * one before (the pictures may fall behind when decoding 1080p does). */
  g_mutex_lock (&listener.lock);
  for (guint a = 0; a < listener.audio->len; a++)
    {
      const VgTestHeard *heard = &g_array_index (listener.audio, VgTestHeard, a);
      gint64 position = played_from + heard->monotonic_us - played_at;
      gint64 offset = heard->media_us - position;
      const VgTestHeard *shown;

      g_array_append_val (to_clock, offset);
      if (heard->monotonic_us - played_at >= G_USEC_PER_SEC)
        g_array_append_val (to_clock_later, offset);
      if (a == 0)
        g_test_message ("1x with AAC: first buffer heard %.1f ms after play, %+.1f ms from the clock",
                        (heard->monotonic_us - played_at) / 1000.0, offset / 1000.0);
      while (v + 1 < listener.video->len && g_array_index (listener.video, VgTestHeard, v + 1).monotonic_us <= heard->monotonic_us)
        v++;
      if (v >= listener.video->len || g_array_index (listener.video, VgTestHeard, v).monotonic_us > heard->monotonic_us)
        continue;
      shown = &g_array_index (listener.video, VgTestHeard, v);
      offset = heard->media_us - shown->media_us;
      g_array_append_val (to_frames, offset);
      if (position - shown->media_us < 80000)
        g_array_append_val (to_frames_on_time, offset);
    }
  g_mutex_unlock (&listener.lock);
  report_signed ("1x with AAC for a minute: sound heard - playback clock", to_clock);
  report_signed ("1x with AAC for a minute: sound heard - playback clock, after the first second", to_clock_later);
  report_signed ("1x with AAC for a minute: sound heard - frame shown (A/V offset)", to_frames);
  report_signed ("1x with AAC for a minute: A/V offset while the frame shown is on time", to_frames_on_time);
  /* The sink's handler writes to the listener: the engine goes first. */
  g_clear_object (&playback);
  vg_test_listener_clear (&listener);
}

/* VmRSS of this process, in kB. */
static gint64
resident_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static gboolean
group_decoded (gpointer data)
{
  return vg_playback_get_gops_decoded (data) > 0;
}

static void
bench_cache_memory (void)
{
  g_autoptr(VgPlayback) playback = vg_playback_new (admin, cameras[0], NULL);
  gint64 resident = resident_kb ();

  vg_playback_seek (playback, first_us + 10 * G_USEC_PER_SEC + 100000);
  g_assert_true (vg_test_wait_until (group_decoded, playback, 20000));
  g_test_message ("memory: one decoded 1080p group (%" G_GUINT64_FORMAT " groups decoded): cache %.1f MB, "
                  "resident memory +%.1f MB", vg_playback_get_gops_decoded (playback),
                  vg_playback_get_cache_bytes (playback) / 1e6, (resident_kb () - resident) / 1e3);
  vg_playback_play (playback);
  vg_test_sleep_ms (10000);
  vg_playback_pause (playback);
  g_test_message ("memory: after 10 s at 1x (%" G_GUINT64_FORMAT " groups decoded): cache %.1f MB, "
                  "resident memory +%.1f MB", vg_playback_get_gops_decoded (playback),
                  vg_playback_get_cache_bytes (playback) / 1e6, (resident_kb () - resident) / 1e3);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  sim = vg_test_sim_start (N_CAMERAS, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new ("[recording]\nsegment-seconds=10\n");
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  vg_api_client_set_basic_auth (admin, "admin", VG_TEST_ADMIN_PASSWORD);
  record ();

  g_test_add_func ("/bench/playback/seek", bench_seek);
  g_test_add_func ("/bench/playback/seek-open", bench_seek_open);
  g_test_add_func ("/bench/playback/step-back", bench_step_back);
  g_test_add_func ("/bench/playback/fast-forward", bench_fast_forward);
  g_test_add_data_func ("/bench/playback/sync", "main", bench_sync);
  g_test_add_data_func ("/bench/playback/sync-sub", "sub", bench_sync);
  g_test_add_func ("/bench/playback/audio", bench_audio);
  g_test_add_func ("/bench/playback/cache-memory", bench_cache_memory);
  status = g_test_run ();

  g_clear_object (&admin);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
