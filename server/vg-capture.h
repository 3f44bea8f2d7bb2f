/* vg-capture.h: which camera streams are connected and recorded, and how they are doing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "vg-camera-manager.h"
#include "vg-database.h"
#include "vg-ingest.h"
#include "vg-recording-index.h"
#include "vg-storage.h"

G_BEGIN_DECLS

#define VG_TYPE_CAPTURE (vg_capture_get_type ())
G_DECLARE_FINAL_TYPE (VgCapture, vg_capture, VG, CAPTURE, GObject)

/**
 * VgCapture:
 *
 * Follows the cameras of the VgCameraManager: every stream of an enabled camera that
 * has the "record" role, with the camera's recording mode "continuous", is connected
 * once (VgIngest) and written by its VgRecorder; a change of the camera restarts
 * what changed, a removal stops it. Connection losses and returns are written in the
 * camera log and announced as "camera.state" events ({"id","stream","state","error"}).
 *
 * Signals: "stream-state" (gint64 camera_id, const char *stream, const char *state,
 * const char *error); "disk-full" (gint disk_id): a recorder ran out of space on the
 * disk (REC-8: the node purges at once).
 */
VgCapture *vg_capture_new         (VgCameraManager *cameras, VgDatabase *database,
                                   VgStorage *storage, VgRecordingIndex *index,
                                   guint segment_seconds, guint batch_ms, guint watchdog_seconds);
void       vg_capture_start       (VgCapture *self);
/* Stops every stream and closes their segments (blocking briefly). */
void       vg_capture_stop        (VgCapture *self);

/* {"streams":[{"name","state","error","codec","width","height","fps","bitrate",
 *  "frames","bytes","packets_lost","reconnections","last_frame","recording"}]} */
JsonNode  *vg_capture_get_camera_status (VgCapture *self, VgCamera *camera);
/* Prometheus lines for every connected stream. */
void       vg_capture_append_metrics    (VgCapture *self, GString *out);

G_END_DECLS
