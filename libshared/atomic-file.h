/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Durable replacement of a file: write a temp file beside it, fsync it, rename it over the
 * target, fsync the directory. A definition reported saved survives a crash at any instant.
 * An error means the target was not changed: once the rename is done the write reports success
 * (a directory fsync that fails after it is logged), so a caller never answers an error for a
 * change that happened. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err);
/* Replacement that is atomic against the writer's own death but not durable (no fsync): for
 * state that a host crash makes worthless anyway (the live state of a QEMU that died with it). */
int atomic_file_replace(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err);
/* The same relative to a directory fd (a confined daemon that may open files only there):
 * name inside dirfd, whose own fsync makes the rename durable. */
int atomic_file_write_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
			 struct sv_error *err);
int atomic_file_remove_at(int dirfd, const char *name, struct sv_error *err);
/* Reads a whole file (NUL-terminated); *len may be NULL. */
int file_read_all(const char *path, char **data, size_t *len, struct sv_error *err);
int file_read_all_at(int dirfd, const char *path, char **data, size_t *len, struct sv_error *err);
/* Removes path and fsyncs its directory, so the removal is durable too. ENOENT is success. */
int atomic_file_remove(const char *path, struct sv_error *err);

/* Group commit (group-commit.h): the same without the directory's fsync, which the caller does
 * once for every rename and removal made since the last one (atomic_file_sync_dir). Until then
 * the new content is safely on disk but the name may still show the old one after a crash.
 * atomic_file_remove_nodirsync returns 1 when it removed something, 0 when there was nothing. */
int atomic_file_write_nodirsync(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err);
int atomic_file_remove_nodirsync(const char *path, struct sv_error *err);
int atomic_file_sync_dir(const char *dir, struct sv_error *err);

/* Removes the temp files atomic_file_write() left in dir when a process died between creating
 * and renaming them ("NAME.tmp.PID", regular files only; nothing else is touched). Only for the
 * directories of the calling daemon, called at start while it holds its instance lock
 * (instance.h): no other writer can be in the middle of a write there, so every such file is
 * stale whatever its PID says (a PID may be reused or belong to another pid namespace).
 * Returns how many were removed, or -errno when dir cannot be listed. */
int atomic_file_clean_stale(const char *dir);
/* Whether name is such a temp file name ("X.tmp.1234"). */
bool atomic_file_is_tmp_name(const char *name);
