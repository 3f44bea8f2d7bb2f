/* vg-access-unit.h: one timestamped frame (video) or audio packet from a camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VG_CODEC_NONE,
  VG_CODEC_H264,   /* data: NAL units, each with a 4-byte big-endian length (AVCC) */
  VG_CODEC_H265,   /* likewise (HVCC) */
  VG_CODEC_MPEG4,  /* MPEG-4 part 2 elementary stream */
  VG_CODEC_JPEG,   /* one whole JPEG picture (SOI … EOI) */
  VG_CODEC_AAC,    /* one raw AAC frame (no ADTS header) */
  VG_CODEC_PCMA,   /* G.711 A-law samples */
  VG_CODEC_PCMU,   /* G.711 µ-law samples */
  VG_CODEC_G726,   /* G.726 codewords */
} VgCodec;

const char *vg_codec_to_string (VgCodec codec);   /* "h264", "h265", "mpeg4", "jpeg", … */
gboolean    vg_codec_is_video  (VgCodec codec);

/**
 * VgAccessUnit:
 *
 * Reference-counted and immutable once handed on: the ingest fills it, then the
 * recorder, the relay and the decoders read it, possibly from other threads.
 * H.264/H.265 access units carry every NAL of the picture, parameter sets included
 * when the camera sent them in band (a keyframe of a well-behaved stream starts with
 * them). Times are UTC microseconds since the Unix epoch.
 */
typedef struct
{
  VgCodec   codec;
  guint     track;          /* index of the media in the stream (video usually 0) */
  gint64    time_us;        /* presentation time, UTC µs */
  gint64    duration_us;    /* 0 when unknown */
  gboolean  keyframe;       /* a random-access point (IDR/IRAP, every JPEG, every audio unit) */
  gboolean  discont;        /* data were lost just before this unit */
  guint8   *data;
  gsize     size;

  /*< private >*/
  gint      ref_count;
} VgAccessUnit;

/* data is copied. */
VgAccessUnit *vg_access_unit_new   (VgCodec codec, const guint8 *data, gsize size);
/* Takes data (g_malloc'd). */
VgAccessUnit *vg_access_unit_new_take (VgCodec codec, guint8 *data, gsize size);
VgAccessUnit *vg_access_unit_ref   (VgAccessUnit *unit);
void          vg_access_unit_unref (VgAccessUnit *unit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgAccessUnit, vg_access_unit_unref)

/**
 * VgTrackInfo:
 *
 * What a decoder or a muxer needs to know of a track before its first unit
 * (from the SDP, or from the first parameter sets seen in band).
 */
typedef struct
{
  VgCodec  codec;
  guint    track;
  guint    clock_rate;      /* RTP clock rate */
  guint    width, height;   /* video, 0 when unknown */
  guint    sample_rate;     /* audio */
  guint    channels;        /* audio */
  GBytes  *codec_private;   /* H.264: avcC record; H.265: hvcC; AAC: AudioSpecificConfig; or NULL */
} VgTrackInfo;

VgTrackInfo *vg_track_info_copy (const VgTrackInfo *info);
void         vg_track_info_free (VgTrackInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgTrackInfo, vg_track_info_free)

G_END_DECLS
