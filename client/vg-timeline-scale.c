/* vg-timeline-scale.c: a timeline's time ↔ pixel mapping, zoom limits, ticks and labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "vg-timeline-scale.h"

double
vg_timeline_scale_time_to_x (gint64 time,
                             gint64 start,
                             gint64 end,
                             double width)
{
  if (end <= start)
    return 0;
  return (double) (time - start) * width / (double) (end - start);
}

gint64
vg_timeline_scale_x_to_time (double x,
                             gint64 start,
                             gint64 end,
                             double width)
{
  if (width <= 0)
    return start;
  return start + (gint64) llround (x * (double) (end - start) / width);
}

void
vg_timeline_scale_zoom (gint64 *start,
                        gint64 *end,
                        double  factor,
                        gint64  anchor)
{
  gint64 span = *end - *start;
  double share;
  gint64 new_span;

  g_return_if_fail (factor > 0);

  share = span > 0 ? (double) (anchor - *start) / (double) span : 0.5;
  new_span = CLAMP ((gint64) llround (span * factor), VG_TIMELINE_MIN_SPAN, VG_TIMELINE_MAX_SPAN);
  *start = anchor - (gint64) llround (share * new_span);
  *end = *start + new_span;
}

void
vg_timeline_scale_center (gint64 *start,
                          gint64 *end,
                          gint64  span,
                          gint64  center)
{
  span = CLAMP (span, VG_TIMELINE_MIN_SPAN, VG_TIMELINE_MAX_SPAN);
  *start = center - span / 2;
  *end = *start + span;
}

/* Ticks */

#define MINUTE G_TIME_SPAN_MINUTE
#define HOUR G_TIME_SPAN_HOUR
#define DAY G_TIME_SPAN_DAY
#define SECOND G_TIME_SPAN_SECOND

static const VgTickScale tick_scales[] = {
  { 1 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 2 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 5 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 10 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 15 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 30 * SECOND, 0, VG_TICK_LABEL_SECONDS },
  { 1 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 2 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 5 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 10 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 15 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 30 * MINUTE, 0, VG_TICK_LABEL_MINUTES },
  { 1 * HOUR, 0, VG_TICK_LABEL_MINUTES },
  { 2 * HOUR, 0, VG_TICK_LABEL_MINUTES },
  { 3 * HOUR, 0, VG_TICK_LABEL_MINUTES },
  { 6 * HOUR, 0, VG_TICK_LABEL_MINUTES },
  { 12 * HOUR, 0, VG_TICK_LABEL_MINUTES },
  { 1 * DAY, 0, VG_TICK_LABEL_DAYS },
  { 2 * DAY, 0, VG_TICK_LABEL_DAYS },
  { 7 * DAY, 0, VG_TICK_LABEL_DAYS },
  { 30 * DAY, 1, VG_TICK_LABEL_MONTHS },
  { 91 * DAY, 3, VG_TICK_LABEL_MONTHS },
  { 365 * DAY, 12, VG_TICK_LABEL_MONTHS },
};

VgTickScale
vg_timeline_scale_choose_ticks (gint64 start,
                                gint64 end,
                                double width,
                                double min_spacing)
{
  double usec_per_pixel = width > 0 ? (double) (end - start) / width : 0;

  for (guint i = 0; i < G_N_ELEMENTS (tick_scales); i++)
    {
      if ((double) tick_scales[i].step >= usec_per_pixel * min_spacing)
        return tick_scales[i];
    }
  return tick_scales[G_N_ELEMENTS (tick_scales) - 1];
}

static GDateTime *
to_zone (gint64     time,
         GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) at = g_date_time_add (utc, time);

  return g_date_time_to_timezone (at, tz);
}

static gint64
to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_TIME_SPAN_SECOND + g_date_time_get_microsecond (time);
}

/* The tick at or before time. */
static gint64
align_down (const VgTickScale *ticks,
            gint64             time,
            GTimeZone         *tz)
{
  g_autoptr(GDateTime) local = to_zone (time, tz);
  g_autoptr(GDateTime) aligned = NULL;

  if (ticks->months > 0)
    {
      int month = g_date_time_get_month (local) - 1;

      month -= month % ticks->months;
      aligned = g_date_time_new (tz, g_date_time_get_year (local), month + 1, 1, 0, 0, 0);
    }
  else if (ticks->step >= DAY)
    {
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                       g_date_time_get_month (local),
                                                       g_date_time_get_day_of_month (local), 0, 0, 0);
      /* Weeks start on Monday; shorter steps count days from the 1st. */
      int days = ticks->step == 7 * DAY ? g_date_time_get_day_of_week (local) - 1
                                        : (g_date_time_get_day_of_month (local) - 1) % (int) (ticks->step / DAY);

      aligned = g_date_time_add_days (midnight, -days);
    }
  else
    {
      /* Within a day: multiples of the step from local midnight (whole-hour and
       * half-hour zones alike). */
      gint64 offset = (gint64) g_date_time_get_utc_offset (local);
      gint64 local_time = time + offset;
      gint64 floored = local_time - (((local_time % ticks->step) + ticks->step) % ticks->step);

      return floored - offset;
    }

  return to_usec (aligned);
}

gint64
vg_timeline_scale_next_tick (const VgTickScale *ticks,
                             gint64             tick,
                             GTimeZone         *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (ticks->months == 0 && ticks->step < DAY)
    return tick + ticks->step;

  local = to_zone (tick, tz);
  next = ticks->months > 0 ? g_date_time_add_months (local, ticks->months)
                           : g_date_time_add_days (local, (int) (ticks->step / DAY));
  /* Days are calendar days: across a DST change the step is 23 or 25 hours. */
  return to_usec (next);
}

gint64
vg_timeline_scale_add_ticks (const VgTickScale *ticks,
                             gint64             time,
                             int                n,
                             GTimeZone         *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) moved = NULL;

  if (ticks->months == 0 && ticks->step < DAY)
    return time + n * ticks->step;

  local = to_zone (time, tz);
  moved = ticks->months > 0 ? g_date_time_add_months (local, n * (int) ticks->months)
                            : g_date_time_add_days (local, n * (int) (ticks->step / DAY));
  return to_usec (moved);
}

gint64
vg_timeline_scale_first_tick (const VgTickScale *ticks,
                              gint64             time,
                              GTimeZone         *tz)
{
  gint64 tick = align_down (ticks, time, tz);

  while (tick < time)
    tick = vg_timeline_scale_next_tick (ticks, tick, tz);
  return tick;
}

char *
vg_timeline_scale_format_tick (const VgTickScale *ticks,
                               gint64             tick,
                               GTimeZone         *tz)
{
  g_autoptr(GDateTime) local = to_zone (tick, tz);
  gboolean midnight = g_date_time_get_hour (local) == 0 && g_date_time_get_minute (local) == 0 &&
                      g_date_time_get_second (local) == 0;

  switch (ticks->label)
    {
    case VG_TICK_LABEL_SECONDS:
      if (!midnight)
        return g_date_time_format (local, "%H:%M:%S");
      G_GNUC_FALLTHROUGH;
    case VG_TICK_LABEL_MINUTES:
      if (!midnight)
        return g_date_time_format (local, "%H:%M");
      G_GNUC_FALLTHROUGH;
    case VG_TICK_LABEL_DAYS:
      /* Translators: a day on the timeline, see strftime(3): “Mon 22 Nov” */
      return g_date_time_format (local, _("%a %-d %b"));
    case VG_TICK_LABEL_MONTHS:
    default:
      /* Translators: a month on the timeline, see strftime(3): “Nov 2026” */
      return g_date_time_format (local, _("%b %Y"));
    }
}

char *
vg_timeline_scale_format_local (gint64     time,
                                GTimeZone *tz)
{
  g_autoptr(GDateTime) local = to_zone (time, tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

gboolean
vg_timeline_scale_parse_local (const char *text,
                               GTimeZone  *tz,
                               gint64     *time)
{
  int year, month, day, hour, minute;
  double seconds = 0;
  int consumed = 0;
  g_autoptr(GDateTime) parsed = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (time != NULL, FALSE);

  while (g_ascii_isspace (*text))
    text++;
  if (sscanf (text, "%4d-%2d-%2d %2d:%2d%n", &year, &month, &day, &hour, &minute, &consumed) != 5)
    return FALSE;
  text += consumed;
  if (*text == ':')
    {
      char *end = NULL;

      seconds = g_ascii_strtod (text + 1, &end);
      if (end == text + 1 || seconds < 0 || seconds >= 60)
        return FALSE;
      text = end;
    }
  while (g_ascii_isspace (*text))
    text++;
  if (*text != '\0')
    return FALSE;

  parsed = g_date_time_new (tz, year, month, day, hour, minute, seconds);
  if (parsed == NULL)
    return FALSE;
  *time = to_usec (parsed);
  return TRUE;
}
