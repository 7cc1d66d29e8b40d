/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copies the data extents only (SEEK_DATA/SEEK_HOLE), then sets the size: holes stay holes. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "storaged_copy.h"
#include "util.h"

static int copy_range(int src, int dst, off_t off, off_t len)
{
	static char buf[1 << 20];

	while (len > 0) {
		loff_t in = off, out = off;
		ssize_t n = copy_file_range(src, &in, dst, &out, (size_t)len, 0);
		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
			/* older kernels and some filesystems: plain reads and writes */
			n = pread(src, buf, len < (off_t)sizeof(buf) ? (size_t)len : sizeof(buf), off);
			if (n > 0 && pwrite(dst, buf, (size_t)n, off) != n)
				return -errno ? -errno : -EIO;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		off += n;
		len -= n;
	}
	return 0;
}

int storaged_copy_sparse_range(int src, int dst, off_t from, off_t to, struct sv_error *err)
{
	off_t pos = from;
	int r;

	while (pos < to) {
		off_t data = lseek(src, pos, SEEK_DATA), hole;
		if (data < 0 && errno == ENXIO)
			break; /* only a hole up to the end */
		if (data < 0)
			data = pos; /* no SEEK_DATA here: copy everything */
		if (data >= to)
			break;
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0 || hole > to)
			hole = to;
		r = copy_range(src, dst, data, hole - data);
		if (r < 0)
			return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, -r, "cannot copy the volume's data");
		pos = hole;
	}
	return 0;
}

int storaged_copy_sparse(int src, int dst, struct sv_error *err)
{
	struct stat st;

	if (fstat(src, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot stat the source volume");
	int r = storaged_copy_sparse_range(src, dst, 0, st.st_size, err);
	if (r < 0)
		return r;
	if (ftruncate(dst, st.st_size) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot set the size of the copy");
	return 0;
}
