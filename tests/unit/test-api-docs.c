/* test-api-docs.c: every route the node serves is documented in docs/api.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-api-routes.h"

#include <string.h>

static void
check_table (const char *doc, const VgApiRoute *routes)
{
  for (; routes->method; routes++)
    {
      g_autofree char *title = g_strdup_printf ("### `%s %s`\n", routes->method, routes->pattern);

      g_test_message ("%s %s", routes->method, routes->pattern);
      if (strstr (doc, title) == NULL)
        g_error ("docs/api.md has no section “%s”", g_strchomp (title));
    }
}

static void
test_every_route_documented (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VIGIE_SOURCE_DIR"), "docs", "api.md", NULL);
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  check_table (doc, vg_api_system_routes);
  check_table (doc, vg_api_session_routes);
  check_table (doc, vg_api_camera_routes);
  check_table (doc, vg_api_user_routes);
  check_table (doc, vg_api_recording_routes);
  check_table (doc, vg_api_storage_routes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/docs/every-route-documented", test_every_route_documented);
  return g_test_run ();
}
