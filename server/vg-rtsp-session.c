/* vg-rtsp-session.c: one camera stream pulled over RTSP, as a state machine run by VgIngest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-rtsp-session.h"
#include "vg-rtsp-channel.h"
#include "vg-depay.h"
#include "vg-rtp.h"
#include "vg-rtsp-message.h"
#include "vg-sdp.h"
#include "vg-source-link.h"
#include "vg-stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_TRACKS 4
#define READ_CHUNK (64 * 1024)
#define MAX_READ_PER_WAKE (4 * 1024 * 1024)
#define RR_INTERVAL_US (5 * G_USEC_PER_SEC)
#define USER_AGENT "vigie-node/" PACKAGE_VERSION

typedef enum {
  PHASE_IDLE,        /* no connection; deadline = next attempt */
  PHASE_DESCRIBE,    /* (connecting, then) DESCRIBE */
  PHASE_SETUP,
  PHASE_PLAY,
  PHASE_STREAMING,
} Phase;

typedef struct
{
  VgSdpMedia  *media;      /* borrowed from sdp */
  char        *control;    /* absolute control URL */
  VgDepay     *depay;
  VgRtpClock   clock;
  gint         rtp_channel;   /* interleaved channels (TCP), -1 otherwise */
  gint         rtcp_channel;
  int          rtp_fd;        /* UDP and multicast sockets, -1 otherwise */
  int          rtcp_fd;
  struct sockaddr_storage rtcp_peer;   /* where our UDP receiver reports go */
  socklen_t    rtcp_peer_len;          /* 0: none */
  guint        config_serial;
} Track;

struct _VgRtspSession
{
  /* configuration */
  char               *url;          /* without credentials */
  char               *user;
  char               *password;
  char               *host;
  int                 port;
  char               *path;          /* with its query: the HTTP tunnel's requests */
  VgSourceLink        link;          /* state, statistics, retries */
  VgSourceCallbacks   callbacks;
  gpointer            user_data;

  /* connection */
  Phase               phase;
  VgRtspChannel      *channel;      /* TCP or the HTTP tunnel; NULL when closed */
  GString            *out;          /* a message being built, then handed to the channel */
  VgRtspParser       *parser;
  guint               cseq;
  guint               pending_cseq; /* the request we wait an answer for */
  char               *pending_method;
  gboolean            auth_tried;
  VgRtspAuthChallenge challenge;
  char               *session_id;
  guint               session_timeout_s;
  gboolean            keepalive_options; /* GET_PARAMETER refused: use OPTIONS */
  VgSdp              *sdp;
  char               *base_url;
  Track               tracks[MAX_TRACKS];
  guint               n_tracks;
  guint               setup_index;
  guint               fd_serial;     /* bumped when the UDP sockets change */

  /* timers (monotonic µs) */
  gint64              answer_deadline;
  gint64              next_keepalive;
  gint64              next_rr;
};

static void fail (VgRtspSession *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
static void update_loss (VgRtspSession *self);

/* Status */

static void
set_state (VgRtspSession *self, VgSourceState state, const char *error)
{
  vg_source_link_set_state (&self->link, state, error);
}

gboolean
vg_rtsp_session_take_state_change (VgRtspSession *self, VgSourceState *state, char **error)
{
  return vg_source_link_take_state_change (&self->link, state, error);
}

gboolean
vg_rtsp_session_take_notice (VgRtspSession *self, char **kind, char **message)
{
  return vg_source_link_take_notice (&self->link, kind, message);
}

void
vg_rtsp_session_get_status (VgRtspSession *self, VgSourceStatus *status)
{
  vg_source_link_get_status (&self->link, status);
}

/* Life */

VgRtspSession *
vg_rtsp_session_new (const char *url, const VgSourceOptions *options,
                     const VgSourceCallbacks *callbacks, gpointer user_data)
{
  VgRtspSession *self = g_new0 (VgRtspSession, 1);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH |
                                     G_URI_FLAGS_ENCODED_QUERY, NULL);

  vg_source_link_init (&self->link, options);
  self->out = g_string_new (NULL);
  self->parser = vg_rtsp_parser_new ();
  self->callbacks = *callbacks;
  self->user_data = user_data;

  if (uri && g_uri_get_host (uri) && g_ascii_strcasecmp (g_uri_get_scheme (uri), "rtsp") == 0)
    {
      self->host = g_strdup (g_uri_get_host (uri));
      self->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 554;
      self->user = g_uri_unescape_string (g_uri_get_user (uri) ? g_uri_get_user (uri) : "", NULL);
      self->password = g_uri_unescape_string (g_uri_get_password (uri) ? g_uri_get_password (uri) : "", NULL);
      self->url = g_uri_join (G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY, "rtsp", NULL,
                              self->host, g_uri_get_port (uri), g_uri_get_path (uri),
                              g_uri_get_query (uri), NULL);
      self->path = g_uri_get_query (uri)
                   ? g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri))
                   : g_strdup (g_uri_get_path (uri));
    }
  return self;
}

static void
close_udp (Track *track)
{
  if (track->rtp_fd >= 0)
    close (track->rtp_fd);
  if (track->rtcp_fd >= 0)
    close (track->rtcp_fd);
  track->rtp_fd = track->rtcp_fd = -1;
}

static void
clear_tracks (VgRtspSession *self)
{
  for (guint i = 0; i < self->n_tracks; i++)
    {
      if (self->tracks[i].rtp_fd >= 0 || self->tracks[i].rtcp_fd >= 0)
        self->fd_serial++;
      close_udp (&self->tracks[i]);
      g_free (self->tracks[i].control);
      g_clear_pointer (&self->tracks[i].depay, vg_depay_free);
    }
  memset (self->tracks, 0, sizeof self->tracks);
  self->n_tracks = 0;
}

static void
close_connection (VgRtspSession *self)
{
  g_clear_pointer (&self->channel, vg_rtsp_channel_free);
  g_string_truncate (self->out, 0);
  vg_rtsp_parser_reset (self->parser);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->pending_method, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->sdp, vg_sdp_free);
  vg_rtsp_auth_challenge_clear (&self->challenge);
  self->auth_tried = FALSE;
  clear_tracks (self);
}

void
vg_rtsp_session_free (VgRtspSession *self)
{
  if (self == NULL)
    return;
  close_connection (self);
  g_string_free (self->out, TRUE);
  vg_rtsp_parser_free (self->parser);
  g_free (self->url);
  g_free (self->host);
  g_free (self->path);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->user);
  g_free (self->password);
  vg_source_link_clear (&self->link);
  g_free (self);
}

int
vg_rtsp_session_get_fd (VgRtspSession *self)
{
  return self->channel ? vg_rtsp_channel_get_fd (self->channel) : -1;
}

gboolean
vg_rtsp_session_wants_write (VgRtspSession *self)
{
  return self->channel && vg_rtsp_channel_wants_write (self->channel);
}

int
vg_rtsp_session_get_write_fd (VgRtspSession *self, gboolean *wants_write)
{
  *wants_write = FALSE;
  return self->channel ? vg_rtsp_channel_get_write_fd (self->channel, wants_write) : -1;
}

/* What was built in out goes to the camera (queued in the channel). */
static void
queue_out (VgRtspSession *self)
{
  if (self->channel && self->out->len > 0)
    vg_rtsp_channel_send (self->channel, self->out->str, self->out->len);
  g_string_truncate (self->out, 0);
}

gint64
vg_rtsp_session_get_deadline (VgRtspSession *self)
{
  switch (self->phase)
    {
    case PHASE_IDLE:
      return self->link.retry_at;
    case PHASE_STREAMING:
      return MIN (MIN (self->next_keepalive, self->next_rr),
                  self->link.last_data + self->link.options.watchdog_s * G_USEC_PER_SEC);
    case PHASE_DESCRIBE:
    case PHASE_SETUP:
    case PHASE_PLAY:
    default:
      return self->answer_deadline;
    }
}

/* Failure: close, tell, and come back later */

static void
fail (VgRtspSession *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  gint64 now = g_get_monotonic_time ();
  gboolean was_streaming = self->phase == PHASE_STREAMING;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  close_connection (self);
  self->phase = PHASE_IDLE;
  vg_source_link_lost (&self->link, was_streaming, message, now);
  g_debug ("%s: %s; next attempt in %.1f s", self->url ? self->url : "?", message,
           (self->link.retry_at - now) / 1e6);
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}

/* Requests */

static void
send_request (VgRtspSession *self, const char *method, const char *url, const char *extra_name,
              const char *extra_value, gint64 now)
{
  g_autofree char *authorization = NULL;

  self->cseq++;
  vg_rtsp_request_begin (self->out, method, url, self->cseq);
  vg_rtsp_request_add_header (self->out, "User-Agent", USER_AGENT);
  if (self->challenge.scheme != VG_RTSP_AUTH_NONE)
    {
      authorization = vg_rtsp_auth_build (&self->challenge, self->user, self->password, method, url, NULL);
      if (authorization)
        vg_rtsp_request_add_header (self->out, "Authorization", authorization);
    }
  if (self->session_id)
    vg_rtsp_request_add_header (self->out, "Session", self->session_id);
  if (extra_name)
    vg_rtsp_request_add_header (self->out, extra_name, extra_value);
  vg_rtsp_request_end (self->out, NULL, NULL, 0);
  queue_out (self);

  self->pending_cseq = self->cseq;
  g_free (self->pending_method);
  self->pending_method = g_strdup (method);
  self->answer_deadline = now + self->link.options.timeout_s * G_USEC_PER_SEC;
}

static void
send_describe (VgRtspSession *self, gint64 now)
{
  self->phase = PHASE_DESCRIBE;
  send_request (self, "DESCRIBE", self->url, "Accept", "application/sdp", now);
}

/* A non-blocking UDP socket bound to port (0: any); its port, or -1. */
static int
udp_socket (guint16 port, gboolean reuse, int *bound_port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port),
                                 .sin_addr.s_addr = htonl (INADDR_ANY) };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1, rcvbuf = 1024 * 1024;

  if (fd < 0)
    return -1;
  if (reuse)
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      getsockname (fd, (struct sockaddr *) &address, &length) != 0)
    {
      close (fd);
      return -1;
    }
  if (bound_port)
    *bound_port = ntohs (address.sin_port);
  return fd;
}

/* An even port for RTP and the next one for RTCP, as RFC 3550 asks. */
static gboolean
open_udp_pair (Track *track, int *rtp_port)
{
  for (int attempt = 0; attempt < 20; attempt++)
    {
      int port = 0;
      int fd = udp_socket (0, FALSE, &port);

      if (fd < 0)
        return FALSE;
      if (port % 2 != 0)
        {
          close (fd);
          continue;
        }
      track->rtcp_fd = udp_socket ((guint16) (port + 1), FALSE, NULL);
      if (track->rtcp_fd < 0)
        {
          close (fd);
          continue;
        }
      track->rtp_fd = fd;
      *rtp_port = port;
      return TRUE;
    }
  return FALSE;
}

static void
send_setup (VgRtspSession *self, gint64 now)
{
  Track *track = &self->tracks[self->setup_index];
  g_autofree char *transport = NULL;
  int port = 0;

  switch (self->link.options.transport)
    {
    case VG_STREAM_TRANSPORT_UDP:
      close_udp (track);
      if (!open_udp_pair (track, &port))
        {
          fail (self, "cannot open UDP ports for RTP");
          return;
        }
      self->fd_serial++;
      transport = g_strdup_printf ("RTP/AVP;unicast;client_port=%d-%d", port, port + 1);
      break;
    case VG_STREAM_TRANSPORT_MULTICAST:
      transport = g_strdup ("RTP/AVP;multicast");
      break;
    case VG_STREAM_TRANSPORT_TCP:
    case VG_STREAM_TRANSPORT_HTTP:
    default:
      transport = g_strdup_printf ("RTP/AVP/TCP;unicast;interleaved=%u-%u",
                                   self->setup_index * 2, self->setup_index * 2 + 1);
      break;
    }
  self->phase = PHASE_SETUP;
  send_request (self, "SETUP", track->control, "Transport", transport, now);
}

/* Multicast: the group and ports the camera chose, joined on every interface. */
static gboolean
join_multicast (VgRtspSession *self, Track *track, const VgRtspTransport *transport)
{
  struct ip_mreq membership = { 0 };
  int ports[2] = { transport->port[0], transport->port[1] };

  if (transport->destination[0] == '\0' || ports[0] <= 0 ||
      inet_pton (AF_INET, transport->destination, &membership.imr_multiaddr) != 1)
    return FALSE;
  membership.imr_interface.s_addr = htonl (INADDR_ANY);
  track->rtp_fd = udp_socket ((guint16) ports[0], TRUE, NULL);
  track->rtcp_fd = udp_socket ((guint16) (ports[1] > 0 ? ports[1] : ports[0] + 1), TRUE, NULL);
  if (track->rtp_fd < 0 || track->rtcp_fd < 0 ||
      setsockopt (track->rtp_fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &membership, sizeof membership) != 0)
    {
      close_udp (track);
      return FALSE;
    }
  setsockopt (track->rtcp_fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &membership, sizeof membership);
  self->fd_serial++;
  return TRUE;
}

static void
send_play (VgRtspSession *self, gint64 now)
{
  const char *url = self->sdp->control && !g_str_equal (self->sdp->control, "*")
                    ? NULL : self->base_url;
  g_autofree char *aggregate = self->sdp->control && !g_str_equal (self->sdp->control, "*")
                               ? vg_rtsp_resolve_control (self->base_url, self->sdp->control) : NULL;

  self->phase = PHASE_PLAY;
  send_request (self, "PLAY", aggregate ? aggregate : url, "Range", "npt=0.000-", now);
}

static void
send_keepalive (VgRtspSession *self, gint64 now)
{
  const char *url = self->base_url ? self->base_url : self->url;

  send_request (self, self->keepalive_options ? "OPTIONS" : "GET_PARAMETER", url, NULL, NULL, now);
  self->answer_deadline = G_MAXINT64;  /* streaming: the watchdog watches */
  self->next_keepalive = now + MAX (self->session_timeout_s / 2, 5u) * G_USEC_PER_SEC;
}

/* Receiver reports keep the camera's session alive (RFC 3550 6.3.5) and tell it how
 * reception goes: interleaved on the RTSP connection, or from our RTCP socket to the
 * camera's (UDP) or to the group (multicast). */
static void
send_receiver_reports (VgRtspSession *self, gint64 now)
{
  for (guint i = 0; i < self->n_tracks; i++)
    {
      Track *track = &self->tracks[i];
      guint8 packet[256];
      gsize len;

      if (track->rtcp_channel < 0 && (track->rtcp_fd < 0 || track->rtcp_peer_len == 0))
        continue;
      len = vg_rtcp_build_rr (packet + 4, sizeof packet - 4, 0x56494749 + i, "vigie",
                              &track->depay->stats, g_get_real_time ());
      if (len == 0)
        continue;
      if (track->rtcp_channel < 0)
        {
          (void) sendto (track->rtcp_fd, packet + 4, len, MSG_DONTWAIT,
                         (struct sockaddr *) &track->rtcp_peer, track->rtcp_peer_len);
          continue;
        }
      packet[0] = '$';
      packet[1] = (guint8) track->rtcp_channel;
      packet[2] = (guint8) (len >> 8);
      packet[3] = (guint8) len;
      g_string_append_len (self->out, (const char *) packet, (gssize) len + 4);
    }
  queue_out (self);
  self->next_rr = now + RR_INTERVAL_US;
}

/* Where the UDP receiver reports of a track go: the camera's RTCP port (server_port,
 * at the source it names or the address we connected to). FALSE when it gave none. */
static gboolean
set_rtcp_peer (VgRtspSession *self, Track *track, const VgRtspTransport *transport)
{
  struct sockaddr_storage address = { 0 };
  guint length = sizeof address;
  int port = transport->server_port[1] > 0 ? transport->server_port[1]
             : transport->server_port[0] > 0 ? transport->server_port[0] + 1 : -1;

  track->rtcp_peer_len = 0;
  if (port <= 0 || port > 65535 || !vg_rtsp_channel_get_peer (self->channel, &address, &length))
    return FALSE;
  if (address.ss_family == AF_INET)
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &address;

      if (transport->source[0] != '\0')
        inet_pton (AF_INET, transport->source, &in->sin_addr);
      in->sin_port = htons ((guint16) port);
    }
  else if (address.ss_family == AF_INET6)
    ((struct sockaddr_in6 *) &address)->sin6_port = htons ((guint16) port);
  else
    return FALSE;
  memcpy (&track->rtcp_peer, &address, length);
  track->rtcp_peer_len = length;
  return TRUE;
}

/* Multicast: receiver reports go to the group, on its RTCP port (RFC 3550 6). */
static void
set_multicast_rtcp_peer (Track *track, const VgRtspTransport *transport)
{
  struct sockaddr_in *in = (struct sockaddr_in *) &track->rtcp_peer;
  int port = transport->port[1] > 0 ? transport->port[1] : transport->port[0] + 1;
  int ttl = transport->ttl > 0 ? MIN (transport->ttl, 255) : 1;

  memset (&track->rtcp_peer, 0, sizeof track->rtcp_peer);
  track->rtcp_peer_len = 0;
  if (port <= 0 || port > 65535 || inet_pton (AF_INET, transport->destination, &in->sin_addr) != 1)
    return;
  in->sin_family = AF_INET;
  in->sin_port = htons ((guint16) port);
  setsockopt (track->rtcp_fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  track->rtcp_peer_len = sizeof *in;
}

/* Hands the tracks to the callback and keeps the video's description in the status. */
static void
describe_tracks (VgRtspSession *self, VgTrackInfo **infos, guint n)
{
  for (guint i = 0; i < n; i++)
    if (infos[i] && vg_codec_is_video (infos[i]->codec))
      vg_source_link_set_video (&self->link, infos[i]->codec, infos[i]->width, infos[i]->height);
  if (self->callbacks.tracks)
    self->callbacks.tracks (self->user_data, infos, n);
}

/* Output of the depayloaders */

static void
depay_emit_cb (VgDepay *depay, VgAccessUnit *unit, gpointer user_data)
{
  VgRtspSession *self = user_data;
  Track *track = &self->tracks[unit->track];

  /* In-band parameter sets changed: the tracks are described again first. */
  if (depay->config_serial != track->config_serial)
    {
      VgTrackInfo *infos[MAX_TRACKS];

      track->config_serial = depay->config_serial;
      for (guint i = 0; i < self->n_tracks; i++)
        {
          infos[i] = vg_depay_get_track_info (self->tracks[i].depay);
          if (infos[i] == NULL)
            infos[i] = vg_sdp_media_to_track_info (self->tracks[i].media, i);
        }
      describe_tracks (self, infos, self->n_tracks);
      for (guint i = 0; i < self->n_tracks; i++)
        vg_track_info_free (infos[i]);
    }

  vg_source_link_count_unit (&self->link, unit, g_get_monotonic_time ());
  if (self->callbacks.unit)
    self->callbacks.unit (self->user_data, unit);
  vg_access_unit_unref (unit);
}

/* Answers */

static gboolean
handle_unauthorized (VgRtspSession *self, const VgRtspMessage *msg, gint64 now)
{
  gboolean any = FALSE;

  if (self->auth_tried && !self->challenge.stale)
    return FALSE;
  vg_rtsp_auth_challenge_clear (&self->challenge);
  for (guint i = 0; i < msg->n_headers; i++)
    if (g_ascii_strcasecmp (msg->headers[i].name, "WWW-Authenticate") == 0)
      any |= vg_rtsp_auth_challenge_parse (&self->challenge, msg->headers[i].value);
  if (!any || self->user == NULL || self->user[0] == '\0')
    return FALSE;
  self->auth_tried = TRUE;
  /* The same request again, with credentials. */
  if (self->phase == PHASE_DESCRIBE)
    send_describe (self, now);
  else if (self->phase == PHASE_SETUP)
    send_setup (self, now);
  else if (self->phase == PHASE_PLAY)
    send_play (self, now);
  else
    return FALSE;
  return TRUE;
}

static gboolean
choose_tracks (VgRtspSession *self)
{
  gboolean have_video = FALSE, have_audio = FALSE;

  for (guint i = 0; i < self->sdp->n_media && self->n_tracks < MAX_TRACKS; i++)
    {
      VgSdpMedia *media = &self->sdp->media[i];
      gboolean video = vg_codec_is_video (media->codec);
      Track *track;

      if (media->codec == VG_CODEC_NONE || (video && have_video) || (!video && have_audio))
        continue;
      track = &self->tracks[self->n_tracks];
      track->media = media;
      track->control = vg_rtsp_resolve_control (self->base_url, media->control);
      track->depay = vg_depay_new_for_media (media, self->n_tracks, depay_emit_cb, self);
      if (track->depay == NULL)
        {
          g_clear_pointer (&track->control, g_free);
          continue;
        }
      vg_rtp_clock_init (&track->clock, media->clock_rate ? media->clock_rate : 90000);
      track->rtp_channel = track->rtcp_channel = -1;
      track->rtp_fd = track->rtcp_fd = -1;
      have_video |= video;
      have_audio |= !video;
      self->n_tracks++;
    }
  return self->n_tracks > 0;
}

static void
announce_tracks (VgRtspSession *self)
{
  VgTrackInfo *infos[MAX_TRACKS];

  for (guint i = 0; i < self->n_tracks; i++)
    infos[i] = vg_sdp_media_to_track_info (self->tracks[i].media, i);
  describe_tracks (self, infos, self->n_tracks);
  for (guint i = 0; i < self->n_tracks; i++)
    vg_track_info_free (infos[i]);
}

static void
handle_describe (VgRtspSession *self, const VgRtspMessage *msg, gint64 now)
{
  g_autoptr(GError) error = NULL;

  if (msg->body == NULL)
    {
      fail (self, "DESCRIBE answered without a session description");
      return;
    }
  self->sdp = vg_sdp_parse ((const char *) msg->body, msg->body_len, &error);
  if (self->sdp == NULL)
    {
      fail (self, "bad session description: %s", error->message);
      return;
    }
  self->base_url = vg_rtsp_message_get_base_url (msg, self->url);
  if (!choose_tracks (self))
    {
      fail (self, "the camera offers no stream in a format Vigie reads");
      return;
    }
  self->setup_index = 0;
  send_setup (self, now);
}

static void
handle_setup (VgRtspSession *self, const VgRtspMessage *msg, gint64 now)
{
  const char *session = vg_rtsp_message_get_header (msg, "Session");
  const char *transport_value = vg_rtsp_message_get_header (msg, "Transport");
  Track *track = &self->tracks[self->setup_index];
  VgRtspTransport transport;

  if (session && self->session_id == NULL)
    {
      self->session_id = vg_rtsp_session_parse (session, &self->session_timeout_s);
      if (self->session_id == NULL)
        {
          fail (self, "SETUP answered with a malformed Session header");
          return;
        }
    }
  vg_rtsp_transport_init (&transport);
  if (transport_value == NULL || !vg_rtsp_transport_parse (transport_value, &transport))
    {
      fail (self, "SETUP answered without a usable Transport");
      return;
    }
  switch (self->link.options.transport)
    {
    case VG_STREAM_TRANSPORT_UDP:
      if (transport.lower != VG_RTSP_LOWER_UDP || transport.multicast)
        {
          fail (self, "the camera refused RTP over UDP");
          return;
        }
      if (!set_rtcp_peer (self, track, &transport))
        g_debug ("%s: no RTCP port in the SETUP answer, no receiver reports", self->url);
      break;
    case VG_STREAM_TRANSPORT_MULTICAST:
      if (!transport.multicast || !join_multicast (self, track, &transport))
        {
          fail (self, "the camera refused multicast, or its group could not be joined");
          return;
        }
      set_multicast_rtcp_peer (track, &transport);
      break;
    case VG_STREAM_TRANSPORT_TCP:
    case VG_STREAM_TRANSPORT_HTTP:
    default:
      if (transport.lower != VG_RTSP_LOWER_TCP)
        {
          fail (self, "the camera refused RTP over TCP");
          return;
        }
      track->rtp_channel = transport.interleaved[0] >= 0 ? transport.interleaved[0] : (gint) self->setup_index * 2;
      track->rtcp_channel = transport.interleaved[1] >= 0 ? transport.interleaved[1] : track->rtp_channel + 1;
      break;
    }

  if (++self->setup_index < self->n_tracks)
    send_setup (self, now);
  else
    send_play (self, now);
}

static void
handle_play (VgRtspSession *self, const VgRtspMessage *msg, gint64 now)
{
  self->phase = PHASE_STREAMING;
  self->answer_deadline = G_MAXINT64;
  self->next_keepalive = now + MAX (self->session_timeout_s / 2, 5u) * G_USEC_PER_SEC;
  self->next_rr = now + RR_INTERVAL_US;
  announce_tracks (self);
  vg_source_link_streaming (&self->link, now);
}

static void
handle_message (VgRtspSession *self, const VgRtspMessage *msg, gint64 now)
{
  if (msg->is_request)
    {
      /* A server's request (GET_PARAMETER, ANNOUNCE…): answer it, nothing more. */
      g_autofree char *answer = g_strdup_printf ("RTSP/1.0 200 OK\r\nCSeq: %" G_GINT64_FORMAT "\r\n\r\n",
                                                 vg_rtsp_message_get_cseq (msg));
      g_string_append (self->out, answer);
      queue_out (self);
      return;
    }
  if (vg_rtsp_message_get_cseq (msg) != (gint64) self->pending_cseq)
    return;  /* an answer we no longer wait for */

  if (self->phase == PHASE_STREAMING)
    {
      /* The keep-alive's answer: an error only means the camera wants OPTIONS. */
      if (msg->status == 405 || msg->status == 501 || msg->status == 551)
        self->keepalive_options = TRUE;
      return;
    }
  if (msg->status == 401 && handle_unauthorized (self, msg, now))
    return;
  if (msg->status < 200 || msg->status >= 300)
    {
      fail (self, "%s answered %u %s", self->pending_method, msg->status, msg->reason);
      return;
    }
  switch (self->phase)
    {
    case PHASE_DESCRIBE:
      handle_describe (self, msg, now);
      break;
    case PHASE_SETUP:
      handle_setup (self, msg, now);
      break;
    case PHASE_PLAY:
      handle_play (self, msg, now);
      break;
    case PHASE_IDLE:
    case PHASE_STREAMING:
    default:
      break;
    }
}

static void
handle_rtp (Track *track, const guint8 *data, gsize len)
{
  gint64 arrival = g_get_real_time ();
  VgRtpPacket packet;

  if (!vg_rtp_packet_parse (&packet, data, len))
    {
      track->depay->bad_packets++;
      return;
    }
  vg_depay_push (track->depay, &packet, vg_rtp_clock_to_wall (&track->clock, packet.timestamp, arrival, NULL));
}

static void
handle_rtcp (VgRtspSession *self, Track *track, const guint8 *data, gsize len)
{
  gint64 arrival = g_get_real_time ();
  VgRtcpInfo info;

  if (vg_rtcp_parse (data, len, &info) && info.has_sr)
    {
      vg_rtp_clock_add_sr (&track->clock, &info.sr, arrival);
      vg_rtp_stats_got_sr (&track->depay->stats, &info.sr, arrival);
      if (vg_source_link_set_clock_offset (&self->link, vg_rtcp_clock_offset_ms (&info.sr, arrival)))
        g_debug ("%s: the camera's clock drifted", self->url);
    }
}

static void
handle_interleaved (VgRtspSession *self, guint channel, const guint8 *data, gsize len, gint64 now)
{
  for (guint i = 0; i < self->n_tracks; i++)
    {
      Track *track = &self->tracks[i];

      if ((gint) channel == track->rtp_channel)
        {
          handle_rtp (track, data, len);
          return;
        }
      if ((gint) channel == track->rtcp_channel)
        {
          handle_rtcp (self, track, data, len);
          return;
        }
    }
}

guint
vg_rtsp_session_get_extra_fds (VgRtspSession *self, int *fds, guint max, guint *serial)
{
  guint n = 0;

  for (guint i = 0; i < self->n_tracks; i++)
    {
      if (self->tracks[i].rtp_fd >= 0 && n < max)
        fds[n++] = self->tracks[i].rtp_fd;
      if (self->tracks[i].rtcp_fd >= 0 && n < max)
        fds[n++] = self->tracks[i].rtcp_fd;
    }
  *serial = self->fd_serial;
  return n;
}

void
vg_rtsp_session_readable_fd (VgRtspSession *self, int fd, gint64 now)
{
  guint8 packet[65536];

  for (guint i = 0; i < self->n_tracks; i++)
    {
      Track *track = &self->tracks[i];
      gboolean rtp = fd == track->rtp_fd;

      if (!rtp && fd != track->rtcp_fd)
        continue;
      for (;;)
        {
          gssize n = recv (fd, packet, sizeof packet, 0);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          if (self->phase != PHASE_STREAMING && self->phase != PHASE_PLAY)
            continue;
          if (rtp)
            handle_rtp (track, packet, (gsize) n);
          else
            handle_rtcp (self, track, packet, (gsize) n);
          if (self->channel == NULL)
            return;   /* failed meanwhile */
        }
      update_loss (self);
      return;
    }
}

static void
process_input (VgRtspSession *self, gint64 now)
{
  VgRtspEvent event;

  for (;;)
    {
      switch (vg_rtsp_parser_next (self->parser, &event))
        {
        case VG_RTSP_EVENT_NONE:
          return;
        case VG_RTSP_EVENT_MESSAGE:
          handle_message (self, &event.message, now);
          break;
        case VG_RTSP_EVENT_INTERLEAVED:
          if (self->phase == PHASE_STREAMING || self->phase == PHASE_PLAY)
            handle_interleaved (self, event.channel, event.data, event.len, now);
          break;
        case VG_RTSP_EVENT_ERROR:
        default:
          fail (self, "garbage from the camera: %s", vg_rtsp_parser_get_error (self->parser));
          return;
        }
      if (self->channel == NULL)
        return;  /* failed meanwhile */
    }
}

static void
update_loss (VgRtspSession *self)
{
  guint64 lost = 0;

  for (guint i = 0; i < self->n_tracks; i++)
    lost += self->tracks[i].depay->stats.lost;
  vg_source_link_set_lost_packets (&self->link, lost);
}

void
vg_rtsp_session_readable (VgRtspSession *self, gint64 now)
{
  gsize total = 0;

  while (self->channel && total < MAX_READ_PER_WAKE)
    {
      g_autoptr(GError) error = NULL;
      gsize space = 0;
      guint8 *buffer = vg_rtsp_parser_get_space (self->parser, READ_CHUNK, &space);
      gssize n = vg_rtsp_channel_read (self->channel, buffer, space, &error);

      if (n < 0)
        {
          fail (self, "%s", error->message);
          return;
        }
      if (n == 0)
        break;
      vg_rtsp_parser_commit (self->parser, (gsize) n);
      total += (gsize) n;
      process_input (self, now);
    }
  update_loss (self);
}

void
vg_rtsp_session_writable (VgRtspSession *self, gint64 now)
{
  g_autoptr(GError) error = NULL;

  if (self->channel && !vg_rtsp_channel_writable (self->channel, &error))
    fail (self, "%s", error->message);
}

static void
start_connection (VgRtspSession *self, gint64 now)
{
  g_autoptr(GError) error = NULL;

  if (self->url == NULL)
    {
      fail (self, "this URL is not captured: rtsp:// and http:// (MJPEG) are, "
                  "rtsps:// and https:// not yet");
      self->link.retry_at = G_MAXINT64;  /* nothing will fix it but a new configuration */
      return;
    }
  set_state (self, VG_SOURCE_STATE_CONNECTING, NULL);
  self->channel = vg_rtsp_channel_new (self->link.options.transport == VG_STREAM_TRANSPORT_HTTP
                                       ? VG_RTSP_CHANNEL_HTTP_TUNNEL : VG_RTSP_CHANNEL_TCP);
  if (!vg_rtsp_channel_open (self->channel, self->host, self->port, self->path, &error))
    {
      fail (self, "%s", error->message);
      return;
    }
  /* The DESCRIBE waits in the channel until it is connected. */
  send_describe (self, now);
}

void
vg_rtsp_session_timeout (VgRtspSession *self, gint64 now)
{
  switch (self->phase)
    {
    case PHASE_IDLE:
      if (now >= self->link.retry_at)
        start_connection (self, now);
      break;
    case PHASE_STREAMING:
      if (vg_source_link_watchdog_expired (&self->link, now))
        {
          fail (self, "no video for %u s", self->link.options.watchdog_s);
          break;
        }
      if (now >= self->next_rr)
        send_receiver_reports (self, now);
      if (now >= self->next_keepalive)
        send_keepalive (self, now);
      break;
    case PHASE_DESCRIBE:
    case PHASE_SETUP:
    case PHASE_PLAY:
    default:
      if (now >= self->answer_deadline)
        fail (self, self->channel && vg_rtsp_channel_is_open (self->channel)
                    ? "the camera did not answer" : "connection timed out");
      break;
    }
}

void
vg_rtsp_session_stop (VgRtspSession *self)
{
  gboolean was_streaming = self->phase == PHASE_STREAMING;

  if (self->channel && self->session_id)
    {
      send_request (self, "TEARDOWN", self->base_url ? self->base_url : self->url, NULL, NULL,
                    g_get_monotonic_time ());
      vg_rtsp_channel_flush_now (self->channel);
    }
  close_connection (self);
  self->phase = PHASE_IDLE;
  self->link.retry_at = G_MAXINT64;
  set_state (self, VG_SOURCE_STATE_STOPPED, NULL);
  if (was_streaming && self->callbacks.lost)
    self->callbacks.lost (self->user_data);
}
