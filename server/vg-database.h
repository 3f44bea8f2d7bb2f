/* vg-database.h: PostgreSQL access off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Parameters of one statement ($1, $2, …), always sent separately from the SQL. */
typedef struct _VgDbParams VgDbParams;

VgDbParams *vg_db_params_new          (void);
void        vg_db_params_free         (VgDbParams *params);
VgDbParams *vg_db_params_add_string   (VgDbParams *params, const char *value);  /* NULL → SQL NULL */
VgDbParams *vg_db_params_add_int      (VgDbParams *params, gint64 value);
VgDbParams *vg_db_params_add_boolean  (VgDbParams *params, gboolean value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgDbParams, vg_db_params_free)

/* A statement's rows (text format). */
typedef struct _VgDbResult VgDbResult;

void        vg_db_result_free         (VgDbResult *result);
int         vg_db_result_get_n_rows   (VgDbResult *result);
/* Rows changed by INSERT/UPDATE/DELETE. */
gint64      vg_db_result_get_n_affected (VgDbResult *result);
int         vg_db_result_get_column   (VgDbResult *result, const char *name);  /* -1 if absent */
gboolean    vg_db_result_is_null      (VgDbResult *result, int row, const char *column);
const char *vg_db_result_get_string   (VgDbResult *result, int row, const char *column);
gint64      vg_db_result_get_int      (VgDbResult *result, int row, const char *column);
gboolean    vg_db_result_get_boolean  (VgDbResult *result, int row, const char *column);
/* A timestamptz column (the connection's time zone is UTC). */
GDateTime  *vg_db_result_get_time     (VgDbResult *result, int row, const char *column);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgDbResult, vg_db_result_free)

/* The connection a job runs on, in the worker thread only. */
typedef struct _VgDbConnection VgDbConnection;

/* Runs one parameterised statement. Errors: VG_ERROR_CONFLICT for unique and
 * foreign-key violations, VG_ERROR_UNAVAILABLE when the server is away,
 * VG_ERROR_FAILED otherwise (the server's message in the GError). */
VgDbResult *vg_db_exec                (VgDbConnection *conn, const char *sql,
                                       VgDbParams *params, GError **error);
/* Runs SQL text without parameters (several statements allowed: migrations). */
gboolean    vg_db_exec_script         (VgDbConnection *conn, const char *sql, GError **error);
gboolean    vg_db_begin               (VgDbConnection *conn, GError **error);
gboolean    vg_db_commit              (VgDbConnection *conn, GError **error);
void        vg_db_rollback            (VgDbConnection *conn);

/* A job: runs in the worker thread with the connection; job_data belongs to the
 * caller, who reads what the job wrote into it after _finish. */
typedef gboolean (*VgDbJobFunc) (VgDbConnection *conn, gpointer job_data, GError **error);

#define VG_TYPE_DATABASE (vg_database_get_type ())
G_DECLARE_FINAL_TYPE (VgDatabase, vg_database, VG, DATABASE, GObject)

/**
 * VgDatabase:
 *
 * One worker thread with its own libpq connection runs jobs in order; results come
 * back on the main context of the caller through GTask. When the server goes away,
 * the next job tries to reconnect; jobs fail with VG_ERROR_UNAVAILABLE meanwhile.
 * "connected" (read-only) tells the last known state.
 */
VgDatabase *vg_database_new           (const char *dsn);
gboolean    vg_database_get_connected (VgDatabase *self);
guint       vg_database_get_queue_length (VgDatabase *self);

void        vg_database_run_async     (VgDatabase *self, VgDbJobFunc func, gpointer job_data,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean    vg_database_run_finish    (VgDatabase *self, GAsyncResult *result, GError **error);

/* One statement; params is consumed (may be NULL). */
void        vg_database_query_async   (VgDatabase *self, const char *sql, VgDbParams *params,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
VgDbResult *vg_database_query_finish  (VgDatabase *self, GAsyncResult *result, GError **error);

/* Blocking variant for start-up and tests only: runs the job and waits. Never call it
 * from code that serves requests. */
gboolean    vg_database_run_sync      (VgDatabase *self, VgDbJobFunc func, gpointer job_data,
                                       GError **error);

/* Ends the worker after the queued jobs (blocking; shutdown path). */
void        vg_database_close         (VgDatabase *self);

G_END_DECLS
