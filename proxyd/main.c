/* sepvirt-proxyd: the front proxy. Clients connect here; it checks who they are and routes
 * each call to the driver daemon of its program. No capabilities, no exec, no file writes. */
#include "config.h"

#include "log.h"
#include "proxyd.h"

int main(int argc, char **argv)
{
	struct daemon_ctx ctx;
	struct proxy *proxy = NULL;
	struct sv_error err;
	int rw = -1, ro = -1, r;

	r = daemon_init(&ctx, "sepvirt-proxyd", &proxyd_sandbox_policy, argc, argv);
	if (r != 0) {
		if (ctx.loop)
			daemon_fini(&ctx);
		return r > 0 ? 0 : 1;
	}
	r = proxy_limits_init(ctx.loop, &err);
	/* rw: root and the administrators' group (the access policy checks SO_PEERCRED again);
	 * ro: anyone may connect, and only read-only procedures pass. */
	if (r >= 0)
		rw = r = daemon_listen(&ctx, "proxyd", 0660,
				       ctx.ids.admin_gid != (gid_t)-1 ? ctx.ids.admin_gid : ctx.ids.proxy_gid, &err);
	if (r >= 0)
		ro = r = daemon_listen(&ctx, "proxyd-ro", 0666, ctx.ids.proxy_gid, &err);
	if (r >= 0)
		r = daemon_confine(&ctx, &err);
	if (r >= 0)
		r = daemon_accept_clients(rw, &err);
	if (r >= 0)
		r = daemon_accept_clients(ro, &err);
	if (r >= 0) {
		proxy = proxy_new(&ctx);
		r = proxy_listen_clients(proxy, &ctx, rw, ro);
		if (r < 0)
			sv_error_set_errno(&err, SV_FROM_PROXY, SV_ERR_SYSTEM, r, "cannot watch the client sockets");
		rw = ro = -1;
	}
	if (r >= 0)
		r = daemon_run(&ctx);
	else
		log_error("%s", err.message);
	if (proxy) {
		proxy_close_clients(proxy);
		proxy_free(proxy);
	}
	if (rw >= 0)
		close(rw);
	if (ro >= 0)
		close(ro);
	daemon_fini(&ctx);
	return r < 0 ? 1 : 0;
}
