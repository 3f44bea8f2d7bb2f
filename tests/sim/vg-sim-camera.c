/* vg-sim-camera.c: the state of a simulated camera's streams.
 *
 * States change on the main thread (control API); streaming threads and the
 * pacing timer read them and count frames with atomics. */
#include "vg-sim-camera.h"

#include <string.h>

typedef struct {
  gint state;                   /* VgSimState, atomic */
  gint garbage;                 /* atomic */
  guint frames_sent;            /* atomic */
  guint garbage_sent;           /* atomic */
  guint rtcp_received;          /* atomic: RTCP packets from viewers (receiver reports) */
  guint garbage_id;
} Stream;

struct _VgSimCamera {
  GObject parent_instance;

  guint index;
  Stream streams[VG_SIM_N_STREAMS];
};

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VgSimCamera, vg_sim_camera, G_TYPE_OBJECT)

static const char *const stream_names[VG_SIM_N_STREAMS] = { "main", "sub", "h265", "mjpeg" };

const char *
vg_sim_stream_kind_to_string (VgSimStreamKind kind)
{
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, NULL);
  return stream_names[kind];
}

gboolean
vg_sim_stream_kind_from_string (const char *name, VgSimStreamKind *kind)
{
  for (guint i = 0; i < VG_SIM_N_STREAMS; i++) {
    if (g_strcmp0 (name, stream_names[i]) == 0) {
      *kind = i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
vg_sim_state_to_string (VgSimState state)
{
  static const char *const names[] = { "running", "stalled", "stopped" };

  g_return_val_if_fail (state <= VG_SIM_STATE_STOPPED, NULL);
  return names[state];
}

static void
vg_sim_camera_dispose (GObject *object)
{
  VgSimCamera *self = VG_SIM_CAMERA (object);

  for (guint i = 0; i < VG_SIM_N_STREAMS; i++)
    g_clear_handle_id (&self->streams[i].garbage_id, g_source_remove);

  G_OBJECT_CLASS (vg_sim_camera_parent_class)->dispose (object);
}

static void
vg_sim_camera_class_init (VgSimCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vg_sim_camera_dispose;

  /**
   * VgSimCamera::state-changed:
   * @kind: the VgSimStreamKind whose state or garbage flag changed
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
vg_sim_camera_init (VgSimCamera *self)
{
}

VgSimCamera *
vg_sim_camera_new (guint index)
{
  VgSimCamera *self;

  g_return_val_if_fail (index > 0, NULL);

  self = g_object_new (VG_SIM_TYPE_CAMERA, NULL);
  self->index = index;
  return self;
}

guint
vg_sim_camera_get_index (VgSimCamera *self)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), 0);
  return self->index;
}

VgSimAudio
vg_sim_camera_get_audio (VgSimCamera *self)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), VG_SIM_AUDIO_NONE);

  switch (self->index % 4) {
  case 2:
    return VG_SIM_AUDIO_AAC;
  case 3:
    return VG_SIM_AUDIO_PCMA;
  default:
    return VG_SIM_AUDIO_NONE;
  }
}

VgSimState
vg_sim_camera_get_state (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), VG_SIM_STATE_STOPPED);
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, VG_SIM_STATE_STOPPED);
  return g_atomic_int_get (&self->streams[kind].state);
}

gboolean
vg_sim_camera_is_garbage (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, FALSE);
  return g_atomic_int_get (&self->streams[kind].garbage);
}

void
vg_sim_camera_count_frame (VgSimCamera *self, VgSimStreamKind kind, gboolean garbage)
{
  g_return_if_fail (VG_SIM_IS_CAMERA (self));
  g_return_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS);

  if (garbage)
    g_atomic_int_inc (&self->streams[kind].garbage_sent);
  else
    g_atomic_int_inc (&self->streams[kind].frames_sent);
}

guint
vg_sim_camera_get_frames_sent (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), 0);
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, 0);
  return g_atomic_int_get (&self->streams[kind].frames_sent);
}

void
vg_sim_camera_count_rtcp (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_if_fail (VG_SIM_IS_CAMERA (self));
  g_return_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS);

  g_atomic_int_inc (&self->streams[kind].rtcp_received);
}

guint
vg_sim_camera_get_rtcp_received (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), 0);
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, 0);
  return g_atomic_int_get (&self->streams[kind].rtcp_received);
}

guint
vg_sim_camera_get_garbage_sent (VgSimCamera *self, VgSimStreamKind kind)
{
  g_return_val_if_fail (VG_SIM_IS_CAMERA (self), 0);
  g_return_val_if_fail (kind >= 0 && kind < VG_SIM_N_STREAMS, 0);
  return g_atomic_int_get (&self->streams[kind].garbage_sent);
}

static void
end_garbage (VgSimCamera *self, VgSimStreamKind kind)
{
  Stream *stream = &self->streams[kind];

  g_clear_handle_id (&stream->garbage_id, g_source_remove);
  if (g_atomic_int_compare_and_exchange (&stream->garbage, TRUE, FALSE))
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (gint) kind);
}

void
vg_sim_camera_set_state (VgSimCamera *self, VgSimStreamKind kind, VgSimState state)
{
  g_return_if_fail (VG_SIM_IS_CAMERA (self));
  g_return_if_fail (kind >= VG_SIM_STREAM_ALL && kind < VG_SIM_N_STREAMS);

  if (kind == VG_SIM_STREAM_ALL) {
    for (guint i = 0; i < VG_SIM_N_STREAMS; i++)
      vg_sim_camera_set_state (self, i, state);
    return;
  }

  if (state == VG_SIM_STATE_RUNNING)
    end_garbage (self, kind);
  if (g_atomic_int_get (&self->streams[kind].state) == (gint) state)
    return;
  g_atomic_int_set (&self->streams[kind].state, state);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (gint) kind);
}

typedef struct {
  VgSimCamera *camera;
  VgSimStreamKind kind;
} GarbageEnd;

static gboolean
garbage_timeout_cb (gpointer user_data)
{
  GarbageEnd *end = user_data;

  end->camera->streams[end->kind].garbage_id = 0;
  end_garbage (end->camera, end->kind);
  return G_SOURCE_REMOVE;
}

void
vg_sim_camera_send_garbage (VgSimCamera *self, VgSimStreamKind kind, guint seconds)
{
  Stream *stream;
  GarbageEnd *end;

  g_return_if_fail (VG_SIM_IS_CAMERA (self));
  g_return_if_fail (kind >= VG_SIM_STREAM_ALL && kind < VG_SIM_N_STREAMS);
  g_return_if_fail (seconds > 0);

  if (kind == VG_SIM_STREAM_ALL) {
    for (guint i = 0; i < VG_SIM_N_STREAMS; i++)
      vg_sim_camera_send_garbage (self, i, seconds);
    return;
  }

  stream = &self->streams[kind];
  end = g_new (GarbageEnd, 1);
  end->camera = self;
  end->kind = kind;
  g_clear_handle_id (&stream->garbage_id, g_source_remove);
  stream->garbage_id = g_timeout_add_full (G_PRIORITY_DEFAULT, seconds * 1000,
                                           garbage_timeout_cb, end, g_free);
  if (!g_atomic_int_get (&stream->garbage)) {
    g_atomic_int_set (&stream->garbage, TRUE);
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (gint) kind);
  }
}
