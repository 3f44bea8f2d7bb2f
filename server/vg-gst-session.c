/* vg-gst-session.c: a camera stream read by GStreamer's rtspsrc, the fallback of our own
 * RTSP client (ACQ-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-certificate.h"
#include "vg-gst-session.h"
#include "vg-source-link.h"
#include "vg-stream.h"

#include <gst/app/gstappsink.h>
#include <gst/rtsp/gstrtsptransport.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef enum {
  PHASE_IDLE,
  PHASE_STARTING,    /* the pipeline runs, the tracks are not all known yet */
  PHASE_STREAMING,
} Phase;

typedef enum {
  ITEM_TRACKS,
  ITEM_UNIT,
  ITEM_ERROR,
} ItemType;

typedef struct
{
  ItemType      type;
  guint         generation;
  VgAccessUnit *unit;       /* ITEM_UNIT */
  GPtrArray    *tracks;     /* ITEM_TRACKS: VgTrackInfo * */
  char         *message;    /* ITEM_ERROR */
} Item;

typedef struct
{
  VgGstSession *session;
  guint         generation;
  guint         index;      /* the track's place */
  VgCodec       codec;
  guint         clock_rate;
  VgTrackInfo  *info;       /* from the first sample's caps */
} Chain;

struct _VgGstSession
{
  char              *url;
  VgSourceCallbacks  callbacks;
  gpointer           user_data;
  VgSourceLink       link;

  Phase              phase;
  int                event_fd;
  GAsyncQueue       *queue;       /* Item *, from GStreamer's threads */
  GstElement        *pipeline;
  gint64             answer_deadline;

  GMutex             lock;        /* what GStreamer's threads share */
  guint              generation;  /* of the pipeline now running */
  GPtrArray         *chains;      /* Chain * */
  gboolean           no_more_pads;
  gboolean           tracks_posted;
  gboolean           have_offset;
  gint64             offset_us;   /* UTC = running time + offset */
  char              *refused;     /* why the camera's certificate was refused, or NULL */
};

/* Items */

static void
item_free (Item *item)
{
  g_clear_pointer (&item->unit, vg_access_unit_unref);
  g_clear_pointer (&item->tracks, g_ptr_array_unref);
  g_free (item->message);
  g_free (item);
}

static void
post (VgGstSession *self, Item *item)
{
  guint64 one = 1;

  g_async_queue_push (self->queue, item);
  if (write (self->event_fd, &one, sizeof one) < 0)
    g_debug ("gst session: cannot signal the ingest thread");
}

static void
post_error (VgGstSession *self, guint generation, const char *message)
{
  Item *item = g_new0 (Item, 1);

  item->type = ITEM_ERROR;
  item->generation = generation;
  item->message = g_strdup (message);
  post (self, item);
}

/* Tracks and units, in GStreamer's streaming threads */

static VgCodec
codec_of_encoding (const char *encoding)
{
  static const struct { const char *name; VgCodec codec; } table[] = {
    { "H264", VG_CODEC_H264 }, { "H265", VG_CODEC_H265 }, { "JPEG", VG_CODEC_JPEG },
    { "MP4V-ES", VG_CODEC_MPEG4 }, { "MPEG4-GENERIC", VG_CODEC_AAC }, { "PCMA", VG_CODEC_PCMA },
    { "PCMU", VG_CODEC_PCMU },
  };

  for (gsize i = 0; encoding && i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (encoding, table[i].name) == 0)
      return table[i].codec;
  return VG_CODEC_NONE;
}

/* From RTP to access units as VgAccessUnit carries them (AVCC/HVCC, raw AAC). */
static const char *
chain_description (VgCodec codec)
{
  switch (codec)
    {
    case VG_CODEC_H264:
      return "rtph264depay ! h264parse ! video/x-h264,stream-format=avc,alignment=au";
    case VG_CODEC_H265:
      return "rtph265depay ! h265parse ! video/x-h265,stream-format=hvc1,alignment=au";
    case VG_CODEC_JPEG:
      return "rtpjpegdepay";
    case VG_CODEC_MPEG4:
      return "rtpmp4vdepay";
    case VG_CODEC_AAC:
      return "rtpmp4gdepay ! aacparse ! audio/mpeg,stream-format=raw";
    case VG_CODEC_PCMA:
      return "rtppcmadepay";
    case VG_CODEC_PCMU:
      return "rtppcmudepay";
    case VG_CODEC_G726:
    case VG_CODEC_NONE:
    default:
      return NULL;
    }
}

static VgTrackInfo *
track_info_from_caps (Chain *chain, GstCaps *caps)
{
  VgTrackInfo *info = g_new0 (VgTrackInfo, 1);
  GstStructure *structure = caps ? gst_caps_get_structure (caps, 0) : NULL;
  const GValue *codec_data = structure ? gst_structure_get_value (structure, "codec_data") : NULL;
  int width = 0, height = 0, rate = 0, channels = 0;

  info->codec = chain->codec;
  info->track = chain->index;
  info->clock_rate = chain->clock_rate;
  if (structure)
    {
      gst_structure_get_int (structure, "width", &width);
      gst_structure_get_int (structure, "height", &height);
      gst_structure_get_int (structure, "rate", &rate);
      gst_structure_get_int (structure, "channels", &channels);
    }
  info->width = (guint) MAX (width, 0);
  info->height = (guint) MAX (height, 0);
  info->sample_rate = (guint) MAX (rate, 0);
  info->channels = (guint) MAX (channels, 0);
  if (codec_data && GST_VALUE_HOLDS_BUFFER (codec_data))
    {
      GstBuffer *buffer = gst_value_get_buffer (codec_data);
      GstMapInfo map;

      if (gst_buffer_map (buffer, &map, GST_MAP_READ))
        {
          info->codec_private = g_bytes_new (map.data, map.size);
          gst_buffer_unmap (buffer, &map);
        }
    }
  return info;
}

/* Once rtspsrc has made every pad and each track has its caps, the tracks go first
 * (locked). */
static void
post_tracks_when_ready (VgGstSession *self, guint generation)
{
  Item *item;

  if (self->tracks_posted || !self->no_more_pads || self->chains->len == 0)
    return;
  for (guint i = 0; i < self->chains->len; i++)
    if (((Chain *) self->chains->pdata[i])->info == NULL)
      return;
  item = g_new0 (Item, 1);
  item->type = ITEM_TRACKS;
  item->generation = generation;
  item->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_track_info_free);
  for (guint i = 0; i < self->chains->len; i++)
    g_ptr_array_add (item->tracks, vg_track_info_copy (((Chain *) self->chains->pdata[i])->info));
  self->tracks_posted = TRUE;
  post (self, item);
}

static VgAccessUnit *
unit_from_sample (VgGstSession *self, Chain *chain, GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  GstClockTime running;
  VgAccessUnit *unit;
  GstMapInfo map;

  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;
  unit = vg_access_unit_new (chain->codec, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  running = segment ? gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer))
                    : GST_BUFFER_PTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (running))
    running = 0;
  if (!self->have_offset)
    {
      self->offset_us = g_get_real_time () - (gint64) (running / GST_USECOND);
      self->have_offset = TRUE;
    }
  unit->time_us = (gint64) (running / GST_USECOND) + self->offset_us;
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    unit->duration_us = (gint64) (GST_BUFFER_DURATION (buffer) / GST_USECOND);
  unit->keyframe = !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  unit->discont = GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  unit->track = chain->index;
  return unit;
}

static GstFlowReturn
new_sample_cb (GstAppSink *sink, gpointer data)
{
  Chain *chain = data;
  VgGstSession *self = chain->session;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  VgAccessUnit *unit = NULL;

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_mutex_lock (&self->lock);
  if (chain->generation == self->generation)
    {
      if (chain->info == NULL)
        chain->info = track_info_from_caps (chain, gst_sample_get_caps (sample));
      post_tracks_when_ready (self, chain->generation);
      if (self->tracks_posted)
        unit = unit_from_sample (self, chain, sample);
    }
  g_mutex_unlock (&self->lock);
  if (unit)
    {
      Item *item = g_new0 (Item, 1);

      item->type = ITEM_UNIT;
      item->generation = chain->generation;
      item->unit = unit;
      post (self, item);
    }
  return GST_FLOW_OK;
}

static void
chain_free (Chain *chain)
{
  g_clear_pointer (&chain->info, vg_track_info_free);
  g_free (chain);
}

static GstElement *
make_chain_bin (Chain *chain)
{
  g_autofree char *description = g_strdup_printf ("%s ! appsink name=sink sync=false async=false "
                                                  "max-buffers=200 drop=false",
                                                  chain_description (chain->codec));
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (description, TRUE, &error);
  g_autoptr(GstElement) sink = NULL;

  if (bin == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, chain, NULL);
  return bin;
}

static void
pad_added_cb (GstElement *source, GstPad *pad, gpointer data)
{
  VgGstSession *self = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstStructure *structure = caps ? gst_caps_get_structure (caps, 0) : NULL;
  VgCodec codec = codec_of_encoding (structure ? gst_structure_get_string (structure, "encoding-name") : NULL);
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *bin;
  Chain *chain;
  int clock_rate = 0;

  if (codec == VG_CODEC_NONE || chain_description (codec) == NULL)
    return;   /* a track we do not keep: rtspsrc's pad stays unlinked */
  chain = g_new0 (Chain, 1);
  chain->session = self;
  chain->codec = codec;
  gst_structure_get_int (structure, "clock-rate", &clock_rate);
  chain->clock_rate = (guint) MAX (clock_rate, 0);
  if ((bin = make_chain_bin (chain)) == NULL)
    {
      chain_free (chain);
      return;
    }
  g_mutex_lock (&self->lock);
  chain->generation = self->generation;
  chain->index = self->chains->len;
  g_ptr_array_add (self->chains, chain);
  g_mutex_unlock (&self->lock);

  gst_bin_add (GST_BIN (self->pipeline), bin);
  sink_pad = gst_element_get_static_pad (bin, "sink");
  gst_pad_link (pad, sink_pad);
  gst_element_sync_state_with_parent (bin);
}

static void
no_more_pads_cb (GstElement *source, gpointer data)
{
  VgGstSession *self = data;

  g_mutex_lock (&self->lock);
  self->no_more_pads = TRUE;
  post_tracks_when_ready (self, self->generation);
  g_mutex_unlock (&self->lock);
}

static GstBusSyncReply
bus_cb (GstBus *bus, GstMessage *message, gpointer data)
{
  VgGstSession *self = data;
  guint generation;

  g_mutex_lock (&self->lock);
  generation = self->generation;
  g_mutex_unlock (&self->lock);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      g_autofree char *refused = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_mutex_lock (&self->lock);
      refused = g_strdup (self->refused);
      g_mutex_unlock (&self->lock);
      post_error (self, generation, refused ? refused : error ? error->message : "GStreamer error");
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    post_error (self, generation, "the camera ended the stream");
  return GST_BUS_DROP;
}

/* The pipeline */

static GstRTSPLowerTrans
lower_transports (guint transport)
{
  switch (transport)
    {
    case VG_STREAM_TRANSPORT_UDP:
      return GST_RTSP_LOWER_TRANS_UDP;
    case VG_STREAM_TRANSPORT_MULTICAST:
      return GST_RTSP_LOWER_TRANS_UDP_MCAST;
    case VG_STREAM_TRANSPORT_HTTP:
      return GST_RTSP_LOWER_TRANS_HTTP | GST_RTSP_LOWER_TRANS_TCP;
    case VG_STREAM_TRANSPORT_TCP:
    default:
      return GST_RTSP_LOWER_TRANS_TCP;
    }
}

static void
stop_pipeline (VgGstSession *self)
{
  Item *item;

  g_mutex_lock (&self->lock);
  self->generation++;   /* what the old pipeline still sends is ignored */
  g_mutex_unlock (&self->lock);
  if (self->pipeline)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->chains, 0);
  self->no_more_pads = FALSE;
  self->tracks_posted = FALSE;
  self->have_offset = FALSE;
  g_clear_pointer (&self->refused, g_free);
  g_mutex_unlock (&self->lock);
  while ((item = g_async_queue_try_pop (self->queue)))
    item_free (item);
}

/* rtsps:// (in a GStreamer thread): a certificate no authority vouches for, as
 * cameras' are, is taken when it is the one pinned, or any when none is; its
 * fingerprint goes to the status, to pin. */
static gboolean
accept_certificate_cb (GstElement           *source,
                       GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  VgGstSession *self = data;
  g_autofree char *fingerprint = vg_certificate_get_fingerprint (certificate);
  const char *pinned = self->link.options.tls_fingerprint;
  gboolean accepted = pinned[0] == '\0' || g_strcmp0 (fingerprint, pinned) == 0;

  vg_source_link_set_tls_fingerprint (&self->link, fingerprint);
  if (!accepted)
    {
      g_mutex_lock (&self->lock);
      g_free (self->refused);
      self->refused = g_strdup_printf ("the camera's certificate (SHA-256 %s) is not the one pinned "
                                       "for this stream", fingerprint ? fingerprint : "unknown");
      g_mutex_unlock (&self->lock);
    }
  return accepted;
}

static gboolean
start_pipeline (VgGstSession *self, GError **error)
{
  GstElement *source = gst_element_factory_make ("rtspsrc", "source");
  g_autoptr(GstBus) bus = NULL;

  if (source == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "GStreamer's rtspsrc is missing");
      return FALSE;
    }
  self->pipeline = gst_pipeline_new (NULL);
  /* buffer-mode "none": times from the RTP timestamps alone, as our own client has
   * them, not from arrival (whose jitter would make pictures collide). */
  gst_util_set_object_arg (G_OBJECT (source), "buffer-mode", "none");
  g_object_set (source, "location", self->url, "latency", 0,
                "tls-validation-flags", G_TLS_CERTIFICATE_VALIDATE_ALL,
                "protocols", lower_transports (self->link.options.transport),
                "timeout", (guint64) self->link.options.timeout_s * G_USEC_PER_SEC, NULL);
  g_signal_connect (source, "pad-added", G_CALLBACK (pad_added_cb), self);
  g_signal_connect (source, "no-more-pads", G_CALLBACK (no_more_pads_cb), self);
  g_signal_connect (source, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  gst_bin_add (GST_BIN (self->pipeline), source);
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_set_sync_handler (bus, bus_cb, self, NULL);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the GStreamer pipeline did not start");
      return FALSE;
    }
  return TRUE;
}

static void
fail (VgGstSession *self, const char *message)
{
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  stop_pipeline (self);
  self->phase = PHASE_IDLE;
  vg_source_link_lost (&self->link, was_streaming, message, g_get_monotonic_time ());
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}

/* Session class */

VgGstSession *
vg_gst_session_new (const char *url, const VgSourceOptions *options,
                    const VgSourceCallbacks *callbacks, gpointer user_data)
{
  VgGstSession *self = g_new0 (VgGstSession, 1);

  gst_init (NULL, NULL);
  vg_source_link_init (&self->link, options);
  self->url = g_strdup (url);
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->event_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  self->queue = g_async_queue_new_full ((GDestroyNotify) item_free);
  g_mutex_init (&self->lock);
  self->chains = g_ptr_array_new_with_free_func ((GDestroyNotify) chain_free);
  return self;
}

void
vg_gst_session_free (VgGstSession *self)
{
  if (self == NULL)
    return;
  stop_pipeline (self);
  g_async_queue_unref (self->queue);
  g_ptr_array_unref (self->chains);
  g_mutex_clear (&self->lock);
  if (self->event_fd >= 0)
    close (self->event_fd);
  vg_source_link_clear (&self->link);
  g_free (self->url);
  g_free (self);
}

int
vg_gst_session_get_fd (VgGstSession *self)
{
  return self->event_fd;
}

gboolean
vg_gst_session_wants_write (VgGstSession *self)
{
  return FALSE;
}

gint64
vg_gst_session_get_deadline (VgGstSession *self)
{
  switch (self->phase)
    {
    case PHASE_IDLE:
      return self->link.retry_at;
    case PHASE_STREAMING:
      return self->link.last_data + self->link.options.watchdog_s * G_USEC_PER_SEC;
    case PHASE_STARTING:
    default:
      return self->answer_deadline;
    }
}

static void
take_tracks (VgGstSession *self, GPtrArray *tracks, gint64 now)
{
  for (guint i = 0; i < tracks->len; i++)
    {
      const VgTrackInfo *info = tracks->pdata[i];

      if (vg_codec_is_video (info->codec))
        {
          vg_source_link_set_video (&self->link, info->codec, info->width, info->height);
          break;
        }
    }
  if (self->phase != PHASE_STREAMING)
    {
      self->phase = PHASE_STREAMING;
      vg_source_link_streaming (&self->link, now);
    }
  if (self->callbacks.tracks)
    self->callbacks.tracks (self->user_data, (VgTrackInfo **) tracks->pdata, tracks->len);
}

static void
handle_item (VgGstSession *self, Item *item, gint64 now)
{
  switch (item->type)
    {
    case ITEM_TRACKS:
      take_tracks (self, item->tracks, now);
      break;
    case ITEM_UNIT:
      if (self->phase != PHASE_STREAMING)
        break;
      vg_source_link_count_unit (&self->link, item->unit, now);
      if (self->callbacks.unit)
        self->callbacks.unit (self->user_data, item->unit);
      break;
    case ITEM_ERROR:
    default:
      fail (self, item->message);
      break;
    }
}

void
vg_gst_session_readable (VgGstSession *self, gint64 now_us)
{
  guint64 count;
  Item *item;
  guint generation;

  if (read (self->event_fd, &count, sizeof count) < 0)
    return;
  g_mutex_lock (&self->lock);
  generation = self->generation;
  g_mutex_unlock (&self->lock);
  while (self->phase != PHASE_IDLE && (item = g_async_queue_try_pop (self->queue)))
    {
      if (item->generation == generation)
        handle_item (self, item, now_us);
      item_free (item);
    }
}

void
vg_gst_session_writable (VgGstSession *self, gint64 now_us)
{
}

void
vg_gst_session_timeout (VgGstSession *self, gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  switch (self->phase)
    {
    case PHASE_IDLE:
      if (now < self->link.retry_at)
        break;
      vg_source_link_set_state (&self->link, VG_SOURCE_STATE_CONNECTING, NULL);
      if (!start_pipeline (self, &error))
        {
          fail (self, error->message);
          break;
        }
      self->phase = PHASE_STARTING;
      self->answer_deadline = now + self->link.options.timeout_s * G_USEC_PER_SEC;
      break;
    case PHASE_STREAMING:
      if (vg_source_link_watchdog_expired (&self->link, now))
        {
          message = g_strdup_printf ("no data for %u s", self->link.options.watchdog_s);
          fail (self, message);
        }
      break;
    case PHASE_STARTING:
    default:
      if (now >= self->answer_deadline)
        fail (self, "the camera did not start streaming");
      break;
    }
}

void
vg_gst_session_stop (VgGstSession *self)
{
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  stop_pipeline (self);
  self->phase = PHASE_IDLE;
  self->link.retry_at = G_MAXINT64;
  vg_source_link_set_state (&self->link, VG_SOURCE_STATE_STOPPED, NULL);
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}

gboolean
vg_gst_session_take_state_change (VgGstSession *self, VgSourceState *state, char **error)
{
  return vg_source_link_take_state_change (&self->link, state, error);
}

void
vg_gst_session_get_status (VgGstSession *self, VgSourceStatus *status)
{
  vg_source_link_get_status (&self->link, status);
}
