/* vg-sim-rtsp.h: the simulated cameras' RTSP streams, on gst-rtsp-server. */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "vg-sim-camera.h"
#include "vg-sim-clip.h"

G_BEGIN_DECLS

#define VG_SIM_TYPE_RTSP (vg_sim_rtsp_get_type ())
G_DECLARE_FINAL_TYPE (VgSimRtsp, vg_sim_rtsp, VG_SIM, RTSP, GObject)

/* @cameras: VgSimCamera, camera i at index i - 1. @user: NULL for no
 * authentication; else Basic, or Digest when @digest. */
VgSimRtsp *vg_sim_rtsp_new            (const VgSimClips *clips,
                                       GPtrArray        *cameras,
                                       const char       *user,
                                       const char       *password,
                                       gboolean          digest);
/* Listens on @address:@port (0: any free port) in the thread-default
 * context. */
gboolean   vg_sim_rtsp_start          (VgSimRtsp        *self,
                                       const char       *address,
                                       guint             port,
                                       GError          **error);
guint      vg_sim_rtsp_get_port       (VgSimRtsp        *self);
/* Before start: every connection is RTSP over TLS (rtsps://) with @certificate (and
 * its private key); without a user, anyone may watch. */
void       vg_sim_rtsp_set_tls_certificate (VgSimRtsp     *self,
                                            GTlsCertificate *certificate);
/* Pushes every unit due by @now (the system GstClock's time) into the media
 * that have viewers. Called by one timer for all cameras. */
void       vg_sim_rtsp_tick           (VgSimRtsp        *self,
                                       GstClockTime      now,
                                       GstClockTime      lookahead);
/* RTSP sessions set up on @kind of @camera. */
guint      vg_sim_rtsp_count_viewers  (VgSimRtsp        *self,
                                       VgSimCamera      *camera,
                                       VgSimStreamKind   kind);
/* Closes every connection and session (before quitting). */
void       vg_sim_rtsp_stop           (VgSimRtsp        *self);

G_END_DECLS
