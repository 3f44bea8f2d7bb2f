/* vg-segment-index.h: the recorded segments of a camera stream and their keyframes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A keyframe: its UTC time (µs) and the offset of the Cluster it starts. */
typedef struct
{
  gint64  time_us;
  guint64 offset;
} VgIndexKeyframe;

/**
 * VgIndexSegment:
 * @keyframes: (element-type VgIndexKeyframe): in time order, UTC µs
 *
 * One row of GET /api/v1/cameras/{id}/segments.
 */
typedef struct
{
  gint64    id;
  gint64    start_us;
  gint64    end_us;
  guint64   bytes;
  guint64   frames;
  gboolean  open;
  char     *url;
  GArray   *keyframes;
} VgIndexSegment;

/* A group of pictures: keyframe k of segment s (indices in a VgSegmentIndex). */
typedef struct
{
  guint segment;
  guint keyframe;
} VgGopRef;

/**
 * VgSegmentIndex:
 * @segments: (element-type VgIndexSegment): in time order
 * @from_us, @to_us: the time range that was asked for
 *
 * The segments overlapping a window of time, as the node listed them.
 */
typedef struct
{
  GPtrArray *segments;
  gint64     from_us;
  gint64     to_us;
} VgSegmentIndex;

/* From the JSON answer; VG_ERROR_INVALID when it is not what the API documents. */
VgSegmentIndex      *vg_segment_index_new_from_json  (JsonNode *node, gint64 from_us, gint64 to_us,
                                                      GError **error);
void                 vg_segment_index_free           (VgSegmentIndex *index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgSegmentIndex, vg_segment_index_free)

const VgIndexSegment *vg_segment_index_get_segment    (const VgSegmentIndex *index, guint segment);
/* The last keyframe at or before time_us; FALSE when none is. */
gboolean             vg_segment_index_find           (const VgSegmentIndex *index, gint64 time_us,
                                                      VgGopRef *gop);
/* The GOP n GOPs after (n > 0) or before (n < 0) gop, stopping at the ends; FALSE
 * when gop is already at the end in that direction. */
gboolean             vg_segment_index_move           (const VgSegmentIndex *index, VgGopRef *gop,
                                                      int n);
gint64               vg_segment_index_gop_start      (const VgSegmentIndex *index, VgGopRef gop);
/* Where the GOP stops: the next keyframe of its segment, or the segment's end plus
 * one frame. */
gint64               vg_segment_index_gop_end        (const VgSegmentIndex *index, VgGopRef gop);
/* The byte range of the GOP's Clusters: offset and length (-1: to the end of the file). */
void                 vg_segment_index_gop_bytes      (const VgSegmentIndex *index, VgGopRef gop,
                                                      guint64 *offset, gint64 *length);
/* Frame duration estimated from the segment's frames (40 ms when unknown). */
gint64               vg_segment_index_frame_duration (const VgSegmentIndex *index, guint segment);
/* A key unique per GOP of a camera stream: segment id and keyframe index. */
guint64              vg_segment_index_gop_key        (const VgSegmentIndex *index, VgGopRef gop);

G_END_DECLS
