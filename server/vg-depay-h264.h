/* vg-depay-h264.h: H.264 (RFC 6184) depayloader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

VgDepay *vg_depay_h264_new (void);

G_END_DECLS
