/* vg-secrets.c: password hashes, session tokens and generated passwords
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <string.h>

#define PBKDF2_ITERATIONS 100000
#define SALT_LENGTH 16
#define HASH_LENGTH 32

static void
random_bytes (guchar *buffer, gsize length)
{
  if (RAND_bytes (buffer, (int) length) != 1)
    g_error ("the system's random generator failed");
}

static gboolean
pbkdf2 (const char *password, const guchar *salt, gsize salt_length, guint iterations,
        guchar out[HASH_LENGTH])
{
  return PKCS5_PBKDF2_HMAC (password, (int) strlen (password), salt, (int) salt_length,
                            (int) iterations, EVP_sha256 (), HASH_LENGTH, out) == 1;
}

char *
vg_password_hash (const char *password)
{
  guchar salt[SALT_LENGTH];
  guchar hash[HASH_LENGTH];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  random_bytes (salt, sizeof salt);
  if (!pbkdf2 (password, salt, sizeof salt, PBKDF2_ITERATIONS, hash))
    g_error ("PBKDF2 failed");
  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);
  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", PBKDF2_ITERATIONS, salt64, hash64);
}

gboolean
vg_password_verify (const char *password, const char *stored_hash)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guchar *salt = NULL;
  g_autofree guchar *expected = NULL;
  gsize salt_length = 0, expected_length = 0;
  guchar hash[HASH_LENGTH];
  guint64 iterations;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (stored_hash != NULL, FALSE);

  parts = g_strsplit (stored_hash, "$", -1);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "pbkdf2-sha256"))
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[1], 10, 1000, 100000000, &iterations, NULL))
    return FALSE;
  salt = g_base64_decode (parts[2], &salt_length);
  expected = g_base64_decode (parts[3], &expected_length);
  if (salt_length == 0 || expected_length != HASH_LENGTH)
    return FALSE;
  if (!pbkdf2 (password, salt, salt_length, (guint) iterations, hash))
    return FALSE;
  return CRYPTO_memcmp (hash, expected, HASH_LENGTH) == 0;
}

char *
vg_password_generate (void)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guchar bytes[20];
  GString *password = g_string_sized_new (sizeof bytes);

  random_bytes (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_c (password, alphabet[bytes[i] % (sizeof alphabet - 1)]);
  return g_string_free (password, FALSE);
}

gboolean
vg_token_is_well_formed (const char *text)
{
  if (text == NULL || strlen (text) != 43)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

char *
vg_token_generate (void)
{
  guchar bytes[32];
  char *token;

  random_bytes (bytes, sizeof bytes);
  token = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  *strchr (token, '=') = '\0';
  return token;
}

char *
vg_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
vg_credentials_digest (const char *user, const char *password)
{
  static guchar key[32];
  static gsize key_ready = 0;
  g_autoptr(GHmac) hmac = NULL;

  if (g_once_init_enter (&key_ready))
    {
      random_bytes (key, sizeof key);
      g_once_init_leave (&key_ready, 1);
    }
  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  g_hmac_update (hmac, (const guchar *) user, (gssize) strlen (user) + 1);
  g_hmac_update (hmac, (const guchar *) password, -1);
  return g_strdup (g_hmac_get_string (hmac));
}
