/* vg-api-client.h: asynchronous client of a node's HTTPS JSON API and event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vg-camera.h"
#include "vg-server-info.h"
#include "vg-session.h"
#include "vg-user.h"

G_BEGIN_DECLS

#define VG_TYPE_API_CLIENT (vg_api_client_get_type ())
G_DECLARE_FINAL_TYPE (VgApiClient, vg_api_client, VG, API_CLIENT, GObject)

/**
 * VgApiClient:
 *
 * Talks to one node. Properties:
 * - "base-url" (construct-only): "https://HOST:PORT"
 * - "token": the session token after a login (or set by hand)
 * - "tls-fingerprint": the SHA-256 fingerprint (lower-case hex) of the certificate the
 *   client accepts. When NULL the first certificate seen is accepted and its fingerprint
 *   stored here (trust on first use); a different one afterwards fails with
 *   G_TLS_ERROR_BAD_CERTIFICATE.
 * - "events-connected" (read-only): whether the event WebSocket is open.
 *
 * Errors from the node come back as VG_ERROR with the code of the body's
 * {"error":{"code"}} (or of the HTTP status) and its message.
 *
 * Signals:
 * - "event" (JsonNode *message): one message of the event WebSocket.
 */

VgApiClient  *vg_api_client_new                 (const char *base_url);
const char   *vg_api_client_get_base_url        (VgApiClient *self);
const char   *vg_api_client_get_token           (VgApiClient *self);
void          vg_api_client_set_token           (VgApiClient *self, const char *token);
const char   *vg_api_client_get_tls_fingerprint (VgApiClient *self);
void          vg_api_client_set_tls_fingerprint (VgApiClient *self, const char *fingerprint);
/* Use HTTP Basic with these credentials on every request instead of a token. */
void          vg_api_client_set_basic_auth      (VgApiClient *self, const char *user,
                                                 const char *password);

/* POST /api/v1/session; on success the token is kept for later requests. */
void          vg_api_client_login_async         (VgApiClient *self, const char *user,
                                                 const char *password, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
VgSession    *vg_api_client_login_finish        (VgApiClient *self, GAsyncResult *result,
                                                 GError **error);

/* Any JSON request. body may be NULL. The result is the response body parsed (a JSON
 * null node for empty 2xx bodies such as 204). */
void          vg_api_client_request_async       (VgApiClient *self, const char *method,
                                                 const char *path, JsonNode *body,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
JsonNode     *vg_api_client_request_finish      (VgApiClient *self, GAsyncResult *result,
                                                 guint *http_status, GError **error);

/* GET with the body streamed (exports, segments); errors as for requests. */
void          vg_api_client_open_async          (VgApiClient *self, const char *path,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
GInputStream *vg_api_client_open_finish         (VgApiClient *self, GAsyncResult *result,
                                                 SoupMessageHeaders **headers, GError **error);

void          vg_api_client_get_server_info_async  (VgApiClient *self, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
VgServerInfo *vg_api_client_get_server_info_finish (VgApiClient *self, GAsyncResult *result,
                                                    GError **error);

/* Element type VgCamera. */
void          vg_api_client_list_cameras_async  (VgApiClient *self, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
GPtrArray    *vg_api_client_list_cameras_finish (VgApiClient *self, GAsyncResult *result,
                                                 GError **error);
void          vg_api_client_get_camera_async    (VgApiClient *self, gint64 id,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
/* POST when the camera has no id, PUT-like PATCH of every field otherwise. */
void          vg_api_client_save_camera_async   (VgApiClient *self, VgCamera *camera,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
/* Finish for get_camera and save_camera: the camera as the node stored it. */
VgCamera     *vg_api_client_camera_finish       (VgApiClient *self, GAsyncResult *result,
                                                 GError **error);
void          vg_api_client_delete_camera_async (VgApiClient *self, gint64 id,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean      vg_api_client_delete_camera_finish (VgApiClient *self, GAsyncResult *result,
                                                  GError **error);

/* GET path with a Range header (PLAY-5 segment reads): length bytes from offset, or
 * everything from offset when length is -1. The body, or VG_ERROR (416 when the range
 * is outside the file). */
void          vg_api_client_read_range_async    (VgApiClient *self, const char *path,
                                                 guint64 offset, gint64 length,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
GBytes       *vg_api_client_read_range_finish   (VgApiClient *self, GAsyncResult *result,
                                                 GError **error);

/* Opens /api/v1/events and keeps it open: after a close or a failure it reconnects
 * with a capped exponential backoff (0.5 s doubling to 30 s) until
 * vg_api_client_disconnect_events(). */
void          vg_api_client_connect_events      (VgApiClient *self);
void          vg_api_client_disconnect_events   (VgApiClient *self);
gboolean      vg_api_client_get_events_connected (VgApiClient *self);

G_END_DECLS
