/* vg-segment-query.h: reading recording_segments rows for playback and export (PLAY-5, PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-database.h"

G_BEGIN_DECLS

/* One row of recording_segments, keyframe index unpacked. */
typedef struct
{
  gint64    id;
  gint64    camera_id;
  char     *stream;
  gint      disk_id;
  char     *path;        /* relative to the disk (written by the recorder, never by a client) */
  gint64    start_us;    /* UTC µs */
  gint64    end_us;
  gint64    bytes;
  gint64    frames;
  gboolean  open;        /* still being written */
  GArray   *keyframes;   /* VgMkvKeyframe */
} VgSegmentRow;

void vg_segment_row_free (VgSegmentRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgSegmentRow, vg_segment_row_free)

/* The segments of a camera stream that overlap start…end (UTC µs), by start time. */
void       vg_segment_query_range_async  (VgDatabase *database, gint64 camera_id,
                                          const char *stream, gint64 start_us, gint64 end_us,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
/* The segment with this id (zero or one row). */
void       vg_segment_query_id_async     (VgDatabase *database, gint64 id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
/* Element type VgSegmentRow. */
GPtrArray *vg_segment_query_finish       (VgDatabase *database, GAsyncResult *result,
                                          GError **error);

G_END_DECLS
