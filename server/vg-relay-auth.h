/* vg-relay-auth.h: who may watch the relay: the node's users (LIVE-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/rtsp-server/rtsp-server.h>

G_BEGIN_DECLS

/* Called in an RTSP client thread; may block briefly. Returns whether name may log in
 * with password (the user's password or one of the user's API tokens). */
typedef gboolean (*VgRelayVerifyFunc) (const char *name, const char *password,
                                       const char *address, gpointer user_data);
/* The hook for per-camera rights: whether name may watch camera_id. */
typedef gboolean (*VgRelayCameraAccessFunc) (const char *name, gint64 camera_id, gpointer user_data);

#define VG_RELAY_ROLE "vigie-user"

#define VG_TYPE_RELAY_AUTH (vg_relay_auth_get_type ())
G_DECLARE_FINAL_TYPE (VgRelayAuth, vg_relay_auth, VG, RELAY_AUTH, GstRTSPAuth)

/**
 * VgRelayAuth:
 *
 * Every request needs credentials: HTTP Basic with a user of the node and either the
 * user's password or an API token of that user (what a logged-in client holds). A
 * client without them gets 401 with a Basic challenge. A valid user gets the role
 * VG_RELAY_ROLE, which the relay's factories grant access to; the camera of the URL is
 * then checked with the camera-access hook.
 */
VgRelayAuth *vg_relay_auth_new (VgRelayVerifyFunc verify, VgRelayCameraAccessFunc camera_access,
                                gpointer user_data);

G_END_DECLS
