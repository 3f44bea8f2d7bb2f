/* vg-camera-row.c: a camera in the sidebar list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-camera-row.h"

struct _VgCameraRow
{
  GtkWidget parent_instance;

  VgCamera *camera;
  GSignalGroup *camera_signals;
  VgConnection *connection;       /* nullable: no live state shown */
  GSignalGroup *connection_signals;

  GtkImage *icon;
  GtkLabel *name_label;
  GtkLabel *detail_label;
};

G_DEFINE_FINAL_TYPE (VgCameraRow, vg_camera_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAMERA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
recording_summary (VgCamera *camera)
{
  if (!vg_camera_get_enabled (camera))
    return _("Disabled");

  switch (vg_camera_get_recording_mode (camera))
    {
    case VG_RECORDING_MODE_CONTINUOUS:
      return _("Continuous recording");
    case VG_RECORDING_MODE_ALARM:
      return _("Recording on alarm");
    case VG_RECORDING_MODE_SCHEDULE:
      return _("Scheduled recording");
    case VG_RECORDING_MODE_OFF:
    default:
      return _("Not recording");
    }
}

/* The icon: disabled, or what the node says of the streams. */
static void
vg_camera_row_update_icon (VgCameraRow *self)
{
  VgCameraLiveState state = VG_CAMERA_LIVE_STATE_UNKNOWN;
  const char *error = NULL;
  const char *icon = "camera-video-symbolic";
  const char *tooltip = NULL;
  const char *css = NULL;

  /* While the node is away, what it said last is not news. */
  if (self->connection != NULL &&
      vg_connection_get_state (self->connection) == VG_CONNECTION_STATE_CONNECTED)
    state = vg_connection_get_camera_live_state (self->connection, vg_camera_get_id (self->camera),
                                                 &error);

  if (!vg_camera_get_enabled (self->camera))
    {
      icon = "camera-disabled-symbolic";
      tooltip = _("Disabled");
    }
  else
    switch (state)
      {
      case VG_CAMERA_LIVE_STATE_STREAMING:
        tooltip = _("Receiving video");
        css = "success";
        break;
      case VG_CAMERA_LIVE_STATE_CONNECTING:
        tooltip = _("Connecting to the camera");
        css = "dim-label";
        break;
      case VG_CAMERA_LIVE_STATE_LOST:
        icon = "dialog-warning-symbolic";
        tooltip = error != NULL ? error : _("No video from the camera");
        css = "warning";
        break;
      case VG_CAMERA_LIVE_STATE_STOPPED:
        tooltip = _("Not connected: nobody records or watches it");
        css = "dim-label";
        break;
      case VG_CAMERA_LIVE_STATE_UNKNOWN:
      default:
        break;
      }

  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->icon), tooltip);
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "dim-label");
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), css);
}

static void
vg_camera_row_update (VgCameraRow *self)
{
  gboolean enabled;

  if (self->camera == NULL)
    {
      gtk_label_set_label (self->name_label, NULL);
      gtk_label_set_label (self->detail_label, NULL);
      return;
    }

  enabled = vg_camera_get_enabled (self->camera);
  gtk_label_set_label (self->name_label, vg_camera_get_name (self->camera));
  gtk_label_set_label (self->detail_label, recording_summary (self->camera));
  vg_camera_row_update_icon (self);
  if (enabled)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
}

GtkWidget *
vg_camera_row_new (void)
{
  return g_object_new (VG_TYPE_CAMERA_ROW, NULL);
}

/**
 * vg_camera_row_get_camera:
 *
 * Returns: (transfer none) (nullable): the camera shown
 */
VgCamera *
vg_camera_row_get_camera (VgCameraRow *self)
{
  g_return_val_if_fail (VG_IS_CAMERA_ROW (self), NULL);

  return self->camera;
}

void
vg_camera_row_set_camera (VgCameraRow *self,
                          VgCamera    *camera)
{
  g_return_if_fail (VG_IS_CAMERA_ROW (self));
  g_return_if_fail (camera == NULL || VG_IS_CAMERA (camera));

  if (!g_set_object (&self->camera, camera))
    return;

  g_signal_group_set_target (self->camera_signals, camera);
  vg_camera_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

static void
camera_state_changed_cb (VgConnection *connection,
                         gint64        camera_id,
                         VgCameraRow  *self)
{
  if (self->camera != NULL && vg_camera_get_id (self->camera) == camera_id)
    vg_camera_row_update_icon (self);
}

static void
connection_state_cb (VgCameraRow *self)
{
  if (self->camera != NULL)
    vg_camera_row_update_icon (self);
}

void
vg_camera_row_set_connection (VgCameraRow  *self,
                              VgConnection *connection)
{
  g_return_if_fail (VG_IS_CAMERA_ROW (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_signal_group_set_target (self->connection_signals, connection);
  if (self->camera != NULL)
    vg_camera_row_update_icon (self);
}

static void
vg_camera_row_dispose (GObject *object)
{
  VgCameraRow *self = VG_CAMERA_ROW (object);
  GtkWidget *child;

  g_signal_group_set_target (self->connection_signals, NULL);
  g_clear_object (&self->connection);
  g_signal_group_set_target (self->camera_signals, NULL);
  g_clear_object (&self->camera);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_CAMERA_ROW);
  /* dispose_template() only unparents the children bound to fields. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vg_camera_row_parent_class)->dispose (object);
}

static void
vg_camera_row_finalize (GObject *object)
{
  VgCameraRow *self = VG_CAMERA_ROW (object);

  g_clear_object (&self->camera_signals);
  g_clear_object (&self->connection_signals);

  G_OBJECT_CLASS (vg_camera_row_parent_class)->finalize (object);
}

static void
vg_camera_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VgCameraRow *self = VG_CAMERA_ROW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_camera_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VgCameraRow *self = VG_CAMERA_ROW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      vg_camera_row_set_camera (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_camera_row_class_init (VgCameraRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_camera_row_dispose;
  object_class->finalize = vg_camera_row_finalize;
  object_class->get_property = vg_camera_row_get_property;
  object_class->set_property = vg_camera_row_set_property;

  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL, VG_TYPE_CAMERA,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-camera-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VgCameraRow, icon);
  gtk_widget_class_bind_template_child (widget_class, VgCameraRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, VgCameraRow, detail_label);
  gtk_widget_class_set_css_name (widget_class, "vgcamerarow");
}

/* A camera dragged onto a mosaic cell (CLI-2). */
static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 VgCameraRow   *self)
{
  if (self->camera == NULL)
    return NULL;

  return gdk_content_provider_new_typed (VG_TYPE_CAMERA, self->camera);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               VgCameraRow   *self)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
vg_camera_row_init (VgCameraRow *self)
{
  GtkDragSource *drag_source = gtk_drag_source_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (drag_source, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag_source));

  self->camera_signals = g_signal_group_new (VG_TYPE_CAMERA);
  g_signal_group_connect_object (self->camera_signals, "notify",
                                 G_CALLBACK (vg_camera_row_update), self, G_CONNECT_SWAPPED);
  self->connection_signals = g_signal_group_new (VG_TYPE_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "camera-state-changed",
                                 G_CALLBACK (camera_state_changed_cb), self, 0);
  g_signal_group_connect_object (self->connection_signals, "notify::state",
                                 G_CALLBACK (connection_state_cb), self, G_CONNECT_SWAPPED);
}
