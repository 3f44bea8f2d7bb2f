/* vg-recordings-window.c: the recordings of the nodes' cameras on a timeline, with export
 * and protection of the selection (PLAY-1, PLAY-2, PLAY-6, PLAY-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-recordings-window.h"

struct _VgRecordingsWindow
{
  AdwWindow parent_instance;

  GListModel *connections;   /* VgConnection: the nodes */
  VgTimelinePanel *panel;
};

G_DEFINE_FINAL_TYPE (VgRecordingsWindow, vg_recordings_window, ADW_TYPE_WINDOW)

const char *
vg_recordings_window_choose_stream (VgCamera *camera)
{
  GPtrArray *streams = vg_camera_get_streams (camera);

  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (streams, i);

      if (vg_stream_get_roles (stream) & (VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_ALARM))
        return vg_stream_get_name (stream);
    }
  return NULL;
}

/* The selection, or the visible range up to now. */
static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgRecordingsWindow *self = VG_RECORDINGS_WINDOW (widget);

  vg_timeline_panel_export_selection (self->panel, GTK_WINDOW (self));
}

static void
protect_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VgRecordingsWindow *self = VG_RECORDINGS_WINDOW (widget);

  vg_timeline_panel_protect_selection (self->panel, GTK_WINDOW (self));
}

static guint
count_connected (GListModel *connections)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(VgConnection) connection = g_list_model_get_item (connections, i);

      n += vg_connection_get_state (connection) == VG_CONNECTION_STATE_CONNECTED;
    }
  return n;
}

/* A row per camera of the node, named with the node when there are several. */
static void
vg_recordings_window_add_node (VgRecordingsWindow *self,
                               VgConnection       *connection,
                               VgCamera           *active,
                               gboolean            several_nodes)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self->panel);
  GListModel *cameras = vg_connection_get_cameras (connection);
  VgApiClient *client = vg_connection_get_api_client (connection);
  const char *node = vg_connection_get_node_name (connection);

  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(VgCamera) camera = g_list_model_get_item (cameras, i);
      g_autoptr(VgRecordingTrack) track =
        vg_recording_track_new (client, camera, vg_recordings_window_choose_stream (camera));

      if (several_nodes)
        {
          /* Translators: a camera, then the node it is on */
          g_autofree char *label = g_strdup_printf (_("%s on %s"), vg_camera_get_name (camera),
                                                    node != NULL ? node : vg_connection_get_base_url (connection));

          vg_recording_track_set_label (track, label);
        }
      vg_timeline_add_track (timeline, track);
      if (camera == active)
        vg_timeline_set_active_track (timeline, (int) vg_timeline_get_n_tracks (timeline) - 1);
    }
}

/* The connected nodes' cameras, node after node. */
static void
vg_recordings_window_add_tracks (VgRecordingsWindow *self,
                                 VgCamera           *active)
{
  gboolean several_nodes = count_connected (self->connections) > 1;

  for (guint i = 0; i < g_list_model_get_n_items (self->connections); i++)
    {
      g_autoptr(VgConnection) connection = g_list_model_get_item (self->connections, i);

      if (vg_connection_get_state (connection) == VG_CONNECTION_STATE_CONNECTED)
        vg_recordings_window_add_node (self, connection, active, several_nodes);
    }
}

VgTimelinePanel *
vg_recordings_window_get_panel (VgRecordingsWindow *self)
{
  g_return_val_if_fail (VG_IS_RECORDINGS_WINDOW (self), NULL);

  return self->panel;
}

VgRecordingsWindow *
vg_recordings_window_new (GtkWindow  *parent,
                          GListModel *connections,
                          VgCamera   *camera)
{
  VgRecordingsWindow *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);
  g_return_val_if_fail (camera == NULL || VG_IS_CAMERA (camera), NULL);

  self = g_object_new (VG_TYPE_RECORDINGS_WINDOW, "transient-for", parent, NULL);
  self->connections = g_object_ref (connections);
  vg_recordings_window_add_tracks (self, camera);
  return self;
}

static void
vg_recordings_window_dispose (GObject *object)
{
  VgRecordingsWindow *self = VG_RECORDINGS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_RECORDINGS_WINDOW);
  g_clear_object (&self->connections);

  G_OBJECT_CLASS (vg_recordings_window_parent_class)->dispose (object);
}

static void
vg_recordings_window_class_init (VgRecordingsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_recordings_window_dispose;

  g_type_ensure (VG_TYPE_TIMELINE_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-recordings-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VgRecordingsWindow, panel);
  gtk_widget_class_install_action (widget_class, "recordings.export", NULL, export_cb);
  gtk_widget_class_install_action (widget_class, "recordings.protect", NULL, protect_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_recordings_window_init (VgRecordingsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
