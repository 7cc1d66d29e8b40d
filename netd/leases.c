/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dnsmasq's leases file (see leases.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <strings.h>

#include "ipaddr.h"
#include "leases.h"
#include "util.h"

static unsigned prefix_of(const struct network_def *def, const char *addr)
{
	for (size_t i = 0; i < def->nips; i++) {
		struct netd_ip ip;
		if (netd_ip_resolve(&def->ips[i], &ip, NULL) == 0 && netd_ip_contains(&ip, addr))
			return ip.prefix;
	}
	return 0;
}

static void field(char *dst, size_t len, const char *v)
{
	snprintf(dst, len, "%s", streq(v, "*") ? "" : v);
}

size_t netd_leases_parse(const char *text, const struct network_def *def, const char *mac, struct netd_lease **out)
{
	_cleanup_free_ char *copy = xstrdup(text);
	struct netd_lease *list = NULL;
	size_t n = 0;
	char *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char f[5][256];
		unsigned char buf[sizeof(struct in6_addr)];
		long long expiry;
		struct netd_lease le = { 0 };

		if (sscanf(l, "%lld %255s %255s %255s %255s", &expiry, f[0], f[1], f[2], f[3]) != 5)
			continue; /* the "duid" line, or damage */
		le.expiry = expiry;
		le.ipv6 = inet_pton(AF_INET6, f[1], buf) == 1;
		if (!le.ipv6 && inet_pton(AF_INET, f[1], buf) != 1)
			continue;
		if (!le.ipv6 && strlen(f[0]) >= sizeof(le.mac))
			continue; /* not a MAC */
		if (!le.ipv6)
			memcpy(le.mac, f[0], strlen(f[0]) + 1);
		if (mac && *mac && strcasecmp(le.mac, mac))
			continue;
		memcpy(le.address, f[1], strlen(f[1]) + 1); /* inet_pton took it: it fits */
		field(le.hostname, sizeof(le.hostname), f[2]);
		field(le.client_id, sizeof(le.client_id), f[3]);
		le.prefix = prefix_of(def, le.address);
		list = xrealloc(list, (n + 1) * sizeof(*list));
		list[n++] = le;
	}
	*out = list;
	return n;
}
