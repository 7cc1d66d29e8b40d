/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh pool-* and vol-* commands, with virsh's names, output and exit codes. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <strings.h>

#include "frame.h"
#include "sepvirsh.h"
#include "util.h"
#include "xml/units.h"

static const char *const pool_pos[] = { "pool", NULL };
static const char *const file_pos[] = { "file", NULL };
static const char *const vol_pos[] = { "vol", NULL };
static const char *const pool_opt[] = { "pool=", NULL };

/* virsh lists pools and volumes by name, case ignored. */
static int by_name_pool(const void *a, const void *b)
{
	return strcasecmp(((const sepvirt_pool *)a)->name, ((const sepvirt_pool *)b)->name);
}

static int by_name_vol(const void *a, const void *b)
{
	return strcasecmp(((const sepvirt_vol *)a)->name, ((const sepvirt_vol *)b)->name);
}


/* virsh's vshPrettyCapacity: "%.2lf %s" in B, KiB, MiB ... */
static const char *pretty(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.2f %s", v, units[u]);
	return buf;
}

/* "10G", "512M", "1000000", "5GB": a number with an optional unit (default bytes). */
static int parse_size(const char *arg, uint64_t *out)
{
	struct sv_error err;
	unsigned long long v;
	size_t digits = strspn(arg, "0123456789");
	_cleanup_free_ char *num = xstrndup(arg, digits);

	if (!digits || sv_units_parse(num, arg + digits, 1, UINT64_MAX, &v, &err) < 0) {
		fprintf(stderr, "error: Malformed size %s\n", arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* Looks the pool up first, as virsh does, so a missing pool reads "failed to get pool". */
static sepvirt_conn *get_pool(struct vsh_ctl *ctl, const char *arg, sepvirt_pool *p)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	char msg[512];

	if (!conn)
		return NULL;
	if (sepvirt_pool_get_info(conn, arg, p) < 0) {
		snprintf(msg, sizeof(msg), "failed to get pool '%s'", arg);
		vsh_fail(msg);
		return NULL;
	}
	return conn;
}

static sepvirt_conn *get_vol(struct vsh_ctl *ctl, const char *pool, const char *arg, sepvirt_vol *v)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	const sepvirt_error *e;
	char msg[512];

	if (!conn)
		return NULL;
	if (sepvirt_vol_get_info(conn, pool, arg, v) < 0) {
		e = sepvirt_last_error();
		if (e && e->code == SEPVIRT_ERR_NO_POOL)
			snprintf(msg, sizeof(msg), "failed to get pool '%s'", pool);
		else
			snprintf(msg, sizeof(msg), "failed to get vol '%s'", arg);
		vsh_fail(msg);
		return NULL;
	}
	return conn;
}

static int cmd_pool_define(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_pool p;
	char msg[512];

	if (vsh_read_file(cmd->argv[0], &xml) < 0 || !(conn = vsh_conn(ctl)))
		return 1;
	if (sepvirt_pool_define(conn, xml, &p) < 0) {
		snprintf(msg, sizeof(msg), "Failed to define pool from %s", cmd->argv[0]);
		return vsh_fail(msg);
	}
	printf("Pool %s defined from %s\n", p.name, cmd->argv[0]);
	return 0;
}

/* The commands that act on one pool and print one line. */
struct pool_action {
	const char *cmd;
	int (*fn)(sepvirt_conn *, const char *);
	const char *verb; /* "Failed to <verb> pool NAME" */
	const char *done; /* "Pool NAME <done>" */
};

static const struct pool_action pool_actions[] = {
	{ "pool-build", sepvirt_pool_build, "build", "built" },
	{ "pool-start", sepvirt_pool_start, "start", "started" },
	{ "pool-destroy", sepvirt_pool_destroy, "destroy", "destroyed" },
	{ "pool-undefine", sepvirt_pool_undefine, "undefine", "has been undefined" },
	{ "pool-refresh", sepvirt_pool_refresh, "refresh", "refreshed" },
};

static int cmd_pool_simple(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(pool_actions); i++) {
		const struct pool_action *a = &pool_actions[i];
		sepvirt_conn *conn;
		sepvirt_pool p;
		char msg[512];

		if (!streq(a->cmd, cmd->name))
			continue;
		if (!(conn = get_pool(ctl, cmd->argv[0], &p)))
			return 1;
		if (a->fn(conn, p.name) < 0) {
			snprintf(msg, sizeof(msg), "Failed to %s pool %s", a->verb, p.name);
			return vsh_fail(msg);
		}
		printf("Pool %s %s\n", p.name, a->done);
		return 0;
	}
	return 1;
}

static const char *const pool_autostart_opts[] = { "disable", NULL };

static int cmd_pool_autostart(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool disable = cmd->flags & 1;
	sepvirt_conn *conn;
	sepvirt_pool p;
	char msg[512];

	if (!(conn = get_pool(ctl, cmd->argv[0], &p)))
		return 1;
	if (sepvirt_pool_set_autostart(conn, p.name, !disable) < 0) {
		snprintf(msg, sizeof(msg), "failed to %smark pool %s as autostarted", disable ? "un" : "", p.name);
		return vsh_fail(msg);
	}
	printf("Pool %s %s as autostarted\n", p.name, disable ? "unmarked" : "marked");
	return 0;
}

static const char *const pool_list_opts[] = { "all", "inactive", "details", "name", "uuid", NULL };

static int cmd_pool_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Name", "State", "Autostart" };
	static const char *const dheaders[] = { "Name", "State", "Autostart", "Persistent", "Capacity", "Allocation",
						"Available" };
	bool all = cmd->flags & 1, inactive = cmd->flags & 2, details = cmd->flags & 4, names = cmd->flags & 8,
	     uuids = cmd->flags & 16;
	_cleanup_free_ sepvirt_pool *list = NULL;
	sepvirt_conn *conn = vsh_conn(ctl);
	struct vsh_table *t;
	int n;

	if (!conn)
		return 1;
	n = sepvirt_pool_list(conn, (all || inactive) ? SEPVIRT_LIST_ALL : 0, &list);
	if (n < 0)
		return vsh_fail("Failed to list pools");
	qsort(list, n, sizeof(*list), by_name_pool);
	if ((names || uuids) && !details) {
		/* virsh's columns: the UUID padded to 36, the name to 20 */
		for (int i = 0; i < n; i++) {
			if (inactive && list[i].active)
				continue;
			if (uuids)
				printf("%-36s%c", list[i].uuid, names ? ' ' : '\n');
			if (names)
				printf("%-20s\n", list[i].name);
		}
		return 0;
	}
	t = vsh_table_new(details ? 7 : 3, details ? dheaders : headers);
	for (int i = 0; i < n; i++) {
		const sepvirt_pool *p = &list[i];
		char cap[32], alloc[32], avail[32];
		if (inactive && p->active)
			continue;
		const char *row[] = { p->name, details ? (p->active ? "running" : "inactive") : (p->active ? "active" : "inactive"),
				      p->autostart ? "yes" : "no", p->persistent ? "yes" : "no",
				      p->active ? pretty(p->capacity, cap, sizeof(cap)) : "-",
				      p->active ? pretty(p->allocation, alloc, sizeof(alloc)) : "-",
				      p->active ? pretty(p->available, avail, sizeof(avail)) : "-" };
		if (!details)
			row[2] = p->autostart ? "yes" : "no";
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static const char *const pool_info_opts[] = { "bytes", NULL };

static int cmd_pool_info(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool bytes = cmd->flags & 1;
	sepvirt_pool p;
	char buf[32];

	if (!get_pool(ctl, cmd->argv[0], &p))
		return 1;
	printf("%-15s %s\n", "Name:", p.name);
	printf("%-15s %s\n", "UUID:", p.uuid);
	printf("%-15s %s\n", "State:", p.active ? "running" : "inactive");
	printf("%-15s %s\n", "Persistent:", p.persistent ? "yes" : "no");
	printf("%-15s %s\n", "Autostart:", p.autostart ? "yes" : "no");
	if (p.active) {
		const uint64_t v[] = { p.capacity, p.allocation, p.available };
		const char *const k[] = { "Capacity:", "Allocation:", "Available:" };
		for (size_t i = 0; i < 3; i++) {
			if (bytes)
				printf("%-15s %llu\n", k[i], (unsigned long long)v[i]);
			else
				printf("%-15s %s\n", k[i], pretty(v[i], buf, sizeof(buf)));
		}
	}
	return 0;
}

static void print_xml(const char *xml)
{
	fputs(xml, stdout);
	if (xml[0] && xml[strlen(xml) - 1] != '\n')
		putchar('\n');
}

static int cmd_pool_dumpxml(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_pool p;

	if (!(conn = get_pool(ctl, cmd->argv[0], &p)))
		return 1;
	if (!(xml = sepvirt_pool_get_xml(conn, p.name)))
		return vsh_fail(NULL);
	print_xml(xml);
	return 0;
}

static const char *const vol_create_pos[] = { "pool", "file", NULL };

static int cmd_vol_create(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_pool p;
	sepvirt_vol v;
	char msg[512];

	if (vsh_read_file(cmd->argv[1], &xml) < 0 || !(conn = get_pool(ctl, cmd->argv[0], &p)))
		return 1;
	if (sepvirt_vol_create(conn, p.name, xml, &v) < 0) {
		snprintf(msg, sizeof(msg), "Failed to create vol from %s", cmd->argv[1]);
		return vsh_fail(msg);
	}
	printf("Vol %s created from %s\n", v.name, cmd->argv[1]);
	return 0;
}

static const char *const vol_create_as_pos[] = { "pool", "name", "capacity", NULL };
static const char *const vol_create_as_opts[] = { "format=", "allocation=", "backing-vol=", "backing-vol-format=",
						  NULL };

/* Escapes the few characters XML text cannot hold as they are. */
static char *xml_escape(const char *s)
{
	size_t len = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		len += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : 1;
	o = out = xmalloc(len + 1);
	for (const char *p = s; *p; p++)
		o += sprintf(o, "%s", *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : (char[]){ *p, 0 });
	*o = '\0';
	return out;
}

static int cmd_vol_create_as(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *format = cmd->optvals[0], *alloc_arg = cmd->optvals[1];
	const char *backing = cmd->optvals[2], *backing_fmt = cmd->optvals[3];
	_cleanup_free_ char *name = xml_escape(cmd->argv[1]), *xml = NULL, *bxml = NULL, *alloc_xml = NULL;
	uint64_t capacity, allocation = 0;
	sepvirt_conn *conn;
	sepvirt_pool p;
	sepvirt_vol v;
	char msg[512];

	if (parse_size(cmd->argv[2], &capacity) < 0 || (alloc_arg && parse_size(alloc_arg, &allocation) < 0))
		return 1;
	if (!(conn = get_pool(ctl, cmd->argv[0], &p)))
		return 1;
	if (backing) {
		_cleanup_free_ char *b = xml_escape(backing);
		/* virsh takes the backing volume by name in the same pool, or by path */
		sepvirt_vol bv;
		if (sepvirt_vol_get_info(conn, backing[0] == '/' ? NULL : p.name, backing, &bv) < 0) {
			snprintf(msg, sizeof(msg), "failed to get vol '%s'", backing);
			return vsh_fail(msg);
		}
		free(b);
		b = xml_escape(bv.path);
		bxml = xasprintf("<backingStore><path>%s</path><format type='%s'/></backingStore>", b,
				 backing_fmt ? backing_fmt : bv.format);
	}
	if (alloc_arg)
		alloc_xml = xasprintf("<allocation>%llu</allocation>", (unsigned long long)allocation);
	xml = xasprintf("<volume><name>%s</name><capacity>%llu</capacity>%s<target><format type='%s'/></target>%s</volume>",
			name, (unsigned long long)capacity, alloc_xml ? alloc_xml : "", format ? format : "raw",
			bxml ? bxml : "");
	if (sepvirt_vol_create(conn, p.name, xml, &v) < 0) {
		snprintf(msg, sizeof(msg), "Failed to create vol %s", cmd->argv[1]);
		return vsh_fail(msg);
	}
	printf("Vol %s created\n", v.name);
	return 0;
}

static int cmd_vol_delete(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_conn *conn;
	sepvirt_vol v;
	char msg[512];

	if (!(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	if (sepvirt_vol_delete(conn, v.pool, v.name) < 0) {
		snprintf(msg, sizeof(msg), "Failed to delete vol %s", v.name);
		return vsh_fail(msg);
	}
	printf("Vol %s deleted\n", cmd->argv[0]);
	return 0;
}

static const char *const vol_list_opts[] = { "details", NULL };

static int cmd_vol_list(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Name", "Path" };
	static const char *const dheaders[] = { "Name", "Path", "Type", "Capacity", "Allocation" };
	bool details = cmd->flags & 1;
	_cleanup_free_ sepvirt_vol *list = NULL;
	sepvirt_conn *conn;
	struct vsh_table *t;
	sepvirt_pool p;
	int n;

	if (!(conn = get_pool(ctl, cmd->argv[0], &p)))
		return 1;
	n = sepvirt_vol_list(conn, p.name, &list);
	if (n < 0)
		return vsh_fail("Failed to list volumes");
	qsort(list, n, sizeof(*list), by_name_vol);
	t = vsh_table_new(details ? 5 : 2, details ? dheaders : headers);
	for (int i = 0; i < n; i++) {
		char cap[32], alloc[32];
		const char *row[] = { list[i].name, list[i].path, "file", pretty(list[i].capacity, cap, sizeof(cap)),
				      pretty(list[i].allocation, alloc, sizeof(alloc)) };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static const char *const vol_info_opts[] = { "pool=", "bytes", NULL };

static int cmd_vol_info(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool bytes = cmd->flags & 2;
	sepvirt_vol v;
	char buf[32];

	if (!get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v))
		return 1;
	printf("%-15s %s\n", "Name:", v.name);
	printf("%-15s %s\n", "Type:", "file");
	if (bytes) {
		printf("%-15s %llu bytes\n", "Capacity:", (unsigned long long)v.capacity);
		printf("%-15s %llu bytes\n", "Allocation:", (unsigned long long)v.allocation);
	} else {
		printf("%-15s %s\n", "Capacity:", pretty(v.capacity, buf, sizeof(buf)));
		printf("%-15s %s\n", "Allocation:", pretty(v.allocation, buf, sizeof(buf)));
	}
	return 0;
}

static int cmd_vol_path(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_vol v;

	if (!get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v))
		return 1;
	printf("%s\n", v.path);
	return 0;
}

static int cmd_vol_dumpxml(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_conn *conn;
	sepvirt_vol v;

	if (!(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	if (!(xml = sepvirt_vol_get_xml(conn, v.pool, v.name)))
		return vsh_fail(NULL);
	print_xml(xml);
	return 0;
}

static const char *const vol_resize_pos[] = { "vol", "capacity", NULL };
static const char *const vol_resize_opts[] = { "pool=", "delta", "shrink", "allocate", NULL };

static int cmd_vol_resize(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	unsigned flags = ((cmd->flags & 2) ? SEPVIRT_VOL_RESIZE_DELTA : 0) |
			 ((cmd->flags & 4) ? SEPVIRT_VOL_RESIZE_SHRINK : 0) |
			 ((cmd->flags & 8) ? SEPVIRT_VOL_RESIZE_ALLOCATE : 0);
	sepvirt_conn *conn;
	uint64_t capacity;
	sepvirt_vol v;
	char msg[512];

	if (parse_size(cmd->argv[1], &capacity) < 0 || !(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	if (sepvirt_vol_resize(conn, v.pool, v.name, capacity, flags) < 0) {
		snprintf(msg, sizeof(msg), "Failed to change size of volume '%s' to %s", v.name, cmd->argv[1]);
		return vsh_fail(msg);
	}
	printf("Size of volume '%s' successfully changed to %s\n", v.name, cmd->argv[1]);
	return 0;
}

static const char *const vol_clone_pos[] = { "vol", "newname", NULL };

static int cmd_vol_clone(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	sepvirt_conn *conn;
	sepvirt_vol v, out;
	char msg[512];

	if (!(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	if (sepvirt_vol_clone(conn, v.pool, v.name, cmd->argv[1], &out) < 0) {
		snprintf(msg, sizeof(msg), "Failed to clone vol from %s", v.name);
		return vsh_fail(msg);
	}
	printf("Vol %s cloned from %s\n", out.name, v.name);
	return 0;
}

static const char *const vol_file_pos[] = { "vol", "file", NULL };
static const char *const vol_transfer_opts[] = { "pool=", "offset=", "length=", NULL };

/* --offset and --length: bytes, as virsh takes them; false (said) when malformed. */
static bool transfer_range(const struct vsh_cmd *cmd, uint64_t *offset, uint64_t *length)
{
	static const char *const names[] = { "offset", "length" };
	uint64_t *outs[] = { offset, length };

	for (int i = 0; i < 2; i++) {
		const char *v = cmd->optvals[1 + i];
		char *end;

		*outs[i] = 0;
		if (!v)
			continue;
		errno = 0;
		*outs[i] = strtoull(v, &end, 10);
		if (!*v || *end || errno || *v == '-') {
			fprintf(stderr, "error: Numeric value '%s' for <%s> option is malformed or out of range\n", v,
				names[i]);
			return false;
		}
	}
	return true;
}

static int cmd_vol_upload(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_close_ int fd = open(cmd->argv[1], O_RDONLY | O_CLOEXEC);
	uint64_t offset, length;
	sepvirt_conn *conn;
	sepvirt_vol v;
	char msg[512];

	if (!transfer_range(cmd, &offset, &length))
		return 1;
	if (fd < 0) {
		fprintf(stderr, "error: cannot read %s\n", cmd->argv[1]);
		return 1;
	}
	rpc_keep_frames_on_heap();
	if (!(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	if (sepvirt_vol_upload_range(conn, v.pool, v.name, fd, offset, length) < 0) {
		snprintf(msg, sizeof(msg), "cannot upload to volume %s", v.name);
		return vsh_fail(msg);
	}
	return 0;
}

static int cmd_vol_download(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_close_ int fd = -1;
	uint64_t offset, length;
	sepvirt_conn *conn;
	sepvirt_vol v;
	char msg[512];

	if (!transfer_range(cmd, &offset, &length))
		return 1;
	rpc_keep_frames_on_heap();
	if (!(conn = get_vol(ctl, cmd->optvals[0], cmd->argv[0], &v)))
		return 1;
	fd = open(cmd->argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "error: cannot create %s\n", cmd->argv[1]);
		return 1;
	}
	if (sepvirt_vol_download_range(conn, v.pool, v.name, fd, offset, length) < 0) {
		snprintf(msg, sizeof(msg), "cannot download from volume %s", v.name);
		unlink(cmd->argv[1]);
		return vsh_fail(msg);
	}
	return 0;
}

const struct vsh_command vsh_storage_commands[] = {
	{ "pool-define", "define (but don't start) a pool from an XML file", NULL, file_pos, cmd_pool_define },
	{ "pool-build", "build a pool (create its directory)", NULL, pool_pos, cmd_pool_simple },
	{ "pool-start", "start a (previously defined) inactive pool", NULL, pool_pos, cmd_pool_simple },
	{ "pool-destroy", "stop a pool (its volumes stay)", NULL, pool_pos, cmd_pool_simple },
	{ "pool-undefine", "undefine an inactive pool", NULL, pool_pos, cmd_pool_simple },
	{ "pool-refresh", "refresh a pool", NULL, pool_pos, cmd_pool_simple },
	{ "pool-autostart", "start the pool when storaged starts (--disable)", pool_autostart_opts, pool_pos, cmd_pool_autostart },
	{ "pool-list", "list pools (--all, --inactive, --details, --name, --uuid)", pool_list_opts, NULL, cmd_pool_list },
	{ "pool-info", "storage pool information (--bytes)", pool_info_opts, pool_pos, cmd_pool_info },
	{ "pool-dumpxml", "pool information in XML", NULL, pool_pos, cmd_pool_dumpxml },
	{ "vol-create", "create a volume from an XML file", NULL, vol_create_pos, cmd_vol_create },
	{ "vol-create-as", "create a volume from a set of args (--format raw|qcow2, --allocation, --backing-vol)", vol_create_as_opts, vol_create_as_pos, cmd_vol_create_as },
	{ "vol-delete", "delete a volume (--pool)", pool_opt, vol_pos, cmd_vol_delete },
	{ "vol-list", "list volumes (--details)", vol_list_opts, pool_pos, cmd_vol_list },
	{ "vol-info", "storage volume information (--pool, --bytes)", vol_info_opts, vol_pos, cmd_vol_info },
	{ "vol-path", "returns the volume path for a given volume name (--pool)", pool_opt, vol_pos, cmd_vol_path },
	{ "vol-dumpxml", "vol information in XML (--pool)", pool_opt, vol_pos, cmd_vol_dumpxml },
	{ "vol-resize", "resize a volume (--pool, --delta, --shrink, --allocate)", vol_resize_opts, vol_resize_pos, cmd_vol_resize },
	{ "vol-clone", "clone a volume (--pool)", pool_opt, vol_clone_pos, cmd_vol_clone },
	{ "vol-upload", "upload file contents to a volume (--pool, --offset, --length)", vol_transfer_opts, vol_file_pos, cmd_vol_upload },
	{ "vol-download", "download volume contents to a file (--pool, --offset, --length)", vol_transfer_opts, vol_file_pos, cmd_vol_download },
	{ NULL },
};
