/* vg-ingest.h: the capture thread: many camera streams on one epoll loop (ACQ-1, ACQ-5, ACQ-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-access-unit.h"

G_BEGIN_DECLS

typedef enum {
  VG_SOURCE_STATE_STOPPED,     /* "stopped" */
  VG_SOURCE_STATE_CONNECTING,  /* "connecting": TCP, DESCRIBE, SETUP, PLAY */
  VG_SOURCE_STATE_STREAMING,   /* "streaming" */
  VG_SOURCE_STATE_LOST,        /* "lost": waiting before the next attempt */
} VgSourceState;

const char *vg_source_state_to_string (VgSourceState state);

/* What a stream looks like now, for the API and the metrics (a copy). */
typedef struct
{
  VgSourceState state;
  char         *error;            /* why it was lost last, or NULL */
  char         *codec;            /* "h264", … of the video track, or NULL */
  guint         width, height;
  gdouble       fps;              /* video frames per second, over the last few seconds */
  guint64       bitrate_bps;      /* over the last few seconds */
  guint64       frames;           /* video frames since the node started */
  guint64       bytes;
  guint64       packets_lost;
  guint64       reconnections;
  gint64        last_frame_us;    /* UTC, 0 when none yet */
  gint64        streaming_since_us;
  gboolean      has_clock_offset;  /* the camera sent an RTCP sender report */
  gint64        clock_offset_ms;   /* its clock minus ours, from the last one */
  char         *tls_fingerprint;   /* rtsps://: SHA-256 of the certificate the camera
                                    * presented last (lower-case hex), or NULL */
} VgSourceStatus;

void vg_source_status_clear (VgSourceStatus *status);

/**
 * VgSourceCallbacks:
 * @tracks: the tracks of the stream (at each (re)connection, and when in-band
 *   parameter sets change); called in the ingest thread.
 * @unit: one access unit (borrowed: ref it to keep it); called in the ingest thread.
 *   Nothing slow here: it holds up every camera of the thread.
 * @lost: the stream stopped (connection lost, stopped, stalled): what comes next is
 *   after a gap; called in the ingest thread.
 * @state_changed: called in the main context of the thread that added the source.
 * @notice: something worth the camera's log, once (kind "clock_drift": the camera's
 *   clock moved more than 1 s from where it was at connection); may be NULL; called
 *   in the main context of the thread that added the source.
 */
typedef struct
{
  void (*tracks)        (gpointer user_data, VgTrackInfo **tracks, guint n_tracks);
  void (*unit)          (gpointer user_data, VgAccessUnit *unit);
  void (*lost)          (gpointer user_data);
  void (*state_changed) (gpointer user_data, VgSourceState state, const char *error);
  void (*notice)        (gpointer user_data, const char *kind, const char *message);
} VgSourceCallbacks;

typedef struct
{
  guint  watchdog_s;       /* no data for this long: reconnect (ACQ-8); default 10 */
  guint  backoff_max_s;    /* reconnection delay doubles from 0.5 s up to this; default 30 */
  guint  timeout_s;        /* connect and answer timeout; default 10 */
  guint  transport;        /* rtsp://: a VgStreamTransport (TCP, UDP, multicast, HTTP) */
  gboolean gstreamer;      /* rtsp://: GStreamer's rtspsrc instead of our own client (always
                            * for rtsps://): VgGstSession */
  char     tls_fingerprint[65]; /* rtsps://: the certificate the camera must present
                                 * (SHA-256, lower-case hex); empty: any */
} VgSourceOptions;

/* Whether a source of url with options is read by GStreamer (VgGstSession): when the
 * options ask for it, and for every rtsps:// URL. */
gboolean  vg_ingest_uses_gstreamer (const char *url, const VgSourceOptions *options);

#define VG_TYPE_INGEST (vg_ingest_get_type ())
G_DECLARE_FINAL_TYPE (VgIngest, vg_ingest, VG, INGEST, GObject)

/**
 * VgIngest:
 *
 * One thread runs every camera stream: it wakes on epoll, then waits "batch-ms"
 * before reading again, so that each socket is drained in a few large reads instead
 * of one system call per RTP packet (FINDINGS §1). Streams speak RTSP with RTP
 * interleaved on TCP or in RTSP tunnelled over HTTP, over UDP or multicast (Basic or
 * Digest auth, GET_PARAMETER/OPTIONS keep-alive, RTCP receiver reports, sender
 * reports for wall-clock time and the camera's clock offset); a stream that fails or
 * stays silent for watchdog_s is torn down and opened again after a capped
 * exponential backoff.
 */
VgIngest *vg_ingest_new            (guint batch_ms);

/* url: rtsp://[user:password@]host[:port]/path. The callbacks' user_data must stay
 * valid until destroy (called in the caller's main context once the thread has let go
 * of the source). Returns the source id. */
guint     vg_ingest_add_source     (VgIngest *self, const char *url, const VgSourceOptions *options,
                                    const VgSourceCallbacks *callbacks, gpointer user_data,
                                    GDestroyNotify destroy);
void      vg_ingest_remove_source  (VgIngest *self, guint id);
/* FALSE for an unknown id. */
gboolean  vg_ingest_get_status     (VgIngest *self, guint id, VgSourceStatus *status);
/* While at least one hold is taken (someone watches a stream live), the batch is at
 * most VG_INGEST_LIVE_BATCH_MS, so that the relay adds little delay; otherwise the
 * longer batch_ms of recording, which costs less. */
#define VG_INGEST_LIVE_BATCH_MS 10
void      vg_ingest_hold_low_latency    (VgIngest *self);
void      vg_ingest_release_low_latency (VgIngest *self);

/* Stops every source and the thread (blocking briefly). */
void      vg_ingest_shutdown       (VgIngest *self);

G_END_DECLS
