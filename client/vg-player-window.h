/* vg-player-window.h: a window playing back one camera, or several synchronised (PLAY-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection.h"
#include "vg-player-view.h"
#include "vg-timeline-panel.h"

G_BEGIN_DECLS

#define VG_TYPE_PLAYER_WINDOW (vg_player_window_get_type ())
G_DECLARE_FINAL_TYPE (VgPlayerWindow, vg_player_window, VG, PLAYER_WINDOW, AdwWindow)

/**
 * VgPlayerWindow:
 *
 * Plays back camera_ids (one, or a grid of synchronised cameras on one
 * VgPlaybackClock) of the connection's node from time_us (UTC µs), paused or playing.
 * Engines start once the connection is connected. stream: the stream to play; NULL
 * for each camera's first recorded stream, or, with several cameras, its recorded
 * mosaic stream when it has one (small cells: less to decode).
 *
 * Keys (PLAY-9): a view with the focus takes the player's keys (VgPlayerView); the
 * timeline with the focus takes its own (arrows, plus/minus, Page Up/Down:
 * VgTimeline); Space, J/K/L, Home/End and Ctrl+S typed in the timeline panel reach
 * the first view (the window's "player.*" actions of the same names). Home/End go to the first or last instant recorded by any of
 * the cameras shown, over the whole recording (asked to the node).
 */
VgPlayerWindow *vg_player_window_new        (GtkApplication *application, VgConnection *connection,
                                             const gint64 *camera_ids, guint n_cameras,
                                             const char *stream, gint64 time_us, gboolean playing);
VgPlaybackClock *vg_player_window_get_clock (VgPlayerWindow *self);
guint           vg_player_window_get_n_views (VgPlayerWindow *self);
VgPlayerView   *vg_player_window_get_view   (VgPlayerWindow *self, guint i);
VgTimelinePanel *vg_player_window_get_timeline_panel (VgPlayerWindow *self);

G_END_DECLS
