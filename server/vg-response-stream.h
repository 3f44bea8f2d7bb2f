/* vg-response-stream.h: a large HTTP response body fed from a stream, chunk by chunk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define VG_TYPE_RESPONSE_STREAM (vg_response_stream_get_type ())
G_DECLARE_FINAL_TYPE (VgResponseStream, vg_response_stream, VG, RESPONSE_STREAM, GObject)

/**
 * VgResponseStream:
 *
 * Copies a GInputStream into the response body of a SoupServerMessage without
 * holding it in memory and without blocking the main loop: asynchronous reads of
 * 256 KiB, at most four chunks waiting for the socket (the body does not accumulate),
 * the next read started when libsoup has written a chunk ("wrote-chunk"), the message
 * unpaused after each chunk. A slow client thus slows the reads (and whatever
 * writes into the stream: a pipe from an export thread blocks). It keeps itself
 * alive until the message is finished; if the client goes away, the input is closed
 * (which stops a writer on the other end of a pipe) and "finished" is emitted with
 * FALSE.
 *
 * The status and headers must be set before vg_response_stream_start(); with a
 * Content-Length, at most that many bytes are read.
 */
VgResponseStream *vg_response_stream_new   (SoupServerMessage *msg, GInputStream *input,
                                            goffset length);
/* Unpauses the message and starts copying. */
void              vg_response_stream_start (VgResponseStream *self);
/* Closes the connection under the body (the source failed): the client sees an
 * incomplete response. "finished" is emitted with FALSE. */
void              vg_response_stream_abort (VgResponseStream *self);
/* Bytes handed to libsoup so far. */
guint64           vg_response_stream_get_sent (VgResponseStream *self);

G_END_DECLS
