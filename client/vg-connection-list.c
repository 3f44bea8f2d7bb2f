/* vg-connection-list.c: the nodes the client connects to (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-connection-list.h"
#include "vg-launch-options.h"
#include "vg-password.h"

struct _VgConnectionList
{
  GObject parent_instance;

  GSettings *settings;    /* NULL: nothing is remembered */
  GPtrArray *connections; /* of VgConnection, owned */
};

static void vg_connection_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VgConnectionList, vg_connection_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      vg_connection_list_model_init))

/* GListModel */

static GType
vg_connection_list_get_item_type (GListModel *model)
{
  return VG_TYPE_CONNECTION;
}

static guint
vg_connection_list_get_n_items (GListModel *model)
{
  return VG_CONNECTION_LIST (model)->connections->len;
}

static gpointer
vg_connection_list_get_item (GListModel *model,
                             guint       position)
{
  VgConnectionList *self = VG_CONNECTION_LIST (model);

  if (position >= self->connections->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
vg_connection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = vg_connection_list_get_item_type;
  iface->get_n_items = vg_connection_list_get_n_items;
  iface->get_item = vg_connection_list_get_item;
}

/* Settings */

static void
vg_connection_list_save (VgConnectionList *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) nodes = NULL;

  if (self->settings == NULL)
    return;

  for (guint i = 0; i < self->connections->len; i++)
    {
      VgConnection *connection = g_ptr_array_index (self->connections, i);
      g_autofree char *address = vg_launch_options_format_connect (vg_connection_get_base_url (connection),
                                                                   vg_connection_get_user (connection));

      if (address != NULL)
        g_strv_builder_add (builder, address);
    }
  nodes = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "nodes", (const char *const *) nodes);
}

/* fingerprint NULL: forgets the node's. */
static void
vg_connection_list_save_fingerprint (VgConnectionList *self,
                                     const char       *base_url,
                                     const char       *fingerprint)
{
  g_autoptr(GVariant) old = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *key;
  const char *value;

  if (self->settings == NULL)
    return;

  old = g_settings_get_value (self->settings, "node-fingerprints");
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      if (!g_str_equal (key, base_url))
        g_variant_builder_add (&builder, "{ss}", key, value);
    }
  if (fingerprint != NULL)
    g_variant_builder_add (&builder, "{ss}", base_url, fingerprint);
  g_settings_set_value (self->settings, "node-fingerprints", g_variant_builder_end (&builder));
}

static char *
vg_connection_list_dup_fingerprint (VgConnectionList *self,
                                    const char       *base_url)
{
  g_autoptr(GVariant) fingerprints = NULL;
  char *fingerprint = NULL;

  if (self->settings == NULL)
    return NULL;

  fingerprints = g_settings_get_value (self->settings, "node-fingerprints");
  if (!g_variant_lookup (fingerprints, base_url, "s", &fingerprint))
    return NULL;
  return fingerprint;
}

static void
connection_fingerprint_cb (VgConnection     *connection,
                           GParamSpec       *pspec,
                           VgConnectionList *self)
{
  const char *fingerprint = vg_connection_get_tls_fingerprint (connection);

  if (fingerprint != NULL)
    vg_connection_list_save_fingerprint (self, vg_connection_get_base_url (connection), fingerprint);
}

/* Remembered for older versions, which start with this node only. */
static void
connection_state_cb (VgConnection     *connection,
                     GParamSpec       *pspec,
                     VgConnectionList *self)
{
  g_autofree char *address = NULL;

  if (self->settings == NULL ||
      vg_connection_get_state (connection) != VG_CONNECTION_STATE_CONNECTED)
    return;

  address = vg_launch_options_format_connect (vg_connection_get_base_url (connection),
                                              vg_connection_get_user (connection));
  if (address != NULL)
    g_settings_set_string (self->settings, "last-connection", address);
}

/* Adds a connection without saving the list; takes connection. */
static VgConnection *
vg_connection_list_append_connection (VgConnectionList *self,
                                      VgConnection     *connection)
{
  const char *base_url = vg_connection_get_base_url (connection);
  g_autofree char *fingerprint = vg_connection_list_dup_fingerprint (self, base_url);

  if (fingerprint != NULL && vg_connection_get_tls_fingerprint (connection) == NULL)
    vg_connection_set_tls_fingerprint (connection, fingerprint);
  if (self->settings != NULL)
    vg_connection_set_live_tls (connection, g_settings_get_boolean (self->settings, "live-tls"));
  g_signal_connect_object (connection, "notify::tls-fingerprint",
                           G_CALLBACK (connection_fingerprint_cb), self, 0);
  g_signal_connect_object (connection, "notify::state",
                           G_CALLBACK (connection_state_cb), self, 0);

  g_ptr_array_add (self->connections, connection);
  g_list_model_items_changed (G_LIST_MODEL (self), self->connections->len - 1, 0, 1);
  return connection;
}

static VgConnection *
vg_connection_list_append (VgConnectionList *self,
                           const char       *base_url,
                           const char       *user)
{
  return vg_connection_list_append_connection (self, vg_connection_new (base_url, user));
}

static void
vg_connection_list_add_address (VgConnectionList *self,
                                const char       *address)
{
  g_autofree char *base_url = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GError) error = NULL;

  if (!vg_launch_options_parse_connect (address, &base_url, &user, &error))
    {
      g_warning ("Ignoring the node “%s”: %s", address, error->message);
      return;
    }
  if (vg_connection_list_lookup (self, base_url, user) == NULL)
    vg_connection_list_append (self, base_url, user);
}

static void
vg_connection_list_load (VgConnectionList *self)
{
  g_auto(GStrv) nodes = NULL;
  g_autofree char *last = NULL;

  if (self->settings == NULL)
    return;

  nodes = g_settings_get_strv (self->settings, "nodes");
  for (guint i = 0; nodes[i] != NULL; i++)
    vg_connection_list_add_address (self, nodes[i]);

  /* The one node of older versions. */
  last = g_settings_get_string (self->settings, "last-connection");
  if (self->connections->len == 0 && last[0] != '\0')
    {
      vg_connection_list_add_address (self, last);
      vg_connection_list_save (self);
    }
}

/* Public */

VgConnectionList *
vg_connection_list_new (GSettings *settings)
{
  VgConnectionList *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VG_TYPE_CONNECTION_LIST, NULL);
  g_set_object (&self->settings, settings);
  vg_connection_list_load (self);
  return self;
}

/**
 * vg_connection_list_lookup:
 *
 * Returns: (transfer none) (nullable): the connection of this node and user
 */
VgConnection *
vg_connection_list_lookup (VgConnectionList *self,
                           const char       *base_url,
                           const char       *user)
{
  g_return_val_if_fail (VG_IS_CONNECTION_LIST (self), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  for (guint i = 0; i < self->connections->len; i++)
    {
      VgConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_str_equal (vg_connection_get_base_url (connection), base_url) &&
          g_str_equal (vg_connection_get_user (connection), user))
        return connection;
    }
  return NULL;
}

/**
 * vg_connection_list_add:
 *
 * Returns: (transfer none): the connection of this node and user
 */
VgConnection *
vg_connection_list_add (VgConnectionList *self,
                        const char       *base_url,
                        const char       *user)
{
  VgConnection *connection;

  g_return_val_if_fail (VG_IS_CONNECTION_LIST (self), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  connection = vg_connection_list_lookup (self, base_url, user);
  if (connection != NULL)
    return connection;

  connection = vg_connection_list_append (self, base_url, user);
  vg_connection_list_save (self);
  return connection;
}

void
vg_connection_list_add_connection (VgConnectionList *self,
                                   VgConnection     *connection)
{
  g_return_if_fail (VG_IS_CONNECTION_LIST (self));
  g_return_if_fail (VG_IS_CONNECTION (connection));

  if (vg_connection_list_lookup (self, vg_connection_get_base_url (connection),
                                 vg_connection_get_user (connection)) != NULL)
    return;
  vg_connection_list_append_connection (self, g_object_ref (connection));
  vg_connection_list_save (self);
}

void
vg_connection_list_remove (VgConnectionList *self,
                           VgConnection     *connection)
{
  g_autoptr(VgConnection) removed = NULL;
  gboolean other_user = FALSE;
  guint position;

  g_return_if_fail (VG_IS_CONNECTION_LIST (self));
  g_return_if_fail (VG_IS_CONNECTION (connection));

  if (!g_ptr_array_find (self->connections, connection, &position))
    return;

  removed = g_ptr_array_steal_index (self->connections, position);
  g_signal_handlers_disconnect_by_data (removed, self);
  vg_connection_disconnect (removed);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  vg_connection_list_save (self);

  /* The certificate is the node's: kept while another user of the list uses it. */
  for (guint i = 0; i < self->connections->len; i++)
    other_user |= g_str_equal (vg_connection_get_base_url (g_ptr_array_index (self->connections, i)),
                               vg_connection_get_base_url (removed));
  if (!other_user)
    vg_connection_list_save_fingerprint (self, vg_connection_get_base_url (removed), NULL);
  if (self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-connection");
      g_autofree char *address = vg_launch_options_format_connect (vg_connection_get_base_url (removed),
                                                                   vg_connection_get_user (removed));

      if (g_strcmp0 (last, address) == 0)
        g_settings_set_string (self->settings, "last-connection", "");
    }
  vg_password_clear_async (vg_connection_get_base_url (removed), vg_connection_get_user (removed),
                           NULL, NULL, NULL);
}

/**
 * vg_connection_list_find_camera_owner:
 *
 * Returns: (transfer none) (nullable): the connection listing this camera object
 */
VgConnection *
vg_connection_list_find_camera_owner (VgConnectionList *self,
                                      VgCamera         *camera)
{
  g_return_val_if_fail (VG_IS_CONNECTION_LIST (self), NULL);
  g_return_val_if_fail (VG_IS_CAMERA (camera), NULL);

  for (guint i = 0; i < self->connections->len; i++)
    {
      VgConnection *connection = g_ptr_array_index (self->connections, i);

      if (vg_connection_lookup_camera (connection, vg_camera_get_id (camera)) == camera)
        return connection;
    }
  return NULL;
}

void
vg_connection_list_connect_all (VgConnectionList *self)
{
  g_return_if_fail (VG_IS_CONNECTION_LIST (self));

  for (guint i = 0; i < self->connections->len; i++)
    {
      VgConnection *connection = g_ptr_array_index (self->connections, i);
      VgConnectionState state = vg_connection_get_state (connection);

      if (state == VG_CONNECTION_STATE_DISCONNECTED ||
          (state == VG_CONNECTION_STATE_FAILED &&
           vg_connection_get_untrusted_fingerprint (connection) == NULL))
        vg_connection_connect (connection, NULL);
    }
}

/* GObject */

static void
vg_connection_list_dispose (GObject *object)
{
  VgConnectionList *self = VG_CONNECTION_LIST (object);

  for (guint i = 0; self->connections != NULL && i < self->connections->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->connections, i), self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vg_connection_list_parent_class)->dispose (object);
}

static void
vg_connection_list_finalize (GObject *object)
{
  VgConnectionList *self = VG_CONNECTION_LIST (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);

  G_OBJECT_CLASS (vg_connection_list_parent_class)->finalize (object);
}

static void
vg_connection_list_class_init (VgConnectionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_connection_list_dispose;
  object_class->finalize = vg_connection_list_finalize;
}

static void
vg_connection_list_init (VgConnectionList *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
}
