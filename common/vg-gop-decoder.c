/* vg-gop-decoder.c: groups of pictures decoded by one pipeline, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-gop-decoder.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

/* A frame that takes longer than this to come out means the decoder is stuck. */
#define PULL_TIMEOUT (5 * GST_SECOND)
/* After the frame asked for, the frames decoded so far go to the caller this often
 * (playing on while the rest of the group is decoded). */
#define POST_INTERVAL_US (80 * 1000)

static void
decoded_frame_clear (gpointer data)
{
  VgDecodedFrame *frame = data;

  g_clear_pointer (&frame->sample, gst_sample_unref);
}

void
vg_decoded_gop_free (VgDecodedGop *gop)
{
  if (gop == NULL)
    return;
  g_array_unref (gop->frames);
  g_free (gop);
}

const VgDecodedFrame *
vg_decoded_gop_get (const VgDecodedGop *gop,
                    guint               i)
{
  g_return_val_if_fail (gop != NULL && i < gop->frames->len, NULL);

  return &g_array_index (gop->frames, VgDecodedFrame, i);
}

int
vg_decoded_gop_find (const VgDecodedGop *gop,
                     gint64              time_us)
{
  int found = gop->frames->len > 0 ? 0 : -1;

  for (guint i = 0; i < gop->frames->len; i++)
    {
      if (vg_decoded_gop_get (gop, i)->time_us > time_us)
        break;
      found = (int) i;
    }
  return found;
}

GstCaps *
vg_gop_decoder_caps_for_track (const VgMkvTrack *track)
{
  GstCaps *caps = NULL;

  g_return_val_if_fail (track != NULL, NULL);

  if (g_strcmp0 (track->codec_id, "V_MPEG4/ISO/AVC") == 0)
    caps = gst_caps_new_simple ("video/x-h264", "stream-format", G_TYPE_STRING, "avc",
                                "alignment", G_TYPE_STRING, "au", NULL);
  else if (g_strcmp0 (track->codec_id, "V_MPEGH/ISO/HEVC") == 0)
    caps = gst_caps_new_simple ("video/x-h265", "stream-format", G_TYPE_STRING, "hvc1",
                                "alignment", G_TYPE_STRING, "au", NULL);
  else if (g_strcmp0 (track->codec_id, "V_MPEG4/ISO/ASP") == 0)
    caps = gst_caps_new_simple ("video/mpeg", "mpegversion", G_TYPE_INT, 4,
                                "systemstream", G_TYPE_BOOLEAN, FALSE, NULL);
  else if (g_strcmp0 (track->codec_id, "V_MJPEG") == 0)
    caps = gst_caps_new_empty_simple ("image/jpeg");
  if (caps == NULL)
    return NULL;

  if (track->codec_private != NULL && g_bytes_get_size (track->codec_private) > 0)
    {
      g_autoptr(GstBuffer) codec_data = gst_buffer_new_wrapped_bytes (track->codec_private);

      gst_caps_set_simple (caps, "codec_data", GST_TYPE_BUFFER, codec_data, NULL);
    }
  if (track->width > 0 && track->height > 0)
    gst_caps_set_simple (caps, "width", G_TYPE_INT, (int) track->width,
                         "height", G_TYPE_INT, (int) track->height, NULL);
  return caps;
}

struct _VgGopDecoder
{
  GObject     parent_instance;

  /* Held by the worker thread decoding; the fields below are only touched under it. */
  GMutex      lock;
  GstElement *pipeline;
  GstCaps    *caps;
  gboolean    used;      /* a group went through: rewind before the next */
};

G_DEFINE_FINAL_TYPE (VgGopDecoder, vg_gop_decoder, G_TYPE_OBJECT)

typedef struct
{
  GstCaps                *caps;
  GPtrArray              *blocks;
  gint64                  base_us;
  gint64                  target_us;
  VgGopDecoderTargetFunc  target_func;
  gpointer                user_data;
} DecodeJob;

static void
decode_job_free (gpointer data)
{
  DecodeJob *job = data;

  gst_caps_unref (job->caps);
  g_ptr_array_unref (job->blocks);
  g_free (job);
}

/* The pipeline */

static gboolean
seek_data_cb (GstAppSrc *src G_GNUC_UNUSED,
              guint64    offset G_GNUC_UNUSED,
              gpointer   user_data G_GNUC_UNUSED)
{
  /* Rewinding only: the next group is pushed after the seek. */
  return TRUE;
}

static GstElement *
build_pipeline (GstCaps  *caps,
                GError  **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;

  /* Frames are kept as decoded (I420 for most cameras): converted to BGRA only when
   * shown (VgFrameConverter), a third of the memory for the groups in the cache. */
  pipeline = gst_parse_launch ("appsrc name=src format=time is-live=false stream-type=seekable ! decodebin"
                               " ! appsink name=sink sync=false caps=video/x-raw", error);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  g_signal_connect (src, "seek-data", G_CALLBACK (seek_data_cb), NULL);
  return g_steal_pointer (&pipeline);
}

static void
drop_pipeline (VgGopDecoder *self)
{
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->pipeline);
  g_clear_pointer (&self->caps, gst_caps_unref);
  self->used = FALSE;
}

/* A flushing seek back to zero: the decoder forgets the last group and its end of
 * stream, and takes the next group. */
static gboolean
rewind_pipeline (VgGopDecoder *self)
{
  if (!self->used)
    return TRUE;
  if (!gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH, 0))
    return FALSE;
  self->used = FALSE;
  return TRUE;
}

static gboolean
prepare_pipeline (VgGopDecoder  *self,
                  GstCaps       *caps,
                  GError       **error)
{
  if (self->pipeline != NULL && gst_caps_is_equal (caps, self->caps) && rewind_pipeline (self))
    return TRUE;
  drop_pipeline (self);
  self->pipeline = build_pipeline (caps, error);
  if (self->pipeline == NULL)
    return FALSE;
  self->caps = gst_caps_ref (caps);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      drop_pipeline (self);
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE, "The decoder did not start");
      return FALSE;
    }
  return TRUE;
}

static void
push_blocks (GstAppSrc *src,
             GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      const VgMkvBlock *block = g_ptr_array_index (blocks, i);
      GstBuffer *buffer = gst_buffer_new_wrapped_bytes (block->data);

      GST_BUFFER_PTS (buffer) = (GstClockTime) MAX (block->time_ns, 0);
      if (!block->keyframe)
        GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
      gst_app_src_push_buffer (src, buffer);
    }
  gst_app_src_end_of_stream (src);
}

static gboolean
bus_error (GstElement  *pipeline,
           GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (message == NULL)
    return FALSE;
  gst_message_parse_error (message, error, NULL);
  return TRUE;
}

/* The frame asked for */

/* The time of the block shown at target_us: the last one at or before it (the first
 * when all are later); G_MAXUINT64 when there is only one block. */
static GstClockTime
target_pts (GPtrArray *blocks,
            gint64     base_us,
            gint64     target_us)
{
  guint found = 0;

  for (guint i = 0; i < blocks->len; i++)
    {
      const VgMkvBlock *block = g_ptr_array_index (blocks, i);

      if (base_us + MAX (block->time_ns, 0) / 1000 > target_us)
        break;
      found = i;
    }
  if (blocks->len < 2)
    return G_MAXUINT64;
  return (GstClockTime) MAX (((const VgMkvBlock *) g_ptr_array_index (blocks, found))->time_ns, 0);
}

typedef struct
{
  VgGopDecoderTargetFunc  func;
  VgDecodedGop           *partial;
  gpointer                user_data;
} TargetCall;

static gboolean
target_call_dispatch (gpointer data)
{
  TargetCall *call = data;

  call->func (g_steal_pointer (&call->partial), call->user_data);
  return G_SOURCE_REMOVE;
}

static void
target_call_free (gpointer data)
{
  TargetCall *call = data;

  g_clear_pointer (&call->partial, vg_decoded_gop_free);
  g_free (call);
}

static VgDecodedGop *
decoded_gop_new (void)
{
  VgDecodedGop *gop = g_new0 (VgDecodedGop, 1);

  gop->frames = g_array_new (FALSE, FALSE, sizeof (VgDecodedFrame));
  g_array_set_clear_func (gop->frames, decoded_frame_clear);
  return gop;
}

/* A decoded frame as it is, with its UTC time. Our own sample: appsink changes the
 * caps of the one it hands out when the rewound pipeline negotiates again, which it
 * must not while the cache holds it. */
static void
keep_frame (GstSample      *raw,
            gint64          base_us,
            VgDecodedFrame *frame)
{
  GstBuffer *buffer = gst_sample_get_buffer (raw);

  frame->time_us = base_us + (gint64) (GST_BUFFER_PTS (buffer) / 1000);
  frame->sample = gst_sample_new (buffer, gst_sample_get_caps (raw), NULL, NULL);
}

/* The frames so far, to the caller's main context. */
static void
post_frames (GTask        *task,
             DecodeJob    *job,
             VgDecodedGop *gop)
{
  TargetCall *call = g_new0 (TargetCall, 1);

  call->func = job->target_func;
  call->user_data = job->user_data;
  call->partial = decoded_gop_new ();
  call->partial->bytes = gop->bytes;
  for (guint i = 0; i < gop->frames->len; i++)
    {
      VgDecodedFrame frame = *vg_decoded_gop_get (gop, i);

      frame.sample = gst_sample_ref (frame.sample);
      g_array_append_val (call->partial->frames, frame);
    }
  g_main_context_invoke_full (g_task_get_context (task), g_task_get_priority (task),
                              target_call_dispatch, call, target_call_free);
}

/* What pull_frames() does with each decoded frame. */
typedef struct
{
  GTask        *task;
  DecodeJob    *job;
  VgDecodedGop *gop;
  GstClockTime  target;      /* G_MAXUINT64: reached, or none asked for */
  gint64        posted_at;   /* monotonic; 0: nothing posted */
} Pull;

/* Each frame is kept as decoded; the frames so far go to the caller as soon as the
 * one asked for is there (PLAY-5), then every POST_INTERVAL_US. */
static void
take_frame (Pull      *pull,
            GstSample *raw)
{
  GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (raw));
  VgDecodedFrame frame;

  keep_frame (raw, pull->job->base_us, &frame);
  pull->gop->bytes += gst_buffer_get_size (gst_sample_get_buffer (frame.sample));
  g_array_append_val (pull->gop->frames, frame);
  if (pull->target != G_MAXUINT64 && pts >= pull->target)
    {
      post_frames (pull->task, pull->job, pull->gop);
      pull->posted_at = g_get_monotonic_time ();
      pull->target = G_MAXUINT64;
    }
  else if (pull->posted_at != 0 && g_get_monotonic_time () - pull->posted_at >= POST_INTERVAL_US)
    {
      post_frames (pull->task, pull->job, pull->gop);
      pull->posted_at = g_get_monotonic_time ();
    }
}

static gboolean
pull_frames (VgGopDecoder  *self,
             GTask         *task,
             DecodeJob     *job,
             VgDecodedGop  *gop,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  Pull pull = { task, job, gop, G_MAXUINT64, 0 };

  if (job->target_func != NULL)
    pull.target = target_pts (job->blocks, job->base_us, job->target_us);

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PULL_TIMEOUT);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            return TRUE;
          if (!bus_error (self->pipeline, error))
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The decoder is stuck");
          return FALSE;
        }
      take_frame (&pull, sample);
    }
}

static VgDecodedGop *
decode_locked (VgGopDecoder  *self,
               GTask         *task,
               DecodeJob     *job,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(VgDecodedGop) gop = decoded_gop_new ();
  g_autoptr(GstElement) src = NULL;
  gint64 started = g_get_monotonic_time ();

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!prepare_pipeline (self, job->caps, error))
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (self->pipeline), "src");
  self->used = TRUE;
  push_blocks (GST_APP_SRC (src), job->blocks);
  if (!pull_frames (self, task, job, gop, cancellable, error))
    {
      /* Cancelled: forget the rest of the group now rather than decode it for nothing. */
      if (!g_cancellable_is_cancelled (cancellable) || !rewind_pipeline (self))
        drop_pipeline (self);
      return NULL;
    }
  gop->complete = TRUE;
  gop->decode_us = g_get_monotonic_time () - started;
  return g_steal_pointer (&gop);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VgGopDecoder *self = source_object;
  GError *error = NULL;
  VgDecodedGop *gop;

  g_mutex_lock (&self->lock);
  gop = decode_locked (self, task, task_data, cancellable, &error);
  g_mutex_unlock (&self->lock);
  if (gop == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gop, (GDestroyNotify) vg_decoded_gop_free);
}

VgGopDecoder *
vg_gop_decoder_new (void)
{
  return g_object_new (VG_TYPE_GOP_DECODER, NULL);
}

void
vg_gop_decoder_decode_async (VgGopDecoder           *self,
                             GstCaps                *caps,
                             GPtrArray              *blocks,
                             gint64                  base_us,
                             gint64                  target_us,
                             VgGopDecoderTargetFunc  target_func,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  DecodeJob *job;

  g_return_if_fail (VG_IS_GOP_DECODER (self));
  g_return_if_fail (GST_IS_CAPS (caps));
  g_return_if_fail (blocks != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  job = g_new0 (DecodeJob, 1);
  job->caps = gst_caps_ref (caps);
  job->blocks = g_ptr_array_ref (blocks);
  job->base_us = base_us;
  job->target_us = target_us;
  job->target_func = target_func;
  job->user_data = user_data;
  g_task_set_source_tag (task, vg_gop_decoder_decode_async);
  g_task_set_task_data (task, job, decode_job_free);
  g_task_run_in_thread (task, decode_thread);
}

VgDecodedGop *
vg_gop_decoder_decode_finish (VgGopDecoder  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject: worker threads hold a reference, so finalize runs once none is decoding. */

static void
vg_gop_decoder_finalize (GObject *object)
{
  VgGopDecoder *self = VG_GOP_DECODER (object);

  drop_pipeline (self);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (vg_gop_decoder_parent_class)->finalize (object);
}

static void
vg_gop_decoder_class_init (VgGopDecoderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_gop_decoder_finalize;
}

static void
vg_gop_decoder_init (VgGopDecoder *self)
{
  g_mutex_init (&self->lock);
}
