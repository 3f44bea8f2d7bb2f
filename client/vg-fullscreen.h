/* vg-fullscreen.h: a window's full screen, toggled by an action (CLI-3, CLI-10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A GtkWidgetActionActivateFunc for a window class: full screen on or off. */
void vg_fullscreen_toggle_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter);

G_END_DECLS
