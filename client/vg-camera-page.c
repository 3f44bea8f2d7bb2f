/* vg-camera-page.c: the main area for one camera: its live video (main stream), what it
 * records and its streams (CLI-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vg-camera-page.h"
#include "vg-video-view.h"

struct _VgCameraPage
{
  GtkWidget parent_instance;

  VgConnection *connection;
  VgCamera *camera;
  GSignalGroup *camera_signals;

  VgVideoView *video_view;
  GtkLabel *title_label;
  GtkLabel *description_label;
  GtkListBox *stream_list;
};

G_DEFINE_FINAL_TYPE (VgCameraPage, vg_camera_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAMERA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "Recording, Live view" */
static char *
describe_roles (VgStreamRoles roles)
{
  static const struct {
    VgStreamRoles role;
    const char *label;
  } role_labels[] = {
    { VG_STREAM_ROLE_RECORD, N_("Recording") },
    { VG_STREAM_ROLE_ALARM, N_("Alarm recording") },
    { VG_STREAM_ROLE_MOTION, N_("Motion detection") },
    { VG_STREAM_ROLE_LIVE, N_("Live view") },
    { VG_STREAM_ROLE_MOSAIC, N_("Mosaic") },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (role_labels); i++)
    {
      if (roles & role_labels[i].role)
        g_strv_builder_add (builder, _(role_labels[i].label));
    }

  labels = g_strv_builder_end (builder);
  if (labels[0] == NULL)
    return g_strdup (_("Unused"));

  /* Translators: the separator of a list of stream roles, as in “Recording, Live view” */
  return g_strjoinv (_(", "), labels);
}

static char *
describe_recording (VgCamera *camera)
{
  guint days = vg_camera_get_retention_days (camera);
  g_autofree char *kept = NULL;
  const char *mode;

  if (!vg_camera_get_enabled (camera))
    return g_strdup (_("This camera is disabled"));

  switch (vg_camera_get_recording_mode (camera))
    {
    case VG_RECORDING_MODE_CONTINUOUS:
      mode = _("Records continuously");
      break;
    case VG_RECORDING_MODE_ALARM:
      mode = _("Records on alarm");
      break;
    case VG_RECORDING_MODE_SCHEDULE:
      mode = _("Records on a schedule");
      break;
    case VG_RECORDING_MODE_OFF:
    default:
      return g_strdup (_("Does not record"));
    }

  kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recordings are kept %u day",
                                       "Recordings are kept %u days", days), days);
  /* Translators: “Records continuously. Recordings are kept 30 days.” */
  return g_strdup_printf (_("%s. %s."), mode, kept);
}

static void
vg_camera_page_update (VgCameraPage *self)
{
  g_autofree char *description = NULL;
  GtkWidget *child;
  GPtrArray *streams;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stream_list))) != NULL)
    gtk_list_box_remove (self->stream_list, child);

  if (self->camera == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->description_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->stream_list), FALSE);
      return;
    }

  description = describe_recording (self->camera);
  gtk_label_set_label (self->title_label, vg_camera_get_name (self->camera));
  gtk_label_set_label (self->description_label, description);

  /* The stream URLs may hold the camera's credentials: they are not shown. */
  streams = vg_camera_get_streams (self->camera);
  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (streams, i);
      g_autofree char *roles = describe_roles (vg_stream_get_roles (stream));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), vg_stream_get_name (stream));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), roles);
      gtk_list_box_append (self->stream_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stream_list), streams->len > 0);
}

/* Video only while the page is on screen: a hidden page costs no decoding. */
static void
vg_camera_page_update_video (VgCameraPage *self)
{
  gboolean shown = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->camera != NULL &&
                   self->connection != NULL;

  vg_video_view_set_source (self->video_view, shown ? self->connection : NULL,
                            shown ? self->camera : NULL);
}

static void
vg_camera_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vg_camera_page_parent_class)->map (widget);
  vg_camera_page_update_video (VG_CAMERA_PAGE (widget));
}

static void
vg_camera_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vg_camera_page_parent_class)->unmap (widget);
  vg_camera_page_update_video (VG_CAMERA_PAGE (widget));
}

GtkWidget *
vg_camera_page_new (void)
{
  return g_object_new (VG_TYPE_CAMERA_PAGE, NULL);
}

void
vg_camera_page_set_connection (VgCameraPage *self,
                               VgConnection *connection)
{
  g_return_if_fail (VG_IS_CAMERA_PAGE (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  vg_camera_page_update_video (self);
}

/**
 * vg_camera_page_get_video_view:
 *
 * Returns: (transfer none): the view of the camera's live video
 */
VgVideoView *
vg_camera_page_get_video_view (VgCameraPage *self)
{
  g_return_val_if_fail (VG_IS_CAMERA_PAGE (self), NULL);

  return self->video_view;
}

/**
 * vg_camera_page_get_camera:
 *
 * Returns: (transfer none) (nullable): the camera shown
 */
VgCamera *
vg_camera_page_get_camera (VgCameraPage *self)
{
  g_return_val_if_fail (VG_IS_CAMERA_PAGE (self), NULL);

  return self->camera;
}

void
vg_camera_page_set_camera (VgCameraPage *self,
                           VgCamera     *camera)
{
  g_return_if_fail (VG_IS_CAMERA_PAGE (self));
  g_return_if_fail (camera == NULL || VG_IS_CAMERA (camera));

  if (!g_set_object (&self->camera, camera))
    return;

  g_signal_group_set_target (self->camera_signals, camera);
  vg_camera_page_update (self);
  vg_camera_page_update_video (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

static void
vg_camera_page_dispose (GObject *object)
{
  VgCameraPage *self = VG_CAMERA_PAGE (object);
  GtkWidget *child;

  g_signal_group_set_target (self->camera_signals, NULL);
  g_clear_object (&self->camera);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_CAMERA_PAGE);
  /* dispose_template() only unparents the children bound to fields. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vg_camera_page_parent_class)->dispose (object);
}

static void
vg_camera_page_finalize (GObject *object)
{
  VgCameraPage *self = VG_CAMERA_PAGE (object);

  g_clear_object (&self->camera_signals);

  G_OBJECT_CLASS (vg_camera_page_parent_class)->finalize (object);
}

static void
vg_camera_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VgCameraPage *self = VG_CAMERA_PAGE (object);

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
vg_camera_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VgCameraPage *self = VG_CAMERA_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      vg_camera_page_set_camera (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_camera_page_class_init (VgCameraPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_camera_page_dispose;
  object_class->finalize = vg_camera_page_finalize;
  object_class->get_property = vg_camera_page_get_property;
  object_class->set_property = vg_camera_page_set_property;
  widget_class->map = vg_camera_page_map;
  widget_class->unmap = vg_camera_page_unmap;

  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL, VG_TYPE_CAMERA,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-camera-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VgCameraPage, video_view);
  gtk_widget_class_bind_template_child (widget_class, VgCameraPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, VgCameraPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, VgCameraPage, stream_list);
  gtk_widget_class_set_css_name (widget_class, "vgcamerapage");
}

static void
vg_camera_page_init (VgCameraPage *self)
{
  g_type_ensure (VG_TYPE_VIDEO_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The single view is large: the main stream, whatever the size (CLI-3). */
  vg_video_view_set_main_stream_only (self->video_view, TRUE);

  self->camera_signals = g_signal_group_new (VG_TYPE_CAMERA);
  g_signal_group_connect_object (self->camera_signals, "notify",
                                 G_CALLBACK (vg_camera_page_update), self, G_CONNECT_SWAPPED);
}
