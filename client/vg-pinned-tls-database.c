/* vg-pinned-tls-database.c: a certificate database that trusts one certificate only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-pinned-tls-database.h"

struct _VgPinnedTlsDatabase
{
  GTlsDatabase parent_instance;

  char *fingerprint;   /* lower-case hex, or NULL: nothing is trusted */
};

G_DEFINE_FINAL_TYPE (VgPinnedTlsDatabase, vg_pinned_tls_database, G_TYPE_TLS_DATABASE)

char *
vg_pinned_tls_database_fingerprint_of (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static GTlsCertificateFlags
vg_pinned_tls_database_verify_chain (GTlsDatabase             *database,
                                     GTlsCertificate          *chain,
                                     const char               *purpose,
                                     GSocketConnectable       *identity,
                                     GTlsInteraction          *interaction,
                                     GTlsDatabaseVerifyFlags   flags,
                                     GCancellable             *cancellable,
                                     GError                  **error)
{
  VgPinnedTlsDatabase *self = VG_PINNED_TLS_DATABASE (database);
  g_autofree char *fingerprint = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;

  fingerprint = vg_pinned_tls_database_fingerprint_of (chain);
  if (self->fingerprint != NULL && fingerprint != NULL &&
      g_str_equal (fingerprint, self->fingerprint))
    return 0;

  g_debug ("Certificate %s refused: the pinned one is %s",
           fingerprint != NULL ? fingerprint : "(none)",
           self->fingerprint != NULL ? self->fingerprint : "(none)");
  return G_TLS_CERTIFICATE_UNKNOWN_CA;
}

static void
vg_pinned_tls_database_finalize (GObject *object)
{
  VgPinnedTlsDatabase *self = VG_PINNED_TLS_DATABASE (object);

  g_free (self->fingerprint);

  G_OBJECT_CLASS (vg_pinned_tls_database_parent_class)->finalize (object);
}

static void
vg_pinned_tls_database_class_init (VgPinnedTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = vg_pinned_tls_database_finalize;
  database_class->verify_chain = vg_pinned_tls_database_verify_chain;
}

static void
vg_pinned_tls_database_init (VgPinnedTlsDatabase *self)
{
}

GTlsDatabase *
vg_pinned_tls_database_new (const char *fingerprint)
{
  VgPinnedTlsDatabase *self = g_object_new (VG_TYPE_PINNED_TLS_DATABASE, NULL);

  self->fingerprint = g_ascii_strdown (fingerprint != NULL ? fingerprint : "", -1);
  if (self->fingerprint[0] == '\0')
    g_clear_pointer (&self->fingerprint, g_free);
  return G_TLS_DATABASE (self);
}
