/* vg-event-hub.c: the event WebSocket's clients and what is broadcast to them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-event-hub.h"
#include "vg-json.h"

#define KEEPALIVE_INTERVAL_S 20
#define MAX_INCOMING_MESSAGE 4096

typedef struct
{
  VgEventHub              *hub;
  SoupWebsocketConnection *connection;
  gint64                   user_id;
  gboolean                 admin;
} EventClient;

struct _VgEventHub
{
  GObject  parent_instance;

  GList   *clients;  /* EventClient */
  guint64  n_sent;
};

G_DEFINE_TYPE (VgEventHub, vg_event_hub, G_TYPE_OBJECT)

static void
client_free (EventClient *client)
{
  g_signal_handlers_disconnect_by_data (client->connection, client);
  g_object_unref (client->connection);
  g_free (client);
}

static void
client_closed_cb (SoupWebsocketConnection *connection, EventClient *client)
{
  VgEventHub *self = client->hub;

  self->clients = g_list_remove (self->clients, client);
  client_free (client);
}

static void
client_message_cb (SoupWebsocketConnection *connection, gint type, GBytes *message,
                   EventClient *client)
{
  /* The stream is one-way; clients have nothing to say yet. */
}

static void
vg_event_hub_dispose (GObject *object)
{
  vg_event_hub_close_all (VG_EVENT_HUB (object));
  G_OBJECT_CLASS (vg_event_hub_parent_class)->dispose (object);
}

static void
vg_event_hub_class_init (VgEventHubClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vg_event_hub_dispose;
}

static void
vg_event_hub_init (VgEventHub *self)
{
}

VgEventHub *
vg_event_hub_new (void)
{
  return g_object_new (VG_TYPE_EVENT_HUB, NULL);
}

static char *
build_message (const char *type, JsonNode *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = vg_time_format_iso8601 (now);
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  if (data)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, json_node_copy (data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return vg_json_to_string (root);
}

static void
send_text (VgEventHub *self, EventClient *client, const char *text)
{
  if (soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_text (client->connection, text);
  self->n_sent++;
}

void
vg_event_hub_add_client (VgEventHub *self, SoupWebsocketConnection *connection, VgUser *user,
                         JsonNode *hello_data)
{
  g_autofree char *hello = NULL;
  EventClient *client;

  g_return_if_fail (VG_IS_EVENT_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));

  client = g_new0 (EventClient, 1);
  client->hub = self;
  client->connection = g_object_ref (connection);
  client->user_id = vg_user_get_id (user);
  client->admin = vg_user_get_role (user) == VG_USER_ROLE_ADMIN;
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_INTERVAL_S);
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_INCOMING_MESSAGE);
  g_signal_connect (connection, "closed", G_CALLBACK (client_closed_cb), client);
  g_signal_connect (connection, "message", G_CALLBACK (client_message_cb), client);
  self->clients = g_list_prepend (self->clients, client);

  hello = build_message ("hello", hello_data);
  send_text (self, client, hello);
}

void
vg_event_hub_broadcast (VgEventHub *self, const char *type, JsonNode *data, gboolean admin_only)
{
  g_autofree char *text = NULL;

  g_return_if_fail (VG_IS_EVENT_HUB (self));
  if (self->clients == NULL)
    return;
  text = build_message (type, data);
  for (GList *l = self->clients; l; l = l->next)
    {
      EventClient *client = l->data;

      if (!admin_only || client->admin)
        send_text (self, client, text);
    }
}

void
vg_event_hub_disconnect_user (VgEventHub *self, gint64 user_id)
{
  g_return_if_fail (VG_IS_EVENT_HUB (self));
  for (GList *l = self->clients; l; l = l->next)
    {
      EventClient *client = l->data;

      if (client->user_id == user_id &&
          soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                         "credentials changed");
    }
}

void
vg_event_hub_close_all (VgEventHub *self)
{
  g_return_if_fail (VG_IS_EVENT_HUB (self));
  while (self->clients)
    {
      EventClient *client = self->clients->data;

      self->clients = g_list_delete_link (self->clients, self->clients);
      if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "node stopping");
      client_free (client);
    }
}

guint
vg_event_hub_get_n_clients (VgEventHub *self)
{
  g_return_val_if_fail (VG_IS_EVENT_HUB (self), 0);
  return g_list_length (self->clients);
}

guint64
vg_event_hub_get_n_sent (VgEventHub *self)
{
  g_return_val_if_fail (VG_IS_EVENT_HUB (self), 0);
  return self->n_sent;
}
