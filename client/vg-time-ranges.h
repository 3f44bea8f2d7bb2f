/* vg-time-ranges.h: sorted, disjoint UTC time ranges (recorded spans, fetched ranges)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times are microseconds since the Unix epoch, UTC; a range is [start, end). */
typedef struct {
  gint64 start;
  gint64 end;
} VgTimeRange;

/* A GArray of VgTimeRange, kept sorted and disjoint by the functions below. */
GArray  *vg_time_ranges_new      (void);
/* Adds [start, end); ranges that overlap it or come within tolerance of it are merged. */
void     vg_time_ranges_add      (GArray *ranges, gint64 start, gint64 end, gint64 tolerance);
/* Removes [start, end), cutting the ranges that straddle its edges. */
void     vg_time_ranges_remove   (GArray *ranges, gint64 start, gint64 end);
/* Whether [start, end) lies inside one range. */
gboolean vg_time_ranges_covers   (GArray *ranges, gint64 start, gint64 end);
/* A new array: the parts of the ranges inside [start, end). */
GArray  *vg_time_ranges_clip     (GArray *ranges, gint64 start, gint64 end);
/* The smallest range holding every part of [start, end) that the ranges do not cover;
 * FALSE when everything is covered. */
gboolean vg_time_ranges_missing  (GArray *ranges, gint64 start, gint64 end,
                                  VgTimeRange *missing);
/* The ranges inside [start, end) as pixel columns of a width-pixel-wide view: a
 * GArray of VgPixelRun, runs closer than one pixel merged, each at least one pixel. */
typedef struct {
  double x;
  double width;
} VgPixelRun;
GArray  *vg_time_ranges_to_pixels (GArray *ranges, gint64 start, gint64 end, double width);

G_END_DECLS
