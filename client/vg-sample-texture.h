/* vg-sample-texture.h: a decoded BGRA GstSample shown as a GdkTexture without a copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The frame's pixels, not copied: the texture keeps the buffer mapped. NULL unless the
 * sample is BGRA video. Main thread. */
GdkTexture *vg_texture_new_for_sample (GstSample *sample);

/* The texture's data (a cairo_surface_t sharing its pixels, without a copy) under this
 * key, when it was made by vg_texture_new_for_sample(). */
#define VG_TEXTURE_SURFACE_KEY "vg-texture-surface"

G_END_DECLS
