/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Routing: each client call goes to the driver daemon of its program, stamped with the
 * client's identity and a serial of proxyd's own; the reply goes back under the client's serial.
 * A driver that is down is answered for at once, and reconnected to on the next call. */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/un.h>

#include "log.h"
#include "pending.h"
#include "procs.h"
#include "proxyd.h"

#define NPROGRAMS PROXY_NPROGRAMS

struct driver {
	struct proxy *proxy;
	uint32_t program;
	char name[32]; /* "sepvirt-qemud" */
	char *path;
	struct rpc_conn *conn;
};

struct proxy {
	struct daemon_ctx *ctx;
	struct driver drivers[NPROGRAMS];
	struct pending_table pending;
	uint64_t next_serial;
	void *clients; /* owned by clients.c */
};

static void reply_error(struct proxy_client *cl, const rpc_envelope *env, int domain, int code,
			const char *fmt, ...) _printf_(5, 6);

static void reply_error(struct proxy_client *cl, const rpc_envelope *env, int domain, int code,
			const char *fmt, ...)
{
	struct sv_error err = { .code = code, .domain = domain };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	rpc_conn_send_error(cl->conn, env, &err);
}

static void driver_on_frame(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata)
{
	struct driver *d = userdata;
	struct pending p;

	if (env->status == SEPVIRT__STATUS__STATUS_EVENT) {
		env->program = d->program; /* the driver's word for its program is not needed */
		proxy_events_relay(d->proxy, d->program, env);
	} else if (env->status == SEPVIRT__STATUS__STATUS_CALL || !pending_take(&d->proxy->pending, env->serial, &p)) {
		/* Anything else unexpected is dropped. */
		log_debug("dropping frame serial %llu status %d from %s", (unsigned long long)env->serial,
			  env->status, d->name);
	} else if (p.done) {
		if (p.client)
			p.client->in_flight--;
		p.done(p.client, p.ud, env, fds, nfds);
	} else if (p.client) {
		env->serial = p.client_serial;
		p.client->in_flight--;
		rpc_conn_send(p.client->conn, env, fds, nfds);
	}
	rpc_close_fds(fds, nfds);
	rpc_envelope_free(env);
}

struct fail_ctx {
	struct driver *d;
	struct sv_error err;
	uint64_t *keys;
	size_t n;
};

static void collect_driver_calls(struct pending *p, void *ud)
{
	struct fail_ctx *f = ud;
	if (p->program == f->d->program)
		f->keys[f->n++] = p->key;
}

static void driver_on_close(struct rpc_conn *c, void *userdata)
{
	struct driver *d = userdata;
	struct proxy *px = d->proxy;
	struct fail_ctx f = { .d = d };

	log_warn("connection to %s lost", d->name);
	d->conn = NULL;
	/* Every call still waiting on this driver is answered now rather than left to hang. */
	f.keys = xcalloc(px->pending.count + 1, sizeof(uint64_t));
	pending_foreach(&px->pending, collect_driver_calls, &f);
	/* These calls reached the driver: whether it did them before it went is unknown, and the
	 * reply must not claim they failed (an error reply means nothing was done). */
	sv_error_set(&f.err, SV_FROM_PROXY, SV_ERR_OUTCOME_UNKNOWN, EPIPE,
		     "driver unavailable: %s closed the connection before it answered: the call may or may not "
		     "have been done", d->name);
	for (size_t i = 0; i < f.n; i++) {
		struct pending p;
		Sepvirt__Error holder;
		rpc_envelope env = SEPVIRT__ENVELOPE__INIT;

		if (!pending_take(&px->pending, f.keys[i], &p) || (!p.client && !p.done))
			continue;
		env.program = p.program;
		env.procedure = p.procedure;
		env.serial = p.client_serial;
		if (p.client)
			p.client->in_flight--;
		if (p.done) {
			rpc_envelope_set_error(&env, &holder, &f.err);
			p.done(p.client, p.ud, &env, NULL, 0);
		} else
			rpc_conn_send_error(p.client->conn, &env, &f.err);
	}
	free(f.keys);
	proxy_events_driver_lost(px, d->program);
}

static const struct rpc_conn_ops driver_ops = { .on_frame = driver_on_frame, .on_close = driver_on_close };

static int driver_connect(struct driver *d, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (d->conn)
		return 0;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_PROXY, SV_ERR_DRIVER_UNAVAILABLE, errno,
					  "driver unavailable: cannot create a socket for %s", d->name);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return sv_error_set_errno(err, SV_FROM_PROXY, SV_ERR_DRIVER_UNAVAILABLE, e,
					  "driver unavailable: %s is not running (cannot connect to '%s')",
					  d->name, d->path);
	}
	d->conn = rpc_conn_new(d->proxy->ctx->loop, fd, &driver_ops, d);
	if (!d->conn)
		return sv_error_set_errno(err, SV_FROM_PROXY, SV_ERR_DRIVER_UNAVAILABLE, errno,
					  "driver unavailable: cannot watch the connection to %s", d->name);
	log_info("connected to %s", d->name);
	return 0;
}

struct proxy *proxy_new(struct daemon_ctx *ctx)
{
	struct proxy *p = xcalloc(1, sizeof(*p));

	p->ctx = ctx;
	p->next_serial = 1;
	pending_init(&p->pending);
	for (uint32_t prog = SEPVIRT__PROGRAM__PROGRAM_QEMU; prog < NPROGRAMS; prog++) {
		struct driver *d = &p->drivers[prog];
		d->proxy = p;
		d->program = prog;
		snprintf(d->name, sizeof(d->name), "sepvirt-%s", program_daemon(prog));
		d->path = paths_socket(&ctx->paths, program_daemon(prog));
	}
	return p;
}

void proxy_free(struct proxy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < NPROGRAMS; i++) {
		if (p->drivers[i].conn)
			rpc_conn_close(p->drivers[i].conn);
		free(p->drivers[i].path);
	}
	pending_fini(&p->pending);
	proxy_events_fini();
	free(p);
}

static void forget(struct pending *p, void *ud)
{
	if (p->client == ud)
		p->client = NULL;
}

void proxy_forget_client(struct proxy *p, struct proxy_client *cl)
{
	/* the domains it started with autodestroy go with it: its drivers know which */
	for (uint32_t prog = 0; prog < NPROGRAMS && cl->start_programs; prog++) {
		Sepvirt__ClientClosedRequest req = SEPVIRT__CLIENT_CLOSED_REQUEST__INIT;
		struct sv_error err;

		if (!(cl->start_programs & (1u << prog)))
			continue;
		req.client = cl->id;
		if (proxy_driver_call(p, prog, SEPVIRT__PROCEDURE__PROC_CLIENT_CLOSED, &req.base, &err) < 0)
			log_warn("cannot tell %s that client %llu closed: %s", program_name(prog),
				 (unsigned long long)cl->id, err.message);
	}
	if (cl->in_flight)
		pending_foreach(&p->pending, forget, cl);
	if (cl->event_programs)
		proxy_events_forget_client(cl);
}

struct evloop *proxy_loop(struct proxy *p) { return p->ctx->loop; }

/* Sends a call of proxyd's own making to the driver of program, stamped with caller's identity
 * when it is made for a client; p is its entry in the table of calls in flight. */
static int send_call(struct proxy *px, uint32_t program, uint32_t proc, const ProtobufCMessage *msg,
		     struct proxy_client *caller, struct pending *p, struct sv_error *err)
{
	struct driver *d = &px->drivers[program];
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__Identity id = SEPVIRT__IDENTITY__INIT;
	int r = driver_connect(d, err);

	if (r < 0)
		return r;
	if (caller) {
		/* The identity is proxyd's observation of the socket, as for its own protocol's calls. */
		id.uid = caller->peer.uid;
		id.gid = caller->peer.gid;
		id.pid = caller->peer.pid;
		id.read_only = caller->read_only;
		id.client = caller->id;
		env.caller = &id;
	}
	p->key = px->next_serial++;
	p->program = program;
	p->procedure = proc;
	env.program = program;
	env.procedure = proc;
	env.serial = p->key;
	env.status = SEPVIRT__STATUS__STATUS_CALL;
	rpc_body_pack(&env, msg);
	pending_put(&px->pending, p);
	if (caller)
		caller->in_flight++;
	r = rpc_conn_send(d->conn, &env, NULL, 0);
	rpc_envelope_body_free(&env);
	if (r < 0) {
		pending_take(&px->pending, p->key, p);
		if (caller)
			caller->in_flight--;
		return sv_error_set(err, SV_FROM_PROXY, SV_ERR_DRIVER_UNAVAILABLE, -r,
				    "driver unavailable: cannot send to %s: %s", d->name, strerror(-r));
	}
	return 0;
}

int proxy_driver_call(struct proxy *px, uint32_t program, uint32_t proc, const ProtobufCMessage *msg,
		      struct sv_error *err)
{
	struct pending p = { 0 };

	return send_call(px, program, proc, msg, NULL, &p, err);
}

int proxy_call_for(struct proxy_client *cl, uint32_t program, uint32_t proc, const ProtobufCMessage *msg,
		   proxy_reply_fn done, void *ud, struct sv_error *err)
{
	struct pending p = { .client = cl, .done = done, .ud = ud };

	return send_call(cl->proxy, program, proc, msg, cl, &p, err);
}

static void handle_local(struct proxy_client *cl, const rpc_envelope *env)
{
	rpc_envelope reply = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__PingReply ping = SEPVIRT__PING_REPLY__INIT;

	if (env->procedure != SEPVIRT__PROCEDURE__PROC_PING) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_NOT_SUPPORTED,
			    "procedure %s (%d) is not supported by sepvirt-proxyd", proc_name(env->procedure),
			    env->procedure);
		return;
	}
	Sepvirt__Identity who = SEPVIRT__IDENTITY__INIT;
	daemon_fill_ping(&ping);
	who.uid = cl->peer.uid;
	who.gid = cl->peer.gid;
	who.pid = cl->peer.pid;
	who.read_only = cl->read_only;
	ping.caller = &who;
	reply.program = env->program;
	reply.procedure = env->procedure;
	reply.serial = env->serial;
	reply.status = SEPVIRT__STATUS__STATUS_OK;
	rpc_body_pack(&reply, &ping.base);
	rpc_conn_send(cl->conn, &reply, NULL, 0);
	rpc_envelope_body_free(&reply);
}

void proxy_route_call(struct proxy_client *cl, rpc_envelope *env, int *fds, size_t nfds)
{
	struct proxy *px = cl->proxy;
	const struct proc_info *info = proc_info_lookup(env->procedure);
	Sepvirt__Identity id = SEPVIRT__IDENTITY__INIT;
	Sepvirt__Identity *claimed = env->caller;
	struct sv_error err;
	struct driver *d;

	if (env->status != SEPVIRT__STATUS__STATUS_CALL) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_RPC, "expected a call, got a frame of status %d", env->status);
		return;
	}
	if (env->program == SEPVIRT__PROGRAM__PROGRAM_PROXY) {
		handle_local(cl, env);
		return;
	}
	if (env->procedure == SEPVIRT__PROCEDURE__PROC_EVENT_REGISTER) {
		proxy_events_register(px, cl, env);
		return;
	}
	if (env->program <= SEPVIRT__PROGRAM__PROGRAM_PROXY || env->program >= NPROGRAMS) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_RPC, "unknown program %d", env->program);
		return;
	}
	if (!info) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_NOT_SUPPORTED, "unknown procedure %d", env->procedure);
		return;
	}
	if (!(info->flags & PROC_CLIENT)) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_PERMISSION,
			    "procedure %s may only be called by the driver daemons, not by clients", info->name);
		return;
	}
	if (cl->read_only && !(info->flags & PROC_READ_ONLY)) {
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_READ_ONLY,
			    "operation forbidden: read only access prevents %s", proc_api_name(env->procedure));
		return;
	}
	d = &px->drivers[env->program];
	if (driver_connect(d, &err) < 0) {
		rpc_conn_send_error(cl->conn, env, &err);
		return;
	}
	/* The identity is proxyd's observation of the socket, never what the client wrote. */
	id.uid = cl->peer.uid;
	id.gid = cl->peer.gid;
	id.pid = cl->peer.pid;
	id.read_only = cl->read_only;
	id.client = cl->id;
	env->caller = &id;
	if (env->procedure == SEPVIRT__PROCEDURE__PROC_DOMAIN_START)
		cl->start_programs |= 1u << env->program;

	struct pending p = {
		.key = px->next_serial++,
		.client_serial = env->serial,
		.client = cl,
		.program = env->program,
		.procedure = env->procedure,
	};
	env->serial = p.key;
	pending_put(&px->pending, &p);
	cl->in_flight++;
	int r = rpc_conn_send(d->conn, env, fds, nfds);
	env->caller = claimed; /* freed with the envelope */
	if (r < 0 && pending_take(&px->pending, p.key, &p)) {
		env->serial = p.client_serial;
		cl->in_flight--;
		reply_error(cl, env, SV_FROM_PROXY, SV_ERR_DRIVER_UNAVAILABLE,
			    "driver unavailable: cannot send to %s: %s", d->name, strerror(-r));
	}
}
