/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh save, restore, managedsave, managedsave-remove, with virsh's words. */
#include "config.h"

#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const save_pos[] = { "domain", "file", NULL };
static const char *const file_pos[] = { "file", NULL };
static const char *const dom_pos[] = { "domain", NULL };
static const char *const save_opts[] = { "running", "paused", NULL };

/* --running and --paused: the state the restore gives back; not both (virsh refuses so). */
static int state_flags(const struct vsh_cmd *cmd, unsigned *flags)
{
	bool running = vsh_flag(cmd, save_opts, "running"), paused = vsh_flag(cmd, save_opts, "paused");

	if (running && paused) {
		fprintf(stderr, "error: Options --running and --paused are mutually exclusive\n");
		return -1;
	}
	*flags = (running ? SEPVIRT_SAVE_RUNNING : 0) | (paused ? SEPVIRT_SAVE_PAUSED : 0);
	return 0;
}

static int cmd_save(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	unsigned flags;
	char msg[512];

	if (state_flags(cmd, &flags) < 0 || vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_save(ctl->conn, d.uuid, cmd->argv[1], flags) < 0) {
		snprintf(msg, sizeof(msg), "Failed to save domain '%s' to %s", d.name, cmd->argv[1]);
		return vsh_fail(msg);
	}
	printf("Domain '%s' saved to %s\n", d.name, cmd->argv[1]);
	return 0;
}

static int cmd_restore(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_conn *conn;
	unsigned flags;
	char msg[512];

	if (state_flags(cmd, &flags) < 0 || !(conn = vsh_conn(ctl)))
		return 1;
	if (sepvirt_domain_restore(conn, cmd->argv[0], flags, NULL) < 0) {
		snprintf(msg, sizeof(msg), "Failed to restore domain from %s", cmd->argv[0]);
		return vsh_fail(msg);
	}
	printf("Domain restored from %s\n", cmd->argv[0]);
	return 0;
}

static int cmd_managedsave(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	unsigned flags;
	char msg[512];

	if (state_flags(cmd, &flags) < 0 || vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_managed_save(ctl->conn, d.uuid, flags) < 0) {
		snprintf(msg, sizeof(msg), "Failed to save domain '%s' state", d.name);
		return vsh_fail(msg);
	}
	printf("Domain '%s' state saved by libvirt\n", d.name);
	return 0;
}

static int cmd_managedsave_remove(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	char msg[512];
	int has;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	has = sepvirt_domain_has_managed_save(ctl->conn, d.uuid);
	if (has < 0)
		return vsh_fail("Failed to check for domain managed save image");
	if (!has) {
		printf("Domain '%s' has no manage save image; removal skipped\n", d.name);
		return 0;
	}
	if (sepvirt_domain_managed_save_remove(ctl->conn, d.uuid) < 0) {
		snprintf(msg, sizeof(msg), "Failed to remove managed save image for domain '%s'", d.name);
		return vsh_fail(msg);
	}
	printf("Removed managedsave image for domain '%s'\n", d.name);
	return 0;
}

const struct vsh_command vsh_save_commands[] = {
	{ "save", "save a domain state to a file (--running, --paused: its state on restore)", save_opts, save_pos, cmd_save },
	{ "restore", "restore a domain from a saved state in a file (--running, --paused)", save_opts, file_pos, cmd_restore },
	{ "managedsave", "managed save of a domain state: start resumes it (--running, --paused)", save_opts, dom_pos, cmd_managedsave },
	{ "managedsave-remove", "remove managed save of a domain", NULL, dom_pos, cmd_managedsave_remove },
	{ NULL },
};
