/* vg-test-client.h: the client application run by a UI test, against real nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-window.h"

G_BEGIN_DECLS

/* "NAME N" on the node: simulated camera N's main stream (record, live) and its sub
 * stream (mosaic). Its id. */
gint64 vg_test_client_add_camera (VgApiClient *admin, VgTestSim *sim, const char *name,
                                  guint sim_camera);

typedef void (*VgTestClientCheck) (gpointer data, VgWindow *window);

/* Runs the application as `vigie --connect https://admin@127.0.0.1:PORT --mosaic MOSAIC`
 * with VIGIE_PASSWORD=password; once its window is there (and, with wait_connected,
 * its node connected), calls check (data, window), then closes the window. */
void   vg_test_client_run        (VgTestNode *node, const char *password, const char *mosaic,
                                  gboolean wait_connected, VgTestClientCheck check,
                                  gpointer data);

G_END_DECLS
