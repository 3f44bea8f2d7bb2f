/* vg-time-ranges.c: sorted, disjoint UTC time ranges (recorded spans, fetched ranges)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-time-ranges.h"
#include "vg-timeline-scale.h"

GArray *
vg_time_ranges_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (VgTimeRange));
}

void
vg_time_ranges_add (GArray *ranges,
                    gint64  start,
                    gint64  end,
                    gint64  tolerance)
{
  VgTimeRange merged = { start, end };
  guint first = 0;
  guint n_merged = 0;

  g_return_if_fail (ranges != NULL);
  if (end <= start)
    return;

  /* ranges[first …] are the ones that touch [start, end) within tolerance. */
  while (first < ranges->len && g_array_index (ranges, VgTimeRange, first).end + tolerance < start)
    first++;
  while (first + n_merged < ranges->len)
    {
      VgTimeRange *range = &g_array_index (ranges, VgTimeRange, first + n_merged);

      if (range->start > end + tolerance)
        break;
      merged.start = MIN (merged.start, range->start);
      merged.end = MAX (merged.end, range->end);
      n_merged++;
    }

  if (n_merged > 0)
    g_array_remove_range (ranges, first, n_merged);
  g_array_insert_val (ranges, first, merged);
}

void
vg_time_ranges_remove (GArray *ranges,
                       gint64  start,
                       gint64  end)
{
  g_autoptr(GArray) kept = vg_time_ranges_new ();

  g_return_if_fail (ranges != NULL);
  if (end <= start)
    return;

  for (guint i = 0; i < ranges->len; i++)
    {
      VgTimeRange range = g_array_index (ranges, VgTimeRange, i);

      if (range.end <= start || range.start >= end)
        {
          g_array_append_val (kept, range);
          continue;
        }
      if (range.start < start)
        {
          VgTimeRange before = { range.start, start };
          g_array_append_val (kept, before);
        }
      if (range.end > end)
        {
          VgTimeRange after = { end, range.end };
          g_array_append_val (kept, after);
        }
    }

  g_array_set_size (ranges, 0);
  g_array_append_vals (ranges, kept->data, kept->len);
}

gboolean
vg_time_ranges_covers (GArray *ranges,
                       gint64  start,
                       gint64  end)
{
  g_return_val_if_fail (ranges != NULL, FALSE);

  for (guint i = 0; i < ranges->len; i++)
    {
      VgTimeRange *range = &g_array_index (ranges, VgTimeRange, i);

      if (range->start <= start && range->end >= end)
        return TRUE;
    }
  return FALSE;
}

GArray *
vg_time_ranges_clip (GArray *ranges,
                     gint64  start,
                     gint64  end)
{
  GArray *clipped = vg_time_ranges_new ();

  g_return_val_if_fail (ranges != NULL, clipped);

  for (guint i = 0; i < ranges->len; i++)
    {
      VgTimeRange range = g_array_index (ranges, VgTimeRange, i);

      range.start = MAX (range.start, start);
      range.end = MIN (range.end, end);
      if (range.end > range.start)
        g_array_append_val (clipped, range);
    }
  return clipped;
}

gboolean
vg_time_ranges_missing (GArray      *ranges,
                        gint64       start,
                        gint64       end,
                        VgTimeRange *missing)
{
  g_autoptr(GArray) holes = vg_time_ranges_new ();

  g_return_val_if_fail (ranges != NULL, FALSE);
  g_return_val_if_fail (missing != NULL, FALSE);

  vg_time_ranges_add (holes, start, end, 0);
  for (guint i = 0; i < ranges->len; i++)
    {
      VgTimeRange *range = &g_array_index (ranges, VgTimeRange, i);
      vg_time_ranges_remove (holes, range->start, range->end);
    }
  if (holes->len == 0)
    return FALSE;

  missing->start = g_array_index (holes, VgTimeRange, 0).start;
  missing->end = g_array_index (holes, VgTimeRange, holes->len - 1).end;
  return TRUE;
}

GArray *
vg_time_ranges_to_pixels (GArray *ranges,
                          gint64  start,
                          gint64  end,
                          double  width)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (VgPixelRun));
  g_autoptr(GArray) clipped = NULL;

  g_return_val_if_fail (ranges != NULL, runs);
  if (end <= start || width <= 0)
    return runs;

  clipped = vg_time_ranges_clip (ranges, start, end);
  for (guint i = 0; i < clipped->len; i++)
    {
      VgTimeRange *range = &g_array_index (clipped, VgTimeRange, i);
      double x0 = vg_timeline_scale_time_to_x (range->start, start, end, width);
      double x1 = vg_timeline_scale_time_to_x (range->end, start, end, width);
      VgPixelRun *last = runs->len > 0 ? &g_array_index (runs, VgPixelRun, runs->len - 1) : NULL;

      x1 = MAX (x1, x0 + 1);
      if (last != NULL && x0 <= last->x + last->width + 1)
        {
          last->width = MAX (last->width, x1 - last->x);
          continue;
        }
      g_array_append_vals (runs, &(VgPixelRun) { x0, x1 - x0 }, 1);
    }
  return runs;
}
