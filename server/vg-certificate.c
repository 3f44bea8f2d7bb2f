/* vg-certificate.c: the node's TLS certificate (self-signed at first start)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-certificate.h"
#include "vg-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

static gboolean
add_extension (X509 *cert, int nid, const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  gboolean ok;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long length = BIO_get_mem_data (bio, &data);

  return g_strndup (data, (gsize) length);
}

static gboolean
generate (char **cert_pem, char **key_pem, GError **error)
{
  g_autoptr(EVP_PKEY) key = EVP_EC_gen ("P-256");
  g_autoptr(X509) cert = X509_new ();
  g_autoptr(BIO) cert_bio = BIO_new (BIO_s_mem ());
  g_autoptr(BIO) key_bio = BIO_new (BIO_s_mem ());
  g_autofree char *san = NULL;
  char host[256] = "localhost";
  unsigned char serial[16];
  BIGNUM *serial_bn;
  X509_NAME *name;

  if (key == NULL || cert == NULL)
    goto failed;

  gethostname (host, sizeof host - 1);
  RAND_bytes (serial, sizeof serial);
  serial[0] &= 0x7f;
  serial_bn = BN_bin2bn (serial, sizeof serial, NULL);
  BN_to_ASN1_INTEGER (serial_bn, X509_get_serialNumber (cert));
  BN_free (serial_bn);

  X509_set_version (cert, 2);
  X509_gmtime_adj (X509_getm_notBefore (cert), -3600);
  X509_gmtime_adj (X509_getm_notAfter (cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey (cert, key);

  name = X509_get_subject_name (cert);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const guchar *) "Vigie", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const guchar *) host, -1, -1, 0);
  X509_set_issuer_name (cert, name);

  san = g_strdup_printf ("DNS:localhost,DNS:%s,IP:127.0.0.1,IP:::1", host);
  if (!add_extension (cert, NID_subject_alt_name, san) ||
      !add_extension (cert, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension (cert, NID_key_usage, "critical,digitalSignature") ||
      !add_extension (cert, NID_ext_key_usage, "serverAuth"))
    goto failed;

  if (X509_sign (cert, key, EVP_sha256 ()) == 0)
    goto failed;
  if (PEM_write_bio_X509 (cert_bio, cert) != 1 ||
      PEM_write_bio_PrivateKey (key_bio, key, NULL, NULL, 0, NULL, NULL) != 1)
    goto failed;

  *cert_pem = bio_to_string (cert_bio);
  *key_pem = bio_to_string (key_bio);
  return TRUE;

failed:
  g_set_error_literal (error, VG_ERROR, VG_ERROR_FAILED,
                       "could not generate the node's TLS certificate");
  return FALSE;
}

static gboolean
write_private_file (const char *path, const char *contents, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  int fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gsize length = strlen (contents);

  if (fd < 0 || write (fd, contents, length) != (gssize) length || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "could not write %s: %s", tmp, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "could not write %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

GTlsCertificate *
vg_certificate_load_or_create (const char *data_dir, const char *cert_file,
                               const char *key_file, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;

  if (cert_file && key_file)
    return g_tls_certificate_new_from_files (cert_file, key_file, error);

  dir = g_build_filename (data_dir, "tls", NULL);
  cert_path = g_build_filename (dir, "node.crt", NULL);
  key_path = g_build_filename (dir, "node.key", NULL);

  if (g_file_test (cert_path, G_FILE_TEST_EXISTS) && g_file_test (key_path, G_FILE_TEST_EXISTS))
    return g_tls_certificate_new_from_files (cert_path, key_path, error);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "could not create %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  if (!generate (&cert_pem, &key_pem, error) ||
      !write_private_file (key_path, key_pem, error) ||
      !write_private_file (cert_path, cert_pem, error))
    return NULL;
  g_chmod (cert_path, 0644);

  g_message ("created a self-signed TLS certificate in %s", dir);
  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

char *
vg_certificate_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_object_get (certificate, "certificate", &der, NULL);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}
