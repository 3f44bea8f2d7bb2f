/* vg-export.h: recorded segments remuxed into Matroska files, no transcoding (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-mkv-writer.h"

G_BEGIN_DECLS

/* One recorded segment an export reads (from the index). */
typedef struct
{
  char   *path;        /* absolute */
  gint64  start_us;    /* UTC µs */
  gint64  end_us;
  GArray *keyframes;   /* VgMkvKeyframe */
} VgExportSegment;

VgExportSegment *vg_export_segment_new  (const char *path, gint64 start_us, gint64 end_us,
                                         GArray *keyframes);   /* keyframes: transfer full */
void             vg_export_segment_free (VgExportSegment *segment);

/**
 * VgExportOutput:
 * @begin_piece: a new file starts; index counts from 0; start_us is what the piece
 *   shows first (UTC µs)
 * @write: bytes of the current piece, in order
 * @end_piece: the current piece is complete
 *
 * Where an export's files go (a socket, a zip, a directory). Called from the thread
 * that runs vg_export_run().
 */
typedef struct
{
  gboolean    (*begin_piece) (gpointer data, guint index, gint64 start_us, GError **error);
  VgMkvSinkFunc write;
  gboolean    (*end_piece)   (gpointer data, GError **error);
} VgExportOutput;

/**
 * VgExport:
 *
 * Reads the segments' Clusters from the keyframe at or before start (found in the
 * index: no scan) and writes their blocks, video and audio, into Matroska pieces
 * until end. The first piece marks start exactly (see
 * vg_mkv_writer_set_presentation: start is time 0, the frames from the keyframe up
 * to it are decode-only preroll). Gaps between segments stay gaps in the timestamps.
 * With a split, a new piece starts at the first keyframe past the duration, or
 * before the size would be passed (estimated from the last GOP).
 *
 * vg_export_run() blocks (file reads and writes): run it in a worker thread. The
 * getters can be read from any thread while it runs.
 */
typedef struct _VgExport VgExport;

/* segments (element-type VgExportSegment): sorted by start, reffed. */
VgExport *vg_export_new            (GPtrArray *segments, gint64 start_us, gint64 end_us);
void      vg_export_free           (VgExport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgExport, vg_export_free)

/* 0 for either: no split. */
void      vg_export_set_split      (VgExport *self, gint64 split_us, guint64 split_bytes);

/* TRUE when some keyframe of the segments can start a file showing start…end. */
gboolean  vg_export_has_video      (VgExport *self);

/* Writes every piece; FALSE with G_IO_ERROR_CANCELLED when cancelled, or the error of
 * the output, or VG_MKV_ERROR_EMPTY when no frame could be read. */
gboolean  vg_export_run            (VgExport *self, const VgExportOutput *output,
                                    gpointer output_data, GCancellable *cancellable,
                                    GError **error);

/* 0…1: how far through start…end the export is. */
double    vg_export_get_progress   (VgExport *self);
/* Bytes written to the output so far (Matroska bytes, all pieces). */
guint64   vg_export_get_bytes      (VgExport *self);
guint64   vg_export_get_n_frames   (VgExport *self);
guint     vg_export_get_n_pieces   (VgExport *self);

/* "600s", "10m", "1h" (a duration) or "500MB", "2GB", "700000kB", "1000000B" (decimal
 * units). FALSE when text is none of these or below 10 s / 1 MB. */
gboolean  vg_export_parse_split    (const char *text, gint64 *split_us, guint64 *split_bytes);

G_END_DECLS
