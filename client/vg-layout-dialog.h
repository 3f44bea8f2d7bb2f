/* vg-layout-dialog.h: a custom mosaic grid built and applied to the window's mosaic
 * (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-layout-editor.h"

G_BEGIN_DECLS

struct _VgWindow;

#define VG_LAYOUT_DIALOG_SIZE_MAX 8

#define VG_TYPE_LAYOUT_DIALOG (vg_layout_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VgLayoutDialog, vg_layout_dialog, VG, LAYOUT_DIALOG, AdwWindow)

/**
 * VgLayoutDialog:
 *
 * Columns × rows (1–8 each) and a VgLayoutEditor to merge and split cells, starting
 * from the window's mosaic layout (when it fits). "layout.apply" shows the layout in
 * the window's mosaic, its cameras kept in cell order, and closes the dialog.
 */
VgLayoutDialog *vg_layout_dialog_new        (struct _VgWindow *window);
VgLayoutEditor *vg_layout_dialog_get_editor (VgLayoutDialog *self);
/* As the spin buttons do: the grid made columns × rows. */
void            vg_layout_dialog_set_size   (VgLayoutDialog *self, guint columns, guint rows);

G_END_DECLS
