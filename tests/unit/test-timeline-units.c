/* test-timeline-units.c: the timeline's pure parts: time ranges (merging, clipping,
 * what is missing), time ↔ pixel mapping and zoom, ticks and labels in a time zone,
 * local date-time entry, and the dichotomous search (no display, no node)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "vg-bisection.h"
#include "vg-time-ranges.h"
#include "vg-timeline-scale.h"

#define S G_TIME_SPAN_SECOND

static void
assert_ranges (GArray       *ranges,
               const gint64 *expected,
               guint         n_pairs)
{
  g_assert_cmpuint (ranges->len, ==, n_pairs);
  for (guint i = 0; i < n_pairs; i++)
    {
      g_assert_cmpint (g_array_index (ranges, VgTimeRange, i).start, ==, expected[2 * i]);
      g_assert_cmpint (g_array_index (ranges, VgTimeRange, i).end, ==, expected[2 * i + 1]);
    }
}

static void
test_ranges_add (void)
{
  g_autoptr(GArray) ranges = vg_time_ranges_new ();

  vg_time_ranges_add (ranges, 50, 60, 0);
  vg_time_ranges_add (ranges, 10, 20, 0);
  vg_time_ranges_add (ranges, 30, 40, 0);
  assert_ranges (ranges, (gint64[]) { 10, 20, 30, 40, 50, 60 }, 3);

  /* Within the tolerance: joined; empty ranges: ignored. */
  vg_time_ranges_add (ranges, 21, 29, 1);
  assert_ranges (ranges, (gint64[]) { 10, 40, 50, 60 }, 2);
  vg_time_ranges_add (ranges, 70, 70, 0);
  assert_ranges (ranges, (gint64[]) { 10, 40, 50, 60 }, 2);

  /* Swallowing several. */
  vg_time_ranges_add (ranges, 0, 55, 0);
  assert_ranges (ranges, (gint64[]) { 0, 60 }, 1);
}

static void
test_ranges_remove_clip (void)
{
  g_autoptr(GArray) ranges = vg_time_ranges_new ();
  g_autoptr(GArray) clipped = NULL;

  vg_time_ranges_add (ranges, 0, 100, 0);
  vg_time_ranges_add (ranges, 200, 300, 0);
  vg_time_ranges_remove (ranges, 50, 250);
  assert_ranges (ranges, (gint64[]) { 0, 50, 250, 300 }, 2);

  clipped = vg_time_ranges_clip (ranges, 25, 275);
  assert_ranges (clipped, (gint64[]) { 25, 50, 250, 275 }, 2);
  g_assert_true (vg_time_ranges_covers (ranges, 10, 40));
  g_assert_false (vg_time_ranges_covers (ranges, 40, 60));
}

static void
test_ranges_missing (void)
{
  g_autoptr(GArray) known = vg_time_ranges_new ();
  VgTimeRange missing;

  g_assert_true (vg_time_ranges_missing (known, 0, 100, &missing));
  g_assert_cmpint (missing.start, ==, 0);
  g_assert_cmpint (missing.end, ==, 100);

  vg_time_ranges_add (known, 0, 40, 0);
  vg_time_ranges_add (known, 60, 80, 0);
  g_assert_true (vg_time_ranges_missing (known, 0, 100, &missing));
  g_assert_cmpint (missing.start, ==, 40);
  g_assert_cmpint (missing.end, ==, 100);

  g_assert_true (vg_time_ranges_missing (known, 10, 70, &missing));
  g_assert_cmpint (missing.start, ==, 40);
  g_assert_cmpint (missing.end, ==, 60);

  g_assert_false (vg_time_ranges_missing (known, 5, 35, &missing));
}

static void
test_ranges_pixels (void)
{
  g_autoptr(GArray) ranges = vg_time_ranges_new ();
  g_autoptr(GArray) runs = NULL;
  VgPixelRun *run;

  /* 1000 s on 100 px: 10 s a pixel. Spans 3 s apart merge; a 1 s span keeps a pixel. */
  vg_time_ranges_add (ranges, 0, 100 * S, 0);
  vg_time_ranges_add (ranges, 103 * S, 200 * S, 0);
  vg_time_ranges_add (ranges, 500 * S, 501 * S, 0);
  vg_time_ranges_add (ranges, 900 * S, 1200 * S, 0);
  runs = vg_time_ranges_to_pixels (ranges, 0, 1000 * S, 100);

  g_assert_cmpuint (runs->len, ==, 3);
  run = &g_array_index (runs, VgPixelRun, 0);
  g_assert_cmpfloat_with_epsilon (run->x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->width, 20, 1e-9);
  run = &g_array_index (runs, VgPixelRun, 1);
  g_assert_cmpfloat_with_epsilon (run->x, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->width, 1, 1e-9);
  run = &g_array_index (runs, VgPixelRun, 2);
  g_assert_cmpfloat_with_epsilon (run->x, 90, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->width, 10, 1e-9);   /* clipped at the end */
}

static void
test_scale_mapping (void)
{
  gint64 start = 1000 * S, end = 2000 * S;

  g_assert_cmpfloat_with_epsilon (vg_timeline_scale_time_to_x (1500 * S, start, end, 200), 100, 1e-9);
  g_assert_cmpint (vg_timeline_scale_x_to_time (50, start, end, 200), ==, 1250 * S);
  /* Round trip at every pixel. */
  for (int x = 0; x <= 200; x++)
    g_assert_cmpfloat_with_epsilon (vg_timeline_scale_time_to_x (vg_timeline_scale_x_to_time (x, start, end, 200),
                                                                 start, end, 200), x, 1e-6);
}

static void
test_scale_zoom (void)
{
  gint64 start = 0, end = 1000 * S;

  /* Zooming in by 2 around 250 s keeps 250 s a quarter of the way. */
  vg_timeline_scale_zoom (&start, &end, 0.5, 250 * S);
  g_assert_cmpint (start, ==, 125 * S);
  g_assert_cmpint (end, ==, 625 * S);

  /* Limits: not below 10 s, not above 366 days. */
  vg_timeline_scale_zoom (&start, &end, 1e-9, 200 * S);
  g_assert_cmpint (end - start, ==, VG_TIMELINE_MIN_SPAN);
  g_assert_cmpint (start, <=, 200 * S);
  g_assert_cmpint (end, >=, 200 * S);
  vg_timeline_scale_zoom (&start, &end, 1e9, 200 * S);
  g_assert_cmpint (end - start, ==, VG_TIMELINE_MAX_SPAN);

  vg_timeline_scale_center (&start, &end, G_TIME_SPAN_HOUR, 7200 * S);
  g_assert_cmpint (start, ==, 5400 * S);
  g_assert_cmpint (end, ==, 9000 * S);
}

static void
test_ticks_choice (void)
{
  /* An hour on 1200 px with labels 90 px apart (270 s): 5 minutes. */
  VgTickScale ticks = vg_timeline_scale_choose_ticks (0, G_TIME_SPAN_HOUR, 1200, 90);
  g_assert_cmpint (ticks.step, ==, 5 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (ticks.label, ==, VG_TICK_LABEL_MINUTES);

  ticks = vg_timeline_scale_choose_ticks (0, 30 * S, 1200, 90);
  g_assert_cmpint (ticks.step, ==, 5 * S);
  g_assert_cmpint (ticks.label, ==, VG_TICK_LABEL_SECONDS);

  ticks = vg_timeline_scale_choose_ticks (0, 7 * G_TIME_SPAN_DAY, 1200, 90);
  g_assert_cmpint (ticks.step, ==, G_TIME_SPAN_DAY);
  g_assert_cmpint (ticks.label, ==, VG_TICK_LABEL_DAYS);

  ticks = vg_timeline_scale_choose_ticks (0, 366 * G_TIME_SPAN_DAY, 1200, 90);
  g_assert_cmpuint (ticks.months, ==, 1);
}

static gint64
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, seconds);

  return g_date_time_to_unix (time) * S + g_date_time_get_microsecond (time);
}

static void
test_ticks_in_zone (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GTimeZone) kolkata = g_time_zone_new_identifier ("Asia/Kolkata");
  VgTickScale hours = vg_timeline_scale_choose_ticks (0, 24 * G_TIME_SPAN_HOUR, 1200, 90);
  VgTickScale days = vg_timeline_scale_choose_ticks (0, 10 * G_TIME_SPAN_DAY, 1200, 90);
  gint64 tick;
  g_autofree char *label = NULL;
  g_autofree char *midnight = NULL;

  g_assert_nonnull (paris);
  g_assert_nonnull (kolkata);
  g_assert_cmpint (hours.step, ==, 2 * G_TIME_SPAN_HOUR);

  /* 10:20 UTC in Paris (UTC+1 in November) is 11:20: the next 2-hour tick is 12:00 local. */
  tick = vg_timeline_scale_first_tick (&hours, utc (2026, 11, 22, 10, 20, 0), paris);
  g_assert_cmpint (tick, ==, utc (2026, 11, 22, 11, 0, 0));
  label = vg_timeline_scale_format_tick (&hours, tick, paris);
  g_assert_cmpstr (label, ==, "12:00");

  /* Half-hour zone: local whole hours fall on UTC half hours. */
  tick = vg_timeline_scale_first_tick (&hours, utc (2026, 11, 22, 10, 20, 0), kolkata);
  g_assert_cmpint (tick, ==, utc (2026, 11, 22, 10, 30, 0));   /* 16:00 IST */

  /* Local midnight shows the date even on a time-of-day scale. */
  tick = vg_timeline_scale_first_tick (&hours, utc (2026, 11, 22, 22, 10, 0), paris);
  g_assert_cmpint (tick, ==, utc (2026, 11, 22, 23, 0, 0));
  midnight = vg_timeline_scale_format_tick (&hours, tick, paris);
  g_assert_cmpstr (midnight, ==, "Mon 23 Nov");

  /* Days across the end of summer time: 25 hours between two local midnights. */
  tick = vg_timeline_scale_first_tick (&days, utc (2026, 10, 24, 12, 0, 0), paris);
  g_assert_cmpint (tick, ==, utc (2026, 10, 24, 22, 0, 0));   /* Sun 25 Oct 00:00 CEST */
  tick = vg_timeline_scale_next_tick (&days, tick, paris);
  g_assert_cmpint (tick, ==, utc (2026, 10, 25, 23, 0, 0));   /* Mon 26 Oct 00:00 CET */
}

/* The keys' steps (PLAY-9): a tick of the scale, in calendar days and months. */
static void
test_add_ticks (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  VgTickScale hours = vg_timeline_scale_choose_ticks (0, 24 * G_TIME_SPAN_HOUR, 1200, 90);
  VgTickScale days = vg_timeline_scale_choose_ticks (0, 10 * G_TIME_SPAN_DAY, 1200, 90);
  VgTickScale months = { 31 * G_TIME_SPAN_DAY, 1, VG_TICK_LABEL_MONTHS };
  gint64 at = utc (2026, 10, 24, 12, 0, 0) + 250 * G_TIME_SPAN_MILLISECOND;

  /* Within a day: the step, either way, the fraction of second kept. */
  g_assert_cmpint (vg_timeline_scale_add_ticks (&hours, at, 1, paris), ==, at + 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (vg_timeline_scale_add_ticks (&hours, at, -2, paris), ==, at - 4 * G_TIME_SPAN_HOUR);
  /* A day across the end of summer time: the same local hour, 25 hours later. */
  g_assert_cmpint (days.step, ==, G_TIME_SPAN_DAY);
  g_assert_cmpint (vg_timeline_scale_add_ticks (&days, at, 1, paris), ==, at + 25 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (vg_timeline_scale_add_ticks (&days, at + 25 * G_TIME_SPAN_HOUR, -1, paris), ==, at);
  /* Months: the same local day and hour, a calendar month away. */
  g_assert_cmpint (vg_timeline_scale_add_ticks (&months, utc (2026, 1, 15, 11, 0, 0), 1, paris), ==,
                   utc (2026, 2, 15, 11, 0, 0));
  g_assert_cmpint (vg_timeline_scale_add_ticks (&months, utc (2026, 3, 31, 10, 0, 0), -1, paris), ==,
                   utc (2026, 2, 28, 11, 0, 0));   /* 31 March 12:00 CEST → 28 February 12:00 CET */
}

static void
test_local_entry (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autofree char *text = NULL;
  gint64 time = 0;

  text = vg_timeline_scale_format_local (utc (2026, 7, 1, 8, 30, 5), paris);
  g_assert_cmpstr (text, ==, "2026-07-01 10:30:05");
  g_assert_true (vg_timeline_scale_parse_local (text, paris, &time));
  g_assert_cmpint (time, ==, utc (2026, 7, 1, 8, 30, 5));
  g_assert_true (vg_timeline_scale_parse_local (" 2026-07-01 10:30 ", paris, &time));
  g_assert_cmpint (time, ==, utc (2026, 7, 1, 8, 30, 0));
  g_assert_true (vg_timeline_scale_parse_local ("2026-07-01 10:30:05.250", paris, &time));
  g_assert_cmpint (time, ==, utc (2026, 7, 1, 8, 30, 5.25));

  g_assert_false (vg_timeline_scale_parse_local ("2026-07-01", paris, &time));
  g_assert_false (vg_timeline_scale_parse_local ("2026-13-01 10:30", paris, &time));
  g_assert_false (vg_timeline_scale_parse_local ("2026-07-01 10:30 tomorrow", paris, &time));
}

static void
test_bisection (void)
{
  VgBisection bisection;
  gint64 change = 7777 * G_TIME_SPAN_MILLISECOND;   /* what the operator sees */
  guint announced;

  vg_bisection_init (&bisection, 0, 3600 * S);
  g_assert_cmpint (vg_bisection_get_probe (&bisection), ==, 1800 * S);
  announced = vg_bisection_answers_left (&bisection, 40 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (announced, ==, 17);   /* 3600 s / 2^17 < 40 ms ≤ 3600 s / 2^16 */

  while (!vg_bisection_is_done (&bisection, 40 * G_TIME_SPAN_MILLISECOND))
    vg_bisection_answer (&bisection, vg_bisection_get_probe (&bisection) >= change);

  g_assert_cmpuint (bisection.answers, ==, announced);
  g_assert_cmpint (bisection.low, <, change);
  g_assert_cmpint (bisection.high, >=, change);
  g_assert_cmpint (bisection.high - bisection.low, <=, 40 * G_TIME_SPAN_MILLISECOND);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/ranges/add", test_ranges_add);
  g_test_add_func ("/timeline/ranges/remove-clip", test_ranges_remove_clip);
  g_test_add_func ("/timeline/ranges/missing", test_ranges_missing);
  g_test_add_func ("/timeline/ranges/pixels", test_ranges_pixels);
  g_test_add_func ("/timeline/scale/mapping", test_scale_mapping);
  g_test_add_func ("/timeline/scale/zoom", test_scale_zoom);
  g_test_add_func ("/timeline/ticks/choice", test_ticks_choice);
  g_test_add_func ("/timeline/ticks/zone", test_ticks_in_zone);
  g_test_add_func ("/timeline/ticks/add", test_add_ticks);
  g_test_add_func ("/timeline/local-entry", test_local_entry);
  g_test_add_func ("/timeline/bisection", test_bisection);

  return g_test_run ();
}
