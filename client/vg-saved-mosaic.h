/* vg-saved-mosaic.h: a mosaic as the node keeps it for a user (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vg-connection.h"
#include "vg-layout.h"
#include "vg-mosaic.h"

G_BEGIN_DECLS

#define VG_TYPE_SAVED_MOSAIC (vg_saved_mosaic_get_type ())
G_DECLARE_FINAL_TYPE (VgSavedMosaic, vg_saved_mosaic, VG, SAVED_MOSAIC, GObject)

/**
 * VgSavedMosaic:
 *
 * One of the mosaics of /api/v1/mosaics: its id (0 until the node stored it), name,
 * dwell time in a cycle, layout (merged cells included) and, per cell, the camera
 * (0 for none) and whether it shows the camera's main stream only.
 *
 * The layout's JSON: {"columns", "rows", "cells": [{"x", "y", "w", "h", "camera",
 * "stream"}]}, one cell per rectangle of the layout, in the layout's cell order.
 *
 * Properties "name" and "dwell" notify on change.
 */
VgSavedMosaic *vg_saved_mosaic_new            (const char *name, VgLayout *layout,
                                               const gint64 *cameras, const gboolean *main_only);
/* What a mosaic shows now: its layout, and its cells' cameras and streams; name NULL:
 * the name of the saved mosaic it showed last, if any. Saved on connection's node, the
 * cells of cameras of other nodes are saved empty. */
VgSavedMosaic *vg_saved_mosaic_new_from_mosaic (const char *name, VgMosaic *mosaic,
                                                VgConnection *connection);
/* A mosaic of the API (read leniently: the node checked it). */
VgSavedMosaic *vg_saved_mosaic_new_from_json  (JsonNode *node, GError **error);

gint64         vg_saved_mosaic_get_id         (VgSavedMosaic *self);
const char    *vg_saved_mosaic_get_name       (VgSavedMosaic *self);
void           vg_saved_mosaic_set_name       (VgSavedMosaic *self, const char *name);
guint          vg_saved_mosaic_get_dwell      (VgSavedMosaic *self);   /* seconds */
void           vg_saved_mosaic_set_dwell      (VgSavedMosaic *self, guint dwell);
VgLayout      *vg_saved_mosaic_get_layout     (VgSavedMosaic *self);
/* The camera of cell index, 0 for none. */
gint64         vg_saved_mosaic_get_camera     (VgSavedMosaic *self, guint index);
gboolean       vg_saved_mosaic_get_main_only  (VgSavedMosaic *self, guint index);

/* {"columns", "rows", "cells": […]} */
JsonNode      *vg_saved_mosaic_layout_to_json (VgSavedMosaic *self);
/* The body of a POST or PATCH: {"name", "layout", "dwell"}. */
JsonNode      *vg_saved_mosaic_to_json        (VgSavedMosaic *self);

/* Shows it in mosaic: its layout, its cameras (those the connection still has); the
 * mosaic remembers its name. */
void           vg_saved_mosaic_apply          (VgSavedMosaic *self, VgMosaic *mosaic,
                                               VgConnection *connection);

G_END_DECLS
