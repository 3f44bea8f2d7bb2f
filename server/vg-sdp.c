/* vg-sdp.c: a camera's session description, and the codec configuration in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-sdp.h"

#include "vg-bit-reader.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (vg-sdp-error-quark, vg_sdp_error)

/* ------------------------------------------------------------------------------ */
/* Parsing */

static void
media_clear (VgSdpMedia *m)
{
  for (guint i = 0; i < m->n_formats; i++)
    {
      g_free (m->formats[i].encoding);
      g_free (m->formats[i].fmtp);
    }
  g_free (m->media);
  g_free (m->proto);
  g_free (m->control);
  g_free (m->connection);
  g_free (m->range);
}

void
vg_sdp_free (VgSdp *sdp)
{
  if (sdp == NULL)
    return;
  for (guint i = 0; i < sdp->n_media; i++)
    media_clear (&sdp->media[i]);
  g_free (sdp->origin);
  g_free (sdp->session_name);
  g_free (sdp->control);
  g_free (sdp->range);
  g_free (sdp->connection);
  g_free (sdp);
}

static gboolean
parse_uint_str (const char *s, guint max, guint *value)
{
  guint64 v;

  if (s == NULL || !g_ascii_isdigit (*s))
    return FALSE;
  if (!g_ascii_string_to_unsigned (s, 10, 0, max, &v, NULL))
    return FALSE;
  *value = (guint) v;
  return TRUE;
}

/* A leading decimal number of s, up to max; *end after it. */
static gboolean
parse_uint_prefix (const char *s, guint max, guint *value, const char **end)
{
  guint64 v = 0;
  const char *p = s;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      v = v * 10 + (*p - '0');
      if (v > max)
        return FALSE;
      p++;
    }
  *value = (guint) v;
  if (end)
    *end = p;
  return TRUE;
}

static VgSdpFormat *
media_find_format (VgSdpMedia *m, guint pt)
{
  for (guint i = 0; i < m->n_formats; i++)
    if (m->formats[i].payload_type == pt)
      return &m->formats[i];
  return NULL;
}

static void
parse_media_line (VgSdpMedia *m, char *value)
{
  g_auto(GStrv) parts = g_strsplit_set (value, " \t", -1);
  guint field = 0;

  for (guint i = 0; parts[i]; i++)
    {
      const char *part = parts[i];
      const char *end;
      guint v;

      if (*part == '\0')
        continue;
      switch (field++)
        {
        case 0:
          m->media = g_strdup (part);
          break;
        case 1:
          if (parse_uint_prefix (part, 65535, &v, &end))
            {
              m->port = v;
              m->n_ports = 1;
              if (*end == '/' && parse_uint_prefix (end + 1, 65535, &v, NULL))
                m->n_ports = v;
            }
          break;
        case 2:
          m->proto = g_strdup (part);
          break;
        default:
          if (m->n_formats < VG_SDP_MAX_FORMATS && parse_uint_str (part, 127, &v) &&
              media_find_format (m, v) == NULL)
            m->formats[m->n_formats++].payload_type = v;
          break;
        }
    }
}

/* "IN IP4 224.2.1.1/127/3" */
static void
parse_connection (char *value, char **address, gint *ttl)
{
  g_auto(GStrv) parts = g_strsplit_set (value, " \t", -1);
  guint n = g_strv_length (parts);
  char *slash;

  if (n < 3 || *parts[2] == '\0')
    return;
  slash = strchr (parts[2], '/');
  if (slash != NULL)
    {
      guint v;

      *slash = '\0';
      if (ttl && parse_uint_prefix (slash + 1, 255, &v, NULL))
        *ttl = v;
    }
  g_free (*address);
  *address = g_strdup (parts[2]);
}

/* "<pt> rest": the payload type, and rest with leading spaces skipped. */
static gboolean
split_pt (const char *value, guint *pt, const char **rest)
{
  const char *end;

  if (!parse_uint_prefix (value, 127, pt, &end))
    return FALSE;
  while (*end == ' ' || *end == '\t')
    end++;
  *rest = end;
  return TRUE;
}

static void
parse_attribute (VgSdp *sdp, VgSdpMedia *m, char *value)
{
  char *colon = strchr (value, ':');
  const char *key = value;
  const char *arg = "";
  VgSdpFormat *fmt;
  const char *rest;
  guint pt;

  if (colon)
    {
      *colon = '\0';
      arg = colon + 1;
      while (*arg == ' ' || *arg == '\t')
        arg++;
    }

  if (g_ascii_strcasecmp (key, "control") == 0)
    {
      char **slot = m ? &m->control : &sdp->control;
      g_free (*slot);
      *slot = g_strdup (arg);
    }
  else if (g_ascii_strcasecmp (key, "range") == 0)
    {
      char **slot = m ? &m->range : &sdp->range;
      g_free (*slot);
      *slot = g_strdup (arg);
    }
  else if (m == NULL)
    return;
  else if (g_ascii_strcasecmp (key, "rtpmap") == 0)
    {
      g_auto(GStrv) parts = NULL;
      guint v;

      if (!split_pt (arg, &pt, &rest) || (fmt = media_find_format (m, pt)) == NULL)
        return;
      parts = g_strsplit (rest, "/", 3);
      if (parts[0] == NULL || *parts[0] == '\0')
        return;
      g_free (fmt->encoding);
      fmt->encoding = g_strdup (g_strstrip (parts[0]));
      fmt->clock_rate = 0;
      fmt->channels = 0;
      if (parts[1] && parse_uint_str (g_strstrip (parts[1]), 10000000, &v))
        fmt->clock_rate = v;
      if (parts[1] && parts[2] && parse_uint_str (g_strstrip (parts[2]), 255, &v))
        fmt->channels = v;
    }
  else if (g_ascii_strcasecmp (key, "fmtp") == 0)
    {
      if (!split_pt (arg, &pt, &rest) || (fmt = media_find_format (m, pt)) == NULL)
        return;
      g_free (fmt->fmtp);
      fmt->fmtp = g_strdup (rest);
    }
  else if (g_ascii_strcasecmp (key, "framesize") == 0)
    {
      guint w, h;
      const char *end;

      if (!split_pt (arg, &pt, &rest) || (fmt = media_find_format (m, pt)) == NULL)
        return;
      if (parse_uint_prefix (rest, 16384, &w, &end) && *end == '-' &&
          parse_uint_prefix (end + 1, 16384, &h, NULL))
        {
          fmt->width = w;
          fmt->height = h;
        }
    }
  else if (g_ascii_strcasecmp (key, "x-dimensions") == 0)
    {
      guint w, h;
      const char *end;

      if (parse_uint_prefix (arg, 16384, &w, &end) && *end == ',' &&
          parse_uint_prefix (end + 1, 16384, &h, NULL))
        {
          m->width = w;
          m->height = h;
        }
    }
  else if (g_ascii_strcasecmp (key, "framerate") == 0)
    {
      char *end = NULL;
      gdouble f = g_ascii_strtod (arg, &end);

      if (end != arg && f > 0 && f < 1000)
        m->framerate = f;
    }
  else if (g_ascii_strcasecmp (key, "sendonly") == 0)
    m->sendonly = TRUE;
  else if (g_ascii_strcasecmp (key, "recvonly") == 0)
    m->recvonly = TRUE;
  else if (g_ascii_strcasecmp (key, "inactive") == 0)
    m->inactive = TRUE;
}

VgCodec
vg_sdp_codec_from_encoding (const char *media, const char *encoding, guint payload_type,
                            guint *g726_bits)
{
  if (g726_bits)
    *g726_bits = 0;
  if (encoding == NULL)
    {
      switch (payload_type)
        {
        case 0:
          return VG_CODEC_PCMU;
        case 8:
          return VG_CODEC_PCMA;
        case 26:
          return VG_CODEC_JPEG;
        case 2:   /* G721 / G726-32 in RFC 1890 */
          if (g726_bits)
            *g726_bits = 4;
          return VG_CODEC_G726;
        default:
          return VG_CODEC_NONE;
        }
    }
  if (g_ascii_strcasecmp (encoding, "H264") == 0)
    return VG_CODEC_H264;
  if (g_ascii_strcasecmp (encoding, "H265") == 0 || g_ascii_strcasecmp (encoding, "HEVC") == 0)
    return VG_CODEC_H265;
  if (g_ascii_strcasecmp (encoding, "MP4V-ES") == 0)
    return VG_CODEC_MPEG4;
  if (g_ascii_strcasecmp (encoding, "JPEG") == 0)
    return VG_CODEC_JPEG;
  if (g_ascii_strcasecmp (encoding, "MPEG4-GENERIC") == 0)
    return media == NULL || g_ascii_strcasecmp (media, "audio") == 0 ? VG_CODEC_AAC
                                                                      : VG_CODEC_NONE;
  if (g_ascii_strcasecmp (encoding, "PCMA") == 0)
    return VG_CODEC_PCMA;
  if (g_ascii_strcasecmp (encoding, "PCMU") == 0)
    return VG_CODEC_PCMU;
  if (g_ascii_strncasecmp (encoding, "G726-", 5) == 0)
    {
      guint rate;

      if (!parse_uint_str (encoding + 5, 40, &rate) || rate % 8 != 0 || rate < 16)
        return VG_CODEC_NONE;
      if (g726_bits)
        *g726_bits = rate / 8;
      return VG_CODEC_G726;
    }
  return VG_CODEC_NONE;
}

static char *
fmtp_get (const char *fmtp, const char *key)
{
  gsize key_len = strlen (key);
  const char *p = fmtp;

  if (fmtp == NULL)
    return NULL;
  while (*p)
    {
      const char *end = strchr (p, ';');
      const char *s = p, *e, *eq;

      if (end == NULL)
        end = p + strlen (p);
      while (s < end && (*s == ' ' || *s == '\t'))
        s++;
      eq = memchr (s, '=', end - s);
      if (eq != NULL)
        {
          e = eq;
          while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
          if ((gsize) (e - s) == key_len && g_ascii_strncasecmp (s, key, key_len) == 0)
            {
              const char *v = eq + 1, *ve = end;

              while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
              while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                ve--;
              return g_strndup (v, ve - v);
            }
        }
      p = *end ? end + 1 : end;
    }
  return NULL;
}

static gboolean
aac_mode_supported (const char *fmtp)
{
  g_autofree char *mode = fmtp_get (fmtp, "mode");

  if (mode == NULL)
    {
      g_autofree char *sizelength = fmtp_get (fmtp, "sizelength");
      return sizelength != NULL;
    }
  return g_ascii_strcasecmp (mode, "AAC-hbr") == 0 || g_ascii_strcasecmp (mode, "AAC-lbr") == 0;
}

static void
media_select_format (VgSdpMedia *m)
{
  m->selected = 0;
  m->codec = VG_CODEC_NONE;
  for (guint i = 0; i < m->n_formats; i++)
    {
      VgSdpFormat *f = &m->formats[i];
      guint bits = 0;
      VgCodec codec;

      if (f->encoding == NULL)
        {
          /* Static payload types */
          switch (f->payload_type)
            {
            case 0:
            case 8:
              f->clock_rate = 8000;
              f->channels = 1;
              break;
            case 26:
              f->clock_rate = 90000;
              break;
            case 2:
              f->clock_rate = 8000;
              f->channels = 1;
              break;
            default:
              break;
            }
        }
      codec = vg_sdp_codec_from_encoding (m->media, f->encoding, f->payload_type, &bits);
      if (codec == VG_CODEC_AAC && !aac_mode_supported (f->fmtp))
        codec = VG_CODEC_NONE;
      if (codec != VG_CODEC_NONE)
        {
          m->selected = i;
          m->codec = codec;
          m->g726_bits = bits;
          break;
        }
    }
  if (m->n_formats > 0)
    {
      const VgSdpFormat *f = &m->formats[m->selected];

      m->payload_type = f->payload_type;
      m->clock_rate = f->clock_rate;
      m->channels = f->channels;
      if (m->clock_rate == 0 && vg_codec_is_video (m->codec))
        m->clock_rate = 90000;
      if (m->clock_rate == 0 && (m->codec == VG_CODEC_PCMA || m->codec == VG_CODEC_PCMU ||
                                 m->codec == VG_CODEC_G726))
        m->clock_rate = 8000;
      if (m->width == 0 && f->width > 0)
        {
          m->width = f->width;
          m->height = f->height;
        }
    }
}

VgSdp *
vg_sdp_parse (const char *text, gsize len, GError **error)
{
  g_autoptr(VgSdp) sdp = NULL;
  g_autofree char *copy = NULL;
  VgSdpMedia *m = NULL;
  gboolean seen_line = FALSE;
  char *line;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len > VG_SDP_MAX_BYTES)
    {
      g_set_error (error, VG_SDP_ERROR, VG_SDP_ERROR_INVALID, "SDP over %d bytes",
                   VG_SDP_MAX_BYTES);
      return NULL;
    }
  copy = g_strndup (text, len);
  sdp = g_new0 (VgSdp, 1);

  line = copy;
  while (line != NULL && *line != '\0')
    {
      char *nl = strchr (line, '\n');
      char *next = nl ? nl + 1 : NULL;
      char *end = nl ? nl : line + strlen (line);
      char type;
      char *value;

      while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
      *end = '\0';
      while (*line == ' ' || *line == '\t')
        line++;
      if (strlen (line) < 2 || line[1] != '=')
        {
          line = next;
          continue;
        }
      type = line[0];
      value = line + 2;
      seen_line = TRUE;

      switch (type)
        {
        case 'o':
          if (sdp->origin == NULL)
            sdp->origin = g_strdup (value);
          break;
        case 's':
          if (sdp->session_name == NULL)
            sdp->session_name = g_strdup (value);
          break;
        case 'm':
          if (sdp->n_media == VG_SDP_MAX_MEDIA)
            {
              g_set_error (error, VG_SDP_ERROR, VG_SDP_ERROR_INVALID,
                           "more than %d media", VG_SDP_MAX_MEDIA);
              return NULL;
            }
          m = &sdp->media[sdp->n_media++];
          m->ttl = -1;
          parse_media_line (m, value);
          if (m->media == NULL)
            m->media = g_strdup ("");
          break;
        case 'c':
          if (m)
            parse_connection (value, &m->connection, &m->ttl);
          else
            parse_connection (value, &sdp->connection, NULL);
          break;
        case 'b':
          {
            guint kbps;

            if (g_ascii_strncasecmp (value, "AS:", 3) == 0 &&
                parse_uint_prefix (value + 3, 10000000, &kbps, NULL))
              {
                if (m)
                  m->bandwidth_kbps = kbps;
                else
                  sdp->bandwidth_kbps = kbps;
              }
          }
          break;
        case 'a':
          parse_attribute (sdp, m, value);
          break;
        default:
          break;
        }
      line = next;
    }

  if (!seen_line)
    {
      g_set_error (error, VG_SDP_ERROR, VG_SDP_ERROR_INVALID, "not an SDP");
      return NULL;
    }
  for (guint i = 0; i < sdp->n_media; i++)
    {
      VgSdpMedia *media = &sdp->media[i];

      if (media->connection == NULL && sdp->connection != NULL)
        media->connection = g_strdup (sdp->connection);
      media_select_format (media);
    }
  return g_steal_pointer (&sdp);
}

const VgSdpFormat *
vg_sdp_media_get_format (const VgSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  if (media->n_formats == 0)
    return NULL;
  return &media->formats[media->selected];
}

char *
vg_sdp_media_get_fmtp (const VgSdpMedia *media, const char *key)
{
  const VgSdpFormat *f;

  g_return_val_if_fail (key != NULL, NULL);
  f = vg_sdp_media_get_format (media);
  return f ? fmtp_get (f->fmtp, key) : NULL;
}

gint64
vg_sdp_media_get_fmtp_int (const VgSdpMedia *media, const char *key, gint64 fallback)
{
  g_autofree char *value = vg_sdp_media_get_fmtp (media, key);
  gint64 v;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, G_MININT32, G_MAXINT32, &v, NULL))
    return fallback;
  return v;
}

/* ------------------------------------------------------------------------------ */
/* H.264 */

static gboolean
skip_scaling_list (VgBitReader *br, guint size)
{
  gint last = 8, next = 8;

  for (guint j = 0; j < size; j++)
    {
      if (next != 0)
        {
          gint32 delta = vg_bit_reader_read_se (br);

          if (delta < -128 || delta > 127)
            return FALSE;
          next = (last + delta + 256) % 256;
        }
      last = next == 0 ? last : next;
    }
  return !br->error;
}

gboolean
vg_h264_sps_parse (const guint8 *nal, gsize size, VgH264Sps *sps)
{
  VgBitReader br;
  guint chroma_array_type, separate_colour_plane = 0;
  guint poc_type, width_mbs, height_map_units, crop_unit_x, crop_unit_y;
  guint crop[4] = { 0, 0, 0, 0 };
  guint64 width, height, crop_w, crop_h;

  g_return_val_if_fail (sps != NULL, FALSE);
  memset (sps, 0, sizeof *sps);
  if (nal == NULL || size < 4 || (nal[0] & 0x1f) != 7)
    return FALSE;

  vg_bit_reader_init (&br, nal + 1, size - 1, TRUE);
  sps->profile_idc = vg_bit_reader_read_bits (&br, 8);
  sps->constraint_flags = vg_bit_reader_read_bits (&br, 8);
  sps->level_idc = vg_bit_reader_read_bits (&br, 8);
  sps->sps_id = vg_bit_reader_read_ue (&br);
  if (sps->sps_id > 31)
    return FALSE;
  sps->chroma_format_idc = 1;
  sps->bit_depth_luma = sps->bit_depth_chroma = 8;

  switch (sps->profile_idc)
    {
    case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118:
    case 128: case 138: case 139: case 134: case 135:
      sps->chroma_format_idc = vg_bit_reader_read_ue (&br);
      if (sps->chroma_format_idc > 3)
        return FALSE;
      if (sps->chroma_format_idc == 3)
        separate_colour_plane = vg_bit_reader_read_bit (&br);
      sps->bit_depth_luma = vg_bit_reader_read_ue (&br) + 8;
      sps->bit_depth_chroma = vg_bit_reader_read_ue (&br) + 8;
      if (sps->bit_depth_luma > 14 || sps->bit_depth_chroma > 14)
        return FALSE;
      vg_bit_reader_read_bit (&br);                     /* qpprime_y_zero_transform_bypass */
      if (vg_bit_reader_read_bit (&br))                 /* seq_scaling_matrix_present */
        {
          guint n = sps->chroma_format_idc != 3 ? 8 : 12;

          for (guint i = 0; i < n; i++)
            if (vg_bit_reader_read_bit (&br) && !skip_scaling_list (&br, i < 6 ? 16 : 64))
              return FALSE;
        }
      break;
    default:
      break;
    }

  vg_bit_reader_read_ue (&br);                          /* log2_max_frame_num_minus4 */
  poc_type = vg_bit_reader_read_ue (&br);
  if (poc_type == 0)
    vg_bit_reader_read_ue (&br);                        /* log2_max_poc_lsb_minus4 */
  else if (poc_type == 1)
    {
      guint n;

      vg_bit_reader_read_bit (&br);
      vg_bit_reader_read_se (&br);
      vg_bit_reader_read_se (&br);
      n = vg_bit_reader_read_ue (&br);
      if (n > 255)
        return FALSE;
      for (guint i = 0; i < n && !br.error; i++)
        vg_bit_reader_read_se (&br);
    }
  else if (poc_type > 2)
    return FALSE;
  vg_bit_reader_read_ue (&br);                          /* max_num_ref_frames */
  vg_bit_reader_read_bit (&br);                         /* gaps_in_frame_num_allowed */
  width_mbs = vg_bit_reader_read_ue (&br) + 1;
  height_map_units = vg_bit_reader_read_ue (&br) + 1;
  sps->frame_mbs_only = vg_bit_reader_read_bit (&br);
  if (!sps->frame_mbs_only)
    vg_bit_reader_read_bit (&br);                       /* mb_adaptive_frame_field */
  vg_bit_reader_read_bit (&br);                         /* direct_8x8_inference */
  if (vg_bit_reader_read_bit (&br))                     /* frame_cropping */
    for (guint i = 0; i < 4; i++)
      crop[i] = vg_bit_reader_read_ue (&br);
  if (br.error)
    return FALSE;
  if (width_mbs > 1024 || height_map_units > 1024)      /* 16384 pixels */
    return FALSE;

  chroma_array_type = separate_colour_plane ? 0 : sps->chroma_format_idc;
  if (chroma_array_type == 0)
    {
      crop_unit_x = 1;
      crop_unit_y = 2 - sps->frame_mbs_only;
    }
  else
    {
      guint sub_width_c = chroma_array_type == 3 ? 1 : 2;
      guint sub_height_c = chroma_array_type == 1 ? 2 : 1;

      crop_unit_x = sub_width_c;
      crop_unit_y = sub_height_c * (2 - sps->frame_mbs_only);
    }
  width = (guint64) width_mbs * 16;
  height = (guint64) (2 - sps->frame_mbs_only) * height_map_units * 16;
  crop_w = ((guint64) crop[0] + crop[1]) * crop_unit_x;
  crop_h = ((guint64) crop[2] + crop[3]) * crop_unit_y;
  if (crop_w >= width || crop_h >= height)
    return FALSE;
  sps->width = width - crop_w;
  sps->height = height - crop_h;
  return TRUE;
}

static void
put_be16 (GByteArray *out, guint v)
{
  guint8 b[2] = { v >> 8, v & 0xff };
  g_byte_array_append (out, b, 2);
}

static void
put_u8 (GByteArray *out, guint v)
{
  guint8 b = v;
  g_byte_array_append (out, &b, 1);
}

static void
put_nal (GByteArray *out, const VgNal *nal)
{
  put_be16 (out, nal->size);
  g_byte_array_append (out, nal->data, nal->size);
}

GBytes *
vg_h264_build_avcc (const VgNal *nals, guint n_nals, guint *width, guint *height)
{
  g_autoptr(GByteArray) out = NULL;
  const VgNal *sps_nals[31], *pps_nals[255], *ext_nals[255];
  guint n_sps = 0, n_pps = 0, n_ext = 0;
  VgH264Sps sps = { 0 };
  gboolean have_sps = FALSE;

  for (guint i = 0; i < n_nals; i++)
    {
      const VgNal *nal = &nals[i];
      guint type;

      if (nal->data == NULL || nal->size < 2 || nal->size > 65535)
        continue;
      type = nal->data[0] & 0x1f;
      if (type == 7 && n_sps < G_N_ELEMENTS (sps_nals))
        {
          VgH264Sps parsed;

          if (!vg_h264_sps_parse (nal->data, nal->size, &parsed))
            continue;
          if (!have_sps)
            sps = parsed;
          have_sps = TRUE;
          sps_nals[n_sps++] = nal;
        }
      else if (type == 8 && n_pps < G_N_ELEMENTS (pps_nals))
        pps_nals[n_pps++] = nal;
      else if (type == 13 && n_ext < G_N_ELEMENTS (ext_nals))
        ext_nals[n_ext++] = nal;
    }
  if (!have_sps || n_pps == 0)
    return NULL;

  out = g_byte_array_new ();
  put_u8 (out, 1);
  put_u8 (out, sps_nals[0]->data[1]);                 /* profile_idc */
  put_u8 (out, sps_nals[0]->data[2]);                 /* constraint flags */
  put_u8 (out, sps_nals[0]->data[3]);                 /* level_idc */
  put_u8 (out, 0xfc | 3);                             /* 4-byte lengths */
  put_u8 (out, 0xe0 | n_sps);
  for (guint i = 0; i < n_sps; i++)
    put_nal (out, sps_nals[i]);
  put_u8 (out, n_pps);
  for (guint i = 0; i < n_pps; i++)
    put_nal (out, pps_nals[i]);
  if (sps.profile_idc != 66 && sps.profile_idc != 77 && sps.profile_idc != 88)
    {
      put_u8 (out, 0xfc | sps.chroma_format_idc);
      put_u8 (out, 0xf8 | (sps.bit_depth_luma - 8));
      put_u8 (out, 0xf8 | (sps.bit_depth_chroma - 8));
      put_u8 (out, n_ext);
      for (guint i = 0; i < n_ext; i++)
        put_nal (out, ext_nals[i]);
    }
  if (width)
    *width = sps.width;
  if (height)
    *height = sps.height;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ------------------------------------------------------------------------------ */
/* H.265 */

gboolean
vg_h265_sps_parse (const guint8 *nal, gsize size, VgH265Sps *sps)
{
  VgBitReader br;
  gboolean sub_profile[8], sub_level[8];
  guint msl, sub_width_c, sub_height_c, crop[4] = { 0, 0, 0, 0 };
  guint32 width, height;
  guint64 crop_w, crop_h;

  g_return_val_if_fail (sps != NULL, FALSE);
  memset (sps, 0, sizeof *sps);
  if (nal == NULL || size < 4 || ((nal[0] >> 1) & 0x3f) != 33)
    return FALSE;

  vg_bit_reader_init (&br, nal + 2, size - 2, TRUE);
  vg_bit_reader_read_bits (&br, 4);                   /* sps_video_parameter_set_id */
  msl = vg_bit_reader_read_bits (&br, 3);             /* sps_max_sub_layers_minus1 */
  if (msl > 6)
    return FALSE;
  sps->max_sub_layers = msl + 1;
  sps->temporal_id_nesting = vg_bit_reader_read_bit (&br);

  /* profile_tier_level (1, msl) */
  sps->profile_space = vg_bit_reader_read_bits (&br, 2);
  sps->tier_flag = vg_bit_reader_read_bit (&br);
  sps->profile_idc = vg_bit_reader_read_bits (&br, 5);
  sps->profile_compatibility_flags = vg_bit_reader_read_bits (&br, 32);
  for (guint i = 0; i < 6; i++)
    sps->constraint_flags[i] = vg_bit_reader_read_bits (&br, 8);
  sps->level_idc = vg_bit_reader_read_bits (&br, 8);
  for (guint i = 0; i < msl; i++)
    {
      sub_profile[i] = vg_bit_reader_read_bit (&br);
      sub_level[i] = vg_bit_reader_read_bit (&br);
    }
  if (msl > 0)
    for (guint i = msl; i < 8; i++)
      vg_bit_reader_skip_bits (&br, 2);
  for (guint i = 0; i < msl; i++)
    {
      if (sub_profile[i])
        vg_bit_reader_skip_bits (&br, 88);
      if (sub_level[i])
        vg_bit_reader_skip_bits (&br, 8);
    }

  if (vg_bit_reader_read_ue (&br) > 15)               /* sps_seq_parameter_set_id */
    return FALSE;
  sps->chroma_format_idc = vg_bit_reader_read_ue (&br);
  if (sps->chroma_format_idc > 3)
    return FALSE;
  sub_width_c = sps->chroma_format_idc == 1 || sps->chroma_format_idc == 2 ? 2 : 1;
  sub_height_c = sps->chroma_format_idc == 1 ? 2 : 1;
  if (sps->chroma_format_idc == 3 && vg_bit_reader_read_bit (&br))
    sub_width_c = sub_height_c = 1;                   /* separate_colour_plane */
  width = vg_bit_reader_read_ue (&br);
  height = vg_bit_reader_read_ue (&br);
  if (vg_bit_reader_read_bit (&br))                   /* conformance_window_flag */
    for (guint i = 0; i < 4; i++)
      crop[i] = vg_bit_reader_read_ue (&br);
  sps->bit_depth_luma = vg_bit_reader_read_ue (&br) + 8;
  sps->bit_depth_chroma = vg_bit_reader_read_ue (&br) + 8;
  if (br.error || sps->bit_depth_luma > 16 || sps->bit_depth_chroma > 16)
    return FALSE;
  if (width == 0 || height == 0 || width > 16888 || height > 16888)
    return FALSE;
  crop_w = ((guint64) crop[0] + crop[1]) * sub_width_c;
  crop_h = ((guint64) crop[2] + crop[3]) * sub_height_c;
  if (crop_w >= width || crop_h >= height)
    return FALSE;
  sps->width = width - crop_w;
  sps->height = height - crop_h;
  return TRUE;
}

GBytes *
vg_h265_build_hvcc (const VgNal *nals, guint n_nals, guint *width, guint *height)
{
  static const guint8 array_types[] = { 32, 33, 34, 39 };
  g_autoptr(GByteArray) out = NULL;
  VgH265Sps sps = { 0 };
  gboolean have_sps = FALSE;
  guint counts[G_N_ELEMENTS (array_types)] = { 0 };
  guint n_arrays = 0;

  for (guint i = 0; i < n_nals; i++)
    {
      const VgNal *nal = &nals[i];
      guint type;

      if (nal->data == NULL || nal->size < 3 || nal->size > 65535)
        continue;
      type = (nal->data[0] >> 1) & 0x3f;
      if (type == 33)
        {
          VgH265Sps parsed;

          if (!vg_h265_sps_parse (nal->data, nal->size, &parsed))
            continue;
          if (!have_sps)
            sps = parsed;
          have_sps = TRUE;
        }
      for (guint a = 0; a < G_N_ELEMENTS (array_types); a++)
        if (type == array_types[a] && counts[a] < 255)
          counts[a]++;
    }
  if (!have_sps || counts[0] == 0 || counts[2] == 0)
    return NULL;

  out = g_byte_array_new ();
  put_u8 (out, 1);
  put_u8 (out, (sps.profile_space << 6) | (sps.tier_flag << 5) | sps.profile_idc);
  put_be16 (out, sps.profile_compatibility_flags >> 16);
  put_be16 (out, sps.profile_compatibility_flags & 0xffff);
  g_byte_array_append (out, sps.constraint_flags, 6);
  put_u8 (out, sps.level_idc);
  put_be16 (out, 0xf000);                               /* min_spatial_segmentation 0 */
  put_u8 (out, 0xfc);                                   /* parallelismType unknown */
  put_u8 (out, 0xfc | sps.chroma_format_idc);
  put_u8 (out, 0xf8 | (sps.bit_depth_luma - 8));
  put_u8 (out, 0xf8 | (sps.bit_depth_chroma - 8));
  put_be16 (out, 0);                                    /* avgFrameRate */
  put_u8 (out, (sps.max_sub_layers << 3) | (sps.temporal_id_nesting << 2) | 3);
  for (guint a = 0; a < G_N_ELEMENTS (array_types); a++)
    n_arrays += counts[a] > 0;
  put_u8 (out, n_arrays);
  for (guint a = 0; a < G_N_ELEMENTS (array_types); a++)
    {
      guint written = 0;

      if (counts[a] == 0)
        continue;
      put_u8 (out, 0x80 | array_types[a]);              /* array_completeness */
      put_be16 (out, counts[a]);
      for (guint i = 0; i < n_nals && written < counts[a]; i++)
        {
          const VgNal *nal = &nals[i];
          VgH265Sps unused;

          if (nal->data == NULL || nal->size < 3 || nal->size > 65535 ||
              ((nal->data[0] >> 1) & 0x3f) != array_types[a])
            continue;
          if (array_types[a] == 33 && !vg_h265_sps_parse (nal->data, nal->size, &unused))
            continue;
          put_nal (out, nal);
          written++;
        }
    }
  if (width)
    *width = sps.width;
  if (height)
    *height = sps.height;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ------------------------------------------------------------------------------ */
/* AAC, MPEG-4 part 2 */

static guint
read_aot (VgBitReader *br)
{
  guint aot = vg_bit_reader_read_bits (br, 5);

  if (aot == 31)
    aot = 32 + vg_bit_reader_read_bits (br, 6);
  return aot;
}

static guint
read_sample_rate (VgBitReader *br)
{
  static const guint rates[] = { 96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                 22050, 16000, 12000, 11025, 8000, 7350 };
  guint index = vg_bit_reader_read_bits (br, 4);

  if (index == 15)
    return vg_bit_reader_read_bits (br, 24);
  return index < G_N_ELEMENTS (rates) ? rates[index] : 0;
}

gboolean
vg_aac_config_parse (const guint8 *config, gsize size, guint *sample_rate, guint *channels,
                     guint *frame_samples)
{
  VgBitReader br;
  guint aot, rate, chan, frame = 1024;

  if (config == NULL || size < 2)
    return FALSE;
  vg_bit_reader_init (&br, config, size, FALSE);
  aot = read_aot (&br);
  rate = read_sample_rate (&br);
  chan = vg_bit_reader_read_bits (&br, 4);
  if (aot == 5 || aot == 29)
    {
      /* SBR / PS: the extension rate, then the core object type */
      read_sample_rate (&br);
      aot = read_aot (&br);
    }
  switch (aot)
    {
    case 1: case 2: case 3: case 4: case 6: case 7: case 17: case 19: case 20: case 21:
    case 22:
      if (vg_bit_reader_read_bit (&br))
        frame = 960;
      break;
    case 23:
      frame = vg_bit_reader_read_bit (&br) ? 480 : 512;
      break;
    case 39:
      {
        /* ELDSpecificConfig starts with frameLengthFlag */
        frame = vg_bit_reader_read_bit (&br) ? 480 : 512;
      }
      break;
    default:
      break;
    }
  if (br.error || aot == 0 || rate == 0 || rate > 192000)
    return FALSE;
  if (sample_rate)
    *sample_rate = rate;
  if (channels)
    *channels = chan == 7 ? 8 : chan;   /* 0: in a PCE */
  if (frame_samples)
    *frame_samples = frame;
  return TRUE;
}

gboolean
vg_mpeg4_config_parse (const guint8 *config, gsize size, guint *width, guint *height)
{
  VgBitReader br;
  guint verid = 1, shape, resolution, bits = 0;
  guint w, h;
  gsize i;

  if (config == NULL)
    return FALSE;
  for (i = 0; i + 4 <= size; i++)
    if (config[i] == 0 && config[i + 1] == 0 && config[i + 2] == 1 &&
        (config[i + 3] & 0xf0) == 0x20)
      break;
  if (i + 4 > size)
    return FALSE;

  vg_bit_reader_init (&br, config + i + 4, size - i - 4, FALSE);
  vg_bit_reader_read_bit (&br);                       /* random_accessible_vol */
  vg_bit_reader_read_bits (&br, 8);                   /* video_object_type_indication */
  if (vg_bit_reader_read_bit (&br))                   /* is_object_layer_identifier */
    {
      verid = vg_bit_reader_read_bits (&br, 4);
      vg_bit_reader_read_bits (&br, 3);
    }
  if (vg_bit_reader_read_bits (&br, 4) == 15)         /* aspect_ratio_info: extended */
    vg_bit_reader_read_bits (&br, 16);
  if (vg_bit_reader_read_bit (&br))                   /* vol_control_parameters */
    {
      vg_bit_reader_read_bits (&br, 3);               /* chroma_format, low_delay */
      if (vg_bit_reader_read_bit (&br))               /* vbv_parameters */
        vg_bit_reader_skip_bits (&br, 79);
    }
  shape = vg_bit_reader_read_bits (&br, 2);
  if (shape == 3 && verid != 1)
    vg_bit_reader_read_bits (&br, 4);
  vg_bit_reader_read_bit (&br);                       /* marker */
  resolution = vg_bit_reader_read_bits (&br, 16);
  vg_bit_reader_read_bit (&br);                       /* marker */
  if (resolution == 0)
    return FALSE;
  while ((1u << bits) < resolution)
    bits++;
  if (vg_bit_reader_read_bit (&br))                   /* fixed_vop_rate */
    vg_bit_reader_skip_bits (&br, MAX (bits, 1));
  if (shape != 0)
    return FALSE;
  vg_bit_reader_read_bit (&br);
  w = vg_bit_reader_read_bits (&br, 13);
  vg_bit_reader_read_bit (&br);
  h = vg_bit_reader_read_bits (&br, 13);
  if (br.error || w == 0 || h == 0)
    return FALSE;
  if (width)
    *width = w;
  if (height)
    *height = h;
  return TRUE;
}

/* ------------------------------------------------------------------------------ */
/* Track info */

static GByteArray *
hex_decode (const char *hex)
{
  GByteArray *out = g_byte_array_new ();
  gsize n = strlen (hex);

  if (n % 2 != 0)
    goto fail;
  for (gsize i = 0; i < n; i += 2)
    {
      guint8 b;

      if (!g_ascii_isxdigit (hex[i]) || !g_ascii_isxdigit (hex[i + 1]))
        goto fail;
      b = (g_ascii_xdigit_value (hex[i]) << 4) | g_ascii_xdigit_value (hex[i + 1]);
      g_byte_array_append (out, &b, 1);
    }
  if (out->len > 0)
    return out;
fail:
  g_byte_array_unref (out);
  return NULL;
}

static gboolean
is_base64 (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '+' && *s != '/' && *s != '=')
      return FALSE;
  return TRUE;
}

/* Decodes the comma-separated base64 NAL units of value and appends them. */
static void
collect_nals (const char *value, GPtrArray *blobs, GArray *nals)
{
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return;
  parts = g_strsplit (value, ",", 64);
  for (guint i = 0; parts[i]; i++)
    {
      char *part = g_strstrip (parts[i]);
      gsize len = 0;
      guchar *data;
      VgNal nal;

      if (!is_base64 (part))
        continue;
      data = g_base64_decode (part, &len);
      if (data == NULL || len == 0)
        {
          g_free (data);
          continue;
        }
      g_ptr_array_add (blobs, data);
      nal.data = data;
      nal.size = len;
      g_array_append_val (nals, nal);
    }
}

VgTrackInfo *
vg_sdp_media_to_track_info (const VgSdpMedia *media, guint track)
{
  g_autoptr(VgTrackInfo) info = NULL;

  g_return_val_if_fail (media != NULL, NULL);
  if (media->codec == VG_CODEC_NONE)
    return NULL;

  info = g_new0 (VgTrackInfo, 1);
  info->codec = media->codec;
  info->track = track;
  info->clock_rate = media->clock_rate;
  info->width = media->width;
  info->height = media->height;

  switch (media->codec)
    {
    case VG_CODEC_H264:
    case VG_CODEC_H265:
      {
        g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GArray) nals = g_array_new (FALSE, FALSE, sizeof (VgNal));
        guint w = 0, h = 0;

        if (media->codec == VG_CODEC_H264)
          {
            g_autofree char *sets = vg_sdp_media_get_fmtp (media, "sprop-parameter-sets");

            collect_nals (sets, blobs, nals);
            info->codec_private = vg_h264_build_avcc ((const VgNal *) (void *) nals->data,
                                                      nals->len, &w, &h);
          }
        else
          {
            static const char *const keys[] = { "sprop-vps", "sprop-sps", "sprop-pps",
                                                "sprop-sei" };
            for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
              {
                g_autofree char *sets = vg_sdp_media_get_fmtp (media, keys[i]);
                collect_nals (sets, blobs, nals);
              }
            info->codec_private = vg_h265_build_hvcc ((const VgNal *) (void *) nals->data,
                                                      nals->len, &w, &h);
          }
        if (info->codec_private != NULL)
          {
            info->width = w;
            info->height = h;
          }
      }
      break;
    case VG_CODEC_MPEG4:
      {
        g_autofree char *config = vg_sdp_media_get_fmtp (media, "config");
        GByteArray *bytes = config ? hex_decode (config) : NULL;

        if (bytes != NULL)
          {
            guint w, h;

            if (vg_mpeg4_config_parse (bytes->data, bytes->len, &w, &h))
              {
                info->width = w;
                info->height = h;
              }
            info->codec_private = g_byte_array_free_to_bytes (bytes);
          }
      }
      break;
    case VG_CODEC_AAC:
      {
        g_autofree char *config = vg_sdp_media_get_fmtp (media, "config");
        GByteArray *bytes = config ? hex_decode (config) : NULL;
        guint rate = 0, channels = 0;

        info->sample_rate = media->clock_rate;
        info->channels = media->channels ? media->channels : 1;
        if (bytes != NULL)
          {
            if (vg_aac_config_parse (bytes->data, bytes->len, &rate, &channels, NULL))
              {
                info->sample_rate = rate;
                if (channels > 0)
                  info->channels = channels;
              }
            info->codec_private = g_byte_array_free_to_bytes (bytes);
          }
      }
      break;
    case VG_CODEC_PCMA:
    case VG_CODEC_PCMU:
    case VG_CODEC_G726:
      info->sample_rate = media->clock_rate;
      info->channels = media->channels ? media->channels : 1;
      break;
    case VG_CODEC_JPEG:
    case VG_CODEC_NONE:
    default:
      break;
    }
  return g_steal_pointer (&info);
}
