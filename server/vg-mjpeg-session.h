/* vg-mjpeg-session.h: one camera's MJPEG over HTTP (multipart/x-mixed-replace), run by VgIngest (ACQ-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-ingest.h"

G_BEGIN_DECLS

typedef struct _VgMjpegSession VgMjpegSession;

/* The same life as a VgRtspSession (see vg-rtsp-session.h), for http:// URLs. */
VgMjpegSession *vg_mjpeg_session_new          (const char *url, const VgSourceOptions *options,
                                               const VgSourceCallbacks *callbacks, gpointer user_data);
void            vg_mjpeg_session_free         (VgMjpegSession *self);
int             vg_mjpeg_session_get_fd       (VgMjpegSession *self);
gboolean        vg_mjpeg_session_wants_write  (VgMjpegSession *self);
gint64          vg_mjpeg_session_get_deadline (VgMjpegSession *self);
void            vg_mjpeg_session_readable     (VgMjpegSession *self, gint64 now_us);
void            vg_mjpeg_session_writable     (VgMjpegSession *self, gint64 now_us);
void            vg_mjpeg_session_timeout      (VgMjpegSession *self, gint64 now_us);
void            vg_mjpeg_session_stop         (VgMjpegSession *self);
gboolean        vg_mjpeg_session_take_state_change (VgMjpegSession *self, VgSourceState *state,
                                                    char **error);
void            vg_mjpeg_session_get_status   (VgMjpegSession *self, VgSourceStatus *status);

G_END_DECLS
