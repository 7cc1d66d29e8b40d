/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh net-* commands, with virsh's names, output and exit codes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const net_pos[] = { "network", NULL };
static const char *const file_pos[] = { "file", NULL };

/* Looks the network up first, as virsh does, so a missing one reads "failed to get network". */
static sepvirt_conn *get_net(struct vsh_ctl *ctl, const char *arg, sepvirt_network *n)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	char msg[512];

	if (!conn)
		return NULL;
	if (sepvirt_network_get_info(conn, arg, n) < 0) {
		snprintf(msg, sizeof(msg), "failed to get network '%s'", arg);
		vsh_fail(msg);
		return NULL;
	}
	return conn;
}

static int cmd_net_from_file(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool create = streq(cmd->name, "net-create");
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_network n;
	char msg[512];
	int r;

	if (vsh_read_file(cmd->argv[0], &xml) < 0 || !(conn = vsh_conn(ctl)))
		return 1;
	r = create ? sepvirt_network_create(conn, xml, &n) : sepvirt_network_define(conn, xml, &n);
	if (r < 0) {
		snprintf(msg, sizeof(msg), "Failed to %s network from %s", create ? "create" : "define", cmd->argv[0]);
		return vsh_fail(msg);
	}
	printf("Network %s %s from %s\n", n.name, create ? "created" : "defined", cmd->argv[0]);
	if (n.warning[0])
		fprintf(stderr, "warning: %s\n", n.warning);
	return 0;
}

/* The commands that act on one network and print one line. */
struct net_action {
	const char *cmd;
	int (*fn)(sepvirt_conn *, const char *);
	const char *verb; /* "Failed to <verb> network NAME" */
	const char *done; /* "Network NAME <done>" */
};

static const struct net_action net_actions[] = {
	{ "net-start", sepvirt_network_start, "start", "started" },
	{ "net-destroy", sepvirt_network_destroy, "destroy", "destroyed" },
	{ "net-undefine", sepvirt_network_undefine, "undefine", "has been undefined" },
};

static int cmd_net_simple(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(net_actions); i++) {
		const struct net_action *a = &net_actions[i];
		sepvirt_conn *conn;
		sepvirt_network n;
		char msg[512];

		if (!streq(a->cmd, cmd->name))
			continue;
		if (!(conn = get_net(ctl, cmd->argv[0], &n)))
			return 1;
		if (a->fn(conn, n.uuid) < 0) {
			snprintf(msg, sizeof(msg), "Failed to %s network %s", a->verb, n.name);
			return vsh_fail(msg);
		}
		printf("Network %s %s\n", n.name, a->done);
		/* what virsh does not know: a foreign firewall dropping the network's traffic */
		if (a->fn == sepvirt_network_start && sepvirt_network_get_info(conn, n.uuid, &n) == 0 && n.warning[0])
			fprintf(stderr, "warning: %s\n", n.warning);
		return 0;
	}
	return 1;
}

static const char *const autostart_opts[] = { "disable", NULL };

static int cmd_net_autostart(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool disable = cmd->flags & 1;
	sepvirt_conn *conn;
	sepvirt_network n;
	char msg[512];

	if (!(conn = get_net(ctl, cmd->argv[0], &n)))
		return 1;
	if (sepvirt_network_set_autostart(conn, n.uuid, !disable) < 0) {
		snprintf(msg, sizeof(msg), "failed to %smark network %s as autostarted", disable ? "un" : "", n.name);
		return vsh_fail(msg);
	}
	printf("Network %s %s as autostarted\n", n.name, disable ? "unmarked" : "marked");
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const sepvirt_network *)a)->name, ((const sepvirt_network *)b)->name);
}

static const char *const list_opts[] = { "all", "inactive", "name", "uuid", NULL };

static int cmd_net_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Name", "State", "Autostart", "Persistent" };
	bool all = cmd->flags & 1, inactive = cmd->flags & 2, names = cmd->flags & 4, uuids = cmd->flags & 8;
	_cleanup_free_ sepvirt_network *list = NULL;
	sepvirt_conn *conn = vsh_conn(ctl);
	struct vsh_table *t;
	int n;

	if (!conn)
		return 1;
	n = sepvirt_network_list(conn, (all || inactive) ? SEPVIRT_LIST_ALL : 0, &list);
	if (n < 0)
		return vsh_fail("Failed to list networks");
	qsort(list, (size_t)n, sizeof(*list), by_name);
	if (names || uuids) {
		for (int i = 0; i < n; i++) {
			if (inactive && list[i].active)
				continue;
			/* both: "UUID  NAME" as virsh prints them */
			if (names && uuids)
				printf("%-36s  %s\n", list[i].uuid, list[i].name);
			else
				printf("%s\n", names ? list[i].name : list[i].uuid);
		}
		return 0;
	}
	t = vsh_table_new(4, headers);
	for (int i = 0; i < n; i++) {
		const sepvirt_network *p = &list[i];
		if (inactive && p->active)
			continue;
		const char *row[] = { p->name, p->active ? "active" : "inactive", p->autostart ? "yes" : "no",
				      p->persistent ? "yes" : "no" };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static int cmd_net_info(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_network n;

	if (!get_net(ctl, cmd->argv[0], &n))
		return 1;
	printf("%-15s %s\n", "Name:", n.name);
	printf("%-15s %s\n", "UUID:", n.uuid);
	printf("%-15s %s\n", "Active:", n.active ? "yes" : "no");
	printf("%-15s %s\n", "Persistent:", n.persistent ? "yes" : "no");
	printf("%-15s %s\n", "Autostart:", n.autostart ? "yes" : "no");
	if (n.bridge[0])
		printf("%-15s %s\n", "Bridge:", n.bridge);
	if (n.warning[0])
		fprintf(stderr, "warning: %s\n", n.warning);
	return 0;
}

static const char *const dumpxml_opts[] = { "inactive", NULL };

static int cmd_net_dumpxml(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_network n;

	if (!(conn = get_net(ctl, cmd->argv[0], &n)))
		return 1;
	xml = sepvirt_network_get_xml(conn, n.uuid, (cmd->flags & 1) ? SEPVIRT_NETWORK_XML_INACTIVE : 0);
	if (!xml)
		return vsh_fail(NULL);
	fputs(xml, stdout);
	if (xml[0] && xml[strlen(xml) - 1] != '\n')
		putchar('\n');
	return 0;
}

/* net-uuid NAME and net-name UUID: one line (and virsh's blank one after every command). */
static int cmd_net_uuid_name(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_network n;

	if (!get_net(ctl, cmd->argv[0], &n))
		return 1;
	printf("%s\n", streq(cmd->name, "net-uuid") ? n.uuid : n.name);
	return 0;
}

static const char *const leases_opts[] = { "mac=", NULL };

static int cmd_net_dhcp_leases(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
					       "Client ID or DUID" };
	_cleanup_free_ sepvirt_network_lease *list = NULL;
	sepvirt_conn *conn;
	sepvirt_network n;
	struct vsh_table *t;
	char msg[512];
	int count;

	if (!(conn = get_net(ctl, cmd->argv[0], &n)))
		return 1;
	count = sepvirt_network_get_dhcp_leases(conn, n.uuid, cmd->optvals[0], &list);
	if (count < 0) {
		snprintf(msg, sizeof(msg), "Failed to get leases info for %s", n.name);
		return vsh_fail(msg);
	}
	t = vsh_table_new(6, headers);
	for (int i = 0; i < count; i++) {
		const sepvirt_network_lease *l = &list[i];
		char when[32], addr[64];
		time_t e = (time_t)l->expiry;
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&e, &tm));
		snprintf(addr, sizeof(addr), "%s/%u", l->address, l->prefix);
		const char *row[] = { when, l->mac[0] ? l->mac : "-", l->ipv6 ? "ipv6" : "ipv4", addr,
				      l->hostname[0] ? l->hostname : "-", l->client_id[0] ? l->client_id : "-" };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static const char *const update_pos[] = { "network", "command", "section", "xml", NULL };
static const char *const update_opts[] = { "parent-index=", "config", "live", "current", NULL };

static int cmd_net_update(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool config = cmd->flags & 2, live = cmd->flags & 4;
	const char *pi = cmd->optvals[0], *arg = cmd->argv[3];
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_network n;
	char msg[512], *end = NULL;
	long parent = -1;

	if (pi) {
		parent = strtol(pi, &end, 10);
		if (!*pi || *end || parent < 0 || parent > 255) {
			fprintf(stderr, "error: Numeric value '%s' for <parent-index> option is malformed or out of range\n", pi);
			return 1;
		}
	}
	/* the XML itself, or a file holding it (as virsh) */
	if (arg[strspn(arg, " \t\n")] == '<')
		xml = xstrdup(arg);
	else if (vsh_read_file(arg, &xml) < 0)
		return 1;
	if (!(conn = get_net(ctl, cmd->argv[0], &n)))
		return 1;
	if (sepvirt_network_update(conn, n.uuid, cmd->argv[1], cmd->argv[2], (int)parent, xml,
				   (live ? SEPVIRT_NETWORK_UPDATE_LIVE : 0) | (config ? SEPVIRT_NETWORK_UPDATE_CONFIG : 0)) < 0) {
		snprintf(msg, sizeof(msg), "Failed to update network %s", n.name);
		return vsh_fail(msg);
	}
	if (config)
		printf("Updated network %s persistent config%s\n", n.name, live ? " and live state" : "");
	else
		printf("Updated network %s %s\n", n.name, live || n.active ? "live state" : "persistent config");
	return 0;
}

static const char *const domifaddr_pos[] = { "domain", NULL };
static const char *const domifaddr_opts[] = { "interface=", "full", "source=", NULL };

/* domifaddr: the addresses of a domain's interfaces on virtual networks, from their leases
 * (--source lease, the default; the guest agent and the ARP table are not implemented). */
#define DOMIFADDR_HEADER \
	" Name       MAC address          Protocol     Address\n" \
	"-------------------------------------------------------------------------------\n"

/* --source agent: what the guest's agent reports, every interface (lo too), as virsh prints it. */
static int domifaddr_agent(sepvirt_conn *conn, const sepvirt_domain *d, const char *want, bool full)
{
	_cleanup_free_ sepvirt_agent_address *a = NULL;
	int n = sepvirt_domain_agent_addresses(conn, d->name, &a);

	if (n < 0)
		return vsh_fail("Failed to query for interfaces addresses");
	printf(DOMIFADDR_HEADER);
	for (int i = 0; i < n; i++) {
		bool first = i == 0 || !streq(a[i].name, a[i - 1].name);
		char addr[96];

		if (want && !streq(want, a[i].name))
			continue;
		if (!a[i].address[0]) {
			printf(" %-10s %-17s    %-12s %s\n", a[i].name, a[i].mac[0] ? a[i].mac : "-", "N/A", "N/A");
			continue;
		}
		snprintf(addr, sizeof(addr), "%s/%u", a[i].address, a[i].prefix);
		printf(" %-10s %-17s    %-12s %s\n", first || full ? a[i].name : "-",
		       first || full ? (a[i].mac[0] ? a[i].mac : "-") : "-", a[i].ipv6 ? "ipv6" : "ipv4", addr);
	}
	return 0;
}

static int cmd_domifaddr(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *want = cmd->optvals[0], *source = cmd->optvals[2];
	bool full = cmd->flags & 2;
	_cleanup_free_ sepvirt_domain_iface *ifs = NULL;
	sepvirt_conn *conn = vsh_conn(ctl);
	sepvirt_domain d;
	char msg[512];
	int nifs;

	if (!conn)
		return 1;
	if (source && !streq(source, "lease") && !streq(source, "agent")) {
		fprintf(stderr, "error: domifaddr --source '%s' is not supported: only 'lease' (the DHCP leases of the "
				"domain's virtual networks) and 'agent' (the QEMU guest agent)\n", source);
		return 1;
	}
	if (sepvirt_domain_lookup(conn, cmd->argv[0], &d) < 0) {
		snprintf(msg, sizeof(msg), "failed to get domain '%s'", cmd->argv[0]);
		return vsh_fail(msg);
	}
	if (source && streq(source, "agent"))
		return domifaddr_agent(conn, &d, want, full);
	if ((nifs = sepvirt_domain_iflist(conn, d.uuid, &ifs)) < 0)
		return vsh_fail("Failed to query for interfaces addresses");
	printf(DOMIFADDR_HEADER);
	for (int i = 0; i < nifs; i++) {
		_cleanup_free_ sepvirt_network_lease *leases = NULL;
		const char *name = ifs[i].target[0] ? ifs[i].target : "-";
		int nl;

		if (!streq(ifs[i].type, "network") || (want && !streq(want, name) && !streq(want, ifs[i].mac)))
			continue;
		nl = sepvirt_network_get_dhcp_leases(conn, ifs[i].source, ifs[i].mac, &leases);
		for (int j = 0; j < nl; j++) {
			char addr[64];
			snprintf(addr, sizeof(addr), "%s/%u", leases[j].address, leases[j].prefix);
			/* virsh names an interface's further addresses "-" unless --full */
			printf(" %-10s %-17s    %-12s %s\n", j && !full ? "-" : name, j && !full ? "-" : ifs[i].mac,
			       leases[j].ipv6 ? "ipv6" : "ipv4", addr);
		}
	}
	return 0;
}

const struct vsh_command vsh_network_commands[] = {
	{ "net-define", "define an inactive persistent virtual network from an XML file", NULL, file_pos, cmd_net_from_file },
	{ "net-create", "create a transient virtual network from an XML file and start it", NULL, file_pos, cmd_net_from_file },
	{ "net-undefine", "undefine a persistent network", NULL, net_pos, cmd_net_simple },
	{ "net-start", "start a (previously defined) inactive network", NULL, net_pos, cmd_net_simple },
	{ "net-destroy", "destroy (stop) a network", NULL, net_pos, cmd_net_simple },
	{ "net-list", "list networks (--all, --inactive, --name, --uuid)", list_opts, NULL, cmd_net_list },
	{ "net-info", "network information", NULL, net_pos, cmd_net_info },
	{ "net-dumpxml", "network information in XML (--inactive)", dumpxml_opts, net_pos, cmd_net_dumpxml },
	{ "net-autostart", "autostart a network (--disable)", autostart_opts, net_pos, cmd_net_autostart },
	{ "net-uuid", "convert a network name to network UUID", NULL, net_pos, cmd_net_uuid_name },
	{ "net-name", "convert a network UUID to network name", NULL, net_pos, cmd_net_uuid_name },
	{ "net-dhcp-leases", "print lease info for a given network (--mac)", leases_opts, net_pos, cmd_net_dhcp_leases },
	{ "net-update", "update parts of an existing network's configuration (ip-dhcp-host add, delete)", update_opts, update_pos, cmd_net_update },
	{ "domifaddr", "the addresses of a domain's interfaces from its networks' DHCP leases (--source lease) or its guest agent (--source agent)", domifaddr_opts, domifaddr_pos, cmd_domifaddr },
	{ NULL },
};
