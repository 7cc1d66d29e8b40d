/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: storage pools and volumes (sepvirt-storaged). */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define STORAGE SEPVIRT__PROGRAM__PROGRAM_STORAGE
#define CHUNK (1u << 20)
/* Stream chunks in flight at once: storaged handles chunk k+1 while proxyd and the client move
 * chunk k (replies come back in order on one connection). */
#define WINDOW 4

static void copy_pool(sepvirt_pool *o, const Sepvirt__PoolSummary *s)
{
	memset(o, 0, sizeof(*o));
	if (!s)
		return;
	COPY_FIELD(o->name, s->name);
	COPY_FIELD(o->uuid, s->uuid);
	o->active = s->active;
	o->autostart = s->autostart;
	o->persistent = s->persistent;
	o->capacity = s->capacity;
	o->allocation = s->allocation;
	o->available = s->available;
	COPY_FIELD(o->path, s->path);
}

static void copy_vol(sepvirt_vol *o, const Sepvirt__VolSummary *s)
{
	memset(o, 0, sizeof(*o));
	if (!s)
		return;
	COPY_FIELD(o->name, s->name);
	COPY_FIELD(o->path, s->path);
	COPY_FIELD(o->pool, s->pool);
	COPY_FIELD(o->format, s->format);
	o->capacity = s->capacity;
	o->allocation = s->allocation;
	COPY_FIELD(o->backing, s->backing);
	COPY_FIELD(o->backing_format, s->backing_format);
}

/* One call on a pool; the reply (a PoolSummary) is copied to out when out is not NULL. */
static int pool_call(sepvirt_conn *conn, uint32_t proc, const char *pool, sepvirt_pool *out)
{
	Sepvirt__PoolRef req = SEPVIRT__POOL_REF__INIT;
	_cleanup_message_ Sepvirt__PoolSummary *rep = NULL;

	if (!pool)
		return client_error(SV_ERR_INVALID_ARG, "no storage pool given");
	req.pool = (char *)pool;
	if (client_call(conn, STORAGE, proc, &req.base, &sepvirt__pool_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_pool(out, rep);
	return 0;
}

int sepvirt_pool_undefine(sepvirt_conn *conn, const char *pool) { return pool_call(conn, PROC(POOL_UNDEFINE), pool, NULL); }
int sepvirt_pool_build(sepvirt_conn *conn, const char *pool) { return pool_call(conn, PROC(POOL_BUILD), pool, NULL); }
int sepvirt_pool_start(sepvirt_conn *conn, const char *pool) { return pool_call(conn, PROC(POOL_START), pool, NULL); }
int sepvirt_pool_destroy(sepvirt_conn *conn, const char *pool) { return pool_call(conn, PROC(POOL_DESTROY), pool, NULL); }
int sepvirt_pool_refresh(sepvirt_conn *conn, const char *pool) { return pool_call(conn, PROC(POOL_REFRESH), pool, NULL); }
int sepvirt_pool_get_info(sepvirt_conn *conn, const char *pool, sepvirt_pool *out) { return pool_call(conn, PROC(POOL_INFO), pool, out); }

int sepvirt_pool_define(sepvirt_conn *conn, const char *xml, sepvirt_pool *out)
{
	Sepvirt__PoolDefineRequest req = SEPVIRT__POOL_DEFINE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__PoolSummary *rep = NULL;

	if (!xml)
		return client_error(SV_ERR_INVALID_ARG, "no XML given");
	req.xml = (char *)xml;
	if (client_call(conn, STORAGE, PROC(POOL_DEFINE), &req.base, &sepvirt__pool_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_pool(out, rep);
	return 0;
}

int sepvirt_pool_list(sepvirt_conn *conn, unsigned int flags, sepvirt_pool **list)
{
	Sepvirt__PoolListRequest req = SEPVIRT__POOL_LIST_REQUEST__INIT;
	_cleanup_message_ Sepvirt__PoolListReply *rep = NULL;

	req.all = flags & SEPVIRT_LIST_ALL;
	if (client_call(conn, STORAGE, PROC(POOL_LIST), &req.base, &sepvirt__pool_list_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_pools + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_pools; i++)
		copy_pool(&(*list)[i], rep->pools[i]);
	return (int)rep->n_pools;
}

char *sepvirt_pool_get_xml(sepvirt_conn *conn, const char *pool)
{
	Sepvirt__PoolRef req = SEPVIRT__POOL_REF__INIT;
	_cleanup_message_ Sepvirt__PoolXmlReply *rep = NULL;

	if (!pool) {
		client_error(SV_ERR_INVALID_ARG, "no storage pool given");
		return NULL;
	}
	req.pool = (char *)pool;
	if (client_call(conn, STORAGE, PROC(POOL_GET_XML), &req.base, &sepvirt__pool_xml_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

int sepvirt_pool_set_autostart(sepvirt_conn *conn, const char *pool, int enable)
{
	Sepvirt__PoolAutostartRequest req = SEPVIRT__POOL_AUTOSTART_REQUEST__INIT;

	if (!pool)
		return client_error(SV_ERR_INVALID_ARG, "no storage pool given");
	req.pool = (char *)pool;
	req.enable = enable;
	return client_call(conn, STORAGE, PROC(POOL_SET_AUTOSTART), &req.base, NULL, NULL);
}

int sepvirt_vol_create(sepvirt_conn *conn, const char *pool, const char *xml, sepvirt_vol *out)
{
	Sepvirt__VolCreateRequest req = SEPVIRT__VOL_CREATE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__VolSummary *rep = NULL;

	if (!pool || !xml)
		return client_error(SV_ERR_INVALID_ARG, "no storage pool or XML given");
	req.pool = (char *)pool;
	req.xml = (char *)xml;
	if (client_call(conn, STORAGE, PROC(VOL_CREATE), &req.base, &sepvirt__vol_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_vol(out, rep);
	return 0;
}

static int vol_call(sepvirt_conn *conn, uint32_t proc, const char *pool, const char *vol, sepvirt_vol *out)
{
	Sepvirt__VolRef req = SEPVIRT__VOL_REF__INIT;
	_cleanup_message_ Sepvirt__VolSummary *rep = NULL;

	if (!vol)
		return client_error(SV_ERR_INVALID_ARG, "no storage volume given");
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	if (client_call(conn, STORAGE, proc, &req.base, &sepvirt__vol_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_vol(out, rep);
	return 0;
}

int sepvirt_vol_delete(sepvirt_conn *conn, const char *pool, const char *vol) { return vol_call(conn, PROC(VOL_DELETE), pool, vol, NULL); }
int sepvirt_vol_get_info(sepvirt_conn *conn, const char *pool, const char *vol, sepvirt_vol *out) { return vol_call(conn, PROC(VOL_INFO), pool, vol, out); }

int sepvirt_vol_list(sepvirt_conn *conn, const char *pool, sepvirt_vol **list)
{
	Sepvirt__PoolRef req = SEPVIRT__POOL_REF__INIT;
	_cleanup_message_ Sepvirt__VolListReply *rep = NULL;

	if (!pool)
		return client_error(SV_ERR_INVALID_ARG, "no storage pool given");
	req.pool = (char *)pool;
	if (client_call(conn, STORAGE, PROC(VOL_LIST), &req.base, &sepvirt__vol_list_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_volumes + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_volumes; i++)
		copy_vol(&(*list)[i], rep->volumes[i]);
	return (int)rep->n_volumes;
}

char *sepvirt_vol_get_xml(sepvirt_conn *conn, const char *pool, const char *vol)
{
	Sepvirt__VolRef req = SEPVIRT__VOL_REF__INIT;
	_cleanup_message_ Sepvirt__VolXmlReply *rep = NULL;

	if (!vol) {
		client_error(SV_ERR_INVALID_ARG, "no storage volume given");
		return NULL;
	}
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	if (client_call(conn, STORAGE, PROC(VOL_GET_XML), &req.base, &sepvirt__vol_xml_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

int sepvirt_vol_resize(sepvirt_conn *conn, const char *pool, const char *vol, uint64_t capacity, unsigned int flags)
{
	Sepvirt__VolResizeRequest req = SEPVIRT__VOL_RESIZE_REQUEST__INIT;

	if (!vol)
		return client_error(SV_ERR_INVALID_ARG, "no storage volume given");
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	req.capacity = capacity;
	req.flags = flags;
	return client_call(conn, STORAGE, PROC(VOL_RESIZE), &req.base, NULL, NULL);
}

int sepvirt_vol_clone(sepvirt_conn *conn, const char *pool, const char *vol, const char *name, sepvirt_vol *out)
{
	Sepvirt__VolCloneRequest req = SEPVIRT__VOL_CLONE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__VolSummary *rep = NULL;

	if (!vol || !name)
		return client_error(SV_ERR_INVALID_ARG, "no storage volume or new name given");
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	req.name = (char *)name;
	if (client_call(conn, STORAGE, PROC(VOL_CLONE), &req.base, &sepvirt__vol_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_vol(out, rep);
	return 0;
}

static ssize_t read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += n;
	}
	return (ssize_t)got;
}

/* Tells storaged to drop an upload the client cannot finish. */
static void upload_abort(sepvirt_conn *conn, Sepvirt__VolUploadRequest *req)
{
	struct sv_error saved = { 0 };
	const sepvirt_error *e = sepvirt_last_error();

	if (e) {
		saved.code = e->code;
		saved.domain = e->domain;
		snprintf(saved.message, sizeof(saved.message), "%s", e->message);
	}
	req->abort = true;
	req->data.len = 0;
	client_call(conn, STORAGE, PROC(VOL_UPLOAD), &req->base, NULL, NULL);
	client_set_error(&saved);
}

int sepvirt_vol_upload(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t length)
{
	return sepvirt_vol_upload_range(conn, pool, vol, fd, 0, length);
}

int sepvirt_vol_upload_range(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t offset,
			     uint64_t length)
{
	Sepvirt__VolUploadRequest req = SEPVIRT__VOL_UPLOAD_REQUEST__INIT;
	_cleanup_free_ uint8_t *buf = xmalloc(CHUNK);
	uint64_t serials[WINDOW], sent = 0;
	size_t head = 0, inflight = 0;
	char token[64] = "";
	struct sv_error err;
	struct stat st;
	int r = 0;

	client_clear_error();
	if (!vol)
		return client_error(SV_ERR_INVALID_ARG, "no storage volume given");
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !length))
		return client_error(SV_ERR_INVALID_ARG, "cannot tell the length of the upload: not a regular file");
	if (S_ISREG(st.st_mode)) {
		/* as virsh: the whole file, which a length given must hold (storaged refuses more) */
		off_t pos = lseek(fd, 0, SEEK_CUR);
		req.max_length = length;
		length = st.st_size > pos && pos >= 0 ? (uint64_t)(st.st_size - pos) : 0;
	}
	/* a whole chunk fits in the socket at once: one write, fewer wake-ups of the proxy */
	int sndbuf = 4 * CHUNK;
	setsockopt(rpc_client_fd(conn->rpc), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	req.total = length;
	req.volume_offset = offset;
	req.token = token;
	/* The first chunk opens the upload and returns its token; the others then go WINDOW at a
	 * time, replies read oldest first; the final chunk's reply says the volume is in place. */
	do {
		size_t want = length - sent < CHUNK ? (size_t)(length - sent) : CHUNK;
		ssize_t n = read_full(fd, buf, want);

		if (n < 0 || (size_t)n < want) {
			if (n < 0)
				client_error(SV_ERR_SYSTEM, "cannot read the data to upload: %s", strerror(errno));
			else
				client_error(SV_ERR_SYSTEM, "the data to upload ended after %llu of %llu bytes",
					     (unsigned long long)(sent + n), (unsigned long long)length);
			while (inflight--) /* what was sent is answered before the abort is */
				rpc_client_recv(conn->rpc, serials[head], NULL, NULL, NULL, NULL, &err), head = (head + 1) % WINDOW;
			if (token[0])
				upload_abort(conn, &req);
			return -1;
		}
		req.offset = sent;
		req.data.data = buf;
		req.data.len = (size_t)n;
		req.final = sent + (uint64_t)n == length;
		sent += (uint64_t)n;
		if (!token[0] || req.final) {
			/* first chunk (wait for the token) or last (wait for every reply) */
			_cleanup_message_ Sepvirt__VolUploadReply *rep = NULL;
			while (r == 0 && inflight) {
				r = rpc_client_recv(conn->rpc, serials[head], NULL, NULL, NULL, NULL, &err);
				head = (head + 1) % WINDOW;
				inflight--;
			}
			if (r < 0)
				return client_set_error(&err); /* storaged dropped the upload itself */
			if (client_call(conn, STORAGE, PROC(VOL_UPLOAD), &req.base, &sepvirt__vol_upload_reply__descriptor,
					(ProtobufCMessage **)&rep) < 0)
				return -1;
			if (!req.final)
				snprintf(token, sizeof(token), "%s", rep->token ? rep->token : "");
			continue;
		}
		if (inflight == WINDOW) {
			r = rpc_client_recv(conn->rpc, serials[head], NULL, NULL, NULL, NULL, &err);
			head = (head + 1) % WINDOW;
			inflight--;
			if (r < 0)
				return client_set_error(&err);
		}
		r = rpc_client_send(conn->rpc, STORAGE, PROC(VOL_UPLOAD), &req.base, NULL, 0,
				    &serials[(head + inflight) % WINDOW], &err);
		if (r < 0)
			return client_set_error(&err);
		inflight++;
	} while (!req.final);
	return 0;
}

static int write_full(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int sepvirt_vol_download(sepvirt_conn *conn, const char *pool, const char *vol, int fd)
{
	return sepvirt_vol_download_range(conn, pool, vol, fd, 0, 0);
}

int sepvirt_vol_download_range(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t offset,
			       uint64_t length)
{
	Sepvirt__VolDownloadRequest req = SEPVIRT__VOL_DOWNLOAD_REQUEST__INIT;
	uint64_t serials[WINDOW], next = offset, end = length ? offset + length : UINT64_MAX;
	size_t head = 0, inflight = 0;
	struct sv_error err;
	bool eof = false;
	int r = 0;

	client_clear_error();
	if (!vol)
		return client_error(SV_ERR_INVALID_ARG, "no storage volume given");
	req.pool = (char *)(pool ? pool : "");
	req.volume = (char *)vol;
	req.length = CHUNK;
	while (r == 0 && (!eof || inflight)) {
		while (!eof && r == 0 && inflight < WINDOW && next < end) {
			req.offset = next;
			req.length = end - next < CHUNK ? (uint32_t)(end - next) : CHUNK;
			r = rpc_client_send(conn->rpc, STORAGE, PROC(VOL_DOWNLOAD), &req.base, NULL, 0,
					    &serials[(head + inflight) % WINDOW], &err);
			inflight++;
			next += req.length;
		}
		if (!inflight)
			break; /* the length asked for has all come */
		if (r < 0)
			break;
		_cleanup_message_ Sepvirt__VolDownloadReply *rep = NULL;
		int rr = rpc_client_recv(conn->rpc, serials[head], &sepvirt__vol_download_reply__descriptor,
					 (ProtobufCMessage **)&rep, NULL, NULL, &err);
		head = (head + 1) % WINDOW;
		inflight--;
		if (eof)
			continue; /* the calls sent past the end: drained, not written */
		if (rr < 0) {
			r = rr;
			break;
		}
		if (!rep->eof && rep->data.len != CHUNK && next < end)
			return client_error(SV_ERR_RPC, "short chunk of %zu bytes before the end of volume '%s'",
					    rep->data.len, vol);
		if (write_full(fd, rep->data.data, rep->data.len) < 0)
			return client_error(SV_ERR_SYSTEM, "cannot write the downloaded data: %s", strerror(errno));
		eof = rep->eof || rep->data.len == 0;
	}
	if (r < 0)
		return client_set_error(&err);
	return 0;
}
