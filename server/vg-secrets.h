/* vg-secrets.h: password hashes, session tokens and generated passwords
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64), PBKDF2-HMAC-SHA256 with a 16-byte
 * random salt. Slow on purpose (~0.1 s): call it off the main loop. */
char     *vg_password_hash          (const char *password);
/* Constant-time check of password against a stored hash. Slow likewise. */
gboolean  vg_password_verify        (const char *password, const char *stored_hash);
/* 20 random characters from an unambiguous alphabet, for the first admin. */
char     *vg_password_generate      (void);

/* 32 random bytes, base64url without padding: a session token. */
char     *vg_token_generate         (void);
/* SHA-256 of a token, hex: what the database stores. */
char     *vg_token_hash             (const char *token);
/* Whether text has the form vg_token_generate gives (43 characters of base64url). */
gboolean  vg_token_is_well_formed   (const char *text);
/* Keyed digest of user + password kept in memory to skip PBKDF2 on repeated HTTP Basic
 * requests; the key is random per process. */
char     *vg_credentials_digest     (const char *user, const char *password);

G_END_DECLS
