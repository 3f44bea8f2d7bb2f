/* vg-node-row.c: a node in the camera tree, with its connection's state (CLI-1, CLI-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vg-launch-options.h"
#include "vg-node-row.h"

struct _VgNodeRow
{
  GtkWidget parent_instance;

  VgConnection *connection;
  GSignalGroup *connection_signals;

  GtkStack *state_stack;
  GtkSpinner *spinner;
  GtkImage *failed_icon;
  GtkLabel *name_label;
  GtkLabel *detail_label;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (VgNodeRow, vg_node_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
vg_node_row_format_address (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (base_url);

  host = g_uri_get_host (uri);
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, g_uri_get_port (uri));
  return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
}

static const char *
state_page (VgConnectionState state)
{
  switch (state)
    {
    case VG_CONNECTION_STATE_CONNECTING:
      return "connecting";
    case VG_CONNECTION_STATE_CONNECTED:
      return "connected";
    case VG_CONNECTION_STATE_FAILED:
      return "failed";
    case VG_CONNECTION_STATE_DISCONNECTED:
    default:
      return "disconnected";
    }
}

static void
vg_node_row_update (VgNodeRow *self)
{
  g_autofree char *address = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *tooltip = NULL;
  VgConnectionState state;
  const char *name;
  const char *fingerprint;

  if (self->connection == NULL)
    {
      gtk_label_set_label (self->name_label, NULL);
      gtk_label_set_label (self->detail_label, NULL);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      return;
    }

  address = vg_node_row_format_address (vg_connection_get_base_url (self->connection));
  name = vg_connection_get_node_name (self->connection);
  state = vg_connection_get_state (self->connection);
  fingerprint = vg_connection_get_tls_fingerprint (self->connection);

  gtk_label_set_label (self->name_label, name != NULL ? name : address);
  /* Translators: a user on a node, as in “operator@10.0.0.2:8443” */
  detail = g_strdup_printf (_("%s@%s"), vg_connection_get_user (self->connection), address);
  gtk_label_set_label (self->detail_label, detail);
  if (fingerprint != NULL)
    /* Translators: %s is the SHA-256 fingerprint of the node's certificate */
    tooltip = g_strdup_printf (_("Certificate SHA-256: %s"), fingerprint);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), tooltip);

  gtk_stack_set_visible_child_name (self->state_stack, state_page (state));
  gtk_spinner_set_spinning (self->spinner, state == VG_CONNECTION_STATE_CONNECTING);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->failed_icon),
                               vg_connection_get_error (self->connection) != NULL
                               ? vg_connection_get_error (self->connection)
                               : _("Connection failed"));
}

/* Actions */

static void
reconnect_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  VgNodeRow *self = VG_NODE_ROW (widget);

  if (self->connection != NULL)
    vg_connection_connect (self->connection, NULL);
}

static void
remove_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgNodeRow *self = VG_NODE_ROW (widget);
  g_autofree char *address = NULL;

  if (self->connection == NULL)
    return;

  address = vg_launch_options_format_connect (vg_connection_get_base_url (self->connection),
                                              vg_connection_get_user (self->connection));
  gtk_widget_activate_action (widget, "win.remove-node", "s", address);
}

/* Public */

GtkWidget *
vg_node_row_new (void)
{
  return g_object_new (VG_TYPE_NODE_ROW, NULL);
}

/**
 * vg_node_row_get_connection:
 *
 * Returns: (transfer none) (nullable): the node shown
 */
VgConnection *
vg_node_row_get_connection (VgNodeRow *self)
{
  g_return_val_if_fail (VG_IS_NODE_ROW (self), NULL);

  return self->connection;
}

void
vg_node_row_set_connection (VgNodeRow    *self,
                            VgConnection *connection)
{
  g_return_if_fail (VG_IS_NODE_ROW (self));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_signal_group_set_target (self->connection_signals, connection);
  vg_node_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* GObject */

static void
vg_node_row_dispose (GObject *object)
{
  VgNodeRow *self = VG_NODE_ROW (object);
  GtkWidget *child;

  g_signal_group_set_target (self->connection_signals, NULL);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_NODE_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vg_node_row_parent_class)->dispose (object);
}

static void
vg_node_row_finalize (GObject *object)
{
  VgNodeRow *self = VG_NODE_ROW (object);

  g_clear_object (&self->connection_signals);

  G_OBJECT_CLASS (vg_node_row_parent_class)->finalize (object);
}

static void
vg_node_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VgNodeRow *self = VG_NODE_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_node_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VgNodeRow *self = VG_NODE_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      vg_node_row_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_node_row_class_init (VgNodeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_node_row_dispose;
  object_class->finalize = vg_node_row_finalize;
  object_class->get_property = vg_node_row_get_property;
  object_class->set_property = vg_node_row_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VG_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-node-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, failed_icon);
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, VgNodeRow, menu_button);
  gtk_widget_class_set_css_name (widget_class, "vgnoderow");

  gtk_widget_class_install_action (widget_class, "node.reconnect", NULL, reconnect_cb);
  gtk_widget_class_install_action (widget_class, "node.remove", NULL, remove_cb);
}

static void
vg_node_row_init (VgNodeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connection_signals = g_signal_group_new (VG_TYPE_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "notify",
                                 G_CALLBACK (vg_node_row_update), self, G_CONNECT_SWAPPED);
}
