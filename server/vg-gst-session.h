/* vg-gst-session.h: a camera stream read by GStreamer's rtspsrc, the fallback of our own
 * RTSP client (ACQ-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-ingest.h"

G_BEGIN_DECLS

/**
 * VgGstSession:
 *
 * For a camera that needs what our own client lacks (RTSP over TLS, a server our
 * client does not get along with): rtspsrc with a depayloader and parser per track,
 * ending in appsinks whose samples are queued and handed out as access units in the
 * ingest thread, like those of our own sessions: the same callbacks, state, statistics,
 * watchdog and reconnection schedule. It costs GStreamer's threads and per-packet work
 * (FINDINGS §1): chosen per stream with "ingest": "gstreamer", and for rtsps:// URLs.
 * The camera's TLS certificate is not verified (cameras carry self-signed ones).
 */
typedef struct _VgGstSession VgGstSession;

VgGstSession *vg_gst_session_new        (const char *url, const VgSourceOptions *options,
                                         const VgSourceCallbacks *callbacks, gpointer user_data);
void          vg_gst_session_free       (VgGstSession *self);
/* An eventfd, readable when samples or events wait. */
int           vg_gst_session_get_fd     (VgGstSession *self);
gboolean      vg_gst_session_wants_write (VgGstSession *self);
gint64        vg_gst_session_get_deadline (VgGstSession *self);
void          vg_gst_session_readable   (VgGstSession *self, gint64 now_us);
void          vg_gst_session_writable   (VgGstSession *self, gint64 now_us);
void          vg_gst_session_timeout    (VgGstSession *self, gint64 now_us);
void          vg_gst_session_stop       (VgGstSession *self);
gboolean      vg_gst_session_take_state_change (VgGstSession *self, VgSourceState *state, char **error);
void          vg_gst_session_get_status (VgGstSession *self, VgSourceStatus *status);

G_END_DECLS
