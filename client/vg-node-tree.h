/* vg-node-tree.h: the camera tree: nodes and their cameras, searched as typed (CLI-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection-list.h"

G_BEGIN_DECLS

#define VG_TYPE_NODE_TREE (vg_node_tree_get_type ())
G_DECLARE_FINAL_TYPE (VgNodeTree, vg_node_tree, VG, NODE_TREE, GtkWidget)

/**
 * VgNodeTree:
 *
 * A scrolled list of the nodes of a VgConnectionList (VgNodeRow), each expanding to
 * its cameras sorted by name (VgCameraRow, dragged onto a mosaic cell). The search
 * keeps, under every node, the cameras whose name holds the text. Only cameras are
 * selected; the selection tells the camera and its node.
 *
 * Signals: "changed", rows came or went (nodes, cameras, the search);
 * "selection-changed", another camera (or none) is selected.
 */
GtkWidget    *vg_node_tree_new            (void);

void          vg_node_tree_set_connections (VgNodeTree *self, VgConnectionList *connections);
/* text: NULL or "" shows every camera. */
void          vg_node_tree_set_search     (VgNodeTree *self, const char *text);
/* The cameras shown, all nodes together. */
guint         vg_node_tree_get_n_cameras  (VgNodeTree *self);
/* (nullable) The camera shown at position (0 the first) among the cameras shown, and
 * its node. */
VgCamera     *vg_node_tree_get_camera     (VgNodeTree *self, guint position,
                                           VgConnection **connection);

/* The selected camera and its node, NULL for none. */
VgCamera     *vg_node_tree_get_selected_camera     (VgNodeTree *self);
VgConnection *vg_node_tree_get_selected_connection (VgNodeTree *self);
/* Selects the camera of this node with this id; FALSE if it is not shown. */
gboolean      vg_node_tree_select_camera  (VgNodeTree *self, VgConnection *connection,
                                           gint64 camera_id);
void          vg_node_tree_unselect       (VgNodeTree *self);
/* The camera under (x, y) (in the tree's coordinates) and its node, NULL for none. */
VgCamera     *vg_node_tree_pick_camera    (VgNodeTree *self, double x, double y,
                                           VgConnection **connection);

G_END_DECLS
