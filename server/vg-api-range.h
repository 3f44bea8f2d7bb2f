/* vg-api-range.h: the camera, stream and time range a playback or export request names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-api-request.h"

G_BEGIN_DECLS

/* Seven days: longer exports are cut into several requests or jobs. */
#define VG_API_MAX_EXPORT_US (G_GINT64_CONSTANT (7) * 24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  gint64  camera_id;
  char   *stream;
  gint64  start_us;
  gint64  end_us;
} VgApiRange;

void      vg_api_range_clear     (VgApiRange *range);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VgApiRange, vg_api_range_clear)

/* Checks and fills range: camera_id must be a camera (VG_ERROR_NOT_FOUND), stream one
 * of its streams (the first when NULL), start and end ISO 8601 date-times with
 * start < end and end − start ≤ max_us (VG_ERROR_BAD_REQUEST, or bad_code for a JSON
 * body). */
gboolean  vg_api_range_check     (VgApiRequest *request, gint64 camera_id, const char *stream,
                                  const char *start, const char *end, gint64 max_us,
                                  VgErrorCode bad_code, VgApiRange *range, GError **error);
/* The same from the query (?stream=&start=&end=) of a /cameras/{id}/… route. */
gboolean  vg_api_range_from_query (VgApiRequest *request, gint64 max_us, VgApiRange *range,
                                   GError **error);
/* "20261122T101500Z", for file names. */
char     *vg_api_range_format_compact (gint64 time_us);
/* The absolute path of a segment row's file, or NULL (unknown disk, odd path). */
char     *vg_api_range_segment_path   (VgApiRequest *request, gint disk_id, const char *path);

G_END_DECLS
