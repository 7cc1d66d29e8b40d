/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-update (see update.h). */
#include "config.h"

#include "dnsmasq.h"
#include "log.h"
#include "update.h"

static bool is_v6(const char *addr) { return addr && strchr(addr, ':'); }

static int pick_ip(struct network_def *def, int parent, const struct network_dhcp_host *h, struct network_ip **out,
		   struct sv_error *err)
{
	if (parent >= 0) {
		if ((size_t)parent >= def->nips)
			return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
					    "network '%s' has no ip element of index %d", def->name, parent);
		*out = &def->ips[parent];
		return 0;
	}
	for (size_t i = 0; i < def->nips; i++)
		if (is_v6(def->ips[i].address) == is_v6(h->ip)) {
			*out = &def->ips[i];
			return 0;
		}
	return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
			    "network '%s' has no %s ip element for the dhcp host of address '%s'", def->name,
			    is_v6(h->ip) ? "IPv6" : "IPv4", h->ip);
}

static bool matches(const struct network_dhcp_host *a, const struct network_dhcp_host *b)
{
	return (a->has_mac && b->has_mac && !memcmp(a->mac, b->mac, SV_MAC_LEN)) || streq_ptr(a->ip, b->ip) ||
	       (a->name && b->name && streq(a->name, b->name)) || (a->id && b->id && streq(a->id, b->id));
}

static int apply(struct network_def *def, const struct netd_update *u, bool add, const struct network_dhcp_host *h,
		 struct sv_error *err)
{
	struct network_ip *ip = NULL;
	int r = pick_ip(def, u->parent_index, h, &ip, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < ip->nhosts; i++) {
		if (!matches(&ip->hosts[i], h))
			continue;
		if (add)
			return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EEXIST,
					    "there is an existing dhcp host entry in network '%s' that matches \"%s\"",
					    def->name, u->xml);
		network_dhcp_host_clear(&ip->hosts[i]);
		memmove(&ip->hosts[i], &ip->hosts[i + 1], (ip->nhosts - i - 1) * sizeof(*ip->hosts));
		ip->nhosts--;
		return 0;
	}
	if (!add)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, ENOENT,
				    "couldn't locate a matching dhcp host entry in network '%s'", def->name);
	ip->dhcp = true;
	ip->hosts = xrealloc(ip->hosts, (ip->nhosts + 1) * sizeof(*ip->hosts));
	ip->hosts[ip->nhosts] = *h;
	ip->hosts[ip->nhosts].id = h->id ? xstrdup(h->id) : NULL;
	ip->hosts[ip->nhosts].name = h->name ? xstrdup(h->name) : NULL;
	ip->hosts[ip->nhosts].ip = h->ip ? xstrdup(h->ip) : NULL;
	ip->nhosts++;
	return 0;
}

static void host_list_free(struct network_ip *tmp)
{
	for (size_t i = 0; i < tmp->nhosts; i++)
		network_dhcp_host_clear(&tmp->hosts[i]);
	free(tmp->hosts);
}

int netd_network_update(struct netd_network *n, const struct netd_update *u, struct sv_error *err)
{
	const char *name = netd_network_cur(n)->name;
	_cleanup_(host_list_free) struct network_ip tmp = { 0 };
	unsigned flags = u->flags ? u->flags : netd_network_active(n) ? NETD_UPDATE_LIVE : NETD_UPDATE_CONFIG;
	bool add = streq(u->command, "add") || streq(u->command, "add-last") || streq(u->command, "add-first");
	int r;

	if (!streq(u->section, "ip-dhcp-host"))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "net-update section '%s' is not supported (only ip-dhcp-host)", u->section);
	if (!add && !streq(u->command, "delete"))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "net-update command '%s' is not supported (only add and delete)", u->command);
	if ((flags & NETD_UPDATE_LIVE) && !netd_network_active(n))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: network '%s' is not active", name);
	if ((flags & NETD_UPDATE_CONFIG) && !n->def)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: network '%s' is transient: it has no persistent "
				    "config to update", name);
	r = network_dhcp_host_parse(u->xml, strlen(u->xml), &tmp, err);
	if (r < 0)
		return r;
	if ((flags & NETD_UPDATE_CONFIG) &&
	    ((r = apply(n->def, u, add, &tmp.hosts[0], err)) < 0 || (r = netd_network_save(n, err)) < 0))
		return r;
	if (flags & NETD_UPDATE_LIVE) {
		if ((r = apply(n->live, u, add, &tmp.hosts[0], err)) < 0 || (r = netd_network_save_live(n, err)) < 0)
			return r;
		/* dnsmasq reads its hosts at start only: a new one with the new config, same leases */
		netd_dnsmasq_stop(n, false);
		if ((r = netd_dnsmasq_start(n, err)) < 0)
			return r;
	}
	log_info("network '%s': dhcp host %s (%s%s%s)", name, add ? "added" : "deleted",
		 flags & NETD_UPDATE_LIVE ? "live" : "", flags == 3 ? ", " : "", flags & NETD_UPDATE_CONFIG ? "config" : "");
	return 0;
}
