/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PROC_VOL_*: create, delete, list, info, XML, resize, clone. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "log.h"
#include "policy.h"
#include "storaged_copy.h"
#include "storaged_handlers.h"
#include "storaged_pool.h"
#include "storaged_volume.h"

#define VOL_RESIZE_DELTA 1u
#define VOL_RESIZE_SHRINK 2u
#define VOL_RESIZE_ALLOCATE 4u

static void fill_summary(const struct storaged_pool *p, const struct storaged_vol *v, Sepvirt__VolSummary *s)
{
	s->name = v->name;
	s->path = v->path;
	s->pool = p->def->name;
	s->format = (char *)volume_format_to_string(v->format);
	s->capacity = v->capacity;
	s->allocation = v->allocation;
	s->backing = (char *)v->backing;
	s->backing_format = (char *)v->backing_format;
}

/* Probes the volume again (after a change) and replies with it. The change is done: a probe
 * that fails now cannot turn it into an error reply, the reply names the volume without figures. */
static int reply_vol(struct storaged_pool *p, const char *name, struct rpc_reply *reply, struct sv_error *err)
{
	Sepvirt__VolSummary s = SEPVIRT__VOL_SUMMARY__INIT;
	struct storaged_vol v;
	struct sv_error e;
	int r = storaged_vol_lookup(p, name, &v, &e);
	(void)err;

	if (r < 0) {
		_cleanup_free_ char *path = xasprintf("%s/%s", p->def->target_path, name);
		log_warn("volume '%s' of pool '%s' changed, but cannot be described now: %s", name, p->def->name,
			 e.message);
		s.name = (char *)name;
		s.path = path;
		s.pool = p->def->name;
		rpc_reply_pack(reply, &s.base);
		return 0;
	}
	fill_summary(p, &v, &s);
	rpc_reply_pack(reply, &s.base);
	storaged_vol_clear(&v);
	return 0;
}

static int apply_perms(int fd, const char *name, const struct storage_perms *perms, struct sv_error *err)
{
	if ((perms->uid >= 0 || perms->gid >= 0) &&
	    fchown(fd, (uid_t)perms->uid, (gid_t)perms->gid) < 0) /* CAP_CHOWN */
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
					  "cannot give volume '%s' owner %lld and group %lld", name, perms->uid, perms->gid);
	if (fchmod(fd, perms->has_mode ? perms->mode : 0600) < 0) /* CAP_FOWNER once chowned away */
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot set the mode of volume '%s'",
					  name);
	return 0;
}

/* A backing store must be a volume of an active pool: storaged never reads other files. */
static int check_backing(struct volume_def *def, struct storaged_vol *bv, struct sv_error *err)
{
	struct storaged_pool *bp;
	int r = storaged_vol_resolve(NULL, def->backing_path, &bp, bv, err);

	if (r == -ENOENT)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, ENOENT,
				    "backing store '%s' of volume '%s' is not a volume of an active storage pool",
				    def->backing_path, def->name);
	if (r < 0 || (r = storaged_vol_check_data_file(bv, err)) < 0)
		return r;
	if (def->backing_format && def->backing_format != bv->format)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "backing store '%s' has format '%s', not '%s' as the XML says", def->backing_path,
				    volume_format_to_string(bv->format), volume_format_to_string(def->backing_format));
	if (def->capacity == 0)
		def->capacity = bv->capacity;
	return 0;
}

static int create_file(struct storaged_pool *p, struct volume_def *def, struct sv_error *err)
{
	_cleanup_free_ char *tmp = NULL, *subject = NULL;
	_cleanup_close_ int fd = -1;
	struct storaged_vol bv = { 0 };
	int r = 0;

	if (def->format == VOLUME_FORMAT_QCOW2) {
		if (def->backing_path && (r = check_backing(def, &bv, err)) < 0)
			goto out;
		def->capacity = (def->capacity + 511) & ~511ull; /* QEMU counts in 512-byte sectors */
	}
	if (def->has_allocation && def->allocation > def->capacity) {
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				 "allocation %llu of volume '%s' is larger than its capacity %llu", def->allocation,
				 def->name, def->capacity);
		goto out;
	}
	subject = xasprintf("volume '%s'", def->name);
	r = storaged_policy_check_perms(subject, &def->perms, 06, 0600, err);
	if (r < 0 || (r = storaged_vol_check_space(p, def->name, def->capacity, def->capacity, err)) < 0)
		goto out;
	fd = storaged_vol_tmp_create(p, "create", 0600, &tmp, err);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	if (def->format == VOLUME_FORMAT_QCOW2) {
		r = storaged_qcow2_create(fd, def->capacity, bv.path ? bv.path : NULL,
					  bv.path ? volume_format_to_string(bv.format) : NULL, err);
	} else if (ftruncate(fd, (off_t)def->capacity) < 0) {
		r = sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot size volume '%s'", def->name);
	} else if (def->has_allocation && def->allocation &&
		   (r = fallocate(fd, 0, 0, (off_t)def->allocation)) < 0) {
		r = sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot allocate %llu bytes for volume '%s'",
				       def->allocation, def->name);
	}
	if (r >= 0)
		r = apply_perms(fd, def->name, &def->perms, err);
	if (r >= 0)
		r = storaged_vol_commit(p, fd, tmp, def->name, false, err);
	if (r < 0)
		unlinkat(p->dir_fd, tmp, 0);
out:
	storaged_vol_clear(&bv);
	return r;
}

STORAGED_HANDLER(storaged_handle_vol_create)
{
	const Sepvirt__VolCreateRequest *in = (const void *)msg;
	_cleanup_volume_def_ struct volume_def *def = NULL;
	struct storaged_pool *p;
	struct stat st;
	int r = storaged_pool_get(in->pool, true, &p, err);

	if (r < 0 || (r = volume_def_parse(in->xml, strlen(in->xml), 0, &def, err)) < 0)
		return r;
	if ((r = storaged_vol_name_check(def->name, err)) < 0)
		return r;
	if (def->format == VOLUME_FORMAT_NONE)
		def->format = VOLUME_FORMAT_RAW;
	if (fstatat(p->dir_fd, def->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
				    "operation failed: storage vol '%s' already exists", def->name);
	r = create_file(p, def, err);
	if (r < 0)
		return r;
	log_info("volume '%s' created in pool '%s' (%s, %llu bytes)", def->name, p->def->name,
		 volume_format_to_string(def->format), def->capacity);
	return reply_vol(p, def->name, reply, err);
}

/* Resolves the volume, runs fn (may be NULL) and replies with what was probed before. */
static int vol_action(const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err,
		      int (*fn)(struct storaged_pool *, const struct storaged_vol *, struct sv_error *))
{
	const Sepvirt__VolRef *in = (const void *)msg;
	Sepvirt__VolSummary s = SEPVIRT__VOL_SUMMARY__INIT;
	struct storaged_pool *p;
	struct storaged_vol v;
	int r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);

	if (r < 0)
		return r;
	if (fn)
		r = fn(p, &v, err);
	if (r >= 0) {
		fill_summary(p, &v, &s);
		rpc_reply_pack(reply, &s.base);
	}
	storaged_vol_clear(&v);
	return r;
}

static int delete_file(struct storaged_pool *p, const struct storaged_vol *v, struct sv_error *err)
{
	if (unlinkat(p->dir_fd, v->name, 0) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot delete volume '%s'", v->name);
	/* deleted: a directory fsync that fails now cannot make the call an error */
	if (fsync(p->dir_fd) < 0)
		log_warn("volume '%s' deleted, but '%s' cannot be fsynced: %s", v->name, p->def->target_path,
			 strerror(errno));
	log_info("volume '%s' deleted from pool '%s'", v->name, p->def->name);
	return 0;
}

STORAGED_HANDLER(storaged_handle_vol_delete) { return vol_action(msg, reply, err, delete_file); }
/* VOL_INFO is also the lookup every client command on a volume starts with (vol-delete,
 * vol-upload): it answers for a volume whose qcow2 data file is refused, so that it can still
 * be deleted or overwritten; vol-dumpxml, vol-clone, pool-refresh and VOL_OPEN refuse it. */
STORAGED_HANDLER(storaged_handle_vol_info) { return vol_action(msg, reply, err, NULL); }

STORAGED_HANDLER(storaged_handle_vol_list)
{
	const Sepvirt__PoolRef *in = (const void *)msg;
	Sepvirt__VolListReply rep = SEPVIRT__VOL_LIST_REPLY__INIT;
	_cleanup_free_ Sepvirt__VolSummary *sums = NULL;
	_cleanup_free_ Sepvirt__VolSummary **ptrs = NULL;
	struct storaged_vol *vols = NULL;
	struct storaged_pool *p;
	size_t n = 0;
	int r = storaged_pool_get(in->pool, true, &p, err);

	if (r < 0 || (r = storaged_vol_list(p, &vols, &n, err)) < 0)
		return r;
	sums = xcalloc(n + 1, sizeof(*sums));
	ptrs = xcalloc(n + 1, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++) {
		sepvirt__vol_summary__init(&sums[i]);
		fill_summary(p, &vols[i], &sums[i]);
		ptrs[i] = &sums[i];
	}
	rep.volumes = ptrs;
	rep.n_volumes = n;
	rpc_reply_pack(reply, &rep.base);
	for (size_t i = 0; i < n; i++)
		storaged_vol_clear(&vols[i]);
	free(vols);
	return 0;
}

STORAGED_HANDLER(storaged_handle_vol_get_xml)
{
	const Sepvirt__VolRef *in = (const void *)msg;
	Sepvirt__VolXmlReply rep = SEPVIRT__VOL_XML_REPLY__INIT;
	_cleanup_free_ char *xml = NULL;
	struct storaged_pool *p;
	struct storaged_vol v;
	int r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);

	if (r < 0)
		return r;
	r = storaged_vol_check_data_file(&v, err);
	if (r >= 0)
		r = storaged_vol_format_xml(&v, &xml, err);
	storaged_vol_clear(&v);
	if (r < 0)
		return r;
	rep.xml = xml;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

/* A step of a resize failed with errno e: the volume goes back to the size it had, and the error
 * says so, or says that it could not (then the size did change). */
static int resize_failed(int fd, const struct storaged_vol *v, int e, const char *what, struct sv_error *err)
{
	if (ftruncate(fd, (off_t)v->capacity) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, e,
					  "cannot %s volume '%s', and its old size of %llu bytes could not be restored "
					  "(%s)", what, v->name, (unsigned long long)v->capacity, strerror(errno));
	return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, e, "cannot %s volume '%s' (its size is left as it was)",
				  what, v->name);
}

static int resize_file(struct storaged_pool *p, struct storaged_vol *v, unsigned long long size, unsigned flags,
		       struct sv_error *err)
{
	_cleanup_close_ int fd = storaged_vol_open(p, v->name, O_RDWR, err);

	if (fd < 0)
		return fd;
	if (v->format == VOLUME_FORMAT_QCOW2)
		return storaged_qcow2_grow(fd, (size + 511) & ~511ull, err);
	if (ftruncate(fd, (off_t)size) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot resize volume '%s'", v->name);
	if ((flags & VOL_RESIZE_ALLOCATE) && size > v->capacity &&
	    fallocate(fd, 0, (off_t)v->capacity, (off_t)(size - v->capacity)) < 0)
		return resize_failed(fd, v, errno, "allocate the new space of", err);
	if (fsync(fd) < 0)
		return resize_failed(fd, v, errno, "fsync", err);
	return 0;
}

STORAGED_HANDLER(storaged_handle_vol_resize)
{
	const Sepvirt__VolResizeRequest *in = (const void *)msg;
	struct storaged_pool *p;
	struct storaged_vol v;
	unsigned long long size;
	int r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);

	if (r < 0)
		return r;
	size = (in->flags & VOL_RESIZE_DELTA) ? v.capacity + in->capacity : in->capacity;
	if (size == 0)
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				 "invalid argument: capacity 0 for volume '%s': a volume needs a size", v.name);
	else if (size < v.capacity && !(in->flags & VOL_RESIZE_SHRINK))
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				 "invalid argument: Can't shrink capacity below current capacity unless shrink flag explicitly specified");
	else if (size > v.capacity)
		r = storaged_vol_check_space(p, v.name, size - v.capacity, size, err);
	if (r >= 0)
		r = resize_file(p, &v, size, in->flags, err);
	if (r >= 0) {
		log_info("volume '%s' of pool '%s' resized from %llu to %llu bytes", v.name, p->def->name, v.capacity, size);
		r = reply_vol(p, v.name, reply, err);
	}
	storaged_vol_clear(&v);
	return r;
}

static int clone_file(struct storaged_pool *p, const struct storaged_vol *src, const char *name, struct sv_error *err)
{
	_cleanup_free_ char *subject = xasprintf("clone '%s' of volume '%s'", name, src->name);
	_cleanup_close_ int in = -1;
	_cleanup_close_ int out = -1;
	_cleanup_free_ char *tmp = NULL;
	int r;

	/* the copy gets the source's mode: a setuid or world-writable source is not copied */
	if ((r = storaged_policy_check_mode(subject, src->mode, err)) < 0 ||
	    (r = storaged_vol_check_data_file(src, err)) < 0)
		return r;
	in = storaged_vol_open(p, src->name, O_RDONLY, err);
	if (in < 0)
		return in;
	out = storaged_vol_tmp_create(p, "clone", src->mode, &tmp, err);
	if (out < 0)
		return out;
	r = storaged_copy_sparse(in, out, err);
	if (r >= 0 && fchmod(out, src->mode) < 0)
		r = sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot set the mode of volume '%s'", name);
	if (r >= 0)
		r = storaged_vol_commit(p, out, tmp, name, false, err);
	if (r < 0)
		unlinkat(p->dir_fd, tmp, 0);
	return r;
}

STORAGED_HANDLER(storaged_handle_vol_clone)
{
	const Sepvirt__VolCloneRequest *in = (const void *)msg;
	struct storaged_pool *p;
	struct storaged_vol v;
	struct stat st;
	int r = storaged_vol_name_check(in->name, err);

	if (r < 0 || (r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err)) < 0)
		return r;
	if (fstatat(p->dir_fd, in->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
				 "operation failed: storage vol '%s' already exists", in->name);
	if (r >= 0)
		r = storaged_vol_check_space(p, in->name, v.allocation, v.capacity, err);
	if (r >= 0)
		r = clone_file(p, &v, in->name, err);
	if (r >= 0) {
		log_info("volume '%s' of pool '%s' cloned to '%s'", v.name, p->def->name, in->name);
		r = reply_vol(p, in->name, reply, err);
	}
	storaged_vol_clear(&v);
	return r;
}
