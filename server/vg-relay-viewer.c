/* vg-relay-viewer.c: one live viewer of the relay, fed from its stream's hub (LIVE-1…4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-relay-viewer.h"

#include <gst/app/gstappsrc.h>

/* More than this waiting for a viewer (its link is slower than the stream): at the
 * next keyframe, what waits is dropped and the viewer goes on from there (LIVE-3). */
#define BEHIND_LIMIT_US (500 * G_TIME_SPAN_MILLISECOND)
/* Whatever happens, a viewer does not keep more than this waiting. */
#define MAX_PENDING_BYTES (8 * 1024 * 1024)
/* Live units further than this from the clock anchor re-anchor it (a camera's time
 * jumped). */
#define ANCHOR_TOLERANCE_US (300 * G_TIME_SPAN_MILLISECOND)
#define MIN_STEP GST_MSECOND

typedef struct
{
  GstAppSrc   *src;
  VgCodec      codec;
  GstClockTime last_pts;
} Output;

/* A unit stamped for its output, waiting for room in the appsrc. */
typedef struct
{
  guint      output;
  GstBuffer *buffer;
  gint64     time_us;
  gboolean   video;
} Pending;

struct _VgRelayViewer
{
  VgStreamHub *hub;
  guint        viewer_id;
  GstElement  *bin;
  GArray      *outputs;         /* Output, in track order */
  guint        max_fps;
  gint64       last_picture_us;
  gboolean     anchored;
  gint64       anchor_us;       /* live pts (µs) = unit time − anchor */
  gboolean     skipping;        /* until the next video keyframe */
  gboolean     discont;
  gboolean     ended;

  GMutex       lock;            /* pending, and the pushes into the appsrcs */
  GQueue       pending;         /* Pending * */
  gsize        pending_bytes;
  guint64      dropped;         /* units left out for this viewer */
};

/* Caps and payloaders */

GstCaps *
vg_relay_track_caps (const VgTrackInfo *info)
{
  GstCaps *caps = NULL;

  switch (info->codec)
    {
    case VG_CODEC_H264:
      caps = gst_caps_new_simple ("video/x-h264", "stream-format", G_TYPE_STRING, "avc",
                                  "alignment", G_TYPE_STRING, "au", NULL);
      break;
    case VG_CODEC_H265:
      caps = gst_caps_new_simple ("video/x-h265", "stream-format", G_TYPE_STRING, "hvc1",
                                  "alignment", G_TYPE_STRING, "au", NULL);
      break;
    case VG_CODEC_MPEG4:
      caps = gst_caps_new_simple ("video/mpeg", "mpegversion", G_TYPE_INT, 4,
                                  "systemstream", G_TYPE_BOOLEAN, FALSE, NULL);
      break;
    case VG_CODEC_JPEG:
      caps = gst_caps_new_empty_simple ("image/jpeg");
      break;
    case VG_CODEC_AAC:
      caps = gst_caps_new_simple ("audio/mpeg", "mpegversion", G_TYPE_INT, 4,
                                  "stream-format", G_TYPE_STRING, "raw", NULL);
      break;
    case VG_CODEC_PCMA:
      caps = gst_caps_new_empty_simple ("audio/x-alaw");
      break;
    case VG_CODEC_PCMU:
      caps = gst_caps_new_empty_simple ("audio/x-mulaw");
      break;
    case VG_CODEC_G726:
    case VG_CODEC_NONE:
    default:
      return NULL;
    }
  if (vg_codec_is_video (info->codec))
    {
      if (info->width > 0 && info->height > 0)
        gst_caps_set_simple (caps, "width", G_TYPE_INT, (int) info->width,
                             "height", G_TYPE_INT, (int) info->height, NULL);
    }
  else
    gst_caps_set_simple (caps, "rate", G_TYPE_INT, (int) (info->sample_rate ? info->sample_rate : 8000),
                         "channels", G_TYPE_INT, (int) (info->channels ? info->channels : 1), NULL);
  if (info->codec_private)
    {
      g_autoptr(GstBuffer) data = gst_buffer_new_wrapped_bytes (info->codec_private);
      gst_caps_set_simple (caps, "codec_data", GST_TYPE_BUFFER, data, NULL);
    }
  return caps;
}

const char *
vg_relay_track_payloader (const VgTrackInfo *info)
{
  switch (info->codec)
    {
    case VG_CODEC_H264:
      return "rtph264pay";
    case VG_CODEC_H265:
      return "rtph265pay";
    case VG_CODEC_MPEG4:
      return "rtpmp4vpay";
    case VG_CODEC_JPEG:
      return "rtpjpegpay";
    case VG_CODEC_AAC:
      return "rtpmp4gpay";
    case VG_CODEC_PCMA:
      return "rtppcmapay";
    case VG_CODEC_PCMU:
      return "rtppcmupay";
    case VG_CODEC_G726:
    case VG_CODEC_NONE:
    default:
      return NULL;
    }
}

/* Timestamps */

static GstClockTime
running_time_now (VgRelayViewer *self)
{
  GstClock *clock = gst_element_get_clock (self->bin);
  GstClockTime now;

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;   /* not playing yet */
  now = gst_clock_get_time (clock) - gst_element_get_base_time (self->bin);
  gst_object_unref (clock);
  return now;
}

/* Cached units go out at once, one millisecond apart; live units keep the camera's
 * spacing from an anchor taken on the clock at the first of them. */
static GstClockTime
stamp (VgRelayViewer *self, Output *output, VgAccessUnit *unit, gboolean cached)
{
  GstClockTime now = running_time_now (self);
  GstClockTime pts;

  if (now == GST_CLOCK_TIME_NONE)
    pts = 0;
  else if (cached)
    pts = now;
  else
    {
      gint64 now_us = (gint64) (now / GST_USECOND);

      if (!self->anchored || ABS (unit->time_us - self->anchor_us - now_us) > ANCHOR_TOLERANCE_US)
        {
          self->anchor_us = unit->time_us - now_us;
          self->anchored = TRUE;
        }
      pts = (GstClockTime) MAX (unit->time_us - self->anchor_us, 0) * GST_USECOND;
    }
  if (output->last_pts != GST_CLOCK_TIME_NONE && pts < output->last_pts + MIN_STEP)
    pts = output->last_pts + MIN_STEP;
  output->last_pts = pts;
  return pts;
}

/* Hub callbacks (hub locked) */

static void
end_stream (VgRelayViewer *self)
{
  if (self->ended)
    return;
  self->ended = TRUE;
  for (guint i = 0; i < self->outputs->len; i++)
    if (g_array_index (self->outputs, Output, i).src)
      gst_app_src_end_of_stream (g_array_index (self->outputs, Output, i).src);
}

static void
viewer_tracks (gpointer user_data, VgTrackInfo **tracks, guint n_tracks)
{
  VgRelayViewer *self = user_data;

  if (n_tracks != self->outputs->len)
    {
      end_stream (self);
      return;
    }
  for (guint i = 0; i < n_tracks && !self->ended; i++)
    {
      Output *output = &g_array_index (self->outputs, Output, i);
      g_autoptr(GstCaps) caps = NULL;

      if (output->src == NULL)
        continue;
      if (tracks[i]->codec != output->codec || (caps = vg_relay_track_caps (tracks[i])) == NULL)
        {
          end_stream (self);
          return;
        }
      gst_app_src_set_caps (output->src, caps);
    }
}

static void
pending_free (Pending *pending)
{
  gst_buffer_unref (pending->buffer);
  g_free (pending);
}

/* Locked. How long the video waiting for this viewer spans. */
static gint64
pending_age_us (VgRelayViewer *self)
{
  gint64 first = -1, last = -1;

  for (GList *l = self->pending.head; l; l = l->next)
    {
      Pending *pending = l->data;

      if (!pending->video)
        continue;
      if (first < 0)
        first = pending->time_us;
      last = pending->time_us;
    }
  return first < 0 ? 0 : last - first;
}

/* Locked. */
static void
drop_pending (VgRelayViewer *self)
{
  Pending *pending;

  while ((pending = g_queue_pop_head (&self->pending)))
    {
      self->dropped++;
      pending_free (pending);
    }
  self->pending_bytes = 0;
}

/* Locked: into the appsrcs while they have room. */
static void
drain (VgRelayViewer *self)
{
  Pending *pending;

  while ((pending = g_queue_peek_head (&self->pending)))
    {
      Output *output = &g_array_index (self->outputs, Output, pending->output);

      if (gst_app_src_get_current_level_bytes (output->src) >= VG_RELAY_APPSRC_BYTES)
        break;
      g_queue_pop_head (&self->pending);
      self->pending_bytes -= gst_buffer_get_size (pending->buffer);
      gst_app_src_push_buffer (output->src, g_steal_pointer (&pending->buffer));
      g_free (pending);
    }
}

static void
need_data_cb (GstAppSrc *src, guint length, gpointer data)
{
  VgRelayViewer *self = data;

  g_mutex_lock (&self->lock);
  drain (self);
  g_mutex_unlock (&self->lock);
}

/* Whether this unit is left out for this viewer (hub locked). A viewer behind by more
 * than BEHIND_LIMIT_US loses what waits at the next keyframe; until a keyframe comes
 * after a loss, nothing is sent. */
static gboolean
drop_unit (VgRelayViewer *self, VgAccessUnit *unit, gboolean cached)
{
  gboolean video = vg_codec_is_video (unit->codec);

  if (video && unit->keyframe)
    {
      self->skipping = FALSE;
      if (!cached && (pending_age_us (self) > BEHIND_LIMIT_US || self->pending_bytes > MAX_PENDING_BYTES))
        {
          drop_pending (self);
          self->discont = TRUE;
        }
    }
  if (self->skipping || self->pending_bytes > MAX_PENDING_BYTES)
    {
      self->dropped++;
      return TRUE;
    }
  if (video && unit->codec == VG_CODEC_JPEG && self->max_fps > 0)
    {
      if (self->last_picture_us && unit->time_us - self->last_picture_us < G_USEC_PER_SEC / (gint64) self->max_fps - 2000)
        return TRUE;
      self->last_picture_us = unit->time_us;
    }
  return FALSE;
}

static GstBuffer *
wrap_unit (VgAccessUnit *unit)
{
  GstBuffer *buffer = gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, unit->data, unit->size,
                                                   0, unit->size, vg_access_unit_ref (unit),
                                                   (GDestroyNotify) vg_access_unit_unref);

  if (!unit->keyframe)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  if (unit->duration_us > 0)
    GST_BUFFER_DURATION (buffer) = (GstClockTime) unit->duration_us * GST_USECOND;
  return buffer;
}

static void
viewer_unit (gpointer user_data, VgAccessUnit *unit, gboolean cached)
{
  VgRelayViewer *self = user_data;
  Output *output;
  Pending *pending;

  if (self->ended || unit->track >= self->outputs->len)
    return;
  output = &g_array_index (self->outputs, Output, unit->track);
  if (output->codec != unit->codec)
    return;
  g_mutex_lock (&self->lock);
  if (!drop_unit (self, unit, cached))
    {
      pending = g_new0 (Pending, 1);
      pending->output = unit->track;
      pending->buffer = wrap_unit (unit);
      pending->time_us = unit->time_us;
      pending->video = vg_codec_is_video (unit->codec);
      GST_BUFFER_PTS (pending->buffer) = stamp (self, output, unit, cached);
      if (self->discont || unit->discont)
        GST_BUFFER_FLAG_SET (pending->buffer, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
      self->pending_bytes += unit->size;
      g_queue_push_tail (&self->pending, pending);
      drain (self);
    }
  g_mutex_unlock (&self->lock);
}

static void
viewer_lost (gpointer user_data)
{
  VgRelayViewer *self = user_data;

  g_mutex_lock (&self->lock);
  drop_pending (self);
  g_mutex_unlock (&self->lock);
  self->discont = TRUE;
  self->anchored = FALSE;
  self->skipping = TRUE;
}

static const VgHubViewerFuncs viewer_funcs = {
  viewer_tracks, viewer_unit, viewer_lost,
};

/* Life */

VgRelayViewer *
vg_relay_viewer_new (VgStreamHub *hub, GstElement *bin, GPtrArray *tracks, guint max_fps)
{
  VgRelayViewer *self = g_new0 (VgRelayViewer, 1);

  self->hub = g_object_ref (hub);
  self->bin = gst_object_ref (bin);
  self->max_fps = max_fps;
  self->outputs = g_array_new (FALSE, TRUE, sizeof (Output));
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  for (guint i = 0; i < tracks->len; i++)
    {
      const VgTrackInfo *info = tracks->pdata[i];
      g_autofree char *name = g_strdup_printf ("src%u", i);
      Output output = { NULL, info->codec, GST_CLOCK_TIME_NONE };
      GstElement *src = gst_bin_get_by_name (GST_BIN (bin), name);

      output.src = src ? GST_APP_SRC (src) : NULL;
      if (output.src == NULL)
        output.codec = VG_CODEC_NONE;   /* a track not relayed */
      else
        {
          g_object_set (src, "min-percent", 50, NULL);
          g_signal_connect (src, "need-data", G_CALLBACK (need_data_cb), self);
        }
      g_array_append_val (self->outputs, output);
    }
  return self;
}

void
vg_relay_viewer_start (VgRelayViewer *self)
{
  g_return_if_fail (self->viewer_id == 0);
  self->viewer_id = vg_stream_hub_add_viewer (self->hub, &viewer_funcs, self);
}

void
vg_relay_viewer_stop (VgRelayViewer *self)
{
  if (self->viewer_id == 0)
    return;
  vg_stream_hub_remove_viewer (self->hub, self->viewer_id);
  self->viewer_id = 0;
}

void
vg_relay_viewer_free (VgRelayViewer *self)
{
  if (self == NULL)
    return;
  vg_relay_viewer_stop (self);
  for (guint i = 0; i < self->outputs->len; i++)
    {
      Output *output = &g_array_index (self->outputs, Output, i);

      if (output->src)
        g_signal_handlers_disconnect_by_data (output->src, self);
      g_clear_object (&output->src);
    }
  g_mutex_lock (&self->lock);
  drop_pending (self);
  g_mutex_unlock (&self->lock);
  g_mutex_clear (&self->lock);
  g_array_unref (self->outputs);
  gst_object_unref (self->bin);
  g_object_unref (self->hub);
  g_free (self);
}
