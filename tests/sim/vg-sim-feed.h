/* vg-sim-feed.h: feeding a camera stream's clips into the sources of one
 * gst-rtsp-server media, at real-time pace. Not thread-safe: the owner locks. */
#pragma once

#include <gst/rtsp-server/rtsp-server.h>

#include "vg-sim-camera.h"
#include "vg-sim-clip.h"

G_BEGIN_DECLS

typedef struct _VgSimFeed VgSimFeed;

/* @media's element holds "vsrc" ! "pay0" (@video) and, with @audio,
 * "asrc" ! "pay1". */
VgSimFeed    *vg_sim_feed_new         (GstRTSPMedia    *media,
                                       VgSimCamera     *camera,
                                       VgSimStreamKind  kind,
                                       VgSimClip       *video,
                                       VgSimClip       *audio);
void          vg_sim_feed_free        (VgSimFeed       *feed);
/* The media, if still alive (new reference). */
GstRTSPMedia *vg_sim_feed_get_media   (VgSimFeed       *feed);
gboolean      vg_sim_feed_is_for      (VgSimFeed       *feed,
                                       VgSimCamera     *camera,
                                       VgSimStreamKind  kind);
/* The media's state went to PLAYING (someone watches) or left it. */
void          vg_sim_feed_set_playing (VgSimFeed       *feed,
                                       gboolean         playing);
/* Pushes what is due by @now + @lookahead (@clock's time). */
void          vg_sim_feed_tick        (VgSimFeed       *feed,
                                       GstClock        *clock,
                                       GstClockTime     now,
                                       GstClockTime     lookahead);

G_END_DECLS
