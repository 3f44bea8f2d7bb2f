/* vg-rtsp-message.h: RTSP 1.0 requests and responses, without I/O
 *
 * What an RTSP client needs from the bytes on the wire: requests built into a GString;
 * an incremental parser for the byte stream coming back from the camera, where RTSP
 * responses (and the odd request from the server) are mixed with `$`-framed
 * interleaved RTP/RTCP packets; and the headers that carry structure (WWW-Authenticate
 * and Authorization, Transport, Session, RTP-Info, Content-Base). Everything here is
 * synchronous and keeps no global state: one thread may drive many cameras, each with
 * its own VgRtspParser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits of what a camera may send in one message. */
#define VG_RTSP_MAX_HEADER_BYTES  (64 * 1024)
#define VG_RTSP_MAX_BODY_BYTES    (1024 * 1024)
#define VG_RTSP_MAX_HEADERS       96

/* ------------------------------------------------------------------------------ */
/* Requests */

/* "METHOD url RTSP/1.0\r\nCSeq: n\r\n". FALSE (and nothing appended) when method or
 * url hold a space, CR or LF. */
gboolean vg_rtsp_request_begin      (GString *out, const char *method, const char *url,
                                     guint cseq);
/* "Name: value\r\n". FALSE (and nothing appended) when the name is not a token or the
 * value holds CR or LF: a value echoed from a camera cannot inject a header. */
gboolean vg_rtsp_request_add_header (GString *out, const char *name, const char *value);
/* Content-Type and Content-Length when body_len > 0, the blank line, the body. */
void     vg_rtsp_request_end        (GString *out, const char *content_type,
                                     const guint8 *body, gsize body_len);

/* RTSP over HTTP (the QuickTime tunnel): the GET that carries the server's replies
 * and the POST whose body carries our base64-encoded requests. authorization may be
 * NULL. */
gboolean vg_rtsp_tunnel_request     (GString *out, const char *method, const char *path,
                                     const char *host, const char *session_cookie,
                                     const char *authorization);

typedef enum {
  VG_RTSP_TUNNEL_REPLY_INCOMPLETE,  /* more bytes needed */
  VG_RTSP_TUNNEL_REPLY_ACCEPTED,    /* "HTTP/1.x 2xx": the RTSP stream follows the head */
  VG_RTSP_TUNNEL_REPLY_REFUSED,     /* another status */
  VG_RTSP_TUNNEL_REPLY_INVALID,     /* not HTTP, or a head over 8 KiB */
} VgRtspTunnelReply;

/* Looks at the first bytes of the tunnel's GET connection: when the head is complete,
 * *head_len (with its blank line) and *status (0 when INVALID). */
VgRtspTunnelReply vg_rtsp_tunnel_reply_check (const guint8 *data, gsize len, gsize *head_len,
                                              guint *status);

/* ------------------------------------------------------------------------------ */
/* Parser */

typedef struct
{
  const char *name;
  const char *value;    /* trimmed; folded lines joined with spaces */
} VgRtspHeader;

/**
 * VgRtspMessage:
 *
 * A response (or, rarely, a request the server sends us, such as ANNOUNCE or
 * GET_PARAMETER). Every pointer points into the parser's buffer and stays valid until
 * the next vg_rtsp_parser_feed(), vg_rtsp_parser_get_space() or vg_rtsp_parser_reset().
 */
typedef struct
{
  gboolean             is_request;
  gboolean             is_http;       /* "HTTP/1.x" status line (the tunnel's GET reply) */
  guint                status;        /* responses: 100..999 */
  const char          *reason;        /* responses; may be "" */
  const char          *method;        /* requests */
  const char          *uri;           /* requests */
  const VgRtspHeader  *headers;
  guint                n_headers;
  const guint8        *body;          /* NULL when there is none */
  gsize                body_len;
} VgRtspMessage;

/* First header of that name, compared without case; NULL when absent. */
const char *vg_rtsp_message_get_header (const VgRtspMessage *msg, const char *name);
/* CSeq, or -1 when absent or not a number. */
gint64      vg_rtsp_message_get_cseq   (const VgRtspMessage *msg);

typedef enum {
  VG_RTSP_EVENT_NONE,          /* need more bytes */
  VG_RTSP_EVENT_MESSAGE,       /* event->message */
  VG_RTSP_EVENT_INTERLEAVED,   /* event->channel, data, len */
  VG_RTSP_EVENT_ERROR,         /* the stream cannot be parsed further: reconnect */
} VgRtspEventType;

typedef struct
{
  VgRtspEventType  type;
  VgRtspMessage    message;
  guint            channel;
  const guint8    *data;       /* points into the parser's buffer; no copy */
  gsize            len;
} VgRtspEvent;

typedef struct _VgRtspParser VgRtspParser;

VgRtspParser   *vg_rtsp_parser_new        (void);
void            vg_rtsp_parser_free       (VgRtspParser *parser);
void            vg_rtsp_parser_reset      (VgRtspParser *parser);

/* Copies len bytes in. Invalidates the pointers of earlier events. */
void            vg_rtsp_parser_feed       (VgRtspParser *parser, const guint8 *data, gsize len);
/* Zero-copy alternative for a reader: room for at least min_len bytes at the end of
 * the buffer (*available says how much there is); write into it, then commit what
 * was written. Invalidates the pointers of earlier events. */
guint8         *vg_rtsp_parser_get_space  (VgRtspParser *parser, gsize min_len,
                                           gsize *available);
void            vg_rtsp_parser_commit     (VgRtspParser *parser, gsize len);

/* The next complete event, or NONE when more bytes are needed. Call it until NONE
 * (or ERROR, which then repeats until vg_rtsp_parser_reset()). */
VgRtspEventType vg_rtsp_parser_next       (VgRtspParser *parser, VgRtspEvent *event);
const char     *vg_rtsp_parser_get_error  (VgRtspParser *parser);
/* Bytes buffered and not yet returned as events. */
gsize           vg_rtsp_parser_get_pending (VgRtspParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgRtspParser, vg_rtsp_parser_free)

/* ------------------------------------------------------------------------------ */
/* Authentication */

typedef enum {
  VG_RTSP_AUTH_NONE,
  VG_RTSP_AUTH_BASIC,
  VG_RTSP_AUTH_DIGEST,
} VgRtspAuthScheme;

typedef enum {
  VG_RTSP_DIGEST_MD5,
  VG_RTSP_DIGEST_MD5_SESS,
  VG_RTSP_DIGEST_SHA256,
  VG_RTSP_DIGEST_SHA256_SESS,
} VgRtspDigestAlgorithm;

/**
 * VgRtspAuthChallenge:
 *
 * The strongest challenge we can answer among those the camera offered (Digest
 * SHA-256, then Digest MD5, then Basic), and the nonce count of our answers to it.
 * Zero-initialise, clear with vg_rtsp_auth_challenge_clear().
 */
typedef struct
{
  VgRtspAuthScheme       scheme;
  VgRtspDigestAlgorithm  algorithm;
  gboolean               qop_auth;    /* the server offered qop="auth" */
  gboolean               stale;       /* the nonce expired; same credentials again */
  gboolean               userhash;    /* asked for; we answer userhash=false */
  char                  *realm;
  char                  *nonce;
  char                  *opaque;
  guint32                nc;          /* answers sent with this nonce */
} VgRtspAuthChallenge;

void     vg_rtsp_auth_challenge_clear (VgRtspAuthChallenge *challenge);
/* Reads one WWW-Authenticate value (which may hold several challenges) and keeps in
 * *challenge the strongest answerable one so far; call it for every WWW-Authenticate
 * header of a 401. TRUE when this value held an answerable challenge. */
gboolean vg_rtsp_auth_challenge_parse (VgRtspAuthChallenge *challenge, const char *value);
/* The Authorization value for this request ("Basic …" or "Digest …"); bumps the nonce
 * count. cnonce NULL picks a random one. NULL when challenge->scheme is NONE. */
char    *vg_rtsp_auth_build           (VgRtspAuthChallenge *challenge, const char *user,
                                       const char *password, const char *method,
                                       const char *uri, const char *cnonce);

/* ------------------------------------------------------------------------------ */
/* Transport */

typedef enum {
  VG_RTSP_LOWER_UDP,
  VG_RTSP_LOWER_TCP,
} VgRtspLowerTransport;

#define VG_RTSP_ADDRESS_LEN 64

/**
 * VgRtspTransport:
 *
 * One transport specification. Pairs are -1 when absent; a single number "a" reads as
 * "a-(a+1)" for ports and interleaved channels, as RFC 2326 says.
 */
typedef struct
{
  char                  profile[16];     /* "RTP/AVP", "RTP/SAVP", … */
  VgRtspLowerTransport  lower;
  gboolean              multicast;
  gint                  interleaved[2];
  gint                  client_port[2];
  gint                  server_port[2];
  gint                  port[2];         /* multicast */
  gint                  ttl;             /* -1 when absent */
  gboolean              has_ssrc;
  guint32               ssrc;
  char                  destination[VG_RTSP_ADDRESS_LEN];   /* "" when absent */
  char                  source[VG_RTSP_ADDRESS_LEN];
  gboolean              mode_record;     /* mode="RECORD" (we only PLAY) */
} VgRtspTransport;

void     vg_rtsp_transport_init  (VgRtspTransport *transport);
/* Parses the first transport of a Transport value (a server answers with one). */
gboolean vg_rtsp_transport_parse (const char *value, VgRtspTransport *transport);
/* Appends the transport specification (what a client sends in SETUP). */
void     vg_rtsp_transport_build (const VgRtspTransport *transport, GString *out);

/* ------------------------------------------------------------------------------ */
/* Session, RTP-Info, control URLs */

/* "id[;timeout=N]": the id (newly allocated) and the timeout in seconds (60 when
 * absent, as RFC 2326 says). NULL when the value holds no id. */
char      *vg_rtsp_session_parse   (const char *value, guint *timeout_s);

typedef struct
{
  char     *url;
  gboolean  has_seq;
  guint16   seq;
  gboolean  has_rtptime;
  guint32   rtptime;
} VgRtspRtpInfo;

/* Array of VgRtspRtpInfo (with a clear function for the urls); entries without url
 * are skipped. Never NULL. */
GArray    *vg_rtsp_rtp_info_parse  (const char *value);
/* The entry for a track's control URL: the same URL, or failing that the one whose
 * path ends the same way (cameras often answer with another host name). */
const VgRtspRtpInfo *vg_rtsp_rtp_info_find (GArray *infos, const char *control_url);

/* Base URL for the controls of a DESCRIBE response: Content-Base, else
 * Content-Location, else the request URL. */
char      *vg_rtsp_message_get_base_url (const VgRtspMessage *msg, const char *request_url);
/* A media's control URL: control absent or "*" gives base; an absolute URL is kept; a
 * path starting with "/" replaces base's path; anything else is appended to base with
 * one "/" between (what cameras expect, and what ffmpeg and GStreamer do). */
char      *vg_rtsp_resolve_control (const char *base, const char *control);

G_END_DECLS
