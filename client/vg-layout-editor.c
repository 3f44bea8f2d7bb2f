/* vg-layout-editor.c: a mosaic's grid drawn small, cells merged by dragging across them
 * and split by a click (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vg-layout-editor.h"

#define GAP 3.0   /* pixels between cells */

struct _VgLayoutEditor
{
  GtkWidget parent_instance;

  VgLayout *layout;
  gboolean dragging;
  double start_x;         /* where the drag began, in pixels */
  double start_y;
  guint drag_column;      /* and in grid units */
  guint drag_row;
  guint hover_column;     /* where it is now */
  guint hover_row;
};

G_DEFINE_FINAL_TYPE (VgLayoutEditor, vg_layout_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LAYOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Geometry */

static double
unit_width (VgLayoutEditor *self)
{
  return (double) gtk_widget_get_width (GTK_WIDGET (self)) / vg_layout_get_columns (self->layout);
}

static double
unit_height (VgLayoutEditor *self)
{
  return (double) gtk_widget_get_height (GTK_WIDGET (self)) / vg_layout_get_rows (self->layout);
}

/* The grid unit under (x, y), clamped to the grid. */
static void
unit_at (VgLayoutEditor *self,
         double          x,
         double          y,
         guint          *column,
         guint          *row)
{
  double c = floor (x / unit_width (self));
  double r = floor (y / unit_height (self));

  *column = (guint) CLAMP (c, 0, vg_layout_get_columns (self->layout) - 1);
  *row = (guint) CLAMP (r, 0, vg_layout_get_rows (self->layout) - 1);
}

static graphene_rect_t
rect_of (VgLayoutEditor *self,
         guint           x,
         guint           y,
         guint           width,
         guint           height)
{
  double w = unit_width (self);
  double h = unit_height (self);

  return GRAPHENE_RECT_INIT ((float) (x * w + GAP / 2), (float) (y * h + GAP / 2),
                             (float) MAX (width * w - GAP, 1), (float) MAX (height * h - GAP, 1));
}

/* Drawing */

static void
draw_number (VgLayoutEditor        *self,
             GtkSnapshot           *snapshot,
             const graphene_rect_t *rect,
             guint                  number,
             const GdkRGBA         *color)
{
  g_autofree char *text = g_strdup_printf ("%u", number);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;
  int height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect->origin.x + (rect->size.width - width) / 2,
                                                          rect->origin.y + (rect->size.height - height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
vg_layout_editor_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  VgLayoutEditor *self = VG_LAYOUT_EDITOR (widget);
  GdkRGBA fg;
  GdkRGBA cell_color;
  GdkRGBA merged_color;
  GdkRGBA selection = { 0.21f, 0.52f, 0.89f, 0.45f };

  if (self->layout == NULL)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cell_color = (GdkRGBA) { fg.red, fg.green, fg.blue, 0.12f };
  merged_color = (GdkRGBA) { fg.red, fg.green, fg.blue, 0.22f };

  for (guint i = 0; i < vg_layout_get_n_cells (self->layout); i++)
    {
      const VgLayoutCell *cell = vg_layout_get_cell (self->layout, i);
      graphene_rect_t rect = rect_of (self, cell->x, cell->y, cell->width, cell->height);
      gboolean merged = cell->width > 1 || cell->height > 1;

      gtk_snapshot_append_color (snapshot, merged ? &merged_color : &cell_color, &rect);
      draw_number (self, snapshot, &rect, i + 1, &fg);
    }

  if (self->dragging)
    {
      guint x = MIN (self->drag_column, self->hover_column);
      guint y = MIN (self->drag_row, self->hover_row);
      graphene_rect_t rect = rect_of (self, x, y,
                                      MAX (self->drag_column, self->hover_column) - x + 1,
                                      MAX (self->drag_row, self->hover_row) - y + 1);

      gtk_snapshot_append_color (snapshot, &selection, &rect);
    }
}

static void
vg_layout_editor_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  /* 16:9, as most cameras */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 135;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 270;
}

/* Editing */

static void
vg_layout_editor_replace (VgLayoutEditor *self,
                          VgLayout       *layout)
{
  if (layout == NULL || vg_layout_equal (layout, self->layout))
    {
      g_clear_pointer (&layout, vg_layout_unref);
      return;
    }
  g_clear_pointer (&self->layout, vg_layout_unref);
  self->layout = layout;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

void
vg_layout_editor_merge (VgLayoutEditor *self,
                        guint           column_a,
                        guint           row_a,
                        guint           column_b,
                        guint           row_b)
{
  g_return_if_fail (VG_IS_LAYOUT_EDITOR (self));
  g_return_if_fail (self->layout != NULL);

  vg_layout_editor_replace (self, vg_layout_merge (self->layout, column_a, row_a, column_b, row_b));
}

void
vg_layout_editor_click (VgLayoutEditor *self,
                        guint           column,
                        guint           row)
{
  const VgLayoutCell *cell;
  guint index;

  g_return_if_fail (VG_IS_LAYOUT_EDITOR (self));
  g_return_if_fail (self->layout != NULL);

  if (!vg_layout_find_cell (self->layout, column, row, &index))
    return;
  cell = vg_layout_get_cell (self->layout, index);
  if (cell->width > 1 || cell->height > 1)
    vg_layout_editor_replace (self, vg_layout_split (self->layout, index));
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               VgLayoutEditor *self)
{
  if (self->layout == NULL)
    return;
  self->start_x = x;
  self->start_y = y;
  unit_at (self, x, y, &self->drag_column, &self->drag_row);
  self->hover_column = self->drag_column;
  self->hover_row = self->drag_row;
  self->dragging = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                VgLayoutEditor *self)
{
  if (!self->dragging)
    return;
  unit_at (self, self->start_x + offset_x, self->start_y + offset_y,
           &self->hover_column, &self->hover_row);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             VgLayoutEditor *self)
{
  if (!self->dragging)
    return;
  drag_update_cb (gesture, offset_x, offset_y, self);
  self->dragging = FALSE;
  if (self->hover_column == self->drag_column && self->hover_row == self->drag_row)
    vg_layout_editor_click (self, self->drag_column, self->drag_row);
  else
    vg_layout_editor_merge (self, self->drag_column, self->drag_row,
                            self->hover_column, self->hover_row);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Public */

GtkWidget *
vg_layout_editor_new (void)
{
  return g_object_new (VG_TYPE_LAYOUT_EDITOR, NULL);
}

void
vg_layout_editor_set_layout (VgLayoutEditor *self,
                             VgLayout       *layout)
{
  g_return_if_fail (VG_IS_LAYOUT_EDITOR (self));
  g_return_if_fail (layout != NULL);

  if (self->layout == NULL)
    {
      self->layout = vg_layout_ref (layout);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
      return;
    }
  vg_layout_editor_replace (self, vg_layout_ref (layout));
}

VgLayout *
vg_layout_editor_get_layout (VgLayoutEditor *self)
{
  g_return_val_if_fail (VG_IS_LAYOUT_EDITOR (self), NULL);

  return self->layout;
}

/* GObject */

static void
vg_layout_editor_finalize (GObject *object)
{
  VgLayoutEditor *self = VG_LAYOUT_EDITOR (object);

  g_clear_pointer (&self->layout, vg_layout_unref);

  G_OBJECT_CLASS (vg_layout_editor_parent_class)->finalize (object);
}

static void
vg_layout_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VgLayoutEditor *self = VG_LAYOUT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      g_value_set_boxed (value, self->layout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_layout_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VgLayoutEditor *self = VG_LAYOUT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      if (g_value_get_boxed (value) != NULL)
        vg_layout_editor_set_layout (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_layout_editor_class_init (VgLayoutEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vg_layout_editor_finalize;
  object_class->get_property = vg_layout_editor_get_property;
  object_class->set_property = vg_layout_editor_set_property;
  widget_class->snapshot = vg_layout_editor_snapshot;
  widget_class->measure = vg_layout_editor_measure;

  properties[PROP_LAYOUT] =
    g_param_spec_boxed ("layout", NULL, NULL, VG_TYPE_LAYOUT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "vglayouteditor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vg_layout_editor_init (VgLayoutEditor *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mosaic layout: drag across cells to merge them, click a merged cell to split it"),
                                  -1);
}
