/* vg-stream-choice.h: which stream of a camera a video cell shows (CLI-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigie.h"

G_BEGIN_DECLS

/* A cell whose picture is larger than this (in device pixels, either side) shows the
 * main stream: 1.5 × a 640×360 sub stream. */
#define VG_STREAM_CHOICE_MAIN_MIN_WIDTH  960
#define VG_STREAM_CHOICE_MAIN_MIN_HEIGHT 540

/* Whether a cell of width × height device pixels, digitally zoomed by zoom (1 = not
 * zoomed), deserves the main stream rather than the sub stream. */
gboolean  vg_stream_choice_wants_main (int width, int height, double zoom);

/* The stream to show, from a camera's streams (VgStream), or NULL when it has none.
 * want_main: the stream with the "live" role, else one named "main", else the first.
 * Otherwise: the stream with the "mosaic" role, else one named "sub", else as for
 * want_main. */
VgStream *vg_stream_choice_pick       (GPtrArray *streams, gboolean want_main);

G_END_DECLS
