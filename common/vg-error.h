/* vg-error.h: the error domain shared by the node, the client and the API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VG_ERROR (vg_error_quark ())

/**
 * VgErrorCode:
 * Each code maps to one HTTP status and one stable string used in the API's
 * `{"error":{"code","message"}}` bodies.
 */
typedef enum {
  VG_ERROR_FAILED,             /* 500 "internal" */
  VG_ERROR_BAD_REQUEST,        /* 400 "bad_request": malformed JSON, bad query */
  VG_ERROR_UNAUTHORIZED,       /* 401 "unauthorized" */
  VG_ERROR_FORBIDDEN,          /* 403 "forbidden" */
  VG_ERROR_NOT_FOUND,          /* 404 "not_found" */
  VG_ERROR_METHOD_NOT_ALLOWED, /* 405 "method_not_allowed" */
  VG_ERROR_CONFLICT,           /* 409 "conflict" */
  VG_ERROR_TOO_LARGE,          /* 413 "too_large" */
  VG_ERROR_UNSUPPORTED_MEDIA,  /* 415 "unsupported_media_type" */
  VG_ERROR_INVALID,            /* 422 "invalid": well-formed but wrong values, types, missing fields */
  VG_ERROR_TOO_MANY_REQUESTS,  /* 429 "too_many_requests" */
  VG_ERROR_UNAVAILABLE,        /* 503 "unavailable": database away, shutting down */
  VG_ERROR_SCHEMA_TOO_NEW,     /* 500 "schema_too_new" (node start-up only) */
} VgErrorCode;

GQuark       vg_error_quark            (void);
guint        vg_error_code_to_status   (VgErrorCode code);
const char  *vg_error_code_to_string   (VgErrorCode code);
VgErrorCode  vg_error_code_from_string (const char *string, guint http_status);
VgErrorCode  vg_error_code_from_status (guint http_status);

G_END_DECLS
