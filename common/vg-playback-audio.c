/* vg-playback-audio.c: the sound of a recording, played in step with the playback clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-playback-audio.h"

#include <gst/app/gstappsrc.h>

/* Blocks further apart than this have nothing recorded between them: the decoder and
 * the sink take the next one as a new start (DISCONT) instead of playing it straight
 * after the last one. AAC blocks last 21 to 128 ms, G.711 packets 20 to 40 ms. */
#define GAP_NS (300 * GST_MSECOND)

struct _VgPlaybackAudio
{
  GObject     parent_instance;

  GstElement *sink;          /* chosen by the caller, or NULL */
  double      volume;
  gboolean    muted;
  gboolean    failed;

  GstClock   *clock;         /* CLOCK_MONOTONIC */
  GstElement *pipeline;
  GstElement *src;
  GstElement *volume_element;
  GstElement *sink_in_use;
  GstCaps    *caps;
  guint       bus_watch;

  gboolean    running;       /* set to PLAYING (a stop flushes it, it stays PLAYING) */
  gboolean    playing;
  gint64      origin_ns;     /* UTC ns heard at the base time */
  gint64      last_ns;
  guint64     pushed;        /* blocks since the start */
};

enum {
  PROP_0,
  PROP_SINK,
  PROP_VOLUME,
  PROP_MUTED,
  PROP_FAILED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VgPlaybackAudio, vg_playback_audio, G_TYPE_OBJECT)

/* Caps */

static GstCaps *
aac_caps (const VgMkvTrack *track)
{
  GstCaps *caps = gst_caps_new_simple ("audio/mpeg", "mpegversion", G_TYPE_INT, 4,
                                       "stream-format", G_TYPE_STRING, "raw", NULL);

  if (track->codec_private == NULL || g_bytes_get_size (track->codec_private) < 2)
    {
      gst_caps_unref (caps);
      return NULL;
    }
  {
    g_autoptr(GstBuffer) codec_data = gst_buffer_new_wrapped_bytes (track->codec_private);

    gst_caps_set_simple (caps, "codec_data", GST_TYPE_BUFFER, codec_data, NULL);
  }
  if (track->sample_rate > 0)
    gst_caps_set_simple (caps, "rate", G_TYPE_INT, (int) track->sample_rate, NULL);
  if (track->channels > 0)
    gst_caps_set_simple (caps, "channels", G_TYPE_INT, (int) track->channels, NULL);
  return caps;
}

/* A_MS/ACM: a WAVEFORMATEX; the node writes tag 6 (A-law) or 7 (µ-law). */
static GstCaps *
acm_caps (const VgMkvTrack *track)
{
  const guint8 *wf;
  gsize size = 0;
  guint tag;
  guint channels;
  guint rate;

  if (track->codec_private == NULL)
    return NULL;
  wf = g_bytes_get_data (track->codec_private, &size);
  if (size < 16)
    return NULL;
  tag = wf[0] | (wf[1] << 8);
  channels = wf[2] | (wf[3] << 8);
  rate = (guint) wf[4] | ((guint) wf[5] << 8) | ((guint) wf[6] << 16) | ((guint) wf[7] << 24);
  if ((tag != 6 && tag != 7) || channels == 0 || rate == 0)
    return NULL;
  return gst_caps_new_simple (tag == 6 ? "audio/x-alaw" : "audio/x-mulaw",
                              "rate", G_TYPE_INT, (int) rate, "channels", G_TYPE_INT, (int) channels, NULL);
}

GstCaps *
vg_playback_audio_caps_for_track (const VgMkvTrack *track)
{
  g_return_val_if_fail (track != NULL, NULL);

  if (g_strcmp0 (track->codec_id, "A_AAC") == 0)
    return aac_caps (track);
  if (g_strcmp0 (track->codec_id, "A_MS/ACM") == 0)
    return acm_caps (track);
  return NULL;
}

/* The pipeline */

static void
report_no_output (VgPlaybackAudio *self,
                  const char      *why)
{
  static gsize warned = 0;

  if (g_once_init_enter (&warned))
    {
      g_warning ("Playback goes on without sound: %s", why);
      g_once_init_leave (&warned, 1);
    }
  else
    g_debug ("no sound: %s", why);
}

static void
drop_pipeline (VgPlaybackAudio *self)
{
  self->playing = FALSE;
  self->running = FALSE;
  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->bus_watch != 0)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      gst_bus_remove_watch (bus);
      self->bus_watch = 0;
    }
  /* The caller's sink outlives the pipeline: it may be used by the next one. */
  if (self->sink_in_use != NULL && self->sink_in_use == self->sink)
    gst_bin_remove (GST_BIN (self->pipeline), self->sink_in_use);
  self->sink_in_use = NULL;
  self->src = NULL;
  self->volume_element = NULL;
  g_clear_object (&self->pipeline);
  g_clear_pointer (&self->caps, gst_caps_unref);
}

static void
fail (VgPlaybackAudio *self,
      const char      *why)
{
  report_no_output (self, why);
  drop_pipeline (self);
  if (self->failed)
    return;
  self->failed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
}

static gboolean
bus_cb (GstBus     *bus G_GNUC_UNUSED,
        GstMessage *message,
        gpointer    user_data)
{
  VgPlaybackAudio *self = user_data;
  g_autoptr(GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      fail (self, error->message);
      break;
    case GST_MESSAGE_WARNING:
      /* autoaudiosink with no device found: a fake sink, silence. */
      gst_message_parse_warning (message, &error, NULL);
      if (self->sink_in_use != NULL
          && gst_object_has_as_ancestor (GST_MESSAGE_SRC (message), GST_OBJECT (self->sink_in_use)))
        report_no_output (self, error->message);
      else
        g_debug ("audio: %s", error->message);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make_sink (VgPlaybackAudio  *self,
           GError          **error)
{
  static gsize env_read = 0;
  static char *description = NULL;
  GstElement *sink;

  if (self->sink != NULL)
    return gst_object_ref (self->sink);
  if (g_once_init_enter (&env_read))
    {
      description = g_strdup (g_getenv ("VIGIE_AUDIO_SINK"));
      g_once_init_leave (&env_read, 1);
    }
  if (description != NULL && description[0] != '\0')
    sink = gst_parse_bin_from_description (description, TRUE, error);
  else
    sink = gst_element_factory_make ("autoaudiosink", NULL);
  return sink != NULL ? gst_object_ref_sink (sink) : NULL;
}

static gboolean
seek_data_cb (GstAppSrc *src G_GNUC_UNUSED,
              guint64    offset G_GNUC_UNUSED,
              gpointer   user_data G_GNUC_UNUSED)
{
  /* Flushing only: the blocks of the next start are pushed after it. */
  return TRUE;
}

/* The base time of every element, at once: the pipeline hands its own to its children
 * only when they change state. */
static void
set_base_time (GstElement   *pipeline,
               GstClockTime  base_time)
{
  g_autoptr(GstIterator) iter = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;

  gst_element_set_base_time (pipeline, base_time);
  while (gst_iterator_next (iter, &item) == GST_ITERATOR_OK)
    {
      gst_element_set_base_time (g_value_get_object (&item), base_time);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

static gboolean
build_pipeline (VgPlaybackAudio  *self,
                GstCaps          *caps,
                GError          **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *src;
  GstElement *volume;

  /* Seekable: a stop is a flushing seek, which empties the pipeline at once but keeps
   * the decoder decodebin plugged and the output open. */
  pipeline = gst_parse_launch ("appsrc name=src format=time is-live=false stream-type=seekable"
                               " handle-segment-change=true"
                               " ! decodebin ! audioconvert ! audioresample ! volume name=volume", error);
  if (pipeline == NULL)
    return FALSE;
  sink = make_sink (self, error);
  if (sink == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN, "No audio sink");
      return FALSE;
    }
  /* The bin holds them: the references kept are borrowed. */
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  volume = gst_bin_get_by_name (GST_BIN (pipeline), "volume");
  gst_object_unref (src);
  gst_object_unref (volume);
  gst_bin_add (GST_BIN (pipeline), sink);
  if (!gst_element_link (volume, sink))
    {
      gst_bin_remove (GST_BIN (pipeline), sink);
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION, "The audio sink takes no raw audio");
      return FALSE;
    }
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  g_signal_connect (src, "seek-data", G_CALLBACK (seek_data_cb), NULL);
  g_object_set (volume, "volume", self->volume, "mute", self->muted, NULL);
  self->src = src;
  self->volume_element = volume;
  self->sink_in_use = sink;

  /* Heard when the monotonic clock reaches the base time we set, not one the
   * pipeline picks when it starts playing. */
  gst_pipeline_use_clock (GST_PIPELINE (pipeline), self->clock);
  gst_element_set_start_time (pipeline, GST_CLOCK_TIME_NONE);
  bus = gst_element_get_bus (pipeline);
  self->bus_watch = gst_bus_add_watch (bus, bus_cb, self);
  self->caps = gst_caps_ref (caps);
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

/* Public API */

VgPlaybackAudio *
vg_playback_audio_new (void)
{
  return g_object_new (VG_TYPE_PLAYBACK_AUDIO, NULL);
}

gboolean
vg_playback_audio_start (VgPlaybackAudio *self,
                         GstCaps         *caps,
                         gint64           position_us,
                         gint64           monotonic_us)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), FALSE);
  g_return_val_if_fail (GST_IS_CAPS (caps), FALSE);
  g_return_val_if_fail (position_us >= 0 && monotonic_us >= 0, FALSE);

  if (self->failed)
    return FALSE;
  if (self->pipeline != NULL && !gst_caps_is_equal (caps, self->caps))
    drop_pipeline (self);
  if (self->pipeline == NULL && !build_pipeline (self, caps, &error))
    {
      fail (self, error->message);
      return FALSE;
    }

  vg_playback_audio_stop (self);
  /* Another segment than the last start's: appsrc sends a segment only when it
   * changes (a nanosecond later is heard a nanosecond later). */
  if (position_us * 1000 == self->origin_ns)
    {
      position_us++;
      monotonic_us++;
    }
  self->origin_ns = position_us * 1000;
  self->last_ns = self->origin_ns;
  self->pushed = 0;
  set_base_time (self->pipeline, (GstClockTime) monotonic_us * 1000);
  if (!self->running && gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      fail (self, "the audio output cannot be opened");
      return FALSE;
    }
  self->running = TRUE;
  self->playing = TRUE;
  return TRUE;
}

void
vg_playback_audio_stop (VgPlaybackAudio *self)
{
  g_return_if_fail (VG_IS_PLAYBACK_AUDIO (self));

  if (!self->playing)
    return;
  self->playing = FALSE;
  /* What was queued is dropped at once; the next start goes on from there. */
  if (!gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH, 0))
    {
      gst_element_set_state (self->pipeline, GST_STATE_READY);
      self->running = FALSE;
    }
}

gboolean
vg_playback_audio_is_playing (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), FALSE);

  return self->playing;
}

GstCaps *
vg_playback_audio_get_caps (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), NULL);

  return self->caps;
}

/* The first block after a start carries the segment: its timestamps are UTC times and
 * its running time starts at the start position. */
static void
push_first (VgPlaybackAudio *self,
            GstBuffer       *buffer)
{
  GstSegment segment;
  g_autoptr(GstSample) sample = NULL;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = (guint64) self->origin_ns;
  segment.time = (guint64) self->origin_ns;
  segment.position = (guint64) self->origin_ns;
  sample = gst_sample_new (buffer, self->caps, &segment, NULL);
  gst_app_src_push_sample (GST_APP_SRC (self->src), sample);
  gst_buffer_unref (buffer);
}

void
vg_playback_audio_push (VgPlaybackAudio *self,
                        gint64           time_ns,
                        GBytes          *data)
{
  GstBuffer *buffer;

  g_return_if_fail (VG_IS_PLAYBACK_AUDIO (self));
  g_return_if_fail (data != NULL);

  if (!self->playing || time_ns < self->origin_ns || (self->pushed > 0 && time_ns <= self->last_ns))
    return;
  buffer = gst_buffer_new_wrapped_bytes (data);
  GST_BUFFER_PTS (buffer) = (GstClockTime) time_ns;
  if (self->pushed == 0 || time_ns - self->last_ns > (gint64) GAP_NS)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  self->last_ns = time_ns;
  if (self->pushed++ == 0)
    push_first (self, buffer);
  else
    gst_app_src_push_buffer (GST_APP_SRC (self->src), buffer);
}

gint64
vg_playback_audio_get_last_time (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), 0);

  return self->last_ns;
}

GstElement *
vg_playback_audio_get_sink (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), NULL);

  return self->sink;
}

void
vg_playback_audio_set_sink (VgPlaybackAudio *self,
                            GstElement      *sink)
{
  g_return_if_fail (VG_IS_PLAYBACK_AUDIO (self));
  g_return_if_fail (sink == NULL || GST_IS_ELEMENT (sink));

  if (sink == self->sink)
    return;
  drop_pipeline (self);
  g_clear_object (&self->sink);
  if (sink != NULL)
    self->sink = gst_object_ref_sink (sink);
  /* Another output: worth trying again. */
  if (self->failed)
    {
      self->failed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINK]);
}

double
vg_playback_audio_get_volume (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), 0);

  return self->volume;
}

void
vg_playback_audio_set_volume (VgPlaybackAudio *self,
                              double           volume)
{
  g_return_if_fail (VG_IS_PLAYBACK_AUDIO (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (volume == self->volume)
    return;
  self->volume = volume;
  if (self->volume_element != NULL)
    g_object_set (self->volume_element, "volume", volume, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

gboolean
vg_playback_audio_get_muted (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), FALSE);

  return self->muted;
}

void
vg_playback_audio_set_muted (VgPlaybackAudio *self,
                             gboolean         muted)
{
  g_return_if_fail (VG_IS_PLAYBACK_AUDIO (self));

  muted = !!muted;
  if (muted == self->muted)
    return;
  self->muted = muted;
  if (self->volume_element != NULL)
    g_object_set (self->volume_element, "mute", muted, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
vg_playback_audio_get_failed (VgPlaybackAudio *self)
{
  g_return_val_if_fail (VG_IS_PLAYBACK_AUDIO (self), TRUE);

  return self->failed;
}

/* GObject */

static void
vg_playback_audio_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VgPlaybackAudio *self = VG_PLAYBACK_AUDIO (object);

  switch (prop_id)
    {
    case PROP_SINK:
      g_value_set_object (value, self->sink);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, self->failed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_audio_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VgPlaybackAudio *self = VG_PLAYBACK_AUDIO (object);

  switch (prop_id)
    {
    case PROP_SINK:
      vg_playback_audio_set_sink (self, g_value_get_object (value));
      break;
    case PROP_VOLUME:
      vg_playback_audio_set_volume (self, g_value_get_double (value));
      break;
    case PROP_MUTED:
      vg_playback_audio_set_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_playback_audio_dispose (GObject *object)
{
  VgPlaybackAudio *self = VG_PLAYBACK_AUDIO (object);

  drop_pipeline (self);
  g_clear_object (&self->sink);
  g_clear_object (&self->clock);
  G_OBJECT_CLASS (vg_playback_audio_parent_class)->dispose (object);
}

static void
vg_playback_audio_class_init (VgPlaybackAudioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vg_playback_audio_get_property;
  object_class->set_property = vg_playback_audio_set_property;
  object_class->dispose = vg_playback_audio_dispose;

  properties[PROP_SINK] =
    g_param_spec_object ("sink", NULL, NULL, GST_TYPE_ELEMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_playback_audio_init (VgPlaybackAudio *self)
{
  gst_init (NULL, NULL);
  self->volume = 1.0;
  self->clock = gst_object_ref_sink (g_object_new (GST_TYPE_SYSTEM_CLOCK, "clock-type", GST_CLOCK_TYPE_MONOTONIC,
                                                   NULL));
}
