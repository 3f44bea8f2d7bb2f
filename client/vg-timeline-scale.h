/* vg-timeline-scale.h: a timeline's time ↔ pixel mapping, zoom limits, ticks and labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times are microseconds since the Unix epoch, UTC. Labels are in a given time zone
 * (the operator's local one in the widget). */

#define VG_TIMELINE_MIN_SPAN (10 * G_TIME_SPAN_SECOND)
#define VG_TIMELINE_MAX_SPAN (366 * G_TIME_SPAN_DAY)

double  vg_timeline_scale_time_to_x (gint64 time, gint64 start, gint64 end, double width);
gint64  vg_timeline_scale_x_to_time (double x, gint64 start, gint64 end, double width);

/* Multiplies the visible span by factor (clamped to the limits), keeping anchor at the
 * same place on the screen. */
void    vg_timeline_scale_zoom      (gint64 *start, gint64 *end, double factor, gint64 anchor);
/* A range of this span (clamped) centred on center. */
void    vg_timeline_scale_center    (gint64 *start, gint64 *end, gint64 span, gint64 center);

typedef enum {
  VG_TICK_LABEL_SECONDS,   /* 14:05:30 */
  VG_TICK_LABEL_MINUTES,   /* 14:05 */
  VG_TICK_LABEL_DAYS,      /* Mon 22 Nov */
  VG_TICK_LABEL_MONTHS,    /* Nov 2026 */
} VgTickLabel;

typedef struct {
  gint64      step;        /* approximate for months */
  guint       months;      /* non-zero: steps of whole months */
  VgTickLabel label;
} VgTickScale;

/* The finest tick scale whose ticks are at least min_spacing pixels apart. */
VgTickScale vg_timeline_scale_choose_ticks (gint64 start, gint64 end, double width,
                                            double min_spacing);
/* The first tick at or after time, aligned in tz (midnight, the hour, the month…). */
gint64  vg_timeline_scale_first_tick (const VgTickScale *ticks, gint64 time, GTimeZone *tz);
gint64  vg_timeline_scale_next_tick  (const VgTickScale *ticks, gint64 tick, GTimeZone *tz);
/* time moved by n ticks (n < 0: back): calendar days and months in tz. */
gint64  vg_timeline_scale_add_ticks  (const VgTickScale *ticks, gint64 time, int n, GTimeZone *tz);
/* The label of a tick in tz; a tick at midnight under a time-of-day scale shows the date. */
char   *vg_timeline_scale_format_tick (const VgTickScale *ticks, gint64 tick, GTimeZone *tz);

/* "2026-11-22 14:05:30" in tz, and back; parse accepts seconds left out. */
char    *vg_timeline_scale_format_local (gint64 time, GTimeZone *tz);
gboolean vg_timeline_scale_parse_local  (const char *text, GTimeZone *tz, gint64 *time);

G_END_DECLS
