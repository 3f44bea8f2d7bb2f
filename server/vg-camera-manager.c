/* vg-camera-manager.c: the node's cameras: configuration now, their pipelines later
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-camera-manager.h"
#include "vg-error.h"

#include <string.h>

struct _VgCameraManager
{
  GObject     parent_instance;

  VgDatabase *database;
  GHashTable *cameras;  /* gint64 *id → VgCamera */
};

G_DEFINE_TYPE (VgCameraManager, vg_camera_manager, G_TYPE_OBJECT)

enum {
  CAMERA_ADDED,
  CAMERA_CHANGED,
  CAMERA_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  gint64      id;
  VgCamera   *camera;   /* to store */
  VgDbResult *cameras;
  VgDbResult *streams;
} CameraJob;

static void
camera_job_free (CameraJob *job)
{
  g_clear_object (&job->camera);
  vg_db_result_free (job->cameras);
  vg_db_result_free (job->streams);
  g_free (job);
}

static void
vg_camera_manager_finalize (GObject *object)
{
  VgCameraManager *self = VG_CAMERA_MANAGER (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->cameras, g_hash_table_unref);

  G_OBJECT_CLASS (vg_camera_manager_parent_class)->finalize (object);
}

static void
vg_camera_manager_class_init (VgCameraManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_camera_manager_finalize;

  signals[CAMERA_ADDED] = g_signal_new ("camera-added", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, VG_TYPE_CAMERA);
  signals[CAMERA_CHANGED] = g_signal_new ("camera-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, VG_TYPE_CAMERA);
  signals[CAMERA_REMOVED] = g_signal_new ("camera-removed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vg_camera_manager_init (VgCameraManager *self)
{
  self->cameras = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

VgCameraManager *
vg_camera_manager_new (VgDatabase *database)
{
  VgCameraManager *self = g_object_new (VG_TYPE_CAMERA_MANAGER, NULL);

  self->database = g_object_ref (database);
  return self;
}

VgCamera *
vg_camera_manager_lookup (VgCameraManager *self, gint64 id)
{
  g_return_val_if_fail (VG_IS_CAMERA_MANAGER (self), NULL);
  return g_hash_table_lookup (self->cameras, &id);
}

static int
compare_by_id (gconstpointer a, gconstpointer b)
{
  gint64 ia = vg_camera_get_id (*(VgCamera **) a);
  gint64 ib = vg_camera_get_id (*(VgCamera **) b);

  return (ia > ib) - (ia < ib);
}

GPtrArray *
vg_camera_manager_list (VgCameraManager *self)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (VG_IS_CAMERA_MANAGER (self), list);
  g_hash_table_iter_init (&iter, self->cameras);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_by_id);
  return list;
}

guint
vg_camera_manager_get_n_cameras (VgCameraManager *self)
{
  g_return_val_if_fail (VG_IS_CAMERA_MANAGER (self), 0);
  return g_hash_table_size (self->cameras);
}

/* Rows → cameras */

#define CAMERA_COLUMNS "id, name, enabled, recording_mode, retention_days, COALESCE(disk_id, 0) AS disk_id, " \
                       "encode(schedule, 'hex') AS schedule"
#define STREAM_COLUMNS "camera_id, name, url, array_to_string(roles, ',') AS roles, transport, keep_open, ingest, " \
                       "tls_fingerprint"

static VgStreamRoles
roles_from_row (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text ? text : "", ",", -1);
  VgStreamRoles roles = VG_STREAM_ROLE_NONE;

  for (guint i = 0; names[i]; i++)
    roles |= vg_stream_role_from_string (names[i]);
  return roles;
}

static void
schedule_from_hex (VgCamera *camera, const char *hex)
{
  VgSchedule schedule;

  if (hex == NULL || strlen (hex) != 2 * VG_SCHEDULE_BYTES)
    return;
  for (gsize i = 0; i < VG_SCHEDULE_BYTES; i++)
    schedule.bits[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  vg_camera_set_schedule (camera, &schedule);
}

static char *
schedule_to_hex (VgCamera *camera)
{
  const VgSchedule *schedule = vg_camera_get_schedule (camera);
  GString *hex;

  if (schedule == NULL)
    return NULL;
  hex = g_string_new ("\\x");
  for (gsize i = 0; i < VG_SCHEDULE_BYTES; i++)
    g_string_append_printf (hex, "%02x", schedule->bits[i]);
  return g_string_free (hex, FALSE);
}

/* Builds cameras from the rows of a job; streams rows are ordered by camera, position. */
static GPtrArray *
cameras_from_rows (CameraJob *job)
{
  GPtrArray *cameras = g_ptr_array_new_with_free_func (g_object_unref);

  for (int row = 0; row < vg_db_result_get_n_rows (job->cameras); row++)
    {
      VgCamera *camera = vg_camera_new ();
      VgRecordingMode mode = VG_RECORDING_MODE_CONTINUOUS;

      vg_camera_set_id (camera, vg_db_result_get_int (job->cameras, row, "id"));
      vg_camera_set_name (camera, vg_db_result_get_string (job->cameras, row, "name"));
      vg_camera_set_enabled (camera, vg_db_result_get_boolean (job->cameras, row, "enabled"));
      vg_recording_mode_from_string (vg_db_result_get_string (job->cameras, row, "recording_mode"),
                                     &mode);
      vg_camera_set_recording_mode (camera, mode);
      vg_camera_set_retention_days (camera,
                                    (guint) vg_db_result_get_int (job->cameras, row, "retention_days"));
      vg_camera_set_disk (camera, (gint) vg_db_result_get_int (job->cameras, row, "disk_id"));
      schedule_from_hex (camera, vg_db_result_get_string (job->cameras, row, "schedule"));
      g_ptr_array_add (cameras, camera);
    }

  for (int row = 0; row < vg_db_result_get_n_rows (job->streams); row++)
    {
      gint64 camera_id = vg_db_result_get_int (job->streams, row, "camera_id");

      for (guint i = 0; i < cameras->len; i++)
        {
          VgCamera *camera = cameras->pdata[i];

          if (vg_camera_get_id (camera) == camera_id)
            {
              g_autoptr(VgStream) stream =
                vg_stream_new (vg_db_result_get_string (job->streams, row, "name"),
                               vg_db_result_get_string (job->streams, row, "url"),
                               roles_from_row (vg_db_result_get_string (job->streams, row, "roles")));
              VgStreamTransport transport = VG_STREAM_TRANSPORT_TCP;

              vg_stream_transport_from_string (vg_db_result_get_string (job->streams, row, "transport"), &transport);
              vg_stream_set_transport (stream, transport);
              vg_stream_set_keep_open (stream, vg_db_result_get_boolean (job->streams, row, "keep_open"));
              {
                VgStreamIngest ingest = VG_STREAM_INGEST_NATIVE;

                vg_stream_ingest_from_string (vg_db_result_get_string (job->streams, row, "ingest"), &ingest);
                vg_stream_set_ingest (stream, ingest);
              }
              vg_stream_set_tls_fingerprint (stream, vg_db_result_get_string (job->streams, row, "tls_fingerprint"));
              vg_camera_add_stream (camera, stream);
              break;
            }
        }
    }
  return cameras;
}

/* Load */

static gboolean
load_job (VgDbConnection *conn, gpointer data, GError **error)
{
  CameraJob *job = data;

  job->cameras = vg_db_exec (conn, "SELECT " CAMERA_COLUMNS " FROM cameras ORDER BY id", NULL, error);
  if (job->cameras == NULL)
    return FALSE;
  job->streams = vg_db_exec (conn, "SELECT " STREAM_COLUMNS " FROM camera_streams "
                             "ORDER BY camera_id, position", NULL, error);
  return job->streams != NULL;
}

static void
remember (VgCameraManager *self, VgCamera *camera)
{
  gint64 id = vg_camera_get_id (camera);

  g_hash_table_replace (self->cameras, g_memdup2 (&id, sizeof id), g_object_ref (camera));
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgCameraManager *self = g_task_get_source_object (task);
  CameraJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) cameras = NULL;
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  cameras = cameras_from_rows (job);
  g_hash_table_remove_all (self->cameras);
  for (guint i = 0; i < cameras->len; i++)
    {
      remember (self, cameras->pdata[i]);
      g_signal_emit (self, signals[CAMERA_ADDED], 0, cameras->pdata[i]);
    }
  g_task_return_boolean (task, TRUE);
}

void
vg_camera_manager_load_async (VgCameraManager *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  CameraJob *job = g_new0 (CameraJob, 1);

  g_return_if_fail (VG_IS_CAMERA_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_camera_manager_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) camera_job_free);
  vg_database_run_async (self->database, load_job, job, cancellable, load_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_camera_manager_load_finish (VgCameraManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Save (create or update) */

static char *
roles_to_array_literal (VgStreamRoles roles)
{
  GString *text = g_string_new ("{");

  for (guint bit = 0; bit < 16; bit++)
    {
      const char *name;

      if (!(roles & (1u << bit)))
        continue;
      name = vg_stream_role_to_string (1u << bit);
      if (name == NULL)
        continue;
      if (text->len > 1)
        g_string_append_c (text, ',');
      g_string_append (text, name);
    }
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static gboolean
store_streams (VgDbConnection *conn, CameraJob *job, GError **error)
{
  GPtrArray *streams = vg_camera_get_streams (job->camera);
  g_autoptr(VgDbParams) id_param = vg_db_params_add_int (vg_db_params_new (), job->id);
  g_autoptr(VgDbResult) deleted = NULL;

  deleted = vg_db_exec (conn, "DELETE FROM camera_streams WHERE camera_id = $1", id_param, error);
  if (deleted == NULL)
    return FALSE;

  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *stream = streams->pdata[i];
      g_autoptr(VgDbParams) params = vg_db_params_new ();
      g_autoptr(VgDbResult) inserted = NULL;
      g_autofree char *roles = roles_to_array_literal (vg_stream_get_roles (stream));

      vg_db_params_add_int (params, job->id);
      vg_db_params_add_int (params, i);
      vg_db_params_add_string (params, vg_stream_get_name (stream));
      vg_db_params_add_string (params, vg_stream_get_url (stream));
      vg_db_params_add_string (params, roles);
      vg_db_params_add_string (params, vg_stream_transport_to_string (vg_stream_get_transport (stream)));
      vg_db_params_add_boolean (params, vg_stream_get_keep_open (stream));
      vg_db_params_add_string (params, vg_stream_ingest_to_string (vg_stream_get_ingest (stream)));
      vg_db_params_add_string (params, vg_stream_get_tls_fingerprint (stream));
      inserted = vg_db_exec (conn,
                             "INSERT INTO camera_streams (camera_id, position, name, url, roles, transport, keep_open, "
                             "ingest, tls_fingerprint) "
                             "VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9)",
                             params, error);
      if (inserted == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_camera (VgDbConnection *conn, CameraJob *job, GError **error)
{
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) row = NULL;
  g_autoptr(VgDbParams) id_param = NULL;

  vg_db_params_add_string (params, vg_camera_get_name (job->camera));
  vg_db_params_add_boolean (params, vg_camera_get_enabled (job->camera));
  vg_db_params_add_string (params, vg_recording_mode_to_string (vg_camera_get_recording_mode (job->camera)));
  vg_db_params_add_int (params, vg_camera_get_retention_days (job->camera));
  vg_db_params_add_int (params, vg_camera_get_disk (job->camera));
  {
    g_autofree char *schedule = schedule_to_hex (job->camera);
    vg_db_params_add_string (params, schedule);
  }

  if (vg_camera_get_disk (job->camera) > 0)
    {
      g_autoptr(VgDbParams) disk = vg_db_params_add_int (vg_db_params_new (), vg_camera_get_disk (job->camera));
      g_autoptr(VgDbResult) found = vg_db_exec (conn, "SELECT 1 FROM storage_disks WHERE id = $1", disk, error);

      if (found == NULL)
        return FALSE;
      if (vg_db_result_get_n_rows (found) == 0)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "no data disk %d (see GET /api/v1/storage)",
                       vg_camera_get_disk (job->camera));
          return FALSE;
        }
    }

  if (job->id == 0)
    row = vg_db_exec (conn,
                      "INSERT INTO cameras (name, enabled, recording_mode, retention_days, disk_id, schedule) "
                      "VALUES ($1, $2, $3, $4, NULLIF($5::int, 0), $6::bytea) RETURNING id",
                      params, error);
  else
    {
      vg_db_params_add_int (params, job->id);
      row = vg_db_exec (conn,
                        "UPDATE cameras SET name = $1, enabled = $2, recording_mode = $3, "
                        "retention_days = $4, disk_id = NULLIF($5::int, 0), schedule = $6::bytea, "
                        "updated_at = now() WHERE id = $7 RETURNING id",
                        params, error);
    }
  if (row == NULL)
    return FALSE;
  if (vg_db_result_get_n_rows (row) == 0)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_NOT_FOUND, "no camera %" G_GINT64_FORMAT, job->id);
      return FALSE;
    }
  job->id = vg_db_result_get_int (row, 0, "id");
  if (!store_streams (conn, job, error))
    return FALSE;

  id_param = vg_db_params_add_int (vg_db_params_new (), job->id);
  job->cameras = vg_db_exec (conn, "SELECT " CAMERA_COLUMNS " FROM cameras WHERE id = $1",
                             id_param, error);
  if (job->cameras == NULL)
    return FALSE;
  job->streams = vg_db_exec (conn, "SELECT " STREAM_COLUMNS " FROM camera_streams "
                             "WHERE camera_id = $1 ORDER BY position", id_param, error);
  return job->streams != NULL;
}

static gboolean
save_job (VgDbConnection *conn, gpointer data, GError **error)
{
  CameraJob *job = data;

  if (!vg_db_begin (conn, error))
    return FALSE;
  if (!store_camera (conn, job, error))
    {
      vg_db_rollback (conn);
      return FALSE;
    }
  return vg_db_commit (conn, error);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgCameraManager *self = g_task_get_source_object (task);
  CameraJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) stored = NULL;
  gboolean created = vg_camera_get_id (job->camera) == 0;
  VgCamera *camera;
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  stored = cameras_from_rows (job);
  g_assert (stored->len == 1);
  camera = vg_camera_manager_lookup (self, job->id);
  if (camera == NULL)
    {
      camera = stored->pdata[0];
      remember (self, camera);
    }
  else
    {
      /* Keep the object others hold: copy the stored state into it. */
      VgCamera *fresh = stored->pdata[0];
      GPtrArray *streams = vg_camera_get_streams (fresh);

      g_object_freeze_notify (G_OBJECT (camera));
      vg_camera_set_name (camera, vg_camera_get_name (fresh));
      vg_camera_set_enabled (camera, vg_camera_get_enabled (fresh));
      vg_camera_set_recording_mode (camera, vg_camera_get_recording_mode (fresh));
      vg_camera_set_retention_days (camera, vg_camera_get_retention_days (fresh));
      vg_camera_set_disk (camera, vg_camera_get_disk (fresh));
      vg_camera_set_schedule (camera, vg_camera_get_schedule (fresh));
      vg_camera_clear_streams (camera);
      for (guint i = 0; i < streams->len; i++)
        vg_camera_add_stream (camera, streams->pdata[i]);
      g_object_thaw_notify (G_OBJECT (camera));
    }
  g_signal_emit (self, signals[created ? CAMERA_ADDED : CAMERA_CHANGED], 0, camera);
  g_task_return_pointer (task, g_object_ref (camera), g_object_unref);
}

static void
save_start (VgCameraManager *self, GTask *task_in, gint64 id, VgCamera *camera)
{
  g_autoptr(GTask) task = task_in;
  CameraJob *job = g_new0 (CameraJob, 1);

  job->id = id;
  job->camera = g_object_ref (camera);
  g_task_set_task_data (task, job, (GDestroyNotify) camera_job_free);
  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_database_run_async (self->database, save_job, job, cancellable,
                         save_done_cb, g_steal_pointer (&task));
}

void
vg_camera_manager_create_async (VgCameraManager *self, VgCamera *camera,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(VgCamera) copy = NULL;
  GError *error = NULL;

  g_return_if_fail (VG_IS_CAMERA_MANAGER (self));
  g_return_if_fail (VG_IS_CAMERA (camera));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_camera_manager_create_async);
  if (!vg_camera_validate (camera, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  copy = vg_camera_copy (camera);
  vg_camera_set_id (copy, 0);
  save_start (self, g_steal_pointer (&task), 0, copy);
}

void
vg_camera_manager_update_async (VgCameraManager *self, gint64 id, JsonNode *patch,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(VgCamera) changed = NULL;
  GError *error = NULL;
  VgCamera *current;

  g_return_if_fail (VG_IS_CAMERA_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_camera_manager_update_async);

  current = vg_camera_manager_lookup (self, id);
  if (current == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_NOT_FOUND, "no camera %" G_GINT64_FORMAT, id);
      return;
    }
  changed = vg_camera_copy (current);
  if (!vg_camera_apply_json_patch (changed, patch, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  save_start (self, g_steal_pointer (&task), id, changed);
}

VgCamera *
vg_camera_manager_save_finish (VgCameraManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete */

static gboolean
delete_job (VgDbConnection *conn, gpointer data, GError **error)
{
  CameraJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_add_int (vg_db_params_new (), job->id);

  job->cameras = vg_db_exec (conn, "DELETE FROM cameras WHERE id = $1", params, error);
  return job->cameras != NULL;
}

static void
delete_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgCameraManager *self = g_task_get_source_object (task);
  CameraJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_hash_table_remove (self->cameras, &job->id);
  g_signal_emit (self, signals[CAMERA_REMOVED], 0, job->id);
  g_task_return_boolean (task, TRUE);
}

void
vg_camera_manager_delete_async (VgCameraManager *self, gint64 id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  CameraJob *job;

  g_return_if_fail (VG_IS_CAMERA_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_camera_manager_delete_async);
  if (vg_camera_manager_lookup (self, id) == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_NOT_FOUND, "no camera %" G_GINT64_FORMAT, id);
      return;
    }
  job = g_new0 (CameraJob, 1);
  job->id = id;
  g_task_set_task_data (task, job, (GDestroyNotify) camera_job_free);
  vg_database_run_async (self->database, delete_job, job, cancellable, delete_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_camera_manager_delete_finish (VgCameraManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
