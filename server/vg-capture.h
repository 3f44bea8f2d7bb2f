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
#include "vg-stream-hub.h"

G_BEGIN_DECLS

#define VG_TYPE_CAPTURE (vg_capture_get_type ())
G_DECLARE_FINAL_TYPE (VgCapture, vg_capture, VG, CAPTURE, GObject)

/**
 * VgCapture:
 *
 * Follows the cameras of the VgCameraManager. Each stream of a camera has a
 * VgStreamHub, its single fan-out (LIVE-1): the stream is connected once (VgIngest)
 * while it is recorded (an enabled camera, the "record" role, recording time by its
 * mode and calendar), viewed live through its hub, marked keep_open, or within
 * idle_seconds after its last viewer left (ACQ-6); a recorded stream is written by its
 * VgRecorder. A change of the camera redoes only what changed: recording turning on
 * or off leaves the connection and its viewers alone. Connection losses and returns
 * are written in the camera log and announced as "camera.state" events
 * ({"id","stream","state","error"}).
 *
 * Signals: "stream-state" (gint64 camera_id, const char *stream, const char *state,
 * const char *error); "disk-full" (gint disk_id): a recorder ran out of space on the
 * disk (REC-8: the node purges at once); "forced-recording" (gint64 camera_id): the
 * camera's forced recording (REC-6) began, was prolonged, stopped or ended.
 */
VgCapture *vg_capture_new         (VgCameraManager *cameras, VgDatabase *database,
                                   VgStorage *storage, VgRecordingIndex *index,
                                   guint segment_seconds, guint batch_ms, guint watchdog_seconds,
                                   guint idle_seconds);
void       vg_capture_start       (VgCapture *self);
/* Stops every stream and closes their segments (blocking briefly). */
void       vg_capture_stop        (VgCapture *self);

/* Any thread: the hub of a camera stream (a new reference), or NULL when the camera or
 * the stream does not exist. */
VgStreamHub *vg_capture_lookup_hub (VgCapture *self, gint64 camera_id, const char *stream);

/* {"streams":[{"name","state","error","codec","width","height","fps","bitrate",
 *  "frames","bytes","packets_lost","reconnections","last_frame","recording","viewers"}]} */
JsonNode  *vg_capture_get_camera_status (VgCapture *self, VgCamera *camera);
/* Forced recording (REC-6): the camera's record-role streams are recorded for the next
 * seconds whatever its mode, then as the mode says. FALSE for an unknown camera. Kept
 * in memory: a restart of the node ends it. */
gboolean   vg_capture_force_recording   (VgCapture *self, gint64 camera_id, guint seconds);
/* FALSE when the camera was not being forced. */
gboolean   vg_capture_stop_forced_recording (VgCapture *self, gint64 camera_id);
/* Real time in µs until which the camera is forced, 0 when it is not. */
gint64     vg_capture_get_forced_until  (VgCapture *self, gint64 camera_id);
/* Adds "forced_until": "…Z" while the camera is recorded on demand, else null. */
void       vg_capture_add_forced_until  (VgCapture *self, JsonBuilder *builder, gint64 camera_id);
/* Prometheus lines for every connected stream. */
void       vg_capture_append_metrics    (VgCapture *self, GString *out);

G_END_DECLS
