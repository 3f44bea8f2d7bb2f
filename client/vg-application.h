/* vg-application.h: the operator client application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vg-connection-list.h"

G_BEGIN_DECLS

#define VG_APPLICATION_ID "org.vigie.Vigie"

#define VG_TYPE_APPLICATION (vg_application_get_type ())
G_DECLARE_FINAL_TYPE (VgApplication, vg_application, VG, APPLICATION, AdwApplication)

VgApplication *vg_application_new          (void);
/* org.vigie.Vigie, or NULL when its schema is not installed. */
GSettings     *vg_application_get_settings (VgApplication *self);
/* The nodes the client connects to (CLI-1), kept in the settings. */
VgConnectionList *vg_application_get_connections (VgApplication *self);

G_END_DECLS
