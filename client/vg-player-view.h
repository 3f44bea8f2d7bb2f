/* vg-player-view.h: a recorded camera stream with its transport controls (PLAY-3, PLAY-9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_PLAYER_VIEW (vg_player_view_get_type ())
G_DECLARE_FINAL_TYPE (VgPlayerView, vg_player_view, VG, PLAYER_VIEW, GtkWidget)

/**
 * VgPlayerView:
 *
 * Shows the frames of a VgPlayback and drives it: play/pause, reverse, speed (1/8× to
 * 20×), frame step, keyframe jumps of 1 to 256 groups, Home/End, snapshot. Every
 * action is an action of the widget ("player.*") with a key: Space play/pause,
 * Left/Right frame step, Page Up/Page Down keyframe jump, J/K/L shuttle (J backwards
 * and faster at each press, K pause, L forwards and faster), Home/End the first and
 * last recorded instants, Ctrl+S snapshot.
 *
 * Signal "go-to-edge" (gboolean end) → gboolean: Home (end FALSE) or End was pressed;
 * a handler that takes the clock to the first or last instant of the whole recording
 * returns TRUE. Unhandled, the view goes to the edges of what its engine has listed
 * (vg_playback_get_recorded_range()).
 */
GtkWidget  *vg_player_view_new            (void);

/* The engine shown and driven; the view keeps a reference. NULL: none. */
void        vg_player_view_set_playback   (VgPlayerView *self, VgPlayback *playback);
VgPlayback *vg_player_view_get_playback   (VgPlayerView *self);
/* (nullable) the texture shown */
GdkTexture *vg_player_view_get_texture    (VgPlayerView *self);
/* Whether the transport bar is shown (a mosaic cell hides it). */
void        vg_player_view_set_show_controls (VgPlayerView *self, gboolean show);
/* The text of the time label (for tests). */
const char *vg_player_view_get_time_text  (VgPlayerView *self);

/* The next shuttle speed after a J (direction -1) or L (+1) press at speed (pure). */
double      vg_player_view_shuttle_speed  (double speed, gboolean playing, int direction);

G_END_DECLS
