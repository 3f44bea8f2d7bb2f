/* vg-test-node.h: a real vigie-node process on a temporary data directory, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigie.h"

G_BEGIN_DECLS

#define VG_TEST_ADMIN_PASSWORD "admin-secret-1"

typedef struct
{
  char        *dir;          /* temporary directory, removed by free */
  char        *data_dir;
  char        *config_path;
  char        *log_path;     /* the node's standard error, appended across starts */
  GSubprocess *process;
  guint        port;         /* API port once ready */
  guint        rtsp_port;    /* the live relay's ports once ready */
  guint        rtsps_port;
  char        *base_url;     /* https://127.0.0.1:PORT */
  char        *stdout_text;  /* what the node printed before "ready" */
} VgTestNode;

/* extra_config: key-file text appended to the test configuration (fsync off). */
VgTestNode *vg_test_node_new          (const char *extra_config);
/* Starts the node (on the same port as before if it ran already) and waits for its
 * "ready" line; FALSE with the node's output in error when it exits instead. */
gboolean    vg_test_node_start        (VgTestNode *node, GError **error);
/* SIGTERM and wait; the exit status. */
int         vg_test_node_stop         (VgTestNode *node);
/* SIGKILL and wait (a crash). */
void        vg_test_node_kill         (VgTestNode *node);
/* PID of the node's private PostgreSQL server, or 0. */
GPid        vg_test_node_get_postmaster_pid (VgTestNode *node);
void        vg_test_node_free         (VgTestNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgTestNode, vg_test_node_free)

/* An API client for the node, logged in as user (NULL: not logged in). */
VgApiClient *vg_test_node_client      (VgTestNode *node, const char *user, const char *password);

/* Runs the default main context until *result is set (callbacks store it there). */
void        vg_test_wait              (GAsyncResult **result);
/* A GAsyncReadyCallback that stores a ref of the result in *(GAsyncResult **) user_data. */
void        vg_test_store_result      (GObject *source, GAsyncResult *result, gpointer user_data);
/* Runs the default main context until condition(data) or timeout; FALSE on timeout. */
gboolean    vg_test_wait_until        (gboolean (*condition) (gpointer data), gpointer data,
                                       guint timeout_ms);

/* Runs the default main context for ms milliseconds. */
void        vg_test_sleep_ms          (guint ms);
/* Runs a command to its end; its standard output and error, merged. */
char       *vg_test_run_command       (const char *const *argv, int *exit_status);

/* Synchronous shortcuts over VgApiClient for tests. */
JsonNode   *vg_test_request           (VgApiClient *client, const char *method, const char *path,
                                       const char *json_body, guint *status, GError **error);

/* A request whose status must be expected_status (the test fails otherwise, saying
 * what came); the answer's JSON, or NULL. */
JsonNode   *vg_test_expect            (VgApiClient *client, const char *method, const char *path,
                                       const char *json_body, guint expected_status);

/* POST /api/v1/cameras with this JSON (asserted 201): the new camera's id. */
gint64      vg_test_add_camera        (VgApiClient *client, const char *json);
/* One stream of GET /api/v1/cameras/{id}/status (stream NULL: the first); *keep holds
 * the answer the object belongs to. */
JsonObject *vg_test_stream_status     (VgApiClient *client, gint64 camera_id, const char *stream,
                                       JsonNode **keep);
/* Polls the status until the stream's state is state; FALSE on timeout. */
gboolean    vg_test_wait_stream_state (VgApiClient *client, gint64 camera_id, const char *stream,
                                       const char *state, guint timeout_ms);
/* GET /api/v1/cameras/{id}/recordings from start_us to now: spans and gaps as (start,
 * end) µs pairs (gaps may be NULL). */
GArray     *vg_test_recording_spans   (VgApiClient *client, gint64 camera_id, gint64 start_us,
                                       GArray **gaps);

G_END_DECLS
