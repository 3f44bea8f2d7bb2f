/* vg-depay-jpeg.h: RTP/JPEG (RFC 2435) depayloader: rebuilds a whole JFIF picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

/* width, height: the picture size to use when the RTP/JPEG header says 0 (pictures
 * wider or taller than 2040 pixels; from a=x-dimensions); 0 when unknown. */
VgDepay *vg_depay_jpeg_new (guint width, guint height);

/* The quantization tables RFC 2435 computes for 1 ≤ q ≤ 99 (zigzag order). */
void     vg_jpeg_make_tables (guint q, guint8 luma[64], guint8 chroma[64]);

G_END_DECLS
