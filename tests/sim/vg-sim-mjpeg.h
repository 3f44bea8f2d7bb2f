/* vg-sim-mjpeg.h: the simulated cameras' MJPEG over HTTP streams
 * (multipart/x-mixed-replace), on a SoupServer. */
#pragma once

#include <gst/gst.h>
#include <libsoup/soup.h>

#include "vg-sim-camera.h"
#include "vg-sim-clip.h"

G_BEGIN_DECLS

#define VG_SIM_TYPE_MJPEG (vg_sim_mjpeg_get_type ())
G_DECLARE_FINAL_TYPE (VgSimMjpeg, vg_sim_mjpeg, VG_SIM, MJPEG, GObject)

/* @cameras: VgSimCamera, camera i at index i - 1. */
VgSimMjpeg *vg_sim_mjpeg_new           (VgSimClip       *clip,
                                        GPtrArray       *cameras);
/* Serves /camN/mjpeg on @server; with @user, behind Basic or (@digest)
 * Digest authentication. */
void        vg_sim_mjpeg_attach        (VgSimMjpeg      *self,
                                        SoupServer      *server,
                                        const char      *user,
                                        const char      *password,
                                        gboolean         digest);
/* Sends the pictures due by @now (system clock) to every viewer. */
void        vg_sim_mjpeg_tick          (VgSimMjpeg      *self,
                                        GstClockTime     now);
guint       vg_sim_mjpeg_count_viewers (VgSimMjpeg      *self,
                                        VgSimCamera     *camera);
/* Ends every response (before quitting). */
void        vg_sim_mjpeg_stop          (VgSimMjpeg      *self);

G_END_DECLS
