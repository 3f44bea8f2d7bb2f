/* vg-sim-rtsp-server.h: gst-rtsp-server's server, with what a simulated
 * camera needs besides: clients remember which stream they asked for, so that
 * stopping a camera can close its connections, and multicast stays on this
 * host yet reaches receivers on it. */
#pragma once

#include <gst/rtsp-server/rtsp-server.h>

G_BEGIN_DECLS

#define VG_SIM_TYPE_RTSP_SERVER (vg_sim_rtsp_server_get_type ())
G_DECLARE_FINAL_TYPE (VgSimRtspServer, vg_sim_rtsp_server, VG_SIM, RTSP_SERVER, GstRTSPServer)

VgSimRtspServer *vg_sim_rtsp_server_new           (void);
/* Closes the connections of the clients that asked for @path or what is
 * below it (its streams); @path NULL: of every client. */
void             vg_sim_rtsp_server_close_clients (VgSimRtspServer *self,
                                                   const char      *path);
/* Loopback on and TTL 0 on the multicast sinks that gst-rtsp-server adds to
 * @pipeline (it turns loopback off). */
void             vg_sim_rtsp_server_watch_pipeline (GstBin         *pipeline);

G_END_DECLS
