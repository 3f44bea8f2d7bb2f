/* test-mkv.c: the recorder's Matroska writer and its recovery reader, checked against
 * ffmpeg/ffprobe on real H.264, H.265, MPEG-4, MJPEG, AAC and G.711 made at test time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-mkv-reader.h"
#include "vg-mkv-writer.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2024-05-01T12:00:00.123456Z: not on a millisecond, as camera clocks are not */
#define BASE_US G_GINT64_CONSTANT (1714564800123456)

static char *media_dir;

/* ---- tools --------------------------------------------------------------- */

static gboolean
have_ffmpeg (void)
{
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  g_autofree char *ffprobe = g_find_program_in_path ("ffprobe");

  return ffmpeg != NULL && ffprobe != NULL;
}

#define SKIP_WITHOUT_FFMPEG()                                   \
  G_STMT_START {                                                \
    if (!have_ffmpeg ())                                        \
      {                                                         \
        g_test_skip ("ffmpeg or ffprobe is not installed");     \
        return;                                                 \
      }                                                         \
  } G_STMT_END

static char *
media_path (const char *name)
{
  return g_build_filename (media_dir, name, NULL);
}

/* Runs argv; TRUE when it exited with 0. */
static gboolean
run (char **argv, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

/* ffmpeg ARGS OUTPUT → the output's bytes (made once per test run). */
static GBytes *
make_media (const char *name, const char *args)
{
  g_autofree char *path = media_path (name);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *contents = NULL;
  gsize size = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *command = g_strdup_printf ("ffmpeg -nostdin -v error -y %s", args);
      g_auto(GStrv) argv = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      g_shell_parse_argv (command, NULL, &argv, &error);
      g_assert_no_error (error);
      g_strv_builder_addv (builder, (const char **) argv);
      g_strv_builder_add (builder, path);
      g_clear_pointer (&argv, g_strfreev);
      argv = g_strv_builder_end (builder);
      if (!run (argv, NULL, &err))
        g_error ("ffmpeg %s failed: %s", args, err);
    }
  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, >, 0);
  return g_bytes_new_take (contents, size);
}

/* ffprobe's view of path, decoding every frame: "streams.stream.N.key" → value.
 * When strict, any message (decoding errors…) fails the test. */
static GHashTable *
probe_full (const char *path, gboolean strict)
{
  char *argv[] = { "ffprobe", "-v", "error", "-count_frames", "-count_packets",
                   "-show_entries",
                   "stream=codec_name,width,height,nb_read_frames,nb_read_packets,sample_rate,channels",
                   "-of", "flat", (char *) path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (run (argv, &out, &err));
  if (strict)
    g_assert_cmpstr (err, ==, "");
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');
      char *value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      value = g_strdup (eq + 1);
      if (value[0] == '"')
        {
          memmove (value, value + 1, strlen (value));
          value[strlen (value) - 1] = '\0';
        }
      g_hash_table_insert (result, g_strdup (lines[i]), value);
    }
  return result;
}

static GHashTable *
probe (const char *path)
{
  return probe_full (path, TRUE);
}

static const char *
probe_get (GHashTable *p, guint stream, const char *key)
{
  g_autofree char *full = g_strdup_printf ("streams.stream.%u.%s", stream, key);
  const char *value = g_hash_table_lookup (p, full);

  if (value == NULL)
    g_error ("ffprobe gave no %s", full);
  return value;
}

/* ffmpeg decodes every stream of path without a word. */
static void
assert_decodes (const char *path)
{
  char *argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-i", (char *) path, "-f", "null", "-",
                   NULL };
  g_autofree char *err = NULL;

  g_assert_true (run (argv, NULL, &err));
  g_assert_cmpstr (err, ==, "");
}

/* ---- elementary streams into access units -------------------------------- */

typedef struct
{
  gsize start, end;
} Span;

/* The NAL units of an Annex B stream, without start codes and trailing zeros. */
static GArray *
annexb_nals (const guint8 *data, gsize size)
{
  GArray *nals = g_array_new (FALSE, FALSE, sizeof (Span));
  gsize start = G_MAXSIZE;

  for (gsize i = 0; i + 3 <= size + 3; i++)
    {
      gboolean code = i + 3 <= size && data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1;

      if (!code && i < size)
        continue;
      if (start != G_MAXSIZE)
        {
          Span span = { start, MIN (i, size) };

          while (span.end > span.start && data[span.end - 1] == 0)
            span.end--;
          if (span.end > span.start)
            g_array_append_val (nals, span);
        }
      if (i >= size)
        break;
      start = i + 3;
      i += 2;
    }
  return nals;
}

static void
append_nal (GByteArray *au, const guint8 *nal, gsize size)
{
  guint8 len[4] = { size >> 24, size >> 16, size >> 8, size };

  g_byte_array_append (au, len, 4);
  g_byte_array_append (au, nal, size);
}

static void
finish_unit (GPtrArray *units, VgCodec codec, GByteArray **au, gboolean keyframe)
{
  gsize size = (*au)->len;
  VgAccessUnit *unit = vg_access_unit_new_take (codec, g_byte_array_free (*au, FALSE), size);

  *au = NULL;
  unit->keyframe = keyframe;
  g_ptr_array_add (units, unit);
}

/* Access units (AVCC) of an H.264 or H.265 Annex B stream without AUDs: a new unit at a
 * parameter set, SEI or AUD after a slice, or at a picture's first slice.
 * strip_params leaves the parameter sets out. */
static GPtrArray *
h26x_units (GBytes *es, gboolean hevc, gboolean strip_params)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  g_autoptr(GArray) nals = annexb_nals (data, size);
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  VgCodec codec = hevc ? VG_CODEC_H265 : VG_CODEC_H264;
  GByteArray *au = NULL;
  gboolean has_slice = FALSE, keyframe = FALSE;

  for (guint i = 0; i < nals->len; i++)
    {
      Span *span = &g_array_index (nals, Span, i);
      const guint8 *nal = data + span->start;
      gsize len = span->end - span->start;
      guint type = hevc ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F;
      gboolean slice = hevc ? type < 32 : type >= 1 && type <= 5;
      gboolean first = slice && len > 2 && (nal[hevc ? 2 : 1] & 0x80);
      gboolean params = hevc ? type >= 32 && type <= 34 : type == 7 || type == 8;
      gboolean opens = hevc ? (type >= 32 && type <= 35) || type == 39 : type >= 6 && type <= 9;

      if (au && has_slice && (first || opens))
        {
          finish_unit (units, codec, &au, keyframe);
          has_slice = keyframe = FALSE;
        }
      if (au == NULL)
        au = g_byte_array_new ();
      if (slice)
        {
          has_slice = TRUE;
          keyframe |= hevc ? type >= 16 && type <= 23 : type == 5;
        }
      if (!(strip_params && params))
        append_nal (au, nal, len);
    }
  if (au && has_slice)
    finish_unit (units, codec, &au, keyframe);
  else if (au)
    g_byte_array_unref (au);
  return units;
}

/* An avcC record from the stream's first SPS and PPS, with lengthSizeMinusOne = 1 (the
 * writer must put 3 back: our units have 4-byte lengths). */
static GBytes *
h264_avcc (GBytes *es)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  g_autoptr(GArray) nals = annexb_nals (data, size);
  const Span *sps = NULL, *pps = NULL;
  GByteArray *b = g_byte_array_new ();
  guint8 head[6];

  for (guint i = 0; i < nals->len; i++)
    {
      const Span *span = &g_array_index (nals, Span, i);

      if ((data[span->start] & 0x1F) == 7 && !sps)
        sps = span;
      else if ((data[span->start] & 0x1F) == 8 && !pps)
        pps = span;
    }
  g_assert_nonnull (sps);
  g_assert_nonnull (pps);
  head[0] = 1;
  memcpy (head + 1, data + sps->start + 1, 3);
  head[4] = 0xFD;
  head[5] = 0xE1;
  g_byte_array_append (b, head, 6);
  head[0] = (sps->end - sps->start) >> 8;
  head[1] = (sps->end - sps->start) & 0xFF;
  g_byte_array_append (b, head, 2);
  g_byte_array_append (b, data + sps->start, sps->end - sps->start);
  head[0] = 1;
  head[1] = (pps->end - pps->start) >> 8;
  head[2] = (pps->end - pps->start) & 0xFF;
  g_byte_array_append (b, head, 3);
  g_byte_array_append (b, data + pps->start, pps->end - pps->start);
  return g_byte_array_free_to_bytes (b);
}

/* Whole pictures of a raw MJPEG stream: SOI, segments, entropy-coded data, EOI. */
static GPtrArray *
jpeg_units (GBytes *es)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  gsize pos = 0;

  while (pos + 4 <= size)
    {
      gsize p = pos + 2;

      g_assert_true (data[pos] == 0xFF && data[pos + 1] == 0xD8);
      for (;;)
        {
          guint8 marker;

          g_assert_cmpuint (p + 2, <=, size);
          g_assert_cmpuint (data[p], ==, 0xFF);
          marker = data[p + 1];
          if (marker == 0xD9)
            {
              p += 2;
              break;
            }
          g_assert_cmpuint (p + 4, <=, size);
          if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF)
            p += marker == 0xFF ? 1 : 2;
          else
            p += 2 + ((data[p + 2] << 8) | data[p + 3]);
          if (marker == 0xDA)
            while (p + 1 < size &&
                   !(data[p] == 0xFF && data[p + 1] != 0 && !(data[p + 1] >= 0xD0 && data[p + 1] <= 0xD7)))
              p++;
        }
      g_ptr_array_add (units, vg_access_unit_new (VG_CODEC_JPEG, data + pos, p - pos));
      pos = p;
    }
  return units;
}

/* MPEG-4 part 2: one unit per VOP, the headers before it included. */
static GPtrArray *
mpeg4_units (GBytes *es)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  gsize unit_start = 0;
  gboolean have_vop = FALSE, keyframe = FALSE;

  for (gsize i = 0; i + 4 <= size; i++)
    {
      if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1)
        continue;
      if (have_vop)
        {
          VgAccessUnit *unit = vg_access_unit_new (VG_CODEC_MPEG4, data + unit_start, i - unit_start);

          unit->keyframe = keyframe;
          g_ptr_array_add (units, unit);
          unit_start = i;
          have_vop = FALSE;
        }
      if (data[i + 3] == 0xB6)
        {
          have_vop = TRUE;
          keyframe = (data[i + 4] >> 6) == 0;
        }
    }
  if (have_vop)
    {
      VgAccessUnit *unit = vg_access_unit_new (VG_CODEC_MPEG4, data + unit_start, size - unit_start);

      unit->keyframe = keyframe;
      g_ptr_array_add (units, unit);
    }
  return units;
}

/* Raw AAC frames of an ADTS stream, and the AudioSpecificConfig. */
static GPtrArray *
adts_units (GBytes *es, GBytes **config)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);

  for (gsize pos = 0; pos + 7 <= size;)
    {
      guint profile = (data[pos + 2] >> 6) & 3, index = (data[pos + 2] >> 2) & 0xF;
      guint channels = ((data[pos + 2] & 1) << 2) | (data[pos + 3] >> 6);
      gsize len = ((data[pos + 3] & 3) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5);
      gsize header = (data[pos + 1] & 1) ? 7 : 9;

      g_assert_true (data[pos] == 0xFF && (data[pos + 1] & 0xF0) == 0xF0);
      g_assert_cmpuint (pos + len, <=, size);
      if (*config == NULL)
        {
          guint8 asc[2] = { ((profile + 1) << 3) | (index >> 1), ((index & 1) << 7) | (channels << 3) };

          *config = g_bytes_new (asc, 2);
        }
      g_ptr_array_add (units, vg_access_unit_new (VG_CODEC_AAC, data + pos + header, len - header));
      pos += len;
    }
  return units;
}

/* G.711 in 20 ms packets. */
static GPtrArray *
g711_units (GBytes *es, VgCodec codec)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (es, &size);
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);

  for (gsize pos = 0; pos + 160 <= size; pos += 160)
    g_ptr_array_add (units, vg_access_unit_new (codec, data + pos, 160));
  return units;
}

static void
stamp (GPtrArray *units, guint track, gint64 start_us, gint64 num, gint64 den)
{
  for (guint i = 0; i < units->len; i++)
    {
      VgAccessUnit *unit = units->pdata[i];

      unit->track = track;
      unit->time_us = start_us + i * num / den;
    }
}

/* a and b merged by time (a first on a tie); the units are shared. */
static GPtrArray *
interleave (GPtrArray *a, GPtrArray *b)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  guint i = 0, j = 0;

  while (i < a->len || j < b->len)
    {
      VgAccessUnit *ua = i < a->len ? a->pdata[i] : NULL;
      VgAccessUnit *ub = j < b->len ? b->pdata[j] : NULL;

      if (ub == NULL || (ua && ua->time_us <= ub->time_us))
        g_ptr_array_add (all, vg_access_unit_ref (a->pdata[i++]));
      else
        g_ptr_array_add (all, vg_access_unit_ref (b->pdata[j++]));
    }
  return all;
}

/* ---- writing and checking ------------------------------------------------ */

typedef struct
{
  char    *path;
  guint64  size, n_frames, n_dropped;
  gint64   first_us, last_us;
  GArray  *keyframes;
} Written;

static void
written_free (Written *w)
{
  g_free (w->path);
  g_array_unref (w->keyframes);
  g_free (w);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Written, written_free)

static Written *
write_units (const char *name, VgTrackInfo **tracks, guint n_tracks, GPtrArray *units)
{
  g_autoptr(VgMkvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  Written *w = g_new0 (Written, 1);
  const VgMkvKeyframe *keyframes;
  guint n_keyframes;
  GStatBuf st;

  w->path = media_path (name);
  g_unlink (w->path);
  writer = vg_mkv_writer_new (w->path, tracks, n_tracks, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < units->len; i++)
    {
      vg_mkv_writer_write (writer, units->pdata[i], &error);
      g_assert_no_error (error);
    }
  vg_mkv_writer_close (writer, &error);
  g_assert_no_error (error);

  w->size = vg_mkv_writer_get_size (writer);
  w->n_frames = vg_mkv_writer_get_n_frames (writer);
  w->n_dropped = vg_mkv_writer_get_n_dropped (writer);
  w->first_us = vg_mkv_writer_get_first_time (writer);
  w->last_us = vg_mkv_writer_get_last_time (writer);
  keyframes = vg_mkv_writer_get_keyframes (writer, &n_keyframes);
  w->keyframes = g_array_new (FALSE, FALSE, sizeof (VgMkvKeyframe));
  g_array_append_vals (w->keyframes, keyframes, n_keyframes);

  g_assert_cmpint (g_stat (w->path, &st), ==, 0);
  g_assert_cmpuint (st.st_size, ==, w->size);
  {
    mode_t mask = umask (0);

    umask (mask);
    g_assert_cmpuint ((guint) st.st_mode & 0777, ==, 0640 & ~mask);
  }
  return w;
}

static void
assert_same_index (const GArray *a, const GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpint (g_array_index (a, VgMkvKeyframe, i).time_us, ==,
                       g_array_index (b, VgMkvKeyframe, i).time_us);
      g_assert_cmpuint (g_array_index (a, VgMkvKeyframe, i).offset, ==,
                        g_array_index (b, VgMkvKeyframe, i).offset);
    }
}

/* Every index entry is on a Cluster ID, and the scan of the whole file agrees with the
 * writer. */
static VgMkvScan *
check_written (const Written *w)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (w->path, FALSE, &error);
  const guint8 *bytes;
  VgMkvScan *scan;

  g_assert_no_error (error);
  bytes = (const guint8 *) g_mapped_file_get_contents (file);
  g_assert_cmpuint (w->keyframes->len, >, 0);
  for (guint i = 0; i < w->keyframes->len; i++)
    {
      const VgMkvKeyframe *k = &g_array_index (w->keyframes, VgMkvKeyframe, i);
      static const guint8 cluster_id[4] = { 0x1F, 0x43, 0xB6, 0x75 };

      g_assert_cmpuint (k->offset + 4, <=, w->size);
      g_assert_cmpmem (bytes + k->offset, 4, cluster_id, 4);
      if (i > 0)
        g_assert_cmpuint (k->offset, >, g_array_index (w->keyframes, VgMkvKeyframe, i - 1).offset);
    }

  scan = vg_mkv_scan_file (w->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->file_size, ==, w->size);
  g_assert_cmpuint (scan->valid_length, ==, w->size);
  g_assert_cmpuint (scan->n_frames, ==, w->n_frames);
  g_assert_cmpint (scan->start_time_us, ==, g_array_index (w->keyframes, VgMkvKeyframe, 0).time_us);
  g_assert_cmpint (scan->first_time_us, ==, w->first_us);
  g_assert_cmpint (scan->last_time_us, ==, w->last_us);
  assert_same_index (scan->keyframes, w->keyframes);
  return scan;
}

static void
check_probe (const char *path, guint stream, const char *codec, guint width, guint height,
             guint64 n_frames)
{
  g_autoptr(GHashTable) p = probe (path);
  g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, n_frames);

  g_assert_cmpstr (probe_get (p, stream, "codec_name"), ==, codec);
  if (width)
    {
      g_assert_cmpuint (atoi (probe_get (p, stream, "width")), ==, width);
      g_assert_cmpuint (atoi (probe_get (p, stream, "height")), ==, height);
      g_assert_cmpstr (probe_get (p, stream, "nb_read_frames"), ==, frames);
    }
  else
    g_assert_cmpstr (probe_get (p, stream, "nb_read_packets"), ==, frames);
}

static GPtrArray *
h264_clip (gboolean strip_params)
{
  g_autoptr(GBytes) es = make_media ("testsrc-360p.h264",
                                     "-f lavfi -i testsrc2=size=640x360:rate=25 -t 4 "
                                     "-c:v libx264 -g 25 -bf 0 -pix_fmt yuv420p -f h264");
  GPtrArray *units = h26x_units (es, FALSE, strip_params);

  stamp (units, 0, BASE_US, 40000, 1);
  return units;
}

/* ---- tests --------------------------------------------------------------- */

static void
test_index_pack (void)
{
  g_autoptr(GError) error = NULL;
  VgMkvKeyframe entries[30];
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GArray) back = NULL;
  static const guint8 bad[][6] = {
    { 2, 0 },                           /* version */
    { 1, 2, 0x80 },                     /* truncated varint */
    { 1, 1, 2, 2, 7 },                  /* trailing byte */
    { 1, 0x7F, 2, 2 },                  /* more entries than bytes */
  };
  static const gsize bad_size[] = { 2, 3, 5, 4 };

  /* 2 s GOPs at 4 Mbit/s, camera-jittered */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      entries[i].time_us = BASE_US + i * G_GINT64_CONSTANT (2000000) + (i % 3) * 1000;
      entries[i].offset = i == 0 ? 0 : entries[i - 1].offset + 1000000 + (i * 7919) % 50000;
    }
  entries[0].offset = 1234;
  packed = vg_mkv_keyframe_index_pack (entries, G_N_ELEMENTS (entries));
  g_test_message ("keyframe index: %" G_GSIZE_FORMAT " bytes for %u entries",
                  g_bytes_get_size (packed), (guint) G_N_ELEMENTS (entries));
  /* first entry ~12 bytes, then 2 + 3 */
  g_assert_cmpuint (g_bytes_get_size (packed), <=, 14 + 5 * (G_N_ELEMENTS (entries) - 1));
  back = vg_mkv_keyframe_index_unpack (packed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, G_N_ELEMENTS (entries));
  for (guint i = 0; i < back->len; i++)
    {
      g_assert_cmpint (g_array_index (back, VgMkvKeyframe, i).time_us, ==, entries[i].time_us);
      g_assert_cmpuint (g_array_index (back, VgMkvKeyframe, i).offset, ==, entries[i].offset);
    }
  g_clear_pointer (&back, g_array_unref);

  empty = vg_mkv_keyframe_index_pack (NULL, 0);
  back = vg_mkv_keyframe_index_unpack (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) b = g_bytes_new_static (bad[i], bad_size[i]);
      g_autoptr(GArray) none = vg_mkv_keyframe_index_unpack (b, &error);

      g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
      g_assert_null (none);
      g_clear_error (&error);
    }
  /* random bytes never crash it */
  for (guint i = 0; i < 2000; i++)
    {
      guint8 junk[24];
      gsize n = g_test_rand_int_range (0, sizeof junk);
      g_autoptr(GBytes) b = NULL;
      g_autoptr(GArray) any = NULL;

      for (gsize j = 0; j < n; j++)
        junk[j] = g_test_rand_int ();
      junk[0] = 1;
      b = g_bytes_new (junk, n);
      any = vg_mkv_keyframe_index_unpack (b, NULL);
    }
}

static void
test_h264 (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  g_autoptr(VgMkvReader) reader = NULL;
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GArray) unpacked = NULL;
  g_autoptr(GError) error = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  const VgTrackInfo *info;
  guint unit_index = 0;

  SKIP_WITHOUT_FFMPEG ();
  units = h264_clip (FALSE);
  g_assert_cmpuint (units->len, ==, 100);

  /* no avcC, no dimensions: both from the first keyframe's SPS */
  w = write_units ("h264.mkv", tracks, 1, units);
  g_assert_cmpuint (w->n_frames, ==, 100);
  g_assert_cmpuint (w->n_dropped, ==, 0);
  g_assert_cmpint (w->first_us, ==, BASE_US);
  g_assert_cmpint (w->last_us, ==, BASE_US + 99 * 40000);
  g_assert_cmpuint (w->keyframes->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (w->keyframes, VgMkvKeyframe, i).time_us, ==,
                     BASE_US + i * G_GINT64_CONSTANT (1000000));

  check_probe (w->path, 0, "h264", 640, 360, 100);
  assert_decodes (w->path);
  scan = check_written (w);
  g_assert_cmpuint (scan->tracks->len, ==, 1);
  info = scan->tracks->pdata[0];
  g_assert_cmpint (info->codec, ==, VG_CODEC_H264);
  g_assert_cmpuint (info->width, ==, 640);
  g_assert_cmpuint (info->height, ==, 360);
  g_assert_nonnull (info->codec_private);

  /* each Cluster from the index gives back the units, as they were */
  reader = vg_mkv_reader_open (w->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < w->keyframes->len; i++)
    {
      const VgMkvKeyframe *k = &g_array_index (w->keyframes, VgMkvKeyframe, i);
      guint64 next = 1;
      g_autoptr(GPtrArray) got = vg_mkv_reader_read_cluster (reader, k->offset, &next, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (got->len, ==, 25);
      g_assert_cmpuint (next, ==, i + 1 < w->keyframes->len
                                    ? g_array_index (w->keyframes, VgMkvKeyframe, i + 1).offset : 0);
      for (guint j = 0; j < got->len; j++, unit_index++)
        {
          VgAccessUnit *a = got->pdata[j], *b = units->pdata[unit_index];

          g_assert_cmpint (a->codec, ==, VG_CODEC_H264);
          g_assert_cmpint (a->time_us, ==, b->time_us);
          g_assert_cmpint (a->keyframe, ==, b->keyframe);
          g_assert_cmpmem (a->data, a->size, b->data, b->size);
        }
      g_assert_true (((VgAccessUnit *) got->pdata[0])->keyframe);
    }
  g_assert_cmpuint (unit_index, ==, units->len);
  g_assert_null (vg_mkv_reader_read_cluster (reader, 3, NULL, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
  g_clear_error (&error);

  /* the index as the database keeps it */
  packed = vg_mkv_keyframe_index_pack ((const VgMkvKeyframe *) w->keyframes->data,
                                       w->keyframes->len);
  unpacked = vg_mkv_keyframe_index_unpack (packed, &error);
  g_assert_no_error (error);
  assert_same_index (unpacked, w->keyframes);
}

/* A copy of the first size bytes of path. */
static char *
write_prefix (const char *name, GBytes *file, gsize size)
{
  g_autoptr(GError) error = NULL;
  char *path = media_path (name);

  g_assert_cmpuint (size, <=, g_bytes_get_size (file));
  g_file_set_contents (path, g_bytes_get_data (file, NULL), size, &error);
  g_assert_no_error (error);
  return path;
}

static gint
compare_size (gconstpointer a, gconstpointer b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

typedef enum {
  CUT_DECODES,                  /* ffmpeg decodes every stream without a word */
  CUT_PROBE,                    /* likewise, and ffprobe counts the scan's video frames */
  CUT_PROBE_LENIENT,            /* ffprobe counts the scan's video frames */
} CutCheck;

/* Cuts file at many offsets: each scan claims no more than what is there, and what it
 * claims decodes. */
static void
check_cuts (GBytes *file, const VgMkvScan *full, GArray *cuts, CutCheck check)
{
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint64 last_frames = 0;

  g_array_sort (cuts, compare_size);
  for (guint i = 0; i < cuts->len; i++)
    {
      gsize cut = g_array_index (cuts, gsize, i);
      g_autofree char *path = write_prefix ("cut.mkv", file, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgMkvScan) scan = vg_mkv_scan_file (path, &error);
      g_autoptr(VgMkvScan) again = NULL;
      g_autofree char *valid = NULL;

      if (cut < full->header_length)
        {
          g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY);
          g_assert_null (scan);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (scan->valid_length, <=, cut);
      g_assert_cmpuint (scan->n_frames, <=, full->n_frames);
      g_assert_cmpuint (scan->n_frames, >=, last_frames);
      last_frames = scan->n_frames;
      g_assert_cmpuint (scan->keyframes->len, <=, full->keyframes->len);
      for (guint k = 0; k < scan->keyframes->len; k++)
        {
          g_assert_cmpuint (g_array_index (scan->keyframes, VgMkvKeyframe, k).offset, ==,
                            g_array_index (full->keyframes, VgMkvKeyframe, k).offset);
          g_assert_cmpuint (g_array_index (scan->keyframes, VgMkvKeyframe, k).offset, <, scan->valid_length);
        }
      if (scan->n_frames == 0)
        continue;
      g_assert_cmpint (scan->first_time_us, ==, full->first_time_us);
      g_assert_cmpint (scan->last_time_us, <=, full->last_time_us);

      /* recovery truncates the file to its valid length: a stable, playable file */
      valid = write_prefix ("valid.mkv", file, scan->valid_length);
      again = vg_mkv_scan_file (valid, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (again->valid_length, ==, scan->valid_length);
      g_assert_cmpuint (again->n_frames, ==, scan->n_frames);
      g_assert_cmpuint (again->n_blocks, ==, scan->n_blocks);

      /* many cuts give the same prefix: ffmpeg sees each once */
      if (g_hash_table_contains (checked, &scan->valid_length))
        continue;
      g_hash_table_add (checked, g_memdup2 (&scan->valid_length, sizeof (gint64)));
      if (check != CUT_DECODES)
        {
          g_autoptr(GHashTable) p = probe_full (valid, check == CUT_PROBE);
          g_autofree char *frames = g_strdup_printf ("%" G_GUINT64_FORMAT, scan->n_frames);

          g_assert_cmpstr (probe_get (p, 0, "nb_read_frames"), ==, frames);
        }
      else
        assert_decodes (valid);
    }
}

static void
test_h264_truncated (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) full = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GError) error = NULL;
  static const int around[] = { -3, -2, -1, 0, 1, 2, 3, 4, 8, 12, 13, 14, 15, 16, 17, 20 };
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  GMappedFile *mapped;

  SKIP_WITHOUT_FFMPEG ();
  units = h264_clip (FALSE);
  w = write_units ("h264-cut.mkv", tracks, 1, units);
  full = check_written (w);
  mapped = g_mapped_file_new (w->path, FALSE, &error);
  g_assert_no_error (error);
  file = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);

  for (guint i = 0; i < 50; i++)
    {
      gsize cut = g_test_rand_int_range (0, w->size);

      g_array_append_val (cuts, cut);
    }
  for (guint i = 0; i < w->keyframes->len; i++)
    for (guint j = 0; j < G_N_ELEMENTS (around); j++)
      {
        gsize cut = g_array_index (w->keyframes, VgMkvKeyframe, i).offset + around[j];

        g_array_append_val (cuts, cut);
      }
  for (gsize cut = full->header_length - 2; cut <= full->header_length + 40; cut++)
    g_array_append_val (cuts, cut);
  {
    gsize cut = w->size;
    g_array_append_val (cuts, cut);
    cut = 0;
    g_array_append_val (cuts, cut);
  }
  check_cuts (file, full, cuts, CUT_PROBE);
}

static void
test_h264_aac (void)
{
  g_autoptr(GBytes) es = NULL;
  g_autoptr(GBytes) aac = NULL;
  g_autoptr(GBytes) asc = NULL;
  g_autoptr(GBytes) avcc = NULL;
  g_autoptr(GPtrArray) video_units = NULL;
  g_autoptr(GPtrArray) audio_units = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GError) error = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000,
                        .width = 640, .height = 360 };
  VgTrackInfo audio = { .codec = VG_CODEC_AAC, .track = 1, .clock_rate = 48000 };
  VgTrackInfo *tracks[] = { &video, &audio };
  const VgTrackInfo *info;
  GMappedFile *mapped;

  SKIP_WITHOUT_FFMPEG ();
  es = make_media ("testsrc-360p.h264",
                   "-f lavfi -i testsrc2=size=640x360:rate=25 -t 4 "
                   "-c:v libx264 -g 25 -bf 0 -pix_fmt yuv420p -f h264");
  aac = make_media ("sine-48k.aac",
                    "-f lavfi -i sine=frequency=440:sample_rate=48000 -t 4 -c:a aac -b:a 64k -f adts");
  /* the avcC from the track info (as from an SDP), no parameter sets in band */
  avcc = h264_avcc (es);
  video.codec_private = avcc;
  video_units = h26x_units (es, FALSE, TRUE);
  stamp (video_units, 0, BASE_US, 40000, 1);
  audio_units = adts_units (aac, &asc);
  audio.codec_private = asc;
  stamp (audio_units, 1, BASE_US + 5000, 1024 * 1000000, 48000);
  all = interleave (video_units, audio_units);

  w = write_units ("h264-aac.mkv", tracks, 2, all);
  g_assert_cmpuint (w->n_frames, ==, 100);
  g_assert_cmpuint (w->n_dropped, ==, 0);
  check_probe (w->path, 0, "h264", 640, 360, 100);
  check_probe (w->path, 1, "aac", 0, 0, audio_units->len);
  assert_decodes (w->path);
  scan = check_written (w);
  g_assert_cmpuint (scan->n_blocks, ==, all->len);
  g_assert_cmpuint (scan->tracks->len, ==, 2);
  info = scan->tracks->pdata[1];
  g_assert_cmpint (info->codec, ==, VG_CODEC_AAC);
  g_assert_cmpuint (info->sample_rate, ==, 48000);
  g_assert_cmpuint (info->channels, ==, 1);
  g_assert_true (g_bytes_equal (info->codec_private, asc));
  g_assert_cmpint (scan->last_time_us, ==, w->last_us);

  /* cut with audio interleaved */
  mapped = g_mapped_file_new (w->path, FALSE, &error);
  g_assert_no_error (error);
  file = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  for (guint i = 0; i < 12; i++)
    {
      gsize cut = g_test_rand_int_range (scan->header_length, w->size);

      g_array_append_val (cuts, cut);
    }
  check_cuts (file, scan, cuts, CUT_DECODES);
}

static void
test_h264_pcma (void)
{
  g_autoptr(GBytes) alaw = NULL;
  g_autoptr(GPtrArray) video_units = NULL;
  g_autoptr(GPtrArray) audio_units = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo audio = { .codec = VG_CODEC_PCMA, .track = 1, .clock_rate = 8000,
                        .sample_rate = 8000, .channels = 1 };
  VgTrackInfo *tracks[] = { &video, &audio };
  const VgTrackInfo *info;

  SKIP_WITHOUT_FFMPEG ();
  video_units = h264_clip (FALSE);
  alaw = make_media ("sine-8k.alaw",
                     "-f lavfi -i sine=frequency=440:sample_rate=8000 -t 4 -c:a pcm_alaw -f alaw");
  audio_units = g711_units (alaw, VG_CODEC_PCMA);
  stamp (audio_units, 1, BASE_US, 20000, 1);
  all = interleave (video_units, audio_units);

  w = write_units ("h264-pcma.mkv", tracks, 2, all);
  check_probe (w->path, 0, "h264", 640, 360, 100);
  check_probe (w->path, 1, "pcm_alaw", 0, 0, audio_units->len);
  assert_decodes (w->path);
  scan = check_written (w);
  g_assert_cmpuint (scan->n_blocks, ==, all->len);
  info = scan->tracks->pdata[1];
  g_assert_cmpint (info->codec, ==, VG_CODEC_PCMA);
  g_assert_cmpuint (info->sample_rate, ==, 8000);
  g_assert_cmpuint (info->channels, ==, 1);
}

static void
test_h265 (void)
{
  g_autoptr(GBytes) es = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H265, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  const VgTrackInfo *info;

  SKIP_WITHOUT_FFMPEG ();
  es = make_media ("testsrc-360p.h265",
                   "-f lavfi -i testsrc2=size=640x360:rate=25 -t 2 -c:v libx265 "
                   "-x265-params keyint=25:min-keyint=25:bframes=0:log-level=error -f hevc");
  units = h26x_units (es, TRUE, FALSE);
  g_assert_cmpuint (units->len, ==, 50);
  stamp (units, 0, BASE_US, 40000, 1);

  /* hvcC and dimensions from the in-band VPS/SPS/PPS */
  w = write_units ("h265.mkv", tracks, 1, units);
  g_assert_cmpuint (w->n_frames, ==, 50);
  g_assert_cmpuint (w->keyframes->len, ==, 2);
  check_probe (w->path, 0, "hevc", 640, 360, 50);
  assert_decodes (w->path);
  scan = check_written (w);
  info = scan->tracks->pdata[0];
  g_assert_cmpint (info->codec, ==, VG_CODEC_H265);
  g_assert_cmpuint (info->width, ==, 640);
  g_assert_cmpuint (info->height, ==, 360);
}

static void
test_mjpeg_pcmu (void)
{
  g_autoptr(GBytes) es = NULL;
  g_autoptr(GBytes) ulaw = NULL;
  g_autoptr(GPtrArray) video_units = NULL;
  g_autoptr(GPtrArray) audio_units = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_JPEG, .track = 0, .clock_rate = 90000 };
  VgTrackInfo audio = { .codec = VG_CODEC_PCMU, .track = 1, .clock_rate = 8000 };
  VgTrackInfo *tracks[] = { &video, &audio };
  const VgTrackInfo *info;

  SKIP_WITHOUT_FFMPEG ();
  es = make_media ("testsrc-240p.mjpeg",
                   "-f lavfi -i testsrc2=size=320x240:rate=10 -t 2 -c:v mjpeg -q:v 5 "
                   "-pix_fmt yuvj420p -f mjpeg");
  ulaw = make_media ("sine-8k.ulaw",
                     "-f lavfi -i sine=frequency=440:sample_rate=8000 -t 2 -c:a pcm_mulaw -f mulaw");
  video_units = jpeg_units (es);
  g_assert_cmpuint (video_units->len, ==, 20);
  stamp (video_units, 0, BASE_US, 100000, 1);
  audio_units = g711_units (ulaw, VG_CODEC_PCMU);
  stamp (audio_units, 1, BASE_US, 20000, 1);
  all = interleave (video_units, audio_units);

  /* every JPEG is a keyframe: one Cluster per picture */
  w = write_units ("mjpeg-pcmu.mkv", tracks, 2, all);
  g_assert_cmpuint (w->n_frames, ==, 20);
  g_assert_cmpuint (w->keyframes->len, ==, 20);
  check_probe (w->path, 0, "mjpeg", 320, 240, 20);
  check_probe (w->path, 1, "pcm_mulaw", 0, 0, audio_units->len);
  assert_decodes (w->path);
  scan = check_written (w);
  info = scan->tracks->pdata[0];
  g_assert_cmpuint (info->width, ==, 320);
  g_assert_cmpuint (info->height, ==, 240);
  info = scan->tracks->pdata[1];
  g_assert_cmpint (info->codec, ==, VG_CODEC_PCMU);
  g_assert_cmpuint (info->sample_rate, ==, 8000);
}

static void
test_mpeg4 (void)
{
  g_autoptr(GBytes) es = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_MPEG4, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  const VgTrackInfo *info;

  SKIP_WITHOUT_FFMPEG ();
  es = make_media ("testsrc-240p.m4v",
                   "-f lavfi -i testsrc2=size=320x240:rate=25 -t 2 -c:v mpeg4 -g 25 -bf 0 -f m4v");
  units = mpeg4_units (es);
  g_assert_cmpuint (units->len, ==, 50);
  stamp (units, 0, BASE_US, 40000, 1);

  w = write_units ("mpeg4.mkv", tracks, 1, units);
  g_assert_cmpuint (w->keyframes->len, ==, 2);
  check_probe (w->path, 0, "mpeg4", 320, 240, 50);
  assert_decodes (w->path);
  scan = check_written (w);
  info = scan->tracks->pdata[0];
  g_assert_cmpuint (info->width, ==, 320);
  g_assert_cmpuint (info->height, ==, 240);
  g_assert_nonnull (info->codec_private);
}

static void
test_writer_rules (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) bare = NULL;
  g_autoptr(VgMkvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  g_autofree char *path = media_path ("rules.mkv");
  g_autofree char *empty_path = media_path ("rules-empty.mkv");
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo g726 = { .codec = VG_CODEC_G726, .track = 1, .clock_rate = 8000 };
  VgTrackInfo aac = { .codec = VG_CODEC_AAC, .track = 1, .sample_rate = 44100, .channels = 2 };
  VgTrackInfo odd_aac = { .codec = VG_CODEC_AAC, .track = 1, .sample_rate = 12345 };
  VgTrackInfo *with_g726[] = { &video, &g726 };
  VgTrackInfo *audio_only[] = { &aac };
  VgTrackInfo *with_aac[] = { &video, &aac };
  VgTrackInfo *twice[] = { &video, &video };
  static const guint8 aac_frame[] = { 0x21, 0x10, 0x04, 0x60, 0x8C, 0x1C };
  g_autoptr(VgAccessUnit) audio = vg_access_unit_new (VG_CODEC_AAC, aac_frame, sizeof aac_frame);
  g_autoptr(VgAccessUnit) stray = vg_access_unit_new (VG_CODEC_AAC, aac_frame, sizeof aac_frame);
  g_autoptr(VgAccessUnit) broken = NULL;
  guint8 bad_avcc[] = { 0, 0, 0, 9, 0x41, 1, 2 };
  VgAccessUnit *u;
  guint64 size_before;

  SKIP_WITHOUT_FFMPEG ();
  g_unlink (path);
  g_unlink (empty_path);

  /* what cannot be recorded says so before a file is made */
  g_assert_false (vg_mkv_track_supported (&g726, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_true (vg_mkv_track_supported (&aac, &error));
  g_assert_no_error (error);
  g_assert_false (vg_mkv_track_supported (&odd_aac, NULL));
  g_assert_null (vg_mkv_writer_new (path, with_g726, 2, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (vg_mkv_writer_new (path, audio_only, 1, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (vg_mkv_writer_new (path, twice, 2, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* closed before any keyframe: an empty file, which the reader calls empty */
  writer = vg_mkv_writer_new (empty_path, with_aac, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vg_mkv_writer_get_first_time (writer), ==, 0);
  vg_mkv_writer_close (writer, &error);
  g_assert_no_error (error);
  g_clear_pointer (&writer, vg_mkv_writer_free);
  g_assert_null (vg_mkv_scan_file (empty_path, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY);
  g_clear_error (&error);
  /* O_EXCL */
  g_assert_null (vg_mkv_writer_new (empty_path, with_aac, 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  units = h264_clip (FALSE);
  bare = h264_clip (TRUE);
  writer = vg_mkv_writer_new (path, with_aac, 2, &error);
  g_assert_no_error (error);

  /* before the first usable keyframe everything is dropped: audio, P-frames, and a
   * keyframe without parameter sets */
  audio->track = 1;
  audio->time_us = BASE_US - 100000;
  g_assert_true (vg_mkv_writer_write (writer, audio, &error));
  for (guint i = 21; i < 25; i++)
    g_assert_true (vg_mkv_writer_write (writer, units->pdata[i], &error));
  u = bare->pdata[0];
  g_assert_true (u->keyframe);
  u->time_us = BASE_US - 40000;
  g_assert_true (vg_mkv_writer_write (writer, u, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vg_mkv_writer_get_n_dropped (writer), ==, 6);
  g_assert_cmpuint (vg_mkv_writer_get_size (writer), ==, 0);
  g_assert_cmpuint (vg_mkv_writer_get_n_frames (writer), ==, 0);

  /* the segment starts at the first keyframe with SPS/PPS */
  for (guint i = 0; i < 50; i++)
    {
      g_assert_true (vg_mkv_writer_write (writer, units->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (vg_mkv_writer_get_n_frames (writer), ==, 50);
  g_assert_cmpint (vg_mkv_writer_get_first_time (writer), ==, BASE_US);

  /* audio from before the segment start, and of a track not given, is dropped */
  g_assert_true (vg_mkv_writer_write (writer, audio, &error));
  stray->track = 7;
  stray->time_us = BASE_US + 2000000;
  g_assert_true (vg_mkv_writer_write (writer, stray, &error));
  g_assert_cmpuint (vg_mkv_writer_get_n_dropped (writer), ==, 8);

  /* a malformed unit is refused, the writer goes on */
  broken = vg_access_unit_new (VG_CODEC_H264, bad_avcc, sizeof bad_avcc);
  broken->time_us = BASE_US + 2000000;
  size_before = vg_mkv_writer_get_size (writer);
  g_assert_false (vg_mkv_writer_write (writer, broken, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (vg_mkv_writer_get_size (writer), ==, size_before);

  /* a keyframe, then 40 s without one: a Cluster without index entry keeps the
   * timecodes in range */
  u = units->pdata[50];
  u->time_us = BASE_US + 2000000;
  g_assert_true (vg_mkv_writer_write (writer, u, &error));
  u = units->pdata[51];
  u->time_us = BASE_US + 42000000;
  g_assert_true (vg_mkv_writer_write (writer, u, &error));
  g_assert_no_error (error);
  audio->time_us = BASE_US + 42010000;
  g_assert_true (vg_mkv_writer_write (writer, audio, &error));
  {
    guint n;

    vg_mkv_writer_get_keyframes (writer, &n);
    g_assert_cmpuint (n, ==, 3);
  }
  g_assert_cmpint (vg_mkv_writer_get_last_time (writer), ==, BASE_US + 42010000);

  /* a keyframe from before the current Cluster: the caller must start a new segment */
  u = units->pdata[75];
  u->time_us = BASE_US + 41000000;
  g_assert_false (vg_mkv_writer_write (writer, u, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_TIME_WENT_BACK);
  g_clear_error (&error);

  g_assert_true (vg_mkv_writer_sync (writer, &error));
  g_assert_true (vg_mkv_writer_close (writer, &error));
  g_assert_no_error (error);

  scan = vg_mkv_scan_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_frames, ==, 52);
  g_assert_cmpuint (scan->n_blocks, ==, 53);
  g_assert_cmpuint (scan->valid_length, ==, scan->file_size);
  g_assert_cmpuint (scan->keyframes->len, ==, 3);
  g_assert_cmpint (scan->last_time_us, ==, vg_mkv_writer_get_last_time (writer));
  g_assert_cmpint (scan->first_time_us, ==, BASE_US);
  assert_decodes (path);
}

static void
test_bad_files (void)
{
  g_autofree char *random_path = media_path ("random.mkv");
  g_autofree char *zero_path = media_path ("zero.mkv");
  g_autofree char *magic_path = media_path ("magic.mkv");
  g_autofree char *missing_path = media_path ("missing.mkv");
  g_autoptr(GError) error = NULL;
  guint8 junk[65536];

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = g_test_rand_int ();
  junk[0] = 0x42;                       /* not the EBML magic, whatever the seed */
  g_file_set_contents (random_path, (const char *) junk, sizeof junk, &error);
  g_assert_no_error (error);
  g_file_set_contents (zero_path, "", 0, &error);
  g_assert_no_error (error);
  g_file_set_contents (magic_path, "\x1a\x45", 2, &error);
  g_assert_no_error (error);

  g_assert_null (vg_mkv_scan_file (random_path, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (vg_mkv_scan_file (zero_path, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (vg_mkv_scan_file (magic_path, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (vg_mkv_scan_file (missing_path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vg_mkv_scan_file (media_dir, &error));
  g_assert_error (error, VG_MKV_ERROR, VG_MKV_ERROR_INVALID);
  g_clear_error (&error);
}

/* Mutated copies of a real file: whatever the scan says, it must not crash or read
 * past the file (run under ASan), and what it returns must be consistent. */
static void
test_fuzz (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = media_path ("fuzz.mkv");
  g_autofree guint8 *orig = NULL;
  gsize orig_size;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo audio = { .codec = VG_CODEC_PCMA, .track = 1, .clock_rate = 8000 };
  VgTrackInfo *tracks[] = { &video, &audio };
  g_autoptr(GBytes) alaw = NULL;
  g_autoptr(GPtrArray) audio_units = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint n_ok = 0;

  SKIP_WITHOUT_FFMPEG ();
  units = h264_clip (FALSE);
  g_ptr_array_set_size (units, 30);     /* two Clusters: small and quick */
  alaw = make_media ("sine-8k.alaw",
                     "-f lavfi -i sine=frequency=440:sample_rate=8000 -t 4 -c:a pcm_alaw -f alaw");
  audio_units = g711_units (alaw, VG_CODEC_PCMA);
  g_ptr_array_set_size (audio_units, 60);
  stamp (audio_units, 1, BASE_US, 20000, 1);
  all = interleave (units, audio_units);
  w = write_units ("fuzz-source.mkv", tracks, 2, all);
  g_file_get_contents (w->path, (char **) &orig, &orig_size, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 400; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (orig, orig_size);
      gsize size = round % 4 == 0 ? (gsize) g_test_rand_int_range (0, orig_size) : orig_size;
      guint n_changes = g_test_rand_int_range (1, 12);
      g_autoptr(VgMkvScan) scan = NULL;
      g_autoptr(VgMkvReader) reader = NULL;

      for (guint c = 0; c < n_changes; c++)
        {
          /* mostly in the header and the Cluster/block headers */
          gsize at = g_test_rand_bit () ? g_test_rand_int_range (0, MIN (size, 600) + 1)
                                        : g_test_rand_int_range (0, size + 1);

          if (at < size)
            copy[at] = g_test_rand_bit () ? g_test_rand_int () : copy[at] ^ (1 << g_test_rand_int_range (0, 8));
        }
      g_file_set_contents (path, (const char *) copy, size, &error);
      g_assert_no_error (error);

      scan = vg_mkv_scan_file (path, &error);
      if (scan == NULL)
        {
          g_assert_true (error->domain == VG_MKV_ERROR);
          g_clear_error (&error);
          continue;
        }
      n_ok++;
      g_assert_cmpuint (scan->valid_length, <=, size);
      g_assert_cmpuint (scan->n_frames, <=, 256 * scan->n_blocks);  /* laces: 1 to 256 */
      reader = vg_mkv_reader_open (path, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < scan->keyframes->len; k++)
        {
          g_autoptr(GPtrArray) got =
            vg_mkv_reader_read_cluster (reader, g_array_index (scan->keyframes, VgMkvKeyframe, k).offset,
                                        NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (got);       /* maybe empty: laced blocks are skipped */
        }
      for (guint k = 0; k < 5; k++)
        {
          g_autoptr(GPtrArray) any =
            vg_mkv_reader_read_cluster (reader, g_test_rand_int_range (0, size + 8), NULL, NULL);
        }
    }
  g_test_message ("%u of 400 mutated files still scanned", n_ok);
}

/* A file of another muxer (ffmpeg: SeekHead, Clusters of known size, Cues, BlockGroups)
 * is read too, whole and cut. */
static void
test_foreign (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(Written) w = NULL;
  g_autoptr(VgMkvScan) full = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GError) error = NULL;
  g_autofree char *remuxed = media_path ("remuxed.mkv");
  g_autofree char *err = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  GMappedFile *mapped;
  char *argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", NULL, "-c", "copy",
                   "-cluster_time_limit", "1500", remuxed, NULL };

  SKIP_WITHOUT_FFMPEG ();
  units = h264_clip (FALSE);
  w = write_units ("foreign-source.mkv", tracks, 1, units);
  argv[6] = w->path;
  g_assert_true (run (argv, NULL, &err));
  g_assert_cmpstr (err, ==, "");

  full = vg_mkv_scan_file (remuxed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (full->n_frames, ==, 100);
  g_assert_cmpuint (full->keyframes->len, >=, 1);
  g_assert_cmpint (full->first_time_us, ==, full->start_time_us);
  g_assert_cmpint (full->last_time_us, ==, full->start_time_us + 99 * 40000);

  mapped = g_mapped_file_new (remuxed, FALSE, &error);
  g_assert_no_error (error);
  file = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  for (guint i = 0; i < 10; i++)
    {
      gsize cut = g_test_rand_int_range (full->header_length, g_bytes_get_size (file));

      g_array_append_val (cuts, cut);
    }
  /* its Segment and Clusters have sizes: ffmpeg finds a cut copy "ended prematurely" */
  check_cuts (file, full, cuts, CUT_PROBE_LENIENT);
}

/* A full disk, simulated with a file size limit: write() fails with EFBIG (the real
 * ENOSPC is tested with a tmpfs in tests/integration/test-full-disk.c). */
static void
test_full_disk (void)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(VgMkvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgMkvScan) scan = NULL;
  g_autofree char *path = media_path ("full.mkv");
  g_autofree char *valid = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GHashTable) p = NULL;
  g_autofree char *frames = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  struct rlimit old_limit, limit;
  void (*old_handler) (int);
  const rlim_t max_size = 300000;
  guint written = 0;
  GStatBuf st;
  GMappedFile *mapped;

  SKIP_WITHOUT_FFMPEG ();
  units = h264_clip (FALSE);
  g_unlink (path);
  writer = vg_mkv_writer_new (path, tracks, 1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  old_handler = signal (SIGXFSZ, SIG_IGN);
  limit = old_limit;
  limit.rlim_cur = max_size;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  for (guint i = 0; i < units->len; i++)
    {
      if (!vg_mkv_writer_write (writer, units->pdata[i], &error))
        break;
      written++;
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* the error sticks */
  g_assert_false (vg_mkv_writer_write (writer, units->pdata[units->len - 1], &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_false (vg_mkv_writer_close (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  /* The file was cut back to its last complete flush: it ends on a whole block, and
   * the writer describes exactly what it holds (what the index will say). */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_size, <, max_size);
  g_assert_cmpuint (st.st_size, ==, vg_mkv_writer_get_size (writer));
  g_assert_cmpuint (written, <, units->len);
  scan = vg_mkv_scan_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_frames, >, 0);
  g_assert_cmpuint (scan->n_frames, ==, vg_mkv_writer_get_n_frames (writer));
  g_assert_cmpuint (scan->n_frames, ==, vg_mkv_writer_get_n_durable_frames (writer));
  g_assert_cmpuint (scan->n_frames, <=, written);
  g_assert_cmpuint (scan->valid_length, ==, st.st_size);

  mapped = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  file = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  valid = write_prefix ("full-valid.mkv", file, scan->valid_length);
  p = probe (valid);
  frames = g_strdup_printf ("%" G_GUINT64_FORMAT, scan->n_frames);
  g_assert_cmpstr (probe_get (p, 0, "nb_read_frames"), ==, frames);
}

/* The cost of writing: 60 s of a 1080p25 4 Mbit/s camera, as fast as it goes. */
static void
test_perf (void)
{
  g_autoptr(GBytes) es = NULL;
  g_autoptr(GPtrArray) clip = NULL;
  g_autoptr(VgMkvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = media_path ("perf.mkv");
  g_autoptr(GTimer) timer = NULL;
  VgTrackInfo video = { .codec = VG_CODEC_H264, .track = 0, .clock_rate = 90000 };
  VgTrackInfo *tracks[] = { &video };
  const guint n_frames = 60 * 25;
  double seconds;
  guint64 size;
  guint n_clusters;

  if (!g_test_perf ())
    {
      g_test_skip ("a measure: run with -m perf");
      return;
    }
  SKIP_WITHOUT_FFMPEG ();
  es = make_media ("testsrc-1080p.h264",
                   "-f lavfi -i testsrc2=size=1920x1080:rate=25 -t 10 -c:v libx264 -preset veryfast "
                   "-b:v 4M -maxrate 4M -bufsize 4M -g 50 -bf 0 -pix_fmt yuv420p -f h264");
  clip = h26x_units (es, FALSE, FALSE);
  g_unlink (path);

  timer = g_timer_new ();
  writer = vg_mkv_writer_new (path, tracks, 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_frames; i++)
    {
      VgAccessUnit *unit = clip->pdata[i % clip->len];

      unit->time_us = BASE_US + i * G_GINT64_CONSTANT (40000);
      vg_mkv_writer_write (writer, unit, &error);
      g_assert_no_error (error);
    }
  vg_mkv_writer_close (writer, &error);
  g_assert_no_error (error);
  seconds = g_timer_elapsed (timer, NULL);
  size = vg_mkv_writer_get_size (writer);

  g_test_minimized_result (seconds * 1e6 / n_frames, "%.1f µs per frame", seconds * 1e6 / n_frames);
  vg_mkv_writer_get_keyframes (writer, &n_clusters);
  g_test_maximized_result (size / seconds / 1e6, "%.0f MB/s (%.1f MB in %.3f s, %u Clusters)",
                           size / seconds / 1e6, size / 1e6, seconds, n_clusters);
  g_unlink (path);
}

static void
remove_media_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (media_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = media_path (name);

      g_unlink (path);
    }
  g_rmdir (media_dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  media_dir = g_dir_make_tmp ("vigie-test-mkv-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/mkv/index-pack", test_index_pack);
  g_test_add_func ("/mkv/h264", test_h264);
  g_test_add_func ("/mkv/h264/truncated", test_h264_truncated);
  g_test_add_func ("/mkv/h264-aac", test_h264_aac);
  g_test_add_func ("/mkv/h264-pcma", test_h264_pcma);
  g_test_add_func ("/mkv/h265", test_h265);
  g_test_add_func ("/mkv/mjpeg-pcmu", test_mjpeg_pcmu);
  g_test_add_func ("/mkv/mpeg4", test_mpeg4);
  g_test_add_func ("/mkv/writer-rules", test_writer_rules);
  g_test_add_func ("/mkv/foreign", test_foreign);
  g_test_add_func ("/mkv/bad-files", test_bad_files);
  g_test_add_func ("/mkv/fuzz", test_fuzz);
  g_test_add_func ("/mkv/full-disk", test_full_disk);
  g_test_add_func ("/mkv/perf", test_perf);
  status = g_test_run ();

  remove_media_dir ();
  g_free (media_dir);
  return status;
}
