/* vg-frame-converter.h: decoded video frames converted to BGRA when they are shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The format of the frames shown: what GdkMemoryTexture takes as it is. */
#define VG_FRAME_CONVERTER_FORMAT "BGRA"

/**
 * VgFrameConverter:
 *
 * A GstVideoConverter kept from one frame to the next (rebuilt when the decoded format
 * or size changes) that turns a decoded frame (I420, NV12, … as the decoder gives it)
 * into a BGRA one. Decoded groups of pictures stay in the decoder's format, a third of
 * the memory of BGRA for 4:2:0; only the frame shown is converted. One thread at a
 * time.
 */
typedef struct _VgFrameConverter VgFrameConverter;

VgFrameConverter *vg_frame_converter_new     (void);
void              vg_frame_converter_free    (VgFrameConverter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgFrameConverter, vg_frame_converter_free)

/* A BGRA sample of raw's frame (its buffer keeps raw's PTS); NULL with
 * GST_STREAM_ERROR_FORMAT or _DECODE when raw is no raw video that can be converted. */
GstSample        *vg_frame_converter_convert (VgFrameConverter *self, GstSample *raw, GError **error);

G_END_DECLS
