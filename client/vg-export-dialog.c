/* vg-export-dialog.c: export a recorded range to this computer or to a medium on the
 * node, whole or in pieces, with its progress (PLAY-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-export-dialog.h"
#include "vg-export-download.h"
#include "vg-export-job.h"
#include "vg-timeline-scale.h"

enum {
  DESTINATION_LOCAL,
  DESTINATION_NODE,
};

enum {
  SPLIT_NONE,
  SPLIT_DURATION,
  SPLIT_SIZE,
};

struct _VgExportDialog
{
  AdwWindow parent_instance;

  VgApiClient *client;
  VgCamera *camera;
  char *stream;
  GFile *file;
  GTimeZone *tz;
  gint64 given_start, given_end;  /* the selection's own instants (µs), kept while the
                                   * fields still show them to the second */

  GCancellable *cancellable;
  VgExportDownload *download;
  VgExportJob *job;
  char *status;

  GtkWidget *range_group;
  GtkEntry *start_entry;
  GtkEntry *end_entry;
  AdwComboRow *destination_row;
  AdwActionRow *file_row;
  AdwEntryRow *directory_row;
  AdwComboRow *split_row;
  AdwActionRow *piece_row;
  GtkSpinButton *piece_spin;
  GtkWidget *zip_row;
  GtkSwitch *zip_switch;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (VgExportDialog, vg_export_dialog, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
vg_export_dialog_busy (VgExportDialog *self)
{
  return self->cancellable != NULL;
}

static void
vg_export_dialog_set_status (VgExportDialog *self,
                             const char     *status,
                             double          fraction)
{
  g_free (self->status);
  self->status = g_strdup (status);
  gtk_progress_bar_set_text (self->progress_bar, status);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

/* The split as the API takes it, or NULL. */
static char *
vg_export_dialog_dup_split (VgExportDialog *self)
{
  guint value = (guint) gtk_spin_button_get_value_as_int (self->piece_spin);

  switch (adw_combo_row_get_selected (self->split_row))
    {
    case SPLIT_DURATION:
      return g_strdup_printf ("%um", value);
    case SPLIT_SIZE:
      return g_strdup_printf ("%uMB", value);
    default:
      return NULL;
    }
}

static void
options_changed_cb (VgExportDialog *self)
{
  gboolean local = adw_combo_row_get_selected (self->destination_row) == DESTINATION_LOCAL;
  guint split = adw_combo_row_get_selected (self->split_row);
  g_autofree char *path = self->file != NULL ? g_file_get_path (self->file) : NULL;
  gboolean ready = local ? self->file != NULL
                         : g_path_is_absolute (gtk_editable_get_text (GTK_EDITABLE (self->directory_row)));

  gtk_widget_set_visible (GTK_WIDGET (self->file_row), local);
  gtk_widget_set_visible (GTK_WIDGET (self->directory_row), !local);
  gtk_widget_set_visible (GTK_WIDGET (self->piece_row), split != SPLIT_NONE);
  /* Pieces sent to this computer always come in a zip; the node writes files. */
  gtk_widget_set_visible (self->zip_row, local && split == SPLIT_NONE);
  adw_action_row_set_subtitle (self->file_row, path != NULL ? path : _("None chosen"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->piece_row),
                                 split == SPLIT_SIZE ? _("Piece size (MB)") : _("Piece duration (minutes)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.start", ready && !vg_export_dialog_busy (self));
}

/* The instant a field shows: the one it was given, to the microsecond, while its text
 * still says it; else what the operator typed, to the second. */
static gboolean
vg_export_dialog_read_field (VgExportDialog *self,
                             GtkEntry       *entry,
                             gint64          given,
                             gint64         *time)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *given_text = vg_timeline_scale_format_local (given, self->tz);

  if (g_strcmp0 (text, given_text) == 0)
    {
      *time = given;
      return TRUE;
    }
  return vg_timeline_scale_parse_local (text, self->tz, time);
}

static gboolean
vg_export_dialog_read_range (VgExportDialog *self,
                             gint64         *start,
                             gint64         *end)
{
  gboolean ok = vg_export_dialog_read_field (self, self->start_entry, self->given_start, start) &&
                vg_export_dialog_read_field (self, self->end_entry, self->given_end, end) &&
                *end > *start;

  if (!ok)
    vg_export_dialog_set_status (self, _("The range is not valid: YYYY-MM-DD HH:MM:SS, end after start"), 0);
  return ok;
}

static void
vg_export_dialog_finish (VgExportDialog *self,
                         gboolean        success,
                         const char     *status)
{
  g_clear_object (&self->cancellable);
  vg_export_dialog_set_status (self, status, success ? 1.0 : -1);
  gtk_widget_set_sensitive (self->range_group, TRUE);
  options_changed_cb (self);
  g_signal_emit (self, signals[FINISHED], 0, success);
}

/* To this computer */

static void
download_progress_cb (VgExportDialog *self)
{
  g_autofree char *size = g_format_size (vg_export_download_get_bytes (self->download));
  g_autofree char *expected = g_format_size (vg_export_download_get_expected_bytes (self->download));
  g_autofree char *text = NULL;

  if (vg_export_download_get_expected_bytes (self->download) > 0)
    /* Translators: bytes received of the estimated total, “12.5 MB of about 40.0 MB” */
    text = g_strdup_printf (_("%s of about %s"), size, expected);
  else
    text = g_strdup (size);
  vg_export_dialog_set_status (self, text, vg_export_download_get_progress (self->download));
}

static void
download_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VgExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  if (!vg_export_download_run_finish (VG_EXPORT_DOWNLOAD (source), result, &error))
    {
      text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
             ? g_strdup (_("Cancelled"))
             : g_strdup_printf (_("Export failed: %s"), error->message);
      vg_export_dialog_finish (self, FALSE, text);
      return;
    }
  size = g_format_size (vg_export_download_get_bytes (VG_EXPORT_DOWNLOAD (source)));
  /* Translators: the size of the exported file */
  text = g_strdup_printf (_("Done: %s"), size);
  vg_export_dialog_finish (self, TRUE, text);
}

static void
vg_export_dialog_start_download (VgExportDialog *self,
                                 gint64          start,
                                 gint64          end)
{
  g_autofree char *split = vg_export_dialog_dup_split (self);

  g_clear_object (&self->download);
  self->download = vg_export_download_new (self->client, vg_camera_get_id (self->camera),
                                           self->stream, start, end);
  vg_export_download_set_split (self->download, split);
  vg_export_download_set_zip (self->download, gtk_switch_get_active (self->zip_switch));
  g_signal_connect_object (self->download, "notify::progress", G_CALLBACK (download_progress_cb),
                           self, G_CONNECT_SWAPPED);
  vg_export_download_run_async (self->download, self->file, self->cancellable,
                                download_done_cb, g_object_ref (self));
}

/* To a medium on the node */

static void
job_progress_cb (VgExportDialog *self)
{
  g_autofree char *size = g_format_size (vg_export_job_get_bytes (self->job));
  g_autofree char *text = g_strdup_printf (_("The node wrote %s"), size);

  vg_export_dialog_set_status (self, text, vg_export_job_get_progress (self->job));
}

static void
job_finished_cb (VgExportDialog *self)
{
  const char *state = vg_export_job_get_state (self->job);
  g_autofree char *files = g_strjoinv (", ", (char **) vg_export_job_get_files (self->job));
  g_autofree char *text = NULL;

  if (g_str_equal (state, "done"))
    text = g_strdup_printf (_("Done: %s"), files);
  else if (g_str_equal (state, "cancelled"))
    text = g_strdup (_("Cancelled"));
  else
    text = g_strdup_printf (_("Export failed: %s"),
                            vg_export_job_get_error (self->job) ? vg_export_job_get_error (self->job) : state);
  vg_export_dialog_finish (self, g_str_equal (state, "done"), text);
}

static void
job_started_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VgExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (vg_export_job_start_finish (VG_EXPORT_JOB (source), result, &error))
    return;
  text = g_strdup_printf (_("Export failed: %s"), error->message);
  vg_export_dialog_finish (self, FALSE, text);
}

static void
vg_export_dialog_start_job (VgExportDialog *self,
                            gint64          start,
                            gint64          end)
{
  g_autofree char *split = vg_export_dialog_dup_split (self);

  g_clear_object (&self->job);
  self->job = vg_export_job_new (self->client, vg_camera_get_id (self->camera), self->stream,
                                 start, end, gtk_editable_get_text (GTK_EDITABLE (self->directory_row)),
                                 split);
  g_signal_connect_object (self->job, "notify::progress", G_CALLBACK (job_progress_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "finished", G_CALLBACK (job_finished_cb),
                           self, G_CONNECT_SWAPPED);
  vg_export_job_start_async (self->job, self->cancellable, job_started_cb, g_object_ref (self));
}

/* Actions */

static void
start_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  VgExportDialog *self = VG_EXPORT_DIALOG (widget);
  gint64 start, end;

  if (vg_export_dialog_busy (self) || !vg_export_dialog_read_range (self, &start, &end))
    return;

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->range_group, FALSE);
  vg_export_dialog_set_status (self, _("Starting…"), 0);
  options_changed_cb (self);
  if (adw_combo_row_get_selected (self->destination_row) == DESTINATION_LOCAL)
    vg_export_dialog_start_download (self, start, end);
  else
    vg_export_dialog_start_job (self, start, end);
}

static void
cancel_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  VgExportDialog *self = VG_EXPORT_DIALOG (widget);

  if (!vg_export_dialog_busy (self))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (self->job != NULL && !vg_export_job_is_finished (self->job) && vg_export_job_get_id (self->job) > 0)
    vg_export_job_cancel (self->job);
  else
    g_cancellable_cancel (self->cancellable);
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                VgExportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      vg_export_dialog_set_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static char *
vg_export_dialog_suggest_name (VgExportDialog *self)
{
  gint64 start = 0, end = 0;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *stamp = NULL;
  gboolean zip = adw_combo_row_get_selected (self->split_row) != SPLIT_NONE ||
                 gtk_switch_get_active (self->zip_switch);

  if (!vg_export_dialog_read_range (self, &start, &end))
    start = g_get_real_time ();
  time = vg_time_new_from_unix_usec (start);
  stamp = g_date_time_format (time, "%Y%m%dT%H%M%SZ");
  return g_strdup_printf ("camera%" G_GINT64_FORMAT "-%s.%s", vg_camera_get_id (self->camera),
                          stamp, zip ? "zip" : "mkv");
}

static void
choose_file_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VgExportDialog *self = VG_EXPORT_DIALOG (widget);
  g_autofree char *name = vg_export_dialog_suggest_name (self);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Public */

void
vg_export_dialog_set_file (VgExportDialog *self,
                           GFile          *file)
{
  g_return_if_fail (VG_IS_EXPORT_DIALOG (self));

  g_set_object (&self->file, file);
  adw_combo_row_set_selected (self->destination_row, DESTINATION_LOCAL);
  options_changed_cb (self);
}

void
vg_export_dialog_set_node_directory (VgExportDialog *self,
                                     const char     *directory)
{
  g_return_if_fail (VG_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->destination_row, DESTINATION_NODE);
  gtk_editable_set_text (GTK_EDITABLE (self->directory_row), directory);
  options_changed_cb (self);
}

void
vg_export_dialog_set_split (VgExportDialog *self,
                            guint           split_minutes,
                            guint           split_megabytes)
{
  g_return_if_fail (VG_IS_EXPORT_DIALOG (self));

  if (split_minutes > 0)
    {
      adw_combo_row_set_selected (self->split_row, SPLIT_DURATION);
      gtk_spin_button_set_value (self->piece_spin, split_minutes);
    }
  else if (split_megabytes > 0)
    {
      adw_combo_row_set_selected (self->split_row, SPLIT_SIZE);
      gtk_spin_button_set_value (self->piece_spin, split_megabytes);
    }
  else
    adw_combo_row_set_selected (self->split_row, SPLIT_NONE);
  options_changed_cb (self);
}

const char *
vg_export_dialog_get_status (VgExportDialog *self)
{
  g_return_val_if_fail (VG_IS_EXPORT_DIALOG (self), NULL);

  return self->status;
}

VgExportDialog *
vg_export_dialog_new (GtkWindow   *parent,
                      VgApiClient *client,
                      VgCamera    *camera,
                      const char  *stream,
                      gint64       start,
                      gint64       end)
{
  VgExportDialog *self;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (VG_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (VG_IS_CAMERA (camera), NULL);

  self = g_object_new (VG_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->camera = g_object_ref (camera);
  self->stream = g_strdup (stream);

  self->given_start = start;
  self->given_end = end;
  start_text = vg_timeline_scale_format_local (start, self->tz);
  end_text = vg_timeline_scale_format_local (end, self->tz);
  gtk_editable_set_text (GTK_EDITABLE (self->start_entry), start_text);
  gtk_editable_set_text (GTK_EDITABLE (self->end_entry), end_text);
  /* Translators: the export dialog's title, with the camera's name */
  title = g_strdup_printf (_("Export “%s”"), vg_camera_get_name (camera));
  gtk_window_set_title (GTK_WINDOW (self), title);
  options_changed_cb (self);
  return self;
}

static void
vg_export_dialog_dispose (GObject *object)
{
  VgExportDialog *self = VG_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->job != NULL)
    vg_export_job_cancel (self->job);
  g_clear_object (&self->job);
  g_clear_object (&self->download);
  gtk_widget_dispose_template (GTK_WIDGET (self), VG_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (vg_export_dialog_parent_class)->dispose (object);
}

static void
vg_export_dialog_finalize (GObject *object)
{
  VgExportDialog *self = VG_EXPORT_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->camera);
  g_clear_object (&self->file);
  g_free (self->stream);
  g_free (self->status);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (vg_export_dialog_parent_class)->finalize (object);
}

static void
vg_export_dialog_class_init (VgExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vg_export_dialog_dispose;
  object_class->finalize = vg_export_dialog_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vigie/Vigie/vg-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, range_group);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, start_entry);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, end_entry);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, directory_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, split_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, piece_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, piece_spin);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, zip_row);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, zip_switch);
  gtk_widget_class_bind_template_child (widget_class, VgExportDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, options_changed_cb);

  gtk_widget_class_install_action (widget_class, "export.start", NULL, start_cb);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_cb);
  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
vg_export_dialog_init (VgExportDialog *self)
{
  self->tz = g_time_zone_new_local ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
