/* vg-gop-cache.c: the last pictures of a live stream, from a keyframe on (LIVE-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-gop-cache.h"

#define DEFAULT_MAX_BYTES (8 * 1024 * 1024)

typedef struct
{
  GPtrArray *units;    /* VgAccessUnit *, the first a video keyframe */
  gsize      bytes;
  guint      pictures;
} Group;

struct _VgGopCache
{
  gsize max_bytes;
  guint min_frames;
  Group previous;
  Group current;
};

static void
group_init (Group *group)
{
  group->units = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);
  group->bytes = 0;
  group->pictures = 0;
}

static void
group_clear (Group *group)
{
  g_ptr_array_set_size (group->units, 0);
  group->bytes = 0;
  group->pictures = 0;
}

static void
group_add (Group *group, VgAccessUnit *unit)
{
  g_ptr_array_add (group->units, vg_access_unit_ref (unit));
  group->bytes += unit->size;
  if (vg_codec_is_video (unit->codec))
    group->pictures++;
}

VgGopCache *
vg_gop_cache_new (gsize max_bytes, guint min_frames)
{
  VgGopCache *self = g_new0 (VgGopCache, 1);

  self->max_bytes = max_bytes ? max_bytes : DEFAULT_MAX_BYTES;
  self->min_frames = min_frames;
  group_init (&self->previous);
  group_init (&self->current);
  return self;
}

void
vg_gop_cache_free (VgGopCache *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->previous.units);
  g_ptr_array_unref (self->current.units);
  g_free (self);
}

/* A new group starts: the current one becomes the previous one. */
static void
start_group (VgGopCache *self)
{
  Group spare = self->previous;

  self->previous = self->current;
  self->current = spare;
  group_clear (&self->current);
}

void
vg_gop_cache_push (VgGopCache *self, VgAccessUnit *unit)
{
  gboolean video = vg_codec_is_video (unit->codec);

  g_return_if_fail (self != NULL && unit != NULL);

  if (video && unit->keyframe)
    start_group (self);
  else if (self->current.units->len == 0)
    return;   /* nothing to continue before the first keyframe */

  group_add (&self->current, unit);
  if (self->previous.bytes + self->current.bytes > self->max_bytes)
    group_clear (&self->previous);
  if (self->current.bytes > self->max_bytes)
    group_clear (&self->current);
}

void
vg_gop_cache_clear (VgGopCache *self)
{
  g_return_if_fail (self != NULL);
  group_clear (&self->previous);
  group_clear (&self->current);
}

static void
append_group (GPtrArray *out, const Group *group)
{
  for (guint i = 0; i < group->units->len; i++)
    g_ptr_array_add (out, vg_access_unit_ref (group->units->pdata[i]));
}

GPtrArray *
vg_gop_cache_dup (VgGopCache *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) vg_access_unit_unref);

  g_return_val_if_fail (self != NULL, out);
  if (self->current.pictures < self->min_frames)
    append_group (out, &self->previous);
  append_group (out, &self->current);
  return out;
}

gsize
vg_gop_cache_get_bytes (VgGopCache *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->previous.bytes + self->current.bytes;
}
