/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh snapshot-*: virsh's names, output and exit codes. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const dom_pos[] = { "domain", NULL };
static const char *const dom_snap_pos[] = { "domain", "snapshotname?", NULL };
static const char *const dom_file_pos[] = { "domain", "xmlfile?", NULL };

/* Text made safe for an XML element. */
static char *xml_escape_text(const char *s)
{
	char *out = xmalloc(strlen(s) * 6 + 1), *p = out;

	for (; *s; s++) {
		const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
		if (rep)
			p += sprintf(p, "%s", rep);
		else
			*p++ = *s;
	}
	*p = '\0';
	return out;
}

static int create_print(struct vsh_ctl *ctl, const char *dom, const char *xml, const char *from)
{
	sepvirt_snapshot s;

	if (sepvirt_snapshot_create_xml(ctl->conn, dom, xml, 0, &s) < 0)
		return vsh_fail(NULL);
	if (from)
		printf("Domain snapshot %s created from '%s'\n", s.name, from);
	else
		printf("Domain snapshot %s created\n", s.name);
	return 0;
}

static const char *const create_as_opts[] = { "description=", NULL };
static const char *const create_as_pos[] = { "domain", "name?", NULL };

static int cmd_snapshot_create_as(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *desc = NULL;
	_cleanup_free_ char *xml = NULL, *name = NULL, *text = NULL;
	sepvirt_domain d;

	for (const struct vsh_command *c = vsh_snapshot_commands; c->name; c++)
		if (streq(c->name, cmd->name))
			desc = vsh_opt_value(cmd, c, "description");
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	name = cmd->argv[1] ? xml_escape_text(cmd->argv[1]) : NULL;
	text = desc ? xml_escape_text(desc) : NULL;
	xml = xasprintf("<domainsnapshot>%s%s%s%s%s%s</domainsnapshot>", name ? "<name>" : "", name ? name : "",
			name ? "</name>" : "", text ? "<description>" : "", text ? text : "",
			text ? "</description>" : "");
	return create_print(ctl, d.uuid, xml, NULL);
}

static int cmd_snapshot_create(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_domain d;

	if (cmd->argv[1] && vsh_read_file(cmd->argv[1], &xml) < 0)
		return 1;
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	return create_print(ctl, d.uuid, xml ? xml : "<domainsnapshot/>", cmd->argv[1]);
}

/* The domain's snapshots (n, or -1 after printing the error). */
static int list_of(struct vsh_ctl *ctl, const char *arg, sepvirt_domain *d, sepvirt_snapshot **list)
{
	int n;

	if (vsh_lookup_domain(ctl, arg, d) < 0)
		return -1;
	n = sepvirt_snapshot_list(ctl->conn, d->uuid, list);
	if (n < 0)
		vsh_fail(NULL);
	return n;
}

static int by_creation(const void *a, const void *b)
{
	const sepvirt_snapshot *x = a, *y = b;

	if (x->creation_time != y->creation_time)
		return x->creation_time < y->creation_time ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const char *const list_opts[] = { "parent", "name", NULL };

static int cmd_snapshot_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Name", "Creation Time", "State", "Parent" };
	_cleanup_free_ sepvirt_snapshot *list = NULL;
	bool parent = vsh_flag(cmd, list_opts, "parent");
	sepvirt_domain d;
	struct vsh_table *t;
	int n = list_of(ctl, cmd->argv[0], &d, &list);

	if (n < 0)
		return 1;
	qsort(list, (size_t)n, sizeof(*list), by_creation);
	if (vsh_flag(cmd, list_opts, "name")) {
		for (int i = 0; i < n; i++)
			printf("%s\n", list[i].name);
		return 0;
	}
	t = vsh_table_new(parent ? 4 : 3, headers);
	for (int i = 0; i < n; i++) {
		char when[64];
		time_t tt = (time_t)list[i].creation_time;
		struct tm tm;
		localtime_r(&tt, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
		const char *row[] = { list[i].name, when, list[i].state, list[i].parent };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

/* The snapshot an argument names, or with --current (or none named) the current one. */
static const sepvirt_snapshot *pick(const sepvirt_snapshot *list, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (name ? streq(list[i].name, name) : list[i].current)
			return &list[i];
	if (name)
		fprintf(stderr, "error: Domain snapshot not found: no domain snapshot with matching name '%s'\n", name);
	else
		fprintf(stderr, "error: Domain snapshot not found: the domain does not have a current snapshot\n");
	return NULL;
}

static const char *const current_opt[] = { "current", NULL };

static int cmd_snapshot_info(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ sepvirt_snapshot *list = NULL;
	const sepvirt_snapshot *s;
	sepvirt_domain d;
	int n = list_of(ctl, cmd->argv[0], &d, &list), children = 0, descendants = 0;

	if (n < 0 || !(s = pick(list, n, vsh_flag(cmd, current_opt, "current") ? NULL : cmd->argv[1])))
		return 1;
	for (int i = 0; i < n; i++) {
		children += streq(list[i].parent, s->name);
		/* a descendant: s is on its way up */
		for (const sepvirt_snapshot *p = &list[i]; p && p->parent[0];) {
			const sepvirt_snapshot *up = NULL;
			if (streq(p->parent, s->name)) {
				descendants++;
				break;
			}
			for (int k = 0; k < n; k++)
				if (streq(list[k].name, p->parent))
					up = &list[k];
			p = up;
		}
	}
	printf("%-15s %s\n", "Name:", s->name);
	printf("%-15s %s\n", "Domain:", d.name);
	printf("%-15s %s\n", "Current:", s->current ? "yes" : "no");
	printf("%-15s %s\n", "State:", s->state);
	printf("%-15s %s\n", "Location:", "internal");
	printf("%-15s %s\n", "Parent:", s->parent[0] ? s->parent : "-");
	printf("%-15s %d\n", "Children:", children);
	printf("%-15s %d\n", "Descendants:", descendants);
	printf("%-15s %s\n", "Metadata:", "yes");
	return 0;
}

static const char *const name_opt[] = { "name", NULL };

static int cmd_snapshot_current(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ sepvirt_snapshot *list = NULL;
	_cleanup_free_ char *xml = NULL;
	const sepvirt_snapshot *s;
	sepvirt_domain d;
	int n = list_of(ctl, cmd->argv[0], &d, &list);

	if (n < 0 || !(s = pick(list, n, NULL)))
		return 1;
	if (vsh_flag(cmd, name_opt, "name")) {
		printf("%s\n", s->name);
		return 0;
	}
	if (!(xml = sepvirt_snapshot_get_xml(ctl->conn, d.uuid, s->name)))
		return vsh_fail(NULL);
	printf("%s\n", xml);
	return 0;
}

static int cmd_snapshot_dumpxml(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_domain d;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (!(xml = sepvirt_snapshot_get_xml(ctl->conn, d.uuid, cmd->argv[1])))
		return vsh_fail(NULL);
	printf("%s\n", xml);
	return 0;
}

/* revert and delete: the snapshot named, or with --current the current one. */
static int cmd_snapshot_act(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool revert = streq(cmd->name, "snapshot-revert");
	_cleanup_free_ sepvirt_snapshot *list = NULL;
	const char *name = cmd->argv[1];
	char which[160];
	sepvirt_domain d;
	int n;

	if (vsh_flag(cmd, current_opt, "current") || !name) {
		const sepvirt_snapshot *s;
		if ((n = list_of(ctl, cmd->argv[0], &d, &list)) < 0 || !(s = pick(list, n, NULL)))
			return 1;
		snprintf(which, sizeof(which), "%s", s->name);
		name = which;
	} else if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0) {
		return 1;
	}
	if ((revert ? sepvirt_snapshot_revert : sepvirt_snapshot_delete)(ctl->conn, d.uuid, name) < 0)
		return vsh_fail(NULL);
	if (!revert)
		printf("Domain snapshot %s deleted\n", name);
	return 0;
}

static const char *const dumpxml_pos[] = { "domain", "snapshotname", NULL };

const struct vsh_command vsh_snapshot_commands[] = {
	{ "snapshot-create-as", "create an internal snapshot of a running domain (qcow2 disks) [--description TEXT]", create_as_opts, create_as_pos, cmd_snapshot_create_as },
	{ "snapshot-create", "create an internal snapshot from XML (name, description)", NULL, dom_file_pos, cmd_snapshot_create },
	{ "snapshot-list", "list the domain's snapshots (--parent, --name)", list_opts, dom_pos, cmd_snapshot_list },
	{ "snapshot-info", "snapshot information (--current)", current_opt, dom_snap_pos, cmd_snapshot_info },
	{ "snapshot-current", "the current snapshot's XML (--name: its name)", name_opt, dom_pos, cmd_snapshot_current },
	{ "snapshot-dumpxml", "a snapshot's XML", NULL, dumpxml_pos, cmd_snapshot_dumpxml },
	{ "snapshot-revert", "revert the domain to a snapshot (--current)", current_opt, dom_snap_pos, cmd_snapshot_act },
	{ "snapshot-delete", "delete a snapshot (--current)", current_opt, dom_snap_pos, cmd_snapshot_act },
	{ NULL },
};
