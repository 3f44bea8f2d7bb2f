/* vg-access-unit.c: one timestamped frame (video) or audio packet from a camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vg-access-unit.h"

#include <string.h>

static const char *const codec_names[] = {
  [VG_CODEC_NONE] = "none",
  [VG_CODEC_H264] = "h264",
  [VG_CODEC_H265] = "h265",
  [VG_CODEC_MPEG4] = "mpeg4",
  [VG_CODEC_JPEG] = "jpeg",
  [VG_CODEC_AAC] = "aac",
  [VG_CODEC_PCMA] = "pcma",
  [VG_CODEC_PCMU] = "pcmu",
  [VG_CODEC_G726] = "g726",
};

const char *
vg_codec_to_string (VgCodec codec)
{
  g_return_val_if_fail ((guint) codec < G_N_ELEMENTS (codec_names), "none");
  return codec_names[codec];
}

gboolean
vg_codec_is_video (VgCodec codec)
{
  return codec == VG_CODEC_H264 || codec == VG_CODEC_H265 || codec == VG_CODEC_MPEG4 ||
         codec == VG_CODEC_JPEG;
}

VgAccessUnit *
vg_access_unit_new_take (VgCodec codec, guint8 *data, gsize size)
{
  VgAccessUnit *unit = g_new0 (VgAccessUnit, 1);

  unit->codec = codec;
  unit->data = data;
  unit->size = size;
  unit->ref_count = 1;
  unit->keyframe = !vg_codec_is_video (codec) || codec == VG_CODEC_JPEG;
  return unit;
}

VgAccessUnit *
vg_access_unit_new (VgCodec codec, const guint8 *data, gsize size)
{
  return vg_access_unit_new_take (codec, size ? g_memdup2 (data, size) : NULL, size);
}

VgAccessUnit *
vg_access_unit_ref (VgAccessUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);
  g_atomic_int_inc (&unit->ref_count);
  return unit;
}

void
vg_access_unit_unref (VgAccessUnit *unit)
{
  if (unit == NULL)
    return;
  if (g_atomic_int_dec_and_test (&unit->ref_count))
    {
      g_free (unit->data);
      g_free (unit);
    }
}

VgTrackInfo *
vg_track_info_copy (const VgTrackInfo *info)
{
  VgTrackInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);
  copy = g_memdup2 (info, sizeof *info);
  if (info->codec_private)
    copy->codec_private = g_bytes_ref (info->codec_private);
  return copy;
}

void
vg_track_info_free (VgTrackInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->codec_private, g_bytes_unref);
  g_free (info);
}
