/* vg-camera.h: a camera as the node stores it and the API shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "vg-schedule.h"
#include "vg-stream.h"

G_BEGIN_DECLS

typedef enum {
  VG_RECORDING_MODE_CONTINUOUS, /* "continuous" */
  VG_RECORDING_MODE_ALARM,      /* "alarm": only on alarm (REC-4) */
  VG_RECORDING_MODE_SCHEDULE,   /* "schedule": weekly calendar (REC-3) */
  VG_RECORDING_MODE_OFF,        /* "off" */
} VgRecordingMode;

#define VG_CAMERA_NAME_MAX 200
#define VG_CAMERA_STREAMS_MAX 8
#define VG_CAMERA_RETENTION_DAYS_MAX 3650

#define VG_TYPE_CAMERA (vg_camera_get_type ())
G_DECLARE_FINAL_TYPE (VgCamera, vg_camera, VG, CAMERA, GObject)

VgCamera        *vg_camera_new                (void);
VgCamera        *vg_camera_copy               (VgCamera *self);

gint64           vg_camera_get_id             (VgCamera *self);  /* 0 until stored */
void             vg_camera_set_id             (VgCamera *self, gint64 id);
const char      *vg_camera_get_name           (VgCamera *self);
void             vg_camera_set_name           (VgCamera *self, const char *name);
gboolean         vg_camera_get_enabled        (VgCamera *self);
void             vg_camera_set_enabled        (VgCamera *self, gboolean enabled);
VgRecordingMode  vg_camera_get_recording_mode (VgCamera *self);
void             vg_camera_set_recording_mode (VgCamera *self, VgRecordingMode mode);
guint            vg_camera_get_retention_days (VgCamera *self);  /* default 30 */
void             vg_camera_set_retention_days (VgCamera *self, guint days);
/* The data disk it records on (REC-10); 0: the node's default one. */
gint             vg_camera_get_disk           (VgCamera *self);
void             vg_camera_set_disk           (VgCamera *self, gint disk_id);
/* The weekly calendar of the "schedule" mode (REC-3); NULL when none. */
const VgSchedule *vg_camera_get_schedule      (VgCamera *self);
void             vg_camera_set_schedule       (VgCamera *self, const VgSchedule *schedule);
/* Whether its record streams are recorded continuously at that moment: always in
 * "continuous" mode, inside the calendar in "schedule" mode, never otherwise. */
gboolean         vg_camera_is_recording_time  (VgCamera *self, GDateTime *time);

/* Streams in their order; the array is owned by the camera. */
GPtrArray       *vg_camera_get_streams        (VgCamera *self);
void             vg_camera_add_stream         (VgCamera *self, VgStream *stream);
void             vg_camera_clear_streams      (VgCamera *self);
VgStream        *vg_camera_find_stream        (VgCamera *self, const char *name);

const char      *vg_recording_mode_to_string   (VgRecordingMode mode);
gboolean         vg_recording_mode_from_string (const char *string, VgRecordingMode *mode);

/* Name 1–200 characters, 1–8 streams with unique valid names, retention 1–3650. */
gboolean         vg_camera_validate           (VgCamera *self, GError **error);

/* {"id","name","enabled","streams":[…],"recording":{"mode","retention_days","disk"}} */
JsonNode        *vg_camera_to_json            (VgCamera *self);
/* A full camera body (POST); "id" is ignored. Fields left out take their defaults
 * except "name" and "streams", which are required. Unknown fields are rejected:
 * VG_ERROR_INVALID with the field's name in the message. The result is validated. */
VgCamera        *vg_camera_new_from_json      (JsonNode *node, GError **error);
/* A camera a node sent (its id kept): fields, roles and modes this version does not
 * know are skipped, so that older clients read what newer nodes send. */
VgCamera        *vg_camera_new_from_json_response (JsonNode *node, GError **error);
/* A partial body (PATCH): only the fields present change; "streams", when present,
 * replaces the whole list. Nothing changes on error. */
gboolean         vg_camera_apply_json_patch   (VgCamera *self, JsonNode *node, GError **error);

G_END_DECLS
