/* vg-mkv-writer.c: Matroska segments written once, front to back, that survive a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-mkv-writer.h"
#include "vg-matroska.h"

#include <gio/gio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

G_DEFINE_QUARK (vg-mkv-error-quark, vg_mkv_error)

/* Latest time whose DateUTC (ns from 2001) fits in 64 bits: year 2255 */
#define MAX_TIME_US G_GINT64_CONSTANT (9000000000000000)
#define FLUSH_SIZE (64 * 1024)
#define MAX_TRACKS 16
/* A picture this close behind the previous one is moved just after it. */
#define SMALL_STEP_BACK_MS 1000

typedef struct
{
  VgTrackInfo *info;
  const char  *codec_id;
  GBytes      *codec_private;   /* audio: known at creation; video: at the first keyframe */
  double       sample_rate;
  guint        channels;
} Track;

struct _VgMkvWriter
{
  char       *path;
  int         fd;               /* -1 once closed, or when writing to a sink */
  VgMkvSinkFunc sink;           /* instead of fd: no fdatasync */
  gpointer    sink_data;
  gboolean    open;             /* not closed yet */
  gint64      present_start_us; /* vg_mkv_writer_set_presentation, 0: none */
  gint64      present_end_us;
  Track       tracks[MAX_TRACKS];
  guint       n_tracks;
  guint       video;            /* index of the video track */
  guint       width, height;    /* video, 0 when unknown */

  GByteArray *buf;              /* bytes not yet handed to write() */
  guint64     flushed;          /* bytes handed to write() */
  GError     *failure;          /* sticky I/O error */

  gboolean    started;          /* header written: first keyframe seen */
  gboolean    in_cluster;
  gint64      start_us;         /* first keyframe's time = DateUTC */
  gint64      cluster_ms;       /* current Cluster's time, ms from start_us */
  gint64      min_ms, max_ms;   /* block times written */
  gint64      last_ms[MAX_TRACKS]; /* of each track's last block */
  guint64     n_frames, n_dropped;
  GArray     *keyframes;        /* VgMkvKeyframe */

  /* What the file held after the last complete flush (it ends on a whole block):
   * a failed write (disk full) cuts the file back to it, and the writer reports it. */
  struct {
    guint64   size;
    guint64   n_frames;
    gint64    max_ms;
    guint     n_keyframes;
  } durable;
};

/* ---- EBML output ---------------------------------------------------------- */

static void
put_id (GByteArray *b, guint32 id)
{
  guint8 bytes[4];
  guint n = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;

  for (guint i = 0; i < n; i++)
    bytes[i] = id >> (8 * (n - 1 - i));
  g_byte_array_append (b, bytes, n);
}

static void
put_size (GByteArray *b, guint64 size)
{
  guint8 bytes[8];
  guint n = 1;

  g_assert (size < (G_GUINT64_CONSTANT (1) << 56) - 1);
  /* a size whose value bits are all ones means "unknown": use one more byte then */
  while (size >= (G_GUINT64_CONSTANT (1) << (7 * n)) - 1)
    n++;
  for (guint i = 0; i < n; i++)
    bytes[i] = size >> (8 * (n - 1 - i));
  bytes[0] |= 0x80 >> (n - 1);
  g_byte_array_append (b, bytes, n);
}

static void
put_unknown_size (GByteArray *b)
{
  static const guint8 unknown[8] = { 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

  g_byte_array_append (b, unknown, sizeof unknown);
}

static void
put_be (GByteArray *b, guint64 value, guint n)
{
  guint8 bytes[8];

  for (guint i = 0; i < n; i++)
    bytes[i] = value >> (8 * (n - 1 - i));
  g_byte_array_append (b, bytes, n);
}

static void
put_uint (GByteArray *b, guint32 id, guint64 value)
{
  guint n = 1;

  while (n < 8 && (value >> (8 * n)) != 0)
    n++;
  put_id (b, id);
  put_size (b, n);
  put_be (b, value, n);
}

static void
put_bytes (GByteArray *b, guint32 id, const void *data, gsize size)
{
  put_id (b, id);
  put_size (b, size);
  g_byte_array_append (b, data, size);
}

static void
put_string (GByteArray *b, guint32 id, const char *string)
{
  put_bytes (b, id, string, strlen (string));
}

static void
put_float (GByteArray *b, guint32 id, double value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);
  put_id (b, id);
  put_size (b, 8);
  put_be (b, bits, 8);
}

static void
put_master (GByteArray *b, guint32 id, GByteArray *children)
{
  put_bytes (b, id, children->data, children->len);
}

/* ---- bit reading, for parameter sets -------------------------------------- */

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         bit;
  gboolean      overrun;
} BitReader;

static guint32
br_bits (BitReader *br, guint n)
{
  guint32 value = 0;

  g_assert (n <= 32);
  for (guint i = 0; i < n; i++)
    {
      if (br->bit >= br->size * 8)
        {
          br->overrun = TRUE;
          return 0;
        }
      value = (value << 1) | ((br->data[br->bit / 8] >> (7 - br->bit % 8)) & 1);
      br->bit++;
    }
  return value;
}

static guint32
br_ue (BitReader *br)
{
  guint zeros = 0;

  while (br_bits (br, 1) == 0)
    {
      if (br->overrun || ++zeros > 31)
        {
          br->overrun = TRUE;
          return 0;
        }
    }
  return (guint32) ((G_GUINT64_CONSTANT (1) << zeros) - 1 + br_bits (br, zeros));
}

static gint32
br_se (BitReader *br)
{
  guint32 v = br_ue (br);

  return (v & 1) ? (gint32) ((v + 1) / 2) : -(gint32) (v / 2);
}

/* The RBSP of a NAL unit (emulation prevention bytes removed), at most max bytes. */
static GByteArray *
nal_to_rbsp (const guint8 *nal, gsize size, gsize max)
{
  GByteArray *rbsp = g_byte_array_sized_new (MIN (size, max));
  guint zeros = 0;

  for (gsize i = 0; i < size && rbsp->len < max; i++)
    {
      if (zeros >= 2 && nal[i] == 3)
        {
          zeros = 0;
          continue;
        }
      zeros = nal[i] == 0 ? zeros + 1 : 0;
      g_byte_array_append (rbsp, &nal[i], 1);
    }
  return rbsp;
}

static gboolean
h264_sps_dimensions (const guint8 *nal, gsize size, guint *width, guint *height)
{
  g_autoptr(GByteArray) rbsp = NULL;
  BitReader br = { 0 };
  guint profile, chroma = 1, separate = 0, poc_type, frame_mbs_only;
  guint64 mbs_w, map_h, crop[4] = { 0 }, unit_x, unit_y, w, h;

  if (size < 4)
    return FALSE;
  rbsp = nal_to_rbsp (nal + 1, size - 1, 1024);
  br.data = rbsp->data;
  br.size = rbsp->len;
  profile = br_bits (&br, 8);
  br_bits (&br, 16);                    /* constraint flags, level */
  br_ue (&br);                          /* seq_parameter_set_id */
  if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
      profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138 ||
      profile == 139 || profile == 134 || profile == 135)
    {
      chroma = br_ue (&br);
      if (chroma == 3)
        separate = br_bits (&br, 1);
      br_ue (&br);                      /* bit_depth_luma_minus8 */
      br_ue (&br);                      /* bit_depth_chroma_minus8 */
      br_bits (&br, 1);                 /* qpprime_y_zero_transform_bypass_flag */
      if (br_bits (&br, 1))             /* seq_scaling_matrix_present_flag */
        for (guint i = 0; i < (chroma != 3 ? 8u : 12u) && !br.overrun; i++)
          if (br_bits (&br, 1))
            {
              gint last = 8, next = 8;

              for (guint j = 0; j < (i < 6 ? 16u : 64u) && !br.overrun; j++)
                {
                  if (next != 0)
                    next = (last + br_se (&br) + 256) % 256;
                  last = next == 0 ? last : next;
                }
            }
    }
  br_ue (&br);                          /* log2_max_frame_num_minus4 */
  poc_type = br_ue (&br);
  if (poc_type == 0)
    br_ue (&br);
  else if (poc_type == 1)
    {
      guint n;

      br_bits (&br, 1);
      br_se (&br);
      br_se (&br);
      n = br_ue (&br);
      if (n > 255)
        return FALSE;
      for (guint i = 0; i < n; i++)
        br_se (&br);
    }
  br_ue (&br);                          /* max_num_ref_frames */
  br_bits (&br, 1);                     /* gaps_in_frame_num_value_allowed_flag */
  mbs_w = (guint64) br_ue (&br) + 1;
  map_h = (guint64) br_ue (&br) + 1;
  frame_mbs_only = br_bits (&br, 1);
  if (!frame_mbs_only)
    br_bits (&br, 1);                   /* mb_adaptive_frame_field_flag */
  br_bits (&br, 1);                     /* direct_8x8_inference_flag */
  if (br_bits (&br, 1))                 /* frame_cropping_flag */
    for (guint i = 0; i < 4; i++)
      crop[i] = br_ue (&br);
  if (br.overrun || chroma > 3)
    return FALSE;

  unit_x = 1;
  unit_y = 2 - frame_mbs_only;
  if (chroma != 0 && !separate)
    {
      unit_x = chroma == 3 ? 1 : 2;
      unit_y *= chroma == 1 ? 2 : 1;
    }
  w = mbs_w * 16;
  h = (2 - frame_mbs_only) * map_h * 16;
  if (unit_x * (crop[0] + crop[1]) >= w || unit_y * (crop[2] + crop[3]) >= h)
    return FALSE;
  w -= unit_x * (crop[0] + crop[1]);
  h -= unit_y * (crop[2] + crop[3]);
  if (w > 16384 || h > 16384)
    return FALSE;
  *width = w;
  *height = h;
  return TRUE;
}

typedef struct
{
  guint8   ptl[12];             /* general profile_tier_level, as in the hvcC */
  guint    max_sub_layers;
  gboolean temporal_id_nesting;
  guint    chroma, depth_luma, depth_chroma;
  guint    width, height;
} H265Sps;

static gboolean
h265_sps_parse (const guint8 *nal, gsize size, H265Sps *sps)
{
  g_autoptr(GByteArray) rbsp = NULL;
  BitReader br = { 0 };
  gboolean sub_profile[8], sub_level[8];
  guint msl, separate = 0;
  guint64 w, h, crop[4] = { 0 }, sub_w, sub_h;

  if (size < 16)
    return FALSE;
  rbsp = nal_to_rbsp (nal + 2, size - 2, 1024);
  br.data = rbsp->data;
  br.size = rbsp->len;
  br_bits (&br, 4);                     /* sps_video_parameter_set_id */
  msl = br_bits (&br, 3);
  sps->max_sub_layers = msl + 1;
  sps->temporal_id_nesting = br_bits (&br, 1);
  for (guint i = 0; i < 12; i++)
    sps->ptl[i] = br_bits (&br, 8);
  for (guint i = 0; i < msl; i++)
    {
      sub_profile[i] = br_bits (&br, 1);
      sub_level[i] = br_bits (&br, 1);
    }
  if (msl > 0)
    for (guint i = msl; i < 8; i++)
      br_bits (&br, 2);
  for (guint i = 0; i < msl; i++)
    {
      if (sub_profile[i])
        {
          br_bits (&br, 32);
          br_bits (&br, 32);
          br_bits (&br, 24);
        }
      if (sub_level[i])
        br_bits (&br, 8);
    }
  br_ue (&br);                          /* sps_seq_parameter_set_id */
  sps->chroma = br_ue (&br);
  if (sps->chroma == 3)
    separate = br_bits (&br, 1);
  w = br_ue (&br);
  h = br_ue (&br);
  if (br_bits (&br, 1))                 /* conformance_window_flag */
    for (guint i = 0; i < 4; i++)
      crop[i] = br_ue (&br);
  sps->depth_luma = br_ue (&br);
  sps->depth_chroma = br_ue (&br);
  if (br.overrun || sps->chroma > 3 || sps->depth_luma > 8 || sps->depth_chroma > 8)
    return FALSE;

  sub_w = (sps->chroma == 1 || sps->chroma == 2) && !separate ? 2 : 1;
  sub_h = sps->chroma == 1 && !separate ? 2 : 1;
  if (sub_w * (crop[0] + crop[1]) >= w || sub_h * (crop[2] + crop[3]) >= h)
    return FALSE;
  w -= sub_w * (crop[0] + crop[1]);
  h -= sub_h * (crop[2] + crop[3]);
  if (w > 16384 || h > 16384)
    return FALSE;
  sps->width = w;
  sps->height = h;
  return TRUE;
}

/* The dimensions in an MPEG-4 part 2 video_object_layer header (after its start code). */
static gboolean
mpeg4_vol_dimensions (const guint8 *data, gsize size, guint *width, guint *height)
{
  BitReader br = { data, size, 0, FALSE };
  guint verid = 1, shape, resolution;

  br_bits (&br, 1);                     /* random_accessible_vol */
  br_bits (&br, 8);                     /* video_object_type_indication */
  if (br_bits (&br, 1))                 /* is_object_layer_identifier */
    {
      verid = br_bits (&br, 4);
      br_bits (&br, 3);
    }
  if (br_bits (&br, 4) == 15)           /* aspect_ratio_info: extended PAR */
    br_bits (&br, 16);
  if (br_bits (&br, 1))                 /* vol_control_parameters */
    {
      br_bits (&br, 3);                 /* chroma_format, low_delay */
      if (br_bits (&br, 1))             /* vbv_parameters */
        {
          br_bits (&br, 32);
          br_bits (&br, 32);
          br_bits (&br, 15);
        }
    }
  shape = br_bits (&br, 2);
  if (shape == 3 && verid != 1)
    br_bits (&br, 4);
  br_bits (&br, 1);                     /* marker */
  resolution = br_bits (&br, 16);
  br_bits (&br, 1);                     /* marker */
  if (br_bits (&br, 1))                 /* fixed_vop_rate */
    {
      guint bits = 1;

      while (bits < 16 && (1u << bits) < resolution)
        bits++;
      br_bits (&br, bits);
    }
  if (shape != 0)
    return FALSE;
  br_bits (&br, 1);
  *width = br_bits (&br, 13);
  br_bits (&br, 1);
  *height = br_bits (&br, 13);
  return !br.overrun && *width > 0 && *height > 0;
}

static gboolean
jpeg_dimensions (const guint8 *data, gsize size, guint *width, guint *height)
{
  gsize pos = 2;

  while (pos + 4 <= size && data[pos] == 0xFF)
    {
      guint8 marker = data[pos + 1];
      gsize length = ((gsize) data[pos + 2] << 8) | data[pos + 3];

      if (marker == 0xFF)
        {
          pos++;                        /* fill byte */
          continue;
        }
      if (marker == 0xDA || length < 2)
        return FALSE;                   /* start of scan before any frame header */
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
          marker != 0xCC)
        {
          if (pos + 9 > size)
            return FALSE;
          *height = (data[pos + 5] << 8) | data[pos + 6];
          *width = (data[pos + 7] << 8) | data[pos + 8];
          return *width > 0 && *height > 0;
        }
      pos += 2 + length;
    }
  return FALSE;
}

/* ---- codec configuration ------------------------------------------------- */

static inline guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Calls func on each NAL of an AVCC unit (already checked). */
typedef void (*NalFunc) (const guint8 *nal, gsize size, gpointer user_data);

static void
foreach_nal (const guint8 *data, gsize size, NalFunc func, gpointer user_data)
{
  for (gsize pos = 0; pos + 4 <= size;)
    {
      guint32 len = read_be32 (data + pos);

      func (data + pos + 4, len, user_data);
      pos += 4 + (gsize) len;
    }
}

typedef struct
{
  gboolean hevc;
  GPtrArray *sets[3];           /* H.264: SPS, PPS; H.265: VPS, SPS, PPS (borrowed, as GBytes) */
} ParamSets;

static void
collect_param_set (const guint8 *nal, gsize size, gpointer user_data)
{
  ParamSets *ps = user_data;
  int kind = -1;

  if (size > 0xFFFF)
    return;
  if (!ps->hevc && size >= 4)           /* an SPS's first bytes go into the avcC */
    kind = (nal[0] & 0x1F) == 7 ? 0 : (nal[0] & 0x1F) == 8 ? 1 : -1;
  else if (ps->hevc && size >= 2)
    {
      guint type = (nal[0] >> 1) & 0x3F;

      kind = type >= 32 && type <= 34 ? (int) type - 32 : -1;
    }
  if (kind >= 0 && ps->sets[kind]->len < 32)
    g_ptr_array_add (ps->sets[kind], g_bytes_new (nal, size));
}

static void
put_nal_list (GByteArray *b, GPtrArray *nals)
{
  for (guint i = 0; i < nals->len; i++)
    {
      gsize size;
      const guint8 *nal = g_bytes_get_data (nals->pdata[i], &size);

      put_be (b, size, 2);
      g_byte_array_append (b, nal, size);
    }
}

static GBytes *
build_avcc (GPtrArray *sps, GPtrArray *pps)
{
  GByteArray *b = g_byte_array_new ();
  const guint8 *first = g_bytes_get_data (sps->pdata[0], NULL);

  put_be (b, 1, 1);                     /* configurationVersion */
  g_byte_array_append (b, first + 1, 3); /* profile, compatibility, level */
  put_be (b, 0xFF, 1);                  /* lengthSizeMinusOne = 3 */
  put_be (b, 0xE0 | sps->len, 1);
  put_nal_list (b, sps);
  put_be (b, pps->len, 1);
  put_nal_list (b, pps);
  return g_byte_array_free_to_bytes (b);
}

static GBytes *
build_hvcc (GPtrArray *const sets[3], const H265Sps *sps)
{
  GByteArray *b = g_byte_array_new ();

  put_be (b, 1, 1);                     /* configurationVersion */
  g_byte_array_append (b, sps->ptl, 12);
  put_be (b, 0xF000, 2);                /* min_spatial_segmentation_idc = 0 */
  put_be (b, 0xFC, 1);                  /* parallelismType = 0 */
  put_be (b, 0xFC | sps->chroma, 1);
  put_be (b, 0xF8 | sps->depth_luma, 1);
  put_be (b, 0xF8 | sps->depth_chroma, 1);
  put_be (b, 0, 2);                     /* avgFrameRate */
  put_be (b, (sps->max_sub_layers << 3) | (sps->temporal_id_nesting << 2) | 3, 1);
  put_be (b, 3, 1);                     /* numOfArrays */
  for (guint i = 0; i < 3; i++)
    {
      put_be (b, 0x80 | (32 + i), 1);   /* array_completeness, NAL type */
      put_be (b, sets[i]->len, 2);
      put_nal_list (b, sets[i]);
    }
  return g_byte_array_free_to_bytes (b);
}

/* The first NAL of a given kind listed in an avcC (kind 0: SPS) or hvcC (NAL type). */
static gboolean
find_in_config (GBytes *config, gboolean hevc, guint want, const guint8 **nal, gsize *nal_size)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (config, &size);
  gsize pos;
  guint n_arrays;

  if (!hevc)
    {
      if (size < 8 || (data[5] & 0x1F) == 0)
        return FALSE;
      *nal_size = (data[6] << 8) | data[7];
      *nal = data + 8;
      return *nal_size <= size - 8;
    }
  if (size < 23)
    return FALSE;
  n_arrays = data[22];
  pos = 23;
  for (guint a = 0; a < n_arrays; a++)
    {
      guint type, count;

      if (pos + 3 > size)
        return FALSE;
      type = data[pos] & 0x3F;
      count = (data[pos + 1] << 8) | data[pos + 2];
      pos += 3;
      for (guint i = 0; i < count; i++)
        {
          gsize len;

          if (pos + 2 > size)
            return FALSE;
          len = (data[pos] << 8) | data[pos + 1];
          pos += 2;
          if (len > size - pos)
            return FALSE;
          if (type == want)
            {
              *nal = data + pos;
              *nal_size = len;
              return TRUE;
            }
          pos += len;
        }
    }
  return FALSE;
}

/* A keyframe of an MPEG-4 part 2 stream: the configuration is what precedes the first
 * VOP, if it holds a video_object_layer header. */
static GBytes *
mpeg4_config_from_unit (const guint8 *data, gsize size)
{
  gboolean has_vol = FALSE;

  for (gsize i = 0; i + 4 <= size; i++)
    {
      if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1)
        continue;
      if (data[i + 3] == 0xB6)
        return has_vol && i > 0 ? g_bytes_new (data, i) : NULL;
      if (data[i + 3] >= 0x20 && data[i + 3] <= 0x2F)
        has_vol = TRUE;
    }
  return NULL;
}

static void
mpeg4_config_dimensions (GBytes *config, guint *width, guint *height)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (config, &size);

  for (gsize i = 0; i + 4 <= size; i++)
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && data[i + 3] >= 0x20 &&
        data[i + 3] <= 0x2F)
      {
        mpeg4_vol_dimensions (data + i + 4, size - i - 4, width, height);
        return;
      }
}

/* At the first keyframe: the video track's configuration and dimensions. FALSE when
 * the configuration is still unknown (no parameter sets yet): the unit is dropped. */
static gboolean
prepare_video (VgMkvWriter *self, VgAccessUnit *unit)
{
  Track *track = &self->tracks[self->video];
  const VgTrackInfo *info = track->info;
  guint width = info->width, height = info->height;
  const guint8 *nal;
  gsize nal_size;

  switch (info->codec)
    {
    case VG_CODEC_H264:
    case VG_CODEC_H265:
      {
        gboolean hevc = info->codec == VG_CODEC_H265;
        ParamSets ps = { hevc, { NULL } };
        guint n_kinds = hevc ? 3 : 2;
        g_autoptr(GBytes) config = NULL;
        H265Sps sps = { 0 };

        for (guint i = 0; i < 3; i++)
          ps.sets[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
        foreach_nal (unit->data, unit->size, collect_param_set, &ps);

        if (info->codec_private && g_bytes_get_size (info->codec_private) >= (hevc ? 23u : 7u))
          {
            /* our units always have 4-byte lengths, whatever the record said */
            gsize size;
            guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (info->codec_private), &size);

            copy[hevc ? 21 : 4] |= 3;
            config = g_bytes_new_take (copy, size);
          }
        else
          {
            gboolean complete = TRUE;

            for (guint i = 0; i < n_kinds; i++)
              complete = complete && ps.sets[i]->len > 0;
            if (complete && !hevc)
              config = build_avcc (ps.sets[0], ps.sets[1]);
            else if (complete)
              {
                gsize size;
                const guint8 *data = g_bytes_get_data (ps.sets[1]->pdata[0], &size);

                if (h265_sps_parse (data, size, &sps))
                  config = build_hvcc (ps.sets, &sps);
              }
          }
        for (guint i = 0; i < 3; i++)
          g_ptr_array_unref (ps.sets[i]);
        if (config == NULL)
          return FALSE;

        if ((width == 0 || height == 0) &&
            find_in_config (config, hevc, hevc ? 33 : 0, &nal, &nal_size))
          {
            if (!hevc)
              h264_sps_dimensions (nal, nal_size, &width, &height);
            else if (h265_sps_parse (nal, nal_size, &sps))
              {
                width = sps.width;
                height = sps.height;
              }
          }
        track->codec_private = g_steal_pointer (&config);
        break;
      }

    case VG_CODEC_MPEG4:
      track->codec_private = info->codec_private ? g_bytes_ref (info->codec_private)
                                                 : mpeg4_config_from_unit (unit->data, unit->size);
      if (track->codec_private == NULL)
        return FALSE;
      if (width == 0 || height == 0)
        mpeg4_config_dimensions (track->codec_private, &width, &height);
      break;

    case VG_CODEC_JPEG:
      if (width == 0 || height == 0)
        jpeg_dimensions (unit->data, unit->size, &width, &height);
      break;

    default:
      g_assert_not_reached ();
    }

  self->width = width;
  self->height = height;
  return TRUE;
}

static const guint aac_rates[13] = {
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
};

/* Sample rate and channels from an AudioSpecificConfig. */
static gboolean
aac_config_parse (GBytes *config, guint *rate, guint *channels)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (config, &size);
  BitReader br = { data, size, 0, FALSE };
  guint index;

  if (br_bits (&br, 5) == 31)
    br_bits (&br, 6);
  index = br_bits (&br, 4);
  *rate = index == 15 ? br_bits (&br, 24) : index < 13 ? aac_rates[index] : 0;
  *channels = br_bits (&br, 4);
  return !br.overrun && *rate > 0;
}

/* Fills a track's Matroska codec and, for audio, its configuration. */
static gboolean
track_prepare (Track *track, GError **error)
{
  const VgTrackInfo *info = track->info;
  guint rate = info->sample_rate, channels = info->channels;

  switch (info->codec)
    {
    case VG_CODEC_H264:
      track->codec_id = "V_MPEG4/ISO/AVC";
      return TRUE;
    case VG_CODEC_H265:
      track->codec_id = "V_MPEGH/ISO/HEVC";
      return TRUE;
    case VG_CODEC_MPEG4:
      track->codec_id = "V_MPEG4/ISO/ASP";
      return TRUE;
    case VG_CODEC_JPEG:
      track->codec_id = "V_MJPEG";
      return TRUE;

    case VG_CODEC_AAC:
      track->codec_id = "A_AAC";
      if (info->codec_private)
        {
          guint config_rate = 0, config_channels = 0;

          if (!aac_config_parse (info->codec_private, &config_rate, &config_channels))
            {
              g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                           "Track %u: AAC AudioSpecificConfig unreadable", info->track);
              return FALSE;
            }
          track->codec_private = g_bytes_ref (info->codec_private);
          rate = rate ? rate : config_rate;
          channels = channels ? channels : config_channels;
        }
      else
        {
          /* AAC-LC: what cameras send when they do not say */
          guint index = 0;
          guint8 asc[2];

          while (index < G_N_ELEMENTS (aac_rates) && aac_rates[index] != rate)
            index++;
          if (index == G_N_ELEMENTS (aac_rates) || channels > 7)
            {
              g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                           "Track %u: AAC without AudioSpecificConfig and with a sample rate "
                           "(%u Hz) that does not make one", info->track, rate);
              return FALSE;
            }
          channels = channels ? channels : 1;
          asc[0] = (2 << 3) | (index >> 1);
          asc[1] = ((index & 1) << 7) | (channels << 3);
          track->codec_private = g_bytes_new (asc, sizeof asc);
        }
      break;

    case VG_CODEC_PCMA:
    case VG_CODEC_PCMU:
      {
        /* A_MS/ACM with a WAVEFORMATEX: tag 6 = A-law, 7 = µ-law (what ffmpeg and
         * VLC map to G.711; Matroska has no native codec ID for it) */
        GByteArray *wf = g_byte_array_new ();
        guint16 le16[2];
        guint32 le32[2];
        guint16 tail[3];

        rate = rate ? rate : 8000;
        channels = channels ? channels : 1;
        le16[0] = GUINT16_TO_LE (info->codec == VG_CODEC_PCMA ? 6 : 7);
        le16[1] = GUINT16_TO_LE (channels);
        le32[0] = GUINT32_TO_LE (rate);
        le32[1] = GUINT32_TO_LE (rate * channels);
        tail[0] = GUINT16_TO_LE (channels);          /* nBlockAlign */
        tail[1] = GUINT16_TO_LE (8);                 /* wBitsPerSample */
        tail[2] = 0;                                 /* cbSize */
        g_byte_array_append (wf, (const guint8 *) le16, sizeof le16);
        g_byte_array_append (wf, (const guint8 *) le32, sizeof le32);
        g_byte_array_append (wf, (const guint8 *) tail, sizeof tail);
        track->codec_id = "A_MS/ACM";
        track->codec_private = g_byte_array_free_to_bytes (wf);
        break;
      }

    case VG_CODEC_G726:
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                   "Track %u: G.726 audio cannot be recorded in Matroska (its RTP bit "
                   "packing and bit rate have no faithful Matroska mapping); record the "
                   "camera without audio or set it to G.711 or AAC", info->track);
      return FALSE;

    case VG_CODEC_NONE:
    default:
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                   "Track %u: codec “%s” cannot be recorded", info->track,
                   vg_codec_to_string (info->codec));
      return FALSE;
    }

  if (channels == 0 || channels > 8)
    channels = 1;
  track->sample_rate = rate;
  track->channels = channels;
  return TRUE;
}

gboolean
vg_mkv_track_supported (const VgTrackInfo *info, GError **error)
{
  Track track = { (VgTrackInfo *) info, NULL, NULL, 0, 0 };
  gboolean ok;

  g_return_val_if_fail (info != NULL, FALSE);
  ok = track_prepare (&track, error);
  g_clear_pointer (&track.codec_private, g_bytes_unref);
  return ok;
}

/* ---- the writer ----------------------------------------------------------- */

static void
set_io_error (GError **error, int saved_errno, const char *what, const char *path)
{
  GIOErrorEnum code = g_io_error_from_errno (saved_errno);

  if (saved_errno == ENOSPC || saved_errno == EFBIG || saved_errno == EDQUOT)
    code = G_IO_ERROR_NO_SPACE;
  g_set_error (error, G_IO_ERROR, code, "Cannot %s “%s”: %s", what, path,
               g_strerror (saved_errno));
}

/* Everything but the destination. */
static VgMkvWriter *
writer_new (const char *path, VgTrackInfo *const *tracks, guint n_tracks, GError **error)
{
  g_autoptr(VgMkvWriter) self = NULL;
  gboolean have_video = FALSE;

  self = g_new0 (VgMkvWriter, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->buf = g_byte_array_sized_new (FLUSH_SIZE + 256 * 1024);
  self->keyframes = g_array_new (FALSE, FALSE, sizeof (VgMkvKeyframe));

  if (n_tracks > MAX_TRACKS)
    {
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                   "%u tracks: at most %u can be recorded", n_tracks, MAX_TRACKS);
      return NULL;
    }
  for (guint i = 0; i < n_tracks; i++)
    {
      Track *track = &self->tracks[i];

      g_return_val_if_fail (tracks[i] != NULL, NULL);
      track->info = vg_track_info_copy (tracks[i]);
      self->n_tracks++;
      for (guint j = 0; j < i; j++)
        if (self->tracks[j].info->track == track->info->track)
          {
            g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID,
                         "Track %u given twice", track->info->track);
            return NULL;
          }
      if (!track_prepare (track, error))
        return NULL;
      if (vg_codec_is_video (track->info->codec))
        {
          if (have_video)
            {
              g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                           "Track %u: only one video track can be recorded per segment",
                           track->info->track);
              return NULL;
            }
          have_video = TRUE;
          self->video = i;
        }
    }
  if (!have_video)
    {
      g_set_error_literal (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED,
                           "A segment needs a video track (its keyframes cut the Clusters)");
      return NULL;
    }

  return g_steal_pointer (&self);
}

VgMkvWriter *
vg_mkv_writer_new (const char *path, VgTrackInfo *const *tracks, guint n_tracks,
                   GError **error)
{
  g_autoptr(VgMkvWriter) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (tracks != NULL || n_tracks == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = writer_new (path, tracks, n_tracks, error);
  if (self == NULL)
    return NULL;
  self->fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (self->fd < 0)
    {
      set_io_error (error, errno, "create", path);
      return NULL;
    }
  self->open = TRUE;
  return g_steal_pointer (&self);
}

VgMkvWriter *
vg_mkv_writer_new_for_sink (const char *name, VgMkvSinkFunc sink, gpointer user_data,
                            VgTrackInfo *const *tracks, guint n_tracks, GError **error)
{
  VgMkvWriter *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (sink != NULL, NULL);
  g_return_val_if_fail (tracks != NULL || n_tracks == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = writer_new (name, tracks, n_tracks, error);
  if (self == NULL)
    return NULL;
  self->sink = sink;
  self->sink_data = user_data;
  self->open = TRUE;
  return self;
}

void
vg_mkv_writer_set_presentation (VgMkvWriter *self, gint64 start_us, gint64 end_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->started);
  g_return_if_fail (end_us == 0 || end_us >= start_us);

  self->present_start_us = start_us;
  self->present_end_us = end_us;
}

static gboolean
fail_again (VgMkvWriter *self, GError **error)
{
  g_propagate_error (error, g_error_copy (self->failure));
  return FALSE;
}

static gboolean
fail (VgMkvWriter *self, int saved_errno, const char *what, GError **error)
{
  set_io_error (&self->failure, saved_errno, what, self->path);
  return fail_again (self, error);
}

static void
mark_durable (VgMkvWriter *self)
{
  self->durable.size = self->flushed;
  self->durable.n_frames = self->n_frames;
  self->durable.max_ms = self->max_ms;
  self->durable.n_keyframes = self->keyframes->len;
}

/* After a failed write: the file is cut back to the end of the last complete flush
 * (a block boundary, so that it stays a valid segment and frees the partial data),
 * and the writer forgets what came after, so that its size, times, frame count and
 * keyframes describe exactly what the file holds. */
static void
roll_back_to_durable (VgMkvWriter *self)
{
  if (self->flushed != self->durable.size && ftruncate (self->fd, (off_t) self->durable.size) != 0)
    g_warning ("cannot cut %s back after a failed write: %s", self->path, g_strerror (errno));
  self->flushed = self->durable.size;
  g_byte_array_set_size (self->buf, 0);
  self->n_frames = self->durable.n_frames;
  self->max_ms = self->durable.max_ms;
  g_array_set_size (self->keyframes, self->durable.n_keyframes);
}

/* Hands the buffer to the kernel. On failure the writer rolls back to its last complete
 * flush and the error is sticky: nothing is written after. */
static gboolean
flush (VgMkvWriter *self, GError **error)
{
  gsize done = 0;
  int saved_errno = 0;

  if (self->failure)
    return fail_again (self, error);

  if (self->sink)
    {
      if (self->buf->len > 0 &&
          !self->sink (self->buf->data, self->buf->len, self->sink_data, &self->failure))
        {
          if (self->failure == NULL)
            set_io_error (&self->failure, EIO, "write", self->path);
          return fail_again (self, error);
        }
      self->flushed += self->buf->len;
      g_byte_array_set_size (self->buf, 0);
      return TRUE;
    }

  while (done < self->buf->len)
    {
      ssize_t n = write (self->fd, self->buf->data + done, self->buf->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : EIO;
          break;
        }
      done += n;
    }
  self->flushed += done;
  g_byte_array_remove_range (self->buf, 0, done);
  if (saved_errno != 0)
    {
      roll_back_to_durable (self);
      return fail (self, saved_errno, "write", error);
    }
  mark_durable (self);
  return TRUE;
}

static gboolean
sync_fd (VgMkvWriter *self, GError **error)
{
  if (self->sink)
    return TRUE;
  while (fdatasync (self->fd) < 0)
    if (errno != EINTR)
      return fail (self, errno, "sync", error);
  return TRUE;
}

gboolean
vg_mkv_writer_sync (VgMkvWriter *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->open, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return flush (self, error) && sync_fd (self, error);
}

static guint64
random_uid (void)
{
  guint64 uid;

  do
    uid = ((guint64) g_random_int () << 32) | g_random_int ();
  while (uid == 0);
  return uid;
}

static void
put_track_entry (VgMkvWriter *self, GByteArray *b, guint index)
{
  const Track *track = &self->tracks[index];
  g_autoptr(GByteArray) entry = g_byte_array_new ();
  g_autoptr(GByteArray) sub = g_byte_array_new ();
  gboolean video = index == self->video;

  put_uint (entry, VG_MKV_ID_TRACK_NUMBER, index + 1);
  put_uint (entry, VG_MKV_ID_TRACK_UID, random_uid ());
  put_uint (entry, VG_MKV_ID_TRACK_TYPE, video ? 1 : 2);
  put_uint (entry, VG_MKV_ID_FLAG_LACING, 0);
  put_string (entry, VG_MKV_ID_LANGUAGE, "und");
  put_string (entry, VG_MKV_ID_CODEC_ID, track->codec_id);
  if (self->present_start_us > self->start_us)
    put_uint (entry, VG_MKV_ID_CODEC_DELAY, (guint64) (self->present_start_us - self->start_us) * 1000);
  if (track->codec_private)
    put_bytes (entry, VG_MKV_ID_CODEC_PRIVATE, g_bytes_get_data (track->codec_private, NULL),
               g_bytes_get_size (track->codec_private));
  if (video && self->width > 0 && self->height > 0)
    {
      put_uint (sub, VG_MKV_ID_PIXEL_WIDTH, self->width);
      put_uint (sub, VG_MKV_ID_PIXEL_HEIGHT, self->height);
      put_master (entry, VG_MKV_ID_VIDEO, sub);
    }
  else if (!video)
    {
      put_float (sub, VG_MKV_ID_SAMPLING_FREQUENCY, track->sample_rate);
      put_uint (sub, VG_MKV_ID_CHANNELS, track->channels);
      put_master (entry, VG_MKV_ID_AUDIO, sub);
    }
  put_master (b, VG_MKV_ID_TRACK_ENTRY, entry);
}

/* EBML header, Segment, Info and Tracks into the buffer. */
static void
put_header (VgMkvWriter *self)
{
  g_autoptr(GByteArray) e = g_byte_array_new ();
  guint8 uid[16];

  put_uint (e, VG_MKV_ID_EBML_VERSION, 1);
  put_uint (e, VG_MKV_ID_EBML_READ_VERSION, 1);
  put_uint (e, VG_MKV_ID_EBML_MAX_ID_LENGTH, 4);
  put_uint (e, VG_MKV_ID_EBML_MAX_SIZE_LENGTH, 8);
  put_string (e, VG_MKV_ID_DOC_TYPE, "matroska");
  put_uint (e, VG_MKV_ID_DOC_TYPE_VERSION, 4);
  put_uint (e, VG_MKV_ID_DOC_TYPE_READ_VERSION, 2);
  put_master (self->buf, VG_MKV_ID_EBML, e);

  put_id (self->buf, VG_MKV_ID_SEGMENT);
  put_unknown_size (self->buf);

  g_byte_array_set_size (e, 0);
  for (guint i = 0; i < sizeof uid; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (uid + i, &r, 4);
    }
  put_bytes (e, VG_MKV_ID_SEGMENT_UID, uid, sizeof uid);
  put_uint (e, VG_MKV_ID_TIMESTAMP_SCALE, 1000000);
  put_string (e, VG_MKV_ID_MUXING_APP, "vigie");
  put_string (e, VG_MKV_ID_WRITING_APP, "vigie " PACKAGE_VERSION);
  put_id (e, VG_MKV_ID_DATE_UTC);
  put_size (e, 8);
  put_be (e, (guint64) ((self->start_us - VG_MKV_EPOCH_US) * 1000), 8);
  if (self->present_end_us > 0)
    put_float (e, VG_MKV_ID_DURATION,
               (double) (self->present_end_us - MAX (self->present_start_us, self->start_us)) / 1000.0);
  put_master (self->buf, VG_MKV_ID_INFO, e);

  g_byte_array_set_size (e, 0);
  for (guint i = 0; i < self->n_tracks; i++)
    put_track_entry (self, e, i);
  put_master (self->buf, VG_MKV_ID_TRACKS, e);
}

/* Ends the current Cluster (written and synced) and starts one at ms. */
static gboolean
new_cluster (VgMkvWriter *self, gint64 ms, gboolean keyframe, GError **error)
{
  guint64 offset;

  if (self->in_cluster && !(flush (self, error) && sync_fd (self, error)))
    return FALSE;
  offset = self->flushed + self->buf->len;
  put_id (self->buf, VG_MKV_ID_CLUSTER);
  put_unknown_size (self->buf);
  put_uint (self->buf, VG_MKV_ID_TIMESTAMP, ms);
  self->cluster_ms = ms;
  self->in_cluster = TRUE;
  if (keyframe)
    {
      VgMkvKeyframe entry = { self->start_us + ms * 1000, offset };

      g_array_append_val (self->keyframes, entry);
    }
  return TRUE;
}

static gboolean
unit_valid (const VgAccessUnit *unit)
{
  if (unit->data == NULL || unit->size == 0)
    return FALSE;
  if (unit->codec == VG_CODEC_H264 || unit->codec == VG_CODEC_H265)
    {
      for (gsize pos = 0; pos < unit->size;)
        {
          guint32 len;

          if (unit->size - pos < 5)
            return FALSE;
          len = read_be32 (unit->data + pos);
          if (len == 0 || len > unit->size - pos - 4 || (unit->data[pos + 4] & 0x80))
            return FALSE;
          pos += 4 + (gsize) len;
        }
    }
  else if (unit->codec == VG_CODEC_JPEG)
    return unit->size >= 2 && unit->data[0] == 0xFF && unit->data[1] == 0xD8;
  return TRUE;
}

/* Milliseconds, rounded to nearest. */
static gint64
us_to_ms (gint64 us)
{
  return us >= 0 ? (us + 500) / 1000 : -((-us + 499) / 1000);
}

gboolean
vg_mkv_writer_write (VgMkvWriter *self, VgAccessUnit *unit, GError **error)
{
  guint index;
  gboolean video, keyframe;
  gint64 ms, rel;
  guint8 head[4];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (self->open, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failure)
    return fail_again (self, error);

  for (index = 0; index < self->n_tracks; index++)
    if (self->tracks[index].info->track == unit->track)
      break;
  if (index == self->n_tracks || self->tracks[index].info->codec != unit->codec)
    {
      self->n_dropped++;
      return TRUE;
    }
  video = index == self->video;
  keyframe = !video || unit->keyframe;

  if (!unit_valid (unit))
    {
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID,
                   "Malformed %s unit of %" G_GSIZE_FORMAT " bytes (track %u)",
                   vg_codec_to_string (unit->codec), unit->size, unit->track);
      return FALSE;
    }
  if (unit->time_us < 0 || unit->time_us > MAX_TIME_US)
    {
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID,
                   "Unit time %" G_GINT64_FORMAT " µs out of range", unit->time_us);
      return FALSE;
    }

  if (!self->started)
    {
      if (!video || !keyframe || !prepare_video (self, unit))
        {
          self->n_dropped++;
          return TRUE;
        }
      self->started = TRUE;
      self->start_us = unit->time_us;
      self->min_ms = G_MAXINT64;
      self->max_ms = G_MININT64;
      for (guint t = 0; t < MAX_TRACKS; t++)
        self->last_ms[t] = G_MININT64;
      put_header (self);
    }

  ms = us_to_ms (unit->time_us - self->start_us);
  /* Units of a track less than a millisecond apart (a camera's burst after a stall,
   * rounding) would share a time, which players refuse: each gets its own. */
  if (self->last_ms[index] != G_MININT64 && ms <= self->last_ms[index] &&
      self->last_ms[index] - ms < SMALL_STEP_BACK_MS)
    ms = self->last_ms[index] + 1;
  rel = ms - self->cluster_ms;
  if (!video && ms < 0)
    {
      self->n_dropped++;                /* audio from before the segment */
      return TRUE;
    }
  if (self->in_cluster && (rel < -32768 || (video && keyframe && rel < 0)))
    {
      if (!video)
        {
          self->n_dropped++;
          return TRUE;
        }
      g_set_error (error, VG_MKV_ERROR, VG_MKV_ERROR_TIME_WENT_BACK,
                   "Video time went back %" G_GINT64_FORMAT " ms before the current "
                   "Cluster: start a new segment", -rel);
      return FALSE;
    }
  if ((video && keyframe) || !self->in_cluster || rel > 32767)
    {
      if (!new_cluster (self, ms, video && keyframe, error))
        return FALSE;
      rel = 0;
    }

  put_id (self->buf, VG_MKV_ID_SIMPLE_BLOCK);
  put_size (self->buf, sizeof head + unit->size);
  head[0] = 0x80 | (index + 1);         /* track number, 1-byte vint */
  head[1] = (guint16) rel >> 8;
  head[2] = (guint16) rel & 0xFF;
  head[3] = keyframe ? 0x80 : 0x00;
  g_byte_array_append (self->buf, head, sizeof head);
  g_byte_array_append (self->buf, unit->data, unit->size);

  self->last_ms[index] = ms;
  if (video)
    self->n_frames++;
  self->min_ms = MIN (self->min_ms, ms);
  self->max_ms = MAX (self->max_ms, ms);

  if (self->buf->len >= FLUSH_SIZE)
    return flush (self, error);
  return TRUE;
}

gboolean
vg_mkv_writer_close (VgMkvWriter *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->open, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = flush (self, error) && sync_fd (self, error);
  self->open = FALSE;
  if (self->fd >= 0 && close (self->fd) < 0 && ok)
    {
      ok = FALSE;
      set_io_error (error, errno, "close", self->path);
    }
  self->fd = -1;
  return ok;
}

void
vg_mkv_writer_free (VgMkvWriter *self)
{
  if (self == NULL)
    return;
  if (self->open)
    flush (self, NULL);
  if (self->fd >= 0)
    close (self->fd);
  for (guint i = 0; i < self->n_tracks; i++)
    {
      vg_track_info_free (self->tracks[i].info);
      g_clear_pointer (&self->tracks[i].codec_private, g_bytes_unref);
    }
  g_byte_array_unref (self->buf);
  g_array_unref (self->keyframes);
  g_clear_error (&self->failure);
  g_free (self->path);
  g_free (self);
}

const char *
vg_mkv_writer_get_path (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

guint64
vg_mkv_writer_get_size (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->flushed + self->buf->len;
}

guint64
vg_mkv_writer_get_n_frames (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_frames;
}

guint64
vg_mkv_writer_get_n_durable_frames (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->durable.n_frames;
}

guint64
vg_mkv_writer_get_n_dropped (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}

gint64
vg_mkv_writer_get_first_time (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->started && self->min_ms <= self->max_ms ? self->start_us + self->min_ms * 1000 : 0;
}

gint64
vg_mkv_writer_get_last_time (VgMkvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->started && self->min_ms <= self->max_ms ? self->start_us + self->max_ms * 1000 : 0;
}

const VgMkvKeyframe *
vg_mkv_writer_get_keyframes (VgMkvWriter *self, guint *n_keyframes)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_keyframes != NULL, NULL);
  *n_keyframes = self->keyframes->len;
  return (const VgMkvKeyframe *) self->keyframes->data;
}

/* ---- the packed keyframe index -------------------------------------------- */

static void
put_varint (GByteArray *b, guint64 v)
{
  guint8 bytes[10];
  guint n = 0;

  do
    {
      bytes[n] = (v & 0x7F) | (v > 0x7F ? 0x80 : 0);
      v >>= 7;
      n++;
    }
  while (v != 0);
  g_byte_array_append (b, bytes, n);
}

static guint64
zigzag (gint64 v)
{
  return ((guint64) v << 1) ^ (0 - (guint64) (v < 0));
}

static gint64
unzigzag (guint64 v)
{
  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

GBytes *
vg_mkv_keyframe_index_pack (const VgMkvKeyframe *entries, guint n_entries)
{
  GByteArray *b;
  gint64 prev_ms = 0;

  g_return_val_if_fail (entries != NULL || n_entries == 0, NULL);
  for (guint i = 1; i < n_entries; i++)
    g_return_val_if_fail (entries[i].offset >= entries[i - 1].offset, NULL);

  b = g_byte_array_sized_new (16 + 5 * n_entries);
  put_varint (b, 1);
  put_varint (b, n_entries);
  if (n_entries > 0)
    {
      put_varint (b, zigzag (entries[0].time_us));
      put_varint (b, entries[0].offset);
    }
  for (guint i = 1; i < n_entries; i++)
    {
      gint64 ms = us_to_ms (entries[i].time_us - entries[0].time_us);

      put_varint (b, zigzag (ms - prev_ms));
      put_varint (b, entries[i].offset - entries[i - 1].offset);
      prev_ms = ms;
    }
  return g_byte_array_free_to_bytes (b);
}

static gboolean
get_varint (const guint8 *data, gsize size, gsize *pos, guint64 *value)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 byte;

      if (*pos >= size)
        return FALSE;
      byte = data[(*pos)++];
      if (shift == 63 && byte > 1)
        return FALSE;
      v |= (guint64) (byte & 0x7F) << shift;
      if (!(byte & 0x80))
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

GArray *
vg_mkv_keyframe_index_unpack (GBytes *packed, GError **error)
{
  g_autoptr(GArray) entries = NULL;
  const guint8 *data;
  gsize size, pos = 0;
  guint64 version, n, v, offset;
  gint64 first_us, ms = 0;

  g_return_val_if_fail (packed != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (packed, &size);
  if (!get_varint (data, size, &pos, &version) || version != 1 ||
      !get_varint (data, size, &pos, &n) || n > 1 + (size - pos) / 2)
    goto malformed;
  entries = g_array_sized_new (FALSE, FALSE, sizeof (VgMkvKeyframe), n);
  if (n > 0)
    {
      VgMkvKeyframe entry;

      if (!get_varint (data, size, &pos, &v) || !get_varint (data, size, &pos, &offset))
        goto malformed;
      first_us = unzigzag (v);
      if (first_us < -(G_GINT64_CONSTANT (1) << 61) || first_us > G_GINT64_CONSTANT (1) << 61)
        goto malformed;
      entry.time_us = first_us;
      entry.offset = offset;
      g_array_append_val (entries, entry);
      for (guint64 i = 1; i < n; i++)
        {
          guint64 delta;

          if (!get_varint (data, size, &pos, &v) || !get_varint (data, size, &pos, &delta))
            goto malformed;
          ms += unzigzag (v);
          if (ms < -(G_GINT64_CONSTANT (1) << 50) || ms > G_GINT64_CONSTANT (1) << 50 ||
              delta > G_MAXUINT64 - offset)
            goto malformed;
          offset += delta;
          entry.time_us = first_us + ms * 1000;
          entry.offset = offset;
          g_array_append_val (entries, entry);
        }
    }
  if (pos != size)
    goto malformed;
  return g_steal_pointer (&entries);

malformed:
  g_set_error_literal (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID, "Malformed keyframe index");
  return NULL;
}
