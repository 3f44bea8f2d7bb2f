/* vg-playback-audio.h: the sound of a recording, played in step with the playback clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "vg-mkv-parser.h"

G_BEGIN_DECLS

/* The caps of the track's blocks for appsrc (AAC, G.711 A-law or µ-law as the node
 * records them); NULL when we cannot play it. */
GstCaps         *vg_playback_audio_caps_for_track (const VgMkvTrack *track);

#define VG_TYPE_PLAYBACK_AUDIO (vg_playback_audio_get_type ())
G_DECLARE_FINAL_TYPE (VgPlaybackAudio, vg_playback_audio, VG, PLAYBACK_AUDIO, GObject)

/**
 * VgPlaybackAudio:
 *
 * One pipeline (appsrc ! decodebin ! audioconvert ! audioresample ! volume ! sink) that
 * plays a recording's audio blocks at 1× on the monotonic clock: its clock is a
 * GstSystemClock on CLOCK_MONOTONIC (the clock of g_get_monotonic_time()), its base
 * time is the monotonic instant at which the UTC time given to
 * vg_playback_audio_start() plays, and the blocks' timestamps are their UTC times
 * (the segment starts at that time). A block of UTC time t is thus heard when the
 * playback clock, at speed 1 from that instant, shows t.
 *
 * Stopping is a flushing seek: what was queued is dropped at once (pause, seek,
 * another speed) while the decoder stays plugged and the output open. When the sink cannot be opened the pipeline is dropped,
 * "failed" becomes TRUE, and a warning is logged once per process.
 *
 * Properties: "sink" (NULL: $VIGIE_AUDIO_SINK as a gst-launch description, else
 * autoaudiosink), "volume" (0 to 1), "muted", "failed" (read-only).
 */
VgPlaybackAudio *vg_playback_audio_new            (void);

/* Plays blocks from now on: UTC position_us is heard at monotonic time monotonic_us,
 * later blocks as much later. FALSE when no audio can be played ("failed"). */
gboolean         vg_playback_audio_start          (VgPlaybackAudio *self, GstCaps *caps,
                                                   gint64 position_us, gint64 monotonic_us);
/* Silent at once; blocks pushed are dropped until the next start. */
void             vg_playback_audio_stop           (VgPlaybackAudio *self);
gboolean         vg_playback_audio_is_playing     (VgPlaybackAudio *self);
/* (nullable) the caps of the last start */
GstCaps         *vg_playback_audio_get_caps       (VgPlaybackAudio *self);

/* A block of UTC time time_ns. Blocks come in time order: one at or before the last
 * one pushed, or before the start position, is dropped. A jump of more than a few
 * blocks (nothing recorded between) makes the decoder and the sink start again at the
 * block's time. */
void             vg_playback_audio_push           (VgPlaybackAudio *self, gint64 time_ns, GBytes *data);
/* UTC ns of the last block pushed since the start (the start position before any). */
gint64           vg_playback_audio_get_last_time  (VgPlaybackAudio *self);

/* (nullable) (transfer none) the sink chosen with set_sink */
GstElement      *vg_playback_audio_get_sink       (VgPlaybackAudio *self);
/* Takes a (floating) reference; NULL: the default. Stops the audio. */
void             vg_playback_audio_set_sink       (VgPlaybackAudio *self, GstElement *sink);
double           vg_playback_audio_get_volume     (VgPlaybackAudio *self);
void             vg_playback_audio_set_volume     (VgPlaybackAudio *self, double volume);
gboolean         vg_playback_audio_get_muted      (VgPlaybackAudio *self);
void             vg_playback_audio_set_muted      (VgPlaybackAudio *self, gboolean muted);
gboolean         vg_playback_audio_get_failed     (VgPlaybackAudio *self);

G_END_DECLS
