// SPDX-License-Identifier: LGPL-2.1-or-later
/* sepvirsh: a running domain's statistics in virsh 9.0's formats: domblkstat, domifstat,
 * dommemstat, domblkinfo, cpu-stats, domstats. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sepvirsh.h"
#include "util.h"

/* virsh's two lines: what failed (fmt), then the library's error. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vsh_fail(what);
}

static void free_params(sepvirt_stat_param **p) { free(*p); }
#define _cleanup_params_ __attribute__((cleanup(free_params)))

/* The value of field, 0 when absent (*found says which). */
static unsigned long long value(const sepvirt_stat_param *p, int n, const char *field, bool *found)
{
	const sepvirt_stat_param *v = sepvirt_stat_params_get(p, n, field);

	if (found)
		*found = v != NULL;
	return v ? v->ul : 0;
}

/* The value of disk idx's field ("rd.reqs": block.<idx>.rd.reqs). */
static unsigned long long disk_value(const sepvirt_stat_param *p, int n, int idx, const char *field, bool *found)
{
	char name[64];

	snprintf(name, sizeof(name), "block.%d.%s", idx, field);
	return value(p, n, name, found);
}

static int block_count(const sepvirt_stat_param *p, int n) { return (int)value(p, n, "block.count", NULL); }

/* virsh's order and spelling of virDomainBlockStatsFlags' fields, with --human's words. */
static const struct {
	const char *field, *legacy, *human;
} blkstat_fields[] = {
	{ "rd.reqs", "rd_req", "number of read operations:" },
	{ "rd.bytes", "rd_bytes", "number of bytes read:" },
	{ "wr.reqs", "wr_req", "number of write operations:" },
	{ "wr.bytes", "wr_bytes", "number of bytes written:" },
	{ "fl.reqs", "flush_operations", "number of flush operations:" },
	{ "rd.times", "rd_total_times", "total duration of reads (ns):" },
	{ "wr.times", "wr_total_times", "total duration of writes (ns):" },
	{ "fl.times", "flush_total_times", "total duration of flushes (ns):" },
};

static const char *const domblkstat_opts[] = { "human", NULL };
static const char *const domblkstat_pos[] = { "domain", "device?", NULL };

/* Without a device, the sums over every disk, printed under an empty name (as libvirt's qemu
 * driver answers ""). */
static int cmd_domblkstat(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	const char *device = cmd->argv[1] ? cmd->argv[1] : "";
	bool human = vsh_flag(cmd, domblkstat_opts, "human");
	sepvirt_domain d;
	int n;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_block_stats(ctl->conn, d.uuid, device, &p);
	if (n < 0)
		return fail("Failed to get block stats for domain '%s' device '%s'", d.name, device);
	if (human) {
		printf("Device: %s\n", device);
		device = "";
	}
	for (size_t f = 0; f < ARRAY_SIZE(blkstat_fields); f++) {
		unsigned long long sum = 0;
		bool any = false, found;
		for (int i = 0; i < block_count(p, n); i++) {
			sum += disk_value(p, n, i, blkstat_fields[f].field, &found);
			any |= found;
		}
		if (any)
			printf("%s %-*s %llu\n", device, human ? 31 : 0,
			       human ? blkstat_fields[f].human : blkstat_fields[f].legacy, sum);
	}
	return 0;
}

static const char *const domifstat_pos[] = { "domain", "interface", NULL };

static int cmd_domifstat(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const fields[][2] = {
		{ "net.0.rx.bytes", "rx_bytes" }, { "net.0.rx.pkts", "rx_packets" }, { "net.0.rx.errs", "rx_errs" },
		{ "net.0.rx.drop", "rx_drop" },   { "net.0.tx.bytes", "tx_bytes" }, { "net.0.tx.pkts", "tx_packets" },
		{ "net.0.tx.errs", "tx_errs" },   { "net.0.tx.drop", "tx_drop" },
	};
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	const char *device = cmd->argv[1];
	sepvirt_domain d;
	int n;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_interface_stats(ctl->conn, d.uuid, device, &p);
	if (n < 0)
		return fail("Failed to get interface stats %s %s", d.name, device);
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		const sepvirt_stat_param *v = sepvirt_stat_params_get(p, n, fields[f][0]);
		if (v)
			printf("%s %s %llu\n", device, fields[f][1], v->ul);
	}
	return 0;
}

/* With no balloon device, libvirt's qemu driver answers the current memory and QEMU's RSS. */
static int cmd_dommemstat(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const fields[][2] = { { "balloon.current", "actual" }, { "balloon.rss", "rss" } };
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	sepvirt_domain d;
	int n;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_memory_stats(ctl->conn, d.uuid, &p);
	if (n < 0)
		return vsh_fail("Failed to get memory statistics for domain");
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		const sepvirt_stat_param *v = sepvirt_stat_params_get(p, n, fields[f][0]);
		if (v)
			printf("%s %llu\n", fields[f][1], v->ul);
	}
	return 0;
}

/* virsh's vshPrettyCapacity: "%.3f" in the largest binary unit below the value. */
static char *pretty(unsigned long long v, bool human)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double val = (double)v;
	size_t u = 0;

	if (!human)
		return xasprintf("%llu", v);
	while (val >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		val /= 1024;
		u++;
	}
	return xasprintf("%.3f %s", val, units[u]);
}

static const char *const domblkinfo_opts[] = { "human", "all", NULL };
static const char *const domblkinfo_pos[] = { "domain", "device?", NULL };

static int cmd_domblkinfo(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Target", "Capacity", "Allocation", "Physical" };
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	bool human = vsh_flag(cmd, domblkinfo_opts, "human"), all = vsh_flag(cmd, domblkinfo_opts, "all");
	const char *device = cmd->argv[1];
	struct vsh_table *t;
	sepvirt_domain d;
	int n;

	if (!all && !device) {
		fprintf(stderr, "error: command 'domblkinfo' requires <device> option\n");
		return 1;
	}
	if (all && device) {
		fprintf(stderr, "error: Options --all and --device are mutually exclusive\n");
		return 1;
	}
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_get_block_info(ctl->conn, d.uuid, device, &p);
	if (n < 0)
		return vsh_fail(NULL);
	if (!all) {
		_cleanup_free_ char *cap = pretty(disk_value(p, n, 0, "capacity", NULL), human);
		_cleanup_free_ char *alloc = pretty(disk_value(p, n, 0, "allocation", NULL), human);
		_cleanup_free_ char *phy = pretty(disk_value(p, n, 0, "physical", NULL), human);
		printf("%-15s %s\n%-15s %s\n%-15s %s\n", "Capacity:", cap, "Allocation:", alloc, "Physical:", phy);
		return 0;
	}
	t = vsh_table_new(4, headers);
	for (int i = 0; i < block_count(p, n); i++) {
		char field[64];
		const sepvirt_stat_param *name;
		bool has;
		unsigned long long cap = disk_value(p, n, i, "capacity", &has);
		_cleanup_free_ char *c = NULL, *a = NULL, *ph = NULL;

		snprintf(field, sizeof(field), "block.%d.name", i);
		name = sepvirt_stat_params_get(p, n, field);
		/* a disk with no medium (an empty cdrom) has no sizes: virsh prints "-" */
		c = has ? pretty(cap, human) : xstrdup("-");
		a = has ? pretty(disk_value(p, n, i, "allocation", NULL), human) : xstrdup("-");
		ph = has ? pretty(disk_value(p, n, i, "physical", NULL), human) : xstrdup("-");
		const char *row[] = { name ? name->str : "-", c, a, ph };
		vsh_table_add(t, row);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

static void print_seconds(const char *name, unsigned long long ns)
{
	printf("\t%-12s %9llu.%09llu seconds\n", name, ns / 1000000000ULL, ns % 1000000000ULL);
}

/* Per host CPU figures need the domain's cpuacct cgroup, which sepvirt does not make: only the
 * total is printed, from the QEMU process's own times. */
static const char *const cpu_stats_opts[] = { "total", NULL };

static int cmd_cpu_stats(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	sepvirt_domain d;
	int n;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	n = sepvirt_domain_get_cpu_stats(ctl->conn, d.uuid, &p);
	if (n < 0)
		return fail("Failed to retrieve CPU statistics for domain '%s'", d.name);
	printf("Total:\n");
	print_seconds("cpu_time", value(p, n, "cpu.time", NULL));
	print_seconds("user_time", value(p, n, "cpu.user", NULL));
	print_seconds("system_time", value(p, n, "cpu.system", NULL));
	return 0;
}

static const char *const domstats_opts[] = { "state", "cpu-total", "balloon", "vcpu", "interface", "block", NULL };
static const char *const domstats_pos[] = { "domain...", NULL };

static int print_domstats(struct vsh_ctl *ctl, const sepvirt_domain *d, unsigned groups)
{
	_cleanup_params_ sepvirt_stat_param *p = NULL;
	int n = sepvirt_domain_get_stats(ctl->conn, d->uuid, groups, &p);

	if (n < 0)
		return vsh_fail(NULL);
	printf("Domain: '%s'\n", d->name);
	for (int i = 0; i < n; i++) {
		if (p[i].is_string)
			printf("  %s=%s\n", p[i].field, p[i].str);
		else
			printf("  %s=%llu\n", p[i].field, p[i].ul);
	}
	return 0;
}

/* Every domain of the connection when none is named, in the order the driver lists them. */
static int cmd_domstats(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	unsigned groups = 0;
	sepvirt_domain d;

	for (int i = 0; domstats_opts[i]; i++)
		if (cmd->flags & (1u << i))
			groups |= 1u << i; /* the options are in the order of libvirt's group bits */
	if (cmd->argc == 0) {
		_cleanup_free_ sepvirt_domain *list = NULL;
		sepvirt_conn *conn = vsh_conn(ctl);
		int n = conn ? sepvirt_domain_list(conn, SEPVIRT_LIST_ALL, &list) : -1;

		if (n < 0)
			return conn ? vsh_fail(NULL) : 1;
		/* a blank line between two records, as virsh */
		for (int i = 0; i < n; i++)
			if ((i && printf("\n") < 0) || print_domstats(ctl, &list[i], groups) != 0)
				return 1;
		return 0;
	}
	for (int i = 0; i < cmd->argc; i++)
		if ((i && printf("\n") < 0) || vsh_lookup_domain(ctl, cmd->argv[i], &d) < 0 ||
		    print_domstats(ctl, &d, groups) != 0)
			return 1;
	return 0;
}

static const char *const dom_pos[] = { "domain", NULL };

const struct vsh_command vsh_stats_commands[] = {
	{ "domblkstat", "get device block stats for a domain (--human)", domblkstat_opts, domblkstat_pos, cmd_domblkstat },
	{ "domifstat", "get network interface stats for a domain", NULL, domifstat_pos, cmd_domifstat },
	{ "dommemstat", "get memory statistics for a domain", NULL, dom_pos, cmd_dommemstat },
	{ "domblkinfo", "domain block device size information (--human, --all)", domblkinfo_opts, domblkinfo_pos,
	  cmd_domblkinfo },
	{ "cpu-stats", "show domain cpu statistics (--total)", cpu_stats_opts, dom_pos, cmd_cpu_stats },
	{ "domstats", "get statistics about one or multiple domains", domstats_opts, domstats_pos, cmd_domstats },
	{ NULL },
};
