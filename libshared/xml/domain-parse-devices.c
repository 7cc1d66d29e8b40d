/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain XML devices → struct domain_def: disk, filesystem, interface, serial, console.
 * The managed tap rules of DESIGN.md live in parse_interface_target(). */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

#define BOOT_ORDER_MAX 1000
#define MTU_MAX 65535

static const char *const no_attrs[] = { NULL };

static const struct {
	const char *element; /* NULL: any other element */
	const char *what;
	size_t max;
} device_limits[] = {
	{ "interface", "interface devices", DOMAIN_MAX_INTERFACES },
	{ "disk", "disk devices", DOMAIN_MAX_DISKS },
	{ "filesystem", "filesystem devices", DOMAIN_MAX_FILESYSTEMS },
	{ "serial", "serial devices", DOMAIN_MAX_SERIALS },
	{ "console", "console devices", DOMAIN_MAX_CONSOLES },
	{ NULL, "other devices (controllers, input, video...)", DOMAIN_MAX_OTHER_DEVICES },
};

/* Counted before anything is parsed: 10,000 interfaces are refused in one pass over the
 * elements, not after 10,000 MACs were generated and checked against each other. */
int domain_check_device_counts(const xmlNode *devices, struct sv_error *err)
{
	size_t count[ARRAY_SIZE(device_limits)] = { 0 };

	for (const xmlNode *c = devices->children; c; c = c->next) {
		size_t i = 0;

		if (!xml_is_elem(c))
			continue;
		while (device_limits[i].element && !xml_is(c, device_limits[i].element))
			i++;
		count[i]++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(device_limits); i++)
		if (count[i] > device_limits[i].max)
			return xml_err_unsupported(err, "too many %s: %zu (limit %zu per domain)", device_limits[i].what,
						   count[i], device_limits[i].max);
	return 0;
}

static int parse_boot_order(const xmlNode *c, const char *path, unsigned *order,
			    struct sv_error *err)
{
	static const char *const allowed[] = { "order", NULL };
	int r = xml_check_attrs(c, path, allowed, err);

	if (r < 0)
		return r;
	if (!xml_attr(c, "order"))
		return xml_err(err, "missing attribute 'order' in element 'boot'");
	r = xml_attr_uint(c, "boot", "order", BOOT_ORDER_MAX, order, err);
	if (r >= 0 && *order == 0)
		r = xml_err(err, "Invalid value for attribute 'order' in element 'boot': '0'");
	return r;
}

/* Device names, models, paths end up in argv or in a path under /dev: no surprises. */
static bool is_word(const char *s)
{
	return s && *s &&
	       !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")];
}

static int parse_disk_driver(const xmlNode *c, struct domain_disk *disk, struct sv_error *err)
{
	static const char *const allowed[] = { "name", "type", "cache", "discard", NULL };
	const char *name = xml_attr(c, "name"), *type = xml_attr(c, "type"), *discard = xml_attr(c, "discard");
	int r = xml_check_attrs(c, "disk/driver", allowed, err), v;

	if (r < 0)
		return r;
	/* 'ignore' is QEMU's default; it is written back as 'unmap' or not at all */
	if (discard && !streq(discard, "unmap") && !streq(discard, "ignore"))
		return xml_err(err, "Invalid value for attribute 'discard' in element 'driver': '%s'", discard);
	disk->discard_unmap = discard && streq(discard, "unmap");
	if (name && !streq(name, "qemu"))
		return xml_err_unsupported(err, "disk driver name '%s' is not supported", name);
	if (type) {
		v = XML_ENUM_FROM(domain_disk_format_names, type);
		if (v < 0)
			return xml_err_unsupported(err, "disk format '%s' is not supported", type);
		disk->format = v;
	}
	r = XML_ATTR_ENUM(c, "driver", "cache", domain_disk_cache_names, DOMAIN_DISK_CACHE_DEFAULT,
			  &v, err);
	disk->cache = v;
	free(disk->driver_name);
	disk->driver_name = xml_attr_dup(c, "name");
	return r;
}

/* The protocols libvirt's network disks name; whether one can run is the driver's business. */
static const char *const disk_protocols[] = {
	"nbd", "rbd", "sheepdog", "gluster", "iscsi", "http", "https", "ftp", "ftps", "tftp", "ssh", "nfs", NULL,
};

static int parse_disk_network_source(const xmlNode *c, struct domain_disk *disk, struct sv_error *err)
{
	static const char *const attrs[] = { "protocol", "name", NULL };
	static const char *const host_attrs[] = { "name", "port", NULL };
	int r = xml_check_attrs(c, "disk/source", attrs, err);
	bool known = false;

	if (r < 0 || (r = xml_attr_required(c, "source", "protocol", &disk->src_protocol, err)) < 0)
		return r;
	for (size_t i = 0; disk_protocols[i]; i++)
		known |= streq(disk_protocols[i], disk->src_protocol);
	if (!known)
		return xml_err_unsupported(err, "disk source protocol '%s' is not supported", disk->src_protocol);
	disk->src_name = xml_attr_dup(c, "name");
	for (const xmlNode *h = c->children; h; h = h->next) {
		if (!xml_is_elem(h))
			continue;
		if (!xml_is(h, "host"))
			return xml_err_unsupported(err, "element 'disk/source/%s' is not supported", (const char *)h->name);
		if ((r = xml_check_attrs(h, "disk/source/host", host_attrs, err)) < 0)
			return r;
		struct domain_disk_host *host = MODEL_APPEND(disk->hosts, disk->nhosts);
		if ((r = xml_attr_required(h, "host", "name", &host->name, err)) < 0)
			return r;
		host->port = xml_attr_dup(h, "port");
		if (!is_word(host->name) || (host->port && host->port[strspn(host->port, "0123456789")]))
			return xml_err(err, "invalid network disk host '%s' port '%s'", host->name,
				       host->port ? host->port : "");
	}
	return 0;
}

static int parse_disk_source(const xmlNode *c, struct domain_disk *disk, struct sv_error *err)
{
	if (disk->type == DOMAIN_DISK_TYPE_NETWORK) {
		int r = xml_check_once(disk->src_protocol, "disk/source", err);
		return r < 0 ? r : parse_disk_network_source(c, disk, err);
	}

	static const char *const file_attrs[] = { "file", NULL };
	static const char *const block_attrs[] = { "dev", NULL };
	static const char *const volume_attrs[] = { "pool", "volume", NULL };
	int r = xml_check_no_children(c, "disk/source", err);

	if (r < 0 || (r = xml_check_once(disk->src_path ? "" : disk->src_pool, "disk/source", err)) < 0)
		return r;
	switch (disk->type) {
	case DOMAIN_DISK_TYPE_FILE:
		r = xml_check_attrs(c, "disk/source", file_attrs, err);
		disk->src_path = xml_attr_dup(c, "file");
		break;
	case DOMAIN_DISK_TYPE_BLOCK:
		r = xml_check_attrs(c, "disk/source", block_attrs, err);
		disk->src_path = xml_attr_dup(c, "dev");
		break;
	default:
		r = xml_check_attrs(c, "disk/source", volume_attrs, err);
		if (r >= 0)
			r = xml_attr_required(c, "source", "pool", &disk->src_pool, err);
		if (r >= 0)
			r = xml_attr_required(c, "source", "volume", &disk->src_volume, err);
		break;
	}
	if (r >= 0 && disk->src_path && disk->src_path[0] != '/')
		r = xml_err(err, "disk source '%s' must be an absolute path", disk->src_path);
	return r;
}

static int parse_disk_target(const xmlNode *c, struct domain_disk *disk, struct sv_error *err)
{
	static const char *const allowed[] = { "dev", "bus", NULL };
	const char *bus = xml_attr(c, "bus");
	int r = xml_check_attrs(c, "disk/target", allowed, err), v;

	if (r < 0 || (r = xml_check_once(disk->target_dev, "disk/target", err)) < 0)
		return r;
	r = xml_attr_required(c, "target", "dev", &disk->target_dev, err);
	if (r < 0)
		return r;
	if (!is_word(disk->target_dev) || strlen(disk->target_dev) > 32)
		return xml_err(err, "Invalid value for attribute 'dev' in element 'target': '%s'",
			       disk->target_dev);
	if (bus) {
		v = XML_ENUM_FROM(domain_disk_bus_names, bus);
		if (v < 0)
			return xml_err_unsupported(err, "disk bus '%s' is not supported", bus);
		disk->bus = v;
	}
	return 0;
}

static int parse_disk_child(const xmlNode *c, struct domain_disk *disk, struct sv_error *err)
{
	if (xml_is(c, "driver"))
		return parse_disk_driver(c, disk, err);
	if (xml_is(c, "source"))
		return parse_disk_source(c, disk, err);
	if (xml_is(c, "target"))
		return parse_disk_target(c, disk, err);
	if (xml_is(c, "boot"))
		return parse_boot_order(c, "disk/boot", &disk->boot_order, err);
	if (xml_is(c, "readonly") || xml_is(c, "shareable")) {
		int r = xml_check_attrs(c, (const char *)c->name, no_attrs, err);

		if (xml_is(c, "readonly"))
			disk->readonly = true;
		else
			disk->shareable = true;
		return r;
	}
	return domain_parse_device_info(c, "disk", &disk->addr, &disk->keep, err);
}

int domain_parse_disk(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "device", NULL };
	const char *type = xml_attr(node, "type"), *device = xml_attr(node, "device");
	struct domain_disk *disk = MODEL_APPEND(def->disks, def->ndisks);
	int r = xml_check_attrs(node, "disk", allowed, err);

	if (r < 0)
		return r;
	r = XML_ENUM_FROM(domain_disk_type_names, type ? type : "file");
	if (r < 0)
		return xml_err_unsupported(err, "disk type '%s' is not supported", type);
	disk->type = r;
	r = XML_ENUM_FROM(domain_disk_device_names, device ? device : "disk");
	if (r < 0)
		return xml_err_unsupported(err, "disk device '%s' is not supported", device);
	disk->device = r;

	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is_elem(c) && (r = parse_disk_child(c, disk, err)) < 0)
			return r;
	}
	if (!disk->target_dev)
		return xml_err(err, "missing target information for disk");
	/* Only removable media may be empty. */
	if (!disk->src_path && !disk->src_pool && !disk->src_protocol && disk->device == DOMAIN_DISK_DEVICE_DISK)
		return xml_err(err, "disk '%s' has no source", disk->target_dev);
	for (size_t i = 0; i + 1 < def->ndisks; i++)
		if (streq(def->disks[i].target_dev, disk->target_dev))
			return xml_err(err, "target '%s' duplicated for disk sources", disk->target_dev);
	return 0;
}

static int parse_dir_attr(const xmlNode *c, const char *path, char **out, struct sv_error *err)
{
	static const char *const allowed[] = { "dir", NULL };
	int r = xml_check_attrs(c, path, allowed, err);

	if (r < 0 || (r = xml_check_once(*out, path, err)) < 0)
		return r;
	r = xml_attr_required(c, (const char *)c->name, "dir", out, err);
	if (r >= 0 && (*out)[0] != '/')
		r = xml_err(err, "'%s' in element '%s' must be an absolute path", *out, path);
	return r;
}

int domain_parse_filesystem(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "accessmode", NULL };
	const char *type = xml_attr(node, "type"), *mode = xml_attr(node, "accessmode");
	struct domain_filesystem *fs = MODEL_APPEND(def->filesystems, def->nfilesystems);
	int r = xml_check_attrs(node, "filesystem", allowed, err);

	if (r < 0)
		return r;
	if (type && !streq(type, "mount"))
		return xml_err_unsupported(err, "filesystem type '%s' is not supported", type);
	if (mode && !streq(mode, "passthrough"))
		return xml_err_unsupported(err, "filesystem accessmode '%s' is not supported", mode);
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "source"))
			r = parse_dir_attr(c, "filesystem/source", &fs->src_dir, err);
		else if (xml_is(c, "target"))
			r = parse_dir_attr(c, "filesystem/target", &fs->target_dir, err);
		else if (xml_is(c, "readonly")) {
			fs->readonly = true;
			r = xml_check_attrs(c, "filesystem/readonly", no_attrs, err);
		} else {
			r = domain_parse_device_info(c, "filesystem", NULL, &fs->keep, err);
		}
		if (r < 0)
			return r;
	}
	if (!fs->src_dir || !fs->target_dir)
		return xml_err(err, "filesystem needs both a source dir and a target dir");
	return 0;
}

static int parse_interface_mac(const xmlNode *c, struct domain_interface *iface, bool *seen,
			       struct sv_error *err)
{
	static const char *const allowed[] = { "address", NULL };
	const char *addr = xml_attr(c, "address");
	int r = xml_check_attrs(c, "interface/mac", allowed, err);

	if (r < 0 || (r = xml_check_once(*seen ? "" : NULL, "interface/mac", err)) < 0)
		return r;
	*seen = true;
	if (sv_mac_parse(addr, iface->mac) < 0)
		return xml_err(err, "unable to parse mac address '%s'", addr ? addr : "");
	if (sv_mac_is_multicast(iface->mac))
		return xml_err(err, "expected unicast mac address, found multicast '%s'", addr);
	return 0;
}

static int parse_interface_source(const xmlNode *c, struct domain_interface *iface,
				  struct sv_error *err)
{
	static const char *const bridge_attrs[] = { "bridge", NULL };
	/* portid is what libvirt's running network gave the port: state, not config. */
	static const char *const network_attrs[] = { "network", "portid", NULL };
	int r = xml_check_once(iface->source, "interface/source", err);

	if (r < 0)
		return r;

	switch (iface->type) {
	case DOMAIN_NET_ETHERNET:
		/* Host-side addresses and routes of the tap: netd's business, kept as given. */
		r = xml_check_attrs(c, "interface/source", no_attrs, err);
		for (const xmlNode *g = c->children; r >= 0 && g; g = g->next)
			if (xml_is_elem(g) && !xml_is(g, "ip") && !xml_is(g, "route"))
				r = xml_err_element(err, "interface/source", g);
		return r < 0 ? r : xml_keep_add(&iface->source_ip, c, err);
	case DOMAIN_NET_BRIDGE:
		r = xml_check_attrs(c, "interface/source", bridge_attrs, err);
		if (r >= 0)
			r = xml_attr_required(c, "source", "bridge", &iface->source, err);
		if (r >= 0)
			r = sv_ifname_validate(iface->source, err);
		break;
	case DOMAIN_NET_NETWORK:
		r = xml_check_attrs(c, "interface/source", network_attrs, err);
		if (r >= 0)
			r = xml_attr_required(c, "source", "network", &iface->source, err);
		if (r >= 0)
			r = sv_name_validate("network", iface->source, err);
		break;
	default:
		return xml_err_element(err, "interface", c);
	}
	return r < 0 ? r : xml_check_no_children(c, "interface/source", err);
}

/* DESIGN.md, "The managed tap attribute". */
static int parse_interface_target(const xmlNode *c, unsigned flags, struct domain_interface *iface,
				  struct sv_error *err)
{
	static const char *const allowed[] = { "dev", "managed", NULL };
	const char *dev = xml_attr(c, "dev");
	int r = xml_check_attrs(c, "interface/target", allowed, err), managed;

	if (r < 0 || (r = xml_check_once(iface->target_dev, "interface/target", err)) < 0)
		return r;
	r = XML_ATTR_ENUM(c, "target", "managed", domain_net_managed_names,
			  DOMAIN_NET_MANAGED_ABSENT, &managed, err);
	if (r < 0)
		return r;
	iface->managed = managed;
	if (managed == DOMAIN_NET_MANAGED_NO && iface->type != DOMAIN_NET_ETHERNET)
		return xml_err_unsupported(err,
			"unmanaged target dev is not supported on interfaces of type '%s'",
			domain_net_type_names[iface->type]);
	if (managed == DOMAIN_NET_MANAGED_NO && (!dev || !*dev))
		return xml_err(err, "target dev must be supplied when managed='no'");
	if (!dev)
		return 0;
	r = sv_ifname_validate(dev, err);
	if (r < 0)
		return r;
	/* vnet* in a stored definition was generated for an earlier run: make a new one.
	 * A tap the administrator created (managed='no') keeps its name, whatever it is. */
	if ((flags & DOMAIN_PARSE_INACTIVE) && managed != DOMAIN_NET_MANAGED_NO &&
	    startswith(dev, "vnet"))
		return 0;
	iface->target_dev = xstrdup(dev);
	return 0;
}

static int parse_single_attr(const xmlNode *c, const char *attr, const char *path,
				  char **out, struct sv_error *err)
{
	const char *const allowed[] = { attr, NULL };
	int r = xml_check_attrs(c, path, allowed, err);

	if (r < 0 || (r = xml_check_once(*out, path, err)) < 0)
		return r;
	return xml_attr_required(c, (const char *)c->name, attr, out, err);
}

static int parse_interface_child(const xmlNode *c, unsigned flags, struct domain_interface *iface,
				 bool *mac_seen, struct sv_error *err)
{
	int r;

	if (xml_is(c, "mac"))
		return parse_interface_mac(c, iface, mac_seen, err);
	if (xml_is(c, "source"))
		return parse_interface_source(c, iface, err);
	if (xml_is(c, "target"))
		return parse_interface_target(c, flags, iface, err);
	if (xml_is(c, "model")) {
		r = parse_single_attr(c, "type", "interface/model", &iface->model, err);
		if (r >= 0 && !is_word(iface->model))
			r = xml_err(err, "Invalid value for attribute 'type' in element 'model': '%s'",
				    iface->model);
		return r;
	}
	if (xml_is(c, "script") && iface->type == DOMAIN_NET_ETHERNET)
		return parse_single_attr(c, "path", "interface/script", &iface->script, err);
	if (xml_is(c, "mtu")) {
		static const char *const allowed[] = { "size", NULL };

		r = xml_check_attrs(c, "interface/mtu", allowed, err);
		if (r >= 0)
			r = xml_attr_uint(c, "mtu", "size", MTU_MAX, &iface->mtu, err);
		if (r >= 0 && iface->mtu == 0)
			r = xml_err(err, "Invalid value for attribute 'size' in element 'mtu'");
		return r;
	}
	if (xml_is(c, "boot"))
		return parse_boot_order(c, "interface/boot", &iface->boot_order, err);
	if (xml_is(c, "guest")) {
		r = parse_single_attr(c, "dev", "interface/guest", &iface->guest_dev, err);
		return r < 0 ? r : sv_ifname_validate(iface->guest_dev, err);
	}
	return domain_parse_device_info(c, "interface", &iface->addr, &iface->keep, err);
}

int domain_parse_interface(const xmlNode *node, unsigned flags, struct domain_def *def,
			   struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	const char *type = xml_attr(node, "type");
	struct domain_interface *iface = MODEL_APPEND(def->interfaces, def->ninterfaces);
	bool mac_seen = false;
	int r = xml_check_attrs(node, "interface", allowed, err);

	if (r < 0)
		return r;
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'interface'");
	r = XML_ENUM_FROM(domain_net_type_names, type);
	if (r < 0)
		return xml_err_unsupported(err, "interface type '%s' is not supported", type);
	iface->type = r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is_elem(c) && (r = parse_interface_child(c, flags, iface, &mac_seen, err)) < 0)
			return r;
	}
	if ((iface->type == DOMAIN_NET_BRIDGE || iface->type == DOMAIN_NET_NETWORK) && !iface->source)
		return xml_err(err, "No <source> '%s' attribute specified with <interface type='%s'/>",
			       iface->type == DOMAIN_NET_BRIDGE ? "bridge" : "network", type);
	if (!mac_seen) {
		/* Generated once here; the formatted definition carries it from then on. */
		r = sv_mac_generate(iface->mac);
		if (r < 0)
			return sv_error_set_errno(err, SV_FROM_XML, SV_ERR_INTERNAL, -r,
						  "cannot generate a MAC address");
		iface->mac_generated = true;
	}
	return 0;
}

static int parse_chr_source(const xmlNode *c, struct domain_chr *chr, struct sv_error *err)
{
	static const char *const allowed[] = { "path", "mode", NULL };
	const char *mode = xml_attr(c, "mode");
	int r = xml_check_attrs(c, "source", allowed, err);

	if (r < 0 || (r = xml_check_no_children(c, "source", err)) < 0)
		return r;
	if (mode && (chr->type != DOMAIN_CHR_UNIX || (!streq(mode, "bind") && !streq(mode, "connect"))))
		return xml_err(err, "Invalid value for attribute 'mode' in element 'source': '%s'", mode);
	chr->unix_listen = mode && streq(mode, "bind");
	free(chr->path);
	chr->path = xml_attr_dup(c, "path");
	if (chr->path && chr->path[0] != '/')
		return xml_err(err, "character device path '%s' must be absolute", chr->path);
	return 0;
}

static int parse_chr_target(const xmlNode *c, struct domain_chr *chr, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "port", NULL };
	unsigned port = 0;
	int r = xml_check_attrs(c, "target", allowed, err), t;

	if (r < 0)
		return r;
	for (const xmlNode *m = c->children; m; m = m->next) {
		if (!xml_is_elem(m))
			continue;
		/* libvirt writes <model name='isa-serial'/> for every serial it formats */
		if (!xml_is(m, "model") || chr->target_model)
			return xml_err_element(err, "target", m);
		r = parse_single_attr(m, "name", "target/model", &chr->target_model, err);
		if (r >= 0 && !is_word(chr->target_model))
			r = xml_err(err, "Invalid value for attribute 'name' in element 'model': '%s'",
				    chr->target_model);
		if (r < 0)
			return r;
	}
	r = XML_ATTR_ENUM(c, "target", "type", domain_chr_target_names, DOMAIN_CHR_TARGET_NONE, &t, err);
	if (r < 0)
		return r;
	chr->target_type = t;
	chr->target_port = -1;
	if (xml_attr(c, "port")) {
		r = xml_attr_uint(c, "target", "port", 255, &port, err);
		chr->target_port = (int)port;
	}
	return r;
}

int domain_parse_chr(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	/* tty: the live pty of a running domain */
	static const char *const allowed[] = { "type", "tty", NULL };
	const char *kind = (const char *)node->name;
	const char *type = xml_attr(node, "type");
	struct domain_chr *chr = xml_is(node, "serial") ? MODEL_APPEND(def->serials, def->nserials)
							: MODEL_APPEND(def->consoles, def->nconsoles);
	int r = xml_check_attrs(node, kind, allowed, err);

	if (r < 0)
		return r;
	chr->target_port = -1;
	r = XML_ENUM_FROM(domain_chr_type_names, type ? type : "pty");
	if (r < 0)
		return xml_err_unsupported(err, "%s type '%s' is not supported", kind, type);
	chr->type = r;
	if (chr->type == DOMAIN_CHR_PTY && xml_attr(node, "tty"))
		chr->path = xml_attr_dup(node, "tty");
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "source"))
			r = parse_chr_source(c, chr, err);
		else if (xml_is(c, "target"))
			r = parse_chr_target(c, chr, err);
		else
			r = domain_parse_device_info(c, kind, &chr->addr, &chr->keep, err);
		if (r < 0)
			return r;
	}
	if (chr->type != DOMAIN_CHR_PTY && !chr->path)
		return xml_err(err, "missing source path for %s of type '%s'", kind, type);
	return 0;
}
