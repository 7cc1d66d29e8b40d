/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-update: libvirt's virNetworkUpdate for the section netd implements (ip-dhcp-host: add,
 * delete), on the live network (its dnsmasq restarted with the new hosts, leases kept), the
 * persistent definition, or both. Every other section or command is refused by name. */
#pragma once

#include "error.h"
#include "network.h"

enum { NETD_UPDATE_LIVE = 1, NETD_UPDATE_CONFIG = 2 };

struct netd_update {
	const char *command;  /* "add", "add-last", "add-first", "delete" */
	const char *section;  /* "ip-dhcp-host" */
	int parent_index;     /* -1: the first <ip> of the host's address family */
	const char *xml;
	unsigned flags;       /* NETD_UPDATE_*; 0: live when active, else config */
};

int netd_network_update(struct netd_network *n, const struct netd_update *u, struct sv_error *err);
