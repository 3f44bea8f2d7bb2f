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

  VgConnection    *connection;
  VgPlaybackClock *clock;
  GPtrArray       *views;        /* VgPlayerView */
  GArray          *camera_ids;
  char            *stream;
  gboolean         started;
  GCancellable    *edge_cancellable;   /* Home/End's question to the node */
};

G_DEFINE_FINAL_TYPE (VgPlayerWindow, vg_player_window, ADW_TYPE_WINDOW)

static void
update_title (VgPlayerWindow *self)
{
  g_autoptr(GString) title = g_string_new (NULL);

  for (guint i = 0; i < self->camera_ids->len; i++)
    {
      gint64 id = g_array_index (self->camera_ids, gint64, i);
      VgCamera *camera = self->connection != NULL ? vg_connection_lookup_camera (self->connection, id) : NULL;

      if (i > 0)
        g_string_append (title, ", ");
      if (camera != NULL)
        g_string_append (title, vg_camera_get_name (camera));
      else
        g_string_append_printf (title, _("Camera %" G_GINT64_FORMAT), id);
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
            gint64          camera_id)
{
  VgCamera *camera;
  const char *name = NULL;

  if (self->stream != NULL)
    return self->stream;
  camera = vg_connection_lookup_camera (self->connection, camera_id);
  if (camera == NULL)
    return NULL;
  if (self->camera_ids->len > 1)
    name = recorded_stream_with (camera, VG_STREAM_ROLE_MOSAIC);
  return name != NULL ? name : recorded_stream_with (camera, VG_STREAM_ROLE_RECORD);
}

/* The timeline (PLAY-1, PLAY-2): a row per camera, half an hour around the position,
 * its cursor following the clock. */
static void
add_tracks (VgPlayerWindow *self, VgApiClient *client)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self->timeline_panel);
  gint64 position = vg_playback_clock_get_position (self->clock);

  for (guint i = 0; i < self->camera_ids->len; i++)
    {
      gint64 id = g_array_index (self->camera_ids, gint64, i);
      VgCamera *camera = vg_connection_lookup_camera (self->connection, id);
      g_autoptr(VgRecordingTrack) track = NULL;

      if (camera == NULL)
        continue;
      track = vg_recording_track_new (client, camera, stream_for (self, id));
      vg_timeline_add_track (timeline, track);
    }
  vg_timeline_set_active_track (timeline, 0);
  vg_timeline_set_range (timeline, position - 15 * 60 * G_USEC_PER_SEC, position + 15 * 60 * G_USEC_PER_SEC);
  vg_timeline_set_cursor (timeline, position);
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

/* The engines start once the node has accepted the credentials. */
static void
start_playbacks (VgPlayerWindow *self)
{
  VgApiClient *client;

  if (self->started || self->connection == NULL
      || vg_connection_get_state (self->connection) != VG_CONNECTION_STATE_CONNECTED)
    return;
  self->started = TRUE;
  client = vg_connection_get_api_client (self->connection);
  for (guint i = 0; i < self->views->len; i++)
    {
      gint64 id = g_array_index (self->camera_ids, gint64, i);
      g_autoptr(VgPlayback) playback = vg_playback_new (client, id, stream_for (self, id));

      vg_playback_set_clock (playback, self->clock);
      vg_player_view_set_playback (g_ptr_array_index (self->views, i), playback);
    }
  add_tracks (self, client);
  update_title (self);
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
  VgPlayerWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (connection == NULL || VG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (camera_ids != NULL && n_cameras > 0, NULL);

  self = g_object_new (VG_TYPE_PLAYER_WINDOW, "application", application, NULL);
  g_set_object (&self->connection, connection);
  g_array_append_vals (self->camera_ids, camera_ids, n_cameras);
  self->stream = g_strdup (stream);
  vg_playback_clock_seek (self->clock, time_us);
  vg_playback_clock_set_playing (self->clock, playing);
  add_views (self);
  update_title (self);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify::state", G_CALLBACK (start_playbacks), self,
                             G_CONNECT_SWAPPED);
  start_playbacks (self);
  return self;
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
  g_clear_object (&self->connection);
  g_clear_object (&self->clock);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_PLAYER_WINDOW);
  G_OBJECT_CLASS (vg_player_window_parent_class)->dispose (object);
}

static void
vg_player_window_finalize (GObject *object)
{
  VgPlayerWindow *self = VG_PLAYER_WINDOW (object);

  g_array_unref (self->camera_ids);
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
  self->camera_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  add_toolbar_buttons (self);
  add_panel_keys (self);
  g_signal_connect_object (self->clock, "tick", G_CALLBACK (clock_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->clock, "changed", G_CALLBACK (clock_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vg_timeline_panel_get_timeline (self->timeline_panel), "seek-requested",
                           G_CALLBACK (seek_requested_cb), self, G_CONNECT_SWAPPED);
}
