/* vg-test-sim.h: the simulated cameras (tests/sim) started for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  guint        rtsp_port;
  guint        http_port;
  gboolean     tls;          /* rtsps:// (started with --tls-cert) */
  char        *log_path;
} VgTestSim;

/* Starts vigie-camsim ($VIGIE_CAMSIM) on $VIGIE_SIM_CLIPS with n_cameras; free ports. */
VgTestSim *vg_test_sim_start    (guint n_cameras, GError **error);
/* The same with more arguments (NULL-terminated), e.g. --user U --password P --digest. */
VgTestSim *vg_test_sim_start_with_args (guint n_cameras, const char *const *extra_args, GError **error);
void       vg_test_sim_free     (VgTestSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgTestSim, vg_test_sim_free)

/* "rtsp[s]://127.0.0.1:PORT/cam{camera}/{stream}" */
char      *vg_test_sim_url      (VgTestSim *sim, guint camera, const char *stream);
/* POST /cameras/{camera}/{action}: "stop", "start", "stall", "garbage". */
void       vg_test_sim_control  (VgTestSim *sim, guint camera, const char *action);
/* frames_sent of a stream of a camera. */
gint64     vg_test_sim_frames_sent (VgTestSim *sim, guint camera, const char *stream);
/* Any number of a stream of a camera in the control API ("rtcp_received", …). */
gint64     vg_test_sim_stream_value (VgTestSim *sim, guint camera, const char *stream,
                                     const char *member);

G_END_DECLS
