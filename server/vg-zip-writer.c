/* vg-zip-writer.c: a stored (uncompressed) zip written front to back, for exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-zip-writer.h"

#include <string.h>
#include <zlib.h>

#define SIG_LOCAL      0x04034b50
#define SIG_DESCRIPTOR 0x08074b50
#define SIG_CENTRAL    0x02014b50
#define SIG_END64      0x06064b50
#define SIG_LOCATOR64  0x07064b50
#define SIG_END        0x06054b50
#define VERSION_ZIP64  45
#define FLAG_DESCRIPTOR 0x0008
#define FLAG_UTF8      0x0800
#define MAX32          G_GUINT64_CONSTANT (0xFFFFFFFF)

typedef struct
{
  char    *name;
  guint16  dos_time, dos_date;
  guint32  crc;
  guint64  size;
  guint64  offset;       /* of the local header */
} Entry;

struct _VgZipWriter
{
  VgZipSinkFunc sink;
  gpointer      sink_data;
  guint64       written;
  GArray       *entries;   /* Entry */
  gboolean      in_entry;
  gboolean      finished;
};

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->name);
}

VgZipWriter *
vg_zip_writer_new (VgZipSinkFunc sink, gpointer user_data)
{
  VgZipWriter *self = g_new0 (VgZipWriter, 1);

  g_return_val_if_fail (sink != NULL, NULL);
  self->sink = sink;
  self->sink_data = user_data;
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  return self;
}

void
vg_zip_writer_free (VgZipWriter *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_free (self);
}

guint64
vg_zip_writer_get_size (VgZipWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->written;
}

static void
put16 (GByteArray *b, guint16 v)
{
  guint8 d[2] = { v & 0xFF, v >> 8 };

  g_byte_array_append (b, d, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 d[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24 };

  g_byte_array_append (b, d, 4);
}

static void
put64 (GByteArray *b, guint64 v)
{
  put32 (b, (guint32) (v & MAX32));
  put32 (b, (guint32) (v >> 32));
}

static gboolean
emit (VgZipWriter *self, const guint8 *data, gsize size, GError **error)
{
  if (size == 0)
    return TRUE;
  if (!self->sink (data, size, self->sink_data, error))
    return FALSE;
  self->written += size;
  return TRUE;
}

static gboolean
emit_array (VgZipWriter *self, GByteArray *b, GError **error)
{
  return emit (self, b->data, b->len, error);
}

/* DOS date and time (local time is what DOS meant; we write UTC, as most tools do
 * for archives made on servers). */
static void
dos_time (gint64 mtime_us, guint16 *time, guint16 *date)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (MAX (mtime_us / G_USEC_PER_SEC, G_GINT64_CONSTANT (315532800)));

  *time = (guint16) ((g_date_time_get_hour (t) << 11) | (g_date_time_get_minute (t) << 5) |
                     (g_date_time_get_second (t) / 2));
  *date = (guint16) (((MIN (g_date_time_get_year (t), 2107) - 1980) << 9) |
                     (g_date_time_get_month (t) << 5) | g_date_time_get_day_of_month (t));
}

gboolean
vg_zip_writer_begin_file (VgZipWriter *self, const char *name, gint64 mtime_us, GError **error)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  Entry entry = { 0 };
  gsize name_len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL && *name, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (self->in_entry && !vg_zip_writer_end_file (self, error))
    return FALSE;
  name_len = strlen (name);
  g_return_val_if_fail (name_len < 0xFFFF, FALSE);
  entry.name = g_strdup (name);
  entry.offset = self->written;
  entry.crc = crc32 (0L, Z_NULL, 0);
  dos_time (mtime_us, &entry.dos_time, &entry.dos_date);

  put32 (b, SIG_LOCAL);
  put16 (b, VERSION_ZIP64);
  put16 (b, FLAG_DESCRIPTOR | FLAG_UTF8);
  put16 (b, 0);                          /* stored */
  put16 (b, entry.dos_time);
  put16 (b, entry.dos_date);
  put32 (b, 0);                          /* CRC-32: in the descriptor */
  put32 (b, (guint32) MAX32);            /* sizes: in the zip64 extra / descriptor */
  put32 (b, (guint32) MAX32);
  put16 (b, (guint16) name_len);
  put16 (b, 20);                         /* extra length */
  g_byte_array_append (b, (const guint8 *) name, name_len);
  put16 (b, 0x0001);                     /* zip64 extra: sizes unknown yet */
  put16 (b, 16);
  put64 (b, 0);
  put64 (b, 0);
  g_array_append_val (self->entries, entry);
  self->in_entry = TRUE;
  return emit_array (self, b, error);
}

gboolean
vg_zip_writer_write (VgZipWriter *self, const guint8 *data, gsize size, GError **error)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_entry, FALSE);

  entry = &g_array_index (self->entries, Entry, self->entries->len - 1);
  for (gsize done = 0; done < size;)
    {
      uInt n = (uInt) MIN (size - done, (gsize) G_MAXUINT32 / 2);

      entry->crc = crc32 (entry->crc, data + done, n);
      done += n;
    }
  entry->size += size;
  return emit (self, data, size, error);
}

gboolean
vg_zip_writer_end_file (VgZipWriter *self, GError **error)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_entry, FALSE);

  entry = &g_array_index (self->entries, Entry, self->entries->len - 1);
  put32 (b, SIG_DESCRIPTOR);
  put32 (b, entry->crc);
  put64 (b, entry->size);
  put64 (b, entry->size);
  self->in_entry = FALSE;
  return emit_array (self, b, error);
}

static void
put_central_entry (GByteArray *b, const Entry *entry)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  gboolean big_size = entry->size >= MAX32;
  gboolean big_offset = entry->offset >= MAX32;
  gsize name_len = strlen (entry->name);

  if (big_size)
    {
      put64 (extra, entry->size);
      put64 (extra, entry->size);
    }
  if (big_offset)
    put64 (extra, entry->offset);

  put32 (b, SIG_CENTRAL);
  put16 (b, (3 << 8) | VERSION_ZIP64);   /* made by: Unix */
  put16 (b, VERSION_ZIP64);
  put16 (b, FLAG_DESCRIPTOR | FLAG_UTF8);
  put16 (b, 0);
  put16 (b, entry->dos_time);
  put16 (b, entry->dos_date);
  put32 (b, entry->crc);
  put32 (b, big_size ? (guint32) MAX32 : (guint32) entry->size);
  put32 (b, big_size ? (guint32) MAX32 : (guint32) entry->size);
  put16 (b, (guint16) name_len);
  put16 (b, extra->len ? (guint16) (extra->len + 4) : 0);
  put16 (b, 0);                          /* comment */
  put16 (b, 0);                          /* disk */
  put16 (b, 0);                          /* internal attributes */
  put32 (b, (0100644u) << 16);           /* external: a regular file, rw-r--r-- */
  put32 (b, big_offset ? (guint32) MAX32 : (guint32) entry->offset);
  g_byte_array_append (b, (const guint8 *) entry->name, name_len);
  if (extra->len)
    {
      put16 (b, 0x0001);
      put16 (b, (guint16) extra->len);
      g_byte_array_append (b, extra->data, extra->len);
    }
}

static void
put_end_records (GByteArray *b, guint64 n, guint64 cd_offset, guint64 cd_size)
{
  gboolean zip64 = n >= 0xFFFF || cd_offset >= MAX32 || cd_size >= MAX32;

  if (zip64)
    {
      guint64 end64_offset = cd_offset + cd_size;

      put32 (b, SIG_END64);
      put64 (b, 44);                     /* size of the rest of this record */
      put16 (b, (3 << 8) | VERSION_ZIP64);
      put16 (b, VERSION_ZIP64);
      put32 (b, 0);
      put32 (b, 0);
      put64 (b, n);
      put64 (b, n);
      put64 (b, cd_size);
      put64 (b, cd_offset);
      put32 (b, SIG_LOCATOR64);
      put32 (b, 0);
      put64 (b, end64_offset);
      put32 (b, 1);
    }
  put32 (b, SIG_END);
  put16 (b, 0);
  put16 (b, 0);
  put16 (b, zip64 ? 0xFFFF : (guint16) n);
  put16 (b, zip64 ? 0xFFFF : (guint16) n);
  put32 (b, zip64 ? (guint32) MAX32 : (guint32) cd_size);
  put32 (b, zip64 ? (guint32) MAX32 : (guint32) cd_offset);
  put16 (b, 0);
}

gboolean
vg_zip_writer_finish (VgZipWriter *self, GError **error)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint64 cd_offset;
  gsize cd_size;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (self->in_entry && !vg_zip_writer_end_file (self, error))
    return FALSE;
  self->finished = TRUE;
  cd_offset = self->written;
  for (guint i = 0; i < self->entries->len; i++)
    put_central_entry (b, &g_array_index (self->entries, Entry, i));
  cd_size = b->len;
  put_end_records (b, self->entries->len, cd_offset, cd_size);
  return emit_array (self, b, error);
}
