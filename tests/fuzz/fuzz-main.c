/* fuzz-main.c: runs a fuzzer's LLVMFuzzerTestOneInput on files, without libFuzzer
 *
 * Usage: fuzz-xxx [FILE|DIRECTORY]...: every regular file of each directory (not
 * recursive) is run once, so the seed corpus and the crashers kept in it run as a
 * regression test under any compiler and sanitizer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
run_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  /* A copy of the exact size, so that the sanitizers see reads past the end. */
  {
    guint8 *copy = g_memdup2 (contents, len);
    LLVMFuzzerTestOneInput (copy, len);
    g_free (copy);
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint runs = 0;
  gboolean ok = TRUE;

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, compare_names);
          for (guint j = 0; j < names->len; j++)
            if (g_file_test (names->pdata[j], G_FILE_TEST_IS_REGULAR))
              {
                ok &= run_file (names->pdata[j]);
                runs++;
              }
        }
      else
        {
          ok &= run_file (argv[i]);
          runs++;
        }
    }
  printf ("%u inputs run\n", runs);
  return ok && runs > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
