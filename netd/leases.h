/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dnsmasq's leases file, read for net-dhcp-leases and domifaddr --source lease. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xml/network-def.h"

struct netd_lease {
	int64_t expiry;
	char mac[18];        /* "" for DHCPv6 */
	bool ipv6;
	char address[46];
	unsigned prefix;     /* from the network's <ip> holding the address; 0: none does */
	char hostname[256];  /* "" when none */
	char client_id[256]; /* client id or DUID; "" when none */
};

/* Parses text (dnsmasq's format: "EXPIRY MAC IP HOSTNAME CLIENT-ID" a line, "*" for none; a
 * "duid" line; DHCPv6 lines with an IAID where the MAC goes). Lines it cannot read are skipped.
 * mac: only that MAC's leases (NULL or "": all). The prefixes come from def. *out freed with free(). */
size_t netd_leases_parse(const char *text, const struct network_def *def, const char *mac, struct netd_lease **out);
