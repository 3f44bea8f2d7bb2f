/* vg-live-pipeline.c: one RTSP(S) live stream decoded into GdkTextures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vg-client-enums.h"
#include "vg-live-pipeline.h"
#include "vg-pinned-tls-database.h"

#include "vg-sample-texture.h"

/* No frame for this long while playing, or none at all this long after a start: the
 * stream is taken as cut and started again. */
#define STALL_TIMEOUT_US    (5 * G_USEC_PER_SEC)
#define CONNECT_TIMEOUT_US  (15 * G_USEC_PER_SEC)

/* Frames waiting for the display at most: a burst (two frames decoded within one paint)
 * is shown frame by frame instead of losing all but the newest; beyond that the oldest
 * goes, so the picture is never more than this many frames behind the decoder. */
#define QUEUE_LENGTH 3

/* Decoded pictures up to this many pixels are decoded by one thread: a frame thread more
 * delays each picture by a frame and holds its own pictures, and the cells of a mosaic
 * are decoded in parallel already. */
#define ONE_THREAD_MAX_PIXELS (1920 * 1088)

/* The niceness of the decoding threads when the process decodes more than
 * MANY_STREAMS streams (a large mosaic): when the decoders want more than the cores
 * have, the main loop and the renderer still get their share and the window answers;
 * frames are then lost before they are shown, not the UI. A few streams (one camera, a
 * 2×2 mosaic) are decoded at the normal priority. */
#define DECODING_NICENESS 5
#define MANY_STREAMS 8

static gint n_attempts;   /* atomic: attempts alive in the process */

/* One start of the GStreamer pipeline. Streaming threads see only the slot under the
 * lock and the immutable fingerprint; owner is the main thread's, and NULL once the
 * attempt is over, so that late callbacks find nobody. */
typedef struct {
  gatomicrefcount ref_count;
  GMutex lock;
  GstSample *queue[QUEUE_LENGTH]; /* under lock: frames converted for display, oldest first */
  guint n_queued;          /* under lock */
  GstSample *decoded;      /* under lock: the newest frame as decoded, at its own size */
  guint idle_id;           /* under lock */
  guint64 received;        /* under lock */
  gboolean paced;          /* immutable: frames wait for vg_live_pipeline_update() */
  gint refused;            /* atomic: a certificate was refused */
  char *decoder;           /* under lock: the decoder element's factory name */
  gboolean hardware;       /* under lock: it decodes in hardware */
  gboolean decoder_seen;   /* under lock: the owner was told of it */
  char *fingerprint;       /* immutable */

  VgLivePipeline *owner;   /* main thread */
  GstElement *pipeline;    /* main thread */
  GstElement *filter;      /* main thread: the display size's caps filter */
  guint bus_watch_id;      /* main thread */
} Attempt;

struct _VgLivePipeline
{
  GObject parent_instance;

  char *uri;
  char *user;
  char *password;
  char *fingerprint;
  gboolean paced;
  int max_width;            /* 0: the frame's own size */
  int max_height;

  Attempt *attempt;         /* NULL between attempts */
  gboolean running;
  VgLiveState state;
  GdkTexture *texture;
  char *decoder;
  gboolean hardware;
  guint64 frames_received;  /* of finished attempts */
  guint64 frames_shown;
  guint64 watched_received; /* of this attempt, at the watchdog's last look */
  guint failures;           /* since the last frame */
  guint restarts;
  gint64 attempt_started;   /* monotonic µs */
  gint64 last_frame;        /* monotonic µs, 0 for none in this attempt */
  guint retry_id;
  guint watchdog_id;
};

G_DEFINE_FINAL_TYPE (VgLivePipeline, vg_live_pipeline, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_STATE,
  PROP_DECODER,
  N_PROPS
};

enum {
  SIGNAL_FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void vg_live_pipeline_fail (VgLivePipeline *self, VgLiveState state, const char *why);

/* Attempts */

static Attempt *
attempt_ref (Attempt *attempt)
{
  g_atomic_ref_count_inc (&attempt->ref_count);
  return attempt;
}

/* Under the lock */
static void
attempt_clear_queue (Attempt *attempt)
{
  for (guint i = 0; i < attempt->n_queued; i++)
    gst_sample_unref (attempt->queue[i]);
  attempt->n_queued = 0;
}

/* Under the lock: the oldest queued frame (NULL for none). */
static GstSample *
attempt_pop (Attempt *attempt)
{
  GstSample *sample;

  if (attempt->n_queued == 0)
    return NULL;

  sample = attempt->queue[0];
  attempt->n_queued--;
  memmove (&attempt->queue[0], &attempt->queue[1], attempt->n_queued * sizeof (GstSample *));
  return sample;
}

static void
attempt_unref (gpointer data)
{
  Attempt *attempt = data;

  if (!g_atomic_ref_count_dec (&attempt->ref_count))
    return;

  g_assert (attempt->pipeline == NULL);
  g_atomic_int_add (&n_attempts, -1);
  attempt_clear_queue (attempt);
  g_clear_pointer (&attempt->decoded, gst_sample_unref);
  g_mutex_clear (&attempt->lock);
  g_free (attempt->fingerprint);
  g_free (attempt->decoder);
  g_free (attempt);
}

static void
attempt_closure_notify (gpointer  data,
                        GClosure *closure G_GNUC_UNUSED)
{
  attempt_unref (data);
}

/* Setting a pipeline to NULL may wait for rtspsrc's TEARDOWN: not on the main loop. */
static gpointer
teardown_thread (gpointer data)
{
  GstElement *pipeline = data;

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return NULL;
}

/* Ends an attempt: nothing it sends afterwards reaches the owner. */
static void
attempt_finish (Attempt *attempt)
{
  g_clear_handle_id (&attempt->bus_watch_id, g_source_remove);
  attempt->owner = NULL;
  attempt->filter = NULL;

  if (attempt->pipeline != NULL)
    g_thread_unref (g_thread_new ("vg-live-teardown", teardown_thread,
                                  g_steal_pointer (&attempt->pipeline)));

  g_mutex_lock (&attempt->lock);
  attempt_clear_queue (attempt);
  g_clear_pointer (&attempt->decoded, gst_sample_unref);
  g_mutex_unlock (&attempt->lock);

  attempt_unref (attempt);
}

static void
vg_live_pipeline_set_state (VgLivePipeline *self,
                            VgLiveState     state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
vg_live_pipeline_show (VgLivePipeline *self,
                       GstSample      *sample)
{
  g_autoptr(GdkTexture) texture = vg_texture_new_for_sample (sample);

  if (texture == NULL)
    {
      vg_live_pipeline_fail (self, VG_LIVE_STATE_ERROR, "a frame could not be mapped");
      return;
    }

  g_set_object (&self->texture, texture);
  self->frames_shown++;
  self->last_frame = g_get_monotonic_time ();
  self->failures = 0;
  vg_live_pipeline_set_state (self, VG_LIVE_STATE_PLAYING);
  g_signal_emit (self, signals[SIGNAL_FRAME], 0);
}

static void
vg_live_pipeline_set_decoder (VgLivePipeline *self,
                              const char     *decoder,
                              gboolean        hardware)
{
  if (g_strcmp0 (self->decoder, decoder) == 0 && self->hardware == hardware)
    return;

  g_free (self->decoder);
  self->decoder = g_strdup (decoder);
  self->hardware = hardware;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECODER]);
}

/* Paced, the oldest frame waiting (one a paint, so that a burst is not lost); otherwise
 * the newest (one idle for all that came meanwhile). */
static void
attempt_deliver (Attempt *attempt)
{
  g_autoptr(GstSample) sample = NULL;
  g_autofree char *decoder = NULL;
  gboolean hardware = FALSE;

  g_mutex_lock (&attempt->lock);
  if (attempt->paced)
    sample = attempt_pop (attempt);
  else if (attempt->n_queued > 0)
    {
      sample = attempt->queue[--attempt->n_queued];
      attempt_clear_queue (attempt);
    }
  attempt->idle_id = 0;
  if (!attempt->decoder_seen && attempt->decoder != NULL)
    {
      decoder = g_strdup (attempt->decoder);
      hardware = attempt->hardware;
      attempt->decoder_seen = TRUE;
    }
  g_mutex_unlock (&attempt->lock);

  if (attempt->owner != NULL && decoder != NULL)
    vg_live_pipeline_set_decoder (attempt->owner, decoder, hardware);
  if (attempt->owner != NULL && sample != NULL)
    vg_live_pipeline_show (attempt->owner, sample);
}

static gboolean
deliver_cb (gpointer data)
{
  attempt_deliver (data);
  return G_SOURCE_REMOVE;
}

/* Streaming thread: queue the frame, dropping the oldest when the queue is full; unless
 * the owner takes frames at the display's pace, one idle at most. */
static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    data)
{
  Attempt *attempt = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;

  g_mutex_lock (&attempt->lock);
  if (attempt->n_queued == QUEUE_LENGTH)
    gst_sample_unref (attempt_pop (attempt));
  attempt->queue[attempt->n_queued++] = sample;
  attempt->received++;
  if (!attempt->paced && attempt->idle_id == 0)
    attempt->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, deliver_cb,
                                        attempt_ref (attempt), attempt_unref);
  g_mutex_unlock (&attempt->lock);

  return GST_FLOW_OK;
}

/* Streaming thread: the decoded frame before it is scaled, for snapshots. */
static GstPadProbeReturn
decoded_probe_cb (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         data)
{
  Attempt *attempt = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstSample *sample = gst_sample_new (GST_PAD_PROBE_INFO_BUFFER (info), caps, NULL, NULL);

  g_mutex_lock (&attempt->lock);
  g_clear_pointer (&attempt->decoded, gst_sample_unref);
  attempt->decoded = sample;
  g_mutex_unlock (&attempt->lock);

  return GST_PAD_PROBE_OK;
}

/* Pipeline (its elements' signals come from streaming threads) */

static gboolean
select_stream_cb (GstElement *src,
                  guint       num,
                  GstCaps    *caps,
                  gpointer    data)
{
  const GstStructure *structure = gst_caps_get_structure (caps, 0);

  return g_strcmp0 (gst_structure_get_string (structure, "media"), "video") == 0;
}

static gboolean
accept_certificate_cb (GstElement           *src,
                       GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  Attempt *attempt = data;
  g_autofree char *fingerprint = vg_pinned_tls_database_fingerprint_of (certificate);

  /* The pinned database verified it already; this is reached only when it refused. */
  if (attempt->fingerprint != NULL && fingerprint != NULL &&
      g_str_equal (fingerprint, attempt->fingerprint))
    return TRUE;

  g_atomic_int_set (&attempt->refused, TRUE);
  g_message ("Refusing the live video certificate %s: the node's is %s",
             fingerprint != NULL ? fingerprint : "(none)",
             attempt->fingerprint != NULL ? attempt->fingerprint : "unknown");
  return FALSE;
}

static void
link_to_sink_pad (GstPad     *pad,
                  GstElement *next)
{
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (next, "sink");

  if (!gst_pad_is_linked (sink_pad) &&
      GST_PAD_LINK_FAILED (gst_pad_link (pad, sink_pad)))
    g_debug ("Could not link %s:%s", GST_DEBUG_PAD_NAME (pad));
}

static void
rtspsrc_pad_added_cb (GstElement *src,
                      GstPad     *pad,
                      GstElement *decoder)
{
  link_to_sink_pad (pad, decoder);
}

static void
decoder_pad_added_cb (GstElement *decoder,
                      GstPad     *pad,
                      GstElement *scale)
{
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);

  if (gst_caps_get_size (caps) > 0 &&
      g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "video/"))
    link_to_sink_pad (pad, scale);
}

/* Streaming thread, before the decoder opens: the number of threads for the size. */
static GstPadProbeReturn
decoder_caps_probe_cb (GstPad          *pad,
                       GstPadProbeInfo *info,
                       gpointer         data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  g_autoptr(GstElement) decoder = NULL;
  const GstStructure *structure;
  GstCaps *caps;
  int width = 0;
  int height = 0;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;

  gst_event_parse_caps (event, &caps);
  structure = gst_caps_get_structure (caps, 0);
  decoder = gst_pad_get_parent_element (pad);
  if (decoder != NULL &&
      gst_structure_get_int (structure, "width", &width) &&
      gst_structure_get_int (structure, "height", &height))
    {
      int threads = (gint64) width * height <= ONE_THREAD_MAX_PIXELS ? 1 : 0 /* auto */;

      g_object_set (decoder, "max-threads", threads, NULL);
    }
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: decodebin3 added an element. Its decoder, chosen by rank (a
 * hardware one, VA-API or NVDEC, when its plugin found a device), is made known; the
 * caps after it are system memory, so a hardware decoder hands over its pictures
 * downloaded. */
static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    data)
{
  Attempt *attempt = data;
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *klass;
  gboolean hardware;

  if (factory == NULL)
    return;
  klass = gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);
  if (klass == NULL || strstr (klass, "Decoder") == NULL || strstr (klass, "Video") == NULL)
    return;

  hardware = strstr (klass, "Hardware") != NULL;
  g_debug ("Decoding with %s (%s)", GST_OBJECT_NAME (factory),
           hardware ? "hardware" : "software");

  g_mutex_lock (&attempt->lock);
  g_free (attempt->decoder);
  attempt->decoder = g_strdup (GST_OBJECT_NAME (factory));
  attempt->hardware = hardware;
  attempt->decoder_seen = FALSE;
  g_mutex_unlock (&attempt->lock);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "max-threads") != NULL)
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (element, "sink");

      if (pad != NULL)
        gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, decoder_caps_probe_cb,
                           NULL, NULL);
    }
}

/* Bus, synchronously in the thread posting. A streaming thread starting in
 * decodebin3's multiqueue is the one that decodes and converts: it yields to the
 * others. */
static GstBusSyncReply
bus_sync_cb (GstBus     *bus,
             GstMessage *message,
             gpointer    data)
{
  GstStreamStatusType type;
  GstElement *owner;
  GstElementFactory *factory;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_STREAM_STATUS)
    return GST_BUS_PASS;

  gst_message_parse_stream_status (message, &type, &owner);
  factory = owner != NULL ? gst_element_get_factory (owner) : NULL;
  if (type == GST_STREAM_STATUS_TYPE_ENTER && factory != NULL &&
      g_atomic_int_get (&n_attempts) > MANY_STREAMS &&
      g_str_equal (GST_OBJECT_NAME (factory), "multiqueue") &&
      setpriority (PRIO_PROCESS, (id_t) gettid (), DECODING_NICENESS) != 0)
    g_debug ("Could not lower the priority of a decoding thread: %s", g_strerror (errno));

  return GST_BUS_DROP;
}

/* Bus (main thread) */

static VgLiveState
state_for_error (const GError *error)
{
  if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED))
    return VG_LIVE_STATE_DENIED;
  if (error->domain == GST_CORE_ERROR ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND) ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    return VG_LIVE_STATE_ERROR;
  return VG_LIVE_STATE_NO_SIGNAL;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  Attempt *attempt = data;
  VgLivePipeline *self = attempt->owner;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s: %s (%s)", self->uri, error->message, debug);
        if (g_atomic_int_get (&attempt->refused))
          vg_live_pipeline_fail (self, VG_LIVE_STATE_DENIED, "the certificate is not the node's");
        else
          vg_live_pipeline_fail (self, state_for_error (error), error->message);
        return G_SOURCE_CONTINUE;
      }
    case GST_MESSAGE_EOS:
      vg_live_pipeline_fail (self, VG_LIVE_STATE_NO_SIGNAL, "end of stream");
      return G_SOURCE_CONTINUE;
    default:
      return G_SOURCE_CONTINUE;
    }
}

static GstElement *
make_element (const char *factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_warning ("The GStreamer element “%s” is missing", factory);
  return element;
}

/* BGRA, no larger than max_width × max_height (0: any size), square pixels: the
 * scaler keeps the picture's aspect and never enlarges it. */
static GstCaps *
display_caps (int max_width,
              int max_height)
{
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRA", NULL);

  if (max_width > 0 && max_height > 0)
    gst_caps_set_simple (caps,
                         "width", GST_TYPE_INT_RANGE, 1, max_width,
                         "height", GST_TYPE_INT_RANGE, 1, max_height,
                         "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                         NULL);
  return caps;
}

static gboolean
attempt_build (Attempt        *attempt,
               VgLivePipeline *self)
{
  GstElement *src = make_element ("rtspsrc");
  GstElement *decoder = make_element ("decodebin3");
  GstElement *scale = make_element ("videoscale");
  GstElement *convert = make_element ("videoconvert");
  GstElement *filter = make_element ("capsfilter");
  GstElement *sink = make_element ("appsink");
  g_autoptr(GstCaps) caps = display_caps (self->max_width, self->max_height);
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) scale_pad = NULL;

  if (src == NULL || decoder == NULL || scale == NULL || convert == NULL || filter == NULL ||
      sink == NULL)
    {
      g_clear_object (&src);
      g_clear_object (&decoder);
      g_clear_object (&scale);
      g_clear_object (&convert);
      g_clear_object (&filter);
      g_clear_object (&sink);
      return FALSE;
    }

  attempt->pipeline = gst_pipeline_new (NULL);
  attempt->filter = filter;
  gst_bin_add_many (GST_BIN (attempt->pipeline), src, decoder, scale, convert, filter, sink,
                    NULL);
  gst_element_link_many (scale, convert, filter, sink, NULL);

  /* Scaled in the streaming thread to the size it is shown at, in the decoder's own
   * format (planes scaled apart), then converted to BGRA at that size: both are fast
   * paths of GstVideoConverter, where scaling while converting is not (nine times the
   * CPU for 640×360 I420 → 320×180 BGRA). The main thread then uploads and draws small
   * textures (see docs/benchmarks.md). */
  g_object_set (scale, "method", 1 /* bilinear */, "n-threads", 1, NULL);
  g_object_set (convert, "n-threads", 1, NULL);
  g_object_set (filter, "caps", caps, NULL);
  scale_pad = gst_element_get_static_pad (scale, "sink");
  gst_pad_add_probe (scale_pad, GST_PAD_PROBE_TYPE_BUFFER, decoded_probe_cb,
                     attempt_ref (attempt), attempt_unref);
  g_signal_connect_data (attempt->pipeline, "deep-element-added",
                         G_CALLBACK (deep_element_added_cb), attempt_ref (attempt),
                         attempt_closure_notify, 0);

  g_object_set (src, "location", self->uri, "latency", 0, NULL);
  if (g_str_has_prefix (self->uri, "rtsps:"))
    {
      /* Every TLS handshake is checked against the pinned fingerprint, and nothing
       * else is trusted (no system authority, no host name). */
      g_autoptr(GTlsDatabase) database = vg_pinned_tls_database_new (self->fingerprint);

      g_object_set (src, "tls-database", database,
                    "tls-validation-flags", G_TLS_CERTIFICATE_VALIDATE_ALL, NULL);
    }
  if (self->user != NULL)
    g_object_set (src, "user-id", self->user, "user-pw", self->password, NULL);
  g_signal_connect (src, "select-stream", G_CALLBACK (select_stream_cb), NULL);
  g_signal_connect_data (src, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                         attempt_ref (attempt), attempt_closure_notify, 0);
  g_signal_connect (src, "pad-added", G_CALLBACK (rtspsrc_pad_added_cb), decoder);
  g_signal_connect (decoder, "pad-added", G_CALLBACK (decoder_pad_added_cb), scale);

  /* Live: show each frame as soon as it is decoded, and only the newest. */
  g_object_set (sink, "sync", FALSE, "max-buffers", 1, "drop", TRUE,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, attempt_ref (attempt),
                              attempt_unref);

  bus = gst_pipeline_get_bus (GST_PIPELINE (attempt->pipeline));
  gst_bus_set_sync_handler (bus, bus_sync_cb, NULL, NULL);
  attempt->bus_watch_id = gst_bus_add_watch_full (bus, G_PRIORITY_DEFAULT, bus_cb,
                                                  attempt_ref (attempt), attempt_unref);
  return TRUE;
}

/* Attempts, failures and retries (main thread) */

guint
vg_live_pipeline_backoff_ms (guint failures)
{
  guint wait = VG_LIVE_PIPELINE_BACKOFF_MIN_MS;

  for (guint i = 1; i < failures && wait < VG_LIVE_PIPELINE_BACKOFF_MAX_MS; i++)
    wait *= 2;

  return MIN (wait, VG_LIVE_PIPELINE_BACKOFF_MAX_MS);
}

static void
vg_live_pipeline_end_attempt (VgLivePipeline *self)
{
  Attempt *attempt = g_steal_pointer (&self->attempt);

  if (attempt == NULL)
    return;

  g_mutex_lock (&attempt->lock);
  self->frames_received += attempt->received;
  g_mutex_unlock (&attempt->lock);
  attempt_finish (attempt);
}

static void
vg_live_pipeline_begin_attempt (VgLivePipeline *self)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  g_assert (self->attempt == NULL);

  g_atomic_ref_count_init (&attempt->ref_count);
  g_atomic_int_inc (&n_attempts);
  g_mutex_init (&attempt->lock);
  attempt->fingerprint = g_strdup (self->fingerprint);
  attempt->paced = self->paced;
  attempt->owner = self;
  self->attempt = attempt;
  self->attempt_started = g_get_monotonic_time ();
  self->last_frame = 0;
  self->watched_received = 0;

  if (self->state != VG_LIVE_STATE_NO_SIGNAL && self->state != VG_LIVE_STATE_DENIED &&
      self->state != VG_LIVE_STATE_ERROR)
    vg_live_pipeline_set_state (self, VG_LIVE_STATE_CONNECTING);

  if (!attempt_build (attempt, self))
    {
      vg_live_pipeline_fail (self, VG_LIVE_STATE_ERROR, "missing GStreamer elements");
      return;
    }

  if (gst_element_set_state (attempt->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    vg_live_pipeline_fail (self, VG_LIVE_STATE_NO_SIGNAL, "the pipeline does not start");
}

static gboolean
retry_cb (gpointer data)
{
  VgLivePipeline *self = data;

  self->retry_id = 0;
  self->restarts++;
  vg_live_pipeline_begin_attempt (self);
  return G_SOURCE_REMOVE;
}

static void
vg_live_pipeline_fail (VgLivePipeline *self,
                       VgLiveState     state,
                       const char     *why)
{
  guint wait;

  vg_live_pipeline_end_attempt (self);
  if (!self->running)
    return;

  self->failures++;
  wait = vg_live_pipeline_backoff_ms (self->failures);
  g_debug ("%s: %s; trying again in %u ms", self->uri, why, wait);
  vg_live_pipeline_set_state (self, state);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (wait, retry_cb, self);
}

static gboolean
watchdog_cb (gpointer data)
{
  VgLivePipeline *self = data;
  gint64 now = g_get_monotonic_time ();

  if (self->attempt == NULL)
    return G_SOURCE_CONTINUE;

  /* A paced pipeline whose widget is not drawn (hidden) still receives: alive. */
  if (self->paced)
    {
      guint64 received;

      g_mutex_lock (&self->attempt->lock);
      received = self->attempt->received;
      g_mutex_unlock (&self->attempt->lock);
      if (received != self->watched_received)
        {
          self->watched_received = received;
          if (self->last_frame != 0 || received > 0)
            self->last_frame = now;
        }
    }

  if (self->last_frame != 0 && now - self->last_frame > STALL_TIMEOUT_US)
    vg_live_pipeline_fail (self, VG_LIVE_STATE_NO_SIGNAL, "no frame for a while");
  else if (self->last_frame == 0 && now - self->attempt_started > CONNECT_TIMEOUT_US)
    vg_live_pipeline_fail (self, VG_LIVE_STATE_NO_SIGNAL, "no first frame");

  return G_SOURCE_CONTINUE;
}

/* Public */

VgLivePipeline *
vg_live_pipeline_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (VG_TYPE_LIVE_PIPELINE, "uri", uri, NULL);
}

const char *
vg_live_pipeline_get_uri (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), NULL);

  return self->uri;
}

void
vg_live_pipeline_set_credentials (VgLivePipeline *self,
                                  const char     *user,
                                  const char     *password)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->password);
  self->password = g_strdup (password);
}

void
vg_live_pipeline_set_tls_fingerprint (VgLivePipeline *self,
                                      const char     *fingerprint)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
}

void
vg_live_pipeline_start (VgLivePipeline *self)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->failures = 0;
  self->watchdog_id = g_timeout_add_seconds (1, watchdog_cb, self);
  vg_live_pipeline_begin_attempt (self);
}

void
vg_live_pipeline_stop (VgLivePipeline *self)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  vg_live_pipeline_end_attempt (self);
  vg_live_pipeline_set_state (self, VG_LIVE_STATE_IDLE);
}

void
vg_live_pipeline_set_paced (VgLivePipeline *self,
                            gboolean        paced)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));
  g_return_if_fail (!self->running);

  self->paced = !!paced;
}

void
vg_live_pipeline_update (VgLivePipeline *self)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  if (self->attempt != NULL)
    attempt_deliver (self->attempt);
}

void
vg_live_pipeline_set_max_size (VgLivePipeline *self,
                               int             width,
                               int             height)
{
  g_return_if_fail (VG_IS_LIVE_PIPELINE (self));

  width = MAX (width, 0);
  height = MAX (height, 0);
  if (self->max_width == width && self->max_height == height)
    return;

  self->max_width = width;
  self->max_height = height;
  if (self->attempt != NULL && self->attempt->filter != NULL)
    {
      g_autoptr(GstCaps) caps = display_caps (width, height);

      /* The caps filter asks upstream to negotiate again: the scaler follows. */
      g_object_set (self->attempt->filter, "caps", caps, NULL);
    }
}

gboolean
vg_live_pipeline_is_behind (VgLivePipeline *self)
{
  gboolean behind = FALSE;

  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), FALSE);

  if (self->attempt != NULL)
    {
      g_mutex_lock (&self->attempt->lock);
      behind = self->attempt->n_queued >= QUEUE_LENGTH - 1;
      g_mutex_unlock (&self->attempt->lock);
    }
  return behind;
}

GdkTexture *
vg_live_pipeline_dup_full_frame (VgLivePipeline  *self,
                                 GError         **error)
{
  g_autoptr(GstSample) decoded = NULL;
  g_autoptr(GstSample) converted = NULL;
  g_autoptr(GstCaps) caps = display_caps (0, 0);

  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), NULL);

  if (self->attempt != NULL)
    {
      g_mutex_lock (&self->attempt->lock);
      if (self->attempt->decoded != NULL)
        decoded = gst_sample_ref (self->attempt->decoded);
      g_mutex_unlock (&self->attempt->lock);
    }
  if (decoded == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no decoded frame");
      return NULL;
    }

  converted = gst_video_convert_sample (decoded, caps, GST_SECOND, error);
  if (converted == NULL)
    return NULL;

  return vg_texture_new_for_sample (converted);
}

VgLiveState
vg_live_pipeline_get_state (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), VG_LIVE_STATE_IDLE);

  return self->state;
}

GdkTexture *
vg_live_pipeline_get_texture (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), NULL);

  return self->texture;
}

guint64
vg_live_pipeline_get_frames_received (VgLivePipeline *self)
{
  guint64 received;

  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), 0);

  received = self->frames_received;
  if (self->attempt != NULL)
    {
      g_mutex_lock (&self->attempt->lock);
      received += self->attempt->received;
      g_mutex_unlock (&self->attempt->lock);
    }
  return received;
}

guint64
vg_live_pipeline_get_frames_shown (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), 0);

  return self->frames_shown;
}

const char *
vg_live_pipeline_get_decoder (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), NULL);

  return self->decoder;
}

gboolean
vg_live_pipeline_get_hardware_decoding (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), FALSE);

  return self->hardware;
}

guint
vg_live_pipeline_get_restarts (VgLivePipeline *self)
{
  g_return_val_if_fail (VG_IS_LIVE_PIPELINE (self), 0);

  return self->restarts;
}

/* GObject */

static void
vg_live_pipeline_dispose (GObject *object)
{
  VgLivePipeline *self = VG_LIVE_PIPELINE (object);

  vg_live_pipeline_stop (self);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (vg_live_pipeline_parent_class)->dispose (object);
}

static void
vg_live_pipeline_finalize (GObject *object)
{
  VgLivePipeline *self = VG_LIVE_PIPELINE (object);

  g_free (self->uri);
  g_free (self->user);
  g_free (self->password);
  g_free (self->fingerprint);
  g_free (self->decoder);

  G_OBJECT_CLASS (vg_live_pipeline_parent_class)->finalize (object);
}

static void
vg_live_pipeline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VgLivePipeline *self = VG_LIVE_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DECODER:
      g_value_set_string (value, self->decoder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_live_pipeline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VgLivePipeline *self = VG_LIVE_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_live_pipeline_class_init (VgLivePipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_live_pipeline_dispose;
  object_class->finalize = vg_live_pipeline_finalize;
  object_class->get_property = vg_live_pipeline_get_property;
  object_class->set_property = vg_live_pipeline_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VG_TYPE_LIVE_STATE, VG_LIVE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The GStreamer element decoding the stream (e.g. "avdec_h264", "vah264dec"), NULL
   * before the first attempt got that far. */
  properties[PROP_DECODER] =
    g_param_spec_string ("decoder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vg_live_pipeline_init (VgLivePipeline *self)
{
}
