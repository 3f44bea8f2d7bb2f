/* vg-node-tree.c: the camera tree: nodes and their cameras, searched as typed (CLI-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-camera-row.h"
#include "vg-node-row.h"
#include "vg-node-tree.h"

struct _VgNodeTree
{
  GtkWidget parent_instance;

  VgConnectionList *connections;
  GtkTreeListModel *tree;
  GtkSingleSelection *selection;
  GtkSorter *sorter;             /* cameras by name */
  GtkStringFilter *name_filter;

  GtkScrolledWindow *scrolled;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (VgNodeTree, vg_node_tree, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHANGED,
  SIGNAL_SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "Camera 2" before "Camera 10", case and accents aside. */
static int
compare_camera_names (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data G_GNUC_UNUSED)
{
  const char *name_a = vg_camera_get_name ((VgCamera *) a);
  const char *name_b = vg_camera_get_name ((VgCamera *) b);
  g_autofree char *fold_a = g_utf8_casefold (name_a != NULL ? name_a : "", -1);
  g_autofree char *fold_b = g_utf8_casefold (name_b != NULL ? name_b : "", -1);
  g_autofree char *key_a = g_utf8_collate_key_for_filename (fold_a, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (fold_b, -1);
  int result = strcmp (key_a, key_b);

  if (result != 0)
    return result < 0 ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;

  return gtk_ordering_from_cmpfunc ((int) CLAMP (vg_camera_get_id ((VgCamera *) a) -
                                                 vg_camera_get_id ((VgCamera *) b), -1, 1));
}

/* A node's children: its cameras, sorted, those the search keeps. */
static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  VgNodeTree *self = VG_NODE_TREE (user_data);
  GtkSortListModel *sorted;

  if (!VG_IS_CONNECTION (item))
    return NULL;

  sorted = gtk_sort_list_model_new (g_object_ref (vg_connection_get_cameras (VG_CONNECTION (item))),
                                    g_object_ref (self->sorter));
  return G_LIST_MODEL (gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                                  g_object_ref (GTK_FILTER (self->name_filter))));
}

/* Rows */

/* The camera of a row and its node; NULL for a node's row. */
static VgCamera *
row_camera (GtkTreeListRow  *row,
            VgConnection   **connection)
{
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
  g_autoptr(GtkTreeListRow) parent = NULL;
  g_autoptr(GObject) parent_item = NULL;

  if (!VG_IS_CAMERA (item))
    return NULL;

  parent = gtk_tree_list_row_get_parent (row);
  parent_item = parent != NULL ? gtk_tree_list_row_get_item (parent) : NULL;
  if (connection != NULL)
    *connection = VG_IS_CONNECTION (parent_item) ? VG_CONNECTION (parent_item) : NULL;
  /* The node's list and the model hold them: the pointers outlive the row. */
  return VG_CAMERA (item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), vg_node_row_new ());
  gtk_box_append (GTK_BOX (box), vg_camera_row_new ());
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static GtkWidget *
item_box (GtkListItem *list_item)
{
  return gtk_tree_expander_get_child (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *box = item_box (list_item);
  GtkWidget *node_row = gtk_widget_get_first_child (box);
  GtkWidget *camera_row = gtk_widget_get_next_sibling (node_row);
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
  gboolean is_node = VG_IS_CONNECTION (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), row);
  vg_node_row_set_connection (VG_NODE_ROW (node_row), is_node ? VG_CONNECTION (item) : NULL);
  if (!is_node)
    {
      VgConnection *owner = NULL;

      row_camera (row, &owner);
      vg_camera_row_set_connection (VG_CAMERA_ROW (camera_row), owner);
    }
  vg_camera_row_set_camera (VG_CAMERA_ROW (camera_row), is_node ? NULL : VG_CAMERA (item));
  gtk_widget_set_visible (node_row, is_node);
  gtk_widget_set_visible (camera_row, !is_node);
  gtk_list_item_set_selectable (list_item, !is_node);
  gtk_list_item_set_activatable (list_item, !is_node);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *box = item_box (list_item);
  GtkWidget *node_row = gtk_widget_get_first_child (box);
  GtkWidget *camera_row = gtk_widget_get_next_sibling (node_row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
  vg_node_row_set_connection (VG_NODE_ROW (node_row), NULL);
  vg_camera_row_set_camera (VG_CAMERA_ROW (camera_row), NULL);
  vg_camera_row_set_connection (VG_CAMERA_ROW (camera_row), NULL);
}

static void
tree_items_changed_cb (VgNodeTree *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
selection_changed_cb (VgNodeTree *self)
{
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* Public */

GtkWidget *
vg_node_tree_new (void)
{
  return g_object_new (VG_TYPE_NODE_TREE, NULL);
}

void
vg_node_tree_set_connections (VgNodeTree       *self,
                              VgConnectionList *connections)
{
  g_return_if_fail (VG_IS_NODE_TREE (self));
  g_return_if_fail (connections == NULL || VG_IS_CONNECTION_LIST (connections));

  if (!g_set_object (&self->connections, connections))
    return;

  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  g_clear_object (&self->tree);
  if (connections != NULL)
    {
      self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (connections)), FALSE, TRUE,
                                            create_children_cb, self, NULL);
      g_signal_connect_object (self->tree, "items-changed", G_CALLBACK (tree_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
vg_node_tree_set_search (VgNodeTree *self,
                         const char *text)
{
  g_return_if_fail (VG_IS_NODE_TREE (self));

  gtk_string_filter_set_search (self->name_filter, text != NULL && text[0] != '\0' ? text : NULL);
}

guint
vg_node_tree_get_n_cameras (VgNodeTree *self)
{
  guint n_rows;
  guint n_cameras = 0;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), 0);

  n_rows = self->tree != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tree)) : 0;
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);

      if (row_camera (row, NULL) != NULL)
        n_cameras++;
    }
  return n_cameras;
}

/* The tree's row of the position-th camera shown, or G_MAXUINT. */
static guint
vg_node_tree_find_camera_row (VgNodeTree *self,
                              guint       position)
{
  guint n_rows = self->tree != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tree)) : 0;

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);

      if (row_camera (row, NULL) != NULL && position-- == 0)
        return i;
    }
  return G_MAXUINT;
}

/**
 * vg_node_tree_get_camera:
 * @connection: (out) (optional) (transfer none): its node
 *
 * Returns: (transfer none) (nullable): the camera
 */
VgCamera *
vg_node_tree_get_camera (VgNodeTree    *self,
                         guint          position,
                         VgConnection **connection)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  guint index;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), NULL);

  index = vg_node_tree_find_camera_row (self, position);
  if (index == G_MAXUINT)
    return NULL;
  row = gtk_tree_list_model_get_row (self->tree, index);
  return row_camera (row, connection);
}

/**
 * vg_node_tree_get_selected_camera:
 *
 * Returns: (transfer none) (nullable): the selected camera
 */
VgCamera *
vg_node_tree_get_selected_camera (VgNodeTree *self)
{
  gpointer row;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? row_camera (row, NULL) : NULL;
}

/**
 * vg_node_tree_get_selected_connection:
 *
 * Returns: (transfer none) (nullable): the node of the selected camera
 */
VgConnection *
vg_node_tree_get_selected_connection (VgNodeTree *self)
{
  VgConnection *connection = NULL;
  gpointer row;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL || row_camera (row, &connection) == NULL)
    return NULL;
  return connection;
}

gboolean
vg_node_tree_select_camera (VgNodeTree   *self,
                            VgConnection *connection,
                            gint64        camera_id)
{
  guint n_rows;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), FALSE);

  n_rows = self->tree != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tree)) : 0;
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);
      VgConnection *owner = NULL;
      VgCamera *camera = row_camera (row, &owner);

      if (camera != NULL && vg_camera_get_id (camera) == camera_id &&
          (connection == NULL || owner == connection))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
vg_node_tree_unselect (VgNodeTree *self)
{
  g_return_if_fail (VG_IS_NODE_TREE (self));

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/**
 * vg_node_tree_pick_camera:
 * @connection: (out) (optional) (transfer none): its node
 *
 * Returns: (transfer none) (nullable): the camera under the point
 */
VgCamera *
vg_node_tree_pick_camera (VgNodeTree    *self,
                          double         x,
                          double         y,
                          VgConnection **connection)
{
  GtkWidget *picked;
  GtkWidget *row;
  VgCamera *camera;

  g_return_val_if_fail (VG_IS_NODE_TREE (self), NULL);

  picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  row = picked != NULL ? gtk_widget_get_ancestor (picked, VG_TYPE_CAMERA_ROW) : NULL;
  camera = row != NULL ? vg_camera_row_get_camera (VG_CAMERA_ROW (row)) : NULL;
  if (camera == NULL || self->connections == NULL)
    return NULL;
  if (connection != NULL)
    *connection = vg_connection_list_find_camera_owner (self->connections, camera);
  return camera;
}

/* Enter on a camera row: selected (a click selects it already). */
static void
activate_cb (GtkListView *list_view,
             guint        position,
             VgNodeTree  *self)
{
  gtk_single_selection_set_selected (self->selection, position);
}

/* GObject */

static void
vg_node_tree_dispose (GObject *object)
{
  VgNodeTree *self = VG_NODE_TREE (object);

  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);
  if (self->scrolled != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->scrolled));
  self->scrolled = NULL;
  self->list_view = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->connections);
  g_clear_object (&self->sorter);
  g_clear_object (&self->name_filter);

  G_OBJECT_CLASS (vg_node_tree_parent_class)->dispose (object);
}

static void
vg_node_tree_class_init (VgNodeTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_node_tree_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vgnodetree");
}

static void
vg_node_tree_init (VgNodeTree *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) name = gtk_property_expression_new (VG_TYPE_CAMERA, NULL, "name");

  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_camera_names, NULL, NULL));
  self->name_filter = gtk_string_filter_new (g_steal_pointer (&name));
  g_object_ref_sink (self->name_filter);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);

  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)),
                                                      factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cameras"), -1);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (activate_cb), self);

  self->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->scrolled, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->scrolled, GTK_WIDGET (self->list_view));
  gtk_widget_set_parent (GTK_WIDGET (self->scrolled), GTK_WIDGET (self));
}
