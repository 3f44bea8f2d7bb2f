/* vg-test-ui.h: looking at what the client shows, through GTK's own rendering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders widget (as it is on screen) into a texture with its window's renderer. */
GdkTexture *vg_test_ui_grab          (GtkWidget *widget);
/* Whether every pixel is within a few levels of the first one. */
gboolean    vg_test_ui_is_uniform    (GdkTexture *texture);
/* The share (0–1) of pixels that differ by more than a few levels. */
double      vg_test_ui_difference    (GdkTexture *a, GdkTexture *b);
/* Saves into $VIGIE_TEST_SCREENSHOTS (or the build's tests/ui/screenshots) as name.png. */
void        vg_test_ui_save          (GdkTexture *texture, const char *name);
/* Runs the default main context for ms milliseconds. */
void        vg_test_ui_run_for       (guint ms);

/* Plays a key as widget's own key bindings take it (the focus being on widget): the
 * action of the class shortcut that keyval with exactly modifiers triggers is
 * activated. FALSE when widget binds no such key. */
gboolean    vg_test_ui_press_key     (GtkWidget *widget, guint keyval, GdkModifierType modifiers);

/* Types a key (an X keysym name: "Left", "space") on the X display into widget's
 * window with xdotool, as the keyboard would: GTK routes it to the window's focus
 * widget. FALSE (nothing typed) without xdotool or an X11 display. */
gboolean    vg_test_ui_type_key      (GtkWidget *widget, const char *keysym);

G_END_DECLS
