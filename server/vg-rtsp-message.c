/* vg-rtsp-message.c: RTSP 1.0 requests and responses, without I/O
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-rtsp-message.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------ */
/* Requests */

static gboolean
is_tchar (char c)
{
  /* RFC 7230 tchar */
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_token (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!is_tchar (*s))
      return FALSE;
  return TRUE;
}

static gboolean
has_ctl_or_space (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s <= ' ' || *s == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
has_crlf (const char *s)
{
  return strpbrk (s, "\r\n") != NULL;
}

gboolean
vg_rtsp_request_begin (GString *out, const char *method, const char *url, guint cseq)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (method != NULL && url != NULL, FALSE);

  if (!is_token (method) || *url == '\0' || has_ctl_or_space (url))
    return FALSE;
  g_string_append_printf (out, "%s %s RTSP/1.0\r\nCSeq: %u\r\n", method, url, cseq);
  return TRUE;
}

gboolean
vg_rtsp_request_add_header (GString *out, const char *name, const char *value)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (!is_token (name) || has_crlf (value))
    return FALSE;
  g_string_append (out, name);
  g_string_append (out, ": ");
  g_string_append (out, value);
  g_string_append (out, "\r\n");
  return TRUE;
}

void
vg_rtsp_request_end (GString *out, const char *content_type, const guint8 *body,
                     gsize body_len)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (body != NULL || body_len == 0);

  if (body_len > 0)
    {
      if (content_type != NULL && !has_crlf (content_type))
        g_string_append_printf (out, "Content-Type: %s\r\n", content_type);
      g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_len);
    }
  g_string_append (out, "\r\n");
  if (body_len > 0)
    g_string_append_len (out, (const char *) body, body_len);
}

gboolean
vg_rtsp_tunnel_request (GString *out, const char *method, const char *path,
                        const char *host, const char *session_cookie,
                        const char *authorization)
{
  gboolean post;

  g_return_val_if_fail (out != NULL && method != NULL && path != NULL, FALSE);
  g_return_val_if_fail (host != NULL && session_cookie != NULL, FALSE);

  post = g_str_equal (method, "POST");
  if ((!post && !g_str_equal (method, "GET")) || *path == '\0' || has_ctl_or_space (path) ||
      has_crlf (host) || has_crlf (session_cookie) ||
      (authorization != NULL && has_crlf (authorization)))
    return FALSE;

  g_string_append_printf (out, "%s %s HTTP/1.0\r\n", method, path);
  g_string_append_printf (out, "Host: %s\r\n", host);
  g_string_append_printf (out, "x-sessioncookie: %s\r\n", session_cookie);
  if (post)
    {
      g_string_append (out, "Content-Type: application/x-rtsp-tunnelled\r\n");
      /* The body never ends: announce a large length, as QuickTime did. */
      g_string_append (out, "Content-Length: 32767\r\n");
      g_string_append (out, "Expires: Sun, 9 Jan 1972 00:00:00 GMT\r\n");
    }
  else
    g_string_append (out, "Accept: application/x-rtsp-tunnelled\r\n");
  g_string_append (out, "Pragma: no-cache\r\nCache-Control: no-cache\r\n");
  if (authorization != NULL)
    g_string_append_printf (out, "Authorization: %s\r\n", authorization);
  g_string_append (out, "\r\n");
  return TRUE;
}

#define MAX_TUNNEL_HEAD 8192

VgRtspTunnelReply
vg_rtsp_tunnel_reply_check (const guint8 *data, gsize len, gsize *head_len, guint *status)
{
  const guint8 *p;
  const guint8 *end = NULL;

  g_return_val_if_fail (head_len != NULL && status != NULL, VG_RTSP_TUNNEL_REPLY_INVALID);
  *head_len = 0;
  *status = 0;
  for (gsize i = 0; i + 3 < len && i + 4 <= MAX_TUNNEL_HEAD; i++)
    if (memcmp (data + i, "\r\n\r\n", 4) == 0)
      {
        end = data + i + 4;
        break;
      }
  if (end == NULL)
    return len >= MAX_TUNNEL_HEAD ? VG_RTSP_TUNNEL_REPLY_INVALID : VG_RTSP_TUNNEL_REPLY_INCOMPLETE;
  /* "HTTP/d.d ddd" */
  p = data;
  if (end - p < 12 || memcmp (p, "HTTP/", 5) != 0 || !g_ascii_isdigit (p[5]) || p[6] != '.' ||
      !g_ascii_isdigit (p[7]) || p[8] != ' ' || !g_ascii_isdigit (p[9]) || !g_ascii_isdigit (p[10]) ||
      !g_ascii_isdigit (p[11]) || p[9] == '0')
    return VG_RTSP_TUNNEL_REPLY_INVALID;
  *status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  *head_len = (gsize) (end - data);
  return *status >= 200 && *status < 300 ? VG_RTSP_TUNNEL_REPLY_ACCEPTED : VG_RTSP_TUNNEL_REPLY_REFUSED;
}

/* ------------------------------------------------------------------------------ */
/* Parser */

struct _VgRtspParser
{
  guint8       *buf;
  gsize         alloc;
  gsize         start;      /* first byte not yet returned */
  gsize         end;        /* end of the data */
  gsize         scanned;    /* bytes after start searched for the end of a header block */
  gsize         head_len;   /* > 0: the message at start has a complete header block */
  gsize         body_len;
  gboolean      failed;
  char          error[160];
  VgRtspHeader  headers[VG_RTSP_MAX_HEADERS];
};

VgRtspParser *
vg_rtsp_parser_new (void)
{
  return g_new0 (VgRtspParser, 1);
}

void
vg_rtsp_parser_free (VgRtspParser *self)
{
  if (self == NULL)
    return;
  g_free (self->buf);
  g_free (self);
}

void
vg_rtsp_parser_reset (VgRtspParser *self)
{
  g_return_if_fail (self != NULL);
  self->start = self->end = 0;
  self->scanned = self->head_len = self->body_len = 0;
  self->failed = FALSE;
  self->error[0] = '\0';
}

static void
parser_make_room (VgRtspParser *self, gsize len)
{
  if (self->start > 0)
    {
      memmove (self->buf, self->buf + self->start, self->end - self->start);
      self->end -= self->start;
      self->start = 0;
    }
  if (self->alloc - self->end < len)
    {
      gsize want = MAX (self->alloc * 2, 16 * 1024);

      if (len > G_MAXSIZE - self->end)
        g_error ("vg_rtsp_parser: %" G_GSIZE_FORMAT " bytes will not fit", len);
      want = MAX (want, self->end + len);
      self->buf = g_realloc (self->buf, want);
      self->alloc = want;
    }
}

void
vg_rtsp_parser_feed (VgRtspParser *self, const guint8 *data, gsize len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  parser_make_room (self, len);
  if (len > 0)
    memcpy (self->buf + self->end, data, len);
  self->end += len;
}

guint8 *
vg_rtsp_parser_get_space (VgRtspParser *self, gsize min_len, gsize *available)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (available != NULL, NULL);

  parser_make_room (self, MAX (min_len, 1));
  *available = self->alloc - self->end;
  return self->buf + self->end;
}

void
vg_rtsp_parser_commit (VgRtspParser *self, gsize len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (len <= self->alloc - self->end);
  self->end += len;
}

gsize
vg_rtsp_parser_get_pending (VgRtspParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->end - self->start;
}

const char *
vg_rtsp_parser_get_error (VgRtspParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->failed ? self->error : NULL;
}

G_GNUC_PRINTF (2, 3)
static VgRtspEventType
parser_fail (VgRtspParser *self, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (self->error, sizeof self->error, format, args);
  va_end (args);
  self->failed = TRUE;
  return VG_RTSP_EVENT_ERROR;
}

/* Looks for the blank line ending the header block of the message at start; sets
 * head_len. Remembers how far it looked, so that a message arriving one byte at a time
 * is not searched again from its beginning. */
static gboolean
parser_find_head_end (VgRtspParser *self)
{
  const guint8 *p = self->buf + self->start;
  gsize avail = self->end - self->start;
  gsize i = self->scanned;

  while (i < avail)
    {
      const guint8 *nl = memchr (p + i, '\n', avail - i);

      if (nl == NULL)
        {
          i = avail;
          break;
        }
      i = nl - p;
      if (i + 1 >= avail)
        break;                              /* need the next byte */
      if (p[i + 1] == '\n')
        {
          self->head_len = i + 2;
          return TRUE;
        }
      if (p[i + 1] == '\r')
        {
          if (i + 2 >= avail)
            break;
          if (p[i + 2] == '\n')
            {
              self->head_len = i + 3;
              return TRUE;
            }
        }
      i++;
    }
  self->scanned = i;
  return FALSE;
}

/* Content-Length of the header block at start, read without changing it: the block is
 * parsed in place only once the whole message is there. */
static gboolean
parser_scan_content_length (VgRtspParser *self, gsize *length)
{
  const char *p = (const char *) self->buf + self->start;
  gsize n = self->head_len;
  gboolean found = FALSE;
  static const char key[] = "content-length";

  *length = 0;
  for (gsize line = 0; line < n;)
    {
      const char *nl = memchr (p + line, '\n', n - line);
      gsize line_end = nl ? (gsize) (nl - p) : n;

      if (line > 0 && line_end - line >= sizeof key - 1 &&
          g_ascii_strncasecmp (p + line, key, sizeof key - 1) == 0)
        {
          gsize i = line + sizeof key - 1;
          guint64 value = 0;
          gboolean digits = FALSE;

          while (i < line_end && (p[i] == ' ' || p[i] == '\t'))
            i++;
          if (i < line_end && p[i] == ':')
            {
              i++;
              while (i < line_end && (p[i] == ' ' || p[i] == '\t'))
                i++;
              while (i < line_end && g_ascii_isdigit (p[i]))
                {
                  value = value * 10 + (p[i] - '0');
                  if (value > VG_RTSP_MAX_BODY_BYTES)
                    return FALSE;
                  digits = TRUE;
                  i++;
                }
              while (i < line_end && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
                i++;
              if (!digits || i != line_end)
                return FALSE;
              if (found && value != *length)
                return FALSE;                     /* two different lengths */
              found = TRUE;
              *length = value;
            }
        }
      line = line_end + 1;
    }
  return TRUE;
}

/* "HTTP/1.x 2xx": the reply to the tunnel's GET, whose body is the RTSP stream. */
static gboolean
head_is_http_success (const guint8 *p, gsize n)
{
  const guint8 *sp;

  if (n < 5 || memcmp (p, "HTTP/", 5) != 0)
    return FALSE;
  sp = memchr (p, ' ', MIN (n, 16));
  return sp != NULL && (gsize) (sp - p) + 1 < n && sp[1] == '2';
}

static char *
trim_in_place (char *s, char *end)
{
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  *end = '\0';
  return s;
}

static gboolean
parse_status_line (char *line, VgRtspMessage *msg)
{
  char *sp = strchr (line, ' ');
  char *status;

  if (sp == NULL)
    return FALSE;
  *sp = '\0';
  if (!(g_str_has_prefix (line, "RTSP/") || g_str_has_prefix (line, "HTTP/")))
    return FALSE;
  msg->is_http = line[0] == 'H';
  status = sp + 1;
  while (*status == ' ')
    status++;
  if (!g_ascii_isdigit (status[0]) || !g_ascii_isdigit (status[1]) ||
      !g_ascii_isdigit (status[2]) || (status[3] != '\0' && status[3] != ' '))
    return FALSE;
  msg->status = (status[0] - '0') * 100 + (status[1] - '0') * 10 + (status[2] - '0');
  if (msg->status < 100)
    return FALSE;
  msg->reason = status[3] == ' ' ? status + 4 : status + 3;
  return TRUE;
}

static gboolean
parse_request_line (char *line, VgRtspMessage *msg)
{
  char *sp1 = strchr (line, ' ');
  char *sp2;

  if (sp1 == NULL)
    return FALSE;
  *sp1 = '\0';
  sp2 = strchr (sp1 + 1, ' ');
  if (sp2 == NULL)
    return FALSE;
  *sp2 = '\0';
  if (!is_token (line) || sp1[1] == '\0' || !g_str_has_prefix (sp2 + 1, "RTSP/"))
    return FALSE;
  msg->is_request = TRUE;
  msg->method = line;
  msg->uri = sp1 + 1;
  return TRUE;
}

/* Parses the header block at start in place (NUL-terminating names and values). */
static VgRtspEventType
parser_take_message (VgRtspParser *self, VgRtspEvent *event)
{
  char *p = (char *) self->buf + self->start;
  gsize n = self->head_len;
  VgRtspMessage *msg = &event->message;
  guint n_headers = 0;
  gboolean first = TRUE;

  /* Join folded lines (a line starting with a space continues the previous one). */
  for (gsize i = 0; i + 1 < n; i++)
    if (p[i] == '\n' && (p[i + 1] == ' ' || p[i + 1] == '\t'))
      {
        p[i] = ' ';
        if (i > 0 && p[i - 1] == '\r')
          p[i - 1] = ' ';
      }

  for (gsize line = 0; line < n;)
    {
      char *nl = memchr (p + line, '\n', n - line);
      char *s = p + line;
      char *e;

      if (nl == NULL)
        break;                                  /* the block ends with '\n' */
      e = nl;
      if (e > s && e[-1] == '\r')
        e--;
      *e = '\0';                                /* at '\r' or '\n', inside the block */
      line = nl - p + 1;

      if (first)
        {
          gboolean ok = g_str_has_prefix (s, "RTSP/") || g_str_has_prefix (s, "HTTP/")
                          ? parse_status_line (s, msg)
                          : parse_request_line (s, msg);
          if (!ok)
            return parser_fail (self, "bad start line");
          first = FALSE;
          continue;
        }
      if (s == e)
        break;                                  /* the blank line */
      {
        char *colon = memchr (s, ':', e - s);
        char *name;

        if (colon == NULL)
          continue;                             /* not a header: ignore the line */
        name = trim_in_place (s, colon);
        if (*name == '\0')
          continue;
        if (n_headers == VG_RTSP_MAX_HEADERS)
          return parser_fail (self, "more than %d headers", VG_RTSP_MAX_HEADERS);
        self->headers[n_headers].name = name;
        self->headers[n_headers].value = trim_in_place (colon + 1, e);
        n_headers++;
      }
    }

  msg->headers = self->headers;
  msg->n_headers = n_headers;
  if (self->body_len > 0)
    {
      msg->body = self->buf + self->start + self->head_len;
      msg->body_len = self->body_len;
    }
  event->type = VG_RTSP_EVENT_MESSAGE;
  self->start += self->head_len + self->body_len;
  self->head_len = self->body_len = self->scanned = 0;
  return VG_RTSP_EVENT_MESSAGE;
}

VgRtspEventType
vg_rtsp_parser_next (VgRtspParser *self, VgRtspEvent *event)
{
  g_return_val_if_fail (self != NULL, VG_RTSP_EVENT_ERROR);
  g_return_val_if_fail (event != NULL, VG_RTSP_EVENT_ERROR);

  memset (event, 0, sizeof *event);
  for (;;)
    {
      const guint8 *p = self->buf + self->start;
      gsize avail = self->end - self->start;

      if (self->failed)
        return event->type = VG_RTSP_EVENT_ERROR;
      if (avail == 0)
        return VG_RTSP_EVENT_NONE;

      if (self->head_len == 0)
        {
          if (p[0] == '$')
            {
              gsize len;

              if (avail < 4)
                return VG_RTSP_EVENT_NONE;
              len = ((gsize) p[2] << 8) | p[3];
              if (avail < 4 + len)
                return VG_RTSP_EVENT_NONE;
              event->type = VG_RTSP_EVENT_INTERLEAVED;
              event->channel = p[1];
              event->data = p + 4;
              event->len = len;
              self->start += 4 + len;
              return VG_RTSP_EVENT_INTERLEAVED;
            }
          if (p[0] == '\r' || p[0] == '\n')
            {
              /* Some servers end a body with an extra line break. */
              self->start++;
              continue;
            }
          if (!g_ascii_isupper (p[0]))
            return parser_fail (self, "unexpected byte 0x%02x", p[0]);
          if (!parser_find_head_end (self))
            {
              if (self->scanned > VG_RTSP_MAX_HEADER_BYTES)
                return parser_fail (self, "header block over %d bytes",
                                    VG_RTSP_MAX_HEADER_BYTES);
              return VG_RTSP_EVENT_NONE;
            }
          if (self->head_len > VG_RTSP_MAX_HEADER_BYTES)
            return parser_fail (self, "header block over %d bytes",
                                VG_RTSP_MAX_HEADER_BYTES);
          if (head_is_http_success (p, self->head_len))
            self->body_len = 0;
          else if (!parser_scan_content_length (self, &self->body_len))
            return parser_fail (self, "bad Content-Length");
        }
      if (avail < self->head_len + self->body_len)
        return VG_RTSP_EVENT_NONE;
      return parser_take_message (self, event);
    }
}

const char *
vg_rtsp_message_get_header (const VgRtspMessage *msg, const char *name)
{
  g_return_val_if_fail (msg != NULL && name != NULL, NULL);

  for (guint i = 0; i < msg->n_headers; i++)
    if (g_ascii_strcasecmp (msg->headers[i].name, name) == 0)
      return msg->headers[i].value;
  return NULL;
}

gint64
vg_rtsp_message_get_cseq (const VgRtspMessage *msg)
{
  const char *value = vg_rtsp_message_get_header (msg, "CSeq");
  guint64 cseq;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &cseq, NULL))
    return -1;
  return (gint64) cseq;
}

/* ------------------------------------------------------------------------------ */
/* Authentication */

void
vg_rtsp_auth_challenge_clear (VgRtspAuthChallenge *challenge)
{
  g_return_if_fail (challenge != NULL);
  g_free (challenge->realm);
  g_free (challenge->nonce);
  g_free (challenge->opaque);
  memset (challenge, 0, sizeof *challenge);
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static gsize
token_len (const char *p)
{
  gsize n = 0;

  while (is_tchar (p[n]))
    n++;
  return n;
}

/* A token or a quoted string (unescaped), newly allocated; *pp moves past it. */
static char *
read_param_value (const char **pp)
{
  const char *p = skip_space (*pp);
  GString *value = g_string_new (NULL);

  if (*p == '"')
    {
      p++;
      while (*p && *p != '"')
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          g_string_append_c (value, *p);
          p++;
        }
      if (*p == '"')
        p++;
    }
  else
    {
      while (*p && *p != ',' && *p != ' ' && *p != '\t')
        g_string_append_c (value, *p++);
    }
  *pp = p;
  return g_string_free (value, FALSE);
}

static gboolean
list_has_token (const char *list, const char *token)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (items[i]), token) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  VgRtspAuthChallenge c;
  gboolean            algorithm_ok;
  gboolean            has_qop;
} Candidate;

static int
challenge_strength (const VgRtspAuthChallenge *c)
{
  switch (c->scheme)
    {
    case VG_RTSP_AUTH_BASIC:
      return 1;
    case VG_RTSP_AUTH_DIGEST:
      return c->algorithm >= VG_RTSP_DIGEST_SHA256 ? 3 : 2;
    case VG_RTSP_AUTH_NONE:
    default:
      return 0;
    }
}

/* Keeps the candidate in best when it is answerable and stronger. */
static gboolean
consider_candidate (VgRtspAuthChallenge *best, Candidate *cand)
{
  gboolean answerable = FALSE;

  if (cand->c.scheme == VG_RTSP_AUTH_BASIC)
    answerable = TRUE;
  else if (cand->c.scheme == VG_RTSP_AUTH_DIGEST)
    answerable = cand->algorithm_ok && cand->c.nonce != NULL &&
                 (!cand->has_qop || cand->c.qop_auth);

  if (answerable && challenge_strength (&cand->c) > challenge_strength (best))
    {
      vg_rtsp_auth_challenge_clear (best);
      *best = cand->c;
      memset (&cand->c, 0, sizeof cand->c);
    }
  else
    vg_rtsp_auth_challenge_clear (&cand->c);
  cand->algorithm_ok = TRUE;
  cand->has_qop = FALSE;
  return answerable;
}

static void
candidate_set (Candidate *cand, const char *name, gsize name_len, char *value)
{
#define IS(key) (name_len == sizeof key - 1 && g_ascii_strncasecmp (name, key, name_len) == 0)
  if (IS ("realm"))
    {
      g_free (cand->c.realm);
      cand->c.realm = value;
      return;
    }
  if (IS ("nonce"))
    {
      g_free (cand->c.nonce);
      cand->c.nonce = value;
      return;
    }
  if (IS ("opaque"))
    {
      g_free (cand->c.opaque);
      cand->c.opaque = value;
      return;
    }
  if (IS ("algorithm"))
    {
      static const struct { const char *name; VgRtspDigestAlgorithm algorithm; } algos[] = {
        { "MD5", VG_RTSP_DIGEST_MD5 },
        { "MD5-sess", VG_RTSP_DIGEST_MD5_SESS },
        { "SHA-256", VG_RTSP_DIGEST_SHA256 },
        { "SHA-256-sess", VG_RTSP_DIGEST_SHA256_SESS },
      };
      cand->algorithm_ok = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (algos); i++)
        if (g_ascii_strcasecmp (value, algos[i].name) == 0)
          {
            cand->c.algorithm = algos[i].algorithm;
            cand->algorithm_ok = TRUE;
          }
    }
  else if (IS ("qop"))
    {
      cand->has_qop = TRUE;
      cand->c.qop_auth = list_has_token (value, "auth");
    }
  else if (IS ("stale"))
    cand->c.stale = g_ascii_strcasecmp (value, "true") == 0;
  else if (IS ("userhash"))
    cand->c.userhash = g_ascii_strcasecmp (value, "true") == 0;
#undef IS
  g_free (value);
}

gboolean
vg_rtsp_auth_challenge_parse (VgRtspAuthChallenge *challenge, const char *value)
{
  Candidate cand = { .algorithm_ok = TRUE };
  gboolean in_challenge = FALSE;
  gboolean any = FALSE;
  const char *p = value;

  g_return_val_if_fail (challenge != NULL, FALSE);
  if (value == NULL)
    return FALSE;

  while (*p)
    {
      const char *name;
      gsize len;
      const char *after;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      if (*p == '\0')
        break;
      name = p;
      len = token_len (p);
      if (len == 0)
        {
          p++;                               /* junk */
          continue;
        }
      after = skip_space (p + len);
      if (*after == '=')
        {
          const char *v = after + 1;
          char *param = read_param_value (&v);

          if (in_challenge)
            candidate_set (&cand, name, len, param);
          else
            g_free (param);
          p = v;
          continue;
        }
      /* A new scheme */
      if (in_challenge)
        any |= consider_candidate (challenge, &cand);
      in_challenge = TRUE;
      if (len == 5 && g_ascii_strncasecmp (name, "Basic", 5) == 0)
        cand.c.scheme = VG_RTSP_AUTH_BASIC;
      else if (len == 6 && g_ascii_strncasecmp (name, "Digest", 6) == 0)
        cand.c.scheme = VG_RTSP_AUTH_DIGEST;
      else
        cand.c.scheme = VG_RTSP_AUTH_NONE;
      p = after;
    }
  if (in_challenge)
    any |= consider_candidate (challenge, &cand);
  return any;
}

static char *
digest_hash (GChecksumType type, const char *format, ...) G_GNUC_PRINTF (2, 3);

static char *
digest_hash (GChecksumType type, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_compute_checksum_for_string (type, text, -1);
}

static void
append_quoted (GString *out, const char *name, const char *value)
{
  g_string_append_printf (out, "%s=\"", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p != '\r' && *p != '\n')
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
vg_rtsp_auth_build (VgRtspAuthChallenge *challenge, const char *user, const char *password,
                    const char *method, const char *uri, const char *cnonce)
{
  static const char *const algorithm_names[] = {
    [VG_RTSP_DIGEST_MD5] = "MD5",
    [VG_RTSP_DIGEST_MD5_SESS] = "MD5-sess",
    [VG_RTSP_DIGEST_SHA256] = "SHA-256",
    [VG_RTSP_DIGEST_SHA256_SESS] = "SHA-256-sess",
  };
  g_autofree char *random_cnonce = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *response = NULL;
  GChecksumType type;
  gboolean sess;
  const char *realm;
  char nc[9];
  GString *out;

  g_return_val_if_fail (challenge != NULL, NULL);
  g_return_val_if_fail (user != NULL && password != NULL, NULL);
  g_return_val_if_fail (method != NULL && uri != NULL, NULL);

  if (challenge->scheme == VG_RTSP_AUTH_BASIC)
    {
      g_autofree char *pair = g_strconcat (user, ":", password, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      return g_strconcat ("Basic ", b64, NULL);
    }
  if (challenge->scheme != VG_RTSP_AUTH_DIGEST || challenge->nonce == NULL)
    return NULL;

  if (cnonce == NULL)
    cnonce = random_cnonce = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (),
                                              g_random_int (), g_random_int (),
                                              g_random_int ());
  type = challenge->algorithm >= VG_RTSP_DIGEST_SHA256 ? G_CHECKSUM_SHA256 : G_CHECKSUM_MD5;
  sess = challenge->algorithm == VG_RTSP_DIGEST_MD5_SESS ||
         challenge->algorithm == VG_RTSP_DIGEST_SHA256_SESS;
  realm = challenge->realm ? challenge->realm : "";

  ha1 = digest_hash (type, "%s:%s:%s", user, realm, password);
  if (sess)
    {
      char *sess_ha1 = digest_hash (type, "%s:%s:%s", ha1, challenge->nonce, cnonce);
      g_free (ha1);
      ha1 = sess_ha1;
    }
  ha2 = digest_hash (type, "%s:%s", method, uri);
  if (challenge->qop_auth)
    {
      challenge->nc++;
      g_snprintf (nc, sizeof nc, "%08x", challenge->nc);
      response = digest_hash (type, "%s:%s:%s:%s:auth:%s", ha1, challenge->nonce, nc,
                              cnonce, ha2);
    }
  else
    response = digest_hash (type, "%s:%s:%s", ha1, challenge->nonce, ha2);

  out = g_string_new ("Digest ");
  append_quoted (out, "username", user);
  g_string_append (out, ", ");
  append_quoted (out, "realm", realm);
  g_string_append (out, ", ");
  append_quoted (out, "nonce", challenge->nonce);
  g_string_append (out, ", ");
  append_quoted (out, "uri", uri);
  g_string_append_printf (out, ", response=\"%s\"", response);
  if (challenge->algorithm != VG_RTSP_DIGEST_MD5)
    g_string_append_printf (out, ", algorithm=%s", algorithm_names[challenge->algorithm]);
  if (challenge->qop_auth || sess)
    {
      g_string_append (out, ", ");
      append_quoted (out, "cnonce", cnonce);
    }
  if (challenge->opaque != NULL)
    {
      g_string_append (out, ", ");
      append_quoted (out, "opaque", challenge->opaque);
    }
  if (challenge->qop_auth)
    g_string_append_printf (out, ", qop=auth, nc=%s", nc);
  if (challenge->userhash)
    g_string_append (out, ", userhash=false");
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------ */
/* Transport */

void
vg_rtsp_transport_init (VgRtspTransport *t)
{
  g_return_if_fail (t != NULL);
  memset (t, 0, sizeof *t);
  g_strlcpy (t->profile, "RTP/AVP", sizeof t->profile);
  t->lower = VG_RTSP_LOWER_UDP;
  t->interleaved[0] = t->interleaved[1] = -1;
  t->client_port[0] = t->client_port[1] = -1;
  t->server_port[0] = t->server_port[1] = -1;
  t->port[0] = t->port[1] = -1;
  t->ttl = -1;
}

static gboolean
parse_uint (const char *s, const char *end, guint max, guint *value)
{
  guint64 v = 0;

  if (s == end)
    return FALSE;
  for (; s < end; s++)
    {
      if (!g_ascii_isdigit (*s))
        return FALSE;
      v = v * 10 + (*s - '0');
      if (v > max)
        return FALSE;
    }
  *value = (guint) v;
  return TRUE;
}

static gboolean
parse_pair (const char *s, const char *end, guint max, gint pair[2])
{
  const char *dash = memchr (s, '-', end - s);
  guint a, b;

  if (dash == NULL)
    {
      if (!parse_uint (s, end, max, &a))
        return FALSE;
      pair[0] = a;
      pair[1] = a < max ? (gint) a + 1 : (gint) a;
      return TRUE;
    }
  if (!parse_uint (s, dash, max, &a) || !parse_uint (dash + 1, end, max, &b))
    return FALSE;
  pair[0] = a;
  pair[1] = b;
  return TRUE;
}

static gboolean
copy_address (char *dest, const char *s, const char *end)
{
  gsize n;

  if (end > s && *s == '"' && end[-1] == '"' && end - s >= 2)
    {
      s++;
      end--;
    }
  n = end - s;
  if (n == 0 || n >= VG_RTSP_ADDRESS_LEN)
    return FALSE;
  memcpy (dest, s, n);
  dest[n] = '\0';
  return !has_ctl_or_space (dest);
}

gboolean
vg_rtsp_transport_parse (const char *value, VgRtspTransport *t)
{
  const char *p, *spec_end;
  gboolean first = TRUE;

  g_return_val_if_fail (t != NULL, FALSE);
  vg_rtsp_transport_init (t);
  if (value == NULL)
    return FALSE;

  p = skip_space (value);
  spec_end = strchr (p, ',');
  if (spec_end == NULL)
    spec_end = p + strlen (p);

  while (p < spec_end)
    {
      const char *semi = memchr (p, ';', spec_end - p);
      const char *param_end = semi ? semi : spec_end;
      const char *s = p, *e = param_end, *eq, *key_end;

      while (s < e && (*s == ' ' || *s == '\t'))
        s++;
      while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
      p = semi ? semi + 1 : spec_end;

      if (first)
        {
          /* RTP/AVP[/TCP|/UDP] */
          const char *slash1 = memchr (s, '/', e - s);
          const char *slash2 = slash1 ? memchr (slash1 + 1, '/', e - slash1 - 1) : NULL;
          const char *profile_end = slash2 ? slash2 : e;

          first = FALSE;
          if (slash1 == NULL || (gsize) (profile_end - s) >= sizeof t->profile)
            return FALSE;
          memcpy (t->profile, s, profile_end - s);
          t->profile[profile_end - s] = '\0';
          if (slash2 != NULL)
            {
              if (e - slash2 == 4 && g_ascii_strncasecmp (slash2, "/TCP", 4) == 0)
                t->lower = VG_RTSP_LOWER_TCP;
              else if (e - slash2 == 4 && g_ascii_strncasecmp (slash2, "/UDP", 4) == 0)
                t->lower = VG_RTSP_LOWER_UDP;
              else
                return FALSE;
            }
          continue;
        }
      if (s == e)
        continue;

      eq = memchr (s, '=', e - s);
      key_end = eq ? eq : e;
#define KEY(k) ((gsize) (key_end - s) == sizeof k - 1 && \
                g_ascii_strncasecmp (s, k, sizeof k - 1) == 0)
      if (eq == NULL)
        {
          if (KEY ("unicast"))
            t->multicast = FALSE;
          else if (KEY ("multicast"))
            t->multicast = TRUE;
          continue;                                     /* "append" and the like */
        }
      eq++;
      if (KEY ("interleaved"))
        {
          if (!parse_pair (eq, e, 255, t->interleaved))
            return FALSE;
          t->lower = VG_RTSP_LOWER_TCP;
        }
      else if (KEY ("client_port"))
        {
          if (!parse_pair (eq, e, 65535, t->client_port))
            return FALSE;
        }
      else if (KEY ("server_port"))
        {
          if (!parse_pair (eq, e, 65535, t->server_port))
            return FALSE;
        }
      else if (KEY ("port"))
        {
          if (!parse_pair (eq, e, 65535, t->port))
            return FALSE;
        }
      else if (KEY ("ttl"))
        {
          guint ttl;

          if (!parse_uint (eq, e, 255, &ttl))
            return FALSE;
          t->ttl = ttl;
        }
      else if (KEY ("ssrc"))
        {
          guint32 ssrc = 0;
          const char *h = eq;

          if (e - h == 0 || e - h > 8)
            return FALSE;
          for (; h < e; h++)
            {
              if (!g_ascii_isxdigit (*h))
                return FALSE;
              ssrc = (ssrc << 4) | g_ascii_xdigit_value (*h);
            }
          t->ssrc = ssrc;
          t->has_ssrc = TRUE;
        }
      else if (KEY ("destination"))
        {
          if (!copy_address (t->destination, eq, e))
            return FALSE;
        }
      else if (KEY ("source"))
        {
          if (!copy_address (t->source, eq, e))
            return FALSE;
        }
      else if (KEY ("mode"))
        {
          const char *m = eq;
          gsize n = e - m;

          if (n >= 2 && *m == '"')
            m++, n -= 2;
          t->mode_record = n == 6 && g_ascii_strncasecmp (m, "RECORD", 6) == 0;
        }
#undef KEY
    }
  return !first;
}

void
vg_rtsp_transport_build (const VgRtspTransport *t, GString *out)
{
  g_return_if_fail (t != NULL && out != NULL);

  g_string_append (out, t->profile[0] ? t->profile : "RTP/AVP");
  if (t->lower == VG_RTSP_LOWER_TCP)
    g_string_append (out, "/TCP");
  g_string_append (out, t->multicast ? ";multicast" : ";unicast");
  if (t->destination[0] && !has_ctl_or_space (t->destination) &&
      strpbrk (t->destination, ";,") == NULL)
    g_string_append_printf (out, ";destination=%s", t->destination);
  if (t->interleaved[0] >= 0)
    g_string_append_printf (out, ";interleaved=%d-%d", t->interleaved[0],
                            t->interleaved[1] >= 0 ? t->interleaved[1] : t->interleaved[0] + 1);
  if (t->client_port[0] >= 0)
    g_string_append_printf (out, ";client_port=%d-%d", t->client_port[0],
                            t->client_port[1] >= 0 ? t->client_port[1] : t->client_port[0] + 1);
  if (t->server_port[0] >= 0)
    g_string_append_printf (out, ";server_port=%d-%d", t->server_port[0],
                            t->server_port[1] >= 0 ? t->server_port[1] : t->server_port[0] + 1);
  if (t->port[0] >= 0)
    g_string_append_printf (out, ";port=%d-%d", t->port[0],
                            t->port[1] >= 0 ? t->port[1] : t->port[0] + 1);
  if (t->ttl >= 0)
    g_string_append_printf (out, ";ttl=%d", t->ttl);
  if (t->has_ssrc)
    g_string_append_printf (out, ";ssrc=%08X", t->ssrc);
  if (t->mode_record)
    g_string_append (out, ";mode=\"RECORD\"");
}

/* ------------------------------------------------------------------------------ */
/* Session, RTP-Info, control URLs */

char *
vg_rtsp_session_parse (const char *value, guint *timeout_s)
{
  const char *p, *id_end, *id_start;
  char *id;

  if (timeout_s)
    *timeout_s = 60;
  if (value == NULL)
    return NULL;

  id_start = skip_space (value);
  id_end = strchr (id_start, ';');
  if (id_end == NULL)
    id_end = id_start + strlen (id_start);
  p = id_end;
  while (id_end > id_start && (id_end[-1] == ' ' || id_end[-1] == '\t'))
    id_end--;
  if (id_end == id_start)
    return NULL;
  id = g_strndup (id_start, id_end - id_start);
  if (has_ctl_or_space (id))
    {
      g_free (id);
      return NULL;
    }

  while (*p == ';')
    {
      const char *s = skip_space (p + 1);
      const char *e = strchr (s, ';');

      if (e == NULL)
        e = s + strlen (s);
      if (g_ascii_strncasecmp (s, "timeout", 7) == 0)
        {
          const char *v = skip_space (s + 7);
          const char *ve = e;
          guint t;

          while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
          if (*v == '=')
            {
              v = skip_space (v + 1);
              if (parse_uint (v, ve, 86400, &t) && t > 0 && timeout_s)
                *timeout_s = t;
            }
        }
      p = e;
    }
  return id;
}

static void
rtp_info_clear (gpointer data)
{
  VgRtspRtpInfo *info = data;

  g_clear_pointer (&info->url, g_free);
}

/* Position of ";seq=" or ";rtptime=" in [s, e), or e. */
static const char *
rtp_info_params_start (const char *s, const char *e)
{
  for (const char *q = s; q < e; q++)
    {
      if (*q != ';')
        continue;
      {
        const char *k = skip_space (q + 1);
        if ((e - k >= 4 && g_ascii_strncasecmp (k, "seq=", 4) == 0) ||
            (e - k >= 8 && g_ascii_strncasecmp (k, "rtptime=", 8) == 0))
          return q;
      }
    }
  return e;
}

/* Start of the next ",url=" in [s, end), or end. */
static const char *
rtp_info_next_entry (const char *s, const char *end)
{
  for (const char *q = s; q < end; q++)
    {
      if (*q != ',')
        continue;
      {
        const char *k = skip_space (q + 1);
        if (end - k >= 4 && g_ascii_strncasecmp (k, "url=", 4) == 0)
          return q;
      }
    }
  return end;
}

GArray *
vg_rtsp_rtp_info_parse (const char *value)
{
  GArray *infos = g_array_new (FALSE, TRUE, sizeof (VgRtspRtpInfo));
  const char *p, *end;

  g_array_set_clear_func (infos, rtp_info_clear);
  if (value == NULL)
    return infos;

  p = value;
  end = value + strlen (value);
  while (p < end)
    {
      const char *entry_end = rtp_info_next_entry (p, end);
      const char *s = skip_space (p);
      VgRtspRtpInfo info = { 0 };

      p = entry_end < end ? entry_end + 1 : end;
      if (entry_end - s < 4 || g_ascii_strncasecmp (s, "url=", 4) != 0)
        continue;
      s += 4;
      {
        const char *params = rtp_info_params_start (s, entry_end);
        const char *ue = params;

        while (ue > s && (ue[-1] == ' ' || ue[-1] == '\t'))
          ue--;
        if (ue == s)
          continue;
        info.url = g_strndup (s, ue - s);
        while (params < entry_end)
          {
            const char *k = skip_space (params + 1);
            const char *ke = memchr (k, ';', entry_end - k);
            const char *ve;
            guint v;

            if (ke == NULL)
              ke = entry_end;
            ve = ke;
            while (ve > k && (ve[-1] == ' ' || ve[-1] == '\t'))
              ve--;
            if (ve - k > 4 && g_ascii_strncasecmp (k, "seq=", 4) == 0 &&
                parse_uint (k + 4, ve, 65535, &v))
              {
                info.has_seq = TRUE;
                info.seq = v;
              }
            else if (ve - k > 8 && g_ascii_strncasecmp (k, "rtptime=", 8) == 0 &&
                     parse_uint (k + 8, ve, G_MAXUINT32, &v))
              {
                info.has_rtptime = TRUE;
                info.rtptime = v;
              }
            params = ke;
          }
      }
      g_array_append_val (infos, info);
    }
  return infos;
}

/* The part of a URL after scheme://authority, without a trailing '/'. */
static void
url_path (const char *url, const char **path, gsize *len)
{
  const char *s = strstr (url, "://");
  const char *p = url;
  gsize n;

  if (s != NULL)
    {
      p = strchr (s + 3, '/');
      if (p == NULL)
        p = url + strlen (url);
    }
  n = strlen (p);
  while (n > 0 && p[n - 1] == '/')
    n--;
  *path = p;
  *len = n;
}

const VgRtspRtpInfo *
vg_rtsp_rtp_info_find (GArray *infos, const char *control_url)
{
  const char *want;
  gsize want_len;

  g_return_val_if_fail (infos != NULL, NULL);
  g_return_val_if_fail (control_url != NULL, NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      const VgRtspRtpInfo *info = &g_array_index (infos, VgRtspRtpInfo, i);
      if (g_str_equal (info->url, control_url))
        return info;
    }
  url_path (control_url, &want, &want_len);
  for (guint i = 0; i < infos->len; i++)
    {
      const VgRtspRtpInfo *info = &g_array_index (infos, VgRtspRtpInfo, i);
      const char *have;
      gsize have_len;

      url_path (info->url, &have, &have_len);
      if (have_len == want_len && memcmp (have, want, want_len) == 0)
        return info;
      /* A relative url in RTP-Info ("trackID=1") */
      if (strstr (info->url, "://") == NULL && have_len > 0 && want_len > have_len &&
          memcmp (want + want_len - have_len, have, have_len) == 0 &&
          want[want_len - have_len - 1] == '/')
        return info;
    }
  return NULL;
}

static gboolean
is_absolute_url (const char *url)
{
  const char *p = url;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  return g_str_has_prefix (p, "://");
}

char *
vg_rtsp_resolve_control (const char *base, const char *control)
{
  const char *c;

  g_return_val_if_fail (base != NULL, NULL);

  c = control ? skip_space (control) : "";
  if (*c == '\0' || g_str_equal (c, "*"))
    return g_strdup (base);
  if (is_absolute_url (c))
    return g_strdup (c);
  if (*c == '/')
    {
      const char *s = strstr (base, "://");
      const char *path = s ? strchr (s + 3, '/') : NULL;
      gsize authority_len = path ? (gsize) (path - base) : strlen (base);

      if (s == NULL)
        return g_strdup (c);
      return g_strdup_printf ("%.*s%s", (int) authority_len, base, c);
    }
  if (g_str_has_suffix (base, "/"))
    return g_strconcat (base, c, NULL);
  return g_strconcat (base, "/", c, NULL);
}

char *
vg_rtsp_message_get_base_url (const VgRtspMessage *msg, const char *request_url)
{
  const char *base;

  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (request_url != NULL, NULL);

  base = vg_rtsp_message_get_header (msg, "Content-Base");
  if (base == NULL || *base == '\0')
    base = vg_rtsp_message_get_header (msg, "Content-Location");
  if (base == NULL || *base == '\0')
    return g_strdup (request_url);
  if (is_absolute_url (base))
    return g_strdup (base);
  return vg_rtsp_resolve_control (request_url, base);
}
