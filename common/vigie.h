/* vigie.h: libvigie, the protocol library shared by the node and the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define VIGIE_INSIDE

#include "vg-api-client.h"
#include "vg-camera.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-mkv-parser.h"
#include "vg-playback.h"
#include "vg-playback-clock.h"
#include "vg-schedule.h"
#include "vg-segment-index.h"
#include "vg-gop-decoder.h"
#include "vg-server-info.h"
#include "vg-session.h"
#include "vg-stream.h"
#include "vg-user.h"

#undef VIGIE_INSIDE
