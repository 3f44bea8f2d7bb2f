/* test-client.c: the vigie client as a video wall starts it, against real nodes and
 * simulated cameras: `--connect https://admin@HOST:PORT --mosaic 2x2` shows four cells
 * of moving video from the node's relay; a wrong password shows an error; a second
 * node added beside the first (its certificate accepted by the operator), both in the
 * camera tree, searched together, a camera of each in the mosaic, dropped there; the
 * mosaic of both nodes played back in one player on one clock (every view on the frame
 * recorded at the same instant, seeking together, each timeline row from its node),
 * the recordings window over both; a node restarted, a camera stopped, a node's
 * certificate changed (display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <glib/gstdio.h>
#include <string.h>

#include "vg-application.h"
#include "vg-certificate-dialog.h"
#include "vg-node-dialog.h"
#include "vg-password.h"
#include "vg-password-file.h"
#include "vg-test-client.h"
#include "vg-test-node.h"
#include "vg-test-sim.h"
#include "vg-test-ui.h"
#include "vg-live-window.h"
#include "vg-player-window.h"
#include "vg-recordings-window.h"
#include "vg-window.h"

#define N_CAMERAS 4
#define N_GATES 2

typedef struct {
  VgTestSim *sim;
  VgTestNode *node;
  VgApiClient *admin;
  gint64 camera_ids[N_CAMERAS];

  /* A second node (two-nodes only), its cameras "Gate 1" and "Gate 2" on the same
   * simulated cameras 1 and 2. */
  VgTestNode *node_b;
  VgApiClient *admin_b;
  gint64 gate_ids[N_GATES];
  gint64 recording_since;   /* real time the last cameras were added */
} Fixture;

static gint64
add_named_camera (Fixture     *fixture,
                  VgApiClient *admin,
                  const char  *name,
                  guint        sim_camera)
{
  return vg_test_client_add_camera (admin, fixture->sim, name, sim_camera);
}

static gint64
add_camera (Fixture *fixture,
            guint    sim_camera)
{
  return add_named_camera (fixture, fixture->admin, "Camera", sim_camera);
}

static void
set_up_first_node (Fixture    *fixture,
                   const char *config)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = vg_test_sim_start (N_CAMERAS, &error);
  g_assert_no_error (error);
  fixture->node = vg_test_node_new (config);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start: %s", error->message);
  fixture->admin = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);

  for (guint i = 0; i < N_CAMERAS; i++)
    fixture->camera_ids[i] = add_camera (fixture, i + 1);
  fixture->recording_since = g_get_real_time ();
}

static void
set_up_second_node (Fixture    *fixture,
                    const char *config)
{
  g_autoptr(GError) error = NULL;

  fixture->node_b = vg_test_node_new (config);
  if (!vg_test_node_start (fixture->node_b, &error))
    g_error ("The second node did not start: %s", error->message);
  fixture->admin_b = vg_test_node_client (fixture->node_b, "admin", VG_TEST_ADMIN_PASSWORD);
  for (guint i = 0; i < N_GATES; i++)
    fixture->gate_ids[i] = add_named_camera (fixture, fixture->admin_b, "Gate", i + 1);
  fixture->recording_since = g_get_real_time ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  set_up_first_node (fixture, NULL);
}

static void
fixture_set_up_two (Fixture       *fixture,
                    gconstpointer  data)
{
  set_up_first_node (fixture, NULL);
  set_up_second_node (fixture, NULL);
}

/* Two nodes with names of their own, recording in short segments (what the player
 * reads is closed sooner). */
static void
fixture_set_up_two_recording (Fixture       *fixture,
                              gconstpointer  data)
{
  set_up_first_node (fixture, "[node]\nname=North\n[recording]\nsegment-seconds=4\n");
  set_up_second_node (fixture, "[node]\nname=South\n[recording]\nsegment-seconds=4\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->node_b != NULL)
    {
      g_clear_object (&fixture->admin_b);
      vg_test_node_stop (fixture->node_b);
      vg_test_node_free (fixture->node_b);
    }
  g_clear_object (&fixture->admin);
  vg_test_node_stop (fixture->node);
  vg_test_node_free (fixture->node);
  vg_test_sim_free (fixture->sim);
}

/* Running the application as `vigie ARGS` would, with the checks from inside */

static void
run_client (Fixture    *fixture,
            const char *password,
            const char *mosaic,
            void      (*check) (Fixture *fixture, VgWindow *window))
{
  vg_test_client_run (fixture->node, password, mosaic, FALSE, (VgTestClientCheck) check, fixture);
}

/* The mosaic */

typedef struct {
  VgMosaic *mosaic;
  guint64 frames;
} MosaicWait;

static gboolean
every_cell_has_frames (gpointer data)
{
  MosaicWait *wait = data;

  for (guint i = 0; i < vg_mosaic_get_n_cells (wait->mosaic); i++)
    {
      guint64 shown = 0;

      vg_video_view_get_frame_counts (vg_mosaic_get_view (wait->mosaic, i), NULL, &shown);
      if (shown < wait->frames)
        return FALSE;
    }
  return TRUE;
}

/* A screenshot of the whole screen for people to look at, when ffmpeg is there. */
static void
save_screen (const char *name)
{
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  g_autofree char *dir = g_build_filename (g_getenv ("VIGIE_BUILD_DIR") != NULL
                                           ? g_getenv ("VIGIE_BUILD_DIR") : ".",
                                           "tests", "ui", "screenshots", NULL);
  g_autofree char *path = g_strdup_printf ("%s/%s.png", dir, name);
  const char *display = g_getenv ("DISPLAY");

  if (ffmpeg == NULL || display == NULL)
    return;

  g_mkdir_with_parents (dir, 0755);
  {
    const char *argv[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "x11grab", "-i", display,
                           "-frames:v", "1", path, NULL };

    if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                      NULL, NULL))
      g_test_message ("screen: %s", path);
  }
}

static void
check_mosaic (Fixture  *fixture,
              VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  MosaicWait wait = { mosaic, 10 };
  GdkTexture *first[N_CAMERAS] = { NULL };
  GdkTexture *second[N_CAMERAS] = { NULL };

  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 4);
  if (!vg_test_wait_until (every_cell_has_frames, &wait, 60000))
    {
      for (guint i = 0; i < vg_mosaic_get_n_cells (mosaic); i++)
        {
          VgVideoView *view = vg_mosaic_get_view (mosaic, i);

          g_test_message ("cell %u: camera %s, %s, “%s”", i + 1,
                          vg_video_view_get_camera (view) != NULL
                          ? vg_camera_get_name (vg_video_view_get_camera (view)) : "none",
                          vg_video_view_get_live_uri (view),
                          vg_video_view_get_status_text (view));
        }
      g_assert_not_reached ();
    }

  for (guint i = 0; i < N_CAMERAS; i++)
    {
      VgVideoView *view = vg_mosaic_get_view (mosaic, i);
      g_autofree char *expected = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/sub",
                                                   fixture->camera_ids[i]);

      /* The node's cameras in order, from the node's relay over TLS (the default when
       * the node offers rtsps://), sub streams in small cells */
      g_assert_nonnull (vg_video_view_get_camera (view));
      g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (view)), ==, fixture->camera_ids[i]);
      g_assert_true (g_str_has_prefix (vg_video_view_get_live_uri (view), "rtsps://127.0.0.1:"));
      g_assert_true (g_str_has_suffix (vg_video_view_get_live_uri (view), expected));
      g_assert_cmpint (vg_video_view_get_state (view), ==, VG_LIVE_STATE_PLAYING);
    }

  vg_test_ui_run_for (300);
  for (guint i = 0; i < N_CAMERAS; i++)
    first[i] = vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, i)));
  save_screen ("client-mosaic-1");
  vg_test_ui_run_for (1000);
  for (guint i = 0; i < N_CAMERAS; i++)
    second[i] = vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, i)));
  save_screen ("client-mosaic-2");

  for (guint i = 0; i < N_CAMERAS; i++)
    {
      g_autofree char *name_a = g_strdup_printf ("client-cell-%u-a", i + 1);
      g_autofree char *name_b = g_strdup_printf ("client-cell-%u-b", i + 1);
      double difference = vg_test_ui_difference (first[i], second[i]);
      guint64 received;
      guint64 shown;

      vg_test_ui_save (first[i], name_a);
      vg_test_ui_save (second[i], name_b);
      vg_video_view_get_frame_counts (vg_mosaic_get_view (mosaic, i), &received, &shown);
      g_test_message ("cell %u: %.2f %% of the pixels changed in a second; frames received %"
                      G_GUINT64_FORMAT ", shown %" G_GUINT64_FORMAT,
                      i + 1, difference * 100, received, shown);

      g_assert_false (vg_test_ui_is_uniform (first[i]));
      g_assert_false (vg_test_ui_is_uniform (second[i]));
      g_assert_cmpfloat (difference, >, 0.001);

      g_object_unref (first[i]);
      g_object_unref (second[i]);
    }

  /* Double click maximises: the same view, now large, moves to the main stream */
  vg_mosaic_toggle_maximized (mosaic, 0);
  g_assert_cmpuint (vg_mosaic_get_maximized (mosaic), ==, 0);
  vg_mosaic_toggle_maximized (mosaic, 0);
  g_assert_cmpuint (vg_mosaic_get_maximized (mosaic), ==, G_MAXUINT);

  /* The keypad: camera 3's number and Enter puts it in the selected cell */
  {
    g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->camera_ids[2]);

    vg_mosaic_select (mosaic, 0);
    for (const char *d = digits; *d != '\0'; d++)
      g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_0 + (guint) (*d - '0')));
    g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_Enter));
    g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 0))),
                     ==, fixture->camera_ids[2]);
  }
}

static void
test_mosaic (Fixture       *fixture,
             gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_mosaic);
}

/* The single-camera page: the camera's live main stream */

static gboolean
view_plays (gpointer data)
{
  VgVideoView *view = data;
  guint64 shown = 0;

  vg_video_view_get_frame_counts (view, NULL, &shown);
  return vg_video_view_get_state (view) == VG_LIVE_STATE_PLAYING && shown >= 10;
}

static gboolean
is_connected (gpointer data)
{
  return vg_connection_get_state (VG_CONNECTION (data)) == VG_CONNECTION_STATE_CONNECTED;
}

static void
check_camera_page (Fixture  *fixture,
                   VgWindow *window)
{
  VgVideoView *view = vg_camera_page_get_video_view (vg_window_get_camera_page (window));
  g_autofree char *expected = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/main",
                                               fixture->camera_ids[1]);
  g_autoptr(GdkTexture) picture = NULL;

  g_assert_true (vg_test_wait_until (is_connected, vg_window_get_connection (window), 20000));
  g_assert_null (vg_video_view_get_live_uri (view));   /* not shown yet: no video */
  vg_window_select_camera (window, fixture->camera_ids[1]);
  g_assert_true (vg_test_wait_until (view_plays, view, 30000));
  g_assert_true (g_str_has_suffix (vg_video_view_get_live_uri (view), expected));
  g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (view)), ==, fixture->camera_ids[1]);

  vg_test_ui_run_for (500);
  picture = vg_test_ui_grab (GTK_WIDGET (view));
  vg_test_ui_save (picture, "client-camera-page");
  save_screen ("client-camera-page-screen");
  g_assert_false (vg_test_ui_is_uniform (picture));

  /* The camera in a window of its own (CLI-10): its main stream plays there. */
  {
    VgLiveWindow *live = vg_window_open_live_window (window, fixture->camera_ids[2]);
    g_autofree char *main_uri = g_strdup_printf ("/cameras/%" G_GINT64_FORMAT "/main", fixture->camera_ids[2]);
    VgVideoView *live_view;

    g_assert_nonnull (live);
    live_view = vg_live_window_get_video_view (live);
    g_assert_true (vg_test_wait_until (view_plays, live_view, 30000));
    g_assert_true (g_str_has_suffix (vg_video_view_get_live_uri (live_view), main_uri));
    vg_test_ui_run_for (300);
    save_screen ("client-live-window");
    gtk_window_close (GTK_WINDOW (live));
  }

  /* The shortcuts window, from the resource, opened by its action */
  {
    GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
    guint n_shortcuts = 0;

    g_assert_nonnull (overlay);
    for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (overlay)); w != NULL; )
      {
        if (GTK_IS_SHORTCUTS_SHORTCUT (w))
          {
            g_autofree char *accelerator = NULL;

            g_object_get (w, "accelerator", &accelerator, NULL);
            g_assert_nonnull (accelerator);
            n_shortcuts++;
          }
        /* depth first */
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL && w != GTK_WIDGET (overlay))
              w = gtk_widget_get_parent (w);
            w = (w == NULL || w == GTK_WIDGET (overlay)) ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_cmpuint (n_shortcuts, >=, 15);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
    vg_test_ui_run_for (500);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
    save_screen ("client-shortcuts");
    gtk_window_close (GTK_WINDOW (overlay));
  }
}

static void
test_camera_page (Fixture       *fixture,
                  gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_camera_page);
}

/* A cycle of the user's saved mosaics (CLI-6) */

static void
save_mosaics (Fixture *fixture)
{
  g_autofree char *first = g_strdup_printf ("{\"name\": \"One\", \"dwell\": 1, \"layout\": "
                                            "{\"columns\": 1, \"rows\": 1, \"cells\": "
                                            "[{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": %" G_GINT64_FORMAT "}]}}",
                                            fixture->camera_ids[0]);
  g_autofree char *second = g_strdup_printf ("{\"name\": \"Two\", \"dwell\": 1, \"layout\": "
                                             "{\"columns\": 2, \"rows\": 1, \"cells\": "
                                             "[{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": %" G_GINT64_FORMAT "}, "
                                             "{\"x\": 1, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": %" G_GINT64_FORMAT ", \"stream\": \"main\"}]}}",
                                             fixture->camera_ids[1], fixture->camera_ids[2]);
  const char *bodies[] = { first, second };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;

      body = vg_test_request (fixture->admin, "POST", "/api/v1/mosaics", bodies[i], &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 201);
    }
}

typedef struct {
  VgMosaicCycle *cycle;
  guint position;
} CycleWait;

static gboolean
cycle_at (gpointer data)
{
  CycleWait *wait = data;

  return vg_mosaic_cycle_get_position (wait->cycle) == wait->position;
}

static gint64
cell_camera_id (VgMosaic *mosaic,
                guint     index)
{
  VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (mosaic, index));

  return camera != NULL ? vg_camera_get_id (camera) : 0;
}

static void
check_cycle (Fixture  *fixture,
             VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  VgMosaicCycle *cycle = vg_window_get_mosaic_cycle (window);
  CycleWait wait = { cycle, 0 };
  MosaicWait frames = { mosaic, 5 };
  guint paused_at;

  g_assert_nonnull (cycle);
  g_assert_true (vg_test_wait_until (is_connected, vg_window_get_connection (window), 20000));
  g_assert_false (vg_mosaic_cycle_get_running (cycle));

  /* F6 (win.cycle) starts it with the first saved mosaic */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle", NULL));
  g_assert_true (vg_test_wait_until (cycle_at, &wait, 20000));
  g_assert_true (vg_mosaic_cycle_get_running (cycle));
  g_assert_cmpuint (vg_mosaic_cycle_get_n_mosaics (cycle), ==, 2);
  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 1);
  g_assert_cmpint (cell_camera_id (mosaic, 0), ==, fixture->camera_ids[0]);

  /* After its dwell, the second, with the cameras saved in it */
  wait.position = 1;
  g_assert_true (vg_test_wait_until (cycle_at, &wait, 20000));
  g_assert_cmpuint (vg_mosaic_get_n_cells (mosaic), ==, 2);
  g_assert_cmpint (cell_camera_id (mosaic, 0), ==, fixture->camera_ids[1]);
  g_assert_cmpint (cell_camera_id (mosaic, 1), ==, fixture->camera_ids[2]);

  /* Paused: it stays where it is */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-pause", NULL));
  g_assert_true (vg_mosaic_cycle_get_paused (cycle));
  paused_at = vg_mosaic_cycle_get_position (cycle);
  g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 30000));
  vg_test_ui_run_for (2500);
  g_assert_cmpuint (vg_mosaic_cycle_get_position (cycle), ==, paused_at);
  save_screen ("client-mosaic-cycle");

  /* Resumed: it moves on */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-pause", NULL));
  g_assert_false (vg_mosaic_cycle_get_paused (cycle));
  wait.position = (paused_at + 1) % 2;
  g_assert_true (vg_test_wait_until (cycle_at, &wait, 20000));

  /* Stopped */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle", NULL));
  g_assert_false (vg_mosaic_cycle_get_running (cycle));
}

static void
test_cycle (Fixture       *fixture,
            gconstpointer  data)
{
  save_mosaics (fixture);
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_cycle);
}

/* A wrong password */

static gboolean
has_failed (gpointer data)
{
  return vg_connection_get_state (VG_CONNECTION (data)) == VG_CONNECTION_STATE_FAILED;
}

static void
check_wrong_password (Fixture  *fixture,
                      VgWindow *window)
{
  VgConnection *connection = vg_window_get_connection (window);
  VgMosaic *mosaic = vg_window_get_mosaic (window);

  g_assert_nonnull (connection);
  g_assert_true (vg_test_wait_until (has_failed, connection, 20000));
  g_assert_cmpstr (vg_connection_get_error (connection), ==, "Wrong user name or password");
  /* The window stays, with no camera in the mosaic */
  vg_test_ui_run_for (500);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (vg_mosaic_is_empty (mosaic));
  save_screen ("client-wrong-password");
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  run_client (fixture, "not-the-password", "2x2", check_wrong_password);
}

/* Several nodes (CLI-1, CLI-2) */

typedef struct {
  VgConnection *connection;
  guint n_cameras;
} ConnectionWait;

static gboolean
connected_with_cameras (gpointer data)
{
  ConnectionWait *wait = data;

  return vg_connection_get_state (wait->connection) == VG_CONNECTION_STATE_CONNECTED &&
         vg_connection_get_rtsp_port (wait->connection) != 0 &&
         g_list_model_get_n_items (vg_connection_get_cameras (wait->connection)) == wait->n_cameras;
}

static gboolean
has_untrusted_fingerprint (gpointer data)
{
  return vg_connection_get_untrusted_fingerprint (VG_CONNECTION (data)) != NULL;
}

static gboolean
is_not_connected (gpointer data)
{
  return vg_connection_get_state (VG_CONNECTION (data)) != VG_CONNECTION_STATE_CONNECTED;
}

/* The message dialog open over parent, or NULL. */
static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog (GTK_WINDOW (data)) != NULL;
}

static void
assert_body_shows (AdwMessageDialog *dialog,
                   const char       *fingerprint)
{
  g_autofree char *formatted = vg_certificate_dialog_format_fingerprint (fingerprint);

  g_test_message ("dialog: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), formatted));
}

/* The cell's drop target, as a drag from the camera tree reaches it. */
static gboolean
drop_camera (VgMosaic *mosaic,
             guint     cell,
             VgCamera *camera)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (vg_mosaic_get_view (mosaic, cell)));
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);   /* the view keeps it */
    }
  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (VG_TYPE_CAMERA, gtk_drop_target_get_gtypes (target, NULL)[0]));

  g_value_init (&value, VG_TYPE_CAMERA);
  g_value_set_object (&value, camera);
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &accepted);
  g_value_unset (&value);
  return accepted;
}

typedef struct {
  VgVideoView *view;
  guint64 shown;   /* frames to reach, counted since the view was made */
} ViewWait;

static gboolean
view_has_frames (gpointer data)
{
  ViewWait *wait = data;
  guint64 shown = 0;

  vg_video_view_get_frame_counts (wait->view, NULL, &shown);
  return vg_video_view_get_state (wait->view) == VG_LIVE_STATE_PLAYING && shown >= wait->shown;
}

/* Each cell shows frames again: n more than now, playing. */
static void
wait_cells_play_again (VgMosaic *mosaic,
                       guint64   n)
{
  for (guint i = 0; i < vg_mosaic_get_n_cells (mosaic); i++)
    {
      ViewWait wait = { vg_mosaic_get_view (mosaic, i), 0 };

      vg_video_view_get_frame_counts (wait.view, NULL, &wait.shown);
      wait.shown += n;
      if (!vg_test_wait_until (view_has_frames, &wait, 90000))
        g_error ("cell %u does not play again: %s, “%s”", i + 1,
                 vg_video_view_get_live_uri (wait.view), vg_video_view_get_status_text (wait.view));
    }
}

/* Every cell's picture changes within a second. */
static void
assert_cells_move (VgMosaic   *mosaic,
                   const char *name)
{
  guint n_cells = vg_mosaic_get_n_cells (mosaic);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);

  vg_test_ui_run_for (300);
  for (guint i = 0; i < n_cells; i++)
    g_ptr_array_add (first, vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, i))));
  save_screen (name);
  vg_test_ui_run_for (1000);
  for (guint i = 0; i < n_cells; i++)
    {
      g_autoptr(GdkTexture) second = vg_test_ui_grab (GTK_WIDGET (vg_mosaic_get_view (mosaic, i)));
      double difference = vg_test_ui_difference (g_ptr_array_index (first, i), second);

      g_test_message ("%s, cell %u: %.2f %% of the pixels changed in a second", name, i + 1,
                      difference * 100);
      g_assert_false (vg_test_ui_is_uniform (second));
      g_assert_cmpfloat (difference, >, 0.001);
    }
}

static gboolean
strv_has (char      **strv,
          const char *text)
{
  return strv != NULL && g_strv_contains ((const char *const *) strv, text);
}

static void
check_search (Fixture      *fixture,
              VgNodeTree   *tree,
              VgConnection *a,
              VgConnection *b)
{
  VgConnection *owner = NULL;

  g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, N_CAMERAS + N_GATES);

  vg_node_tree_set_search (tree, "gate");
  g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, N_GATES);
  for (guint i = 0; i < N_GATES; i++)
    {
      VgCamera *camera = vg_node_tree_get_camera (tree, i, &owner);

      g_assert_true (owner == b);
      g_assert_true (g_str_has_prefix (vg_camera_get_name (camera), "Gate"));
    }
  vg_test_ui_run_for (300);
  save_screen ("client-tree-search");

  vg_node_tree_set_search (tree, "CAMERA 3");
  g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, 1);
  g_assert_cmpint (vg_camera_get_id (vg_node_tree_get_camera (tree, 0, &owner)), ==, fixture->camera_ids[2]);
  g_assert_true (owner == a);

  vg_node_tree_set_search (tree, "nothing like this");
  g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, 0);

  vg_node_tree_set_search (tree, NULL);
  g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, N_CAMERAS + N_GATES);
}

static void
check_two_nodes (Fixture  *fixture,
                 VgWindow *window)
{
  VgConnection *a = vg_window_get_connection (window);
  VgConnection *b = NULL;
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  VgNodeTree *tree = vg_window_get_node_tree (window);
  ConnectionWait wait_a = { a, N_CAMERAS };
  ConnectionWait wait_b = { NULL, N_GATES };
  g_autofree char *address_b = g_strdup_printf ("127.0.0.1:%u", fixture->node_b->port);
  g_autofree char *node_b = g_strdup_printf ("https://admin@127.0.0.1:%u", fixture->node_b->port);
  g_autofree char *node_a = g_strdup_printf ("https://admin@127.0.0.1:%u", fixture->node->port);
  const char *fingerprint_b = vg_api_client_get_tls_fingerprint (fixture->admin_b);
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  AdwMessageDialog *question;
  VgNodeDialog *dialog;

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_a, 60000));

  /* The second node, added as the operator does: its certificate asked about first,
   * nothing sent to it before */
  dialog = vg_node_dialog_present (GTK_WINDOW (window), vg_window_get_connections (window));
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, TRUE);
  vg_test_ui_run_for (300);
  save_screen ("client-add-node");
  g_assert_true (vg_node_dialog_add (dialog, &b));
  g_assert_nonnull (b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (vg_window_get_connections (window))), ==, 2);
  g_assert_true (vg_test_wait_until (has_untrusted_fingerprint, b, 60000));
  g_assert_cmpstr (vg_connection_get_untrusted_fingerprint (b), ==, fingerprint_b);
  g_assert_null (vg_connection_get_tls_fingerprint (b));
  g_assert_cmpint (vg_connection_get_state (b), ==, VG_CONNECTION_STATE_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (vg_connection_get_cameras (b)), ==, 0);
  g_assert_true (vg_test_wait_until (has_message_dialog, window, 10000));
  question = find_message_dialog (GTK_WINDOW (window));
  assert_body_shows (question, fingerprint_b);
  vg_test_ui_run_for (300);
  save_screen ("client-certificate-first-use");
  /* As its button does: the response, then the dialog closes */
  adw_message_dialog_response (question, "accept");
  gtk_window_close (GTK_WINDOW (question));

  wait_b.connection = b;
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_b, 60000));
  g_assert_cmpstr (vg_connection_get_tls_fingerprint (b), ==, fingerprint_b);

  /* Both remembered, with the certificate accepted */
  {
    g_auto(GStrv) nodes = g_settings_get_strv (settings, "nodes");
    g_autoptr(GVariant) fingerprints = g_settings_get_value (settings, "node-fingerprints");
    g_autofree char *stored = NULL;

    g_assert_cmpuint (g_strv_length (nodes), ==, 2);
    g_assert_true (strv_has (nodes, node_a));
    g_assert_true (strv_has (nodes, node_b));
    g_assert_true (g_variant_lookup (fingerprints, fixture->node_b->base_url, "s", &stored));
    g_assert_cmpstr (stored, ==, fingerprint_b);
  }

  /* The tree: both nodes, their cameras, one search across them */
  vg_test_ui_run_for (500);
  {
    g_autoptr(GdkTexture) picture = vg_test_ui_grab (GTK_WIDGET (tree));

    vg_test_ui_save (picture, "client-tree");
    g_assert_false (vg_test_ui_is_uniform (picture));
  }
  check_search (fixture, tree, a, b);

  /* A camera of the second node dropped on a cell of the first node's mosaic */
  {
    VgCamera *gate = vg_connection_lookup_camera (b, fixture->gate_ids[0]);
    g_autofree char *prefix = g_strdup_printf ("rtsps://127.0.0.1:%u/cameras/%" G_GINT64_FORMAT "/",
                                               fixture->node_b->rtsps_port, fixture->gate_ids[0]);
    MosaicWait frames = { mosaic, 10 };

    g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 60000));
    g_assert_true (vg_mosaic_get_cell_connection (mosaic, 1) == a);
    g_assert_nonnull (gate);
    g_assert_true (drop_camera (mosaic, 1, gate));
    g_assert_true (vg_mosaic_get_cell_connection (mosaic, 1) == b);
    g_assert_true (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 1)) == gate);
    g_assert_cmpuint (vg_mosaic_get_selected (mosaic), ==, 1);
    g_assert_true (g_str_has_prefix (vg_video_view_get_live_uri (vg_mosaic_get_view (mosaic, 1)), prefix));
    for (guint i = 0; i < N_CAMERAS; i++)
      if (i != 1)
        g_assert_true (vg_mosaic_get_cell_connection (mosaic, i) == a);

    wait_cells_play_again (mosaic, 10);
    assert_cells_move (mosaic, "client-two-nodes");
  }

  /* The keypad numbers the cameras of the selected cell's node */
  {
    g_autofree char *gate_digits = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->gate_ids[1]);
    g_autofree char *camera_digits = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->camera_ids[3]);

    vg_mosaic_select (mosaic, 1);
    for (const char *d = gate_digits; *d != '\0'; d++)
      g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_0 + (guint) (*d - '0')));
    g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_Enter));
    g_assert_true (vg_mosaic_get_cell_connection (mosaic, 1) == b);
    g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 1))), ==,
                     fixture->gate_ids[1]);

    vg_mosaic_select (mosaic, 0);
    for (const char *d = camera_digits; *d != '\0'; d++)
      g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_0 + (guint) (*d - '0')));
    g_assert_true (vg_mosaic_handle_key (mosaic, GDK_KEY_KP_Enter));
    g_assert_true (vg_mosaic_get_cell_connection (mosaic, 0) == a);
    g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 0))), ==,
                     fixture->camera_ids[3]);
  }

  /* A camera of the second node opened from the tree plays from its node */
  {
    VgVideoView *view = vg_camera_page_get_video_view (vg_window_get_camera_page (window));
    g_autofree char *prefix = g_strdup_printf ("rtsps://127.0.0.1:%u/cameras/%" G_GINT64_FORMAT "/main",
                                               fixture->node_b->rtsps_port, fixture->gate_ids[1]);

    g_assert_true (vg_node_tree_select_camera (tree, b, fixture->gate_ids[1]));
    g_assert_true (vg_window_get_selected_camera (window) == vg_connection_lookup_camera (b, fixture->gate_ids[1]));
    g_assert_true (vg_test_wait_until (view_plays, view, 60000));
    g_assert_cmpstr (vg_video_view_get_live_uri (view), ==, prefix);
    vg_test_ui_run_for (300);
    save_screen ("client-two-nodes-camera");
  }

  /* The second node removed (its row's menu, then the question): its cells emptied,
   * itself and its certificate forgotten */
  {
    g_auto(GStrv) nodes = NULL;
    g_autoptr(GVariant) fingerprints = NULL;
    g_autofree char *stored = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-node", "s", node_b));
    g_assert_true (vg_test_wait_until (has_message_dialog, window, 10000));
    question = find_message_dialog (GTK_WINDOW (window));
    adw_message_dialog_response (question, "remove");
    gtk_window_close (GTK_WINDOW (question));

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (vg_window_get_connections (window))), ==, 1);
    g_assert_cmpuint (vg_node_tree_get_n_cameras (tree), ==, N_CAMERAS);
    g_assert_null (vg_window_get_selected_camera (window));
    g_assert_null (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 1)));
    g_assert_null (vg_mosaic_get_cell_connection (mosaic, 1));
    g_assert_true (vg_mosaic_get_cell_connection (mosaic, 0) == a);
    g_assert_true (vg_window_get_connection (window) == a);
    nodes = g_settings_get_strv (settings, "nodes");
    g_assert_cmpuint (g_strv_length (nodes), ==, 1);
    g_assert_cmpstr (nodes[0], ==, node_a);
    fingerprints = g_settings_get_value (settings, "node-fingerprints");
    g_assert_false (g_variant_lookup (fingerprints, fixture->node_b->base_url, "s", &stored));
    vg_test_ui_run_for (300);
    save_screen ("client-node-removed");
  }
}

static void
test_two_nodes (Fixture       *fixture,
                gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_two_nodes);
}

/* The mosaic played back across two nodes (PLAY-4, CLI-1) */

#define FRAME_US 40000   /* the simulator's 25 fps */

/* The second node added as the operator does, its certificate accepted. */
static VgConnection *
add_second_node (Fixture  *fixture,
                 VgWindow *window)
{
  g_autofree char *address_b = g_strdup_printf ("127.0.0.1:%u", fixture->node_b->port);
  ConnectionWait wait_b = { NULL, N_GATES };
  AdwMessageDialog *question;
  VgNodeDialog *dialog;
  VgConnection *b = NULL;

  dialog = vg_node_dialog_present (GTK_WINDOW (window), vg_window_get_connections (window));
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_assert_true (vg_node_dialog_add (dialog, &b));
  g_assert_nonnull (b);
  g_assert_true (vg_test_wait_until (has_message_dialog, window, 60000));
  question = find_message_dialog (GTK_WINDOW (window));
  adw_message_dialog_response (question, "accept");
  gtk_window_close (GTK_WINDOW (question));
  wait_b.connection = b;
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_b, 60000));
  return b;
}

static VgPlayerWindow *
find_player (GtkApplication *application)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VG_IS_PLAYER_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_player (gpointer data)
{
  return find_player (GTK_APPLICATION (data)) != NULL;
}

/* Every view on the frame recorded at the clock's position: the last one at or before
 * it, within a frame. */
static gboolean
all_show_position (gpointer data)
{
  VgPlayerWindow *player = data;
  gint64 position = vg_playback_clock_get_position (vg_player_window_get_clock (player));

  for (guint i = 0; i < vg_player_window_get_n_views (player); i++)
    {
      VgPlayerView *view = vg_player_window_get_view (player, i);
      VgPlayback *playback = vg_player_view_get_playback (view);
      gint64 shown;

      if (playback == NULL || vg_playback_get_state (playback) != VG_PLAYBACK_STATE_FRAME
          || vg_player_view_get_texture (view) == NULL)
        return FALSE;
      shown = vg_playback_get_frame_time (playback);
      if (shown > position || shown <= position - FRAME_US - 5000)
        return FALSE;
    }
  return TRUE;
}

/* Every timeline row has spans from its node covering the position. */
static gboolean
rows_cover (gpointer data)
{
  VgPlayerWindow *player = data;
  VgTimeline *timeline = vg_timeline_panel_get_timeline (vg_player_window_get_timeline_panel (player));
  gint64 position = vg_playback_clock_get_position (vg_player_window_get_clock (player));

  for (guint i = 0; i < vg_timeline_get_n_tracks (timeline); i++)
    {
      GArray *spans = vg_recording_track_get_spans (vg_timeline_get_track (timeline, i));
      gboolean covered = FALSE;

      for (guint j = 0; j < spans->len; j++)
        {
          VgTimeRange *span = &g_array_index (spans, VgTimeRange, j);

          covered |= span->start <= position && position <= span->end;
        }
      if (!covered)
        return FALSE;
    }
  return TRUE;
}

/* A label with this text somewhere under the widget (a toast's). */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static void
check_player_views (VgPlayerWindow *player,
                    VgMosaic       *mosaic)
{
  VgTimeline *timeline = vg_timeline_panel_get_timeline (vg_player_window_get_timeline_panel (player));

  g_assert_cmpuint (vg_player_window_get_n_views (player), ==, vg_mosaic_get_n_cells (mosaic));
  g_assert_cmpuint (vg_timeline_get_n_tracks (timeline), ==, vg_mosaic_get_n_cells (mosaic));
  for (guint i = 0; i < vg_mosaic_get_n_cells (mosaic); i++)
    {
      VgConnection *connection = vg_mosaic_get_cell_connection (mosaic, i);
      VgCamera *camera = vg_video_view_get_camera (vg_mosaic_get_view (mosaic, i));
      VgPlayerView *view = vg_player_window_get_view (player, i);
      VgPlayback *playback = vg_player_view_get_playback (view);
      VgRecordingTrack *track = vg_timeline_get_track (timeline, i);
      g_autofree char *label = g_strdup_printf ("%s on %s", vg_camera_get_name (camera),
                                                vg_connection_get_node_name (connection));

      /* The cell's camera, of the cell's node, in the mosaic's order, on one clock */
      g_assert_true (vg_player_window_get_view_connection (player, i) == connection);
      g_assert_nonnull (playback);
      g_assert_cmpint (vg_playback_get_camera_id (playback), ==, vg_camera_get_id (camera));
      g_assert_true (vg_playback_get_clock (playback) == vg_player_window_get_clock (player));
      g_assert_cmpstr (vg_player_view_get_title (view), ==, label);
      /* Its timeline row asks its node */
      g_assert_true (vg_recording_track_get_camera (track) == camera);
      g_assert_true (vg_recording_track_get_client (track) == vg_connection_get_api_client (connection));
      g_assert_cmpstr (vg_recording_track_get_label (track), ==, label);
    }
}

/* The second view's menu lists South's cameras only; another of them chosen there
 * plays at the same instant, its timeline row asking South. */
static void
check_source_menu (Fixture        *fixture,
                   VgPlayerWindow *player,
                   VgConnection   *south)
{
  VgPlayerView *view = vg_player_window_get_view (player, 1);
  GMenuModel *menu = vg_player_view_get_source_menu (view);
  g_autoptr(GMenuModel) cameras = NULL;
  VgTimeline *timeline = vg_timeline_panel_get_timeline (vg_player_window_get_timeline_panel (player));
  VgRecordingTrack *track;

  g_assert_nonnull (menu);
  cameras = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (cameras), ==, N_GATES);
  for (int i = 0; i < N_GATES; i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (cameras, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE ("(uxs)"));
      guint index;
      gint64 id;
      const char *stream;

      g_assert_true (g_menu_model_get_item_attribute (cameras, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      g_assert_true (g_str_has_prefix (label, "Gate"));
      g_variant_get (target, "(ux&s)", &index, &id, &stream);
      g_assert_cmpuint (index, ==, 1);
      g_assert_cmpint (id, ==, fixture->gate_ids[i]);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "player.set-source", "(uxs)", 1,
                                             fixture->gate_ids[1], ""));
  g_assert_cmpint (vg_playback_get_camera_id (vg_player_view_get_playback (view)), ==, fixture->gate_ids[1]);
  g_assert_true (vg_player_window_get_view_connection (player, 1) == south);
  g_assert_cmpstr (vg_player_view_get_title (view), ==, "Gate 2 on South");
  g_assert_cmpuint (vg_timeline_get_n_tracks (timeline), ==, 4);
  track = vg_timeline_get_track (timeline, 1);
  g_assert_true (vg_recording_track_get_camera (track) == vg_connection_lookup_camera (south, fixture->gate_ids[1]));
  g_assert_true (vg_recording_track_get_client (track) == vg_connection_get_api_client (south));
  g_assert_true (vg_test_wait_until (all_show_position, player, 60000));
  g_assert_true (vg_test_wait_until (rows_cover, player, 30000));
}

/* The recordings window: a row per camera of both nodes, each asking its node. */
static void
check_recordings_window (Fixture      *fixture,
                         VgWindow     *window,
                         VgConnection *north,
                         VgConnection *south)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  VgRecordingsWindow *recordings = NULL;
  VgTimeline *timeline;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.recordings", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && recordings == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (VG_IS_RECORDINGS_WINDOW (toplevel))
        recordings = VG_RECORDINGS_WINDOW (toplevel);
    }
  g_assert_nonnull (recordings);
  timeline = vg_timeline_panel_get_timeline (vg_recordings_window_get_panel (recordings));
  g_assert_cmpuint (vg_timeline_get_n_tracks (timeline), ==, N_CAMERAS + N_GATES);
  for (guint i = 0; i < vg_timeline_get_n_tracks (timeline); i++)
    {
      VgRecordingTrack *track = vg_timeline_get_track (timeline, i);
      VgConnection *node = i < N_CAMERAS ? north : south;
      g_autofree char *label = g_strdup_printf ("%s on %s", vg_camera_get_name (vg_recording_track_get_camera (track)),
                                                vg_connection_get_node_name (node));

      g_assert_true (vg_recording_track_get_client (track) == vg_connection_get_api_client (node));
      g_assert_true (vg_connection_lookup_camera (node, vg_camera_get_id (vg_recording_track_get_camera (track)))
                     == vg_recording_track_get_camera (track));
      g_assert_cmpstr (vg_recording_track_get_label (track), ==, label);
    }
  vg_test_ui_run_for (500);
  save_screen ("client-recordings-two-nodes");
  gtk_window_destroy (GTK_WINDOW (recordings));
}

static void
check_play_mosaic_nodes (Fixture  *fixture,
                         VgWindow *window)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (window));
  VgConnection *a = vg_window_get_connection (window);
  VgConnection *b;
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  ConnectionWait wait_a = { a, N_CAMERAS };
  MosaicWait frames = { mosaic, 10 };
  VgPlayerWindow *player;
  VgPlaybackClock *clock;
  gint64 asked;
  gint64 position;

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_a, 60000));
  b = add_second_node (fixture, window);
  g_assert_cmpstr (vg_connection_get_node_name (a), ==, "North");
  g_assert_cmpstr (vg_connection_get_node_name (b), ==, "South");

  /* North's cameras 1 and 3, South's gates 1 and 2: the same camera numbers on both
   * nodes, told apart only by their node */
  g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 60000));
  g_assert_true (drop_camera (mosaic, 1, vg_connection_lookup_camera (b, fixture->gate_ids[0])));
  g_assert_true (drop_camera (mosaic, 3, vg_connection_lookup_camera (b, fixture->gate_ids[1])));
  g_assert_true (vg_mosaic_get_cell_connection (mosaic, 1) == b);
  g_assert_true (vg_mosaic_get_cell_connection (mosaic, 3) == b);
  g_assert_cmpint (fixture->gate_ids[0], ==, fixture->camera_ids[0]);

  /* 30 s back must have been recorded on both nodes, and 5 s later for the seek. */
  if (g_get_real_time () < fixture->recording_since + 36 * G_USEC_PER_SEC)
    vg_test_ui_run_for ((guint) ((fixture->recording_since + 36 * G_USEC_PER_SEC - g_get_real_time ()) / 1000));

  asked = g_get_real_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play-mosaic", NULL));
  g_assert_true (vg_test_wait_until (has_player, application, 10000));
  player = find_player (application);
  clock = vg_player_window_get_clock (player);
  check_player_views (player, mosaic);

  /* Paused 30 s back, every view on the frame recorded at that instant */
  g_assert_false (vg_playback_clock_get_playing (clock));
  position = vg_playback_clock_get_position (clock);
  g_assert_cmpint (position, >=, asked - 30 * G_USEC_PER_SEC);
  g_assert_cmpint (position, <=, g_get_real_time () - 30 * G_USEC_PER_SEC);
  g_assert_true (vg_test_wait_until (all_show_position, player, 60000));
  for (guint i = 0; i < vg_player_window_get_n_views (player); i++)
    g_test_message ("view %u: %s, frame at %" G_GINT64_FORMAT " µs before the position", i,
                    vg_player_view_get_title (vg_player_window_get_view (player, i)),
                    position - vg_playback_get_frame_time (vg_player_view_get_playback (vg_player_window_get_view (player, i))));
  /* The timeline's rows: spans from each camera's own node */
  g_assert_true (vg_test_wait_until (rows_cover, player, 30000));
  vg_test_ui_run_for (500);
  {
    g_autoptr(GdkTexture) shot = vg_test_ui_grab (gtk_window_get_child (GTK_WINDOW (player)));

    g_assert_false (vg_test_ui_is_uniform (shot));
    vg_test_ui_save (shot, "player-two-nodes");
  }
  save_screen ("client-play-mosaic-nodes");

  /* A seek on the timeline moves every view, whatever its node */
  g_signal_emit_by_name (vg_timeline_panel_get_timeline (vg_player_window_get_timeline_panel (player)),
                         "seek-requested", position + 5 * G_USEC_PER_SEC, TRUE);
  g_assert_cmpint (vg_playback_clock_get_position (clock), ==, position + 5 * G_USEC_PER_SEC);
  g_assert_true (vg_test_wait_until (all_show_position, player, 60000));
  g_assert_true (vg_test_wait_until (rows_cover, player, 30000));
  vg_test_ui_run_for (300);
  {
    g_autoptr(GdkTexture) shot = vg_test_ui_grab (gtk_window_get_child (GTK_WINDOW (player)));

    vg_test_ui_save (shot, "player-two-nodes-seek");
  }
  check_source_menu (fixture, player, b);
  gtk_window_destroy (GTK_WINDOW (player));
  check_recordings_window (fixture, window, a, b);

  /* South stopped: its cells left out, with a word saying so */
  g_assert_cmpint (vg_test_node_stop (fixture->node_b), ==, 0);
  g_assert_true (vg_test_wait_until (is_not_connected, b, 30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play-mosaic", NULL));
  g_assert_true (vg_test_wait_until (has_player, application, 10000));
  player = find_player (application);
  g_assert_cmpuint (vg_player_window_get_n_views (player), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (vg_player_window_get_view_connection (player, i) == a);
      g_assert_cmpint (vg_playback_get_camera_id (vg_player_view_get_playback (vg_player_window_get_view (player, i))),
                       ==, vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 2 * i))));
      /* One node: the views need not say it */
      g_assert_cmpstr (vg_player_view_get_title (vg_player_window_get_view (player, i)), ==,
                       vg_camera_get_name (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, 2 * i))));
    }
  g_assert_true (shows_label (GTK_WIDGET (window), "South"));
  vg_test_ui_run_for (300);
  save_screen ("client-play-mosaic-left-out");
  gtk_window_destroy (GTK_WINDOW (player));
}

static void
test_play_mosaic_nodes (Fixture       *fixture,
                        gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_play_mosaic_nodes);
}

/* A node restarted: the connection and the cells come back by themselves (CLI-1) */

static void
check_node_restart (Fixture  *fixture,
                    VgWindow *window)
{
  VgConnection *connection = vg_window_get_connection (window);
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  ConnectionWait wait = { connection, N_CAMERAS };
  MosaicWait frames = { mosaic, 10 };
  g_autoptr(GError) error = NULL;

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait, 60000));
  g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 60000));

  g_assert_cmpint (vg_test_node_stop (fixture->node), ==, 0);
  g_assert_true (vg_test_wait_until (is_not_connected, connection, 30000));
  vg_test_ui_run_for (1000);
  save_screen ("client-node-stopped");

  /* The same node, on the same database and ports */
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start again: %s", error->message);

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait, 90000));
  wait_cells_play_again (mosaic, 10);
  for (guint i = 0; i < N_CAMERAS; i++)
    g_assert_cmpint (vg_camera_get_id (vg_video_view_get_camera (vg_mosaic_get_view (mosaic, i))), ==,
                     fixture->camera_ids[i]);
  assert_cells_move (mosaic, "client-node-restarted");
}

static void
test_node_restart (Fixture       *fixture,
                   gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_node_restart);
}

/* A camera stopped at the simulator: "No signal" in its cell, then its picture again */

typedef struct {
  VgVideoView *view;
  const char *text;
} StatusWait;

static gboolean
view_says (gpointer data)
{
  StatusWait *wait = data;

  return g_strcmp0 (vg_video_view_get_status_text (wait->view), wait->text) == 0;
}

typedef struct {
  VgConnection *connection;
  gint64 camera_id;
  VgCameraLiveState state;
} LiveStateWait;

static gboolean
camera_in_state (gpointer data)
{
  LiveStateWait *wait = data;

  return vg_connection_get_camera_live_state (wait->connection, wait->camera_id, NULL) == wait->state;
}

static void
check_no_signal (Fixture  *fixture,
                 VgWindow *window)
{
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  ConnectionWait wait = { vg_window_get_connection (window), N_CAMERAS };
  MosaicWait frames = { mosaic, 10 };
  StatusWait no_signal = { vg_mosaic_get_view (mosaic, 0), "No signal" };
  ViewWait again = { vg_mosaic_get_view (mosaic, 0), 0 };

  LiveStateWait live = { vg_window_get_connection (window), fixture->camera_ids[0],
                        VG_CAMERA_LIVE_STATE_STREAMING };

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait, 60000));
  g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 60000));
  /* The tree's icon: the node's word on the camera */
  g_assert_true (vg_test_wait_until (camera_in_state, &live, 60000));

  vg_test_sim_control (fixture->sim, 1, "stop");
  g_assert_true (vg_test_wait_until (view_says, &no_signal, 90000));
  live.state = VG_CAMERA_LIVE_STATE_LOST;
  g_assert_true (vg_test_wait_until (camera_in_state, &live, 90000));
  vg_test_ui_run_for (300);
  save_screen ("client-no-signal");
  {
    g_autoptr(GdkTexture) picture = vg_test_ui_grab (GTK_WIDGET (vg_window_get_node_tree (window)));

    vg_test_ui_save (picture, "client-tree-camera-lost");
  }
  /* The other cells play on */
  for (guint i = 1; i < N_CAMERAS; i++)
    g_assert_cmpint (vg_video_view_get_state (vg_mosaic_get_view (mosaic, i)), ==, VG_LIVE_STATE_PLAYING);

  vg_test_sim_control (fixture->sim, 1, "start");
  vg_video_view_get_frame_counts (again.view, NULL, &again.shown);
  again.shown += 10;
  g_assert_true (vg_test_wait_until (view_has_frames, &again, 90000));
  g_assert_null (vg_video_view_get_status_text (again.view));
  live.state = VG_CAMERA_LIVE_STATE_STREAMING;
  g_assert_true (vg_test_wait_until (camera_in_state, &live, 90000));
}

static void
test_no_signal (Fixture       *fixture,
                gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_no_signal);
}

/* A node restarted with another certificate: a warning, no connection until accepted */

static void
check_certificate_changed (Fixture  *fixture,
                           VgWindow *window)
{
  VgConnection *connection = vg_window_get_connection (window);
  VgMosaic *mosaic = vg_window_get_mosaic (window);
  ConnectionWait wait = { connection, N_CAMERAS };
  MosaicWait frames = { mosaic, 10 };
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *new_fingerprint = NULL;
  g_autofree char *cert = g_build_filename (fixture->node->data_dir, "tls", "node.crt", NULL);
  g_autofree char *key = g_build_filename (fixture->node->data_dir, "tls", "node.key", NULL);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait, 60000));
  g_assert_true (vg_test_wait_until (every_cell_has_frames, &frames, 60000));
  old_fingerprint = g_strdup (vg_connection_get_tls_fingerprint (connection));
  g_assert_nonnull (old_fingerprint);
  {
    g_autoptr(GVariant) fingerprints = g_settings_get_value (settings, "node-fingerprints");
    g_autofree char *stored = NULL;

    /* Trusted on first use (--connect), and remembered */
    g_assert_true (g_variant_lookup (fingerprints, fixture->node->base_url, "s", &stored));
    g_assert_cmpstr (stored, ==, old_fingerprint);
  }

  /* The node, restarted with a new self-signed certificate */
  g_assert_cmpint (vg_test_node_stop (fixture->node), ==, 0);
  g_assert_cmpint (g_unlink (cert), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start again: %s", error->message);

  g_assert_true (vg_test_wait_until (has_untrusted_fingerprint, connection, 60000));
  new_fingerprint = g_strdup (vg_connection_get_untrusted_fingerprint (connection));
  g_assert_cmpstr (new_fingerprint, !=, old_fingerprint);
  g_assert_cmpstr (vg_connection_get_tls_fingerprint (connection), ==, old_fingerprint);
  g_assert_cmpint (vg_connection_get_state (connection), ==, VG_CONNECTION_STATE_FAILED);
  g_assert_true (vg_test_wait_until (has_message_dialog, window, 10000));
  dialog = find_message_dialog (GTK_WINDOW (window));
  assert_body_shows (dialog, old_fingerprint);
  assert_body_shows (dialog, new_fingerprint);
  vg_test_ui_run_for (500);
  save_screen ("client-certificate-changed");

  /* Nothing connects meanwhile: no session, no picture */
  vg_test_ui_run_for (4000);
  g_assert_cmpint (vg_connection_get_state (connection), ==, VG_CONNECTION_STATE_FAILED);
  g_assert_cmpstr (vg_connection_get_untrusted_fingerprint (connection), ==, new_fingerprint);
  for (guint i = 0; i < N_CAMERAS; i++)
    g_assert_cmpint (vg_video_view_get_state (vg_mosaic_get_view (mosaic, i)), !=, VG_LIVE_STATE_PLAYING);

  /* Accepted: connected again, the new one remembered, the cells play */
  adw_message_dialog_response (dialog, "accept");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait, 60000));
  g_assert_cmpstr (vg_connection_get_tls_fingerprint (connection), ==, new_fingerprint);
  g_assert_null (vg_connection_get_untrusted_fingerprint (connection));
  {
    g_autoptr(GVariant) fingerprints = g_settings_get_value (settings, "node-fingerprints");
    g_autofree char *stored = NULL;

    g_assert_true (g_variant_lookup (fingerprints, fixture->node->base_url, "s", &stored));
    g_assert_cmpstr (stored, ==, new_fingerprint);
  }
  wait_cells_play_again (mosaic, 10);
}

static void
test_certificate_changed (Fixture       *fixture,
                          gconstpointer  data)
{
  run_client (fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_certificate_changed);
}

/* Remembered without a keyring (CLI-1): a second node added with "remember" where no
 * session bus runs; the client quit and started again (its own process, settings kept
 * in a key file) connects it by itself with the node's remembered token; the token
 * revoked on the node, the next start asks for the password; removed, the node is
 * forgotten and its token revoked. */

static VgTestNode *
node_from_env (const char *variable)
{
  VgTestNode *node = g_new0 (VgTestNode, 1);

  node->port = (guint) g_ascii_strtoull (g_getenv (variable), NULL, 10);
  g_assert_cmpuint (node->port, >, 0);
  node->base_url = g_strdup_printf ("https://127.0.0.1:%u", node->port);
  return node;
}

static void
node_from_env_free (VgTestNode *node)
{
  g_free (node->base_url);
  g_free (node);
}

static gboolean
store_is_file (gpointer data)
{
  return vg_node_dialog_get_store (VG_NODE_DIALOG (data)) == VG_NODE_DIALOG_STORE_FILE;
}

static gboolean
file_has_token (gpointer data)
{
  VgTestNode *node = data;
  g_autofree char *path = vg_password_file_get_default_path ();
  char *token = vg_password_file_lookup (path, node->base_url, "admin", NULL, NULL);
  gboolean found = token != NULL;

  vg_password_free (token);
  return found;
}

static guint
count_remembered (VgApiClient *admin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "GET", "/api/v1/session/tokens", NULL, &status, &error);
  g_assert_no_error (error);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (body), "tokens"));
}

static gboolean
no_token_left (gpointer data)
{
  return count_remembered (VG_API_CLIENT (data)) == 0;
}

static void
check_remember_first (Fixture  *fixture,
                      VgWindow *window)
{
  VgConnection *a = vg_window_get_connection (window);
  VgConnection *b = NULL;
  ConnectionWait wait_a = { a, N_CAMERAS };
  ConnectionWait wait_b = { NULL, N_GATES };
  g_autofree char *address_b = g_strdup_printf ("127.0.0.1:%u", fixture->node_b->port);
  g_autofree char *path = vg_password_file_get_default_path ();
  g_autoptr(GSettings) settings = g_settings_new ("org.vigie.Vigie");
  AdwMessageDialog *question;
  VgNodeDialog *dialog;
  GStatBuf buf;

  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_a, 60000));

  /* No session bus, no keyring: the dialog says the file keeps it */
  dialog = vg_node_dialog_present (GTK_WINDOW (window), vg_window_get_connections (window));
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_assert_true (vg_test_wait_until (store_is_file, dialog, 10000));
  vg_test_ui_run_for (300);
  save_screen ("client-remember-in-file");
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, FALSE);
  g_assert_cmpint (vg_node_dialog_get_store (dialog), ==, VG_NODE_DIALOG_STORE_NONE);
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_assert_true (vg_node_dialog_add (dialog, &b));

  g_assert_true (vg_test_wait_until (has_untrusted_fingerprint, b, 60000));
  g_assert_true (vg_test_wait_until (has_message_dialog, window, 10000));
  question = find_message_dialog (GTK_WINDOW (window));
  adw_message_dialog_response (question, "accept");
  gtk_window_close (GTK_WINDOW (question));
  wait_b.connection = b;
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_b, 60000));

  /* The node's remembered token, in a file only this account reads; never the password */
  g_assert_true (vg_test_wait_until (file_has_token, fixture->node_b, 60000));
  g_assert_false (file_has_token (fixture->node));
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpuint (buf.st_mode & 0777, ==, 0600);
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_null (strstr (text, VG_TEST_ADMIN_PASSWORD));
  }
  g_settings_sync ();
}

static void
check_remember_second (Fixture  *fixture,
                       VgWindow *window)
{
  VgConnectionList *connections = vg_window_get_connections (window);
  VgConnection *b = vg_connection_list_lookup (connections, fixture->node_b->base_url, "admin");
  ConnectionWait wait_b = { b, N_GATES };
  g_autoptr(VgApiClient) admin_b = vg_test_node_client (fixture->node_b, "admin", VG_TEST_ADMIN_PASSWORD);

  /* Back by itself, VIGIE_PASSWORD being the first node's */
  g_assert_nonnull (b);
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_b, 60000));
  g_assert_cmpstr (vg_connection_get_error (b), ==, NULL);
  g_assert_cmpuint (count_remembered (admin_b), ==, 1);
  vg_test_ui_run_for (300);
  save_screen ("client-remembered-node-back");
}

static void
check_remember_third (Fixture  *fixture,
                      VgWindow *window)
{
  VgConnectionList *connections = vg_window_get_connections (window);
  VgConnection *b = vg_connection_list_lookup (connections, fixture->node_b->base_url, "admin");
  ConnectionWait wait_b = { b, N_GATES };
  g_autoptr(VgApiClient) admin_b = vg_test_node_client (fixture->node_b, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autofree char *address_b = g_strdup_printf ("127.0.0.1:%u", fixture->node_b->port);
  VgConnection *again = NULL;
  VgNodeDialog *dialog;

  /* Revoked on the node meanwhile: refused, forgotten, the password asked for */
  g_assert_nonnull (b);
  g_assert_true (vg_test_wait_until (has_failed, b, 60000));
  g_assert_cmpstr (vg_connection_get_error (b), ==,
                   "The remembered login was refused: give the password again");
  g_assert_false (file_has_token (fixture->node_b));
  vg_test_ui_run_for (300);
  save_screen ("client-remembered-login-refused");

  /* Given again, remembered again */
  dialog = vg_node_dialog_present (GTK_WINDOW (window), connections);
  vg_node_dialog_set_fields (dialog, address_b, "admin", VG_TEST_ADMIN_PASSWORD, TRUE);
  g_assert_true (vg_test_wait_until (store_is_file, dialog, 10000));
  g_assert_true (vg_node_dialog_add (dialog, &again));
  g_assert_true (again == b);
  g_assert_true (vg_test_wait_until (connected_with_cameras, &wait_b, 60000));
  g_assert_true (vg_test_wait_until (file_has_token, fixture->node_b, 60000));
  g_assert_cmpuint (count_remembered (admin_b), ==, 1);

  /* Removed: forgotten here, revoked on the node */
  vg_connection_list_remove (connections, b);
  g_assert_false (file_has_token (fixture->node_b));
  g_assert_true (vg_test_wait_until (no_token_left, admin_b, 60000));
}

static void
revoke_all (VgApiClient *admin)
{
  g_autoptr(JsonNode) body = vg_test_expect (admin, "GET", "/api/v1/session/tokens", NULL, 200);
  JsonArray *tokens = json_object_get_array_member (json_node_get_object (body), "tokens");

  g_assert_cmpuint (json_array_get_length (tokens), ==, 1);
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (tokens, i), "id");
      g_autofree char *path = g_strdup_printf ("/api/v1/session/tokens/%" G_GINT64_FORMAT, id);
      g_autoptr(JsonNode) gone = vg_test_expect (admin, "DELETE", path, NULL, 204);
    }
}

/* The two starts, each run by test_remembered_node in its own process. */
static void
run_remembered_start (gconstpointer data)
{
  Fixture fixture = { NULL };

  if (!g_test_subprocess ())
    {
      g_test_skip ("run by /client/remembered-node");
      return;
    }
  fixture.node = node_from_env ("VIGIE_TEST_NODE_A_PORT");
  fixture.node_b = node_from_env ("VIGIE_TEST_NODE_B_PORT");
  switch (GPOINTER_TO_INT (data))
    {
    case 1:
      run_client (&fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_remember_first);
      break;
    case 2:
      run_client (&fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_remember_second);
      break;
    default:
      run_client (&fixture, VG_TEST_ADMIN_PASSWORD, "2x2", check_remember_third);
      break;
    }
  node_from_env_free (fixture.node);
  node_from_env_free (fixture.node_b);
}

static void
test_remembered_node (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("vigie-remember-XXXXXX", &error);
  g_autofree char *port_a = g_strdup_printf ("%u", fixture->node->port);
  g_autofree char *port_b = g_strdup_printf ("%u", fixture->node_b->port);
  g_autofree char *path = NULL;
  g_autofree char *settings_dir = NULL;

  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  /* Settings that outlive the process, as on a real computer */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("VIGIE_TEST_NODE_A_PORT", port_a, TRUE);
  g_setenv ("VIGIE_TEST_NODE_B_PORT", port_b, TRUE);

  g_test_trap_subprocess ("/client-start/remember-first", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_subprocess ("/client-start/remember-second", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  revoke_all (fixture->admin_b);
  g_test_trap_subprocess ("/client-start/remember-third", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_cmpuint (count_remembered (fixture->admin_b), ==, 0);
  path = vg_password_file_get_default_path ();
  g_remove (path);
  settings_dir = g_build_filename (home, "glib-2.0", "settings", "keyfile", NULL);
  g_remove (settings_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/mosaic-2x2", Fixture, NULL, fixture_set_up, test_mosaic,
              fixture_tear_down);
  g_test_add ("/client/camera-page", Fixture, NULL, fixture_set_up, test_camera_page,
              fixture_tear_down);
  g_test_add ("/client/mosaic-cycle", Fixture, NULL, fixture_set_up, test_cycle,
              fixture_tear_down);
  g_test_add ("/client/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password,
              fixture_tear_down);
  g_test_add ("/client/two-nodes", Fixture, NULL, fixture_set_up_two, test_two_nodes,
              fixture_tear_down);
  g_test_add ("/client/play-mosaic-nodes", Fixture, NULL, fixture_set_up_two_recording,
              test_play_mosaic_nodes, fixture_tear_down);
  g_test_add ("/client/node-restart", Fixture, NULL, fixture_set_up, test_node_restart,
              fixture_tear_down);
  g_test_add ("/client/no-signal", Fixture, NULL, fixture_set_up, test_no_signal,
              fixture_tear_down);
  g_test_add ("/client/certificate-changed", Fixture, NULL, fixture_set_up,
              test_certificate_changed, fixture_tear_down);
  g_test_add ("/client/remembered-node", Fixture, NULL, fixture_set_up_two,
              test_remembered_node, fixture_tear_down);
  g_test_add_data_func ("/client-start/remember-first", GINT_TO_POINTER (1), run_remembered_start);
  g_test_add_data_func ("/client-start/remember-second", GINT_TO_POINTER (2), run_remembered_start);
  g_test_add_data_func ("/client-start/remember-third", GINT_TO_POINTER (3), run_remembered_start);

  return g_test_run ();
}
