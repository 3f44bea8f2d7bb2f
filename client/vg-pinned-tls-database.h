/* vg-pinned-tls-database.h: a certificate database that trusts one certificate only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VG_TYPE_PINNED_TLS_DATABASE (vg_pinned_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (VgPinnedTlsDatabase, vg_pinned_tls_database, VG, PINNED_TLS_DATABASE,
                      GTlsDatabase)

/**
 * VgPinnedTlsDatabase:
 *
 * Verifies a peer by the SHA-256 fingerprint of its certificate and nothing else: no
 * certificate authority, no host name. Given to a TLS client connection (rtspsrc's
 * "tls-database"), it is asked on every handshake, so that a certificate a public
 * authority signed is refused too unless it is the pinned one. Verification runs in
 * the TLS thread; the object is immutable.
 */
GTlsDatabase *vg_pinned_tls_database_new             (const char *fingerprint);
/* SHA-256 of the certificate's DER, lower-case hex; NULL if it has none. */
char         *vg_pinned_tls_database_fingerprint_of  (GTlsCertificate *certificate);

G_END_DECLS
