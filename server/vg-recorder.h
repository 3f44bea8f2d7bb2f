/* vg-recorder.h: one camera stream written to Matroska segments, and indexed (REC-1, REC-2, REC-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vg-access-unit.h"
#include "vg-recording-index.h"
#include "vg-storage.h"

G_BEGIN_DECLS

#define VG_TYPE_RECORDER (vg_recorder_get_type ())
G_DECLARE_FINAL_TYPE (VgRecorder, vg_recorder, VG, RECORDER, GObject)

/**
 * VgRecorder:
 *
 * Receives the access units of one stream (in the ingest thread) and writes them, as
 * they come, into segments of about segment_seconds cut on keyframes; the first cut
 * comes earlier by a per-camera offset, so that the cameras of a node do not all roll
 * over at once. A segment starts at a keyframe; a stream loss, new parameter sets or
 * a write error close it (a gap follows). Index rows go to the VgRecordingIndex from
 * the main context: at the start of a segment, every few seconds while it grows, and
 * at its end. Writing never waits on the database.
 *
 * Signals (main context): "write-failed" (const char *message): the disk refused
 * data (full, gone); the next keyframe opens a new segment. "disk-full" (gint disk_id):
 * the write failed for lack of space (ENOSPC, EDQUOT, EFBIG); the segment was cut back
 * to its last complete block and closed, and its index row describes what is on disk.
 */
VgRecorder *vg_recorder_new        (VgRecordingIndex *index, VgDisk *disk, gint64 camera_id,
                                    const char *stream, guint segment_seconds);

/* Ingest thread: they queue the work for the recorders' write threads and return. */
void        vg_recorder_set_tracks (VgRecorder *self, VgTrackInfo **tracks, guint n_tracks);
void        vg_recorder_push       (VgRecorder *self, VgAccessUnit *unit);
void        vg_recorder_cut        (VgRecorder *self);   /* the stream stopped: close */

/* Any thread: waits until everything queued is written and the segment is closed (the
 * recorder can be used again). */
void        vg_recorder_stop       (VgRecorder *self);

G_END_DECLS
