/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's cgroup: created by the spawner with its limits before init starts, then
 * used by the daemon to freeze, thaw, check emptiness and remove it. cgroup v2 when
 * /sys/fs/cgroup is the unified hierarchy; otherwise the v1 controllers (memory, cpu, cpuacct, freezer, pids)
 * each under its own mount (this is what a hybrid host offers; its v2 part has no controllers). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

enum lxcd_cg_ctrl { LXCD_CG_MEMORY, LXCD_CG_CPU, LXCD_CG_CPUACCT, LXCD_CG_FREEZER, LXCD_CG_PIDS, LXCD_CG_LAST };

struct lxcd_cgroup {
	bool v2;
	char *dir[LXCD_CG_LAST]; /* v2: every entry is the same directory; NULL: controller absent */
};

struct lxcd_cg_limits {
	unsigned long long memory_bytes; /* 0: none */
	unsigned vcpus;                  /* cpu time of this many CPUs at most; 0: none */
};

/* Where a container called name gets its cgroup (under the caller's own cgroups). */
int lxcd_cgroup_locate(const char *name, struct lxcd_cgroup *cg, struct sv_error *err);
/* Before confinement: the directory every container's cgroup goes under, one per hierarchy,
 * created when missing and opened O_PATH (where lxcd may write, sandbox.c). Returns how many;
 * a hierarchy it cannot create (not root) is left out. */
size_t lxcd_cgroup_open_parents(int fds[LXCD_CG_LAST], char *paths[LXCD_CG_LAST]);
/* mkdir each directory, write the limits. */
int lxcd_cgroup_create(const struct lxcd_cgroup *cg, const struct lxcd_cg_limits *lim, struct sv_error *err);
/* Moves pid (0: the caller) into the cgroup. */
int lxcd_cgroup_attach(const struct lxcd_cgroup *cg, pid_t pid, struct sv_error *err);
int lxcd_cgroup_freeze(const struct lxcd_cgroup *cg, bool frozen, struct sv_error *err);
/* Number of processes left in it (-errno when unreadable). */
int lxcd_cgroup_nprocs(const struct lxcd_cgroup *cg);
/* SIGKILL to every process in it (cgroup.kill in v2). */
void lxcd_cgroup_kill_all(const struct lxcd_cgroup *cg);
/* rmdir each directory (they must be empty). */
int lxcd_cgroup_remove(const struct lxcd_cgroup *cg);
/* Memory in use, bytes (0 when unknown). */
unsigned long long lxcd_cgroup_memory_usage(const struct lxcd_cgroup *cg);
/* CPU time consumed, ns (0 when unknown). */
unsigned long long lxcd_cgroup_cpu_time(const struct lxcd_cgroup *cg);
void lxcd_cgroup_clear(struct lxcd_cgroup *cg);

/* To keep in the state file: "cg_v2=0\ncg_memory=/sys/...\n..."; and back. */
char *lxcd_cgroup_to_status(const struct lxcd_cgroup *cg);
void lxcd_cgroup_from_status(const char *status, struct lxcd_cgroup *cg);
