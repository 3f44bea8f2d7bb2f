/* test-password-file.c: the credentials file of remembered node tokens (CLI-1): only
 * its user can read it, from its creation on; what is stored is found again; a
 * corrupt file finds nothing and is replaced by the next store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vg-password.h"
#include "vg-password-file.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("vigie-credentials-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", fixture->dir, TRUE);
  fixture->path = vg_password_file_get_default_path ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);

  g_remove (fixture->path);
  g_rmdir (folder);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
test_path (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *expected = g_build_filename (fixture->dir, "vigie", "credentials", NULL);

  g_assert_cmpstr (fixture->path, ==, expected);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  char *token;
  gint64 id = -1;
  mode_t old_mask;

  /* Nothing there yet: no token, no error */
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", &id, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_cmpint (id, ==, 0);

  /* Even with a permissive umask, the file and its folder are the user's alone */
  old_mask = umask (0);
  g_assert_true (vg_password_file_store (fixture->path, "https://10.0.0.2:8443", "wall", "token-a", 12, &error));
  umask (old_mask);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (file_mode (folder), ==, 0700);

  g_assert_true (vg_password_file_store (fixture->path, "https://10.0.0.2:8443", "admin", "token-b", 13, &error));
  g_assert_true (vg_password_file_store (fixture->path, "https://[::1]:8443", "wall", "token-c", 14, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);

  /* Keyed by node and user */
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", &id, &error);
  g_assert_cmpstr (token, ==, "token-a");
  g_assert_cmpint (id, ==, 12);
  vg_password_free (token);
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "admin", &id, &error);
  g_assert_cmpstr (token, ==, "token-b");
  g_assert_cmpint (id, ==, 13);
  vg_password_free (token);
  token = vg_password_file_lookup (fixture->path, "https://[::1]:8443", "wall", &id, &error);
  g_assert_cmpstr (token, ==, "token-c");
  vg_password_free (token);
  g_assert_null (vg_password_file_lookup (fixture->path, "https://10.0.0.3:8443", "wall", &id, &error));
  g_assert_no_error (error);

  /* Replaced, then removed; the others stay */
  g_assert_true (vg_password_file_store (fixture->path, "https://10.0.0.2:8443", "wall", "token-d", 15, &error));
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", &id, &error);
  g_assert_cmpstr (token, ==, "token-d");
  g_assert_cmpint (id, ==, 15);
  vg_password_free (token);
  g_assert_true (vg_password_file_remove (fixture->path, "https://10.0.0.2:8443", "wall", &error));
  g_assert_no_error (error);
  g_assert_null (vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", &id, &error));
  g_assert_cmpint (id, ==, 0);
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "admin", NULL, &error);
  g_assert_cmpstr (token, ==, "token-b");
  vg_password_free (token);
  g_assert_true (vg_password_file_remove (fixture->path, "https://10.0.0.9:8443", "nobody", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  char *token;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (fixture->path, "\x01not [a key file\n=== \xff\xfe", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));

  /* Nothing found, no error: the operator is asked for the password */
  g_test_expect_message ("vigie", G_LOG_LEVEL_WARNING, "*cannot be read*");
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (token);

  /* The next store replaces it with a good file */
  g_test_expect_message ("vigie", G_LOG_LEVEL_WARNING, "*cannot be read*");
  g_assert_true (vg_password_file_store (fixture->path, "https://10.0.0.2:8443", "wall", "token-e", 16, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", NULL, &error);
  g_assert_cmpstr (token, ==, "token-e");
  vg_password_free (token);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);

  /* A file that cannot be read is an error, not an empty store */
  g_assert_cmpint (g_chmod (fixture->path, 0), ==, 0);
  if (access (fixture->path, R_OK) != 0)   /* not as root */
    {
      token = vg_password_file_lookup (fixture->path, "https://10.0.0.2:8443", "wall", NULL, &error);
      g_assert_null (token);
      g_assert_nonnull (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/password-file/path", Fixture, NULL, fixture_set_up, test_path, fixture_tear_down);
  g_test_add ("/password-file/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/password-file/corrupt", Fixture, NULL, fixture_set_up, test_corrupt, fixture_tear_down);

  return g_test_run ();
}
