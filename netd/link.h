/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Netlink (NETLINK_ROUTE) for netd: read a link, configure a tap, delete a link.
 * Configuration goes through libnl-route-3; no `ip` process is ever run. */
#pragma once

#include <stdint.h>

#include "error.h"

struct nl_sock;

struct netd_link_info {
	int ifindex;
	unsigned flags;     /* IFF_UP ... */
	unsigned mtu;
	int master;         /* ifindex of the bridge, 0 when none */
	uint8_t mac[6];
	bool has_mac;
	bool carrier;       /* a tun device has carrier while some fd is attached to it */
	char kind[16];      /* IFLA_INFO_KIND: "tun", "bridge", "" */
	/* tun devices only (IFLA_INFO_DATA) */
	bool tun_known;
	bool tun_tap;       /* IFF_TAP rather than IFF_TUN */
	bool tun_multi_queue;
	bool tun_persist;
	bool tun_vnet_hdr;  /* IFF_VNET_HDR */
	bool tun_pi;        /* packet information on (not IFF_NO_PI) */
	int64_t tun_owner;  /* -1: none */
	int64_t tun_group;  /* -1: none */
};

/* Opens and connects the socket; called before confinement. */
int netd_link_socket(struct nl_sock **out, struct sv_error *err);
void netd_link_socket_free(struct nl_sock *sk);
/* 0 and *info, -ENODEV when there is no such device, another -errno on failure. */
int netd_link_get(struct nl_sock *sk, const char *name, struct netd_link_info *info);

struct netd_link_change {
	const uint8_t *mac; /* NULL: leave it */
	unsigned mtu;       /* 0: leave it */
	int master;         /* 0: none */
	bool up;
};
/* The bridge a device of target dev goes on: its ifindex, and its MTU when *mtu is still 0
 * (as libvirt does, the device follows the bridge's MTU). Errors name both. */
int netd_bridge_resolve(struct nl_sock *sk, const char *bridge, const char *dev, int *master, unsigned *mtu,
			struct sv_error *err);

/* One RTM_NEWLINK: MAC, MTU, master, then IFF_UP (the kernel applies them in that order). */
int netd_link_configure(struct nl_sock *sk, int ifindex, const struct netd_link_change *ch);
int netd_link_delete(struct nl_sock *sk, int ifindex);

struct netd_veth_spec {
	const char *name;      /* host end */
	const uint8_t *mac;    /* host end, NULL: the kernel picks one */
	unsigned mtu;          /* both ends, 0: default */
	int master;            /* host end's bridge, 0: none */
	const char *peer_name; /* created directly in the netns of peer_netns_pid */
	const uint8_t *peer_mac;
	int peer_netns_pid;
};
/* One RTM_NEWLINK (NLM_F_CREATE|NLM_F_EXCL) of kind veth: the host end is set up with its MAC,
 * MTU, master and IFF_UP; the peer is born in the target namespace (IFLA_NET_NS_PID), down. */
int netd_link_create_veth(struct nl_sock *sk, const struct netd_veth_spec *spec);
/* IFF_UP off and IFLA_GROUP = group, in one RTM_NEWLINK. */
int netd_link_retire(struct nl_sock *sk, int ifindex, uint32_t group);
/* One RTM_DELLINK for every device of a link group: the kernel unregisters them as a batch. */
int netd_link_delete_group(struct nl_sock *sk, uint32_t group);
