/* vg-api-routes.h: the route tables of the API, one per resource file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-api-request.h"

G_BEGIN_DECLS

/* Each table ends with an entry whose method is NULL. */
extern const VgApiRoute vg_api_system_routes[];   /* vg-api-system.c: health, server, metrics, events */
extern const VgApiRoute vg_api_session_routes[];  /* vg-api-session.c: login, logout */
extern const VgApiRoute vg_api_camera_routes[];   /* vg-api-cameras.c */
extern const VgApiRoute vg_api_user_routes[];     /* vg-api-users.c */
extern const VgApiRoute vg_api_recording_routes[]; /* vg-api-recordings.c */
extern const VgApiRoute vg_api_storage_routes[];  /* vg-api-storage.c: disks, protections, deletion */
extern const VgApiRoute vg_api_mosaic_routes[];   /* vg-api-mosaics.c: each user's mosaics */
extern const VgApiRoute vg_api_playback_routes[]; /* vg-api-playback.c: segments and their bytes */
extern const VgApiRoute vg_api_export_routes[];   /* vg-api-export.c: export.mkv/.zip, export jobs */

G_END_DECLS
