/* vg-password-file.h: remembered node tokens kept in a file only the user can read,
 * where no keyring runs (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * The file ($XDG_CONFIG_HOME/vigie/credentials) is a key file with one group per node
 * and user, holding a token the node gave with "remember" (never a password) and the
 * token's id on the node, by which it is revoked:
 *
 *   [node 1]
 *   server=https://10.0.0.2:8443
 *   user=wall
 *   token=…
 *   token-id=12
 *
 * It is written whole, atomically (a new file renamed over the old one), with mode 0600
 * from its creation; its folder is made with mode 0700. A file that cannot be parsed
 * is treated as empty: lookups find nothing and the next store replaces it.
 */

/* $XDG_CONFIG_HOME/vigie/credentials (read from the environment each time). */
char     *vg_password_file_get_default_path (void);

/* The token of server and user (free it with vg_password_free()), or NULL with no error
 * when the file has none (or does not exist, or is corrupt). */
char     *vg_password_file_lookup           (const char *path, const char *server,
                                             const char *user, gint64 *token_id,
                                             GError **error);
/* Keeps token (replacing the one of this server and user). */
gboolean  vg_password_file_store            (const char *path, const char *server,
                                             const char *user, const char *token,
                                             gint64 token_id, GError **error);
/* Forgets the token of server and user; none there is not an error. */
gboolean  vg_password_file_remove           (const char *path, const char *server,
                                             const char *user, GError **error);

G_END_DECLS
