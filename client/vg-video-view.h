/* vg-video-view.h: a camera's live video with its name, time and state (CLI-3, CLI-7, CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"
#include "vg-live-pipeline.h"
#include "vg-video-paintable.h"

G_BEGIN_DECLS

#define VG_TYPE_VIDEO_VIEW (vg_video_view_get_type ())
G_DECLARE_FINAL_TYPE (VgVideoView, vg_video_view, VG, VIDEO_VIEW, GtkWidget)

/**
 * VgVideoView:
 *
 * Shows a camera of a connection live, through the node's relay: the sub stream while
 * the view is small, the main stream when it is large or digitally zoomed (see
 * vg_stream_choice_wants_main()). A change of stream keeps the last frame on screen
 * until the new stream's first frame. The wheel zooms and a drag pans the zoomed
 * picture (CLI-7); a double wheel-less click is the container's business.
 *
 * Over the picture: the camera's name, the time, a recording indicator, and the state
 * when there is no picture (connecting, no signal, access denied, error).
 */
GtkWidget        *vg_video_view_new            (void);

void              vg_video_view_set_source     (VgVideoView *self, VgConnection *connection,
                                                VgCamera *camera);
VgCamera         *vg_video_view_get_camera     (VgVideoView *self);
/* The node of the camera shown, NULL for none. */
VgConnection     *vg_video_view_get_connection (VgVideoView *self);
/* Shows this RTSP URL directly instead of a camera of a node (tests, direct cameras). */
void              vg_video_view_set_uri        (VgVideoView *self, const char *uri);
/* The URL shown (or starting), NULL for none. */
const char       *vg_video_view_get_live_uri   (VgVideoView *self);

void              vg_video_view_set_fill       (VgVideoView *self, gboolean fill);
/* The camera's main stream whatever the view's size (the single-camera view). */
void              vg_video_view_set_main_stream_only (VgVideoView *self, gboolean main_only);
gboolean          vg_video_view_get_main_stream_only (VgVideoView *self);
VgVideoPaintable *vg_video_view_get_paintable  (VgVideoView *self);
/* The pipeline whose frames are shown, or NULL. */
VgLivePipeline   *vg_video_view_get_pipeline   (VgVideoView *self);
VgLiveState       vg_video_view_get_state      (VgVideoView *self);
/* The manual recording indicator (REC-6), NULL when not shown. */
const char       *vg_video_view_get_forced_text (VgVideoView *self);
/* The text over the picture, NULL when none is shown. */
const char       *vg_video_view_get_status_text (VgVideoView *self);
/* Frames decoded and frames shown since the view was made, all streams together. */
void              vg_video_view_get_frame_counts (VgVideoView *self, guint64 *received,
                                                  guint64 *shown);

/* Saves the shown frame, whole and at its size, as PNG (PLAY-7). */
gboolean          vg_video_view_save_snapshot  (VgVideoView *self, const char *path,
                                                GError **error);

G_END_DECLS
