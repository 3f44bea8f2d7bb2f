/* vg-video-view.c: a camera's live video with its name, time and state (CLI-3, CLI-7, CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vg-forced-recordings.h"
#include "vg-stream-choice.h"
#include "vg-video-view.h"

/* A new size is looked at once it has settled, not at every step of a resize. */
#define STREAM_CHOICE_DELAY_MS 300
#define ZOOM_STEP 1.25

struct _VgVideoView
{
  GtkWidget parent_instance;

  VgConnection *connection;
  VgCamera *camera;
  GSignalGroup *camera_signals;
  GSignalGroup *connection_signals;
  GSignalGroup *forced_signals;   /* the connection's VgForcedRecordings */
  char *direct_uri;

  VgVideoPaintable *paintable;
  VgLivePipeline *pipeline;   /* its frames are shown */
  VgLivePipeline *next;       /* another stream, starting; replaces pipeline at its first frame */
  guint64 retired_received;   /* frames of pipelines gone */
  guint64 retired_shown;

  gboolean main_only;         /* the main stream whatever the size */
  int last_width;
  int last_height;
  guint choice_id;
  guint clock_id;
  guint tick_id;
  double pointer_x;
  double pointer_y;
  double drag_x;
  double drag_y;

  GtkPicture *picture;
  GtkWidget *header;
  GtkLabel *name_label;
  GtkWidget *recording_label;
  GtkLabel *forced_label;
  GtkLabel *time_label;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (VgVideoView, vg_video_view, GTK_TYPE_WIDGET)

/* Overlay */

static const char *
status_text (VgVideoView *self)
{
  if (self->camera == NULL && self->direct_uri == NULL)
    return _("Drop a camera here");

  if (self->pipeline == NULL)
    return self->next != NULL ? _("Connecting…") : _("No video stream");

  switch (vg_live_pipeline_get_state (self->pipeline))
    {
    case VG_LIVE_STATE_PLAYING:
      return NULL;
    case VG_LIVE_STATE_NO_SIGNAL:
      return _("No signal");
    case VG_LIVE_STATE_DENIED:
      return _("Access denied");
    case VG_LIVE_STATE_ERROR:
      return _("This video cannot be shown");
    case VG_LIVE_STATE_IDLE:
    case VG_LIVE_STATE_CONNECTING:
    default:
      return _("Connecting…");
    }
}

static void
vg_video_view_update_status (VgVideoView *self)
{
  const char *text = status_text (self);

  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* REC-6: recorded on demand, until when (local time); hidden once the end passed. */
static void
vg_video_view_update_forced (VgVideoView *self)
{
  gint64 until = self->camera != NULL && self->connection != NULL
                 ? vg_forced_recordings_get_until (vg_forced_recordings_get (self->connection),
                                                   vg_camera_get_id (self->camera))
                 : 0;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->forced_label), until > 0);
  if (until == 0)
    return;

  utc = vg_time_new_from_unix_usec (until);
  local = g_date_time_to_local (utc);
  time = g_date_time_format (local, "%H:%M");
  /* Translators: the indicator of a camera recorded on demand; %s is a time (14:05) */
  text = g_strdup_printf (_("● Manual until %s"), time);
  /* Translators: %s is a time (14:05) */
  tooltip = g_strdup_printf (_("Manual recording until %s"), time);
  if (g_strcmp0 (gtk_label_get_label (self->forced_label), text) != 0)
    gtk_label_set_label (self->forced_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->forced_label), tooltip);
}

static void
forced_changed_cb (VgVideoView *self,
                   gint64       camera_id)
{
  if (self->camera != NULL && vg_camera_get_id (self->camera) == camera_id)
    vg_video_view_update_forced (self);
}

static gboolean
clock_cb (gpointer data)
{
  VgVideoView *self = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = g_date_time_format (now, "%X");

  gtk_label_set_label (self->time_label, text);
  if (gtk_widget_get_visible (GTK_WIDGET (self->forced_label)))
    vg_video_view_update_forced (self);
  return G_SOURCE_CONTINUE;
}

static void
vg_video_view_update_camera (VgVideoView *self)
{
  gboolean recording = self->camera != NULL && vg_camera_get_enabled (self->camera) &&
                       vg_camera_get_recording_mode (self->camera) == VG_RECORDING_MODE_CONTINUOUS;

  gtk_label_set_label (self->name_label, self->camera != NULL ? vg_camera_get_name (self->camera) : NULL);
  gtk_widget_set_visible (self->recording_label, recording);
  gtk_widget_set_visible (self->header, self->camera != NULL);
  g_signal_group_set_target (self->forced_signals,
                             self->connection != NULL ? vg_forced_recordings_get (self->connection) : NULL);
  vg_video_view_update_forced (self);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->camera != NULL)
    {
      clock_cb (self);
      self->clock_id = g_timeout_add_seconds (1, clock_cb, self);
    }
}

/* Pipelines */

static void
vg_video_view_retire (VgVideoView     *self,
                      VgLivePipeline **pipeline)
{
  if (*pipeline == NULL)
    return;

  self->retired_received += vg_live_pipeline_get_frames_received (*pipeline);
  self->retired_shown += vg_live_pipeline_get_frames_shown (*pipeline);
  g_signal_handlers_disconnect_by_data (*pipeline, self);
  vg_live_pipeline_stop (*pipeline);
  g_clear_object (pipeline);
}

/* Frames at the display's pace: each tick of the frame clock takes the newest decoded
 * frame of each pipeline, so that every cell of a window changes in the same paint and
 * no idle is queued per frame. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  VgVideoView *self = VG_VIDEO_VIEW (widget);

  if (self->next != NULL)
    vg_live_pipeline_update (self->next);
  if (self->pipeline != NULL)
    vg_live_pipeline_update (self->pipeline);
  return G_SOURCE_CONTINUE;
}

static void
vg_video_view_update_ticking (VgVideoView *self)
{
  gboolean wanted = self->pipeline != NULL || self->next != NULL;

  if (wanted && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  else if (!wanted && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

/* Frames are scaled to the pixels they cover (the zoom included) before they reach
 * the main thread. */
static void
vg_video_view_apply_max_size (VgVideoView    *self,
                              VgLivePipeline *pipeline)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double zoom = vg_video_paintable_get_zoom (self->paintable);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (pipeline == NULL)
    return;
  if (width <= 0 || height <= 0)
    vg_live_pipeline_set_max_size (pipeline, 0, 0);
  else
    vg_live_pipeline_set_max_size (pipeline, (int) ceil (width * scale * zoom),
                                   (int) ceil (height * scale * zoom));
}

static void
vg_video_view_set_texture_from (VgVideoView    *self,
                                VgLivePipeline *pipeline)
{
  vg_video_paintable_set_texture (self->paintable, vg_live_pipeline_get_texture (pipeline));
}

static void
pipeline_frame_cb (VgLivePipeline *pipeline,
                   VgVideoView    *self)
{
  if (pipeline == self->next)
    {
      /* The new stream has its first frame: it takes over, without a black frame. */
      vg_video_view_retire (self, &self->pipeline);
      self->pipeline = g_steal_pointer (&self->next);
      vg_video_view_update_ticking (self);
      vg_video_view_update_status (self);
    }

  if (pipeline == self->pipeline)
    vg_video_view_set_texture_from (self, pipeline);
}

static void
pipeline_state_cb (VgLivePipeline *pipeline,
                   GParamSpec     *pspec,
                   VgVideoView    *self)
{
  vg_video_view_update_status (self);
}

static VgLivePipeline *
vg_video_view_new_pipeline (VgVideoView *self,
                            const char  *uri)
{
  VgLivePipeline *pipeline = vg_live_pipeline_new (uri);

  if (self->direct_uri == NULL && self->connection != NULL)
    {
      vg_live_pipeline_set_credentials (pipeline, vg_connection_get_user (self->connection),
                                        vg_connection_get_live_password (self->connection));
      vg_live_pipeline_set_tls_fingerprint (pipeline,
                                            vg_connection_get_tls_fingerprint (self->connection));
    }

  g_signal_connect (pipeline, "frame", G_CALLBACK (pipeline_frame_cb), self);
  g_signal_connect (pipeline, "notify::state", G_CALLBACK (pipeline_state_cb), self);
  vg_live_pipeline_set_paced (pipeline, TRUE);
  vg_video_view_apply_max_size (self, pipeline);
  vg_live_pipeline_start (pipeline);
  return pipeline;
}

/* The URL the view should show now, NULL for none. */
static char *
vg_video_view_choose_uri (VgVideoView *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  gboolean want_main;
  VgStream *stream;

  if (self->direct_uri != NULL)
    return g_strdup (self->direct_uri);

  if (self->connection == NULL || self->camera == NULL)
    return NULL;

  want_main = self->main_only || vg_stream_choice_wants_main (gtk_widget_get_width (GTK_WIDGET (self)) * scale,
                                           gtk_widget_get_height (GTK_WIDGET (self)) * scale,
                                           vg_video_paintable_get_zoom (self->paintable));
  stream = vg_stream_choice_pick (vg_camera_get_streams (self->camera), want_main);
  if (stream == NULL)
    return NULL;

  return vg_connection_dup_live_url (self->connection, vg_camera_get_id (self->camera),
                                     vg_stream_get_name (stream),
                                     vg_connection_get_live_tls (self->connection));
}

/* Starts what should be shown; the current stream stays until the new one shows. */
static void
vg_video_view_update_stream (VgVideoView *self)
{
  g_autofree char *uri = vg_video_view_choose_uri (self);

  g_clear_handle_id (&self->choice_id, g_source_remove);

  if (uri == NULL)
    {
      vg_video_view_retire (self, &self->next);
      vg_video_view_retire (self, &self->pipeline);
      vg_video_paintable_set_texture (self->paintable, NULL);
    }
  else if (self->next != NULL && g_str_equal (vg_live_pipeline_get_uri (self->next), uri))
    ;  /* already starting */
  else if (self->pipeline != NULL && g_str_equal (vg_live_pipeline_get_uri (self->pipeline), uri))
    vg_video_view_retire (self, &self->next);   /* back to the one shown */
  else if (self->pipeline != NULL && vg_video_paintable_get_texture (self->paintable) != NULL)
    {
      vg_video_view_retire (self, &self->next);
      self->next = vg_video_view_new_pipeline (self, uri);
    }
  else
    {
      vg_video_view_retire (self, &self->next);
      vg_video_view_retire (self, &self->pipeline);
      self->pipeline = vg_video_view_new_pipeline (self, uri);
    }

  vg_video_view_apply_max_size (self, self->pipeline);
  vg_video_view_apply_max_size (self, self->next);
  vg_video_view_update_ticking (self);
  vg_video_view_update_status (self);
}

static gboolean
choice_cb (gpointer data)
{
  VgVideoView *self = data;

  self->choice_id = 0;
  vg_video_view_update_stream (self);
  return G_SOURCE_REMOVE;
}

static void
vg_video_view_queue_stream_choice (VgVideoView *self)
{
  if (self->choice_id == 0)
    self->choice_id = g_timeout_add (STREAM_CHOICE_DELAY_MS, choice_cb, self);
}

/* Camera or connection changes (streams, relay port): choose again, at once. */
static void
source_changed_cb (VgVideoView *self)
{
  vg_video_view_update_camera (self);
  vg_video_view_update_stream (self);
}

/* Zoom and pan (CLI-7) */

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           VgVideoView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           VgVideoView              *self)
{
  double factor;

  if (dy == 0)
    return FALSE;

  factor = dy < 0 ? ZOOM_STEP : 1.0 / ZOOM_STEP;
  vg_video_paintable_zoom_at (self->paintable, factor, self->pointer_x, self->pointer_y,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)));
  vg_video_view_queue_stream_choice (self);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               VgVideoView    *self)
{
  self->drag_x = 0;
  self->drag_y = 0;
  if (vg_video_paintable_get_zoom (self->paintable) <= 1.0)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                VgVideoView    *self)
{
  vg_video_paintable_pan (self->paintable, offset_x - self->drag_x, offset_y - self->drag_y,
                          gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)));
  self->drag_x = offset_x;
  self->drag_y = offset_y;
}

/* Public */

GtkWidget *
vg_video_view_new (void)
{
  return g_object_new (VG_TYPE_VIDEO_VIEW, NULL);
}

void
vg_video_view_set_source (VgVideoView  *self,
                          VgConnection *connection,
                          VgCamera     *camera)
{
  g_return_if_fail (VG_IS_VIDEO_VIEW (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));
  g_return_if_fail (camera == NULL || VG_IS_CAMERA (camera));

  if (self->connection == connection && self->camera == camera && self->direct_uri == NULL)
    return;

  g_clear_pointer (&self->direct_uri, g_free);
  g_set_object (&self->connection, connection);
  g_signal_group_set_target (self->connection_signals, connection);
  if (self->camera != camera)
    {
      g_set_object (&self->camera, camera);
      g_signal_group_set_target (self->camera_signals, camera);
      vg_video_paintable_reset_zoom (self->paintable);
      /* Another camera: its picture, not the last one's, as soon as there is one. */
      vg_video_view_retire (self, &self->next);
      vg_video_view_retire (self, &self->pipeline);
      vg_video_paintable_set_texture (self->paintable, NULL);
    }

  source_changed_cb (self);
}

VgCamera *
vg_video_view_get_camera (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return self->camera;
}

/**
 * vg_video_view_get_connection:
 *
 * Returns: (transfer none) (nullable): the node of the camera shown
 */
VgConnection *
vg_video_view_get_connection (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return self->connection;
}

void
vg_video_view_set_uri (VgVideoView *self,
                       const char  *uri)
{
  g_return_if_fail (VG_IS_VIDEO_VIEW (self));

  vg_video_view_set_source (self, NULL, NULL);
  self->direct_uri = g_strdup (uri);
  vg_video_view_update_stream (self);
}

const char *
vg_video_view_get_live_uri (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  if (self->next != NULL)
    return vg_live_pipeline_get_uri (self->next);
  return self->pipeline != NULL ? vg_live_pipeline_get_uri (self->pipeline) : NULL;
}

void
vg_video_view_set_main_stream_only (VgVideoView *self,
                                    gboolean     main_only)
{
  g_return_if_fail (VG_IS_VIDEO_VIEW (self));

  if (self->main_only == !!main_only)
    return;

  self->main_only = !!main_only;
  vg_video_view_update_stream (self);
}

gboolean
vg_video_view_get_main_stream_only (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), FALSE);

  return self->main_only;
}

void
vg_video_view_set_fill (VgVideoView *self,
                        gboolean     fill)
{
  g_return_if_fail (VG_IS_VIDEO_VIEW (self));

  vg_video_paintable_set_fill (self->paintable, fill);
}

VgVideoPaintable *
vg_video_view_get_paintable (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return self->paintable;
}

VgLivePipeline *
vg_video_view_get_pipeline (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return self->pipeline;
}

VgLiveState
vg_video_view_get_state (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), VG_LIVE_STATE_IDLE);

  return self->pipeline != NULL ? vg_live_pipeline_get_state (self->pipeline)
                                : VG_LIVE_STATE_IDLE;
}

const char *
vg_video_view_get_forced_text (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->forced_label))
         ? gtk_label_get_label (self->forced_label) : NULL;
}

const char *
vg_video_view_get_status_text (VgVideoView *self)
{
  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->status_label))
         ? gtk_label_get_label (self->status_label) : NULL;
}

void
vg_video_view_get_frame_counts (VgVideoView *self,
                                guint64     *received,
                                guint64     *shown)
{
  guint64 r = self->retired_received;
  guint64 s = self->retired_shown;

  g_return_if_fail (VG_IS_VIDEO_VIEW (self));

  if (self->pipeline != NULL)
    {
      r += vg_live_pipeline_get_frames_received (self->pipeline);
      s += vg_live_pipeline_get_frames_shown (self->pipeline);
    }
  if (self->next != NULL)
    {
      r += vg_live_pipeline_get_frames_received (self->next);
      s += vg_live_pipeline_get_frames_shown (self->next);
    }

  if (received != NULL)
    *received = r;
  if (shown != NULL)
    *shown = s;
}

gboolean
vg_video_view_save_snapshot (VgVideoView  *self,
                             const char   *path,
                             GError      **error)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_val_if_fail (VG_IS_VIDEO_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The frame as decoded, not as scaled for the screen. */
  if (self->pipeline != NULL)
    texture = vg_live_pipeline_dup_full_frame (self->pipeline, NULL);
  if (texture == NULL && vg_video_paintable_get_texture (self->paintable) != NULL)
    texture = g_object_ref (vg_video_paintable_get_texture (self->paintable));
  if (texture == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no picture to save yet"));
      return FALSE;
    }

  if (!gdk_texture_save_to_png (texture, path))
    {
      /* Translators: %s is a file name */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s"), path);
      return FALSE;
    }

  return TRUE;
}

/* GtkWidget: every child covers the whole view; the labels place themselves. */

static void
vg_video_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_minimum;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, -1, &child_minimum, NULL, NULL, NULL);
      *minimum = MAX (*minimum, child_minimum);
    }

  /* Cells share the room; a frame's size is no reason to grow. */
  *natural = MAX (*minimum, orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 90);
}

static void
vg_video_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  VgVideoView *self = VG_VIDEO_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_should_layout (child))
        gtk_widget_allocate (child, width, height, baseline, NULL);
    }

  if (width != self->last_width || height != self->last_height)
    {
      self->last_width = width;
      self->last_height = height;
      if (self->camera != NULL || self->direct_uri != NULL)
        vg_video_view_queue_stream_choice (self);
    }
}

static void
vg_video_view_dispose (GObject *object)
{
  VgVideoView *self = VG_VIDEO_VIEW (object);

  g_clear_handle_id (&self->choice_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  vg_video_view_retire (self, &self->next);
  vg_video_view_retire (self, &self->pipeline);
  vg_video_view_update_ticking (self);
  g_signal_group_set_target (self->camera_signals, NULL);
  g_signal_group_set_target (self->connection_signals, NULL);
  g_signal_group_set_target (self->forced_signals, NULL);
  g_clear_object (&self->camera);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_VIDEO_VIEW);

  G_OBJECT_CLASS (vg_video_view_parent_class)->dispose (object);
}

static void
vg_video_view_finalize (GObject *object)
{
  VgVideoView *self = VG_VIDEO_VIEW (object);

  g_clear_object (&self->camera_signals);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->forced_signals);
  g_clear_object (&self->paintable);
  g_free (self->direct_uri);

  G_OBJECT_CLASS (vg_video_view_parent_class)->finalize (object);
}

static void
vg_video_view_class_init (VgVideoViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_video_view_dispose;
  object_class->finalize = vg_video_view_finalize;
  widget_class->measure = vg_video_view_measure;
  widget_class->size_allocate = vg_video_view_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-video-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, picture);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, header);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, name_label);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, recording_label);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, forced_label);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, time_label);
  gtk_widget_class_bind_template_child (widget_class, VgVideoView, status_label);
  gtk_widget_class_set_css_name (widget_class, "vgvideoview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vg_video_view_init (VgVideoView *self)
{
  GtkEventController *motion;
  GtkEventController *scroll;
  GtkGesture *drag;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->paintable = vg_video_paintable_new ();
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->paintable));

  self->camera_signals = g_signal_group_new (VG_TYPE_CAMERA);
  g_signal_group_connect_object (self->camera_signals, "notify",
                                 G_CALLBACK (source_changed_cb), self, G_CONNECT_SWAPPED);
  self->connection_signals = g_signal_group_new (VG_TYPE_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "notify::rtsp-port",
                                 G_CALLBACK (source_changed_cb), self, G_CONNECT_SWAPPED);
  self->forced_signals = g_signal_group_new (VG_TYPE_FORCED_RECORDINGS);
  g_signal_group_connect_object (self->forced_signals, "changed",
                                 G_CALLBACK (forced_changed_cb), self, G_CONNECT_SWAPPED);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL |
                                            GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  vg_video_view_update_status (self);
}
