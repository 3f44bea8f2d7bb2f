/* vg-gop-cache.h: the last pictures of a live stream, from a keyframe on (LIVE-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vg-access-unit.h"

G_BEGIN_DECLS

/**
 * VgGopCache:
 *
 * What a viewer joining now needs to show a picture at once: the access units since
 * the last video keyframe (audio included), and the group before it while the current
 * one is still short, since some players (ffmpeg) probe about twenty frames before they
 * show the first one. The memory is capped: a group that outgrows the cap is dropped,
 * and the next keyframe starts again. Not thread-safe: its owner locks.
 */
typedef struct _VgGopCache VgGopCache;

/* max_bytes: 0 for the default (8 MiB). min_frames: below this many pictures in the
 * current group, the previous group is given too (0: never). */
VgGopCache *vg_gop_cache_new      (gsize max_bytes, guint min_frames);
void        vg_gop_cache_free     (VgGopCache *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgGopCache, vg_gop_cache_free)

void        vg_gop_cache_push     (VgGopCache *self, VgAccessUnit *unit);
/* The stream stopped: what is cached cannot be continued. */
void        vg_gop_cache_clear    (VgGopCache *self);

/* The units a joining viewer gets, oldest first, starting at a video keyframe (new
 * references); empty when no keyframe is cached. */
GPtrArray  *vg_gop_cache_dup      (VgGopCache *self);
gsize       vg_gop_cache_get_bytes (VgGopCache *self);

G_END_DECLS
