/* vg-camera-page.h: the main area for one camera (its live video comes later)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"
#include "vg-video-view.h"

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_CAMERA_PAGE (vg_camera_page_get_type ())
G_DECLARE_FINAL_TYPE (VgCameraPage, vg_camera_page, VG, CAMERA_PAGE, GtkWidget)

GtkWidget *vg_camera_page_new        (void);
VgCamera  *vg_camera_page_get_camera (VgCameraPage *self);
void       vg_camera_page_set_camera (VgCameraPage *self, VgCamera *camera);
void       vg_camera_page_set_connection (VgCameraPage *self, VgConnection *connection);

VgVideoView *vg_camera_page_get_video_view (VgCameraPage *self);

G_END_DECLS
