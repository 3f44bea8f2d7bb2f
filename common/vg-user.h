/* vg-user.h: a user account of a node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  VG_USER_ROLE_VIEWER,    /* "viewer": live and playback */
  VG_USER_ROLE_OPERATOR,  /* "operator": + alarms, PTZ, export */
  VG_USER_ROLE_ADMIN,     /* "admin": + configuration and users */
} VgUserRole;

#define VG_USER_NAME_MAX 64
#define VG_USER_PASSWORD_MIN 8
#define VG_USER_PASSWORD_MAX 1024

#define VG_TYPE_USER (vg_user_get_type ())
G_DECLARE_FINAL_TYPE (VgUser, vg_user, VG, USER, GObject)

VgUser      *vg_user_new            (const char *name, VgUserRole role);
gint64       vg_user_get_id         (VgUser *self);
void         vg_user_set_id         (VgUser *self, gint64 id);
const char  *vg_user_get_name       (VgUser *self);
void         vg_user_set_name       (VgUser *self, const char *name);
VgUserRole   vg_user_get_role       (VgUser *self);
void         vg_user_set_role       (VgUser *self, VgUserRole role);
gboolean     vg_user_get_enabled    (VgUser *self);
void         vg_user_set_enabled    (VgUser *self, gboolean enabled);
/* Write-only: set from a request body, never serialised. */
const char  *vg_user_get_password   (VgUser *self);
void         vg_user_set_password   (VgUser *self, const char *password);

const char  *vg_user_role_to_string   (VgUserRole role);
gboolean     vg_user_role_from_string (const char *string, VgUserRole *role);

/* Names: 1–64 characters of [A-Za-z0-9._@-]; password 8–1024 bytes when set. */
gboolean     vg_user_validate       (VgUser *self, GError **error);

/* {"id","name","role","enabled"}: never the password. */
JsonNode    *vg_user_to_json        (VgUser *self);
/* {"name","password","role"?,"enabled"?}: name and password required. */
VgUser      *vg_user_new_from_json  (JsonNode *node, GError **error);
/* Partial: "name", "password", "role", "enabled". Nothing changes on error. */
gboolean     vg_user_apply_json_patch (VgUser *self, JsonNode *node, GError **error);

G_END_DECLS
