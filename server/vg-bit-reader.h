/* vg-bit-reader.h: a bounds-checked, most-significant-bit-first reader with
 * exp-Golomb codes, for the few header fields the ingest reads (H.264/H.265 SPS and
 * slice headers, AAC AU headers and AudioSpecificConfig, MPEG-4 VOL)
 *
 * It never reads past the end: a read there returns 0 and sets `error`, which the
 * caller checks once at the end. With `epb` set it skips the emulation-prevention
 * byte (0x03 after two zero bytes) of H.264/H.265 NAL units, so a parameter set is
 * read where it lies, without a copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         byte;    /* index of the current byte */
  guint         bit;     /* bits of it already read, 0..7 */
  guint         zeros;   /* zero bytes just read (emulation prevention) */
  gboolean      epb;     /* skip 0x000003's 03 */
  gboolean      error;   /* a read went past the end, or a code was too long */
} VgBitReader;

static inline void
vg_bit_reader_init (VgBitReader *br, const guint8 *data, gsize size, gboolean epb)
{
  br->data = data;
  br->size = size;
  br->byte = 0;
  br->bit = 0;
  br->zeros = 0;
  br->epb = epb;
  br->error = FALSE;
}

static inline guint
vg_bit_reader_read_bit (VgBitReader *br)
{
  guint value;

  if (br->byte >= br->size)
    {
      br->error = TRUE;
      return 0;
    }
  value = (br->data[br->byte] >> (7 - br->bit)) & 1;
  if (++br->bit == 8)
    {
      br->bit = 0;
      br->zeros = br->data[br->byte] == 0 ? br->zeros + 1 : 0;
      br->byte++;
      if (br->epb && br->zeros >= 2 && br->byte < br->size && br->data[br->byte] == 0x03)
        {
          br->byte++;
          br->zeros = 0;
        }
    }
  return value;
}

/* n ≤ 32 */
static inline guint32
vg_bit_reader_read_bits (VgBitReader *br, guint n)
{
  guint32 value = 0;

  g_assert (n <= 32);
  for (guint i = 0; i < n; i++)
    value = (value << 1) | vg_bit_reader_read_bit (br);
  return value;
}

static inline void
vg_bit_reader_skip_bits (VgBitReader *br, guint n)
{
  for (guint i = 0; i < n && !br->error; i++)
    vg_bit_reader_read_bit (br);
}

/* ue(v); a code longer than 32 bits is an error (returns 0). */
static inline guint32
vg_bit_reader_read_ue (VgBitReader *br)
{
  guint zeros = 0;

  while (vg_bit_reader_read_bit (br) == 0)
    {
      if (br->error || ++zeros > 31)
        {
          br->error = TRUE;
          return 0;
        }
    }
  if (zeros == 0)
    return 0;
  return ((1u << zeros) - 1) + vg_bit_reader_read_bits (br, zeros);
}

/* se(v) */
static inline gint32
vg_bit_reader_read_se (VgBitReader *br)
{
  guint32 k = vg_bit_reader_read_ue (br);

  if (k & 1)
    return (gint32) ((k >> 1) + 1);
  return -(gint32) (k >> 1);
}

/* Bits left (emulation-prevention bytes ahead are counted as data). */
static inline gsize
vg_bit_reader_bits_left (const VgBitReader *br)
{
  if (br->byte >= br->size)
    return 0;
  return (br->size - br->byte) * 8 - br->bit;
}

G_END_DECLS
