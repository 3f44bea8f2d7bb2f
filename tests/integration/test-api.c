/* test-api.c: the node's HTTPS API driven through VgApiClient against a real node
 * and its real PostgreSQL cluster.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"

#include <string.h>

static VgTestNode *node;

#define GATE_CAMERA \
  "{\"name\": \"Gate\", \"enabled\": true," \
  " \"streams\": [{\"name\": \"main\", \"url\": \"rtsp://127.0.0.1:9/stream1\", \"roles\": [\"record\", \"live\"]}," \
  "              {\"name\": \"sub\",  \"url\": \"rtsp://127.0.0.1:9/stream2\", \"roles\": [\"live\", \"motion\"]}]," \
  " \"recording\": {\"mode\": \"continuous\", \"retention_days\": 30}}"

static VgCamera *
create_camera (VgApiClient *client, const char *json)
{
  g_autoptr(JsonNode) body = json_from_string (json, NULL);
  g_autoptr(VgCamera) camera = vg_camera_new_from_json (body, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VgCamera *stored;

  g_assert_nonnull (camera);
  vg_api_client_save_camera_async (client, camera, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  stored = vg_api_client_camera_finish (client, result, &error);
  g_assert_no_error (error);
  return stored;
}

static void
test_health (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint status = 0;

  body = vg_test_request (client, "GET", "/api/v1/health", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  text = vg_json_to_string (body);
  g_assert_cmpstr (text, ==, "{\"status\":\"ok\"}");
}

static void
test_login (void)
{
  g_autoptr(VgApiClient) client = vg_api_client_new (node->base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  vg_api_client_login_async (client, "admin", VG_TEST_ADMIN_PASSWORD, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  session = vg_api_client_login_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (vg_session_get_token (session)), >=, 40);
  g_assert_cmpstr (vg_api_client_get_token (client), ==, vg_session_get_token (session));
  g_assert_true (g_date_time_compare (vg_session_get_expires (session), now) > 0);
  g_assert_nonnull (vg_session_get_user (session));
  g_assert_cmpstr (vg_user_get_name (vg_session_get_user (session)), ==, "admin");
  g_assert_cmpint (vg_user_get_role (vg_session_get_user (session)), ==, VG_USER_ROLE_ADMIN);
  /* The client pinned the node's certificate on first use. */
  g_assert_nonnull (vg_api_client_get_tls_fingerprint (client));
  g_assert_nonnull (strstr (node->stdout_text, vg_api_client_get_tls_fingerprint (client)));
}

static void
test_login_wrong_password (void)
{
  g_autoptr(VgApiClient) client = vg_api_client_new (node->base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSession) session = NULL;

  vg_api_client_login_async (client, "admin", "not-the-password", NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  session = vg_api_client_login_finish (client, result, &error);
  g_assert_null (session);
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
  g_assert_null (vg_api_client_get_token (client));

  /* Unknown user: the same answer. */
  g_clear_object (&result);
  g_clear_error (&error);
  vg_api_client_login_async (client, "nobody", "whatever-pass", NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  g_assert_null (vg_api_client_login_finish (client, result, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
}

static void
test_server_info (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VgServerInfo) info = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  vg_api_client_get_server_info_async (client, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  info = vg_api_client_get_server_info_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_server_info_get_version (info), ==, PACKAGE_VERSION);
  g_assert_nonnull (vg_server_info_get_name (info));
  g_assert_nonnull (vg_server_info_get_time_zone (info));
  g_assert_cmpint (vg_server_info_get_uptime (info), >=, 0);
  g_assert_cmpint (ABS (g_date_time_difference (vg_server_info_get_time (info), now)), <, 60 * G_USEC_PER_SEC);
  g_assert_cmpint (g_date_time_get_utc_offset (vg_server_info_get_time (info)), ==, 0);
}

static void
test_camera_crud (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgCamera) created = create_camera (client, GATE_CAMERA);
  g_autoptr(VgCamera) fetched = NULL;
  g_autoptr(VgCamera) saved = NULL;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = NULL;
  gint64 id = vg_camera_get_id (created);
  VgStream *sub;
  gboolean listed = FALSE;
  guint status = 0;

  /* POST: 201 with the stored camera and its integer id. */
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (vg_camera_get_name (created), ==, "Gate");
  g_assert_cmpuint (vg_camera_get_streams (created)->len, ==, 2);
  sub = vg_camera_find_stream (created, "sub");
  g_assert_nonnull (sub);
  g_assert_cmpuint (vg_stream_get_roles (sub), ==, VG_STREAM_ROLE_LIVE | VG_STREAM_ROLE_MOTION);
  g_assert_cmpuint (vg_camera_get_retention_days (created), ==, 30);

  /* GET list and GET one. */
  vg_api_client_list_cameras_async (client, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  cameras = vg_api_client_list_cameras_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cameras->len; i++)
    listed |= vg_camera_get_id (cameras->pdata[i]) == id;
  g_assert_true (listed);

  g_clear_object (&result);
  vg_api_client_get_camera_async (client, id, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  fetched = vg_api_client_camera_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_stream_get_url (vg_camera_find_stream (fetched, "main")), ==, "rtsp://127.0.0.1:9/stream1");

  /* PATCH of a whole camera through save, then a partial PATCH. */
  vg_camera_set_name (fetched, "Gate north");
  vg_camera_set_retention_days (fetched, 7);
  g_clear_object (&result);
  vg_api_client_save_camera_async (client, fetched, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  saved = vg_api_client_camera_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vg_camera_get_id (saved), ==, id);
  g_assert_cmpstr (vg_camera_get_name (saved), ==, "Gate north");
  g_assert_cmpuint (vg_camera_get_retention_days (saved), ==, 7);

  {
    g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT, id);
    JsonObject *object;

    patched = vg_test_request (client, "PATCH", path, "{\"enabled\": false}", &status, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 200);
    object = json_node_get_object (patched);
    g_assert_false (json_object_get_boolean_member (object, "enabled"));
    g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Gate north");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "streams")), ==, 2);
  }

  /* DELETE: 204, then 404 for GET and DELETE. */
  g_clear_object (&result);
  vg_api_client_delete_camera_async (client, id, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  g_assert_true (vg_api_client_delete_camera_finish (client, result, &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  vg_api_client_get_camera_async (client, id, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  g_assert_null (vg_api_client_camera_finish (client, result, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&result);
  vg_api_client_delete_camera_async (client, id, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  g_assert_false (vg_api_client_delete_camera_finish (client, result, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_NOT_FOUND);
}

/* Every route but health and login answers 401 without credentials, and with a
 * token that was never issued. */
static void
test_unauthenticated (void)
{
  static const char *const routes[][2] = {
    { "GET", "/api/v1/server" },
    { "GET", "/api/v1/session" },
    { "DELETE", "/api/v1/session" },
    { "GET", "/api/v1/cameras" },
    { "POST", "/api/v1/cameras" },
    { "GET", "/api/v1/cameras/1" },
    { "PATCH", "/api/v1/cameras/1" },
    { "DELETE", "/api/v1/cameras/1" },
    { "GET", "/api/v1/users" },
    { "POST", "/api/v1/users" },
    { "GET", "/api/v1/users/1" },
    { "PATCH", "/api/v1/users/1" },
    { "DELETE", "/api/v1/users/1" },
    { "GET", "/api/v1/events" },
    { "GET", "/api/v1/cameras/1/recordings?start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z" },
    { "GET", "/metrics" },
    { "GET", "/api/v1/storage" },
    { "GET", "/api/v1/cameras/1/protections" },
    { "POST", "/api/v1/cameras/1/protections" },
    { "DELETE", "/api/v1/protections/1" },
    { "DELETE", "/api/v1/cameras/1/recordings" },
  };
  g_autoptr(VgApiClient) anonymous = vg_test_node_client (node, NULL, NULL);
  g_autoptr(VgApiClient) forged = vg_test_node_client (node, NULL, NULL);

  vg_api_client_set_token (forged, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      VgApiClient *clients[] = { anonymous, forged };

      for (gsize c = 0; c < G_N_ELEMENTS (clients); c++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) body = NULL;
          guint status = 0;
          const char *json = g_str_equal (routes[i][0], "POST") || g_str_equal (routes[i][0], "PATCH")
                             ? "{\"name\": \"x\"}" : NULL;

          body = vg_test_request (clients[c], routes[i][0], routes[i][1], json, &status, &error);
          g_test_message ("%s %s → %u", routes[i][0], routes[i][1], status);
          g_assert_null (body);
          g_assert_cmpuint (status, ==, 401);
          g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
        }
    }
}

static void
test_basic_auth (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  vg_api_client_set_basic_auth (client, "admin", VG_TEST_ADMIN_PASSWORD);
  for (int i = 0; i < 3; i++)
    {
      g_clear_pointer (&body, json_node_unref);
      body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (json_object_has_member (json_node_get_object (body), "cameras"));
    }

  vg_api_client_set_basic_auth (client, "admin", "wrong-password");
  g_clear_pointer (&body, json_node_unref);
  body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 401);
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
}

static gint64
create_user (VgApiClient *admin, const char *name, const char *role)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"password-%s\", \"role\": \"%s\"}",
                                           name, name, role);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/users", json, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "name"), ==, name);
  g_assert_false (json_object_has_member (json_node_get_object (body), "password"));
  return json_object_get_int_member (json_node_get_object (body), "id");
}

static void
test_users (void)
{
  g_autoptr(VgApiClient) admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgApiClient) olga = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *olga_path = NULL;
  gint64 olga_id;
  guint status = 0;

  olga_id = create_user (admin, "olga", "operator");
  olga_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, olga_id);
  olga = vg_test_node_client (node, "olga", "password-olga");

  /* An operator reads cameras but manages neither users nor cameras. */
  body = vg_test_request (olga, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, json_node_unref);

  {
    static const char *const forbidden[][2] = {
      { "GET", "/api/v1/users" },
      { "POST", "/api/v1/users" },
      { "GET", "/api/v1/users/1" },
      { "PATCH", "/api/v1/users/1" },
      { "DELETE", "/api/v1/users/1" },
      { "POST", "/api/v1/cameras" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
      {
        const char *json = g_str_equal (forbidden[i][0], "GET") || g_str_equal (forbidden[i][0], "DELETE")
                           ? NULL : "{\"name\": \"x\"}";
        g_clear_error (&error);
        body = vg_test_request (olga, forbidden[i][0], forbidden[i][1], json, &status, &error);
        g_assert_null (body);
        g_assert_cmpuint (status, ==, 403);
        g_assert_error (error, VG_ERROR, VG_ERROR_FORBIDDEN);
      }
  }

  /* Admin: list, show, duplicate name, change role, last admin protected. */
  g_clear_error (&error);
  body = vg_test_request (admin, "GET", "/api/v1/users", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body), "users")), >=, 2);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (admin, "GET", olga_path, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "role"), ==, "operator");
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (admin, "POST", "/api/v1/users",
                          "{\"name\": \"olga\", \"password\": \"another-one\"}", &status, &error);
  g_assert_cmpuint (status, ==, 409);
  g_assert_error (error, VG_ERROR, VG_ERROR_CONFLICT);
  g_clear_error (&error);

  body = vg_test_request (admin, "PATCH", olga_path, "{\"role\": \"viewer\"}", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "role"), ==, "viewer");
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (admin, "PATCH", "/api/v1/users/1", "{\"role\": \"viewer\"}", &status, &error);
  g_assert_cmpuint (status, ==, 409);
  g_clear_error (&error);
  body = vg_test_request (admin, "DELETE", "/api/v1/users/1", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 409);
  g_clear_error (&error);

  /* Olga's session still works; after her deletion it does not. */
  body = vg_test_request (olga, "GET", "/api/v1/session", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (body), "user"), "name"), ==, "olga");
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (admin, "DELETE", olga_path, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 204);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (olga, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 401);
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  body = vg_test_request (admin, "GET", olga_path, NULL, &status, &error);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_password_change_ends_sessions (void)
{
  g_autoptr(VgApiClient) admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgApiClient) paul = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  guint status = 0;
  gint64 id;

  id = create_user (admin, "paul", "viewer");
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  paul = vg_test_node_client (node, "paul", "password-paul");

  body = vg_test_request (admin, "PATCH", path, "{\"password\": \"a-new-password\"}", &status, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (paul, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 401);
  g_clear_error (&error);
  g_clear_object (&paul);
  paul = vg_test_node_client (node, "paul", "a-new-password");
}

static void
test_logout (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (client, "DELETE", "/api/v1/session", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 204);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 401);
}

typedef struct
{
  GPtrArray *events;
} EventLog;

static void
event_cb (VgApiClient *client, JsonNode *message, EventLog *log)
{
  /* Connection states of the test's cameras (their URLs lead nowhere) come and go. */
  if (g_str_equal (json_object_get_string_member (json_node_get_object (message), "type"), "camera.state"))
    return;
  g_ptr_array_add (log->events, json_node_copy (message));
}

static gboolean
events_connected (gpointer data)
{
  return vg_api_client_get_events_connected (data);
}

static gboolean
has_camera_event (gpointer data)
{
  EventLog *log = data;

  for (guint i = 0; i < log->events->len; i++)
    {
      JsonObject *object = json_node_get_object (log->events->pdata[i]);
      if (g_str_equal (json_object_get_string_member (object, "type"), "camera.deleted"))
        return TRUE;
    }
  return FALSE;
}

static void
test_events (void)
{
  g_autoptr(VgApiClient) watcher = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgApiClient) admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgCamera) camera = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  EventLog log = { events };
  const char *expected[] = { "hello", "camera.created", "camera.updated", "camera.deleted" };
  guint status;

  g_signal_connect (watcher, "event", G_CALLBACK (event_cb), &log);
  vg_api_client_connect_events (watcher);
  g_assert_true (vg_test_wait_until (events_connected, watcher, 10000));

  camera = create_camera (admin, GATE_CAMERA);
  path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT, vg_camera_get_id (camera));
  body = vg_test_request (admin, "PATCH", path, "{\"name\": \"Renamed\"}", &status, &error);
  g_assert_no_error (error);
  vg_api_client_delete_camera_async (admin, vg_camera_get_id (camera), NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  g_assert_true (vg_api_client_delete_camera_finish (admin, result, &error));

  g_assert_true (vg_test_wait_until (has_camera_event, &log, 10000));
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *object = json_node_get_object (events->pdata[i]);
      JsonObject *data = json_object_get_object_member (object, "data");

      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, expected[i]);
      g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "time"), "Z"));
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (data, "id"), ==, vg_camera_get_id (camera));
      if (i == 2)
        g_assert_cmpstr (json_object_get_string_member (data, "name"), ==, "Renamed");
    }
  vg_api_client_disconnect_events (watcher);
}

static void
test_metrics (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  /* Not JSON: the client reports it as an unexpected body, with status 200. */
  body = vg_test_request (client, "GET", "/metrics", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* A camera that recorded nothing: one gap over the whole range; bad queries refused. */
static void
test_recordings_query (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgCamera) camera = create_camera (client, GATE_CAMERA);
  g_autofree char *base = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings", vg_camera_get_id (camera));
  g_autofree char *ok = g_strconcat (base, "?stream=sub&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00%2B01:00", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint status = 0;
  struct { const char *query; guint status; } bad[] = {
    { "?stream=sub&end=2026-11-02T00:00:00Z", 400 },
    { "?stream=sub&start=yesterday&end=2026-11-02T00:00:00Z", 400 },
    { "?stream=sub&start=2026-11-01T00:00:00&end=2026-11-02T00:00:00Z", 400 },
    { "?stream=sub&start=2026-11-02T00:00:00Z&end=2026-11-01T00:00:00Z", 400 },
    { "?stream=sub&start=2020-01-01T00:00:00Z&end=2026-11-01T00:00:00Z", 400 },
    { "?stream=nope&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z", 404 },
  };

  body = vg_test_request (client, "GET", ok, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  text = vg_json_to_string (body);
  g_assert_cmpstr (text, ==, "{\"spans\":[],\"gaps\":[{\"start\":\"2026-11-01T00:00:00Z\",\"end\":\"2026-11-01T23:00:00Z\"}]}");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat (base, bad[i].query, NULL);

      g_clear_error (&error);
      g_clear_pointer (&body, json_node_unref);
      body = vg_test_request (client, "GET", path, NULL, &status, &error);
      g_test_message ("%s → %u", bad[i].query, status);
      g_assert_null (body);
      g_assert_cmpuint (status, ==, bad[i].status);
    }
  g_clear_error (&error);
  body = vg_test_request (client, "GET", "/api/v1/cameras/424242/recordings?start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z",
                          NULL, &status, &error);
  g_assert_cmpuint (status, ==, 404);
}

/* Protected ranges, storage and deletion through the API, with their rights. */
static void
test_storage_and_protections (void)
{
  g_autoptr(VgApiClient) admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgApiClient) viewer = NULL;
  g_autoptr(VgCamera) camera = create_camera (admin, GATE_CAMERA);
  g_autofree char *protections = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/protections",
                                                  vg_camera_get_id (camera));
  g_autofree char *recordings = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?before=2026-01-01T00:00:00Z",
                                                 vg_camera_get_id (camera));
  g_autofree char *protection_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  guint status = 0;

  create_user (admin, "vera", "viewer");
  viewer = vg_test_node_client (node, "vera", "password-vera");

  body = vg_test_request (admin, "POST", protections,
                          "{\"start\": \"2026-11-20T10:00:00+01:00\", \"end\": \"2026-11-20T10:30:00Z\", \"comment\": \"case 114\"}",
                          &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "start"), ==, "2026-11-20T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "comment"), ==, "case 114");
  protection_path = g_strdup_printf ("/api/v1/protections/%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));
  g_clear_pointer (&body, json_node_unref);

  /* Wrong bodies, and a viewer may not protect. */
  body = vg_test_request (admin, "POST", protections, "{\"start\": \"2026-11-20T10:00:00Z\", \"end\": \"2026-11-20T09:00:00Z\"}",
                          &status, &error);
  g_assert_cmpuint (status, ==, 422);
  g_clear_error (&error);
  body = vg_test_request (admin, "POST", protections, "{\"start\": \"soon\", \"end\": \"2026-11-20T09:00:00Z\"}",
                          &status, &error);
  g_assert_cmpuint (status, ==, 422);
  g_clear_error (&error);
  body = vg_test_request (viewer, "POST", protections, "{\"start\": \"2026-11-20T10:00:00Z\", \"end\": \"2026-11-20T11:00:00Z\"}",
                          &status, &error);
  g_assert_cmpuint (status, ==, 403);
  g_clear_error (&error);

  body = vg_test_request (viewer, "GET", protections, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body), "protections")), ==, 1);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (viewer, "GET", "/api/v1/storage", NULL, &status, &error);
  g_assert_no_error (error);
  object = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "disks"), 0);
  g_assert_nonnull (object);
  g_assert_true (json_object_get_boolean_member (object, "available"));
  g_assert_cmpint (json_object_get_int_member (object, "total_bytes"), >, 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "path"), "/recordings"));
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (viewer, "DELETE", recordings, NULL, &status, &error);
  g_assert_cmpuint (status, ==, 403);
  g_clear_error (&error);
  body = vg_test_request (admin, "DELETE", recordings, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "deleted_segments"), ==, 0);
  g_clear_pointer (&body, json_node_unref);

  body = vg_test_request (admin, "DELETE", protection_path, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 204);
  body = vg_test_request (admin, "DELETE", protection_path, NULL, &status, &error);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  node = vg_test_node_new (NULL);
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);

  g_test_add_func ("/api/health", test_health);
  g_test_add_func ("/api/session/login", test_login);
  g_test_add_func ("/api/session/wrong-password", test_login_wrong_password);
  g_test_add_func ("/api/session/logout", test_logout);
  g_test_add_func ("/api/server", test_server_info);
  g_test_add_func ("/api/cameras/crud", test_camera_crud);
  g_test_add_func ("/api/unauthenticated", test_unauthenticated);
  g_test_add_func ("/api/basic-auth", test_basic_auth);
  g_test_add_func ("/api/users/crud-and-rights", test_users);
  g_test_add_func ("/api/users/password-change", test_password_change_ends_sessions);
  g_test_add_func ("/api/events", test_events);
  g_test_add_func ("/api/metrics", test_metrics);
  g_test_add_func ("/api/recordings/query", test_recordings_query);
  g_test_add_func ("/api/storage-and-protections", test_storage_and_protections);

  status = g_test_run ();
  g_assert_cmpint (vg_test_node_stop (node), ==, 0);
  vg_test_node_free (node);
  return status;
}
