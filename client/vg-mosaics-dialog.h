/* vg-mosaics-dialog.h: the user's mosaics saved on the node: open, rename, delete, dwell
 * times of the cycle (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-saved-mosaic.h"

G_BEGIN_DECLS

struct _VgWindow;

#define VG_TYPE_MOSAICS_DIALOG (vg_mosaics_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VgMosaicsDialog, vg_mosaics_dialog, VG, MOSAICS_DIALOG, AdwWindow)

/**
 * VgMosaicsDialog:
 *
 * Lists the mosaics the user saved on the window's node (GET /api/v1/mosaics), in the
 * cycle's order, each with its dwell time (changed on the node as it is edited) and
 * buttons to open it in the window's mosaic, rename it and delete it (asked first).
 * "Save Current…" saves the window's mosaic (vg_mosaic_save_async()). Closed after a
 * change, it has a running mosaic cycle read the mosaics again.
 *
 * Actions, their parameter a mosaic's id: "mosaics.open", "mosaics.rename",
 * "mosaics.delete"; and "mosaics.save".
 */
VgMosaicsDialog *vg_mosaics_dialog_new        (struct _VgWindow *window);
/* Reads the list again from the node. */
void             vg_mosaics_dialog_reload     (VgMosaicsDialog *self);
/* (transfer none) the mosaics listed, of VgSavedMosaic; "items-changed" once loaded */
GListModel      *vg_mosaics_dialog_get_mosaics (VgMosaicsDialog *self);

G_END_DECLS
