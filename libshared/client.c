/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "client.h"

struct rpc_client {
	int fd;
	char *path;
	uint64_t serial;
	int timeout_ms;
	int64_t spin_ns;
	int64_t wait_avg_ns;   /* how long replies kept us waiting lately (moving average) */
	uint8_t *in;
	size_t in_len, in_cap;
	int fdq[RPC_MAX_FDS * 2];
	size_t nfdq;
	rpc_envelope **events; /* event frames that came while a reply was awaited, oldest first */
	size_t nevents;
	dev_t sock_dev;        /* the socket file connected to (rpc_client_keep), to notice it replaced */
	ino_t sock_ino;
	bool kept;
};

#define RPC_CLIENT_MAX_EVENTS 1024 /* queued beyond this, the oldest are dropped */

int rpc_client_connect(const char *path, struct rpc_client **out, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return sv_error_set(err, SV_FROM_RPC, SV_ERR_INVALID_ARG, ENAMETOOLONG,
				    "socket path '%s' is too long", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_RPC, SV_ERR_SYSTEM, errno, "cannot create socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return sv_error_set_errno(err, SV_FROM_RPC, SV_ERR_RPC, errno,
					  "cannot connect to socket '%s'", path);
	*out = rpc_client_from_fd(TAKE_FD(fd), path);
	return 0;
}

struct rpc_client *rpc_client_from_fd(int fd, const char *label)
{
	struct rpc_client *c = xcalloc(1, sizeof(*c));
	const char *t = getenv("SEPVIRT_CALL_TIMEOUT_MS");

	c->fd = fd;
	c->path = xstrdup(label);
	rpc_client_set_timeout(c, t ? atoi(t) : 120000);
	return c;
}

void rpc_client_free(struct rpc_client *c)
{
	if (!c)
		return;
	close(c->fd);
	rpc_close_fds(c->fdq, c->nfdq);
	for (size_t i = 0; i < c->nevents; i++)
		rpc_envelope_free(c->events[i]);
	free(c->events);
	free(c->in);
	free(c->path);
	free(c);
}

/* A blocking read that gives up after the timeout (SO_RCVTIMEO) costs one syscall per reply;
 * poll() before each read would cost two. */
void rpc_client_set_timeout(struct rpc_client *c, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	c->timeout_ms = ms;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}
int rpc_client_fd(const struct rpc_client *c) { return c->fd; }

void rpc_client_set_spin(struct rpc_client *c, int us)
{
	c->spin_ns = us > 0 ? (int64_t)us * 1000 : 0;
}

int rpc_client_default_spin_us(void)
{
	const char *s = getenv("SEPVIRT_CLIENT_SPIN_US");

	return s ? atoi(s) : RPC_CLIENT_SPIN_US_DEFAULT;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Polls for the reply for up to the spin window before the caller sleeps in recvmsg. On a VM,
 * waking a process that sleeps on an idle vCPU costs ~20 us (bench/README.md); a waiting client
 * that keeps its vCPU busy halves a call's latency. Each poll is a non-blocking recvmsg and a
 * sched_yield, which hands the CPU to any runnable process (the daemons answering us), so the
 * spin never delays the reply it waits for; between polls it spins in user space
 * (RPC_CLIENT_POLL_GAP_NS) to keep the system calls per call few. */
#define RPC_CLIENT_POLL_GAP_NS 2000
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static ssize_t recv_spinning(struct rpc_client *c)
{
	int64_t now = now_ns(), end = now + c->spin_ns;

	do {
		ssize_t n = rpc_recv_some_flags(c->fd, c->in + c->in_len, c->in_cap - c->in_len, c->fdq,
						&c->nfdq, ARRAY_SIZE(c->fdq), MSG_DONTWAIT);
		if (n != -EAGAIN)
			return n;
		sched_yield();
		for (int64_t next = now + RPC_CLIENT_POLL_GAP_NS; (now = now_ns()) < next;)
			cpu_relax();
	} while (now < end);
	return -EAGAIN;
}

/* Reads until one whole frame is buffered; returns its payload length. */
static int read_frame(struct rpc_client *c, int64_t deadline, uint32_t *plen, struct sv_error *err)
{
	/* Polling pays only while replies come within the window: when they have lately kept us
	 * waiting longer (a loaded host, more clients than cores, slow calls), sleep at once. */
	bool spin = c->spin_ns > 0 && c->wait_avg_ns < c->spin_ns;
	int64_t t0 = c->spin_ns ? now_ns() : 0;

	for (;;) {
		if (c->in_len >= RPC_FRAME_HEADER) {
			uint32_t len = rpc_frame_read_len(c->in);
			int r = rpc_frame_check_len(len, err);
			if (r < 0)
				return r;
			if (c->in_len >= RPC_FRAME_HEADER + len) {
				*plen = len;
				if (c->spin_ns) {
					/* capped, so a slow call (a domain start) is forgotten in a few calls */
					int64_t w = now_ns() - t0, cap = 4 * c->spin_ns;
					c->wait_avg_ns = (3 * c->wait_avg_ns + (w < cap ? w : cap)) / 4;
				}
				return 0;
			}
		}
		size_t cap = rpc_frame_buf_size(c->in, c->in_len, c->in_cap);
		if (cap != c->in_cap) {
			c->in = xrealloc(c->in, cap);
			c->in_cap = cap;
		}
		if (deadline && now_ns() / 1000000 >= deadline)
			return sv_error_set(err, SV_FROM_RPC, SV_ERR_OUTCOME_UNKNOWN, ETIMEDOUT,
					    "no reply from '%s' within %d ms: the call may or may not have been done",
					    c->path, c->timeout_ms);
		ssize_t n = spin ? recv_spinning(c) : -EAGAIN;
		if (n == -EAGAIN)
			n = rpc_recv_some(c->fd, c->in + c->in_len, c->in_cap - c->in_len, c->fdq, &c->nfdq,
					  ARRAY_SIZE(c->fdq));
		spin = false;
		if (n == 0)
			return sv_error_set(err, SV_FROM_RPC, SV_ERR_OUTCOME_UNKNOWN, ECONNRESET,
					    "connection to '%s' closed before the reply: the call may or may not have been done",
					    c->path);
		if (n == -EAGAIN)
			continue; /* SO_RCVTIMEO expired: the deadline check above decides */
		if (n < 0)
			return sv_error_set_errno(err, SV_FROM_RPC, SV_ERR_OUTCOME_UNKNOWN, (int)n,
						  "cannot read the reply from '%s' (the call may or may not have been done)",
						  c->path);
		c->in_len += n;
	}
}

static void consume(struct rpc_client *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
}

static int next_frame(struct rpc_client *c, int64_t deadline, rpc_envelope **env, int rfds[RPC_MAX_FDS],
		      size_t *rn, struct sv_error *err);

/* A server that refuses a connection (access policy, connection limits) sends why and hangs
 * up, possibly before the call was written: the reason is still there to read. */
static bool refused_with_reason(struct rpc_client *c, struct sv_error *err)
{
	_cleanup_envelope_ rpc_envelope *env = NULL;
	struct sv_error ignored;
	int rfds[RPC_MAX_FDS];
	size_t rn;

	if (next_frame(c, now_ns() / 1000000 + 1000, &env, rfds, &rn, &ignored) < 0)
		return false;
	rpc_close_fds(rfds, rn);
	if (env->serial != 0 || env->status != SEPVIRT__STATUS__STATUS_ERROR)
		return false;
	rpc_envelope_get_error(env, err);
	return true;
}

int rpc_client_send(struct rpc_client *c, uint32_t program, uint32_t proc, const ProtobufCMessage *req,
		    const int *fds, size_t nfds, uint64_t *serial, struct sv_error *err)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len;
	int r;

	env.program = program;
	env.procedure = proc;
	env.serial = ++c->serial;
	env.status = SEPVIRT__STATUS__STATUS_CALL;
	env.nfds = nfds;
	if (req)
		rpc_body_pack(&env, req);
	r = rpc_frame_pack(&env, &buf, &len, err);
	rpc_envelope_body_free(&env);
	if (r < 0)
		return r;
	r = rpc_send_all(c->fd, buf, len, fds, nfds);
	if ((r == -EPIPE || r == -ECONNRESET) && refused_with_reason(c, err))
		return -EPROTO;
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_RPC, SV_ERR_RPC, r, "cannot send to '%s'", c->path);
	*serial = env.serial;
	return 0;
}

/* The next frame and the fds that came with it. */
static int next_frame(struct rpc_client *c, int64_t deadline, rpc_envelope **env, int rfds[RPC_MAX_FDS],
		      size_t *rn, struct sv_error *err)
{
	uint32_t plen = 0;
	int r = read_frame(c, deadline, &plen, err);

	if (r < 0)
		return r;
	r = rpc_frame_unpack(c->in + RPC_FRAME_HEADER, plen, env, err);
	consume(c, RPC_FRAME_HEADER + plen);
	if (r < 0)
		return r;
	*rn = (*env)->nfds <= c->nfdq ? (*env)->nfds : c->nfdq;
	if (*rn > RPC_MAX_FDS)
		*rn = RPC_MAX_FDS;
	memcpy(rfds, c->fdq, *rn * sizeof(int));
	memmove(c->fdq, c->fdq + *rn, (c->nfdq - *rn) * sizeof(int));
	c->nfdq -= *rn;
	return 0;
}

static void queue_event(struct rpc_client *c, rpc_envelope *env)
{
	if (c->nevents == RPC_CLIENT_MAX_EVENTS) {
		rpc_envelope_free(c->events[0]);
		memmove(c->events, c->events + 1, --c->nevents * sizeof(*c->events));
	}
	c->events = xrealloc(c->events, (c->nevents + 1) * sizeof(*c->events));
	c->events[c->nevents++] = env;
}

int rpc_client_recv(struct rpc_client *c, uint64_t serial, const ProtobufCMessageDescriptor *reply_desc,
		    ProtobufCMessage **reply, int *out_fds, size_t *out_nfds, struct sv_error *err)
{
	int64_t deadline = c->timeout_ms > 0 ? now_ns() / 1000000 + c->timeout_ms : 0;
	int r;

	if (out_nfds)
		*out_nfds = 0;
	for (;;) {
		_cleanup_envelope_ rpc_envelope *rep = NULL;
		int rfds[RPC_MAX_FDS];
		size_t rn;

		r = next_frame(c, deadline, &rep, rfds, &rn, err);
		if (r < 0)
			return r;
		if (rep->status == SEPVIRT__STATUS__STATUS_EVENT) {
			rpc_close_fds(rfds, rn);
			queue_event(c, TAKE_PTR(rep));
			continue;
		}
		if (rep->serial != serial) {
			/* An event or a reply to a call given up on: not ours. */
			rpc_close_fds(rfds, rn);
			if (rep->serial == 0 && rep->status == SEPVIRT__STATUS__STATUS_ERROR) {
				rpc_envelope_get_error(rep, err);
				return -EPROTO;
			}
			continue;
		}
		if (rep->status == SEPVIRT__STATUS__STATUS_ERROR) {
			rpc_close_fds(rfds, rn);
			rpc_envelope_get_error(rep, err);
			return -EIO;
		}
		if (reply_desc) {
			r = rpc_body_unpack(rep, reply_desc, reply, err);
			if (r < 0) {
				rpc_close_fds(rfds, rn);
				return r;
			}
		}
		if (out_fds && out_nfds) {
			memcpy(out_fds, rfds, rn * sizeof(int));
			*out_nfds = rn;
		} else {
			rpc_close_fds(rfds, rn);
		}
		return 0;
	}
}

int rpc_client_call(struct rpc_client *c, uint32_t program, uint32_t proc,
		    const ProtobufCMessage *req, const int *fds, size_t nfds,
		    const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply,
		    int *out_fds, size_t *out_nfds, struct sv_error *err)
{
	uint64_t serial;
	int r = rpc_client_send(c, program, proc, req, fds, nfds, &serial, err);

	if (r < 0)
		return r;
	return rpc_client_recv(c, serial, reply_desc, reply, out_fds, out_nfds, err);
}

static bool frame_buffered(const struct rpc_client *c)
{
	return c->in_len >= RPC_FRAME_HEADER && c->in_len >= RPC_FRAME_HEADER + rpc_frame_read_len(c->in);
}

int rpc_client_next_event(struct rpc_client *c, int timeout_ms, rpc_envelope **env, struct sv_error *err)
{
	int64_t end = now_ns() / 1000000 + (timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		_cleanup_envelope_ rpc_envelope *f = NULL;
		int rfds[RPC_MAX_FDS];
		size_t rn;

		if (c->nevents) {
			*env = c->events[0];
			memmove(c->events, c->events + 1, --c->nevents * sizeof(*c->events));
			return 1;
		}
		if (!frame_buffered(c)) {
			struct pollfd p = { .fd = c->fd, .events = POLLIN };
			int64_t left = end - now_ns() / 1000000;
			int wait = timeout_ms < 0 ? -1 : left > 0 ? (int)left : 0;
			int n = poll(&p, 1, wait);
			if (n == 0)
				return 0;
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return sv_error_set_errno(err, SV_FROM_RPC, SV_ERR_RPC, errno, "cannot wait on '%s'", c->path);
		}
		int r = next_frame(c, 0, &f, rfds, &rn, err);
		if (r < 0)
			return r;
		rpc_close_fds(rfds, rn);
		if (f->status == SEPVIRT__STATUS__STATUS_EVENT)
			queue_event(c, TAKE_PTR(f));
		/* anything else is a reply to a call given up on */
	}
}

void rpc_client_keep(struct rpc_client *c)
{
	struct stat st;

	c->kept = stat(c->path, &st) == 0;
	c->sock_dev = c->kept ? st.st_dev : 0;
	c->sock_ino = c->kept ? st.st_ino : 0;
}

bool rpc_client_idle_alive(const struct rpc_client *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	struct stat st;

	/* Nothing is owed on an idle connection: anything readable is its end (or junk). */
	if (c->fd < 0 || c->in_len != 0 || poll(&p, 1, 0) != 0)
		return false;
	/* The path no longer names the socket it was made on: the daemon is gone or replaced (or
	 * taken away on purpose); what the path names now is what a new connection would reach. */
	return !c->kept || (stat(c->path, &st) == 0 && st.st_dev == c->sock_dev && st.st_ino == c->sock_ino);
}
