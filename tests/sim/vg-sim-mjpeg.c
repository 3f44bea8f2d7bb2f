/* vg-sim-mjpeg.c: GET /camN/mjpeg answers an endless multipart/x-mixed-replace
 * response, one JPEG part every 100 ms, as MJPEG cameras do (no length, no
 * chunking: the connection closes at the end).
 *
 * All viewers of a camera get the same pictures from the clip in memory, sent
 * by vg_sim_mjpeg_tick(); a viewer that does not read falls behind by at most
 * two pictures, then misses pictures. A stopped camera ends its responses and
 * answers 404; a stalled one sends nothing; garbage is parts of random bytes. */
#include "vg-sim-mjpeg.h"

#include <string.h>

#define BOUNDARY "vigieframe"
#define REALM "vigie-camsim"
#define MAX_QUEUED_CHUNKS 6     /* two pictures */

typedef struct {
  SoupServerMessage *msg;
  guint queued;                 /* chunks appended, not written yet */
  gboolean closing;
} Client;

typedef struct {
  GPtrArray *clients;           /* Client */
  guint64 index;
  GstClockTime due;             /* NONE: start on the next tick */
} Stream;

struct _VgSimMjpeg {
  GObject parent_instance;

  VgSimClip *clip;
  GPtrArray *cameras;
  Stream *streams;              /* one per camera */
  char *user;
  char *password;
  SoupServer *server;
  SoupAuthDomain *auth;
  GBytes *crlf;
};

G_DEFINE_FINAL_TYPE (VgSimMjpeg, vg_sim_mjpeg, G_TYPE_OBJECT)

static void
client_free (gpointer data)
{
  Client *client = data;

  g_signal_handlers_disconnect_by_data (client->msg, client);
  g_object_unref (client->msg);
  g_free (client);
}

/* "/camN/mjpeg" → N, else 0. */
static guint
parse_path (const char *path)
{
  const char *p;
  char *end;
  guint64 n;

  if (!g_str_has_prefix (path, "/cam"))
    return 0;
  p = path + 4;
  if (!g_ascii_isdigit (*p))
    return 0;
  n = g_ascii_strtoull (p, &end, 10);
  if (strcmp (end, "/mjpeg") != 0 || n > G_MAXUINT)
    return 0;
  return n;
}

static VgSimCamera *
lookup_camera (VgSimMjpeg *self, guint index)
{
  if (index == 0 || index > self->cameras->len)
    return NULL;
  return g_ptr_array_index (self->cameras, index - 1);
}

static void
client_wrote_chunk_cb (SoupServerMessage *msg, gpointer user_data)
{
  Client *client = user_data;

  if (client->queued > 0)
    client->queued--;
}

static void
client_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  VgSimMjpeg *self = g_object_get_data (G_OBJECT (msg), "vg-sim-mjpeg");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "vg-sim-camera"));

  g_ptr_array_remove_fast (self->streams[index - 1].clients, user_data);
}

static void
client_close (Client *client)
{
  if (client->closing)
    return;
  client->closing = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (client->msg));
  soup_server_message_unpause (client->msg);
}

static void
mjpeg_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
               GHashTable *query, gpointer user_data)
{
  VgSimMjpeg *self = user_data;
  guint index = parse_path (path);
  VgSimCamera *camera = lookup_camera (self, index);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Client *client;

  if (camera == NULL ||
      vg_sim_camera_get_state (camera, VG_SIM_STREAM_MJPEG) == VG_SIM_STATE_STOPPED) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    soup_message_headers_replace (headers, "Allow", "GET");
    return;
  }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_headers_replace (headers, "Content-Type",
                                "multipart/x-mixed-replace;boundary=" BOUNDARY);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  client = g_new0 (Client, 1);
  client->msg = g_object_ref (msg);
  g_object_set_data (G_OBJECT (msg), "vg-sim-mjpeg", self);
  g_object_set_data (G_OBJECT (msg), "vg-sim-camera", GUINT_TO_POINTER (index));
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (client_wrote_chunk_cb), client);
  g_signal_connect (msg, "finished", G_CALLBACK (client_finished_cb), client);
  g_ptr_array_add (self->streams[index - 1].clients, client);
}

static void
send_part (VgSimMjpeg *self, Stream *stream, GBytes *picture)
{
  g_autofree char *header = g_strdup_printf ("--" BOUNDARY "\r\n"
                                             "Content-Type: image/jpeg\r\n"
                                             "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                             "\r\n", g_bytes_get_size (picture));
  g_autoptr(GBytes) head = g_bytes_new (header, strlen (header));

  for (guint i = 0; i < stream->clients->len; i++) {
    Client *client = g_ptr_array_index (stream->clients, i);
    SoupMessageBody *body = soup_server_message_get_response_body (client->msg);

    if (client->closing || client->queued + 3 > MAX_QUEUED_CHUNKS)
      continue;
    soup_message_body_append_bytes (body, head);
    soup_message_body_append_bytes (body, picture);
    soup_message_body_append_bytes (body, self->crlf);
    client->queued += 3;
    soup_server_message_unpause (client->msg);
  }
}

static GBytes *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_random_int ();
  return g_bytes_new_take (data, size);
}

static void
stream_tick (VgSimMjpeg *self, VgSimCamera *camera, Stream *stream, GstClockTime now)
{
  guint num, den;
  GstClockTime period;

  if (stream->clients->len == 0 ||
      vg_sim_camera_get_state (camera, VG_SIM_STREAM_MJPEG) != VG_SIM_STATE_RUNNING) {
    stream->due = GST_CLOCK_TIME_NONE;
    return;
  }
  vg_sim_clip_get_unit_duration (self->clip, &num, &den);
  period = gst_util_uint64_scale (GST_SECOND, num, den);
  if (!GST_CLOCK_TIME_IS_VALID (stream->due) || stream->due + GST_SECOND < now)
    stream->due = now;

  while (stream->due <= now) {
    GBytes *picture = vg_sim_clip_get_bytes (self->clip,
                                             stream->index % vg_sim_clip_get_n_units (self->clip));
    gboolean garbage = vg_sim_camera_is_garbage (camera, VG_SIM_STREAM_MJPEG);

    if (garbage) {
      g_autoptr(GBytes) noise = random_bytes (g_bytes_get_size (picture));

      send_part (self, stream, noise);
    } else {
      send_part (self, stream, picture);
    }
    vg_sim_camera_count_frame (camera, VG_SIM_STREAM_MJPEG, garbage);
    stream->index++;
    stream->due += period;
  }
}

void
vg_sim_mjpeg_tick (VgSimMjpeg *self, GstClockTime now)
{
  g_return_if_fail (VG_SIM_IS_MJPEG (self));

  for (guint i = 0; i < self->cameras->len; i++)
    stream_tick (self, g_ptr_array_index (self->cameras, i), &self->streams[i], now);
}

guint
vg_sim_mjpeg_count_viewers (VgSimMjpeg *self, VgSimCamera *camera)
{
  Stream *stream;
  guint n = 0;

  g_return_val_if_fail (VG_SIM_IS_MJPEG (self), 0);
  g_return_val_if_fail (VG_SIM_IS_CAMERA (camera), 0);

  stream = &self->streams[vg_sim_camera_get_index (camera) - 1];
  for (guint i = 0; i < stream->clients->len; i++)
    n += !((Client *) g_ptr_array_index (stream->clients, i))->closing;
  return n;
}

static void
close_stream (Stream *stream)
{
  for (guint i = 0; i < stream->clients->len; i++)
    client_close (g_ptr_array_index (stream->clients, i));
}

void
vg_sim_mjpeg_stop (VgSimMjpeg *self)
{
  g_return_if_fail (VG_SIM_IS_MJPEG (self));

  for (guint i = 0; i < self->cameras->len; i++)
    close_stream (&self->streams[i]);
}

static void
camera_state_changed_cb (VgSimCamera *camera, gint kind, gpointer user_data)
{
  VgSimMjpeg *self = user_data;

  if (kind == VG_SIM_STREAM_MJPEG &&
      vg_sim_camera_get_state (camera, VG_SIM_STREAM_MJPEG) == VG_SIM_STATE_STOPPED)
    close_stream (&self->streams[vg_sim_camera_get_index (camera) - 1]);
}

/* ---- authentication ---- */

static gboolean
auth_filter_cb (SoupAuthDomain *domain, SoupServerMessage *msg, gpointer user_data)
{
  return parse_path (g_uri_get_path (soup_server_message_get_uri (msg))) != 0;
}

static gboolean
basic_auth_cb (SoupAuthDomain *domain, SoupServerMessage *msg, const char *user,
               const char *password, gpointer user_data)
{
  VgSimMjpeg *self = user_data;

  return g_strcmp0 (user, self->user) == 0 && g_strcmp0 (password, self->password) == 0;
}

static char *
digest_auth_cb (SoupAuthDomain *domain, SoupServerMessage *msg, const char *user,
                gpointer user_data)
{
  VgSimMjpeg *self = user_data;

  if (g_strcmp0 (user, self->user) != 0)
    return NULL;
  return soup_auth_domain_digest_encode_password (user, REALM, self->password);
}

void
vg_sim_mjpeg_attach (VgSimMjpeg *self, SoupServer *server, const char *user,
                     const char *password, gboolean digest)
{
  g_return_if_fail (VG_SIM_IS_MJPEG (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (self->server == NULL);

  self->server = g_object_ref (server);
  soup_server_add_handler (server, "/", mjpeg_handler, self, NULL);
  if (user == NULL)
    return;

  self->user = g_strdup (user);
  self->password = g_strdup (password ? password : "");
  if (digest)
    self->auth = soup_auth_domain_digest_new ("realm", REALM,
                                              "auth-callback", digest_auth_cb,
                                              "auth-data", self,
                                              NULL);
  else
    self->auth = soup_auth_domain_basic_new ("realm", REALM,
                                             "auth-callback", basic_auth_cb,
                                             "auth-data", self,
                                             NULL);
  soup_auth_domain_add_path (self->auth, "/");
  soup_auth_domain_set_filter (self->auth, auth_filter_cb, NULL, NULL);
  soup_server_add_auth_domain (server, self->auth);
}

/* ---- object ---- */

static void
vg_sim_mjpeg_dispose (GObject *object)
{
  VgSimMjpeg *self = VG_SIM_MJPEG (object);

  if (self->server != NULL) {
    soup_server_remove_handler (self->server, "/");
    if (self->auth != NULL)
      soup_server_remove_auth_domain (self->server, self->auth);
  }
  g_clear_object (&self->auth);
  g_clear_object (&self->server);
  if (self->streams != NULL) {
    for (guint i = 0; i < self->cameras->len; i++)
      g_ptr_array_unref (self->streams[i].clients);
    g_clear_pointer (&self->streams, g_free);
  }
  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  g_clear_object (&self->clip);

  G_OBJECT_CLASS (vg_sim_mjpeg_parent_class)->dispose (object);
}

static void
vg_sim_mjpeg_finalize (GObject *object)
{
  VgSimMjpeg *self = VG_SIM_MJPEG (object);

  g_free (self->user);
  g_free (self->password);
  g_bytes_unref (self->crlf);

  G_OBJECT_CLASS (vg_sim_mjpeg_parent_class)->finalize (object);
}

static void
vg_sim_mjpeg_class_init (VgSimMjpegClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_sim_mjpeg_dispose;
  object_class->finalize = vg_sim_mjpeg_finalize;
}

static void
vg_sim_mjpeg_init (VgSimMjpeg *self)
{
  self->crlf = g_bytes_new_static ("\r\n", 2);
}

VgSimMjpeg *
vg_sim_mjpeg_new (VgSimClip *clip, GPtrArray *cameras)
{
  VgSimMjpeg *self;

  g_return_val_if_fail (VG_SIM_IS_CLIP (clip), NULL);
  g_return_val_if_fail (cameras != NULL, NULL);

  self = g_object_new (VG_SIM_TYPE_MJPEG, NULL);
  self->clip = g_object_ref (clip);
  self->cameras = g_ptr_array_ref (cameras);
  self->streams = g_new0 (Stream, cameras->len);
  for (guint i = 0; i < cameras->len; i++) {
    self->streams[i].clients = g_ptr_array_new_with_free_func (client_free);
    self->streams[i].due = GST_CLOCK_TIME_NONE;
    g_signal_connect_object (g_ptr_array_index (cameras, i), "state-changed",
                             G_CALLBACK (camera_state_changed_cb), self, 0);
  }
  return self;
}
