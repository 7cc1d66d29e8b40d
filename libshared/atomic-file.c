/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "log.h"

static int fsync_dir_of(const char *path)
{
	_cleanup_free_ char *copy = xstrdup(path);
	_cleanup_close_ int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0 || fsync(dfd) < 0)
		return -errno;
	return 0;
}

enum sync_level { SYNC_NONE, SYNC_FILE, SYNC_FILE_AND_DIR };

/* The directory's entry of a rename or removal goes to disk: dirfd, or path's directory when
 * dirfd is AT_FDCWD. */
static int fsync_dir_at(int dirfd, const char *path)
{
	if (dirfd != AT_FDCWD)
		return fsync(dirfd) < 0 ? -errno : 0;
	return fsync_dir_of(path);
}

/* path is relative to dirfd (AT_FDCWD: as open(2) takes it). */
static int write_renamed(int dirfd, const char *path, const void *data, size_t len, mode_t mode,
			 enum sync_level sync, struct sv_error *err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	_cleanup_close_ int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	const char *p = data;
	int r;

	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot create '%s'", tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			unlinkat(dirfd, tmp, 0);
			return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, r, "cannot write '%s'", tmp);
		}
		p += n;
		len -= n;
	}
	/* The data is on disk before the rename makes it visible under the name: a crash never
	 * leaves the file empty or half written. */
	if (sync != SYNC_NONE && fsync(fd) < 0) {
		r = -errno;
		unlinkat(dirfd, tmp, 0);
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, r, "cannot fsync '%s'", tmp);
	}
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		r = -errno;
		unlinkat(dirfd, tmp, 0);
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, r, "cannot rename '%s' to '%s'", tmp, path);
	}
	if (sync != SYNC_FILE_AND_DIR)
		return 0;
	/* The rename itself (the directory entry) goes to disk: the old content cannot come back.
	 * The rename is the change: from here on the caller must report it done. A directory that
	 * cannot be fsynced only leaves its durability to the next sync of the filesystem. */
	r = fsync_dir_at(dirfd, path);
	if (r < 0)
		log_warn("'%s' written, but its directory cannot be fsynced: %s", path, strerror(-r));
	return 0;
}

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err)
{
	return write_renamed(AT_FDCWD, path, data, len, mode, SYNC_FILE_AND_DIR, err);
}

int atomic_file_replace(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err)
{
	return write_renamed(AT_FDCWD, path, data, len, mode, SYNC_NONE, err);
}

int atomic_file_write_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
			 struct sv_error *err)
{
	return write_renamed(dirfd, name, data, len, mode, SYNC_FILE_AND_DIR, err);
}

int atomic_file_write_nodirsync(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err)
{
	return write_renamed(AT_FDCWD, path, data, len, mode, SYNC_FILE, err);
}

int atomic_file_sync_dir(const char *dir, struct sv_error *err)
{
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0 || fsync(dfd) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot fsync the directory '%s'", dir);
	return 0;
}

int file_read_all(const char *path, char **data, size_t *len, struct sv_error *err)
{
	return file_read_all_at(AT_FDCWD, path, data, len, err);
}

int file_read_all_at(int dirfd, const char *path, char **data, size_t *len, struct sv_error *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t used = 0, cap = 0;

	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot open '%s'", path);
	for (;;) {
		if (cap - used < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		used += n;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	*data = TAKE_PTR(buf);
	return 0;
}

static int remove_at(int dirfd, const char *path, struct sv_error *err)
{
	if (unlinkat(dirfd, path, 0) < 0) {
		if (errno == ENOENT)
			return 0;
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot remove '%s'", path);
	}
	return 1;
}

int atomic_file_remove_nodirsync(const char *path, struct sv_error *err)
{
	return remove_at(AT_FDCWD, path, err);
}

int atomic_file_remove_at(int dirfd, const char *path, struct sv_error *err)
{
	int r = remove_at(dirfd, path, err);

	if (r <= 0)
		return r;
	/* The removal goes to disk: the file cannot come back after a crash. Removed is done, as
	 * for a write above. */
	r = fsync_dir_at(dirfd, path);
	if (r < 0)
		log_warn("'%s' removed, but its directory cannot be fsynced: %s", path, strerror(-r));
	return 0;
}

int atomic_file_remove(const char *path, struct sv_error *err)
{
	return atomic_file_remove_at(AT_FDCWD, path, err);
}

bool atomic_file_is_tmp_name(const char *name)
{
	const char *p = strstr(name, ".tmp.");
	const char *digits;

	if (!p || p == name)
		return false;
	/* the last ".tmp." counts: a definition may be named "a.tmp.b" */
	for (const char *q; (q = strstr(p + 1, ".tmp.")); p = q)
		;
	digits = p + strlen(".tmp.");
	if (!*digits)
		return false;
	for (const char *c = digits; *c; c++)
		if (*c < '0' || *c > '9')
			return false;
	return true;
}

int atomic_file_clean_stale(const char *dir)
{
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int removed = 0;

	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d)
		return -errno;
	dfd = -1; /* the DIR owns it now */
	while ((e = readdir(d))) {
		struct stat st;

		if (!atomic_file_is_tmp_name(e->d_name))
			continue;
		/* regular files only: never follow or remove a symlink, directory or socket */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	if (removed > 0)
		fsync(dirfd(d));
	closedir(d);
	return removed;
}
