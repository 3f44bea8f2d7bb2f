/* vg-source-link.h: what every camera connection shares: its state and statistics,
 * the retry schedule after a loss, the non-blocking TCP connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-ingest.h"

G_BEGIN_DECLS

/* During the first minute of an outage the camera is tried every half second, so that
 * recording resumes within 2 s of its return; after that the delay doubles up to the
 * cap (VgSourceOptions.backoff_max_s). */
typedef struct
{
  VgSourceOptions options;

  /* ingest thread only */
  gint64          retry_at;         /* monotonic µs */
  gint64          backoff_us;
  gint64          lost_since;       /* 0 while streaming */
  gint64          streaming_since;
  gint64          last_data;        /* last unit (watchdog) */

  /* read by other threads */
  GMutex          lock;
  VgSourceStatus  status;
  gboolean        state_dirty;
  gint64          window_start;
  guint64         window_frames;
  guint64         window_bytes;
  gboolean        have_offset_base;   /* the clock offset at connection */
  gint64          offset_base_ms;
  gboolean        drift_reported;
  const char     *notice_kind;        /* a notice not yet taken, or NULL */
  char           *notice_message;
} VgSourceLink;

/* How far the camera's clock may move from its offset at connection before it is
 * reported (once per connection). */
#define VG_SOURCE_CLOCK_DRIFT_MS 1000

void     vg_source_link_init          (VgSourceLink *link, const VgSourceOptions *options);
void     vg_source_link_clear         (VgSourceLink *link);

void     vg_source_link_set_state     (VgSourceLink *link, VgSourceState state, const char *error);
/* The stream plays: statistics start, the backoff is reset. */
void     vg_source_link_streaming     (VgSourceLink *link, gint64 now);
/* The connection failed or dropped: state LOST with message, next attempt scheduled. */
void     vg_source_link_lost          (VgSourceLink *link, gboolean was_streaming, const char *message,
                                       gint64 now);
void     vg_source_link_count_unit    (VgSourceLink *link, VgAccessUnit *unit, gint64 now);
void     vg_source_link_set_video     (VgSourceLink *link, VgCodec codec, guint width, guint height);
void     vg_source_link_set_lost_packets (VgSourceLink *link, guint64 lost);
gboolean vg_source_link_watchdog_expired (VgSourceLink *link, gint64 now);
/* The camera's clock offset from an SR. TRUE (once per connection, a notice then
 * waits) when it moved more than VG_SOURCE_CLOCK_DRIFT_MS from the first one. */
gboolean vg_source_link_set_clock_offset (VgSourceLink *link, gint64 offset_ms);
/* A notice not yet reported: its kind and message (both newly allocated). */
gboolean vg_source_link_take_notice (VgSourceLink *link, char **kind, char **message);

gboolean vg_source_link_take_state_change (VgSourceLink *link, VgSourceState *state, char **error);
void     vg_source_link_get_status    (VgSourceLink *link, VgSourceStatus *status);
/* The fingerprint of the certificate the camera presented (any thread). */
void     vg_source_link_set_tls_fingerprint (VgSourceLink *link, const char *fingerprint);

/* Non-blocking connect to host:port; the socket (connection in progress) or -1. */
int      vg_source_connect_tcp        (const char *host, int port, GError **error);
/* After a connect in progress became writable: 0, or the socket's errno. */
int      vg_source_connect_result     (int fd);

/* Sends what it can of out (removing it) without blocking: 0, or the errno that broke
 * the connection. */
int      vg_source_send_pending       (int fd, GString *out);

G_END_DECLS
