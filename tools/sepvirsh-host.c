/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh commands about the suite itself: version, uri, help. */
#include "config.h"

#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const version_opts[] = { "daemon", NULL };

static const char *seccomp_word(unsigned mode)
{
	return mode == 2 ? "filter" : mode == 1 ? "strict" : "none";
}

static int cmd_version(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const struct { int id; } daemons[] = {
		{ SEPVIRT_DAEMON_PROXY }, { SEPVIRT_DAEMON_QEMU }, { SEPVIRT_DAEMON_LXC },
		{ SEPVIRT_DAEMON_NET }, { SEPVIRT_DAEMON_STORAGE },
	};
	static const char *const headers[] = { "Daemon", "Version", "PID", "UID", "CapEff", "Seccomp" };
	sepvirt_conn *conn = vsh_conn(ctl);
	sepvirt_daemon_info proxy, drv;
	int failed = 0;

	printf("Compiled against library: sepvirt %d.%d.%d\n", SEPVIRT_VERSION_MAJOR, SEPVIRT_VERSION_MINOR,
	       SEPVIRT_VERSION_MICRO);
	printf("Using library: sepvirt %s\n", sepvirt_library_version());
	if (!conn)
		return 1;
	if (sepvirt_ping(conn, SEPVIRT_DAEMON_DRIVER, &drv) < 0)
		return vsh_fail("failed to get the driver's version");
	printf("Using API: %s %s\n", drv.name, drv.version);
	if (drv.hypervisor[0])
		printf("Running hypervisor: %s\n", drv.hypervisor);
	if (sepvirt_ping(conn, SEPVIRT_DAEMON_PROXY, &proxy) < 0)
		return vsh_fail("failed to get the daemon's version");
	printf("Running against daemon: %s\n", proxy.version);
	if (!(cmd->flags & 1))
		return 0;

	printf("\n");
	struct vsh_table *t = vsh_table_new(6, headers);
	for (size_t i = 0; i < ARRAY_SIZE(daemons); i++) {
		sepvirt_daemon_info d;
		char pid[16], uid[16];
		if (sepvirt_ping(conn, daemons[i].id, &d) < 0) {
			const sepvirt_error *e = sepvirt_last_error();
			fprintf(stderr, "error: %s\n", e ? e->message : "unknown error");
			failed = 1;
			continue;
		}
		snprintf(pid, sizeof(pid), "%d", d.pid);
		snprintf(uid, sizeof(uid), "%u", d.uid);
		const char *row[] = { d.name, d.version, pid, uid, d.cap_eff, seccomp_word(d.seccomp) };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return failed;
}

static int cmd_uri(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	if (!conn)
		return 1;
	printf("%s\n", sepvirt_conn_uri(conn));
	return 0;
}

static const char *const connect_opts[] = { "readonly", NULL };
static const char *const connect_pos[] = { "name?", NULL };
static const char *const echo_pos[] = { "string...", NULL };

/* virsh connect: another connection for the commands that follow (in the shell). */
static int cmd_connect(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *uri = cmd->argv[0]; /* also --name URI */

	sepvirt_close(ctl->conn);
	ctl->conn = NULL;
	free(ctl->uri_owned);
	ctl->uri = ctl->uri_owned = uri ? xstrdup(uri) : NULL;
	ctl->readonly = vsh_flag(cmd, connect_opts, "readonly");
	if (!vsh_conn(ctl))
		return 1;
	return 0;
}

/* virsh echo: its arguments, one space apart (the shell's quoting, seen); the line ends with
 * the blank line every command gets, as virsh's does. */
static int cmd_echo(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	for (int i = 0; i < cmd->argc; i++)
		printf("%s%s", i ? " " : "", cmd->argv[i]);
	return 0;
}

static int node_info(struct vsh_ctl *ctl, sepvirt_node_info *info)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	if (!conn)
		return -1;
	if (sepvirt_node_get_info(conn, info) < 0) {
		vsh_fail("failed to get node information");
		return -1;
	}
	return 0;
}

/* Laid out as virsh nodeinfo lays it out. */
static int cmd_nodeinfo(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_node_info n;

	if (node_info(ctl, &n) < 0)
		return 1;
	printf("%-20s %s\n", "CPU model:", n.model);
	printf("%-20s %u\n", "CPU(s):", n.cpus);
	printf("%-20s %u MHz\n", "CPU frequency:", n.mhz);
	printf("%-20s %u\n", "CPU socket(s):", n.sockets);
	printf("%-20s %u\n", "Core(s) per socket:", n.cores);
	printf("%-20s %u\n", "Thread(s) per core:", n.threads);
	printf("%-20s %u\n", "NUMA cell(s):", n.cells);
	printf("%-20s %llu KiB\n", "Memory size:", (unsigned long long)n.memory_kib);
	return 0;
}

static int cmd_hostname(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_node_info n;

	if (node_info(ctl, &n) < 0)
		return 1;
	printf("%s\n", n.hostname);
	return 0;
}

const struct vsh_command vsh_host_commands[] = {
	{ "version", "show client and daemon versions (--daemon: every daemon of the suite)", version_opts, NULL, cmd_version },
	{ "uri", "print the connection URI", NULL, NULL, cmd_uri },
	{ "connect", "(re)connect to a URI for the commands that follow (--readonly)", connect_opts, connect_pos, cmd_connect },
	{ "echo", "echo arguments", NULL, echo_pos, cmd_echo },
	{ "nodeinfo", "the host's CPUs and memory, as the domain driver sees them", NULL, NULL, cmd_nodeinfo },
	{ "hostname", "the host's name", NULL, NULL, cmd_hostname },
	{ NULL },
};
