/* vg-mjpeg-session.c: one camera's MJPEG over HTTP (multipart/x-mixed-replace), run by VgIngest (ACQ-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-mjpeg-session.h"
#include "vg-rtsp-message.h"
#include "vg-source-link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)
#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_PICTURE_BYTES (16 * 1024 * 1024)
#define USER_AGENT "vigie-node/" PACKAGE_VERSION

typedef enum {
  PHASE_IDLE,
  PHASE_CONNECTING,
  PHASE_HEADERS,     /* waiting for the HTTP answer's headers */
  PHASE_STREAMING,   /* parts */
} Phase;

struct _VgMjpegSession
{
  char               *host;
  int                 port;
  char               *path;        /* with the query */
  char               *user;
  char               *password;
  VgSourceCallbacks   callbacks;
  gpointer            user_data;
  VgSourceLink        link;

  Phase               phase;
  int                 fd;
  GString            *out;
  GByteArray         *in;          /* received, not yet consumed */
  char               *boundary;    /* "--" + the boundary */
  gboolean            auth_tried;
  VgRtspAuthChallenge challenge;
  gint64              answer_deadline;
  gboolean            announced;
  gint64              last_time_us;
};

static void fail (VgMjpegSession *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

VgMjpegSession *
vg_mjpeg_session_new (const char *url, const VgSourceOptions *options,
                      const VgSourceCallbacks *callbacks, gpointer user_data)
{
  VgMjpegSession *self = g_new0 (VgMjpegSession, 1);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH |
                                     G_URI_FLAGS_ENCODED_QUERY, NULL);

  vg_source_link_init (&self->link, options);
  self->fd = -1;
  self->out = g_string_new (NULL);
  self->in = g_byte_array_new ();
  self->callbacks = *callbacks;
  self->user_data = user_data;
  if (uri && g_uri_get_host (uri))
    {
      const char *path = g_uri_get_path (uri);

      self->host = g_strdup (g_uri_get_host (uri));
      self->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80;
      self->path = g_strdup_printf ("%s%s%s", path && *path ? path : "/",
                                    g_uri_get_query (uri) ? "?" : "",
                                    g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
      self->user = g_uri_unescape_string (g_uri_get_user (uri) ? g_uri_get_user (uri) : "", NULL);
      self->password = g_uri_unescape_string (g_uri_get_password (uri) ? g_uri_get_password (uri) : "", NULL);
    }
  return self;
}

static void
close_connection (VgMjpegSession *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_string_truncate (self->out, 0);
  g_byte_array_set_size (self->in, 0);
  g_clear_pointer (&self->boundary, g_free);
  self->announced = FALSE;
}

void
vg_mjpeg_session_free (VgMjpegSession *self)
{
  if (self == NULL)
    return;
  close_connection (self);
  g_string_free (self->out, TRUE);
  g_byte_array_unref (self->in);
  vg_rtsp_auth_challenge_clear (&self->challenge);
  g_free (self->host);
  g_free (self->path);
  g_free (self->user);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  vg_source_link_clear (&self->link);
  g_free (self);
}

int
vg_mjpeg_session_get_fd (VgMjpegSession *self)
{
  return self->fd;
}

gboolean
vg_mjpeg_session_wants_write (VgMjpegSession *self)
{
  return self->fd >= 0 && (self->phase == PHASE_CONNECTING || self->out->len > 0);
}

gint64
vg_mjpeg_session_get_deadline (VgMjpegSession *self)
{
  switch (self->phase)
    {
    case PHASE_IDLE:
      return self->link.retry_at;
    case PHASE_STREAMING:
      return self->link.last_data + self->link.options.watchdog_s * G_USEC_PER_SEC;
    case PHASE_CONNECTING:
    case PHASE_HEADERS:
    default:
      return self->answer_deadline;
    }
}

gboolean
vg_mjpeg_session_take_state_change (VgMjpegSession *self, VgSourceState *state, char **error)
{
  return vg_source_link_take_state_change (&self->link, state, error);
}

void
vg_mjpeg_session_get_status (VgMjpegSession *self, VgSourceStatus *status)
{
  vg_source_link_get_status (&self->link, status);
}

static void
fail (VgMjpegSession *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  gboolean was_streaming = self->phase == PHASE_STREAMING;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  close_connection (self);
  self->phase = PHASE_IDLE;
  vg_source_link_lost (&self->link, was_streaming, message, g_get_monotonic_time ());
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}

static void
send_get (VgMjpegSession *self, gint64 now)
{
  g_string_truncate (self->out, 0);
  g_string_append_printf (self->out, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: " USER_AGENT "\r\n"
                          "Accept: multipart/x-mixed-replace, image/jpeg\r\nConnection: close\r\n",
                          self->path, self->host, self->port);
  if (self->challenge.scheme != VG_RTSP_AUTH_NONE)
    {
      g_autofree char *authorization = vg_rtsp_auth_build (&self->challenge, self->user, self->password,
                                                           "GET", self->path, NULL);
      if (authorization)
        g_string_append_printf (self->out, "Authorization: %s\r\n", authorization);
    }
  g_string_append (self->out, "\r\n");
  self->phase = PHASE_HEADERS;
  self->answer_deadline = now + self->link.options.timeout_s * G_USEC_PER_SEC;
}

static gssize
find (const guint8 *data, gsize len, const char *needle, gsize from)
{
  gsize n = strlen (needle);

  for (gsize i = from; i + n <= len; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, n) == 0)
      return (gssize) i;
  return -1;
}

/* "Name: value" of a header block (lines separated by CRLF), NULL when absent. */
static char *
header_value (const char *block, const char *name)
{
  g_auto(GStrv) lines = g_strsplit (block, "\r\n", -1);
  gsize n = strlen (name);

  for (guint i = 1; lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], name, n) == 0 && lines[i][n] == ':')
      return g_strstrip (g_strdup (lines[i] + n + 1));
  return NULL;
}

static void
consume (VgMjpegSession *self, gsize n)
{
  g_byte_array_remove_range (self->in, 0, (guint) n);
}

/* The answer's head: 200 with a multipart boundary, 401 with a challenge, else fail. */
static gboolean
handle_headers (VgMjpegSession *self, gint64 now)
{
  gssize end = find (self->in->data, self->in->len, "\r\n\r\n", 0);
  g_autofree char *head = NULL;
  g_autofree char *type = NULL;
  const char *boundary;
  guint status = 0;

  if (end < 0)
    {
      if (self->in->len > MAX_HEADER_BYTES)
        fail (self, "the camera's HTTP answer has headers too long");
      return FALSE;
    }
  head = g_strndup ((const char *) self->in->data, (gsize) end);
  consume (self, (gsize) end + 4);
  if (sscanf (head, "HTTP/1.%*c %u", &status) != 1)
    {
      fail (self, "not an HTTP answer");
      return FALSE;
    }
  if (status == 401 && !self->auth_tried && self->user && self->user[0])
    {
      g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
      gboolean any = FALSE;

      for (guint i = 1; lines[i]; i++)
        if (g_ascii_strncasecmp (lines[i], "WWW-Authenticate:", 17) == 0)
          any |= vg_rtsp_auth_challenge_parse (&self->challenge, g_strstrip (lines[i] + 17));
      if (any)
        {
          /* Connection: close: ask again on a new connection, with credentials. */
          self->auth_tried = TRUE;
          close_connection (self);
          self->phase = PHASE_IDLE;
          self->link.retry_at = now;
          return FALSE;
        }
    }
  if (status != 200)
    {
      fail (self, "the camera answered HTTP %u", status);
      return FALSE;
    }
  type = header_value (head, "Content-Type");
  boundary = type ? strstr (type, "boundary=") : NULL;
  if (type == NULL || g_ascii_strncasecmp (type, "multipart/", 10) != 0 || boundary == NULL)
    {
      fail (self, "not an MJPEG stream (Content-Type: %s)", type ? type : "none");
      return FALSE;
    }
  boundary += strlen ("boundary=");
  {
    g_autofree char *clean = g_strdup (boundary[0] == '"' ? boundary + 1 : boundary);
    char *stop = strpbrk (clean, "\";, ");

    if (stop)
      *stop = '\0';
    self->boundary = g_str_has_prefix (clean, "--") ? g_strdup (clean) : g_strconcat ("--", clean, NULL);
  }
  self->phase = PHASE_STREAMING;
  vg_source_link_streaming (&self->link, now);
  return TRUE;
}

/* Width and height from the JPEG's start-of-frame marker (0 when not found). */
static void
jpeg_size (const guint8 *data, gsize len, guint *width, guint *height)
{
  gsize i = 2;

  *width = *height = 0;
  while (i + 9 < len && data[i] == 0xFF)
    {
      guint8 marker = data[i + 1];
      gsize segment = ((gsize) data[i + 2] << 8) | data[i + 3];

      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          *height = ((guint) data[i + 5] << 8) | data[i + 6];
          *width = ((guint) data[i + 7] << 8) | data[i + 8];
          return;
        }
      if (segment < 2)
        return;
      i += 2 + segment;
    }
}

/* Arrival time. Two pictures read in one batch still get distinct, increasing times
 * (1 ms apart at least: the resolution of a Matroska block); a real step back of the
 * clock is kept (the recorder starts a new segment). */
static gint64
picture_time (VgMjpegSession *self)
{
  gint64 now = g_get_real_time ();

  if (now < self->last_time_us + 1000 && self->last_time_us - now < G_USEC_PER_SEC)
    now = self->last_time_us + 1000;
  self->last_time_us = now;
  return now;
}

static void
emit_picture (VgMjpegSession *self, const guint8 *data, gsize len, gint64 now)
{
  g_autoptr(VgAccessUnit) unit = NULL;

  if (len < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return;   /* not a JPEG: skipped */
  if (!self->announced)
    {
      VgTrackInfo info = { .codec = VG_CODEC_JPEG, .clock_rate = 90000 };
      VgTrackInfo *infos[1] = { &info };

      jpeg_size (data, len, &info.width, &info.height);
      self->announced = TRUE;
      vg_source_link_set_video (&self->link, VG_CODEC_JPEG, info.width, info.height);
      if (self->callbacks.tracks)
        self->callbacks.tracks (self->user_data, infos, 1);
    }
  unit = vg_access_unit_new (VG_CODEC_JPEG, data, len);
  unit->time_us = picture_time (self);
  unit->keyframe = TRUE;
  vg_source_link_count_unit (&self->link, unit, now);
  if (self->callbacks.unit)
    self->callbacks.unit (self->user_data, unit);
}

/* Parts: boundary line, part headers, the picture (Content-Length, else up to the next
 * boundary). */
static gboolean
handle_part (VgMjpegSession *self, gint64 now)
{
  gssize start = find (self->in->data, self->in->len, self->boundary, 0);
  gssize headers_end, next;
  g_autofree char *headers = NULL;
  g_autofree char *length_text = NULL;
  gsize body;

  if (start < 0)
    {
      if (self->in->len > MAX_PICTURE_BYTES)
        fail (self, "garbage from the camera: no part boundary in %u bytes", self->in->len);
      return FALSE;
    }
  headers_end = find (self->in->data, self->in->len, "\r\n\r\n", (gsize) start);
  if (headers_end < 0)
    {
      if (self->in->len - (gsize) start > MAX_HEADER_BYTES)
        fail (self, "garbage from the camera: part headers too long");
      return FALSE;
    }
  headers = g_strndup ((const char *) self->in->data + start, (gsize) (headers_end - start));
  body = (gsize) headers_end + 4;
  length_text = header_value (headers, "Content-Length");
  if (length_text)
    {
      guint64 length = 0;

      if (!g_ascii_string_to_unsigned (length_text, 10, 0, MAX_PICTURE_BYTES, &length, NULL))
        {
          fail (self, "garbage from the camera: Content-Length %s", length_text);
          return FALSE;
        }
      if (self->in->len < body + length)
        return FALSE;
      emit_picture (self, self->in->data + body, (gsize) length, now);
      consume (self, body + (gsize) length);
      return TRUE;
    }
  next = find (self->in->data, self->in->len, self->boundary, body);
  if (next < 0)
    {
      if (self->in->len > MAX_PICTURE_BYTES)
        fail (self, "garbage from the camera: a picture over %d bytes", MAX_PICTURE_BYTES);
      return FALSE;
    }
  /* The picture ends before the CRLF that precedes the boundary. */
  {
    gsize end = (gsize) next;

    while (end > body && (self->in->data[end - 1] == '\n' || self->in->data[end - 1] == '\r'))
      end--;
    emit_picture (self, self->in->data + body, end - body, now);
  }
  consume (self, (gsize) next);
  return TRUE;
}

void
vg_mjpeg_session_readable (VgMjpegSession *self, gint64 now)
{
  guint8 buffer[READ_CHUNK];

  if (self->fd < 0 || self->phase == PHASE_CONNECTING)
    return;
  for (;;)
    {
      gssize n = recv (self->fd, buffer, sizeof buffer, 0);

      if (n > 0)
        {
          g_byte_array_append (self->in, buffer, (guint) n);
          continue;
        }
      if (n == 0)
        {
          fail (self, "the camera closed the connection");
          return;
        }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        {
          fail (self, "reading from the camera: %s", g_strerror (errno));
          return;
        }
      break;
    }
  if (self->phase == PHASE_HEADERS && !handle_headers (self, now))
    return;
  while (self->fd >= 0 && self->phase == PHASE_STREAMING && handle_part (self, now))
    ;
}

void
vg_mjpeg_session_writable (VgMjpegSession *self, gint64 now)
{
  if (self->fd < 0)
    return;
  if (self->phase == PHASE_CONNECTING)
    {
      int error = vg_source_connect_result (self->fd);

      if (error != 0)
        {
          fail (self, "cannot connect to %s:%d: %s", self->host, self->port, g_strerror (error));
          return;
        }
      send_get (self, now);
    }
  {
    int error = vg_source_send_pending (self->fd, self->out);

    if (error != 0)
      fail (self, "writing to the camera: %s", g_strerror (error));
  }
}

void
vg_mjpeg_session_timeout (VgMjpegSession *self, gint64 now)
{
  g_autoptr(GError) error = NULL;

  switch (self->phase)
    {
    case PHASE_IDLE:
      if (now < self->link.retry_at)
        break;
      if (self->host == NULL)
        {
          fail (self, "not an http:// URL with a host");
          self->link.retry_at = G_MAXINT64;
          break;
        }
      vg_source_link_set_state (&self->link, VG_SOURCE_STATE_CONNECTING, NULL);
      self->fd = vg_source_connect_tcp (self->host, self->port, &error);
      if (self->fd < 0)
        {
          fail (self, "%s", error->message);
          break;
        }
      self->phase = PHASE_CONNECTING;
      self->answer_deadline = now + self->link.options.timeout_s * G_USEC_PER_SEC;
      break;
    case PHASE_STREAMING:
      if (vg_source_link_watchdog_expired (&self->link, now))
        fail (self, "no picture for %u s", self->link.options.watchdog_s);
      break;
    case PHASE_CONNECTING:
    case PHASE_HEADERS:
    default:
      if (now >= self->answer_deadline)
        fail (self, self->phase == PHASE_CONNECTING ? "connection timed out" : "the camera did not answer");
      break;
    }
}

void
vg_mjpeg_session_stop (VgMjpegSession *self)
{
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  close_connection (self);
  self->phase = PHASE_IDLE;
  self->link.retry_at = G_MAXINT64;
  vg_source_link_set_state (&self->link, VG_SOURCE_STATE_STOPPED, NULL);
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}
