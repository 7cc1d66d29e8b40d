/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Uploads write a temp file in the pool; only a complete, fsync'd upload is renamed over the
 * volume. As libvirt's, an upload replaces only the bytes it carries: what lies before its
 * offset and after its end is copied from the volume (data extents only) into the temp file.
 * Downloads are stateless preads. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "policy.h"
#include "storaged_copy.h"
#include "storaged_handlers.h"
#include "storaged_pool.h"
#include "storaged_upload.h"
#include "storaged_volume.h"

struct upload {
	char token[33];
	char *pool;   /* the pool's name: a pool undefined meanwhile ends the upload */
	char *volume;
	char *tmp;
	int fd;
	int src_fd;           /* the volume as it was: what the upload does not cover */
	uint64_t src_size;
	uint64_t start;       /* where in the volume the data go */
	uint64_t max_length;  /* 0: no bound */
	uint64_t received, total; /* total 0: not announced */
	uint64_t last_ms;
};

static struct upload *uploads[STORAGED_UPLOADS_MAX];
static struct evwatch *sweeper;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drops an upload and its temp file: nothing of it stays in the pool. */
static void upload_drop(struct upload *u, const char *why)
{
	struct storaged_pool *p = storaged_pool_find(u->pool);

	if (p && p->active && unlinkat(p->dir_fd, u->tmp, 0) < 0 && errno != ENOENT)
		log_warn("cannot remove '%s' of pool '%s': %s", u->tmp, u->pool, strerror(errno));
	if (why)
		log_info("upload to volume '%s' of pool '%s' dropped: %s", u->volume, u->pool, why);
	for (size_t i = 0; i < STORAGED_UPLOADS_MAX; i++)
		if (uploads[i] == u)
			uploads[i] = NULL;
	close(u->fd);
	if (u->src_fd >= 0)
		close(u->src_fd);
	free(u->pool);
	free(u->volume);
	free(u->tmp);
	free(u);
}

static void sweep(struct evwatch *w, void *userdata)
{
	uint64_t now = now_ms();

	for (size_t i = 0; i < STORAGED_UPLOADS_MAX; i++)
		if (uploads[i] && now - uploads[i]->last_ms > STORAGED_UPLOAD_IDLE_MS)
			upload_drop(uploads[i], "abandoned (no data for 60 s)");
}

int storaged_upload_init(struct evloop *loop)
{
	sweeper = evloop_timer(loop, 10000, 10000, sweep, NULL);
	return sweeper ? 0 : -errno;
}

void storaged_upload_fini(void)
{
	for (size_t i = 0; i < STORAGED_UPLOADS_MAX; i++)
		if (uploads[i])
			upload_drop(uploads[i], "storaged is stopping");
}

static struct upload *upload_find(const char *token)
{
	for (size_t i = 0; i < STORAGED_UPLOADS_MAX; i++)
		if (uploads[i] && streq(uploads[i]->token, token))
			return uploads[i];
	return NULL;
}

/* The new file gets the volume's mode and owner: only when storaged may create such a file. */
static int check_replacement(const struct storaged_vol *v, struct sv_error *err)
{
	_cleanup_free_ char *subject = xasprintf("upload to volume '%s'", v->name);
	int r = storaged_policy_check_mode(subject, v->mode, err);

	return r < 0 ? r : storaged_policy_check_owner(subject, v->uid, v->gid, err);
}

static int upload_begin(const Sepvirt__VolUploadRequest *in, struct upload **out, struct sv_error *err)
{
	struct storaged_pool *p;
	struct storaged_vol v;
	uint8_t rnd[16];
	struct upload *u;
	size_t slot;
	int fd, r;

	if (in->offset != 0)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "an upload starts at offset 0, not %llu", (unsigned long long)in->offset);
	r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);
	if (r < 0)
		return r;
	r = check_replacement(&v, err);
	/* the old content stays until the rename: both must fit */
	if (r >= 0 && in->total > 0)
		r = storaged_vol_check_space(p, v.name, in->volume_offset + in->total,
					     in->volume_offset + in->total, err);
	if (r >= 0 && in->max_length && in->total > in->max_length)
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EFBIG,
				 "upload to volume '%s': %llu bytes announced but the length given is %llu", v.name,
				 (unsigned long long)in->total, (unsigned long long)in->max_length);
	for (slot = 0; r >= 0 && slot < STORAGED_UPLOADS_MAX && uploads[slot]; slot++)
		;
	if (r >= 0 && slot == STORAGED_UPLOADS_MAX)
		r = sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_FAILED, EBUSY,
				 "too many uploads in progress (%u): try again later", STORAGED_UPLOADS_MAX);
	if (r >= 0 && getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		r = sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "getrandom");
	if (r < 0) {
		storaged_vol_clear(&v);
		return r;
	}
	u = xcalloc(1, sizeof(*u));
	u->src_fd = storaged_vol_open(p, v.name, O_RDONLY, err);
	struct stat st;
	if (u->src_fd >= 0 && fstat(u->src_fd, &st) < 0) {
		sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot stat volume '%s'", v.name);
		close(u->src_fd);
		u->src_fd = -1;
	}
	fd = u->src_fd < 0 ? -1 : storaged_vol_tmp_create(p, "upload", v.mode, &u->tmp, err);
	if (fd < 0) {
		if (u->src_fd >= 0)
			close(u->src_fd);
		storaged_vol_clear(&v);
		free(u);
		return -EIO;
	}
	u->src_size = st.st_size;
	u->start = in->volume_offset;
	u->max_length = in->max_length;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(u->token + 2 * i, 3, "%02x", rnd[i]);
	u->fd = fd;
	u->pool = xstrdup(p->def->name);
	u->volume = xstrdup(v.name);
	u->total = in->total;
	u->last_ms = now_ms();
	/* the volume keeps its owner and mode across the replacement (both within the policy) */
	if (fchown(fd, v.uid, v.gid) < 0 && errno != EPERM)
		log_warn("cannot give '%s' the owner of volume '%s': %s", u->tmp, v.name, strerror(errno));
	if (fchmod(fd, v.mode) < 0)
		log_warn("cannot give '%s' the mode of volume '%s': %s", u->tmp, v.name, strerror(errno));
	uploads[slot] = u;
	storaged_vol_clear(&v);
	/* what lies before the data; a start past the end leaves a hole, as a write there would */
	r = storaged_copy_sparse_range(u->src_fd, u->fd, 0, (off_t)(u->start < u->src_size ? u->start : u->src_size), err);
	if (r < 0) {
		upload_drop(u, err->message);
		return r;
	}
	log_info("upload of %llu bytes at offset %llu to volume '%s' of pool '%s' begins", (unsigned long long)u->total,
		 (unsigned long long)u->start, u->volume, u->pool);
	*out = u;
	return 0;
}

static int write_chunk(struct upload *u, const Sepvirt__VolUploadRequest *in, struct sv_error *err)
{
	size_t len = in->data.len, done = 0;

	if (in->offset != u->received)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "upload to volume '%s': chunk at offset %llu, expected %llu", u->volume,
				    (unsigned long long)in->offset, (unsigned long long)u->received);
	if (in->total != u->total)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "upload to volume '%s': total changed from %llu to %llu bytes", u->volume,
				    (unsigned long long)u->total, (unsigned long long)in->total);
	if (len > STORAGED_CHUNK_MAX * 2ull || (u->total && u->received + len > u->total))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EFBIG,
				    "upload to volume '%s' is longer than the %llu bytes announced", u->volume,
				    (unsigned long long)u->total);
	if (u->max_length && u->received + len > u->max_length)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EFBIG,
				    "upload to volume '%s' is longer than the length given, %llu bytes", u->volume,
				    (unsigned long long)u->max_length);
	while (done < len) {
		ssize_t n = pwrite(u->fd, in->data.data + done, len - done, (off_t)(u->start + u->received + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
						  "cannot write the upload to volume '%s'", u->volume);
		done += n;
	}
	u->received += len;
	u->last_ms = now_ms();
	return 0;
}

static int upload_finish(struct upload *u, struct sv_error *err)
{
	struct storaged_pool *p = storaged_pool_find(u->pool);

	uint64_t end = u->start + u->received;
	int r;

	if (u->total && u->received != u->total)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EPIPE,
				    "upload to volume '%s' ended after %llu bytes, but %llu were announced: volume unchanged",
				    u->volume, (unsigned long long)u->received, (unsigned long long)u->total);
	/* what lies after the data, and the size: never smaller than the volume was */
	if (end < u->src_size) {
		r = storaged_copy_sparse_range(u->src_fd, u->fd, (off_t)end, (off_t)u->src_size, err);
		if (r < 0)
			return r;
	}
	if (ftruncate(u->fd, (off_t)(end > u->src_size ? end : u->src_size)) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
					  "cannot set the size of the upload to volume '%s'", u->volume);
	if (!p || !p->active)
		return storaged_err_inactive(err, u->pool);
	/* the volume may have gone meanwhile: an upload replaces a volume, it does not create one */
	struct stat st;
	if (fstatat(p->dir_fd, u->volume, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return storaged_err_no_vol(err, "name", u->volume);
	return storaged_vol_commit(p, u->fd, u->tmp, u->volume, true, err);
}

STORAGED_HANDLER(storaged_handle_vol_upload)
{
	const Sepvirt__VolUploadRequest *in = (const void *)msg;
	Sepvirt__VolUploadReply rep = SEPVIRT__VOL_UPLOAD_REPLY__INIT;
	struct upload *u = NULL;
	char token[33];
	int r;

	if (in->token[0]) {
		u = upload_find(in->token);
		if (!u)
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, ENOENT,
					    "no upload in progress with token '%.32s' (abandoned, or storaged restarted)",
					    in->token);
		if (in->abort) {
			upload_drop(u, "aborted by the client");
			rpc_reply_pack(reply, &rep.base);
			return 0;
		}
	} else if (in->abort) {
		rpc_reply_pack(reply, &rep.base);
		return 0;
	} else if ((r = upload_begin(in, &u, err)) < 0) {
		return r;
	}
	r = write_chunk(u, in, err);
	if (r >= 0 && in->final) {
		r = upload_finish(u, err);
		if (r >= 0) {
			log_info("upload of %llu bytes to volume '%s' of pool '%s' done", (unsigned long long)u->received,
				 u->volume, u->pool);
			rep.received = u->received;
			upload_drop(u, NULL); /* the temp name is gone: only closes */
			rpc_reply_pack(reply, &rep.base);
			return 0;
		}
	}
	if (r < 0) {
		upload_drop(u, err->message);
		return r;
	}
	memcpy(token, u->token, sizeof(token));
	rep.token = token;
	rep.received = u->received;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

STORAGED_HANDLER(storaged_handle_vol_download)
{
	const Sepvirt__VolDownloadRequest *in = (const void *)msg;
	Sepvirt__VolDownloadReply rep = SEPVIRT__VOL_DOWNLOAD_REPLY__INIT;
	_cleanup_close_ int fd = -1;
	_cleanup_free_ uint8_t *buf = NULL;
	size_t want = in->length ? in->length : STORAGED_CHUNK_MAX, got = 0;
	struct storaged_pool *p;
	struct storaged_vol v;
	struct stat st;
	int r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);

	if (r < 0)
		return r;
	fd = storaged_vol_open(p, v.name, O_RDONLY, err);
	storaged_vol_clear(&v);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot stat volume '%s'", in->volume);
	if (want > STORAGED_CHUNK_MAX)
		want = STORAGED_CHUNK_MAX;
	if (in->offset < (uint64_t)st.st_size && want > (uint64_t)st.st_size - in->offset)
		want = (uint64_t)st.st_size - in->offset;
	if (in->offset >= (uint64_t)st.st_size)
		want = 0;
	buf = xmalloc(want + 1);
	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got, (off_t)(in->offset + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot read volume '%s'",
						  in->volume);
		if (n == 0)
			break;
		got += n;
	}
	rep.data.data = buf;
	rep.data.len = got;
	rep.total = st.st_size;
	rep.eof = in->offset + got >= (uint64_t)st.st_size;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}
