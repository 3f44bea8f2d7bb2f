/* vg-export-jobs.c: exports written by the node into a directory, with progress (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-export-jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#define PROGRESS_INTERVAL_MS 500
#define MAX_FINISHED 100

typedef enum {
  JOB_RUNNING,
  JOB_DONE,
  JOB_FAILED,
  JOB_CANCELLED,
} JobState;

static const char *const state_names[] = { "running", "done", "failed", "cancelled" };

typedef struct
{
  VgExportJobs *owner;        /* main thread only */
  gint64        id;
  JobState      state;
  VgExport     *export;
  char         *directory;
  char         *base_name;
  gboolean      split;
  GCancellable *cancellable;
  GThread      *thread;
  GMainContext *context;
  guint         progress_id;
  double        last_progress;
  guint64       last_bytes;

  /* Written by the thread, read under lock */
  GMutex        lock;
  GPtrArray    *files;        /* names of the complete pieces */
  char         *error;        /* why it failed */

  /* Thread only */
  int           fd;
  char         *current;      /* path of the piece being written */
  gboolean      ok;
} Job;

struct _VgExportJobs
{
  GObject     parent_instance;

  VgEventHub *hub;
  GHashTable *jobs;           /* id → Job */
  GQueue      finished;       /* ids, oldest first */
  gint64      next_id;
};

G_DEFINE_TYPE (VgExportJobs, vg_export_jobs, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->progress_id, g_source_remove);
  g_clear_pointer (&job->export, vg_export_free);
  g_free (job->directory);
  g_free (job->base_name);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_mutex_clear (&job->lock);
  g_ptr_array_unref (job->files);
  g_free (job->error);
  g_free (job->current);
  g_free (job);
}

static void
vg_export_jobs_dispose (GObject *object)
{
  VgExportJobs *self = VG_EXPORT_JOBS (object);

  vg_export_jobs_stop (self);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (vg_export_jobs_parent_class)->dispose (object);
}

static void
vg_export_jobs_finalize (GObject *object)
{
  VgExportJobs *self = VG_EXPORT_JOBS (object);

  g_hash_table_unref (self->jobs);
  g_queue_clear (&self->finished);

  G_OBJECT_CLASS (vg_export_jobs_parent_class)->finalize (object);
}

static void
vg_export_jobs_class_init (VgExportJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_export_jobs_dispose;
  object_class->finalize = vg_export_jobs_finalize;
}

static void
vg_export_jobs_init (VgExportJobs *self)
{
  self->jobs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) job_free);
  g_queue_init (&self->finished);
  self->next_id = 1;
}

VgExportJobs *
vg_export_jobs_new (VgEventHub *hub)
{
  VgExportJobs *self = g_object_new (VG_TYPE_EXPORT_JOBS, NULL);

  self->hub = hub ? g_object_ref (hub) : NULL;
  return self;
}

/* ---- In the job's thread ---------------------------------------------------- */

static gboolean
file_begin_piece (gpointer data, guint index, gint64 start_us, GError **error)
{
  Job *job = data;
  g_autofree char *name = job->split ? g_strdup_printf ("%s-%03u.mkv", job->base_name, index + 1)
                                     : g_strdup_printf ("%s.mkv", job->base_name);

  g_free (job->current);
  job->current = g_build_filename (job->directory, name, NULL);
  job->fd = open (job->current, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (job->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot create %s: %s",
                   job->current, g_strerror (saved));
      g_clear_pointer (&job->current, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
file_write (const guint8 *data, gsize size, gpointer user_data, GError **error)
{
  Job *job = user_data;

  while (size > 0)
    {
      ssize_t n = write (job->fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s",
                       job->current, g_strerror (saved));
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

static gboolean
file_end_piece (gpointer data, GError **error)
{
  Job *job = data;
  int fd = job->fd;

  job->fd = -1;
  if (fdatasync (fd) < 0 || close (fd) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s",
                   job->current, g_strerror (saved));
      return FALSE;
    }
  g_mutex_lock (&job->lock);
  g_ptr_array_add (job->files, g_path_get_basename (job->current));
  g_mutex_unlock (&job->lock);
  g_clear_pointer (&job->current, g_free);
  return TRUE;
}

static const VgExportOutput file_output = {
  file_begin_piece,
  file_write,
  file_end_piece,
};

static gboolean job_finished_cb (gpointer data);

static gpointer
job_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;

  job->ok = vg_export_run (job->export, &file_output, job, job->cancellable, &error);
  if (!job->ok)
    {
      if (job->fd >= 0)
        close (job->fd);
      job->fd = -1;
      if (job->current)
        g_unlink (job->current);
      g_mutex_lock (&job->lock);
      job->error = g_strdup (error->message);
      g_mutex_unlock (&job->lock);
    }
  g_main_context_invoke (job->context, job_finished_cb, job);
  return NULL;
}

/* ---- In the main thread ------------------------------------------------------- */

static Job *
lookup (VgExportJobs *self, gint64 id)
{
  return g_hash_table_lookup (self->jobs, &id);
}

static JsonNode *
job_to_json (Job *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, job->id);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state_names[job->state]);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, job->state == JOB_DONE ? 1.0 : vg_export_get_progress (job->export));
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) vg_export_get_bytes (job->export));
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, (gint64) vg_export_get_n_frames (job->export));
  json_builder_set_member_name (builder, "directory");
  json_builder_add_string_value (builder, job->directory);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  g_mutex_lock (&job->lock);
  for (guint i = 0; i < job->files->len; i++)
    json_builder_add_string_value (builder, job->files->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "error");
  if (job->error && job->state == JOB_FAILED)
    json_builder_add_string_value (builder, job->error);
  else
    json_builder_add_null_value (builder);
  g_mutex_unlock (&job->lock);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
broadcast (VgExportJobs *self, const char *type, JsonNode *data)
{
  if (self->hub)
    vg_event_hub_broadcast (self->hub, type, data, FALSE);
}

static gboolean
progress_cb (gpointer data)
{
  Job *job = data;
  double progress = vg_export_get_progress (job->export);
  guint64 bytes = vg_export_get_bytes (job->export);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (progress == job->last_progress && bytes == job->last_bytes)
    return G_SOURCE_CONTINUE;
  job->last_progress = progress;
  job->last_bytes = bytes;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, job->id);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, progress);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) bytes);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  broadcast (job->owner, "export.progress", node);
  return G_SOURCE_CONTINUE;
}

static void
forget_old (VgExportJobs *self)
{
  while (g_queue_get_length (&self->finished) > MAX_FINISHED)
    {
      gint64 id = GPOINTER_TO_SIZE (g_queue_pop_head (&self->finished));

      g_hash_table_remove (self->jobs, &id);
    }
}

static gboolean
job_finished_cb (gpointer data)
{
  Job *job = data;
  VgExportJobs *self = job->owner;
  g_autoptr(JsonNode) node = NULL;

  g_thread_join (g_steal_pointer (&job->thread));
  g_clear_handle_id (&job->progress_id, g_source_remove);
  if (job->ok)
    job->state = JOB_DONE;
  else if (g_cancellable_is_cancelled (job->cancellable))
    job->state = JOB_CANCELLED;
  else
    {
      job->state = JOB_FAILED;
      g_message ("export %" G_GINT64_FORMAT " failed: %s", job->id, job->error);
    }
  node = job_to_json (job);
  broadcast (self, "export.done", node);
  g_queue_push_tail (&self->finished, GSIZE_TO_POINTER ((gsize) job->id));
  forget_old (self);
  g_object_unref (self);    /* taken by start */
  return G_SOURCE_REMOVE;
}

gint64
vg_export_jobs_start (VgExportJobs *self, VgExport *export, const char *directory,
                      const char *base_name, gboolean split)
{
  Job *job;

  g_return_val_if_fail (VG_IS_EXPORT_JOBS (self), 0);
  g_return_val_if_fail (export != NULL && directory != NULL && base_name != NULL, 0);

  job = g_new0 (Job, 1);
  job->owner = self;
  job->id = self->next_id++;
  job->export = export;
  job->directory = g_strdup (directory);
  job->base_name = g_strdup (base_name);
  job->split = split;
  job->cancellable = g_cancellable_new ();
  job->context = g_main_context_ref_thread_default ();
  job->files = g_ptr_array_new_with_free_func (g_free);
  job->fd = -1;
  job->last_progress = -1;
  g_mutex_init (&job->lock);
  g_hash_table_insert (self->jobs, &job->id, job);
  g_object_ref (self);      /* until the thread's end is handled */
  job->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, job);
  job->thread = g_thread_new ("vg-export", job_thread, job);
  return job->id;
}

JsonNode *
vg_export_jobs_to_json (VgExportJobs *self, gint64 id)
{
  Job *job;

  g_return_val_if_fail (VG_IS_EXPORT_JOBS (self), NULL);
  job = lookup (self, id);
  return job ? job_to_json (job) : NULL;
}

gboolean
vg_export_jobs_cancel (VgExportJobs *self, gint64 id)
{
  Job *job;

  g_return_val_if_fail (VG_IS_EXPORT_JOBS (self), FALSE);
  job = lookup (self, id);
  if (job == NULL)
    return FALSE;
  g_cancellable_cancel (job->cancellable);
  return TRUE;
}

guint
vg_export_jobs_get_n_running (VgExportJobs *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (VG_IS_EXPORT_JOBS (self), 0);
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Job *) value)->state == JOB_RUNNING)
      n++;
  return n;
}

void
vg_export_jobs_stop (VgExportJobs *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (VG_IS_EXPORT_JOBS (self));
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((Job *) value)->cancellable);
  /* Each thread ends at its next Cluster and posts its end here. */
  while (vg_export_jobs_get_n_running (self) > 0)
    g_main_context_iteration (NULL, TRUE);
}
