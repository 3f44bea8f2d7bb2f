/* vg-relay-factory.c: the media of one camera stream on the relay, one per viewer (LIVE-1, LIVE-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-relay-factory.h"
#include "vg-relay-viewer.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

/* How long a DESCRIBE waits for a stream that was not connected. */
#define OPEN_TIMEOUT_US (8 * G_USEC_PER_SEC)
/* RTP packets gst-rtsp-server may hold for a viewer over TCP before its pipeline waits
 * (about 45 KB): a slow viewer's backlog then stays in its VgRelayViewer queue. */
#define TCP_SEND_QUEUE_PACKETS 32

struct _VgRelayFactory
{
  GstRTSPMediaFactory parent_instance;

  VgCapture *capture;
  gint64     camera_id;
  char      *stream;
};

G_DEFINE_TYPE (VgRelayFactory, vg_relay_factory, GST_TYPE_RTSP_MEDIA_FACTORY)

/* What create_element leaves on the element for configure. */
typedef struct
{
  VgStreamHub *hub;
  GPtrArray   *tracks;
  guint        hold_id;   /* keeps the stream open until the viewer joins */
  guint        max_fps;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->hold_id)
    vg_stream_hub_remove_viewer (pending->hub, pending->hold_id);
  g_ptr_array_unref (pending->tracks);
  g_object_unref (pending->hub);
  g_free (pending);
}

static void
hold_tracks (gpointer user_data, VgTrackInfo **tracks, guint n_tracks)
{
}

static void
hold_unit (gpointer user_data, VgAccessUnit *unit, gboolean cached)
{
}

static void
hold_lost (gpointer user_data)
{
}

/* A viewer that takes nothing: it only makes the hub's stream wanted. */
static const VgHubViewerFuncs hold_funcs = { hold_tracks, hold_unit, hold_lost };

static guint
max_fps_from_query (const char *query)
{
  g_auto(GStrv) pairs = query ? g_strsplit (query, "&", -1) : NULL;

  for (guint i = 0; pairs && pairs[i]; i++)
    {
      guint64 value;

      if (g_str_has_prefix (pairs[i], "fps=") &&
          g_ascii_string_to_unsigned (pairs[i] + 4, 10, 1, 100, &value, NULL))
        return (guint) value;
    }
  return 0;
}

static GstElement *
make_appsrc (guint index, GstCaps *caps)
{
  g_autofree char *name = g_strdup_printf ("src%u", index);
  GstElement *src = gst_element_factory_make ("appsrc", name);

  g_object_set (src, "is-live", TRUE, "format", GST_FORMAT_TIME, "caps", caps,
                "max-bytes", (guint64) VG_RELAY_APPSRC_BYTES, "min-latency", (gint64) 0,
                "do-timestamp", FALSE, NULL);
  return src;
}

static GstElement *
make_payloader (const VgTrackInfo *info, guint index)
{
  g_autofree char *name = g_strdup_printf ("pay%u", index);
  GstElement *pay = gst_element_factory_make (vg_relay_track_payloader (info), name);

  if (pay == NULL)
    return NULL;
  if (info->codec != VG_CODEC_PCMA && info->codec != VG_CODEC_PCMU)
    g_object_set (pay, "pt", 96 + index, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (pay), "config-interval"))
    g_object_set (pay, "config-interval", -1, NULL);
  return pay;
}

/* appsrc "srcN" → payloader "payK" for each track that can be relayed. */
static GstElement *
build_bin (GPtrArray *tracks)
{
  GstElement *bin = gst_bin_new (NULL);
  guint n_payloaders = 0;

  for (guint i = 0; i < tracks->len; i++)
    {
      const VgTrackInfo *info = tracks->pdata[i];
      g_autoptr(GstCaps) caps = vg_relay_track_caps (info);
      GstElement *src, *pay;

      if (caps == NULL || (pay = make_payloader (info, n_payloaders)) == NULL)
        continue;
      src = make_appsrc (i, caps);
      gst_bin_add_many (GST_BIN (bin), src, pay, NULL);
      gst_element_link (src, pay);
      n_payloaders++;
    }
  if (n_payloaders == 0)
    {
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }
  return bin;
}

static gboolean
has_relayable_track (GPtrArray *tracks)
{
  for (guint i = 0; i < tracks->len; i++)
    {
      const char *payloader = vg_relay_track_payloader (tracks->pdata[i]);
      g_autoptr(GstElementFactory) factory = payloader ? gst_element_factory_find (payloader) : NULL;

      if (factory)
        return TRUE;
    }
  return FALSE;
}

/* What construct found, for create_element in the same thread. */
static GPrivate pending_key;

static Pending *
prepare_viewer (VgRelayFactory *self, const GstRTSPUrl *url)
{
  g_autoptr(VgStreamHub) hub = vg_capture_lookup_hub (self->capture, self->camera_id, self->stream);
  Pending *pending;

  if (hub == NULL)
    return NULL;
  pending = g_new0 (Pending, 1);
  pending->hub = g_object_ref (hub);
  pending->max_fps = max_fps_from_query (url->query);
  pending->hold_id = vg_stream_hub_add_viewer (hub, &hold_funcs, NULL);
  pending->tracks = vg_stream_hub_wait_tracks (hub, OPEN_TIMEOUT_US);
  if (pending->tracks == NULL)
    {
      g_message ("relay: camera %" G_GINT64_FORMAT " stream %s: no picture from the camera",
                 self->camera_id, self->stream);
      pending->tracks = g_ptr_array_new ();
      pending_free (pending);
      return NULL;
    }
  return pending;
}

/* Waits for the stream (opening it if needed) before the media is made: a stream that
 * cannot be had answers 503, not a broken media. */
static GstRTSPMedia *
vg_relay_factory_construct (GstRTSPMediaFactory *factory, const GstRTSPUrl *url)
{
  VgRelayFactory *self = VG_RELAY_FACTORY (factory);
  Pending *pending = prepare_viewer (self, url);
  GstRTSPMedia *media;

  if (pending == NULL)
    return NULL;
  if (!has_relayable_track (pending->tracks))
    {
      g_message ("relay: camera %" G_GINT64_FORMAT " stream %s: no track can be relayed",
                 self->camera_id, self->stream);
      pending_free (pending);
      return NULL;
    }
  g_private_set (&pending_key, pending);
  media = GST_RTSP_MEDIA_FACTORY_CLASS (vg_relay_factory_parent_class)->construct (factory, url);
  pending = g_private_get (&pending_key);
  g_private_set (&pending_key, NULL);
  if (pending)
    pending_free (pending);   /* create_element did not take it */
  return media;
}

static GstElement *
vg_relay_factory_create_element (GstRTSPMediaFactory *factory, const GstRTSPUrl *url)
{
  Pending *pending = g_private_get (&pending_key);
  GstElement *bin;

  g_return_val_if_fail (pending != NULL, NULL);
  bin = build_bin (pending->tracks);
  g_private_set (&pending_key, NULL);
  g_object_set_data_full (G_OBJECT (bin), "vg-relay-pending", pending, pending_free);
  return bin;
}

/* gst-rtsp-server's TCP sinks queue without limit by default: bounded, the pipeline
 * waits for a slow viewer and the viewer's queue sees it. */
static void
bound_send_queue (const GValue *item, gpointer data)
{
  GstElement *element = g_value_get_object (item);

  if (GST_IS_APP_SINK (element))
    g_object_set (element, "max-buffers", TCP_SEND_QUEUE_PACKETS, "drop", FALSE, NULL);
}

static void
media_prepared_cb (GstRTSPMedia *media, gpointer data)
{
  g_autoptr(GstElement) element = gst_rtsp_media_get_element (media);
  GstObject *pipeline = gst_object_get_parent (GST_OBJECT (element));
  GstIterator *elements;

  if (pipeline == NULL || !GST_IS_BIN (pipeline))
    {
      g_clear_object (&pipeline);
      return;
    }
  elements = gst_bin_iterate_recurse (GST_BIN (pipeline));
  gst_iterator_foreach (elements, bound_send_queue, NULL);
  gst_iterator_free (elements);
  gst_object_unref (pipeline);
}

static void
media_unprepared_cb (GstRTSPMedia *media, VgRelayViewer *viewer)
{
  vg_relay_viewer_stop (viewer);
}

static void
vg_relay_factory_configure (GstRTSPMediaFactory *factory, GstRTSPMedia *media)
{
  g_autoptr(GstElement) element = gst_rtsp_media_get_element (media);
  Pending *pending = g_object_steal_data (G_OBJECT (element), "vg-relay-pending");
  VgRelayViewer *viewer;

  GST_RTSP_MEDIA_FACTORY_CLASS (vg_relay_factory_parent_class)->configure (factory, media);
  if (pending == NULL)
    return;
  viewer = vg_relay_viewer_new (pending->hub, element, pending->tracks, pending->max_fps);
  g_object_set_data_full (G_OBJECT (media), "vg-relay-viewer", viewer,
                          (GDestroyNotify) vg_relay_viewer_free);
  g_signal_connect (media, "unprepared", G_CALLBACK (media_unprepared_cb), viewer);
  g_signal_connect (media, "prepared", G_CALLBACK (media_prepared_cb), NULL);
  vg_relay_viewer_start (viewer);
  pending_free (pending);   /* the viewer holds the stream open now */
}

static void
vg_relay_factory_finalize (GObject *object)
{
  VgRelayFactory *self = VG_RELAY_FACTORY (object);

  g_object_unref (self->capture);
  g_free (self->stream);
  G_OBJECT_CLASS (vg_relay_factory_parent_class)->finalize (object);
}

static void
vg_relay_factory_class_init (VgRelayFactoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstRTSPMediaFactoryClass *factory_class = GST_RTSP_MEDIA_FACTORY_CLASS (klass);

  object_class->finalize = vg_relay_factory_finalize;
  factory_class->construct = vg_relay_factory_construct;
  factory_class->create_element = vg_relay_factory_create_element;
  factory_class->configure = vg_relay_factory_configure;
}

static void
vg_relay_factory_init (VgRelayFactory *self)
{
  GstRTSPMediaFactory *factory = GST_RTSP_MEDIA_FACTORY (self);

  /* A media per viewer, so that each starts with the GOP cache (FINDINGS §2). */
  gst_rtsp_media_factory_set_shared (factory, FALSE);
  gst_rtsp_media_factory_set_latency (factory, 0);
  gst_rtsp_media_factory_set_protocols (factory, GST_RTSP_LOWER_TRANS_TCP | GST_RTSP_LOWER_TRANS_UDP);
}

VgRelayFactory *
vg_relay_factory_new (VgCapture *capture, gint64 camera_id, const char *stream)
{
  VgRelayFactory *self = g_object_new (VG_TYPE_RELAY_FACTORY, NULL);

  self->capture = g_object_ref (capture);
  self->camera_id = camera_id;
  self->stream = g_strdup (stream);
  return self;
}
