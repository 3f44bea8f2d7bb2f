/* vg-depay-g711.c: G.711 (PCMA, PCMU) and G.726 depayloader: one unit per packet
 *
 * The payload is handed out as it came, stamped with the packet's time; the duration
 * follows from the number of samples (bytes × 8 / bits per sample).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-g711.h"

typedef struct
{
  VgDepay parent;
  guint   bits_per_sample;
} VgDepayG711;

static void
g711_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  VgDepayG711 *self = (VgDepayG711 *) base;
  guint64 samples = (guint64) packet->payload_len * 8 / self->bits_per_sample;
  guint rate = base->clock_rate ? base->clock_rate : 8000;

  if (packet->payload_len == 0)
    return;
  vg_depay_emit_data (base, packet->payload, packet->payload_len, time_us,
                      (gint64) (samples * G_USEC_PER_SEC / rate), TRUE);
}

static void
g711_lost (VgDepay *base)
{
}

static const VgDepayClass g711_class = {
  .name = "g711",
  .instance_size = sizeof (VgDepayG711),
  .push = g711_push,
  .lost = g711_lost,
};

VgDepay *
vg_depay_g711_new (VgCodec codec, guint clock_rate, guint bits_per_sample)
{
  VgDepayG711 *self;

  g_return_val_if_fail (codec == VG_CODEC_PCMA || codec == VG_CODEC_PCMU ||
                        codec == VG_CODEC_G726, NULL);
  g_return_val_if_fail (bits_per_sample >= 2 && bits_per_sample <= 8, NULL);

  self = (VgDepayG711 *) vg_depay_alloc (&g711_class, codec, clock_rate ? clock_rate : 8000);
  self->bits_per_sample = bits_per_sample;
  return &self->parent;
}
