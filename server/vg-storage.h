/* vg-storage.h: the node's data disks, where recordings go (REC-10, REC-11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-database.h"

G_BEGIN_DECLS

typedef struct
{
  gint    id;
  char   *path;
  guint   max_use_percent;  /* of the file system */
  gint64  max_bytes;        /* of video; 0: no quota */
} VgDisk;

typedef struct
{
  guint64 total;       /* file system size */
  guint64 free;        /* available to the node */
  guint64 used;        /* total − free */
} VgDiskSpace;

#define VG_TYPE_STORAGE (vg_storage_get_type ())
G_DECLARE_FINAL_TYPE (VgStorage, vg_storage, VG, STORAGE, GObject)

/**
 * VgStorage:
 *
 * The data disks known to the node (table storage_disks). At start the default disk
 * (DATA_DIR/recordings, or the configured ones) is registered if missing. Each camera
 * records on its own disk (cameras.disk_id), the default one otherwise. Segment files
 * are laid out as DISK/CAMERA/STREAM/YYYY-MM-DD/HHMMSS.mmm.mkv (UTC).
 */
VgStorage    *vg_storage_new               (VgDatabase *database, const char *const *disk_paths);

void          vg_storage_load_async        (VgStorage *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean      vg_storage_load_finish       (VgStorage *self, GAsyncResult *result, GError **error);

/* Element type VgDisk (borrowed), in id order. */
GPtrArray    *vg_storage_list_disks        (VgStorage *self);
VgDisk       *vg_storage_lookup_disk       (VgStorage *self, gint id);
VgDisk       *vg_storage_get_default_disk  (VgStorage *self);
/* statvfs of the disk; FALSE (and zeros) when it cannot be read (unmounted). */
gboolean      vg_storage_get_space         (VgDisk *disk, VgDiskSpace *space);

/* "12/main/2026-11-22/101500.123.mkv" */
char         *vg_storage_segment_path      (gint64 camera_id, const char *stream, gint64 start_us);
/* The disk's directory joined with a relative path. */
char         *vg_disk_resolve              (VgDisk *disk, const char *relative_path);

G_END_DECLS
