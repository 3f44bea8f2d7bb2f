/* vg-depay-g711.h: G.711 (PCMA, PCMU) and G.726 depayloader: one unit per packet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

/* codec: PCMA, PCMU or G726. bits_per_sample: 8 for G.711, 2..5 for G.726 (whose RTP
 * packing, RFC 3551 4.5.4, puts the first codeword in the low bits of a byte; the
 * units carry the payload as it came). */
VgDepay *vg_depay_g711_new (VgCodec codec, guint clock_rate, guint bits_per_sample);

G_END_DECLS
