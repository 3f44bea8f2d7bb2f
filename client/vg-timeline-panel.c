/* vg-timeline-panel.c: a VgTimeline with its controls: zoom keys, start and end
 * date-times, the dichotomous search's questions (PLAY-1, PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-timeline-panel.h"
#include "vg-date-time-button.h"
#include "vg-export-dialog.h"
#include "vg-protections-dialog.h"

struct _VgTimelinePanel
{
  GtkWidget parent_instance;

  GtkBox *toolbar;
  VgDateTimeButton *start_button;
  VgDateTimeButton *end_button;
  GtkWidget *bisect_button;
  GtkWidget *bisect_box;
  GtkLabel *bisect_label;
  VgTimeline *timeline;
};

G_DEFINE_FINAL_TYPE (VgTimelinePanel, vg_timeline_panel, GTK_TYPE_WIDGET)

static void
range_changed_cb (VgTimelinePanel *self)
{
  vg_date_time_button_set_time (self->start_button, vg_timeline_get_start (self->timeline));
  vg_date_time_button_set_time (self->end_button, vg_timeline_get_end (self->timeline));
}

/* A chosen range is shown if it is one (start before end); otherwise the button whose
 * date-time was chosen is marked in error and nothing changes. */
static void
apply_range (VgTimelinePanel  *self,
             VgDateTimeButton *chosen,
             gint64            start,
             gint64            end)
{
  if (end <= start)
    {
      vg_date_time_button_set_error (chosen, chosen == self->start_button
                                             ? _("The start must come before the end")
                                             : _("The end must come after the start"));
      return;
    }
  vg_date_time_button_popdown (chosen);
  vg_timeline_set_range (self->timeline, start, end);
  /* Both follow the range as shown (zoom limits), which clears any error. */
  range_changed_cb (self);
}

static void
start_apply_cb (VgTimelinePanel *self,
                gint64           start)
{
  apply_range (self, self->start_button, start, vg_date_time_button_get_time (self->end_button));
}

static void
end_apply_cb (VgTimelinePanel *self,
              gint64           end)
{
  apply_range (self, self->end_button, vg_date_time_button_get_time (self->start_button), end);
}

static void
bisection_changed_cb (VgTimelinePanel *self)
{
  gboolean bisecting = vg_timeline_get_bisecting (self->timeline);
  guint left = vg_timeline_get_bisection_answers_left (self->timeline);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->bisect_button, !bisecting);
  gtk_widget_set_visible (self->bisect_box, bisecting);
  /* Translators: the dichotomous search asks a question and says how many are left */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Changed at the cursor? (%u question left)",
                                       "Changed at the cursor? (%u questions left)", left), left);
  gtk_label_set_text (self->bisect_label, text);
}

static void
zoom_span_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VgTimelinePanel *self = VG_TIMELINE_PANEL (widget);
  const char *span = g_variant_get_string (parameter, NULL);

  if (g_str_equal (span, "minute"))
    vg_timeline_zoom_to_span (self->timeline, G_TIME_SPAN_MINUTE);
  else if (g_str_equal (span, "hour"))
    vg_timeline_zoom_to_span (self->timeline, G_TIME_SPAN_HOUR);
  else if (g_str_equal (span, "day"))
    vg_timeline_zoom_to_span (self->timeline, G_TIME_SPAN_DAY);
  else if (g_str_equal (span, "week"))
    vg_timeline_zoom_to_span (self->timeline, 7 * G_TIME_SPAN_DAY);
  else
    vg_timeline_zoom_all (self->timeline);
}

static void
bisect_start_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  vg_timeline_start_bisection (VG_TIMELINE_PANEL (widget)->timeline);
}

static void
bisect_answer_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VgTimeline *timeline = VG_TIMELINE_PANEL (widget)->timeline;

  if (vg_timeline_get_bisecting (timeline))
    vg_timeline_answer_bisection (timeline, g_variant_get_boolean (parameter));
}

static void
bisect_stop_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  vg_timeline_stop_bisection (VG_TIMELINE_PANEL (widget)->timeline);
}

GtkWidget *
vg_timeline_panel_new (void)
{
  return g_object_new (VG_TYPE_TIMELINE_PANEL, NULL);
}

VgTimeline *
vg_timeline_panel_get_timeline (VgTimelinePanel *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE_PANEL (self), NULL);

  return self->timeline;
}

GtkBox *
vg_timeline_panel_get_toolbar (VgTimelinePanel *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE_PANEL (self), NULL);

  return self->toolbar;
}

VgDateTimeButton *
vg_timeline_panel_get_start_button (VgTimelinePanel *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE_PANEL (self), NULL);

  return self->start_button;
}

VgDateTimeButton *
vg_timeline_panel_get_end_button (VgTimelinePanel *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE_PANEL (self), NULL);

  return self->end_button;
}

static void
vg_timeline_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), VG_TYPE_TIMELINE_PANEL);
  /* dispose_template() only unparents the children bound to fields. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vg_timeline_panel_parent_class)->dispose (object);
}

static void
vg_timeline_panel_class_init (VgTimelinePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_timeline_panel_dispose;

  g_type_ensure (VG_TYPE_TIMELINE);
  g_type_ensure (VG_TYPE_DATE_TIME_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-timeline-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, toolbar);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, end_button);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, bisect_button);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, bisect_box);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, bisect_label);
  gtk_widget_class_bind_template_child (widget_class, VgTimelinePanel, timeline);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, end_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, bisection_changed_cb);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-span", "s", zoom_span_cb);
  gtk_widget_class_install_action (widget_class, "timeline.bisect-start", NULL, bisect_start_cb);
  gtk_widget_class_install_action (widget_class, "timeline.bisect-answer", "b", bisect_answer_cb);
  gtk_widget_class_install_action (widget_class, "timeline.bisect-stop", NULL, bisect_stop_cb);
  gtk_widget_class_set_css_name (widget_class, "vgtimelinepanel");
}

static void
vg_timeline_panel_init (VgTimelinePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  range_changed_cb (self);
  bisection_changed_cb (self);
}

/* The selection, or the visible range up to now. */
static void
selected_range (VgTimeline *timeline, gint64 *start, gint64 *end)
{
  if (vg_timeline_get_selection (timeline, start, end))
    return;
  *start = vg_timeline_get_start (timeline);
  *end = MIN (vg_timeline_get_end (timeline), g_get_real_time ());
}

void
vg_timeline_panel_export_selection (VgTimelinePanel *self, GtkWindow *parent)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self);
  VgRecordingTrack *track = vg_timeline_get_active_track (timeline);
  VgExportDialog *dialog;
  gint64 start, end;

  if (track == NULL)
    return;
  selected_range (timeline, &start, &end);
  dialog = vg_export_dialog_new (parent, vg_recording_track_get_client (track),
                                 vg_recording_track_get_camera (track),
                                 vg_recording_track_get_stream (track), start, end);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
vg_timeline_panel_protect_selection (VgTimelinePanel *self, GtkWindow *parent)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (self);
  VgRecordingTrack *track = vg_timeline_get_active_track (timeline);
  VgProtectionsDialog *dialog;
  gint64 start, end;

  if (track == NULL)
    return;
  selected_range (timeline, &start, &end);
  dialog = vg_protections_dialog_new (parent, vg_recording_track_get_client (track),
                                      vg_recording_track_get_camera (track), start, end);
  gtk_window_present (GTK_WINDOW (dialog));
}
