/* fuzz-sdp.c: the SDP parser, the track descriptions built from it (avcC, hvcC,
 * AudioSpecificConfig), and the parameter-set parsers on raw bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-depay.h"
#include "vg-depay-aac.h"
#include "vg-sdp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_avcc (GBytes *bytes)
{
  gsize len, off = 6;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  guint n;

  g_assert (len >= 7 && p[0] == 1);
  n = p[5] & 0x1f;
  for (guint i = 0; i < n; i++)
    {
      g_assert (off + 2 <= len);
      off += 2 + ((p[off] << 8) | p[off + 1]);
    }
  g_assert (off < len);
  n = p[off++];
  for (guint i = 0; i < n; i++)
    {
      g_assert (off + 2 <= len);
      off += 2 + ((p[off] << 8) | p[off + 1]);
    }
  g_assert (off <= len);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(VgSdp) sdp = vg_sdp_parse ((const char *) data, size, NULL);

  for (guint i = 0; sdp && i < sdp->n_media; i++)
    {
      const VgSdpMedia *m = &sdp->media[i];
      g_autoptr(VgTrackInfo) info = vg_sdp_media_to_track_info (m, i);
      VgAacRtpConfig config;

      vg_depay_free (vg_depay_new_for_media (m, i, NULL, NULL));
      g_free (vg_sdp_media_get_fmtp (m, "mode"));
      vg_sdp_media_get_fmtp_int (m, "packetization-mode", 0);
      vg_aac_rtp_config_from_media (m, &config);
      if (info)
        {
          g_assert (info->codec == m->codec);
          if (info->codec == VG_CODEC_H264 && info->codec_private)
            check_avcc (info->codec_private);
        }
    }

  /* Parameter sets, configs straight from the input */
  if (size > 0)
    {
      VgH264Sps sps;
      VgH265Sps sps5;
      guint a, b, c;
      VgNal nals[3];
      gsize third = size / 3;

      vg_h264_sps_parse (data, size, &sps);
      vg_h265_sps_parse (data, size, &sps5);
      vg_aac_config_parse (data, size, &a, &b, &c);
      vg_mpeg4_config_parse (data, size, &a, &b);
      nals[0] = (VgNal) { data, third };
      nals[1] = (VgNal) { data + third, third };
      nals[2] = (VgNal) { data + 2 * third, size - 2 * third };
      {
        GBytes *avcc = vg_h264_build_avcc (nals, 3, &a, &b);
        GBytes *hvcc = vg_h265_build_hvcc (nals, 3, &a, &b);

        if (avcc)
          check_avcc (avcc);
        g_clear_pointer (&avcc, g_bytes_unref);
        g_clear_pointer (&hvcc, g_bytes_unref);
      }
    }
  return 0;
}
