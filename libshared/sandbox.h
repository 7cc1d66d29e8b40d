/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox helper every daemon calls before it reads client input:
 * switch uid/gid and keep only a declared capability set (libcap-ng), set
 * PR_SET_NO_NEW_PRIVS, then load a declared syscall allowlist (libseccomp).
 * The tables themselves live in each daemon's sandbox.c, one entry per line with its reason. */
#pragma once

#include <seccomp.h>
#include <sys/types.h>

#include "error.h"
#include "identity.h"

struct sandbox_syscall {
	const char *name;
	const char *reason;
	unsigned nargs; /* argument filters; all must hold */
	struct scmp_arg_cmp args[3];
};

struct sandbox_group {
	const char *name; /* "@basic-io" */
	const struct sandbox_syscall *calls;
	size_t ncalls;
};

struct sandbox_cap {
	int cap; /* CAP_NET_ADMIN ... */
	const char *reason;
};

struct sandbox_policy {
	const char *daemon;
	/* Who it runs as: ROLE_ROOT (uid 0, but only with the declared capabilities) or the
	 * daemon's own unprivileged user (ROLE_PROXY, ROLE_QEMUD, ROLE_STORAGED). Every daemon's
	 * only supplementary group is the driver sockets' group (identity.h). */
	enum suite_role role;
	const struct sandbox_cap *caps;
	size_t ncaps;
	/* NULL-terminated list of shared groups (libshared/sandbox-groups.c) */
	const struct sandbox_group *const *groups;
	const struct sandbox_syscall *syscalls; /* the daemon's own entries */
	size_t nsyscalls;
	/* Syscalls that kill the process rather than fail with EPERM (exec, ptrace ...). */
	const struct sandbox_group *killed;
};

struct sandbox_identity {
	uid_t uid;
	gid_t gid;
	gid_t extra_gid; /* the one supplementary group; (gid_t)-1 when none */
	bool switch_user;
	bool session; /* not started as root: nothing to drop but the filter */
};

/* Who the daemon will run as, resolved before it drops anything (to chown its directories). */
int sandbox_resolve(const struct sandbox_policy *p, const struct suite_ids *ids, struct sandbox_identity *id,
		    struct sv_error *err);
/* uid/gid switch + capabilities, then no_new_privs + seccomp. */
int sandbox_enter(const struct sandbox_policy *p, const struct suite_ids *ids, struct sv_error *err);
int sandbox_drop_privileges(const struct sandbox_policy *p, const struct sandbox_identity *id, struct sv_error *err);
int sandbox_load_filter(const struct sandbox_policy *p, struct sv_error *err);
/* A denylist (a container's default filter): every syscall allowed but the listed ones, which
 * fail with EPERM, on each x86 ABI the kernel runs (a 32-bit binary must not slip past it).
 * No no_new_privs: the caller holds CAP_SYS_ADMIN in its own user namespace, and setuid
 * programs inside a container must keep working. Names this architecture lacks are skipped. */
int sandbox_load_denylist(const char *who, const struct sandbox_syscall *calls, size_t n, struct sv_error *err);

/* Shared groups, included by name from the daemons' tables. */
extern const struct sandbox_group sandbox_group_base;        /* memory, fds, time, exit, signals */
extern const struct sandbox_group sandbox_group_event_loop;  /* epoll, timerfd, signalfd */
extern const struct sandbox_group sandbox_group_unix_server; /* accept, send/recv with SCM_RIGHTS */
extern const struct sandbox_group sandbox_group_unix_client; /* socket(AF_UNIX) + connect */
extern const struct sandbox_group sandbox_group_read_files;  /* open for reading */
extern const struct sandbox_group sandbox_group_write_files; /* create, write, fsync, rename, unlink */
extern const struct sandbox_group sandbox_group_sanitizer;   /* only in --enable-sanitizers builds */
/* The usual kill list: exec, debugging of other processes, kernel modules. */
extern const struct sandbox_group sandbox_killed_default;

/* Landlock (sandbox-landlock.c): where a process may write at all, whatever its uid. */
struct sandbox_write_path {
	int fd;           /* opened before: a directory (O_PATH is enough) or one file, e.g. a device */
	const char *path; /* for messages */
};
/* The Landlock ABI the kernel offers (>= 1), or -ENOSYS / -EOPNOTSUPP when it has none. */
int sandbox_landlock_abi(void);
/* From now on this process and what it forks may write, truncate, create, remove or rename only
 * beneath the listed directories and on the listed files; reads are left alone. Sets
 * no_new_privs. -EOPNOTSUPP when the kernel has no Landlock: the caller warns and goes on. */
int sandbox_restrict_writes(const char *who, const struct sandbox_write_path *allow, size_t n,
			    struct sv_error *err);
