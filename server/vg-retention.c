/* vg-retention.c: purging old video: retention per camera, disk limits, manual deletion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-retention.h"
#include "vg-error.h"

#include <errno.h>
#include <glib/gstdio.h>

#define SPACE_MARGIN_PERCENT 1

struct _VgRetention
{
  GObject     parent_instance;

  VgDatabase *database;
  VgStorage  *storage;
  guint       timer_id;
  gboolean    running;
};

G_DEFINE_TYPE (VgRetention, vg_retention, G_TYPE_OBJECT)

typedef struct
{
  gint    disk_id;
  gint64  fs_needed;     /* bytes to free for the file-system limit, computed before */
  gint64  max_bytes;     /* quota of video, 0: none */
} DiskNeed;

typedef struct
{
  /* in */
  GArray       *needs;       /* DiskNeed */
  gint64        camera_id;   /* manual deletion, else 0 */
  gint64        before_us;
  gboolean      manual;
  /* out */
  GPtrArray    *files;       /* absolute paths to unlink */
  VgPurgeReport report;
  GHashTable   *disk_paths;  /* disk id → path (copied from storage for the worker) */
} PurgeJob;

static void
purge_job_free (PurgeJob *job)
{
  g_clear_pointer (&job->needs, g_array_unref);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->disk_paths, g_hash_table_unref);
  g_free (job);
}

static void
vg_retention_dispose (GObject *object)
{
  VgRetention *self = VG_RETENTION (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->storage);
  g_clear_object (&self->database);
  G_OBJECT_CLASS (vg_retention_parent_class)->dispose (object);
}

static void
vg_retention_class_init (VgRetentionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vg_retention_dispose;
}

static void
vg_retention_init (VgRetention *self)
{
}

VgRetention *
vg_retention_new (VgDatabase *database, VgStorage *storage)
{
  VgRetention *self = g_object_new (VG_TYPE_RETENTION, NULL);

  self->database = g_object_ref (database);
  self->storage = g_object_ref (storage);
  return self;
}

/* The worker side: index rows first */

#define NOT_PROTECTED \
  "NOT s.open AND NOT EXISTS (SELECT 1 FROM protected_ranges p WHERE p.camera_id = s.camera_id " \
  "AND p.start_time < s.end_time AND p.end_time > s.start_time)"

static gboolean
collect_deleted (PurgeJob *job, VgDbResult *rows, guint *counter)
{
  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    {
      gint disk_id = (gint) vg_db_result_get_int (rows, row, "disk_id");
      const char *disk_path = g_hash_table_lookup (job->disk_paths, GINT_TO_POINTER (disk_id));

      if (disk_path)
        g_ptr_array_add (job->files, g_build_filename (disk_path, vg_db_result_get_string (rows, row, "path"), NULL));
      job->report.segments++;
      job->report.bytes += (guint64) vg_db_result_get_int (rows, row, "bytes");
      (*counter)++;
    }
  return TRUE;
}

static gboolean
purge_by_age (VgDbConnection *conn, PurgeJob *job, GError **error)
{
  g_autoptr(VgDbResult) rows = NULL;

  rows = vg_db_exec (conn,
    "WITH purged AS (DELETE FROM recording_segments s USING cameras c "
    "  WHERE s.camera_id = c.id AND s.end_time < now() - c.retention_days * interval '1 day' "
    "  AND " NOT_PROTECTED " RETURNING s.camera_id, s.disk_id, s.path, s.bytes), "
    "logged AS (INSERT INTO camera_log (camera_id, kind, message) "
    "  SELECT camera_id, 'purge', count(*) || ' segments, ' || sum(bytes) || ' bytes: past retention' "
    "  FROM purged GROUP BY camera_id) "
    "SELECT disk_id, path, bytes FROM purged", NULL, error);
  return rows && collect_deleted (job, rows, &job->report.by_age);
}

static gboolean
purge_by_space (VgDbConnection *conn, PurgeJob *job, const DiskNeed *need, GError **error)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_int (params, need->disk_id);
  vg_db_params_add_int (params, need->fs_needed);
  vg_db_params_add_int (params, need->max_bytes);
  rows = vg_db_exec (conn,
    "WITH need AS (SELECT GREATEST($2::bigint, "
    "                CASE WHEN $3::bigint > 0 THEN COALESCE((SELECT sum(bytes) FROM recording_segments "
    "                  WHERE disk_id = $1), 0) - $3::bigint * 99 / 100 ELSE 0 END) AS bytes), "
    "candidates AS (SELECT s.id, s.bytes, sum(s.bytes) OVER (ORDER BY "
    "    extract(epoch FROM now() - s.start_time) / (c.retention_days * 86400.0) DESC, s.start_time, s.id) AS running "
    "  FROM recording_segments s JOIN cameras c ON c.id = s.camera_id "
    "  WHERE s.disk_id = $1 AND " NOT_PROTECTED "), "
    "purged AS (DELETE FROM recording_segments s USING candidates k, need "
    "  WHERE s.id = k.id AND k.running - k.bytes < need.bytes "
    "  RETURNING s.camera_id, s.disk_id, s.path, s.bytes), "
    "logged AS (INSERT INTO camera_log (camera_id, kind, message) "
    "  SELECT camera_id, 'purge', count(*) || ' segments, ' || sum(bytes) || ' bytes: disk over its limit' "
    "  FROM purged GROUP BY camera_id) "
    "SELECT disk_id, path, bytes FROM purged", params, error);
  return rows && collect_deleted (job, rows, &job->report.by_space);
}

static gboolean
purge_manual (VgDbConnection *conn, PurgeJob *job, GError **error)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) rows = NULL;

  vg_db_params_add_int (params, job->camera_id);
  vg_db_params_add_int (params, job->before_us);
  rows = vg_db_exec (conn,
    "WITH purged AS (DELETE FROM recording_segments s WHERE s.camera_id = $1 "
    "  AND ($2::bigint = 0 OR s.end_time <= to_timestamp($2::bigint / 1e6)) AND " NOT_PROTECTED
    "  RETURNING s.camera_id, s.disk_id, s.path, s.bytes), "
    "logged AS (INSERT INTO camera_log (camera_id, kind, message) "
    "  SELECT camera_id, 'purge', count(*) || ' segments, ' || sum(bytes) || ' bytes: deleted by an operator' "
    "  FROM purged GROUP BY camera_id) "
    "SELECT disk_id, path, bytes FROM purged", params, error);
  return rows && collect_deleted (job, rows, &job->report.by_age);
}

static gboolean
purge_job (VgDbConnection *conn, gpointer data, GError **error)
{
  PurgeJob *job = data;

  if (!vg_db_begin (conn, error))
    return FALSE;
  if (job->manual)
    {
      if (!purge_manual (conn, job, error))
        goto failed;
    }
  else
    {
      if (!purge_by_age (conn, job, error))
        goto failed;
      for (guint i = 0; i < job->needs->len; i++)
        {
          const DiskNeed *need = &g_array_index (job->needs, DiskNeed, i);

          if ((need->fs_needed > 0 || need->max_bytes > 0) && !purge_by_space (conn, job, need, error))
            goto failed;
        }
    }
  return vg_db_commit (conn, error);

failed:
  vg_db_rollback (conn);
  return FALSE;
}

/* Then the files, in a thread */

static void
unlink_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PurgeJob *job = task_data;

  for (guint i = 0; i < job->files->len; i++)
    {
      const char *path = job->files->pdata[i];

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("could not delete %s: %s", path, g_strerror (errno));
    }
  g_task_return_boolean (task, TRUE);
}

static void
files_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgRetention *self = g_task_get_source_object (task);
  PurgeJob *job = g_task_get_task_data (task);

  self->running = FALSE;
  if (job->report.segments > 0)
    g_message ("purged %u segments (%" G_GUINT64_FORMAT " bytes): %u past retention or deleted, %u for space",
               job->report.segments, job->report.bytes, job->report.by_age, job->report.by_space);
  g_task_return_boolean (task, TRUE);
}

static void
rows_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgRetention *self = g_task_get_source_object (task);
  PurgeJob *job = g_task_get_task_data (task);
  g_autoptr(GTask) unlink_task = NULL;
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      self->running = FALSE;
      g_task_return_error (task, error);
      return;
    }
  unlink_task = g_task_new (self, NULL, files_deleted_cb, g_steal_pointer (&task));
  g_task_set_task_data (unlink_task, job, NULL);
  g_task_run_in_thread (unlink_task, unlink_thread);
}

static PurgeJob *
purge_job_new (VgRetention *self)
{
  PurgeJob *job = g_new0 (PurgeJob, 1);
  GPtrArray *disks = vg_storage_list_disks (self->storage);

  job->needs = g_array_new (FALSE, TRUE, sizeof (DiskNeed));
  job->files = g_ptr_array_new_with_free_func (g_free);
  job->disk_paths = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint i = 0; i < disks->len; i++)
    {
      VgDisk *disk = disks->pdata[i];
      VgDiskSpace space;
      DiskNeed need = { disk->id, 0, disk->max_bytes };

      g_hash_table_insert (job->disk_paths, GINT_TO_POINTER (disk->id), g_strdup (disk->path));
      if (vg_storage_get_space (disk, &space) && space.total > 0)
        {
          guint64 limit = space.total / 100 * (disk->max_use_percent - SPACE_MARGIN_PERCENT);
          if (space.used > limit)
            need.fs_needed = (gint64) (space.used - limit);
        }
      g_array_append_val (job->needs, need);
    }
  return job;
}

static void
start_job (VgRetention *self, GTask *task_in, PurgeJob *job)
{
  g_autoptr(GTask) task = task_in;

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "a purge is running already");
      purge_job_free (job);
      return;
    }
  self->running = TRUE;
  g_task_set_task_data (task, job, (GDestroyNotify) purge_job_free);
  vg_database_run_async (self->database, purge_job, job, NULL, rows_deleted_cb, g_steal_pointer (&task));
}

void
vg_retention_run_async (VgRetention *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task;

  g_return_if_fail (VG_IS_RETENTION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_retention_run_async);
  start_job (self, task, purge_job_new (self));
}

static gboolean
finish (VgRetention *self, GAsyncResult *result, VgPurgeReport *report, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (report)
    *report = ((PurgeJob *) g_task_get_task_data (G_TASK (result)))->report;
  return TRUE;
}

gboolean
vg_retention_run_finish (VgRetention *self, GAsyncResult *result, VgPurgeReport *report, GError **error)
{
  return finish (self, result, report, error);
}

void
vg_retention_delete_async (VgRetention *self, gint64 camera_id, gint64 before_us,
                           GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  PurgeJob *job;

  g_return_if_fail (VG_IS_RETENTION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_retention_delete_async);
  job = purge_job_new (self);
  job->manual = TRUE;
  job->camera_id = camera_id;
  job->before_us = before_us;
  start_job (self, task, job);
}

gboolean
vg_retention_delete_finish (VgRetention *self, GAsyncResult *result, VgPurgeReport *report, GError **error)
{
  return finish (self, result, report, error);
}

static void
timer_run_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vg_retention_run_finish (VG_RETENTION (source), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_message ("retention pass failed (next one will retry): %s", error->message);
}

static gboolean
timer_cb (gpointer user_data)
{
  vg_retention_run_async (user_data, NULL, timer_run_cb, NULL);
  return G_SOURCE_CONTINUE;
}

void
vg_retention_start (VgRetention *self, guint interval_seconds)
{
  g_return_if_fail (VG_IS_RETENTION (self));
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_seconds (interval_seconds, timer_cb, self);
}
