/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A running network's dnsmasq, as netd keeps it: started through the spawner, watched through
 * its pidfd and started again when it dies (its leases file stays), stopped with the network,
 * re-adopted after a netd restart. */
#pragma once

#include "error.h"
#include "network.h"

int netd_dnsmasq_start(struct netd_network *n, struct sv_error *err);
/* Stops it and removes its files (the leases too when forget_leases). */
void netd_dnsmasq_stop(struct netd_network *n, bool forget_leases);
/* After a netd restart: the dnsmasq its pid file names, if it is still that one; else a new one. */
void netd_dnsmasq_adopt(struct netd_network *n);
