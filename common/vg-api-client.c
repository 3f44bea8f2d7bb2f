/* vg-api-client.c: asynchronous client of a node's HTTPS JSON API and event WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vg-api-client.h"
#include "vg-error.h"
#include "vg-json.h"

#define REQUEST_TIMEOUT_SECONDS 30
#define IDLE_TIMEOUT_SECONDS 60

/* Event WebSocket: reconnect delay, and how a silent peer is noticed. libsoup 3.2 has no
 * pong timeout, so a watchdog closes the socket when neither a message nor a pong came
 * in for EVENTS_DEAD_SECONDS. */
#define EVENTS_BACKOFF_INITIAL_MS 500
#define EVENTS_BACKOFF_MAX_MS 30000
#define EVENTS_KEEPALIVE_SECONDS 15
#define EVENTS_DEAD_SECONDS (3 * EVENTS_KEEPALIVE_SECONDS)

/* Set on a SoupMessage whose certificate was refused, to explain the TLS error. */
#define REFUSED_FINGERPRINT_KEY "vg-api-client-refused-fingerprint"

struct _VgApiClient
{
  GObject parent_instance;

  char *base_url;
  char *token;
  char *tls_fingerprint;
  char *basic_auth;           /* the whole "Basic …" header value, or NULL */

  SoupSession *session;

  /* Event WebSocket */
  gboolean events_wanted;
  gboolean events_connected;
  GCancellable *events_cancellable;   /* the connection attempt under way */
  SoupWebsocketConnection *events;
  guint events_backoff_ms;
  guint events_reconnect_id;
  guint events_watchdog_id;
  gint64 events_last_activity;        /* monotonic µs */
};

G_DEFINE_FINAL_TYPE (VgApiClient, vg_api_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TLS_FINGERPRINT,
  PROP_EVENTS_CONNECTED,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void vg_api_client_events_connect (VgApiClient *self);

/* Certificates and sessions */

/* "AB:CD …" or "abcd…" → "abcd…"; NULL for NULL or empty. */
static char *
normalize_fingerprint (const char *fingerprint)
{
  GString *normal;

  if (fingerprint == NULL)
    return NULL;

  normal = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p != ':' && !g_ascii_isspace (*p))
        g_string_append_c (normal, g_ascii_tolower (*p));
    }

  if (normal->len == 0)
    {
      g_string_free (normal, TRUE);
      return NULL;
    }

  return g_string_free (normal, FALSE);
}

static char *
certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors G_GNUC_UNUSED,
                       gpointer              user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);
  g_autofree char *fingerprint = certificate_fingerprint (certificate);

  if (fingerprint == NULL)
    return FALSE;

  if (self->tls_fingerprint == NULL)
    {
      /* Trust on first use. */
      g_debug ("Trusting the certificate of %s on first use: %s", self->base_url, fingerprint);
      self->tls_fingerprint = g_steal_pointer (&fingerprint);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_FINGERPRINT]);
      return TRUE;
    }

  if (g_str_equal (fingerprint, self->tls_fingerprint))
    return TRUE;

  g_debug ("Refusing the certificate of %s: %s, expected %s",
           self->base_url, fingerprint, self->tls_fingerprint);
  g_object_set_data_full (G_OBJECT (msg), REFUSED_FINGERPRINT_KEY,
                          g_steal_pointer (&fingerprint), g_free);
  return FALSE;
}

/* G_TLS_ERROR_BAD_CERTIFICATE says little: name the fingerprints when we refused it. */
static GError *
explain_transport_error (SoupMessage *msg,
                         GError      *error)
{
  const char *refused = g_object_get_data (G_OBJECT (msg), REFUSED_FINGERPRINT_KEY);
  GError *explained;

  if (refused == NULL || !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return error;

  explained = g_error_new (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           "The node’s certificate (SHA-256 %s) is not the trusted one",
                           refused);
  g_error_free (error);
  return explained;
}

static SoupSession *
new_soup_session (void)
{
  /* No certificate database: every certificate then reaches accept-certificate, so the
   * fingerprint decides, also for certificates a public CA signed. */
  return g_object_new (SOUP_TYPE_SESSION,
                       "timeout", REQUEST_TIMEOUT_SECONDS,
                       "idle-timeout", IDLE_TIMEOUT_SECONDS,
                       "user-agent", "vigie/" PACKAGE_VERSION,
                       "tls-database", NULL,
                       NULL);
}

/* Messages */

static GUri *
vg_api_client_build_uri (VgApiClient  *self,
                         const char   *path,
                         GError      **error)
{
  g_autofree char *string = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (string, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_strcmp0 (scheme, "https") != 0 || host == NULL || host[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an HTTPS address", string);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static void
vg_api_client_authorize (VgApiClient *self,
                         SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (self->basic_auth != NULL)
    {
      soup_message_headers_replace (headers, "Authorization", self->basic_auth);
    }
  else if (self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
}

static SoupMessage *
vg_api_client_new_message (VgApiClient  *self,
                           const char   *method,
                           GUri         *uri,
                           gboolean      authorize)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);

  if (authorize)
    vg_api_client_authorize (self, msg);
  g_signal_connect_object (msg, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), self, 0);

  return msg;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (member);
}

/* The GError for a response with a status other than 2xx. */
static GError *
error_from_response (SoupMessage *msg,
                     GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *error_object = NULL;
  const char *code = NULL;
  const char *message = NULL;

  if (reason == NULL || reason[0] == '\0')
    reason = soup_status_get_phrase (status);

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      node = vg_json_parse (data, size, NULL);
    }

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), "error");

      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        error_object = json_node_get_object (member);
    }

  if (error_object != NULL)
    {
      code = string_member (error_object, "code");
      message = string_member (error_object, "message");
    }

  if (message == NULL || message[0] == '\0')
    message = reason;

  return g_error_new (VG_ERROR,
                      code != NULL ? vg_error_code_from_string (code, status)
                                   : vg_error_code_from_status (status),
                      "%s", message != NULL ? message : "HTTP error");
}

/* Requests */

/* A 2xx body that is not JSON or not what was asked for: not the node's error, so not
 * VG_ERROR. */
static void
return_unexpected_response (GTask  *task,
                            GError *error)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Unexpected response from the node: %s", error->message);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  const char *data;
  gsize size;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, explain_transport_error (msg, g_steal_pointer (&error)));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_error (task, error_from_response (msg, body));
      return;
    }

  data = g_bytes_get_data (body, &size);
  if (size == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL),
                             (GDestroyNotify) json_node_unref);
      return;
    }

  node = vg_json_parse (data, size, &error);
  if (node == NULL)
    {
      return_unexpected_response (task, error);
      return;
    }

  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* The start of every request: its task (source_tag is the public function's) and its
 * message, or NULL when path does not make a URL (the task then has its error). */
static SoupMessage *
begin_request (VgApiClient         *self,
               const char          *method,
               const char          *path,
               gboolean             authorize,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               GTask              **task)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (*task, source_tag);
  uri = vg_api_client_build_uri (self, path, &error);
  if (uri == NULL)
    {
      g_task_return_error (*task, g_steal_pointer (&error));
      return NULL;
    }
  return vg_api_client_new_message (self, method, uri, authorize);
}

/* The shared core of every request; source_tag is the public function's. */
static void
vg_api_client_send_async (VgApiClient         *self,
                          const char          *method,
                          const char          *path,
                          JsonNode            *body,
                          gboolean             authorize,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_assert (VG_IS_API_CLIENT (self));
  g_assert (method != NULL);
  g_assert (path != NULL);

  msg = begin_request (self, method, path, authorize, source_tag, cancellable, callback, user_data, &task);
  if (msg == NULL)
    return;
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/json");
  if (body != NULL)
    {
      g_autofree char *text = vg_json_to_string (body);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

static JsonNode *
vg_api_client_send_finish (VgApiClient   *self,
                           GAsyncResult  *result,
                           guint         *http_status,
                           GError       **error)
{
  SoupMessage *msg;

  g_assert (g_task_is_valid (result, self));

  msg = g_task_get_task_data (G_TASK (result));
  if (http_status != NULL)
    *http_status = msg != NULL ? soup_message_get_status (msg) : 0;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Range reads */

static void
read_range_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, explain_transport_error (msg, g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_PARTIAL_CONTENT && status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, error_from_response (msg, body));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

/**
 * vg_api_client_read_range_async:
 * @length: bytes to read from offset, or -1 for all up to the end
 *
 * GET path with "Range: bytes=offset-(offset+length-1)" (or "bytes=offset-").
 */
void
vg_api_client_read_range_async (VgApiClient         *self,
                                const char          *path,
                                guint64              offset,
                                gint64               length,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (length != 0);

  msg = begin_request (self, "GET", path, TRUE, vg_api_client_read_range_async, cancellable, callback,
                       user_data, &task);
  if (msg == NULL)
    return;
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_set_range (headers, (goffset) offset,
                                  length < 0 ? -1 : (goffset) (offset + (guint64) length - 1));
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    read_range_cb, g_steal_pointer (&task));
}

/* The bytes read (fewer than asked for at the end of the file), or NULL. */
GBytes *
vg_api_client_read_range_finish (VgApiClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vg_api_client_request_async:
 *
 * Sends body (when not NULL) as application/json with the client's authorization.
 */
void
vg_api_client_request_async (VgApiClient         *self,
                             const char          *method,
                             const char          *path,
                             JsonNode            *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  vg_api_client_send_async (self, method, path, body, TRUE, vg_api_client_request_async,
                            cancellable, callback, user_data);
}

/**
 * vg_api_client_request_finish:
 * @http_status: (out) (optional): the response's status, also on error (0 when no
 *   response came)
 *
 * Returns: (transfer full): the parsed body; a null node for an empty 2xx body
 */
JsonNode *
vg_api_client_request_finish (VgApiClient   *self,
                              GAsyncResult  *result,
                              guint         *http_status,
                              GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_request_async), NULL);

  return vg_api_client_send_finish (self, result, http_status, error);
}

/* Streamed downloads */

static void
open_error_body_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  g_task_return_error (task, error_from_response (msg, body));
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, explain_transport_error (msg, g_steal_pointer (&error)));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* The error body is small: read it for the node's message. */
      g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT, cancellable,
                                       open_error_body_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

/**
 * vg_api_client_open_async:
 *
 * GET path with the client's authorization, for a body too large to hold in memory
 * (exports, segments): the finish function gives the body as a stream once the
 * headers came with a 2xx status.
 */
void
vg_api_client_open_async (VgApiClient         *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL);

  msg = begin_request (self, "GET", path, TRUE, vg_api_client_open_async, cancellable, callback,
                       user_data, &task);
  if (msg == NULL)
    return;
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, open_cb,
                           g_steal_pointer (&task));
}

/**
 * vg_api_client_open_finish:
 * @headers: (out) (optional) (transfer none): the response headers, valid while the
 *   stream lives
 *
 * Returns: (transfer full): the response body
 */
GInputStream *
vg_api_client_open_finish (VgApiClient         *self,
                           GAsyncResult        *result,
                           SoupMessageHeaders **headers,
                           GError             **error)
{
  SoupMessage *msg;
  GInputStream *stream;

  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_open_async), NULL);

  msg = g_task_get_task_data (G_TASK (result));
  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL)
    {
      /* The stream keeps the message (hence its headers) alive. */
      g_object_set_data_full (G_OBJECT (stream), "vg-message", g_object_ref (msg), g_object_unref);
      if (headers != NULL)
        *headers = soup_message_get_response_headers (msg);
    }
  return stream;
}

/* Login */

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  VgApiClient *self = VG_API_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) error = NULL;

  node = vg_api_client_send_finish (self, result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  session = vg_session_new_from_json (node, &error);
  if (session == NULL)
    {
      return_unexpected_response (task, error);
      return;
    }

  vg_api_client_set_token (self, vg_session_get_token (session));
  g_task_return_pointer (task, g_steal_pointer (&session), g_object_unref);
}

void
vg_api_client_login_async (VgApiClient         *self,
                           const char          *user,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_login_async);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* No Authorization: the credentials are the body. */
  vg_api_client_send_async (self, "POST", "/api/v1/session", body, FALSE,
                            vg_api_client_send_async, cancellable,
                            login_cb, g_steal_pointer (&task));
}

/**
 * vg_api_client_login_finish:
 *
 * Returns: (transfer full): the session; its token is now the client's
 */
VgSession *
vg_api_client_login_finish (VgApiClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_login_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Server */

static void
get_server_info_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VgServerInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  node = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = vg_server_info_new_from_json (node, &error);
  if (info == NULL)
    {
      return_unexpected_response (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
}

void
vg_api_client_get_server_info_async (VgApiClient         *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_get_server_info_async);

  vg_api_client_request_async (self, "GET", "/api/v1/server", NULL, cancellable,
                               get_server_info_cb, g_steal_pointer (&task));
}

/**
 * vg_api_client_get_server_info_finish:
 *
 * Returns: (transfer full): what the node told about itself
 */
VgServerInfo *
vg_api_client_get_server_info_finish (VgApiClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_get_server_info_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Cameras */

/* A camera the node sent, read leniently (a newer node may add fields), with its id. */
static VgCamera *
camera_from_response (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(VgCamera) camera = vg_camera_new_from_json_response (node, error);

  if (camera == NULL)
    return NULL;
  if (vg_camera_get_id (camera) <= 0)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                           "a camera must have a positive integer “id”");
      return NULL;
    }
  return g_steal_pointer (&camera);
}

static char *
camera_path (gint64 id)
{
  return g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT, id);
}

static void
list_cameras_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *member = NULL;
  JsonArray *array;
  guint length;

  node = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    member = json_object_get_member (json_node_get_object (node), "cameras");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Unexpected response from the node: no “cameras” array");
      return;
    }

  array = json_node_get_array (member);
  length = json_array_get_length (array);
  cameras = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      VgCamera *camera = camera_from_response (json_array_get_element (array, i), &error);

      if (camera == NULL)
        {
          return_unexpected_response (task, error);
          return;
        }
      g_ptr_array_add (cameras, camera);
    }

  g_task_return_pointer (task, g_steal_pointer (&cameras), (GDestroyNotify) g_ptr_array_unref);
}

void
vg_api_client_list_cameras_async (VgApiClient         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_list_cameras_async);

  vg_api_client_request_async (self, "GET", "/api/v1/cameras", NULL, cancellable,
                               list_cameras_cb, g_steal_pointer (&task));
}

/**
 * vg_api_client_list_cameras_finish:
 *
 * Returns: (transfer container) (element-type VgCamera): the cameras
 */
GPtrArray *
vg_api_client_list_cameras_finish (VgApiClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_list_cameras_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For get_camera and save_camera. */
static void
camera_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VgCamera) camera = NULL;
  g_autoptr(GError) error = NULL;

  node = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  camera = camera_from_response (node, &error);
  if (camera == NULL)
    {
      return_unexpected_response (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&camera), g_object_unref);
}

void
vg_api_client_get_camera_async (VgApiClient         *self,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_get_camera_async);

  path = camera_path (id);
  vg_api_client_request_async (self, "GET", path, NULL, cancellable,
                               camera_cb, g_steal_pointer (&task));
}

void
vg_api_client_save_camera_async (VgApiClient         *self,
                                 VgCamera            *camera,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  gint64 id;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (VG_IS_CAMERA (camera));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_save_camera_async);

  /* The id is in the path, never in the body. */
  id = vg_camera_get_id (camera);
  body = vg_camera_to_json (camera);
  if (JSON_NODE_HOLDS_OBJECT (body))
    json_object_remove_member (json_node_get_object (body), "id");

  if (id == 0)
    {
      vg_api_client_request_async (self, "POST", "/api/v1/cameras", body, cancellable,
                                   camera_cb, g_steal_pointer (&task));
    }
  else
    {
      g_autofree char *path = camera_path (id);

      vg_api_client_request_async (self, "PATCH", path, body, cancellable,
                                   camera_cb, g_steal_pointer (&task));
    }
}

/**
 * vg_api_client_camera_finish:
 *
 * Returns: (transfer full): the camera as the node stored it
 */
VgCamera *
vg_api_client_camera_finish (VgApiClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_get_camera_async) ||
                        g_async_result_is_tagged (result, vg_api_client_save_camera_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_camera_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vg_api_client_delete_camera_async (VgApiClient         *self,
                                   gint64               id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_api_client_delete_camera_async);

  path = camera_path (id);
  vg_api_client_request_async (self, "DELETE", path, NULL, cancellable,
                               delete_camera_cb, g_steal_pointer (&task));
}

gboolean
vg_api_client_delete_camera_finish (VgApiClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vg_api_client_delete_camera_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Event WebSocket */

static void
vg_api_client_set_events_connected (VgApiClient *self,
                                    gboolean     connected)
{
  connected = !!connected;
  if (self->events_connected == connected)
    return;

  self->events_connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS_CONNECTED]);
}

static void
events_linger_closed_cb (SoupWebsocketConnection *connection,
                         gpointer                 user_data G_GNUC_UNUSED)
{
  g_object_unref (connection);
}

/* Forgets the WebSocket; an open one is closed and kept alive until its closing
 * handshake is over. */
static void
vg_api_client_drop_events (VgApiClient *self)
{
  g_autoptr(SoupWebsocketConnection) connection = g_steal_pointer (&self->events);

  g_clear_handle_id (&self->events_watchdog_id, g_source_remove);
  if (connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (connection, self);
  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_signal_connect (connection, "closed", G_CALLBACK (events_linger_closed_cb), NULL);
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_steal_pointer (&connection);
    }
}

static gboolean
events_reconnect_cb (gpointer user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);

  self->events_reconnect_id = 0;
  vg_api_client_events_connect (self);

  return G_SOURCE_REMOVE;
}

static void
vg_api_client_schedule_reconnect (VgApiClient *self)
{
  g_assert (self->events_wanted);

  g_debug ("Reconnecting to the events of %s in %u ms",
           self->base_url, self->events_backoff_ms);
  g_clear_handle_id (&self->events_reconnect_id, g_source_remove);
  self->events_reconnect_id = g_timeout_add (self->events_backoff_ms, events_reconnect_cb, self);
  self->events_backoff_ms = MIN (self->events_backoff_ms * 2, EVENTS_BACKOFF_MAX_MS);
}

/* The connection is gone (closed, failed or silent): try again later. */
static void
vg_api_client_events_lost (VgApiClient *self)
{
  vg_api_client_drop_events (self);
  vg_api_client_set_events_connected (self, FALSE);
  if (self->events_wanted)
    vg_api_client_schedule_reconnect (self);
}

static void
events_message_cb (SoupWebsocketConnection *connection G_GNUC_UNUSED,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  self->events_last_activity = g_get_monotonic_time ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("Ignoring a binary event message");
      return;
    }

  data = g_bytes_get_data (message, &size);
  node = vg_json_parse (data, size, &error);
  if (node == NULL)
    {
      g_debug ("Ignoring a malformed event message: %s", error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_debug ("Ignoring an event message that is not an object");
      return;
    }

  g_signal_emit (self, signals[SIGNAL_EVENT], 0, node);
}

static void
events_pong_cb (SoupWebsocketConnection *connection G_GNUC_UNUSED,
                GBytes                  *message G_GNUC_UNUSED,
                gpointer                 user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);

  self->events_last_activity = g_get_monotonic_time ();
}

static void
events_error_cb (SoupWebsocketConnection *connection G_GNUC_UNUSED,
                 GError                  *error,
                 gpointer                 user_data G_GNUC_UNUSED)
{
  g_debug ("Event WebSocket error: %s", error->message);
}

static void
events_closed_cb (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);

  g_debug ("Event WebSocket of %s closed (code %u)", self->base_url,
           soup_websocket_connection_get_close_code (connection));
  vg_api_client_events_lost (self);
}

static gboolean
events_watchdog_cb (gpointer user_data)
{
  VgApiClient *self = VG_API_CLIENT (user_data);
  gint64 silence = g_get_monotonic_time () - self->events_last_activity;

  if (silence < EVENTS_DEAD_SECONDS * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_debug ("Event WebSocket of %s silent for %" G_GINT64_FORMAT " s, reconnecting",
           self->base_url, silence / G_USEC_PER_SEC);
  self->events_watchdog_id = 0;
  vg_api_client_events_lost (self);

  return G_SOURCE_REMOVE;
}

static void
events_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VgApiClient *self;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  /* Cancelled by disconnect_events() or dispose: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VG_API_CLIENT (user_data);
  g_clear_object (&self->events_cancellable);

  if (connection == NULL)
    {
      g_debug ("Cannot open the event WebSocket of %s: %s", self->base_url, error->message);
      vg_api_client_events_lost (self);
      return;
    }

  g_debug ("Event WebSocket of %s open", self->base_url);
  self->events = g_steal_pointer (&connection);
  self->events_backoff_ms = EVENTS_BACKOFF_INITIAL_MS;
  self->events_last_activity = g_get_monotonic_time ();

  soup_websocket_connection_set_keepalive_interval (self->events, EVENTS_KEEPALIVE_SECONDS);
  g_signal_connect (self->events, "message", G_CALLBACK (events_message_cb), self);
  g_signal_connect (self->events, "pong", G_CALLBACK (events_pong_cb), self);
  g_signal_connect (self->events, "error", G_CALLBACK (events_error_cb), self);
  g_signal_connect (self->events, "closed", G_CALLBACK (events_closed_cb), self);
  self->events_watchdog_id = g_timeout_add_seconds (EVENTS_KEEPALIVE_SECONDS,
                                                    events_watchdog_cb, self);

  vg_api_client_set_events_connected (self, TRUE);
}

/* One connection attempt. Neither it nor the sources hold a reference: dispose cancels
 * and removes them. */
static void
vg_api_client_events_connect (VgApiClient *self)
{
  g_autoptr(GUri) https_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->events_wanted);
  g_assert (self->events == NULL);

  https_uri = vg_api_client_build_uri (self, "/api/v1/events", &error);
  if (https_uri == NULL)
    {
      g_warning ("Cannot open the event WebSocket: %s", error->message);
      return;
    }

  uri = g_uri_build (g_uri_get_flags (https_uri),
                     "wss",
                     g_uri_get_userinfo (https_uri), g_uri_get_host (https_uri),
                     g_uri_get_port (https_uri), g_uri_get_path (https_uri),
                     g_uri_get_query (https_uri), g_uri_get_fragment (https_uri));
  msg = vg_api_client_new_message (self, "GET", uri, TRUE);

  g_clear_object (&self->events_cancellable);
  self->events_cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->events_cancellable, events_connect_cb, self);
}

/* Stops everything; notify is FALSE in dispose. */
static void
vg_api_client_events_stop (VgApiClient *self,
                           gboolean     notify)
{
  self->events_wanted = FALSE;
  g_cancellable_cancel (self->events_cancellable);
  g_clear_object (&self->events_cancellable);
  g_clear_handle_id (&self->events_reconnect_id, g_source_remove);
  vg_api_client_drop_events (self);

  if (notify)
    vg_api_client_set_events_connected (self, FALSE);
  else
    self->events_connected = FALSE;
}

void
vg_api_client_connect_events (VgApiClient *self)
{
  g_return_if_fail (VG_IS_API_CLIENT (self));

  if (self->events_wanted)
    return;

  self->events_wanted = TRUE;
  self->events_backoff_ms = EVENTS_BACKOFF_INITIAL_MS;
  vg_api_client_events_connect (self);
}

void
vg_api_client_disconnect_events (VgApiClient *self)
{
  g_return_if_fail (VG_IS_API_CLIENT (self));

  vg_api_client_events_stop (self, TRUE);
}

gboolean
vg_api_client_get_events_connected (VgApiClient *self)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), FALSE);

  return self->events_connected;
}

/* Properties */

const char *
vg_api_client_get_base_url (VgApiClient *self)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);

  return self->base_url;
}

const char *
vg_api_client_get_token (VgApiClient *self)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);

  return self->token;
}

void
vg_api_client_set_token (VgApiClient *self,
                         const char  *token)
{
  g_return_if_fail (VG_IS_API_CLIENT (self));

  if (g_strcmp0 (token, self->token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

const char *
vg_api_client_get_tls_fingerprint (VgApiClient *self)
{
  g_return_val_if_fail (VG_IS_API_CLIENT (self), NULL);

  return self->tls_fingerprint;
}

/**
 * vg_api_client_set_tls_fingerprint:
 * @fingerprint: (nullable): SHA-256 in hex; colons, spaces and case do not matter
 *
 * Connections accepted under another fingerprint are not used again.
 */
void
vg_api_client_set_tls_fingerprint (VgApiClient *self,
                                   const char  *fingerprint)
{
  g_autofree char *normal = NULL;
  gboolean was_pinned;

  g_return_if_fail (VG_IS_API_CLIENT (self));

  normal = normalize_fingerprint (fingerprint);
  if (g_strcmp0 (normal, self->tls_fingerprint) == 0)
    return;

  was_pinned = self->tls_fingerprint != NULL;
  g_free (self->tls_fingerprint);
  self->tls_fingerprint = g_steal_pointer (&normal);

  /* Kept-alive connections never ask accept-certificate again: a new pin needs a new
   * session (requests under way finish on the old one). */
  if (was_pinned && self->tls_fingerprint != NULL)
    {
      g_clear_object (&self->session);
      self->session = new_soup_session ();

      if (self->events_wanted && self->events != NULL)
        vg_api_client_events_lost (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_FINGERPRINT]);
}

/**
 * vg_api_client_set_basic_auth:
 * @user: (nullable): NULL goes back to the token
 */
void
vg_api_client_set_basic_auth (VgApiClient *self,
                              const char  *user,
                              const char  *password)
{
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;

  g_return_if_fail (VG_IS_API_CLIENT (self));

  g_clear_pointer (&self->basic_auth, g_free);
  if (user == NULL)
    return;

  credentials = g_strconcat (user, ":", password != NULL ? password : "", NULL);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  self->basic_auth = g_strconcat ("Basic ", encoded, NULL);
}

/* GObject */

VgApiClient *
vg_api_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (VG_TYPE_API_CLIENT, "base-url", base_url, NULL);
}

static void
vg_api_client_dispose (GObject *object)
{
  VgApiClient *self = VG_API_CLIENT (object);

  vg_api_client_events_stop (self, FALSE);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vg_api_client_parent_class)->dispose (object);
}

static void
vg_api_client_finalize (GObject *object)
{
  VgApiClient *self = VG_API_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->tls_fingerprint, g_free);
  g_clear_pointer (&self->basic_auth, g_free);

  G_OBJECT_CLASS (vg_api_client_parent_class)->finalize (object);
}

static void
vg_api_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VgApiClient *self = VG_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_TLS_FINGERPRINT:
      g_value_set_string (value, self->tls_fingerprint);
      break;
    case PROP_EVENTS_CONNECTED:
      g_value_set_boolean (value, self->events_connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_api_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VgApiClient *self = VG_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize length = url != NULL ? strlen (url) : 0;

        /* "https://host:port/" and "https://host:port" are the same node. */
        while (length > 0 && url[length - 1] == '/')
          length--;
        g_free (self->base_url);
        self->base_url = g_strndup (url != NULL ? url : "", length);
      }
      break;
    case PROP_TOKEN:
      vg_api_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_TLS_FINGERPRINT:
      vg_api_client_set_tls_fingerprint (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_api_client_class_init (VgApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_api_client_dispose;
  object_class->finalize = vg_api_client_finalize;
  object_class->get_property = vg_api_client_get_property;
  object_class->set_property = vg_api_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_FINGERPRINT] =
    g_param_spec_string ("tls-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENTS_CONNECTED] =
    g_param_spec_boolean ("events-connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VgApiClient::event:
   * @message: the event, a JSON object; only valid during the emission
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
vg_api_client_init (VgApiClient *self)
{
  self->session = new_soup_session ();
  self->events_backoff_ms = EVENTS_BACKOFF_INITIAL_MS;
}
