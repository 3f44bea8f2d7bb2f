/* vg-stream.h: one stream of a camera (main, sub, …) with its roles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * VgStreamRoles:
 * What a stream is used for (ACQ-4). JSON: an array of the strings
 * "record", "alarm", "motion", "live", "mosaic".
 */
typedef enum /*< flags >*/ {
  VG_STREAM_ROLE_NONE   = 0,
  VG_STREAM_ROLE_RECORD = 1 << 0,  /* continuous recording */
  VG_STREAM_ROLE_ALARM  = 1 << 1,  /* alarm recording */
  VG_STREAM_ROLE_MOTION = 1 << 2,  /* node motion detection */
  VG_STREAM_ROLE_LIVE   = 1 << 3,  /* display quality */
  VG_STREAM_ROLE_MOSAIC = 1 << 4,  /* low-bandwidth mosaic cells */
} VgStreamRoles;

/* How RTP comes from an rtsp:// camera (ACQ-1): interleaved in the RTSP connection
 * (default), over UDP, multicast, or interleaved in RTSP tunnelled over HTTP on the
 * same port. JSON "transport": "tcp", "udp", "multicast", "http". */
typedef enum {
  VG_STREAM_TRANSPORT_TCP,
  VG_STREAM_TRANSPORT_UDP,
  VG_STREAM_TRANSPORT_MULTICAST,
  VG_STREAM_TRANSPORT_HTTP,
} VgStreamTransport;

/* Who reads an rtsp:// camera (ACQ-1): our own client (default), or GStreamer's
 * rtspsrc for a camera that needs what ours lacks. rtsps:// always goes to GStreamer.
 * JSON "ingest": "native", "gstreamer". */
typedef enum {
  VG_STREAM_INGEST_NATIVE,
  VG_STREAM_INGEST_GSTREAMER,
} VgStreamIngest;

const char       *vg_stream_ingest_to_string      (VgStreamIngest ingest);
gboolean          vg_stream_ingest_from_string    (const char *string, VgStreamIngest *ingest);

const char       *vg_stream_transport_to_string   (VgStreamTransport transport);
gboolean          vg_stream_transport_from_string (const char *string, VgStreamTransport *transport);

#define VG_TYPE_STREAM (vg_stream_get_type ())
G_DECLARE_FINAL_TYPE (VgStream, vg_stream, VG, STREAM, GObject)

VgStream      *vg_stream_new            (const char *name, const char *url, VgStreamRoles roles);
const char    *vg_stream_get_name       (VgStream *self);
void           vg_stream_set_name       (VgStream *self, const char *name);
const char    *vg_stream_get_url        (VgStream *self);
void           vg_stream_set_url        (VgStream *self, const char *url);
VgStreamRoles  vg_stream_get_roles      (VgStream *self);
void           vg_stream_set_roles      (VgStream *self, VgStreamRoles roles);
VgStreamTransport vg_stream_get_transport (VgStream *self);
void           vg_stream_set_transport  (VgStream *self, VgStreamTransport transport);
/* JSON "keep_open": the stream stays connected when nobody records or views it
 * (ACQ-6: for instance a low-rate stream kept for alarms); default FALSE. */
VgStreamIngest vg_stream_get_ingest     (VgStream *self);
void           vg_stream_set_ingest     (VgStream *self, VgStreamIngest ingest);
/* JSON "tls_fingerprint": the SHA-256 fingerprint of the certificate an rtsps:// camera
 * must present (lower-case hex); NULL: any certificate (its fingerprint is shown in
 * the stream's status, to pin). */
const char    *vg_stream_get_tls_fingerprint (VgStream *self);
void           vg_stream_set_tls_fingerprint (VgStream *self, const char *fingerprint);
/* "AB:CD:…" or "abcd…" (64 hex digits) → "abcd…"; NULL when it is not one. */
char          *vg_stream_normalize_fingerprint (const char *text);
gboolean       vg_stream_get_keep_open  (VgStream *self);
void           vg_stream_set_keep_open  (VgStream *self, gboolean keep_open);

/* "record" → VG_STREAM_ROLE_RECORD; 0 when unknown. */
VgStreamRoles  vg_stream_role_from_string (const char *string);
const char    *vg_stream_role_to_string   (VgStreamRoles role);

/* Checks the name ([A-Za-z0-9_-], 1–32 characters: it appears in RTSP URLs) and the
 * URL (rtsp, rtsps, http, https with a host). VG_ERROR_INVALID otherwise. */
gboolean       vg_stream_validate       (VgStream *self, GError **error);

JsonNode      *vg_stream_to_json        (VgStream *self);
/* VG_ERROR_INVALID for wrong types, missing fields, unknown fields or roles. */
VgStream      *vg_stream_new_from_json  (JsonNode *node, GError **error);
/* A stream a node sent: fields and roles this version does not know are skipped, so
 * that older clients read what newer nodes send. */
VgStream      *vg_stream_new_from_json_response (JsonNode *node, GError **error);

G_END_DECLS
