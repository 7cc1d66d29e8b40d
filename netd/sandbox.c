/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-netd's whole privilege. Changing this table is a security change: say why in the commit.
 * Runs as root with CAP_NET_ADMIN only (nothing in session mode); never execs.
 * nftables goes through a netlink socket libnftables opens before confinement; the forwarding
 * sysctls are files opened for writing in setup.
 * The netlink socket, /dev/net and the state directory are opened before confinement; after it,
 * netd may open files only relative to those two directory fds (bound at setup, below). */
#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "netd.h"

static const struct sandbox_cap caps[] = {
	{ CAP_NET_ADMIN, "create taps, veths and network bridges, set MAC/MTU/flags/addresses, nftables rules" },
};

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server, /* also sendmsg/recvmsg on the rtnetlink socket */
	NULL,
};

/* int arguments: compare the low 32 bits only (the upper half of the register is unspecified). */
#define FD_IS(n, fd) SCMP_CMP(n, SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)(fd))
#define UNBOUND (-1) /* matches no directory fd until netd_sandbox_bind_fds() */
#define UNBOUND_NET (-2) /* the same, for the network definitions' directory: a rule of its own */

enum { TUN_OPEN, STATE_OPEN, STATE_RENAME, STATE_UNLINK, NET_OPEN, NET_RENAME, NET_UNLINK };

static struct sandbox_syscall calls[] = {
	[TUN_OPEN] = { .name = "openat", .nargs = 2,
		.reason = "/dev/net/tun only: relative to the /dev/net fd from setup, exactly O_RDWR|O_CLOEXEC",
		.args = { FD_IS(0, UNBOUND), SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, O_RDWR | O_CLOEXEC) } },
	[STATE_OPEN] = { .name = "openat", .nargs = 1,
		.reason = "read and write the state file, relative to the state directory fd from setup only",
		.args = { FD_IS(0, UNBOUND) } },
	[STATE_RENAME] = { .name = "renameat", .nargs = 2,
		.reason = "atomic replace of the state file, inside the state directory only",
		.args = { FD_IS(0, UNBOUND), FD_IS(2, UNBOUND) } },
	[STATE_UNLINK] = { .name = "unlinkat", .nargs = 1,
		.reason = "remove a failed or stale temp state file, inside the state directory only",
		.args = { FD_IS(0, UNBOUND) } },
	[NET_OPEN] = { .name = "openat", .nargs = 1,
		.reason = "write and read network definitions, relative to the config_dir/network fd from setup only",
		.args = { FD_IS(0, UNBOUND_NET) } },
	[NET_RENAME] = { .name = "renameat", .nargs = 2,
		.reason = "atomic replace of a network definition, inside config_dir/network only",
		.args = { FD_IS(0, UNBOUND_NET), FD_IS(2, UNBOUND_NET) } },
	[NET_UNLINK] = { .name = "unlinkat", .nargs = 1,
		.reason = "remove a network definition or autostart mark, inside config_dir/network only",
		.args = { FD_IS(0, UNBOUND_NET) } },
	{ .name = "fsync", .reason = "a network definition reported saved survives a crash (file and directory)" },
	{ .name = "faccessat", .reason = "whether a network's autostart mark exists (read only)" },
	{ .name = "pselect6", .reason = "libnftables polls its netlink socket for the batch's acknowledgements" },
	{ .name = "setsockopt", .nargs = 1,
	  .reason = "libnftables sizes its netlink socket's buffers for a batch (SOL_SOCKET only)",
	  .args = { SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET) } },
	{ .name = "pwrite64", .reason = "write 1 to the forwarding sysctls opened for writing in setup" },
	{ .name = "ioctl", .nargs = 1,
	  .reason = "TUNSETIFF only: create a tap or attach a queue to one; MAC/MTU/up go through netlink",
	  .args = { SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TUNSETIFF) } },
};

void netd_sandbox_bind_fds(int tun_dirfd, int state_dirfd, int net_dirfd)
{
	calls[NET_OPEN].args[0].datum_b = (uint32_t)net_dirfd;
	calls[NET_RENAME].args[0].datum_b = (uint32_t)net_dirfd;
	calls[NET_RENAME].args[1].datum_b = (uint32_t)net_dirfd;
	calls[NET_UNLINK].args[0].datum_b = (uint32_t)net_dirfd;
	calls[TUN_OPEN].args[0].datum_b = (uint32_t)tun_dirfd;
	calls[STATE_OPEN].args[0].datum_b = (uint32_t)state_dirfd;
	calls[STATE_RENAME].args[0].datum_b = (uint32_t)state_dirfd;
	calls[STATE_RENAME].args[1].datum_b = (uint32_t)state_dirfd;
	calls[STATE_UNLINK].args[0].datum_b = (uint32_t)state_dirfd;
}

/* Landlock, on top of the pinning above (which an absolute path passes: openat ignores its dirfd
 * then): netd, uid 0, may write nowhere else. */
int netd_sandbox_restrict_writes(int state_dirfd, int net_dirfd, int tun_fd, struct sv_error *err)
{
	const struct sandbox_write_path allow[] = {
		/* the device journal and its compaction, running networks: STATE/netd */
		{ state_dirfd, "the state directory" },
		/* the networks' definitions: CONFIG/network */
		{ net_dirfd, "the network definitions' directory" },
		/* opened O_RDWR for every tap queue: a write-file right on that one device */
		{ tun_fd, "/dev/net/tun" },
	};
	return sandbox_restrict_writes(netd_sandbox_policy.daemon, allow, tun_fd >= 0 ? 3 : 2, err);
}

/* The spawner's row (spawner.c): uid 0, what dnsmasq needs to start as root and drop to its own
 * user, and KILL to stop it through its pidfd; no seccomp filter (dnsmasq would inherit it). */
static const struct sandbox_cap spawner_caps[] = {
	{ CAP_SETUID, "dnsmasq switches to its own user (user= in its config)" },
	{ CAP_SETGID, "dnsmasq switches to its own group" },
	{ CAP_NET_ADMIN, "dnsmasq keeps it for DHCP: ARP entries for clients without an address yet" },
	{ CAP_NET_BIND_SERVICE, "dnsmasq binds DNS (53) and DHCP (67, 547) on the network's bridge" },
	{ CAP_NET_RAW, "dnsmasq keeps it for DHCP (raw replies, address-in-use pings)" },
	{ CAP_KILL, "stop or restart a network's dnsmasq, which runs as another uid" },
};

const struct sandbox_policy netd_spawner_policy = {
	.daemon = "netd-spawner",
	.role = ROLE_ROOT,
	.caps = spawner_caps,
	.ncaps = ARRAY_SIZE(spawner_caps),
};

const struct sandbox_policy netd_sandbox_policy = {
	.daemon = "sepvirt-netd",
	.role = ROLE_ROOT,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.syscalls = calls,
	.nsyscalls = ARRAY_SIZE(calls),
	.killed = &sandbox_killed_default,
};
