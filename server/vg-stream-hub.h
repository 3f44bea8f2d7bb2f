/* vg-stream-hub.h: one camera stream's access units, handed to its recorder and its viewers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vg-access-unit.h"
#include "vg-recorder.h"

G_BEGIN_DECLS

/**
 * VgHubViewerFuncs:
 * @tracks: the tracks changed (new parameter sets, a reconnection).
 * @unit: one access unit; @cached is TRUE for the units of the GOP cache given at once
 *   when the viewer joins.
 * @lost: the stream stopped; what follows comes after a gap.
 *
 * Called with the hub locked, in the ingest thread (or in the thread that adds the
 * viewer, for the cached units): they must be quick and must not call the hub.
 */
typedef struct
{
  void (*tracks) (gpointer user_data, VgTrackInfo **tracks, guint n_tracks);
  void (*unit)   (gpointer user_data, VgAccessUnit *unit, gboolean cached);
  void (*lost)   (gpointer user_data);
} VgHubViewerFuncs;

#define VG_TYPE_STREAM_HUB (vg_stream_hub_get_type ())
G_DECLARE_FINAL_TYPE (VgStreamHub, vg_stream_hub, VG, STREAM_HUB, GObject)

/**
 * VgStreamHub:
 *
 * The fan-out of one camera stream (DESIGN: one connection per camera stream): the
 * ingest pushes into it, and it hands every unit to the stream's recorder, when it is
 * recorded, and to each live viewer, keeping the current GOP for viewers who join
 * (LIVE-2). Thread-safe.
 *
 * Signals: "demand-changed" (), emitted in the main context of the thread that made
 * the hub whenever the number of viewers changes, so that its owner opens or closes
 * the connection (ACQ-6).
 */
VgStreamHub *vg_stream_hub_new          (gint64 camera_id, const char *stream);
gint64       vg_stream_hub_get_camera_id (VgStreamHub *self);
const char  *vg_stream_hub_get_stream   (VgStreamHub *self);

/* Main thread. The previous recorder, if any, is returned (no longer fed), or NULL. */
VgRecorder  *vg_stream_hub_swap_recorder (VgStreamHub *self, VgRecorder *recorder);

/* Ingest thread. */
void         vg_stream_hub_push_tracks  (VgStreamHub *self, VgTrackInfo **tracks, guint n_tracks);
void         vg_stream_hub_push_unit    (VgStreamHub *self, VgAccessUnit *unit);
void         vg_stream_hub_push_lost    (VgStreamHub *self);

/* Any thread. The viewer first gets the tracks (when known) and the cached GOP, then
 * live units until it is removed; once remove returns, no call is in progress or to
 * come. */
guint        vg_stream_hub_add_viewer    (VgStreamHub *self, const VgHubViewerFuncs *funcs,
                                          gpointer user_data);
void         vg_stream_hub_remove_viewer (VgStreamHub *self, guint viewer_id);
guint        vg_stream_hub_get_n_viewers (VgStreamHub *self);

/* Any thread: waits up to timeout_us for the tracks of the stream (the video track
 * with its parameter sets when the codec needs them). NULL when they did not come. */
GPtrArray   *vg_stream_hub_wait_tracks   (VgStreamHub *self, gint64 timeout_us);

G_END_DECLS
