/* vg-snapshot.h: the displayed frame saved as a picture, with a comment in the logbook (PLAY-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The folder snapshots go to: $VIGIE_SNAPSHOT_DIR, else Pictures/Vigie (home when
 * there is no Pictures folder). */
char     *vg_snapshot_get_directory (void);
/* Saves texture as DIR/camera-ID-YYYYMMDD-HHMMSS.mmm.png (UTC time of the frame);
 * the path, or NULL with error. */
char     *vg_snapshot_save          (GdkTexture *texture, const char *directory, gint64 camera_id,
                                     gint64 time_us, GError **error);
/* Attaches comment to the snapshot: a line "frame time, camera, picture, comment"
 * appended to DIR/logbook.tsv. */
gboolean  vg_snapshot_add_comment   (const char *picture_path, gint64 camera_id, gint64 time_us,
                                     const char *comment, GError **error);

G_END_DECLS
