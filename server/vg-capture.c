/* vg-capture.c: which camera streams are connected and recorded, and how they are doing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-capture.h"
#include "vg-json.h"
#include "vg-recorder.h"

typedef struct
{
  VgCapture  *capture;      /* borrowed: the capture outlives its streams' callbacks */
  gint64      camera_id;
  char       *stream;
  guint       source_id;
  VgRecorder *recorder;
  VgSourceState state;
} StreamCapture;

struct _VgCapture
{
  GObject           parent_instance;

  VgCameraManager  *cameras;
  VgDatabase       *database;
  VgStorage        *storage;
  VgRecordingIndex *index;
  VgIngest         *ingest;
  guint             segment_seconds;
  guint             batch_ms;
  VgSourceOptions   options;
  GHashTable       *streams;     /* "camera/stream" → StreamCapture */
  GHashTable       *signatures;  /* camera id (gint64 *) → what was started, as text */
  guint             schedule_id; /* at each quarter-hour: calendars are looked at again */
  guint             pending;     /* streams whose destroy has not come yet */
};

G_DEFINE_TYPE (VgCapture, vg_capture, G_TYPE_OBJECT)

enum {
  STREAM_STATE,
  DISK_FULL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Callbacks of VgIngest */

static void
tracks_cb (gpointer user_data, VgTrackInfo **tracks, guint n_tracks)
{
  StreamCapture *stream = user_data;

  vg_recorder_set_tracks (stream->recorder, tracks, n_tracks);
}

static void
unit_cb (gpointer user_data, VgAccessUnit *unit)
{
  StreamCapture *stream = user_data;

  vg_recorder_push (stream->recorder, unit);
}

static void
lost_cb (gpointer user_data)
{
  StreamCapture *stream = user_data;

  vg_recorder_cut (stream->recorder);
}

static gboolean
log_job (VgDbConnection *conn, gpointer data, GError **error)
{
  VgDbParams *params = data;
  g_autoptr(VgDbResult) row = vg_db_exec (conn,
    "INSERT INTO camera_log (camera_id, kind, message) "
    "SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM cameras WHERE id = $1)", params, error);
  return row != NULL;
}

static void
log_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_debug ("camera log: %s", error->message);
  vg_db_params_free (user_data);
}

static void
state_changed_cb (gpointer user_data, VgSourceState state, const char *error)
{
  StreamCapture *stream = user_data;
  VgCapture *self = stream->capture;
  VgSourceState previous = stream->state;
  const char *name = vg_source_state_to_string (state);

  stream->state = state;
  if ((state == VG_SOURCE_STATE_LOST && previous == VG_SOURCE_STATE_STREAMING) ||
      (state == VG_SOURCE_STATE_STREAMING && previous == VG_SOURCE_STATE_LOST))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s%s%s", stream->stream, name,
                                                  error ? ": " : "", error ? error : "");
      VgDbParams *params = vg_db_params_new ();

      vg_db_params_add_int (params, stream->camera_id);
      vg_db_params_add_string (params, state == VG_SOURCE_STATE_LOST ? "disconnected" : "reconnected");
      vg_db_params_add_string (params, message);
      vg_database_run_async (self->database, log_job, params, NULL, log_done_cb, params);
      g_message ("camera %" G_GINT64_FORMAT " %s", stream->camera_id, message);
    }
  g_signal_emit (self, signals[STREAM_STATE], 0, stream->camera_id, stream->stream, name, error);
}

static void
stream_destroy (gpointer user_data)
{
  StreamCapture *stream = user_data;

  stream->capture->pending--;
  vg_recorder_stop (stream->recorder);
  g_object_unref (stream->recorder);
  g_free (stream->stream);
  g_free (stream);
}

static const VgSourceCallbacks stream_callbacks = {
  tracks_cb, unit_cb, lost_cb, state_changed_cb,
};

/* Following the cameras */

static char *
stream_key (gint64 camera_id, const char *stream)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", camera_id, stream);
}

static gboolean
records (VgCamera *camera, VgStream *stream)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return vg_camera_get_enabled (camera) && vg_camera_is_recording_time (camera, now) &&
         (vg_stream_get_roles (stream) & VG_STREAM_ROLE_RECORD);
}

static char *
signature (VgCamera *camera)
{
  GPtrArray *streams = vg_camera_get_streams (camera);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "disk %d\n", vg_camera_get_disk (camera));
  for (guint i = 0; i < streams->len; i++)
    if (records (camera, streams->pdata[i]))
      g_string_append_printf (text, "%s %s %u\n", vg_stream_get_name (streams->pdata[i]),
                              vg_stream_get_url (streams->pdata[i]), vg_stream_get_transport (streams->pdata[i]));
  return g_string_free (text, FALSE);
}

static void
stop_camera (VgCapture *self, gint64 camera_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      StreamCapture *stream = value;

      if (stream->camera_id != camera_id)
        continue;
      vg_ingest_remove_source (self->ingest, stream->source_id);
      g_hash_table_iter_remove (&iter);
    }
  g_hash_table_remove (self->signatures, &camera_id);
}

static void
recorder_disk_full_cb (VgRecorder *recorder, gint disk_id, VgCapture *self)
{
  g_signal_emit (self, signals[DISK_FULL], 0, disk_id);
}

static void
start_camera (VgCapture *self, VgCamera *camera)
{
  gint64 camera_id = vg_camera_get_id (camera);
  GPtrArray *streams = vg_camera_get_streams (camera);
  VgDisk *disk = vg_camera_get_disk (camera) > 0 ? vg_storage_lookup_disk (self->storage, vg_camera_get_disk (camera))
                                                  : NULL;

  if (disk == NULL)
    disk = vg_storage_get_default_disk (self->storage);

  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *config = streams->pdata[i];
      StreamCapture *stream;

      if (!records (camera, config))
        continue;
      stream = g_new0 (StreamCapture, 1);
      stream->capture = self;
      stream->camera_id = camera_id;
      stream->stream = g_strdup (vg_stream_get_name (config));
      stream->state = VG_SOURCE_STATE_CONNECTING;
      stream->recorder = vg_recorder_new (self->index, disk, camera_id, stream->stream,
                                          self->segment_seconds);
      g_signal_connect_object (stream->recorder, "disk-full", G_CALLBACK (recorder_disk_full_cb), self, 0);
      self->pending++;
      VgSourceOptions options = self->options;

      options.transport = vg_stream_get_transport (config);
      stream->source_id = vg_ingest_add_source (self->ingest, vg_stream_get_url (config), &options,
                                                &stream_callbacks, stream, stream_destroy);
      g_hash_table_insert (self->streams, stream_key (camera_id, stream->stream), stream);
    }
  g_hash_table_insert (self->signatures, g_memdup2 (&camera_id, sizeof camera_id), signature (camera));
}

static void
camera_added_cb (VgCameraManager *cameras, VgCamera *camera, VgCapture *self)
{
  start_camera (self, camera);
}

static void
camera_changed_cb (VgCameraManager *cameras, VgCamera *camera, VgCapture *self)
{
  gint64 camera_id = vg_camera_get_id (camera);
  g_autofree char *now = signature (camera);

  if (g_strcmp0 (g_hash_table_lookup (self->signatures, &camera_id), now) == 0)
    return;
  stop_camera (self, camera_id);
  start_camera (self, camera);
}

static void
camera_removed_cb (VgCameraManager *cameras, gint64 camera_id, VgCapture *self)
{
  stop_camera (self, camera_id);
}

/* Calendars (REC-3): at each quarter-hour, cameras whose "schedule" mode turns
 * recording on or off are started or stopped. */
static gboolean quarter_hour_cb (gpointer user_data);

static void
schedule_next_check (VgCapture *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* A little after the boundary, so that the new slot is the one seen. */
  guint ms = (guint) (vg_schedule_until_next_slot (now) / 1000) + 200;

  self->schedule_id = g_timeout_add (ms, quarter_hour_cb, self);
}

static gboolean
quarter_hour_cb (gpointer user_data)
{
  VgCapture *self = user_data;
  g_autoptr(GPtrArray) cameras = vg_camera_manager_list (self->cameras);

  self->schedule_id = 0;
  for (guint i = 0; i < cameras->len; i++)
    if (vg_camera_get_recording_mode (cameras->pdata[i]) == VG_RECORDING_MODE_SCHEDULE)
      camera_changed_cb (self->cameras, cameras->pdata[i], self);
  schedule_next_check (self);
  return G_SOURCE_REMOVE;
}

/* Object */

static void
vg_capture_dispose (GObject *object)
{
  VgCapture *self = VG_CAPTURE (object);

  vg_capture_stop (self);
  g_clear_object (&self->ingest);
  g_clear_object (&self->cameras);
  g_clear_object (&self->database);
  g_clear_object (&self->storage);
  g_clear_object (&self->index);
  G_OBJECT_CLASS (vg_capture_parent_class)->dispose (object);
}

static void
vg_capture_finalize (GObject *object)
{
  VgCapture *self = VG_CAPTURE (object);

  g_hash_table_unref (self->streams);
  g_hash_table_unref (self->signatures);
  G_OBJECT_CLASS (vg_capture_parent_class)->finalize (object);
}

static void
vg_capture_class_init (VgCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_capture_dispose;
  object_class->finalize = vg_capture_finalize;

  signals[STREAM_STATE] = g_signal_new ("stream-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_INT64,
                                        G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[DISK_FULL] = g_signal_new ("disk-full", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
vg_capture_init (VgCapture *self)
{
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->signatures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

VgCapture *
vg_capture_new (VgCameraManager *cameras, VgDatabase *database, VgStorage *storage,
                VgRecordingIndex *index, guint segment_seconds, guint batch_ms, guint watchdog_seconds)
{
  VgCapture *self = g_object_new (VG_TYPE_CAPTURE, NULL);

  self->cameras = g_object_ref (cameras);
  self->database = g_object_ref (database);
  self->storage = g_object_ref (storage);
  self->index = g_object_ref (index);
  self->segment_seconds = segment_seconds;
  self->batch_ms = batch_ms;
  self->options.watchdog_s = watchdog_seconds;
  return self;
}

void
vg_capture_start (VgCapture *self)
{
  g_autoptr(GPtrArray) cameras = NULL;

  g_return_if_fail (VG_IS_CAPTURE (self));
  if (self->ingest)
    return;
  self->ingest = vg_ingest_new (self->batch_ms);
  cameras = vg_camera_manager_list (self->cameras);
  for (guint i = 0; i < cameras->len; i++)
    start_camera (self, cameras->pdata[i]);
  g_signal_connect_object (self->cameras, "camera-added", G_CALLBACK (camera_added_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-changed", G_CALLBACK (camera_changed_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-removed", G_CALLBACK (camera_removed_cb), self, 0);
  schedule_next_check (self);
}

void
vg_capture_stop (VgCapture *self)
{
  g_return_if_fail (VG_IS_CAPTURE (self));
  if (self->ingest == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->cameras, self);
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  vg_ingest_shutdown (self->ingest);
  g_hash_table_remove_all (self->streams);
  g_hash_table_remove_all (self->signatures);
  /* The streams' destroys (and their recorders' last index rows) are queued on the
   * main context: run them now, so that nothing refers to us afterwards. */
  while (self->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* Status */

JsonNode *
vg_capture_get_camera_status (VgCapture *self, VgCamera *camera)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *streams = vg_camera_get_streams (camera);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, vg_camera_get_id (camera));
  json_builder_set_member_name (builder, "streams");
  json_builder_begin_array (builder);
  for (guint i = 0; i < streams->len; i++)
    {
      const char *name = vg_stream_get_name (streams->pdata[i]);
      g_autofree char *key = stream_key (vg_camera_get_id (camera), name);
      StreamCapture *stream = self->ingest ? g_hash_table_lookup (self->streams, key) : NULL;
      VgSourceStatus status = { 0 };

      if (stream == NULL || !vg_ingest_get_status (self->ingest, stream->source_id, &status))
        status.state = VG_SOURCE_STATE_STOPPED;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, vg_source_state_to_string (stream ? stream->state : status.state));
      json_builder_set_member_name (builder, "recording");
      json_builder_add_boolean_value (builder, stream != NULL && stream->state == VG_SOURCE_STATE_STREAMING);
      json_builder_set_member_name (builder, "error");
      if (status.error)
        json_builder_add_string_value (builder, status.error);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "codec");
      if (status.codec)
        json_builder_add_string_value (builder, status.codec);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, status.width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, status.height);
      json_builder_set_member_name (builder, "fps");
      json_builder_add_double_value (builder, status.fps);
      json_builder_set_member_name (builder, "bitrate");
      json_builder_add_int_value (builder, (gint64) status.bitrate_bps);
      json_builder_set_member_name (builder, "frames");
      json_builder_add_int_value (builder, (gint64) status.frames);
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, (gint64) status.bytes);
      json_builder_set_member_name (builder, "packets_lost");
      json_builder_add_int_value (builder, (gint64) status.packets_lost);
      json_builder_set_member_name (builder, "reconnections");
      json_builder_add_int_value (builder, (gint64) status.reconnections);
      json_builder_set_member_name (builder, "last_frame");
      if (status.last_frame_us)
        {
          g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (status.last_frame_us);
          g_autofree char *text = vg_time_format_iso8601 (time);
          json_builder_add_string_value (builder, text);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      vg_source_status_clear (&status);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
vg_capture_append_metrics (VgCapture *self, GString *out)
{
  static const char *const names[] = {
    "vigie_stream_up", "vigie_stream_fps", "vigie_stream_bitrate_bps", "vigie_stream_frames_total",
    "vigie_stream_packets_lost_total", "vigie_stream_reconnections_total",
  };
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (VG_IS_CAPTURE (self));
  for (gsize m = 0; m < G_N_ELEMENTS (names); m++)
    {
      g_string_append_printf (out, "# TYPE %s %s\n", names[m], m < 3 ? "gauge" : "counter");
      if (self->ingest == NULL)
        continue;
      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          StreamCapture *stream = value;
          VgSourceStatus status;
          double values[G_N_ELEMENTS (names)];

          if (!vg_ingest_get_status (self->ingest, stream->source_id, &status))
            continue;
          values[0] = status.state == VG_SOURCE_STATE_STREAMING;
          values[1] = status.fps;
          values[2] = (double) status.bitrate_bps;
          values[3] = (double) status.frames;
          values[4] = (double) status.packets_lost;
          values[5] = (double) status.reconnections;
          g_string_append_printf (out, "%s{camera=\"%" G_GINT64_FORMAT "\",stream=\"%s\"} %.17g\n",
                                  names[m], stream->camera_id, stream->stream, values[m]);
          vg_source_status_clear (&status);
        }
    }
}
