/* vg-api-request.c: one HTTP request of the API while it is being answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-request.h"
#include "vg-api-server.h"
#include "vg-json.h"
#include "vg-response-stream.h"

#include <string.h>

static void
message_finished_cb (SoupServerMessage *msg, VgApiRequest *request)
{
  /* Reached only when the client went away before the answer. */
  request->finished = TRUE;
  g_cancellable_cancel (request->cancellable);
}

VgApiRequest *
vg_api_request_new (gpointer server, VgNode *node, SoupServerMessage *msg, char **segments,
                    GHashTable *query)
{
  VgApiRequest *request = g_new0 (VgApiRequest, 1);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  request->server = server;
  request->node = node;
  request->msg = g_object_ref (msg);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->segments = segments;
  request->query = query ? g_hash_table_ref (query) : NULL;
  request->cancellable = g_cancellable_new ();
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    request->address = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  request->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), request);
  soup_server_message_pause (msg);
  return request;
}

void
vg_api_request_free (VgApiRequest *request)
{
  if (request == NULL)
    return;
  g_clear_signal_handler (&request->finished_id, request->msg);
  g_clear_object (&request->msg);
  g_free (request->method);
  g_strfreev (request->segments);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_object (&request->user);
  g_free (request->token);
  g_free (request->address);
  g_clear_object (&request->cancellable);
  g_free (request);
}

const char *
vg_api_request_get_query (VgApiRequest *request, const char *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

gboolean
vg_api_request_is_admin (VgApiRequest *request)
{
  return request->user && vg_user_get_role (request->user) == VG_USER_ROLE_ADMIN;
}

JsonNode *
vg_api_request_read_json (VgApiRequest *request, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;

  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_UNSUPPORTED_MEDIA,
                   "the body must be JSON (Content-Type: application/json), not %s",
                   content_type ? content_type : "nothing");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > vg_api_server_get_max_body_size (request->server))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_TOO_LARGE, "the body is larger than %" G_GSIZE_FORMAT " bytes",
                   vg_api_server_get_max_body_size (request->server));
      return NULL;
    }
  return vg_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

static void
finish (VgApiRequest *request, guint status)
{
  vg_api_server_count_response (request->server, status);
  if (!request->finished)
    {
      g_clear_signal_handler (&request->finished_id, request->msg);
      soup_server_message_unpause (request->msg);
    }
  vg_api_request_free (request);
}

static void
set_body (SoupServerMessage *msg, guint status, const char *content_type, char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  if (text)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, strlen (text));
}

void
vg_api_request_respond_json (VgApiRequest *request, guint status, JsonNode *body)
{
  if (!request->finished)
    set_body (request->msg, status, "application/json", vg_json_to_string (body));
  finish (request, status);
}

void
vg_api_request_respond_text (VgApiRequest *request, guint status, const char *content_type,
                             const char *text)
{
  if (!request->finished)
    set_body (request->msg, status, content_type, g_strdup (text));
  finish (request, status);
}

void
vg_api_request_respond_empty (VgApiRequest *request, guint status)
{
  if (!request->finished)
    set_body (request->msg, status, NULL, NULL);
  finish (request, status);
}

void
vg_api_request_respond_upgrade (VgApiRequest *request)
{
  finish (request, SOUP_STATUS_SWITCHING_PROTOCOLS);
}

void
vg_api_request_respond_list (VgApiRequest *request, const char *member, GPtrArray *items,
                             VgApiToJson to_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (builder, to_json (items->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

void
vg_api_request_respond_object (VgApiRequest *request, gpointer object, VgApiToJson to_json,
                               const char *what)
{
  g_autoptr(JsonNode) body = NULL;

  if (object == NULL)
    {
      g_autoptr(GError) error = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND,
                                             "no %s %" G_GINT64_FORMAT, what, request->id);
      vg_api_request_respond_error (request, error);
      return;
    }
  body = to_json (object);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

void
vg_api_request_respond_saved (VgApiRequest *request, gpointer object, const GError *error,
                              VgApiToJson to_json)
{
  g_autoptr(JsonNode) body = NULL;

  if (object == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  body = to_json (object);
  vg_api_request_respond_json (request,
                               g_str_equal (request->method, "POST") ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                               body);
}

void
vg_api_request_respond_deleted (VgApiRequest *request, gboolean deleted, const GError *error)
{
  if (!deleted)
    vg_api_request_respond_error (request, error);
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

char *
vg_api_error_body (VgErrorCode code, const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, vg_error_code_to_string (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return vg_json_to_string (root);
}

void
vg_api_message_set_error (SoupServerMessage *msg, VgErrorCode code, const char *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint status = vg_error_code_to_status (code);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Basic realm=\"vigie\", charset=\"UTF-8\"");
  set_body (msg, status, "application/json", vg_api_error_body (code, message));
}

void
vg_api_request_respond_error (VgApiRequest *request, const GError *error)
{
  VgErrorCode code = VG_ERROR_FAILED;
  const char *message = error->message;

  if (error->domain == VG_ERROR)
    code = error->code;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = VG_ERROR_UNAVAILABLE;

  if (code == VG_ERROR_FAILED || code == VG_ERROR_SCHEMA_TOO_NEW)
    {
      g_warning ("%s %s: %s", request->method,
                 g_uri_get_path (soup_server_message_get_uri (request->msg)), error->message);
      message = "internal error; see the node's log";
    }
  if (!request->finished)
    {
      vg_api_message_set_error (request->msg, code, message);
      if (code == VG_ERROR_TOO_MANY_REQUESTS)
        {
          g_autofree char *retry = g_strdup_printf ("%u", MAX (1u, request->retry_after));
          soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                        "Retry-After", retry);
        }
    }
  finish (request, vg_error_code_to_status (code));
}

gpointer
vg_api_request_respond_stream (VgApiRequest *request, guint status, const char *content_type,
                               GInputStream *input, goffset length)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  VgResponseStream *stream = NULL;

  if (!request->finished)
    {
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_message_headers_set_content_type (headers, content_type, NULL);
      if (length >= 0)
        soup_message_headers_set_content_length (headers, length);
      else
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_status (request->msg, status, NULL);
      if (g_str_equal (request->method, "HEAD"))
        g_input_stream_close (input, NULL, NULL);
      else
        stream = vg_response_stream_new (request->msg, input, length);
    }
  vg_api_server_count_response (request->server, status);
  g_clear_signal_handler (&request->finished_id, request->msg);
  if (stream)
    vg_response_stream_start (stream);
  else if (!request->finished)
    soup_server_message_unpause (request->msg);
  vg_api_request_free (request);
  /* The stream keeps itself alive until the message is finished. */
  if (stream)
    g_object_unref (stream);
  return stream;
}
