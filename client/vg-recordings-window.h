/* vg-recordings-window.h: the recordings of the nodes’ cameras on a timeline, with export
 * and protection of the selection (PLAY-1, PLAY-2, PLAY-6, PLAY-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection.h"
#include "vg-timeline-panel.h"

G_BEGIN_DECLS

#define VG_TYPE_RECORDINGS_WINDOW (vg_recordings_window_get_type ())
G_DECLARE_FINAL_TYPE (VgRecordingsWindow, vg_recordings_window, VG, RECORDINGS_WINDOW, AdwWindow)

/* One row per camera of each connected node of connections (GListModel of
 * VgConnection; a row named with its node when there are several, its spans asked to
 * that node); camera (nullable) is the active row. Actions
 * "recordings.export" and "recordings.protect" open their dialogs for the active row
 * and the selection (or, without one, the visible range up to now). */
VgRecordingsWindow *vg_recordings_window_new       (GtkWindow *parent, GListModel *connections,
                                                    VgCamera *camera);
VgTimelinePanel    *vg_recordings_window_get_panel (VgRecordingsWindow *self);
/* The stream a timeline row shows: the camera's first recorded stream, or NULL. */
const char         *vg_recordings_window_choose_stream (VgCamera *camera);

G_END_DECLS
