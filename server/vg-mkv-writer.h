/* vg-mkv-writer.h: Matroska segments written once, front to back, that survive a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vg-access-unit.h"

G_BEGIN_DECLS

#define VG_MKV_ERROR (vg_mkv_error_quark ())

/**
 * VgMkvError:
 * @VG_MKV_ERROR_UNSUPPORTED: a track Matroska (or this writer) cannot hold: G.726, an
 *   AAC track with neither AudioSpecificConfig nor sample rate, no video track
 * @VG_MKV_ERROR_INVALID: the writer was given a unit it cannot write (malformed AVCC,
 *   a JPEG without SOI, an empty unit, a time out of range): skip that unit; or the
 *   reader was given something that is not a Matroska file it can read
 * @VG_MKV_ERROR_EMPTY: the reader found a file that ends before its first frame (zero
 *   length, or cut inside the header): a segment whose writer died before the first
 *   keyframe reached the disk; nothing to recover
 * @VG_MKV_ERROR_TIME_WENT_BACK: a video keyframe earlier than the current Cluster's
 *   time, or any video unit more than 32 s earlier (the camera's clock stepped back):
 *   the unit is not written; close this segment and start a new one with that unit
 *
 * System call failures are reported in the G_IO_ERROR domain (from errno); a full
 * disk, a quota or a file size limit (ENOSPC, EDQUOT, EFBIG) is G_IO_ERROR_NO_SPACE.
 */
typedef enum {
  VG_MKV_ERROR_UNSUPPORTED,
  VG_MKV_ERROR_INVALID,
  VG_MKV_ERROR_EMPTY,
  VG_MKV_ERROR_TIME_WENT_BACK,
} VgMkvError;

GQuark vg_mkv_error_quark (void);

/**
 * VgMkvKeyframe:
 * @time_us: the keyframe's time, UTC µs (the segment start plus whole milliseconds)
 * @offset: byte position in the file of the Cluster element that starts with this
 *   keyframe: seek there and parse a Cluster to start decoding
 */
typedef struct
{
  gint64  time_us;
  guint64 offset;
} VgMkvKeyframe;

/**
 * VgMkvWriter:
 *
 * Writes one Matroska segment file front to back and never seeks back: an EBML header,
 * a Segment of unknown size, Info (TimecodeScale 1 ms, DateUTC = the segment's first
 * unit, no Duration), Tracks, then Clusters of unknown size holding SimpleBlocks. A new
 * Cluster starts at every video keyframe (and, without keyframe, when a block's time
 * would no longer fit the Cluster's 16-bit relative timecode, ~32 s).
 *
 * Nothing is written before the first video keyframe whose codec configuration is
 * known (avcC / hvcC / MPEG-4 VOL from the track info, else built from the parameter
 * sets the keyframe carries in band): earlier units, video and audio, are dropped and
 * counted. The file then starts with the header and that keyframe's Cluster; the
 * keyframe's time is the segment start (DateUTC), and all block times are whole
 * milliseconds from it (the times the getters report are those written).
 *
 * Writes are buffered (one write() per ~64 KB or per Cluster). At each new Cluster the
 * previous one is written and fdatasync()ed, so a kill -9 or a power cut loses at most
 * the last GOP; vg_mkv_reader's scan finds the last complete block of a cut file.
 * fdatasync can block (tens of ms on a busy disk): run writers off the main loop.
 *
 * Units accepted (the reader applies the same rules to tell data from a torn tail):
 * not empty; H.264/H.265 as AVCC with 4-byte lengths, every NAL non-empty with its
 * forbidden bit clear and the lengths adding up to the size; JPEG starting with SOI.
 * Units of a track the writer was not given are dropped and counted; audio units
 * before the segment start are dropped; the `discont` flag is ignored (the recorder
 * decides whether a gap deserves a new segment).
 *
 * When a write or fdatasync fails (full disk…), the writer keeps the error and every
 * later call returns it; the file is left as it is, readable up to its last complete
 * block. The getters then tell what the writer was given, not what reached the file:
 * index such a file from vg_mkv_scan_file(). Start a new segment when the disk has
 * room again.
 *
 * A writer belongs to one thread at a time.
 */
typedef struct _VgMkvWriter VgMkvWriter;

/* TRUE when a track of this kind can be written; otherwise FALSE with
 * VG_MKV_ERROR_UNSUPPORTED saying why (so the recorder can leave that track out). */
gboolean      vg_mkv_track_supported        (const VgTrackInfo *info, GError **error);

/* Creates path (O_CREAT|O_EXCL, mode 0640: an existing file is G_IO_ERROR_EXISTS) for
 * one video track and any number of audio tracks (copied; Matroska track numbers
 * follow their order). Units are matched to tracks by VgAccessUnit.track ==
 * VgTrackInfo.track. Nothing is written to the file until the first keyframe. */
VgMkvWriter  *vg_mkv_writer_new             (const char *path, VgTrackInfo *const *tracks,
                                             guint n_tracks, GError **error);
/* Where a writer made by vg_mkv_writer_new_for_sink() hands its bytes, in order, in
 * pieces of ~64 KB (one per Cluster at least). FALSE with error stops the writer (the
 * error becomes its sticky error). */
typedef gboolean (*VgMkvSinkFunc) (const guint8 *data, gsize size, gpointer user_data,
                                   GError **error);

/* A writer that hands its bytes to sink instead of a file, never fdatasync()s, and
 * otherwise writes the same Matroska (exports streamed to a client or into a zip).
 * name only appears in error messages. */
VgMkvWriter  *vg_mkv_writer_new_for_sink    (const char *name, VgMkvSinkFunc sink,
                                             gpointer user_data, VgTrackInfo *const *tracks,
                                             guint n_tracks, GError **error);
/* Before the first unit, for exports: the file shows start_us…end_us (UTC µs). Every
 * track gets a CodecDelay of start_us − the first keyframe's time, so that players
 * put start_us at time 0 and treat the frames before it (from the keyframe on) as
 * decode-only preroll with negative timestamps; Info gets Duration end_us − start_us
 * (none when end_us is 0). */
void          vg_mkv_writer_set_presentation (VgMkvWriter *self, gint64 start_us,
                                              gint64 end_us);
/* Appends one unit (the unit is not kept). FALSE with VG_MKV_ERROR_INVALID or
 * VG_MKV_ERROR_TIME_WENT_BACK for a unit that was not written (the writer stays
 * usable), or with the sticky I/O error. */
gboolean      vg_mkv_writer_write           (VgMkvWriter *self, VgAccessUnit *unit,
                                             GError **error);
/* Writes the buffer and fdatasync()s (the writer also does it at each new Cluster). */
gboolean      vg_mkv_writer_sync            (VgMkvWriter *self, GError **error);
/* Writes the buffer, fdatasync()s and closes. The file is not rewritten (no Duration,
 * no Cues). A writer closed before its first keyframe leaves an empty file behind
 * (n_frames is 0): delete it. Only vg_mkv_writer_free may follow. */
gboolean      vg_mkv_writer_close           (VgMkvWriter *self, GError **error);
/* Closes the file first if needed (writing the buffer, errors ignored, no fdatasync). */
void          vg_mkv_writer_free            (VgMkvWriter *self);

const char   *vg_mkv_writer_get_path        (VgMkvWriter *self);
/* Bytes of the file, including those still buffered (after close: the file's size). */
guint64       vg_mkv_writer_get_size        (VgMkvWriter *self);
/* Video frames written. */
guint64       vg_mkv_writer_get_n_frames    (VgMkvWriter *self);
/* Video frames the file holds for sure: those handed to the kernel by a complete flush. */
guint64       vg_mkv_writer_get_n_durable_frames (VgMkvWriter *self);
/* Units dropped: before the first keyframe, of unknown tracks, audio before the start. */
guint64       vg_mkv_writer_get_n_dropped   (VgMkvWriter *self);
/* Earliest and latest block times written, UTC µs; 0 before the first keyframe. The
 * first is the segment start (DateUTC) unless a B-frame came earlier. */
gint64        vg_mkv_writer_get_first_time  (VgMkvWriter *self);
gint64        vg_mkv_writer_get_last_time   (VgMkvWriter *self);
/* One entry per keyframe Cluster, in file order. */
const VgMkvKeyframe *vg_mkv_writer_get_keyframes (VgMkvWriter *self, guint *n_keyframes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgMkvWriter, vg_mkv_writer_free)

/*
 * The keyframe index as stored in the database (bytea), ~5 bytes per entry for a
 * 1–2 s GOP at a few Mbit/s. All integers are unsigned LEB128 varints; signed ones are
 * zigzag-encoded first ((v << 1) ^ (v >> 63)):
 *
 *   version        1 byte, = 1
 *   n              varint: number of entries
 *   if n > 0:
 *     time_us[0]   zigzag varint, UTC µs
 *     offset[0]    varint
 *     n − 1 times: zigzag varint  Δ milliseconds from the previous entry
 *                  varint         Δ offset from the previous entry
 *
 * Times after the first are kept to the millisecond relative to the first entry (the
 * writer's times are exactly that); offsets must not decrease.
 */
GBytes       *vg_mkv_keyframe_index_pack    (const VgMkvKeyframe *entries, guint n_entries);
/* A GArray of VgMkvKeyframe, or NULL with VG_MKV_ERROR_INVALID when packed is malformed. */
GArray       *vg_mkv_keyframe_index_unpack  (GBytes *packed, GError **error);

G_END_DECLS
