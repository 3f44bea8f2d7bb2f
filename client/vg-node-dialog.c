/* vg-node-dialog.c: adding a node: address, user, password (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-launch-options.h"
#include "vg-node-dialog.h"
#include "vg-node-row.h"
#include "vg-password.h"
#include "vg-window.h"

struct _VgNodeDialog
{
  AdwWindow parent_instance;

  VgConnectionList *connections;

  AdwEntryRow *address_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  AdwActionRow *remember_row;
  GtkSwitch *remember_switch;
  GtkLabel *error_label;

  /* Where a remembered password goes: the keyring when the Secret Service answers,
   * else (no session bus, no keyring daemon) a token of the node in the credentials
   * file. */
  VgNodeDialogStore keyring_store;
  GCancellable *probe_cancellable;
};

G_DEFINE_FINAL_TYPE (VgNodeDialog, vg_node_dialog, ADW_TYPE_WINDOW)

gboolean
vg_node_dialog_parse_address (const char  *address,
                              const char  *user,
                              char       **base_url,
                              GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *full = NULL;
  g_autofree char *parsed_user = NULL;
  const char *host;

  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (address));
  if (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  host = g_str_has_prefix (trimmed, "https://") ? trimmed + strlen ("https://") : trimmed;
  if (host[0] == '\0' || strchr (host, '@') != NULL || strchr (host, '/') != NULL ||
      user[0] == '\0' || strpbrk (user, "@:/") != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the node’s address as HOST or HOST:PORT, and a user"));
      return FALSE;
    }

  full = g_strdup_printf ("https://%s@%s", user, host);
  return vg_launch_options_parse_connect (full, base_url, &parsed_user, error);
}

static void
vg_node_dialog_show_error (VgNodeDialog *self,
                           const char   *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

VgNodeDialogStore
vg_node_dialog_get_store (VgNodeDialog *self)
{
  g_return_val_if_fail (VG_IS_NODE_DIALOG (self), VG_NODE_DIALOG_STORE_NONE);

  if (!gtk_switch_get_active (self->remember_switch))
    return VG_NODE_DIALOG_STORE_NONE;
  return self->keyring_store;
}

static void
vg_node_dialog_update_store (VgNodeDialog *self)
{
  const char *subtitle = NULL;

  switch (vg_node_dialog_get_store (self))
    {
    case VG_NODE_DIALOG_STORE_KEYRING:
      subtitle = _("Remembered in the keyring");
      break;
    case VG_NODE_DIALOG_STORE_FILE:
      subtitle = _("Remembered on this computer in a file only your account can read");
      break;
    case VG_NODE_DIALOG_STORE_NONE:
    default:
      subtitle = _("Not remembered");
      break;
    }
  adw_action_row_set_subtitle (self->remember_row, subtitle);
}

static void
remember_changed_cb (VgNodeDialog *self)
{
  vg_node_dialog_update_store (self);
}

static void
secret_service_cb (GObject      *source G_GNUC_UNUSED,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SecretService *service;
  g_autoptr(GError) error = NULL;
  VgNodeDialog *self;

  service = secret_service_get_finish (result, &error);
  g_clear_object (&service);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_NODE_DIALOG (user_data);
  if (error != NULL)
    {
      g_debug ("No keyring: %s", error->message);
      self->keyring_store = VG_NODE_DIALOG_STORE_FILE;
    }
  vg_node_dialog_update_store (self);
}

typedef struct {
  GtkWindow *parent;
  VgConnection *connection;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_object (&data->parent);
  g_clear_object (&data->connection);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreData, store_data_free)

/* The keyring's answer: without one after all, the file keeps a token of the node. */
static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(StoreData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (vg_password_store_finish (result, &error))
    return;

  g_debug ("The password is not in the keyring: %s", error->message);
  vg_connection_remember_in_file (data->connection);
  if (data->parent != NULL && VG_IS_WINDOW (data->parent))
    vg_window_show_error (VG_WINDOW (data->parent),
                          _("No keyring: the login is remembered on this computer in a file "
                            "only your account can read"));
}

gboolean
vg_node_dialog_add (VgNodeDialog  *self,
                    VgConnection **connection_out)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;
  VgConnection *connection;
  GtkWindow *parent;

  g_return_val_if_fail (VG_IS_NODE_DIALOG (self), FALSE);

  if (!vg_node_dialog_parse_address (address, user, &base_url, &error))
    {
      vg_node_dialog_show_error (self, error->message);
      return FALSE;
    }
  if (password[0] == '\0')
    {
      vg_node_dialog_show_error (self, _("Give the user’s password"));
      return FALSE;
    }

  connection = vg_connection_list_lookup (self->connections, base_url, user);
  if (connection == NULL)
    {
      connection = vg_connection_list_add (self->connections, base_url, user);
      /* A node added here: its certificate is shown before anything is sent. */
      vg_connection_set_trust_on_first_use (connection, FALSE);
    }

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  switch (vg_node_dialog_get_store (self))
    {
    case VG_NODE_DIALOG_STORE_KEYRING:
      {
        StoreData *data = g_new0 (StoreData, 1);

        data->parent = parent != NULL ? g_object_ref (parent) : NULL;
        data->connection = g_object_ref (connection);
        vg_password_store_async (base_url, user, password, NULL, store_cb, data);
      }
      break;
    case VG_NODE_DIALOG_STORE_FILE:
      vg_connection_remember_in_file (connection);
      break;
    case VG_NODE_DIALOG_STORE_NONE:
    default:
      break;
    }
  vg_connection_connect (connection, password);

  if (connection_out != NULL)
    *connection_out = connection;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
add_clicked_cb (VgNodeDialog *self)
{
  vg_node_dialog_add (self, NULL);
}

void
vg_node_dialog_set_fields (VgNodeDialog *self,
                           const char   *address,
                           const char   *user,
                           const char   *password,
                           gboolean      remember)
{
  g_return_if_fail (VG_IS_NODE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address != NULL ? address : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user != NULL ? user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  gtk_switch_set_active (self->remember_switch, remember);
}

/**
 * vg_node_dialog_present:
 *
 * Returns: (transfer none): the dialog
 */
VgNodeDialog *
vg_node_dialog_present (GtkWindow        *parent,
                        VgConnectionList *connections)
{
  VgNodeDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VG_IS_CONNECTION_LIST (connections), NULL);

  self = g_object_new (VG_TYPE_NODE_DIALOG, "transient-for", parent, NULL);
  self->connections = g_object_ref (connections);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

static void
vg_node_dialog_dispose (GObject *object)
{
  VgNodeDialog *self = VG_NODE_DIALOG (object);

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->connections);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_NODE_DIALOG);

  G_OBJECT_CLASS (vg_node_dialog_parent_class)->dispose (object);
}

static void
vg_node_dialog_class_init (VgNodeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_node_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-node-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, remember_row);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remember_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_node_dialog_init (VgNodeDialog *self)
{
  self->keyring_store = VG_NODE_DIALOG_STORE_KEYRING;
  gtk_widget_init_template (GTK_WIDGET (self));
  vg_node_dialog_update_store (self);

  self->probe_cancellable = g_cancellable_new ();
  secret_service_get (SECRET_SERVICE_NONE, self->probe_cancellable, secret_service_cb, self);
}
