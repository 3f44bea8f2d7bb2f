/* vg-api-recordings.c: /api/v1/cameras/{id}/recordings — what was recorded when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-node.h"
#include "vg-recording-index.h"

#define MAX_RANGE_US (G_GINT64_CONSTANT (400) * 24 * 3600 * G_USEC_PER_SEC)

static void
add_ranges (JsonBuilder *builder, const char *member, GArray *ranges)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ranges->len; i++)
    {
      const VgTimeRange *range = &g_array_index (ranges, VgTimeRange, i);
      g_autoptr(GDateTime) start = vg_time_new_from_unix_usec (range->start_us);
      g_autoptr(GDateTime) end = vg_time_new_from_unix_usec (range->end_us);
      g_autofree char *start_text = vg_time_format_iso8601 (start);
      g_autofree char *end_text = vg_time_format_iso8601 (end);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, start_text);
      json_builder_set_member_name (builder, "end");
      json_builder_add_string_value (builder, end_text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
spans_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) gaps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (!vg_recording_index_query_spans_finish (VG_RECORDING_INDEX (source), result, &spans, &gaps, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_ranges (builder, "spans", spans);
  add_ranges (builder, "gaps", gaps);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static gboolean
read_time (VgApiRequest *request, const char *name, gint64 *out, GError **error)
{
  const char *text = vg_api_request_get_query (request, name);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                   "the query parameter “%s” (an ISO 8601 date-time) is required", name);
      return FALSE;
    }
  time = vg_time_parse_iso8601 (text, error);
  if (time == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  *out = vg_time_to_unix_usec (time);
  return TRUE;
}

static void
recordings_list (VgApiRequest *request)
{
  VgCamera *camera = vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), request->id);
  const char *stream = vg_api_request_get_query (request, "stream");
  g_autoptr(GError) error = NULL;
  gint64 start_us = 0, end_us = 0;

  if (camera == NULL)
    {
      vg_api_request_respond_object (request, NULL, NULL, "camera");
      return;
    }
  if (stream == NULL && vg_camera_get_streams (camera)->len > 0)
    stream = vg_stream_get_name (g_ptr_array_index (vg_camera_get_streams (camera), 0));
  if (stream == NULL || vg_camera_find_stream (camera, stream) == NULL)
    error = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND, "camera %" G_GINT64_FORMAT " has no stream “%s”",
                         request->id, stream ? stream : "");
  else if (read_time (request, "start", &start_us, &error) && read_time (request, "end", &end_us, &error))
    {
      if (end_us <= start_us)
        error = g_error_new_literal (VG_ERROR, VG_ERROR_BAD_REQUEST, "end must come after start");
      else if (end_us - start_us > MAX_RANGE_US)
        error = g_error_new_literal (VG_ERROR, VG_ERROR_BAD_REQUEST, "the range is longer than 400 days");
    }
  if (error)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_recording_index_query_spans_async (vg_node_get_recording_index (request->node), request->id,
                                        stream, start_us, end_us, request->cancellable,
                                        spans_done_cb, request);
}

const VgApiRoute vg_api_recording_routes[] = {
  { "GET", "/api/v1/cameras/{id}/recordings", VG_API_ACCESS_USER, recordings_list, FALSE },
  { NULL }
};
