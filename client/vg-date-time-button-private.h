/* vg-date-time-button-private.h: VgDateTimeButton's fields, for tests that play the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vg-date-time-button.h"

G_BEGIN_DECLS

GtkCalendar   *vg_date_time_button_get_calendar     (VgDateTimeButton *self);
GtkSpinButton *vg_date_time_button_get_hour_spin    (VgDateTimeButton *self);
GtkSpinButton *vg_date_time_button_get_minute_spin  (VgDateTimeButton *self);
GtkSpinButton *vg_date_time_button_get_second_spin  (VgDateTimeButton *self);
GtkButton     *vg_date_time_button_get_apply_button (VgDateTimeButton *self);
GtkPopover    *vg_date_time_button_get_popover      (VgDateTimeButton *self);

G_END_DECLS
