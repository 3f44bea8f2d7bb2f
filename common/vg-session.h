/* vg-session.h: an API session (token) as returned by POST /api/v1/session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "vg-user.h"

G_BEGIN_DECLS

#define VG_TYPE_SESSION (vg_session_get_type ())
G_DECLARE_FINAL_TYPE (VgSession, vg_session, VG, SESSION, GObject)

VgSession   *vg_session_new             (const char *token, GDateTime *expires);
const char  *vg_session_get_token       (VgSession *self);
GDateTime   *vg_session_get_expires     (VgSession *self);   /* UTC */
/* The user the session belongs to; may be NULL on the client side. */
VgUser      *vg_session_get_user        (VgSession *self);
void         vg_session_set_user        (VgSession *self, VgUser *user);
gboolean     vg_session_is_expired      (VgSession *self, GDateTime *now);

/* {"token","expires":"2026-11-22T10:00:00Z","user":{…}?} */
JsonNode    *vg_session_to_json         (VgSession *self);
VgSession   *vg_session_new_from_json   (JsonNode *node, GError **error);

G_END_DECLS
