/* vg-playback-clock.c: the instant and speed of playback, shared by synchronised players
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-playback-clock.h"

#include <math.h>

#define TICK_MS 10

struct _VgPlaybackClock
{
  GObject  parent_instance;

  gint64   anchor_position;   /* UTC µs at anchor_monotonic */
  gint64   anchor_monotonic;
  double   speed;
  gboolean playing;
  guint    tick_id;
};

enum {
  PROP_0,
  PROP_SPEED,
  PROP_PLAYING,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_TICK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VgPlaybackClock, vg_playback_clock, G_TYPE_OBJECT)

double
vg_playback_clock_clamp_speed (double speed)
{
  double magnitude = CLAMP (fabs (speed), VG_PLAYBACK_SPEED_MIN, VG_PLAYBACK_SPEED_MAX);

  return speed < 0 ? -magnitude : magnitude;
}

static gint64
position_at (VgPlaybackClock *self,
             gint64           monotonic)
{
  if (!self->playing)
    return self->anchor_position;
  return self->anchor_position + (gint64) ((double) (monotonic - self->anchor_monotonic) * self->speed);
}

static void
reanchor (VgPlaybackClock *self)
{
  gint64 now = g_get_monotonic_time ();

  self->anchor_position = position_at (self, now);
  self->anchor_monotonic = now;
}

static gboolean
tick_cb (gpointer user_data)
{
  VgPlaybackClock *self = user_data;

  g_signal_emit (self, signals[SIGNAL_TICK], 0);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (VgPlaybackClock *self)
{
  if (self->playing && self->tick_id == 0)
    self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
  else if (!self->playing)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

gint64
vg_playback_clock_get_position (VgPlaybackClock *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_CLOCK (self), 0);

  return position_at (self, g_get_monotonic_time ());
}

gint64
vg_playback_clock_get_position_at (VgPlaybackClock *self,
                                   gint64           monotonic_us)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_CLOCK (self), 0);

  return position_at (self, monotonic_us);
}

void
vg_playback_clock_seek (VgPlaybackClock *self,
                        gint64           time_us)
{
  g_return_if_fail (VG_IS_PLAYBACK_CLOCK (self));

  self->anchor_position = time_us;
  self->anchor_monotonic = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

double
vg_playback_clock_get_speed (VgPlaybackClock *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_CLOCK (self), 1.0);

  return self->speed;
}

void
vg_playback_clock_set_speed (VgPlaybackClock *self,
                             double           speed)
{
  g_return_if_fail (VG_IS_PLAYBACK_CLOCK (self));
  g_return_if_fail (speed != 0);

  speed = vg_playback_clock_clamp_speed (speed);
  if (speed == self->speed)
    return;
  reanchor (self);
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
vg_playback_clock_get_playing (VgPlaybackClock *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_CLOCK (self), FALSE);

  return self->playing;
}

void
vg_playback_clock_set_playing (VgPlaybackClock *self,
                               gboolean         playing)
{
  g_return_if_fail (VG_IS_PLAYBACK_CLOCK (self));

  playing = !!playing;
  if (playing == self->playing)
    return;
  reanchor (self);
  self->playing = playing;
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
vg_playback_clock_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VgPlaybackClock *self = VG_PLAYBACK_CLOCK (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_clock_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VgPlaybackClock *self = VG_PLAYBACK_CLOCK (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      vg_playback_clock_set_speed (self, g_value_get_double (value));
      break;
    case PROP_PLAYING:
      vg_playback_clock_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_clock_dispose (GObject *object)
{
  VgPlaybackClock *self = VG_PLAYBACK_CLOCK (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  G_OBJECT_CLASS (vg_playback_clock_parent_class)->dispose (object);
}

static void
vg_playback_clock_class_init (VgPlaybackClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vg_playback_clock_get_property;
  object_class->set_property = vg_playback_clock_set_property;
  object_class->dispose = vg_playback_clock_dispose;

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, -VG_PLAYBACK_SPEED_MAX, VG_PLAYBACK_SPEED_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_playback_clock_init (VgPlaybackClock *self)
{
  self->speed = 1.0;
  self->anchor_monotonic = g_get_monotonic_time ();
}

VgPlaybackClock *
vg_playback_clock_new (void)
{
  return g_object_new (VG_TYPE_PLAYBACK_CLOCK, NULL);
}
