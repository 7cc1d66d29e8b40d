/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-storaged: directory pools and raw/qcow2 volumes */
#include "config.h"

#include <stdio.h>

#include "atomic-file.h"
#include "daemon.h"
#include "log.h"
#include "policy.h"
#include "storaged.h"
#include "storaged_pool.h"
#include "storaged_upload.h"

static int make_dir(struct daemon_ctx *ctx, const char *path, struct sv_error *err)
{
	return paths_make_private_dir(path, ctx->id.uid, ctx->id.gid, 0700, err);
}

/* Before confinement: the private directories, owned by the user storaged becomes. */
static int storaged_setup(struct daemon_ctx *ctx, struct sv_error *err)
{
	int r;

	storaged.ctx = ctx;
	/* the identity it resolved and is about to switch to; user names resolve before seccomp */
	r = storaged_policy_init(ctx->id.uid, ctx->id.gid, getenv(STORAGED_OWNERS_ENV), err);
	if (r < 0)
		return r;
	storaged.config_dir = xasprintf("%s/storage", ctx->paths.config_dir);
	storaged.autostart_dir = xasprintf("%s/storage/autostart", ctx->paths.config_dir);
	storaged.state_dir = xasprintf("%s/storage", ctx->paths.state_dir);
	if ((r = make_dir(ctx, storaged.config_dir, err)) < 0 || (r = make_dir(ctx, storaged.autostart_dir, err)) < 0 ||
	    (r = make_dir(ctx, storaged.state_dir, err)) < 0)
		return r;
	/* It holds its instance lock: a temp file of its own directories is a crashed write's. */
	const char *dirs[] = { storaged.config_dir, storaged.autostart_dir, storaged.state_dir };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int n = atomic_file_clean_stale(dirs[i]);
		if (n > 0)
			log_info("removed %d temp file(s) of unfinished writes from '%s'", n, dirs[i]);
	}
	return 0;
}

/* After confinement: the pools come back as they were, temp files of a crash are removed. */
static int storaged_start(struct daemon_ctx *ctx, struct rpc_server *server, struct sv_error *err)
{
	int r = storaged_pool_load_all(err);

	if (r < 0)
		return r;
	if (storaged_upload_init(ctx->loop) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot start the upload timer");
	return 0;
}

static void storaged_stop(struct daemon_ctx *ctx)
{
	storaged_upload_fini();
	for (size_t i = 0; i < storaged.npools; i++) {
		struct storaged_pool *p = storaged.pools[i];
		if (p->dir_fd >= 0)
			close(p->dir_fd);
		pool_def_free(p->def);
		free(p);
	}
	free(storaged.pools);
	free(storaged.config_dir);
	free(storaged.autostart_dir);
	free(storaged.state_dir);
	storaged_policy_fini();
}

/* What storaged reads beyond the options every daemon has (printed after --help). */
static void usage_storaged(void)
{
	printf("sepvirt-storaged gives the volumes and pool directories it creates only its own uid and gid\n"
	       "(<owner>/<group> -1 in the XML), never uid or gid 0, never a setuid, setgid, sticky or\n"
	       "world-writable mode.\n"
	       "  " STORAGED_OWNERS_ENV "=USER,UID,...  more owners a volume or pool XML may name (user\n"
	       "                       names or uids; their primary groups may be named as <group>)\n");
}

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-storaged",
		.sockname = "storaged",
		.program = SEPVIRT__PROGRAM__PROGRAM_STORAGE,
		.error_domain = SV_FROM_STORAGE,
		.policy = &storaged_sandbox_policy,
		.procs = storaged_procs,
		.nprocs = storaged_nprocs,
		.setup = storaged_setup,
		.start = storaged_start,
		.stop = storaged_stop,
	};
	int rc = daemon_main_driver(&spec, argc, argv);

	for (int i = 1; i < argc; i++)
		if (streq(argv[i], "--help"))
			usage_storaged();
	return rc;
}
