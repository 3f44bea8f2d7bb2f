/* vg-node-config.c: the node's settings, from the command line and the configuration file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-node-config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

typedef enum {
  KEY_STRING,
  KEY_BOOLEAN,
  KEY_UINT,
  KEY_INT64,
  KEY_SIZE,
  KEY_LIST,
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType     type;
  gsize       offset;
  gint64      min, max;
} KeySpec;

static const KeySpec key_specs[] = {
  { "node", "data-dir", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, data_dir), 0, 0 },
  { "node", "name", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, name), 0, 0 },
  { "database", "dsn", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, database_dsn), 0, 0 },
  { "database", "fsync", KEY_BOOLEAN, G_STRUCT_OFFSET (VgNodeConfig, database_fsync), 0, 0 },
  { "database", "postgresql-bin-dir", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, pg_bin_dir), 0, 0 },
  { "api", "port", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, api_port), 0, 65535 },
  { "api", "address", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, api_address), 0, 0 },
  { "api", "tls-certificate", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, tls_certificate), 0, 0 },
  { "api", "tls-key", KEY_STRING, G_STRUCT_OFFSET (VgNodeConfig, tls_key), 0, 0 },
  { "api", "session-lifetime", KEY_INT64, G_STRUCT_OFFSET (VgNodeConfig, session_lifetime), 1, G_GINT64_CONSTANT (31536000) },
  { "api", "remember-lifetime", KEY_INT64, G_STRUCT_OFFSET (VgNodeConfig, remember_lifetime), 1, G_GINT64_CONSTANT (315360000) },
  { "api", "max-body-size", KEY_SIZE, G_STRUCT_OFFSET (VgNodeConfig, max_body_size), 1024, G_GINT64_CONSTANT (1073741824) },
  { "security", "max-failed-logins", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, max_failed_logins), 1, 1000 },
  { "security", "lockout-seconds", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, lockout_seconds), 1, 86400 },
  { "rtsp", "port", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, rtsp_port), 0, 65535 },
  { "rtsp", "tls-port", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, rtsps_port), 0, 65535 },
  { "storage", "disks", KEY_LIST, G_STRUCT_OFFSET (VgNodeConfig, storage_disks), 0, 0 },
  { "storage", "retention-interval", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, retention_interval), 1, 86400 },
  { "recording", "segment-seconds", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, segment_seconds), 2, 3600 },
  { "capture", "batch-ms", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, ingest_batch_ms), 0, 1000 },
  { "capture", "watchdog-seconds", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, watchdog_seconds), 1, 3600 },
  { "capture", "idle-seconds", KEY_UINT, G_STRUCT_OFFSET (VgNodeConfig, idle_seconds), 0, 86400 },
};

VgNodeConfig *
vg_node_config_new (void)
{
  VgNodeConfig *config = g_new0 (VgNodeConfig, 1);

  config->database_fsync = TRUE;
  config->api_port = VG_NODE_DEFAULT_API_PORT;
  config->rtsp_port = VG_NODE_DEFAULT_RTSP_PORT;
  config->rtsps_port = VG_NODE_DEFAULT_RTSPS_PORT;
  config->idle_seconds = 30;
  config->session_lifetime = 12 * 3600;
  config->remember_lifetime = 90 * 24 * 3600;
  config->max_body_size = 1024 * 1024;
  config->max_failed_logins = 5;
  config->lockout_seconds = 30;
  config->retention_interval = 60;
  config->segment_seconds = 60;
  config->ingest_batch_ms = 40;
  config->watchdog_seconds = 10;
  return config;
}

void
vg_node_config_free (VgNodeConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->data_dir);
  g_free (config->config_file);
  g_free (config->name);
  g_free (config->database_dsn);
  g_free (config->pg_bin_dir);
  g_free (config->api_address);
  g_free (config->tls_certificate);
  g_free (config->tls_key);
  g_strfreev (config->storage_disks);
  g_free (config);
}

static const KeySpec *
find_key_spec (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (key_specs); i++)
    if (g_str_equal (key_specs[i].group, group) && g_str_equal (key_specs[i].key, key))
      return &key_specs[i];
  return NULL;
}

static gboolean
load_key (VgNodeConfig *config, GKeyFile *file, const KeySpec *spec, GError **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, spec->offset);
  g_autofree char *string = NULL;
  gint64 number;

  switch (spec->type)
    {
    case KEY_STRING:
      string = g_key_file_get_string (file, spec->group, spec->key, error);
      if (string == NULL)
        return FALSE;
      g_free (*(char **) field);
      *(char **) field = g_steal_pointer (&string);
      return TRUE;

    case KEY_LIST:
      {
        char **list = g_key_file_get_string_list (file, spec->group, spec->key, NULL, error);
        if (list == NULL)
          return FALSE;
        g_strfreev (*(char ***) field);
        *(char ***) field = list;
        return TRUE;
      }

    case KEY_BOOLEAN:
      {
        GError *local_error = NULL;
        gboolean value = g_key_file_get_boolean (file, spec->group, spec->key, &local_error);
        if (local_error)
          {
            g_propagate_error (error, local_error);
            return FALSE;
          }
        *(gboolean *) field = value;
        return TRUE;
      }

    case KEY_UINT:
    case KEY_INT64:
    case KEY_SIZE:
      string = g_key_file_get_string (file, spec->group, spec->key, error);
      if (string == NULL)
        return FALSE;
      if (!g_ascii_string_to_signed (g_strstrip (string), 10, spec->min, spec->max, &number, NULL))
        {
          g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, spec->min);
          g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, spec->max);

          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("[%s] %s must be a whole number from %s to %s"),
                       spec->group, spec->key, min, max);
          return FALSE;
        }
      if (spec->type == KEY_UINT)
        *(guint *) field = (guint) number;
      else if (spec->type == KEY_INT64)
        *(gint64 *) field = number;
      else
        *(gsize *) field = (gsize) number;
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

gboolean
vg_node_config_load_file (VgNodeConfig *config, const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (file, groups[i], NULL, NULL);

      for (guint j = 0; keys && keys[j]; j++)
        {
          const KeySpec *spec = find_key_spec (groups[i], keys[j]);

          if (spec == NULL)
            {
              g_warning ("%s: unknown setting [%s] %s, ignored", path, groups[i], keys[j]);
              continue;
            }
          if (!load_key (config, file, spec, error))
            {
              g_prefix_error (error, "%s: ", path);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static char *
default_data_dir (void)
{
  if (geteuid () == 0)
    return g_strdup ("/var/lib/vigie");
  return g_build_filename (g_get_user_data_dir (), "vigie", NULL);
}

VgNodeConfig *
vg_node_config_new_from_args (int *argc, char ***argv, GError **error)
{
  g_autoptr(VgNodeConfig) config = vg_node_config_new ();
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  int api_port = -1, rtsp_port = -1, rtsps_port = -1;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Directory of the node's database, recordings and certificate"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config->config_file,
      N_("Configuration file (key file; see the README)"), N_("FILE") },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      N_("PostgreSQL connection string of an existing server (default: a private cluster in the data directory)"),
      N_("DSN") },
    { "api-port", 0, 0, G_OPTION_ARG_INT, &api_port,
      N_("HTTPS API port (default 8443; 0 picks a free port)"), N_("N") },
    { "rtsp-port", 0, 0, G_OPTION_ARG_INT, &rtsp_port,
      N_("RTSP live relay port (default 8554; 0 picks a free port)"), N_("N") },
    { "rtsps-port", 0, 0, G_OPTION_ARG_INT, &rtsps_port,
      N_("RTSP over TLS live relay port (default 8555; 0 picks a free port)"), N_("N") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Vigie recording node: captures, records and relays cameras, "
                                  "and serves the HTTPS API."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return NULL;

  if (version)
    {
      g_print ("vigie-node %s\n", PACKAGE_VERSION);
      exit (0);
    }

  if (config->config_file && !vg_node_config_load_file (config, config->config_file, error))
    return NULL;

  if (data_dir)
    {
      g_free (config->data_dir);
      config->data_dir = g_steal_pointer (&data_dir);
    }
  if (database)
    {
      g_free (config->database_dsn);
      config->database_dsn = g_steal_pointer (&database);
    }
  if (api_port >= 0)
    {
      if (api_port > 65535)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--api-port must be 0–65535"));
          return NULL;
        }
      config->api_port = (guint) api_port;
    }
  if (rtsp_port >= 0)
    {
      if (rtsp_port > 65535)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--rtsp-port must be 0–65535"));
          return NULL;
        }
      config->rtsp_port = (guint) rtsp_port;
    }
  if (rtsps_port >= 0)
    {
      if (rtsps_port > 65535)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--rtsps-port must be 0–65535"));
          return NULL;
        }
      config->rtsps_port = (guint) rtsps_port;
    }

  if (config->data_dir == NULL)
    config->data_dir = default_data_dir ();
  if (config->name == NULL)
    config->name = g_strdup (g_get_host_name ());
  if (config->storage_disks == NULL || config->storage_disks[0] == NULL)
    {
      g_strfreev (config->storage_disks);
      config->storage_disks = g_new0 (char *, 2);
      config->storage_disks[0] = g_build_filename (config->data_dir, "recordings", NULL);
    }
  if ((config->tls_certificate == NULL) != (config->tls_key == NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("[api] tls-certificate and tls-key go together"));
      return NULL;
    }
  return g_steal_pointer (&config);
}
