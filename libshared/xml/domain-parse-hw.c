// SPDX-License-Identifier: LGPL-2.1-or-later
/* Domain XML: <address> and the devices that describe the virtual hardware around the disks
 * and NICs: controller, input, video, memballoon. Each is parsed for QEMU's command line and
 * its XML kept to be written back as given; what QEMU would not get is refused by name. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

const char *const domain_controller_type_names[DOMAIN_CONTROLLER_LAST] = {
	"usb", "pci", "virtio-serial", "scsi", "ide", "sata", "fdc",
};
static const char *const address_type_names[DOMAIN_ADDRESS_LAST] = {
	"", "pci", "drive", "usb", "virtio-serial", "isa",
};
static const char *const input_type_names[DOMAIN_INPUT_LAST] = { "mouse", "tablet", "keyboard" };
static const char *const input_bus_names[DOMAIN_INPUT_BUS_LAST] = { "", "ps2", "usb", "virtio" };
const char *const domain_video_model_names[DOMAIN_VIDEO_LAST] = {
	"none", "vga", "cirrus", "qxl", "virtio", "bochs",
};

/* A number as libvirt writes addresses: decimal or 0x-prefixed hex. */
static int attr_num(const xmlNode *n, const char *elem, const char *attr, unsigned max, unsigned *out,
		    struct sv_error *err)
{
	const char *v = xml_attr(n, attr);
	unsigned long long u = 0;
	char *end = NULL;

	if (!v)
		return 0;
	errno = 0;
	if (*v >= '0' && *v <= '9')
		u = strtoull(v, &end, 0);
	if (!end || *end || errno || u > max)
		return xml_err(err, "Invalid value for attribute '%s' in element '%s': '%s'", attr, elem, v);
	*out = (unsigned)u;
	return 0;
}

static int parse_pci_address(const xmlNode *n, struct domain_address *a, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "domain", "bus", "slot", "function", "multifunction", NULL };
	int r = xml_check_attrs(n, "address", allowed, err), mf = 0;

	if (r >= 0)
		r = attr_num(n, "address", "domain", 0, &a->domain, err);
	if (r >= 0)
		r = attr_num(n, "address", "bus", 255, &a->bus, err);
	if (r >= 0)
		r = attr_num(n, "address", "slot", 31, &a->slot, err);
	if (r >= 0)
		r = attr_num(n, "address", "function", 7, &a->function, err);
	if (r >= 0)
		r = xml_attr_onoff(n, "address", "multifunction", &mf, err);
	a->multifunction = mf == 1;
	return r;
}

int domain_parse_address(const xmlNode *n, struct domain_address *a, struct sv_error *err)
{
	static const char *const drive_attrs[] = { "type", "controller", "bus", "target", "unit", NULL };
	static const char *const usb_attrs[] = { "type", "bus", "port", NULL };
	static const char *const vs_attrs[] = { "type", "controller", "bus", "port", NULL };
	const char *type = xml_attr(n, "type"), *port;
	int r, t;

	if ((r = xml_check_once(a->type ? "" : NULL, "address", err)) < 0 ||
	    (r = xml_check_no_children(n, "address", err)) < 0)
		return r;
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'address'");
	t = XML_ENUM_FROM(address_type_names, type);
	if (t <= 0 || t == DOMAIN_ADDRESS_ISA)
		return xml_err_unsupported(err, "address type '%s' is not supported", type);
	a->type = t;
	switch (a->type) {
	case DOMAIN_ADDRESS_PCI:
		return parse_pci_address(n, a, err);
	case DOMAIN_ADDRESS_DRIVE:
		r = xml_check_attrs(n, "address", drive_attrs, err);
		if (r >= 0)
			r = attr_num(n, "address", "controller", 31, &a->controller, err);
		if (r >= 0)
			r = attr_num(n, "address", "bus", 31, &a->bus, err);
		if (r >= 0)
			r = attr_num(n, "address", "target", 255, &a->target, err);
		if (r >= 0)
			r = attr_num(n, "address", "unit", 255, &a->unit, err);
		return r;
	case DOMAIN_ADDRESS_USB:
		r = xml_check_attrs(n, "address", usb_attrs, err);
		if (r >= 0)
			r = attr_num(n, "address", "bus", 31, &a->bus, err);
		port = xml_attr(n, "port");
		if (r >= 0 && port) {
			/* "1" or "1.2.3": hub ports, into QEMU's port= as given */
			if (!*port || port[strspn(port, "0123456789.")] || strlen(port) >= sizeof(a->usb_port))
				return xml_err(err, "Invalid value for attribute 'port' in element 'address': '%s'", port);
			snprintf(a->usb_port, sizeof(a->usb_port), "%s", port);
		}
		return r;
	default:
		r = xml_check_attrs(n, "address", vs_attrs, err);
		if (r >= 0)
			r = attr_num(n, "address", "controller", 31, &a->controller, err);
		if (r >= 0)
			r = attr_num(n, "address", "bus", 0, &a->bus, err);
		if (r >= 0)
			r = attr_num(n, "address", "port", 30, &a->port, err);
		return r;
	}
}

/* <address> parsed into addr, and <address>, <alias> kept (when keep is given); anything else
 * is refused. */
int domain_parse_device_info(const xmlNode *c, const char *parent, struct domain_address *addr,
			     struct xml_keep *keep, struct sv_error *err)
{
	struct domain_address scratch = { 0 };
	int r;

	if (xml_is(c, "address")) {
		if ((r = domain_parse_address(c, addr ? addr : &scratch, err)) < 0)
			return r;
	} else if (!xml_is(c, "alias")) {
		return xml_err_element(err, parent, c);
	}
	return keep ? xml_keep_add(keep, c, err) : 0;
}

static int parse_controller_target(const xmlNode *c, struct domain_controller *ctl, struct sv_error *err)
{
	static const char *const allowed[] = { "chassisNr", "chassis", "port", "busNr", NULL };
	unsigned v;
	int r = xml_check_attrs(c, "controller/target", allowed, err);

	if (r < 0 || (r = xml_check_no_children(c, "controller/target", err)) < 0)
		return r;
	if (xml_attr(c, "chassisNr") || xml_attr(c, "chassis")) {
		r = attr_num(c, "target", xml_attr(c, "chassis") ? "chassis" : "chassisNr", 255, &v, err);
		ctl->chassis = (int)v;
	}
	if (r >= 0 && xml_attr(c, "port")) {
		r = attr_num(c, "target", "port", 255, &v, err);
		ctl->port = (int)v;
	}
	if (r >= 0 && xml_attr(c, "busNr")) {
		r = attr_num(c, "target", "busNr", 255, &v, err);
		ctl->busnr = (int)v;
	}
	return r;
}

static int parse_controller_child(const xmlNode *c, struct domain_controller *ctl, struct sv_error *err)
{
	static const char *const name_attr[] = { "name", NULL };
	int r;

	if (xml_is(c, "model") && ctl->type == DOMAIN_CONTROLLER_PCI) {
		if ((r = xml_check_attrs(c, "controller/model", name_attr, err)) < 0 ||
		    (r = xml_check_once(ctl->model_name, "controller/model", err)) < 0 ||
		    (r = xml_attr_required(c, "model", "name", &ctl->model_name, err)) < 0)
			return r;
		return 0;
	}
	if (xml_is(c, "target") && ctl->type == DOMAIN_CONTROLLER_PCI)
		return parse_controller_target(c, ctl, err);
	if (xml_is(c, "master") && ctl->type == DOMAIN_CONTROLLER_USB) {
		static const char *const startport[] = { "startport", NULL };
		unsigned v = 0;

		if ((r = xml_check_attrs(c, "controller/master", startport, err)) < 0 ||
		    (r = xml_check_no_children(c, "controller/master", err)) < 0 ||
		    (r = attr_num(c, "master", "startport", 15, &v, err)) < 0)
			return r;
		if (!xml_attr(c, "startport"))
			return xml_err(err, "missing attribute 'startport' in element 'master'");
		ctl->master_startport = (int)v;
		return 0;
	}
	return domain_parse_device_info(c, "controller", &ctl->addr, NULL, err);
}

int domain_parse_controller(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "index", "model", "ports", "vectors", NULL };
	const char *type = xml_attr(node, "type"), *model = xml_attr(node, "model");
	struct domain_controller *ctl = MODEL_APPEND(def->controllers, def->ncontrollers);
	int r = xml_check_attrs(node, "controller", allowed, err);

	ctl->chassis = ctl->port = ctl->busnr = ctl->master_startport = -1;
	if (r < 0)
		return r;
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'controller'");
	r = XML_ENUM_FROM(domain_controller_type_names, type);
	if (r < 0)
		return xml_err_unsupported(err, "controller type '%s' is not supported", type);
	ctl->type = r;
	ctl->index_given = xml_attr(node, "index") != NULL;
	if ((r = attr_num(node, "controller", "index", 255, &ctl->index, err)) < 0 ||
	    (r = attr_num(node, "controller", "ports", 31, &ctl->ports, err)) < 0 ||
	    (r = attr_num(node, "controller", "vectors", 1024, &ctl->vectors, err)) < 0)
		return r;
	if (model && (!*model || model[strspn(model, "abcdefghijklmnopqrstuvwxyz0123456789-")]))
		return xml_err(err, "Invalid value for attribute 'model' in element 'controller': '%s'", model);
	ctl->model = model ? xstrdup(model) : NULL;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is_elem(c) && (r = parse_controller_child(c, ctl, err)) < 0)
			return r;
	}
	if (ctl->model_name && ctl->model_name[strspn(ctl->model_name, "abcdefghijklmnopqrstuvwxyz0123456789-")])
		return xml_err(err, "Invalid value for attribute 'name' in element 'model': '%s'", ctl->model_name);
	return xml_keep_add(&def->keep_controllers, node, err);
}

static bool index_taken(const struct domain_def *def, const struct domain_controller *ctl, unsigned index)
{
	for (size_t i = 0; i < def->ncontrollers; i++)
		if (&def->controllers[i] != ctl && def->controllers[i].type == ctl->type &&
		    def->controllers[i].index_given && def->controllers[i].index == index &&
		    def->controllers[i].master_startport < 0)
			return true;
	return false;
}

/* After all controllers are read: each one without an index gets the first free one of its type
 * (virt-install writes none), and two with the same index are refused. */
int domain_controllers_post_parse(struct domain_def *def, struct sv_error *err)
{
	for (size_t i = 0; i < def->ncontrollers; i++) {
		struct domain_controller *ctl = &def->controllers[i];

		/* ICH9's UHCIs are companions even without <master>: ports 0, 2, 4 as libvirt gives them */
		if (ctl->type == DOMAIN_CONTROLLER_USB && ctl->master_startport < 0 && ctl->model &&
		    startswith(ctl->model, "ich9-uhci") && ctl->model[9] >= '1' && ctl->model[9] <= '6' && !ctl->model[10])
			ctl->master_startport = (ctl->model[9] - '1') % 3 * 2;
	}
	for (size_t i = 0; i < def->ncontrollers; i++) {
		struct domain_controller *ctl = &def->controllers[i];

		/* a USB companion shares its master's index */
		if (ctl->index_given && ctl->master_startport >= 0)
			continue;
		if (ctl->index_given) {
			if (index_taken(def, ctl, ctl->index))
				return xml_err(err, "Multiple '%s' controllers with index '%u'",
					       domain_controller_type_names[ctl->type], ctl->index);
			continue;
		}
		for (ctl->index = 0; index_taken(def, ctl, ctl->index); ctl->index++)
			;
		ctl->index_given = true;
	}
	return 0;
}

int domain_parse_input(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "bus", NULL };
	struct domain_input *in = MODEL_APPEND(def->inputs, def->ninputs);
	int r = xml_check_attrs(node, "input", allowed, err), v;

	if (r < 0)
		return r;
	if (!xml_attr(node, "type"))
		return xml_err(err, "missing attribute 'type' in element 'input'");
	if ((r = XML_ATTR_ENUM(node, "input", "type", input_type_names, -1, &v, err)) < 0)
		return xml_err_unsupported(err, "input type '%s' is not supported", xml_attr(node, "type"));
	in->type = v;
	if (xml_attr(node, "bus") && XML_ENUM_FROM(input_bus_names, xml_attr(node, "bus")) <= 0)
		return xml_err_unsupported(err, "input bus '%s' is not supported", xml_attr(node, "bus"));
	in->bus = xml_attr(node, "bus") ? XML_ENUM_FROM(input_bus_names, xml_attr(node, "bus")) : 0;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is_elem(c) && (r = domain_parse_device_info(c, "input", &in->addr, NULL, err)) < 0)
			return r;
	}
	return xml_keep_add(&def->keep_devices, node, err);
}

static int parse_video_model(const xmlNode *m, struct domain_video *v, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "vram", "ram", "vgamem", "vram64", "heads", "primary", NULL };
	const char *type = xml_attr(m, "type");
	int r = xml_check_attrs(m, "video/model", allowed, err), p = 0;

	if (r < 0)
		return r;
	for (const xmlNode *c = m->children; c; c = c->next)
		if (xml_is_elem(c))
			return xml_err_element(err, "video/model", c);
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'video/model'");
	r = XML_ENUM_FROM(domain_video_model_names, type);
	if (r < 0)
		return xml_err_unsupported(err, "video model '%s' is not supported", type);
	v->model = r;
	if ((r = attr_num(m, "model", "vram", 1U << 22, &v->vram, err)) < 0 ||
	    (r = attr_num(m, "model", "ram", 1U << 22, &v->ram, err)) < 0 ||
	    (r = attr_num(m, "model", "vgamem", 1U << 22, &v->vgamem, err)) < 0 ||
	    (r = attr_num(m, "model", "vram64", 1U << 24, &v->vram64, err)) < 0 ||
	    (r = attr_num(m, "model", "heads", 16, &v->heads, err)) < 0 ||
	    (r = xml_attr_yesno(m, "model", "primary", &p, err)) < 0)
		return r;
	v->primary = p == DOMAIN_TRISTATE_YES;
	return 0;
}

int domain_parse_video(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const no_attrs[] = { NULL };
	struct domain_video *v = MODEL_APPEND(def->videos, def->nvideos);
	bool model = false;
	int r = xml_check_attrs(node, "video", no_attrs, err);

	v->model = DOMAIN_VIDEO_LAST;
	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "model")) {
			r = xml_check_once(model ? "" : NULL, "video/model", err);
			if (r >= 0)
				r = parse_video_model(c, v, err);
			model = true;
		} else {
			r = domain_parse_device_info(c, "video", &v->addr, NULL, err);
		}
	}
	if (r < 0)
		return r;
	if (!model)
		return xml_err_unsupported(err, "video without a model type is not supported");
	return xml_keep_add(&def->keep_devices, node, err);
}

int domain_parse_memballoon(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "model", "autodeflate", "freePageReporting", NULL };
	struct domain_memballoon *b = &def->memballoon;
	const char *model = xml_attr(node, "model");
	int r = xml_check_attrs(node, "memballoon", allowed, err), v = 0;

	if (r < 0 || (r = xml_check_once(b->given ? "" : NULL, "memballoon", err)) < 0)
		return r;
	b->given = true;
	if (!model)
		return xml_err(err, "missing attribute 'model' in element 'memballoon'");
	if (!streq(model, "virtio") && !streq(model, "none"))
		return xml_err_unsupported(err, "memballoon model '%s' is not supported", model);
	b->none = streq(model, "none");
	if ((r = xml_attr_onoff(node, "memballoon", "autodeflate", &v, err)) < 0)
		return r;
	b->autodeflate = v;
	if ((r = xml_attr_onoff(node, "memballoon", "freePageReporting", &v, err)) < 0)
		return r;
	b->free_page_reporting = v;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (xml_is_elem(c) && (r = domain_parse_device_info(c, "memballoon", &b->addr, NULL, err)) < 0)
			return r;
	}
	if (b->none && (b->autodeflate || b->free_page_reporting || b->addr.type))
		return xml_err(err, "memballoon model 'none' takes no attributes or address");
	return xml_keep_add(&def->keep_devices, node, err);
}
