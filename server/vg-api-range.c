/* vg-api-range.c: the camera, stream and time range a playback or export request names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-range.h"
#include "vg-json.h"
#include "vg-node.h"

#include <string.h>

void
vg_api_range_clear (VgApiRange *range)
{
  g_clear_pointer (&range->stream, g_free);
}

static gboolean
parse_time (const char *name, const char *text, VgErrorCode bad_code, gint64 *out, GError **error)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    {
      g_set_error (error, VG_ERROR, bad_code, "“%s” (an ISO 8601 date-time) is required", name);
      return FALSE;
    }
  time = vg_time_parse_iso8601 (text, error);
  if (time == NULL)
    {
      if (error && *error)
        (*error)->code = bad_code;
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  *out = vg_time_to_unix_usec (time);
  return TRUE;
}

gboolean
vg_api_range_check (VgApiRequest *request, gint64 camera_id, const char *stream, const char *start,
                    const char *end, gint64 max_us, VgErrorCode bad_code, VgApiRange *range,
                    GError **error)
{
  VgCamera *camera = vg_camera_manager_lookup (vg_node_get_camera_manager (request->node), camera_id);

  if (camera == NULL)
    {
      g_set_error (error, VG_ERROR, bad_code == VG_ERROR_BAD_REQUEST ? VG_ERROR_NOT_FOUND : bad_code,
                   "no camera %" G_GINT64_FORMAT, camera_id);
      return FALSE;
    }
  if (stream == NULL && vg_camera_get_streams (camera)->len > 0)
    stream = vg_stream_get_name (g_ptr_array_index (vg_camera_get_streams (camera), 0));
  if (stream == NULL || vg_camera_find_stream (camera, stream) == NULL)
    {
      g_set_error (error, VG_ERROR, bad_code == VG_ERROR_BAD_REQUEST ? VG_ERROR_NOT_FOUND : bad_code,
                   "camera %" G_GINT64_FORMAT " has no stream “%s”", camera_id, stream ? stream : "");
      return FALSE;
    }
  if (!parse_time ("start", start, bad_code, &range->start_us, error) ||
      !parse_time ("end", end, bad_code, &range->end_us, error))
    return FALSE;
  if (range->end_us <= range->start_us)
    {
      g_set_error_literal (error, VG_ERROR, bad_code, "end must come after start");
      return FALSE;
    }
  if (range->end_us - range->start_us > max_us)
    {
      g_set_error (error, VG_ERROR, bad_code, "the range is longer than %" G_GINT64_FORMAT " hours",
                   max_us / (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC));
      return FALSE;
    }
  range->camera_id = camera_id;
  range->stream = g_strdup (stream);
  return TRUE;
}

gboolean
vg_api_range_from_query (VgApiRequest *request, gint64 max_us, VgApiRange *range, GError **error)
{
  return vg_api_range_check (request, request->id, vg_api_request_get_query (request, "stream"),
                             vg_api_request_get_query (request, "start"),
                             vg_api_request_get_query (request, "end"), max_us,
                             VG_ERROR_BAD_REQUEST, range, error);
}

char *
vg_api_range_format_compact (gint64 time_us)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (time_us);

  return g_date_time_format (time, "%Y%m%dT%H%M%SZ");
}

char *
vg_api_range_segment_path (VgApiRequest *request, gint disk_id, const char *path)
{
  VgDisk *disk = vg_storage_lookup_disk (vg_node_get_storage (request->node), disk_id);
  g_auto(GStrv) parts = NULL;

  if (disk == NULL || path == NULL || path[0] == '/' || path[0] == '\0')
    return NULL;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i]; i++)
    if (g_str_equal (parts[i], "..") || g_str_equal (parts[i], "."))
      return NULL;
  return vg_disk_resolve (disk, path);
}
