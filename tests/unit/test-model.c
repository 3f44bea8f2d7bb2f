/* test-model.c: libvigie's model types, their JSON and their errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "vigie.h"

/* The camera body of the issue. */
static const char example_camera[] =
  "{\"name\": \"Gate\", \"enabled\": true, \"streams\": ["
  "{\"name\": \"main\", \"url\": \"rtsp://127.0.0.1:9/stream1\", \"roles\": [\"record\", \"live\"]}, "
  "{\"name\": \"sub\", \"url\": \"rtsp://127.0.0.1:9/stream2\", \"roles\": [\"live\", \"motion\"]}], "
  "\"recording\": {\"mode\": \"continuous\", \"retention_days\": 30}}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = vg_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
to_string_and_free (JsonNode *node)
{
  char *string = vg_json_to_string (node);

  json_node_unref (node);
  return string;
}

/* Counts "notify" emissions by property name. */
typedef struct {
  GHashTable *counts;
} NotifyLog;

static void
notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  NotifyLog *log = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static void
notify_log_init (NotifyLog *log, gpointer object)
{
  log->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (notify_cb), log);
}

static guint
notify_log_count (NotifyLog *log, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
notify_log_clear (NotifyLog *log, gpointer object)
{
  g_signal_handlers_disconnect_by_data (object, log);
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

/* errors */

static void
test_error_mapping (void)
{
  static const struct {
    VgErrorCode  code;
    guint        status;
    const char  *string;
  } table[] = {
    { VG_ERROR_FAILED,             500, "internal" },
    { VG_ERROR_BAD_REQUEST,        400, "bad_request" },
    { VG_ERROR_UNAUTHORIZED,       401, "unauthorized" },
    { VG_ERROR_FORBIDDEN,          403, "forbidden" },
    { VG_ERROR_NOT_FOUND,          404, "not_found" },
    { VG_ERROR_METHOD_NOT_ALLOWED, 405, "method_not_allowed" },
    { VG_ERROR_CONFLICT,           409, "conflict" },
    { VG_ERROR_TOO_LARGE,          413, "too_large" },
    { VG_ERROR_UNSUPPORTED_MEDIA,  415, "unsupported_media_type" },
    { VG_ERROR_INVALID,            422, "invalid" },
    { VG_ERROR_TOO_MANY_REQUESTS,  429, "too_many_requests" },
    { VG_ERROR_UNAVAILABLE,        503, "unavailable" },
    { VG_ERROR_SCHEMA_TOO_NEW,     500, "schema_too_new" },
  };

  g_assert_cmpstr (g_quark_to_string (VG_ERROR), ==, "vg-error-quark");

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("code %d", table[i].code);
      g_assert_cmpuint (vg_error_code_to_status (table[i].code), ==, table[i].status);
      g_assert_cmpstr (vg_error_code_to_string (table[i].code), ==, table[i].string);
      /* The string wins over the status. */
      g_assert_cmpint (vg_error_code_from_string (table[i].string, 0), ==, table[i].code);
      g_assert_cmpint (vg_error_code_from_string (table[i].string, 404), ==, table[i].code);
      /* 500 has two codes; it maps back to FAILED. */
      g_assert_cmpint (vg_error_code_from_status (table[i].status), ==,
                       table[i].code == VG_ERROR_SCHEMA_TOO_NEW ? VG_ERROR_FAILED
                                                                : table[i].code);
      /* Unknown or missing strings fall back to the status. */
      g_assert_cmpint (vg_error_code_from_string (NULL, table[i].status), ==,
                       vg_error_code_from_status (table[i].status));
      g_assert_cmpint (vg_error_code_from_string ("no_such_code", table[i].status), ==,
                       vg_error_code_from_status (table[i].status));
    }

  g_assert_cmpint (vg_error_code_from_status (502), ==, VG_ERROR_FAILED);
  g_assert_cmpint (vg_error_code_from_status (504), ==, VG_ERROR_FAILED);
  g_assert_cmpint (vg_error_code_from_status (418), ==, VG_ERROR_FAILED);
  g_assert_cmpint (vg_error_code_from_status (200), ==, VG_ERROR_FAILED);
  g_assert_cmpint (vg_error_code_from_status (0), ==, VG_ERROR_FAILED);
  g_assert_cmpint (vg_error_code_from_string ("", 401), ==, VG_ERROR_UNAUTHORIZED);
  g_assert_cmpint (vg_error_code_from_string ("INVALID", 400), ==, VG_ERROR_BAD_REQUEST);
}

/* JSON */

static void
test_json_parse_errors (void)
{
  static const struct {
    const char  *data;
    gsize        length;
    VgErrorCode  code;
  } table[] = {
    { "", 0, VG_ERROR_BAD_REQUEST },
    { " \n\t", 3, VG_ERROR_BAD_REQUEST },
    { "{\"name\": \"\xff\"}", 13, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 1}\0", 9, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 1", 7, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 1,}", 9, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 1} x", 10, VG_ERROR_BAD_REQUEST },
    { "{'a': 1}", 8, VG_ERROR_BAD_REQUEST },
    { "/* c */ {}", 10, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 0x10}", 11, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 010}", 10, VG_ERROR_BAD_REQUEST },
    { "{\"a\": \"x\\u0000y\"}", 17, VG_ERROR_BAD_REQUEST },
    { "{\"a\": \"x\ty\"}", 12, VG_ERROR_BAD_REQUEST },
    { "{\"a\": .5}", 9, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 1.}", 9, VG_ERROR_BAD_REQUEST },
    { "{\"a\": 9223372036854775808}", 26, VG_ERROR_INVALID },
    { "{\"a\": -9223372036854775809}", 27, VG_ERROR_INVALID },
    { "[99999999999999999999]", 22, VG_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("body %zu", i);
      g_assert_cmpuint (strlen (table[i].data) + (i == 3 ? 1 : 0), ==, table[i].length);
      node = vg_json_parse (table[i].data, table[i].length, &error);
      g_assert_error (error, VG_ERROR, (gint) table[i].code);
      g_assert_null (node);
    }
}

static void
test_json_parse_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = vg_json_parse ("{\"a\": ", 6, &error);
  g_assert_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST);
  g_assert_true (g_str_has_prefix (error->message, "malformed JSON: "));
  g_clear_error (&error);

  node = vg_json_parse ("\xc3\x28", 2, &error);
  g_assert_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
}

static void
test_json_parse_valid (void)
{
  static const char *const bodies[] = {
    "{}", "[]", "0", "-0", "1.5e3", "-1.25E-2", "null", "true",
    "\"\\\\u0000\"",  /* a backslash then u0000: no NUL */
    "{\"a\": [1, -2, 3.5, \"x'y\", \"/* no comment */\"]}",
    "9223372036854775807", "-9223372036854775808",
    "\"caf\xc3\xa9\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) node = parse (bodies[i]);

      g_assert_nonnull (node);
    }
}

static void
test_json_members (void)
{
  g_autoptr(JsonNode) node =
    parse ("{\"s\": \"x\", \"b\": true, \"i\": 7, \"f\": 1.0, \"big\": 5000, \"n\": null, "
           "\"a\": [], \"o\": {}}");
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GError) error = NULL;
  const char *s = "unchanged";
  gboolean b = FALSE;
  gint64 i = -1;
  JsonArray *a = NULL;
  JsonObject *o = NULL;

  g_assert_true (vg_json_get_string_member (object, "s", TRUE, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (vg_json_get_boolean_member (object, "b", TRUE, &b, &error));
  g_assert_true (b);
  g_assert_true (vg_json_get_int_member (object, "i", TRUE, 0, 10, &i, &error));
  g_assert_cmpint (i, ==, 7);
  g_assert_true (vg_json_get_array_member (object, "a", TRUE, &a, &error));
  g_assert_nonnull (a);
  g_assert_true (vg_json_get_object_member (object, "o", TRUE, &o, &error));
  g_assert_nonnull (o);
  g_assert_no_error (error);

  /* Missing and optional: nothing changes. */
  s = "unchanged";
  g_assert_true (vg_json_get_string_member (object, "missing", FALSE, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "unchanged");

  /* Missing and required. */
  g_assert_false (vg_json_get_string_member (object, "missing", TRUE, &s, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "missing field “missing”");
  g_clear_error (&error);

  /* Wrong types, null included. */
  g_assert_false (vg_json_get_string_member (object, "i", TRUE, &s, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "field “i” must be a string");
  g_clear_error (&error);
  g_assert_false (vg_json_get_string_member (object, "n", FALSE, &s, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vg_json_get_boolean_member (object, "s", TRUE, &b, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vg_json_get_array_member (object, "o", TRUE, &a, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vg_json_get_object_member (object, "a", TRUE, &o, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  /* Integers: 1.0 is a double; out of range names the range. */
  i = -1;
  g_assert_false (vg_json_get_int_member (object, "f", TRUE, 0, 10, &i, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "field “f” must be an integer from 0 to 10");
  g_clear_error (&error);
  g_assert_false (vg_json_get_int_member (object, "big", TRUE, 1, 3650, &i, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "field “big” must be an integer from 1 to 3650");
  g_clear_error (&error);
  g_assert_false (vg_json_get_int_member (object, "s", TRUE, 0, 10, &i, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (vg_json_get_int_member (object, "s", TRUE, G_MININT64, G_MAXINT64, &i,
                                          &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "field “s” must be an integer");
  g_clear_error (&error);
  g_assert_false (vg_json_get_int_member (object, "f", TRUE, 0, G_MAXINT64, &i, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "field “f” must be an integer of at least 0");
  g_clear_error (&error);
  g_assert_cmpint (i, ==, -1);
}

static void
test_json_check_fields (void)
{
  static const char *const allowed[] = { "a", "b", NULL };
  g_autoptr(JsonNode) good = parse ("{\"b\": 1, \"a\": 2}");
  g_autoptr(JsonNode) bad = parse ("{\"a\": 1, \"foo\": 2, \"bar\": 3}");
  g_autoptr(JsonNode) array = parse ("[1]");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (vg_json_require_object (good, "thing", &error));
  g_assert_true (vg_json_check_fields (json_node_get_object (good), allowed, "thing", &error));
  g_assert_no_error (error);

  g_assert_false (vg_json_check_fields (json_node_get_object (bad), allowed, "thing", &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "unknown field “foo” in thing");
  g_clear_error (&error);

  g_assert_null (vg_json_require_object (array, "thing", &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "thing"));
}

static void
test_json_to_string (void)
{
  g_autoptr(JsonNode) node = parse ("{ \"a\" : [ 1 , true ] }");
  g_autofree char *string = vg_json_to_string (node);

  g_assert_cmpstr (string, ==, "{\"a\":[1,true]}");
}

/* ISO 8601 */

static void
test_time_format (void)
{
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) whole = g_date_time_new (plus2, 2026, 11, 22, 12, 0, 0);
  g_autoptr(GDateTime) fraction = g_date_time_new_utc (2026, 11, 22, 10, 0, 0.123);
  g_autoptr(GDateTime) early = g_date_time_new_utc (987, 1, 2, 3, 4, 5);
  g_autofree char *a = vg_time_format_iso8601 (whole);
  g_autofree char *b = vg_time_format_iso8601 (fraction);
  g_autofree char *c = vg_time_format_iso8601 (early);

  g_assert_cmpstr (a, ==, "2026-11-22T10:00:00Z");
  g_assert_cmpstr (b, ==, "2026-11-22T10:00:00.123Z");
  g_assert_cmpstr (c, ==, "0987-01-02T03:04:05Z");
}

static void
test_time_parse (void)
{
  static const struct {
    const char *input;
    const char *utc;  /* NULL: refused */
  } table[] = {
    { "2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z" },
    { "2026-11-22T12:00:00+02:00", "2026-11-22T10:00:00Z" },
    { "2026-11-22T01:30:00-05:00", "2026-11-22T06:30:00Z" },
    { "2026-11-22T00:30:00+01:00", "2026-11-21T23:30:00Z" },
    { "2026-11-22T10:00:00.123Z", "2026-11-22T10:00:00.123Z" },
    { "20261122T100000Z", "2026-11-22T10:00:00Z" },
    { "2026-11-22T10:00:00", NULL },
    { "2026-11-22", NULL },
    { "yesterday", NULL },
    { "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = vg_time_parse_iso8601 (table[i].input, &error);

      g_test_message ("“%s”", table[i].input);
      if (table[i].utc == NULL)
        {
          g_assert_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST);
          g_assert_null (time);
        }
      else
        {
          g_autofree char *formatted = NULL;

          g_assert_no_error (error);
          g_assert_cmpint (g_date_time_get_utc_offset (time), ==, 0);
          formatted = vg_time_format_iso8601 (time);
          g_assert_cmpstr (formatted, ==, table[i].utc);
        }
    }
}

/* streams */

static void
test_stream_json (void)
{
  g_autoptr(VgStream) stream =
    vg_stream_new ("main", "rtsp://user:pw@cam.example:554/s?x=1",
                   VG_STREAM_ROLE_MOSAIC | VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_LIVE);
  g_autoptr(VgStream) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = to_string_and_free (vg_stream_to_json (stream));
  g_autoptr(JsonNode) node = parse (json);

  /* Roles in their fixed order. */
  g_assert_cmpstr (json, ==,
                   "{\"name\":\"main\",\"url\":\"rtsp://user:pw@cam.example:554/s?x=1\","
                   "\"roles\":[\"record\",\"live\",\"mosaic\"]}");

  copy = vg_stream_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_stream_get_name (copy), ==, vg_stream_get_name (stream));
  g_assert_cmpstr (vg_stream_get_url (copy), ==, vg_stream_get_url (stream));
  g_assert_cmpuint (vg_stream_get_roles (copy), ==, vg_stream_get_roles (stream));
}

static void
test_stream_roles (void)
{
  static const struct {
    const char    *body;
    VgStreamRoles  roles;  /* (VgStreamRoles) -1: refused */
  } table[] = {
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[\"mosaic\",\"alarm\",\"alarm\"]}",
      VG_STREAM_ROLE_MOSAIC | VG_STREAM_ROLE_ALARM },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[]}", VG_STREAM_ROLE_NONE },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\"}", VG_STREAM_ROLE_NONE },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[\"record\",\"alarm\",\"motion\","
      "\"live\",\"mosaic\"]}", VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_ALARM |
      VG_STREAM_ROLE_MOTION | VG_STREAM_ROLE_LIVE | VG_STREAM_ROLE_MOSAIC },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[\"Record\"]}", (VgStreamRoles) -1 },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[\"ptz\"]}", (VgStreamRoles) -1 },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":[null]}", (VgStreamRoles) -1 },
    { "{\"name\":\"a\",\"url\":\"rtsp://h/\",\"roles\":\"live\"}", (VgStreamRoles) -1 },
  };

  g_assert_cmpuint (vg_stream_role_from_string ("motion"), ==, VG_STREAM_ROLE_MOTION);
  g_assert_cmpuint (vg_stream_role_from_string ("nope"), ==, VG_STREAM_ROLE_NONE);
  g_assert_cmpstr (vg_stream_role_to_string (VG_STREAM_ROLE_MOSAIC), ==, "mosaic");

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(JsonNode) node = parse (table[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgStream) stream = vg_stream_new_from_json (node, &error);

      g_test_message ("%s", table[i].body);
      if (table[i].roles == (VgStreamRoles) -1)
        {
          g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
          g_assert_null (stream);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint (vg_stream_get_roles (stream), ==, table[i].roles);
        }
    }
}

static void
test_stream_validate (void)
{
  static const struct {
    const char *name;
    const char *url;
    gboolean    valid;
  } table[] = {
    { "main", "rtsp://127.0.0.1:9/stream1", TRUE },
    { "Sub_2-b", "rtsps://cam.example:322/x", TRUE },
    { "h", "http://[fe80::1]/snapshot", TRUE },
    { "h", "HTTPS://cam.example/", TRUE },
    { "abcdefghijklmnopqrstuvwxyz012345", "rtsp://h/", TRUE },
    { "abcdefghijklmnopqrstuvwxyz0123456", "rtsp://h/", FALSE },
    { "", "rtsp://h/", FALSE },
    { NULL, "rtsp://h/", FALSE },
    { "a/b", "rtsp://h/", FALSE },
    { "..", "rtsp://h/", FALSE },
    { "a b", "rtsp://h/", FALSE },
    { "caméra", "rtsp://h/", FALSE },
    { "main", "file:///etc/passwd", FALSE },
    { "main", "ftp://h/x", FALSE },
    { "main", "rtsp:///x", FALSE },
    { "main", "rtsp:x", FALSE },
    { "main", "/relative", FALSE },
    { "main", "rtsp://h/a b", FALSE },
    { "main", "rtsp://h/\n", FALSE },
    { "main", "rtsp://h/%zz", FALSE },
    { "main", "rtsp://h:99999/", FALSE },
    { "main", "", FALSE },
    { "main", NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(VgStream) stream = vg_stream_new (table[i].name, table[i].url, 0);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s %s", table[i].name, table[i].url);
      if (table[i].valid)
        {
          g_assert_true (vg_stream_validate (stream, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (vg_stream_validate (stream, &error));
          g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
        }
    }
}

static void
test_stream_url_limits (void)
{
  g_autoptr(GString) url = g_string_new ("rtsp://h/");
  g_autoptr(VgStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  while (url->len < 2048)
    g_string_append_c (url, 'a');
  stream = vg_stream_new ("main", url->str, 0);
  g_assert_true (vg_stream_validate (stream, &error));
  g_assert_no_error (error);

  g_string_append_c (url, 'a');
  vg_stream_set_url (stream, url->str);
  g_assert_false (vg_stream_validate (stream, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
}

static void
test_stream_url_not_in_messages (void)
{
  g_autoptr(VgStream) stream = vg_stream_new ("main", "ftp://admin:s3cret@h/", 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (vg_stream_validate (stream, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_null (strstr (error->message, "s3cret"));
}

static void
test_stream_notify (void)
{
  g_autoptr(VgStream) stream = vg_stream_new ("main", "rtsp://h/", VG_STREAM_ROLE_LIVE);
  NotifyLog log;

  notify_log_init (&log, stream);
  vg_stream_set_name (stream, "main");
  vg_stream_set_url (stream, "rtsp://h/");
  vg_stream_set_roles (stream, VG_STREAM_ROLE_LIVE);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);

  vg_stream_set_name (stream, "sub");
  vg_stream_set_url (stream, "rtsp://h/2");
  vg_stream_set_roles (stream, VG_STREAM_ROLE_LIVE | VG_STREAM_ROLE_MOSAIC);
  g_object_set (stream, "roles", VG_STREAM_ROLE_LIVE | VG_STREAM_ROLE_MOSAIC, NULL);
  g_assert_cmpuint (notify_log_count (&log, "name"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "url"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "roles"), ==, 1);
  notify_log_clear (&log, stream);
}

/* cameras */

static void
assert_cameras_equal (VgCamera *a, VgCamera *b)
{
  GPtrArray *sa = vg_camera_get_streams (a);
  GPtrArray *sb = vg_camera_get_streams (b);

  g_assert_cmpstr (vg_camera_get_name (a), ==, vg_camera_get_name (b));
  g_assert_cmpint (vg_camera_get_enabled (a), ==, vg_camera_get_enabled (b));
  g_assert_cmpint (vg_camera_get_recording_mode (a), ==, vg_camera_get_recording_mode (b));
  g_assert_cmpuint (vg_camera_get_retention_days (a), ==, vg_camera_get_retention_days (b));
  g_assert_cmpuint (sa->len, ==, sb->len);
  for (guint i = 0; i < sa->len; i++)
    {
      VgStream *x = g_ptr_array_index (sa, i);
      VgStream *y = g_ptr_array_index (sb, i);

      g_assert_cmpstr (vg_stream_get_name (x), ==, vg_stream_get_name (y));
      g_assert_cmpstr (vg_stream_get_url (x), ==, vg_stream_get_url (y));
      g_assert_cmpuint (vg_stream_get_roles (x), ==, vg_stream_get_roles (y));
    }
}

static void
test_camera_example (void)
{
  g_autoptr(JsonNode) node = parse (example_camera);
  g_autoptr(GError) error = NULL;
  g_autoptr(VgCamera) camera = vg_camera_new_from_json (node, &error);
  GPtrArray *streams;
  VgStream *main_stream;
  VgStream *sub_stream;

  g_assert_no_error (error);
  g_assert_nonnull (camera);
  g_assert_cmpint (vg_camera_get_id (camera), ==, 0);
  g_assert_cmpstr (vg_camera_get_name (camera), ==, "Gate");
  g_assert_true (vg_camera_get_enabled (camera));
  g_assert_cmpint (vg_camera_get_recording_mode (camera), ==, VG_RECORDING_MODE_CONTINUOUS);
  g_assert_cmpuint (vg_camera_get_retention_days (camera), ==, 30);

  streams = vg_camera_get_streams (camera);
  g_assert_cmpuint (streams->len, ==, 2);
  main_stream = g_ptr_array_index (streams, 0);
  sub_stream = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (vg_stream_get_name (main_stream), ==, "main");
  g_assert_cmpstr (vg_stream_get_url (main_stream), ==, "rtsp://127.0.0.1:9/stream1");
  g_assert_cmpuint (vg_stream_get_roles (main_stream), ==,
                    VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_LIVE);
  g_assert_cmpstr (vg_stream_get_name (sub_stream), ==, "sub");
  g_assert_cmpstr (vg_stream_get_url (sub_stream), ==, "rtsp://127.0.0.1:9/stream2");
  g_assert_cmpuint (vg_stream_get_roles (sub_stream), ==,
                    VG_STREAM_ROLE_LIVE | VG_STREAM_ROLE_MOTION);

  g_assert_true (vg_camera_find_stream (camera, "sub") == sub_stream);
  g_assert_null (vg_camera_find_stream (camera, "third"));
}

static void
test_camera_defaults (void)
{
  g_autoptr(JsonNode) node =
    parse ("{\"id\": 42, \"name\": \"Yard\", \"streams\": [{\"name\": \"main\", "
           "\"url\": \"rtsp://h/\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(VgCamera) camera = vg_camera_new_from_json (node, &error);
  g_autoptr(VgCamera) fresh = vg_camera_new ();

  g_assert_no_error (error);
  /* "id" is the node's, never the body's. */
  g_assert_cmpint (vg_camera_get_id (camera), ==, 0);
  g_assert_true (vg_camera_get_enabled (camera));
  g_assert_cmpint (vg_camera_get_recording_mode (camera), ==, VG_RECORDING_MODE_CONTINUOUS);
  g_assert_cmpuint (vg_camera_get_retention_days (camera), ==, 30);
  g_assert_cmpuint (vg_camera_get_retention_days (fresh), ==, 30);
  g_assert_cmpuint (vg_camera_get_streams (fresh)->len, ==, 0);
}

static void
test_camera_json_round_trip (void)
{
  g_autoptr(VgCamera) camera = vg_camera_new ();
  g_autoptr(VgStream) stream1 = vg_stream_new ("main", "rtsps://u:p@cam/1", VG_STREAM_ROLE_RECORD);
  g_autoptr(VgStream) stream2 = vg_stream_new ("sub", "http://cam/2", VG_STREAM_ROLE_NONE);
  g_autoptr(VgCamera) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(JsonNode) node = NULL;

  vg_camera_set_id (camera, 17);
  vg_camera_set_name (camera, "Entrée « nord »");
  vg_camera_set_enabled (camera, FALSE);
  vg_camera_set_recording_mode (camera, VG_RECORDING_MODE_SCHEDULE);
  vg_camera_set_retention_days (camera, 3650);
  vg_camera_set_disk (camera, 2);
  vg_camera_add_stream (camera, stream1);
  vg_camera_add_stream (camera, stream2);
  g_assert_true (vg_camera_validate (camera, &error));
  g_assert_no_error (error);

  json = to_string_and_free (vg_camera_to_json (camera));
  g_assert_cmpstr (json, ==,
                   "{\"id\":17,\"name\":\"Entrée « nord »\",\"enabled\":false,"
                   "\"streams\":[{\"name\":\"main\",\"url\":\"rtsps://u:p@cam/1\","
                   "\"roles\":[\"record\"]},{\"name\":\"sub\",\"url\":\"http://cam/2\","
                   "\"roles\":[]}],\"recording\":{\"mode\":\"schedule\","
                   "\"retention_days\":3650,\"disk\":2}}");

  node = parse (json);
  copy = vg_camera_new_from_json (node, &error);
  g_assert_no_error (error);
  assert_cameras_equal (camera, copy);
  g_assert_cmpint (vg_camera_get_id (copy), ==, 0);

  vg_camera_set_id (copy, 17);
  json2 = to_string_and_free (vg_camera_to_json (copy));
  g_assert_cmpstr (json2, ==, json);
}

static void
test_camera_recording_modes (void)
{
  static const char *const names[] = { "continuous", "alarm", "schedule", "off" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      VgRecordingMode mode = (VgRecordingMode) 99;
      g_autofree char *body =
        g_strdup_printf ("{\"name\":\"c\",\"streams\":[{\"name\":\"s\",\"url\":\"rtsp://h/\"}],"
                         "\"recording\":{\"mode\":\"%s\"}}", names[i]);
      g_autoptr(JsonNode) node = parse (body);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgCamera) camera = vg_camera_new_from_json (node, &error);

      g_assert_true (vg_recording_mode_from_string (names[i], &mode));
      g_assert_cmpint (mode, ==, (VgRecordingMode) i);
      g_assert_cmpstr (vg_recording_mode_to_string (mode), ==, names[i]);
      g_assert_no_error (error);
      g_assert_cmpint (vg_camera_get_recording_mode (camera), ==, mode);
    }

  {
    VgRecordingMode mode = VG_RECORDING_MODE_OFF;

    g_assert_false (vg_recording_mode_from_string ("always", &mode));
    g_assert_cmpint (mode, ==, VG_RECORDING_MODE_OFF);
  }
}

static void
test_camera_name_length (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(VgCamera) camera = vg_camera_new ();
  g_autoptr(VgStream) stream = vg_stream_new ("main", "rtsp://h/", 0);
  g_autoptr(GError) error = NULL;

  /* Characters, not bytes: 200 × "é" is 400 bytes and allowed. */
  for (guint i = 0; i < VG_CAMERA_NAME_MAX; i++)
    g_string_append (name, "é");
  vg_camera_set_name (camera, name->str);
  vg_camera_add_stream (camera, stream);
  g_assert_true (vg_camera_validate (camera, &error));
  g_assert_no_error (error);

  g_string_append (name, "é");
  vg_camera_set_name (camera, name->str);
  g_assert_false (vg_camera_validate (camera, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  vg_camera_set_name (camera, "bad \xff");
  g_assert_false (vg_camera_validate (camera, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
}

typedef struct {
  char        *name;
  char        *body;
  VgErrorCode  code;
  const char  *message_part;  /* in the error message, when not NULL */
} BadBody;

static void
bad_body_free (gpointer data)
{
  BadBody *bad = data;

  g_free (bad->name);
  g_free (bad->body);
  g_free (bad);
}

static void
add_bad_body (GPtrArray *bodies, const char *name, char *body, VgErrorCode code,
              const char *message_part)
{
  BadBody *bad = g_new0 (BadBody, 1);

  bad->name = g_strdup (name);
  bad->body = body;
  bad->code = code;
  bad->message_part = message_part;
  g_ptr_array_add (bodies, bad);
}

#define STREAM_OK "{\"name\":\"main\",\"url\":\"rtsp://h/\"}"
#define CAMERA_WITH(fields) "{\"name\":\"c\",\"streams\":[" STREAM_OK "]" fields "}"
#define CAMERA_WITH_STREAM(stream) "{\"name\":\"c\",\"streams\":[" stream "]}"

static GPtrArray *
bad_camera_bodies (void)
{
  static const struct {
    const char  *name;
    const char  *body;
    VgErrorCode  code;
    const char  *message_part;
  } table[] = {
    { "malformed", "{\"name\": \"c\",", VG_ERROR_BAD_REQUEST, "malformed JSON" },
    { "not-utf8", "{\"name\": \"\xc0\xaf\"}", VG_ERROR_BAD_REQUEST, NULL },
    { "not-object-array", "[" CAMERA_WITH ("") "]", VG_ERROR_INVALID, "camera" },
    { "not-object-string", "\"camera\"", VG_ERROR_INVALID, "camera" },
    { "not-object-null", "null", VG_ERROR_INVALID, "camera" },
    { "id-string", CAMERA_WITH (",\"id\":\"5\""), VG_ERROR_INVALID, "“id”" },
    { "id-float", CAMERA_WITH (",\"id\":5.0"), VG_ERROR_INVALID, "“id”" },
    { "name-number", "{\"name\":5,\"streams\":[" STREAM_OK "]}", VG_ERROR_INVALID,
      "field “name” must be a string" },
    { "name-null", "{\"name\":null,\"streams\":[" STREAM_OK "]}", VG_ERROR_INVALID, "“name”" },
    { "name-empty", "{\"name\":\"\",\"streams\":[" STREAM_OK "]}", VG_ERROR_INVALID, NULL },
    { "enabled-string", CAMERA_WITH (",\"enabled\":\"yes\""), VG_ERROR_INVALID, "“enabled”" },
    { "enabled-number", CAMERA_WITH (",\"enabled\":1"), VG_ERROR_INVALID, "“enabled”" },
    { "streams-object", "{\"name\":\"c\",\"streams\":{}}", VG_ERROR_INVALID, "“streams”" },
    { "streams-string", "{\"name\":\"c\",\"streams\":\"main\"}", VG_ERROR_INVALID, "“streams”" },
    { "stream-not-object", "{\"name\":\"c\",\"streams\":[\"main\"]}", VG_ERROR_INVALID, "stream" },
    { "stream-name-number", CAMERA_WITH_STREAM ("{\"name\":1,\"url\":\"rtsp://h/\"}"),
      VG_ERROR_INVALID, "“name”" },
    { "stream-url-number", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":1}"),
      VG_ERROR_INVALID, "“url”" },
    { "stream-roles-string", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"rtsp://h/\","
                                                 "\"roles\":\"live\"}"),
      VG_ERROR_INVALID, "“roles”" },
    { "stream-roles-numbers", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"rtsp://h/\","
                                                  "\"roles\":[1]}"),
      VG_ERROR_INVALID, "“roles”" },
    { "stream-missing-url", CAMERA_WITH_STREAM ("{\"name\":\"s\"}"),
      VG_ERROR_INVALID, "missing field “url”" },
    { "stream-missing-name", CAMERA_WITH_STREAM ("{\"url\":\"rtsp://h/\"}"),
      VG_ERROR_INVALID, "missing field “name”" },
    { "stream-unknown-field", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"rtsp://h/\","
                                                  "\"codec\":\"h264\"}"),
      VG_ERROR_INVALID, "unknown field “codec” in stream" },
    { "recording-array", CAMERA_WITH (",\"recording\":[]"), VG_ERROR_INVALID, "“recording”" },
    { "recording-null", CAMERA_WITH (",\"recording\":null"), VG_ERROR_INVALID, "“recording”" },
    { "mode-number", CAMERA_WITH (",\"recording\":{\"mode\":1}"), VG_ERROR_INVALID, "“mode”" },
    { "mode-unknown", CAMERA_WITH (",\"recording\":{\"mode\":\"always\"}"),
      VG_ERROR_INVALID, "always" },
    { "recording-unknown-field", CAMERA_WITH (",\"recording\":{\"fps\":5}"),
      VG_ERROR_INVALID, "unknown field “fps” in recording" },
    { "missing-name", "{\"streams\":[" STREAM_OK "]}", VG_ERROR_INVALID,
      "missing field “name”" },
    { "missing-streams", "{\"name\":\"c\"}", VG_ERROR_INVALID, "missing field “streams”" },
    { "empty-streams", "{\"name\":\"c\",\"streams\":[]}", VG_ERROR_INVALID, "streams" },
    { "duplicate-stream-names", "{\"name\":\"c\",\"streams\":[" STREAM_OK "," STREAM_OK "]}",
      VG_ERROR_INVALID, "“main”" },
    { "stream-name-slash", CAMERA_WITH_STREAM ("{\"name\":\"a/b\",\"url\":\"rtsp://h/\"}"),
      VG_ERROR_INVALID, "stream name" },
    { "stream-name-dotdot", CAMERA_WITH_STREAM ("{\"name\":\"..\",\"url\":\"rtsp://h/\"}"),
      VG_ERROR_INVALID, "stream name" },
    { "unknown-field", CAMERA_WITH (",\"foo\":1"), VG_ERROR_INVALID,
      "unknown field “foo” in camera" },
    { "unknown-role", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"rtsp://h/\","
                                          "\"roles\":[\"live\",\"ptz\"]}"),
      VG_ERROR_INVALID, "unknown role “ptz”" },
    { "url-file-scheme", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"file:///etc/passwd\"}"),
      VG_ERROR_INVALID, "scheme" },
    { "url-no-host", CAMERA_WITH_STREAM ("{\"name\":\"s\",\"url\":\"rtsp:///x\"}"),
      VG_ERROR_INVALID, "host" },
    { "retention-0", CAMERA_WITH (",\"recording\":{\"retention_days\":0}"),
      VG_ERROR_INVALID, "from 1 to 3650" },
    { "retention-3651", CAMERA_WITH (",\"recording\":{\"retention_days\":3651}"),
      VG_ERROR_INVALID, "from 1 to 3650" },
    { "retention-negative", CAMERA_WITH (",\"recording\":{\"retention_days\":-1}"),
      VG_ERROR_INVALID, "from 1 to 3650" },
    { "retention-huge", CAMERA_WITH (",\"recording\":{\"retention_days\":4294967326}"),
      VG_ERROR_INVALID, "from 1 to 3650" },
    { "retention-overflow", CAMERA_WITH (",\"recording\":{\"retention_days\":"
                                         "18446744073709551646}"),
      VG_ERROR_INVALID, "64 bits" },
    { "retention-string", CAMERA_WITH (",\"recording\":{\"retention_days\":\"30\"}"),
      VG_ERROR_INVALID, "“retention_days”" },
    { "retention-float", CAMERA_WITH (",\"recording\":{\"retention_days\":1.5}"),
      VG_ERROR_INVALID, "“retention_days”" },
    { "retention-float-whole", CAMERA_WITH (",\"recording\":{\"retention_days\":30.0}"),
      VG_ERROR_INVALID, "“retention_days”" },
  };
  GPtrArray *bodies = g_ptr_array_new_with_free_func (bad_body_free);
  GString *body;

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    add_bad_body (bodies, table[i].name, g_strdup (table[i].body), table[i].code,
                  table[i].message_part);

  body = g_string_new ("{\"name\":\"c\",\"streams\":[");
  for (guint i = 0; i < VG_CAMERA_STREAMS_MAX + 1; i++)
    g_string_append_printf (body, "%s{\"name\":\"s%u\",\"url\":\"rtsp://h/%u\"}",
                            i > 0 ? "," : "", i, i);
  g_string_append (body, "]}");
  add_bad_body (bodies, "9-streams", g_string_free (body, FALSE), VG_ERROR_INVALID, "1 to 8");

  body = g_string_new ("{\"name\":\"");
  for (guint i = 0; i < VG_CAMERA_NAME_MAX + 1; i++)
    g_string_append_c (body, 'a');
  g_string_append (body, "\",\"streams\":[" STREAM_OK "]}");
  add_bad_body (bodies, "name-201-chars", g_string_free (body, FALSE), VG_ERROR_INVALID,
                "at most 200");

  return bodies;
}

static void
test_camera_bad_body (gconstpointer data)
{
  const BadBody *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VgCamera) camera = NULL;

  /* TAP output must stay UTF-8. */
  if (g_utf8_validate (bad->body, -1, NULL))
    g_test_message ("body: %s", bad->body);
  node = vg_json_parse (bad->body, strlen (bad->body), &error);
  if (node != NULL)
    {
      camera = vg_camera_new_from_json (node, &error);
      g_assert_null (camera);
    }

  g_assert_error (error, VG_ERROR, (gint) bad->code);
  g_test_message ("message: %s", error->message);
  if (bad->message_part != NULL)
    g_assert_nonnull (strstr (error->message, bad->message_part));
}

static VgCamera *
example_camera_new (void)
{
  g_autoptr(JsonNode) node = parse (example_camera);
  g_autoptr(GError) error = NULL;
  VgCamera *camera = vg_camera_new_from_json (node, &error);

  g_assert_no_error (error);
  vg_camera_set_id (camera, 7);
  return camera;
}

static void
test_camera_copy (void)
{
  g_autoptr(VgCamera) camera = example_camera_new ();
  g_autoptr(VgCamera) copy = vg_camera_copy (camera);
  VgStream *original_stream = g_ptr_array_index (vg_camera_get_streams (camera), 0);
  VgStream *copied_stream = g_ptr_array_index (vg_camera_get_streams (copy), 0);

  assert_cameras_equal (camera, copy);
  g_assert_cmpint (vg_camera_get_id (copy), ==, 7);

  /* Deep: changing the copy's stream leaves the original alone. */
  g_assert_true (original_stream != copied_stream);
  vg_stream_set_name (copied_stream, "changed");
  g_assert_cmpstr (vg_stream_get_name (original_stream), ==, "main");
}

static void
test_camera_patch (void)
{
  g_autoptr(VgCamera) camera = example_camera_new ();
  g_autoptr(JsonNode) patch =
    parse ("{\"name\":\"Gate 2\",\"enabled\":true,\"id\":99,"
           "\"recording\":{\"retention_days\":60}}");
  g_autoptr(GError) error = NULL;
  VgStream *first_stream = g_ptr_array_index (vg_camera_get_streams (camera), 0);
  NotifyLog log;

  notify_log_init (&log, camera);
  g_assert_true (vg_camera_apply_json_patch (camera, patch, &error));
  g_assert_no_error (error);

  g_assert_cmpint (vg_camera_get_id (camera), ==, 7);
  g_assert_cmpstr (vg_camera_get_name (camera), ==, "Gate 2");
  g_assert_true (vg_camera_get_enabled (camera));
  g_assert_cmpint (vg_camera_get_recording_mode (camera), ==, VG_RECORDING_MODE_CONTINUOUS);
  g_assert_cmpuint (vg_camera_get_retention_days (camera), ==, 60);
  g_assert_cmpuint (vg_camera_get_streams (camera)->len, ==, 2);
  /* Streams not in the patch are not replaced. */
  g_assert_true (g_ptr_array_index (vg_camera_get_streams (camera), 0) == first_stream);

  /* Only what changed is notified. */
  g_assert_cmpuint (notify_log_count (&log, "name"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "retention-days"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 2);
  notify_log_clear (&log, camera);
}

static void
test_camera_patch_streams (void)
{
  g_autoptr(VgCamera) camera = example_camera_new ();
  g_autoptr(JsonNode) patch =
    parse ("{\"streams\":[{\"name\":\"only\",\"url\":\"rtsp://10.0.0.6/\","
           "\"roles\":[\"record\",\"live\",\"mosaic\"]}],"
           "\"recording\":{\"mode\":\"off\"}}");
  g_autoptr(GError) error = NULL;
  GPtrArray *streams;
  NotifyLog log;

  notify_log_init (&log, camera);
  g_assert_true (vg_camera_apply_json_patch (camera, patch, &error));
  g_assert_no_error (error);

  streams = vg_camera_get_streams (camera);
  g_assert_cmpuint (streams->len, ==, 1);
  g_assert_cmpstr (vg_stream_get_name (g_ptr_array_index (streams, 0)), ==, "only");
  g_assert_cmpint (vg_camera_get_recording_mode (camera), ==, VG_RECORDING_MODE_OFF);
  g_assert_cmpstr (vg_camera_get_name (camera), ==, "Gate");
  g_assert_cmpuint (notify_log_count (&log, "streams"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "recording-mode"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 2);
  notify_log_clear (&log, camera);
}

static void
test_camera_patch_atomic (void)
{
  /* Each patch has valid fields before the bad one: none of them may stick. */
  static const char *const patches[] = {
    "{\"name\":\"New\",\"enabled\":false,\"recording\":{\"retention_days\":0}}",
    "{\"name\":\"New\",\"enabled\":false,\"recording\":{\"mode\":\"off\",\"retention_days\":1.5}}",
    "{\"name\":\"New\",\"enabled\":false,\"recording\":{\"mode\":\"sometimes\"}}",
    "{\"name\":\"New\",\"enabled\":false,\"streams\":[]}",
    "{\"name\":\"New\",\"enabled\":false,\"streams\":[{\"name\":\"x\",\"url\":\"file:///etc/passwd\"}]}",
    "{\"name\":\"New\",\"enabled\":false,\"streams\":[{\"name\":\"x\",\"url\":\"rtsp://h/\"},"
    "{\"name\":\"x\",\"url\":\"rtsp://h/\"}]}",
    "{\"name\":\"New\",\"enabled\":false,\"foo\":1}",
    "{\"name\":\"\",\"enabled\":false}",
    "{\"enabled\":false,\"name\":null}",
    "{\"enabled\":false,\"id\":\"7\"}",
    "[]",
  };
  g_autoptr(VgCamera) camera = example_camera_new ();
  g_autofree char *before = to_string_and_free (vg_camera_to_json (camera));
  GPtrArray *streams = vg_camera_get_streams (camera);
  VgStream *first_stream = g_ptr_array_index (streams, 0);
  NotifyLog log;

  notify_log_init (&log, camera);
  for (gsize i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      g_autoptr(JsonNode) patch = parse (patches[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("patch: %s", patches[i]);
      g_assert_false (vg_camera_apply_json_patch (camera, patch, &error));
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);

      after = to_string_and_free (vg_camera_to_json (camera));
      g_assert_cmpstr (after, ==, before);
      g_assert_true (vg_camera_get_streams (camera) == streams);
      g_assert_true (g_ptr_array_index (streams, 0) == first_stream);
    }
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);
  notify_log_clear (&log, camera);
}

static void
test_camera_notify (void)
{
  g_autoptr(VgCamera) camera = vg_camera_new ();
  g_autoptr(VgStream) stream = vg_stream_new ("main", "rtsp://h/", 0);
  NotifyLog log;

  notify_log_init (&log, camera);
  vg_camera_set_id (camera, 0);
  vg_camera_set_enabled (camera, TRUE);
  vg_camera_set_recording_mode (camera, VG_RECORDING_MODE_CONTINUOUS);
  vg_camera_set_retention_days (camera, 30);
  vg_camera_set_name (camera, NULL);
  vg_camera_clear_streams (camera);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);

  vg_camera_set_id (camera, 3);
  vg_camera_set_name (camera, "a");
  vg_camera_set_name (camera, "a");
  vg_camera_set_enabled (camera, FALSE);
  vg_camera_set_recording_mode (camera, VG_RECORDING_MODE_ALARM);
  g_object_set (camera, "retention-days", 10, "recording-mode", VG_RECORDING_MODE_ALARM, NULL);
  vg_camera_add_stream (camera, stream);
  vg_camera_clear_streams (camera);
  g_assert_cmpuint (notify_log_count (&log, "id"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "name"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "enabled"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "recording-mode"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "retention-days"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "streams"), ==, 2);
  notify_log_clear (&log, camera);
}

/* users */

static void
test_user_json_round_trip (void)
{
  g_autoptr(VgUser) user = vg_user_new ("alice.b@site-1", VG_USER_ROLE_OPERATOR);
  g_autoptr(VgUser) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  vg_user_set_id (user, 12);
  vg_user_set_enabled (user, FALSE);
  vg_user_set_password (user, "correct horse battery staple");
  g_assert_true (vg_user_validate (user, &error));
  g_assert_no_error (error);

  /* Never the password. */
  json = to_string_and_free (vg_user_to_json (user));
  g_assert_cmpstr (json, ==,
                   "{\"id\":12,\"name\":\"alice.b@site-1\",\"role\":\"operator\","
                   "\"enabled\":false}");

  /* A creation body needs the password too. */
  node = parse (json);
  copy = vg_user_new_from_json (node, &error);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "missing field “password”");
  g_assert_null (copy);
  g_clear_error (&error);

  json_object_set_string_member (json_node_get_object (node), "password", "another secret");
  copy = vg_user_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vg_user_get_id (copy), ==, 0);
  g_assert_cmpstr (vg_user_get_name (copy), ==, vg_user_get_name (user));
  g_assert_cmpint (vg_user_get_role (copy), ==, vg_user_get_role (user));
  g_assert_cmpint (vg_user_get_enabled (copy), ==, vg_user_get_enabled (user));
  g_assert_cmpstr (vg_user_get_password (copy), ==, "another secret");
}

static void
test_user_defaults (void)
{
  g_autoptr(JsonNode) node = parse ("{\"name\":\"bob\",\"password\":\"12345678\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(VgUser) user = vg_user_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpint (vg_user_get_role (user), ==, VG_USER_ROLE_VIEWER);
  g_assert_true (vg_user_get_enabled (user));
}

static void
test_user_roles (void)
{
  static const char *const names[] = { "viewer", "operator", "admin" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      VgUserRole role = (VgUserRole) 99;

      g_assert_true (vg_user_role_from_string (names[i], &role));
      g_assert_cmpint (role, ==, (VgUserRole) i);
      g_assert_cmpstr (vg_user_role_to_string (role), ==, names[i]);
    }
  {
    VgUserRole role = VG_USER_ROLE_ADMIN;

    g_assert_false (vg_user_role_from_string ("root", &role));
    g_assert_cmpint (role, ==, VG_USER_ROLE_ADMIN);
  }
}

static void
test_user_bad_bodies (void)
{
  static const char *const bodies[] = {
    "[]",
    "{\"password\":\"12345678\"}",
    "{\"name\":\"bob\"}",
    "{\"name\":\"\",\"password\":\"12345678\"}",
    "{\"name\":\"bob smith\",\"password\":\"12345678\"}",
    "{\"name\":\"bob/..\",\"password\":\"12345678\"}",
    "{\"name\":\"0123456789012345678901234567890123456789012345678901234567890123x\","
    "\"password\":\"12345678\"}",
    "{\"name\":\"bob\",\"password\":\"1234567\"}",
    "{\"name\":\"bob\",\"password\":12345678}",
    "{\"name\":\"bob\",\"password\":\"12345678\",\"role\":\"root\"}",
    "{\"name\":\"bob\",\"password\":\"12345678\",\"role\":2}",
    "{\"name\":\"bob\",\"password\":\"12345678\",\"enabled\":\"true\"}",
    "{\"name\":\"bob\",\"password\":\"12345678\",\"id\":\"1\"}",
    "{\"name\":\"bob\",\"password\":\"12345678\",\"password_hash\":\"x\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) node = parse (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgUser) user = vg_user_new_from_json (node, &error);

      g_test_message ("body: %s", bodies[i]);
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
      g_assert_null (user);
    }
}

static void
test_user_password_limits (void)
{
  g_autoptr(VgUser) user = vg_user_new ("bob", VG_USER_ROLE_ADMIN);
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = g_strnfill (VG_USER_PASSWORD_MAX, 'x');
  g_autofree char *too_long = g_strnfill (VG_USER_PASSWORD_MAX + 1, 'x');
  g_autofree char *name = g_strnfill (VG_USER_NAME_MAX, 'n');

  /* No password at all is fine (a user read from the database). */
  g_assert_true (vg_user_validate (user, &error));
  vg_user_set_password (user, longest);
  g_assert_true (vg_user_validate (user, &error));
  vg_user_set_name (user, name);
  g_assert_true (vg_user_validate (user, &error));
  g_assert_no_error (error);

  vg_user_set_password (user, too_long);
  g_assert_false (vg_user_validate (user, &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
}

static void
test_user_patch (void)
{
  g_autoptr(VgUser) user = vg_user_new ("bob", VG_USER_ROLE_VIEWER);
  g_autoptr(JsonNode) patch = parse ("{\"role\":\"admin\",\"password\":\"new password\","
                                     "\"id\":5}");
  g_autoptr(GError) error = NULL;
  NotifyLog log;

  vg_user_set_id (user, 3);
  notify_log_init (&log, user);
  g_assert_true (vg_user_apply_json_patch (user, patch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vg_user_get_id (user), ==, 3);
  g_assert_cmpstr (vg_user_get_name (user), ==, "bob");
  g_assert_cmpint (vg_user_get_role (user), ==, VG_USER_ROLE_ADMIN);
  g_assert_cmpstr (vg_user_get_password (user), ==, "new password");
  g_assert_true (vg_user_get_enabled (user));
  g_assert_cmpuint (notify_log_count (&log, "role"), ==, 1);
  g_assert_cmpuint (notify_log_count (&log, "password"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 2);
  notify_log_clear (&log, user);
}

static void
test_user_patch_atomic (void)
{
  static const char *const patches[] = {
    "{\"role\":\"admin\",\"enabled\":false,\"password\":\"short\"}",
    "{\"role\":\"admin\",\"enabled\":false,\"name\":\"bad name\"}",
    "{\"enabled\":false,\"role\":\"superuser\"}",
    "{\"role\":\"admin\",\"enabled\":false,\"email\":\"a@b\"}",
    "{\"role\":\"admin\",\"enabled\":0}",
    "\"admin\"",
  };
  g_autoptr(VgUser) user = vg_user_new ("bob", VG_USER_ROLE_VIEWER);
  NotifyLog log;

  notify_log_init (&log, user);
  for (gsize i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      g_autoptr(JsonNode) patch = parse (patches[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("patch: %s", patches[i]);
      g_assert_false (vg_user_apply_json_patch (user, patch, &error));
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
      g_assert_cmpstr (vg_user_get_name (user), ==, "bob");
      g_assert_cmpint (vg_user_get_role (user), ==, VG_USER_ROLE_VIEWER);
      g_assert_true (vg_user_get_enabled (user));
      g_assert_null (vg_user_get_password (user));
    }
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);
  notify_log_clear (&log, user);
}

/* sessions */

static void
test_session_json_round_trip (void)
{
  g_autoptr(GTimeZone) plus1 = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) expires = g_date_time_new (plus1, 2026, 11, 22, 11, 0, 0);
  g_autoptr(VgSession) session = vg_session_new ("tok-123", expires);
  g_autoptr(VgUser) user = vg_user_new ("carol", VG_USER_ROLE_ADMIN);
  g_autoptr(VgSession) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  VgUser *copied_user;

  /* Kept in UTC. */
  g_assert_cmpint (g_date_time_get_utc_offset (vg_session_get_expires (session)), ==, 0);
  g_assert_true (g_date_time_equal (vg_session_get_expires (session), expires));

  vg_user_set_id (user, 4);
  vg_user_set_password (user, "never shown");
  vg_session_set_user (session, user);
  json = to_string_and_free (vg_session_to_json (session));
  g_assert_cmpstr (json, ==,
                   "{\"token\":\"tok-123\",\"expires\":\"2026-11-22T10:00:00Z\","
                   "\"user\":{\"id\":4,\"name\":\"carol\",\"role\":\"admin\","
                   "\"enabled\":true}}");

  node = parse (json);
  copy = vg_session_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_session_get_token (copy), ==, "tok-123");
  g_assert_true (g_date_time_equal (vg_session_get_expires (copy), expires));
  copied_user = vg_session_get_user (copy);
  g_assert_nonnull (copied_user);
  g_assert_cmpint (vg_user_get_id (copied_user), ==, 4);
  g_assert_cmpstr (vg_user_get_name (copied_user), ==, "carol");
  g_assert_cmpint (vg_user_get_role (copied_user), ==, VG_USER_ROLE_ADMIN);
  g_assert_true (vg_user_get_enabled (copied_user));
  g_assert_null (vg_user_get_password (copied_user));

  json2 = to_string_and_free (vg_session_to_json (copy));
  g_assert_cmpstr (json2, ==, json);
}

static void
test_session_without_user (void)
{
  g_autoptr(JsonNode) node =
    parse ("{\"token\":\"t\",\"expires\":\"2026-11-22T12:00:00+02:00\",\"extra\":1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(VgSession) session = vg_session_new_from_json (node, &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_null (vg_session_get_user (session));
  json = to_string_and_free (vg_session_to_json (session));
  g_assert_cmpstr (json, ==, "{\"token\":\"t\",\"expires\":\"2026-11-22T10:00:00Z\"}");
}

static void
test_session_bad_bodies (void)
{
  static const char *const bodies[] = {
    "[]",
    "{\"expires\":\"2026-11-22T10:00:00Z\"}",
    "{\"token\":\"\",\"expires\":\"2026-11-22T10:00:00Z\"}",
    "{\"token\":1,\"expires\":\"2026-11-22T10:00:00Z\"}",
    "{\"token\":\"t\"}",
    "{\"token\":\"t\",\"expires\":\"2026-11-22T10:00:00\"}",
    "{\"token\":\"t\",\"expires\":1700000000}",
    "{\"token\":\"t\",\"expires\":\"2026-11-22T10:00:00Z\",\"user\":\"carol\"}",
    "{\"token\":\"t\",\"expires\":\"2026-11-22T10:00:00Z\",\"user\":{\"name\":\"carol\"}}",
    "{\"token\":\"t\",\"expires\":\"2026-11-22T10:00:00Z\","
    "\"user\":{\"id\":1,\"name\":\"carol\",\"role\":\"god\"}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) node = parse (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgSession) session = vg_session_new_from_json (node, &error);

      g_test_message ("body: %s", bodies[i]);
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
      g_assert_null (session);
    }
}

static void
test_session_expired (void)
{
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2026, 11, 22, 10, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_add_seconds (expires, -1);
  g_autoptr(GDateTime) after = g_date_time_add_seconds (expires, 1);
  g_autoptr(GDateTime) far_future = g_date_time_new_utc (9000, 1, 1, 0, 0, 0);
  g_autoptr(VgSession) session = vg_session_new ("t", expires);
  g_autoptr(VgSession) lasting = vg_session_new ("t", far_future);

  g_assert_false (vg_session_is_expired (session, before));
  g_assert_true (vg_session_is_expired (session, expires));
  g_assert_true (vg_session_is_expired (session, after));
  g_assert_false (vg_session_is_expired (lasting, NULL));
}

/* server information */

static void
test_server_info_json_round_trip (void)
{
  g_autoptr(GTimeZone) minus3 = g_time_zone_new_offset (-3 * 3600);
  g_autoptr(GDateTime) time = g_date_time_new (minus3, 2026, 11, 22, 7, 0, 0.5);
  g_autoptr(VgServerInfo) info =
    vg_server_info_new ("node-1", "0.1.0", time, "Europe/Paris", 86400);
  g_autoptr(VgServerInfo) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  g_assert_cmpint (g_date_time_get_utc_offset (vg_server_info_get_time (info)), ==, 0);

  json = to_string_and_free (vg_server_info_to_json (info));
  g_assert_cmpstr (json, ==,
                   "{\"name\":\"node-1\",\"version\":\"0.1.0\","
                   "\"time\":\"2026-11-22T10:00:00.500Z\",\"time_zone\":\"Europe/Paris\","
                   "\"uptime\":86400,\"rtsp_port\":8554,\"rtsps_port\":8554}");

  /* The relay's ports: told, or defaults for a node that does not tell them */
  {
    g_autoptr(JsonNode) old = parse ("{\"name\":\"n\",\"version\":\"0.1.0\","
                                     "\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
                                     "\"uptime\":1}");
    g_autoptr(JsonNode) told = parse ("{\"name\":\"n\",\"version\":\"0.1.0\","
                                      "\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
                                      "\"uptime\":1,\"rtsp_port\":9554,\"rtsps_port\":9555}");
    g_autoptr(JsonNode) same = parse ("{\"name\":\"n\",\"version\":\"0.1.0\","
                                      "\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
                                      "\"uptime\":1,\"rtsp_port\":9554,\"rtsps_port\":\"x\"}");
    g_autoptr(VgServerInfo) old_info = vg_server_info_new_from_json (old, &error);
    g_autoptr(VgServerInfo) told_info = vg_server_info_new_from_json (told, &error);
    g_autoptr(VgServerInfo) same_info = vg_server_info_new_from_json (same, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (vg_server_info_get_rtsp_port (old_info), ==, 8554);
    g_assert_cmpuint (vg_server_info_get_rtsps_port (old_info), ==, 8554);
    g_assert_cmpuint (vg_server_info_get_rtsp_port (told_info), ==, 9554);
    g_assert_cmpuint (vg_server_info_get_rtsps_port (told_info), ==, 9555);
    g_assert_cmpuint (vg_server_info_get_rtsp_port (same_info), ==, 9554);
    g_assert_cmpuint (vg_server_info_get_rtsps_port (same_info), ==, 9554);
  }

  node = parse (json);
  copy = vg_server_info_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_server_info_get_name (copy), ==, "node-1");
  g_assert_cmpstr (vg_server_info_get_version (copy), ==, "0.1.0");
  g_assert_true (g_date_time_equal (vg_server_info_get_time (copy), time));
  g_assert_cmpstr (vg_server_info_get_time_zone (copy), ==, "Europe/Paris");
  g_assert_cmpint (vg_server_info_get_uptime (copy), ==, 86400);

  json2 = to_string_and_free (vg_server_info_to_json (copy));
  g_assert_cmpstr (json2, ==, json);
}

static void
test_server_info_bad_bodies (void)
{
  static const char *const bodies[] = {
    "null",
    "{\"version\":\"1\",\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\",\"uptime\":1}",
    "{\"name\":\"n\",\"version\":1,\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
    "\"uptime\":1}",
    "{\"name\":\"n\",\"version\":\"1\",\"time\":\"now\",\"time_zone\":\"UTC\",\"uptime\":1}",
    "{\"name\":\"n\",\"version\":\"1\",\"time\":\"2026-11-22T10:00:00Z\",\"uptime\":1}",
    "{\"name\":\"n\",\"version\":\"1\",\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
    "\"uptime\":-1}",
    "{\"name\":\"n\",\"version\":\"1\",\"time\":\"2026-11-22T10:00:00Z\",\"time_zone\":\"UTC\","
    "\"uptime\":1.5}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) node = parse (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgServerInfo) info = vg_server_info_new_from_json (node, &error);

      g_test_message ("body: %s", bodies[i]);
      g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
      g_assert_null (info);
    }
}

/* What a newer node may send: fields, roles and modes this version does not know.
 * Requests stay strict; responses are read leniently. */
static void
test_camera_response_lenient (void)
{
  const char *json =
    "{\"id\": 7, \"name\": \"Gate\", \"enabled\": true, \"ptz\": {\"presets\": []},"
    " \"streams\": [{\"name\": \"main\", \"url\": \"rtsp://h/s\", \"roles\": [\"record\", \"teleport\"],"
    "               \"codec\": \"h266\"}],"
    " \"recording\": {\"mode\": \"quantum\", \"retention_days\": 12, \"disk\": 2}}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(VgCamera) strict = NULL;
  g_autoptr(VgCamera) lenient = NULL;
  g_autoptr(GError) error = NULL;

  strict = vg_camera_new_from_json (node, &error);
  g_assert_null (strict);
  g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  g_clear_error (&error);

  lenient = vg_camera_new_from_json_response (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vg_camera_get_id (lenient), ==, 7);
  g_assert_cmpstr (vg_camera_get_name (lenient), ==, "Gate");
  g_assert_cmpuint (vg_camera_get_retention_days (lenient), ==, 12);
  g_assert_cmpint (vg_camera_get_recording_mode (lenient), ==, VG_RECORDING_MODE_OFF);
  g_assert_cmpuint (vg_stream_get_roles (vg_camera_find_stream (lenient, "main")), ==, VG_STREAM_ROLE_RECORD);

  /* Lenient is not careless: wrong types still fail. */
  {
    g_autoptr(JsonNode) bad = json_from_string ("{\"id\": 7, \"name\": 5, \"streams\": []}", NULL);
    g_assert_null (vg_camera_new_from_json_response (bad, &error));
    g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
  }
}

/* streams[].transport: the four ways RTP comes from a camera; anything else refused. */
static void
test_stream_transport (void)
{
  const char *const names[] = { "tcp", "udp", "multicast", "http" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", "
                                               "\"transport\": \"%s\"}", names[i]);
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgStream) stream = vg_stream_new_from_json (node, &error);
      g_autoptr(JsonNode) back = NULL;
      JsonObject *object;

      g_assert_no_error (error);
      g_assert_cmpint (vg_stream_get_transport (stream), ==, (VgStreamTransport) i);
      back = vg_stream_to_json (stream);
      object = json_node_get_object (back);
      if (i == VG_STREAM_TRANSPORT_TCP)
        g_assert_false (json_object_has_member (object, "transport"));
      else
        g_assert_cmpstr (json_object_get_string_member (object, "transport"), ==, names[i]);
    }
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", "
                                                 "\"transport\": \"rtsph\"}", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(VgStream) stream = vg_stream_new_from_json (node, &error);

    g_assert_null (stream);
    g_assert_error (error, VG_ERROR, VG_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "http"));
  }
}

/* streams[].ingest and keep_open (ACQ-1, ACQ-6): round trips, defaults left out,
 * anything else refused. */
static void
test_stream_ingest_and_keep_open (void)
{
  const char *const good = "{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", "
                           "\"ingest\": \"gstreamer\", \"keep_open\": true}";
  const char *const bad[] = {
    "{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", \"ingest\": \"ffmpeg\"}",
    "{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", \"ingest\": 1}",
    "{\"name\": \"main\", \"url\": \"rtsp://192.0.2.1/s\", \"keep_open\": \"yes\"}",
  };
  g_autoptr(JsonNode) node = json_from_string (good, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VgStream) stream = vg_stream_new_from_json (node, &error);
  g_autoptr(VgStream) plain = vg_stream_new ("main", "rtsp://192.0.2.1/s", VG_STREAM_ROLE_LIVE);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) plain_back = vg_stream_to_json (plain);

  g_assert_no_error (error);
  g_assert_cmpint (vg_stream_get_ingest (stream), ==, VG_STREAM_INGEST_GSTREAMER);
  g_assert_true (vg_stream_get_keep_open (stream));
  back = vg_stream_to_json (stream);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), "ingest"), ==, "gstreamer");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (back), "keep_open"));
  g_assert_false (json_object_has_member (json_node_get_object (plain_back), "ingest"));
  g_assert_false (json_object_has_member (json_node_get_object (plain_back), "keep_open"));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) bad_node = json_from_string (bad[i], NULL);
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(VgStream) refused = vg_stream_new_from_json (bad_node, &bad_error);

      g_assert_null (refused);
      g_assert_error (bad_error, VG_ERROR, VG_ERROR_INVALID);
    }
}

/* streams[].tls_fingerprint (ACQ-1): a SHA-256 fingerprint, as hex or as openssl prints
 * it, kept as lower-case hex; anything else refused; absent when none. */
static void
test_stream_tls_fingerprint (void)
{
  const char *const hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const char *const good[] = {
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": "
    "\"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": "
    "\"01:23:45:67:89:AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef\"}",
  };
  const char *const bad[] = {
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": \"0123\"}",
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": 12}",
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": "
    "\"0:123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    "{\"name\": \"main\", \"url\": \"rtsps://192.0.2.1/s\", \"tls_fingerprint\": "
    "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\"}",
  };
  g_autoptr(VgStream) plain = vg_stream_new ("main", "rtsps://192.0.2.1/s", VG_STREAM_ROLE_LIVE);
  g_autoptr(JsonNode) plain_back = vg_stream_to_json (plain);

  g_assert_null (vg_stream_get_tls_fingerprint (plain));
  g_assert_false (json_object_has_member (json_node_get_object (plain_back), "tls_fingerprint"));
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (good[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(VgStream) stream = vg_stream_new_from_json (node, &error);
      g_autoptr(JsonNode) back = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (vg_stream_get_tls_fingerprint (stream), ==, hex);
      back = vg_stream_to_json (stream);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), "tls_fingerprint"), ==, hex);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) bad_node = json_from_string (bad[i], NULL);
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(VgStream) refused = vg_stream_new_from_json (bad_node, &bad_error);

      g_assert_null (refused);
      g_assert_error (bad_error, VG_ERROR, VG_ERROR_INVALID);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GPtrArray) bad_bodies = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/mapping", test_error_mapping);
  g_test_add_func ("/stream/transport", test_stream_transport);
  g_test_add_func ("/stream/ingest-and-keep-open", test_stream_ingest_and_keep_open);
  g_test_add_func ("/stream/tls-fingerprint", test_stream_tls_fingerprint);

  g_test_add_func ("/json/parse/errors", test_json_parse_errors);
  g_test_add_func ("/json/parse/messages", test_json_parse_messages);
  g_test_add_func ("/json/parse/valid", test_json_parse_valid);
  g_test_add_func ("/json/members", test_json_members);
  g_test_add_func ("/json/check-fields", test_json_check_fields);
  g_test_add_func ("/json/to-string", test_json_to_string);
  g_test_add_func ("/json/time/format", test_time_format);
  g_test_add_func ("/json/time/parse", test_time_parse);

  g_test_add_func ("/stream/json", test_stream_json);
  g_test_add_func ("/stream/roles", test_stream_roles);
  g_test_add_func ("/stream/validate", test_stream_validate);
  g_test_add_func ("/stream/url-limits", test_stream_url_limits);
  g_test_add_func ("/stream/url-not-in-messages", test_stream_url_not_in_messages);
  g_test_add_func ("/stream/notify", test_stream_notify);

  g_test_add_func ("/camera/example", test_camera_example);
  g_test_add_func ("/camera/defaults", test_camera_defaults);
  g_test_add_func ("/camera/json-round-trip", test_camera_json_round_trip);
  g_test_add_func ("/camera/recording-modes", test_camera_recording_modes);
  g_test_add_func ("/camera/name-length", test_camera_name_length);
  g_test_add_func ("/camera/copy", test_camera_copy);
  g_test_add_func ("/camera/patch", test_camera_patch);
  g_test_add_func ("/camera/patch-streams", test_camera_patch_streams);
  g_test_add_func ("/camera/patch-atomic", test_camera_patch_atomic);
  g_test_add_func ("/camera/notify", test_camera_notify);

  bad_bodies = bad_camera_bodies ();
  for (guint i = 0; i < bad_bodies->len; i++)
    {
      const BadBody *bad = g_ptr_array_index (bad_bodies, i);
      g_autofree char *path = g_strdup_printf ("/camera/bad-body/%s", bad->name);

      g_test_add_data_func (path, bad, test_camera_bad_body);
    }

  g_test_add_func ("/user/json-round-trip", test_user_json_round_trip);
  g_test_add_func ("/user/defaults", test_user_defaults);
  g_test_add_func ("/user/roles", test_user_roles);
  g_test_add_func ("/user/bad-bodies", test_user_bad_bodies);
  g_test_add_func ("/user/password-limits", test_user_password_limits);
  g_test_add_func ("/user/patch", test_user_patch);
  g_test_add_func ("/user/patch-atomic", test_user_patch_atomic);

  g_test_add_func ("/session/json-round-trip", test_session_json_round_trip);
  g_test_add_func ("/session/without-user", test_session_without_user);
  g_test_add_func ("/session/bad-bodies", test_session_bad_bodies);
  g_test_add_func ("/session/expired", test_session_expired);

  g_test_add_func ("/server-info/json-round-trip", test_server_info_json_round_trip);
  g_test_add_func ("/server-info/bad-bodies", test_server_info_bad_bodies);
  g_test_add_func ("/camera/response-lenient", test_camera_response_lenient);

  status = g_test_run ();
  return status;
}
