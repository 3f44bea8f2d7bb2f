/* vg-mosaic-cycle.c: a user's saved mosaics shown one after the other (CLI-6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-mosaic-cycle.h"
#include "vg-saved-mosaic.h"

struct _VgMosaicCycle
{
  GObject parent_instance;

  VgMosaic *mosaic;            /* weak */
  VgConnection *connection;
  GPtrArray *entries;          /* of VgSavedMosaic */
  GCancellable *cancellable;
  gboolean running;
  gboolean paused;
  guint position;
  guint dwell_id;
};

G_DEFINE_FINAL_TYPE (VgMosaicCycle, vg_mosaic_cycle, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PAUSED,
  PROP_POSITION,
  PROP_N_MOSAICS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Showing */

static void vg_mosaic_cycle_schedule (VgMosaicCycle *self);

static void
vg_mosaic_cycle_show (VgMosaicCycle *self)
{
  if (self->mosaic == NULL)
    return;

  vg_saved_mosaic_apply (g_ptr_array_index (self->entries, self->position), self->mosaic,
                         self->connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static gboolean
dwell_cb (gpointer data)
{
  VgMosaicCycle *self = data;

  self->dwell_id = 0;
  vg_mosaic_cycle_next (self);
  return G_SOURCE_REMOVE;
}

static void
vg_mosaic_cycle_schedule (VgMosaicCycle *self)
{
  VgSavedMosaic *entry;

  g_clear_handle_id (&self->dwell_id, g_source_remove);
  if (!self->running || self->paused || self->entries->len < 2)
    return;

  entry = g_ptr_array_index (self->entries, self->position);
  self->dwell_id = g_timeout_add_seconds (vg_saved_mosaic_get_dwell (entry), dwell_cb, self);
}

static void
vg_mosaic_cycle_set_running (VgMosaicCycle *self,
                             gboolean       running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
mosaics_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VgMosaicCycle *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;

  body = vg_api_client_request_finish (VG_API_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  object = body != NULL && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  if (object == NULL || !json_object_has_member (object, "mosaics") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "mosaics")) ||
      !vg_mosaic_cycle_start_with (self, json_object_get_array_member (object, "mosaics"), &error))
    g_message ("No mosaic cycle: %s", error != NULL ? error->message : "unexpected answer");
}

/* Public */

VgMosaicCycle *
vg_mosaic_cycle_new (VgMosaic     *mosaic,
                     VgConnection *connection)
{
  VgMosaicCycle *self;

  g_return_val_if_fail (VG_IS_MOSAIC (mosaic), NULL);
  g_return_val_if_fail (connection == NULL || VG_IS_CONNECTION (connection), NULL);

  self = g_object_new (VG_TYPE_MOSAIC_CYCLE, NULL);
  self->mosaic = mosaic;
  g_object_add_weak_pointer (G_OBJECT (mosaic), (gpointer *) &self->mosaic);
  g_set_object (&self->connection, connection);
  return self;
}

void
vg_mosaic_cycle_start (VgMosaicCycle *self)
{
  g_return_if_fail (VG_IS_MOSAIC_CYCLE (self));

  if (self->connection == NULL || vg_connection_get_api_client (self->connection) == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vg_api_client_request_async (vg_connection_get_api_client (self->connection), "GET",
                               "/api/v1/mosaics", NULL, self->cancellable,
                               mosaics_loaded_cb, self);
}

gboolean
vg_mosaic_cycle_start_with (VgMosaicCycle  *self,
                            JsonArray      *mosaics,
                            GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (VG_IS_MOSAIC_CYCLE (self), FALSE);
  g_return_val_if_fail (mosaics != NULL, FALSE);

  for (guint i = 0; i < json_array_get_length (mosaics); i++)
    {
      VgSavedMosaic *entry = vg_saved_mosaic_new_from_json (json_array_get_element (mosaics, i),
                                                            error);

      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (entries, entry);
    }
  if (entries->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no saved mosaic");
      return FALSE;
    }

  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&entries);
  self->position = 0;
  vg_mosaic_cycle_set_running (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MOSAICS]);
  vg_mosaic_cycle_show (self);
  vg_mosaic_cycle_schedule (self);
  return TRUE;
}

void
vg_mosaic_cycle_stop (VgMosaicCycle *self)
{
  g_return_if_fail (VG_IS_MOSAIC_CYCLE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->dwell_id, g_source_remove);
  vg_mosaic_cycle_set_running (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gboolean
vg_mosaic_cycle_get_running (VgMosaicCycle *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC_CYCLE (self), FALSE);

  return self->running;
}

void
vg_mosaic_cycle_set_paused (VgMosaicCycle *self,
                            gboolean       paused)
{
  g_return_if_fail (VG_IS_MOSAIC_CYCLE (self));

  if (self->paused == !!paused)
    return;

  self->paused = !!paused;
  vg_mosaic_cycle_schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
vg_mosaic_cycle_get_paused (VgMosaicCycle *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC_CYCLE (self), FALSE);

  return self->paused;
}

void
vg_mosaic_cycle_next (VgMosaicCycle *self)
{
  g_return_if_fail (VG_IS_MOSAIC_CYCLE (self));

  if (!self->running || self->entries->len == 0)
    return;

  self->position = (self->position + 1) % self->entries->len;
  vg_mosaic_cycle_show (self);
  vg_mosaic_cycle_schedule (self);
}

guint
vg_mosaic_cycle_get_position (VgMosaicCycle *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC_CYCLE (self), G_MAXUINT);

  return self->running ? self->position : G_MAXUINT;
}

guint
vg_mosaic_cycle_get_n_mosaics (VgMosaicCycle *self)
{
  g_return_val_if_fail (VG_IS_MOSAIC_CYCLE (self), 0);

  return self->entries->len;
}

/* GObject */

static void
vg_mosaic_cycle_dispose (GObject *object)
{
  VgMosaicCycle *self = VG_MOSAIC_CYCLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->dwell_id, g_source_remove);
  if (self->mosaic != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->mosaic), (gpointer *) &self->mosaic);
  self->mosaic = NULL;
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (vg_mosaic_cycle_parent_class)->dispose (object);
}

static void
vg_mosaic_cycle_finalize (GObject *object)
{
  VgMosaicCycle *self = VG_MOSAIC_CYCLE (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (vg_mosaic_cycle_parent_class)->finalize (object);
}

static void
vg_mosaic_cycle_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VgMosaicCycle *self = VG_MOSAIC_CYCLE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, vg_mosaic_cycle_get_position (self));
      break;
    case PROP_N_MOSAICS:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_mosaic_cycle_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VgMosaicCycle *self = VG_MOSAIC_CYCLE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      vg_mosaic_cycle_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vg_mosaic_cycle_class_init (VgMosaicCycleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vg_mosaic_cycle_dispose;
  object_class->finalize = vg_mosaic_cycle_finalize;
  object_class->get_property = vg_mosaic_cycle_get_property;
  object_class->set_property = vg_mosaic_cycle_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MOSAICS] =
    g_param_spec_uint ("n-mosaics", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vg_mosaic_cycle_init (VgMosaicCycle *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}
