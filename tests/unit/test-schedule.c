/* test-schedule.c: the weekly recording calendar (REC-3): JSON, validation, and its
 * quarter-hour boundaries in local time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vigie.h"

#include <stdlib.h>

static VgSchedule *
parse (const char *json, GError **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return vg_schedule_new_from_json (node, error);
}

static GDateTime *
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();

  return g_date_time_new (zone, year, month, day, hour, minute, seconds);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSchedule) schedule = parse ("{\"mon\": [\"08:00-12:00\", \"13:15-18:00\"], \"sun\": [\"00:00-24:00\"],"
                                          " \"wed\": [\"22:45-24:00\", \"00:00-00:15\"]}", &error);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  json = vg_schedule_to_json (schedule);
  text = vg_json_to_string (json);
  g_assert_cmpstr (text, ==, "{\"mon\":[\"08:00-12:00\",\"13:15-18:00\"],\"tue\":[],"
                             "\"wed\":[\"00:00-00:15\",\"22:45-24:00\"],\"thu\":[],\"fri\":[],\"sat\":[],"
                             "\"sun\":[\"00:00-24:00\"]}");
  {
    g_autoptr(VgSchedule) again = vg_schedule_new_from_json (json, &error);
    g_assert_true (vg_schedule_equal (schedule, again));
  }
}

static void
test_invalid (void)
{
  const char *bad[] = {
    "[]", "{\"monday\": []}", "{\"mon\": \"08:00-09:00\"}", "{\"mon\": [8]}",
    "{\"mon\": [\"08:10-09:00\"]}", "{\"mon\": [\"09:00-08:00\"]}", "{\"mon\": [\"08:00-08:00\"]}",
    "{\"mon\": [\"23:00-24:15\"]}", "{\"mon\": [\"8:00-09:00\"]}", "{\"mon\": [\"08:00-09:00x\"]}",
    "{\"mon\": [\"25:00-26:00\"]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VgSchedule) schedule = parse (bad[i], &error);

      g_test_message ("%s → %s", bad[i], error ? error->message : "accepted");
      g_assert_null (schedule);
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
    }
}

/* The calendar reads in the node's local time: TZ is UTC+1 here (no DST). Monday
 * 2026-11-23 08:00 local is 07:00Z. */
static void
test_boundaries (void)
{
  g_autoptr(VgSchedule) schedule = parse ("{\"mon\": [\"08:00-18:00\"]}", NULL);
  struct { int hour, minute; double seconds; gboolean active; } cases[] = {
    { 6, 59, 59.999, FALSE },
    { 7, 0, 0, TRUE },
    { 12, 0, 0, TRUE },
    { 16, 59, 59.9, TRUE },
    { 17, 0, 0, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) time = utc (2026, 11, 23, cases[i].hour, cases[i].minute, cases[i].seconds);

      g_assert_cmpint (vg_schedule_is_active (schedule, time), ==, cases[i].active);
    }
  {
    /* Tuesday, same hours: off. */
    g_autoptr(GDateTime) tuesday = utc (2026, 11, 24, 9, 0, 0);
    g_autoptr(GDateTime) at = utc (2026, 11, 23, 7, 14, 30);

    g_assert_false (vg_schedule_is_active (schedule, tuesday));
    g_assert_cmpint (vg_schedule_until_next_slot (at), ==, 30 * G_USEC_PER_SEC);
  }
}

static void
test_camera (void)
{
  const char *json = "{\"name\": \"Hall\", \"streams\": [{\"name\": \"main\", \"url\": \"rtsp://127.0.0.1:9/s\"}],"
                     " \"recording\": {\"mode\": \"schedule\", \"schedule\": {\"mon\": [\"08:00-18:00\"]}}}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VgCamera) camera = vg_camera_new_from_json (node, &error);
  g_autoptr(GDateTime) monday = utc (2026, 11, 23, 10, 0, 0);
  g_autoptr(GDateTime) sunday = utc (2026, 11, 22, 10, 0, 0);
  g_autoptr(JsonNode) patch = json_from_string ("{\"recording\": {\"mode\": \"continuous\"}}", NULL);

  g_assert_no_error (error);
  g_assert_true (vg_camera_is_recording_time (camera, monday));
  g_assert_false (vg_camera_is_recording_time (camera, sunday));
  g_assert_true (vg_camera_apply_json_patch (camera, patch, &error));
  g_assert_true (vg_camera_is_recording_time (camera, sunday));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "XXX-1", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schedule/round-trip", test_round_trip);
  g_test_add_func ("/schedule/invalid", test_invalid);
  g_test_add_func ("/schedule/boundaries", test_boundaries);
  g_test_add_func ("/schedule/camera", test_camera);
  return g_test_run ();
}
