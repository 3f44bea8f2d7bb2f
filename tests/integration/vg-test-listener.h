/* vg-test-listener.h: what a playback engine makes heard and shown, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "vigie.h"

G_BEGIN_DECLS

/* An instant (monotonic µs) and the UTC media time heard or shown then. */
typedef struct
{
  gint64 monotonic_us;
  gint64 media_us;
} VgTestHeard;

/* The engine's sound goes to a test sink (fakesink sync=true: each buffer rendered when
 * its time comes on the pipeline's clock), recorded from the sink's streaming thread;
 * its frames as it shows them, from the main thread. */
typedef struct
{
  GMutex  lock;
  GArray *audio;     /* VgTestHeard, under lock */
  GArray *video;     /* VgTestHeard */
} VgTestListener;

/* Starts listening to playback (its "audio-sink" and "frame"). */
void        vg_test_listener_attach (VgTestListener *listener, VgPlayback *playback);
/* After the engine is gone (the sink's handler writes to the listener). */
void        vg_test_listener_clear  (VgTestListener *listener);
/* Audio buffers heard. */
guint       vg_test_listener_count  (VgTestListener *listener);
void        vg_test_listener_reset  (VgTestListener *listener);
/* The first buffer heard since the last reset, waited for up to 15 s. */
VgTestHeard vg_test_listener_first  (VgTestListener *listener);

G_END_DECLS
