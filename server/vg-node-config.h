/* vg-node-config.h: the node's settings, from the command line and the configuration file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VG_NODE_DEFAULT_API_PORT 8443
#define VG_NODE_DEFAULT_RTSP_PORT 8554
#define VG_NODE_DEFAULT_RTSPS_PORT 8555

typedef struct
{
  char    *data_dir;          /* --data-dir, [node] data-dir */
  char    *config_file;       /* --config */
  char    *name;              /* [node] name; default: the host name */

  char    *database_dsn;      /* --database, [database] dsn; NULL: embedded cluster */
  gboolean database_fsync;    /* [database] fsync (embedded cluster; tests only set false) */
  char    *pg_bin_dir;        /* [database] postgresql-bin-dir */

  guint    api_port;          /* --api-port, [api] port; 0: any free port */
  char    *api_address;       /* [api] address; default: all interfaces */
  char    *tls_certificate;   /* [api] tls-certificate: an installed certificate (PEM) */
  char    *tls_key;           /* [api] tls-key */
  gint64   session_lifetime;  /* [api] session-lifetime, seconds; default 12 h */
  gint64   remember_lifetime; /* [api] remember-lifetime, seconds, of remembered tokens; default 90 days */
  gsize    max_body_size;     /* [api] max-body-size, bytes; default 1 MiB */

  guint    max_failed_logins; /* [security] max-failed-logins per user; default 5 */
  guint    lockout_seconds;   /* [security] lockout-seconds, first lock-out; default 30 */

  guint    rtsp_port;         /* --rtsp-port, [rtsp] port (live relay) */
  guint    rtsps_port;        /* --rtsps-port, [rtsp] tls-port (live relay over TLS) */
  guint    idle_seconds;      /* [capture] idle-seconds: a stream nobody records or views closes after; 30 */

  char   **storage_disks;     /* [storage] disks (list); default DATA_DIR/recordings */
  guint    retention_interval;/* [storage] retention-interval, seconds; default 60 */

  guint    segment_seconds;   /* [recording] segment-seconds; default 60 */
  guint    ingest_batch_ms;   /* [capture] batch-ms: socket reads every this long; default 40 */
  guint    watchdog_seconds;  /* [capture] watchdog-seconds: no data for this long: reconnect; 10 */
} VgNodeConfig;

/* Parses argv (GOptionContext: --help lists every option) and then the configuration
 * file; the command line wins. G_OPTION_ERROR or G_KEY_FILE_ERROR on bad input. */
VgNodeConfig *vg_node_config_new_from_args (int *argc, char ***argv, GError **error);
/* Defaults only (tests). */
VgNodeConfig *vg_node_config_new           (void);
/* Reads a GKeyFile into config; unknown groups and keys are warned about. */
gboolean      vg_node_config_load_file     (VgNodeConfig *config, const char *path, GError **error);
void          vg_node_config_free          (VgNodeConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgNodeConfig, vg_node_config_free)

G_END_DECLS
