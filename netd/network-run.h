/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A virtual network brought to life and taken down again: its bridge, addresses, firewall
 * chains and IP forwarding; re-adopted as it is after a netd restart. */
#pragma once

#include "error.h"
#include "network.h"

int netd_network_start(struct netd_network *n, struct sv_error *err);
/* net-create: def (taken) runs as a transient network, or as the live definition of the inactive
 * persistent network of that name. */
int netd_network_create(struct network_def *def, struct netd_network **out, struct sv_error *err);
/* Takes everything down; a transient network is forgotten. */
int netd_network_stop(struct netd_network *n, struct sv_error *err);
/* At netd's start: each network recorded as running whose bridge is still there is running
 * (its rules made sure of, without duplicates); the others are cleaned up. Then, once per host
 * boot, the autostart networks are started. */
void netd_networks_adopt(void);
