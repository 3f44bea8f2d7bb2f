/* vg-theme.c: the client's colours: dark, light or the high-contrast control room
 * theme (CLI-14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "vg-theme.h"

#define CONTROL_ROOM_CSS "/org/vigie/Vigie/control-room.css"

static const char *const themes[] = { "dark", "light", "control-room", NULL };

static GtkCssProvider *control_room;   /* added to the display while that theme is on */
static const char *current = VG_THEME_DEFAULT;

gboolean
vg_theme_is_valid (const char *name)
{
  return name != NULL && g_strv_contains (themes, name);
}

static void
set_control_room (gboolean on)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    return;
  if (on && control_room == NULL)
    {
      control_room = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (control_room, CONTROL_ROOM_CSS);
      /* Over the application's own style.css, which AdwApplication loads. */
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (control_room),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  else if (!on && control_room != NULL)
    {
      gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (control_room));
      g_clear_object (&control_room);
    }
}

void
vg_theme_apply (const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  if (!vg_theme_is_valid (name))
    name = VG_THEME_DEFAULT;

  adw_style_manager_set_color_scheme (manager, g_str_equal (name, "light")
                                               ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                               : ADW_COLOR_SCHEME_FORCE_DARK);
  set_control_room (g_str_equal (name, "control-room"));
  current = g_intern_string (name);
}

const char *
vg_theme_get_current (void)
{
  return current;
}

/* The action */

static void
change_state_cb (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  GSettings *settings = g_object_get_data (G_OBJECT (action), "vg-settings");
  const char *name = g_variant_get_string (value, NULL);

  if (!vg_theme_is_valid (name))
    return;
  g_simple_action_set_state (action, value);
  vg_theme_apply (name);
  if (settings != NULL)
    g_settings_set_string (settings, "theme", name);
}

/* Changed elsewhere (another window, dconf): followed. */
static void
settings_changed_cb (GSettings     *settings,
                     const char    *key,
                     GSimpleAction *action)
{
  g_autofree char *name = g_settings_get_string (settings, "theme");

  g_action_change_state (G_ACTION (action), g_variant_new_string (name));
}

void
vg_theme_add_action (GtkApplication *application,
                     GSettings      *settings)
{
  g_autoptr(GSimpleAction) action = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  name = settings != NULL ? g_settings_get_string (settings, "theme") : g_strdup (VG_THEME_DEFAULT);
  if (!vg_theme_is_valid (name))
    {
      g_free (name);
      name = g_strdup (VG_THEME_DEFAULT);
    }
  action = g_simple_action_new_stateful ("theme", G_VARIANT_TYPE_STRING, g_variant_new_string (name));
  if (settings != NULL)
    g_object_set_data_full (G_OBJECT (action), "vg-settings", g_object_ref (settings), g_object_unref);
  g_signal_connect (action, "change-state", G_CALLBACK (change_state_cb), NULL);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed::theme", G_CALLBACK (settings_changed_cb), action, 0);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (action));
  vg_theme_apply (name);
}
