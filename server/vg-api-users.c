/* vg-api-users.c: /api/v1/users — user accounts (admins only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-node.h"

static void
users_list (VgApiRequest *request)
{
  g_autoptr(GPtrArray) users = vg_user_manager_list (vg_node_get_user_manager (request->node));

  vg_api_request_respond_list (request, "users", users, (VgApiToJson) vg_user_to_json);
}

static void
user_show (VgApiRequest *request)
{
  vg_api_request_respond_object (request,
                                 vg_user_manager_lookup (vg_node_get_user_manager (request->node), request->id),
                                 (VgApiToJson) vg_user_to_json, "user");
}

static void
user_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VgUser) user = vg_user_manager_save_finish (VG_USER_MANAGER (source), result, &error);

  vg_api_request_respond_saved (user_data, user, error, (VgApiToJson) vg_user_to_json);
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
  g_autoptr(GError) error = NULL;
  gboolean deleted = vg_user_manager_delete_finish (VG_USER_MANAGER (source), result, &error);

  vg_api_request_respond_deleted (user_data, deleted, error);
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
