/* vg-camera.c: a camera as the node stores it and the API shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-camera.h"

#include "vg-error.h"
#include "vg-json.h"
#include "vg-schedule.h"

#define DEFAULT_RETENTION_DAYS 30

struct _VgCamera
{
  GObject          parent_instance;

  gint64           id;
  char            *name;
  gboolean         enabled;
  VgRecordingMode  recording_mode;
  guint            retention_days;
  gint             disk_id;         /* 0: the node's default data disk */
  VgSchedule      *schedule;        /* NULL: none */
  GPtrArray       *streams;  /* VgStream */
};

G_DEFINE_FINAL_TYPE (VgCamera, vg_camera, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ENABLED,
  PROP_RECORDING_MODE,
  PROP_RETENTION_DAYS,
  PROP_STREAMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const recording_mode_names[] = {
  [VG_RECORDING_MODE_CONTINUOUS] = "continuous",
  [VG_RECORDING_MODE_ALARM]      = "alarm",
  [VG_RECORDING_MODE_SCHEDULE]   = "schedule",
  [VG_RECORDING_MODE_OFF]        = "off",
};

static gboolean
recording_mode_is_valid (VgRecordingMode mode)
{
  return (guint) mode < G_N_ELEMENTS (recording_mode_names);
}

/* The enum type of the "recording-mode" property, registered here while the headers
 * have no glib-mkenums types. */
static GType
recording_mode_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { VG_RECORDING_MODE_CONTINUOUS, "VG_RECORDING_MODE_CONTINUOUS", "continuous" },
        { VG_RECORDING_MODE_ALARM,      "VG_RECORDING_MODE_ALARM",      "alarm" },
        { VG_RECORDING_MODE_SCHEDULE,   "VG_RECORDING_MODE_SCHEDULE",   "schedule" },
        { VG_RECORDING_MODE_OFF,        "VG_RECORDING_MODE_OFF",        "off" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("VgRecordingMode"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static void
vg_camera_finalize (GObject *object)
{
  VgCamera *self = VG_CAMERA (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->schedule, vg_schedule_free);

  G_OBJECT_CLASS (vg_camera_parent_class)->finalize (object);
}

static void
vg_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VgCamera *self = VG_CAMERA (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_RECORDING_MODE:
      g_value_set_enum (value, self->recording_mode);
      break;
    case PROP_RETENTION_DAYS:
      g_value_set_uint (value, self->retention_days);
      break;
    case PROP_STREAMS:
      g_value_set_boxed (value, self->streams);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_camera_set_property (GObject *object, guint prop_id, const GValue *value,
                        GParamSpec *pspec)
{
  VgCamera *self = VG_CAMERA (object);

  switch (prop_id)
    {
    case PROP_ID:
      vg_camera_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      vg_camera_set_name (self, g_value_get_string (value));
      break;
    case PROP_ENABLED:
      vg_camera_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_RECORDING_MODE:
      vg_camera_set_recording_mode (self, g_value_get_enum (value));
      break;
    case PROP_RETENTION_DAYS:
      vg_camera_set_retention_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_camera_class_init (VgCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_camera_finalize;
  object_class->get_property = vg_camera_get_property;
  object_class->set_property = vg_camera_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING_MODE] =
    g_param_spec_enum ("recording-mode", NULL, NULL, recording_mode_get_type (),
                       VG_RECORDING_MODE_CONTINUOUS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Not clamped to 1–3650 here: a value out of range is for vg_camera_validate() to
   * report, not for the property system to warn about. */
  properties[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT, DEFAULT_RETENTION_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified whenever the list or its order changes; element type VgStream. */
  properties[PROP_STREAMS] =
    g_param_spec_boxed ("streams", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_camera_init (VgCamera *self)
{
  self->enabled = TRUE;
  self->recording_mode = VG_RECORDING_MODE_CONTINUOUS;
  self->retention_days = DEFAULT_RETENTION_DAYS;
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
}

VgCamera *
vg_camera_new (void)
{
  return g_object_new (VG_TYPE_CAMERA, NULL);
}

/* A deep copy: the streams are new objects too. */
VgCamera *
vg_camera_copy (VgCamera *self)
{
  VgCamera *copy;

  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);

  copy = vg_camera_new ();
  copy->id = self->id;
  copy->name = g_strdup (self->name);
  copy->enabled = self->enabled;
  copy->recording_mode = self->recording_mode;
  copy->retention_days = self->retention_days;
  copy->disk_id = self->disk_id;
  copy->schedule = self->schedule ? vg_schedule_copy (self->schedule) : NULL;
  for (guint i = 0; i < self->streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (self->streams, i);
      VgStream *stream_copy = vg_stream_new (vg_stream_get_name (stream), vg_stream_get_url (stream),
                                             vg_stream_get_roles (stream));

      vg_stream_set_transport (stream_copy, vg_stream_get_transport (stream));
      vg_stream_set_keep_open (stream_copy, vg_stream_get_keep_open (stream));
      vg_stream_set_ingest (stream_copy, vg_stream_get_ingest (stream));
      vg_stream_set_tls_fingerprint (stream_copy, vg_stream_get_tls_fingerprint (stream));
      g_ptr_array_add (copy->streams, stream_copy);
    }

  return copy;
}

gint64
vg_camera_get_id (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), 0);

  return self->id;
}

void
vg_camera_set_id (VgCamera *self, gint64 id)
{
  g_return_if_fail (VG_IS_CAMERA (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
vg_camera_get_name (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);

  return self->name;
}

void
vg_camera_set_name (VgCamera *self, const char *name)
{
  g_return_if_fail (VG_IS_CAMERA (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gboolean
vg_camera_get_enabled (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), FALSE);

  return self->enabled;
}

void
vg_camera_set_enabled (VgCamera *self, gboolean enabled)
{
  g_return_if_fail (VG_IS_CAMERA (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

VgRecordingMode
vg_camera_get_recording_mode (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), VG_RECORDING_MODE_CONTINUOUS);

  return self->recording_mode;
}

void
vg_camera_set_recording_mode (VgCamera *self, VgRecordingMode mode)
{
  g_return_if_fail (VG_IS_CAMERA (self));
  g_return_if_fail (recording_mode_is_valid (mode));

  if (self->recording_mode == mode)
    return;

  self->recording_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING_MODE]);
}

guint
vg_camera_get_retention_days (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), DEFAULT_RETENTION_DAYS);

  return self->retention_days;
}

void
vg_camera_set_retention_days (VgCamera *self, guint days)
{
  g_return_if_fail (VG_IS_CAMERA (self));

  if (self->retention_days == days)
    return;

  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
}

GPtrArray *
vg_camera_get_streams (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);

  return self->streams;
}

/* The camera takes a reference; stream is added at the end. */
void
vg_camera_add_stream (VgCamera *self, VgStream *stream)
{
  g_return_if_fail (VG_IS_CAMERA (self));
  g_return_if_fail (VG_IS_STREAM (stream));

  g_ptr_array_add (self->streams, g_object_ref (stream));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMS]);
}

void
vg_camera_clear_streams (VgCamera *self)
{
  g_return_if_fail (VG_IS_CAMERA (self));

  if (self->streams->len == 0)
    return;

  g_ptr_array_set_size (self->streams, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMS]);
}

/* The first stream called name, owned by the camera; NULL when there is none. */
VgStream *
vg_camera_find_stream (VgCamera *self, const char *name)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (self->streams, i);

      if (g_strcmp0 (vg_stream_get_name (stream), name) == 0)
        return stream;
    }

  return NULL;
}

const char *
vg_recording_mode_to_string (VgRecordingMode mode)
{
  g_return_val_if_fail (recording_mode_is_valid (mode), NULL);

  return recording_mode_names[mode];
}

/* FALSE, and *mode left alone, when string is no mode. */
gboolean
vg_recording_mode_from_string (const char *string, VgRecordingMode *mode)
{
  g_return_val_if_fail (string != NULL, FALSE);
  g_return_val_if_fail (mode != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (recording_mode_names); i++)
    {
      if (g_str_equal (string, recording_mode_names[i]))
        {
          *mode = (VgRecordingMode) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
vg_camera_validate (VgCamera *self, GError **error)
{
  glong name_length;

  g_return_val_if_fail (VG_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->name == NULL || self->name[0] == '\0')
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID, "camera name must not be empty");
      return FALSE;
    }
  if (!g_utf8_validate (self->name, -1, NULL))
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID,
                           "camera name must be valid UTF-8");
      return FALSE;
    }
  name_length = g_utf8_strlen (self->name, -1);
  if (name_length > VG_CAMERA_NAME_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "camera name must be at most %d characters (not %ld)",
                   VG_CAMERA_NAME_MAX, name_length);
      return FALSE;
    }

  if (self->streams->len == 0 || self->streams->len > VG_CAMERA_STREAMS_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "a camera must have 1 to %d streams (not %u)",
                   VG_CAMERA_STREAMS_MAX, self->streams->len);
      return FALSE;
    }

  for (guint i = 0; i < self->streams->len; i++)
    {
      VgStream *stream = g_ptr_array_index (self->streams, i);

      if (!vg_stream_validate (stream, error))
        return FALSE;

      for (guint j = 0; j < i; j++)
        {
          VgStream *other = g_ptr_array_index (self->streams, j);

          if (g_str_equal (vg_stream_get_name (stream), vg_stream_get_name (other)))
            {
              g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                           "two streams are called “%s”", vg_stream_get_name (stream));
              return FALSE;
            }
        }
    }

  if (self->retention_days < 1 || self->retention_days > VG_CAMERA_RETENTION_DAYS_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "retention must be from 1 to %d days", VG_CAMERA_RETENTION_DAYS_MAX);
      return FALSE;
    }

  if (!recording_mode_is_valid (self->recording_mode))
    {
      g_set_error_literal (error, VG_ERROR, VG_ERROR_INVALID, "unknown recording mode");
      return FALSE;
    }

  return TRUE;
}

JsonNode *
vg_camera_to_json (VgCamera *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);

  json_builder_set_member_name (builder, "streams");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->streams->len; i++)
    json_builder_add_value (builder, vg_stream_to_json (g_ptr_array_index (self->streams, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "recording");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, vg_recording_mode_to_string (self->recording_mode));
  json_builder_set_member_name (builder, "retention_days");
  json_builder_add_int_value (builder, self->retention_days);
  json_builder_set_member_name (builder, "disk");
  if (self->disk_id > 0)
    json_builder_add_int_value (builder, self->disk_id);
  else
    json_builder_add_null_value (builder);
  if (self->schedule)
    {
      json_builder_set_member_name (builder, "schedule");
      json_builder_add_value (builder, vg_schedule_to_json (self->schedule));
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
streams_from_json (JsonArray *array, gboolean lenient, GPtrArray *streams, GError **error)
{
  guint length = json_array_get_length (array);

  g_assert (array != NULL);
  g_assert (streams != NULL);

  /* Checked before reading them so that a huge array costs nothing. */
  if (length == 0 || length > VG_CAMERA_STREAMS_MAX)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "a camera must have 1 to %d streams (not %u)",
                   VG_CAMERA_STREAMS_MAX, length);
      return FALSE;
    }

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      VgStream *stream = lenient ? vg_stream_new_from_json_response (element, error)
                                 : vg_stream_new_from_json (element, error);

      if (stream == NULL)
        {
          g_prefix_error (error, "streams[%u]: ", i);
          return FALSE;
        }
      g_ptr_array_add (streams, stream);
    }

  return TRUE;
}

/* Sets on self the fields present in object; when full, "name" and "streams" are
 * required. self is not validated, and is left half-changed on error. */
static gboolean
camera_set_from_json (VgCamera *self, JsonNode *node, gboolean full, gboolean lenient, GError **error)
{
  static const char *const fields[] = {
    "id", "name", "enabled", "streams", "recording", NULL
  };
  static const char *const recording_fields[] = { "mode", "retention_days", "disk", "schedule", NULL };
  JsonObject *object;
  JsonObject *recording = NULL;
  JsonArray *streams = NULL;
  const char *name = NULL;
  const char *mode_string = NULL;
  gboolean enabled = self->enabled;
  gint64 id;
  gint64 retention_days = self->retention_days;
  gint64 disk_id = self->disk_id;

  g_assert (VG_IS_CAMERA (self));
  g_assert (node != NULL);

  /* "id" belongs to the node: checked, then ignored. */
  if (!(object = vg_json_require_object (node, "camera", error)) ||
      (!lenient && !vg_json_check_fields (object, fields, "camera", error)) ||
      !vg_json_get_int_member (object, "id", FALSE, G_MININT64, G_MAXINT64, &id, error) ||
      !vg_json_get_string_member (object, "name", full, &name, error) ||
      !vg_json_get_boolean_member (object, "enabled", FALSE, &enabled, error) ||
      !vg_json_get_array_member (object, "streams", full, &streams, error) ||
      !vg_json_get_object_member (object, "recording", FALSE, &recording, error))
    return FALSE;

  if (recording != NULL &&
      ((!lenient && !vg_json_check_fields (recording, recording_fields, "recording", error)) ||
       !vg_json_get_string_member (recording, "mode", FALSE, &mode_string, error) ||
       !vg_json_get_int_member (recording, "retention_days", FALSE,
                                1, VG_CAMERA_RETENTION_DAYS_MAX, &retention_days, error) ||
       /* "disk": a data disk's id, or null for the node's default disk. */
       (json_object_has_member (recording, "disk") && !json_object_get_null_member (recording, "disk") &&
        !vg_json_get_int_member (recording, "disk", FALSE, 1, G_MAXINT, &disk_id, error))))
    return FALSE;

  if (mode_string != NULL)
    {
      VgRecordingMode mode;

      if (!vg_recording_mode_from_string (mode_string, &mode) && lenient)
        mode = VG_RECORDING_MODE_OFF;  /* a mode this version does not know: shown as off */
      else if (!vg_recording_mode_from_string (mode_string, &mode))
        {
          g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                       "unknown recording mode “%s” (known: continuous, alarm, schedule, off)",
                       mode_string);
          return FALSE;
        }
      vg_camera_set_recording_mode (self, mode);
    }

  if (streams != NULL)
    {
      g_autoptr(GPtrArray) new_streams = g_ptr_array_new_with_free_func (g_object_unref);

      if (!streams_from_json (streams, lenient, new_streams, error))
        return FALSE;

      g_ptr_array_set_size (self->streams, 0);
      g_ptr_array_extend_and_steal (self->streams, g_steal_pointer (&new_streams));
    }

  if (name != NULL)
    vg_camera_set_name (self, name);
  vg_camera_set_enabled (self, enabled);
  vg_camera_set_retention_days (self, (guint) retention_days);
  if (recording != NULL && json_object_has_member (recording, "disk") &&
      json_object_get_null_member (recording, "disk"))
    disk_id = 0;
  self->disk_id = (gint) disk_id;
  if (recording != NULL && json_object_has_member (recording, "schedule"))
    {
      JsonNode *member = json_object_get_member (recording, "schedule");
      VgSchedule *schedule = NULL;

      if (!JSON_NODE_HOLDS_NULL (member) && (schedule = vg_schedule_new_from_json (member, error)) == NULL)
        return FALSE;
      g_clear_pointer (&self->schedule, vg_schedule_free);
      self->schedule = schedule;
    }

  return TRUE;
}

VgCamera *
vg_camera_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(VgCamera) camera = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  camera = vg_camera_new ();
  if (!camera_set_from_json (camera, node, TRUE, FALSE, error) ||
      !vg_camera_validate (camera, error))
    return NULL;

  return g_steal_pointer (&camera);
}

VgCamera *
vg_camera_new_from_json_response (JsonNode *node, GError **error)
{
  g_autoptr(VgCamera) camera = NULL;
  JsonObject *object;
  gint64 id = 0;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  camera = vg_camera_new ();
  if (!camera_set_from_json (camera, node, TRUE, TRUE, error) ||
      !vg_camera_validate (camera, error))
    return NULL;
  object = json_node_get_object (node);
  if (!vg_json_get_int_member (object, "id", FALSE, 0, G_MAXINT64, &id, error))
    return NULL;
  vg_camera_set_id (camera, id);
  return g_steal_pointer (&camera);
}

static gboolean
streams_equal (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      VgStream *sa = g_ptr_array_index (a, i);
      VgStream *sb = g_ptr_array_index (b, i);

      if (g_strcmp0 (vg_stream_get_name (sa), vg_stream_get_name (sb)) != 0 ||
          g_strcmp0 (vg_stream_get_url (sa), vg_stream_get_url (sb)) != 0 ||
          vg_stream_get_roles (sa) != vg_stream_get_roles (sb) ||
          vg_stream_get_transport (sa) != vg_stream_get_transport (sb) ||
          vg_stream_get_keep_open (sa) != vg_stream_get_keep_open (sb) ||
          vg_stream_get_ingest (sa) != vg_stream_get_ingest (sb) ||
          g_strcmp0 (vg_stream_get_tls_fingerprint (sa), vg_stream_get_tls_fingerprint (sb)) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Changes self into a copy of the validated patched, with a notification for each
 * property that changes and nothing else. */
static void
camera_assign (VgCamera *self, VgCamera *patched)
{
  g_autoptr(GObject) object = g_object_ref (G_OBJECT (self));

  g_object_freeze_notify (object);

  vg_camera_set_name (self, patched->name);
  vg_camera_set_enabled (self, patched->enabled);
  vg_camera_set_recording_mode (self, patched->recording_mode);
  vg_camera_set_retention_days (self, patched->retention_days);
  self->disk_id = patched->disk_id;
  if (!vg_schedule_equal (self->schedule, patched->schedule))
    {
      g_clear_pointer (&self->schedule, vg_schedule_free);
      self->schedule = patched->schedule ? vg_schedule_copy (patched->schedule) : NULL;
    }

  if (!streams_equal (self->streams, patched->streams))
    {
      g_ptr_array_set_size (self->streams, 0);
      for (guint i = 0; i < patched->streams->len; i++)
        g_ptr_array_add (self->streams, g_object_ref (g_ptr_array_index (patched->streams, i)));
      g_object_notify_by_pspec (object, properties[PROP_STREAMS]);
    }

  g_object_thaw_notify (object);
}

gboolean
vg_camera_apply_json_patch (VgCamera *self, JsonNode *node, GError **error)
{
  g_autoptr(VgCamera) patched = NULL;

  g_return_val_if_fail (VG_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Patch a copy and validate it, so that self changes all at once or not at all. */
  patched = vg_camera_copy (self);
  if (!camera_set_from_json (patched, node, FALSE, FALSE, error) ||
      !vg_camera_validate (patched, error))
    return FALSE;

  camera_assign (self, patched);
  return TRUE;
}

gint
vg_camera_get_disk (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), 0);
  return self->disk_id;
}

void
vg_camera_set_disk (VgCamera *self, gint disk_id)
{
  g_return_if_fail (VG_IS_CAMERA (self));
  g_return_if_fail (disk_id >= 0);
  self->disk_id = disk_id;
}

const VgSchedule *
vg_camera_get_schedule (VgCamera *self)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), NULL);
  return self->schedule;
}

void
vg_camera_set_schedule (VgCamera *self, const VgSchedule *schedule)
{
  g_return_if_fail (VG_IS_CAMERA (self));
  g_clear_pointer (&self->schedule, vg_schedule_free);
  self->schedule = schedule ? vg_schedule_copy (schedule) : NULL;
}

gboolean
vg_camera_is_recording_time (VgCamera *self, GDateTime *time)
{
  g_return_val_if_fail (VG_IS_CAMERA (self), FALSE);
  switch (self->recording_mode)
    {
    case VG_RECORDING_MODE_CONTINUOUS:
      return TRUE;
    case VG_RECORDING_MODE_SCHEDULE:
      return self->schedule != NULL && vg_schedule_is_active (self->schedule, time);
    case VG_RECORDING_MODE_ALARM:
    case VG_RECORDING_MODE_OFF:
    default:
      return FALSE;
    }
}
