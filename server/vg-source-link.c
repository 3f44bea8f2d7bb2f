/* vg-source-link.c: what every camera connection shares: its state and statistics,
 * the retry schedule after a loss, the non-blocking TCP connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-source-link.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKOFF_MIN_US (500 * 1000)
#define STABLE_US (30 * G_USEC_PER_SEC)
#define QUICK_RETRY_US (500 * 1000)
#define QUICK_PERIOD_US (60 * G_USEC_PER_SEC)
#define STATS_WINDOW_US (3 * G_USEC_PER_SEC)

void
vg_source_link_init (VgSourceLink *link, const VgSourceOptions *options)
{
  memset (link, 0, sizeof *link);
  g_mutex_init (&link->lock);
  link->options = *options;
  if (link->options.watchdog_s == 0)
    link->options.watchdog_s = 10;
  if (link->options.backoff_max_s == 0)
    link->options.backoff_max_s = 30;
  if (link->options.timeout_s == 0)
    link->options.timeout_s = 10;
  link->backoff_us = BACKOFF_MIN_US;
  link->status.state = VG_SOURCE_STATE_CONNECTING;
  link->state_dirty = TRUE;
}

void
vg_source_link_clear (VgSourceLink *link)
{
  g_free (link->notice_message);
  vg_source_status_clear (&link->status);
  g_mutex_clear (&link->lock);
}

void
vg_source_link_set_state (VgSourceLink *link, VgSourceState state, const char *error)
{
  g_mutex_lock (&link->lock);
  /* A lost stream stays "lost" through its attempts until it plays again: no flood of
   * connecting/lost changes (events, log rows) for a camera that stays away. */
  if (state == VG_SOURCE_STATE_CONNECTING && link->status.state == VG_SOURCE_STATE_LOST)
    {
      g_mutex_unlock (&link->lock);
      return;
    }
  if (link->status.state != state || (error && g_strcmp0 (error, link->status.error) != 0))
    {
      link->status.state = state;
      if (error)
        {
          g_free (link->status.error);
          link->status.error = g_strdup (error);
        }
      if (state == VG_SOURCE_STATE_STREAMING)
        link->status.streaming_since_us = g_get_real_time ();
      link->state_dirty = TRUE;
    }
  g_mutex_unlock (&link->lock);
}

void
vg_source_link_streaming (VgSourceLink *link, gint64 now)
{
  link->streaming_since = now;
  link->lost_since = 0;
  link->last_data = now;
  link->window_start = now;
  link->have_offset_base = FALSE;
  link->drift_reported = FALSE;
  vg_source_link_set_state (link, VG_SOURCE_STATE_STREAMING, NULL);
}

void
vg_source_link_lost (VgSourceLink *link, gboolean was_streaming, const char *message, gint64 now)
{
  if (was_streaming && now - link->streaming_since > STABLE_US)
    link->backoff_us = BACKOFF_MIN_US;
  if (was_streaming || link->lost_since == 0)
    link->lost_since = now;
  link->retry_at = now + (now - link->lost_since < QUICK_PERIOD_US ? MIN (link->backoff_us, QUICK_RETRY_US)
                                                                    : link->backoff_us);
  link->backoff_us = MIN (link->backoff_us * 2, (gint64) link->options.backoff_max_s * G_USEC_PER_SEC);

  g_mutex_lock (&link->lock);
  link->status.reconnections += was_streaming ? 1 : 0;
  link->status.fps = 0;
  link->status.bitrate_bps = 0;
  g_mutex_unlock (&link->lock);
  vg_source_link_set_state (link, VG_SOURCE_STATE_LOST, message);
}

void
vg_source_link_count_unit (VgSourceLink *link, VgAccessUnit *unit, gint64 now)
{
  link->last_data = now;
  g_mutex_lock (&link->lock);
  link->status.bytes += unit->size;
  link->window_bytes += unit->size;
  if (vg_codec_is_video (unit->codec))
    {
      link->status.frames++;
      link->window_frames++;
      link->status.last_frame_us = g_get_real_time ();
    }
  if (now - link->window_start >= STATS_WINDOW_US)
    {
      gdouble seconds = (now - link->window_start) / 1e6;

      link->status.fps = link->window_frames / seconds;
      link->status.bitrate_bps = (guint64) (link->window_bytes * 8 / seconds);
      link->window_frames = link->window_bytes = 0;
      link->window_start = now;
    }
  g_mutex_unlock (&link->lock);
}

void
vg_source_link_set_video (VgSourceLink *link, VgCodec codec, guint width, guint height)
{
  g_mutex_lock (&link->lock);
  g_free (link->status.codec);
  link->status.codec = g_strdup (vg_codec_to_string (codec));
  link->status.width = width;
  link->status.height = height;
  g_mutex_unlock (&link->lock);
}

void
vg_source_link_set_lost_packets (VgSourceLink *link, guint64 lost)
{
  g_mutex_lock (&link->lock);
  link->status.packets_lost = lost;
  g_mutex_unlock (&link->lock);
}

gboolean
vg_source_link_set_clock_offset (VgSourceLink *link, gint64 offset_ms)
{
  gboolean drifted;

  if (!link->have_offset_base)
    {
      link->have_offset_base = TRUE;
      link->offset_base_ms = offset_ms;
    }
  drifted = !link->drift_reported && ABS (offset_ms - link->offset_base_ms) > VG_SOURCE_CLOCK_DRIFT_MS;
  g_mutex_lock (&link->lock);
  link->status.has_clock_offset = TRUE;
  link->status.clock_offset_ms = offset_ms;
  if (drifted)
    {
      g_autofree char *message = g_strdup_printf ("the camera's clock drifted by %+" G_GINT64_FORMAT
                                                  " ms since the connection (now %+" G_GINT64_FORMAT
                                                  " ms from ours)", offset_ms - link->offset_base_ms,
                                                  offset_ms);

      link->notice_kind = "clock_drift";
      g_free (link->notice_message);
      link->notice_message = g_steal_pointer (&message);
      link->drift_reported = TRUE;
    }
  g_mutex_unlock (&link->lock);
  return drifted;
}

gboolean
vg_source_link_take_notice (VgSourceLink *link, char **kind, char **message)
{
  gboolean any;

  g_mutex_lock (&link->lock);
  any = link->notice_kind != NULL;
  if (any)
    {
      *kind = g_strdup (link->notice_kind);
      *message = g_steal_pointer (&link->notice_message);
      link->notice_kind = NULL;
    }
  g_mutex_unlock (&link->lock);
  return any;
}

gboolean
vg_source_link_watchdog_expired (VgSourceLink *link, gint64 now)
{
  return now - link->last_data >= (gint64) link->options.watchdog_s * G_USEC_PER_SEC;
}

gboolean
vg_source_link_take_state_change (VgSourceLink *link, VgSourceState *state, char **error)
{
  gboolean dirty;

  g_mutex_lock (&link->lock);
  dirty = link->state_dirty;
  link->state_dirty = FALSE;
  *state = link->status.state;
  *error = g_strdup (link->status.error);
  g_mutex_unlock (&link->lock);
  return dirty;
}

void
vg_source_link_get_status (VgSourceLink *link, VgSourceStatus *status)
{
  g_mutex_lock (&link->lock);
  *status = link->status;
  status->error = g_strdup (link->status.error);
  status->codec = g_strdup (link->status.codec);
  status->tls_fingerprint = g_strdup (link->status.tls_fingerprint);
  g_mutex_unlock (&link->lock);
}

void
vg_source_link_set_tls_fingerprint (VgSourceLink *link, const char *fingerprint)
{
  g_mutex_lock (&link->lock);
  g_free (link->status.tls_fingerprint);
  link->status.tls_fingerprint = g_strdup (fingerprint);
  g_mutex_unlock (&link->lock);
}

int
vg_source_connect_tcp (const char *host, int port, GError **error)
{
  struct addrinfo hints = { 0 }, *addresses = NULL;
  g_autofree char *service = g_strdup_printf ("%d", port);
  int fd, one = 1, rcvbuf = 1024 * 1024, status;

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  /* Host names are resolved here, in the ingest thread: numeric addresses, the usual
   * case for cameras, cost nothing. */
  status = getaddrinfo (host, service, &hints, &addresses);
  if (status != 0 || addresses == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, "cannot resolve %s: %s", host,
                   gai_strerror (status));
      return -1;
    }
  fd = socket (addresses->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      freeaddrinfo (addresses);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socket: %s", g_strerror (saved));
      return -1;
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  /* Room for a batch of a high-rate camera. */
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (connect (fd, addresses->ai_addr, addresses->ai_addrlen) != 0 && errno != EINPROGRESS)
    {
      int saved = errno;
      freeaddrinfo (addresses);
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot connect to %s:%d: %s",
                   host, port, g_strerror (saved));
      return -1;
    }
  freeaddrinfo (addresses);
  return fd;
}

int
vg_source_connect_result (int fd)
{
  int error = 0;
  socklen_t len = sizeof error;

  if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
    return errno;
  return error;
}

int
vg_source_send_pending (int fd, GString *out)
{
  while (out->len > 0)
    {
      gssize n = send (fd, out->str, out->len, MSG_NOSIGNAL);

      if (n > 0)
        {
          g_string_erase (out, 0, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return errno;
      break;
    }
  return 0;
}
