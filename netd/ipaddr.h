/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A network's <ip> as netd configures it: family, prefix length, the network's own address. */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>

#include "error.h"
#include "xml/network-def.h"

struct netd_ip {
	int family;                        /* AF_INET or AF_INET6 */
	char address[INET6_ADDRSTRLEN];    /* the bridge's address */
	char network[INET6_ADDRSTRLEN];    /* the address with the host bits cleared */
	unsigned prefix;
};

/* prefix, else netmask, else (IPv4) the address's class as libvirt does: an error naming the
 * address when the netmask is not contiguous. */
int netd_ip_resolve(const struct network_ip *ip, struct netd_ip *out, struct sv_error *err);
static inline bool netd_ip_is_v6(const struct network_ip *ip)
{
	return ip->family && streq(ip->family, "ipv6");
}
/* Whether addr lies in the subnet of ip. */
bool netd_ip_contains(const struct netd_ip *ip, const char *addr);
