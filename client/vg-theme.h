/* vg-theme.h: the client's colours: dark, light or the high-contrast control room
 * theme (CLI-14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VG_THEME_DEFAULT "dark"

/* Whether name is one of "dark", "light", "control-room". */
gboolean    vg_theme_is_valid  (const char *name);
/* Applies the theme through AdwStyleManager (dark or light) and, for "control-room",
 * the high-contrast stylesheet of the resources over Adwaita's colours. */
void        vg_theme_apply     (const char *name);
/* The theme applied last (VG_THEME_DEFAULT before any). */
const char *vg_theme_get_current (void);

/* The stateful action "theme" (parameter and state: a theme's name) on application:
 * kept in settings' "theme" (settings may be NULL), applied now and on every change. */
void        vg_theme_add_action (GtkApplication *application, GSettings *settings);

G_END_DECLS
