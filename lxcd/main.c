/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-lxcd: containers from libvirt LXC domain XML */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "daemon.h"
#include "lifecycle.h"
#include "log.h"
#include "lxcd.h"
#include "netd-call.h"
#include "spawner.h"

struct lxcd_driver lxcd = { .spawner_fd = -1 };

/* Last of the set-up, once the spawner (which makes containers, so writes where it must) is
 * forked: lxcd runs as uid 0, and from here on writes only in its own directories. */
static int lxcd_restrict_writes(const char *config, struct sv_error *err)
{
	_cleanup_close_ int cfd = open(config, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int sfd = open(lxcd.state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int cg_fds[LXCD_CG_LAST];
	char *cg_paths[LXCD_CG_LAST];
	size_t ncg;
	int r;

	if (cfd < 0 || sfd < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot open '%s'",
					  cfd < 0 ? config : lxcd.state_dir);
	ncg = lxcd_cgroup_open_parents(cg_fds, cg_paths);
	r = lxcd_sandbox_restrict_writes(cfd, sfd, cg_fds, cg_paths, ncg, err);
	for (size_t i = 0; i < ncg; i++) {
		close(cg_fds[i]);
		free(cg_paths[i]);
	}
	if (r == -EOPNOTSUPP) {
		log_warn("%s: lxcd goes on with its seccomp filter alone, which does NOT keep it (uid 0) from "
			 "writing outside its directories", err->message);
		return 0;
	}
	if (r == 0)
		log_info("writes limited to '%s', '%s' and %zu cgroup director%s (Landlock ABI %d)", config,
			 lxcd.state_dir, ncg, ncg == 1 ? "y" : "ies", sandbox_landlock_abi());
	return r;
}

/* Before confinement: directories, then the spawner (it alone keeps what container set-up needs). */
static int lxcd_setup(struct daemon_ctx *ctx, struct sv_error *err)
{
	_cleanup_free_ char *config = xasprintf("%s/lxc", ctx->paths.config_dir);
	_cleanup_free_ char *autostart = xasprintf("%s/lxc/autostart", ctx->paths.config_dir);
	const char *timeout = getenv("SEPVIRT_LXC_SHUTDOWN_TIMEOUT_MS");
	int r;

	lxcd.ctx = ctx;
	lxcd.state_dir = xasprintf("%s/lxc", ctx->paths.run_dir);
	lxcd.shutdown_timeout_ms = timeout && atoi(timeout) > 0 ? (unsigned)atoi(timeout) : 30000;
	r = domain_store_init(&lxcd.store, SV_FROM_LXC, config, autostart, lxcd.state_dir, err);
	if (r < 0)
		return r;
	lxcd.store.free_priv = lxcd_run_free;
	domain_jobs_init(ctx->loop, &lxcd.store, SV_FROM_LXC);
	r = lxcd_spawner_start(&lxcd.spawner_fd, &lxcd.spawner_pid, err);
	if (r < 0)
		return r;
	return lxcd_restrict_writes(config, err);
}

/* After confinement: definitions, then the containers still running from an earlier lxcd. */
static int lxcd_start(struct daemon_ctx *ctx, struct rpc_server *server, struct sv_error *err)
{
	(void)ctx, (void)err;
	lxcd.store.events = server;
	domain_store_load(&lxcd.store);
	lxcd_domains_reattach();
	lxcd_domains_autostart();
	return 0;
}

/* Containers outlive lxcd: stopping it stops only the spawner. */
static void lxcd_stop(struct daemon_ctx *ctx)
{
	(void)ctx;
	domain_jobs_fini();
	lxcd_spawner_calls_fini();
	lxcd_netd_close();
	if (lxcd.spawner_fd >= 0)
		close(lxcd.spawner_fd);
	domain_store_fini(&lxcd.store);
	free(lxcd.state_dir);
}

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-lxcd",
		.sockname = "lxcd",
		.program = SEPVIRT__PROGRAM__PROGRAM_LXC,
		.error_domain = SV_FROM_LXC,
		.policy = &lxcd_sandbox_policy,
		.procs = lxcd_procs,
		.nprocs = lxcd_nprocs,
		.userdata = &lxcd.store,
		.setup = lxcd_setup,
		.start = lxcd_start,
		.stop = lxcd_stop,
	};
	return daemon_main_driver(&spec, argc, argv);
}
