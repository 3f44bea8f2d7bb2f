/* vg-launch-options.h: the client's command line, parsed and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VG_MOSAIC_SIZE_MAX 16
#define VG_DEFAULT_API_PORT 8443

/**
 * VgLaunchOptions:
 *
 * What `vigie [--connect https://USER@HOST:PORT] [--mosaic COLSxROWS] [--fullscreen]
 * [--play ID [--at ISO8601]]` asks for. The password is never on the command line: it
 * comes from VIGIE_PASSWORD or the keyring.
 */
typedef struct {
  char      *base_url;        /* "https://HOST:PORT", NULL without --connect */
  char      *user;            /* NULL without --connect */
  guint      mosaic_columns;  /* 0 without --mosaic */
  guint      mosaic_rows;
  gboolean   fullscreen;
  gint64     play_camera_id;  /* 0 without --play */
  GDateTime *play_at;         /* UTC; NULL without --at */
} VgLaunchOptions;

/* The GOptionEntry table for g_application_add_main_option_entries(). */
const GOptionEntry *vg_launch_options_get_entries   (void);

/* From the options GApplication parsed. G_OPTION_ERROR_BAD_VALUE with a message for
 * the user when a value is malformed. */
VgLaunchOptions    *vg_launch_options_new_from_dict (GVariantDict *dict, GError **error);
void                vg_launch_options_free          (VgLaunchOptions *options);

/* "https://USER@HOST[:PORT][/]" → base URL "https://HOST:PORT" and the user. The port
 * defaults to 8443. A password in the address is refused. G_OPTION_ERROR_BAD_VALUE. */
gboolean            vg_launch_options_parse_connect (const char *address, char **base_url,
                                                     char **user, GError **error);
/* The inverse: "https://USER@HOST:PORT". */
char               *vg_launch_options_format_connect (const char *base_url, const char *user);
/* "COLSxROWS", each 1–16. G_OPTION_ERROR_BAD_VALUE. */
gboolean            vg_launch_options_parse_mosaic  (const char *text, guint *columns,
                                                     guint *rows, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VgLaunchOptions, vg_launch_options_free)

G_END_DECLS
