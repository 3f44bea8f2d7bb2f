/* vg-player-view.c: a recorded camera stream with its transport controls (PLAY-3, PLAY-9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-player-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "vg-sample-texture.h"
#include "vg-snapshot.h"
#include "vg-video-paintable.h"

static const double speeds[] = { 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 20 };
#define DEFAULT_SPEED_INDEX 3

struct _VgPlayerView
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkPicture       *picture;
  GtkLabel         *status_label;
  GtkMenuButton    *title_button;
  GtkWidget        *controls;
  GtkToggleButton  *reverse_button;
  GtkButton        *play_button;
  GtkSpinButton    *jump_spin;
  GtkDropDown      *speed_dropdown;
  GtkToggleButton  *mute_button;
  GtkScaleButton   *volume_button;
  GtkLabel         *time_label;

  VgVideoPaintable *paintable;
  VgPlayback       *playback;
  VgPlaybackClock  *clock;       /* the playback's, watched for play/pause and speed */
  gboolean          updating_speed;
};

G_DEFINE_FINAL_TYPE (VgPlayerView, vg_player_view, GTK_TYPE_WIDGET)

enum {
  GO_TO_EDGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

double
vg_player_view_shuttle_speed (double   speed,
                              gboolean playing,
                              int      direction)
{
  g_return_val_if_fail (direction == 1 || direction == -1, 1.0);

  /* Another direction, or from pause: 1× that way; then twice as fast at each press. */
  if (!playing || (speed > 0) != (direction > 0))
    return direction;
  return vg_playback_clock_clamp_speed (speed * 2);
}

/* Display */

static char *
format_frame_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = vg_time_new_from_unix_usec (time_us);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

  return g_strdup_printf ("%s.%03d", text, g_date_time_get_microsecond (local) / 1000);
}

static void
update_status (VgPlayerView *self)
{
  VgPlaybackState state = self->playback != NULL ? vg_playback_get_state (self->playback)
                                                 : VG_PLAYBACK_STATE_IDLE;
  const char *text = NULL;

  switch (state)
    {
    case VG_PLAYBACK_STATE_GAP:
      text = _("Nothing recorded at this time");
      break;
    case VG_PLAYBACK_STATE_ERROR:
      text = _("The recording cannot be read");
      break;
    case VG_PLAYBACK_STATE_LOADING:
      text = gtk_picture_get_paintable (self->picture) != NULL
             && vg_video_paintable_get_texture (self->paintable) == NULL ? _("Loading…") : NULL;
      break;
    case VG_PLAYBACK_STATE_IDLE:
    case VG_PLAYBACK_STATE_FRAME:
    default:
      break;
    }
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (state == VG_PLAYBACK_STATE_ERROR)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), vg_playback_get_error (self->playback));
}

static void
update_transport (VgPlayerView *self)
{
  gboolean playing = self->clock != NULL && vg_playback_clock_get_playing (self->clock);
  double speed = self->clock != NULL ? vg_playback_clock_get_speed (self->clock) : 1.0;

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_toggle_button_set_active (self->reverse_button, speed < 0);
  self->updating_speed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (fabs (speed) - speeds[i]) < 1e-6)
      gtk_drop_down_set_selected (self->speed_dropdown, i);
  self->updating_speed = FALSE;
}

/* Sound (PLAY-4): the controls only when the camera has some. */
static void
update_audio (VgPlayerView *self)
{
  gboolean has_audio = self->playback != NULL && vg_playback_get_has_audio (self->playback);
  gboolean muted = self->playback != NULL && vg_playback_get_muted (self->playback);

  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_button), has_audio);
  gtk_widget_set_sensitive (GTK_WIDGET (self->volume_button), has_audio);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.mute", has_audio);
  gtk_toggle_button_set_active (self->mute_button, muted);
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button), muted ? "audio-volume-muted-symbolic"
                                                                  : "audio-volume-high-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button), muted ? _("Unmute (M)") : _("Mute (M)"));
  if (self->playback != NULL)
    gtk_scale_button_set_value (self->volume_button, vg_playback_get_volume (self->playback));
}

static void
mute_toggled_cb (VgPlayerView *self)
{
  if (self->playback != NULL)
    vg_playback_set_muted (self->playback, gtk_toggle_button_get_active (self->mute_button));
}

static void
volume_changed_cb (VgPlayerView *self,
                   double        value)
{
  if (self->playback != NULL)
    vg_playback_set_volume (self->playback, value);
}

static void
frame_cb (VgPlayerView *self)
{
  GstSample *sample = vg_playback_get_frame (self->playback);
  g_autoptr(GdkTexture) texture = sample != NULL ? vg_texture_new_for_sample (sample) : NULL;
  g_autofree char *time_text = format_frame_time (vg_playback_get_frame_time (self->playback));

  vg_video_paintable_set_texture (self->paintable, texture);
  gtk_label_set_label (self->time_label, time_text);
  update_status (self);
}

/* Actions */

static VgPlaybackClock *
clock_of (VgPlayerView *self)
{
  return self->playback != NULL ? vg_playback_get_clock (self->playback) : NULL;
}

static void
play_pause_activated (GtkWidget  *widget,
                      const char *action_name G_GNUC_UNUSED,
                      GVariant   *parameter G_GNUC_UNUSED)
{
  VgPlaybackClock *clock = clock_of (VG_PLAYER_VIEW (widget));

  if (clock != NULL)
    vg_playback_clock_set_playing (clock, !vg_playback_clock_get_playing (clock));
}

static void
reverse_activated (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  VgPlaybackClock *clock = clock_of (VG_PLAYER_VIEW (widget));

  if (clock == NULL)
    return;
  vg_playback_clock_set_speed (clock, -vg_playback_clock_get_speed (clock));
  vg_playback_clock_set_playing (clock, TRUE);
}

static void
step_activated (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter)
{
  VgPlayerView *self = VG_PLAYER_VIEW (widget);

  if (self->playback != NULL)
    vg_playback_step (self->playback, g_variant_get_int32 (parameter) < 0 ? -1 : 1);
}

static void
jump_activated (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter)
{
  VgPlayerView *self = VG_PLAYER_VIEW (widget);
  int size = CLAMP (gtk_spin_button_get_value_as_int (self->jump_spin), 1, VG_PLAYBACK_JUMP_MAX);

  if (self->playback != NULL)
    vg_playback_jump_keyframes (self->playback, g_variant_get_int32 (parameter) < 0 ? -size : size);
}

static void
shuttle_activated (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter)
{
  VgPlaybackClock *clock = clock_of (VG_PLAYER_VIEW (widget));
  int direction = g_variant_get_int32 (parameter);

  if (clock == NULL)
    return;
  if (direction == 0)
    {
      vg_playback_clock_set_playing (clock, FALSE);
      return;
    }
  vg_playback_clock_set_speed (clock, vg_player_view_shuttle_speed (vg_playback_clock_get_speed (clock),
                                                                    vg_playback_clock_get_playing (clock),
                                                                    direction < 0 ? -1 : 1));
  vg_playback_clock_set_playing (clock, TRUE);
}

static void
edge_activated (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter)
{
  VgPlayerView *self = VG_PLAYER_VIEW (widget);
  gboolean end = g_variant_get_boolean (parameter);
  gboolean handled = FALSE;
  gint64 first;
  gint64 last;

  g_signal_emit (self, signals[GO_TO_EDGE], 0, end, &handled);
  if (handled)
    return;
  /* Nobody knows more: the edges of what the engine has listed. */
  if (self->playback == NULL || !vg_playback_get_recorded_range (self->playback, &first, &last))
    return;
  vg_playback_pause (self->playback);
  vg_playback_seek (self->playback, end ? last : first);
}

typedef struct
{
  char   *path;
  gint64  camera_id;
  gint64  time_us;
  GtkEntry *entry;
} SnapshotComment;

static void
snapshot_comment_free (gpointer data)
{
  SnapshotComment *comment = data;

  g_free (comment->path);
  g_free (comment);
}

static void
snapshot_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  SnapshotComment *comment = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (comment->entry));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || text[0] == '\0')
    return;
  if (!vg_snapshot_add_comment (comment->path, comment->camera_id, comment->time_us, text, &error))
    g_warning ("The comment could not be saved: %s", error->message);
  (void) dialog;
}

static void
ask_comment (VgPlayerView *self,
             const char   *path)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = g_strdup_printf (_("Saved as %s"), path);
  AdwMessageDialog *dialog;
  SnapshotComment *comment = g_new0 (SnapshotComment, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Snapshot"), body));
  comment->path = g_strdup (path);
  comment->camera_id = vg_playback_get_camera_id (self->playback);
  comment->time_us = vg_playback_get_frame_time (self->playback);
  comment->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (comment->entry, _("Comment for the logbook"));
  gtk_entry_set_activates_default (comment->entry, TRUE);
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (comment->entry));
  adw_message_dialog_add_responses (dialog, "close", _("_Close"), "save", _("_Add Comment"), NULL);
  adw_message_dialog_set_default_response (dialog, "save");
  g_signal_connect_data (dialog, "response", G_CALLBACK (snapshot_response_cb), comment,
                         (GClosureNotify) (void (*) (void)) snapshot_comment_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
snapshot_activated (GtkWidget  *widget,
                    const char *action_name G_GNUC_UNUSED,
                    GVariant   *parameter G_GNUC_UNUSED)
{
  VgPlayerView *self = VG_PLAYER_VIEW (widget);
  GdkTexture *texture = vg_video_paintable_get_texture (self->paintable);
  g_autofree char *directory = vg_snapshot_get_directory ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (texture == NULL || self->playback == NULL)
    return;
  path = vg_snapshot_save (texture, directory, vg_playback_get_camera_id (self->playback),
                           vg_playback_get_frame_time (self->playback), &error);
  if (path == NULL)
    {
      g_warning ("The snapshot could not be saved: %s", error->message);
      return;
    }
  ask_comment (self, path);
}

static void
mute_activated (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  VgPlayerView *self = VG_PLAYER_VIEW (widget);

  if (self->playback != NULL)
    vg_playback_set_muted (self->playback, !vg_playback_get_muted (self->playback));
}

static void
speed_selected_cb (VgPlayerView *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);
  VgPlaybackClock *clock = clock_of (self);
  double sign;

  if (self->updating_speed || clock == NULL || selected >= G_N_ELEMENTS (speeds))
    return;
  sign = vg_playback_clock_get_speed (clock) < 0 ? -1 : 1;
  vg_playback_clock_set_speed (clock, sign * speeds[selected]);
  /* The keys (Space, arrows) go back to the player, not to the list of speeds. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
vg_player_view_new (void)
{
  return g_object_new (VG_TYPE_PLAYER_VIEW, NULL);
}

static void
disconnect_playback (VgPlayerView *self)
{
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_clear_object (&self->clock);
  if (self->playback != NULL)
    g_signal_handlers_disconnect_by_data (self->playback, self);
  g_clear_object (&self->playback);
}

static void
clock_changed_cb (VgPlayerView *self)
{
  VgPlaybackClock *clock = clock_of (self);

  /* The playback may have been given another clock (synchronised mosaic). */
  if (clock != self->clock)
    {
      if (self->clock != NULL)
        g_signal_handlers_disconnect_by_data (self->clock, self);
      g_set_object (&self->clock, clock);
      g_signal_connect_swapped (clock, "changed", G_CALLBACK (clock_changed_cb), self);
    }
  update_transport (self);
}

void
vg_player_view_set_playback (VgPlayerView *self,
                             VgPlayback   *playback)
{
  g_return_if_fail (VG_IS_PLAYER_VIEW (self));
  g_return_if_fail (playback == NULL || VG_IS_PLAYBACK (playback));

  if (playback == self->playback)
    return;
  disconnect_playback (self);
  vg_video_paintable_set_texture (self->paintable, NULL);
  update_audio (self);
  if (playback == NULL)
    return;

  self->playback = g_object_ref (playback);
  g_signal_connect_swapped (playback, "frame", G_CALLBACK (frame_cb), self);
  g_signal_connect_swapped (playback, "notify::state", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (playback, "notify::clock", G_CALLBACK (clock_changed_cb), self);
  g_signal_connect_swapped (playback, "notify::has-audio", G_CALLBACK (update_audio), self);
  g_signal_connect_swapped (playback, "notify::muted", G_CALLBACK (update_audio), self);
  g_signal_connect_swapped (playback, "notify::volume", G_CALLBACK (update_audio), self);
  clock_changed_cb (self);
  update_audio (self);
  if (vg_playback_get_frame (playback) != NULL)
    frame_cb (self);
  update_status (self);
}

VgPlayback *
vg_player_view_get_playback (VgPlayerView *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_VIEW (self), NULL);

  return self->playback;
}

GdkTexture *
vg_player_view_get_texture (VgPlayerView *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_VIEW (self), NULL);

  return vg_video_paintable_get_texture (self->paintable);
}

void
vg_player_view_set_show_controls (VgPlayerView *self,
                                  gboolean      show)
{
  g_return_if_fail (VG_IS_PLAYER_VIEW (self));

  gtk_widget_set_visible (self->controls, show);
}

void
vg_player_view_set_title (VgPlayerView *self,
                          const char   *title)
{
  g_return_if_fail (VG_IS_PLAYER_VIEW (self));

  gtk_menu_button_set_label (self->title_button, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_button), title != NULL && title[0] != '\0');
}

const char *
vg_player_view_get_title (VgPlayerView *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->title_button))
         ? gtk_menu_button_get_label (self->title_button) : NULL;
}

void
vg_player_view_set_source_menu (VgPlayerView *self,
                                GMenuModel   *menu)
{
  g_return_if_fail (VG_IS_PLAYER_VIEW (self));
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));

  gtk_menu_button_set_menu_model (self->title_button, menu);
}

GMenuModel *
vg_player_view_get_source_menu (VgPlayerView *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_VIEW (self), NULL);

  return gtk_menu_button_get_menu_model (self->title_button);
}

const char *
vg_player_view_get_time_text (VgPlayerView *self)
{
  g_return_val_if_fail (VG_IS_PLAYER_VIEW (self), NULL);

  return gtk_label_get_label (self->time_label);
}

/* GObject */

static void
vg_player_view_dispose (GObject *object)
{
  VgPlayerView *self = VG_PLAYER_VIEW (object);

  disconnect_playback (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_PLAYER_VIEW);
  g_clear_object (&self->paintable);
  G_OBJECT_CLASS (vg_player_view_parent_class)->dispose (object);
}

static void
add_key (GtkWidgetClass *widget_class,
         guint           key,
         GdkModifierType modifiers,
         const char     *action,
         const char     *format,
         int             value)
{
  if (format == NULL)
    gtk_widget_class_add_binding_action (widget_class, key, modifiers, action, NULL);
  else
    gtk_widget_class_add_binding_action (widget_class, key, modifiers, action, format, value);
}

static void
install_keys (GtkWidgetClass *widget_class)
{
  add_key (widget_class, GDK_KEY_space, 0, "player.play-pause", NULL, 0);
  add_key (widget_class, GDK_KEY_Right, 0, "player.step", "i", 1);
  add_key (widget_class, GDK_KEY_Left, 0, "player.step", "i", -1);
  add_key (widget_class, GDK_KEY_Page_Down, 0, "player.jump", "i", 1);
  add_key (widget_class, GDK_KEY_Page_Up, 0, "player.jump", "i", -1);
  add_key (widget_class, GDK_KEY_j, 0, "player.shuttle", "i", -1);
  add_key (widget_class, GDK_KEY_k, 0, "player.shuttle", "i", 0);
  add_key (widget_class, GDK_KEY_l, 0, "player.shuttle", "i", 1);
  add_key (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "player.snapshot", NULL, 0);
  add_key (widget_class, GDK_KEY_m, 0, "player.mute", NULL, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "player.edge", "b", FALSE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "player.edge", "b", TRUE);
}

static void
vg_player_view_class_init (VgPlayerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_player_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-player-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, box);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, picture);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, status_label);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, title_button);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, controls);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, reverse_button);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, play_button);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, jump_spin);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, mute_button);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, volume_button);
  gtk_widget_class_bind_template_child (widget_class, VgPlayerView, time_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vg-player-view");

  signals[GO_TO_EDGE] = g_signal_new ("go-to-edge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, g_signal_accumulator_true_handled, NULL, NULL,
                                      G_TYPE_BOOLEAN, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "player.play-pause", NULL, play_pause_activated);
  gtk_widget_class_install_action (widget_class, "player.reverse", NULL, reverse_activated);
  gtk_widget_class_install_action (widget_class, "player.step", "i", step_activated);
  gtk_widget_class_install_action (widget_class, "player.jump", "i", jump_activated);
  gtk_widget_class_install_action (widget_class, "player.shuttle", "i", shuttle_activated);
  gtk_widget_class_install_action (widget_class, "player.edge", "b", edge_activated);
  gtk_widget_class_install_action (widget_class, "player.snapshot", NULL, snapshot_activated);
  gtk_widget_class_install_action (widget_class, "player.mute", NULL, mute_activated);
  install_keys (widget_class);
}

static GListModel *
speed_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *label = speeds[i] < 1 ? g_strdup_printf ("1/%d×", (int) (1 / speeds[i] + 0.5))
                                             : g_strdup_printf ("%g×", speeds[i]);

      gtk_string_list_append (list, label);
    }
  return G_LIST_MODEL (list);
}

static void
vg_player_view_init (VgPlayerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->paintable = vg_video_paintable_new ();
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->paintable));
  gtk_drop_down_set_model (self->speed_dropdown, speed_model ());
  gtk_drop_down_set_selected (self->speed_dropdown, DEFAULT_SPEED_INDEX);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (speed_selected_cb), self);
  g_signal_connect_swapped (self->mute_button, "toggled", G_CALLBACK (mute_toggled_cb), self);
  g_signal_connect_swapped (self->volume_button, "value-changed", G_CALLBACK (volume_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.mute", FALSE);
}
