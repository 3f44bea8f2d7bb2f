/* vg-certificate-dialog.h: the operator decides on a node's certificate (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection.h"

G_BEGIN_DECLS

/**
 * The question asked when a node shows a certificate the client does not trust
 * (vg_connection_get_untrusted_fingerprint()): on first use, its fingerprint to accept;
 * when it changed, a warning with the accepted fingerprint and the new one. Answered
 * "accept", the connection trusts the new certificate and connects; "cancel" (the
 * default) leaves the node disconnected. One dialog per connection at a time: asked
 * again, the one open is presented.
 *
 * Returns: (transfer none): the dialog, responses "accept" and "cancel"
 */
AdwMessageDialog *vg_certificate_dialog_present (GtkWindow *parent, VgConnection *connection);

/* "AB:CD:…" in lines of 8 bytes, for people to compare. */
char             *vg_certificate_dialog_format_fingerprint (const char *fingerprint);

G_END_DECLS
