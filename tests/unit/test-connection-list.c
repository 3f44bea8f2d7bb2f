/* test-connection-list.c: the client's list of nodes kept in the settings (CLI-1): the
 * older last connection migrated, nodes added once, removed with their accepted
 * certificate, certificates pinned from the settings; node addresses as typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-connection-list.h"
#include "vg-node-dialog.h"

#define FINGERPRINT_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new ("org.vigie.Vigie");

  g_settings_reset (settings, "nodes");
  g_settings_reset (settings, "node-fingerprints");
  g_settings_reset (settings, "last-connection");
  return settings;
}

static void
assert_nodes (GSettings  *settings,
              const char *const *expected)
{
  g_auto(GStrv) nodes = g_settings_get_strv (settings, "nodes");

  g_assert_cmpstrv (nodes, expected);
}

static void
test_migrate_last_connection (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(VgConnectionList) list = NULL;
  g_autoptr(VgConnection) connection = NULL;
  const char *expected[] = { "https://op@10.0.0.2:8443", NULL };

  g_settings_set_string (settings, "last-connection", "https://op@10.0.0.2:8443");
  list = vg_connection_list_new (settings);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  connection = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (vg_connection_get_base_url (connection), ==, "https://10.0.0.2:8443");
  g_assert_cmpstr (vg_connection_get_user (connection), ==, "op");
  assert_nodes (settings, expected);

  /* Once in the list, the last connection adds nothing more */
  g_clear_object (&list);
  g_settings_set_string (settings, "last-connection", "https://other@10.0.0.3:8443");
  list = vg_connection_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
}

static void
test_add_remove (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(VgConnectionList) list = NULL;
  g_autoptr(GVariant) fingerprints = NULL;
  VgConnection *a;
  VgConnection *b;
  Change change = { 0 };
  const char *both[] = { "https://op@10.0.0.2:8443", "https://admin@[::1]:9000", NULL };
  const char *one[] = { "https://admin@[::1]:9000", NULL };
  g_autofree char *stored = NULL;

  /* A certificate accepted before: pinned from the start */
  g_settings_set_value (settings, "node-fingerprints",
                        g_variant_new_parsed ("{'https://10.0.0.2:8443': %s}", FINGERPRINT_A));
  list = vg_connection_list_new (settings);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &change);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  a = vg_connection_list_add (list, "https://10.0.0.2:8443", "op");
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_cmpstr (vg_connection_get_tls_fingerprint (a), ==, FINGERPRINT_A);
  b = vg_connection_list_add (list, "https://[::1]:9000", "admin");
  g_assert_null (vg_connection_get_tls_fingerprint (b));
  g_assert_true (vg_connection_list_add (list, "https://10.0.0.2:8443", "op") == a);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_true (vg_connection_list_lookup (list, "https://[::1]:9000", "admin") == b);
  g_assert_null (vg_connection_list_lookup (list, "https://[::1]:9000", "op"));
  assert_nodes (settings, both);

  /* A new list reads them back, in order */
  {
    g_autoptr(VgConnectionList) again = vg_connection_list_new (settings);
    g_autoptr(VgConnection) first = g_list_model_get_item (G_LIST_MODEL (again), 0);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
    g_assert_cmpstr (vg_connection_get_user (first), ==, "op");
  }

  /* Removed: out of the list, its certificate forgotten */
  vg_connection_list_remove (list, a);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  assert_nodes (settings, one);
  fingerprints = g_settings_get_value (settings, "node-fingerprints");
  g_assert_false (g_variant_lookup (fingerprints, "https://10.0.0.2:8443", "s", &stored));
}

static void
test_parse_address (void)
{
  const struct {
    const char *address;
    const char *base_url;   /* NULL: refused */
  } cases[] = {
    { "10.0.0.2", "https://10.0.0.2:8443" },
    { " 10.0.0.2:9443 ", "https://10.0.0.2:9443" },
    { "https://node.example:8444", "https://node.example:8444" },
    { "https://node.example:8444/", "https://node.example:8444" },
    { "[::1]:9000", "https://[::1]:9000" },
    { "", NULL },
    { "op@10.0.0.2", NULL },
    { "10.0.0.2/api", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *base_url = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = vg_node_dialog_parse_address (cases[i].address, "op", &base_url, &error);

      g_test_message ("“%s” → %s", cases[i].address, ok ? base_url : error->message);
      if (cases[i].base_url == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (base_url, ==, cases[i].base_url);
        }
    }

  /* A user with what an address uses to separate is refused */
  {
    g_autofree char *base_url = NULL;

    g_assert_false (vg_node_dialog_parse_address ("10.0.0.2", "op@x", &base_url, NULL));
    g_assert_false (vg_node_dialog_parse_address ("10.0.0.2", "", &base_url, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection-list/migrate-last-connection", test_migrate_last_connection);
  g_test_add_func ("/connection-list/add-remove", test_add_remove);
  g_test_add_func ("/connection-list/parse-address", test_parse_address);

  return g_test_run ();
}
