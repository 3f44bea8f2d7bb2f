/* vg-recording-track.h: what one camera stream recorded, fetched as a timeline needs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigie.h"
#include "vg-time-ranges.h"

G_BEGIN_DECLS

typedef enum {
  VG_TIMELINE_MARK_ALARM,
  VG_TIMELINE_MARK_MOTION,
} VgTimelineMarkKind;

typedef struct {
  gint64             start;
  gint64             end;
  VgTimelineMarkKind kind;
} VgTimelineMark;

#define VG_TYPE_RECORDING_TRACK (vg_recording_track_get_type ())
G_DECLARE_FINAL_TYPE (VgRecordingTrack, vg_recording_track, VG, RECORDING_TRACK, GObject)

/**
 * VgRecordingTrack:
 *
 * The recorded spans of one stream of one camera, from
 * `GET /api/v1/cameras/ID/recordings`. vg_recording_track_request() asks for a range:
 * only what is not cached yet is fetched, one request at a time (a newer request
 * cancels an older one). The cache forgets nothing but the last seconds before each
 * fetch, which may still grow. "changed" is emitted when spans, marks or "loading"
 * change. Marks (alarms, motion) are held for the timeline to draw.
 */
VgRecordingTrack *vg_recording_track_new        (VgApiClient *client, VgCamera *camera,
                                                 const char *stream);
VgCamera         *vg_recording_track_get_camera (VgRecordingTrack *self);
/* (nullable): NULL for the camera's first stream */
const char       *vg_recording_track_get_stream (VgRecordingTrack *self);
VgApiClient      *vg_recording_track_get_client (VgRecordingTrack *self);

void              vg_recording_track_request    (VgRecordingTrack *self, gint64 start, gint64 end);
/* The first and last recorded instants of the whole recording (as far back as the
 * node answers: 400 days), asked to the node whatever the cache holds; the error
 * G_IO_ERROR_NOT_FOUND when nothing was recorded. */
void              vg_recording_track_find_extent_async  (VgRecordingTrack *self, GCancellable *cancellable,
                                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean          vg_recording_track_find_extent_finish (VgRecordingTrack *self, GAsyncResult *result,
                                                         gint64 *first, gint64 *last, GError **error);
/* Forgets the cache (the next request fetches again). */
void              vg_recording_track_invalidate (VgRecordingTrack *self);
gboolean          vg_recording_track_get_loading (VgRecordingTrack *self);
/* The last fetch's error, or NULL. */
const GError     *vg_recording_track_get_error  (VgRecordingTrack *self);

/* (element-type VgTimeRange): recorded spans, sorted and disjoint */
GArray           *vg_recording_track_get_spans  (VgRecordingTrack *self);
/* (element-type VgTimeRange): the ranges whose spans are known */
GArray           *vg_recording_track_get_known  (VgRecordingTrack *self);

void              vg_recording_track_add_mark   (VgRecordingTrack *self, VgTimelineMarkKind kind,
                                                 gint64 start, gint64 end);
void              vg_recording_track_clear_marks (VgRecordingTrack *self);
/* (element-type VgTimelineMark): in the order added */
GArray           *vg_recording_track_get_marks  (VgRecordingTrack *self);

G_END_DECLS
