/* vg-player-window.c: a window playing back one camera, or several synchronised (PLAY-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-player-window.h"
#include "vg-recording-track.h"
#include "vg-timeline-panel.h"

#include <glib/gi18n.h>
#include <math.h>

struct _VgPlayerWindow
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkGrid         *grid;
  VgTimelinePanel *timeline_panel;

  GPtrArray       *connections;  /* (nullable) VgConnection: each view's node */
  VgPlaybackClock *clock;
  GPtrArray       *views;        /* VgPlayerView */
  GArray          *camera_ids;
  char            *stream;
  GPtrArray       *view_streams; /* (nullable) char *: the stream chosen in view i's menu */
  guint            n_tracks;     /* views whose timeline row was added, in order */
  gboolean         tracks_placed;
  GCancellable    *edge_cancellable;   /* Home/End's question to the node */
};

G_DEFINE_FINAL_TYPE (VgPlayerWindow, vg_player_window, ADW_TYPE_WINDOW)

static VgConnection *
connection_of (VgPlayerWindow *self,
               guint           i)
{
  return g_ptr_array_index (self->connections, i);
}

static VgCamera *
camera_of (VgPlayerWindow *self,
           guint           i)
{
  VgConnection *connection = connection_of (self, i);

  return connection != NULL
         ? vg_connection_lookup_camera (connection, g_array_index (self->camera_ids, gint64, i)) : NULL;
}

/* Whether the views play cameras of more than one node. */
static gboolean
has_several_nodes (VgPlayerWindow *self)
{
  for (guint i = 1; i < self->connections->len; i++)
    if (connection_of (self, i) != connection_of (self, 0))
      return TRUE;
  return FALSE;
}

/* The node of view i as the operator knows it: its name; its address when unnamed or
 * when another node of the player has the same name. */
static const char *
node_label (VgPlayerWindow *self,
            guint           i)
{
  VgConnection *connection = connection_of (self, i);
  const char *name;

  if (connection == NULL)
    return _("no node");
  name = vg_connection_get_node_name (connection);
  for (guint j = 0; name != NULL && j < self->connections->len; j++)
    if (connection_of (self, j) != connection && connection_of (self, j) != NULL
        && g_strcmp0 (vg_connection_get_node_name (connection_of (self, j)), name) == 0)
      name = NULL;
  return name != NULL ? name : vg_connection_get_base_url (connection);
}

/* The camera of view i, with its node when the player shows several nodes. */
static char *
camera_label (VgPlayerWindow *self,
              guint           i)
{
  VgCamera *camera = camera_of (self, i);
  g_autofree char *name = camera != NULL ? g_strdup (vg_camera_get_name (camera))
                          /* Translators: the camera’s number */
                          : g_strdup_printf (_("Camera %" G_GINT64_FORMAT), g_array_index (self->camera_ids, gint64, i));

  if (!has_several_nodes (self))
    return g_steal_pointer (&name);
  /* Translators: a camera, then the node it is on */
  return g_strdup_printf (_("%s on %s"), name, node_label (self, i));
}

static GMenuItem *
source_item (const char *label,
             guint       view,
             gint64      camera_id,
             const char *stream)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "player.set-source",
                                           g_variant_new ("(uxs)", view, camera_id, stream != NULL ? stream : ""));
  return item;
}

/* View i's menu (PLAY-4): the cameras of its node, then the recorded streams
 * (qualities) of its camera. */
static GMenuModel *
source_menu_new (VgPlayerWindow *self,
                 guint           i)
{
  VgConnection *connection = connection_of (self, i);
  VgCamera *current = camera_of (self, i);
  g_autoptr(GMenu) cameras = g_menu_new ();
  g_autoptr(GMenu) qualities = g_menu_new ();
  GMenu *menu = g_menu_new ();
  GListModel *list = connection != NULL ? vg_connection_get_cameras (connection) : NULL;
  GPtrArray *streams = current != NULL ? vg_camera_get_streams (current) : NULL;

  for (guint j = 0; list != NULL && j < g_list_model_get_n_items (list); j++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (list, j);
      g_autoptr(GMenuItem) item = source_item (vg_camera_get_name (camera), i, vg_camera_get_id (camera), NULL);

      g_menu_append_item (cameras, item);
    }
  for (guint j = 0; streams != NULL && j < streams->len; j++)
    {
      VgStream *stream = g_ptr_array_index (streams, j);
      g_autoptr(GMenuItem) item = NULL;

      if (!(vg_stream_get_roles (stream) & VG_STREAM_ROLE_RECORD))
        continue;
      item = source_item (vg_stream_get_name (stream), i, vg_camera_get_id (current), vg_stream_get_name (stream));
      g_menu_append_item (qualities, item);
    }
  g_menu_append_section (menu, _("Camera"), G_MENU_MODEL (cameras));
  if (g_menu_model_get_n_items (G_MENU_MODEL (qualities)) > 0)
    g_menu_append_section (menu, _("Quality"), G_MENU_MODEL (qualities));
  return G_MENU_MODEL (menu);
}

/* The subtitle lists the cameras; each view says its own, with its menu. */
static void
update_title (VgPlayerWindow *self)
{
  g_autoptr(GString) title = NULL;

  if (self->views == NULL || self->connections == NULL)
    return;
  title = g_string_new (NULL);

  for (guint i = 0; i < self->camera_ids->len; i++)
    {
      g_autofree char *label = camera_label (self, i);

      if (i > 0)
        g_string_append (title, ", ");
      g_string_append (title, label);
      if (i < self->views->len)
        {
          g_autoptr(GMenuModel) menu = source_menu_new (self, i);

          vg_player_view_set_title (g_ptr_array_index (self->views, i), label);
          vg_player_view_set_source_menu (g_ptr_array_index (self->views, i), menu);
        }
    }
  adw_window_title_set_subtitle (self->window_title, title->str);
}

/* A recorded stream of the camera with all of roles, or NULL. */
static const char *
recorded_stream_with (VgCamera      *camera,
                      VgStreamRoles  roles)
{
  GPtrArray *streams = vg_camera_get_streams (camera);

  roles |= VG_STREAM_ROLE_RECORD;
  for (guint i = 0; streams != NULL && i < streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (streams, i);

      if ((vg_stream_get_roles (stream) & roles) == roles)
        return vg_stream_get_name (stream);
    }
  return NULL;
}

/* The stream a view plays: the one asked for; else, with several cameras (small
 * cells), a recorded mosaic stream (less to decode for the same picture); else the
 * first recorded stream; NULL (the node's choice) when the camera is not listed. */
static const char *
stream_for (VgPlayerWindow *self,
            guint           i)
{
  VgCamera *camera;
  const char *name = NULL;

  if (i < self->view_streams->len && g_ptr_array_index (self->view_streams, i) != NULL)
    return g_ptr_array_index (self->view_streams, i);
  if (self->stream != NULL)
    return self->stream;
  camera = camera_of (self, i);
  if (camera == NULL)
    return NULL;
  if (self->camera_ids->len > 1)
    name = recorded_stream_with (camera, VG_STREAM_ROLE_MOSAIC);
  return name != NULL ? name : recorded_stream_with (camera, VG_STREAM_ROLE_RECORD);
}

/* The timeline (PLAY-1, PLAY-2): a row per camera in the views' order, its spans
 * asked to the camera's node, half an hour around the position, its cursor following
 * the clock. A row is added once its view and those before it have started. */
static void
add_tracks (VgPlayerWindow *self)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self->timeline_panel);
  gboolean several_nodes = has_several_nodes (self);

  while (self->n_tracks < self->views->len
         && vg_player_view_get_playback (g_ptr_array_index (self->views, self->n_tracks)) != NULL)
    {
      guint i = self->n_tracks++;
      VgCamera *camera = camera_of (self, i);
      g_autoptr(VgRecordingTrack) track = NULL;

      if (camera == NULL)
        continue;
      track = vg_recording_track_new (vg_connection_get_api_client (connection_of (self, i)), camera,
                                      stream_for (self, i));
      if (several_nodes)
        {
          g_autofree char *label = camera_label (self, i);

          vg_recording_track_set_label (track, label);
        }
      vg_timeline_add_track (timeline, track);
    }
  if (!self->tracks_placed && vg_timeline_get_n_tracks (timeline) > 0)
    {
      gint64 position = vg_playback_clock_get_position (self->clock);

      self->tracks_placed = TRUE;
      vg_timeline_set_active_track (timeline, 0);
      vg_timeline_set_range (timeline, position - 15 * 60 * G_USEC_PER_SEC, position + 15 * 60 * G_USEC_PER_SEC);
      vg_timeline_set_cursor (timeline, position);
    }
}

static void
clock_moved_cb (VgPlayerWindow *self)
{
  vg_timeline_set_cursor (vg_timeline_panel_get_timeline (self->timeline_panel),
                          vg_playback_clock_get_position (self->clock));
}

/* The operator drags the timeline's cursor or answers the dichotomous search. */
static void
seek_requested_cb (VgPlayerWindow *self, gint64 time_us, gboolean final)
{
  vg_playback_clock_seek (self->clock, time_us);
}

/* Home/End: the first or last recorded instant of the shown cameras over the whole
 * recording, asked to the node for every row of the timeline. */
typedef struct
{
  VgPlayerWindow *self;      /* weak */
  gboolean        end;
  guint           pending;
  gboolean        found;
  gint64          time;
} EdgeSearch;

static void
edge_search_free (EdgeSearch *search)
{
  g_clear_weak_pointer (&search->self);
  g_free (search);
}

static void
edge_found_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EdgeSearch *search = user_data;
  g_autoptr(GError) error = NULL;
  gint64 first, last;

  if (vg_recording_track_find_extent_finish (VG_RECORDING_TRACK (source), result, &first, &last, &error))
    {
      gint64 time = search->end ? last : first;

      if (!search->found || (search->end ? time > search->time : time < search->time))
        search->time = time;
      search->found = TRUE;
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
           && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The recording's %s could not be found: %s", search->end ? "end" : "start", error->message);

  if (--search->pending > 0)
    return;
  if (search->self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (search->found)
        vg_playback_clock_seek (search->self->clock, search->time);
      else
        gtk_widget_error_bell (GTK_WIDGET (search->self));
    }
  edge_search_free (search);
}

static gboolean
go_to_edge_cb (VgPlayerWindow *self,
               gboolean        end)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self->timeline_panel);
  guint n = vg_timeline_get_n_tracks (timeline);
  EdgeSearch *search;

  if (n == 0)
    return FALSE;
  vg_playback_clock_set_playing (self->clock, FALSE);
  g_cancellable_cancel (self->edge_cancellable);
  g_clear_object (&self->edge_cancellable);
  self->edge_cancellable = g_cancellable_new ();

  search = g_new0 (EdgeSearch, 1);
  g_set_weak_pointer (&search->self, self);
  search->end = end;
  search->pending = n;
  for (guint i = 0; i < n; i++)
    vg_recording_track_find_extent_async (vg_timeline_get_track (timeline, i), self->edge_cancellable,
                                          edge_found_cb, search);
  return TRUE;
}

/* The timeline's rows again, after a view changed camera or stream. */
static void
rebuild_tracks (VgPlayerWindow *self)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self->timeline_panel);
  int active = vg_timeline_get_active_track (timeline) != NULL ? 0 : -1;

  for (guint i = 0; active >= 0 && i < vg_timeline_get_n_tracks (timeline); i++)
    if (vg_timeline_get_track (timeline, i) == vg_timeline_get_active_track (timeline))
      active = (int) i;
  vg_timeline_remove_all_tracks (timeline);
  self->n_tracks = 0;
  add_tracks (self);
  if (active >= 0 && (guint) active < vg_timeline_get_n_tracks (timeline))
    vg_timeline_set_active_track (timeline, active);
}

/* Another camera of the view's node, or another stream of its camera (PLAY-4), at
 * the same instant. */
static void
set_source_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (widget);
  guint i;
  gint64 camera_id;
  const char *stream;
  VgPlayback *playback;

  g_variant_get (parameter, "(ux&s)", &i, &camera_id, &stream);
  if (i >= self->views->len || connection_of (self, i) == NULL
      || vg_connection_lookup_camera (connection_of (self, i), camera_id) == NULL)
    return;
  g_array_index (self->camera_ids, gint64, i) = camera_id;
  g_free (g_ptr_array_index (self->view_streams, i));
  g_ptr_array_index (self->view_streams, i) = stream[0] != '\0' ? g_strdup (stream) : NULL;
  playback = vg_player_view_get_playback (g_ptr_array_index (self->views, i));
  if (playback != NULL)
    {
      vg_playback_set_source (playback, camera_id, stream_for (self, i));
      rebuild_tracks (self);
    }
  update_title (self);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (widget);

  vg_timeline_panel_export_selection (self->timeline_panel, GTK_WINDOW (self));
}

static void
protect_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (widget);

  vg_timeline_panel_protect_selection (self->timeline_panel, GTK_WINDOW (self));
}

static void
add_toolbar_buttons (VgPlayerWindow *self)
{
  GtkBox *toolbar = vg_timeline_panel_get_toolbar (self->timeline_panel);
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export…"));
  GtkWidget *protect = gtk_button_new_with_mnemonic (_("_Protect…"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "player.export");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (protect), "player.protect");
  gtk_widget_set_tooltip_text (export, _("Export the selection, or what the timeline shows"));
  gtk_widget_set_tooltip_text (protect, _("Protect the selection from deletion"));
  gtk_widget_set_focus_on_click (export, FALSE);
  gtk_widget_set_focus_on_click (protect, FALSE);
  gtk_box_append (toolbar, export);
  gtk_box_append (toolbar, protect);
}

/* One camera heard at a time (PLAY-4): the first to start; turning another's sound on
 * turns the others' off. */
static gboolean
another_heard (VgPlayerWindow *self,
               VgPlayback     *playback)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      VgPlayback *other = vg_player_view_get_playback (g_ptr_array_index (self->views, i));

      if (other != NULL && other != playback && !vg_playback_get_muted (other))
        return TRUE;
    }
  return FALSE;
}

static void
playback_muted_cb (VgPlayback     *playback,
                   GParamSpec     *pspec,
                   VgPlayerWindow *self)
{
  if (vg_playback_get_muted (playback))
    return;
  for (guint i = 0; i < self->views->len; i++)
    {
      VgPlayback *other = vg_player_view_get_playback (g_ptr_array_index (self->views, i));

      if (other != NULL && other != playback)
        vg_playback_set_muted (other, TRUE);
    }
}

/* Each view's engine starts once its node has accepted the credentials. */
static gboolean
start_playback (VgPlayerWindow *self,
                guint           i)
{
  VgPlayerView *view = g_ptr_array_index (self->views, i);
  VgConnection *connection = connection_of (self, i);
  g_autoptr(VgPlayback) playback = NULL;

  if (vg_player_view_get_playback (view) != NULL || connection == NULL
      || vg_connection_get_state (connection) != VG_CONNECTION_STATE_CONNECTED)
    return FALSE;
  playback = vg_playback_new (vg_connection_get_api_client (connection),
                              g_array_index (self->camera_ids, gint64, i), stream_for (self, i));
  vg_playback_set_clock (playback, self->clock);
  vg_playback_set_muted (playback, another_heard (self, playback));
  g_signal_connect_object (playback, "notify::muted", G_CALLBACK (playback_muted_cb), self, 0);
  vg_player_view_set_playback (view, playback);
  return TRUE;
}

static void
start_playbacks (VgPlayerWindow *self)
{
  gboolean first_start = self->n_tracks == 0;
  gboolean started = FALSE;

  if (self->views == NULL || self->connections == NULL)
    return;
  for (guint i = 0; i < self->views->len; i++)
    started |= start_playback (self, i);
  if (!started)
    return;
  add_tracks (self);
  update_title (self);
  if (first_start)
    gtk_widget_grab_focus (g_ptr_array_index (self->views, 0));
}

static void
add_views (VgPlayerWindow *self)
{
  guint n = self->camera_ids->len;
  guint columns = (guint) ceil (sqrt ((double) n));

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *view = vg_player_view_new ();

      gtk_grid_attach (self->grid, view, (int) (i % columns), (int) (i / columns), 1, 1);
      g_signal_connect_object (view, "go-to-edge", G_CALLBACK (go_to_edge_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->views, view);
    }
}

VgPlayerWindow *
vg_player_window_new (GtkApplication *application,
                      VgConnection   *connection,
                      const gint64   *camera_ids,
                      guint           n_cameras,
                      const char     *stream,
                      gint64          time_us,
                      gboolean        playing)
{
  g_autofree VgConnection **connections = NULL;

  g_return_val_if_fail (connection == NULL || VG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (camera_ids != NULL && n_cameras > 0, NULL);

  connections = g_new (VgConnection *, n_cameras);
  for (guint i = 0; i < n_cameras; i++)
    connections[i] = connection;
  return vg_player_window_new_for_nodes (application, connections, camera_ids, n_cameras, stream,
                                         time_us, playing);
}

static gboolean
node_seen_before (VgConnection *const *connections,
                  guint                i)
{
  for (guint j = 0; j < i; j++)
    if (connections[j] == connections[i])
      return TRUE;
  return FALSE;
}

VgPlayerWindow *
vg_player_window_new_for_nodes (GtkApplication      *application,
                                VgConnection *const *connections,
                                const gint64        *camera_ids,
                                guint                n_cameras,
                                const char          *stream,
                                gint64               time_us,
                                gboolean             playing)
{
  VgPlayerWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (connections != NULL, NULL);
  g_return_val_if_fail (camera_ids != NULL && n_cameras > 0, NULL);
  for (guint i = 0; i < n_cameras; i++)
    g_return_val_if_fail (connections[i] == NULL || VG_IS_CONNECTION (connections[i]), NULL);

  self = g_object_new (VG_TYPE_PLAYER_WINDOW, "application", application, NULL);
  for (guint i = 0; i < n_cameras; i++)
    {
      g_ptr_array_add (self->connections, connections[i] != NULL ? g_object_ref (connections[i]) : NULL);
      /* Once per node: a node's views start together when it connects. */
      if (connections[i] != NULL && !node_seen_before (connections, i))
        {
          g_signal_connect_object (connections[i], "notify::state", G_CALLBACK (start_playbacks), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (connections[i], "notify::node-name", G_CALLBACK (update_title), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  g_array_append_vals (self->camera_ids, camera_ids, n_cameras);
  g_ptr_array_set_size (self->view_streams, (int) n_cameras);
  self->stream = g_strdup (stream);
  vg_playback_clock_seek (self->clock, time_us);
  vg_playback_clock_set_playing (self->clock, playing);
  add_views (self);
  update_title (self);
  start_playbacks (self);
  return self;
}

VgConnection *
vg_player_window_get_view_connection (VgPlayerWindow *self,
                                      guint           i)
{
  g_return_val_if_fail (VG_IS_PLAYER_WINDOW (self), NULL);
  g_return_val_if_fail (i < self->connections->len, NULL);

  return connection_of (self, i);
}

VgPlaybackClock *
vg_player_window_get_clock (VgPlayerWindow *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_WINDOW (self), NULL);

  return self->clock;
}

guint
vg_player_window_get_n_views (VgPlayerWindow *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_WINDOW (self), 0);

  return self->views->len;
}

VgPlayerView *
vg_player_window_get_view (VgPlayerWindow *self,
                           guint           i)
{
  g_return_val_if_fail (VG_IS_PLAYER_WINDOW (self), NULL);
  g_return_val_if_fail (i < self->views->len, NULL);

  return g_ptr_array_index (self->views, i);
}

VgTimelinePanel *
vg_player_window_get_timeline_panel (VgPlayerWindow *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_WINDOW (self), NULL);

  return self->timeline_panel;
}

static void
clear_connection (gpointer connection)
{
  if (connection != NULL)
    g_object_unref (connection);
}

static void
vg_player_window_dispose (GObject *object)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (object);

  g_cancellable_cancel (self->edge_cancellable);
  g_clear_object (&self->edge_cancellable);
  if (self->clock != NULL)
    vg_playback_clock_set_playing (self->clock, FALSE);
  for (guint i = 0; self->views != NULL && i < self->views->len; i++)
    vg_player_view_set_playback (g_ptr_array_index (self->views, i), NULL);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->clock);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_PLAYER_WINDOW);
  G_OBJECT_CLASS (vg_player_window_parent_class)->dispose (object);
}

static void
vg_player_window_finalize (GObject *object)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (object);

  g_array_unref (self->camera_ids);
  g_ptr_array_unref (self->view_streams);
  g_free (self->stream);
  G_OBJECT_CLASS (vg_player_window_parent_class)->finalize (object);
}

/* The player's keys, from the timeline panel (the timeline takes the arrows and Page
 * Up/Down when it has the focus; the others are the first view's). */
static void
forward_to_view (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (widget);

  if (self->views != NULL && self->views->len > 0)
    gtk_widget_activate_action_variant (g_ptr_array_index (self->views, 0), action_name, parameter);
}

static void
forward_key (GtkShortcutController *controller,
             guint                  key,
             GdkModifierType        modifiers,
             const char            *action,
             GVariant              *target)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                            gtk_named_action_new (action));

  gtk_shortcut_set_arguments (shortcut, target);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
add_panel_keys (VgPlayerWindow *self)
{
  GtkShortcutController *controller = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  forward_key (controller, GDK_KEY_space, 0, "player.play-pause", NULL);
  forward_key (controller, GDK_KEY_j, 0, "player.shuttle", g_variant_new_int32 (-1));
  forward_key (controller, GDK_KEY_k, 0, "player.shuttle", g_variant_new_int32 (0));
  forward_key (controller, GDK_KEY_l, 0, "player.shuttle", g_variant_new_int32 (1));
  forward_key (controller, GDK_KEY_Home, 0, "player.edge", g_variant_new_boolean (FALSE));
  forward_key (controller, GDK_KEY_End, 0, "player.edge", g_variant_new_boolean (TRUE));
  forward_key (controller, GDK_KEY_s, GDK_CONTROL_MASK, "player.snapshot", NULL);
  gtk_widget_add_controller (GTK_WIDGET (self->timeline_panel), GTK_EVENT_CONTROLLER (controller));
}

static void
vg_player_window_class_init (VgPlayerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_player_window_dispose;
  object_class->finalize = vg_player_window_finalize;

  g_type_ensure (VG_TYPE_PLAYER_VIEW);
  g_type_ensure (VG_TYPE_TIMELINE_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-player-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VgPlayerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerWindow, timeline_panel);
  gtk_widget_class_install_action (widget_class, "player.export", NULL, export_cb);
  gtk_widget_class_install_action (widget_class, "player.set-source", "(uxs)", set_source_cb);
  gtk_widget_class_install_action (widget_class, "player.protect", NULL, protect_cb);
  gtk_widget_class_install_action (widget_class, "player.play-pause", NULL, forward_to_view);
  gtk_widget_class_install_action (widget_class, "player.shuttle", "i", forward_to_view);
  gtk_widget_class_install_action (widget_class, "player.edge", "b", forward_to_view);
  gtk_widget_class_install_action (widget_class, "player.snapshot", NULL, forward_to_view);
}

static void
vg_player_window_init (VgPlayerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->clock = vg_playback_clock_new ();
  self->views = g_ptr_array_new ();
  self->connections = g_ptr_array_new_with_free_func (clear_connection);
  self->view_streams = g_ptr_array_new_with_free_func (g_free);
  self->camera_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  add_toolbar_buttons (self);
  add_panel_keys (self);
  g_signal_connect_object (self->clock, "tick", G_CALLBACK (clock_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->clock, "changed", G_CALLBACK (clock_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vg_timeline_panel_get_timeline (self->timeline_panel), "seek-requested",
                           G_CALLBACK (seek_requested_cb), self, G_CONNECT_SWAPPED);
}
