/* vg-sample-texture.c: a decoded BGRA GstSample shown as a GdkTexture without a copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-sample-texture.h"

#include <gst/video/video.h>

static cairo_user_data_key_t bytes_key;

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
  GdkTexture *texture;
  cairo_surface_t *surface;
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
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                    bytes, stride);

  /* The same pixels as a cairo surface, for GTK's cairo renderer: GTK 4.8 copies a
   * texture into a cairo surface pixel by pixel through floats at every paint. */
  surface = cairo_image_surface_create_for_data ((unsigned char *) g_bytes_get_data (bytes, NULL),
                                                 CAIRO_FORMAT_ARGB32, width, height,
                                                 (int) stride);
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_set_user_data (surface, &bytes_key, g_bytes_ref (bytes),
                                   (cairo_destroy_func_t) g_bytes_unref);
      g_object_set_data_full (G_OBJECT (texture), VG_TEXTURE_SURFACE_KEY,
                              g_steal_pointer (&surface),
                              (GDestroyNotify) cairo_surface_destroy);
    }
  else
    cairo_surface_destroy (surface);

  return texture;
}
