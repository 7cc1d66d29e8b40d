/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <malloc.h>

#include "conn.h"
#include "log.h"

/* Freeing this much at once (a dropped queue, a large frame) gives the memory back to the system:
 * rpc_keep_frames_on_heap() otherwise keeps it in the heap for good. */
#define TRIM_BYTES (1u << 20)

struct outbuf {
	uint8_t *buf;
	size_t len, off;
	int fds[RPC_MAX_FDS];
	size_t nfds;
	struct outbuf *next;
};

struct rpc_conn {
	struct evloop *loop;
	struct evwatch *watch;
	int fd;
	bool closed;
	struct ucred peer;
	const struct rpc_conn_ops *ops;
	void *userdata;
	uint8_t *in;
	size_t in_len, in_cap;
	int fdq[RPC_MAX_FDS * 2];
	size_t nfdq;
	struct outbuf *out_head, *out_tail;
	size_t out_bytes, out_max;
	struct rpc_out_budget *budget;
	int close_reason;
	bool want_out; /* EPOLLOUT is armed: only while a write would block */
	bool paused;   /* input is not read nor handed on (rpc_conn_pause_input) */
	int broken;    /* <0: a send broke it; closed from the loop soon (close_later) */
	struct evwatch *close_timer;
};

static int set_events(struct rpc_conn *c)
{
	return evwatch_set_events(c->watch, (c->paused ? 0 : EPOLLIN) | (c->want_out ? EPOLLOUT : 0));
}

static int arm_out(struct rpc_conn *c, bool on)
{
	if (c->want_out == on)
		return 0; /* no epoll_ctl per reply: it would double the syscalls of a round trip */
	c->want_out = on;
	return set_events(c);
}

static void conn_io(struct evwatch *w, int fd, uint32_t events, void *userdata);

struct rpc_conn *rpc_conn_new(struct evloop *loop, int fd, const struct rpc_conn_ops *ops, void *userdata)
{
	struct rpc_conn *c = xcalloc(1, sizeof(*c));
	socklen_t sl = sizeof(c->peer);

	c->loop = loop;
	c->fd = fd;
	c->ops = ops;
	c->userdata = userdata;
	c->out_max = RPC_CONN_OUT_MAX;
	c->peer.uid = (uid_t)-1;
	c->peer.gid = (gid_t)-1;
	getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c->peer, &sl);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c->watch = evloop_watch_fd(loop, fd, EPOLLIN, conn_io, c);
	if (!c->watch) {
		close(fd);
		free(c);
		return NULL;
	}
	return c;
}

static void outbuf_free(struct outbuf *o)
{
	rpc_close_fds(o->fds, o->nfds);
	free(o->buf);
	free(o);
}

static void conn_free(void *p)
{
	struct rpc_conn *c = p;
	bool trim = c->out_bytes + c->in_cap >= TRIM_BYTES;

	while (c->out_head) {
		struct outbuf *o = c->out_head;
		c->out_head = o->next;
		outbuf_free(o);
	}
	rpc_close_fds(c->fdq, c->nfdq);
	free(c->in);
	free(c);
	if (trim)
		malloc_trim(0);
}

/* Bytes leave the queue (written, or dropped with the connection). */
static void out_done(struct rpc_conn *c, size_t n)
{
	c->out_bytes -= n;
	if (c->budget)
		c->budget->queued -= n;
}

static void conn_close(struct rpc_conn *c, int reason)
{
	if (c->closed)
		return;
	c->closed = true;
	c->close_reason = reason;
	if (c->close_timer)
		evwatch_remove(c->close_timer);
	c->close_timer = NULL;
	/* The budget may go with the last connection that shares it: settle now, not at the free. */
	if (c->budget)
		c->budget->queued -= c->out_bytes;
	c->budget = NULL;
	evwatch_remove(c->watch);
	close(c->fd);
	c->fd = -1;
	if (c->ops->on_close)
		c->ops->on_close(c, c->userdata);
	evloop_defer_free(c->loop, conn_free, c);
}

void rpc_conn_close(struct rpc_conn *c) { conn_close(c, 0); }

void rpc_conn_set_out_limit(struct rpc_conn *c, size_t max, struct rpc_out_budget *budget)
{
	if (c->budget)
		c->budget->queued -= c->out_bytes;
	c->out_max = max;
	c->budget = budget;
	if (budget)
		budget->queued += c->out_bytes;
}

int rpc_conn_close_reason(const struct rpc_conn *c) { return c->closed ? c->close_reason : c->broken; }
size_t rpc_conn_queued(const struct rpc_conn *c) { return c->out_bytes; }

bool rpc_conn_is_closed(const struct rpc_conn *c) { return c->closed || c->broken; }
const struct ucred *rpc_conn_peer(const struct rpc_conn *c) { return &c->peer; }
void *rpc_conn_userdata(const struct rpc_conn *c) { return c->userdata; }
void rpc_conn_set_userdata(struct rpc_conn *c, void *userdata) { c->userdata = userdata; }

/* Writes what is queued; returns <0 when the connection broke. */
static int flush_out(struct rpc_conn *c)
{
	while (c->out_head) {
		struct outbuf *o = c->out_head;
		struct iovec iov = { .iov_base = o->buf + o->off, .iov_len = o->len - o->off };
		union rpc_cmsg_buf ctl;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (o->off == 0 && o->nfds)
			rpc_attach_fds(&mh, &ctl, o->fds, o->nfds);
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return arm_out(c, true);
			return -errno;
		}
		if (o->off == 0)
			rpc_close_fds(o->fds, o->nfds), o->nfds = 0; /* they are in the kernel now */
		o->off += n;
		out_done(c, n);
		if (o->off == o->len) {
			c->out_head = o->next;
			if (!c->out_head)
				c->out_tail = NULL;
			out_done(c, sizeof(*o));
			outbuf_free(o);
		}
	}
	return arm_out(c, false);
}

static void close_later_fired(struct evwatch *w, void *userdata)
{
	struct rpc_conn *c = userdata;

	conn_close(c, c->broken);
}

/* A send that breaks the connection (the peer gone, or reading too little) closes it from the
 * loop, never inside the send: on_close may free what the sender goes on using (a stream whose
 * data it was sending, a call it was answering). Until then sends fail and nothing is read. */
static int close_later(struct rpc_conn *c, int reason)
{
	if (c->broken)
		return reason;
	c->broken = reason;
	evwatch_set_events(c->watch, 0);
	if (c->budget) /* what it queued will never be sent: the others may have it now */
		c->budget->queued -= c->out_bytes;
	c->budget = NULL;
	c->close_timer = evloop_timer(c->loop, 1, 0, close_later_fired, c);
	if (!c->close_timer) /* no timer (out of fds): at once, as the only way left */
		conn_close(c, reason);
	return reason;
}

/* Queues o (owned from here on) and writes at once when nothing was waiting. */
static int queue_out(struct rpc_conn *c, struct outbuf *o)
{
	bool was_empty = !c->out_head;
	int r;

	if (c->out_tail)
		c->out_tail->next = o;
	else
		c->out_head = o;
	c->out_tail = o;
	/* Counted with its bookkeeping: a flood of tiny replies costs more than their bytes. */
	c->out_bytes += sizeof(*o) + o->len;
	if (c->budget)
		c->budget->queued += sizeof(*o) + o->len;
	if (c->out_bytes > c->out_max || (c->budget && c->budget->queued > c->budget->max)) {
		log_debug("peer pid %d does not read its replies (%zu bytes queued): closing", (int)c->peer.pid,
			  c->out_bytes);
		return close_later(c, -ENOBUFS);
	}
	if (was_empty) {
		r = flush_out(c);
		if (r < 0)
			return close_later(c, r);
	}
	return 0;
}

int rpc_conn_send(struct rpc_conn *c, const rpc_envelope *env, const int *fds, size_t nfds)
{
	struct sv_error err;
	struct outbuf *o;
	int r;

	if (c->closed || c->broken)
		return -EPIPE;
	if (nfds > RPC_MAX_FDS)
		return -EINVAL;
	o = xcalloc(1, sizeof(*o));
	r = rpc_frame_pack(env, &o->buf, &o->len, &err);
	if (r < 0) {
		free(o);
		log_debug("cannot send frame: %s", err.message);
		return r;
	}
	for (size_t i = 0; i < nfds; i++) {
		o->fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
		if (o->fds[i] < 0) {
			r = -errno;
			o->nfds = i;
			outbuf_free(o);
			return r;
		}
	}
	o->nfds = nfds;
	return queue_out(c, o);
}

int rpc_conn_send_raw(struct rpc_conn *c, uint8_t *buf, size_t len)
{
	struct outbuf *o;

	if (c->closed || c->broken) {
		free(buf);
		return -EPIPE;
	}
	o = xcalloc(1, sizeof(*o));
	o->buf = buf;
	o->len = len;
	return queue_out(c, o);
}

int rpc_conn_send_error(struct rpc_conn *c, const rpc_envelope *call, const struct sv_error *err)
{
	rpc_envelope reply = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__Error holder;

	if (call) {
		reply.program = call->program;
		reply.procedure = call->procedure;
		reply.serial = call->serial;
	}
	rpc_envelope_set_error(&reply, &holder, err);
	return rpc_conn_send(c, &reply, NULL, 0);
}

/* The length word of a raw message: the whole message, itself included. */
static uint32_t raw_len(const uint8_t *p) { return rpc_frame_read_len(p); }

/* Hands every complete message of a raw connection to on_raw. */
static size_t parse_raw(struct rpc_conn *c)
{
	size_t off = 0;

	rpc_close_fds(c->fdq, c->nfdq);
	c->nfdq = 0;
	while (!c->closed && !c->paused && c->in_len - off >= RPC_FRAME_HEADER) {
		uint32_t len = raw_len(c->in + off);

		if (len < c->ops->raw_min || len > c->ops->raw_max) {
			log_warn("peer pid %d sent a message of %u bytes (allowed: %u to %u): closing",
				 (int)c->peer.pid, len, c->ops->raw_min, c->ops->raw_max);
			rpc_conn_close(c);
			return 0;
		}
		if (c->in_len - off < len)
			break;
		c->ops->on_raw(c, c->in + off, len, c->userdata);
		off += len;
	}
	return off;
}

/* Parses every complete frame in the input buffer. */
static void parse_frames(struct rpc_conn *c)
{
	size_t off = 0;

	if (c->ops->on_raw) {
		off = parse_raw(c);
		goto consumed;
	}
	while (!c->closed && !c->paused && c->in_len - off >= RPC_FRAME_HEADER) {
		uint32_t len = rpc_frame_read_len(c->in + off);
		struct sv_error err;
		rpc_envelope *env = NULL;
		int fds[RPC_MAX_FDS];
		size_t nfds;

		if (rpc_frame_check_len(len, &err) < 0) {
			/* The stream cannot be resynchronised: say why, then hang up. */
			rpc_conn_send_error(c, NULL, &err);
			rpc_conn_close(c);
			return;
		}
		if (c->in_len - off - RPC_FRAME_HEADER < len)
			break; /* the buffer grows as the rest arrives (conn_read), not as announced */
		if (rpc_frame_unpack(c->in + off + RPC_FRAME_HEADER, len, &env, &err) < 0) {
			off += RPC_FRAME_HEADER + len;
			rpc_conn_send_error(c, NULL, &err); /* the frame is skipped, the connection goes on */
			continue;
		}
		off += RPC_FRAME_HEADER + len;
		nfds = env->nfds;
		if (nfds > c->nfdq) {
			sv_error_set(&err, SV_FROM_RPC, SV_ERR_RPC, EBADMSG,
				     "RPC frame announces %zu file descriptors but %zu arrived", nfds, c->nfdq);
			rpc_conn_send_error(c, env, &err);
			rpc_envelope_free(env);
			rpc_conn_close(c);
			return;
		}
		memcpy(fds, c->fdq, nfds * sizeof(int));
		memmove(c->fdq, c->fdq + nfds, (c->nfdq - nfds) * sizeof(int));
		c->nfdq -= nfds;
		c->ops->on_frame(c, env, fds, nfds, c->userdata);
	}
consumed:
	if (c->closed)
		return;
	if (off) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
	/* Give back the memory of one large frame once it has been handled. */
	if (c->in_len == 0 && c->in_cap > 16 * RPC_FRAME_READ_MIN) {
		free(c->in);
		c->in = NULL;
		c->in_cap = 0;
	}
}

static void conn_read(struct rpc_conn *c)
{
	size_t cap;
	ssize_t n;

	if (c->ops->on_raw)
		cap = rpc_frame_buf_size_to(c->in_len >= RPC_FRAME_HEADER ? raw_len(c->in) : 0, c->ops->raw_max,
					    c->in_len, c->in_cap);
	else
		cap = rpc_frame_buf_size(c->in, c->in_len, c->in_cap);

	if (cap != c->in_cap) {
		c->in = xrealloc(c->in, cap);
		c->in_cap = cap;
	}
	n = rpc_recv_some(c->fd, c->in + c->in_len, c->in_cap - c->in_len, c->fdq, &c->nfdq, ARRAY_SIZE(c->fdq));
	if (n == -EAGAIN)
		return;
	if (n <= 0) {
		rpc_conn_close(c);
		return;
	}
	c->in_len += n;
	parse_frames(c);
}

static void conn_io(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct rpc_conn *c = userdata;

	if (events & EPOLLOUT) {
		if (flush_out(c) < 0) {
			rpc_conn_close(c);
			return;
		}
	}
	if (c->paused && (events & (EPOLLHUP | EPOLLERR))) {
		rpc_conn_close(c); /* gone while paused: what it sent last cannot be answered */
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(c);
}

void rpc_conn_pause_input(struct rpc_conn *c, bool paused)
{
	if (c->closed || c->broken || c->paused == paused)
		return;
	c->paused = paused;
	set_events(c);
	if (!paused)
		parse_frames(c); /* what arrived before the pause */
}
