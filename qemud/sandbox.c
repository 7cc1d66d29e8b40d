/* sepvirt-qemud's whole privilege. Changing this table is a security change: say why in the commit.
 * The unprivileged suite user in the kvm group, no capabilities. QEMU itself is started by the
 * spawner forked before confinement; qemud never execs. */
#include "config.h"

#include "qemud.h"

static const struct sandbox_syscall syscalls[] = {
	{ .name = "pidfd_open", .reason = "follow a QEMU that is not our child (started by the spawner, or before a restart)" },
	{ .name = "pidfd_send_signal", .reason = "SIGTERM/SIGKILL to QEMU on destroy, through its pidfd: never a reused pid" },
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
	.user = SANDBOX_RUN_AS_SUITE_USER,
	.supplementary_group = "kvm",
	.caps = NULL,
	.ncaps = 0,
	.groups = groups,
	.syscalls = syscalls,
	.nsyscalls = ARRAY_SIZE(syscalls),
	.killed = &sandbox_killed_default,
};
