/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Snapshots, internal: QEMU writes the disks' state and the guest's memory into the qcow2
 * images themselves (the snapshot-save, snapshot-load and snapshot-delete jobs of QMP), so a
 * snapshot needs no new file, nothing from storaged, and a revert brings the guest back running
 * where it was. This is libvirt's default for a running domain with qcow2 disks. External
 * snapshots (overlays storaged would create) and snapshots of a shut-off domain (qemu-img, which
 * qemud's sandbox cannot run) are refused by name. The metadata is qemud's (snapshot-meta.c). */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "domain-state.h"
#include "handlers.h"
#include "lifecycle.h"
#include "log.h"
#include "qmp.h"
#include "run.h"
#include "snapshot-meta.h"

#define SNAP_POLL_MS 50
#define SNAP_DEADLINE_MS (10 * 60 * 1000)

enum snap_kind { SNAP_CREATE, SNAP_REVERT, SNAP_DELETE };
enum snap_step { STEP_QUERY_BLOCK, STEP_START, STEP_POLL, STEP_DISMISS, STEP_STATE };

struct snap_job {
	enum snap_kind kind;
	enum snap_step step;
	struct qemud_snap *snap;    /* create: the new one; revert, delete: the name asked */
	struct json_object *devices; /* the qcow2 nodes of the writable disks */
	char *job_id;
	char *failure;              /* the QMP job's error, told once it is dismissed */
	struct evwatch *poll_timer;
};

static void snap_job_free(void *p)
{
	struct snap_job *s = p;

	qemud_snap_free(s->snap);
	if (s->devices)
		json_object_put(s->devices);
	if (s->poll_timer)
		evwatch_remove(s->poll_timer);
	free(s->job_id);
	free(s->failure);
	free(s);
}

static const char *const kind_cmd[] = { "snapshot-save", "snapshot-load", "snapshot-delete" };

static struct domain_obj *snap_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv && qemud_run_of(d)->qmp && !qemud_run_of(d)->destroying)
		return d;
	domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				       "Requested operation is not valid: domain '%s' is not running (snapshots of a "
				       "shut-off domain are not supported: start it first)",
				       j->name), &err);
	return NULL;
}

static void snap_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err);

static int snap_send(struct domain_job *j, struct domain_obj *d, enum snap_step step, const char *cmd,
		     struct json_object *args, struct sv_error *err)
{
	struct snap_job *s = j->state;
	int r;

	s->step = step;
	r = qemud_qmp_send(qemud_run_of(d)->qmp, cmd, args, 0, snap_answered, domain_job_ref(j), err);
	if (args)
		json_object_put(args);
	return r;
}

/* The writable disks' top nodes, each of which must be qcow2 to hold an internal snapshot. */
static int collect_devices(struct domain_job *j, struct json_object *ret, struct sv_error *err)
{
	struct snap_job *s = j->state;
	size_t n = ret && json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

	s->devices = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(ret, i), *ins, *ro;
		const char *node, *drv, *dev;

		if (!json_object_object_get_ex(b, "inserted", &ins))
			continue;
		if (json_object_object_get_ex(ins, "ro", &ro) && json_object_get_boolean(ro))
			continue;
		node = qemud_qmp_str(ins, "node-name");
		drv = qemud_qmp_str(ins, "drv");
		dev = qemud_qmp_str(b, "qdev");
		if (!dev || !dev[0])
			dev = qemud_qmp_str(b, "device");
		if (!drv || !streq(drv, "qcow2"))
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "internal snapshot of domain '%s' needs every writable disk in qcow2 format: "
					    "'%s' is %s (external snapshots are not supported)",
					    j->name, dev ? dev : "?", drv ? drv : "unknown");
		if (node)
			json_object_array_add(s->devices, json_object_new_string(node));
	}
	if (json_object_array_length(s->devices) == 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "internal snapshot of domain '%s' needs a writable qcow2 disk to hold it", j->name);
	return 0;
}

static struct json_object *job_args(struct snap_job *s)
{
	struct json_object *a = json_object_new_object();

	json_object_object_add(a, "job-id", json_object_new_string(s->job_id));
	json_object_object_add(a, "tag", json_object_new_string(s->snap->name));
	if (s->kind != SNAP_DELETE)
		json_object_object_add(a, "vmstate", json_object_get(json_object_array_get_idx(s->devices, 0)));
	json_object_object_add(a, "devices", json_object_get(s->devices));
	return a;
}

static void poll_again(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d;
	struct sv_error err;
	int r;

	evwatch_remove(w);
	if (!j)
		return;
	((struct snap_job *)j->state)->poll_timer = NULL;
	if ((d = snap_domain(j)) && (r = snap_send(j, d, STEP_POLL, "query-jobs", NULL, &err)) < 0)
		domain_job_done(j, r, &err);
}

/* The QMP job's entry: concluded (then dismissed), or polled again. */
static int polled(struct domain_job *j, struct domain_obj *d, struct json_object *ret, struct sv_error *err)
{
	struct snap_job *s = j->state;
	size_t n = ret && json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;
	struct json_object *a;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(ret, i);
		const char *id = qemud_qmp_str(e, "id"), *status = qemud_qmp_str(e, "status"), *why;

		if (!id || !streq(id, s->job_id))
			continue;
		if (!status || !streq(status, "concluded"))
			break;
		if ((why = qemud_qmp_str(e, "error")))
			s->failure = xstrdup(why);
		a = json_object_new_object();
		json_object_object_add(a, "id", json_object_new_string(s->job_id));
		return snap_send(j, d, STEP_DISMISS, "job-dismiss", a, err);
	}
	if (domain_job_now_ms() - j->started_ms > SNAP_DEADLINE_MS)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				    "domain '%s': QEMU's %s did not end within %d s", j->name, kind_cmd[s->kind],
				    SNAP_DEADLINE_MS / 1000);
	s->poll_timer = evloop_timer(qemud.loop, SNAP_POLL_MS, 0, poll_again, domain_job_ref(j));
	return 0;
}

/* QEMU did it: the metadata follows. */
static int concluded(struct domain_job *j, struct domain_obj *d, struct sv_error *err)
{
	struct snap_job *s = j->state;
	struct qemud_snap **list;
	char *current;
	size_t n;
	int r;

	switch (s->kind) {
	case SNAP_CREATE:
		if ((r = qemud_snap_store(d, s->snap, err)) < 0 || (r = qemud_snap_set_current(d, s->snap->name, err)) < 0)
			return r;
		log_info("domain '%s': snapshot '%s' created", j->name, s->snap->name);
		return 1;
	case SNAP_DELETE:
		if ((r = qemud_snap_load_all(d, &list, &n, &current, err)) < 0)
			return r;
		/* Its children hang from its parent now; the current one becomes its parent. */
		for (size_t i = 0; r >= 0 && i < n; i++)
			if (list[i]->parent && streq(list[i]->parent, s->snap->name)) {
				free(list[i]->parent);
				list[i]->parent = s->snap->parent ? xstrdup(s->snap->parent) : NULL;
				r = qemud_snap_store(d, list[i], err);
			}
		if (r >= 0 && current && streq(current, s->snap->name))
			r = qemud_snap_set_current(d, s->snap->parent, err);
		if (r >= 0)
			r = qemud_snap_remove(d, s->snap->name, err);
		qemud_snap_list_free(list, n);
		free(current);
		return r < 0 ? r : 1;
	case SNAP_REVERT:
		if ((r = qemud_snap_set_current(d, s->snap->name, err)) < 0)
			return r;
		/* The guest takes the state the snapshot was taken in. */
		return snap_send(j, d, STEP_STATE, streq(s->snap->state, "paused") ? "stop" : "cont", NULL, err);
	}
	return 1;
}

static void snap_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? snap_domain(j) : NULL;
	struct snap_job *s;
	struct sv_error e;
	Sepvirt__DomainSnapshotInfo info = SEPVIRT__DOMAIN_SNAPSHOT_INFO__INIT;

	if (!d)
		return;
	s = j->state;
	if (r < 0)
		return domain_job_done(j, r, err);
	switch (s->step) {
	case STEP_QUERY_BLOCK:
		if ((r = collect_devices(j, ret, &e)) >= 0)
			r = snap_send(j, d, STEP_START, kind_cmd[s->kind], job_args(s), &e);
		break;
	case STEP_START:
		r = snap_send(j, d, STEP_POLL, "query-jobs", NULL, &e);
		break;
	case STEP_POLL:
		r = polled(j, d, ret, &e);
		break;
	case STEP_DISMISS:
		if (s->failure)
			r = sv_error_set(&e, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO, "domain '%s': %s of snapshot '%s' failed: %s",
					 j->name, kind_cmd[s->kind], s->snap->name, s->failure);
		else
			r = concluded(j, d, &e);
		if (r == 1) {
			if (s->kind == SNAP_CREATE) {
				info.name = s->snap->name;
				info.current = true;
				return domain_job_done_msg(j, 0, NULL, &info.base);
			}
			return domain_job_done(j, 0, NULL);
		}
		break;
	case STEP_STATE:
		domain_obj_set_state(&qemud.store, d, streq(s->snap->state, "paused") ? DOMAIN_PAUSED : DOMAIN_RUNNING,
				     streq(s->snap->state, "paused") ? PAUSED_FROM_SNAPSHOT : RUNNING_FROM_SNAPSHOT);
		log_info("domain '%s': reverted to snapshot '%s'", j->name, s->snap->name);
		return domain_job_done(j, 0, NULL);
	}
	if (r < 0)
		domain_job_done(j, r, &e);
}

/* Each kind begins alike: the domain runs, its disks are asked for. */
static void job_snapshot(struct domain_job *j)
{
	struct domain_obj *d = snap_domain(j);
	struct snap_job *s;
	struct qemud_snap **list;
	struct qemud_snap *found;
	char *current;
	struct sv_error err;
	size_t n;
	int r;

	if (!d)
		return; /* j is gone */
	s = j->state;
	if ((r = qemud_snap_load_all(d, &list, &n, &current, &err)) < 0)
		return domain_job_done(j, r, &err);
	found = qemud_snap_find(list, n, s->snap->name);
	if (s->kind == SNAP_CREATE && found) {
		r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EEXIST,
				 "domain '%s' already has a snapshot '%s'", j->name, s->snap->name);
	} else if (s->kind == SNAP_CREATE) {
		s->snap->state = xstrdup(d->state == DOMAIN_PAUSED ? "paused" : "running");
		s->snap->parent = current ? xstrdup(current) : NULL;
		s->snap->ctime = (long long)time(NULL);
		r = domain_def_format(d->live, DOMAIN_FORMAT_INACTIVE, &s->snap->domain_xml, &err);
	} else if (!found) {
		r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENOENT,
				 "Domain snapshot not found: no domain snapshot with matching name '%s'", s->snap->name);
	} else {
		qemud_snap_free(s->snap);
		s->snap = found;
		for (size_t i = 0; i < n; i++)
			if (list[i] == found)
				list[i] = list[--n];
	}
	qemud_snap_list_free(list, n);
	free(current);
	if (r < 0)
		return domain_job_done(j, r, &err);
	s->job_id = xasprintf("sepvirt-snapshot-%llu", j->id);
	if ((r = snap_send(j, d, STEP_QUERY_BLOCK, "query-block", NULL, &err)) < 0)
		domain_job_done(j, r, &err);
}

static int submit(struct rpc_request *req, const char *ref, enum snap_kind kind, struct qemud_snap *snap,
		  struct sv_error *err)
{
	struct domain_obj *d = domain_store_lookup(&qemud.store, ref, err);
	struct snap_job *s;
	struct domain_job *j;

	if (!d) {
		qemud_snap_free(snap);
		return -ENOENT;
	}
	s = xcalloc(1, sizeof(*s));
	s->kind = kind;
	s->snap = snap;
	domain_job_submit(d, kind == SNAP_CREATE ? "snapshot-create" : kind == SNAP_REVERT ? "snapshot-revert"
											     : "snapshot-delete",
			  job_snapshot, req, &j);
	j->state = s;
	j->state_free = snap_job_free;
	return 0;
}

QEMUD_HANDLER(qemud_handle_snapshot_create)
{
	const Sepvirt__DomainSnapshotCreateRequest *in = (const Sepvirt__DomainSnapshotCreateRequest *)msg;
	struct qemud_snap *snap;
	int r;

	if (in->flags)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "unsupported snapshot flags 0x%x", in->flags);
	if ((r = qemud_snap_parse_request(in->xml, &snap, err)) < 0)
		return r;
	if (!snap->name) /* as libvirt: the creation time names it */
		snap->name = xasprintf("%lld", (long long)time(NULL));
	return submit(req, in->domain, SNAP_CREATE, snap, err);
}

static int by_name(struct rpc_request *req, const ProtobufCMessage *msg, enum snap_kind kind, struct sv_error *err)
{
	const Sepvirt__DomainSnapshotRef *in = (const Sepvirt__DomainSnapshotRef *)msg;
	struct qemud_snap *snap;
	int r;

	if ((r = qemud_snap_check_name(in->name, err)) < 0)
		return r;
	snap = xcalloc(1, sizeof(*snap));
	snap->name = xstrdup(in->name);
	return submit(req, in->domain, kind, snap, err);
}

QEMUD_HANDLER(qemud_handle_snapshot_revert) { return by_name(req, msg, SNAP_REVERT, err); }
QEMUD_HANDLER(qemud_handle_snapshot_delete) { return by_name(req, msg, SNAP_DELETE, err); }

QEMUD_HANDLER(qemud_handle_snapshot_list)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	Sepvirt__DomainSnapshotListReply out = SEPVIRT__DOMAIN_SNAPSHOT_LIST_REPLY__INIT;
	_cleanup_free_ Sepvirt__DomainSnapshotInfo *infos = NULL;
	_cleanup_free_ Sepvirt__DomainSnapshotInfo **ptrs = NULL;
	struct qemud_snap **list;
	char *current;
	size_t n;
	int r;

	if (!d)
		return -ENOENT;
	if ((r = qemud_snap_load_all(d, &list, &n, &current, err)) < 0)
		return r;
	infos = xcalloc(n + 1, sizeof(*infos));
	ptrs = xcalloc(n + 1, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++) {
		sepvirt__domain_snapshot_info__init(&infos[i]);
		infos[i].name = list[i]->name;
		infos[i].description = list[i]->description ? list[i]->description : "";
		infos[i].creation_time = list[i]->ctime;
		infos[i].state = list[i]->state ? list[i]->state : "";
		infos[i].parent = list[i]->parent ? list[i]->parent : "";
		infos[i].current = current && streq(current, list[i]->name);
		ptrs[i] = &infos[i];
	}
	out.n_snapshots = n;
	out.snapshots = ptrs;
	rpc_reply_pack(reply, &out.base);
	qemud_snap_list_free(list, n);
	free(current);
	return 0;
}

QEMUD_HANDLER(qemud_handle_snapshot_get_xml)
{
	const Sepvirt__DomainSnapshotRef *in = (const Sepvirt__DomainSnapshotRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	Sepvirt__DomainSnapshotXmlReply out = SEPVIRT__DOMAIN_SNAPSHOT_XML_REPLY__INIT;
	_cleanup_free_ char *xml = NULL;
	struct qemud_snap **list, *s;
	char *current;
	size_t n;
	int r;

	if (!d)
		return -ENOENT;
	if ((r = qemud_snap_load_all(d, &list, &n, &current, err)) < 0)
		return r;
	s = qemud_snap_find(list, n, in->name);
	if (s)
		xml = qemud_snap_format(s, domain_obj_name(d), current && streq(current, s->name));
	qemud_snap_list_free(list, n);
	free(current);
	if (!xml)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENOENT,
				    "Domain snapshot not found: no domain snapshot with matching name '%s'", in->name);
	out.xml = xml;
	rpc_reply_pack(reply, &out.base);
	return 0;
}
