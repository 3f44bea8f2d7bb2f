/* vg-forced-recordings.c: which cameras of a node are recorded on demand, and until
 * when (REC-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-forced-recordings.h"

#define FORCED_RECORDINGS_KEY "vg-forced-recordings"

struct _VgForcedRecordings
{
  GObject parent_instance;

  VgConnection *connection;  /* weak: the connection owns this object */
  GHashTable *until;         /* camera id → gint64 µs */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VgForcedRecordings, vg_forced_recordings, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static VgApiClient *
vg_forced_recordings_get_client (VgForcedRecordings *self)
{
  return self->connection != NULL ? vg_connection_get_api_client (self->connection) : NULL;
}

static void
vg_forced_recordings_set_until (VgForcedRecordings *self,
                                gint64              camera_id,
                                gint64              until)
{
  gint64 *old = g_hash_table_lookup (self->until, &camera_id);

  if ((old != NULL ? *old : 0) == until)
    return;
  if (until > 0)
    g_hash_table_insert (self->until, g_memdup2 (&camera_id, sizeof camera_id),
                         g_memdup2 (&until, sizeof until));
  else
    g_hash_table_remove (self->until, &camera_id);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, camera_id);
}

/* {"id", "forced_until": "…Z" | null, …}: a status or a "camera.forced" event */
static void
vg_forced_recordings_read (VgForcedRecordings *self,
                           JsonNode           *node)
{
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) time = NULL;
  JsonNode *member;
  gint64 id = 0;

  if (object == NULL || !vg_json_get_int_member (object, "id", TRUE, 1, G_MAXINT64, &id, &error))
    return;
  member = json_object_get_member (object, "forced_until");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    time = vg_time_parse_iso8601 (json_node_get_string (member), NULL);
  vg_forced_recordings_set_until (self, id, time != NULL ? vg_time_to_unix_usec (time) : 0);
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (body != NULL)
    vg_forced_recordings_read (VG_FORCED_RECORDINGS (user_data), body);
}

static void
vg_forced_recordings_ask (VgForcedRecordings *self,
                          VgCamera           *camera)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status",
                                           vg_camera_get_id (camera));

  vg_api_client_request_async (vg_forced_recordings_get_client (self), "GET", path, NULL,
                               self->cancellable, status_cb, self);
}

static void
cameras_changed_cb (GListModel         *cameras,
                    guint               position,
                    guint               removed,
                    guint               added,
                    VgForcedRecordings *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (cameras, i);

      vg_forced_recordings_ask (self, camera);
    }
}

/* Whatever changed while the events were away: every camera asked again. */
static void
events_connected_cb (VgApiClient        *client,
                     GParamSpec         *pspec,
                     VgForcedRecordings *self)
{
  GListModel *cameras = vg_connection_get_cameras (self->connection);

  if (vg_api_client_get_events_connected (client))
    cameras_changed_cb (cameras, 0, 0, g_list_model_get_n_items (cameras), self);
}

static void
event_cb (VgApiClient        *client,
          JsonNode           *message,
          VgForcedRecordings *self)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (message) ? json_node_get_object (message) : NULL;
  JsonNode *type = object != NULL ? json_object_get_member (object, "type") : NULL;

  if (type != NULL && JSON_NODE_HOLDS_VALUE (type) &&
      g_strcmp0 (json_node_get_string (type), "camera.forced") == 0)
    vg_forced_recordings_read (self, json_object_get_member (object, "data"));
}

/* Public */

VgForcedRecordings *
vg_forced_recordings_get (VgConnection *connection)
{
  VgForcedRecordings *self;

  g_return_val_if_fail (VG_IS_CONNECTION (connection), NULL);

  self = g_object_get_data (G_OBJECT (connection), FORCED_RECORDINGS_KEY);
  if (self != NULL)
    return self;

  self = g_object_new (VG_TYPE_FORCED_RECORDINGS, NULL);
  self->connection = connection;
  g_object_set_data_full (G_OBJECT (connection), FORCED_RECORDINGS_KEY, self, g_object_unref);
  g_signal_connect_object (vg_connection_get_api_client (connection), "event",
                           G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (vg_connection_get_api_client (connection), "notify::events-connected",
                           G_CALLBACK (events_connected_cb), self, 0);
  g_signal_connect_object (vg_connection_get_cameras (connection), "items-changed",
                           G_CALLBACK (cameras_changed_cb), self, 0);
  cameras_changed_cb (vg_connection_get_cameras (connection), 0, 0,
                      g_list_model_get_n_items (vg_connection_get_cameras (connection)), self);
  return self;
}

gint64
vg_forced_recordings_get_until (VgForcedRecordings *self,
                                gint64              camera_id)
{
  gint64 *until;

  g_return_val_if_fail (VG_IS_FORCED_RECORDINGS (self), 0);

  until = g_hash_table_lookup (self->until, &camera_id);
  return until != NULL && *until > g_get_real_time () ? *until : 0;
}

static void
record_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VgForcedRecordings *self = g_task_get_source_object (task);
  gint64 camera_id = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* POST answers the status; DELETE nothing: no longer forced. */
  if (body != NULL)
    vg_forced_recordings_read (self, body);
  else
    vg_forced_recordings_set_until (self, camera_id, 0);
  g_task_return_boolean (task, TRUE);
}

void
vg_forced_recordings_start_async (VgForcedRecordings  *self,
                                  gint64               camera_id,
                                  guint                seconds,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (VG_IS_FORCED_RECORDINGS (self));
  g_return_if_fail (camera_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_forced_recordings_start_async);
  g_task_set_task_data (task, g_memdup2 (&camera_id, sizeof camera_id), g_free);
  if (vg_forced_recordings_get_client (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected"));
      return;
    }

  path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/record", camera_id);
  if (seconds > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_int_value (builder, seconds);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
    }
  vg_api_client_request_async (vg_forced_recordings_get_client (self), seconds > 0 ? "POST" : "DELETE",
                               path, body, cancellable, record_cb, g_steal_pointer (&task));
}

gboolean
vg_forced_recordings_start_finish (VgForcedRecordings  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
vg_forced_recordings_dispose (GObject *object)
{
  VgForcedRecordings *self = VG_FORCED_RECORDINGS (object);

  g_cancellable_cancel (self->cancellable);
  self->connection = NULL;

  G_OBJECT_CLASS (vg_forced_recordings_parent_class)->dispose (object);
}

static void
vg_forced_recordings_finalize (GObject *object)
{
  VgForcedRecordings *self = VG_FORCED_RECORDINGS (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->until);

  G_OBJECT_CLASS (vg_forced_recordings_parent_class)->finalize (object);
}

static void
vg_forced_recordings_class_init (VgForcedRecordingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_forced_recordings_dispose;
  object_class->finalize = vg_forced_recordings_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vg_forced_recordings_init (VgForcedRecordings *self)
{
  self->until = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}
