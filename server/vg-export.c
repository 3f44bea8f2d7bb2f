/* vg-export.c: recorded segments remuxed into Matroska files, no transcoding (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-export.h"
#include "vg-mkv-reader.h"

#include <string.h>

#define MIN_SPLIT_US    (10 * G_USEC_PER_SEC)
#define MIN_SPLIT_BYTES G_GUINT64_CONSTANT (1000000)

struct _VgExport
{
  GPtrArray            *segments;     /* VgExportSegment */
  gint64                start_us, end_us;
  gint64                split_us;
  guint64               split_bytes;

  /* While running (one thread) */
  const VgExportOutput *output;
  gpointer              output_data;
  VgMkvWriter          *writer;
  gint64                piece_start_us;
  guint64               gop_start_size;   /* writer size at the current GOP's keyframe */
  guint64               last_gop_size;
  guint64               bytes_before;     /* bytes of the pieces already closed */

  /* Read from any thread, under lock */
  GMutex                lock;
  gint64                done_us;          /* time reached */
  guint64               bytes;
  guint64               n_frames;
  guint                 n_pieces;
};

VgExportSegment *
vg_export_segment_new (const char *path, gint64 start_us, gint64 end_us, GArray *keyframes)
{
  VgExportSegment *segment = g_new0 (VgExportSegment, 1);

  segment->path = g_strdup (path);
  segment->start_us = start_us;
  segment->end_us = end_us;
  segment->keyframes = keyframes ? keyframes : g_array_new (FALSE, FALSE, sizeof (VgMkvKeyframe));
  return segment;
}

void
vg_export_segment_free (VgExportSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->path);
  g_array_unref (segment->keyframes);
  g_free (segment);
}

VgExport *
vg_export_new (GPtrArray *segments, gint64 start_us, gint64 end_us)
{
  VgExport *self = g_new0 (VgExport, 1);

  g_return_val_if_fail (segments != NULL, NULL);
  g_return_val_if_fail (end_us > start_us, NULL);
  self->segments = g_ptr_array_ref (segments);
  self->start_us = start_us;
  self->end_us = end_us;
  self->done_us = start_us;
  g_mutex_init (&self->lock);
  return self;
}

void
vg_export_free (VgExport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->writer, vg_mkv_writer_free);
  g_ptr_array_unref (self->segments);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
vg_export_set_split (VgExport *self, gint64 split_us, guint64 split_bytes)
{
  g_return_if_fail (self != NULL);
  self->split_us = MAX (split_us, 0);
  self->split_bytes = split_bytes;
}

/* Where reading a segment starts: the last keyframe at or before start, else the
 * first one; -1 when no keyframe of the segment comes before end. */
static gint
first_keyframe (VgExport *self, const VgExportSegment *segment)
{
  GArray *keyframes = segment->keyframes;
  gint found = -1;

  for (guint i = 0; i < keyframes->len; i++)
    {
      const VgMkvKeyframe *k = &g_array_index (keyframes, VgMkvKeyframe, i);

      if (k->time_us >= self->end_us)
        break;
      if (k->time_us <= self->start_us || found < 0)
        found = (gint) i;
      if (k->time_us > self->start_us)
        break;
    }
  return found;
}

gboolean
vg_export_has_video (VgExport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  for (guint i = 0; i < self->segments->len; i++)
    {
      const VgExportSegment *segment = self->segments->pdata[i];

      if (segment->end_us >= self->start_us && first_keyframe (self, segment) >= 0)
        return TRUE;
    }
  return FALSE;
}

double
vg_export_get_progress (VgExport *self)
{
  gint64 done;

  g_mutex_lock (&self->lock);
  done = self->done_us;
  g_mutex_unlock (&self->lock);
  return CLAMP ((double) (done - self->start_us) / (double) (self->end_us - self->start_us), 0.0, 1.0);
}

guint64
vg_export_get_bytes (VgExport *self)
{
  guint64 bytes;

  g_mutex_lock (&self->lock);
  bytes = self->bytes;
  g_mutex_unlock (&self->lock);
  return bytes;
}

guint64
vg_export_get_n_frames (VgExport *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->n_frames;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
vg_export_get_n_pieces (VgExport *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_pieces;
  g_mutex_unlock (&self->lock);
  return n;
}

static void
publish (VgExport *self, gint64 time_us, gboolean frame)
{
  guint64 bytes = self->bytes_before + (self->writer ? vg_mkv_writer_get_size (self->writer) : 0);

  g_mutex_lock (&self->lock);
  self->done_us = MAX (time_us, self->start_us);
  self->bytes = bytes;
  if (frame)
    self->n_frames++;
  g_mutex_unlock (&self->lock);
}

static gboolean
end_piece (VgExport *self, GError **error)
{
  g_autoptr(VgMkvWriter) writer = g_steal_pointer (&self->writer);

  if (writer == NULL)
    return TRUE;
  if (!vg_mkv_writer_close (writer, error))
    return FALSE;
  self->bytes_before += vg_mkv_writer_get_size (writer);
  return self->output->end_piece == NULL || self->output->end_piece (self->output_data, error);
}

static gboolean
begin_piece (VgExport *self, VgMkvReader *reader, gint64 keyframe_us, GError **error)
{
  guint index = vg_export_get_n_pieces (self);
  gint64 start = index == 0 ? MAX (self->start_us, keyframe_us) : keyframe_us;
  gint64 end = 0;
  g_autoptr(GPtrArray) tracks = g_ptr_array_new ();
  g_autofree char *name = g_strdup_printf ("piece %u", index + 1);

  if (self->split_us > 0)
    end = MIN (self->end_us, start + self->split_us);
  else if (self->split_bytes == 0)
    end = self->end_us;
  for (guint i = 0; i < vg_mkv_reader_get_n_tracks (reader); i++)
    {
      const VgTrackInfo *track = vg_mkv_reader_get_track (reader, i);

      if (vg_mkv_track_supported (track, NULL))
        g_ptr_array_add (tracks, (gpointer) track);
    }
  if (self->output->begin_piece && !self->output->begin_piece (self->output_data, index, start, error))
    return FALSE;
  self->writer = vg_mkv_writer_new_for_sink (name, self->output->write, self->output_data,
                                             (VgTrackInfo *const *) tracks->pdata, tracks->len, error);
  if (self->writer == NULL)
    return FALSE;
  vg_mkv_writer_set_presentation (self->writer, start, end);
  self->piece_start_us = start;
  self->gop_start_size = 0;
  self->last_gop_size = 0;
  g_mutex_lock (&self->lock);
  self->n_pieces++;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
split_due (VgExport *self, const VgAccessUnit *unit)
{
  guint64 size = vg_mkv_writer_get_size (self->writer);

  self->last_gop_size = size - self->gop_start_size;
  self->gop_start_size = size;
  if (self->split_us > 0 && unit->time_us - self->piece_start_us >= self->split_us)
    return TRUE;
  return self->split_bytes > 0 && size + self->last_gop_size > self->split_bytes && size > 0;
}

/* One unit read from a segment: FALSE with error to stop, *stop when end is passed. */
static gboolean
export_unit (VgExport *self, VgMkvReader *reader, VgAccessUnit *unit, gboolean *stop,
             GError **error)
{
  gboolean video = vg_codec_is_video (unit->codec);
  g_autoptr(GError) local = NULL;

  if (unit->time_us >= self->end_us)
    {
      *stop = video;
      return TRUE;
    }
  if (video && unit->keyframe && self->writer && split_due (self, unit) && !end_piece (self, error))
    return FALSE;
  if (self->writer == NULL)
    {
      if (!video || !unit->keyframe)
        return TRUE;
      if (!begin_piece (self, reader, unit->time_us, error))
        return FALSE;
    }
  if (!vg_mkv_writer_write (self->writer, unit, &local))
    {
      if (local->domain != VG_MKV_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("export: a unit skipped: %s", local->message);
      return TRUE;
    }
  publish (self, unit->time_us, video);
  return TRUE;
}

/* Reads one segment from its keyframe entry k; *stop when end is passed. */
static gboolean
export_segment (VgExport *self, const VgExportSegment *segment, guint k, gboolean *stop,
                GCancellable *cancellable, GError **error)
{
  g_autoptr(VgMkvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  guint64 offset = g_array_index (segment->keyframes, VgMkvKeyframe, k).offset;

  reader = vg_mkv_reader_open (segment->path, &local);
  if (reader == NULL)
    {
      /* Purged or cut since the index was read: the export goes on without it. */
      g_message ("export: skipping %s: %s", segment->path, local->message);
      return TRUE;
    }
  while (offset != 0 && !*stop)
    {
      g_autoptr(GPtrArray) units = NULL;
      guint64 next = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      units = vg_mkv_reader_read_cluster (reader, offset, &next, &local);
      if (units == NULL)
        {
          g_message ("export: %s ends early: %s", segment->path, local->message);
          return TRUE;
        }
      for (guint i = 0; i < units->len && !*stop; i++)
        {
          VgAccessUnit *unit = units->pdata[i];

          if (!export_unit (self, reader, unit, stop, error))
            return FALSE;
        }
      offset = next;
    }
  return TRUE;
}

gboolean
vg_export_run (VgExport *self, const VgExportOutput *output, gpointer output_data,
               GCancellable *cancellable, GError **error)
{
  gboolean stop = FALSE, ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (output != NULL && output->write != NULL, FALSE);
  g_return_val_if_fail (self->output == NULL, FALSE);

  self->output = output;
  self->output_data = output_data;
  for (guint i = 0; i < self->segments->len && !stop && ok; i++)
    {
      const VgExportSegment *segment = self->segments->pdata[i];
      gint k;

      if (segment->end_us < self->start_us)
        continue;
      k = self->writer == NULL ? first_keyframe (self, segment) : (segment->keyframes->len ? 0 : -1);
      if (k < 0 || g_array_index (segment->keyframes, VgMkvKeyframe, k).time_us >= self->end_us)
        continue;
      ok = export_segment (self, segment, (guint) k, &stop, cancellable, error);
    }
  if (ok)
    ok = end_piece (self, error);
  if (ok && vg_export_get_n_pieces (self) == 0)
    {
      g_set_error_literal (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY, "no video in this range");
      ok = FALSE;
    }
  if (ok)
    publish (self, self->end_us, FALSE);
  g_clear_pointer (&self->writer, vg_mkv_writer_free);
  return ok;
}

static gboolean
parse_number (const char *text, guint64 *value, const char **unit)
{
  char *end = NULL;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  *value = g_ascii_strtoull (text, &end, 10);
  if (end == text || *value > G_GUINT64_CONSTANT (1000000000000))
    return FALSE;
  *unit = end;
  return TRUE;
}

gboolean
vg_export_parse_split (const char *text, gint64 *split_us, guint64 *split_bytes)
{
  static const struct { const char *unit; gint64 us; guint64 bytes; } units[] = {
    { "s", G_USEC_PER_SEC, 0 }, { "m", 60 * G_USEC_PER_SEC, 0 }, { "h", G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, 0 },
    { "B", 0, 1 }, { "kB", 0, 1000 }, { "KB", 0, 1000 }, { "MB", 0, 1000000 },
    { "GB", 0, 1000000000 },
  };
  guint64 value;
  const char *unit;

  *split_us = 0;
  *split_bytes = 0;
  if (text == NULL || !parse_number (text, &value, &unit))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (unit, units[i].unit))
      {
        if (units[i].us && value <= G_MAXINT64 / (guint64) units[i].us / 2)
          *split_us = (gint64) value * units[i].us;
        else if (units[i].bytes && value <= G_MAXUINT64 / units[i].bytes / 2)
          *split_bytes = value * units[i].bytes;
        return *split_us >= MIN_SPLIT_US || *split_bytes >= MIN_SPLIT_BYTES;
      }
  return FALSE;
}
