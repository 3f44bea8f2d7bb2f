/* vg-node-row.h: a node in the camera tree, with its connection's state (CLI-1, CLI-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"

G_BEGIN_DECLS

#define VG_TYPE_NODE_ROW (vg_node_row_get_type ())
G_DECLARE_FINAL_TYPE (VgNodeRow, vg_node_row, VG, NODE_ROW, GtkWidget)

/**
 * VgNodeRow:
 *
 * The node's name (its address until the node tells it), its address and user, and
 * its state: a spinner while connecting, an icon once connected, a warning icon with
 * the error as tooltip when the connection failed. Its menu reconnects the node
 * ("node.reconnect") and removes it ("win.remove-node" with the node's
 * https://USER@HOST:PORT).
 */
GtkWidget    *vg_node_row_new            (void);
VgConnection *vg_node_row_get_connection (VgNodeRow *self);
void          vg_node_row_set_connection (VgNodeRow *self, VgConnection *connection);

/* "HOST:PORT" of a base URL ("[v6]:PORT" for IPv6). */
char         *vg_node_row_format_address (const char *base_url);

G_END_DECLS
