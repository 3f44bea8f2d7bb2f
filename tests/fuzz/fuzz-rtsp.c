/* fuzz-rtsp.c: the RTSP response parser fed a hostile byte stream in arbitrary
 * chunks, and every header parser on what it returns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-rtsp-message.h"
#include "vg-rtp.h"
#include "vg-sdp.h"

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_headers (const VgRtspMessage *msg)
{
  const char *value;
  g_autofree char *base = NULL;

  for (guint i = 0; i < msg->n_headers; i++)
    {
      g_assert (msg->headers[i].name != NULL && msg->headers[i].value != NULL);
      g_assert (vg_rtsp_message_get_header (msg, msg->headers[i].name) != NULL);
    }
  vg_rtsp_message_get_cseq (msg);

  base = vg_rtsp_message_get_base_url (msg, "rtsp://camera.example:554/stream1");
  g_free (vg_rtsp_resolve_control (base, "trackID=1"));
  g_free (vg_rtsp_resolve_control (base, vg_rtsp_message_get_header (msg, "Location")));

  for (guint i = 0; i < msg->n_headers; i++)
    if (g_ascii_strcasecmp (msg->headers[i].name, "WWW-Authenticate") == 0)
      {
        VgRtspAuthChallenge challenge = { 0 };

        if (vg_rtsp_auth_challenge_parse (&challenge, msg->headers[i].value))
          {
            g_autofree char *a = vg_rtsp_auth_build (&challenge, "user", "pass", "DESCRIBE",
                                                     base, "0a4f113b");
            g_assert (a != NULL);
          }
        vg_rtsp_auth_challenge_clear (&challenge);
      }

  if ((value = vg_rtsp_message_get_header (msg, "Transport")) != NULL)
    {
      VgRtspTransport t, again;
      g_autoptr(GString) out = g_string_new (NULL);

      if (vg_rtsp_transport_parse (value, &t))
        {
          vg_rtsp_transport_build (&t, out);
          g_assert (vg_rtsp_transport_parse (out->str, &again));
          g_assert_cmpint (again.lower, ==, t.lower);
          g_assert_cmpint (again.interleaved[0], ==, t.interleaved[0]);
          g_assert_cmpint (again.client_port[0], ==, t.client_port[0]);
        }
    }
  if ((value = vg_rtsp_message_get_header (msg, "Session")) != NULL)
    {
      guint timeout;

      g_free (vg_rtsp_session_parse (value, &timeout));
      g_assert (timeout > 0);
    }
  if ((value = vg_rtsp_message_get_header (msg, "RTP-Info")) != NULL)
    {
      g_autoptr(GArray) infos = vg_rtsp_rtp_info_parse (value);
      g_autofree char *control = vg_rtsp_resolve_control (base, "stream=0");
      vg_rtsp_rtp_info_find (infos, control);
    }
  if (msg->body_len > 0)
    {
      g_autoptr(VgSdp) sdp = vg_sdp_parse ((const char *) msg->body, msg->body_len, NULL);

      for (guint i = 0; sdp && i < sdp->n_media; i++)
        vg_track_info_free (vg_sdp_media_to_track_info (&sdp->media[i], i));
    }
}

static void
drain (VgRtspParser *parser, const guint8 *lo, const guint8 *hi, gboolean *failed)
{
  VgRtspEvent event;

  for (;;)
    switch (vg_rtsp_parser_next (parser, &event))
      {
      case VG_RTSP_EVENT_NONE:
        return;
      case VG_RTSP_EVENT_ERROR:
        g_assert (vg_rtsp_parser_get_error (parser) != NULL);
        *failed = TRUE;
        return;
      case VG_RTSP_EVENT_INTERLEAVED:
        {
          VgRtpPacket packet;
          VgRtcpInfo info;

          g_assert (event.len <= 65535);
          if (event.len > 0)
            g_assert (event.data >= lo && event.data + event.len <= hi);
          vg_rtp_packet_parse (&packet, event.data, event.len);
          vg_rtcp_parse (event.data, event.len, &info);
        }
        break;
      case VG_RTSP_EVENT_MESSAGE:
        g_assert (event.message.is_request || event.message.status >= 100);
        if (event.message.body_len > 0)
          g_assert (event.message.body >= lo &&
                    event.message.body + event.message.body_len <= hi);
        check_headers (&event.message);
        break;
      default:
        g_assert_not_reached ();
      }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(VgRtspParser) parser = vg_rtsp_parser_new ();
  guint32 seed = size > 0 ? data[0] * 2654435761u + (guint32) size : 1;
  gboolean failed = FALSE;
  gsize off = 0;
  guint round = 0;
  gsize head_len = 0;
  guint status = 0;

  /* The same bytes as the answer on the HTTP tunnel's GET connection. */
  switch (vg_rtsp_tunnel_reply_check (data, size, &head_len, &status))
    {
    case VG_RTSP_TUNNEL_REPLY_ACCEPTED:
    case VG_RTSP_TUNNEL_REPLY_REFUSED:
      g_assert (head_len >= 16 && head_len <= size && status >= 100 && status <= 999);
      break;
    case VG_RTSP_TUNNEL_REPLY_INCOMPLETE:
    case VG_RTSP_TUNNEL_REPLY_INVALID:
    default:
      g_assert (head_len == 0);
      break;
    }

  /* The stream, cut in chunks of pseudo-random sizes (1 to ~1500 bytes), fed
   * alternately by copy and through the zero-copy space. */
  while (off < size && !failed)
    {
      gsize chunk;
      const guint8 *lo, *hi;

      seed = seed * 1103515245u + 12345u;
      chunk = (seed >> 16) % ((seed & 0x100) ? 7 : 1500) + 1;
      chunk = MIN (chunk, size - off);
      if (round++ % 2 == 0)
        vg_rtsp_parser_feed (parser, data + off, chunk);
      else
        {
          gsize available;
          guint8 *space = vg_rtsp_parser_get_space (parser, chunk, &available);

          g_assert (available >= chunk);
          memcpy (space, data + off, chunk);
          vg_rtsp_parser_commit (parser, chunk);
        }
      off += chunk;
      {
        gsize available;
        /* The buffer holds everything pending; the events point into it. */
        lo = vg_rtsp_parser_get_space (parser, 0, &available) -
             vg_rtsp_parser_get_pending (parser);
        hi = lo + vg_rtsp_parser_get_pending (parser);
      }
      drain (parser, lo, hi, &failed);
    }

  /* The header parsers straight on the input */
  if (size < 4096)
    {
      g_autofree char *text = g_strndup ((const char *) data, size);
      VgRtspAuthChallenge challenge = { 0 };
      VgRtspTransport t;
      guint timeout;
      g_autoptr(GArray) infos = vg_rtsp_rtp_info_parse (text);

      g_free (vg_rtsp_session_parse (text, &timeout));
      g_free (vg_rtsp_resolve_control ("rtsp://h/a/b", text));
      g_free (vg_rtsp_resolve_control (text, "trackID=1"));

      if (vg_rtsp_auth_challenge_parse (&challenge, text))
        g_free (vg_rtsp_auth_build (&challenge, "u", "p", "PLAY", "rtsp://h/a", NULL));
      vg_rtsp_auth_challenge_clear (&challenge);
      vg_rtsp_transport_parse (text, &t);
      vg_rtsp_rtp_info_find (infos, "rtsp://h/a/trackID=1");
    }
  return 0;
}
