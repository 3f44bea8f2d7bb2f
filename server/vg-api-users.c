/* vg-api-users.c: /api/v1/users — user accounts (admins only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-node.h"

static void
users_list (VgApiRequest *request)
{
  g_autoptr(GPtrArray) users = vg_user_manager_list (vg_node_get_user_manager (request->node));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_value (builder, vg_user_to_json (users->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
user_show (VgApiRequest *request)
{
  VgUser *user = vg_user_manager_lookup (vg_node_get_user_manager (request->node), request->id);
  g_autoptr(JsonNode) body = NULL;

  if (user == NULL)
    {
      g_autoptr(GError) error = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND,
                                             "no user %" G_GINT64_FORMAT, request->id);
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_user_to_json (user);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
user_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(VgUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;

  user = vg_user_manager_save_finish (VG_USER_MANAGER (source), result, &error);
  if (user == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_user_to_json (user);
  vg_api_request_respond_json (request,
                               g_str_equal (request->method, "POST") ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                               body);
}

static void
user_create (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VgUser) user = NULL;
  g_autoptr(GError) error = NULL;

  body = vg_api_request_read_json (request, &error);
  if (body)
    user = vg_user_new_from_json (body, &error);
  if (user == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_user_manager_create_async (vg_node_get_user_manager (request->node), user,
                                NULL, user_saved_cb, request);
}

static void
user_update (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  body = vg_api_request_read_json (request, &error);
  if (body == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_user_manager_update_async (vg_node_get_user_manager (request->node), request->id, body,
                                NULL, user_saved_cb, request);
}

static void
user_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_user_manager_delete_finish (VG_USER_MANAGER (source), result, &error))
    vg_api_request_respond_error (request, error);
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
user_delete (VgApiRequest *request)
{
  vg_user_manager_delete_async (vg_node_get_user_manager (request->node), request->id,
                                NULL, user_deleted_cb, request);
}

const VgApiRoute vg_api_user_routes[] = {
  { "GET", "/api/v1/users", VG_API_ACCESS_ADMIN, users_list, FALSE },
  { "POST", "/api/v1/users", VG_API_ACCESS_ADMIN, user_create, FALSE },
  { "GET", "/api/v1/users/{id}", VG_API_ACCESS_ADMIN, user_show, FALSE },
  { "PATCH", "/api/v1/users/{id}", VG_API_ACCESS_ADMIN, user_update, FALSE },
  { "DELETE", "/api/v1/users/{id}", VG_API_ACCESS_ADMIN, user_delete, FALSE },
  { NULL }
};
