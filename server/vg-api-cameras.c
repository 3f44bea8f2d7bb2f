/* vg-api-cameras.c: /api/v1/cameras — the cameras of the node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-node.h"

static void
cameras_list (VgApiRequest *request)
{
  g_autoptr(GPtrArray) cameras = vg_camera_manager_list (vg_node_get_camera_manager (request->node));

  vg_api_request_respond_list (request, "cameras", cameras, (VgApiToJson) vg_camera_to_json);
}

static void
camera_show (VgApiRequest *request)
{
  vg_api_request_respond_object (request,
                                 vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id),
                                 (VgApiToJson) vg_camera_to_json, "camera");
}

static void
camera_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VgCamera) camera = vg_camera_manager_save_finish (VG_CAMERA_MANAGER (source), result, &error);

  vg_api_request_respond_saved (user_data, camera, error, (VgApiToJson) vg_camera_to_json);
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
  g_autoptr(GError) error = NULL;
  gboolean deleted = vg_camera_manager_delete_finish (VG_CAMERA_MANAGER (source), result, &error);

  vg_api_request_respond_deleted (user_data, deleted, error);
}

static void
camera_delete (VgApiRequest *request)
{
  vg_camera_manager_delete_async (vg_node_get_camera_manager (request->node), request->id,
                                  NULL, camera_deleted_cb, request);
}

static void
camera_status (VgApiRequest *request)
{
  VgCamera *camera = vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id);
  g_autoptr(JsonNode) body = NULL;

  if (camera == NULL)
    {
      vg_api_request_respond_object (request, NULL, NULL, "camera");
      return;
    }
  body = vg_capture_get_camera_status (vg_node_get_capture (request->node), camera);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

/* Forced recording (REC-6) */

#define FORCED_SECONDS_MAX (24 * 3600)

static void
camera_record (VgApiRequest *request)
{
  static const char *const fields[] = { "seconds", NULL };
  VgCapture *capture = vg_node_get_capture (request->node);
  VgCamera *camera = vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;
  gint64 seconds = 0;

  if (camera == NULL)
    {
      vg_api_request_respond_object (request, NULL, NULL, "camera");
      return;
    }
  body = vg_api_request_read_json (request, &error);
  if (body == NULL ||
      (object = vg_json_require_object (body, "recording", &error)) == NULL ||
      !vg_json_check_fields (object, fields, "recording", &error) ||
      !vg_json_get_int_member (object, "seconds", TRUE, 1, FORCED_SECONDS_MAX, &seconds, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }

  vg_capture_force_recording (capture, request->id, (guint) seconds);
  status = vg_capture_get_camera_status (capture, camera);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, status);
}

static void
camera_record_stop (VgApiRequest *request)
{
  if (vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id) == NULL)
    {
      vg_api_request_respond_object (request, NULL, NULL, "camera");
      return;
    }
  vg_capture_stop_forced_recording (vg_node_get_capture (request->node), request->id);
  vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* Changes are not cancelled when the client goes away: once asked, they complete. */
const VgApiRoute vg_api_camera_routes[] = {
  { "GET", "/api/v1/cameras", VG_API_ACCESS_USER, cameras_list, FALSE },
  { "POST", "/api/v1/cameras", VG_API_ACCESS_ADMIN, camera_create, FALSE },
  { "GET", "/api/v1/cameras/{id}", VG_API_ACCESS_USER, camera_show, FALSE },
  { "GET", "/api/v1/cameras/{id}/status", VG_API_ACCESS_USER, camera_status, FALSE },
  { "POST", "/api/v1/cameras/{id}/record", VG_API_ACCESS_OPERATOR, camera_record, FALSE },
  { "DELETE", "/api/v1/cameras/{id}/record", VG_API_ACCESS_OPERATOR, camera_record_stop, FALSE },
  { "PATCH", "/api/v1/cameras/{id}", VG_API_ACCESS_ADMIN, camera_update, FALSE },
  { "DELETE", "/api/v1/cameras/{id}", VG_API_ACCESS_ADMIN, camera_delete, FALSE },
  { NULL }
};
