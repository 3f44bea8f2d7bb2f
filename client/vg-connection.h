/* vg-connection.h: the client's connection to one node and the node's cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigie.h"

G_BEGIN_DECLS

typedef enum {
  VG_CONNECTION_STATE_DISCONNECTED,
  VG_CONNECTION_STATE_CONNECTING,   /* logging in, or waiting for the event stream */
  VG_CONNECTION_STATE_CONNECTED,    /* logged in, cameras listed, events flowing */
  VG_CONNECTION_STATE_FAILED,       /* see the "error" property */
} VgConnectionState;

/* What the node says of a camera's streams (camera.state, /cameras/ID/status), all
 * streams together: the worst wins. */
typedef enum {
  VG_CAMERA_LIVE_STATE_UNKNOWN,     /* not told yet */
  VG_CAMERA_LIVE_STATE_STOPPED,     /* no stream connected: nobody records or watches it */
  VG_CAMERA_LIVE_STATE_CONNECTING,
  VG_CAMERA_LIVE_STATE_STREAMING,
  VG_CAMERA_LIVE_STATE_LOST,        /* a stream lost, the node trying again */
} VgCameraLiveState;

#define VG_TYPE_CONNECTION (vg_connection_get_type ())
G_DECLARE_FINAL_TYPE (VgConnection, vg_connection, VG, CONNECTION, GObject)

/**
 * VgConnection:
 *
 * Logs in to a node, lists its cameras and keeps the list up to date from the event
 * WebSocket ("camera.created", "camera.updated", "camera.deleted"). The list is
 * resynchronised each time the WebSocket (re)opens, so events missed while it was
 * closed are not lost. A camera keeps its VgCamera object while it exists: updates
 * change it in place.
 *
 * Properties: "base-url" and "user" (construct-only), "state" (VgConnectionState),
 * "error" (a message for the user, or NULL), "node-name" (NULL until known),
 * "cameras" (GListModel of VgCamera, in the node's order), "tls-fingerprint" (the
 * pinned certificate), "untrusted-fingerprint" (a certificate seen and not trusted:
 * the operator's decision is awaited, see vg_connection_accept_fingerprint()).
 *
 * A failure that may pass (network cut, node restarting, session ended) is tried
 * again by itself, after 1 s, then 2, 4… up to 30 s; a wrong password or an untrusted
 * certificate waits for vg_connection_connect(). The session token changes with each
 * login: live views follow "rtsp-port", which goes to 0 and back meanwhile.
 */
VgConnection      *vg_connection_new             (const char *base_url, const char *user);

const char        *vg_connection_get_base_url    (VgConnection *self);
const char        *vg_connection_get_user        (VgConnection *self);
VgConnectionState  vg_connection_get_state       (VgConnection *self);
const char        *vg_connection_get_error       (VgConnection *self);
const char        *vg_connection_get_node_name   (VgConnection *self);
GListModel        *vg_connection_get_cameras     (VgConnection *self);
VgCamera          *vg_connection_lookup_camera   (VgConnection *self, gint64 id);
VgApiClient       *vg_connection_get_api_client  (VgConnection *self);
/* The camera's live state on the node (signal "camera-state-changed" (gint64 id) when
 * it changes); error: (out) (optional) (nullable) why a stream is lost. */
VgCameraLiveState  vg_connection_get_camera_live_state (VgConnection *self, gint64 camera_id,
                                                        const char **error);

/* The port of the node's live relay; 0 until the node told it (notify::rtsp-port). */
guint              vg_connection_get_rtsp_port   (VgConnection *self);
/* "rtsp[s]://HOST:PORT/cameras/ID/STREAM" on the relay's rtsp:// or rtsps:// port; NULL
 * while the ports are not known. */
char              *vg_connection_dup_live_url    (VgConnection *self, gint64 camera_id,
                                                  const char *stream, gboolean tls);
/* Whether live video uses rtsps://: the "live-tls" setting (set_live_tls), when the
 * node told an rtsps:// port (it always does unless its relay has no TLS). */
gboolean           vg_connection_get_live_tls    (VgConnection *self);
void               vg_connection_set_live_tls    (VgConnection *self, gboolean tls);
/* The password for the live relay: the session token when logged in, else the user's
 * password (NULL if not known yet). */
const char        *vg_connection_get_live_password (VgConnection *self);
/* The pinned SHA-256 fingerprint of the node's certificate (lower-case hex), or NULL. */
const char        *vg_connection_get_tls_fingerprint (VgConnection *self);

/* The certificate to trust (SHA-256, hex), as accepted before; NULL for none. */
void               vg_connection_set_tls_fingerprint (VgConnection *self, const char *fingerprint);
/* TRUE (the default): with no pinned certificate, the first one seen is trusted.
 * FALSE: the connection stops at an unknown certificate, with "untrusted-fingerprint"
 * set, until the operator accepts it. */
void               vg_connection_set_trust_on_first_use (VgConnection *self, gboolean trust);
/* The certificate the node showed and the client does not trust (a first one when
 * not trusted on first use, or one other than the pinned one), or NULL. */
const char        *vg_connection_get_untrusted_fingerprint (VgConnection *self);
/* Trusts this certificate from now on and connects. */
void               vg_connection_accept_fingerprint (VgConnection *self, const char *fingerprint);

/* Starts (or restarts) the connection. password NULL: the one given last time, else
 * the keyring's. */
void               vg_connection_connect         (VgConnection *self, const char *password);
/* Stops everything under way and empties the camera list. */
void               vg_connection_disconnect      (VgConnection *self);

G_END_DECLS
