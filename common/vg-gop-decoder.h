/* vg-gop-decoder.h: a group of pictures decoded at once into raw frames, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "vg-mkv-parser.h"

G_BEGIN_DECLS

/* The format of decoded frames: what GdkMemoryTexture takes as it is. */
#define VG_GOP_DECODER_FORMAT "BGRA"

typedef struct
{
  gint64     time_us;   /* UTC */
  GstSample *sample;    /* BGRA */
} VgDecodedFrame;

/**
 * VgDecodedGop:
 * @frames: (element-type VgDecodedFrame): in time order
 * @keyframes_only: only the keyframe was decoded
 * @bytes: memory the frames hold
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

/* Decodes blocks (one track's, starting with a keyframe) in a worker thread with
 * appsrc ! decodebin ! videoconvert ! appsink; base_us = the segment's DateUTC. */
void          vg_gop_decoder_decode_async  (GstCaps *caps, GPtrArray *blocks, gint64 base_us,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
VgDecodedGop *vg_gop_decoder_decode_finish (GAsyncResult *result, GError **error);

G_END_DECLS
