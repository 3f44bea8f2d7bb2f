/* vg-video-paintable.c: a video frame drawn letterboxed or filled, with a zoom window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-video-paintable.h"
#include "vg-sample-texture.h"

#include <epoxy/gl.h>
#include <string.h>

struct _VgVideoPaintable
{
  GObject parent_instance;

  GdkTexture *texture;
  gboolean fill;
  graphene_rect_t window;    /* in frame fractions */
  GdkTexture *last_drawn;    /* not a reference: compared only */
  guint64 frames_drawn;
};

static void vg_video_paintable_paintable_init (GdkPaintableInterface *iface);

/* GTK renders with cairo (vg_video_paintable_choose_renderer() chose it) */
static gboolean cairo_renderer;

G_DEFINE_FINAL_TYPE_WITH_CODE (VgVideoPaintable, vg_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      vg_video_paintable_paintable_init))

void
vg_video_paintable_compute_frame_rect (int              frame_width,
                                       int              frame_height,
                                       double           width,
                                       double           height,
                                       gboolean         fill,
                                       graphene_rect_t *rect)
{
  double scale;

  if (fill || frame_width <= 0 || frame_height <= 0)
    {
      graphene_rect_init (rect, 0, 0, width, height);
      return;
    }

  scale = MIN (width / frame_width, height / frame_height);
  graphene_rect_init (rect,
                      (width - frame_width * scale) / 2,
                      (height - frame_height * scale) / 2,
                      frame_width * scale, frame_height * scale);
}

static void
vg_video_paintable_snapshot (GdkPaintable *paintable,
                             GdkSnapshot  *snapshot,
                             double        width,
                             double        height)
{
  VgVideoPaintable *self = VG_VIDEO_PAINTABLE (paintable);
  graphene_rect_t frame;
  graphene_rect_t bounds;
  cairo_surface_t *surface;

  if (self->texture == NULL)
    return;

  if (self->texture != self->last_drawn)
    {
      self->last_drawn = self->texture;
      self->frames_drawn++;
    }

  vg_video_paintable_compute_frame_rect (gdk_texture_get_width (self->texture),
                                         gdk_texture_get_height (self->texture),
                                         width, height, self->fill, &frame);

  /* The whole texture, scaled so that the zoom window covers the frame rectangle. */
  graphene_rect_init (&bounds,
                      frame.origin.x - self->window.origin.x / self->window.size.width * frame.size.width,
                      frame.origin.y - self->window.origin.y / self->window.size.height * frame.size.height,
                      frame.size.width / self->window.size.width,
                      frame.size.height / self->window.size.height);

  gtk_snapshot_push_clip (snapshot, &frame);
  surface = cairo_renderer ? g_object_get_data (G_OBJECT (self->texture), VG_TEXTURE_SURFACE_KEY)
                           : NULL;
  if (surface != NULL)
    {
      /* Drawn by pixman straight from the frame's memory (see vg-sample-texture.c) */
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);

      cairo_translate (cr, bounds.origin.x, bounds.origin.y);
      cairo_scale (cr, bounds.size.width / gdk_texture_get_width (self->texture),
                   bounds.size.height / gdk_texture_get_height (self->texture));
      cairo_set_source_surface (cr, surface, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  else
    gtk_snapshot_append_texture (snapshot, self->texture, &bounds);
  gtk_snapshot_pop (snapshot);
}

static int
vg_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  VgVideoPaintable *self = VG_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
vg_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  VgVideoPaintable *self = VG_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static void
vg_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = vg_video_paintable_snapshot;
  iface->get_intrinsic_width = vg_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = vg_video_paintable_get_intrinsic_height;
}

VgVideoPaintable *
vg_video_paintable_new (void)
{
  return g_object_new (VG_TYPE_VIDEO_PAINTABLE, NULL);
}

void
vg_video_paintable_set_texture (VgVideoPaintable *self,
                                GdkTexture       *texture)
{
  gboolean size_changed;

  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (self->texture == texture)
    return;

  size_changed = self->texture == NULL || texture == NULL ||
                 gdk_texture_get_width (self->texture) != gdk_texture_get_width (texture) ||
                 gdk_texture_get_height (self->texture) != gdk_texture_get_height (texture);

  g_set_object (&self->texture, texture);

  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

GdkTexture *
vg_video_paintable_get_texture (VgVideoPaintable *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture;
}

void
vg_video_paintable_set_fill (VgVideoPaintable *self,
                             gboolean          fill)
{
  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));

  if (self->fill == !!fill)
    return;

  self->fill = !!fill;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

gboolean
vg_video_paintable_get_fill (VgVideoPaintable *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_PAINTABLE (self), FALSE);

  return self->fill;
}

double
vg_video_paintable_get_zoom (VgVideoPaintable *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_PAINTABLE (self), 1.0);

  return 1.0 / self->window.size.width;
}

void
vg_video_paintable_get_window (VgVideoPaintable *self,
                               graphene_rect_t  *window)
{
  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (window != NULL);

  *window = self->window;
}

/* Keeps the window inside the frame. */
static void
vg_video_paintable_set_window (VgVideoPaintable *self,
                               double            x,
                               double            y,
                               double            size)
{
  size = CLAMP (size, 1.0 / VG_VIDEO_PAINTABLE_ZOOM_MAX, 1.0);
  x = CLAMP (x, 0.0, 1.0 - size);
  y = CLAMP (y, 0.0, 1.0 - size);

  if (graphene_rect_equal (&self->window, &GRAPHENE_RECT_INIT (x, y, size, size)))
    return;

  graphene_rect_init (&self->window, x, y, size, size);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/* A point of the area in frame fractions, zoom aside. */
static void
area_to_frame (VgVideoPaintable *self,
               double            x,
               double            y,
               double            width,
               double            height,
               double           *fx,
               double           *fy)
{
  graphene_rect_t frame;

  vg_video_paintable_compute_frame_rect (self->texture != NULL ? gdk_texture_get_width (self->texture) : 0,
                                         self->texture != NULL ? gdk_texture_get_height (self->texture) : 0,
                                         width, height, self->fill, &frame);
  *fx = frame.size.width > 0 ? CLAMP ((x - frame.origin.x) / frame.size.width, 0.0, 1.0) : 0.5;
  *fy = frame.size.height > 0 ? CLAMP ((y - frame.origin.y) / frame.size.height, 0.0, 1.0) : 0.5;
}

void
vg_video_paintable_zoom_at (VgVideoPaintable *self,
                            double            factor,
                            double            x,
                            double            y,
                            double            width,
                            double            height)
{
  double fx;
  double fy;
  double point_x;
  double point_y;
  double size;

  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (factor > 0);

  area_to_frame (self, x, y, width, height, &fx, &fy);
  /* The frame point under (x, y) */
  point_x = self->window.origin.x + fx * self->window.size.width;
  point_y = self->window.origin.y + fy * self->window.size.height;
  size = CLAMP (self->window.size.width / factor, 1.0 / VG_VIDEO_PAINTABLE_ZOOM_MAX, 1.0);

  vg_video_paintable_set_window (self, point_x - fx * size, point_y - fy * size, size);
}

void
vg_video_paintable_pan (VgVideoPaintable *self,
                        double            dx,
                        double            dy,
                        double            width,
                        double            height)
{
  graphene_rect_t frame;

  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));

  vg_video_paintable_compute_frame_rect (self->texture != NULL ? gdk_texture_get_width (self->texture) : 0,
                                         self->texture != NULL ? gdk_texture_get_height (self->texture) : 0,
                                         width, height, self->fill, &frame);
  if (frame.size.width <= 0 || frame.size.height <= 0)
    return;

  /* Dragging the picture right shows what is on its left. */
  vg_video_paintable_set_window (self,
                                 self->window.origin.x - dx / frame.size.width * self->window.size.width,
                                 self->window.origin.y - dy / frame.size.height * self->window.size.height,
                                 self->window.size.width);
}

void
vg_video_paintable_reset_zoom (VgVideoPaintable *self)
{
  g_return_if_fail (VG_IS_VIDEO_PAINTABLE (self));

  vg_video_paintable_set_window (self, 0, 0, 1);
}

guint64
vg_video_paintable_get_frames_drawn (VgVideoPaintable *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_PAINTABLE (self), 0);

  return self->frames_drawn;
}

const char *
vg_video_paintable_choose_renderer (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *renderer = NULL;

  if (display == NULL)
    return NULL;
  if (g_getenv ("GSK_RENDERER") != NULL)
    {
      cairo_renderer = g_str_equal (g_getenv ("GSK_RENDERER"), "cairo");
      return NULL;
    }

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL (%s): GTK chooses its renderer", error->message);
      return NULL;
    }

  gdk_gl_context_make_current (context);
  renderer = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  g_debug ("OpenGL renderer: %s", renderer != NULL ? renderer : "unknown");

  if (renderer == NULL ||
      (strstr (renderer, "llvmpipe") == NULL && strstr (renderer, "softpipe") == NULL &&
       strstr (renderer, "Software Rasterizer") == NULL))
    return NULL;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  cairo_renderer = TRUE;
  return "cairo";
}

static void
vg_video_paintable_dispose (GObject *object)
{
  VgVideoPaintable *self = VG_VIDEO_PAINTABLE (object);

  g_clear_object (&self->texture);
  self->last_drawn = NULL;

  G_OBJECT_CLASS (vg_video_paintable_parent_class)->dispose (object);
}

static void
vg_video_paintable_class_init (VgVideoPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vg_video_paintable_dispose;
}

static void
vg_video_paintable_init (VgVideoPaintable *self)
{
  graphene_rect_init (&self->window, 0, 0, 1, 1);
}
