/* vg-sim-control.h: the simulator's control API (JSON over HTTP, loopback
 * only, no authentication):
 *
 *   GET  /cameras                     every camera, as below
 *   GET  /cameras/{i}                 {"camera":i,"streams":{"main":{"frames_sent":N,
 *                                      "garbage_sent":G,"viewers":V,"state":"running",…},…}}
 *   POST /cameras/{i}/stop            gone: 404, sessions and connections closed
 *   POST /cameras/{i}/start           back (also ends a stall or garbage)
 *   POST /cameras/{i}/stall           connections stay open, nothing is sent
 *   POST /cameras/{i}/garbage         random payloads for ?seconds=N (3)
 *
 * POSTs act on every stream of the camera, or on ?stream=main|sub|h265|mjpeg,
 * and answer the camera as GET does. */
#pragma once

#include <libsoup/soup.h>

#include "vg-sim-mjpeg.h"
#include "vg-sim-rtsp.h"

G_BEGIN_DECLS

#define VG_SIM_TYPE_CONTROL (vg_sim_control_get_type ())
G_DECLARE_FINAL_TYPE (VgSimControl, vg_sim_control, VG_SIM, CONTROL, GObject)

VgSimControl *vg_sim_control_new    (GPtrArray    *cameras,
                                     VgSimRtsp    *rtsp,
                                     VgSimMjpeg   *mjpeg);
/* Serves /cameras on @server; @rtsp_url and @http_url (without a trailing
 * slash) make the streams' URLs. */
void          vg_sim_control_attach (VgSimControl *self,
                                     SoupServer   *server,
                                     const char   *rtsp_url,
                                     const char   *http_url);

G_END_DECLS
