/* sepvirt-storaged's whole privilege. Changing this table is a security change: say why in the commit.
 * The unprivileged suite user; only what owning pool files needs; no exec. */
#include "config.h"

#include <linux/capability.h>

#include "storaged.h"

static const struct sandbox_cap caps[] = {
	{ CAP_CHOWN, "give pool directories and volumes the owner their XML asks for" },
	{ CAP_FOWNER, "set the mode of volumes it chowned to another user" },
};

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server,
	&sandbox_group_read_files,
	&sandbox_group_write_files,
	NULL,
};

const struct sandbox_policy storaged_sandbox_policy = {
	.daemon = "sepvirt-storaged",
	.user = SANDBOX_RUN_AS_SUITE_USER,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.killed = &sandbox_killed_default,
};
