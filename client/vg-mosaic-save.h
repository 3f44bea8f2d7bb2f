/* vg-mosaic-save.h: "Save Mosaic…": a name asked, an existing name confirmed, the node
 * told (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-connection.h"
#include "vg-saved-mosaic.h"

G_BEGIN_DECLS

/* Asks parent's user for a name (mosaic's own to begin with), then saves mosaic on the
 * node under it: a new mosaic (POST), or, once the user agreed, over the one of the same
 * name (PATCH: its layout and cameras; its dwell time kept). */
void           vg_mosaic_save_async  (GtkWindow *parent, VgConnection *connection,
                                      VgSavedMosaic *mosaic, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* The mosaic as the node stored it; G_IO_ERROR_CANCELLED when the user gave up. */
VgSavedMosaic *vg_mosaic_save_finish (GtkWindow *parent, GAsyncResult *result, GError **error);

/* The mosaics of a GET /api/v1/mosaics answer, in its order; NULL and error if odd. */
GPtrArray     *vg_mosaic_list_from_json (JsonNode *body, GError **error);

G_END_DECLS
