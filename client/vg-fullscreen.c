/* vg-fullscreen.c: a window's full screen, toggled by an action (CLI-3, CLI-10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-fullscreen.h"

void
vg_fullscreen_toggle_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}
