/* vg-depay.c: what every RTP depayloader shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay.h"

#include "vg-depay-aac.h"
#include "vg-depay-g711.h"
#include "vg-depay-h264.h"
#include "vg-depay-h265.h"
#include "vg-depay-jpeg.h"
#include "vg-depay-mpeg4.h"

#include <string.h>

VgDepay *
vg_depay_alloc (const VgDepayClass *klass, VgCodec codec, guint clock_rate)
{
  VgDepay *self;

  g_assert (klass != NULL && klass->instance_size >= sizeof (VgDepay));
  g_assert (klass->push != NULL && klass->lost != NULL);

  self = g_malloc0 (klass->instance_size);
  self->klass = klass;
  self->codec = codec;
  self->clock_rate = clock_rate;
  self->payload_type = -1;
  vg_rtp_stats_init (&self->stats);
  return self;
}

void
vg_depay_free (VgDepay *self)
{
  if (self == NULL)
    return;
  if (self->klass->finalize)
    self->klass->finalize (self);
  g_free (self->data);
  g_free (self);
}

void
vg_depay_set_output (VgDepay *self, guint track, VgDepayEmitFunc emit, gpointer user_data)
{
  g_return_if_fail (self != NULL);
  self->track = track;
  self->emit = emit;
  self->user_data = user_data;
}

void
vg_depay_set_payload_type (VgDepay *self, gint payload_type)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (payload_type >= -1 && payload_type <= 127);
  self->payload_type = payload_type;
}

void
vg_depay_push (VgDepay *self, const VgRtpPacket *packet, gint64 time_us)
{
  g_return_if_fail (self != NULL && packet != NULL);

  if (self->payload_type >= 0 && packet->payload_type != self->payload_type)
    {
      self->bad_packets++;
      return;
    }
  switch (vg_rtp_stats_update_seq (&self->stats, packet->seq, NULL))
    {
    case VG_RTP_SEQ_FIRST:
    case VG_RTP_SEQ_IN_ORDER:
      break;
    case VG_RTP_SEQ_GAP:
    case VG_RTP_SEQ_RESTART:
      self->klass->lost (self);
      self->discont = TRUE;
      break;
    case VG_RTP_SEQ_LATE:
    case VG_RTP_SEQ_DUPLICATE:
    case VG_RTP_SEQ_JUMP:
    default:
      return;
    }
  self->packets++;
  self->stats.sender_ssrc = packet->ssrc;     /* for the report block of our RRs */
  self->klass->push (self, packet, time_us);
}

gboolean
vg_depay_push_data (VgDepay *self, const guint8 *data, gsize len, gint64 time_us)
{
  VgRtpPacket packet;

  g_return_val_if_fail (self != NULL, FALSE);
  if (!vg_rtp_packet_parse (&packet, data, len))
    {
      self->bad_packets++;
      return FALSE;
    }
  vg_depay_push (self, &packet, time_us);
  return TRUE;
}

void
vg_depay_set_discont (VgDepay *self)
{
  g_return_if_fail (self != NULL);
  self->discont = TRUE;
}

void
vg_depay_flush (VgDepay *self)
{
  g_return_if_fail (self != NULL);
  if (self->klass->flush)
    self->klass->flush (self);
  else
    self->klass->lost (self);
}

void
vg_depay_reset (VgDepay *self)
{
  VgRtpStats old;

  g_return_if_fail (self != NULL);
  self->klass->lost (self);
  vg_depay_drop_unit (self);
  old = self->stats;
  vg_rtp_stats_init (&self->stats);
  self->stats.lost = old.lost;
  self->stats.late = old.late;
  self->stats.restarts = old.restarts;
  self->discont = TRUE;
}

VgTrackInfo *
vg_depay_get_track_info (VgDepay *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->klass->get_track_info ? self->klass->get_track_info (self) : NULL;
}

void
vg_depay_begin_unit (VgDepay *self, const VgRtpPacket *packet, gint64 time_us)
{
  self->in_unit = TRUE;
  self->overflow = FALSE;
  self->size = 0;
  self->unit_rtp_ts = packet->timestamp;
  self->unit_time_us = time_us;
}

guint8 *
vg_depay_reserve (VgDepay *self, gsize len)
{
  guint8 *p;

  if (self->overflow)
    return NULL;
  if (len > VG_DEPAY_MAX_UNIT_BYTES - self->size)
    {
      self->overflow = TRUE;
      return NULL;
    }
  if (self->size + len > self->alloc)
    {
      gsize want = MAX (self->alloc * 2, 16 * 1024);

      want = MAX (want, self->size + len);
      self->data = g_realloc (self->data, want);
      self->alloc = want;
    }
  p = self->data + self->size;
  self->size += len;
  return p;
}

gboolean
vg_depay_append (VgDepay *self, const guint8 *data, gsize len)
{
  guint8 *p;

  if (len == 0)
    return !self->overflow;
  p = vg_depay_reserve (self, len);
  if (p == NULL)
    return FALSE;
  memcpy (p, data, len);
  return TRUE;
}

void
vg_depay_truncate (VgDepay *self, gsize size)
{
  g_assert (size <= self->size);
  self->size = size;
}

static void
depay_hand_out (VgDepay *self, VgAccessUnit *unit)
{
  unit->track = self->track;
  unit->discont = self->discont;
  self->discont = FALSE;
  self->units++;
  if (self->emit)
    self->emit (self, unit, self->user_data);
  else
    vg_access_unit_unref (unit);
}

void
vg_depay_emit_unit (VgDepay *self, gboolean keyframe, gint64 duration_us)
{
  VgAccessUnit *unit;

  if (self->overflow || self->size == 0)
    {
      vg_depay_drop_unit (self);
      return;
    }
  unit = vg_access_unit_new (self->codec, self->data, self->size);
  unit->time_us = self->unit_time_us;
  unit->duration_us = duration_us;
  unit->keyframe = keyframe;
  self->size = 0;
  self->in_unit = FALSE;
  depay_hand_out (self, unit);
}

void
vg_depay_emit_data (VgDepay *self, const guint8 *data, gsize len, gint64 time_us,
                    gint64 duration_us, gboolean keyframe)
{
  VgAccessUnit *unit;

  if (len == 0)
    return;
  unit = vg_access_unit_new (self->codec, data, len);
  unit->time_us = time_us;
  unit->duration_us = duration_us;
  unit->keyframe = keyframe;
  depay_hand_out (self, unit);
}

void
vg_depay_drop_unit (VgDepay *self)
{
  if (self->in_unit || self->size > 0)
    {
      self->dropped_units++;
      self->discont = TRUE;
    }
  self->in_unit = FALSE;
  self->overflow = FALSE;
  self->size = 0;
}

VgDepay *
vg_depay_new_for_media (const VgSdpMedia *media, guint track, VgDepayEmitFunc emit,
                        gpointer user_data)
{
  VgDepay *depay = NULL;

  g_return_val_if_fail (media != NULL, NULL);

  switch (media->codec)
    {
    case VG_CODEC_H264:
      depay = vg_depay_h264_new ();
      break;
    case VG_CODEC_H265:
      depay = vg_depay_h265_new ();
      break;
    case VG_CODEC_MPEG4:
      depay = vg_depay_mpeg4_new ();
      break;
    case VG_CODEC_JPEG:
      depay = vg_depay_jpeg_new (media->width, media->height);
      break;
    case VG_CODEC_AAC:
      {
        VgAacRtpConfig config;

        if (!vg_aac_rtp_config_from_media (media, &config))
          return NULL;
        depay = vg_depay_aac_new (&config, media->clock_rate);
      }
      break;
    case VG_CODEC_PCMA:
    case VG_CODEC_PCMU:
      depay = vg_depay_g711_new (media->codec, media->clock_rate, 8);
      break;
    case VG_CODEC_G726:
      depay = vg_depay_g711_new (media->codec, media->clock_rate, media->g726_bits);
      break;
    case VG_CODEC_NONE:
    default:
      return NULL;
    }
  if (media->clock_rate > 0)
    depay->clock_rate = media->clock_rate;
  vg_depay_set_payload_type (depay, media->payload_type);
  vg_depay_set_output (depay, track, emit, user_data);
  return depay;
}
