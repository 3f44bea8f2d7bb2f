/* vg-user.c: a user account of a node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-user.h"

#include <string.h>

#include "vg-error.h"
#include "vg-json.h"

struct _VgUser
{
  GObject     parent_instance;

  gint64      id;
  char       *name;
  VgUserRole  role;
  gboolean    enabled;
  char       *password;  /* cleared before it is freed */
};

G_DEFINE_FINAL_TYPE (VgUser, vg_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_ENABLED,
  PROP_PASSWORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const role_names[] = {
  [VG_USER_ROLE_VIEWER]   = "viewer",
  [VG_USER_ROLE_OPERATOR] = "operator",
  [VG_USER_ROLE_ADMIN]    = "admin",
};

static gboolean
role_is_valid (VgUserRole role)
{
  return (guint) role < G_N_ELEMENTS (role_names);
}

/* The enum type of the "role" property, registered here while the headers have no
 * glib-mkenums types. */
static GType
user_role_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { VG_USER_ROLE_VIEWER,   "VG_USER_ROLE_VIEWER",   "viewer" },
        { VG_USER_ROLE_OPERATOR, "VG_USER_ROLE_OPERATOR", "operator" },
        { VG_USER_ROLE_ADMIN,    "VG_USER_ROLE_ADMIN",    "admin" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("VgUserRole"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* Frees a password, overwriting it first so that it does not linger in freed memory. */
static void
password_free (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
vg_user_finalize (GObject *object)
{
  VgUser *self = VG_USER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->password, password_free);

  G_OBJECT_CLASS (vg_user_parent_class)->finalize (object);
}

static void
vg_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgUser *self = VG_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_user_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VgUser *self = VG_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      vg_user_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      vg_user_set_name (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      vg_user_set_role (self, g_value_get_enum (value));
      break;
    case PROP_ENABLED:
      vg_user_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_PASSWORD:
      vg_user_set_password (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_user_class_init (VgUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_user_finalize;
  object_class->get_property = vg_user_get_property;
  object_class->set_property = vg_user_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, user_role_get_type (), VG_USER_ROLE_VIEWER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_user_init (VgUser *self)
{
  self->role = VG_USER_ROLE_VIEWER;
  self->enabled = TRUE;
}

VgUser *
vg_user_new (const char *name, VgUserRole role)
{
  g_return_val_if_fail (role_is_valid (role), NULL);

  return g_object_new (VG_TYPE_USER,
                       "name", name,
                       "role", role,
                       NULL);
}

gint64
vg_user_get_id (VgUser *self)
{
  g_return_val_if_fail (VG_IS_USER (self), 0);

  return self->id;
}

void
vg_user_set_id (VgUser *self, gint64 id)
{
  g_return_if_fail (VG_IS_USER (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
vg_user_get_name (VgUser *self)
{
  g_return_val_if_fail (VG_IS_USER (self), NULL);

  return self->name;
}

void
vg_user_set_name (VgUser *self, const char *name)
{
  g_return_if_fail (VG_IS_USER (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

VgUserRole
vg_user_get_role (VgUser *self)
{
  g_return_val_if_fail (VG_IS_USER (self), VG_USER_ROLE_VIEWER);

  return self->role;
}

void
vg_user_set_role (VgUser *self, VgUserRole role)
{
  g_return_if_fail (VG_IS_USER (self));
  g_return_if_fail (role_is_valid (role));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

gboolean
vg_user_get_enabled (VgUser *self)
{
  g_return_val_if_fail (VG_IS_USER (self), FALSE);

  return self->enabled;
}

void
vg_user_set_enabled (VgUser *self, gboolean enabled)
{
  g_return_if_fail (VG_IS_USER (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

const char *
vg_user_get_password (VgUser *self)
{
  g_return_val_if_fail (VG_IS_USER (self), NULL);

  return self->password;
}

void
vg_user_set_password (VgUser *self, const char *password)
{
  g_return_if_fail (VG_IS_USER (self));

  if (g_strcmp0 (self->password, password) == 0)
    return;

  password_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

const char *
vg_user_role_to_string (VgUserRole role)
{
  g_return_val_if_fail (role_is_valid (role), NULL);

  return role_names[role];
}

/* FALSE, and *role left alone, when string is no role. */
gboolean
vg_user_role_from_string (const char *string, VgUserRole *role)
{
  g_return_val_if_fail (string != NULL, FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_str_equal (string, role_names[i]))
        {
          *role = (VgUserRole) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
vg_user_validate (VgUser *self, GError **error)
{
  gsize length;

  g_return_val_if_fail (VG_IS_USER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->name == NULL || self->name[0] == '\0')
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID, "user name must not be empty");
      return FALSE;
    }

  length = strlen (self->name);
  if (length > VG_USER_NAME_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "user name must be at most %d characters", VG_USER_NAME_MAX);
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      char c = self->name[i];

      if (!g_ascii_isalnum (c) && c != '.' && c != '_' && c != '@' && c != '-')
        {
          g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                               "user name may only contain ASCII letters, digits, "
                               "“.”, “_”, “@” and “-”");
          return FALSE;
        }
    }

  if (!role_is_valid (self->role))
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID, "unknown user role");
      return FALSE;
    }

  if (self->password != NULL)
    {
      length = strlen (self->password);
      if (length < VG_USER_PASSWORD_MIN || length > VG_USER_PASSWORD_MAX)
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "password must be %d to %d bytes long",
                       VG_USER_PASSWORD_MIN, VG_USER_PASSWORD_MAX);
          return FALSE;
        }
      if (!g_utf8_validate (self->password, length, NULL))
        {
          g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                               "password must be valid UTF-8");
          return FALSE;
        }
    }

  return TRUE;
}

JsonNode *
vg_user_to_json (VgUser *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VG_IS_USER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, vg_user_role_to_string (self->role));
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Sets on self the fields present in node; when full, "name" and "password" are
 * required. self is not validated, and is left half-changed on error. */
static gboolean
user_set_from_json (VgUser *self, JsonNode *node, gboolean full, GError **error)
{
  static const char *const fields[] = { "id", "name", "password", "role", "enabled", NULL };
  JsonObject *object;
  const char *name = NULL;
  const char *password = NULL;
  const char *role_string = NULL;
  gboolean enabled = self->enabled;
  gint64 id;

  g_assert (VG_IS_USER (self));
  g_assert (node != NULL);

  /* "id" belongs to the node: checked, then ignored. */
  if (!(object = vg_json_require_object (node, "user", error)) ||
      !vg_json_check_fields (object, fields, "user", error) ||
      !vg_json_get_int_member (object, "id", FALSE, G_MININT64, G_MAXINT64, &id, error) ||
      !vg_json_get_string_member (object, "name", full, &name, error) ||
      !vg_json_get_string_member (object, "password", full, &password, error) ||
      !vg_json_get_string_member (object, "role", FALSE, &role_string, error) ||
      !vg_json_get_boolean_member (object, "enabled", FALSE, &enabled, error))
    return FALSE;

  if (role_string != NULL)
    {
      VgUserRole role;

      if (!vg_user_role_from_string (role_string, &role))
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "unknown user role “%s” (known: viewer, operator, admin)",
                       role_string);
          return FALSE;
        }
      vg_user_set_role (self, role);
    }

  if (name != NULL)
    vg_user_set_name (self, name);
  if (password != NULL)
    vg_user_set_password (self, password);
  vg_user_set_enabled (self, enabled);

  return TRUE;
}

/* The role defaults to viewer, the least privilege. */
VgUser *
vg_user_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(VgUser) user = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  user = g_object_new (VG_TYPE_USER, NULL);
  if (!user_set_from_json (user, node, TRUE, error) ||
      !vg_user_validate (user, error))
    return NULL;

  return g_steal_pointer (&user);
}

gboolean
vg_user_apply_json_patch (VgUser *self, JsonNode *node, GError **error)
{
  g_autoptr(VgUser) patched = NULL;
  g_autoptr(GObject) object = NULL;

  g_return_val_if_fail (VG_IS_USER (self), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Patch a copy and validate it, so that self changes all at once or not at all. */
  patched = g_object_new (VG_TYPE_USER, NULL);
  patched->name = g_strdup (self->name);
  patched->role = self->role;
  patched->enabled = self->enabled;
  patched->password = g_strdup (self->password);
  if (!user_set_from_json (patched, node, FALSE, error) ||
      !vg_user_validate (patched, error))
    return FALSE;

  object = g_object_ref (G_OBJECT (self));
  g_object_freeze_notify (object);
  vg_user_set_name (self, patched->name);
  vg_user_set_role (self, patched->role);
  vg_user_set_enabled (self, patched->enabled);
  vg_user_set_password (self, patched->password);
  g_object_thaw_notify (object);

  return TRUE;
}
