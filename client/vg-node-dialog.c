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
  GtkSwitch *remember_switch;
  GtkLabel *error_label;
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

/* The keyring's answer: the window says when the password is kept for the session only. */
static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (vg_password_store_finish (result, &error))
    return;

  g_debug ("The password is not remembered: %s", error->message);
  if (parent != NULL && VG_IS_WINDOW (parent))
    vg_window_show_error (VG_WINDOW (parent),
                          _("No keyring: the password is not remembered, only kept until "
                            "Vigie closes"));
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
  if (gtk_switch_get_active (self->remember_switch))
    vg_password_store_async (base_url, user, password, NULL, store_cb,
                             parent != NULL ? g_object_ref (parent) : NULL);
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
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, VgNodeDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_node_dialog_init (VgNodeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
