/* vg-api-session.c: POST/GET/DELETE /api/v1/session — log in and out; the remembered
 * tokens of clients (CLI-1): listed and revoked under /api/v1/session/tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-node.h"

#include <string.h>

#define CLIENT_NAME_MAX 200

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  gint64 token_id = 0;

  session = vg_auth_login_finish (VG_AUTH (source), result, &token_id, &error);
  if (session == NULL)
    {
      request->retry_after = vg_auth_get_retry_after (VG_AUTH (source), NULL, request->address);
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_session_to_json (session);
  /* A remembered token also tells its id, by which it is revoked. */
  if (token_id != 0)
    json_object_set_int_member (json_node_get_object (body), "id", token_id);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

/* A remembered token names the client that keeps it, as its user will see it listed. */
static gboolean
check_client_name (gboolean remember, const char *client, GError **error)
{
  if (!remember)
    {
      if (client != NULL)
        {
          g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                               "login: “client” goes only with \"remember\": true");
          return FALSE;
        }
      return TRUE;
    }
  if (client == NULL || client[0] == '\0' || g_utf8_strlen (client, -1) > CLIENT_NAME_MAX ||
      strpbrk (client, "\r\n") != NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "login: “client” must be a name of 1 to %d characters on one line",
                   CLIENT_NAME_MAX);
      return FALSE;
    }
  return TRUE;
}

static void
session_create (VgApiRequest *request)
{
  static const char *const fields[] = { "user", "password", "remember", "client", NULL };
  VgAuth *auth = vg_node_get_auth (request->node);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = NULL, *password = NULL, *client = NULL;
  gboolean remember = FALSE;
  JsonObject *object;

  body = vg_api_request_read_json (request, &error);
  if (body == NULL ||
      (object = vg_json_require_object (body, "login", &error)) == NULL ||
      !vg_json_check_fields (object, fields, "login", &error) ||
      !vg_json_get_string_member (object, "user", TRUE, &user, &error) ||
      !vg_json_get_string_member (object, "password", TRUE, &password, &error) ||
      !vg_json_get_boolean_member (object, "remember", FALSE, &remember, &error) ||
      !vg_json_get_string_member (object, "client", remember, &client, &error) ||
      !check_client_name (remember, client, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }

  request->retry_after = vg_auth_get_retry_after (auth, user, request->address);
  vg_auth_login_async (auth, user, password, request->address, remember ? client : NULL,
                       request->cancellable, login_done_cb, request);
}

static void
session_show (VgApiRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, vg_user_to_json (request->user));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_auth_logout_finish (VG_AUTH (source), result, &error))
    vg_api_request_respond_error (request, error);
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
session_delete (VgApiRequest *request)
{
  if (request->token == NULL)
    {
      /* HTTP Basic has no session to end. */
      vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
      return;
    }
  vg_auth_logout_async (vg_node_get_auth (request->node), request->token, request->cancellable,
                        logout_done_cb, request);
}

/* Remembered tokens: a user sees and revokes their own; an admin, everyone's. */

static gint64
tokens_owner (VgApiRequest *request)
{
  return vg_api_request_is_admin (request) ? 0 : vg_user_get_id (request->user);
}

static void
tokens_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  tokens = vg_auth_list_tokens_finish (VG_AUTH (source), result, &error);
  if (tokens == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tokens");
  json_builder_add_value (builder, g_steal_pointer (&tokens));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
tokens_list (VgApiRequest *request)
{
  vg_auth_list_tokens_async (vg_node_get_auth (request->node), tokens_owner (request),
                             request->cancellable, tokens_listed_cb, request);
}

static void
token_revoked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_auth_revoke_token_finish (VG_AUTH (source), result, &error))
    vg_api_request_respond_error (request, error);
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
token_revoke (VgApiRequest *request)
{
  vg_auth_revoke_token_async (vg_node_get_auth (request->node), request->id,
                              tokens_owner (request), request->cancellable,
                              token_revoked_cb, request);
}

const VgApiRoute vg_api_session_routes[] = {
  { "POST", "/api/v1/session", VG_API_ACCESS_PUBLIC, session_create, FALSE },
  { "GET", "/api/v1/session", VG_API_ACCESS_USER, session_show, FALSE },
  { "DELETE", "/api/v1/session", VG_API_ACCESS_USER, session_delete, FALSE },
  { "GET", "/api/v1/session/tokens", VG_API_ACCESS_USER, tokens_list, FALSE },
  { "DELETE", "/api/v1/session/tokens/{id}", VG_API_ACCESS_USER, token_revoke, FALSE },
  { NULL }
};
