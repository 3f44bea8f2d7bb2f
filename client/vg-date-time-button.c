/* vg-date-time-button.c: a button showing a local date-time, whose popover picks
 * another one with a calendar and hour, minute and second fields (PLAY-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-date-time-button-private.h"

struct _VgDateTimeButton
{
  GtkWidget parent_instance;

  GtkMenuButton *menu_button;
  GtkLabel *label;
  GtkPopover *popover;
  GtkCalendar *calendar;
  GtkSpinButton *hour_spin;
  GtkSpinButton *minute_spin;
  GtkSpinButton *second_spin;
  GtkLabel *error_label;
  GtkButton *apply_button;

  GTimeZone *tz;
  gint64 time;
};

G_DEFINE_FINAL_TYPE (VgDateTimeButton, vg_date_time_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TIME,
  N_PROPS
};

enum {
  APPLY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GDateTime *
local_date_time (VgDateTimeButton *self,
                 gint64            time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, self->tz);
}

/* The date and time in the locale's format ("%x %X"), in the local time zone. */
static void
update_label (VgDateTimeButton *self)
{
  g_autoptr(GDateTime) local = local_date_time (self, self->time);
  g_autofree char *text = g_date_time_format (local, "%x %X");

  gtk_label_set_text (self->label, text);
}

/* The popover opens on the button's date-time. */
static void
fill_fields (VgDateTimeButton *self)
{
  g_autoptr(GDateTime) local = local_date_time (self, self->time);

  gtk_calendar_select_day (self->calendar, local);
  gtk_spin_button_set_value (self->hour_spin, g_date_time_get_hour (local));
  gtk_spin_button_set_value (self->minute_spin, g_date_time_get_minute (local));
  gtk_spin_button_set_value (self->second_spin, g_date_time_get_second (local));
}

static void
popover_show_cb (VgDateTimeButton *self)
{
  /* A refused choice is forgotten: the fields start again from the button's value. */
  vg_date_time_button_set_error (self, NULL);
  fill_fields (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->calendar));
}

/* Two digits: 09:05:00. */
static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (!g_str_equal (text, gtk_editable_get_text (GTK_EDITABLE (spin))))
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

gint64
vg_date_time_button_get_chosen (VgDateTimeButton *self)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) chosen = NULL;
  int year, month, mday;

  g_return_val_if_fail (VG_IS_DATE_TIME_BUTTON (self), 0);

  /* Typed digits not yet taken by the field count. */
  gtk_spin_button_update (self->hour_spin);
  gtk_spin_button_update (self->minute_spin);
  gtk_spin_button_update (self->second_spin);
  day = gtk_calendar_get_date (self->calendar);
  g_date_time_get_ymd (day, &year, &month, &mday);
  chosen = g_date_time_new (self->tz, year, month, mday,
                            gtk_spin_button_get_value_as_int (self->hour_spin),
                            gtk_spin_button_get_value_as_int (self->minute_spin),
                            gtk_spin_button_get_value_as_int (self->second_spin));
  if (chosen == NULL)
    return self->time;
  return g_date_time_to_unix (chosen) * G_USEC_PER_SEC;
}

static void
apply_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  VgDateTimeButton *self = VG_DATE_TIME_BUTTON (widget);

  g_signal_emit (self, signals[APPLY], 0, vg_date_time_button_get_chosen (self));
}

/* Public API */

GtkWidget *
vg_date_time_button_new (void)
{
  return g_object_new (VG_TYPE_DATE_TIME_BUTTON, NULL);
}

gint64
vg_date_time_button_get_time (VgDateTimeButton *self)
{
  g_return_val_if_fail (VG_IS_DATE_TIME_BUTTON (self), 0);

  return self->time;
}

void
vg_date_time_button_set_time (VgDateTimeButton *self,
                              gint64            time)
{
  g_return_if_fail (VG_IS_DATE_TIME_BUTTON (self));

  vg_date_time_button_set_error (self, NULL);
  if (time == self->time)
    return;
  self->time = time;
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

void
vg_date_time_button_set_error (VgDateTimeButton *self,
                               const char       *message)
{
  g_return_if_fail (VG_IS_DATE_TIME_BUTTON (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "error");
}

gboolean
vg_date_time_button_get_error (VgDateTimeButton *self)
{
  g_return_val_if_fail (VG_IS_DATE_TIME_BUTTON (self), FALSE);

  return gtk_widget_has_css_class (GTK_WIDGET (self->menu_button), "error");
}

const char *
vg_date_time_button_get_label (VgDateTimeButton *self)
{
  g_return_val_if_fail (VG_IS_DATE_TIME_BUTTON (self), NULL);

  return gtk_label_get_text (self->label);
}

void
vg_date_time_button_popup (VgDateTimeButton *self)
{
  g_return_if_fail (VG_IS_DATE_TIME_BUTTON (self));

  gtk_menu_button_popup (self->menu_button);
}

void
vg_date_time_button_popdown (VgDateTimeButton *self)
{
  g_return_if_fail (VG_IS_DATE_TIME_BUTTON (self));

  gtk_menu_button_popdown (self->menu_button);
}

GtkCalendar *
vg_date_time_button_get_calendar (VgDateTimeButton *self)
{
  return self->calendar;
}

GtkSpinButton *
vg_date_time_button_get_hour_spin (VgDateTimeButton *self)
{
  return self->hour_spin;
}

GtkSpinButton *
vg_date_time_button_get_minute_spin (VgDateTimeButton *self)
{
  return self->minute_spin;
}

GtkSpinButton *
vg_date_time_button_get_second_spin (VgDateTimeButton *self)
{
  return self->second_spin;
}

GtkButton *
vg_date_time_button_get_apply_button (VgDateTimeButton *self)
{
  return self->apply_button;
}

GtkPopover *
vg_date_time_button_get_popover (VgDateTimeButton *self)
{
  return self->popover;
}

/* GObject */

static void
vg_date_time_button_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VG_TYPE_DATE_TIME_BUTTON);

  G_OBJECT_CLASS (vg_date_time_button_parent_class)->dispose (object);
}

static void
vg_date_time_button_finalize (GObject *object)
{
  g_time_zone_unref (VG_DATE_TIME_BUTTON (object)->tz);

  G_OBJECT_CLASS (vg_date_time_button_parent_class)->finalize (object);
}

static void
vg_date_time_button_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VgDateTimeButton *self = VG_DATE_TIME_BUTTON (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_date_time_button_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VgDateTimeButton *self = VG_DATE_TIME_BUTTON (object);

  switch (prop_id)
    {
    case PROP_TIME:
      vg_date_time_button_set_time (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_date_time_button_class_init (VgDateTimeButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_date_time_button_dispose;
  object_class->finalize = vg_date_time_button_finalize;
  object_class->get_property = vg_date_time_button_get_property;
  object_class->set_property = vg_date_time_button_set_property;

  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-date-time-button.ui");
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, label);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, popover);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, calendar);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, second_spin);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, VgDateTimeButton, apply_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_output_cb);
  gtk_widget_class_install_action (widget_class, "date-time.apply", NULL, apply_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vgdatetimebutton");
}

static void
vg_date_time_button_init (VgDateTimeButton *self)
{
  self->tz = g_time_zone_new_local ();
  self->time = g_get_real_time ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_popover_set_default_widget (self->popover, GTK_WIDGET (self->apply_button));
  update_label (self);
}
