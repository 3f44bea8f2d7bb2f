/* vg-migrations.c: applying the numbered SQL files of sql/ at start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-migrations.h"
#include "vg-error.h"
#include "vg-sql-resources.h"

#include <stdlib.h>

#define SQL_RESOURCE_PATH "/org/vigie/node/sql/"
/* Any constant: the lock key of schema changes among nodes sharing a server. */
#define MIGRATION_LOCK_KEY "7306245001"

typedef struct
{
  int   version;
  char *name;
} Migration;

static void
migration_clear (gpointer data)
{
  Migration *migration = data;

  g_free (migration->name);
}

static int
migration_compare (gconstpointer a, gconstpointer b)
{
  return ((const Migration *) a)->version - ((const Migration *) b)->version;
}

static GArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GArray *migrations = g_array_new (FALSE, TRUE, sizeof (Migration));

  g_array_set_clear_func (migrations, migration_clear);
  names = g_resource_enumerate_children (vg_sql_get_resource (), SQL_RESOURCE_PATH, 0, NULL);
  for (guint i = 0; names && names[i]; i++)
    {
      Migration migration;
      char *end = NULL;

      migration.version = (int) strtol (names[i], &end, 10);
      if (migration.version <= 0 || end == names[i] || !g_str_has_suffix (names[i], ".sql"))
        continue;
      migration.name = g_strdup (names[i]);
      g_array_append_val (migrations, migration);
    }
  g_array_sort (migrations, migration_compare);
  return migrations;
}

int
vg_migrations_get_known_version (void)
{
  g_autoptr(GArray) migrations = list_migrations ();

  if (migrations->len == 0)
    return 0;
  return g_array_index (migrations, Migration, migrations->len - 1).version;
}

static char *
load_migration (const Migration *migration, GError **error)
{
  g_autofree char *path = g_strconcat (SQL_RESOURCE_PATH, migration->name, NULL);
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resource_lookup_data (vg_sql_get_resource (), path, 0, error);
  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
apply_locked (VgDbConnection *conn, VgMigrationRun *run, GArray *migrations, GError **error)
{
  g_autoptr(VgDbResult) current = NULL;

  if (!vg_db_exec_script (conn,
                          "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ");"
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "  version integer PRIMARY KEY,"
                          "  name text NOT NULL,"
                          "  applied_at timestamptz NOT NULL DEFAULT now())",
                          error))
    return FALSE;

  current = vg_db_exec (conn, "SELECT COALESCE(max(version), 0) AS version FROM schema_migrations",
                        NULL, error);
  if (current == NULL)
    return FALSE;

  run->from_version = run->to_version = (int) vg_db_result_get_int (current, 0, "version");
  if (run->from_version > run->known_version)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_SCHEMA_TOO_NEW,
                   "the database schema is at version %d but this vigie-node knows versions "
                   "up to %d only: a newer vigie-node has used this database; install it "
                   "again or point this node at another database",
                   run->from_version, run->known_version);
      return FALSE;
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      const Migration *migration = &g_array_index (migrations, Migration, i);
      g_autofree char *sql = NULL;
      g_autoptr(VgDbResult) recorded = NULL;
      g_autoptr(VgDbParams) params = NULL;
      g_autoptr(GError) local_error = NULL;

      if (migration->version <= run->from_version)
        continue;

      sql = load_migration (migration, error);
      if (sql == NULL)
        return FALSE;
      if (!vg_db_exec_script (conn, sql, &local_error))
        {
          g_set_error (error, VG_ERROR, VG_ERROR_FAILED, "migration %s failed: %s",
                       migration->name, local_error->message);
          return FALSE;
        }
      params = vg_db_params_new ();
      vg_db_params_add_int (params, migration->version);
      vg_db_params_add_string (params, migration->name);
      recorded = vg_db_exec (conn, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                             params, error);
      if (recorded == NULL)
        return FALSE;
      run->to_version = migration->version;
    }
  return TRUE;
}

gboolean
vg_migrations_apply (VgDbConnection *conn, gpointer job_data, GError **error)
{
  VgMigrationRun *run = job_data;
  g_autoptr(GArray) migrations = list_migrations ();

  run->known_version = migrations->len
    ? g_array_index (migrations, Migration, migrations->len - 1).version : 0;

  if (!vg_db_begin (conn, error))
    return FALSE;
  if (!apply_locked (conn, run, migrations, error))
    {
      vg_db_rollback (conn);
      return FALSE;
    }
  return vg_db_commit (conn, error);
}
