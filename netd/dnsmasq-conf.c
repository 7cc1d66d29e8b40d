/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dnsmasq's configuration of a network (see dnsmasq-conf.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "dnsmasq-conf.h"
#include "ipaddr.h"
#include "text.h"
#include "util.h"

char *netd_dnsmasq_conf_name(const char *network) { return xasprintf("dnsmasq-%s.conf", network); }
char *netd_dnsmasq_leases_name(const char *network) { return xasprintf("dnsmasq-%s.leases", network); }
char *netd_dnsmasq_pid_name(const char *network) { return xasprintf("dnsmasq-%s.pid", network); }

bool netd_dnsmasq_needed(const struct network_def *def)
{
	return def->forward != NETWORK_FORWARD_BRIDGE && def->nips > 0;
}

/* A value dnsmasq reads up to the end of the line: no line breaks, no commas where it splits. */
static int check_value(const char *network, const char *what, const char *v, struct sv_error *err)
{
	if (v && v[strcspn(v, "\n\r,#")])
		return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL,
				    "network '%s': %s '%s' cannot go into dnsmasq's configuration", network, what, v);
	return 0;
}

/* The hosts of one subnet: dhcp-host=MAC,IP[,NAME] (IPv6: [IP]; by DUID id:... when no MAC). */
static int hosts(char **s, const struct network_def *def, const struct network_ip *ip, bool v6, struct sv_error *err)
{
	for (size_t j = 0; j < ip->nhosts; j++) {
		const struct network_dhcp_host *h = &ip->hosts[j];
		_cleanup_free_ char *who = NULL, *name = NULL;
		char mac[SV_MAC_STRING_LEN];
		int r;

		if ((r = check_value(def->name, "host name", h->name, err)) < 0 ||
		    (r = check_value(def->name, "host id", h->id, err)) < 0)
			return r;
		if (h->has_mac) {
			sv_mac_format(h->mac, mac);
			who = xstrdup(mac);
		} else if (h->id) {
			who = xasprintf("id:%s", h->id);
		} else if (h->name) {
			who = xstrdup(h->name);
		} else {
			return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL,
					    "network '%s': DHCP host %s has no mac, id or name", def->name, h->ip);
		}
		name = h->name && (h->has_mac || h->id) ? xasprintf(",%s", h->name) : xstrdup("");
		netd_text_line(s, v6 ? "dhcp-host=%s,[%s]%s" : "dhcp-host=%s,%s%s", who, h->ip, name);
	}
	return 0;
}

int netd_dnsmasq_conf(const struct network_def *def, const char *dir, const char *user, char **out,
		      struct sv_error *err)
{
	_cleanup_free_ char *s = NULL, *pid = netd_dnsmasq_pid_name(def->name),
			    *leases = netd_dnsmasq_leases_name(def->name);
	unsigned lease_max = 0;
	bool v6_dhcp = false;
	int r;

	netd_text_line(&s, "# sepvirt-netd: network '%s'; generated at each start, edits are lost", def->name);
	netd_text_line(&s, "strict-order");
	netd_text_line(&s, "user=%s", user);
	netd_text_line(&s, "pid-file=%s/%s", dir, pid);
	netd_text_line(&s, "except-interface=lo");
	netd_text_line(&s, "bind-dynamic");
	netd_text_line(&s, "interface=%s", def->bridge);
	if (def->dns_enable == 2)
		netd_text_line(&s, "port=0"); /* <dns enable='no'>: DHCP only */
	if (def->dns_forward_plain == 2)
		netd_text_line(&s, "domain-needed"); /* names without a dot stay here */
	if (def->domain) {
		netd_text_line(&s, "domain=%s", def->domain);
		netd_text_line(&s, "expand-hosts");
		if (def->domain_local == 1)
			netd_text_line(&s, "local=/%s/", def->domain); /* never forwarded upstream */
	}
	for (size_t i = 0; i < def->ndns_hosts; i++) {
		const struct network_dns_host *h = &def->dns_hosts[i];
		_cleanup_free_ char *names = NULL;

		/* a plain name also answers with the network's domain (as libvirt's hosts file with
		 * expand-hosts does) */
		for (size_t j = 0; j < h->nnames; j++) {
			const char *nm = h->names[j];
			char *old = names;

			if (def->domain && !strchr(nm, '.'))
				names = xasprintf("%s%s,%s.%s,", old ? old : "", nm, nm, def->domain);
			else
				names = xasprintf("%s%s,", old ? old : "", nm);
			free(old);
		}
		netd_text_line(&s, "host-record=%s%s", names ? names : "", h->ip);
	}
	for (size_t i = 0; i < def->nips; i++) {
		const struct network_ip *ip = &def->ips[i];
		bool v6 = netd_ip_is_v6(ip);
		struct netd_ip a;
		char mask[INET_ADDRSTRLEN];

		if ((r = netd_ip_resolve(ip, &a, err)) < 0)
			return r;
		for (size_t j = 0; j < ip->nranges; j++) {
			const struct network_dhcp_range *rg = &ip->ranges[j];
			if (v6) {
				netd_text_line(&s, "dhcp-range=%s,%s,%u", rg->start, rg->end, a.prefix);
				v6_dhcp = true;
				continue;
			}
			struct in_addr m = { .s_addr = htonl(a.prefix ? 0xffffffffu << (32 - a.prefix) : 0) }, lo, hi;
			inet_ntop(AF_INET, &m, mask, sizeof(mask));
			netd_text_line(&s, "dhcp-range=%s,%s,%s", rg->start, rg->end, mask);
			if (inet_pton(AF_INET, rg->start, &lo) == 1 && inet_pton(AF_INET, rg->end, &hi) == 1 &&
			    ntohl(hi.s_addr) >= ntohl(lo.s_addr))
				lease_max += ntohl(hi.s_addr) - ntohl(lo.s_addr) + 1;
		}
		/* static hosts alone still need DHCP on the subnet: a static range (as libvirt) */
		if (!ip->nranges && ip->nhosts)
			netd_text_line(&s, v6 ? "dhcp-range=%s,static,%u" : "dhcp-range=%s,static", a.network, a.prefix);
		if ((r = hosts(&s, def, ip, v6, err)) < 0)
			return r;
		lease_max += (unsigned)ip->nhosts;
	}
	if (lease_max) {
		netd_text_line(&s, "dhcp-no-override");
		netd_text_line(&s, "dhcp-authoritative");
		netd_text_line(&s, "dhcp-lease-max=%u", lease_max);
		netd_text_line(&s, "dhcp-leasefile=%s/%s", dir, leases);
	}
	if (v6_dhcp)
		netd_text_line(&s, "enable-ra");
	*out = TAKE_PTR(s);
	return 0;
}
