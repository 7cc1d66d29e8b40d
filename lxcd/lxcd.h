/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-lxcd: what its files share. */
#pragma once

#include <sys/types.h>

#include "cgroup.h"
#include "daemon.h"
#include "domain-store.h"
#include "sandbox.h"
#include "server.h"

/* What lxcd knows of a running container besides its domain_obj. */
struct lxcd_run {
	pid_t pid;                 /* the container's init, in the host's pid namespace */
	int pidfd;                 /* readable once init has exited */
	unsigned long long start_ticks; /* /proc/PID/stat starttime: guards against pid reuse */
	struct evwatch *pid_watch;
	struct evwatch *kill_timer; /* shutdown: SIGKILL when init ignores SIGTERM */
	struct lxcd_cgroup cg;     /* the container's cgroup directories */
	int stop_reason;           /* SHUTOFF_* reason the exit will be given */
};

struct lxcd_driver {
	struct daemon_ctx *ctx;
	struct domain_store store;
	char *state_dir;  /* run_dir/lxc: NAME.status, NAME.xml (live), NAME.log (console) */
	int spawner_fd;   /* SOCK_SEQPACKET to the spawner */
	pid_t spawner_pid;
	unsigned shutdown_timeout_ms;
};

extern struct lxcd_driver lxcd;

/* sandbox.c: the whole privilege of this process and of its spawner. */
extern const struct sandbox_policy lxcd_sandbox_policy;
/* sandbox.c: the console relay's allowlist (console.c). */
extern const struct sandbox_policy lxcd_console_policy;
/* Landlock: writes only beneath these directories, opened before confinement (sandbox.c).
 * -EOPNOTSUPP when the kernel has no Landlock. */
int lxcd_sandbox_restrict_writes(int config_dirfd, int state_dirfd, const int *cgroup_fds, char *const *cgroup_paths,
				 size_t ncgroups, struct sv_error *err);
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc lxcd_procs[];
extern const size_t lxcd_nprocs;

static inline struct lxcd_run *lxcd_run_of(const struct domain_obj *d) { return d->priv; }

/* sandbox.c: the spawner's capabilities and the capabilities no container may hold. */
extern const struct sandbox_cap lxcd_spawner_caps[];
extern const size_t lxcd_spawner_ncaps;
extern const struct sandbox_cap lxcd_container_dropped[];
extern const size_t lxcd_container_ndropped;
extern const struct sandbox_syscall lxcd_container_denied[];
extern const size_t lxcd_container_ndenied;
