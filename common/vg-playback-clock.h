/* vg-playback-clock.h: the instant and speed of playback, shared by synchronised players
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VG_PLAYBACK_SPEED_MIN 0.125
#define VG_PLAYBACK_SPEED_MAX 20.0

#define VG_TYPE_PLAYBACK_CLOCK (vg_playback_clock_get_type ())
G_DECLARE_FINAL_TYPE (VgPlaybackClock, vg_playback_clock, VG, PLAYBACK_CLOCK, GObject)

/**
 * VgPlaybackClock:
 *
 * A position in recorded time (UTC µs) that moves with the monotonic clock at "speed"
 * (negative: backwards; 1/8 to 20 either way) while "playing". Every VgPlayback on one
 * clock shows the frame of the same instant (PLAY-4).
 *
 * Signals: "changed" after a seek, a pause or play, a new speed; "tick" every few
 * milliseconds while playing, so that its players present their frames in the same
 * main-loop iteration.
 */
VgPlaybackClock *vg_playback_clock_new          (void);

gint64           vg_playback_clock_get_position (VgPlaybackClock *self);
/* The position at monotonic time monotonic_us (g_get_monotonic_time()), were nothing
 * to change meanwhile: what a player timed on the monotonic clock maps its media to. */
gint64           vg_playback_clock_get_position_at (VgPlaybackClock *self, gint64 monotonic_us);
void             vg_playback_clock_seek         (VgPlaybackClock *self, gint64 time_us);
double           vg_playback_clock_get_speed    (VgPlaybackClock *self);
/* Clamped to ±[1/8, 20]; 0 is refused. */
void             vg_playback_clock_set_speed    (VgPlaybackClock *self, double speed);
gboolean         vg_playback_clock_get_playing  (VgPlaybackClock *self);
void             vg_playback_clock_set_playing  (VgPlaybackClock *self, gboolean playing);

/* The speed clamped to what the clock takes (pure; for tests). */
double           vg_playback_clock_clamp_speed  (double speed);

G_END_DECLS
