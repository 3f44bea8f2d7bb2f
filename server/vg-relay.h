/* vg-relay.h: live video of the node's cameras over RTSP and RTSPS (LIVE-1…4, ACQ-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-auth.h"
#include "vg-camera-manager.h"
#include "vg-capture.h"

G_BEGIN_DECLS

#define VG_TYPE_RELAY (vg_relay_get_type ())
G_DECLARE_FINAL_TYPE (VgRelay, vg_relay, VG, RELAY, GObject)

/**
 * VgRelay:
 *
 * gst-rtsp-server, in a thread of its own, serving every stream of every camera at
 * rtsp://NODE:PORT/cameras/{id}/{stream} and the same over TLS (the node's
 * certificate) on a second port. Viewers authenticate as users of the node (VgAuth:
 * password or API token). Each viewer is fed from the stream's VgStreamHub, the
 * node's single connection to the camera: the cameras need not be reachable from the
 * viewers' network.
 */
VgRelay  *vg_relay_new         (VgCameraManager *cameras, VgCapture *capture, VgAuth *auth,
                                GTlsCertificate *certificate);
/* port, tls_port: 0 picks a free port. */
gboolean  vg_relay_start       (VgRelay *self, const char *address, guint port, guint tls_port,
                                GError **error);
/* Ends every viewer's session and the thread. */
void      vg_relay_stop        (VgRelay *self);
guint     vg_relay_get_port    (VgRelay *self);
guint     vg_relay_get_tls_port (VgRelay *self);
guint     vg_relay_get_n_clients (VgRelay *self);

G_END_DECLS
