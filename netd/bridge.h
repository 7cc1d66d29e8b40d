/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bridge of a virtual network: created with its MAC, MTU, STP and forward delay in one
 * RTM_NEWLINK, given its addresses (RTM_NEWADDR), brought up. Through libnl-route-3. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct nl_sock;
struct netd_ip;

struct netd_bridge_spec {
	const char *name;
	const uint8_t *mac; /* NULL: the kernel picks one */
	unsigned mtu;       /* 0: default */
	bool stp;
	unsigned delay;     /* forward delay, seconds */
};

/* Creates it (refused when the name exists); *ifindex is the new device's. */
int netd_bridge_create(struct nl_sock *sk, const struct netd_bridge_spec *spec, int *ifindex);
/* IPv6 addresses go on without duplicate address detection (the bridge is the subnet's router). */
int netd_bridge_add_address(struct nl_sock *sk, int ifindex, const struct netd_ip *ip);
