/* fuzz-rtp.c: RTP, RTCP, the reception statistics, the clock and every depayloader,
 * fed from one input cut into packets
 *
 * Input: one selector byte (JPEG default size, AAC header layout, G.726 bits), then
 * packets each preceded by a 16-bit big-endian length (RFC 4571 framing, what
 * `rtpstreampay` writes). Every packet goes to every depayloader; the units they hand
 * out are checked for well-formedness.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-depay.h"
#include "vg-depay-aac.h"
#include "vg-depay-g711.h"
#include "vg-depay-h264.h"
#include "vg-depay-h265.h"
#include "vg-depay-jpeg.h"
#include "vg-depay-mpeg4.h"
#include "vg-rtp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_unit (VgDepay *depay, VgAccessUnit *unit, gpointer user_data)
{
  guint *count = user_data;

  g_assert (unit->size > 0 && unit->data != NULL);
  g_assert (unit->codec == depay->codec);
  switch (unit->codec)
    {
    case VG_CODEC_H264:
    case VG_CODEC_H265:
      {
        gsize off = 0;

        while (off < unit->size)
          {
            guint32 len;

            g_assert (unit->size - off >= 4);
            len = ((guint32) unit->data[off] << 24) | (unit->data[off + 1] << 16) |
                  (unit->data[off + 2] << 8) | unit->data[off + 3];
            g_assert (len > 0 && len <= unit->size - off - 4);
            off += 4 + len;
          }
      }
      break;
    case VG_CODEC_JPEG:
      g_assert (unit->size >= 4);
      g_assert (unit->data[0] == 0xff && unit->data[1] == 0xd8);
      g_assert (unit->data[unit->size - 2] == 0xff && unit->data[unit->size - 1] == 0xd9);
      break;
    default:
      break;
    }
  (*count)++;
  vg_access_unit_unref (unit);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  VgDepay *depays[7];
  VgAacRtpConfig aac;
  VgRtpStats stats;
  VgRtpClock clock;
  guint8 rr[512];
  guint units = 0;
  guint selector;
  gsize off = 1;
  gint64 now = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  if (size < 1)
    return 0;
  selector = data[0];

  vg_aac_rtp_config_init_hbr (&aac);
  if (selector & 0x10)
    {
      aac.size_length = 6;
      aac.index_length = aac.index_delta_length = 2;
    }
  if (selector & 0x20)
    {
      aac.cts_delta_length = 16;
      aac.dts_delta_length = 8;
      aac.random_access_indication = TRUE;
      aac.stream_state_indication = 3;
    }
  depays[0] = vg_depay_h264_new ();
  depays[1] = vg_depay_h265_new ();
  depays[2] = vg_depay_jpeg_new ((selector & 0x40) ? 2560 : 0, (selector & 0x40) ? 1440 : 0);
  depays[3] = vg_depay_aac_new (&aac, 16000);
  depays[4] = vg_depay_mpeg4_new ();
  depays[5] = vg_depay_g711_new (VG_CODEC_PCMA, 8000, 8);
  depays[6] = vg_depay_g711_new (VG_CODEC_G726, 8000, 2 + (selector & 3));
  for (guint i = 0; i < G_N_ELEMENTS (depays); i++)
    vg_depay_set_output (depays[i], i, check_unit, &units);

  vg_rtp_stats_init (&stats);
  vg_rtp_clock_init (&clock, (selector & 0x80) ? 8000 : 90000);

  while (size - off >= 2)
    {
      gsize len = ((gsize) data[off] << 8) | data[off + 1];
      const guint8 *p = data + off + 2;
      VgRtpPacket packet;
      VgRtcpInfo info;

      off += 2;
      len = MIN (len, size - off);
      off += len;
      now += 1000 + (len * 37) % 40000;

      if (vg_rtcp_parse (p, len, &info) && info.has_sr)
        {
          vg_rtp_stats_got_sr (&stats, &info.sr, now);
          vg_rtp_clock_add_sr (&clock, &info.sr, now);
        }
      if (!vg_rtp_packet_parse (&packet, p, len))
        continue;
      g_assert (packet.payload + packet.payload_len <= p + len);
      vg_rtp_stats_update_seq (&stats, packet.seq, NULL);
      vg_rtp_stats_update_jitter (&stats, packet.timestamp, now, clock.clock_rate);
      {
        gboolean discont;
        gint64 t = vg_rtp_clock_to_wall (&clock, packet.timestamp, now, &discont);

        for (guint i = 0; i < G_N_ELEMENTS (depays); i++)
          vg_depay_push (depays[i], &packet, t);
      }
      {
        guint sizes[VG_AAC_MAX_AUS_PER_PACKET];
        gsize data_offset;

        vg_aac_parse_au_headers (&aac, packet.payload, packet.payload_len, sizes,
                                 G_N_ELEMENTS (sizes), &data_offset);
      }
    }
  g_assert (vg_rtcp_build_rr (rr, sizeof rr, 0x1234, "vigie@fuzz", &stats, now) > 0);

  for (guint i = 0; i < G_N_ELEMENTS (depays); i++)
    {
      g_autoptr(VgTrackInfo) info = NULL;

      vg_depay_flush (depays[i]);
      info = vg_depay_get_track_info (depays[i]);
      vg_depay_reset (depays[i]);
      vg_depay_free (depays[i]);
    }
  return 0;
}
