/* vg-mosaics-dialog.c: the user's mosaics saved on the node: open, rename, delete, dwell
 * times of the cycle (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-mosaic-save.h"
#include "vg-mosaics-dialog.h"
#include "vg-window.h"

struct _VgMosaicsDialog
{
  AdwWindow parent_instance;

  VgWindow *window;          /* weak */
  VgConnection *connection;
  GListStore *mosaics;       /* of VgSavedMosaic */
  gboolean changed;          /* something changed on the node */
  GCancellable *cancellable;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (VgMosaicsDialog, vg_mosaics_dialog, ADW_TYPE_WINDOW)

#define MOSAIC_KEY "vg-saved-mosaic"

static void
vg_mosaics_dialog_show_error (VgMosaicsDialog *self,
                              const char      *what,
                              const GError    *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static VgSavedMosaic *
vg_mosaics_dialog_lookup (VgMosaicsDialog *self,
                          gint64           id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->mosaics)); i++)
    {
      g_autoptr(VgSavedMosaic) mosaic = g_list_model_get_item (G_LIST_MODEL (self->mosaics), i);

      if (vg_saved_mosaic_get_id (mosaic) == id)
        return mosaic;  /* the store keeps it */
    }
  return NULL;
}

static VgApiClient *
vg_mosaics_dialog_get_client (VgMosaicsDialog *self)
{
  return self->connection != NULL ? vg_connection_get_api_client (self->connection) : NULL;
}

/* Changes on the node, each followed by the list read again */

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VgMosaicsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    vg_mosaics_dialog_show_error (self, _("The mosaic could not be changed"), error);
  else
    self->changed = TRUE;
  vg_mosaics_dialog_reload (self);
}

/* A dwell time changed: the list stays as it is (the row being edited too). */
static void
dwell_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VgMosaicsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      vg_mosaics_dialog_show_error (self, _("The mosaic could not be changed"), error);
      vg_mosaics_dialog_reload (self);
    }
  else if (error == NULL)
    self->changed = TRUE;
}

/* PATCH with body, or DELETE without; done then called. */
static void
vg_mosaics_dialog_change (VgMosaicsDialog     *self,
                          gint64               id,
                          JsonNode            *body,
                          GAsyncReadyCallback  done)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/mosaics/%" G_GINT64_FORMAT, id);

  if (vg_mosaics_dialog_get_client (self) == NULL)
    return;
  vg_api_client_request_async (vg_mosaics_dialog_get_client (self), body != NULL ? "PATCH" : "DELETE",
                               path, body, self->cancellable, done, g_object_ref (self));
}

static JsonNode *
member_body (const char *name,
             JsonNode   *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, value);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
dwell_changed_cb (GtkSpinButton   *spin,
                  VgMosaicsDialog *self)
{
  VgSavedMosaic *mosaic = g_object_get_data (G_OBJECT (spin), MOSAIC_KEY);
  guint dwell = (guint) gtk_spin_button_get_value_as_int (spin);
  g_autoptr(JsonNode) body = NULL;
  JsonNode *value;

  if (dwell == vg_saved_mosaic_get_dwell (mosaic))
    return;
  vg_saved_mosaic_set_dwell (mosaic, dwell);
  value = json_node_init_int (json_node_alloc (), dwell);
  body = member_body ("dwell", value);
  vg_mosaics_dialog_change (self, vg_saved_mosaic_get_id (mosaic), body, dwell_saved_cb);
}

/* The list */

static guint
count_cameras (VgSavedMosaic *mosaic)
{
  guint n_cameras = 0;

  for (guint i = 0; i < vg_layout_get_n_cells (vg_saved_mosaic_get_layout (mosaic)); i++)
    if (vg_saved_mosaic_get_camera (mosaic, i) > 0)
      n_cameras++;
  return n_cameras;
}

static char *
describe_layout (VgSavedMosaic *mosaic)
{
  VgLayout *layout = vg_saved_mosaic_get_layout (mosaic);
  guint n_cameras = count_cameras (mosaic);
  g_autofree char *cameras = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u camera", "%u cameras",
                                                           n_cameras), n_cameras);

  /* Translators: a mosaic's grid (columns × rows), then "N cameras" */
  return g_strdup_printf (_("%u × %u, %s"), vg_layout_get_columns (layout), vg_layout_get_rows (layout),
                          cameras);
}

static GtkWidget *
row_button (const char *icon,
            const char *tooltip,
            const char *action,
            gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  return button;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  VgMosaicsDialog *self = user_data;
  VgSavedMosaic *mosaic = item;
  gint64 id = vg_saved_mosaic_get_id (mosaic);
  g_autofree char *subtitle = describe_layout (mosaic);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dwell = gtk_spin_button_new_with_range (1, 3600, 1);
  GtkWidget *open;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), vg_saved_mosaic_get_name (mosaic));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dwell), vg_saved_mosaic_get_dwell (mosaic));
  gtk_widget_set_valign (dwell, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dwell, _("Dwell time in the cycle, in seconds"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dwell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Dwell time in the cycle, in seconds"), -1);
  g_object_set_data_full (G_OBJECT (dwell), MOSAIC_KEY, g_object_ref (mosaic), g_object_unref);
  g_signal_connect (dwell, "value-changed", G_CALLBACK (dwell_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dwell);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("document-edit-symbolic", _("Rename"), "mosaics.rename", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("user-trash-symbolic", _("Delete"), "mosaics.delete", id));
  open = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "mosaics.open");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (open), g_variant_new_int64 (id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  return row;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VgMosaicsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  g_autoptr(GPtrArray) mosaics = body != NULL ? vg_mosaic_list_from_json (body, &error) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (mosaics == NULL)
    {
      vg_mosaics_dialog_show_error (self, _("The mosaics could not be listed"), error);
      return;
    }
  g_list_store_splice (self->mosaics, 0, g_list_model_get_n_items (G_LIST_MODEL (self->mosaics)),
                       mosaics->pdata, mosaics->len);
  gtk_stack_set_visible_child_name (self->stack, mosaics->len > 0 ? "list" : "empty");
}

void
vg_mosaics_dialog_reload (VgMosaicsDialog *self)
{
  g_return_if_fail (VG_IS_MOSAICS_DIALOG (self));

  if (vg_mosaics_dialog_get_client (self) == NULL)
    return;
  vg_api_client_request_async (vg_mosaics_dialog_get_client (self), "GET", "/api/v1/mosaics", NULL,
                               self->cancellable, listed_cb, g_object_ref (self));
}

GListModel *
vg_mosaics_dialog_get_mosaics (VgMosaicsDialog *self)
{
  g_return_val_if_fail (VG_IS_MOSAICS_DIALOG (self), NULL);

  return G_LIST_MODEL (self->mosaics);
}

/* Actions */

static void
open_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (widget);
  VgSavedMosaic *mosaic = vg_mosaics_dialog_lookup (self, g_variant_get_int64 (parameter));

  if (mosaic == NULL || self->window == NULL)
    return;
  vg_window_open_saved_mosaic (self->window, mosaic);
  gtk_window_close (GTK_WINDOW (self));
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VgMosaicsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSavedMosaic) saved = vg_mosaic_save_finish (GTK_WINDOW (source), result, &error);

  if (saved == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vg_mosaics_dialog_show_error (self, _("The mosaic could not be saved"), error);
  if (saved != NULL)
    self->changed = TRUE;
  vg_mosaics_dialog_reload (self);
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (widget);
  g_autoptr(VgSavedMosaic) mosaic = NULL;

  if (self->window == NULL || self->connection == NULL)
    return;
  mosaic = vg_saved_mosaic_new_from_mosaic (NULL, vg_window_get_mosaic (self->window), self->connection);
  vg_mosaic_save_async (GTK_WINDOW (self), self->connection, mosaic, self->cancellable,
                        saved_cb, g_object_ref (self));
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    VgMosaicsDialog  *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "vg-mosaic-id");
  g_autoptr(JsonNode) body = NULL;

  if (!g_str_equal (response, "rename") || name[0] == '\0')
    return;
  body = member_body ("name", json_node_init_string (json_node_alloc (), name));
  vg_mosaics_dialog_change (self, id, body, changed_cb);
}

static void
rename_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (widget);
  VgSavedMosaic *mosaic = vg_mosaics_dialog_lookup (self, g_variant_get_int64 (parameter));
  GtkWidget *dialog;
  GtkWidget *entry;

  if (mosaic == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Mosaic"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), vg_saved_mosaic_get_name (mosaic));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "vg-mosaic-id",
                          g_memdup2 (&(gint64) { vg_saved_mosaic_get_id (mosaic) }, sizeof (gint64)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    VgMosaicsDialog  *self)
{
  if (g_str_equal (response, "delete"))
    vg_mosaics_dialog_change (self, *(gint64 *) g_object_get_data (G_OBJECT (dialog), "vg-mosaic-id"),
                              NULL, changed_cb);
}

static void
delete_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (widget);
  VgSavedMosaic *mosaic = vg_mosaics_dialog_lookup (self, g_variant_get_int64 (parameter));
  GtkWidget *dialog;

  if (mosaic == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("It is removed from the node and from the mosaic cycle."));
  /* Translators: %s is the name of a saved mosaic */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     vg_saved_mosaic_get_name (mosaic));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "vg-mosaic-id",
                          g_memdup2 (&(gint64) { vg_saved_mosaic_get_id (mosaic) }, sizeof (gint64)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Public */

VgMosaicsDialog *
vg_mosaics_dialog_new (VgWindow *window)
{
  VgMosaicsDialog *self;

  g_return_val_if_fail (VG_IS_WINDOW (window), NULL);

  self = g_object_new (VG_TYPE_MOSAICS_DIALOG, "transient-for", window, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  g_set_object (&self->connection, vg_window_get_connection (window));
  vg_mosaics_dialog_reload (self);
  return self;
}

/* A running cycle goes on with the mosaics as they are now. */
static gboolean
vg_mosaics_dialog_close_request (GtkWindow *window)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (window);
  VgMosaicCycle *cycle = self->window != NULL ? vg_window_get_mosaic_cycle (self->window) : NULL;

  if (self->changed && cycle != NULL && vg_mosaic_cycle_get_running (cycle))
    vg_mosaic_cycle_start (cycle);
  self->changed = FALSE;

  return GTK_WINDOW_CLASS (vg_mosaics_dialog_parent_class)->close_request (window);
}

/* GObject */

static void
vg_mosaics_dialog_dispose (GObject *object)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_MOSAICS_DIALOG);

  G_OBJECT_CLASS (vg_mosaics_dialog_parent_class)->dispose (object);
}

static void
vg_mosaics_dialog_finalize (GObject *object)
{
  VgMosaicsDialog *self = VG_MOSAICS_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->mosaics);

  G_OBJECT_CLASS (vg_mosaics_dialog_parent_class)->finalize (object);
}

static void
vg_mosaics_dialog_class_init (VgMosaicsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_mosaics_dialog_dispose;
  object_class->finalize = vg_mosaics_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = vg_mosaics_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-mosaics-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VgMosaicsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VgMosaicsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VgMosaicsDialog, list);

  gtk_widget_class_install_action (widget_class, "mosaics.open", "x", open_cb);
  gtk_widget_class_install_action (widget_class, "mosaics.rename", "x", rename_cb);
  gtk_widget_class_install_action (widget_class, "mosaics.delete", "x", delete_cb);
  gtk_widget_class_install_action (widget_class, "mosaics.save", NULL, save_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_mosaics_dialog_init (VgMosaicsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->mosaics = g_list_store_new (VG_TYPE_SAVED_MOSAIC);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->mosaics), create_row_cb, self, NULL);
}
