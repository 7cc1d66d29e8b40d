/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-storaged: what its files share. */
#pragma once

#include "daemon.h"
#include "sandbox.h"
#include "server.h"
#include "xml/pool-def.h"

/* Every file storaged makes under a temporary name starts with this; names starting with '.'
 * are never volume names, and start-up removes what a crash left behind. */
#define STORAGED_TMP_PREFIX ".sepvirt-tmp-"

struct storaged_pool {
	struct pool_def *def;
	bool active;
	bool autostart;
	int dir_fd; /* the target directory while active (O_PATH-free: a real directory fd), else -1 */
};

struct storaged {
	struct daemon_ctx *ctx;
	char *config_dir;    /* config_dir/storage: NAME.xml */
	char *autostart_dir; /* config_dir/storage/autostart: NAME (empty marker) */
	char *state_dir;     /* state_dir/storage: NAME.active (empty marker) */
	struct storaged_pool **pools;
	size_t npools;
};

extern struct storaged storaged;

/* sandbox.c: the whole privilege of this process. */
extern const struct sandbox_policy storaged_sandbox_policy;
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc storaged_procs[];
extern const size_t storaged_nprocs;

/* Error helpers with libvirt's wording. */
int storaged_err_no_pool(struct sv_error *err, const char *pool);
int storaged_err_inactive(struct sv_error *err, const char *pool);
