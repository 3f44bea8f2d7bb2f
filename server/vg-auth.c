/* vg-auth.c: who is calling: sessions (tokens), HTTP Basic, and login throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-auth.h"
#include "vg-error.h"
#include "vg-secrets.h"

#include <string.h>

#define THROTTLE_WINDOW_US (15 * 60 * G_USEC_PER_SEC)
#define LOCKOUT_MAX_US (15 * 60 * G_USEC_PER_SEC)
#define BASIC_CACHE_US (5 * 60 * G_USEC_PER_SEC)
#define ADDRESS_FACTOR 4
#define PURGE_INTERVAL_S 600

typedef struct
{
  gint64 user_id;
  gint64 expires_us;  /* real time */
} AuthSession;

typedef struct
{
  guint  failures;
  guint  lockouts;
  gint64 window_start_us;
  gint64 locked_until_us;
} Throttle;

typedef struct
{
  gint64 user_id;
  gint64 valid_until_us;
  guint  generation;
} BasicEntry;

struct _VgAuth
{
  GObject        parent_instance;

  VgDatabase    *database;
  VgUserManager *users;
  gint64         session_lifetime_us;
  gint64         remember_lifetime_us;
  guint          max_failed_logins;
  guint          lockout_seconds;

  GHashTable    *sessions;    /* token hash → AuthSession */
  GHashTable    *throttles;   /* "u:NAME" / "a:ADDRESS" → Throttle */
  GHashTable    *basic_cache; /* credentials digest → BasicEntry */
  guint64        n_failed_logins;
  guint          purge_id;
};

G_DEFINE_TYPE (VgAuth, vg_auth, G_TYPE_OBJECT)

typedef struct
{
  char       *name;
  char       *password;
  char       *address;
  char       *token;
  char       *token_hash;
  char       *digest;
  char       *client;     /* remembered token: the client keeping it; NULL: a session */
  gint64      user_id;    /* the owner; listing and revoking: 0 for any user */
  gint64      token_id;
  gint64      expires_us;
  gboolean    found;
  VgDbResult *rows;
  VgUser     *user;
} AuthJob;

static void
auth_job_free (AuthJob *job)
{
  if (job->password)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->name);
  g_free (job->address);
  g_free (job->token);
  g_free (job->token_hash);
  g_free (job->digest);
  g_free (job->client);
  vg_db_result_free (job->rows);
  g_clear_object (&job->user);
  g_free (job);
}

/* Throttling */

static char *
throttle_key (const char *prefix, const char *value)
{
  return g_strconcat (prefix, value ? value : "", NULL);
}

static gint64
locked_until (VgAuth *self, const char *prefix, const char *value)
{
  g_autofree char *key = throttle_key (prefix, value);
  Throttle *throttle = g_hash_table_lookup (self->throttles, key);

  return throttle ? throttle->locked_until_us : 0;
}

static void
record_failure (VgAuth *self, const char *prefix, const char *value, guint limit)
{
  g_autofree char *key = throttle_key (prefix, value);
  Throttle *throttle = g_hash_table_lookup (self->throttles, key);
  gint64 now = g_get_monotonic_time ();

  if (throttle == NULL)
    {
      throttle = g_new0 (Throttle, 1);
      g_hash_table_insert (self->throttles, g_steal_pointer (&key), throttle);
    }
  if (now - throttle->window_start_us > THROTTLE_WINDOW_US)
    {
      throttle->window_start_us = now;
      throttle->failures = 0;
    }
  if (++throttle->failures >= limit)
    {
      gint64 lockout = (gint64) self->lockout_seconds * G_USEC_PER_SEC << MIN (throttle->lockouts, 16);

      throttle->locked_until_us = now + MIN (lockout, LOCKOUT_MAX_US);
      throttle->lockouts++;
      throttle->failures = 0;
    }
}

static void
record_failed_login (VgAuth *self, const char *name, const char *address)
{
  self->n_failed_logins++;
  record_failure (self, "u:", name, self->max_failed_logins);
  record_failure (self, "a:", address, self->max_failed_logins * ADDRESS_FACTOR);
  g_message ("failed login for user “%s” from %s", name ? name : "", address ? address : "?");
}

static void
record_success (VgAuth *self, const char *name)
{
  g_autofree char *key = throttle_key ("u:", name);

  g_hash_table_remove (self->throttles, key);
}

guint
vg_auth_get_retry_after (VgAuth *self, const char *name, const char *address)
{
  gint64 until, now = g_get_monotonic_time ();

  g_return_val_if_fail (VG_IS_AUTH (self), 0);

  until = MAX (name ? locked_until (self, "u:", name) : 0,
               address ? locked_until (self, "a:", address) : 0);
  if (until <= now)
    return 0;
  return (guint) ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static gboolean
check_throttle (VgAuth *self, const char *name, const char *address, GError **error)
{
  guint retry = vg_auth_get_retry_after (self, name, address);

  if (retry == 0)
    return TRUE;
  g_set_error (error, VG_ERROR, VG_ERROR_TOO_MANY_REQUESTS,
               "too many failed logins: try again in %u s", retry);
  return FALSE;
}

/* Object */

static gboolean
purge_expired_cb (gpointer user_data);

static void
drop_user_sessions (VgAuth *self, gint64 user_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((AuthSession *) value)->user_id == user_id)
      g_hash_table_iter_remove (&iter);
}

static void
credentials_changed_cb (VgUserManager *users, gint64 user_id, VgAuth *self)
{
  drop_user_sessions (self, user_id);
  g_hash_table_remove_all (self->basic_cache);
}

static void
vg_auth_dispose (GObject *object)
{
  VgAuth *self = VG_AUTH (object);

  g_clear_handle_id (&self->purge_id, g_source_remove);
  if (self->users)
    g_signal_handlers_disconnect_by_data (self->users, self);
  g_clear_object (&self->users);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (vg_auth_parent_class)->dispose (object);
}

static void
vg_auth_finalize (GObject *object)
{
  VgAuth *self = VG_AUTH (object);

  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->throttles);
  g_hash_table_unref (self->basic_cache);

  G_OBJECT_CLASS (vg_auth_parent_class)->finalize (object);
}

static void
vg_auth_class_init (VgAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_auth_dispose;
  object_class->finalize = vg_auth_finalize;
}

static void
vg_auth_init (VgAuth *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->throttles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->basic_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

VgAuth *
vg_auth_new (VgDatabase *database, VgUserManager *users, const VgNodeConfig *config)
{
  VgAuth *self = g_object_new (VG_TYPE_AUTH, NULL);

  self->database = g_object_ref (database);
  self->users = g_object_ref (users);
  self->session_lifetime_us = config->session_lifetime * G_USEC_PER_SEC;
  self->remember_lifetime_us = config->remember_lifetime * G_USEC_PER_SEC;
  self->max_failed_logins = config->max_failed_logins;
  self->lockout_seconds = config->lockout_seconds;
  g_signal_connect (users, "credentials-changed", G_CALLBACK (credentials_changed_cb), self);
  self->purge_id = g_timeout_add_seconds (PURGE_INTERVAL_S, purge_expired_cb, self);
  return self;
}

guint
vg_auth_get_n_sessions (VgAuth *self)
{
  g_return_val_if_fail (VG_IS_AUTH (self), 0);
  return g_hash_table_size (self->sessions);
}

guint64
vg_auth_get_n_failed_logins (VgAuth *self)
{
  g_return_val_if_fail (VG_IS_AUTH (self), 0);
  return self->n_failed_logins;
}

/* Load and purge */

static gboolean
load_job (VgDbConnection *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  g_autoptr(VgDbResult) deleted = NULL;

  deleted = vg_db_exec (conn, "DELETE FROM sessions WHERE expires_at <= now()", NULL, error);
  if (deleted == NULL)
    return FALSE;
  job->rows = vg_db_exec (conn,
                          "SELECT token_hash, user_id, "
                          "(extract(epoch FROM expires_at) * 1000000)::bigint AS expires_us "
                          "FROM sessions",
                          NULL, error);
  return job->rows != NULL;
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgAuth *self = g_task_get_source_object (task);
  AuthJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (int row = 0; row < vg_db_result_get_n_rows (job->rows); row++)
    {
      AuthSession *session = g_new0 (AuthSession, 1);

      session->user_id = vg_db_result_get_int (job->rows, row, "user_id");
      session->expires_us = vg_db_result_get_int (job->rows, row, "expires_us");
      g_hash_table_replace (self->sessions,
                            g_strdup (vg_db_result_get_string (job->rows, row, "token_hash")),
                            session);
    }
  g_task_return_boolean (task, TRUE);
}

void
vg_auth_load_async (VgAuth *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthJob *job = g_new0 (AuthJob, 1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  vg_database_run_async (self->database, load_job, job, cancellable, load_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_auth_load_finish (VgAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
purge_job (VgDbConnection *conn, gpointer data, GError **error)
{
  g_autoptr(VgDbResult) deleted = vg_db_exec (conn, "DELETE FROM sessions WHERE expires_at <= now()",
                                              NULL, error);
  return deleted != NULL;
}

static void
purge_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_debug ("purging expired sessions: %s", error->message);
}

static gboolean
purge_expired_cb (gpointer user_data)
{
  VgAuth *self = user_data;
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((AuthSession *) value)->expires_us <= now)
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, self->basic_cache);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((BasicEntry *) value)->valid_until_us <= g_get_monotonic_time ())
      g_hash_table_iter_remove (&iter);
  vg_database_run_async (self->database, purge_job, NULL, NULL, purge_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

/* Login */

static gboolean
store_session_job (VgDbConnection *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) inserted = NULL;

  vg_db_params_add_string (params, job->token_hash);
  vg_db_params_add_int (params, job->user_id);
  vg_db_params_add_int (params, job->expires_us);
  vg_db_params_add_string (params, job->address);
  vg_db_params_add_string (params, job->client);
  inserted = vg_db_exec (conn,
                         "INSERT INTO sessions (token_hash, user_id, expires_at, address, "
                         "remembered, client) "
                         "VALUES ($1, $2, to_timestamp($3::bigint / 1000000.0), $4, "
                         "$5::text IS NOT NULL, $5) RETURNING id",
                         params, error);
  if (inserted == NULL)
    return FALSE;
  job->token_id = vg_db_result_get_int (inserted, 0, "id");
  return TRUE;
}

static void
login_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgAuth *self = g_task_get_source_object (task);
  AuthJob *job = g_task_get_task_data (task);
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(VgSession) session = NULL;
  AuthSession *memory;
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  memory = g_new0 (AuthSession, 1);
  memory->user_id = job->user_id;
  memory->expires_us = job->expires_us;
  g_hash_table_replace (self->sessions, g_strdup (job->token_hash), memory);

  expires = g_date_time_new_from_unix_utc (job->expires_us / G_USEC_PER_SEC);
  session = vg_session_new (job->token, expires);
  vg_session_set_user (session, job->user);
  if (job->client != NULL)
    g_message ("user “%s” logged in from %s, remembered by “%s” (token %" G_GINT64_FORMAT ")",
               job->name, job->address ? job->address : "?", job->client, job->token_id);
  else
    g_message ("user “%s” logged in from %s", job->name, job->address ? job->address : "?");
  g_task_return_pointer (task, g_steal_pointer (&session), g_object_unref);
}

static void
login_verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgAuth *self = g_task_get_source_object (task);
  AuthJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->user = vg_user_manager_verify_finish (self->users, result, &error);
  if (job->user == NULL)
    {
      record_failed_login (self, job->name, job->address);
      g_task_return_error (task, error);
      return;
    }
  record_success (self, job->name);

  job->user_id = vg_user_get_id (job->user);
  job->token = vg_token_generate ();
  job->token_hash = vg_token_hash (job->token);
  /* Whole seconds: what the database and the JSON carry. */
  job->expires_us = (g_get_real_time () + (job->client != NULL ? self->remember_lifetime_us
                                                                 : self->session_lifetime_us))
                    / G_USEC_PER_SEC * G_USEC_PER_SEC;
  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_database_run_async (self->database, store_session_job, job, cancellable,
                         login_stored_cb, g_steal_pointer (&task));
}

void
vg_auth_login_async (VgAuth *self, const char *name, const char *password, const char *address,
                     const char *client, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  AuthJob *job;

  g_return_if_fail (VG_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_login_async);

  if (!check_throttle (self, name, address, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (AuthJob, 1);
  job->name = g_strdup (name);
  job->address = g_strdup (address);
  job->client = g_strdup (client);
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  vg_user_manager_verify_async (self->users, name, password, cancellable, login_verified_cb,
                                g_steal_pointer (&task));
}

VgSession *
vg_auth_login_finish (VgAuth *self, GAsyncResult *result, gint64 *token_id, GError **error)
{
  AuthJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  job = g_task_get_task_data (G_TASK (result));
  if (token_id != NULL)
    *token_id = job != NULL && job->client != NULL ? job->token_id : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remembered tokens */

static gboolean
list_tokens_job (VgDbConnection *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_add_int (vg_db_params_new (), job->user_id);

  job->rows = vg_db_exec (conn,
                          "SELECT s.id, s.user_id, u.name AS user_name, s.client, s.address, "
                          "to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created, "
                          "to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires "
                          "FROM sessions s JOIN users u ON u.id = s.user_id "
                          "WHERE s.remembered AND s.expires_at > now() "
                          "AND ($1::bigint = 0 OR s.user_id = $1) ORDER BY s.id",
                          params, error);
  return job->rows != NULL;
}

static JsonNode *
tokens_to_json (VgDbResult *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    {
      const char *address = vg_db_result_get_string (rows, row, "address");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "id"));
      json_builder_set_member_name (builder, "user");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "user_id"));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "user_name"));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "client");
      json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "client"));
      json_builder_set_member_name (builder, "address");
      if (address != NULL)
        json_builder_add_string_value (builder, address);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "created"));
      json_builder_set_member_name (builder, "expires");
      json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "expires"));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
list_tokens_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AuthJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens_to_json (job->rows), (GDestroyNotify) json_node_unref);
}

void
vg_auth_list_tokens_async (VgAuth *self, gint64 user_id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthJob *job;

  g_return_if_fail (VG_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_list_tokens_async);
  job = g_new0 (AuthJob, 1);
  job->user_id = user_id;
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  vg_database_run_async (self->database, list_tokens_job, job, cancellable, list_tokens_done_cb,
                         g_steal_pointer (&task));
}

JsonNode *
vg_auth_list_tokens_finish (VgAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
revoke_token_job (VgDbConnection *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_new ();
  g_autoptr(VgDbResult) deleted = NULL;

  vg_db_params_add_int (params, job->token_id);
  vg_db_params_add_int (params, job->user_id);
  deleted = vg_db_exec (conn,
                        "DELETE FROM sessions WHERE id = $1 AND remembered "
                        "AND ($2::bigint = 0 OR user_id = $2) RETURNING token_hash",
                        params, error);
  if (deleted == NULL)
    return FALSE;
  job->found = vg_db_result_get_n_rows (deleted) == 1;
  if (job->found)
    job->token_hash = g_strdup (vg_db_result_get_string (deleted, 0, "token_hash"));
  return TRUE;
}

static void
revoke_token_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgAuth *self = g_task_get_source_object (task);
  AuthJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!job->found)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_NOT_FOUND,
                               "no remembered token %" G_GINT64_FORMAT, job->token_id);
      return;
    }
  g_hash_table_remove (self->sessions, job->token_hash);
  g_message ("remembered token %" G_GINT64_FORMAT " revoked", job->token_id);
  g_task_return_boolean (task, TRUE);
}

void
vg_auth_revoke_token_async (VgAuth *self, gint64 token_id, gint64 user_id,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthJob *job;

  g_return_if_fail (VG_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_revoke_token_async);
  job = g_new0 (AuthJob, 1);
  job->token_id = token_id;
  job->user_id = user_id;
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  vg_database_run_async (self->database, revoke_token_job, job, cancellable, revoke_token_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_auth_revoke_token_finish (VgAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Logout */

static gboolean
delete_session_job (VgDbConnection *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_add_string (vg_db_params_new (), job->token_hash);
  g_autoptr(VgDbResult) deleted = vg_db_exec (conn, "DELETE FROM sessions WHERE token_hash = $1",
                                              params, error);
  return deleted != NULL;
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vg_auth_logout_async (VgAuth *self, const char *token, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthJob *job;

  g_return_if_fail (VG_IS_AUTH (self));
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_logout_async);
  job = g_new0 (AuthJob, 1);
  job->token_hash = vg_token_hash (token);
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  /* Gone from memory at once: the token stops working before the database answers. */
  g_hash_table_remove (self->sessions, job->token_hash);
  vg_database_run_async (self->database, delete_session_job, job, cancellable, logout_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_auth_logout_finish (VgAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Authenticate */

static VgUser *
authenticate_token (VgAuth *self, const char *token, GError **error)
{
  g_autofree char *hash = vg_token_hash (token);
  AuthSession *session = g_hash_table_lookup (self->sessions, hash);
  VgUser *user;

  if (session == NULL)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_UNAUTHORIZED, "unknown or revoked token");
      return NULL;
    }
  if (session->expires_us <= g_get_real_time ())
    {
      g_hash_table_remove (self->sessions, hash);
      g_set_error_literal (error, VG_ERROR, VG_ERROR_UNAUTHORIZED, "token expired: log in again");
      return NULL;
    }
  user = vg_user_manager_lookup (self->users, session->user_id);
  if (user == NULL || !vg_user_get_enabled (user))
    {
      g_hash_table_remove (self->sessions, hash);
      g_set_error_literal (error, VG_ERROR, VG_ERROR_UNAUTHORIZED, "unknown or revoked token");
      return NULL;
    }
  return g_object_ref (user);
}

static gboolean
parse_basic (const char *encoded, char **name, char **password)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  char *colon;

  decoded = g_base64_decode (encoded, &length);
  if (decoded == NULL || length == 0 || length > 4096)
    return FALSE;
  text = g_strndup ((const char *) decoded, length);
  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  *name = g_strdup (text);
  *password = g_strdup (colon + 1);
  memset (text, 0, length);
  return TRUE;
}

static void
basic_verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgAuth *self = g_task_get_source_object (task);
  AuthJob *job = g_task_get_task_data (task);
  g_autoptr(VgUser) user = NULL;
  BasicEntry *entry;
  GError *error = NULL;

  user = vg_user_manager_verify_finish (self->users, result, &error);
  if (user == NULL)
    {
      record_failed_login (self, job->name, job->address);
      g_task_return_error (task, error);
      return;
    }
  record_success (self, job->name);

  entry = g_new0 (BasicEntry, 1);
  entry->user_id = vg_user_get_id (user);
  entry->valid_until_us = g_get_monotonic_time () + BASIC_CACHE_US;
  entry->generation = vg_user_manager_get_generation (self->users);
  g_hash_table_replace (self->basic_cache, g_steal_pointer (&job->digest), entry);
  g_task_return_pointer (task, g_steal_pointer (&user), g_object_unref);
}

static VgUser *
lookup_basic_cache (VgAuth *self, const char *digest)
{
  BasicEntry *entry = g_hash_table_lookup (self->basic_cache, digest);
  VgUser *user;

  if (entry == NULL)
    return NULL;
  user = vg_user_manager_lookup (self->users, entry->user_id);
  if (entry->valid_until_us <= g_get_monotonic_time () ||
      entry->generation != vg_user_manager_get_generation (self->users) ||
      user == NULL || !vg_user_get_enabled (user))
    {
      g_hash_table_remove (self->basic_cache, digest);
      return NULL;
    }
  return g_object_ref (user);
}

void
vg_auth_authenticate_async (VgAuth *self, const char *authorization, const char *query_token,
                            const char *address, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  g_autofree char *password = NULL;
  GError *error = NULL;
  VgUser *user;
  AuthJob *job;

  g_return_if_fail (VG_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_auth_authenticate_async);

  if (authorization == NULL && query_token != NULL)
    {
      user = authenticate_token (self, query_token, &error);
      goto done;
    }
  if (authorization == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_UNAUTHORIZED, "authentication required");
      return;
    }
  if (g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      g_autofree char *token = g_strstrip (g_strdup (authorization + 7));

      user = authenticate_token (self, token, &error);
      goto done;
    }
  if (g_ascii_strncasecmp (authorization, "Basic ", 6) != 0 ||
      !parse_basic (authorization + 6, &name, &password))
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_UNAUTHORIZED,
                               "unsupported or malformed Authorization header");
      return;
    }
  if (!check_throttle (self, name, address, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (AuthJob, 1);
  job->name = g_steal_pointer (&name);
  job->address = g_strdup (address);
  job->digest = vg_credentials_digest (job->name, password);
  user = lookup_basic_cache (self, job->digest);
  if (user)
    {
      auth_job_free (job);
      g_task_return_pointer (task, user, g_object_unref);
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) auth_job_free);
  vg_user_manager_verify_async (self->users, job->name, password, cancellable,
                                basic_verified_cb, g_steal_pointer (&task));
  memset (password, 0, strlen (password));
  return;

done:
  if (user)
    g_task_return_pointer (task, user, g_object_unref);
  else
    g_task_return_error (task, error);
}

VgUser *
vg_auth_authenticate_finish (VgAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
