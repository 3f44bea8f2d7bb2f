/* vg-depay-mpeg4.c: MPEG-4 part 2 video (RFC 6416, MP4V-ES) depayloader
 *
 * The payload is the elementary stream itself: packets are concatenated until the
 * marker bit (or a timestamp change, for cameras that forget the marker). A unit holding
 * only configuration (VOS/VO/VOL headers, no VOP) goes with the next picture. Keyframe:
 * the first VOP of the unit has vop_coding_type I.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-mpeg4.h"

typedef struct
{
  VgDepay parent;
} VgDepayMpeg4;

/* -1: no VOP; else the coding type of the first (0 = I, 1 = P, 2 = B, 3 = S) */
static gint
first_vop_type (const guint8 *p, gsize n)
{
  for (gsize i = 0; i + 4 < n; i++)
    if (p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 1 && p[i + 3] == 0xb6)
      return p[i + 4] >> 6;
  return -1;
}

static void
mpeg4_finish (VgDepay *base)
{
  gint type;

  if (!base->in_unit)
    return;
  if (base->overflow)
    {
      vg_depay_drop_unit (base);
      return;
    }
  type = first_vop_type (base->data, base->size);
  if (type < 0)
    return;                               /* configuration only: keep it */
  vg_depay_emit_unit (base, type == 0, 0);
}

static void
mpeg4_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  if (base->in_unit && packet->timestamp != base->unit_rtp_ts)
    {
      mpeg4_finish (base);
      if (base->in_unit)
        {
          base->unit_rtp_ts = packet->timestamp;
          base->unit_time_us = time_us;
        }
    }
  if (packet->payload_len > 0)
    {
      if (!base->in_unit)
        vg_depay_begin_unit (base, packet, time_us);
      vg_depay_append (base, packet->payload, packet->payload_len);
    }
  if (packet->marker)
    mpeg4_finish (base);
}

static void
mpeg4_lost (VgDepay *base)
{
  vg_depay_drop_unit (base);
}

static void
mpeg4_flush (VgDepay *base)
{
  mpeg4_finish (base);
  vg_depay_drop_unit (base);
}

static const VgDepayClass mpeg4_class = {
  .name = "mpeg4",
  .instance_size = sizeof (VgDepayMpeg4),
  .push = mpeg4_push,
  .lost = mpeg4_lost,
  .flush = mpeg4_flush,
};

VgDepay *
vg_depay_mpeg4_new (void)
{
  return vg_depay_alloc (&mpeg4_class, VG_CODEC_MPEG4, 90000);
}
