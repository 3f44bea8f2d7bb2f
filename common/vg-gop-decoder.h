/* vg-gop-decoder.h: groups of pictures decoded by one pipeline, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "vg-mkv-parser.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     time_us;   /* UTC */
  GstSample *sample;    /* as decoded (I420, NV12, …): VgFrameConverter makes it BGRA */
} VgDecodedFrame;

/**
 * VgDecodedGop:
 * @frames: (element-type VgDecodedFrame): in time order
 * @keyframes_only: only the keyframe was decoded
 * @bytes: memory the frames hold
 * @complete: every frame of the group is there (FALSE: the frames up to the one
 *   asked for, while the decoder goes on with the others)
 * @decode_us: how long decoding took (monotonic µs)
 *
 * A group of pictures decoded, with each frame's UTC time (the segment's DateUTC plus
 * the block's time).
 */
typedef struct
{
  guint64   key;
  GArray   *frames;
  gboolean  keyframes_only;
  gboolean  growing;
  gboolean  complete;
  gsize     bytes;
  gint64    decode_us;
} VgDecodedGop;

void          vg_decoded_gop_free         (VgDecodedGop *gop);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgDecodedGop, vg_decoded_gop_free)
/* The last frame with time ≤ time_us (the first frame when all are later); -1 when
 * the GOP has no frame. */
int           vg_decoded_gop_find         (const VgDecodedGop *gop, gint64 time_us);
const VgDecodedFrame *vg_decoded_gop_get  (const VgDecodedGop *gop, guint i);

/* The caps of the track's access units for appsrc; NULL when we cannot decode it. */
GstCaps      *vg_gop_decoder_caps_for_track (const VgMkvTrack *track);

#define VG_TYPE_GOP_DECODER (vg_gop_decoder_get_type ())
G_DECLARE_FINAL_TYPE (VgGopDecoder, vg_gop_decoder, VG, GOP_DECODER, GObject)

/* Receives, on the caller's main context, the frames decoded so far (a VgDecodedGop
 * that is not complete, in time order): up to the frame asked for, then more as they
 * come (every 80 ms). */
typedef void (*VgGopDecoderTargetFunc) (VgDecodedGop *partial, gpointer user_data);

/**
 * VgGopDecoder:
 *
 * One decoding pipeline (appsrc ! decodebin ! appsink) kept from one group of
 * pictures to the next (rewound by a flushing seek), fed from a worker thread: building
 * it and starting the codec happen once, not per group. Groups are decoded one after
 * another. Frames are kept as the decoder gives them (I420 for H.264 and H.265 4:2:0:
 * 3 MB a 1080p frame, not the 8 MB of BGRA); the frame shown is converted
 * (VgFrameConverter).
 */
VgGopDecoder *vg_gop_decoder_new           (void);

/* Decodes blocks (one track's, starting with a keyframe); base_us = the UTC time of
 * the blocks' zero. As soon as the frame shown at target_us (the last one at or before
 * it) is decoded, target_func gets the frames so far; callback gets the whole group. */
void          vg_gop_decoder_decode_async  (VgGopDecoder *self, GstCaps *caps, GPtrArray *blocks,
                                            gint64 base_us, gint64 target_us,
                                            VgGopDecoderTargetFunc target_func,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
VgDecodedGop *vg_gop_decoder_decode_finish (VgGopDecoder *self, GAsyncResult *result, GError **error);

G_END_DECLS
