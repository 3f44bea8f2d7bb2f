/* vg-date-time-button.h: a button showing a local date-time, whose popover picks
 * another one with a calendar and hour, minute and second fields (PLAY-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VG_TYPE_DATE_TIME_BUTTON (vg_date_time_button_get_type ())
G_DECLARE_FINAL_TYPE (VgDateTimeButton, vg_date_time_button, VG, DATE_TIME_BUTTON, GtkWidget)

/**
 * VgDateTimeButton:
 *
 * A GtkMenuButton labelled with "time" in the local time zone and the locale's format.
 * Opening it fills the popover's calendar and hour, minute and second fields with
 * "time"; its Apply button (action "date-time.apply") emits "apply" (gint64 chosen)
 * with what the fields say, leaving "time" as it is: the owner checks the value, then
 * sets "time" and vg_date_time_button_popdown(), or vg_date_time_button_set_error()
 * with a message shown in the popover (the button is marked in error until "time" is
 * set again, the popover opened again or the error cleared).
 *
 * Every time is UTC microseconds since the epoch.
 */
GtkWidget *vg_date_time_button_new       (void);

gint64     vg_date_time_button_get_time  (VgDateTimeButton *self);
void       vg_date_time_button_set_time  (VgDateTimeButton *self, gint64 time);
/* What the popover's fields say, in UTC. */
gint64     vg_date_time_button_get_chosen (VgDateTimeButton *self);
/* message NULL: no error. */
void       vg_date_time_button_set_error (VgDateTimeButton *self, const char *message);
gboolean   vg_date_time_button_get_error (VgDateTimeButton *self);
/* The button's text. */
const char *vg_date_time_button_get_label (VgDateTimeButton *self);

void       vg_date_time_button_popup     (VgDateTimeButton *self);
void       vg_date_time_button_popdown   (VgDateTimeButton *self);

G_END_DECLS
