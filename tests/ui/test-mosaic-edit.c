/* test-mosaic-edit.c: mosaics saved on the node from the client's dialogs and opened
 * again (CLI-4, CLI-6), against a real node and simulated cameras (display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-application.h"
#include "vg-layout-dialog.h"
#include "vg-mosaics-dialog.h"
#include "vg-test-client.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"
#include "vg-theme.h"
#include "vg-window.h"

#include <gdk/x11/gdkx.h>

#define N_CAMERAS 4

typedef struct {
  VgTestSim *sim;
  VgTestNode *node;
  VgApiClient *admin;
  gint64 camera_ids[N_CAMERAS];
} Fixture;

static gint64
add_camera (Fixture *fixture,
            guint    sim_camera)
{
  return vg_test_client_add_camera (fixture->admin, fixture->sim, "Camera", sim_camera);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = vg_test_sim_start (N_CAMERAS, &error);
  g_assert_no_error (error);
  fixture->node = vg_test_node_new (NULL);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start: %s", error->message);
  fixture->admin = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);

  for (guint i = 0; i < N_CAMERAS; i++)
    fixture->camera_ids[i] = add_camera (fixture, i + 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->admin);
  vg_test_node_stop (fixture->node);
  vg_test_node_free (fixture->node);
  vg_test_sim_free (fixture->sim);
}

/* The application as `vigie --connect … --mosaic 2x2` runs it, checked from inside */

static void
run_client (Fixture *fixture,
            void   (*check) (Fixture *fixture, VgWindow *window))
{
  vg_test_client_run (fixture->node, VG_TEST_ADMIN_PASSWORD, "2x2", TRUE, (VgTestClientCheck) check, fixture);
}

/* Helpers */

static gint64
cell_camera_id (VgMosaic *mosaic,
                guint     index)
{
  VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (mosaic, index));

  return camera != NULL ? vg_camera_get_id (camera) : 0;
}

typedef struct {
  const char *response;
  GtkWindow *found;
} DialogWait;

/* A shown message dialog offering this response. */
static gboolean
find_message_dialog (gpointer data)
{
  DialogWait *wait = data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        adw_message_dialog_has_response (l->data, wait->response))
      {
        wait->found = l->data;
        return TRUE;
      }
  return FALSE;
}

static AdwMessageDialog *
wait_message_dialog (const char *response)
{
  DialogWait wait = { response, NULL };

  g_assert_true (vg_test_wait_until (find_message_dialog, &wait, 10000));
  return ADW_MESSAGE_DIALOG (wait.found);
}

static gboolean
is_laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* A whole window as its renderer draws it, saved for people to look at. */
/* As a click on the dialog's button: the response, then the dialog closes. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
save_window (GtkWindow  *window,
             const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width;
  int height;

  g_assert_true (vg_test_wait_until (is_laid_out, window, 10000));
  vg_test_ui_run_for (400);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  vg_test_ui_save (texture, name);
  g_test_message ("%s saved", name);
}

/* The node's mosaics, as the API gives them (the test's own view of the node). */
static JsonArray *
node_mosaics (Fixture   *fixture,
              JsonNode **keep)
{
  *keep = vg_test_expect (fixture->admin, "GET", "/api/v1/mosaics", NULL, 200);
  return json_object_get_array_member (json_node_get_object (*keep), "mosaics");
}

typedef struct {
  Fixture *fixture;
  guint n_mosaics;
  const char *name;        /* of the first, or NULL */
} NodeWait;

static gboolean
node_has (gpointer data)
{
  NodeWait *wait = data;
  g_autoptr(JsonNode) keep = NULL;
  JsonArray *mosaics = node_mosaics (wait->fixture, &keep);

  if (json_array_get_length (mosaics) != wait->n_mosaics)
    return FALSE;
  return wait->name == NULL ||
         g_strcmp0 (json_object_get_string_member (json_array_get_object_element (mosaics, 0), "name"),
                    wait->name) == 0;
}

static void
wait_node (Fixture    *fixture,
           guint       n_mosaics,
           const char *name)
{
  NodeWait wait = { fixture, n_mosaics, name };

  g_assert_true (vg_test_wait_until (node_has, &wait, 15000));
}

/* The cell of the layout JSON at (x, y). */
static JsonObject *
json_cell_at (JsonObject *layout,
              gint64      x,
              gint64      y)
{
  JsonArray *cells = json_object_get_array_member (layout, "cells");

  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonObject *cell = json_array_get_object_element (cells, i);

      if (json_object_get_int_member (cell, "x") == x && json_object_get_int_member (cell, "y") == y)
        return cell;
    }
  g_assert_not_reached ();
}

static gint64
json_cell_camera (JsonObject *layout,
                  gint64      x,
                  gint64      y)
{
  JsonObject *cell = json_cell_at (layout, x, y);

  return json_object_get_null_member (cell, "camera") ? 0 : json_object_get_int_member (cell, "camera");
}

typedef struct {
  GListModel *model;
  guint n_items;
} ModelWait;

static gboolean
model_has (gpointer data)
{
  ModelWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n_items;
}

/* The first widget of this type under root, or NULL. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Opens the manager from the window's action and waits for its list. */
static VgMosaicsDialog *
open_manager (VgWindow *window,
              guint     n_mosaics)
{
  g_autoptr(GList) toplevels = NULL;
  VgMosaicsDialog *dialog = NULL;
  ModelWait wait;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mosaics", NULL));
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (VG_IS_MOSAICS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  wait = (ModelWait) { vg_mosaics_dialog_get_mosaics (dialog), n_mosaics };
  g_assert_true (vg_test_wait_until (model_has, &wait, 10000));
  return dialog;
}

static gint64
first_listed_id (VgMosaicsDialog *dialog)
{
  g_autoptr(VgSavedMosaic) mosaic = g_list_model_get_item (vg_mosaics_dialog_get_mosaics (dialog), 0);

  return vg_saved_mosaic_get_id (mosaic);
}

typedef struct {
  VgMosaicCycle *cycle;
  guint n_mosaics;
} CycleWait;

static gboolean
cycle_has (gpointer data)
{
  CycleWait *wait = data;

  return vg_mosaic_cycle_get_running (wait->cycle) &&
         vg_mosaic_cycle_get_n_mosaics (wait->cycle) == wait->n_mosaics;
}

/* Saved from the window, read back from the node, opened again */

static void
save_as (VgWindow   *window,
         const char *name,
         const char *screenshot)
{
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-mosaic", NULL));
  dialog = wait_message_dialog ("save");
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_true (GTK_IS_EDITABLE (entry));
  /* No name, no saving */
  gtk_editable_set_text (entry, "");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (entry, name);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  if (screenshot != NULL)
    save_window (GTK_WINDOW (dialog), screenshot);
  answer (dialog, "save");
}

static void
check_save_open (Fixture  *fixture,
                 VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  g_autoptr(VgLayout) nine = vg_layout_new_preset (9);
  g_autoptr(VgLayout) one = vg_layout_new_preset (1);
  g_autoptr(JsonNode) keep = NULL;
  VgMosaicsDialog *manager;
  AdwMessageDialog *dialog;
  JsonObject *saved;
  JsonObject *layout;
  gint64 id;

  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 4);
  g_assert_cmpint (cell_camera_id (mosaic, 3), ==, fixture->camera_ids[3]);

  /* The operator's own arrangement: camera 3 in the first cell, the second cell empty,
   * the last one on its main stream */
  vg_mosaic_set_camera (mosaic, 0, vg_connection_lookup_camera (vg_window_get_connection (window),
                                                                fixture->camera_ids[2]));
  vg_mosaic_set_camera (mosaic, 1, NULL);
  vg_video_view_set_main_stream_only (vg_mosaic_get_view (mosaic, 3), TRUE);

  save_as (window, "Lobby", "mosaic-edit-save-dialog");
  wait_node (fixture, 1, "Lobby");

  /* On the node: the 2×2 layout, each cell's camera and stream */
  saved = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
  id = json_object_get_int_member (saved, "id");
  layout = json_object_get_object_member (saved, "layout");
  g_assert_cmpint (json_object_get_int_member (layout, "columns"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (layout, "rows"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (layout, "cells")), ==, 4);
  g_assert_cmpint (json_cell_camera (layout, 0, 0), ==, fixture->camera_ids[2]);
  g_assert_cmpint (json_cell_camera (layout, 1, 0), ==, 0);
  g_assert_cmpint (json_cell_camera (layout, 0, 1), ==, fixture->camera_ids[2]);
  g_assert_cmpint (json_cell_camera (layout, 1, 1), ==, fixture->camera_ids[3]);
  g_assert_cmpstr (json_object_get_string_member (json_cell_at (layout, 1, 1), "stream"), ==, "main");
  g_assert_true (json_object_get_null_member (json_cell_at (layout, 0, 0), "stream"));
  g_assert_cmpint (json_object_get_int_member (saved, "dwell"), ==, 10);
  g_clear_pointer (&keep, json_node_unref);

  /* The same name again: asked first; cancelled, the node's mosaic stays as it was */
  vg_window_show_mosaic (window, one);
  vg_mosaic_set_camera (mosaic, 0, vg_connection_lookup_camera (vg_window_get_connection (window),
                                                                fixture->camera_ids[1]));
  save_as (window, "Lobby", NULL);
  dialog = wait_message_dialog ("replace");
  save_window (GTK_WINDOW (dialog), "mosaic-edit-replace-dialog");
  answer (dialog, "cancel");
  vg_test_ui_run_for (500);
  saved = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (saved, "layout"), "columns"), ==, 2);
  g_clear_pointer (&keep, json_node_unref);

  /* Replaced: the same mosaic (id), the new layout */
  save_as (window, "Lobby", NULL);
  answer (wait_message_dialog ("replace"), "replace");
  {
    gboolean replaced = FALSE;

    for (guint attempt = 0; attempt < 50 && !replaced; attempt++)
      {
        vg_test_ui_run_for (200);
        saved = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
        replaced = json_object_get_int_member (json_object_get_object_member (saved, "layout"), "columns") == 1;
        if (!replaced)
          {
            g_autofree char *text = json_to_string (keep, FALSE);

            g_test_message ("node: %s", text);
            g_clear_pointer (&keep, json_node_unref);
          }
      }
    g_assert_true (replaced);
  }
  g_assert_cmpuint (json_array_get_length (node_mosaics (fixture, &keep)), ==, 1);
  g_clear_pointer (&keep, json_node_unref);
  saved = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
  g_assert_cmpint (json_object_get_int_member (saved, "id"), ==, id);
  g_assert_cmpint (json_cell_camera (json_object_get_object_member (saved, "layout"), 0, 0), ==,
                   fixture->camera_ids[1]);
  g_clear_pointer (&keep, json_node_unref);

  /* A second one, the 2×2 again as first arranged */
  vg_window_show_mosaic (window, nine);
  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 9);

  /* Opened from the manager: the saved layout and cameras */
  manager = open_manager (window, 1);
  g_assert_cmpint (first_listed_id (manager), ==, id);
  save_window (GTK_WINDOW (manager), "mosaic-edit-manager");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "mosaics.open", "x", id));
  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 1);
  g_assert_cmpint (cell_camera_id (mosaic, 0), ==, fixture->camera_ids[1]);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (mosaic),
                                                                                        GTK_TYPE_STACK))),
                   ==, "mosaic");

  /* Saved again: its name offered */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-mosaic", NULL));
  dialog = wait_message_dialog ("save");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))), ==,
                   "Lobby");
  answer (dialog, "cancel");
  vg_test_ui_run_for (200);
  /* A dialog gone without an answer saves nothing */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-mosaic", NULL));
  gtk_window_destroy (GTK_WINDOW (wait_message_dialog ("save")));
  vg_test_ui_run_for (300);
  g_assert_cmpuint (json_array_get_length (node_mosaics (fixture, &keep)), ==, 1);
  g_clear_pointer (&keep, json_node_unref);

  /* Its dwell time in the cycle, edited in the manager */
  manager = open_manager (window, 1);
  {
    GtkWidget *spin = find_widget (GTK_WIDGET (manager), GTK_TYPE_SPIN_BUTTON);
    gboolean changed = FALSE;

    g_assert_nonnull (spin);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 10);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 25);
    for (guint attempt = 0; attempt < 50 && !changed; attempt++)
      {
        vg_test_ui_run_for (200);
        saved = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
        changed = json_object_get_int_member (saved, "dwell") == 25;
        g_clear_pointer (&keep, json_node_unref);
      }
    g_assert_true (changed);
  }

  /* Renamed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "mosaics.rename", "x", id));
  dialog = wait_message_dialog ("rename");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Hall");
  answer (dialog, "rename");
  wait_node (fixture, 1, "Hall");

  gtk_window_close (GTK_WINDOW (manager));

  /* The cycle running, a second mosaic saved from the manager: once the manager is
   * closed, the cycle has both */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle", NULL));
  {
    CycleWait wait = { vg_window_get_mosaic_cycle (window), 1 };

    g_assert_true (vg_test_wait_until (cycle_has, &wait, 10000));
    manager = open_manager (window, 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "mosaics.save", NULL));
    dialog = wait_message_dialog ("save");
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Second");
    answer (dialog, "save");
    wait_node (fixture, 2, "Hall");
    {
      ModelWait listed = { vg_mosaics_dialog_get_mosaics (manager), 2 };

      g_assert_true (vg_test_wait_until (model_has, &listed, 10000));
    }
    g_assert_cmpuint (vg_mosaic_cycle_get_n_mosaics (wait.cycle), ==, 1);
    gtk_window_close (GTK_WINDOW (manager));
    wait.n_mosaics = 2;
    g_assert_true (vg_test_wait_until (cycle_has, &wait, 10000));
    g_assert_true (vg_mosaic_cycle_get_running (wait.cycle));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle", NULL));
  }

  /* Deleted, once confirmed */
  manager = open_manager (window, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "mosaics.delete", "x", id));
  dialog = wait_message_dialog ("delete");
  save_window (GTK_WINDOW (dialog), "mosaic-edit-delete-dialog");
  answer (dialog, "delete");
  wait_node (fixture, 1, "Second");
  {
    ModelWait wait = { vg_mosaics_dialog_get_mosaics (manager), 1 };

    g_assert_true (vg_test_wait_until (model_has, &wait, 10000));
  }
  gtk_window_close (GTK_WINDOW (manager));
}

static void
test_save_open (Fixture       *fixture,
                gconstpointer  data)
{
  run_client (fixture, check_save_open);
}

/* A custom grid with merged cells, saved and opened again (CLI-4) */

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static GtkGesture *
drag_gesture_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

/* A drag from (x, y) by (dx, dy) as the gesture reports it; a screenshot midway. */
static void
drag (VgLayoutEditor *editor,
      double          x,
      double          y,
      double          dx,
      double          dy,
      const char     *screenshot)
{
  GtkGesture *gesture = drag_gesture_of (GTK_WIDGET (editor));

  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", dx / 2, dy / 2);
  g_signal_emit_by_name (gesture, "drag-update", dx, dy);
  if (screenshot != NULL)
    save_window (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (editor))), screenshot);
  g_signal_emit_by_name (gesture, "drag-end", dx, dy);
}

static void
check_custom_layout (Fixture  *fixture,
                     VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  const VgLayoutCell expected_cells[] = {
    { 0, 0, 2, 2 }, { 2, 0, 1, 1 }, { 2, 1, 1, 1 }, { 0, 2, 1, 1 }, { 1, 2, 2, 1 },
  };
  g_autoptr(VgLayout) expected = vg_layout_new_custom (3, 3, expected_cells, G_N_ELEMENTS (expected_cells), NULL);
  g_autoptr(VgLayout) sixteen = vg_layout_new_preset (16);
  gint64 cameras[G_N_ELEMENTS (expected_cells)];
  g_autoptr(JsonNode) keep = NULL;
  VgLayoutDialog *dialog;
  VgLayoutEditor *editor;
  VgMosaicsDialog *manager;
  JsonObject *layout;
  JsonObject *big;
  gint64 id;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.custom-layout", NULL));
  dialog = VG_LAYOUT_DIALOG (find_toplevel (VG_TYPE_LAYOUT_DIALOG));
  g_assert_nonnull (dialog);
  editor = vg_layout_dialog_get_editor (dialog);
  /* It starts from the mosaic's layout */
  g_assert_true (vg_layout_equal (vg_layout_editor_get_layout (editor), vg_mosaic_get_layout (mosaic)));

  /* 3×3; the top-left 2×2 dragged into one cell, a click splits it, dragged again;
   * the bottom row's last two merged */
  vg_layout_dialog_set_size (dialog, 3, 3);
  g_assert_cmpuint (vg_layout_get_n_cells (vg_layout_editor_get_layout (editor)), ==, 9);
  vg_test_ui_run_for (300);
  /* The pointer's path, through the editor's own drag gesture: from the middle of the
   * first unit to the middle of the fifth (1,1), then a click on the merged cell */
  {
    double unit_w = gtk_widget_get_width (GTK_WIDGET (editor)) / 3.0;
    double unit_h = gtk_widget_get_height (GTK_WIDGET (editor)) / 3.0;

    g_assert_cmpfloat (unit_w, >, 10);
    drag (editor, unit_w / 2, unit_h / 2, unit_w, unit_h, "mosaic-edit-custom-grid-dragging");
    g_assert_cmpuint (vg_layout_get_n_cells (vg_layout_editor_get_layout (editor)), ==, 6);
    g_assert_true (vg_layout_find_cell (vg_layout_editor_get_layout (editor), 1, 1, NULL));
    g_assert_cmpuint (vg_layout_get_cell (vg_layout_editor_get_layout (editor), 0)->width, ==, 2);
    drag (editor, unit_w * 1.5, unit_h / 2, 0, 0, NULL);
  }
  g_assert_cmpuint (vg_layout_get_n_cells (vg_layout_editor_get_layout (editor)), ==, 9);
  vg_layout_editor_merge (editor, 1, 1, 0, 0);
  g_assert_cmpuint (vg_layout_get_n_cells (vg_layout_editor_get_layout (editor)), ==, 6);
  vg_layout_editor_click (editor, 1, 0);
  g_assert_cmpuint (vg_layout_get_n_cells (vg_layout_editor_get_layout (editor)), ==, 9);
  vg_layout_editor_merge (editor, 0, 0, 1, 1);
  vg_layout_editor_merge (editor, 1, 2, 2, 2);
  vg_layout_editor_click (editor, 2, 0);   /* a cell of one unit: nothing to split */
  g_assert_true (vg_layout_equal (vg_layout_editor_get_layout (editor), expected));
  save_window (GTK_WINDOW (dialog), "mosaic-edit-custom-grid");

  /* Applied: the mosaic has the merged cells, its cameras kept in cell order */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "layout.apply", NULL));
  g_assert_true (vg_layout_equal (vg_mosaic_get_layout (mosaic), expected));
  vg_mosaic_set_camera (mosaic, 4, vg_connection_lookup_camera (vg_window_get_connection (window),
                                                                fixture->camera_ids[0]));
  for (guint i = 0; i < G_N_ELEMENTS (cameras); i++)
    cameras[i] = cell_camera_id (mosaic, i);
  g_assert_cmpint (cameras[0], ==, fixture->camera_ids[0]);
  g_assert_cmpint (cameras[4], ==, fixture->camera_ids[0]);
  {
    g_autoptr(GdkTexture) shot = NULL;

    vg_test_ui_run_for (1500);
    shot = vg_test_ui_grab (GTK_WIDGET (mosaic));
    vg_test_ui_save (shot, "mosaic-edit-custom-mosaic");
  }

  /* Saved: the node has the merged cells */
  save_as (window, "Merged", NULL);
  wait_node (fixture, 1, "Merged");
  big = json_array_get_object_element (node_mosaics (fixture, &keep), 0);
  id = json_object_get_int_member (big, "id");
  layout = json_object_get_object_member (big, "layout");
  g_assert_cmpint (json_object_get_int_member (layout, "columns"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (layout, "rows"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (layout, "cells")), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_cell_at (layout, 0, 0), "w"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_cell_at (layout, 0, 0), "h"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_cell_at (layout, 1, 2), "w"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_cell_at (layout, 1, 2), "h"), ==, 1);
  g_clear_pointer (&keep, json_node_unref);

  /* Another layout, then the saved one opened: the same cells and cameras */
  vg_window_show_mosaic (window, sixteen);
  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 16);
  manager = open_manager (window, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "mosaics.open", "x", id));
  g_assert_true (vg_layout_equal (vg_mosaic_get_layout (mosaic), expected));
  for (guint i = 0; i < G_N_ELEMENTS (cameras); i++)
    g_assert_cmpint (cell_camera_id (mosaic, i), ==, cameras[i]);
}

static void
test_custom_layout (Fixture       *fixture,
                    gconstpointer  data)
{
  run_client (fixture, check_custom_layout);
}

/* Always on top (CLI-3): with no window manager under Xvfb, what can be checked is the
 * request a window manager would get: a second X connection listening on the root
 * window sees the EWMH client message. That a window manager then keeps the window
 * above the others is not checked here. */

typedef struct {
  Display *spy;
  Window window;
  long action;       /* what the last message asked: 1 add, 0 remove, -1 none yet */
  long atom;
  long source;
  guint n_messages;
  guint awaited;     /* messages awaited in all */
} StateSpy;

static gboolean
spy_read (gpointer data)
{
  StateSpy *spy = data;
  Atom wm_state = XInternAtom (spy->spy, "_NET_WM_STATE", False);
  Atom above = XInternAtom (spy->spy, "_NET_WM_STATE_ABOVE", False);

  while (XPending (spy->spy) > 0)
    {
      XEvent event;

      XNextEvent (spy->spy, &event);
      if (event.type != ClientMessage || event.xclient.message_type != wm_state ||
          event.xclient.window != spy->window)
        continue;
      /* GDK asks for states of its own (maximized, full screen…): not those */
      if (event.xclient.data.l[1] != (long) above && event.xclient.data.l[2] != (long) above)
        continue;
      g_assert_cmpint (event.xclient.format, ==, 32);
      spy->action = event.xclient.data.l[0];
      spy->atom = event.xclient.data.l[1];
      spy->source = event.xclient.data.l[3];
      spy->n_messages++;
    }
  return spy->n_messages >= spy->awaited;
}

static void
spy_expect (StateSpy *spy,
            long      action)
{
  spy->awaited = spy->n_messages + 1;
  g_assert_true (vg_test_wait_until (spy_read, spy, 5000));
  g_assert_cmpuint (spy->n_messages, ==, spy->awaited);
  g_assert_cmpint (spy->action, ==, action);
  g_assert_cmpint (spy->atom, ==, (long) XInternAtom (spy->spy, "_NET_WM_STATE_ABOVE", False));
  g_assert_cmpint (spy->source, ==, 1);
}

static gboolean
action_state (VgWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "always-on-top");

  return g_variant_get_boolean (state);
}

static void
check_always_on_top (Fixture  *fixture,
                     VgWindow *window)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  StateSpy spy = { NULL, 0, -1, 0, 0, 0, 0 };

  spy.spy = XOpenDisplay (NULL);
  g_assert_nonnull (spy.spy);
  XSelectInput (spy.spy, DefaultRootWindow (spy.spy), SubstructureNotifyMask);
  XSync (spy.spy, False);
  spy.window = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "always-on-top"));
  g_assert_false (action_state (window));
  g_assert_false (g_settings_get_boolean (settings, "always-on-top"));

  /* On: the window manager asked to add the state, the setting remembered */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.always-on-top", NULL));
  spy_expect (&spy, 1);
  g_assert_true (action_state (window));
  g_assert_true (g_settings_get_boolean (settings, "always-on-top"));

  /* Shown again: asked again */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  vg_test_ui_run_for (200);
  gtk_window_present (GTK_WINDOW (window));
  spy.window = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));
  spy_expect (&spy, 1);

  /* Off */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.always-on-top", NULL));
  spy_expect (&spy, 0);
  g_assert_false (action_state (window));
  g_assert_false (g_settings_get_boolean (settings, "always-on-top"));

  XCloseDisplay (spy.spy);
}

static void
test_always_on_top (Fixture       *fixture,
                    gconstpointer  data)
{
  run_client (fixture, check_always_on_top);
}

/* Themes (CLI-14) */

static GdkTexture *
grab_sidebar_header (VgWindow *window)
{
  GtkWidget *search = NULL;

  /* The sidebar's header, where no video moves */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (window)); w != NULL; )
    {
      if (GTK_IS_SEARCH_ENTRY (w))
        {
          search = w;
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (search);
  vg_test_ui_run_for (300);
  /* the sidebar's header bar, above the search */
  g_assert_true (ADW_IS_HEADER_BAR (gtk_widget_get_first_child (gtk_widget_get_parent (search))));
  return vg_test_ui_grab (gtk_widget_get_first_child (gtk_widget_get_parent (search)));
}

static void
check_theme (Fixture  *fixture,
             VgWindow *window)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) control_room = NULL;
  g_autoptr(GdkTexture) dark_again = NULL;

  /* Dark by default */
  g_assert_cmpstr (vg_theme_get_current (), ==, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  dark = grab_sidebar_header (window);
  save_window (GTK_WINDOW (window), "mosaic-edit-theme-dark");

  /* Light, from the main menu's action: the style manager and the setting follow */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.theme", "s", "light"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (manager));
  g_assert_cmpstr (g_settings_get_string (settings, "theme"), ==, "light");
  light = grab_sidebar_header (window);
  save_window (GTK_WINDOW (window), "mosaic-edit-theme-light");
  g_assert_cmpfloat (vg_test_ui_difference (dark, light), >, 0.5);

  /* The control room: dark, its own contrasted colours over it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.theme", "s", "control-room"));
  g_assert_cmpstr (vg_theme_get_current (), ==, "control-room");
  g_assert_true (adw_style_manager_get_dark (manager));
  g_assert_cmpstr (g_settings_get_string (settings, "theme"), ==, "control-room");
  control_room = grab_sidebar_header (window);
  save_window (GTK_WINDOW (window), "mosaic-edit-theme-control-room");
  g_assert_cmpfloat (vg_test_ui_difference (dark, control_room), >, 0.5);

  /* Changed in the settings (another window, dconf): followed */
  g_settings_set_string (settings, "theme", "dark");
  g_assert_cmpstr (vg_theme_get_current (), ==, "dark");
  g_assert_true (adw_style_manager_get_dark (manager));
  dark_again = grab_sidebar_header (window);
  g_assert_cmpfloat (vg_test_ui_difference (dark, dark_again), <, 0.01);
  {
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (g_application_get_default ()),
                                                                 "theme");

    g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "dark");
  }
}

static void
test_theme (Fixture       *fixture,
            gconstpointer  data)
{
  run_client (fixture, check_theme);
}

/* Forced recording from a cell (REC-6) */

static const char *
forced_until_on_node (Fixture   *fixture,
                      gint64     camera_id,
                      JsonNode **keep)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", camera_id);
  JsonObject *status;

  *keep = vg_test_expect (fixture->admin, "GET", path, NULL, 200);
  status = json_node_get_object (*keep);
  return json_object_get_null_member (status, "forced_until")
         ? NULL : json_object_get_string_member (status, "forced_until");
}

typedef struct {
  VgMosaic *mosaic;
  guint first;
  guint n_cells;
  gboolean shown;
} ForcedWait;

static gboolean
indicators_are (gpointer data)
{
  ForcedWait *wait = data;

  for (guint i = wait->first; i < wait->first + wait->n_cells; i++)
    if ((vg_video_view_get_forced_text (vg_mosaic_get_view (wait->mosaic, i)) != NULL) != wait->shown)
      return FALSE;
  return TRUE;
}

static void
wait_indicators (VgMosaic *mosaic,
                 guint     first,
                 guint     n_cells,
                 gboolean  shown)
{
  ForcedWait wait = { mosaic, first, n_cells, shown };

  g_assert_true (vg_test_wait_until (indicators_are, &wait, 15000));
}

/* A label of this text under root, or NULL. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
menu_is_shown (gpointer data)
{
  GtkWidget *label = find_label (data, "Record Now (5 Minutes)");

  /* the popover up, and laid out down to an entry always there */
  return gtk_widget_get_mapped (data) && label != NULL && gtk_widget_get_mapped (label);
}

/* Whether the cell's menu, opened, shows this entry. */
static gboolean
cell_menu_shows (VgMosaic   *mosaic,
                 guint       cell,
                 const char *entry)
{
  GtkPopover *menu = vg_mosaic_get_cell_menu (mosaic);
  GtkWidget *label;
  gboolean shown;

  g_assert_true (vg_mosaic_popup_cell_menu (mosaic, cell, -1, -1));
  g_assert_true (vg_test_wait_until (menu_is_shown, menu, 10000));
  vg_test_ui_run_for (100);
  label = find_label (GTK_WIDGET (menu), entry);
  shown = label != NULL && gtk_widget_get_mapped (label);
  gtk_popover_popdown (menu);
  vg_test_ui_run_for (100);
  return shown;
}

static void
check_forced (Fixture  *fixture,
              VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *expected = NULL;
  const char *forced_until;

  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 4);
  g_assert_null (forced_until_on_node (fixture, fixture->camera_ids[0], &keep));
  g_clear_pointer (&keep, json_node_unref);
  g_assert_false (cell_menu_shows (mosaic, 0, "Stop Manual Recording"));
  g_assert_true (cell_menu_shows (mosaic, 0, "Record Now (5 Minutes)"));

  /* Recorded now from the first cell (its menu's entry acts on the selected cell) */
  vg_mosaic_select (mosaic, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record-now", NULL));
  wait_indicators (mosaic, 0, 1, TRUE);
  wait_indicators (mosaic, 1, 3, FALSE);

  /* The node agrees; the indicator says its end in local time */
  forced_until = forced_until_on_node (fixture, fixture->camera_ids[0], &keep);
  g_assert_nonnull (forced_until);
  until = g_date_time_new_from_iso8601 (forced_until, NULL);
  g_assert_nonnull (until);
  local = g_date_time_to_local (until);
  expected = g_date_time_format (local, "● Manual until %H:%M");
  g_assert_cmpstr (vg_video_view_get_forced_text (vg_mosaic_get_view (mosaic, 0)), ==, expected);
  g_clear_pointer (&keep, json_node_unref);
  {
    g_autoptr(GdkTexture) cell = NULL;

    vg_test_ui_run_for (500);
    cell = vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, 0)));
    vg_test_ui_save (cell, "mosaic-edit-forced-cell");
  }

  /* Its menu now offers to stop it; the others' do not */
  g_assert_true (cell_menu_shows (mosaic, 0, "Stop Manual Recording"));
  g_assert_false (cell_menu_shows (mosaic, 1, "Stop Manual Recording"));
  vg_mosaic_select (mosaic, 0);
  g_assert_true (cell_menu_shows (mosaic, 0, "Stop Manual Recording"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cell-record-stop", NULL));
  wait_indicators (mosaic, 0, 1, FALSE);
  g_assert_null (forced_until_on_node (fixture, fixture->camera_ids[0], &keep));
  g_clear_pointer (&keep, json_node_unref);
  g_assert_false (cell_menu_shows (mosaic, 0, "Stop Manual Recording"));

  /* Every camera of the mosaic */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record-mosaic", NULL));
  wait_indicators (mosaic, 0, 4, TRUE);
  for (guint i = 0; i < N_CAMERAS; i++)
    {
      g_assert_nonnull (forced_until_on_node (fixture, fixture->camera_ids[i], &keep));
      g_clear_pointer (&keep, json_node_unref);
    }

  /* Stopped by someone else: the node's event takes the indicator away */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/record",
                                             fixture->camera_ids[1]);

    g_clear_pointer (&keep, json_node_unref);
    vg_test_expect (fixture->admin, "DELETE", path, NULL, 204);
  }
  wait_indicators (mosaic, 1, 1, FALSE);
  wait_indicators (mosaic, 2, 2, TRUE);
  {
    g_autoptr(GdkTexture) cell = vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, 1)));

    vg_test_ui_save (cell, "mosaic-edit-unforced-cell");
  }
}

static void
test_forced (Fixture       *fixture,
             gconstpointer  data)
{
  run_client (fixture, check_forced);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mosaic-edit/save-open", Fixture, NULL, fixture_set_up, test_save_open,
              fixture_tear_down);

  g_test_add ("/mosaic-edit/custom-layout", Fixture, NULL, fixture_set_up, test_custom_layout,
              fixture_tear_down);
  g_test_add ("/mosaic-edit/always-on-top", Fixture, NULL, fixture_set_up, test_always_on_top,
              fixture_tear_down);
  g_test_add ("/mosaic-edit/theme", Fixture, NULL, fixture_set_up, test_theme, fixture_tear_down);
  g_test_add ("/mosaic-edit/forced", Fixture, NULL, fixture_set_up, test_forced,
              fixture_tear_down);

  return g_test_run ();
}
