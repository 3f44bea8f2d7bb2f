/* vg-certificate-dialog.c: the operator decides on a node's certificate (CLI-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-certificate-dialog.h"
#include "vg-node-row.h"

#define DIALOG_KEY "vg-certificate-dialog"
#define FINGERPRINT_KEY "vg-certificate-dialog-fingerprint"

char *
vg_certificate_dialog_format_fingerprint (const char *fingerprint)
{
  GString *text = g_string_new (NULL);
  guint n = 0;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  for (const char *p = fingerprint; p[0] != '\0' && p[1] != '\0'; p += 2, n++)
    {
      if (n > 0)
        g_string_append_c (text, n % 8 == 0 ? '\n' : ':');
      g_string_append_c (text, g_ascii_toupper (p[0]));
      g_string_append_c (text, g_ascii_toupper (p[1]));
    }
  return g_string_free (text, FALSE);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             VgConnection     *connection)
{
  const char *fingerprint = g_object_get_data (G_OBJECT (dialog), FINGERPRINT_KEY);

  g_object_set_data (G_OBJECT (connection), DIALOG_KEY, NULL);
  if (g_str_equal (response, "accept") && fingerprint != NULL &&
      g_strcmp0 (vg_connection_get_untrusted_fingerprint (connection), fingerprint) == 0)
    vg_connection_accept_fingerprint (connection, fingerprint);
}

static void
destroy_cb (AdwMessageDialog *dialog,
            VgConnection     *connection)
{
  if (g_object_get_data (G_OBJECT (connection), DIALOG_KEY) == dialog)
    g_object_set_data (G_OBJECT (connection), DIALOG_KEY, NULL);
}

static char *
markup_fingerprint (const char *fingerprint)
{
  g_autofree char *formatted = vg_certificate_dialog_format_fingerprint (fingerprint);

  return g_markup_printf_escaped ("<tt>%s</tt>", formatted);
}

/**
 * vg_certificate_dialog_present:
 *
 * Returns: (transfer none): the dialog
 */
AdwMessageDialog *
vg_certificate_dialog_present (GtkWindow    *parent,
                               VgConnection *connection)
{
  const char *untrusted;
  const char *trusted;
  g_autofree char *address = NULL;
  g_autofree char *new_markup = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VG_IS_CONNECTION (connection), NULL);

  untrusted = vg_connection_get_untrusted_fingerprint (connection);
  g_return_val_if_fail (untrusted != NULL, NULL);

  dialog = g_object_get_data (G_OBJECT (connection), DIALOG_KEY);
  if (dialog != NULL &&
      g_strcmp0 (g_object_get_data (G_OBJECT (dialog), FINGERPRINT_KEY), untrusted) == 0)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return dialog;
    }
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  trusted = vg_connection_get_tls_fingerprint (connection);
  address = vg_node_row_format_address (vg_connection_get_base_url (connection));
  new_markup = markup_fingerprint (untrusted);

  if (trusted == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (address, -1);

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Trust This Node?"), NULL));
      /* Translators: %s is a node's address, then its certificate's fingerprint */
      body = g_strdup_printf (_("The node %s shows a certificate with the SHA-256 fingerprint\n\n%s\n\n"
                                "Compare it with the fingerprint the node's administrator gives "
                                "before connecting."), escaped, new_markup);
      adw_message_dialog_add_responses (dialog, "cancel", _("_Do Not Connect"),
                                        "accept", _("_Trust and Connect"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "accept", ADW_RESPONSE_SUGGESTED);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (address, -1);
      g_autofree char *old_markup = markup_fingerprint (trusted);

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("The Node’s Certificate Has Changed"),
                                                           NULL));
      /* Translators: %s are a node's address, the accepted fingerprint, the new one */
      body = g_strdup_printf (_("The node %s no longer shows the certificate accepted before. "
                                "The client stays disconnected from it.\n\n"
                                "Accepted before:\n%s\n\nShown now:\n%s\n\n"
                                "A node reinstalled or given a new certificate does this; so "
                                "does someone intercepting the connection. Accept the new "
                                "certificate only if the node's administrator confirms its "
                                "fingerprint."), escaped, old_markup, new_markup);
      adw_message_dialog_add_responses (dialog, "cancel", _("_Stay Disconnected"),
                                        "accept", _("_Accept the New Certificate"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "accept", ADW_RESPONSE_DESTRUCTIVE);
    }

  adw_message_dialog_set_body_use_markup (dialog, TRUE);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), FINGERPRINT_KEY, g_strdup (untrusted), g_free);
  g_object_set_data (G_OBJECT (connection), DIALOG_KEY, dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), connection, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (destroy_cb), connection, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
