/* vg-gop-decoder.c: a group of pictures decoded at once into raw frames, off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-gop-decoder.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

/* A frame that takes longer than this to come out means the decoder is stuck. */
#define PULL_TIMEOUT (5 * GST_SECOND)

typedef struct
{
  GstCaps   *caps;
  GPtrArray *blocks;
  gint64     base_us;
} DecodeJob;

static void
decode_job_free (gpointer data)
{
  DecodeJob *job = data;

  gst_caps_unref (job->caps);
  g_ptr_array_unref (job->blocks);
  g_free (job);
}

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

static GstElement *
build_pipeline (GstCaps  *caps,
                GError  **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;

  pipeline = gst_parse_launch ("appsrc name=src format=time is-live=false ! decodebin"
                               " ! videoconvert ! video/x-raw,format=" VG_GOP_DECODER_FORMAT
                               " ! appsink name=sink sync=false", error);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  return g_steal_pointer (&pipeline);
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

static gboolean
pull_frames (GstElement    *pipeline,
             VgDecodedGop  *gop,
             gint64         base_us,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PULL_TIMEOUT);
      GstBuffer *buffer;
      VgDecodedFrame frame;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            return TRUE;
          if (!bus_error (pipeline, error))
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The decoder is stuck");
          return FALSE;
        }
      buffer = gst_sample_get_buffer (sample);
      frame.time_us = base_us + (gint64) (GST_BUFFER_PTS (buffer) / 1000);
      gop->bytes += gst_buffer_get_size (buffer);
      frame.sample = g_steal_pointer (&sample);
      g_array_append_val (gop->frames, frame);
    }
}

static void
decode_thread (GTask        *task,
               gpointer      source_object G_GNUC_UNUSED,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(VgDecodedGop) gop = g_new0 (VgDecodedGop, 1);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean ok;

  gop->frames = g_array_new (FALSE, FALSE, sizeof (VgDecodedFrame));
  g_array_set_clear_func (gop->frames, decoded_frame_clear);

  pipeline = build_pipeline (job->caps, &error);
  if (pipeline == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  push_blocks (GST_APP_SRC (src), job->blocks);
  ok = pull_frames (pipeline, gop, job->base_us, cancellable, &error);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  gop->decode_us = g_get_monotonic_time () - started;
  g_task_return_pointer (task, g_steal_pointer (&gop), (GDestroyNotify) vg_decoded_gop_free);
}

void
vg_gop_decoder_decode_async (GstCaps             *caps,
                             GPtrArray           *blocks,
                             gint64               base_us,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DecodeJob *job = g_new0 (DecodeJob, 1);

  g_return_if_fail (GST_IS_CAPS (caps));
  g_return_if_fail (blocks != NULL);

  job->caps = gst_caps_ref (caps);
  job->blocks = g_ptr_array_ref (blocks);
  job->base_us = base_us;
  g_task_set_source_tag (task, vg_gop_decoder_decode_async);
  g_task_set_task_data (task, job, decode_job_free);
  g_task_run_in_thread (task, decode_thread);
}

VgDecodedGop *
vg_gop_decoder_decode_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
