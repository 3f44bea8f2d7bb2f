/* vg-layout.c: the geometry of a mosaic: cells on a grid, some merged (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vigie.h"

#include "vg-layout.h"

struct _VgLayout
{
  gatomicrefcount ref_count;
  guint columns;
  guint rows;
  guint n_cells;
  VgLayoutCell cells[];
};

G_DEFINE_BOXED_TYPE (VgLayout, vg_layout, vg_layout_ref, vg_layout_unref)

static const guint presets[] = { 1, 4, 6, 8, 9, 10, 13, 16, 25, 36, 64 };

static VgLayout *
vg_layout_alloc (guint columns,
                 guint rows,
                 guint n_cells)
{
  VgLayout *self = g_malloc0 (sizeof (VgLayout) + n_cells * sizeof (VgLayoutCell));

  g_atomic_ref_count_init (&self->ref_count);
  self->columns = columns;
  self->rows = rows;
  self->n_cells = n_cells;
  return self;
}

/* Reading order of the top-left corners. */
static int
compare_cells (const void *a,
               const void *b)
{
  const VgLayoutCell *cell_a = a;
  const VgLayoutCell *cell_b = b;

  if (cell_a->y != cell_b->y)
    return cell_a->y < cell_b->y ? -1 : 1;
  if (cell_a->x != cell_b->x)
    return cell_a->x < cell_b->x ? -1 : 1;
  return 0;
}

VgLayout *
vg_layout_new_grid (guint columns,
                    guint rows)
{
  VgLayout *self;

  g_return_val_if_fail (columns >= 1 && columns <= VG_LAYOUT_SIZE_MAX, NULL);
  g_return_val_if_fail (rows >= 1 && rows <= VG_LAYOUT_SIZE_MAX, NULL);

  self = vg_layout_alloc (columns, rows, columns * rows);
  for (guint i = 0; i < self->n_cells; i++)
    self->cells[i] = (VgLayoutCell) { i % columns, i / columns, 1, 1 };

  return self;
}

/* A grid of columns × rows units with the given large cells (inside it, apart from
 * each other); every unit they leave is a cell of its own. */
static VgLayout *
new_filled (guint               columns,
            guint               rows,
            const VgLayoutCell *large,
            guint               n_large)
{
  VgLayoutCell cells[VG_LAYOUT_SIZE_MAX * VG_LAYOUT_SIZE_MAX];
  gboolean covered[VG_LAYOUT_SIZE_MAX][VG_LAYOUT_SIZE_MAX] = { { FALSE } };
  guint n_cells = 0;

  for (guint i = 0; i < n_large; i++)
    {
      cells[n_cells++] = large[i];
      for (guint y = large[i].y; y < large[i].y + large[i].height; y++)
        for (guint x = large[i].x; x < large[i].x + large[i].width; x++)
          covered[y][x] = TRUE;
    }

  for (guint y = 0; y < rows; y++)
    for (guint x = 0; x < columns; x++)
      if (!covered[y][x])
        cells[n_cells++] = (VgLayoutCell) { x, y, 1, 1 };

  return vg_layout_new_custom (columns, rows, cells, n_cells, NULL);
}

static VgLayout *
new_with_large_cells (guint               size,
                      const VgLayoutCell *large,
                      guint               n_large)
{
  return new_filled (size, size, large, n_large);
}

VgLayout *
vg_layout_new_preset (guint n_cells)
{
  static const VgLayoutCell six[] = { { 0, 0, 2, 2 } };
  static const VgLayoutCell eight[] = { { 0, 0, 3, 3 } };
  static const VgLayoutCell ten[] = { { 0, 0, 2, 2 }, { 2, 0, 2, 2 } };
  static const VgLayoutCell thirteen[] = { { 1, 1, 2, 2 } };

  switch (n_cells)
    {
    case 1:
    case 4:
    case 9:
    case 16:
    case 25:
    case 36:
    case 64:
      {
        guint side = 1;

        while (side * side < n_cells)
          side++;
        return vg_layout_new_grid (side, side);
      }
    case 6:
      return new_with_large_cells (3, six, G_N_ELEMENTS (six));
    case 8:
      return new_with_large_cells (4, eight, G_N_ELEMENTS (eight));
    case 10:
      return new_with_large_cells (4, ten, G_N_ELEMENTS (ten));
    case 13:
      return new_with_large_cells (4, thirteen, G_N_ELEMENTS (thirteen));
    default:
      return NULL;
    }
}

const guint *
vg_layout_get_presets (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

VgLayout *
vg_layout_new_custom (guint               columns,
                      guint               rows,
                      const VgLayoutCell *cells,
                      guint               n_cells,
                      GError            **error)
{
  g_autofree guint *owner = NULL;
  VgLayout *self;

  g_return_val_if_fail (cells != NULL || n_cells == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (columns < 1 || columns > VG_LAYOUT_SIZE_MAX || rows < 1 || rows > VG_LAYOUT_SIZE_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "a layout has 1–%d columns and rows, not %u×%u",
                   VG_LAYOUT_SIZE_MAX, columns, rows);
      return NULL;
    }

  /* owner[unit] = 1 + the index of the cell covering it, 0 for none */
  owner = g_new0 (guint, columns * rows);
  for (guint i = 0; i < n_cells; i++)
    {
      const VgLayoutCell *cell = &cells[i];

      if (cell->width < 1 || cell->height < 1 ||
          cell->x >= columns || cell->width > columns - cell->x ||
          cell->y >= rows || cell->height > rows - cell->y)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "cell %u (%u,%u %u×%u) is outside the %u×%u grid",
                       i, cell->x, cell->y, cell->width, cell->height, columns, rows);
          return NULL;
        }

      for (guint y = cell->y; y < cell->y + cell->height; y++)
        for (guint x = cell->x; x < cell->x + cell->width; x++)
          {
            if (owner[y * columns + x] != 0)
              {
                g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                             "cells %u and %u overlap at %u,%u",
                             owner[y * columns + x] - 1, i, x, y);
                return NULL;
              }
            owner[y * columns + x] = i + 1;
          }
    }

  for (guint unit = 0; unit < columns * rows; unit++)
    {
      if (owner[unit] == 0)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "no cell covers %u,%u", unit % columns, unit / columns);
          return NULL;
        }
    }

  self = vg_layout_alloc (columns, rows, n_cells);
  memcpy (self->cells, cells, n_cells * sizeof (VgLayoutCell));
  qsort (self->cells, n_cells, sizeof (VgLayoutCell), compare_cells);
  return self;
}

/* Editing (CLI-4) */

static gboolean
cells_intersect (const VgLayoutCell *a,
                 const VgLayoutCell *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
cell_contains (const VgLayoutCell *outer,
               const VgLayoutCell *inner)
{
  return inner->x >= outer->x && inner->x + inner->width <= outer->x + outer->width &&
         inner->y >= outer->y && inner->y + inner->height <= outer->y + outer->height;
}

static VgLayoutCell
cell_union (const VgLayoutCell *a,
            const VgLayoutCell *b)
{
  guint x = MIN (a->x, b->x);
  guint y = MIN (a->y, b->y);

  return (VgLayoutCell) { x, y, MAX (a->x + a->width, b->x + b->width) - x,
                          MAX (a->y + a->height, b->y + b->height) - y };
}

VgLayout *
vg_layout_merge (const VgLayout *self,
                 guint           column_a,
                 guint           row_a,
                 guint           column_b,
                 guint           row_b)
{
  VgLayoutCell cells[VG_LAYOUT_SIZE_MAX * VG_LAYOUT_SIZE_MAX];
  VgLayoutCell merged;
  gboolean grown = TRUE;
  guint n_cells = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column_a < self->columns && column_b < self->columns, NULL);
  g_return_val_if_fail (row_a < self->rows && row_b < self->rows, NULL);

  merged = (VgLayoutCell) { MIN (column_a, column_b), MIN (row_a, row_b),
                            (column_a > column_b ? column_a - column_b : column_b - column_a) + 1,
                            (row_a > row_b ? row_a - row_b : row_b - row_a) + 1 };

  /* Grown until no cell lies across its edge. */
  while (grown)
    {
      grown = FALSE;
      for (guint i = 0; i < self->n_cells; i++)
        if (cells_intersect (&merged, &self->cells[i]) && !cell_contains (&merged, &self->cells[i]))
          {
            merged = cell_union (&merged, &self->cells[i]);
            grown = TRUE;
          }
    }

  cells[n_cells++] = merged;
  for (guint i = 0; i < self->n_cells; i++)
    if (!cell_contains (&merged, &self->cells[i]))
      cells[n_cells++] = self->cells[i];

  return vg_layout_new_custom (self->columns, self->rows, cells, n_cells, NULL);
}

VgLayout *
vg_layout_split (const VgLayout *self,
                 guint           index)
{
  VgLayoutCell cells[VG_LAYOUT_SIZE_MAX * VG_LAYOUT_SIZE_MAX];
  guint n_cells = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_cells, NULL);

  for (guint i = 0; i < self->n_cells; i++)
    if (i != index)
      cells[n_cells++] = self->cells[i];

  /* new_filled() makes units of what the others leave: the split cell's. */
  return new_filled (self->columns, self->rows, cells, n_cells);
}

VgLayout *
vg_layout_resize (const VgLayout *self,
                  guint           columns,
                  guint           rows)
{
  VgLayoutCell cells[VG_LAYOUT_SIZE_MAX * VG_LAYOUT_SIZE_MAX];
  guint n_cells = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (columns >= 1 && columns <= VG_LAYOUT_SIZE_MAX, NULL);
  g_return_val_if_fail (rows >= 1 && rows <= VG_LAYOUT_SIZE_MAX, NULL);

  for (guint i = 0; i < self->n_cells; i++)
    {
      VgLayoutCell cell = self->cells[i];

      if (cell.x >= columns || cell.y >= rows)
        continue;
      cell.width = MIN (cell.width, columns - cell.x);
      cell.height = MIN (cell.height, rows - cell.y);
      cells[n_cells++] = cell;
    }

  return new_filled (columns, rows, cells, n_cells);
}

VgLayout *
vg_layout_ref (VgLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
vg_layout_unref (VgLayout *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

guint
vg_layout_get_columns (const VgLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->columns;
}

guint
vg_layout_get_rows (const VgLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rows;
}

guint
vg_layout_get_n_cells (const VgLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_cells;
}

const VgLayoutCell *
vg_layout_get_cell (const VgLayout *self,
                    guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_cells, NULL);

  return &self->cells[index];
}

gboolean
vg_layout_find_cell (const VgLayout *self,
                     guint           column,
                     guint           row,
                     guint          *index)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->n_cells; i++)
    {
      const VgLayoutCell *cell = &self->cells[i];

      if (column >= cell->x && column < cell->x + cell->width &&
          row >= cell->y && row < cell->y + cell->height)
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
vg_layout_equal (const VgLayout *a,
                 const VgLayout *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->columns == b->columns && a->rows == b->rows && a->n_cells == b->n_cells &&
         memcmp (a->cells, b->cells, a->n_cells * sizeof (VgLayoutCell)) == 0;
}
