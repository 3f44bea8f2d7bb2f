/* vg-launch-options.c: the client's command line, parsed and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigie.h"

#include "vg-launch-options.h"

static const GOptionEntry entries[] = {
  { "connect", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to a node; the password comes from VIGIE_PASSWORD or the keyring"),
    N_("https://USER@HOST:PORT") },
  { "mosaic", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show a mosaic of COLS columns and ROWS rows"), N_("COLSxROWS") },
  { "fullscreen", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in full screen"), NULL },
  { "play", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the camera with this id"), N_("ID") },
  { "at", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --play: start playback at this time"), N_("ISO8601") },
  { NULL }
};

const GOptionEntry *
vg_launch_options_get_entries (void)
{
  return entries;
}

void
vg_launch_options_free (VgLaunchOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->base_url);
  g_free (options->user);
  g_clear_pointer (&options->play_at, g_date_time_unref);
  g_free (options);
}

static gboolean
bad_connect (const char  *address,
             const char  *reason,
             GError     **error)
{
  /* Translators: the first %s is what the user typed after --connect, the second why it
   * is wrong. Keep https://USER@HOST:PORT as it is. */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a node address (%s); expected https://USER@HOST:PORT"),
               address, reason);
  return FALSE;
}

gboolean
vg_launch_options_parse_connect (const char  *address,
                                 char       **base_url,
                                 char       **user,
                                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  const char *path;
  int port;

  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uri = g_uri_parse (address, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL)
    return bad_connect (address, _("malformed address"), error);

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return bad_connect (address, _("the scheme must be https"), error);

  if (g_uri_get_password (uri) != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Do not put the password in the node address: set VIGIE_PASSWORD or "
                     "store it in the keyring"));
      return FALSE;
    }

  if (g_uri_get_user (uri) == NULL || g_uri_get_user (uri)[0] == '\0')
    return bad_connect (address, _("no user name"), error);

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return bad_connect (address, _("no host"), error);

  port = g_uri_get_port (uri);
  if (port == -1)
    port = VG_DEFAULT_API_PORT;
  else if (port <= 0 || port > 65535)
    return bad_connect (address, _("the port must be 1–65535"), error);

  path = g_uri_get_path (uri);
  if ((path[0] != '\0' && g_strcmp0 (path, "/") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return bad_connect (address, _("a node address has no path"), error);

  if (base_url != NULL)
    *base_url = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, host, port, "", NULL, NULL);
  if (user != NULL)
    *user = g_strdup (g_uri_get_user (uri));

  return TRUE;
}

char *
vg_launch_options_format_connect (const char *base_url,
                                  const char *user)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), user, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* A decimal number 1–VG_MOSAIC_SIZE_MAX at *p, which moves past it. */
static gboolean
parse_mosaic_size (const char **p,
                   guint       *size)
{
  guint value = 0;
  const char *start = *p;

  while (g_ascii_isdigit (**p) && *p - start < 3)
    {
      value = value * 10 + (guint) (**p - '0');
      (*p)++;
    }

  if (*p == start || g_ascii_isdigit (**p) || value < 1 || value > VG_MOSAIC_SIZE_MAX)
    return FALSE;

  *size = value;
  return TRUE;
}

gboolean
vg_launch_options_parse_mosaic (const char  *text,
                                guint       *columns,
                                guint       *rows,
                                GError     **error)
{
  const char *p = text;
  guint c = 0;
  guint r = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_mosaic_size (&p, &c) ||
      (*p != 'x' && *p != 'X') ||
      (p++, !parse_mosaic_size (&p, &r)) ||
      *p != '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: keep COLSxROWS as it is */
                   _("“%s” is not a mosaic size: expected COLSxROWS such as 3x2, with %d "
                     "columns and rows at most"),
                   text, VG_MOSAIC_SIZE_MAX);
      return FALSE;
    }

  if (columns != NULL)
    *columns = c;
  if (rows != NULL)
    *rows = r;

  return TRUE;
}

static gboolean
parse_camera_id (const char  *text,
                 gint64      *id,
                 GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a camera id: expected a positive whole number"), text);
      return FALSE;
    }

  *id = value;
  return TRUE;
}

VgLaunchOptions *
vg_launch_options_new_from_dict (GVariantDict  *dict,
                                 GError       **error)
{
  g_autoptr(VgLaunchOptions) options = g_new0 (VgLaunchOptions, 1);
  const char *connect = NULL;
  const char *mosaic = NULL;
  const char *play = NULL;
  const char *at = NULL;

  g_return_val_if_fail (dict != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_variant_dict_lookup (dict, "connect", "&s", &connect);
  g_variant_dict_lookup (dict, "mosaic", "&s", &mosaic);
  g_variant_dict_lookup (dict, "play", "&s", &play);
  g_variant_dict_lookup (dict, "at", "&s", &at);
  options->fullscreen = g_variant_dict_contains (dict, "fullscreen");

  if (connect != NULL &&
      !vg_launch_options_parse_connect (connect, &options->base_url, &options->user, error))
    return NULL;

  if (mosaic != NULL &&
      !vg_launch_options_parse_mosaic (mosaic, &options->mosaic_columns,
                                       &options->mosaic_rows, error))
    return NULL;

  if (play != NULL && !parse_camera_id (play, &options->play_camera_id, error))
    return NULL;

  if (at != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (play == NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--at needs --play"));
          return NULL;
        }

      options->play_at = vg_time_parse_iso8601 (at, &local_error);
      if (options->play_at == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a time: expected ISO 8601 with a time zone such as "
                         "2026-11-22T10:00:00Z"), at);
          return NULL;
        }
    }

  return g_steal_pointer (&options);
}
