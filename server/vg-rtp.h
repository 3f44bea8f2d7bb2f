/* vg-rtp.h: RTP and RTCP packets, reception statistics and the RTP clock
 *
 * Small structs and pure functions, no allocation: a packet is parsed where it lies
 * (in the RTSP parser's buffer or a UDP datagram), a VgRtpStats per stream counts
 * sequence numbers as RFC 3550 A.1 does and fills our Receiver Reports, and a VgRtpClock
 * per stream turns RTP timestamps into wall-clock time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------ */
/* RTP packets */

typedef struct
{
  gboolean      padding;
  gboolean      extension;
  gboolean      marker;
  guint8        csrc_count;
  guint8        payload_type;
  guint16       seq;
  guint32       timestamp;
  guint32       ssrc;
  guint16       ext_profile;      /* header extension, when extension */
  const guint8 *ext_data;
  gsize         ext_len;
  const guint8 *payload;          /* points into the packet; padding removed */
  gsize         payload_len;
} VgRtpPacket;

/* FALSE when data is not a well-formed RTP version 2 packet (too short, CSRC list,
 * extension or padding running past the end). */
gboolean vg_rtp_packet_parse (VgRtpPacket *packet, const guint8 *data, gsize len);

/* ------------------------------------------------------------------------------ */
/* Reception statistics (RFC 3550 A.1, A.3, A.8) */

typedef enum {
  VG_RTP_SEQ_FIRST,       /* the first packet */
  VG_RTP_SEQ_IN_ORDER,    /* the next one */
  VG_RTP_SEQ_GAP,         /* later than the next one: *lost packets went missing */
  VG_RTP_SEQ_LATE,        /* older than the newest (reordered): drop it */
  VG_RTP_SEQ_DUPLICATE,   /* the newest again: drop it */
  VG_RTP_SEQ_JUMP,        /* a big jump: dropped until a second packet confirms it */
  VG_RTP_SEQ_RESTART,     /* that second packet: the sender restarted its numbering */
} VgRtpSeqResult;

#define VG_RTP_MAX_DROPOUT  3000
#define VG_RTP_MAX_MISORDER 100

typedef struct
{
  gboolean  initialised;
  guint16   max_seq;
  guint32   cycles;          /* wraps of max_seq, times 65536 */
  guint32   base_seq;
  guint32   bad_seq;         /* a jump waits for this one to be confirmed */
  guint64   received;        /* packets counted as RFC 3550 does (late ones too) */
  guint64   lost;            /* packets skipped by gaps */
  guint64   late;            /* reordered or duplicated, dropped */
  guint64   restarts;
  guint32   expected_prior;  /* for the fraction lost between two reports */
  guint32   received_prior;

  guint32   jitter;          /* interarrival jitter, in timestamp units times 16 */
  gboolean  have_transit;
  gint32    transit;

  guint32   last_sr;         /* middle 32 bits of the last SR's NTP time */
  gint64    last_sr_arrival_us;
  guint32   sender_ssrc;     /* the source reported on (from its SR, or set by the caller
                              * from its packets, as VgDepay does) */
} VgRtpStats;

void            vg_rtp_stats_init          (VgRtpStats *stats);
/* Counts one packet's sequence number; *lost gets the size of a gap (else 0). */
VgRtpSeqResult  vg_rtp_stats_update_seq    (VgRtpStats *stats, guint16 seq, guint *lost);
/* Counts one packet's arrival for the jitter (arrival on any steady clock). */
void            vg_rtp_stats_update_jitter (VgRtpStats *stats, guint32 rtp_timestamp,
                                            gint64 arrival_us, guint clock_rate);
/* Extended highest sequence number received. */
guint32         vg_rtp_stats_get_extended_max (const VgRtpStats *stats);

/* ------------------------------------------------------------------------------ */
/* RTCP */

typedef struct
{
  guint32  ssrc;
  guint32  ntp_seconds;      /* since 1900 */
  guint32  ntp_fraction;
  guint32  rtp_timestamp;
  guint32  packet_count;
  guint32  octet_count;
} VgRtcpSenderReport;

typedef struct
{
  gboolean            has_sr;
  VgRtcpSenderReport  sr;          /* the first SR of the compound packet */
  gboolean            has_bye;
  guint               n_packets;
} VgRtcpInfo;

/* Walks a compound RTCP packet. FALSE when the first packet is not valid RTCP; a
 * damaged packet later ends the walk with what was read before it. */
gboolean vg_rtcp_parse             (const guint8 *data, gsize len, VgRtcpInfo *info);
/* Records an SR (for the LSR/DLSR fields of our reports). */
void     vg_rtp_stats_got_sr       (VgRtpStats *stats, const VgRtcpSenderReport *sr,
                                    gint64 arrival_us);
/* Unix time in µs of an NTP timestamp (handles the 2036 era change). */
gint64   vg_rtcp_ntp_to_unix_us    (guint32 ntp_seconds, guint32 ntp_fraction);
/* How far the sender's clock is ahead of ours (negative: behind), in ms rounded to the
 * nearest: its SR's NTP time minus our UTC time when the SR came (the network delay,
 * a few ms, counts as the camera being behind). */
gint64   vg_rtcp_clock_offset_ms   (const VgRtcpSenderReport *sr, gint64 arrival_us);

/* A compound packet: Receiver Report (with a report block when stats has seen a
 * packet) then SDES with our CNAME. Returns its length, or 0 when out is too small
 * (100 bytes plus the CNAME is always enough). Updates the "prior" counters of stats.
 * now_us on the same clock as the arrival times given to vg_rtp_stats_got_sr(). */
gsize    vg_rtcp_build_rr          (guint8 *out, gsize out_size, guint32 our_ssrc,
                                    const char *cname, VgRtpStats *stats,
                                    gint64 now_us);

/* ------------------------------------------------------------------------------ */
/* RTP timestamps to wall-clock time */

/**
 * VgRtpClock:
 *
 * Maps a stream's 32-bit RTP timestamps to UTC microseconds. Timestamps are first
 * extended to 64 bits (wraps and small steps back, as with B-frames, are handled).
 * The mapping is linear: at first anchored on the arrival time of the first packet,
 * then, from the first Sender Report on, on that SR's NTP time. An offset then brings
 * the result onto our own clock: its target is the smallest delay seen over the last
 * seconds (without SR: packets' arrival minus their mapped time; with SRs: the arrival
 * of the last 8 SRs minus the mapped time of their RTP timestamps, which, unlike
 * packets, carry no encoding or pacing delay and are the same for every track of a
 * camera), and it moves towards it by at most max_slew_ppm of the media time, so the
 * output stays smooth and the drift between the camera's clock and ours is corrected.
 * The sender's absolute clock is never trusted (cameras are often minutes or hours
 * off): SRs serve the alignment of a camera's tracks with each other. A jump (a
 * timestamp more than resync_ahead_us ahead of its arrival, or more than
 * resync_behind_us behind it, or an offset error over max_step_us) re-anchors and is
 * reported as a discontinuity, except when the output is found too late by up to
 * catchup_limit_us (the clock was anchored on a packet that reached us late, as when
 * the node was starved): times never go back, the output runs slower by
 * max_catchup_ppm until it is right again.
 */
typedef struct
{
  guint     clock_rate;
  guint     max_slew_ppm;        /* 1000 by default */
  gint64    max_step_us;         /* 1 s */
  gint64    resync_ahead_us;     /* 1 s */
  gint64    resync_behind_us;    /* 30 s */
  guint     max_catchup_ppm;     /* 100000: how much slower a too-late output runs */
  gint64    catchup_limit_us;    /* 10 s: a later output is re-anchored instead */

  /*< private >*/
  gboolean  have_ext;
  gint64    ext_last;            /* highest extended timestamp seen */
  gboolean  have_anchor;
  gboolean  anchor_from_sr;
  gint64    anchor_ext;
  gint64    anchor_us;
  gint64    offset_us;
  gint64    offset_ext;          /* extended timestamp at the last offset update */
  gboolean  catching_up;         /* the offset runs down towards its target */
  gint64    window_start_us;     /* min-delay windows (arrival mode) */
  gint64    window_min_us;
  gint64    prev_window_min_us;
  gboolean  have_prev_window;
  gint64    sr_delay_us[8];      /* SRs' arrival minus their NTP time */
  guint     n_sr;
  guint64   resyncs;
} VgRtpClock;

void     vg_rtp_clock_init    (VgRtpClock *clock, guint clock_rate);
void     vg_rtp_clock_reset   (VgRtpClock *clock);
/* 64-bit extended timestamp (relative to the first one seen, plus 2^32). */
gint64   vg_rtp_clock_extend  (VgRtpClock *clock, guint32 rtp_timestamp);
/* arrival_us: our UTC time (g_get_real_time ()) when the SR came. */
void     vg_rtp_clock_add_sr  (VgRtpClock *clock, const VgRtcpSenderReport *sr,
                               gint64 arrival_us);
/* UTC µs of a packet's timestamp; *discont (may be NULL) TRUE after a re-anchoring. */
gint64   vg_rtp_clock_to_wall (VgRtpClock *clock, guint32 rtp_timestamp, gint64 arrival_us,
                               gboolean *discont);

G_END_DECLS
