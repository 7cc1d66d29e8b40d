/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* attach-device, detach-device and update-device as jobs of their domain. An attach gathers what
 * other processes open (the image from the spawner, the volume from storaged, the tap from netd, as
 * start does),
 * picks a free PCI slot from what QEMU reports (query-pci) and the slots the definition reserves,
 * then runs a short script of QMP commands (add-fd or getfd, blockdev-add or netdev_add,
 * device_add), each with the command that undoes it: a failure undoes what was done, so QEMU keeps
 * no half-added backend and both definitions stay as they were. A detach asks the guest to let
 * the device go (device_del) and waits up to 5 s for DEVICE_DELETED, as libvirt does; past that
 * the call returns, the removal requested, and the device goes when the guest releases it: then
 * its backend is deleted, its fds closed, its tap released and the live definition loses it.
 * update-device changes a cdrom's medium the same way: the image from the spawner, add-fd,
 * blockdev-change-medium (or eject), and the replaced medium's fd set removed. */
#include "config.h"

#include <stdio.h>

#include "argv.h"
#include "handlers.h"
#include "domain-event.h"
#include "hotplug.h"
#include "images.h"
#include "log.h"
#include "netd-call.h"
#include "qmp.h"
#include "run.h"
#include "spawner.h"
#include "storage-call.h"
#include "xml/xml-util.h"

#define DETACH_WAIT_MS 5000
#define HOTPLUG_LIVE 1u   /* SEPVIRT_DEVICE_MODIFY_LIVE */
#define HOTPLUG_CONFIG 2u /* SEPVIRT_DEVICE_MODIFY_CONFIG */
#define HOTPLUG_FORCE 4u  /* SEPVIRT_DEVICE_MODIFY_FORCE: update-device ejects a locked tray too */

#define FAIL(err, code, e, ...) sv_error_set(err, SV_FROM_QEMU, code, e, __VA_ARGS__)

/* One QMP command of an attach, and the one that undoes it (NULL: none). */
struct qmp_step {
	char *cmd;
	struct json_object *args;
	int fd;               /* handed to QEMU with the command; -1: none */
	char *undo;
	struct json_object *undo_args;
};

struct hotplug {
	xmlDocPtr doc;        /* the device's XML */
	enum qemud_hotplug_kind kind;
	unsigned flags;       /* HOTPLUG_LIVE | HOTPLUG_CONFIG, resolved */
	struct domain_def *conf; /* the persistent definition to be */
	struct domain_def *live; /* the running definition to be (attach) */
	size_t index;         /* the device in live (attach) or in the running one (detach) */
	char *id;             /* detach: QEMU's id of the device waited for */
	/* What the attach gathered. */
	struct qemud_argv_volume vol;
	char *ifname;         /* the tap netd opened: released when the attach fails */
	int tap;
	struct domain_address addr;
	unsigned next_fdset;
	bool update;          /* update-device: a cdrom's medium */
	struct json_object *old_fdsets; /* update: the fd sets of the medium replaced, removed at the end */
	struct qmp_step *steps;
	size_t nsteps, next;
};

static void hotplug_free(void *p)
{
	struct hotplug *h = p;

	if (h->doc)
		xmlFreeDoc(h->doc);
	domain_def_free(h->conf);
	domain_def_free(h->live);
	free(h->id);
	qemud_argv_volume_clear(&h->vol);
	free(h->ifname);
	if (h->tap >= 0)
		close(h->tap);
	for (size_t i = 0; i < h->nsteps; i++) {
		free(h->steps[i].cmd);
		free(h->steps[i].undo);
		if (h->steps[i].args)
			json_object_put(h->steps[i].args);
		if (h->steps[i].undo_args)
			json_object_put(h->steps[i].undo_args);
		if (h->steps[i].fd >= 0)
			close(h->steps[i].fd);
	}
	free(h->steps);
	if (h->old_fdsets)
		json_object_put(h->old_fdsets);
	free(h);
}

static xmlNode *device_node(const struct hotplug *h) { return xmlDocGetRootElement(h->doc); }

/* A command whose answer only matters when it fails (undo, backend cleanup): logged. */
static void logged(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	char *what = opaque;

	if (r < 0)
		log_info("%s: %s", what, err->message);
	free(what);
}

static void send_logged(struct qemud_qmp *qmp, const char *label, const char *cmd, struct json_object *args)
{
	struct sv_error err;
	char *what = xasprintf("domain '%s': %s", label, cmd);

	if (qemud_qmp_send(qmp, cmd, args, 0, logged, what, &err) < 0) {
		log_info("%s", err.message);
		free(what);
	}
	if (args)
		json_object_put(args);
}

static struct json_object *jstr(const char *s) { return json_object_new_string(s); }

/* {"key": "value"} */
static struct json_object *obj1(const char *key, struct json_object *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, key, v);
	return o;
}

static struct qmp_step *add_step(struct hotplug *h, const char *cmd, struct json_object *args, int fd,
				 const char *undo, struct json_object *undo_args)
{
	struct qmp_step *s;

	h->steps = xrealloc(h->steps, (h->nsteps + 1) * sizeof(*h->steps));
	s = &h->steps[h->nsteps++];
	*s = (struct qmp_step){ .cmd = xstrdup(cmd), .args = args, .fd = fd, .undo = undo ? xstrdup(undo) : NULL,
				.undo_args = undo_args };
	return s;
}

/* The flags as they apply to d: current is live when it runs, else config. */
static int resolve_flags(struct domain_obj *d, unsigned flags, unsigned *out, struct sv_error *err)
{
	unsigned force = flags & HOTPLUG_FORCE;

	flags &= ~HOTPLUG_FORCE;
	if (flags & ~(HOTPLUG_LIVE | HOTPLUG_CONFIG))
		return FAIL(err, SV_ERR_INVALID_ARG, EINVAL, "unsupported flags 0x%x", flags & ~(HOTPLUG_LIVE | HOTPLUG_CONFIG));
	if (!flags)
		flags = domain_obj_active(d) ? HOTPLUG_LIVE : HOTPLUG_CONFIG;
	if ((flags & HOTPLUG_LIVE) && !domain_obj_active(d))
		return FAIL(err, SV_ERR_OPERATION_INVALID, EINVAL, "Requested operation is not valid: domain is not running");
	if ((flags & HOTPLUG_LIVE) && !qemud_run_of(d)->qmp)
		return FAIL(err, SV_ERR_OPERATION_FAILED, EPIPE, "domain '%s': QEMU's monitor is not connected",
			    domain_obj_name(d));
	if ((flags & HOTPLUG_CONFIG) && !d->def)
		return FAIL(err, SV_ERR_OPERATION_INVALID, EINVAL,
			    "Requested operation is not valid: transient domains do not have any persistent config");
	*out = flags | force;
	return 0;
}

/* The job's domain, still running with its monitor; else the job ends saying so. */
static struct domain_obj *live_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv && qemud_run_of(d)->qmp)
		return d;
	domain_job_done(j, FAIL(&err, SV_ERR_OPERATION_FAILED, ECANCELED, "domain '%s' stopped during the %s", j->name,
				j->what), &err);
	return NULL;
}

/* The persistent definition to be replaces the saved one (durably). */
static int commit_config(struct hotplug *h, struct sv_error *err)
{
	struct domain_obj *out;

	if (!h->conf)
		return 0;
	return domain_store_define(&qemud.store, TAKE_PTR(h->conf), &out, err);
}

/* ---- attach ---- */

static const char *target_of(const xmlNode *dev)
{
	for (const xmlNode *c = dev->children; c; c = c->next)
		if (xml_is_elem(c) && xml_is(c, "target"))
			return xml_attr(c, "dev");
	return NULL;
}

/* A disk's target taken in def is refused by name. */
static int check_target_free(const struct domain_def *def, const struct hotplug *h, struct sv_error *err)
{
	const char *t = h->kind == QEMUD_HOTPLUG_DISK ? target_of(device_node(h)) : NULL;

	if (t && domain_def_find_disk(def, t) >= 0)
		return FAIL(err, SV_ERR_EXISTS, EEXIST, "target '%s' already exists in domain '%s'", t, def->name);
	return 0;
}

/* What QEMU's hotplug can take; anything else is refused by name before QEMU is asked. */
static int check_hotpluggable(const struct domain_def *live, size_t i, enum qemud_hotplug_kind kind,
			      struct sv_error *err)
{
	if (kind == QEMUD_HOTPLUG_DISK) {
		const struct domain_disk *dk = &live->disks[i];
		enum domain_disk_bus bus = qemud_argv_disk_bus(dk);

		if (bus != DOMAIN_DISK_BUS_VIRTIO)
			return FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "disk '%s': hotplug on bus '%s' is not supported (virtio is)", dk->target_dev,
				    bus == DOMAIN_DISK_BUS_NONE ? "none" : domain_disk_bus_to_string(bus));
		if (dk->type != DOMAIN_DISK_TYPE_FILE && dk->type != DOMAIN_DISK_TYPE_VOLUME)
			return FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "disk '%s': hotplug of a disk of type '%s' is not supported (file and volume are)",
				    dk->target_dev, domain_disk_type_to_string(dk->type));
		if (dk->type == DOMAIN_DISK_TYPE_FILE && !dk->src_path)
			return FAIL(err, SV_ERR_XML, EINVAL, "disk '%s' has no source", dk->target_dev);
		if (dk->type == DOMAIN_DISK_TYPE_FILE)
			return qemud_image_path_check(dk->target_dev, dk->src_path, err);
		return 0;
	}
	if (live->interfaces[i].type == DOMAIN_NET_BRIDGE && !live->interfaces[i].source)
		return FAIL(err, SV_ERR_XML, EINVAL, "interface has no bridge");
	return 0;
}

static void attach_fail(struct domain_job *j, int r, const struct sv_error *err)
{
	struct hotplug *h = j->state;
	struct domain_obj *d = domain_job_domain(j);

	/* A tap netd opened for nothing goes back (a managed one is deleted). */
	if (h->ifname && d)
		qemud_call_release_tap(d->uuid, h->ifname);
	domain_job_done(j, r, err);
}

static void attach_step(struct domain_job *j);

static void step_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;

	if (!d)
		return;
	h = j->state;
	if (r < 0) {
		struct sv_error e = *err;
		/* Undone newest first; QEMU runs them in the order they are sent. */
		for (size_t i = h->next; i-- > 0;)
			if (h->steps[i].undo)
				send_logged(qemud_run_of(d)->qmp, j->name, h->steps[i].undo,
					    json_object_get(h->steps[i].undo_args));
		return attach_fail(j, r, &e);
	}
	h->next++;
	attach_step(j);
}

/* libvirt's device-added event, with the device's alias. */
static void emit_added(const struct domain_obj *d, const struct hotplug *h)
{
	Sepvirt__DomainEventOther ev = SEPVIRT__DOMAIN_EVENT_OTHER__INIT;
	_cleanup_free_ char *alias = NULL;
	struct sv_error err;

	if (h->kind == QEMUD_HOTPLUG_DISK)
		qemud_argv_disk_device_id(d->live, &d->live->disks[h->index], &alias, &err);
	else
		alias = qemud_hotplug_iface_id(d->live, h->index);
	if (!alias)
		return;
	ev.id = DOMAIN_EVENT_ID_DEVICE_ADDED;
	ev.dev_alias = alias;
	domain_store_emit_other(&qemud.store, d, &ev);
}

/* The live definition takes the device: saved with the status, then the persistent one. */
static void attach_commit(struct domain_job *j, struct domain_obj *d)
{
	struct hotplug *h = j->state;
	struct sv_error err;
	int r;

	if (h->kind == QEMUD_HOTPLUG_INTERFACE && h->ifname) {
		free(h->live->interfaces[h->index].target_dev);
		h->live->interfaces[h->index].target_dev = TAKE_PTR(h->ifname);
	}
	/* the medium replaced: QEMU's copy of its file goes */
	for (size_t i = 0; h->old_fdsets && i < json_object_array_length(h->old_fdsets); i++)
		send_logged(qemud_run_of(d)->qmp, j->name, "remove-fd",
			    obj1("fdset-id", json_object_get(json_object_array_get_idx(h->old_fdsets, i))));
	domain_def_free(d->live);
	d->live = TAKE_PTR(h->live);
	if (qemud_run_save_status(d, &err) < 0)
		log_warn("domain '%s': cannot save its status: %s", j->name, err.message);
	log_info("domain '%s': %s of %s done", j->name, j->what,
		 h->kind == QEMUD_HOTPLUG_DISK ? d->live->disks[h->index].target_dev : "an interface");
	if (!h->update)
		emit_added(d, h);
	r = commit_config(h, &err);
	domain_job_done(j, r, r < 0 ? &err : NULL);
}

static void attach_step(struct domain_job *j)
{
	struct domain_obj *d = live_domain(j);
	struct hotplug *h;
	struct qmp_step *s;
	struct sv_error err;
	int r;

	if (!d)
		return;
	h = j->state;
	if (h->next == h->nsteps)
		return attach_commit(j, d);
	s = &h->steps[h->next];
	r = qemud_qmp_send_fd(qemud_run_of(d)->qmp, s->cmd, s->args, TAKE_FD(s->fd), 0, step_answered,
			      domain_job_ref(j), &err);
	if (r < 0)
		attach_fail(j, r, &err);
}

static void add_cache(struct json_object *o, const struct domain_disk *dk)
{
	if (dk->cache == DOMAIN_DISK_CACHE_NONE || dk->cache == DOMAIN_DISK_CACHE_DIRECTSYNC)
		json_object_object_add(o, "cache", obj1("direct", json_object_new_boolean(true)));
	else if (dk->cache == DOMAIN_DISK_CACHE_UNSAFE)
		json_object_object_add(o, "cache", obj1("no-flush", json_object_new_boolean(true)));
	if (dk->discard_unmap)
		json_object_object_add(o, "discard", jstr("unmap"));
}

/* ",bus=pci.0,addr=0x5" as QMP arguments. */
static void add_pci_addr(struct json_object *o, const struct domain_address *a, bool q35)
{
	char slot[16];

	if (a->bus == 0)
		json_object_object_add(o, "bus", jstr(q35 ? "pcie.0" : "pci.0"));
	else {
		_cleanup_free_ char *bus = xasprintf("pci.%u", a->bus);
		json_object_object_add(o, "bus", jstr(bus));
	}
	snprintf(slot, sizeof(slot), a->function ? "0x%x.0x%x" : "0x%x", a->slot, a->function);
	json_object_object_add(o, "addr", jstr(slot));
}

/* The disk's layers as fd sets and block nodes named as start names them, then its device. */
static void disk_steps(struct hotplug *h)
{
	const struct domain_disk *dk = &h->live->disks[h->index];
	bool qcow2 = dk->format == DOMAIN_DISK_FORMAT_QCOW2;
	int idx = qemud_argv_disk_index(dk->target_dev);
	_cleanup_free_ char *drive = xasprintf("drive-virtio-disk%d", idx), *id = xasprintf("virtio-disk%d", idx);
	size_t n = qcow2 ? h->vol.nlayers : 1;
	struct json_object *o;

	for (size_t i = n; i-- > 0;) {
		struct qemud_argv_layer *l = &h->vol.layers[i];
		const char *fmt = i == 0 ? (qcow2 ? "qcow2" : "raw") : l->format;
		_cleanup_free_ char *opaque = dk->type == DOMAIN_DISK_TYPE_FILE ? xasprintf("%s-image", dk->target_dev)
										: xasprintf("%s-layer%zu", dk->target_dev, i);
		_cleanup_free_ char *file = xasprintf("%s-file%zu", drive, i), *path = NULL;
		_cleanup_free_ char *node = i == 0 ? xstrdup(drive) : xasprintf("%s-fmt%zu", drive, i);
		unsigned set = h->next_fdset++;

		o = json_object_new_object();
		json_object_object_add(o, "fdset-id", json_object_new_int64(set));
		json_object_object_add(o, "opaque", jstr(opaque));
		add_step(h, "add-fd", o, TAKE_FD(l->fd), "remove-fd", obj1("fdset-id", json_object_new_int64(set)));
		path = xasprintf("/dev/fdset/%u", set);
		o = json_object_new_object();
		json_object_object_add(o, "driver", jstr("file"));
		json_object_object_add(o, "filename", jstr(path));
		json_object_object_add(o, "node-name", jstr(file));
		json_object_object_add(o, "read-only", json_object_new_boolean(l->read_only));
		add_cache(o, dk);
		add_step(h, "blockdev-add", o, -1, "blockdev-del", obj1("node-name", jstr(file)));
		o = json_object_new_object();
		json_object_object_add(o, "driver", jstr(fmt ? fmt : "raw"));
		json_object_object_add(o, "file", jstr(file));
		json_object_object_add(o, "node-name", jstr(node));
		json_object_object_add(o, "read-only", json_object_new_boolean(l->read_only));
		add_cache(o, dk);
		if (fmt && streq(fmt, "qcow2")) {
			/* Never a backing file opened by name: the chain is what storaged opened. */
			_cleanup_free_ char *below = i + 1 < n ? xasprintf("%s-fmt%zu", drive, i + 1) : NULL;
			json_object_object_add(o, "backing", below ? jstr(below) : NULL);
		}
		add_step(h, "blockdev-add", o, -1, "blockdev-del", obj1("node-name", jstr(node)));
	}
	o = json_object_new_object();
	json_object_object_add(o, "driver", jstr("virtio-blk-pci"));
	json_object_object_add(o, "drive", jstr(drive));
	json_object_object_add(o, "id", jstr(id));
	if (dk->cache == DOMAIN_DISK_CACHE_WRITETHROUGH || dk->cache == DOMAIN_DISK_CACHE_DIRECTSYNC)
		json_object_object_add(o, "write-cache", jstr("off"));
	add_pci_addr(o, &h->addr, qemud_argv_is_q35(h->live));
	add_step(h, "device_add", o, -1, NULL, NULL);
}

static const char *nic_driver(const char *model)
{
	if (!model)
		return "rtl8139";
	return streq(model, "virtio") ? "virtio-net-pci" : model;
}

static void interface_steps(struct hotplug *h)
{
	const struct domain_interface *n = &h->live->interfaces[h->index];
	_cleanup_free_ char *id = qemud_hotplug_iface_id(h->live, h->index);
	_cleanup_free_ char *netdev = xasprintf("host%s", id), *fdname = xasprintf("fd-%s", netdev);
	char mac[SV_MAC_STRING_LEN];
	struct json_object *o;

	o = json_object_new_object();
	json_object_object_add(o, "id", jstr(netdev));
	if (n->type == DOMAIN_NET_USER) {
		json_object_object_add(o, "type", jstr("user"));
	} else {
		add_step(h, "getfd", obj1("fdname", jstr(fdname)), TAKE_FD(h->tap), "closefd", obj1("fdname", jstr(fdname)));
		json_object_object_add(o, "type", jstr("tap"));
		json_object_object_add(o, "fd", jstr(fdname));
	}
	add_step(h, "netdev_add", o, -1, "netdev_del", obj1("id", jstr(netdev)));
	sv_mac_format(n->mac, mac);
	o = json_object_new_object();
	json_object_object_add(o, "driver", jstr(nic_driver(n->model)));
	json_object_object_add(o, "netdev", jstr(netdev));
	json_object_object_add(o, "id", jstr(id));
	json_object_object_add(o, "mac", jstr(mac));
	if (n->mtu && n->model && streq(n->model, "virtio"))
		json_object_object_add(o, "host_mtu", json_object_new_int64(n->mtu));
	add_pci_addr(o, &h->addr, qemud_argv_is_q35(h->live));
	add_step(h, "device_add", o, -1, NULL, NULL);
}

static xmlNode *child_elem(xmlNode *n, const char *name)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (xml_is_elem(c) && xml_is(c, name))
			return c;
	return NULL;
}

/* The lowest netN no interface of def has as its id. */
static char *free_iface_id(const struct domain_def *def)
{
	for (unsigned k = 0;; k++) {
		char *id = xasprintf("net%u", k);
		bool used = false;
		for (size_t i = 0; i < def->ninterfaces && !used; i++) {
			_cleanup_free_ char *other = qemud_hotplug_iface_id(def, i);
			used = streq(other, id);
		}
		if (!used)
			return id;
		free(id);
	}
}

static bool fdset_holds(struct json_object *set, const char *opaque)
{
	struct json_object *fds, *v;

	if (!json_object_object_get_ex(set, "fds", &fds))
		return false;
	for (size_t k = 0; k < json_object_array_length(fds); k++)
		if (json_object_object_get_ex(json_object_array_get_idx(fds, k), "opaque", &v) &&
		    streq(json_object_get_string(v), opaque))
			return true;
	return false;
}

/* A cdrom's new medium: its image as an fd set, then blockdev-change-medium; no source: eject.
 * The fd set of the medium it replaces (start's or an earlier change's) goes at the end. */
static void media_steps(struct hotplug *h, struct json_object *sets)
{
	const struct domain_disk *dk = &h->live->disks[h->index];
	_cleanup_free_ char *opaque = xasprintf("%s-image", dk->target_dev);
	struct json_object *o, *v;
	struct sv_error err;
	char *id = NULL;

	h->old_fdsets = json_object_new_array();
	for (size_t i = 0; sets && i < json_object_array_length(sets); i++) {
		struct json_object *set = json_object_array_get_idx(sets, i);
		if (fdset_holds(set, opaque) && json_object_object_get_ex(set, "fdset-id", &v))
			json_object_array_add(h->old_fdsets, json_object_get(v));
	}
	if (qemud_argv_disk_device_id(h->live, dk, &id, &err) < 0)
		id = xstrdup(dk->target_dev); /* checked before: cannot happen */
	if (!dk->src_path) {
		o = json_object_new_object();
		json_object_object_add(o, "id", jstr(id));
		json_object_object_add(o, "force", json_object_new_boolean(h->flags & HOTPLUG_FORCE));
		add_step(h, "eject", o, -1, NULL, NULL);
	} else {
		unsigned set = h->next_fdset++;
		_cleanup_free_ char *path = xasprintf("/dev/fdset/%u", set);
		o = json_object_new_object();
		json_object_object_add(o, "fdset-id", json_object_new_int64(set));
		json_object_object_add(o, "opaque", jstr(opaque));
		add_step(h, "add-fd", o, TAKE_FD(h->vol.layers[0].fd), "remove-fd",
			 obj1("fdset-id", json_object_new_int64(set)));
		o = json_object_new_object();
		json_object_object_add(o, "id", jstr(id));
		json_object_object_add(o, "filename", jstr(path));
		json_object_object_add(o, "format", jstr(dk->format == DOMAIN_DISK_FORMAT_QCOW2 ? "qcow2" : "raw"));
		json_object_object_add(o, "read-only-mode", jstr("read-only"));
		add_step(h, "blockdev-change-medium", o, -1, NULL, NULL);
	}
	free(id);
}

/* The fd sets QEMU has: the attach's own begin after the highest. */
static void fdsets_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;

	if (!d)
		return;
	if (r < 0)
		return attach_fail(j, r, err);
	h = j->state;
	h->next_fdset = 1;
	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		struct json_object *v;
		if (json_object_object_get_ex(json_object_array_get_idx(ret, i), "fdset-id", &v) &&
		    (unsigned)json_object_get_int64(v) >= h->next_fdset)
			h->next_fdset = (unsigned)json_object_get_int64(v) + 1;
	}
	if (h->update)
		media_steps(h, ret);
	else if (h->kind == QEMUD_HOTPLUG_DISK)
		disk_steps(h);
	else
		interface_steps(h);
	attach_step(j);
}

static void query_fdsets(struct domain_job *j, struct domain_obj *d)
{
	struct sv_error err;

	if (qemud_qmp_send(qemud_run_of(d)->qmp, "query-fdsets", NULL, 0, fdsets_answered, domain_job_ref(j), &err) < 0)
		attach_fail(j, -EPIPE, &err);
}

/* A free place for the device: on pc a slot of bus 0 that neither QEMU (query-pci) nor the
 * definition (given addresses, the video's) holds; on q35 an empty pcie-root-port. */
static int pick_address(const struct domain_def *live, struct json_object *buses, struct domain_address *out,
			struct sv_error *err)
{
	struct qemud_pci_alloc a;
	struct json_object *bus0 = NULL, *devs = NULL, *v;
	int r = qemud_pci_alloc_init(&a, live, err);

	if (r < 0)
		return r;
	for (size_t i = 0; buses && i < json_object_array_length(buses); i++) {
		struct json_object *b = json_object_array_get_idx(buses, i);
		if (json_object_object_get_ex(b, "bus", &v) && json_object_get_int(v) == 0)
			bus0 = b;
	}
	if (!bus0 || !json_object_object_get_ex(bus0, "devices", &devs))
		return FAIL(err, SV_ERR_OPERATION_FAILED, EPROTO, "domain '%s': QEMU reported no PCI bus 0", live->name);
	*out = (struct domain_address){ .type = DOMAIN_ADDRESS_PCI };
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *dv = json_object_array_get_idx(devs, i), *br, *below, *qid;
		if (json_object_object_get_ex(dv, "slot", &v) && json_object_get_int(v) >= 0 &&
		    json_object_get_int(v) < 32)
			a.used[json_object_get_int(v)] = true;
		/* q35: a root port (id pci.N, libvirt's controller index N) with nothing behind it */
		if (a.q35 && json_object_object_get_ex(dv, "pci_bridge", &br) &&
		    json_object_object_get_ex(dv, "qdev_id", &qid) && startswith(json_object_get_string(qid), "pci.") &&
		    (!json_object_object_get_ex(br, "devices", &below) || json_object_array_length(below) == 0) &&
		    out->bus == 0) {
			unsigned n = (unsigned)atoi(json_object_get_string(qid) + 4);
			bool given = false;
			for (unsigned s = 0; s < 32; s++)
				given |= a.functions[n & 0xff][s] != 0;
			if (n > 0 && n < 256 && !given)
				out->bus = n;
		}
	}
	if (a.q35) {
		if (out->bus)
			return 0;
		return FAIL(err, SV_ERR_OPERATION_FAILED, ENOSPC,
			    "domain '%s': no free pcie-root-port for the new device (a q35 machine hotplugs into an empty "
			    "<controller type='pci' model='pcie-root-port'/>)", live->name);
	}
	if (a.video_slot >= 0)
		a.used[a.video_slot] = true;
	for (out->slot = 1; out->slot < 32 && a.used[out->slot]; out->slot++)
		;
	if (out->slot == 32)
		return FAIL(err, SV_ERR_OPERATION_FAILED, ENOSPC, "domain '%s': no free slot left on PCI bus 0", live->name);
	return 0;
}

/* The device placed (its address, and an interface its id, written into its XML): the live
 * definition to be, checked as a definition is, then QEMU's fd sets. */
static void pci_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;
	xmlNode *dev, *old;
	struct sv_error e;

	if (!d)
		return;
	if (r < 0)
		return attach_fail(j, r, err);
	h = j->state;
	dev = device_node(h);
	if (!child_elem(dev, "address")) {
		char slot[8], bus[8];
		if ((r = pick_address(d->live, ret, &h->addr, &e)) < 0)
			return attach_fail(j, r, &e);
		snprintf(slot, sizeof(slot), "0x%02x", h->addr.slot);
		snprintf(bus, sizeof(bus), "0x%02x", h->addr.bus);
		xmlNode *a = xmlNewChild(dev, NULL, BAD_CAST "address", NULL);
		xmlNewProp(a, BAD_CAST "type", BAD_CAST "pci");
		xmlNewProp(a, BAD_CAST "domain", BAD_CAST "0x0000");
		xmlNewProp(a, BAD_CAST "bus", BAD_CAST bus);
		xmlNewProp(a, BAD_CAST "slot", BAD_CAST slot);
		xmlNewProp(a, BAD_CAST "function", BAD_CAST "0x0");
	}
	if (h->kind == QEMUD_HOTPLUG_INTERFACE) {
		_cleanup_free_ char *id = free_iface_id(d->live);
		if ((old = child_elem(dev, "alias"))) {
			xmlUnlinkNode(old);
			xmlFreeNode(old);
		}
		xmlNewProp(xmlNewChild(dev, NULL, BAD_CAST "alias", NULL), BAD_CAST "name", BAD_CAST id);
	}
	domain_def_free(h->live);
	h->live = NULL;
	if ((r = qemud_hotplug_def_add(d->live, dev, 0, &h->live, &e)) < 0 ||
	    (r = qemud_check_runnable(h->live, &e)) < 0)
		return attach_fail(j, r, &e);
	if (h->kind == QEMUD_HOTPLUG_DISK)
		h->addr = h->live->disks[h->index].addr;
	else
		h->addr = h->live->interfaces[h->index].addr;
	if (h->addr.type != DOMAIN_ADDRESS_PCI)
		return attach_fail(j, FAIL(&e, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					   "a hotplugged device needs a PCI address"), &e);
	query_fdsets(j, d);
}

/* Everything opened: where the device goes. */
static void attach_place(struct domain_job *j)
{
	struct domain_obj *d = live_domain(j);
	struct sv_error err;

	if (d && qemud_qmp_send(qemud_run_of(d)->qmp, "query-pci", NULL, 0, pci_answered, domain_job_ref(j), &err) < 0)
		attach_fail(j, -EPIPE, &err);
}

static void image_opened(void *opaque, int r, int fd, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (r < 0)
		return attach_fail(j, r, err);
	h = j->state;
	h->vol.layers = xcalloc(1, sizeof(*h->vol.layers));
	h->vol.nlayers = 1;
	h->vol.layers[0].fd = fd;
	h->vol.layers[0].read_only = h->live->disks[h->index].readonly ||
				     h->live->disks[h->index].device == DOMAIN_DISK_DEVICE_CDROM;
	if (h->update)
		return query_fdsets(j, d); /* the cdrom keeps its place */
	attach_place(j);
}

static void volume_opened(void *opaque, int r, struct qemud_argv_volume *vol, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;

	if (!d)
		return;
	if (r < 0)
		return attach_fail(j, r, err);
	h = j->state;
	h->vol = *vol;
	*vol = (struct qemud_argv_volume){ 0 };
	attach_place(j);
}

static void tap_opened(void *opaque, int r, char *ifname, int fd, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? domain_job_domain(j) : NULL;
	struct hotplug *h;

	if (!d || !live_domain(j)) {
		if (d)
			qemud_call_release_tap(d->uuid, ifname);
		if (fd >= 0)
			close(fd);
		free(ifname);
		return;
	}
	if (r < 0)
		return attach_fail(j, r, err);
	h = j->state;
	h->ifname = ifname;
	h->tap = fd;
	attach_place(j);
}

/* Live: the device in a copy of the running definition (refused by name when it cannot be),
 * then what it needs opened by the process allowed to. */
static void attach_live(struct domain_job *j, struct domain_obj *d)
{
	struct hotplug *h = j->state;
	struct sv_error err;
	int r = check_target_free(d->live, h, &err);

	if (r >= 0)
		r = qemud_hotplug_def_add(d->live, device_node(h), 0, &h->live, &err);
	if (r < 0)
		return domain_job_done(j, r, &err);
	h->index = (h->kind == QEMUD_HOTPLUG_DISK ? h->live->ndisks : h->live->ninterfaces) - 1;
	if ((r = check_hotpluggable(h->live, h->index, h->kind, &err)) < 0 ||
	    (r = qemud_check_runnable(h->live, &err)) < 0)
		return domain_job_done(j, r, &err);
	if (h->kind == QEMUD_HOTPLUG_DISK) {
		const struct domain_disk *dk = &h->live->disks[h->index];
		if (dk->type == DOMAIN_DISK_TYPE_VOLUME)
			r = qemud_call_open_volume(dk, volume_opened, domain_job_ref(j), &err);
		else
			r = qemud_spawner_open_image(dk->src_path, dk->readonly || dk->device == DOMAIN_DISK_DEVICE_CDROM,
						     qemud_run_of(d)->uid, image_opened, domain_job_ref(j), &err);
	} else if (h->live->interfaces[h->index].type != DOMAIN_NET_USER) {
		r = qemud_call_open_tap(h->live, h->index, tap_opened, domain_job_ref(j), &err);
	} else {
		return attach_place(j);
	}
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* The common start of both jobs: the domain, its flags, the device's XML; config's definition
 * to be when asked. */
static struct domain_obj *begin(struct domain_job *j, bool attach)
{
	struct domain_obj *d = domain_job_domain(j);
	struct hotplug *h = j->state;
	struct sv_error err;
	size_t i;
	int r;

	if (!d) {
		domain_job_done(j, FAIL(&err, SV_ERR_NO_DOMAIN, ENOENT, "Domain not found: domain '%s' went away", j->name),
				&err);
		return NULL;
	}
	r = resolve_flags(d, j->flags, &h->flags, &err);
	if (r >= 0 && (h->flags & HOTPLUG_FORCE))
		r = FAIL(&err, SV_ERR_INVALID_ARG, EINVAL, "the force flag applies to a cdrom's medium only (update-device)");
	if (r >= 0 && (h->flags & HOTPLUG_CONFIG)) {
		if (attach) {
			r = check_target_free(d->def, h, &err);
			if (r >= 0)
				r = qemud_hotplug_def_add(d->def, device_node(h), DOMAIN_PARSE_INACTIVE, &h->conf, &err);
			if (r >= 0)
				r = qemud_check_runnable(h->conf, &err);
		} else {
			r = qemud_hotplug_find(d->def, device_node(h), h->kind, &i, &err);
			if (r >= 0)
				r = qemud_hotplug_def_remove(d->def, h->kind, i, DOMAIN_PARSE_INACTIVE, &h->conf, &err);
		}
	}
	if (r < 0) {
		domain_job_done(j, r, &err);
		return NULL;
	}
	return d;
}

void qemud_job_attach_device(struct domain_job *j)
{
	struct domain_obj *d = begin(j, true); /* NULL: the job ended */
	struct hotplug *h;
	struct sv_error err;
	int r;

	if (!d)
		return;
	h = j->state;
	if (h->flags & HOTPLUG_LIVE)
		return attach_live(j, d);
	r = commit_config(h, &err);
	domain_job_done(j, r, r < 0 ? &err : NULL);
}

/* ---- detach ---- */

/* Detaches waiting for their device's DEVICE_DELETED. */
struct waiter {
	void *job;            /* domain_job_ref */
	char uuid[SV_UUID_STRING_LEN];
	char *id;
	struct waiter *next;
};
static struct waiter *waiters;

static void waiter_drop(void *job)
{
	for (struct waiter **w = &waiters; *w; w = &(*w)->next)
		if ((*w)->job == job) {
			struct waiter *gone = *w;
			*w = gone->next;
			free(gone->id);
			free(gone);
			return;
		}
}

void qemud_hotplug_fini(void)
{
	while (waiters)
		waiter_drop(waiters->job);
}

static void detach_end(struct domain_job *j)
{
	struct sv_error err;
	int r = commit_config(j->state, &err);

	waiter_drop(domain_job_ref(j));
	domain_job_done(j, r, r < 0 ? &err : NULL);
}

static void detach_expired(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);

	evwatch_remove(w);
	if (!j)
		return waiter_drop(opaque);
	j->timer = NULL;
	/* As libvirt: the removal is requested; the device goes when the guest lets it go. */
	log_info("domain '%s': the guest has not released device '%s' within %d ms: removal requested", j->name,
		 ((struct hotplug *)j->state)->id, DETACH_WAIT_MS);
	detach_end(j);
}

static void device_del_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? live_domain(j) : NULL;
	struct hotplug *h;
	struct waiter *w;

	if (!d)
		return;
	if (r < 0)
		return domain_job_done(j, r, err);
	h = j->state;
	/* The event may already have come (and removed the device). */
	if (!h->id)
		return detach_end(j);
	w = xcalloc(1, sizeof(*w));
	w->job = opaque;
	snprintf(w->uuid, sizeof(w->uuid), "%s", d->uuid);
	w->id = xstrdup(h->id);
	w->next = waiters;
	waiters = w;
	j->timer = evloop_timer(qemud.loop, DETACH_WAIT_MS, 0, detach_expired, opaque);
}

/* QEMU's id of the device of kind at index i of the running definition. */
static int device_id(const struct domain_def *live, enum qemud_hotplug_kind kind, size_t i, char **out,
		     struct sv_error *err)
{
	if (kind == QEMUD_HOTPLUG_INTERFACE) {
		*out = qemud_hotplug_iface_id(live, i);
		return 0;
	}
	if (qemud_argv_disk_bus(&live->disks[i]) != DOMAIN_DISK_BUS_VIRTIO)
		return FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
			    "disk '%s': hot-unplug on bus '%s' is not supported (virtio is)", live->disks[i].target_dev,
			    domain_disk_bus_to_string(qemud_argv_disk_bus(&live->disks[i])));
	*out = xasprintf("virtio-disk%d", qemud_argv_disk_index(live->disks[i].target_dev));
	return 0;
}

void qemud_job_detach_device(struct domain_job *j)
{
	struct domain_obj *d = begin(j, false); /* NULL: the job ended */
	struct hotplug *h;
	struct sv_error err;
	int r;

	if (!d)
		return;
	h = j->state;
	if (!(h->flags & HOTPLUG_LIVE))
		return detach_end(j);
	r = qemud_hotplug_find(d->live, device_node(h), h->kind, &h->index, &err);
	if (r >= 0)
		r = device_id(d->live, h->kind, h->index, &h->id, &err);
	if (r >= 0) {
		struct json_object *args = obj1("id", jstr(h->id));
		r = qemud_qmp_send(qemud_run_of(d)->qmp, "device_del", args, 0, device_del_answered, domain_job_ref(j),
				   &err);
		json_object_put(args); /* the monitor took its own reference */
	}
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* ---- update: a cdrom's medium ---- */

/* The cdrom of the update's XML in def (index *i), and its new definition in *out. */
static int update_def(const struct domain_def *def, struct hotplug *h, unsigned parse_flags, size_t *i,
		      struct domain_def **out, struct sv_error *err)
{
	const struct domain_disk *old, *new;
	int r = h->kind == QEMUD_HOTPLUG_DISK ? qemud_hotplug_find(def, device_node(h), h->kind, i, err)
					       : FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
						      "updating an interface is not supported (a cdrom's medium is)");

	if (r < 0)
		return r;
	old = &def->disks[*i];
	if (old->device != DOMAIN_DISK_DEVICE_CDROM)
		return FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
			    "disk '%s' is not a cdrom: only a cdrom's medium can be changed", old->target_dev);
	if ((r = qemud_hotplug_def_replace(def, h->kind, *i, device_node(h), parse_flags, out, err)) < 0 ||
	    (r = qemud_check_runnable(*out, err)) < 0)
		return r;
	new = &(*out)->disks[*i];
	if (new->device != old->device || qemud_argv_disk_bus(new) != qemud_argv_disk_bus(old))
		return FAIL(err, SV_ERR_OPERATION_INVALID, EINVAL,
			    "disk '%s': only the medium of a cdrom can change, not its device or bus", old->target_dev);
	if (new->src_path && new->type != DOMAIN_DISK_TYPE_FILE)
		return FAIL(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
			    "cdrom '%s': a medium of type '%s' is not supported (an image file is)", new->target_dev,
			    domain_disk_type_to_string(new->type));
	if (new->type == DOMAIN_DISK_TYPE_FILE && new->src_path)
		return qemud_image_path_check(new->target_dev, new->src_path, err);
	return 0;
}

void qemud_job_update_device(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct hotplug *h = j->state;
	struct sv_error err;
	_cleanup_free_ char *id = NULL;
	size_t i;
	int r;

	if (!d)
		return domain_job_done(j, FAIL(&err, SV_ERR_NO_DOMAIN, ENOENT, "Domain not found: domain '%s' went away",
					      j->name), &err);
	h->update = true;
	r = resolve_flags(d, j->flags, &h->flags, &err);
	if (r >= 0 && (h->flags & HOTPLUG_CONFIG))
		r = update_def(d->def, h, DOMAIN_PARSE_INACTIVE, &i, &h->conf, &err);
	if (r >= 0 && (h->flags & HOTPLUG_LIVE))
		r = update_def(d->live, h, 0, &h->index, &h->live, &err);
	if (r >= 0 && (h->flags & HOTPLUG_LIVE))
		r = qemud_argv_disk_device_id(h->live, &h->live->disks[h->index], &id, &err);
	if (r < 0)
		return domain_job_done(j, r, &err);
	if (!(h->flags & HOTPLUG_LIVE)) {
		r = commit_config(h, &err);
		return domain_job_done(j, r, r < 0 ? &err : NULL);
	}
	if (!h->live->disks[h->index].src_path)
		return query_fdsets(j, d);
	r = qemud_spawner_open_image(h->live->disks[h->index].src_path, true, qemud_run_of(d)->uid, image_opened,
				     domain_job_ref(j), &err);
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* ---- the device is gone from the guest ---- */

/* Block nodes: the disk's own (drive, drive-fileN, drive-fmtN), top first, deleted. */
struct disk_gone {
	char uuid[SV_UUID_STRING_LEN];
	char *target, *drive;
};

static void disk_gone_free(struct disk_gone *g)
{
	free(g->target);
	free(g->drive);
	free(g);
}

static struct qemud_qmp *qmp_of_uuid(const char *uuid, struct domain_obj **out)
{
	struct domain_obj *d = qemud.stopping ? NULL : domain_store_find_uuid(&qemud.store, uuid);

	if (!d || !domain_obj_active(d) || !d->priv)
		return NULL;
	*out = d;
	return qemud_run_of(d)->qmp;
}

/* Its place top-down: drive 0, drive-file0 1, drive-fmt1 2, drive-file1 3 ...; -1: not the disk's. */
static long node_rank(const char *name, const char *drive)
{
	size_t n = strlen(drive);
	char *end;
	long k;

	if (strncmp(name, drive, n) != 0)
		return -1;
	if (!name[n])
		return 0;
	if (startswith(name + n, "-file") && (k = strtol(name + n + 5, &end, 10)) >= 0 && !*end)
		return 2 * k + 1;
	if (startswith(name + n, "-fmt") && (k = strtol(name + n + 4, &end, 10)) > 0 && !*end)
		return 2 * k;
	return -1;
}

static void fdsets_of_gone(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct disk_gone *g = opaque;
	struct domain_obj *d;
	struct qemud_qmp *qmp = qmp_of_uuid(g->uuid, &d);
	_cleanup_free_ char *image = xasprintf("%s-image", g->target), *layer = xasprintf("%s-layer", g->target);

	for (size_t i = 0; qmp && r >= 0 && ret && i < json_object_array_length(ret); i++) {
		struct json_object *set = json_object_array_get_idx(ret, i), *fds, *v, *id;
		bool ours = false;
		if (!json_object_object_get_ex(set, "fdset-id", &id) || !json_object_object_get_ex(set, "fds", &fds))
			continue;
		for (size_t k = 0; k < json_object_array_length(fds); k++)
			if (json_object_object_get_ex(json_object_array_get_idx(fds, k), "opaque", &v)) {
				const char *o = json_object_get_string(v);
				ours |= streq(o, image) || startswith(o, layer);
			}
		if (ours)
			send_logged(qmp, domain_obj_name(d), "remove-fd", obj1("fdset-id", json_object_get(id)));
	}
	disk_gone_free(g);
}

static int cmp_rank(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static void nodes_of_gone(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct disk_gone *g = opaque;
	struct domain_obj *d;
	struct qemud_qmp *qmp = qmp_of_uuid(g->uuid, &d);
	size_t n = ret && r >= 0 ? json_object_array_length(ret) : 0, k = 0;
	_cleanup_free_ long *ranks = xmalloc((n + 1) * sizeof(long));
	struct sv_error e;

	if (!qmp) {
		disk_gone_free(g);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *v;
		long rank;
		if (json_object_object_get_ex(json_object_array_get_idx(ret, i), "node-name", &v) &&
		    (rank = node_rank(json_object_get_string(v), g->drive)) >= 0) {
			bool dup = false;
			for (size_t m = 0; m < k; m++)
				dup |= ranks[m] == rank;
			if (!dup)
				ranks[k++] = rank;
		}
	}
	qsort(ranks, k, sizeof(long), cmp_rank);
	for (size_t i = 0; i < k; i++) {
		_cleanup_free_ char *node = ranks[i] == 0 ? xstrdup(g->drive)
					    : ranks[i] % 2 ? xasprintf("%s-file%ld", g->drive, ranks[i] / 2)
							   : xasprintf("%s-fmt%ld", g->drive, ranks[i] / 2);
		send_logged(qmp, domain_obj_name(d), "blockdev-del", obj1("node-name", jstr(node)));
	}
	/* Then the fd sets that held its files. */
	if (qemud_qmp_send(qmp, "query-fdsets", NULL, 0, fdsets_of_gone, g, &e) < 0)
		disk_gone_free(g);
}

/* The backend of a device the guest released, and the device out of the live definition. */
static void device_gone(struct domain_obj *d, enum qemud_hotplug_kind kind, size_t i)
{
	struct qemud_qmp *qmp = qemud_run_of(d)->qmp;
	struct domain_def *live = NULL;
	struct sv_error err;

	if (kind == QEMUD_HOTPLUG_DISK) {
		struct disk_gone *g = xcalloc(1, sizeof(*g));
		snprintf(g->uuid, sizeof(g->uuid), "%s", d->uuid);
		g->target = xstrdup(d->live->disks[i].target_dev);
		g->drive = xasprintf("drive-virtio-disk%d", qemud_argv_disk_index(g->target));
		/* A disk started with -drive went with its device; one of -blockdev or hotplug did not. */
		if (qemud_qmp_send(qmp, "query-named-block-nodes", NULL, 0, nodes_of_gone, g, &err) < 0)
			disk_gone_free(g);
	} else {
		const struct domain_interface *n = &d->live->interfaces[i];
		_cleanup_free_ char *id = qemud_hotplug_iface_id(d->live, i), *netdev = xasprintf("host%s", id);
		send_logged(qmp, domain_obj_name(d), "netdev_del", obj1("id", jstr(netdev)));
		if (n->type != DOMAIN_NET_USER && n->target_dev)
			qemud_call_release_tap(d->uuid, n->target_dev);
	}
	if (qemud_hotplug_def_remove(d->live, kind, i, 0, &live, &err) < 0) {
		log_warn("domain '%s': %s", domain_obj_name(d), err.message);
		return;
	}
	domain_def_free(d->live);
	d->live = live;
	if (qemud_run_save_status(d, &err) < 0)
		log_warn("domain '%s': cannot save its status: %s", domain_obj_name(d), err.message);
}

void qemud_hotplug_event(struct domain_obj *d, const char *name, struct json_object *data)
{
	struct json_object *v;
	const char *id;

	if (!streq(name, "DEVICE_DELETED") || !d->live || !data || !json_object_object_get_ex(data, "device", &v))
		return;
	id = json_object_get_string(v);
	for (size_t i = 0; i < d->live->ndisks; i++) {
		_cleanup_free_ char *did = NULL;
		struct sv_error err;
		if (device_id(d->live, QEMUD_HOTPLUG_DISK, i, &did, &err) >= 0 && streq(did, id)) {
			device_gone(d, QEMUD_HOTPLUG_DISK, i);
			break;
		}
	}
	for (size_t i = 0; i < d->live->ninterfaces; i++) {
		_cleanup_free_ char *nid = qemud_hotplug_iface_id(d->live, i);
		if (streq(nid, id)) {
			device_gone(d, QEMUD_HOTPLUG_INTERFACE, i);
			break;
		}
	}
	log_info("domain '%s': device '%s' removed", domain_obj_name(d), id);
	/* A detach that waits for it ends. */
	for (struct waiter *w = waiters; w; w = w->next) {
		struct domain_job *j;
		if (!streq(w->uuid, d->uuid) || !streq(w->id, id))
			continue;
		j = domain_job_find(w->job);
		if (!j) {
			waiter_drop(w->job);
			break;
		}
		if (j->timer) {
			evwatch_remove(j->timer);
			j->timer = NULL;
		}
		detach_end(j);
		break;
	}
}

/* ---- the procedures ---- */

static int submit(struct rpc_request *req, const ProtobufCMessage *msg, const char *what, domain_job_fn run,
		  struct sv_error *err)
{
	const Sepvirt__DomainDeviceRequest *in = (const Sepvirt__DomainDeviceRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	struct hotplug *h;
	struct domain_job *j;
	int r;

	if (!d)
		return -ENOENT;
	h = xcalloc(1, sizeof(*h));
	h->tap = -1;
	/* The XML is read at once: a malformed one is refused without waiting for the domain. */
	if ((r = qemud_hotplug_parse(in->xml, &h->doc, &h->kind, err)) < 0) {
		hotplug_free(h);
		return r;
	}
	r = domain_job_submit(d, what, run, req, &j);
	if (r < 0) {
		hotplug_free(h);
		return r;
	}
	j->flags = in->flags;
	j->state = h;
	j->state_free = hotplug_free;
	return 0;
}

QEMUD_HANDLER(qemud_handle_attach_device) { return submit(req, msg, "attach-device", qemud_job_attach_device, err); }
QEMUD_HANDLER(qemud_handle_detach_device) { return submit(req, msg, "detach-device", qemud_job_detach_device, err); }
QEMUD_HANDLER(qemud_handle_update_device) { return submit(req, msg, "update-device", qemud_job_update_device, err); }
