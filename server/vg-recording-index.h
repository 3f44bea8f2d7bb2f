/* vg-recording-index.h: the recording index in PostgreSQL: segments written, spans read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-database.h"

G_BEGIN_DECLS

/* One Matroska segment as the index knows it (REC-2). */
typedef struct
{
  gint64   camera_id;
  char    *stream;
  gint     disk_id;
  char    *path;          /* relative to the disk */
  gint64   start_us;      /* UTC µs */
  gint64   end_us;
  gint64   bytes;
  guint    frames;
  GBytes  *keyframes;     /* packed keyframe index */
  gboolean open;          /* still being written */
} VgSegmentInfo;

VgSegmentInfo *vg_segment_info_copy (const VgSegmentInfo *info);
void           vg_segment_info_free (VgSegmentInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgSegmentInfo, vg_segment_info_free)

/* A recorded (or missing) stretch of time. */
typedef struct
{
  gint64 start_us;
  gint64 end_us;
} VgTimeRange;

#define VG_TYPE_RECORDING_INDEX (vg_recording_index_get_type ())
G_DECLARE_FINAL_TYPE (VgRecordingIndex, vg_recording_index, VG, RECORDING_INDEX, GObject)

/**
 * VgRecordingIndex:
 *
 * Recorders hand it segment rows (new, growing, closed); it writes them in batches
 * (one transaction per flush, at most about once a second) and keeps them in memory
 * while the database is away, so that no index row is ever lost because a query
 * failed: the recording goes on and the rows are written when the database returns.
 */
VgRecordingIndex *vg_recording_index_new          (VgDatabase *database);

/* Queues an insert-or-update of the segment (keyed by disk and path). */
void              vg_recording_index_put          (VgRecordingIndex *self, const VgSegmentInfo *info);
/* Rows waiting for the database. */
guint             vg_recording_index_get_pending  (VgRecordingIndex *self);
/* Writes what is queued now (tests, shutdown); completes when written or failed. */
void              vg_recording_index_flush_async  (VgRecordingIndex *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean          vg_recording_index_flush_finish (VgRecordingIndex *self, GAsyncResult *result,
                                                   GError **error);

/* Recorded spans of a camera stream between start and end (UTC µs), contiguous
 * segments merged (a hole of at most gap_tolerance_us is no gap), clipped to the
 * range; and the gaps between them inside the range. */
void              vg_recording_index_query_spans_async  (VgRecordingIndex *self, gint64 camera_id,
                                                         const char *stream, gint64 start_us,
                                                         gint64 end_us, GCancellable *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer user_data);
/* spans and gaps: arrays of VgTimeRange. */
gboolean          vg_recording_index_query_spans_finish (VgRecordingIndex *self, GAsyncResult *result,
                                                         GArray **spans, GArray **gaps,
                                                         GError **error);

/* The database merges spans with the same tolerance (vg_recording_gap_tolerance() in
 * sql/0003-recording-spans.sql); test-recording-index checks that both agree. */
#define VG_RECORDING_GAP_TOLERANCE_US (1500 * 1000)

G_END_DECLS
