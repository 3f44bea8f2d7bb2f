/* test-client-units.c: the client's pure parts: mosaic layouts, stream choice, the
 * live pipeline's backoff and the video paintable's geometry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-layout.h"
#include "vg-live-pipeline.h"
#include "vg-saved-mosaic.h"
#include "vg-stream-choice.h"
#include "vg-video-paintable.h"

/* Every grid unit is covered by exactly one cell. */
static void
assert_exact_cover (const VgLayout *layout)
{
  guint columns = vg_layout_get_columns (layout);
  guint rows = vg_layout_get_rows (layout);
  g_autofree guint *count = g_new0 (guint, columns * rows);

  for (guint i = 0; i < vg_layout_get_n_cells (layout); i++)
    {
      const VgLayoutCell *cell = vg_layout_get_cell (layout, i);

      g_assert_cmpuint (cell->width, >=, 1);
      g_assert_cmpuint (cell->height, >=, 1);
      g_assert_cmpuint (cell->x + cell->width, <=, columns);
      g_assert_cmpuint (cell->y + cell->height, <=, rows);
      for (guint y = cell->y; y < cell->y + cell->height; y++)
        for (guint x = cell->x; x < cell->x + cell->width; x++)
          count[y * columns + x]++;
    }

  for (guint unit = 0; unit < columns * rows; unit++)
    g_assert_cmpuint (count[unit], ==, 1);
}

static void
test_layout_presets (void)
{
  static const struct {
    guint n_cells;
    guint side;
    guint n_large;   /* cells larger than one unit */
  } expected[] = {
    { 1, 1, 0 }, { 4, 2, 0 }, { 6, 3, 1 }, { 8, 4, 1 }, { 9, 3, 0 }, { 10, 4, 2 },
    { 13, 4, 1 }, { 16, 4, 0 }, { 25, 5, 0 }, { 36, 6, 0 }, { 64, 8, 0 },
  };
  guint n_presets;
  const guint *presets = vg_layout_get_presets (&n_presets);

  g_assert_cmpuint (n_presets, ==, G_N_ELEMENTS (expected));

  for (guint p = 0; p < G_N_ELEMENTS (expected); p++)
    {
      g_autoptr(VgLayout) layout = vg_layout_new_preset (expected[p].n_cells);
      guint n_large = 0;

      g_assert_cmpuint (presets[p], ==, expected[p].n_cells);
      g_assert_nonnull (layout);
      g_assert_cmpuint (vg_layout_get_n_cells (layout), ==, expected[p].n_cells);
      g_assert_cmpuint (vg_layout_get_columns (layout), ==, expected[p].side);
      g_assert_cmpuint (vg_layout_get_rows (layout), ==, expected[p].side);
      assert_exact_cover (layout);

      for (guint i = 0; i < vg_layout_get_n_cells (layout); i++)
        {
          const VgLayoutCell *cell = vg_layout_get_cell (layout, i);

          if (cell->width > 1 || cell->height > 1)
            n_large++;
          /* reading order */
          if (i > 0)
            {
              const VgLayoutCell *previous = vg_layout_get_cell (layout, i - 1);

              g_assert_true (previous->y < cell->y ||
                             (previous->y == cell->y && previous->x < cell->x));
            }
        }
      g_assert_cmpuint (n_large, ==, expected[p].n_large);
    }

  g_assert_null (vg_layout_new_preset (0));
  g_assert_null (vg_layout_new_preset (5));
  g_assert_null (vg_layout_new_preset (100));
}

static void
test_layout_preset_shapes (void)
{
  g_autoptr(VgLayout) six = vg_layout_new_preset (6);
  g_autoptr(VgLayout) thirteen = vg_layout_new_preset (13);
  g_autoptr(VgLayout) ten = vg_layout_new_preset (10);
  const VgLayoutCell *cell;
  guint index;

  /* 6: one 2×2 cell top-left, then five single ones */
  cell = vg_layout_get_cell (six, 0);
  g_assert_cmpuint (cell->x, ==, 0);
  g_assert_cmpuint (cell->y, ==, 0);
  g_assert_cmpuint (cell->width, ==, 2);
  g_assert_cmpuint (cell->height, ==, 2);
  g_assert_true (vg_layout_find_cell (six, 1, 1, &index));
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (vg_layout_find_cell (six, 2, 2, &index));
  g_assert_cmpuint (index, ==, 5);
  g_assert_false (vg_layout_find_cell (six, 3, 0, NULL));

  /* 13: a 2×2 cell in the middle */
  g_assert_true (vg_layout_find_cell (thirteen, 2, 2, &index));
  cell = vg_layout_get_cell (thirteen, index);
  g_assert_cmpuint (cell->x, ==, 1);
  g_assert_cmpuint (cell->y, ==, 1);
  g_assert_cmpuint (cell->width, ==, 2);
  g_assert_cmpuint (cell->height, ==, 2);
  /* it starts on row 1 after the four cells of row 0 and the one at 0,1 */
  g_assert_cmpuint (index, ==, 5);

  /* 10: two 2×2 cells side by side on top */
  g_assert_cmpuint (vg_layout_get_cell (ten, 0)->width, ==, 2);
  g_assert_cmpuint (vg_layout_get_cell (ten, 1)->x, ==, 2);
  g_assert_cmpuint (vg_layout_get_cell (ten, 1)->height, ==, 2);
  g_assert_cmpuint (vg_layout_get_cell (ten, 2)->y, ==, 2);
}

static void
test_layout_grid (void)
{
  g_autoptr(VgLayout) grid = vg_layout_new_grid (3, 2);
  g_autoptr(VgLayout) same = vg_layout_new_grid (3, 2);
  g_autoptr(VgLayout) other = vg_layout_new_grid (2, 3);
  guint index;

  g_assert_cmpuint (vg_layout_get_n_cells (grid), ==, 6);
  assert_exact_cover (grid);
  g_assert_true (vg_layout_find_cell (grid, 2, 1, &index));
  g_assert_cmpuint (index, ==, 5);
  g_assert_true (vg_layout_equal (grid, same));
  g_assert_false (vg_layout_equal (grid, other));
}

static void
test_layout_custom (void)
{
  /* 4×3: a cell across two rows on the left, one across three columns at the bottom */
  const VgLayoutCell cells[] = {
    { 1, 2, 3, 1 }, { 0, 0, 1, 2 }, { 1, 0, 1, 1 }, { 2, 0, 2, 2 }, { 1, 1, 1, 1 },
    { 0, 2, 1, 1 },
  };
  const VgLayoutCell overlapping[] = { { 0, 0, 2, 1 }, { 1, 0, 1, 1 } };
  const VgLayoutCell outside[] = { { 0, 0, 3, 1 } };
  const VgLayoutCell holed[] = { { 0, 0, 1, 1 } };
  const VgLayoutCell empty[] = { { 0, 0, 0, 1 }, { 0, 0, 1, 1 } };
  g_autoptr(VgLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  VgLayout *bad;

  layout = vg_layout_new_custom (4, 3, cells, G_N_ELEMENTS (cells), &error);
  g_assert_no_error (error);
  assert_exact_cover (layout);
  g_assert_cmpuint (vg_layout_get_n_cells (layout), ==, 6);
  /* sorted in reading order */
  g_assert_cmpuint (vg_layout_get_cell (layout, 0)->height, ==, 2);
  g_assert_cmpuint (vg_layout_get_cell (layout, 2)->x, ==, 2);
  g_assert_cmpuint (vg_layout_get_cell (layout, 5)->width, ==, 3);

  bad = vg_layout_new_custom (2, 1, overlapping, G_N_ELEMENTS (overlapping), &error);
  g_assert_null (bad);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  bad = vg_layout_new_custom (2, 1, outside, G_N_ELEMENTS (outside), &error);
  g_assert_null (bad);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  bad = vg_layout_new_custom (2, 1, holed, G_N_ELEMENTS (holed), &error);
  g_assert_null (bad);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  bad = vg_layout_new_custom (1, 1, empty, G_N_ELEMENTS (empty), &error);
  g_assert_null (bad);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  bad = vg_layout_new_custom (17, 1, cells, 0, &error);
  g_assert_null (bad);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
}

static void
assert_cell (const VgLayout *layout,
             guint           index,
             guint           x,
             guint           y,
             guint           width,
             guint           height)
{
  const VgLayoutCell *cell = vg_layout_get_cell (layout, index);

  g_assert_cmpuint (cell->x, ==, x);
  g_assert_cmpuint (cell->y, ==, y);
  g_assert_cmpuint (cell->width, ==, width);
  g_assert_cmpuint (cell->height, ==, height);
}

/* Merging a dragged rectangle, splitting a merged cell, changing the grid (CLI-4) */
static void
test_layout_edit (void)
{
  g_autoptr(VgLayout) grid = vg_layout_new_grid (4, 4);
  g_autoptr(VgLayout) merged = NULL;
  g_autoptr(VgLayout) grown = NULL;
  g_autoptr(VgLayout) same = NULL;
  g_autoptr(VgLayout) split = NULL;
  g_autoptr(VgLayout) smaller = NULL;
  g_autoptr(VgLayout) larger = NULL;
  g_autoptr(VgLayout) whole = NULL;
  guint index;

  /* Dragged from (2,1) to (1,0): the 2×2 block, 12 units left around it */
  merged = vg_layout_merge (grid, 2, 1, 1, 0);
  assert_exact_cover (merged);
  g_assert_cmpuint (vg_layout_get_n_cells (merged), ==, 13);
  g_assert_true (vg_layout_find_cell (merged, 2, 1, &index));
  assert_cell (merged, index, 1, 0, 2, 2);
  g_assert_true (vg_layout_find_cell (merged, 0, 0, &index));
  assert_cell (merged, index, 0, 0, 1, 1);

  /* A drag across the merged cell's edge takes it whole: (0,1)–(1,2) grows to (0,0)–(2,2) */
  grown = vg_layout_merge (merged, 0, 1, 1, 2);
  assert_exact_cover (grown);
  g_assert_true (vg_layout_find_cell (grown, 0, 0, &index));
  assert_cell (grown, index, 0, 0, 3, 3);
  g_assert_cmpuint (vg_layout_get_n_cells (grown), ==, 8);

  /* Within one cell: the same layout */
  same = vg_layout_merge (merged, 1, 1, 2, 0);
  g_assert_true (vg_layout_equal (same, merged));

  /* Split: units again, the grid as it was */
  g_assert_true (vg_layout_find_cell (merged, 1, 1, &index));
  split = vg_layout_split (merged, index);
  assert_exact_cover (split);
  g_assert_true (vg_layout_equal (split, grid));

  /* Fewer columns: the 2×2 cell cut at the new edge, the units beyond left out */
  smaller = vg_layout_resize (merged, 2, 3);
  assert_exact_cover (smaller);
  g_assert_cmpuint (vg_layout_get_columns (smaller), ==, 2);
  g_assert_cmpuint (vg_layout_get_rows (smaller), ==, 3);
  g_assert_cmpuint (vg_layout_get_n_cells (smaller), ==, 5);
  assert_cell (smaller, 1, 1, 0, 1, 2);

  /* More: the merged cell kept, the new units cells of their own */
  larger = vg_layout_resize (merged, 5, 5);
  assert_exact_cover (larger);
  g_assert_cmpuint (vg_layout_get_n_cells (larger), ==, 22);
  g_assert_true (vg_layout_find_cell (larger, 2, 1, &index));
  assert_cell (larger, index, 1, 0, 2, 2);

  /* The whole grid, from corner to corner */
  whole = vg_layout_merge (grown, 3, 3, 0, 0);
  g_assert_cmpuint (vg_layout_get_n_cells (whole), ==, 1);
  assert_cell (whole, 0, 0, 0, 4, 4);
}

/* The mosaics API's JSON: merged cells, cameras and streams survive a round trip; cells
 * in any order are read in the layout's */
static void
test_saved_mosaic_json (void)
{
  const VgLayoutCell cells[] = { { 0, 0, 2, 2 }, { 2, 0, 1, 1 }, { 2, 1, 1, 1 }, { 0, 2, 3, 1 } };
  const gint64 cameras[] = { 7, 0, 9, 7 };
  const gboolean main_only[] = { TRUE, FALSE, FALSE, FALSE };
  g_autoptr(VgLayout) layout = vg_layout_new_custom (3, 3, cells, G_N_ELEMENTS (cells), NULL);
  g_autoptr(VgSavedMosaic) mosaic = vg_saved_mosaic_new ("Hall", layout, cameras, main_only);
  g_autoptr(VgSavedMosaic) read = NULL;
  g_autoptr(VgSavedMosaic) shuffled = NULL;
  g_autoptr(JsonNode) body = vg_saved_mosaic_to_json (mosaic);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *reversed;

  /* As the node answers: the body with an id */
  json_object_set_int_member (json_node_get_object (body), "id", 12);
  text = json_to_string (body, FALSE);
  g_assert_nonnull (strstr (text, "\"w\":2,\"h\":2"));
  read = vg_saved_mosaic_new_from_json (body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vg_saved_mosaic_get_id (read), ==, 12);
  g_assert_cmpstr (vg_saved_mosaic_get_name (read), ==, "Hall");
  g_assert_cmpuint (vg_saved_mosaic_get_dwell (read), ==, 10);
  g_assert_true (vg_layout_equal (vg_saved_mosaic_get_layout (read), layout));
  for (guint i = 0; i < G_N_ELEMENTS (cameras); i++)
    {
      g_assert_cmpint (vg_saved_mosaic_get_camera (read, i), ==, cameras[i]);
      g_assert_cmpint (vg_saved_mosaic_get_main_only (read, i), ==, main_only[i]);
    }

  /* The cells in another order: each camera stays with its cell */
  reversed = "{\"id\": 3, \"name\": \"R\", \"dwell\": 5, \"layout\": {\"columns\": 3, \"rows\": 3, \"cells\": ["
             "{\"x\": 0, \"y\": 2, \"w\": 3, \"h\": 1, \"camera\": 4, \"stream\": null},"
             "{\"x\": 2, \"y\": 1, \"w\": 1, \"h\": 1, \"camera\": null, \"stream\": null},"
             "{\"x\": 2, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": 2, \"stream\": \"main\"},"
             "{\"x\": 0, \"y\": 0, \"w\": 2, \"h\": 2, \"camera\": 1, \"stream\": null}]}}";
  answer = json_from_string (reversed, &error);
  g_assert_no_error (error);
  shuffled = vg_saved_mosaic_new_from_json (answer, &error);
  g_assert_no_error (error);
  g_assert_true (vg_layout_equal (vg_saved_mosaic_get_layout (shuffled), layout));
  g_assert_cmpuint (vg_saved_mosaic_get_dwell (shuffled), ==, 5);
  g_assert_cmpint (vg_saved_mosaic_get_camera (shuffled, 0), ==, 1);
  g_assert_cmpint (vg_saved_mosaic_get_camera (shuffled, 1), ==, 2);
  g_assert_true (vg_saved_mosaic_get_main_only (shuffled, 1));
  g_assert_cmpint (vg_saved_mosaic_get_camera (shuffled, 2), ==, 0);
  g_assert_cmpint (vg_saved_mosaic_get_camera (shuffled, 3), ==, 4);
  g_clear_pointer (&answer, json_node_unref);
  g_clear_object (&shuffled);

  /* Overlapping cells are refused */
  answer = json_from_string ("{\"layout\": {\"columns\": 2, \"rows\": 1, \"cells\": ["
                             "{\"x\": 0, \"y\": 0, \"w\": 2, \"h\": 1}, {\"x\": 1, \"y\": 0, \"w\": 1, \"h\": 1}]}}",
                             NULL);
  shuffled = vg_saved_mosaic_new_from_json (answer, &error);
  g_assert_null (shuffled);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
}

static GPtrArray *
streams_new (const char *first, ...)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      VgStreamRoles roles = va_arg (args, VgStreamRoles);

      g_ptr_array_add (streams, vg_stream_new (name, "rtsp://camera/x", roles));
    }
  va_end (args);
  return streams;
}

static const char *
pick_name (GPtrArray *streams,
           gboolean   want_main)
{
  VgStream *stream = vg_stream_choice_pick (streams, want_main);

  return stream != NULL ? vg_stream_get_name (stream) : NULL;
}

static void
test_stream_choice_pick (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) by_role = streams_new ("hd", VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_LIVE,
                                              "low", VG_STREAM_ROLE_MOSAIC,
                                              "sub", VG_STREAM_ROLE_NONE, NULL);
  g_autoptr(GPtrArray) by_name = streams_new ("sub", VG_STREAM_ROLE_RECORD,
                                              "main", VG_STREAM_ROLE_RECORD, NULL);
  g_autoptr(GPtrArray) single = streams_new ("only", VG_STREAM_ROLE_RECORD, NULL);
  g_autoptr(GPtrArray) no_main = streams_new ("a", VG_STREAM_ROLE_NONE,
                                              "sub", VG_STREAM_ROLE_NONE, NULL);

  g_assert_null (vg_stream_choice_pick (none, TRUE));
  g_assert_null (vg_stream_choice_pick (none, FALSE));

  /* roles first */
  g_assert_cmpstr (pick_name (by_role, TRUE), ==, "hd");
  g_assert_cmpstr (pick_name (by_role, FALSE), ==, "low");
  /* then names */
  g_assert_cmpstr (pick_name (by_name, TRUE), ==, "main");
  g_assert_cmpstr (pick_name (by_name, FALSE), ==, "sub");
  /* a single stream serves both */
  g_assert_cmpstr (pick_name (single, TRUE), ==, "only");
  g_assert_cmpstr (pick_name (single, FALSE), ==, "only");
  /* no main stream: the first one */
  g_assert_cmpstr (pick_name (no_main, TRUE), ==, "a");
  g_assert_cmpstr (pick_name (no_main, FALSE), ==, "sub");
}

static void
test_stream_choice_size (void)
{
  /* a 2×2 mosaic on a 1920×1080 screen: sub */
  g_assert_false (vg_stream_choice_wants_main (958, 538, 1.0));
  /* 4×4: sub */
  g_assert_false (vg_stream_choice_wants_main (480, 270, 1.0));
  /* maximised or a single view: main */
  g_assert_true (vg_stream_choice_wants_main (1920, 1080, 1.0));
  g_assert_true (vg_stream_choice_wants_main (1280, 500, 1.0));
  g_assert_true (vg_stream_choice_wants_main (600, 600, 1.0));
  /* zoomed, even small: main */
  g_assert_true (vg_stream_choice_wants_main (320, 180, 1.25));
}

static void
test_backoff (void)
{
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (0), ==, 500);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (1), ==, 500);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (2), ==, 1000);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (3), ==, 2000);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (5), ==, 8000);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (6), ==, 10000);
  g_assert_cmpuint (vg_live_pipeline_backoff_ms (1000), ==, 10000);
}

static void
assert_rect (const graphene_rect_t *rect,
             double x, double y, double width, double height)
{
  g_assert_cmpfloat_with_epsilon (rect->origin.x, x, 0.01);
  g_assert_cmpfloat_with_epsilon (rect->origin.y, y, 0.01);
  g_assert_cmpfloat_with_epsilon (rect->size.width, width, 0.01);
  g_assert_cmpfloat_with_epsilon (rect->size.height, height, 0.01);
}

static void
test_paintable_geometry (void)
{
  graphene_rect_t rect;

  /* 16:9 in a 4:3 area: bars above and below */
  vg_video_paintable_compute_frame_rect (1920, 1080, 800, 600, FALSE, &rect);
  assert_rect (&rect, 0, 75, 800, 450);
  /* 16:9 in a tall-wide area: bars on the sides */
  vg_video_paintable_compute_frame_rect (640, 360, 1000, 360, FALSE, &rect);
  assert_rect (&rect, 180, 0, 640, 360);
  /* fill */
  vg_video_paintable_compute_frame_rect (640, 360, 1000, 360, TRUE, &rect);
  assert_rect (&rect, 0, 0, 1000, 360);
}

static void
test_paintable_zoom (void)
{
  g_autoptr(VgVideoPaintable) paintable = vg_video_paintable_new ();
  graphene_rect_t window;

  g_assert_cmpfloat (vg_video_paintable_get_zoom (paintable), ==, 1.0);

  /* Zoom ×2 at the centre: the middle half */
  vg_video_paintable_zoom_at (paintable, 2.0, 400, 300, 800, 600);
  vg_video_paintable_get_window (paintable, &window);
  assert_rect (&window, 0.25, 0.25, 0.5, 0.5);
  g_assert_cmpfloat_with_epsilon (vg_video_paintable_get_zoom (paintable), 2.0, 1e-9);

  /* Zoom ×2 at the top-left corner: it stays where it is */
  vg_video_paintable_reset_zoom (paintable);
  vg_video_paintable_zoom_at (paintable, 2.0, 0, 0, 800, 600);
  vg_video_paintable_get_window (paintable, &window);
  assert_rect (&window, 0, 0, 0.5, 0.5);

  /* Pan: dragging left by half the area moves the window right, but not past the edge */
  vg_video_paintable_pan (paintable, -400, 0, 800, 600);
  vg_video_paintable_get_window (paintable, &window);
  assert_rect (&window, 0.25, 0, 0.5, 0.5);
  vg_video_paintable_pan (paintable, -4000, -4000, 800, 600);
  vg_video_paintable_get_window (paintable, &window);
  assert_rect (&window, 0.5, 0.5, 0.5, 0.5);

  /* Zooming out past 1 comes back to the whole frame; in, not past the maximum */
  vg_video_paintable_zoom_at (paintable, 0.1, 10, 10, 800, 600);
  vg_video_paintable_get_window (paintable, &window);
  assert_rect (&window, 0, 0, 1, 1);
  vg_video_paintable_zoom_at (paintable, 1000, 10, 10, 800, 600);
  g_assert_cmpfloat_with_epsilon (vg_video_paintable_get_zoom (paintable),
                                  VG_VIDEO_PAINTABLE_ZOOM_MAX, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layout/presets", test_layout_presets);
  g_test_add_func ("/layout/preset-shapes", test_layout_preset_shapes);
  g_test_add_func ("/layout/grid", test_layout_grid);
  g_test_add_func ("/layout/custom", test_layout_custom);
  g_test_add_func ("/layout/edit", test_layout_edit);
  g_test_add_func ("/saved-mosaic/json", test_saved_mosaic_json);
  g_test_add_func ("/stream-choice/pick", test_stream_choice_pick);
  g_test_add_func ("/stream-choice/size", test_stream_choice_size);
  g_test_add_func ("/live-pipeline/backoff", test_backoff);
  g_test_add_func ("/video-paintable/geometry", test_paintable_geometry);
  g_test_add_func ("/video-paintable/zoom", test_paintable_zoom);

  return g_test_run ();
}
