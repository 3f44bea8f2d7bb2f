/* vg-pg-cluster.c: the node's private PostgreSQL cluster (initdb + pg_ctl)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-pg-cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#define PG_PORT            5432
#define PG_SOCKET_NAME     ".s.PGSQL.5432"
#define PG_SUPERUSER       "vigie"
#define PG_DATABASE        "vigie"
#define PG_SYSTEM_USER     "postgres"     /* owns the cluster when the node runs as root */
#define PG_DEFAULT_PREFIX  "/usr/lib/postgresql"
#define START_TIMEOUT_S    60
#define STOP_TIMEOUT_S     30
#define LOG_TAIL_LINES     20
#define LOG_TAIL_BYTES     8192

G_DEFINE_QUARK (vg-pg-cluster-error-quark, vg_pg_cluster_error)

struct _VgPgCluster
{
  GObject parent_instance;

  char *data_dir;      /* absolute */
  char *bin_dir;       /* NULL: look for it */
  gboolean fsync;
  gboolean created;
  gint busy;           /* atomic: a start runs in a thread */
};

G_DEFINE_FINAL_TYPE (VgPgCluster, vg_pg_cluster, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* PgJob: what one start or stop needs, copied from the object so the worker thread
 * never reads the object. */

typedef struct
{
  char *data_dir;
  char *db_dir;         /* DATA_DIR/db: PGDATA */
  char *init_dir;       /* DATA_DIR/db.initdb: initdb works here, renamed to db at the end */
  char *run_dir;        /* DATA_DIR/run: the socket */
  char *log_dir;
  char *log_file;
  char *pid_file;       /* DATA_DIR/db/postmaster.pid */
  char *socket_path;
  char *requested_bin_dir;
  gboolean fsync;

  /* filled by job_prepare () and job_resolve_db () */
  char *bin_dir;
  char *runuser;        /* non-NULL: run the commands as the owner through runuser */
  char *owner;          /* name of the cluster's system user */
  uid_t uid;
  gid_t gid;
  char *db_real;        /* realpath of db_dir once it exists (matches /proc/PID/cwd) */

  gboolean created;     /* result: initdb ran */
} PgJob;

static void
pg_job_free (PgJob *job)
{
  g_free (job->data_dir);
  g_free (job->db_dir);
  g_free (job->init_dir);
  g_free (job->run_dir);
  g_free (job->log_dir);
  g_free (job->log_file);
  g_free (job->pid_file);
  g_free (job->socket_path);
  g_free (job->requested_bin_dir);
  g_free (job->bin_dir);
  g_free (job->runuser);
  g_free (job->owner);
  g_free (job->db_real);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgJob, pg_job_free)

static PgJob *
pg_job_new (VgPgCluster *self)
{
  PgJob *job = g_new0 (PgJob, 1);

  job->data_dir = g_strdup (self->data_dir);
  job->db_dir = g_build_filename (self->data_dir, "db", NULL);
  job->init_dir = g_build_filename (self->data_dir, "db.initdb", NULL);
  job->run_dir = g_build_filename (self->data_dir, "run", NULL);
  job->log_dir = g_build_filename (self->data_dir, "log", NULL);
  job->log_file = g_build_filename (job->log_dir, "postgresql.log", NULL);
  job->pid_file = g_build_filename (job->db_dir, "postmaster.pid", NULL);
  job->socket_path = g_build_filename (job->run_dir, PG_SOCKET_NAME, NULL);
  job->requested_bin_dir = g_strdup (self->bin_dir);
  job->fsync = self->fsync;

  return job;
}

/* ------------------------------------------------------------------------------------ */
/* Small helpers */

/* libpq conninfo value: quoted when it holds a space, a quote or a backslash. */
static void
append_conninfo_value (GString *out, const char *value)
{
  if (*value != '\0' && strpbrk (value, " \t\n\r\f\v'\\") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static char *
build_conninfo (const char *run_dir, const char *dbname)
{
  GString *out = g_string_new ("host=");

  append_conninfo_value (out, run_dir);
  g_string_append_printf (out, " port=%d dbname=%s user=%s", PG_PORT, dbname, PG_SUPERUSER);

  return g_string_free (out, FALSE);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_access (path, X_OK) == 0;
}

static gboolean
bin_dir_is_usable (const char *dir)
{
  g_autofree char *pg_ctl = g_build_filename (dir, "pg_ctl", NULL);
  g_autofree char *initdb = g_build_filename (dir, "initdb", NULL);

  return is_executable (pg_ctl) && is_executable (initdb);
}

static int
rm_rf_cb (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  if (remove (path) != 0 && errno != ENOENT)
    return errno;
  return 0;
}

static gboolean
rm_rf (const char *path, GError **error)
{
  int ret = nftw (path, rm_rf_cb, 16, FTW_DEPTH | FTW_PHYS);

  if (ret != 0 && !(ret == -1 && errno == ENOENT))
    {
      int saved = ret > 0 ? ret : errno;

      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_FAILED,
                   "Could not remove %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_error_from_errno (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_FAILED,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
fsync_directory (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return set_error_from_errno (error, errno, "Could not open", path);
  if (fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      return set_error_from_errno (error, saved, "Could not sync", path);
    }
  close (fd);
  return TRUE;
}

/* The first line of postmaster.pid, 0 when there is none. */
static pid_t
read_postmaster_pid (const char *pid_file)
{
  g_autofree char *contents = NULL;
  gint64 pid;

  if (!g_file_get_contents (pid_file, &contents, NULL, NULL))
    return 0;
  pid = g_ascii_strtoll (contents, NULL, 10);
  return pid > 0 && pid <= G_MAXINT ? (pid_t) pid : 0;
}

static gboolean
have_proc (void)
{
  return g_file_test ("/proc/self/cwd", G_FILE_TEST_EXISTS);
}

/* Whether @pid is a postgres process of the cluster in @db_real: a postgres binary whose
 * working directory is the data directory (the postmaster and all its children chdir
 * there). Tells a live server from a PID reused after a crash or a reboot. */
static gboolean
is_cluster_process (pid_t pid, const char *db_real)
{
  char path[64];
  g_autofree char *cwd = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *exe_name = NULL;

  g_snprintf (path, sizeof path, "/proc/%d/cwd", (int) pid);
  cwd = g_file_read_link (path, NULL);
  if (cwd == NULL || g_strcmp0 (cwd, db_real) != 0)
    return FALSE;

  g_snprintf (path, sizeof path, "/proc/%d/exe", (int) pid);
  exe = g_file_read_link (path, NULL);
  if (exe == NULL)
    return FALSE;
  exe_name = g_path_get_basename (exe);     /* "postgres", or "postgres (deleted)" after an upgrade */
  return g_str_has_prefix (exe_name, "postgres");
}

/* Processes of the cluster still alive, e.g. backends of a postmaster killed with -9;
 * they hold the shared memory a new postmaster refuses to share. */
static GArray *
list_cluster_processes (const char *db_real)
{
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (dir == NULL)
    return g_steal_pointer (&pids);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      if (is_cluster_process ((pid_t) pid, db_real))
        {
          pid_t p = (pid_t) pid;
          g_array_append_val (pids, p);
        }
    }
  return g_steal_pointer (&pids);
}

/* The end of what the server wrote to its log since @offset. */
static char *
read_log_tail (const char *log_file, goffset offset)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_auto(GStrv) lines = NULL;
  guint n, first;
  const char *start;
  g_autofree char *valid = NULL;

  if (!g_file_get_contents (log_file, &contents, &length, NULL))
    return g_strdup ("");
  if ((gsize) offset > length)
    offset = 0;                                 /* the log was truncated meanwhile */
  start = contents + offset;
  if (contents + length - start > LOG_TAIL_BYTES)
    start = contents + length - LOG_TAIL_BYTES;
  valid = g_utf8_make_valid (start, contents + length - start);

  lines = g_strsplit (g_strchomp (valid), "\n", -1);
  n = g_strv_length (lines);
  first = n > LOG_TAIL_LINES ? n - LOG_TAIL_LINES : 0;
  return g_strjoinv ("\n", lines + first);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : 0;
}

/* ------------------------------------------------------------------------------------ */
/* Preparing: binaries, owner, directories */

/* A path goes into pg_ctl's shell command line (inside double quotes), into -o (inside
 * single quotes) and into libpq's host= (a comma-separated list, with no escape for a
 * comma): refuse what those cannot carry. */
static gboolean
check_data_dir_path (PgJob *job, GError **error)
{
  const size_t max = sizeof (((struct sockaddr_un *) NULL)->sun_path);

  for (const char *p = job->data_dir; *p != '\0'; p++)
    {
      if (strchr ("'\"\\$`,", *p) != NULL || g_ascii_iscntrl (*p))
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                       "The data directory %s contains a character PostgreSQL's commands "
                       "cannot quote (one of ' \" \\ $ ` , or a control character); "
                       "choose another --data-dir", job->data_dir);
          return FALSE;
        }
    }

  if (strlen (job->socket_path) >= max)
    {
      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                   "The data directory %s is too long: the PostgreSQL socket %s would be "
                   "%zu bytes, and Unix sockets allow at most %zu; choose a shorter --data-dir",
                   job->data_dir, job->socket_path, strlen (job->socket_path), max - 1);
      return FALSE;
    }

  return TRUE;
}

/* getpwnam_r/getpwuid_r: this runs in a worker thread. @name NULL looks up @uid. */
static gboolean
lookup_user (const char *name, uid_t uid, uid_t *uid_out, gid_t *gid_out, char **name_out)
{
  struct passwd pw, *found = NULL;
  long size = sysconf (_SC_GETPW_R_SIZE_MAX);
  g_autofree char *buffer = NULL;

  if (size <= 0)
    size = 16384;
  buffer = g_malloc (size);
  if (name != NULL)
    getpwnam_r (name, &pw, buffer, size, &found);
  else
    getpwuid_r (uid, &pw, buffer, size, &found);
  if (found == NULL)
    return FALSE;

  if (uid_out != NULL)
    *uid_out = pw.pw_uid;
  if (gid_out != NULL)
    *gid_out = pw.pw_gid;
  if (name_out != NULL)
    *name_out = g_strdup (pw.pw_name);
  return TRUE;
}

static gboolean
resolve_owner (PgJob *job, GError **error)
{
  if (geteuid () == 0)
    {
      if (!lookup_user (PG_SYSTEM_USER, 0, &job->uid, &job->gid, &job->owner))
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES,
                       "Running as root, but there is no \"%s\" system user to own the "
                       "PostgreSQL cluster (initdb refuses to run as root); install "
                       "PostgreSQL's server package or run the node as another user",
                       PG_SYSTEM_USER);
          return FALSE;
        }

      job->runuser = g_find_program_in_path ("runuser");
      for (guint i = 0; job->runuser == NULL && i < 2; i++)
        {
          const char *candidates[] = { "/usr/sbin/runuser", "/sbin/runuser" };

          if (is_executable (candidates[i]))
            job->runuser = g_strdup (candidates[i]);
        }
      if (job->runuser == NULL)
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES,
                       "Running as root, but runuser (util-linux) was not found to run "
                       "PostgreSQL as the \"%s\" user", PG_SYSTEM_USER);
          return FALSE;
        }
    }
  else
    {
      job->uid = geteuid ();
      job->gid = getegid ();
      if (!lookup_user (NULL, job->uid, NULL, NULL, &job->owner))
        job->owner = g_strdup_printf ("%u", (guint) job->uid);
    }

  return TRUE;
}

/* The newest PG_DEFAULT_PREFIX/N/bin, preferring the version of an existing cluster:
 * installing a newer major beside it must not break it. */
static char *
find_bin_dir (const char *db_dir)
{
  g_autofree char *version_file = g_build_filename (db_dir, "PG_VERSION", NULL);
  g_autofree char *version = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *best = NULL;
  g_autofree char *pg_ctl = NULL;
  double best_version = -1.0;
  const char *name;

  if (g_file_get_contents (version_file, &version, NULL, NULL))
    {
      g_autofree char *candidate = g_build_filename (PG_DEFAULT_PREFIX, g_strstrip (version),
                                                     "bin", NULL);

      if (bin_dir_is_usable (candidate))
        return g_steal_pointer (&candidate);
    }

  dir = g_dir_open (PG_DEFAULT_PREFIX, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *end = NULL;
      double v = g_ascii_strtod (name, &end);
      g_autofree char *candidate = NULL;

      if (end == name || *end != '\0' || v <= best_version)
        continue;
      candidate = g_build_filename (PG_DEFAULT_PREFIX, name, "bin", NULL);
      if (!bin_dir_is_usable (candidate))
        continue;
      best_version = v;
      g_free (best);
      best = g_steal_pointer (&candidate);
    }
  if (best != NULL)
    return g_steal_pointer (&best);

  pg_ctl = g_find_program_in_path ("pg_ctl");
  if (pg_ctl != NULL)
    {
      g_autofree char *candidate = g_path_get_dirname (pg_ctl);

      if (bin_dir_is_usable (candidate))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static gboolean
resolve_bin_dir (PgJob *job, GError **error)
{
  if (job->requested_bin_dir != NULL)
    {
      if (!bin_dir_is_usable (job->requested_bin_dir))
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES,
                       "No executable initdb and pg_ctl in %s", job->requested_bin_dir);
          return FALSE;
        }
      job->bin_dir = g_strdup (job->requested_bin_dir);
      return TRUE;
    }

  job->bin_dir = find_bin_dir (job->db_dir);
  if (job->bin_dir == NULL)
    {
      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_NO_BINARIES,
                   "PostgreSQL server binaries not found: no %s/N/bin/pg_ctl and no "
                   "pg_ctl on PATH (install postgresql, or set the binaries directory)",
                   PG_DEFAULT_PREFIX);
      return FALSE;
    }
  return TRUE;
}

/* No directory written: used by stop too. */
static gboolean
job_prepare (PgJob *job, GError **error)
{
  return check_data_dir_path (job, error) &&
         resolve_owner (job, error) &&
         resolve_bin_dir (job, error);
}

static gboolean
user_in_group (PgJob *job, gid_t gid)
{
  int ngroups = 64;
  g_autofree gid_t *groups = NULL;

  if (gid == job->gid)
    return TRUE;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      int n = ngroups;

      g_free (groups);
      groups = g_new (gid_t, n);
      if (getgrouplist (job->owner, job->gid, groups, &ngroups) >= 0)
        {
          for (int i = 0; i < ngroups; i++)
            if (groups[i] == gid)
              return TRUE;
          return FALSE;
        }
    }
  return FALSE;
}

static gboolean
owner_can_traverse (PgJob *job, const GStatBuf *st)
{
  if (st->st_uid == job->uid)
    return (st->st_mode & S_IXUSR) != 0;
  if (user_in_group (job, st->st_gid))
    return (st->st_mode & S_IXGRP) != 0;
  return (st->st_mode & S_IXOTH) != 0;
}

/* Root only: the postgres user must reach DATA_DIR through all its parents. */
static gboolean
check_parents_traversable (PgJob *job, GError **error)
{
  g_autofree char *real = realpath (job->data_dir, NULL);
  g_autofree char *dir = NULL;

  if (real == NULL)
    return set_error_from_errno (error, errno, "Could not resolve", job->data_dir);

  dir = g_path_get_dirname (real);
  for (;;)
    {
      GStatBuf st;
      g_autofree char *parent = NULL;

      if (g_stat (dir, &st) != 0)
        return set_error_from_errno (error, errno, "Could not stat", dir);
      if (!owner_can_traverse (job, &st))
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                       "PostgreSQL runs as the \"%s\" user, which cannot reach the data "
                       "directory %s: %s (mode %04o) is not traversable by it. Choose a "
                       "--data-dir outside it (e.g. under /var/lib), or allow it with "
                       "chmod o+x %s",
                       job->owner, job->data_dir, dir, (guint) (st.st_mode & 07777), dir);
          return FALSE;
        }

      parent = g_path_get_dirname (dir);
      if (g_strcmp0 (parent, dir) == 0)
        break;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
  return TRUE;
}

/* mkdir -m 0700 @path (if needed), owned by the cluster owner. */
static gboolean
make_owned_dir (PgJob *job, const char *path, GError **error)
{
  GStatBuf st;

  if (g_mkdir (path, 0700) != 0 && errno != EEXIST)
    return set_error_from_errno (error, errno, "Could not create", path);
  if (g_stat (path, &st) != 0)
    return set_error_from_errno (error, errno, "Could not stat", path);
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                   "%s exists and is not a directory", path);
      return FALSE;
    }
  if (job->runuser != NULL && (st.st_uid != job->uid || st.st_gid != job->gid) &&
      chown (path, job->uid, job->gid) != 0)
    return set_error_from_errno (error, errno, "Could not change the owner of", path);
  if ((st.st_mode & 07777) != 0700 && g_chmod (path, 0700) != 0)
    return set_error_from_errno (error, errno, "Could not change the mode of", path);
  return TRUE;
}

static gboolean
prepare_dirs (PgJob *job, GError **error)
{
  GStatBuf st;

  if (g_mkdir_with_parents (job->data_dir, job->runuser != NULL ? 0711 : 0700) != 0)
    return set_error_from_errno (error, errno, "Could not create", job->data_dir);

  if (job->runuser != NULL)
    {
      if (g_stat (job->data_dir, &st) != 0)
        return set_error_from_errno (error, errno, "Could not stat", job->data_dir);
      if ((st.st_mode & 0711) != 0711)
        {
          g_debug ("chmod %04o %s", (guint) ((st.st_mode | 0711) & 07777), job->data_dir);
          if (g_chmod (job->data_dir, (st.st_mode | 0711) & 07777) != 0)
            return set_error_from_errno (error, errno, "Could not change the mode of",
                                         job->data_dir);
        }
      if (!check_parents_traversable (job, error))
        return FALSE;
    }

  if (!make_owned_dir (job, job->run_dir, error) ||
      !make_owned_dir (job, job->log_dir, error))
    return FALSE;

  /* the log is appended by a shell running as the owner */
  if (job->runuser != NULL && g_stat (job->log_file, &st) == 0 && st.st_uid != job->uid &&
      chown (job->log_file, job->uid, job->gid) != 0)
    return set_error_from_errno (error, errno, "Could not change the owner of", job->log_file);

  if (g_stat (job->db_dir, &st) == 0)
    {
      g_autofree char *version_file = g_build_filename (job->db_dir, "PG_VERSION", NULL);

      if (!S_ISDIR (st.st_mode))
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                       "%s exists and is not a directory", job->db_dir);
          return FALSE;
        }
      /* an empty or foreign db/ without PG_VERSION is init_cluster ()'s business */
      if (st.st_uid != job->uid && g_file_test (version_file, G_FILE_TEST_EXISTS))
        {
          g_autofree char *owner = NULL;

          if (!lookup_user (NULL, st.st_uid, NULL, NULL, &owner))
            owner = g_strdup_printf ("uid %u", (guint) st.st_uid);
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                       "The PostgreSQL cluster %s belongs to %s, but runs as %s here; "
                       "chown -R it or use another --data-dir", job->db_dir, owner,
                       job->owner);
          return FALSE;
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Commands */

/* Runs BIN_DIR/@program @args… as the cluster owner; FALSE only when it could not run.
 * @status is the exit status (-1 when killed by a signal), @output stdout+stderr. */
static gboolean
job_run (PgJob *job, const char *program, const char * const *args,
         int *status, char **output, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char * const scrubbed[] = { "PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER",
                                    "PGDATABASE", "PGOPTIONS", "PGSERVICE", NULL };
  g_autofree char *command = NULL;
  gconstpointer data;
  gsize size;

  if (job->runuser != NULL)
    {
      g_ptr_array_add (argv, g_strdup (job->runuser));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (job->owner));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (job->bin_dir, program, NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  command = g_strjoinv (" ", (char **) argv->pdata);
  g_debug ("running %s", command);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* the owner can enter DATA_DIR, maybe not the caller's working directory */
  g_subprocess_launcher_set_cwd (launcher, job->data_dir);
  for (guint i = 0; scrubbed[i] != NULL; i++)
    g_subprocess_launcher_unsetenv (launcher, scrubbed[i]);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate (process, NULL, NULL, &out, NULL, error))
    return FALSE;

  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  data = g_bytes_get_data (out, &size);
  *output = g_strchomp (g_utf8_make_valid (data != NULL ? data : "", size));
  g_debug ("%s: exit %d", program, *status);
  return TRUE;
}

/* Whether a server of this cluster is running; @pid its postmaster. A postmaster.pid
 * naming a dead process, or a live one that is not our server, is stale. */
static gboolean
probe_server (PgJob *job, pid_t *pid, GError **error)
{
  const char * const args[] = { "status", "-D", job->db_dir, NULL };
  g_autofree char *output = NULL;
  int status;

  *pid = 0;
  if (!job_run (job, "pg_ctl", args, &status, &output, error))
    return FALSE;

  if (status == 3)
    return TRUE;                               /* not running */
  if (status != 0)
    {
      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_FAILED,
                   "pg_ctl status -D %s failed (exit %d): %s", job->db_dir, status, output);
      return FALSE;
    }

  *pid = read_postmaster_pid (job->pid_file);
  if (*pid != 0 && have_proc () && job->db_real != NULL &&
      !is_cluster_process (*pid, job->db_real))
    {
      g_message ("%s names PID %d, which is no server of this cluster any more (dead, "
                 "or its PID reused)", job->pid_file, (int) *pid);
      *pid = 0;
    }
  return TRUE;
}

typedef enum {
  WAIT_READY,
  WAIT_GONE,
  WAIT_FAILED,
} WaitResult;

/* An adopted server may still be starting or recovering: wait until it accepts
 * connections on our socket. */
static WaitResult
wait_ready (PgJob *job, pid_t pid, GCancellable *cancellable, GError **error)
{
  g_autofree char *conninfo = build_conninfo (job->run_dir, "postgres");
  g_autofree char *ping_info = g_strconcat (conninfo, " connect_timeout=5", NULL);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;

  for (;;)
    {
      PGPing ping = PQping (ping_info);

      if (ping == PQPING_OK)
        return WAIT_READY;
      if (ping == PQPING_NO_ATTEMPT)
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_START,
                       "Invalid connection parameters for %s", job->run_dir);
          return WAIT_FAILED;
        }
      if (have_proc () ? !is_cluster_process (pid, job->db_real) : kill (pid, 0) != 0)
        return WAIT_GONE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return WAIT_FAILED;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_START,
                       "The PostgreSQL server already running in %s (PID %d) did not "
                       "accept connections on %s within %d s; see %s",
                       job->db_dir, (int) pid, job->socket_path, START_TIMEOUT_S,
                       job->log_file);
          return WAIT_FAILED;
        }
      g_usleep (100 * 1000);
    }
}

static gboolean
remove_stale_file (const char *path, GError **error)
{
  if (g_unlink (path) == 0)
    {
      g_message ("Removed the stale %s", path);
      return TRUE;
    }
  if (errno == ENOENT)
    return TRUE;
  return set_error_from_errno (error, errno, "Could not remove the stale", path);
}

static void
wait_processes_gone (PgJob *job, GArray **pids, guint timeout_ms)
{
  for (guint waited = 0; (*pids)->len > 0 && waited < timeout_ms; waited += 50)
    {
      g_usleep (50 * 1000);
      g_array_unref (*pids);
      *pids = list_cluster_processes (job->db_real);
    }
}

/* What a server that died without a clean shutdown (kill -9, power cut) leaves behind. */
static gboolean
clear_stale (PgJob *job, GError **error)
{
  if (g_file_test (job->pid_file, G_FILE_TEST_EXISTS))
    {
      if (have_proc ())
        {
          /* backends outlive a killed postmaster for a moment and keep its shared
           * memory, which a new postmaster refuses to share */
          g_autoptr(GArray) pids = list_cluster_processes (job->db_real);
          const int signals[] = { SIGQUIT, SIGKILL };

          wait_processes_gone (job, &pids, 5000);
          for (guint s = 0; s < G_N_ELEMENTS (signals) && pids->len > 0; s++)
            {
              for (guint i = 0; i < pids->len; i++)
                {
                  pid_t pid = g_array_index (pids, pid_t, i);

                  g_message ("Sending signal %d to PID %d, left over from a crashed "
                             "PostgreSQL server", signals[s], (int) pid);
                  kill (pid, signals[s]);
                }
              wait_processes_gone (job, &pids, 5000);
            }
          if (pids->len > 0)
            {
              g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_START,
                           "Processes of a crashed PostgreSQL server (PID %d…) still run "
                           "in %s", (int) g_array_index (pids, pid_t, 0), job->db_dir);
              return FALSE;
            }
        }
      if (!remove_stale_file (job->pid_file, error))
        return FALSE;
    }

  {
    g_autofree char *lock = g_strconcat (job->socket_path, ".lock", NULL);

    if (!remove_stale_file (lock, error) ||
        !remove_stale_file (job->socket_path, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
append_to_file (const char *path, const char *text, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);

  return stream != NULL &&
         g_output_stream_write_all (G_OUTPUT_STREAM (stream), text, strlen (text), NULL,
                                    NULL, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static const char *
pick_locale (void)
{
  locale_t loc = newlocale (LC_ALL_MASK, "C.UTF-8", (locale_t) 0);

  if (loc == (locale_t) 0)
    return "C";
  freelocale (loc);
  return "C.UTF-8";
}

/* initdb into DATA_DIR/db.initdb, renamed to DATA_DIR/db once complete: a crash during
 * initdb never leaves a half-made cluster where a real one is expected. */
static gboolean
init_cluster (PgJob *job, GError **error)
{
  g_autofree char *conf = g_build_filename (job->init_dir, "postgresql.conf", NULL);
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GDir) dir = NULL;
  const char *locale = pick_locale ();
  g_autofree char *locale_arg = g_strconcat ("--locale=", locale, NULL);
  gint64 t0 = g_get_monotonic_time ();
  int status;

  dir = g_dir_open (job->db_dir, 0, NULL);
  if (dir != NULL)
    {
      if (g_dir_read_name (dir) != NULL)
        {
          g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATA_DIR,
                       "%s holds files but no PostgreSQL cluster (no PG_VERSION); move "
                       "them away", job->db_dir);
          return FALSE;
        }
      if (g_rmdir (job->db_dir) != 0)
        return set_error_from_errno (error, errno, "Could not remove", job->db_dir);
    }

  if (g_file_test (job->init_dir, G_FILE_TEST_EXISTS))
    {
      g_message ("Removing %s, left by an interrupted initdb", job->init_dir);
      if (!rm_rf (job->init_dir, error))
        return FALSE;
    }

  if (!make_owned_dir (job, job->init_dir, error))
    return FALSE;

  g_message ("Creating a PostgreSQL cluster in %s", job->db_dir);
  g_ptr_array_add (args, (gpointer) "-D");
  g_ptr_array_add (args, job->init_dir);
  g_ptr_array_add (args, (gpointer) "-U");
  g_ptr_array_add (args, (gpointer) PG_SUPERUSER);
  g_ptr_array_add (args, (gpointer) "--auth-local=trust");  /* socket dir and socket 0700 */
  g_ptr_array_add (args, (gpointer) "--auth-host=reject");
  g_ptr_array_add (args, (gpointer) "-E");
  g_ptr_array_add (args, (gpointer) "UTF8");
  g_ptr_array_add (args, locale_arg);
  if (!job->fsync)
    g_ptr_array_add (args, (gpointer) "-N");
  g_ptr_array_add (args, NULL);

  if (!job_run (job, "initdb", (const char * const *) args->pdata, &status, &output, error))
    return FALSE;
  if (status != 0)
    {
      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_INITDB,
                   "initdb failed (exit %d):\n%s", status, output);
      rm_rf (job->init_dir, NULL);
      return FALSE;
    }

  if (!append_to_file (conf,
                       "\n# Vigie: Unix socket only, reachable by the cluster owner only\n"
                       "listen_addresses = ''\n"
                       "unix_socket_permissions = 0700\n",
                       error))
    return FALSE;

  if (g_rename (job->init_dir, job->db_dir) != 0)
    return set_error_from_errno (error, errno, "Could not rename to db:", job->init_dir);
  if (job->fsync && !fsync_directory (job->data_dir, error))
    return FALSE;

  g_debug ("initdb took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - t0) / 1000);
  job->created = TRUE;
  return TRUE;
}

static gboolean
start_server (PgJob *job, GError **error)
{
  g_autoptr(GString) options = g_string_new (NULL);
  g_autofree char *timeout = g_strdup_printf ("%d", START_TIMEOUT_S);
  g_autofree char *output = NULL;
  goffset log_offset = file_size (job->log_file);
  int status;

  /* -o goes through /bin/sh: single quotes for the shell, double quotes for
   * PostgreSQL's list syntax (check_data_dir_path refused ' and ") */
  g_string_append_printf (options,
                          "-c listen_addresses='' -c port=%d "
                          "-c unix_socket_directories='\"%s\"' "
                          "-c unix_socket_permissions=0700",
                          PG_PORT, job->run_dir);
  if (!job->fsync)
    /* Commits still reach the kernel: a killed server loses nothing, only a power cut may. */
    g_string_append (options, " -c fsync=off -c full_page_writes=off");

  {
    const char * const args[] = { "start", "-D", job->db_dir, "-w", "-t", timeout,
                                   "-l", job->log_file, "-o", options->str, NULL };

    if (!job_run (job, "pg_ctl", args, &status, &output, error))
      return FALSE;
  }

  if (status != 0)
    {
      g_autofree char *tail = read_log_tail (job->log_file, log_offset);

      g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_START,
                   "pg_ctl start -D %s failed (exit %d): %s\n%s:\n%s",
                   job->db_dir, status, output, job->log_file, tail);
      return FALSE;
    }
  return TRUE;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static gboolean
set_database_error (GError **error, PGconn *conn, const char *what)
{
  g_autofree char *message = g_strdup (PQerrorMessage (conn));

  g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_DATABASE,
               "%s: %s", what, g_strchomp (message));
  return FALSE;
}

/* The "vigie" database, made at first start (checked every start: cheap, and a crash
 * between initdb and here is harmless). */
static gboolean
ensure_database (PgJob *job, GError **error)
{
  g_autofree char *conninfo = build_conninfo (job->run_dir, "postgres");
  g_autofree char *full = g_strconcat (conninfo, " connect_timeout=10", NULL);
  g_autoptr(PGconn) conn = PQconnectdb (full);
  g_autoptr(PGresult) found = NULL;
  g_autoptr(PGresult) created = NULL;

  if (PQstatus (conn) != CONNECTION_OK)
    return set_database_error (error, conn, "Could not connect to PostgreSQL");

  found = PQexec (conn, "SELECT 1 FROM pg_database WHERE datname = '" PG_DATABASE "'");
  if (PQresultStatus (found) != PGRES_TUPLES_OK)
    return set_database_error (error, conn, "Could not list the databases");
  if (PQntuples (found) == 1)
    return TRUE;

  g_message ("Creating the \"%s\" database", PG_DATABASE);
  created = PQexec (conn, "CREATE DATABASE " PG_DATABASE);
  if (PQresultStatus (created) != PGRES_COMMAND_OK)
    return set_database_error (error, conn, "Could not create the \"" PG_DATABASE "\" database");
  return TRUE;
}

/* Resolves db_real once DATA_DIR/db exists. */
static void
job_resolve_db (PgJob *job)
{
  g_clear_pointer (&job->db_real, g_free);
  job->db_real = realpath (job->db_dir, NULL);
}

static gboolean
job_start (PgJob *job, GCancellable *cancellable, GError **error)
{
  g_autofree char *version_file = g_build_filename (job->db_dir, "PG_VERSION", NULL);
  gint64 t0 = g_get_monotonic_time ();

  if (!job_prepare (job, error) || !prepare_dirs (job, error))
    return FALSE;

  if (!g_file_test (version_file, G_FILE_TEST_EXISTS))
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !init_cluster (job, error))
        return FALSE;
    }
  job_resolve_db (job);

  /* at most twice: an adopted server that dies before it answers is restarted */
  for (guint attempt = 0; ; attempt++)
    {
      pid_t pid;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !probe_server (job, &pid, error))
        return FALSE;

      if (pid != 0)
        {
          WaitResult res;

          g_message ("Adopting the PostgreSQL server already running in %s (PID %d)",
                     job->db_dir, (int) pid);
          res = wait_ready (job, pid, cancellable, error);
          if (res == WAIT_FAILED)
            return FALSE;
          if (res == WAIT_READY)
            break;
          if (attempt > 0)
            {
              g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_START,
                           "The PostgreSQL server in %s (PID %d) exited while starting; "
                           "see %s", job->db_dir, (int) pid, job->log_file);
              return FALSE;
            }
          g_message ("PostgreSQL server PID %d exited before accepting connections",
                     (int) pid);
          continue;
        }

      if (!clear_stale (job, error) || !start_server (job, error))
        return FALSE;
      break;
    }

  if (!ensure_database (job, error))
    return FALSE;

  g_debug ("PostgreSQL ready in %" G_GINT64_FORMAT " ms%s",
           (g_get_monotonic_time () - t0) / 1000, job->created ? " (new cluster)" : "");
  return TRUE;
}

static gboolean
job_stop (PgJob *job, GError **error)
{
  g_autofree char *version_file = g_build_filename (job->db_dir, "PG_VERSION", NULL);
  g_autofree char *timeout = g_strdup_printf ("%d", STOP_TIMEOUT_S);
  const char *modes[] = { "fast", "immediate" };
  g_autofree char *output = NULL;
  int status = 0;
  pid_t pid;

  if (!g_file_test (version_file, G_FILE_TEST_EXISTS))
    return TRUE;                                /* never created: nothing runs */
  if (!job_prepare (job, error))
    return FALSE;
  job_resolve_db (job);
  if (!probe_server (job, &pid, error))
    return FALSE;
  if (pid == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      const char * const args[] = { "stop", "-D", job->db_dir, "-m", modes[i], "-w", "-t",
                                    timeout, NULL };

      g_clear_pointer (&output, g_free);
      if (!job_run (job, "pg_ctl", args, &status, &output, error))
        return FALSE;
      if (status == 0)
        return TRUE;
      g_warning ("pg_ctl stop -m %s -D %s failed (exit %d): %s", modes[i], job->db_dir,
                 status, output);
    }

  g_set_error (error, VG_PG_CLUSTER_ERROR, VG_PG_CLUSTER_ERROR_STOP,
               "pg_ctl stop -D %s failed (exit %d): %s", job->db_dir, status, output);
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* VgPgCluster */

static void
vg_pg_cluster_finalize (GObject *object)
{
  VgPgCluster *self = VG_PG_CLUSTER (object);

  /* the server keeps running: stopping is the owner's explicit choice */
  g_free (self->data_dir);
  g_free (self->bin_dir);

  G_OBJECT_CLASS (vg_pg_cluster_parent_class)->finalize (object);
}

static void
vg_pg_cluster_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgPgCluster *self = VG_PG_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_pg_cluster_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  VgPgCluster *self = VG_PG_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_assert (self->data_dir == NULL);
      self->data_dir = g_canonicalize_filename (g_value_get_string (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_pg_cluster_class_init (VgPgClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_pg_cluster_finalize;
  object_class->get_property = vg_pg_cluster_get_property;
  object_class->set_property = vg_pg_cluster_set_property;

  /**
   * VgPgCluster:data-dir:
   * The node's data directory (made absolute); the cluster lives in its db/, run/ and
   * log/ subdirectories.
   */
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_pg_cluster_init (VgPgCluster *self)
{
  self->fsync = TRUE;
}

VgPgCluster *
vg_pg_cluster_new (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL && *data_dir != '\0', NULL);

  return g_object_new (VG_TYPE_PG_CLUSTER, "data-dir", data_dir, NULL);
}

void
vg_pg_cluster_set_bin_dir (VgPgCluster *self, const char *bin_dir)
{
  g_return_if_fail (VG_IS_PG_CLUSTER (self));

  g_free (self->bin_dir);
  self->bin_dir = bin_dir != NULL ? g_canonicalize_filename (bin_dir, NULL) : NULL;
}

void
vg_pg_cluster_set_fsync (VgPgCluster *self, gboolean fsync)
{
  g_return_if_fail (VG_IS_PG_CLUSTER (self));

  self->fsync = !!fsync;
}

static void
start_thread (GTask *task, gpointer source_object, gpointer task_data,
              GCancellable *cancellable)
{
  VgPgCluster *self = source_object;
  PgJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = job_start (job, cancellable, &error);

  g_atomic_int_set (&self->busy, 0);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
vg_pg_cluster_start_async (VgPgCluster *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VG_IS_PG_CLUSTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vg_pg_cluster_start_async);

  if (!g_atomic_int_compare_and_exchange (&self->busy, 0, 1))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The PostgreSQL cluster in %s is already being started",
                               self->data_dir);
      return;
    }

  g_task_set_task_data (task, pg_job_new (self), (GDestroyNotify) pg_job_free);
  g_task_run_in_thread (task, start_thread);
}

gboolean
vg_pg_cluster_start_finish (VgPgCluster *self, GAsyncResult *result, GError **error)
{
  PgJob *job;

  g_return_val_if_fail (VG_IS_PG_CLUSTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vg_pg_cluster_start_async,
                        FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (job != NULL)
    self->created = job->created;

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
vg_pg_cluster_stop (VgPgCluster *self, GError **error)
{
  g_autoptr(PgJob) job = NULL;

  g_return_val_if_fail (VG_IS_PG_CLUSTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_atomic_int_get (&self->busy))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   "The PostgreSQL cluster in %s is being started", self->data_dir);
      return FALSE;
    }

  job = pg_job_new (self);
  return job_stop (job, error);
}

char *
vg_pg_cluster_get_dsn (VgPgCluster *self)
{
  g_autofree char *run_dir = NULL;

  g_return_val_if_fail (VG_IS_PG_CLUSTER (self), NULL);

  run_dir = g_build_filename (self->data_dir, "run", NULL);
  return build_conninfo (run_dir, PG_DATABASE);
}

gboolean
vg_pg_cluster_get_created (VgPgCluster *self)
{
  g_return_val_if_fail (VG_IS_PG_CLUSTER (self), FALSE);

  return self->created;
}
