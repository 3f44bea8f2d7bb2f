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

G_END_DECLS
