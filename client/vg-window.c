/* vg-window.c: the operator's main window: a node's cameras and the main area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-camera-page.h"
#include "vg-camera-row.h"
#include "vg-forced-recordings.h"
#include "vg-keep-above.h"
#include "vg-layout-dialog.h"
#include "vg-live-window.h"
#include "vg-mosaic.h"
#include "vg-mosaic-save.h"
#include "vg-mosaics-dialog.h"
#include "vg-player-window.h"
#include "vg-recordings-window.h"
#include "vg-window.h"

struct _VgWindow
{
  AdwApplicationWindow parent_instance;

  VgConnection *connection;       /* NULL when started without a node */
  GSettings *settings;            /* NULL without the installed schema */
  char *address;                  /* "HOST:PORT", for titles */
  gint64 pending_camera_id;       /* to select once listed; 0 for none */
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
  GtkListView *camera_list;
  GtkSingleSelection *selection;
  GtkSortListModel *sort_model;
  GtkFilterListModel *filter_model;
  GtkStringFilter *name_filter;
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static VgConnectionState
vg_window_get_state (VgWindow *self)
{
  return self->connection != NULL ? vg_connection_get_state (self->connection)
                                  : VG_CONNECTION_STATE_DISCONNECTED;
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
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint n_cameras = self->connection != NULL
                    ? g_list_model_get_n_items (vg_connection_get_cameras (self->connection))
                    : 0;
  const char *page;

  if (n_shown > 0)
    page = "list";
  else if (n_cameras > 0)
    page = "no-results";
  else if (vg_window_get_state (self) == VG_CONNECTION_STATE_CONNECTED)
    page = "empty";
  else
    page = "none";

  gtk_stack_set_visible_child_name (self->sidebar_stack, page);
}

static void
vg_window_update_main (VgWindow *self)
{
  VgConnectionState state = vg_window_get_state (self);
  gboolean have_cameras = self->connection != NULL &&
                          g_list_model_get_n_items (vg_connection_get_cameras (self->connection)) > 0;
  const char *page;

  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    page = "camera";
  else if (self->mosaic_shown && have_cameras)
    page = "mosaic";
  else if (state == VG_CONNECTION_STATE_CONNECTED ||
           (state == VG_CONNECTION_STATE_CONNECTING && have_cameras))
    page = "select";
  else if (state == VG_CONNECTION_STATE_CONNECTING)
    page = "connecting";
  else
    page = "offline";

  gtk_spinner_set_spinning (self->main_spinner, g_str_equal (page, "connecting"));
  gtk_stack_set_visible_child_name (self->main_stack, page);
}

static void
vg_window_update_connection (VgWindow *self)
{
  VgConnectionState state = vg_window_get_state (self);
  const char *error = self->connection != NULL ? vg_connection_get_error (self->connection) : NULL;
  const char *node_name = self->connection != NULL ? vg_connection_get_node_name (self->connection)
                                                   : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *description = NULL;

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
    description = g_markup_printf_escaped (_("Start Vigie with %s to watch the cameras of a node"),
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
  guint n_items;

  if (self->pending_camera_id == 0)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);

      if (vg_camera_get_id (camera) == self->pending_camera_id)
        {
          self->pending_camera_id = 0;
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
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

static void
selection_changed_cb (VgWindow *self)
{
  VgCamera *camera = gtk_single_selection_get_selected_item (self->selection);

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
    vg_mosaic_fill (self->mosaic, vg_connection_get_cameras (self->connection));
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
  vg_window_select_pending (self);
}

/* Folded, going back to the list closes the camera. */
static void
leaflet_visible_child_cb (VgWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->sidebar)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* Folding keeps the open camera in view. */
static void
leaflet_folded_cb (VgWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet,
                                   gtk_single_selection_get_selected_item (self->selection) != NULL
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
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_string_filter_set_search (self->name_filter, text[0] != '\0' ? text : NULL);
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
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
}

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

/* Connection */

static void
connection_error_cb (VgWindow *self)
{
  const char *error = vg_connection_get_error (self->connection);

  if (error != NULL)
    vg_window_show_error (self, error);
  vg_window_update_connection (self);
}

static void
connection_state_cb (VgWindow *self)
{
  vg_window_update_connection (self);
  vg_window_select_pending (self);
}

/* Actions */

static void
toggle_fullscreen_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

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
  VgRecordingsWindow *recordings;

  if (self->connection == NULL)
    return;
  recordings = vg_recordings_window_new (GTK_WINDOW (self), self->connection,
                                         vg_window_get_selected_camera (self));
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
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
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
  mosaic = vg_saved_mosaic_new_from_mosaic (NULL, self->mosaic);
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
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  vg_saved_mosaic_apply (mosaic, self->mosaic, self->connection);
  vg_window_update_main (self);
}

/* REC-6: the open camera, or the selected cell's, recorded now for a while. */

#define FORCED_RECORDING_SECONDS (5 * 60)

static VgCamera *
vg_window_get_current_camera (VgWindow *self)
{
  VgCamera *camera = gtk_single_selection_get_selected_item (self->selection);

  if (camera != NULL)
    return camera;
  if (vg_mosaic_get_n_cells (self->mosaic) == 0 ||
      vg_mosaic_get_selected (self->mosaic) >= vg_mosaic_get_n_cells (self->mosaic))
    return NULL;
  return vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic,
                                                       vg_mosaic_get_selected (self->mosaic)));
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
vg_window_force_camera (VgWindow *self,
                        VgCamera *camera,
                        gboolean  start)
{
  vg_forced_recordings_start_async (vg_forced_recordings_get (self->connection),
                                    vg_camera_get_id (camera), start ? FORCED_RECORDING_SECONDS : 0,
                                    NULL, record_request_cb, g_object_ref (self));
}

static void
vg_window_force_recording (VgWindow *self,
                           gboolean  start)
{
  VgCamera *camera = vg_window_get_current_camera (self);

  if (camera == NULL || self->connection == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  vg_window_force_camera (self, camera, start);
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

  if (self->connection == NULL)
    return;
  for (guint i = 0; i < vg_mosaic_get_n_cells (self->mosaic); i++)
    {
      VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic, i));

      if (camera != NULL && g_hash_table_add (done, camera))
        vg_window_force_camera (self, camera, TRUE);
    }
  if (g_hash_table_size (done) == 0)
    vg_window_show_error (self, _("The mosaic shows no camera"));
}

/* The cell menu offers to stop a manual recording only while there is one. */
static void
vg_window_update_cell_record_actions (VgWindow *self)
{
  VgCamera *camera = vg_window_get_current_camera (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cell-record-stop",
                                 camera != NULL && self->connection != NULL &&
                                 vg_forced_recordings_get_until (vg_forced_recordings_get (self->connection),
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

/* camera_id > 0: that camera; 0: the open camera or the selected cell's. */
static VgCamera *
vg_window_camera_of (VgWindow *self,
                     gint64    camera_id)
{
  if (camera_id <= 0)
    return vg_window_get_current_camera (self);
  return self->connection != NULL ? vg_connection_lookup_camera (self->connection, camera_id) : NULL;
}

static void
vg_window_open_player (VgWindow     *self,
                       const gint64 *camera_ids,
                       guint         n_cameras,
                       gboolean      playing)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  gint64 at = g_get_real_time () - REPLAY_SECONDS * G_USEC_PER_SEC;
  VgPlayerWindow *player;

  if (n_cameras == 0 || application == NULL || self->connection == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  player = vg_player_window_new (application, self->connection, camera_ids, n_cameras, NULL, at, playing);
  gtk_window_present (GTK_WINDOW (player));
}

static void
vg_window_play_camera (VgWindow *self,
                       gint64    camera_id,
                       gboolean  playing)
{
  VgCamera *camera = vg_window_camera_of (self, camera_id);
  gint64 id;

  if (camera == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return;
    }
  id = vg_camera_get_id (camera);
  vg_window_open_player (self, &id, 1, playing);
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
  VgCamera *camera = vg_window_camera_of (self, camera_id);
  VgLiveWindow *window;

  if (camera == NULL || self->connection == NULL)
    {
      vg_window_show_error (self, _("Select a camera first"));
      return NULL;
    }
  window = vg_live_window_new (gtk_window_get_application (GTK_WINDOW (self)), self->connection, camera);
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

/* The mosaic's cameras in one player on one clock (PLAY-4), paused 30 s ago. */
static void
play_mosaic_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < vg_mosaic_get_n_cells (self->mosaic); i++)
    {
      VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (self->mosaic, i));
      gint64 id;

      if (camera == NULL)
        continue;
      id = vg_camera_get_id (camera);
      g_array_append_val (ids, id);
    }
  vg_window_open_player (self, (const gint64 *) (gpointer) ids->data, ids->len, FALSE);
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

/* A secondary click on a camera of the list: its menu. */
static void
camera_list_pressed_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        VgWindow        *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->camera_list), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, VG_TYPE_CAMERA_ROW) : NULL;
  VgCamera *camera = row != NULL ? vg_camera_row_get_camera (VG_CAMERA_ROW (row)) : NULL;
  g_autoptr(GMenuModel) menu = NULL;
  double sx;
  double sy;

  if (camera == NULL
      || !gtk_widget_translate_coordinates (GTK_WIDGET (self->camera_list), self->sidebar, x, y, &sx, &sy))
    return;
  menu = camera_menu_model_new (vg_camera_get_id (camera));
  gtk_popover_menu_set_menu_model (self->camera_menu, menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->camera_menu), &(GdkRectangle) { (int) sx, (int) sy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->camera_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
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
  gtk_widget_add_controller (GTK_WIDGET (self->camera_list), GTK_EVENT_CONTROLLER (click));
}

static void
reconnect_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VgWindow *self = VG_WINDOW (widget);

  if (self->connection != NULL)
    vg_connection_connect (self->connection, NULL);
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

  self = g_object_new (VG_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
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
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
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

  return gtk_single_selection_get_selected_item (self->selection);
}

/* GObject */

static char *
address_of (const char *base_url)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL)
    return g_strdup (base_url);

  host = g_uri_get_host (uri);
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, g_uri_get_port (uri));
  return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
}

static void
vg_window_constructed (GObject *object)
{
  VgWindow *self = VG_WINDOW (object);
  g_autoptr(GtkSorter) sorter = NULL;

  G_OBJECT_CLASS (vg_window_parent_class)->constructed (object);

  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_camera_names, NULL, NULL));
  gtk_sort_list_model_set_sorter (self->sort_model, sorter);

  if (self->connection != NULL)
    {
      self->address = address_of (vg_connection_get_base_url (self->connection));
      gtk_filter_list_model_set_model (self->filter_model,
                                       vg_connection_get_cameras (self->connection));
      vg_mosaic_set_connection (self->mosaic, self->connection);
      vg_camera_page_set_connection (self->camera_page, self->connection);
      self->cycle = vg_mosaic_cycle_new (self->mosaic, self->connection);
      g_signal_connect_object (self->cycle, "notify::running",
                               G_CALLBACK (cycle_running_cb), self, G_CONNECT_SWAPPED);

      g_signal_connect_object (self->connection, "notify::state",
                               G_CALLBACK (connection_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->connection, "notify::error",
                               G_CALLBACK (connection_error_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->connection, "notify::node-name",
                               G_CALLBACK (vg_window_update_connection), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (vg_forced_recordings_get (self->connection), "changed",
                               G_CALLBACK (vg_window_update_cell_record_actions), self,
                               G_CONNECT_SWAPPED);
    }

  vg_window_update_connection (self);
}

static void
vg_window_dispose (GObject *object)
{
  VgWindow *self = VG_WINDOW (object);

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->cycle != NULL)
    vg_mosaic_cycle_stop (self->cycle);
  g_clear_object (&self->cycle);
  g_clear_object (&self->connection);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Types the template names */
  g_type_ensure (VG_TYPE_CAMERA);
  g_type_ensure (VG_TYPE_CAMERA_ROW);
  g_type_ensure (VG_TYPE_CAMERA_PAGE);
  g_type_ensure (VG_TYPE_MOSAIC);

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
  gtk_widget_class_bind_template_child (widget_class, VgWindow, camera_list);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, sort_model);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, filter_model);
  gtk_widget_class_bind_template_child (widget_class, VgWindow, name_filter);
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
  gtk_widget_class_bind_template_callback (widget_class, cameras_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.toggle-fullscreen", NULL,
                                   toggle_fullscreen_cb);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_cb);
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
