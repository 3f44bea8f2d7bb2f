/* vg-password.h: a node password stored in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/**
 * The keyring items of Vigie use the schema "org.vigie.Vigie.Password" with two string
 * attributes: "server", the node's base URL ("https://HOST:PORT"), and "user".
 * For example:
 *
 *   secret-tool store --label "Vigie" xdg:schema org.vigie.Vigie.Password \
 *       server https://10.0.0.2:8443 user operator
 */
const SecretSchema *vg_password_get_schema    (void);

/* Looks the password up in the keyring. No keyring (no session bus, no Secret Service)
 * is not an error: the lookup then finds nothing. */
void                vg_password_lookup_async  (const char *server, const char *user,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
/* Returns the password (free it with vg_password_free()), or NULL with no error when
 * the keyring has none; an error only when cancelled. */
char               *vg_password_lookup_finish (GAsyncResult *result, GError **error);

/* Stores the password in the keyring (replacing the one of this server and user). An
 * error when there is no keyring to keep it (no session bus, no Secret Service): the
 * caller then keeps the password for the session only. */
void                vg_password_store_async   (const char *server, const char *user,
                                               const char *password,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
gboolean            vg_password_store_finish  (GAsyncResult *result, GError **error);
/* Removes the password of this server and user from the keyring; no keyring, or no
 * password there, is not an error. Fire and forget: callback may be NULL. */
void                vg_password_clear_async   (const char *server, const char *user,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);

/* Overwrites the password before freeing it. */
void                vg_password_free          (char *password);

G_END_DECLS
