/* vg-mosaic-cycle.h: a user's saved mosaics shown one after the other (CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vg-connection.h"
#include "vg-mosaic.h"

G_BEGIN_DECLS

#define VG_TYPE_MOSAIC_CYCLE (vg_mosaic_cycle_get_type ())
G_DECLARE_FINAL_TYPE (VgMosaicCycle, vg_mosaic_cycle, VG, MOSAIC_CYCLE, GObject)

/**
 * VgMosaicCycle:
 *
 * Shows the mosaics a user saved on the node (GET /api/v1/mosaics) in a VgMosaic, each
 * for its dwell time, then the next, round and round. Pausing keeps the mosaic shown
 * until resumed; the mosaic being shown then gets its whole dwell time again.
 *
 * Properties: "running", "paused", "position" (the index of the mosaic shown,
 * G_MAXUINT when not running), "n-mosaics".
 */
VgMosaicCycle *vg_mosaic_cycle_new          (VgMosaic *mosaic, VgConnection *connection);

/* Loads the user's mosaics from the node and shows the first. */
void           vg_mosaic_cycle_start        (VgMosaicCycle *self);
/* Starts with these mosaics (as the API gives them) instead of the node's. */
gboolean       vg_mosaic_cycle_start_with   (VgMosaicCycle *self, JsonArray *mosaics,
                                             GError **error);
void           vg_mosaic_cycle_stop         (VgMosaicCycle *self);
gboolean       vg_mosaic_cycle_get_running  (VgMosaicCycle *self);

void           vg_mosaic_cycle_set_paused   (VgMosaicCycle *self, gboolean paused);
gboolean       vg_mosaic_cycle_get_paused   (VgMosaicCycle *self);
/* Shows the next mosaic now. */
void           vg_mosaic_cycle_next         (VgMosaicCycle *self);

guint          vg_mosaic_cycle_get_position (VgMosaicCycle *self);
guint          vg_mosaic_cycle_get_n_mosaics (VgMosaicCycle *self);

G_END_DECLS
