/* vg-mkv-reader.c: reading back the segments VgMkvWriter wrote, cut or whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-mkv-reader.h"
#include "vg-matroska.h"

#include <gio/gio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW_SIZE (64 * 1024)
#define MAX_HEADER_ELEMENT (16 * 1024 * 1024)
#define MAX_TRACKS 64

typedef struct
{
  guint64  number;              /* Matroska TrackNumber */
  guint    nal_length_size;     /* H.264/H.265: from the avcC/hvcC */
} TrackExtra;

struct _VgMkvReader
{
  char       *path;
  int         fd;
  guint64     size;             /* at open */
  int         read_errno;       /* first read error, 0 if none */

  guint8     *window;           /* a cached stretch of the file */
  guint64     window_offset;
  gsize       window_len;

  GPtrArray  *tracks;           /* VgTrackInfo */
  TrackExtra  extra[MAX_TRACKS];
  gint        video;            /* index of the first video track, -1 if none */
  gint64      start_us;
  guint64     scale;            /* ns per tick */
  guint64     segment_end;
  guint64     header_length;
};

/* ---- reading the file ---------------------------------------------------- */

static gsize
pread_full (VgMkvReader *self, guint8 *out, gsize len, guint64 offset)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = pread (self->fd, out + done, len - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && self->read_errno == 0)
        self->read_errno = errno;
      if (n <= 0)
        break;
      done += n;
    }
  return done;
}

/* Copies len bytes at offset into out; FALSE when they are not all in the file. */
static gboolean
read_at (VgMkvReader *self, guint64 offset, void *out, gsize len)
{
  if (offset > self->size || len > self->size - offset)
    return FALSE;
  if (len > WINDOW_SIZE / 2)
    return pread_full (self, out, len, offset) == len;
  if (offset < self->window_offset || offset - self->window_offset + len > self->window_len)
    {
      self->window_offset = offset;
      self->window_len = pread_full (self, self->window,
                                     MIN ((guint64) WINDOW_SIZE, self->size - offset), offset);
      if (self->window_len < len)
        return FALSE;
    }
  memcpy (out, self->window + (offset - self->window_offset), len);
  return TRUE;
}

/* ---- EBML elements ------------------------------------------------------- */

typedef enum {
  ELEM_OK,
  ELEM_TRUNCATED,               /* the file (or the parent) ends inside the header */
  ELEM_BAD,                     /* not an element header */
} ElemStatus;

typedef struct
{
  guint32 id;
  guint64 size;                 /* VG_MKV_UNKNOWN_SIZE when unknown */
  guint64 offset;               /* of the header */
  guint64 data;                 /* of the data */
} Elem;

static ElemStatus
parse_header (const guint8 *p, gsize avail, guint64 offset, Elem *e)
{
  guint id_len = 1, size_len = 1;
  guint64 size;

  if (avail < 1)
    return ELEM_TRUNCATED;
  if (p[0] < 0x10)
    return ELEM_BAD;                    /* IDs are 1 to 4 bytes long */
  while (!(p[0] & (0x80 >> (id_len - 1))))
    id_len++;
  if (avail < id_len + 1)
    return ELEM_TRUNCATED;
  e->id = 0;
  for (guint i = 0; i < id_len; i++)
    e->id = (e->id << 8) | p[i];

  if (p[id_len] == 0)
    return ELEM_BAD;                    /* sizes are 1 to 8 bytes long */
  while (!(p[id_len] & (0x80 >> (size_len - 1))))
    size_len++;
  if (avail < id_len + size_len)
    return ELEM_TRUNCATED;
  size = p[id_len] & (0xFF >> size_len);
  for (guint i = 1; i < size_len; i++)
    size = (size << 8) | p[id_len + i];
  e->size = size == (G_GUINT64_CONSTANT (1) << (7 * size_len)) - 1 ? VG_MKV_UNKNOWN_SIZE : size;
  e->offset = offset;
  e->data = offset + id_len + size_len;
  return ELEM_OK;
}

/* The element header at pos, which must end before end; its size is not checked. */
static ElemStatus
read_elem_head (VgMkvReader *self, guint64 pos, guint64 end, Elem *e)
{
  guint8 head[12];
  gsize avail;

  if (pos >= end)
    return ELEM_TRUNCATED;
  avail = MIN ((guint64) sizeof head, end - pos);
  if (!read_at (self, pos, head, avail))
    return ELEM_TRUNCATED;
  return parse_header (head, avail, pos, e);
}

static gboolean
elem_fits (const Elem *e, guint64 end)
{
  return e->size != VG_MKV_UNKNOWN_SIZE && e->data <= end && e->size <= end - e->data;
}

/* Likewise, and an element of known size must end before end too (else it is
 * ELEM_TRUNCATED). */
static ElemStatus
read_elem (VgMkvReader *self, guint64 pos, guint64 end, Elem *e)
{
  ElemStatus status = read_elem_head (self, pos, end, e);

  if (status == ELEM_OK && e->size != VG_MKV_UNKNOWN_SIZE && !elem_fits (e, end))
    return ELEM_TRUNCATED;
  return status;
}

/* Children of an element held in memory: 1 with the next one, 0 at the end, -1 when
 * malformed. */
static int
mem_next (const guint8 *data, gsize size, gsize *pos, Elem *child)
{
  if (*pos >= size)
    return 0;
  if (parse_header (data + *pos, size - *pos, *pos, child) != ELEM_OK ||
      child->size == VG_MKV_UNKNOWN_SIZE || child->size > size - child->data)
    return -1;
  *pos = child->data + child->size;
  return 1;
}

static guint64
mem_uint (const guint8 *data, const Elem *e)
{
  guint64 v = 0;

  for (guint64 i = 0; i < e->size && i < 8; i++)
    v = (v << 8) | data[e->data + i];
  return v;
}

static double
mem_float (const guint8 *data, const Elem *e)
{
  guint64 bits = mem_uint (data, e);

  if (e->size == 4)
    {
      guint32 bits32 = bits;
      float f;

      memcpy (&f, &bits32, sizeof f);
      return f;
    }
  if (e->size == 8)
    {
      double d;

      memcpy (&d, &bits, sizeof d);
      return d;
    }
  return 0;
}

static gboolean
is_top_level (guint32 id)
{
  return id == VG_MKV_ID_CLUSTER || id == VG_MKV_ID_CUES || id == VG_MKV_ID_TAGS || id == VG_MKV_ID_INFO ||
         id == VG_MKV_ID_TRACKS || id == VG_MKV_ID_SEEK_HEAD || id == VG_MKV_ID_CHAPTERS ||
         id == VG_MKV_ID_ATTACHMENTS || id == VG_MKV_ID_SEGMENT || id == VG_MKV_ID_EBML;
}

/* ---- header -------------------------------------------------------------- */

static guint8 *
read_element_data (VgMkvReader *self, const Elem *e)
{
  guint8 *data = g_malloc (MAX (e->size, 1));

  if (!read_at (self, e->data, data, e->size))
    g_clear_pointer (&data, g_free);
  return data;
}

static gboolean
parse_doc_type (const guint8 *data, gsize size)
{
  gsize pos = 0;
  Elem e;
  int r;

  while ((r = mem_next (data, size, &pos, &e)) > 0)
    if (e.id == VG_MKV_ID_DOC_TYPE)
      return (e.size == 8 && memcmp (data + e.data, "matroska", 8) == 0) ||
             (e.size == 4 && memcmp (data + e.data, "webm", 4) == 0);
  return FALSE;
}

static gboolean
parse_info (VgMkvReader *self, const guint8 *data, gsize size)
{
  gsize pos = 0;
  Elem e;
  int r;

  while ((r = mem_next (data, size, &pos, &e)) > 0)
    {
      if (e.id == VG_MKV_ID_TIMESTAMP_SCALE && e.size >= 1 && e.size <= 8)
        self->scale = mem_uint (data, &e);
      else if (e.id == VG_MKV_ID_DATE_UTC && e.size == 8)
        self->start_us = VG_MKV_EPOCH_US + (gint64) mem_uint (data, &e) / 1000;
    }
  return r == 0 && self->scale >= 1 && self->scale <= 1000000000;
}

static VgCodec
codec_from_id (const char *codec_id, GBytes *codec_private)
{
  if (g_str_equal (codec_id, "V_MPEG4/ISO/AVC"))
    return VG_CODEC_H264;
  if (g_str_equal (codec_id, "V_MPEGH/ISO/HEVC"))
    return VG_CODEC_H265;
  if (g_str_equal (codec_id, "V_MJPEG"))
    return VG_CODEC_JPEG;
  if (g_str_has_prefix (codec_id, "V_MPEG4/ISO/"))
    return VG_CODEC_MPEG4;
  if (g_str_has_prefix (codec_id, "A_AAC"))
    return VG_CODEC_AAC;
  if (g_str_equal (codec_id, "A_MS/ACM") && codec_private &&
      g_bytes_get_size (codec_private) >= 16)
    {
      const guint8 *wf = g_bytes_get_data (codec_private, NULL);
      guint tag = wf[0] | (wf[1] << 8);

      return tag == 6 ? VG_CODEC_PCMA : tag == 7 ? VG_CODEC_PCMU : VG_CODEC_NONE;
    }
  return VG_CODEC_NONE;
}

static gboolean
parse_track_entry (VgMkvReader *self, const guint8 *data, gsize size)
{
  g_autoptr(VgTrackInfo) info = g_new0 (VgTrackInfo, 1);
  g_autofree char *codec_id = NULL;
  guint64 number = 0, type = 0;
  TrackExtra *extra;
  gsize pos = 0, sub_pos;
  Elem e, s;
  int r, sr;

  while ((r = mem_next (data, size, &pos, &e)) > 0)
    switch (e.id)
      {
      case VG_MKV_ID_TRACK_NUMBER:
        number = mem_uint (data, &e);
        break;
      case VG_MKV_ID_TRACK_TYPE:
        type = mem_uint (data, &e);
        break;
      case VG_MKV_ID_CODEC_ID:
        g_free (codec_id);
        codec_id = g_strndup ((const char *) data + e.data, e.size);
        break;
      case VG_MKV_ID_CODEC_PRIVATE:
        g_clear_pointer (&info->codec_private, g_bytes_unref);
        info->codec_private = g_bytes_new (data + e.data, e.size);
        break;
      case VG_MKV_ID_VIDEO:
      case VG_MKV_ID_AUDIO:
        sub_pos = 0;
        while ((sr = mem_next (data + e.data, e.size, &sub_pos, &s)) > 0)
          {
            const guint8 *sub = data + e.data;

            if (s.id == VG_MKV_ID_PIXEL_WIDTH)
              info->width = MIN (mem_uint (sub, &s), G_MAXUINT);
            else if (s.id == VG_MKV_ID_PIXEL_HEIGHT)
              info->height = MIN (mem_uint (sub, &s), G_MAXUINT);
            else if (s.id == VG_MKV_ID_SAMPLING_FREQUENCY)
              {
                double rate = mem_float (sub, &s);

                info->sample_rate = rate >= 1 && rate < 10000000 ? (guint) rate : 0;
              }
            else if (s.id == VG_MKV_ID_CHANNELS)
              info->channels = MIN (mem_uint (sub, &s), G_MAXUINT);
          }
        if (sr < 0)
          return FALSE;
        break;
      default:
        break;
      }
  if (r < 0 || number == 0 || codec_id == NULL || self->tracks->len >= MAX_TRACKS)
    return FALSE;

  info->codec = codec_from_id (codec_id, info->codec_private);
  info->track = MIN (number - 1, G_MAXUINT);
  extra = &self->extra[self->tracks->len];
  extra->number = number;
  extra->nal_length_size = 4;
  if (info->codec == VG_CODEC_PCMA || info->codec == VG_CODEC_PCMU)
    {
      const guint8 *wf = g_bytes_get_data (info->codec_private, NULL);

      if (info->channels == 0)
        info->channels = wf[2] | (wf[3] << 8);
      if (info->sample_rate == 0)
        info->sample_rate = wf[4] | (wf[5] << 8) | (wf[6] << 16) | ((guint) wf[7] << 24);
      g_clear_pointer (&info->codec_private, g_bytes_unref);  /* not what VgTrackInfo means */
    }
  if (info->codec == VG_CODEC_H264 || info->codec == VG_CODEC_H265)
    {
      gsize config_size = 0;
      const guint8 *config = info->codec_private ? g_bytes_get_data (info->codec_private,
                                                                     &config_size) : NULL;
      gsize at = info->codec == VG_CODEC_H264 ? 4 : 21;

      if (config_size > at)
        extra->nal_length_size = (config[at] & 3) + 1;
    }
  if (type == 1 && self->video < 0)
    self->video = self->tracks->len;
  g_ptr_array_add (self->tracks, g_steal_pointer (&info));
  return TRUE;
}

static gboolean
parse_tracks (VgMkvReader *self, const guint8 *data, gsize size)
{
  gsize pos = 0;
  Elem e;
  int r;

  while ((r = mem_next (data, size, &pos, &e)) > 0)
    if (e.id == VG_MKV_ID_TRACK_ENTRY && !parse_track_entry (self, data + e.data, e.size))
      return FALSE;
  return r == 0 && self->tracks->len > 0;
}

static gboolean
set_read_error (VgMkvReader *self, GError **error)
{
  if (self->read_errno == 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (self->read_errno),
               "Cannot read “%s”: %s", self->path, g_strerror (self->read_errno));
  return TRUE;
}

static gboolean
header_error (VgMkvReader *self, ElemStatus status, const char *what, GError **error)
{
  if (set_read_error (self, error))
    return FALSE;
  if (status == ELEM_TRUNCATED)
    g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY,
                 "“%s” ends in its header: nothing was recorded in it", self->path);
  else
    g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID,
                 "“%s” is not a Matroska file we can read (%s)", self->path, what);
  return FALSE;
}

static gboolean
parse_header_elements (VgMkvReader *self, GError **error)
{
  static const guint8 magic[4] = { 0x1A, 0x45, 0xDF, 0xA3 };
  guint8 start[4];
  g_autofree guint8 *data = NULL;
  gboolean have_info = FALSE, have_tracks = FALSE;
  ElemStatus status;
  guint64 pos;
  Elem e;

  if (self->size == 0)
    {
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY,
                   "“%s” is empty: nothing was recorded in it", self->path);
      return FALSE;
    }
  /* a file cut inside the magic number is still one of ours */
  if (read_at (self, 0, start, MIN (self->size, 4)) &&
      memcmp (start, magic, MIN (self->size, 4)) != 0)
    return header_error (self, ELEM_BAD, "no EBML header", error);

  status = read_elem (self, 0, self->size, &e);
  if (status != ELEM_OK)
    return header_error (self, status, "no EBML header", error);
  if (e.size == VG_MKV_UNKNOWN_SIZE || e.size > 4096)
    return header_error (self, ELEM_BAD, "EBML header size", error);
  data = read_element_data (self, &e);
  if (data == NULL)
    return header_error (self, ELEM_TRUNCATED, NULL, error);
  if (!parse_doc_type (data, e.size))
    return header_error (self, ELEM_BAD, "not a Matroska DocType", error);
  g_clear_pointer (&data, g_free);

  /* the Segment, after possible Void elements */
  pos = e.data + e.size;
  for (;;)
    {
      /* a Segment of known size in a cut file is read up to the cut */
      status = read_elem_head (self, pos, self->size, &e);
      if (status != ELEM_OK)
        return header_error (self, status, "no Segment", error);
      if (e.id == VG_MKV_ID_SEGMENT)
        break;
      if ((e.id != VG_MKV_ID_VOID && e.id != VG_MKV_ID_CRC32) || e.size == VG_MKV_UNKNOWN_SIZE)
        return header_error (self, ELEM_BAD, "no Segment", error);
      if (!elem_fits (&e, self->size))
        return header_error (self, ELEM_TRUNCATED, NULL, error);
      pos = e.data + e.size;
    }
  self->segment_end = e.size == VG_MKV_UNKNOWN_SIZE || e.size > self->size - e.data
                        ? self->size : e.data + e.size;

  /* Info and Tracks, up to the first Cluster */
  for (pos = e.data;; pos = e.data + e.size)
    {
      status = read_elem (self, pos, self->segment_end, &e);
      if (status != ELEM_OK || e.id == VG_MKV_ID_CLUSTER)
        {
          if (have_tracks)
            break;
          return header_error (self, status, "no Tracks before the first Cluster", error);
        }
      if (e.size == VG_MKV_UNKNOWN_SIZE)
        {
          if (have_tracks)
            break;
          return header_error (self, ELEM_BAD, "header element of unknown size", error);
        }
      if ((e.id == VG_MKV_ID_INFO && !have_info) || (e.id == VG_MKV_ID_TRACKS && !have_tracks))
        {
          gboolean ok;

          if (e.size > MAX_HEADER_ELEMENT)
            return header_error (self, ELEM_BAD, "header element too large", error);
          data = read_element_data (self, &e);
          if (data == NULL)
            return header_error (self, ELEM_TRUNCATED, NULL, error);
          if (e.id == VG_MKV_ID_INFO)
            ok = have_info = parse_info (self, data, e.size);
          else
            ok = have_tracks = parse_tracks (self, data, e.size);
          g_clear_pointer (&data, g_free);
          if (!ok)
            return header_error (self, ELEM_BAD, e.id == VG_MKV_ID_INFO ? "Info" : "Tracks", error);
        }
    }
  self->header_length = pos;
  return TRUE;
}

VgMkvReader *
vg_mkv_reader_open (const char *path, GError **error)
{
  g_autoptr(VgMkvReader) self = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (VgMkvReader, 1);
  self->path = g_strdup (path);
  self->window = g_malloc (WINDOW_SIZE);
  self->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_track_info_free);
  self->video = -1;
  self->scale = 1000000;
  self->start_us = VG_MKV_EPOCH_US;
  self->fd = open (path, O_RDONLY | O_CLOEXEC);
  if (self->fd < 0 || fstat (self->fd, &st) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open “%s”: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID, "“%s” is not a file", path);
      return NULL;
    }
  self->size = st.st_size;
  if (!parse_header_elements (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
vg_mkv_reader_free (VgMkvReader *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  g_ptr_array_unref (self->tracks);
  g_free (self->window);
  g_free (self->path);
  g_free (self);
}

guint
vg_mkv_reader_get_n_tracks (VgMkvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tracks->len;
}

const VgTrackInfo *
vg_mkv_reader_get_track (VgMkvReader *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->tracks->len, NULL);
  return self->tracks->pdata[index];
}

gint64
vg_mkv_reader_get_start_time (VgMkvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->start_us;
}

guint64
vg_mkv_reader_get_file_size (VgMkvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

guint64
vg_mkv_reader_get_header_length (VgMkvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->header_length;
}

/* ---- clusters ------------------------------------------------------------ */

typedef struct
{
  guint    track;               /* index in self->tracks */
  gint64   time_us;
  gboolean keyframe;
  gboolean laced;
  guint    n_frames;
  guint64  data;                /* frame data, after the block header */
  guint64  data_size;
  guint64  end;                 /* end of the block element */
} Block;

/* Returns FALSE to stop the walk. */
typedef gboolean (*BlockFunc) (VgMkvReader *self, const Block *block, gpointer user_data);

/* The writer's checks on a unit's data (VgMkvWriter), on the file. */
static gboolean
block_data_valid (VgMkvReader *self, const Block *block)
{
  const VgTrackInfo *info = self->tracks->pdata[block->track];
  guint8 bytes[8];

  if (block->laced)
    return TRUE;
  switch (info->codec)
    {
    case VG_CODEC_H264:
    case VG_CODEC_H265:
      {
        guint nls = self->extra[block->track].nal_length_size;
        guint64 pos = 0;

        if (block->data_size == 0)
          return FALSE;
        while (pos < block->data_size)
          {
            guint64 len = 0;

            if (block->data_size - pos < nls + 1 ||
                !read_at (self, block->data + pos, bytes, nls + 1))
              return FALSE;
            for (guint i = 0; i < nls; i++)
              len = (len << 8) | bytes[i];
            if (len == 0 || len > block->data_size - pos - nls || (bytes[nls] & 0x80))
              return FALSE;
            pos += nls + len;
          }
        return TRUE;
      }
    case VG_CODEC_JPEG:
      return block->data_size >= 2 && read_at (self, block->data, bytes, 2) &&
             bytes[0] == 0xFF && bytes[1] == 0xD8;
    default:
      return block->data_size > 0;
    }
}

/* Parses the (Simple)Block whose data is e; FALSE when it is not a valid block. */
static gboolean
parse_block (VgMkvReader *self, const Elem *e, guint64 cluster_time, gboolean simple,
             Block *block)
{
  guint8 head[12];
  gsize avail = MIN ((guint64) sizeof head, e->size);
  guint len = 1, flags;
  guint64 number;
  gint64 ticks;

  if (avail < 4 || !read_at (self, e->data, head, avail) || head[0] == 0)
    return FALSE;
  while (!(head[0] & (0x80 >> (len - 1))))
    len++;
  if (avail < len + 3)
    return FALSE;
  number = head[0] & (0xFF >> len);
  for (guint i = 1; i < len; i++)
    number = (number << 8) | head[i];
  for (block->track = 0; block->track < self->tracks->len; block->track++)
    if (self->extra[block->track].number == number)
      break;
  if (block->track == self->tracks->len)
    return FALSE;

  ticks = (gint64) cluster_time + (gint16) ((head[len] << 8) | head[len + 1]);
  if (ticks > G_MAXINT64 / 2 / (gint64) self->scale)
    return FALSE;
  block->time_us = self->start_us + ticks * (gint64) self->scale / 1000;
  flags = head[len + 2];
  block->keyframe = simple ? (flags & 0x80) != 0 : TRUE;
  block->laced = (flags & 0x06) != 0;
  block->n_frames = 1;
  block->data = e->data + len + 3;
  if (block->laced)
    {
      if (avail < len + 4)
        return FALSE;
      block->n_frames = head[len + 3] + 1;
      block->data++;
    }
  block->data_size = e->data + e->size - block->data;
  block->end = e->data + e->size;
  return TRUE;
}

typedef enum {
  CLUSTER_DONE,                 /* ended where it should: the next element follows */
  CLUSTER_STOP,                 /* truncated or garbage: nothing valid follows */
} ClusterEnd;

/* Walks the Cluster e, calling func on each complete block; *end receives where the
 * walk ended (the next element, or the end of the last complete child). */
static ClusterEnd
walk_cluster (VgMkvReader *self, const Elem *cluster, BlockFunc func, gpointer user_data,
              guint64 *end)
{
  guint64 cluster_end, pos, cluster_time = 0;
  gboolean have_time = FALSE;
  Elem e;

  /* a Cluster of known size in a cut file is read up to the cut */
  cluster_end = elem_fits (cluster, self->segment_end) ? cluster->data + cluster->size
                                                        : self->segment_end;
  for (pos = cluster->data; pos < cluster_end; pos = e.data + e.size)
    {
      Block block;

      *end = pos;
      if (read_elem (self, pos, cluster_end, &e) != ELEM_OK)
        return CLUSTER_STOP;
      if (cluster->size == VG_MKV_UNKNOWN_SIZE && is_top_level (e.id))
        return CLUSTER_DONE;
      if (e.size == VG_MKV_UNKNOWN_SIZE)
        return CLUSTER_STOP;
      switch (e.id)
        {
        case VG_MKV_ID_TIMESTAMP:
          {
            guint8 bytes[8];

            if (e.size > 8 || !read_at (self, e.data, bytes, e.size))
              return CLUSTER_STOP;
            cluster_time = 0;
            for (guint64 i = 0; i < e.size; i++)
              cluster_time = (cluster_time << 8) | bytes[i];
            if (cluster_time > G_GUINT64_CONSTANT (1) << 52)
              return CLUSTER_STOP;
            have_time = TRUE;
          }
          break;

        case VG_MKV_ID_SIMPLE_BLOCK:
          if (!have_time || !parse_block (self, &e, cluster_time, TRUE, &block) ||
              !block_data_valid (self, &block) || !func (self, &block, user_data))
            return CLUSTER_STOP;
          break;

        case VG_MKV_ID_BLOCK_GROUP:
          {
            gboolean have_block = FALSE, referenced = FALSE;
            Elem child, block_elem = { 0 };

            if (!have_time)
              return CLUSTER_STOP;
            for (guint64 p = e.data; p < e.data + e.size; p = child.data + child.size)
              {
                if (read_elem (self, p, e.data + e.size, &child) != ELEM_OK ||
                    child.size == VG_MKV_UNKNOWN_SIZE)
                  return CLUSTER_STOP;
                if (child.id == VG_MKV_ID_BLOCK)
                  {
                    block_elem = child;
                    have_block = TRUE;
                  }
                else if (child.id == VG_MKV_ID_REFERENCE_BLOCK)
                  referenced = TRUE;
              }
            if (!have_block || !parse_block (self, &block_elem, cluster_time, FALSE, &block))
              return CLUSTER_STOP;
            block.keyframe = !referenced;
            block.end = e.data + e.size;
            if (!block_data_valid (self, &block) || !func (self, &block, user_data))
              return CLUSTER_STOP;
            break;
          }

        case VG_MKV_ID_VOID:
        case VG_MKV_ID_CRC32:
        case VG_MKV_ID_POSITION:
        case VG_MKV_ID_PREV_SIZE:
        case VG_MKV_ID_SILENT_TRACKS:
        case VG_MKV_ID_ENCRYPTED_BLOCK:
          break;

        default:
          return CLUSTER_STOP;
        }
    }
  *end = pos;
  return CLUSTER_DONE;
}

typedef struct
{
  VgMkvScan *scan;
  guint64    cluster_offset;
  gboolean   video_seen;        /* in this Cluster */
} ScanState;

static gboolean
scan_block (VgMkvReader *self, const Block *block, gpointer user_data)
{
  ScanState *state = user_data;
  VgMkvScan *scan = state->scan;

  if ((gint) block->track == self->video)
    {
      if (!state->video_seen && block->keyframe)
        {
          VgMkvKeyframe entry = { block->time_us, state->cluster_offset };

          g_array_append_val (scan->keyframes, entry);
        }
      state->video_seen = TRUE;
      scan->n_frames += block->n_frames;
    }
  if (scan->n_blocks == 0 || block->time_us < scan->first_time_us)
    scan->first_time_us = block->time_us;
  if (scan->n_blocks == 0 || block->time_us > scan->last_time_us)
    scan->last_time_us = block->time_us;
  scan->n_blocks++;
  scan->valid_length = block->end;
  return TRUE;
}

static gboolean
is_skippable (guint32 id)
{
  return id == VG_MKV_ID_CUES || id == VG_MKV_ID_TAGS || id == VG_MKV_ID_SEEK_HEAD || id == VG_MKV_ID_CHAPTERS ||
         id == VG_MKV_ID_ATTACHMENTS || id == VG_MKV_ID_VOID || id == VG_MKV_ID_CRC32 || id == VG_MKV_ID_INFO ||
         id == VG_MKV_ID_TRACKS;
}

VgMkvScan *
vg_mkv_reader_scan (VgMkvReader *self, GError **error)
{
  g_autoptr(VgMkvScan) scan = g_new0 (VgMkvScan, 1);
  ScanState state = { scan, 0, FALSE };
  guint64 pos = self->header_length;
  Elem e;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scan->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_track_info_free);
  for (guint i = 0; i < self->tracks->len; i++)
    g_ptr_array_add (scan->tracks, vg_track_info_copy (self->tracks->pdata[i]));
  scan->keyframes = g_array_new (FALSE, FALSE, sizeof (VgMkvKeyframe));
  scan->start_time_us = self->start_us;
  scan->header_length = self->header_length;
  scan->valid_length = self->header_length;
  scan->file_size = self->size;

  while (read_elem_head (self, pos, self->segment_end, &e) == ELEM_OK)
    {
      if (e.id == VG_MKV_ID_CLUSTER)
        {
          state.cluster_offset = pos;
          state.video_seen = FALSE;
          if (walk_cluster (self, &e, scan_block, &state, &pos) != CLUSTER_DONE)
            break;
        }
      else if (is_skippable (e.id) && elem_fits (&e, self->segment_end))
        pos = e.data + e.size;
      else
        break;
    }
  if (set_read_error (self, error))
    return NULL;
  return g_steal_pointer (&scan);
}

VgMkvScan *
vg_mkv_scan_file (const char *path, GError **error)
{
  g_autoptr(VgMkvReader) reader = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  reader = vg_mkv_reader_open (path, error);
  return reader ? vg_mkv_reader_scan (reader, error) : NULL;
}

void
vg_mkv_scan_free (VgMkvScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->tracks, g_ptr_array_unref);
  g_clear_pointer (&scan->keyframes, g_array_unref);
  g_free (scan);
}

static gboolean
collect_block (VgMkvReader *self, const Block *block, gpointer user_data)
{
  GPtrArray *units = user_data;
  const VgTrackInfo *info = self->tracks->pdata[block->track];
  guint8 *data;
  VgAccessUnit *unit;

  if (block->laced)
    return TRUE;
  data = g_malloc (MAX (block->data_size, 1));
  if (!read_at (self, block->data, data, block->data_size))
    {
      g_free (data);
      return FALSE;
    }
  unit = vg_access_unit_new_take (info->codec, data, block->data_size);
  unit->track = info->track;
  unit->time_us = block->time_us;
  unit->keyframe = block->keyframe || !vg_codec_is_video (info->codec);
  g_ptr_array_add (units, unit);
  return TRUE;
}

GPtrArray *
vg_mkv_reader_read_cluster (VgMkvReader *self, guint64 offset, guint64 *next_offset,
                            GError **error)
{
  g_autoptr(GPtrArray) units = NULL;
  guint64 end;
  Elem e;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (next_offset)
    *next_offset = 0;
  if (offset < self->header_length ||
      read_elem_head (self, offset, self->segment_end, &e) != ELEM_OK ||
      e.id != VG_MKV_ID_CLUSTER)
    {
      if (!set_read_error (self, error))
        g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID,
                     "No Cluster at offset %" G_GUINT64_FORMAT " of “%s”", offset, self->path);
      return NULL;
    }
  units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  if (walk_cluster (self, &e, collect_block, units, &end) == CLUSTER_DONE && next_offset &&
      read_elem_head (self, end, self->segment_end, &e) == ELEM_OK && e.id == VG_MKV_ID_CLUSTER)
    *next_offset = end;
  if (set_read_error (self, error))
    return NULL;
  return g_steal_pointer (&units);
}
