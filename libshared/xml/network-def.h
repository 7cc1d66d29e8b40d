/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual network model: libvirt's network XML for a bridge with NAT, routing, open or
 * no forwarding, or an existing host bridge; addresses, DHCP, the domain name and DNS host
 * entries. Other forward modes, other DNS entries, portgroups, virtualports are refused by name. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"
#include "xml/mac.h"
#include "xml/uuid.h"

enum network_forward_mode {
	NETWORK_FORWARD_NONE, /* isolated: no <forward> */
	NETWORK_FORWARD_NAT,
	NETWORK_FORWARD_ROUTE,
	NETWORK_FORWARD_OPEN,
	NETWORK_FORWARD_BRIDGE, /* an existing host bridge: nothing created, no addresses */
	NETWORK_FORWARD_LAST
};

struct network_dhcp_range {
	char *start, *end;
};

struct network_dhcp_host {
	unsigned char mac[SV_MAC_LEN];
	bool has_mac;
	char *id;   /* DHCPv6 DUID */
	char *name;
	char *ip;
};

struct network_ip {
	char *family;  /* "ipv4", "ipv6" or NULL (ipv4), kept as given */
	char *address;
	char *netmask; /* or prefix */
	unsigned prefix; /* 0: not given */
	bool dhcp;     /* a <dhcp> element was given */
	struct network_dhcp_range *ranges;
	size_t nranges;
	struct network_dhcp_host *hosts;
	size_t nhosts;
};

/* <dns><host ip=...><hostname>NAME</hostname>...</host></dns> */
struct network_dns_host {
	char *ip;
	char **names;
	size_t nnames;
};

struct network_def {
	char *name;
	unsigned char uuid[SV_UUID_LEN];
	bool uuid_generated;
	int ipv6;           /* <network ipv6=...>: 0 absent, 1 yes, 2 no */
	enum network_forward_mode forward;
	char *forward_dev;
	char *bridge;       /* may be NULL: netd picks virbr%d */
	bool stp;           /* default on */
	unsigned delay;
	unsigned char mac[SV_MAC_LEN];
	bool has_mac;
	unsigned mtu;       /* 0: not given */
	struct network_ip *ips;
	size_t nips;
	char *domain;       /* <domain name=...>, or NULL */
	int domain_local;   /* its localOnly: 0 absent, 1 yes, 2 no */
	bool has_dns;       /* a <dns> element was given */
	int dns_enable;     /* <dns enable=...>: 0 absent, 1 yes, 2 no */
	int dns_forward_plain; /* <dns forwardPlainNames=...>: 0 absent, 1 yes, 2 no */
	struct network_dns_host *dns_hosts;
	size_t ndns_hosts;
};

int network_def_parse(const char *xml, size_t len, unsigned flags, struct network_def **out,
		      struct sv_error *err);
int network_def_format(const struct network_def *def, unsigned flags, char **out,
		       struct sv_error *err);
void network_def_free(struct network_def *def);
static inline void network_def_freep(struct network_def **def) { network_def_free(*def); }
#define _cleanup_network_def_ _cleanup_(network_def_freep)
const char *network_forward_mode_to_string(enum network_forward_mode mode);
/* One <host mac= id= name= ip=/> (net-update's ip-dhcp-host), appended to ip's hosts. */
int network_dhcp_host_parse(const char *xml, size_t len, struct network_ip *ip, struct sv_error *err);
void network_dhcp_host_clear(struct network_dhcp_host *h);
