/* vg-relay-auth.c: who may watch the relay: the node's users (LIVE-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-relay-auth.h"

#include <string.h>

struct _VgRelayAuth
{
  GstRTSPAuth             parent_instance;

  VgRelayVerifyFunc       verify;
  VgRelayCameraAccessFunc camera_access;
  gpointer                user_data;
  GstRTSPToken           *token;   /* what every authenticated request carries */
};

G_DEFINE_TYPE (VgRelayAuth, vg_relay_auth, GST_TYPE_RTSP_AUTH)

static gboolean
parse_basic (const char *header, char **name, char **password)
{
  g_autofree guchar *decoded = NULL;
  gsize length = 0;
  char *colon;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;
  decoded = g_base64_decode (header + 6, &length);
  if (decoded == NULL || length == 0 || memchr (decoded, '\0', length) != NULL)
    return FALSE;
  decoded = g_realloc (decoded, length + 1);
  decoded[length] = '\0';
  colon = strchr ((char *) decoded, ':');
  if (colon == NULL || colon == (char *) decoded)
    return FALSE;
  *name = g_strndup ((char *) decoded, (gsize) (colon - (char *) decoded));
  *password = g_strdup (colon + 1);
  memset (decoded, 0, length);
  return TRUE;
}

/* /cameras/{id}/{stream}: the camera's id, or 0. */
static gint64
camera_of_path (const char *path)
{
  guint64 id = 0;
  const char *start;
  char *end;

  if (path == NULL || !g_str_has_prefix (path, "/cameras/"))
    return 0;
  start = path + strlen ("/cameras/");
  id = g_ascii_strtoull (start, &end, 10);
  return end != start && *end == '/' && id <= G_MAXINT64 ? (gint64) id : 0;
}

static void
send_status (GstRTSPContext *ctx, GstRTSPStatusCode code, gboolean challenge)
{
  gst_rtsp_message_init_response (ctx->response, code, gst_rtsp_status_as_text (code), ctx->request);
  if (challenge)
    gst_rtsp_message_add_header (ctx->response, GST_RTSP_HDR_WWW_AUTHENTICATE, "Basic realm=\"Vigie\"");
  gst_rtsp_client_send_message (ctx->client, ctx->session, ctx->response);
}

static const char *
client_address (GstRTSPContext *ctx)
{
  GstRTSPConnection *connection = ctx->client ? gst_rtsp_client_get_connection (ctx->client) : NULL;

  return connection ? gst_rtsp_connection_get_ip (connection) : NULL;
}

/* Whether the request's credentials are good; the name of the user in *name. */
static gboolean
authenticate_request (VgRelayAuth *self, GstRTSPContext *ctx, char **name)
{
  char *header = NULL;
  g_autofree char *password = NULL;
  gboolean ok;

  if (ctx->request == NULL ||
      gst_rtsp_message_get_header (ctx->request, GST_RTSP_HDR_AUTHORIZATION, &header, 0) != GST_RTSP_OK ||
      !parse_basic (header, name, &password))
    return FALSE;
  ok = self->verify (*name, password, client_address (ctx), self->user_data);
  memset (password, 0, strlen (password));
  return ok;
}

static gboolean
check_url (VgRelayAuth *self, GstRTSPContext *ctx)
{
  g_autofree char *name = NULL;
  gint64 camera_id;

  if (!authenticate_request (self, ctx, &name))
    {
      send_status (ctx, GST_RTSP_STS_UNAUTHORIZED, TRUE);
      return FALSE;
    }
  ctx->token = self->token;
  camera_id = ctx->uri ? camera_of_path (ctx->uri->abspath) : 0;
  if (camera_id > 0 && self->camera_access && !self->camera_access (name, camera_id, self->user_data))
    {
      send_status (ctx, GST_RTSP_STS_FORBIDDEN, FALSE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
vg_relay_auth_check (GstRTSPAuth *auth, GstRTSPContext *ctx, const gchar *check)
{
  VgRelayAuth *self = VG_RELAY_AUTH (auth);

  if (g_str_equal (check, GST_RTSP_AUTH_CHECK_URL))
    return check_url (self, ctx);
  /* The TLS handshake (connect), then the factories' permissions for the role. */
  return GST_RTSP_AUTH_CLASS (vg_relay_auth_parent_class)->check (auth, ctx, check);
}

static gboolean
vg_relay_auth_authenticate (GstRTSPAuth *auth, GstRTSPContext *ctx)
{
  VgRelayAuth *self = VG_RELAY_AUTH (auth);
  g_autofree char *name = NULL;

  if (!authenticate_request (self, ctx, &name))
    return FALSE;
  ctx->token = self->token;
  return TRUE;
}

static void
vg_relay_auth_finalize (GObject *object)
{
  VgRelayAuth *self = VG_RELAY_AUTH (object);

  gst_rtsp_token_unref (self->token);
  G_OBJECT_CLASS (vg_relay_auth_parent_class)->finalize (object);
}

static void
vg_relay_auth_class_init (VgRelayAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstRTSPAuthClass *auth_class = GST_RTSP_AUTH_CLASS (klass);

  object_class->finalize = vg_relay_auth_finalize;
  auth_class->check = vg_relay_auth_check;
  auth_class->authenticate = vg_relay_auth_authenticate;
}

static void
vg_relay_auth_init (VgRelayAuth *self)
{
  self->token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, VG_RELAY_ROLE, NULL);
  gst_rtsp_auth_set_supported_methods (GST_RTSP_AUTH (self), GST_RTSP_AUTH_BASIC);
}

VgRelayAuth *
vg_relay_auth_new (VgRelayVerifyFunc verify, VgRelayCameraAccessFunc camera_access, gpointer user_data)
{
  VgRelayAuth *self = g_object_new (VG_TYPE_RELAY_AUTH, NULL);

  self->verify = verify;
  self->camera_access = camera_access;
  self->user_data = user_data;
  return self;
}
