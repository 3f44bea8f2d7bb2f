/* vg-segment-index.c: the recorded segments of a camera stream and their keyframes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-segment-index.h"

#include "vg-error.h"
#include "vg-json.h"

#define DEFAULT_FRAME_US 40000

static void
vg_segment_info_free (gpointer data)
{
  VgIndexSegment *info = data;

  g_free (info->url);
  g_array_unref (info->keyframes);
  g_free (info);
}

void
vg_segment_index_free (VgSegmentIndex *index)
{
  if (index == NULL)
    return;
  g_ptr_array_unref (index->segments);
  g_free (index);
}

static gboolean
get_time_member (JsonObject  *object,
                 const char  *name,
                 gint64      *out,
                 GError     **error)
{
  const char *text = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!vg_json_get_string_member (object, name, TRUE, &text, error))
    return FALSE;
  time = vg_time_parse_iso8601 (text, error);
  if (time == NULL)
    return FALSE;
  *out = vg_time_to_unix_usec (time);
  return TRUE;
}

static gboolean
parse_keyframes (VgIndexSegment  *info,
                 JsonArray      *array,
                 GError        **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = vg_json_require_object (json_array_get_element (array, i),
                                                   "keyframe", error);
      VgIndexKeyframe keyframe;
      gint64 time_ms = 0;
      gint64 offset = 0;

      if (object == NULL
          || !vg_json_get_int_member (object, "time_ms", TRUE, 0, G_MAXINT32, &time_ms, error)
          || !vg_json_get_int_member (object, "offset", TRUE, 0, G_MAXINT64, &offset, error))
        return FALSE;
      keyframe.time_us = info->start_us + time_ms * 1000;
      keyframe.offset = (guint64) offset;
      g_array_append_val (info->keyframes, keyframe);
    }
  return TRUE;
}

static VgIndexSegment *
parse_segment (JsonNode  *node,
               GError   **error)
{
  JsonObject *object = vg_json_require_object (node, "segment", error);
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func (vg_segment_info_free);
  VgIndexSegment *info;
  JsonArray *keyframes = NULL;
  const char *url = NULL;
  gint64 bytes = 0;
  gint64 frames = 0;

  if (object == NULL)
    return NULL;

  info = g_new0 (VgIndexSegment, 1);
  info->keyframes = g_array_new (FALSE, FALSE, sizeof (VgIndexKeyframe));
  g_ptr_array_add (holder, info);

  if (!vg_json_get_int_member (object, "id", TRUE, 1, G_MAXINT64, &info->id, error)
      || !get_time_member (object, "start", &info->start_us, error)
      || !get_time_member (object, "end", &info->end_us, error)
      || !vg_json_get_int_member (object, "bytes", TRUE, 0, G_MAXINT64, &bytes, error)
      || !vg_json_get_int_member (object, "frames", FALSE, 0, G_MAXINT64, &frames, error)
      || !vg_json_get_boolean_member (object, "open", FALSE, &info->open, error)
      || !vg_json_get_string_member (object, "url", TRUE, &url, error)
      || !vg_json_get_array_member (object, "keyframes", TRUE, &keyframes, error)
      || !parse_keyframes (info, keyframes, error))
    return NULL;

  info->bytes = (guint64) bytes;
  info->frames = (guint64) frames;
  info->url = g_strdup (url);
  return g_ptr_array_steal_index (holder, 0);
}

VgSegmentIndex *
vg_segment_index_new_from_json (JsonNode  *node,
                                gint64     from_us,
                                gint64     to_us,
                                GError   **error)
{
  g_autoptr(VgSegmentIndex) index = g_new0 (VgSegmentIndex, 1);
  JsonObject *object;
  JsonArray *segments = NULL;

  index->segments = g_ptr_array_new_with_free_func (vg_segment_info_free);
  index->from_us = from_us;
  index->to_us = to_us;

  object = vg_json_require_object (node, "segment list", error);
  if (object == NULL || !vg_json_get_array_member (object, "segments", TRUE, &segments, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      VgIndexSegment *info = parse_segment (json_array_get_element (segments, i), error);

      if (info == NULL)
        return NULL;
      /* A segment without a keyframe yet cannot be shown: leave it out. */
      if (info->keyframes->len == 0)
        vg_segment_info_free (info);
      else
        g_ptr_array_add (index->segments, info);
    }
  return g_steal_pointer (&index);
}

const VgIndexSegment *
vg_segment_index_get_segment (const VgSegmentIndex *index,
                              guint                 segment)
{
  g_return_val_if_fail (index != NULL && segment < index->segments->len, NULL);

  return g_ptr_array_index (index->segments, segment);
}

static const VgIndexKeyframe *
keyframe_at (const VgSegmentIndex *index,
             VgGopRef              gop)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, gop.segment);

  g_assert (gop.keyframe < info->keyframes->len);
  return &g_array_index (info->keyframes, VgIndexKeyframe, gop.keyframe);
}

gboolean
vg_segment_index_find (const VgSegmentIndex *index,
                       gint64                time_us,
                       VgGopRef             *gop)
{
  g_return_val_if_fail (index != NULL && gop != NULL, FALSE);

  for (guint s = index->segments->len; s > 0; s--)
    {
      const VgIndexSegment *info = g_ptr_array_index (index->segments, s - 1);
      const VgIndexKeyframe *first = &g_array_index (info->keyframes, VgIndexKeyframe, 0);
      guint lo = 0;
      guint hi = info->keyframes->len;

      if (first->time_us > time_us)
        continue;
      /* The last keyframe with time ≤ time_us. */
      while (hi - lo > 1)
        {
          guint mid = (lo + hi) / 2;

          if (g_array_index (info->keyframes, VgIndexKeyframe, mid).time_us <= time_us)
            lo = mid;
          else
            hi = mid;
        }
      gop->segment = s - 1;
      gop->keyframe = lo;
      return TRUE;
    }
  return FALSE;
}

static gboolean
move_one (const VgSegmentIndex *index,
          VgGopRef             *gop,
          gboolean              forward)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, gop->segment);

  if (forward)
    {
      if (gop->keyframe + 1 < info->keyframes->len)
        gop->keyframe++;
      else if (gop->segment + 1 < index->segments->len)
        {
          gop->segment++;
          gop->keyframe = 0;
        }
      else
        return FALSE;
    }
  else
    {
      if (gop->keyframe > 0)
        gop->keyframe--;
      else if (gop->segment > 0)
        {
          gop->segment--;
          info = vg_segment_index_get_segment (index, gop->segment);
          gop->keyframe = info->keyframes->len - 1;
        }
      else
        return FALSE;
    }
  return TRUE;
}

gboolean
vg_segment_index_move (const VgSegmentIndex *index,
                       VgGopRef             *gop,
                       int                   n)
{
  gboolean moved = FALSE;

  g_return_val_if_fail (index != NULL && gop != NULL, FALSE);

  for (int i = 0; i < ABS (n); i++)
    {
      if (!move_one (index, gop, n > 0))
        break;
      moved = TRUE;
    }
  return moved;
}

gint64
vg_segment_index_gop_start (const VgSegmentIndex *index,
                            VgGopRef              gop)
{
  return keyframe_at (index, gop)->time_us;
}

gint64
vg_segment_index_frame_duration (const VgSegmentIndex *index,
                                 guint                 segment)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, segment);
  gint64 duration = info->end_us - info->start_us;

  if (info->frames < 2 || duration <= 0)
    return DEFAULT_FRAME_US;
  return CLAMP (duration / (gint64) (info->frames - 1), 1000, 1000000);
}

gint64
vg_segment_index_gop_end (const VgSegmentIndex *index,
                          VgGopRef              gop)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, gop.segment);

  if (gop.keyframe + 1 < info->keyframes->len)
    return g_array_index (info->keyframes, VgIndexKeyframe, gop.keyframe + 1).time_us;
  return info->end_us + vg_segment_index_frame_duration (index, gop.segment);
}

void
vg_segment_index_gop_bytes (const VgSegmentIndex *index,
                            VgGopRef              gop,
                            guint64              *offset,
                            gint64               *length)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, gop.segment);

  *offset = keyframe_at (index, gop)->offset;
  if (gop.keyframe + 1 < info->keyframes->len)
    *length = (gint64) (g_array_index (info->keyframes, VgIndexKeyframe, gop.keyframe + 1).offset - *offset);
  else if (!info->open && info->bytes > *offset)
    *length = (gint64) (info->bytes - *offset);
  else
    *length = -1;
}

guint64
vg_segment_index_gop_key (const VgSegmentIndex *index,
                          VgGopRef              gop)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (index, gop.segment);

  return ((guint64) info->id << 20) | gop.keyframe;
}
