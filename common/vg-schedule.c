/* vg-schedule.c: a weekly recording calendar at quarter-hour resolution (REC-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-schedule.h"
#include "vg-error.h"
#include "vg-json.h"

#include <stdio.h>
#include <string.h>

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

VgSchedule *
vg_schedule_new (void)
{
  return g_new0 (VgSchedule, 1);
}

VgSchedule *
vg_schedule_copy (const VgSchedule *schedule)
{
  g_return_val_if_fail (schedule != NULL, NULL);
  return g_memdup2 (schedule, sizeof *schedule);
}

void
vg_schedule_free (VgSchedule *schedule)
{
  g_free (schedule);
}

gboolean
vg_schedule_equal (const VgSchedule *a, const VgSchedule *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return memcmp (a->bits, b->bits, sizeof a->bits) == 0;
}

void
vg_schedule_set (VgSchedule *schedule, guint day, guint first_slot, guint end_slot, gboolean on)
{
  g_return_if_fail (schedule != NULL && day < 7 && end_slot <= VG_SCHEDULE_SLOTS_PER_DAY);
  for (guint slot = first_slot; slot < end_slot; slot++)
    {
      guint bit = day * VG_SCHEDULE_SLOTS_PER_DAY + slot;

      if (on)
        schedule->bits[bit / 8] |= (guint8) (1u << (bit % 8));
      else
        schedule->bits[bit / 8] &= (guint8) ~(1u << (bit % 8));
    }
}

gboolean
vg_schedule_get (const VgSchedule *schedule, guint day, guint slot)
{
  guint bit = day * VG_SCHEDULE_SLOTS_PER_DAY + slot;

  g_return_val_if_fail (schedule != NULL && day < 7 && slot < VG_SCHEDULE_SLOTS_PER_DAY, FALSE);
  return (schedule->bits[bit / 8] >> (bit % 8)) & 1;
}

gboolean
vg_schedule_is_active (const VgSchedule *schedule, GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (schedule != NULL && time != NULL, FALSE);
  local = g_date_time_to_local (time);
  return vg_schedule_get (schedule, (guint) g_date_time_get_day_of_week (local) - 1,
                          (guint) (g_date_time_get_hour (local) * 4 + g_date_time_get_minute (local) / 15));
}

gint64
vg_schedule_until_next_slot (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  gint64 into = ((gint64) (g_date_time_get_minute (local) % 15) * 60 + g_date_time_get_second (local)) *
                G_USEC_PER_SEC + g_date_time_get_microsecond (local);

  return 15 * 60 * G_USEC_PER_SEC - into;
}

static void
add_time (GString *out, guint slot)
{
  g_string_append_printf (out, "%02u:%02u", slot / 4, (slot % 4) * 15);
}

JsonNode *
vg_schedule_to_json (const VgSchedule *schedule)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (schedule != NULL, NULL);
  json_builder_begin_object (builder);
  for (guint day = 0; day < 7; day++)
    {
      json_builder_set_member_name (builder, day_names[day]);
      json_builder_begin_array (builder);
      for (guint slot = 0; slot < VG_SCHEDULE_SLOTS_PER_DAY;)
        {
          g_autoptr(GString) range = NULL;
          guint end;

          if (!vg_schedule_get (schedule, day, slot))
            {
              slot++;
              continue;
            }
          for (end = slot; end < VG_SCHEDULE_SLOTS_PER_DAY && vg_schedule_get (schedule, day, end); end++)
            ;
          range = g_string_new (NULL);
          add_time (range, slot);
          g_string_append_c (range, '-');
          add_time (range, end);
          json_builder_add_string_value (builder, range->str);
          slot = end;
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* "HH:MM" on a quarter-hour, 00:00–24:00, as a slot number 0–96. */
static gboolean
parse_time (const char *text, guint *slot)
{
  guint hour, minute;
  int consumed = 0;

  if (sscanf (text, "%2u:%2u%n", &hour, &minute, &consumed) != 2 || consumed != 5 ||
      minute % 15 != 0 || minute >= 60 || hour > 24 || (hour == 24 && minute != 0))
    return FALSE;
  *slot = hour * 4 + minute / 15;
  return TRUE;
}

VgSchedule *
vg_schedule_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(VgSchedule) schedule = vg_schedule_new ();
  JsonObject *object = vg_json_require_object (node, "schedule", error);
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return NULL;
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonArray *ranges = NULL;
      gint day = -1;

      for (guint d = 0; d < 7; d++)
        if (g_str_equal (name, day_names[d]))
          day = (gint) d;
      if (day < 0)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "unknown day “%s” in schedule (mon, tue, wed, thu, fri, sat, sun)", name);
          return NULL;
        }
      if (!vg_json_get_array_member (object, name, TRUE, &ranges, error))
        return NULL;
      for (guint i = 0; i < json_array_get_length (ranges); i++)
        {
          JsonNode *element = json_array_get_element (ranges, i);
          const char *text = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
                             ? json_node_get_string (element) : NULL;
          guint start, end;

          if (text == NULL || strlen (text) != 11 || text[5] != '-' ||
              !parse_time (text, &start) || !parse_time (text + 6, &end) || end <= start)
            {
              g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                           "schedule.%s[%u] must be \"HH:MM-HH:MM\" on quarter-hours, start before end",
                           name, i);
              return NULL;
            }
          vg_schedule_set (schedule, (guint) day, start, end, TRUE);
        }
    }
  return g_steal_pointer (&schedule);
}
