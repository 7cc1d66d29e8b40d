// SPDX-License-Identifier: LGPL-2.1-or-later
/* The statistics procedures (domblkstat, domifstat, dommemstat, domblkinfo, cpu-stats,
 * domstats): one job of the domain asks QEMU only what the groups need (query-blockstats and
 * query-named-block-nodes for disks, query-cpus-fast for vCPU threads), then reads the rest
 * from /proc (stats-host.c) and answers libvirt's domstats fields. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers.h"
#include "job.h"
#include "qmp.h"
#include "run.h"
#include "stats-host.h"

/* libvirt's VIR_DOMAIN_STATS_* bits. */
enum {
	GROUP_STATE = 1 << 0,
	GROUP_CPU = 1 << 1,
	GROUP_BALLOON = 1 << 2,
	GROUP_VCPU = 1 << 3,
	GROUP_INTERFACE = 1 << 4,
	GROUP_BLOCK = 1 << 5,
	GROUP_ALL = GROUP_STATE | GROUP_CPU | GROUP_BALLOON | GROUP_VCPU | GROUP_INTERFACE | GROUP_BLOCK,
};

struct stats_state {
	unsigned groups;
	bool list;         /* GET_STATS: an inactive domain answers its state */
	char *device;      /* "" or NULL: every device */
	int disk, iface;   /* the one asked for, -1: all */
	struct json_object *blockstats, *nodes, *cpus;
	long long balloon_kib; /* query-balloon's actual size; -1: not asked yet, -2: no answer */
	Sepvirt__DomainStatParam **params;
	size_t nparams;
};

static void stats_state_free(void *p)
{
	struct stats_state *s = p;

	for (size_t i = 0; i < s->nparams; i++) {
		free(s->params[i]->field);
		if (s->params[i]->str != protobuf_c_empty_string)
			free(s->params[i]->str);
		free(s->params[i]);
	}
	free(s->params);
	free(s->device);
	if (s->blockstats)
		json_object_put(s->blockstats);
	if (s->nodes)
		json_object_put(s->nodes);
	if (s->cpus)
		json_object_put(s->cpus);
	free(s);
}

static Sepvirt__DomainStatParam *add_param(struct stats_state *s, char *field)
{
	Sepvirt__DomainStatParam *p = xcalloc(1, sizeof(*p));

	sepvirt__domain_stat_param__init(p);
	p->field = field;
	s->params = xrealloc(s->params, (s->nparams + 1) * sizeof(*s->params));
	s->params[s->nparams++] = p;
	return p;
}

static char *vfield(const char *fmt, va_list ap) _printf_(1, 0);
static char *vfield(const char *fmt, va_list ap)
{
	char *field;

	if (vasprintf(&field, fmt, ap) < 0)
		abort();
	return field;
}

static void add_ul(struct stats_state *s, unsigned long long v, const char *fmt, ...) _printf_(3, 4);
static void add_ul(struct stats_state *s, unsigned long long v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_param(s, vfield(fmt, ap))->ul = v;
	va_end(ap);
}

static void add_str(struct stats_state *s, const char *v, const char *fmt, ...) _printf_(3, 4);
static void add_str(struct stats_state *s, const char *v, const char *fmt, ...)
{
	Sepvirt__DomainStatParam *p;
	va_list ap;

	va_start(ap, fmt);
	p = add_param(s, vfield(fmt, ap));
	va_end(ap);
	p->str = xstrdup(v);
	p->is_string = true;
}

/* How many of n devices are reported: the one asked for (sel >= 0) or all. */
static size_t selected(size_t n, int sel) { return sel < 0 ? n : sel < (int)n; }

/* The node name QEMU knows a disk's drive by (argv.c names them so). */
static char *drive_name(const struct domain_disk *d)
{
	size_t n = d->target_dev ? strlen(d->target_dev) : 0;
	int idx = 0;

	if (n < 3)
		return NULL;
	for (const char *p = d->target_dev + 2; *p; p++)
		idx = idx * 26 + (*p - 'a') + (p == d->target_dev + 2 ? 0 : 26);
	if (d->bus == DOMAIN_DISK_BUS_VIRTIO || (d->bus == DOMAIN_DISK_BUS_NONE && startswith(d->target_dev, "vd")))
		return xasprintf("drive-virtio-disk%d", idx);
	if (d->bus == DOMAIN_DISK_BUS_IDE || (d->bus == DOMAIN_DISK_BUS_NONE && startswith(d->target_dev, "hd")))
		return xasprintf("drive-ide0-%d-%d", idx / 2, idx % 2);
	return NULL;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static unsigned long long jul(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? (unsigned long long)json_object_get_int64(v) : 0;
}

static struct json_object *jobj(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* query-blockstats' entry of the drive: its device (-drive) or its top node (-blockdev). */
static struct json_object *find_blockstats(struct json_object *all, const char *drive)
{
	for (size_t i = 0; drive && all && i < json_object_array_length(all); i++) {
		struct json_object *e = json_object_array_get_idx(all, i);
		const char *dev = jstr(e, "device"), *node = jstr(e, "node-name");
		if ((dev && streq(dev, drive)) || (node && streq(node, drive)))
			return e;
	}
	return NULL;
}

static struct json_object *find_node(struct json_object *nodes, const char *name)
{
	for (size_t i = 0; name && nodes && i < json_object_array_length(nodes); i++) {
		struct json_object *e = json_object_array_get_idx(nodes, i);
		const char *n = jstr(e, "node-name");
		if (n && streq(n, name))
			return e;
	}
	return NULL;
}

static void add_block(struct stats_state *s, const struct domain_def *def)
{
	add_ul(s, selected(def->ndisks, s->disk), "block.count");
	for (size_t i = 0, n = 0; i < def->ndisks; i++) {
		const struct domain_disk *d = &def->disks[i];
		_cleanup_free_ char *drive = NULL;
		struct json_object *e, *st, *fmt, *file;

		if (s->disk >= 0 && s->disk != (int)i)
			continue;
		drive = drive_name(d);
		e = find_blockstats(s->blockstats, drive);
		st = jobj(e, "stats");
		fmt = find_node(s->nodes, jstr(e, "node-name"));
		file = find_node(s->nodes, jstr(jobj(e, "parent"), "node-name"));
		add_str(s, d->target_dev, "block.%zu.name", n);
		if (d->src_path)
			add_str(s, d->src_path, "block.%zu.path", n);
		if (st) {
			add_ul(s, jul(st, "rd_operations"), "block.%zu.rd.reqs", n);
			add_ul(s, jul(st, "rd_bytes"), "block.%zu.rd.bytes", n);
			add_ul(s, jul(st, "rd_total_time_ns"), "block.%zu.rd.times", n);
			add_ul(s, jul(st, "wr_operations"), "block.%zu.wr.reqs", n);
			add_ul(s, jul(st, "wr_bytes"), "block.%zu.wr.bytes", n);
			add_ul(s, jul(st, "wr_total_time_ns"), "block.%zu.wr.times", n);
			add_ul(s, jul(st, "flush_operations"), "block.%zu.fl.reqs", n);
			add_ul(s, jul(st, "flush_total_time_ns"), "block.%zu.fl.times", n);
		}
		/* The format node's virtual size; its file node's blocks in use and length. */
		if (file)
			add_ul(s, jul(jobj(file, "image"), "actual-size"), "block.%zu.allocation", n);
		if (fmt)
			add_ul(s, jul(jobj(fmt, "image"), "virtual-size"), "block.%zu.capacity", n);
		if (file)
			add_ul(s, jul(jobj(file, "image"), "virtual-size"), "block.%zu.physical", n);
		n++;
	}
}

/* libvirt counts from the guest's side on a tap it bridged (bridge, network) and from the
 * host's on a plain ethernet tap (virDomainNetTypeSharesHostView). */
static void add_interfaces(struct stats_state *s, const struct domain_def *def)
{
	add_ul(s, selected(def->ninterfaces, s->iface), "net.count");
	for (size_t i = 0, n = 0; i < def->ninterfaces; i++) {
		const struct domain_interface *f = &def->interfaces[i];
		struct qemud_if_counters c;
		bool swap = f->type != DOMAIN_NET_ETHERNET;

		if (s->iface >= 0 && s->iface != (int)i)
			continue;
		if (f->target_dev)
			add_str(s, f->target_dev, "net.%zu.name", n);
		if (f->type != DOMAIN_NET_USER && qemud_stats_if_counters(f->target_dev, &c) >= 0) {
			add_ul(s, swap ? c.tx_bytes : c.rx_bytes, "net.%zu.rx.bytes", n);
			add_ul(s, swap ? c.tx_packets : c.rx_packets, "net.%zu.rx.pkts", n);
			add_ul(s, swap ? c.tx_errs : c.rx_errs, "net.%zu.rx.errs", n);
			add_ul(s, swap ? c.tx_drop : c.rx_drop, "net.%zu.rx.drop", n);
			add_ul(s, swap ? c.rx_bytes : c.tx_bytes, "net.%zu.tx.bytes", n);
			add_ul(s, swap ? c.rx_packets : c.tx_packets, "net.%zu.tx.pkts", n);
			add_ul(s, swap ? c.rx_errs : c.tx_errs, "net.%zu.tx.errs", n);
			add_ul(s, swap ? c.rx_drop : c.tx_drop, "net.%zu.tx.drop", n);
		}
		n++;
	}
}

static void add_vcpus(struct stats_state *s, const struct domain_def *def, pid_t pid)
{
	unsigned cur = def->vcpus_current ? def->vcpus_current : def->vcpus;

	add_ul(s, cur, "vcpu.current");
	add_ul(s, def->vcpus, "vcpu.maximum");
	for (size_t i = 0; s->cpus && i < json_object_array_length(s->cpus); i++) {
		struct json_object *c = json_object_array_get_idx(s->cpus, i);
		unsigned long long idx = jul(c, "cpu-index"), user, sys, delay;
		pid_t tid = (pid_t)jul(c, "thread-id");

		add_ul(s, 1, "vcpu.%llu.state", idx); /* VIR_VCPU_RUNNING */
		if (qemud_stats_cpu_times(pid, tid, &user, &sys) >= 0)
			add_ul(s, user + sys, "vcpu.%llu.time", idx);
		if (qemud_stats_run_delay(pid, tid, &delay) >= 0)
			add_ul(s, delay, "vcpu.%llu.delay", idx);
	}
}

/* The balloon's actual size as QEMU reports it (without a balloon device: the current memory, as
 * libvirt), the maximum and QEMU's RSS. */
static void add_balloon(struct stats_state *s, const struct domain_def *def, pid_t pid)
{
	unsigned long long rss;

	add_ul(s, s->balloon_kib >= 0 ? (unsigned long long)s->balloon_kib
				      : def->current_memory_kib ? def->current_memory_kib : def->memory_kib,
	       "balloon.current");
	add_ul(s, def->memory_kib, "balloon.maximum");
	if (qemud_stats_rss_kib(pid, &rss) >= 0)
		add_ul(s, rss, "balloon.rss");
}

static void stats_finish(struct domain_job *j)
{
	struct stats_state *s = j->state;
	struct domain_obj *d = domain_job_domain(j);
	Sepvirt__DomainStatsReply out = SEPVIRT__DOMAIN_STATS_REPLY__INIT;
	Sepvirt__DomainSummary sum = SEPVIRT__DOMAIN_SUMMARY__INIT;
	const struct domain_def *def;
	struct sv_error err;
	pid_t pid;

	if (!d)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
						       "domain '%s' went away", j->name), &err);
	if (!domain_obj_active(d) && !s->list) /* before the job ran, or QEMU ended under it */
		return domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
						       "Requested operation is not valid: domain is not running"), &err);
	def = domain_obj_cur(d);
	domain_obj_fill_summary(d, &sum);
	if (s->groups & GROUP_STATE) {
		add_ul(s, d->state, "state.state");
		add_ul(s, d->reason, "state.reason");
	}
	if (domain_obj_active(d) && d->priv) {
		pid = qemud_run_of(d)->pid;
		if (s->groups & GROUP_CPU) {
			unsigned long long user, sys;
			if (qemud_stats_cpu_times(pid, 0, &user, &sys) >= 0) {
				add_ul(s, user + sys, "cpu.time");
				add_ul(s, user, "cpu.user");
				add_ul(s, sys, "cpu.system");
			}
		}
		if (s->groups & GROUP_BALLOON)
			add_balloon(s, def, pid);
		if (s->groups & GROUP_VCPU)
			add_vcpus(s, def, pid);
		if (s->groups & GROUP_INTERFACE)
			add_interfaces(s, def);
		if (s->groups & GROUP_BLOCK)
			add_block(s, def);
	}
	out.summary = &sum;
	out.params = s->params;
	out.n_params = s->nparams;
	domain_job_done_msg(j, 0, NULL, &out.base);
}

static void stats_next(struct domain_job *j);

static void balloon_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct stats_state *s;
	struct json_object *v;

	if (!j)
		return;
	s = j->state;
	s->balloon_kib = -2;
	if (r >= 0 && ret && json_object_object_get_ex(ret, "actual", &v))
		s->balloon_kib = json_object_get_int64(v) / 1024;
	stats_next(j);
}

static void stats_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct stats_state *s;
	struct json_object **slot;

	if (!j)
		return;
	if (r < 0)
		return domain_job_done(j, r, err);
	s = j->state;
	slot = !s->blockstats ? &s->blockstats : !s->nodes ? &s->nodes : &s->cpus;
	*slot = ret ? json_object_get(ret) : json_object_new_array();
	stats_next(j);
}

/* One QMP command at a time, the next once the last answered. */
static void stats_next(struct domain_job *j)
{
	struct stats_state *s = j->state;
	struct domain_obj *d = domain_job_domain(j);
	const char *command = NULL;
	struct json_object *args = NULL;
	struct sv_error err;
	int r;

	if (!d || !domain_obj_active(d) || !d->priv || !qemud_run_of(d)->qmp)
		return stats_finish(j);
	if ((s->groups & GROUP_BALLOON) && s->balloon_kib == -1 && d->live && !d->live->memballoon.none) {
		r = qemud_qmp_send(qemud_run_of(d)->qmp, "query-balloon", NULL, 0, balloon_answered, domain_job_ref(j),
				   &err);
		if (r < 0)
			domain_job_done(j, r, &err);
		return;
	}
	if ((s->groups & GROUP_BLOCK) && !s->blockstats) {
		command = "query-blockstats";
	} else if ((s->groups & GROUP_BLOCK) && !s->nodes) {
		command = "query-named-block-nodes";
		args = json_object_new_object();
		json_object_object_add(args, "flat", json_object_new_boolean(true));
	} else if ((s->groups & GROUP_VCPU) && !s->cpus) {
		if (!s->blockstats)
			s->blockstats = json_object_new_array(); /* the answer's slot is the third */
		if (!s->nodes)
			s->nodes = json_object_new_array();
		command = "query-cpus-fast";
	} else {
		return stats_finish(j);
	}
	r = qemud_qmp_send(qemud_run_of(d)->qmp, command, args, 0, stats_answered, domain_job_ref(j), &err);
	if (args)
		json_object_put(args);
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* The device asked for, by target or path (disk) or target or MAC (interface); named when absent. */
static int find_device(struct stats_state *s, const struct domain_def *def, struct sv_error *err)
{
	s->disk = s->iface = -1;
	if (!s->device || !*s->device)
		return 0;
	if (s->groups & GROUP_BLOCK) {
		for (size_t i = 0; i < def->ndisks; i++)
			if (streq_ptr(def->disks[i].target_dev, s->device) || streq_ptr(def->disks[i].src_path, s->device))
				return s->disk = (int)i;
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENODEV, "invalid argument: invalid path: %s",
				    s->device);
	}
	for (size_t i = 0; i < def->ninterfaces; i++) {
		char mac[SV_MAC_STRING_LEN];
		sv_mac_format(def->interfaces[i].mac, mac);
		if (streq_ptr(def->interfaces[i].target_dev, s->device) || strcasecmp(mac, s->device) == 0)
			return s->iface = (int)i;
	}
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENODEV, "invalid argument: '%s' is not a known interface",
			    s->device);
}

static void stats_job(struct domain_job *j)
{
	struct stats_state *s = j->state;
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;
	int r;

	if (!d || !domain_obj_active(d))
		return stats_finish(j);
	r = find_device(s, domain_obj_cur(d), &err);
	if (r < 0)
		return domain_job_done(j, r, &err);
	stats_next(j);
}

static int stats_submit(struct rpc_request *req, const ProtobufCMessage *msg, unsigned groups, bool list,
			struct sv_error *err)
{
	const Sepvirt__DomainStatsRequest *in = (const Sepvirt__DomainStatsRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	struct stats_state *s;
	struct domain_job *j;
	int r;

	if (!d)
		return -ENOENT;
	if (list)
		groups = in->groups & GROUP_ALL ? in->groups & GROUP_ALL : GROUP_ALL;
	s = xcalloc(1, sizeof(*s));
	s->groups = groups;
	s->list = list;
	s->balloon_kib = -1;
	s->device = in->device && *in->device ? xstrdup(in->device) : NULL;
	r = domain_job_submit(d, "stats", stats_job, req, &j);
	if (r < 0) {
		stats_state_free(s);
		return r;
	}
	j->state = s;
	j->state_free = stats_state_free;
	return 0;
}

QEMUD_HANDLER(qemud_handle_block_stats) { return stats_submit(req, msg, GROUP_BLOCK, false, err); }
QEMUD_HANDLER(qemud_handle_interface_stats) { return stats_submit(req, msg, GROUP_INTERFACE, false, err); }
QEMUD_HANDLER(qemud_handle_memory_stats) { return stats_submit(req, msg, GROUP_BALLOON, false, err); }
QEMUD_HANDLER(qemud_handle_block_info) { return stats_submit(req, msg, GROUP_BLOCK, false, err); }
QEMUD_HANDLER(qemud_handle_cpu_stats) { return stats_submit(req, msg, GROUP_CPU | GROUP_VCPU, false, err); }
QEMUD_HANDLER(qemud_handle_get_stats) { return stats_submit(req, msg, 0, true, err); }
