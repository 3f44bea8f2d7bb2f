/* vg-api-server.c: the node's HTTPS JSON API (libsoup SoupServer) and its router
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-server.h"
#include "vg-api-routes.h"
#include "vg-error.h"
#include "vg-node.h"

#include <string.h>

#define MAX_PATH_SEGMENTS 16

struct _VgApiServer
{
  GObject     parent_instance;

  VgNode     *node;          /* borrowed: the node owns the server */
  SoupServer *soup;
  GPtrArray  *routes;        /* const VgApiRoute * */
  gsize       max_body_size;
  guint       port;
  GHashTable *response_counts;  /* "200" → guint64 */
};

G_DEFINE_TYPE (VgApiServer, vg_api_server, G_TYPE_OBJECT)

static void
vg_api_server_dispose (GObject *object)
{
  VgApiServer *self = VG_API_SERVER (object);

  vg_api_server_stop (self);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (vg_api_server_parent_class)->dispose (object);
}

static void
vg_api_server_finalize (GObject *object)
{
  VgApiServer *self = VG_API_SERVER (object);

  g_ptr_array_unref (self->routes);
  g_hash_table_unref (self->response_counts);

  G_OBJECT_CLASS (vg_api_server_parent_class)->finalize (object);
}

static void
vg_api_server_class_init (VgApiServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_api_server_dispose;
  object_class->finalize = vg_api_server_finalize;
}

static void
add_routes (VgApiServer *self, const VgApiRoute *routes)
{
  for (; routes->method; routes++)
    g_ptr_array_add (self->routes, (gpointer) routes);
}

static void
vg_api_server_init (VgApiServer *self)
{
  self->routes = g_ptr_array_new ();
  self->response_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  add_routes (self, vg_api_system_routes);
  add_routes (self, vg_api_session_routes);
  add_routes (self, vg_api_camera_routes);
  add_routes (self, vg_api_user_routes);
  add_routes (self, vg_api_recording_routes);
  add_routes (self, vg_api_storage_routes);
  add_routes (self, vg_api_mosaic_routes);
  add_routes (self, vg_api_playback_routes);
  add_routes (self, vg_api_export_routes);
}

/* Statistics */

void
vg_api_server_count_response (VgApiServer *self, guint status)
{
  g_autofree char *key = g_strdup_printf ("%u", status);
  guint64 *count;

  g_return_if_fail (VG_IS_API_SERVER (self));
  count = g_hash_table_lookup (self->response_counts, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->response_counts, g_steal_pointer (&key), count);
    }
  (*count)++;
}

GHashTable *
vg_api_server_get_response_counts (VgApiServer *self)
{
  g_return_val_if_fail (VG_IS_API_SERVER (self), NULL);
  return self->response_counts;
}

gsize
vg_api_server_get_max_body_size (VgApiServer *self)
{
  g_return_val_if_fail (VG_IS_API_SERVER (self), 0);
  return self->max_body_size;
}

/* Errors answered before any request object exists */

static void
reject (VgApiServer *self, SoupServerMessage *msg, VgErrorCode code, const char *message)
{
  vg_api_message_set_error (msg, code, message);
  vg_api_server_count_response (self, vg_error_code_to_status (code));
}

/* Paths */

/* Splits a raw path into decoded segments; NULL when a segment is unsafe (an encoded
 * slash or NUL, "." or "..", invalid UTF-8) or there are too many. */
static char **
split_path (const char *raw_path)
{
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if (raw_path == NULL || raw_path[0] != '/')
    return NULL;
  raw = g_strsplit (raw_path + 1, "/", -1);
  n = g_strv_length (raw);
  /* A trailing slash is forgiven: "/api/v1/cameras/" is "/api/v1/cameras". */
  if (n > 1 && raw[n - 1][0] == '\0')
    n--;
  if (n > MAX_PATH_SEGMENTS)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      char *segment = g_uri_unescape_string (raw[i], "/");

      if (segment == NULL || g_str_equal (segment, ".") || g_str_equal (segment, "..") ||
          !g_utf8_validate (segment, -1, NULL))
        {
          g_free (segment);
          return NULL;
        }
      g_ptr_array_add (segments, segment);
    }
  g_ptr_array_add (segments, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&segments), FALSE);
}

typedef enum {
  MATCH_NONE,
  MATCH_PATH,     /* the path fits, the method does not */
  MATCH_FULL,
  MATCH_BAD_ID,   /* the path fits but {id} is not an id */
} Match;

static gboolean
parse_id (const char *segment, gint64 *id)
{
  guint64 value;

  /* Digits only: no sign, no spaces, no leading zeros trick beyond what parses. */
  for (const char *p = segment; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (segment, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

static Match
match_route (const VgApiRoute *route, const char *method, char **segments, gint64 *id)
{
  g_auto(GStrv) pattern = g_strsplit (route->pattern + 1, "/", -1);
  gboolean bad_id = FALSE;
  guint i;

  for (i = 0; pattern[i] && segments[i]; i++)
    {
      if (g_str_equal (pattern[i], "{id}"))
        {
          if (!parse_id (segments[i], id))
            bad_id = TRUE;
        }
      else if (!g_str_equal (pattern[i], segments[i]))
        return MATCH_NONE;
    }
  if (pattern[i] || segments[i])
    return MATCH_NONE;
  if (bad_id)
    return MATCH_BAD_ID;
  return g_str_equal (route->method, method) ? MATCH_FULL : MATCH_PATH;
}

/* Dispatch */

static void
run_handler (const VgApiRoute *route, VgApiRequest *request)
{
  if ((route->access == VG_API_ACCESS_ADMIN && !vg_api_request_is_admin (request)) ||
      (route->access == VG_API_ACCESS_OPERATOR &&
       vg_user_get_role (request->user) < VG_USER_ROLE_OPERATOR))
    {
      g_autoptr(GError) error = g_error_new (VG_ERROR, VG_ERROR_FORBIDDEN, "this needs an %s account",
                                             route->access == VG_API_ACCESS_ADMIN ? "admin" : "operator");
      vg_api_request_respond_error (request, error);
      return;
    }
  route->handler (request);
}

typedef struct
{
  VgApiRequest     *request;
  const VgApiRoute *route;
} AuthData;

static void
authenticated_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AuthData *data = user_data;
  VgApiRequest *request = data->request;
  const VgApiRoute *route = data->route;
  g_autoptr(GError) error = NULL;

  g_free (data);
  request->user = vg_auth_authenticate_finish (VG_AUTH (source), result, &error);
  if (request->user == NULL)
    {
      request->retry_after = vg_auth_get_retry_after (VG_AUTH (source), NULL, request->address);
      vg_api_request_respond_error (request, error);
      return;
    }
  run_handler (route, request);
}

static void
authenticate (VgApiServer *self, const VgApiRoute *route, VgApiRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *query_token = route->token_in_query ? vg_api_request_get_query (request, "token") : NULL;
  AuthData *data;

  if (authorization && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    request->token = g_strstrip (g_strdup (authorization + 7));
  else if (authorization == NULL && query_token)
    request->token = g_strdup (query_token);

  data = g_new0 (AuthData, 1);
  data->request = request;
  data->route = route;
  vg_auth_authenticate_async (vg_node_get_auth (self->node), authorization, query_token,
                              request->address, NULL, authenticated_cb, data);
}

static void
set_allow_header (VgApiServer *self, SoupServerMessage *msg, char **segments)
{
  g_autoptr(GString) allow = g_string_new (NULL);

  for (guint i = 0; i < self->routes->len; i++)
    {
      const VgApiRoute *route = self->routes->pdata[i];
      gint64 id = 0;

      if (match_route (route, route->method, segments, &id) == MATCH_FULL)
        g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", route->method);
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
}

static void
handle_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  VgApiServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = split_path (path);
  const VgApiRoute *found = NULL;
  gboolean path_matched = FALSE, bad_id = FALSE;
  gint64 id = 0;
  VgApiRequest *request;

  g_debug ("%s %s", method, path);

  if (segments == NULL)
    {
      reject (self, msg, VG_ERROR_BAD_REQUEST, "malformed path");
      return;
    }

  for (guint i = 0; i < self->routes->len && found == NULL; i++)
    {
      const VgApiRoute *route = self->routes->pdata[i];

      switch (match_route (route, method, segments, &id))
        {
        case MATCH_FULL:
          found = route;
          break;
        case MATCH_PATH:
          path_matched = TRUE;
          break;
        case MATCH_BAD_ID:
          bad_id = TRUE;
          break;
        case MATCH_NONE:
        default:
          break;
        }
    }

  if (found == NULL)
    {
      if (path_matched)
        {
          set_allow_header (self, msg, segments);
          reject (self, msg, VG_ERROR_METHOD_NOT_ALLOWED, "method not allowed on this resource");
        }
      else if (bad_id)
        reject (self, msg, VG_ERROR_NOT_FOUND, "no such resource: ids are positive integers");
      else
        reject (self, msg, VG_ERROR_NOT_FOUND, "no such resource");
      return;
    }

  request = vg_api_request_new (self, self->node, msg, g_steal_pointer (&segments), query);
  request->id = id;
  if (found->access == VG_API_ACCESS_PUBLIC)
    run_handler (found, request);
  else
    authenticate (self, found, request);
}

/* Refuses large bodies from their Content-Length, before they are read. */
static void
handle_early (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer user_data)
{
  VgApiServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > (goffset) self->max_body_size)
    {
      g_autofree char *message = g_strdup_printf ("the body is larger than %" G_GSIZE_FORMAT " bytes",
                                                  self->max_body_size);
      reject (self, msg, VG_ERROR_TOO_LARGE, message);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
    }
}

/* Bodies without a length (chunked) are counted as they come; past the limit the
 * connection is dropped so that memory stays bounded. */
static void
got_chunk_cb (SoupServerMessage *msg, GBytes *chunk, VgApiServer *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if ((gsize) body->length + g_bytes_get_size (chunk) > self->max_body_size)
    {
      g_autoptr(GIOStream) stream = NULL;

      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, self);
      g_message ("dropping a client whose request body passed %" G_GSIZE_FORMAT " bytes",
                 self->max_body_size);
      stream = soup_server_message_steal_connection (msg);
      if (stream)
        g_io_stream_close (stream, NULL, NULL);
    }
}

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, VgApiServer *self)
{
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}

VgApiServer *
vg_api_server_new (VgNode *node, GTlsCertificate *certificate, gsize max_body_size)
{
  VgApiServer *self = g_object_new (VG_TYPE_API_SERVER, NULL);
  g_autofree char *header = g_strdup_printf ("vigie-node/%s ", PACKAGE_VERSION);

  self->node = node;
  self->max_body_size = max_body_size;
  self->soup = soup_server_new ("tls-certificate", certificate,
                                "raw-paths", TRUE,
                                "server-header", header,
                                NULL);
  soup_server_add_early_handler (self->soup, NULL, handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  return self;
}

gboolean
vg_api_server_listen (VgApiServer *self, const char *address, guint port, GError **error)
{
  g_autoptr(GSList) uris = NULL;

  g_return_val_if_fail (VG_IS_API_SERVER (self), FALSE);

  if (address && *address)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
      g_autoptr(GSocketAddress) socket_address = NULL;

      if (inet == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "[api] address “%s” is not an IP address", address);
          return FALSE;
        }
      socket_address = g_inet_socket_address_new (inet, port);
      if (!soup_server_listen (self->soup, socket_address, SOUP_SERVER_LISTEN_HTTPS, error))
        return FALSE;
    }
  else if (!soup_server_listen_all (self->soup, port, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
vg_api_server_get_port (VgApiServer *self)
{
  g_return_val_if_fail (VG_IS_API_SERVER (self), 0);
  return self->port;
}

void
vg_api_server_stop (VgApiServer *self)
{
  g_return_if_fail (VG_IS_API_SERVER (self));
  if (self->soup)
    soup_server_disconnect (self->soup);
}
