/* vg-relay-viewer.h: one live viewer of the relay, fed from its stream's hub (LIVE-1…4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "vg-stream-hub.h"

G_BEGIN_DECLS

/**
 * VgRelayViewer:
 *
 * Pushes the access units of a VgStreamHub into the appsrc elements of one viewer's
 * media ("src0", "src1", … in track order). The cached GOP comes first, stamped close
 * together just behind the pipeline's clock so that the sinks send it at once
 * (FINDINGS §2, trap 1); live units then keep the camera's spacing, anchored to the
 * clock. A viewer that falls more than half a second behind drops what is queued for
 * it up to the next keyframe instead of lagging further (LIVE-3); a viewer may ask for
 * at most max_fps pictures a second of an MJPEG stream.
 */
typedef struct _VgRelayViewer VgRelayViewer;

/* What the appsrc of a track holds at most ("max-bytes"): little, so that what waits
 * for a slow viewer stays in the viewer's own queue, where it can be dropped. */
#define VG_RELAY_APPSRC_BYTES (64 * 1024)

/* bin: the media's element, holding the appsrcs. tracks: what the appsrcs were made
 * for; a change of codec later ends the viewer's stream. */
VgRelayViewer *vg_relay_viewer_new    (VgStreamHub *hub, GstElement *bin, GPtrArray *tracks,
                                       guint max_fps);
/* Joins the hub: the cached GOP is pushed now. */
void           vg_relay_viewer_start  (VgRelayViewer *self);
/* Leaves the hub (no push afterwards). Idempotent. */
void           vg_relay_viewer_stop   (VgRelayViewer *self);
void           vg_relay_viewer_free   (VgRelayViewer *self);

/* The caps an appsrc gets for a track, or NULL when the codec cannot be relayed. */
GstCaps       *vg_relay_track_caps       (const VgTrackInfo *info);
/* The payloader factory name for a track's codec, or NULL. */
const char    *vg_relay_track_payloader  (const VgTrackInfo *info);

G_END_DECLS
