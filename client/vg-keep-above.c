/* vg-keep-above.c: a window kept above the others, where the window system allows it
 * (CLI-3)
 *
 * GTK 4 has no keep-above: on X11 the window manager is asked directly, as EWMH says
 * ("_NET_WM_STATE" client message to the root window); Wayland lets no application
 * ask for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-keep-above.h"

/* GDK_WINDOWING_X11 comes with gtk.h */
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define NET_WM_STATE_REMOVE 0
#define NET_WM_STATE_ADD    1
#define SOURCE_APPLICATION  1

gboolean
vg_keep_above_is_supported (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

#ifdef GDK_WINDOWING_X11
  return GDK_IS_X11_DISPLAY (gtk_widget_get_display (widget));
#else
  return FALSE;
#endif
}

const char *
vg_keep_above_why_not (GtkWidget *widget)
{
  if (vg_keep_above_is_supported (widget))
    return NULL;
  return _("This window system does not let applications keep a window above the others");
}

#ifdef GDK_WINDOWING_X11
static void
send_wm_state (GdkSurface *surface,
               gboolean    above)
{
  GdkDisplay *display = gdk_surface_get_display (surface);
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);
  XClientMessageEvent event = { 0 };

  event.type = ClientMessage;
  event.window = gdk_x11_surface_get_xid (surface);
  event.message_type = gdk_x11_get_xatom_by_name_for_display (display, "_NET_WM_STATE");
  event.format = 32;
  event.data.l[0] = above ? NET_WM_STATE_ADD : NET_WM_STATE_REMOVE;
  event.data.l[1] = (long) gdk_x11_get_xatom_by_name_for_display (display, "_NET_WM_STATE_ABOVE");
  event.data.l[2] = 0;
  event.data.l[3] = SOURCE_APPLICATION;
  XSendEvent (xdisplay, gdk_x11_display_get_xrootwindow (display), False,
              SubstructureRedirectMask | SubstructureNotifyMask, (XEvent *) &event);
  XFlush (xdisplay);
}
#endif

gboolean
vg_keep_above_request (GtkWindow  *window,
                       gboolean    above,
                       GError    **error)
{
  GdkSurface *surface;

  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);

  if (!vg_keep_above_is_supported (GTK_WIDGET (window)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           vg_keep_above_why_not (GTK_WIDGET (window)));
      return FALSE;
    }
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (surface == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("The window is not shown yet"));
      return FALSE;
    }
#ifdef GDK_WINDOWING_X11
  send_wm_state (surface, above);
#endif
  return TRUE;
}

/* The action */

#define SETTINGS_KEY "always-on-top"

static void
apply_state (GtkWindow     *window,
             GSimpleAction *action)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    vg_keep_above_request (window, g_variant_get_boolean (state), NULL);
}

static void
change_state_cb (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  GtkWindow *window = user_data;
  GSettings *settings = g_object_get_data (G_OBJECT (action), "vg-settings");

  g_simple_action_set_state (action, value);
  apply_state (window, action);
  if (settings != NULL)
    g_settings_set_boolean (settings, SETTINGS_KEY, g_variant_get_boolean (value));
}

static void
activate_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action), g_variant_new_boolean (!g_variant_get_boolean (state)));
}

/* The window manager forgets the state of an unmapped window: asked again at each map. */
static void
map_cb (GtkWindow     *window,
        GSimpleAction *action)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  if (g_variant_get_boolean (state))
    apply_state (window, action);
}

void
vg_keep_above_add_action (GtkApplicationWindow *window,
                          GSettings            *settings)
{
  g_autoptr(GSimpleAction) action = NULL;
  gboolean above;

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  above = settings != NULL && g_settings_get_boolean (settings, SETTINGS_KEY);
  action = g_simple_action_new_stateful (SETTINGS_KEY, NULL, g_variant_new_boolean (above));
  if (settings != NULL)
    g_object_set_data_full (G_OBJECT (action), "vg-settings", g_object_ref (settings), g_object_unref);
  g_simple_action_set_enabled (action, vg_keep_above_is_supported (GTK_WIDGET (window)));
  g_signal_connect_object (action, "activate", G_CALLBACK (activate_cb), window, 0);
  g_signal_connect_object (action, "change-state", G_CALLBACK (change_state_cb), window, 0);
  g_signal_connect_object (window, "map", G_CALLBACK (map_cb), action, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}
