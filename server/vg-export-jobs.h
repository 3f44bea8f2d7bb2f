/* vg-export-jobs.h: exports written by the node into a directory, with progress (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vg-event-hub.h"
#include "vg-export.h"

G_BEGIN_DECLS

#define VG_TYPE_EXPORT_JOBS (vg_export_jobs_get_type ())
G_DECLARE_FINAL_TYPE (VgExportJobs, vg_export_jobs, VG, EXPORT_JOBS, GObject)

/**
 * VgExportJobs:
 *
 * Each job runs one VgExport in its own thread, writing its pieces as files
 * (created exclusively: an existing file fails the job) into a directory, each
 * fdatasync()ed when complete. While it runs, "export.progress" events
 * ({"id","progress","bytes"}, at most twice a second) go to the event hub; at the
 * end "export.done" carries the job as vg_export_jobs_to_json() shows it. A
 * cancelled or failed job removes the piece it was writing and keeps the complete
 * ones. Jobs are kept in memory (the 100 latest finished ones).
 */
VgExportJobs *vg_export_jobs_new        (VgEventHub *hub);

/* Takes export. base_name: the files' names without ".mkv" (a piece number is
 * added when split). Returns the job's id. */
gint64        vg_export_jobs_start      (VgExportJobs *self, VgExport *export,
                                         const char *directory, const char *base_name,
                                         gboolean split);
/* {"id","state":"running|done|failed|cancelled","progress","bytes","files":[…],
 * "directory","error"}; NULL for an unknown id. */
JsonNode     *vg_export_jobs_to_json    (VgExportJobs *self, gint64 id);
/* FALSE for an unknown id; a finished job stays as it is. */
gboolean      vg_export_jobs_cancel     (VgExportJobs *self, gint64 id);
/* Cancels every running job and waits for their threads (shutdown). */
void          vg_export_jobs_stop       (VgExportJobs *self);
guint         vg_export_jobs_get_n_running (VgExportJobs *self);

G_END_DECLS
