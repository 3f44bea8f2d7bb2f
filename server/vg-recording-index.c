/* vg-recording-index.c: the recording index in PostgreSQL: segments written, spans read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-recording-index.h"
#include "vg-error.h"

#define FLUSH_DELAY_MS 1000
#define RETRY_DELAY_MS 2000
#define MAX_BATCH 200

struct _VgRecordingIndex
{
  GObject     parent_instance;

  VgDatabase *database;
  GQueue      pending;      /* VgSegmentInfo, oldest first */
  GPtrArray  *in_flight;    /* the batch the database is writing */
  guint       flush_id;
  GSList     *flush_waiters; /* GTask */
};

G_DEFINE_TYPE (VgRecordingIndex, vg_recording_index, G_TYPE_OBJECT)

static void schedule_flush (VgRecordingIndex *self, guint delay_ms);

VgSegmentInfo *
vg_segment_info_copy (const VgSegmentInfo *info)
{
  VgSegmentInfo *copy = g_memdup2 (info, sizeof *info);

  copy->stream = g_strdup (info->stream);
  copy->path = g_strdup (info->path);
  if (info->keyframes)
    copy->keyframes = g_bytes_ref (info->keyframes);
  return copy;
}

void
vg_segment_info_free (VgSegmentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->stream);
  g_free (info->path);
  g_clear_pointer (&info->keyframes, g_bytes_unref);
  g_free (info);
}

static void
vg_recording_index_dispose (GObject *object)
{
  VgRecordingIndex *self = VG_RECORDING_INDEX (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_object (&self->database);
  G_OBJECT_CLASS (vg_recording_index_parent_class)->dispose (object);
}

static void
vg_recording_index_finalize (GObject *object)
{
  VgRecordingIndex *self = VG_RECORDING_INDEX (object);

  if (!g_queue_is_empty (&self->pending))
    g_warning ("%u recording index rows were never written", g_queue_get_length (&self->pending));
  g_queue_clear_full (&self->pending, (GDestroyNotify) vg_segment_info_free);
  g_clear_pointer (&self->in_flight, g_ptr_array_unref);
  G_OBJECT_CLASS (vg_recording_index_parent_class)->finalize (object);
}

static void
vg_recording_index_class_init (VgRecordingIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_recording_index_dispose;
  object_class->finalize = vg_recording_index_finalize;
}

static void
vg_recording_index_init (VgRecordingIndex *self)
{
  g_queue_init (&self->pending);
}

VgRecordingIndex *
vg_recording_index_new (VgDatabase *database)
{
  VgRecordingIndex *self = g_object_new (VG_TYPE_RECORDING_INDEX, NULL);

  self->database = g_object_ref (database);
  return self;
}

guint
vg_recording_index_get_pending (VgRecordingIndex *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_INDEX (self), 0);
  return g_queue_get_length (&self->pending) + (self->in_flight ? self->in_flight->len : 0);
}

static gboolean
same_segment (gconstpointer a, gconstpointer b)
{
  const VgSegmentInfo *x = a, *y = b;

  return x->disk_id == y->disk_id && g_str_equal (x->path, y->path);
}

void
vg_recording_index_put (VgRecordingIndex *self, const VgSegmentInfo *info)
{
  GList *queued;

  g_return_if_fail (VG_IS_RECORDING_INDEX (self));
  g_return_if_fail (info != NULL && info->path != NULL && info->stream != NULL);

  /* A newer state of a segment still queued replaces the older one. */
  queued = NULL;
  for (GList *l = self->pending.head; l; l = l->next)
    if (same_segment (l->data, info))
      {
        queued = l;
        break;
      }
  if (queued)
    {
      vg_segment_info_free (queued->data);
      queued->data = vg_segment_info_copy (info);
    }
  else
    g_queue_push_tail (&self->pending, vg_segment_info_copy (info));
  schedule_flush (self, FLUSH_DELAY_MS);
}

/* Writing */

static gboolean
write_batch_job (VgDbConnection *conn, gpointer data, GError **error)
{
  GPtrArray *batch = data;

  if (!vg_db_begin (conn, error))
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      const VgSegmentInfo *info = batch->pdata[i];
      g_autoptr(VgDbParams) params = vg_db_params_new ();
      g_autoptr(VgDbResult) row = NULL;
      g_autofree char *hex = NULL;
      gsize size = 0;
      const guint8 *bytes = info->keyframes ? g_bytes_get_data (info->keyframes, &size) : NULL;
      GString *escaped = g_string_sized_new (2 + size * 2);

      g_string_append (escaped, "\\x");
      for (gsize b = 0; b < size; b++)
        g_string_append_printf (escaped, "%02x", bytes[b]);
      hex = g_string_free (escaped, FALSE);

      vg_db_params_add_int (params, info->camera_id);
      vg_db_params_add_string (params, info->stream);
      vg_db_params_add_int (params, info->disk_id);
      vg_db_params_add_string (params, info->path);
      vg_db_params_add_int (params, info->start_us);
      vg_db_params_add_int (params, info->end_us);
      vg_db_params_add_int (params, info->bytes);
      vg_db_params_add_int (params, info->frames);
      vg_db_params_add_string (params, hex);
      vg_db_params_add_boolean (params, info->open);
      row = vg_db_exec (conn,
                        "INSERT INTO recording_segments (camera_id, stream, disk_id, path, start_time, "
                        "  end_time, bytes, frames, keyframes, open) "
                        "SELECT $1, $2, $3, $4, to_timestamp($5::bigint / 1e6), to_timestamp($6::bigint / 1e6), "
                        "  $7, $8, $9::bytea, $10 "
                        "WHERE EXISTS (SELECT 1 FROM cameras WHERE id = $1) "
                        "ON CONFLICT (disk_id, path) DO UPDATE SET end_time = EXCLUDED.end_time, "
                        "  bytes = EXCLUDED.bytes, frames = EXCLUDED.frames, "
                        "  keyframes = EXCLUDED.keyframes, open = EXCLUDED.open",
                        params, error);
      if (row == NULL)
        {
          vg_db_rollback (conn);
          return FALSE;
        }
    }
  return vg_db_commit (conn, error);
}

static void
complete_waiters (VgRecordingIndex *self, const GError *error)
{
  GSList *waiters = g_steal_pointer (&self->flush_waiters);

  for (GSList *l = waiters; l; l = l->next)
    {
      GTask *task = l->data;

      if (error)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  g_slist_free (waiters);
}

static void
batch_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VgRecordingIndex) self = user_data;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->in_flight);
  g_autoptr(GError) error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    {
      /* Put the batch back in front, older than anything queued since, unless a
       * newer state of the same segment came meanwhile. */
      for (guint i = batch->len; i > 0; i--)
        {
          VgSegmentInfo *info = batch->pdata[i - 1];
          gboolean newer = FALSE;

          for (GList *l = self->pending.head; l && !newer; l = l->next)
            newer = same_segment (l->data, info);
          if (!newer)
            g_queue_push_head (&self->pending, vg_segment_info_copy (info));
        }
      g_message ("recording index not written (%s); %u rows kept, retrying",
                 error->message, g_queue_get_length (&self->pending));
      complete_waiters (self, error);
      schedule_flush (self, RETRY_DELAY_MS);
      return;
    }

  if (!g_queue_is_empty (&self->pending))
    schedule_flush (self, 0);
  else
    complete_waiters (self, NULL);
}

static gboolean
flush_cb (gpointer user_data)
{
  VgRecordingIndex *self = user_data;

  self->flush_id = 0;
  if (self->in_flight || g_queue_is_empty (&self->pending))
    return G_SOURCE_REMOVE;

  self->in_flight = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_segment_info_free);
  while (!g_queue_is_empty (&self->pending) && self->in_flight->len < MAX_BATCH)
    g_ptr_array_add (self->in_flight, g_queue_pop_head (&self->pending));
  vg_database_run_async (self->database, write_batch_job, self->in_flight, NULL, batch_written_cb,
                         g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (VgRecordingIndex *self, guint delay_ms)
{
  if (self->flush_id != 0 && delay_ms > 0)
    return;
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->flush_id = delay_ms ? g_timeout_add (delay_ms, flush_cb, self) : g_idle_add (flush_cb, self);
}

void
vg_recording_index_flush_async (VgRecordingIndex *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VG_IS_RECORDING_INDEX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_recording_index_flush_async);
  if (self->in_flight == NULL && g_queue_is_empty (&self->pending))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->flush_waiters = g_slist_prepend (self->flush_waiters, g_steal_pointer (&task));
  schedule_flush (self, 0);
}

gboolean
vg_recording_index_flush_finish (VgRecordingIndex *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Spans */

typedef struct
{
  gint64      camera_id;
  char       *stream;
  gint64      start_us;
  gint64      end_us;
  VgDbResult *rows;
} SpanQuery;

static void
span_query_free (SpanQuery *query)
{
  g_free (query->stream);
  vg_db_result_free (query->rows);
  g_free (query);
}

/* The spans are kept merged by the database as segments are indexed (table
 * recording_spans, sql/0005-recording-spans.sql): a month of one-minute segments is
 * read as its few spans, by an index-only scan. */
static gboolean
span_job (VgDbConnection *conn, gpointer data, GError **error)
{
  SpanQuery *query = data;
  g_autoptr(VgDbParams) params = vg_db_params_new ();

  vg_db_params_add_int (params, query->camera_id);
  vg_db_params_add_string (params, query->stream);
  vg_db_params_add_int (params, query->start_us);
  vg_db_params_add_int (params, query->end_us);
  query->rows = vg_db_exec (conn,
    "SELECT (extract(epoch FROM start_time) * 1000000)::bigint AS start_us, "
    "       (extract(epoch FROM end_time) * 1000000)::bigint AS end_us "
    "FROM recording_spans "
    "WHERE camera_id = $1 AND stream = $2 "
    "  AND end_time >= 'epoch'::timestamptz + $3::bigint * interval '1 microsecond' "
    "  AND start_time <= 'epoch'::timestamptz + $4::bigint * interval '1 microsecond' "
    "ORDER BY start_time",
    params, error);
  return query->rows != NULL;
}

static void
span_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vg_recording_index_query_spans_async (VgRecordingIndex *self, gint64 camera_id, const char *stream,
                                      gint64 start_us, gint64 end_us, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  SpanQuery *query;

  g_return_if_fail (VG_IS_RECORDING_INDEX (self));
  g_return_if_fail (stream != NULL);

  query = g_new0 (SpanQuery, 1);
  query->camera_id = camera_id;
  query->stream = g_strdup (stream);
  query->start_us = start_us;
  query->end_us = end_us;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_recording_index_query_spans_async);
  g_task_set_task_data (task, query, (GDestroyNotify) span_query_free);
  vg_database_run_async (self->database, span_job, query, cancellable, span_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_recording_index_query_spans_finish (VgRecordingIndex *self, GAsyncResult *result,
                                       GArray **spans_out, GArray **gaps_out, GError **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (VgTimeRange));
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (VgTimeRange));
  SpanQuery *query;
  gint64 cursor;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  query = g_task_get_task_data (G_TASK (result));
  cursor = query->start_us;
  for (int row = 0; row < vg_db_result_get_n_rows (query->rows); row++)
    {
      VgTimeRange span = {
        MAX (vg_db_result_get_int (query->rows, row, "start_us"), query->start_us),
        MIN (vg_db_result_get_int (query->rows, row, "end_us"), query->end_us),
      };

      if (span.end_us <= span.start_us)
        continue;
      if (span.start_us > cursor)
        g_array_append_val (gaps, ((VgTimeRange) { cursor, span.start_us }));
      g_array_append_val (spans, span);
      cursor = MAX (cursor, span.end_us);
    }
  if (cursor < query->end_us)
    g_array_append_val (gaps, ((VgTimeRange) { cursor, query->end_us }));

  if (spans_out)
    *spans_out = g_steal_pointer (&spans);
  if (gaps_out)
    *gaps_out = g_steal_pointer (&gaps);
  return TRUE;
}
