/* vg-api-mosaics.c: /api/v1/mosaics — each user's saved mosaics and their dwell times
 * (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-api-routes.h"
#include "vg-error.h"
#include "vg-json.h"
#include "vg-node.h"

#include <string.h>

#define GRID_MAX        16     /* columns and rows */
#define DWELL_DEFAULT   10     /* seconds */
#define DWELL_MAX       3600
#define NAME_MAX_CHARS  200

#define MOSAIC_COLUMNS "id, name, layout::text AS layout, dwell"

/* Validation: the body becomes a normalised layout, or a 422 naming what is wrong */

static gboolean
read_cell_camera (JsonObject   *cell,
                  JsonBuilder  *builder,
                  GError      **error)
{
  JsonNode *camera = json_object_get_member (cell, "camera");
  gint64 id = 0;

  json_builder_set_member_name (builder, "camera");
  if (camera == NULL || JSON_NODE_HOLDS_NULL (camera))
    {
      json_builder_add_null_value (builder);
      return TRUE;
    }
  if (!vg_json_get_int_member (cell, "camera", TRUE, 1, G_MAXINT64, &id, error))
    return FALSE;
  json_builder_add_int_value (builder, id);
  return TRUE;
}

static gboolean
read_cell_stream (JsonObject   *cell,
                  JsonBuilder  *builder,
                  GError      **error)
{
  JsonNode *stream = json_object_get_member (cell, "stream");
  const char *name = NULL;

  json_builder_set_member_name (builder, "stream");
  if (stream == NULL || JSON_NODE_HOLDS_NULL (stream))
    {
      json_builder_add_null_value (builder);
      return TRUE;
    }
  if (!vg_json_get_string_member (cell, "stream", TRUE, &name, error))
    return FALSE;
  if (!g_str_equal (name, "main"))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "field “stream” of a cell must be null (automatic) or \"main\"");
      return FALSE;
    }
  json_builder_add_string_value (builder, name);
  return TRUE;
}

/* One cell: inside the grid and over no other (occupied marks the grid units taken). */
static gboolean
read_cell (JsonNode     *node,
           gint64        columns,
           gint64        rows,
           gboolean      occupied[GRID_MAX][GRID_MAX],
           JsonBuilder  *builder,
           GError      **error)
{
  static const char *const fields[] = { "x", "y", "w", "h", "camera", "stream", NULL };
  JsonObject *cell = vg_json_require_object (node, "cell", error);
  gint64 x = 0, y = 0, w = 1, h = 1;

  if (cell == NULL ||
      !vg_json_check_fields (cell, fields, "cell", error) ||
      !vg_json_get_int_member (cell, "x", TRUE, 0, columns - 1, &x, error) ||
      !vg_json_get_int_member (cell, "y", TRUE, 0, rows - 1, &y, error) ||
      !vg_json_get_int_member (cell, "w", TRUE, 1, columns - x, &w, error) ||
      !vg_json_get_int_member (cell, "h", TRUE, 1, rows - y, &h, error))
    return FALSE;

  for (gint64 row = y; row < y + h; row++)
    for (gint64 column = x; column < x + w; column++)
      {
        if (occupied[row][column])
          {
            g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                         "the cell at (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") overlaps another",
                         x, y);
            return FALSE;
          }
        occupied[row][column] = TRUE;
      }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "x");
  json_builder_add_int_value (builder, x);
  json_builder_set_member_name (builder, "y");
  json_builder_add_int_value (builder, y);
  json_builder_set_member_name (builder, "w");
  json_builder_add_int_value (builder, w);
  json_builder_set_member_name (builder, "h");
  json_builder_add_int_value (builder, h);
  if (!read_cell_camera (cell, builder, error) || !read_cell_stream (cell, builder, error))
    return FALSE;
  json_builder_end_object (builder);
  return TRUE;
}

/* {"columns","rows","cells":[…]} → its normalised JSON text, or NULL. */
static char *
read_layout (JsonObject  *mosaic,
             GError     **error)
{
  static const char *const fields[] = { "columns", "rows", "cells", NULL };
  gboolean occupied[GRID_MAX][GRID_MAX] = { { FALSE } };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *layout = NULL;
  JsonArray *cells = NULL;
  gint64 columns = 0, rows = 0;
  guint n_cells;

  if (!vg_json_get_object_member (mosaic, "layout", TRUE, &layout, error) ||
      !vg_json_check_fields (layout, fields, "layout", error) ||
      !vg_json_get_int_member (layout, "columns", TRUE, 1, GRID_MAX, &columns, error) ||
      !vg_json_get_int_member (layout, "rows", TRUE, 1, GRID_MAX, &rows, error) ||
      !vg_json_get_array_member (layout, "cells", TRUE, &cells, error))
    return NULL;

  n_cells = json_array_get_length (cells);
  if (n_cells == 0 || n_cells > (guint) (columns * rows))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "a layout of %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT " has 1 to %"
                   G_GINT64_FORMAT " cells", columns, rows, columns * rows);
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "columns");
  json_builder_add_int_value (builder, columns);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, rows);
  json_builder_set_member_name (builder, "cells");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_cells; i++)
    if (!read_cell (json_array_get_element (cells, i), columns, rows, occupied, builder, error))
      return NULL;
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return vg_json_to_string (root);
}

typedef struct {
  const char *name;    /* NULL: not given */
  char *layout;        /* NULL: not given */
  gint64 dwell;        /* 0: not given */
} MosaicFields;

static void
mosaic_fields_clear (MosaicFields *fields)
{
  g_clear_pointer (&fields->layout, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MosaicFields, mosaic_fields_clear)

/* The body's fields; on creation name and layout are required. */
static gboolean
read_mosaic (JsonNode      *body,
             gboolean       creating,
             MosaicFields  *fields,
             GError       **error)
{
  static const char *const allowed[] = { "id", "name", "layout", "dwell", NULL };
  JsonObject *mosaic = vg_json_require_object (body, "mosaic", error);

  if (mosaic == NULL ||
      !vg_json_check_fields (mosaic, allowed, "mosaic", error) ||
      !vg_json_get_string_member (mosaic, "name", creating, &fields->name, error) ||
      !vg_json_get_int_member (mosaic, "dwell", FALSE, 1, DWELL_MAX, &fields->dwell, error))
    return FALSE;

  if (fields->name != NULL &&
      (fields->name[0] == '\0' || g_utf8_strlen (fields->name, -1) > NAME_MAX_CHARS))
    {
      g_set_error (error, VG_ERROR, VG_ERROR_INVALID,
                   "field “name” must have 1 to %d characters", NAME_MAX_CHARS);
      return FALSE;
    }

  if (creating || json_object_has_member (mosaic, "layout"))
    {
      fields->layout = read_layout (mosaic, error);
      if (fields->layout == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Answers */

static void
add_mosaic (JsonBuilder *builder,
            VgDbResult  *rows,
            int          row)
{
  g_autoptr(JsonNode) layout = NULL;
  const char *text = vg_db_result_get_string (rows, row, "layout");

  layout = vg_json_parse (text, strlen (text), NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "id"));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, vg_db_result_get_string (rows, row, "name"));
  json_builder_set_member_name (builder, "layout");
  if (layout != NULL)
    json_builder_add_value (builder, g_steal_pointer (&layout));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "dwell");
  json_builder_add_int_value (builder, vg_db_result_get_int (rows, row, "dwell"));
  json_builder_end_object (builder);
}

static void
respond_mosaics (VgApiRequest *request,
                 VgDbResult   *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mosaics");
  json_builder_begin_array (builder);
  for (int row = 0; row < vg_db_result_get_n_rows (rows); row++)
    add_mosaic (builder, rows, row);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, SOUP_STATUS_OK, body);
}

static void
respond_mosaic_with (VgApiRequest *request,
                     VgDbResult   *rows,
                     guint         status)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  /* Another user's mosaic is as absent as a deleted one. */
  if (vg_db_result_get_n_rows (rows) == 0)
    {
      vg_api_request_respond_object (request, NULL, NULL, "mosaic");
      return;
    }
  builder = json_builder_new ();
  add_mosaic (builder, rows, 0);
  body = json_builder_get_root (builder);
  vg_api_request_respond_json (request, status, body);
}

static void
respond_mosaic (VgApiRequest *request,
                VgDbResult   *rows)
{
  respond_mosaic_with (request, rows, SOUP_STATUS_OK);
}

static void
respond_created (VgApiRequest *request,
                 VgDbResult   *rows)
{
  respond_mosaic_with (request, rows, SOUP_STATUS_CREATED);
}

static void
respond_deleted (VgApiRequest *request,
                 VgDbResult   *rows)
{
  if (vg_db_result_get_n_affected (rows) == 0)
    vg_api_request_respond_object (request, NULL, NULL, "mosaic");
  else
    vg_api_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* Statements run off the main loop for a request */

typedef struct
{
  VgApiRequest *request;
  const char   *sql;       /* static */
  VgDbParams   *params;
  VgDbResult   *rows;
  void        (*respond) (VgApiRequest *request, VgDbResult *rows);
} Query;

static gboolean
query_job (VgDbConnection  *conn,
           gpointer         data,
           GError         **error)
{
  Query *query = data;

  query->rows = vg_db_exec (conn, query->sql, query->params, error);
  return query->rows != NULL;
}

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Query *query = user_data;
  g_autoptr(GError) error = NULL;

  if (!vg_database_run_finish (VG_DATABASE (source), result, &error))
    vg_api_request_respond_error (query->request, error);
  else
    query->respond (query->request, query->rows);
  vg_db_params_free (query->params);
  vg_db_result_free (query->rows);
  g_free (query);
}

static void
run_query (VgApiRequest  *request,
           const char    *sql,
           VgDbParams    *params,
           void         (*respond) (VgApiRequest *, VgDbResult *))
{
  Query *query = g_new0 (Query, 1);

  query->request = request;
  query->sql = sql;
  query->params = params;
  query->respond = respond;
  vg_database_run_async (vg_node_get_database (request->node), query_job, query, NULL,
                         query_done_cb, query);
}

/* $1 the mosaic, $2 the calling user: every statement is limited to the caller's. */
static VgDbParams *
owned_params (VgApiRequest *request)
{
  VgDbParams *params = vg_db_params_new ();

  vg_db_params_add_int (params, request->id);
  vg_db_params_add_int (params, vg_user_get_id (request->user));
  return params;
}

/* Routes */

static void
mosaics_list (VgApiRequest *request)
{
  run_query (request, "SELECT " MOSAIC_COLUMNS " FROM mosaics WHERE user_id = $1 ORDER BY id",
             vg_db_params_add_int (vg_db_params_new (), vg_user_get_id (request->user)),
             respond_mosaics);
}

static void
mosaic_show (VgApiRequest *request)
{
  run_query (request, "SELECT " MOSAIC_COLUMNS " FROM mosaics WHERE id = $1 AND user_id = $2",
             owned_params (request), respond_mosaic);
}

static JsonNode *
read_body (VgApiRequest  *request,
           gboolean       creating,
           MosaicFields  *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = vg_api_request_read_json (request, &error);

  if (body == NULL || !read_mosaic (body, creating, fields, &error))
    {
      vg_api_request_respond_error (request, error);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static void
mosaic_create (VgApiRequest *request)
{
  g_auto(MosaicFields) fields = { NULL, NULL, 0 };
  g_autoptr(JsonNode) body = read_body (request, TRUE, &fields);
  VgDbParams *params;

  if (body == NULL)
    return;

  params = vg_db_params_new ();
  vg_db_params_add_int (params, vg_user_get_id (request->user));
  vg_db_params_add_string (params, fields.name);
  vg_db_params_add_string (params, fields.layout);
  vg_db_params_add_int (params, fields.dwell != 0 ? fields.dwell : DWELL_DEFAULT);
  run_query (request, "INSERT INTO mosaics (user_id, name, layout, dwell) "
             "VALUES ($1, $2, $3::jsonb, $4) RETURNING " MOSAIC_COLUMNS,
             params, respond_created);
}

static void
mosaic_update (VgApiRequest *request)
{
  g_auto(MosaicFields) fields = { NULL, NULL, 0 };
  g_autoptr(JsonNode) body = read_body (request, FALSE, &fields);
  VgDbParams *params;

  if (body == NULL)
    return;

  /* Fields left out are NULL here, and stay as they are. */
  params = owned_params (request);
  vg_db_params_add_string (params, fields.name);
  vg_db_params_add_string (params, fields.layout);
  if (fields.dwell != 0)
    vg_db_params_add_int (params, fields.dwell);
  else
    vg_db_params_add_string (params, NULL);
  run_query (request, "UPDATE mosaics SET name = COALESCE($3, name), "
             "layout = COALESCE($4::jsonb, layout), dwell = COALESCE($5::integer, dwell) "
             "WHERE id = $1 AND user_id = $2 RETURNING " MOSAIC_COLUMNS,
             params, respond_mosaic);
}

static void
mosaic_delete (VgApiRequest *request)
{
  run_query (request, "DELETE FROM mosaics WHERE id = $1 AND user_id = $2",
             owned_params (request), respond_deleted);
}

const VgApiRoute vg_api_mosaic_routes[] = {
  { "GET", "/api/v1/mosaics", VG_API_ACCESS_USER, mosaics_list, FALSE },
  { "POST", "/api/v1/mosaics", VG_API_ACCESS_USER, mosaic_create, FALSE },
  { "GET", "/api/v1/mosaics/{id}", VG_API_ACCESS_USER, mosaic_show, FALSE },
  { "PATCH", "/api/v1/mosaics/{id}", VG_API_ACCESS_USER, mosaic_update, FALSE },
  { "DELETE", "/api/v1/mosaics/{id}", VG_API_ACCESS_USER, mosaic_delete, FALSE },
  { NULL }
};
