/* vg-api-cameras.c: /api/v1/cameras — the cameras of the node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-node.h"

static void
cameras_list (VgApiRequest *request)
{
  g_autoptr(GPtrArray) cameras = vg_camera_manager_list (vg_node_get_camera_manager (request->node));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cameras");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cameras->len; i++)
    json_builder_add_value (builder, vg_camera_to_json (cameras->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
camera_show (VgApiRequest *request)
{
  VgCamera *camera = vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id);
  g_autoptr(JsonNode) body = NULL;

  if (camera == NULL)
    {
      g_autoptr(GError) error = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND,
                                             "no camera %" G_GINT64_FORMAT, request->id);
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_camera_to_json (camera);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
camera_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(VgCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;

  camera = vg_camera_manager_save_finish (VG_CAMERA_MANAGER (source), result, &error);
  if (camera == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  body = vg_camera_to_json (camera);
  vg_api_request_respond_json (request,
                               g_str_equal (request->method, "POST") ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                               body);
}

static void
camera_create (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VgCamera) camera = NULL;
  g_autoptr(GError) error = NULL;

  body = vg_api_request_read_json (request, &error);
  if (body)
    camera = vg_camera_new_from_json (body, &error);
  if (camera == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_camera_manager_create_async (vg_node_get_camera_manager (request->node), camera,
                                  NULL, camera_saved_cb, request);
}

static void
camera_update (VgApiRequest *request)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  body = vg_api_request_read_json (request, &error);
  if (body == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_camera_manager_update_async (vg_node_get_camera_manager (request->node), request->id, body,
                                  NULL, camera_saved_cb, request);
}

static void
camera_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_camera_manager_delete_finish (VG_CAMERA_MANAGER (source), result, &error))
    vg_api_request_respond_error (request, error);
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
camera_delete (VgApiRequest *request)
{
  vg_camera_manager_delete_async (vg_node_get_camera_manager (request->node), request->id,
                                  NULL, camera_deleted_cb, request);
}

/* Changes are not cancelled when the client goes away: once asked, they complete. */
const VgApiRoute vg_api_camera_routes[] = {
  { "GET", "/api/v1/cameras", VG_API_ACCESS_USER, cameras_list, FALSE },
  { "POST", "/api/v1/cameras", VG_API_ACCESS_ADMIN, camera_create, FALSE },
  { "GET", "/api/v1/cameras/{id}", VG_API_ACCESS_USER, camera_show, FALSE },
  { "PATCH", "/api/v1/cameras/{id}", VG_API_ACCESS_ADMIN, camera_update, FALSE },
  { "DELETE", "/api/v1/cameras/{id}", VG_API_ACCESS_ADMIN, camera_delete, FALSE },
  { NULL }
};
