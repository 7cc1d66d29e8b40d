// SPDX-License-Identifier: LGPL-2.1-or-later
/* Domain XML: <graphics type='vnc'> and <audio type='none'>, parsed for QEMU's command line and
 * kept to be written back as given. Other graphics and audio types, and the VNC settings QEMU
 * would not get (a UNIX socket, a password on the command line, TLS, websockets), are refused. */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

/* An IPv4 or IPv6 address or a host name: it goes into QEMU's -vnc option. */
static bool is_listen_address(const char *s)
{
	return s && *s && strlen(s) < 256 &&
	       !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-")];
}

static int set_listen(struct domain_graphics *g, const char *addr, struct sv_error *err)
{
	if (!is_listen_address(addr))
		return xml_err(err, "Invalid listen address '%s' in element 'graphics'", addr ? addr : "");
	if (g->listen && !streq(g->listen, addr))
		return xml_err(err, "graphics 'listen' attribute '%s' must match 'address' attribute of first listen "
			       "element (found '%s')", g->listen, addr);
	if (!g->listen)
		g->listen = xstrdup(addr);
	return 0;
}

static int parse_listen(const xmlNode *c, struct domain_graphics *g, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "address", NULL };
	const char *type = xml_attr(c, "type");
	int r;

	if (type && streq(type, "socket"))
		return xml_err_unsupported(err, "graphics listen type 'socket' is not supported: QEMU cannot be handed a "
					   "listening VNC socket, and sepvirt gives it no host path (listen on an address)");
	if ((r = xml_check_attrs(c, "graphics/listen", allowed, err)) < 0 ||
	    (r = xml_check_no_children(c, "graphics/listen", err)) < 0)
		return r;
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'graphics/listen'");
	if (streq(type, "address"))
		return xml_attr(c, "address") ? set_listen(g, xml_attr(c, "address"), err) : 0;
	if (streq(type, "none")) {
		g->listen_none = true;
		return 0;
	}
	return xml_err_unsupported(err, "graphics listen type '%s' is not supported", type);
}

int domain_parse_graphics(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "port", "autoport", "listen", "sharePolicy", NULL };
	const char *type = xml_attr(node, "type"), *port = xml_attr(node, "port"), *share;
	struct domain_graphics *g;
	unsigned long long p = 0;
	int r, autoport = 0;

	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'graphics'");
	if (!streq(type, "vnc"))
		return xml_err_unsupported(err, "graphics type '%s' is not supported (vnc is)", type);
	if (xml_attr(node, "passwd"))
		return xml_err_unsupported(err, "attribute 'passwd' of element 'graphics' is not supported: QEMU would "
					   "get the password on its command line");
	if ((r = xml_check_attrs(node, "graphics", allowed, err)) < 0)
		return r;
	if (def->ngraphics)
		return xml_err_unsupported(err, "only one <graphics> is supported");
	g = MODEL_APPEND(def->graphics, def->ngraphics);
	if ((r = xml_attr_yesno(node, "graphics", "autoport", &autoport, err)) < 0)
		return r;
	g->port = -1;
	if (port && !streq(port, "-1")) {
		if (xml_parse_ull(port, 65535, &p) < 0 || (p < 5900 && p != 0))
			return xml_err(err, "Invalid value for attribute 'port' in element 'graphics': '%s' (5900 and above)",
				       port);
		if (autoport != DOMAIN_TRISTATE_YES && p)
			g->port = (int)p;
	}
	share = xml_attr(node, "sharePolicy");
	if (share && !streq(share, "allow-exclusive") && !streq(share, "force-shared") && !streq(share, "ignore"))
		return xml_err(err, "Invalid value for attribute 'sharePolicy' in element 'graphics': '%s'", share);
	g->share = share ? xstrdup(share) : NULL;
	if (xml_attr(node, "listen") && (r = set_listen(g, xml_attr(node, "listen"), err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "listen"))
			return xml_err_element(err, "graphics", c);
		if ((r = parse_listen(c, g, err)) < 0)
			return r;
	}
	return xml_keep_add(&def->keep_devices, node, err);
}

int domain_parse_audio(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "id", "type", NULL };
	const char *type = xml_attr(node, "type");
	struct domain_audio *a;
	unsigned id = 0;
	int r;

	if (!type || !streq(type, "none"))
		return xml_err_unsupported(err, "audio type '%s' is not supported (none is)", type ? type : "");
	if ((r = xml_check_attrs(node, "audio", allowed, err)) < 0 ||
	    (r = xml_attr_uint(node, "audio", "id", 1000, &id, err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next)
		if (xml_is_elem(c))
			return xml_err_element(err, "audio", c);
	if (!id)
		id = (unsigned)def->naudios + 1;
	for (size_t i = 0; i < def->naudios; i++)
		if (def->audios[i].id == id)
			return xml_err(err, "audio id '%u' is used more than once", id);
	a = MODEL_APPEND(def->audios, def->naudios);
	a->id = id;
	return xml_keep_add(&def->keep_devices, node, err);
}

void domain_def_set_vnc_port(struct domain_def *live, int port, const char *listen)
{
	xmlNode *node = xml_keep_find_mut(&live->keep_devices, "graphics");
	char buf[16];

	if (!node || !live->ngraphics)
		return;
	snprintf(buf, sizeof(buf), "%d", port);
	xmlSetProp(node, BAD_CAST "port", BAD_CAST buf);
	xmlSetProp(node, BAD_CAST "autoport", BAD_CAST "yes");
	if (listen && !xmlHasProp(node, BAD_CAST "listen"))
		xmlSetProp(node, BAD_CAST "listen", BAD_CAST listen);
}
