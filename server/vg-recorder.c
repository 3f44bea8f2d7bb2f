/* vg-recorder.c: one camera stream written to Matroska segments, and indexed (REC-1, REC-2, REC-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-recorder.h"
#include "vg-mkv-writer.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define MAX_TRACKS 4
#define INDEX_EVERY_US (5 * G_USEC_PER_SEC)
#define MIN_FIRST_SEGMENT_S 10
#define CUT_TOLERANCE_US (200 * 1000)

struct _VgRecorder
{
  GObject           parent_instance;

  VgRecordingIndex *index;
  GMainContext     *context;        /* where index rows and signals go */
  gint              disk_id;
  char             *disk_path;
  gint64            camera_id;
  char             *stream;
  gint64            segment_us;
  gint64            first_segment_us;

  /* Operations handed over by the ingest thread, run in order by the write pool. */
  GMutex            queue_lock;
  GCond             queue_cond;
  GQueue            queue;          /* Op */
  gboolean          scheduled;      /* the pool has (or will) run this recorder */
  gsize             queued_bytes;
  gboolean          overflowing;    /* dropping units until the next keyframe */
  guint64           done_serial;    /* ops completed, for vg_recorder_stop */
  guint64           next_serial;

  /* Written only by the write pool (one op of a recorder at a time). */
  VgTrackInfo      *tracks[MAX_TRACKS];
  guint             n_tracks;
  VgMkvWriter      *writer;
  char             *relative_path;
  gint64            segment_start_us;
  gint64            last_indexed_us;   /* monotonic */
  guint64           n_segments;     /* atomic reads */
  gboolean          failed;            /* a write failed: wait for a keyframe to retry */
};

typedef enum {
  OP_TRACKS,
  OP_UNIT,
  OP_CUT,
} OpType;

typedef struct
{
  OpType        type;
  guint64       serial;
  VgAccessUnit *unit;
  VgTrackInfo  *tracks[MAX_TRACKS];
  guint         n_tracks;
} Op;

/* Writing (and its fdatasync once per GOP) happens off the ingest thread, which
 * serves every camera: a slow disk must not hold up the capture. Two threads write
 * for every recorder of the node; each recorder's operations stay in order. */
#define WRITE_THREADS 2
/* What one recorder may have waiting for the disk before it drops video. */
#define MAX_QUEUED_BYTES (64 * 1024 * 1024)

static GThreadPool *write_pool;

G_DEFINE_TYPE (VgRecorder, vg_recorder, G_TYPE_OBJECT)

enum {
  WRITE_FAILED,
  DISK_FULL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void close_segment (VgRecorder *self);
static void run_ops (gpointer data, gpointer user_data);

static void
op_free (Op *op)
{
  g_clear_pointer (&op->unit, vg_access_unit_unref);
  for (guint i = 0; i < op->n_tracks; i++)
    vg_track_info_free (op->tracks[i]);
  g_free (op);
}

static void
clear_tracks (VgRecorder *self)
{
  for (guint i = 0; i < self->n_tracks; i++)
    g_clear_pointer (&self->tracks[i], vg_track_info_free);
  self->n_tracks = 0;
}

static void
vg_recorder_finalize (GObject *object)
{
  VgRecorder *self = VG_RECORDER (object);

  /* Nothing is queued or running: the pool holds a reference while it is. */
  close_segment (self);
  g_queue_clear_full (&self->queue, (GDestroyNotify) op_free);
  clear_tracks (self);
  g_clear_object (&self->index);
  g_main_context_unref (self->context);
  g_free (self->disk_path);
  g_free (self->stream);
  g_mutex_clear (&self->queue_lock);
  g_cond_clear (&self->queue_cond);
  G_OBJECT_CLASS (vg_recorder_parent_class)->finalize (object);
}

static void
vg_recorder_class_init (VgRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_recorder_finalize;

  signals[WRITE_FAILED] = g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DISK_FULL] = g_signal_new ("disk-full", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
vg_recorder_init (VgRecorder *self)
{
  g_mutex_init (&self->queue_lock);
  g_cond_init (&self->queue_cond);
  g_queue_init (&self->queue);
}

VgRecorder *
vg_recorder_new (VgRecordingIndex *index, VgDisk *disk, gint64 camera_id, const char *stream,
                 guint segment_seconds)
{
  VgRecorder *self = g_object_new (VG_TYPE_RECORDER, NULL);
  static gsize pool_ready = 0;
  guint stagger;

  if (g_once_init_enter (&pool_ready))
    {
      write_pool = g_thread_pool_new (run_ops, NULL, WRITE_THREADS, FALSE, NULL);
      g_once_init_leave (&pool_ready, 1);
    }
  self->index = g_object_ref (index);
  self->context = g_main_context_ref_thread_default ();
  self->disk_id = disk->id;
  self->disk_path = g_strdup (disk->path);
  self->camera_id = camera_id;
  self->stream = g_strdup (stream);
  self->segment_us = (gint64) MAX (segment_seconds, 2u) * G_USEC_PER_SEC;
  /* Rollovers spread over the minute: camera 1 cuts first after 13 s, camera 2 after 26 s… */
  stagger = (guint) ((camera_id * 13 + g_str_hash (stream)) % MAX (segment_seconds, 1u));
  self->first_segment_us = MAX ((gint64) stagger * G_USEC_PER_SEC,
                                MIN ((gint64) MIN_FIRST_SEGMENT_S * G_USEC_PER_SEC, self->segment_us));
  return self;
}

/* Index rows and failures reach the main context */

typedef struct
{
  VgRecorder    *recorder;
  VgSegmentInfo *info;
  char          *failure;
  gboolean       disk_full;
} Post;

static gboolean
post_cb (gpointer data)
{
  Post *post = data;

  if (post->info)
    vg_recording_index_put (post->recorder->index, post->info);
  if (post->failure)
    g_signal_emit (post->recorder, signals[WRITE_FAILED], 0, post->failure);
  if (post->disk_full)
    g_signal_emit (post->recorder, signals[DISK_FULL], 0, post->recorder->disk_id);
  return G_SOURCE_REMOVE;
}

static void
post_free (gpointer data)
{
  Post *post = data;

  g_object_unref (post->recorder);
  vg_segment_info_free (post->info);
  g_free (post->failure);
  g_free (post);
}

static void
post_full (VgRecorder *self, VgSegmentInfo *info, char *failure, gboolean disk_full)
{
  Post *message = g_new0 (Post, 1);

  message->recorder = g_object_ref (self);
  message->info = info;
  message->failure = failure;
  message->disk_full = disk_full;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, post_cb, message, post_free);
}

static void
post (VgRecorder *self, VgSegmentInfo *info, char *failure)
{
  post_full (self, info, failure, FALSE);
}

static VgSegmentInfo *
segment_info (VgRecorder *self, gboolean open)
{
  VgSegmentInfo *info = g_new0 (VgSegmentInfo, 1);
  guint n_keyframes = 0;
  const VgMkvKeyframe *keyframes = vg_mkv_writer_get_keyframes (self->writer, &n_keyframes);

  info->camera_id = self->camera_id;
  info->stream = g_strdup (self->stream);
  info->disk_id = self->disk_id;
  info->path = g_strdup (self->relative_path);
  info->start_us = vg_mkv_writer_get_first_time (self->writer);
  info->end_us = MAX (vg_mkv_writer_get_last_time (self->writer), info->start_us);
  info->bytes = (gint64) vg_mkv_writer_get_size (self->writer);
  info->frames = (guint) vg_mkv_writer_get_n_frames (self->writer);
  info->keyframes = vg_mkv_keyframe_index_pack (keyframes, n_keyframes);
  info->open = open;
  return info;
}

static void
write_failed (VgRecorder *self, const char *what, const GError *error)
{
  g_autofree char *message = g_strdup_printf ("camera %" G_GINT64_FORMAT " %s: %s %s: %s", self->camera_id,
                                              self->stream, what,
                                              self->relative_path ? self->relative_path : "a segment",
                                              error->message);

  g_warning ("%s", message);
  close_segment (self);
  self->failed = TRUE;
  /* A full disk asks for a purge now; the next keyframe opens a new segment. */
  post_full (self, NULL, g_steal_pointer (&message), g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE));
}

/* Segments (write pool) */

static void
close_segment (VgRecorder *self)
{
  g_autoptr(GError) error = NULL;

  if (self->writer == NULL)
    return;
  if (!vg_mkv_writer_close (self->writer, &error))
    g_warning ("closing %s: %s", self->relative_path, error->message);
  if (vg_mkv_writer_get_n_frames (self->writer) > 0)
    post (self, segment_info (self, FALSE), NULL);
  else
    {
      /* Nothing worth keeping (a keyframe that never completed): no row, no file. */
      g_autofree char *path = g_build_filename (self->disk_path, self->relative_path, NULL);
      g_unlink (path);
    }
  g_clear_pointer (&self->writer, vg_mkv_writer_free);
  g_clear_pointer (&self->relative_path, g_free);
}

static gboolean
open_segment (VgRecorder *self, gint64 start_us)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  self->relative_path = vg_storage_segment_path (self->camera_id, self->stream, start_us);
  path = g_build_filename (self->disk_path, self->relative_path, NULL);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      write_failed (self, "cannot create the directory of", error);
      return FALSE;
    }
  self->writer = vg_mkv_writer_new (path, self->tracks, self->n_tracks, &error);
  if (self->writer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      /* Two segments starting in the same millisecond (a restart): another name. */
      g_autofree char *other = g_strdup_printf ("%.*s-%" G_GINT64_FORMAT ".mkv",
                                                (int) strlen (self->relative_path) - 4, self->relative_path,
                                                g_get_monotonic_time ());
      g_clear_error (&error);
      g_free (self->relative_path);
      self->relative_path = g_steal_pointer (&other);
      g_free (path);
      path = g_build_filename (self->disk_path, self->relative_path, NULL);
      self->writer = vg_mkv_writer_new (path, self->tracks, self->n_tracks, &error);
    }
  if (self->writer == NULL)
    {
      write_failed (self, "cannot create", error);
      return FALSE;
    }
  self->segment_start_us = start_us;
  self->last_indexed_us = 0;
  self->n_segments++;
  self->failed = FALSE;
  return TRUE;
}

static gboolean
segment_is_full (VgRecorder *self, gint64 time_us)
{
  gint64 target = self->n_segments <= 1 ? self->first_segment_us : self->segment_us;

  /* Arrival times jitter: a keyframe a little early still ends the segment, or every
   * segment would last one GOP too long. */
  return time_us - self->segment_start_us >= target - CUT_TOLERANCE_US;
}

/* The operations, in the write pool */

static void
apply_tracks (VgRecorder *self, Op *op)
{
  /* New parameters: the segment ends; the next keyframe starts one described anew. */
  close_segment (self);
  clear_tracks (self);
  for (guint i = 0; i < op->n_tracks; i++)
    if (vg_mkv_track_supported (op->tracks[i], NULL))
      self->tracks[self->n_tracks++] = g_steal_pointer (&op->tracks[i]);
}

static void
apply_unit (VgRecorder *self, VgAccessUnit *unit)
{
  g_autoptr(GError) error = NULL;
  gint64 now;

  if (self->n_tracks == 0)
    return;

  if (unit->keyframe && vg_codec_is_video (unit->codec))
    {
      if (self->writer && segment_is_full (self, unit->time_us))
        close_segment (self);
      if (self->writer == NULL && !open_segment (self, unit->time_us))
        return;
    }
  if (self->writer == NULL)
    return;   /* waiting for a keyframe */

  if (!vg_mkv_writer_write (self->writer, unit, &error))
    {
      if (g_error_matches (error, VG_MKV_ERROR, VG_MKV_ERROR_TIME_WENT_BACK))
        {
          /* The camera's clock stepped back: a new segment at the next keyframe. */
          g_message ("camera %" G_GINT64_FORMAT " %s: time went back; new segment", self->camera_id, self->stream);
          close_segment (self);
          return;
        }
      if (g_error_matches (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID))
        return;   /* one unit the muxer refuses: skip it */
      write_failed (self, "cannot write", error);
      return;
    }

  /* The index follows the segment as it grows (a crash loses no row), from the moment
   * the file holds a frame: a segment that fails before (disk full) leaves neither a
   * file nor a row. */
  now = g_get_monotonic_time ();
  if (vg_mkv_writer_get_n_durable_frames (self->writer) > 0 &&
      (self->last_indexed_us == 0 || now - self->last_indexed_us >= INDEX_EVERY_US))
    {
      self->last_indexed_us = now;
      post (self, segment_info (self, TRUE), NULL);
    }
}

static void
run_ops (gpointer data, gpointer user_data)
{
  g_autoptr(VgRecorder) self = data;

  for (;;)
    {
      Op *op;

      g_mutex_lock (&self->queue_lock);
      op = g_queue_pop_head (&self->queue);
      if (op == NULL)
        {
          self->scheduled = FALSE;
          g_mutex_unlock (&self->queue_lock);
          return;
        }
      if (op->unit)
        self->queued_bytes -= op->unit->size;
      g_mutex_unlock (&self->queue_lock);

      switch (op->type)
        {
        case OP_TRACKS:
          apply_tracks (self, op);
          break;
        case OP_UNIT:
          apply_unit (self, op->unit);
          break;
        case OP_CUT:
        default:
          close_segment (self);
          break;
        }

      g_mutex_lock (&self->queue_lock);
      self->done_serial = op->serial;
      g_cond_broadcast (&self->queue_cond);
      g_mutex_unlock (&self->queue_lock);
      op_free (op);
    }
}

static guint64
enqueue (VgRecorder *self, Op *op)
{
  guint64 serial;

  g_mutex_lock (&self->queue_lock);
  serial = op->serial = ++self->next_serial;
  if (op->unit)
    self->queued_bytes += op->unit->size;
  g_queue_push_tail (&self->queue, op);
  if (!self->scheduled)
    {
      self->scheduled = TRUE;
      g_thread_pool_push (write_pool, g_object_ref (self), NULL);
    }
  g_mutex_unlock (&self->queue_lock);
  return serial;
}

/* Ingest thread */

void
vg_recorder_set_tracks (VgRecorder *self, VgTrackInfo **tracks, guint n_tracks)
{
  Op *op;

  g_return_if_fail (VG_IS_RECORDER (self));

  op = g_new0 (Op, 1);
  op->type = OP_TRACKS;
  for (guint i = 0; i < n_tracks && op->n_tracks < MAX_TRACKS; i++)
    op->tracks[op->n_tracks++] = vg_track_info_copy (tracks[i]);
  enqueue (self, op);
}

void
vg_recorder_push (VgRecorder *self, VgAccessUnit *unit)
{
  gboolean drop;
  Op *op;

  g_return_if_fail (VG_IS_RECORDER (self));

  /* A disk that cannot keep up: drop video rather than memory, then start again at a
   * keyframe (the index shows the hole). */
  g_mutex_lock (&self->queue_lock);
  if (self->queued_bytes + unit->size > MAX_QUEUED_BYTES)
    {
      if (!self->overflowing)
        g_warning ("camera %" G_GINT64_FORMAT " %s: the disk does not keep up; dropping video",
                   self->camera_id, self->stream);
      self->overflowing = TRUE;
    }
  else if (self->overflowing && unit->keyframe && vg_codec_is_video (unit->codec))
    self->overflowing = FALSE;
  drop = self->overflowing;
  g_mutex_unlock (&self->queue_lock);
  if (drop)
    return;

  op = g_new0 (Op, 1);
  op->type = OP_UNIT;
  op->unit = vg_access_unit_ref (unit);
  enqueue (self, op);
}

void
vg_recorder_cut (VgRecorder *self)
{
  Op *op;

  g_return_if_fail (VG_IS_RECORDER (self));
  op = g_new0 (Op, 1);
  op->type = OP_CUT;
  enqueue (self, op);
}

void
vg_recorder_stop (VgRecorder *self)
{
  Op *op;
  guint64 serial;

  g_return_if_fail (VG_IS_RECORDER (self));
  if (write_pool == NULL)
    return;
  /* Everything queued is written, then the segment is closed; wait for it. */
  op = g_new0 (Op, 1);
  op->type = OP_CUT;
  serial = enqueue (self, op);
  g_mutex_lock (&self->queue_lock);
  while (self->done_serial < serial)
    g_cond_wait (&self->queue_cond, &self->queue_lock);
  g_mutex_unlock (&self->queue_lock);
}
