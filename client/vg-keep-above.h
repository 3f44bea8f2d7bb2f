/* vg-keep-above.h: a window kept above the others, where the window system allows it
 * (CLI-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether the window system of widget's display lets an application ask for it: X11
 * (the EWMH _NET_WM_STATE_ABOVE state, honoured by window managers), not Wayland. */
gboolean    vg_keep_above_is_supported (GtkWidget *widget);
/* Why not, for a tooltip; NULL when supported. */
const char *vg_keep_above_why_not      (GtkWidget *widget);
/* Asks the window manager to keep the mapped window above the others, or no longer:
 * the _NET_WM_STATE client message, sent to the root window. FALSE (error set) when
 * the window is not mapped or the window system has no such request. */
gboolean    vg_keep_above_request      (GtkWindow *window, gboolean above, GError **error);

/* Adds the stateful action "always-on-top" to window (so "win.always-on-top"): its
 * state follows and is saved in settings' "always-on-top" (settings may be NULL), and
 * is asked again each time the window is mapped. Disabled where not supported. */
void        vg_keep_above_add_action   (GtkApplicationWindow *window, GSettings *settings);

G_END_DECLS
