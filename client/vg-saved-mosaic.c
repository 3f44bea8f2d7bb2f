/* vg-saved-mosaic.c: a mosaic as the node keeps it for a user (CLI-4, CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vg-saved-mosaic.h"

#define DWELL_DEFAULT 10
/* On a VgMosaic: the name of the saved mosaic it last showed, offered when saving it. */
#define SHOWN_NAME_KEY "vg-saved-mosaic-name"
#define DWELL_MAX     3600

struct _VgSavedMosaic
{
  GObject parent_instance;

  gint64 id;
  char *name;
  guint dwell;
  VgLayout *layout;
  GArray *cameras;     /* gint64 per cell of the layout, 0 for none */
  GArray *main_only;   /* gboolean per cell */
};

G_DEFINE_FINAL_TYPE (VgSavedMosaic, vg_saved_mosaic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DWELL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

VgSavedMosaic *
vg_saved_mosaic_new (const char     *name,
                     VgLayout       *layout,
                     const gint64   *cameras,
                     const gboolean *main_only)
{
  VgSavedMosaic *self;
  guint n_cells;

  g_return_val_if_fail (layout != NULL, NULL);

  self = g_object_new (VG_TYPE_SAVED_MOSAIC, "name", name, NULL);
  self->layout = vg_layout_ref (layout);
  n_cells = vg_layout_get_n_cells (layout);
  g_array_set_size (self->cameras, n_cells);
  g_array_set_size (self->main_only, n_cells);
  for (guint i = 0; i < n_cells; i++)
    {
      g_array_index (self->cameras, gint64, i) = cameras != NULL ? cameras[i] : 0;
      g_array_index (self->main_only, gboolean, i) = main_only != NULL && main_only[i];
    }
  return self;
}

VgSavedMosaic *
vg_saved_mosaic_new_from_mosaic (const char   *name,
                                 VgMosaic     *mosaic,
                                 VgConnection *connection)
{
  guint n_cells;
  g_autofree gint64 *cameras = NULL;
  g_autofree gboolean *main_only = NULL;

  g_return_val_if_fail (VG_IS_MOSAIC (mosaic), NULL);
  g_return_val_if_fail (vg_mosaic_get_layout (mosaic) != NULL, NULL);

  n_cells = vg_mosaic_get_n_cells (mosaic);
  cameras = g_new0 (gint64, MAX (n_cells, 1));
  main_only = g_new0 (gboolean, MAX (n_cells, 1));
  for (guint i = 0; i < n_cells; i++)
    {
      VgVideoView *view = vg_mosaic_get_view (mosaic, i);
      VgCamera *camera = vg_video_view_get_camera (view);

      if (camera != NULL && connection != NULL && vg_mosaic_get_cell_connection (mosaic, i) != connection)
        camera = NULL;   /* another node's: its id means nothing here */
      cameras[i] = camera != NULL ? vg_camera_get_id (camera) : 0;
      main_only[i] = vg_video_view_get_main_stream_only (view);
    }
  if (name == NULL)
    name = g_object_get_data (G_OBJECT (mosaic), SHOWN_NAME_KEY);
  return vg_saved_mosaic_new (name, vg_mosaic_get_layout (mosaic), cameras, main_only);
}

/* Reading (the node validated what it stored; anything odd is skipped or refused) */

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : 0;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static VgLayoutCell
cell_geometry (JsonObject *cell)
{
  return (VgLayoutCell) { (guint) member_int (cell, "x"), (guint) member_int (cell, "y"),
                          (guint) member_int (cell, "w"), (guint) member_int (cell, "h") };
}

VgSavedMosaic *
vg_saved_mosaic_new_from_json (JsonNode  *node,
                               GError   **error)
{
  JsonObject *mosaic = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *layout_object = member_object (mosaic, "layout");
  JsonArray *cells = member_array (layout_object, "cells");
  g_autoptr(GArray) geometry = g_array_new (FALSE, TRUE, sizeof (VgLayoutCell));
  g_autoptr(VgLayout) layout = NULL;
  g_autoptr(VgSavedMosaic) self = NULL;
  JsonNode *name;

  if (cells == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("A saved mosaic without layout"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonNode *element = json_array_get_element (cells, i);
      VgLayoutCell cell;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      cell = cell_geometry (json_node_get_object (element));
      g_array_append_val (geometry, cell);
    }
  layout = vg_layout_new_custom ((guint) member_int (layout_object, "columns"),
                                 (guint) member_int (layout_object, "rows"),
                                 (const VgLayoutCell *) (gpointer) geometry->data, geometry->len,
                                 error);
  if (layout == NULL)
    return NULL;

  self = vg_saved_mosaic_new (NULL, layout, NULL, NULL);
  self->id = member_int (mosaic, "id");
  name = json_object_get_member (mosaic, "name");
  if (name != NULL && JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING)
    self->name = g_strdup (json_node_get_string (name));
  self->dwell = (guint) CLAMP (member_int (mosaic, "dwell"), 1, DWELL_MAX);

  /* The layout keeps its cells in reading order, whatever the JSON's order. */
  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonNode *element = json_array_get_element (cells, i);
      JsonObject *cell;
      JsonNode *stream;
      guint index;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      cell = json_node_get_object (element);
      if (!vg_layout_find_cell (layout, cell_geometry (cell).x, cell_geometry (cell).y, &index))
        continue;
      stream = json_object_get_member (cell, "stream");
      g_array_index (self->cameras, gint64, index) = MAX (member_int (cell, "camera"), 0);
      g_array_index (self->main_only, gboolean, index) =
        stream != NULL && JSON_NODE_HOLDS_VALUE (stream) &&
        g_strcmp0 (json_node_get_string (stream), "main") == 0;
    }

  return g_steal_pointer (&self);
}

/* Writing */

JsonNode *
vg_saved_mosaic_layout_to_json (VgSavedMosaic *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "columns");
  json_builder_add_int_value (builder, vg_layout_get_columns (self->layout));
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, vg_layout_get_rows (self->layout));
  json_builder_set_member_name (builder, "cells");
  json_builder_begin_array (builder);
  for (guint i = 0; i < vg_layout_get_n_cells (self->layout); i++)
    {
      const VgLayoutCell *cell = vg_layout_get_cell (self->layout, i);
      gint64 camera = g_array_index (self->cameras, gint64, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "x");
      json_builder_add_int_value (builder, cell->x);
      json_builder_set_member_name (builder, "y");
      json_builder_add_int_value (builder, cell->y);
      json_builder_set_member_name (builder, "w");
      json_builder_add_int_value (builder, cell->width);
      json_builder_set_member_name (builder, "h");
      json_builder_add_int_value (builder, cell->height);
      json_builder_set_member_name (builder, "camera");
      if (camera > 0)
        json_builder_add_int_value (builder, camera);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "stream");
      if (g_array_index (self->main_only, gboolean, i))
        json_builder_add_string_value (builder, "main");
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
vg_saved_mosaic_to_json (VgSavedMosaic *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name != NULL ? self->name : "");
  json_builder_set_member_name (builder, "layout");
  json_builder_add_value (builder, vg_saved_mosaic_layout_to_json (self));
  json_builder_set_member_name (builder, "dwell");
  json_builder_add_int_value (builder, self->dwell);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Showing */

void
vg_saved_mosaic_apply (VgSavedMosaic *self,
                       VgMosaic      *mosaic,
                       VgConnection  *connection)
{
  g_return_if_fail (VG_IS_SAVED_MOSAIC (self));
  g_return_if_fail (VG_IS_MOSAIC (mosaic));
  g_return_if_fail (connection == NULL || VG_IS_CONNECTION (connection));

  vg_mosaic_set_layout (mosaic, self->layout);
  g_object_set_data_full (G_OBJECT (mosaic), SHOWN_NAME_KEY, g_strdup (self->name), g_free);
  for (guint i = 0; i < vg_mosaic_get_n_cells (mosaic) && i < self->cameras->len; i++)
    {
      gint64 id = g_array_index (self->cameras, gint64, i);
      VgCamera *camera = id > 0 && connection != NULL
                         ? vg_connection_lookup_camera (connection, id) : NULL;

      vg_video_view_set_main_stream_only (vg_mosaic_get_view (mosaic, i),
                                          g_array_index (self->main_only, gboolean, i));
      vg_mosaic_set_cell (mosaic, i, camera != NULL ? connection : NULL, camera);
    }
}

/* Accessors */

gint64
vg_saved_mosaic_get_id (VgSavedMosaic *self)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), 0);

  return self->id;
}

const char *
vg_saved_mosaic_get_name (VgSavedMosaic *self)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), NULL);

  return self->name;
}

void
vg_saved_mosaic_set_name (VgSavedMosaic *self,
                          const char    *name)
{
  g_return_if_fail (VG_IS_SAVED_MOSAIC (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint
vg_saved_mosaic_get_dwell (VgSavedMosaic *self)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), DWELL_DEFAULT);

  return self->dwell;
}

void
vg_saved_mosaic_set_dwell (VgSavedMosaic *self,
                           guint          dwell)
{
  g_return_if_fail (VG_IS_SAVED_MOSAIC (self));

  dwell = CLAMP (dwell, 1, DWELL_MAX);
  if (self->dwell == dwell)
    return;
  self->dwell = dwell;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DWELL]);
}

/**
 * vg_saved_mosaic_get_layout:
 *
 * Returns: (transfer none): its layout
 */
VgLayout *
vg_saved_mosaic_get_layout (VgSavedMosaic *self)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), NULL);

  return self->layout;
}

gint64
vg_saved_mosaic_get_camera (VgSavedMosaic *self,
                            guint          index)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), 0);
  g_return_val_if_fail (index < self->cameras->len, 0);

  return g_array_index (self->cameras, gint64, index);
}

gboolean
vg_saved_mosaic_get_main_only (VgSavedMosaic *self,
                               guint          index)
{
  g_return_val_if_fail (VG_IS_SAVED_MOSAIC (self), FALSE);
  g_return_val_if_fail (index < self->main_only->len, FALSE);

  return g_array_index (self->main_only, gboolean, index);
}

/* GObject */

static void
vg_saved_mosaic_finalize (GObject *object)
{
  VgSavedMosaic *self = VG_SAVED_MOSAIC (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->layout, vg_layout_unref);
  g_array_unref (self->cameras);
  g_array_unref (self->main_only);

  G_OBJECT_CLASS (vg_saved_mosaic_parent_class)->finalize (object);
}

static void
vg_saved_mosaic_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VgSavedMosaic *self = VG_SAVED_MOSAIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DWELL:
      g_value_set_uint (value, self->dwell);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_saved_mosaic_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VgSavedMosaic *self = VG_SAVED_MOSAIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      vg_saved_mosaic_set_name (self, g_value_get_string (value));
      break;
    case PROP_DWELL:
      vg_saved_mosaic_set_dwell (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_saved_mosaic_class_init (VgSavedMosaicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vg_saved_mosaic_finalize;
  object_class->get_property = vg_saved_mosaic_get_property;
  object_class->set_property = vg_saved_mosaic_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DWELL] =
    g_param_spec_uint ("dwell", NULL, NULL, 1, DWELL_MAX, DWELL_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_saved_mosaic_init (VgSavedMosaic *self)
{
  self->dwell = DWELL_DEFAULT;
  self->cameras = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->main_only = g_array_new (FALSE, TRUE, sizeof (gboolean));
}
