/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-proxyd: the front proxy. Clients connect here; it checks who they are and routes
 * each call to the driver daemon of its program. No capabilities, no exec, no file writes. */
#include "config.h"

#include "log.h"
#include "proxyd.h"

/* rw: root and the administrators' group (the access policy checks SO_PEERCRED again);
 * ro: anyone may connect, and only read-only procedures pass. libvirt's protocol gets the same
 * two sockets under libvirtd's names, in proxyd's run directory. */
static int listen_all(struct daemon_ctx *ctx, int fds[PROXY_NSOCKS], struct sv_error *err)
{
	gid_t rw_group = ctx->ids.admin_gid != (gid_t)-1 ? ctx->ids.admin_gid : ctx->ids.proxy_gid;
	_cleanup_free_ char *lv_rw = xasprintf("%s/libvirt-sock", ctx->paths.run_dir);
	_cleanup_free_ char *lv_ro = xasprintf("%s/libvirt-sock-ro", ctx->paths.run_dir);

	fds[PROXY_SOCK_RW] = daemon_listen(ctx, "proxyd", 0660, rw_group, err);
	if (fds[PROXY_SOCK_RW] < 0)
		return fds[PROXY_SOCK_RW];
	fds[PROXY_SOCK_RO] = daemon_listen(ctx, "proxyd-ro", 0666, ctx->ids.proxy_gid, err);
	if (fds[PROXY_SOCK_RO] < 0)
		return fds[PROXY_SOCK_RO];
	fds[PROXY_SOCK_LV_RW] = daemon_listen_path(ctx, lv_rw, 0660, rw_group, err);
	if (fds[PROXY_SOCK_LV_RW] < 0)
		return fds[PROXY_SOCK_LV_RW];
	fds[PROXY_SOCK_LV_RO] = daemon_listen_path(ctx, lv_ro, 0666, ctx->ids.proxy_gid, err);
	return fds[PROXY_SOCK_LV_RO];
}

int main(int argc, char **argv)
{
	struct daemon_ctx ctx;
	struct proxy *proxy = NULL;
	struct sv_error err;
	int socks[PROXY_NSOCKS] = { -1, -1, -1, -1 };
	int r;

	r = daemon_init(&ctx, "sepvirt-proxyd", &proxyd_sandbox_policy, argc, argv);
	if (r != 0) {
		if (ctx.loop)
			daemon_fini(&ctx);
		return r > 0 ? 0 : 1;
	}
	r = proxy_limits_init(ctx.loop, &err);
	if (r >= 0)
		r = listen_all(&ctx, socks, &err);
	if (r >= 0)
		r = daemon_confine(&ctx, &err);
	for (size_t i = 0; r >= 0 && i < PROXY_NSOCKS; i++)
		r = daemon_accept_clients(socks[i], &err);
	if (r >= 0) {
		proxy = proxy_new(&ctx);
		r = proxy_listen_clients(proxy, &ctx, socks);
		if (r < 0)
			sv_error_set_errno(&err, SV_FROM_PROXY, SV_ERR_SYSTEM, r, "cannot watch the client sockets");
		for (size_t i = 0; i < PROXY_NSOCKS; i++)
			socks[i] = -1;
	}
	if (r >= 0)
		r = daemon_run(&ctx);
	else
		log_error("%s", err.message);
	if (proxy) {
		proxy_close_clients(proxy);
		proxy_free(proxy);
	}
	for (size_t i = 0; i < PROXY_NSOCKS; i++)
		if (socks[i] >= 0)
			close(socks[i]);
	daemon_fini(&ctx);
	return r < 0 ? 1 : 0;
}
