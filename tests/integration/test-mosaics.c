/* test-mosaics.c: /api/v1/mosaics on a real node and PostgreSQL: each user's own
 * mosaics, created, read, changed and deleted; bad bodies refused; other users' and
 * anonymous requests kept out (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"

#define LAYOUT_2X2 "{\"columns\": 2, \"rows\": 2, \"cells\": [" \
  "{\"x\": 0, \"y\": 0, \"w\": 2, \"h\": 1, \"camera\": 4, \"stream\": null}, " \
  "{\"x\": 0, \"y\": 1, \"w\": 1, \"h\": 1, \"camera\": 7, \"stream\": \"main\"}, " \
  "{\"x\": 1, \"y\": 1, \"w\": 1, \"h\": 1}]}"

typedef struct {
  VgTestNode *node;
  VgApiClient *admin;
  VgApiClient *olga;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) user = NULL;

  fixture->node = vg_test_node_new (NULL);
  if (!vg_test_node_start (fixture->node, &error))
    g_error ("The node did not start: %s", error->message);
  fixture->admin = vg_test_node_client (fixture->node, "admin", VG_TEST_ADMIN_PASSWORD);
  user = vg_test_expect (fixture->admin, "POST", "/api/v1/users",
                  "{\"name\": \"olga\", \"password\": \"olga-password\", \"role\": \"viewer\"}", 201);
  fixture->olga = vg_test_node_client (fixture->node, "olga", "olga-password");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->olga);
  g_clear_object (&fixture->admin);
  vg_test_node_stop (fixture->node);
  vg_test_node_free (fixture->node);
}

static void
test_crud (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *path = NULL;
  JsonObject *mosaic;
  JsonObject *layout;
  JsonArray *cells;
  JsonObject *cell;
  gint64 id;

  created = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics",
                     "{\"name\": \"Car park\", \"dwell\": 15, \"layout\": " LAYOUT_2X2 "}", 201);
  mosaic = json_node_get_object (created);
  id = json_object_get_int_member (mosaic, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (mosaic, "name"), ==, "Car park");
  g_assert_cmpint (json_object_get_int_member (mosaic, "dwell"), ==, 15);
  layout = json_object_get_object_member (mosaic, "layout");
  g_assert_cmpint (json_object_get_int_member (layout, "columns"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (layout, "rows"), ==, 2);
  cells = json_object_get_array_member (layout, "cells");
  g_assert_cmpuint (json_array_get_length (cells), ==, 3);
  cell = json_array_get_object_element (cells, 0);
  g_assert_cmpint (json_object_get_int_member (cell, "w"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (cell, "camera"), ==, 4);
  g_assert_true (json_object_get_null_member (cell, "stream"));
  cell = json_array_get_object_element (cells, 1);
  g_assert_cmpstr (json_object_get_string_member (cell, "stream"), ==, "main");
  /* A cell given without camera and stream comes back with both null */
  cell = json_array_get_object_element (cells, 2);
  g_assert_true (json_object_get_null_member (cell, "camera"));
  g_assert_true (json_object_get_null_member (cell, "stream"));

  path = g_strdup_printf ("/api/v1/mosaics/%" G_GINT64_FORMAT, id);
  shown = vg_test_expect (fixture->olga, "GET", path, NULL, 200);
  g_assert_true (json_node_equal (shown, created));

  /* PATCH: one field, the others stay; "id" sent back is ignored */
  changed = vg_test_expect (fixture->olga, "PATCH", path, "{\"id\": 999, \"dwell\": 30}", 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (changed), "dwell"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changed), "name"), ==, "Car park");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (changed), "id"), ==, id);
  g_clear_pointer (&changed, json_node_unref);
  changed = vg_test_expect (fixture->olga, "PATCH", path,
                     "{\"name\": \"Gate\", \"layout\": {\"columns\": 1, \"rows\": 1, \"cells\": "
                     "[{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": 2}]}}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changed), "name"), ==, "Gate");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (changed), "dwell"), ==, 30);

  /* The list, in id order; the default dwell */
  second = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics",
                    "{\"name\": \"Lobby\", \"layout\": " LAYOUT_2X2 "}", 201);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (second), "dwell"), ==, 10);
  list = vg_test_expect (fixture->olga, "GET", "/api/v1/mosaics", NULL, 200);
  {
    JsonArray *mosaics = json_object_get_array_member (json_node_get_object (list), "mosaics");

    g_assert_cmpuint (json_array_get_length (mosaics), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mosaics, 0), "name"), ==, "Gate");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mosaics, 1), "name"), ==, "Lobby");
  }

  g_clear_pointer (&changed, json_node_unref);
  changed = vg_test_expect (fixture->olga, "DELETE", path, NULL, 204);
  g_clear_pointer (&changed, json_node_unref);
  changed = vg_test_expect (fixture->olga, "GET", path, NULL, 404);
  g_clear_pointer (&changed, json_node_unref);
  changed = vg_test_expect (fixture->olga, "DELETE", path, NULL, 404);
}

static void
test_owner_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(VgApiClient) anonymous = vg_test_node_client (fixture->node, NULL, NULL);
  g_autofree char *path = NULL;
  JsonArray *mosaics;

  created = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics",
                     "{\"name\": \"Olga's\", \"layout\": " LAYOUT_2X2 "}", 201);
  path = g_strdup_printf ("/api/v1/mosaics/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));

  /* Even an admin sees only their own */
  answer = vg_test_expect (fixture->admin, "GET", "/api/v1/mosaics", NULL, 200);
  mosaics = json_object_get_array_member (json_node_get_object (answer), "mosaics");
  g_assert_cmpuint (json_array_get_length (mosaics), ==, 0);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "GET", path, NULL, 404);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "PATCH", path, "{\"name\": \"taken\"}", 404);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "DELETE", path, NULL, 404);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->olga, "GET", path, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "name"), ==, "Olga's");

  /* Without credentials: 401 on every route */
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "GET", "/api/v1/mosaics", NULL, 401);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "POST", "/api/v1/mosaics", "{\"name\": \"x\", \"layout\": " LAYOUT_2X2 "}", 401);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "GET", path, NULL, 401);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "PATCH", path, "{\"name\": \"x\"}", 401);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (anonymous, "DELETE", path, NULL, 401);

  /* A user's mosaics go with the user */
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->admin, "DELETE", "/api/v1/users/2", NULL, 204);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct {
    const char *body;
    guint status;
  } cases[] = {
    { "[1, 2]", 422 },                                                            /* not an object */
    { "{\"layout\": " LAYOUT_2X2 "}", 422 },                                      /* no name */
    { "{\"name\": \"x\"}", 422 },                                                 /* no layout */
    { "{\"name\": \"x\", \"colour\": 1, \"layout\": " LAYOUT_2X2 "}", 422 },      /* unknown field */
    { "{\"name\": 5, \"layout\": " LAYOUT_2X2 "}", 422 },                         /* wrong type */
    { "{\"name\": \"\", \"layout\": " LAYOUT_2X2 "}", 422 },                      /* empty name */
    { "{\"name\": \"x\", \"dwell\": 0, \"layout\": " LAYOUT_2X2 "}", 422 },       /* dwell range */
    { "{\"name\": \"x\", \"dwell\": \"10\", \"layout\": " LAYOUT_2X2 "}", 422 },  /* dwell type */
    { "{\"name\": \"x\", \"dwell\": 3601, \"layout\": " LAYOUT_2X2 "}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 17, \"rows\": 1, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": []}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 1, \"rows\": 1, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}, {\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 2, \"h\": 2}, {\"x\": 1, \"y\": 1, \"w\": 1, \"h\": 1}]}}", 422 },  /* overlap */
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 1, \"y\": 0, \"w\": 2, \"h\": 1}]}}", 422 },  /* outside */
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1}]}}", 422 },  /* no h */
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": 0}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"camera\": \"4\"}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"stream\": \"sub\"}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1, \"zoom\": 2}]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [5]}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": {}}}", 422 },
    { "{\"name\": \"x\", \"layout\": {\"columns\": 2, \"rows\": 2, \"cells\": [{\"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}], \"gap\": 1}}", 422 },
  };
  g_autofree char *long_name = g_strnfill (201, 'n');
  g_autofree char *long_body = g_strdup_printf ("{\"name\": \"%s\", \"layout\": " LAYOUT_2X2 "}", long_name);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) refused = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics",
                                             cases[i].body, cases[i].status);

      g_assert_null (refused);
    }
  answer = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics", long_body, 422);

  /* A PATCH with a bad field changes nothing */
  created = vg_test_expect (fixture->olga, "POST", "/api/v1/mosaics",
                     "{\"name\": \"Kept\", \"layout\": " LAYOUT_2X2 "}", 201);
  path = g_strdup_printf ("/api/v1/mosaics/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->olga, "PATCH", path, "{\"name\": \"Changed\", \"dwell\": -1}", 422);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->olga, "PATCH", path, "{\"layout\": null}", 422);
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->olga, "GET", path, NULL, 200);
  g_assert_true (json_node_equal (answer, created));
  g_clear_pointer (&answer, json_node_unref);
  answer = vg_test_expect (fixture->olga, "GET", "/api/v1/mosaics/0", NULL, 404);

  list = vg_test_expect (fixture->olga, "GET", "/api/v1/mosaics", NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list), "mosaics")), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mosaics/crud", Fixture, NULL, fixture_set_up, test_crud, fixture_tear_down);
  g_test_add ("/mosaics/owner-only", Fixture, NULL, fixture_set_up, test_owner_only,
              fixture_tear_down);
  g_test_add ("/mosaics/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);

  return g_test_run ();
}
