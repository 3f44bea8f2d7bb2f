/* vg-bisection.c: the dichotomous search of the moment something changed (PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-bisection.h"

void
vg_bisection_init (VgBisection *self,
                   gint64       low,
                   gint64       high)
{
  g_return_if_fail (self != NULL);

  self->low = MIN (low, high);
  self->high = MAX (low, high);
  self->answers = 0;
}

gint64
vg_bisection_get_probe (const VgBisection *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->low + (self->high - self->low) / 2;
}

void
vg_bisection_answer (VgBisection *self,
                     gboolean     before)
{
  gint64 probe;

  g_return_if_fail (self != NULL);

  probe = vg_bisection_get_probe (self);
  if (before)
    self->high = probe;
  else
    self->low = probe;
  self->answers++;
}

gboolean
vg_bisection_is_done (const VgBisection *self,
                      gint64             resolution)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->high - self->low <= MAX (resolution, 1);
}

guint
vg_bisection_answers_left (const VgBisection *self,
                           gint64             resolution)
{
  gint64 width;
  guint left = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (width = self->high - self->low; width > MAX (resolution, 1); width -= width / 2)
    left++;
  return left;
}
