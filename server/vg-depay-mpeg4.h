/* vg-depay-mpeg4.h: MPEG-4 part 2 video (RFC 6416) depayloader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

VgDepay *vg_depay_mpeg4_new (void);

G_END_DECLS
