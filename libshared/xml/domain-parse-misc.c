// SPDX-License-Identifier: LGPL-2.1-or-later
/* Domain XML: the memory and tuning elements (memoryBacking, maxMemory, iothreads) and the
 * smaller devices (channel, rng, watchdog, panic, usb hub). Each is parsed for QEMU's command
 * line and kept to be written back as given; what QEMU would not get is refused by name. */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

static const char *const no_attrs[] = { NULL };
static const char *const watchdog_models[DOMAIN_WATCHDOG_LAST] = { "i6300esb", "ib700", "itco" };
static const char *const watchdog_actions[] = { "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi", NULL };

static int parse_hugepages(const xmlNode *node, struct domain_memory_backing *mb, struct sv_error *err)
{
	static const char *const page_attrs[] = { "size", "unit", NULL };
	int r = xml_check_attrs(node, "memoryBacking/hugepages", no_attrs, err);

	mb->hugepages = true;
	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "page") || mb->hugepage_kib)
			return xml_err_element(err, "memoryBacking/hugepages", c);
		if (xml_attr(c, "nodeset"))
			return xml_err_unsupported(err, "attribute 'nodeset' of element 'memoryBacking/hugepages/page' is "
						   "not supported");
		if ((r = xml_check_attrs(c, "memoryBacking/hugepages/page", page_attrs, err)) < 0)
			return r;
		if (!xml_attr(c, "size"))
			return xml_err(err, "missing attribute 'size' in element 'page'");
		r = sv_units_parse_kib(xml_attr(c, "size"), xml_attr(c, "unit"), &mb->hugepage_kib, err);
		if (r >= 0 && mb->hugepage_kib != 2048 && mb->hugepage_kib != 1048576)
			return xml_err_unsupported(err, "hugepage size %llu KiB is not supported (2 MiB and 1 GiB are)",
						   mb->hugepage_kib);
	}
	return r;
}

/* Only the one-attribute children: <source type=...>, <access mode=...>, <allocation mode=...>. */
static int mode_of(const xmlNode *c, const char *path, const char *attr, const char *a, const char *b, bool *is_a,
		   struct sv_error *err)
{
	const char *const allowed[] = { attr, NULL };
	const char *v = xml_attr(c, attr);
	int r = xml_check_attrs(c, path, allowed, err);

	if (r < 0 || (r = xml_check_no_children(c, path, err)) < 0)
		return r;
	if (!v || (!streq(v, a) && !streq(v, b)))
		return xml_err_unsupported(err, "%s '%s' of element '%s' is not supported (%s, %s are)", attr, v ? v : "",
					   path, a, b);
	*is_a = streq(v, a);
	return 0;
}

int domain_parse_memory_backing(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	struct domain_memory_backing *mb = &def->memory_backing;
	bool anonymous = false, ondemand = false;
	int r = xml_check_attrs(node, "memoryBacking", no_attrs, err);

	if (r < 0 || (r = xml_check_once(mb->given ? "" : NULL, "memoryBacking", err)) < 0)
		return r;
	mb->given = true;
	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "hugepages")) {
			r = parse_hugepages(c, mb, err);
		} else if (xml_is(c, "nosharepages")) {
			mb->nosharepages = true;
			r = xml_check_attrs(c, "memoryBacking/nosharepages", no_attrs, err);
		} else if (xml_is(c, "source")) {
			r = mode_of(c, "memoryBacking/source", "type", "memfd", "anonymous", &mb->memfd, err);
			anonymous = !mb->memfd;
		} else if (xml_is(c, "access")) {
			r = mode_of(c, "memoryBacking/access", "mode", "shared", "private", &mb->shared, err);
		} else if (xml_is(c, "allocation")) {
			r = mode_of(c, "memoryBacking/allocation", "mode", "immediate", "ondemand", &mb->prealloc, err);
			ondemand = !mb->prealloc;
		} else if (xml_is(c, "locked")) {
			/* QEMU would mlock the guest's RAM under a memlock limit nobody raised for its uid */
			return xml_err_unsupported(err, "element 'memoryBacking/locked' is not supported: sepvirt sets no "
						   "memory lock limit for QEMU");
		} else {
			r = xml_err_element(err, "memoryBacking", c);
		}
	}
	(void)ondemand; /* QEMU's default */
	if (r >= 0 && mb->hugepages && anonymous)
		return xml_err_unsupported(err, "hugepages with memoryBacking source 'anonymous' are not supported "
					   "(memfd is)");
	return r < 0 ? r : xml_keep_add(&def->keep_tuning, node, err);
}

int domain_parse_max_memory(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "slots", "unit", NULL };
	_cleanup_free_ char *num = NULL;
	int r = xml_check_attrs(node, "maxMemory", allowed, err);

	if (r < 0 || (r = xml_check_once(def->max_memory_kib ? "" : NULL, "maxMemory", err)) < 0)
		return r;
	num = xml_text_trimmed(node);
	if ((r = sv_units_parse_kib(num, xml_attr(node, "unit"), &def->max_memory_kib, err)) < 0 ||
	    (r = xml_attr_uint(node, "maxMemory", "slots", 255, &def->max_memory_slots, err)) < 0)
		return r;
	if (!def->max_memory_kib)
		return xml_err(err, "element 'maxMemory' must be greater than 0");
	return xml_keep_add(&def->keep_tuning, node, err);
}

int domain_parse_iothreads(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	unsigned long long n;
	int r = xml_check_attrs(node, "iothreads", no_attrs, err);

	if (r < 0 || (r = xml_check_once(def->iothreads ? "" : NULL, "iothreads", err)) < 0 ||
	    (r = xml_text_ull(node, "iothreads", 64, &n, err)) < 0)
		return r;
	def->iothreads = (unsigned)n;
	return n ? xml_keep_add(&def->keep_tuning, node, err) : 0;
}

/* <channel type='unix'><source mode='bind' path=.../><target type='virtio' name=.../></channel>, or
 * type='pty' (QEMU makes the pty). */
int domain_parse_channel(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	static const char *const src_attrs[] = { "mode", "path", NULL };
	static const char *const target_attrs[] = { "type", "name", NULL };
	const char *type = xml_attr(node, "type"), *mode;
	struct domain_chr *ch;
	int r = xml_check_attrs(node, "channel", allowed, err);

	if (r < 0)
		return r;
	if (!type || (!streq(type, "unix") && !streq(type, "pty")))
		return xml_err_unsupported(err, "channel type '%s' is not supported (unix and pty are)", type ? type : "");
	ch = MODEL_APPEND(def->channels, def->nchannels);
	ch->type = streq(type, "pty") ? DOMAIN_CHR_PTY : DOMAIN_CHR_UNIX;
	ch->target_port = -1;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "source") && ch->type == DOMAIN_CHR_PTY) {
			/* the live pty of a running domain: state, not configuration */
			static const char *const pty_attrs[] = { "path", NULL };

			if ((r = xml_check_attrs(c, "channel/source", pty_attrs, err)) < 0)
				return r;
		} else if (xml_is(c, "source")) {
			if ((r = xml_check_attrs(c, "channel/source", src_attrs, err)) < 0 ||
			    (r = xml_check_no_children(c, "channel/source", err)) < 0)
				return r;
			mode = xml_attr(c, "mode");
			if (mode && !streq(mode, "bind") && !streq(mode, "connect"))
				return xml_err(err, "Invalid value for attribute 'mode' in element 'source': '%s'", mode);
			ch->unix_listen = !mode || streq(mode, "bind");
			free(ch->path);
			ch->path = xml_attr_dup(c, "path");
		} else if (xml_is(c, "target")) {
			if ((r = xml_check_attrs(c, "channel/target", target_attrs, err)) < 0 ||
			    (r = xml_check_no_children(c, "channel/target", err)) < 0)
				return r;
			if (!xml_attr(c, "type") || !streq(xml_attr(c, "type"), "virtio"))
				return xml_err_unsupported(err, "channel target type '%s' is not supported (virtio is)",
							   xml_attr(c, "type") ? xml_attr(c, "type") : "");
			ch->target_type = DOMAIN_CHR_TARGET_VIRTIO;
			free(ch->target_name);
			ch->target_name = xml_attr_dup(c, "name");
		} else if ((r = domain_parse_device_info(c, "channel", &ch->addr, NULL, err)) < 0) {
			return r;
		}
	}
	if (ch->target_type != DOMAIN_CHR_TARGET_VIRTIO)
		return xml_err(err, "channel needs <target type='virtio'/>");
	if (ch->target_name && (!*ch->target_name ||
	    ch->target_name[strspn(ch->target_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")]))
		return xml_err(err, "Invalid value for attribute 'name' in element 'target': '%s'", ch->target_name);
	if (ch->type == DOMAIN_CHR_PTY)
		return xml_keep_add(&def->keep_devices, node, err);
	/* no path (virt-install writes none): qemud binds one in its own directory at start */
	if (!ch->path && !ch->unix_listen)
		return xml_err(err, "channel '%s': mode 'connect' needs a source path",
			       ch->target_name ? ch->target_name : "");
	if (ch->path && ch->path[0] != '/')
		return xml_err(err, "character device path '%s' must be absolute", ch->path);
	return xml_keep_add(&def->keep_devices, node, err);
}

static int parse_rng_child(const xmlNode *c, struct domain_rng *rng, bool *backend, struct sv_error *err)
{
	static const char *const backend_attrs[] = { "model", NULL };
	static const char *const rate_attrs[] = { "bytes", "period", NULL };
	int r;

	if (xml_is(c, "backend")) {
		_cleanup_free_ char *dev = xml_text_trimmed(c);
		const char *model = xml_attr(c, "model");

		if ((r = xml_check_attrs(c, "rng/backend", backend_attrs, err)) < 0)
			return r;
		if (!model || !streq(model, "random"))
			return xml_err_unsupported(err, "rng backend model '%s' is not supported (random is)", model ? model : "");
		/* the spawner opens it for QEMU: only the kernel's generators */
		if (*dev && !streq(dev, "/dev/urandom") && !streq(dev, "/dev/random"))
			return xml_err_unsupported(err, "rng backend '%s' is not supported (/dev/urandom and /dev/random are)",
						   dev);
		*backend = true;
		return 0;
	}
	if (xml_is(c, "rate")) {
		if ((r = xml_check_attrs(c, "rng/rate", rate_attrs, err)) < 0 ||
		    (r = xml_attr_uint(c, "rate", "bytes", 1U << 30, &rng->rate_bytes, err)) < 0 ||
		    (r = xml_attr_uint(c, "rate", "period", 1U << 30, &rng->rate_period, err)) < 0)
			return r;
		if (!rng->rate_bytes)
			return xml_err(err, "missing attribute 'bytes' in element 'rate'");
		return 0;
	}
	return domain_parse_device_info(c, "rng", &rng->addr, NULL, err);
}

int domain_parse_rng(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "model", NULL };
	const char *model = xml_attr(node, "model");
	struct domain_rng *rng;
	bool backend = false;
	int r = xml_check_attrs(node, "rng", allowed, err);

	if (r < 0)
		return r;
	if (!model || !streq(model, "virtio"))
		return xml_err_unsupported(err, "rng model '%s' is not supported (virtio is)", model ? model : "");
	rng = MODEL_APPEND(def->rngs, def->nrngs);
	for (const xmlNode *c = node->children; c; c = c->next)
		if (xml_is_elem(c) && (r = parse_rng_child(c, rng, &backend, err)) < 0)
			return r;
	if (!backend)
		return xml_err(err, "missing element 'backend' in element 'rng'");
	return xml_keep_add(&def->keep_devices, node, err);
}

int domain_parse_watchdog(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "model", "action", NULL };
	const char *model = xml_attr(node, "model"), *action = xml_attr(node, "action");
	struct domain_watchdog *w;
	bool known = false;
	int r = xml_check_attrs(node, "watchdog", allowed, err);

	if (r < 0)
		return r;
	if (def->nwatchdogs)
		return xml_err_unsupported(err, "only one <watchdog> is supported");
	w = MODEL_APPEND(def->watchdogs, def->nwatchdogs);
	if (!model)
		return xml_err(err, "missing attribute 'model' in element 'watchdog'");
	if ((r = XML_ENUM_FROM(watchdog_models, model)) < 0)
		return xml_err_unsupported(err, "watchdog model '%s' is not supported (i6300esb, ib700, itco are)", model);
	w->model = r;
	for (size_t i = 0; action && watchdog_actions[i]; i++)
		known |= streq(watchdog_actions[i], action);
	if (action && !known)
		return xml_err_unsupported(err, "watchdog action '%s' is not supported", action);
	w->action = action ? xstrdup(action) : NULL;
	for (const xmlNode *c = node->children; c; c = c->next)
		if (xml_is_elem(c) && (r = domain_parse_device_info(c, "watchdog", &w->addr, NULL, err)) < 0)
			return r;
	return xml_keep_add(&def->keep_devices, node, err);
}

int domain_parse_panic(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "model", NULL };
	const char *model = xml_attr(node, "model");
	struct domain_address scratch = { 0 };
	int r = xml_check_attrs(node, "panic", allowed, err);

	if (r < 0)
		return r;
	if (model && !streq(model, "isa"))
		return xml_err_unsupported(err, "panic model '%s' is not supported (isa is)", model);
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is(c, "address"))
			return xml_err_unsupported(err, "element 'panic/address' is not supported (the ISA port is 0x505)");
		if (xml_is_elem(c) && (r = domain_parse_device_info(c, "panic", &scratch, NULL, err)) < 0)
			return r;
	}
	if ((r = xml_check_once(def->panic_isa ? "" : NULL, "panic", err)) < 0)
		return r;
	def->panic_isa = true;
	return xml_keep_add(&def->keep_devices, node, err);
}

int domain_parse_hub(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	const char *type = xml_attr(node, "type");
	struct domain_address *a;
	int r = xml_check_attrs(node, "hub", allowed, err);

	if (r < 0)
		return r;
	if (!type || !streq(type, "usb"))
		return xml_err_unsupported(err, "hub type '%s' is not supported (usb is)", type ? type : "");
	a = MODEL_APPEND(def->hubs, def->nhubs);
	for (const xmlNode *c = node->children; c; c = c->next)
		if (xml_is_elem(c) && (r = domain_parse_device_info(c, "hub", a, NULL, err)) < 0)
			return r;
	return xml_keep_add(&def->keep_devices, node, err);
}
