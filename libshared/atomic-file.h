/* Atomic file replacement: write a temp file beside the target, fsync, rename over it, so a
 * process killed at any instant leaves either the old or the new content. */
#pragma once

#include <sys/types.h>

#include "error.h"

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err);
/* Reads a whole (small) file into a NUL-terminated buffer. -errno, nothing set, on failure. */
int file_read_all(const char *path, char **out, size_t *len);
