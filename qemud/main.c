/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-qemud: QEMU domains: define, start, stop, state, re-attach */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "daemon.h"
#include "images.h"
#include "job.h"
#include "hotplug.h"
#include "lifecycle.h"
#include "log.h"
#include "netd-call.h"
#include "storage-call.h"
#include "qemud.h"
#include "run.h"
#include "spawner.h"

struct qemud_driver qemud;

/* "QEMU emulator version 7.2.22 (Debian ...)" -> "QEMU 7.2.22", from the binary run by the
 * spawner (as the first uid of the VM range, reaped by the spawner itself, before any QEMU
 * could hold that uid). */
static void probe_version(void)
{
	_cleanup_command_ struct command *cmd = command_new(QEMU_SYSTEM_DEFAULT);
	_cleanup_close_ int rd = -1;
	char buf[512] = "";
	size_t len = 0;
	struct sv_error err;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	rd = p[0];
	command_add_arg(cmd, "--version");
	command_set_output(cmd, p[1]);
	/* Run to its end by the spawner itself: a short-lived QEMU never shows up as an orphan
	 * under sepvirtd. */
	if (qemud_spawner_run(cmd, qemud.ctx->ids.vm_uid_first, &err) < 0) {
		log_warn("cannot ask %s for its version: %s", QEMU_SYSTEM_DEFAULT, err.message);
		return;
	}
	command_set_output(cmd, -1); /* our copy of the write end: EOF once QEMU exits */
	for (;;) {
		ssize_t n = read(rd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0 || (len += (size_t)n) == sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	char *v = strstr(buf, "version ");
	char version[32];
	/* Into a buffer of its own: sscanf's source and destination must not overlap. */
	if (v && sscanf(v + 8, "%31[0-9.]", version) == 1)
		snprintf(qemud.hypervisor, sizeof(qemud.hypervisor), "QEMU %s", version);
}

static int make_dir(struct daemon_ctx *ctx, const char *path, struct sv_error *err)
{
	return paths_make_private_dir(path, ctx->id.uid, ctx->id.gid, 0700, err);
}

static int qemud_setup(struct daemon_ctx *ctx, struct sv_error *err)
{
	_cleanup_free_ char *config = xasprintf("%s/qemu", ctx->paths.config_dir);
	_cleanup_free_ char *autostart = xasprintf("%s/qemu/autostart", ctx->paths.config_dir);
	_cleanup_free_ char *state = xasprintf("%s/qemu", ctx->paths.run_dir);
	_cleanup_free_ char *save_parent = xasprintf("%s/qemu", ctx->paths.state_dir);
	int r;

	qemud.ctx = ctx;
	qemud.loop = ctx->loop;
	domain_jobs_init(ctx->loop, &qemud.store, SV_FROM_QEMU);
	qemud.log_dir = xasprintf("%s/qemu", ctx->paths.log_dir);
	qemud.nvram_dir = xasprintf("%s/qemu/nvram", ctx->paths.state_dir);
	/* Managed save images outlive a reboot: beside qemud's other persistent state. */
	qemud.save_dir = xasprintf("%s/qemu/save", ctx->paths.state_dir);
	/* Owned by the user qemud runs as: made here, before the store finds them in place. */
	if ((r = make_dir(ctx, config, err)) < 0 || (r = make_dir(ctx, autostart, err)) < 0 ||
	    (r = make_dir(ctx, state, err)) < 0 || (r = make_dir(ctx, qemud.log_dir, err)) < 0 ||
	    (r = make_dir(ctx, save_parent, err)) < 0 || (r = make_dir(ctx, qemud.nvram_dir, err)) < 0 ||
	    (r = make_dir(ctx, qemud.save_dir, err)) < 0)
		return r;
	r = domain_store_init(&qemud.store, SV_FROM_QEMU, config, autostart, state, err);
	if (r < 0)
		return r;
	qemud.store.free_priv = qemud_run_free;
	qemud.store.commit = group_commit_new(ctx->loop);
	qemud_images_init(&ctx->paths);
	/* The default image directory, root's (the spawner opens images as root; no QEMU or
	 * daemon lists it). An administrator's SEPVIRT_IMAGE_DIRS are left as they are. */
	if (!getenv("SEPVIRT_IMAGE_DIRS") && !ctx->id.session) {
		_cleanup_free_ char *images = xasprintf("%s/images", ctx->paths.state_dir);
		if (paths_mkdir_p(images, 0711) < 0)
			log_warn("cannot create the image directory '%s': %s", images, strerror(errno));
	}
	/* Whether QEMUs can have vhost-net: the spawner opens it for them (qemud is not in kvm). */
	int fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	qemud.vhost = fd >= 0;
	if (fd >= 0)
		close(fd);
	/* The spawner is forked now, while qemud may still fork and exec; it narrows itself to its
	 * own row (sandbox.c) at once. */
	r = qemud_spawner_start(&ctx->ids, &ctx->paths, err);
	if (r < 0)
		return r;
	ctx->hypervisor = qemud.hypervisor;
	return 0;
}

static bool domain_running(const char *uuid)
{
	struct domain_obj *d = domain_store_find_uuid(&qemud.store, uuid);

	return d && domain_obj_active(d);
}

static void on_autostart(struct evwatch *w, void *userdata)
{
	evwatch_remove(w);
	/* A start cut short by qemud's own end leaves no half-started domain: a QEMU whose status
	 * file says it was starting was stopped at re-attach, one launched before the status file
	 * named it is stopped now, and taps netd still holds for a domain that does not run go. */
	qemud_domains_stop_orphans();
	qemud_call_release_stale_taps(domain_running);
	qemud_domains_autostart();
}

static int qemud_start(struct daemon_ctx *ctx, struct rpc_server *server, struct sv_error *err)
{
	/* Confined already: the spawner runs it, qemud only reads the pipe. */
	probe_version();
	qemud.store.events = server;
	domain_store_load(&qemud.store);
	qemud_domains_reattach();
	/* From the loop, so the socket answers while domains start. */
	if (!evloop_timer(ctx->loop, 1, 0, on_autostart, NULL))
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "timer");
	log_info("%zu domains defined, vhost-net %s, %s", qemud.store.ndoms, qemud.vhost ? "usable" : "not usable",
		 qemud.hypervisor[0] ? qemud.hypervisor : "QEMU version unknown");
	return 0;
}

/* QEMU processes outlive qemud on purpose; the next qemud re-attaches. */
static void qemud_stop(struct daemon_ctx *ctx)
{
	qemud.stopping = true;
	domain_jobs_fini();
	qemud_hotplug_fini();
	qemud_spawner_stop();
	qemud_netd_close();
	qemud_storaged_close();
	qemud_images_fini();
	group_commit_free(qemud.store.commit); /* what waits is committed and answered */
	qemud.store.commit = NULL;
	domain_store_fini(&qemud.store);
	free(qemud.log_dir);
	free(qemud.nvram_dir);
	free(qemud.save_dir);
}

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-qemud",
		.sockname = "qemud",
		.program = SEPVIRT__PROGRAM__PROGRAM_QEMU,
		.error_domain = SV_FROM_QEMU,
		.policy = &qemud_sandbox_policy,
		.procs = qemud_procs,
		.nprocs = qemud_nprocs,
		.userdata = &qemud.store,
		.setup = qemud_setup,
		.start = qemud_start,
		.stop = qemud_stop,
	};
	return daemon_main_driver(&spec, argc, argv);
}
