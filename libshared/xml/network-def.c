/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual network XML: parse, format, free (see network-def.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>

#include "util.h"
#include "xml/model-util.h"
#include "xml/names.h"
#include "xml/network-def.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

static const char *const forward_names[] = { "none", "nat", "route", "open", "bridge" };
static const char *const no_attrs[] = { NULL };

const char *network_forward_mode_to_string(enum network_forward_mode mode)
{
	return XML_ENUM_TO(forward_names, mode);
}

/* An address attribute that must parse as family (AF_INET/AF_INET6). */
static int parse_addr(const xmlNode *n, const char *elem, const char *attr, int family,
		      bool required, char **out, struct sv_error *err)
{
	const char *v = xml_attr(n, attr);
	unsigned char buf[sizeof(struct in6_addr)];

	if (!v) {
		if (required)
			return xml_err(err, "missing attribute '%s' in element '%s'", attr, elem);
		return 0;
	}
	if (inet_pton(family, v, buf) != 1)
		return xml_err(err, "Invalid value for attribute '%s' in element '%s': '%s'", attr,
			       elem, v);
	*out = xstrdup(v);
	return 0;
}

static int parse_dhcp_host(const xmlNode *c, int family, struct network_ip *ip,
			   struct sv_error *err)
{
	static const char *const allowed[] = { "mac", "id", "name", "ip", NULL };
	struct network_dhcp_host *h = MODEL_APPEND(ip->hosts, ip->nhosts);
	const char *mac = xml_attr(c, "mac");
	int r = xml_check_attrs(c, "ip/dhcp/host", allowed, err);

	if (r < 0)
		return r;
	if (mac) {
		if (sv_mac_parse(mac, h->mac) < 0)
			return xml_err(err, "unable to parse mac address '%s'", mac);
		h->has_mac = true;
	}
	h->id = xml_attr_dup(c, "id");
	h->name = xml_attr_dup(c, "name");
	if (h->name && (!*h->name || h->name[strspn(h->name,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")]))
		return xml_err(err, "Invalid value for attribute 'name' in element 'host': '%s'", h->name);
	return parse_addr(c, "host", "ip", family, true, &h->ip, err);
}

int network_dhcp_host_parse(const char *xml, size_t len, struct network_ip *ip, struct sv_error *err)
{
	static const char *const allowed[] = { "mac", "id", "name", "ip", NULL };
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	const xmlNode *root;
	const char *addr;
	int r = model_read_root(xml, len, "host", allowed, &doc, &root, err);

	if (r < 0)
		return r;
	addr = xml_attr(root, "ip");
	return parse_dhcp_host(root, addr && strchr(addr, ':') ? AF_INET6 : AF_INET, ip, err);
}

static int parse_dhcp(const xmlNode *node, int family, struct network_ip *ip, struct sv_error *err)
{
	static const char *const range_attrs[] = { "start", "end", NULL };
	int r = xml_check_attrs(node, "ip/dhcp", no_attrs, err);

	if (r < 0 || (r = xml_check_once(ip->dhcp ? "" : NULL, "ip/dhcp", err)) < 0)
		return r;
	ip->dhcp = true;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "range")) {
			struct network_dhcp_range *rg = MODEL_APPEND(ip->ranges, ip->nranges);

			r = xml_check_attrs(c, "ip/dhcp/range", range_attrs, err);
			if (r >= 0)
				r = parse_addr(c, "range", "start", family, true, &rg->start, err);
			if (r >= 0)
				r = parse_addr(c, "range", "end", family, true, &rg->end, err);
		} else if (xml_is(c, "host")) {
			r = parse_dhcp_host(c, family, ip, err);
		} else {
			r = xml_err_element(err, "ip/dhcp", c);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_ip(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "family", "address", "netmask", "prefix", NULL };
	struct network_ip *ip = MODEL_APPEND(def->ips, def->nips);
	const char *family = xml_attr(node, "family");
	bool v6 = family && streq(family, "ipv6");
	int af = v6 ? AF_INET6 : AF_INET;
	int r = xml_check_attrs(node, "ip", allowed, err);

	if (r < 0)
		return r;
	if (family && !v6 && !streq(family, "ipv4"))
		return xml_err(err, "Invalid value for attribute 'family' in element 'ip': '%s'", family);
	ip->family = xml_attr_dup(node, "family");
	r = parse_addr(node, "ip", "address", af, true, &ip->address, err);
	if (r >= 0)
		r = parse_addr(node, "ip", "netmask", AF_INET, false, &ip->netmask, err);
	if (r >= 0)
		r = xml_attr_uint(node, "ip", "prefix", v6 ? 128 : 32, &ip->prefix, err);
	if (r < 0)
		return r;
	if (ip->netmask && (v6 || xml_attr(node, "prefix")))
		return xml_err(err, "network '%s' has both a netmask and a prefix, or a netmask on IPv6",
			       ip->address);
	if (v6 && !ip->prefix)
		return xml_err(err, "IPv6 address '%s' needs a prefix", ip->address);
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		r = xml_is(c, "dhcp") ? parse_dhcp(c, af, ip, err) : xml_err_element(err, "ip", c);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_forward(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "mode", "dev", NULL };
	const char *mode = xml_attr(node, "mode");
	int r = xml_check_attrs(node, "forward", allowed, err), m;

	if (r < 0 || (r = xml_check_once(def->forward ? "" : NULL, "forward", err)) < 0)
		return r;
	m = XML_ENUM_FROM(forward_names, mode ? mode : "nat"); /* libvirt's default is nat */
	if (m <= 0)
		return xml_err_unsupported(err, "forward mode '%s' is not supported", mode);
	def->forward = m;
	def->forward_dev = xml_attr_dup(node, "dev");
	if (def->forward_dev && (r = sv_ifname_validate(def->forward_dev, err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		const char *dev;

		if (!xml_is_elem(c))
			continue;
		/* libvirt repeats dev as <interface dev=.../>: the same fact, nothing more. */
		dev = xml_is(c, "interface") ? xml_attr(c, "dev") : NULL;
		if (!dev || !streq_ptr(dev, def->forward_dev))
			return xml_err_element(err, "forward", c);
	}
	return 0;
}

static int parse_bridge(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "name", "stp", "delay", NULL };
	int r = xml_check_attrs(node, "bridge", allowed, err), stp;

	if (r < 0 || (r = xml_check_once(def->bridge, "bridge", err)) < 0)
		return r;
	def->bridge = xml_attr_dup(node, "name");
	if (def->bridge && (r = sv_ifname_validate(def->bridge, err)) < 0)
		return r;
	r = xml_attr_onoff(node, "bridge", "stp", &stp, err);
	def->stp = stp != 2;
	if (r >= 0)
		r = xml_attr_uint(node, "bridge", "delay", 3600, &def->delay, err);
	return r;
}

static int parse_dns_host(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "ip", NULL };
	struct network_dns_host *h = MODEL_APPEND(def->dns_hosts, def->ndns_hosts);
	const char *ip = xml_attr(node, "ip");
	int r = xml_check_attrs(node, "dns/host", allowed, err);

	if (r < 0)
		return r;
	r = parse_addr(node, "host", "ip", ip && strchr(ip, ':') ? AF_INET6 : AF_INET, true, &h->ip, err);
	if (r < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		char *name;

		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "hostname"))
			return xml_err_element(err, "dns/host", c);
		name = xml_text_trimmed(c);
		h->names = xrealloc(h->names, (h->nnames + 1) * sizeof(*h->names));
		h->names[h->nnames++] = name;
		if (!*name || name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")])
			return xml_err(err, "Invalid value for element 'hostname' of dns host '%s': '%s'", h->ip, name);
	}
	if (!h->nnames)
		return xml_err(err, "dns host '%s' has no hostname", h->ip);
	return 0;
}

/* <dns>: host entries (more names for addresses); TXT, SRV records and forwarders are refused. */
static int parse_dns(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "enable", "forwardPlainNames", NULL };
	int r = xml_check_attrs(node, "dns", allowed, err);

	if (r < 0 || (r = xml_check_once(def->has_dns ? "" : NULL, "dns", err)) < 0)
		return r;
	def->has_dns = true;
	if ((r = xml_attr_yesno(node, "dns", "enable", &def->dns_enable, err)) < 0 ||
	    (r = xml_attr_yesno(node, "dns", "forwardPlainNames", &def->dns_forward_plain, err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		r = xml_is(c, "host") ? parse_dns_host(c, def, err) : xml_err_element(err, "dns", c);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_domain(const xmlNode *node, struct network_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "name", "localOnly", NULL };
	int r = xml_check_attrs(node, "domain", allowed, err);

	if (r < 0 || (r = xml_check_once(def->domain, "domain", err)) < 0)
		return r;
	def->domain = xml_attr_dup(node, "name");
	if (!def->domain)
		return xml_err(err, "missing attribute 'name' in element 'domain'");
	if (!*def->domain ||
	    def->domain[strspn(def->domain, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")])
		return xml_err(err, "Invalid value for attribute 'name' in element 'domain': '%s'", def->domain);
	return xml_attr_yesno(node, "domain", "localOnly", &def->domain_local, err);
}

/* mode='bridge' puts guests on a bridge of the host's: nothing of netd's own to configure. */
static int check_host_bridge(const struct network_def *def, struct sv_error *err)
{
	if (!def->bridge)
		return xml_err(err, "network '%s' has forward mode 'bridge' but no bridge name", def->name);
	if (def->nips || def->has_mac || def->mtu || def->forward_dev || def->has_dns || def->domain)
		return xml_err_unsupported(err, "network '%s' of forward mode 'bridge' cannot have %s", def->name,
					   def->nips ? "an ip element" : def->has_mac ? "a mac element" :
					   def->mtu ? "an mtu element" : def->forward_dev ? "a forward dev" :
					   def->has_dns ? "a dns element" : "a domain element");
	return 0;
}

struct parse_ctx {
	struct network_def *def;
	bool uuid_seen;
};

static int parse_child(const xmlNode *c, void *opaque, struct sv_error *err)
{
	struct parse_ctx *ctx = opaque;
	struct network_def *def = ctx->def;
	int r;

	if (xml_is(c, "name"))
		return model_parse_name(c, "network", &def->name, err);
	if (xml_is(c, "uuid"))
		return model_parse_uuid(c, def->uuid, &ctx->uuid_seen, err);
	if (xml_is(c, "forward"))
		return parse_forward(c, def, err);
	if (xml_is(c, "bridge"))
		return parse_bridge(c, def, err);
	if (xml_is(c, "ip"))
		return parse_ip(c, def, err);
	if (xml_is(c, "dns"))
		return parse_dns(c, def, err);
	if (xml_is(c, "domain"))
		return parse_domain(c, def, err);
	if (xml_is(c, "mac")) {
		static const char *const allowed[] = { "address", NULL };
		const char *mac = xml_attr(c, "address");

		r = xml_check_attrs(c, "mac", allowed, err);
		if (r >= 0 && sv_mac_parse(mac, def->mac) < 0)
			r = xml_err(err, "unable to parse mac address '%s'", mac ? mac : "");
		def->has_mac = true;
		return r;
	}
	if (xml_is(c, "mtu")) {
		static const char *const allowed[] = { "size", NULL };

		r = xml_check_attrs(c, "mtu", allowed, err);
		if (r >= 0)
			r = xml_attr_uint(c, "mtu", "size", 65535, &def->mtu, err);
		return r;
	}
	return xml_err_element(err, NULL, c);
}

int network_def_parse(const char *xml, size_t len, unsigned flags, struct network_def **out,
		      struct sv_error *err)
{
	static const char *const allowed[] = { "ipv6", NULL };
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	_cleanup_network_def_ struct network_def *def = xcalloc(1, sizeof(*def));
	struct parse_ctx ctx = { def, false };
	const xmlNode *root;
	int r;

	def->stp = true;
	r = model_read_root(xml, len, "network", allowed, &doc, &root, err);
	if (r >= 0)
		r = xml_attr_yesno(root, "network", "ipv6", &def->ipv6, err);
	if (r >= 0)
		r = model_for_each_child(root, parse_child, &ctx, err);
	if (r < 0)
		return r;
	if (!def->name)
		return xml_err(err, "missing element 'name': a network needs a name");
	r = model_uuid_default(def->uuid, ctx.uuid_seen, &def->uuid_generated, err);
	if (r < 0 || (def->forward == NETWORK_FORWARD_BRIDGE && (r = check_host_bridge(def, err)) < 0))
		return r;
	*out = TAKE_PTR(def);
	return 0;
}

static void format_ip(struct xml_writer *w, const struct network_ip *ip)
{
	char mac[SV_MAC_STRING_LEN];

	xml_open(w, "ip");
	xml_put_attr(w, "family", ip->family);
	xml_put_attr(w, "address", ip->address);
	xml_put_attr(w, "netmask", ip->netmask);
	if (ip->prefix)
		xml_put_attr_fmt(w, "prefix", "%u", ip->prefix);
	if (ip->dhcp) {
		xml_open(w, "dhcp");
		for (size_t i = 0; i < ip->nranges; i++) {
			xml_open(w, "range");
			xml_put_attr(w, "start", ip->ranges[i].start);
			xml_put_attr(w, "end", ip->ranges[i].end);
			xml_close(w);
		}
		for (size_t i = 0; i < ip->nhosts; i++) {
			const struct network_dhcp_host *h = &ip->hosts[i];

			xml_open(w, "host");
			if (h->has_mac) {
				sv_mac_format(h->mac, mac);
				xml_put_attr(w, "mac", mac);
			}
			xml_put_attr(w, "id", h->id);
			xml_put_attr(w, "name", h->name);
			xml_put_attr(w, "ip", h->ip);
			xml_close(w);
		}
		xml_close(w);
	}
	xml_close(w);
}

static void format_dns(struct xml_writer *w, const struct network_def *def)
{
	static const char *const yesno[] = { NULL, "yes", "no" };

	xml_open(w, "dns");
	xml_put_attr(w, "enable", XML_ENUM_TO(yesno, def->dns_enable));
	xml_put_attr(w, "forwardPlainNames", XML_ENUM_TO(yesno, def->dns_forward_plain));
	for (size_t i = 0; i < def->ndns_hosts; i++) {
		xml_open(w, "host");
		xml_put_attr(w, "ip", def->dns_hosts[i].ip);
		for (size_t j = 0; j < def->dns_hosts[i].nnames; j++)
			xml_put_elem(w, "hostname", def->dns_hosts[i].names[j]);
		xml_close(w);
	}
	xml_close(w);
}

int network_def_format(const struct network_def *def, unsigned flags, char **out,
		       struct sv_error *err)
{
	static const char *const yesno[] = { NULL, "yes", "no" };
	struct xml_writer w;
	char mac[SV_MAC_STRING_LEN];

	if (!def || !def->name)
		return sv_error_set(err, SV_FROM_XML, SV_ERR_INVALID_ARG, EINVAL,
				    "cannot format a network without a name");
	xml_writer_init(&w);
	xml_open(&w, "network");
	xml_put_attr(&w, "ipv6", XML_ENUM_TO(yesno, def->ipv6));
	xml_put_elem(&w, "name", def->name);
	model_format_uuid(&w, def->uuid);
	if (def->forward != NETWORK_FORWARD_NONE) {
		xml_open(&w, "forward");
		xml_put_attr(&w, "dev", def->forward_dev);
		xml_put_attr(&w, "mode", forward_names[def->forward]);
		xml_close(&w);
	}
	xml_open(&w, "bridge");
	xml_put_attr(&w, "name", def->bridge);
	if (def->forward != NETWORK_FORWARD_BRIDGE) {
		xml_put_attr(&w, "stp", def->stp ? "on" : "off");
		xml_put_attr_fmt(&w, "delay", "%u", def->delay);
	}
	xml_close(&w);
	if (def->mtu) {
		xml_open(&w, "mtu");
		xml_put_attr_fmt(&w, "size", "%u", def->mtu);
		xml_close(&w);
	}
	if (def->has_mac) {
		sv_mac_format(def->mac, mac);
		xml_open(&w, "mac");
		xml_put_attr(&w, "address", mac);
		xml_close(&w);
	}
	if (def->domain) {
		xml_open(&w, "domain");
		xml_put_attr(&w, "name", def->domain);
		xml_put_attr(&w, "localOnly", XML_ENUM_TO(yesno, def->domain_local));
		xml_close(&w);
	}
	if (def->has_dns)
		format_dns(&w, def);
	for (size_t i = 0; i < def->nips; i++)
		format_ip(&w, &def->ips[i]);
	xml_close(&w);
	*out = xml_writer_finish(&w);
	return 0;
}

void network_dhcp_host_clear(struct network_dhcp_host *h)
{
	free(h->id);
	free(h->name);
	free(h->ip);
	memset(h, 0, sizeof(*h));
}

void network_def_free(struct network_def *def)
{
	if (!def)
		return;
	free(def->name);
	free(def->forward_dev);
	free(def->bridge);
	for (size_t i = 0; i < def->nips; i++) {
		struct network_ip *ip = &def->ips[i];

		free(ip->family);
		free(ip->address);
		free(ip->netmask);
		for (size_t j = 0; j < ip->nranges; j++) {
			free(ip->ranges[j].start);
			free(ip->ranges[j].end);
		}
		free(ip->ranges);
		for (size_t j = 0; j < ip->nhosts; j++)
			network_dhcp_host_clear(&ip->hosts[j]);
		free(ip->hosts);
	}
	free(def->ips);
	for (size_t i = 0; i < def->ndns_hosts; i++) {
		free(def->dns_hosts[i].ip);
		for (size_t j = 0; j < def->dns_hosts[i].nnames; j++)
			free(def->dns_hosts[i].names[j]);
		free(def->dns_hosts[i].names);
	}
	free(def->dns_hosts);
	free(def->domain);
	free(def);
}
