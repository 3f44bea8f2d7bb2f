/* vg-camera-manager.h: the node's cameras: configuration now, their pipelines later
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vg-camera.h"
#include "vg-database.h"

G_BEGIN_DECLS

#define VG_TYPE_CAMERA_MANAGER (vg_camera_manager_get_type ())
G_DECLARE_FINAL_TYPE (VgCameraManager, vg_camera_manager, VG, CAMERA_MANAGER, GObject)

/**
 * VgCameraManager:
 *
 * Owns the node's cameras. Every change is stored in the database first (one
 * transaction) and then applied to the in-memory VgCamera, which stays the object
 * the capture, recording and relay of a camera will hang on (later issues start and
 * stop them from the signals below).
 *
 * Signals: "camera-added" (VgCamera), "camera-changed" (VgCamera),
 * "camera-removed" (gint64 id).
 */
VgCameraManager *vg_camera_manager_new           (VgDatabase *database);

void             vg_camera_manager_load_async    (VgCameraManager *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean         vg_camera_manager_load_finish   (VgCameraManager *self, GAsyncResult *result,
                                                  GError **error);

VgCamera        *vg_camera_manager_lookup        (VgCameraManager *self, gint64 id);
/* Sorted by id; element type VgCamera (borrowed). */
GPtrArray       *vg_camera_manager_list          (VgCameraManager *self);
guint            vg_camera_manager_get_n_cameras (VgCameraManager *self);

/* camera: validated, without id. */
void             vg_camera_manager_create_async  (VgCameraManager *self, VgCamera *camera,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
/* patch: a partial JSON body; VG_ERROR_NOT_FOUND, VG_ERROR_INVALID. */
void             vg_camera_manager_update_async  (VgCameraManager *self, gint64 id, JsonNode *patch,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
/* Finish for create and update: the stored camera (the manager's object). */
VgCamera        *vg_camera_manager_save_finish   (VgCameraManager *self, GAsyncResult *result,
                                                  GError **error);
void             vg_camera_manager_delete_async  (VgCameraManager *self, gint64 id,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean         vg_camera_manager_delete_finish (VgCameraManager *self, GAsyncResult *result,
                                                  GError **error);

G_END_DECLS
