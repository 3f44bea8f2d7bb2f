/* test-ingest-parsers.c: the ingest's pure parsers: RTSP messages and headers, SDP
 * and parameter sets, RTP/RTCP and the RTP clock, and the depayloaders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-depay.h"
#include "vg-depay-aac.h"
#include "vg-depay-g711.h"
#include "vg-depay-h264.h"
#include "vg-depay-h265.h"
#include "vg-depay-jpeg.h"
#include "vg-depay-mpeg4.h"
#include "vg-rtp.h"
#include "vg-rtsp-message.h"
#include "vg-sdp.h"
#include "vg-source-link.h"

#include <glib/gstdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------ */
/* Helpers */

static guint8 *
b64 (const char *text, gsize *len)
{
  return g_base64_decode (text, len);
}

static gsize
make_rtp (guint8 *out, guint16 seq, guint32 ts, gboolean marker, guint8 pt,
          const guint8 *payload, gsize len)
{
  out[0] = 0x80;
  out[1] = (marker ? 0x80 : 0) | pt;
  out[2] = seq >> 8;
  out[3] = seq & 0xff;
  out[4] = ts >> 24;
  out[5] = (ts >> 16) & 0xff;
  out[6] = (ts >> 8) & 0xff;
  out[7] = ts & 0xff;
  out[8] = 0x12;
  out[9] = 0x34;
  out[10] = 0x56;
  out[11] = 0x78;
  memcpy (out + 12, payload, len);
  return 12 + len;
}

static void
push (VgDepay *depay, guint16 seq, guint32 ts, gboolean marker, const guint8 *payload,
      gsize len)
{
  guint8 packet[2048];
  gsize n;

  g_assert_cmpuint (len, <=, sizeof packet - 12);
  n = make_rtp (packet, seq, ts, marker, 96, payload, len);
  g_assert_true (vg_depay_push_data (depay, packet, n, 1000000 + ts));
}

static void
collect (VgDepay *depay, VgAccessUnit *unit, gpointer user_data)
{
  g_ptr_array_add (user_data, unit);
}

static GPtrArray *
units_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
}

#define UNIT(units, i) ((VgAccessUnit *) g_ptr_array_index ((units), (i)))

/* Appends a 4-byte length and the NAL: what an AVCC unit should hold. */
static void
avcc_append (GByteArray *out, const guint8 *nal, gsize len)
{
  guint8 l[4] = { len >> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff };

  g_byte_array_append (out, l, 4);
  g_byte_array_append (out, nal, len);
}

static void
assert_unit_data (VgAccessUnit *unit, GByteArray *want)
{
  g_assert_cmpmem (unit->data, unit->size, want->data, want->len);
}

/* ------------------------------------------------------------------------------ */
/* RTSP: building and parsing */

static void
test_rtsp_request (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  static const guint8 body[] = "param\r\n";

  g_assert_true (vg_rtsp_request_begin (s, "SETUP", "rtsp://cam/stream/trackID=1", 3));
  g_assert_true (vg_rtsp_request_add_header (s, "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
  g_assert_true (vg_rtsp_request_add_header (s, "Session", "12345678"));
  vg_rtsp_request_end (s, NULL, NULL, 0);
  g_assert_cmpstr (s->str, ==,
                   "SETUP rtsp://cam/stream/trackID=1 RTSP/1.0\r\n"
                   "CSeq: 3\r\n"
                   "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"
                   "Session: 12345678\r\n"
                   "\r\n");

  g_string_truncate (s, 0);
  g_assert_true (vg_rtsp_request_begin (s, "GET_PARAMETER", "rtsp://cam/", 9));
  vg_rtsp_request_end (s, "text/parameters", body, sizeof body - 1);
  g_assert_true (g_str_has_suffix (s->str, "Content-Type: text/parameters\r\n"
                                           "Content-Length: 7\r\n\r\nparam\r\n"));

  /* Nothing from a camera can inject a header or a request */
  g_string_truncate (s, 0);
  g_assert_false (vg_rtsp_request_begin (s, "PLAY", "rtsp://cam/x RTSP/1.0\r\nX: y", 1));
  g_assert_false (vg_rtsp_request_begin (s, "PL AY", "rtsp://cam/", 1));
  g_assert_false (vg_rtsp_request_add_header (s, "Session", "abc\r\nCSeq: 9"));
  g_assert_false (vg_rtsp_request_add_header (s, "Bad Name", "x"));
  g_assert_cmpuint (s->len, ==, 0);

  g_assert_true (vg_rtsp_tunnel_request (s, "GET", "/axis-media/media.amp", "cam:80",
                                         "a1b2c3", NULL));
  g_assert_true (g_str_has_prefix (s->str, "GET /axis-media/media.amp HTTP/1.0\r\n"));
  g_assert_nonnull (strstr (s->str, "x-sessioncookie: a1b2c3\r\n"));
  g_assert_nonnull (strstr (s->str, "Accept: application/x-rtsp-tunnelled\r\n"));
  g_assert_true (g_str_has_suffix (s->str, "\r\n\r\n"));
}

/* A DESCRIBE response from gst-rtsp-server, an interleaved RTP packet, an RTCP packet,
 * a PLAY response, another RTP packet. */
static const char describe_head[] =
  "RTSP/1.0 200 OK\r\n"
  "CSeq: 2\r\n"
  "Content-Type: application/sdp\r\n"
  "Content-Base: rtsp://127.0.0.1:8554/h264/\r\n"
  "Server: GStreamer RTSP server\r\n"
  "Date: Sun, 22 Nov 2026 06:17:35 GMT\r\n"
  "Content-Length: %u\r\n"
  "\r\n";
static const char describe_body[] =
  "v=0\r\n"
  "o=- 1188340656180883 1 IN IP4 127.0.0.1\r\n"
  "s=Session streamed with GStreamer\r\n"
  "i=rtsp-server\r\n"
  "t=0 0\r\n"
  "a=tool:GStreamer\r\n"
  "a=type:broadcast\r\n"
  "a=control:*\r\n"
  "a=range:npt=now-\r\n"
  "m=video 0 RTP/AVP 96\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "b=AS:204\r\n"
  "a=rtpmap:96 H264/90000\r\n"
  "a=framerate:10\r\n"
  "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADNoFB+wFqDAwNSgAAAMACAAAAwCkeKFV,"
  "aM48gA==;profile-level-id=42c00c;level-asymmetry-allowed=1\r\n"
  "a=control:stream=0\r\n"
  "a=ts-refclk:local\r\n"
  "a=mediaclk:sender\r\n"
  "a=ssrc:2000315573 cname:user3914754127@host-52b8d44d\r\n";

static GByteArray *
build_stream (void)
{
  GByteArray *s = g_byte_array_new ();
  static const guint8 rtp1[] = { '$', 0, 0, 14, 0x80, 0xe0, 0x3e, 0x01, 0, 0, 0, 1,
                                 0x11, 0x22, 0x33, 0x44, 0x65, 0x88 };
  static const guint8 rtcp[] = { '$', 1, 0, 8, 0x80, 201, 0, 1, 0x11, 0x22, 0x33, 0x44 };
  static const char play[] = "RTSP/1.0 200 OK\r\nCSeq: 4\r\n"
                             "RTP-Info: url=rtsp://127.0.0.1:8554/h264/stream=0;seq=15873;rtptime=997529751\r\n"
                             "Range: npt=now-\r\nSession: -utAgMrIiXtVQxcd;timeout=60\r\n\r\n";
  static const guint8 empty[] = { '$', 2, 0, 0 };

  g_autofree char *head = g_strdup_printf (describe_head, (guint) strlen (describe_body));

  g_byte_array_append (s, (const guint8 *) head, strlen (head));
  g_byte_array_append (s, (const guint8 *) describe_body, strlen (describe_body));
  g_byte_array_append (s, rtp1, sizeof rtp1);
  g_byte_array_append (s, rtcp, sizeof rtcp);
  g_byte_array_append (s, (const guint8 *) play, strlen (play));
  g_byte_array_append (s, empty, sizeof empty);
  g_byte_array_append (s, rtp1, sizeof rtp1);
  return s;
}

/* One line per event, for comparing how a stream was cut. */
static void
drain_events (VgRtspParser *parser, GString *log)
{
  VgRtspEvent ev;
  VgRtspEventType type;

  while ((type = vg_rtsp_parser_next (parser, &ev)) != VG_RTSP_EVENT_NONE)
    {
      g_assert_cmpint (type, !=, VG_RTSP_EVENT_ERROR);
      if (type == VG_RTSP_EVENT_INTERLEAVED)
        {
          g_string_append_printf (log, "packet ch=%u len=%" G_GSIZE_FORMAT, ev.channel, ev.len);
          for (gsize i = 0; i < ev.len; i++)
            g_string_append_printf (log, " %02x", ev.data[i]);
          g_string_append_c (log, '\n');
        }
      else
        {
          g_string_append_printf (log, "response %u %s cseq=%" G_GINT64_FORMAT " headers=%u",
                                  ev.message.status, ev.message.reason,
                                  vg_rtsp_message_get_cseq (&ev.message), ev.message.n_headers);
          for (guint i = 0; i < ev.message.n_headers; i++)
            g_string_append_printf (log, " [%s=%s]", ev.message.headers[i].name,
                                    ev.message.headers[i].value);
          g_string_append_printf (log, " body=%.*s\n", (int) ev.message.body_len,
                                  ev.message.body ? (const char *) ev.message.body : "");
        }
    }
}

static void
test_rtsp_parse_split (void)
{
  g_autoptr(GByteArray) stream = build_stream ();
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(VgRtspParser) parser = vg_rtsp_parser_new ();
  VgRtspEvent ev;

  /* In one piece */
  vg_rtsp_parser_feed (parser, stream->data, stream->len);
  drain_events (parser, whole);
  g_assert_cmpuint (vg_rtsp_parser_get_pending (parser), ==, 0);
  g_assert_nonnull (strstr (whole->str, "response 200 OK cseq=2 headers=6"));
  g_assert_nonnull (strstr (whole->str, "[Content-Base=rtsp://127.0.0.1:8554/h264/]"));
  g_assert_nonnull (strstr (whole->str, "body=v=0\r\n"));
  g_assert_nonnull (strstr (whole->str, "packet ch=0 len=14 80 e0 3e 01"));
  g_assert_nonnull (strstr (whole->str, "packet ch=1 len=8"));
  g_assert_nonnull (strstr (whole->str, "response 200 OK cseq=4"));
  g_assert_nonnull (strstr (whole->str, "packet ch=2 len=0\n"));

  /* Cut in two at every byte, and byte by byte: the same events */
  for (gsize cut = 0; cut <= stream->len; cut++)
    {
      g_autoptr(GString) log = g_string_new (NULL);

      vg_rtsp_parser_reset (parser);
      vg_rtsp_parser_feed (parser, stream->data, cut);
      drain_events (parser, log);
      vg_rtsp_parser_feed (parser, stream->data + cut, stream->len - cut);
      drain_events (parser, log);
      g_assert_cmpstr (log->str, ==, whole->str);
    }
  {
    g_autoptr(GString) log = g_string_new (NULL);

    vg_rtsp_parser_reset (parser);
    for (gsize i = 0; i < stream->len; i++)
      {
        gsize available;
        guint8 *space = vg_rtsp_parser_get_space (parser, 1, &available);

        g_assert_cmpuint (available, >=, 1);
        *space = stream->data[i];
        vg_rtsp_parser_commit (parser, 1);
        drain_events (parser, log);
      }
    g_assert_cmpstr (log->str, ==, whole->str);
  }

  /* Headers without case, folded lines, LF-only lines, a request from the server */
  vg_rtsp_parser_reset (parser);
  {
    static const char text[] =
      "RTSP/1.0 401 Unauthorized\n"
      "cseq: 7\n"
      "WWW-Authenticate: Digest realm=\"cam\",\n"
      "   nonce=\"abc\"\n"
      "WWW-Authenticate: Basic realm=\"cam\"\n"
      "\n"
      "ANNOUNCE rtsp://cam/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
    vg_rtsp_parser_feed (parser, (const guint8 *) text, strlen (text));
  }
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
  g_assert_cmpuint (ev.message.status, ==, 401);
  g_assert_cmpstr (ev.message.reason, ==, "Unauthorized");
  g_assert_cmpint (vg_rtsp_message_get_cseq (&ev.message), ==, 7);
  g_assert_cmpstr (vg_rtsp_message_get_header (&ev.message, "CSEQ"), ==, "7");
  g_assert_cmpstr (vg_rtsp_message_get_header (&ev.message, "www-authenticate"), ==,
                   "Digest realm=\"cam\",    nonce=\"abc\"");
  g_assert_cmpuint (ev.message.n_headers, ==, 3);
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
  g_assert_true (ev.message.is_request);
  g_assert_cmpstr (ev.message.method, ==, "ANNOUNCE");
  g_assert_cmpstr (ev.message.uri, ==, "rtsp://cam/");
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_NONE);

  /* The tunnel's GET reply: its body is the RTSP stream that follows */
  vg_rtsp_parser_reset (parser);
  {
    static const char text[] = "HTTP/1.0 200 OK\r\nContent-Type: application/x-rtsp-tunnelled\r\n"
                               "Content-Length: 32767\r\n\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n";
    vg_rtsp_parser_feed (parser, (const guint8 *) text, strlen (text));
  }
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
  g_assert_true (ev.message.is_http);
  g_assert_cmpuint (ev.message.body_len, ==, 0);
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
  g_assert_false (ev.message.is_http);
  g_assert_cmpint (vg_rtsp_message_get_cseq (&ev.message), ==, 1);
}

static void
expect_error (const char *text, gsize len)
{
  g_autoptr(VgRtspParser) parser = vg_rtsp_parser_new ();
  VgRtspEvent ev;
  VgRtspEventType type;

  vg_rtsp_parser_feed (parser, (const guint8 *) text, len);
  while ((type = vg_rtsp_parser_next (parser, &ev)) == VG_RTSP_EVENT_MESSAGE)
    ;
  g_assert_cmpint (type, ==, VG_RTSP_EVENT_ERROR);
  g_assert_nonnull (vg_rtsp_parser_get_error (parser));
  /* It stays in error */
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_ERROR);
}

static void
test_rtsp_parse_limits (void)
{
  g_autoptr(VgRtspParser) parser = vg_rtsp_parser_new ();
  g_autoptr(GString) big = g_string_new ("RTSP/1.0 200 OK\r\nCSeq: 1\r\n");
  VgRtspEvent ev;

  expect_error ("RTSP/1.0 200 OK\r\nContent-Length: 1048577\r\n\r\n", 45);
  expect_error ("RTSP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\n", 41);
  expect_error ("RTSP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 60);
  expect_error ("RTSP/1.0 20 OK\r\n\r\n", 18);
  expect_error ("SOMETHING\r\n\r\n", 13);
  expect_error ("\x01garbage", 8);

  /* A header block over 64 KB, never ending: an error before the buffer grows without end */
  while (big->len <= VG_RTSP_MAX_HEADER_BYTES)
    g_string_append (big, "X-Padding: 0123456789012345678901234567890123456789\r\n");
  vg_rtsp_parser_feed (parser, (const guint8 *) big->str, big->len);
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_ERROR);

  /* Too many headers */
  g_string_assign (big, "RTSP/1.0 200 OK\r\n");
  for (guint i = 0; i <= VG_RTSP_MAX_HEADERS; i++)
    g_string_append_printf (big, "X-%u: y\r\n", i);
  g_string_append (big, "\r\n");
  expect_error (big->str, big->len);

  /* A body of exactly 1 MB is accepted */
  vg_rtsp_parser_reset (parser);
  g_string_printf (big, "RTSP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n", VG_RTSP_MAX_BODY_BYTES);
  vg_rtsp_parser_feed (parser, (const guint8 *) big->str, big->len);
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_NONE);
  {
    g_autofree guint8 *body = g_malloc0 (VG_RTSP_MAX_BODY_BYTES);
    vg_rtsp_parser_feed (parser, body, VG_RTSP_MAX_BODY_BYTES);
  }
  g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
  g_assert_cmpuint (ev.message.body_len, ==, VG_RTSP_MAX_BODY_BYTES);
}

/* ------------------------------------------------------------------------------ */
/* Authentication */

static void
test_rtsp_digest (void)
{
  VgRtspAuthChallenge c = { 0 };
  g_autofree char *md5 = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *again = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *legacy = NULL;

  /* RFC 7616 3.9.1: both challenges; SHA-256 is kept */
  g_assert_true (vg_rtsp_auth_challenge_parse (&c,
    "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
  g_assert_cmpint (c.algorithm, ==, VG_RTSP_DIGEST_MD5);
  g_assert_true (vg_rtsp_auth_challenge_parse (&c,
    "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
  g_assert_cmpint (c.scheme, ==, VG_RTSP_AUTH_DIGEST);
  g_assert_cmpint (c.algorithm, ==, VG_RTSP_DIGEST_SHA256);
  g_assert_true (c.qop_auth);
  g_assert_cmpstr (c.realm, ==, "http-auth@example.org");
  g_assert_cmpstr (c.opaque, ==, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");

  sha = vg_rtsp_auth_build (&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html",
                            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  g_assert_nonnull (strstr (sha, "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""));
  g_assert_nonnull (strstr (sha, "algorithm=SHA-256"));
  g_assert_nonnull (strstr (sha, "qop=auth, nc=00000001"));
  g_assert_nonnull (strstr (sha, "username=\"Mufasa\""));
  g_assert_nonnull (strstr (sha, "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\""));
  g_assert_nonnull (strstr (sha, "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
  again = vg_rtsp_auth_build (&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL);
  g_assert_nonnull (strstr (again, "nc=00000002"));

  c.algorithm = VG_RTSP_DIGEST_MD5;
  c.nc = 0;
  md5 = vg_rtsp_auth_build (&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html",
                            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  g_assert_nonnull (strstr (md5, "response=\"8ca523f5e9506fed4657c9700eebdbec\""));
  g_assert_null (strstr (md5, "algorithm="));     /* MD5 is the default */
  vg_rtsp_auth_challenge_clear (&c);

  /* RFC 2617 3.5 */
  g_assert_true (vg_rtsp_auth_challenge_parse (&c,
    "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
  legacy = vg_rtsp_auth_build (&c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
                               "0a4f113b");
  g_assert_nonnull (strstr (legacy, "response=\"6629fae49393a05397450978507c4ef1\""));
  vg_rtsp_auth_challenge_clear (&c);

  /* Without qop (RFC 2069, older cameras): H(HA1:nonce:HA2), no cnonce, no nc */
  g_assert_true (vg_rtsp_auth_challenge_parse (&c, "Digest realm=\"IP Camera(10789)\", "
                                                   "nonce=\"ad7f4a8e6e3e2b1c\", stale=\"FALSE\""));
  {
    g_autofree char *plain = vg_rtsp_auth_build (&c, "admin", "12345", "DESCRIBE",
                                                 "rtsp://192.168.1.64:554/Streaming/Channels/101",
                                                 NULL);
    g_autofree char *ha1 = g_compute_checksum_for_string (G_CHECKSUM_MD5,
                                                          "admin:IP Camera(10789):12345", -1);
    g_autofree char *ha2 = g_compute_checksum_for_string (G_CHECKSUM_MD5,
      "DESCRIBE:rtsp://192.168.1.64:554/Streaming/Channels/101", -1);
    g_autofree char *joined = g_strdup_printf ("%s:ad7f4a8e6e3e2b1c:%s", ha1, ha2);
    g_autofree char *resp = g_compute_checksum_for_string (G_CHECKSUM_MD5, joined, -1);
    g_autofree char *want = g_strdup_printf ("response=\"%s\"", resp);

    g_assert_nonnull (strstr (plain, want));
    g_assert_null (strstr (plain, "cnonce"));
    g_assert_null (strstr (plain, "nc="));
  }
  vg_rtsp_auth_challenge_clear (&c);

  /* Basic, and Basic + Digest in one header: Digest wins */
  g_assert_true (vg_rtsp_auth_challenge_parse (&c, "Basic realm=\"cam\""));
  basic = vg_rtsp_auth_build (&c, "Aladdin", "open sesame", "DESCRIBE", "rtsp://x/", NULL);
  g_assert_cmpstr (basic, ==, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  g_assert_true (vg_rtsp_auth_challenge_parse (&c, "Basic realm=\"cam\", Digest realm=\"cam\", "
                                                   "nonce=\"n1\", algorithm=\"MD5\""));
  g_assert_cmpint (c.scheme, ==, VG_RTSP_AUTH_DIGEST);
  g_assert_cmpstr (c.nonce, ==, "n1");
  vg_rtsp_auth_challenge_clear (&c);

  /* What we cannot answer is not kept */
  g_assert_false (vg_rtsp_auth_challenge_parse (&c, "Digest realm=\"x\", nonce=\"y\", "
                                                    "algorithm=SHA-512-256"));
  g_assert_false (vg_rtsp_auth_challenge_parse (&c, "Digest realm=\"x\", nonce=\"y\", qop=\"auth-int\""));
  g_assert_false (vg_rtsp_auth_challenge_parse (&c, "Negotiate abc=="));
  g_assert_false (vg_rtsp_auth_challenge_parse (&c, "Digest realm=\"x\""));
  g_assert_cmpint (c.scheme, ==, VG_RTSP_AUTH_NONE);
  g_assert_null (vg_rtsp_auth_build (&c, "u", "p", "PLAY", "rtsp://x/", NULL));

  /* Escapes both ways, stale */
  g_assert_true (vg_rtsp_auth_challenge_parse (&c, "Digest realm=\"a \\\"b\\\" c\", nonce=\"n\", "
                                                   "stale=true, qop=auth"));
  g_assert_cmpstr (c.realm, ==, "a \"b\" c");
  g_assert_true (c.stale);
  {
    g_autofree char *h = vg_rtsp_auth_build (&c, "us\"er", "p", "PLAY", "rtsp://x/", "c");
    g_assert_nonnull (strstr (h, "username=\"us\\\"er\""));
    g_assert_nonnull (strstr (h, "realm=\"a \\\"b\\\" c\""));
  }
  vg_rtsp_auth_challenge_clear (&c);
}

/* ------------------------------------------------------------------------------ */
/* Transport, Session, RTP-Info, control URLs */

static void
test_rtsp_transport (void)
{
  VgRtspTransport t;
  g_autoptr(GString) s = g_string_new (NULL);

  g_assert_true (vg_rtsp_transport_parse ("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=7B63A255;"
                                          "mode=\"PLAY\"", &t));
  g_assert_cmpint (t.lower, ==, VG_RTSP_LOWER_TCP);
  g_assert_false (t.multicast);
  g_assert_cmpint (t.interleaved[0], ==, 0);
  g_assert_cmpint (t.interleaved[1], ==, 1);
  g_assert_true (t.has_ssrc);
  g_assert_cmpuint (t.ssrc, ==, 0x7b63a255);
  g_assert_false (t.mode_record);
  g_assert_cmpstr (t.profile, ==, "RTP/AVP");

  g_assert_true (vg_rtsp_transport_parse ("RTP/AVP;unicast;client_port=5000-5001;"
                                          "server_port=6970-6971;source=192.168.1.10", &t));
  g_assert_cmpint (t.lower, ==, VG_RTSP_LOWER_UDP);
  g_assert_cmpint (t.client_port[0], ==, 5000);
  g_assert_cmpint (t.client_port[1], ==, 5001);
  g_assert_cmpint (t.server_port[0], ==, 6970);
  g_assert_cmpint (t.server_port[1], ==, 6971);
  g_assert_cmpstr (t.source, ==, "192.168.1.10");
  g_assert_cmpint (t.interleaved[0], ==, -1);

  g_assert_true (vg_rtsp_transport_parse ("RTP/AVP/UDP;multicast;destination=239.1.2.3;"
                                          "port=5004;ttl=16", &t));
  g_assert_true (t.multicast);
  g_assert_cmpstr (t.destination, ==, "239.1.2.3");
  g_assert_cmpint (t.port[0], ==, 5004);
  g_assert_cmpint (t.port[1], ==, 5005);      /* one port: the pair */
  g_assert_cmpint (t.ttl, ==, 16);

  /* Only the first of several */
  g_assert_true (vg_rtsp_transport_parse ("RTP/AVP/TCP;interleaved=2-3, RTP/AVP;unicast;"
                                          "client_port=4000-4001", &t));
  g_assert_cmpint (t.interleaved[0], ==, 2);
  g_assert_cmpint (t.client_port[0], ==, -1);

  g_assert_false (vg_rtsp_transport_parse ("RTP/AVP/TCP;interleaved=0-300", &t));
  g_assert_false (vg_rtsp_transport_parse ("RTP/AVP;client_port=70000", &t));
  g_assert_false (vg_rtsp_transport_parse ("RTP/AVP/SCTP", &t));
  g_assert_false (vg_rtsp_transport_parse ("", &t));
  g_assert_false (vg_rtsp_transport_parse ("RTP/AVP;ssrc=123456789", &t));

  /* Build */
  vg_rtsp_transport_init (&t);
  t.lower = VG_RTSP_LOWER_TCP;
  t.interleaved[0] = 2;
  t.interleaved[1] = 3;
  vg_rtsp_transport_build (&t, s);
  g_assert_cmpstr (s->str, ==, "RTP/AVP/TCP;unicast;interleaved=2-3");

  g_string_truncate (s, 0);
  vg_rtsp_transport_init (&t);
  t.client_port[0] = 50000;
  t.client_port[1] = 50001;
  vg_rtsp_transport_build (&t, s);
  g_assert_cmpstr (s->str, ==, "RTP/AVP;unicast;client_port=50000-50001");

  g_string_truncate (s, 0);
  vg_rtsp_transport_init (&t);
  t.multicast = TRUE;
  g_strlcpy (t.destination, "239.0.0.5", sizeof t.destination);
  t.port[0] = 5000;
  t.ttl = 8;
  vg_rtsp_transport_build (&t, s);
  g_assert_cmpstr (s->str, ==, "RTP/AVP;multicast;destination=239.0.0.5;port=5000-5001;ttl=8");
}

static void
test_rtsp_session_rtpinfo_urls (void)
{
  guint timeout = 0;
  g_autofree char *a = vg_rtsp_session_parse ("12345678;timeout=30", &timeout);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr(GArray) infos = NULL;
  const VgRtspRtpInfo *info;

  g_assert_cmpstr (a, ==, "12345678");
  g_assert_cmpuint (timeout, ==, 30);
  b = vg_rtsp_session_parse (" 7C4E1A5D ", &timeout);
  g_assert_cmpstr (b, ==, "7C4E1A5D");
  g_assert_cmpuint (timeout, ==, 60);
  c = vg_rtsp_session_parse ("abc; timeout = 0", &timeout);
  g_assert_cmpstr (c, ==, "abc");
  g_assert_cmpuint (timeout, ==, 60);
  g_assert_null (vg_rtsp_session_parse (";timeout=5", &timeout));

  infos = vg_rtsp_rtp_info_parse ("url=rtsp://192.168.0.90/axis-media/media.amp/trackID=1;seq=5212;"
                                  "rtptime=1839431432, url=rtsp://192.168.0.90/axis-media/"
                                  "media.amp/trackID=2;seq=1;rtptime=0");
  g_assert_cmpuint (infos->len, ==, 2);
  info = vg_rtsp_rtp_info_find (infos, "rtsp://192.168.0.90/axis-media/media.amp/trackID=2");
  g_assert_nonnull (info);
  g_assert_true (info->has_seq && info->seq == 1 && info->has_rtptime && info->rtptime == 0);
  /* Another host name, same path */
  info = vg_rtsp_rtp_info_find (infos, "rtsp://camera.local:554/axis-media/media.amp/trackID=1");
  g_assert_nonnull (info);
  g_assert_cmpuint (info->seq, ==, 5212);
  g_assert_cmpuint (info->rtptime, ==, 1839431432);
  g_clear_pointer (&infos, g_array_unref);

  /* Relative urls, URLs with ';' and ',' in the query, missing fields */
  infos = vg_rtsp_rtp_info_parse ("url=trackID=1;seq=17, url=rtsp://h/s?a=1,b=2;x;rtptime=9");
  g_assert_cmpuint (infos->len, ==, 2);
  g_assert_cmpstr (g_array_index (infos, VgRtspRtpInfo, 1).url, ==, "rtsp://h/s?a=1,b=2;x");
  g_assert_false (g_array_index (infos, VgRtspRtpInfo, 1).has_seq);
  info = vg_rtsp_rtp_info_find (infos, "rtsp://cam/live/trackID=1");
  g_assert_nonnull (info);
  g_assert_cmpuint (info->seq, ==, 17);
  g_assert_null (vg_rtsp_rtp_info_find (infos, "rtsp://cam/live/trackID=3"));
  g_clear_pointer (&infos, g_array_unref);

  /* Control URLs */
  {
    struct { const char *base, *control, *want; } cases[] = {
      { "rtsp://cam/stream/", "trackID=1", "rtsp://cam/stream/trackID=1" },
      { "rtsp://cam/stream", "trackID=1", "rtsp://cam/stream/trackID=1" },
      { "rtsp://cam/stream/", "*", "rtsp://cam/stream/" },
      { "rtsp://cam/stream/", NULL, "rtsp://cam/stream/" },
      { "rtsp://cam/stream/", "rtsp://other:8554/x/track1", "rtsp://other:8554/x/track1" },
      { "rtsp://u:p@cam:554/a/b", "/c/d", "rtsp://u:p@cam:554/c/d" },
      { "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast", "trackID=1",
        "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast/trackID=1" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *got = vg_rtsp_resolve_control (cases[i].base, cases[i].control);
        g_assert_cmpstr (got, ==, cases[i].want);
      }
  }

  /* Base URL of a DESCRIBE response */
  {
    g_autoptr(VgRtspParser) parser = vg_rtsp_parser_new ();
    VgRtspEvent ev;
    g_autofree char *base1 = NULL;
    g_autofree char *base2 = NULL;
    static const char text[] =
      "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://cam/live/\r\n\r\n"
      "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Location: sub/\r\n\r\n";

    vg_rtsp_parser_feed (parser, (const guint8 *) text, strlen (text));
    g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
    base1 = vg_rtsp_message_get_base_url (&ev.message, "rtsp://cam/live");
    g_assert_cmpstr (base1, ==, "rtsp://cam/live/");
    g_assert_cmpint (vg_rtsp_parser_next (parser, &ev), ==, VG_RTSP_EVENT_MESSAGE);
    base2 = vg_rtsp_message_get_base_url (&ev.message, "rtsp://cam/live");
    g_assert_cmpstr (base2, ==, "rtsp://cam/live/sub/");
  }
}

/* ------------------------------------------------------------------------------ */
/* SDP and parameter sets */

static VgSdp *
parse_sdp (const char *text)
{
  g_autoptr(GError) error = NULL;
  VgSdp *sdp = vg_sdp_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (sdp);
  return sdp;
}

static void
test_sdp_gst (void)
{
  static const char text[] =
    "v=0\r\no=- 11285044929650548511 1 IN IP4 127.0.0.1\r\ns=Session streamed with GStreamer\r\n"
    "i=rtsp-server\r\nt=0 0\r\na=tool:GStreamer\r\na=type:broadcast\r\na=control:*\r\n"
    "a=range:npt=now-\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:204\r\n"
    "a=rtpmap:96 H264/90000\r\na=framerate:10\r\n"
    "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADNoFB+wFqDAwNSgAAAMACAAAAwCkeKFV,"
    "aM48gA==;profile-level-id=42c00c;level-asymmetry-allowed=1\r\n"
    "a=control:stream=0\r\na=ts-refclk:local\r\na=mediaclk:sender\r\n"
    "a=ssrc:2000315573 cname:user3914754127@host-52b8d44d\r\n"
    "m=audio 0 RTP/AVP 97\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\n"
    "a=fmtp:97 streamtype=5;profile-level-id=2;mode=AAC-hbr;config=140856e500;sizelength=13;"
    "indexlength=3;indexdeltalength=3\r\na=control:stream=1\r\n";
  g_autoptr(VgSdp) sdp = parse_sdp (text);
  g_autoptr(VgTrackInfo) video = NULL;
  g_autoptr(VgTrackInfo) audio = NULL;
  g_autofree guint8 *sps = NULL;
  g_autofree guint8 *pps = NULL;
  gsize sps_len, pps_len;
  g_autoptr(GByteArray) avcc = g_byte_array_new ();
  VgAacRtpConfig aac;

  g_assert_cmpstr (sdp->session_name, ==, "Session streamed with GStreamer");
  g_assert_cmpstr (sdp->control, ==, "*");
  g_assert_cmpstr (sdp->range, ==, "npt=now-");
  g_assert_cmpuint (sdp->n_media, ==, 2);

  g_assert_cmpstr (sdp->media[0].media, ==, "video");
  g_assert_cmpint (sdp->media[0].codec, ==, VG_CODEC_H264);
  g_assert_cmpuint (sdp->media[0].payload_type, ==, 96);
  g_assert_cmpuint (sdp->media[0].clock_rate, ==, 90000);
  g_assert_cmpstr (sdp->media[0].control, ==, "stream=0");
  g_assert_cmpuint (sdp->media[0].bandwidth_kbps, ==, 204);
  g_assert_cmpfloat (sdp->media[0].framerate, ==, 10.0);
  g_assert_cmpstr (sdp->media[0].connection, ==, "0.0.0.0");
  g_assert_cmpint (vg_sdp_media_get_fmtp_int (&sdp->media[0], "packetization-mode", -1), ==, 1);
  {
    g_autofree char *plid = vg_sdp_media_get_fmtp (&sdp->media[0], "PROFILE-LEVEL-ID");
    g_assert_cmpstr (plid, ==, "42c00c");
  }

  video = vg_sdp_media_to_track_info (&sdp->media[0], 0);
  g_assert_nonnull (video);
  g_assert_cmpuint (video->width, ==, 320);
  g_assert_cmpuint (video->height, ==, 240);
  g_assert_cmpuint (video->clock_rate, ==, 90000);
  /* avcC: 1, profile, compat, level, 0xff, 0xe1, len, SPS, 1, len, PPS */
  sps = b64 ("Z0LADNoFB+wFqDAwNSgAAAMACAAAAwCkeKFV", &sps_len);
  pps = b64 ("aM48gA==", &pps_len);
  g_byte_array_append (avcc, (const guint8 *) "\x01\x42\xc0\x0c\xff\xe1", 6);
  g_byte_array_append (avcc, (const guint8[]) { 0, sps_len }, 2);
  g_byte_array_append (avcc, sps, sps_len);
  g_byte_array_append (avcc, (const guint8[]) { 1, 0, pps_len }, 3);
  g_byte_array_append (avcc, pps, pps_len);
  g_assert_cmpmem (g_bytes_get_data (video->codec_private, NULL),
                   g_bytes_get_size (video->codec_private), avcc->data, avcc->len);

  g_assert_cmpint (sdp->media[1].codec, ==, VG_CODEC_AAC);
  audio = vg_sdp_media_to_track_info (&sdp->media[1], 1);
  g_assert_cmpuint (audio->sample_rate, ==, 16000);
  g_assert_cmpuint (audio->channels, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (audio->codec_private, NULL),
                   g_bytes_get_size (audio->codec_private), "\x14\x08\x56\xe5\x00", 5);
  g_assert_true (vg_aac_rtp_config_from_media (&sdp->media[1], &aac));
  g_assert_cmpuint (aac.size_length, ==, 13);
  g_assert_cmpuint (aac.index_length, ==, 3);
  g_assert_cmpuint (aac.frame_samples, ==, 1024);
}

static void
test_sdp_cameras (void)
{
  /* Axis-like: absolute controls with a query, H.264 High 1080p, AAC-hbr (mixed case keys) */
  static const char axis[] =
    "v=0\r\n"
    "o=- 1700000000000000 1 IN IP4 192.168.0.90\r\n"
    "s=Session streamed with GStreamer\r\n"
    "i=rtsp-server\r\n"
    "e=NONE\r\n"
    "t=0 0\r\n"
    "a=tool:GStreamer\r\n"
    "a=type:broadcast\r\n"
    "a=range:npt=now-\r\n"
    "a=control:rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "b=AS:50000\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1; profile-level-id=640028; "
    "sprop-parameter-sets=Z2QAKKzZQHgCJ+XARAAAAwAEAAADAMg8YMZY,aOvjyyLA\r\n"
    "a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=0?videocodec=h264\r\n"
    "a=framerate:25.000000\r\n"
    "a=transform:1.000000,0.000000,0.000000;0.000000,1.000000,0.000000;0.000000,0.000000,1.000000\r\n"
    "m=audio 0 RTP/AVP 97\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "b=AS:32\r\n"
    "a=rtpmap:97 mpeg4-generic/16000/1\r\n"
    "a=fmtp:97 streamtype=5; profile-level-id=15; mode=AAC-hbr; config=1408; sizeLength=13; "
    "indexLength=3; indexDeltaLength=3; profile=1; bitrate=32000;\r\n"
    "a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=1?videocodec=h264\r\n";
  /* Hikvision-like: LF only, H.265 with sprop-vps/sps/pps, G.711 A-law, an onvif data track */
  static const char hik[] =
    "v=0\n"
    "o=- 1109162014219182 1109162014219192 IN IP4 x.y.z.w\n"
    "s=Media Presentation\n"
    "e=NONE\n"
    "b=AS:5100\n"
    "t=0 0\n"
    "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast\n"
    "m=video 0 RTP/AVP 96\n"
    "c=IN IP4 0.0.0.0\n"
    "b=AS:5000\n"
    "a=recvonly\n"
    "a=x-dimensions:2560,1440\n"
    "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast\n"
    "a=rtpmap:96 H265/90000\n"
    "a=fmtp:96 sprop-sps=QgEBAWAAAAMAkAAAAwAAAwCWoAFAIAWhZZWaSTK8BaAgAAADACAAAAMDIQ==; "
    "sprop-pps=RAHBcrRiQA==; sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwCWlZgJ\n"
    "m=audio 0 RTP/AVP 8\n"
    "c=IN IP4 0.0.0.0\n"
    "b=AS:50\n"
    "a=recvonly\n"
    "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=Media_header:MEDIAINFO=494D4B48010300000400050011710110401F000000FA000000000000000000000000000000000000;\n"
    "a=appversion:1.0\n"
    "m=application 0 RTP/AVP 107\n"
    "c=IN IP4 0.0.0.0\n"
    "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=4?transportmode=unicast\n"
    "a=rtpmap:107 vnd.onvif.metadata/90000\n";
  /* An older camera: MJPEG with no rtpmap (static type 26), G.726, two formats on one line */
  static const char old[] =
    "v=0\r\ns=MJPEG\r\nc=IN IP4 239.10.10.10/32\r\nt=0 0\r\n"
    "m=video 5000 RTP/AVP 26\r\na=framesize:26 640-480\r\na=control:track1\r\n"
    "m=audio 5002/2 RTP/AVP 98 0\r\na=rtpmap:98 L16/8000/2\r\na=control:track2\r\n"
    "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 G726-32/8000\r\na=control:track3\r\n"
    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n"
    "a=fmtp:96 profile-level-id=1;config=000001b001000001b58913000001000000012000c48d8ffffd0a041e1463000001b24c61766335392e33372e313030\r\n";
  g_autoptr(VgSdp) a = parse_sdp (axis);
  g_autoptr(VgSdp) h = parse_sdp (hik);
  g_autoptr(VgSdp) o = parse_sdp (old);
  g_autoptr(VgTrackInfo) av = NULL;
  g_autoptr(VgTrackInfo) aa = NULL;
  g_autoptr(VgTrackInfo) hv = NULL;
  g_autoptr(VgTrackInfo) ha = NULL;
  g_autoptr(VgTrackInfo) mp4v = NULL;
  VgAacRtpConfig aac;

  g_assert_cmpuint (a->n_media, ==, 2);
  g_assert_cmpstr (a->control, ==, "rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264");
  av = vg_sdp_media_to_track_info (&a->media[0], 0);
  g_assert_cmpuint (av->width, ==, 1920);                 /* 1088 coded, cropped */
  g_assert_cmpuint (av->height, ==, 1080);
  {
    const guint8 *p = g_bytes_get_data (av->codec_private, NULL);
    gsize n = g_bytes_get_size (av->codec_private);

    g_assert_cmpuint (p[1], ==, 100);                     /* High */
    g_assert_cmpuint (p[n - 4], ==, 0xfd);                /* chroma_format_idc 1 */
    g_assert_cmpuint (p[n - 1], ==, 0);                   /* no SPS extension */
  }
  {
    g_autofree char *control = vg_rtsp_resolve_control (a->control, a->media[0].control);
    g_assert_cmpstr (control, ==, "rtsp://192.168.0.90/axis-media/media.amp/stream=0?videocodec=h264");
  }
  g_assert_cmpint (a->media[1].codec, ==, VG_CODEC_AAC);
  aa = vg_sdp_media_to_track_info (&a->media[1], 1);
  g_assert_cmpuint (aa->sample_rate, ==, 16000);
  g_assert_cmpuint (aa->channels, ==, 1);
  g_assert_true (vg_aac_rtp_config_from_media (&a->media[1], &aac));
  g_assert_cmpuint (aac.size_length, ==, 13);

  g_assert_cmpuint (h->n_media, ==, 3);
  g_assert_cmpint (h->media[0].codec, ==, VG_CODEC_H265);
  g_assert_true (h->media[0].recvonly);
  hv = vg_sdp_media_to_track_info (&h->media[0], 0);
  g_assert_cmpuint (hv->width, ==, 2560);
  g_assert_cmpuint (hv->height, ==, 1440);
  {
    const guint8 *p = g_bytes_get_data (hv->codec_private, NULL);
    gsize n = g_bytes_get_size (hv->codec_private);

    g_assert_cmpuint (n, ==, 23 + 3 * 5 + 24 + 43 + 7);
    g_assert_cmpuint (p[0], ==, 1);
    g_assert_cmpuint (p[1] & 0x1f, ==, 1);                /* Main */
    g_assert_cmpuint (p[12], ==, 150);                    /* level 5 */
    g_assert_cmpuint (p[21] & 3, ==, 3);                  /* 4-byte lengths */
    g_assert_cmpuint (p[22], ==, 3);                      /* VPS, SPS, PPS */
    g_assert_cmpuint (p[23], ==, 0x80 | 32);
  }
  g_assert_cmpint (h->media[1].codec, ==, VG_CODEC_PCMA);
  ha = vg_sdp_media_to_track_info (&h->media[1], 1);
  g_assert_cmpuint (ha->sample_rate, ==, 8000);
  g_assert_cmpuint (ha->channels, ==, 1);
  g_assert_cmpint (h->media[2].codec, ==, VG_CODEC_NONE);
  g_assert_null (vg_sdp_media_to_track_info (&h->media[2], 2));

  g_assert_cmpuint (o->n_media, ==, 4);
  g_assert_cmpint (o->media[0].codec, ==, VG_CODEC_JPEG);
  g_assert_cmpuint (o->media[0].clock_rate, ==, 90000);
  g_assert_cmpuint (o->media[0].port, ==, 5000);
  g_assert_cmpuint (o->media[0].width, ==, 640);
  g_assert_cmpstr (o->media[0].connection, ==, "239.10.10.10");
  g_assert_cmpint (o->media[1].codec, ==, VG_CODEC_PCMU);     /* the second format */
  g_assert_cmpuint (o->media[1].payload_type, ==, 0);
  g_assert_cmpuint (o->media[1].n_ports, ==, 2);
  g_assert_cmpint (o->media[2].codec, ==, VG_CODEC_G726);
  g_assert_cmpuint (o->media[2].g726_bits, ==, 4);
  g_assert_cmpint (o->media[3].codec, ==, VG_CODEC_MPEG4);
  mp4v = vg_sdp_media_to_track_info (&o->media[3], 3);
  g_assert_cmpuint (mp4v->width, ==, 320);
  g_assert_cmpuint (mp4v->height, ==, 240);
  g_assert_cmpuint (g_bytes_get_size (mp4v->codec_private), ==, 47);

  /* Not SDP at all, or too many media */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) many = g_string_new ("v=0\n");

    g_assert_null (vg_sdp_parse ("hello", 5, &error));
    g_assert_error (error, VG_SDP_ERROR, VG_SDP_ERROR_INVALID);
    g_clear_error (&error);
    for (guint i = 0; i <= VG_SDP_MAX_MEDIA; i++)
      g_string_append (many, "m=video 0 RTP/AVP 96\n");
    g_assert_null (vg_sdp_parse (many->str, many->len, &error));
    g_assert_error (error, VG_SDP_ERROR, VG_SDP_ERROR_INVALID);
  }
}

static void
check_h264_sps (const char *base64, guint width, guint height, gboolean frame_mbs_only,
                guint profile)
{
  gsize len;
  g_autofree guint8 *nal = b64 (base64, &len);
  VgH264Sps sps;

  g_assert_true (vg_h264_sps_parse (nal, len, &sps));
  g_assert_cmpuint (sps.width, ==, width);
  g_assert_cmpuint (sps.height, ==, height);
  g_assert_cmpint (sps.frame_mbs_only, ==, frame_mbs_only);
  g_assert_cmpuint (sps.profile_idc, ==, profile);
}

static void
test_sps (void)
{
  gsize len;
  g_autofree guint8 *h265 = b64 ("QgEBAWAAAAMAkAAAAwAAAwB4oAPAgBDlllZpJMrwFoCAAAADAIAAAAyE", &len);
  VgH265Sps sps5;
  VgH264Sps sps;

  /* x264 1920x1080 High: 1088 coded lines, frame_crop_bottom_offset 4 (×2) */
  check_h264_sps ("Z2QAKKzZQHgCJ+XARAAAAwAEAAADAMg8YMZY", 1920, 1080, TRUE, 100);
  /* x264 1920x1080 interlaced (frame_mbs_only 0, crop unit 4 lines) with scaling lists */
  check_h264_sps ("Z2QAKKzZQHgET94CIAAAAwAgAAAGQ+LFssA=", 1920, 1080, FALSE, 100);
  /* 1280x720 Constrained Baseline; gst-rtsp-server's 320x240 */
  check_h264_sps ("Z0LAH9kAUAW7ARAAAAMAEAAAAwMg8YMkgA==", 1280, 720, TRUE, 66);
  check_h264_sps ("Z0LADNoFB+wFqDAwNSgAAAMACAAAAwCkeKFV", 320, 240, TRUE, 66);

  g_assert_true (vg_h265_sps_parse (h265, len, &sps5));
  g_assert_cmpuint (sps5.width, ==, 1920);
  g_assert_cmpuint (sps5.height, ==, 1080);
  g_assert_cmpuint (sps5.profile_idc, ==, 1);
  g_assert_cmpuint (sps5.level_idc, ==, 120);
  g_assert_cmpuint (sps5.chroma_format_idc, ==, 1);

  /* Truncated and damaged ones are refused, not read past their end */
  for (gsize n = 0; n < len; n++)
    {
      g_autofree guint8 *copy = g_memdup2 (h265, n);   /* exact size for ASan */
      if (n < 20)
        g_assert_false (vg_h265_sps_parse (copy, n, &sps5));
      else
        vg_h265_sps_parse (copy, n, &sps5);
    }
  g_assert_false (vg_h264_sps_parse ((const guint8 *) "\x67\x42", 2, &sps));
  g_assert_false (vg_h264_sps_parse ((const guint8 *) "\x68\x42\x00\x1f\xff", 5, &sps));
  /* All zero bits: an exp-Golomb code longer than 32 bits */
  g_assert_false (vg_h264_sps_parse ((const guint8 *) "\x67\x42\x00\x1f\x00\x00\x00\x00\x00\x00", 10, &sps));

  {
    guint rate, channels, frame;

    g_assert_true (vg_aac_config_parse ((const guint8 *) "\x14\x08", 2, &rate, &channels, &frame));
    g_assert_cmpuint (rate, ==, 16000);
    g_assert_cmpuint (channels, ==, 1);
    g_assert_cmpuint (frame, ==, 1024);
    g_assert_true (vg_aac_config_parse ((const guint8 *) "\x11\x90", 2, &rate, &channels, &frame));
    g_assert_cmpuint (rate, ==, 48000);
    g_assert_cmpuint (channels, ==, 2);
    g_assert_false (vg_aac_config_parse ((const guint8 *) "\x17", 1, &rate, &channels, &frame));
  }
}

/* ------------------------------------------------------------------------------ */
/* H.264 depayloading */

typedef struct
{
  guint8 *sps, *pps;
  gsize   sps_len, pps_len;
  guint8  idr[1500];      /* an IDR slice, first_mb_in_slice 0 */
  guint8  idr2[300];      /* a second IDR slice, first_mb_in_slice 1 */
  guint8  p[200];         /* a P slice, first_mb_in_slice 0 */
} H264Nals;

static void
h264_nals_init (H264Nals *n)
{
  n->sps = b64 ("Z0LADNoFB+wFqDAwNSgAAAMACAAAAwCkeKFV", &n->sps_len);
  n->pps = b64 ("aM48gA==", &n->pps_len);
  for (guint i = 0; i < sizeof n->idr; i++)
    n->idr[i] = (i * 7 + 3) & 0xff;
  n->idr[0] = 0x65;
  n->idr[1] = 0x88;       /* ue 0 (first_mb), ue 7 (I) */
  for (guint i = 0; i < sizeof n->idr2; i++)
    n->idr2[i] = (i * 13 + 1) & 0xff;
  n->idr2[0] = 0x65;
  n->idr2[1] = 0x42;      /* ue 1 (first_mb), ue 7 */
  for (guint i = 0; i < sizeof n->p; i++)
    n->p[i] = (i * 5 + 2) & 0xff;
  n->p[0] = 0x41;
  n->p[1] = 0x98;         /* ue 0, ue 5 (P) */
}

static void
h264_nals_clear (H264Nals *n)
{
  g_free (n->sps);
  g_free (n->pps);
}

/* STAP-A with SPS and PPS */
static gsize
stap_a (guint8 *out, const H264Nals *n)
{
  gsize off = 0;

  out[off++] = 24;
  out[off++] = 0;
  out[off++] = n->sps_len;
  memcpy (out + off, n->sps, n->sps_len);
  off += n->sps_len;
  out[off++] = 0;
  out[off++] = n->pps_len;
  memcpy (out + off, n->pps, n->pps_len);
  return off + n->pps_len;
}

/* FU-A fragment i of count of a NAL */
static gsize
fu_a (guint8 *out, const guint8 *nal, gsize len, guint i, guint count)
{
  gsize body = len - 1;
  gsize start = 1 + body * i / count;
  gsize end = 1 + body * (i + 1) / count;

  out[0] = (nal[0] & 0xe0) | 28;
  out[1] = (i == 0 ? 0x80 : 0) | (i == count - 1 ? 0x40 : 0) | (nal[0] & 0x1f);
  memcpy (out + 2, nal + start, end - start);
  return 2 + end - start;
}

static void
send_idr_picture (VgDepay *depay, const H264Nals *n, guint16 seq, guint32 ts, gint skip_fu)
{
  guint8 buf[1600];

  push (depay, seq, ts, FALSE, buf, stap_a (buf, n));
  for (guint i = 0; i < 3; i++)
    if ((gint) i != skip_fu)
      push (depay, seq + 1 + i, ts, i == 2, buf, fu_a (buf, n->idr, sizeof n->idr, i, 3));
}

static void
test_depay_h264 (void)
{
  H264Nals n;
  g_autoptr(GPtrArray) units = units_new ();
  g_autoptr(VgDepay) depay = vg_depay_h264_new ();
  g_autoptr(GByteArray) want = g_byte_array_new ();
  g_autoptr(VgTrackInfo) info = NULL;
  guint8 buf[1600];
  guint16 seq = 122;

  h264_nals_init (&n);
  vg_depay_set_output (depay, 0, collect, units);

  /* STAP-A (SPS, PPS) + IDR in three FU-A, then a P slice */
  send_idr_picture (depay, &n, 100, 9000, -1);
  push (depay, 104, 12600, TRUE, n.p, sizeof n.p);
  g_assert_cmpuint (units->len, ==, 2);
  avcc_append (want, n.sps, n.sps_len);
  avcc_append (want, n.pps, n.pps_len);
  avcc_append (want, n.idr, sizeof n.idr);
  assert_unit_data (UNIT (units, 0), want);
  g_assert_true (UNIT (units, 0)->keyframe);
  g_assert_false (UNIT (units, 0)->discont);
  g_assert_cmpint (UNIT (units, 0)->codec, ==, VG_CODEC_H264);
  g_assert_cmpint (UNIT (units, 0)->time_us, ==, 1000000 + 9000);
  g_assert_false (UNIT (units, 1)->keyframe);
  g_assert_cmpuint (UNIT (units, 1)->size, ==, 4 + sizeof n.p);

  info = vg_depay_get_track_info (depay);
  g_assert_nonnull (info);
  g_assert_cmpuint (info->width, ==, 320);
  g_assert_cmpuint (info->height, ==, 240);

  /* A middle FU-A lost: that picture is dropped, the next unit is discont */
  g_ptr_array_set_size (units, 0);
  send_idr_picture (depay, &n, 105, 16200, 1);
  push (depay, 109, 19800, TRUE, n.p, sizeof n.p);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_true (UNIT (units, 0)->discont);
  g_assert_false (UNIT (units, 0)->keyframe);
  g_assert_cmpuint (depay->dropped_units, ==, 1);
  g_assert_cmpuint (depay->stats.lost, ==, 1);

  /* FINDINGS §2 trap 3: SPS/PPS before each slice of the same picture → one unit */
  g_ptr_array_set_size (units, 0);
  push (depay, 110, 23400, FALSE, buf, stap_a (buf, &n));
  push (depay, 111, 23400, FALSE, n.idr, sizeof n.idr);
  push (depay, 112, 23400, FALSE, buf, stap_a (buf, &n));
  push (depay, 113, 23400, TRUE, n.idr2, sizeof n.idr2);
  g_assert_cmpuint (units->len, ==, 1);
  g_byte_array_set_size (want, 0);
  avcc_append (want, n.sps, n.sps_len);
  avcc_append (want, n.pps, n.pps_len);
  avcc_append (want, n.idr, sizeof n.idr);
  avcc_append (want, n.idr2, sizeof n.idr2);
  assert_unit_data (UNIT (units, 0), want);
  g_assert_true (UNIT (units, 0)->keyframe);
  g_assert_false (UNIT (units, 0)->discont);

  /* Parameter sets with their own timestamp and marker go with the next picture */
  g_ptr_array_set_size (units, 0);
  push (depay, 114, 26000, TRUE, buf, stap_a (buf, &n));
  push (depay, 115, 27000, TRUE, n.idr, sizeof n.idr);
  g_assert_cmpuint (units->len, ==, 1);
  g_byte_array_set_size (want, 0);
  avcc_append (want, n.sps, n.sps_len);
  avcc_append (want, n.pps, n.pps_len);
  avcc_append (want, n.idr, sizeof n.idr);
  assert_unit_data (UNIT (units, 0), want);
  g_assert_cmpint (UNIT (units, 0)->time_us, ==, 1000000 + 27000);

  /* No marker bits: a unit ends when the timestamp changes */
  g_ptr_array_set_size (units, 0);
  push (depay, 116, 30600, FALSE, n.p, sizeof n.p);
  push (depay, 117, 34200, FALSE, n.p, sizeof n.p);
  g_assert_cmpuint (units->len, ==, 1);
  vg_depay_flush (depay);
  g_assert_cmpuint (units->len, ==, 2);

  /* FU-A without its start: dropped; a picture without its top slice: dropped */
  g_ptr_array_set_size (units, 0);
  {
    guint64 bad = depay->bad_packets;
    guint64 dropped = depay->dropped_units;

    push (depay, 118, 37800, FALSE, buf, fu_a (buf, n.idr, sizeof n.idr, 1, 3));
    push (depay, 119, 37800, TRUE, buf, fu_a (buf, n.idr, sizeof n.idr, 2, 3));
    g_assert_cmpuint (depay->bad_packets, ==, bad + 2);
    push (depay, 120, 41400, TRUE, n.idr2, sizeof n.idr2);
    g_assert_cmpuint (units->len, ==, 0);
    g_assert_cmpuint (depay->dropped_units, ==, dropped + 1);
    push (depay, 121, 45000, TRUE, n.p, sizeof n.p);
    g_assert_cmpuint (units->len, ==, 1);
    g_assert_true (UNIT (units, 0)->discont);
  }

  /* A picture growing past VG_DEPAY_MAX_UNIT_BYTES (a hostile camera): dropped, and the
   * buffer stops growing */
  g_ptr_array_set_size (units, 0);
  {
    guint64 dropped = depay->dropped_units;

    push (depay, seq++, 48600, FALSE, buf, fu_a (buf, n.idr, sizeof n.idr, 0, 3));
    memset (buf + 2, 0x55, 1400);
    buf[1] = 5;                                     /* middle fragments */
    for (gsize total = 0; total <= VG_DEPAY_MAX_UNIT_BYTES; total += 1400)
      push (depay, seq++, 48600, FALSE, buf, 2 + 1400);
    g_assert_cmpuint (depay->alloc, <=, VG_DEPAY_MAX_UNIT_BYTES);
    buf[1] = 0x40 | 5;
    push (depay, seq++, 48600, TRUE, buf, 2 + 1400);
    g_assert_cmpuint (units->len, ==, 0);
    g_assert_cmpuint (depay->dropped_units, ==, dropped + 1);
    push (depay, seq, 52200, TRUE, n.p, sizeof n.p);
    g_assert_cmpuint (units->len, ==, 1);
    g_assert_true (UNIT (units, 0)->discont);
    g_assert_cmpuint (UNIT (units, 0)->size, ==, 4 + sizeof n.p);
    push (depay, 121, 45000, TRUE, n.p, sizeof n.p);   /* long ago: a jump, ignored */
    push (depay, ++seq, 55800, TRUE, n.p, sizeof n.p);
    g_assert_cmpuint (units->len, ==, 2);
    depay->stats.late = 0;
  }

  /* Late and duplicated packets are dropped */
  g_ptr_array_set_size (units, 0);
  push (depay, ++seq, 59400, TRUE, n.p, sizeof n.p);
  g_assert_cmpuint (units->len, ==, 1);
  push (depay, seq, 59400, TRUE, n.p, sizeof n.p);
  push (depay, seq - 5, 27000, TRUE, n.idr, sizeof n.idr);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_cmpuint (depay->stats.late, ==, 2);

  h264_nals_clear (&n);
}

static void
test_depay_h265 (void)
{
  g_autoptr(GPtrArray) units = units_new ();
  g_autoptr(VgDepay) depay = vg_depay_h265_new ();
  g_autoptr(GByteArray) want = g_byte_array_new ();
  g_autoptr(VgTrackInfo) info = NULL;
  gsize vps_len, sps_len, pps_len;
  g_autofree guint8 *vps = b64 ("QAEMAf//AWAAAAMAkAAAAwAAAwB4lZgJ", &vps_len);
  g_autofree guint8 *sps = b64 ("QgEBAWAAAAMAkAAAAwAAAwB4oAPAgBDlllZpJMrwFoCAAAADAIAAAAyE", &sps_len);
  g_autofree guint8 *pps = b64 ("RAHBcrRiQA==", &pps_len);
  guint8 idr[900], cra[100], trail[100], buf[1600];
  gsize off = 0;

  for (guint i = 0; i < sizeof idr; i++)
    idr[i] = (i * 11 + 5) & 0xff;
  idr[0] = 19 << 1;           /* IDR_W_RADL */
  idr[1] = 1;
  idr[2] = 0x80;              /* first_slice_segment_in_pic_flag */
  memcpy (cra, idr, sizeof cra);
  cra[0] = 21 << 1;
  memcpy (trail, idr, sizeof trail);
  trail[0] = 1 << 1;

  vg_depay_set_output (depay, 0, collect, units);

  /* AP (VPS, SPS, PPS), FU (IDR) in two, then a trailing picture, then a CRA */
  buf[off++] = 48 << 1;
  buf[off++] = 1;
  buf[off++] = 0; buf[off++] = vps_len; memcpy (buf + off, vps, vps_len); off += vps_len;
  buf[off++] = 0; buf[off++] = sps_len; memcpy (buf + off, sps, sps_len); off += sps_len;
  buf[off++] = 0; buf[off++] = pps_len; memcpy (buf + off, pps, pps_len); off += pps_len;
  push (depay, 1, 3000, FALSE, buf, off);
  buf[0] = 49 << 1;
  buf[1] = 1;
  buf[2] = 0x80 | 19;
  memcpy (buf + 3, idr + 2, 400);
  push (depay, 2, 3000, FALSE, buf, 3 + 400);
  buf[2] = 0x40 | 19;
  memcpy (buf + 3, idr + 402, sizeof idr - 402);
  push (depay, 3, 3000, TRUE, buf, 3 + sizeof idr - 402);
  push (depay, 4, 6600, TRUE, trail, sizeof trail);
  push (depay, 5, 10200, TRUE, cra, sizeof cra);

  g_assert_cmpuint (units->len, ==, 3);
  avcc_append (want, vps, vps_len);
  avcc_append (want, sps, sps_len);
  avcc_append (want, pps, pps_len);
  avcc_append (want, idr, sizeof idr);
  assert_unit_data (UNIT (units, 0), want);
  g_assert_true (UNIT (units, 0)->keyframe);
  g_assert_cmpint (UNIT (units, 0)->codec, ==, VG_CODEC_H265);
  g_assert_false (UNIT (units, 1)->keyframe);
  g_assert_true (UNIT (units, 2)->keyframe);

  info = vg_depay_get_track_info (depay);
  g_assert_nonnull (info);
  g_assert_cmpuint (info->width, ==, 1920);
  g_assert_cmpuint (info->height, ==, 1080);

  /* An FU whose start is lost */
  g_ptr_array_set_size (units, 0);
  buf[2] = 0x40 | 19;
  push (depay, 6, 13800, TRUE, buf, 3 + 50);
  g_assert_cmpuint (units->len, ==, 0);
  g_assert_cmpuint (depay->bad_packets, ==, 1);
  push (depay, 7, 17400, TRUE, trail, sizeof trail);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_false (UNIT (units, 0)->keyframe);
}

/* ------------------------------------------------------------------------------ */
/* JPEG */

/* 64×48, 4:2:0, libjpeg quality 50 (gst jpegenc): the tables RFC 2435 computes for Q 50,
 * and the default Huffman tables. */
static const guint8 small_jpeg[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10,
  0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
  0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40, 0x48, 0x5c, 0x4e, 0x40,
  0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d,
  0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x11, 0x12,
  0x12, 0x18, 0x15, 0x18, 0x2f, 0x1a, 0x1a, 0x2f, 0x63, 0x42, 0x38, 0x42, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0xff, 0xc0,
  0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
  0x01, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
  0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05,
  0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21,
  0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23,
  0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17,
  0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
  0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
  0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
  0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
  0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
  0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5,
  0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1,
  0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xc4, 0x00, 0x1f, 0x01, 0x00, 0x03,
  0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x11, 0x00,
  0x02, 0x01, 0x02, 0x04, 0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77, 0x00,
  0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13,
  0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15,
  0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27,
  0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
  0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
  0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4,
  0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
  0xfa, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0xed,
  0xaa, 0xa3, 0xfd, 0xf6, 0xfa, 0xd5, 0xba, 0xa8, 0xff, 0x00, 0x7d, 0xbe, 0xb5, 0xe4, 0x66, 0xdf,
  0x04, 0x7d, 0x4d, 0x29, 0x99, 0xd7, 0x3f, 0xeb, 0xdb, 0xf0, 0xfe, 0x55, 0x4a, 0xe3, 0xef, 0x8f,
  0xa5, 0x5d, 0xb9, 0xff, 0x00, 0x5e, 0xdf, 0x87, 0xf2, 0xaa, 0x57, 0x1f, 0x7c, 0x7d, 0x2b, 0xd0,
  0xaf, 0xff, 0x00, 0x22, 0xf8, 0x7a, 0x47, 0xf2, 0x3e, 0x46, 0xbf, 0xfb, 0xc4, 0xfd, 0x5f, 0xe6,
  0x51, 0xbd, 0xfe, 0x0f, 0xc6, 0xa8, 0x5c, 0x7d, 0xc1, 0xf5, 0xab, 0xf7, 0xbf, 0xc1, 0xf8, 0xd5,
  0x0b, 0x8f, 0xb8, 0x3e, 0xb5, 0xdf, 0x86, 0xff, 0x00, 0x91, 0x67, 0xc9, 0xfe, 0x6c, 0xfd, 0x0b,
  0x22, 0xff, 0x00, 0x72, 0xa7, 0xf3, 0xfc, 0xd9, 0x4a, 0xe7, 0xfd, 0x43, 0x7e, 0x1f, 0xce, 0xa8,
  0x55, 0xfb, 0x9f, 0xf5, 0x0d, 0xf8, 0x7f, 0x3a, 0xa1, 0x5e, 0x96, 0x47, 0xfe, 0xef, 0x2f, 0xf1,
  0x7e, 0x88, 0xe5, 0xce, 0x3f, 0x8e, 0xbd, 0x3f, 0x56, 0x7b, 0x15, 0x54, 0x7f, 0xbe, 0xdf, 0x5a,
  0xb7, 0x55, 0x1f, 0xef, 0xb7, 0xd6, 0xbe, 0x3b, 0x36, 0xf8, 0x23, 0xea, 0x72, 0xd3, 0x33, 0xae,
  0x7f, 0xd7, 0xb7, 0xe1, 0xfc, 0xaa, 0x95, 0xc7, 0xdf, 0x1f, 0x4a, 0xbb, 0x73, 0xfe, 0xbd, 0xbf,
  0x0f, 0xe5, 0x54, 0xae, 0x3e, 0xf8, 0xfa, 0x57, 0xa1, 0x5f, 0xfe, 0x45, 0xf0, 0xf4, 0x8f, 0xe4,
  0x7c, 0x8d, 0x7f, 0xf7, 0x89, 0xfa, 0xbf, 0xcc, 0xa3, 0x7b, 0xfc, 0x1f, 0x8d, 0x50, 0xb8, 0xfb,
  0x83, 0xeb, 0x57, 0xef, 0x7f, 0x83, 0xf1, 0xaa, 0x17, 0x1f, 0x70, 0x7d, 0x6b, 0xbf, 0x0d, 0xff,
  0x00, 0x22, 0xcf, 0x93, 0xfc, 0xd9, 0xfa, 0x16, 0x45, 0xfe, 0xe5, 0x4f, 0xe7, 0xf9, 0xb2, 0x95,
  0xcf, 0xfa, 0x86, 0xfc, 0x3f, 0x9d, 0x50, 0xab, 0xf7, 0x3f, 0xea, 0x1b, 0xf0, 0xfe, 0x75, 0x42,
  0xbd, 0x2c, 0x8f, 0xfd, 0xde, 0x5f, 0xe2, 0xfd, 0x11, 0xcb, 0x9c, 0x7f, 0x1d, 0x7a, 0x7e, 0xac,
  0x87, 0xed, 0x1f, 0xec, 0xfe, 0xb5, 0xd2, 0x68, 0xfe, 0x0e, 0xfe, 0xd6, 0xd3, 0x22, 0xbe, 0xfb,
  0x7f, 0x93, 0xe6, 0x96, 0xf9, 0x3c, 0x9d, 0xd8, 0xc3, 0x11, 0xd7, 0x70, 0xf4, 0xae, 0x56, 0xbd,
  0x4b, 0xc1, 0x9f, 0xf2, 0x2b, 0xd9, 0xff, 0x00, 0xc0, 0xff, 0x00, 0xf4, 0x36, 0xa8, 0xc7, 0xcd,
  0xca, 0x9a, 0xbf, 0x73, 0xe6, 0x32, 0xfc, 0x45, 0x4a, 0xb5, 0x1c, 0x66, 0xee, 0xad, 0xfe, 0x46,
  0x06, 0xaf, 0xa5, 0x7f, 0xc2, 0x37, 0xa4, 0x43, 0x27, 0x9d, 0xf6, 0x9c, 0xcb, 0xe5, 0xe3, 0x6e,
  0xce, 0xbb, 0x8e, 0x7a, 0x9f, 0x4a, 0xe5, 0x2f, 0xae, 0xbe, 0xd7, 0x30, 0x93, 0x66, 0xcc, 0x2e,
  0xdc, 0x67, 0x3e, 0xbf, 0xe3, 0x5d, 0xe7, 0xc4, 0x3f, 0xf9, 0x01, 0xc1, 0xff, 0x00, 0x5f, 0x2b,
  0xff, 0x00, 0xa0, 0xb5, 0x79, 0xdd, 0x74, 0x60, 0xe9, 0x46, 0xbe, 0x1d, 0x2a, 0x8a, 0xe7, 0xd8,
  0x50, 0x7e, 0xd6, 0x8a, 0x8c, 0xf5, 0x46, 0x8e, 0x87, 0xad, 0x7f, 0x66, 0x19, 0x87, 0xd9, 0xfc,
  0xdf, 0x33, 0x6f, 0xf1, 0xed, 0xc6, 0x33, 0xed, 0xef, 0x56, 0xb5, 0x5d, 0x67, 0xfb, 0x56, 0xcd,
  0x21, 0xfb, 0x3f, 0x95, 0x87, 0xdf, 0x9d, 0xfb, 0xbb, 0x11, 0xe8, 0x3d, 0x6b, 0x9f, 0x8b, 0xef,
  0x1f, 0xa5, 0x5b, 0x8f, 0xee, 0x0a, 0xf0, 0xf9, 0xe5, 0x6e, 0x5e, 0x87, 0x82, 0xf0, 0xd4, 0x9d,
  0x4f, 0x6a, 0xd7, 0xbc, 0x74, 0x5a, 0x1e, 0x9c, 0xfa, 0x66, 0xa1, 0x6d, 0xa8, 0x79, 0x8b, 0x26,
  0xd3, 0xb5, 0x23, 0x3f, 0x26, 0xf2, 0xcb, 0xb4, 0x00, 0x4f, 0x5e, 0x5b, 0xb0, 0x3c, 0x02, 0x78,
  0x24, 0x03, 0xd2, 0xbf, 0x89, 0x98, 0xc0, 0xb2, 0xc1, 0x60, 0x64, 0xf9, 0xf6, 0x32, 0x99, 0x40,
  0x23, 0x82, 0x43, 0x0e, 0x0f, 0xc9, 0x80, 0x7e, 0x6e, 0x38, 0x19, 0xaa, 0x4d, 0x14, 0x68, 0xe2,
  0x49, 0x59, 0x24, 0x0f, 0x2b, 0x66, 0x49, 0x17, 0x76, 0xe6, 0x19, 0xda, 0xa1, 0x41, 0x00, 0xe5,
  0x4b, 0x7b, 0x9c, 0xf4, 0x1b, 0xaa, 0xaa, 0xc8, 0x25, 0x8c, 0x7d, 0x9c, 0x32, 0xcd, 0x30, 0x31,
  0xca, 0x63, 0x55, 0xf9, 0x4b, 0x91, 0x93, 0xb7, 0x77, 0x53, 0xf2, 0xe0, 0x8e, 0xc4, 0x9f, 0xac,
  0x1b, 0x9f, 0xff, 0xd9
};

/* The two quantization tables (zigzag order) and the scan of a baseline file */
static void
jpeg_split (const guint8 *jpg, gsize len, const guint8 *tables[2], const guint8 **scan,
            gsize *scan_len)
{
  gsize i = 2;

  while (i + 4 <= len)
    {
      guint marker = jpg[i + 1];
      gsize seg = (jpg[i + 2] << 8) | jpg[i + 3];

      if (marker == 0xdb)
        tables[jpg[i + 4] & 1] = jpg + i + 5;
      if (marker == 0xda)
        {
          *scan = jpg + i + 2 + seg;
          *scan_len = len - (i + 2 + seg) - 2;   /* without EOI */
          return;
        }
      i += 2 + seg;
    }
  g_assert_not_reached ();
}

/* RTP/JPEG packets of one frame: the scan cut in three */
static void
jpeg_send (VgDepay *depay, guint16 seq, guint32 ts, guint type, guint q, guint width8,
           guint height8, const guint8 *tables, gsize tables_len, guint restart, gint skip)
{
  const guint8 *t[2], *scan;
  gsize scan_len;

  jpeg_split (small_jpeg, sizeof small_jpeg, t, &scan, &scan_len);
  for (guint i = 0; i < 3; i++)
    {
      guint8 buf[1500];
      gsize off = 0;
      gsize start = scan_len * i / 3, end = scan_len * (i + 1) / 3;

      buf[off++] = 0;
      buf[off++] = start >> 16;
      buf[off++] = (start >> 8) & 0xff;
      buf[off++] = start & 0xff;
      buf[off++] = type;
      buf[off++] = q;
      buf[off++] = width8;
      buf[off++] = height8;
      if (type >= 64)
        {
          buf[off++] = restart >> 8;
          buf[off++] = restart & 0xff;
          buf[off++] = 0xff;
          buf[off++] = 0xff;
        }
      if (i == 0 && q >= 128)
        {
          buf[off++] = 0;
          buf[off++] = 0;
          buf[off++] = tables_len >> 8;
          buf[off++] = tables_len & 0xff;
          memcpy (buf + off, tables, tables_len);
          off += tables_len;
        }
      memcpy (buf + off, scan + start, end - start);
      off += end - start;
      if ((gint) i != skip)
        push (depay, seq + i, ts, i == 2, buf, off);
    }
}

/* The picture decoded by ffmpeg, as planar 4:2:0 */
static GBytes *
decode_with_ffmpeg (const char *ffmpeg, const guint8 *jpeg, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vigie-test-XXXXXX", &error);
  g_autofree char *in = g_build_filename (dir, "in.jpg", NULL);
  g_autofree char *out = g_build_filename (dir, "out.yuv", NULL);
  char *argv[] = { (char *) ffmpeg, "-nostdin", "-v", "error", "-f", "mjpeg", "-i", in,
                   "-f", "rawvideo", "-pix_fmt", "yuv420p", out, NULL };
  gint status = -1;
  char *pixels = NULL;
  gsize pixels_len = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (in, (const char *) jpeg, len, &error));
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (out, &pixels, &pixels_len, &error));
  g_assert_cmpuint (pixels_len, ==, 64 * 48 * 3 / 2);
  g_unlink (in);
  g_unlink (out);
  g_rmdir (dir);
  return g_bytes_new_take (pixels, pixels_len);
}

static const guint8 *
find_bytes (const guint8 *hay, gsize hay_len, const guint8 *needle, gsize needle_len)
{
  return memmem (hay, hay_len, needle, needle_len);
}

static void
test_depay_jpeg (void)
{
  g_autoptr(GPtrArray) units = units_new ();
  g_autoptr(VgDepay) depay = vg_depay_jpeg_new (2560, 1440);
  const guint8 *t[2], *scan;
  gsize scan_len;
  guint8 luma[64], chroma[64], inband[128];
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");

  jpeg_split (small_jpeg, sizeof small_jpeg, t, &scan, &scan_len);
  vg_jpeg_make_tables (50, luma, chroma);
  g_assert_cmpmem (luma, 64, t[0], 64);
  g_assert_cmpmem (chroma, 64, t[1], 64);

  vg_depay_set_output (depay, 0, collect, units);

  /* Q 50: computed tables */
  jpeg_send (depay, 1, 3000, 1, 50, 64 / 8, 48 / 8, NULL, 0, 0, -1);
  g_assert_cmpuint (units->len, ==, 1);
  {
    VgAccessUnit *u = UNIT (units, 0);

    g_assert_true (u->keyframe);
    g_assert_cmpint (u->codec, ==, VG_CODEC_JPEG);
    g_assert_cmpuint (u->data[0], ==, 0xff);
    g_assert_cmpuint (u->data[1], ==, 0xd8);
    g_assert_cmpuint (u->data[u->size - 2], ==, 0xff);
    g_assert_cmpuint (u->data[u->size - 1], ==, 0xd9);
    g_assert_nonnull (find_bytes (u->data, u->size, scan, scan_len));
    g_assert_nonnull (find_bytes (u->data, u->size, t[0], 64));
    g_assert_nonnull (find_bytes (u->data, u->size, t[1], 64));
    /* SOF0: 8 bits, 48 lines, 64 columns, 3 components, Y 2×2 */
    g_assert_nonnull (find_bytes (u->data, u->size,
                                  (const guint8 *) "\xff\xc0\x00\x11\x08\x00\x30\x00\x40\x03\x01\x22", 12));
    /* The same size as the original (same segments, ours in one DHT) within a few bytes */
    g_assert_cmpuint (u->size, <=, sizeof small_jpeg);
    g_assert_cmpuint (u->size + 64, >=, sizeof small_jpeg);

    if (ffmpeg != NULL)
      {
        g_autoptr(GBytes) want = decode_with_ffmpeg (ffmpeg, small_jpeg, sizeof small_jpeg);
        g_autoptr(GBytes) got = decode_with_ffmpeg (ffmpeg, u->data, u->size);

        g_assert_true (g_bytes_equal (want, got));
      }
    else
      g_test_message ("ffmpeg not found: the rebuilt JPEG is not decoded");
  }

  /* Q 255: the same tables in band, then "the same as before" (length 0): same file */
  memcpy (inband, t[0], 64);
  memcpy (inband + 64, t[1], 64);
  jpeg_send (depay, 4, 6000, 1, 255, 64 / 8, 48 / 8, inband, 128, 0, -1);
  jpeg_send (depay, 7, 9000, 1, 255, 64 / 8, 48 / 8, inband, 0, 0, -1);
  g_assert_cmpuint (units->len, ==, 3);
  for (guint i = 1; i < 3; i++)
    g_assert_cmpmem (UNIT (units, i)->data, UNIT (units, i)->size,
                     UNIT (units, 0)->data, UNIT (units, 0)->size);

  /* Type 65 (restart markers), and a width over 2040 taken from the SDP */
  g_ptr_array_set_size (units, 0);
  jpeg_send (depay, 10, 12000, 65, 50, 0, 0, NULL, 0, 16, -1);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_nonnull (find_bytes (UNIT (units, 0)->data, UNIT (units, 0)->size,
                                (const guint8 *) "\xff\xdd\x00\x04\x00\x10", 6));
  g_assert_nonnull (find_bytes (UNIT (units, 0)->data, UNIT (units, 0)->size,
                                (const guint8 *) "\xff\xc0\x00\x11\x08\x05\xa0\x0a\x00", 9));

  /* A fragment lost: the frame is dropped, the next is discont */
  g_ptr_array_set_size (units, 0);
  jpeg_send (depay, 13, 15000, 0, 50, 8, 6, NULL, 0, 0, 1);
  g_assert_cmpuint (units->len, ==, 0);
  jpeg_send (depay, 16, 18000, 0, 50, 8, 6, NULL, 0, 0, -1);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_true (UNIT (units, 0)->discont);
  /* Type 0: Y 2×1 */
  g_assert_nonnull (find_bytes (UNIT (units, 0)->data, UNIT (units, 0)->size,
                                (const guint8 *) "\x03\x01\x21", 3));

  /* In-band tables announced but missing: refused */
  g_ptr_array_set_size (units, 0);
  jpeg_send (depay, 19, 21000, 1, 200, 8, 6, inband, 0, 0, -1);
  g_assert_cmpuint (units->len, ==, 0);
}

/* ------------------------------------------------------------------------------ */
/* AAC, MPEG-4, G.711 */

static void
test_depay_aac (void)
{
  g_autoptr(GPtrArray) units = units_new ();
  VgAacRtpConfig config;
  g_autoptr(VgDepay) depay = NULL;
  guint sizes[8];
  gsize data_offset;
  guint8 buf[1500];

  vg_aac_rtp_config_init_hbr (&config);
  depay = vg_depay_aac_new (&config, 16000);
  vg_depay_set_output (depay, 1, collect, units);

  /* Three AUs of 10, 20 and 5 bytes: 48 bits of headers (13-bit size, 3-bit index) */
  memcpy (buf, "\x00\x30\x00\x50\x00\xa0\x00\x28", 8);
  for (guint i = 0; i < 35; i++)
    buf[8 + i] = i;
  g_assert_cmpint (vg_aac_parse_au_headers (&config, buf, 8 + 35, sizes, 8, &data_offset), ==, 3);
  g_assert_cmpuint (sizes[0], ==, 10);
  g_assert_cmpuint (sizes[1], ==, 20);
  g_assert_cmpuint (sizes[2], ==, 5);
  g_assert_cmpuint (data_offset, ==, 8);
  g_assert_cmpint (vg_aac_parse_au_headers (&config, buf, 8 + 35, sizes, 2, &data_offset), ==, -1);
  g_assert_cmpint (vg_aac_parse_au_headers (&config, (const guint8 *) "\x00\x40\x00", 3, sizes, 8,
                                            &data_offset), ==, -1);

  push (depay, 1, 16000, TRUE, buf, 8 + 35);
  g_assert_cmpuint (units->len, ==, 3);
  g_assert_cmpmem (UNIT (units, 0)->data, UNIT (units, 0)->size, buf + 8, 10);
  g_assert_cmpmem (UNIT (units, 1)->data, UNIT (units, 1)->size, buf + 18, 20);
  g_assert_cmpmem (UNIT (units, 2)->data, UNIT (units, 2)->size, buf + 38, 5);
  g_assert_cmpint (UNIT (units, 0)->time_us, ==, 1000000 + 16000);
  g_assert_cmpint (UNIT (units, 1)->time_us, ==, 1000000 + 16000 + 64000);  /* 1024 / 16 kHz */
  g_assert_cmpint (UNIT (units, 2)->duration_us, ==, 64000);
  g_assert_true (UNIT (units, 2)->keyframe);
  g_assert_cmpuint (UNIT (units, 2)->track, ==, 1);

  /* A 3000-byte AU in two fragments */
  g_ptr_array_set_size (units, 0);
  memcpy (buf, "\x00\x10\x5d\xc0", 4);          /* size 3000 << 3 */
  memset (buf + 4, 0xaa, 1400);
  push (depay, 2, 17024, FALSE, buf, 4 + 1400);
  g_assert_cmpuint (units->len, ==, 0);
  memset (buf + 4, 0xbb, 1400);
  push (depay, 3, 17024, FALSE, buf, 4 + 1400);
  memset (buf + 4, 0xcc, 200);
  push (depay, 4, 17024, TRUE, buf, 4 + 200);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_cmpuint (UNIT (units, 0)->size, ==, 3000);
  g_assert_cmpuint (UNIT (units, 0)->data[1399], ==, 0xaa);
  g_assert_cmpuint (UNIT (units, 0)->data[1400], ==, 0xbb);
  g_assert_cmpuint (UNIT (units, 0)->data[2999], ==, 0xcc);

  /* A fragment lost: the AU is dropped, the next one is discont */
  g_ptr_array_set_size (units, 0);
  push (depay, 5, 18048, FALSE, buf, 4 + 1400);
  push (depay, 7, 18048, TRUE, buf, 4 + 200);
  memcpy (buf, "\x00\x10\x00\x50", 4);
  push (depay, 8, 19072, TRUE, buf, 4 + 10);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_true (UNIT (units, 0)->discont);

  /* AAC-lbr: 6-bit sizes, 2-bit indexes */
  config.size_length = 6;
  config.index_length = config.index_delta_length = 2;
  g_assert_cmpint (vg_aac_parse_au_headers (&config, (const guint8 *) "\x00\x10\x28\x14xxxxxxxxxxxxxxx",
                                            19, sizes, 8, &data_offset), ==, 2);
  g_assert_cmpuint (sizes[0], ==, 10);
  g_assert_cmpuint (sizes[1], ==, 5);
  g_assert_cmpuint (data_offset, ==, 4);
}

static void
test_depay_mpeg4_g711 (void)
{
  g_autoptr(GPtrArray) units = units_new ();
  g_autoptr(VgDepay) mp4v = vg_depay_mpeg4_new ();
  g_autoptr(VgDepay) pcma = vg_depay_g711_new (VG_CODEC_PCMA, 8000, 8);
  g_autoptr(VgDepay) g726 = vg_depay_g711_new (VG_CODEC_G726, 8000, 4);
  static const guint8 config[] = { 0, 0, 1, 0xb0, 1, 0, 0, 1, 0xb5, 0x89, 0x13, 0, 0, 1, 0, 0, 0, 1,
                                   0x20, 0x00, 0xc4, 0x8d, 0x8f, 0xff, 0xfd, 0x0a, 0x04, 0x1e, 0x14,
                                   0x63 };
  guint8 i_vop[300] = { 0, 0, 1, 0xb6, 0x10 }, p_vop[100] = { 0, 0, 1, 0xb6, 0x50 };
  guint8 samples[160] = { 0 };
  guint w = 0, h = 0;

  g_assert_true (vg_mpeg4_config_parse (config, sizeof config, &w, &h));
  g_assert_cmpuint (w, ==, 320);
  g_assert_cmpuint (h, ==, 240);

  vg_depay_set_output (mp4v, 0, collect, units);
  push (mp4v, 1, 3000, TRUE, config, sizeof config);    /* configuration alone: kept */
  g_assert_cmpuint (units->len, ==, 0);
  push (mp4v, 2, 3000, FALSE, i_vop, 150);
  push (mp4v, 3, 3000, TRUE, i_vop + 150, 150);
  push (mp4v, 4, 6600, TRUE, p_vop, sizeof p_vop);
  g_assert_cmpuint (units->len, ==, 2);
  g_assert_cmpuint (UNIT (units, 0)->size, ==, sizeof config + sizeof i_vop);
  g_assert_cmpmem (UNIT (units, 0)->data, sizeof config, config, sizeof config);
  g_assert_true (UNIT (units, 0)->keyframe);
  g_assert_false (UNIT (units, 1)->keyframe);
  g_assert_cmpint (UNIT (units, 1)->codec, ==, VG_CODEC_MPEG4);

  g_ptr_array_set_size (units, 0);
  vg_depay_set_output (pcma, 1, collect, units);
  vg_depay_set_output (g726, 1, collect, units);
  push (pcma, 10, 800, TRUE, samples, 160);
  push (g726, 10, 800, TRUE, samples, 80);
  g_assert_cmpuint (units->len, ==, 2);
  g_assert_cmpint (UNIT (units, 0)->duration_us, ==, 20000);
  g_assert_cmpint (UNIT (units, 0)->codec, ==, VG_CODEC_PCMA);
  g_assert_cmpint (UNIT (units, 1)->duration_us, ==, 20000);   /* 80 bytes of 4-bit codes */
  g_assert_cmpint (UNIT (units, 1)->codec, ==, VG_CODEC_G726);
  g_assert_false (UNIT (units, 1)->discont);
  g_assert_cmpuint (g726->stats.sender_ssrc, ==, 0x12345678);   /* for our RRs */

  /* The caller marks a discontinuity (the clock re-anchored) */
  vg_depay_set_discont (g726);
  push (g726, 11, 880, TRUE, samples, 80);
  g_assert_cmpuint (units->len, ==, 3);
  g_assert_true (UNIT (units, 2)->discont);

  /* A depayloader from an SDP medium checks the payload type */
  {
    static const char text[] = "v=0\r\nm=audio 0 RTP/AVP 0\r\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(VgSdp) sdp = vg_sdp_parse (text, strlen (text), &error);
    g_autoptr(VgDepay) pcmu = vg_depay_new_for_media (&sdp->media[0], 3, collect, units);
    guint8 packet[200];
    gsize n;

    g_ptr_array_set_size (units, 0);
    n = make_rtp (packet, 1, 0, FALSE, 0, samples, 160);
    vg_depay_push_data (pcmu, packet, n, 0);
    n = make_rtp (packet, 2, 160, FALSE, 13, samples, 1);   /* comfort noise */
    vg_depay_push_data (pcmu, packet, n, 0);
    g_assert_cmpuint (units->len, ==, 1);
    g_assert_cmpuint (UNIT (units, 0)->track, ==, 3);
    g_assert_cmpuint (pcmu->bad_packets, ==, 1);
  }
}

/* ------------------------------------------------------------------------------ */
/* RTP, RTCP */

static void
test_rtp_packet (void)
{
  VgRtpPacket p;
  guint8 buf[64];
  static const guint8 full[] = {
    0xb2, 0xe0, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4,  /* V2 P X CC=2, M, PT 96 */
    0, 0, 0, 1, 0, 0, 0, 2,                                      /* CSRCs */
    0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0,                          /* one-byte extension */
    'a', 'b', 'c', 0, 0, 3,                                      /* payload, 3 bytes of padding */
  };

  g_assert_true (vg_rtp_packet_parse (&p, full, sizeof full));
  g_assert_true (p.marker);
  g_assert_true (p.padding);
  g_assert_cmpuint (p.payload_type, ==, 96);
  g_assert_cmpuint (p.seq, ==, 0x1234);
  g_assert_cmpuint (p.timestamp, ==, 0xdeadbeef);
  g_assert_cmpuint (p.ssrc, ==, 0x01020304);
  g_assert_cmpuint (p.csrc_count, ==, 2);
  g_assert_cmpuint (p.ext_profile, ==, 0xbede);
  g_assert_cmpuint (p.ext_len, ==, 4);
  g_assert_cmpmem (p.payload, p.payload_len, "abc", 3);

  /* Each field running past the end */
  for (gsize n = 0; n < sizeof full; n++)
    {
      g_autofree guint8 *copy = g_memdup2 (full, n);
      g_assert_false (vg_rtp_packet_parse (&p, copy, n));
    }
  memcpy (buf, full, sizeof full);
  buf[0] = 0x40;                                   /* version 1 */
  g_assert_false (vg_rtp_packet_parse (&p, buf, sizeof full));
  memcpy (buf, full, sizeof full);
  buf[sizeof full - 1] = 0;                        /* padding count 0 */
  g_assert_false (vg_rtp_packet_parse (&p, buf, sizeof full));
  buf[sizeof full - 1] = 7;                        /* padding larger than the payload */
  g_assert_false (vg_rtp_packet_parse (&p, buf, sizeof full));
  /* An empty payload is fine */
  g_assert_true (vg_rtp_packet_parse (&p, (const guint8 *) "\x80\x60\0\1\0\0\0\1\0\0\0\1", 12));
  g_assert_cmpuint (p.payload_len, ==, 0);
}

static void
test_rtp_seq (void)
{
  VgRtpStats s;
  guint lost;

  vg_rtp_stats_init (&s);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 65533, &lost), ==, VG_RTP_SEQ_FIRST);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 65534, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 65535, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 0, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 1, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpuint (vg_rtp_stats_get_extended_max (&s), ==, 65537);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 4, &lost), ==, VG_RTP_SEQ_GAP);
  g_assert_cmpuint (lost, ==, 2);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 2, &lost), ==, VG_RTP_SEQ_LATE);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 4, &lost), ==, VG_RTP_SEQ_DUPLICATE);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 5, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpuint (s.lost, ==, 2);
  g_assert_cmpuint (s.late, ==, 2);
  g_assert_cmpuint (s.received, ==, 8);     /* the late one counts, as RFC 3550 says */

  /* Six behind across the wrap: late, not a jump */
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 65535, &lost), ==, VG_RTP_SEQ_LATE);

  /* Gap across the wrap */
  vg_rtp_stats_init (&s);
  vg_rtp_stats_update_seq (&s, 65530, NULL);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 3, &lost), ==, VG_RTP_SEQ_GAP);
  g_assert_cmpuint (lost, ==, 8);
  g_assert_cmpuint (vg_rtp_stats_get_extended_max (&s), ==, 65536 + 3);

  /* A big jump: dropped until the next packet confirms it */
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 30000, &lost), ==, VG_RTP_SEQ_JUMP);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 4, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 40000, &lost), ==, VG_RTP_SEQ_JUMP);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 40001, &lost), ==, VG_RTP_SEQ_RESTART);
  g_assert_cmpint (vg_rtp_stats_update_seq (&s, 40002, &lost), ==, VG_RTP_SEQ_IN_ORDER);
  g_assert_cmpuint (s.restarts, ==, 1);
  g_assert_cmpuint (vg_rtp_stats_get_extended_max (&s), ==, 40002);
}

static guint32
rd32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static void
test_rtcp (void)
{
  const guint32 ntp_sec = 3913056000u;    /* 2024-01-01T00:00:00Z */
  guint8 compound[] = {
    0x80, 200, 0, 6, 0x11, 0x22, 0x33, 0x44,
    ntp_sec >> 24, (ntp_sec >> 16) & 0xff, (ntp_sec >> 8) & 0xff, ntp_sec & 0xff,
    0x80, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 100, 0, 0, 0x4e, 0x20,
    0x81, 202, 0, 3, 0x11, 0x22, 0x33, 0x44, 1, 2, 'a', 'b', 0, 0, 0, 0,
    0x81, 203, 0, 1, 0x11, 0x22, 0x33, 0x44,
  };
  VgRtcpInfo info;
  VgRtcpSenderReport sr;
  VgRtpStats stats;
  guint8 rr[128];
  gsize n;
  gint64 arrival = G_GINT64_CONSTANT (1704067200) * G_USEC_PER_SEC + 600000;

  g_assert_true (vg_rtcp_parse (compound, sizeof compound, &info));
  g_assert_true (info.has_sr);
  g_assert_true (info.has_bye);
  g_assert_cmpuint (info.n_packets, ==, 3);
  g_assert_cmpuint (info.sr.ssrc, ==, 0x11223344);
  g_assert_cmpuint (info.sr.rtp_timestamp, ==, 0x01020304);
  g_assert_cmpuint (info.sr.packet_count, ==, 100);
  g_assert_cmpuint (info.sr.octet_count, ==, 20000);
  sr = info.sr;
  g_assert_cmpint (vg_rtcp_ntp_to_unix_us (info.sr.ntp_seconds, info.sr.ntp_fraction), ==,
                   G_GINT64_CONSTANT (1704067200500000));
  /* After 2036 the top bit is clear */
  g_assert_cmpint (vg_rtcp_ntp_to_unix_us (1000, 0), ==,
                   (G_GINT64_CONSTANT (4294967296) + 1000 - G_GINT64_CONSTANT (2208988800)) *
                   G_USEC_PER_SEC);
  /* A damaged length: what came before it is kept */
  compound[30] = 0x7f;
  g_assert_true (vg_rtcp_parse (compound, sizeof compound, &info));
  g_assert_true (info.has_sr);
  g_assert_false (info.has_bye);
  g_assert_false (vg_rtcp_parse ((const guint8 *) "\x80\x60\x00\x01", 4, &info));

  /* Our Receiver Report */
  vg_rtp_stats_init (&stats);
  for (guint16 seq = 100; seq < 200; seq++)
    if (seq != 150 && seq != 151)
      vg_rtp_stats_update_seq (&stats, seq, NULL);
  vg_rtp_stats_got_sr (&stats, &sr, arrival);
  n = vg_rtcp_build_rr (rr, sizeof rr, 0xcafebabe, "vigie@node1", &stats,
                        arrival + 1500000);
  g_assert_cmpuint (n, ==, 32 + 24);
  g_assert_true (vg_rtcp_parse (rr, n, &info));
  g_assert_cmpuint (info.n_packets, ==, 2);
  g_assert_cmpuint (rr[0], ==, 0x81);
  g_assert_cmpuint (rr[1], ==, 201);
  g_assert_cmpuint (rd32 (rr + 4), ==, 0xcafebabe);
  g_assert_cmpuint (rd32 (rr + 8), ==, 0x11223344);
  g_assert_cmpuint (rr[12], ==, 2 * 256 / 100);            /* fraction lost */
  g_assert_cmpuint (rd32 (rr + 12) & 0xffffff, ==, 2);     /* cumulative lost */
  g_assert_cmpuint (rd32 (rr + 16), ==, 199);              /* extended highest */
  g_assert_cmpuint (rd32 (rr + 24), ==, ((ntp_sec & 0xffff) << 16) | 0x8000);   /* LSR */
  g_assert_cmpuint (rd32 (rr + 28), ==, 98304);            /* DLSR: 1.5 s in 1/65536 */
  g_assert_cmpuint (rr[33], ==, 202);
  g_assert_cmpuint (rr[40], ==, 1);
  g_assert_cmpuint (rr[41], ==, 11);
  g_assert_cmpmem (rr + 42, 11, "vigie@node1", 11);
  /* The next report covers only what came since */
  n = vg_rtcp_build_rr (rr, sizeof rr, 0xcafebabe, "vigie@node1", &stats, arrival + 2000000);
  g_assert_cmpuint (rr[12], ==, 0);
  g_assert_cmpuint (vg_rtcp_build_rr (rr, 40, 1, "x", &stats, 0), ==, 0);
}

/* ------------------------------------------------------------------------------ */
/* RTP clock */

static void
test_rtp_clock_basics (void)
{
  VgRtpClock c;
  gint64 base = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64 x;
  gboolean discont;

  /* Extension: wraps forward and back (B-frames) */
  vg_rtp_clock_init (&c, 90000);
  x = vg_rtp_clock_extend (&c, 0xfffffff0);
  g_assert_cmpint (vg_rtp_clock_extend (&c, 0x10), ==, x + 0x20);
  g_assert_cmpint (vg_rtp_clock_extend (&c, 0xfffffff8), ==, x + 8);
  g_assert_cmpint (vg_rtp_clock_extend (&c, 0x20), ==, x + 0x30);

  /* Arrival mapping: the output follows the least delayed packets (jitter 0 to 5 ms
   * here, its minimum over a few seconds a few µs), smoothly, across the wrap */
  vg_rtp_clock_init (&c, 90000);
  for (guint i = 0; i < 3000; i++)
    {
      guint32 ts = 0xfff00000u + i * 3600;
      gint64 jitter = i == 0 ? 0 : (i * 7919) % 5000;
      gint64 out = vg_rtp_clock_to_wall (&c, ts, base + i * 40000 + jitter, &discont);

      g_assert_false (discont);
      g_assert_cmpint (ABS (out - (base + i * 40000)), <=, 200);
      if (i > 0)
        g_assert_cmpint (ABS (out - x - 40000), <=, 40 + 1);     /* 1000 ppm */
      x = out;
    }

  /* A jump (camera restarted): re-anchored on the arrival, reported */
  x = vg_rtp_clock_to_wall (&c, 123456, base + 3000 * 40000, &discont);
  g_assert_true (discont);
  g_assert_cmpint (x, ==, base + 3000 * 40000);
  x = vg_rtp_clock_to_wall (&c, 123456 + 3600, base + 3001 * 40000 + 700, &discont);
  g_assert_false (discont);
  g_assert_cmpint (x, ==, base + 3001 * 40000);     /* the delay is 700 µs over the first */
  g_assert_cmpuint (c.resyncs, ==, 1);

  /* Reset keeps the parameters */
  {
    VgRtpClock r;

    vg_rtp_clock_init (&r, 8000);
    r.max_slew_ppm = 200;
    vg_rtp_clock_to_wall (&r, 1, base, NULL);
    vg_rtp_clock_reset (&r);
    g_assert_false (r.have_anchor);
    g_assert_cmpuint (r.max_slew_ppm, ==, 200);
    g_assert_cmpuint (r.clock_rate, ==, 8000);
  }

  /* An SR whose RTP time does not match the packets is ignored */
  {
    VgRtcpSenderReport sr = { .ntp_seconds = 3913056000u, .rtp_timestamp = 999999999 };

    vg_rtp_clock_add_sr (&c, &sr, base + 3002 * 40000);
    g_assert_false (c.anchor_from_sr);
    x = vg_rtp_clock_to_wall (&c, 123456 + 7200, base + 3002 * 40000, &discont);
    g_assert_cmpint (x, ==, base + 3002 * 40000);
  }
}

/* A camera whose clock is an hour ahead of ours: video reaches us 80 ms after capture,
 * audio 20 ms, Sender Reports 5 ms. With SRs both tracks end up on our clock, aligned,
 * and the output never moves faster than 1000 ppm off the media time. */
static void
test_rtp_clock_sr (void)
{
  VgRtpClock video, audio;
  gint64 local0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64 camera_offset = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  gint64 last_v = 0, last_a = 0, out_v = 0, out_a = 0;
  gint64 capture_v = 0, capture_a = 0;

  vg_rtp_clock_init (&video, 90000);
  vg_rtp_clock_init (&audio, 8000);

  for (guint step = 0; step < 300 * 50; step++)          /* 300 s in 20 ms steps */
    {
      gint64 t = (gint64) step * 20000;                  /* µs since the start */
      gboolean discont;

      if (step > 0 && step % 250 == 0)                   /* every 5 s, an SR per track */
        {
          guint64 ntp_us = local0 + t + camera_offset + G_GINT64_CONSTANT (2208988800) * G_USEC_PER_SEC;
          VgRtcpSenderReport sr = {
            .ntp_seconds = ntp_us / G_USEC_PER_SEC,
            .ntp_fraction = (guint32) (((ntp_us % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC),
          };

          sr.rtp_timestamp = 1000 + (guint32) (t * 9 / 100);
          vg_rtp_clock_add_sr (&video, &sr, local0 + t + 5000);
          sr.rtp_timestamp = 555 + (guint32) (t * 8 / 1000);
          vg_rtp_clock_add_sr (&audio, &sr, local0 + t + 5000);
        }

      out_a = vg_rtp_clock_to_wall (&audio, 555 + (guint32) (t * 8 / 1000),
                                    local0 + t + 20000, &discont);
      g_assert_false (discont);
      if (last_a != 0)
        {
          gint64 d = out_a - last_a - (t - capture_a);
          g_assert_cmpint (ABS (d), <=, (t - capture_a) / 1000 + 1);
        }
      last_a = out_a;
      capture_a = t;

      if (step % 2 == 0)
        {
          out_v = vg_rtp_clock_to_wall (&video, 1000 + (guint32) (t * 9 / 100),
                                        local0 + t + 80000, &discont);
          g_assert_false (discont);
          if (last_v != 0)
            {
              gint64 d = out_v - last_v - (t - capture_v);
              g_assert_cmpint (ABS (d), <=, (t - capture_v) / 1000 + 1);
            }
          last_v = out_v;
          capture_v = t;
        }
    }
  g_assert_true (video.anchor_from_sr);
  g_assert_true (audio.anchor_from_sr);
  /* The last video and audio packets were both captured at capture_v (= capture_a - 20 ms) */
  g_assert_cmpint (ABS (out_v - (local0 + capture_v + 5000)), <=, 1000);
  g_assert_cmpint (ABS (out_a - (local0 + capture_a + 5000)), <=, 1000);
}

/* A camera clock 100 ppm fast, no SR: the output follows our clock, within a few ms,
 * where it would be 200 ms off after 2000 s without the correction. */
static void
test_rtp_clock_drift (void)
{
  VgRtpClock c;
  gint64 local0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64 out = 0, t = 0;

  vg_rtp_clock_init (&c, 90000);
  for (guint i = 0; i < 2000 * 25; i++)
    {
      gint64 jitter = (i * 7919) % 20000;
      guint32 ts;
      gboolean discont;

      t = (gint64) i * 40000;
      ts = (guint32) ((gdouble) t * 0.09 * 1.0001);
      out = vg_rtp_clock_to_wall (&c, ts, local0 + t + 30000 + jitter, &discont);
      g_assert_false (discont);
    }
  g_assert_cmpint (ABS (out - (local0 + t + 30000)), <, 5000);
}

/* The first packet read 2 s late (the node was starved), the next ones on time: the
 * times handed out never go back and no discontinuity is reported; the output runs
 * 10 % slow until it is on our clock again, then stays there. A jump of the camera's
 * timestamps far ahead is still a discontinuity. */
static void
test_rtp_clock_late_anchor (void)
{
  VgRtpClock c;
  gint64 local0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64 out = 0, prev = 0, t = 0;
  gboolean discont;
  guint caught_up_at = 0;

  vg_rtp_clock_init (&c, 90000);
  for (guint i = 0; i < 60 * 25; i++)
    {
      gint64 arrival;

      t = (gint64) i * 40000;
      arrival = local0 + t + 30000 + (i == 0 ? 2 * G_USEC_PER_SEC : 0);
      out = vg_rtp_clock_to_wall (&c, (guint32) (t * 9 / 100), arrival, &discont);
      g_assert_false (discont);
      if (i > 0)
        {
          /* 40 ms of media: at least 36 ms (10 % slow), at most 40 */
          g_assert_cmpint (out - prev, >=, 36000 - 1);
          g_assert_cmpint (out - prev, <=, 40000 + 40);
        }
      if (caught_up_at == 0 && i > 0 && ABS (out - (local0 + t + 30000)) < 1000)
        caught_up_at = i;
      prev = out;
    }
  g_assert_cmpuint (c.resyncs, ==, 0);
  /* 2 s caught up at 4 ms per 40 ms frame: 500 frames, 20 s */
  g_assert_cmpuint (caught_up_at, >=, 490);
  g_assert_cmpuint (caught_up_at, <=, 520);
  g_assert_cmpint (ABS (out - (local0 + t + 30000)), <, 1000);

  /* The camera restarts with timestamps an hour ahead: re-anchored, reported */
  t += 40000;
  out = vg_rtp_clock_to_wall (&c, (guint32) (t * 9 / 100) + 3600u * 90000u, local0 + t + 30000,
                              &discont);
  g_assert_true (discont);
  g_assert_cmpint (out, ==, local0 + t + 30000);
}

/* The answer on the HTTP tunnel's GET connection. */
static void
test_rtsp_tunnel_reply (void)
{
  static const char ok[] = "HTTP/1.0 200 OK\r\nServer: GStreamer RTSP Server\r\n"
                           "Content-Type: application/x-rtsp-tunnelled\r\n\r\nRTSP/1.0 401";
  static const char refused[] = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n";
  gsize head_len = 0;
  guint status = 0;
  g_autofree char *big = g_strnfill (9000, 'a');

  g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) ok, sizeof ok - 1, &head_len, &status), ==,
                   VG_RTSP_TUNNEL_REPLY_ACCEPTED);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (ok + head_len, ==, "RTSP/1.0 401");
  for (gsize n = 0; n < head_len; n++)
    g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) ok, n, &head_len, &status), ==,
                     VG_RTSP_TUNNEL_REPLY_INCOMPLETE);
  g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) refused, sizeof refused - 1, &head_len, &status),
                   ==, VG_RTSP_TUNNEL_REPLY_REFUSED);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) "RTSP/1.0 200 OK\r\n\r\n", 19, &head_len, &status),
                   ==, VG_RTSP_TUNNEL_REPLY_INVALID);
  g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) "HTTP/1.0 20\r\n\r\n", 15, &head_len, &status),
                   ==, VG_RTSP_TUNNEL_REPLY_INVALID);
  g_assert_cmpint (vg_rtsp_tunnel_reply_check ((const guint8 *) big, 9000, &head_len, &status), ==,
                   VG_RTSP_TUNNEL_REPLY_INVALID);
}

/* The camera's clock offset from a sender report, and its drift reported once. */
static void
test_rtcp_clock_offset (void)
{
  /* 2026-11-22T10:00:00Z in NTP time (seconds since 1900), plus half a second. */
  const gint64 unix_s = G_GINT64_CONSTANT (1795341600);
  VgRtcpSenderReport sr = { .ntp_seconds = (guint32) (unix_s + G_GINT64_CONSTANT (2208988800)),
                            .ntp_fraction = 0x80000000u };
  gint64 sr_us = unix_s * G_USEC_PER_SEC + G_USEC_PER_SEC / 2;
  VgSourceOptions options = { 0 };
  VgSourceLink link;
  VgSourceStatus status;
  char *kind = NULL, *message = NULL;

  g_assert_cmpint (vg_rtcp_ntp_to_unix_us (sr.ntp_seconds, sr.ntp_fraction), ==, sr_us);
  g_assert_cmpint (vg_rtcp_clock_offset_ms (&sr, sr_us), ==, 0);
  /* The camera is 2.5 s ahead of us; 1.2345 s behind (rounded to the nearest ms). */
  g_assert_cmpint (vg_rtcp_clock_offset_ms (&sr, sr_us - 2500000), ==, 2500);
  g_assert_cmpint (vg_rtcp_clock_offset_ms (&sr, sr_us + 1234500), ==, -1235);
  g_assert_cmpint (vg_rtcp_clock_offset_ms (&sr, sr_us + 1234499), ==, -1234);

  vg_source_link_init (&link, &options);
  vg_source_link_get_status (&link, &status);
  g_assert_false (status.has_clock_offset);
  vg_source_status_clear (&status);
  vg_source_link_streaming (&link, 1);
  /* The first offset is the base: moves within 1 s are not reported. */
  g_assert_false (vg_source_link_set_clock_offset (&link, -300));
  g_assert_false (vg_source_link_set_clock_offset (&link, 650));
  g_assert_false (vg_source_link_take_notice (&link, &kind, &message));
  vg_source_link_get_status (&link, &status);
  g_assert_true (status.has_clock_offset);
  g_assert_cmpint (status.clock_offset_ms, ==, 650);
  vg_source_status_clear (&status);
  /* Over 1 s: one notice, then no more for this connection. */
  g_assert_true (vg_source_link_set_clock_offset (&link, 720));
  g_assert_false (vg_source_link_set_clock_offset (&link, 5000));
  g_assert_true (vg_source_link_take_notice (&link, &kind, &message));
  g_assert_cmpstr (kind, ==, "clock_drift");
  g_assert_nonnull (strstr (message, "+1020 ms"));
  g_clear_pointer (&kind, g_free);
  g_clear_pointer (&message, g_free);
  g_assert_false (vg_source_link_take_notice (&link, &kind, &message));
  /* A new connection takes a new base. */
  vg_source_link_streaming (&link, 2);
  g_assert_false (vg_source_link_set_clock_offset (&link, 5000));
  g_assert_true (vg_source_link_set_clock_offset (&link, 3900));
  vg_source_link_clear (&link);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rtsp/request", test_rtsp_request);
  g_test_add_func ("/rtsp/parse-split", test_rtsp_parse_split);
  g_test_add_func ("/rtsp/parse-limits", test_rtsp_parse_limits);
  g_test_add_func ("/rtsp/digest", test_rtsp_digest);
  g_test_add_func ("/rtsp/transport", test_rtsp_transport);
  g_test_add_func ("/rtsp/session-rtpinfo-urls", test_rtsp_session_rtpinfo_urls);
  g_test_add_func ("/sdp/gst-rtsp-server", test_sdp_gst);
  g_test_add_func ("/sdp/cameras", test_sdp_cameras);
  g_test_add_func ("/sdp/parameter-sets", test_sps);
  g_test_add_func ("/depay/h264", test_depay_h264);
  g_test_add_func ("/depay/h265", test_depay_h265);
  g_test_add_func ("/depay/jpeg", test_depay_jpeg);
  g_test_add_func ("/depay/aac", test_depay_aac);
  g_test_add_func ("/depay/mpeg4-g711", test_depay_mpeg4_g711);
  g_test_add_func ("/rtp/packet", test_rtp_packet);
  g_test_add_func ("/rtp/sequence", test_rtp_seq);
  g_test_add_func ("/rtp/rtcp", test_rtcp);
  g_test_add_func ("/rtp/clock", test_rtp_clock_basics);
  g_test_add_func ("/rtp/clock-sr", test_rtp_clock_sr);
  g_test_add_func ("/rtp/clock-drift", test_rtp_clock_drift);
  g_test_add_func ("/rtp/clock-late-anchor", test_rtp_clock_late_anchor);
  g_test_add_func ("/rtp/rtcp-clock-offset", test_rtcp_clock_offset);
  g_test_add_func ("/rtsp/tunnel-reply", test_rtsp_tunnel_reply);
  return g_test_run ();
}
