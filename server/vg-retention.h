/* vg-retention.h: purging old video: retention per camera, disk limits, manual deletion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-database.h"
#include "vg-storage.h"

G_BEGIN_DECLS

typedef struct
{
  guint   segments;     /* segments deleted */
  guint64 bytes;
  guint   by_age;       /* of which past their camera's retention */
  guint   by_space;     /* of which for a disk over its limit */
} VgPurgeReport;

#define VG_TYPE_RETENTION (vg_retention_get_type ())
G_DECLARE_FINAL_TYPE (VgRetention, vg_retention, VG, RETENTION, GObject)

/**
 * VgRetention:
 *
 * One pass (every minute once started, and on demand):
 * 1. segments that ended longer ago than their camera's retention_days go;
 * 2. on each disk over its limit (max_use_percent of the file system, or max_bytes of
 *    video), the oldest segments go, oldest relative to each camera's retention first
 *    (age ÷ retention), so that every camera keeps the same share of its retention;
 * never a segment still being written, never one that overlaps a protected range
 * (REC-9). Index rows go first, files after, so that the index never points at a
 * missing file; each purge is written in the camera log (REC-8).
 */
VgRetention *vg_retention_new           (VgDatabase *database, VgStorage *storage);
void         vg_retention_start         (VgRetention *self, guint interval_seconds);

void         vg_retention_run_async     (VgRetention *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean     vg_retention_run_finish    (VgRetention *self, GAsyncResult *result,
                                         VgPurgeReport *report, GError **error);

/* Manual deletion of a camera's recordings (all streams) that end before before_us
 * (0: all); protected ranges and open segments are kept. */
void         vg_retention_delete_async  (VgRetention *self, gint64 camera_id, gint64 before_us,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean     vg_retention_delete_finish (VgRetention *self, GAsyncResult *result,
                                         VgPurgeReport *report, GError **error);

G_END_DECLS
