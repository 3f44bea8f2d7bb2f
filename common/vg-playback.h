/* vg-playback.h: plays a recorded camera stream from the node's index and Range reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "vg-api-client.h"
#include "vg-playback-clock.h"

G_BEGIN_DECLS

typedef enum {
  VG_PLAYBACK_STATE_IDLE,     /* no source or no position yet */
  VG_PLAYBACK_STATE_LOADING,  /* the frame of the position is being read and decoded */
  VG_PLAYBACK_STATE_FRAME,    /* the frame of the position is shown */
  VG_PLAYBACK_STATE_GAP,      /* nothing was recorded at the position */
  VG_PLAYBACK_STATE_ERROR,    /* see vg_playback_get_error() */
} VgPlaybackState;

#define VG_PLAYBACK_JUMP_MAX 256

#define VG_TYPE_PLAYBACK (vg_playback_get_type ())
G_DECLARE_FINAL_TYPE (VgPlayback, vg_playback, VG, PLAYBACK, GObject)

/**
 * VgPlayback:
 *
 * The playback engine (PLAY-3, PLAY-5): shows the frame recorded at the position of
 * its VgPlaybackClock, a frame's time being its UTC time (segment DateUTC + block
 * time). It lists the segments of a window around the position (GET
 * /api/v1/cameras/{id}/segments), reads each segment's header once (alongside the
 * first group read from it) and the Clusters of one group of pictures at a time with
 * HTTP Range, demuxes them itself (VgMkvParser) and decodes the group in a worker
 * thread with one pipeline kept for all groups (VgGopDecoder). The frame at the
 * position is shown as soon as it is decoded; the decoder goes on with the rest of the
 * group. Decoded groups stay in a cache bounded in bytes (the group shown, the one at
 * the position and the one just decoded are kept whatever their size), so playing
 * backwards and stepping back are served from it; while playing, the next group in the
 * direction of play is read ahead. When decoding every frame would not keep up with
 * the speed (measured decode rate), only keyframes are read and decoded.
 *
 * The cache holds frames as decoded (I420: 150 MB a 1080p group of 50 frames, 414 MB
 * in BGRA); the frame shown is converted to BGRA (VgFrameConverter). Frames shown are
 * BGRA GstSamples; "frame" is emitted on the main context when the frame
 * shown changes. Nothing here touches a display.
 *
 * The audio blocks read with each group are played at 1× forward by a
 * VgPlaybackAudio timed on the monotonic clock, so that sound matches picture.
 *
 * Properties: "clock" (shared by synchronised players), "state", "skip-gaps" (while
 * playing, jump over what was not recorded instead of showing the gap),
 * "cache-limit" (bytes of decoded frames kept), "has-audio" (read-only), "volume",
 * "muted", "audio-sink".
 */
VgPlayback      *vg_playback_new              (VgApiClient *client, gint64 camera_id,
                                               const char *stream);

/* Another camera or stream (quality) at the same instant. stream NULL: the camera's
 * first. */
void             vg_playback_set_source       (VgPlayback *self, gint64 camera_id, const char *stream);
gint64           vg_playback_get_camera_id    (VgPlayback *self);
const char      *vg_playback_get_stream       (VgPlayback *self);

VgPlaybackClock *vg_playback_get_clock        (VgPlayback *self);
void             vg_playback_set_clock        (VgPlayback *self, VgPlaybackClock *clock);

/* Shortcuts to the clock. */
void             vg_playback_seek             (VgPlayback *self, gint64 time_us);
void             vg_playback_play             (VgPlayback *self);
void             vg_playback_pause            (VgPlayback *self);
void             vg_playback_set_speed        (VgPlayback *self, double speed);

/* Pauses and shows the next (n = 1) or previous (n = -1) frame. */
void             vg_playback_step             (VgPlayback *self, int n);
/* Pauses and shows the keyframe n groups of pictures later (n > 0) or earlier
 * (n < 0), |n| ≤ 256. */
void             vg_playback_jump_keyframes   (VgPlayback *self, int n);

VgPlaybackState  vg_playback_get_state        (VgPlayback *self);
const char      *vg_playback_get_error        (VgPlayback *self);
/* (nullable) the frame shown, BGRA */
GstSample       *vg_playback_get_frame        (VgPlayback *self);
/* UTC µs of the frame shown, 0 without one. */
gint64           vg_playback_get_frame_time   (VgPlayback *self);
/* Whether the frame shown came from a keyframes-only pass (high speeds). */
gboolean         vg_playback_get_keyframes_only (VgPlayback *self);

/* The first and last recorded instants in the listed window around the position;
 * FALSE before the index is there or when it is empty (Home / End keys). */
gboolean         vg_playback_get_recorded_range (VgPlayback *self, gint64 *first_us, gint64 *last_us);

gboolean         vg_playback_get_skip_gaps    (VgPlayback *self);
void             vg_playback_set_skip_gaps    (VgPlayback *self, gboolean skip_gaps);
gsize            vg_playback_get_cache_limit  (VgPlayback *self);
void             vg_playback_set_cache_limit  (VgPlayback *self, gsize bytes);

/* Sound (PLAY-4): heard at 1× forward only, in step with the pictures; silent when
 * paused, stepping, at other speeds or backwards. has-audio: a segment read so far
 * has an audio track that can be played. */
gboolean         vg_playback_get_has_audio    (VgPlayback *self);
double           vg_playback_get_volume       (VgPlayback *self);
/* 0 to 1 */
void             vg_playback_set_volume       (VgPlayback *self, double volume);
gboolean         vg_playback_get_muted        (VgPlayback *self);
void             vg_playback_set_muted        (VgPlayback *self, gboolean muted);
/* (nullable) (transfer none) */
GstElement      *vg_playback_get_audio_sink   (VgPlayback *self);
/* The element sound goes to (a floating reference is taken); NULL: $VIGIE_AUDIO_SINK
 * (a gst-launch description), else autoaudiosink. Without a usable output the engine
 * goes on silent (one warning). */
void             vg_playback_set_audio_sink   (VgPlayback *self, GstElement *sink);

/* Counters for tests and benchmarks. */
guint64          vg_playback_get_frames_shown (VgPlayback *self);
guint64          vg_playback_get_gops_decoded (VgPlayback *self);
/* Bytes of decoded frames in the cache. */
gsize            vg_playback_get_cache_bytes  (VgPlayback *self);

G_END_DECLS
