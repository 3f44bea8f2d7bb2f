/* vg-api-system.c: health, server information, metrics and the event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-relay.h"
#include "vg-api-server.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-node.h"
#include "vg-relay.h"
#include "vg-server-info.h"

static void
health_show (VgApiRequest *request)
{
  vg_api_request_respond_text (request, SOUP_STATUS_OK, "application/json", "{\"status\":\"ok\"}");
}

static JsonNode *
server_info_json (VgNode *node)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(VgServerInfo) info = NULL;
  VgRelay *relay = vg_node_get_relay (node);
  const char *zone_name = g_time_zone_get_identifier (zone);

  if (zone_name == NULL || zone_name[0] == '\0' || g_str_equal (zone_name, "Local"))
    zone_name = "UTC";
  info = vg_server_info_new (vg_node_get_config (node)->name, PACKAGE_VERSION, now, zone_name,
                             vg_node_get_uptime (node));
  if (relay && vg_relay_get_port (relay) != 0)
    vg_server_info_set_rtsp_port (info, vg_relay_get_port (relay));
  if (relay && vg_relay_get_tls_port (relay) != 0)
    vg_server_info_set_rtsps_port (info, vg_relay_get_tls_port (relay));
  return vg_server_info_to_json (info);
}

static void
server_show (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = server_info_json (request->node);

  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
metric (GString *out, const char *name, const char *type, const char *help, double value)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n",
                          name, help, name, type, name, value);
}

static void
metrics_show (VgApiRequest *request)
{
  VgNode *node = request->node;
  GHashTable *counts = vg_api_server_get_response_counts (vg_node_get_api_server (node));
  VgDatabase *database = vg_node_get_database (node);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GList) codes = NULL;

  metric (out, "vigie_up", "gauge", "The node is running.", 1);
  metric (out, "vigie_uptime_seconds", "counter", "Seconds since the node started.",
          (double) vg_node_get_uptime (node));
  metric (out, "vigie_cameras", "gauge", "Cameras configured on the node.",
          vg_camera_manager_get_n_cameras (vg_node_get_camera_manager (node)));
  metric (out, "vigie_sessions", "gauge", "API sessions open.",
          vg_auth_get_n_sessions (vg_node_get_auth (node)));
  metric (out, "vigie_failed_logins_total", "counter", "Failed logins since start.",
          (double) vg_auth_get_n_failed_logins (vg_node_get_auth (node)));
  metric (out, "vigie_event_clients", "gauge", "Clients of the event WebSocket.",
          vg_event_hub_get_n_clients (vg_node_get_event_hub (node)));
  metric (out, "vigie_events_sent_total", "counter", "Event messages sent to clients.",
          (double) vg_event_hub_get_n_sent (vg_node_get_event_hub (node)));
  metric (out, "vigie_database_up", "gauge", "The node's database connection works.",
          vg_database_get_connected (database));
  metric (out, "vigie_database_queue_length", "gauge", "Database jobs waiting.",
          vg_database_get_queue_length (database));

  g_string_append (out, "# HELP vigie_http_responses_total API responses by status code.\n"
                        "# TYPE vigie_http_responses_total counter\n");
  codes = g_hash_table_get_keys (counts);
  codes = g_list_sort (codes, (GCompareFunc) g_strcmp0);
  for (GList *l = codes; l; l = l->next)
    g_string_append_printf (out, "vigie_http_responses_total{code=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            (const char *) l->data,
                            *(guint64 *) g_hash_table_lookup (counts, l->data));

  if (vg_node_get_capture (node))
    vg_capture_append_metrics (vg_node_get_capture (node), out);
  vg_api_request_respond_text (request, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8",
                               out->str);
}

/* Events: the WebSocket upgrade is done here rather than by libsoup's WebSocket
 * handler, because authentication is asynchronous and libsoup would complete the
 * handshake before it finished. */

typedef struct
{
  VgNode *node;
  VgUser *user;
} UpgradeData;

static void
upgrade_data_free (gpointer data, GClosure *closure)
{
  UpgradeData *upgrade = data;

  g_clear_object (&upgrade->user);
  g_free (upgrade);
}

static void
upgrade_written_cb (SoupServerMessage *msg, UpgradeData *upgrade)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(JsonNode) hello = NULL;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  stream = soup_server_message_steal_connection (msg);
  connection = soup_websocket_connection_new (stream, soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER,
                                              soup_message_headers_get_one (request_headers, "Origin"),
                                              NULL, NULL);
  hello = server_info_json (upgrade->node);
  vg_event_hub_add_client (vg_node_get_event_hub (upgrade->node), connection, upgrade->user, hello);
}

static void
events_open (VgApiRequest *request)
{
  g_autoptr(GError) error = NULL;
  UpgradeData *upgrade;

  if (!soup_websocket_server_check_handshake (request->msg, NULL, NULL, NULL, &error))
    {
      g_autoptr(GError) bad = g_error_new (VG_ERROR, VG_ERROR_BAD_REQUEST,
                                           "not a WebSocket handshake: %s", error->message);
      vg_api_request_respond_error (request, bad);
      return;
    }
  soup_websocket_server_process_handshake (request->msg, NULL, NULL, NULL, NULL);

  upgrade = g_new0 (UpgradeData, 1);
  upgrade->node = request->node;
  upgrade->user = g_object_ref (request->user);
  g_signal_connect_data (request->msg, "wrote-informational", G_CALLBACK (upgrade_written_cb),
                         upgrade, upgrade_data_free, 0);
  vg_api_request_respond_upgrade (request);
}

const VgApiRoute vg_api_system_routes[] = {
  { "GET", "/api/v1/health", VG_API_ACCESS_PUBLIC, health_show, FALSE },
  { "GET", "/api/v1/server", VG_API_ACCESS_USER, server_show, FALSE },
  { "GET", "/metrics", VG_API_ACCESS_USER, metrics_show, FALSE },
  { "GET", "/api/v1/events", VG_API_ACCESS_USER, events_open, TRUE },
  { NULL }
};
