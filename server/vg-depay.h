/* vg-depay.h: what every RTP depayloader shares
 *
 * A depayloader takes the RTP packets of one stream, in arrival order, and hands out
 * VgAccessUnits through a callback, synchronously, from vg_depay_push(). It checks
 * sequence numbers itself: a gap drops the unit being assembled and marks the next unit
 * it hands out `discont`; late and duplicated packets are dropped. It keeps one growable
 * buffer for the unit being assembled, so the steady state allocates only the units it
 * hands out. No locking: one depayloader is used from one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vg-access-unit.h"
#include "vg-rtp.h"
#include "vg-sdp.h"

G_BEGIN_DECLS

typedef struct _VgDepay VgDepay;
typedef struct _VgDepayClass VgDepayClass;

/* unit: transfer full. */
typedef void (*VgDepayEmitFunc) (VgDepay *depay, VgAccessUnit *unit, gpointer user_data);

/* A unit larger than this is dropped (and counted) rather than grown without end. */
#define VG_DEPAY_MAX_UNIT_BYTES (16 * 1024 * 1024)

struct _VgDepayClass
{
  const char *name;
  gsize       instance_size;
  /* One packet, in order, its payload type already checked. */
  void      (*push)     (VgDepay *self, const VgRtpPacket *packet, gint64 time_us);
  /* Packets were lost, or the stream restarted: forget the partial unit. */
  void      (*lost)     (VgDepay *self);
  /* End of stream: hand out a unit still held if it is complete. May be NULL. */
  void      (*flush)    (VgDepay *self);
  /* Parameter sets seen in band, as a track description; may be NULL. */
  VgTrackInfo *(*get_track_info) (VgDepay *self);
  void      (*finalize) (VgDepay *self);
};

/**
 * VgDepay:
 *
 * The fields are read-only for users; the statistics are theirs to read.
 */
struct _VgDepay
{
  const VgDepayClass *klass;
  VgCodec             codec;
  guint               track;
  guint               clock_rate;
  gint                payload_type;      /* -1: any */

  /* Statistics */
  VgRtpStats          stats;             /* sequence numbers, loss, last SR, and the
                                          * sender's SSRC: what vg_rtcp_build_rr() needs;
                                          * jitter is the caller's to update */
  guint64             packets;           /* packets accepted */
  guint64             bad_packets;       /* malformed or unsupported payloads */
  guint64             units;             /* units handed out */
  guint64             dropped_units;     /* incomplete or broken units not handed out */
  guint               config_serial;     /* bumped when in-band parameter sets change */

  /*< private >*/
  VgDepayEmitFunc     emit;
  gpointer            user_data;
  gboolean            discont;           /* the next unit handed out gets discont */
  guint8             *data;              /* the unit being assembled */
  gsize               size;
  gsize               alloc;
  gboolean            in_unit;
  gboolean            overflow;
  guint32             unit_rtp_ts;
  gint64              unit_time_us;
};

/* A depayloader for the selected format of an SDP medium; NULL when its codec has none. */
VgDepay     *vg_depay_new_for_media (const VgSdpMedia *media, guint track,
                                     VgDepayEmitFunc emit, gpointer user_data);
void         vg_depay_free          (VgDepay *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgDepay, vg_depay_free)

void         vg_depay_set_output    (VgDepay *self, guint track, VgDepayEmitFunc emit,
                                     gpointer user_data);
/* -1 accepts every payload type (the default for the constructors of each codec). */
void         vg_depay_set_payload_type (VgDepay *self, gint payload_type);

/* time_us: the packet's wall-clock time (from a VgRtpClock). */
void         vg_depay_push          (VgDepay *self, const VgRtpPacket *packet, gint64 time_us);
/* Parses data as RTP and pushes it; FALSE when it is not RTP. */
gboolean     vg_depay_push_data     (VgDepay *self, const guint8 *data, gsize len,
                                     gint64 time_us);
/* The next unit handed out gets discont (say, the clock re-anchored: pass the
 * discont of vg_rtp_clock_to_wall() here). */
void         vg_depay_set_discont   (VgDepay *self);
void         vg_depay_flush         (VgDepay *self);
/* After a reconnection: forget everything but the statistics. */
void         vg_depay_reset         (VgDepay *self);
/* A description built from in-band parameter sets (H.264/H.265), or NULL. */
VgTrackInfo *vg_depay_get_track_info (VgDepay *self);

/* For the depayloaders themselves */
G_GNUC_INTERNAL VgDepay  *vg_depay_alloc      (const VgDepayClass *klass, VgCodec codec,
                                               guint clock_rate);
G_GNUC_INTERNAL void      vg_depay_begin_unit (VgDepay *self, const VgRtpPacket *packet,
                                               gint64 time_us);
G_GNUC_INTERNAL gboolean  vg_depay_append     (VgDepay *self, const guint8 *data, gsize len);
G_GNUC_INTERNAL guint8   *vg_depay_reserve    (VgDepay *self, gsize len);
G_GNUC_INTERNAL void      vg_depay_truncate   (VgDepay *self, gsize size);
/* Hands out the unit assembled (or drops it when it overflowed). */
G_GNUC_INTERNAL void      vg_depay_emit_unit  (VgDepay *self, gboolean keyframe,
                                               gint64 duration_us);
/* Hands out a unit built elsewhere (copied). */
G_GNUC_INTERNAL void      vg_depay_emit_data  (VgDepay *self, const guint8 *data, gsize len,
                                               gint64 time_us, gint64 duration_us,
                                               gboolean keyframe);
/* Drops the unit assembled; the next one handed out gets discont. */
G_GNUC_INTERNAL void      vg_depay_drop_unit  (VgDepay *self);

G_END_DECLS
