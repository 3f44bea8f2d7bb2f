/* vg-server-info.c: what GET /api/v1/server tells about a node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-server-info.h"

#include "vg-error.h"
#include "vg-json.h"

struct _VgServerInfo
{
  GObject    parent_instance;

  char      *name;
  char      *version;
  GDateTime *time;  /* UTC */
  char      *time_zone;
  gint64     uptime;
  guint      rtsp_port;
  guint      rtsps_port;   /* 0: the rtsp:// port */
};

G_DEFINE_FINAL_TYPE (VgServerInfo, vg_server_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VERSION,
  PROP_TIME,
  PROP_TIME_ZONE,
  PROP_UPTIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vg_server_info_finalize (GObject *object)
{
  VgServerInfo *self = VG_SERVER_INFO (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->time_zone, g_free);

  G_OBJECT_CLASS (vg_server_info_parent_class)->finalize (object);
}

static void
vg_server_info_get_property (GObject *object, guint prop_id, GValue *value,
                             GParamSpec *pspec)
{
  VgServerInfo *self = VG_SERVER_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_UPTIME:
      g_value_set_int64 (value, self->uptime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* All properties are construct-only. */
static void
vg_server_info_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  VgServerInfo *self = VG_SERVER_INFO (object);
  GDateTime *time;

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_VERSION:
      self->version = g_value_dup_string (value);
      break;
    case PROP_TIME:
      time = g_value_get_boxed (value);
      self->time = time != NULL ? g_date_time_to_utc (time) : NULL;
      break;
    case PROP_TIME_ZONE:
      self->time_zone = g_value_dup_string (value);
      break;
    case PROP_UPTIME:
      self->uptime = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_server_info_class_init (VgServerInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                            G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vg_server_info_finalize;
  object_class->get_property = vg_server_info_get_property;
  object_class->set_property = vg_server_info_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  /* The node's clock when it answered, in UTC. */
  properties[PROP_TIME] = g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME, flags);
  /* An IANA identifier such as "Europe/Paris". */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, flags);
  /* Seconds since the node started. */
  properties[PROP_UPTIME] = g_param_spec_int64 ("uptime", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_server_info_init (VgServerInfo *self)
{
  self->rtsp_port = VG_SERVER_INFO_DEFAULT_RTSP_PORT;
}

VgServerInfo *
vg_server_info_new (const char *name, const char *version, GDateTime *time,
                    const char *time_zone, gint64 uptime_seconds)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (time_zone != NULL, NULL);
  g_return_val_if_fail (uptime_seconds >= 0, NULL);

  return g_object_new (VG_TYPE_SERVER_INFO,
                       "name", name,
                       "version", version,
                       "time", time,
                       "time-zone", time_zone,
                       "uptime", uptime_seconds,
                       NULL);
}

const char *
vg_server_info_get_name (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), NULL);

  return self->name;
}

const char *
vg_server_info_get_version (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), NULL);

  return self->version;
}

GDateTime *
vg_server_info_get_time (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), NULL);

  return self->time;
}

const char *
vg_server_info_get_time_zone (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), NULL);

  return self->time_zone;
}

gint64
vg_server_info_get_uptime (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), 0);

  return self->uptime;
}

guint
vg_server_info_get_rtsp_port (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), VG_SERVER_INFO_DEFAULT_RTSP_PORT);

  return self->rtsp_port;
}

void
vg_server_info_set_rtsp_port (VgServerInfo *self,
                              guint         port)
{
  g_return_if_fail (VG_IS_SERVER_INFO (self));
  g_return_if_fail (port >= 1 && port <= 65535);

  self->rtsp_port = port;
}

guint
vg_server_info_get_rtsps_port (VgServerInfo *self)
{
  g_return_val_if_fail (VG_IS_SERVER_INFO (self), VG_SERVER_INFO_DEFAULT_RTSP_PORT);

  return self->rtsps_port != 0 ? self->rtsps_port : self->rtsp_port;
}

void
vg_server_info_set_rtsps_port (VgServerInfo *self,
                               guint         port)
{
  g_return_if_fail (VG_IS_SERVER_INFO (self));
  g_return_if_fail (port >= 1 && port <= 65535);

  self->rtsps_port = port;
}

JsonNode *
vg_server_info_to_json (VgServerInfo *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (VG_IS_SERVER_INFO (self), NULL);

  time = vg_time_format_iso8601 (self->time);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, self->version);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, self->time_zone);
  json_builder_set_member_name (builder, "uptime");
  json_builder_add_int_value (builder, self->uptime);
  json_builder_set_member_name (builder, "rtsp_port");
  json_builder_add_int_value (builder, self->rtsp_port);
  json_builder_set_member_name (builder, "rtsps_port");
  json_builder_add_int_value (builder, vg_server_info_get_rtsps_port (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* A response body: fields a newer node may add are ignored. */
VgServerInfo *
vg_server_info_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GError) time_error = NULL;
  JsonObject *object;
  const char *name = NULL;
  const char *version = NULL;
  const char *time_string = NULL;
  const char *time_zone = NULL;
  gint64 uptime = 0;
  gint64 rtsp_port = VG_SERVER_INFO_DEFAULT_RTSP_PORT;
  gint64 rtsps_port = 0;
  VgServerInfo *info;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(object = vg_json_require_object (node, "server information", error)) ||
      !vg_json_get_string_member (object, "name", TRUE, &name, error) ||
      !vg_json_get_string_member (object, "version", TRUE, &version, error) ||
      !vg_json_get_string_member (object, "time", TRUE, &time_string, error) ||
      !vg_json_get_string_member (object, "time_zone", TRUE, &time_zone, error) ||
      !vg_json_get_int_member (object, "uptime", TRUE, 0, G_MAXINT64, &uptime, error))
    return NULL;

  time = vg_time_parse_iso8601 (time_string, &time_error);
  if (time == NULL)
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID, "field “time”: %s",
                   time_error->message);
      return NULL;
    }

  /* Older nodes do not tell; a malformed port is taken as not told. */
  if (!vg_json_get_int_member (object, "rtsp_port", FALSE, 1, 65535, &rtsp_port, NULL))
    rtsp_port = VG_SERVER_INFO_DEFAULT_RTSP_PORT;

  if (!vg_json_get_int_member (object, "rtsps_port", FALSE, 1, 65535, &rtsps_port, NULL))
    rtsps_port = 0;

  info = vg_server_info_new (name, version, time, time_zone, uptime);
  vg_server_info_set_rtsp_port (info, (guint) rtsp_port);
  if (rtsps_port != 0)
    vg_server_info_set_rtsps_port (info, (guint) rtsps_port);
  return info;
}
