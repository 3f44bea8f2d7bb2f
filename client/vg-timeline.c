/* vg-timeline.c: recorded spans of several cameras on a zoomable time scale, with a
 * cursor, a selection and a dichotomous search (PLAY-1, PLAY-2, PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vg-bisection.h"
#include "vg-timeline-private.h"
#include "vg-timeline-scale.h"

#define LABEL_WIDTH 170.0
#define RULER_HEIGHT 26.0
#define ROW_HEIGHT 30.0
#define ROW_GAP 2.0
#define MARK_HEIGHT 6.0
#define MIN_TICK_SPACING 90.0
#define WHEEL_ZOOM_STEP 1.25
#define KEY_ZOOM_STEP 2.0
#define FETCH_DELAY_MS 150
#define REFRESH_SECONDS 5
#define BISECTION_RESOLUTION (40 * G_TIME_SPAN_MILLISECOND)

typedef enum {
  DRAG_NONE,
  DRAG_CURSOR,
  DRAG_SELECTION,
  DRAG_PAN,
} DragMode;

struct _VgTimeline
{
  GtkWidget parent_instance;

  GPtrArray *tracks;
  int active_track;

  gint64 start;
  gint64 end;
  gint64 cursor;
  gint64 selection_start;
  gint64 selection_end;

  DragMode drag;
  gint64 drag_anchor;
  double drag_x;

  /* Shift+arrows: the selection's fixed end and the end that moves. */
  gint64 key_anchor;
  gint64 key_edge;

  gboolean bisecting;
  VgBisection bisection;

  gboolean fit_pending;
  guint fetch_id;
  guint refresh_id;
  GTimeZone *tz;
};

G_DEFINE_FINAL_TYPE (VgTimeline, vg_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  PROP_CURSOR,
  PROP_SELECTION_START,
  PROP_SELECTION_END,
  PROP_ACTIVE_TRACK,
  PROP_BISECTING,
  PROP_BISECTION_ANSWERS_LEFT,
  N_PROPS
};

enum {
  SEEK_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GdkRGBA recorded_color = { 0.20f, 0.82f, 0.48f, 1.0f };
static const GdkRGBA gap_color = { 0.88f, 0.11f, 0.14f, 0.22f };
static const GdkRGBA unknown_color = { 0.5f, 0.5f, 0.5f, 0.12f };
static const GdkRGBA alarm_color = { 0.88f, 0.11f, 0.14f, 1.0f };
static const GdkRGBA motion_color = { 0.96f, 0.83f, 0.18f, 1.0f };
static const GdkRGBA selection_color = { 0.21f, 0.52f, 0.89f, 0.28f };
static const GdkRGBA bisection_color = { 0.57f, 0.25f, 0.67f, 0.30f };
static const GdkRGBA cursor_color = { 1.0f, 0.47f, 0.0f, 1.0f };
static const GdkRGBA focus_color = { 0.21f, 0.52f, 0.89f, 0.8f };

/* Geometry */

static double
track_area_width (VgTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_WIDTH);
}

double
vg_timeline_time_to_x (VgTimeline *self,
                       gint64      time)
{
  return LABEL_WIDTH + vg_timeline_scale_time_to_x (time, self->start, self->end,
                                                    track_area_width (self));
}

static gint64
x_to_time (VgTimeline *self,
           double      x)
{
  return vg_timeline_scale_x_to_time (x - LABEL_WIDTH, self->start, self->end,
                                      track_area_width (self));
}

double
vg_timeline_row_to_y (VgTimeline *self,
                      guint       index)
{
  return RULER_HEIGHT + index * (ROW_HEIGHT + ROW_GAP) + ROW_HEIGHT / 2;
}

static int
y_to_row (VgTimeline *self,
          double      y)
{
  int row;

  if (y < RULER_HEIGHT)
    return -1;
  row = (int) ((y - RULER_HEIGHT) / (ROW_HEIGHT + ROW_GAP));
  return row < (int) self->tracks->len ? row : -1;
}

/* Fetching what the visible range needs */

static void
vg_timeline_fetch_now (VgTimeline *self)
{
  gint64 margin = (self->end - self->start) / 2;

  for (guint i = 0; i < self->tracks->len; i++)
    vg_recording_track_request (g_ptr_array_index (self->tracks, i),
                                self->start - margin, self->end + margin);
}

static gboolean
fetch_timeout_cb (gpointer data)
{
  VgTimeline *self = data;

  self->fetch_id = 0;
  vg_timeline_fetch_now (self);
  return G_SOURCE_REMOVE;
}

static void
vg_timeline_schedule_fetch (VgTimeline *self)
{
  g_clear_handle_id (&self->fetch_id, g_source_remove);
  self->fetch_id = g_timeout_add (FETCH_DELAY_MS, fetch_timeout_cb, self);
}

/* The recordings still grow at the clock: while it is in sight, ask again now and then. */
static gboolean
refresh_cb (gpointer data)
{
  VgTimeline *self = data;

  if (self->end > g_get_real_time () - 2 * REFRESH_SECONDS * G_TIME_SPAN_SECOND)
    {
      vg_timeline_fetch_now (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return G_SOURCE_CONTINUE;
}

/* Drawing */

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static GdkRGBA
foreground (VgTimeline *self,
            float       alpha)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= alpha;
  return color;
}

static void
append_text (VgTimeline  *self,
             GtkSnapshot *snapshot,
             const char  *text,
             double       x,
             double       y,
             double       max_width,
             float        alpha)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  GdkRGBA color = foreground (self, alpha);

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
vg_timeline_snapshot_ruler (VgTimeline  *self,
                            GtkSnapshot *snapshot,
                            double       height)
{
  double width = track_area_width (self);
  VgTickScale ticks = vg_timeline_scale_choose_ticks (self->start, self->end, width,
                                                      MIN_TICK_SPACING);
  GdkRGBA line = foreground (self, 0.25f);

  for (gint64 tick = vg_timeline_scale_first_tick (&ticks, self->start, self->tz);
       tick < self->end; tick = vg_timeline_scale_next_tick (&ticks, tick, self->tz))
    {
      g_autofree char *label = vg_timeline_scale_format_tick (&ticks, tick, self->tz);
      double x = vg_timeline_time_to_x (self, tick);

      append_rect (snapshot, &line, x, RULER_HEIGHT - 6, 1, height - RULER_HEIGHT + 6);
      append_text (self, snapshot, label, x + 3, 3, MIN_TICK_SPACING - 6, 0.8f);
    }
}

static void
vg_timeline_snapshot_runs (VgTimeline    *self,
                           GtkSnapshot   *snapshot,
                           GArray        *ranges,
                           const GdkRGBA *color,
                           double         y,
                           double         height)
{
  g_autoptr(GArray) runs = vg_time_ranges_to_pixels (ranges, self->start, self->end,
                                                     track_area_width (self));

  for (guint i = 0; i < runs->len; i++)
    {
      VgPixelRun *run = &g_array_index (runs, VgPixelRun, i);
      append_rect (snapshot, color, LABEL_WIDTH + run->x, y, run->width, height);
    }
}

static void
vg_timeline_snapshot_marks (VgTimeline       *self,
                            GtkSnapshot      *snapshot,
                            VgRecordingTrack *track,
                            double            y)
{
  GArray *marks = vg_recording_track_get_marks (track);

  for (guint i = 0; i < marks->len; i++)
    {
      VgTimelineMark *mark = &g_array_index (marks, VgTimelineMark, i);
      double x0, x1;

      if (mark->end < self->start || mark->start > self->end)
        continue;
      x0 = MAX (vg_timeline_time_to_x (self, mark->start), LABEL_WIDTH);
      x1 = MAX (vg_timeline_time_to_x (self, mark->end), x0 + 2);
      append_rect (snapshot, mark->kind == VG_TIMELINE_MARK_ALARM ? &alarm_color : &motion_color,
                   x0, y + ROW_HEIGHT - MARK_HEIGHT, x1 - x0, MARK_HEIGHT);
    }
}

static void
vg_timeline_snapshot_track (VgTimeline  *self,
                            GtkSnapshot *snapshot,
                            guint        index)
{
  VgRecordingTrack *track = g_ptr_array_index (self->tracks, index);
  double y = RULER_HEIGHT + index * (ROW_HEIGHT + ROW_GAP);
  double width = track_area_width (self);
  gint64 now = g_get_real_time ();
  gint64 past_end = MIN (self->end, now);
  g_autoptr(GArray) gaps = NULL;
  VgCamera *camera = vg_recording_track_get_camera (track);

  if ((int) index == self->active_track)
    append_rect (snapshot, &selection_color, 0, y, LABEL_WIDTH - 4, ROW_HEIGHT);
  append_text (self, snapshot, vg_camera_get_name (camera), 6, y + 6, LABEL_WIDTH - 12, 1.0f);

  /* Unknown first, then what is known not to be recorded, then what is. */
  if (past_end > self->start)
    append_rect (snapshot, &unknown_color, LABEL_WIDTH, y,
                 vg_timeline_scale_time_to_x (past_end, self->start, self->end, width), ROW_HEIGHT);
  gaps = vg_time_ranges_clip (vg_recording_track_get_known (track), self->start, past_end);
  vg_timeline_snapshot_runs (self, snapshot, gaps, &gap_color, y, ROW_HEIGHT);
  vg_timeline_snapshot_runs (self, snapshot, vg_recording_track_get_spans (track),
                             &recorded_color, y + 3, ROW_HEIGHT - 6);
  vg_timeline_snapshot_marks (self, snapshot, track, y);
}

static void
vg_timeline_snapshot_band (VgTimeline    *self,
                           GtkSnapshot   *snapshot,
                           gint64         start,
                           gint64         end,
                           const GdkRGBA *color,
                           double         height)
{
  double x0 = CLAMP (vg_timeline_time_to_x (self, start), LABEL_WIDTH, gtk_widget_get_width (GTK_WIDGET (self)));
  double x1 = CLAMP (vg_timeline_time_to_x (self, end), LABEL_WIDTH, gtk_widget_get_width (GTK_WIDGET (self)));
  GdkRGBA edge = *color;

  if (x1 <= x0 && end <= start)
    return;
  edge.alpha = 0.9f;
  append_rect (snapshot, color, x0, RULER_HEIGHT, MAX (x1 - x0, 1), height - RULER_HEIGHT);
  append_rect (snapshot, &edge, x0, RULER_HEIGHT, 1, height - RULER_HEIGHT);
  append_rect (snapshot, &edge, MAX (x1 - 1, x0), RULER_HEIGHT, 1, height - RULER_HEIGHT);
}

static void
vg_timeline_snapshot_cursor (VgTimeline  *self,
                             GtkSnapshot *snapshot,
                             double       height)
{
  double x = vg_timeline_time_to_x (self, self->cursor);
  g_autofree char *label = NULL;

  if (x < LABEL_WIDTH || x > gtk_widget_get_width (GTK_WIDGET (self)))
    return;
  append_rect (snapshot, &cursor_color, x - 1, 0, 2, height);
  append_rect (snapshot, &cursor_color, x - 5, 0, 10, 5);

  /* The cursor's instant in the name column's corner. */
  label = vg_timeline_scale_format_local (self->cursor, self->tz);
  append_text (self, snapshot, label, 4, 3, LABEL_WIDTH - 8, 1.0f);
}

/* The keys act on the timeline: a ring around it says so. */
static void
vg_timeline_snapshot_focus (GtkSnapshot *snapshot,
                            double       width,
                            double       height)
{
  GskRoundedRect outline;
  const float widths[4] = { 2, 2, 2, 2 };
  const GdkRGBA colors[4] = { focus_color, focus_color, focus_color, focus_color };

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 3);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
vg_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  VgTimeline *self = VG_TIMELINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gint64 now = g_get_real_time ();

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  vg_timeline_snapshot_ruler (self, snapshot, height);
  for (guint i = 0; i < self->tracks->len; i++)
    vg_timeline_snapshot_track (self, snapshot, i);

  if (now > self->start && now < self->end)
    {
      GdkRGBA line = foreground (self, 0.5f);
      append_rect (snapshot, &line, vg_timeline_time_to_x (self, now), RULER_HEIGHT, 1, height - RULER_HEIGHT);
    }
  if (self->selection_end > self->selection_start)
    vg_timeline_snapshot_band (self, snapshot, self->selection_start, self->selection_end,
                               &selection_color, height);
  if (self->bisecting)
    vg_timeline_snapshot_band (self, snapshot, self->bisection.low, self->bisection.high,
                               &bisection_color, height);
  vg_timeline_snapshot_cursor (self, snapshot, height);
  if (gtk_widget_has_visible_focus (widget))
    vg_timeline_snapshot_focus (snapshot, width, height);

  gtk_snapshot_pop (snapshot);
}

static void
vg_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  VgTimeline *self = VG_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) LABEL_WIDTH + 200;
      *natural = (int) LABEL_WIDTH + 800;
    }
  else
    {
      guint rows = MAX (self->tracks->len, 1);
      *minimum = *natural = (int) (RULER_HEIGHT + rows * (ROW_HEIGHT + ROW_GAP));
    }
}

/* The visible range */

static void
vg_timeline_apply_range (VgTimeline *self,
                         gint64      start,
                         gint64      end)
{
  gboolean start_changed = start != self->start;
  gboolean end_changed = end != self->end;

  if (!start_changed && !end_changed)
    return;
  self->start = start;
  self->end = end;
  if (start_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  if (end_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
  vg_timeline_schedule_fetch (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vg_timeline_set_range (VgTimeline *self,
                       gint64      start,
                       gint64      end)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  self->fit_pending = FALSE;
  vg_timeline_scale_center (&start, &end, end - start, start + (end - start) / 2);
  vg_timeline_apply_range (self, start, end);
}

void
vg_timeline_zoom (VgTimeline *self,
                  double      factor,
                  gint64      anchor)
{
  gint64 start, end;

  g_return_if_fail (VG_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  start = self->start;
  end = self->end;
  vg_timeline_scale_zoom (&start, &end, factor, anchor);
  self->fit_pending = FALSE;
  vg_timeline_apply_range (self, start, end);
}

void
vg_timeline_zoom_to_span (VgTimeline *self,
                          gint64      span)
{
  gint64 center, start, end;

  g_return_if_fail (VG_IS_TIMELINE (self));

  center = self->cursor >= self->start && self->cursor <= self->end
           ? self->cursor : self->start + (self->end - self->start) / 2;
  vg_timeline_scale_center (&start, &end, span, center);
  self->fit_pending = FALSE;
  vg_timeline_apply_range (self, start, end);
}

/* From the first recorded instant of any track to now. */
static gboolean
vg_timeline_fit_recorded (VgTimeline *self)
{
  gint64 first = G_MAXINT64;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < self->tracks->len; i++)
    {
      VgRecordingTrack *track = g_ptr_array_index (self->tracks, i);
      GArray *spans = vg_recording_track_get_spans (track);

      if (vg_recording_track_get_loading (track))
        return FALSE;
      if (spans->len > 0)
        first = MIN (first, g_array_index (spans, VgTimeRange, 0).start);
    }
  if (first == G_MAXINT64)
    return FALSE;

  {
    gint64 margin = MAX ((now - first) / 20, G_TIME_SPAN_SECOND);
    gint64 start = first - margin, end = now + margin;

    vg_timeline_scale_center (&start, &end, end - start, start + (end - start) / 2);
    vg_timeline_apply_range (self, start, end);
  }
  return TRUE;
}

void
vg_timeline_zoom_all (VgTimeline *self)
{
  gint64 now = g_get_real_time ();

  g_return_if_fail (VG_IS_TIMELINE (self));

  vg_timeline_apply_range (self, now - VG_TIMELINE_MAX_SPAN + G_TIME_SPAN_DAY, now + G_TIME_SPAN_DAY);
  self->fit_pending = !vg_timeline_fit_recorded (self);
  if (self->fit_pending)
    vg_timeline_fetch_now (self);
}

gint64
vg_timeline_get_start (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), 0);

  return self->start;
}

gint64
vg_timeline_get_end (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), 0);

  return self->end;
}

/* Cursor and selection */

gint64
vg_timeline_get_cursor (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), 0);

  return self->cursor;
}

void
vg_timeline_set_cursor (VgTimeline *self,
                        gint64      time)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  if (self->cursor == time)
    return;
  self->cursor = time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
vg_timeline_seek (VgTimeline *self,
                  gint64      time,
                  gboolean    final)
{
  vg_timeline_set_cursor (self, time);
  g_signal_emit (self, signals[SEEK_REQUESTED], 0, time, final);
}

gboolean
vg_timeline_get_selection (VgTimeline *self,
                           gint64     *start,
                           gint64     *end)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), FALSE);

  if (start != NULL)
    *start = self->selection_start;
  if (end != NULL)
    *end = self->selection_end;
  return self->selection_end > self->selection_start;
}

void
vg_timeline_set_selection (VgTimeline *self,
                           gint64      start,
                           gint64      end)
{
  gint64 low = MIN (start, end), high = MAX (start, end);

  g_return_if_fail (VG_IS_TIMELINE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (low != self->selection_start)
    {
      self->selection_start = low;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_START]);
    }
  if (high != self->selection_end)
    {
      self->selection_end = high;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_END]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vg_timeline_clear_selection (VgTimeline *self)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  vg_timeline_set_selection (self, 0, 0);
}

/* Dichotomous search */

static void
vg_timeline_notify_bisection (VgTimeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BISECTING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BISECTION_ANSWERS_LEFT]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Keeps the interval in sight and large enough to see. */
static void
vg_timeline_show_bisection (VgTimeline *self)
{
  gint64 width = self->bisection.high - self->bisection.low;
  gint64 center = self->bisection.low + width / 2;

  if (width * 4 < self->end - self->start || self->bisection.low < self->start ||
      self->bisection.high > self->end)
    {
      gint64 start, end;

      vg_timeline_scale_center (&start, &end, width * 2, center);
      vg_timeline_apply_range (self, start, end);
    }
}

void
vg_timeline_start_bisection (VgTimeline *self)
{
  gint64 low, high;

  g_return_if_fail (VG_IS_TIMELINE (self));

  if (!vg_timeline_get_selection (self, &low, &high))
    {
      low = self->start;
      high = MIN (self->end, g_get_real_time ());
    }
  vg_bisection_init (&self->bisection, low, high);
  self->bisecting = TRUE;
  vg_timeline_notify_bisection (self);
  vg_timeline_seek (self, vg_bisection_get_probe (&self->bisection), TRUE);
}

void
vg_timeline_answer_bisection (VgTimeline *self,
                              gboolean    before)
{
  g_return_if_fail (VG_IS_TIMELINE (self));
  g_return_if_fail (self->bisecting);

  vg_bisection_answer (&self->bisection, before);
  if (vg_bisection_is_done (&self->bisection, BISECTION_RESOLUTION))
    {
      /* The first instant that shows the change. */
      self->bisecting = FALSE;
      vg_timeline_notify_bisection (self);
      vg_timeline_seek (self, self->bisection.high, TRUE);
      return;
    }
  vg_timeline_show_bisection (self);
  vg_timeline_notify_bisection (self);
  vg_timeline_seek (self, vg_bisection_get_probe (&self->bisection), TRUE);
}

void
vg_timeline_stop_bisection (VgTimeline *self)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  if (!self->bisecting)
    return;
  self->bisecting = FALSE;
  vg_timeline_notify_bisection (self);
}

gboolean
vg_timeline_get_bisecting (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), FALSE);

  return self->bisecting;
}

guint
vg_timeline_get_bisection_answers_left (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), 0);

  return self->bisecting ? vg_bisection_answers_left (&self->bisection, BISECTION_RESOLUTION) : 0;
}

/* Tracks */

static void
track_changed_cb (VgTimeline *self)
{
  if (self->fit_pending)
    self->fit_pending = !vg_timeline_fit_recorded (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vg_timeline_add_track (VgTimeline       *self,
                       VgRecordingTrack *track)
{
  g_return_if_fail (VG_IS_TIMELINE (self));
  g_return_if_fail (VG_IS_RECORDING_TRACK (track));

  g_ptr_array_add (self->tracks, g_object_ref (track));
  g_signal_connect_object (track, "changed", G_CALLBACK (track_changed_cb), self, G_CONNECT_SWAPPED);
  if (self->active_track < 0)
    vg_timeline_set_active_track (self, 0);
  vg_timeline_schedule_fetch (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
vg_timeline_remove_all_tracks (VgTimeline *self)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  for (guint i = 0; i < self->tracks->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->tracks, i), self);
  g_ptr_array_set_size (self->tracks, 0);
  vg_timeline_set_active_track (self, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
vg_timeline_get_n_tracks (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), 0);

  return self->tracks->len;
}

VgRecordingTrack *
vg_timeline_get_track (VgTimeline *self,
                       guint       index)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (index < self->tracks->len, NULL);

  return g_ptr_array_index (self->tracks, index);
}

VgRecordingTrack *
vg_timeline_get_active_track (VgTimeline *self)
{
  g_return_val_if_fail (VG_IS_TIMELINE (self), NULL);

  if (self->active_track < 0 || self->active_track >= (int) self->tracks->len)
    return NULL;
  return g_ptr_array_index (self->tracks, self->active_track);
}

void
vg_timeline_set_active_track (VgTimeline *self,
                              int         index)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  if (index >= (int) self->tracks->len)
    index = -1;
  if (index == self->active_track)
    return;
  self->active_track = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_TRACK]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Input */

void
vg_timeline_pointer_press (VgTimeline *self,
                           double      x,
                           double      y,
                           gboolean    shift)
{
  int row = y_to_row (self, y);
  gint64 time = x_to_time (self, MAX (x, LABEL_WIDTH));

  if (row >= 0)
    vg_timeline_set_active_track (self, row);
  if (x < LABEL_WIDTH)
    {
      self->drag = DRAG_NONE;
      return;
    }

  self->drag_x = x;
  if (shift)
    {
      self->drag = DRAG_SELECTION;
      self->drag_anchor = time;
      vg_timeline_set_selection (self, time, time);
    }
  else
    {
      self->drag = DRAG_CURSOR;
      vg_timeline_seek (self, time, FALSE);
    }
}

void
vg_timeline_pointer_motion (VgTimeline *self,
                            double      x,
                            double      y)
{
  gint64 time = x_to_time (self, MAX (x, LABEL_WIDTH));

  switch (self->drag)
    {
    case DRAG_CURSOR:
      vg_timeline_seek (self, time, FALSE);
      break;
    case DRAG_SELECTION:
      vg_timeline_set_selection (self, self->drag_anchor, time);
      break;
    case DRAG_PAN:
      {
        gint64 shift = x_to_time (self, self->drag_x) - x_to_time (self, x);

        self->drag_x = x;
        vg_timeline_apply_range (self, self->start + shift, self->end + shift);
      }
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

void
vg_timeline_pointer_release (VgTimeline *self)
{
  DragMode drag = self->drag;

  self->drag = DRAG_NONE;
  if (drag == DRAG_CURSOR)
    g_signal_emit (self, signals[SEEK_REQUESTED], 0, self->cursor, TRUE);
  else if (drag == DRAG_SELECTION && self->selection_end == self->selection_start)
    vg_timeline_clear_selection (self);
}

void
vg_timeline_wheel (VgTimeline *self,
                   double      x,
                   double      dx,
                   double      dy)
{
  if (dy != 0)
    vg_timeline_zoom (self, pow (WHEEL_ZOOM_STEP, dy), x_to_time (self, MAX (x, LABEL_WIDTH)));
  if (dx != 0)
    {
      gint64 shift = (gint64) (dx * (self->end - self->start) / 10);
      vg_timeline_apply_range (self, self->start + shift, self->end + shift);
    }
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               VgTimeline     *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (button == GDK_BUTTON_PRIMARY)
    {
      vg_timeline_pointer_press (self, x, y, (state & GDK_SHIFT_MASK) != 0);
    }
  else
    {
      self->drag = DRAG_PAN;
      self->drag_x = x;
    }
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                VgTimeline     *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  vg_timeline_pointer_motion (self, x + dx, y + dy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             VgTimeline     *self)
{
  vg_timeline_pointer_release (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           VgTimeline               *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = LABEL_WIDTH + track_area_width (self) / 2, y;

  if (event != NULL && gdk_event_get_position (event, &x, &y))
    {
      graphene_point_t point;
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
      double nx, ny;

      /* The event is in the surface's coordinates. */
      gtk_native_get_surface_transform (native, &nx, &ny);
      if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                    &GRAPHENE_POINT_INIT (x - nx, y - ny), &point))
        x = point.x;
    }
  if (state & GDK_CONTROL_MASK)
    vg_timeline_wheel (self, x, 0, dy != 0 ? dy : dx);
  else if (state & GDK_SHIFT_MASK)
    vg_timeline_wheel (self, x, dy, 0);
  else
    vg_timeline_wheel (self, x, dx, dy);
  return TRUE;
}

/* Keyboard (PLAY-9) */

/* One tick of the ruler as it is drawn now. */
VgTickScale
vg_timeline_get_ticks (VgTimeline *self)
{
  return vg_timeline_scale_choose_ticks (self->start, self->end, track_area_width (self),
                                         MIN_TICK_SPACING);
}

/* Pans the least that brings time into sight. */
static void
vg_timeline_reveal (VgTimeline *self,
                    gint64      time)
{
  gint64 span = self->end - self->start;

  if (time < self->start)
    vg_timeline_apply_range (self, time - span / 10, time - span / 10 + span);
  else if (time > self->end)
    vg_timeline_apply_range (self, time + span / 10 - span, time + span / 10);
}

void
vg_timeline_step_cursor (VgTimeline *self,
                         int         n)
{
  VgTickScale ticks;
  gint64 time;

  g_return_if_fail (VG_IS_TIMELINE (self));

  ticks = vg_timeline_get_ticks (self);
  time = vg_timeline_scale_add_ticks (&ticks, self->cursor, n, self->tz);
  vg_timeline_reveal (self, time);
  vg_timeline_seek (self, time, TRUE);
}

void
vg_timeline_step_selection (VgTimeline *self,
                            int         n)
{
  VgTickScale ticks;
  gint64 low, high;

  g_return_if_fail (VG_IS_TIMELINE (self));

  /* A new selection grows from the cursor; one made otherwise is taken over from its
   * end away from the cursor. */
  if (!vg_timeline_get_selection (self, &low, &high))
    self->key_anchor = self->key_edge = self->cursor;
  else if (!((self->key_anchor == low && self->key_edge == high) ||
             (self->key_anchor == high && self->key_edge == low)))
    {
      gboolean cursor_nearer_low = ABS (self->cursor - low) <= ABS (self->cursor - high);

      self->key_anchor = cursor_nearer_low ? low : high;
      self->key_edge = cursor_nearer_low ? high : low;
    }
  ticks = vg_timeline_get_ticks (self);
  self->key_edge = vg_timeline_scale_add_ticks (&ticks, self->key_edge, n, self->tz);
  vg_timeline_reveal (self, self->key_edge);
  vg_timeline_set_selection (self, self->key_anchor, self->key_edge);
}

void
vg_timeline_zoom_at_cursor (VgTimeline *self,
                            double      factor)
{
  g_return_if_fail (VG_IS_TIMELINE (self));

  if (self->cursor >= self->start && self->cursor <= self->end)
    vg_timeline_zoom (self, factor, self->cursor);
  else
    vg_timeline_zoom (self, factor, self->start + (self->end - self->start) / 2);
}

gboolean
vg_timeline_find_boundary (VgTimeline *self,
                           gint64      time,
                           int         direction,
                           gint64     *boundary)
{
  gboolean found = FALSE;

  g_return_val_if_fail (VG_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (direction == 1 || direction == -1, FALSE);

  for (guint i = 0; i < self->tracks->len; i++)
    {
      GArray *spans = vg_recording_track_get_spans (g_ptr_array_index (self->tracks, i));

      for (guint j = 0; j < spans->len; j++)
        {
          const VgTimeRange *span = &g_array_index (spans, VgTimeRange, j);
          gint64 ends[2] = { span->start, span->end };

          for (guint k = 0; k < 2; k++)
            {
              gboolean beyond = direction > 0 ? ends[k] > time : ends[k] < time;
              gboolean nearer = !found || (direction > 0 ? ends[k] < *boundary : ends[k] > *boundary);

              if (beyond && nearer)
                {
                  *boundary = ends[k];
                  found = TRUE;
                }
            }
        }
    }
  return found;
}

void
vg_timeline_jump_boundary (VgTimeline *self,
                           int         direction)
{
  gint64 boundary;

  g_return_if_fail (VG_IS_TIMELINE (self));

  if (!vg_timeline_find_boundary (self, self->cursor, direction < 0 ? -1 : 1, &boundary))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  vg_timeline_reveal (self, boundary);
  vg_timeline_seek (self, boundary, TRUE);
}

static void
step_cursor_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  vg_timeline_step_cursor (VG_TIMELINE (widget), g_variant_get_int32 (parameter));
}

static void
step_selection_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  vg_timeline_step_selection (VG_TIMELINE (widget), g_variant_get_int32 (parameter));
}

static void
zoom_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  /* > 0: in (a shorter span). */
  vg_timeline_zoom_at_cursor (VG_TIMELINE (widget), g_variant_get_int32 (parameter) > 0 ? 1 / KEY_ZOOM_STEP
                                                                                     : KEY_ZOOM_STEP);
}

static void
jump_boundary_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  vg_timeline_jump_boundary (VG_TIMELINE (widget), g_variant_get_int32 (parameter));
}

static void
install_keys (GtkWidgetClass *widget_class)
{
  static const struct {
    guint key;
    GdkModifierType modifiers;
    const char *action;
    int value;
  } keys[] = {
    { GDK_KEY_Left, 0, "timeline.step-cursor", -1 },
    { GDK_KEY_Right, 0, "timeline.step-cursor", 1 },
    { GDK_KEY_KP_Left, 0, "timeline.step-cursor", -1 },
    { GDK_KEY_KP_Right, 0, "timeline.step-cursor", 1 },
    { GDK_KEY_Left, GDK_SHIFT_MASK, "timeline.step-selection", -1 },
    { GDK_KEY_Right, GDK_SHIFT_MASK, "timeline.step-selection", 1 },
    { GDK_KEY_plus, 0, "timeline.zoom", 1 },
    { GDK_KEY_equal, 0, "timeline.zoom", 1 },
    { GDK_KEY_KP_Add, 0, "timeline.zoom", 1 },
    { GDK_KEY_minus, 0, "timeline.zoom", -1 },
    { GDK_KEY_KP_Subtract, 0, "timeline.zoom", -1 },
    { GDK_KEY_Page_Up, 0, "timeline.jump-boundary", -1 },
    { GDK_KEY_Page_Down, 0, "timeline.jump-boundary", 1 },
    { GDK_KEY_KP_Page_Up, 0, "timeline.jump-boundary", -1 },
    { GDK_KEY_KP_Page_Down, 0, "timeline.jump-boundary", 1 },
  };

  gtk_widget_class_install_action (widget_class, "timeline.step-cursor", "i", step_cursor_activated);
  gtk_widget_class_install_action (widget_class, "timeline.step-selection", "i", step_selection_activated);
  gtk_widget_class_install_action (widget_class, "timeline.zoom", "i", zoom_activated);
  gtk_widget_class_install_action (widget_class, "timeline.jump-boundary", "i", jump_boundary_activated);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i].key, keys[i].modifiers, keys[i].action,
                                         "i", keys[i].value);
}

/* GObject */

static void
vg_timeline_state_flags_changed (GtkWidget     *widget,
                                 GtkStateFlags  previous)
{
  /* The focus ring. */
  gtk_widget_queue_draw (widget);
  GTK_WIDGET_CLASS (vg_timeline_parent_class)->state_flags_changed (widget, previous);
}

GtkWidget *
vg_timeline_new (void)
{
  return g_object_new (VG_TYPE_TIMELINE, NULL);
}

static void
vg_timeline_dispose (GObject *object)
{
  VgTimeline *self = VG_TIMELINE (object);

  g_clear_handle_id (&self->fetch_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->tracks != NULL)
    vg_timeline_remove_all_tracks (self);

  G_OBJECT_CLASS (vg_timeline_parent_class)->dispose (object);
}

static void
vg_timeline_finalize (GObject *object)
{
  VgTimeline *self = VG_TIMELINE (object);

  g_ptr_array_unref (self->tracks);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (vg_timeline_parent_class)->finalize (object);
}

static void
vg_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VgTimeline *self = VG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_int64 (value, self->start);
      break;
    case PROP_END:
      g_value_set_int64 (value, self->end);
      break;
    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;
    case PROP_SELECTION_START:
      g_value_set_int64 (value, self->selection_start);
      break;
    case PROP_SELECTION_END:
      g_value_set_int64 (value, self->selection_end);
      break;
    case PROP_ACTIVE_TRACK:
      g_value_set_int (value, self->active_track);
      break;
    case PROP_BISECTING:
      g_value_set_boolean (value, self->bisecting);
      break;
    case PROP_BISECTION_ANSWERS_LEFT:
      g_value_set_uint (value, vg_timeline_get_bisection_answers_left (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VgTimeline *self = VG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_CURSOR:
      vg_timeline_set_cursor (self, g_value_get_int64 (value));
      break;
    case PROP_ACTIVE_TRACK:
      vg_timeline_set_active_track (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
time_property (const char  *name,
               GParamFlags  access)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             access | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
vg_timeline_class_init (VgTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_timeline_dispose;
  object_class->finalize = vg_timeline_finalize;
  object_class->get_property = vg_timeline_get_property;
  object_class->set_property = vg_timeline_set_property;
  widget_class->snapshot = vg_timeline_snapshot;
  widget_class->measure = vg_timeline_measure;
  widget_class->state_flags_changed = vg_timeline_state_flags_changed;

  properties[PROP_START] = time_property ("start", G_PARAM_READABLE);
  properties[PROP_END] = time_property ("end", G_PARAM_READABLE);
  properties[PROP_CURSOR] = time_property ("cursor", G_PARAM_READWRITE);
  properties[PROP_SELECTION_START] = time_property ("selection-start", G_PARAM_READABLE);
  properties[PROP_SELECTION_END] = time_property ("selection-end", G_PARAM_READABLE);
  properties[PROP_ACTIVE_TRACK] =
    g_param_spec_int ("active-track", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BISECTING] =
    g_param_spec_boolean ("bisecting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BISECTION_ANSWERS_LEFT] =
    g_param_spec_uint ("bisection-answers-left", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SEEK_REQUESTED] = g_signal_new ("seek-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  install_keys (widget_class);
  gtk_widget_class_set_css_name (widget_class, "vgtimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
vg_timeline_init (VgTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                     GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  gint64 now = g_get_real_time ();

  self->tracks = g_ptr_array_new_with_free_func (g_object_unref);
  self->active_track = -1;
  self->tz = g_time_zone_new_local ();
  self->cursor = now;
  self->end = now + 5 * G_TIME_SPAN_MINUTE;
  self->start = self->end - G_TIME_SPAN_HOUR;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}
