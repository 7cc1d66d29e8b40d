/* sepvirt-netd's whole privilege. Changing this table is a security change: say why in the commit.
 * Runs as root with CAP_NET_ADMIN only (nothing in session mode); never execs. */
#include "config.h"

#include <linux/capability.h>

#include "netd.h"

static const struct sandbox_cap caps[] = {
	{ CAP_NET_ADMIN, "create taps and veths, set MAC/MTU/flags, attach to bridges" },
};

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server,
	&sandbox_group_read_files,
	&sandbox_group_write_files,
	NULL,
};

const struct sandbox_policy netd_sandbox_policy = {
	.daemon = "sepvirt-netd",
	.user = SANDBOX_RUN_AS_ROOT,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.syscalls = NULL, /* netlink and tun ioctls come with the tap implementation */
	.nsyscalls = 0,
	.killed = &sandbox_killed_default,
};
