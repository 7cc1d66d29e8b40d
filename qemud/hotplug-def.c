/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The definition edits of hotplug: format, edit the XML tree, parse again. */
#include "config.h"

#include <stdio.h>

#include "hotplug.h"
#include "xml/xml-util.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

static const char *const kind_names[] = { "disk", "interface" };

int qemud_hotplug_parse(const char *xml, xmlDocPtr *doc, enum qemud_hotplug_kind *kind, struct sv_error *err)
{
	static const char prefix[] = "expected root element 'disk', found '";
	size_t len = strlen(xml);
	int r = xml_doc_read(xml, len, "disk", doc, err);
	const char *found;

	if (r >= 0) {
		*kind = QEMUD_HOTPLUG_DISK;
		return 0;
	}
	found = strstr(err->message, prefix);
	if (!found)
		return r; /* malformed */
	found += strlen(prefix);
	if (startswith(found, "interface'")) {
		r = xml_doc_read(xml, len, "interface", doc, err);
		*kind = QEMUD_HOTPLUG_INTERFACE;
		return r;
	}
	return UNSUPPORTED(err, "device '%.*s' cannot be attached or detached (disk and interface can)",
			   (int)strcspn(found, "'"), found);
}

/* def's XML as a tree, and its <devices>. */
static int def_tree(const struct domain_def *def, xmlDocPtr *doc, xmlNode **devices, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	int r = domain_def_format(def, 0, &xml, err);

	if (r < 0 || (r = xml_doc_read(xml, strlen(xml), "domain", doc, err)) < 0)
		return r;
	for (xmlNode *c = xmlDocGetRootElement(*doc)->children; c; c = c->next)
		if (xml_is_elem(c) && xml_is(c, "devices")) {
			*devices = c;
			return 0;
		}
	*devices = xmlNewChild(xmlDocGetRootElement(*doc), NULL, BAD_CAST "devices", NULL);
	return 0;
}

static int tree_def(xmlDocPtr doc, unsigned parse_flags, struct domain_def **out, struct sv_error *err)
{
	xmlChar *buf = NULL;
	int len = 0, r;

	xmlDocDumpMemory(doc, &buf, &len);
	if (!buf)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, ENOMEM, "cannot write the definition");
	r = domain_def_parse((const char *)buf, (size_t)len, parse_flags, out, err);
	xmlFree(buf);
	return r;
}

int qemud_hotplug_def_add(const struct domain_def *def, const xmlNode *dev, unsigned parse_flags,
			  struct domain_def **out, struct sv_error *err)
{
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	xmlNode *devices;
	int r = def_tree(def, &doc, &devices, err);

	if (r < 0)
		return r;
	xmlAddChild(devices, xmlDocCopyNode((xmlNode *)dev, doc, 1));
	return tree_def(doc, parse_flags, out, err);
}

static bool has_alias(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xml_is_elem(c) && xml_is(c, "alias"))
			return true;
	return false;
}

/* def with its index-th device of kind removed, or replaced by a copy of with. */
static int def_edit(const struct domain_def *def, enum qemud_hotplug_kind kind, size_t index, const xmlNode *with,
		    unsigned parse_flags, struct domain_def **out, struct sv_error *err)
{
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	xmlNode *devices, *gone = NULL;
	size_t n = 0, nif = 0;
	int r = def_tree(def, &doc, &devices, err);

	if (r < 0)
		return r;
	for (xmlNode *c = devices->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, kind_names[kind]) && n++ == index)
			gone = c;
		/* Only a running definition's interfaces have ids to keep. */
		if (xml_is(c, "interface") && !(parse_flags & DOMAIN_PARSE_INACTIVE) && !has_alias(c)) {
			char id[32];
			snprintf(id, sizeof(id), "net%zu", nif);
			xmlNewProp(xmlNewChild(c, NULL, BAD_CAST "alias", NULL), BAD_CAST "name", BAD_CAST id);
		}
		nif += xml_is(c, "interface");
	}
	if (!gone)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, ENOENT, "no %s %zu in the definition",
				    kind_names[kind], index);
	if (with)
		xmlReplaceNode(gone, xmlDocCopyNode((xmlNode *)with, doc, 1));
	else
		xmlUnlinkNode(gone);
	xmlFreeNode(gone);
	return tree_def(doc, parse_flags, out, err);
}

int qemud_hotplug_def_remove(const struct domain_def *def, enum qemud_hotplug_kind kind, size_t index,
			     unsigned parse_flags, struct domain_def **out, struct sv_error *err)
{
	return def_edit(def, kind, index, NULL, parse_flags, out, err);
}

int qemud_hotplug_def_replace(const struct domain_def *def, enum qemud_hotplug_kind kind, size_t index,
			      const xmlNode *with, unsigned parse_flags, struct domain_def **out, struct sv_error *err)
{
	return def_edit(def, kind, index, with, parse_flags, out, err);
}

char *qemud_hotplug_iface_id(const struct domain_def *def, size_t i)
{
	const xmlNode *alias = xml_keep_find(&def->interfaces[i].keep, "alias");
	const char *name = alias ? xml_attr(alias, "name") : NULL;

	return name ? xstrdup(name) : xasprintf("net%zu", i);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xml_is_elem(c) && xml_is(c, name))
			return c;
	return NULL;
}

int qemud_hotplug_find(const struct domain_def *def, const xmlNode *dev, enum qemud_hotplug_kind kind,
		       size_t *index, struct sv_error *err)
{
	const xmlNode *c;
	const char *v, *type = xml_attr(dev, "type");
	unsigned char mac[SV_MAC_LEN];
	size_t found = 0;
	int r;

	if (kind == QEMUD_HOTPLUG_DISK) {
		c = child(dev, "target");
		if (!c || !(v = xml_attr(c, "dev")))
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "the disk to detach names no <target dev>");
		if ((r = domain_def_find_disk(def, v)) < 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENOENT,
					    "no disk with target '%s' in domain '%s'", v, def->name);
		*index = (size_t)r;
		return 0;
	}
	c = child(dev, "mac");
	v = c ? xml_attr(c, "address") : NULL;
	if (v && sv_mac_parse(v, mac) < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "invalid MAC address '%s'", v);
	for (size_t i = 0; i < def->ninterfaces; i++) {
		const struct domain_interface *n = &def->interfaces[i];
		if ((type && !streq(type, domain_net_type_to_string(n->type))) ||
		    (v && memcmp(n->mac, mac, SV_MAC_LEN) != 0))
			continue;
		*index = i;
		found++;
	}
	if (found == 1)
		return 0;
	if (found == 0 && v)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENOENT,
				    "no interface%s%s%s with MAC address '%s' in domain '%s'", type ? " of type '" : "",
				    type ? type : "", type ? "'" : "", v, def->name);
	if (found == 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENOENT,
				    "no interface of type '%s' in domain '%s'", type ? type : "any", def->name);
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EINVAL,
			    "domain '%s' has %zu interfaces of type '%s': give the MAC address of the one to detach",
			    def->name, found, type ? type : "any");
}
