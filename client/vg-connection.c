/* vg-connection.c: the client's connection to one node and the node's cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-client-enums.h"
#include "vg-connection.h"
#include "vg-password.h"

struct _VgConnection
{
  GObject parent_instance;

  char *base_url;
  char *user;
  char *password;                 /* kept to connect again; NULL until known */

  VgApiClient *client;
  GListStore *cameras;            /* of VgCamera */

  VgConnectionState state;
  char *error;
  char *node_name;
  guint rtsp_port;                /* the live relay's; 0 until the node told */
  guint rtsps_port;               /* its rtsps:// port, told with rtsp_port */
  gboolean live_tls;              /* live video over rtsps:// when the node has it */
  gboolean has_rtsps;             /* the node told an rtsps:// port of its own */

  /* Every asynchronous call holds one of these, never a reference: dispose cancels
   * them, and a cancelled callback does not touch self. */
  GCancellable *cancellable;          /* the password lookup, login, server information */
  GCancellable *refresh_cancellable;  /* the camera list under way */

  gboolean logged_in;
  gboolean cameras_listed;

  /* Reconnection after a cut (CLI-1): a failure that may pass is tried again, later
   * and later; a wrong password or an untrusted certificate is not. */
  guint retry_id;
  guint retry_delay_s;
  guint check_id;                 /* while the events are away: is the node there? */

  /* The node's certificate (CLI-1): trusted on first use when trust_on_first_use, else
   * only once accepted; a certificate other than the pinned one is never used, its
   * fingerprint is kept in untrusted_fingerprint until the operator decides. */
  gboolean trust_on_first_use;
  char *untrusted_fingerprint;
  GCancellable *probe_cancellable;

  /* Camera id → GHashTable of stream name → StreamState */
  GHashTable *camera_states;
};

typedef struct {
  VgCameraLiveState state;
  char *error;
} StreamState;

static void
stream_state_free (gpointer data)
{
  StreamState *stream = data;

  g_free (stream->error);
  g_free (stream);
}

G_DEFINE_FINAL_TYPE (VgConnection, vg_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_USER,
  PROP_STATE,
  PROP_ERROR,
  PROP_NODE_NAME,
  PROP_CAMERAS,
  PROP_RTSP_PORT,
  PROP_TLS_FINGERPRINT,
  PROP_UNTRUSTED_FINGERPRINT,
  N_PROPS
};

#define RETRY_DELAY_INITIAL_S 1
#define RETRY_DELAY_MAX_S 30
/* While the event WebSocket is away, the node is asked this often why: it may have come
 * back with another certificate, or without the session. */
#define CHECK_INTERVAL_S 3

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CAMERA_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void vg_connection_probe_certificate (VgConnection *self);
static void vg_connection_fetch_camera_states (VgConnection *self);

/* Properties */

static void
vg_connection_set_state (VgConnection      *self,
                         VgConnectionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
vg_connection_set_error (VgConnection *self,
                         const char   *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
vg_connection_set_node_name (VgConnection *self,
                             const char   *name)
{
  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->node_name, name) == 0)
    return;

  g_free (self->node_name);
  self->node_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE_NAME]);
}

static void
vg_connection_set_rtsp_port (VgConnection *self,
                             guint         port)
{
  if (self->rtsp_port == port)
    return;

  self->rtsp_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RTSP_PORT]);
}

/* Connected once logged in, with the cameras listed and the events flowing. */
static void
vg_connection_update_state (VgConnection *self)
{
  if (!self->logged_in)
    return;

  if (self->cameras_listed && vg_api_client_get_events_connected (self->client))
    {
      self->retry_delay_s = RETRY_DELAY_INITIAL_S;
      vg_connection_set_state (self, VG_CONNECTION_STATE_CONNECTED);
    }
  else
    vg_connection_set_state (self, VG_CONNECTION_STATE_CONNECTING);
}

/* Stops what is under way; the state and error are the caller's. */
static void
vg_connection_stop (VgConnection *self)
{
  self->logged_in = FALSE;
  self->cameras_listed = FALSE;
  vg_connection_set_rtsp_port (self, 0);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->check_id, g_source_remove);

  if (self->client != NULL)
    {
      vg_api_client_disconnect_events (self->client);
      vg_api_client_set_token (self->client, NULL);
    }
}

static void
vg_connection_fail (VgConnection *self,
                    const char   *message)
{
  g_debug ("Connection to %s failed: %s", self->base_url, message);

  vg_connection_stop (self);
  vg_connection_set_error (self, message);
  vg_connection_set_state (self, VG_CONNECTION_STATE_FAILED);
}

static gboolean
retry_cb (gpointer user_data)
{
  VgConnection *self = VG_CONNECTION (user_data);

  self->retry_id = 0;
  g_debug ("Connecting to %s again", self->base_url);
  vg_connection_connect (self, NULL);
  return G_SOURCE_REMOVE;
}

/* A failure that may pass (the node restarting, the network cut): the same again
 * later, each time a little later. */
static void
vg_connection_fail_and_retry (VgConnection *self,
                              const char   *message)
{
  guint delay = self->retry_delay_s;

  vg_connection_fail (self, message);
  self->retry_delay_s = MIN (MAX (delay * 2, RETRY_DELAY_INITIAL_S), RETRY_DELAY_MAX_S);
  self->retry_id = g_timeout_add_seconds (MAX (delay, RETRY_DELAY_INITIAL_S), retry_cb, self);
}

static void
vg_connection_set_untrusted_fingerprint (VgConnection *self,
                                         const char   *fingerprint)
{
  if (g_strcmp0 (self->untrusted_fingerprint, fingerprint) == 0)
    return;

  g_free (self->untrusted_fingerprint);
  self->untrusted_fingerprint = g_strdup (fingerprint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNTRUSTED_FINGERPRINT]);
}

/* Cameras */

static gboolean
vg_connection_find_camera (VgConnection *self,
                           gint64        id,
                           guint        *position)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cameras));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->cameras), i);

      if (vg_camera_get_id (camera) == id)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* A camera as the node sends it, with its id (vg_camera_new_from_json() ignores it). */
static VgCamera *
camera_new_from_node_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(VgCamera) camera = NULL;
  JsonObject *object;
  gint64 id = 0;

  if (!(object = vg_json_require_object (node, "camera", error)) ||
      !vg_json_get_int_member (object, "id", TRUE, 1, G_MAXINT64, &id, error))
    return NULL;

  camera = vg_camera_new_from_json (node, error);
  if (camera == NULL)
    return NULL;

  vg_camera_set_id (camera, id);
  return g_steal_pointer (&camera);
}

/* Adds the camera, or changes the one with its id in place. */
static void
vg_connection_upsert_camera (VgConnection *self,
                             VgCamera     *camera)
{
  g_autoptr(VgCamera) existing = NULL;
  g_autoptr(JsonNode) new_json = NULL;
  g_autoptr(JsonNode) old_json = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  if (!vg_connection_find_camera (self, vg_camera_get_id (camera), &position))
    {
      g_list_store_append (self->cameras, camera);
      return;
    }

  existing = g_list_model_get_item (G_LIST_MODEL (self->cameras), position);
  new_json = vg_camera_to_json (camera);
  old_json = vg_camera_to_json (existing);
  if (json_node_equal (old_json, new_json))
    return;

  if (!vg_camera_apply_json_patch (existing, new_json, &error))
    {
      g_warning ("Cannot update camera %" G_GINT64_FORMAT ": %s",
                 vg_camera_get_id (camera), error->message);
      return;
    }

  /* Sorted and filtered views do not watch their items' properties: tell them the
   * item changed by putting it back in its place. */
  g_list_store_splice (self->cameras, position, 1, (gpointer *) &existing, 1);
}

static void
vg_connection_remove_camera (VgConnection *self,
                             gint64        id)
{
  guint position;

  if (vg_connection_find_camera (self, id, &position))
    g_list_store_remove (self->cameras, position);
}

/* Makes the list the node's: cameras gone are removed, the others added or updated. */
static void
vg_connection_merge_cameras (VgConnection *self,
                             GPtrArray    *cameras)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *id_values = g_new (gint64, MAX (cameras->len, 1));
  guint n_items;

  for (guint i = 0; i < cameras->len; i++)
    {
      id_values[i] = vg_camera_get_id (g_ptr_array_index (cameras, i));
      g_hash_table_add (ids, &id_values[i]);
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cameras));
  for (guint i = n_items; i-- > 0;)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->cameras), i);
      gint64 id = vg_camera_get_id (camera);

      if (!g_hash_table_contains (ids, &id))
        g_list_store_remove (self->cameras, i);
    }

  for (guint i = 0; i < cameras->len; i++)
    vg_connection_upsert_camera (self, g_ptr_array_index (cameras, i));
}

static void
list_cameras_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VgConnection *self;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;

  cameras = vg_api_client_list_cameras_finish (VG_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);
  g_clear_object (&self->refresh_cancellable);

  if (cameras == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, VG_ERROR, VG_ERROR_UNAUTHORIZED))
        {
          /* A new session then. */
          vg_connection_fail_and_retry (self, _("The node ended the session"));
          return;
        }

      /* Probably passing: the next reconnection of the events lists them again. */
      message = g_strdup_printf (_("Cannot list the cameras: %s"), error->message);
      vg_connection_set_error (self, message);
      return;
    }

  vg_connection_merge_cameras (self, cameras);
  self->cameras_listed = TRUE;
  self->refresh_cancellable = g_cancellable_new ();
  vg_connection_fetch_camera_states (self);
  vg_connection_update_state (self);
}

static void
vg_connection_refresh (VgConnection *self)
{
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();

  vg_api_client_list_cameras_async (self->client, self->refresh_cancellable,
                                    list_cameras_cb, self);
}

/* Live states of the cameras */

static VgCameraLiveState
live_state_from_string (const char *state)
{
  if (g_strcmp0 (state, "streaming") == 0)
    return VG_CAMERA_LIVE_STATE_STREAMING;
  if (g_strcmp0 (state, "connecting") == 0)
    return VG_CAMERA_LIVE_STATE_CONNECTING;
  if (g_strcmp0 (state, "lost") == 0)
    return VG_CAMERA_LIVE_STATE_LOST;
  if (g_strcmp0 (state, "stopped") == 0)
    return VG_CAMERA_LIVE_STATE_STOPPED;
  return VG_CAMERA_LIVE_STATE_UNKNOWN;
}

static void
vg_connection_set_stream_state (VgConnection *self,
                                gint64        camera_id,
                                const char   *stream,
                                const char   *state,
                                const char   *error)
{
  GHashTable *streams = g_hash_table_lookup (self->camera_states, &camera_id);
  StreamState *value;

  if (stream == NULL)
    return;
  if (streams == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = camera_id;
      streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stream_state_free);
      g_hash_table_insert (self->camera_states, key, streams);
    }

  value = g_new0 (StreamState, 1);
  value->state = live_state_from_string (state);
  value->error = g_strdup (error);
  g_hash_table_replace (streams, g_strdup (stream), value);
  g_signal_emit (self, signals[SIGNAL_CAMERA_STATE_CHANGED], 0, camera_id);
}

/* {"id", "stream", "state", "error"} of a camera.state event, or a stream of a status. */
static void
vg_connection_apply_stream_json (VgConnection *self,
                                 gint64        camera_id,
                                 JsonObject   *object)
{
  const char *stream = json_object_get_string_member_with_default (object, "stream",
                         json_object_get_string_member_with_default (object, "name", NULL));
  const char *state = json_object_get_string_member_with_default (object, "state", NULL);
  JsonNode *error = json_object_get_member (object, "error");

  vg_connection_set_stream_state (self, camera_id, stream, state,
                                  error != NULL && JSON_NODE_HOLDS_VALUE (error) &&
                                  json_node_get_value_type (error) == G_TYPE_STRING
                                  ? json_node_get_string (error) : NULL);
}

static void
camera_status_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VgConnection *self;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *streams;
  gint64 id;

  body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_debug ("No status of a camera: %s", error != NULL ? error->message : "not an object");
      return;
    }

  object = json_node_get_object (body);
  id = json_object_get_int_member_with_default (object, "id", 0);
  if (id <= 0 || !json_object_has_member (object, "streams") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "streams")))
    return;

  streams = json_object_get_array_member (object, "streams");
  for (guint i = 0; i < json_array_get_length (streams); i++)
    {
      JsonNode *stream = json_array_get_element (streams, i);

      if (JSON_NODE_HOLDS_OBJECT (stream))
        vg_connection_apply_stream_json (self, id, json_node_get_object (stream));
    }
}

/* The states now; camera.state events tell the changes. */
static void
vg_connection_fetch_camera_states (VgConnection *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cameras));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->cameras), i);
      g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status",
                                               vg_camera_get_id (camera));

      vg_api_client_request_async (self->client, "GET", path, NULL, self->refresh_cancellable,
                                   camera_status_cb, self);
    }
}

/* Events */

static void
api_client_event_cb (VgApiClient  *client,
                     JsonNode     *message,
                     VgConnection *self)
{
  JsonObject *object = json_node_get_object (message);
  JsonNode *data = json_object_get_member (object, "data");
  g_autoptr(GError) error = NULL;
  const char *type = NULL;

  if (!self->logged_in)
    return;

  if (!vg_json_get_string_member (object, "type", TRUE, &type, &error) || data == NULL)
    {
      g_debug ("Ignoring an event without type or data");
      return;
    }

  if (g_str_equal (type, "camera.created") || g_str_equal (type, "camera.updated"))
    {
      g_autoptr(VgCamera) camera = camera_new_from_node_json (data, &error);

      if (camera == NULL)
        {
          g_warning ("Ignoring a malformed “%s” event: %s", type, error->message);
          return;
        }
      vg_connection_upsert_camera (self, camera);
    }
  else if (g_str_equal (type, "camera.deleted"))
    {
      JsonObject *data_object;
      gint64 id = 0;

      if (!(data_object = vg_json_require_object (data, "data", &error)) ||
          !vg_json_get_int_member (data_object, "id", TRUE, 1, G_MAXINT64, &id, &error))
        {
          g_warning ("Ignoring a malformed “%s” event: %s", type, error->message);
          return;
        }
      vg_connection_remove_camera (self, id);
    }
  else if (g_str_equal (type, "camera.state"))
    {
      JsonObject *data_object;
      gint64 id = 0;

      if (!(data_object = vg_json_require_object (data, "data", &error)) ||
          !vg_json_get_int_member (data_object, "id", TRUE, 1, G_MAXINT64, &id, &error))
        {
          g_warning ("Ignoring a malformed “%s” event: %s", type, error->message);
          return;
        }
      vg_connection_apply_stream_json (self, id, data_object);
    }
  else if (g_str_equal (type, "hello"))
    {
      g_autoptr(VgServerInfo) info = vg_server_info_new_from_json (data, NULL);

      if (info != NULL)
        vg_connection_set_node_name (self, vg_server_info_get_name (info));
    }
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  VgConnection *self;
  g_autoptr(VgServerInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = vg_api_client_get_server_info_finish (VG_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    vg_connection_probe_certificate (self);
  else if (g_error_matches (error, VG_ERROR, VG_ERROR_UNAUTHORIZED))
    vg_connection_fail_and_retry (self, _("The node ended the session"));
  /* Else the node is still away, or back and the events will be too. */
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  VgConnection *self = VG_CONNECTION (user_data);

  if (!self->logged_in || vg_api_client_get_events_connected (self->client))
    {
      self->check_id = 0;
      return G_SOURCE_REMOVE;
    }

  vg_api_client_get_server_info_async (self->client, self->cancellable, check_cb, self);
  return G_SOURCE_CONTINUE;
}

static void
api_client_events_connected_cb (VgApiClient  *client,
                                GParamSpec   *pspec,
                                VgConnection *self)
{
  if (!self->logged_in)
    return;

  /* Whatever changed while the events were away is in a new list. */
  if (vg_api_client_get_events_connected (client))
    {
      g_clear_handle_id (&self->check_id, g_source_remove);
      vg_connection_refresh (self);
    }
  else if (self->check_id == 0)
    self->check_id = g_timeout_add_seconds (CHECK_INTERVAL_S, check_timeout_cb, self);

  vg_connection_update_state (self);
}

/* Login */

static void
server_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VgServerInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = vg_api_client_get_server_info_finish (VG_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (info == NULL)
    {
      /* Live video is still worth a try on the relay's usual port. */
      g_debug ("No server information: %s", error->message);
      VG_CONNECTION (user_data)->rtsps_port = VG_SERVER_INFO_DEFAULT_RTSP_PORT;
      VG_CONNECTION (user_data)->has_rtsps = FALSE;
      vg_connection_set_rtsp_port (VG_CONNECTION (user_data), VG_SERVER_INFO_DEFAULT_RTSP_PORT);
      return;
    }

  vg_connection_set_node_name (VG_CONNECTION (user_data), vg_server_info_get_name (info));
  VG_CONNECTION (user_data)->rtsps_port = vg_server_info_get_rtsps_port (info);
  /* A node without a relay over TLS gives no port of its own for it. */
  VG_CONNECTION (user_data)->has_rtsps =
    vg_server_info_get_rtsps_port (info) != vg_server_info_get_rtsp_port (info);
  vg_connection_set_rtsp_port (VG_CONNECTION (user_data), vg_server_info_get_rtsp_port (info));
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  VgConnection *self;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = vg_api_client_login_finish (VG_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);

  if (session == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, VG_ERROR, VG_ERROR_UNAUTHORIZED))
        {
          vg_connection_fail (self, _("Wrong user name or password"));
          return;
        }
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) &&
          vg_connection_get_tls_fingerprint (self) != NULL)
        {
          vg_connection_probe_certificate (self);
          return;
        }

      /* Translators: %s is the reason, such as “Connection refused” */
      message = g_strdup_printf (_("Cannot connect to the node: %s"), error->message);
      vg_connection_fail_and_retry (self, message);
      return;
    }

  g_debug ("Logged in to %s as %s", self->base_url, self->user);
  self->logged_in = TRUE;

  vg_api_client_get_server_info_async (self->client, self->cancellable, server_info_cb, self);
  vg_connection_refresh (self);
  vg_api_client_connect_events (self->client);
}

/* Certificates */

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  VgApiClient *probe = VG_API_CLIENT (source);
  VgConnection *self;
  g_autoptr(VgServerInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *seen;
  const char *pinned;

  info = vg_api_client_get_server_info_finish (probe, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);
  g_clear_object (&self->probe_cancellable);

  /* The probe trusted whatever certificate came, and tells which it was. */
  seen = vg_api_client_get_tls_fingerprint (probe);
  pinned = vg_connection_get_tls_fingerprint (self);
  if (seen == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason, such as “Connection refused” */
      message = g_strdup_printf (_("Cannot connect to the node: %s"),
                                 error != NULL ? error->message : _("no certificate"));
      vg_connection_fail_and_retry (self, message);
      return;
    }
  if (g_strcmp0 (seen, pinned) == 0)
    {
      /* The trusted certificate is back (the refusal came from a certificate met
       * meanwhile): log in again. */
      vg_connection_connect (self, NULL);
      return;
    }

  g_debug ("The certificate of %s is %s, trusted: %s", self->base_url, seen,
           pinned != NULL ? pinned : "(none)");
  vg_connection_set_untrusted_fingerprint (self, seen);
  vg_connection_fail (self, pinned != NULL ? _("The node’s certificate has changed")
                                           : _("The node’s certificate is not accepted yet"));
}

/* Which certificate does the node show? A client of its own, trusting anything, asks;
 * nothing is sent to the node but the request for its public information. */
static void
vg_connection_probe_certificate (VgConnection *self)
{
  g_autoptr(VgApiClient) probe = vg_api_client_new (self->base_url);

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  self->probe_cancellable = g_cancellable_new ();
  vg_api_client_get_server_info_async (probe, self->probe_cancellable, probe_cb, self);
}

static void
vg_connection_login (VgConnection *self)
{
  g_assert (self->password != NULL);

  /* An unknown certificate waits for the operator unless trusted on first use. */
  if (!self->trust_on_first_use && vg_connection_get_tls_fingerprint (self) == NULL)
    {
      vg_connection_probe_certificate (self);
      return;
    }

  vg_api_client_login_async (self->client, self->user, self->password, self->cancellable,
                             login_cb, self);
}

static void
password_cb (GObject      *source G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  VgConnection *self;
  g_autoptr(GError) error = NULL;
  char *password;

  password = vg_password_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_CONNECTION (user_data);

  if (password == NULL)
    {
      vg_connection_fail (self, _("No password: set VIGIE_PASSWORD or store the password "
                                  "in the keyring"));
      return;
    }

  vg_password_free (self->password);
  self->password = password;
  vg_connection_login (self);
}

/* Public */

VgConnection *
vg_connection_new (const char *base_url,
                   const char *user)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  return g_object_new (VG_TYPE_CONNECTION, "base-url", base_url, "user", user, NULL);
}

void
vg_connection_connect (VgConnection *self,
                       const char   *password)
{
  g_return_if_fail (VG_IS_CONNECTION (self));

  vg_connection_stop (self);

  if (password != NULL)
    {
      vg_password_free (self->password);
      self->password = g_strdup (password);
    }

  self->cancellable = g_cancellable_new ();
  /* Asked again, the node shows its certificate again. */
  vg_connection_set_untrusted_fingerprint (self, NULL);
  vg_connection_set_error (self, NULL);
  vg_connection_set_state (self, VG_CONNECTION_STATE_CONNECTING);

  if (self->password != NULL)
    vg_connection_login (self);
  else
    vg_password_lookup_async (self->base_url, self->user, self->cancellable,
                              password_cb, self);
}

void
vg_connection_set_tls_fingerprint (VgConnection *self,
                                   const char   *fingerprint)
{
  g_return_if_fail (VG_IS_CONNECTION (self));

  vg_api_client_set_tls_fingerprint (self->client, fingerprint);
}

void
vg_connection_set_trust_on_first_use (VgConnection *self,
                                      gboolean      trust)
{
  g_return_if_fail (VG_IS_CONNECTION (self));

  self->trust_on_first_use = !!trust;
}

const char *
vg_connection_get_untrusted_fingerprint (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->untrusted_fingerprint;
}

void
vg_connection_accept_fingerprint (VgConnection *self,
                                  const char   *fingerprint)
{
  g_return_if_fail (VG_IS_CONNECTION (self));
  g_return_if_fail (fingerprint != NULL);

  g_debug ("Certificate %s of %s accepted", fingerprint, self->base_url);
  vg_connection_set_untrusted_fingerprint (self, NULL);
  vg_api_client_set_tls_fingerprint (self->client, fingerprint);
  vg_connection_connect (self, NULL);
}

void
vg_connection_disconnect (VgConnection *self)
{
  g_return_if_fail (VG_IS_CONNECTION (self));

  vg_connection_stop (self);
  g_list_store_remove_all (self->cameras);
  g_hash_table_remove_all (self->camera_states);
  vg_connection_set_error (self, NULL);
  vg_connection_set_state (self, VG_CONNECTION_STATE_DISCONNECTED);
}

const char *
vg_connection_get_base_url (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->base_url;
}

const char *
vg_connection_get_user (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->user;
}

VgConnectionState
vg_connection_get_state (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), VG_CONNECTION_STATE_DISCONNECTED);

  return self->state;
}

const char *
vg_connection_get_error (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->error;
}

const char *
vg_connection_get_node_name (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->node_name;
}

guint
vg_connection_get_rtsp_port (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), 0);

  return self->rtsp_port;
}

char *
vg_connection_dup_live_url (VgConnection *self,
                            gint64        camera_id,
                            const char   *stream,
                            gboolean      tls)
{
  g_autoptr(GUri) base = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (camera_id > 0, NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  if (self->rtsp_port == 0)
    return NULL;

  base = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  if (base == NULL)
    return NULL;

  path = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/%s", camera_id, stream);
  return g_uri_join (G_URI_FLAGS_NONE, tls ? "rtsps" : "rtsp", NULL, g_uri_get_host (base),
                     (int) (tls ? self->rtsps_port : self->rtsp_port), path, NULL, NULL);
}

gboolean
vg_connection_get_live_tls (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), FALSE);

  return self->live_tls && self->has_rtsps;
}

void
vg_connection_set_live_tls (VgConnection *self,
                            gboolean      tls)
{
  g_return_if_fail (VG_IS_CONNECTION (self));

  self->live_tls = !!tls;
}

const char *
vg_connection_get_live_password (VgConnection *self)
{
  const char *token;

  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  token = self->client != NULL ? vg_api_client_get_token (self->client) : NULL;
  return token != NULL ? token : self->password;
}

const char *
vg_connection_get_tls_fingerprint (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->client != NULL ? vg_api_client_get_tls_fingerprint (self->client) : NULL;
}

/**
 * vg_connection_get_cameras:
 *
 * Returns: (transfer none): the cameras, a GListModel of VgCamera
 */
GListModel *
vg_connection_get_cameras (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return G_LIST_MODEL (self->cameras);
}

/**
 * vg_connection_lookup_camera:
 *
 * Returns: (transfer none) (nullable): the camera with this id
 */
VgCamera *
vg_connection_lookup_camera (VgConnection *self,
                             gint64        id)
{
  VgCamera *camera;
  guint position;

  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  if (!vg_connection_find_camera (self, id, &position))
    return NULL;

  camera = g_list_model_get_item (G_LIST_MODEL (self->cameras), position);
  g_object_unref (camera);  /* the store keeps its own reference */
  return camera;
}

VgCameraLiveState
vg_connection_get_camera_live_state (VgConnection  *self,
                                     gint64         camera_id,
                                     const char   **error)
{
  VgCameraLiveState worst = VG_CAMERA_LIVE_STATE_UNKNOWN;
  const char *worst_error = NULL;
  GHashTable *streams;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (VG_IS_CONNECTION (self), VG_CAMERA_LIVE_STATE_UNKNOWN);

  streams = g_hash_table_lookup (self->camera_states, &camera_id);
  if (streams != NULL)
    {
      g_hash_table_iter_init (&iter, streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          StreamState *stream = value;

          /* The enum is in order of concern, lost the worst. */
          if (stream->state > worst)
            {
              worst = stream->state;
              worst_error = stream->error;
            }
        }
    }

  if (error != NULL)
    *error = worst_error;
  return worst;
}

VgApiClient *
vg_connection_get_api_client (VgConnection *self)
{
  g_return_val_if_fail (VG_IS_CONNECTION (self), NULL);

  return self->client;
}

/* GObject */

static void
api_client_fingerprint_cb (VgApiClient  *client,
                           GParamSpec   *pspec,
                           VgConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_FINGERPRINT]);
}

static void
vg_connection_constructed (GObject *object)
{
  VgConnection *self = VG_CONNECTION (object);

  G_OBJECT_CLASS (vg_connection_parent_class)->constructed (object);

  self->client = vg_api_client_new (self->base_url);
  g_signal_connect_object (self->client, "event",
                           G_CALLBACK (api_client_event_cb), self, 0);
  g_signal_connect_object (self->client, "notify::events-connected",
                           G_CALLBACK (api_client_events_connected_cb), self, 0);
  g_signal_connect_object (self->client, "notify::tls-fingerprint",
                           G_CALLBACK (api_client_fingerprint_cb), self, 0);
}

static void
vg_connection_dispose (GObject *object)
{
  VgConnection *self = VG_CONNECTION (object);

  vg_connection_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vg_connection_parent_class)->dispose (object);
}

static void
vg_connection_finalize (GObject *object)
{
  VgConnection *self = VG_CONNECTION (object);

  g_clear_object (&self->cameras);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, vg_password_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->node_name, g_free);
  g_clear_pointer (&self->untrusted_fingerprint, g_free);
  g_clear_pointer (&self->camera_states, g_hash_table_unref);

  G_OBJECT_CLASS (vg_connection_parent_class)->finalize (object);
}

static void
vg_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VgConnection *self = VG_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_NODE_NAME:
      g_value_set_string (value, self->node_name);
      break;
    case PROP_CAMERAS:
      g_value_set_object (value, self->cameras);
      break;
    case PROP_RTSP_PORT:
      g_value_set_uint (value, self->rtsp_port);
      break;
    case PROP_TLS_FINGERPRINT:
      g_value_set_string (value, vg_connection_get_tls_fingerprint (self));
      break;
    case PROP_UNTRUSTED_FINGERPRINT:
      g_value_set_string (value, self->untrusted_fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VgConnection *self = VG_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_USER:
      g_free (self->user);
      self->user = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_connection_class_init (VgConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vg_connection_constructed;
  object_class->dispose = vg_connection_dispose;
  object_class->finalize = vg_connection_finalize;
  object_class->get_property = vg_connection_get_property;
  object_class->set_property = vg_connection_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       VG_TYPE_CONNECTION_STATE, VG_CONNECTION_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NODE_NAME] =
    g_param_spec_string ("node-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERAS] =
    g_param_spec_object ("cameras", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RTSP_PORT] =
    g_param_spec_uint ("rtsp-port", NULL, NULL, 0, 65535, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_FINGERPRINT] =
    g_param_spec_string ("tls-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNTRUSTED_FINGERPRINT] =
    g_param_spec_string ("untrusted-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CAMERA_STATE_CHANGED] =
    g_signal_new ("camera-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vg_connection_init (VgConnection *self)
{
  self->cameras = g_list_store_new (VG_TYPE_CAMERA);
  self->state = VG_CONNECTION_STATE_DISCONNECTED;
  self->trust_on_first_use = TRUE;
  self->camera_states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) g_hash_table_unref);
  self->retry_delay_s = RETRY_DELAY_INITIAL_S;
}
