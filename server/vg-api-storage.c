/* vg-api-storage.c: disks and their use, protected ranges, deletion of recordings
 * (REC-8, REC-9, REC-11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-node.h"

#include <string.h>

/* A statement run for a request: its rows come back to a builder function. */
typedef struct
{
  VgApiRequest *request;
  char         *sql;
  VgDbParams   *params;
  VgDbResult   *rows;
  void        (*respond) (VgApiRequest *request, VgDbResult *rows);
} RequestQuery;

static gboolean
request_query_job (VgDbConnection *conn, gpointer data, GError **error)
{
  RequestQuery *query = data;

  query->rows = vg_db_exec (conn, query->sql, query->params, error);
  return query->rows != NULL;
}

static void
request_query_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RequestQuery *query = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    vg_api_request_respond_error (query->request, error);
  else
    query->respond (query->request, query->rows);
  g_free (query->sql);
  vg_db_params_free (query->params);
  vg_db_result_free (query->rows);
  g_free (query);
}

static void
run_for_request (VgApiRequest *request, const char *sql, VgDbParams *params,
                 void (*respond) (VgApiRequest *, VgDbResult *))
{
  RequestQuery *query = g_new0 (RequestQuery, 1);

  query->request = request;
  query->sql = g_strdup (sql);
  query->params = params;
  query->respond = respond;
  vg_database_run_async (vg_node_get_database (request->node), request_query_job, query, NULL,
                         request_query_done_cb, query);
}

static void
add_time (JsonBuilder *builder, const char *member, gint64 usec)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (usec);
  g_autofree char *text = vg_time_format_iso8601 (time);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static gboolean
read_time_param (VgApiRequest *request, JsonObject *object, const char *name, gint64 *out, GError **error)
{
  const char *text = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (object)
    {
      if (!vg_json_get_string_member (object, name, TRUE, &text, error))
        return FALSE;
    }
  else if ((text = vg_api_request_get_query (request, name)) == NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST, "the query parameter “%s” is required", name);
      return FALSE;
    }
  time = vg_time_parse_iso8601 (text, error);
  if (time == NULL)
    {
      if (object && *error)
        (*error)->code = VG_ERROR_INVALID;
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  *out = vg_time_to_unix_usec (time);
  return TRUE;
}

static gboolean
require_camera (VgApiRequest *request)
{
  if (vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id))
    return TRUE;
  vg_api_request_respond_object (request, NULL, NULL, "camera");
  return FALSE;
}

/* GET /api/v1/storage */

static void
storage_respond (VgApiRequest *request, VgDbResult *rows)
{
  GPtrArray *disks = vg_storage_list_disks (vg_node_get_storage (request->node));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "disks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < disks->len; i++)
    {
      VgDisk *disk = disks->pdata[i];
      VgDiskSpace space;
      gboolean mounted = vg_storage_get_space (disk, &space);
      gint64 video = 0, protected_bytes = 0;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, disk->id);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, disk->path);
      json_builder_set_member_name (builder, "available");
      json_builder_add_boolean_value (builder, mounted);
      json_builder_set_member_name (builder, "total_bytes");
      json_builder_add_int_value (builder, (gint64) space.total);
      json_builder_set_member_name (builder, "free_bytes");
      json_builder_add_int_value (builder, (gint64) space.free);
      json_builder_set_member_name (builder, "max_use_percent");
      json_builder_add_int_value (builder, disk->max_use_percent);
      json_builder_set_member_name (builder, "max_bytes");
      if (disk->max_bytes > 0)
        json_builder_add_int_value (builder, disk->max_bytes);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "cameras");
      json_builder_begin_array (builder);
      for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
        {
          if (vg_db_result_get_int (rows, row, "disk_id") != disk->id)
            continue;
          video += vg_db_result_get_int (rows, row, "bytes");
          protected_bytes += vg_db_result_get_int (rows, row, "protected_bytes");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "camera_id"));
          json_builder_set_member_name (builder, "video_bytes");
          json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "bytes"));
          json_builder_set_member_name (builder, "protected_bytes");
          json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "protected_bytes"));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "video_bytes");
      json_builder_add_int_value (builder, video);
      json_builder_set_member_name (builder, "protected_bytes");
      json_builder_add_int_value (builder, protected_bytes);
      /* Everything else on the file system: the system, the database, other files. */
      json_builder_set_member_name (builder, "other_bytes");
      json_builder_add_int_value (builder, MAX ((gint64) space.used - video, 0));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
storage_show (VgApiRequest *request)
{
  run_for_request (request,
                   "SELECT s.disk_id, s.camera_id, sum(s.bytes)::bigint AS bytes, "
                   "  COALESCE(sum(s.bytes) FILTER (WHERE EXISTS (SELECT 1 FROM protected_ranges p "
                   "    WHERE p.camera_id = s.camera_id AND p.start_time < s.end_time "
                   "    AND p.end_time > s.start_time)), 0)::bigint AS protected_bytes "
                   "FROM recording_segments s GROUP BY s.disk_id, s.camera_id ORDER BY s.camera_id",
                   NULL, storage_respond);
}

/* DELETE /api/v1/cameras/{id}/recordings */

static void
recordings_deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  VgPurgeReport report;

  if (!vg_retention_delete_finish (VG_RETENTION (source), result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_clear_error (&error);
          g_set_error (&error, VG_ERROR, VG_ERROR_CONFLICT, "a purge is running: try again in a moment");
        }
      vg_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "deleted_segments");
  json_builder_add_int_value (builder, report.segments);
  json_builder_set_member_name (builder, "deleted_bytes");
  json_builder_add_int_value (builder, (gint64) report.bytes);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
recordings_delete (VgApiRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 before = 0;

  if (!require_camera (request))
    return;
  if (vg_api_request_get_query (request, "before") && !read_time_param (request, NULL, "before", &before, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_retention_delete_async (vg_node_get_retention (request->node), request->id, before, NULL,
                             recordings_deleted_cb, request);
}

/* Protected ranges */

static void
add_protection (JsonBuilder *builder, VgDbResult *rows, int row)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "id"));
  json_builder_set_member_name (builder, "camera");
  json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "camera_id"));
  add_time (builder, "start", vg_db_result_get_int (rows, row, "start_us"));
  add_time (builder, "end", vg_db_result_get_int (rows, row, "end_us"));
  json_builder_set_member_name (builder, "comment");
  json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "comment"));
  json_builder_end_object (builder);
}

#define PROTECTION_COLUMNS \
  "id, camera_id, (extract(epoch FROM start_time) * 1000000)::bigint AS start_us, " \
  "(extract(epoch FROM end_time) * 1000000)::bigint AS end_us, comment"

static void
protections_respond (VgApiRequest *request, VgDbResult *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protections");
  json_builder_begin_array (builder);
  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    add_protection (builder, rows, row);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
protections_list (VgApiRequest *request)
{
  if (!require_camera (request))
    return;
  run_for_request (request, "SELECT " PROTECTION_COLUMNS " FROM protected_ranges WHERE camera_id = $1 "
                   "ORDER BY start_time", vg_db_params_add_int (vg_db_params_new (), request->id),
                   protections_respond);
}

static void
protection_created_respond (VgApiRequest *request, VgDbResult *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  add_protection (builder, rows, 0);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_CREATED, body);
}

static void
protection_create (VgApiRequest *request)
{
  static const char *const fields[] = { "start", "end", "comment", NULL };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *comment = "";
  gint64 start = 0, end = 0;
  JsonObject *object = NULL;
  VgDbParams *params;

  if (!require_camera (request))
    return;
  body = vg_api_request_read_json (request, &error);
  if (body == NULL ||
      (object = vg_json_require_object (body, "protection", &error)) == NULL ||
      !vg_json_check_fields (object, fields, "protection", &error) ||
      !read_time_param (request, object, "start", &start, &error) ||
      !read_time_param (request, object, "end", &end, &error) ||
      !vg_json_get_string_member (object, "comment", FALSE, &comment, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  if (end <= start || strlen (comment) > 2000)
    {
      error = g_error_new_literal (VG_ERROR, VG_ERROR_INVALID,
                                   end <= start ? "end must come after start" : "the comment is longer than 2000 bytes");
      vg_api_request_respond_error (request, error);
      return;
    }
  params = vg_db_params_new ();
  vg_db_params_add_int (params, request->id);
  vg_db_params_add_int (params, start);
  vg_db_params_add_int (params, end);
  vg_db_params_add_string (params, comment);
  vg_db_params_add_int (params, vg_user_get_id (request->user));
  run_for_request (request,
                   "INSERT INTO protected_ranges (camera_id, start_time, end_time, comment, created_by) "
                   "VALUES ($1, to_timestamp($2::bigint / 1e6), to_timestamp($3::bigint / 1e6), $4, $5) "
                   "RETURNING " PROTECTION_COLUMNS, params, protection_created_respond);
}

static void
protection_deleted_respond (VgApiRequest *request, VgDbResult *rows)
{
  if (vg_db_result_get_n_affected (rows) == 0)
    vg_api_request_respond_object (request, NULL, NULL, "protection");
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

static void
protection_delete (VgApiRequest *request)
{
  run_for_request (request, "DELETE FROM protected_ranges WHERE id = $1",
                   vg_db_params_add_int (vg_db_params_new (), request->id), protection_deleted_respond);
}

const VgApiRoute vg_api_storage_routes[] = {
  { "GET", "/api/v1/storage", VG_API_ACCESS_USER, storage_show, FALSE },
  { "DELETE", "/api/v1/cameras/{id}/recordings", VG_API_ACCESS_ADMIN, recordings_delete, FALSE },
  { "GET", "/api/v1/cameras/{id}/protections", VG_API_ACCESS_USER, protections_list, FALSE },
  { "POST", "/api/v1/cameras/{id}/protections", VG_API_ACCESS_OPERATOR, protection_create, FALSE },
  { "DELETE", "/api/v1/protections/{id}", VG_API_ACCESS_ADMIN, protection_delete, FALSE },
  { NULL }
};
