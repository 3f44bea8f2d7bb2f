/* vg-sample-texture.c: a decoded BGRA GstSample shown as a GdkTexture without a copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-sample-texture.h"

#include <gst/video/video.h>

static void
video_frame_free (gpointer data)
{
  GstVideoFrame *frame = data;

  gst_video_frame_unmap (frame);
  g_free (frame);
}

GdkTexture *
vg_texture_new_for_sample (GstSample *sample)
{
  g_autofree GstVideoFrame *frame = g_new0 (GstVideoFrame, 1);
  g_autoptr(GBytes) bytes = NULL;
  GstVideoInfo info;
  gsize stride;
  int width;
  int height;

  g_return_val_if_fail (GST_IS_SAMPLE (sample), NULL);

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA ||
      !gst_video_frame_map (frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return NULL;

  width = GST_VIDEO_FRAME_WIDTH (frame);
  height = GST_VIDEO_FRAME_HEIGHT (frame);
  stride = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (frame, 0),
                                      stride * (gsize) (height - 1) + (gsize) width * 4,
                                      video_frame_free, frame);
  g_steal_pointer (&frame);

  /* BGRA in memory with opaque alpha: GDK's native format, uploaded as it is. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                 bytes, stride);
}
