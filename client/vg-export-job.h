/* vg-export-job.h: an export written by the node into one of its directories (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_EXPORT_JOB (vg_export_job_get_type ())
G_DECLARE_FINAL_TYPE (VgExportJob, vg_export_job, VG, EXPORT_JOB, GObject)

/**
 * VgExportJob:
 *
 * `POST /api/v1/exports` (a medium attached to the node), then the job followed
 * through the event WebSocket ("export.progress", "export.done") and, should events be
 * missed, `GET /api/v1/exports/ID` every few seconds. vg_export_job_cancel() sends
 * `DELETE`.
 *
 * Properties (read-only): "state" ("starting", then the node's: "running", "done",
 * "failed", "cancelled"), "progress" (0–1), "bytes", "error" (the node's message for a
 * failed job, or NULL). Signal "finished" once the state is final.
 */
VgExportJob *vg_export_job_new           (VgApiClient *client, gint64 camera_id,
                                          const char *stream, gint64 start, gint64 end,
                                          const char *directory, const char *split);
/* Posts the job; the callback tells whether the node accepted it. */
void         vg_export_job_start_async   (VgExportJob *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gboolean     vg_export_job_start_finish  (VgExportJob *self, GAsyncResult *result, GError **error);
void         vg_export_job_cancel        (VgExportJob *self);

gint64       vg_export_job_get_id        (VgExportJob *self);
const char  *vg_export_job_get_state     (VgExportJob *self);
gboolean     vg_export_job_is_finished   (VgExportJob *self);
double       vg_export_job_get_progress  (VgExportJob *self);
guint64      vg_export_job_get_bytes     (VgExportJob *self);
const char  *vg_export_job_get_error     (VgExportJob *self);
/* (transfer none): the complete files, as the node named them */
const char *const *vg_export_job_get_files (VgExportJob *self);

G_END_DECLS
