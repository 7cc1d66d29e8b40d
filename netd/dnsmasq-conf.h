/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A network's dnsmasq configuration, generated from its XML: DNS and DHCP on its bridge only,
 * its ranges and static hosts, leases in a file netd reads for net-dhcp-leases. */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "xml/network-def.h"

/* The files of a network's dnsmasq, in netd's state directory. */
char *netd_dnsmasq_conf_name(const char *network);   /* dnsmasq-NAME.conf */
char *netd_dnsmasq_leases_name(const char *network); /* dnsmasq-NAME.leases */
char *netd_dnsmasq_pid_name(const char *network);    /* dnsmasq-NAME.pid */

/* Whether the network gets a dnsmasq: a bridge of netd's own with at least one address. */
bool netd_dnsmasq_needed(const struct network_def *def);
/* dir: netd's state directory (absolute); user: the user dnsmasq drops to. */
int netd_dnsmasq_conf(const struct network_def *def, const char *dir, const char *user, char **out,
		      struct sv_error *err);
