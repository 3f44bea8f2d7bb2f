/* vg-server-info.h: what GET /api/v1/server tells about a node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VG_TYPE_SERVER_INFO (vg_server_info_get_type ())
G_DECLARE_FINAL_TYPE (VgServerInfo, vg_server_info, VG, SERVER_INFO, GObject)

VgServerInfo *vg_server_info_new           (const char *name, const char *version,
                                            GDateTime *time, const char *time_zone,
                                            gint64 uptime_seconds);
const char   *vg_server_info_get_name      (VgServerInfo *self);
const char   *vg_server_info_get_version   (VgServerInfo *self);
GDateTime    *vg_server_info_get_time      (VgServerInfo *self);   /* UTC */
const char   *vg_server_info_get_time_zone (VgServerInfo *self);   /* e.g. "Europe/Paris" */
gint64        vg_server_info_get_uptime    (VgServerInfo *self);   /* seconds */
/* The ports of the node's live relay: rtsp:// (8554 when not told) and rtsps:// (the
 * rtsp:// port when not told). */
guint         vg_server_info_get_rtsp_port  (VgServerInfo *self);
void          vg_server_info_set_rtsp_port  (VgServerInfo *self, guint port);
guint         vg_server_info_get_rtsps_port (VgServerInfo *self);
void          vg_server_info_set_rtsps_port (VgServerInfo *self, guint port);

#define VG_SERVER_INFO_DEFAULT_RTSP_PORT 8554

/* {"name","version","time":"…Z","time_zone","uptime","rtsp_port","rtsps_port"}; the
 * ports are read leniently (older nodes do not send them) */
JsonNode     *vg_server_info_to_json       (VgServerInfo *self);
VgServerInfo *vg_server_info_new_from_json (JsonNode *node, GError **error);

G_END_DECLS
