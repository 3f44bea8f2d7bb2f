/* vg-test-ui.c: looking at what the client shows, through GTK's own rendering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vg-test-ui.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define LEVEL_TOLERANCE 12

/* Criticals stay fatal in the UI tests (G_DEBUG=fatal-criticals), but for one that
 * GStreamer 1.22's rtspsrc raises now and then on its own when a stream starts or
 * stops (an event given an invalid sequence number), harmless to what is shown. */
static gboolean
known_critical (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        data)
{
  return !(g_strcmp0 (log_domain, "GStreamer") == 0 && message != NULL &&
           strstr (message, "gst_event_set_seqnum: assertion") != NULL);
}

__attribute__((constructor)) static void
vg_test_ui_install_log_handler (void)
{
  g_test_log_set_fatal_handler (known_critical, NULL);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
give_up_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs until the window has laid out and painted: then every allocation is current,
 * even when a new video frame of another size has just asked for a new layout. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gboolean gave_up = FALSE;
  gulong handler;
  guint timeout;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  timeout = g_timeout_add (2000, give_up_cb, &gave_up);
  gtk_widget_queue_draw (widget);
  while (!painted && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  if (!gave_up)
    g_source_remove (timeout);
}

GdkTexture *
vg_test_ui_grab (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  graphene_rect_t bounds;

  /* The widget as its parent draws it, in the parent's coordinates. */
  g_assert_nonnull (parent);
  wait_for_paint (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, parent, &bounds));
  g_assert_cmpfloat (bounds.size.width, >, 0);
  g_assert_cmpfloat (bounds.size.height, >, 0);

  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &bounds);
}

static guchar *
download (GdkTexture *texture,
          gsize      *stride)
{
  guchar *data;

  *stride = (gsize) gdk_texture_get_width (texture) * 4;
  data = g_malloc (*stride * (gsize) gdk_texture_get_height (texture));
  gdk_texture_download (texture, data, *stride);
  return data;
}

static gboolean
pixels_differ (const guchar *a,
               const guchar *b)
{
  for (int c = 0; c < 3; c++)
    {
      if (abs ((int) a[c] - (int) b[c]) > LEVEL_TOLERANCE)
        return TRUE;
    }
  return FALSE;
}

gboolean
vg_test_ui_is_uniform (GdkTexture *texture)
{
  gsize stride;
  g_autofree guchar *data = download (texture, &stride);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        if (pixels_differ (data, data + y * stride + x * 4))
          return FALSE;
      }
  return TRUE;
}

double
vg_test_ui_difference (GdkTexture *a,
                       GdkTexture *b)
{
  gsize stride_a;
  gsize stride_b;
  g_autofree guchar *data_a = download (a, &stride_a);
  g_autofree guchar *data_b = download (b, &stride_b);
  int width = MIN (gdk_texture_get_width (a), gdk_texture_get_width (b));
  int height = MIN (gdk_texture_get_height (a), gdk_texture_get_height (b));
  guint64 differing = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        if (pixels_differ (data_a + y * stride_a + x * 4, data_b + y * stride_b + x * 4))
          differing++;
      }

  return width * height > 0 ? (double) differing / ((double) width * height) : 0;
}

void
vg_test_ui_save (GdkTexture *texture,
                 const char *name)
{
  const char *dir = g_getenv ("VIGIE_TEST_SCREENSHOTS");
  g_autofree char *default_dir = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;

  if (dir == NULL)
    dir = default_dir = g_build_filename (g_getenv ("VIGIE_BUILD_DIR") != NULL
                                          ? g_getenv ("VIGIE_BUILD_DIR") : ".",
                                          "tests", "ui", "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file, NULL);
  if (gdk_texture_save_to_png (texture, path))
    g_test_message ("screenshot: %s", path);
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

void
vg_test_ui_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
vg_test_ui_press_key (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

gboolean
vg_test_ui_type_key (GtkWidget  *widget,
                     const char *keysym)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (xdotool == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  {
    const char *argv[] = { xdotool, "windowfocus", "--sync", xid, "key", "--window", xid, keysym, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* The key's press and release, handled. */
  vg_test_ui_run_for (300);
  return TRUE;
#else
  return FALSE;
#endif
}
