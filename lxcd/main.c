/* sepvirt-lxcd: containers from libvirt LXC domain XML */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "daemon.h"
#include "lifecycle.h"
#include "log.h"
#include "lxcd.h"
#include "spawner.h"

struct lxcd_driver lxcd = { .spawner_fd = -1 };

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
	return lxcd_spawner_start(&lxcd.spawner_fd, &lxcd.spawner_pid, err);
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
