/* vg-password.c: a node password stored in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-password.h"

const SecretSchema *
vg_password_get_schema (void)
{
  static const SecretSchema schema = {
    "org.vigie.Vigie.Password", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

void
vg_password_free (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
lookup_cb (GObject      *source G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* No session bus, no Secret Service, a locked keyring the user did not open: the
       * keyring has nothing for us. */
      g_debug ("Keyring lookup failed: %s", error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* Hand out an ordinary string, so that every password of the client is freed the
   * same way. */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) vg_password_free);
  secret_password_free (secret);
}

void
vg_password_lookup_async (const char          *server,
                          const char          *user,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_password_lookup_async);

  secret_password_lookup (vg_password_get_schema (), cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          "server", server,
                          "user", user,
                          NULL);
}

char *
vg_password_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_password_lookup_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source G_GNUC_UNUSED,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_debug ("Keyring store failed: %s", error->message);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) unavailable = NULL;

          unavailable = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                             _("No keyring is available to remember the password"));
          g_task_return_error (task, g_steal_pointer (&unavailable));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
vg_password_store_async (const char          *server,
                         const char          *user,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_password_store_async);

  /* Translators: the keyring item's label; %s is a user, then a node's address */
  label = g_strdup_printf (_("Vigie password of %s on %s"), user, server);
  secret_password_store (vg_password_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         password, cancellable, store_cb, g_steal_pointer (&task),
                         "server", server,
                         "user", user,
                         NULL);
}

gboolean
vg_password_store_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_password_store_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source G_GNUC_UNUSED,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Keyring clear failed: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
vg_password_clear_async (const char          *server,
                         const char          *user,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_password_clear_async);
  secret_password_clear (vg_password_get_schema (), cancellable, clear_cb,
                         g_steal_pointer (&task),
                         "server", server,
                         "user", user,
                         NULL);
}
