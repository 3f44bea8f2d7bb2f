/* vg-live-pipeline.h: one RTSP(S) live stream decoded into GdkTextures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  VG_LIVE_STATE_IDLE,        /* not started */
  VG_LIVE_STATE_CONNECTING,  /* no frame yet */
  VG_LIVE_STATE_PLAYING,     /* frames arrive */
  VG_LIVE_STATE_NO_SIGNAL,   /* the stream is cut or unreachable; trying again */
  VG_LIVE_STATE_DENIED,      /* the node refused the credentials; trying again */
  VG_LIVE_STATE_ERROR,       /* it cannot be shown (no decoder…); trying again */
} VgLiveState;

#define VG_LIVE_PIPELINE_BACKOFF_MIN_MS 500
#define VG_LIVE_PIPELINE_BACKOFF_MAX_MS 10000

#define VG_TYPE_LIVE_PIPELINE (vg_live_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (VgLivePipeline, vg_live_pipeline, VG, LIVE_PIPELINE, GObject)

/**
 * VgLivePipeline:
 *
 * `rtspsrc latency=0 ! decodebin3 ! videoscale ! videoconvert ! appsink` (BGRA, at most
 * the size it is shown at): decoded frames wait in a short queue (3) for the main
 * thread, which takes them one a paint when paced or the newest at one idle otherwise,
 * and wraps them without a copy in a GdkMemoryTexture that keeps the GstBuffer mapped
 * while it lives. The "frame" signal tells a new texture is there. decodebin3 picks the
 * decoder by rank: a hardware one (VA-API, NVDEC) when present, its pictures downloaded
 * to system memory; "decoder" names it.
 *
 * After a cut, an error or a stall (no frame for a few seconds) it starts again by
 * itself, waiting 0.5 s, then twice as long each time up to 10 s; the first frame
 * brings the wait back to 0.5 s. The last texture is kept meanwhile.
 *
 * rtsps:// certificates are accepted only when their SHA-256 fingerprint equals
 * "tls-fingerprint" (lower-case hex).
 */
VgLivePipeline *vg_live_pipeline_new                  (const char *uri);

const char     *vg_live_pipeline_get_uri              (VgLivePipeline *self);
void            vg_live_pipeline_set_credentials      (VgLivePipeline *self, const char *user,
                                                       const char *password);
void            vg_live_pipeline_set_tls_fingerprint  (VgLivePipeline *self,
                                                       const char *fingerprint);

void            vg_live_pipeline_start                (VgLivePipeline *self);
void            vg_live_pipeline_stop                 (VgLivePipeline *self);

/* Paced: frames wait for vg_live_pipeline_update(), which the widget showing them calls
 * at each tick of its frame clock, instead of one idle each (set before starting). */
void            vg_live_pipeline_set_paced            (VgLivePipeline *self, gboolean paced);
/* Shows the oldest frame waiting, if any ("frame"). */
void            vg_live_pipeline_update               (VgLivePipeline *self);
/* Frames wait, enough that the next one would push out one never shown. */
gboolean        vg_live_pipeline_is_behind            (VgLivePipeline *self);
/* Frames are scaled down, aspect kept, to fit width × height pixels (0 × 0: their own
 * size), in the streaming thread. */
void            vg_live_pipeline_set_max_size         (VgLivePipeline *self, int width, int height);
/* The newest frame at its decoded size, converted now (for snapshots). */
GdkTexture     *vg_live_pipeline_dup_full_frame       (VgLivePipeline *self, GError **error);
VgLiveState     vg_live_pipeline_get_state            (VgLivePipeline *self);
/* (nullable) the newest frame */
GdkTexture     *vg_live_pipeline_get_texture          (VgLivePipeline *self);
/* Frames decoded, and frames handed to the main thread (fewer when it lags). */
guint64         vg_live_pipeline_get_frames_received  (VgLivePipeline *self);
guint64         vg_live_pipeline_get_frames_shown     (VgLivePipeline *self);
/* (nullable) the decoder element's factory name, and whether it decodes in hardware. */
const char     *vg_live_pipeline_get_decoder          (VgLivePipeline *self);
gboolean        vg_live_pipeline_get_hardware_decoding (VgLivePipeline *self);
/* Restarts so far (for tests and diagnostics). */
guint           vg_live_pipeline_get_restarts         (VgLivePipeline *self);

/* The wait before the attempt after `failures` failed ones (pure; for tests). */
guint           vg_live_pipeline_backoff_ms           (guint failures);

G_END_DECLS
