/* vg-bisection.h: the dichotomous search of the moment something changed (PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The change lies in [low, high]. The operator is shown the probe (the middle) and
 * answers whether the change happened before it or after it; the interval halves. */
typedef struct {
  gint64 low;
  gint64 high;
  guint  answers;
} VgBisection;

void     vg_bisection_init       (VgBisection *self, gint64 low, gint64 high);
gint64   vg_bisection_get_probe  (const VgBisection *self);
/* before: the change is already visible at the probe (it happened before it). */
void     vg_bisection_answer     (VgBisection *self, gboolean before);
/* Whether the interval is no wider than resolution. */
gboolean vg_bisection_is_done    (const VgBisection *self, gint64 resolution);
/* How many more answers reach resolution. */
guint    vg_bisection_answers_left (const VgBisection *self, gint64 resolution);

G_END_DECLS
