/* vg-live-window.c: one camera's live video in a window of its own (CLI-10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-fullscreen.h"
#include "vg-live-window.h"

#include <glib/gi18n.h>

struct _VgLiveWindow
{
  AdwWindow    parent_instance;

  VgVideoView *video_view;
};

G_DEFINE_FINAL_TYPE (VgLiveWindow, vg_live_window, ADW_TYPE_WINDOW)

static void
leave_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_close (window);
}

static void
vg_live_window_dispose (GObject *object)
{
  VgLiveWindow *self = VG_LIVE_WINDOW (object);

  if (self->video_view != NULL)
    vg_video_view_set_source (self->video_view, NULL, NULL);
  self->video_view = NULL;
  G_OBJECT_CLASS (vg_live_window_parent_class)->dispose (object);
}

static void
vg_live_window_class_init (VgLiveWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_live_window_dispose;
  gtk_widget_class_install_action (widget_class, "live.fullscreen", NULL, vg_fullscreen_toggle_action);
  gtk_widget_class_install_action (widget_class, "live.leave", NULL, leave_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "live.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "live.leave", NULL);
}

static void
vg_live_window_init (VgLiveWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *view = vg_video_view_new ();

  gtk_widget_set_vexpand (view, TRUE);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 960, 600);
  self->video_view = VG_VIDEO_VIEW (view);
  /* A window of its own is large: the main stream from the start. */
  vg_video_view_set_main_stream_only (self->video_view, TRUE);
}

VgLiveWindow *
vg_live_window_new (GtkApplication *application,
                    VgConnection   *connection,
                    VgCamera       *camera)
{
  VgLiveWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VG_IS_CAMERA (camera), NULL);

  self = g_object_new (VG_TYPE_LIVE_WINDOW, "application", application,
                       "title", vg_camera_get_name (camera), NULL);
  vg_video_view_set_source (self->video_view, connection, camera);
  return self;
}

VgVideoView *
vg_live_window_get_video_view (VgLiveWindow *self)
{
  g_return_val_if_fail (VG_IS_LIVE_WINDOW (self), NULL);

  return self->video_view;
}
