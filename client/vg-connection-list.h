/* vg-connection-list.h: the nodes the client connects to (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-connection.h"

G_BEGIN_DECLS

#define VG_TYPE_CONNECTION_LIST (vg_connection_list_get_type ())
G_DECLARE_FINAL_TYPE (VgConnectionList, vg_connection_list, VG, CONNECTION_LIST, GObject)

/**
 * VgConnectionList:
 *
 * A GListModel of VgConnection: the nodes the client connects to, at once, in the
 * operator's order. With settings (org.vigie.Vigie), the list is kept in the "nodes"
 * key as https://USER@HOST:PORT strings (the older "last-connection" is added to it),
 * and the certificate accepted for each node in "node-fingerprints": a node's
 * connection pins it, and records the one it trusts on first use. The "live-tls"
 * setting applies to every connection.
 */
VgConnectionList *vg_connection_list_new     (GSettings *settings);

/* The connection of this node and user, added (and saved) when not there yet. */
VgConnection     *vg_connection_list_add     (VgConnectionList *self, const char *base_url,
                                              const char *user);
/* Adds this connection unless the list has one of its node and user. */
void              vg_connection_list_add_connection (VgConnectionList *self,
                                                     VgConnection *connection);
/* (nullable) the connection of this node and user. */
VgConnection     *vg_connection_list_lookup  (VgConnectionList *self, const char *base_url,
                                              const char *user);
/* Disconnects the node and forgets it: its place in the list, its password in the
 * keyring, its accepted certificate. */
void              vg_connection_list_remove  (VgConnectionList *self, VgConnection *connection);
/* (nullable) the connection whose camera list holds this very camera. */
VgConnection     *vg_connection_list_find_camera_owner (VgConnectionList *self, VgCamera *camera);
/* Connects every node not connected or connecting. */
void              vg_connection_list_connect_all (VgConnectionList *self);

G_END_DECLS
