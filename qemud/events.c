// SPDX-License-Identifier: LGPL-2.1-or-later
/* QEMU's monitor events that libvirt turns into domain events other than lifecycle, turned into
 * the same ones (PROC_DOMAIN_EVENT_OTHER, libvirt's event IDs and numbers): RESET → reboot,
 * WATCHDOG → watchdog, BLOCK_IO_ERROR → io-error and io-error-reason, BALLOON_CHANGE →
 * balloon-change, DEVICE_DELETED → device-removed. */
#include "config.h"

#include "argv.h"
#include "domain-event.h"
#include "events.h"
#include "log.h"
#include "run.h"

static const char *str_field(struct json_object *data, const char *key)
{
	struct json_object *v;

	return data && json_object_object_get_ex(data, key, &v) ? json_object_get_string(v) : NULL;
}

static void emit(const struct domain_obj *d, Sepvirt__DomainEventOther *ev)
{
	domain_store_emit_other(&qemud.store, d, ev);
}

static int index_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (streq(names[i], name))
			return i;
	return -1;
}

static void on_watchdog(const struct domain_obj *d, struct json_object *data)
{
	/* QEMU's WatchdogAction names, in the order of libvirt's virDomainEventWatchdogAction */
	static const char *const actions[] = { "none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi" };
	Sepvirt__DomainEventOther ev = SEPVIRT__DOMAIN_EVENT_OTHER__INIT;
	int action = index_of(actions, (int)ARRAY_SIZE(actions), str_field(data, "action"));

	ev.id = DOMAIN_EVENT_ID_WATCHDOG;
	ev.action = action < 0 ? WATCHDOG_NONE : action;
	emit(d, &ev);
}

/* The disk a block node or drive belongs to: its alias, and its source as libvirt reports it
 * (a volume, whose path only storaged knows, as POOL/VOLUME). */
static bool disk_of_node(const struct domain_obj *d, const char *node, char **alias, char **src)
{
	const char *name = node && startswith(node, "drive-") ? node + strlen("drive-") : node;

	for (size_t i = 0; name && i < d->live->ndisks; i++) {
		const struct domain_disk *disk = &d->live->disks[i];
		_cleanup_free_ char *a = NULL;
		struct sv_error err;

		if (qemud_argv_disk_device_id(d->live, disk, &a, &err) < 0 || !streq(a, name))
			continue;
		*alias = TAKE_PTR(a);
		if (disk->src_path)
			*src = xstrdup(disk->src_path);
		else if (disk->src_volume)
			*src = xasprintf("%s/%s", disk->src_pool ? disk->src_pool : "", disk->src_volume);
		else
			*src = xstrdup("");
		return true;
	}
	return false;
}

static void on_io_error(const struct domain_obj *d, struct json_object *data)
{
	Sepvirt__DomainEventOther ev = SEPVIRT__DOMAIN_EVENT_OTHER__INIT;
	const char *node = str_field(data, "node-name"), *device = str_field(data, "device");
	const char *action = str_field(data, "action"), *reason = str_field(data, "reason");
	_cleanup_free_ char *alias = NULL, *src = NULL;
	struct json_object *v;
	bool nospace = data && json_object_object_get_ex(data, "nospace", &v) && json_object_get_boolean(v);

	if (!disk_of_node(d, device && *device ? device : node, &alias, &src)) {
		log_warn("domain '%s': I/O error on a block node of no disk ('%s')", domain_obj_name(d),
			 device && *device ? device : node ? node : "");
		return;
	}
	log_warn("domain '%s': I/O error on disk %s (%s): %s, action %s", domain_obj_name(d), alias, src,
		 reason ? reason : "", action ? action : "");
	ev.id = DOMAIN_EVENT_ID_IO_ERROR;
	ev.src_path = src;
	ev.dev_alias = alias;
	/* QEMU's stop, report, ignore are libvirt's pause, report, none */
	ev.action = action && streq(action, "stop")	? IO_ERROR_PAUSE
		    : action && streq(action, "report") ? IO_ERROR_REPORT
							: IO_ERROR_NONE;
	emit(d, &ev);
	/* libvirt's reason: "enospc" when the disk is full, else the errno's name it cannot know
	 * from QEMU's text either, so "" as libvirt gives for an unknown one */
	ev.id = DOMAIN_EVENT_ID_IO_ERROR_REASON;
	ev.reason = (char *)(nospace ? "enospc" : "");
	emit(d, &ev);
}

static void on_balloon_change(const struct domain_obj *d, struct json_object *data)
{
	Sepvirt__DomainEventOther ev = SEPVIRT__DOMAIN_EVENT_OTHER__INIT;
	struct json_object *v;

	if (!data || !json_object_object_get_ex(data, "actual", &v))
		return;
	ev.id = DOMAIN_EVENT_ID_BALLOON_CHANGE;
	ev.value = (uint64_t)json_object_get_int64(v) / 1024;
	emit(d, &ev);
}

void qemud_events_from_qmp(const struct domain_obj *d, const char *name, struct json_object *data)
{
	Sepvirt__DomainEventOther ev = SEPVIRT__DOMAIN_EVENT_OTHER__INIT;

	if (streq(name, "RESET")) {
		/* as libvirt: every reset of the machine, the guest's own reboot or a reset asked */
		ev.id = DOMAIN_EVENT_ID_REBOOT;
		emit(d, &ev);
	} else if (streq(name, "WATCHDOG")) {
		on_watchdog(d, data);
	} else if (streq(name, "BLOCK_IO_ERROR")) {
		on_io_error(d, data);
	} else if (streq(name, "BALLOON_CHANGE")) {
		on_balloon_change(d, data);
	} else if (streq(name, "DEVICE_DELETED") && str_field(data, "device") && *str_field(data, "device")) {
		ev.id = DOMAIN_EVENT_ID_DEVICE_REMOVED;
		ev.dev_alias = (char *)str_field(data, "device");
		emit(d, &ev);
	}
}
