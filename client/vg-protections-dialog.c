/* vg-protections-dialog.c: protect a camera's selected range from every purge, list
 * and remove its protected ranges (PLAY-8, REC-9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-protections-dialog.h"
#include "vg-timeline-scale.h"

struct _VgProtectionsDialog
{
  AdwWindow parent_instance;

  VgApiClient *client;
  VgCamera *camera;
  gint64 start;
  gint64 end;
  GTimeZone *tz;
  GCancellable *cancellable;
  guint n_protections;
  char *error;

  GtkWidget *protect_group;
  AdwEntryRow *comment_row;
  AdwActionRow *range_row;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (VgProtectionsDialog, vg_protections_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void vg_protections_dialog_reload (VgProtectionsDialog *self);

static void
vg_protections_dialog_set_error (VgProtectionsDialog *self,
                                 const GError        *error)
{
  g_free (self->error);
  self->error = error != NULL ? g_strdup (error->message) : NULL;
  if (error != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->protect_group), error->message);
}

static char *
format_iso_local (VgProtectionsDialog *self,
                  const char          *iso)
{
  g_autoptr(GDateTime) time = vg_time_parse_iso8601 (iso, NULL);

  return time != NULL ? vg_timeline_scale_format_local (vg_time_to_unix_usec (time), self->tz)
                      : g_strdup (iso);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VgProtectionsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  vg_protections_dialog_set_error (self, error);
  vg_protections_dialog_reload (self);
}

static void
remove_clicked_cb (GtkButton           *button,
                   VgProtectionsDialog *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "protection-id"));
  g_autofree char *path = g_strdup_printf ("/api/v1/protections/%" G_GINT64_FORMAT, id);

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  vg_api_client_request_async (self->client, "DELETE", path, NULL, self->cancellable,
                               deleted_cb, g_object_ref (self));
}

static GtkWidget *
new_protection_row (VgProtectionsDialog *self,
                    JsonObject          *protection)
{
  g_autofree char *start = format_iso_local (self, json_object_get_string_member_with_default (protection, "start", ""));
  g_autofree char *end = format_iso_local (self, json_object_get_string_member_with_default (protection, "end", ""));
  g_autofree char *title = g_strdup_printf ("%s – %s", start, end);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               json_object_get_string_member_with_default (protection, "comment", ""));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove the protection"));
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "protection-id",
                     GSIZE_TO_POINTER (json_object_get_int_member_with_default (protection, "id", 0)));
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VgProtectionsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  JsonArray *protections = NULL;
  GtkWidget *child;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ||
      !vg_json_get_array_member (json_node_get_object (body), "protections", TRUE, &protections, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vg_protections_dialog_set_error (self, error);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_protections = json_array_get_length (protections);
  for (guint i = 0; i < self->n_protections; i++)
    gtk_list_box_append (self->list, new_protection_row (self, json_array_get_object_element (protections, i)));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
vg_protections_dialog_reload (VgProtectionsDialog *self)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/protections",
                                           vg_camera_get_id (self->camera));

  vg_api_client_request_async (self->client, "GET", path, NULL, self->cancellable, listed_cb,
                               g_object_ref (self));
}

static void
protected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VgProtectionsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);

  vg_protections_dialog_set_error (self, error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "protections.protect", body == NULL);
  vg_protections_dialog_reload (self);
}

static JsonNode *
vg_protections_dialog_build_body (VgProtectionsDialog *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) start = vg_time_new_from_unix_usec (self->start);
  g_autoptr(GDateTime) end = vg_time_new_from_unix_usec (self->end);
  g_autofree char *start_text = vg_time_format_iso8601 (start);
  g_autofree char *end_text = vg_time_format_iso8601 (end);
  const char *comment = gtk_editable_get_text (GTK_EDITABLE (self->comment_row));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, end_text);
  if (comment[0] != '\0')
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, comment);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
protect_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  VgProtectionsDialog *self = VG_PROTECTIONS_DIALOG (widget);
  g_autoptr(JsonNode) body = vg_protections_dialog_build_body (self);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/protections",
                                           vg_camera_get_id (self->camera));

  gtk_widget_action_set_enabled (widget, "protections.protect", FALSE);
  vg_api_client_request_async (self->client, "POST", path, body, self->cancellable,
                               protected_cb, g_object_ref (self));
}

void
vg_protections_dialog_set_comment (VgProtectionsDialog *self,
                                   const char          *comment)
{
  g_return_if_fail (VG_IS_PROTECTIONS_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->comment_row), comment);
}

guint
vg_protections_dialog_get_n_protections (VgProtectionsDialog *self)
{
  g_return_val_if_fail (VG_IS_PROTECTIONS_DIALOG (self), 0);

  return self->n_protections;
}

const char *
vg_protections_dialog_get_error (VgProtectionsDialog *self)
{
  g_return_val_if_fail (VG_IS_PROTECTIONS_DIALOG (self), NULL);

  return self->error;
}

VgProtectionsDialog *
vg_protections_dialog_new (GtkWindow   *parent,
                           VgApiClient *client,
                           VgCamera    *camera,
                           gint64       start,
                           gint64       end)
{
  VgProtectionsDialog *self;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *range = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (VG_IS_CAMERA (camera), NULL);

  self = g_object_new (VG_TYPE_PROTECTIONS_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->camera = g_object_ref (camera);
  self->start = start;
  self->end = end;

  start_text = vg_timeline_scale_format_local (start, self->tz);
  end_text = vg_timeline_scale_format_local (end, self->tz);
  range = g_strdup_printf ("%s – %s", start_text, end_text);
  adw_action_row_set_subtitle (self->range_row, range);
  gtk_widget_set_visible (self->protect_group, end > start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "protections.protect", end > start);
  /* Translators: the protections dialog's title, with the camera's name */
  title = g_strdup_printf (_("Protected Ranges of “%s”"), vg_camera_get_name (camera));
  gtk_window_set_title (GTK_WINDOW (self), title);

  vg_protections_dialog_reload (self);
  return self;
}

static void
vg_protections_dialog_dispose (GObject *object)
{
  VgProtectionsDialog *self = VG_PROTECTIONS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_PROTECTIONS_DIALOG);

  G_OBJECT_CLASS (vg_protections_dialog_parent_class)->dispose (object);
}

static void
vg_protections_dialog_finalize (GObject *object)
{
  VgProtectionsDialog *self = VG_PROTECTIONS_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->camera);
  g_free (self->error);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (vg_protections_dialog_parent_class)->finalize (object);
}

static void
vg_protections_dialog_class_init (VgProtectionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_protections_dialog_dispose;
  object_class->finalize = vg_protections_dialog_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-protections-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VgProtectionsDialog, protect_group);
  gtk_widget_class_bind_template_child (widget_class, VgProtectionsDialog, comment_row);
  gtk_widget_class_bind_template_child (widget_class, VgProtectionsDialog, range_row);
  gtk_widget_class_bind_template_child (widget_class, VgProtectionsDialog, list);
  gtk_widget_class_install_action (widget_class, "protections.protect", NULL, protect_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vg_protections_dialog_init (VgProtectionsDialog *self)
{
  self->tz = g_time_zone_new_local ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
