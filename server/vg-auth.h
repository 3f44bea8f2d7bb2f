/* vg-auth.h: who is calling: sessions (tokens), HTTP Basic, and login throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vg-database.h"
#include "vg-node-config.h"
#include "vg-session.h"
#include "vg-user-manager.h"

G_BEGIN_DECLS

#define VG_TYPE_AUTH (vg_auth_get_type ())
G_DECLARE_FINAL_TYPE (VgAuth, vg_auth, VG, AUTH, GObject)

/**
 * VgAuth:
 *
 * Sessions live in the database (the SHA-256 of each token, never the token) and in
 * memory, so that checking a token costs a hash-table look-up. HTTP Basic checks the
 * password once (PBKDF2, in a thread) and then remembers a keyed digest of the
 * credentials for a few minutes. Failed attempts are counted per user and per client
 * address: past the configured number the user (or address) is locked out for a
 * while that doubles with each lock-out, and attempts answer VG_ERROR_TOO_MANY_REQUESTS.
 */
VgAuth    *vg_auth_new                  (VgDatabase *database, VgUserManager *users,
                                         const VgNodeConfig *config);

/* Loads the sessions that have not expired (and deletes the others). */
void       vg_auth_load_async           (VgAuth *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean   vg_auth_load_finish          (VgAuth *self, GAsyncResult *result, GError **error);

/* client: NULL for an ordinary session; otherwise the name of the client that keeps a
 * remembered token (lifetime [api] remember-lifetime, listed and revoked by its id). */
void       vg_auth_login_async          (VgAuth *self, const char *name, const char *password,
                                         const char *address, const char *client,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
/* token_id: (out) (optional) the id of a remembered token, 0 for a session. */
VgSession *vg_auth_login_finish         (VgAuth *self, GAsyncResult *result, gint64 *token_id,
                                         GError **error);

/* The remembered tokens that have not expired, of user_id (0: of every user), as a
 * JSON array of {"id", "user": {"id", "name"}, "client", "address", "created", "expires"}. */
void       vg_auth_list_tokens_async    (VgAuth *self, gint64 user_id, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
JsonNode  *vg_auth_list_tokens_finish   (VgAuth *self, GAsyncResult *result, GError **error);

/* Ends the remembered token token_id of user_id (0: of any user); VG_ERROR_NOT_FOUND
 * when there is none. */
void       vg_auth_revoke_token_async   (VgAuth *self, gint64 token_id, gint64 user_id,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean   vg_auth_revoke_token_finish  (VgAuth *self, GAsyncResult *result, GError **error);

/* Ends the session of token (a no-op for an unknown token). */
void       vg_auth_logout_async         (VgAuth *self, const char *token,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean   vg_auth_logout_finish        (VgAuth *self, GAsyncResult *result, GError **error);

/* authorization: the Authorization header ("Bearer …" or "Basic …"), or NULL;
 * query_token: a token given as ?token= (WebSocket clients that cannot set headers).
 * Completes with the user, or VG_ERROR_UNAUTHORIZED / VG_ERROR_TOO_MANY_REQUESTS. */
void       vg_auth_authenticate_async   (VgAuth *self, const char *authorization,
                                         const char *query_token, const char *address,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
VgUser    *vg_auth_authenticate_finish  (VgAuth *self, GAsyncResult *result, GError **error);

/* Seconds before name (or address) may try again; 0 when not locked out. */
guint      vg_auth_get_retry_after      (VgAuth *self, const char *name, const char *address);
guint      vg_auth_get_n_sessions       (VgAuth *self);
guint64    vg_auth_get_n_failed_logins  (VgAuth *self);

G_END_DECLS
