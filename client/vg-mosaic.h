/* vg-mosaic.h: live video cells laid out on a grid (CLI-4, CLI-6, CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"
#include "vg-connection-list.h"
#include "vg-layout.h"
#include "vg-video-view.h"

G_BEGIN_DECLS

#define VG_TYPE_MOSAIC (vg_mosaic_get_type ())
G_DECLARE_FINAL_TYPE (VgMosaic, vg_mosaic, VG, MOSAIC, GtkWidget)

/**
 * VgMosaic:
 *
 * A VgVideoView per cell of a VgLayout; each cell shows a camera of a node of its own
 * (CLI-1: a cell is a connection and a camera). A click selects a cell; a camera
 * dropped on a cell (a VgCamera dragged from the camera tree, of any node of the
 * list given by vg_mosaic_set_connections()) goes there; typing a camera's number on
 * the keypad and Enter puts that camera of the selected cell's node (of the default
 * connection when the cell is empty) in the selected cell; a double click maximises a cell
 * and restores it. Changing the layout keeps the cameras in cell order. A secondary
 * click on a cell, the Menu key or Shift+F10 selects it and opens the cell menu (its
 * actions apply to the selected cell).
 *
 * Signal "camera-placed" (guint cell): the operator put a camera in a cell.
 */
GtkWidget   *vg_mosaic_new            (void);

/* The default node: the keypad's for an empty cell, and vg_mosaic_set_camera()'s and
 * vg_mosaic_fill()'s. Cells already showing a camera keep theirs. */
void         vg_mosaic_set_connection (VgMosaic *self, VgConnection *connection);
VgConnection *vg_mosaic_get_connection (VgMosaic *self);
/* The nodes whose cameras may be dropped on a cell. */
void         vg_mosaic_set_connections (VgMosaic *self, VgConnectionList *connections);
/* Empties the cells of this node (removed from the list). */
void         vg_mosaic_forget_connection (VgMosaic *self, VgConnection *connection);
void         vg_mosaic_set_layout     (VgMosaic *self, VgLayout *layout);
VgLayout    *vg_mosaic_get_layout     (VgMosaic *self);
guint        vg_mosaic_get_n_cells    (VgMosaic *self);
VgVideoView *vg_mosaic_get_view       (VgMosaic *self, guint index);
/* A camera of the default node, NULL to empty the cell. */
void         vg_mosaic_set_camera     (VgMosaic *self, guint index, VgCamera *camera);
/* A camera of this node, (NULL, NULL) to empty the cell. */
void         vg_mosaic_set_cell       (VgMosaic *self, guint index, VgConnection *connection,
                                       VgCamera *camera);
/* (nullable) the node of a cell's camera */
VgConnection *vg_mosaic_get_cell_connection (VgMosaic *self, guint index);
/* What a drop of camera on the cell does: the camera, of whichever node of the list
 * lists it, goes to the cell, selected; "camera-placed". FALSE when no node lists it. */
gboolean     vg_mosaic_drop_camera    (VgMosaic *self, guint index, VgCamera *camera);
/* Puts the cameras (a GListModel of VgCamera of the default node), in their order, in
 * the cells. */
void         vg_mosaic_fill           (VgMosaic *self, GListModel *cameras);
/* The same with the cameras of this node. */
void         vg_mosaic_fill_with      (VgMosaic *self, VgConnection *connection,
                                       GListModel *cameras);
gboolean     vg_mosaic_is_empty       (VgMosaic *self);

guint        vg_mosaic_get_selected   (VgMosaic *self);
void         vg_mosaic_select         (VgMosaic *self, guint index);
/* G_MAXUINT when no cell is maximised. */
guint        vg_mosaic_get_maximized  (VgMosaic *self);
void         vg_mosaic_toggle_maximized (VgMosaic *self, guint index);
/* The camera-number typing (keypad): a digit, Enter, Escape, BackSpace. TRUE if used. */
gboolean     vg_mosaic_handle_key     (VgMosaic *self, guint keyval);

/* The menu of a cell (actions of the window, for the selected cell). */
void         vg_mosaic_set_cell_menu  (VgMosaic *self, GMenuModel *menu);
/* (nullable) its popover */
GtkPopover  *vg_mosaic_get_cell_menu  (VgMosaic *self);
/* Selects cell index and opens the menu at (x, y) in the cell (its centre when
 * negative); FALSE without a menu. */
gboolean     vg_mosaic_popup_cell_menu (VgMosaic *self, guint index, double x, double y);

G_END_DECLS
