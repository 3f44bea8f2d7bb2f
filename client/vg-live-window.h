/* vg-live-window.h: one camera's live video in a window of its own (CLI-10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection.h"
#include "vg-video-view.h"

G_BEGIN_DECLS

#define VG_TYPE_LIVE_WINDOW (vg_live_window_get_type ())
G_DECLARE_FINAL_TYPE (VgLiveWindow, vg_live_window, VG, LIVE_WINDOW, AdwWindow)

/**
 * VgLiveWindow:
 *
 * A cell taken out of the mosaic: the camera's main stream in a window that can be put
 * on another screen and made full screen (F11); Escape leaves full screen, then closes.
 */
VgLiveWindow *vg_live_window_new            (GtkApplication *application, VgConnection *connection,
                                             VgCamera *camera);
VgVideoView  *vg_live_window_get_video_view (VgLiveWindow *self);

G_END_DECLS
