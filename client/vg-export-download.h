/* vg-export-download.h: an export of a recorded range streamed into a local file (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_EXPORT_DOWNLOAD (vg_export_download_get_type ())
G_DECLARE_FINAL_TYPE (VgExportDownload, vg_export_download, VG, EXPORT_DOWNLOAD, GObject)

/**
 * VgExportDownload:
 *
 * `GET /api/v1/cameras/ID/export.mkv` (or `export.zip`, with split or zip) written to
 * a file as it arrives, never held in memory. The size is not known in advance: it is
 * estimated from the segment index (`/segments`, bytes per second of the first day) so
 * that "progress" can move; "bytes" is what was written. A failed or cancelled
 * download removes its file, so a cut file is never taken for a whole one.
 *
 * Properties (read-only, notified at most ten times a second): "bytes",
 * "expected-bytes" (0 while unknown), "progress" (0–1).
 */
VgExportDownload *vg_export_download_new        (VgApiClient *client, gint64 camera_id,
                                                 const char *stream, gint64 start, gint64 end);
/* split: NULL, or as the API takes it ("600s", "500MB"): then a zip of the pieces. */
void              vg_export_download_set_split  (VgExportDownload *self, const char *split);
/* A zip even without split. */
void              vg_export_download_set_zip    (VgExportDownload *self, gboolean zip);
gboolean          vg_export_download_get_zip    (VgExportDownload *self);
/* The API path it downloads. */
char             *vg_export_download_dup_path   (VgExportDownload *self);

guint64           vg_export_download_get_bytes  (VgExportDownload *self);
guint64           vg_export_download_get_expected_bytes (VgExportDownload *self);
double            vg_export_download_get_progress (VgExportDownload *self);

void              vg_export_download_run_async  (VgExportDownload *self, GFile *destination,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean          vg_export_download_run_finish (VgExportDownload *self, GAsyncResult *result,
                                                 GError **error);

G_END_DECLS
