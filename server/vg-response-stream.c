/* vg-response-stream.c: a large HTTP response body fed from a stream, chunk by chunk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-response-stream.h"

#define CHUNK_SIZE (256 * 1024)
#define MAX_QUEUED 4

struct _VgResponseStream
{
  GObject            parent_instance;

  SoupServerMessage *msg;
  GInputStream      *input;
  GCancellable      *cancellable;
  goffset            remaining;    /* -1: until the end of input */
  guint64            sent;
  guint              queued;       /* chunks appended, not yet written */
  gboolean           reading;
  gboolean           done;         /* the body is complete */
  gboolean           finished;
};

G_DEFINE_TYPE (VgResponseStream, vg_response_stream, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vg_response_stream_dispose (GObject *object)
{
  VgResponseStream *self = VG_RESPONSE_STREAM (object);

  if (self->msg)
    g_signal_handlers_disconnect_by_data (self->msg, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->msg);
  if (self->input)
    g_input_stream_close (self->input, NULL, NULL);
  g_clear_object (&self->input);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vg_response_stream_parent_class)->dispose (object);
}

static void
vg_response_stream_class_init (VgResponseStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_response_stream_dispose;

  /**
   * VgResponseStream::finished:
   * @complete: TRUE when the whole body was handed to the client
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
vg_response_stream_init (VgResponseStream *self)
{
  self->cancellable = g_cancellable_new ();
}

static void read_next (VgResponseStream *self);

static void
stop (VgResponseStream *self, gboolean complete)
{
  self->finished = TRUE;
  g_signal_handlers_disconnect_by_data (self->msg, self);
  g_cancellable_cancel (self->cancellable);
  if (self->input)
    g_input_stream_close (self->input, NULL, NULL);
  g_signal_emit (self, signals[FINISHED], 0, complete);
  g_object_unref (self);     /* the reference taken by start */
}

void
vg_response_stream_abort (VgResponseStream *self)
{
  g_autoptr(GIOStream) connection = NULL;

  g_return_if_fail (VG_IS_RESPONSE_STREAM (self));
  if (self->finished)
    return;
  /* The connection is closed under the body: the client cannot take a cut body
   * (chunked without its last chunk, or short of its Content-Length) for a whole one. */
  connection = soup_server_message_steal_connection (self->msg);
  if (connection)
    g_io_stream_close (connection, NULL, NULL);
  if (!self->finished)
    stop (self, FALSE);
}

static void
complete_body (VgResponseStream *self)
{
  self->done = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (self->msg));
  soup_server_message_unpause (self->msg);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VgResponseStream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize size;

  self->reading = FALSE;
  if (self->finished)
    return;
  if (bytes == NULL)
    {
      g_message ("a streamed response stops: %s", error->message);
      vg_response_stream_abort (self);
      return;
    }
  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      complete_body (self);
      return;
    }
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->msg), bytes);
  self->queued++;
  self->sent += size;
  if (self->remaining > 0)
    self->remaining -= (goffset) size;
  soup_server_message_unpause (self->msg);
  if (self->remaining == 0)
    complete_body (self);
  else
    read_next (self);
}

static void
read_next (VgResponseStream *self)
{
  gsize size = CHUNK_SIZE;

  if (self->reading || self->done || self->finished || self->msg == NULL || self->queued >= MAX_QUEUED)
    return;
  if (self->remaining >= 0)
    size = (gsize) MIN ((goffset) size, self->remaining);
  self->reading = TRUE;
  g_input_stream_read_bytes_async (self->input, size, G_PRIORITY_DEFAULT, self->cancellable,
                                   read_cb, g_object_ref (self));
}

static void
wrote_chunk_cb (SoupServerMessage *msg, VgResponseStream *self)
{
  if (self->queued > 0)
    self->queued--;
  read_next (self);
}

static void
finished_cb (SoupServerMessage *msg, VgResponseStream *self)
{
  stop (self, self->done && self->queued == 0);
}

VgResponseStream *
vg_response_stream_new (SoupServerMessage *msg, GInputStream *input, goffset length)
{
  VgResponseStream *self;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), NULL);

  self = g_object_new (VG_TYPE_RESPONSE_STREAM, NULL);
  self->msg = g_object_ref (msg);
  self->input = g_object_ref (input);
  self->remaining = length < 0 ? -1 : length;
  return self;
}

void
vg_response_stream_start (VgResponseStream *self)
{
  SoupMessageBody *body;

  g_return_if_fail (VG_IS_RESPONSE_STREAM (self));

  body = soup_server_message_get_response_body (self->msg);
  soup_message_body_set_accumulate (body, FALSE);
  g_object_ref (self);     /* until "finished" */
  g_signal_connect (self->msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), self);
  g_signal_connect (self->msg, "finished", G_CALLBACK (finished_cb), self);
  if (self->remaining == 0)
    complete_body (self);
  else
    read_next (self);
  soup_server_message_unpause (self->msg);
}

guint64
vg_response_stream_get_sent (VgResponseStream *self)
{
  g_return_val_if_fail (VG_IS_RESPONSE_STREAM (self), 0);
  return self->sent;
}
