/* vg-error.c: the error domain shared by the node, the client and the API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vg-error.h"

G_DEFINE_QUARK (vg-error-quark, vg_error)

typedef struct {
  guint       status;
  const char *string;
} VgErrorInfo;

/* Indexed by VgErrorCode. */
static const VgErrorInfo error_info[] = {
  [VG_ERROR_FAILED]             = { 500, "internal" },
  [VG_ERROR_BAD_REQUEST]        = { 400, "bad_request" },
  [VG_ERROR_UNAUTHORIZED]       = { 401, "unauthorized" },
  [VG_ERROR_FORBIDDEN]          = { 403, "forbidden" },
  [VG_ERROR_NOT_FOUND]          = { 404, "not_found" },
  [VG_ERROR_METHOD_NOT_ALLOWED] = { 405, "method_not_allowed" },
  [VG_ERROR_CONFLICT]           = { 409, "conflict" },
  [VG_ERROR_TOO_LARGE]          = { 413, "too_large" },
  [VG_ERROR_UNSUPPORTED_MEDIA]  = { 415, "unsupported_media_type" },
  [VG_ERROR_INVALID]            = { 422, "invalid" },
  [VG_ERROR_TOO_MANY_REQUESTS]  = { 429, "too_many_requests" },
  [VG_ERROR_UNAVAILABLE]        = { 503, "unavailable" },
  [VG_ERROR_SCHEMA_TOO_NEW]     = { 500, "schema_too_new" },
};

static gboolean
code_is_valid (VgErrorCode code)
{
  return (guint) code < G_N_ELEMENTS (error_info);
}

guint
vg_error_code_to_status (VgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), 500);

  return error_info[code].status;
}

const char *
vg_error_code_to_string (VgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), error_info[VG_ERROR_FAILED].string);

  return error_info[code].string;
}

/* The code whose string is string; when string is NULL or unknown (a newer peer), the
 * code of the HTTP status instead. */
VgErrorCode
vg_error_code_from_string (const char *string, guint http_status)
{
  if (string != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (error_info); i++)
        {
          if (g_str_equal (string, error_info[i].string))
            return (VgErrorCode) i;
        }
    }

  return vg_error_code_from_status (http_status);
}

/* The code of an HTTP status: FAILED for 500, for any other status without a code of
 * its own and for anything that is not an error at all. */
VgErrorCode
vg_error_code_from_status (guint http_status)
{
  switch (http_status)
    {
    case 400: return VG_ERROR_BAD_REQUEST;
    case 401: return VG_ERROR_UNAUTHORIZED;
    case 403: return VG_ERROR_FORBIDDEN;
    case 404: return VG_ERROR_NOT_FOUND;
    case 405: return VG_ERROR_METHOD_NOT_ALLOWED;
    case 409: return VG_ERROR_CONFLICT;
    case 413: return VG_ERROR_TOO_LARGE;
    case 415: return VG_ERROR_UNSUPPORTED_MEDIA;
    case 422: return VG_ERROR_INVALID;
    case 429: return VG_ERROR_TOO_MANY_REQUESTS;
    case 503: return VG_ERROR_UNAVAILABLE;
    default:  return VG_ERROR_FAILED;
    }
}
