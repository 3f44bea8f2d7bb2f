/* vg-protections-dialog.h: protect a camera's selected range from every purge, list
 * and remove its protected ranges (PLAY-8, REC-9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TYPE_PROTECTIONS_DIALOG (vg_protections_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VgProtectionsDialog, vg_protections_dialog, VG, PROTECTIONS_DIALOG, AdwWindow)

/**
 * VgProtectionsDialog:
 *
 * Lists `GET /api/v1/cameras/ID/protections`; "protections.protect" posts the range
 * given (start < end; otherwise only the list is shown) with the comment; each row's
 * button deletes its protection. Signal "changed" after the list was (re)loaded.
 */
VgProtectionsDialog *vg_protections_dialog_new (GtkWindow *parent, VgApiClient *client,
                                                VgCamera *camera, gint64 start, gint64 end);
void                 vg_protections_dialog_set_comment (VgProtectionsDialog *self, const char *comment);
/* Rows shown, and the last error (or NULL). */
guint                vg_protections_dialog_get_n_protections (VgProtectionsDialog *self);
const char          *vg_protections_dialog_get_error (VgProtectionsDialog *self);

G_END_DECLS
