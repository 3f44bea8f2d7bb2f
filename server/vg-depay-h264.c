/* vg-depay-h264.c: H.264 (RFC 6184) depayloader
 *
 * Single NAL units, STAP-A and FU-A (packetization modes 0 and 1; the interleaved mode
 * is not used by cameras). An access unit ends at the marker bit or when the timestamp
 * changes; it is handed out in AVCC form (each NAL with a 4-byte length), parameter
 * sets included. As FINDINGS §2 trap 3 says, cameras may repeat SPS/PPS before every
 * slice: parameter sets (and delimiters) after the first slice of a unit are dropped,
 * so a picture stays one unit. A unit is handed out only if its first slice starts the
 * picture (first_mb_in_slice 0): after a loss, or when we joined in the middle of a
 * picture, the remains are dropped. Keyframe: an IDR slice, or an I picture with a
 * recovery-point SEI whose recovery_frame_cnt is 0 (intra-refresh streams).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-h264.h"

#include "vg-bit-reader.h"

#include <string.h>

#define MAX_PARAMETER_SET 1024

typedef struct
{
  VgDepay   parent;

  /* The unit being assembled */
  gboolean  have_vcl;
  gboolean  idr;
  gboolean  top;               /* its first slice starts the picture */
  gboolean  intra;             /* its first slice is I or SI */
  gboolean  recovery_point;
  gboolean  broken;

  /* The FU-A being reassembled */
  gboolean  in_fu;
  gsize     fu_start;          /* offset of its length prefix */
  guint8    fu_type;

  /* Parameter sets last seen in band */
  guint8    sps[MAX_PARAMETER_SET];
  gsize     sps_len;
  guint8    pps[MAX_PARAMETER_SET];
  gsize     pps_len;
} VgDepayH264;

static inline void
wr32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
h264_reset_unit (VgDepayH264 *self)
{
  self->have_vcl = FALSE;
  self->idr = FALSE;
  self->top = FALSE;
  self->intra = FALSE;
  self->recovery_point = FALSE;
  self->broken = FALSE;
  self->in_fu = FALSE;
}

static void
remember (VgDepayH264 *self, guint8 *store, gsize *store_len, const guint8 *nal, gsize len)
{
  if (len > MAX_PARAMETER_SET || (len == *store_len && memcmp (store, nal, len) == 0))
    return;
  memcpy (store, nal, len);
  *store_len = len;
  self->parent.config_serial++;
}

static void
parse_sei (VgDepayH264 *self, const guint8 *nal, gsize len)
{
  VgBitReader br;

  vg_bit_reader_init (&br, nal + 1, len - 1, TRUE);
  while (vg_bit_reader_bits_left (&br) >= 16 && !br.error)
    {
      guint type = 0, size = 0, b;

      do
        {
          b = vg_bit_reader_read_bits (&br, 8);
          type += b;
        }
      while (b == 0xff && !br.error);
      do
        {
          b = vg_bit_reader_read_bits (&br, 8);
          size += b;
        }
      while (b == 0xff && !br.error);
      if (br.error)
        return;
      if (type == 6)
        {
          guint32 count = vg_bit_reader_read_ue (&br);

          if (!br.error && count == 0)
            self->recovery_point = TRUE;
          return;
        }
      if ((gsize) size * 8 > vg_bit_reader_bits_left (&br))
        return;
      vg_bit_reader_skip_bits (&br, size * 8);
    }
}

/* A NAL unit (with its length prefix at offset) is complete in the buffer. */
static void
h264_nal_added (VgDepayH264 *self, gsize offset)
{
  VgDepay *base = &self->parent;
  const guint8 *nal = base->data + offset + 4;
  gsize len = base->size - offset - 4;
  guint type;

  if (len == 0)
    {
      vg_depay_truncate (base, offset);
      return;
    }
  type = nal[0] & 0x1f;
  switch (type)
    {
    case 7:  /* SPS */
    case 8:  /* PPS */
    case 9:  /* access unit delimiter */
    case 13: /* SPS extension */
    case 15: /* subset SPS */
      if (self->have_vcl)
        {
          vg_depay_truncate (base, offset);   /* repeated after the first slice */
          return;
        }
      if (type == 7)
        remember (self, self->sps, &self->sps_len, nal, len);
      else if (type == 8)
        remember (self, self->pps, &self->pps_len, nal, len);
      break;
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      if (!self->have_vcl)
        {
          VgBitReader br;
          guint32 first_mb, slice_type;

          vg_bit_reader_init (&br, nal + 1, len - 1, TRUE);
          first_mb = vg_bit_reader_read_ue (&br);
          slice_type = vg_bit_reader_read_ue (&br);
          self->top = !br.error && first_mb == 0;
          self->intra = !br.error && (slice_type % 5 == 2 || slice_type % 5 == 4);
          self->have_vcl = TRUE;
        }
      if (type == 5)
        self->idr = TRUE;
      break;
    case 6:
      if (!self->have_vcl)
        parse_sei (self, nal, len);
      break;
    default:
      break;
    }
}

static void
h264_add_nal (VgDepayH264 *self, const guint8 *nal, gsize len)
{
  VgDepay *base = &self->parent;
  gsize offset = base->size;
  guint8 *p;

  if (len == 0)
    return;
  p = vg_depay_reserve (base, 4 + len);
  if (p == NULL)
    return;
  wr32 (p, len);
  memcpy (p + 4, nal, len);
  h264_nal_added (self, offset);
}

static void
h264_abort_fu (VgDepayH264 *self)
{
  if (!self->in_fu)
    return;
  vg_depay_truncate (&self->parent, self->fu_start);
  self->in_fu = FALSE;
  self->broken = TRUE;
}

/* At the marker bit, on a timestamp change, at the end. */
static void
h264_finish (VgDepayH264 *self)
{
  VgDepay *base = &self->parent;

  if (!base->in_unit)
    return;
  h264_abort_fu (self);
  if (!self->have_vcl)
    {
      /* Parameter sets or SEI sent on their own (some cameras give them another
       * timestamp): they go with the next picture. */
      if (self->broken || base->overflow)
        {
          vg_depay_drop_unit (base);
          h264_reset_unit (self);
        }
      return;
    }
  if (self->broken || !self->top)
    vg_depay_drop_unit (base);
  else
    vg_depay_emit_unit (base, self->idr || (self->recovery_point && self->intra), 0);
  h264_reset_unit (self);
}

static void
h264_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  VgDepayH264 *self = (VgDepayH264 *) base;
  const guint8 *p = packet->payload;
  gsize n = packet->payload_len;

  if (base->in_unit && packet->timestamp != base->unit_rtp_ts)
    {
      h264_finish (self);
      if (base->in_unit)
        {
          base->unit_rtp_ts = packet->timestamp;   /* carried-over parameter sets */
          base->unit_time_us = time_us;
        }
    }
  if (n == 0)
    {
      base->bad_packets++;
      goto out;
    }
  if (!base->in_unit)
    vg_depay_begin_unit (base, packet, time_us);

  switch (p[0] & 0x1f)
    {
    case 24:  /* STAP-A */
      {
        gsize off = 1;

        while (n - off >= 2)
          {
            gsize size = ((gsize) p[off] << 8) | p[off + 1];

            off += 2;
            if (size == 0 || size > n - off)
              {
                base->bad_packets++;
                self->broken = TRUE;
                break;
              }
            h264_add_nal (self, p + off, size);
            off += size;
          }
      }
      break;

    case 28:  /* FU-A */
      {
        guint8 header;
        gboolean start, end;

        if (n < 3)
          {
            base->bad_packets++;
            break;
          }
        header = p[1];
        start = (header & 0x80) != 0;
        end = (header & 0x40) != 0;
        if (start)
          {
            guint8 *q;

            h264_abort_fu (self);
            self->fu_start = base->size;
            q = vg_depay_reserve (base, 5);
            if (q == NULL)
              break;
            q[4] = (p[0] & 0xe0) | (header & 0x1f);
            self->in_fu = TRUE;
            self->fu_type = header & 0x1f;
          }
        else if (!self->in_fu)
          {
            /* A fragment whose start we did not see */
            base->bad_packets++;
            if (self->have_vcl)
              self->broken = TRUE;
            break;
          }
        else if ((header & 0x1f) != self->fu_type)
          {
            h264_abort_fu (self);
            base->bad_packets++;
            break;
          }
        vg_depay_append (base, p + 2, n - 2);
        if (end && self->in_fu)
          {
            self->in_fu = FALSE;
            if (base->overflow)
              break;
            wr32 (base->data + self->fu_start, base->size - self->fu_start - 4);
            h264_nal_added (self, self->fu_start);
          }
      }
      break;

    case 0:
    case 25:  /* STAP-B */
    case 26:  /* MTAP16 */
    case 27:  /* MTAP24 */
    case 29:  /* FU-B */
    case 30:
    case 31:
      base->bad_packets++;
      break;

    default:  /* a single NAL unit */
      h264_add_nal (self, p, n);
      break;
    }

out:
  if (packet->marker)
    h264_finish (self);
}

static void
h264_lost (VgDepay *base)
{
  VgDepayH264 *self = (VgDepayH264 *) base;

  vg_depay_drop_unit (base);
  h264_reset_unit (self);
}

static void
h264_flush (VgDepay *base)
{
  VgDepayH264 *self = (VgDepayH264 *) base;

  h264_finish (self);
  vg_depay_drop_unit (base);        /* parameter sets left alone */
  h264_reset_unit (self);
}

static VgTrackInfo *
h264_get_track_info (VgDepay *base)
{
  VgDepayH264 *self = (VgDepayH264 *) base;
  VgNal nals[2] = { { self->sps, self->sps_len }, { self->pps, self->pps_len } };
  VgTrackInfo *info;
  guint width = 0, height = 0;
  GBytes *avcc;

  if (self->sps_len == 0 || self->pps_len == 0)
    return NULL;
  avcc = vg_h264_build_avcc (nals, 2, &width, &height);
  if (avcc == NULL)
    return NULL;
  info = g_new0 (VgTrackInfo, 1);
  info->codec = VG_CODEC_H264;
  info->track = base->track;
  info->clock_rate = base->clock_rate;
  info->width = width;
  info->height = height;
  info->codec_private = avcc;
  return info;
}

static const VgDepayClass h264_class = {
  .name = "h264",
  .instance_size = sizeof (VgDepayH264),
  .push = h264_push,
  .lost = h264_lost,
  .flush = h264_flush,
  .get_track_info = h264_get_track_info,
};

VgDepay *
vg_depay_h264_new (void)
{
  return vg_depay_alloc (&h264_class, VG_CODEC_H264, 90000);
}
