/* vg-export-job.c: an export written by the node into one of its directories (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-export-job.h"

#define POLL_SECONDS 3

struct _VgExportJob
{
  GObject parent_instance;

  VgApiClient *client;
  JsonNode *body;
  gint64 id;
  char *state;
  double progress;
  guint64 bytes;
  char *error;
  GStrv files;

  GCancellable *cancellable;
  guint poll_id;
  gulong event_id;
};

G_DEFINE_FINAL_TYPE (VgExportJob, vg_export_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_BYTES,
  PROP_ERROR,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
vg_export_job_stop_following (VgExportJob *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_signal_handler (&self->event_id, self->client);
}

static void
vg_export_job_set_state (VgExportJob *self,
                         const char  *state)
{
  gboolean was_finished = vg_export_job_is_finished (self);

  if (g_strcmp0 (state, self->state) == 0)
    return;
  g_free (self->state);
  self->state = g_strdup (state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (!was_finished && vg_export_job_is_finished (self))
    {
      vg_export_job_stop_following (self);
      g_signal_emit (self, signals[FINISHED], 0);
    }
}

static void
vg_export_job_set_progress (VgExportJob *self,
                            double       progress,
                            guint64      bytes)
{
  if (progress != self->progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (bytes != self->bytes)
    {
      self->bytes = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
    }
}

/* A job as `GET /api/v1/exports/ID` and "export.done" give it. */
static void
vg_export_job_update (VgExportJob *self,
                      JsonObject  *job)
{
  JsonArray *files = NULL;
  const char *error;

  vg_export_job_set_progress (self, json_object_get_double_member_with_default (job, "progress", self->progress),
                              (guint64) json_object_get_int_member_with_default (job, "bytes", (gint64) self->bytes));
  if (vg_json_get_array_member (job, "files", FALSE, &files, NULL) && files != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (files); i++)
        g_strv_builder_add (builder, json_array_get_string_element (files, i));
      g_strfreev (self->files);
      self->files = g_strv_builder_end (builder);
    }
  error = json_object_get_string_member_with_default (job, "error", NULL);
  if (g_strcmp0 (error, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  vg_export_job_set_state (self, json_object_get_string_member_with_default (job, "state", self->state));
}

static void
event_cb (VgApiClient *client,
          JsonNode    *message,
          VgExportJob *self)
{
  JsonObject *object, *data;
  const char *type;

  if (!JSON_NODE_HOLDS_OBJECT (message))
    return;
  object = json_node_get_object (message);
  type = json_object_get_string_member_with_default (object, "type", "");
  data = json_object_get_object_member (object, "data");
  if (data == NULL || json_object_get_int_member_with_default (data, "id", -1) != self->id)
    return;

  if (g_str_equal (type, "export.progress"))
    vg_export_job_set_progress (self, json_object_get_double_member_with_default (data, "progress", 0),
                                (guint64) json_object_get_int_member_with_default (data, "bytes", 0));
  else if (g_str_equal (type, "export.done"))
    vg_export_job_update (self, data);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VgExportJob) self = user_data;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, NULL);

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    vg_export_job_update (self, json_node_get_object (body));
}

static gboolean
poll_timeout_cb (gpointer data)
{
  VgExportJob *self = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, self->id);

  vg_api_client_request_async (self->client, "GET", path, NULL, self->cancellable, poll_cb,
                               g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VgExportJob *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  JsonObject *job;

  if (body == NULL)
    {
      vg_export_job_set_state (self, "failed");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = vg_json_require_object (body, "export job", &error);
  if (job == NULL || !vg_json_get_int_member (job, "id", TRUE, 1, G_MAXINT64, &self->id, &error))
    {
      vg_export_job_set_state (self, "failed");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->event_id = g_signal_connect (self->client, "event", G_CALLBACK (event_cb), self);
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_timeout_cb, self);
  vg_export_job_update (self, job);
  g_task_return_boolean (task, TRUE);
}

void
vg_export_job_start_async (VgExportJob         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VG_IS_EXPORT_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_export_job_start_async);
  vg_api_client_request_async (self->client, "POST", "/api/v1/exports", self->body,
                               cancellable, posted_cb, task);
}

gboolean
vg_export_job_start_finish (VgExportJob   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VgExportJob) self = user_data;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, NULL);

  /* The job ends "cancelled" at its next Cluster: ask for it now. */
  if (!vg_export_job_is_finished (self))
    poll_timeout_cb (self);
}

void
vg_export_job_cancel (VgExportJob *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (VG_IS_EXPORT_JOB (self));

  if (self->id == 0 || vg_export_job_is_finished (self))
    return;
  path = g_strdup_printf ("/api/v1/exports/%" G_GINT64_FORMAT, self->id);
  vg_api_client_request_async (self->client, "DELETE", path, NULL, self->cancellable,
                               deleted_cb, g_object_ref (self));
}

gint64
vg_export_job_get_id (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), 0);
  return self->id;
}

const char *
vg_export_job_get_state (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), NULL);
  return self->state;
}

gboolean
vg_export_job_is_finished (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), FALSE);
  return g_strv_contains ((const char *const[]) { "done", "failed", "cancelled", NULL }, self->state);
}

double
vg_export_job_get_progress (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), 0);
  return self->progress;
}

guint64
vg_export_job_get_bytes (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), 0);
  return self->bytes;
}

const char *
vg_export_job_get_error (VgExportJob *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), NULL);
  return self->error;
}

const char *const *
vg_export_job_get_files (VgExportJob *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (VG_IS_EXPORT_JOB (self), NULL);
  return self->files != NULL ? (const char *const *) self->files : none;
}

static char *
iso (gint64 time)
{
  g_autoptr(GDateTime) date_time = vg_time_new_from_unix_usec (time);
  return vg_time_format_iso8601 (date_time);
}

VgExportJob *
vg_export_job_new (VgApiClient *client,
                   gint64       camera_id,
                   const char  *stream,
                   gint64       start,
                   gint64       end,
                   const char  *directory,
                   const char  *split)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *start_text = iso (start);
  g_autofree char *end_text = iso (end);
  VgExportJob *self;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "camera");
  json_builder_add_int_value (builder, camera_id);
  if (stream != NULL)
    {
      json_builder_set_member_name (builder, "stream");
      json_builder_add_string_value (builder, stream);
    }
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, end_text);
  json_builder_set_member_name (builder, "directory");
  json_builder_add_string_value (builder, directory);
  if (split != NULL && split[0] != '\0')
    {
      json_builder_set_member_name (builder, "split");
      json_builder_add_string_value (builder, split);
    }
  json_builder_end_object (builder);

  self = g_object_new (VG_TYPE_EXPORT_JOB, NULL);
  self->client = g_object_ref (client);
  self->body = json_builder_get_root (builder);
  return self;
}

static void
vg_export_job_dispose (GObject *object)
{
  VgExportJob *self = VG_EXPORT_JOB (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    vg_export_job_stop_following (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vg_export_job_parent_class)->dispose (object);
}

static void
vg_export_job_finalize (GObject *object)
{
  VgExportJob *self = VG_EXPORT_JOB (object);

  g_clear_pointer (&self->body, json_node_unref);
  g_clear_object (&self->cancellable);
  g_free (self->state);
  g_free (self->error);
  g_strfreev (self->files);

  G_OBJECT_CLASS (vg_export_job_parent_class)->finalize (object);
}

static void
vg_export_job_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VgExportJob *self = VG_EXPORT_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_export_job_class_init (VgExportJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_export_job_dispose;
  object_class->finalize = vg_export_job_finalize;
  object_class->get_property = vg_export_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "starting",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES] =
    g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_export_job_init (VgExportJob *self)
{
  self->state = g_strdup ("starting");
  self->cancellable = g_cancellable_new ();
}
