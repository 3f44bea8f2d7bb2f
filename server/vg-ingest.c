/* vg-ingest.c: the capture thread: many camera streams on one epoll loop (ACQ-1, ACQ-5, ACQ-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-ingest.h"
#include "vg-gst-session.h"
#include "vg-mjpeg-session.h"
#include "vg-rtsp-session.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define WAKE_TAG G_MAXUINT32
#define MAX_EXTRA_FDS 16
/* epoll data: the source id in the low 32 bits, the extra socket + 1 above (0: main). */
#define EVENT_DATA(id, extra_fd) ((guint64) (id) | ((guint64) ((extra_fd) + 1) << 32))

/* The protocol of a source: RTSP (rtsp://) or MJPEG over HTTP (http://). */
typedef struct
{
  int       (*get_fd)            (gpointer session);
  gboolean  (*wants_write)       (gpointer session);
  gint64    (*get_deadline)      (gpointer session);
  void      (*readable)          (gpointer session, gint64 now);
  void      (*writable)          (gpointer session, gint64 now);
  void      (*timeout)           (gpointer session, gint64 now);
  void      (*stop)              (gpointer session);
  gboolean  (*take_state_change) (gpointer session, VgSourceState *state, char **error);
  void      (*get_status)        (gpointer session, VgSourceStatus *status);
  void      (*free)              (gpointer session);
  /* UDP sockets besides the main one (RTP over UDP): may be NULL */
  guint     (*get_extra_fds)     (gpointer session, int *fds, guint max, guint *serial);
  void      (*readable_fd)       (gpointer session, int fd, gint64 now);
  /* A second socket only written to (RTSP over HTTP): may be NULL */
  int       (*get_write_fd)      (gpointer session, gboolean *wants_write);
  /* Notices for the camera's log: may be NULL */
  gboolean  (*take_notice)       (gpointer session, char **kind, char **message);
} SessionClass;

static const SessionClass rtsp_class = {
  (gpointer) vg_rtsp_session_get_fd, (gpointer) vg_rtsp_session_wants_write,
  (gpointer) vg_rtsp_session_get_deadline, (gpointer) vg_rtsp_session_readable,
  (gpointer) vg_rtsp_session_writable, (gpointer) vg_rtsp_session_timeout,
  (gpointer) vg_rtsp_session_stop, (gpointer) vg_rtsp_session_take_state_change,
  (gpointer) vg_rtsp_session_get_status, (gpointer) vg_rtsp_session_free,
  (gpointer) vg_rtsp_session_get_extra_fds, (gpointer) vg_rtsp_session_readable_fd,
  (gpointer) vg_rtsp_session_get_write_fd, (gpointer) vg_rtsp_session_take_notice,
};

static const SessionClass gst_class = {
  (gpointer) vg_gst_session_get_fd, (gpointer) vg_gst_session_wants_write,
  (gpointer) vg_gst_session_get_deadline, (gpointer) vg_gst_session_readable,
  (gpointer) vg_gst_session_writable, (gpointer) vg_gst_session_timeout,
  (gpointer) vg_gst_session_stop, (gpointer) vg_gst_session_take_state_change,
  (gpointer) vg_gst_session_get_status, (gpointer) vg_gst_session_free,
  NULL, NULL, NULL, NULL,
};

static const SessionClass mjpeg_class = {
  (gpointer) vg_mjpeg_session_get_fd, (gpointer) vg_mjpeg_session_wants_write,
  (gpointer) vg_mjpeg_session_get_deadline, (gpointer) vg_mjpeg_session_readable,
  (gpointer) vg_mjpeg_session_writable, (gpointer) vg_mjpeg_session_timeout,
  (gpointer) vg_mjpeg_session_stop, (gpointer) vg_mjpeg_session_take_state_change,
  (gpointer) vg_mjpeg_session_get_status, (gpointer) vg_mjpeg_session_free,
  NULL, NULL, NULL, NULL,
};

typedef struct
{
  guint              id;
  const SessionClass *klass;
  gpointer           session;
  gpointer           user_data;
  GDestroyNotify     destroy;
  VgSourceCallbacks  callbacks;
  int                registered_fd;   /* what epoll watches for it */
  guint32            registered_events;
  guint              extra_serial;    /* the set of extra sockets registered */
  int                registered_write_fd;
  guint32            registered_write_events;
  gboolean           removed;
} Source;

typedef enum {
  COMMAND_ADD,
  COMMAND_REMOVE,
  COMMAND_QUIT,
} CommandType;

typedef struct
{
  CommandType type;
  Source     *source;   /* ADD */
  guint       id;       /* REMOVE */
} Command;

struct _VgIngest
{
  GObject       parent_instance;

  guint         batch_ms;
  gint          low_latency;    /* holds of vg_ingest_hold_low_latency (atomic) */
  GMainContext *main_context;   /* where state changes and destroys are delivered */
  GThread      *thread;
  int           epoll_fd;
  int           wake_fd;
  GAsyncQueue  *commands;
  guint         next_id;

  GMutex        lock;           /* sources, for get_status from other threads */
  GHashTable   *sources;        /* id → Source; owned by the thread, read under lock */
};

G_DEFINE_TYPE (VgIngest, vg_ingest, G_TYPE_OBJECT)

const char *
vg_source_state_to_string (VgSourceState state)
{
  switch (state)
    {
    case VG_SOURCE_STATE_CONNECTING:
      return "connecting";
    case VG_SOURCE_STATE_STREAMING:
      return "streaming";
    case VG_SOURCE_STATE_LOST:
      return "lost";
    case VG_SOURCE_STATE_STOPPED:
    default:
      return "stopped";
    }
}

void
vg_source_status_clear (VgSourceStatus *status)
{
  g_clear_pointer (&status->error, g_free);
  g_clear_pointer (&status->codec, g_free);
  g_clear_pointer (&status->tls_fingerprint, g_free);
}

/* Deliveries to the main context */

typedef struct
{
  VgSourceCallbacks callbacks;
  gpointer          user_data;
  GDestroyNotify    destroy;
  VgSourceState     state;
  char             *error;
  gboolean          is_destroy;
  char             *notice_kind;   /* a notice rather than a state change */
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;

  if (delivery->is_destroy)
    {
      if (delivery->destroy)
        delivery->destroy (delivery->user_data);
    }
  else if (delivery->notice_kind)
    {
      if (delivery->callbacks.notice)
        delivery->callbacks.notice (delivery->user_data, delivery->notice_kind, delivery->error);
    }
  else if (delivery->callbacks.state_changed)
    delivery->callbacks.state_changed (delivery->user_data, delivery->state, delivery->error);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_free (delivery->error);
  g_free (delivery->notice_kind);
  g_free (delivery);
}

static void
deliver (VgIngest *self, Source *source, gboolean is_destroy, VgSourceState state, char *error,
         char *notice_kind)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->notice_kind = notice_kind;
  delivery->callbacks = source->callbacks;
  delivery->user_data = source->user_data;
  delivery->destroy = source->destroy;
  delivery->is_destroy = is_destroy;
  delivery->state = state;
  delivery->error = error;
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, deliver_cb, delivery, delivery_free);
}

static void
report_state (VgIngest *self, Source *source)
{
  VgSourceState state;
  char *error = NULL;
  char *kind = NULL, *message = NULL;

  if (source->klass->take_state_change (source->session, &state, &error))
    deliver (self, source, FALSE, state, error, NULL);
  else
    g_free (error);
  if (source->klass->take_notice && source->klass->take_notice (source->session, &kind, &message))
    deliver (self, source, FALSE, state, message, kind);
}

/* epoll registration follows what each session wants */

/* The write-only socket: watched for writing while it has something to send (errors
 * are always reported). Tagged like an extra socket. */
static void
update_write_registration (VgIngest *self, Source *source)
{
  gboolean wants_write = FALSE;
  int fd = source->klass->get_write_fd ? source->klass->get_write_fd (source->session, &wants_write) : -1;
  guint32 events = wants_write ? EPOLLOUT : 0;
  struct epoll_event event = { .events = events, .data.u64 = EVENT_DATA (source->id, fd) };

  if (fd != source->registered_write_fd)
    source->registered_write_fd = -1;   /* closed, which removed it from epoll */
  if (fd < 0)
    return;
  if (source->registered_write_fd < 0)
    {
      if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0)
        {
          source->registered_write_fd = fd;
          source->registered_write_events = events;
        }
    }
  else if (events != source->registered_write_events)
    {
      epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, fd, &event);
      source->registered_write_events = events;
    }
}

static void
update_registration (VgIngest *self, Source *source)
{
  int fd = source->klass->get_fd (source->session);
  guint32 events = EPOLLIN | (source->klass->wants_write (source->session) ? EPOLLOUT : 0);
  struct epoll_event event = { .events = events, .data.u64 = EVENT_DATA (source->id, -1) };

  if (source->klass->get_extra_fds)
    {
      int fds[MAX_EXTRA_FDS];
      guint serial = 0;
      guint n = source->klass->get_extra_fds (source->session, fds, MAX_EXTRA_FDS, &serial);

      /* A new set: add every socket (closed ones left epoll by themselves). */
      if (serial != source->extra_serial)
        {
          source->extra_serial = serial;
          for (guint i = 0; i < n; i++)
            {
              struct epoll_event extra = { .events = EPOLLIN, .data.u64 = EVENT_DATA (source->id, fds[i]) };
              epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fds[i], &extra);
            }
        }
    }
  update_write_registration (self, source);
  if (fd != source->registered_fd && source->registered_fd >= 0)
    {
      /* The old descriptor was closed, which removed it from epoll already. */
      source->registered_fd = -1;
    }
  if (fd < 0)
    return;
  if (source->registered_fd < 0)
    {
      if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0)
        {
          source->registered_fd = fd;
          source->registered_events = events;
        }
    }
  else if (events != source->registered_events)
    {
      epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, fd, &event);
      source->registered_events = events;
    }
}

static void
source_free_in_thread (VgIngest *self, Source *source)
{
  source->klass->stop (source->session);
  report_state (self, source);
  source->klass->free (source->session);
  deliver (self, source, TRUE, VG_SOURCE_STATE_STOPPED, NULL, NULL);
  g_free (source);
}

static gboolean
handle_commands (VgIngest *self)
{
  Command *command;

  while ((command = g_async_queue_try_pop (self->commands)))
    {
      gboolean quit = command->type == COMMAND_QUIT;

      if (command->type == COMMAND_ADD)
        {
          g_mutex_lock (&self->lock);
          g_hash_table_insert (self->sources, GUINT_TO_POINTER (command->source->id), command->source);
          g_mutex_unlock (&self->lock);
        }
      else if (command->type == COMMAND_REMOVE)
        {
          Source *source;

          g_mutex_lock (&self->lock);
          source = g_hash_table_lookup (self->sources, GUINT_TO_POINTER (command->id));
          if (source)
            g_hash_table_steal (self->sources, GUINT_TO_POINTER (command->id));
          g_mutex_unlock (&self->lock);
          if (source)
            source_free_in_thread (self, source);
        }
      g_free (command);
      if (quit)
        return FALSE;
    }
  return TRUE;
}

static guint
current_batch_ms (VgIngest *self)
{
  if (g_atomic_int_get (&self->low_latency) > 0)
    return MIN (self->batch_ms, VG_INGEST_LIVE_BATCH_MS);
  return self->batch_ms;
}

static gpointer
thread_main (gpointer data)
{
  VgIngest *self = data;
  struct epoll_event events[MAX_EVENTS];

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 deadline = G_MAXINT64;
      GHashTableIter iter;
      gpointer value;
      int timeout_ms, n;

      if (!handle_commands (self))
        break;

      /* Timers first, then the sockets that are ready. */
      g_hash_table_iter_init (&iter, self->sources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Source *source = value;

          if (source->klass->get_deadline (source->session) <= now)
            source->klass->timeout (source->session, now);
          update_registration (self, source);
          report_state (self, source);
          deadline = MIN (deadline, source->klass->get_deadline (source->session));
        }

      timeout_ms = deadline == G_MAXINT64 ? 1000 : (int) CLAMP ((deadline - now + 999) / 1000, 0, 1000);
      n = epoll_wait (self->epoll_fd, events, MAX_EVENTS, timeout_ms);
      now = g_get_monotonic_time ();
      for (int i = 0; i < n; i++)
        {
          Source *source;
          guint32 id = (guint32) events[i].data.u64;
          int extra_fd = (int) (events[i].data.u64 >> 32) - 1;

          if (id == WAKE_TAG)
            {
              guint64 count;
              if (read (self->wake_fd, &count, sizeof count) < 0)
                continue;
              continue;
            }
          source = g_hash_table_lookup (self->sources, GUINT_TO_POINTER (id));
          if (source == NULL)
            continue;
          if (extra_fd >= 0)
            {
              if (extra_fd == source->registered_write_fd)
                source->klass->writable (source->session, now);
              else if (source->klass->readable_fd)
                source->klass->readable_fd (source->session, extra_fd, now);
              update_registration (self, source);
              report_state (self, source);
              continue;
            }
          if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            source->klass->writable (source->session, now);
          if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            source->klass->readable (source->session, now);
          update_registration (self, source);
          report_state (self, source);
        }

      /* Batching: let data pile up in the sockets, then read it in few system calls;
       * shorter while someone watches live. */
      if (n > 0 && self->batch_ms > 0)
        g_usleep (current_batch_ms (self) * 1000);
    }

  /* Quit: every source goes. */
  {
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock (&self->lock);
    g_hash_table_iter_init (&iter, self->sources);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        g_hash_table_iter_steal (&iter);
        g_mutex_unlock (&self->lock);
        source_free_in_thread (self, value);
        g_mutex_lock (&self->lock);
      }
    g_mutex_unlock (&self->lock);
  }
  return NULL;
}

static void
wake (VgIngest *self)
{
  guint64 one = 1;

  if (write (self->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
    g_warning ("cannot wake the ingest thread: %s", g_strerror (errno));
}

static void
push_command (VgIngest *self, Command *command)
{
  g_async_queue_push (self->commands, command);
  wake (self);
}

/* Object */

static void
vg_ingest_finalize (GObject *object)
{
  VgIngest *self = VG_INGEST (object);

  vg_ingest_shutdown (self);
  close (self->epoll_fd);
  close (self->wake_fd);
  g_async_queue_unref (self->commands);
  g_hash_table_unref (self->sources);
  g_main_context_unref (self->main_context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (vg_ingest_parent_class)->finalize (object);
}

static void
vg_ingest_class_init (VgIngestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vg_ingest_finalize;
}

static void
vg_ingest_init (VgIngest *self)
{
  g_mutex_init (&self->lock);
  self->sources = g_hash_table_new (NULL, NULL);
  self->commands = g_async_queue_new ();
  self->next_id = 1;
}

VgIngest *
vg_ingest_new (guint batch_ms)
{
  VgIngest *self = g_object_new (VG_TYPE_INGEST, NULL);
  struct epoll_event wake_event = { .events = EPOLLIN, .data.u64 = WAKE_TAG };

  self->batch_ms = batch_ms;
  self->main_context = g_main_context_ref_thread_default ();
  self->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  self->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (self->epoll_fd < 0 || self->wake_fd < 0)
    g_error ("cannot create the ingest loop: %s", g_strerror (errno));
  epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, self->wake_fd, &wake_event);
  self->thread = g_thread_new ("vg-ingest", thread_main, self);
  return self;
}

gboolean
vg_ingest_uses_gstreamer (const char *url, const VgSourceOptions *options)
{
  return (options && options->gstreamer) || (url && g_ascii_strncasecmp (url, "rtsps://", 8) == 0);
}

guint
vg_ingest_add_source (VgIngest *self, const char *url, const VgSourceOptions *options,
                      const VgSourceCallbacks *callbacks, gpointer user_data, GDestroyNotify destroy)
{
  static const VgSourceOptions defaults = { 0 };
  Command *command;
  Source *source;

  g_return_val_if_fail (VG_IS_INGEST (self), 0);
  g_return_val_if_fail (url != NULL && callbacks != NULL, 0);
  g_return_val_if_fail (self->thread != NULL, 0);

  source = g_new0 (Source, 1);
  source->id = self->next_id++;
  source->callbacks = *callbacks;
  source->user_data = user_data;
  source->destroy = destroy;
  source->registered_fd = -1;
  source->registered_write_fd = -1;
  if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    {
      source->klass = &mjpeg_class;
      source->session = vg_mjpeg_session_new (url, options ? options : &defaults, callbacks, user_data);
    }
  else if (vg_ingest_uses_gstreamer (url, options))
    {
      source->klass = &gst_class;
      source->session = vg_gst_session_new (url, options ? options : &defaults, callbacks, user_data);
    }
  else
    {
      source->klass = &rtsp_class;
      source->session = vg_rtsp_session_new (url, options ? options : &defaults, callbacks, user_data);
    }

  command = g_new0 (Command, 1);
  command->type = COMMAND_ADD;
  command->source = source;
  push_command (self, command);
  return source->id;
}

void
vg_ingest_remove_source (VgIngest *self, guint id)
{
  Command *command;

  g_return_if_fail (VG_IS_INGEST (self));
  if (self->thread == NULL)
    return;
  command = g_new0 (Command, 1);
  command->type = COMMAND_REMOVE;
  command->id = id;
  push_command (self, command);
}

gboolean
vg_ingest_get_status (VgIngest *self, guint id, VgSourceStatus *status)
{
  Source *source;

  g_return_val_if_fail (VG_IS_INGEST (self), FALSE);
  memset (status, 0, sizeof *status);
  g_mutex_lock (&self->lock);
  source = g_hash_table_lookup (self->sources, GUINT_TO_POINTER (id));
  if (source)
    source->klass->get_status (source->session, status);
  g_mutex_unlock (&self->lock);
  return source != NULL;
}

void
vg_ingest_hold_low_latency (VgIngest *self)
{
  g_return_if_fail (VG_IS_INGEST (self));
  g_atomic_int_inc (&self->low_latency);
}

void
vg_ingest_release_low_latency (VgIngest *self)
{
  g_return_if_fail (VG_IS_INGEST (self));
  g_return_if_fail (g_atomic_int_get (&self->low_latency) > 0);
  g_atomic_int_add (&self->low_latency, -1);
}

void
vg_ingest_shutdown (VgIngest *self)
{
  Command *command;

  g_return_if_fail (VG_IS_INGEST (self));
  if (self->thread == NULL)
    return;
  command = g_new0 (Command, 1);
  command->type = COMMAND_QUIT;
  push_command (self, command);
  g_thread_join (g_steal_pointer (&self->thread));
}
