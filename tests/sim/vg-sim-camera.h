/* vg-sim-camera.h: one simulated camera: the state of its streams (running,
 * stalled, stopped, sending garbage) and what they sent. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  VG_SIM_STREAM_MAIN,           /* rtsp://…/camN/main  H.264 1080p (+ audio) */
  VG_SIM_STREAM_SUB,            /* rtsp://…/camN/sub   H.264 360p */
  VG_SIM_STREAM_H265,           /* rtsp://…/camN/h265  H.265 1080p */
  VG_SIM_STREAM_MJPEG,          /* http://…/camN/mjpeg */
  VG_SIM_N_STREAMS,
  VG_SIM_STREAM_ALL = -1,
} VgSimStreamKind;

typedef enum {
  VG_SIM_STATE_RUNNING,
  VG_SIM_STATE_STALLED,         /* connections stay open, nothing is sent */
  VG_SIM_STATE_STOPPED,         /* gone: 404, connections closed */
} VgSimState;

typedef enum {
  VG_SIM_AUDIO_NONE,
  VG_SIM_AUDIO_AAC,
  VG_SIM_AUDIO_PCMA,
} VgSimAudio;

const char     *vg_sim_stream_kind_to_string (VgSimStreamKind kind);
gboolean        vg_sim_stream_kind_from_string (const char      *name,
                                                VgSimStreamKind *kind);
const char     *vg_sim_state_to_string       (VgSimState state);

#define VG_SIM_TYPE_CAMERA (vg_sim_camera_get_type ())
G_DECLARE_FINAL_TYPE (VgSimCamera, vg_sim_camera, VG_SIM, CAMERA, GObject)

/* Cameras are numbered from 1. Camera i has AAC audio on its main stream when
 * i % 4 == 2, PCMA when i % 4 == 3. */
VgSimCamera    *vg_sim_camera_new            (guint            index);
guint           vg_sim_camera_get_index      (VgSimCamera     *self);
VgSimAudio      vg_sim_camera_get_audio      (VgSimCamera     *self);

/* Any thread. */
VgSimState      vg_sim_camera_get_state      (VgSimCamera     *self,
                                              VgSimStreamKind  kind);
gboolean        vg_sim_camera_is_garbage     (VgSimCamera     *self,
                                              VgSimStreamKind  kind);
void            vg_sim_camera_count_frame    (VgSimCamera     *self,
                                              VgSimStreamKind  kind,
                                              gboolean         garbage);
guint           vg_sim_camera_get_frames_sent  (VgSimCamera     *self,
                                                VgSimStreamKind  kind);
guint           vg_sim_camera_get_garbage_sent (VgSimCamera     *self,
                                                VgSimStreamKind  kind);
/* RTCP packets received from viewers (any thread). */
void            vg_sim_camera_count_rtcp       (VgSimCamera     *self,
                                                VgSimStreamKind  kind);
guint           vg_sim_camera_get_rtcp_received (VgSimCamera    *self,
                                                 VgSimStreamKind kind);

/* Main thread; @kind may be VG_SIM_STREAM_ALL. Each stream whose state
 * changes emits ::state-changed (kind). Starting also ends garbage. */
void            vg_sim_camera_set_state      (VgSimCamera     *self,
                                              VgSimStreamKind  kind,
                                              VgSimState       state);
void            vg_sim_camera_send_garbage   (VgSimCamera     *self,
                                              VgSimStreamKind  kind,
                                              guint            seconds);

G_END_DECLS
