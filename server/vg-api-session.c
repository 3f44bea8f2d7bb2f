/* vg-api-session.c: POST/GET/DELETE /api/v1/session — log in and out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-node.h"

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;

  session = vg_auth_login_finish (VG_AUTH (source), result, &error);
  if (session == NULL)
    {
      request->retry_after = vg_auth_get_retry_after (VG_AUTH (source), NULL, request->address);
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_session_to_json (session);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
session_create (VgApiRequest *request)
{
  static const char *const fields[] = { "user", "password", NULL };
  VgAuth *auth = vg_node_get_auth (request->node);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = NULL, *password = NULL;
  JsonObject *object;

  body = vg_api_request_read_json (request, &error);
  if (body == NULL ||
      (object = vg_json_require_object (body, "login", &error)) == NULL ||
      !vg_json_check_fields (object, fields, "login", &error) ||
      !vg_json_get_string_member (object, "user", TRUE, &user, &error) ||
      !vg_json_get_string_member (object, "password", TRUE, &password, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }

  request->retry_after = vg_auth_get_retry_after (auth, user, request->address);
  vg_auth_login_async (auth, user, password, request->address, request->cancellable,
                       login_done_cb, request);
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

const VgApiRoute vg_api_session_routes[] = {
  { "POST", "/api/v1/session", VG_API_ACCESS_PUBLIC, session_create, FALSE },
  { "GET", "/api/v1/session", VG_API_ACCESS_USER, session_show, FALSE },
  { "DELETE", "/api/v1/session", VG_API_ACCESS_USER, session_delete, FALSE },
  { NULL }
};
