/* vg-database.c: PostgreSQL access off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-database.h"
#include "vg-error.h"

#include <string.h>

struct _VgDbParams
{
  GPtrArray *values;  /* char * or NULL */
};

struct _VgDbResult
{
  PGresult *res;
};

struct _VgDbConnection
{
  PGconn *pg;
  char   *dsn;
};

typedef struct
{
  VgDbJobFunc  func;
  gpointer     job_data;
  GTask       *task;   /* owned; NULL for the stop job */
  GMutex      *sync_lock;
  GCond       *sync_cond;
  gboolean    *sync_done;
  gboolean    *sync_ok;
  GError     **sync_error;
} VgDbJob;

typedef struct
{
  char       *sql;
  VgDbParams *params;
  VgDbResult *result;
} QueryJob;

struct _VgDatabase
{
  GObject         parent_instance;

  char           *dsn;
  GThread        *thread;
  GAsyncQueue    *queue;
  VgDbConnection  conn;       /* worker thread only */
  gint            connected;  /* atomic */
  gboolean        closed;
};

G_DEFINE_TYPE (VgDatabase, vg_database, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Params */

VgDbParams *
vg_db_params_new (void)
{
  VgDbParams *params = g_new0 (VgDbParams, 1);

  params->values = g_ptr_array_new_with_free_func (g_free);
  return params;
}

void
vg_db_params_free (VgDbParams *params)
{
  if (params == NULL)
    return;
  g_ptr_array_unref (params->values);
  g_free (params);
}

VgDbParams *
vg_db_params_add_string (VgDbParams *params, const char *value)
{
  g_ptr_array_add (params->values, g_strdup (value));
  return params;
}

VgDbParams *
vg_db_params_add_int (VgDbParams *params, gint64 value)
{
  g_ptr_array_add (params->values, g_strdup_printf ("%" G_GINT64_FORMAT, value));
  return params;
}

VgDbParams *
vg_db_params_add_boolean (VgDbParams *params, gboolean value)
{
  g_ptr_array_add (params->values, g_strdup (value ? "t" : "f"));
  return params;
}

/* Results */

void
vg_db_result_free (VgDbResult *result)
{
  if (result == NULL)
    return;
  PQclear (result->res);
  g_free (result);
}

int
vg_db_result_get_n_rows (VgDbResult *result)
{
  return PQntuples (result->res);
}

gint64
vg_db_result_get_n_affected (VgDbResult *result)
{
  const char *tuples = PQcmdTuples (result->res);

  return tuples[0] ? g_ascii_strtoll (tuples, NULL, 10) : 0;
}

int
vg_db_result_get_column (VgDbResult *result, const char *name)
{
  return PQfnumber (result->res, name);
}

static int
column_or_die (VgDbResult *result, const char *column)
{
  int col = PQfnumber (result->res, column);

  if (col < 0)
    g_error ("query result has no column “%s”", column);
  return col;
}

gboolean
vg_db_result_is_null (VgDbResult *result, int row, const char *column)
{
  return PQgetisnull (result->res, row, column_or_die (result, column));
}

const char *
vg_db_result_get_string (VgDbResult *result, int row, const char *column)
{
  int col = column_or_die (result, column);

  if (PQgetisnull (result->res, row, col))
    return NULL;
  return PQgetvalue (result->res, row, col);
}

gint64
vg_db_result_get_int (VgDbResult *result, int row, const char *column)
{
  const char *value = vg_db_result_get_string (result, row, column);

  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gboolean
vg_db_result_get_boolean (VgDbResult *result, int row, const char *column)
{
  const char *value = vg_db_result_get_string (result, row, column);

  return value != NULL && value[0] == 't';
}

GDateTime *
vg_db_result_get_time (VgDbResult *result, int row, const char *column)
{
  const char *value = vg_db_result_get_string (result, row, column);
  g_autofree char *iso = NULL;

  if (value == NULL)
    return NULL;
  /* "2026-11-22 10:00:00.123+00": make it ISO 8601. */
  iso = g_strdup (value);
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  if (g_str_has_suffix (iso, "+00"))
    {
      g_autofree char *full = g_strconcat (iso, ":00", NULL);
      return g_date_time_new_from_iso8601 (full, NULL);
    }
  return g_date_time_new_from_iso8601 (iso, NULL);
}

/* Connection (worker thread) */

static gboolean
connection_is_bad (VgDbConnection *conn)
{
  return conn->pg == NULL || PQstatus (conn->pg) != CONNECTION_OK;
}

static gboolean
connection_ensure (VgDbConnection *conn, GError **error)
{
  PGresult *res;

  if (!connection_is_bad (conn))
    return TRUE;

  g_clear_pointer (&conn->pg, PQfinish);
  conn->pg = PQconnectdb (conn->dsn);
  if (PQstatus (conn->pg) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (conn->pg)));

      g_set_error (error, VG_ERROR, VG_ERROR_UNAVAILABLE,
                   "database unavailable: %s", message);
      g_clear_pointer (&conn->pg, PQfinish);
      return FALSE;
    }

  res = PQexec (conn->pg, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
  PQclear (res);
  return TRUE;
}

static void
set_error_from_result (VgDbConnection *conn, PGresult *res, GError **error)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  VgErrorCode code = VG_ERROR_FAILED;

  if (connection_is_bad (conn))
    code = VG_ERROR_UNAVAILABLE;
  else if (state && (g_str_equal (state, "23505") || g_str_equal (state, "23503")))
    code = VG_ERROR_CONFLICT;
  else if (state && g_str_has_prefix (state, "08"))
    code = VG_ERROR_UNAVAILABLE;

  if (primary == NULL)
    primary = conn->pg ? PQerrorMessage (conn->pg) : "no connection";
  g_set_error (error, VG_ERROR, code, "database: %s", primary);
}

VgDbResult *
vg_db_exec (VgDbConnection *conn, const char *sql, VgDbParams *params, GError **error)
{
  PGresult *res;
  ExecStatusType status;
  VgDbResult *result;
  int n = params ? (int) params->values->len : 0;

  if (!connection_ensure (conn, error))
    return NULL;

  res = PQexecParams (conn->pg, sql, n, NULL,
                      n ? (const char *const *) params->values->pdata : NULL,
                      NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_error_from_result (conn, res, error);
      PQclear (res);
      return NULL;
    }

  result = g_new0 (VgDbResult, 1);
  result->res = res;
  return result;
}

gboolean
vg_db_exec_script (VgDbConnection *conn, const char *sql, GError **error)
{
  PGresult *res;
  ExecStatusType status;

  if (!connection_ensure (conn, error))
    return FALSE;

  res = PQexec (conn->pg, sql);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_error_from_result (conn, res, error);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

gboolean
vg_db_begin (VgDbConnection *conn, GError **error)
{
  return vg_db_exec_script (conn, "BEGIN", error);
}

gboolean
vg_db_commit (VgDbConnection *conn, GError **error)
{
  return vg_db_exec_script (conn, "COMMIT", error);
}

void
vg_db_rollback (VgDbConnection *conn)
{
  if (!connection_is_bad (conn))
    PQclear (PQexec (conn->pg, "ROLLBACK"));
}

/* Worker */

static void
job_free (VgDbJob *job)
{
  g_clear_object (&job->task);
  g_free (job);
}

static gpointer
worker_main (gpointer data)
{
  VgDatabase *self = data;

  for (;;)
    {
      VgDbJob *job = g_async_queue_pop (self->queue);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (job->func == NULL)
        {
          job_free (job);
          break;
        }

      if (job->task && g_task_return_error_if_cancelled (job->task))
        {
          job_free (job);
          continue;
        }

      ok = job->func (&self->conn, job->job_data, &error);
      if (!ok && self->conn.pg && PQtransactionStatus (self->conn.pg) == PQTRANS_INERROR)
        vg_db_rollback (&self->conn);
      g_atomic_int_set (&self->connected, !connection_is_bad (&self->conn));

      if (job->sync_lock)
        {
          g_mutex_lock (job->sync_lock);
          *job->sync_ok = ok;
          if (error)
            g_propagate_error (job->sync_error, g_steal_pointer (&error));
          *job->sync_done = TRUE;
          g_cond_signal (job->sync_cond);
          g_mutex_unlock (job->sync_lock);
        }
      else if (ok)
        g_task_return_boolean (job->task, TRUE);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));

      job_free (job);
    }

  g_clear_pointer (&self->conn.pg, PQfinish);
  return NULL;
}

static void
vg_database_finalize (GObject *object)
{
  VgDatabase *self = VG_DATABASE (object);

  vg_database_close (self);
  g_async_queue_unref (self->queue);
  g_free (self->conn.dsn);
  g_free (self->dsn);

  G_OBJECT_CLASS (vg_database_parent_class)->finalize (object);
}

static void
vg_database_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgDatabase *self = VG_DATABASE (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, vg_database_get_connected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_database_class_init (VgDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_database_finalize;
  object_class->get_property = vg_database_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_database_init (VgDatabase *self)
{
  self->queue = g_async_queue_new ();
}

VgDatabase *
vg_database_new (const char *dsn)
{
  VgDatabase *self;

  g_return_val_if_fail (dsn != NULL, NULL);

  self = g_object_new (VG_TYPE_DATABASE, NULL);
  self->dsn = g_strdup (dsn);
  self->conn.dsn = g_strdup (dsn);
  self->thread = g_thread_new ("vg-database", worker_main, self);
  return self;
}

gboolean
vg_database_get_connected (VgDatabase *self)
{
  g_return_val_if_fail (VG_IS_DATABASE (self), FALSE);
  return g_atomic_int_get (&self->connected);
}

guint
vg_database_get_queue_length (VgDatabase *self)
{
  g_return_val_if_fail (VG_IS_DATABASE (self), 0);
  return MAX (g_async_queue_length (self->queue), 0);
}

void
vg_database_run_async (VgDatabase *self, VgDbJobFunc func, gpointer job_data,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  VgDbJob *job;

  g_return_if_fail (VG_IS_DATABASE (self));
  g_return_if_fail (func != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_database_run_async);

  if (self->closed)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_UNAVAILABLE,
                               "database: shutting down");
      return;
    }

  job = g_new0 (VgDbJob, 1);
  job->func = func;
  job->job_data = job_data;
  job->task = g_steal_pointer (&task);
  g_async_queue_push (self->queue, job);
}

gboolean
vg_database_run_finish (VgDatabase *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
query_job (VgDbConnection *conn, gpointer data, GError **error)
{
  QueryJob *job = data;

  job->result = vg_db_exec (conn, job->sql, job->params, error);
  return job->result != NULL;
}

static void
query_job_free (QueryJob *job)
{
  g_free (job->sql);
  vg_db_params_free (job->params);
  vg_db_result_free (job->result);
  g_free (job);
}

static void
query_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  QueryJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&job->result),
                           (GDestroyNotify) vg_db_result_free);
}

void
vg_database_query_async (VgDatabase *self, const char *sql, VgDbParams *params,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryJob *job;

  g_return_if_fail (VG_IS_DATABASE (self));
  g_return_if_fail (sql != NULL);

  job = g_new0 (QueryJob, 1);
  job->sql = g_strdup (sql);
  job->params = params;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_database_query_async);
  g_task_set_task_data (task, job, (GDestroyNotify) query_job_free);
  vg_database_run_async (self, query_job, job, cancellable, query_done_cb,
                         g_steal_pointer (&task));
}

VgDbResult *
vg_database_query_finish (VgDatabase *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
vg_database_run_sync (VgDatabase *self, VgDbJobFunc func, gpointer job_data, GError **error)
{
  GMutex lock;
  GCond cond;
  gboolean done = FALSE, ok = FALSE;
  VgDbJob *job;

  g_return_val_if_fail (VG_IS_DATABASE (self), FALSE);
  if (self->closed)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_UNAVAILABLE, "database: shutting down");
      return FALSE;
    }

  g_mutex_init (&lock);
  g_cond_init (&cond);
  job = g_new0 (VgDbJob, 1);
  job->func = func;
  job->job_data = job_data;
  job->sync_lock = &lock;
  job->sync_cond = &cond;
  job->sync_done = &done;
  job->sync_ok = &ok;
  job->sync_error = error;

  g_mutex_lock (&lock);
  g_async_queue_push (self->queue, job);
  while (!done)
    g_cond_wait (&cond, &lock);
  g_mutex_unlock (&lock);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  return ok;
}

void
vg_database_close (VgDatabase *self)
{
  VgDbJob *stop;

  g_return_if_fail (VG_IS_DATABASE (self));
  if (self->closed)
    return;
  self->closed = TRUE;

  stop = g_new0 (VgDbJob, 1);
  g_async_queue_push (self->queue, stop);
  g_thread_join (g_steal_pointer (&self->thread));
}
