/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh domain commands, with virsh's names, output and exit codes. */
#include "config.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <strings.h>

#include "domain-state.h"
#include "sepvirsh.h"
#include "util.h"

static const char *const dom_pos[] = { "domain", NULL };
static const char *const file_pos[] = { "file", NULL };


/* define and create: the same but for the call and the words. */
static int cmd_define(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool create = !strcmp(cmd->name, "create");
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_domain d;
	unsigned flags = (cmd->flags & 1) ? SEPVIRT_DEFINE_VALIDATE : 0;

	if (vsh_read_file(cmd->argv[0], &xml) < 0)
		return 1;
	if (!(conn = vsh_conn(ctl)))
		return 1;
	if ((create ? sepvirt_domain_create : sepvirt_domain_define)(conn, xml, flags, &d) < 0) {
		fprintf(stderr, "error: Failed to %s domain from %s\n", create ? "create" : "define", cmd->argv[0]);
		return vsh_fail(NULL);
	}
	printf("Domain '%s' %s from %s\n", d.name, create ? "created" : "defined", cmd->argv[0]);
	return 0;
}

/* The commands that act on one domain and print one line. */
struct simple_action {
	const char *cmd;
	int (*fn)(sepvirt_conn *, const char *);
	const char *done; /* "Domain 'NAME' <done>" */
};

static const struct simple_action actions[] = {
	{ "start", sepvirt_domain_start, "started" },
	{ "destroy", sepvirt_domain_destroy, "destroyed" },
	{ "reboot", sepvirt_domain_reboot, "is being rebooted" },
	{ "suspend", sepvirt_domain_suspend, "suspended" },
	{ "resume", sepvirt_domain_resume, "resumed" },
	{ "reset", sepvirt_domain_reset, "was reset" },
};



static const char *const start_opts[] = { "paused", "force-boot", "autodestroy", "console", NULL };

static int cmd_simple(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		const struct simple_action *a = &actions[i];
		sepvirt_domain d;
		char msg[512];

		if (!streq(a->cmd, cmd->name))
			continue;
		if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
			return 1;
		unsigned start_flags = 0;
		if (streq(a->cmd, "start"))
			start_flags = (vsh_flag(cmd, start_opts, "paused") ? SEPVIRT_START_PAUSED : 0) |
				      (vsh_flag(cmd, start_opts, "autodestroy") ? SEPVIRT_START_AUTODESTROY : 0);
		/* --force-boot: a fresh boot, the managed save image discarded (as virsh's) */
		if (streq(a->cmd, "start") && vsh_flag(cmd, start_opts, "force-boot") &&
		    sepvirt_domain_has_managed_save(ctl->conn, d.uuid) > 0 &&
		    sepvirt_domain_managed_save_remove(ctl->conn, d.uuid) < 0) {
			snprintf(msg, sizeof(msg), "Failed to start domain '%s'", d.name);
			return vsh_fail(msg);
		}
		if ((start_flags ? sepvirt_domain_start_flags(ctl->conn, d.name, start_flags) : a->fn(ctl->conn, d.name)) < 0) {
			snprintf(msg, sizeof(msg), "Failed to %s domain '%s'", a->cmd, d.name);
			return vsh_fail(msg);
		}
		printf("Domain '%s' %s\n", d.name, a->done);
		if (streq(a->cmd, "start") && vsh_flag(cmd, start_opts, "console")) {
			fflush(stdout);
			return vsh_console_run(ctl, &d, NULL);
		}
		return 0;
	}
	return 1;
}

static const char *const list_opts[] = {
	"all", "name", "uuid", "inactive", "transient", "persistent", "with-snapshot", "without-snapshot",
	"with-checkpoint", "without-checkpoint", "state-running", "state-paused", "state-shutoff", "state-other",
	"autostart", "no-autostart", "with-managed-save", "without-managed-save", "id", "table", "managed-save",
	"title", NULL,
};

/* virsh's order: running domains by id, then the others by name, case ignored. */
static int list_order(const void *a, const void *b)
{
	const sepvirt_domain *x = a, *y = b;

	if (x->id >= 0 && y->id >= 0)
		return (x->id > y->id) - (x->id < y->id);
	if (x->id >= 0 || y->id >= 0)
		return x->id >= 0 ? -1 : 1;
	return strcasecmp(x->name, y->name);
}

/* virConnectListAllDomains' filters as virsh sets them: within a group any flag given matches,
 * a group without one matches all, and a domain must match every group. */
static bool has_snapshot(sepvirt_conn *conn, const sepvirt_domain *d)
{
	_cleanup_free_ sepvirt_snapshot *snaps = NULL;

	return sepvirt_snapshot_list(conn, d->uuid, &snaps) > 0;
}

static bool list_match(sepvirt_conn *conn, const struct vsh_cmd *cmd, const sepvirt_domain *d)
{
#define HAS(o) vsh_flag(cmd, list_opts, o)
	bool active = d->id >= 0, shutoff = d->state == SEPVIRT_DOMAIN_SHUTOFF;
	bool running = d->state == SEPVIRT_DOMAIN_RUNNING, paused = d->state == SEPVIRT_DOMAIN_PAUSED;
	bool want_inactive = HAS("inactive") || HAS("state-shutoff") || HAS("all");
	bool want_active = HAS("all") || !want_inactive;

	if (!(active ? want_active : want_inactive))
		return false;
	if ((HAS("persistent") || HAS("transient")) && !(d->persistent ? HAS("persistent") : HAS("transient")))
		return false;
	if ((HAS("autostart") || HAS("no-autostart")) && !(d->autostart ? HAS("autostart") : HAS("no-autostart")))
		return false;
	/* asked of the driver only when a filter needs it */
	if ((HAS("with-managed-save") || HAS("without-managed-save")) &&
	    !(sepvirt_domain_has_managed_save(conn, d->uuid) > 0 ? HAS("with-managed-save") : HAS("without-managed-save")))
		return false;
	if ((HAS("with-snapshot") || HAS("without-snapshot")) &&
	    !(has_snapshot(conn, d) ? HAS("with-snapshot") : HAS("without-snapshot")))
		return false;
	/* no domain has a checkpoint (none can be made yet) */
	if ((HAS("with-checkpoint") || HAS("without-checkpoint")) && !HAS("without-checkpoint"))
		return false;
	if (HAS("state-running") || HAS("state-paused") || HAS("state-shutoff") || HAS("state-other"))
		return running ? HAS("state-running") : paused ? HAS("state-paused") : shutoff ? HAS("state-shutoff")
									   : HAS("state-other");
	return true;
#undef HAS
}

/* The domain's <title>, "" when it has none. */
static char *domain_title(sepvirt_conn *conn, const sepvirt_domain *d)
{
	_cleanup_free_ char *xml = sepvirt_domain_get_xml(conn, d->uuid, 0);
	xmlDoc *doc = xml ? xmlReadMemory(xml, strlen(xml), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR) : NULL;
	char *title = NULL;

	for (xmlNode *n = doc ? xmlDocGetRootElement(doc)->children : NULL; n && !title; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "title")) {
			xmlChar *t = xmlNodeGetContent(n);
			title = xstrdup((const char *)t);
			xmlFree(t);
		}
	xmlFreeDoc(doc);
	return title ? title : xstrdup("");
}

static int cmd_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Id", "Name", "State", "Title" };
	bool names = vsh_flag(cmd, list_opts, "name"), uuids = vsh_flag(cmd, list_opts, "uuid");
	bool ids = vsh_flag(cmd, list_opts, "id"), title = vsh_flag(cmd, list_opts, "title");
	_cleanup_free_ sepvirt_domain *list = NULL;
	sepvirt_conn *conn;
	int n;

	for (int i = 0; vsh_flag(cmd, list_opts, "table") && i < 3; i++)
		if (vsh_flag(cmd, list_opts, (const char *[]){ "name", "uuid", "id" }[i])) {
			fprintf(stderr, "error: Options --table and --%s are mutually exclusive\n",
				(const char *[]){ "name", "uuid", "id" }[i]);
			return 1;
		}
	if (!(conn = vsh_conn(ctl)))
		return 1;
	n = sepvirt_domain_list(conn, SEPVIRT_LIST_ALL, &list);
	if (n < 0)
		return vsh_fail("failed to list domains");
	qsort(list, n, sizeof(*list), list_order);
	if (names || uuids || ids) {
		for (int i = 0; i < n; i++) {
			const char *sep = "";
			if (!list_match(conn, cmd, &list[i]) || (ids && !names && !uuids && list[i].id < 0))
				continue;
			if (uuids) {
				printf("%s", list[i].uuid);
				sep = " ";
			}
			if (ids) {
				if (list[i].id >= 0)
					printf("%s%d", sep, list[i].id);
				else
					printf("%s-", sep);
				sep = " ";
			}
			if (names)
				printf("%s%s", sep, list[i].name);
			printf("\n");
		}
		return 0;
	}
	struct vsh_table *t = vsh_table_new(title ? 4 : 3, headers);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *tt = NULL;
		char id[16];
		if (!list_match(conn, cmd, &list[i]))
			continue;
		if (list[i].id >= 0)
			snprintf(id, sizeof(id), "%d", list[i].id);
		else
			snprintf(id, sizeof(id), "-");
		if (title)
			tt = domain_title(conn, &list[i]);
		const char *state = domain_state_name(list[i].state);
		/* --managed-save: a shut-off domain with an image reads "saved", as virsh's */
		if (vsh_flag(cmd, list_opts, "managed-save") && list[i].id < 0 &&
		    sepvirt_domain_has_managed_save(conn, list[i].uuid) > 0)
			state = "saved";
		const char *row[] = { id, list[i].name, state, tt };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static const char *const dumpxml_opts[] = { "inactive", "xpath=", "wrap", NULL };

static int cmd_dumpxml(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_domain d;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	xml = sepvirt_domain_get_xml(ctl->conn, d.uuid, (cmd->flags & 1) ? SEPVIRT_XML_INACTIVE : 0);
	if (!xml)
		return vsh_fail(NULL);
	if (cmd->optvals[1])
		return vsh_print_xpath(xml, cmd->optvals[1], cmd->flags & 4);
	fputs(xml, stdout);
	if (xml[0] && xml[strlen(xml) - 1] != '\n')
		putchar('\n');
	return 0;
}

static const char *const domstate_opts[] = { "reason", NULL };

static int cmd_domstate(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	int state, reason;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_get_state(ctl->conn, d.uuid, &state, &reason) < 0)
		return vsh_fail(NULL);
	if (cmd->flags & 1)
		printf("%s (%s)\n", domain_state_name(state), domain_reason_name(state, reason));
	else
		printf("%s\n", domain_state_name(state));
	return 0;
}

/* As virsh domcontrol prints it; an unresponsive monitor also says which command it left
 * unanswered. */
static int cmd_domcontrol(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain_control_info info;
	sepvirt_domain d;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_get_control_info(ctl->conn, d.uuid, &info) < 0)
		return vsh_fail(NULL);
	switch (info.state) {
	case SEPVIRT_DOMAIN_CONTROL_OK:
		printf("ok\n");
		break;
	case SEPVIRT_DOMAIN_CONTROL_JOB:
		printf("background job (%s, %.3fs)\n", info.job, info.state_time_ms / 1000.0);
		break;
	case SEPVIRT_DOMAIN_CONTROL_OCCUPIED:
		printf("occupied (%.3fs)\n", info.state_time_ms / 1000.0);
		break;
	default:
		printf("error (monitor failure: %s)\n", info.message);
		break;
	}
	return 0;
}

static int cmd_dominfo(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain_info info;
	sepvirt_domain d;
	int has_save;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_get_info(ctl->conn, d.uuid, &info) < 0)
		return vsh_fail(NULL);
	if (info.dom.id >= 0)
		printf("%-15s %d\n", "Id:", info.dom.id);
	else
		printf("%-15s %s\n", "Id:", "-");
	printf("%-15s %s\n", "Name:", info.dom.name);
	printf("%-15s %s\n", "UUID:", info.dom.uuid);
	printf("%-15s %s\n", "OS Type:", info.os_type);
	printf("%-15s %s\n", "State:", domain_state_name(info.dom.state));
	printf("%-15s %u\n", "CPU(s):", info.vcpus);
	if (info.dom.id >= 0)
		printf("%-15s %.1fs\n", "CPU time:", info.cpu_time_ns / 1e9);
	printf("%-15s %llu KiB\n", "Max memory:", (unsigned long long)info.max_memory_kib);
	printf("%-15s %llu KiB\n", "Used memory:", (unsigned long long)info.memory_kib);
	printf("%-15s %s\n", "Persistent:", info.dom.persistent ? "yes" : "no");
	printf("%-15s %s\n", "Autostart:", info.dom.autostart ? "enable" : "disable");
	has_save = sepvirt_domain_has_managed_save(ctl->conn, d.uuid);
	printf("%-15s %s\n", "Managed save:", has_save > 0 ? "yes" : has_save == 0 ? "no" : "unknown");
	printf("%-15s %s\n", "Security model:", info.security_model[0] ? info.security_model : "none");
	printf("%-15s %s\n", "Security DOI:", "0");
	return 0;
}

static int cmd_domiflist(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Interface", "Type", "Source", "Model", "MAC" };
	_cleanup_free_ sepvirt_domain_iface *list = NULL;
	sepvirt_domain d;
	int n;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_iflist(ctl->conn, d.uuid, &list);
	if (n < 0)
		return vsh_fail(NULL);
	struct vsh_table *t = vsh_table_new(5, headers);
	for (int i = 0; i < n; i++) {
		const char *row[] = { list[i].target[0] ? list[i].target : "-", list[i].type,
				      list[i].source[0] ? list[i].source : "-", list[i].model[0] ? list[i].model : "-",
				      list[i].mac };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static int cmd_domuuid(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	printf("%s\n", d.uuid);
	return 0;
}

static int cmd_domid(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (d.id >= 0)
		printf("%d\n", d.id);
	else
		printf("-\n");
	return 0;
}

static int cmd_domname(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_domain d;
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	printf("%s\n", d.name);
	return 0;
}

static const char *const autostart_opts[] = { "disable", NULL };

static int cmd_autostart(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool disable = cmd->flags & 1;
	sepvirt_domain d;
	char msg[512];

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (sepvirt_domain_set_autostart(ctl->conn, d.uuid, !disable) < 0) {
		snprintf(msg, sizeof(msg), "Failed to %smark domain '%s' as autostarted", disable ? "un" : "", d.name);
		return vsh_fail(msg);
	}
	printf("Domain '%s' %s as autostarted\n", d.name, disable ? "unmarked" : "marked");
	return 0;
}

static const char *const taps_pos[] = { NULL };

static int cmd_tap_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Device", "Kind", "Managed", "Domain", "Interface" };
	_cleanup_free_ sepvirt_tap *list = NULL;
	sepvirt_conn *conn = vsh_conn(ctl);
	int n;

	if (!conn)
		return 1;
	n = sepvirt_net_list_taps(conn, NULL, &list);
	if (n < 0)
		return vsh_fail("failed to list the devices netd holds");
	struct vsh_table *t = vsh_table_new(5, headers);
	for (int i = 0; i < n; i++) {
		char idx[16];
		snprintf(idx, sizeof(idx), "%u", list[i].iface_index);
		const char *row[] = { list[i].ifname, list[i].kind, list[i].managed ? "yes" : "no",
				      list[i].domain_name[0] ? list[i].domain_name : list[i].domain_uuid, idx };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static const char *const define_opts[] = { "validate", NULL };
static const char *const to_native_opts[] = { "domain=", "xml=", NULL };
static const char *const to_native_pos[] = { "format", "xml?", NULL };

/* virsh domxml-to-native FORMAT (XMLFILE | --xml XMLFILE | --domain NAME): the command line the
 * driver would run, from a file or a domain's current XML. */
static int cmd_domxml_to_native(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *file = cmd->argv[1] ? cmd->argv[1] : cmd->optvals[1];
	_cleanup_free_ char *xml = NULL, *native = NULL;
	sepvirt_conn *conn;
	sepvirt_domain d;

	if ((file != NULL) == (cmd->optvals[0] != NULL)) {
		fprintf(stderr, "error: command 'domxml-to-native' requires exactly one of --domain and an XML file\n");
		return 1;
	}
	if (file && vsh_read_file(file, &xml) < 0)
		return 1;
	if (!(conn = vsh_conn(ctl)))
		return 1;
	if (!file) {
		if (vsh_lookup_domain(ctl, cmd->optvals[0], &d) < 0)
			return 1;
		if (!(xml = sepvirt_domain_get_xml(conn, d.uuid, 0)))
			return vsh_fail(NULL);
	}
	native = sepvirt_connect_domain_xml_to_native(conn, cmd->argv[0], xml, 0);
	if (!native)
		return vsh_fail(NULL);
	printf("%s\n", native);
	return 0;
}

static const char *const from_native_pos[] = { "format", "config", NULL };

/* virsh domxml-from-native: libvirt's QEMU driver has not turned a command line into XML since
 * 5.5.0, and neither does sepvirt; the config is read first, as virsh reads it. */
static int cmd_domxml_from_native(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *config = NULL;

	if (vsh_read_file(cmd->argv[1], &config) < 0)
		return 1;
	fprintf(stderr, "error: this function is not supported by the connection driver: virConnectDomainXMLFromNative\n");
	return 1;
}

const struct vsh_command vsh_domain_commands[] = {
	{ "define", "define a domain from an XML file (--validate: check it against the schema)", define_opts, file_pos, cmd_define },
	{ "create", "create and start a transient domain from an XML file (--validate)", define_opts, file_pos, cmd_define },
	{ "list", "list domains (--all, --inactive, --state-*, --persistent, --autostart, --name, --uuid, --title...)", list_opts, NULL, cmd_list },
	{ "start", "start a (previously defined) inactive domain (--paused, --console, --autodestroy, --force-boot); one with a managed save image resumes from it", start_opts, dom_pos, cmd_simple },
	{ "reset", "reset a domain at once, as its reset button", NULL, dom_pos, cmd_simple },
	{ "destroy", "stop a domain at once", NULL, dom_pos, cmd_simple },
	{ "reboot", "reboot a domain", NULL, dom_pos, cmd_simple },
	{ "suspend", "suspend (pause) a domain", NULL, dom_pos, cmd_simple },
	{ "resume", "resume a suspended domain", NULL, dom_pos, cmd_simple },
	{ "dumpxml", "domain information in XML (--inactive: the persistent definition; --xpath EXPR [--wrap])", dumpxml_opts, dom_pos, cmd_dumpxml },
	{ "domxml-from-native", "not supported, as by libvirt's QEMU driver since 5.5.0", NULL, from_native_pos, cmd_domxml_from_native },
	{ "domxml-to-native", "the QEMU command line for a domain XML file or --domain NAME (format qemu-argv)", to_native_opts, to_native_pos, cmd_domxml_to_native },
	{ "domblklist", "list all domain blocks (--inactive, --details)", vsh_domblklist_opts, dom_pos, vsh_cmd_domblklist },
	{ "vncdisplay", "the VNC display's address and number", NULL, dom_pos, vsh_cmd_vncdisplay },
	{ "domdisplay", "domain display connection URI (--type vnc, --all, --include-password)", vsh_domdisplay_opts, dom_pos, vsh_cmd_domdisplay },
	{ "edit", "edit the domain's XML configuration in $VISUAL or $EDITOR (--skip-validate)", vsh_edit_opts, dom_pos, vsh_cmd_edit },
	{ "domstate", "domain state (--reason)", domstate_opts, dom_pos, cmd_domstate },
	{ "domcontrol", "what the driver is doing with the domain", NULL, dom_pos, cmd_domcontrol },
	{ "dominfo", "domain information", NULL, dom_pos, cmd_dominfo },
	{ "domiflist", "list the domain's network interfaces", NULL, dom_pos, cmd_domiflist },
	{ "domuuid", "convert a domain name or id to its UUID", NULL, dom_pos, cmd_domuuid },
	{ "domid", "convert a domain name or UUID to its id", NULL, dom_pos, cmd_domid },
	{ "domname", "convert a domain id or UUID to its name", NULL, dom_pos, cmd_domname },
	{ "autostart", "start the domain when its driver starts (--disable)", autostart_opts, dom_pos, cmd_autostart },
	{ "tap-list", "list the taps and veths sepvirt-netd holds for domains", NULL, taps_pos, cmd_tap_list },
	{ NULL },
};
