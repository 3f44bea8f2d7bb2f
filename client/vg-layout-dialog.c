/* vg-layout-dialog.c: a custom mosaic grid built and applied to the window's mosaic
 * (CLI-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-layout-dialog.h"
#include "vg-window.h"

struct _VgLayoutDialog
{
  AdwWindow parent_instance;

  VgWindow *window;        /* weak */
  gboolean syncing;        /* the spin buttons follow the layout */

  GtkSpinButton *columns_spin;
  GtkSpinButton *rows_spin;
  VgLayoutEditor *editor;
  GtkLabel *summary_label;
};

G_DEFINE_FINAL_TYPE (VgLayoutDialog, vg_layout_dialog, ADW_TYPE_WINDOW)

static void
layout_changed_cb (VgLayoutDialog *self)
{
  VgLayout *layout = vg_layout_editor_get_layout (self->editor);
  guint n_cells = vg_layout_get_n_cells (layout);
  g_autofree char *summary = NULL;

  self->syncing = TRUE;
  gtk_spin_button_set_value (self->columns_spin, vg_layout_get_columns (layout));
  gtk_spin_button_set_value (self->rows_spin, vg_layout_get_rows (layout));
  self->syncing = FALSE;

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u cell. Drag across cells to merge them; click a merged cell to split it.",
                                          "%u cells. Drag across cells to merge them; click a merged cell to split it.",
                                          n_cells), n_cells);
  gtk_label_set_label (self->summary_label, summary);
}

static void
size_changed_cb (VgLayoutDialog *self)
{
  if (self->syncing)
    return;
  vg_layout_dialog_set_size (self, (guint) gtk_spin_button_get_value_as_int (self->columns_spin),
                             (guint) gtk_spin_button_get_value_as_int (self->rows_spin));
}

static void
apply_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  VgLayoutDialog *self = VG_LAYOUT_DIALOG (widget);

  if (self->window != NULL)
    vg_window_show_mosaic (self->window, vg_layout_editor_get_layout (self->editor));
  gtk_window_close (GTK_WINDOW (self));
}

/* Public */

VgLayoutDialog *
vg_layout_dialog_new (VgWindow *window)
{
  VgLayoutDialog *self;
  VgLayout *current;
  g_autoptr(VgLayout) start = NULL;

  g_return_val_if_fail (VG_IS_WINDOW (window), NULL);

  self = g_object_new (VG_TYPE_LAYOUT_DIALOG, "transient-for", window, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  current = vg_mosaic_get_layout (vg_window_get_mosaic (window));
  if (current != NULL && vg_layout_get_columns (current) <= VG_LAYOUT_DIALOG_SIZE_MAX &&
      vg_layout_get_rows (current) <= VG_LAYOUT_DIALOG_SIZE_MAX)
    start = vg_layout_ref (current);
  else
    start = vg_layout_new_grid (2, 2);
  vg_layout_editor_set_layout (self->editor, start);
  return self;
}

VgLayoutEditor *
vg_layout_dialog_get_editor (VgLayoutDialog *self)
{
  g_return_val_if_fail (VG_IS_LAYOUT_DIALOG (self), NULL);

  return self->editor;
}

void
vg_layout_dialog_set_size (VgLayoutDialog *self,
                           guint           columns,
                           guint           rows)
{
  g_autoptr(VgLayout) layout = NULL;

  g_return_if_fail (VG_IS_LAYOUT_DIALOG (self));

  columns = CLAMP (columns, 1, VG_LAYOUT_DIALOG_SIZE_MAX);
  rows = CLAMP (rows, 1, VG_LAYOUT_DIALOG_SIZE_MAX);
  layout = vg_layout_resize (vg_layout_editor_get_layout (self->editor), columns, rows);
  vg_layout_editor_set_layout (self->editor, layout);
}

/* GObject */

static void
vg_layout_dialog_dispose (GObject *object)
{
  VgLayoutDialog *self = VG_LAYOUT_DIALOG (object);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_LAYOUT_DIALOG);

  G_OBJECT_CLASS (vg_layout_dialog_parent_class)->dispose (object);
}

static void
vg_layout_dialog_class_init (VgLayoutDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_layout_dialog_dispose;

  g_type_ensure (VG_TYPE_LAYOUT_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-layout-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VgLayoutDialog, columns_spin);
  gtk_widget_class_bind_template_child (widget_class, VgLayoutDialog, rows_spin);
  gtk_widget_class_bind_template_child (widget_class, VgLayoutDialog, editor);
  gtk_widget_class_bind_template_child (widget_class, VgLayoutDialog, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, layout_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, size_changed_cb);

  gtk_widget_class_install_action (widget_class, "layout.apply", NULL, apply_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_layout_dialog_init (VgLayoutDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
