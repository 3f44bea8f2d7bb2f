/* vg-video-paintable.h: a video frame drawn letterboxed or filled, with a zoom window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VG_VIDEO_PAINTABLE_ZOOM_MAX 16.0

#define VG_TYPE_VIDEO_PAINTABLE (vg_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (VgVideoPaintable, vg_video_paintable, VG, VIDEO_PAINTABLE, GObject)

/**
 * VgVideoPaintable:
 *
 * Draws the newest frame (a GdkTexture), keeping its aspect ratio (letterbox) or
 * filling the area, and shows only the zoom window: a part of the frame in frame
 * fractions, (0, 0, 1, 1) when not zoomed. Its contents change only with a new frame
 * or a new zoom window, and its size only with the frame's.
 */
VgVideoPaintable *vg_video_paintable_new          (void);

void              vg_video_paintable_set_texture  (VgVideoPaintable *self, GdkTexture *texture);
GdkTexture       *vg_video_paintable_get_texture  (VgVideoPaintable *self);
void              vg_video_paintable_set_fill     (VgVideoPaintable *self, gboolean fill);
gboolean          vg_video_paintable_get_fill     (VgVideoPaintable *self);

/* 1 = the whole frame. */
double            vg_video_paintable_get_zoom     (VgVideoPaintable *self);
/* Zooms by factor (clamped to 1–16) keeping the frame point under (x, y), a position
 * in an area of width × height, where it was. */
void              vg_video_paintable_zoom_at      (VgVideoPaintable *self, double factor,
                                                   double x, double y,
                                                   double width, double height);
/* Moves the zoom window by (dx, dy) area pixels of an area of width × height. */
void              vg_video_paintable_pan          (VgVideoPaintable *self, double dx, double dy,
                                                   double width, double height);
void              vg_video_paintable_reset_zoom   (VgVideoPaintable *self);
void              vg_video_paintable_get_window   (VgVideoPaintable *self, graphene_rect_t *window);

/* Where the frame lands in an area of width × height, zoom aside (pure; for tests). */
void              vg_video_paintable_compute_frame_rect (int frame_width, int frame_height,
                                                         double width, double height,
                                                         gboolean fill,
                                                         graphene_rect_t *rect);
/* Textures drawn, counted once each (for benchmarks). */
guint64           vg_video_paintable_get_frames_drawn (VgVideoPaintable *self);

/* Without a GPU (OpenGL is Mesa's llvmpipe, softpipe or swrast), GTK's GL renderer
 * rasterises every paint in software, which costs a mosaic several times what the cairo
 * renderer does (docs/benchmarks.md): the cairo renderer is chosen then, through
 * GSK_RENDERER, unless GSK_RENDERER is set already. To be called once a display is
 * open and before the first window is realised. Returns the renderer chosen, or NULL
 * when GTK chooses. */
const char       *vg_video_paintable_choose_renderer (void);

G_END_DECLS
