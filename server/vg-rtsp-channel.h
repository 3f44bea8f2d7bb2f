/* vg-rtsp-channel.h: the byte stream under an RTSP session: one TCP connection, or the
 * QuickTime HTTP tunnel (a GET connection that reads, a POST connection that writes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VG_RTSP_CHANNEL_TCP,          /* RTSP and interleaved RTP on one TCP connection */
  VG_RTSP_CHANNEL_HTTP_TUNNEL,  /* RTSP over HTTP (x-sessioncookie, base64 requests) */
} VgRtspChannelKind;

/**
 * VgRtspChannel:
 *
 * What an RTSP session reads and writes, whatever carries it. The session queues RTSP
 * bytes at once (even while connecting: they wait), and reads RTSP bytes; the channel
 * connects without blocking, does the tunnel's HTTP handshake and encodes our bytes
 * as the tunnel wants. Reads go straight into the caller's buffer: nothing is
 * allocated per packet. Everything runs in the ingest thread.
 */
typedef struct _VgRtspChannel VgRtspChannel;

VgRtspChannel *vg_rtsp_channel_new        (VgRtspChannelKind kind);
void           vg_rtsp_channel_free       (VgRtspChannel *self);

/* Starts connecting to host:port; path (with its query) is what the tunnel's HTTP
 * requests ask for. FALSE with error when it cannot even start. */
gboolean       vg_rtsp_channel_open       (VgRtspChannel *self, const char *host, int port,
                                           const char *path, GError **error);
void           vg_rtsp_channel_close      (VgRtspChannel *self);
/* Connected (and, for the tunnel, both connections accepted). */
gboolean       vg_rtsp_channel_is_open    (VgRtspChannel *self);

/* The socket RTSP bytes come from (-1 when closed), and whether to watch it for
 * writing too. */
int            vg_rtsp_channel_get_fd     (VgRtspChannel *self);
gboolean       vg_rtsp_channel_wants_write (VgRtspChannel *self);
/* A second socket, only written to (the tunnel's POST), or -1. */
int            vg_rtsp_channel_get_write_fd (VgRtspChannel *self, gboolean *wants_write);
/* The camera's address as connected to, for RTCP over UDP; FALSE before. */
gboolean       vg_rtsp_channel_get_peer   (VgRtspChannel *self, gpointer address, guint *length);

/* A watched socket is writable (or failed): connections complete, queued bytes go.
 * FALSE with error when the connection broke. */
gboolean       vg_rtsp_channel_writable   (VgRtspChannel *self, GError **error);
/* Reads RTSP bytes into buffer: their count, 0 when there are none for now, -1 with
 * error when the connection ended or the tunnel was refused. */
gssize         vg_rtsp_channel_read       (VgRtspChannel *self, guint8 *buffer, gsize size,
                                           GError **error);
/* Queues RTSP bytes (requests, interleaved RTCP), encoded as the channel needs. */
void           vg_rtsp_channel_send       (VgRtspChannel *self, const char *data, gsize len);
/* Sends what can go now without waiting (a TEARDOWN before closing). */
void           vg_rtsp_channel_flush_now  (VgRtspChannel *self);

G_END_DECLS
