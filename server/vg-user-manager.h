/* vg-user-manager.h: the node's user accounts, kept in memory and in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vg-database.h"
#include "vg-user.h"

G_BEGIN_DECLS

#define VG_TYPE_USER_MANAGER (vg_user_manager_get_type ())
G_DECLARE_FINAL_TYPE (VgUserManager, vg_user_manager, VG, USER_MANAGER, GObject)

/**
 * VgUserManager:
 *
 * Every user is loaded at start and kept in memory (a node has tens of users, not
 * millions); changes are written to the database first and applied in memory once
 * stored. Password hashing runs in a thread.
 *
 * Signals: "user-added" (VgUser), "user-changed" (VgUser), "user-removed" (gint64 id),
 * "credentials-changed" (gint64 id: new password, disabled or removed; the user's
 * sessions are gone from the database).
 */
VgUserManager *vg_user_manager_new            (VgDatabase *database);

/* Loads the users; when there are none, creates "admin" with initial_password (or a
 * generated one, returned in *generated_password so that it is shown once). */
void           vg_user_manager_load_async     (VgUserManager *self, const char *initial_password,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean       vg_user_manager_load_finish    (VgUserManager *self, GAsyncResult *result,
                                               char **generated_password, GError **error);

VgUser        *vg_user_manager_lookup         (VgUserManager *self, gint64 id);
VgUser        *vg_user_manager_lookup_by_name (VgUserManager *self, const char *name);
/* Sorted by id; element type VgUser (borrowed). */
GPtrArray     *vg_user_manager_list           (VgUserManager *self);
/* Changes whenever any user changes: lets caches of verified credentials expire. */
guint          vg_user_manager_get_generation (VgUserManager *self);

/* Checks a password (slowly, in a thread). VG_ERROR_UNAUTHORIZED for an unknown or
 * disabled user or a wrong password (the same message for all three). */
void           vg_user_manager_verify_async   (VgUserManager *self, const char *name,
                                               const char *password, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
VgUser        *vg_user_manager_verify_finish  (VgUserManager *self, GAsyncResult *result,
                                               GError **error);

/* user carries the password; VG_ERROR_CONFLICT when the name is taken. */
void           vg_user_manager_create_async   (VgUserManager *self, VgUser *user,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
/* A partial JSON body; VG_ERROR_NOT_FOUND, VG_ERROR_INVALID, VG_ERROR_CONFLICT (name
 * taken, or it would leave no enabled admin). */
void           vg_user_manager_update_async   (VgUserManager *self, gint64 id, JsonNode *patch,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
/* Finish for create and update: the stored user. */
VgUser        *vg_user_manager_save_finish    (VgUserManager *self, GAsyncResult *result,
                                               GError **error);
/* VG_ERROR_NOT_FOUND; VG_ERROR_CONFLICT for the last enabled admin. */
void           vg_user_manager_delete_async   (VgUserManager *self, gint64 id,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean       vg_user_manager_delete_finish  (VgUserManager *self, GAsyncResult *result,
                                               GError **error);

G_END_DECLS
