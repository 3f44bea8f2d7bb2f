/* vg-mosaic.c: live video cells laid out on a grid (CLI-4, CLI-6, CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-mosaic.h"

#define CAMERA_NUMBER_DIGITS_MAX 9

struct _VgMosaic
{
  GtkWidget parent_instance;

  VgConnection *connection;        /* the default node */
  VgConnectionList *connections;   /* the nodes whose cameras may be dropped; nullable */
  VgLayout *layout;
  GPtrArray *views;          /* of VgVideoView, one per cell, owned */
  guint selected;
  guint maximized;           /* G_MAXUINT for none */
  GString *typed;            /* a camera number being typed */

  GtkOverlay *overlay;
  GtkGrid *grid;
  GtkLabel *typed_label;
  GtkPopoverMenu *cell_menu; /* NULL until vg_mosaic_set_cell_menu() */
};

G_DEFINE_FINAL_TYPE (VgMosaic, vg_mosaic, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CAMERA_PLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define CELL_INDEX_KEY "vg-mosaic-cell-index"

static guint
view_index (GtkWidget *view)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), CELL_INDEX_KEY));
}

/* Selection */

void
vg_mosaic_select (VgMosaic *self,
                  guint     index)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (index < self->views->len);

  if (self->selected < self->views->len)
    gtk_widget_remove_css_class (g_ptr_array_index (self->views, self->selected), "selected");
  self->selected = index;
  gtk_widget_add_css_class (g_ptr_array_index (self->views, index), "selected");
}

guint
vg_mosaic_get_selected (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), 0);

  return self->selected;
}

/* Maximising */

static void
vg_mosaic_attach (VgMosaic  *self,
                  GtkWidget *view,
                  guint      index)
{
  const VgLayoutCell *cell = vg_layout_get_cell (self->layout, index);

  gtk_grid_attach (self->grid, view, (int) cell->x, (int) cell->y,
                   (int) cell->width, (int) cell->height);
}

static void
vg_mosaic_restore (VgMosaic *self)
{
  GtkWidget *view;

  if (self->maximized == G_MAXUINT)
    return;

  view = g_ptr_array_index (self->views, self->maximized);
  gtk_grid_remove (self->grid, view);
  vg_mosaic_attach (self, view, self->maximized);
  for (guint i = 0; i < self->views->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->views, i), TRUE);
  self->maximized = G_MAXUINT;
}

void
vg_mosaic_toggle_maximized (VgMosaic *self,
                            guint     index)
{
  GtkWidget *view;

  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (index < self->views->len);

  if (self->maximized == index)
    {
      vg_mosaic_restore (self);
      return;
    }

  vg_mosaic_restore (self);
  for (guint i = 0; i < self->views->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->views, i), i == index);

  /* The view stays the same: its picture stays while it switches to the main stream. */
  view = g_ptr_array_index (self->views, index);
  gtk_grid_remove (self->grid, view);
  gtk_grid_attach (self->grid, view, 0, 0, (int) vg_layout_get_columns (self->layout),
                   (int) vg_layout_get_rows (self->layout));
  self->maximized = index;
}

guint
vg_mosaic_get_maximized (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), G_MAXUINT);

  return self->maximized;
}

/* Per-cell input */

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 VgMosaic        *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  guint index = view_index (view);

  vg_mosaic_select (self, index);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 2)
    vg_mosaic_toggle_maximized (self, index);
}

/* A secondary click on a cell: the cell is selected and its menu pops up there. */
static void
cell_menu_pressed_cb (GtkGestureClick *gesture,
                      int              n_press G_GNUC_UNUSED,
                      double           x,
                      double           y,
                      VgMosaic        *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (vg_mosaic_popup_cell_menu (self, view_index (view), x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
cell_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              VgMosaic      *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  VgCamera *camera = g_value_get_object (value);

  if (camera == NULL)
    return FALSE;

  return vg_mosaic_drop_camera (self, view_index (view), camera);
}

static GtkWidget *
vg_mosaic_new_view (VgMosaic *self,
                    guint     index)
{
  GtkWidget *view = vg_video_view_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *menu_click = gtk_gesture_click_new ();
  GtkDropTarget *drop = gtk_drop_target_new (VG_TYPE_CAMERA, GDK_ACTION_COPY);

  g_object_set_data (G_OBJECT (view), CELL_INDEX_KEY, GUINT_TO_POINTER (index));

  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), self);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (menu_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (menu_click, "pressed", G_CALLBACK (cell_menu_pressed_cb), self);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (menu_click));
  g_signal_connect (drop, "drop", G_CALLBACK (cell_drop_cb), self);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (drop));

  return view;
}

/* Layout and cameras */

/* What a cell shows, kept across a change of layout. */
typedef struct {
  VgConnection *connection;
  VgCamera *camera;
} CellSource;

static void
cell_source_clear (gpointer data)
{
  CellSource *source = data;

  g_clear_object (&source->connection);
  g_clear_object (&source->camera);
}

void
vg_mosaic_set_layout (VgMosaic *self,
                      VgLayout *layout)
{
  g_autoptr(GArray) sources = g_array_new (FALSE, TRUE, sizeof (CellSource));

  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (layout != NULL);

  if (self->layout != NULL && vg_layout_equal (self->layout, layout))
    return;

  g_array_set_clear_func (sources, cell_source_clear);
  vg_mosaic_restore (self);
  for (guint i = 0; i < self->views->len; i++)
    {
      VgVideoView *view = g_ptr_array_index (self->views, i);
      CellSource source = { NULL, NULL };

      g_set_object (&source.connection, vg_video_view_get_connection (view));
      g_set_object (&source.camera, vg_video_view_get_camera (view));
      g_array_append_val (sources, source);
      gtk_grid_remove (self->grid, GTK_WIDGET (view));
    }
  g_ptr_array_set_size (self->views, 0);

  g_clear_pointer (&self->layout, vg_layout_unref);
  self->layout = vg_layout_ref (layout);

  for (guint i = 0; i < vg_layout_get_n_cells (layout); i++)
    {
      GtkWidget *view = vg_mosaic_new_view (self, i);

      g_ptr_array_add (self->views, g_object_ref_sink (view));
      vg_mosaic_attach (self, view, i);
      if (i < sources->len && g_array_index (sources, CellSource, i).camera != NULL)
        vg_video_view_set_source (VG_VIDEO_VIEW (view),
                                  g_array_index (sources, CellSource, i).connection,
                                  g_array_index (sources, CellSource, i).camera);
    }

  self->selected = G_MAXUINT;
  vg_mosaic_select (self, 0);
}

VgLayout *
vg_mosaic_get_layout (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), NULL);

  return self->layout;
}

guint
vg_mosaic_get_n_cells (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), 0);

  return self->views->len;
}

VgVideoView *
vg_mosaic_get_view (VgMosaic *self,
                    guint     index)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), NULL);
  g_return_val_if_fail (index < self->views->len, NULL);

  return g_ptr_array_index (self->views, index);
}

void
vg_mosaic_set_cell (VgMosaic     *self,
                    guint         index,
                    VgConnection *connection,
                    VgCamera     *camera)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (index < self->views->len);
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));
  g_return_if_fail (camera == NULL || VG_IS_CAMERA (camera));

  vg_video_view_set_source (g_ptr_array_index (self->views, index),
                            camera != NULL ? connection : NULL, camera);
}

void
vg_mosaic_set_camera (VgMosaic *self,
                      guint     index,
                      VgCamera *camera)
{
  g_return_if_fail (VG_IS_MOSAIC (self));

  vg_mosaic_set_cell (self, index, self->connection, camera);
}

/**
 * vg_mosaic_get_cell_connection:
 *
 * Returns: (transfer none) (nullable): the node of the cell's camera
 */
VgConnection *
vg_mosaic_get_cell_connection (VgMosaic *self,
                               guint     index)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), NULL);
  g_return_val_if_fail (index < self->views->len, NULL);

  return vg_video_view_get_connection (g_ptr_array_index (self->views, index));
}

gboolean
vg_mosaic_drop_camera (VgMosaic *self,
                       guint     index,
                       VgCamera *camera)
{
  VgConnection *connection = NULL;

  g_return_val_if_fail (VG_IS_MOSAIC (self), FALSE);
  g_return_val_if_fail (index < self->views->len, FALSE);
  g_return_val_if_fail (VG_IS_CAMERA (camera), FALSE);

  if (self->connections != NULL)
    connection = vg_connection_list_find_camera_owner (self->connections, camera);
  else if (self->connection != NULL &&
           vg_connection_lookup_camera (self->connection, vg_camera_get_id (camera)) == camera)
    connection = self->connection;
  if (connection == NULL)
    return FALSE;

  vg_mosaic_set_cell (self, index, connection, camera);
  vg_mosaic_select (self, index);
  g_signal_emit (self, signals[SIGNAL_CAMERA_PLACED], 0, index);
  return TRUE;
}

void
vg_mosaic_fill_with (VgMosaic     *self,
                     VgConnection *connection,
                     GListModel   *cameras)
{
  guint n_items;

  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));
  g_return_if_fail (G_IS_LIST_MODEL (cameras));

  n_items = g_list_model_get_n_items (cameras);
  for (guint i = 0; i < self->views->len && i < n_items; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (cameras, i);

      vg_mosaic_set_cell (self, i, connection, camera);
    }
}

void
vg_mosaic_fill (VgMosaic   *self,
                GListModel *cameras)
{
  g_return_if_fail (VG_IS_MOSAIC (self));

  vg_mosaic_fill_with (self, self->connection, cameras);
}

gboolean
vg_mosaic_is_empty (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), TRUE);

  for (guint i = 0; i < self->views->len; i++)
    {
      if (vg_video_view_get_camera (g_ptr_array_index (self->views, i)) != NULL)
        return FALSE;
    }
  return TRUE;
}

void
vg_mosaic_set_connection (VgMosaic     *self,
                          VgConnection *connection)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
}

/**
 * vg_mosaic_get_connection:
 *
 * Returns: (transfer none) (nullable): the default node
 */
VgConnection *
vg_mosaic_get_connection (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), NULL);

  return self->connection;
}

void
vg_mosaic_set_connections (VgMosaic         *self,
                           VgConnectionList *connections)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (connections == NULL || VG_IS_CONNECTION_LIST (connections));

  g_set_object (&self->connections, connections);
}

void
vg_mosaic_forget_connection (VgMosaic     *self,
                             VgConnection *connection)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (VG_IS_CONNECTION (connection));

  for (guint i = 0; i < self->views->len; i++)
    {
      if (vg_mosaic_get_cell_connection (self, i) == connection)
        vg_mosaic_set_cell (self, i, NULL, NULL);
    }
  if (self->connection == connection)
    g_clear_object (&self->connection);
}

/* Camera numbers typed on the keypad */

static void
vg_mosaic_update_typed (VgMosaic *self)
{
  g_autofree char *text = NULL;

  if (self->typed->len > 0)
    /* Translators: a camera number being typed, as in “Camera 12” */
    text = g_strdup_printf (_("Camera %s"), self->typed->str);
  gtk_label_set_label (self->typed_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->typed_label), text != NULL);
}

static int
keyval_digit (guint keyval)
{
  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    return (int) (keyval - GDK_KEY_0);
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return (int) (keyval - GDK_KEY_KP_0);
  return -1;
}

/* Enter: the typed camera of the selected cell's node (the default one for an empty
 * cell) goes to the selected cell. */
static void
vg_mosaic_take_typed (VgMosaic *self)
{
  gint64 id = g_ascii_strtoll (self->typed->str, NULL, 10);
  VgConnection *connection = self->selected < self->views->len
                             ? vg_mosaic_get_cell_connection (self, self->selected) : NULL;
  VgCamera *camera;

  if (connection == NULL)
    connection = self->connection;
  camera = connection != NULL && id > 0 ? vg_connection_lookup_camera (connection, id) : NULL;

  g_string_truncate (self->typed, 0);
  vg_mosaic_update_typed (self);

  if (camera == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (self->selected < self->views->len)
    {
      vg_mosaic_set_cell (self, self->selected, connection, camera);
      g_signal_emit (self, signals[SIGNAL_CAMERA_PLACED], 0, self->selected);
    }
}

gboolean
vg_mosaic_handle_key (VgMosaic *self,
                      guint     keyval)
{
  int digit = keyval_digit (keyval);

  g_return_val_if_fail (VG_IS_MOSAIC (self), FALSE);

  if (digit >= 0)
    {
      if (self->typed->len < CAMERA_NUMBER_DIGITS_MAX)
        g_string_append_c (self->typed, (char) ('0' + digit));
      vg_mosaic_update_typed (self);
      return TRUE;
    }

  if (self->typed->len == 0)
    {
      if (keyval == GDK_KEY_Escape && self->maximized != G_MAXUINT)
        {
          vg_mosaic_restore (self);
          return TRUE;
        }
      return FALSE;
    }

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      vg_mosaic_take_typed (self);
      return TRUE;
    case GDK_KEY_BackSpace:
      g_string_truncate (self->typed, self->typed->len - 1);
      vg_mosaic_update_typed (self);
      return TRUE;
    case GDK_KEY_Escape:
      g_string_truncate (self->typed, 0);
      vg_mosaic_update_typed (self);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                VgMosaic              *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  /* The menu key, or Shift+F10: the selected cell's menu. */
  if (keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK)))
    return self->selected < self->views->len && vg_mosaic_popup_cell_menu (self, self->selected, -1, -1);

  return vg_mosaic_handle_key (self, keyval);
}

/* The cell menu */

void
vg_mosaic_set_cell_menu (VgMosaic   *self,
                         GMenuModel *menu)
{
  g_return_if_fail (VG_IS_MOSAIC (self));
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));

  if (self->cell_menu == NULL)
    {
      self->cell_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->cell_menu), FALSE);
      gtk_widget_set_halign (GTK_WIDGET (self->cell_menu), GTK_ALIGN_START);
      gtk_widget_set_parent (GTK_WIDGET (self->cell_menu), GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (self->cell_menu, menu);
}

GtkPopover *
vg_mosaic_get_cell_menu (VgMosaic *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC (self), NULL);

  return self->cell_menu != NULL ? GTK_POPOVER (self->cell_menu) : NULL;
}

gboolean
vg_mosaic_popup_cell_menu (VgMosaic *self,
                           guint     index,
                           double    x,
                           double    y)
{
  GtkWidget *view;
  double mx;
  double my;

  g_return_val_if_fail (VG_IS_MOSAIC (self), FALSE);
  g_return_val_if_fail (index < self->views->len, FALSE);

  if (self->cell_menu == NULL || gtk_popover_menu_get_menu_model (self->cell_menu) == NULL)
    return FALSE;
  view = g_ptr_array_index (self->views, index);
  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (view) / 2.0;
      y = gtk_widget_get_height (view) / 2.0;
    }
  vg_mosaic_select (self, index);
  if (!gtk_widget_translate_coordinates (view, GTK_WIDGET (self), x, y, &mx, &my))
    return FALSE;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->cell_menu),
                               &(GdkRectangle) { (int) mx, (int) my, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->cell_menu));
  return TRUE;
}

/* GObject */

GtkWidget *
vg_mosaic_new (void)
{
  return g_object_new (VG_TYPE_MOSAIC, NULL);
}

static void
vg_mosaic_dispose (GObject *object)
{
  VgMosaic *self = VG_MOSAIC (object);
  GtkWidget *child;

  g_clear_object (&self->connection);
  g_clear_object (&self->connections);
  self->cell_menu = NULL;  /* unparented with the other children */
  if (self->views != NULL)
    g_ptr_array_set_size (self->views, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vg_mosaic_parent_class)->dispose (object);
}

static void
vg_mosaic_finalize (GObject *object)
{
  VgMosaic *self = VG_MOSAIC (object);

  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->layout, vg_layout_unref);
  g_string_free (self->typed, TRUE);

  G_OBJECT_CLASS (vg_mosaic_parent_class)->finalize (object);
}

static void
vg_mosaic_class_init (VgMosaicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_mosaic_dispose;
  object_class->finalize = vg_mosaic_finalize;

  /* The operator put a camera in a cell (dropped, or typed on the keypad). */
  signals[SIGNAL_CAMERA_PLACED] =
    g_signal_new ("camera-placed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vgmosaic");
}

static void
vg_mosaic_init (VgMosaic *self)
{
  g_autoptr(VgLayout) layout = vg_layout_new_grid (2, 2);
  GtkEventController *keys;

  self->views = g_ptr_array_new_with_free_func (g_object_unref);
  self->maximized = G_MAXUINT;
  self->selected = G_MAXUINT;
  self->typed = g_string_new (NULL);

  self->overlay = GTK_OVERLAY (gtk_overlay_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->overlay), GTK_WIDGET (self));

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_homogeneous (self->grid, TRUE);
  gtk_grid_set_column_homogeneous (self->grid, TRUE);
  gtk_grid_set_row_spacing (self->grid, 2);
  gtk_grid_set_column_spacing (self->grid, 2);
  gtk_overlay_set_child (self->overlay, GTK_WIDGET (self->grid));

  self->typed_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_halign (GTK_WIDGET (self->typed_label), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->typed_label), GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->typed_label), 24);
  gtk_widget_add_css_class (GTK_WIDGET (self->typed_label), "osd");
  gtk_widget_add_css_class (GTK_WIDGET (self->typed_label), "title-2");
  gtk_widget_set_visible (GTK_WIDGET (self->typed_label), FALSE);
  gtk_overlay_add_overlay (self->overlay, GTK_WIDGET (self->typed_label));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  vg_mosaic_set_layout (self, layout);
}
