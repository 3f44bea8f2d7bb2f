/* vg-rtsp-session.h: one camera stream pulled over RTSP, as a state machine run by VgIngest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-ingest.h"

G_BEGIN_DECLS

typedef struct _VgRtspSession VgRtspSession;

/* Everything runs in the ingest thread but vg_rtsp_session_get_status(). */
VgRtspSession *vg_rtsp_session_new        (const char *url, const VgSourceOptions *options,
                                           const VgSourceCallbacks *callbacks, gpointer user_data);
void           vg_rtsp_session_free       (VgRtspSession *self);

/* The socket to watch (-1 when none) and whether to watch it for writing too. */
int            vg_rtsp_session_get_fd     (VgRtspSession *self);
gboolean       vg_rtsp_session_wants_write (VgRtspSession *self);
/* A second socket only written to (the HTTP tunnel's POST), or -1; its events go to
 * vg_rtsp_session_writable() too. */
int            vg_rtsp_session_get_write_fd (VgRtspSession *self, gboolean *wants_write);
/* Monotonic µs of the next timer, or G_MAXINT64. */
gint64         vg_rtsp_session_get_deadline (VgRtspSession *self);

void           vg_rtsp_session_readable   (VgRtspSession *self, gint64 now_us);
/* RTP over UDP or multicast: the sockets besides the RTSP connection (serial changes
 * with the set), and one of them readable. */
guint          vg_rtsp_session_get_extra_fds (VgRtspSession *self, int *fds, guint max, guint *serial);
void           vg_rtsp_session_readable_fd   (VgRtspSession *self, int fd, gint64 now_us);
void           vg_rtsp_session_writable   (VgRtspSession *self, gint64 now_us);
void           vg_rtsp_session_timeout    (VgRtspSession *self, gint64 now_us);
/* Sends TEARDOWN if it can (best effort) and closes. */
void           vg_rtsp_session_stop       (VgRtspSession *self);

/* State changes not yet reported; the ingest reports them to the main context. */
gboolean       vg_rtsp_session_take_state_change (VgRtspSession *self, VgSourceState *state,
                                                  char **error);
/* A notice for the camera's log not yet reported (see VgSourceCallbacks.notice). */
gboolean       vg_rtsp_session_take_notice (VgRtspSession *self, char **kind, char **message);
/* A copy (any thread). */
void           vg_rtsp_session_get_status (VgRtspSession *self, VgSourceStatus *status);

G_END_DECLS
