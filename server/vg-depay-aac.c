/* vg-depay-aac.c: MPEG-4 audio (RFC 3640, AAC-hbr and AAC-lbr) depayloader
 *
 * A payload is an AU-header section (16-bit length in bits, then one header per access
 * unit: AU-size, AU-index or AU-index-delta, and the optional CTS/DTS/RAP/stream-state
 * fields the fmtp announces) followed by the access units. One VgAccessUnit per AAC
 * frame, the n-th of a packet stamped n frames after the packet's time. An AU larger
 * than a packet comes in fragments with the same timestamp, the marker bit on the last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-depay-aac.h"

#include "vg-bit-reader.h"

typedef struct
{
  VgDepay         parent;
  VgAacRtpConfig  config;
  gsize           fragment_size;   /* size of the fragmented AU being assembled */
} VgDepayAac;

void
vg_aac_rtp_config_init_hbr (VgAacRtpConfig *config)
{
  g_return_if_fail (config != NULL);
  *config = (VgAacRtpConfig) {
    .size_length = 13,
    .index_length = 3,
    .index_delta_length = 3,
    .frame_samples = 1024,
  };
}

gboolean
vg_aac_rtp_config_from_media (const VgSdpMedia *media, VgAacRtpConfig *config)
{
  g_autofree char *mode = NULL;
  g_autofree char *hex = NULL;
  gint64 v;

  g_return_val_if_fail (media != NULL && config != NULL, FALSE);

  vg_aac_rtp_config_init_hbr (config);
  mode = vg_sdp_media_get_fmtp (media, "mode");
  if (mode != NULL && g_ascii_strcasecmp (mode, "AAC-lbr") == 0)
    {
      config->size_length = 6;
      config->index_length = 2;
      config->index_delta_length = 2;
    }
  else if (mode != NULL && g_ascii_strcasecmp (mode, "AAC-hbr") != 0)
    return FALSE;

  v = vg_sdp_media_get_fmtp_int (media, "sizelength", config->size_length);
  if (v < 1 || v > 32)
    return FALSE;
  config->size_length = v;
  v = vg_sdp_media_get_fmtp_int (media, "indexlength", config->index_length);
  if (v < 0 || v > 32)
    return FALSE;
  config->index_length = v;
  v = vg_sdp_media_get_fmtp_int (media, "indexdeltalength", config->index_delta_length);
  if (v < 0 || v > 32)
    return FALSE;
  config->index_delta_length = v;
  v = vg_sdp_media_get_fmtp_int (media, "ctsdeltalength", 0);
  if (v < 0 || v > 32)
    return FALSE;
  config->cts_delta_length = v;
  v = vg_sdp_media_get_fmtp_int (media, "dtsdeltalength", 0);
  if (v < 0 || v > 32)
    return FALSE;
  config->dts_delta_length = v;
  config->random_access_indication =
    vg_sdp_media_get_fmtp_int (media, "randomaccessindication", 0) != 0;
  v = vg_sdp_media_get_fmtp_int (media, "streamstateindication", 0);
  if (v < 0 || v > 32)
    return FALSE;
  config->stream_state_indication = v;

  hex = vg_sdp_media_get_fmtp (media, "config");
  if (hex != NULL)
    {
      g_autoptr(VgTrackInfo) info = vg_sdp_media_to_track_info (media, 0);
      guint frame = 0;

      if (info && info->codec_private)
        {
          gsize size;
          const guint8 *asc = g_bytes_get_data (info->codec_private, &size);

          if (vg_aac_config_parse (asc, size, NULL, NULL, &frame) && frame > 0)
            config->frame_samples = frame;
        }
    }
  return TRUE;
}

gint
vg_aac_parse_au_headers (const VgAacRtpConfig *config, const guint8 *payload, gsize len,
                         guint *sizes, guint max, gsize *data_offset)
{
  VgBitReader br;
  gsize header_bits, header_bytes, used = 0;
  guint n = 0;

  g_return_val_if_fail (config != NULL && sizes != NULL, -1);

  if (payload == NULL || len < 2)
    return -1;
  header_bits = ((gsize) payload[0] << 8) | payload[1];
  header_bytes = (header_bits + 7) / 8;
  if (header_bytes > len - 2)
    return -1;
  if (data_offset)
    *data_offset = 2 + header_bytes;

  vg_bit_reader_init (&br, payload + 2, header_bytes, FALSE);
  while (used < header_bits)
    {
      guint size;

      if (n == max)
        return -1;
      size = vg_bit_reader_read_bits (&br, config->size_length);
      vg_bit_reader_skip_bits (&br, n == 0 ? config->index_length
                                           : config->index_delta_length);
      if (config->cts_delta_length > 0 && vg_bit_reader_read_bit (&br))
        vg_bit_reader_skip_bits (&br, config->cts_delta_length);
      if (config->dts_delta_length > 0 && vg_bit_reader_read_bit (&br))
        vg_bit_reader_skip_bits (&br, config->dts_delta_length);
      if (config->random_access_indication)
        vg_bit_reader_read_bit (&br);
      vg_bit_reader_skip_bits (&br, config->stream_state_indication);
      used = header_bytes * 8 - vg_bit_reader_bits_left (&br);
      if (br.error || used > header_bits)
        return -1;
      sizes[n++] = size;
    }
  return n;
}

static gint64
frame_duration_us (VgDepayAac *self)
{
  guint rate = self->parent.clock_rate ? self->parent.clock_rate : 48000;

  return (gint64) self->config.frame_samples * G_USEC_PER_SEC / rate;
}

static void
aac_push (VgDepay *base, const VgRtpPacket *packet, gint64 time_us)
{
  VgDepayAac *self = (VgDepayAac *) base;
  guint sizes[VG_AAC_MAX_AUS_PER_PACKET];
  gsize data_offset = 0, avail;
  const guint8 *data;
  gint n;

  n = vg_aac_parse_au_headers (&self->config, packet->payload, packet->payload_len, sizes,
                               G_N_ELEMENTS (sizes), &data_offset);
  if (n < 0)
    {
      base->bad_packets++;
      if (base->in_unit)
        vg_depay_drop_unit (base);
      return;
    }
  data = packet->payload + data_offset;
  avail = packet->payload_len - data_offset;

  if (base->in_unit)
    {
      /* A fragment of the AU being assembled: same timestamp, one header */
      if (packet->timestamp != base->unit_rtp_ts || n != 1 || sizes[0] != self->fragment_size)
        vg_depay_drop_unit (base);
      else
        {
          if (avail > self->fragment_size - base->size)
            avail = self->fragment_size - base->size;
          vg_depay_append (base, data, avail);
          if (base->size == self->fragment_size)
            vg_depay_emit_unit (base, TRUE, frame_duration_us (self));
          else if (packet->marker)
            vg_depay_drop_unit (base);
          return;
        }
    }

  if (n == 1 && sizes[0] > avail)
    {
      /* The first fragment of a large AU */
      if (packet->marker)
        {
          base->bad_packets++;
          return;
        }
      vg_depay_begin_unit (base, packet, time_us);
      self->fragment_size = sizes[0];
      vg_depay_append (base, data, avail);
      return;
    }

  for (gint i = 0; i < n; i++)
    {
      if (sizes[i] > avail)
        {
          base->bad_packets++;
          break;
        }
      vg_depay_emit_data (base, data, sizes[i], time_us + i * frame_duration_us (self),
                          frame_duration_us (self), TRUE);
      data += sizes[i];
      avail -= sizes[i];
    }
}

static void
aac_lost (VgDepay *base)
{
  vg_depay_drop_unit (base);
}

static const VgDepayClass aac_class = {
  .name = "aac",
  .instance_size = sizeof (VgDepayAac),
  .push = aac_push,
  .lost = aac_lost,
};

VgDepay *
vg_depay_aac_new (const VgAacRtpConfig *config, guint clock_rate)
{
  VgDepayAac *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->size_length >= 1 && config->size_length <= 32, NULL);

  self = (VgDepayAac *) vg_depay_alloc (&aac_class, VG_CODEC_AAC, clock_rate);
  self->config = *config;
  if (self->config.frame_samples == 0)
    self->config.frame_samples = 1024;
  return &self->parent;
}
