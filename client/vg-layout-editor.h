/* vg-layout-editor.h: a mosaic's grid drawn small, cells merged by dragging across them
 * and split by a click (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-layout.h"

G_BEGIN_DECLS

#define VG_TYPE_LAYOUT_EDITOR (vg_layout_editor_get_type ())
G_DECLARE_FINAL_TYPE (VgLayoutEditor, vg_layout_editor, VG, LAYOUT_EDITOR, GtkWidget)

/**
 * VgLayoutEditor:
 *
 * Draws a VgLayout's cells, numbered in the order cameras fill them. Dragging from a
 * grid unit to another merges the rectangle between them (vg_layout_merge()); a click
 * on a merged cell splits it (vg_layout_split()). Property "layout" notifies on change.
 */
GtkWidget *vg_layout_editor_new        (void);
void       vg_layout_editor_set_layout (VgLayoutEditor *self, VgLayout *layout);
/* (transfer none) */
VgLayout  *vg_layout_editor_get_layout (VgLayoutEditor *self);

/* What a drag from one grid unit to another does. */
void       vg_layout_editor_merge      (VgLayoutEditor *self, guint column_a, guint row_a,
                                        guint column_b, guint row_b);
/* What a click on a grid unit does: its cell split, when merged. */
void       vg_layout_editor_click      (VgLayoutEditor *self, guint column, guint row);

G_END_DECLS
