/* vg-test-listener.c: what a playback engine makes heard and shown, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-listener.h"
#include "vg-test-node.h"

static void
audio_handoff_cb (GstElement *sink, GstBuffer *buffer, GstPad *pad, gpointer user_data)
{
  VgTestListener *listener = user_data;
  VgTestHeard heard = { g_get_monotonic_time (), (gint64) (GST_BUFFER_PTS (buffer) / 1000) };

  g_mutex_lock (&listener->lock);
  g_array_append_val (listener->audio, heard);
  g_mutex_unlock (&listener->lock);
}

static void
video_shown_cb (VgPlayback *playback, gpointer user_data)
{
  VgTestListener *listener = user_data;
  VgTestHeard shown = { g_get_monotonic_time (), vg_playback_get_frame_time (playback) };

  g_array_append_val (listener->video, shown);
}

void
vg_test_listener_attach (VgTestListener *listener,
                         VgPlayback     *playback)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_nonnull (sink);
  g_mutex_init (&listener->lock);
  listener->audio = g_array_new (FALSE, FALSE, sizeof (VgTestHeard));
  listener->video = g_array_new (FALSE, FALSE, sizeof (VgTestHeard));
  g_object_set (sink, "sync", TRUE, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (audio_handoff_cb), listener);
  vg_playback_set_audio_sink (playback, sink);
  g_signal_connect (playback, "frame", G_CALLBACK (video_shown_cb), listener);
}

void
vg_test_listener_clear (VgTestListener *listener)
{
  g_clear_pointer (&listener->audio, g_array_unref);
  g_clear_pointer (&listener->video, g_array_unref);
  g_mutex_clear (&listener->lock);
}

guint
vg_test_listener_count (VgTestListener *listener)
{
  guint n;

  g_mutex_lock (&listener->lock);
  n = listener->audio->len;
  g_mutex_unlock (&listener->lock);
  return n;
}

void
vg_test_listener_reset (VgTestListener *listener)
{
  g_mutex_lock (&listener->lock);
  g_array_set_size (listener->audio, 0);
  g_mutex_unlock (&listener->lock);
  g_array_set_size (listener->video, 0);
}

static gboolean
something_heard (gpointer data)
{
  return vg_test_listener_count (data) > 0;
}

VgTestHeard
vg_test_listener_first (VgTestListener *listener)
{
  VgTestHeard heard;

  g_assert_true (vg_test_wait_until (something_heard, listener, 15000));
  g_mutex_lock (&listener->lock);
  heard = g_array_index (listener->audio, VgTestHeard, 0);
  g_mutex_unlock (&listener->lock);
  return heard;
}
