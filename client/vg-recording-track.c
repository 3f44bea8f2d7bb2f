/* vg-recording-track.c: what one camera stream recorded, fetched as a timeline needs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-recording-track.h"

/* The node joins segments closer than 1.5 s; cached pieces join the same way. */
#define SPAN_TOLERANCE (G_TIME_SPAN_MILLISECOND * 1500)
/* The end of the recordings may still grow: what is this close to the clock at a fetch
 * is not cached. */
#define UNSETTLED (10 * G_TIME_SPAN_SECOND)
/* The node answers at most 400 days per request. */
#define MAX_REQUEST_SPAN (400 * G_TIME_SPAN_DAY)

struct _VgRecordingTrack
{
  GObject parent_instance;

  VgApiClient *client;
  VgCamera *camera;
  char *stream;

  GArray *spans;
  GArray *known;
  GArray *marks;

  GCancellable *cancellable;
  VgTimeRange fetching;
  GError *error;
};

G_DEFINE_FINAL_TYPE (VgRecordingTrack, vg_recording_track, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  VgRecordingTrack *self;   /* weak: cleared if the track goes first */
  VgTimeRange range;
  gint64 asked_at;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_weak_pointer (&fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static gboolean
parse_spans (JsonNode *body,
             GArray   *spans,
             GError  **error)
{
  JsonObject *object = vg_json_require_object (body, "recordings", error);
  JsonArray *array = NULL;

  if (object == NULL || !vg_json_get_array_member (object, "spans", TRUE, &array, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *span = vg_json_require_object (element, "span", error);
      const char *start_text = NULL, *end_text = NULL;
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;

      if (span == NULL ||
          !vg_json_get_string_member (span, "start", TRUE, &start_text, error) ||
          !vg_json_get_string_member (span, "end", TRUE, &end_text, error) ||
          (start = vg_time_parse_iso8601 (start_text, error)) == NULL ||
          (end = vg_time_parse_iso8601 (end_text, error)) == NULL)
        return FALSE;
      vg_time_ranges_add (spans, vg_time_to_unix_usec (start), vg_time_to_unix_usec (end), 0);
    }
  return TRUE;
}

static void
vg_recording_track_store (VgRecordingTrack *self,
                          const Fetch      *fetch,
                          GArray           *spans)
{
  gint64 settled = MIN (fetch->range.end, fetch->asked_at - UNSETTLED);

  vg_time_ranges_remove (self->spans, fetch->range.start, fetch->range.end);
  for (guint i = 0; i < spans->len; i++)
    {
      VgTimeRange *span = &g_array_index (spans, VgTimeRange, i);
      vg_time_ranges_add (self->spans, span->start, span->end, SPAN_TOLERANCE);
    }
  vg_time_ranges_add (self->known, fetch->range.start, settled, 0);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GArray) spans = vg_time_ranges_new ();
  VgRecordingTrack *self = fetch->self;

  body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  if (body != NULL && parse_spans (body, spans, &error))
    vg_recording_track_store (self, fetch, spans);
  else
    self->error = g_steal_pointer (&error);

  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
recordings_path (VgRecordingTrack *self,
                 const VgTimeRange *range)
{
  g_autoptr(GDateTime) start = vg_time_new_from_unix_usec (range->start);
  g_autoptr(GDateTime) end = vg_time_new_from_unix_usec (range->end);
  g_autofree char *start_text = vg_time_format_iso8601 (start);
  g_autofree char *end_text = vg_time_format_iso8601 (end);
  g_autofree char *start_query = g_uri_escape_string (start_text, NULL, FALSE);
  g_autofree char *end_query = g_uri_escape_string (end_text, NULL, FALSE);
  g_autofree char *stream_query = NULL;

  if (self->stream != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->stream, NULL, FALSE);
      stream_query = g_strconcat ("stream=", escaped, "&", NULL);
    }

  return g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?%sstart=%s&end=%s",
                          vg_camera_get_id (self->camera), stream_query ? stream_query : "",
                          start_query, end_query);
}

void
vg_recording_track_request (VgRecordingTrack *self,
                            gint64            start,
                            gint64            end)
{
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time ();
  VgTimeRange missing;
  Fetch *fetch;

  g_return_if_fail (VG_IS_RECORDING_TRACK (self));

  end = MIN (end, now);
  if (end - start > MAX_REQUEST_SPAN)
    start = end - MAX_REQUEST_SPAN;
  if (end <= start || !vg_time_ranges_missing (self->known, start, end, &missing))
    return;

  /* The request under way already asks for it. */
  if (self->cancellable != NULL && self->fetching.start <= missing.start &&
      self->fetching.end >= missing.end)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->fetching = missing;

  fetch = g_new0 (Fetch, 1);
  g_set_weak_pointer (&fetch->self, self);
  fetch->range = missing;
  fetch->asked_at = now;
  path = recordings_path (self, &missing);
  vg_api_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               fetch_cb, fetch);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
extent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  g_autoptr(GArray) spans = vg_time_ranges_new ();
  VgTimeRange *extent;

  if (body == NULL || !parse_spans (body, spans, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (spans->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "nothing recorded");
      return;
    }
  extent = g_new (VgTimeRange, 1);
  extent->start = g_array_index (spans, VgTimeRange, 0).start;
  extent->end = g_array_index (spans, VgTimeRange, spans->len - 1).end;
  g_task_return_pointer (task, extent, g_free);
}

void
vg_recording_track_find_extent_async (VgRecordingTrack    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  VgTimeRange range;

  g_return_if_fail (VG_IS_RECORDING_TRACK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_recording_track_find_extent_async);
  /* Up to now and a little after (a frame being written), as far back as the node
   * answers; the cache is left alone. */
  range.end = g_get_real_time () + UNSETTLED;
  range.start = range.end - MAX_REQUEST_SPAN;
  path = recordings_path (self, &range);
  vg_api_client_request_async (self->client, "GET", path, NULL, cancellable, extent_cb,
                               g_steal_pointer (&task));
}

gboolean
vg_recording_track_find_extent_finish (VgRecordingTrack  *self,
                                       GAsyncResult      *result,
                                       gint64            *first,
                                       gint64            *last,
                                       GError           **error)
{
  g_autofree VgTimeRange *extent = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  extent = g_task_propagate_pointer (G_TASK (result), error);
  if (extent == NULL)
    return FALSE;
  if (first != NULL)
    *first = extent->start;
  if (last != NULL)
    *last = extent->end;
  return TRUE;
}

void
vg_recording_track_invalidate (VgRecordingTrack *self)
{
  g_return_if_fail (VG_IS_RECORDING_TRACK (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_array_set_size (self->known, 0);
}

gboolean
vg_recording_track_get_loading (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), FALSE);

  return self->cancellable != NULL;
}

const GError *
vg_recording_track_get_error (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->error;
}

GArray *
vg_recording_track_get_spans (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->spans;
}

GArray *
vg_recording_track_get_known (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->known;
}

void
vg_recording_track_add_mark (VgRecordingTrack   *self,
                             VgTimelineMarkKind  kind,
                             gint64              start,
                             gint64              end)
{
  VgTimelineMark mark = { start, MAX (start, end), kind };

  g_return_if_fail (VG_IS_RECORDING_TRACK (self));

  g_array_append_val (self->marks, mark);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
vg_recording_track_clear_marks (VgRecordingTrack *self)
{
  g_return_if_fail (VG_IS_RECORDING_TRACK (self));

  g_array_set_size (self->marks, 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

GArray *
vg_recording_track_get_marks (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->marks;
}

VgCamera *
vg_recording_track_get_camera (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->camera;
}

const char *
vg_recording_track_get_stream (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->stream;
}

VgApiClient *
vg_recording_track_get_client (VgRecordingTrack *self)
{
  g_return_val_if_fail (VG_IS_RECORDING_TRACK (self), NULL);

  return self->client;
}

VgRecordingTrack *
vg_recording_track_new (VgApiClient *client,
                        VgCamera    *camera,
                        const char  *stream)
{
  VgRecordingTrack *self;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (VG_IS_CAMERA (camera), NULL);

  self = g_object_new (VG_TYPE_RECORDING_TRACK, NULL);
  self->client = g_object_ref (client);
  self->camera = g_object_ref (camera);
  self->stream = g_strdup (stream);
  return self;
}

static void
vg_recording_track_dispose (GObject *object)
{
  VgRecordingTrack *self = VG_RECORDING_TRACK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->camera);

  G_OBJECT_CLASS (vg_recording_track_parent_class)->dispose (object);
}

static void
vg_recording_track_finalize (GObject *object)
{
  VgRecordingTrack *self = VG_RECORDING_TRACK (object);

  g_free (self->stream);
  g_array_unref (self->spans);
  g_array_unref (self->known);
  g_array_unref (self->marks);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (vg_recording_track_parent_class)->finalize (object);
}

static void
vg_recording_track_class_init (VgRecordingTrackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_recording_track_dispose;
  object_class->finalize = vg_recording_track_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_recording_track_init (VgRecordingTrack *self)
{
  self->spans = vg_time_ranges_new ();
  self->known = vg_time_ranges_new ();
  self->marks = g_array_new (FALSE, FALSE, sizeof (VgTimelineMark));
}
