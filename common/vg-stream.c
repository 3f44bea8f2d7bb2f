/* vg-stream.c: one stream of a camera (main, sub, …) with its roles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-stream.h"

#include <string.h>

#include "vg-error.h"
#include "vg-json.h"

#define STREAM_NAME_MAX 32
#define STREAM_URL_MAX 2048
#define STREAM_ROLES_ALL (VG_STREAM_ROLE_RECORD | VG_STREAM_ROLE_ALARM | \
                          VG_STREAM_ROLE_MOTION | VG_STREAM_ROLE_LIVE | \
                          VG_STREAM_ROLE_MOSAIC)

struct _VgStream
{
  GObject        parent_instance;

  char          *name;
  char          *url;
  VgStreamRoles  roles;
  VgStreamTransport transport;
  gboolean       keep_open;
  VgStreamIngest ingest;
  char          *tls_fingerprint;   /* lower-case hex SHA-256, or NULL */
};

G_DEFINE_FINAL_TYPE (VgStream, vg_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_URL,
  PROP_ROLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the JSON "roles" array. */
static const struct {
  VgStreamRoles  role;
  const char    *string;
} role_names[] = {
  { VG_STREAM_ROLE_RECORD, "record" },
  { VG_STREAM_ROLE_ALARM,  "alarm" },
  { VG_STREAM_ROLE_MOTION, "motion" },
  { VG_STREAM_ROLE_LIVE,   "live" },
  { VG_STREAM_ROLE_MOSAIC, "mosaic" },
};

/* The flags type of the "roles" property, registered here while the headers have no
 * glib-mkenums types. */
static GType
stream_roles_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GFlagsValue values[] = {
        { VG_STREAM_ROLE_NONE,   "VG_STREAM_ROLE_NONE",   "none" },
        { VG_STREAM_ROLE_RECORD, "VG_STREAM_ROLE_RECORD", "record" },
        { VG_STREAM_ROLE_ALARM,  "VG_STREAM_ROLE_ALARM",  "alarm" },
        { VG_STREAM_ROLE_MOTION, "VG_STREAM_ROLE_MOTION", "motion" },
        { VG_STREAM_ROLE_LIVE,   "VG_STREAM_ROLE_LIVE",   "live" },
        { VG_STREAM_ROLE_MOSAIC, "VG_STREAM_ROLE_MOSAIC", "mosaic" },
        { 0, NULL, NULL },
      };
      GType type = g_flags_register_static (g_intern_static_string ("VgStreamRoles"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static void
vg_stream_finalize (GObject *object)
{
  VgStream *self = VG_STREAM (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->tls_fingerprint, g_free);

  G_OBJECT_CLASS (vg_stream_parent_class)->finalize (object);
}

static void
vg_stream_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgStream *self = VG_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_ROLES:
      g_value_set_flags (value, self->roles);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_stream_set_property (GObject *object, guint prop_id, const GValue *value,
                        GParamSpec *pspec)
{
  VgStream *self = VG_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      vg_stream_set_name (self, g_value_get_string (value));
      break;
    case PROP_URL:
      vg_stream_set_url (self, g_value_get_string (value));
      break;
    case PROP_ROLES:
      vg_stream_set_roles (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_stream_class_init (VgStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_stream_finalize;
  object_class->get_property = vg_stream_get_property;
  object_class->set_property = vg_stream_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_flags ("roles", NULL, NULL, stream_roles_get_type (), VG_STREAM_ROLE_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_stream_init (VgStream *self)
{
}

VgStream *
vg_stream_new (const char *name, const char *url, VgStreamRoles roles)
{
  g_return_val_if_fail ((roles & ~STREAM_ROLES_ALL) == 0, NULL);

  return g_object_new (VG_TYPE_STREAM,
                       "name", name,
                       "url", url,
                       "roles", roles,
                       NULL);
}

const char *
vg_stream_get_name (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), NULL);

  return self->name;
}

void
vg_stream_set_name (VgStream *self, const char *name)
{
  g_return_if_fail (VG_IS_STREAM (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
vg_stream_get_url (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), NULL);

  return self->url;
}

void
vg_stream_set_url (VgStream *self, const char *url)
{
  g_return_if_fail (VG_IS_STREAM (self));

  if (g_strcmp0 (self->url, url) == 0)
    return;

  g_free (self->url);
  self->url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

VgStreamRoles
vg_stream_get_roles (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), VG_STREAM_ROLE_NONE);

  return self->roles;
}

void
vg_stream_set_roles (VgStream *self, VgStreamRoles roles)
{
  g_return_if_fail (VG_IS_STREAM (self));
  g_return_if_fail ((roles & ~STREAM_ROLES_ALL) == 0);

  if (self->roles == roles)
    return;

  self->roles = roles;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES]);
}

VgStreamRoles
vg_stream_role_from_string (const char *string)
{
  g_return_val_if_fail (string != NULL, VG_STREAM_ROLE_NONE);

  for (gsize i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_str_equal (string, role_names[i].string))
        return role_names[i].role;
    }

  return VG_STREAM_ROLE_NONE;
}

/* The string of one role (a single flag); NULL for anything else. */
const char *
vg_stream_role_to_string (VgStreamRoles role)
{
  for (gsize i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (role == role_names[i].role)
        return role_names[i].string;
    }

  g_return_val_if_reached (NULL);
}

static gboolean
stream_name_is_valid (const char *name, GError **error)
{
  gsize length;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID, "stream name must not be empty");
      return FALSE;
    }

  length = strlen (name);
  if (length > STREAM_NAME_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "stream name must be at most %d characters", STREAM_NAME_MAX);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-')
        {
          g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                               "stream name may only contain ASCII letters, digits, "
                               "“_” and “-”");
          return FALSE;
        }
    }

  return TRUE;
}

/* The URL never appears in a message: it often holds a password. */
static gboolean
stream_url_is_valid (const char *name, const char *url, GError **error)
{
  static const char *const schemes[] = { "rtsp", "rtsps", "http", "https", NULL };
  g_autoptr(GUri) uri = NULL;
  const char *host;
  gsize length;

  g_assert (name != NULL);

  if (url == NULL || url[0] == '\0')
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "stream “%s”: URL must not be empty",
                   name);
      return FALSE;
    }

  length = strlen (url);
  if (length > STREAM_URL_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "stream “%s”: URL must be at most %d characters", name, STREAM_URL_MAX);
      return FALSE;
    }

  /* GUri lets spaces and control characters through; cameras and GStreamer would not
   * handle them, nor non-ASCII, which must be percent-encoded. */
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) url[i];

      if (c <= 0x20 || c >= 0x7f)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "stream “%s”: URL must not contain spaces, control or non-ASCII "
                       "characters", name);
          return FALSE;
        }
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "stream “%s”: URL is not valid", name);
      return FALSE;
    }

  if (!g_strv_contains (schemes, g_uri_get_scheme (uri)))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "stream “%s”: URL scheme must be rtsp, rtsps, http or https", name);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "stream “%s”: URL must have a host",
                   name);
      return FALSE;
    }

  return TRUE;
}

gboolean
vg_stream_validate (VgStream *self, GError **error)
{
  g_return_val_if_fail (VG_IS_STREAM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return stream_name_is_valid (self->name, error) &&
         stream_url_is_valid (self->name, self->url, error);
}

/* {"name","url","roles":[…]}, roles in a fixed order. */
JsonNode *
vg_stream_to_json (VgStream *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VG_IS_STREAM (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, self->url);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (self->roles & role_names[i].role)
        json_builder_add_string_value (builder, role_names[i].string);
    }
  json_builder_end_array (builder);
  if (self->transport != VG_STREAM_TRANSPORT_TCP)
    {
      json_builder_set_member_name (builder, "transport");
      json_builder_add_string_value (builder, vg_stream_transport_to_string (self->transport));
    }
  if (self->ingest != VG_STREAM_INGEST_NATIVE)
    {
      json_builder_set_member_name (builder, "ingest");
      json_builder_add_string_value (builder, vg_stream_ingest_to_string (self->ingest));
    }
  if (self->keep_open)
    {
      json_builder_set_member_name (builder, "keep_open");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (self->tls_fingerprint)
    {
      json_builder_set_member_name (builder, "tls_fingerprint");
      json_builder_add_string_value (builder, self->tls_fingerprint);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
roles_from_json (JsonArray *array, gboolean lenient, VgStreamRoles *out, GError **error)
{
  VgStreamRoles roles = VG_STREAM_ROLE_NONE;
  guint length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      VgStreamRoles role;

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                               "field “roles” must be an array of strings");
          return FALSE;
        }

      role = vg_stream_role_from_string (json_node_get_string (element));
      if (role == VG_STREAM_ROLE_NONE && lenient)
        continue;
      if (role == VG_STREAM_ROLE_NONE)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "unknown role “%s” (known: record, alarm, motion, live, mosaic)",
                       json_node_get_string (element));
          return FALSE;
        }

      /* A role given twice is the same role. */
      roles |= role;
    }

  *out = roles;
  return TRUE;
}

/* {"name","url","roles"?}; the result is validated. lenient: what a node sent, where
 * fields and roles unknown to this version are skipped. */
static VgStream *
stream_from_json (JsonNode *node, gboolean lenient, GError **error)
{
  static const char *const fields[] = { "name", "url", "roles", "transport", "keep_open", "ingest",
                                        "tls_fingerprint", NULL };
  g_autoptr(VgStream) stream = NULL;
  JsonObject *object;
  JsonArray *roles_array = NULL;
  const char *name = NULL;
  const char *url = NULL;
  const char *transport_name = NULL;
  VgStreamTransport transport = VG_STREAM_TRANSPORT_TCP;
  VgStreamRoles roles = VG_STREAM_ROLE_NONE;
  gboolean keep_open = FALSE;
  const char *ingest_name = NULL;
  VgStreamIngest ingest = VG_STREAM_INGEST_NATIVE;
  const char *fingerprint_text = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(object = vg_json_require_object (node, "stream", error)) ||
      (!lenient && !vg_json_check_fields (object, fields, "stream", error)) ||
      !vg_json_get_string_member (object, "name", TRUE, &name, error) ||
      !vg_json_get_string_member (object, "url", TRUE, &url, error) ||
      !vg_json_get_array_member (object, "roles", FALSE, &roles_array, error) ||
      !vg_json_get_string_member (object, "transport", FALSE, &transport_name, error) ||
      !vg_json_get_boolean_member (object, "keep_open", FALSE, &keep_open, error) ||
      !vg_json_get_string_member (object, "ingest", FALSE, &ingest_name, error) ||
      !vg_json_get_string_member (object, "tls_fingerprint", FALSE, &fingerprint_text, error))
    return NULL;
  if (fingerprint_text && !(fingerprint = vg_stream_normalize_fingerprint (fingerprint_text)) && !lenient)
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                           "field “tls_fingerprint” must be a SHA-256 fingerprint: 64 hexadecimal "
                           "digits, pairs optionally separated by colons");
      return NULL;
    }
  if (ingest_name && !vg_stream_ingest_from_string (ingest_name, &ingest) && !lenient)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "unknown ingest “%s” (known: native, gstreamer)", ingest_name);
      return NULL;
    }

  if (roles_array != NULL && !roles_from_json (roles_array, lenient, &roles, error))
    return NULL;
  if (transport_name && !vg_stream_transport_from_string (transport_name, &transport) && !lenient)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "unknown transport “%s” (known: tcp, udp, multicast, http)", transport_name);
      return NULL;
    }

  stream = vg_stream_new (name, url, roles);
  stream->transport = transport;
  stream->keep_open = keep_open;
  stream->ingest = ingest;
  stream->tls_fingerprint = g_steal_pointer (&fingerprint);
  if (!vg_stream_validate (stream, error))
    return NULL;

  return g_steal_pointer (&stream);
}

VgStream *
vg_stream_new_from_json (JsonNode *node, GError **error)
{
  return stream_from_json (node, FALSE, error);
}

VgStream *
vg_stream_new_from_json_response (JsonNode *node, GError **error)
{
  return stream_from_json (node, TRUE, error);
}

static const char *const transport_names[] = { "tcp", "udp", "multicast", "http" };

const char *
vg_stream_transport_to_string (VgStreamTransport transport)
{
  g_return_val_if_fail ((guint) transport < G_N_ELEMENTS (transport_names), "tcp");
  return transport_names[transport];
}

gboolean
vg_stream_transport_from_string (const char *string, VgStreamTransport *transport)
{
  for (guint i = 0; string && i < G_N_ELEMENTS (transport_names); i++)
    if (g_str_equal (string, transport_names[i]))
      {
        *transport = (VgStreamTransport) i;
        return TRUE;
      }
  return FALSE;
}

static const char *const ingest_names[] = { "native", "gstreamer" };

const char *
vg_stream_ingest_to_string (VgStreamIngest ingest)
{
  g_return_val_if_fail ((guint) ingest < G_N_ELEMENTS (ingest_names), "native");
  return ingest_names[ingest];
}

gboolean
vg_stream_ingest_from_string (const char *string, VgStreamIngest *ingest)
{
  for (guint i = 0; string && i < G_N_ELEMENTS (ingest_names); i++)
    if (g_str_equal (string, ingest_names[i]))
      {
        *ingest = (VgStreamIngest) i;
        return TRUE;
      }
  return FALSE;
}

VgStreamIngest
vg_stream_get_ingest (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), VG_STREAM_INGEST_NATIVE);
  return self->ingest;
}

void
vg_stream_set_ingest (VgStream *self, VgStreamIngest ingest)
{
  g_return_if_fail (VG_IS_STREAM (self));
  self->ingest = ingest;
}

const char *
vg_stream_get_tls_fingerprint (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), NULL);
  return self->tls_fingerprint;
}

void
vg_stream_set_tls_fingerprint (VgStream *self, const char *fingerprint)
{
  g_return_if_fail (VG_IS_STREAM (self));
  g_free (self->tls_fingerprint);
  self->tls_fingerprint = fingerprint ? vg_stream_normalize_fingerprint (fingerprint) : NULL;
}

char *
vg_stream_normalize_fingerprint (const char *text)
{
  GString *hex;

  g_return_val_if_fail (text != NULL, NULL);
  hex = g_string_sized_new (64);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (hex, g_ascii_tolower (*p));
      /* colons only between pairs: "ab:cd", not ":ab" nor "a:b" */
      else if (*p != ':' || hex->len == 0 || hex->len % 2 != 0 || p[1] == '\0' || p[1] == ':')
        {
          g_string_free (hex, TRUE);
          return NULL;
        }
    }
  if (hex->len != 64)
    {
      g_string_free (hex, TRUE);
      return NULL;
    }
  return g_string_free (hex, FALSE);
}

gboolean
vg_stream_get_keep_open (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), FALSE);
  return self->keep_open;
}

void
vg_stream_set_keep_open (VgStream *self, gboolean keep_open)
{
  g_return_if_fail (VG_IS_STREAM (self));
  self->keep_open = keep_open;
}

VgStreamTransport
vg_stream_get_transport (VgStream *self)
{
  g_return_val_if_fail (VG_IS_STREAM (self), VG_STREAM_TRANSPORT_TCP);
  return self->transport;
}

void
vg_stream_set_transport (VgStream *self, VgStreamTransport transport)
{
  g_return_if_fail (VG_IS_STREAM (self));
  self->transport = transport;
}
