/* test-auth.c: token expiry and login throttling on a real node configured with
 * short limits ([api] session-lifetime, [security] max-failed-logins, lockout-seconds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-test-node.h"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

static VgTestNode *node;

static gboolean
sleep_done (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
sleep_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  vg_test_wait_until (sleep_done, &until, ms + 1000);
}

static VgSession *
login (VgApiClient *client, const char *user, const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vg_api_client_login_async (client, user, password, NULL, vg_test_store_result, &result);
  vg_test_wait (&result);
  return vg_api_client_login_finish (client, result, error);
}

static void
test_token_expires (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, json_node_unref);

  sleep_ms (3500);  /* session-lifetime=2 */
  body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_null (body);
  g_assert_cmpuint (status, ==, 401);
  g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "expired"));
}

static void
test_throttle (void)
{
  g_autoptr(VgApiClient) admin = vg_test_node_client (node, "admin", VG_TEST_ADMIN_PASSWORD);
  g_autoptr(VgApiClient) client = vg_test_node_client (node, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(VgSession) session = NULL;
  guint status = 0;

  body = vg_test_request (admin, "POST", "/api/v1/users",
                          "{\"name\": \"tom\", \"password\": \"tom-password\", \"role\": \"viewer\"}",
                          &status, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, json_node_unref);

  /* max-failed-logins=3: three wrong passwords answer 401, then even the right one 429. */
  for (int i = 0; i < 3; i++)
    {
      g_clear_error (&error);
      g_assert_null (login (client, "tom", "wrong-password", &error));
      g_assert_error (error, VG_ERROR, VG_ERROR_UNAUTHORIZED);
    }
  g_clear_error (&error);
  g_assert_null (login (client, "tom", "tom-password", &error));
  g_assert_error (error, VG_ERROR, VG_ERROR_TOO_MANY_REQUESTS);

  /* HTTP Basic counts the same way and is refused the same way. */
  vg_api_client_set_basic_auth (client, "tom", "tom-password");
  g_clear_error (&error);
  body = vg_test_request (client, "GET", "/api/v1/cameras", NULL, &status, &error);
  g_assert_cmpuint (status, ==, 429);
  vg_api_client_set_basic_auth (client, NULL, NULL);

  /* Another user is not locked out by tom's failures. */
  g_clear_error (&error);
  session = login (client, "admin", VG_TEST_ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_object (&session);

  /* lockout-seconds=2: after it, the right password works again. */
  sleep_ms (2500);
  session = login (client, "tom", "tom-password", &error);
  g_assert_no_error (error);
}

static gboolean
accept_any_certificate (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                        gpointer data)
{
  return TRUE;
}

/* The 429 carries Retry-After; checked on the wire with libsoup directly. */
static void
test_retry_after_header (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/session", node->base_url);
  const char *json = "{\"user\": \"jim\", \"password\": \"nope-nope\"}";
  const char *retry = NULL;
  guint status = 0;

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
      g_autoptr(GBytes) answer = NULL;

      g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      answer = soup_session_send_and_read (session, msg, NULL, NULL);
      status = soup_message_get_status (msg);
      retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
      if (status == 429)
        {
          g_assert_nonnull (retry);
          g_assert_cmpint (atoi (retry), >=, 1);
          return;
        }
      g_assert_cmpuint (status, ==, 401);
    }
  g_assert_not_reached ();
}

/* The node serves the installed certificate ([api] tls-certificate, tls-key) instead of
 * making its own: the client pins the fingerprint of the file openssl made. */
static char *cert_dir;
static char *cert_fingerprint;

static void
make_installed_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GSubprocess) digest = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  const char *hex;

  cert_dir = g_dir_make_tmp ("vigie-cert-XXXXXX", &error);
  g_assert_no_error (error);
  cert = g_build_filename (cert_dir, "installed.crt", NULL);
  key = g_build_filename (cert_dir, "installed.key", NULL);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=installed.test",
                              NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  digest = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (digest, NULL, NULL, &out, NULL, &error));
  hex = strchr (out, '=');
  g_assert_nonnull (hex);
  {
    GString *clean = g_string_new (NULL);
    for (const char *p = hex + 1; *p && *p != '\n'; p++)
      if (*p != ':')
        g_string_append_c (clean, g_ascii_tolower (*p));
    cert_fingerprint = g_string_free (clean, FALSE);
  }
}

static void
test_installed_certificate (void)
{
  g_autoptr(VgApiClient) client = vg_test_node_client (node, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status = 0;

  body = vg_test_request (client, "GET", "/api/v1/health", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vg_api_client_get_tls_fingerprint (client), ==, cert_fingerprint);
  g_assert_nonnull (strstr (node->stdout_text, cert_fingerprint));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  make_installed_certificate ();
  config = g_strdup_printf ("[api]\nsession-lifetime=2\ntls-certificate=%s/installed.crt\n"
                            "tls-key=%s/installed.key\n\n"
                            "[security]\nmax-failed-logins=3\nlockout-seconds=2\n",
                            cert_dir, cert_dir);
  node = vg_test_node_new (config);
  if (!vg_test_node_start (node, &error))
    g_error ("could not start vigie-node: %s", error->message);

  g_test_add_func ("/auth/token-expires", test_token_expires);
  g_test_add_func ("/auth/throttle", test_throttle);
  g_test_add_func ("/auth/retry-after", test_retry_after_header);
  g_test_add_func ("/auth/installed-certificate", test_installed_certificate);

  status = g_test_run ();
  vg_test_node_free (node);
  {
    g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", cert_dir, NULL);
    g_subprocess_wait (rm, NULL, NULL);
  }
  g_free (cert_dir);
  g_free (cert_fingerprint);
  return status;
}
