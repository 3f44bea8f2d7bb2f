/* vg-relay-factory.h: the media of one camera stream on the relay, one per viewer (LIVE-1, LIVE-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/rtsp-server/rtsp-server.h>

#include "vg-capture.h"

G_BEGIN_DECLS

#define VG_TYPE_RELAY_FACTORY (vg_relay_factory_get_type ())
G_DECLARE_FINAL_TYPE (VgRelayFactory, vg_relay_factory, VG, RELAY_FACTORY, GstRTSPMediaFactory)

/**
 * VgRelayFactory:
 *
 * Mounted at /cameras/{id}/{stream}. Each viewer gets a media of its own (appsrc →
 * payloader per track, FINDINGS §2), fed by a VgRelayViewer from the stream's hub, so
 * that it starts with the cached GOP. Asking for a stream that is not connected opens
 * it (ACQ-6): the DESCRIBE waits, a few seconds at most, for the camera's tracks. The
 * URL may carry ?fps=N, the most pictures a second this viewer gets of an MJPEG stream
 * (LIVE-3).
 */
VgRelayFactory *vg_relay_factory_new (VgCapture *capture, gint64 camera_id, const char *stream);

G_END_DECLS
