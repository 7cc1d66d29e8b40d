/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* setmem, setmaxmem and setvcpus: a job of the domain that checks every part first, changes the
 * running guest through QMP (the balloon; vCPUs plugged with device_add and unplugged by the id
 * they were given), then the persistent definition, written durably. The live definition follows
 * what QEMU did, so dumpxml, dominfo and a qemud restart see it. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "job.h"
#include "log.h"
#include "qmp.h"
#include "resize.h"
#include "run.h"

/* libvirt's flags (virDomainModificationImpact, VIR_DOMAIN_MEM_MAXIMUM, VIR_DOMAIN_VCPU_MAXIMUM). */
enum {
	AFFECT_LIVE = 1,
	AFFECT_CONFIG = 2,
	SET_MAXIMUM = 4,
};

#define UNPLUG_WAIT_MS 5000
#define UNPLUG_POLL_MS 200

struct resize_state {
	bool vcpus;             /* setvcpus, else setmem */
	unsigned long long value;
	unsigned flags;
	struct json_object *cpus; /* query-hotpluggable-cpus */
	int64_t unplug_deadline;
	unsigned want;          /* vCPUs the guest should have */
	char **ids;             /* the vCPU devices being unplugged */
	size_t nids;
};

static void resize_state_free(void *p)
{
	struct resize_state *s = p;

	if (s->cpus)
		json_object_put(s->cpus);
	for (size_t i = 0; i < s->nids; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s);
}

static int invalid(struct sv_error *err, const char *fmt, ...) _printf_(2, 3);
static int invalid(struct sv_error *err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "invalid argument: %s", buf);
}

static int not_valid(struct sv_error *err, const char *what)
{
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL, "Requested operation is not valid: %s",
			    what);
}

/* Current (0) means live while running, else the definition, as libvirt. */
static int resolve_flags(const struct domain_obj *d, unsigned *flags, struct sv_error *err)
{
	if (!(*flags & (AFFECT_LIVE | AFFECT_CONFIG)))
		*flags |= domain_obj_active(d) ? AFFECT_LIVE : AFFECT_CONFIG;
	if ((*flags & AFFECT_LIVE) && !domain_obj_active(d))
		return not_valid(err, "domain is not running");
	if ((*flags & AFFECT_CONFIG) && !d->def)
		return not_valid(err, "transient domains do not have any persistent config");
	if ((*flags & AFFECT_LIVE) && (!d->priv || !qemud_run_of(d)->qmp))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
				    "domain '%s': QEMU's monitor is not connected", domain_obj_name(d));
	return 0;
}

/* Applies the change to def (a copy, or the live one), checked against it; where names the
 * definition in messages ("live", "persistent"). */
static int apply(struct domain_def *def, const struct resize_state *s, const char *where, struct sv_error *err)
{
	if (s->value == 0)
		return invalid(err, "%s must be greater than 0", s->vcpus ? "vcpu count" : "memory size");
	if (!s->vcpus && (s->flags & SET_MAXIMUM)) {
		def->memory_kib = s->value;
		if (def->current_memory_kib > s->value)
			def->current_memory_kib = s->value;
		return 0;
	}
	if (!s->vcpus) {
		if (s->value > def->memory_kib)
			return invalid(err, "cannot set memory higher than max memory (%llu KiB > %llu KiB)", s->value,
				       def->memory_kib);
		def->current_memory_kib = s->value;
		return 0;
	}
	if (s->value > UINT32_MAX)
		return invalid(err, "vcpu count %llu is out of range", s->value);
	if (s->flags & SET_MAXIMUM) {
		const struct domain_cpu *c = &def->cpu;
		unsigned long long topo = (unsigned long long)c->sockets * (c->dies ? c->dies : 1) * c->cores * c->threads;
		if (c->sockets && topo != s->value)
			return invalid(err, "CPU topology doesn't match the desired vcpu count (%llu vCPUs in the topology, %llu asked)",
				       topo, s->value);
		if (def->vcpus_current >= s->value)
			def->vcpus_current = 0;
		def->vcpus = (unsigned)s->value;
		return 0;
	}
	if (s->value > def->vcpus)
		return invalid(err, "requested vcpus is greater than max allowable vcpus for the %s domain: %llu > %u", where,
			       s->value, def->vcpus);
	def->vcpus_current = s->value == def->vcpus ? 0 : (unsigned)s->value;
	return 0;
}

static struct domain_obj *job_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (!d)
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
					       "Domain not found: domain '%s' went away", j->name), &err);
	return d;
}

/* The running domain of a QMP answer's job, or the job ends saying QEMU went away. */
static struct domain_job *answered_job(void *opaque, struct domain_obj **d)
{
	struct domain_job *j = domain_job_find(opaque);
	struct sv_error err;

	if (!j)
		return NULL;
	*d = domain_job_domain(j);
	if (!*d || !domain_obj_active(*d) || !(*d)->priv || !qemud_run_of(*d)->qmp) {
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ECANCELED,
					       "domain '%s' stopped while %s waited for QEMU", j->name, j->what), &err);
		return NULL;
	}
	return j;
}

/* The last step: the persistent definition, then the reply. */
static void finish_config(struct domain_job *j, struct domain_obj *d)
{
	struct resize_state *s = j->state;
	struct domain_def *def = NULL;
	struct sv_error err;
	int r = 0;

	if (s->flags & AFFECT_CONFIG) {
		r = domain_def_copy(d->def, &def, &err);
		if (r >= 0 && (r = apply(def, s, "persistent", &err)) < 0)
			domain_def_free(def);
		else if (r >= 0)
			r = domain_store_update_def(&qemud.store, d, def, &err);
	}
	domain_job_done(j, r, r < 0 ? &err : NULL);
}

/* What QEMU runs changed: the live definition says so, on disk too. */
static void live_changed(struct domain_obj *d, const struct resize_state *s, unsigned long long value)
{
	struct resize_state now = *s;
	struct sv_error err;

	now.value = value;
	if (apply(d->live, &now, "live", &err) < 0 || qemud_run_save_status(d, &err) < 0)
		log_warn("domain '%s': %s", domain_obj_name(d), err.message);
}

static void balloon_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct domain_job *j = answered_job(opaque, &d);

	if (!j)
		return;
	if (r < 0)
		return domain_job_done(j, r, err);
	live_changed(d, j->state, ((struct resize_state *)j->state)->value);
	finish_config(j, d);
}

/* A vCPU of query-hotpluggable-cpus: its place ("socket-id" ...) as one number to order by. */
static long long cpu_order(struct json_object *cpu)
{
	static const char *const keys[] = { "socket-id", "die-id", "core-id", "thread-id" };
	struct json_object *props, *v;
	long long n = 0;

	if (!json_object_object_get_ex(cpu, "props", &props))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		n = n * 4096 + (json_object_object_get_ex(props, keys[i], &v) ? json_object_get_int64(v) : 0);
	return n;
}

static int by_order(const void *a, const void *b)
{
	long long x = cpu_order(*(struct json_object *const *)a), y = cpu_order(*(struct json_object *const *)b);
	return (x > y) - (x < y);
}

static const char *qom_path(struct json_object *cpu)
{
	struct json_object *v;
	return json_object_object_get_ex(cpu, "qom-path", &v) ? json_object_get_string(v) : NULL;
}

#define PERIPHERAL "/machine/peripheral/"

static void vcpus_step(struct domain_job *j, struct domain_obj *d);

static void vcpus_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct domain_job *j = answered_job(opaque, &d);
	struct resize_state *s;

	if (!j)
		return;
	if (r < 0)
		return domain_job_done(j, r, err);
	s = j->state;
	if (ret && json_object_is_type(ret, json_type_array)) {
		if (s->cpus)
			json_object_put(s->cpus);
		s->cpus = json_object_get(ret);
	}
	vcpus_step(j, d);
}

static void unplug_poll(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d;
	struct sv_error err;
	int r;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	if (!answered_job(opaque, &d))
		return;
	r = qemud_qmp_send(qemud_run_of(d)->qmp, "query-hotpluggable-cpus", NULL, 0, vcpus_answered, opaque, &err);
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* The vCPUs QEMU has plugged, in order, and how many of them. */
static size_t plugged(struct json_object *cpus, struct json_object ***out, size_t *nall)
{
	size_t n = json_object_array_length(cpus), k = 0;
	struct json_object **v = xcalloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = json_object_array_get_idx(cpus, i);
	qsort(v, n, sizeof(*v), by_order);
	for (size_t i = 0; i < n; i++)
		if (qom_path(v[i]))
			k++;
	*out = v;
	*nall = n;
	return k;
}

/* One step at a time, each after QEMU's answer: list the vCPUs, plug or unplug one, list again. */
static void vcpus_step(struct domain_job *j, struct domain_obj *d)
{
	struct resize_state *s = j->state;
	struct qemud_qmp *qmp = qemud_run_of(d)->qmp;
	_cleanup_free_ struct json_object **v = NULL;
	struct json_object *args = NULL, *props, *type;
	struct sv_error err;
	size_t n, have;
	int r = 0;

	if (!s->cpus) {
		r = qemud_qmp_send(qmp, "query-hotpluggable-cpus", NULL, 0, vcpus_answered, domain_job_ref(j), &err);
		goto out;
	}
	have = plugged(s->cpus, &v, &n);
	if (have == s->want) {
		live_changed(d, s, s->want);
		return finish_config(j, d);
	}
	if (have < s->want) {
		/* the first vCPU not plugged, given libvirt's id: vcpuN, N its index */
		for (size_t i = 0; i < n; i++) {
			if (qom_path(v[i]))
				continue;
			if (!json_object_object_get_ex(v[i], "type", &type) ||
			    !json_object_object_get_ex(v[i], "props", &props)) {
				r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPROTO,
						 "domain '%s': query-hotpluggable-cpus gave a vCPU without type or props",
						 j->name);
				goto out;
			}
			args = json_object_new_object();
			json_object_object_foreach(props, key, val)
				if (!streq(key, "node-id"))
					json_object_object_add(args, key, json_object_get(val));
			json_object_object_add(args, "driver", json_object_get(type));
			_cleanup_free_ char *id = xasprintf("vcpu%zu", i);
			json_object_object_add(args, "id", json_object_new_string(id));
			break;
		}
		if (!args) {
			r = invalid(&err, "QEMU has no vCPU left to plug (%zu of %zu plugged)", have, n);
			goto out;
		}
		r = qemud_qmp_send(qmp, "device_add", args, 0, vcpus_answered, domain_job_ref(j), &err);
		json_object_put(args);
		if (r >= 0) {
			json_object_put(s->cpus); /* listed again after the plug */
			s->cpus = NULL;
		}
		goto out;
	}
	/* Unplug: the last vCPUs plugged by id (device_add), each once; QEMU's own (-smp) cannot go. */
	if (!s->unplug_deadline) {
		size_t ours = 0;
		for (size_t i = 0; i < n; i++)
			ours += qom_path(v[i]) && strncmp(qom_path(v[i]), PERIPHERAL, strlen(PERIPHERAL)) == 0;
		if (have - s->want > ours) {
			r = invalid(&err,
				    "cannot unplug %zu vCPUs: only %zu were plugged by setvcpus and can be unplugged by name; "
				    "the other %zu were started with QEMU",
				    have - s->want, ours, have - ours);
			goto out;
		}
		for (size_t i = n; i-- > 0 && s->nids < have - s->want;) {
			const char *p = qom_path(v[i]);
			if (!p || strncmp(p, PERIPHERAL, strlen(PERIPHERAL)) != 0)
				continue;
			s->ids = xrealloc(s->ids, (s->nids + 1) * sizeof(*s->ids));
			s->ids[s->nids++] = xstrdup(p + strlen(PERIPHERAL));
		}
		s->unplug_deadline = qemud_now_ms() + UNPLUG_WAIT_MS;
		for (size_t i = 0; i < s->nids && r >= 0; i++) {
			args = json_object_new_object();
			json_object_object_add(args, "id", json_object_new_string(s->ids[i]));
			/* answers only that the guest was asked: the vCPU goes when the guest lets it */
			r = qemud_qmp_send(qmp, "device_del", args, 0, NULL, NULL, &err);
			json_object_put(args);
		}
		if (r < 0)
			goto out;
	} else if (qemud_now_ms() > s->unplug_deadline) {
		live_changed(d, s, have);
		r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				 "domain '%s': the guest did not release its vCPUs within %d ms (%zu still plugged, %u asked)",
				 j->name, UNPLUG_WAIT_MS, have, s->want);
		goto out;
	}
	json_object_put(s->cpus);
	s->cpus = NULL;
	j->timer = evloop_timer(qemud.loop, UNPLUG_POLL_MS, 0, unplug_poll, domain_job_ref(j));
out:
	if (r < 0)
		domain_job_done(j, r, &err);
}

static void resize_job(struct domain_job *j)
{
	struct domain_obj *d = job_domain(j);
	struct resize_state *s = j->state;
	_cleanup_domain_def_ struct domain_def *check = NULL;
	struct json_object *args;
	struct sv_error err;
	int r;

	if (!d)
		return;
	if ((r = resolve_flags(d, &s->flags, &err)) < 0)
		return domain_job_done(j, r, &err);
	/* Everything checked before anything changes. */
	if (s->flags & AFFECT_LIVE) {
		if (s->flags & SET_MAXIMUM)
			r = s->vcpus ? invalid(&err, "maximum vcpu count of a live domain can't be modified")
				     : not_valid(&err, "cannot resize the maximum memory on an active domain");
		else if (!s->vcpus && d->live->memballoon.none)
			r = not_valid(&err, "Unable to change memory of active domain without the balloon device and guest OS balloon driver");
		if (r >= 0 && (r = domain_def_copy(d->live, &check, &err)) >= 0)
			r = apply(check, s, "live", &err);
		if (r < 0)
			return domain_job_done(j, r, &err);
		domain_def_free(TAKE_PTR(check));
	}
	if ((s->flags & AFFECT_CONFIG) && (r = domain_def_copy(d->def, &check, &err)) >= 0)
		r = apply(check, s, "persistent", &err);
	if (r < 0)
		return domain_job_done(j, r, &err);
	if (!(s->flags & AFFECT_LIVE))
		return finish_config(j, d);
	if (s->vcpus) {
		s->want = (unsigned)s->value;
		return vcpus_step(j, d);
	}
	args = json_object_new_object();
	json_object_object_add(args, "value", json_object_new_int64((int64_t)(s->value * 1024)));
	r = qemud_qmp_send(qemud_run_of(d)->qmp, "balloon", args, 0, balloon_answered, domain_job_ref(j), &err);
	json_object_put(args);
	if (r < 0)
		domain_job_done(j, r, &err);
}

static int resize_submit(struct rpc_request *req, const ProtobufCMessage *msg, bool vcpus, struct sv_error *err)
{
	const Sepvirt__DomainSetCountRequest *in = (const Sepvirt__DomainSetCountRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	struct resize_state *s;
	struct domain_job *j;
	int r;

	if (!d)
		return -ENOENT;
	if (in->flags & ~(unsigned)(AFFECT_LIVE | AFFECT_CONFIG | SET_MAXIMUM))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "unsupported flags (0x%x) in function %s",
				    in->flags & ~(unsigned)(AFFECT_LIVE | AFFECT_CONFIG | SET_MAXIMUM),
				    vcpus ? "virDomainSetVcpusFlags" : "virDomainSetMemoryFlags");
	s = xcalloc(1, sizeof(*s));
	s->vcpus = vcpus;
	s->value = in->value;
	s->flags = in->flags;
	r = domain_job_submit(d, vcpus ? "setvcpus" : "setmem", resize_job, req, &j);
	if (r < 0) {
		resize_state_free(s);
		return r;
	}
	j->state = s;
	j->state_free = resize_state_free;
	return 0;
}

QEMUD_HANDLER(qemud_handle_set_memory) { return resize_submit(req, msg, false, err); }
QEMUD_HANDLER(qemud_handle_set_vcpus) { return resize_submit(req, msg, true, err); }

void qemud_resize_balloon_changed(struct domain_obj *d, struct json_object *data)
{
	struct json_object *v;
	struct sv_error err;

	if (!d->live || !data || !json_object_object_get_ex(data, "actual", &v))
		return;
	d->live->current_memory_kib = (unsigned long long)json_object_get_int64(v) / 1024;
	if (qemud_run_save_status(d, &err) < 0)
		log_warn("domain '%s': %s", domain_obj_name(d), err.message);
}
