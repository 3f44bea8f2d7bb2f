/* vg-segment-query.c: reading recording_segments rows for playback and export (PLAY-5, PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-segment-query.h"
#include "vg-mkv-writer.h"

#define SEGMENT_COLUMNS \
  "id, camera_id, stream, disk_id, path, " \
  "(extract(epoch FROM start_time) * 1000000)::bigint AS start_us, " \
  "(extract(epoch FROM end_time) * 1000000)::bigint AS end_us, " \
  "bytes, frames, open, encode(keyframes, 'hex') AS keyframes"

/* Rows of a range query: enough for 400 days of one-minute segments. */
#define MAX_ROWS 600000

typedef struct
{
  char       *sql;
  VgDbParams *params;
  GPtrArray  *rows;     /* VgSegmentRow */
} Query;

static void
query_free (Query *query)
{
  g_free (query->sql);
  vg_db_params_free (query->params);
  g_clear_pointer (&query->rows, g_ptr_array_unref);
  g_free (query);
}

void
vg_segment_row_free (VgSegmentRow *row)
{
  if (row == NULL)
    return;
  g_free (row->stream);
  g_free (row->path);
  g_clear_pointer (&row->keyframes, g_array_unref);
  g_free (row);
}

static GArray *
unpack_hex (const char *hex)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GError) error = NULL;
  GArray *keyframes;

  for (const char *p = hex; p[0] && p[1]; p += 2)
    {
      int hi = g_ascii_xdigit_value (p[0]), lo = g_ascii_xdigit_value (p[1]);
      guint8 byte;

      if (hi < 0 || lo < 0)
        break;
      byte = (guint8) (hi << 4 | lo);
      g_byte_array_append (bytes, &byte, 1);
    }
  packed = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  keyframes = vg_mkv_keyframe_index_unpack (packed, &error);
  if (keyframes == NULL)
    {
      g_warning ("a malformed keyframe index in the database: %s", error->message);
      keyframes = g_array_new (FALSE, FALSE, sizeof (VgMkvKeyframe));
    }
  return keyframes;
}

static VgSegmentRow *
row_from_result (VgDbResult *result, int i)
{
  VgSegmentRow *row = g_new0 (VgSegmentRow, 1);

  row->id = vg_db_result_get_int (result, i, "id");
  row->camera_id = vg_db_result_get_int (result, i, "camera_id");
  row->stream = g_strdup (vg_db_result_get_string (result, i, "stream"));
  row->disk_id = (gint) vg_db_result_get_int (result, i, "disk_id");
  row->path = g_strdup (vg_db_result_get_string (result, i, "path"));
  row->start_us = vg_db_result_get_int (result, i, "start_us");
  row->end_us = vg_db_result_get_int (result, i, "end_us");
  row->bytes = vg_db_result_get_int (result, i, "bytes");
  row->frames = vg_db_result_get_int (result, i, "frames");
  row->open = vg_db_result_get_boolean (result, i, "open");
  row->keyframes = unpack_hex (vg_db_result_get_string (result, i, "keyframes"));
  return row;
}

static gboolean
query_job (VgDbConnection *conn, gpointer data, GError **error)
{
  Query *query = data;
  g_autoptr(VgDbResult) result = vg_db_exec (conn, query->sql, query->params, error);

  if (result == NULL)
    return FALSE;
  query->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_segment_row_free);
  for (int i = 0; i < vg_db_result_get_n_rows (result); i++)
    g_ptr_array_add (query->rows, row_from_result (result, i));
  return TRUE;
}

static void
query_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *query = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&query->rows), (GDestroyNotify) g_ptr_array_unref);
}

static void
run_query (VgDatabase *database, const char *sql, VgDbParams *params, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (database, cancellable, callback, user_data);
  Query *query = g_new0 (Query, 1);

  query->sql = g_strdup (sql);
  query->params = params;
  g_task_set_source_tag (task, run_query);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  vg_database_run_async (database, query_job, query, cancellable, query_done_cb, task);
}

void
vg_segment_query_range_async (VgDatabase *database, gint64 camera_id, const char *stream,
                              gint64 start_us, gint64 end_us, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  VgDbParams *params = vg_db_params_new ();

  g_return_if_fail (VG_IS_DATABASE (database));
  vg_db_params_add_int (params, camera_id);
  vg_db_params_add_string (params, stream);
  vg_db_params_add_int (params, start_us);
  vg_db_params_add_int (params, end_us);
  vg_db_params_add_int (params, MAX_ROWS);
  run_query (database,
             "SELECT " SEGMENT_COLUMNS " FROM recording_segments "
             "WHERE camera_id = $1 AND stream = $2 AND start_time < to_timestamp($4::bigint / 1e6) "
             "AND end_time >= to_timestamp($3::bigint / 1e6) ORDER BY start_time, id LIMIT $5",
             params, cancellable, callback, user_data);
}

void
vg_segment_query_id_async (VgDatabase *database, gint64 id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (VG_IS_DATABASE (database));
  run_query (database, "SELECT " SEGMENT_COLUMNS " FROM recording_segments WHERE id = $1",
             vg_db_params_add_int (vg_db_params_new (), id), cancellable, callback, user_data);
}

GPtrArray *
vg_segment_query_finish (VgDatabase *database, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, database), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
