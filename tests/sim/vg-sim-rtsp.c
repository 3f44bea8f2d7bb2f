/* vg-sim-rtsp.c: every camera stream is a shared gst-rtsp-server media,
 *
 *   appsrc name=vsrc ! rtph264pay|rtph265pay name=pay0
 *   appsrc name=asrc ! rtpmp4gpay|rtppcmapay name=pay1      (main stream, some cameras)
 *
 * fed from its configuration to its unpreparation (while someone watches) by a
 * VgSimFeed, which vg_sim_rtsp_tick() drives: one timer for all cameras. */
#include "vg-sim-rtsp.h"

#include <gst/app/gstappsrc.h>
#include <gst/rtsp-server/rtsp-server.h>

#include "vg-sim-feed.h"
#include "vg-sim-rtsp-server.h"

#define N_RTSP_STREAMS 3        /* main, sub, h265 */
#define CLIENT_THREADS 4
#define MCAST_FIRST "239.255.42.1"
#define MCAST_LAST "239.255.43.254"
#define MCAST_PORT_MIN 20000
#define MCAST_PORT_MAX 40000
#define REALM "vigie-camsim"
#define ROLE "camsim-user"

/* ---- the media factory of one camera stream ---- */

#define VG_SIM_TYPE_MEDIA_FACTORY (vg_sim_media_factory_get_type ())
G_DECLARE_FINAL_TYPE (VgSimMediaFactory, vg_sim_media_factory, VG_SIM, MEDIA_FACTORY,
                      GstRTSPMediaFactory)

struct _VgSimMediaFactory {
  GstRTSPMediaFactory parent_instance;

  GWeakRef owner;               /* VgSimRtsp */
  VgSimCamera *camera;
  VgSimStreamKind kind;
  VgSimClip *video;
  VgSimClip *audio;             /* nullable */
  char *path;
  gboolean mounted;             /* main thread */
};

G_DEFINE_FINAL_TYPE (VgSimMediaFactory, vg_sim_media_factory, GST_TYPE_RTSP_MEDIA_FACTORY)

struct _VgSimRtsp {
  GObject parent_instance;

  VgSimClips clips;
  GPtrArray *cameras;
  char *user;
  char *password;
  gboolean digest;
  GTlsCertificate *tls;         /* RTSP over TLS (rtsps://) when set */

  GstRTSPServer *server;
  GSource *source;
  GstClock *clock;
  GPtrArray *factories;         /* VgSimMediaFactory, N_RTSP_STREAMS per camera */

  GMutex lock;
  GPtrArray *feeds;             /* VgSimFeed, under lock */
};

G_DEFINE_FINAL_TYPE (VgSimRtsp, vg_sim_rtsp, G_TYPE_OBJECT)

static void add_feed (VgSimRtsp *self, VgSimMediaFactory *factory, GstRTSPMedia *media);

/* ---- factory ---- */

static GstElement *
make_source (const char *name, VgSimClip *clip)
{
  GstElement *src = gst_element_factory_make ("appsrc", name);

  if (src == NULL)
    return NULL;
  g_object_set (src,
                "is-live", TRUE,
                "format", GST_FORMAT_TIME,
                "do-timestamp", FALSE,
                "caps", vg_sim_clip_get_caps (clip),
                "min-latency", (gint64) 0,
                "max-bytes", (guint64) 0,
                "max-time", (guint64) 2 * GST_SECOND,
                "leaky-type", GST_APP_LEAKY_TYPE_DOWNSTREAM,
                NULL);
  return src;
}

static GstElement *
make_payloader (const char *name, VgSimClip *clip)
{
  const char *factory = NULL;
  GstElement *pay;

  switch (vg_sim_clip_get_codec (clip)) {
  case VG_SIM_CODEC_H264:
    factory = "rtph264pay";
    break;
  case VG_SIM_CODEC_H265:
    factory = "rtph265pay";
    break;
  case VG_SIM_CODEC_AAC:
    factory = "rtpmp4gpay";
    break;
  case VG_SIM_CODEC_PCMA:
    factory = "rtppcmapay";
    break;
  case VG_SIM_CODEC_JPEG:
    g_return_val_if_reached (NULL);
  }
  pay = gst_element_factory_make (factory, name);
  if (pay == NULL)
    return NULL;
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (pay), "config-interval"))
    g_object_set (pay, "config-interval", -1, "pt", 96, NULL);
  else if (vg_sim_clip_get_codec (clip) == VG_SIM_CODEC_AAC)
    g_object_set (pay, "pt", 97, NULL);
  return pay;
}

static gboolean
add_branch (GstBin *bin, const char *src_name, const char *pay_name, VgSimClip *clip)
{
  GstElement *src = make_source (src_name, clip);
  GstElement *pay = make_payloader (pay_name, clip);

  if (src == NULL || pay == NULL) {
    g_warning ("cannot make %s or %s: missing GStreamer plugins?", src_name, pay_name);
    g_clear_object (&src);
    g_clear_object (&pay);
    return FALSE;
  }
  gst_bin_add_many (bin, src, pay, NULL);
  return gst_element_link (src, pay);
}

static GstElement *
vg_sim_media_factory_create_element (GstRTSPMediaFactory *factory, const GstRTSPUrl *url)
{
  VgSimMediaFactory *self = VG_SIM_MEDIA_FACTORY (factory);
  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new (NULL));

  if (!add_branch (GST_BIN (bin), "vsrc", "pay0", self->video))
    return NULL;
  if (self->audio != NULL && !add_branch (GST_BIN (bin), "asrc", "pay1", self->audio))
    return NULL;
  return g_steal_pointer (&bin);
}

static void
vg_sim_media_factory_configure (GstRTSPMediaFactory *factory, GstRTSPMedia *media)
{
  VgSimMediaFactory *self = VG_SIM_MEDIA_FACTORY (factory);
  g_autoptr(VgSimRtsp) owner = g_weak_ref_get (&self->owner);

  GST_RTSP_MEDIA_FACTORY_CLASS (vg_sim_media_factory_parent_class)->configure (factory, media);
  if (owner != NULL)
    add_feed (owner, self, media);
}

static void
vg_sim_media_factory_finalize (GObject *object)
{
  VgSimMediaFactory *self = VG_SIM_MEDIA_FACTORY (object);

  g_weak_ref_clear (&self->owner);
  g_clear_object (&self->camera);
  g_clear_object (&self->video);
  g_clear_object (&self->audio);
  g_free (self->path);

  G_OBJECT_CLASS (vg_sim_media_factory_parent_class)->finalize (object);
}

static void
vg_sim_media_factory_class_init (VgSimMediaFactoryClass *klass)
{
  GstRTSPMediaFactoryClass *factory_class = GST_RTSP_MEDIA_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vg_sim_media_factory_finalize;
  factory_class->create_element = vg_sim_media_factory_create_element;
  factory_class->configure = vg_sim_media_factory_configure;
}

static void
vg_sim_media_factory_init (VgSimMediaFactory *self)
{
  g_weak_ref_init (&self->owner, NULL);
}

static char *
stream_path (VgSimCamera *camera, VgSimStreamKind kind)
{
  return g_strdup_printf ("/cam%u/%s", vg_sim_camera_get_index (camera),
                          vg_sim_stream_kind_to_string (kind));
}

static VgSimMediaFactory *
vg_sim_media_factory_new (VgSimRtsp *owner, VgSimCamera *camera, VgSimStreamKind kind)
{
  VgSimMediaFactory *self = g_object_new (VG_SIM_TYPE_MEDIA_FACTORY, NULL);
  GstRTSPMediaFactory *factory = GST_RTSP_MEDIA_FACTORY (self);

  g_weak_ref_set (&self->owner, owner);
  self->camera = g_object_ref (camera);
  self->kind = kind;
  self->path = stream_path (camera, kind);
  switch (kind) {
  case VG_SIM_STREAM_MAIN:
    self->video = g_object_ref (owner->clips.main_h264);
    switch (vg_sim_camera_get_audio (camera)) {
    case VG_SIM_AUDIO_AAC:
      self->audio = g_object_ref (owner->clips.aac);
      break;
    case VG_SIM_AUDIO_PCMA:
      self->audio = g_object_ref (owner->clips.pcma);
      break;
    case VG_SIM_AUDIO_NONE:
      break;
    }
    break;
  case VG_SIM_STREAM_SUB:
    self->video = g_object_ref (owner->clips.sub_h264);
    break;
  case VG_SIM_STREAM_H265:
    self->video = g_object_ref (owner->clips.main_h265);
    break;
  default:
    g_assert_not_reached ();
  }

  /* One live media for all viewers, as a camera has. */
  gst_rtsp_media_factory_set_shared (factory, TRUE);
  gst_rtsp_media_factory_set_protocols (factory, GST_RTSP_LOWER_TRANS_TCP |
                                        GST_RTSP_LOWER_TRANS_UDP |
                                        GST_RTSP_LOWER_TRANS_UDP_MCAST);
  if (owner->user != NULL || owner->tls != NULL)
    gst_rtsp_media_factory_add_role (factory, ROLE,
                                     GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                                     GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE,
                                     NULL);
  return self;
}

/* ---- feeds ---- */

static void
media_new_state_cb (GstRTSPMedia *media, gint state, gpointer user_data)
{
  VgSimFeed *feed = user_data;
  VgSimRtsp *self = g_object_get_data (G_OBJECT (media), "vg-sim-rtsp");

  g_mutex_lock (&self->lock);
  vg_sim_feed_set_playing (feed, state == GST_STATE_PLAYING);
  g_mutex_unlock (&self->lock);
}

static void
media_unprepared_cb (GstRTSPMedia *media, gpointer user_data)
{
  VgSimFeed *feed = user_data;
  VgSimRtsp *self = g_object_get_data (G_OBJECT (media), "vg-sim-rtsp");

  g_signal_handlers_disconnect_by_data (media, feed);
  g_mutex_lock (&self->lock);
  g_ptr_array_remove_fast (self->feeds, feed);
  g_mutex_unlock (&self->lock);
}

/* RTCP from viewers (receiver reports), counted per camera stream. */
typedef struct {
  VgSimCamera *camera;
  VgSimStreamKind kind;
} RtcpCounter;

static void
rtcp_counter_free (gpointer data, GClosure *closure)
{
  RtcpCounter *counter = data;

  g_object_unref (counter->camera);
  g_free (counter);
}

static void
receiving_rtcp_cb (GObject *session, GstBuffer *buffer, gpointer user_data)
{
  RtcpCounter *counter = user_data;

  vg_sim_camera_count_rtcp (counter->camera, counter->kind);
}

static void
media_prepared_cb (GstRTSPMedia *media, gpointer user_data)
{
  VgSimMediaFactory *factory = user_data;

  for (guint i = 0; i < gst_rtsp_media_n_streams (media); i++) {
    g_autoptr(GObject) session = gst_rtsp_stream_get_rtpsession (gst_rtsp_media_get_stream (media, i));
    RtcpCounter *counter = g_new0 (RtcpCounter, 1);

    counter->camera = g_object_ref (factory->camera);
    counter->kind = factory->kind;
    if (session != NULL)
      g_signal_connect_data (session, "on-receiving-rtcp", G_CALLBACK (receiving_rtcp_cb), counter,
                             rtcp_counter_free, 0);
    else
      rtcp_counter_free (counter, NULL);
  }
}

/* Called by the factory, in an RTSP client thread, on a new media. */
static void
add_feed (VgSimRtsp *self, VgSimMediaFactory *factory, GstRTSPMedia *media)
{
  g_autoptr(GstElement) element = gst_rtsp_media_get_element (media);
  g_autoptr(GstObject) pipeline = gst_object_get_parent (GST_OBJECT (element));
  VgSimFeed *feed = vg_sim_feed_new (media, factory->camera, factory->kind,
                                     factory->video, factory->audio);

  if (GST_IS_BIN (pipeline))
    vg_sim_rtsp_server_watch_pipeline (GST_BIN (pipeline));
  g_object_set_data (G_OBJECT (media), "vg-sim-rtsp", self);
  g_signal_connect (media, "new-state", G_CALLBACK (media_new_state_cb), feed);
  g_signal_connect (media, "unprepared", G_CALLBACK (media_unprepared_cb), feed);
  g_signal_connect_object (media, "prepared", G_CALLBACK (media_prepared_cb), factory, 0);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->feeds, feed);
  g_mutex_unlock (&self->lock);
}

void
vg_sim_rtsp_tick (VgSimRtsp *self, GstClockTime now, GstClockTime lookahead)
{
  g_return_if_fail (VG_SIM_IS_RTSP (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->feeds->len; i++)
    vg_sim_feed_tick (g_ptr_array_index (self->feeds, i), self->clock, now, lookahead);
  g_mutex_unlock (&self->lock);
}

/* The media being fed for @kind of @camera (usually one), or every media. */
static GPtrArray *
collect_media (VgSimRtsp *self, VgSimCamera *camera, VgSimStreamKind kind)
{
  GPtrArray *media = g_ptr_array_new_with_free_func (g_object_unref);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->feeds->len; i++) {
    VgSimFeed *feed = g_ptr_array_index (self->feeds, i);
    GstRTSPMedia *m;

    if (camera != NULL && !vg_sim_feed_is_for (feed, camera, kind))
      continue;
    m = vg_sim_feed_get_media (feed);
    if (m != NULL)
      g_ptr_array_add (media, m);
  }
  g_mutex_unlock (&self->lock);
  return media;
}

guint
vg_sim_rtsp_count_viewers (VgSimRtsp *self, VgSimCamera *camera, VgSimStreamKind kind)
{
  g_autoptr(GPtrArray) media = NULL;
  guint n = 0;

  g_return_val_if_fail (VG_SIM_IS_RTSP (self), 0);
  g_return_val_if_fail (VG_SIM_IS_CAMERA (camera), 0);

  media = collect_media (self, camera, kind);
  for (guint i = 0; i < media->len; i++) {
    GstRTSPStream *stream = gst_rtsp_media_get_stream (g_ptr_array_index (media, i), 0);
    GList *transports;

    if (stream == NULL)
      continue;
    transports = gst_rtsp_stream_transport_filter (stream, NULL, NULL);
    n += g_list_length (transports);
    g_list_free_full (transports, g_object_unref);
  }
  return n;
}

/* ---- stopping a camera stream: close its connections and sessions ---- */

/* @media NULL: every session. */
static GstRTSPFilterResult
kick_session_cb (GstRTSPSessionPool *pool, GstRTSPSession *session, gpointer user_data)
{
  GPtrArray *media = user_data;
  GList *session_media;
  gboolean kick = FALSE;

  if (media == NULL)
    return GST_RTSP_FILTER_REMOVE;
  session_media = gst_rtsp_session_filter (session, NULL, NULL);
  for (GList *l = session_media; l != NULL && !kick; l = l->next)
    kick = g_ptr_array_find (media, gst_rtsp_session_media_get_media (l->data), NULL);
  g_list_free_full (session_media, g_object_unref);
  return kick ? GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP;
}

static void
kick (VgSimRtsp *self, VgSimMediaFactory *factory)
{
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GstRTSPSessionPool) pool = NULL;

  if (self->server == NULL)
    return;
  media = factory ? collect_media (self, factory->camera, factory->kind) : NULL;
  pool = gst_rtsp_server_get_session_pool (self->server);
  /* Sessions first: their transports leave the streams, so that no streaming thread
   * still sends to a connection closed next (gst-rtsp-server warns on a closed watch). */
  g_list_free (gst_rtsp_session_pool_filter (pool, kick_session_cb, media));
  vg_sim_rtsp_server_close_clients (VG_SIM_RTSP_SERVER (self->server), factory ? factory->path : NULL);
}

static void
mount (VgSimRtsp *self, VgSimMediaFactory *factory, gboolean mounted)
{
  g_autoptr(GstRTSPMountPoints) mounts = NULL;

  if (self->server == NULL || factory->mounted == mounted)
    return;
  mounts = gst_rtsp_server_get_mount_points (self->server);
  if (mounted)
    gst_rtsp_mount_points_add_factory (mounts, factory->path,
                                       g_object_ref (GST_RTSP_MEDIA_FACTORY (factory)));
  else
    gst_rtsp_mount_points_remove_factory (mounts, factory->path);
  factory->mounted = mounted;
}

static void
camera_state_changed_cb (VgSimCamera *camera, gint kind, gpointer user_data)
{
  VgSimRtsp *self = user_data;
  VgSimMediaFactory *factory;

  if (kind < 0 || kind >= N_RTSP_STREAMS)
    return;
  factory = g_ptr_array_index (self->factories,
                               (vg_sim_camera_get_index (camera) - 1) * N_RTSP_STREAMS + kind);
  if (vg_sim_camera_get_state (camera, kind) == VG_SIM_STATE_STOPPED) {
    mount (self, factory, FALSE);
    kick (self, factory);
  } else {
    mount (self, factory, TRUE);
  }
}

/* ---- object ---- */

static void
vg_sim_rtsp_dispose (GObject *object)
{
  VgSimRtsp *self = VG_SIM_RTSP (object);

  vg_sim_rtsp_stop (self);
  g_clear_object (&self->server);

  /* media still alive (not unprepared yet) must not call us any more */
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->feeds->len; i++) {
    VgSimFeed *feed = g_ptr_array_index (self->feeds, i);
    g_autoptr(GstRTSPMedia) media = vg_sim_feed_get_media (feed);

    if (media != NULL)
      g_signal_handlers_disconnect_by_data (media, feed);
  }
  g_ptr_array_set_size (self->feeds, 0);
  g_mutex_unlock (&self->lock);

  if (self->factories != NULL) {
    for (guint i = 0; i < self->factories->len; i++)
      g_weak_ref_set (&VG_SIM_MEDIA_FACTORY (g_ptr_array_index (self->factories, i))->owner,
                      NULL);
  }
  g_clear_pointer (&self->factories, g_ptr_array_unref);
  g_clear_pointer (&self->cameras, g_ptr_array_unref);

  G_OBJECT_CLASS (vg_sim_rtsp_parent_class)->dispose (object);
}

static void
vg_sim_rtsp_finalize (GObject *object)
{
  VgSimRtsp *self = VG_SIM_RTSP (object);

  g_ptr_array_unref (self->feeds);
  g_mutex_clear (&self->lock);
  vg_sim_clips_clear (&self->clips);
  g_clear_object (&self->clock);
  g_free (self->user);
  g_free (self->password);
  g_clear_object (&self->tls);

  G_OBJECT_CLASS (vg_sim_rtsp_parent_class)->finalize (object);
}

static void
vg_sim_rtsp_class_init (VgSimRtspClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_sim_rtsp_dispose;
  object_class->finalize = vg_sim_rtsp_finalize;
}

static void
vg_sim_rtsp_init (VgSimRtsp *self)
{
  g_mutex_init (&self->lock);
  self->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_sim_feed_free);
  self->clock = gst_system_clock_obtain ();
}

VgSimRtsp *
vg_sim_rtsp_new (const VgSimClips *clips, GPtrArray *cameras,
                 const char *user, const char *password, gboolean digest)
{
  VgSimRtsp *self;

  g_return_val_if_fail (clips != NULL, NULL);
  g_return_val_if_fail (cameras != NULL, NULL);

  self = g_object_new (VG_SIM_TYPE_RTSP, NULL);
  self->clips.main_h264 = g_object_ref (clips->main_h264);
  self->clips.sub_h264 = g_object_ref (clips->sub_h264);
  self->clips.main_h265 = g_object_ref (clips->main_h265);
  self->clips.aac = g_object_ref (clips->aac);
  self->clips.pcma = g_object_ref (clips->pcma);
  self->cameras = g_ptr_array_ref (cameras);
  self->user = g_strdup (user);
  self->password = g_strdup (password ? password : "");
  self->digest = digest;
  return self;
}

static GstRTSPAuth *
make_auth (VgSimRtsp *self)
{
  GstRTSPAuth *auth = gst_rtsp_auth_new ();
  g_autoptr(GstRTSPToken) token =
    gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, ROLE, NULL);

  if (self->tls != NULL)
    gst_rtsp_auth_set_tls_certificate (auth, self->tls);
  if (self->user == NULL) {
    /* TLS only: anyone may watch */
    gst_rtsp_auth_set_default_token (auth, token);
    return auth;
  }
  gst_rtsp_auth_set_realm (auth, REALM);
  if (self->digest) {
    gst_rtsp_auth_add_digest (auth, self->user, self->password, token);
    gst_rtsp_auth_set_supported_methods (auth, GST_RTSP_AUTH_DIGEST);
  } else {
    g_autofree char *basic = gst_rtsp_auth_make_basic (self->user, self->password);

    gst_rtsp_auth_add_basic (auth, basic, token);
    gst_rtsp_auth_set_supported_methods (auth, GST_RTSP_AUTH_BASIC);
  }
  return auth;
}

gboolean
vg_sim_rtsp_start (VgSimRtsp *self, const char *address, guint port, GError **error)
{
  g_autofree char *service = g_strdup_printf ("%u", port);
  g_autoptr(GstRTSPThreadPool) threads = NULL;
  g_autoptr(GstRTSPAddressPool) addresses = NULL;

  g_return_val_if_fail (VG_SIM_IS_RTSP (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = GST_RTSP_SERVER (vg_sim_rtsp_server_new ());
  gst_rtsp_server_set_address (self->server, address);
  gst_rtsp_server_set_service (self->server, service);
  /* DESCRIBE blocks a client thread until the media has its first buffer */
  threads = gst_rtsp_server_get_thread_pool (self->server);
  gst_rtsp_thread_pool_set_max_threads (threads, CLIENT_THREADS);
  if (self->user != NULL || self->tls != NULL) {
    g_autoptr(GstRTSPAuth) auth = make_auth (self);

    gst_rtsp_server_set_auth (self->server, auth);
  }

  addresses = gst_rtsp_address_pool_new ();
  gst_rtsp_address_pool_add_range (addresses, MCAST_FIRST, MCAST_LAST,
                                   MCAST_PORT_MIN, MCAST_PORT_MAX, 1);

  self->factories = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->cameras->len; i++) {
    VgSimCamera *camera = g_ptr_array_index (self->cameras, i);

    for (VgSimStreamKind kind = 0; kind < N_RTSP_STREAMS; kind++) {
      VgSimMediaFactory *factory = vg_sim_media_factory_new (self, camera, kind);

      gst_rtsp_media_factory_set_address_pool (GST_RTSP_MEDIA_FACTORY (factory), addresses);
      g_ptr_array_add (self->factories, factory);
      if (vg_sim_camera_get_state (camera, kind) != VG_SIM_STATE_STOPPED)
        mount (self, factory, TRUE);
    }
    g_signal_connect_object (camera, "state-changed", G_CALLBACK (camera_state_changed_cb),
                             self, 0);
  }

  self->source = gst_rtsp_server_create_source (self->server, NULL, error);
  if (self->source == NULL)
    return FALSE;
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return TRUE;
}

guint
vg_sim_rtsp_get_port (VgSimRtsp *self)
{
  g_return_val_if_fail (VG_SIM_IS_RTSP (self), 0);
  g_return_val_if_fail (self->server != NULL, 0);

  return gst_rtsp_server_get_bound_port (self->server);
}

void
vg_sim_rtsp_stop (VgSimRtsp *self)
{
  g_return_if_fail (VG_SIM_IS_RTSP (self));

  if (self->source != NULL) {
    g_source_destroy (self->source);
    g_clear_pointer (&self->source, g_source_unref);
  }
  kick (self, NULL);
}

void
vg_sim_rtsp_set_tls_certificate (VgSimRtsp *self, GTlsCertificate *certificate)
{
  g_return_if_fail (VG_SIM_IS_RTSP (self));
  g_return_if_fail (self->server == NULL);

  g_set_object (&self->tls, certificate);
}
