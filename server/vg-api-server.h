/* vg-api-server.h: the node's HTTPS JSON API (libsoup SoupServer) and its router
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-api-request.h"

G_BEGIN_DECLS

#define VG_TYPE_API_SERVER (vg_api_server_get_type ())
G_DECLARE_FINAL_TYPE (VgApiServer, vg_api_server, VG, API_SERVER, GObject)

/**
 * VgApiServer:
 *
 * Listens over HTTPS, decodes the path (raw: "%2e%2e" and friends never reach a
 * handler undecoded), matches the route table, refuses bodies over the configured
 * size before reading them, authenticates through the node's VgAuth (401, 403, 429
 * answered here), then hands a VgApiRequest to the route's handler. Every error is
 * a JSON {"error":{"code","message"}} body.
 */
VgApiServer *vg_api_server_new            (VgNode *node, GTlsCertificate *certificate,
                                           gsize max_body_size);
/* address NULL: every interface. port 0: any free port (see get_port). */
gboolean     vg_api_server_listen         (VgApiServer *self, const char *address, guint port,
                                           GError **error);
guint        vg_api_server_get_port       (VgApiServer *self);
void         vg_api_server_stop           (VgApiServer *self);

gsize        vg_api_server_get_max_body_size (VgApiServer *self);
void         vg_api_server_count_response (VgApiServer *self, guint status);
/* Responses sent so far by status code: "200" → count, for /metrics. */
GHashTable  *vg_api_server_get_response_counts (VgApiServer *self);

G_END_DECLS
