/* vg-layout.h: the geometry of a mosaic: cells on a grid, some merged (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VG_LAYOUT_SIZE_MAX 16   /* columns and rows at most */

/* A cell, in grid units: its top-left column and row and how many it spans. */
typedef struct {
  guint x;
  guint y;
  guint width;
  guint height;
} VgLayoutCell;

#define VG_TYPE_LAYOUT (vg_layout_get_type ())

/**
 * VgLayout:
 *
 * An immutable, reference-counted mosaic layout: a grid of columns × rows covered
 * exactly by cells, each a rectangle of one or more grid units. Cells are numbered in
 * reading order of their top-left corner (row by row, left to right), which is the
 * order cameras fill them.
 */
typedef struct _VgLayout VgLayout;

GType               vg_layout_get_type     (void) G_GNUC_CONST;

/* columns × rows cells of one unit each; 1–VG_LAYOUT_SIZE_MAX. */
VgLayout           *vg_layout_new_grid     (guint columns, guint rows);
/* The preset with n_cells cells (1, 4, 6, 8, 9, 10, 13, 16, 25, 36, 64); NULL for any
 * other count. 6, 8, 10 and 13 have large cells among small ones. */
VgLayout           *vg_layout_new_preset   (guint n_cells);
/* Cells in any order; VG_ERROR_INVALID unless they lie inside the grid, do not overlap
 * and leave no hole. */
VgLayout           *vg_layout_new_custom   (guint columns, guint rows,
                                            const VgLayoutCell *cells, guint n_cells,
                                            GError **error);
/* The preset cell counts, ascending; n_presets receives their number. */
const guint        *vg_layout_get_presets  (guint *n_presets);

/* Editing (CLI-4): each returns a new layout, self unchanged. */
/* The grid units from (column_a, row_a) to (column_b, row_b), corners in any order,
 * made one cell, grown to take whole every cell lying across its edge. */
VgLayout           *vg_layout_merge        (const VgLayout *self, guint column_a, guint row_a,
                                            guint column_b, guint row_b);
/* Cell index made cells of one unit each. */
VgLayout           *vg_layout_split        (const VgLayout *self, guint index);
/* The grid made columns × rows: cells cut at the new edges or left out beyond them, new
 * units cells of their own. */
VgLayout           *vg_layout_resize       (const VgLayout *self, guint columns, guint rows);

VgLayout           *vg_layout_ref          (VgLayout *self);
void                vg_layout_unref        (VgLayout *self);

guint               vg_layout_get_columns  (const VgLayout *self);
guint               vg_layout_get_rows     (const VgLayout *self);
guint               vg_layout_get_n_cells  (const VgLayout *self);
const VgLayoutCell *vg_layout_get_cell     (const VgLayout *self, guint index);
/* The cell covering the grid unit (column, row); FALSE outside the grid. */
gboolean            vg_layout_find_cell    (const VgLayout *self, guint column, guint row,
                                            guint *index);
gboolean            vg_layout_equal        (const VgLayout *a, const VgLayout *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgLayout, vg_layout_unref)

G_END_DECLS
