/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prefix lengths and network addresses of a network's <ip> elements (see ipaddr.h). */
#include "config.h"

#include <arpa/inet.h>

#include "ipaddr.h"
#include "util.h"

/* 255.255.255.0 -> 24; -1 when the ones are not contiguous. */
static int mask_bits(const struct in_addr *mask)
{
	uint32_t m = ntohl(mask->s_addr);
	int bits = 0;

	while (m & 0x80000000u) {
		bits++;
		m <<= 1;
	}
	return m ? -1 : bits;
}

static unsigned class_prefix(const struct in_addr *a)
{
	uint32_t v = ntohl(a->s_addr);

	if ((v >> 31) == 0)
		return 8;
	if ((v >> 30) == 2)
		return 16;
	return 24;
}

int netd_ip_resolve(const struct network_ip *ip, struct netd_ip *out, struct sv_error *err)
{
	unsigned char buf[sizeof(struct in6_addr)];
	int family = netd_ip_is_v6(ip) ? AF_INET6 : AF_INET;
	unsigned bytes = family == AF_INET6 ? 16 : 4;

	memset(out, 0, sizeof(*out));
	out->family = family;
	if (inet_pton(family, ip->address, buf) != 1)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL, "invalid IP address '%s'", ip->address);
	snprintf(out->address, sizeof(out->address), "%s", ip->address);
	if (ip->prefix) {
		out->prefix = ip->prefix;
	} else if (ip->netmask) {
		struct in_addr m;
		int bits = inet_pton(AF_INET, ip->netmask, &m) == 1 ? mask_bits(&m) : -1;
		if (bits <= 0)
			return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL,
					    "invalid netmask '%s' of address '%s'", ip->netmask, ip->address);
		out->prefix = (unsigned)bits;
	} else if (family == AF_INET) {
		out->prefix = class_prefix((const struct in_addr *)buf);
	} else {
		return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL, "IPv6 address '%s' needs a prefix",
				    ip->address);
	}
	if (out->prefix > bytes * 8)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_XML, EINVAL, "invalid prefix %u of address '%s'",
				    out->prefix, ip->address);
	for (unsigned i = 0; i < bytes; i++) {
		unsigned keep = out->prefix > i * 8 ? out->prefix - i * 8 : 0;
		if (keep < 8)
			buf[i] &= (unsigned char)(0xff00u >> keep);
	}
	inet_ntop(family, buf, out->network, sizeof(out->network));
	return 0;
}

bool netd_ip_contains(const struct netd_ip *ip, const char *addr)
{
	unsigned char a[sizeof(struct in6_addr)], n[sizeof(struct in6_addr)];
	unsigned bytes = ip->family == AF_INET6 ? 16 : 4;

	if (inet_pton(ip->family, addr, a) != 1 || inet_pton(ip->family, ip->network, n) != 1)
		return false;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned keep = ip->prefix > i * 8 ? ip->prefix - i * 8 : 0;
		unsigned char mask = keep >= 8 ? 0xff : (unsigned char)(0xff00u >> keep);
		if ((a[i] & mask) != n[i])
			return false;
	}
	return true;
}
