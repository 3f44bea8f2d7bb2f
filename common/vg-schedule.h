/* vg-schedule.h: a weekly recording calendar at quarter-hour resolution (REC-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VG_SCHEDULE_SLOTS_PER_DAY 96
#define VG_SCHEDULE_BYTES (7 * VG_SCHEDULE_SLOTS_PER_DAY / 8)

/**
 * VgSchedule:
 *
 * One bit per quarter-hour of the week, Monday 00:00 first, in the node's local time.
 * JSON: {"mon": ["08:00-12:00", "13:15-18:00"], "tue": [], …, "sun": ["00:00-24:00"]};
 * days left out are empty; times are on quarter-hours, "24:00" ends a day.
 */
typedef struct
{
  guint8 bits[VG_SCHEDULE_BYTES];
} VgSchedule;

VgSchedule *vg_schedule_new          (void);   /* empty: never */
VgSchedule *vg_schedule_copy         (const VgSchedule *schedule);
void        vg_schedule_free         (VgSchedule *schedule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgSchedule, vg_schedule_free)

gboolean    vg_schedule_equal        (const VgSchedule *a, const VgSchedule *b);
/* day 0 = Monday; slot 0 = 00:00–00:15. */
void        vg_schedule_set          (VgSchedule *schedule, guint day, guint first_slot, guint end_slot,
                                      gboolean on);
gboolean    vg_schedule_get          (const VgSchedule *schedule, guint day, guint slot);
/* Whether the schedule is on at that moment (converted to local time). */
gboolean    vg_schedule_is_active    (const VgSchedule *schedule, GDateTime *time);
/* Microseconds from time to the next quarter-hour boundary (when it may change). */
gint64      vg_schedule_until_next_slot (GDateTime *time);

JsonNode   *vg_schedule_to_json      (const VgSchedule *schedule);
/* VG_ERROR_INVALID for unknown days, malformed ranges, times off the quarter-hour. */
VgSchedule *vg_schedule_new_from_json (JsonNode *node, GError **error);

G_END_DECLS
