/* vg-api-request.h: one HTTP request of the API while it is being answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vg-error.h"
#include "vg-user.h"

G_BEGIN_DECLS

typedef struct _VgNode VgNode;

/**
 * VgApiRequest:
 *
 * Created by the API server for each request that matched a route, with the message
 * paused; handed to the route's handler, which answers it exactly once with one of
 * the vg_api_request_respond_*() functions (from the main loop, at once or after
 * asynchronous work). Answering frees the request. If the client went away in the
 * meantime, the answer is dropped quietly.
 */
typedef struct
{
  VgNode            *node;       /* borrowed: the node lives longer than any request */
  SoupServerMessage *msg;
  char              *method;
  char             **segments;   /* decoded path segments */
  GHashTable        *query;      /* decoded query parameters, or NULL */
  gint64             id;         /* the {id} of the route, or 0 */
  VgUser            *user;       /* who is calling; NULL on public routes */
  char              *token;      /* the bearer token used, if any */
  char              *address;    /* client address */
  GCancellable      *cancellable;/* cancelled when the client goes away */
  guint              retry_after;/* seconds, for Retry-After with a 429 */

  /*< private >*/
  gulong             finished_id;
  gboolean           finished;
  gpointer           server;     /* the VgApiServer, for statistics */
} VgApiRequest;

typedef void (*VgApiHandler) (VgApiRequest *request);

typedef enum {
  VG_API_ACCESS_PUBLIC,       /* no credentials (health, login) */
  VG_API_ACCESS_USER,         /* any authenticated user */
  VG_API_ACCESS_OPERATOR,     /* operators and admins */
  VG_API_ACCESS_ADMIN,        /* admins only */
} VgApiAccess;

typedef struct
{
  const char   *method;
  const char   *pattern;      /* "/api/v1/cameras/{id}" */
  VgApiAccess   access;
  VgApiHandler  handler;
  gboolean      token_in_query; /* accepts ?token= (WebSocket clients) */
} VgApiRoute;

VgApiRequest *vg_api_request_new             (gpointer server, VgNode *node, SoupServerMessage *msg,
                                              char **segments, GHashTable *query);
void          vg_api_request_free            (VgApiRequest *request);

/* The body parsed as JSON: VG_ERROR_UNSUPPORTED_MEDIA unless Content-Type is
 * application/json, VG_ERROR_BAD_REQUEST when malformed or empty. */
JsonNode     *vg_api_request_read_json       (VgApiRequest *request, GError **error);
const char   *vg_api_request_get_query       (VgApiRequest *request, const char *name);
gboolean      vg_api_request_is_admin        (VgApiRequest *request);

/* Each of these answers and frees the request. */
void          vg_api_request_respond_json    (VgApiRequest *request, guint status, JsonNode *body);
void          vg_api_request_respond_error   (VgApiRequest *request, const GError *error);
void          vg_api_request_respond_text    (VgApiRequest *request, guint status,
                                              const char *content_type, const char *text);
void          vg_api_request_respond_empty   (VgApiRequest *request, guint status);
/* A body read from input (length bytes, or chunked until its end when length is -1)
 * by a VgResponseStream, which is returned (borrowed: alive until the message is
 * finished; connect to its "finished") or NULL when the client went away or the
 * method is HEAD (headers only). The caller sets other headers before. */
gpointer      vg_api_request_respond_stream  (VgApiRequest *request, guint status,
                                              const char *content_type, GInputStream *input,
                                              goffset length);
/* After soup_websocket_server_process_handshake(): sends the 101 as it is. */
void          vg_api_request_respond_upgrade (VgApiRequest *request);

/* Shapes shared by the resource routes (cameras, users, …). */
typedef JsonNode *(*VgApiToJson) (gpointer object);

/* {"MEMBER": [to_json (item), …]} with 200. */
void          vg_api_request_respond_list    (VgApiRequest *request, const char *member,
                                              GPtrArray *items, VgApiToJson to_json);
/* to_json (object) with 200, or a 404 "no WHAT ID" when object is NULL. */
void          vg_api_request_respond_object  (VgApiRequest *request, gpointer object,
                                              VgApiToJson to_json, const char *what);
/* The outcome of a create (201) or update (200): object, or error when NULL. */
void          vg_api_request_respond_saved   (VgApiRequest *request, gpointer object,
                                              const GError *error, VgApiToJson to_json);
/* The outcome of a delete: 204, or error. */
void          vg_api_request_respond_deleted (VgApiRequest *request, gboolean deleted,
                                              const GError *error);

/* The JSON error body for a code and message (also used where no request exists). */
char         *vg_api_error_body              (VgErrorCode code, const char *message);
void          vg_api_message_set_error       (SoupServerMessage *msg, VgErrorCode code,
                                              const char *message);

G_END_DECLS
