/* vg-window.h: the operator's main window: the nodes' cameras and the main area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection.h"
#include "vg-connection-list.h"
#include "vg-node-tree.h"
#include "vg-layout.h"
#include "vg-camera-page.h"
#include "vg-mosaic.h"
#include "vg-mosaic-cycle.h"
#include "vg-saved-mosaic.h"

G_BEGIN_DECLS

#define VG_TYPE_WINDOW (vg_window_get_type ())
G_DECLARE_FINAL_TYPE (VgWindow, vg_window, VG, WINDOW, AdwApplicationWindow)

/* The window shows the nodes of the application's VgConnectionList (of connection
 * alone when the application is not a VgApplication). connection: (nullable) the node
 * followed first (the mosaic fills with its cameras, its saved mosaics cycle; the
 * first node of the list when NULL); the window keeps a reference. settings:
 * (nullable) org.vigie.Vigie, for the window's size. */
VgWindow     *vg_window_new             (GtkApplication *application, VgConnection *connection,
                                         GSettings *settings);
/* The node followed first (see vg_window_new()). */
VgConnection *vg_window_get_connection  (VgWindow *self);
VgConnectionList *vg_window_get_connections (VgWindow *self);
VgNodeTree   *vg_window_get_node_tree   (VgWindow *self);
/* The camera (camera_id, or the selected cell's or list's camera for 0) in a live
 * window of its own (CLI-10); NULL when there is none. */
struct _VgLiveWindow *vg_window_open_live_window (VgWindow *self, gint64 camera_id);
/* Selects the camera of the first node with this id, now or as soon as it is listed. */
void          vg_window_select_camera   (VgWindow *self, gint64 camera_id);
VgCamera     *vg_window_get_selected_camera (VgWindow *self);
void          vg_window_show_error      (VgWindow *self, const char *message);
/* Shows a mosaic of this layout; while empty it takes the node's first cameras. */
void          vg_window_show_mosaic     (VgWindow *self, VgLayout *layout);
VgMosaic     *vg_window_get_mosaic      (VgWindow *self);
VgCameraPage *vg_window_get_camera_page (VgWindow *self);
VgMosaicCycle *vg_window_get_mosaic_cycle (VgWindow *self);
/* Shows a saved mosaic (its layout and cameras) in the mosaic; a running cycle stops. */
void          vg_window_open_saved_mosaic (VgWindow *self, VgSavedMosaic *mosaic);

G_END_DECLS
