/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-lxcd's whole privilege, and its spawner's. Changing these tables is a security change:
 * say why in the commit. Never CAP_NET_ADMIN: netd creates and moves the veths. */
#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>

#include "lxcd.h"

/* The daemon, after confinement: it only signals, watches and bookkeeps containers; every
 * namespace, mount and id map is made by the spawner. */
static const struct sandbox_cap caps[] = {
	{ CAP_KILL, "signal container inits, which run as the container's mapped uids" },
};

/* lxcd is uid 0, the owner of every root-owned file: where it may write at all is Landlock's
 * (lxcd_sandbox_restrict_writes below). Its file writes are listed here rather than taken from
 * @write-files, whose fchmod would let uid 0 change the mode of any root-owned file it can open
 * for reading, a change Landlock does not cover. */
static const struct sandbox_syscall syscalls[] = {
	{ .name = "kill", .reason = "shutdown (SIGTERM) and destroy (SIGKILL) of a container's init" },
	{ .name = "pidfd_open", .reason = "watch a running container's init again after a restart" },
	{ .name = "rmdir", .reason = "remove a stopped container's cgroup" },
	{ .name = "getdents", .reason = "list the config and state directories" },
	{ .name = "openat", .reason = "definitions, status files, cgroup files; Landlock keeps writes in lxcd's directories" },
	{ .name = "mkdir", .reason = "create its state directories" },
	{ .name = "mkdirat", .reason = "create its state directories" },
	{ .name = "unlink", .reason = "remove a definition, status or temp file" },
	{ .name = "unlinkat", .reason = "remove a definition, status or temp file" },
	{ .name = "rename", .reason = "atomic replace of a definition or status file" },
	{ .name = "renameat", .reason = "atomic replace of a definition or status file" },
	{ .name = "renameat2", .reason = "atomic replace of a definition or status file" },
	{ .name = "fsync", .reason = "a definition reported saved survives a crash" },
	{ .name = "fdatasync", .reason = "a definition reported saved survives a crash" },
	{ .name = "ftruncate", .reason = "rewrite a status file" },
	{ .name = "fstatfs", .reason = "glibc opendir" },
};

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server,
	&sandbox_group_unix_client,
	&sandbox_group_read_files,
	NULL,
};

const struct sandbox_policy lxcd_sandbox_policy = {
	.daemon = "sepvirt-lxcd",
	.role = ROLE_ROOT,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.syscalls = syscalls,
	.nsyscalls = ARRAY_SIZE(syscalls),
	.killed = &sandbox_killed_default,
};

int lxcd_sandbox_restrict_writes(int config_dirfd, int state_dirfd, const int *cgroup_fds, char *const *cgroup_paths,
				 size_t ncgroups, struct sv_error *err)
{
	struct sandbox_write_path allow[2 + LXCD_CG_LAST] = {
		/* definitions and autostart marks: CONFIG/lxc */
		{ config_dirfd, "the configuration directory" },
		/* status files, live definitions, console logs and sockets: RUN/lxc */
		{ state_dirfd, "the state directory" },
	};
	size_t n = 2;

	/* freeze, kill and remove containers' cgroups: sepvirt-lxc of each hierarchy */
	for (size_t i = 0; i < ncgroups && i < LXCD_CG_LAST; i++)
		allow[n++] = (struct sandbox_write_path){ cgroup_fds[i], cgroup_paths[i] };
	return sandbox_restrict_writes(lxcd_sandbox_policy.daemon, allow, n, err);
}

/* A container's console relay (console.c): forked per container by the spawner, it runs as uid 0
 * with no capability, copies between the pty, its log and one client, and writes (Landlock) only
 * in the state directory of its log. Nothing else. */
#define RELAY_LOG_FLAGS (O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
static const struct sandbox_syscall relay_calls[] = {
	{ .name = "poll", .reason = "wait on the pty, the listening socket and the client" },
	{ .name = "ppoll", .reason = "wait on the pty, the listening socket and the client" },
	{ .name = "read", .reason = "the container's output, the client's input" },
	{ .name = "write", .reason = "into the log and into the pty (the client's input)" },
	{ .name = "sendto", .reason = "the container's output to the attached client" },
	{ .name = "accept4", .reason = "a client attaching (virsh console)" },
	{ .name = "close", .reason = "a client leaving, the log being rotated" },
	{ .name = "openat", .nargs = 1, .reason = "the new log after a rotation, with these exact flags only",
	  .args = { SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, RELAY_LOG_FLAGS) } },
	{ .name = "rename", .reason = "rotate NAME.log to NAME.log.1" },
	{ .name = "renameat", .reason = "rotate NAME.log to NAME.log.1" },
	{ .name = "renameat2", .reason = "rotate NAME.log to NAME.log.1" },
	{ .name = "ftruncate", .reason = "empty the log when it cannot be rotated" },
	{ .name = "unlink", .reason = "remove its socket when the container has gone" },
	{ .name = "unlinkat", .reason = "remove its socket when the container has gone" },
	{ .name = "rt_sigreturn", .reason = "return from a signal handler" },
	{ .name = "restart_syscall", .reason = "restart after a signal" },
	{ .name = "exit_group", .reason = "end when the pty hangs up" },
};

const struct sandbox_policy lxcd_console_policy = {
	.daemon = "sepvirt-lxc-con",
	.role = ROLE_ROOT,
	.syscalls = relay_calls,
	.nsyscalls = ARRAY_SIZE(relay_calls),
	.killed = &sandbox_killed_default,
};

/* The spawner (spawner.c) keeps these in its effective and permitted sets; it creates the
 * namespaces without any (an unprivileged user may: user_namespaces(7)). */
const struct sandbox_cap lxcd_spawner_caps[] = {
	{ CAP_SETUID, "write a uid_map with more than the writer's own uid" },
	{ CAP_SETGID, "write a gid_map with more than the writer's own gid" },
	{ CAP_CHOWN, "give the console pty to the container's root" },
	{ CAP_KILL, "kill a container whose set-up failed (it runs as the mapped root)" },
	{ CAP_DAC_OVERRIDE, "reach root filesystems owned by the container's mapped uids" },
};
const size_t lxcd_spawner_ncaps = ARRAY_SIZE(lxcd_spawner_caps);

/* Removed from the bounding set, so a container's root never holds them even inside its own
 * user namespace (most only mean something in the host's namespace anyway). */
const struct sandbox_cap lxcd_container_dropped[] = {
	{ CAP_SYS_MODULE, "no kernel modules" },
	{ CAP_SYS_RAWIO, "no raw I/O ports or memory" },
	{ CAP_SYS_TIME, "the clock is the host's" },
	{ CAP_MAC_ADMIN, "no LSM policy changes" },
	{ CAP_MAC_OVERRIDE, "no LSM overrides" },
	{ CAP_AUDIT_CONTROL, "no audit rules" },
	{ CAP_SYSLOG, "no kernel log" },
	{ CAP_MKNOD, "devices come from lxcd's bind mounts, never from mknod" },
	{ CAP_WAKE_ALARM, "no host wake-ups" },
	{ CAP_BLOCK_SUSPEND, "no host suspend blocking" },
};
const size_t lxcd_container_ndropped = ARRAY_SIZE(lxcd_container_dropped);

/* The default filter of every container: these fail with EPERM inside. Each acts on state no
 * namespace isolates (the host's kernel, keyrings, clock, accounting), which a container has no
 * business with even where its capabilities would let the call through; everything else is
 * allowed, since what runs inside is the container's own choice. */
const struct sandbox_syscall lxcd_container_denied[] = {
	{ "kexec_load", "no loading another kernel" },
	{ "kexec_file_load", "no loading another kernel" },
	{ "init_module", "no kernel modules" },
	{ "finit_module", "no kernel modules" },
	{ "delete_module", "no kernel modules" },
	{ "add_key", "kernel keyrings are not namespaced" },
	{ "request_key", "kernel keyrings are not namespaced" },
	{ "keyctl", "kernel keyrings are not namespaced" },
	{ "open_by_handle_at", "could open files outside the container's root by handle" },
	{ "bpf", "no BPF programs in the host's kernel" },
	{ "perf_event_open", "no profiling of the host" },
	{ "userfaultfd", "a tool for stalling the kernel in races" },
	{ "lookup_dcookie", "host kernel profiling" },
	{ "acct", "process accounting is host-wide" },
	{ "swapon", "swap is the host's" },
	{ "swapoff", "swap is the host's" },
	{ "quotactl", "quotas are the host's" },
	{ "settimeofday", "the clock is the host's" },
	{ "clock_settime", "the clock is the host's" },
	{ "stime", "the clock is the host's" },
	{ "syslog", "the kernel log is the host's" },
	{ "iopl", "no raw I/O ports" },
	{ "ioperm", "no raw I/O ports" },
	{ "uselib", "obsolete" },
	{ "nfsservctl", "obsolete" },
};
const size_t lxcd_container_ndenied = ARRAY_SIZE(lxcd_container_denied);
