/* vg-relay.c: live video of the node's cameras over RTSP and RTSPS (LIVE-1…4, ACQ-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-relay.h"
#include "vg-relay-auth.h"
#include "vg-relay-factory.h"
#include "vg-secrets.h"
#include "vg-user.h"

#include <gio/gnetworking.h>
#include <glib/gi18n.h>
#include <string.h>

/* How long an RTSP client thread waits for the main context to check credentials. */
#define VERIFY_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define MAX_CLIENT_THREADS 16
/* A viewer's socket queues little, so that one falling behind is seen soon
 * (FINDINGS §2, trap 5). */
#define VIEWER_SEND_BUFFER (32 * 1024)

struct _VgRelay
{
  GObject          parent_instance;

  VgCameraManager *cameras;
  VgCapture       *capture;
  VgAuth          *auth;
  GTlsCertificate *certificate;
  GMainContext    *main_context;     /* the node's: VgAuth lives there */

  GMainContext    *context;          /* the relay's thread */
  GMainLoop       *loop;
  GThread         *thread;
  GstRTSPMountPoints *mounts;
  GstRTSPServer   *servers[2];       /* plain, TLS */
  guint            ports[2];
  GHashTable      *mounted;          /* camera id (gint64 *) → GPtrArray of paths */
};

G_DEFINE_TYPE (VgRelay, vg_relay, G_TYPE_OBJECT)

/* Credentials, checked in the main context for an RTSP client thread */

typedef struct
{
  gint      ref_count;
  VgAuth   *auth;
  char     *name;
  char     *password;
  char     *address;
  gboolean  tried_token;
  GMutex    lock;
  GCond     cond;
  gboolean  done;
  gboolean  ok;
} VerifyCall;

static void
verify_call_unref (VerifyCall *call)
{
  if (!g_atomic_int_dec_and_test (&call->ref_count))
    return;
  if (call->password)
    memset (call->password, 0, strlen (call->password));
  g_object_unref (call->auth);
  g_free (call->name);
  g_free (call->password);
  g_free (call->address);
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_free (call);
}

static void
verify_call_finish (VerifyCall *call, gboolean ok)
{
  g_mutex_lock (&call->lock);
  call->ok = ok;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  verify_call_unref (call);
}

static void start_verify (VerifyCall *call);

static void
verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VerifyCall *call = user_data;
  g_autoptr(VgUser) user = vg_auth_authenticate_finish (VG_AUTH (source), result, NULL);

  if (user && g_strcmp0 (vg_user_get_name (user), call->name) == 0)
    {
      verify_call_finish (call, TRUE);
      return;
    }
  if (call->tried_token && !call->done)
    {
      call->tried_token = FALSE;   /* not a token: the password, then */
      start_verify (call);
      return;
    }
  verify_call_finish (call, FALSE);
}

static void
start_verify (VerifyCall *call)
{
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *header = NULL;

  if (call->tried_token)
    {
      vg_auth_authenticate_async (call->auth, NULL, call->password, call->address, NULL,
                                  verified_cb, call);
      return;
    }
  credentials = g_strdup_printf ("%s:%s", call->name, call->password);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  header = g_strdup_printf ("Basic %s", encoded);
  memset (credentials, 0, strlen (credentials));
  vg_auth_authenticate_async (call->auth, header, NULL, call->address, NULL, verified_cb, call);
}

static gboolean
start_verify_cb (gpointer data)
{
  VerifyCall *call = data;

  call->tried_token = vg_token_is_well_formed (call->password);
  start_verify (call);
  return G_SOURCE_REMOVE;
}

static gboolean
verify (const char *name, const char *password, const char *address, gpointer user_data)
{
  VgRelay *self = user_data;
  VerifyCall *call = g_new0 (VerifyCall, 1);
  gint64 deadline = g_get_monotonic_time () + VERIFY_TIMEOUT_US;
  gboolean ok;

  call->ref_count = 2;   /* this thread's, and the main context's */
  call->auth = g_object_ref (self->auth);
  call->name = g_strdup (name);
  call->password = g_strdup (password);
  call->address = g_strdup (address ? address : "rtsp");
  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  g_main_context_invoke (self->main_context, start_verify_cb, call);

  g_mutex_lock (&call->lock);
  while (!call->done)
    if (!g_cond_wait_until (&call->cond, &call->lock, deadline))
      break;
  ok = call->done && call->ok;
  g_mutex_unlock (&call->lock);
  verify_call_unref (call);
  return ok;
}

/* The hook of per-camera rights: every user may watch every camera for now. */
static gboolean
camera_access (const char *name, gint64 camera_id, gpointer user_data)
{
  return TRUE;
}

/* Mount points, following the cameras */

static void
unmount_camera (VgRelay *self, gint64 camera_id)
{
  GPtrArray *paths = g_hash_table_lookup (self->mounted, &camera_id);

  for (guint i = 0; paths && i < paths->len; i++)
    gst_rtsp_mount_points_remove_factory (self->mounts, paths->pdata[i]);
  g_hash_table_remove (self->mounted, &camera_id);
}

static void
mount_camera (VgRelay *self, VgCamera *camera)
{
  gint64 camera_id = vg_camera_get_id (camera);
  GPtrArray *streams = vg_camera_get_streams (camera);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  unmount_camera (self, camera_id);
  for (guint i = 0; i < streams->len; i++)
    {
      const char *name = vg_stream_get_name (streams->pdata[i]);
      VgRelayFactory *factory = vg_relay_factory_new (self->capture, camera_id, name);
      char *path = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/%s", camera_id, name);

      gst_rtsp_media_factory_add_role (GST_RTSP_MEDIA_FACTORY (factory), VG_RELAY_ROLE,
                                       GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                                       GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
      gst_rtsp_mount_points_add_factory (self->mounts, path, GST_RTSP_MEDIA_FACTORY (factory));
      g_ptr_array_add (paths, path);
    }
  g_hash_table_insert (self->mounted, g_memdup2 (&camera_id, sizeof camera_id), paths);
}

static void
camera_added_cb (VgCameraManager *cameras, VgCamera *camera, VgRelay *self)
{
  mount_camera (self, camera);
}

static void
camera_removed_cb (VgCameraManager *cameras, gint64 camera_id, VgRelay *self)
{
  unmount_camera (self, camera_id);
}

/* Servers */

static void
client_connected_cb (GstRTSPServer *server, GstRTSPClient *client, VgRelay *self)
{
  GstRTSPConnection *connection = gst_rtsp_client_get_connection (client);
  GSocket *socket = connection ? gst_rtsp_connection_get_write_socket (connection) : NULL;

  if (socket)
    g_socket_set_option (socket, SOL_SOCKET, SO_SNDBUF, VIEWER_SEND_BUFFER, NULL);
}

static GstRTSPServer *
make_server (VgRelay *self, const char *address, guint port, GTlsCertificate *certificate)
{
  GstRTSPServer *server = gst_rtsp_server_new ();
  g_autoptr(GstRTSPThreadPool) pool = gst_rtsp_server_get_thread_pool (server);
  g_autoptr(VgRelayAuth) auth = vg_relay_auth_new (verify, camera_access, self);
  g_autofree char *service = g_strdup_printf ("%u", port);

  if (certificate)
    gst_rtsp_auth_set_tls_certificate (GST_RTSP_AUTH (auth), certificate);
  gst_rtsp_server_set_auth (server, GST_RTSP_AUTH (auth));
  gst_rtsp_server_set_mount_points (server, self->mounts);
  gst_rtsp_server_set_service (server, service);
  if (address)
    gst_rtsp_server_set_address (server, address);
  gst_rtsp_thread_pool_set_max_threads (pool, MAX_CLIENT_THREADS);
  g_signal_connect (server, "client-connected", G_CALLBACK (client_connected_cb), self);
  return server;
}

static gboolean
session_cleanup_cb (gpointer data)
{
  GstRTSPSessionPool *pool = data;

  gst_rtsp_session_pool_cleanup (pool);
  return G_SOURCE_CONTINUE;
}

static gboolean
attach_server (VgRelay *self, guint index, GError **error)
{
  g_autoptr(GstRTSPSessionPool) pool = gst_rtsp_server_get_session_pool (self->servers[index]);
  g_autoptr(GSource) cleanup = g_timeout_source_new_seconds (2);

  if (gst_rtsp_server_attach (self->servers[index], self->context) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   _("cannot listen for RTSP on port %u"), self->ports[index]);
      return FALSE;
    }
  self->ports[index] = (guint) gst_rtsp_server_get_bound_port (self->servers[index]);
  g_source_set_callback (cleanup, session_cleanup_cb, g_object_ref (pool), g_object_unref);
  g_source_attach (cleanup, self->context);
  return TRUE;
}

static gpointer
relay_thread (gpointer data)
{
  VgRelay *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Object */

static void
vg_relay_dispose (GObject *object)
{
  VgRelay *self = VG_RELAY (object);

  vg_relay_stop (self);
  g_clear_object (&self->cameras);
  g_clear_object (&self->capture);
  g_clear_object (&self->auth);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (vg_relay_parent_class)->dispose (object);
}

static void
vg_relay_finalize (GObject *object)
{
  VgRelay *self = VG_RELAY (object);

  g_hash_table_unref (self->mounted);
  g_main_context_unref (self->main_context);
  G_OBJECT_CLASS (vg_relay_parent_class)->finalize (object);
}

static void
vg_relay_class_init (VgRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_relay_dispose;
  object_class->finalize = vg_relay_finalize;
}

static void
vg_relay_init (VgRelay *self)
{
  self->mounted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->main_context = g_main_context_ref_thread_default ();
}

VgRelay *
vg_relay_new (VgCameraManager *cameras, VgCapture *capture, VgAuth *auth, GTlsCertificate *certificate)
{
  VgRelay *self = g_object_new (VG_TYPE_RELAY, NULL);

  self->cameras = g_object_ref (cameras);
  self->capture = g_object_ref (capture);
  self->auth = g_object_ref (auth);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  return self;
}

gboolean
vg_relay_start (VgRelay *self, const char *address, guint port, guint tls_port, GError **error)
{
  g_autoptr(GPtrArray) cameras = NULL;

  g_return_val_if_fail (VG_IS_RELAY (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  gst_init (NULL, NULL);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->mounts = gst_rtsp_mount_points_new ();
  self->ports[0] = port;
  self->ports[1] = tls_port;
  self->servers[0] = make_server (self, address, port, NULL);
  self->servers[1] = make_server (self, address, tls_port, self->certificate);
  if (!attach_server (self, 0, error) || !attach_server (self, 1, error))
    {
      vg_relay_stop (self);
      return FALSE;
    }

  cameras = vg_camera_manager_list (self->cameras);
  for (guint i = 0; i < cameras->len; i++)
    mount_camera (self, cameras->pdata[i]);
  g_signal_connect_object (self->cameras, "camera-added", G_CALLBACK (camera_added_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-changed", G_CALLBACK (camera_added_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-removed", G_CALLBACK (camera_removed_cb), self, 0);
  self->thread = g_thread_new ("vg-relay", relay_thread, self);
  return TRUE;
}

static GstRTSPFilterResult
remove_client (GstRTSPServer *server, GstRTSPClient *client, gpointer user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

static GstRTSPFilterResult
remove_session (GstRTSPSessionPool *pool, GstRTSPSession *session, gpointer user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

/* Sessions first (their transports leave the streams, so that nothing is sent to a
 * connection about to close), then the connections. */
static gboolean
close_clients_cb (gpointer data)
{
  VgRelay *self = data;

  for (guint i = 0; i < G_N_ELEMENTS (self->servers); i++)
    if (self->servers[i])
      {
        g_autoptr(GstRTSPSessionPool) pool = gst_rtsp_server_get_session_pool (self->servers[i]);

        g_list_free (gst_rtsp_session_pool_filter (pool, remove_session, NULL));
      }
  for (guint i = 0; i < G_N_ELEMENTS (self->servers); i++)
    if (self->servers[i])
      g_list_free (gst_rtsp_server_client_filter (self->servers[i], remove_client, NULL));
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
vg_relay_stop (VgRelay *self)
{
  g_return_if_fail (VG_IS_RELAY (self));

  if (self->cameras)
    g_signal_handlers_disconnect_by_data (self->cameras, self);
  if (self->thread)
    {
      g_main_context_invoke (self->context, close_clients_cb, self);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->servers); i++)
    g_clear_object (&self->servers[i]);
  g_hash_table_remove_all (self->mounted);
  g_clear_object (&self->mounts);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

guint
vg_relay_get_port (VgRelay *self)
{
  g_return_val_if_fail (VG_IS_RELAY (self), 0);
  return self->ports[0];
}

guint
vg_relay_get_tls_port (VgRelay *self)
{
  g_return_val_if_fail (VG_IS_RELAY (self), 0);
  return self->ports[1];
}

static GstRTSPFilterResult
count_client (GstRTSPServer *server, GstRTSPClient *client, gpointer user_data)
{
  (*(guint *) user_data)++;
  return GST_RTSP_FILTER_KEEP;
}

guint
vg_relay_get_n_clients (VgRelay *self)
{
  guint n = 0;

  g_return_val_if_fail (VG_IS_RELAY (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (self->servers); i++)
    if (self->servers[i])
      g_list_free (gst_rtsp_server_client_filter (self->servers[i], count_client, &n));
  return n;
}
