/* vg-frame-converter.c: decoded video frames converted to BGRA when they are shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-frame-converter.h"

#include <gst/video/video.h>

struct _VgFrameConverter
{
  GstVideoConverter *converter;   /* in_info → out_info */
  GstVideoInfo       in_info;
  GstVideoInfo       out_info;
  GstCaps           *out_caps;
};

VgFrameConverter *
vg_frame_converter_new (void)
{
  return g_new0 (VgFrameConverter, 1);
}

void
vg_frame_converter_free (VgFrameConverter *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->converter, gst_video_converter_free);
  g_clear_pointer (&self->out_caps, gst_caps_unref);
  g_free (self);
}

static gboolean
ensure_converter (VgFrameConverter  *self,
                  GstSample         *raw,
                  GError           **error)
{
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (raw)))
    {
      g_set_error_literal (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT, "The decoder gave no raw video");
      return FALSE;
    }
  if (self->converter != NULL && gst_video_info_is_equal (&info, &self->in_info))
    return TRUE;
  g_clear_pointer (&self->converter, gst_video_converter_free);
  g_clear_pointer (&self->out_caps, gst_caps_unref);
  self->in_info = info;
  gst_video_info_set_format (&self->out_info, GST_VIDEO_FORMAT_BGRA, (guint) info.width, (guint) info.height);
  GST_VIDEO_INFO_FPS_N (&self->out_info) = GST_VIDEO_INFO_FPS_N (&info);
  GST_VIDEO_INFO_FPS_D (&self->out_info) = GST_VIDEO_INFO_FPS_D (&info);
  GST_VIDEO_INFO_PAR_N (&self->out_info) = GST_VIDEO_INFO_PAR_N (&info);
  GST_VIDEO_INFO_PAR_D (&self->out_info) = GST_VIDEO_INFO_PAR_D (&info);
  self->out_caps = gst_video_info_to_caps (&self->out_info);
  self->converter = gst_video_converter_new (&self->in_info, &self->out_info,
                                             gst_structure_new ("options",
                                                                GST_VIDEO_CONVERTER_OPT_THREADS, G_TYPE_UINT,
                                                                (guint) MAX (g_get_num_processors (), 1),
                                                                NULL));
  if (self->converter == NULL)
    {
      g_set_error_literal (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT, "The decoded video cannot be converted");
      return FALSE;
    }
  return TRUE;
}

GstSample *
vg_frame_converter_convert (VgFrameConverter  *self,
                            GstSample         *raw,
                            GError           **error)
{
  GstBuffer *in;
  g_autoptr(GstBuffer) out = NULL;
  GstVideoFrame in_frame;
  GstVideoFrame out_frame;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (GST_IS_SAMPLE (raw), NULL);

  if (!ensure_converter (self, raw, error))
    return NULL;
  in = gst_sample_get_buffer (raw);
  out = gst_buffer_new_allocate (NULL, self->out_info.size, NULL);
  if (!gst_video_frame_map (&in_frame, &self->in_info, in, GST_MAP_READ))
    {
      g_set_error_literal (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE, "A decoded frame cannot be read");
      return NULL;
    }
  if (!gst_video_frame_map (&out_frame, &self->out_info, out, GST_MAP_WRITE))
    {
      gst_video_frame_unmap (&in_frame);
      g_set_error_literal (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE, "No memory for a frame");
      return NULL;
    }
  gst_video_converter_frame (self->converter, &in_frame, &out_frame);
  gst_video_frame_unmap (&out_frame);
  gst_video_frame_unmap (&in_frame);
  GST_BUFFER_PTS (out) = GST_BUFFER_PTS (in);
  return gst_sample_new (out, self->out_caps, NULL, NULL);
}
