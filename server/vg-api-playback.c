/* vg-api-playback.c: what a player needs to show any instant at once: the segments
 * with their keyframe positions, and the segment bytes with Range reads (PLAY-5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-range.h"
#include "vg-api-routes.h"
#include "vg-json.h"
#include "vg-mkv-writer.h"
#include "vg-node.h"
#include "vg-segment-query.h"

#include <string.h>

/* A day of one-minute segments, keyframes included, stays a few MB of JSON. */
#define MAX_LIST_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

/* GET /api/v1/cameras/{id}/segments */

static void
add_time (JsonBuilder *builder, const char *member, gint64 usec)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (usec);
  g_autofree char *text = vg_time_format_iso8601 (time);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static void
add_segment (JsonBuilder *builder, const VgSegmentRow *row)
{
  g_autofree char *url = g_strdup_printf ("/api/v1/segments/%" G_GINT64_FORMAT, row->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, row->id);
  add_time (builder, "start", row->start_us);
  add_time (builder, "end", row->end_us);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, row->bytes);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, row->frames);
  json_builder_set_member_name (builder, "open");
  json_builder_add_boolean_value (builder, row->open);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "keyframes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < row->keyframes->len; i++)
    {
      const VgMkvKeyframe *k = &g_array_index (row->keyframes, VgMkvKeyframe, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time_ms");
      json_builder_add_int_value (builder, (k->time_us - row->start_us) / 1000);
      json_builder_set_member_name (builder, "offset");
      json_builder_add_int_value (builder, (gint64) k->offset);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
segments_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = vg_segment_query_finish (VG_DATABASE (source), result, &error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (rows == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "segments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_segment (builder, rows->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
segments_list (VgApiRequest *request)
{
  g_auto(VgApiRange) range = { 0 };
  g_autoptr(GError) error = NULL;

  if (!vg_api_range_from_query (request, MAX_LIST_US, &range, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  vg_segment_query_range_async (vg_node_get_database (request->node), range.camera_id, range.stream,
                                range.start_us, range.end_us, request->cancellable,
                                segments_listed_cb, request);
}

/* GET and HEAD /api/v1/segments/{id} */

typedef enum {
  RANGE_NONE,           /* no Range header we honour: the whole file */
  RANGE_OK,
  RANGE_UNSATISFIABLE,
} RangeResult;

/* One "bytes=a-b", "bytes=a-" or "bytes=-n" range; several ranges or another unit are
 * ignored (RFC 9110 allows answering them with the whole file). */
static RangeResult
parse_range (const char *header, goffset size, goffset *first, goffset *last)
{
  const char *spec;
  char *end = NULL;
  guint64 a, b;

  if (header == NULL || !g_str_has_prefix (header, "bytes="))
    return RANGE_NONE;
  spec = header + 6;
  while (*spec == ' ')
    spec++;
  if (strchr (spec, ','))
    return RANGE_NONE;
  if (*spec == '-')
    {
      if (!g_ascii_isdigit (spec[1]))
        return RANGE_UNSATISFIABLE;
      b = g_ascii_strtoull (spec + 1, &end, 10);
      if (*end != '\0' || b == 0 || size == 0)
        return RANGE_UNSATISFIABLE;
      *first = size - (goffset) MIN (b, (guint64) size);
      *last = size - 1;
      return RANGE_OK;
    }
  if (!g_ascii_isdigit (*spec))
    return RANGE_UNSATISFIABLE;
  a = g_ascii_strtoull (spec, &end, 10);
  if (*end != '-' || a >= (guint64) size)
    return RANGE_UNSATISFIABLE;
  spec = end + 1;
  if (*spec == '\0')
    b = (guint64) size - 1;
  else
    {
      if (!g_ascii_isdigit (*spec))
        return RANGE_UNSATISFIABLE;
      b = g_ascii_strtoull (spec, &end, 10);
      if (*end != '\0' || b < a)
        return RANGE_UNSATISFIABLE;
      b = MIN (b, (guint64) size - 1);
    }
  *first = (goffset) a;
  *last = (goffset) b;
  return RANGE_OK;
}

static void
respond_unsatisfiable (VgApiRequest *request, goffset size)
{
  g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, size);
  g_autofree char *body = vg_api_error_body (VG_ERROR_BAD_REQUEST,
                                             "the requested range is outside the segment");

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Content-Range", content_range);
  vg_api_request_respond_text (request, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
                               "application/json", body);
}

static void
serve_file (VgApiRequest *request, GFileInputStream *input)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  const char *range_header = soup_message_headers_get_one (
    soup_server_message_get_request_headers (request->msg), "Range");
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  goffset size, first = 0, last = 0;
  RangeResult range;

  /* The size now: a segment being written is served up to what is on disk. */
  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &error);
  if (info == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  size = g_file_info_get_size (info);
  range = parse_range (range_header, size, &first, &last);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if (range == RANGE_UNSATISFIABLE)
    {
      respond_unsatisfiable (request, size);
      return;
    }
  if (range == RANGE_NONE)
    {
      vg_api_request_respond_stream (request, SOUP_STATUS_OK, "video/x-matroska",
                                     G_INPUT_STREAM (input), size);
      return;
    }
  if (!g_seekable_seek (G_SEEKABLE (input), first, G_SEEK_SET, NULL, &error))
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  {
    g_autofree char *content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT
                                                      "/%" G_GOFFSET_FORMAT, first, last, size);

    soup_message_headers_replace (headers, "Content-Range", content_range);
  }
  vg_api_request_respond_stream (request, SOUP_STATUS_PARTIAL_CONTENT, "video/x-matroska",
                                 G_INPUT_STREAM (input), last - first + 1);
}

static void
file_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) input = g_file_read_finish (G_FILE (source), result, &error);

  if (input == NULL)
    {
      g_autoptr(GError) gone = NULL;

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          vg_api_request_respond_error (request, error);
          return;
        }
      gone = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND, "segment %" G_GINT64_FORMAT
                          " is no longer on disk", request->id);
      vg_api_request_respond_error (request, gone);
      return;
    }
  serve_file (request, input);
}

static void
segment_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VgApiRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = vg_segment_query_finish (VG_DATABASE (source), result, &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  VgSegmentRow *row;

  if (rows == NULL)
    {
      vg_api_request_respond_error (request, error);
      return;
    }
  if (rows->len == 0)
    {
      vg_api_request_respond_object (request, NULL, NULL, "segment");
      return;
    }
  row = rows->pdata[0];
  path = vg_api_range_segment_path (request, row->disk_id, row->path);
  if (path == NULL)
    {
      error = g_error_new (VG_ERROR, VG_ERROR_NOT_FOUND, "segment %" G_GINT64_FORMAT
                           " is on a disk the node no longer knows", request->id);
      vg_api_request_respond_error (request, error);
      return;
    }
  file = g_file_new_for_path (path);
  g_file_read_async (file, G_PRIORITY_DEFAULT, request->cancellable, file_opened_cb, request);
}

static void
segment_get (VgApiRequest *request)
{
  vg_segment_query_id_async (vg_node_get_database (request->node), request->id, request->cancellable,
                             segment_found_cb, request);
}

const VgApiRoute vg_api_playback_routes[] = {
  { "GET", "/api/v1/cameras/{id}/segments", VG_API_ACCESS_USER, segments_list, FALSE },
  { "GET", "/api/v1/segments/{id}", VG_API_ACCESS_USER, segment_get, FALSE },
  { "HEAD", "/api/v1/segments/{id}", VG_API_ACCESS_USER, segment_get, FALSE },
  { NULL }
};
