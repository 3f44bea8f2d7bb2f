/* vg-sim-rtsp-server.c: see vg-sim-rtsp-server.h.
 *
 * Multicast on this host only: gst-rtsp-server turns multicast loopback off,
 * takes the TTL from the address pool (at least 1) and binds its multicast
 * sockets to the group's ports without SO_REUSEADDR, so that a receiver on the
 * same host cannot bind them. Right after it allocates them for a SETUP (before
 * the answer goes out), the client here sets SO_REUSEADDR on them (Linux checks
 * it at the receiver's bind, so setting it after our bind is enough), loopback
 * on and TTL 0: local receivers get the packets, nothing leaves the host. The
 * multicast sinks get the same, as properties, when added to the pipeline. */
#include "vg-sim-rtsp-server.h"

#include <string.h>
#include <sys/socket.h>

/* ---- client ---- */

#define VG_SIM_TYPE_RTSP_CLIENT (vg_sim_rtsp_client_get_type ())
G_DECLARE_FINAL_TYPE (VgSimRtspClient, vg_sim_rtsp_client, VG_SIM, RTSP_CLIENT, GstRTSPClient)

struct _VgSimRtspClient {
  GstRTSPClient parent_instance;

  GMutex lock;
  char *path;                   /* of the last DESCRIBE or SETUP */
};

G_DEFINE_FINAL_TYPE (VgSimRtspClient, vg_sim_rtsp_client, GST_TYPE_RTSP_CLIENT)

static void
share_socket (GSocket *socket)
{
  g_autoptr(GError) error = NULL;

  if (socket == NULL)
    return;
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, &error))
    g_warning ("multicast socket: %s", error->message);
  g_socket_set_multicast_loopback (socket, TRUE);
  g_socket_set_multicast_ttl (socket, 0);
  g_object_unref (socket);
}

static gboolean
vg_sim_rtsp_client_configure_client_transport (GstRTSPClient *client, GstRTSPContext *ctx,
                                               GstRTSPTransport *ct)
{
  if (!GST_RTSP_CLIENT_CLASS (vg_sim_rtsp_client_parent_class)->configure_client_transport (client, ctx, ct))
    return FALSE;

  if (ct->lower_transport == GST_RTSP_LOWER_TRANS_UDP_MCAST && ctx->stream != NULL) {
    for (GSocketFamily family = G_SOCKET_FAMILY_IPV4; family <= G_SOCKET_FAMILY_IPV6;
         family += G_SOCKET_FAMILY_IPV6 - G_SOCKET_FAMILY_IPV4) {
      share_socket (gst_rtsp_stream_get_rtp_multicast_socket (ctx->stream, family));
      share_socket (gst_rtsp_stream_get_rtcp_multicast_socket (ctx->stream, family));
    }
  }
  return TRUE;
}

static void
request_cb (GstRTSPClient *client, GstRTSPContext *ctx, gpointer user_data)
{
  VgSimRtspClient *self = VG_SIM_RTSP_CLIENT (client);

  if (ctx->uri == NULL || ctx->uri->abspath == NULL)
    return;
  g_mutex_lock (&self->lock);
  g_free (self->path);
  self->path = g_strdup (ctx->uri->abspath);
  g_mutex_unlock (&self->lock);
}

/* Asked for @path or below. */
static gboolean
vg_sim_rtsp_client_asked_for (VgSimRtspClient *self, const char *path)
{
  gsize len = strlen (path);
  gboolean match;

  g_mutex_lock (&self->lock);
  match = self->path != NULL && strncmp (self->path, path, len) == 0 &&
          (self->path[len] == '\0' || self->path[len] == '/');
  g_mutex_unlock (&self->lock);
  return match;
}

static void
vg_sim_rtsp_client_finalize (GObject *object)
{
  VgSimRtspClient *self = VG_SIM_RTSP_CLIENT (object);

  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (vg_sim_rtsp_client_parent_class)->finalize (object);
}

static void
vg_sim_rtsp_client_class_init (VgSimRtspClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_sim_rtsp_client_finalize;
  GST_RTSP_CLIENT_CLASS (klass)->configure_client_transport =
    vg_sim_rtsp_client_configure_client_transport;
}

static void
vg_sim_rtsp_client_init (VgSimRtspClient *self)
{
  g_mutex_init (&self->lock);
  g_signal_connect (self, "describe-request", G_CALLBACK (request_cb), NULL);
  g_signal_connect (self, "setup-request", G_CALLBACK (request_cb), NULL);
}

/* ---- server ---- */

struct _VgSimRtspServer {
  GstRTSPServer parent_instance;
};

G_DEFINE_FINAL_TYPE (VgSimRtspServer, vg_sim_rtsp_server, GST_TYPE_RTSP_SERVER)

/* As gst-rtsp-server's default, with our client. */
static GstRTSPClient *
vg_sim_rtsp_server_create_client (GstRTSPServer *server)
{
  GstRTSPClient *client = g_object_new (VG_SIM_TYPE_RTSP_CLIENT, NULL);
  g_autoptr(GstRTSPSessionPool) sessions = gst_rtsp_server_get_session_pool (server);
  g_autoptr(GstRTSPMountPoints) mounts = gst_rtsp_server_get_mount_points (server);
  g_autoptr(GstRTSPAuth) auth = gst_rtsp_server_get_auth (server);
  g_autoptr(GstRTSPThreadPool) threads = gst_rtsp_server_get_thread_pool (server);

  gst_rtsp_client_set_session_pool (client, sessions);
  gst_rtsp_client_set_mount_points (client, mounts);
  gst_rtsp_client_set_content_length_limit (client,
                                            gst_rtsp_server_get_content_length_limit (server));
  gst_rtsp_client_set_auth (client, auth);
  gst_rtsp_client_set_thread_pool (client, threads);
  return client;
}

static void
vg_sim_rtsp_server_class_init (VgSimRtspServerClass *klass)
{
  GST_RTSP_SERVER_CLASS (klass)->create_client = vg_sim_rtsp_server_create_client;
}

static void
vg_sim_rtsp_server_init (VgSimRtspServer *self)
{
}

VgSimRtspServer *
vg_sim_rtsp_server_new (void)
{
  return g_object_new (VG_SIM_TYPE_RTSP_SERVER, NULL);
}

static GstRTSPFilterResult
close_client_cb (GstRTSPServer *server, GstRTSPClient *client, gpointer user_data)
{
  const char *path = user_data;

  if (path == NULL ||
      (VG_SIM_IS_RTSP_CLIENT (client) &&
       vg_sim_rtsp_client_asked_for (VG_SIM_RTSP_CLIENT (client), path)))
    return GST_RTSP_FILTER_REMOVE;
  return GST_RTSP_FILTER_KEEP;
}

void
vg_sim_rtsp_server_close_clients (VgSimRtspServer *self, const char *path)
{
  g_return_if_fail (VG_SIM_IS_RTSP_SERVER (self));

  g_list_free (gst_rtsp_server_client_filter (GST_RTSP_SERVER (self), close_client_cb,
                                              (gpointer) path));
}

/* ---- multicast sinks ---- */

static void
force_ttl_zero_cb (GObject *sink, GParamSpec *pspec, gpointer user_data)
{
  gint ttl;

  g_object_get (sink, "ttl-mc", &ttl, NULL);
  if (ttl != 0)
    g_object_set (sink, "ttl-mc", 0, NULL);
}

/* The multicast sinks are the multiudpsinks whose "loop" is off when added. */
static void
deep_element_added_cb (GstBin *pipeline, GstBin *bin, GstElement *element, gpointer user_data)
{
  gboolean loop;

  if (strcmp (G_OBJECT_TYPE_NAME (element), "GstMultiUDPSink") != 0)
    return;
  g_object_get (element, "loop", &loop, NULL);
  if (loop)
    return;
  g_object_set (element, "loop", TRUE, "ttl-mc", 0, NULL);
  g_signal_connect (element, "notify::ttl-mc", G_CALLBACK (force_ttl_zero_cb), NULL);
}

void
vg_sim_rtsp_server_watch_pipeline (GstBin *pipeline)
{
  g_return_if_fail (GST_IS_BIN (pipeline));

  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb), NULL);
}
