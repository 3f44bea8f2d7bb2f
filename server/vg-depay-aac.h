/* vg-depay-aac.h: MPEG-4 audio (RFC 3640, AAC-hbr and AAC-lbr) depayloader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-depay.h"

G_BEGIN_DECLS

/* The AU-header layout from the fmtp of an mpeg4-generic medium. */
typedef struct
{
  guint    size_length;               /* 13 for AAC-hbr, 6 for AAC-lbr */
  guint    index_length;              /* 3 / 2 */
  guint    index_delta_length;        /* 3 / 2 */
  guint    cts_delta_length;
  guint    dts_delta_length;
  gboolean random_access_indication;
  guint    stream_state_indication;
  guint    frame_samples;             /* 1024 (960, 512, 480 from the config) */
} VgAacRtpConfig;

#define VG_AAC_MAX_AUS_PER_PACKET 64

void     vg_aac_rtp_config_init_hbr  (VgAacRtpConfig *config);
/* From the selected format's fmtp; FALSE when the layout is not one we depayload. */
gboolean vg_aac_rtp_config_from_media (const VgSdpMedia *media, VgAacRtpConfig *config);

/* Reads the AU-header section of a payload: sizes[] of up to max AUs, and where the
 * AU data start. Returns the number of AU headers, or -1 when the section is damaged. */
gint     vg_aac_parse_au_headers     (const VgAacRtpConfig *config, const guint8 *payload,
                                      gsize len, guint *sizes, guint max,
                                      gsize *data_offset);

VgDepay *vg_depay_aac_new (const VgAacRtpConfig *config, guint clock_rate);

G_END_DECLS
