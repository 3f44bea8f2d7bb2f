/* test-forced-recording.c: forced recording (REC-6) on a real node with a simulated
 * camera: a camera in mode "off" records while forced, stops by itself at the end, or
 * when the forcing is ended; each change announced as a "camera.forced" event; bad
 * requests refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"
#include "vg-test-sim.h"

typedef struct {
  VgTestSim *sim;
  VgTestNode *node;
  VgApiClient *admin;
  gint64 camera_id;
  char *record_path;
  char *status_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;

  fixture->sim = vg_test_sim_start (1, &error);
  g_assert_no_error (error);
  fixture->node = vg_test_node_new (NULL);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start: %s", error->message);
  fixture->admin = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);

  url = vg_test_sim_url (fixture->sim, 1, "sub");
  json = g_strdup_printf ("{\"name\": \"Gate\", \"recording\": {\"mode\": \"off\"}, "
                          "\"streams\": [{\"name\": \"sub\", \"url\": \"%s\", \"roles\": [\"record\", \"live\"]}]}",
                          url);
  body = vg_test_expect (fixture->admin, "POST", "/api/v1/cameras", json, 201);
  fixture->camera_id = json_object_get_int_member (json_node_get_object (body), "id");
  fixture->record_path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/record", fixture->camera_id);
  fixture->status_path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/status", fixture->camera_id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->record_path);
  g_free (fixture->status_path);
  g_clear_object (&fixture->admin);
  vg_test_node_stop (fixture->node);
  vg_test_node_free (fixture->node);
  vg_test_sim_free (fixture->sim);
}

/* The camera's status: whether its stream records, and its forced_until. */
static gboolean
is_recording (Fixture     *fixture,
              const char **forced_until_out)
{
  g_autoptr(JsonNode) status = vg_test_expect (fixture->admin, "GET", fixture->status_path, NULL, 200);
  JsonObject *object = json_node_get_object (status);
  JsonObject *stream = json_array_get_object_element (json_object_get_array_member (object, "streams"), 0);

  g_assert_true (json_object_has_member (object, "forced_until"));
  if (forced_until_out != NULL)
    *forced_until_out = json_object_get_null_member (object, "forced_until") ? NULL : "set";
  return json_object_get_boolean_member (stream, "recording");
}

static gboolean
records (gpointer data)
{
  return is_recording (data, NULL);
}

static gboolean
does_not_record (gpointer data)
{
  return !is_recording (data, NULL);
}

static gboolean
has_recordings (Fixture *fixture)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_minutes (now, -10);
  g_autoptr(GDateTime) after = g_date_time_add_minutes (now, 1);
  g_autofree char *start = g_date_time_format_iso8601 (before);
  g_autofree char *end = g_date_time_format_iso8601 (after);
  g_autofree char *path = g_strdup_printf ("/api/v1/cameras/%" G_GINT64_FORMAT "/recordings?start=%s&end=%s",
                                           fixture->camera_id, start, end);
  g_autoptr(JsonNode) answer = vg_test_expect (fixture->admin, "GET", path, NULL, 200);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "spans")) > 0;
}

static void
test_forced_then_ends (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  const char *forced_until = NULL;

  /* Mode "off": nothing records */
  vg_test_sleep_ms (2000);
  g_assert_false (is_recording (fixture, &forced_until));
  g_assert_null (forced_until);
  g_assert_false (has_recordings (fixture));

  answer = vg_test_expect (fixture->admin, "POST", fixture->record_path, "{\"seconds\": 6}", 200);
  g_assert_false (json_object_get_null_member (json_node_get_object (answer), "forced_until"));
  g_assert_true (vg_test_wait_until (records, fixture, 20000));
  is_recording (fixture, &forced_until);
  g_assert_nonnull (forced_until);

  /* The time is up: it stops by itself, and what it recorded is there */
  g_assert_true (vg_test_wait_until (does_not_record, fixture, 30000));
  is_recording (fixture, &forced_until);
  g_assert_null (forced_until);
  g_assert_true (has_recordings (fixture));
}

static void
test_forced_then_stopped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;

  answer = vg_test_expect (fixture->admin, "POST", fixture->record_path, "{\"seconds\": 3600}", 200);
  g_assert_true (vg_test_wait_until (records, fixture, 20000));
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "DELETE", fixture->record_path, NULL, 204);
  g_assert_true (vg_test_wait_until (does_not_record, fixture, 20000));
}

/* The event WebSocket: each change of the forced state, as "camera.forced" */

typedef struct {
  gint64 camera_id;
  GPtrArray *until;    /* of char *, "" for null: the forced_until of each event */
} ForcedEvents;

static void
event_cb (VgApiClient  *client,
          JsonNode     *message,
          ForcedEvents *events)
{
  JsonObject *object = json_node_get_object (message);
  JsonObject *data;

  if (!g_str_equal (json_object_get_string_member (object, "type"), "camera.forced"))
    return;
  data = json_object_get_object_member (object, "data");
  g_assert_cmpint (json_object_get_int_member (data, "id"), ==, events->camera_id);
  g_assert_true (json_object_has_member (data, "forced_until"));
  g_ptr_array_add (events->until, g_strdup (json_object_get_null_member (data, "forced_until")
                                            ? "" : json_object_get_string_member (data, "forced_until")));
}

static gboolean
events_connected (gpointer data)
{
  return vg_api_client_get_events_connected (VG_API_CLIENT (data));
}

typedef struct {
  ForcedEvents *events;
  guint n;
} EventsWait;

static gboolean
has_events (gpointer data)
{
  EventsWait *wait = data;

  return wait->events->until->len >= wait->n;
}

static void
wait_events (ForcedEvents *events,
             guint         n)
{
  EventsWait wait = { events, n };

  g_assert_true (vg_test_wait_until (has_events, &wait, 20000));
  g_assert_cmpuint (events->until->len, ==, n);
}

static void
test_forced_events (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GPtrArray) until = g_ptr_array_new_with_free_func (g_free);
  ForcedEvents events = { fixture->camera_id, until };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GDateTime) time = NULL;

  g_signal_connect (client, "event", G_CALLBACK (event_cb), &events);
  vg_api_client_connect_events (client);
  g_assert_true (vg_test_wait_until (events_connected, client, 10000));

  /* Forced: the end as the status says it */
  answer = vg_test_expect (fixture->admin, "POST", fixture->record_path, "{\"seconds\": 3600}", 200);
  wait_events (&events, 1);
  g_assert_cmpstr (until->pdata[0], ==,
                   json_object_get_string_member (json_node_get_object (answer), "forced_until"));
  time = vg_time_parse_iso8601 (until->pdata[0], NULL);
  g_assert_nonnull (time);

  /* Stopped */
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "DELETE", fixture->record_path, NULL, 204);
  wait_events (&events, 2);
  g_assert_cmpstr (until->pdata[1], ==, "");

  /* Ended by itself */
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "POST", fixture->record_path, "{\"seconds\": 2}", 200);
  wait_events (&events, 4);
  g_assert_cmpstr (until->pdata[2], !=, "");
  g_assert_cmpstr (until->pdata[3], ==, "");

  g_signal_handlers_disconnect_by_data (client, &events);
  vg_api_client_disconnect_events (client);
}

static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const bodies[] = {
    "{}", "{\"seconds\": 0}", "{\"seconds\": 86401}", "{\"seconds\": \"10\"}",
    "{\"seconds\": 10, \"stream\": \"sub\"}", "[10]",
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(VgApiClient) viewer = NULL;
  g_autoptr(VgApiClient) anonymous = vg_test_node_client (fixture->node, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) refused = vg_test_expect (fixture->admin, "POST", fixture->record_path, bodies[i], 422);
    }
  answer = vg_test_expect (fixture->admin, "POST", "/api/v1/cameras/999/record", "{\"seconds\": 10}", 404);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "DELETE", "/api/v1/cameras/999/record", NULL, 404);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "POST", fixture->record_path, "{\"seconds\": 10}", 401);

  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "POST", "/api/v1/users",
                    "{\"name\": \"vera\", \"password\": \"vera-password\", \"role\": \"viewer\"}", 201);
  viewer = vg_test_node_client (fixture->node, "vera", "vera-password");
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (viewer, "POST", fixture->record_path, "{\"seconds\": 10}", 403);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (viewer, "DELETE", fixture->record_path, NULL, 403);
  g_assert_false (is_recording (fixture, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/forced-recording/ends", Fixture, NULL, fixture_set_up, test_forced_then_ends,
              fixture_tear_down);
  g_test_add ("/forced-recording/stopped", Fixture, NULL, fixture_set_up,
              test_forced_then_stopped, fixture_tear_down);
  g_test_add ("/forced-recording/events", Fixture, NULL, fixture_set_up, test_forced_events,
              fixture_tear_down);
  g_test_add ("/forced-recording/bad-requests", Fixture, NULL, fixture_set_up,
              test_bad_requests, fixture_tear_down);

  return g_test_run ();
}
