/* vg-window.c: the operator's main window: a node's cameras and the main area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-application.h"
#include "vg-camera-page.h"
#include "vg-camera-row.h"
#include "vg-certificate-dialog.h"
#include "vg-forced-recordings.h"
#include "vg-fullscreen.h"
#include "vg-keep-above.h"
#include "vg-launch-options.h"
#include "vg-layout-dialog.h"
#include "vg-live-window.h"
#include "vg-mosaic.h"
#include "vg-mosaic-save.h"
#include "vg-mosaics-dialog.h"
#include "vg-node-dialog.h"
#include "vg-node-row.h"
#include "vg-node-tree.h"
#include "vg-player-window.h"
#include "vg-recordings-window.h"
#include "vg-window.h"

struct _VgWindow
{
  AdwApplicationWindow parent_instance;

  VgConnectionList *connections;  /* the nodes (CLI-1) */
  VgConnection *connection;       /* the node the window started with (--connect), else the
                                   * first one; NULL without a node */
  VgConnection *menu_connection;  /* the node of the camera whose menu is open */
  GSettings *settings;            /* NULL without the installed schema */
  char *address;                  /* "HOST:PORT", for titles */
  gint64 pending_camera_id;       /* to select once listed; 0 for none */
  guint select_pending_id;        /* an idle selecting it, outside the lists' signals */
  GBindingGroup *camera_bindings; /* the selected camera → the main header */
  gboolean mosaic_shown;          /* the main area shows the mosaic when no camera is open */
  gboolean mosaic_autofill;       /* the mosaic follows the node's first cameras */
  VgMosaicCycle *cycle;           /* the user's saved mosaics in turn (CLI-6) */

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkWidget *content;
  GtkWidget *content_header;
  GtkSpinner *connecting_spinner;
  GtkImage *failed_icon;
  AdwWindowTitle *node_title;
  GtkSearchEntry *search_entry;
  GtkStack *sidebar_stack;
  VgNodeTree *node_tree;
  AdwWindowTitle *camera_title;
  GtkButton *fullscreen_button;
  GtkWidget *above_button;
  GtkStack *main_stack;
  GtkSpinner *main_spinner;
  AdwStatusPage *offline_page;
  GtkWidget *retry_button;
  VgCameraPage *camera_page;
  VgMosaic *mosaic;
  GMenuModel *cell_menu;
  GtkPopoverMenu *camera_menu;    /* a camera list row's menu, parented to the sidebar */
};

G_DEFINE_FINAL_TYPE (VgWindow, vg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cycle_running_cb (VgWindow *self);
static VgCamera *vg_window_get_current_camera (VgWindow *self, VgConnection **connection);
static void vg_window_update_cycle_actions (VgWindow *self);

static VgConnectionState
vg_window_get_state (VgWindow *self)
{
  return self->connection != NULL ? vg_connection_get_state (self->connection)
                                  : VG_CONNECTION_STATE_DISCONNECTED;
}

static guint
vg_window_get_n_nodes (VgWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->connections));
}

static VgConnection *
vg_window_get_node (VgWindow *self,
                    guint     position)
{
  g_autoptr(VgConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                              position);

  return connection;   /* the list keeps its own reference */
}

/* How many nodes are in this state. */
static guint
vg_window_count_nodes (VgWindow          *self,
                       VgConnectionState  state)
{
  guint n = 0;

  for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
    n += vg_connection_get_state (vg_window_get_node (self, i)) == state;
  return n;
}

/* The cameras of every node. */
static guint
vg_window_count_cameras (VgWindow *self)
{
  guint n = 0;

  for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
    n += g_list_model_get_n_items (vg_connection_get_cameras (vg_window_get_node (self, i)));
  return n;
}

void
vg_window_show_error (VgWindow   *self,
                      const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (VG_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are markup. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Views */

static void
vg_window_update_sidebar (VgWindow *self)
{
  guint n_shown = vg_node_tree_get_n_cameras (self->node_tree);
  guint n_cameras = vg_window_count_cameras (self);
  gboolean searching = gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
  const char *page;

  /* The nodes stay in view with their state, cameras or not, unless a search finds
   * nothing. */
  if (vg_window_get_n_nodes (self) == 0)
    page = "no-nodes";
  else if (n_shown == 0 && n_cameras > 0 && searching)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->sidebar_stack, page);
}

static void
vg_window_update_main (VgWindow *self)
{
  gboolean have_cameras = vg_window_count_cameras (self) > 0;
  guint n_connected = vg_window_count_nodes (self, VG_CONNECTION_STATE_CONNECTED);
  guint n_connecting = vg_window_count_nodes (self, VG_CONNECTION_STATE_CONNECTING);
  const char *page;

  if (vg_node_tree_get_selected_camera (self->node_tree) != NULL)
    page = "camera";
  else if (self->mosaic_shown && (have_cameras || !vg_mosaic_is_empty (self->mosaic)))
    page = "mosaic";
  else if (n_connected > 0 || (n_connecting > 0 && have_cameras))
    page = "select";
  else if (n_connecting > 0)
    page = "connecting";
  else
    page = "offline";

  gtk_spinner_set_spinning (self->main_spinner, g_str_equal (page, "connecting"));
  gtk_stack_set_visible_child_name (self->main_stack, page);
}

/* Several nodes: the header sums their states up; each node's row tells its own. */
static void
vg_window_update_nodes (VgWindow *self,
                        guint     n_nodes,
                        guint     n_connected,
                        guint     n_connecting,
                        guint     n_failed)
{
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < n_nodes; i++)
    {
      VgConnection *connection = vg_window_get_node (self, i);
      g_autofree char *address = vg_node_row_format_address (vg_connection_get_base_url (connection));

      if (vg_connection_get_state (connection) == VG_CONNECTION_STATE_FAILED)
        g_string_append_printf (errors, "%s%s: %s", errors->len > 0 ? "\n" : "", address,
                                vg_connection_get_error (connection) != NULL
                                ? vg_connection_get_error (connection) : _("Connection failed"));
    }

  /* Translators: the first %u is a number of nodes connected, the second of nodes */
  subtitle = g_strdup_printf (_("%u of %u nodes connected"), n_connected, n_nodes);
  adw_window_title_set_title (self->node_title, _("Vigie"));
  adw_window_title_set_subtitle (self->node_title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->node_title), NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->connecting_spinner), n_connecting > 0);
  gtk_spinner_set_spinning (self->connecting_spinner, n_connecting > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_icon), n_failed > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->failed_icon), errors->str);

  adw_status_page_set_description (self->offline_page, errors->len > 0 ? errors->str : NULL);
  gtk_widget_set_visible (self->retry_button, n_failed > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect", n_connecting < n_nodes);

  vg_window_update_sidebar (self);
  vg_window_update_main (self);
}

static void
vg_window_update_connection (VgWindow *self)
{
  VgConnectionState state = vg_window_get_state (self);
  const char *error = self->connection != NULL ? vg_connection_get_error (self->connection) : NULL;
  const char *node_name = self->connection != NULL ? vg_connection_get_node_name (self->connection)
                                                   : NULL;
  guint n_nodes = vg_window_get_n_nodes (self);
  guint n_connected = vg_window_count_nodes (self, VG_CONNECTION_STATE_CONNECTED);
  guint n_connecting = vg_window_count_nodes (self, VG_CONNECTION_STATE_CONNECTING);
  guint n_failed = vg_window_count_nodes (self, VG_CONNECTION_STATE_FAILED);
  g_autofree char *subtitle = NULL;
  g_autofree char *description = NULL;

  if (n_nodes > 1)
    {
      vg_window_update_nodes (self, n_nodes, n_connected, n_connecting, n_failed);
      return;
    }

  switch (state)
    {
    case VG_CONNECTION_STATE_CONNECTING:
      subtitle = g_strdup (_("Connecting…"));
      break;
    case VG_CONNECTION_STATE_CONNECTED:
      /* Translators: %s is a user name */
      subtitle = g_strdup_printf (_("Connected as %s"), vg_connection_get_user (self->connection));
      break;
    case VG_CONNECTION_STATE_FAILED:
      subtitle = g_strdup (_("Connection failed"));
      break;
    case VG_CONNECTION_STATE_DISCONNECTED:
    default:
      subtitle = g_strdup (_("Not connected"));
      break;
    }

  adw_window_title_set_title (self->node_title,
                              node_name != NULL ? node_name
                              : self->address != NULL ? self->address
                              : _("Vigie"));
  adw_window_title_set_subtitle (self->node_title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->node_title), self->address);

  gtk_widget_set_visible (GTK_WIDGET (self->connecting_spinner),
                          state == VG_CONNECTION_STATE_CONNECTING);
  gtk_spinner_set_spinning (self->connecting_spinner, state == VG_CONNECTION_STATE_CONNECTING);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_icon), state == VG_CONNECTION_STATE_FAILED);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->failed_icon), error);

  if (self->connection == NULL)
    description = g_markup_printf_escaped (_("Add a node, or start Vigie with %s, to watch its cameras"),
                                           "--connect https://USER@HOST:PORT");
  else if (state == VG_CONNECTION_STATE_FAILED && error != NULL)
    description = g_markup_escape_text (error, -1);
  else
    /* Translators: %s is a node address such as 10.0.0.2:8443 */
    description = g_markup_printf_escaped (_("Disconnected from %s"), self->address);
  adw_status_page_set_description (self->offline_page, description);

  gtk_widget_set_visible (self->retry_button, state == VG_CONNECTION_STATE_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect",
                                 self->connection != NULL &&
                                 state != VG_CONNECTION_STATE_CONNECTING);

  vg_window_update_sidebar (self);
  vg_window_update_main (self);
}

/* Selection */

/* Selects the pending camera if listed; gives up once the list is complete. */
static void
vg_window_select_pending (VgWindow *self)
{
  if (self->pending_camera_id == 0)
    return;

  if (vg_node_tree_select_camera (self->node_tree, self->connection, self->pending_camera_id))
    {
      self->pending_camera_id = 0;
      return;
    }

  if (vg_window_get_state (self) == VG_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->pending_camera_id);
      g_autofree char *message = NULL;

      /* Translators: %s is a camera id, a number */
      message = g_strdup_printf (_("The node has no camera %s"), id);
      self->pending_camera_id = 0;
      vg_window_show_error (self, message);
    }
}

/* The tree's selection cannot change while one of its models is emitting
 * items-changed: the pending camera is looked for once that is over. */
static gboolean
select_pending_idle_cb (gpointer data)
{
  VgWindow *self = data;

  self->select_pending_id = 0;
  vg_window_select_pending (self);
  return G_SOURCE_REMOVE;
}

static void
vg_window_queue_select_pending (VgWindow *self)
{
  if (self->pending_camera_id != 0 && self->select_pending_id == 0)
    self->select_pending_id = g_idle_add (select_pending_idle_cb, self);
}

/* The camera page shows the camera of its own node. */
static void
selection_changed_cb (VgWindow *self)
{
  VgCamera *camera = vg_node_tree_get_selected_camera (self->node_tree);

  if (camera != NULL)
    vg_camera_page_set_connection (self->camera_page,
                                   vg_node_tree_get_selected_connection (self->node_tree));
  vg_camera_page_set_camera (self->camera_page, camera);
  g_binding_group_set_source (self->camera_bindings, camera);
  if (camera == NULL)
    adw_window_title_set_title (self->camera_title, "");

  vg_window_update_main (self);

  if (camera != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Until the operator places a camera, the mosaic shows the node's first cameras, in
 * the node's order, as they are listed. */
static void
vg_window_fill_mosaic (VgWindow *self)
{
  if (self->mosaic_autofill && self->connection != NULL)
    vg_mosaic_fill_with (self->mosaic, self->connection, vg_connection_get_cameras (self->connection));
}

static void
mosaic_camera_placed_cb (VgWindow *self)
{
  self->mosaic_autofill = FALSE;
}

static void
cameras_changed_cb (VgWindow *self)
{
  vg_window_fill_mosaic (self);
  vg_window_update_sidebar (self);
  vg_window_update_main (self);
  vg_window_queue_select_pending (self);
}

/* Nodes, cameras or the search changed the tree. */
static void
tree_changed_cb (VgWindow *self)
{
  vg_window_update_sidebar (self);
  vg_window_update_main (self);
  vg_window_queue_select_pending (self);
}

/* Folded, going back to the list closes the camera. */
static void
leaflet_visible_child_cb (VgWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->sidebar)
    vg_node_tree_unselect (self->node_tree);
}

/* Folding keeps the open camera in view. */
static void
leaflet_folded_cb (VgWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet,
                                   vg_node_tree_get_selected_camera (self->node_tree) != NULL
                                   ? self->content : self->sidebar);
}

static void
back_clicked_cb (VgWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Search */

static void
search_changed_cb (VgWindow *self)
{
  vg_node_tree_set_search (self->node_tree, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  vg_window_update_sidebar (self);
}

/* Typed elsewhere and captured by the entry: the rest of the typing (spaces too)
 * belongs there. Not on the delayed "search-changed": keys typed meanwhile would go
 * astray. */
static void
search_text_changed_cb (VgWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0' &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_entry))))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
stop_search_cb (VgWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter opens the first camera found. */
static void
search_activate_cb (VgWindow *self)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_node_tree_get_camera (self->node_tree, 0, &connection);

  if (camera != NULL)
    vg_node_tree_select_camera (self->node_tree, connection, vg_camera_get_id (camera));
}

/* Connection */

#define TOASTED_ERROR_KEY "vg-window-toasted-error"

/* A node's error, once: a node trying again and again fails the same way each time. */
static void
connection_error_cb (VgConnection *connection,
                     GParamSpec   *pspec,
                     VgWindow     *self)
{
  const char *error = vg_connection_get_error (connection);

  /* An untrusted certificate has its own dialog. */
  if (error != NULL && vg_connection_get_untrusted_fingerprint (connection) == NULL &&
      g_strcmp0 (g_object_get_data (G_OBJECT (connection), TOASTED_ERROR_KEY), error) != 0)
    {
      g_autofree char *address = vg_node_row_format_address (vg_connection_get_base_url (connection));
      g_autofree char *message = NULL;

      g_object_set_data_full (G_OBJECT (connection), TOASTED_ERROR_KEY, g_strdup (error), g_free);
      /* Translators: a node's address, then what went wrong */
      message = vg_window_get_n_nodes (self) > 1 ? g_strdup_printf (_("%s: %s"), address, error)
                                                  : g_strdup (error);
      vg_window_show_error (self, message);
    }
  vg_window_update_connection (self);
}

static void
connection_state_cb (VgConnection *connection,
                     GParamSpec   *pspec,
                     VgWindow     *self)
{
  if (vg_connection_get_state (connection) == VG_CONNECTION_STATE_CONNECTED)
    g_object_set_data (G_OBJECT (connection), TOASTED_ERROR_KEY, NULL);
  vg_window_update_connection (self);
  vg_window_select_pending (self);
}

/* A certificate not trusted: the operator decides (CLI-1). */
static void
connection_untrusted_cb (VgConnection *connection,
                         GParamSpec   *pspec,
                         VgWindow     *self)
{
  if (vg_connection_get_untrusted_fingerprint (connection) != NULL)
    vg_certificate_dialog_present (GTK_WINDOW (self), connection);
}

static void vg_window_update_cell_record_actions (VgWindow *self);

static void
vg_window_watch_connection (VgWindow     *self,
                            VgConnection *connection)
{
  g_signal_connect_object (connection, "notify::state",
                           G_CALLBACK (connection_state_cb), self, 0);
  g_signal_connect_object (connection, "notify::error",
                           G_CALLBACK (connection_error_cb), self, 0);
  g_signal_connect_object (connection, "notify::node-name",
                           G_CALLBACK (vg_window_update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::untrusted-fingerprint",
                           G_CALLBACK (connection_untrusted_cb), self, 0);
  g_signal_connect_object (vg_connection_get_cameras (connection), "items-changed",
                           G_CALLBACK (cameras_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vg_forced_recordings_get (connection), "changed",
                           G_CALLBACK (vg_window_update_cell_record_actions), self, G_CONNECT_SWAPPED);
  if (vg_connection_get_untrusted_fingerprint (connection) != NULL)
    vg_certificate_dialog_present (GTK_WINDOW (self), connection);
}

/* The node the window follows first: the mosaic fills with its cameras, the keypad
 * numbers its cameras in empty cells, its saved mosaics cycle. */
static void
vg_window_set_primary (VgWindow     *self,
                       VgConnection *connection)
{
  if (self->connection == connection && (connection == NULL || self->cycle != NULL))
    return;

  if (self->cycle != NULL)
    {
      vg_mosaic_cycle_stop (self->cycle);
      g_signal_handlers_disconnect_by_data (self->cycle, self);
    }
  g_clear_object (&self->cycle);
  g_set_object (&self->connection, connection);
  g_clear_pointer (&self->address, g_free);

  vg_mosaic_set_connection (self->mosaic, connection);
  if (connection != NULL)
    {
      self->address = vg_node_row_format_address (vg_connection_get_base_url (connection));
      self->cycle = vg_mosaic_cycle_new (self->mosaic, connection);
      g_signal_connect_object (self->cycle, "notify::running",
                               G_CALLBACK (cycle_running_cb), self, G_CONNECT_SWAPPED);
    }
  vg_window_update_cycle_actions (self);
  vg_window_fill_mosaic (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
connections_changed_cb (GListModel *connections,
                        guint       position,
                        guint       removed,
                        guint       added,
                        VgWindow   *self)
{
  gboolean primary_there = FALSE;

  for (guint i = position; i < position + added; i++)
    vg_window_watch_connection (self, vg_window_get_node (self, i));

  for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
    primary_there |= vg_window_get_node (self, i) == self->connection;
  if (!primary_there)
    vg_window_set_primary (self, vg_window_get_n_nodes (self) > 0 ? vg_window_get_node (self, 0) : NULL);

  vg_window_update_connection (self);
}

/* Actions */

static void
mosaic_preset_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autoptr(VgLayout) layout = vg_layout_new_preset (g_variant_get_uint32 (parameter));

  if (layout != NULL)
    vg_window_show_mosaic (self, layout);
}

/* PLAY-1, PLAY-6, PLAY-8: the cameras' recordings on a timeline, the selected one active. */
static void
recordings_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  VgConnection *connection = NULL;
  VgCamera *camera = vg_window_get_current_camera (self, &connection);
  VgRecordingsWindow *recordings;

  /* Every node's cameras, the one open or selected in the mosaic active. */
  if (vg_window_get_n_nodes (self) == 0)
    return;
  recordings = vg_recordings_window_new (GTK_WINDOW (self), G_LIST_MODEL (self->connections), camera);
  gtk_window_present (GTK_WINDOW (recordings));
}

/* CLI-6: the mosaics the user saved on the node, one after the other. */

static void
vg_window_update_cycle_actions (VgWindow *self)
{
  gboolean running = self->cycle != NULL && vg_mosaic_cycle_get_running (self->cycle);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cycle-pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cycle-next", running);
}

static void
cycle_running_cb (VgWindow *self)
{
  if (vg_mosaic_cycle_get_running (self->cycle))
    {
      /* The cycle owns the mosaic now: the mosaic page, no camera open. */
      self->mosaic_autofill = FALSE;
      self->mosaic_shown = TRUE;
      vg_node_tree_unselect (self->node_tree);
      vg_window_update_main (self);
    }
  vg_window_update_cycle_actions (self);
}

static void
cycle_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (self->cycle == NULL)
    return;
  if (vg_mosaic_cycle_get_running (self->cycle))
    vg_mosaic_cycle_stop (self->cycle);
  else
    vg_mosaic_cycle_start (self->cycle);
}

static void
cycle_pause_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (self->cycle != NULL)
    vg_mosaic_cycle_set_paused (self->cycle, !vg_mosaic_cycle_get_paused (self->cycle));
}

static void
cycle_next_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (self->cycle != NULL)
    vg_mosaic_cycle_next (self->cycle);
}

/* CLI-4, CLI-6: the mosaic saved on the node, saved mosaics opened and managed. */

static void
mosaic_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSavedMosaic) saved = vg_mosaic_save_finish (GTK_WINDOW (source), result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (saved == NULL)
    /* Translators: %s is an error message */
    message = g_strdup_printf (_("The mosaic could not be saved: %s"), error->message);
  else
    /* Translators: %s is the name of a saved mosaic */
    message = g_strdup_printf (_("Mosaic saved as “%s”"), vg_saved_mosaic_get_name (saved));
  vg_window_show_error (self, message);
}

static void
save_mosaic_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autoptr(VgSavedMosaic) mosaic = NULL;

  if (self->connection == NULL || vg_mosaic_get_layout (self->mosaic) == NULL)
    return;
  mosaic = vg_saved_mosaic_new_from_mosaic (NULL, self->mosaic, self->connection);
  vg_mosaic_save_async (GTK_WINDOW (self), self->connection, mosaic, NULL,
                        mosaic_saved_cb, g_object_ref (self));
}

static void
mosaics_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (self->connection != NULL)
    gtk_window_present (GTK_WINDOW (vg_mosaics_dialog_new (self)));
}

/* CLI-4: a grid of the user's own, merged cells and all. */
static void
custom_layout_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (vg_layout_dialog_new (VG_WINDOW (widget))));
}

void
vg_window_open_saved_mosaic (VgWindow      *self,
                             VgSavedMosaic *mosaic)
{
  g_return_if_fail (VG_IS_WINDOW (self));
  g_return_if_fail (VG_IS_SAVED_MOSAIC (mosaic));

  if (self->cycle != NULL)
    vg_mosaic_cycle_stop (self->cycle);
  self->mosaic_autofill = FALSE;
  self->mosaic_shown = TRUE;
  vg_node_tree_unselect (self->node_tree);
  vg_saved_mosaic_apply (mosaic, self->mosaic, self->connection);
  vg_window_update_main (self);
}

/* REC-6: the open camera, or the selected cell's, recorded now for a while. */

#define FORCED_RECORDING_SECONDS (5 * 60)

/* The open camera, else the selected cell's, and its node. */
static VgCamera *
vg_window_get_current_camera (VgWindow      *self,
                              VgConnection **connection)
{
  VgCamera *camera = vg_node_tree_get_selected_camera (self->node_tree);
  guint cell = vg_mosaic_get_selected (self->mosaic);

  if (camera != NULL)
    {
      *connection = vg_node_tree_get_selected_connection (self->node_tree);
      return camera;
    }
  if (vg_mosaic_get_n_cells (self->mosaic) == 0 || cell >= vg_mosaic_get_n_cells (self->mosaic))
    return NULL;
  *connection = vg_mosaic_get_cell_connection (self->mosaic, cell);
  return vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic, cell));
}

static void
record_request_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_forced_recordings_start_finish (VG_FORCED_RECORDINGS (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("The recording could not be changed: %s"),
                                                  error->message);

      vg_window_show_error (self, message);
    }
}

static void
vg_window_force_camera (VgWindow     *self,
                        VgConnection *connection,
                        VgCamera     *camera,
                        gboolean      start)
{
  vg_forced_recordings_start_async (vg_forced_recordings_get (connection),
                                    vg_camera_get_id (camera), start ? FORCED_RECORDING_SECONDS : 0,
                                    NULL, record_request_cb, g_object_ref (self));
}

static void
vg_window_force_recording (VgWindow *self,
                           gboolean  start)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_window_get_current_camera (self, &connection);

  if (camera == NULL || connection == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  vg_window_force_camera (self, connection, camera, start);
}

static void
record_now_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vg_window_force_recording (VG_WINDOW (widget), TRUE);
}

static void
record_stop_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vg_window_force_recording (VG_WINDOW (widget), FALSE);
}

/* Every camera of the mosaic, each once (REC-6). */
static void
record_mosaic_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autoptr(GHashTable) done = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < vg_mosaic_get_n_cells (self->mosaic); i++)
    {
      VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic, i));
      VgConnection *connection = vg_mosaic_get_cell_connection (self->mosaic, i);

      /* each camera of each node once */
      if (camera != NULL && connection != NULL && g_hash_table_add (done, camera))
        vg_window_force_camera (self, connection, camera, TRUE);
    }
  if (g_hash_table_size (done) == 0)
    vg_window_show_error (self, _("The mosaic shows no camera"));
}

/* The cell menu offers to stop a manual recording only while there is one. */
static void
vg_window_update_cell_record_actions (VgWindow *self)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_window_get_current_camera (self, &connection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cell-record-stop",
                                 camera != NULL && connection != NULL &&
                                 vg_forced_recordings_get_until (vg_forced_recordings_get (connection),
                                                                 vg_camera_get_id (camera)) > 0);
}

/* PLAY-7: the selected cell's frame, or the open camera's, into Pictures/Vigie. */
static void
snapshot_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  gboolean camera_shown = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                     "camera") == 0;
  VgVideoView *view = camera_shown
                      ? vg_camera_page_get_video_view (self->camera_page)
                      : vg_mosaic_get_view (self->mosaic, vg_mosaic_get_selected (self->mosaic));
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  g_autofree char *dir = g_build_filename (pictures != NULL ? pictures : g_get_home_dir (),
                                           "Vigie", NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  VgCamera *camera = vg_video_view_get_camera (view);

  name = g_strdup_printf ("%s %s.png", camera != NULL ? vg_camera_get_name (camera) : "Vigie", stamp);
  g_strdelimit (name, "/", '-');
  path = g_build_filename (dir, name, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      /* Translators: %s is a folder */
      message = g_strdup_printf (_("Could not create %s"), dir);
      vg_window_show_error (self, message);
      return;
    }

  if (!vg_video_view_save_snapshot (view, path, &error))
    {
      vg_window_show_error (self, error->message);
      return;
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Snapshot saved as %s"), path);
  vg_window_show_error (self, message);
}

/* PLAY-1: from the live views to the player */

/* How far back "go back" and "open in player" start. */
#define REPLAY_SECONDS 30

/* camera_id > 0: that camera of the node whose camera menu is open (of the first node
 * otherwise); 0: the open camera or the selected cell's. */
static VgCamera *
vg_window_camera_of (VgWindow      *self,
                     gint64         camera_id,
                     VgConnection **connection)
{
  *connection = NULL;
  if (camera_id <= 0)
    return vg_window_get_current_camera (self, connection);
  *connection = self->menu_connection != NULL ? self->menu_connection : self->connection;
  return *connection != NULL ? vg_connection_lookup_camera (*connection, camera_id) : NULL;
}

/* connections[i]: the node of camera_ids[i]. */
static void
vg_window_open_player (VgWindow            *self,
                       VgConnection *const *connections,
                       const gint64        *camera_ids,
                       guint                n_cameras,
                       gboolean             playing)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  gint64 at = g_get_real_time () - REPLAY_SECONDS * G_USEC_PER_SEC;
  VgPlayerWindow *player;

  if (n_cameras == 0 || application == NULL || connections[0] == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  player = vg_player_window_new_for_nodes (application, connections, camera_ids, n_cameras, NULL, at,
                                           playing);
  gtk_window_present (GTK_WINDOW (player));
}

static void
vg_window_play_camera (VgWindow *self,
                       gint64    camera_id,
                       gboolean  playing)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_window_camera_of (self, camera_id, &connection);
  gint64 id;

  if (camera == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  id = vg_camera_get_id (camera);
  vg_window_open_player (self, &connection, &id, 1, playing);
}

/* The player, playing from 30 s ago (instant replay). */
static void
go_back_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  vg_window_play_camera (VG_WINDOW (widget), g_variant_get_int64 (parameter), TRUE);
}

/* The player, paused 30 s ago. */
static void
open_player_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vg_window_play_camera (VG_WINDOW (widget), g_variant_get_int64 (parameter), FALSE);
}

/* The camera in a live window of its own (CLI-10). */
VgLiveWindow *
vg_window_open_live_window (VgWindow *self,
                            gint64    camera_id)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_window_camera_of (self, camera_id, &connection);
  VgLiveWindow *window;

  if (camera == NULL || connection == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return NULL;
    }
  window = vg_live_window_new (gtk_window_get_application (GTK_WINDOW (self)), connection, camera);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
open_window_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vg_window_open_live_window (VG_WINDOW (widget), g_variant_get_int64 (parameter));
}

/* Says which nodes' cells were left out of the player: not connected. */
static void
vg_window_report_left_out (VgWindow  *self,
                           GPtrArray *left_out)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *message = NULL;

  for (guint i = 0; i < left_out->len; i++)
    {
      VgConnection *connection = g_ptr_array_index (left_out, i);
      const char *name = vg_connection_get_node_name (connection);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, name != NULL ? name : vg_connection_get_base_url (connection));
    }
  /* Translators: %s is a node's name, or several separated by commas */
  message = g_strdup_printf (_("Left out of the player, not connected: %s"), names->str);
  vg_window_show_error (self, message);
}

/* The mosaic's cameras, whatever their node, in one player on one clock (PLAY-4),
 * paused 30 s ago, in the mosaic's order; the cells of a node not connected are left
 * out, with a word saying which. */
static void
play_mosaic_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) connections = g_ptr_array_new ();
  g_autoptr(GPtrArray) left_out = g_ptr_array_new ();

  for (guint i = 0; i < vg_mosaic_get_n_cells (self->mosaic); i++)
    {
      VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic, i));
      VgConnection *connection = vg_mosaic_get_cell_connection (self->mosaic, i);
      gint64 id;

      if (camera == NULL || connection == NULL)
        continue;
      if (vg_connection_get_state (connection) != VG_CONNECTION_STATE_CONNECTED)
        {
          if (!g_ptr_array_find (left_out, connection, NULL))
            g_ptr_array_add (left_out, connection);
          continue;
        }
      id = vg_camera_get_id (camera);
      g_array_append_val (ids, id);
      g_ptr_array_add (connections, connection);
    }
  if (ids->len > 0)
    vg_window_open_player (self, (VgConnection *const *) connections->pdata,
                           (const gint64 *) (gpointer) ids->data, ids->len, FALSE);
  if (left_out->len > 0)
    vg_window_report_left_out (self, left_out);
  else if (ids->len == 0)
    vg_window_show_error (self, _("Select a camera first"));
}

static GMenuModel *
camera_menu_model_new (gint64 camera_id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) back = g_menu_item_new (_("_Go Back 30 Seconds"), NULL);
  g_autoptr(GMenuItem) open = g_menu_item_new (_("Open in _Player"), NULL);
  g_autoptr(GMenuItem) window = g_menu_item_new (_("Open in a _Window"), NULL);

  g_menu_item_set_action_and_target_value (back, "win.go-back", g_variant_new_int64 (camera_id));
  g_menu_item_set_action_and_target_value (open, "win.open-player", g_variant_new_int64 (camera_id));
  g_menu_item_set_action_and_target_value (window, "win.open-window", g_variant_new_int64 (camera_id));
  g_menu_append_item (menu, back);
  g_menu_append_item (menu, open);
  g_menu_append_item (menu, window);
  return G_MENU_MODEL (menu);
}

/* A secondary click on a camera of the tree: its menu, for its node. */
static void
camera_list_pressed_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        VgWindow        *self)
{
  VgConnection *connection = NULL;
  VgCamera *camera = vg_node_tree_pick_camera (self->node_tree, x, y, &connection);
  g_autoptr(GMenuModel) menu = NULL;
  double sx;
  double sy;

  if (camera == NULL || connection == NULL
      || !gtk_widget_translate_coordinates (GTK_WIDGET (self->node_tree), self->sidebar, x, y, &sx, &sy))
    return;
  g_set_object (&self->menu_connection, connection);
  menu = camera_menu_model_new (vg_camera_get_id (camera));
  gtk_popover_menu_set_menu_model (self->camera_menu, menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->camera_menu), &(GdkRectangle) { (int) sx, (int) sy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->camera_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* The menu's action runs before "closed" is emitted: the node is not needed after. */
static gboolean
forget_menu_connection_cb (gpointer data)
{
  VgWindow *self = VG_WINDOW (data);

  g_clear_object (&self->menu_connection);
  return G_SOURCE_REMOVE;
}

static void
camera_menu_closed_cb (VgWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, forget_menu_connection_cb, g_object_ref (self),
                   g_object_unref);
}

static void
vg_window_init_playback_menus (VgWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  vg_mosaic_set_cell_menu (self->mosaic, self->cell_menu);
  g_signal_connect_object (vg_mosaic_get_cell_menu (self->mosaic), "show",
                           G_CALLBACK (vg_window_update_cell_record_actions), self, G_CONNECT_SWAPPED);

  self->camera_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->camera_menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->camera_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->camera_menu), self->sidebar);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (camera_list_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->node_tree), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (self->camera_menu, "closed", G_CALLBACK (camera_menu_closed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Every node not connected, now. */
static void
reconnect_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
    {
      VgConnection *connection = vg_window_get_node (self, i);

      if (vg_connection_get_state (connection) != VG_CONNECTION_STATE_CONNECTED)
        vg_connection_connect (connection, NULL);
    }
}

/* CLI-1: adding and removing nodes */

static void
add_node_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  vg_node_dialog_present (GTK_WINDOW (self), self->connections);
}

static void
remove_node_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         VgWindow         *self)
{
  VgConnection *connection = g_object_get_data (G_OBJECT (dialog), "connection");

  if (!g_str_equal (response, "remove") || connection == NULL)
    return;

  g_object_ref (connection);
  if (vg_node_tree_get_selected_connection (self->node_tree) == connection)
    vg_node_tree_unselect (self->node_tree);
  vg_mosaic_forget_connection (self->mosaic, connection);
  vg_connection_list_remove (self->connections, connection);
  g_object_unref (connection);
}

/* "https://USER@HOST:PORT": asks, then forgets the node, its password and certificate. */
static void
remove_node_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autofree char *base_url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *address = NULL;
  VgConnection *connection;
  AdwMessageDialog *dialog;

  if (!vg_launch_options_parse_connect (g_variant_get_string (parameter, NULL), &base_url, &user, NULL) ||
      (connection = vg_connection_list_lookup (self->connections, base_url, user)) == NULL)
    return;

  address = vg_node_row_format_address (base_url);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove the Node?"), NULL));
  /* Translators: a user, then a node's address */
  adw_message_dialog_format_body (dialog, _("The cameras of %s@%s leave the list and the "
                                            "mosaic; its password and accepted certificate "
                                            "are forgotten."), user, address);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "connection", g_object_ref (connection), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_node_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Escape leaves full screen, else ends the search (the entry handles it when focused). */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  VgWindow *self = VG_WINDOW (widget);

  if (gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      gtk_window_unfullscreen (GTK_WINDOW (self));
      return TRUE;
    }

  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      return TRUE;
    }

  return FALSE;
}

static void
fullscreened_cb (VgWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  /* Full screen is for watching: the video takes the whole screen. */
  gtk_widget_set_visible (self->sidebar, !fullscreen);
  gtk_widget_set_visible (self->content_header, !fullscreen);

  gtk_button_set_icon_name (self->fullscreen_button, fullscreen ? "view-restore-symbolic"
                                                                : "view-fullscreen-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fullscreen_button),
                               fullscreen ? _("Leave Full Screen") : _("Full Screen"));
}

/* Window state */

static void
vg_window_load_state (VgWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
vg_window_save_state (VgWindow *self)
{
  GtkWindow *window = GTK_WINDOW (self);
  gboolean maximized = gtk_window_is_maximized (window);

  if (self->settings == NULL || gtk_window_is_fullscreen (window))
    return;

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      int width;
      int height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
vg_window_close_request (GtkWindow *window)
{
  vg_window_save_state (VG_WINDOW (window));

  return GTK_WINDOW_CLASS (vg_window_parent_class)->close_request (window);
}

/* Public */

VgWindow *
vg_window_new (GtkApplication *application,
               VgConnection   *connection,
               GSettings      *settings)
{
  VgWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (connection == NULL || VG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  /* The application's nodes, when it keeps them. */
  self = g_object_new (VG_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
                       "connections", VG_IS_APPLICATION (application)
                                      ? vg_application_get_connections (VG_APPLICATION (application))
                                      : NULL,
                       NULL);
  g_set_object (&self->settings, settings);
  if (settings != NULL && connection != NULL)
    vg_connection_set_live_tls (connection, g_settings_get_boolean (settings, "live-tls"));
  vg_window_load_state (self);
  /* CLI-3: where the window system allows it */
  vg_keep_above_add_action (GTK_APPLICATION_WINDOW (self), settings);
  if (!vg_keep_above_is_supported (GTK_WIDGET (self)))
    gtk_widget_set_tooltip_text (self->above_button, vg_keep_above_why_not (GTK_WIDGET (self)));

  return self;
}

/**
 * vg_window_get_connection:
 *
 * Returns: (transfer none) (nullable): the node shown
 */
VgConnection *
vg_window_get_connection (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->connection;
}

void
vg_window_select_camera (VgWindow *self,
                         gint64    camera_id)
{
  g_return_if_fail (VG_IS_WINDOW (self));
  g_return_if_fail (camera_id > 0);

  self->pending_camera_id = camera_id;
  vg_window_select_pending (self);
}

void
vg_window_show_mosaic (VgWindow *self,
                       VgLayout *layout)
{
  g_return_if_fail (VG_IS_WINDOW (self));
  g_return_if_fail (layout != NULL);

  vg_mosaic_set_layout (self->mosaic, layout);
  if (!self->mosaic_shown || vg_mosaic_is_empty (self->mosaic))
    self->mosaic_autofill = TRUE;
  self->mosaic_shown = TRUE;
  vg_node_tree_unselect (self->node_tree);
  vg_window_fill_mosaic (self);
  vg_window_update_main (self);
}

/**
 * vg_window_get_mosaic:
 *
 * Returns: (transfer none): the mosaic
 */
/**
 * vg_window_get_camera_page:
 *
 * Returns: (transfer none): the page of the selected camera
 */
/**
 * vg_window_get_mosaic_cycle:
 *
 * Returns: (transfer none) (nullable): the cycle of saved mosaics, NULL without a node
 */
VgMosaicCycle *
vg_window_get_mosaic_cycle (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->cycle;
}

VgCameraPage *
vg_window_get_camera_page (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->camera_page;
}

VgMosaic *
vg_window_get_mosaic (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->mosaic;
}

/**
 * vg_window_get_selected_camera:
 *
 * Returns: (transfer none) (nullable): the camera open in the main area
 */
VgCamera *
vg_window_get_selected_camera (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return vg_node_tree_get_selected_camera (self->node_tree);
}

/**
 * vg_window_get_connections:
 *
 * Returns: (transfer none): the nodes of the camera tree
 */
VgConnectionList *
vg_window_get_connections (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->connections;
}

/**
 * vg_window_get_node_tree:
 *
 * Returns: (transfer none): the camera tree
 */
VgNodeTree *
vg_window_get_node_tree (VgWindow *self)
{
  g_return_val_if_fail (VG_IS_WINDOW (self), NULL);

  return self->node_tree;
}

/* GObject */

static void
vg_window_constructed (GObject *object)
{
  VgWindow *self = VG_WINDOW (object);
  g_autoptr(VgConnection) primary = g_steal_pointer (&self->connection);

  G_OBJECT_CLASS (vg_window_parent_class)->constructed (object);

  /* Without the application's list (a window made on its own), a list of its node. */
  if (self->connections == NULL)
    {
      self->connections = vg_connection_list_new (NULL);
      if (primary != NULL)
        vg_connection_list_add_connection (self->connections, primary);
    }

  vg_node_tree_set_connections (self->node_tree, self->connections);
  vg_mosaic_set_connections (self->mosaic, self->connections);
  for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
    vg_window_watch_connection (self, vg_window_get_node (self, i));
  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (connections_changed_cb), self, 0);

  if (primary == NULL && vg_window_get_n_nodes (self) > 0)
    primary = g_object_ref (vg_window_get_node (self, 0));
  vg_window_set_primary (self, primary);
  vg_window_update_connection (self);
}

static void
vg_window_dispose (GObject *object)
{
  VgWindow *self = VG_WINDOW (object);

  g_clear_handle_id (&self->select_pending_id, g_source_remove);

  if (self->connections != NULL)
    {
      for (guint i = 0; i < vg_window_get_n_nodes (self); i++)
        {
          VgConnection *connection = vg_window_get_node (self, i);

          g_signal_handlers_disconnect_by_data (connection, self);
          g_signal_handlers_disconnect_by_data (vg_connection_get_cameras (connection), self);
        }
      g_signal_handlers_disconnect_by_data (self->connections, self);
    }
  if (self->cycle != NULL)
    vg_mosaic_cycle_stop (self->cycle);
  g_clear_object (&self->cycle);
  g_clear_object (&self->connection);
  g_clear_object (&self->menu_connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);
  if (self->camera_bindings != NULL)
    g_binding_group_set_source (self->camera_bindings, NULL);
  if (self->camera_menu != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->camera_menu));
  self->camera_menu = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_WINDOW);

  G_OBJECT_CLASS (vg_window_parent_class)->dispose (object);
}

static void
vg_window_finalize (GObject *object)
{
  VgWindow *self = VG_WINDOW (object);

  g_clear_object (&self->camera_bindings);
  g_clear_pointer (&self->address, g_free);

  G_OBJECT_CLASS (vg_window_parent_class)->finalize (object);
}

static void
vg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VgWindow *self = VG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_CONNECTIONS:
      g_value_set_object (value, self->connections);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VgWindow *self = VG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_CONNECTIONS:
      self->connections = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_window_class_init (VgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vg_window_constructed;
  object_class->dispose = vg_window_dispose;
  object_class->finalize = vg_window_finalize;
  object_class->get_property = vg_window_get_property;
  object_class->set_property = vg_window_set_property;
  window_class->close_request = vg_window_close_request;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VG_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, VG_TYPE_CONNECTION_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Types the template names */
  g_type_ensure (VG_TYPE_CAMERA);
  g_type_ensure (VG_TYPE_CAMERA_ROW);
  g_type_ensure (VG_TYPE_CAMERA_PAGE);
  g_type_ensure (VG_TYPE_MOSAIC);
  g_type_ensure (VG_TYPE_NODE_TREE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, content);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, failed_icon);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, node_title);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, node_tree);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, camera_title);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, above_button);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, main_spinner);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, offline_page);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, camera_page);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, mosaic);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, cell_menu);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tree_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.toggle-fullscreen", NULL,
                                   vg_fullscreen_toggle_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_cb);
  gtk_widget_class_install_action (widget_class, "win.add-node", NULL, add_node_cb);
  gtk_widget_class_install_action (widget_class, "win.remove-node", "s", remove_node_cb);
  gtk_widget_class_install_action (widget_class, "win.mosaic-preset", "u", mosaic_preset_cb);
  gtk_widget_class_install_action (widget_class, "win.snapshot", NULL, snapshot_cb);
  gtk_widget_class_install_action (widget_class, "win.recordings", NULL, recordings_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_cb);
  gtk_widget_class_install_action (widget_class, "win.record-now", NULL, record_now_cb);
  gtk_widget_class_install_action (widget_class, "win.record-stop", NULL, record_stop_cb);
  gtk_widget_class_install_action (widget_class, "win.cell-record-stop", NULL, record_stop_cb);
  gtk_widget_class_install_action (widget_class, "win.record-mosaic", NULL, record_mosaic_cb);
  gtk_widget_class_install_action (widget_class, "win.cycle", NULL, cycle_cb);
  gtk_widget_class_install_action (widget_class, "win.cycle-pause", NULL, cycle_pause_cb);
  gtk_widget_class_install_action (widget_class, "win.cycle-next", NULL, cycle_next_cb);
  gtk_widget_class_install_action (widget_class, "win.go-back", "x", go_back_cb);
  gtk_widget_class_install_action (widget_class, "win.open-player", "x", open_player_cb);
  gtk_widget_class_install_action (widget_class, "win.open-window", "x", open_window_cb);
  gtk_widget_class_install_action (widget_class, "win.play-mosaic", NULL, play_mosaic_cb);
  gtk_widget_class_install_action (widget_class, "win.save-mosaic", NULL, save_mosaic_cb);
  gtk_widget_class_install_action (widget_class, "win.mosaics", NULL, mosaics_cb);
  gtk_widget_class_install_action (widget_class, "win.custom-layout", NULL, custom_layout_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0,
                                       "win.toggle-fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.cycle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.record-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.record-stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.snapshot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Pause, 0, "win.cycle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "win.cycle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.cycle-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.go-back", "x", (gint64) 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.open-player", "x", (gint64) 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.play-mosaic", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-mosaic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.mosaics", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.always-on-top", NULL);
}

static void
vg_window_init (VgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cycle-pause", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cycle-next", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cell-record-stop", FALSE);

  self->camera_bindings = g_binding_group_new ();
  g_binding_group_bind (self->camera_bindings, "name",
                        self->camera_title, "title", G_BINDING_SYNC_CREATE);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->mosaic, "camera-placed", G_CALLBACK (mosaic_camera_placed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (fullscreened_cb), NULL);
  vg_window_init_playback_menus (self);
}
