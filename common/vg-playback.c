/* vg-playback.c: plays a recorded camera stream from the node's index and Range reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-playback.h"

#include "vg-frame-converter.h"
#include "vg-gop-decoder.h"
#include "vg-json.h"
#include "vg-mkv-parser.h"
#include "vg-playback-audio.h"
#include "vg-segment-index.h"

#include <math.h>

/* The index is listed for ±WINDOW around the position and listed again when the
 * position comes within MARGIN of its ends (or near the end of an open segment). */
#define INDEX_WINDOW_US   (G_GINT64_CONSTANT (10) * 60 * G_USEC_PER_SEC)
#define INDEX_MARGIN_US   (G_GINT64_CONSTANT (2) * 60 * G_USEC_PER_SEC)
#define INDEX_REFRESH_US  (2 * G_USEC_PER_SEC)
/* Segments closer than this follow each other: no gap between them. */
#define GAP_MIN_US        (G_USEC_PER_SEC * 3 / 2)
/* A keyframe-only read: enough for a 1080p keyframe; more when it is not. */
#define KEYFRAME_READ_BYTES (768 * 1024)
#define DEFAULT_CACHE_LIMIT ((gsize) 768 * 1024 * 1024)
/* Keyframes only when decoding every frame needs more than this share of the
 * measured decode rate. */
#define DECODE_HEADROOM 0.75
/* Audio blocks are handed to the audio pipeline this far ahead of the position. */
#define AUDIO_AHEAD_US    (G_USEC_PER_SEC)
/* The audio blocks of this many groups of pictures are kept (a few kB each). */
#define AUDIO_GOPS_MAX    32

struct _VgPlayback
{
  GObject          parent_instance;

  VgApiClient     *client;
  gint64           camera_id;
  char            *stream;
  VgPlaybackClock *clock;
  gboolean         skip_gaps;
  gsize            cache_limit;

  VgSegmentIndex  *index;
  GCancellable    *index_cancellable;  /* set while listing */
  gint64           index_listed_at;    /* monotonic */
  guint            index_refresh_id;   /* presents again once the index may be listed */
  gint64           index_from;         /* the window being listed */
  gint64           index_to;
  GHashTable      *headers;            /* segment id → VgMkvHeader */
  VgGopDecoder    *decoder;            /* one pipeline for all the groups */
  GHashTable      *cache;              /* GOP key → VgDecodedGop */
  gsize            cache_bytes;

  GCancellable    *job_cancellable;    /* set while a GOP is read or decoded */
  guint64          job_key;
  gint64           job_start_us;       /* the job's group: from its keyframe to the next */
  gint64           job_end_us;
  gboolean         job_keyframes_only;

  VgPlaybackState  state;
  char            *error;
  GstSample       *frame;              /* BGRA */
  GstSample       *frame_decoded;      /* the same as decoded, in the cache */
  VgFrameConverter *converter;
  gint64           frame_time;
  guint64          frame_key;
  gboolean         frame_keyframes_only;

  VgPlaybackAudio *audio;              /* plays at 1× forward only */
  GHashTable      *audio_gops;         /* GOP key → AudioGop */
  gboolean         has_audio;

  double           decode_fps;         /* measured, 0 until known */
  guint64          frames_shown;
  guint64          gops_decoded;
};

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_STATE,
  PROP_SKIP_GAPS,
  PROP_CACHE_LIMIT,
  PROP_HAS_AUDIO,
  PROP_VOLUME,
  PROP_MUTED,
  PROP_AUDIO_SINK,
  N_PROPS
};

enum {
  SIGNAL_FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VgPlayback, vg_playback, G_TYPE_OBJECT)

/* What a job reads: everything copied from the index, which may be replaced meanwhile.
 * The job does not keep the engine alive: dropping the engine cancels its job (dispose),
 * and every callback checks the cancellable before it touches the engine. A reference
 * here kept a closed player decoding the rest of its group. */
typedef struct
{
  VgPlayback *self;   /* unowned */
  guint64     key;
  gint64      start_us;    /* of the group (its keyframe) */
  gint64      segment_id;
  gint64      segment_start_us;
  char       *url;
  guint64     header_length;
  guint64     offset;
  gint64      length;
  gint64      target_us;   /* the frame to show first */
  gboolean    keyframes_only;
  gboolean    growing;
  GBytes     *header;      /* read alongside the group when not known yet */
  GBytes     *group;
  guint       reads;       /* Range reads under way */
  GError     *read_error;
  GCancellable *cancellable;
} GopJob;

/* The audio blocks read with a group of pictures: UTC times (ns), the caps of the
 * segment's audio track (NULL: none that can be played). */
typedef struct
{
  gint64     start_us;
  GstCaps   *caps;
  GPtrArray *blocks;   /* VgMkvBlock, time_ns in UTC */
} AudioGop;

static void
audio_gop_free (AudioGop *gop)
{
  g_clear_pointer (&gop->caps, gst_caps_unref);
  g_ptr_array_unref (gop->blocks);
  g_free (gop);
}

static void vg_playback_present (VgPlayback *self);

static void
gop_job_free (GopJob *job)
{
  g_free (job->url);
  g_clear_pointer (&job->header, g_bytes_unref);
  g_clear_pointer (&job->group, g_bytes_unref);
  g_clear_error (&job->read_error);
  g_object_unref (job->cancellable);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GopJob, gop_job_free)

/* State */

static void
set_state (VgPlayback      *self,
           VgPlaybackState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (VgPlayback *self,
           GError     *error)
{
  g_free (self->error);
  self->error = g_strdup (error->message);
  g_debug ("camera %" G_GINT64_FORMAT ": %s", self->camera_id, error->message);
  set_state (self, VG_PLAYBACK_STATE_ERROR);
}

/* The cache holds frames as decoded: the one shown is converted to BGRA, once. */
static void
show_frame (VgPlayback           *self,
            const VgDecodedGop   *gop,
            const VgDecodedFrame *frame)
{
  g_autoptr(GstSample) shown = NULL;
  g_autoptr(GError) error = NULL;

  if (self->frame_decoded == frame->sample)
    {
      set_state (self, VG_PLAYBACK_STATE_FRAME);
      return;
    }
  shown = vg_frame_converter_convert (self->converter, frame->sample, &error);
  if (shown == NULL)
    {
      set_error (self, error);
      return;
    }
  set_state (self, VG_PLAYBACK_STATE_FRAME);
  g_clear_pointer (&self->frame, gst_sample_unref);
  g_clear_pointer (&self->frame_decoded, gst_sample_unref);
  self->frame = g_steal_pointer (&shown);
  self->frame_decoded = gst_sample_ref (frame->sample);
  self->frame_time = frame->time_us;
  self->frame_key = gop->key;
  self->frame_keyframes_only = gop->keyframes_only;
  self->frames_shown++;
  g_signal_emit (self, signals[SIGNAL_FRAME], 0);
}

/* Cache */

static gint64
gop_time (const VgDecodedGop *gop)
{
  return gop->frames->len > 0 ? vg_decoded_gop_get (gop, 0)->time_us : 0;
}

static void
cache_remove (VgPlayback *self,
              guint64     key)
{
  VgDecodedGop *gop = g_hash_table_lookup (self->cache, &key);

  if (gop == NULL)
    return;
  self->cache_bytes -= gop->bytes;
  g_hash_table_remove (self->cache, &key);
}

static gboolean find_gop (VgPlayback *self, gint64 position, VgGopRef *gop);
static void clear_audio (VgPlayback *self);

/* The groups cache_trim() keeps whatever their size: the one shown, the one at the
 * position and the one just decoded. Dropping the group just decoded because the
 * group shown fills the cache would read and decode it again forever (a 1080p group
 * of 50 frames holds 150 MB as decoded, 400 MB when it was kept in BGRA). */
static gboolean
cache_keeps (VgPlayback *self,
             guint64     key,
             gint64      position,
             guint64     inserted)
{
  VgGopRef gop;

  if (key == self->frame_key || key == inserted)
    return TRUE;
  return find_gop (self, position, &gop) && vg_segment_index_gop_key (self->index, gop) == key;
}

/* Drops the groups farthest from the position until the cache fits, never those
 * cache_keeps() names. inserted: 0 or the group just decoded. */
static void
cache_trim (VgPlayback *self,
            gint64      position,
            guint64     inserted)
{
  while (self->cache_bytes > self->cache_limit && g_hash_table_size (self->cache) > 1)
    {
      GHashTableIter iter;
      gpointer value;
      guint64 farthest = 0;
      gint64 farthest_distance = -1;

      g_hash_table_iter_init (&iter, self->cache);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          VgDecodedGop *gop = value;
          gint64 distance = ABS (gop_time (gop) - position);

          if (!cache_keeps (self, gop->key, position, inserted) && distance > farthest_distance)
            {
              farthest = gop->key;
              farthest_distance = distance;
            }
        }
      if (farthest_distance < 0)
        break;
      cache_remove (self, farthest);
    }
}

static void
cache_insert (VgPlayback   *self,
              VgDecodedGop *gop)
{
  guint64 *key = g_new (guint64, 1);

  *key = gop->key;
  cache_remove (self, gop->key);
  self->cache_bytes += gop->bytes;
  g_hash_table_insert (self->cache, key, gop);
  cache_trim (self, vg_playback_clock_get_position (self->clock), gop->key);
}

static VgDecodedGop *
cache_lookup (VgPlayback *self,
              guint64     key)
{
  return g_hash_table_lookup (self->cache, &key);
}

static void
clear_source_state (VgPlayback *self)
{
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  g_clear_pointer (&self->index, vg_segment_index_free);
  g_hash_table_remove_all (self->headers);
  g_hash_table_remove_all (self->cache);
  self->cache_bytes = 0;
  self->frame_key = 0;
  clear_audio (self);
}

/* Decoding speed */

static gboolean
want_keyframes_only (VgPlayback *self,
                     gint64      frame_us)
{
  double speed = fabs (vg_playback_clock_get_speed (self->clock));
  double needed = speed * (double) G_USEC_PER_SEC / (double) frame_us;

  /* At 1× and slower every frame is decoded, even when the decoder falls behind (the
   * frames decoded so far are shown meanwhile): keyframes only would put a camera up
   * to a group of pictures away from those it plays in step with. */
  if (!vg_playback_clock_get_playing (self->clock) || speed <= 1.0)
    return FALSE;
  if (self->decode_fps <= 0)
    return speed > 2.0;
  return needed > self->decode_fps * DECODE_HEADROOM;
}

static void
measure_decode (VgPlayback         *self,
                const VgDecodedGop *gop)
{
  double fps;

  if (gop->keyframes_only || gop->frames->len < 2 || gop->decode_us <= 0)
    return;
  fps = gop->frames->len * (double) G_USEC_PER_SEC / (double) gop->decode_us;
  self->decode_fps = self->decode_fps <= 0 ? fps : 0.7 * self->decode_fps + 0.3 * fps;
}

/* Audio (PLAY-4): heard at 1× forward only, on the monotonic clock the playback clock
 * runs on, so that a block of UTC time t is heard when the clock shows t. */

static void
set_has_audio (VgPlayback *self,
               gboolean    has_audio)
{
  if (self->has_audio == has_audio)
    return;
  self->has_audio = has_audio;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
}

static gboolean
audio_wanted (VgPlayback *self)
{
  return self->has_audio && !vg_playback_audio_get_failed (self->audio)
         && vg_playback_clock_get_playing (self->clock) && vg_playback_clock_get_speed (self->clock) == 1.0;
}

/* The audio GOPs farthest from the position go first. */
static void
audio_trim (VgPlayback *self,
            gint64      position)
{
  while (g_hash_table_size (self->audio_gops) > AUDIO_GOPS_MAX)
    {
      GHashTableIter iter;
      gpointer key;
      gpointer value;
      gpointer farthest = NULL;
      gint64 farthest_distance = -1;

      g_hash_table_iter_init (&iter, self->audio_gops);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 distance = ABS (((AudioGop *) value)->start_us - position);

          if (distance > farthest_distance)
            {
              farthest = key;
              farthest_distance = distance;
            }
        }
      g_hash_table_remove (self->audio_gops, farthest);
    }
}

/* The audio blocks of the group a job read (whole groups only: a keyframe-only read
 * holds part of them). */
static void
keep_audio (VgPlayback        *self,
            GopJob            *job,
            const VgMkvHeader *header)
{
  const VgMkvTrack *track = vg_mkv_header_get_audio_track (header);
  g_autoptr(GstCaps) caps = track != NULL ? vg_playback_audio_caps_for_track (track) : NULL;
  AudioGop *gop;

  if (caps != NULL)
    set_has_audio (self, TRUE);
  if (job->keyframes_only)
    return;
  gop = g_new0 (AudioGop, 1);
  gop->start_us = job->start_us;
  gop->caps = g_steal_pointer (&caps);
  gop->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_mkv_block_free);
  if (gop->caps != NULL)
    {
      g_autoptr(GPtrArray) blocks = vg_mkv_parse_clusters (job->group, header->timestamp_scale_ns, 0, NULL);

      for (guint i = 0; i < blocks->len; i++)
        {
          VgMkvBlock *block = g_ptr_array_index (blocks, i);

          if (block->track != track->number)
            continue;
          /* The index's start, as for the frames: sound and picture on one time line. */
          block->time_ns += job->segment_start_us * 1000;
          g_ptr_array_add (gop->blocks, g_ptr_array_steal_index (blocks, i));
          i--;
        }
    }
  g_hash_table_insert (self->audio_gops, g_memdup2 (&job->key, sizeof job->key), gop);
  audio_trim (self, vg_playback_clock_get_position (self->clock));
}

/* Hands the blocks from the position to AUDIO_AHEAD_US after it to the audio pipeline,
 * group after group as long as they were read. Blocks already due are dropped: read
 * late (just after a seek), they would be heard late. */
static void
feed_audio (VgPlayback *self,
            gint64      position,
            VgGopRef    gop)
{
  gint64 limit = position + AUDIO_AHEAD_US;

  do
    {
      guint64 key = vg_segment_index_gop_key (self->index, gop);
      AudioGop *audio = g_hash_table_lookup (self->audio_gops, &key);

      if (audio == NULL || vg_segment_index_gop_start (self->index, gop) >= limit)
        return;
      /* Another codec in this segment: its blocks wait for a start with its caps. */
      if (audio->caps == NULL || !gst_caps_is_equal (audio->caps, vg_playback_audio_get_caps (self->audio)))
        continue;
      for (guint i = 0; i < audio->blocks->len; i++)
        {
          const VgMkvBlock *block = g_ptr_array_index (audio->blocks, i);

          if (block->time_ns >= limit * 1000)
            return;
          if (block->time_ns >= position * 1000)
            vg_playback_audio_push (self->audio, block->time_ns, block->data);
        }
    }
  while (vg_segment_index_move (self->index, &gop, 1));
}

/* Starts the audio at the position when it should play and does not (after a seek,
 * a pause, another speed: stopped on each change of the clock), and feeds it. */
static void
update_audio (VgPlayback *self)
{
  gint64 now;
  gint64 position;
  VgGopRef gop;
  guint64 key;
  AudioGop *audio;

  if (!audio_wanted (self))
    {
      vg_playback_audio_stop (self->audio);
      return;
    }
  now = g_get_monotonic_time ();
  position = vg_playback_clock_get_position_at (self->clock, now);
  if (!find_gop (self, position, &gop))
    return;
  key = vg_segment_index_gop_key (self->index, gop);
  audio = g_hash_table_lookup (self->audio_gops, &key);
  if (audio != NULL && audio->caps != NULL
      && (!vg_playback_audio_is_playing (self->audio)
          || !gst_caps_is_equal (audio->caps, vg_playback_audio_get_caps (self->audio))))
    vg_playback_audio_start (self->audio, audio->caps, position, now);
  if (vg_playback_audio_is_playing (self->audio))
    feed_audio (self, position, gop);
}

static void
clear_audio (VgPlayback *self)
{
  if (self->audio == NULL)   /* disposed */
    return;
  vg_playback_audio_stop (self->audio);
  g_hash_table_remove_all (self->audio_gops);
  set_has_audio (self, FALSE);
}

/* Reading and decoding one group of pictures */

static GPtrArray *
video_blocks (GBytes             *bytes,
              const VgMkvHeader  *header,
              gboolean            keyframes_only)
{
  const VgMkvTrack *track = vg_mkv_header_get_video_track (header);
  g_autoptr(GPtrArray) blocks = vg_mkv_parse_clusters (bytes, header->timestamp_scale_ns, 0, NULL);
  GPtrArray *video = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_mkv_block_free);

  for (guint i = 0; i < blocks->len; i++)
    {
      VgMkvBlock *block = g_ptr_array_index (blocks, i);

      if (block->track != track->number)
        continue;
      if (video->len == 0 && !block->keyframe)
        continue;
      g_ptr_array_add (video, g_ptr_array_steal_index (blocks, i));
      i--;
      if (keyframes_only)
        break;
    }
  return video;
}

static void
gop_decoded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GopJob) job = user_data;
  VgPlayback *self = job->self;
  g_autoptr(GError) error = NULL;
  VgDecodedGop *gop = vg_gop_decoder_decode_finish (VG_GOP_DECODER (source), result, &error);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_clear_pointer (&gop, vg_decoded_gop_free);
      return;
    }
  g_clear_object (&self->job_cancellable);
  if (gop == NULL)
    {
      set_error (self, error);
      return;
    }

  g_debug ("camera %" G_GINT64_FORMAT ": group %" G_GUINT64_FORMAT " decoded, %u frames in %" G_GINT64_FORMAT " µs",
           self->camera_id, job->key, gop->frames->len, gop->decode_us);
  gop->key = job->key;
  gop->keyframes_only = job->keyframes_only;
  gop->growing = job->growing;
  self->gops_decoded++;
  measure_decode (self, gop);
  cache_insert (self, gop);
  vg_playback_present (self);
}

/* The frames up to the one asked for, while the decoder goes on with the group: shown
 * at once (PLAY-5). */
static void
gop_target_cb (VgDecodedGop *partial,
               gpointer      user_data)
{
  GopJob *job = user_data;
  VgPlayback *self = job->self;

  if (g_cancellable_is_cancelled (job->cancellable) || partial->frames->len == 0)
    {
      vg_decoded_gop_free (partial);
      return;
    }
  partial->key = job->key;
  partial->keyframes_only = job->keyframes_only;
  partial->growing = job->growing;
  partial->complete = FALSE;
  g_debug ("camera %" G_GINT64_FORMAT ": group %" G_GUINT64_FORMAT ", %u frames so far", self->camera_id,
           job->key, partial->frames->len);
  cache_insert (self, partial);
  vg_playback_present (self);
}

static void
fail_job (GopJob *job,
          GError *error)
{
  VgPlayback *self = job->self;

  g_clear_object (&self->job_cancellable);
  set_error (self, error);
  gop_job_free (job);
}

static void
decode_job (GopJob *job)
{
  VgPlayback *self = job->self;
  VgMkvHeader *header = g_hash_table_lookup (self->headers, &job->segment_id);
  const VgMkvTrack *track = vg_mkv_header_get_video_track (header);
  g_autoptr(GstCaps) caps = track != NULL ? vg_gop_decoder_caps_for_track (track) : NULL;
  g_autoptr(GPtrArray) blocks = NULL;

  if (caps == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     "The recording has no video that can be decoded");
      fail_job (job, error);
      return;
    }

  blocks = video_blocks (job->group, header, job->keyframes_only);
  /* The index's start, not DateUTC: frame times and keyframe times then agree to the
   * microsecond (the API gives times in milliseconds). */
  vg_gop_decoder_decode_async (self->decoder, caps, blocks, job->segment_start_us, job->target_us,
                               gop_target_cb, job->cancellable, gop_decoded_cb, job);
}

static void read_gop (GopJob *job);

/* A keyframes-only read that stopped before the end of the keyframe: read the whole
 * group instead. TRUE when it did. */
static gboolean
reread_short_keyframe (GopJob *job)
{
  VgMkvHeader *header = g_hash_table_lookup (job->self->headers, &job->segment_id);
  g_autoptr(GPtrArray) blocks = NULL;

  if (!job->keyframes_only || job->length != KEYFRAME_READ_BYTES
      || (gint64) g_bytes_get_size (job->group) != job->length)
    return FALSE;
  blocks = video_blocks (job->group, header, TRUE);
  if (blocks->len > 0)
    return FALSE;
  job->length = -2;
  g_clear_pointer (&job->group, g_bytes_unref);
  read_gop (job);
  return TRUE;
}

/* Both reads (header and group) are done. */
static void
reads_done (GopJob *job)
{
  VgPlayback *self = job->self;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      gop_job_free (job);
      return;
    }
  if (job->read_error != NULL)
    {
      fail_job (job, job->read_error);
      return;
    }
  if (job->header != NULL)
    {
      VgMkvHeader *header = vg_mkv_header_parse (g_bytes_get_data (job->header, NULL),
                                                 g_bytes_get_size (job->header), &error);

      if (header == NULL)
        {
          fail_job (job, error);
          return;
        }
      g_hash_table_insert (self->headers, g_memdup2 (&job->segment_id, sizeof (gint64)), header);
      g_clear_pointer (&job->header, g_bytes_unref);
    }
  g_debug ("camera %" G_GINT64_FORMAT ": group %" G_GUINT64_FORMAT " read", self->camera_id, job->key);
  if (reread_short_keyframe (job))
    return;
  keep_audio (self, job, g_hash_table_lookup (self->headers, &job->segment_id));
  update_audio (self);
  decode_job (job);
}

static void
range_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data,
               GBytes      **into)
{
  GopJob *job = user_data;
  GError *error = NULL;
  GBytes *bytes = vg_api_client_read_range_finish (VG_API_CLIENT (source), result, &error);

  if (bytes == NULL && job->read_error == NULL)
    job->read_error = error;
  else
    g_clear_error (&error);
  *into = bytes;
  g_assert (job->reads > 0);
  if (--job->reads == 0)
    reads_done (job);
}

static void
gop_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GopJob *job = user_data;

  range_read_cb (source, result, user_data, &job->group);
}

static void
header_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GopJob *job = user_data;

  range_read_cb (source, result, user_data, &job->header);
}

static void
read_gop (GopJob *job)
{
  gint64 length = job->length;

  /* -2: the whole group after a keyframe-only read that was too short. */
  if (length == -2)
    length = -1;
  else if (job->keyframes_only && (length < 0 || length > KEYFRAME_READ_BYTES))
    length = job->length = KEYFRAME_READ_BYTES;
  job->reads++;
  vg_api_client_read_range_async (job->self->client, job->url, job->offset, length,
                                  job->cancellable, gop_read_cb, job);
}

/* Where the decoder delivers first: the position when it lies in the group, else the
 * frame by which the position will enter it: the first one when the group is ahead,
 * the last one when it is behind (playing backwards: the last frame alone, then the
 * whole group, since frames handed over in time order would be shown going
 * forwards). */
static gint64
job_target (VgPlayback *self,
            VgGopRef    gop)
{
  gint64 position = vg_playback_clock_get_position (self->clock);
  gint64 start = vg_segment_index_gop_start (self->index, gop);
  gint64 end = vg_segment_index_gop_end (self->index, gop);

  if (position < start)
    return start;
  if (position >= end)
    return end - 1;
  return position;
}

static void
start_job (VgPlayback *self,
           VgGopRef    gop,
           gboolean    keyframes_only)
{
  const VgIndexSegment *info = vg_segment_index_get_segment (self->index, gop.segment);
  GopJob *job = g_new0 (GopJob, 1);

  job->self = self;
  job->key = vg_segment_index_gop_key (self->index, gop);
  job->start_us = vg_segment_index_gop_start (self->index, gop);
  job->segment_id = info->id;
  job->segment_start_us = info->start_us;
  job->url = g_strdup (info->url);
  job->header_length = g_array_index (info->keyframes, VgIndexKeyframe, 0).offset;
  vg_segment_index_gop_bytes (self->index, gop, &job->offset, &job->length);
  job->target_us = job_target (self, gop);
  job->keyframes_only = keyframes_only;
  job->growing = info->open && gop.keyframe + 1 == info->keyframes->len;
  job->cancellable = g_cancellable_new ();

  g_debug ("camera %" G_GINT64_FORMAT ": reading group %" G_GUINT64_FORMAT " (segment %" G_GINT64_FORMAT
           ", bytes %" G_GUINT64_FORMAT "+%" G_GINT64_FORMAT "%s)", self->camera_id, job->key, job->segment_id,
           job->offset, job->length, keyframes_only ? ", keyframe only" : "");
  self->job_cancellable = g_object_ref (job->cancellable);
  self->job_key = job->key;
  self->job_start_us = vg_segment_index_gop_start (self->index, gop);
  self->job_end_us = vg_segment_index_gop_end (self->index, gop);
  self->job_keyframes_only = keyframes_only;

  /* The header (once per segment) and the group are read at the same time. */
  job->reads = 1;
  if (!g_hash_table_contains (self->headers, &job->segment_id))
    {
      job->reads++;
      vg_api_client_read_range_async (self->client, job->url, 0, (gint64) job->header_length,
                                      job->cancellable, header_read_cb, job);
    }
  read_gop (job);
  job->reads--;
  if (job->reads == 0)
    reads_done (job);
}

/* The frames a cancelled job delivered early: an incomplete group nothing completes. */
static void
cancel_job (VgPlayback *self)
{
  VgDecodedGop *partial;

  if (self->job_cancellable == NULL)
    return;
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  partial = cache_lookup (self, self->job_key);
  if (partial != NULL && !partial->complete && partial->key != self->frame_key)
    cache_remove (self, self->job_key);
}

/* Whether the cache or the running job gives the group in the form wanted. */
static gboolean
gop_covered (VgPlayback *self,
             guint64     key,
             gboolean    keyframes_only)
{
  VgDecodedGop *cached = cache_lookup (self, key);

  if (cached != NULL && cached->complete && (!cached->keyframes_only || keyframes_only))
    return TRUE;
  return self->job_cancellable != NULL && self->job_key == key
         && (!self->job_keyframes_only || keyframes_only);
}

/* Index */

static void
index_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VgPlayback) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  VgSegmentIndex *index;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->index_cancellable);
  if (node == NULL)
    {
      set_error (self, error);
      return;
    }

  index = vg_segment_index_new_from_json (node, self->index_from, self->index_to, &error);
  if (index == NULL)
    {
      set_error (self, error);
      return;
    }
  g_clear_pointer (&self->index, vg_segment_index_free);
  self->index = index;
  g_debug ("camera %" G_GINT64_FORMAT ": %u segments listed", self->camera_id, index->segments->len);
  vg_playback_present (self);
}

static void
list_index (VgPlayback *self,
            gint64      position)
{
  g_autoptr(GDateTime) from = vg_time_new_from_unix_usec (position - INDEX_WINDOW_US);
  g_autoptr(GDateTime) to = vg_time_new_from_unix_usec (position + INDEX_WINDOW_US);
  g_autofree char *from_text = vg_time_format_iso8601 (from);
  g_autofree char *to_text = vg_time_format_iso8601 (to);
  g_autoptr(GString) path = g_string_new (NULL);

  g_string_append_printf (path, "/api/v1/cameras/%" G_GINT64_FORMAT "/segments?start=%s&end=%s",
                          self->camera_id, from_text, to_text);
  if (self->stream != NULL)
    {
      g_string_append (path, "&stream=");
      g_string_append_uri_escaped (path, self->stream, NULL, FALSE);
    }

  g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  self->index_cancellable = g_cancellable_new ();
  self->index_listed_at = g_get_monotonic_time ();
  self->index_from = position - INDEX_WINDOW_US;
  self->index_to = position + INDEX_WINDOW_US;
  vg_api_client_request_async (self->client, "GET", path->str, NULL, self->index_cancellable,
                               index_listed_cb, g_object_ref (self));
}

/* Whether the index must be listed again for position: outside or near the ends of
 * its window, or past the end of a segment still being written. */
/* Whether position is near or past the end the index knows of a segment still being
 * written (what the node wrote since is not listed yet). */
static gboolean
past_open_end (VgPlayback *self,
               gint64      position)
{
  const VgIndexSegment *last;

  if (self->index == NULL || self->index->segments->len == 0)
    return FALSE;
  last = g_ptr_array_index (self->index->segments, self->index->segments->len - 1);
  return last->open && position > last->end_us - 5 * G_USEC_PER_SEC;
}

static gboolean
index_stale (VgPlayback *self,
             gint64      position)
{
  if (self->index == NULL)
    return TRUE;
  if (position < self->index->from_us + INDEX_MARGIN_US || position > self->index->to_us - INDEX_MARGIN_US)
    return TRUE;
  return past_open_end (self, position)
         && g_get_monotonic_time () - self->index_listed_at > INDEX_REFRESH_US;
}

static gboolean
index_refresh_cb (gpointer data)
{
  VgPlayback *self = data;

  self->index_refresh_id = 0;
  vg_playback_present (self);
  return G_SOURCE_REMOVE;
}

/* Past the end of an open segment listed less than INDEX_REFRESH_US ago: looked at
 * again when it may be listed, so that a paused player (nothing else presents) does
 * not stay on a gap the node has recorded since. */
static void
schedule_index_refresh (VgPlayback *self,
                        gint64      position)
{
  gint64 wait_us;

  if (self->index_refresh_id != 0 || !past_open_end (self, position))
    return;
  wait_us = self->index_listed_at + INDEX_REFRESH_US - g_get_monotonic_time ();
  self->index_refresh_id = g_timeout_add ((guint) (CLAMP (wait_us, 0, INDEX_REFRESH_US) / 1000) + 10,
                                          index_refresh_cb, self);
}

/* Presenting the frame of the clock's position */

static gboolean
find_gop (VgPlayback *self,
          gint64      position,
          VgGopRef   *gop)
{
  return self->index != NULL && vg_segment_index_find (self->index, position, gop);
}

/* Whether position lies in a gap after gop (nothing recorded for GAP_MIN_US or more). */
static gboolean
in_gap_after (VgPlayback *self,
              VgGopRef    gop,
              gint64      position)
{
  gint64 end = vg_segment_index_gop_end (self->index, gop);
  VgGopRef next = gop;

  if (position < end)
    return FALSE;
  if (!vg_segment_index_move (self->index, &next, 1))
    return TRUE;
  return vg_segment_index_gop_start (self->index, next) - end >= GAP_MIN_US;
}

/* While playing with skip-gaps: the clock jumps to the recording after (or before) the
 * gap. TRUE when it jumped. */
static gboolean
skip_gap (VgPlayback *self,
          gint64      position,
          gboolean    have_gop,
          VgGopRef    gop)
{
  gboolean forward = vg_playback_clock_get_speed (self->clock) > 0;
  VgGopRef target = gop;

  if (!self->skip_gaps || !vg_playback_clock_get_playing (self->clock) || self->index->segments->len == 0)
    return FALSE;

  if (forward)
    {
      if (!have_gop)
        {
          target.segment = 0;
          target.keyframe = 0;
          if (vg_segment_index_gop_start (self->index, target) <= position)
            return FALSE;
        }
      else if (!vg_segment_index_move (self->index, &target, 1))
        return FALSE;
      vg_playback_clock_seek (self->clock, vg_segment_index_gop_start (self->index, target));
      return TRUE;
    }
  if (!have_gop)
    return FALSE;
  vg_playback_clock_seek (self->clock, vg_segment_index_gop_end (self->index, gop) - 1);
  return TRUE;
}

/* While playing, the group after (or before) the current one is read ahead. */
static void
read_ahead (VgPlayback *self,
            VgGopRef    gop,
            gboolean    keyframes_only)
{
  VgGopRef next = gop;
  int direction = vg_playback_clock_get_speed (self->clock) > 0 ? 1 : -1;

  if (!vg_playback_clock_get_playing (self->clock) || self->job_cancellable != NULL)
    return;
  if (!vg_segment_index_move (self->index, &next, direction))
    return;
  if (!gop_covered (self, vg_segment_index_gop_key (self->index, next), keyframes_only))
    start_job (self, next, keyframes_only);
}

/* A growing group (the end of an open segment) read before the position reached its
 * last frame: read it again. */
static gboolean
stale_growing (VgPlayback   *self,
               VgDecodedGop *cached,
               gint64        position,
               gint64        frame_us)
{
  const VgDecodedFrame *last;

  if (!cached->growing || !cached->complete || cached->frames->len == 0)
    return FALSE;
  last = vg_decoded_gop_get (cached, cached->frames->len - 1);
  return position > last->time_us + 2 * frame_us;
}

/* Playing: a job for a group the position has left is of no use (the decoder fell
 * behind); the group at the position is decoded instead, frames are dropped. */
static void
cancel_passed_job (VgPlayback *self,
                   gint64      position)
{
  gboolean forward;

  if (self->job_cancellable == NULL || !vg_playback_clock_get_playing (self->clock))
    return;
  forward = vg_playback_clock_get_speed (self->clock) > 0;
  if ((forward && position >= self->job_end_us) || (!forward && position < self->job_start_us))
    {
      g_debug ("camera %" G_GINT64_FORMAT ": behind, group %" G_GUINT64_FORMAT " dropped",
               self->camera_id, self->job_key);
      cancel_job (self);
    }
}

static void
present_frame (VgPlayback *self)
{
  gint64 position;
  VgGopRef gop = { 0, 0 };
  gboolean have_gop;
  gboolean keyframes_only;
  VgDecodedGop *cached;
  guint64 key;
  gint64 frame_us;

  if (self->camera_id <= 0)
    return;
  position = vg_playback_clock_get_position (self->clock);
  if (index_stale (self, position) && self->index_cancellable == NULL)
    list_index (self, position);
  else if (self->index_cancellable == NULL)
    schedule_index_refresh (self, position);
  if (self->index == NULL)
    {
      set_state (self, VG_PLAYBACK_STATE_LOADING);
      return;
    }

  have_gop = find_gop (self, position, &gop);
  if (!have_gop || in_gap_after (self, gop, position))
    {
      if (!skip_gap (self, position, have_gop, gop))
        set_state (self, VG_PLAYBACK_STATE_GAP);
      return;
    }

  cancel_passed_job (self, position);
  frame_us = vg_segment_index_frame_duration (self->index, gop.segment);
  keyframes_only = want_keyframes_only (self, frame_us);
  key = vg_segment_index_gop_key (self->index, gop);
  cached = cache_lookup (self, key);
  if (cached != NULL && stale_growing (self, cached, position, frame_us) && self->job_cancellable == NULL)
    {
      cache_remove (self, key);
      cached = NULL;
    }

  if (cached != NULL && cached->frames->len > 0 && (!cached->keyframes_only || keyframes_only))
    {
      show_frame (self, cached, vg_decoded_gop_get (cached, (guint) MAX (vg_decoded_gop_find (cached, position), 0)));
      if (cached->complete)
        read_ahead (self, gop, keyframes_only);
      else if (!gop_covered (self, key, keyframes_only) && self->job_cancellable == NULL)
        start_job (self, gop, keyframes_only);
      return;
    }

  /* A keyframes-only group meanwhile, when that is what there is. */
  if (cached != NULL && cached->frames->len > 0)
    show_frame (self, cached, vg_decoded_gop_get (cached, 0));
  else
    set_state (self, VG_PLAYBACK_STATE_LOADING);
  if (!gop_covered (self, key, keyframes_only) && self->job_cancellable == NULL)
    start_job (self, gop, keyframes_only);
}

/* The frame of the clock's position, and its sound. */
static void
vg_playback_present (VgPlayback *self)
{
  present_frame (self);
  update_audio (self);
}

/* After a seek: a job for another group is of no use any more. */
static void
clock_changed_cb (VgPlayback *self)
{
  gint64 position = vg_playback_clock_get_position (self->clock);
  VgGopRef gop;

  /* Silent at once; heard again from the new position when it plays at 1×. */
  vg_playback_audio_stop (self->audio);
  if (self->job_cancellable != NULL && self->index != NULL && find_gop (self, position, &gop)
      && vg_segment_index_gop_key (self->index, gop) != self->job_key)
    cancel_job (self);
  vg_playback_present (self);
}

static void
clock_tick_cb (VgPlayback *self)
{
  vg_playback_present (self);
}

/* Public API */

VgPlayback *
vg_playback_new (VgApiClient *client,
                 gint64       camera_id,
                 const char  *stream)
{
  VgPlayback *self;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);

  self = g_object_new (VG_TYPE_PLAYBACK, NULL);
  self->client = g_object_ref (client);
  self->camera_id = camera_id;
  self->stream = g_strdup (stream);
  return self;
}

void
vg_playback_set_source (VgPlayback *self,
                        gint64      camera_id,
                        const char *stream)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  if (camera_id == self->camera_id && g_strcmp0 (stream, self->stream) == 0)
    return;
  clear_source_state (self);
  self->camera_id = camera_id;
  g_free (self->stream);
  self->stream = g_strdup (stream);
  vg_playback_present (self);
}

gint64
vg_playback_get_camera_id (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->camera_id;
}

const char *
vg_playback_get_stream (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), NULL);

  return self->stream;
}

VgPlaybackClock *
vg_playback_get_clock (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), NULL);

  return self->clock;
}

static void
disconnect_clock (VgPlayback *self)
{
  if (self->clock == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->clock, self);
  g_clear_object (&self->clock);
}

void
vg_playback_set_clock (VgPlayback      *self,
                       VgPlaybackClock *clock)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));
  g_return_if_fail (VG_IS_PLAYBACK_CLOCK (clock));

  if (clock == self->clock)
    return;
  disconnect_clock (self);
  self->clock = g_object_ref (clock);
  g_signal_connect_swapped (clock, "changed", G_CALLBACK (clock_changed_cb), self);
  g_signal_connect_swapped (clock, "tick", G_CALLBACK (clock_tick_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
  clock_changed_cb (self);
}

void
vg_playback_seek (VgPlayback *self,
                  gint64      time_us)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_clock_seek (self->clock, time_us);
}

void
vg_playback_play (VgPlayback *self)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_clock_set_playing (self->clock, TRUE);
}

void
vg_playback_pause (VgPlayback *self)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_clock_set_playing (self->clock, FALSE);
}

void
vg_playback_set_speed (VgPlayback *self,
                       double      speed)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_clock_set_speed (self->clock, speed);
}

/* The group of the frame shown, every frame decoded (or those up to the one shown
 * while the decoder goes on), or NULL. */
static VgDecodedGop *
shown_gop (VgPlayback *self)
{
  VgDecodedGop *gop;

  if (self->frame == NULL)
    return NULL;
  gop = cache_lookup (self, self->frame_key);
  return gop != NULL && !gop->keyframes_only ? gop : NULL;
}

/* Whether a step of n from frame i leaves the frames decoded so far of a group the
 * decoder is still busy with (it delivers the frame asked for first, then those
 * before it, then those after). */
static gboolean
step_beyond_decoded (VgPlayback         *self,
                     const VgDecodedGop *gop,
                     VgGopRef            ref,
                     int                 i)
{
  if (gop->complete)
    return FALSE;
  if (i >= (int) gop->frames->len)
    return TRUE;
  return i < 0 && vg_decoded_gop_get (gop, 0)->time_us > vg_segment_index_gop_start (self->index, ref);
}

/* A step into frames not decoded yet: the position half-way into the frame next to
 * the one shown (the duration is an estimate), shown when the decoder gets there. */
static void
step_into_decoding (VgPlayback *self,
                    VgGopRef    ref,
                    int         n)
{
  gint64 frame_us = vg_segment_index_frame_duration (self->index, ref.segment);

  vg_playback_clock_seek (self->clock, n > 0 ? self->frame_time + frame_us * 3 / 2
                                             : self->frame_time - frame_us / 2);
}

static int
frame_index_of (const VgDecodedGop *gop,
                gint64              time_us)
{
  for (guint i = 0; i < gop->frames->len; i++)
    if (vg_decoded_gop_get (gop, i)->time_us == time_us)
      return (int) i;
  return -1;
}

void
vg_playback_step (VgPlayback *self,
                  int         n)
{
  VgDecodedGop *gop;
  VgGopRef ref;
  int i;

  g_return_if_fail (VG_IS_PLAYBACK (self));
  g_return_if_fail (n == 1 || n == -1);

  vg_playback_clock_set_playing (self->clock, FALSE);
  gop = shown_gop (self);
  if (gop == NULL || self->index == NULL || !find_gop (self, self->frame_time, &ref))
    {
      /* Nothing decoded whole yet: present the position, a later step will move. */
      vg_playback_present (self);
      return;
    }

  i = frame_index_of (gop, self->frame_time) + n;
  if (i >= 0 && i < (int) gop->frames->len)
    {
      vg_playback_clock_seek (self->clock, vg_decoded_gop_get (gop, (guint) i)->time_us);
      return;
    }
  if (step_beyond_decoded (self, gop, ref, i))
    {
      step_into_decoding (self, ref, n);
      return;
    }
  if (!vg_segment_index_move (self->index, &ref, n))
    return;
  if (n > 0)
    vg_playback_clock_seek (self->clock, vg_segment_index_gop_start (self->index, ref));
  else
    vg_playback_clock_seek (self->clock, vg_segment_index_gop_end (self->index, ref) - 1);
}

void
vg_playback_jump_keyframes (VgPlayback *self,
                            int         n)
{
  gint64 position;
  VgGopRef gop;

  g_return_if_fail (VG_IS_PLAYBACK (self));
  g_return_if_fail (n != 0 && ABS (n) <= VG_PLAYBACK_JUMP_MAX);

  vg_playback_clock_set_playing (self->clock, FALSE);
  position = self->frame != NULL ? self->frame_time : vg_playback_clock_get_position (self->clock);
  if (self->index == NULL || !find_gop (self, position, &gop))
    return;
  vg_segment_index_move (self->index, &gop, n);
  vg_playback_clock_seek (self->clock, vg_segment_index_gop_start (self->index, gop));
}

VgPlaybackState
vg_playback_get_state (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), VG_PLAYBACK_STATE_IDLE);

  return self->state;
}

const char *
vg_playback_get_error (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), NULL);

  return self->error;
}

GstSample *
vg_playback_get_frame (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), NULL);

  return self->frame;
}

gint64
vg_playback_get_frame_time (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->frame != NULL ? self->frame_time : 0;
}

gboolean
vg_playback_get_keyframes_only (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), FALSE);

  return self->frame_keyframes_only;
}

gboolean
vg_playback_get_recorded_range (VgPlayback *self,
                                gint64     *first_us,
                                gint64     *last_us)
{
  const VgIndexSegment *first;
  const VgIndexSegment *last;

  g_return_val_if_fail (VG_IS_PLAYBACK (self), FALSE);

  if (self->index == NULL || self->index->segments->len == 0)
    return FALSE;
  first = g_ptr_array_index (self->index->segments, 0);
  last = g_ptr_array_index (self->index->segments, self->index->segments->len - 1);
  if (first_us != NULL)
    *first_us = first->start_us;
  if (last_us != NULL)
    *last_us = last->end_us;
  return TRUE;
}

gboolean
vg_playback_get_skip_gaps (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), FALSE);

  return self->skip_gaps;
}

void
vg_playback_set_skip_gaps (VgPlayback *self,
                           gboolean    skip_gaps)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  skip_gaps = !!skip_gaps;
  if (skip_gaps == self->skip_gaps)
    return;
  self->skip_gaps = skip_gaps;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_GAPS]);
  vg_playback_present (self);
}

gsize
vg_playback_get_cache_limit (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->cache_limit;
}

void
vg_playback_set_cache_limit (VgPlayback *self,
                             gsize       bytes)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  if (bytes == self->cache_limit)
    return;
  self->cache_limit = bytes;
  cache_trim (self, vg_playback_clock_get_position (self->clock), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_LIMIT]);
}

gboolean
vg_playback_get_has_audio (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), FALSE);

  return self->has_audio;
}

double
vg_playback_get_volume (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return vg_playback_audio_get_volume (self->audio);
}

void
vg_playback_set_volume (VgPlayback *self,
                        double      volume)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_audio_set_volume (self->audio, volume);
}

gboolean
vg_playback_get_muted (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), FALSE);

  return vg_playback_audio_get_muted (self->audio);
}

void
vg_playback_set_muted (VgPlayback *self,
                       gboolean    muted)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));

  vg_playback_audio_set_muted (self->audio, muted);
}

GstElement *
vg_playback_get_audio_sink (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), NULL);

  return vg_playback_audio_get_sink (self->audio);
}

void
vg_playback_set_audio_sink (VgPlayback *self,
                            GstElement *sink)
{
  g_return_if_fail (VG_IS_PLAYBACK (self));
  g_return_if_fail (sink == NULL || GST_IS_ELEMENT (sink));

  vg_playback_audio_set_sink (self->audio, sink);
  update_audio (self);
}

/* The audio object's properties, notified as the engine's. */
static void
audio_notify_cb (VgPlayback *self,
                 GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "volume"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
  else if (g_str_equal (pspec->name, "muted"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
  else if (g_str_equal (pspec->name, "sink"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SINK]);
}

guint64
vg_playback_get_frames_shown (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->frames_shown;
}

gsize
vg_playback_get_cache_bytes (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->cache_bytes;
}

guint64
vg_playback_get_gops_decoded (VgPlayback *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK (self), 0);

  return self->gops_decoded;
}

/* GObject */

static void
vg_playback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VgPlayback *self = VG_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_SKIP_GAPS:
      g_value_set_boolean (value, self->skip_gaps);
      break;
    case PROP_CACHE_LIMIT:
      g_value_set_uint64 (value, self->cache_limit);
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, self->has_audio);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, vg_playback_get_volume (self));
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, vg_playback_get_muted (self));
      break;
    case PROP_AUDIO_SINK:
      g_value_set_object (value, vg_playback_get_audio_sink (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VgPlayback *self = VG_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      vg_playback_set_clock (self, g_value_get_object (value));
      break;
    case PROP_SKIP_GAPS:
      vg_playback_set_skip_gaps (self, g_value_get_boolean (value));
      break;
    case PROP_CACHE_LIMIT:
      vg_playback_set_cache_limit (self, (gsize) g_value_get_uint64 (value));
      break;
    case PROP_VOLUME:
      vg_playback_set_volume (self, g_value_get_double (value));
      break;
    case PROP_MUTED:
      vg_playback_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_AUDIO_SINK:
      vg_playback_set_audio_sink (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_dispose (GObject *object)
{
  VgPlayback *self = VG_PLAYBACK (object);

  g_clear_handle_id (&self->index_refresh_id, g_source_remove);
  clear_source_state (self);
  disconnect_clock (self);
  g_clear_pointer (&self->frame, gst_sample_unref);
  g_clear_pointer (&self->frame_decoded, gst_sample_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->decoder);
  if (self->audio != NULL)
    g_signal_handlers_disconnect_by_data (self->audio, self);
  g_clear_object (&self->audio);
  G_OBJECT_CLASS (vg_playback_parent_class)->dispose (object);
}

static void
vg_playback_finalize (GObject *object)
{
  VgPlayback *self = VG_PLAYBACK (object);

  g_hash_table_unref (self->headers);
  g_hash_table_unref (self->cache);
  g_hash_table_unref (self->audio_gops);
  vg_frame_converter_free (self->converter);
  g_free (self->stream);
  g_free (self->error);
  G_OBJECT_CLASS (vg_playback_parent_class)->finalize (object);
}

static void
vg_playback_class_init (VgPlaybackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vg_playback_get_property;
  object_class->set_property = vg_playback_set_property;
  object_class->dispose = vg_playback_dispose;
  object_class->finalize = vg_playback_finalize;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, VG_TYPE_PLAYBACK_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, VG_PLAYBACK_STATE_IDLE, VG_PLAYBACK_STATE_ERROR,
                      VG_PLAYBACK_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SKIP_GAPS] =
    g_param_spec_boolean ("skip-gaps", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_LIMIT] =
    g_param_spec_uint64 ("cache-limit", NULL, NULL, 0, G_MAXUINT64, DEFAULT_CACHE_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_AUDIO] =
    g_param_spec_boolean ("has-audio", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_SINK] =
    g_param_spec_object ("audio-sink", NULL, NULL, GST_TYPE_ELEMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_playback_init (VgPlayback *self)
{
  gst_init (NULL, NULL);
  self->cache_limit = DEFAULT_CACHE_LIMIT;
  self->headers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) vg_mkv_header_free);
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) vg_decoded_gop_free);
  self->decoder = vg_gop_decoder_new ();
  self->converter = vg_frame_converter_new ();
  self->audio = vg_playback_audio_new ();
  self->audio_gops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) audio_gop_free);
  g_signal_connect_swapped (self->audio, "notify", G_CALLBACK (audio_notify_cb), self);
  self->clock = vg_playback_clock_new ();
  g_signal_connect_swapped (self->clock, "changed", G_CALLBACK (clock_changed_cb), self);
  g_signal_connect_swapped (self->clock, "tick", G_CALLBACK (clock_tick_cb), self);
}
