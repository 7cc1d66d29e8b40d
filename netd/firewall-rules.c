/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The nftables rule text of a virtual network (see firewall.h). As libvirt's rules do: a NAT
 * network lets out what its subnet sends and back in only the answers, masqueraded; a routed
 * one lets its subnet through both ways; an isolated one nothing but bridge-local traffic. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "firewall.h"
#include "ipaddr.h"
#include "text.h"
#include "util.h"

bool netd_firewall_needed(const struct network_def *def)
{
	return def->forward == NETWORK_FORWARD_NAT || def->forward == NETWORK_FORWARD_ROUTE ||
	       def->forward == NETWORK_FORWARD_NONE;
}

bool netd_forwarding_needed(const struct network_def *def)
{
	return def->forward == NETWORK_FORWARD_NAT || def->forward == NETWORK_FORWARD_ROUTE;
}

/* What the chains of one network hold for one of its subnets. */
static void subnet_rules(char **s, const char *br, const char *dev, const struct netd_ip *ip, bool nat)
{
	const char *fam = ip->family == AF_INET6 ? "ip6" : "ip";
	_cleanup_free_ char *in = dev ? xasprintf("iifname \"%s\" ", dev) : xstrdup("");
	_cleanup_free_ char *out = dev ? xasprintf("oifname \"%s\" ", dev) : xstrdup("");

	/* NAT is IPv4 only (as libvirt): an IPv6 subnet of a NAT network is routed */
	if (nat && ip->family == AF_INET) {
		netd_text_line(s, "add rule inet %s fwd-%s %soifname \"%s\" ip daddr %s/%u ct state related,established accept",
		    NETD_NFT_TABLE, br, in, br, ip->network, ip->prefix);
		netd_text_line(s, "add rule inet %s nat-%s %sip saddr %s/%u ip daddr 224.0.0.0/24 return", NETD_NFT_TABLE, br,
		    out, ip->network, ip->prefix);
		netd_text_line(s, "add rule inet %s nat-%s %sip saddr %s/%u ip daddr 255.255.255.255 return", NETD_NFT_TABLE,
		    br, out, ip->network, ip->prefix);
		netd_text_line(s, "add rule inet %s nat-%s %sip saddr %s/%u ip daddr != %s/%u masquerade", NETD_NFT_TABLE, br,
		    out, ip->network, ip->prefix, ip->network, ip->prefix);
	} else {
		netd_text_line(s, "add rule inet %s fwd-%s %soifname \"%s\" %s daddr %s/%u accept", NETD_NFT_TABLE, br, in, br,
		    fam, ip->network, ip->prefix);
	}
	netd_text_line(s, "add rule inet %s fwd-%s iifname \"%s\" %s%s saddr %s/%u accept", NETD_NFT_TABLE, br, br, out, fam,
	    ip->network, ip->prefix);
}

int netd_firewall_rules(const struct network_def *def, char **out, struct sv_error *err)
{
	_cleanup_free_ char *s = NULL;
	const char *br = def->bridge;
	bool nat = def->forward == NETWORK_FORWARD_NAT;

	*out = NULL;
	if (!netd_firewall_needed(def))
		return 0;
	/* the chains are named after the bridge: it must be an nft identifier */
	if (!br || !((*br >= 'a' && *br <= 'z') || (*br >= 'A' && *br <= 'Z')) ||
	    br[strspn(br, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")])
		return sv_error_set(err, SV_FROM_NET, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
				    "network '%s': bridge name '%s' cannot name its firewall chains (a letter, then "
				    "letters, digits, '_', '.' or '-')", def->name, br ? br : "");
	netd_text_line(&s, "add table inet %s", NETD_NFT_TABLE);
	netd_text_line(&s, "add chain inet %s fwd-%s { type filter hook forward priority filter; policy accept; }",
	    NETD_NFT_TABLE, br);
	netd_text_line(&s, "flush chain inet %s fwd-%s", NETD_NFT_TABLE, br);
	netd_text_line(&s, "add chain inet %s nat-%s { type nat hook postrouting priority srcnat; policy accept; }",
	    NETD_NFT_TABLE, br);
	netd_text_line(&s, "flush chain inet %s nat-%s", NETD_NFT_TABLE, br);
	if (def->forward != NETWORK_FORWARD_NONE) {
		for (size_t i = 0; i < def->nips; i++) {
			struct netd_ip ip;
			int r = netd_ip_resolve(&def->ips[i], &ip, err);
			if (r < 0)
				return r;
			subnet_rules(&s, br, def->forward_dev, &ip, nat);
		}
	}
	/* guests of the bridge reach each other; everything else to or from it is refused */
	netd_text_line(&s, "add rule inet %s fwd-%s iifname \"%s\" oifname \"%s\" accept", NETD_NFT_TABLE, br, br, br);
	netd_text_line(&s, "add rule inet %s fwd-%s iifname \"%s\" reject", NETD_NFT_TABLE, br, br);
	netd_text_line(&s, "add rule inet %s fwd-%s oifname \"%s\" reject", NETD_NFT_TABLE, br, br);
	*out = TAKE_PTR(s);
	return 0;
}

char *netd_firewall_remove_script(const char *bridge, bool last)
{
	char *s = NULL;

	/* created first, so that deleting what is already gone is no error */
	netd_text_line(&s, "add table inet %s", NETD_NFT_TABLE);
	if (last) {
		netd_text_line(&s, "delete table inet %s", NETD_NFT_TABLE);
		return s;
	}
	netd_text_line(&s, "add chain inet %s fwd-%s", NETD_NFT_TABLE, bridge);
	netd_text_line(&s, "delete chain inet %s fwd-%s", NETD_NFT_TABLE, bridge);
	netd_text_line(&s, "add chain inet %s nat-%s", NETD_NFT_TABLE, bridge);
	netd_text_line(&s, "delete chain inet %s nat-%s", NETD_NFT_TABLE, bridge);
	return s;
}

/* The chain being read: its table, name, whether it drops forwarded packets, names the bridge. */
struct chain_scan {
	char table[200], chain[128];
	bool forward_drop, names_bridge;
};

static bool scan_end(const struct chain_scan *c, char **what)
{
	if (!c->forward_drop || c->names_bridge)
		return false;
	*what = xasprintf("chain %s of table %s has policy drop", c->chain, c->table);
	return true;
}

bool netd_firewall_find_drop(const char *ruleset, const char *bridge, char **what)
{
	_cleanup_free_ char *copy = xstrdup(ruleset), *quoted = xasprintf("\"%s\"", bridge);
	struct chain_scan c = { .table = "" };
	bool in_chain = false;
	char *save = NULL;

	*what = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char a[64], b[128];

		l += strspn(l, " \t");
		if (sscanf(l, "table %63s %127s {", a, b) == 2) {
			if (in_chain && scan_end(&c, what))
				return true; /* the last chain of the table before */
			in_chain = false;
			snprintf(c.table, sizeof(c.table), "%s %s", a, b);
		} else if (sscanf(l, "chain %127s {", b) == 1) {
			if (in_chain && scan_end(&c, what))
				return true;
			snprintf(c.chain, sizeof(c.chain), "%s", b);
			c.forward_drop = c.names_bridge = false;
			in_chain = true;
		} else if (in_chain && startswith(l, "type filter hook forward ") && strstr(l, "policy drop;")) {
			/* netd's own table is not foreign; a bridge or netdev table sees no routed traffic */
			c.forward_drop = !streq(c.table, "inet " NETD_NFT_TABLE) &&
					 (startswith(c.table, "ip ") || startswith(c.table, "ip6 ") || startswith(c.table, "inet "));
		} else if (in_chain && strstr(l, quoted)) {
			c.names_bridge = true;
		}
	}
	return in_chain && scan_end(&c, what);
}
