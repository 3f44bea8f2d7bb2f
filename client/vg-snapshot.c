/* vg-snapshot.c: the displayed frame saved as a picture, with a comment in the logbook (PLAY-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-snapshot.h"

#include "vigie.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

char *
vg_snapshot_get_directory (void)
{
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  const char *override = g_getenv ("VIGIE_SNAPSHOT_DIR");

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  return g_build_filename (pictures != NULL ? pictures : g_get_home_dir (), "Vigie", NULL);
}

char *
vg_snapshot_save (GdkTexture  *texture,
                  const char  *directory,
                  gint64       camera_id,
                  gint64       time_us,
                  GError     **error)
{
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (time_us);
  g_autofree char *stamp = g_date_time_format (time, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("camera-%" G_GINT64_FORMAT "-%s.%03d.png", camera_id, stamp,
                                           g_date_time_get_microsecond (time) / 1000);
  g_autofree char *path = g_build_filename (directory, name, NULL);

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", directory, g_strerror (saved));
      return NULL;
    }
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s could not be written", path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Tabs and line breaks of a comment would break the logbook's lines. */
static char *
one_line (const char *text)
{
  char *line = g_strdup (text);

  g_strdelimit (line, "\t\r\n", ' ');
  return line;
}

gboolean
vg_snapshot_add_comment (const char  *picture_path,
                         gint64       camera_id,
                         gint64       time_us,
                         const char  *comment,
                         GError     **error)
{
  g_autofree char *directory = g_path_get_dirname (picture_path);
  g_autofree char *logbook = g_build_filename (directory, "logbook.tsv", NULL);
  g_autoptr(GDateTime) time = vg_time_new_from_unix_usec (time_us);
  g_autofree char *iso = vg_time_format_iso8601 (time);
  g_autofree char *basename = g_path_get_basename (picture_path);
  g_autofree char *text = one_line (comment);
  g_autofree char *line = g_strdup_printf ("%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", iso, camera_id, basename, text);
  g_autoptr(GFile) file = g_file_new_for_path (logbook);
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (picture_path != NULL && comment != NULL, FALSE);

  stream = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, error);
  if (stream == NULL)
    return FALSE;
  return g_output_stream_write_all (G_OUTPUT_STREAM (stream), line, strlen (line), NULL, NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
