#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "atomic-file.h"

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, struct sv_error *err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	const char *p = data;
	size_t left = len;

	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot create '%s'", tmp);
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			unlink(tmp);
			return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, e, "cannot write '%s'", tmp);
		}
		p += n;
		left -= (size_t)n;
	}
	/* The data reaches the disk before the name points at it. */
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, e, "cannot save '%s'", path);
	}
	return 0;
}

int file_read_all(const char *path, char **out, size_t *len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r;
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	*out = TAKE_PTR(buf);
	return 0;
}
