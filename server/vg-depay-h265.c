/* vg-depay-h265.c: H.265 (RFC 7798) depayloader
 *
 * Single NAL units, aggregation packets (AP) and fragmentation units (FU), without
 * DONL (sprop-max-don-diff 0, what cameras send). As for H.264: a unit ends at the
 * marker bit or on a timestamp change, is handed out in length-prefixed form with its
 * parameter sets, parameter sets repeated after the first slice are dropped, and a unit
 * whose first slice segment does not start the picture is dropped. Keyframe: an IRAP
 * picture (BLA, IDR, CRA).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-h265.h"

#include <string.h>

#define MAX_PARAMETER_SET 1024

enum {
  NAL_IRAP_FIRST = 16,
  NAL_IRAP_LAST = 23,
  NAL_VPS = 32,
  NAL_SPS = 33,
  NAL_PPS = 34,
  NAL_AUD = 35,
  NAL_AP = 48,
  NAL_FU = 49,
};

typedef struct
{
  VgDepay   parent;

  gboolean  have_vcl;
  gboolean  irap;
  gboolean  top;
  gboolean  broken;

  gboolean  in_fu;
  gsize     fu_start;
  guint8    fu_type;

  guint8    vps[MAX_PARAMETER_SET];
  gsize     vps_len;
  guint8    sps[MAX_PARAMETER_SET];
  gsize     sps_len;
  guint8    pps[MAX_PARAMETER_SET];
  gsize     pps_len;
} VgDepayH265;

static inline void
wr32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
h265_reset_unit (VgDepayH265 *self)
{
  self->have_vcl = FALSE;
  self->irap = FALSE;
  self->top = FALSE;
  self->broken = FALSE;
  self->in_fu = FALSE;
}

static void
remember (VgDepayH265 *self, guint8 *store, gsize *store_len, const guint8 *nal, gsize len)
{
  if (len > MAX_PARAMETER_SET || (len == *store_len && memcmp (store, nal, len) == 0))
    return;
  memcpy (store, nal, len);
  *store_len = len;
  self->parent.config_serial++;
}

static void
h265_nal_added (VgDepayH265 *self, gsize offset)
{
  VgDepay *base = &self->parent;
  const guint8 *nal = base->data + offset + 4;
  gsize len = base->size - offset - 4;
  guint type;

  if (len < 2)
    {
      vg_depay_truncate (base, offset);      /* not even a NAL header */
      return;
    }
  type = (nal[0] >> 1) & 0x3f;
  if (type >= NAL_VPS && type <= NAL_AUD)
    {
      if (self->have_vcl)
        {
          vg_depay_truncate (base, offset);
          return;
        }
      if (type == NAL_VPS)
        remember (self, self->vps, &self->vps_len, nal, len);
      else if (type == NAL_SPS)
        remember (self, self->sps, &self->sps_len, nal, len);
      else if (type == NAL_PPS)
        remember (self, self->pps, &self->pps_len, nal, len);
    }
  else if (type < 32)
    {
      if (!self->have_vcl)
        {
          /* first_slice_segment_in_pic_flag */
          self->top = len > 2 && (nal[2] & 0x80) != 0;
          self->have_vcl = TRUE;
        }
      if (type >= NAL_IRAP_FIRST && type <= NAL_IRAP_LAST)
        self->irap = TRUE;
    }
}

static void
h265_add_nal (VgDepayH265 *self, const guint8 *nal, gsize len)
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
  h265_nal_added (self, offset);
}

static void
h265_abort_fu (VgDepayH265 *self)
{
  if (!self->in_fu)
    return;
  vg_depay_truncate (&self->parent, self->fu_start);
  self->in_fu = FALSE;
  self->broken = TRUE;
}

static void
h265_finish (VgDepayH265 *self)
{
  VgDepay *base = &self->parent;

  if (!base->in_unit)
    return;
  h265_abort_fu (self);
  if (!self->have_vcl)
    {
      if (self->broken || base->overflow)
        {
          vg_depay_drop_unit (base);
          h265_reset_unit (self);
        }
      return;
    }
  if (self->broken || !self->top)
    vg_depay_drop_unit (base);
  else
    vg_depay_emit_unit (base, self->irap, 0);
  h265_reset_unit (self);
}

static void
h265_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  VgDepayH265 *self = (VgDepayH265 *) base;
  const guint8 *p = packet->payload;
  gsize n = packet->payload_len;

  if (base->in_unit && packet->timestamp != base->unit_rtp_ts)
    {
      h265_finish (self);
      if (base->in_unit)
        {
          base->unit_rtp_ts = packet->timestamp;
          base->unit_time_us = time_us;
        }
    }
  if (n < 2)
    {
      base->bad_packets++;
      goto out;
    }
  if (!base->in_unit)
    vg_depay_begin_unit (base, packet, time_us);

  switch ((p[0] >> 1) & 0x3f)
    {
    case NAL_AP:
      {
        gsize off = 2;

        while (n - off >= 2)
          {
            gsize size = ((gsize) p[off] << 8) | p[off + 1];

            off += 2;
            if (size < 2 || size > n - off)
              {
                base->bad_packets++;
                self->broken = TRUE;
                break;
              }
            h265_add_nal (self, p + off, size);
            off += size;
          }
      }
      break;

    case NAL_FU:
      {
        guint8 header;
        gboolean start, end;

        if (n < 4)
          {
            base->bad_packets++;
            break;
          }
        header = p[2];
        start = (header & 0x80) != 0;
        end = (header & 0x40) != 0;
        if (start)
          {
            guint8 *q;

            h265_abort_fu (self);
            self->fu_start = base->size;
            q = vg_depay_reserve (base, 6);
            if (q == NULL)
              break;
            q[4] = (p[0] & 0x81) | ((header & 0x3f) << 1);
            q[5] = p[1];
            self->in_fu = TRUE;
            self->fu_type = header & 0x3f;
          }
        else if (!self->in_fu)
          {
            base->bad_packets++;
            if (self->have_vcl)
              self->broken = TRUE;
            break;
          }
        else if ((header & 0x3f) != self->fu_type)
          {
            h265_abort_fu (self);
            base->bad_packets++;
            break;
          }
        vg_depay_append (base, p + 3, n - 3);
        if (end && self->in_fu)
          {
            self->in_fu = FALSE;
            if (base->overflow)
              break;
            wr32 (base->data + self->fu_start, base->size - self->fu_start - 4);
            h265_nal_added (self, self->fu_start);
          }
      }
      break;

    case 50:  /* PACI */
    case 51: case 52: case 53: case 54: case 55: case 56: case 57: case 58: case 59:
    case 60: case 61: case 62: case 63:
      base->bad_packets++;
      break;

    default:
      h265_add_nal (self, p, n);
      break;
    }

out:
  if (packet->marker)
    h265_finish (self);
}

static void
h265_lost (VgDepay *base)
{
  vg_depay_drop_unit (base);
  h265_reset_unit ((VgDepayH265 *) base);
}

static void
h265_flush (VgDepay *base)
{
  h265_finish ((VgDepayH265 *) base);
  vg_depay_drop_unit (base);
  h265_reset_unit ((VgDepayH265 *) base);
}

static VgTrackInfo *
h265_get_track_info (VgDepay *base)
{
  VgDepayH265 *self = (VgDepayH265 *) base;
  VgNal nals[3] = {
    { self->vps, self->vps_len }, { self->sps, self->sps_len }, { self->pps, self->pps_len }
  };
  VgTrackInfo *info;
  guint width = 0, height = 0;
  GBytes *hvcc;

  if (self->vps_len == 0 || self->sps_len == 0 || self->pps_len == 0)
    return NULL;
  hvcc = vg_h265_build_hvcc (nals, 3, &width, &height);
  if (hvcc == NULL)
    return NULL;
  info = g_new0 (VgTrackInfo, 1);
  info->codec = VG_CODEC_H265;
  info->track = base->track;
  info->clock_rate = base->clock_rate;
  info->width = width;
  info->height = height;
  info->codec_private = hvcc;
  return info;
}

static const VgDepayClass h265_class = {
  .name = "h265",
  .instance_size = sizeof (VgDepayH265),
  .push = h265_push,
  .lost = h265_lost,
  .flush = h265_flush,
  .get_track_info = h265_get_track_info,
};

VgDepay *
vg_depay_h265_new (void)
{
  return vg_depay_alloc (&h265_class, VG_CODEC_H265, 90000);
}
