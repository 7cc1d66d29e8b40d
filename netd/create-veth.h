/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The create-veth request (a container's interface), checked and carried out. */
#pragma once

#include "netd.h"

/* The template used when a container's interface names no device. */
#define NETD_VETH_TEMPLATE "veth%d"
/* The peer's name inside the container when the interface has no <guest dev>: eth0 for the
 * definition's first interface, eth1 for the second, ... (as libvirt's LXC driver names them). */
#define NETD_VETH_PEER_FMT "eth%u"

/* Validates everything in req again (names, MAC, pid, who holds the name), creates the pair with
 * the peer in the network namespace of req->netns_pid, and records the host end. The host end's
 * name is written to ifname. On error nothing is left created or recorded. */
int netd_create_veth(const Sepvirt__NetCreateVethRequest *req, char ifname[IFNAMSIZ], struct sv_error *err);
