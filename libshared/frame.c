/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <malloc.h>
#include <sys/socket.h>

#include "frame.h"

void rpc_keep_frames_on_heap(void)
{
	mallopt(M_MMAP_THRESHOLD, 2 * (RPC_FRAME_HEADER + RPC_FRAME_MAX));
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

int rpc_frame_check_len(uint32_t len, struct sv_error *err)
{
	if (len == 0)
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG, "empty RPC frame");
	if (len > RPC_FRAME_MAX)
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EMSGSIZE,
				    "RPC frame of %u bytes exceeds the maximum of %u bytes", len, RPC_FRAME_MAX);
	return 0;
}

uint32_t rpc_frame_read_len(const uint8_t hdr[RPC_FRAME_HEADER])
{
	return (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
}

size_t rpc_frame_buf_size(const uint8_t *buf, size_t have, size_t cap)
{
	size_t end = 0;

	/* Where the frame being read ends; an invalid length is the caller's to refuse. */
	if (have >= RPC_FRAME_HEADER && rpc_frame_read_len(buf) <= RPC_FRAME_MAX)
		end = RPC_FRAME_HEADER + rpc_frame_read_len(buf);
	return rpc_frame_buf_size_to(end, RPC_FRAME_HEADER + RPC_FRAME_MAX, have, cap);
}

size_t rpc_frame_buf_size_to(size_t end, size_t max, size_t have, size_t cap)
{
	size_t want, next;

	if (!end)
		end = max;
	if (end <= have)
		return cap > have ? cap : have + RPC_FRAME_READ_MIN / 4;
	/* Room worth a recvmsg: what the frame still misses, up to a quarter of the minimum. */
	want = end - have < RPC_FRAME_READ_MIN / 4 ? end - have : RPC_FRAME_READ_MIN / 4;
	if (cap >= have + want)
		return cap;
	next = cap * 2 > RPC_FRAME_READ_MIN ? cap * 2 : RPC_FRAME_READ_MIN;
	if (next > end)
		next = end > RPC_FRAME_READ_MIN ? end : RPC_FRAME_READ_MIN;
	return next;
}

int rpc_frame_pack(const rpc_envelope *env, uint8_t **buf, size_t *len, struct sv_error *err)
{
	size_t n = protobuf_c_message_get_packed_size(&env->base);
	uint8_t *b;
	int r = rpc_frame_check_len(n, err);

	if (r < 0)
		return r;
	b = xmalloc(RPC_FRAME_HEADER + n);
	b[0] = n >> 24;
	b[1] = n >> 16;
	b[2] = n >> 8;
	b[3] = n;
	protobuf_c_message_pack(&env->base, b + RPC_FRAME_HEADER);
	*buf = b;
	*len = RPC_FRAME_HEADER + n;
	return 0;
}

/* protobuf-c keeps a field numbered 0 as an unknown field, though no such field can exist,
 * and packs it again into bytes it then refuses: proxyd would forward a frame the driver cannot
 * read, and the client would wait for a reply that never comes. Looked for in m and in every
 * message it holds (a body's nested messages too: fuzz-frame found one in a DomainSummary). */
static bool has_field_zero(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (unsigned i = 0; i < m->n_unknown_fields; i++)
		if (m->unknown_fields[i].tag == 0)
			return true;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *base = (const char *)m;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *sub = *(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (sub[k] && has_field_zero(sub[k]))
					return true;
		} else {
			const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + f->offset);
			if (sub && has_field_zero(sub))
				return true;
		}
	}
	return false;
}

int rpc_frame_unpack(const uint8_t *payload, size_t len, rpc_envelope **env, struct sv_error *err)
{
	rpc_envelope *e = sepvirt__envelope__unpack(NULL, len, payload);

	if (!e)
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				    "malformed RPC envelope (%zu bytes)", len);
	if (has_field_zero(&e->base)) {
		sepvirt__envelope__free_unpacked(e, NULL);
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				    "malformed RPC envelope (%zu bytes): field number 0", len);
	}
	if (e->nfds > RPC_MAX_FDS) {
		unsigned n = e->nfds;
		sepvirt__envelope__free_unpacked(e, NULL);
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				    "RPC envelope announces %u file descriptors (maximum %u)", n, RPC_MAX_FDS);
	}
	*env = e;
	return 0;
}

void rpc_envelope_free(rpc_envelope *env)
{
	if (env)
		sepvirt__envelope__free_unpacked(env, NULL);
}

void rpc_body_pack(rpc_envelope *env, const ProtobufCMessage *msg)
{
	size_t n = protobuf_c_message_get_packed_size(msg);

	env->body.data = xmalloc(n);
	env->body.len = protobuf_c_message_pack(msg, env->body.data);
}

void rpc_envelope_body_free(rpc_envelope *env)
{
	free(env->body.data);
	env->body.data = NULL;
	env->body.len = 0;
}

int rpc_body_unpack(const rpc_envelope *env, const ProtobufCMessageDescriptor *desc,
		    ProtobufCMessage **msg, struct sv_error *err)
{
	ProtobufCMessage *m = protobuf_c_message_unpack(desc, NULL, env->body.len, env->body.data);

	if (!m)
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				    "malformed %s message for procedure %d", desc->short_name, env->procedure);
	if (has_field_zero(m)) {
		protobuf_c_message_free_unpacked(m, NULL);
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				    "malformed %s message for procedure %d: field number 0", desc->short_name,
				    env->procedure);
	}
	*msg = m;
	return 0;
}

void rpc_message_freep(void *p)
{
	ProtobufCMessage **m = p;
	if (*m)
		protobuf_c_message_free_unpacked(*m, NULL);
}

void rpc_envelope_set_error(rpc_envelope *env, Sepvirt__Error *holder, const struct sv_error *err)
{
	sepvirt__error__init(holder);
	holder->code = err->code ? err->code : SV_ERR_INTERNAL;
	holder->domain = err->domain;
	holder->message = (char *)(err->message[0] ? err->message : "unknown error");
	env->status = SEPVIRT__STATUS__STATUS_ERROR;
	env->error = holder;
}

void rpc_envelope_get_error(const rpc_envelope *env, struct sv_error *err)
{
	if (!env->error) {
		sv_error_set(err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG, "error reply without an error");
		return;
	}
	sv_error_set(err, env->error->domain, env->error->code ? (int)env->error->code : SV_ERR_INTERNAL,
		     0, "%s", env->error->message ? env->error->message : "");
}

void rpc_attach_fds(struct msghdr *mh, union rpc_cmsg_buf *ctl, const int *fds, size_t nfds)
{
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(*ctl));
	mh->msg_control = ctl->buf;
	mh->msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
	c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
}

int rpc_send_all(int sock, const uint8_t *buf, size_t len, const int *fds, size_t nfds)
{
	size_t off = 0;

	if (nfds > RPC_MAX_FDS)
		return -EINVAL;
	while (off < len) {
		struct iovec iov = { .iov_base = (void *)(buf + off), .iov_len = len - off };
		union rpc_cmsg_buf ctl;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (off == 0 && nfds)
			rpc_attach_fds(&mh, &ctl, fds, nfds);
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += n;
	}
	return 0;
}

ssize_t rpc_recv_some(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds, size_t max_fds)
{
	return rpc_recv_some_flags(sock, buf, len, fds, nfds, max_fds, 0);
}

ssize_t rpc_recv_some_flags(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds, size_t max_fds, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	union rpc_cmsg_buf ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *in = (int *)CMSG_DATA(c);
		for (size_t i = 0; i < k; i++) {
			if (*nfds < max_fds)
				fds[(*nfds)++] = in[i];
			else
				close(in[i]); /* more than any frame may carry: refuse them */
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		return -EBADMSG;
	return n;
}

void rpc_close_fds(int *fds, size_t nfds)
{
	for (size_t i = 0; i < nfds; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}
