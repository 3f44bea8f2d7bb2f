/* vg-rtp.c: RTP and RTCP packets, reception statistics and the RTP clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-rtp.h"

#include <string.h>

static inline guint16
rd16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
rd32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline void
wr16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static inline void
wr32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

/* ------------------------------------------------------------------------------ */
/* RTP packets */

gboolean
vg_rtp_packet_parse (VgRtpPacket *pkt, const guint8 *data, gsize len)
{
  gsize off, end;

  g_return_val_if_fail (pkt != NULL, FALSE);
  memset (pkt, 0, sizeof *pkt);
  if (data == NULL || len < 12 || (data[0] >> 6) != 2)
    return FALSE;

  pkt->padding = (data[0] & 0x20) != 0;
  pkt->extension = (data[0] & 0x10) != 0;
  pkt->csrc_count = data[0] & 0x0f;
  pkt->marker = (data[1] & 0x80) != 0;
  pkt->payload_type = data[1] & 0x7f;
  pkt->seq = rd16 (data + 2);
  pkt->timestamp = rd32 (data + 4);
  pkt->ssrc = rd32 (data + 8);

  off = 12 + 4 * (gsize) pkt->csrc_count;
  if (off > len)
    return FALSE;
  if (pkt->extension)
    {
      gsize ext_len;

      if (len - off < 4)
        return FALSE;
      pkt->ext_profile = rd16 (data + off);
      ext_len = 4 * (gsize) rd16 (data + off + 2);
      off += 4;
      if (len - off < ext_len)
        return FALSE;
      pkt->ext_data = data + off;
      pkt->ext_len = ext_len;
      off += ext_len;
    }
  end = len;
  if (pkt->padding)
    {
      guint8 pad;

      if (end == off)
        return FALSE;
      pad = data[len - 1];
      if (pad == 0 || pad > end - off)
        return FALSE;
      end -= pad;
    }
  pkt->payload = data + off;
  pkt->payload_len = end - off;
  return TRUE;
}

/* ------------------------------------------------------------------------------ */
/* Reception statistics */

#define RTP_SEQ_MOD (1u << 16)

void
vg_rtp_stats_init (VgRtpStats *stats)
{
  g_return_if_fail (stats != NULL);
  memset (stats, 0, sizeof *stats);
  stats->bad_seq = RTP_SEQ_MOD + 1;
}

static void
stats_init_seq (VgRtpStats *s, guint16 seq)
{
  s->initialised = TRUE;
  s->base_seq = seq;
  s->max_seq = seq;
  s->bad_seq = RTP_SEQ_MOD + 1;
  s->cycles = 0;
  s->received = 1;
  s->expected_prior = 0;
  s->received_prior = 0;
}

VgRtpSeqResult
vg_rtp_stats_update_seq (VgRtpStats *s, guint16 seq, guint *lost)
{
  guint16 udelta;

  g_return_val_if_fail (s != NULL, VG_RTP_SEQ_LATE);

  if (lost)
    *lost = 0;
  if (!s->initialised)
    {
      stats_init_seq (s, seq);
      return VG_RTP_SEQ_FIRST;
    }

  udelta = seq - s->max_seq;
  if (udelta == 0)
    {
      s->late++;
      return VG_RTP_SEQ_DUPLICATE;
    }
  if (udelta < VG_RTP_MAX_DROPOUT)
    {
      if (seq < s->max_seq)
        s->cycles += RTP_SEQ_MOD;
      s->max_seq = seq;
      s->received++;
      s->bad_seq = RTP_SEQ_MOD + 1;
      if (udelta > 1)
        {
          s->lost += udelta - 1;
          if (lost)
            *lost = udelta - 1;
          return VG_RTP_SEQ_GAP;
        }
      return VG_RTP_SEQ_IN_ORDER;
    }
  if (udelta <= RTP_SEQ_MOD - VG_RTP_MAX_MISORDER)
    {
      if (seq == s->bad_seq)
        {
          /* Two packets in a row after a jump: the sender restarted. */
          stats_init_seq (s, seq);
          s->restarts++;
          return VG_RTP_SEQ_RESTART;
        }
      s->bad_seq = (seq + 1) & (RTP_SEQ_MOD - 1);
      s->late++;
      return VG_RTP_SEQ_JUMP;
    }
  /* Within MAX_MISORDER behind the newest: a reordered packet */
  s->late++;
  s->received++;
  return VG_RTP_SEQ_LATE;
}

guint32
vg_rtp_stats_get_extended_max (const VgRtpStats *s)
{
  g_return_val_if_fail (s != NULL, 0);
  return s->cycles + s->max_seq;
}

/* value × rate / 1e6 without overflow, for value ≥ 0 */
static guint64
us_to_units (gint64 us, guint rate)
{
  guint64 u = us < 0 ? 0 : (guint64) us;
  return (u / 1000000) * rate + (u % 1000000) * rate / 1000000;
}

void
vg_rtp_stats_update_jitter (VgRtpStats *s, guint32 rtp_timestamp, gint64 arrival_us,
                            guint clock_rate)
{
  guint32 arrival;
  gint32 transit;

  g_return_if_fail (s != NULL);
  if (clock_rate == 0)
    return;

  arrival = (guint32) us_to_units (arrival_us, clock_rate);
  transit = (gint32) (arrival - rtp_timestamp);
  if (s->have_transit)
    {
      gint64 d = (gint64) transit - s->transit;
      gint64 j;

      if (d < 0)
        d = -d;
      d = MIN (d, G_GINT64_CONSTANT (1) << 24);
      j = (gint64) s->jitter + d - ((s->jitter + 8) >> 4);
      s->jitter = (guint32) CLAMP (j, 0, G_MAXUINT32);
    }
  s->transit = transit;
  s->have_transit = TRUE;
}

/* ------------------------------------------------------------------------------ */
/* RTCP */

gint64
vg_rtcp_ntp_to_unix_us (guint32 ntp_seconds, guint32 ntp_fraction)
{
  gint64 seconds = ntp_seconds;

  /* RFC 4330 3: with the top bit clear, the time is in the era after 2036. */
  if ((ntp_seconds & 0x80000000u) == 0)
    seconds += G_GINT64_CONSTANT (1) << 32;
  return (seconds - G_GINT64_CONSTANT (2208988800)) * G_USEC_PER_SEC +
         (gint64) (((guint64) ntp_fraction * G_USEC_PER_SEC) >> 32);
}

gint64
vg_rtcp_clock_offset_ms (const VgRtcpSenderReport *sr, gint64 arrival_us)
{
  gint64 offset_us;

  g_return_val_if_fail (sr != NULL, 0);
  offset_us = vg_rtcp_ntp_to_unix_us (sr->ntp_seconds, sr->ntp_fraction) - arrival_us;
  return offset_us >= 0 ? (offset_us + 500) / 1000 : -((-offset_us + 500) / 1000);
}

gboolean
vg_rtcp_parse (const guint8 *data, gsize len, VgRtcpInfo *info)
{
  gsize off = 0;

  g_return_val_if_fail (info != NULL, FALSE);
  memset (info, 0, sizeof *info);
  if (data == NULL)
    return FALSE;

  while (len - off >= 4)
    {
      const guint8 *p = data + off;
      guint pt = p[1];
      gsize plen = 4 * ((gsize) rd16 (p + 2) + 1);

      if ((p[0] >> 6) != 2 || pt < 192 || pt > 223 || plen > len - off)
        break;
      if (pt == 200 && plen >= 28 && !info->has_sr)
        {
          info->has_sr = TRUE;
          info->sr.ssrc = rd32 (p + 4);
          info->sr.ntp_seconds = rd32 (p + 8);
          info->sr.ntp_fraction = rd32 (p + 12);
          info->sr.rtp_timestamp = rd32 (p + 16);
          info->sr.packet_count = rd32 (p + 20);
          info->sr.octet_count = rd32 (p + 24);
        }
      else if (pt == 203)
        info->has_bye = TRUE;
      info->n_packets++;
      off += plen;
    }
  return info->n_packets > 0;
}

void
vg_rtp_stats_got_sr (VgRtpStats *s, const VgRtcpSenderReport *sr, gint64 arrival_us)
{
  g_return_if_fail (s != NULL && sr != NULL);
  s->last_sr = ((sr->ntp_seconds & 0xffff) << 16) | (sr->ntp_fraction >> 16);
  s->last_sr_arrival_us = arrival_us;
  s->sender_ssrc = sr->ssrc;
}

gsize
vg_rtcp_build_rr (guint8 *out, gsize out_size, guint32 our_ssrc, const char *cname,
                  VgRtpStats *s, gint64 now_us)
{
  gsize cname_len = cname ? MIN (strlen (cname), 255) : 0;
  gboolean block = s != NULL && s->initialised;
  gsize rr_len = 8 + (block ? 24 : 0);
  gsize sdes_len = (8 + 2 + cname_len + 1 + 3) & ~(gsize) 3;
  guint8 *p;

  g_return_val_if_fail (out != NULL, 0);
  if (out_size < rr_len + sdes_len)
    return 0;
  memset (out, 0, rr_len + sdes_len);

  out[0] = 0x80 | (block ? 1 : 0);
  out[1] = 201;
  wr16 (out + 2, rr_len / 4 - 1);
  wr32 (out + 4, our_ssrc);
  if (block)
    {
      guint32 ext_max = vg_rtp_stats_get_extended_max (s);
      guint32 expected = ext_max - s->base_seq + 1;
      guint32 received = (guint32) s->received;
      gint64 cumulative = (gint64) expected - (gint64) received;
      guint32 expected_interval = expected - s->expected_prior;
      guint32 received_interval = received - s->received_prior;
      gint64 lost_interval = (gint64) expected_interval - (gint64) received_interval;
      guint fraction = 0;
      guint32 dlsr = 0;

      s->expected_prior = expected;
      s->received_prior = received;
      if (expected_interval > 0 && lost_interval > 0)
        fraction = (guint) MIN ((lost_interval << 8) / expected_interval, 255);
      cumulative = CLAMP (cumulative, -0x800000, 0x7fffff);
      if (s->last_sr_arrival_us != 0 && now_us > s->last_sr_arrival_us)
        dlsr = (guint32) MIN ((guint64) (now_us - s->last_sr_arrival_us) * 65536 /
                              G_USEC_PER_SEC, G_MAXUINT32);

      p = out + 8;
      wr32 (p, s->sender_ssrc);
      p[4] = fraction;
      p[5] = ((guint32) cumulative >> 16) & 0xff;
      p[6] = ((guint32) cumulative >> 8) & 0xff;
      p[7] = (guint32) cumulative & 0xff;
      wr32 (p + 8, ext_max);
      wr32 (p + 12, s->jitter >> 4);
      wr32 (p + 16, s->last_sr);
      wr32 (p + 20, s->last_sr ? dlsr : 0);
    }

  p = out + rr_len;
  p[0] = 0x81;
  p[1] = 202;
  wr16 (p + 2, sdes_len / 4 - 1);
  wr32 (p + 4, our_ssrc);
  p[8] = 1;                                         /* CNAME */
  p[9] = cname_len;
  if (cname_len > 0)
    memcpy (p + 10, cname, cname_len);
  /* the END item and the padding are the zeros already there */
  return rr_len + sdes_len;
}

/* ------------------------------------------------------------------------------ */
/* Clock */

#define WINDOW_US (5 * G_USEC_PER_SEC)

void
vg_rtp_clock_init (VgRtpClock *clock, guint clock_rate)
{
  g_return_if_fail (clock != NULL);
  memset (clock, 0, sizeof *clock);
  clock->clock_rate = clock_rate ? clock_rate : 90000;
  clock->max_slew_ppm = 1000;
  clock->max_step_us = G_USEC_PER_SEC;
  clock->resync_ahead_us = G_USEC_PER_SEC;
  clock->resync_behind_us = 30 * G_USEC_PER_SEC;
  clock->max_catchup_ppm = 100000;
  clock->catchup_limit_us = 10 * G_USEC_PER_SEC;
}

void
vg_rtp_clock_reset (VgRtpClock *clock)
{
  VgRtpClock keep;

  g_return_if_fail (clock != NULL);
  keep = *clock;
  vg_rtp_clock_init (clock, keep.clock_rate);
  clock->max_slew_ppm = keep.max_slew_ppm;
  clock->max_step_us = keep.max_step_us;
  clock->resync_ahead_us = keep.resync_ahead_us;
  clock->resync_behind_us = keep.resync_behind_us;
  clock->max_catchup_ppm = keep.max_catchup_ppm;
  clock->catchup_limit_us = keep.catchup_limit_us;
  clock->resyncs = keep.resyncs;
}

gint64
vg_rtp_clock_extend (VgRtpClock *clock, guint32 rtp_timestamp)
{
  gint32 delta;
  gint64 ext;

  g_return_val_if_fail (clock != NULL, 0);
  if (!clock->have_ext)
    {
      clock->have_ext = TRUE;
      clock->ext_last = (G_GINT64_CONSTANT (1) << 32) + rtp_timestamp;
      return clock->ext_last;
    }
  delta = (gint32) (rtp_timestamp - (guint32) clock->ext_last);
  ext = clock->ext_last + delta;
  if (delta > 0)
    clock->ext_last = ext;
  return ext;
}

/* units × 1e6 / rate, rounded towards zero, without overflow */
static gint64
units_to_us (gint64 units, guint rate)
{
  gint64 whole = units / rate;
  gint64 rest = units % rate;

  return whole * G_USEC_PER_SEC + rest * G_USEC_PER_SEC / rate;
}

static gint64
clock_map (const VgRtpClock *clock, gint64 ext)
{
  return clock->anchor_us + units_to_us (ext - clock->anchor_ext, clock->clock_rate);
}

static void
clock_anchor_on_arrival (VgRtpClock *clock, gint64 ext, gint64 arrival_us)
{
  clock->have_anchor = TRUE;
  clock->anchor_from_sr = FALSE;
  clock->anchor_ext = ext;
  clock->anchor_us = arrival_us;
  clock->offset_us = 0;
  clock->offset_ext = ext;
  clock->window_start_us = arrival_us; /* this packet: delay 0 */
  clock->window_min_us = 0;
  clock->have_prev_window = FALSE;
  clock->catching_up = FALSE;
  clock->n_sr = 0;
}

/* Whether an error of diff (the output this much too late when negative) is caught up
 * by running the output slow rather than by stepping it back. */
static gboolean
clock_catches_up (const VgRtpClock *clock, gint64 diff)
{
  return diff < 0 && diff >= -clock->catchup_limit_us;
}

/* Whether a packet whose output would be ahead of its arrival by -lateness belongs to a
 * catch-up rather than to a jump of the camera's timestamps: in arrival mode the
 * target follows the packets themselves; with SRs, only while the SRs say so too. */
static gboolean
clock_packet_caught_up (const VgRtpClock *clock, gint64 lateness)
{
  return clock_catches_up (clock, lateness) && (!clock->anchor_from_sr || clock->catching_up);
}

/* Moves the offset towards target; TRUE when it had to step. An output too late by
 * more than max_step_us, up to catchup_limit_us, is never stepped back (times already
 * handed out would come again): it runs slow by max_catchup_ppm until it is right. */
static gboolean
clock_slew (VgRtpClock *clock, gint64 ext, gint64 target)
{
  gint64 elapsed = 0;
  gint64 max_change;
  gint64 diff = target - clock->offset_us;

  if (ext > clock->offset_ext)
    {
      elapsed = units_to_us (ext - clock->offset_ext, clock->clock_rate);
      clock->offset_ext = ext;
    }
  clock->catching_up = (clock->catching_up || diff < -clock->max_step_us) &&
                       clock_catches_up (clock, diff);
  if (clock->catching_up)
    {
      max_change = elapsed / 1000 * clock->max_catchup_ppm / 1000;
      clock->offset_us += MAX (diff, -max_change);
      clock->catching_up = clock->offset_us != target;
      return FALSE;
    }
  if (diff > clock->max_step_us || diff < -clock->max_step_us)
    {
      clock->offset_us = target;
      return TRUE;
    }
  max_change = elapsed / 1000 * clock->max_slew_ppm / 1000;
  clock->offset_us += CLAMP (diff, -max_change, max_change);
  return FALSE;
}

void
vg_rtp_clock_add_sr (VgRtpClock *clock, const VgRtcpSenderReport *sr, gint64 arrival_us)
{
  gint64 ext, wall;

  g_return_if_fail (clock != NULL && sr != NULL);

  /* Extended like a packet's timestamp, without moving the highest one seen: a bogus
   * SR must not disturb the packets' extension. */
  if (clock->have_ext)
    ext = clock->ext_last + (gint32) (sr->rtp_timestamp - (guint32) clock->ext_last);
  else
    ext = vg_rtp_clock_extend (clock, sr->rtp_timestamp);
  wall = vg_rtcp_ntp_to_unix_us (sr->ntp_seconds, sr->ntp_fraction);

  if (clock->have_anchor)
    {
      gint64 predicted = clock_map (clock, ext) + clock->offset_us;
      gint64 error = arrival_us - predicted;

      /* An SR whose RTP time does not match the packets' is ignored. */
      if (error > clock->max_step_us || error < -clock->max_step_us)
        return;
      if (!clock->anchor_from_sr)
        {
          /* Switch to the sender's clock, keeping the output continuous. */
          clock->offset_us = predicted - wall;
          clock->anchor_us = wall;
          clock->anchor_ext = ext;
          clock->anchor_from_sr = TRUE;
          clock->offset_ext = MAX (clock->offset_ext, ext);
          clock->n_sr = 0;
        }
    }
  else
    {
      clock->have_anchor = TRUE;
      clock->anchor_from_sr = TRUE;
      clock->anchor_us = wall;
      clock->anchor_ext = ext;
      clock->offset_us = arrival_us - wall;
      clock->offset_ext = ext;
      clock->n_sr = 0;
    }
  clock->sr_delay_us[clock->n_sr % G_N_ELEMENTS (clock->sr_delay_us)] =
    arrival_us - clock_map (clock, ext);
  clock->n_sr++;
}

gint64
vg_rtp_clock_to_wall (VgRtpClock *clock, guint32 rtp_timestamp, gint64 arrival_us,
                      gboolean *discont)
{
  gint64 ext, mapped, lateness, target;

  g_return_val_if_fail (clock != NULL, arrival_us);

  if (discont)
    *discont = FALSE;
  ext = vg_rtp_clock_extend (clock, rtp_timestamp);
  if (!clock->have_anchor)
    clock_anchor_on_arrival (clock, ext, arrival_us);

  mapped = clock_map (clock, ext);
  lateness = arrival_us - (mapped + clock->offset_us);
  if ((lateness < -clock->resync_ahead_us && !clock_packet_caught_up (clock, lateness)) ||
      lateness > clock->resync_behind_us)
    {
      clock->resyncs++;
      clock->have_ext = FALSE;
      ext = vg_rtp_clock_extend (clock, rtp_timestamp);
      clock_anchor_on_arrival (clock, ext, arrival_us);
      if (discont)
        *discont = TRUE;
      return arrival_us;
    }

  if (clock->anchor_from_sr)
    {
      guint n = MIN (clock->n_sr, G_N_ELEMENTS (clock->sr_delay_us));

      target = clock->sr_delay_us[0];
      for (guint i = 1; i < n; i++)
        target = MIN (target, clock->sr_delay_us[i]);
    }
  else
    {
      gint64 delay = arrival_us - mapped;

      /* The window was opened when the clock was anchored on an arrival. */
      if (arrival_us - clock->window_start_us > WINDOW_US)
        {
          clock->prev_window_min_us = clock->window_min_us;
          clock->have_prev_window = TRUE;
          clock->window_start_us = arrival_us;
          clock->window_min_us = delay;
        }
      else
        clock->window_min_us = MIN (clock->window_min_us, delay);
      target = clock->window_min_us;
      if (clock->have_prev_window)
        target = MIN (target, clock->prev_window_min_us);
    }

  if (clock_slew (clock, ext, target))
    {
      clock->resyncs++;
      if (discont)
        *discont = TRUE;
    }
  return mapped + clock->offset_us;
}
