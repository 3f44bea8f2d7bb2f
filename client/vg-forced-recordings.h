/* vg-forced-recordings.h: which cameras of a node are recorded on demand, and until
 * when (REC-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-connection.h"

G_BEGIN_DECLS

#define VG_TYPE_FORCED_RECORDINGS (vg_forced_recordings_get_type ())
G_DECLARE_FINAL_TYPE (VgForcedRecordings, vg_forced_recordings, VG, FORCED_RECORDINGS, GObject)

/**
 * VgForcedRecordings:
 *
 * The forced recordings of a connection's node, as the node says: each listed
 * camera's status (GET /api/v1/cameras/{id}/status, "forced_until") when it appears
 * and whenever the events reconnect, then the "camera.forced" events. Forced
 * recording asked or stopped from here (vg_forced_recordings_start_async()) is known
 * from the node's answer at once.
 *
 * Signal "changed" (gint64 camera_id): the camera's forced recording began, changed
 * or ended.
 */
/* (transfer none) the connection's own, made on first use */
VgForcedRecordings *vg_forced_recordings_get       (VgConnection *connection);

/* Real time in µs until which the camera is recorded on demand; 0 when it is not (or
 * no longer: the end may have passed before the node's event). */
gint64              vg_forced_recordings_get_until (VgForcedRecordings *self, gint64 camera_id);

/* POST /api/v1/cameras/{id}/record for seconds, or DELETE it when seconds is 0. */
void                vg_forced_recordings_start_async  (VgForcedRecordings *self, gint64 camera_id,
                                                       guint seconds, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
gboolean            vg_forced_recordings_start_finish (VgForcedRecordings *self,
                                                       GAsyncResult *result, GError **error);

G_END_DECLS
