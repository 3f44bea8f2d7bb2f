/* vg-certificate.h: the node's TLS certificate (self-signed at first start)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* With cert_file and key_file (an installed certificate, from the configuration),
 * loads them. Otherwise loads DATA_DIR/tls/node.crt and node.key, creating a
 * self-signed ECDSA P-256 certificate (10 years; localhost, the host name,
 * 127.0.0.1 and ::1) the first time, the key readable by the owner only. */
GTlsCertificate *vg_certificate_load_or_create (const char *data_dir, const char *cert_file,
                                                const char *key_file, GError **error);

/* SHA-256 of the certificate's DER, lower-case hex: what clients pin. */
char            *vg_certificate_get_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
