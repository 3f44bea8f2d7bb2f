/* vg-json.h: strict reading of JSON request and response bodies, ISO 8601 times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VG_JSON_MAX_DEPTH 64

/* Parses UTF-8 JSON (at most VG_JSON_MAX_DEPTH levels deep); VG_ERROR_BAD_REQUEST with the parser's message when malformed. */
JsonNode   *vg_json_parse               (const char *data, gsize length, GError **error);
/* Compact serialisation. */
char       *vg_json_to_string           (JsonNode *node);

/* VG_ERROR_INVALID unless node is an object; what names it in the message. */
JsonObject *vg_json_require_object      (JsonNode *node, const char *what, GError **error);
/* VG_ERROR_INVALID naming the first member of object not in allowed (NULL-terminated). */
gboolean    vg_json_check_fields        (JsonObject *object, const char *const *allowed,
                                         const char *what, GError **error);

/* Typed members. A missing member is an error only when required; *out is then left
 * alone. A member of the wrong type (or null) is always VG_ERROR_INVALID. */
gboolean    vg_json_get_string_member   (JsonObject *object, const char *name, gboolean required,
                                         const char **out, GError **error);
gboolean    vg_json_get_boolean_member  (JsonObject *object, const char *name, gboolean required,
                                         gboolean *out, GError **error);
gboolean    vg_json_get_int_member      (JsonObject *object, const char *name, gboolean required,
                                         gint64 min, gint64 max, gint64 *out, GError **error);
gboolean    vg_json_get_array_member    (JsonObject *object, const char *name, gboolean required,
                                         JsonArray **out, GError **error);
gboolean    vg_json_get_object_member   (JsonObject *object, const char *name, gboolean required,
                                         JsonObject **out, GError **error);

/* "2026-11-22T10:00:00.123Z" (UTC, milliseconds when not whole seconds). */
char       *vg_time_format_iso8601      (GDateTime *time);
/* Any ISO 8601 date-time with an offset or Z, returned in UTC; VG_ERROR_BAD_REQUEST. */
GDateTime  *vg_time_parse_iso8601       (const char *string, GError **error);

/* UTC µs since the epoch ↔ GDateTime (GLib 2.74 has no *_usec variants). */
GDateTime  *vg_time_new_from_unix_usec  (gint64 usec);
gint64      vg_time_to_unix_usec        (GDateTime *time);

G_END_DECLS
