/* vg-api-export.c: export of a time range to Matroska, streamed to the client (.mkv,
 * or .zip of pieces) or written by the node into a directory as a job (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-range.h"
#include "vg-api-routes.h"
#include "vg-export.h"
#include "vg-export-jobs.h"
#include "vg-json.h"
#include "vg-node.h"
#include "vg-response-stream.h"
#include "vg-segment-query.h"
#include "vg-zip-writer.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* Exports streamed at once (each has a thread reading and writing at disk speed). */
#define MAX_STREAMED_EXPORTS 4

static guint n_streamed_exports;

/* What was asked, kept while the index is read. */
typedef struct
{
  VgApiRequest *request;
  VgApiRange    range;
  gboolean      zip;
  gint64        split_us;
  guint64       split_bytes;
  char         *directory;    /* jobs */
} ExportAsk;

static void
export_ask_free (ExportAsk *ask)
{
  vg_api_range_clear (&ask->range);
  g_free (ask->directory);
  g_free (ask);
}

static char *
base_name (const VgApiRange *range)
{
  g_autofree char *start = vg_api_range_format_compact (range->start_us);
  g_autofree char *stream = g_strdup (range->stream);

  g_strcanon (stream, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", '_');
  return g_strdup_printf ("camera%" G_GINT64_FORMAT "-%s-%s", range->camera_id, stream, start);
}

/* The export of the index rows, or NULL with a 404 error when they hold no video. */
static VgExport *
export_from_rows (VgApiRequest *request, const ExportAsk *ask, GPtrArray *rows, GError **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_export_segment_free);
  g_autoptr(VgExport) export = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      VgSegmentRow *row = rows->pdata[i];
      g_autofree char *path = vg_api_range_segment_path (request, row->disk_id, row->path);

      if (path)
        g_ptr_array_add (segments, vg_export_segment_new (path, row->start_us, row->end_us,
                                                          g_array_ref (row->keyframes)));
    }
  export = vg_export_new (segments, ask->range.start_us, ask->range.end_us);
  if (!vg_export_has_video (export))
    {
      g_autoptr(GDateTime) start = vg_time_new_from_unix_usec (ask->range.start_us);
      g_autoptr(GDateTime) end = vg_time_new_from_unix_usec (ask->range.end_us);
      g_autofree char *start_text = vg_time_format_iso8601 (start);
      g_autofree char *end_text = vg_time_format_iso8601 (end);

      g_set_error (error, VG_ERROR, VG_ERROR_NOT_FOUND,
                   "camera %" G_GINT64_FORMAT " (%s) has no video between %s and %s",
                   ask->range.camera_id, ask->range.stream, start_text, end_text);
      return NULL;
    }
  vg_export_set_split (export, ask->split_us, ask->split_bytes);
  return g_steal_pointer (&export);
}

/* ---- Streamed exports: a thread writes into a socket the response reads ---- */

typedef struct
{
  VgExport         *export;
  int               fd;
  gboolean          zip;
  char             *base_name;
  VgZipWriter      *zip_writer;
  GCancellable     *cancellable;
  GMainContext     *context;
  VgResponseStream *stream;     /* main thread */
  gulong            finished_id;
  gboolean          ok;
  GError           *error;
} StreamJob;

static void
stream_job_free (StreamJob *job)
{
  g_clear_pointer (&job->export, vg_export_free);
  if (job->fd >= 0)
    close (job->fd);
  g_free (job->base_name);
  g_clear_pointer (&job->zip_writer, vg_zip_writer_free);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  if (job->stream)
    g_clear_signal_handler (&job->finished_id, job->stream);
  g_clear_object (&job->stream);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
send_all (const guint8 *data, gsize size, gpointer user_data, GError **error)
{
  StreamJob *job = user_data;

  while (size > 0)
    {
      ssize_t n = send (job->fd, data, size, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "the client stopped reading: %s", g_strerror (saved));
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

static gboolean
zip_begin_piece (gpointer data, guint index, gint64 start_us, GError **error)
{
  StreamJob *job = data;
  g_autofree char *name = g_strdup_printf ("%s-%03u.mkv", job->base_name, index + 1);

  return vg_zip_writer_begin_file (job->zip_writer, name, start_us, error);
}

static gboolean
zip_write (const guint8 *data, gsize size, gpointer user_data, GError **error)
{
  StreamJob *job = user_data;

  return vg_zip_writer_write (job->zip_writer, data, size, error);
}

static gboolean
zip_end_piece (gpointer data, GError **error)
{
  StreamJob *job = data;

  return vg_zip_writer_end_file (job->zip_writer, error);
}

static const VgExportOutput socket_output = { NULL, send_all, NULL };
static const VgExportOutput zip_output = { zip_begin_piece, zip_write, zip_end_piece };

static gboolean
stream_job_done_cb (gpointer data)
{
  StreamJob *job = data;

  n_streamed_exports--;
  if (!job->ok)
    {
      if (!g_cancellable_is_cancelled (job->cancellable))
        g_warning ("an export stopped: %s", job->error->message);
      if (job->stream)
        vg_response_stream_abort (job->stream);
    }
  stream_job_free (job);
  return G_SOURCE_REMOVE;
}

static gpointer
stream_thread (gpointer data)
{
  StreamJob *job = data;

  if (job->zip)
    {
      job->zip_writer = vg_zip_writer_new (send_all, job);
      job->ok = vg_export_run (job->export, &zip_output, job, job->cancellable, &job->error) &&
                vg_zip_writer_finish (job->zip_writer, &job->error);
    }
  else
    job->ok = vg_export_run (job->export, &socket_output, job, job->cancellable, &job->error);
  if (job->ok)
    {
      /* The end of the socket is the end of the body. */
      close (job->fd);
      job->fd = -1;
    }
  g_main_context_invoke (job->context, stream_job_done_cb, job);
  return NULL;
}

static void
stream_finished_cb (VgResponseStream *stream, gboolean complete, StreamJob *job)
{
  g_cancellable_cancel (job->cancellable);
}

static void
start_stream (VgApiRequest *request, ExportAsk *ask, VgExport *export)
{
  g_autofree char *name = base_name (&ask->range);
  g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s.%s\"", name,
                                                  ask->zip ? "zip" : "mkv");
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  VgResponseStream *stream;
  StreamJob *job;
  int fds[2];

  if (n_streamed_exports >= MAX_STREAMED_EXPORTS)
    {
      error = g_error_new (VG_ERROR, VG_ERROR_UNAVAILABLE, "%u exports are running: try again later",
                           MAX_STREAMED_EXPORTS);
      vg_export_free (export);
      vg_api_request_respond_error (request, error);
      return;
    }
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    {
      int saved = errno;

      error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s", g_strerror (saved));
      vg_export_free (export);
      vg_api_request_respond_error (request, error);
      return;
    }
  /* Room for a few Clusters between the export thread and the main loop. */
  {
    int size = 1024 * 1024;

    setsockopt (fds[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    setsockopt (fds[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  input = g_unix_input_stream_new (fds[0], TRUE);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Content-Disposition", disposition);
  stream = vg_api_request_respond_stream (request, SOUP_STATUS_OK,
                                          ask->zip ? "application/zip" : "video/x-matroska", input, -1);
  if (stream == NULL)
    {
      close (fds[1]);
      vg_export_free (export);
      return;
    }
  job = g_new0 (StreamJob, 1);
  job->export = export;
  job->fd = fds[1];
  job->zip = ask->zip;
  job->base_name = g_steal_pointer (&name);
  job->cancellable = g_cancellable_new ();
  job->context = g_main_context_ref_thread_default ();
  job->stream = g_object_ref (stream);
  job->finished_id = g_signal_connect (stream, "finished", G_CALLBACK (stream_finished_cb), job);
  n_streamed_exports++;
  g_thread_unref (g_thread_new ("vg-export-stream", stream_thread, job));
}

static void
export_rows_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportAsk *ask = user_data;
  VgApiRequest *request = ask->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = vg_segment_query_finish (VG_DATABASE (source), result, &error);
  VgExport *export = NULL;

  if (rows)
    export = export_from_rows (request, ask, rows, &error);
  if (export == NULL)
    vg_api_request_respond_error (request, error);
  else if (ask->directory == NULL)
    start_stream (request, ask, export);
  else
    {
      VgExportJobs *jobs = vg_node_get_export_jobs (request->node);
      g_autofree char *name = base_name (&ask->range);
      gint64 id = vg_export_jobs_start (jobs, export, ask->directory, name,
                                        ask->split_us > 0 || ask->split_bytes > 0);
      g_autoptr(JsonNode) body = vg_export_jobs_to_json (jobs, id);

      vg_api_request_respond_json (request, SOUP_STATUS_ACCEPTED, body);
    }
  export_ask_free (ask);
}

static void
query_rows (VgApiRequest *request, ExportAsk *ask)
{
  ask->request = request;
  vg_segment_query_range_async (vg_node_get_database (request->node), ask->range.camera_id,
                                ask->range.stream, ask->range.start_us, ask->range.end_us,
                                request->cancellable, export_rows_cb, ask);
}

static gboolean
read_split (const char *text, ExportAsk *ask, VgErrorCode code, GError **error)
{
  if (text == NULL)
    return TRUE;
  if (!vg_export_parse_split (text, &ask->split_us, &ask->split_bytes))
    {
      g_set_error (error, VG_ERROR, code, "split: “%s” is neither a duration (600s, 10m, 1h) nor a "
                   "size (500MB, 2GB) of at least 10 s or 1 MB", text);
      return FALSE;
    }
  return TRUE;
}

static void
export_streamed (VgApiRequest *request, gboolean zip)
{
  ExportAsk *ask = g_new0 (ExportAsk, 1);
  const char *split = vg_api_request_get_query (request, "split");
  g_autoptr(GError) error = NULL;

  ask->zip = zip;
  if (!vg_api_range_from_query (request, VG_API_MAX_EXPORT_US, &ask->range, &error) ||
      !read_split (split, ask, VG_ERROR_BAD_REQUEST, &error))
    ;
  else if (!zip && split)
    error = g_error_new_literal (VG_ERROR, VG_ERROR_BAD_REQUEST,
                                 "a split export is a zip of pieces: ask for export.zip");
  if (error)
    {
      export_ask_free (ask);
      vg_api_request_respond_error (request, error);
      return;
    }
  query_rows (request, ask);
}

static void
export_mkv (VgApiRequest *request)
{
  export_streamed (request, FALSE);
}

static void
export_zip (VgApiRequest *request)
{
  export_streamed (request, TRUE);
}

/* POST /api/v1/exports */

static gboolean
check_directory (const char *directory, GError **error)
{
  if (!g_path_is_absolute (directory))
    g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "directory: “%s” is not an absolute path", directory);
  else if (!g_file_test (directory, G_FILE_TEST_IS_DIR))
    g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "directory: “%s” does not exist on the node "
                 "(or is not a directory)", directory);
  else if (g_access (directory, W_OK | X_OK) != 0)
    g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "directory: the node cannot write into “%s”",
                 directory);
  else
    return TRUE;
  return FALSE;
}

static gboolean
read_job (VgApiRequest *request, ExportAsk *ask, GError **error)
{
  static const char *const fields[] = { "camera", "stream", "start", "end", "directory", "split", NULL };
  g_autoptr(JsonNode) body = vg_api_request_read_json (request, error);
  const char *stream = NULL, *start = NULL, *end = NULL, *directory = NULL, *split = NULL;
  JsonObject *object;
  gint64 camera = 0;

  if (body == NULL ||
      (object = vg_json_require_object (body, "export", error)) == NULL ||
      !vg_json_check_fields (object, fields, "export", error) ||
      !vg_json_get_int_member (object, "camera", TRUE, 1, G_MAXINT64, &camera, error) ||
      !vg_json_get_string_member (object, "stream", FALSE, &stream, error) ||
      !vg_json_get_string_member (object, "start", TRUE, &start, error) ||
      !vg_json_get_string_member (object, "end", TRUE, &end, error) ||
      !vg_json_get_string_member (object, "directory", TRUE, &directory, error) ||
      !vg_json_get_string_member (object, "split", FALSE, &split, error) ||
      !vg_api_range_check (request, camera, stream, start, end, VG_API_MAX_EXPORT_US,
                           VG_ERROR_INVALID, &ask->range, error) ||
      !read_split (split, ask, VG_ERROR_INVALID, error) ||
      !check_directory (directory, error))
    return FALSE;
  ask->directory = g_strdup (directory);
  return TRUE;
}

static void
job_create (VgApiRequest *request)
{
  ExportAsk *ask = g_new0 (ExportAsk, 1);
  g_autoptr(GError) error = NULL;

  if (!read_job (request, ask, &error))
    {
      export_ask_free (ask);
      vg_api_request_respond_error (request, error);
      return;
    }
  query_rows (request, ask);
}

static void
job_show (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = vg_export_jobs_to_json (vg_node_get_export_jobs (request->node), request->id);

  if (body == NULL)
    vg_api_request_respond_object (request, NULL, NULL, "export");
  else
    vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
job_cancel (VgApiRequest *request)
{
  if (!vg_export_jobs_cancel (vg_node_get_export_jobs (request->node), request->id))
    vg_api_request_respond_object (request, NULL, NULL, "export");
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

const VgApiRoute vg_api_export_routes[] = {
  { "GET", "/api/v1/cameras/{id}/export.mkv", VG_API_ACCESS_USER, export_mkv, FALSE },
  { "GET", "/api/v1/cameras/{id}/export.zip", VG_API_ACCESS_USER, export_zip, FALSE },
  { "POST", "/api/v1/exports", VG_API_ACCESS_OPERATOR, job_create, FALSE },
  { "GET", "/api/v1/exports/{id}", VG_API_ACCESS_OPERATOR, job_show, FALSE },
  { "DELETE", "/api/v1/exports/{id}", VG_API_ACCESS_OPERATOR, job_cancel, FALSE },
  { NULL }
};
