/* vg-node.h: the recording node: owns every service and runs start-up and shutdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-auth.h"
#include "vg-camera-manager.h"
#include "vg-capture.h"
#include "vg-database.h"
#include "vg-event-hub.h"
#include "vg-export-jobs.h"
#include "vg-node-config.h"
#include "vg-recording-index.h"
#include "vg-retention.h"
#include "vg-storage.h"
#include "vg-user-manager.h"

G_BEGIN_DECLS

#define VG_TYPE_NODE (vg_node_get_type ())
G_DECLARE_FINAL_TYPE (VgNode, vg_node, VG, NODE, GObject)

/**
 * VgNode:
 *
 * Start-up, in order, each step asynchronous: data directory → TLS certificate →
 * database (the private PostgreSQL cluster unless a DSN is given) → migrations →
 * users (first admin) → sessions → cameras → HTTPS API. The "ready" line is printed
 * by the caller once start completes.
 */
VgNode             *vg_node_new                  (VgNodeConfig *config);  /* takes config */

void                vg_node_start_async          (VgNode *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean            vg_node_start_finish         (VgNode *self, GAsyncResult *result, GError **error);
/* Stops the API, the database worker and the private cluster (blocking, brief). */
void                vg_node_stop                 (VgNode *self);

const VgNodeConfig *vg_node_get_config           (VgNode *self);
VgDatabase         *vg_node_get_database         (VgNode *self);
VgAuth             *vg_node_get_auth             (VgNode *self);
VgUserManager      *vg_node_get_user_manager     (VgNode *self);
VgCameraManager    *vg_node_get_camera_manager   (VgNode *self);
VgEventHub         *vg_node_get_event_hub        (VgNode *self);
VgRecordingIndex   *vg_node_get_recording_index  (VgNode *self);
VgStorage          *vg_node_get_storage          (VgNode *self);
VgCapture          *vg_node_get_capture          (VgNode *self);
/* NULL until the node has started. */
struct _VgRelay    *vg_node_get_relay            (VgNode *self);
VgRetention        *vg_node_get_retention        (VgNode *self);
VgExportJobs       *vg_node_get_export_jobs      (VgNode *self);
gpointer            vg_node_get_api_server       (VgNode *self);
guint               vg_node_get_api_port         (VgNode *self);
/* Seconds since the node started. */
gint64              vg_node_get_uptime           (VgNode *self);
/* The first admin's generated password, set only at the start that created it. */
const char         *vg_node_get_generated_password (VgNode *self);
const char         *vg_node_get_certificate_fingerprint (VgNode *self);

G_END_DECLS
