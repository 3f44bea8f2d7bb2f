/* vg-node-dialog.h: adding a node: address, user, password (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection-list.h"

G_BEGIN_DECLS

#define VG_TYPE_NODE_DIALOG (vg_node_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VgNodeDialog, vg_node_dialog, VG, NODE_DIALOG, AdwWindow)

/**
 * VgNodeDialog:
 *
 * Asks for a node's address (HOST[:PORT] or https://HOST:PORT), a user and a
 * password, and whether to remember the password in the keyring. Adding puts the
 * node in the list and connects it; its certificate, unless accepted before, is shown
 * to the operator before anything is sent (vg-certificate-dialog.h). Without a
 * keyring, the password is kept for the session only, and the parent window (a
 * VgWindow) says so.
 */
VgNodeDialog *vg_node_dialog_present   (GtkWindow *parent, VgConnectionList *connections);

/* Fills the fields, as typed. */
void          vg_node_dialog_set_fields (VgNodeDialog *self, const char *address, const char *user,
                                         const char *password, gboolean remember);
/* What the Add button does; FALSE with the reason shown in the dialog when a field is
 * wrong. Returns: (transfer none) (nullable) the node's connection through
 * connection. */
gboolean      vg_node_dialog_add       (VgNodeDialog *self, VgConnection **connection);

/* "HOST[:PORT]" or "https://HOST[:PORT]", and a user → "https://USER@HOST:PORT";
 * G_OPTION_ERROR_BAD_VALUE for a malformed address. */
gboolean      vg_node_dialog_parse_address (const char *address, const char *user,
                                            char **base_url, GError **error);

G_END_DECLS
