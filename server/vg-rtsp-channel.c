/* vg-rtsp-channel.c: the byte stream under an RTSP session: one TCP connection, or the
 * QuickTime HTTP tunnel (a GET connection that reads, a POST connection that writes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-rtsp-channel.h"
#include "vg-rtsp-message.h"
#include "vg-source-link.h"

#include <errno.h>
#include <gio/gio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef enum {
  STATE_CLOSED,
  STATE_CONNECTING,        /* the (first) TCP connect */
  STATE_TUNNEL_GET,        /* the GET is sent, its reply awaited */
  STATE_TUNNEL_POST,       /* the POST connection is being made */
  STATE_OPEN,
} State;

struct _VgRtspChannel
{
  VgRtspChannelKind  kind;
  State              state;
  int                fd;          /* reads (and writes, over TCP) */
  int                post_fd;     /* the tunnel's POST */
  GString           *out;         /* RTSP bytes (base64 in the tunnel) waiting to be sent */
  GString           *get_out;     /* the tunnel's GET request, waiting to be sent */
  GString           *head;        /* the GET reply's head, as it comes */
  char              *host;
  int                port;
  char              *path;
  char               cookie[33];
};

VgRtspChannel *
vg_rtsp_channel_new (VgRtspChannelKind kind)
{
  VgRtspChannel *self = g_new0 (VgRtspChannel, 1);

  self->kind = kind;
  self->fd = self->post_fd = -1;
  self->out = g_string_sized_new (1024);
  self->get_out = g_string_new (NULL);
  self->head = g_string_new (NULL);
  return self;
}

void
vg_rtsp_channel_close (VgRtspChannel *self)
{
  if (self->fd >= 0)
    close (self->fd);
  if (self->post_fd >= 0)
    close (self->post_fd);
  self->fd = self->post_fd = -1;
  self->state = STATE_CLOSED;
  g_string_truncate (self->out, 0);
  g_string_truncate (self->get_out, 0);
  g_string_truncate (self->head, 0);
}

void
vg_rtsp_channel_free (VgRtspChannel *self)
{
  if (self == NULL)
    return;
  vg_rtsp_channel_close (self);
  g_string_free (self->out, TRUE);
  g_string_free (self->get_out, TRUE);
  g_string_free (self->head, TRUE);
  g_free (self->host);
  g_free (self->path);
  g_free (self);
}

gboolean
vg_rtsp_channel_open (VgRtspChannel *self, const char *host, int port, const char *path,
                      GError **error)
{
  g_return_val_if_fail (host != NULL && path != NULL, FALSE);

  vg_rtsp_channel_close (self);
  g_free (self->host);
  g_free (self->path);
  self->host = g_strdup (host);
  self->port = port;
  self->path = g_strdup (path[0] ? path : "/");
  self->fd = vg_source_connect_tcp (host, port, error);
  if (self->fd < 0)
    return FALSE;
  self->state = STATE_CONNECTING;
  return TRUE;
}

gboolean
vg_rtsp_channel_is_open (VgRtspChannel *self)
{
  return self->state == STATE_OPEN;
}

int
vg_rtsp_channel_get_fd (VgRtspChannel *self)
{
  return self->fd;
}

gboolean
vg_rtsp_channel_wants_write (VgRtspChannel *self)
{
  if (self->fd < 0)
    return FALSE;
  if (self->state == STATE_CONNECTING)
    return TRUE;
  if (self->kind == VG_RTSP_CHANNEL_HTTP_TUNNEL)
    return self->get_out->len > 0;
  return self->state == STATE_OPEN && self->out->len > 0;
}

int
vg_rtsp_channel_get_write_fd (VgRtspChannel *self, gboolean *wants_write)
{
  *wants_write = self->post_fd >= 0 &&
                 (self->state == STATE_TUNNEL_POST || (self->state == STATE_OPEN && self->out->len > 0));
  return self->post_fd;
}

gboolean
vg_rtsp_channel_get_peer (VgRtspChannel *self, gpointer address, guint *length)
{
  socklen_t len = *length;

  if (self->fd < 0 || self->state == STATE_CONNECTING ||
      getpeername (self->fd, address, &len) != 0)
    return FALSE;
  *length = len;
  return TRUE;
}

/* Connection */

/* A connect in progress: TRUE once it ended (*error_code 0 when it succeeded). */
static gboolean
connect_finished (int fd, int *error_code)
{
  struct pollfd p = { .fd = fd, .events = POLLOUT };

  *error_code = 0;
  if (poll (&p, 1, 0) <= 0 || p.revents == 0)
    return FALSE;
  *error_code = vg_source_connect_result (fd);
  return TRUE;
}

static void
make_cookie (VgRtspChannel *self)
{
  for (gsize i = 0; i + 1 < sizeof self->cookie; i += 8)
    g_snprintf (self->cookie + i, sizeof self->cookie - i, "%08x", g_random_int ());
}

static char *
host_header (VgRtspChannel *self)
{
  return strchr (self->host, ':') ? g_strdup_printf ("[%s]:%d", self->host, self->port)
                                  : g_strdup_printf ("%s:%d", self->host, self->port);
}

static gboolean
connected (VgRtspChannel *self, GError **error)
{
  g_autofree char *host = NULL;

  if (self->kind == VG_RTSP_CHANNEL_TCP)
    {
      self->state = STATE_OPEN;
      return TRUE;
    }
  make_cookie (self);
  host = host_header (self);
  if (!vg_rtsp_tunnel_request (self->get_out, "GET", self->path, host, self->cookie, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "this path cannot be tunnelled over HTTP");
      return FALSE;
    }
  self->state = STATE_TUNNEL_GET;
  return TRUE;
}

/* The POST connection is up: its head goes before the requests already queued. */
static gboolean
post_connected (VgRtspChannel *self, GError **error)
{
  g_autofree char *host = host_header (self);
  g_autoptr(GString) head = g_string_new (NULL);

  if (!vg_rtsp_tunnel_request (head, "POST", self->path, host, self->cookie, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "this path cannot be tunnelled over HTTP");
      return FALSE;
    }
  g_string_prepend_len (self->out, head->str, (gssize) head->len);
  self->state = STATE_OPEN;
  return TRUE;
}

static gboolean
check_connects (VgRtspChannel *self, GError **error)
{
  int code;

  if (self->state == STATE_CONNECTING && connect_finished (self->fd, &code))
    {
      if (code != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code), "cannot connect to %s:%d: %s",
                       self->host, self->port, g_strerror (code));
          return FALSE;
        }
      if (!connected (self, error))
        return FALSE;
    }
  if (self->state == STATE_TUNNEL_POST && connect_finished (self->post_fd, &code))
    {
      if (code != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code),
                       "cannot open the HTTP tunnel's second connection to %s:%d: %s",
                       self->host, self->port, g_strerror (code));
          return FALSE;
        }
      if (!post_connected (self, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
send_or_fail (int fd, GString *out, GError **error)
{
  int code = vg_source_send_pending (fd, out);

  if (code != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code), "writing to the camera: %s",
                   g_strerror (code));
      return FALSE;
    }
  return TRUE;
}

gboolean
vg_rtsp_channel_writable (VgRtspChannel *self, GError **error)
{
  if (self->fd < 0)
    return TRUE;
  if (!check_connects (self, error))
    return FALSE;
  if (self->kind == VG_RTSP_CHANNEL_TCP)
    return self->state != STATE_OPEN || send_or_fail (self->fd, self->out, error);
  if (!send_or_fail (self->fd, self->get_out, error))
    return FALSE;
  if (self->post_fd >= 0 && self->state == STATE_OPEN)
    {
      struct pollfd p = { .fd = self->post_fd, .events = POLLOUT };

      /* The camera may drop the POST connection: that ends the session. */
      if (poll (&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "the camera closed the HTTP tunnel's POST connection");
          return FALSE;
        }
      return send_or_fail (self->post_fd, self->out, error);
    }
  return TRUE;
}

/* Reading */

/* The GET reply accepted the tunnel: the POST connection is made. */
static gboolean
open_post (VgRtspChannel *self, GError **error)
{
  self->post_fd = vg_source_connect_tcp (self->host, self->port, error);
  if (self->post_fd < 0)
    return FALSE;
  self->state = STATE_TUNNEL_POST;
  return TRUE;
}

/* Bytes of the GET reply: its head is kept until whole, what follows (RTSP already)
 * goes to buffer. The count of those, 0 while the head is incomplete, -1 with error. */
static gssize
take_tunnel_head (VgRtspChannel *self, guint8 *buffer, gsize n, GError **error)
{
  gsize head_len = 0, rest;
  guint status = 0;

  g_string_append_len (self->head, (const char *) buffer, (gssize) n);
  switch (vg_rtsp_tunnel_reply_check ((const guint8 *) self->head->str, self->head->len, &head_len, &status))
    {
    case VG_RTSP_TUNNEL_REPLY_INCOMPLETE:
      return 0;
    case VG_RTSP_TUNNEL_REPLY_REFUSED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   "the camera refused RTSP over HTTP: HTTP status %u", status);
      return -1;
    case VG_RTSP_TUNNEL_REPLY_INVALID:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the camera's answer to the HTTP tunnel is not HTTP");
      return -1;
    case VG_RTSP_TUNNEL_REPLY_ACCEPTED:
    default:
      break;
    }
  if (!open_post (self, error))
    return -1;
  rest = self->head->len - head_len;
  memcpy (buffer, self->head->str + head_len, rest);
  g_string_truncate (self->head, 0);
  return (gssize) rest;
}

gssize
vg_rtsp_channel_read (VgRtspChannel *self, guint8 *buffer, gsize size, GError **error)
{
  if (self->fd < 0 || self->state == STATE_CONNECTING)
    return 0;
  for (;;)
    {
      gssize n = recv (self->fd, buffer, size, 0);

      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "the camera closed the connection");
          return -1;
        }
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "reading from the camera: %s",
                       g_strerror (errno));
          return -1;
        }
      if (self->state != STATE_TUNNEL_GET)
        return n;
      n = take_tunnel_head (self, buffer, (gsize) n, error);
      if (n != 0)
        return n;
    }
}

/* Writing */

static void
append_base64 (GString *out, const char *data, gsize len)
{
  gsize old = out->len;
  gint state = 0, save = 0;
  gsize n;

  g_string_set_size (out, old + (len / 3 + 1) * 4 + 4);
  n = g_base64_encode_step ((const guchar *) data, len, FALSE, out->str + old, &state, &save);
  n += g_base64_encode_close (FALSE, out->str + old + n, &state, &save);
  g_string_truncate (out, old + n);
}

void
vg_rtsp_channel_send (VgRtspChannel *self, const char *data, gsize len)
{
  if (self->kind == VG_RTSP_CHANNEL_HTTP_TUNNEL)
    append_base64 (self->out, data, len);
  else
    g_string_append_len (self->out, data, (gssize) len);
}

void
vg_rtsp_channel_flush_now (VgRtspChannel *self)
{
  int fd = self->kind == VG_RTSP_CHANNEL_HTTP_TUNNEL ? self->post_fd : self->fd;

  if (fd >= 0 && self->state == STATE_OPEN && self->out->len > 0)
    (void) send (fd, self->out->str, self->out->len, MSG_NOSIGNAL | MSG_DONTWAIT);
}
