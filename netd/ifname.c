/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interface names, MACs and UUIDs as netd accepts them. */
#include "config.h"

#include <ctype.h>
#include <net/if.h>
#include <stdio.h>

#include "ifname.h"
#include "xml/domain-limits.h"

int netd_ifname_check(const char *name, const char *what, struct sv_error *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "%s is empty", what);
	if (len >= IFNAMSIZ)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, ENAMETOOLONG,
				    "%s '%s' is too long: %zu bytes, a Linux interface name has at most %d",
				    what, name, len, IFNAMSIZ - 1);
	if (streq(name, ".") || streq(name, ".."))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "%s '%s' is not a valid interface name", what, name);
	for (const char *p = name; *p; p++) {
		if (*p == '/' || *p == '%' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p))
			return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
					    "%s '%s' contains '%c': not allowed in an interface name",
					    what, name, isprint((unsigned char)*p) ? *p : '?');
	}
	return 0;
}

int netd_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

void netd_mac_host(const uint8_t guest[6], uint8_t host[6])
{
	memcpy(host, guest, 6);
	host[0] = guest[0] == 0xFE ? 0xFA : 0xFE;
}

bool netd_uuid_valid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

int netd_mac_pair(const char *mac, const char *dev, uint8_t guest[6], uint8_t host[6], struct sv_error *err)
{
	if (netd_mac_parse(mac, guest) < 0)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "invalid MAC address '%s' for target dev '%s'", mac, dev);
	netd_mac_host(guest, host);
	return 0;
}

int netd_iface_index_check(const char *uuid, uint32_t index, struct sv_error *err)
{
	if (index >= DOMAIN_MAX_INTERFACES)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, E2BIG,
				    "too many interfaces: index %u of domain '%s' is past the limit of %d per domain",
				    index, uuid, DOMAIN_MAX_INTERFACES);
	return 0;
}
