/* vg-session.c: an API session (token) as returned by POST /api/v1/session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-session.h"

#include "vg-error.h"
#include "vg-json.h"

struct _VgSession
{
  GObject    parent_instance;

  char      *token;
  GDateTime *expires;  /* UTC */
  VgUser    *user;
};

G_DEFINE_FINAL_TYPE (VgSession, vg_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_EXPIRES,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vg_session_finalize (GObject *object)
{
  VgSession *self = VG_SESSION (object);

  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (vg_session_parent_class)->finalize (object);
}

static void
vg_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgSession *self = VG_SESSION (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_session_set_property (GObject *object, guint prop_id, const GValue *value,
                         GParamSpec *pspec)
{
  VgSession *self = VG_SESSION (object);
  GDateTime *expires;

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_assert (self->token == NULL);
      self->token = g_value_dup_string (value);
      break;
    case PROP_EXPIRES:
      g_assert (self->expires == NULL);
      expires = g_value_get_boxed (value);
      self->expires = expires != NULL ? g_date_time_to_utc (expires) : NULL;
      break;
    case PROP_USER:
      vg_session_set_user (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_session_class_init (VgSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_session_finalize;
  object_class->get_property = vg_session_get_property;
  object_class->set_property = vg_session_set_property;

  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Stored in UTC whatever the time zone given. */
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, VG_TYPE_USER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_session_init (VgSession *self)
{
}

VgSession *
vg_session_new (const char *token, GDateTime *expires)
{
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (expires != NULL, NULL);

  return g_object_new (VG_TYPE_SESSION,
                       "token", token,
                       "expires", expires,
                       NULL);
}

const char *
vg_session_get_token (VgSession *self)
{
  g_return_val_if_fail (VG_IS_SESSION (self), NULL);

  return self->token;
}

GDateTime *
vg_session_get_expires (VgSession *self)
{
  g_return_val_if_fail (VG_IS_SESSION (self), NULL);

  return self->expires;
}

VgUser *
vg_session_get_user (VgSession *self)
{
  g_return_val_if_fail (VG_IS_SESSION (self), NULL);

  return self->user;
}

void
vg_session_set_user (VgSession *self, VgUser *user)
{
  g_return_if_fail (VG_IS_SESSION (self));
  g_return_if_fail (user == NULL || VG_IS_USER (user));

  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/* Expired from the expiry time on; now NULL means the current time. */
gboolean
vg_session_is_expired (VgSession *self, GDateTime *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (VG_IS_SESSION (self), TRUE);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  return self->expires == NULL || g_date_time_compare (now, self->expires) >= 0;
}

JsonNode *
vg_session_to_json (VgSession *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *expires = NULL;

  g_return_val_if_fail (VG_IS_SESSION (self), NULL);

  expires = vg_time_format_iso8601 (self->expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, self->token);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires);
  if (self->user != NULL)
    {
      json_builder_set_member_name (builder, "user");
      json_builder_add_value (builder, vg_user_to_json (self->user));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The user as vg_user_to_json() shows it: {"id","name","role"?,"enabled"?}. */
static VgUser *
user_from_json (JsonNode *node, GError **error)
{
  g_autoptr(VgUser) user = NULL;
  JsonObject *object;
  const char *name = NULL;
  gint64 id = 0;

  g_assert (node != NULL);

  if (!(object = vg_json_require_object (node, "user", error)) ||
      !vg_json_get_int_member (object, "id", TRUE, 0, G_MAXINT64, &id, error) ||
      !vg_json_get_string_member (object, "name", TRUE, &name, error))
    return NULL;

  /* The patch reads and checks the other fields but ignores "id". */
  user = vg_user_new (name, VG_USER_ROLE_VIEWER);
  vg_user_set_id (user, id);
  if (!vg_user_apply_json_patch (user, node, error))
    return NULL;

  return g_steal_pointer (&user);
}

/* A response body: fields a newer node may add are ignored. */
VgSession *
vg_session_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(VgSession) session = NULL;
  g_autoptr(GError) time_error = NULL;
  JsonObject *object;
  JsonObject *user_object = NULL;
  const char *token = NULL;
  const char *expires_string = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(object = vg_json_require_object (node, "session", error)) ||
      !vg_json_get_string_member (object, "token", TRUE, &token, error) ||
      !vg_json_get_string_member (object, "expires", TRUE, &expires_string, error) ||
      !vg_json_get_object_member (object, "user", FALSE, &user_object, error))
    return NULL;

  if (token[0] == '\0')
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                           "field “token” must not be empty");
      return NULL;
    }

  expires = vg_time_parse_iso8601 (expires_string, &time_error);
  if (expires == NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “expires”: %s",
                   time_error->message);
      return NULL;
    }

  session = vg_session_new (token, expires);

  if (user_object != NULL)
    {
      g_autoptr(VgUser) user = user_from_json (json_object_get_member (object, "user"), error);

      if (user == NULL)
        {
          g_prefix_error (error, "field “user”: ");
          return NULL;
        }
      vg_session_set_user (session, user);
    }

  return g_steal_pointer (&session);
}
