/* vg-timeline-private.h: VgTimeline's input handlers, for tests that play the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-timeline.h"
#include "vg-timeline-scale.h"

G_BEGIN_DECLS

/* x, y in the widget's coordinates. */
void   vg_timeline_pointer_press   (VgTimeline *self, double x, double y, gboolean shift);
void   vg_timeline_pointer_motion  (VgTimeline *self, double x, double y);
void   vg_timeline_pointer_release (VgTimeline *self);
/* A wheel step at x: dy > 0 zooms out, dx pans. */
void   vg_timeline_wheel           (VgTimeline *self, double x, double dx, double dy);
/* The x of a time, and the y of the middle of a row. */
double vg_timeline_time_to_x       (VgTimeline *self, gint64 time);
double vg_timeline_row_to_y        (VgTimeline *self, guint index);

/* The ruler's ticks at the current range and width (the keys step by one). */
VgTickScale vg_timeline_get_ticks  (VgTimeline *self);

G_END_DECLS
