/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-qemud's whole privilege. Changing this table is a security change: say why in the commit.
 * Its own unprivileged user (sepvirt-qemu), in no group but the driver sockets', no capabilities:
 * not even kvm, which only the QEMUs need. QEMU itself is started by the spawner forked before
 * confinement (spawner.c has the spawner's own row); qemud never execs. */
#include "config.h"

#include <linux/capability.h>

#include "qemud.h"

static const struct sandbox_syscall syscalls[] = {
	{ .name = "pidfd_open", .reason = "follow a QEMU that is not our child (started by the spawner, or before a restart)" },
	{ .name = "bind", .reason = "bind the QMP monitor socket that is handed to QEMU" },
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

const struct sandbox_policy qemud_sandbox_policy = {
	.daemon = "sepvirt-qemud",
	.role = ROLE_QEMUD,
	.caps = NULL,
	.ncaps = 0,
	.groups = groups,
	.syscalls = syscalls,
	.nsyscalls = ARRAY_SIZE(syscalls),
	.killed = &sandbox_killed_default,
};

/* The spawner's row (spawner.c): uid 0 kept, so it may open root-owned disk images for QEMU (as
 * their owner: no CAP_DAC_OVERRIDE), and only these two, to become a QEMU's own uid and gid. It
 * loads no seccomp filter (QEMU would inherit it; QEMU's -sandbox is QEMU's own) but sets
 * no_new_privs, and its code acts only as uids of the VM range. */
static const struct sandbox_cap spawner_caps[] = {
	{ CAP_SETUID, "run each QEMU, and signal it or open its pty, as the QEMU's own uid (the VM range only)" },
	{ CAP_SETGID, "the QEMU's own gid and its one supplementary group, kvm" },
};

const struct sandbox_policy qemud_spawner_policy = {
	.daemon = "qemud-spawner",
	.role = ROLE_ROOT,
	.caps = spawner_caps,
	.ncaps = ARRAY_SIZE(spawner_caps),
};
