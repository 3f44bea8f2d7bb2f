/* test-node-units.c: the node's pieces that need no database: password hashes,
 * tokens, the configuration file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-node-config.h"
#include "vg-secrets.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

static void
test_password_hash (void)
{
  g_autofree char *hash = vg_password_hash ("correct horse battery staple");
  g_autofree char *again = vg_password_hash ("correct horse battery staple");

  g_assert_true (g_str_has_prefix (hash, "pbkdf2-sha256$100000$"));
  g_assert_cmpstr (hash, !=, again);  /* salted */
  g_assert_true (vg_password_verify ("correct horse battery staple", hash));
  g_assert_false (vg_password_verify ("correct horse battery stapl", hash));
  g_assert_false (vg_password_verify ("", hash));
  g_assert_false (vg_password_verify ("x", "not a hash"));
  g_assert_false (vg_password_verify ("x", "pbkdf2-sha256$1$AA==$AA=="));
  g_assert_false (vg_password_verify ("x", "pbkdf2-sha256$100000$!!$!!"));
}

static void
test_tokens (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 0; i < 1000; i++)
    {
      char *token = vg_token_generate ();

      g_assert_cmpuint (strlen (token), ==, 43);
      g_assert_null (strpbrk (token, "+/="));
      g_assert_true (vg_token_is_well_formed (token));
      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, token);
    }
  g_assert_false (vg_token_is_well_formed ("admin-secret-1"));
  g_assert_false (vg_token_is_well_formed ("0123456789012345678901234567890123456789+/="));
  g_assert_false (vg_token_is_well_formed (NULL));
  {
    g_autofree char *a = vg_token_hash ("abc");
    g_assert_cmpstr (a, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
  {
    g_autofree char *p = vg_password_generate ();
    g_autofree char *d1 = vg_credentials_digest ("a", "b");
    g_autofree char *d2 = vg_credentials_digest ("a", "b");
    g_autofree char *d3 = vg_credentials_digest ("ab", "");
    g_assert_cmpuint (strlen (p), ==, 20);
    g_assert_cmpstr (d1, ==, d2);
    g_assert_cmpstr (d1, !=, d3);
  }
}

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("vigie-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_config_file (void)
{
  g_autoptr(VgNodeConfig) config = vg_node_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_config ("[node]\nname=Site A\n[api]\nport=9443\nsession-lifetime=60\n"
                                        "[database]\nfsync=false\n[security]\nmax-failed-logins=2\n"
                                        "[somewhere]\nunknown=1\n");

  g_test_expect_message ("vigie-node", G_LOG_LEVEL_WARNING, "*unknown setting [somewhere] unknown*");
  g_assert_true (vg_node_config_load_file (config, path, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpstr (config->name, ==, "Site A");
  g_assert_cmpuint (config->api_port, ==, 9443);
  g_assert_cmpint (config->session_lifetime, ==, 60);
  g_assert_false (config->database_fsync);
  g_assert_cmpuint (config->max_failed_logins, ==, 2);
  g_assert_cmpuint (config->rtsp_port, ==, VG_NODE_DEFAULT_RTSP_PORT);
  g_unlink (path);
}

static void
test_config_bad_values (void)
{
  const char *bad[] = {
    "[api]\nport=70000\n",
    "[api]\nport=eighty\n",
    "[api]\nsession-lifetime=0\n",
    "[database]\nfsync=maybe\n",
    "not a key file\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(VgNodeConfig) config = vg_node_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (bad[i]);

      g_assert_false (vg_node_config_load_file (config, path, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      g_unlink (path);
    }
}

static void
test_config_args (void)
{
  g_autofree char *path = write_config ("[api]\nport=9443\n[rtsp]\nport=9554\n");
  char *args[] = { "vigie-node", "--data-dir", "/tmp/x", "--config", path, "--api-port", "0", NULL };
  char **argv = args;
  int argc = G_N_ELEMENTS (args) - 1;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgNodeConfig) config = vg_node_config_new_from_args (&argc, &argv, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (config->data_dir, ==, "/tmp/x");
  g_assert_cmpuint (config->api_port, ==, 0);      /* the command line wins */
  g_assert_cmpuint (config->rtsp_port, ==, 9554);  /* the file fills the rest */
  g_assert_nonnull (config->name);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secrets/password-hash", test_password_hash);
  g_test_add_func ("/secrets/tokens", test_tokens);
  g_test_add_func ("/config/file", test_config_file);
  g_test_add_func ("/config/bad-values", test_config_bad_values);
  g_test_add_func ("/config/arguments", test_config_args);
  return g_test_run ();
}
