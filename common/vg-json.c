/* vg-json.c: strict reading of JSON request and response bodies, ISO 8601 times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-json.h"

#include <string.h>

#include "vg-error.h"

/* json-glib 1.6 is lenient where we want to be strict: it silently wraps integers
 * beyond 64 bits, and it accepts hexadecimal and leading-zero numbers, single-quoted
 * strings, raw control characters in strings and comments. Once json-glib has accepted
 * a document, this pass looks at its tokens again and refuses what RFC 8259 does not
 * allow, as well as "\u0000", which no C string can hold. */
static gboolean
number_token_is_valid (const char *token, gsize length)
{
  gsize i = 0;

  g_assert (token != NULL);

  if (i < length && token[i] == '-')
    i++;
  if (i >= length || !g_ascii_isdigit (token[i]))
    return FALSE;
  if (token[i] == '0')
    i++;
  else
    while (i < length && g_ascii_isdigit (token[i]))
      i++;

  if (i < length && token[i] == '.')
    {
      i++;
      if (i >= length || !g_ascii_isdigit (token[i]))
        return FALSE;
      while (i < length && g_ascii_isdigit (token[i]))
        i++;
    }

  if (i < length && (token[i] == 'e' || token[i] == 'E'))
    {
      i++;
      if (i < length && (token[i] == '+' || token[i] == '-'))
        i++;
      if (i >= length || !g_ascii_isdigit (token[i]))
        return FALSE;
      while (i < length && g_ascii_isdigit (token[i]))
        i++;
    }

  return i == length;
}

static gboolean
check_tokens (const char *data, gsize length, GError **error)
{
  guint line = 1;
  gsize i = 0;

  g_assert (data != NULL);

  while (i < length)
    {
      char c = data[i];

      if (c == '"')
        {
          /* json-glib already checked the string; find its end, look for raw control
           * characters and \u0000. */
          for (i++; i < length && data[i] != '"'; i++)
            {
              if ((guchar) data[i] < 0x20)
                {
                  g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                               "malformed JSON: line %u: control character in a string",
                               line);
                  return FALSE;
                }
              if (data[i] != '\\')
                continue;
              if (i + 5 < length && memcmp (data + i + 1, "u0000", 5) == 0)
                {
                  g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                               "malformed JSON: line %u: strings must not contain U+0000",
                               line);
                  return FALSE;
                }
              i++;  /* skip the escaped character */
            }
          i++;  /* the closing quote */
        }
      else if (c == '-' || c == '.' || g_ascii_isdigit (c))
        {
          gsize start = i;
          gboolean integer = TRUE;

          while (i < length && (g_ascii_isalnum (data[i]) || data[i] == '.' ||
                                data[i] == '+' || data[i] == '-'))
            {
              if (data[i] == '.' || data[i] == 'e' || data[i] == 'E')
                integer = FALSE;
              i++;
            }

          if (!number_token_is_valid (data + start, i - start))
            {
              g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                           "malformed JSON: line %u: invalid number", line);
              return FALSE;
            }

          if (integer)
            {
              g_autofree char *token = g_strndup (data + start, i - start);

              if (!g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, NULL, NULL))
                {
                  g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                               "line %u: integer too large for 64 bits", line);
                  return FALSE;
                }
            }
        }
      else if (c == '\'' || c == '/')
        {
          g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                       "malformed JSON: line %u: unexpected character “%c”", line, c);
          return FALSE;
        }
      else
        {
          if (c == '\n')
            line++;
          i++;
        }
    }

  return TRUE;
}

/* json-glib's parser recurses once per level: a body of a million "[" would
 * overflow the stack. Count the nesting first, outside strings. */
static gboolean
check_nesting (const char *data, gsize length, GError **error)
{
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > VG_JSON_MAX_DEPTH)
            {
              g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                           "malformed JSON: nested deeper than %d levels", VG_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonNode *
vg_json_parse (const char *data, gsize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_BAD_REQUEST, "empty JSON body");
      return NULL;
    }
  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_TOO_LARGE, "JSON body too large");
      return NULL;
    }
  /* Also refuses NUL bytes. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                           "malformed JSON: not valid UTF-8");
      return NULL;
    }

  if (!check_nesting (data, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_BAD_REQUEST, "malformed JSON: %s",
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_BAD_REQUEST, "empty JSON body");
      return NULL;
    }

  if (!check_tokens (data, length, error))
    return NULL;

  return json_node_ref (root);
}

char *
vg_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return json_to_string (node, FALSE);
}

/* The object is owned by node. */
JsonObject *
vg_json_require_object (JsonNode *node, const char *what, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "%s must be a JSON object", what);
      return NULL;
    }

  return json_node_get_object (node);
}

gboolean
vg_json_check_fields (JsonObject *object, const char *const *allowed, const char *what,
                      GError **error)
{
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (allowed != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* In document order, so that the first unknown field is the one named. */
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "unknown field “%s” in %s",
                       name, what);
          return FALSE;
        }
    }

  return TRUE;
}

/* The member called name; NULL when missing, an error only when it is required. */
static JsonNode *
get_member (JsonObject *object, const char *name, gboolean required, GError **error)
{
  JsonNode *member;

  g_assert (object != NULL);
  g_assert (name != NULL);

  member = json_object_get_member (object, name);
  if (member == NULL && required)
    g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "missing field “%s”", name);

  return member;
}

static gboolean
member_holds_value (JsonNode *member, GType type)
{
  return JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == type;
}

/* *out is owned by object. */
gboolean
vg_json_get_string_member (JsonObject *object, const char *name, gboolean required,
                           const char **out, GError **error)
{
  JsonNode *member;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  member = get_member (object, name, required, error);
  if (member == NULL)
    return !required;

  if (!member_holds_value (member, G_TYPE_STRING))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “%s” must be a string", name);
      return FALSE;
    }

  *out = json_node_get_string (member);
  return TRUE;
}

gboolean
vg_json_get_boolean_member (JsonObject *object, const char *name, gboolean required,
                            gboolean *out, GError **error)
{
  JsonNode *member;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  member = get_member (object, name, required, error);
  if (member == NULL)
    return !required;

  if (!member_holds_value (member, G_TYPE_BOOLEAN))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “%s” must be a boolean", name);
      return FALSE;
    }

  *out = json_node_get_boolean (member);
  return TRUE;
}

/* Only JSON integers: 1.0 and 1e3 are refused like 1.5. */
gboolean
vg_json_get_int_member (JsonObject *object, const char *name, gboolean required,
                        gint64 min, gint64 max, gint64 *out, GError **error)
{
  JsonNode *member;
  gint64 value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (min <= max, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  member = get_member (object, name, required, error);
  if (member == NULL)
    return !required;

  value = member_holds_value (member, G_TYPE_INT64) ? json_node_get_int (member) : 0;
  if (!member_holds_value (member, G_TYPE_INT64) || value < min || value > max)
    {
      if (min == G_MININT64 && max == G_MAXINT64)
        g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “%s” must be an integer",
                     name);
      else if (max == G_MAXINT64)
        g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                     "field “%s” must be an integer of at least %" G_GINT64_FORMAT,
                     name, min);
      else
        g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                     "field “%s” must be an integer from %" G_GINT64_FORMAT
                     " to %" G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* *out is owned by object. */
gboolean
vg_json_get_array_member (JsonObject *object, const char *name, gboolean required,
                          JsonArray **out, GError **error)
{
  JsonNode *member;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  member = get_member (object, name, required, error);
  if (member == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “%s” must be an array", name);
      return FALSE;
    }

  *out = json_node_get_array (member);
  return TRUE;
}

/* *out is owned by object. */
gboolean
vg_json_get_object_member (JsonObject *object, const char *name, gboolean required,
                           JsonObject **out, GError **error)
{
  JsonNode *member;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  member = get_member (object, name, required, error);
  if (member == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “%s” must be an object", name);
      return FALSE;
    }

  *out = json_node_get_object (member);
  return TRUE;
}

char *
vg_time_format_iso8601 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;
  int year, month, day;
  int milliseconds;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  g_date_time_get_ymd (utc, &year, &month, &day);
  seconds = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                             g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                             g_date_time_get_second (utc));

  milliseconds = g_date_time_get_microsecond (utc) / 1000;
  if (milliseconds == 0)
    return g_strconcat (seconds, "Z", NULL);

  return g_strdup_printf ("%s.%03dZ", seconds, milliseconds);
}

GDateTime *
vg_time_parse_iso8601 (const char *string, GError **error)
{
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (string != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Without a default time zone, a time without an offset or Z is refused: a bare
   * local time means something different on each side of the API. */
  time = g_date_time_new_from_iso8601 (string, NULL);
  if (time == NULL)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_BAD_REQUEST,
                           "not an ISO 8601 date and time with an offset or “Z”");
      return NULL;
    }

  return g_date_time_to_utc (time);
}

GDateTime *
vg_time_new_from_unix_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC - (usec % G_USEC_PER_SEC < 0));
  gint64 rest = usec % G_USEC_PER_SEC;

  if (rest < 0)
    rest += G_USEC_PER_SEC;
  return g_date_time_add (seconds, rest);
}

gint64
vg_time_to_unix_usec (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, 0);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}
