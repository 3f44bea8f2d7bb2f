/* vg-pg-cluster.h: the node's private PostgreSQL cluster (initdb + pg_ctl)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VG_PG_CLUSTER_ERROR (vg_pg_cluster_error_quark ())

/**
 * VgPgClusterError:
 * @VG_PG_CLUSTER_ERROR_FAILED: anything else (a system call failed)
 * @VG_PG_CLUSTER_ERROR_NO_BINARIES: initdb/pg_ctl (or runuser, or the "postgres"
 *   system user when running as root) could not be found
 * @VG_PG_CLUSTER_ERROR_DATA_DIR: the data directory cannot be used: a character the
 *   commands cannot quote, a socket path too long, a parent directory the cluster owner
 *   cannot traverse, files owned by another user, or unrelated files in DATA_DIR/db
 * @VG_PG_CLUSTER_ERROR_INITDB: initdb failed (its output is in the message)
 * @VG_PG_CLUSTER_ERROR_START: pg_ctl start failed, or a running server never accepted
 *   connections (the end of the server log is in the message)
 * @VG_PG_CLUSTER_ERROR_STOP: pg_ctl stop failed
 * @VG_PG_CLUSTER_ERROR_DATABASE: connecting to the server or creating the "vigie"
 *   database failed
 */
typedef enum {
  VG_PG_CLUSTER_ERROR_FAILED,
  VG_PG_CLUSTER_ERROR_NO_BINARIES,
  VG_PG_CLUSTER_ERROR_DATA_DIR,
  VG_PG_CLUSTER_ERROR_INITDB,
  VG_PG_CLUSTER_ERROR_START,
  VG_PG_CLUSTER_ERROR_STOP,
  VG_PG_CLUSTER_ERROR_DATABASE,
} VgPgClusterError;

GQuark       vg_pg_cluster_error_quark      (void);

#define VG_TYPE_PG_CLUSTER (vg_pg_cluster_get_type ())
G_DECLARE_FINAL_TYPE (VgPgCluster, vg_pg_cluster, VG, PG_CLUSTER, GObject)

/**
 * VgPgCluster:
 *
 * A PostgreSQL cluster that lives in DATA_DIR/db, with its Unix socket in
 * DATA_DIR/run (no TCP port), its log in DATA_DIR/log/postgresql.log, created with
 * initdb the first time and started/stopped with pg_ctl.
 *
 * When the node runs as root, initdb refuses to run, so the cluster belongs to the
 * unprivileged "postgres" system user (the files are chowned to it and the commands
 * run through runuser); otherwise it runs as the node's own user.
 *
 * A stale postmaster.pid (power cut, kill -9) is removed when no server is running;
 * a server still running from a previous node process (kill -9 of the node only) is
 * adopted. fsync can be turned off for tests only.
 */

VgPgCluster *vg_pg_cluster_new              (const char *data_dir);

/* Directory of initdb/pg_ctl; NULL (default) finds the newest
 * /usr/lib/postgresql/N/bin, or uses the directory of pg_ctl on PATH. */
void         vg_pg_cluster_set_bin_dir      (VgPgCluster *self, const char *bin_dir);
/* Tests only: start the server with fsync=off (never the default). */
void         vg_pg_cluster_set_fsync        (VgPgCluster *self, gboolean fsync);

/* Creates the cluster if needed and starts it (or adopts a running one). Runs the
 * commands in a thread; completes on the caller's main context. */
void         vg_pg_cluster_start_async      (VgPgCluster *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean     vg_pg_cluster_start_finish     (VgPgCluster *self, GAsyncResult *result,
                                             GError **error);

/* Blocking "fast" stop, for the node's shutdown path. */
gboolean     vg_pg_cluster_stop             (VgPgCluster *self, GError **error);

/* libpq connection string for the cluster: "host=DATA_DIR/run dbname=vigie user=vigie"
 * (the database and role are created at first start). */
char        *vg_pg_cluster_get_dsn          (VgPgCluster *self);
/* Whether the last start had to initdb a new cluster. */
gboolean     vg_pg_cluster_get_created      (VgPgCluster *self);

G_END_DECLS
