/* vg-sim-clip.h: a pre-encoded clip held in memory, split into the units a
 * camera sends (video access units, JPEG pictures, audio frames). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  VG_SIM_CODEC_H264,
  VG_SIM_CODEC_H265,
  VG_SIM_CODEC_JPEG,
  VG_SIM_CODEC_AAC,
  VG_SIM_CODEC_PCMA,
} VgSimCodec;

#define VG_SIM_CLIP_ERROR (vg_sim_clip_error_quark ())
typedef enum {
  VG_SIM_CLIP_ERROR_INVALID,
} VgSimClipError;
GQuark vg_sim_clip_error_quark (void);

#define VG_SIM_TYPE_CLIP (vg_sim_clip_get_type ())
G_DECLARE_FINAL_TYPE (VgSimClip, vg_sim_clip, VG_SIM, CLIP, GObject)

/* Loads @path. @fps is the frame rate of video clips (ignored for audio, whose
 * unit duration comes from the stream). H.264/H.265 access units are stored in
 * AVC/HVC form (4-byte lengths) without AUD and parameter sets, which go into
 * the caps' codec_data; AAC frames without their ADTS header; A-law in 40 ms
 * chunks. */
VgSimClip   *vg_sim_clip_load              (const char *path,
                                            VgSimCodec  codec,
                                            guint       fps,
                                            GError    **error);

VgSimCodec   vg_sim_clip_get_codec         (VgSimClip *self);
const char  *vg_sim_clip_get_codec_name    (VgSimClip *self);
GstCaps     *vg_sim_clip_get_caps          (VgSimClip *self);
guint        vg_sim_clip_get_n_units       (VgSimClip *self);
/* Every unit lasts num/den seconds. */
void         vg_sim_clip_get_unit_duration (VgSimClip *self,
                                            guint     *num,
                                            guint     *den);
gboolean     vg_sim_clip_is_keyframe       (VgSimClip *self,
                                            guint      index);
gsize        vg_sim_clip_get_unit_size     (VgSimClip *self,
                                            guint      index);
/* A new buffer sharing the unit's memory, DELTA_UNIT set on non-keyframes,
 * without timestamps. */
GstBuffer   *vg_sim_clip_new_buffer        (VgSimClip *self,
                                            guint      index);
GBytes      *vg_sim_clip_get_bytes         (VgSimClip *self,
                                            guint      index);

/* The clips make-clips.sh makes, shared by every camera. */
typedef struct {
  VgSimClip *main_h264;
  VgSimClip *sub_h264;
  VgSimClip *main_h265;
  VgSimClip *mjpeg;
  VgSimClip *aac;
  VgSimClip *pcma;
} VgSimClips;

gboolean     vg_sim_clips_load             (VgSimClips *clips,
                                            const char *dir,
                                            GError    **error);
void         vg_sim_clips_clear            (VgSimClips *clips);

G_END_DECLS
