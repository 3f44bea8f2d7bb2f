/* vg-sim-control.c: the control API, see vg-sim-control.h. */
#include "vg-sim-control.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define DEFAULT_GARBAGE_SECONDS 3
#define MAX_GARBAGE_SECONDS 3600

struct _VgSimControl {
  GObject parent_instance;

  GPtrArray *cameras;
  VgSimRtsp *rtsp;
  VgSimMjpeg *mjpeg;
  SoupServer *server;
  char *rtsp_url;
  char *http_url;
};

G_DEFINE_FINAL_TYPE (VgSimControl, vg_sim_control, G_TYPE_OBJECT)

static const char *
stream_codec (VgSimStreamKind kind)
{
  static const char *const codecs[VG_SIM_N_STREAMS] = { "h264", "h264", "h265", "mjpeg" };

  return codecs[kind];
}

static const char *
audio_name (VgSimAudio audio)
{
  static const char *const names[] = { NULL, "aac", "pcma" };

  return names[audio];
}

static void
add_camera (VgSimControl *self, JsonBuilder *b, VgSimCamera *camera)
{
  guint index = vg_sim_camera_get_index (camera);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "camera");
  json_builder_add_int_value (b, index);
  json_builder_set_member_name (b, "streams");
  json_builder_begin_object (b);
  for (VgSimStreamKind kind = 0; kind < VG_SIM_N_STREAMS; kind++) {
    const char *name = vg_sim_stream_kind_to_string (kind);
    VgSimState state = vg_sim_camera_get_state (camera, kind);
    g_autofree char *url = NULL;
    guint viewers;

    if (kind == VG_SIM_STREAM_MJPEG) {
      url = g_strdup_printf ("%s/cam%u/%s", self->http_url, index, name);
      viewers = vg_sim_mjpeg_count_viewers (self->mjpeg, camera);
    } else {
      url = g_strdup_printf ("%s/cam%u/%s", self->rtsp_url, index, name);
      viewers = vg_sim_rtsp_count_viewers (self->rtsp, camera, kind);
    }

    json_builder_set_member_name (b, name);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "url");
    json_builder_add_string_value (b, url);
    json_builder_set_member_name (b, "codec");
    json_builder_add_string_value (b, stream_codec (kind));
    if (kind == VG_SIM_STREAM_MAIN && vg_sim_camera_get_audio (camera) != VG_SIM_AUDIO_NONE) {
      json_builder_set_member_name (b, "audio");
      json_builder_add_string_value (b, audio_name (vg_sim_camera_get_audio (camera)));
    }
    json_builder_set_member_name (b, "state");
    if (state == VG_SIM_STATE_RUNNING && vg_sim_camera_is_garbage (camera, kind))
      json_builder_add_string_value (b, "garbage");
    else
      json_builder_add_string_value (b, vg_sim_state_to_string (state));
    json_builder_set_member_name (b, "frames_sent");
    json_builder_add_int_value (b, vg_sim_camera_get_frames_sent (camera, kind));
    json_builder_set_member_name (b, "garbage_sent");
    json_builder_add_int_value (b, vg_sim_camera_get_garbage_sent (camera, kind));
    json_builder_set_member_name (b, "rtcp_received");
    json_builder_add_int_value (b, vg_sim_camera_get_rtcp_received (camera, kind));
    json_builder_set_member_name (b, "viewers");
    json_builder_add_int_value (b, viewers);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
reply_json (SoupServerMessage *msg, guint status, JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

static void
reply_error (SoupServerMessage *msg, guint status, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  reply_json (msg, status, b);
}

static gboolean
is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (address) &&
         g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* Runs @action on @camera; FALSE (with a reply sent) when the query is wrong. */
static gboolean
act (SoupServerMessage *msg, VgSimCamera *camera, const char *action, GHashTable *query)
{
  const char *stream = query ? g_hash_table_lookup (query, "stream") : NULL;
  const char *seconds_arg = query ? g_hash_table_lookup (query, "seconds") : NULL;
  VgSimStreamKind kind = VG_SIM_STREAM_ALL;
  guint64 seconds = DEFAULT_GARBAGE_SECONDS;

  if (stream != NULL && !vg_sim_stream_kind_from_string (stream, &kind)) {
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, "stream is main, sub, h265 or mjpeg");
    return FALSE;
  }
  if (seconds_arg != NULL &&
      (!g_ascii_string_to_unsigned (seconds_arg, 10, 1, MAX_GARBAGE_SECONDS, &seconds, NULL))) {
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, "seconds is a number from 1 to 3600");
    return FALSE;
  }

  if (strcmp (action, "stop") == 0)
    vg_sim_camera_set_state (camera, kind, VG_SIM_STATE_STOPPED);
  else if (strcmp (action, "start") == 0)
    vg_sim_camera_set_state (camera, kind, VG_SIM_STATE_RUNNING);
  else if (strcmp (action, "stall") == 0)
    vg_sim_camera_set_state (camera, kind, VG_SIM_STATE_STALLED);
  else if (strcmp (action, "garbage") == 0)
    vg_sim_camera_send_garbage (camera, kind, seconds);
  else {
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no such action");
    return FALSE;
  }
  return TRUE;
}

static void
control_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer user_data)
{
  VgSimControl *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", 0);   /* "", "cameras", i, action */
  guint n_parts = g_strv_length (parts);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  VgSimCamera *camera;
  guint64 index;

  if (!is_loopback (msg)) {
    reply_error (msg, SOUP_STATUS_FORBIDDEN, "loopback only");
    return;
  }
  if (n_parts < 2 || strcmp (parts[1], "cameras") != 0) {
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no such resource");
    return;
  }

  if (n_parts == 2 || (n_parts == 3 && parts[2][0] == '\0')) {
    if (method != SOUP_METHOD_GET) {
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET only");
      return;
    }
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "cameras");
    json_builder_begin_array (b);
    for (guint i = 0; i < self->cameras->len; i++)
      add_camera (self, b, g_ptr_array_index (self->cameras, i));
    json_builder_end_array (b);
    json_builder_end_object (b);
    reply_json (msg, SOUP_STATUS_OK, b);
    return;
  }

  if (n_parts > 4 ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, self->cameras->len, &index, NULL)) {
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no such camera");
    return;
  }
  camera = g_ptr_array_index (self->cameras, index - 1);

  if (n_parts == 3) {
    if (method != SOUP_METHOD_GET) {
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET only");
      return;
    }
  } else {
    if (method != SOUP_METHOD_POST) {
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST only");
      return;
    }
    if (!act (msg, camera, parts[3], query))
      return;
  }
  add_camera (self, b, camera);
  reply_json (msg, SOUP_STATUS_OK, b);
}

void
vg_sim_control_attach (VgSimControl *self, SoupServer *server, const char *rtsp_url,
                       const char *http_url)
{
  g_return_if_fail (VG_SIM_IS_CONTROL (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (self->server == NULL);

  self->server = g_object_ref (server);
  self->rtsp_url = g_strdup (rtsp_url);
  self->http_url = g_strdup (http_url);
  soup_server_add_handler (server, "/cameras", control_handler, self, NULL);
}

static void
vg_sim_control_dispose (GObject *object)
{
  VgSimControl *self = VG_SIM_CONTROL (object);

  if (self->server != NULL)
    soup_server_remove_handler (self->server, "/cameras");
  g_clear_object (&self->server);
  g_clear_object (&self->rtsp);
  g_clear_object (&self->mjpeg);
  g_clear_pointer (&self->cameras, g_ptr_array_unref);

  G_OBJECT_CLASS (vg_sim_control_parent_class)->dispose (object);
}

static void
vg_sim_control_finalize (GObject *object)
{
  VgSimControl *self = VG_SIM_CONTROL (object);

  g_free (self->rtsp_url);
  g_free (self->http_url);

  G_OBJECT_CLASS (vg_sim_control_parent_class)->finalize (object);
}

static void
vg_sim_control_class_init (VgSimControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_sim_control_dispose;
  object_class->finalize = vg_sim_control_finalize;
}

static void
vg_sim_control_init (VgSimControl *self)
{
}

VgSimControl *
vg_sim_control_new (GPtrArray *cameras, VgSimRtsp *rtsp, VgSimMjpeg *mjpeg)
{
  VgSimControl *self;

  g_return_val_if_fail (cameras != NULL, NULL);
  g_return_val_if_fail (VG_SIM_IS_RTSP (rtsp), NULL);
  g_return_val_if_fail (VG_SIM_IS_MJPEG (mjpeg), NULL);

  self = g_object_new (VG_SIM_TYPE_CONTROL, NULL);
  self->cameras = g_ptr_array_ref (cameras);
  self->rtsp = g_object_ref (rtsp);
  self->mjpeg = g_object_ref (mjpeg);
  return self;
}
