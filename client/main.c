/* main.c: vigie, the operator client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "vg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VgApplication) application = NULL;

  /* Before the options are parsed, so that --help is translated. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = vg_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
