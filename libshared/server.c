/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <sys/socket.h>

#include "log.h"
#include "server.h"

struct rpc_server {
	struct evloop *loop;
	int listen_fd;
	struct evwatch *watch;
	struct rpc_server_config cfg;
	struct rpc_conn **conns; /* kept so that shutdown can close them all */
	size_t nconns, cap;
	struct rpc_conn **subs;  /* the ones that asked for events (PROC_EVENT_REGISTER) */
	size_t nsubs, subcap;
	struct rpc_pending *pending; /* calls kept by their handlers, not answered yet */
};

/* A call whose handler answers later: what its reply needs, and the connection while it lasts. */
struct rpc_pending {
	struct rpc_server *server; /* NULL once the server is gone */
	struct rpc_conn *conn;     /* NULL once the connection closed */
	uint32_t program, procedure;
	uint64_t serial;
	struct rpc_pending *prev, *next;
};

static void conn_list_remove(struct rpc_conn **list, size_t *n, struct rpc_conn *c)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i] == c) {
			list[i] = list[--*n];
			return;
		}
}

static void track(struct rpc_server *s, struct rpc_conn *c)
{
	if (s->nconns == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->conns = xrealloc(s->conns, s->cap * sizeof(*s->conns));
	}
	s->conns[s->nconns++] = c;
}

static unsigned peer_roles(const struct rpc_server *s, uid_t uid)
{
	if (!s->cfg.ids) /* a server outside the suite (unit tests): root and ourselves */
		return uid == 0 || uid == geteuid() ? ROLE_ANY : 0;
	return suite_roles_of(s->cfg.ids, uid);
}

/* Connecting needs a role that at least one procedure of the table accepts. */
static bool peer_allowed(const struct rpc_server *s, const struct ucred *peer)
{
	unsigned roles = peer_roles(s, peer->uid), any = 0;

	for (size_t i = 0; i < s->cfg.nprocs; i++)
		any |= s->cfg.procs[i].roles;
	return (roles & any) != 0;
}

static const struct rpc_proc *find_proc(const struct rpc_server *s, uint32_t proc)
{
	for (size_t i = 0; i < s->cfg.nprocs; i++)
		if (s->cfg.procs[i].proc == proc)
			return &s->cfg.procs[i];
	return NULL;
}

static void caller_identity(const struct rpc_server *s, const struct rpc_conn *c, const rpc_envelope *env,
			    struct rpc_identity *id)
{
	const struct ucred *peer = rpc_conn_peer(c);

	id->roles = peer_roles(s, peer->uid);
	if (env->caller) {
		/* Stamped by proxyd from the client's SO_PEERCRED; check_call refuses a stamp from
		 * anyone but proxyd (or root), so it is the proxy's word, not the client's. */
		id->uid = env->caller->uid;
		id->gid = env->caller->gid;
		id->pid = env->caller->pid;
		id->read_only = env->caller->read_only;
		id->client = env->caller->client;
		id->via_proxy = true;
	} else {
		id->uid = peer->uid;
		id->gid = peer->gid;
		id->pid = peer->pid;
		id->read_only = false;
		id->client = 0;
		id->via_proxy = false;
	}
}

/* The table and the flags decide; a procedure that is in neither is refused. */
static int check_call(const struct rpc_server *s, const struct rpc_conn *c, const rpc_envelope *env,
		      const struct rpc_identity *id, const struct rpc_proc **out, struct sv_error *err)
{
	char who[96], allowed[96];
	const struct proc_info *info = proc_info_lookup(env->procedure);
	const struct rpc_proc *p = find_proc(s, env->procedure);

	if (env->status != SEPVIRT__STATUS__STATUS_CALL)
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_RPC, EBADMSG,
				    "%s expects calls, got a frame of status %d", s->cfg.daemon, env->status);
	if (env->program != s->cfg.program)
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_RPC, EBADMSG,
				    "%s serves program '%s', not '%s'", s->cfg.daemon,
				    program_name(s->cfg.program), program_name(env->program));
	if (!info || !p)
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_NOT_SUPPORTED, ENOSYS,
				    "procedure %s (%d) is not supported by %s", info ? info->name : "UNKNOWN",
				    env->procedure, s->cfg.daemon);
	if (id->via_proxy && !(id->roles & (ROLE_PROXY | ROLE_ROOT)))
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_PERMISSION, EPERM,
				    "procedure %s: uid %u (%s) may not call on a client's behalf: only sepvirt-proxyd may",
				    info->name, (unsigned)rpc_conn_peer(c)->uid, suite_roles_name(id->roles, who, sizeof(who)));
	if (id->via_proxy && !(info->flags & PROC_CLIENT))
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_PERMISSION, EPERM,
				    "procedure %s may only be called by the driver daemons, not by clients",
				    info->name);
	if (!(p->roles & id->roles))
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_PERMISSION, EPERM,
				    "procedure %s may not be called by uid %u (%s): only by %s", info->name,
				    (unsigned)rpc_conn_peer(c)->uid, suite_roles_name(id->roles, who, sizeof(who)),
				    suite_roles_name(p->roles, allowed, sizeof(allowed)));
	if (id->read_only && !(info->flags & PROC_READ_ONLY))
		return sv_error_set(err, s->cfg.error_domain, SV_ERR_READ_ONLY, EPERM,
				    "procedure %s is not allowed on a read-only connection", info->name);
	*out = p;
	return 0;
}

static void send_reply(struct rpc_conn *c, const rpc_envelope *call, struct rpc_reply *reply)
{
	reply->env.program = call->program;
	reply->env.procedure = call->procedure;
	reply->env.serial = call->serial;
	reply->env.status = SEPVIRT__STATUS__STATUS_OK;
	reply->env.nfds = reply->nfds;
	if (rpc_conn_send(c, &reply->env, reply->fds, reply->nfds) < 0)
		log_debug("reply to serial %llu lost: peer gone", (unsigned long long)call->serial);
}

static void on_frame(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata)
{
	struct rpc_server *s = userdata;
	struct rpc_request req = { .server = s, .conn = c, .env = env, .fds = fds, .nfds = nfds };
	struct rpc_reply reply = { .env = SEPVIRT__ENVELOPE__INIT };
	_cleanup_message_ ProtobufCMessage *msg = NULL;
	const struct rpc_proc *p = NULL;
	struct sv_error err;
	int r;

	sv_error_clear(&err);
	caller_identity(s, c, env, &req.caller);
	r = check_call(s, c, env, &req.caller, &p, &err);
	if (r >= 0)
		r = rpc_body_unpack(env, p->request, &msg, &err);
	if (r >= 0)
		r = p->handler(&req, msg, &reply, &err);
	if (req.pending) {
		/* Kept: the handler answers later. A failure it returns anyway fails the call now. */
		if (r < 0) {
			if (!err.message[0])
				sv_error_set_errno(&err, s->cfg.error_domain, SV_ERR_INTERNAL, r, "%s failed",
						   proc_name(env->procedure));
			rpc_pending_fail(req.pending, &err);
		}
	} else if (r >= 0) {
		send_reply(c, env, &reply);
	} else {
		if (!err.message[0])
			sv_error_set_errno(&err, s->cfg.error_domain, SV_ERR_INTERNAL, r, "%s failed",
					   proc_name(env->procedure));
		rpc_conn_send_error(c, env, &err);
	}
	rpc_close_fds(reply.fds, reply.nfds);
	rpc_envelope_body_free(&reply.env);
	rpc_close_fds(fds, nfds);
	rpc_envelope_free(env);
}

static void on_close(struct rpc_conn *c, void *userdata)
{
	struct rpc_server *s = userdata;

	conn_list_remove(s->conns, &s->nconns, c);
	conn_list_remove(s->subs, &s->nsubs, c);
	/* Calls still kept for it are answered into the void; their owners learn it by
	 * rpc_pending_gone() and free them as usual. */
	for (struct rpc_pending *p = s->pending; p; p = p->next)
		if (p->conn == c)
			p->conn = NULL;
}

static const struct rpc_conn_ops server_conn_ops = { .on_frame = on_frame, .on_close = on_close };

static void on_accept(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct rpc_server *s = userdata;
	struct ucred peer;
	socklen_t sl = sizeof(peer);
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd < 0)
		return;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &peer, &sl) < 0 || !peer_allowed(s, &peer)) {
		struct sv_error err;
		struct rpc_conn *c;
		sv_error_set(&err, s->cfg.error_domain, SV_ERR_PERMISSION, EPERM,
			     "%s does not accept connections from uid %u", s->cfg.daemon, (unsigned)peer.uid);
		log_warn("%s", err.message);
		c = rpc_conn_new(s->loop, cfd, &server_conn_ops, s);
		if (c) {
			track(s, c);
			rpc_conn_send_error(c, NULL, &err);
			rpc_conn_close(c);
		}
		return;
	}
	struct rpc_conn *c = rpc_conn_new(s->loop, cfd, &server_conn_ops, s);
	if (c)
		track(s, c);
}

struct rpc_server *rpc_server_new(struct evloop *loop, int listen_fd, const struct rpc_server_config *cfg)
{
	struct rpc_server *s = xcalloc(1, sizeof(*s));

	s->loop = loop;
	s->listen_fd = listen_fd;
	s->cfg = *cfg;
	s->watch = evloop_watch_fd(loop, listen_fd, EPOLLIN, on_accept, s);
	if (!s->watch) {
		free(s);
		return NULL;
	}
	return s;
}

void rpc_server_free(struct rpc_server *s)
{
	if (!s)
		return;
	while (s->nconns)
		rpc_conn_close(s->conns[0]); /* on_close drops it from the list */
	while (s->pending) { /* their owners still hold them: only unlinked */
		struct rpc_pending *p = s->pending;
		s->pending = p->next;
		p->server = NULL;
		p->prev = p->next = NULL;
	}
	evwatch_remove(s->watch);
	close(s->listen_fd);
	free(s->conns);
	free(s->subs);
	free(s);
}

void *rpc_server_userdata(const struct rpc_server *s) { return s->cfg.userdata; }
const struct rpc_server_config *rpc_server_config(const struct rpc_server *s) { return &s->cfg; }

void rpc_reply_pack(struct rpc_reply *reply, const ProtobufCMessage *msg)
{
	rpc_envelope_body_free(&reply->env);
	rpc_body_pack(&reply->env, msg);
}

int rpc_server_handle_event_register(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				     struct sv_error *err)
{
	const Sepvirt__EventRegisterRequest *r = (const Sepvirt__EventRegisterRequest *)msg;
	struct rpc_server *s = req->server;

	conn_list_remove(s->subs, &s->nsubs, req->conn);
	if (!r->enable)
		return 0;
	if (s->nsubs == s->subcap) {
		s->subcap = s->subcap ? s->subcap * 2 : 4;
		s->subs = xrealloc(s->subs, s->subcap * sizeof(*s->subs));
	}
	s->subs[s->nsubs++] = req->conn;
	return 0;
}

void rpc_server_emit_event(struct rpc_server *s, uint32_t proc, const ProtobufCMessage *msg)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	size_t n = s->nsubs;

	if (!n)
		return;
	_cleanup_free_ struct rpc_conn **to = xmalloc(n * sizeof(*to));
	memcpy(to, s->subs, n * sizeof(*to));
	env.program = s->cfg.program;
	env.procedure = proc;
	env.status = SEPVIRT__STATUS__STATUS_EVENT;
	rpc_body_pack(&env, msg);
	/* A copy: a failed send may close a connection, which leaves the list. */
	for (size_t i = 0; i < n; i++)
		if (rpc_conn_send(to[i], &env, NULL, 0) < 0)
			log_debug("event %s lost: subscriber gone", proc_name(proc));
	rpc_envelope_body_free(&env);
}

int rpc_reply_add_fd(struct rpc_reply *reply, int fd)
{
	if (reply->nfds == RPC_MAX_FDS) {
		close(fd);
		return -EMFILE;
	}
	reply->fds[reply->nfds++] = fd;
	return 0;
}

struct rpc_pending *rpc_request_defer(struct rpc_request *req)
{
	struct rpc_server *s = req->server;
	struct rpc_pending *p;

	if (req->pending)
		return req->pending;
	p = xcalloc(1, sizeof(*p));
	p->server = s;
	p->conn = req->conn;
	p->program = req->env->program;
	p->procedure = req->env->procedure;
	p->serial = req->env->serial;
	p->next = s->pending;
	if (s->pending)
		s->pending->prev = p;
	s->pending = p;
	req->pending = p;
	return p;
}

static void pending_free(struct rpc_pending *p)
{
	if (p->server) {
		if (p->prev)
			p->prev->next = p->next;
		else
			p->server->pending = p->next;
		if (p->next)
			p->next->prev = p->prev;
	}
	free(p);
}

static void pending_call(const struct rpc_pending *p, rpc_envelope *call)
{
	call->program = p->program;
	call->procedure = p->procedure;
	call->serial = p->serial;
	call->status = SEPVIRT__STATUS__STATUS_CALL;
}

void rpc_pending_reply(struct rpc_pending *p, struct rpc_reply *reply)
{
	rpc_envelope call = SEPVIRT__ENVELOPE__INIT;

	pending_call(p, &call);
	if (p->conn)
		send_reply(p->conn, &call, reply);
	else
		log_debug("reply to serial %llu lost: peer gone", (unsigned long long)p->serial);
	rpc_close_fds(reply->fds, reply->nfds);
	reply->nfds = 0;
	rpc_envelope_body_free(&reply->env);
	pending_free(p);
}

void rpc_pending_fail(struct rpc_pending *p, const struct sv_error *err)
{
	rpc_envelope call = SEPVIRT__ENVELOPE__INIT;

	pending_call(p, &call);
	if (p->conn)
		rpc_conn_send_error(p->conn, &call, err);
	else
		log_debug("error reply to serial %llu lost: peer gone", (unsigned long long)p->serial);
	pending_free(p);
}

bool rpc_pending_gone(const struct rpc_pending *p) { return !p->conn; }
uint32_t rpc_pending_procedure(const struct rpc_pending *p) { return p->procedure; }
