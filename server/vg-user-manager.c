/* vg-user-manager.c: the node's user accounts, kept in memory and in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-user-manager.h"
#include "vg-error.h"
#include "vg-secrets.h"

#include <string.h>

struct _VgUserManager
{
  GObject     parent_instance;

  VgDatabase *database;
  GHashTable *users;   /* gint64 *id → VgUser */
  GHashTable *hashes;  /* gint64 *id → char *password hash */
  guint       generation;
};

G_DEFINE_TYPE (VgUserManager, vg_user_manager, G_TYPE_OBJECT)

enum {
  USER_ADDED,
  USER_CHANGED,
  USER_REMOVED,
  CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Work carried between the main loop, the hashing thread and the database worker. */
typedef struct
{
  gint64      id;
  VgUser     *user;           /* the user to store, or the one found */
  char       *password;       /* to hash or to verify */
  char       *password_hash;
  char       *name;
  VgDbResult *rows;
  gboolean    password_ok;
} UserJob;

static void
user_job_free (UserJob *job)
{
  g_clear_object (&job->user);
  if (job->password)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->password_hash);
  g_free (job->name);
  vg_db_result_free (job->rows);
  g_free (job);
}

static void
vg_user_manager_finalize (GObject *object)
{
  VgUserManager *self = VG_USER_MANAGER (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->hashes, g_hash_table_unref);

  G_OBJECT_CLASS (vg_user_manager_parent_class)->finalize (object);
}

static void
vg_user_manager_class_init (VgUserManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_user_manager_finalize;

  signals[USER_ADDED] = g_signal_new ("user-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, VG_TYPE_USER);
  signals[USER_CHANGED] = g_signal_new ("user-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, VG_TYPE_USER);
  signals[USER_REMOVED] = g_signal_new ("user-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CREDENTIALS_CHANGED] = g_signal_new ("credentials-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
vg_user_manager_init (VgUserManager *self)
{
  self->users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->hashes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

VgUserManager *
vg_user_manager_new (VgDatabase *database)
{
  VgUserManager *self = g_object_new (VG_TYPE_USER_MANAGER, NULL);

  self->database = g_object_ref (database);
  return self;
}

static void
remember (VgUserManager *self, VgUser *user, const char *password_hash)
{
  gint64 id = vg_user_get_id (user);

  g_hash_table_replace (self->users, g_memdup2 (&id, sizeof id), g_object_ref (user));
  if (password_hash)
    g_hash_table_replace (self->hashes, g_memdup2 (&id, sizeof id), g_strdup (password_hash));
  self->generation++;
}

static VgUser *
user_from_row (VgDbResult *rows, int row)
{
  VgUserRole role = VG_USER_ROLE_VIEWER;
  VgUser *user;

  vg_user_role_from_string (vg_db_result_get_string (rows, row, "role"), &role);
  user = vg_user_new (vg_db_result_get_string (rows, row, "name"), role);
  vg_user_set_id (user, vg_db_result_get_int (rows, row, "id"));
  vg_user_set_enabled (user, vg_db_result_get_boolean (rows, row, "enabled"));
  return user;
}

#define USER_COLUMNS "id, name, role, enabled, password_hash"

VgUser *
vg_user_manager_lookup (VgUserManager *self, gint64 id)
{
  g_return_val_if_fail (VG_IS_USER_MANAGER (self), NULL);
  return g_hash_table_lookup (self->users, &id);
}

VgUser *
vg_user_manager_lookup_by_name (VgUserManager *self, const char *name)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (VG_IS_USER_MANAGER (self), NULL);
  if (name == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (vg_user_get_name (value), name))
      return value;
  return NULL;
}

static int
compare_by_id (gconstpointer a, gconstpointer b)
{
  gint64 ia = vg_user_get_id (*(VgUser **) a);
  gint64 ib = vg_user_get_id (*(VgUser **) b);

  return (ia > ib) - (ia < ib);
}

GPtrArray *
vg_user_manager_list (VgUserManager *self)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (VG_IS_USER_MANAGER (self), list);
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_by_id);
  return list;
}

guint
vg_user_manager_get_generation (VgUserManager *self)
{
  g_return_val_if_fail (VG_IS_USER_MANAGER (self), 0);
  return self->generation;
}

static guint
count_enabled_admins (VgUserManager *self, gint64 except_id)
{
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (vg_user_get_id (value) != except_id &&
        vg_user_get_role (value) == VG_USER_ROLE_ADMIN && vg_user_get_enabled (value))
      count++;
  return count;
}

/* Hashing in a thread */

static void
hash_password_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UserJob *job = task_data;

  job->password_hash = vg_password_hash (job->password);
  g_task_return_boolean (task, TRUE);
}

static void
verify_password_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UserJob *job = task_data;

  job->password_ok = vg_password_verify (job->password, job->password_hash);
  g_task_return_boolean (task, TRUE);
}

/* Load */

static gboolean
load_job (VgDbConnection *conn, gpointer data, GError **error)
{
  UserJob *job = data;

  if (job->password_hash)
    {
      /* First start: create admin unless another node sharing the server did. */
      g_autoptr(VgDbParams) params = vg_db_params_new ();
      g_autoptr(VgDbResult) inserted = NULL;

      vg_db_params_add_string (params, job->password_hash);
      inserted = vg_db_exec (conn,
                             "INSERT INTO users (name, password_hash, role) "
                             "SELECT 'admin', $1, 'admin' WHERE NOT EXISTS (SELECT 1 FROM users)",
                             params, error);
      if (inserted == NULL)
        return FALSE;
    }
  job->rows = vg_db_exec (conn, "SELECT " USER_COLUMNS " FROM users ORDER BY id", NULL, error);
  return job->rows != NULL;
}

static void
load_rows_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
load_hashed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);

  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_database_run_async (self->database, load_job, job, cancellable,
                         load_rows_cb, g_steal_pointer (&task));
}

static void
load_rows_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  int n;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  n = vg_db_result_get_n_rows (job->rows);
  if (n == 0 && job->password_hash == NULL)
    {
      /* Empty table: hash the first admin's password, then insert it. */
      g_autoptr(GTask) hash_task = NULL;

      g_clear_pointer (&job->rows, vg_db_result_free);
      if (job->password == NULL)
        {
          job->password = vg_password_generate ();
          job->name = g_strdup (job->password);  /* the generated password, shown once */
        }
      GCancellable *cancellable = g_task_get_cancellable (task);
      hash_task = g_task_new (self, cancellable, load_hashed_cb,
                              g_steal_pointer (&task));
      g_task_set_task_data (hash_task, job, NULL);
      g_task_run_in_thread (hash_task, hash_password_thread);
      return;
    }

  g_hash_table_remove_all (self->users);
  g_hash_table_remove_all (self->hashes);
  for (int row = 0; row < n; row++)
    {
      g_autoptr(VgUser) user = user_from_row (job->rows, row);
      remember (self, user, vg_db_result_get_string (job->rows, row, "password_hash"));
    }
  g_task_return_boolean (task, TRUE);
}

void
vg_user_manager_load_async (VgUserManager *self, const char *initial_password,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  UserJob *job;

  g_return_if_fail (VG_IS_USER_MANAGER (self));

  job = g_new0 (UserJob, 1);
  job->password = g_strdup (initial_password && *initial_password ? initial_password : NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_user_manager_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) user_job_free);
  vg_database_run_async (self->database, load_job, job, cancellable, load_rows_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_user_manager_load_finish (VgUserManager *self, GAsyncResult *result,
                             char **generated_password, GError **error)
{
  UserJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (generated_password)
    *generated_password = g_steal_pointer (&job->name);
  return TRUE;
}

/* Verify */

static void
verify_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);
  VgUser *user = vg_user_manager_lookup (self, job->id);

  /* The user may have changed or gone while the hash was computed. */
  if (!job->password_ok || user == NULL || !vg_user_get_enabled (user))
    g_task_return_new_error (task, VG_ERROR, VG_ERROR_UNAUTHORIZED, "wrong user name or password");
  else
    g_task_return_pointer (task, g_object_ref (user), g_object_unref);
}

void
vg_user_manager_verify_async (VgUserManager *self, const char *name, const char *password,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) hash_task = NULL;
  VgUser *user;
  UserJob *job;

  g_return_if_fail (VG_IS_USER_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_user_manager_verify_async);

  user = vg_user_manager_lookup_by_name (self, name);
  job = g_new0 (UserJob, 1);
  job->password = g_strdup (password ? password : "");
  if (user)
    {
      job->id = vg_user_get_id (user);
      job->password_hash = g_strdup (g_hash_table_lookup (self->hashes, &job->id));
    }
  /* Unknown users cost the same time as known ones: no user enumeration by timing. */
  if (job->password_hash == NULL)
    job->password_hash = g_strdup ("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$"
                                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  g_task_set_task_data (task, job, (GDestroyNotify) user_job_free);

  hash_task = g_task_new (self, cancellable, verify_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (hash_task, job, NULL);
  g_task_run_in_thread (hash_task, verify_password_thread);
}

VgUser *
vg_user_manager_verify_finish (VgUserManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create and update */

static gboolean
save_job (VgDbConnection *conn, gpointer data, GError **error)
{
  UserJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_new ();

  vg_db_params_add_string (params, vg_user_get_name (job->user));
  vg_db_params_add_string (params, vg_user_role_to_string (vg_user_get_role (job->user)));
  vg_db_params_add_boolean (params, vg_user_get_enabled (job->user));
  vg_db_params_add_string (params, job->password_hash);

  if (job->id == 0)
    job->rows = vg_db_exec (conn,
                            "INSERT INTO users (name, role, enabled, password_hash) "
                            "VALUES ($1, $2, $3, $4) RETURNING " USER_COLUMNS,
                            params, error);
  else
    {
      vg_db_params_add_int (params, job->id);
      job->rows = vg_db_exec (conn,
                              "UPDATE users SET name = $1, role = $2, enabled = $3, "
                              "password_hash = COALESCE($4, password_hash), updated_at = now() "
                              "WHERE id = $5 RETURNING " USER_COLUMNS,
                              params, error);
    }
  if (job->rows == NULL)
    return FALSE;
  if (vg_db_result_get_n_rows (job->rows) == 0)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_NOT_FOUND, "no user %" G_GINT64_FORMAT, job->id);
      return FALSE;
    }
  /* A disabled user, or a new password, ends the user's sessions. */
  if (job->id != 0 && (!vg_user_get_enabled (job->user) || job->password_hash))
    {
      g_autoptr(VgDbParams) id_param = vg_db_params_add_int (vg_db_params_new (), job->id);
      g_autoptr(VgDbResult) deleted = vg_db_exec (conn, "DELETE FROM sessions WHERE user_id = $1",
                                                  id_param, error);
      if (deleted == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
save_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);
  g_autoptr(VgUser) stored = NULL;
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      if (g_error_matches (error, VG_ERROR, VG_ERROR_CONFLICT))
        {
          g_clear_error (&error);
          g_set_error (&error, VG_ERROR, VG_ERROR_CONFLICT, "a user named “%s” exists already",
                       vg_user_get_name (job->user));
        }
      g_task_return_error (task, error);
      return;
    }

  stored = user_from_row (job->rows, 0);
  remember (self, stored, vg_db_result_get_string (job->rows, 0, "password_hash"));
  g_signal_emit (self, signals[job->id == 0 ? USER_ADDED : USER_CHANGED], 0, stored);
  if (job->id != 0 && (job->password_hash || !vg_user_get_enabled (stored)))
    g_signal_emit (self, signals[CREDENTIALS_CHANGED], 0, job->id);
  g_task_return_pointer (task, g_object_ref (stored), g_object_unref);
}

static void
save_hashed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);

  GCancellable *cancellable = g_task_get_cancellable (task);
  vg_database_run_async (self->database, save_job, job, cancellable,
                         save_stored_cb, g_steal_pointer (&task));
}

static void
save_start (VgUserManager *self, GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  UserJob *job = g_task_get_task_data (task);
  g_autoptr(GTask) hash_task = NULL;

  if (job->password == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      vg_database_run_async (self->database, save_job, job, cancellable,
                             save_stored_cb, g_steal_pointer (&task));
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  hash_task = g_task_new (self, cancellable, save_hashed_cb,
                          g_steal_pointer (&task));
  g_task_set_task_data (hash_task, job, NULL);
  g_task_run_in_thread (hash_task, hash_password_thread);
}

void
vg_user_manager_create_async (VgUserManager *self, VgUser *user, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  UserJob *job;

  g_return_if_fail (VG_IS_USER_MANAGER (self));
  g_return_if_fail (VG_IS_USER (user));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_user_manager_create_async);

  if (!vg_user_validate (user, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (vg_user_get_password (user) == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_INVALID, "missing field “password”");
      return;
    }
  if (vg_user_manager_lookup_by_name (self, vg_user_get_name (user)))
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_CONFLICT,
                               "a user named “%s” exists already", vg_user_get_name (user));
      return;
    }

  job = g_new0 (UserJob, 1);
  job->user = vg_user_new (vg_user_get_name (user), vg_user_get_role (user));
  vg_user_set_enabled (job->user, vg_user_get_enabled (user));
  job->password = g_strdup (vg_user_get_password (user));
  g_task_set_task_data (task, job, (GDestroyNotify) user_job_free);
  save_start (self, g_steal_pointer (&task));
}

static VgUser *
copy_user (VgUser *user)
{
  VgUser *copy = vg_user_new (vg_user_get_name (user), vg_user_get_role (user));

  vg_user_set_id (copy, vg_user_get_id (user));
  vg_user_set_enabled (copy, vg_user_get_enabled (user));
  return copy;
}

void
vg_user_manager_update_async (VgUserManager *self, gint64 id, JsonNode *patch,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(VgUser) changed = NULL;
  GError *error = NULL;
  VgUser *current, *other;
  UserJob *job;

  g_return_if_fail (VG_IS_USER_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_user_manager_update_async);

  current = vg_user_manager_lookup (self, id);
  if (current == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_NOT_FOUND, "no user %" G_GINT64_FORMAT, id);
      return;
    }
  changed = copy_user (current);
  if (!vg_user_apply_json_patch (changed, patch, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  other = vg_user_manager_lookup_by_name (self, vg_user_get_name (changed));
  if (other && other != current)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_CONFLICT,
                               "a user named “%s” exists already", vg_user_get_name (changed));
      return;
    }
  if ((vg_user_get_role (changed) != VG_USER_ROLE_ADMIN || !vg_user_get_enabled (changed)) &&
      count_enabled_admins (self, id) == 0)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_CONFLICT,
                               "the node needs at least one enabled admin");
      return;
    }

  job = g_new0 (UserJob, 1);
  job->id = id;
  job->password = g_strdup (vg_user_get_password (changed));
  job->user = g_steal_pointer (&changed);
  g_task_set_task_data (task, job, (GDestroyNotify) user_job_free);
  save_start (self, g_steal_pointer (&task));
}

VgUser *
vg_user_manager_save_finish (VgUserManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete */

static gboolean
delete_job (VgDbConnection *conn, gpointer data, GError **error)
{
  UserJob *job = data;
  g_autoptr(VgDbParams) params = vg_db_params_add_int (vg_db_params_new (), job->id);

  job->rows = vg_db_exec (conn, "DELETE FROM users WHERE id = $1", params, error);
  return job->rows != NULL;
}

static void
delete_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VgUserManager *self = g_task_get_source_object (task);
  UserJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vg_database_run_finish (self->database, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_hash_table_remove (self->users, &job->id);
  g_hash_table_remove (self->hashes, &job->id);
  self->generation++;
  g_signal_emit (self, signals[CREDENTIALS_CHANGED], 0, job->id);
  g_signal_emit (self, signals[USER_REMOVED], 0, job->id);
  g_task_return_boolean (task, TRUE);
}

void
vg_user_manager_delete_async (VgUserManager *self, gint64 id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  VgUser *user;
  UserJob *job;

  g_return_if_fail (VG_IS_USER_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_user_manager_delete_async);

  user = vg_user_manager_lookup (self, id);
  if (user == NULL)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_NOT_FOUND, "no user %" G_GINT64_FORMAT, id);
      return;
    }
  if (vg_user_get_role (user) == VG_USER_ROLE_ADMIN && vg_user_get_enabled (user) &&
      count_enabled_admins (self, id) == 0)
    {
      g_task_return_new_error (task, VG_ERROR, VG_ERROR_CONFLICT,
                               "the node needs at least one enabled admin");
      return;
    }

  job = g_new0 (UserJob, 1);
  job->id = id;
  g_task_set_task_data (task, job, (GDestroyNotify) user_job_free);
  vg_database_run_async (self->database, delete_job, job, cancellable, delete_done_cb,
                         g_steal_pointer (&task));
}

gboolean
vg_user_manager_delete_finish (VgUserManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
