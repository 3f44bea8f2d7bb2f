/* vg-recovery.c: segments left open by a crash, scanned and indexed at start (REC-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-recovery.h"
#include "vg-mkv-reader.h"

typedef struct
{
  VgDatabase       *database;
  VgStorage        *storage;
  VgRecordingIndex *index;
  VgDbResult       *open_rows;
  GPtrArray        *recovered;   /* VgSegmentInfo */
  GArray           *lost_ids;    /* gint64: rows whose file is gone or empty */
  GHashTable       *disk_paths;  /* disk id → path, for the thread */
} Recovery;

static void
recovery_free (Recovery *recovery)
{
  g_clear_object (&recovery->database);
  g_clear_object (&recovery->storage);
  g_clear_object (&recovery->index);
  vg_db_result_free (recovery->open_rows);
  g_ptr_array_unref (recovery->recovered);
  g_array_unref (recovery->lost_ids);
  g_hash_table_unref (recovery->disk_paths);
  g_free (recovery);
}

static gboolean
select_open_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Recovery *recovery = data;

  recovery->open_rows = vg_db_exec (conn, "SELECT id, camera_id, stream, disk_id, path FROM recording_segments "
                                    "WHERE open ORDER BY id", NULL, error);
  return recovery->open_rows != NULL;
}

static gboolean
delete_lost_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Recovery *recovery = data;

  for (guint i = 0; i < recovery->lost_ids->len; i++)
    {
      g_autoptr(VgDbParams) params = vg_db_params_add_int (vg_db_params_new (),
                                                           g_array_index (recovery->lost_ids, gint64, i));
      g_autoptr(VgDbResult) deleted = vg_db_exec (conn, "DELETE FROM recording_segments WHERE id = $1",
                                                  params, error);
      if (deleted == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
scan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Recovery *recovery = task_data;
  VgDbResult *rows = recovery->open_rows;

  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    {
      const char *disk_path = g_hash_table_lookup (recovery->disk_paths,
                                                   GINT_TO_POINTER ((gint) vg_db_result_get_int (rows, row, "disk_id")));
      g_autofree char *path = disk_path ? g_build_filename (disk_path, vg_db_result_get_string (rows, row, "path"), NULL) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(VgMkvScan) scan = path ? vg_mkv_scan_file (path, &error) : NULL;
      gint64 id = vg_db_result_get_int (rows, row, "id");
      VgSegmentInfo *info;

      if (scan == NULL || scan->n_frames == 0)
        {
          g_message ("recovery: %s holds no complete frame (%s); its index row goes",
                     path ? path : "a segment", error ? error->message : "empty");
          g_array_append_val (recovery->lost_ids, id);
          continue;
        }
      info = g_new0 (VgSegmentInfo, 1);
      info->camera_id = vg_db_result_get_int (rows, row, "camera_id");
      info->stream = g_strdup (vg_db_result_get_string (rows, row, "stream"));
      info->disk_id = (gint) vg_db_result_get_int (rows, row, "disk_id");
      info->path = g_strdup (vg_db_result_get_string (rows, row, "path"));
      info->start_us = scan->first_time_us;
      info->end_us = scan->last_time_us;
      info->bytes = (gint64) scan->valid_length;
      info->frames = (guint) scan->n_frames;
      info->keyframes = vg_mkv_keyframe_index_pack ((const VgMkvKeyframe *) scan->keyframes->data,
                                                    scan->keyframes->len);
      info->open = FALSE;
      g_ptr_array_add (recovery->recovered, info);
    }
  g_task_return_boolean (task, TRUE);
}

static void
flushed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!vg_recording_index_flush_finish (VG_RECORDING_INDEX (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lost_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Recovery *recovery = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (recovery->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < recovery->recovered->len; i++)
    vg_recording_index_put (recovery->index, recovery->recovered->pdata[i]);
  if (recovery->recovered->len > 0)
    g_message ("recovered %u segments left open", recovery->recovered->len);
  vg_recording_index_flush_async (recovery->index, NULL, flushed_cb, g_steal_pointer (&task));
}

static void
scanned_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Recovery *recovery = g_task_get_task_data (task);

  vg_database_run_async (recovery->database, delete_lost_job, recovery, NULL, lost_deleted_cb,
                         g_steal_pointer (&task));
}

static void
selected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Recovery *recovery = g_task_get_task_data (task);
  g_autoptr(GTask) scan_task = NULL;
  GError *error = NULL;

  if (!vg_database_run_finish (recovery->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  scan_task = g_task_new (NULL, NULL, scanned_cb, g_steal_pointer (&task));
  g_task_set_task_data (scan_task, recovery, NULL);
  g_task_run_in_thread (scan_task, scan_thread);
}

void
vg_recovery_run_async (VgDatabase *database, VgStorage *storage, VgRecordingIndex *index,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Recovery *recovery = g_new0 (Recovery, 1);
  GPtrArray *disks = vg_storage_list_disks (storage);

  g_task_set_source_tag (task, vg_recovery_run_async);
  recovery->database = g_object_ref (database);
  recovery->storage = g_object_ref (storage);
  recovery->index = g_object_ref (index);
  recovery->recovered = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_segment_info_free);
  recovery->lost_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  recovery->disk_paths = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint i = 0; i < disks->len; i++)
    g_hash_table_insert (recovery->disk_paths, GINT_TO_POINTER (((VgDisk *) disks->pdata[i])->id),
                         g_strdup (((VgDisk *) disks->pdata[i])->path));
  g_task_set_task_data (task, recovery, (GDestroyNotify) recovery_free);
  vg_database_run_async (database, select_open_job, recovery, NULL, selected_cb, g_steal_pointer (&task));
}

gboolean
vg_recovery_run_finish (GAsyncResult *result, guint *n_recovered, GError **error)
{
  Recovery *recovery = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (n_recovered)
    *n_recovered = recovery->recovered->len;
  return TRUE;
}
