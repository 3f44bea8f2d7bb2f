/* vg-capture.c: which camera streams are connected and recorded, and how they are doing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-capture.h"
#include "vg-json.h"
#include "vg-recorder.h"
#include "vg-stream-hub.h"

/* One connection of a stream to its camera: the ingest's callbacks go through it, and
 * it is detached (ignored from then on) when the capture drops that connection. */
typedef struct
{
  VgCapture   *capture;     /* borrowed: the capture waits for every ticket's destroy */
  VgStreamHub *hub;
  gint         detached;    /* atomic */
} Ticket;

/* Every stream of every camera has one, connected or not. */
typedef struct
{
  VgCapture    *capture;
  gint64        camera_id;
  char         *name;
  VgStreamHub  *hub;
  gulong        demand_handler;
  gboolean      enabled;      /* the camera is */
  gboolean      keep_open;
  char         *url;          /* how it is (or would be) connected */
  guint         transport;
  VgStreamIngest ingest;
  char         *tls_fingerprint; /* the pinned certificate of an rtsps:// camera, or NULL */
  Ticket       *ticket;       /* NULL when not connected */
  guint         source_id;
  VgSourceState state;
  VgRecorder   *recorder;     /* NULL when not recorded now */
  gint          disk_id;      /* the recorder's */
  gboolean      low_latency;  /* holds one vg_ingest_hold_low_latency */
  guint         idle_id;      /* nobody watches: closes when it fires */
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
  guint             idle_seconds;
  VgSourceOptions   options;
  GHashTable       *streams;     /* "camera/stream" → StreamCapture */
  GMutex            hubs_lock;
  GHashTable       *hubs;        /* "camera/stream" → VgStreamHub, for other threads */
  guint             schedule_id; /* at each quarter-hour: calendars are looked at again */
  GHashTable       *forced;      /* camera id → Forced: recording on demand (REC-6) */
  guint             pending;     /* tickets whose destroy has not come yet */
};

/* A camera recorded on demand until a time, whatever its mode says (REC-6). */
typedef struct
{
  gint64 until;        /* real time, µs */
  guint  end_id;
} Forced;

static void
forced_free (gpointer data)
{
  Forced *forced = data;

  g_clear_handle_id (&forced->end_id, g_source_remove);
  g_free (forced);
}

G_DEFINE_TYPE (VgCapture, vg_capture, G_TYPE_OBJECT)

enum {
  STREAM_STATE,
  DISK_FULL,
  FORCED_RECORDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
stream_key (gint64 camera_id, const char *stream)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", camera_id, stream);
}

/* Callbacks of VgIngest (ingest thread, but for state_changed and the destroy) */

static gboolean
ticket_live (Ticket *ticket)
{
  return !g_atomic_int_get (&ticket->detached);
}

static void
tracks_cb (gpointer user_data, VgTrackInfo **tracks, guint n_tracks)
{
  Ticket *ticket = user_data;

  if (ticket_live (ticket))
    vg_stream_hub_push_tracks (ticket->hub, tracks, n_tracks);
}

static void
unit_cb (gpointer user_data, VgAccessUnit *unit)
{
  Ticket *ticket = user_data;

  if (ticket_live (ticket))
    vg_stream_hub_push_unit (ticket->hub, unit);
}

static void
lost_cb (gpointer user_data)
{
  Ticket *ticket = user_data;

  if (ticket_live (ticket))
    vg_stream_hub_push_lost (ticket->hub);
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
log_state_change (VgCapture *self, StreamCapture *stream, VgSourceState state, const char *error)
{
  const char *name = vg_source_state_to_string (state);
  g_autofree char *message = g_strdup_printf ("%s: %s%s%s", stream->name, name,
                                              error ? ": " : "", error ? error : "");
  VgDbParams *params = vg_db_params_new ();

  vg_db_params_add_int (params, stream->camera_id);
  vg_db_params_add_string (params, state == VG_SOURCE_STATE_LOST ? "disconnected" : "reconnected");
  vg_db_params_add_string (params, message);
  vg_database_run_async (self->database, log_job, params, NULL, log_done_cb, params);
  g_message ("camera %" G_GINT64_FORMAT " %s", stream->camera_id, message);
}

static void
set_state (StreamCapture *stream, VgSourceState state, const char *error)
{
  VgCapture *self = stream->capture;
  VgSourceState previous = stream->state;

  stream->state = state;
  if ((state == VG_SOURCE_STATE_LOST && previous == VG_SOURCE_STATE_STREAMING) ||
      (state == VG_SOURCE_STATE_STREAMING && previous == VG_SOURCE_STATE_LOST))
    log_state_change (self, stream, state, error);
  if (state != previous || error)
    g_signal_emit (self, signals[STREAM_STATE], 0, stream->camera_id, stream->name,
                   vg_source_state_to_string (state), error);
}

/* Something the ingest found worth the camera's log (a drifting clock). */
static void
notice_cb (gpointer user_data, const char *kind, const char *message)
{
  Ticket *ticket = user_data;
  VgDbParams *params;
  gint64 camera_id = vg_stream_hub_get_camera_id (ticket->hub);

  if (!ticket_live (ticket))
    return;
  params = vg_db_params_new ();
  vg_db_params_add_int (params, camera_id);
  vg_db_params_add_string (params, kind);
  vg_db_params_add_string (params, message);
  vg_database_run_async (ticket->capture->database, log_job, params, NULL, log_done_cb, params);
  g_message ("camera %" G_GINT64_FORMAT " %s: %s", camera_id, vg_stream_hub_get_stream (ticket->hub), message);
}

static void
state_changed_cb (gpointer user_data, VgSourceState state, const char *error)
{
  Ticket *ticket = user_data;
  g_autofree char *key = NULL;
  StreamCapture *stream;

  if (!ticket_live (ticket))
    return;
  key = stream_key (vg_stream_hub_get_camera_id (ticket->hub), vg_stream_hub_get_stream (ticket->hub));
  stream = g_hash_table_lookup (ticket->capture->streams, key);
  if (stream && stream->ticket == ticket)
    set_state (stream, state, error);
}

static void
ticket_destroy (gpointer user_data)
{
  Ticket *ticket = user_data;

  ticket->capture->pending--;
  g_object_unref (ticket->hub);
  g_free (ticket);
}

static const VgSourceCallbacks stream_callbacks = {
  tracks_cb, unit_cb, lost_cb, state_changed_cb, notice_cb,
};

/* Connecting and recording a stream */

static VgSourceOptions
stream_options (VgCapture *self, StreamCapture *stream)
{
  VgSourceOptions options = self->options;

  options.transport = stream->transport;
  options.gstreamer = stream->ingest == VG_STREAM_INGEST_GSTREAMER;
  g_strlcpy (options.tls_fingerprint, stream->tls_fingerprint ? stream->tls_fingerprint : "",
             sizeof options.tls_fingerprint);
  return options;
}

static gboolean
stream_uses_gstreamer (StreamCapture *stream)
{
  VgSourceOptions options;

  if (stream == NULL)
    return FALSE;
  options = stream_options (stream->capture, stream);
  return vg_ingest_uses_gstreamer (stream->url, &options);
}

static void
connect_stream (VgCapture *self, StreamCapture *stream)
{
  VgSourceOptions options = stream_options (self, stream);
  Ticket *ticket = g_new0 (Ticket, 1);

  ticket->capture = self;
  ticket->hub = g_object_ref (stream->hub);
  self->pending++;
  stream->ticket = ticket;
  stream->source_id = vg_ingest_add_source (self->ingest, stream->url, &options, &stream_callbacks,
                                            ticket, ticket_destroy);
  set_state (stream, VG_SOURCE_STATE_CONNECTING, NULL);
}

static void
disconnect_stream (VgCapture *self, StreamCapture *stream)
{
  if (stream->ticket == NULL)
    return;
  g_atomic_int_set (&stream->ticket->detached, TRUE);
  vg_ingest_remove_source (self->ingest, stream->source_id);
  stream->ticket = NULL;
  stream->source_id = 0;
  vg_stream_hub_push_lost (stream->hub);
  set_state (stream, VG_SOURCE_STATE_STOPPED, NULL);
}

static void
stop_recorder (StreamCapture *stream)
{
  g_autoptr(VgRecorder) recorder = vg_stream_hub_swap_recorder (stream->hub, NULL);

  if (recorder)
    vg_recorder_stop (recorder);
  g_clear_object (&stream->recorder);
}

static void
hand_recorder_to_hub (VgStreamHub *hub, VgRecorder *recorder)
{
  VgRecorder *previous = vg_stream_hub_swap_recorder (hub, recorder);

  if (previous)
    g_object_unref (previous);
}

static void
recorder_disk_full_cb (VgRecorder *recorder, gint disk_id, VgCapture *self)
{
  g_signal_emit (self, signals[DISK_FULL], 0, disk_id);
}

static void
start_recorder (VgCapture *self, StreamCapture *stream, gint disk_id)
{
  VgDisk *disk = disk_id > 0 ? vg_storage_lookup_disk (self->storage, disk_id) : NULL;

  if (disk == NULL)
    disk = vg_storage_get_default_disk (self->storage);
  stream->recorder = vg_recorder_new (self->index, disk, stream->camera_id, stream->name,
                                      self->segment_seconds);
  g_signal_connect_object (stream->recorder, "disk-full", G_CALLBACK (recorder_disk_full_cb), self, 0);
  stream->disk_id = disk_id;
  hand_recorder_to_hub (stream->hub, stream->recorder);
}

static void
set_recording (VgCapture *self, StreamCapture *stream, gboolean recording, gint disk_id)
{
  if (stream->recorder && (!recording || stream->disk_id != disk_id))
    stop_recorder (stream);
  if (recording && stream->recorder == NULL)
    start_recorder (self, stream, disk_id);
}

/* ACQ-6: a stream is connected while it is recorded, viewed, kept open, or within the
 * idle delay after its last viewer left. */
static gboolean
stream_wanted (StreamCapture *stream)
{
  return stream->enabled &&
         (stream->recorder || stream->keep_open || stream->idle_id ||
          vg_stream_hub_get_n_viewers (stream->hub) > 0);
}

static void
update_low_latency (VgCapture *self, StreamCapture *stream)
{
  gboolean watched = stream->ticket && vg_stream_hub_get_n_viewers (stream->hub) > 0;

  if (watched && !stream->low_latency)
    vg_ingest_hold_low_latency (self->ingest);
  else if (!watched && stream->low_latency)
    vg_ingest_release_low_latency (self->ingest);
  stream->low_latency = watched;
}

static void
update_connection (VgCapture *self, StreamCapture *stream)
{
  gboolean wanted = stream_wanted (stream);

  if (wanted && stream->ticket == NULL)
    connect_stream (self, stream);
  else if (!wanted && stream->ticket)
    disconnect_stream (self, stream);
  update_low_latency (self, stream);
}

static gboolean
idle_cb (gpointer user_data)
{
  StreamCapture *stream = user_data;

  stream->idle_id = 0;
  update_connection (stream->capture, stream);
  return G_SOURCE_REMOVE;
}

static void
demand_changed_cb (VgStreamHub *hub, StreamCapture *stream)
{
  VgCapture *self = stream->capture;

  if (vg_stream_hub_get_n_viewers (hub) > 0)
    g_clear_handle_id (&stream->idle_id, g_source_remove);
  else if (stream->ticket && stream->idle_id == 0 && self->idle_seconds > 0)
    stream->idle_id = g_timeout_add_seconds (self->idle_seconds, idle_cb, stream);
  update_connection (self, stream);
}

static StreamCapture *
stream_new (VgCapture *self, gint64 camera_id, const char *name)
{
  StreamCapture *stream = g_new0 (StreamCapture, 1);

  stream->capture = self;
  stream->camera_id = camera_id;
  stream->name = g_strdup (name);
  stream->hub = vg_stream_hub_new (camera_id, name);
  stream->state = VG_SOURCE_STATE_STOPPED;
  stream->demand_handler = g_signal_connect (stream->hub, "demand-changed",
                                             G_CALLBACK (demand_changed_cb), stream);
  g_mutex_lock (&self->hubs_lock);
  g_hash_table_insert (self->hubs, stream_key (camera_id, name), g_object_ref (stream->hub));
  g_mutex_unlock (&self->hubs_lock);
  return stream;
}

/* The value destroy of self->streams. */
static void
stream_free (gpointer data)
{
  StreamCapture *stream = data;
  VgCapture *self = stream->capture;
  g_autofree char *key = stream_key (stream->camera_id, stream->name);

  g_clear_handle_id (&stream->idle_id, g_source_remove);
  stream->enabled = FALSE;
  if (self->ingest)
    {
      disconnect_stream (self, stream);
      update_low_latency (self, stream);
    }
  stop_recorder (stream);
  g_signal_handler_disconnect (stream->hub, stream->demand_handler);
  g_mutex_lock (&self->hubs_lock);
  g_hash_table_remove (self->hubs, key);
  g_mutex_unlock (&self->hubs_lock);
  g_object_unref (stream->hub);
  g_free (stream->url);
  g_free (stream->tls_fingerprint);
  g_free (stream->name);
  g_free (stream);
}

/* Following the cameras */

static gboolean
is_forced (VgCapture *self, gint64 camera_id)
{
  Forced *forced = g_hash_table_lookup (self->forced, &camera_id);

  return forced != NULL && forced->until > g_get_real_time ();
}

static gboolean
records (VgCapture *self, VgCamera *camera, VgStream *stream)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return vg_camera_get_enabled (camera) &&
         (vg_camera_is_recording_time (camera, now) || is_forced (self, vg_camera_get_id (camera))) &&
         (vg_stream_get_roles (stream) & VG_STREAM_ROLE_RECORD);
}

static void
sync_stream (VgCapture *self, VgCamera *camera, VgStream *config)
{
  gint64 camera_id = vg_camera_get_id (camera);
  g_autofree char *key = stream_key (camera_id, vg_stream_get_name (config));
  StreamCapture *stream = g_hash_table_lookup (self->streams, key);

  if (stream == NULL)
    {
      stream = stream_new (self, camera_id, vg_stream_get_name (config));
      g_hash_table_insert (self->streams, g_steal_pointer (&key), stream);
    }
  if (g_strcmp0 (stream->url, vg_stream_get_url (config)) != 0 ||
      stream->transport != vg_stream_get_transport (config) ||
      stream->ingest != vg_stream_get_ingest (config) ||
      g_strcmp0 (stream->tls_fingerprint, vg_stream_get_tls_fingerprint (config)) != 0)
    {
      disconnect_stream (self, stream);   /* connected again below, the new way */
      g_free (stream->url);
      stream->url = g_strdup (vg_stream_get_url (config));
      stream->transport = vg_stream_get_transport (config);
      stream->ingest = vg_stream_get_ingest (config);
      g_free (stream->tls_fingerprint);
      stream->tls_fingerprint = g_strdup (vg_stream_get_tls_fingerprint (config));
    }
  stream->enabled = vg_camera_get_enabled (camera);
  stream->keep_open = vg_stream_get_keep_open (config);
  set_recording (self, stream, records (self, camera, config), vg_camera_get_disk (camera));
  update_connection (self, stream);
}

static gboolean
camera_has_stream (VgCamera *camera, const char *name)
{
  GPtrArray *streams = camera ? vg_camera_get_streams (camera) : NULL;

  for (guint i = 0; streams && i < streams->len; i++)
    if (g_str_equal (vg_stream_get_name (streams->pdata[i]), name))
      return TRUE;
  return FALSE;
}

/* camera NULL: it is gone, and every stream of camera_id with it. */
static void
sync_camera (VgCapture *self, gint64 camera_id, VgCamera *camera)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      StreamCapture *stream = value;

      if (stream->camera_id == camera_id && !camera_has_stream (camera, stream->name))
        g_hash_table_iter_remove (&iter);
    }
  if (camera == NULL)
    return;
  for (guint i = 0; i < vg_camera_get_streams (camera)->len; i++)
    sync_stream (self, camera, vg_camera_get_streams (camera)->pdata[i]);
}

static void
camera_added_cb (VgCameraManager *cameras, VgCamera *camera, VgCapture *self)
{
  sync_camera (self, vg_camera_get_id (camera), camera);
}

static void
camera_removed_cb (VgCameraManager *cameras, gint64 camera_id, VgCapture *self)
{
  g_hash_table_remove (self->forced, &camera_id);
  sync_camera (self, camera_id, NULL);
}

/* Forced recording (REC-6) */

typedef struct
{
  VgCapture *capture;
  gint64     camera_id;
} ForcedEnd;

static gboolean
forced_end_cb (gpointer data)
{
  ForcedEnd *end = data;
  VgCapture *self = end->capture;
  gint64 camera_id = end->camera_id;
  Forced *forced = g_hash_table_lookup (self->forced, &camera_id);

  if (forced != NULL)
    forced->end_id = 0;   /* this source ends on its own */
  g_hash_table_remove (self->forced, &camera_id);
  sync_camera (self, camera_id, vg_camera_manager_lookup (self->cameras, camera_id));
  g_signal_emit (self, signals[FORCED_RECORDING], 0, camera_id);
  return G_SOURCE_REMOVE;
}

gboolean
vg_capture_force_recording (VgCapture *self, gint64 camera_id, guint seconds)
{
  VgCamera *camera;
  Forced *forced;
  ForcedEnd *end;

  g_return_val_if_fail (VG_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (seconds > 0, FALSE);

  camera = vg_camera_manager_lookup (self->cameras, camera_id);
  if (camera == NULL)
    return FALSE;

  forced = g_new0 (Forced, 1);
  forced->until = g_get_real_time () + (gint64) seconds * G_USEC_PER_SEC;
  end = g_new0 (ForcedEnd, 1);
  end->capture = self;
  end->camera_id = camera_id;
  forced->end_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, forced_end_cb,
                                               end, g_free);
  g_hash_table_replace (self->forced, g_memdup2 (&camera_id, sizeof camera_id), forced);
  sync_camera (self, camera_id, camera);
  g_signal_emit (self, signals[FORCED_RECORDING], 0, camera_id);
  return TRUE;
}

gboolean
vg_capture_stop_forced_recording (VgCapture *self, gint64 camera_id)
{
  g_return_val_if_fail (VG_IS_CAPTURE (self), FALSE);

  if (!g_hash_table_remove (self->forced, &camera_id))
    return FALSE;
  sync_camera (self, camera_id, vg_camera_manager_lookup (self->cameras, camera_id));
  g_signal_emit (self, signals[FORCED_RECORDING], 0, camera_id);
  return TRUE;
}

gint64
vg_capture_get_forced_until (VgCapture *self, gint64 camera_id)
{
  Forced *forced;

  g_return_val_if_fail (VG_IS_CAPTURE (self), 0);

  forced = g_hash_table_lookup (self->forced, &camera_id);
  return forced != NULL && forced->until > g_get_real_time () ? forced->until : 0;
}

/* Calendars (REC-3): at each quarter-hour, cameras whose "schedule" mode turns
 * recording on or off start or stop recording (their live viewers stay). */
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
      sync_camera (self, vg_camera_get_id (cameras->pdata[i]), cameras->pdata[i]);
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
  g_hash_table_unref (self->hubs);
  g_hash_table_unref (self->forced);
  g_mutex_clear (&self->hubs_lock);
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
  signals[FORCED_RECORDING] = g_signal_new ("forced-recording", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vg_capture_init (VgCapture *self)
{
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stream_free);
  g_mutex_init (&self->hubs_lock);
  self->hubs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->forced = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, forced_free);
}

VgCapture *
vg_capture_new (VgCameraManager *cameras, VgDatabase *database, VgStorage *storage,
                VgRecordingIndex *index, guint segment_seconds, guint batch_ms, guint watchdog_seconds,
                guint idle_seconds)
{
  VgCapture *self = g_object_new (VG_TYPE_CAPTURE, NULL);

  self->cameras = g_object_ref (cameras);
  self->database = g_object_ref (database);
  self->storage = g_object_ref (storage);
  self->index = g_object_ref (index);
  self->segment_seconds = segment_seconds;
  self->batch_ms = batch_ms;
  self->options.watchdog_s = watchdog_seconds;
  self->idle_seconds = idle_seconds;
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
    camera_added_cb (self->cameras, cameras->pdata[i], self);
  g_signal_connect_object (self->cameras, "camera-added", G_CALLBACK (camera_added_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-changed", G_CALLBACK (camera_added_cb), self, 0);
  g_signal_connect_object (self->cameras, "camera-removed", G_CALLBACK (camera_removed_cb), self, 0);
  schedule_next_check (self);
}

/* The ingest is about to drop every source: their tickets go with them. */
static void
forget_connections (VgCapture *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      StreamCapture *stream = value;

      if (stream->ticket)
        g_atomic_int_set (&stream->ticket->detached, TRUE);
      stream->ticket = NULL;
      stream->source_id = 0;
    }
}

void
vg_capture_stop (VgCapture *self)
{
  g_return_if_fail (VG_IS_CAPTURE (self));
  if (self->ingest == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->cameras, self);
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_hash_table_remove_all (self->forced);
  forget_connections (self);
  vg_ingest_shutdown (self->ingest);
  /* Nothing is pushed any more: the recorders close their segments. */
  g_hash_table_remove_all (self->streams);
  /* The tickets' destroys (and the recorders' last index rows) are queued on the
   * main context: run them now, so that nothing refers to us afterwards. */
  while (self->pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->ingest);
}

VgStreamHub *
vg_capture_lookup_hub (VgCapture *self, gint64 camera_id, const char *stream)
{
  g_autofree char *key = stream_key (camera_id, stream);
  VgStreamHub *hub;

  g_return_val_if_fail (VG_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->hubs_lock);
  hub = g_hash_table_lookup (self->hubs, key);
  if (hub)
    g_object_ref (hub);
  g_mutex_unlock (&self->hubs_lock);
  return hub;
}

/* Status */

void
vg_capture_add_forced_until (VgCapture *self, JsonBuilder *builder, gint64 camera_id)
{
  gint64 until = vg_capture_get_forced_until (self, camera_id);

  json_builder_set_member_name (builder, "forced_until");
  if (until > 0)
    {
      g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (until);
      g_autofree char *text = vg_time_format_iso8601 (time);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

JsonNode *
vg_capture_get_camera_status (VgCapture *self, VgCamera *camera)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *streams = vg_camera_get_streams (camera);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, vg_camera_get_id (camera));
  vg_capture_add_forced_until (self, builder, vg_camera_get_id (camera));
  json_builder_set_member_name (builder, "streams");
  json_builder_begin_array (builder);
  for (guint i = 0; i < streams->len; i++)
    {
      const char *name = vg_stream_get_name (streams->pdata[i]);
      g_autofree char *key = stream_key (vg_camera_get_id (camera), name);
      StreamCapture *stream = self->ingest ? g_hash_table_lookup (self->streams, key) : NULL;
      VgSourceStatus status = { 0 };

      if (stream == NULL || stream->ticket == NULL ||
          !vg_ingest_get_status (self->ingest, stream->source_id, &status))
        status.state = VG_SOURCE_STATE_STOPPED;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, vg_source_state_to_string (stream ? stream->state : status.state));
      json_builder_set_member_name (builder, "recording");
      json_builder_add_boolean_value (builder, stream != NULL && stream->recorder != NULL &&
                                               stream->state == VG_SOURCE_STATE_STREAMING);
      json_builder_set_member_name (builder, "ingest");
      json_builder_add_string_value (builder, stream_uses_gstreamer (stream) ? "gstreamer" : "native");
      json_builder_set_member_name (builder, "viewers");
      json_builder_add_int_value (builder, stream ? vg_stream_hub_get_n_viewers (stream->hub) : 0);
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
      json_builder_set_member_name (builder, "clock_offset_ms");
      if (status.has_clock_offset)
        json_builder_add_int_value (builder, status.clock_offset_ms);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "tls_fingerprint");
      if (status.tls_fingerprint)
        json_builder_add_string_value (builder, status.tls_fingerprint);
      else
        json_builder_add_null_value (builder);
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
    "vigie_stream_clock_offset_ms", "vigie_stream_viewers",
  };
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (VG_IS_CAPTURE (self));
  for (gsize m = 0; m < G_N_ELEMENTS (names); m++)
    {
      g_string_append_printf (out, "# TYPE %s %s\n", names[m], m < 3 || m >= 6 ? "gauge" : "counter");
      if (self->ingest == NULL)
        continue;
      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          StreamCapture *stream = value;
          VgSourceStatus status;
          double values[G_N_ELEMENTS (names)];

          if (stream->ticket == NULL || !vg_ingest_get_status (self->ingest, stream->source_id, &status))
            continue;
          values[0] = status.state == VG_SOURCE_STATE_STREAMING;
          values[1] = status.fps;
          values[2] = (double) status.bitrate_bps;
          values[3] = (double) status.frames;
          values[4] = (double) status.packets_lost;
          values[5] = (double) status.reconnections;
          values[6] = (double) status.clock_offset_ms;
          values[7] = (double) vg_stream_hub_get_n_viewers (stream->hub);
          if (m == 6 && !status.has_clock_offset)
            {
              vg_source_status_clear (&status);
              continue;   /* no sender report: no value */
            }
          g_string_append_printf (out, "%s{camera=\"%" G_GINT64_FORMAT "\",stream=\"%s\"} %.17g\n",
                                  names[m], stream->camera_id, stream->name, values[m]);
          vg_source_status_clear (&status);
        }
    }
}
