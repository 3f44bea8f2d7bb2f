/* vg-event-hub.h: the event WebSocket's clients and what is broadcast to them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vg-user.h"

G_BEGIN_DECLS

#define VG_TYPE_EVENT_HUB (vg_event_hub_get_type ())
G_DECLARE_FINAL_TYPE (VgEventHub, vg_event_hub, VG, EVENT_HUB, GObject)

/**
 * VgEventHub:
 *
 * Each message is a JSON object {"type": "camera.created", "time": "…Z", "data": {…}}.
 * A client first receives {"type": "hello", …} with the server information. Clients
 * that stop answering pings are dropped by libsoup's keep-alive.
 */
VgEventHub *vg_event_hub_new              (void);
void        vg_event_hub_add_client       (VgEventHub *self, SoupWebsocketConnection *connection,
                                           VgUser *user, JsonNode *hello_data);
/* data: transfer none; admin_only: only admins' clients get it (user events). */
void        vg_event_hub_broadcast        (VgEventHub *self, const char *type, JsonNode *data,
                                           gboolean admin_only);
/* Closes the clients of a user (deleted, disabled, new password). */
void        vg_event_hub_disconnect_user  (VgEventHub *self, gint64 user_id);
void        vg_event_hub_close_all        (VgEventHub *self);
guint       vg_event_hub_get_n_clients    (VgEventHub *self);
guint64     vg_event_hub_get_n_sent       (VgEventHub *self);

G_END_DECLS
