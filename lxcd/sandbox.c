/* sepvirt-lxcd's whole privilege. Changing this table is a security change: say why in the commit.
 * Root with the few capabilities container set-up needs; never CAP_NET_ADMIN (netd does networking). */
#include "config.h"

#include <linux/capability.h>

#include "lxcd.h"

static const struct sandbox_cap caps[] = {
	{ CAP_SYS_ADMIN, "create namespaces and mount the container's filesystems" },
	{ CAP_SYS_CHROOT, "pivot_root into the container's root" },
	{ CAP_SETUID, "write the container's uid map" },
	{ CAP_SETGID, "write the container's gid map" },
	{ CAP_KILL, "signal container inits owned by other uids" },
	{ CAP_DAC_OVERRIDE, "manage cgroup files owned by root" },
};

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server,
	&sandbox_group_unix_client,
	&sandbox_group_read_files,
	&sandbox_group_write_files,
	NULL,
};

const struct sandbox_policy lxcd_sandbox_policy = {
	.daemon = "sepvirt-lxcd",
	.user = SANDBOX_RUN_AS_ROOT,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.killed = &sandbox_killed_default,
};
