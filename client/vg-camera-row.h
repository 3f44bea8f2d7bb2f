/* vg-camera-row.h: a camera in the sidebar list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"

G_BEGIN_DECLS

#define VG_TYPE_CAMERA_ROW (vg_camera_row_get_type ())
G_DECLARE_FINAL_TYPE (VgCameraRow, vg_camera_row, VG, CAMERA_ROW, GtkWidget)

GtkWidget *vg_camera_row_new        (void);
VgCamera  *vg_camera_row_get_camera (VgCameraRow *self);
void       vg_camera_row_set_camera (VgCameraRow *self, VgCamera *camera);
/* The camera's node, whose word on the camera's streams the icon shows (CLI-2). */
void       vg_camera_row_set_connection (VgCameraRow *self, VgConnection *connection);

G_END_DECLS
