/* vg-sim-clip.c: loads a clip file and splits it into units, once, at start.
 *
 * The units are kept in one GBytes per clip; each unit has a GstMemory and a
 * GBytes that share it, so pushing a unit into a pipeline or onto an HTTP
 * connection copies nothing, whatever the number of cameras. */
#include "vg-sim-clip.h"

#include <string.h>

G_DEFINE_QUARK (vg-sim-clip-error-quark, vg_sim_clip_error)

typedef struct {
  gsize offset;
  gsize size;
  gboolean key;
  GstMemory *memory;
  GBytes *bytes;
} Unit;

struct _VgSimClip {
  GObject parent_instance;

  VgSimCodec codec;
  GBytes *data;
  GArray *units;                /* of Unit */
  GstCaps *caps;
  guint dur_num;
  guint dur_den;
};

G_DEFINE_FINAL_TYPE (VgSimClip, vg_sim_clip, G_TYPE_OBJECT)

static void
unit_clear (gpointer data)
{
  Unit *unit = data;

  g_clear_pointer (&unit->memory, gst_memory_unref);
  g_clear_pointer (&unit->bytes, g_bytes_unref);
}

static void
vg_sim_clip_finalize (GObject *object)
{
  VgSimClip *self = VG_SIM_CLIP (object);

  g_clear_pointer (&self->units, g_array_unref);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->caps, gst_caps_unref);

  G_OBJECT_CLASS (vg_sim_clip_parent_class)->finalize (object);
}

static void
vg_sim_clip_class_init (VgSimClipClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_sim_clip_finalize;
}

static void
vg_sim_clip_init (VgSimClip *self)
{
  self->units = g_array_new (FALSE, TRUE, sizeof (Unit));
  g_array_set_clear_func (self->units, unit_clear);
}

/* Building: units are appended to a byte array, then shared out. */
typedef struct {
  GByteArray *out;
  GArray *units;
  gsize start;
  gboolean key;
} Builder;

static void
builder_begin (Builder *b)
{
  b->start = b->out->len;
  b->key = FALSE;
}

static void
builder_end (Builder *b)
{
  Unit unit = { .offset = b->start, .size = b->out->len - b->start, .key = b->key };

  if (unit.size > 0)
    g_array_append_val (b->units, unit);
  b->start = b->out->len;
  b->key = FALSE;
}

static void
finish_units (VgSimClip *self, GByteArray *out)
{
  self->data = g_byte_array_free_to_bytes (out);

  for (guint i = 0; i < self->units->len; i++) {
    Unit *unit = &g_array_index (self->units, Unit, i);
    gsize size;
    gpointer data = (gpointer) g_bytes_get_data (self->data, &size);

    unit->memory = gst_memory_new_wrapped (GST_MEMORY_FLAG_READONLY, data, size,
                                           unit->offset, unit->size,
                                           g_bytes_ref (self->data),
                                           (GDestroyNotify) g_bytes_unref);
    unit->bytes = g_bytes_new_from_bytes (self->data, unit->offset, unit->size);
  }
}

static gboolean
invalid (GError **error, const char *path, const char *what)
{
  g_set_error (error, VG_SIM_CLIP_ERROR, VG_SIM_CLIP_ERROR_INVALID, "%s: %s", path, what);
  return FALSE;
}

/* ---- H.264 / H.265 (Annex B) ---- */

typedef struct {
  const guint8 *data;
  gsize size;
} Nal;

/* Splits an Annex B stream on its start codes. */
static GArray *
split_annex_b (const guint8 *data, gsize size)
{
  GArray *nals = g_array_new (FALSE, FALSE, sizeof (Nal));
  gsize i = 0;
  gssize begin = -1;

  while (i + 3 <= size) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      if (begin >= 0) {
        gsize end = i;

        while (end > (gsize) begin && data[end - 1] == 0)
          end--;                  /* trailing zeros belong to the next start code */
        if (end > (gsize) begin)
          g_array_append_val (nals, ((Nal) { data + begin, end - begin }));
      }
      i += 3;
      begin = i;
    } else {
      i++;
    }
  }
  if (begin >= 0 && (gsize) begin < size)
    g_array_append_val (nals, ((Nal) { data + begin, size - begin }));

  return nals;
}

static guint
nal_type (VgSimCodec codec, const Nal *nal)
{
  return codec == VG_SIM_CODEC_H264 ? nal->data[0] & 0x1f : (nal->data[0] >> 1) & 0x3f;
}

static gboolean
nal_is_vcl (VgSimCodec codec, guint type)
{
  return codec == VG_SIM_CODEC_H264 ? type >= 1 && type <= 5 : type <= 31;
}

/* first_mb_in_slice == 0 (H.264) or first_slice_segment_in_pic_flag (H.265). */
static gboolean
nal_is_first_slice (VgSimCodec codec, const Nal *nal)
{
  gsize header = codec == VG_SIM_CODEC_H264 ? 1 : 2;

  return nal->size > header && (nal->data[header] & 0x80) != 0;
}

/* Non-VCL units that, after a picture, start the next access unit. */
static gboolean
nal_starts_au (VgSimCodec codec, guint type)
{
  if (codec == VG_SIM_CODEC_H264)
    return (type >= 6 && type <= 9) || (type >= 14 && type <= 18);
  return (type >= 32 && type <= 35) || type == 39 || (type >= 41 && type <= 44) ||
         (type >= 48 && type <= 55);
}

/* Parameter sets go to codec_data; AUD and filler are dropped. */
static gboolean
nal_is_dropped (VgSimCodec codec, guint type)
{
  if (codec == VG_SIM_CODEC_H264)
    return type == 7 || type == 8 || type == 9 || type == 12;
  return (type >= 32 && type <= 35) || type == 38;
}

static gboolean
nal_is_key (VgSimCodec codec, guint type)
{
  return codec == VG_SIM_CODEC_H264 ? type == 5 : type >= 16 && type <= 21;
}

/* Index of a parameter set kind: H.264 SPS, PPS; H.265 VPS, SPS, PPS. */
static int
nal_param_set (VgSimCodec codec, guint type)
{
  if (codec == VG_SIM_CODEC_H264)
    return type == 7 ? 0 : type == 8 ? 1 : -1;
  return type >= 32 && type <= 34 ? (int) type - 32 : -1;
}

static void
put_be16 (GByteArray *a, guint v)
{
  guint8 b[2] = { v >> 8, v };

  g_byte_array_append (a, b, 2);
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (a, b, 4);
}

static GstBuffer *
make_avcc (const Nal *sps, const Nal *pps)
{
  GByteArray *a = g_byte_array_new ();
  guint8 head[6] = { 1, sps->data[1], sps->data[2], sps->data[3], 0xff, 0xe1 };

  g_byte_array_append (a, head, sizeof head);
  put_be16 (a, sps->size);
  g_byte_array_append (a, sps->data, sps->size);
  g_byte_array_append (a, (const guint8 *) "\1", 1);
  put_be16 (a, pps->size);
  g_byte_array_append (a, pps->data, pps->size);

  return gst_buffer_new_wrapped_bytes (g_byte_array_free_to_bytes (a));
}

/* hvcC. The general profile/tier/level comes from the SPS; chroma format
 * 4:2:0 and 8-bit depth are assumed (those of make-clips.sh). */
static GstBuffer *
make_hvcc (const Nal *params)
{
  const Nal *sps = &params[1];
  guint8 rbsp[16] = { 0 };
  gsize n = 0;
  GByteArray *a = g_byte_array_new ();
  guint sub_layers, nesting;

  for (gsize i = 0, zeros = 0; i < sps->size && n < sizeof rbsp; i++) {
    if (zeros >= 2 && sps->data[i] == 3) {
      zeros = 0;
      continue;                 /* emulation prevention byte */
    }
    zeros = sps->data[i] == 0 ? zeros + 1 : 0;
    rbsp[n++] = sps->data[i];
  }
  sub_layers = ((rbsp[2] >> 1) & 7) + 1;
  nesting = rbsp[2] & 1;

  g_byte_array_append (a, (const guint8 *) "\1", 1);
  g_byte_array_append (a, rbsp + 3, 12);      /* profile, compat, constraints, level */
  put_be16 (a, 0xf000);                       /* min_spatial_segmentation_idc */
  {
    guint8 tail[8] = {
      0xfc,                                   /* parallelismType */
      0xfc | 1,                               /* chroma_format_idc 4:2:0 */
      0xf8, 0xf8,                             /* bit depths - 8 */
      0, 0,                                   /* avgFrameRate */
      (sub_layers << 3) | (nesting << 2) | 3, /* 4-byte lengths */
      3,                                      /* VPS, SPS, PPS arrays */
    };
    g_byte_array_append (a, tail, sizeof tail);
  }
  for (guint i = 0; i < 3; i++) {
    guint8 type = 0x80 | (32 + i);

    g_byte_array_append (a, &type, 1);
    put_be16 (a, 1);
    put_be16 (a, params[i].size);
    g_byte_array_append (a, params[i].data, params[i].size);
  }

  return gst_buffer_new_wrapped_bytes (g_byte_array_free_to_bytes (a));
}

static gboolean
parse_video (VgSimClip *self, const char *path, const guint8 *data, gsize size,
             guint fps, GError **error)
{
  VgSimCodec codec = self->codec;
  g_autoptr(GArray) nals = split_annex_b (data, size);
  Nal params[3] = { { NULL, 0 } };
  guint n_params = codec == VG_SIM_CODEC_H264 ? 2 : 3;
  Builder b = { g_byte_array_sized_new (size + size / 50), self->units, 0, FALSE };
  gboolean has_vcl = FALSE;
  g_autoptr(GstBuffer) codec_data = NULL;

  builder_begin (&b);
  for (guint i = 0; i < nals->len; i++) {
    const Nal *nal = &g_array_index (nals, Nal, i);
    guint type;
    int ps;

    if (nal->size < 3)
      continue;
    type = nal_type (codec, nal);
    if (has_vcl && ((nal_is_vcl (codec, type) && nal_is_first_slice (codec, nal)) ||
                    nal_starts_au (codec, type))) {
      builder_end (&b);
      has_vcl = FALSE;
    }
    ps = nal_param_set (codec, type);
    if (ps >= 0 && params[ps].data == NULL)
      params[ps] = *nal;
    if (nal_is_dropped (codec, type))
      continue;
    put_be32 (b.out, nal->size);
    g_byte_array_append (b.out, nal->data, nal->size);
    if (nal_is_vcl (codec, type)) {
      has_vcl = TRUE;
      b.key |= nal_is_key (codec, type);
    }
  }
  if (has_vcl)
    builder_end (&b);
  else
    g_byte_array_set_size (b.out, b.start);

  for (guint i = 0; i < n_params; i++) {
    if (params[i].data == NULL) {
      g_byte_array_unref (b.out);
      return invalid (error, path, "no parameter sets");
    }
  }
  if (self->units->len == 0 || !g_array_index (self->units, Unit, 0).key) {
    g_byte_array_unref (b.out);
    return invalid (error, path, "does not start with a keyframe");
  }

  codec_data = codec == VG_SIM_CODEC_H264 ? make_avcc (&params[0], &params[1])
                                          : make_hvcc (params);
  self->caps = gst_caps_new_simple (codec == VG_SIM_CODEC_H264 ? "video/x-h264" : "video/x-h265",
                                    "stream-format", G_TYPE_STRING,
                                    codec == VG_SIM_CODEC_H264 ? "avc" : "hvc1",
                                    "alignment", G_TYPE_STRING, "au",
                                    "codec_data", GST_TYPE_BUFFER, codec_data,
                                    "framerate", GST_TYPE_FRACTION, fps, 1,
                                    NULL);
  self->dur_num = 1;
  self->dur_den = fps;
  finish_units (self, b.out);
  return TRUE;
}

/* ---- JPEG: SOI ... EOI, walking the marker segments ---- */

static gboolean
parse_jpeg (VgSimClip *self, const char *path, const guint8 *data, gsize size,
            guint fps, GError **error)
{
  Builder b = { g_byte_array_sized_new (size), self->units, 0, FALSE };
  gsize pos = 0;

  while (pos + 4 <= size) {
    gsize start = pos;
    gboolean done = FALSE;

    if (data[pos] != 0xff || data[pos + 1] != 0xd8)
      break;
    pos += 2;
    while (!done && pos + 2 <= size) {
      guint marker;

      if (data[pos] != 0xff) {
        pos = size;             /* not a marker: broken file */
        break;
      }
      marker = data[pos + 1];
      if (marker == 0xd9) {
        pos += 2;
        done = TRUE;
      } else if (marker == 0xff) {
        pos++;                  /* fill byte */
      } else if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        pos += 2;
      } else if (pos + 4 <= size) {
        pos += 2 + (data[pos + 2] << 8 | data[pos + 3]);
        if (marker == 0xda) {
          /* entropy-coded data: up to a marker other than RSTn or a stuffed 0 */
          while (pos + 1 < size &&
                 !(data[pos] == 0xff && data[pos + 1] != 0 &&
                   !(data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7)))
            pos++;
        }
      } else {
        pos = size;
      }
    }
    if (!done)
      break;
    builder_begin (&b);
    g_byte_array_append (b.out, data + start, pos - start);
    b.key = TRUE;
    builder_end (&b);
  }

  if (self->units->len == 0) {
    g_byte_array_unref (b.out);
    return invalid (error, path, "no JPEG picture");
  }
  self->caps = gst_caps_new_simple ("image/jpeg", "framerate", GST_TYPE_FRACTION, fps, 1, NULL);
  self->dur_num = 1;
  self->dur_den = fps;
  finish_units (self, b.out);
  return TRUE;
}

/* ---- AAC in ADTS ---- */

static gboolean
parse_adts (VgSimClip *self, const char *path, const guint8 *data, gsize size,
            GError **error)
{
  static const guint rates[] = { 96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                 22050, 16000, 12000, 11025, 8000, 7350 };
  Builder b = { g_byte_array_sized_new (size), self->units, 0, FALSE };
  gsize pos = 0;
  guint profile = 0, sfi = 0, channels = 0;
  g_autoptr(GstBuffer) codec_data = NULL;
  guint8 asc[2];

  while (pos + 7 <= size) {
    const guint8 *h = data + pos;
    gsize header = (h[1] & 1) ? 7 : 9;
    gsize length = (gsize) (h[3] & 3) << 11 | h[4] << 3 | h[5] >> 5;

    if (h[0] != 0xff || (h[1] & 0xf6) != 0xf0 || length <= header || pos + length > size ||
        (h[6] & 3) != 0)
      break;
    if (self->units->len == 0) {
      profile = h[2] >> 6;
      sfi = (h[2] >> 2) & 0xf;
      channels = (h[2] & 1) << 2 | h[3] >> 6;
    }
    builder_begin (&b);
    g_byte_array_append (b.out, h + header, length - header);
    b.key = TRUE;
    builder_end (&b);
    pos += length;
  }

  if (self->units->len == 0 || sfi >= G_N_ELEMENTS (rates) || channels == 0) {
    g_byte_array_unref (b.out);
    return invalid (error, path, "not AAC in ADTS");
  }

  asc[0] = (profile + 1) << 3 | sfi >> 1;
  asc[1] = (sfi & 1) << 7 | channels << 3;
  codec_data = gst_buffer_new_memdup (asc, sizeof asc);
  self->caps = gst_caps_new_simple ("audio/mpeg",
                                    "mpegversion", G_TYPE_INT, 4,
                                    "stream-format", G_TYPE_STRING, "raw",
                                    "codec_data", GST_TYPE_BUFFER, codec_data,
                                    "rate", G_TYPE_INT, rates[sfi],
                                    "channels", G_TYPE_INT, channels,
                                    NULL);
  self->dur_num = 1024;
  self->dur_den = rates[sfi];
  finish_units (self, b.out);
  return TRUE;
}

/* ---- raw A-law, 8 kHz mono, 40 ms per unit (one RTP packet each) ---- */

static gboolean
parse_pcma (VgSimClip *self, const char *path, const guint8 *data, gsize size,
            GError **error)
{
  const gsize chunk = 320;
  Builder b = { g_byte_array_sized_new (size), self->units, 0, FALSE };

  for (gsize pos = 0; pos + chunk <= size; pos += chunk) {
    builder_begin (&b);
    g_byte_array_append (b.out, data + pos, chunk);
    b.key = TRUE;
    builder_end (&b);
  }
  if (self->units->len == 0) {
    g_byte_array_unref (b.out);
    return invalid (error, path, "shorter than 40 ms");
  }
  self->caps = gst_caps_new_simple ("audio/x-alaw",
                                    "rate", G_TYPE_INT, 8000,
                                    "channels", G_TYPE_INT, 1,
                                    NULL);
  self->dur_num = chunk;
  self->dur_den = 8000;
  finish_units (self, b.out);
  return TRUE;
}

VgSimClip *
vg_sim_clip_load (const char *path, VgSimCodec codec, guint fps, GError **error)
{
  g_autoptr(VgSimClip) self = NULL;
  g_autoptr(GMappedFile) file = NULL;
  const guint8 *data;
  gsize size;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (fps > 0, NULL);

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);

  self = g_object_new (VG_SIM_TYPE_CLIP, NULL);
  self->codec = codec;
  switch (codec) {
  case VG_SIM_CODEC_H264:
  case VG_SIM_CODEC_H265:
    ok = parse_video (self, path, data, size, fps, error);
    break;
  case VG_SIM_CODEC_JPEG:
    ok = parse_jpeg (self, path, data, size, fps, error);
    break;
  case VG_SIM_CODEC_AAC:
    ok = parse_adts (self, path, data, size, error);
    break;
  case VG_SIM_CODEC_PCMA:
    ok = parse_pcma (self, path, data, size, error);
    break;
  }

  return ok ? g_steal_pointer (&self) : NULL;
}

VgSimCodec
vg_sim_clip_get_codec (VgSimClip *self)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), VG_SIM_CODEC_H264);
  return self->codec;
}

const char *
vg_sim_clip_get_codec_name (VgSimClip *self)
{
  static const char *const names[] = { "h264", "h265", "mjpeg", "aac", "pcma" };

  g_return_val_if_fail (VG_SIM_IS_CLIP (self), NULL);
  return names[self->codec];
}

GstCaps *
vg_sim_clip_get_caps (VgSimClip *self)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), NULL);
  return self->caps;
}

guint
vg_sim_clip_get_n_units (VgSimClip *self)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), 0);
  return self->units->len;
}

void
vg_sim_clip_get_unit_duration (VgSimClip *self, guint *num, guint *den)
{
  g_return_if_fail (VG_SIM_IS_CLIP (self));
  *num = self->dur_num;
  *den = self->dur_den;
}

gboolean
vg_sim_clip_is_keyframe (VgSimClip *self, guint index)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), FALSE);
  g_return_val_if_fail (index < self->units->len, FALSE);
  return g_array_index (self->units, Unit, index).key;
}

gsize
vg_sim_clip_get_unit_size (VgSimClip *self, guint index)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), 0);
  g_return_val_if_fail (index < self->units->len, 0);
  return g_array_index (self->units, Unit, index).size;
}

GstBuffer *
vg_sim_clip_new_buffer (VgSimClip *self, guint index)
{
  Unit *unit;
  GstBuffer *buffer;

  g_return_val_if_fail (VG_SIM_IS_CLIP (self), NULL);
  g_return_val_if_fail (index < self->units->len, NULL);

  unit = &g_array_index (self->units, Unit, index);
  buffer = gst_buffer_new ();
  gst_buffer_append_memory (buffer, gst_memory_ref (unit->memory));
  if (!unit->key)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  return buffer;
}

GBytes *
vg_sim_clip_get_bytes (VgSimClip *self, guint index)
{
  g_return_val_if_fail (VG_SIM_IS_CLIP (self), NULL);
  g_return_val_if_fail (index < self->units->len, NULL);
  return g_array_index (self->units, Unit, index).bytes;
}

gboolean
vg_sim_clips_load (VgSimClips *clips, const char *dir, GError **error)
{
  static const struct {
    const char *file;
    VgSimCodec codec;
    guint fps;
    gsize offset;
  } files[] = {
    { "main.h264", VG_SIM_CODEC_H264, 25, G_STRUCT_OFFSET (VgSimClips, main_h264) },
    { "sub.h264", VG_SIM_CODEC_H264, 25, G_STRUCT_OFFSET (VgSimClips, sub_h264) },
    { "main.h265", VG_SIM_CODEC_H265, 25, G_STRUCT_OFFSET (VgSimClips, main_h265) },
    { "frames.mjpeg", VG_SIM_CODEC_JPEG, 10, G_STRUCT_OFFSET (VgSimClips, mjpeg) },
    { "audio.aac", VG_SIM_CODEC_AAC, 1, G_STRUCT_OFFSET (VgSimClips, aac) },
    { "audio.pcma", VG_SIM_CODEC_PCMA, 1, G_STRUCT_OFFSET (VgSimClips, pcma) },
  };

  g_return_val_if_fail (clips != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (dir, files[i].file, NULL);
    VgSimClip **slot = G_STRUCT_MEMBER_P (clips, files[i].offset);

    g_clear_object (slot);
    *slot = vg_sim_clip_load (path, files[i].codec, files[i].fps, error);
    if (*slot == NULL) {
      vg_sim_clips_clear (clips);
      return FALSE;
    }
  }
  return TRUE;
}

void
vg_sim_clips_clear (VgSimClips *clips)
{
  g_return_if_fail (clips != NULL);

  g_clear_object (&clips->main_h264);
  g_clear_object (&clips->sub_h264);
  g_clear_object (&clips->main_h265);
  g_clear_object (&clips->mjpeg);
  g_clear_object (&clips->aac);
  g_clear_object (&clips->pcma);
}
