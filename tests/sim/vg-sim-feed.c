/* vg-sim-feed.c: a media is fed from its configuration to its unpreparation,
 * that is while someone watches:
 *   - primed: as soon as its sources are PLAYING, one unit per source (the
 *     first of the clip: a keyframe) is pushed, stamped "now": gst-rtsp-server
 *     needs a buffer on every stream to answer DESCRIBE;
 *   - flowing: while the media's state is PLAYING (someone sent PLAY), units are
 *     pushed at real-time pace, with timestamps that continue across loops of
 *     the clip: unit n of a run is stamped anchor + n × duration in running
 *     time, the anchor being the first unit's time. The sinks send by
 *     timestamp, so units are pushed a little early (the lookahead): a
 *     streaming thread then finds the next unit queued when it is done with
 *     one, instead of being woken for each, which halves the cost.
 * A stalled or stopped stream pushes nothing (but a stalled one is primed:
 * its RTSP requests are answered) and re-anchors its timestamps on "now" when
 * it runs again; the clip goes on from where it stopped.
 *
 * Garbage: a pad probe on each payloader replaces the RTP payloads with random
 * bytes and gives them random sequence numbers and markers; the headers stay
 * valid RTP so that rtpbin forwards them. */
#include "vg-sim-feed.h"

#include <gst/app/gstappsrc.h>
#include <gst/rtp/gstrtpbuffer.h>

typedef struct {
  GstElement *src;              /* appsrc */
  VgSimClip *clip;
  guint n_units;
  guint dur_num, dur_den;
  gboolean video;
  guint64 index;                /* units pushed so far */
  GstClockTime anchor;          /* due time of unit anchor_index; NONE: re-anchor */
  guint64 anchor_index;
  GstClockTimeDiff clock_offset;        /* pipeline clock − our clock */
  GstClockTime last_pts;
} Track;

struct _VgSimFeed {
  GWeakRef media;
  VgSimCamera *camera;
  VgSimStreamKind kind;
  Track tracks[2];
  guint n_tracks;
  gboolean primed;
  gboolean playing;
};

/* ---- garbage ---- */

typedef struct {
  VgSimCamera *camera;
  VgSimStreamKind kind;
} GarbleData;

static void
garble_data_free (gpointer data)
{
  GarbleData *garble = data;

  g_object_unref (garble->camera);
  g_free (garble);
}

/* A new RTP packet of the same size: the header of @buffer with a random
 * sequence number and marker, a random payload. */
static GstBuffer *
garbled_copy (GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstBuffer *copy;
  GstMapInfo map;
  guint header;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return gst_buffer_ref (buffer);
  header = gst_rtp_buffer_get_header_len (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  copy = gst_buffer_new_allocate (NULL, gst_buffer_get_size (buffer), NULL);
  gst_buffer_copy_into (copy, buffer, GST_BUFFER_COPY_METADATA, 0, -1);
  gst_buffer_map (copy, &map, GST_MAP_WRITE);
  gst_buffer_extract (buffer, 0, map.data, header);
  for (gsize i = header; i < map.size; i++)
    map.data[i] = g_random_int ();
  gst_buffer_unmap (copy, &map);

  if (gst_rtp_buffer_map (copy, GST_MAP_WRITE, &rtp)) {
    gst_rtp_buffer_set_seq (&rtp, g_random_int ());
    gst_rtp_buffer_set_marker (&rtp, g_random_boolean ());
    gst_rtp_buffer_unmap (&rtp);
  }
  return copy;
}

static gboolean
garble_list_item (GstBuffer **buffer, guint idx, gpointer user_data)
{
  GstBuffer *copy = garbled_copy (*buffer);

  gst_buffer_unref (*buffer);
  *buffer = copy;
  return TRUE;
}

static GstPadProbeReturn
garble_probe_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GarbleData *garble = user_data;

  if (!vg_sim_camera_is_garbage (garble->camera, garble->kind))
    return GST_PAD_PROBE_OK;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    GST_PAD_PROBE_INFO_DATA (info) = garbled_copy (buffer);
    gst_buffer_unref (buffer);
  } else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));

    gst_buffer_list_foreach (list, garble_list_item, NULL);
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  return GST_PAD_PROBE_OK;
}

static void
add_garble_probe (GstBin *bin, const char *pay_name, VgSimCamera *camera, VgSimStreamKind kind)
{
  g_autoptr(GstElement) pay = gst_bin_get_by_name (bin, pay_name);
  g_autoptr(GstPad) pad = pay ? gst_element_get_static_pad (pay, "src") : NULL;
  GarbleData *garble;

  if (pad == NULL)
    return;
  garble = g_new (GarbleData, 1);
  garble->camera = g_object_ref (camera);
  garble->kind = kind;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     garble_probe_cb, garble, garble_data_free);
}

/* ---- tracks ---- */

static void
track_init (Track *track, GstElement *src, VgSimClip *clip, gboolean video)
{
  track->src = src;
  track->clip = g_object_ref (clip);
  track->n_units = vg_sim_clip_get_n_units (clip);
  vg_sim_clip_get_unit_duration (clip, &track->dur_num, &track->dur_den);
  track->video = video;
  track->anchor = GST_CLOCK_TIME_NONE;
  track->last_pts = GST_CLOCK_TIME_NONE;
}

static gboolean
track_is_playing (Track *track)
{
  gboolean playing;

  GST_OBJECT_LOCK (track->src);
  playing = GST_STATE (track->src) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK (track->src);
  return playing;
}

static void
track_set_anchor (Track *track, GstClock *clock, GstClockTime now)
{
  g_autoptr(GstClock) pipeline_clock = gst_element_get_clock (track->src);

  track->anchor = now;
  track->anchor_index = track->index;
  track->clock_offset = 0;
  if (pipeline_clock != NULL && pipeline_clock != clock)
    track->clock_offset = GST_CLOCK_DIFF (gst_clock_get_time (clock),
                                          gst_clock_get_time (pipeline_clock));
}

static GstClockTime
track_due (Track *track, guint64 index)
{
  return track->anchor + gst_util_uint64_scale (index - track->anchor_index,
                                                GST_SECOND * track->dur_num, track->dur_den);
}

/* Pushes the next unit of @track, due at @due (our clock). */
static void
track_push (VgSimFeed *feed, Track *track, GstClockTime due, gboolean garbage)
{
  GstClockTime base = gst_element_get_base_time (track->src);
  GstClockTime at = due + track->clock_offset;
  GstClockTime pts = at > base ? at - base : 0;
  GstBuffer *buffer;

  if (GST_CLOCK_TIME_IS_VALID (track->last_pts) && pts <= track->last_pts)
    pts = track->last_pts + 1;
  track->last_pts = pts;

  buffer = vg_sim_clip_new_buffer (track->clip, track->index % track->n_units);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (GST_SECOND, track->dur_num,
                                                        track->dur_den);
  track->index++;
  if (gst_app_src_push_buffer (GST_APP_SRC (track->src), buffer) == GST_FLOW_OK &&
      track->video)
    vg_sim_camera_count_frame (feed->camera, feed->kind, garbage);
}

/* ---- feed ---- */

VgSimFeed *
vg_sim_feed_new (GstRTSPMedia *media, VgSimCamera *camera, VgSimStreamKind kind,
                 VgSimClip *video, VgSimClip *audio)
{
  g_autoptr(GstElement) element = NULL;
  VgSimFeed *feed;

  g_return_val_if_fail (GST_IS_RTSP_MEDIA (media), NULL);
  g_return_val_if_fail (VG_SIM_IS_CAMERA (camera), NULL);
  g_return_val_if_fail (VG_SIM_IS_CLIP (video), NULL);

  element = gst_rtsp_media_get_element (media);
  feed = g_new0 (VgSimFeed, 1);
  g_weak_ref_init (&feed->media, media);
  feed->camera = g_object_ref (camera);
  feed->kind = kind;
  track_init (&feed->tracks[feed->n_tracks++],
              gst_bin_get_by_name (GST_BIN (element), "vsrc"), video, TRUE);
  add_garble_probe (GST_BIN (element), "pay0", camera, kind);
  if (audio != NULL) {
    track_init (&feed->tracks[feed->n_tracks++],
                gst_bin_get_by_name (GST_BIN (element), "asrc"), audio, FALSE);
    add_garble_probe (GST_BIN (element), "pay1", camera, kind);
  }
  for (guint i = 0; i < feed->n_tracks; i++)
    g_assert (GST_IS_APP_SRC (feed->tracks[i].src));
  return feed;
}

void
vg_sim_feed_free (VgSimFeed *feed)
{
  if (feed == NULL)
    return;
  g_weak_ref_clear (&feed->media);
  for (guint i = 0; i < feed->n_tracks; i++) {
    g_clear_object (&feed->tracks[i].src);
    g_clear_object (&feed->tracks[i].clip);
  }
  g_clear_object (&feed->camera);
  g_free (feed);
}

GstRTSPMedia *
vg_sim_feed_get_media (VgSimFeed *feed)
{
  g_return_val_if_fail (feed != NULL, NULL);
  return g_weak_ref_get (&feed->media);
}

gboolean
vg_sim_feed_is_for (VgSimFeed *feed, VgSimCamera *camera, VgSimStreamKind kind)
{
  g_return_val_if_fail (feed != NULL, FALSE);
  return feed->camera == camera && feed->kind == kind;
}

static void
feed_reanchor (VgSimFeed *feed)
{
  for (guint i = 0; i < feed->n_tracks; i++)
    feed->tracks[i].anchor = GST_CLOCK_TIME_NONE;
}

void
vg_sim_feed_set_playing (VgSimFeed *feed, gboolean playing)
{
  g_return_if_fail (feed != NULL);

  /* The first PLAY continues the timing of the first unit; a PLAY after a
   * PAUSE starts again from "now". */
  feed->playing = playing;
  if (!playing)
    feed_reanchor (feed);
}

void
vg_sim_feed_tick (VgSimFeed *feed, GstClock *clock, GstClockTime now, GstClockTime lookahead)
{
  VgSimState state;
  gboolean garbage;

  g_return_if_fail (feed != NULL);

  state = vg_sim_camera_get_state (feed->camera, feed->kind);
  if (state == VG_SIM_STATE_STOPPED) {
    feed_reanchor (feed);
    return;
  }
  garbage = vg_sim_camera_is_garbage (feed->camera, feed->kind);

  /* Primed even when stalled: DESCRIBE would otherwise hold one of the few
   * RTSP client threads until the stall ends. */
  if (!feed->primed) {
    for (guint i = 0; i < feed->n_tracks; i++) {
      if (!track_is_playing (&feed->tracks[i]))
        return;
    }
    for (guint i = 0; i < feed->n_tracks; i++) {
      track_set_anchor (&feed->tracks[i], clock, now);
      track_push (feed, &feed->tracks[i], now, garbage);
    }
    feed->primed = TRUE;
    return;
  }
  if (state != VG_SIM_STATE_RUNNING) {
    feed_reanchor (feed);
    return;
  }
  if (!feed->playing)
    return;

  for (guint i = 0; i < feed->n_tracks; i++) {
    Track *track = &feed->tracks[i];

    if (!GST_CLOCK_TIME_IS_VALID (track->anchor))
      track_set_anchor (track, clock, now);
    for (;;) {
      GstClockTime due = track_due (track, track->index);

      if (due > now + lookahead)
        break;
      if (due + GST_SECOND < now) {
        /* we were held up for more than a second: skip, do not burst */
        track_set_anchor (track, clock, now);
        continue;
      }
      track_push (feed, track, due, garbage);
    }
  }
}
