/* vg-mkv-reader.h: reading back the segments VgMkvWriter wrote, cut or whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vg-access-unit.h"
#include "vg-mkv-writer.h"

G_BEGIN_DECLS

/**
 * VgMkvReader:
 *
 * A Matroska file opened for reading: its header (tracks, DateUTC) is parsed at open,
 * Clusters are read on demand. Written for the files VgMkvWriter makes, which a crash
 * may have cut anywhere: sizes are never trusted (every element is bounded by its
 * parent and by the file's size as it was at open; Segment and Cluster may have
 * unknown size and then end at the next element that cannot be their child), and
 * reading stops at the first element that is truncated or not what it should be.
 * A block counts only when it is complete and its data pass the writer's checks (see
 * VgMkvWriter: AVCC lengths that add up, JPEG SOI), so a tail of zeros left by a power
 * cut is not taken for frames. Anything, including random bytes, can be given to it.
 *
 * Errors: VG_MKV_ERROR_EMPTY when the file ends before the end of Tracks (nothing was
 * recorded in it), VG_MKV_ERROR_INVALID when it is not a Matroska file we can read,
 * G_IO_ERROR when it cannot be read.
 */
typedef struct _VgMkvReader VgMkvReader;

/**
 * VgMkvScan:
 * @tracks: (element-type VgTrackInfo): the tracks in file order; track = Matroska
 *   TrackNumber − 1, codec VG_CODEC_NONE for one we do not know, codec_private as stored
 *   (avcC, hvcC, MPEG-4 VOL headers, AudioSpecificConfig; none for G.711)
 * @start_time_us: DateUTC, UTC µs (the writer's segment start)
 * @first_time_us: earliest time of a complete block, UTC µs (0 without blocks)
 * @last_time_us: latest time of a complete block, UTC µs (0 without blocks)
 * @n_frames: complete blocks of the (first) video track
 * @n_blocks: complete blocks of all tracks
 * @keyframes: (element-type VgMkvKeyframe): the Clusters whose first video block is a
 *   complete keyframe: its time and the Cluster's offset
 * @header_length: where the first Cluster starts (the end of the header)
 * @valid_length: the end of the last complete block (of the header when none is):
 *   truncating the file there leaves a file every reader plays to its end
 * @file_size: the file's size
 *
 * What a scan found. A cleanly closed segment has valid_length == file_size.
 */
typedef struct
{
  GPtrArray *tracks;
  gint64     start_time_us;
  gint64     first_time_us;
  gint64     last_time_us;
  guint64    n_frames;
  guint64    n_blocks;
  GArray    *keyframes;
  guint64    header_length;
  guint64    valid_length;
  guint64    file_size;
} VgMkvScan;

void          vg_mkv_scan_free                   (VgMkvScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgMkvScan, vg_mkv_scan_free)

/* Recovery: opens path and scans it to the last complete block. */
VgMkvScan    *vg_mkv_scan_file                   (const char *path, GError **error);

VgMkvReader  *vg_mkv_reader_open                 (const char *path, GError **error);
void          vg_mkv_reader_free                 (VgMkvReader *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgMkvReader, vg_mkv_reader_free)

guint         vg_mkv_reader_get_n_tracks         (VgMkvReader *self);
const VgTrackInfo *vg_mkv_reader_get_track       (VgMkvReader *self, guint index);
gint64        vg_mkv_reader_get_start_time       (VgMkvReader *self);
/* The file's size when it was opened: what the reader reads. */
guint64       vg_mkv_reader_get_file_size        (VgMkvReader *self);
/* Offset of the first element after Tracks: where the first Cluster is. */
guint64       vg_mkv_reader_get_header_length    (VgMkvReader *self);

/* Walks every Cluster from the header on. */
VgMkvScan    *vg_mkv_reader_scan                 (VgMkvReader *self, GError **error);

/* The complete blocks of the Cluster at offset (from a keyframe index entry) as access
 * units (codec and track from the track list, time in UTC µs, keyframe flag, data; laced
 * blocks, which VgMkvWriter never writes, are skipped). next_offset, if not NULL,
 * receives the offset of the Cluster that follows, or 0 when there is none (end of
 * file, truncation, garbage). VG_MKV_ERROR_INVALID when no Cluster starts at offset. */
GPtrArray    *vg_mkv_reader_read_cluster         (VgMkvReader *self, guint64 offset,
                                                  guint64 *next_offset, GError **error);

G_END_DECLS
