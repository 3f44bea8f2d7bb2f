/* vg-storage.c: the node's data disks, where recordings go (REC-10, REC-11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-storage.h"
#include "vg-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/statvfs.h>

struct _VgStorage
{
  GObject     parent_instance;

  VgDatabase *database;
  GStrv       configured;   /* disk paths from the configuration, registered at load */
  GPtrArray  *disks;        /* VgDisk, id order */
};

G_DEFINE_TYPE (VgStorage, vg_storage, G_TYPE_OBJECT)

static void
disk_free (VgDisk *disk)
{
  g_free (disk->path);
  g_free (disk);
}

static void
vg_storage_finalize (GObject *object)
{
  VgStorage *self = VG_STORAGE (object);

  g_clear_object (&self->database);
  g_strfreev (self->configured);
  g_ptr_array_unref (self->disks);
  G_OBJECT_CLASS (vg_storage_parent_class)->finalize (object);
}

static void
vg_storage_class_init (VgStorageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_storage_finalize;
}

static void
vg_storage_init (VgStorage *self)
{
  self->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_free);
}

VgStorage *
vg_storage_new (VgDatabase *database, const char *const *disk_paths)
{
  VgStorage *self = g_object_new (VG_TYPE_STORAGE, NULL);

  self->database = g_object_ref (database);
  self->configured = g_strdupv ((char **) disk_paths);
  return self;
}

typedef struct
{
  GStrv       paths;
  VgDbResult *rows;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_strfreev (job->paths);
  vg_db_result_free (job->rows);
  g_free (job);
}

static gboolean
load_job (VgDbConnection *conn, gpointer data, GError **error)
{
  LoadJob *job = data;

  for (guint i = 0; job->paths && job->paths[i]; i++)
    {
      g_autoptr(VgDbParams) params = vg_db_params_add_string (vg_db_params_new (), job->paths[i]);
      g_autoptr(VgDbResult) inserted = vg_db_exec (conn,
                                                   "INSERT INTO storage_disks (path) VALUES ($1) "
                                                   "ON CONFLICT (path) DO NOTHING",
                                                   params, error);
      if (inserted == NULL)
        return FALSE;
    }
  job->rows = vg_db_exec (conn, "SELECT id, path, max_use_percent, COALESCE(max_bytes, 0) AS max_bytes "
                          "FROM storage_disks ORDER BY id", NULL, error);
  return job->rows != NULL;
}

static gboolean
prepare_directory (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create the recording directory %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgStorage *self = g_task_get_source_object (task);
  LoadJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_set_size (self->disks, 0);
  for (int row = 0; row < vg_db_result_get_n_rows (job->rows); row++)
    {
      VgDisk *disk = g_new0 (VgDisk, 1);
      g_autoptr(GError) local_error = NULL;

      disk->id = (gint) vg_db_result_get_int (job->rows, row, "id");
      disk->path = g_strdup (vg_db_result_get_string (job->rows, row, "path"));
      disk->max_use_percent = (guint) vg_db_result_get_int (job->rows, row, "max_use_percent");
      disk->max_bytes = vg_db_result_get_int (job->rows, row, "max_bytes");
      g_ptr_array_add (self->disks, disk);
      /* A disk that is not mounted now is kept: recording moves on when it returns. */
      if (!prepare_directory (disk->path, &local_error))
        g_warning ("%s", local_error->message);
    }
  if (self->disks->len == 0)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_FAILED, "no data disk is configured");
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
vg_storage_load_async (VgStorage *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job = g_new0 (LoadJob, 1);

  g_return_if_fail (VG_IS_STORAGE (self));

  job->paths = g_strdupv (self->configured);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_storage_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  vg_database_run_async (self->database, load_job, job, cancellable, load_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_storage_load_finish (VgStorage *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
vg_storage_list_disks (VgStorage *self)
{
  g_return_val_if_fail (VG_IS_STORAGE (self), NULL);
  return self->disks;
}

VgDisk *
vg_storage_lookup_disk (VgStorage *self, gint id)
{
  g_return_val_if_fail (VG_IS_STORAGE (self), NULL);
  for (guint i = 0; i < self->disks->len; i++)
    if (((VgDisk *) self->disks->pdata[i])->id == id)
      return self->disks->pdata[i];
  return NULL;
}

VgDisk *
vg_storage_get_default_disk (VgStorage *self)
{
  g_return_val_if_fail (VG_IS_STORAGE (self), NULL);
  /* The first configured path, else the oldest disk. */
  for (guint i = 0; self->configured && self->configured[0] && i < self->disks->len; i++)
    if (g_str_equal (((VgDisk *) self->disks->pdata[i])->path, self->configured[0]))
      return self->disks->pdata[i];
  return self->disks->len ? self->disks->pdata[0] : NULL;
}

gboolean
vg_storage_get_space (VgDisk *disk, VgDiskSpace *space)
{
  struct statvfs st;

  g_return_val_if_fail (disk != NULL && space != NULL, FALSE);
  memset (space, 0, sizeof *space);
  if (statvfs (disk->path, &st) != 0)
    return FALSE;
  space->total = (guint64) st.f_blocks * st.f_frsize;
  space->free = (guint64) st.f_bavail * st.f_frsize;
  space->used = space->total > space->free ? space->total - space->free : 0;
  return TRUE;
}

char *
vg_storage_segment_path (gint64 camera_id, const char *stream, gint64 start_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (start_us / G_USEC_PER_SEC);
  g_autofree char *day = g_date_time_format (seconds, "%Y-%m-%d");
  g_autofree char *time = g_date_time_format (seconds, "%H%M%S");

  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s/%s/%s.%03d.mkv", camera_id, stream, day, time,
                          (int) ((start_us % G_USEC_PER_SEC) / 1000));
}

char *
vg_disk_resolve (VgDisk *disk, const char *relative_path)
{
  g_return_val_if_fail (disk != NULL && relative_path != NULL, NULL);
  return g_build_filename (disk->path, relative_path, NULL);
}
