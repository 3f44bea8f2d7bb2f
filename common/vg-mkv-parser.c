/* vg-mkv-parser.c: Matroska header and Clusters parsed from bytes in memory (playback)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-mkv-parser.h"
#include "vg-matroska.h"

#include <gio/gio.h>
#include <string.h>

/* An element: its id, where its data start and how long they are (VG_MKV_UNKNOWN_SIZE). */
typedef struct
{
  guint32 id;
  gsize   data_offset;
  guint64 size;
} Element;

/* A variable-length integer at data[*pos]; FALSE when cut or invalid. keep_marker
 * keeps the length bits (element ids). */
static gboolean
read_vint (const guint8 *data,
           gsize         end,
           gsize        *pos,
           gboolean      keep_marker,
           guint64      *value)
{
  guint8 first;
  guint length = 1;
  guint64 v;
  gboolean all_ones;

  if (*pos >= end)
    return FALSE;
  first = data[*pos];
  if (first == 0)
    return FALSE;
  while ((first & (0x80 >> (length - 1))) == 0)
    length++;
  if (*pos + length > end)
    return FALSE;

  v = keep_marker ? first : (first & (0xFF >> length));
  all_ones = v == (guint64) (0xFF >> length);
  for (guint i = 1; i < length; i++)
    {
      v = (v << 8) | data[*pos + i];
      all_ones = all_ones && data[*pos + i] == 0xFF;
    }
  *pos += length;
  *value = (!keep_marker && all_ones) ? VG_MKV_UNKNOWN_SIZE : v;
  return TRUE;
}

static gboolean
read_element (const guint8 *data,
              gsize         end,
              gsize        *pos,
              Element      *element)
{
  guint64 id;
  guint64 size;

  if (!read_vint (data, end, pos, TRUE, &id) || id > G_MAXUINT32)
    return FALSE;
  if (!read_vint (data, end, pos, FALSE, &size))
    return FALSE;
  element->id = (guint32) id;
  element->data_offset = *pos;
  element->size = size;
  return TRUE;
}

/* The end of a sized element inside [.., end), or FALSE when it is cut. */
static gboolean
element_end (const Element *element,
             gsize          end,
             gsize         *element_end_out)
{
  if (element->size == VG_MKV_UNKNOWN_SIZE || element->size > end - element->data_offset)
    return FALSE;
  *element_end_out = element->data_offset + (gsize) element->size;
  return TRUE;
}

static guint64
read_uint (const guint8 *data,
           gsize         size)
{
  guint64 v = 0;

  for (gsize i = 0; i < size && i < 8; i++)
    v = (v << 8) | data[i];
  return v;
}

static gint64
read_int (const guint8 *data,
          gsize         size)
{
  guint64 v = read_uint (data, size);

  if (size > 0 && size < 8 && (data[0] & 0x80) != 0)
    v |= ~G_GUINT64_CONSTANT (0) << (size * 8);
  return (gint64) v;
}

static double
read_float (const guint8 *data,
            gsize         size)
{
  if (size == 4)
    {
      guint32 bits = (guint32) read_uint (data, 4);
      float f;

      memcpy (&f, &bits, sizeof f);
      return f;
    }
  if (size == 8)
    {
      guint64 bits = read_uint (data, 8);
      double d;

      memcpy (&d, &bits, sizeof d);
      return d;
    }
  return 0;
}

/* Header */

static void
vg_mkv_track_free (gpointer data)
{
  VgMkvTrack *track = data;

  g_free (track->codec_id);
  g_clear_pointer (&track->codec_private, g_bytes_unref);
  g_free (track);
}

void
vg_mkv_header_free (VgMkvHeader *header)
{
  if (header == NULL)
    return;
  g_ptr_array_unref (header->tracks);
  g_free (header);
}

static void
parse_track_media (VgMkvTrack   *track,
                   const guint8 *data,
                   gsize         pos,
                   gsize         end)
{
  Element e;
  gsize e_end;

  while (read_element (data, end, &pos, &e) && element_end (&e, end, &e_end))
    {
      const guint8 *value = data + e.data_offset;
      gsize size = (gsize) e.size;

      if (e.id == VG_MKV_ID_PIXEL_WIDTH)
        track->width = (guint) read_uint (value, size);
      else if (e.id == VG_MKV_ID_PIXEL_HEIGHT)
        track->height = (guint) read_uint (value, size);
      else if (e.id == VG_MKV_ID_SAMPLING_FREQUENCY)
        track->sample_rate = read_float (value, size);
      else if (e.id == VG_MKV_ID_CHANNELS)
        track->channels = (guint) read_uint (value, size);
      pos = e_end;
    }
}

static VgMkvTrack *
parse_track_entry (const guint8 *data,
                   gsize         pos,
                   gsize         end)
{
  VgMkvTrack *track = g_new0 (VgMkvTrack, 1);
  Element e;
  gsize e_end;

  while (read_element (data, end, &pos, &e) && element_end (&e, end, &e_end))
    {
      const guint8 *value = data + e.data_offset;
      gsize size = (gsize) e.size;

      switch (e.id)
        {
        case VG_MKV_ID_TRACK_NUMBER:
          track->number = read_uint (value, size);
          break;
        case VG_MKV_ID_TRACK_TYPE:
          track->video = read_uint (value, size) == 1;
          track->audio = read_uint (value, size) == 2;
          break;
        case VG_MKV_ID_CODEC_ID:
          g_free (track->codec_id);
          track->codec_id = g_strndup ((const char *) value, size);
          break;
        case VG_MKV_ID_CODEC_PRIVATE:
          g_clear_pointer (&track->codec_private, g_bytes_unref);
          track->codec_private = g_bytes_new (value, size);
          break;
        case VG_MKV_ID_VIDEO:
        case VG_MKV_ID_AUDIO:
          parse_track_media (track, data, e.data_offset, e_end);
          break;
        default:
          break;
        }
      pos = e_end;
    }
  return track;
}

static void
parse_tracks (VgMkvHeader  *header,
              const guint8 *data,
              gsize         pos,
              gsize         end)
{
  Element e;
  gsize e_end;

  while (read_element (data, end, &pos, &e) && element_end (&e, end, &e_end))
    {
      if (e.id == VG_MKV_ID_TRACK_ENTRY)
        g_ptr_array_add (header->tracks, parse_track_entry (data, e.data_offset, e_end));
      pos = e_end;
    }
}

static void
parse_info (VgMkvHeader  *header,
            const guint8 *data,
            gsize         pos,
            gsize         end)
{
  Element e;
  gsize e_end;

  while (read_element (data, end, &pos, &e) && element_end (&e, end, &e_end))
    {
      if (e.id == VG_MKV_ID_TIMESTAMP_SCALE)
        header->timestamp_scale_ns = read_uint (data + e.data_offset, (gsize) e.size);
      else if (e.id == VG_MKV_ID_DATE_UTC && e.size == 8)
        header->date_utc_us = VG_MKV_EPOCH_US + read_int (data + e.data_offset, 8) / 1000;
      pos = e_end;
    }
}

/* The Segment's children up to the first Cluster. */
static gboolean
parse_segment_children (VgMkvHeader  *header,
                        const guint8 *data,
                        gsize         pos,
                        gsize         end)
{
  gboolean have_tracks = FALSE;
  Element e;
  gsize e_end;

  header->header_length = end;
  while (pos < end)
    {
      gsize start = pos;

      if (!read_element (data, end, &pos, &e))
        break;
      if (e.id == VG_MKV_ID_CLUSTER)
        {
          header->header_length = start;
          break;
        }
      if (!element_end (&e, end, &e_end))
        break;
      if (e.id == VG_MKV_ID_INFO)
        parse_info (header, data, e.data_offset, e_end);
      else if (e.id == VG_MKV_ID_TRACKS)
        {
          parse_tracks (header, data, e.data_offset, e_end);
          have_tracks = TRUE;
        }
      pos = e_end;
    }
  return have_tracks;
}

VgMkvHeader *
vg_mkv_header_parse (const guint8  *data,
                     gsize          size,
                     GError       **error)
{
  g_autoptr(VgMkvHeader) header = g_new0 (VgMkvHeader, 1);
  gsize pos = 0;
  gsize end;
  Element e;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  header->tracks = g_ptr_array_new_with_free_func (vg_mkv_track_free);
  header->timestamp_scale_ns = 1000000;

  if (!read_element (data, size, &pos, &e) || e.id != VG_MKV_ID_EBML || !element_end (&e, size, &end))
    goto invalid;
  pos = end;
  if (!read_element (data, size, &pos, &e) || e.id != VG_MKV_ID_SEGMENT)
    goto invalid;
  end = e.size == VG_MKV_UNKNOWN_SIZE ? size : MIN (size, e.data_offset + e.size);
  if (!parse_segment_children (header, data, e.data_offset, end) || header->tracks->len == 0)
    goto invalid;
  if (header->timestamp_scale_ns == 0)
    header->timestamp_scale_ns = 1000000;
  return g_steal_pointer (&header);

invalid:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Not a Matroska header with tracks");
  return NULL;
}

const VgMkvTrack *
vg_mkv_header_get_video_track (const VgMkvHeader *header)
{
  g_return_val_if_fail (header != NULL, NULL);

  for (guint i = 0; i < header->tracks->len; i++)
    {
      const VgMkvTrack *track = g_ptr_array_index (header->tracks, i);

      if (track->video)
        return track;
    }
  return NULL;
}

const VgMkvTrack *
vg_mkv_header_get_audio_track (const VgMkvHeader *header)
{
  g_return_val_if_fail (header != NULL, NULL);

  for (guint i = 0; i < header->tracks->len; i++)
    {
      const VgMkvTrack *track = g_ptr_array_index (header->tracks, i);

      if (track->audio)
        return track;
    }
  return NULL;
}

/* Clusters */

void
vg_mkv_block_free (VgMkvBlock *block)
{
  if (block == NULL)
    return;
  g_clear_pointer (&block->data, g_bytes_unref);
  g_free (block);
}

static VgMkvBlock *
parse_simple_block (GBytes       *bytes,
                    const Element *e,
                    gint64        cluster_time,
                    guint64       timestamp_scale_ns)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize pos = e->data_offset;
  gsize end = e->data_offset + (gsize) e->size;
  guint64 track;
  VgMkvBlock *block;
  gint16 relative;

  if (!read_vint (data, end, &pos, FALSE, &track) || pos + 3 > end)
    return NULL;
  if ((data[pos + 2] & 0x06) != 0)   /* laced: never written by the node */
    return NULL;

  relative = (gint16) ((data[pos] << 8) | data[pos + 1]);
  block = g_new0 (VgMkvBlock, 1);
  block->track = track;
  block->time_ns = (cluster_time + relative) * (gint64) timestamp_scale_ns;
  block->keyframe = (data[pos + 2] & 0x80) != 0;
  block->data = g_bytes_new_from_bytes (bytes, pos + 3, end - pos - 3);
  return block;
}

/* The blocks of the Cluster whose data start at pos; *pos is left after the last
 * complete child. FALSE when the Cluster ended before the end of data (a next
 * top-level element started). */
static gboolean
parse_cluster (GBytes     *bytes,
               gsize      *pos,
               gsize       end,
               guint64     timestamp_scale_ns,
               guint       max_blocks,
               GPtrArray  *blocks)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gint64 cluster_time = 0;

  while (*pos < end && (max_blocks == 0 || blocks->len < max_blocks))
    {
      gsize at = *pos;
      Element e;
      gsize e_end;

      if (!read_element (data, end, &at, &e))
        return TRUE;
      if (e.id == VG_MKV_ID_CLUSTER || e.id == VG_MKV_ID_SEGMENT || e.id == VG_MKV_ID_EBML)
        return FALSE;
      if (!element_end (&e, end, &e_end))
        return TRUE;
      if (e.id == VG_MKV_ID_TIMESTAMP)
        cluster_time = (gint64) read_uint (data + e.data_offset, (gsize) e.size);
      else if (e.id == VG_MKV_ID_SIMPLE_BLOCK)
        {
          VgMkvBlock *block = parse_simple_block (bytes, &e, cluster_time, timestamp_scale_ns);

          if (block != NULL)
            g_ptr_array_add (blocks, block);
        }
      *pos = e_end;
    }
  return TRUE;
}

GPtrArray *
vg_mkv_parse_clusters (GBytes  *bytes,
                       guint64  timestamp_scale_ns,
                       guint    max_blocks,
                       gsize   *consumed)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_mkv_block_free);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize pos = 0;

  while (pos < size && (max_blocks == 0 || blocks->len < max_blocks))
    {
      gsize at = pos;
      Element e;
      gsize end;

      if (!read_element (data, size, &at, &e) || e.id != VG_MKV_ID_CLUSTER)
        break;
      end = e.size == VG_MKV_UNKNOWN_SIZE ? size : MIN (size, e.data_offset + e.size);
      pos = at;
      if (parse_cluster (bytes, &pos, end, timestamp_scale_ns, max_blocks, blocks) && end == size)
        break;
    }

  if (consumed != NULL)
    *consumed = pos;
  return blocks;
}
