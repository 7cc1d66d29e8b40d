/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v2, or the v1 controllers, for one container. File names from the kernel's
 * Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/{memory,freezer-subsystem}.rst. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "cgroup.h"
#include "domain-store.h"

#define CG_ROOT "/sys/fs/cgroup"
/* Every container under one parent per hierarchy, beside whatever else the host runs. */
#define CG_PARENT "sepvirt-lxc"

static const char *const v1_names[LXCD_CG_LAST] = { "memory", "cpu", "cpuacct", "freezer", "pids" };

static bool is_v2_root(void)
{
	return access(CG_ROOT "/cgroup.controllers", F_OK) == 0;
}

/* The caller's own path in a v1 hierarchy ("4:memory:/a/b" -> "/a/b"), or "/" for v2 ("0::/x"). */
static char *own_path(const char *controller)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (file_read_all("/proc/self/cgroup", &text, NULL, NULL) < 0)
		return xstrdup("/");
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctrls = strchr(line, ':'), *path;
		if (!ctrls || !(path = strchr(ctrls + 1, ':')))
			continue;
		*path++ = '\0';
		ctrls++;
		/* "cpu,cpuacct" on hosts that co-mount them */
		for (char *s2 = NULL, *c = strtok_r(ctrls, ",", &s2); c; c = strtok_r(NULL, ",", &s2))
			if (streq(c, controller))
				return xstrdup(path);
		if (!controller[0] && !ctrls[0])
			return xstrdup(path);
	}
	return xstrdup("/");
}

int lxcd_cgroup_locate(const char *name, struct lxcd_cgroup *cg, struct sv_error *err)
{
	memset(cg, 0, sizeof(*cg));
	if (strchr(name, '/') || name[0] == '.')
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_INVALID_ARG, EINVAL, "bad container name '%s'", name);
	cg->v2 = is_v2_root();
	if (cg->v2) {
		/* Directly under the root: a v2 cgroup with processes may not enable controllers
		 * for its children, and the root always can. */
		for (int i = 0; i < LXCD_CG_LAST; i++)
			cg->dir[i] = xasprintf(CG_ROOT "/" CG_PARENT "/%s", name);
		return 0;
	}
	for (int i = 0; i < LXCD_CG_LAST; i++) {
		_cleanup_free_ char *mnt = xasprintf(CG_ROOT "/%s", v1_names[i]);
		_cleanup_free_ char *own = NULL;
		struct stat st;

		if (stat(mnt, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		own = own_path(v1_names[i]);
		cg->dir[i] = xasprintf("%s%s/" CG_PARENT "/%s", mnt, streq(own, "/") ? "" : own, name);
	}
	if (!cg->dir[LXCD_CG_MEMORY] || !cg->dir[LXCD_CG_FREEZER])
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ENOTSUP,
				    "no cgroup v2 and no v1 memory and freezer controllers under " CG_ROOT);
	return 0;
}

size_t lxcd_cgroup_open_parents(int fds[LXCD_CG_LAST], char *paths[LXCD_CG_LAST])
{
	struct lxcd_cgroup cg;
	size_t n = 0;

	if (lxcd_cgroup_locate("probe", &cg, NULL) < 0)
		return 0;
	for (int i = 0; i < LXCD_CG_LAST; i++) {
		char *parent;
		int fd;
		if (!cg.dir[i] || (cg.v2 && i > 0))
			continue;
		parent = xstrdup(cg.dir[i]);
		*strrchr(parent, '/') = '\0';
		/* Made here already (the spawner's first container would): it must exist to be named. */
		if ((mkdir(parent, 0755) < 0 && errno != EEXIST) ||
		    (fd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			free(parent);
			continue;
		}
		fds[n] = fd;
		paths[n++] = parent;
	}
	lxcd_cgroup_clear(&cg);
	return n;
}

void lxcd_cgroup_clear(struct lxcd_cgroup *cg)
{
	for (int i = 0; i < LXCD_CG_LAST; i++)
		free(cg->dir[i]);
	memset(cg, 0, sizeof(*cg));
}

static int write_file(const char *dir, const char *file, const char *value, struct sv_error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot write '%s' to '%s'", value, path);
	return 0;
}

static char *read_file(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *text = NULL;

	if (file_read_all(path, &text, NULL, NULL) < 0)
		return NULL;
	return text;
}

static int mkdir_parent_and(const char *dir)
{
	_cleanup_free_ char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');

	*slash = '\0';
	if (mkdir(parent, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int lxcd_cgroup_create(const struct lxcd_cgroup *cg, const struct lxcd_cg_limits *lim, struct sv_error *err)
{
	char buf[64];
	int r;

	for (int i = 0; i < LXCD_CG_LAST; i++) {
		if (!cg->dir[i] || (cg->v2 && i > 0))
			continue;
		if ((r = mkdir_parent_and(cg->dir[i])) < 0)
			return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, -r, "cannot create cgroup '%s'", cg->dir[i]);
	}
	if (cg->v2) {
		_cleanup_free_ char *parent = xstrdup(cg->dir[0]);
		*strrchr(parent, '/') = '\0';
		/* The controllers the container's limits need, from the root down to its parent. */
		write_file(CG_ROOT, "cgroup.subtree_control", "+memory +cpu +pids", NULL);
		write_file(parent, "cgroup.subtree_control", "+memory +cpu +pids", NULL);
	}
	if (lim->memory_bytes) {
		snprintf(buf, sizeof(buf), "%llu", lim->memory_bytes);
		r = write_file(cg->dir[LXCD_CG_MEMORY], cg->v2 ? "memory.max" : "memory.limit_in_bytes", buf, err);
		if (r < 0)
			return r;
	}
	if (lim->vcpus && cg->dir[LXCD_CG_CPU]) {
		/* vcpus CPUs' worth of time per 100 ms period */
		if (cg->v2) {
			snprintf(buf, sizeof(buf), "%u 100000", lim->vcpus * 100000);
			r = write_file(cg->dir[LXCD_CG_CPU], "cpu.max", buf, err);
		} else {
			r = write_file(cg->dir[LXCD_CG_CPU], "cpu.cfs_period_us", "100000", err);
			snprintf(buf, sizeof(buf), "%u", lim->vcpus * 100000);
			if (r >= 0)
				r = write_file(cg->dir[LXCD_CG_CPU], "cpu.cfs_quota_us", buf, err);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int lxcd_cgroup_attach(const struct lxcd_cgroup *cg, pid_t pid, struct sv_error *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (int i = 0; i < LXCD_CG_LAST; i++) {
		int r;
		if (!cg->dir[i] || (cg->v2 && i > 0))
			continue;
		r = write_file(cg->dir[i], "cgroup.procs", buf, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int lxcd_cgroup_freeze(const struct lxcd_cgroup *cg, bool frozen, struct sv_error *err)
{
	const char *dir = cg->dir[LXCD_CG_FREEZER];
	int r;

	if (!dir)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ENOTSUP, "no cgroup freezer");
	r = cg->v2 ? write_file(dir, "cgroup.freeze", frozen ? "1" : "0", err)
		   : write_file(dir, "freezer.state", frozen ? "FROZEN" : "THAWED", err);
	if (r < 0 || !frozen)
		return r;
	/* Freezing completes asynchronously: wait until the kernel says it is done (at most 1 s). */
	for (int i = 0; i < 1000; i++) {
		_cleanup_free_ char *st = read_file(dir, cg->v2 ? "cgroup.events" : "freezer.state");
		if (st && (cg->v2 ? strstr(st, "frozen 1") != NULL : startswith(st, "FROZEN")))
			return 0;
		usleep(1000);
	}
	return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
			    "the container's processes did not freeze within 1 s");
}

int lxcd_cgroup_nprocs(const struct lxcd_cgroup *cg)
{
	int n = 0;

	for (int i = 0; i < LXCD_CG_LAST; i++) {
		_cleanup_free_ char *procs = NULL;
		int here = 0;
		if (!cg->dir[i])
			continue;
		procs = read_file(cg->dir[i], "cgroup.procs");
		if (!procs)
			continue;
		for (char *p = procs; *p; p++)
			here += *p == '\n';
		if (here > n)
			n = here;
	}
	return n;
}

void lxcd_cgroup_kill_all(const struct lxcd_cgroup *cg)
{
	_cleanup_free_ char *procs = NULL;

	if (cg->v2 && write_file(cg->dir[0], "cgroup.kill", "1", NULL) == 0)
		return;
	procs = cg->dir[LXCD_CG_FREEZER] ? read_file(cg->dir[LXCD_CG_FREEZER], "cgroup.procs") : NULL;
	for (char *p = procs, *end; p && *p; p = end) {
		pid_t pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0)
			kill(pid, SIGKILL);
		while (*end == '\n')
			end++;
	}
}

int lxcd_cgroup_remove(const struct lxcd_cgroup *cg)
{
	int r = 0;

	for (int i = 0; i < LXCD_CG_LAST; i++) {
		if (!cg->dir[i] || (cg->v2 && i > 0))
			continue;
		if (rmdir(cg->dir[i]) < 0 && errno != ENOENT)
			r = -errno;
	}
	return r;
}

static unsigned long long read_ull(const char *dir, const char *file, const char *key)
{
	_cleanup_free_ char *text = dir ? read_file(dir, file) : NULL;
	const char *p = text;

	if (p && key) {
		p = strstr(text, key);
		if (p)
			p += strlen(key);
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

unsigned long long lxcd_cgroup_memory_usage(const struct lxcd_cgroup *cg)
{
	return read_ull(cg->dir[LXCD_CG_MEMORY], cg->v2 ? "memory.current" : "memory.usage_in_bytes", NULL);
}

unsigned long long lxcd_cgroup_cpu_time(const struct lxcd_cgroup *cg)
{
	if (cg->v2)
		return read_ull(cg->dir[LXCD_CG_CPU], "cpu.stat", "usage_usec ") * 1000ULL;
	return read_ull(cg->dir[LXCD_CG_CPUACCT], "cpuacct.usage", NULL);
}

char *lxcd_cgroup_to_status(const struct lxcd_cgroup *cg)
{
	char *out = xasprintf("cg_v2=%d\n", cg->v2);

	for (int i = 0; i < LXCD_CG_LAST; i++) {
		char *next;
		if (!cg->dir[i])
			continue;
		next = xasprintf("%scg_%s=%s\n", out, v1_names[i], cg->dir[i]);
		free(out);
		out = next;
	}
	return out;
}

void lxcd_cgroup_from_status(const char *status, struct lxcd_cgroup *cg)
{
	char buf[4096], key[32];

	memset(cg, 0, sizeof(*cg));
	cg->v2 = domain_status_get(status, "cg_v2", buf, sizeof(buf)) && streq(buf, "1");
	for (int i = 0; i < LXCD_CG_LAST; i++) {
		snprintf(key, sizeof(key), "cg_%s", v1_names[i]);
		if (domain_status_get(status, key, buf, sizeof(buf)))
			cg->dir[i] = xstrdup(buf);
	}
}
