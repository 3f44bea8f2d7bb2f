/* vg-export-download.c: an export of a recorded range streamed into a local file (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-export-download.h"

#define CHUNK_SIZE (256 * 1024)
#define NOTIFY_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)
/* The segment index answers at most a day at a time: the estimate samples the first. */
#define ESTIMATE_SAMPLE G_TIME_SPAN_DAY

struct _VgExportDownload
{
  GObject parent_instance;

  VgApiClient *client;
  gint64 camera_id;
  char *stream;
  gint64 start;
  gint64 end;
  char *split;
  gboolean zip;

  guint64 bytes;
  guint64 expected_bytes;
  gint64 notified_at;
};

G_DEFINE_FINAL_TYPE (VgExportDownload, vg_export_download, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BYTES,
  PROP_EXPECTED_BYTES,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  GFile *destination;
  GInputStream *input;
  GOutputStream *output;
  GError *error;        /* the failure being cleaned up after */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->destination);
  g_clear_object (&run->input);
  g_clear_object (&run->output);
  g_clear_error (&run->error);
  g_free (run);
}

static char *
iso_query (gint64 time)
{
  g_autoptr(GDateTime) date_time = vg_time_new_from_unix_usec (time);
  g_autofree char *text = vg_time_format_iso8601 (date_time);

  return g_uri_escape_string (text, NULL, FALSE);
}

static char *
range_query (VgExportDownload *self,
             gint64            start,
             gint64            end)
{
  g_autofree char *start_query = iso_query (start);
  g_autofree char *end_query = iso_query (end);
  g_autofree char *stream_query = NULL;

  if (self->stream != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->stream, NULL, FALSE);
      stream_query = g_strconcat ("stream=", escaped, "&", NULL);
    }
  return g_strdup_printf ("%sstart=%s&end=%s", stream_query ? stream_query : "",
                          start_query, end_query);
}

char *
vg_export_download_dup_path (VgExportDownload *self)
{
  g_autofree char *query = NULL;
  g_autofree char *split = NULL;

  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), NULL);

  query = range_query (self, self->start, self->end);
  if (self->split != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->split, NULL, FALSE);
      split = g_strconcat ("&split=", escaped, NULL);
    }
  return g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/export.%s?%s%s",
                          self->camera_id, vg_export_download_get_zip (self) ? "zip" : "mkv",
                          query, split ? split : "");
}

/* Progress */

static void
vg_export_download_notify_progress (VgExportDownload *self,
                                    gboolean          force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - self->notified_at < NOTIFY_INTERVAL)
    return;
  self->notified_at = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

/* The bytes of the segments in the sample, in proportion to their overlap with it. */
static guint64
sum_overlapping_bytes (JsonArray *segments,
                       gint64     start,
                       gint64     end)
{
  double total = 0;

  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *segment = json_array_get_object_element (segments, i);
      g_autoptr(GDateTime) a = NULL;
      g_autoptr(GDateTime) b = NULL;
      gint64 seg_start, seg_end, overlap;

      if (segment == NULL ||
          (a = vg_time_parse_iso8601 (json_object_get_string_member_with_default (segment, "start", ""), NULL)) == NULL ||
          (b = vg_time_parse_iso8601 (json_object_get_string_member_with_default (segment, "end", ""), NULL)) == NULL)
        continue;
      seg_start = vg_time_to_unix_usec (a);
      seg_end = vg_time_to_unix_usec (b);
      overlap = MIN (seg_end, end) - MAX (seg_start, start);
      if (seg_end > seg_start && overlap > 0)
        total += (double) json_object_get_int_member_with_default (segment, "bytes", 0) *
                 (double) overlap / (double) (seg_end - seg_start);
    }
  return (guint64) total;
}

static void
estimate_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VgExportDownload) self = user_data;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, NULL);
  JsonArray *segments = NULL;
  gint64 sample_end = MIN (self->end, self->start + ESTIMATE_SAMPLE);
  double sampled;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ||
      !vg_json_get_array_member (json_node_get_object (body), "segments", TRUE, &segments, NULL))
    return;

  sampled = (double) sum_overlapping_bytes (segments, self->start, sample_end);
  self->expected_bytes = (guint64) (sampled * (double) (self->end - self->start) /
                                    (double) MAX (sample_end - self->start, 1));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_BYTES]);
  vg_export_download_notify_progress (self, TRUE);
}

static void
vg_export_download_estimate (VgExportDownload *self,
                             GCancellable     *cancellable)
{
  g_autofree char *query = range_query (self, self->start,
                                        MIN (self->end, self->start + ESTIMATE_SAMPLE));
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/segments?%s",
                                           self->camera_id, query);

  vg_api_client_request_async (self->client, "GET", path, NULL, cancellable, estimate_cb,
                               g_object_ref (self));
}

/* The copy */

static void read_next (GTask *task);

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);

  g_file_delete_finish (G_FILE (source), result, NULL);
  g_task_return_error (task, g_steal_pointer (&run->error));
}

static void
failed_close_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
  g_file_delete_async (run->destination, G_PRIORITY_DEFAULT, NULL, deleted_cb,
                       g_steal_pointer (&task));
}

/* Closes and removes the file, then returns error. */
static void
fail (GTask  *task,
      GError *error)
{
  Run *run = g_task_get_task_data (task);

  run->error = error;
  if (run->output == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&run->error));
      g_object_unref (task);
      return;
    }
  /* Not cancellable: the file must be closed and removed even after a cancel. */
  g_output_stream_close_async (run->output, G_PRIORITY_DEFAULT, NULL, failed_close_cb, task);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  VgExportDownload *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      fail (task, error);
      return;
    }
  vg_export_download_notify_progress (self, TRUE);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  VgExportDownload *self = g_task_get_source_object (task);
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      fail (task, error);
      return;
    }
  self->bytes += written;
  vg_export_download_notify_progress (self, FALSE);
  read_next (task);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize size;
  const void *data;

  if (chunk == NULL)
    {
      fail (task, error);
      return;
    }
  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      /* The last chunk came: the node sent the whole file. */
      g_output_stream_close_async (run->output, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   closed_cb, task);
      return;
    }
  /* The chunk stays alive through the write: the task holds it. */
  g_object_set_data_full (G_OBJECT (task), "chunk", g_bytes_ref (chunk), (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (run->output, data, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), written_cb, task);
}

static void
read_next (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (run->input, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->output = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (source), result, &error));
  if (run->output == NULL)
    {
      fail (task, error);
      return;
    }
  read_next (task);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  /* Only once the node said yes: a refused export leaves no file behind. */
  run->input = vg_api_client_open_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (run->input == NULL)
    {
      fail (task, error);
      return;
    }
  g_file_replace_async (run->destination, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task), replaced_cb, task);
}

void
vg_export_download_run_async (VgExportDownload    *self,
                              GFile               *destination,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Run *run;
  g_autofree char *path = NULL;

  g_return_if_fail (VG_IS_EXPORT_DOWNLOAD (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_export_download_run_async);
  run = g_new0 (Run, 1);
  run->destination = g_object_ref (destination);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  self->bytes = 0;
  vg_export_download_estimate (self, cancellable);
  path = vg_export_download_dup_path (self);
  vg_api_client_open_async (self->client, path, cancellable, opened_cb, task);
}

gboolean
vg_export_download_run_finish (VgExportDownload  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Accessors */

void
vg_export_download_set_split (VgExportDownload *self,
                              const char       *split)
{
  g_return_if_fail (VG_IS_EXPORT_DOWNLOAD (self));

  g_free (self->split);
  self->split = split != NULL && split[0] != '\0' ? g_strdup (split) : NULL;
}

void
vg_export_download_set_zip (VgExportDownload *self,
                            gboolean          zip)
{
  g_return_if_fail (VG_IS_EXPORT_DOWNLOAD (self));

  self->zip = zip;
}

gboolean
vg_export_download_get_zip (VgExportDownload *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), FALSE);

  return self->zip || self->split != NULL;
}

guint64
vg_export_download_get_bytes (VgExportDownload *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), 0);

  return self->bytes;
}

guint64
vg_export_download_get_expected_bytes (VgExportDownload *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), 0);

  return self->expected_bytes;
}

double
vg_export_download_get_progress (VgExportDownload *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_DOWNLOAD (self), 0);

  if (self->expected_bytes == 0)
    return 0;
  /* The estimate may fall short: stay under 1 until the end. */
  return MIN ((double) self->bytes / (double) self->expected_bytes, 0.99);
}

VgExportDownload *
vg_export_download_new (VgApiClient *client,
                        gint64       camera_id,
                        const char  *stream,
                        gint64       start,
                        gint64       end)
{
  VgExportDownload *self;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (end > start, NULL);

  self = g_object_new (VG_TYPE_EXPORT_DOWNLOAD, NULL);
  self->client = g_object_ref (client);
  self->camera_id = camera_id;
  self->stream = g_strdup (stream);
  self->start = start;
  self->end = end;
  return self;
}

static void
vg_export_download_finalize (GObject *object)
{
  VgExportDownload *self = VG_EXPORT_DOWNLOAD (object);

  g_clear_object (&self->client);
  g_free (self->stream);
  g_free (self->split);

  G_OBJECT_CLASS (vg_export_download_parent_class)->finalize (object);
}

static void
vg_export_download_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VgExportDownload *self = VG_EXPORT_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_EXPECTED_BYTES:
      g_value_set_uint64 (value, self->expected_bytes);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, vg_export_download_get_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_export_download_class_init (VgExportDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_export_download_finalize;
  object_class->get_property = vg_export_download_get_property;

  properties[PROP_BYTES] =
    g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPECTED_BYTES] =
    g_param_spec_uint64 ("expected-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_export_download_init (VgExportDownload *self)
{
}
