/* vg-timeline-panel.h: a VgTimeline with its controls: zoom keys, start and end
 * date-times, the dichotomous search's questions (PLAY-1, PLAY-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vg-date-time-button.h"
#include "vg-timeline.h"

G_BEGIN_DECLS

#define VG_TYPE_TIMELINE_PANEL (vg_timeline_panel_get_type ())
G_DECLARE_FINAL_TYPE (VgTimelinePanel, vg_timeline_panel, VG, TIMELINE_PANEL, GtkWidget)

/**
 * VgTimelinePanel:
 *
 * Actions (group "timeline"): "zoom-span" (s: "minute", "hour", "day", "week", "all"),
 * "bisect-start", "bisect-answer" (b: before), "bisect-stop". The start and end
 * date-time buttons (VgDateTimeButton) follow the visible range; applying one shows
 * the range it gives, unless its start would not come before its end.
 */
GtkWidget  *vg_timeline_panel_new          (void);
VgTimeline *vg_timeline_panel_get_timeline (VgTimelinePanel *self);
/* The toolbar, for a player to add its own controls. */
GtkBox     *vg_timeline_panel_get_toolbar  (VgTimelinePanel *self);
/* The export dialog (PLAY-6), or the protections dialog (PLAY-8), for the active
 * track's camera over the selection (the visible range up to now without one);
 * nothing without an active track. */
void        vg_timeline_panel_export_selection  (VgTimelinePanel *self, GtkWindow *parent);
void        vg_timeline_panel_protect_selection (VgTimelinePanel *self, GtkWindow *parent);

/* The start and end date-time buttons. */
VgDateTimeButton *vg_timeline_panel_get_start_button (VgTimelinePanel *self);
VgDateTimeButton *vg_timeline_panel_get_end_button   (VgTimelinePanel *self);

G_END_DECLS
