/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volumes: lookup, header probing and XML (see storaged_volume.h). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/statvfs.h>

#include "log.h"
#include "storaged_pool.h"
#include "storaged_volume.h"
#include "xml/names.h"

void storaged_vol_clear(struct storaged_vol *v)
{
	free(v->name);
	free(v->path);
	memset(v, 0, sizeof(*v));
}

int storaged_err_no_vol(struct sv_error *err, const char *what, const char *name)
{
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_NO_VOLUME, ENOENT,
			    "Storage volume not found: no storage vol with matching %s '%s'", what, name);
}

int storaged_vol_name_check(const char *name, struct sv_error *err)
{
	int r = sv_name_validate("volume", name, err);

	if (r < 0 && err) {
		err->domain = SV_FROM_STORAGE;
		err->code = SV_ERR_INVALID_ARG;
	}
	return r;
}

int storaged_vol_probe_fd(int fd, const char *name, const char *path, struct storaged_vol *v,
			  struct sv_error *err)
{
	uint8_t hdr[512];
	struct stat st;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	if (fstat(fd, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot stat '%s'", path);
	n = pread(fd, hdr, sizeof(hdr), 0);
	v->format = VOLUME_FORMAT_RAW;
	v->capacity = st.st_size;
	if (n > 0 && storaged_qcow2_detect(hdr, (size_t)n)) {
		struct qcow2_info qi;
		int r = storaged_qcow2_probe(fd, &qi, err);
		if (r < 0)
			return r;
		v->format = VOLUME_FORMAT_QCOW2;
		v->capacity = qi.size;
		memcpy(v->backing, qi.backing, sizeof(v->backing));
		memcpy(v->backing_format, qi.backing_format, sizeof(v->backing_format));
		memcpy(v->data_file, qi.data_file, sizeof(v->data_file));
		v->external_data = qi.external_data;
	}
	v->allocation = (unsigned long long)st.st_blocks * 512;
	v->mode = st.st_mode & 07777;
	v->uid = st.st_uid;
	v->gid = st.st_gid;
	v->name = xstrdup(name);
	v->path = xstrdup(path);
	return 0;
}

int storaged_vol_open(struct storaged_pool *p, const char *name, int flags, struct sv_error *err)
{
	int fd = openat(p->dir_fd, name, flags | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return storaged_err_no_vol(err, "name", name);
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot open volume '%s'", name);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return storaged_err_no_vol(err, "name", name);
	}
	/* O_NONBLOCK only kept a FIFO from blocking the open */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int storaged_vol_lookup(struct storaged_pool *p, const char *name, struct storaged_vol *v, struct sv_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *path = NULL;

	if (storaged_vol_name_check(name, NULL) < 0)
		return storaged_err_no_vol(err, "name", name);
	fd = storaged_vol_open(p, name, O_RDONLY, err);
	if (fd < 0)
		return fd;
	path = xasprintf("%s/%s", p->def->target_path, name);
	return storaged_vol_probe_fd(fd, name, path, v, err);
}

int storaged_vol_resolve(const char *pool, const char *volume, struct storaged_pool **pp, struct storaged_vol *v,
			 struct sv_error *err)
{
	struct storaged_pool *p;
	const char *name;
	int r;

	if (!volume || !*volume)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL, "no storage volume given");
	if (!pool || !*pool) {
		/* a path or key, as virsh vol-info /path/to/vol */
		p = storaged_pool_by_file(volume, &name);
		if (!p)
			return storaged_err_no_vol(err, "path", volume);
		r = storaged_vol_lookup(p, name, v, err);
		if (r == -ENOENT)
			return storaged_err_no_vol(err, "path", volume);
	} else {
		r = storaged_pool_get(pool, true, &p, err);
		if (r < 0)
			return r;
		r = storaged_vol_lookup(p, volume, v, err);
	}
	if (r >= 0)
		*pp = p;
	return r;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct storaged_vol *)a)->name, ((const struct storaged_vol *)b)->name);
}

int storaged_vol_list(struct storaged_pool *p, struct storaged_vol **out, size_t *n, struct sv_error *err)
{
	_cleanup_close_ int dfd = openat(p->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct storaged_vol *vols = NULL;
	size_t nv = 0;
	struct dirent *de;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!d)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot list '%s'",
					  p->def->target_path);
	dfd = -1;
	while ((de = readdir(d))) {
		struct storaged_vol v;
		if (de->d_name[0] == '.')
			continue;
		/* not a regular file, vanished, or a damaged header: not listed, as libvirt skips it */
		if (storaged_vol_lookup(p, de->d_name, &v, NULL) < 0)
			continue;
		vols = xrealloc(vols, (nv + 1) * sizeof(*vols));
		vols[nv++] = v;
	}
	closedir(d);
	if (nv)
		qsort(vols, nv, sizeof(*vols), by_name);
	*out = vols;
	*n = nv;
	return 0;
}

int storaged_vol_format_xml(const struct storaged_vol *v, char **out, struct sv_error *err)
{
	struct volume_def def = { 0 };

	def.name = v->name;
	def.key = v->path;
	def.target_path = v->path;
	def.capacity = v->capacity;
	def.allocation = v->allocation;
	def.has_allocation = true;
	def.format = v->format;
	storage_perms_init(&def.perms);
	def.perms.has_mode = true;
	def.perms.mode = v->mode;
	def.perms.uid = v->uid;
	def.perms.gid = v->gid;
	storage_perms_init(&def.backing_perms);
	if (v->backing[0]) {
		def.backing_path = (char *)v->backing;
		def.backing_format = streq(v->backing_format, "qcow2") ? VOLUME_FORMAT_QCOW2 : VOLUME_FORMAT_RAW;
	}
	return volume_def_format(&def, 0, out, err);
}

int storaged_vol_tmp_create(struct storaged_pool *p, const char *purpose, mode_t mode, char **tmpname,
			    struct sv_error *err)
{
	uint8_t rnd[8];
	char *name;
	int fd;

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "getrandom");
	name = xasprintf(STORAGED_TMP_PREFIX "%s-%02x%02x%02x%02x%02x%02x%02x%02x", purpose, rnd[0], rnd[1], rnd[2],
			 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	fd = openat(p->dir_fd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		int e = errno;
		free(name);
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, e, "cannot create a file in '%s'",
					  p->def->target_path);
	}
	*tmpname = name;
	return fd;
}

int storaged_vol_commit(struct storaged_pool *p, int fd, const char *tmpname, const char *name, bool replace,
			struct sv_error *err)
{
	int r;

	if (fsync(fd) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot fsync volume '%s'", name);
	r = renameat2(p->dir_fd, tmpname, p->dir_fd, name, replace ? 0 : RENAME_NOREPLACE);
	if (r < 0 && errno == EEXIST)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
				    "operation failed: storage vol '%s' already exists", name);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot rename '%s' to '%s'",
					  tmpname, name);
	/* renamed: the volume is there, and the call must say so */
	if (fsync(p->dir_fd) < 0)
		log_warn("volume '%s' written, but '%s' cannot be fsynced: %s", name, p->def->target_path,
			 strerror(errno));
	return 0;
}

int storaged_vol_check_space(struct storaged_pool *p, const char *name, unsigned long long need,
			     unsigned long long capacity, struct sv_error *err)
{
	struct statvfs sv;
	unsigned long long avail;

	if (capacity == 0)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "invalid capacity 0 for volume '%s': a volume needs a size", name);
	if (fstatvfs(p->dir_fd, &sv) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot statvfs '%s'",
					  p->def->target_path);
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	if (need > avail)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, ENOSPC,
				    "Not enough space for volume '%s': %llu bytes asked, pool '%s' has %llu bytes free",
				    name, need, p->def->name, avail);
	return 0;
}

char *storaged_vol_ref_path(const struct storaged_vol *v, const char *ref)
{
	const char *slash = strrchr(v->path, '/');

	if (ref[0] == '/')
		return xstrdup(ref);
	return xasprintf("%.*s/%s", (int)(slash - v->path), v->path, ref);
}

struct storaged_pool *storaged_vol_ref_pool(const char *path, const char **name)
{
	if (strstr(path, "/../") || strstr(path, "/./"))
		return NULL;
	return storaged_pool_by_file(path, name);
}

int storaged_vol_check_data_file(const struct storaged_vol *v, struct sv_error *err)
{
	_cleanup_free_ char *path = NULL;
	struct storaged_pool *p;
	const char *name;
	struct stat st;

	if (!v->external_data && !v->data_file[0])
		return 0;
	if (!v->data_file[0])
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
				    "volume '%s' needs a qcow2 external data file but its header names none", v->name);
	path = storaged_vol_ref_path(v, v->data_file);
	p = storaged_vol_ref_pool(path, &name);
	if (!p || storaged_vol_name_check(name, NULL) < 0 ||
	    fstatat(p->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
				    "qcow2 data file '%s' of volume '%s' is not a volume of an active storage pool",
				    v->data_file, v->name);
	return 0;
}

int storaged_vol_check_all(struct storaged_pool *p, struct sv_error *err)
{
	struct storaged_vol *vols = NULL;
	size_t n = 0;
	int r = storaged_vol_list(p, &vols, &n, err), first = 0;

	for (size_t i = 0; r >= 0 && i < n; i++) {
		struct sv_error e;
		int q = storaged_vol_check_data_file(&vols[i], &e);
		if (q < 0) {
			log_warn("storage pool '%s': %s", p->def->name, e.message);
			if (first == 0 && err)
				*err = e;
			if (first == 0)
				first = q;
		}
	}
	for (size_t i = 0; i < n; i++)
		storaged_vol_clear(&vols[i]);
	free(vols);
	return r < 0 ? r : first;
}
