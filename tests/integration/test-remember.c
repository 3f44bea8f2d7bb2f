/* test-remember.c: remembered tokens (CLI-1): a client that must log in again by itself
 * (a wall PC without a keyring) gets a long-lived token with "remember"; it works for
 * the API and as the live relay's password, is listed, revoked by its user or an admin,
 * expires after [api] remember-lifetime, and ends when the user's password changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

#include <string.h>

/* Long enough for the relay to be probed with a fresh token, short enough to see one
 * expire. */
#define REMEMBER_LIFETIME_S 40

static VgTestNode *node;
static VgTestSim *sim;
static VgApiClient *admin;

typedef struct {
  char   *token;
  gint64  id;
  gint64  expires_us;
} Remembered;

static void
remembered_clear (Remembered *remembered)
{
  g_clear_pointer (&remembered->token, g_free);
}

/* POST /api/v1/session with remember (asserted 200). */
static void
log_in_remembered (const char *user, const char *password, const char *client_name,
                   Remembered *out)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, NULL, NULL);
  g_autofree char *json = g_strdup_printf ("{\"user\": \"%s\", \"password\": \"%s\", "
                                           "\"remember\": true, \"client\": \"%s\"}",
                                           user, password, client_name);
  g_autoptr(JsonNode) body = vg_test_expect (client, "POST", "/api/v1/session", json, 200);
  JsonObject *object = json_node_get_object (body);
  g_autoptr(GDateTime) expires = NULL;

  g_assert_true (json_object_has_member (object, "token"));
  g_assert_true (json_object_has_member (object, "user"));
  out->token = g_strdup (json_object_get_string_member (object, "token"));
  out->id = json_object_get_int_member (object, "id");
  g_assert_cmpint (out->id, >, 0);
  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "expires"), NULL);
  g_assert_nonnull (expires);
  out->expires_us = g_date_time_to_unix (expires) * G_USEC_PER_SEC;
}

static VgApiClient *
client_with_token (const char *token)
{
  VgApiClient *client = vg_test_node_client (node, NULL, NULL);

  vg_api_client_set_token (client, token);
  return client;
}

/* The status of GET /api/v1/session with this token. */
static guint
session_status (const char *token)
{
  g_autoptr(VgApiClient) client = client_with_token (token);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  body = vg_test_request (client, "GET", "/api/v1/session", NULL, &status, &error);
  return status;
}

/* The ids of the remembered tokens listed for client. */
static GArray *
listed_ids (VgApiClient *client)
{
  g_autoptr(JsonNode) body = vg_test_expect (client, "GET", "/api/v1/session/tokens", NULL, 200);
  JsonArray *tokens = json_object_get_array_member (json_node_get_object (body), "tokens");
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *token = json_array_get_object_element (tokens, i);
      gint64 id = json_object_get_int_member (token, "id");

      /* Never the token itself */
      g_assert_false (json_object_has_member (token, "token"));
      g_assert_true (json_object_has_member (token, "client"));
      g_assert_true (json_object_has_member (token, "created"));
      g_assert_true (json_object_has_member (token, "expires"));
      g_assert_true (json_object_has_member (token, "address"));
      g_assert_true (json_object_has_member (token, "user"));
      g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
has_id (GArray *ids, gint64 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static gint64
add_user (const char *name, const char *password)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"%s\", \"role\": \"viewer\"}",
                                           name, password);
  g_autoptr(JsonNode) body = vg_test_expect (admin, "POST", "/api/v1/users", json, 201);

  return json_object_get_int_member (json_node_get_object (body), "id");
}

/* ffprobe on the relay: its exit status, its output in *out. */
static int
probe_relay (const char *user, const char *password, gint64 camera, char **out)
{
  g_autofree char *url = g_strdup_printf ("rtsp://%s:%s@127.0.0.1:%u/cameras/%" G_GINT64_FORMAT "/main",
                                          user, password, node->rtsp_port, camera);
  const char *argv[] = { "timeout", "30", "ffprobe", "-v", "error", "-show_entries",
                         "stream=codec_type,codec_name", "-of", "csv=p=0", url, NULL };
  int status = -1;

  *out = vg_test_run_command (argv, &status);
  return status;
}

static void
test_api_and_relay (void)
{
  g_autofree char *source = vg_test_sim_url (sim, 1, "sub");
  g_autofree char *camera_json = g_strdup_printf ("{\"name\": \"Wall\", \"streams\": [{\"name\": \"main\", "
                                                  "\"url\": \"%s\", \"roles\": [\"live\"]}]}", source);
  gint64 camera = vg_test_add_camera (admin, camera_json);
  Remembered remembered = { NULL };
  g_autoptr(VgApiClient) client = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *out = NULL;
  g_autofree char *refused = NULL;
  gint64 now_us = g_get_real_time ();
  int status;

  log_in_remembered ("admin", VG_TEST_ADMIN_PASSWORD, "vigie on wall-1", &remembered);
  /* [api] remember-lifetime, not the session lifetime */
  g_assert_cmpint (remembered.expires_us, >=, now_us + (REMEMBER_LIFETIME_S - 5) * G_USEC_PER_SEC);
  g_assert_cmpint (remembered.expires_us, <=, now_us + (REMEMBER_LIFETIME_S + 5) * G_USEC_PER_SEC);

  /* The API */
  client = client_with_token (remembered.token);
  body = vg_test_expect (client, "GET", "/api/v1/cameras", NULL, 200);
  g_clear_pointer (&body, json_node_unref);
  body = vg_test_expect (client, "GET", "/api/v1/session", NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (body), "user"), "name"),
                   ==, "admin");

  /* The live relay, with the token as password */
  status = probe_relay ("admin", remembered.token, camera, &out);
  g_test_message ("ffprobe: %s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "h264,video"));

  /* Revoked by its user: refused at once by the API and by the relay */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/session/tokens/%" G_GINT64_FORMAT, remembered.id);
    g_autoptr(JsonNode) gone = vg_test_expect (client, "DELETE", path, NULL, 204);
    g_autoptr(GArray) ids = listed_ids (admin);

    g_assert_false (has_id (ids, remembered.id));
  }
  g_assert_cmpuint (session_status (remembered.token), ==, 401);
  status = probe_relay ("admin", remembered.token, camera, &refused);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (refused, "401"));

  remembered_clear (&remembered);
}

static void
test_listed_and_revoked (void)
{
  gint64 wall_id = add_user ("wall", "wall-secret-1");
  g_autoptr(VgApiClient) wall = vg_test_node_client (node, "wall", "wall-secret-1");
  Remembered mine = { NULL }, theirs = { NULL }, second = { NULL };
  g_autoptr(GArray) admin_ids = NULL;
  g_autoptr(GArray) wall_ids = NULL;

  log_in_remembered ("wall", "wall-secret-1", "vigie on wall-2", &mine);
  log_in_remembered ("wall", "wall-secret-1", "vigie on wall-3", &second);
  log_in_remembered ("admin", VG_TEST_ADMIN_PASSWORD, "vigie on desk", &theirs);

  /* A user lists their own; an admin everyone's; ordinary sessions are not listed */
  wall_ids = listed_ids (wall);
  g_assert_cmpuint (wall_ids->len, ==, 2);
  g_assert_true (has_id (wall_ids, mine.id));
  g_assert_true (has_id (wall_ids, second.id));
  admin_ids = listed_ids (admin);
  g_assert_true (has_id (admin_ids, mine.id));
  g_assert_true (has_id (admin_ids, theirs.id));
  {
    g_autoptr(JsonNode) body = vg_test_expect (wall, "GET", "/api/v1/session/tokens", NULL, 200);
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "tokens"), 0);

    g_assert_cmpstr (json_object_get_string_member (first, "client"), ==, "vigie on wall-2");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "user"), "id"), ==, wall_id);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "user"), "name"), ==, "wall");
  }

  /* A user cannot revoke another's token (404, as if there were none) */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/session/tokens/%" G_GINT64_FORMAT, theirs.id);
    g_autoptr(JsonNode) body = vg_test_expect (wall, "DELETE", path, NULL, 404);
  }
  g_assert_cmpuint (session_status (theirs.token), ==, 200);

  /* An admin revokes a user's token */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/session/tokens/%" G_GINT64_FORMAT, mine.id);
    g_autoptr(JsonNode) body = vg_test_expect (admin, "DELETE", path, NULL, 204);
    g_autoptr(JsonNode) again = vg_test_expect (admin, "DELETE", path, NULL, 404);
  }
  g_assert_cmpuint (session_status (mine.token), ==, 401);
  g_assert_cmpuint (session_status (second.token), ==, 200);

  /* A new password ends the user's remembered tokens too */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, wall_id);
    g_autoptr(JsonNode) body = vg_test_expect (admin, "PATCH", path, "{\"password\": \"wall-secret-2\"}", 200);
    g_autoptr(VgApiClient) wall_again = vg_test_node_client (node, "wall", "wall-secret-2");
    g_autoptr(GArray) left = listed_ids (wall_again);

    g_assert_cmpuint (session_status (second.token), ==, 401);
    g_assert_cmpuint (left->len, ==, 0);
  }
  g_assert_cmpuint (session_status (theirs.token), ==, 200);

  remembered_clear (&mine);
  remembered_clear (&second);
  remembered_clear (&theirs);
}

static gboolean
token_refused (gpointer data)
{
  return session_status (data) == 401;
}

static void
test_expires (void)
{
  Remembered remembered = { NULL };
  g_autoptr(GArray) ids = NULL;

  log_in_remembered ("admin", VG_TEST_ADMIN_PASSWORD, "vigie on wall-4", &remembered);
  g_assert_cmpuint (session_status (remembered.token), ==, 200);
  /* Once past its lifetime, refused (and no longer listed) */
  g_assert_true (vg_test_wait_until (token_refused, remembered.token,
                                     (REMEMBER_LIFETIME_S + 60) * 1000));
  g_assert_cmpint (g_get_real_time (), >=, remembered.expires_us);
  ids = listed_ids (admin);
  g_assert_false (has_id (ids, remembered.id));
  remembered_clear (&remembered);
}

static void
test_bad_inputs (void)
{
  g_autoptr(VgApiClient) anonymous = vg_test_node_client (node, NULL, NULL);
  const struct {
    const char *json;
    guint status;
    const char *message;
  } cases[] = {
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": \"yes\"}", 422, "remember" },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": true}", 422, "client" },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": true, \"client\": \"\"}", 422, "client" },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": true, \"client\": \"a\\nb\"}", 422, "client" },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": true, \"client\": 3}", 422, "client" },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"client\": \"vigie\"}", 422, "remember" },
    { "{\"user\": \"admin\", \"password\": \"wrong\", \"remember\": true, \"client\": \"vigie\"}", 401, NULL },
    { "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", \"remember\": true, \"client\": \"vigie\", \"other\": 1}", 422, "other" },
  };
  g_autofree char *long_name = g_strnfill (201, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\", "
                                                "\"remember\": true, \"client\": \"%s\"}", long_name);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;

      body = vg_test_request (anonymous, "POST", "/api/v1/session", cases[i].json, &status, &error);
      g_test_message ("%s → %u %s", cases[i].json, status, error ? error->message : "");
      g_assert_cmpuint (status, ==, cases[i].status);
      g_assert_nonnull (error);
      if (cases[i].message != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].message));
    }
  {
    g_autoptr(JsonNode) body = vg_test_expect (anonymous, "POST", "/api/v1/session", long_json, 422);
  }
  /* The routes need credentials; an unknown id is 404 */
  {
    g_autoptr(JsonNode) listed = vg_test_expect (anonymous, "GET", "/api/v1/session/tokens", NULL, 401);
    g_autoptr(JsonNode) revoked = vg_test_expect (anonymous, "DELETE", "/api/v1/session/tokens/1", NULL, 401);
    g_autoptr(JsonNode) unknown = vg_test_expect (admin, "DELETE", "/api/v1/session/tokens/999999", NULL, 404);
  }
  /* An ordinary session is not a remembered token: it cannot be revoked by id */
  {
    g_autoptr(JsonNode) body = vg_test_expect (anonymous, "POST", "/api/v1/session",
                                               "{\"user\": \"admin\", \"password\": \"" VG_TEST_ADMIN_PASSWORD "\"}", 200);

    g_assert_false (json_object_has_member (json_node_get_object (body), "id"));
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_strdup_printf ("[api]\nremember-lifetime=%d\n", REMEMBER_LIFETIME_S);
  int status;

  g_test_init (&argc, &argv, NULL);

  sim = vg_test_sim_start (1, &error);
  if (sim == NULL)
    g_error ("could not start vigie-camsim: %s", error->message);
  node = vg_test_node_new (config);
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);
  admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);

  g_test_add_func ("/remember/api-and-relay", test_api_and_relay);
  g_test_add_func ("/remember/listed-and-revoked", test_listed_and_revoked);
  g_test_add_func ("/remember/bad-inputs", test_bad_inputs);
  g_test_add_func ("/remember/expires", test_expires);

  status = g_test_run ();
  g_clear_object (&admin);
  vg_test_node_stop (node);
  vg_test_node_free (node);
  vg_test_sim_free (sim);
  return status;
}
