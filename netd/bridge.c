/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A virtual network's bridge (see bridge.h). */
#include "config.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include "bridge.h"
#include "ipaddr.h"
#include "link.h"

#define USER_HZ 100 /* the bridge's netlink times are in clock ticks */

int netd_bridge_create(struct nl_sock *sk, const struct netd_bridge_spec *spec, int *ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo, *data;
	struct netd_link_info li;
	int r;

	if (!msg)
		return -ENOMEM;
	/* the forward delay before STP: the kernel refuses a short delay once STP runs */
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 || nla_put_string(msg, IFLA_IFNAME, spec->name) < 0 ||
	    (spec->mac && nla_put(msg, IFLA_ADDRESS, 6, spec->mac) < 0) ||
	    (spec->mtu && nla_put_u32(msg, IFLA_MTU, spec->mtu) < 0) ||
	    !(linkinfo = nla_nest_start(msg, IFLA_LINKINFO)) || nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u32(msg, IFLA_BR_FORWARD_DELAY, spec->delay * USER_HZ) < 0 ||
	    nla_put_u32(msg, IFLA_BR_STP_STATE, spec->stp ? 1 : 0) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, linkinfo);
	r = nl_send_sync(sk, msg); /* frees msg */
	if (r < 0)
		return r == -NLE_EXIST ? -EEXIST : -EIO;
	r = netd_link_get(sk, spec->name, &li);
	if (r < 0)
		return r;
	*ifindex = li.ifindex;
	return 0;
}

static void addr_freep(struct rtnl_addr **a)
{
	if (*a)
		rtnl_addr_put(*a);
}

static void nladdr_freep(struct nl_addr **a)
{
	if (*a)
		nl_addr_put(*a);
}

int netd_bridge_add_address(struct nl_sock *sk, int ifindex, const struct netd_ip *ip)
{
	_cleanup_(addr_freep) struct rtnl_addr *a = rtnl_addr_alloc();
	_cleanup_(nladdr_freep) struct nl_addr *local = NULL, *bcast = NULL;
	unsigned char buf[sizeof(struct in6_addr)];
	int r;

	if (!a || inet_pton(ip->family, ip->address, buf) != 1)
		return -EINVAL;
	local = nl_addr_build(ip->family, buf, ip->family == AF_INET6 ? 16 : 4);
	if (!local)
		return -ENOMEM;
	nl_addr_set_prefixlen(local, (int)ip->prefix);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, ip->family);
	if ((r = rtnl_addr_set_local(a, local)) < 0)
		return -EINVAL;
	if (ip->family == AF_INET && ip->prefix < 31) {
		uint32_t v;
		memcpy(&v, buf, 4);
		v |= htonl(ip->prefix ? (1u << (32 - ip->prefix)) - 1 : 0xffffffffu);
		bcast = nl_addr_build(AF_INET, &v, 4);
		if (!bcast)
			return -ENOMEM;
		rtnl_addr_set_broadcast(a, bcast);
	}
	if (ip->family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	r = rtnl_addr_add(sk, a, NLM_F_CREATE | NLM_F_REPLACE);
	return r < 0 ? -EIO : 0;
}
