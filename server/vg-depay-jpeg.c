/* vg-depay-jpeg.c: RTP/JPEG (RFC 2435) depayloader
 *
 * RTP/JPEG carries only the entropy-coded scan and a small header (type, Q, size,
 * restart interval). The picture is rebuilt into a complete JFIF file: SOI, APP0,
 * quantization tables (sent in band when Q ≥ 128, else computed from Q as RFC 2435
 * Appendix A does), DRI for types 64/65, SOF0, the default Huffman tables of JPEG
 * Annex K.3, SOS, the scan, EOI. Types 0 (4:2:2) and 1 (4:2:0) and their restart-marker
 * variants 64 and 65 are supported. Fragments must arrive in order, each starting where
 * the previous one ended; otherwise the frame is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-jpeg.h"

#include <string.h>

typedef struct
{
  VgDepay   parent;
  guint     default_width;
  guint     default_height;
  gsize     next_offset;      /* fragment offset expected next */

  /* Quantization tables for tables_q (-1: none) */
  gint      tables_q;
  guint     n_tables;
  guint     precision;        /* bit i set: table i has 16-bit entries */
  guint8    tables[4][128];
} VgDepayJpeg;

static const guint8 zigzag[64] = {
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

/* JPEG Annex K, Tables K.1 and K.2 (natural order) */
static const guint8 luma_quantizer[64] = {
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
};

static const guint8 chroma_quantizer[64] = {
  17, 18, 24, 47, 99, 99, 99, 99,
  18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
};

/* JPEG Annex K.3: code counts per length (1..16), then the symbols */
static const guint8 dc_luma_bits[16] = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
static const guint8 dc_luma_vals[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const guint8 dc_chroma_bits[16] = { 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
static const guint8 dc_chroma_vals[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const guint8 ac_luma_bits[16] = { 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d };
static const guint8 ac_luma_vals[162] = {
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51,
  0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1,
  0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18,
  0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
  0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57,
  0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75,
  0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92,
  0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8,
  0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2,
  0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
};
static const guint8 ac_chroma_bits[16] = { 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77 };
static const guint8 ac_chroma_vals[162] = {
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07,
  0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09,
  0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25,
  0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38,
  0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56,
  0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74,
  0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba,
  0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
  0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2,
  0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
};

void
vg_jpeg_make_tables (guint q, guint8 luma[64], guint8 chroma[64])
{
  guint factor = CLAMP (q, 1, 99);
  guint scale = factor < 50 ? 5000 / factor : 200 - factor * 2;

  for (guint i = 0; i < 64; i++)
    {
      guint lq = (luma_quantizer[zigzag[i]] * scale + 50) / 100;
      guint cq = (chroma_quantizer[zigzag[i]] * scale + 50) / 100;

      luma[i] = CLAMP (lq, 1, 255);
      chroma[i] = CLAMP (cq, 1, 255);
    }
}

typedef struct
{
  guint8 *p;
} Writer;

static void
put (Writer *w, const guint8 *data, gsize len)
{
  memcpy (w->p, data, len);
  w->p += len;
}

static void
put_u8 (Writer *w, guint v)
{
  *w->p++ = v;
}

static void
put_be16 (Writer *w, guint v)
{
  *w->p++ = v >> 8;
  *w->p++ = v & 0xff;
}

static void
put_huffman (Writer *w, guint class_id, const guint8 bits[16], const guint8 *vals,
             gsize n_vals)
{
  put_u8 (w, class_id);
  put (w, bits, 16);
  put (w, vals, n_vals);
}

/* Upper bound of the header's size */
#define HEADER_MAX (2 + 18 + 4 * (5 + 128) + 6 + 19 + 4 + 2 * (17 + 12) + 2 * (17 + 162) + 14)

static gsize
write_header (const VgDepayJpeg *self, guint8 *out, guint type, guint width, guint height,
              guint restart_interval)
{
  static const guint8 app0[] = { 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1,
                                 0, 1, 0, 0 };
  Writer w = { out };
  guint chroma_table = self->n_tables > 1 ? 1 : 0;

  put_be16 (&w, 0xffd8);
  put (&w, app0, sizeof app0);
  for (guint i = 0; i < self->n_tables; i++)
    {
      gboolean wide = (self->precision >> i) & 1;

      put_be16 (&w, 0xffdb);
      put_be16 (&w, 2 + 1 + (wide ? 128 : 64));
      put_u8 (&w, (wide << 4) | i);
      put (&w, self->tables[i], wide ? 128 : 64);
    }
  if (restart_interval > 0)
    {
      put_be16 (&w, 0xffdd);
      put_be16 (&w, 4);
      put_be16 (&w, restart_interval);
    }
  put_be16 (&w, 0xffc0);               /* SOF0, baseline */
  put_be16 (&w, 17);
  put_u8 (&w, 8);
  put_be16 (&w, height);
  put_be16 (&w, width);
  put_u8 (&w, 3);
  put_u8 (&w, 1);
  put_u8 (&w, type == 0 ? 0x21 : 0x22);  /* Y: 2×1 (4:2:2) or 2×2 (4:2:0) */
  put_u8 (&w, 0);
  put_u8 (&w, 2);
  put_u8 (&w, 0x11);
  put_u8 (&w, chroma_table);
  put_u8 (&w, 3);
  put_u8 (&w, 0x11);
  put_u8 (&w, chroma_table);

  put_be16 (&w, 0xffc4);               /* DHT, the four tables in one segment */
  put_be16 (&w, 2 + 2 * (17 + 12) + 2 * (17 + 162));
  put_huffman (&w, 0x00, dc_luma_bits, dc_luma_vals, sizeof dc_luma_vals);
  put_huffman (&w, 0x10, ac_luma_bits, ac_luma_vals, sizeof ac_luma_vals);
  put_huffman (&w, 0x01, dc_chroma_bits, dc_chroma_vals, sizeof dc_chroma_vals);
  put_huffman (&w, 0x11, ac_chroma_bits, ac_chroma_vals, sizeof ac_chroma_vals);

  put_be16 (&w, 0xffda);               /* SOS */
  put_be16 (&w, 12);
  put_u8 (&w, 3);
  put_u8 (&w, 1);
  put_u8 (&w, 0x00);
  put_u8 (&w, 2);
  put_u8 (&w, 0x11);
  put_u8 (&w, 3);
  put_u8 (&w, 0x11);
  put_u8 (&w, 0);
  put_u8 (&w, 63);
  put_u8 (&w, 0);

  g_assert ((gsize) (w.p - out) <= HEADER_MAX);
  return w.p - out;
}

/* Reads the quantization table header of a first fragment; FALSE when damaged. */
static gboolean
jpeg_read_tables (VgDepayJpeg *self, guint q, const guint8 *p, gsize n, gsize *off)
{
  guint precision, length;
  gsize pos = 0;
  guint i = 0;

  if (n - *off < 4)
    return FALSE;
  precision = p[*off + 1];
  length = (p[*off + 2] << 8) | p[*off + 3];
  *off += 4;
  if (length == 0)
    return self->tables_q == (gint) q;   /* the tables sent before for this Q */
  if (length > n - *off)
    return FALSE;
  while (pos < length && i < G_N_ELEMENTS (self->tables))
    {
      gsize size = (precision >> i) & 1 ? 128 : 64;

      if (size > length - pos)
        return FALSE;
      memcpy (self->tables[i], p + *off + pos, size);
      pos += size;
      i++;
    }
  if (pos != length || i == 0)
    return FALSE;
  self->n_tables = i;
  self->precision = precision & ((1u << i) - 1);
  self->tables_q = q;
  *off += length;
  return TRUE;
}

static void
jpeg_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  VgDepayJpeg *self = (VgDepayJpeg *) base;
  const guint8 *p = packet->payload;
  gsize n = packet->payload_len;
  gsize off = 8;
  guint fragment, type, q, width, height, restart_interval = 0;

  if (n < 8)
    {
      base->bad_packets++;
      return;
    }
  fragment = ((guint) p[1] << 16) | ((guint) p[2] << 8) | p[3];
  type = p[4];
  q = p[5];
  width = p[6] * 8;
  height = p[7] * 8;
  if (width == 0)
    width = self->default_width;
  if (height == 0)
    height = self->default_height;

  if (type >= 64 && type <= 127)
    {
      if (n < 12)
        {
          base->bad_packets++;
          return;
        }
      restart_interval = (p[8] << 8) | p[9];
      off = 12;
      type -= 64;
    }

  if (fragment == 0)
    {
      guint8 *header;
      gsize header_len;

      if (base->in_unit)
        vg_depay_drop_unit (base);          /* the previous frame never ended */
      if (type > 1 || q == 0 || width == 0 || height == 0 || width > 65535 ||
          height > 65535)
        {
          base->bad_packets++;
          return;
        }
      if (q >= 128)
        {
          if (!jpeg_read_tables (self, q, p, n, &off))
            {
              base->bad_packets++;
              return;
            }
        }
      else if (self->tables_q != (gint) q)
        {
          vg_jpeg_make_tables (q, self->tables[0], self->tables[1]);
          self->n_tables = 2;
          self->precision = 0;
          self->tables_q = q;
        }
      vg_depay_begin_unit (base, packet, time_us);
      header = vg_depay_reserve (base, HEADER_MAX);
      if (header == NULL)
        return;
      header_len = write_header (self, header, type, width, height, restart_interval);
      vg_depay_truncate (base, base->size - HEADER_MAX + header_len);
      self->next_offset = 0;
    }
  else if (!base->in_unit || packet->timestamp != base->unit_rtp_ts)
    {
      /* A fragment of a frame whose start we did not see */
      if (base->in_unit)
        vg_depay_drop_unit (base);
      return;
    }

  if (fragment != self->next_offset)
    {
      vg_depay_drop_unit (base);
      return;
    }
  vg_depay_append (base, p + off, n - off);
  self->next_offset += n - off;

  if (packet->marker)
    {
      if (base->overflow || base->size < 2 || base->data[base->size - 2] != 0xff ||
          base->data[base->size - 1] != 0xd9)
        {
          static const guint8 eoi[2] = { 0xff, 0xd9 };
          vg_depay_append (base, eoi, 2);
        }
      vg_depay_emit_unit (base, TRUE, 0);
    }
}

static void
jpeg_lost (VgDepay *base)
{
  vg_depay_drop_unit (base);
}

static const VgDepayClass jpeg_class = {
  .name = "jpeg",
  .instance_size = sizeof (VgDepayJpeg),
  .push = jpeg_push,
  .lost = jpeg_lost,
};

VgDepay *
vg_depay_jpeg_new (guint width, guint height)
{
  VgDepayJpeg *self = (VgDepayJpeg *) vg_depay_alloc (&jpeg_class, VG_CODEC_JPEG, 90000);

  self->default_width = width;
  self->default_height = height;
  self->tables_q = -1;
  return &self->parent;
}
