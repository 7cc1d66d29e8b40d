// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "caller.h"
#include "conn.h"
#include "log.h"
#include "procs.h"

#define DEFAULT_TIMEOUT_MS 30000

struct call {
	struct rpc_caller *caller;
	uint64_t serial;
	uint32_t proc;
	char *what;
	int64_t sent_ms;
	int timeout_ms;
	struct evwatch *timer;
	rpc_caller_fn fn;
	void *opaque;
	struct call *next;
};

struct rpc_caller {
	struct evloop *loop;
	char *path, *daemon;
	uint32_t program;
	int domain;
	struct rpc_conn *conn;
	dev_t dev;           /* the socket file the connection was made on */
	ino_t ino;
	uint64_t next_serial;
	struct call *calls;  /* waiting, oldest first */
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rpc_caller_timeout_ms(void)
{
	const char *v = getenv("SEPVIRT_DAEMON_CALL_TIMEOUT_MS");
	long ms = v && *v ? strtol(v, NULL, 10) : 0;

	return ms > 0 && ms < 24L * 3600 * 1000 ? (int)ms : DEFAULT_TIMEOUT_MS;
}

static struct call *unlink_call(struct rpc_caller *c, uint64_t serial)
{
	for (struct call **p = &c->calls; *p; p = &(*p)->next)
		if ((*p)->serial == serial) {
			struct call *k = *p;
			*p = k->next;
			return k;
		}
	return NULL;
}

/* Runs the call's callback and frees it (already unlinked). */
static void end_call(struct call *k, int r, const rpc_envelope *reply, int *fds, size_t nfds,
		     const struct sv_error *err)
{
	if (k->timer)
		evwatch_remove(k->timer);
	k->fn(k->opaque, r, reply, fds, nfds, err);
	free(k->what);
	free(k);
}

static void fail_call(struct call *k, int code, int errnum, const char *fmt_why)
{
	struct rpc_caller *c = k->caller;
	struct sv_error err;

	sv_error_set(&err, c->domain, code, errnum, "%s %s %s (%s) after %lld ms", c->daemon, fmt_why,
		     proc_name(k->proc), k->what, (long long)(now_ms() - k->sent_ms));
	end_call(k, -errnum, NULL, NULL, 0, &err);
}

static void on_deadline(struct evwatch *w, void *userdata)
{
	struct call *k = userdata;
	struct rpc_caller *c = k->caller;
	struct sv_error err;

	k->timer = NULL;
	evwatch_remove(w);
	unlink_call(c, k->serial);
	/* The call was written: the daemon may still do it; its late reply is dropped. */
	sv_error_set(&err, c->domain, SV_ERR_OUTCOME_UNKNOWN, ETIMEDOUT,
		     "%s did not answer %s (%s) within %d ms", c->daemon, proc_name(k->proc), k->what, k->timeout_ms);
	log_debug("%s", err.message);
	end_call(k, -ETIMEDOUT, NULL, NULL, 0, &err);
}

static void on_frame(struct rpc_conn *conn, rpc_envelope *env, int *fds, size_t nfds, void *userdata)
{
	struct rpc_caller *c = userdata;
	struct call *k = env->serial ? unlink_call(c, env->serial) : NULL;
	struct sv_error err;

	if (!k) {
		/* An event, or the answer to a call that went past its deadline. */
		log_debug("%s: dropping a frame for serial %llu (%zu fds): nobody waits for it", c->daemon,
			  (unsigned long long)env->serial, nfds);
		rpc_close_fds(fds, nfds);
	} else if (env->status == SEPVIRT__STATUS__STATUS_ERROR) {
		rpc_close_fds(fds, nfds);
		rpc_envelope_get_error(env, &err);
		end_call(k, -EIO, NULL, NULL, 0, &err);
	} else {
		end_call(k, 0, env, fds, nfds, NULL);
	}
	rpc_envelope_free(env);
}

static void on_close(struct rpc_conn *conn, void *userdata)
{
	struct rpc_caller *c = userdata;
	struct call *list;

	if (!c) /* rpc_caller_free let it go */
		return;
	list = c->calls;
	if (c->conn == conn)
		c->conn = NULL;
	c->calls = NULL;
	/* Detached first: a callback may already make a new call (on a new connection). */
	while (list) {
		struct call *k = list;
		list = k->next;
		fail_call(k, SV_ERR_OUTCOME_UNKNOWN, EPIPE, "closed the connection before it answered");
	}
}

static const struct rpc_conn_ops caller_ops = { .on_frame = on_frame, .on_close = on_close };

/* The kept connection, when the daemon behind the path is still the one it was made to. */
static bool conn_current(const struct rpc_caller *c)
{
	struct stat st;

	return c->conn && !rpc_conn_is_closed(c->conn) && stat(c->path, &st) == 0 && st.st_dev == c->dev &&
	       st.st_ino == c->ino;
}

static int connect_now(struct rpc_caller *c, const char *what, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (conn_current(c))
		return 0;
	if (c->conn)
		rpc_conn_close(c->conn); /* its calls fail: that daemon went away */
	c->conn = NULL;
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c->path) >= (int)sizeof(sa.sun_path))
		return sv_error_set(err, c->domain, SV_ERR_INTERNAL, ENAMETOOLONG, "socket path '%s' is too long",
				    c->path);
	/* Non-blocking: a daemon whose backlog is full fails the call instead of stopping the loop. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || fstat(fd, &st) < 0 ||
	    stat(c->path, &st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return sv_error_set_errno(err, c->domain, SV_ERR_DRIVER_UNAVAILABLE, e,
					  "cannot reach %s for %s (socket '%s')", c->daemon, what, c->path);
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->conn = rpc_conn_new(c->loop, fd, &caller_ops, c);
	if (!c->conn)
		return sv_error_set_errno(err, c->domain, SV_ERR_SYSTEM, errno, "cannot watch the connection to %s",
					  c->daemon);
	return 0;
}

struct rpc_caller *rpc_caller_new(struct evloop *loop, const char *socket_path, const char *daemon,
				  uint32_t program, int error_domain)
{
	struct rpc_caller *c = xcalloc(1, sizeof(*c));

	c->loop = loop;
	c->path = xstrdup(socket_path);
	c->daemon = xstrdup(daemon);
	c->program = program;
	c->domain = error_domain;
	c->next_serial = 1;
	return c;
}

void rpc_caller_free(struct rpc_caller *c)
{
	if (!c)
		return;
	while (c->calls) {
		struct call *k = c->calls;
		c->calls = k->next;
		fail_call(k, SV_ERR_OUTCOME_UNKNOWN, ESHUTDOWN, "was left unanswered (the caller stops) for");
	}
	if (c->conn) {
		rpc_conn_set_userdata(c->conn, NULL);
		rpc_conn_close(c->conn);
	}
	free(c->path);
	free(c->daemon);
	free(c);
}

int rpc_caller_call(struct rpc_caller *c, uint32_t proc, const ProtobufCMessage *req, int timeout_ms,
		    const char *what, rpc_caller_fn fn, void *opaque, struct sv_error *err)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	struct call *k, **tail;
	int r = connect_now(c, what, err);

	if (r < 0)
		return r;
	env.program = c->program;
	env.procedure = proc;
	env.serial = c->next_serial++;
	env.status = SEPVIRT__STATUS__STATUS_CALL;
	if (req)
		rpc_body_pack(&env, req);
	r = rpc_conn_send(c->conn, &env, NULL, 0);
	rpc_envelope_body_free(&env);
	if (r < 0)
		return sv_error_set_errno(err, c->domain, SV_ERR_DRIVER_UNAVAILABLE, -r, "cannot send %s (%s) to %s",
					  proc_name(proc), what, c->daemon);
	k = xcalloc(1, sizeof(*k));
	k->caller = c;
	k->serial = env.serial;
	k->proc = proc;
	k->what = xstrdup(what);
	k->sent_ms = now_ms();
	k->timeout_ms = timeout_ms > 0 ? timeout_ms : rpc_caller_timeout_ms();
	k->fn = fn;
	k->opaque = opaque;
	k->timer = evloop_timer(c->loop, (uint64_t)k->timeout_ms, 0, on_deadline, k);
	for (tail = &c->calls; *tail; tail = &(*tail)->next)
		;
	*tail = k;
	return 0;
}

size_t rpc_caller_waiting(const struct rpc_caller *c)
{
	size_t n = 0;

	for (const struct call *k = c ? c->calls : NULL; k; k = k->next)
		n++;
	return n;
}
