/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-proxyd's whole privilege. Changing this table is a security change: say why in the commit.
 * The unprivileged suite user, no capabilities, no exec, no file opens at all: it only accepts
 * clients and connects to the drivers' sockets. */
#include "config.h"

#include "proxyd.h"

static const struct sandbox_group *const groups[] = {
	&sandbox_group_base,
	&sandbox_group_event_loop,
	&sandbox_group_unix_server,
	&sandbox_group_unix_client,
	NULL,
};

const struct sandbox_policy proxyd_sandbox_policy = {
	.daemon = "sepvirt-proxyd",
	.role = ROLE_PROXY,
	.caps = NULL,
	.ncaps = 0,
	.groups = groups,
	.killed = &sandbox_killed_default,
};
