/* vg-migrations.h: applying the numbered SQL files of sql/ at start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-database.h"

G_BEGIN_DECLS

typedef struct
{
  int from_version;   /* schema version found */
  int to_version;     /* schema version after the run */
  int known_version;  /* newest migration this binary carries */
} VgMigrationRun;

/* Highest version among the compiled-in migrations. */
int      vg_migrations_get_known_version (void);

/* A VgDbJobFunc (job_data: VgMigrationRun *). Applies every missing migration in
 * order inside one transaction, under an advisory lock (nodes sharing a server),
 * and records each in schema_migrations. Refuses a database whose schema is newer
 * than the binary with VG_ERROR_SCHEMA_TOO_NEW. Running it again changes nothing. */
gboolean vg_migrations_apply (VgDbConnection *conn, gpointer job_data, GError **error);

G_END_DECLS
