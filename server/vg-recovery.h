/* vg-recovery.h: segments left open by a crash, scanned and indexed at start (REC-7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vg-database.h"
#include "vg-recording-index.h"
#include "vg-storage.h"

G_BEGIN_DECLS

/* Every segment the index still marks open (the node stopped without closing it: a
 * crash, kill -9, a power cut) is scanned up to its last complete frame, in a thread,
 * and its row is completed and closed; a segment whose file is gone or holds no frame
 * loses its row. Runs before recording starts again. *n_recovered: segments closed. */
void     vg_recovery_run_async  (VgDatabase *database, VgStorage *storage, VgRecordingIndex *index,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean vg_recovery_run_finish (GAsyncResult *result, guint *n_recovered, GError **error);

G_END_DECLS
