/* vg-sdp.h: a camera's session description, and the codec configuration in it
 *
 * vg_sdp_parse() reads what a DESCRIBE answered (RFC 4566, with the attributes cameras
 * use), maps each medium's payload to a VgCodec, and vg_sdp_media_to_track_info()
 * builds what a muxer or decoder needs before the first unit: for H.264 the avcC record
 * from sprop-parameter-sets (and the picture size from the SPS), for H.265 the hvcC
 * record from sprop-vps/sps/pps, for AAC the AudioSpecificConfig from config=.
 *
 * The H.264/H.265 parameter-set helpers at the end are shared with the depayloaders,
 * which build the same records from parameter sets seen in band.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vg-access-unit.h"

G_BEGIN_DECLS

#define VG_SDP_ERROR (vg_sdp_error_quark ())
GQuark vg_sdp_error_quark (void);

typedef enum {
  VG_SDP_ERROR_INVALID,     /* not an SDP, or over the limits */
} VgSdpError;

#define VG_SDP_MAX_MEDIA    16
#define VG_SDP_MAX_FORMATS  16
#define VG_SDP_MAX_BYTES    (256 * 1024)

/* One payload format of a medium (a number on its m= line). */
typedef struct
{
  guint     payload_type;
  char     *encoding;       /* from a=rtpmap, or implied by a static payload type; may be NULL */
  guint     clock_rate;     /* 0 when unknown */
  guint     channels;       /* 0 when not given */
  char     *fmtp;           /* the a=fmtp parameters, or NULL */
  guint     width, height;  /* a=framesize:<pt> W-H */
} VgSdpFormat;

typedef struct
{
  char         *media;           /* "video", "audio", "application", … */
  guint         port;
  guint         n_ports;
  char         *proto;           /* "RTP/AVP", … */
  VgSdpFormat   formats[VG_SDP_MAX_FORMATS];
  guint         n_formats;
  guint         selected;        /* index of the first format we can depayload (or 0) */

  /* The selected format, mapped */
  VgCodec       codec;           /* VG_CODEC_NONE when unsupported */
  guint         payload_type;
  guint         clock_rate;
  guint         channels;
  guint         g726_bits;       /* G.726: bits per sample (2..5) */

  char         *control;         /* a=control, or NULL */
  char         *connection;      /* c= address (media's, else the session's), or NULL */
  gint          ttl;             /* from c=, -1 when absent */
  guint         bandwidth_kbps;  /* b=AS */
  gdouble       framerate;       /* a=framerate, 0 when absent */
  guint         width, height;   /* a=x-dimensions / a=framesize, 0 when absent */
  char         *range;           /* a=range */
  gboolean      sendonly, recvonly, inactive;
} VgSdpMedia;

typedef struct
{
  char        *origin;           /* o= */
  char        *session_name;     /* s= */
  char        *control;          /* session-level a=control (aggregate), or NULL */
  char        *range;            /* session-level a=range */
  char        *connection;       /* session-level c= address */
  guint        bandwidth_kbps;
  VgSdpMedia   media[VG_SDP_MAX_MEDIA];
  guint        n_media;
} VgSdp;

VgSdp       *vg_sdp_parse (const char *text, gsize len, GError **error);
void         vg_sdp_free  (VgSdp *sdp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgSdp, vg_sdp_free)

const VgSdpFormat *vg_sdp_media_get_format (const VgSdpMedia *media);
/* A parameter of the selected format's a=fmtp ("packetization-mode", "config", …),
 * compared without case; newly allocated, NULL when absent. */
char        *vg_sdp_media_get_fmtp    (const VgSdpMedia *media, const char *key);
/* Same, parsed as a decimal integer; fallback when absent or not a number. */
gint64       vg_sdp_media_get_fmtp_int (const VgSdpMedia *media, const char *key,
                                        gint64 fallback);
/* The track description for the selected format; NULL when the codec is unsupported. */
VgTrackInfo *vg_sdp_media_to_track_info (const VgSdpMedia *media, guint track);

/* Codec of an rtpmap encoding name (or a static payload type when encoding is NULL);
 * *g726_bits gets G.726's bits per sample. */
VgCodec      vg_sdp_codec_from_encoding (const char *media, const char *encoding,
                                         guint payload_type, guint *g726_bits);

/* ------------------------------------------------------------------------------ */
/* H.264 / H.265 parameter sets */

typedef struct
{
  const guint8 *data;   /* a NAL unit with its header, without start code or length */
  gsize         size;
} VgNal;

typedef struct
{
  guint8   profile_idc;
  guint8   constraint_flags;
  guint8   level_idc;
  guint    sps_id;
  guint    chroma_format_idc;
  guint    bit_depth_luma;       /* 8.. */
  guint    bit_depth_chroma;
  gboolean frame_mbs_only;
  guint    width, height;        /* after cropping */
} VgH264Sps;

/* nal: a whole SPS NAL unit (header byte 0x67 & 0x1f == 7). */
gboolean vg_h264_sps_parse (const guint8 *nal, gsize size, VgH264Sps *sps);
/* avcC (ISO/IEC 14496-15 5.3.3.1) from the SPS, PPS and SPS-extension NAL units among
 * nals; NULL without at least one SPS that parses and one PPS. */
GBytes  *vg_h264_build_avcc (const VgNal *nals, guint n_nals, guint *width, guint *height);

typedef struct
{
  guint8   profile_space, tier_flag, profile_idc;
  guint32  profile_compatibility_flags;
  guint8   constraint_flags[6];
  guint8   level_idc;
  guint    max_sub_layers;        /* 1..8 */
  gboolean temporal_id_nesting;
  guint    chroma_format_idc;
  guint    bit_depth_luma, bit_depth_chroma;
  guint    width, height;         /* after the conformance window */
} VgH265Sps;

gboolean vg_h265_sps_parse  (const guint8 *nal, gsize size, VgH265Sps *sps);
/* hvcC (ISO/IEC 14496-15 8.3.3.1) from the VPS, SPS, PPS (and SEI) NAL units among
 * nals; NULL without a VPS, an SPS that parses and a PPS. */
GBytes  *vg_h265_build_hvcc (const VgNal *nals, guint n_nals, guint *width, guint *height);

/* AudioSpecificConfig: the sample rate, channels and samples per frame it says. */
gboolean vg_aac_config_parse (const guint8 *config, gsize size, guint *sample_rate,
                              guint *channels, guint *frame_samples);

/* MPEG-4 part 2 VisualObjectSequence/VOL header: the picture size of the first VOL. */
gboolean vg_mpeg4_config_parse (const guint8 *config, gsize size, guint *width,
                                guint *height);

G_END_DECLS
