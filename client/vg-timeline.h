/* vg-timeline.h: recorded spans of several cameras on a zoomable time scale, with a
 * cursor, a selection and a dichotomous search (PLAY-1, PLAY-2, PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-recording-track.h"

G_BEGIN_DECLS

#define VG_TYPE_TIMELINE (vg_timeline_get_type ())
G_DECLARE_FINAL_TYPE (VgTimeline, vg_timeline, VG, TIMELINE, GtkWidget)

/**
 * VgTimeline:
 *
 * One row per VgRecordingTrack: recorded spans, gaps, and marks (alarm, motion); above
 * them a ruler labelled in the local time zone. Every time is UTC microseconds since
 * the epoch, as the tracks and the API hold them.
 *
 * Input: the wheel (and ctrl+wheel) zooms around the pointer (shift+wheel or a
 * horizontal wheel pans); a drag with the first button moves the cursor; shift+drag
 * selects a range; a drag with the middle or right button pans; a click on a row's name
 * makes it the active row. With the focus (PLAY-9): Left/Right move the cursor by one
 * tick of the ruler, Shift+Left/Right extend the selection by one, plus/minus (and the
 * keypad's) zoom around the cursor, Page Up/Page Down take the cursor to the previous
 * or next start or end of a recorded span of any row. Each key is an action of the
 * widget: "timeline.step-cursor", "timeline.step-selection", "timeline.zoom" (> 0: in),
 * "timeline.jump-boundary", all with an int (the direction).
 *
 * Properties: "start", "end" (the visible range), "cursor", "selection-start" and
 * "selection-end" (equal when there is no selection), "active-track" (index, −1 for
 * none), "bisecting", "bisection-answers-left".
 *
 * Signals:
 * - "seek-requested" (gint64 time, gboolean final): the user moved the cursor: while
 *   dragging (final FALSE), at the release and for each dichotomous step (final TRUE).
 *   vg_timeline_set_cursor() (a player following its playback) does not emit it.
 */
GtkWidget        *vg_timeline_new               (void);

void              vg_timeline_add_track         (VgTimeline *self, VgRecordingTrack *track);
void              vg_timeline_remove_all_tracks (VgTimeline *self);
guint             vg_timeline_get_n_tracks      (VgTimeline *self);
VgRecordingTrack *vg_timeline_get_track         (VgTimeline *self, guint index);
/* (nullable): the active row's track */
VgRecordingTrack *vg_timeline_get_active_track  (VgTimeline *self);
void              vg_timeline_set_active_track  (VgTimeline *self, int index);

gint64            vg_timeline_get_start         (VgTimeline *self);
gint64            vg_timeline_get_end           (VgTimeline *self);
/* Clamped to the zoom limits (10 s to 366 days). */
void              vg_timeline_set_range         (VgTimeline *self, gint64 start, gint64 end);
/* Multiplies the visible span by factor, keeping anchor in place. */
void              vg_timeline_zoom              (VgTimeline *self, double factor, gint64 anchor);
/* Shows span microseconds around the cursor (or the middle when the cursor is out of
 * sight). */
void              vg_timeline_zoom_to_span      (VgTimeline *self, gint64 span);
/* Shows everything recorded (up to 366 days back), once the tracks know it. */
void              vg_timeline_zoom_all          (VgTimeline *self);

gint64            vg_timeline_get_cursor        (VgTimeline *self);
void              vg_timeline_set_cursor        (VgTimeline *self, gint64 time);

/* Keyboard moves (n ticks, or a direction of 1 or −1); the cursor's moves emit
 * "seek-requested" (final) and keep it in sight. */
void              vg_timeline_step_cursor       (VgTimeline *self, int n);
void              vg_timeline_step_selection    (VgTimeline *self, int n);
/* factor < 1 zooms in. */
void              vg_timeline_zoom_at_cursor    (VgTimeline *self, double factor);
void              vg_timeline_jump_boundary     (VgTimeline *self, int direction);
/* The nearest start or end of a known recorded span of any row strictly after
 * (direction 1) or before (−1) time. */
gboolean          vg_timeline_find_boundary     (VgTimeline *self, gint64 time, int direction,
                                                 gint64 *boundary);

/* FALSE when nothing is selected. */
gboolean          vg_timeline_get_selection     (VgTimeline *self, gint64 *start, gint64 *end);
void              vg_timeline_set_selection     (VgTimeline *self, gint64 start, gint64 end);
void              vg_timeline_clear_selection   (VgTimeline *self);

/* Dichotomous search in the selection (or the visible range): the cursor goes to the
 * middle and each answer halves the interval, until one frame (40 ms) is left. */
void              vg_timeline_start_bisection   (VgTimeline *self);
/* before: what is looked for has already happened at the cursor. */
void              vg_timeline_answer_bisection  (VgTimeline *self, gboolean before);
void              vg_timeline_stop_bisection    (VgTimeline *self);
gboolean          vg_timeline_get_bisecting     (VgTimeline *self);
guint             vg_timeline_get_bisection_answers_left (VgTimeline *self);

G_END_DECLS
