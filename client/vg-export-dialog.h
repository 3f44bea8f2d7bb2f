/* vg-export-dialog.h: export a recorded range to this computer or to a medium on the
 * node, whole or in pieces, with its progress (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_EXPORT_DIALOG (vg_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VgExportDialog, vg_export_dialog, VG, EXPORT_DIALOG, AdwWindow)

/**
 * VgExportDialog:
 *
 * The range starts as given (a timeline's selection) and stays editable. Actions
 * (group "export"): "start", "cancel" (stops the export under way, else closes),
 * "choose-file". Signal "finished" (gboolean success) when an export ends.
 */
VgExportDialog *vg_export_dialog_new        (GtkWindow *parent, VgApiClient *client,
                                             VgCamera *camera, const char *stream,
                                             gint64 start, gint64 end);
/* What the file chooser or the folder entry would set. */
void            vg_export_dialog_set_file   (VgExportDialog *self, GFile *file);
void            vg_export_dialog_set_node_directory (VgExportDialog *self, const char *directory);
/* split_minutes, split_megabytes: 0 for none (at most one of them). */
void            vg_export_dialog_set_split  (VgExportDialog *self, guint split_minutes,
                                             guint split_megabytes);
/* The message under the progress bar. */
const char     *vg_export_dialog_get_status (VgExportDialog *self);

G_END_DECLS
