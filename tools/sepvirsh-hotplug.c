/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh hotplug commands: attach-device, detach-device, attach-disk, detach-disk,
 * attach-interface, detach-interface. As virsh, the disk and interface commands write the
 * device's XML themselves and make the same call as attach-device. */
#include "config.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const device_pos[] = { "domain", "file", NULL };
static const char *const device_opts[] = { "live", "config", "persistent", "current", NULL };

/* virsh's rules: --current alone; --persistent is config, and live too when the domain runs. */
static int modify_flags(const struct vsh_cmd *cmd, const char *const *opts, const sepvirt_domain *d, unsigned *out)
{
	bool live = vsh_flag(cmd, opts, "live"), config = vsh_flag(cmd, opts, "config");
	bool persistent = vsh_flag(cmd, opts, "persistent"), current = vsh_flag(cmd, opts, "current");

	if (current && (live || config || persistent)) {
		fprintf(stderr, "error: Options --current and --%s are mutually exclusive\n",
			live ? "live" : config ? "config" : "persistent");
		return -1;
	}
	*out = SEPVIRT_DEVICE_MODIFY_CURRENT;
	if (live)
		*out |= SEPVIRT_DEVICE_MODIFY_LIVE;
	if (config || persistent)
		*out |= SEPVIRT_DEVICE_MODIFY_CONFIG;
	if (persistent && d->id >= 0)
		*out |= SEPVIRT_DEVICE_MODIFY_LIVE;
	return 0;
}

/* The call and virsh's words for it: "Device attached successfully" or the error. */
static int device_call(struct vsh_ctl *ctl, const struct vsh_cmd *cmd, const char *const *opts, const char *xml,
		       bool attach, const char *what, const char *failed)
{
	sepvirt_domain d;
	unsigned flags;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0 || modify_flags(cmd, opts, &d, &flags) < 0)
		return 1;
	if ((attach ? sepvirt_domain_attach_device : sepvirt_domain_detach_device)(ctl->conn, d.name, xml, flags) < 0)
		return vsh_fail(failed);
	printf("%s %s successfully\n", what, attach ? "attached" : "detached");
	return 0;
}

static int cmd_device(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool attach = streq(cmd->name, "attach-device");
	_cleanup_free_ char *xml = NULL, *failed = NULL;

	if (vsh_read_file(cmd->argv[1], &xml) < 0)
		return 1;
	failed = xasprintf("Failed to %s device from %s", attach ? "attach" : "detach", cmd->argv[1]);
	return device_call(ctl, cmd, device_opts, xml, attach, "Device", failed);
}

/* The element's XML text. */
static char *node_text(xmlNode *n)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char *s;

	xmlNodeDump(buf, n->doc, n, 0, 1);
	s = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

static xmlNode *new_child(xmlNode *parent, const char *name)
{
	return xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

static void set_prop(xmlNode *n, const char *name, const char *value)
{
	if (value)
		xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

/* Valued options first: their values are kept by place. */
static const char *const disk_opts[] = {
	"driver=", "subdriver=", "type=", "targetbus=", "mode=", "sourcetype=", "live", "config", "persistent",
	"current", NULL,
};
static const char *const attach_disk_pos[] = { "domain", "source", "target", NULL };

static int cmd_attach_disk(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
static int cmd_detach_disk(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
static int cmd_attach_interface(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
static int cmd_detach_interface(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);

static const char *const detach_disk_pos[] = { "domain", "target", NULL };
static const char *const detach_disk_opts[] = { "live", "config", "persistent", "current", NULL };
static const char *const iface_opts[] = {
	"target=", "mac=", "model=", "managed=", "live", "config", "persistent", "current", NULL,
};
static const char *const attach_iface_pos[] = { "domain", "type", "source?", NULL };
static const char *const detach_iface_opts[] = { "mac=", "live", "config", "persistent", "current", NULL };
static const char *const detach_iface_pos[] = { "domain", "type", NULL };
static int cmd_change_media(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
static const char *const media_opts[] = {
	"eject", "insert", "update", "live", "config", "persistent", "current", "force", NULL,
};
static const char *const media_pos[] = { "domain", "path", "source?", NULL };

const struct vsh_command vsh_hotplug_commands[] = {
	{ "attach-device", "attach a device from an XML file (--live, --config, --persistent, --current)", device_opts, device_pos, cmd_device },
	{ "detach-device", "detach the device an XML file describes (--live, --config, --persistent, --current)", device_opts, device_pos, cmd_device },
	{ "attach-disk", "attach a disk image (--driver, --subdriver, --type, --targetbus, --mode readonly, --sourcetype, --live, --config, --persistent, --current)", disk_opts, attach_disk_pos, cmd_attach_disk },
	{ "detach-disk", "detach the disk of a target (--live, --config, --persistent, --current)", detach_disk_opts, detach_disk_pos, cmd_detach_disk },
	{ "attach-interface", "attach a network interface of a type (ethernet, network, bridge, user) (--target, --managed no, --mac, --model, --live, --config, --persistent, --current)", iface_opts, attach_iface_pos, cmd_attach_interface },
	{ "detach-interface", "detach a network interface of a type (--mac, --live, --config, --persistent, --current)", detach_iface_opts, detach_iface_pos, cmd_detach_interface },
	{ "change-media", "eject, insert or update a cdrom's medium (--eject, --insert, --update, --live, --config, --persistent, --current, --force)", media_opts, media_pos, cmd_change_media },
	{ NULL },
};

static const struct vsh_command *def_of(const char *name)
{
	for (const struct vsh_command *c = vsh_hotplug_commands; c->name; c++)
		if (streq(c->name, name))
			return c;
	return NULL;
}

static int cmd_attach_disk(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const struct vsh_command *def = def_of(cmd->name);
	const char *driver = vsh_opt_value(cmd, def, "driver"), *subdriver = vsh_opt_value(cmd, def, "subdriver");
	const char *type = vsh_opt_value(cmd, def, "type"), *bus = vsh_opt_value(cmd, def, "targetbus");
	const char *mode = vsh_opt_value(cmd, def, "mode"), *stype = vsh_opt_value(cmd, def, "sourcetype");
	const char *source = cmd->argv[1];
	_cleanup_free_ char *xml = NULL;
	struct stat st;
	xmlDocPtr doc;
	xmlNode *disk, *n;

	if (mode && !streq(mode, "readonly") && !streq(mode, "shareable")) {
		fprintf(stderr, "error: No support for %s in command 'attach-disk'\n", mode);
		return 1;
	}
	if (!stype)
		stype = stat(source, &st) == 0 && S_ISBLK(st.st_mode) ? "block" : "file";
	if (!streq(stype, "file") && !streq(stype, "block")) {
		fprintf(stderr, "error: Unknown source type: '%s'\n", stype);
		return 1;
	}
	doc = xmlNewDoc(BAD_CAST "1.0");
	disk = xmlNewNode(NULL, BAD_CAST "disk");
	xmlDocSetRootElement(doc, disk);
	set_prop(disk, "type", stype);
	set_prop(disk, "device", type ? type : "disk");
	if (driver || subdriver) {
		n = new_child(disk, "driver");
		set_prop(n, "name", driver);
		set_prop(n, "type", subdriver);
	}
	set_prop(new_child(disk, "source"), streq(stype, "block") ? "dev" : "file", source);
	n = new_child(disk, "target");
	set_prop(n, "dev", cmd->argv[2]);
	set_prop(n, "bus", bus);
	if (mode)
		new_child(disk, mode);
	xml = node_text(disk);
	xmlFreeDoc(doc);
	return device_call(ctl, cmd, disk_opts, xml, true, "Disk", "Failed to attach disk");
}

static int cmd_detach_disk(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_free_ char *xml = NULL;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *disk = xmlNewNode(NULL, BAD_CAST "disk");

	xmlDocSetRootElement(doc, disk);
	set_prop(new_child(disk, "target"), "dev", cmd->argv[1]);
	xml = node_text(disk);
	xmlFreeDoc(doc);
	return device_call(ctl, cmd, detach_disk_opts, xml, false, "Disk", "Failed to detach disk");
}

static int cmd_attach_interface(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const struct vsh_command *def = def_of(cmd->name);
	const char *type = cmd->argv[1], *source = cmd->argv[2];
	const char *target = vsh_opt_value(cmd, def, "target"), *mac = vsh_opt_value(cmd, def, "mac");
	const char *model = vsh_opt_value(cmd, def, "model"), *managed = vsh_opt_value(cmd, def, "managed");
	_cleanup_free_ char *xml = NULL;
	xmlDocPtr doc;
	xmlNode *iface, *n;

	if (!streq(type, "network") && !streq(type, "bridge") && !streq(type, "ethernet") && !streq(type, "user")) {
		fprintf(stderr, "error: No support for %s in command 'attach-interface'\n", type);
		return 1;
	}
	if ((streq(type, "network") || streq(type, "bridge")) && !source) {
		fprintf(stderr, "error: interface of type '%s' needs a source\n", type);
		return 1;
	}
	if (source && !streq(type, "network") && !streq(type, "bridge")) {
		fprintf(stderr, "error: interface of type '%s' takes no source ('%s' given)\n", type, source);
		return 1;
	}
	if (managed && (!target || !streq(type, "ethernet"))) {
		fprintf(stderr, "error: --managed applies to an ethernet interface's --target\n");
		return 1;
	}
	doc = xmlNewDoc(BAD_CAST "1.0");
	iface = xmlNewNode(NULL, BAD_CAST "interface");
	xmlDocSetRootElement(doc, iface);
	set_prop(iface, "type", type);
	if (source)
		set_prop(new_child(iface, "source"), streq(type, "network") ? "network" : "bridge", source);
	if (target) {
		n = new_child(iface, "target");
		set_prop(n, "dev", target);
		set_prop(n, "managed", managed);
	}
	if (mac)
		set_prop(new_child(iface, "mac"), "address", mac);
	if (model)
		set_prop(new_child(iface, "model"), "type", model);
	xml = node_text(iface);
	xmlFreeDoc(doc);
	return device_call(ctl, cmd, iface_opts, xml, true, "Interface", "Failed to attach interface");
}

static int cmd_detach_interface(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *mac = vsh_opt_value(cmd, def_of(cmd->name), "mac");
	_cleanup_free_ char *xml = NULL;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *iface = xmlNewNode(NULL, BAD_CAST "interface");

	xmlDocSetRootElement(doc, iface);
	set_prop(iface, "type", cmd->argv[1]);
	if (mac)
		set_prop(new_child(iface, "mac"), "address", mac);
	xml = node_text(iface);
	xmlFreeDoc(doc);
	return device_call(ctl, cmd, detach_iface_opts, xml, false, "Interface", "Failed to detach interface");
}

static xmlNode *first_child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
			return c;
	return NULL;
}

/* The disk whose target or source path is path, in the domain's XML. */
static xmlNode *find_disk(xmlDocPtr doc, const char *path)
{
	xmlNode *devices = first_child(xmlDocGetRootElement(doc), "devices");

	for (xmlNode *c = devices ? devices->children : NULL; c; c = c->next) {
		xmlNode *t, *src;
		xmlChar *v;
		bool match = false;
		if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "disk"))
			continue;
		if ((t = first_child(c, "target")) && (v = xmlGetProp(t, BAD_CAST "dev"))) {
			match = xmlStrEqual(v, BAD_CAST path);
			xmlFree(v);
		}
		if (!match && (src = first_child(c, "source")) && (v = xmlGetProp(src, BAD_CAST "file"))) {
			match = xmlStrEqual(v, BAD_CAST path);
			xmlFree(v);
		}
		if (match)
			return c;
	}
	return NULL;
}

/* As virsh: the cdrom's <disk> from the domain's XML with its <source> changed, through
 * virDomainUpdateDeviceFlags; --update is the default, and without a source it ejects. */
static int cmd_change_media(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool eject = vsh_flag(cmd, media_opts, "eject"), insert = vsh_flag(cmd, media_opts, "insert");
	bool update = vsh_flag(cmd, media_opts, "update");
	const char *path = cmd->argv[1], *source = cmd->argv[2], *action;
	_cleanup_free_ char *xml = NULL, *dev = NULL, *failed = NULL;
	sepvirt_domain d;
	unsigned flags;
	xmlDocPtr doc;
	xmlNode *disk, *src;
	xmlChar *device;
	int r;

	if (eject + insert + update > 1) {
		fprintf(stderr, "error: Options --%s and --%s are mutually exclusive\n", eject ? "eject" : "insert",
			update ? "update" : "insert");
		return 1;
	}
	if (!eject && !insert)
		update = true;
	action = eject ? "eject" : insert ? "insert" : "update";
	if (eject && source) {
		fprintf(stderr, "error: No source is needed for --eject ('%s' given)\n", source);
		return 1;
	}
	if (insert && !source) {
		fprintf(stderr, "error: No source is given for inserting media\n");
		return 1;
	}
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0 || modify_flags(cmd, media_opts, &d, &flags) < 0)
		return 1;
	xml = sepvirt_domain_get_xml(ctl->conn, d.name, (flags & SEPVIRT_DEVICE_MODIFY_CONFIG) ||
							  (d.id < 0) ? SEPVIRT_XML_INACTIVE : 0);
	if (!xml)
		return vsh_fail(NULL);
	doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc || !(disk = find_disk(doc, path))) {
		if (doc)
			xmlFreeDoc(doc);
		fprintf(stderr, "error: No disk found whose source path or target is %s\n", path);
		return 1;
	}
	device = xmlGetProp(disk, BAD_CAST "device");
	if (!device || !xmlStrEqual(device, BAD_CAST "cdrom")) {
		xmlFree(device);
		xmlFreeDoc(doc);
		fprintf(stderr, "error: The disk device '%s' is not removable\n", path);
		return 1;
	}
	xmlFree(device);
	src = first_child(disk, "source");
	if (insert && src) {
		xmlFreeDoc(doc);
		fprintf(stderr, "error: The disk device '%s' already has media\n", path);
		return 1;
	}
	if (src) {
		xmlUnlinkNode(src);
		xmlFreeNode(src);
	}
	if (source) {
		/* <source> right after <driver>, where libvirt writes it */
		xmlNode *drv = first_child(disk, "driver");
		src = xmlNewNode(NULL, BAD_CAST "source");
		xmlNewProp(src, BAD_CAST "file", BAD_CAST source);
		if (drv)
			xmlAddNextSibling(drv, src);
		else if (disk->children)
			xmlAddPrevSibling(disk->children, src);
		else
			xmlAddChild(disk, src);
	}
	dev = node_text(disk);
	xmlFreeDoc(doc);
	if (vsh_flag(cmd, media_opts, "force"))
		flags |= SEPVIRT_DEVICE_MODIFY_FORCE;
	r = sepvirt_domain_update_device(ctl->conn, d.name, dev, flags);
	if (r < 0) {
		failed = xasprintf("Failed to complete action %s on media", action);
		return vsh_fail(failed);
	}
	printf("Successfully %s media.\n", eject || (update && !source) ? "ejected" : insert ? "inserted" : "updated");
	return 0;
}
