/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The client side of proxyd: a read-write socket for administrators and a read-only socket
 * for everyone, for proxyd's own protocol and for libvirt's. Who a client is comes from
 * SO_PEERCRED, checked against the access policy; both protocols get the same rules. */
#include "config.h"

#include <sys/socket.h>

#include "libvirt.h"
#include "log.h"
#include "proxyd.h"

struct listener {
	struct proxy *proxy;
	struct daemon_ctx *ctx;
	int fd;
	bool read_only;
	bool libvirt; /* libvirt's remote protocol */
	struct evwatch *watch;
};

struct client_set {
	struct listener rw, ro, lv_rw, lv_ro;
	struct proxy_client **all;
	size_t n, cap;
};

static struct client_set clients;

/* The access policy of the read-write socket: root and members of the administrators' group
 * (primary or supplementary: SO_PEERGROUPS); in session mode the one user. No daemon of the suite
 * and no QEMU is a member: everyone else must use the read-only socket. */
static bool rw_allowed(const struct daemon_ctx *ctx, int fd, const struct ucred *peer)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (peer->uid == 0 || (ctx->ids.session && peer->uid == geteuid()))
		return true;
	if (ctx->ids.admin_gid == (gid_t)-1)
		return false;
	if (peer->gid == ctx->ids.admin_gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false; /* more than 256 groups (ERANGE): only the primary group counts */
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == ctx->ids.admin_gid)
			return true;
	return false;
}

static void client_on_frame(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata)
{
	struct proxy_client *cl = userdata;

	proxy_route_call(cl, env, fds, nfds);
	rpc_close_fds(fds, nfds);
	rpc_envelope_free(env);
}

static void client_free(void *p) { free(p); }

static void client_on_close(struct rpc_conn *c, void *userdata)
{
	struct proxy_client *cl = userdata;

	proxy_limits_release(cl);
	proxy_forget_client(cl->proxy, cl);
	if (cl->lv)
		lv_session_end(cl);
	for (size_t i = 0; i < clients.n; i++)
		if (clients.all[i] == cl) {
			clients.all[i] = clients.all[--clients.n];
			break;
		}
	evloop_defer_free(clients.rw.ctx->loop, client_free, cl);
}

static const struct rpc_conn_ops client_ops = { .on_frame = client_on_frame, .on_close = client_on_close };

static void lv_on_message(struct rpc_conn *c, const uint8_t *msg, size_t len, void *userdata)
{
	lv_handle_message(userdata, msg, len);
}

static const struct rpc_conn_ops lv_client_ops = {
	.on_close = client_on_close,
	.on_raw = lv_on_message,
	.raw_min = LV_LENGTH_BYTES + LV_HEADER_BYTES,
	.raw_max = LV_MESSAGE_MAX,
};

void proxy_client_refuse(struct proxy_client *cl, const struct sv_error *err)
{
	/* libvirt's protocol has no message to send unasked: its client reads the end of the
	 * connection (the reason is in proxyd's log). A refused client never stays connected:
	 * idle refused connections would use up the fds the limits keep. */
	if (!cl->lv)
		rpc_conn_send_error(cl->conn, NULL, err);
	rpc_conn_close(cl->conn);
}

static void on_accept(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct listener *l = userdata;
	struct proxy_client *cl;
	socklen_t sl;
	bool rw_ok;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd < 0) {
		proxy_limits_accept_failed(fd, errno);
		return;
	}
	static uint64_t next_id = 1;

	cl = xcalloc(1, sizeof(*cl));
	cl->id = next_id++;
	cl->proxy = l->proxy;
	cl->read_only = l->read_only;
	sl = sizeof(cl->peer);
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cl->peer, &sl) < 0) {
		close(cfd);
		free(cl);
		return;
	}
	rw_ok = !l->read_only && rw_allowed(l->ctx, cfd, &cl->peer);
	cl->conn = rpc_conn_new(l->ctx->loop, cfd, l->libvirt ? &lv_client_ops : &client_ops, cl);
	if (!cl->conn) {
		free(cl);
		return;
	}
	if (l->libvirt)
		lv_session_begin(cl);
	if (clients.n == clients.cap) {
		clients.cap = clients.cap ? clients.cap * 2 : 32;
		clients.all = xrealloc(clients.all, clients.cap * sizeof(*clients.all));
	}
	clients.all[clients.n++] = cl;
	if (!l->read_only && !rw_ok) {
		struct sv_error err;
		sv_error_set(&err, SV_FROM_PROXY, SV_ERR_PERMISSION, EPERM,
			     "access denied: uid %u may not use the read-write socket; connect read-only (-r)",
			     (unsigned)cl->peer.uid);
		log_warn("%s (pid %d)", err.message, (int)cl->peer.pid);
		proxy_client_refuse(cl, &err);
		return;
	}
	if (proxy_limits_refuse(cl))
		return;
	log_debug("client pid %d uid %u connected (%s%s)", (int)cl->peer.pid, (unsigned)cl->peer.uid,
		  l->read_only ? "read-only" : "read-write", l->libvirt ? ", libvirt protocol" : "");
}

static int listen_on(struct listener *l, struct proxy *p, struct daemon_ctx *ctx, int fd, bool ro, bool libvirt)
{
	l->proxy = p;
	l->ctx = ctx;
	l->fd = fd;
	l->read_only = ro;
	l->libvirt = libvirt;
	l->watch = evloop_watch_fd(ctx->loop, fd, EPOLLIN, on_accept, l);
	if (!l->watch)
		return -errno;
	proxy_limits_add_listener(l->watch);
	return 0;
}

int proxy_listen_clients(struct proxy *p, struct daemon_ctx *ctx, const int fds[PROXY_NSOCKS])
{
	int r = listen_on(&clients.rw, p, ctx, fds[PROXY_SOCK_RW], false, false);
	if (r >= 0)
		r = listen_on(&clients.ro, p, ctx, fds[PROXY_SOCK_RO], true, false);
	if (r >= 0)
		r = listen_on(&clients.lv_rw, p, ctx, fds[PROXY_SOCK_LV_RW], false, true);
	if (r >= 0)
		r = listen_on(&clients.lv_ro, p, ctx, fds[PROXY_SOCK_LV_RO], true, true);
	return r;
}

void proxy_close_clients(struct proxy *p)
{
	while (clients.n)
		rpc_conn_close(clients.all[0]->conn);
	free(clients.all);
	clients.all = NULL;
	clients.cap = 0;
	struct listener *all[] = { &clients.rw, &clients.ro, &clients.lv_rw, &clients.lv_ro };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i]->watch) {
			evwatch_remove(all[i]->watch);
			close(all[i]->fd);
			all[i]->watch = NULL;
		}
	proxy_limits_fini();
}
