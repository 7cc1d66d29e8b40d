/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which host files a QEMU may be given as a <disk type='file'> image: only regular files under
 * the configured image directories. The spawner opens them (QEMU never opens a host path and
 * its uid has no right to), qemud checks the same rule lexically at define. */
#pragma once

#include "error.h"
#include "paths.h"

/* $SEPVIRT_IMAGE_DIRS (colon-separated absolute directories), else state_dir/images and, without
 * SEPVIRT_ROOT, /var/lib/libvirt/images too. */
void qemud_images_init(const struct sv_paths *paths);
void qemud_images_fini(void);
/* "DIR1:DIR2", for messages. */
const char *qemud_images_dirs(void);
/* disk names the disk for the message ("vda"). Absolute, no '.' or '..' component, inside a
 * directory: else an error naming the path and the directories. */
int qemud_image_path_check(const char *disk, const char *path, struct sv_error *err);
/* The spawner's side: the path resolved (realpath) must still be inside a directory; it is
 * opened with no symlink followed and must be a regular file. Returns the fd. */
int qemud_image_open(const char *path, bool read_only, struct sv_error *err);
