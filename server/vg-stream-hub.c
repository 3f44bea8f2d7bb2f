/* vg-stream-hub.c: one camera stream's access units, handed to its recorder and its viewers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-stream-hub.h"
#include "vg-gop-cache.h"

/* Fewer pictures than this in the current group: the previous one goes too
 * (FINDINGS §2, trap 7). */
#define MIN_BURST_PICTURES 20

typedef struct
{
  guint                   id;
  const VgHubViewerFuncs *funcs;
  gpointer                user_data;
} Viewer;

struct _VgStreamHub
{
  GObject       parent_instance;

  gint64        camera_id;
  char         *stream;
  GMainContext *context;      /* where "demand-changed" is emitted */

  GMutex        lock;
  GCond         tracks_cond;
  VgRecorder   *recorder;
  GPtrArray    *tracks;       /* VgTrackInfo *, or NULL before the first connection */
  VgGopCache   *cache;
  GArray       *viewers;      /* Viewer */
  guint         next_viewer_id;
};

G_DEFINE_TYPE (VgStreamHub, vg_stream_hub, G_TYPE_OBJECT)

enum {
  DEMAND_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vg_stream_hub_finalize (GObject *object)
{
  VgStreamHub *self = VG_STREAM_HUB (object);

  g_clear_object (&self->recorder);
  g_clear_pointer (&self->tracks, g_ptr_array_unref);
  vg_gop_cache_free (self->cache);
  g_array_unref (self->viewers);
  g_main_context_unref (self->context);
  g_free (self->stream);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->tracks_cond);
  G_OBJECT_CLASS (vg_stream_hub_parent_class)->finalize (object);
}

static void
vg_stream_hub_class_init (VgStreamHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_stream_hub_finalize;

  signals[DEMAND_CHANGED] = g_signal_new ("demand-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_stream_hub_init (VgStreamHub *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->tracks_cond);
  self->cache = vg_gop_cache_new (0, MIN_BURST_PICTURES);
  self->viewers = g_array_new (FALSE, FALSE, sizeof (Viewer));
  self->next_viewer_id = 1;
}

VgStreamHub *
vg_stream_hub_new (gint64 camera_id, const char *stream)
{
  VgStreamHub *self = g_object_new (VG_TYPE_STREAM_HUB, NULL);

  self->camera_id = camera_id;
  self->stream = g_strdup (stream);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

gint64
vg_stream_hub_get_camera_id (VgStreamHub *self)
{
  g_return_val_if_fail (VG_IS_STREAM_HUB (self), 0);
  return self->camera_id;
}

const char *
vg_stream_hub_get_stream (VgStreamHub *self)
{
  g_return_val_if_fail (VG_IS_STREAM_HUB (self), NULL);
  return self->stream;
}

VgRecorder *
vg_stream_hub_swap_recorder (VgStreamHub *self, VgRecorder *recorder)
{
  VgRecorder *previous;

  g_return_val_if_fail (VG_IS_STREAM_HUB (self), NULL);
  g_mutex_lock (&self->lock);
  previous = self->recorder;
  self->recorder = recorder ? g_object_ref (recorder) : NULL;
  if (recorder && self->tracks)
    vg_recorder_set_tracks (recorder, (VgTrackInfo **) self->tracks->pdata, self->tracks->len);
  g_mutex_unlock (&self->lock);
  return previous;
}

/* Ingest side */

static GPtrArray *
copy_tracks (VgTrackInfo **tracks, guint n_tracks)
{
  GPtrArray *copy = g_ptr_array_new_full (n_tracks, (GDestroyNotify) vg_track_info_free);

  for (guint i = 0; i < n_tracks; i++)
    g_ptr_array_add (copy, vg_track_info_copy (tracks[i]));
  return copy;
}

void
vg_stream_hub_push_tracks (VgStreamHub *self, VgTrackInfo **tracks, guint n_tracks)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->tracks, g_ptr_array_unref);
  self->tracks = copy_tracks (tracks, n_tracks);
  vg_gop_cache_clear (self->cache);
  if (self->recorder)
    vg_recorder_set_tracks (self->recorder, tracks, n_tracks);
  for (guint i = 0; i < self->viewers->len; i++)
    {
      Viewer *viewer = &g_array_index (self->viewers, Viewer, i);
      viewer->funcs->tracks (viewer->user_data, tracks, n_tracks);
    }
  g_cond_broadcast (&self->tracks_cond);
  g_mutex_unlock (&self->lock);
}

void
vg_stream_hub_push_unit (VgStreamHub *self, VgAccessUnit *unit)
{
  g_mutex_lock (&self->lock);
  if (self->recorder)
    vg_recorder_push (self->recorder, unit);
  vg_gop_cache_push (self->cache, unit);
  for (guint i = 0; i < self->viewers->len; i++)
    {
      Viewer *viewer = &g_array_index (self->viewers, Viewer, i);
      viewer->funcs->unit (viewer->user_data, unit, FALSE);
    }
  g_mutex_unlock (&self->lock);
}

void
vg_stream_hub_push_lost (VgStreamHub *self)
{
  g_mutex_lock (&self->lock);
  if (self->recorder)
    vg_recorder_cut (self->recorder);
  vg_gop_cache_clear (self->cache);
  for (guint i = 0; i < self->viewers->len; i++)
    {
      Viewer *viewer = &g_array_index (self->viewers, Viewer, i);
      viewer->funcs->lost (viewer->user_data);
    }
  g_mutex_unlock (&self->lock);
}

/* Viewers */

static gboolean
emit_demand_changed (gpointer data)
{
  g_signal_emit (data, signals[DEMAND_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
schedule_demand_changed (VgStreamHub *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_demand_changed,
                              g_object_ref (self), g_object_unref);
}

static void
give_cache (VgStreamHub *self, const Viewer *viewer)
{
  g_autoptr(GPtrArray) units = vg_gop_cache_dup (self->cache);

  if (self->tracks)
    viewer->funcs->tracks (viewer->user_data, (VgTrackInfo **) self->tracks->pdata, self->tracks->len);
  for (guint i = 0; i < units->len; i++)
    viewer->funcs->unit (viewer->user_data, units->pdata[i], TRUE);
}

guint
vg_stream_hub_add_viewer (VgStreamHub *self, const VgHubViewerFuncs *funcs, gpointer user_data)
{
  Viewer viewer = { 0, funcs, user_data };

  g_return_val_if_fail (VG_IS_STREAM_HUB (self), 0);
  g_return_val_if_fail (funcs != NULL, 0);

  g_mutex_lock (&self->lock);
  viewer.id = self->next_viewer_id++;
  give_cache (self, &viewer);
  g_array_append_val (self->viewers, viewer);
  g_mutex_unlock (&self->lock);
  schedule_demand_changed (self);
  return viewer.id;
}

void
vg_stream_hub_remove_viewer (VgStreamHub *self, guint viewer_id)
{
  gboolean removed = FALSE;

  g_return_if_fail (VG_IS_STREAM_HUB (self));
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->viewers->len && !removed; i++)
    if (g_array_index (self->viewers, Viewer, i).id == viewer_id)
      {
        g_array_remove_index_fast (self->viewers, i);
        removed = TRUE;
      }
  g_mutex_unlock (&self->lock);
  if (removed)
    schedule_demand_changed (self);
}

guint
vg_stream_hub_get_n_viewers (VgStreamHub *self)
{
  guint n;

  g_return_val_if_fail (VG_IS_STREAM_HUB (self), 0);
  g_mutex_lock (&self->lock);
  n = self->viewers->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/* H.264 and H.265 need their parameter sets before a payloader can describe them. */
static gboolean
tracks_ready (GPtrArray *tracks)
{
  if (tracks == NULL || tracks->len == 0)
    return FALSE;
  for (guint i = 0; i < tracks->len; i++)
    {
      const VgTrackInfo *info = tracks->pdata[i];

      if ((info->codec == VG_CODEC_H264 || info->codec == VG_CODEC_H265) && info->codec_private == NULL)
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
vg_stream_hub_wait_tracks (VgStreamHub *self, gint64 timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;
  GPtrArray *copy = NULL;

  g_return_val_if_fail (VG_IS_STREAM_HUB (self), NULL);
  g_mutex_lock (&self->lock);
  while (!tracks_ready (self->tracks))
    if (!g_cond_wait_until (&self->tracks_cond, &self->lock, end))
      break;
  if (tracks_ready (self->tracks))
    copy = copy_tracks ((VgTrackInfo **) self->tracks->pdata, self->tracks->len);
  g_mutex_unlock (&self->lock);
  return copy;
}
