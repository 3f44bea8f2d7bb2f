/* vg-mkv-parser.h: Matroska header and Clusters parsed from bytes in memory (playback)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VgMkvTrack:
 * @number: the Matroska TrackNumber
 * @video: TrackType 1
 * @audio: TrackType 2
 * @codec_id: "V_MPEG4/ISO/AVC", "A_AAC", …
 * @codec_private: (nullable): CodecPrivate as stored (avcC, hvcC, …)
 */
typedef struct
{
  guint64   number;
  gboolean  video;
  gboolean  audio;
  char     *codec_id;
  GBytes   *codec_private;
  guint     width;
  guint     height;
  double    sample_rate;
  guint     channels;
} VgMkvTrack;

/**
 * VgMkvHeader:
 * @tracks: (element-type VgMkvTrack)
 * @date_utc_us: DateUTC in UTC µs, 0 when the file has none
 * @timestamp_scale_ns: TimestampScale (1 000 000 by default)
 * @header_length: where the first Cluster starts
 *
 * What comes before the first Cluster: the segments the node writes (an EBML header,
 * a Segment of unknown size, Info and Tracks) are read from bytes 0 to the offset of
 * their first keyframe.
 */
typedef struct
{
  GPtrArray *tracks;
  gint64     date_utc_us;
  guint64    timestamp_scale_ns;
  gsize      header_length;
} VgMkvHeader;

/**
 * VgMkvBlock:
 * @track: the TrackNumber
 * @time_ns: Cluster time + block time, in ns from the start of the Segment
 * @keyframe: the SimpleBlock's keyframe flag
 * @data: the frame
 */
typedef struct
{
  guint64   track;
  gint64    time_ns;
  gboolean  keyframe;
  GBytes   *data;
} VgMkvBlock;

/* G_IO_ERROR_INVALID_DATA unless data hold an EBML header, a Segment and Tracks before the
 * first Cluster (or the end of data). */
VgMkvHeader      *vg_mkv_header_parse           (const guint8 *data, gsize size, GError **error);
void              vg_mkv_header_free            (VgMkvHeader *header);
/* (nullable) the first video track */
const VgMkvTrack *vg_mkv_header_get_video_track (const VgMkvHeader *header);
/* (nullable) the first audio track (TrackType 2) */
const VgMkvTrack *vg_mkv_header_get_audio_track (const VgMkvHeader *header);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgMkvHeader, vg_mkv_header_free)

/* The complete SimpleBlocks of the Clusters that data (from a Cluster's start) hold,
 * in order; an element cut by the end of data, or anything else than a Cluster at the
 * top, ends the walk. At most max_blocks blocks when max_blocks > 0. The blocks' data
 * are sub-bytes of bytes. *consumed (if not NULL) = bytes walked through. */
GPtrArray        *vg_mkv_parse_clusters         (GBytes *bytes, guint64 timestamp_scale_ns,
                                                 guint max_blocks, gsize *consumed);
void              vg_mkv_block_free             (VgMkvBlock *block);

G_END_DECLS
