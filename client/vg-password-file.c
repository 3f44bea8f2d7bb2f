/* vg-password-file.c: remembered node tokens kept in a file only the user can read,
 * where no keyring runs (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vg-password-file.h"
#include "vg-password.h"

char *
vg_password_file_get_default_path (void)
{
  const char *config = g_getenv ("XDG_CONFIG_HOME");

  /* Not g_get_user_config_dir (): it keeps the first answer for the whole process. */
  if (config == NULL || !g_path_is_absolute (config))
    return g_build_filename (g_get_home_dir (), ".config", "vigie", "credentials", NULL);
  return g_build_filename (config, "vigie", "credentials", NULL);
}

/* The file as it is; an empty key file when it does not exist or cannot be parsed. */
static GKeyFile *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_steal_pointer (&file);
    }
  if (!g_key_file_load_from_data (file, text, length, G_KEY_FILE_NONE, &local_error))
    {
      g_warning ("The credentials file %s cannot be read (%s): it is ignored", path,
                 local_error->message);
      g_key_file_free (file);
      file = g_key_file_new ();
    }
  explicit_bzero (text, length);
  return g_steal_pointer (&file);
}

/* The group of server and user, or NULL. */
static char *
find_group (GKeyFile   *file,
            const char *server,
            const char *user)
{
  g_auto(GStrv) groups = g_key_file_get_groups (file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *group_server = g_key_file_get_string (file, groups[i], "server", NULL);
      g_autofree char *group_user = g_key_file_get_string (file, groups[i], "user", NULL);

      if (g_strcmp0 (group_server, server) == 0 && g_strcmp0 (group_user, user) == 0)
        return g_strdup (groups[i]);
    }
  return NULL;
}

static char *
new_group_name (GKeyFile *file)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("node %u", n);

      if (!g_key_file_has_group (file, name))
        return g_steal_pointer (&name);
    }
}

/* Written whole: a new file created with mode 0600, then renamed over the old one. */
static gboolean
save_file (const char  *path,
           GKeyFile    *file,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean saved;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  text = g_key_file_to_data (file, &length, error);
  if (text == NULL)
    return FALSE;
  saved = g_file_set_contents_full (path, text, (gssize) length,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  explicit_bzero (text, length);
  return saved;
}

char *
vg_password_file_lookup (const char  *path,
                         const char  *server,
                         const char  *user,
                         gint64      *token_id,
                         GError     **error)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *group = NULL;
  char *token;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  if (token_id != NULL)
    *token_id = 0;
  file = load_file (path, error);
  if (file == NULL)
    return NULL;
  group = find_group (file, server, user);
  if (group == NULL)
    return NULL;
  token = g_key_file_get_string (file, group, "token", NULL);
  if (token != NULL && token[0] == '\0')
    g_clear_pointer (&token, vg_password_free);
  if (token != NULL && token_id != NULL)
    *token_id = g_key_file_get_int64 (file, group, "token-id", NULL);
  return token;
}

gboolean
vg_password_file_store (const char  *path,
                        const char  *server,
                        const char  *user,
                        const char  *token,
                        gint64       token_id,
                        GError     **error)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (token != NULL && token[0] != '\0', FALSE);

  file = load_file (path, NULL);
  if (file == NULL)
    file = g_key_file_new ();
  group = find_group (file, server, user);
  if (group == NULL)
    group = new_group_name (file);
  g_key_file_set_string (file, group, "server", server);
  g_key_file_set_string (file, group, "user", user);
  g_key_file_set_string (file, group, "token", token);
  g_key_file_set_int64 (file, group, "token-id", token_id);
  return save_file (path, file, error);
}

gboolean
vg_password_file_remove (const char  *path,
                         const char  *server,
                         const char  *user,
                         GError     **error)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  file = load_file (path, error);
  if (file == NULL)
    return FALSE;
  group = find_group (file, server, user);
  if (group == NULL)
    return TRUE;
  g_key_file_remove_group (file, group, NULL);
  return save_file (path, file, error);
}
