/* vg-node.c: the recording node: owns every service and runs start-up and shutdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-node.h"
#include "vg-api-server.h"
#include "vg-certificate.h"
#include "vg-relay.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-migrations.h"
#include "vg-pg-cluster.h"
#include "vg-recovery.h"

#include <errno.h>
#include <glib/gstdio.h>

struct _VgNode
{
  GObject          parent_instance;

  VgNodeConfig    *config;
  gint64           started_us;  /* monotonic */
  GTlsCertificate *certificate;
  char            *fingerprint;
  char            *generated_password;

  VgPgCluster     *cluster;     /* NULL with an external database */
  VgDatabase      *database;
  VgUserManager   *users;
  VgAuth          *auth;
  VgCameraManager *cameras;
  VgEventHub      *events;
  VgRecordingIndex *index;
  VgStorage       *storage;
  VgCapture       *capture;
  VgRelay         *relay;
  VgRetention     *retention;
  VgExportJobs    *exports;
  VgApiServer     *api;

  VgMigrationRun   migration;
  guint            watchdog_id;
  gboolean         watchdog_busy;
  gboolean         stopped;
};

#define DATABASE_WATCHDOG_S 5

G_DEFINE_TYPE (VgNode, vg_node, G_TYPE_OBJECT)

static void
vg_node_dispose (GObject *object)
{
  VgNode *self = VG_NODE (object);

  vg_node_stop (self);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_object (&self->api);
  g_clear_object (&self->exports);
  g_clear_object (&self->events);
  g_clear_object (&self->cameras);
  g_clear_object (&self->relay);
  g_clear_object (&self->capture);
  g_clear_object (&self->index);
  g_clear_object (&self->retention);
  g_clear_object (&self->storage);
  g_clear_object (&self->auth);
  g_clear_object (&self->users);
  g_clear_object (&self->database);
  g_clear_object (&self->cluster);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (vg_node_parent_class)->dispose (object);
}

static void
vg_node_finalize (GObject *object)
{
  VgNode *self = VG_NODE (object);

  vg_node_config_free (self->config);
  g_free (self->fingerprint);
  g_free (self->generated_password);

  G_OBJECT_CLASS (vg_node_parent_class)->finalize (object);
}

static void
vg_node_class_init (VgNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_node_dispose;
  object_class->finalize = vg_node_finalize;
}

static void
vg_node_init (VgNode *self)
{
  self->started_us = g_get_monotonic_time ();
  self->events = vg_event_hub_new ();
  self->exports = vg_export_jobs_new (self->events);
}

VgNode *
vg_node_new (VgNodeConfig *config)
{
  VgNode *self;

  g_return_val_if_fail (config != NULL, NULL);
  self = g_object_new (VG_TYPE_NODE, NULL);
  self->config = config;
  return self;
}

/* Configuration changes → event WebSocket */

static void
camera_added_cb (VgCameraManager *cameras, VgCamera *camera, VgNode *self)
{
  g_autoptr(JsonNode) data = vg_camera_to_json (camera);

  vg_event_hub_broadcast (self->events, "camera.created", data, FALSE);
}

static void
camera_changed_cb (VgCameraManager *cameras, VgCamera *camera, VgNode *self)
{
  g_autoptr(JsonNode) data = vg_camera_to_json (camera);

  vg_event_hub_broadcast (self->events, "camera.updated", data, FALSE);
}

static JsonNode *
id_json (gint64 id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
camera_removed_cb (VgCameraManager *cameras, gint64 id, VgNode *self)
{
  g_autoptr(JsonNode) data = id_json (id);

  vg_event_hub_broadcast (self->events, "camera.deleted", data, FALSE);
}

static void
user_added_cb (VgUserManager *users, VgUser *user, VgNode *self)
{
  g_autoptr(JsonNode) data = vg_user_to_json (user);

  vg_event_hub_broadcast (self->events, "user.created", data, TRUE);
}

static void
user_changed_cb (VgUserManager *users, VgUser *user, VgNode *self)
{
  g_autoptr(JsonNode) data = vg_user_to_json (user);

  vg_event_hub_broadcast (self->events, "user.updated", data, TRUE);
}

static void
user_removed_cb (VgUserManager *users, gint64 id, VgNode *self)
{
  g_autoptr(JsonNode) data = id_json (id);

  vg_event_hub_broadcast (self->events, "user.deleted", data, TRUE);
}

static void
credentials_changed_cb (VgUserManager *users, gint64 id, VgNode *self)
{
  vg_event_hub_disconnect_user (self->events, id);
}

/* Database watchdog: a ping every few seconds; when the private cluster is found
 * down (its server killed, or crashed), it is started again. Meanwhile requests that
 * need the database answer 503 and the rest of the node goes on. */

static void
cluster_restarted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VgNode) self = user_data;
  g_autoptr(GError) error = NULL;

  self->watchdog_busy = FALSE;
  if (!vg_pg_cluster_start_finish (VG_PG_CLUSTER (source), result, &error))
    g_warning ("restarting the database failed (will retry): %s", error->message);
  else
    g_message ("database server running again");
}

static void
ping_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VgNode) self = user_data;
  g_autoptr(VgDbResult) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = vg_database_query_finish (VG_DATABASE (source), result, &error);
  if (rows || !g_error_matches (error, VG_ERROR, VG_ERROR_UNAVAILABLE) || self->cluster == NULL ||
      self->stopped)
    {
      self->watchdog_busy = FALSE;
      return;
    }
  g_warning ("the database server is down: %s; starting it again", error->message);
  vg_pg_cluster_start_async (self->cluster, NULL, cluster_restarted_cb, g_object_ref (self));
}

static gboolean
watchdog_cb (gpointer user_data)
{
  VgNode *self = user_data;

  if (self->watchdog_busy || self->database == NULL)
    return G_SOURCE_CONTINUE;
  self->watchdog_busy = TRUE;
  vg_database_query_async (self->database, "SELECT 1", NULL, NULL, ping_done_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

/* Start-up, one step after the other */

static void start_database (GTask *task);
static void cluster_started_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void migrated_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void users_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void sessions_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void storage_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void cameras_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void recovered_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
prepare_data_dir (VgNode *self, GError **error)
{
  const char *dir = self->config->data_dir;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create the data directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot write to the data directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
vg_node_start_async (VgNode *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VG_IS_NODE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_node_start_async);

  if (!prepare_data_dir (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->certificate = vg_certificate_load_or_create (self->config->data_dir,
                                                     self->config->tls_certificate,
                                                     self->config->tls_key, &error);
  if (self->certificate == NULL)
    {
      g_prefix_error (&error, "TLS certificate: ");
      g_task_return_error (task, error);
      return;
    }
  self->fingerprint = vg_certificate_get_fingerprint (self->certificate);

  if (self->config->database_dsn)
    {
      start_database (g_steal_pointer (&task));
      return;
    }

  self->cluster = vg_pg_cluster_new (self->config->data_dir);
  if (self->config->pg_bin_dir)
    vg_pg_cluster_set_bin_dir (self->cluster, self->config->pg_bin_dir);
  if (!self->config->database_fsync)
    {
      g_warning ("the database runs with fsync off: a power cut can corrupt it (tests only)");
      vg_pg_cluster_set_fsync (self->cluster, FALSE);
    }
  vg_pg_cluster_start_async (self->cluster, cancellable, cluster_started_cb, g_steal_pointer (&task));
}

static void
cluster_started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!vg_pg_cluster_start_finish (VG_PG_CLUSTER (source), result, &error))
    {
      g_prefix_error (&error, "database: ");
      g_task_return_error (task, error);
      return;
    }
  start_database (g_steal_pointer (&task));
}

static void
start_database (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  VgNode *self = g_task_get_source_object (task);
  g_autofree char *dsn = NULL;

  dsn = self->cluster ? vg_pg_cluster_get_dsn (self->cluster) : g_strdup (self->config->database_dsn);
  self->database = vg_database_new (dsn);
  GCancellable *cancellable = g_task_get_cancellable (task);

  vg_database_run_async (self->database, vg_migrations_apply, &self->migration,
                         cancellable, migrated_cb, g_steal_pointer (&task));
}

static void
migrated_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->migration.to_version != self->migration.from_version)
    g_message ("database schema migrated from version %d to %d",
               self->migration.from_version, self->migration.to_version);

  self->users = vg_user_manager_new (self->database);
  g_signal_connect (self->users, "user-added", G_CALLBACK (user_added_cb), self);
  g_signal_connect (self->users, "user-changed", G_CALLBACK (user_changed_cb), self);
  g_signal_connect (self->users, "user-removed", G_CALLBACK (user_removed_cb), self);
  g_signal_connect (self->users, "credentials-changed", G_CALLBACK (credentials_changed_cb), self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_user_manager_load_async (self->users, g_getenv ("VIGIE_ADMIN_PASSWORD"),
                              cancellable, users_loaded_cb, g_steal_pointer (&task));
}

static void
users_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vg_user_manager_load_finish (self->users, result, &self->generated_password, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->auth = vg_auth_new (self->database, self->users, self->config);
  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_auth_load_async (self->auth, cancellable, sessions_loaded_cb,
                      g_steal_pointer (&task));
}

static void
sessions_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vg_auth_load_finish (self->auth, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->index = vg_recording_index_new (self->database);
  self->storage = vg_storage_new (self->database, (const char *const *) self->config->storage_disks);
  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_storage_load_async (self->storage, cancellable, storage_loaded_cb, g_steal_pointer (&task));
}

static void
storage_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!vg_storage_load_finish (self->storage, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->retention = vg_retention_new (self->database, self->storage);
  self->cameras = vg_camera_manager_new (self->database);
  vg_camera_manager_load_async (self->cameras, cancellable, cameras_loaded_cb,
                                g_steal_pointer (&task));
}

static void
cameras_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vg_camera_manager_load_finish (self->cameras, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_connect (self->cameras, "camera-added", G_CALLBACK (camera_added_cb), self);
  g_signal_connect (self->cameras, "camera-changed", G_CALLBACK (camera_changed_cb), self);
  g_signal_connect (self->cameras, "camera-removed", G_CALLBACK (camera_removed_cb), self);

  vg_recovery_run_async (self->database, self->storage, self->index, NULL, recovered_cb,
                         g_steal_pointer (&task));
}

static void
disk_full_purged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  VgPurgeReport report = { 0 };

  if (!vg_retention_run_finish (VG_RETENTION (source), result, &report, &error))
    {
      /* A pass already running frees space too; the next failure asks again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        g_warning ("purge for a full disk failed: %s", error->message);
      return;
    }
  if (report.segments == 0)
    g_warning ("a disk is full and nothing could be purged (protected or being written)");
}

/* A recorder ran out of space (REC-8): purge now rather than at the next pass; the
 * recorder opens a new segment at its next keyframe. */
static void
disk_full_cb (VgCapture *capture, gint disk_id, VgNode *self)
{
  g_message ("disk %d is full: purging now", disk_id);
  vg_retention_run_async (self->retention, NULL, disk_full_purged_cb, NULL);
}

static void
stream_state_cb (VgCapture *capture, gint64 camera_id, const char *stream, const char *state,
                 const char *error, VgNode *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, camera_id);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_string_value (builder, stream);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  json_builder_set_member_name (builder, "error");
  if (error)
    json_builder_add_string_value (builder, error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);
  vg_event_hub_broadcast (self->events, "camera.state", data, FALSE);
}

/* REC-6: every client shows whether a camera is recorded on demand, and until when. */
static void
forced_recording_cb (VgCapture *capture, gint64 camera_id, VgNode *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, camera_id);
  vg_capture_add_forced_until (capture, builder, camera_id);
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);
  vg_event_hub_broadcast (self->events, "camera.forced", data, FALSE);
}

static void
recovered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgNode *self = g_task_get_source_object (task);
  GError *error = NULL;
  guint n_recovered = 0;

  /* A failed recovery leaves segments open in the index; it must not stop recording. */
  if (!vg_recovery_run_finish (result, &n_recovered, &error))
    {
      g_warning ("recovery of open segments: %s", error->message);
      g_clear_error (&error);
    }
  self->capture = vg_capture_new (self->cameras, self->database, self->storage, self->index,
                                  self->config->segment_seconds, self->config->ingest_batch_ms,
                                  self->config->watchdog_seconds, self->config->idle_seconds);
  g_signal_connect (self->capture, "stream-state", G_CALLBACK (stream_state_cb), self);
  g_signal_connect (self->capture, "disk-full", G_CALLBACK (disk_full_cb), self);
  g_signal_connect (self->capture, "forced-recording", G_CALLBACK (forced_recording_cb), self);
  vg_capture_start (self->capture);

  self->relay = vg_relay_new (self->cameras, self->capture, self->auth, self->certificate);
  if (!vg_relay_start (self->relay, self->config->api_address, self->config->rtsp_port,
                       self->config->rtsps_port, &error))
    {
      g_prefix_error (&error, "RTSP relay: ");
      g_task_return_error (task, error);
      return;
    }

  self->api = vg_api_server_new (self, self->certificate, self->config->max_body_size);
  if (!vg_api_server_listen (self->api, self->config->api_address, self->config->api_port, &error))
    {
      g_prefix_error (&error, "HTTPS API: ");
      g_task_return_error (task, error);
      return;
    }
  self->watchdog_id = g_timeout_add_seconds (DATABASE_WATCHDOG_S, watchdog_cb, self);
  vg_retention_start (self->retention, self->config->retention_interval);
  g_task_return_boolean (task, TRUE);
}

gboolean
vg_node_start_finish (VgNode *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
flush_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vg_recording_index_flush_finish (VG_RECORDING_INDEX (source), result, &error))
    g_warning ("recording index not written at stop (the next start recovers it): %s", error->message);
  *(gboolean *) user_data = TRUE;
}

void
vg_node_stop (VgNode *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VG_IS_NODE (self));

  self->stopped = TRUE;
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->api)
    vg_api_server_stop (self->api);
  if (self->relay)
    vg_relay_stop (self->relay);
  if (self->capture)
    vg_capture_stop (self->capture);
  if (self->index)
    {
      /* The last index rows (segments just closed) reach the database before it stops. */
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      gboolean done = FALSE;

      vg_recording_index_flush_async (self->index, NULL, flush_done_cb, &done);
      while (!done && g_get_monotonic_time () < deadline)
        {
          /* The write goes through the database thread: wait without spinning. */
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (1000);
        }
    }
  vg_export_jobs_stop (self->exports);
  vg_event_hub_close_all (self->events);
  if (self->database)
    vg_database_close (self->database);
  if (self->cluster && !vg_pg_cluster_stop (self->cluster, &error))
    g_warning ("stopping the database: %s", error->message);
}

/* Accessors */

const VgNodeConfig *
vg_node_get_config (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->config;
}

VgDatabase *
vg_node_get_database (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->database;
}

VgAuth *
vg_node_get_auth (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->auth;
}

VgUserManager *
vg_node_get_user_manager (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->users;
}

VgCameraManager *
vg_node_get_camera_manager (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->cameras;
}

VgRecordingIndex *
vg_node_get_recording_index (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->index;
}

VgStorage *
vg_node_get_storage (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->storage;
}

VgRelay *
vg_node_get_relay (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->relay;
}

VgCapture *
vg_node_get_capture (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->capture;
}

VgRetention *
vg_node_get_retention (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->retention;
}

VgExportJobs *
vg_node_get_export_jobs (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->exports;
}

VgEventHub *
vg_node_get_event_hub (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->events;
}

gpointer
vg_node_get_api_server (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->api;
}

guint
vg_node_get_api_port (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), 0);
  return self->api ? vg_api_server_get_port (self->api) : 0;
}

gint64
vg_node_get_uptime (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), 0);
  return (g_get_monotonic_time () - self->started_us) / G_USEC_PER_SEC;
}

const char *
vg_node_get_generated_password (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->generated_password;
}

const char *
vg_node_get_certificate_fingerprint (VgNode *self)
{
  g_return_val_if_fail (VG_IS_NODE (self), NULL);
  return self->fingerprint;
}
