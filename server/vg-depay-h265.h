/* vg-depay-h265.h: H.265 (RFC 7798) depayloader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

VgDepay *vg_depay_h265_new (void);

G_END_DECLS
