/* vg-stream-choice.c: which stream of a camera a video cell shows (CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-stream-choice.h"

gboolean
vg_stream_choice_wants_main (int    width,
                             int    height,
                             double zoom)
{
  return zoom > 1.0 ||
         width > VG_STREAM_CHOICE_MAIN_MIN_WIDTH ||
         height > VG_STREAM_CHOICE_MAIN_MIN_HEIGHT;
}

static VgStream *
find_stream (GPtrArray     *streams,
             VgStreamRoles  role,
             const char    *name)
{
  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (streams, i);

      if (vg_stream_get_roles (stream) & role)
        return stream;
    }

  for (guint i = 0; i < streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (streams, i);

      if (g_strcmp0 (vg_stream_get_name (stream), name) == 0)
        return stream;
    }

  return NULL;
}

VgStream *
vg_stream_choice_pick (GPtrArray *streams,
                       gboolean   want_main)
{
  VgStream *stream = NULL;

  g_return_val_if_fail (streams != NULL, NULL);

  if (streams->len == 0)
    return NULL;

  if (!want_main)
    stream = find_stream (streams, VG_STREAM_ROLE_MOSAIC, "sub");
  if (stream == NULL)
    stream = find_stream (streams, VG_STREAM_ROLE_LIVE, "main");
  if (stream == NULL)
    stream = g_ptr_array_index (streams, 0);

  return stream;
}
