/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-storaged's whole privilege. Changing this table is a security change: say why in the commit.
 * The unprivileged suite user; only what owning pool files needs; no exec: qcow2 headers are
 * written by storaged itself (storaged_qcow2.c), so there is no qemu-img and no spawner. */
#include "config.h"

#include <linux/capability.h>

#include "storaged.h"

static const struct sandbox_cap caps[] = {
	{ CAP_CHOWN, "give volumes and the pool directories it creates an owner the policy allows (policy.c)" },
	{ CAP_FOWNER, "set the mode of volumes it chowned to another user the policy allows" },
};

#define ALLOW(n, why) { .name = n, .reason = why }
static const struct sandbox_syscall own[] = {
	ALLOW("fallocate", "fully allocated raw volumes (--allocation, vol-resize --allocate)"),
	ALLOW("fchown", "volume and new pool directory owners from the XML, within the policy (with CAP_CHOWN)"),
	ALLOW("pwrite64", "qcow2 headers and uploaded chunks at their offsets"),
	ALLOW("copy_file_range", "vol-clone copies data extents in the kernel"),
	ALLOW("statfs", "pool capacity and free space (statvfs)"),
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
	.role = ROLE_STORAGED,
	.caps = caps,
	.ncaps = ARRAY_SIZE(caps),
	.groups = groups,
	.syscalls = own,
	.nsyscalls = ARRAY_SIZE(own),
	.killed = &sandbox_killed_default,
};
