/* vg-zip-writer.h: a stored (uncompressed) zip written front to back, for exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the zip's bytes go, in order. FALSE with error stops the writer. */
typedef gboolean (*VgZipSinkFunc) (const guint8 *data, gsize size, gpointer user_data,
                                   GError **error);

/**
 * VgZipWriter:
 *
 * Writes a zip archive whose entries are stored (method 0) and whose sizes are not
 * known in advance: each local header has general purpose flag 3 (sizes and CRC-32
 * in a data descriptor after the data) and a zip64 extra field, so the descriptor
 * carries 8-byte sizes and an entry may pass 4 GiB. The central directory uses zip64
 * fields only where a value does not fit 32 bits, and a zip64 end of central
 * directory record is added when the archive needs it. Nothing is ever rewritten:
 * the output can be streamed. Names are UTF-8 (flag 11). One thread at a time.
 */
typedef struct _VgZipWriter VgZipWriter;

VgZipWriter *vg_zip_writer_new        (VgZipSinkFunc sink, gpointer user_data);
void         vg_zip_writer_free       (VgZipWriter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgZipWriter, vg_zip_writer_free)

/* Starts an entry; mtime_us (UTC µs) becomes its DOS time. */
gboolean     vg_zip_writer_begin_file (VgZipWriter *self, const char *name, gint64 mtime_us,
                                       GError **error);
/* Data of the current entry. */
gboolean     vg_zip_writer_write      (VgZipWriter *self, const guint8 *data, gsize size,
                                       GError **error);
/* Ends the current entry (its data descriptor). */
gboolean     vg_zip_writer_end_file   (VgZipWriter *self, GError **error);
/* Ends the open entry if any, then writes the central directory. */
gboolean     vg_zip_writer_finish     (VgZipWriter *self, GError **error);
/* Bytes handed to the sink so far. */
guint64      vg_zip_writer_get_size   (VgZipWriter *self);

G_END_DECLS
