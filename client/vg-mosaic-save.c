/* vg-mosaic-save.c: "Save Mosaic…": a name asked, an existing name confirmed, the node
 * told (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vg-mosaic-save.h"

typedef struct {
  VgConnection *connection;
  VgSavedMosaic *mosaic;
  GtkEditable *entry;
} Save;

static void
save_free (gpointer data)
{
  Save *save = data;

  g_clear_object (&save->connection);
  g_clear_object (&save->mosaic);
  g_free (save);
}

GPtrArray *
vg_mosaic_list_from_json (JsonNode  *body,
                          GError   **error)
{
  g_autoptr(GPtrArray) mosaics = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object = body != NULL && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  JsonNode *array = object != NULL ? json_object_get_member (object, "mosaics") : NULL;

  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Unexpected answer from the node"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      VgSavedMosaic *mosaic = vg_saved_mosaic_new_from_json (json_array_get_element (json_node_get_array (array), i),
                                                             error);

      if (mosaic == NULL)
        return NULL;
      g_ptr_array_add (mosaics, mosaic);
    }
  return g_steal_pointer (&mosaics);
}

/* 3. The node's answer */

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  VgSavedMosaic *stored;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  stored = vg_saved_mosaic_new_from_json (body, &error);
  if (stored == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, stored, g_object_unref);
}

static void
save_store (GTask  *task,
            gint64  existing_id)
{
  Save *save = g_task_get_task_data (task);
  VgApiClient *client = vg_connection_get_api_client (save->connection);
  g_autoptr(JsonNode) body = vg_saved_mosaic_to_json (save->mosaic);
  g_autofree char *path = NULL;

  if (client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }

  if (existing_id > 0)
    {
      /* Over an existing mosaic: its dwell time in the cycle stays. */
      json_object_remove_member (json_node_get_object (body), "dwell");
      path = g_strdup_printf ("/api/v1/mosaics/%" G_GINT64_FORMAT, existing_id);
    }
  vg_api_client_request_async (client, existing_id > 0 ? "PATCH" : "POST",
                               existing_id > 0 ? path : "/api/v1/mosaics", body,
                               g_task_get_cancellable (task), stored_cb, task);
}

/* A dialog gone without an answer (its window closed with it): not saved. */
static void
dialog_destroyed_cb (GtkWidget *dialog,
                     gpointer   user_data)
{
  GTask *task = user_data;

  g_signal_handlers_disconnect_by_data (dialog, task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Not saved"));
  g_object_unref (task);
}

/* 2. A mosaic of that name already? Then the user decides. */

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  GTask *task = user_data;

  /* One answer: closing after it says nothing more. */
  g_signal_handlers_disconnect_by_data (dialog, task);
  if (g_str_equal (response, "replace"))
    {
      save_store (task, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "vg-mosaic-id")));
      return;
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Not saved"));
  g_object_unref (task);
}

static void
ask_replace (GTask         *task,
             VgSavedMosaic *existing)
{
  GtkWindow *parent = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent, NULL, NULL);
  /* Translators: %s is the name of a saved mosaic */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Replace “%s”?"),
                                     vg_saved_mosaic_get_name (save->mosaic));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("A mosaic of this name is saved already. Replacing it keeps its place "
                                 "and dwell time in the cycle, with this layout and these cameras."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "vg-mosaic-id",
                     GSIZE_TO_POINTER ((gsize) vg_saved_mosaic_get_id (existing)));
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), task);
  g_signal_connect (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  g_autoptr(GPtrArray) mosaics = body != NULL ? vg_mosaic_list_from_json (body, &error) : NULL;

  if (mosaics == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < mosaics->len; i++)
    if (g_strcmp0 (vg_saved_mosaic_get_name (mosaics->pdata[i]),
                   vg_saved_mosaic_get_name (save->mosaic)) == 0)
      {
        ask_replace (task, mosaics->pdata[i]);
        return;
      }
  save_store (task, 0);
}

/* 1. The name */

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  GTask *task = user_data;
  Save *save;
  g_autofree char *name = NULL;
  VgApiClient *client;

  /* One answer: closing after it says nothing more. */
  g_signal_handlers_disconnect_by_data (dialog, task);
  save = g_task_get_task_data (task);
  name = g_strstrip (g_strdup (gtk_editable_get_text (save->entry)));
  client = vg_connection_get_api_client (save->connection);

  if (!g_str_equal (response, "save") || name[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Not saved"));
      g_object_unref (task);
      return;
    }
  if (client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }

  vg_saved_mosaic_set_name (save->mosaic, name);
  vg_api_client_request_async (client, "GET", "/api/v1/mosaics", NULL,
                               g_task_get_cancellable (task), listed_cb, task);
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", name[0] != '\0');
}

void
vg_mosaic_save_async (GtkWindow           *parent,
                      VgConnection        *connection,
                      VgSavedMosaic       *mosaic,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Save *save;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (VG_IS_CONNECTION (connection));
  g_return_if_fail (VG_IS_SAVED_MOSAIC (mosaic));

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_mosaic_save_async);
  save = g_new0 (Save, 1);
  save->connection = g_object_ref (connection);
  save->mosaic = g_object_ref (mosaic);
  g_task_set_task_data (task, save, save_free);

  dialog = adw_message_dialog_new (parent, _("Save Mosaic"),
                                   _("Its layout and cameras are kept on the node, with your "
                                     "other mosaics, for you to open again or to cycle through."));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  gtk_editable_set_text (GTK_EDITABLE (entry), vg_saved_mosaic_get_name (mosaic) != NULL
                                               ? vg_saved_mosaic_get_name (mosaic) : "");
  save->entry = GTK_EDITABLE (entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);
  name_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), task);
  g_signal_connect (dialog, "response", G_CALLBACK (name_response_cb), g_steal_pointer (&task));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

VgSavedMosaic *
vg_mosaic_save_finish (GtkWindow     *parent,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, parent), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
